/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rpmsg_amp - RPMsg over a shared-memory carveout and a mailbox doorbell
 *
 * Interface between the rpmsg_amp core module (platform driver, master and
 * remote transports) and the user-interface modules built on top of it
 * (char devices, net devices): the channels and the endpoint addresses
 * their device tree lists (struct rpmsg_amp_client), and a few helpers
 * for rpmsg drivers on any rpmsg bus. Messages travel through the
 * kernel's rpmsg API (rpmsg_create_ept(), rpmsg_trysendto()).
 */
#ifndef _LINUX_RPMSG_AMP_H
#define _LINUX_RPMSG_AMP_H

#include <linux/list.h>
#include <linux/poll.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>

struct device;
struct file;
struct rpmsg_device;
struct rpmsg_endpoint;
struct rpmsg_amp_channel;

/* Version of the module set (dkms.conf PACKAGE_VERSION too). */
#define RPMSG_AMP_VERSION	"0.1.0"

/* Header of every RPMsg message, little-endian on the wire (16 bytes). */
#define RPMSG_AMP_HDR_SIZE	16
/* Name-service endpoint address, as in the RPMsg protocol. */
#define RPMSG_AMP_NS_ADDR	53
/* Static endpoint addresses live below this; dynamic ones above. */
#define RPMSG_AMP_RESERVED_ADDRS 1024
/* Service the remote role announces for the channel itself. */
#define RPMSG_AMP_CHANNEL_SERVICE "rpmsg-amp"
#define RPMSG_AMP_CHANNEL_ADDR	1024
/*
 * Service the other side announces for a char device /dev/rpmsgN_M, M
 * being the announced address (rpmsg_amp_char binds to it on any bus).
 */
#define RPMSG_AMP_CHAR_SERVICE	"rpmsg-amp-char"
/*
 * Services each side announces for every network endpoint it serves, M
 * being the address (rpmsg_amp_net binds to both on any bus: rpmsgN_M).
 * The name says the framing: frames cut into fragments, each message
 * starting with struct rpmsg_amp_net_frag (the default), or one whole
 * frame per message, for peers without the fragment header.
 */
#define RPMSG_AMP_NET_FRAG_SERVICE "rpmsg-amp-net-frag"
#define RPMSG_AMP_NET_SERVICE	"rpmsg-amp-net"
/* Most endpoints of one kind a channel may list in the device tree. */
#define RPMSG_AMP_MAX_EPTS	16

enum rpmsg_amp_role {
	RPMSG_AMP_ROLE_MASTER = 1,
	RPMSG_AMP_ROLE_REMOTE = 2,
};

/**
 * struct rpmsg_amp_client - a user of channels (char or net interface)
 * @name: for log messages
 * @add: called for each channel once its transport is up
 * @remove: called before a channel's transport goes away
 * @peer_changed: optional; the other side's presence changed
 * @link_up: the channel's rpmsg bus is up: open the endpoints of the
 *	channel's listed addresses on @rpdev (rpmsg_create_ept()); called
 *	after @add, and again each time the bus comes back
 * @link_down: the bus goes: close them (rpmsg_destroy_ept()) before
 *	returning; no receive callback may run afterwards
 * @node: internal
 *
 * All are serialised by the core and called in process context; a
 * client's interfaces live from @add to @remove, across any number of
 * @link_up / @link_down pairs (the other side restarting). @remove of a
 * linked channel closes the endpoints itself. A client that returns an
 * error from @add is not called again for that channel until it is
 * re-created, but for @link_up / @link_down, which then find nothing.
 */
struct rpmsg_amp_client {
	const char *name;
	int (*add)(struct rpmsg_amp_channel *ch);
	void (*remove)(struct rpmsg_amp_channel *ch);
	void (*peer_changed)(struct rpmsg_amp_channel *ch, bool up);
	void (*link_up)(struct rpmsg_amp_channel *ch,
			struct rpmsg_device *rpdev);
	void (*link_down)(struct rpmsg_amp_channel *ch);
	struct list_head node;
};

int rpmsg_amp_register_client(struct rpmsg_amp_client *client);
void rpmsg_amp_unregister_client(struct rpmsg_amp_client *client);

/* a channel: what the device tree says, and whether the peer is there */
struct device *rpmsg_amp_channel_dev(struct rpmsg_amp_channel *ch);
u32 rpmsg_amp_channel_index(struct rpmsg_amp_channel *ch);
size_t rpmsg_amp_channel_mtu(struct rpmsg_amp_channel *ch);
bool rpmsg_amp_channel_peer_up(struct rpmsg_amp_channel *ch);
bool rpmsg_amp_channel_is_master(struct rpmsg_amp_channel *ch);
unsigned int rpmsg_amp_channel_epts(struct rpmsg_amp_channel *ch,
				    const char *kind, const u32 **addrs);
void rpmsg_amp_channel_count_drop(struct rpmsg_amp_channel *ch);

/* for rpmsg drivers on any rpmsg bus */
int rpmsg_amp_rpdev_index(struct rpmsg_device *rpdev);
bool rpmsg_amp_rpdev_listed(struct rpmsg_device *rpdev, const char *kind,
			    u32 addr);
int rpmsg_amp_rpmsg_announce(struct rpmsg_endpoint *ept, const char *name,
			     bool destroy);
bool rpmsg_amp_rpmsg_tx_ready(struct rpmsg_endpoint *ept, struct file *filp,
			      poll_table *pt);

/**
 * struct rpmsg_amp_tx_waiter - waits for a transmit buffer without sleeping
 * @pt: internal
 * @wait: internal
 * @lock: serialises the arms that queue @wait
 * @wqh: the bus's wait queue @wait is on, or NULL
 * @wake: set by rpmsg_amp_tx_waiter_init()
 */
struct rpmsg_amp_tx_waiter {
	poll_table pt;
	wait_queue_entry_t wait;
	spinlock_t lock;		/* wqh, and @wait on it */
	wait_queue_head_t *wqh;
	void (*wake)(struct rpmsg_amp_tx_waiter *w);
};

void rpmsg_amp_tx_waiter_init(struct rpmsg_amp_tx_waiter *w,
			      void (*wake)(struct rpmsg_amp_tx_waiter *w));
bool rpmsg_amp_tx_waiter_arm(struct rpmsg_amp_tx_waiter *w,
			     struct rpmsg_endpoint *ept);
void rpmsg_amp_tx_waiter_stop(struct rpmsg_amp_tx_waiter *w);

static inline bool rpmsg_amp_tx_waiter_armed(struct rpmsg_amp_tx_waiter *w)
{
	return READ_ONCE(w->wqh);
}

#endif /* _LINUX_RPMSG_AMP_H */

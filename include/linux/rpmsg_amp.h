/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rpmsg_amp - RPMsg over a shared-memory carveout and a mailbox doorbell
 *
 * Interface between the rpmsg_amp core module (platform driver, master and
 * remote transports) and the user-interface modules built on top of it
 * (char devices, net devices).
 */
#ifndef _LINUX_RPMSG_AMP_H
#define _LINUX_RPMSG_AMP_H

#include <linux/list.h>
#include <linux/poll.h>
#include <linux/types.h>

struct device;
struct rpmsg_device;
struct rpmsg_endpoint;
struct rpmsg_amp_channel;
struct rpmsg_amp_ept;

/* Header of every RPMsg message, little-endian on the wire (16 bytes). */
/* Version of the module set (dkms.conf PACKAGE_VERSION too). */
#define RPMSG_AMP_VERSION	"0.1.0"

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
 * Service each side announces for every network endpoint it serves, M
 * being the address (rpmsg_amp_net binds to it on any bus: rpmsgN_M).
 */
#define RPMSG_AMP_NET_SERVICE	"rpmsg-amp-net"
/* Most endpoints of one kind a channel may list in the device tree. */
#define RPMSG_AMP_MAX_EPTS	16

enum rpmsg_amp_role {
	RPMSG_AMP_ROLE_MASTER = 1,
	RPMSG_AMP_ROLE_REMOTE = 2,
};

/**
 * typedef rpmsg_amp_rx_cb_t - receive callback of an endpoint
 * @priv: the pointer given to rpmsg_amp_ept_create()
 * @data: payload, valid only during the call
 * @len: payload length in bytes
 * @src: address of the sending endpoint on the other core
 *
 * Must not sleep: it runs from the channel's receive work under the
 * rpmsg core's endpoint lock, in both roles, and every endpoint of the
 * channel waits meanwhile.  Queue the message, or drop it and count the
 * drop.
 */
typedef void (*rpmsg_amp_rx_cb_t)(void *priv, const void *data, size_t len,
				  u32 src);

/**
 * struct rpmsg_amp_client - a user of channels (char or net interface)
 * @name: for log messages
 * @add: called for each channel once its transport is up
 * @remove: called before a channel's transport goes away
 * @peer_changed: optional; the other side's presence changed
 * @node: internal
 *
 * @add and @remove are serialised by the core and called in process
 * context. A client that returns an error from @add is not called again
 * for that channel until it is re-created.
 */
struct rpmsg_amp_client {
	const char *name;
	int (*add)(struct rpmsg_amp_channel *ch);
	void (*remove)(struct rpmsg_amp_channel *ch);
	void (*peer_changed)(struct rpmsg_amp_channel *ch, bool up);
	struct list_head node;
};

int rpmsg_amp_register_client(struct rpmsg_amp_client *client);
void rpmsg_amp_unregister_client(struct rpmsg_amp_client *client);

struct device *rpmsg_amp_channel_dev(struct rpmsg_amp_channel *ch);
u32 rpmsg_amp_channel_index(struct rpmsg_amp_channel *ch);
int rpmsg_amp_rpdev_index(struct rpmsg_device *rpdev);
bool rpmsg_amp_rpdev_listed(struct rpmsg_device *rpdev, const char *kind,
			    u32 addr);
int rpmsg_amp_rpmsg_announce(struct rpmsg_endpoint *ept, const char *name,
			     bool destroy);
bool rpmsg_amp_rpmsg_tx_ready(struct rpmsg_endpoint *ept, poll_table *pt);
size_t rpmsg_amp_channel_mtu(struct rpmsg_amp_channel *ch);
bool rpmsg_amp_channel_peer_up(struct rpmsg_amp_channel *ch);
bool rpmsg_amp_channel_is_master(struct rpmsg_amp_channel *ch);
unsigned int rpmsg_amp_channel_epts(struct rpmsg_amp_channel *ch,
				    const char *kind, const u32 **addrs);
void rpmsg_amp_channel_count_drop(struct rpmsg_amp_channel *ch);

struct rpmsg_amp_ept *rpmsg_amp_ept_create(struct rpmsg_amp_channel *ch,
					   u32 addr, rpmsg_amp_rx_cb_t rx_cb,
					   void (*tx_wake)(void *priv),
					   void *priv);
void rpmsg_amp_ept_destroy(struct rpmsg_amp_ept *ept);
int rpmsg_amp_trysend(struct rpmsg_amp_ept *ept, u32 dst, const void *data,
		      size_t len);
bool rpmsg_amp_tx_ready(struct rpmsg_amp_ept *ept);
int rpmsg_amp_announce(struct rpmsg_amp_ept *ept, const char *name,
		       bool destroy);

#endif /* _LINUX_RPMSG_AMP_H */

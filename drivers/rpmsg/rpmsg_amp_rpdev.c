// SPDX-License-Identifier: GPL-2.0
/*
 * rpmsg_amp - helpers for rpmsg drivers on any rpmsg bus
 *
 * rpmsg_amp_char and rpmsg_amp_net bind to services on any rpmsg bus;
 * this file gives them what the rpmsg API does not: the N of their device
 * names, whether a channel's device tree lists an address, a name-service
 * announcement from an endpoint, and a way to wait for a transmit buffer
 * without sleeping (the wait queue a bus names through its poll, or the
 * channel's doorbell queue on our buses, whose virtio_rpmsg_bus has no
 * poll). The kernel has nothing for the last outside a struct file.
 */
#include <linux/poll.h>
#include <linux/rpmsg.h>
#include <linux/rpmsg_amp.h>
#include <linux/string.h>
#include <linux/virtio.h>
#include <linux/wait.h>

#include "rpmsg_amp_internal.h"

/**
 * rpmsg_amp_rpdev_index() - N of the names of an rpmsg device's interfaces
 * @rpdev: a device on some rpmsg bus
 *
 * /dev/rpmsgN_M and rpmsgN_M take N from here: the channel index on a bus
 * of rpmsg_amp, 100 + K on any other virtio rpmsg bus virtioK (the buses
 * remoteproc makes, say).
 *
 * Return: N, or -ENODEV on a bus that is not virtio's.
 */
int rpmsg_amp_rpdev_index(struct rpmsg_device *rpdev)
{
	struct rpmsg_amp_channel *ch = rpmsg_amp_bus_channel(rpdev);
	struct device *parent = rpdev->dev.parent;

	if (ch)
		return ch->index;
	if (parent && parent->bus && !strcmp(parent->bus->name, "virtio"))
		return 100 + dev_to_virtio(parent)->index;
	return -ENODEV;
}
EXPORT_SYMBOL_GPL(rpmsg_amp_rpdev_index);

/**
 * rpmsg_amp_rpdev_listed() - does the device tree list an endpoint?
 * @rpdev: a device on some rpmsg bus
 * @kind: "misc" or "eth", as for rpmsg_amp_channel_epts()
 * @addr: endpoint address
 *
 * Return: true if @rpdev is on the bus of a channel whose device tree
 * lists @addr for @kind (its interface exists without any announcement).
 */
bool rpmsg_amp_rpdev_listed(struct rpmsg_device *rpdev, const char *kind,
			    u32 addr)
{
	struct rpmsg_amp_channel *ch = rpmsg_amp_bus_channel(rpdev);
	const u32 *addrs;
	unsigned int i, n;

	if (!ch)
		return false;
	n = rpmsg_amp_channel_epts(ch, kind, &addrs);
	for (i = 0; i < n; i++)
		if (addrs[i] == addr)
			return true;
	return false;
}
EXPORT_SYMBOL_GPL(rpmsg_amp_rpdev_listed);

/**
 * rpmsg_amp_rpmsg_announce() - announce a service from an rpmsg endpoint
 * @ept: endpoint on any rpmsg bus, at the address announced
 * @name: service name
 * @destroy: withdraw instead
 *
 * A name-service message from @ept to the other side's address 53, as
 * virtio_rpmsg_bus sends for the devices it announces. Does not wait for
 * a transmit buffer.
 *
 * Return: 0 or a negative errno (-ENOMEM: no transmit buffer free now).
 */
int rpmsg_amp_rpmsg_announce(struct rpmsg_endpoint *ept, const char *name,
			     bool destroy)
{
	struct rpmsg_amp_wire_ns ns;

	rpmsg_amp_ns_pack(&ns, name, ept->addr, destroy);
	return rpmsg_trysendto(ept, &ns, sizeof(ns), RPMSG_AMP_NS_ADDR);
}
EXPORT_SYMBOL_GPL(rpmsg_amp_rpmsg_announce);

/**
 * rpmsg_amp_rpmsg_tx_ready() - would a send on an rpmsg endpoint find a buffer?
 * @ept: endpoint on any rpmsg bus
 * @filp: the file polled, or NULL
 * @pt: poll table; its queue function is handed the wait queue that is
 *	woken when a transmit buffer may have freed
 *
 * On a bus of ours: the channel's doorbell queue, with the completion
 * doorbell armed (virtio_rpmsg_bus has no poll operation). On another bus: the bus's
 * poll, where it has one (virtio_rpmsg_bus has none: then nothing is
 * queued, and the caller must wait in a blocking send instead).
 *
 * Return: true if a buffer is free now.
 */
bool rpmsg_amp_rpmsg_tx_ready(struct rpmsg_endpoint *ept, struct file *filp,
			      poll_table *pt)
{
	struct rpmsg_amp_channel *ch = rpmsg_amp_bus_channel(ept->rpdev);

	if (!ch)
		return rpmsg_poll(ept, filp, pt) & EPOLLOUT;
	poll_wait(filp, &ch->tx_wq, pt);
	return rpmsg_amp_bus_tx_ready(ch);
}
EXPORT_SYMBOL_GPL(rpmsg_amp_rpmsg_tx_ready);

static int rpmsg_amp_tx_waiter_fn(wait_queue_entry_t *wait, unsigned int mode,
				  int sync, void *key)
{
	struct rpmsg_amp_tx_waiter *w =
		container_of(wait, struct rpmsg_amp_tx_waiter, wait);

	w->wake(w);
	return 0;
}

static void rpmsg_amp_tx_waiter_queue(struct file *file,
				      wait_queue_head_t *wqh, poll_table *pt)
{
	struct rpmsg_amp_tx_waiter *w =
		container_of(pt, struct rpmsg_amp_tx_waiter, pt);

	/* several senders may arm it at once (a char device's writers) */
	spin_lock(&w->lock);
	if (!w->wqh) {
		w->wqh = wqh;
		add_wait_queue(wqh, &w->wait);
	}
	spin_unlock(&w->lock);
}

/**
 * rpmsg_amp_tx_waiter_init() - prepare a wait for transmit buffers
 * @w: the waiter
 * @wake: called, in any context and possibly often, when a buffer may
 *	have freed on the bus of an endpoint @w was armed on
 *
 * For a sender that must not sleep in the bus (a work item, a receive
 * path): the rpmsg API has no "buffer freed" callback, so the waiter sits
 * on the wait queue the bus's poll names. The kernel has nothing for
 * this outside a struct file; it is ours.
 */
void rpmsg_amp_tx_waiter_init(struct rpmsg_amp_tx_waiter *w,
			      void (*wake)(struct rpmsg_amp_tx_waiter *w))
{
	init_poll_funcptr(&w->pt, rpmsg_amp_tx_waiter_queue);
	init_waitqueue_func_entry(&w->wait, rpmsg_amp_tx_waiter_fn);
	spin_lock_init(&w->lock);
	w->wqh = NULL;
	w->wake = wake;
}
EXPORT_SYMBOL_GPL(rpmsg_amp_tx_waiter_init);

/**
 * rpmsg_amp_tx_waiter_arm() - is a buffer free? If not, wait for one
 * @w: the waiter
 * @ept: the endpoint a send on found the ring full
 *
 * The caller serialises this against rpmsg_amp_tx_waiter_stop() and keeps
 * @ept valid during the call; several callers may arm @w at once.
 *
 * Return: true if a buffer is free now (try again at once); false if
 * not: then @w->wake follows a freed buffer if rpmsg_amp_tx_waiter_armed(),
 * and nothing does otherwise (the bus cannot tell; wait in a blocking
 * send instead).
 */
bool rpmsg_amp_tx_waiter_arm(struct rpmsg_amp_tx_waiter *w,
			     struct rpmsg_endpoint *ept)
{
	return rpmsg_amp_rpmsg_tx_ready(ept, NULL, &w->pt);
}
EXPORT_SYMBOL_GPL(rpmsg_amp_tx_waiter_arm);

/**
 * rpmsg_amp_tx_waiter_stop() - no more wake-ups
 * @w: the waiter; before the bus it was armed on goes, and before @w does
 *
 * @w->wake is not running and not called once this returns.
 */
void rpmsg_amp_tx_waiter_stop(struct rpmsg_amp_tx_waiter *w)
{
	spin_lock(&w->lock);
	if (w->wqh)
		remove_wait_queue(w->wqh, &w->wait);
	w->wqh = NULL;
	spin_unlock(&w->lock);
}
EXPORT_SYMBOL_GPL(rpmsg_amp_tx_waiter_stop);

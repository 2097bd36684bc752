// SPDX-License-Identifier: GPL-2.0
/*
 * rpmsg_amp_net - Ethernet devices rpmsgN_M over RPMsg endpoints: the ports
 *
 * One net device (a port) per endpoint address M. Frames travel from
 * address M to address M on the other core in one of two framings, fixed
 * per port:
 *  - fragments (service RPMSG_AMP_NET_FRAG_SERVICE, the default): each
 *    message is a struct rpmsg_amp_net_frag and a piece of the frame, so
 *    the MTU is 1500 by default and may be set up to 65535; the receiver
 *    reassembles, validating every header. Where the other side says it
 *    takes them, frames keep their offloads (a checksum left to the
 *    receiver, a TCP packet of up to 64 KiB not yet cut to the MTU), told
 *    in a virtio-net header the kernel's virtio_net_hdr_*() convert;
 *  - one frame per message (RPMSG_AMP_NET_SERVICE, for peers without the
 *    fragment header): the MTU is the message payload minus the Ethernet
 *    header (482 with 512-byte buffers).
 *
 * Ports come from two places:
 *  - a channel's eth-dev-endpoints in the device tree: the port lives as
 *    long as the channel, across restarts of the other side; while the
 *    channel's rpmsg bus is up (rpmsg_amp_client link_up to link_down) its
 *    endpoint is an rpmsg endpoint at M on the device the channel hands
 *    over;
 *  - an rpmsg device named after either service on any rpmsg bus (this is
 *    an rpmsg driver): one the other side announced at M, or one made on
 *    this side through rpmsg_ctrl (RPMSG_CREATE_DEV_IOCTL, local address
 *    M). The port lives as long as that device; its endpoint is an rpmsg
 *    endpoint at M on it. N is rpmsg_amp_rpdev_index().
 *
 * Each side announces its port's service at M for each of its ports and
 * withdraws it when the port goes. The other side's announcement is an
 * rpmsg device with destination M bound here (a "peer" binding); a port
 * has carrier while one exists and, for a port of the device tree, the
 * channel's peer is present. A peer announcing the other framing is
 * refused.
 *
 * Receiving is rpmsg_amp_net_rx.c's, transmitting rpmsg_amp_net_tx.c's,
 * ethtool and the statistics rpmsg_amp_net_ethtool.c's; this file makes
 * and removes the ports and follows the other side's presence.
 */
#include <linux/etherdevice.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/rpmsg.h>
#include <linux/rpmsg_amp.h>
#include <linux/rpmsg_amp_compat.h>
#include <linux/slab.h>

#include "rpmsg_amp_net.h"
#include "rpmsg_amp_net_wire.h"

/* An rpmsg device bound here: a peer binding stands for the other side's
 * announcement of (index, addr); @own is the port the device brought.
 * Only bindings of the port's framing are on the list.
 */
struct ran_bind {
	struct list_head node;		/* ran_binds, under ran_lock */
	int index;
	u32 addr;
	bool peer;
	struct ran_priv *own;
};

/* A spinlock, taken for list work and carrier only: the rpmsg core removes
 * devices under the channel's locks, which other paths take inside the
 * RTNL and our transmit work.
 */
static DEFINE_SPINLOCK(ran_lock);
static LIST_HEAD(ran_ports);
static LIST_HEAD(ran_binds);
/* only in the client's callbacks, which the core serialises */
static LIST_HEAD(ran_dt_ports);

static struct ran_priv *ran_find(int index, u32 addr)
{
	struct ran_priv *p;

	list_for_each_entry(p, &ran_ports, node)
		if (p->index == index && p->addr == addr)
			return p;
	return NULL;
}

static bool ran_peer_bound(int index, u32 addr)
{
	struct ran_bind *b;

	list_for_each_entry(b, &ran_binds, node)
		if (b->peer && b->index == index && b->addr == addr)
			return true;
	return false;
}

/* Caller holds ran_lock. */
static void ran_update_carrier(struct ran_priv *p)
{
	if (ran_peer_bound(p->index, p->addr) &&
	    (!p->ch || rpmsg_amp_channel_peer_up(p->ch))) {
		netif_carrier_on(p->ndev);
	} else {
		netif_carrier_off(p->ndev);
		/* the next peer says again what it accepts */
		WRITE_ONCE(p->peer_offload_ok, false);
	}
}

static const char *ran_framing(bool frag)
{
	return frag ? "fragments" : "one frame per message";
}

static int ran_open(struct net_device *ndev)
{
	struct ran_priv *p = netdev_priv(ndev);

	napi_enable(&p->napi);
	ran_rx_set_up(p, true);
	netif_start_queue(ndev);
	return 0;
}

static int ran_stop(struct net_device *ndev)
{
	struct ran_priv *p = netdev_priv(ndev);

	netif_stop_queue(ndev);
	ran_rx_set_up(p, false);
	napi_disable(&p->napi);
	cancel_work_sync(&p->tx_work);
	ran_purge(p);
	/* the announcement goes whether the interface is up or not */
	if (ran_tx_pending(p))
		queue_work(ran_wq, &p->tx_work);
	return 0;
}

static const struct net_device_ops ran_netdev_ops = {
	.ndo_open = ran_open,
	.ndo_stop = ran_stop,
	.ndo_start_xmit = ran_start_xmit,
	.ndo_tx_timeout = ran_tx_timeout,
	.ndo_features_check = ran_features_check,
	.ndo_get_stats64 = ran_get_stats64,
	.ndo_set_mac_address = eth_mac_addr,
	.ndo_validate_addr = eth_validate_addr,
};

/* ---- ports --------------------------------------------------------------- */

/* A port's net device, not registered yet. @dev is its bus information and
 * what errors are logged against; a port of the device tree has it as its
 * parent, one of an rpmsg device has none (see ran_detach_rpdev()).
 */
static struct ran_priv *ran_alloc(struct device *dev, bool parent, int index,
				  u32 addr)
{
	char name[IFNAMSIZ];
	struct net_device *ndev;
	struct ran_priv *p;

	snprintf(name, sizeof(name), "rpmsg%d_%u", index, addr);
	ndev = alloc_netdev(sizeof(*p), name, NET_NAME_PREDICTABLE,
			    ether_setup);
	if (!ndev)
		return ERR_PTR(-ENOMEM);
	p = netdev_priv(ndev);
	p->ndev = ndev;
	p->stats = netdev_alloc_pcpu_stats(struct ran_pcpu_stats);
	if (!p->stats) {
		free_netdev(ndev);
		return ERR_PTR(-ENOMEM);
	}
	p->index = index;
	p->addr = addr;
	p->log = dev;
	strscpy(p->bus_info, dev_name(dev), sizeof(p->bus_info));
	init_rwsem(&p->sem);
	spin_lock_init(&p->rx_lock);
	rpmsg_amp_tx_waiter_init(&p->txw, ran_tx_wake);
	INIT_LIST_HEAD(&p->dt_node);
	skb_queue_head_init(&p->rxq);
	skb_queue_head_init(&p->txq);
	INIT_WORK(&p->tx_work, ran_tx_work);
	rpmsg_amp_netif_napi_add(ndev, &p->napi, ran_poll);

	ndev->netdev_ops = &ran_netdev_ops;
	ndev->ethtool_ops = &ran_ethtool_ops;
	ndev->min_mtu = ETH_MIN_MTU;
	ndev->tx_queue_len = 1000;
	ndev->features = RAN_FEATURES;
	ndev->hw_features = RAN_FEATURES;
	if (parent)
		SET_NETDEV_DEV(ndev, dev);
	netif_carrier_off(ndev);
	return p;
}

/* The framing, and what a message carries: the MTU follows. */
static int ran_set_payload(struct ran_priv *p, bool frag, size_t payload)
{
	size_t least = frag ? sizeof(struct rpmsg_amp_net_frag) + RAN_FRAG_ROOM :
			      ETH_HLEN + ETH_MIN_MTU;

	if (payload < least) {
		dev_err(p->log, "%s: buffers too small for Ethernet in %s (payload %zu, at least %zu)\n",
			p->ndev->name, ran_framing(frag), payload, least);
		return -EINVAL;
	}
	p->txbuf = kmalloc(payload, GFP_KERNEL);
	if (!p->txbuf)
		return -ENOMEM;
	p->frag = frag;
	p->payload = payload;
	if (frag) {
		p->ndev->max_mtu = RAN_FRAG_MTU;
		p->ndev->mtu = ETH_DATA_LEN;
	} else {
		p->ndev->max_mtu = payload - ETH_HLEN;
		p->ndev->mtu = p->ndev->max_mtu;
	}
	return 0;
}

static int ran_register(struct ran_priv *p)
{
	int ret = register_netdev(p->ndev);

	if (ret)
		dev_err(p->log, "cannot register %s: %d\n",
			p->ndev->name, ret);
	return ret;
}

/* Unregistered and quiesced (or never started). */
static void ran_free(struct ran_priv *p)
{
	skb_queue_purge(&p->txq);
	skb_queue_purge(&p->rxq);
	kfree_skb(p->rx_skb);
	kfree(p->txbuf);
	free_percpu(p->stats);
	netif_napi_del(&p->napi);
	free_netdev(p->ndev);
}

/* No wake-up queues the transmit work after this, and it is not running. */
static void ran_quiesce(struct ran_priv *p)
{
	rpmsg_amp_tx_waiter_stop(&p->txw);
	cancel_work_sync(&p->tx_work);
}

/* ---- ports of the device tree ------------------------------------------- */

/* Locally administered, stable across boots and different on the two
 * sides: 02:72:<role>:<channel>:<address>.
 */
static void ran_set_mac(struct ran_priv *p)
{
	u8 mac[ETH_ALEN];

	mac[0] = 0x02;
	mac[1] = 0x72;
	mac[2] = rpmsg_amp_channel_is_master(p->ch) ? 0x01 : 0x02;
	mac[3] = p->index & 0xff;
	mac[4] = (p->addr >> 8) & 0xff;
	mac[5] = p->addr & 0xff;
	eth_hw_addr_set(p->ndev, mac);
}

/* Does the channel's device tree list @addr as @kind? */
static bool ran_listed(struct rpmsg_amp_channel *ch, const char *kind, u32 addr)
{
	const u32 *addrs;
	unsigned int i, n;

	n = rpmsg_amp_channel_epts(ch, kind, &addrs);
	for (i = 0; i < n; i++)
		if (addrs[i] == addr)
			return true;
	return false;
}

static int ran_create(struct rpmsg_amp_channel *ch, u32 addr)
{
	struct ran_priv *p;
	int ret;

	p = ran_alloc(rpmsg_amp_channel_dev(ch), true,
		      rpmsg_amp_channel_index(ch), addr);
	if (IS_ERR(p))
		return PTR_ERR(p);
	p->ch = ch;
	ran_set_mac(p);
	ret = ran_set_payload(p, !ran_listed(ch, "eth-single", addr),
			      rpmsg_amp_channel_mtu(ch));
	if (!ret)
		ret = ran_register(p);
	if (ret) {
		ran_free(p);
		return ret;
	}
	list_add_tail(&p->dt_node, &ran_dt_ports);
	spin_lock(&ran_lock);
	list_add_tail(&p->node, &ran_ports);
	ran_update_carrier(p);
	spin_unlock(&ran_lock);
	return 0;
}

/* Take the endpoint away; NULL if there was none. */
static struct rpmsg_endpoint *ran_take_ept(struct ran_priv *p, bool dead)
{
	struct rpmsg_endpoint *rpept;

	down_write(&p->sem);
	rpept = p->rpept;
	p->rpept = NULL;
	if (dead)
		p->dead = true;
	up_write(&p->sem);
	return rpept;
}

/* @p is off ran_ports already. */
static void ran_destroy(struct ran_priv *p)
{
	struct rpmsg_endpoint *rpept;

	list_del(&p->dt_node);
	unregister_netdev(p->ndev);
	rpept = ran_take_ept(p, true);
	if (rpept) {
		/* best effort: a transmit buffer may not be free now */
		if (rpmsg_amp_channel_peer_up(p->ch))
			rpmsg_amp_rpmsg_announce(rpept, ran_service(p->frag),
						 true);
		rpmsg_destroy_ept(rpept);
	}
	ran_quiesce(p);
	ran_free(p);
}

static void ran_remove(struct rpmsg_amp_channel *ch)
{
	struct ran_priv *p, *tmp;

	list_for_each_entry_safe(p, tmp, &ran_dt_ports, dt_node) {
		if (p->ch != ch)
			continue;
		spin_lock(&ran_lock);
		list_del(&p->node);
		spin_unlock(&ran_lock);
		ran_destroy(p);
	}
}

static int ran_add(struct rpmsg_amp_channel *ch)
{
	const u32 *addrs;
	unsigned int n, i;
	int ret;

	n = rpmsg_amp_channel_epts(ch, "eth", &addrs);
	for (i = 0; i < n; i++) {
		ret = ran_create(ch, addrs[i]);
		if (ret) {
			ran_remove(ch);
			return ret;
		}
	}
	return 0;
}

static void ran_link_up(struct rpmsg_amp_channel *ch,
			struct rpmsg_device *rpdev)
{
	struct rpmsg_channel_info chinfo = {
		.dst = RPMSG_ADDR_ANY,
	};
	struct rpmsg_endpoint *rpept;
	struct ran_priv *p;

	list_for_each_entry(p, &ran_dt_ports, dt_node) {
		if (p->ch != ch)
			continue;
		strscpy(chinfo.name, ran_service(p->frag), sizeof(chinfo.name));
		chinfo.src = p->addr;
		rpept = rpmsg_create_ept(rpdev, ran_rpmsg_rx, p, chinfo);
		if (!rpept) {
			netdev_err(p->ndev, "no endpoint at %u on %s\n",
				   p->addr, dev_name(&rpdev->dev));
			continue;
		}
		down_write(&p->sem);
		p->rpept = rpept;
		up_write(&p->sem);
		/* announce, and send what waited for the link */
		if (rpmsg_amp_channel_peer_up(ch))
			ran_queue_announce(p);
		else
			queue_work(ran_wq, &p->tx_work);
	}
}

static void ran_link_down(struct rpmsg_amp_channel *ch)
{
	struct rpmsg_endpoint *rpept;
	struct ran_priv *p;

	list_for_each_entry(p, &ran_dt_ports, dt_node) {
		if (p->ch != ch)
			continue;
		rpept = ran_take_ept(p, false);
		if (rpept)
			rpmsg_destroy_ept(rpept);
	}
}

static void ran_peer_changed(struct rpmsg_amp_channel *ch, bool up)
{
	struct ran_priv *p;

	list_for_each_entry(p, &ran_dt_ports, dt_node) {
		if (p->ch != ch)
			continue;
		if (up)
			ran_queue_announce(p);
		spin_lock(&ran_lock);
		ran_update_carrier(p);
		spin_unlock(&ran_lock);
	}
}

static struct rpmsg_amp_client ran_client = {
	.name = DRV_NAME,
	.add = ran_add,
	.remove = ran_remove,
	.peer_changed = ran_peer_changed,
	.link_up = ran_link_up,
	.link_down = ran_link_down,
};

/* ---- ports of rpmsg devices ---------------------------------------------- */

static void ran_free_work(struct work_struct *work)
{
	struct ran_priv *p = container_of(work, struct ran_priv, free_work);

	unregister_netdev(p->ndev);
	ran_quiesce(p);
	ran_free(p);
}

static struct ran_priv *ran_create_rpdev(struct rpmsg_device *rpdev,
					 int index, u32 addr, bool frag)
{
	struct rpmsg_channel_info chinfo = {
		.src = addr,
		.dst = RPMSG_ADDR_ANY,
	};
	struct ran_priv *p;
	ssize_t mtu;
	int ret;

	p = ran_alloc(&rpdev->dev, false, index, addr);
	if (IS_ERR(p))
		return p;
	/* nothing names this side of the link: a MAC of its own each time */
	eth_hw_addr_random(p->ndev);
	strscpy(chinfo.name, rpdev->id.name, sizeof(chinfo.name));
	p->rpept = rpmsg_create_ept(rpdev, ran_rpmsg_rx, p, chinfo);
	if (!p->rpept) {
		dev_err(&rpdev->dev, "%s: address %u taken on this side\n",
			p->ndev->name, addr);
		ret = -EBUSY;
		goto err_free;
	}
	mtu = rpmsg_amp_get_mtu(p->rpept);
	ret = ran_set_payload(p, frag, mtu > 0 ? mtu : RAN_DEF_PAYLOAD);
	if (!ret)
		ret = ran_register(p);
	if (ret)
		goto err_ept;
	INIT_WORK(&p->free_work, ran_free_work);
	return p;

err_ept:
	rpmsg_destroy_ept(p->rpept);
err_free:
	ran_free(p);
	return ERR_PTR(ret);
}

/* The device goes: so do the endpoint and, through ran_wq, the net device.
 * The rpmsg core may remove devices under the channel's locks, which the
 * RTNL nests outside of elsewhere, so unregister_netdev() waits for the
 * work; the net device has no parent in sysfs that could go first. @p is
 * off ran_ports already, and p->log is not used after this.
 */
static void ran_detach_rpdev(struct ran_priv *p)
{
	struct rpmsg_endpoint *rpept;

	rpept = ran_take_ept(p, true);
	netif_carrier_off(p->ndev);
	/* best effort: the bus may be going away */
	if (test_bit(RAN_ANNOUNCED, &p->flags))
		rpmsg_amp_rpmsg_announce(rpept, ran_service(p->frag), true);
	/* the bus's wait queue may go with the device */
	ran_quiesce(p);
	rpmsg_destroy_ept(rpept);
	queue_work(ran_wq, &p->free_work);
}

/* A port of (index, addr) exists with the other framing: refuse @rpdev. */
static int ran_framing_differs(struct rpmsg_device *rpdev, int index,
			       u32 addr, bool frag)
{
	dev_err(&rpdev->dev, "%s at %u refused: rpmsg%d_%u carries %s, this service %s\n",
		rpdev->id.name, addr, index, addr, ran_framing(!frag),
		ran_framing(frag));
	return -EPROTO;
}

static int ran_probe(struct rpmsg_device *rpdev)
{
	bool peer = rpdev->src == RPMSG_ADDR_ANY;
	bool frag = !strcmp(rpdev->id.name, RPMSG_AMP_NET_FRAG_SERVICE);
	u32 addr = peer ? rpdev->dst : rpdev->src;
	int index = rpmsg_amp_rpdev_index(rpdev);
	struct ran_priv *p, *own = NULL;
	struct ran_bind *b;
	bool listed;

	if (index < 0) {
		dev_err(&rpdev->dev, "%s at %u refused: not on a virtio rpmsg bus, no name for it\n",
			rpdev->id.name, addr);
		return index;
	}
	if (addr >= RPMSG_AMP_RESERVED_ADDRS) {
		dev_err(&rpdev->dev, "%s at %u refused: frames go between equal static addresses, below %u\n",
			rpdev->id.name, addr, RPMSG_AMP_RESERVED_ADDRS);
		return -EINVAL;
	}
	listed = rpmsg_amp_rpdev_listed(rpdev, "eth", addr);
	if (listed && !peer) {
		dev_err(&rpdev->dev, "%s at %u refused: rpmsg%d_%u is in the device tree\n",
			rpdev->id.name, addr, index, addr);
		return -EBUSY;
	}
	if (listed && rpmsg_amp_rpdev_listed(rpdev, "eth-single", addr) == frag)
		return ran_framing_differs(rpdev, index, addr, frag);
	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	b->index = index;
	b->addr = addr;
	b->peer = peer;

	/* a port of the device tree exists, or is about to */
	spin_lock(&ran_lock);
	p = listed ? NULL : ran_find(index, addr);
	spin_unlock(&ran_lock);
	if (p && p->frag != frag) {
		kfree(b);
		return ran_framing_differs(rpdev, index, addr, frag);
	}
	if (!listed && !p) {
		own = ran_create_rpdev(rpdev, index, addr, frag);
		if (IS_ERR(own)) {
			kfree(b);
			return PTR_ERR(own);
		}
	}

	spin_lock(&ran_lock);
	if (own && ran_find(index, addr)) {
		/* another device of this address won the race: bind beside it */
		spin_unlock(&ran_lock);
		ran_detach_rpdev(own);
		own = NULL;
		spin_lock(&ran_lock);
		p = ran_find(index, addr);
		if (p && p->frag != frag) {
			spin_unlock(&ran_lock);
			kfree(b);
			return ran_framing_differs(rpdev, index, addr, frag);
		}
	}
	list_add_tail(&b->node, &ran_binds);
	if (own) {
		list_add_tail(&own->node, &ran_ports);
		b->own = own;
	}
	p = ran_find(index, addr);
	if (p)
		ran_update_carrier(p);
	spin_unlock(&ran_lock);
	if (own)
		ran_queue_announce(own);
	dev_set_drvdata(&rpdev->dev, b);
	return 0;
}

static void ran_unbind(struct rpmsg_device *rpdev)
{
	struct ran_bind *b = dev_get_drvdata(&rpdev->dev);
	struct ran_priv *p;

	spin_lock(&ran_lock);
	list_del(&b->node);
	if (b->own)
		list_del(&b->own->node);
	p = ran_find(b->index, b->addr);
	if (p)
		ran_update_carrier(p);
	spin_unlock(&ran_lock);
	if (b->own)
		ran_detach_rpdev(b->own);
	kfree(b);
}

static const struct rpmsg_device_id ran_ids[] = {
	{ .name = RPMSG_AMP_NET_FRAG_SERVICE },
	{ .name = RPMSG_AMP_NET_SERVICE },
	{ },
};
MODULE_DEVICE_TABLE(rpmsg, ran_ids);

static struct rpmsg_driver ran_driver = {
	.drv.name = KBUILD_MODNAME,
	.id_table = ran_ids,
	.probe = ran_probe,
	.remove = ran_unbind,
};

/* The ports of the device tree first: an announcement of an address the
 * device tree lists then finds its port.
 */
static int __init ran_init(void)
{
	int ret;

	ran_wq = alloc_workqueue(DRV_NAME, WQ_UNBOUND, 0);
	if (!ran_wq)
		return -ENOMEM;
	ret = rpmsg_amp_register_client(&ran_client);
	if (ret)
		goto err_wq;
	ret = register_rpmsg_driver(&ran_driver);
	if (ret)
		goto err_client;
	return 0;

err_client:
	rpmsg_amp_unregister_client(&ran_client);
err_wq:
	destroy_workqueue(ran_wq);
	return ret;
}
module_init(ran_init);

static void __exit ran_exit(void)
{
	unregister_rpmsg_driver(&ran_driver);
	rpmsg_amp_unregister_client(&ran_client);
	/* the net devices of the rpmsg devices that went */
	destroy_workqueue(ran_wq);
}
module_exit(ran_exit);

MODULE_DESCRIPTION("Ethernet devices rpmsgN_M over RPMsg endpoints");
MODULE_AUTHOR("rpmsg_amp developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(DRV_VERSION);

// SPDX-License-Identifier: GPL-2.0
/*
 * rpmsg_amp_net - Ethernet devices rpmsgN_M over RPMsg endpoints
 *
 * One net device (a port) per endpoint address M. Each Ethernet frame
 * travels as one RPMsg message from address M to address M on the other
 * core, so the MTU is the message payload minus the Ethernet header (482
 * with 512-byte buffers).
 *
 * Ports come from two places:
 *  - a channel's eth-dev-endpoints in the device tree: the port lives as
 *    long as the channel, across restarts of the other side; while the
 *    channel's rpmsg bus is up (rpmsg_amp_client link_up to link_down) its
 *    endpoint is an rpmsg endpoint at M on the device the channel hands
 *    over;
 *  - an rpmsg device named RPMSG_AMP_NET_SERVICE on any rpmsg bus (this is
 *    an rpmsg driver): one the other side announced at M, or one made on
 *    this side through rpmsg_ctrl (RPMSG_CREATE_DEV_IOCTL, local address
 *    M). The port lives as long as that device; its endpoint is an rpmsg
 *    endpoint at M on it. N is rpmsg_amp_rpdev_index().
 *
 * Each side announces RPMSG_AMP_NET_SERVICE at M for each of its ports and
 * withdraws it when the port goes. The other side's announcement is an
 * rpmsg device with destination M bound here (a "peer" binding); a port
 * has carrier while one exists and, for a port of the device tree, the
 * channel's peer is present.
 *
 * Sending to the other core may sleep (the rpmsg core and the remote
 * transport serialise with mutexes), so ndo_start_xmit() only queues and a
 * work item sends; the queue stops when the work falls behind or the ring
 * is full and wakes when it drains. A work item that finds no transmit
 * buffer waits for one (rpmsg_amp_tx_waiter: queued again when the bus
 * frees a buffer). Received frames go through NAPI.
 */
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/poll.h>
#include <linux/rpmsg.h>
#include <linux/rpmsg_amp.h>
#include <linux/rpmsg_amp_compat.h>
#include <linux/rwsem.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#define DRV_NAME	"rpmsg_amp_net"
#define DRV_VERSION	RPMSG_AMP_VERSION
#define RAN_TXQ_STOP	64	/* frames queued before the queue stops */
#define RAN_RXQ_MAX	1024	/* frames waiting for NAPI before drops */
/* A bus that cannot tell its MTU (or a kernel before 5.14): 512 - 16. */
#define RAN_DEF_PAYLOAD	496

enum {
	RAN_ANNOUNCE,		/* our announcement is still to be sent */
	RAN_ANNOUNCED,		/* it was sent: withdraw it when we go */
};

/* Why frames were dropped or waited: ethtool -S, in this order. */
enum ran_cause {
	RAN_RX_BAD_LENGTH,	/* shorter than a header, longer than the MTU */
	RAN_RX_QUEUE_FULL,	/* RAN_RXQ_MAX frames waited for NAPI */
	RAN_RX_NO_MEMORY,
	RAN_TX_TOO_LONG,	/* over the MTU, or not linearisable */
	RAN_TX_NO_CARRIER,
	RAN_TX_SEND_ERRORS,	/* the bus refused the message */
	RAN_TX_PURGED,		/* queued when the interface went down */
	RAN_TX_RING_FULL,	/* waits for a transmit buffer */
	RAN_TX_NO_LINK,		/* waits for the channel's bus */
	RAN_N_CAUSES
};

static const char ran_cause_names[RAN_N_CAUSES][ETH_GSTRING_LEN] = {
	"rx_bad_length", "rx_queue_full", "rx_no_memory",
	"tx_too_long", "tx_no_carrier", "tx_send_errors", "tx_purged",
	"tx_ring_full_waits", "tx_no_link_waits",
};

struct ran_priv {
	struct net_device *ndev;
	struct list_head node;		/* ran_ports, under ran_lock */
	int index;			/* N */
	u32 addr;			/* M */
	unsigned long flags;
	char bus_info[ETHTOOL_BUSINFO_LEN];
	struct device *log;		/* errors are logged against it */

	/* a port of the device tree: its channel, on ran_dt_ports */
	struct rpmsg_amp_channel *ch;
	struct list_head dt_node;
	/* a port of an rpmsg device: freed by this work */
	struct work_struct free_work;

	struct rw_semaphore sem;	/* rpept in use; dead */
	struct rpmsg_endpoint *rpept;	/* NULL while there is none */
	bool dead;
	struct rpmsg_amp_tx_waiter txw;	/* armed under sem */

	struct napi_struct napi;
	struct sk_buff_head rxq;
	struct sk_buff_head txq;
	struct work_struct tx_work;

	atomic64_t rx_packets, rx_bytes, rx_dropped, rx_length_errors;
	atomic64_t tx_packets, tx_bytes, tx_dropped, tx_errors;
	atomic64_t cause[RAN_N_CAUSES];
};

/* An rpmsg device bound here: a peer binding stands for the other side's
 * announcement of (index, addr); @own is the port the device brought.
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
static struct workqueue_struct *ran_wq;

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
	    (!p->ch || rpmsg_amp_channel_peer_up(p->ch)))
		netif_carrier_on(p->ndev);
	else
		netif_carrier_off(p->ndev);
}

/* ---- data path ----------------------------------------------------------- */

static void ran_rx(void *priv, const void *data, size_t len, u32 src)
{
	struct ran_priv *p = priv;
	struct net_device *ndev = p->ndev;
	struct sk_buff *skb;

	if (len < ETH_HLEN || len > ETH_HLEN + ndev->max_mtu) {
		atomic64_inc(&p->rx_length_errors);
		atomic64_inc(&p->cause[RAN_RX_BAD_LENGTH]);
		net_dbg_ratelimited("%s: frame of %zu bytes from the other core dropped\n",
				    ndev->name, len);
		return;
	}
	if (skb_queue_len(&p->rxq) >= RAN_RXQ_MAX) {
		atomic64_inc(&p->rx_dropped);
		atomic64_inc(&p->cause[RAN_RX_QUEUE_FULL]);
		return;
	}
	skb = netdev_alloc_skb_ip_align(ndev, len);
	if (!skb) {
		atomic64_inc(&p->rx_dropped);
		atomic64_inc(&p->cause[RAN_RX_NO_MEMORY]);
		return;
	}
	skb_put_data(skb, data, len);
	skb->protocol = eth_type_trans(skb, ndev);
	skb_queue_tail(&p->rxq, skb);
	/* we run in process context: NAPI needs bottom halves off */
	local_bh_disable();
	napi_schedule(&p->napi);
	local_bh_enable();
}

static int ran_poll(struct napi_struct *napi, int budget)
{
	struct ran_priv *p = container_of(napi, struct ran_priv, napi);
	struct sk_buff *skb;
	int done = 0;

	while (done < budget && (skb = skb_dequeue(&p->rxq))) {
		atomic64_inc(&p->rx_packets);
		atomic64_add(skb->len + ETH_HLEN, &p->rx_bytes);
		napi_gro_receive(napi, skb);
		done++;
	}
	if (done < budget && napi_complete_done(napi, done) &&
	    !skb_queue_empty(&p->rxq))
		napi_schedule(napi);
	return done;
}

static int ran_rpmsg_rx(struct rpmsg_device *rpdev, void *data, int len,
			void *priv, u32 src)
{
	ran_rx(priv, data, len, src);
	return 0;
}

static bool ran_tx_pending(struct ran_priv *p)
{
	return !skb_queue_empty(&p->txq) || test_bit(RAN_ANNOUNCE, &p->flags);
}

/* A transmit buffer may have come free. */
static void ran_tx_wake(struct rpmsg_amp_tx_waiter *w)
{
	struct ran_priv *p = container_of(w, struct ran_priv, txw);

	if (ran_tx_pending(p))
		queue_work(ran_wq, &p->tx_work);
}

/* Caller holds p->sem for reading and found the port alive. */
static int ran_send(struct ran_priv *p, void *data, size_t len)
{
	if (!p->rpept)
		return -ENOTCONN;
	return rpmsg_trysendto(p->rpept, data, len, p->addr);
}

/* Would a send find a buffer now? If not, the wake-up is armed. */
static bool ran_tx_ready(struct ran_priv *p)
{
	return rpmsg_amp_tx_waiter_arm(&p->txw, p->rpept);
}

/* Caller holds p->sem and found an endpoint. */
static int ran_announce(struct ran_priv *p, bool destroy)
{
	return rpmsg_amp_rpmsg_announce(p->rpept, RPMSG_AMP_NET_SERVICE,
					destroy);
}

/* Send the announcement that is due; false to stop for now. */
static bool ran_tx_announce(struct ran_priv *p)
{
	int ret;

	clear_bit(RAN_ANNOUNCE, &p->flags);
	ret = p->rpept ? ran_announce(p, false) : -ENOTCONN;
	if (!ret) {
		set_bit(RAN_ANNOUNCED, &p->flags);
		return true;
	}
	if (ret == -ENOMEM || ret == -ENOTCONN) {
		/* a freed buffer or the link's return calls us again */
		set_bit(RAN_ANNOUNCE, &p->flags);
		return ret == -ENOMEM && ran_tx_ready(p);
	}
	netdev_err(p->ndev, "cannot announce %s at %u: %d\n",
		   RPMSG_AMP_NET_SERVICE, p->addr, ret);
	return true;
}

static void ran_tx_work(struct work_struct *work)
{
	struct ran_priv *p = container_of(work, struct ran_priv, tx_work);
	struct sk_buff *skb;
	int ret;

	down_read(&p->sem);
	while (!p->dead) {
		if (test_bit(RAN_ANNOUNCE, &p->flags)) {
			if (ran_tx_announce(p))
				continue;
			break;
		}
		skb = skb_peek(&p->txq);
		if (!skb)
			break;
		ret = ran_send(p, skb->data, skb->len);
		if (ret == -ENOTCONN) {
			/* no link: ran_link_up() queues us */
			atomic64_inc(&p->cause[RAN_TX_NO_LINK]);
			break;
		}
		if (ret == -ENOMEM) {
			/* arm the wake-up; retry at once if a buffer freed */
			if (ran_tx_ready(p))
				continue;
			atomic64_inc(&p->cause[RAN_TX_RING_FULL]);
			if (rpmsg_amp_tx_waiter_armed(&p->txw))
				break;
			/* A bus that cannot wake us (virtio_rpmsg_bus of
			 * remoteproc): wait in its blocking send (up to
			 * 15 s there, on the event of a freed buffer).
			 */
			ret = rpmsg_sendto(p->rpept, skb->data, skb->len,
					   p->addr);
		}
		skb_unlink(skb, &p->txq);
		if (ret) {
			atomic64_inc(&p->tx_errors);
			atomic64_inc(&p->cause[RAN_TX_SEND_ERRORS]);
			kfree_skb(skb);
		} else {
			atomic64_inc(&p->tx_packets);
			atomic64_add(skb->len, &p->tx_bytes);
			consume_skb(skb);
		}
	}
	up_read(&p->sem);
	if (skb_queue_len(&p->txq) < RAN_TXQ_STOP / 2 &&
	    netif_queue_stopped(p->ndev))
		netif_wake_queue(p->ndev);
}

static netdev_tx_t ran_start_xmit(struct sk_buff *skb, struct net_device *ndev)
{
	struct ran_priv *p = netdev_priv(ndev);

	if (skb->len > ETH_HLEN + ndev->mtu || skb_linearize(skb)) {
		atomic64_inc(&p->tx_errors);
		atomic64_inc(&p->cause[RAN_TX_TOO_LONG]);
		dev_kfree_skb_any(skb);
		return NETDEV_TX_OK;
	}
	if (!netif_carrier_ok(ndev)) {
		atomic64_inc(&p->tx_dropped);
		atomic64_inc(&p->cause[RAN_TX_NO_CARRIER]);
		dev_kfree_skb_any(skb);
		return NETDEV_TX_OK;
	}
	skb_queue_tail(&p->txq, skb);
	if (skb_queue_len(&p->txq) >= RAN_TXQ_STOP)
		netif_stop_queue(ndev);
	queue_work(ran_wq, &p->tx_work);
	return NETDEV_TX_OK;
}

/* Frames still queued go, counted. */
static void ran_purge(struct ran_priv *p)
{
	unsigned int n = skb_queue_len(&p->txq);

	atomic64_add(n, &p->tx_dropped);
	atomic64_add(n, &p->cause[RAN_TX_PURGED]);
	skb_queue_purge(&p->txq);
	skb_queue_purge(&p->rxq);
}

static int ran_open(struct net_device *ndev)
{
	struct ran_priv *p = netdev_priv(ndev);

	napi_enable(&p->napi);
	netif_start_queue(ndev);
	return 0;
}

static int ran_stop(struct net_device *ndev)
{
	struct ran_priv *p = netdev_priv(ndev);

	netif_stop_queue(ndev);
	napi_disable(&p->napi);
	cancel_work_sync(&p->tx_work);
	ran_purge(p);
	/* the announcement goes whether the interface is up or not */
	if (ran_tx_pending(p))
		queue_work(ran_wq, &p->tx_work);
	return 0;
}

static void ran_get_stats64(struct net_device *ndev,
			    struct rtnl_link_stats64 *s)
{
	struct ran_priv *p = netdev_priv(ndev);

	s->rx_packets = atomic64_read(&p->rx_packets);
	s->rx_bytes = atomic64_read(&p->rx_bytes);
	s->rx_dropped = atomic64_read(&p->rx_dropped);
	s->rx_length_errors = atomic64_read(&p->rx_length_errors);
	s->rx_errors = s->rx_length_errors;
	s->tx_packets = atomic64_read(&p->tx_packets);
	s->tx_bytes = atomic64_read(&p->tx_bytes);
	s->tx_dropped = atomic64_read(&p->tx_dropped);
	s->tx_errors = atomic64_read(&p->tx_errors);
}

static const struct net_device_ops ran_netdev_ops = {
	.ndo_open = ran_open,
	.ndo_stop = ran_stop,
	.ndo_start_xmit = ran_start_xmit,
	.ndo_get_stats64 = ran_get_stats64,
	.ndo_set_mac_address = eth_mac_addr,
	.ndo_validate_addr = eth_validate_addr,
};

static void ran_get_drvinfo(struct net_device *ndev,
			    struct ethtool_drvinfo *info)
{
	struct ran_priv *p = netdev_priv(ndev);

	strscpy(info->driver, DRV_NAME, sizeof(info->driver));
	strscpy(info->version, DRV_VERSION, sizeof(info->version));
	strscpy(info->bus_info, p->bus_info, sizeof(info->bus_info));
}

static int ran_get_sset_count(struct net_device *ndev, int sset)
{
	return sset == ETH_SS_STATS ? RAN_N_CAUSES : -EOPNOTSUPP;
}

static void ran_get_strings(struct net_device *ndev, u32 sset, u8 *data)
{
	if (sset == ETH_SS_STATS)
		memcpy(data, ran_cause_names, sizeof(ran_cause_names));
}

static void ran_get_ethtool_stats(struct net_device *ndev,
				  struct ethtool_stats *stats, u64 *data)
{
	struct ran_priv *p = netdev_priv(ndev);
	int i;

	for (i = 0; i < RAN_N_CAUSES; i++)
		data[i] = atomic64_read(&p->cause[i]);
}

/* The queues of this driver: read-only, the ring is the channel's. */
static void ran_ringparam(struct net_device *ndev,
			  struct ethtool_ringparam *ring)
{
	ring->rx_max_pending = RAN_RXQ_MAX;
	ring->rx_pending = RAN_RXQ_MAX;
	ring->tx_max_pending = RAN_TXQ_STOP;
	ring->tx_pending = RAN_TXQ_STOP;
}

RPMSG_AMP_GET_RINGPARAM(ran_get_ringparam, ran_ringparam)

static const struct ethtool_ops ran_ethtool_ops = {
	.get_drvinfo = ran_get_drvinfo,
	.get_link = ethtool_op_get_link,
	.get_sset_count = ran_get_sset_count,
	.get_strings = ran_get_strings,
	.get_ethtool_stats = ran_get_ethtool_stats,
	.get_ringparam = ran_get_ringparam,
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
	p->index = index;
	p->addr = addr;
	p->log = dev;
	strscpy(p->bus_info, dev_name(dev), sizeof(p->bus_info));
	init_rwsem(&p->sem);
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
	if (parent)
		SET_NETDEV_DEV(ndev, dev);
	netif_carrier_off(ndev);
	return p;
}

/* One frame per message: the MTU is what a message carries. */
static int ran_set_payload(struct ran_priv *p, size_t payload)
{
	if (payload < ETH_HLEN + ETH_MIN_MTU) {
		dev_err(p->log, "%s: buffers too small for Ethernet (payload %zu)\n",
			p->ndev->name, payload);
		return -EINVAL;
	}
	p->ndev->max_mtu = payload - ETH_HLEN;
	p->ndev->mtu = p->ndev->max_mtu;
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
	netif_napi_del(&p->napi);
	free_netdev(p->ndev);
}

/* No wake-up queues the transmit work after this, and it is not running. */
static void ran_quiesce(struct ran_priv *p)
{
	rpmsg_amp_tx_waiter_stop(&p->txw);
	cancel_work_sync(&p->tx_work);
}

/* Have the work send our announcement (now, or once the link can). */
static void ran_queue_announce(struct ran_priv *p)
{
	set_bit(RAN_ANNOUNCE, &p->flags);
	queue_work(ran_wq, &p->tx_work);
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
	ret = ran_set_payload(p, rpmsg_amp_channel_mtu(ch));
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
			rpmsg_amp_rpmsg_announce(rpept, RPMSG_AMP_NET_SERVICE,
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
		.name = RPMSG_AMP_NET_SERVICE,
		.dst = RPMSG_ADDR_ANY,
	};
	struct rpmsg_endpoint *rpept;
	struct ran_priv *p;

	list_for_each_entry(p, &ran_dt_ports, dt_node) {
		if (p->ch != ch)
			continue;
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
					 int index, u32 addr)
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
	ret = ran_set_payload(p, mtu > 0 ? mtu : RAN_DEF_PAYLOAD);
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
		rpmsg_amp_rpmsg_announce(rpept, RPMSG_AMP_NET_SERVICE, true);
	/* the bus's wait queue may go with the device */
	ran_quiesce(p);
	rpmsg_destroy_ept(rpept);
	queue_work(ran_wq, &p->free_work);
}

static int ran_probe(struct rpmsg_device *rpdev)
{
	bool peer = rpdev->src == RPMSG_ADDR_ANY;
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
	if (!listed && !p) {
		own = ran_create_rpdev(rpdev, index, addr);
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

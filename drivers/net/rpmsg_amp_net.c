// SPDX-License-Identifier: GPL-2.0
/*
 * rpmsg_amp_net - Ethernet devices rpmsgN_M over rpmsg_amp endpoints
 *
 * One net device per address M in a channel's eth-dev-endpoints. Each
 * Ethernet frame travels as one RPMsg message from address M to address M
 * on the other core, so the MTU is the message payload minus the Ethernet
 * header (482 with 512-byte buffers).
 *
 * Each side announces RPMSG_AMP_NET_SERVICE at M through the name service
 * when its device exists and withdraws it when the device goes; the
 * carrier is up while the other side's announcement stands and the
 * channel's peer is present.
 *
 * Sending to the other core may sleep (the rpmsg core and the remote
 * transport serialise with mutexes), so ndo_start_xmit() only queues and a
 * work item sends; the queue stops when the work falls behind or the ring
 * is full and wakes when it drains. Received frames go through NAPI.
 */
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/rpmsg_amp.h>
#include <linux/rpmsg_amp_compat.h>
#include <linux/rwsem.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#define DRV_NAME	"rpmsg_amp_net"
#define DRV_VERSION	RPMSG_AMP_VERSION
#define RAN_TXQ_STOP	64	/* frames queued before the queue stops */
#define RAN_RXQ_MAX	1024	/* frames waiting for NAPI before drops */

struct ran_priv {
	struct net_device *ndev;
	struct list_head node;
	struct rpmsg_amp_channel *ch;
	struct rpmsg_amp_ept *ept;	/* NULL once dead; under sem */
	struct rw_semaphore sem;
	u32 addr;
	bool dead;
	bool remote_ept;		/* the other side announced M */

	struct napi_struct napi;
	struct sk_buff_head rxq;
	struct sk_buff_head txq;
	struct work_struct tx_work;

	atomic64_t rx_packets, rx_bytes, rx_dropped, rx_length_errors;
	atomic64_t tx_packets, tx_bytes, tx_dropped, tx_errors;
};

static DEFINE_MUTEX(ran_lock);		/* ran_devs */
static LIST_HEAD(ran_devs);

static void ran_update_carrier(struct ran_priv *p)
{
	if (p->remote_ept && rpmsg_amp_channel_peer_up(p->ch))
		netif_carrier_on(p->ndev);
	else
		netif_carrier_off(p->ndev);
}

static void ran_rx(void *priv, const void *data, size_t len, u32 src)
{
	struct ran_priv *p = priv;
	struct net_device *ndev = p->ndev;
	struct sk_buff *skb;

	if (len < ETH_HLEN || len > ETH_HLEN + ndev->max_mtu) {
		atomic64_inc(&p->rx_length_errors);
		net_dbg_ratelimited("%s: frame of %zu bytes from the other core dropped\n",
				    ndev->name, len);
		return;
	}
	if (skb_queue_len(&p->rxq) >= RAN_RXQ_MAX) {
		atomic64_inc(&p->rx_dropped);
		return;
	}
	skb = netdev_alloc_skb_ip_align(ndev, len);
	if (!skb) {
		atomic64_inc(&p->rx_dropped);
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

static void ran_tx_wake(void *priv)
{
	struct ran_priv *p = priv;

	if (!skb_queue_empty(&p->txq))
		schedule_work(&p->tx_work);
}

static void ran_tx_work(struct work_struct *work)
{
	struct ran_priv *p = container_of(work, struct ran_priv, tx_work);
	struct sk_buff *skb;
	int ret;

	down_read(&p->sem);
	while (!p->dead && (skb = skb_peek(&p->txq))) {
		ret = rpmsg_amp_trysend(p->ept, p->addr, skb->data, skb->len);
		if (ret == -ENOTCONN)
			break;	/* the link is rebuilt: ran_tx_wake() follows */
		if (ret == -ENOMEM) {
			/* arm the doorbell; retry at once if a buffer freed */
			if (rpmsg_amp_tx_ready(p->ept))
				continue;
			break;
		}
		skb_unlink(skb, &p->txq);
		if (ret) {
			atomic64_inc(&p->tx_errors);
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
		dev_kfree_skb_any(skb);
		return NETDEV_TX_OK;
	}
	if (!netif_carrier_ok(ndev)) {
		atomic64_inc(&p->tx_dropped);
		dev_kfree_skb_any(skb);
		return NETDEV_TX_OK;
	}
	skb_queue_tail(&p->txq, skb);
	if (skb_queue_len(&p->txq) >= RAN_TXQ_STOP)
		netif_stop_queue(ndev);
	schedule_work(&p->tx_work);
	return NETDEV_TX_OK;
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
	skb_queue_purge(&p->txq);
	skb_queue_purge(&p->rxq);
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
	strscpy(info->bus_info, dev_name(rpmsg_amp_channel_dev(p->ch)),
		sizeof(info->bus_info));
}

static const struct ethtool_ops ran_ethtool_ops = {
	.get_drvinfo = ran_get_drvinfo,
	.get_link = ethtool_op_get_link,
};

/* Locally administered, stable across boots and different on the two
 * sides: 02:72:<role>:<channel>:<address>.
 */
static void ran_set_mac(struct ran_priv *p)
{
	u8 mac[ETH_ALEN];

	mac[0] = 0x02;
	mac[1] = 0x72;
	mac[2] = rpmsg_amp_channel_is_master(p->ch) ? 0x01 : 0x02;
	mac[3] = rpmsg_amp_channel_index(p->ch) & 0xff;
	mac[4] = (p->addr >> 8) & 0xff;
	mac[5] = p->addr & 0xff;
	eth_hw_addr_set(p->ndev, mac);
}

static int ran_create(struct rpmsg_amp_channel *ch, u32 addr)
{
	struct device *dev = rpmsg_amp_channel_dev(ch);
	char name[IFNAMSIZ];
	struct net_device *ndev;
	struct ran_priv *p;
	size_t mtu;
	int ret;

	mtu = rpmsg_amp_channel_mtu(ch);
	if (mtu < ETH_HLEN + ETH_MIN_MTU) {
		dev_err(dev, "eth-dev-endpoints: buffers too small for Ethernet (payload %zu)\n",
			mtu);
		return -EINVAL;
	}
	snprintf(name, sizeof(name), "rpmsg%u_%u", rpmsg_amp_channel_index(ch),
		 addr);
	ndev = alloc_netdev(sizeof(*p), name, NET_NAME_PREDICTABLE,
			    ether_setup);
	if (!ndev)
		return -ENOMEM;
	p = netdev_priv(ndev);
	p->ndev = ndev;
	p->ch = ch;
	p->addr = addr;
	init_rwsem(&p->sem);
	skb_queue_head_init(&p->rxq);
	skb_queue_head_init(&p->txq);
	INIT_WORK(&p->tx_work, ran_tx_work);
	rpmsg_amp_netif_napi_add(ndev, &p->napi, ran_poll);

	ndev->netdev_ops = &ran_netdev_ops;
	ndev->ethtool_ops = &ran_ethtool_ops;
	ndev->min_mtu = ETH_MIN_MTU;
	ndev->max_mtu = mtu - ETH_HLEN;
	ndev->mtu = ndev->max_mtu;
	ndev->tx_queue_len = 1000;
	SET_NETDEV_DEV(ndev, dev);
	ran_set_mac(p);
	netif_carrier_off(ndev);

	p->ept = rpmsg_amp_ept_create(ch, addr, ran_rx, ran_tx_wake, p);
	if (IS_ERR(p->ept)) {
		ret = PTR_ERR(p->ept);
		goto err_free;
	}
	ret = register_netdev(ndev);
	if (ret) {
		dev_err(dev, "cannot register %s: %d\n", name, ret);
		goto err_ept;
	}
	mutex_lock(&ran_lock);
	list_add_tail(&p->node, &ran_devs);
	p->remote_ept = rpmsg_amp_service_present(ch, RPMSG_AMP_NET_SERVICE,
						  addr);
	ran_update_carrier(p);
	mutex_unlock(&ran_lock);
	if (rpmsg_amp_channel_peer_up(ch))
		rpmsg_amp_announce(p->ept, RPMSG_AMP_NET_SERVICE, false);
	return 0;

err_ept:
	rpmsg_amp_ept_destroy(p->ept);
err_free:
	netif_napi_del(&p->napi);
	free_netdev(ndev);
	return ret;
}

static void ran_destroy(struct ran_priv *p)
{
	if (rpmsg_amp_channel_peer_up(p->ch))
		rpmsg_amp_announce(p->ept, RPMSG_AMP_NET_SERVICE, true);
	unregister_netdev(p->ndev);
	down_write(&p->sem);
	p->dead = true;
	up_write(&p->sem);
	rpmsg_amp_ept_destroy(p->ept);
	cancel_work_sync(&p->tx_work);
	skb_queue_purge(&p->txq);
	skb_queue_purge(&p->rxq);
	netif_napi_del(&p->napi);
	free_netdev(p->ndev);
}

static void ran_remove(struct rpmsg_amp_channel *ch)
{
	struct ran_priv *p, *tmp;

	mutex_lock(&ran_lock);
	list_for_each_entry_safe(p, tmp, &ran_devs, node) {
		if (p->ch != ch)
			continue;
		list_del(&p->node);
		ran_destroy(p);
	}
	mutex_unlock(&ran_lock);
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

static void ran_peer_changed(struct rpmsg_amp_channel *ch, bool up)
{
	struct ran_priv *p;

	mutex_lock(&ran_lock);
	list_for_each_entry(p, &ran_devs, node) {
		if (p->ch != ch)
			continue;
		if (up)
			rpmsg_amp_announce(p->ept, RPMSG_AMP_NET_SERVICE,
					   false);
		else
			p->remote_ept = false;
		ran_update_carrier(p);
	}
	mutex_unlock(&ran_lock);
}

static void ran_ns_event(struct rpmsg_amp_channel *ch, const char *name,
			 u32 addr, bool up)
{
	struct ran_priv *p;

	if (strcmp(name, RPMSG_AMP_NET_SERVICE))
		return;
	mutex_lock(&ran_lock);
	list_for_each_entry(p, &ran_devs, node) {
		if (p->ch == ch && p->addr == addr) {
			p->remote_ept = up;
			ran_update_carrier(p);
		}
	}
	mutex_unlock(&ran_lock);
}

static struct rpmsg_amp_client ran_client = {
	.name = DRV_NAME,
	.add = ran_add,
	.remove = ran_remove,
	.peer_changed = ran_peer_changed,
	.ns_event = ran_ns_event,
};

static int __init ran_init(void)
{
	return rpmsg_amp_register_client(&ran_client);
}
module_init(ran_init);

static void __exit ran_exit(void)
{
	rpmsg_amp_unregister_client(&ran_client);
}
module_exit(ran_exit);

MODULE_DESCRIPTION("Ethernet devices rpmsgN_M over rpmsg_amp endpoints");
MODULE_AUTHOR("rpmsg_amp developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(DRV_VERSION);

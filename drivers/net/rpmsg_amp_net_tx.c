// SPDX-License-Identifier: GPL-2.0
/*
 * rpmsg_amp_net - transmit: frames become messages to the other core
 *
 * Sending may sleep (the rpmsg core and the remote transport serialise
 * with mutexes), so ndo_start_xmit() only queues and a work item sends:
 * it cuts each frame into fragments (or sends it whole), keeps its
 * offloads where the other side takes them, and sends the port's
 * name-service announcement when one is due. The queue stops when the
 * work falls behind or the ring is full and wakes when it drains; BQL
 * bounds the bytes queued. A work item that finds no transmit buffer
 * waits for one (rpmsg_amp_tx_waiter: queued again when the bus frees
 * a buffer).
 *
 * A queue stopped for the watchdog's time (the other core is there but
 * takes nothing) is the transmit timeout: what waits is dropped, and so is
 * every frame sent until the other core takes a message again, so that
 * senders learn at once instead of queueing behind it.
 */
#include <linux/etherdevice.h>
#include <linux/rpmsg_amp.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "rpmsg_amp_net.h"
#include "rpmsg_amp_net_wire.h"

struct workqueue_struct *ran_wq;

bool ran_tx_pending(struct ran_priv *p)
{
	return !skb_queue_empty(&p->txq) || test_bit(RAN_ANNOUNCE, &p->flags) ||
	       test_bit(RAN_TX_STALLED, &p->flags);
}

/* A transmit buffer may have come free. */
void ran_tx_wake(struct rpmsg_amp_tx_waiter *w)
{
	struct ran_priv *p = container_of(w, struct ran_priv, txw);

	if (ran_tx_pending(p))
		queue_work(ran_wq, &p->tx_work);
}

/* Caller holds p->sem for reading and found the port alive. */
static int ran_send(struct ran_priv *p, const void *data, size_t len)
{
	if (!p->rpept)
		return -ENOTCONN;
	return rpmsg_trysendto(p->rpept, (void *)data, len, p->addr);
}

/* Would a send find a buffer now? If not, the wake-up is armed. */
static bool ran_tx_ready(struct ran_priv *p)
{
	return rpmsg_amp_tx_waiter_arm(&p->txw, p->rpept);
}

/* Caller holds p->sem and found an endpoint. */
static int ran_announce(struct ran_priv *p, bool destroy)
{
	return rpmsg_amp_rpmsg_announce(p->rpept, ran_service(p->frag),
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
		   ran_service(p->frag), p->addr, ret);
	return true;
}

/* The next message of the head frame, from p->tx_off on: the frame
 * itself where it is one linear message, else built in p->txbuf.
 * Return: the message; *@len its length, *@n the frame's bytes in it.
 */
static const void *ran_build(struct ran_priv *p, struct sk_buff *skb,
			     size_t *len, u32 *n)
{
	struct rpmsg_amp_net_frag *h = (void *)p->txbuf;
	u16 flags = 0;

	if (!p->frag) {
		/* the MTU keeps every frame within one message */
		*n = skb->len;
		*len = skb->len;
		if (!skb_is_nonlinear(skb))
			return skb->data;
		skb_copy_bits(skb, 0, p->txbuf, skb->len);
		return p->txbuf;
	}
	*n = min_t(u32, skb->len - p->tx_off, p->payload - sizeof(*h));
	memset(h, 0, sizeof(*h));
	if (p->ndev->features & NETIF_F_RXCSUM)
		flags |= RPMSG_AMP_NET_F_OFFLOAD_OK;
	/* ran_tx_prepare() made sure this works */
	if (!p->tx_off && skb->ip_summed == CHECKSUM_PARTIAL &&
	    virtio_net_hdr_from_skb(skb, &h->vnet, true, false, 0))
		memset(&h->vnet, 0, sizeof(h->vnet));
	h->seq = cpu_to_le16(p->tx_seq);
	h->flags = cpu_to_le16(flags);
	h->frame_len = cpu_to_le32(skb->len);
	h->offset = cpu_to_le32(p->tx_off);
	skb_copy_bits(skb, p->tx_off, h + 1, *n);
	*len = sizeof(*h) + *n;
	return h;
}

/* Before a frame's first message: a checksum the peer will not fill in is
 * filled in here. A TCP packet to cut that the peer no longer takes (it
 * went between ran_features_check() and now) is dropped: TCP sends it
 * again, cut. Return: false to drop the frame.
 */
static bool ran_tx_prepare(struct ran_priv *p, struct sk_buff *skb)
{
	bool offload = p->frag && READ_ONCE(p->peer_offload_ok);

	if (skb_is_gso(skb)) {
		if (!offload || skb->ip_summed != CHECKSUM_PARTIAL) {
			ran_count(p, RAN_TX_OFFLOAD_ERRORS);
			return false;
		}
		ran_count(p, RAN_TX_GSO);
	}
	if (skb->ip_summed != CHECKSUM_PARTIAL)
		return true;
	if (offload) {
		ran_count(p, RAN_TX_CSUM_PARTIAL);
		return true;
	}
	if (!skb_checksum_help(skb))
		return true;
	ran_count(p, RAN_TX_OFFLOAD_ERRORS);
	return false;
}

/* The head frame is done with: sent whole, or dropped. */
static void ran_tx_done(struct ran_priv *p, struct sk_buff *skb, bool sent)
{
	struct ran_pcpu_stats *st;
	unsigned int len = skb->len;

	skb_unlink(skb, &p->txq);
	netdev_completed_queue(p->ndev, 1, len);
	p->tx_off = 0;
	p->tx_seq++;
	if (!sent) {
		kfree_skb(skb);
		return;
	}
	/* the receive side updates these from NAPI, on this CPU too */
	local_bh_disable();
	st = this_cpu_ptr(p->stats);
	u64_stats_update_begin(&st->syncp);
	u64_stats_inc(&st->tx_packets);
	u64_stats_add(&st->tx_bytes, len);
	u64_stats_update_end(&st->syncp);
	local_bh_enable();
	consume_skb(skb);
}

/* Frames still queued to send go, counted; the work is not sending. */
void ran_purge(struct ran_priv *p)
{
	atomic64_add(skb_queue_len(&p->txq), &p->cause[RAN_TX_PURGED]);
	skb_queue_purge(&p->txq);
	netdev_reset_queue(p->ndev);
	p->tx_off = 0;
	p->tx_seq++;
}

/* Caller holds p->sem. After a transmit timeout: drop what waits, and go
 * on dropping until a transmit buffer is free. Return: still stalled.
 */
static bool ran_tx_stalled(struct ran_priv *p)
{
	/* ran_start_xmit() may be queueing: BQL wants its lock */
	netif_tx_lock_bh(p->ndev);
	ran_purge(p);
	netif_tx_unlock_bh(p->ndev);
	/* a bus that cannot wake us: send again, and time out again */
	if (p->rpept && !ran_tx_ready(p) &&
	    rpmsg_amp_tx_waiter_armed(&p->txw))
		return true;
	clear_bit(RAN_TX_STALLED, &p->flags);
	netdev_info(p->ndev, "the other core takes messages again\n");
	return false;
}

void ran_tx_work(struct work_struct *work)
{
	struct ran_priv *p = container_of(work, struct ran_priv, tx_work);
	struct sk_buff *skb;
	const void *msg;
	size_t len;
	u32 n;
	int ret;

	down_read(&p->sem);
	while (!p->dead) {
		/* a frame of 64 KiB is 139 messages: let others run */
		cond_resched();
		if (test_bit(RAN_TX_STALLED, &p->flags) && ran_tx_stalled(p))
			break;
		if (test_bit(RAN_ANNOUNCE, &p->flags)) {
			if (ran_tx_announce(p))
				continue;
			break;
		}
		skb = skb_peek(&p->txq);
		if (!skb)
			break;
		if (!p->tx_off && !ran_tx_prepare(p, skb)) {
			ran_tx_done(p, skb, false);
			continue;
		}
		msg = ran_build(p, skb, &len, &n);
		ret = ran_send(p, msg, len);
		if (ret == -ENOTCONN) {
			/* no link: ran_link_up() queues us; the frame starts
			 * again from its first fragment on the new bus
			 */
			atomic64_inc(&p->cause[RAN_TX_NO_LINK]);
			p->tx_off = 0;
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
			ret = rpmsg_sendto(p->rpept, (void *)msg, len,
					   p->addr);
		}
		if (ret) {
			/* a frame cut short: the receiver drops its start */
			ran_count(p, RAN_TX_SEND_ERRORS);
			ran_tx_done(p, skb, false);
			continue;
		}
		if (p->frag)
			ran_count(p, RAN_TX_FRAGMENTS);
		p->tx_off += n;
		if (p->tx_off >= skb->len)
			ran_tx_done(p, skb, true);
	}
	up_read(&p->sem);
	if (skb_queue_len(&p->txq) < RAN_TXQ_STOP / 2 &&
	    netif_queue_stopped(p->ndev))
		netif_wake_queue(p->ndev);
}

netdev_tx_t ran_start_xmit(struct sk_buff *skb, struct net_device *ndev)
{
	struct ran_priv *p = netdev_priv(ndev);

	if (skb->len > ETH_HLEN + (skb_is_gso(skb) ? RAN_FRAG_MTU : ndev->mtu)) {
		ran_count(p, RAN_TX_TOO_LONG);
		dev_kfree_skb_any(skb);
		return NETDEV_TX_OK;
	}
	if (!netif_carrier_ok(ndev)) {
		ran_count(p, RAN_TX_NO_CARRIER);
		dev_kfree_skb_any(skb);
		return NETDEV_TX_OK;
	}
	if (test_bit(RAN_TX_STALLED, &p->flags)) {
		ran_count(p, RAN_TX_PEER_STALLED);
		dev_kfree_skb_any(skb);
		return NETDEV_TX_OK;
	}
	netdev_sent_queue(ndev, skb->len);
	skb_queue_tail(&p->txq, skb);
	if (skb_queue_len(&p->txq) >= RAN_TXQ_STOP)
		netif_stop_queue(ndev);
	queue_work(ran_wq, &p->tx_work);
	return NETDEV_TX_OK;
}

/* TCP packets go uncut only to a peer that takes them (fragments, and it
 * said so), and only of the kinds virtio_net_hdr_from_skb() can tell.
 */
netdev_features_t ran_features_check(struct sk_buff *skb,
				     struct net_device *ndev,
				     netdev_features_t features)
{
	struct ran_priv *p = netdev_priv(ndev);

	if (skb_is_gso(skb) &&
	    (!p->frag || !READ_ONCE(p->peer_offload_ok) ||
	     (skb_shinfo(skb)->gso_type & ~RAN_GSO_TYPES)))
		features &= ~NETIF_F_GSO_MASK;
	return features;
}

/* The watchdog: the queue stood stopped for watchdog_timeo. */
void ran_tx_timeout(struct net_device *ndev, unsigned int txqueue)
{
	struct ran_priv *p = netdev_priv(ndev);

	ran_count(p, RAN_TX_TIMEOUTS);
	if (test_and_set_bit(RAN_TX_STALLED, &p->flags))
		return;
	netdev_err(ndev, "transmit timed out: the other core took no message for %u ms; frames are dropped until it takes one\n",
		   jiffies_to_msecs(ndev->watchdog_timeo));
	queue_work(ran_wq, &p->tx_work);
}

/* Have the work send our announcement (now, or once the link can). */
void ran_queue_announce(struct ran_priv *p)
{
	set_bit(RAN_ANNOUNCE, &p->flags);
	queue_work(ran_wq, &p->tx_work);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * rpmsg_amp_net - Ethernet devices rpmsgN_M over RPMsg endpoints
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
 *  - an rpmsg device named RPMSG_AMP_NET_SERVICE on any rpmsg bus (this is
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
 * Sending to the other core may sleep (the rpmsg core and the remote
 * transport serialise with mutexes), so ndo_start_xmit() only queues and a
 * work item sends; the queue stops when the work falls behind or the ring
 * is full and wakes when it drains (and BQL bounds the bytes queued). A
 * work item that finds no transmit buffer waits for one
 * (rpmsg_amp_tx_waiter: queued again when the bus frees a buffer).
 * Received frames are reassembled in the receive callback and go through
 * NAPI.
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
#include <linux/tcp.h>
#include <linux/u64_stats_sync.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "rpmsg_amp_net_wire.h"

#define DRV_NAME	"rpmsg_amp_net"
#define DRV_VERSION	RPMSG_AMP_VERSION
#define RAN_TXQ_STOP	64	/* frames queued before the queue stops */
#define RAN_RXQ_MAX	1024	/* frames waiting for NAPI before drops */
/* A bus that cannot tell its MTU (or a kernel before 5.14): 512 - 16. */
#define RAN_DEF_PAYLOAD	496
#define RAN_FRAG_MTU	65535	/* largest MTU with fragments */
#define RAN_FRAG_ROOM	64	/* least payload a fragment may carry */
#define RAN_REASM_TIMEOUT HZ	/* a frame's fragments come within this */
/* TSO: TCP packets of up to 64 KiB cross whole when the other side takes
 * them (ran_features_check()); otherwise the stack cuts them first.
 */
#define RAN_FEATURES	(NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_RXCSUM | \
			 NETIF_F_HIGHDMA | NETIF_F_TSO | NETIF_F_TSO6 | \
			 NETIF_F_TSO_ECN)
#define RAN_GSO_TYPES	(SKB_GSO_TCPV4 | SKB_GSO_TCPV6 | SKB_GSO_TCP_ECN)

enum {
	RAN_ANNOUNCE,		/* our announcement is still to be sent */
	RAN_ANNOUNCED,		/* it was sent: withdraw it when we go */
};

/* ethtool -S, in this order: drops and waits by cause, then events. */
enum ran_cause {
	RAN_RX_BAD_LENGTH,	/* shorter than a header, longer than the MTU */
	RAN_RX_QUEUE_FULL,	/* RAN_RXQ_MAX frames waited for NAPI */
	RAN_RX_NO_MEMORY,
	RAN_RX_DOWN,		/* the interface is down */
	RAN_RX_FRAG_MALFORMED,	/* a fragment header that cannot be right */
	RAN_RX_FRAG_UNEXPECTED,	/* lost, duplicated or reordered fragment */
	RAN_RX_FRAG_INCOMPLETE,	/* frames whose reassembly was abandoned */
	RAN_RX_FRAG_TIMEOUT,	/* ... because they took too long */
	RAN_TX_TOO_LONG,	/* over the MTU */
	RAN_TX_NO_CARRIER,
	RAN_TX_SEND_ERRORS,	/* the bus refused the message */
	RAN_TX_OFFLOAD_ERRORS,	/* an offload the other side cannot take */
	RAN_TX_PURGED,		/* queued when the interface went down */
	RAN_TX_RING_FULL,	/* waits for a transmit buffer */
	RAN_TX_NO_LINK,		/* waits for the channel's bus */
	RAN_RX_FRAGMENTS,	/* messages of framed ports */
	RAN_TX_FRAGMENTS,
	RAN_RX_CSUM_PARTIAL,	/* frames whose checksum the other side left */
	RAN_TX_CSUM_PARTIAL,	/* frames whose checksum we left */
	RAN_RX_GSO,		/* TCP packets that came uncut */
	RAN_TX_GSO,
	RAN_N_CAUSES
};

static const char ran_cause_names[RAN_N_CAUSES][ETH_GSTRING_LEN] = {
	"rx_bad_length", "rx_queue_full", "rx_no_memory", "rx_interface_down",
	"rx_frag_malformed", "rx_frag_unexpected", "rx_frag_incomplete",
	"rx_frag_timeout",
	"tx_too_long", "tx_no_carrier", "tx_send_errors", "tx_offload_errors",
	"tx_purged", "tx_ring_full_waits", "tx_no_link_waits",
	"rx_fragments", "tx_fragments", "rx_csum_partial", "tx_csum_partial",
	"rx_gso_packets", "tx_gso_packets",
};

/* The counters of every frame, per CPU. */
struct ran_pcpu_stats {
	u64_stats_t rx_packets, rx_bytes, tx_packets, tx_bytes;
	struct u64_stats_sync syncp;
};

struct ran_priv {
	struct net_device *ndev;
	struct list_head node;		/* ran_ports, under ran_lock */
	int index;			/* N */
	u32 addr;			/* M */
	unsigned long flags;
	char bus_info[ETHTOOL_BUSINFO_LEN];
	struct device *log;		/* errors are logged against it */
	bool frag;			/* framing: fragments, or one per message */
	size_t payload;			/* bytes a message carries */

	/* a port of the device tree: its channel, on ran_dt_ports */
	struct rpmsg_amp_channel *ch;
	struct list_head dt_node;
	/* a port of an rpmsg device: freed by this work */
	struct work_struct free_work;

	struct rw_semaphore sem;	/* rpept in use; dead */
	struct rpmsg_endpoint *rpept;	/* NULL while there is none */
	bool dead;
	struct rpmsg_amp_tx_waiter txw;	/* armed under sem */

	/* receive: reassembly, and whether frames are taken */
	spinlock_t rx_lock;
	bool rx_up;			/* the interface is up */
	struct sk_buff *rx_skb;		/* the frame being reassembled */
	u32 rx_len;			/* its length */
	u16 rx_seq;			/* its number */
	u16 rx_skip_seq;		/* the frame we had no memory for */
	bool rx_skip;
	struct virtio_net_hdr rx_vnet;	/* its offloads */
	unsigned long rx_start;		/* jiffies of its first fragment */
	bool peer_offload_ok;		/* the peer takes frames with offloads */

	/* transmit, in the work: the message being built */
	u8 *txbuf;
	u32 tx_off;			/* of the head frame, sent so far */
	u16 tx_seq;

	struct napi_struct napi;
	struct sk_buff_head rxq;
	struct sk_buff_head txq;
	struct work_struct tx_work;

	struct ran_pcpu_stats __percpu *stats;
	atomic64_t cause[RAN_N_CAUSES];
};

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
	    (!p->ch || rpmsg_amp_channel_peer_up(p->ch))) {
		netif_carrier_on(p->ndev);
	} else {
		netif_carrier_off(p->ndev);
		/* the next peer says again what it accepts */
		WRITE_ONCE(p->peer_offload_ok, false);
	}
}

static const char *ran_service(bool frag)
{
	return frag ? RPMSG_AMP_NET_FRAG_SERVICE : RPMSG_AMP_NET_SERVICE;
}

static const char *ran_framing(bool frag)
{
	return frag ? "fragments" : "one frame per message";
}

static void ran_count(struct ran_priv *p, enum ran_cause c)
{
	atomic64_inc(&p->cause[c]);
}

static u64 ran_sum(struct ran_priv *p, enum ran_cause first,
		   enum ran_cause last)
{
	u64 n = 0;

	while (first <= last)
		n += atomic64_read(&p->cause[first++]);
	return n;
}

/* ---- receive ------------------------------------------------------------ */

/* Caller holds rx_lock. The frame being reassembled goes, counted once. */
static void ran_rx_abandon(struct ran_priv *p, enum ran_cause why)
{
	if (!p->rx_skb)
		return;
	dev_kfree_skb_any(p->rx_skb);
	p->rx_skb = NULL;
	ran_count(p, why);
}

/* The offloads of a frame's first fragment: only what a Linux sender
 * makes (virtio_net_hdr_from_skb() of TCP), a checksum within the frame
 * and after its Ethernet header; virtio_net_hdr_to_skb() checks the rest
 * against the frame once it is whole.
 */
static bool ran_vnet_valid(const struct virtio_net_hdr *v, u32 flen)
{
	u32 start = __virtio16_to_cpu(true, v->csum_start);
	u32 coff = __virtio16_to_cpu(true, v->csum_offset);

	if (v->flags & ~VIRTIO_NET_HDR_F_NEEDS_CSUM)
		return false;
	if (__virtio16_to_cpu(true, v->hdr_len) > flen)
		return false;
	switch (v->gso_type & ~VIRTIO_NET_HDR_GSO_ECN) {
	case VIRTIO_NET_HDR_GSO_NONE:
		if (v->gso_type || v->gso_size)
			return false;
		break;
	case VIRTIO_NET_HDR_GSO_TCPV4:
	case VIRTIO_NET_HDR_GSO_TCPV6:
		/* segments are made from TCP's checksum left to be done */
		if (!(v->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) || !v->gso_size ||
		    coff != offsetof(struct tcphdr, check))
			return false;
		break;
	default:
		return false;
	}
	if (!(v->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM))
		return !start && !coff;
	return start >= ETH_HLEN && start + coff + sizeof(__sum16) <= flen;
}

/* Caller holds rx_lock. Is this header one we could take? */
static bool ran_frag_valid(struct ran_priv *p,
			   const struct rpmsg_amp_net_frag *h, size_t dlen)
{
	u32 flen = le32_to_cpu(h->frame_len), off = le32_to_cpu(h->offset);
	u16 flags = le16_to_cpu(h->flags);

	if (flags & ~RPMSG_AMP_NET_F_ALL)
		return false;
	if (flen < ETH_HLEN || flen > ETH_HLEN + p->ndev->max_mtu ||
	    off >= flen || dlen > flen - off)
		return false;
	if (h->reserved)
		return false;
	if (off)
		return !memchr_inv(&h->vnet, 0, sizeof(h->vnet));
	return ran_vnet_valid(&h->vnet, flen);
}

/* Caller holds rx_lock. One fragment from the other core: everything in it
 * is untrusted. A fragment continues the frame in progress only if it has
 * its number and length and starts where it ended; anything else drops
 * the fragment and the frame, so only whole frames reach the stack.
 * Return: the frame this fragment completed, or NULL.
 */
static struct sk_buff *ran_rx_frag(struct ran_priv *p, const void *data,
				   size_t len)
{
	const struct rpmsg_amp_net_frag *h = data;
	size_t dlen = len - sizeof(*h);
	struct sk_buff *skb;
	u16 seq, flags;
	u32 flen, off;

	if (len <= sizeof(*h) || !ran_frag_valid(p, h, dlen)) {
		ran_count(p, RAN_RX_FRAG_MALFORMED);
		ran_rx_abandon(p, RAN_RX_FRAG_INCOMPLETE);
		net_dbg_ratelimited("%s: malformed fragment of %zu bytes dropped\n",
				    p->ndev->name, len);
		return NULL;
	}
	ran_count(p, RAN_RX_FRAGMENTS);
	seq = le16_to_cpu(h->seq);
	flags = le16_to_cpu(h->flags);
	flen = le32_to_cpu(h->frame_len);
	off = le32_to_cpu(h->offset);
	WRITE_ONCE(p->peer_offload_ok, !!(flags & RPMSG_AMP_NET_F_OFFLOAD_OK));

	if (!off) {
		ran_rx_abandon(p, RAN_RX_FRAG_INCOMPLETE);
		p->rx_skip = false;
		skb = __netdev_alloc_skb_ip_align(p->ndev, flen,
						  GFP_ATOMIC | __GFP_NOWARN);
		if (!skb) {
			/* the frame is counted here, its fragments not */
			ran_count(p, RAN_RX_NO_MEMORY);
			p->rx_skip = true;
			p->rx_skip_seq = seq;
			return NULL;
		}
		p->rx_skb = skb;
		p->rx_len = flen;
		p->rx_seq = seq;
		p->rx_start = jiffies;
		p->rx_vnet = h->vnet;
	} else if (!p->rx_skb || seq != p->rx_seq || flen != p->rx_len ||
		   off != p->rx_skb->len) {
		if (!p->rx_skb && p->rx_skip && seq == p->rx_skip_seq)
			return NULL;
		ran_count(p, RAN_RX_FRAG_UNEXPECTED);
		ran_rx_abandon(p, RAN_RX_FRAG_INCOMPLETE);
		return NULL;
	} else if (time_after(jiffies, p->rx_start + RAN_REASM_TIMEOUT)) {
		ran_rx_abandon(p, RAN_RX_FRAG_TIMEOUT);
		return NULL;
	}
	skb_put_data(p->rx_skb, h + 1, dlen);
	if (p->rx_skb->len < flen)
		return NULL;

	skb = p->rx_skb;
	p->rx_skb = NULL;
	if (p->rx_vnet.flags) {
		/* the kernel's own checks for offloads from a peer */
		if (virtio_net_hdr_to_skb(skb, &p->rx_vnet, true)) {
			ran_count(p, RAN_RX_FRAG_MALFORMED);
			dev_kfree_skb_any(skb);
			return NULL;
		}
		ran_count(p, RAN_RX_CSUM_PARTIAL);
		if (skb_is_gso(skb))
			ran_count(p, RAN_RX_GSO);
	}
	return skb;
}

/* Caller holds rx_lock. One whole frame in one message. */
static struct sk_buff *ran_rx_whole(struct ran_priv *p, const void *data,
				    size_t len)
{
	struct sk_buff *skb;

	if (len < ETH_HLEN || len > ETH_HLEN + p->ndev->max_mtu) {
		ran_count(p, RAN_RX_BAD_LENGTH);
		net_dbg_ratelimited("%s: frame of %zu bytes from the other core dropped\n",
				    p->ndev->name, len);
		return NULL;
	}
	skb = netdev_alloc_skb_ip_align(p->ndev, len);
	if (!skb) {
		ran_count(p, RAN_RX_NO_MEMORY);
		return NULL;
	}
	skb_put_data(skb, data, len);
	return skb;
}

/* The receive callback, in whatever context the bus calls it. */
static int ran_rpmsg_rx(struct rpmsg_device *rpdev, void *data, int len,
			void *priv, u32 src)
{
	struct ran_priv *p = priv;
	struct sk_buff *skb = NULL;
	unsigned long flags;

	spin_lock_irqsave(&p->rx_lock, flags);
	if (!p->rx_up) {
		ran_count(p, RAN_RX_DOWN);
	} else if (skb_queue_len(&p->rxq) >= RAN_RXQ_MAX) {
		/* a frame, or a fragment and with it its frame */
		ran_count(p, RAN_RX_QUEUE_FULL);
		ran_rx_abandon(p, RAN_RX_FRAG_INCOMPLETE);
	} else {
		skb = p->frag ? ran_rx_frag(p, data, len) :
				ran_rx_whole(p, data, len);
		if (skb) {
			skb->protocol = eth_type_trans(skb, p->ndev);
			skb_queue_tail(&p->rxq, skb);
		}
	}
	spin_unlock_irqrestore(&p->rx_lock, flags);
	if (!skb)
		return 0;
	if (in_task()) {
		/* NAPI needs bottom halves off */
		local_bh_disable();
		napi_schedule(&p->napi);
		local_bh_enable();
	} else {
		napi_schedule(&p->napi);
	}
	return 0;
}

static int ran_poll(struct napi_struct *napi, int budget)
{
	struct ran_priv *p = container_of(napi, struct ran_priv, napi);
	struct ran_pcpu_stats *st = this_cpu_ptr(p->stats);
	struct sk_buff *skb;
	int done = 0;

	while (done < budget && (skb = skb_dequeue(&p->rxq))) {
		u64_stats_update_begin(&st->syncp);
		u64_stats_inc(&st->rx_packets);
		u64_stats_add(&st->rx_bytes, skb->len + ETH_HLEN);
		u64_stats_update_end(&st->syncp);
		napi_gro_receive(napi, skb);
		done++;
	}
	if (done < budget && napi_complete_done(napi, done) &&
	    !skb_queue_empty(&p->rxq))
		napi_schedule(napi);
	return done;
}

/* ---- transmit ------------------------------------------------------------ */

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

/* The next message of the head frame into p->txbuf, from p->tx_off on.
 * Return: its length; *@n: the frame's bytes in it.
 */
static size_t ran_build(struct ran_priv *p, struct sk_buff *skb, u32 *n)
{
	struct rpmsg_amp_net_frag *h = (void *)p->txbuf;
	u16 flags = 0;

	if (!p->frag) {
		/* the MTU keeps every frame within one message */
		*n = skb->len;
		skb_copy_bits(skb, 0, p->txbuf, skb->len);
		return skb->len;
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
	return sizeof(*h) + *n;
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

static void ran_tx_work(struct work_struct *work)
{
	struct ran_priv *p = container_of(work, struct ran_priv, tx_work);
	struct sk_buff *skb;
	size_t len;
	u32 n;
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
		if (!p->tx_off && !ran_tx_prepare(p, skb)) {
			ran_tx_done(p, skb, false);
			continue;
		}
		len = ran_build(p, skb, &n);
		ret = ran_send(p, p->txbuf, len);
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
			ret = rpmsg_sendto(p->rpept, p->txbuf, len, p->addr);
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

static netdev_tx_t ran_start_xmit(struct sk_buff *skb, struct net_device *ndev)
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
	netdev_sent_queue(ndev, skb->len);
	skb_queue_tail(&p->txq, skb);
	if (skb_queue_len(&p->txq) >= RAN_TXQ_STOP)
		netif_stop_queue(ndev);
	queue_work(ran_wq, &p->tx_work);
	return NETDEV_TX_OK;
}

/* Frames still queued go, counted; the transmit work is not running. */
static void ran_purge(struct ran_priv *p)
{
	atomic64_add(skb_queue_len(&p->txq), &p->cause[RAN_TX_PURGED]);
	skb_queue_purge(&p->txq);
	netdev_reset_queue(p->ndev);
	p->tx_off = 0;
	p->tx_seq++;
	skb_queue_purge(&p->rxq);
}

/* Take received frames, or stop taking them and drop what waits. */
static void ran_rx_set_up(struct ran_priv *p, bool up)
{
	unsigned long flags;

	spin_lock_irqsave(&p->rx_lock, flags);
	p->rx_up = up;
	ran_rx_abandon(p, RAN_RX_FRAG_INCOMPLETE);
	p->rx_skip = false;
	spin_unlock_irqrestore(&p->rx_lock, flags);
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

/* What ip -s link shows: the per-CPU counts of frames, and the causes
 * summed into the standard error and drop counts (frame errors are the
 * fragments refused and the frames abandoned).
 */
static void ran_get_stats64(struct net_device *ndev,
			    struct rtnl_link_stats64 *s)
{
	struct ran_priv *p = netdev_priv(ndev);
	int cpu;

	for_each_possible_cpu(cpu) {
		const struct ran_pcpu_stats *st = per_cpu_ptr(p->stats, cpu);
		u64 rxp, rxb, txp, txb;
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&st->syncp);
			rxp = u64_stats_read(&st->rx_packets);
			rxb = u64_stats_read(&st->rx_bytes);
			txp = u64_stats_read(&st->tx_packets);
			txb = u64_stats_read(&st->tx_bytes);
		} while (u64_stats_fetch_retry(&st->syncp, start));
		s->rx_packets += rxp;
		s->rx_bytes += rxb;
		s->tx_packets += txp;
		s->tx_bytes += txb;
	}
	s->rx_length_errors = ran_sum(p, RAN_RX_BAD_LENGTH, RAN_RX_BAD_LENGTH);
	s->rx_frame_errors = ran_sum(p, RAN_RX_FRAG_MALFORMED,
				     RAN_RX_FRAG_TIMEOUT);
	s->rx_errors = s->rx_length_errors + s->rx_frame_errors;
	s->rx_dropped = ran_sum(p, RAN_RX_QUEUE_FULL, RAN_RX_DOWN);
	s->tx_errors = ran_sum(p, RAN_TX_TOO_LONG, RAN_TX_TOO_LONG) +
		       ran_sum(p, RAN_TX_SEND_ERRORS, RAN_TX_OFFLOAD_ERRORS);
	s->tx_dropped = ran_sum(p, RAN_TX_NO_CARRIER, RAN_TX_NO_CARRIER) +
			ran_sum(p, RAN_TX_PURGED, RAN_TX_PURGED);
}

/* TCP packets go uncut only to a peer that takes them (fragments, and it
 * said so), and only of the kinds virtio_net_hdr_from_skb() can tell.
 */
static netdev_features_t ran_features_check(struct sk_buff *skb,
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

static const struct net_device_ops ran_netdev_ops = {
	.ndo_open = ran_open,
	.ndo_stop = ran_stop,
	.ndo_start_xmit = ran_start_xmit,
	.ndo_features_check = ran_features_check,
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

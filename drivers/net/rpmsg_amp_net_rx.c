// SPDX-License-Identifier: GPL-2.0
/*
 * rpmsg_amp_net - receive: messages from the other core become frames
 *
 * The receive callback of a port's rpmsg endpoint runs in whatever
 * context the bus calls it (our buses: the channel's receive work). It
 * reassembles fragments, validating everything the other core wrote, and
 * queues whole frames for NAPI, which hands them to the stack.
 */
#include <linux/etherdevice.h>
#include <linux/string.h>
#include <linux/tcp.h>

#include "rpmsg_amp_net.h"
#include "rpmsg_amp_net_wire.h"

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
int ran_rpmsg_rx(struct rpmsg_device *rpdev, void *data, int len, void *priv,
		 u32 src)
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

int ran_poll(struct napi_struct *napi, int budget)
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

/* Take received frames, or stop taking them and drop what waits. */
void ran_rx_set_up(struct ran_priv *p, bool up)
{
	unsigned long flags;

	spin_lock_irqsave(&p->rx_lock, flags);
	p->rx_up = up;
	ran_rx_abandon(p, RAN_RX_FRAG_INCOMPLETE);
	p->rx_skip = false;
	spin_unlock_irqrestore(&p->rx_lock, flags);
	if (!up)
		skb_queue_purge(&p->rxq);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * rpmsg_amp - master role: the shadow rings between virtio_rpmsg_bus's
 * private vrings and the shared ones
 *
 * virtio_ring does not run on the shared rings themselves: it trusts its
 * ring memory (in 6.1 detach_buf_split() follows VRING_DESC_F_NEXT read
 * back from the descriptor table, so a peer that sets it makes the driver
 * loop or corrupt its free list). It runs on private rings, and this file
 * keeps the shared ones in step: new available entries (and their
 * descriptors) are copied out to the shared ring when virtio_ring
 * notifies; used entries the other core returns are copied in only after
 * checking them: the index may only move forward by at most the number
 * of buffers outstanding, each id must be a buffer we posted and not yet
 * got back, a receive length must fit the buffer and the RPMsg header
 * inside it. A structural fault (index or id) declares the link broken:
 * it is torn down and rebuilt (rpmsg_amp_link_broken()). A bad message is
 * replaced by an empty one to no address, counted and logged, and the
 * link keeps going.
 *
 * The message buffers are private too. Each descriptor id of each vring
 * owns one fixed slot of the buffer carveout instead: a message to send
 * is copied into its slot when the descriptor is published; a received
 * message is copied from its slot into the private buffer and checked
 * there, so what virtio_rpmsg_bus reads is what was checked, whatever the
 * other core writes later.
 */
#include <linux/bitops.h>
#include <linux/device.h>
#include <linux/io.h>
#include <linux/string.h>
#include <linux/virtio_ring.h>

#include "rpmsg_amp_internal.h"

/* Offset in the buffer carveout of the slot of descriptor @id of vring @i. */
static size_t rpmsg_amp_slot(struct rpmsg_amp_channel *ch, int i, u16 id)
{
	return ((size_t)i * ch->layout.num + id) * ch->layout.buf_size;
}

/*
 * The private buffer a descriptor of a shadow ring points at. The shadow
 * rings are ours and hold what virtio_rpmsg_bus posted: addresses of
 * linear-mapped memory of the message buffer device.
 */
static void *rpmsg_amp_priv_buf(const struct vring_desc *pd)
{
	return phys_to_virt(le64_to_cpu((__force __le64)pd->addr));
}

/**
 * rpmsg_amp_master_publish() - hand new buffers to the other side
 * @avdev: the channel's virtio device
 * @i: vring index
 *
 * Copies new available entries, their descriptors and the flags to shared
 * ring @i, each descriptor pointing at its own slot. The private ring is
 * ours: its values need no checks.
 *
 * Return: true if the other side wants a doorbell for them (it did not
 * set VRING_USED_F_NO_NOTIFY: a remote of ours asks for receive buffers
 * only while a message waits for one).
 */
bool rpmsg_amp_master_publish(struct rpmsg_amp_vdev *avdev, int i)
{
	struct rpmsg_amp_channel *ch = avdev->ch;
	struct rpmsg_amp_svq *q = &avdev->svq[i];
	struct rpmsg_amp_ring *sh = q->sh;
	u32 num = ch->layout.num;
	unsigned int k, half;
	unsigned long irqfl;
	u16 idx, id, d, fl;
	bool notify;
	size_t off;
	u32 len;

	spin_lock_irqsave(&q->lock, irqfl);
	idx = rd16(&q->vr.avail->idx);
	smp_rmb(); /* index before the entries it covers */
	while (q->pub != idx) {
		id = rd16(&q->vr.avail->ring[q->pub & (num - 1)]);
		for (d = id, k = 0; d < num && k < num; k++) {
			struct vring_desc *pd = &q->vr.desc[d];

			fl = rd16(&pd->flags);
			len = min(rd32(&pd->len), ch->layout.buf_size);
			off = rpmsg_amp_slot(ch, i, d);
			/* a message to send goes into the slot now */
			if (!(fl & VRING_DESC_F_WRITE)) {
				memcpy(ch->buf_va + off, rpmsg_amp_priv_buf(pd),
				       len);
				rpmsg_amp_count(&ch->stats.tx_msgs,
						&ch->stats.tx_bytes, len);
			}
			wr64(&sh->desc[d].addr, ch->buf_pa + off);
			wr32(&sh->desc[d].len, len);
			wr16(&sh->desc[d].flags, fl);
			wr16(&sh->desc[d].next, rd16(&pd->next));
			if (!(fl & VRING_DESC_F_NEXT))
				break;
			d = rd16(&pd->next);
		}
		if (id < num && !__test_and_set_bit(id, q->posted))
			q->outstanding++;
		wr16(&sh->avail->ring[q->pub & (num - 1)], id);
		q->pub++;
	}
	/*
	 * Transmit completions are asked for once half of the transmit
	 * buffers are out, and whenever virtio_rpmsg_bus asks. It asks for a
	 * sender that sleeps, with virtqueue_enable_cb(), which tells the
	 * transport nothing: relayed only with the next kick, that left such
	 * a sender (the kernel's rpmsg_char, say) waiting out its 15 s
	 * timeout whenever the other core had nothing to send back. A sender
	 * sleeps only with every buffer out, so by then the other side rings
	 * for each one it returns; below half, buffers come back with the
	 * doorbells of the other side's own messages, or when our senders
	 * look (rpmsg_amp_bus_tx_ready()), and a message in a ping-pong costs
	 * one doorbell, not two.
	 */
	fl = rd16(&q->vr.avail->flags);
	half = min_t(u32, num, 256) / 2;
	if (i == 1 && q->outstanding >= half)
		fl &= ~VRING_AVAIL_F_NO_INTERRUPT;
	wr16(&sh->avail->flags, fl);
	/*
	 * Slots, descriptors and entries before the index, and so are the
	 * reads of the slots of receive buffers posted again here: the other
	 * core may write into them once it sees the index.
	 */
	rpmsg_amp_ring_mb(sh);
	wr16(&sh->avail->idx, q->pub);
	notify = rpmsg_amp_ring_wants_notify(sh);
	spin_unlock_irqrestore(&q->lock, irqfl);
	return notify;
}

static void rpmsg_amp_bad_msg(struct rpmsg_amp_channel *ch, const char *what,
			      u32 id, u32 val)
{
	atomic64_inc(&ch->stats.rejects);
	dev_err_ratelimited(ch->dev, "rejected from the other core: %s (buffer %u, %u)\n",
			    what, id, val);
}

/*
 * Check a filled receive buffer: copy what the other core reports from its
 * slot into the private buffer, then check the copy (rpmsg_amp_rx_verify()),
 * so what virtio_rpmsg_bus reads is what was checked, whatever the other
 * core writes later. Returns the length to hand on.
 */
static u32 rpmsg_amp_rx_check(struct rpmsg_amp_vdev *avdev,
			      struct rpmsg_amp_svq *q, u32 id, u32 len)
{
	struct rpmsg_amp_channel *ch = avdev->ch;
	struct vring_desc *pd = &q->vr.desc[id];
	u32 blen = min(rd32(&pd->len), ch->layout.buf_size);
	void *priv = rpmsg_amp_priv_buf(pd);
	const char *why;
	u32 dst;
	int ret;

	if (len > blen) {
		rpmsg_amp_bad_msg(ch, "used length does not fit the buffer", id, len);
		rpmsg_amp_hdr_pack(priv, 0, RPMSG_AMP_NOWHERE, 0);
		return RPMSG_AMP_HDR_SIZE;
	}
	memcpy(priv, ch->buf_va + rpmsg_amp_slot(ch, 0, id), len);
	ret = rpmsg_amp_rx_verify(priv, &len, &avdev->seen, &dst, &why);
	if (ret == -EEXIST) {
		/* virtio_rpmsg_bus would only complain about the duplicate */
		dev_dbg(ch->dev, "%s\n", why);
	} else if (ret) {
		rpmsg_amp_bad_msg(ch, why, id, len);
	} else {
		rpmsg_amp_count(&ch->stats.rx_msgs, &ch->stats.rx_bytes, len);
		if (dst < RPMSG_AMP_RESERVED_ADDRS && dst != RPMSG_AMP_NS_ADDR &&
		    !test_bit(dst, ch->ept_map)) {
			atomic64_inc(&ch->stats.drops);
			dev_dbg_ratelimited(ch->dev, "no endpoint at %u, dropped\n",
					    dst);
		}
	}
	return len;
}

/*
 * @reset: the used index reads 0, the protocol's remote reboot (the remote
 * restarted without a goodbye, protocol.rst): not a fault of the ring.
 */
static void rpmsg_amp_vdev_broken(struct rpmsg_amp_vdev *avdev, bool reset,
				  const char *why, u32 a, u32 b)
{
	struct rpmsg_amp_channel *ch = avdev->ch;

	if (reset) {
		dev_info(ch->dev, "the remote restarted (its used index is back at 0); restarting the link\n");
	} else {
		atomic64_inc(&ch->stats.rejects);
		dev_err(ch->dev, "link broken: %s (%u, %u); restarting it\n",
			why, a, b);
	}
	rpmsg_amp_link_broken(ch);
}

/**
 * rpmsg_amp_master_harvest() - take back what the other side returned
 * @avdev: the channel's virtio device
 * @i: vring index
 *
 * Takes the used entries the other core added to shared ring @i, checked
 * by the ring engine (rpmsg_amp_ring_get_used()), checks the messages
 * received and copies the entries to the private ring. Any context.
 *
 * Return: false if the link is broken.
 */
bool rpmsg_amp_master_harvest(struct rpmsg_amp_vdev *avdev, int i)
{
	struct rpmsg_amp_svq *q = &avdev->svq[i];
	u32 num = avdev->ch->layout.num;
	struct vring_used_elem *e;
	const char *why = NULL;
	unsigned long irqfl;
	u32 id = 0, len = 0;
	int ret;
	u16 at;

	spin_lock_irqsave(&q->lock, irqfl);
	if (avdev->broken) {
		spin_unlock_irqrestore(&q->lock, irqfl);
		return false;
	}
	for (;;) {
		at = q->used;
		ret = rpmsg_amp_ring_get_used(q->sh, &q->used, q->posted,
					      &q->outstanding, &id, &len, &why);
		if (ret > 0)
			break;
		if (ret < 0)
			goto bad;
		if (i == 0)
			len = rpmsg_amp_rx_check(avdev, q, id, len);
		e = &q->vr.used->ring[at & (num - 1)];
		wr32(&e->id, id);
		wr32(&e->len, len);
	}
	smp_wmb(); /* entries before the index virtio_ring reads */
	wr16(&q->vr.used->idx, q->used);
	spin_unlock_irqrestore(&q->lock, irqfl);
	return true;

bad:
	avdev->broken = true;
	spin_unlock_irqrestore(&q->lock, irqfl);
	rpmsg_amp_vdev_broken(avdev, !rd16(&q->sh->used->idx), why, id, len);
	return false;
}

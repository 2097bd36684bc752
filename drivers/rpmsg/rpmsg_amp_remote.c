// SPDX-License-Identifier: GPL-2.0
/*
 * rpmsg_amp - remote role: Linux as the device side of the master's vrings
 *
 * The kernel has no device-side vring engine usable here: vringh (the vhost
 * helper) is rarely built on board kernels and expects user-space or kernel
 * virtual addresses or an IOTLB, not bus addresses inside a carveout that
 * has no linear mapping. So this file implements the device side of a split
 * virtqueue itself, with every value the other core writes validated:
 *
 *  - vring 0 holds the master's empty receive buffers: we take one, write a
 *    message into it and return it through the used ring;
 *  - vring 1 holds the master's transmit buffers: we copy each message out,
 *    return the buffer, then deliver the copy to the local endpoint.
 *
 * All ring fields are little-endian (VIRTIO_F_VERSION_1). The master owns the
 * rings: it zeroes them when it starts and when it stops. We consider the
 * master present once it has posted receive buffers (avail != used on
 * vring 0), take our indices from the used rings at that point, and announce
 * RPMSG_AMP_CHANNEL_SERVICE through the name service. Indices that stop
 * making sense (a master restart, or corruption) take the link down; it comes
 * back up when the master posts buffers again.
 */
#include <linux/device.h>
#include <linux/io.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/virtio_ring.h>

#include "rpmsg_amp_internal.h"

static u16 rd16(const __virtio16 *p)
{
	return le16_to_cpu((__force __le16)READ_ONCE(*p));
}

static u32 rd32(const __virtio32 *p)
{
	return le32_to_cpu((__force __le32)READ_ONCE(*p));
}

static u64 rd64(const __virtio64 *p)
{
	return le64_to_cpu((__force __le64)READ_ONCE(*p));
}

static void wr16(__virtio16 *p, u16 v)
{
	WRITE_ONCE(*p, (__force __virtio16)cpu_to_le16(v));
}

static void wr32(__virtio32 *p, u32 v)
{
	WRITE_ONCE(*p, (__force __virtio32)cpu_to_le32(v));
}

static void rpmsg_amp_reject(struct rpmsg_amp_channel *ch, const char *what,
			     u32 a, u64 b)
{
	atomic64_inc(&ch->stats.rejects);
	dev_err_ratelimited(ch->dev, "rejected from the other core: %s (%u, 0x%llx)\n",
			    what, a, (unsigned long long)b);
}

static bool rpmsg_amp_master_ready(struct rpmsg_amp_channel *ch)
{
	struct rpmsg_amp_ring *r = &ch->ring[0];

	return rd16(&r->avail->idx) != rd16(&r->used->idx);
}

/* The master zeroes the rings when it stops, and rings the doorbell. */
static bool rpmsg_amp_master_stopped(struct rpmsg_amp_channel *ch)
{
	struct rpmsg_amp_ring *r = &ch->ring[0];

	return !rd16(&r->avail->idx) && !rd16(&r->used->idx);
}

/*
 * Only we write the used indices.  Both zero while our copies are not: the
 * master zeroed the rings and started again while our receive work was not
 * looking (e.g. held up by a full char device), so that we never saw them
 * stopped.
 */
static bool rpmsg_amp_master_restarted(struct rpmsg_amp_channel *ch)
{
	return !rd16(&ch->ring[0].used->idx) && !rd16(&ch->ring[1].used->idx) &&
	       (ch->ring[0].used_idx || ch->ring[1].used_idx);
}

/* Pending entries on a ring, or -1 if the indices are inconsistent. */
static int rpmsg_amp_pending(struct rpmsg_amp_channel *ch,
			     struct rpmsg_amp_ring *r)
{
	u16 n = rd16(&r->avail->idx) - r->last_avail;

	if (n > ch->layout.num)
		return -1;
	return n;
}

/* caller holds tx_lock */
static void rpmsg_amp_link_sync(struct rpmsg_amp_channel *ch)
{
	int i;

	for (i = 0; i < 2; i++) {
		struct rpmsg_amp_ring *r = &ch->ring[i];

		r->used_idx = rd16(&r->used->idx);
		r->last_avail = r->used_idx;
	}
	ch->link_up = true;
}

/* caller holds tx_lock; @why is NULL for an orderly master stop */
static void rpmsg_amp_link_down(struct rpmsg_amp_channel *ch, const char *why)
{
	if (!ch->link_up)
		return;
	ch->link_up = false;
	/* rx_work tells the clients; we may be called under their locks */
	ch->link_lost = true;
	queue_work(ch->wq, &ch->rx_work);
	if (!why)
		dev_info(ch->dev, "master stopped, link down\n");
	if (why) {
		/* our indices are lost: only a master restart can help */
		ch->need_reset = true;
		atomic64_inc(&ch->stats.rejects);
		dev_err(ch->dev, "link down: %s; waiting for the master to restart\n",
			why);
	}
}

static void rpmsg_amp_push_used(struct rpmsg_amp_ring *r, u32 num, u16 id,
				u32 len)
{
	struct vring_used_elem *e = &r->used->ring[r->used_idx & (num - 1)];

	wr32(&e->id, id);
	wr32(&e->len, len);
	/*
	 * Our reads of the buffer and the entry before the index that hands
	 * the buffer back: the other core may reuse it as soon as it sees
	 * the index, so a store barrier alone (which orders stores only)
	 * is not enough.
	 */
	mb();
	r->used_idx++;
	wr16(&r->used->idx, r->used_idx);
}

/*
 * Take the next descriptor from ring @r and check it. Returns its buffer
 * length and bus address through @len/@addr, 1 if there is none, a negative
 * errno if the rings are inconsistent. Invalid descriptors are consumed and
 * counted (@head < 0) so that one bad entry cannot wedge the link.
 */
static int rpmsg_amp_pop(struct rpmsg_amp_channel *ch,
			 struct rpmsg_amp_ring *r, bool writable, int *head,
			 u64 *addr, u32 *len)
{
	u32 num = ch->layout.num;
	struct vring_desc *d;
	int pending;
	u16 flags, id;

	pending = rpmsg_amp_pending(ch, r);
	if (pending < 0)
		return -EPROTO;
	if (!pending)
		return 1;
	rmb(); /* index read before the ring entry it covers */
	id = rd16(&r->avail->ring[r->last_avail & (num - 1)]);
	r->last_avail++;
	*head = -1;
	if (id >= num) {
		rpmsg_amp_reject(ch, "descriptor index out of range", id, 0);
		return 0;
	}
	d = &r->desc[id];
	*addr = rd64(&d->addr);
	*len = rd32(&d->len);
	flags = rd16(&d->flags);
	if (flags & (VRING_DESC_F_NEXT | VRING_DESC_F_INDIRECT)) {
		rpmsg_amp_reject(ch, "chained descriptor", id, flags);
		return 0;
	}
	if (!!(flags & VRING_DESC_F_WRITE) != writable) {
		rpmsg_amp_reject(ch, "descriptor direction", id, flags);
		return 0;
	}
	if (*len < RPMSG_AMP_HDR_SIZE || *len > ch->layout.buf_size) {
		rpmsg_amp_reject(ch, "buffer length", id, *len);
		return 0;
	}
	if (!rpmsg_amp_range_ok(ch->buf_pa, ch->buf_sz, *addr, *len)) {
		rpmsg_amp_reject(ch, "buffer outside the carveout", id, *addr);
		return 0;
	}
	*head = id;
	return 0;
}

static bool rpmsg_amp_wants_irq(struct rpmsg_amp_ring *r)
{
	/* our used->idx store must be visible before we read the flags */
	mb();
	return !(rd16(&r->avail->flags) & VRING_AVAIL_F_NO_INTERRUPT);
}

/**
 * rpmsg_amp_remote_send() - write one message into a master receive buffer
 * @ch: channel
 * @src: source address
 * @dst: destination address
 * @data: payload
 * @len: payload length (checked by the caller)
 *
 * Return: 0, -ENOMEM if the master has no receive buffer posted, or
 * -ENOTCONN if the link is down.
 */
int rpmsg_amp_remote_send(struct rpmsg_amp_channel *ch, u32 src, u32 dst,
			  const void *data, size_t len)
{
	struct rpmsg_amp_ring *r = &ch->ring[0];
	struct rpmsg_amp_wire_hdr hdr;
	bool kick = false;
	int ret, head;
	u64 addr;
	u32 blen;
	void *va;

	mutex_lock(&ch->tx_lock);
	for (;;) {
		if (!ch->link_up || ch->stopping) {
			ret = -ENOTCONN;
			break;
		}
		ret = rpmsg_amp_pop(ch, r, true, &head, &addr, &blen);
		if (ret < 0) {
			rpmsg_amp_link_down(ch, "receive ring indices inconsistent");
			ret = -ENOTCONN;
			break;
		}
		if (ret > 0) {
			ret = -ENOMEM;
			break;
		}
		if (head < 0)
			continue;
		if (blen < RPMSG_AMP_HDR_SIZE + len) {
			rpmsg_amp_reject(ch, "receive buffer too small", head,
					 blen);
			continue;
		}
		va = ch->buf_va + (addr - ch->buf_pa);
		rpmsg_amp_hdr_pack(&hdr, src, dst, len);
		memcpy(va, &hdr, sizeof(hdr));
		memcpy(va + sizeof(hdr), data, len);
		rpmsg_amp_push_used(r, ch->layout.num, head, sizeof(hdr) + len);
		kick = rpmsg_amp_wants_irq(r);
		ret = 0;
		break;
	}
	mutex_unlock(&ch->tx_lock);
	if (kick)
		rpmsg_amp_kick(ch);
	return ret;
}

/**
 * rpmsg_amp_remote_tx_ready() - is a master receive buffer posted?
 * @ch: channel
 *
 * Return: true if rpmsg_amp_remote_send() would not return -ENOMEM.
 */
bool rpmsg_amp_remote_tx_ready(struct rpmsg_amp_channel *ch)
{
	struct rpmsg_amp_ring *r = &ch->ring[0];

	if (!READ_ONCE(ch->link_up))
		return false;
	return rd16(&r->avail->idx) != READ_ONCE(r->last_avail);
}

static void rpmsg_amp_dispatch(struct rpmsg_amp_channel *ch, u32 src, u32 dst,
			       const void *data, size_t len)
{
	struct rpmsg_amp_ept *ept;

	if (dst == RPMSG_AMP_NS_ADDR) {
		char name[RPMSG_AMP_NAME_SIZE];
		bool destroy;
		u32 addr;

		if (len > sizeof(struct rpmsg_amp_wire_ns) ||
		    rpmsg_amp_ns_unpack(data, len, name, &addr, &destroy)) {
			rpmsg_amp_reject(ch, "malformed name-service message",
					 src, len);
			return;
		}
		ch->up->ns_notify(ch, name, addr, !destroy);
		return;
	}
	/* no lock across the callback: rpmsg_amp_ept_destroy() waits for it */
	rcu_read_lock();
	list_for_each_entry_rcu(ept, &ch->epts, node) {
		if (ept->addr == dst) {
			ch->up->deliver(ept, data, len, src);
			rcu_read_unlock();
			return;
		}
	}
	rcu_read_unlock();
	atomic64_inc(&ch->stats.drops);
	/* normal while an endpoint comes or goes; counted in drops */
	dev_dbg_ratelimited(ch->dev, "no endpoint at %u (from %u), dropped\n",
			    dst, src);
}

static void rpmsg_amp_remote_announce(struct rpmsg_amp_channel *ch,
				      bool destroy)
{
	int ret;

	ret = ch->up->ns_send(ch, NULL, RPMSG_AMP_CHANNEL_ADDR,
				RPMSG_AMP_CHANNEL_SERVICE, destroy);
	if (ret)
		dev_warn(ch->dev, "name-service %s not sent: %d\n",
			 destroy ? "destroy" : "announcement", ret);
}

/**
 * rpmsg_amp_remote_rx() - a doorbell arrived: consume the master's messages
 * @ch: channel
 */
void rpmsg_amp_remote_rx(struct rpmsg_amp_channel *ch)
{
	struct rpmsg_amp_ring *r = &ch->ring[1];
	struct rpmsg_amp_wire_hdr *hdr = ch->bounce;
	unsigned int done;
	bool announce = false, kick = false, lost;
	u32 src, dst, blen;
	int ret, head;
	u16 plen;
	u64 addr;

	mutex_lock(&ch->tx_lock);
	if (ch->stopping) {
		mutex_unlock(&ch->tx_lock);
		return;
	}
	if (ch->link_up && (rpmsg_amp_master_stopped(ch) ||
			    rpmsg_amp_master_restarted(ch)))
		rpmsg_amp_link_down(ch, NULL);
	else if (ch->link_up &&
		 (rpmsg_amp_pending(ch, &ch->ring[0]) < 0 ||
		  rpmsg_amp_pending(ch, r) < 0))
		rpmsg_amp_link_down(ch, "ring indices inconsistent");
	if (ch->need_reset && rpmsg_amp_master_stopped(ch)) {
		ch->need_reset = false;
		dev_info(ch->dev, "master restarting\n");
	}
	if (!ch->link_up && !ch->need_reset && rpmsg_amp_master_ready(ch)) {
		rpmsg_amp_link_sync(ch);
		announce = true;
		dev_info(ch->dev, "master is up, link established\n");
	}
	lost = ch->link_lost;
	ch->link_lost = false;
	mutex_unlock(&ch->tx_lock);

	/* a link that went down, even if already back, was a restart */
	if (lost)
		ch->up->peer_set(ch, false);
	if (announce) {
		rpmsg_amp_remote_announce(ch, false);
		ch->up->peer_set(ch, true);
	}

	for (done = 0; done < ch->layout.num; done++) {
		mutex_lock(&ch->tx_lock);
		if (!ch->link_up || ch->stopping) {
			mutex_unlock(&ch->tx_lock);
			break;
		}
		ret = rpmsg_amp_pop(ch, r, false, &head, &addr, &blen);
		if (ret) {
			if (ret < 0)
				rpmsg_amp_link_down(ch, rpmsg_amp_master_restarted(ch) ?
						    NULL : "transmit ring indices inconsistent");
			mutex_unlock(&ch->tx_lock);
			break;
		}
		if (head < 0) {
			mutex_unlock(&ch->tx_lock);
			continue;
		}
		/* copy out first: the other core may rewrite the buffer */
		memcpy(ch->bounce, ch->buf_va + (addr - ch->buf_pa), blen);
		rpmsg_amp_push_used(r, ch->layout.num, head, 0);
		kick |= rpmsg_amp_wants_irq(r);
		mutex_unlock(&ch->tx_lock);

		if (rpmsg_amp_hdr_unpack(hdr, blen, &src, &dst, &plen)) {
			rpmsg_amp_reject(ch, "message length exceeds buffer",
					 head, le16_to_cpu(hdr->len));
			continue;
		}
		rpmsg_amp_dispatch(ch, src, dst, ch->bounce + sizeof(*hdr),
				   plen);
	}
	if (done == ch->layout.num)
		queue_work(ch->wq, &ch->rx_work);
	if (kick)
		rpmsg_amp_kick(ch);
	/* the link may have come up */
	wake_up(&ch->tx_wq);
}

/**
 * rpmsg_amp_remote_init() - allocate what the receive work needs
 * @ch: channel
 *
 * Called before the mailbox is requested: from then on a doorbell from a
 * master that is already running may start the receive work at any time.
 *
 * Return: 0 or -ENOMEM.
 */
int rpmsg_amp_remote_init(struct rpmsg_amp_channel *ch)
{
	ch->bounce = devm_kmalloc(ch->dev, ch->layout.buf_size, GFP_KERNEL);
	return ch->bounce ? 0 : -ENOMEM;
}

/**
 * rpmsg_amp_remote_start() - start the device side
 * @ch: channel, after rpmsg_amp_remote_init()
 *
 * Return: 0.
 */
int rpmsg_amp_remote_start(struct rpmsg_amp_channel *ch)
{
	/* the master may be up already and its first doorbell long gone */
	queue_work(ch->wq, &ch->rx_work);
	return 0;
}

/**
 * rpmsg_amp_remote_stop() - say goodbye and stop touching the rings
 * @ch: channel
 */
void rpmsg_amp_remote_stop(struct rpmsg_amp_channel *ch)
{
	if (READ_ONCE(ch->link_up))
		rpmsg_amp_remote_announce(ch, true);
	mutex_lock(&ch->tx_lock);
	ch->stopping = true;
	ch->link_up = false;
	mutex_unlock(&ch->tx_lock);
	cancel_work_sync(&ch->rx_work);
}

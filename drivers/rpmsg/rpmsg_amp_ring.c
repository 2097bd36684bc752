// SPDX-License-Identifier: GPL-2.0
/*
 * rpmsg_amp - the ring engine: split vrings from the device side, and the
 * driver side's check of the used ring
 *
 * The kernel has no device-side vring engine usable here: vringh (the
 * vhost helper) is rarely built on board kernels and expects user-space or
 * kernel virtual addresses or an IOTLB, not bus addresses inside a
 * carveout that has no linear mapping. So the device side of a split
 * virtqueue is written here, once for every kind of ring: the remote's
 * private rings (virtio_ring's own, trusted), the master's shared rings
 * (every value checked against a rule), and the fault injector's hostile
 * peer. The driver side is virtio_ring's; what it cannot do is check a
 * used ring written by someone it does not trust, which
 * rpmsg_amp_ring_get_used() does for the master.
 *
 * Nothing here locks or logs: each function says what it found, the
 * caller holds the locks the ring needs and reports refusals.
 */
#include <linux/bitops.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/module.h>
#include <linux/rpmsg_amp_compat.h>

#include "rpmsg_amp_lib.h"
#include "rpmsg_amp_ring.h"

/**
 * rpmsg_amp_ring_init() - device side of a laid-out vring, indices zero
 * @r: ring
 * @vr: the vring (vring_init())
 * @coherent: the other side sees the ring through coherent caches
 */
void rpmsg_amp_ring_init(struct rpmsg_amp_ring *r, const struct vring *vr,
			 bool coherent)
{
	r->desc = vr->desc;
	r->avail = vr->avail;
	r->used = vr->used;
	r->num = vr->num;
	r->last_avail = 0;
	r->used_idx = 0;
	r->coherent = coherent;
}
EXPORT_SYMBOL_NS_GPL(rpmsg_amp_ring_init, RPMSG_AMP_NS);

/**
 * rpmsg_amp_ring_sync() - take up the ring where the used index stands
 * @r: ring
 *
 * A device side that (re)attaches to a ring in use: everything up to
 * used->idx was handed back, everything after it is still to take.
 */
void rpmsg_amp_ring_sync(struct rpmsg_amp_ring *r)
{
	r->used_idx = rd16(&r->used->idx);
	r->last_avail = r->used_idx;
}
EXPORT_SYMBOL_NS_GPL(rpmsg_amp_ring_sync, RPMSG_AMP_NS);

/**
 * rpmsg_amp_ring_pending() - available entries not yet taken
 * @r: ring
 *
 * Return: their number, or -1 if avail->idx is more than a ring ahead of
 * us (it went back, or jumped: the indices are not ours any more).
 */
int rpmsg_amp_ring_pending(const struct rpmsg_amp_ring *r)
{
	u16 n = rd16(&r->avail->idx) - r->last_avail;

	return n > r->num ? -1 : n;
}
EXPORT_SYMBOL_NS_GPL(rpmsg_amp_ring_pending, RPMSG_AMP_NS);

/**
 * rpmsg_amp_ring_pop() - take the next available descriptor
 * @r: ring
 * @rule: what the descriptor must be; NULL for a ring we trust
 * @id: its id
 * @addr: its buffer's bus address
 * @len: its buffer's length
 * @why: NULL, or why the entry is refused
 * @bad: the refused value (for the log)
 *
 * A refused entry is taken all the same (returned as 0 with @why set), so
 * that one bad entry cannot wedge the ring; the caller gives it back
 * used, unless its @id is out of range, and counts it.
 *
 * Return: 0 if an entry was taken, 1 if none is available, -EPROTO if
 * the indices are inconsistent (nothing taken).
 */
int rpmsg_amp_ring_pop(struct rpmsg_amp_ring *r,
		       const struct rpmsg_amp_ring_rule *rule, u16 *id,
		       u64 *addr, u32 *len, const char **why, u64 *bad)
{
	struct vring_desc *d;
	int pending;
	u16 flags;

	*why = NULL;
	pending = rpmsg_amp_ring_pending(r);
	if (pending < 0)
		return -EPROTO;
	if (!pending)
		return 1;
	/* the index before the entry it covers */
	rpmsg_amp_ring_rmb(r);
	*id = rd16(&r->avail->ring[r->last_avail & (r->num - 1)]);
	r->last_avail++;
	if (*id >= r->num) {
		*why = "descriptor index out of range";
		*bad = 0;
		return 0;
	}
	d = &r->desc[*id];
	*addr = rd64(&d->addr);
	*len = rd32(&d->len);
	flags = rd16(&d->flags);
	if (!rule)
		return 0;
	if (flags & (VRING_DESC_F_NEXT | VRING_DESC_F_INDIRECT)) {
		*why = "chained descriptor";
		*bad = flags;
	} else if (rule->writable && !(flags & VRING_DESC_F_WRITE)) {
		*why = "descriptor direction";
		*bad = flags;
	} else if (*len < rule->min_len || *len > rule->max_len) {
		*why = "buffer length";
		*bad = *len;
	} else if (!rpmsg_amp_range_ok(rule->base, rule->size, *addr, *len)) {
		*why = "buffer outside the carveout";
		*bad = *addr;
	}
	return 0;
}
EXPORT_SYMBOL_NS_GPL(rpmsg_amp_ring_pop, RPMSG_AMP_NS);

/**
 * rpmsg_amp_ring_peek_len() - length of the next available descriptor
 * @r: a ring we trust, with an entry pending
 *
 * Return: the length.
 */
u32 rpmsg_amp_ring_peek_len(const struct rpmsg_amp_ring *r)
{
	u16 id;

	/* the index before the entry it covers */
	rpmsg_amp_ring_rmb(r);
	id = rd16(&r->avail->ring[r->last_avail & (r->num - 1)]);
	return rd32(&r->desc[id & (r->num - 1)].len);
}
EXPORT_SYMBOL_NS_GPL(rpmsg_amp_ring_peek_len, RPMSG_AMP_NS);

/**
 * rpmsg_amp_ring_push() - give a buffer back used
 * @r: ring
 * @id: its descriptor id
 * @len: bytes written into it
 */
void rpmsg_amp_ring_push(struct rpmsg_amp_ring *r, u16 id, u32 len)
{
	struct vring_used_elem *e = &r->used->ring[r->used_idx & (r->num - 1)];

	wr32(&e->id, id);
	wr32(&e->len, len);
	/*
	 * Our reads of the buffer and the entry before the index that hands
	 * the buffer back: the other side may reuse it as soon as it sees
	 * the index, so a store barrier alone (which orders stores only)
	 * is not enough.
	 */
	rpmsg_amp_ring_mb(r);
	r->used_idx++;
	wr16(&r->used->idx, r->used_idx);
}
EXPORT_SYMBOL_NS_GPL(rpmsg_amp_ring_push, RPMSG_AMP_NS);

/**
 * rpmsg_amp_ring_wants_irq() - does the driver side want a doorbell?
 * @r: ring, after rpmsg_amp_ring_push()
 *
 * Return: false if it set VRING_AVAIL_F_NO_INTERRUPT.
 */
bool rpmsg_amp_ring_wants_irq(const struct rpmsg_amp_ring *r)
{
	/* our used->idx store must be visible before we read the flags */
	rpmsg_amp_ring_mb(r);
	return !(rd16(&r->avail->flags) & VRING_AVAIL_F_NO_INTERRUPT);
}
EXPORT_SYMBOL_NS_GPL(rpmsg_amp_ring_wants_irq, RPMSG_AMP_NS);

/**
 * rpmsg_amp_ring_want_notify() - device side: ring when entries come?
 * @r: ring
 * @want: ask the driver side to notify us of new available entries
 *
 * Clears or sets VRING_USED_F_NO_NOTIFY. A device that starts asking
 * looks again afterwards: entries made available before the driver side
 * could see the request come with no notification.
 *
 * Return: true if @want and entries are pending now.
 */
bool rpmsg_amp_ring_want_notify(struct rpmsg_amp_ring *r, bool want)
{
	u16 flags = want ? 0 : VRING_USED_F_NO_NOTIFY;

	if (rd16(&r->used->flags) != flags)
		wr16(&r->used->flags, flags);
	if (!want)
		return false;
	/* the request before we look at the index again */
	rpmsg_amp_ring_mb(r);
	return rpmsg_amp_ring_pending(r) > 0;
}
EXPORT_SYMBOL_NS_GPL(rpmsg_amp_ring_want_notify, RPMSG_AMP_NS);

/**
 * rpmsg_amp_ring_wants_notify() - driver side: does the device want a
 * notification of the entries just made available?
 * @r: ring, after the new avail->idx is written
 *
 * Return: false if it set VRING_USED_F_NO_NOTIFY.
 */
bool rpmsg_amp_ring_wants_notify(const struct rpmsg_amp_ring *r)
{
	/* our avail->idx store must be visible before we read the flags */
	rpmsg_amp_ring_mb(r);
	return !(rd16(&r->used->flags) & VRING_USED_F_NO_NOTIFY);
}
EXPORT_SYMBOL_NS_GPL(rpmsg_amp_ring_wants_notify, RPMSG_AMP_NS);

/**
 * rpmsg_amp_ring_get_used() - driver side: take one entry the device used
 * @r: ring the other side writes the used entries of
 * @cursor: our next used entry; advanced past the one taken
 * @posted: ids we made available and did not get back; the id taken is
 *	cleared
 * @outstanding: their number; decremented
 * @id: the id taken; for a broken ring, a value for the log
 * @len: its used length; for a broken ring, a value for the log
 * @why: why the ring is broken
 *
 * The used index may move forward only by at most the buffers outstanding,
 * and each id must be one outstanding. Either fault leaves our view of the
 * ring wrong: there is no entry to skip, the ring is broken.
 *
 * Return: 0 if an entry was taken, 1 if none was used, -EPROTO if the
 * ring is broken (@why says why; nothing taken).
 */
int rpmsg_amp_ring_get_used(const struct rpmsg_amp_ring *r, u16 *cursor,
			    unsigned long *posted, unsigned int *outstanding,
			    u32 *id, u32 *len, const char **why)
{
	struct vring_used_elem *e;
	u16 n = rd16(&r->used->idx) - *cursor;

	if (n > *outstanding) {
		*why = "used index moved past the buffers outstanding";
		*id = n;
		*len = *outstanding;
		return -EPROTO;
	}
	if (!n)
		return 1;
	/* the index before the entry it covers */
	rpmsg_amp_ring_rmb(r);
	e = &r->used->ring[*cursor & (r->num - 1)];
	*id = rd32(&e->id);
	*len = rd32(&e->len);
	if (*id >= r->num) {
		*why = "used id out of range";
		return -EPROTO;
	}
	if (!test_bit(*id, posted)) {
		*why = "used id not outstanding";
		return -EPROTO;
	}
	__clear_bit(*id, posted);
	(*outstanding)--;
	(*cursor)++;
	return 0;
}
EXPORT_SYMBOL_NS_GPL(rpmsg_amp_ring_get_used, RPMSG_AMP_NS);

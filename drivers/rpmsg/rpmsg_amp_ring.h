/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rpmsg_amp - the ring engine: one split vring seen from the device side
 * (take what the driver made available, give it back used), and the
 * driver side's check of what the device gave back. Pure: no locks, no
 * devices, no logging; callers hold what they need and say why they
 * refuse. Both transports and the fault injector use it, and KUnit tests
 * it with hostile rings (rpmsg_amp_kunit.c).
 */
#ifndef _RPMSG_AMP_RING_H
#define _RPMSG_AMP_RING_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <asm/barrier.h>
#include <linux/virtio_ring.h>

/* Ring fields, little-endian (VIRTIO_F_VERSION_1), read and written once. */
static inline u16 rd16(const __virtio16 *p)
{
	return le16_to_cpu((__force __le16)READ_ONCE(*p));
}

static inline u32 rd32(const __virtio32 *p)
{
	return le32_to_cpu((__force __le32)READ_ONCE(*p));
}

static inline u64 rd64(const __virtio64 *p)
{
	return le64_to_cpu((__force __le64)READ_ONCE(*p));
}

static inline void wr16(__virtio16 *p, u16 v)
{
	WRITE_ONCE(*p, (__force __virtio16)cpu_to_le16(v));
}

static inline void wr32(__virtio32 *p, u32 v)
{
	WRITE_ONCE(*p, (__force __virtio32)cpu_to_le32(v));
}

static inline void wr64(__virtio64 *p, u64 v)
{
	WRITE_ONCE(*p, (__force __virtio64)cpu_to_le64(v));
}

/**
 * struct rpmsg_amp_ring - one split vring
 * @desc: descriptor table
 * @avail: available ring (written by the driver side)
 * @used: used ring (written by the device side)
 * @num: entries, a power of two
 * @last_avail: device side: next available entry it takes
 * @used_idx: device side: its copy of used->idx
 * @coherent: the other side sees this memory through coherent caches
 *	(device tree "dma-coherent"): SMP barriers order what it sees. Else
 *	the memory is mapped uncached and the barriers are mandatory ones.
 */
struct rpmsg_amp_ring {
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;
	u32 num;
	u16 last_avail;
	u16 used_idx;
	bool coherent;
};

/*
 * Barriers between this CPU and the other side of ring @r: SMP barriers
 * order accesses that coherent caches carry to it, mandatory ones what
 * goes to uncached memory. Each orders what the caller's comment says.
 */
static inline void rpmsg_amp_ring_mb(const struct rpmsg_amp_ring *r)
{
	if (r->coherent)
		virt_mb(); /* loads and stores, for a coherent peer */
	else
		mb(); /* loads and stores, for an uncached peer */
}

static inline void rpmsg_amp_ring_rmb(const struct rpmsg_amp_ring *r)
{
	if (r->coherent)
		virt_rmb(); /* loads, for a coherent peer */
	else
		rmb(); /* loads, for an uncached peer */
}

static inline void rpmsg_amp_ring_wmb(const struct rpmsg_amp_ring *r)
{
	if (r->coherent)
		virt_wmb(); /* stores, for a coherent peer */
	else
		wmb(); /* stores, for an uncached peer */
}

/**
 * struct rpmsg_amp_ring_rule - what a descriptor of an untrusted ring must be
 * @base: bus address of the buffer carveout
 * @size: its size
 * @min_len: shortest buffer
 * @max_len: longest buffer
 * @writable: the device writes the buffer: it must be VRING_DESC_F_WRITE.
 *	A buffer the device only reads may carry the flag all the same
 *	(RPMsg-Lite's master sets it on its transmit buffers): reading it
 *	cannot hurt, so that is not refused.
 */
struct rpmsg_amp_ring_rule {
	u64 base;
	u64 size;
	u32 min_len;
	u32 max_len;
	bool writable;
};

void rpmsg_amp_ring_init(struct rpmsg_amp_ring *r, const struct vring *vr,
			 bool coherent);
void rpmsg_amp_ring_sync(struct rpmsg_amp_ring *r);
int rpmsg_amp_ring_pending(const struct rpmsg_amp_ring *r);
int rpmsg_amp_ring_pop(struct rpmsg_amp_ring *r,
		       const struct rpmsg_amp_ring_rule *rule, u16 *id,
		       u64 *addr, u32 *len, const char **why, u64 *bad);
u32 rpmsg_amp_ring_peek_len(const struct rpmsg_amp_ring *r);
void rpmsg_amp_ring_push(struct rpmsg_amp_ring *r, u16 id, u32 len);
bool rpmsg_amp_ring_wants_irq(const struct rpmsg_amp_ring *r);
bool rpmsg_amp_ring_want_notify(struct rpmsg_amp_ring *r, bool want);
bool rpmsg_amp_ring_wants_notify(const struct rpmsg_amp_ring *r);
int rpmsg_amp_ring_get_used(const struct rpmsg_amp_ring *r, u16 *cursor,
			    unsigned long *posted, unsigned int *outstanding,
			    u32 *id, u32 *len, const char **why);

#endif /* _RPMSG_AMP_RING_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rpmsg_amp - pure helpers (no hardware, no locking), unit-tested by KUnit
 */
#ifndef _RPMSG_AMP_LIB_H
#define _RPMSG_AMP_LIB_H

#include <linux/rpmsg_amp.h>
#include <linux/types.h>

#include "rpmsg_amp_wire.h"

/* A message nobody owns: what a refused received message is turned into. */
#define RPMSG_AMP_NOWHERE	0xffffffffU

/**
 * struct rpmsg_amp_layout - where the vrings sit inside the vring region
 * @num: descriptors per vring (power of two)
 * @align: vring alignment (power of two)
 * @vring_bytes: size of one vring as laid out by vring_size()
 * @vring_off: offsets of vring 0 (master RX) and vring 1 (master TX)
 * @vring_region_need: bytes the vring region must at least hold
 * @buf_size: size of one message buffer, header included
 * @buf_region_need: bytes the buffer region must at least hold
 */
struct rpmsg_amp_layout {
	u32 num;
	u32 align;
	size_t vring_bytes;
	size_t vring_off[2];
	size_t vring_region_need;
	u32 buf_size;
	size_t buf_region_need;
};

int rpmsg_amp_parse_role(const char *s);
const char *rpmsg_amp_role_name(int role);
int rpmsg_amp_calc_layout(struct rpmsg_amp_layout *l, u32 num, u32 align,
			  u32 buf_size, const char **why);
int rpmsg_amp_check_epts(const u32 *addrs, unsigned int n, const char **why);
int rpmsg_amp_ept_name(char *buf, size_t size, u32 chan, u32 addr);

void rpmsg_amp_hdr_pack(struct rpmsg_amp_wire_hdr *h, u32 src, u32 dst,
			u16 len);
int rpmsg_amp_hdr_unpack(const struct rpmsg_amp_wire_hdr *h, size_t buf_len,
			 u32 *src, u32 *dst, u16 *len);
void rpmsg_amp_ns_pack(struct rpmsg_amp_wire_ns *ns, const char *name,
		       u32 addr, bool destroy);
int rpmsg_amp_ns_unpack(const struct rpmsg_amp_wire_ns *ns, size_t len,
			char *name, u32 *addr, bool *destroy);
bool rpmsg_amp_range_ok(u64 base, u64 size, u64 addr, u64 len);

/* Most services the other side may have announced at once (flood guard). */
#define RPMSG_AMP_MAX_NS	64

/**
 * struct rpmsg_amp_ns_table - services the other side has announced
 * @name: their names
 * @addr: their addresses
 * @n: entries in use
 */
struct rpmsg_amp_ns_table {
	char name[RPMSG_AMP_MAX_NS][RPMSG_AMP_NAME_SIZE];
	u32 addr[RPMSG_AMP_MAX_NS];
	unsigned int n;
};

int rpmsg_amp_rx_verify(void *buf, u32 *len, struct rpmsg_amp_ns_table *t,
			u32 *dst, const char **why);

/* Trace buffers of a resource table that are shown (debugfs). */
#define RPMSG_AMP_RSC_MAX_TRACE	2

/**
 * struct rpmsg_amp_rsc_info - what a remote's resource table says
 * @vdev_off: offset of the rpmsg virtio device entry in the table
 * @dfeatures: the features the remote offers
 * @num: descriptors per vring (the same for both)
 * @align: vring alignment (the same for both)
 * @da: device address of each vring, or RPMSG_AMP_RSC_ADDR_ANY
 * @notifyid: notify id of each vring, or RPMSG_AMP_RSC_ADDR_ANY
 * @n_trace: trace buffers found (the first RPMSG_AMP_RSC_MAX_TRACE)
 * @trace_da: device address of each
 * @trace_len: size of each
 */
struct rpmsg_amp_rsc_info {
	u32 vdev_off;
	u32 dfeatures;
	u32 num;
	u32 align;
	u32 da[2];
	u32 notifyid[2];
	unsigned int n_trace;
	u32 trace_da[RPMSG_AMP_RSC_MAX_TRACE];
	u32 trace_len[RPMSG_AMP_RSC_MAX_TRACE];
};

int rpmsg_amp_rsc_parse(const void *table, size_t size,
			struct rpmsg_amp_rsc_info *info, const char **why);

#endif /* _RPMSG_AMP_LIB_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * rpmsg_amp - pure helpers: property validation, carveout layout, wire
 * encoding. Exported in the RPMSG_AMP namespace for the KUnit suite.
 */
#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/overflow.h>
#include <linux/rpmsg_amp_compat.h>
#include <linux/string.h>
#include <linux/virtio_ring.h>

#include "rpmsg_amp_lib.h"

/**
 * rpmsg_amp_parse_role() - parse the rpmsg-role property
 * @s: "master" or "remote"
 *
 * Return: RPMSG_AMP_ROLE_MASTER, RPMSG_AMP_ROLE_REMOTE or -EINVAL.
 */
int rpmsg_amp_parse_role(const char *s)
{
	if (!s)
		return -EINVAL;
	if (!strcmp(s, "master"))
		return RPMSG_AMP_ROLE_MASTER;
	if (!strcmp(s, "remote"))
		return RPMSG_AMP_ROLE_REMOTE;
	return -EINVAL;
}
EXPORT_SYMBOL_NS_GPL(rpmsg_amp_parse_role, RPMSG_AMP_NS);

/**
 * rpmsg_amp_role_name() - printable name of a role
 * @role: RPMSG_AMP_ROLE_*
 *
 * Return: "master", "remote" or "unknown".
 */
const char *rpmsg_amp_role_name(int role)
{
	switch (role) {
	case RPMSG_AMP_ROLE_MASTER:
		return "master";
	case RPMSG_AMP_ROLE_REMOTE:
		return "remote";
	default:
		return "unknown";
	}
}
EXPORT_SYMBOL_NS_GPL(rpmsg_amp_role_name, RPMSG_AMP_NS);

/**
 * rpmsg_amp_calc_layout() - lay out two vrings and the buffers
 * @l: result
 * @num: descriptors per vring
 * @align: vring alignment
 * @buf_size: bytes per message buffer
 * @why: on error, the name of the offending property
 *
 * Vring 0 (the master's receive ring) starts at offset 0 of the vring
 * region, vring 1 (the master's transmit ring) at the next multiple of
 * @align after it. The master allocates 2 * @num buffers (half per
 * direction) in the buffer region, as virtio_rpmsg_bus does.
 *
 * Return: 0 or -EINVAL.
 */
int rpmsg_amp_calc_layout(struct rpmsg_amp_layout *l, u32 num, u32 align,
			  u32 buf_size, const char **why)
{
	memset(l, 0, sizeof(*l));
	if (num < 2 || num > 32768 || !is_power_of_2(num)) {
		*why = "vring-num";
		return -EINVAL;
	}
	if (align < 16 || align > 65536 || !is_power_of_2(align)) {
		*why = "vring-align";
		return -EINVAL;
	}
	if (buf_size <= RPMSG_AMP_HDR_SIZE || buf_size > 65536 ||
	    buf_size % 16) {
		*why = "buffer-size";
		return -EINVAL;
	}
	l->num = num;
	l->align = align;
	l->buf_size = buf_size;
	l->vring_bytes = vring_size(num, align);
	l->vring_off[0] = 0;
	l->vring_off[1] = ALIGN(l->vring_bytes, align);
	l->vring_region_need = l->vring_off[1] + l->vring_bytes;
	l->buf_region_need = (size_t)num * 2 * buf_size;
	return 0;
}
EXPORT_SYMBOL_NS_GPL(rpmsg_amp_calc_layout, RPMSG_AMP_NS);

/**
 * rpmsg_amp_check_epts() - validate an endpoint address list
 * @addrs: addresses
 * @n: count
 * @why: on error, what is wrong
 *
 * Endpoint addresses must be static (below 1024), not the name service
 * (53), and unique.
 *
 * Return: 0 or -EINVAL.
 */
int rpmsg_amp_check_epts(const u32 *addrs, unsigned int n, const char **why)
{
	unsigned int i, j;

	if (n > RPMSG_AMP_MAX_EPTS) {
		*why = "too many endpoints";
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		if (addrs[i] >= RPMSG_AMP_RESERVED_ADDRS) {
			*why = "endpoint address must be below 1024";
			return -EINVAL;
		}
		if (addrs[i] == RPMSG_AMP_NS_ADDR) {
			*why = "endpoint address 53 is the name service";
			return -EINVAL;
		}
		for (j = 0; j < i; j++) {
			if (addrs[i] == addrs[j]) {
				*why = "duplicate endpoint address";
				return -EINVAL;
			}
		}
	}
	return 0;
}
EXPORT_SYMBOL_NS_GPL(rpmsg_amp_check_epts, RPMSG_AMP_NS);

/**
 * rpmsg_amp_ept_name() - device name of an endpoint: rpmsgN_M
 * @buf: output
 * @size: size of @buf
 * @chan: channel index N
 * @addr: endpoint address M
 *
 * Return: 0, or -ENAMETOOLONG if @buf is too small.
 */
int rpmsg_amp_ept_name(char *buf, size_t size, u32 chan, u32 addr)
{
	int n = snprintf(buf, size, "rpmsg%u_%u", chan, addr);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}
EXPORT_SYMBOL_NS_GPL(rpmsg_amp_ept_name, RPMSG_AMP_NS);

/**
 * rpmsg_amp_hdr_pack() - fill a message header
 * @h: header in (shared) memory
 * @src: source address
 * @dst: destination address
 * @len: payload length
 */
void rpmsg_amp_hdr_pack(struct rpmsg_amp_wire_hdr *h, u32 src, u32 dst,
			u16 len)
{
	h->src = cpu_to_le32(src);
	h->dst = cpu_to_le32(dst);
	h->reserved = 0;
	h->len = cpu_to_le16(len);
	h->flags = 0;
}
EXPORT_SYMBOL_NS_GPL(rpmsg_amp_hdr_pack, RPMSG_AMP_NS);

/**
 * rpmsg_amp_hdr_unpack() - read and validate a received header
 * @h: header, already copied out of shared memory
 * @buf_len: bytes the other side said the buffer holds
 * @src: source address
 * @dst: destination address
 * @len: payload length
 *
 * Return: 0, or -EBADMSG if the buffer cannot hold the header and payload.
 */
int rpmsg_amp_hdr_unpack(const struct rpmsg_amp_wire_hdr *h, size_t buf_len,
			 u32 *src, u32 *dst, u16 *len)
{
	if (buf_len < sizeof(*h))
		return -EBADMSG;
	*src = le32_to_cpu(h->src);
	*dst = le32_to_cpu(h->dst);
	*len = le16_to_cpu(h->len);
	if (*len > buf_len - sizeof(*h))
		return -EBADMSG;
	return 0;
}
EXPORT_SYMBOL_NS_GPL(rpmsg_amp_hdr_unpack, RPMSG_AMP_NS);

/**
 * rpmsg_amp_ns_pack() - fill a name-service announcement
 * @ns: output
 * @name: service name (truncated to 31 characters)
 * @addr: endpoint address
 * @destroy: announce removal instead of creation
 */
void rpmsg_amp_ns_pack(struct rpmsg_amp_wire_ns *ns, const char *name,
		       u32 addr, bool destroy)
{
	memset(ns, 0, sizeof(*ns));
	strscpy(ns->name, name, sizeof(ns->name));
	ns->addr = cpu_to_le32(addr);
	ns->flags = cpu_to_le32(destroy ? 1 : 0);
}
EXPORT_SYMBOL_NS_GPL(rpmsg_amp_ns_pack, RPMSG_AMP_NS);

/**
 * rpmsg_amp_ns_unpack() - validate a name-service announcement
 * @ns: message payload
 * @len: payload length
 * @name: output, RPMSG_AMP_NAME_SIZE bytes
 * @addr: announced address
 * @destroy: true for a removal
 *
 * Return: 0, or -EBADMSG for a short message, an empty or unterminated
 * name, or unknown flags.
 */
int rpmsg_amp_ns_unpack(const struct rpmsg_amp_wire_ns *ns, size_t len,
			char *name, u32 *addr, bool *destroy)
{
	u32 flags;

	if (len != sizeof(*ns))
		return -EBADMSG;
	if (!ns->name[0] || !memchr(ns->name, '\0', sizeof(ns->name)))
		return -EBADMSG;
	flags = le32_to_cpu(ns->flags);
	if (flags > 1)
		return -EBADMSG;
	strscpy(name, ns->name, RPMSG_AMP_NAME_SIZE);
	*addr = le32_to_cpu(ns->addr);
	*destroy = flags == 1;
	return 0;
}
EXPORT_SYMBOL_NS_GPL(rpmsg_amp_ns_unpack, RPMSG_AMP_NS);

/**
 * rpmsg_amp_range_ok() - is [addr, addr + len) inside [base, base + size)?
 * @base: region start
 * @size: region size
 * @addr: start of the range to check
 * @len: its length
 *
 * Safe against wrap-around of untrusted values.
 *
 * Return: true if the range is inside the region.
 */
bool rpmsg_amp_range_ok(u64 base, u64 size, u64 addr, u64 len)
{
	if (addr < base)
		return false;
	if (addr - base > size)
		return false;
	return len <= size - (addr - base);
}
EXPORT_SYMBOL_NS_GPL(rpmsg_amp_range_ok, RPMSG_AMP_NS);

/* the flood guard of rpmsg_amp_rx_verify() */
static int rpmsg_amp_ns_track(struct rpmsg_amp_ns_table *t,
			      const struct rpmsg_amp_wire_ns *ns,
			      const char **why)
{
	char name[RPMSG_AMP_NAME_SIZE];
	unsigned int i;
	bool destroy;
	u32 addr;

	if (rpmsg_amp_ns_unpack(ns, sizeof(*ns), name, &addr, &destroy)) {
		*why = "malformed name-service message";
		return -EBADMSG;
	}
	for (i = 0; i < t->n; i++)
		if (t->addr[i] == addr && !strcmp(t->name[i], name))
			break;
	if (destroy) {
		if (i < t->n) {
			t->n--;
			memcpy(t->name[i], t->name[t->n], RPMSG_AMP_NAME_SIZE);
			t->addr[i] = t->addr[t->n];
		}
		return 0;
	}
	if (i < t->n) {
		/* virtio_rpmsg_bus would only complain about the duplicate */
		*why = "service announced again";
		return -EEXIST;
	}
	if (t->n == RPMSG_AMP_MAX_NS) {
		*why = "too many services announced";
		return -ENOSPC;
	}
	strscpy(t->name[t->n], name, RPMSG_AMP_NAME_SIZE);
	t->addr[t->n++] = addr;
	return 0;
}

/**
 * rpmsg_amp_rx_verify() - check a received message before the rpmsg core
 * @buf: the message, header first, in memory the other core cannot write
 *	(a private copy): what is checked here is what is handed on
 * @len: in: bytes the other core says it wrote, at most the buffer's size;
 *	out: the length to hand on (header and payload)
 * @t: services announced so far, updated by name-service messages
 * @dst: the destination address, RPMSG_AMP_NOWHERE if refused
 * @why: the reason, if refused
 *
 * The header must fit @len, its payload length too; a name-service message
 * must be one well-formed announcement or withdrawal, and no more than
 * RPMSG_AMP_MAX_NS services may stand at once. A refused message has its
 * header rewritten in @buf into an empty message to an address nobody
 * owns, so that no ring slot is ever lost to it.
 *
 * Return: 0; -EEXIST for a service announced again (dropped, but no fault
 * of the other core); -EBADMSG or -ENOSPC for a refused message.
 */
int rpmsg_amp_rx_verify(void *buf, u32 *len, struct rpmsg_amp_ns_table *t,
			u32 *dst, const char **why)
{
	struct rpmsg_amp_wire_hdr *h = buf;
	int ret = -EBADMSG;
	u32 src;
	u16 plen;

	*why = NULL;
	if (rpmsg_amp_hdr_unpack(h, *len, &src, dst, &plen)) {
		*why = *len < sizeof(*h) ? "used length does not fit the buffer" :
		       "message length exceeds buffer";
		goto discard;
	}
	if (*dst == RPMSG_AMP_NS_ADDR) {
		if (plen != sizeof(struct rpmsg_amp_wire_ns)) {
			*why = "malformed name-service message";
			goto discard;
		}
		ret = rpmsg_amp_ns_track(t, buf + sizeof(*h), why);
		if (ret)
			goto discard;
	}
	*len = sizeof(*h) + plen;
	return 0;

discard:
	rpmsg_amp_hdr_pack(h, 0, RPMSG_AMP_NOWHERE, 0);
	*dst = RPMSG_AMP_NOWHERE;
	*len = sizeof(*h);
	return ret;
}
EXPORT_SYMBOL_NS_GPL(rpmsg_amp_rx_verify, RPMSG_AMP_NS);

/**
 * rpmsg_amp_rsc_parse() - find and check the rpmsg device of a resource table
 * @table: a private copy of the table (the remote may change the original)
 * @size: bytes of @table
 * @info: result
 * @why: on error, what is wrong
 *
 * Everything in the table is the other core's: the header's version and
 * entry count, every offset and every entry's extent are checked against
 * @size before they are read. The first virtio device entry of rpmsg is
 * taken; it must have two vrings of one size (a power of two, 2..32768)
 * and one alignment (a power of two, 16..65536), 4-byte alignment in the
 * table (the master writes its fields back), and offer the name service
 * (VIRTIO_RPMSG_F_NS), which tells the master that the remote is there.
 * Trace buffer entries (RSC_TRACE) are collected (the first
 * RPMSG_AMP_RSC_MAX_TRACE), other entries skipped; every entry's header
 * is checked all the same. Where the vrings and
 * trace buffers are is checked by the caller, who knows the carveouts.
 *
 * Return: 0, or -EINVAL with @why set.
 */
int rpmsg_amp_rsc_parse(const void *table, size_t size,
			struct rpmsg_amp_rsc_info *info, const char **why)
{
	const struct rpmsg_amp_wire_rsc_table *t = table;
	const struct rpmsg_amp_wire_rsc_vdev *v;
	bool found = false;
	size_t off, need;
	u32 i, n, k;

	memset(info, 0, sizeof(*info));
	if (size < sizeof(*t)) {
		*why = "smaller than its header";
		return -EINVAL;
	}
	if (le32_to_cpu(t->ver) != RPMSG_AMP_RSC_VERSION) {
		*why = "version is not 1";
		return -EINVAL;
	}
	n = le32_to_cpu(t->num);
	if (n > (size - sizeof(*t)) / sizeof(t->offset[0])) {
		*why = "more entries than fit";
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		off = le32_to_cpu(t->offset[i]);
		if (off < struct_size(t, offset, n) || off > size - 4) {
			*why = "an entry's offset is outside the table";
			return -EINVAL;
		}
		v = table + off;
		if (le32_to_cpu(v->type) == RPMSG_AMP_RSC_TRACE) {
			const struct rpmsg_amp_wire_rsc_trace *tr = table + off;

			if (size - off < sizeof(*tr)) {
				*why = "a trace entry runs past the end";
				return -EINVAL;
			}
			if (info->n_trace < RPMSG_AMP_RSC_MAX_TRACE) {
				info->trace_da[info->n_trace] =
					le32_to_cpu(tr->da);
				info->trace_len[info->n_trace++] =
					le32_to_cpu(tr->len);
			}
			continue;
		}
		if (le32_to_cpu(v->type) != RPMSG_AMP_RSC_VDEV)
			continue;
		if (size - off < sizeof(*v)) {
			*why = "a virtio device entry runs past the end";
			return -EINVAL;
		}
		need = struct_size(v, vring, v->num_of_vrings) +
		       (size_t)le32_to_cpu(v->config_len);
		if (need > size - off) {
			*why = "a virtio device entry runs past the end";
			return -EINVAL;
		}
		if (le32_to_cpu(v->id) != RPMSG_AMP_VIRTIO_ID_RPMSG || found)
			continue;
		if (off % 4) {
			*why = "the rpmsg device entry is not 4-byte aligned";
			return -EINVAL;
		}
		if (v->num_of_vrings != 2) {
			*why = "the rpmsg device does not have 2 vrings";
			return -EINVAL;
		}
		info->vdev_off = off;
		info->dfeatures = le32_to_cpu(v->dfeatures);
		info->num = le32_to_cpu(v->vring[0].num);
		info->align = le32_to_cpu(v->vring[0].align);
		for (k = 0; k < 2; k++) {
			if (le32_to_cpu(v->vring[k].num) != info->num ||
			    le32_to_cpu(v->vring[k].align) != info->align) {
				*why = "the two vrings differ in size or alignment";
				return -EINVAL;
			}
			info->da[k] = le32_to_cpu(v->vring[k].da);
			info->notifyid[k] = le32_to_cpu(v->vring[k].notifyid);
		}
		if (info->num < 2 || info->num > 32768 ||
		    !is_power_of_2(info->num)) {
			*why = "vring num is not a power of two in 2..32768";
			return -EINVAL;
		}
		if (info->align < 16 || info->align > 65536 ||
		    !is_power_of_2(info->align)) {
			*why = "vring align is not a power of two in 16..65536";
			return -EINVAL;
		}
		if (!(info->dfeatures & BIT(0))) {
			*why = "the remote does not offer the name service (VIRTIO_RPMSG_F_NS)";
			return -EINVAL;
		}
		found = true;
	}
	if (!found) {
		*why = "no rpmsg virtio device entry";
		return -EINVAL;
	}
	return 0;
}
EXPORT_SYMBOL_NS_GPL(rpmsg_amp_rsc_parse, RPMSG_AMP_NS);

// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the pure logic of rpmsg_amp: device-tree value checks,
 * carveout layout, wire encoding of headers and name-service messages,
 * endpoint naming, range checks of untrusted addresses, the check of a
 * received message, the ring engine against hostile rings, and the check
 * of a remote's resource table.
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/rpmsg_amp.h>
#include <linux/rpmsg_amp_compat.h>
#include <linux/virtio_ring.h>

#include "../../drivers/rpmsg/rpmsg_amp_lib.h"
#include "../../drivers/rpmsg/rpmsg_amp_ring.h"

MODULE_IMPORT_NS(RPMSG_AMP_NS);

static void rpmsg_amp_test_role(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, rpmsg_amp_parse_role("master"),
			RPMSG_AMP_ROLE_MASTER);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_parse_role("remote"),
			RPMSG_AMP_ROLE_REMOTE);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_parse_role("Master"), -EINVAL);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_parse_role("slave"), -EINVAL);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_parse_role(""), -EINVAL);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_parse_role(NULL), -EINVAL);
	RPMSG_AMP_EXPECT_STREQ(test, rpmsg_amp_role_name(RPMSG_AMP_ROLE_REMOTE),
			       "remote");
	RPMSG_AMP_EXPECT_STREQ(test, rpmsg_amp_role_name(7), "unknown");
}

static void rpmsg_amp_test_layout(struct kunit *test)
{
	struct rpmsg_amp_layout l;
	const char *why = NULL;

	KUNIT_ASSERT_EQ(test, rpmsg_amp_calc_layout(&l, 256, 4096, 512, &why),
			0);
	KUNIT_EXPECT_EQ(test, l.vring_bytes, (size_t)vring_size(256, 4096));
	/* 256 descriptors: 4096 + 518 -> 8192, + 6 + 8 * 256 = 10246 */
	KUNIT_EXPECT_EQ(test, l.vring_bytes, (size_t)10246);
	KUNIT_EXPECT_EQ(test, l.vring_off[0], (size_t)0);
	KUNIT_EXPECT_EQ(test, l.vring_off[1], (size_t)12288);
	KUNIT_EXPECT_EQ(test, l.vring_region_need, (size_t)(12288 + 10246));
	KUNIT_EXPECT_EQ(test, l.buf_region_need, (size_t)(512 * 512));

	KUNIT_ASSERT_EQ(test, rpmsg_amp_calc_layout(&l, 16, 64, 256, &why), 0);
	KUNIT_EXPECT_EQ(test, l.vring_off[1] % 64, (size_t)0);
	KUNIT_EXPECT_GE(test, l.vring_off[1], l.vring_bytes);

	KUNIT_EXPECT_EQ(test, rpmsg_amp_calc_layout(&l, 100, 4096, 512, &why),
			-EINVAL);
	RPMSG_AMP_EXPECT_STREQ(test, why, "vring-num");
	KUNIT_EXPECT_EQ(test, rpmsg_amp_calc_layout(&l, 0, 4096, 512, &why),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_calc_layout(&l, 65536, 4096, 512,
						    &why), -EINVAL);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_calc_layout(&l, 256, 3000, 512, &why),
			-EINVAL);
	RPMSG_AMP_EXPECT_STREQ(test, why, "vring-align");
	KUNIT_EXPECT_EQ(test, rpmsg_amp_calc_layout(&l, 256, 4096, 16, &why),
			-EINVAL);
	RPMSG_AMP_EXPECT_STREQ(test, why, "buffer-size");
	KUNIT_EXPECT_EQ(test, rpmsg_amp_calc_layout(&l, 256, 4096, 520, &why),
			-EINVAL);
}

static void rpmsg_amp_test_epts(struct kunit *test)
{
	const u32 good[] = { 13, 14, 0, 1023 };
	const u32 ns[] = { 13, 53 };
	const u32 high[] = { 1024 };
	const u32 dup[] = { 13, 14, 13 };
	u32 many[RPMSG_AMP_MAX_EPTS + 1];
	const char *why = NULL;
	int i;

	KUNIT_EXPECT_EQ(test, rpmsg_amp_check_epts(good, 4, &why), 0);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_check_epts(good, 0, &why), 0);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_check_epts(ns, 2, &why), -EINVAL);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_check_epts(high, 1, &why), -EINVAL);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_check_epts(dup, 3, &why), -EINVAL);
	RPMSG_AMP_EXPECT_STREQ(test, why, "duplicate endpoint address");
	for (i = 0; i < ARRAY_SIZE(many); i++)
		many[i] = i + 100;
	KUNIT_EXPECT_EQ(test, rpmsg_amp_check_epts(many, ARRAY_SIZE(many),
						   &why), -EINVAL);
}

static void rpmsg_amp_test_name(struct kunit *test)
{
	char buf[16];

	KUNIT_EXPECT_EQ(test, rpmsg_amp_ept_name(buf, sizeof(buf), 1, 13), 0);
	RPMSG_AMP_EXPECT_STREQ(test, buf, "rpmsg1_13");
	KUNIT_EXPECT_EQ(test, rpmsg_amp_ept_name(buf, sizeof(buf), 2, 1023),
			0);
	RPMSG_AMP_EXPECT_STREQ(test, buf, "rpmsg2_1023");
	KUNIT_EXPECT_EQ(test, rpmsg_amp_ept_name(buf, 8, 1, 13),
			-ENAMETOOLONG);
}

static void rpmsg_amp_test_hdr(struct kunit *test)
{
	static const u8 want[16] = {
		0x0b, 0, 0, 0,  0x0d, 0, 0, 0,  0, 0, 0, 0,  0x02, 0,  0, 0,
	};
	struct rpmsg_amp_wire_hdr h;
	u32 src, dst;
	u16 len;

	KUNIT_EXPECT_EQ(test, sizeof(h), (size_t)RPMSG_AMP_HDR_SIZE);
	memset(&h, 0xaa, sizeof(h));
	rpmsg_amp_hdr_pack(&h, 11, 13, 2);
	KUNIT_EXPECT_EQ(test, memcmp(&h, want, sizeof(want)), 0);

	KUNIT_EXPECT_EQ(test, rpmsg_amp_hdr_unpack(&h, 18, &src, &dst, &len),
			0);
	KUNIT_EXPECT_EQ(test, src, 11u);
	KUNIT_EXPECT_EQ(test, dst, 13u);
	RPMSG_AMP_EXPECT_EQ(test, len, 2);
	/* payload longer than the buffer */
	KUNIT_EXPECT_EQ(test, rpmsg_amp_hdr_unpack(&h, 17, &src, &dst, &len),
			-EBADMSG);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_hdr_unpack(&h, 15, &src, &dst, &len),
			-EBADMSG);
	h.len = cpu_to_le16(0xffff);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_hdr_unpack(&h, 512, &src, &dst, &len),
			-EBADMSG);
}

static void rpmsg_amp_test_ns(struct kunit *test)
{
	struct rpmsg_amp_wire_ns ns;
	char name[RPMSG_AMP_NAME_SIZE];
	bool destroy;
	u32 addr;
	u8 *raw = (u8 *)&ns;

	KUNIT_EXPECT_EQ(test, sizeof(ns), (size_t)40);
	rpmsg_amp_ns_pack(&ns, "rpmsg-amp", 1024, false);
	RPMSG_AMP_EXPECT_EQ(test, raw[32], 0x00);
	RPMSG_AMP_EXPECT_EQ(test, raw[33], 0x04);
	RPMSG_AMP_EXPECT_EQ(test, raw[36], 0x00);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_ns_unpack(&ns, sizeof(ns), name, &addr,
						  &destroy), 0);
	RPMSG_AMP_EXPECT_STREQ(test, name, "rpmsg-amp");
	KUNIT_EXPECT_EQ(test, addr, 1024u);
	KUNIT_EXPECT_FALSE(test, destroy);

	rpmsg_amp_ns_pack(&ns, "x", 5, true);
	RPMSG_AMP_EXPECT_EQ(test, raw[36], 0x01);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_ns_unpack(&ns, sizeof(ns), name, &addr,
						  &destroy), 0);
	KUNIT_EXPECT_TRUE(test, destroy);

	/* wrong length, empty name, unterminated name, unknown flags */
	KUNIT_EXPECT_EQ(test, rpmsg_amp_ns_unpack(&ns, 39, name, &addr,
						  &destroy), -EBADMSG);
	ns.name[0] = '\0';
	KUNIT_EXPECT_EQ(test, rpmsg_amp_ns_unpack(&ns, sizeof(ns), name, &addr,
						  &destroy), -EBADMSG);
	memset(ns.name, 'a', sizeof(ns.name));
	KUNIT_EXPECT_EQ(test, rpmsg_amp_ns_unpack(&ns, sizeof(ns), name, &addr,
						  &destroy), -EBADMSG);
	rpmsg_amp_ns_pack(&ns, "x", 5, false);
	ns.flags = cpu_to_le32(2);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_ns_unpack(&ns, sizeof(ns), name, &addr,
						  &destroy), -EBADMSG);

	/* a name of 32 characters is cut to 31 plus the terminator */
	rpmsg_amp_ns_pack(&ns, "0123456789abcdef0123456789abcdefXYZ", 1, false);
	RPMSG_AMP_EXPECT_EQ(test, ns.name[31], '\0');
}

static void rpmsg_amp_test_range(struct kunit *test)
{
	const u64 base = 0x9f100000, size = 0x100000;

	KUNIT_EXPECT_TRUE(test, rpmsg_amp_range_ok(base, size, base, 512));
	KUNIT_EXPECT_TRUE(test, rpmsg_amp_range_ok(base, size,
						   base + size - 512, 512));
	KUNIT_EXPECT_FALSE(test, rpmsg_amp_range_ok(base, size,
						    base + size - 511, 512));
	KUNIT_EXPECT_FALSE(test, rpmsg_amp_range_ok(base, size, base - 1, 16));
	KUNIT_EXPECT_FALSE(test, rpmsg_amp_range_ok(base, size, U64_MAX, 16));
	KUNIT_EXPECT_FALSE(test, rpmsg_amp_range_ok(base, size, base,
						    U64_MAX));
	KUNIT_EXPECT_FALSE(test, rpmsg_amp_range_ok(base, size, 0, 16));
	KUNIT_EXPECT_TRUE(test, rpmsg_amp_range_ok(base, size, base + size, 0));
}

/* a message in a private buffer: header and @plen payload bytes */
static u32 rpmsg_amp_test_msg(u8 *buf, u32 dst, u16 plen)
{
	rpmsg_amp_hdr_pack((struct rpmsg_amp_wire_hdr *)buf, 7, dst, plen);
	return RPMSG_AMP_HDR_SIZE + plen;
}

static u32 rpmsg_amp_test_nsmsg(u8 *buf, const char *name, u32 addr,
				bool destroy)
{
	rpmsg_amp_ns_pack((struct rpmsg_amp_wire_ns *)(buf + RPMSG_AMP_HDR_SIZE),
			  name, addr, destroy);
	return rpmsg_amp_test_msg(buf, RPMSG_AMP_NS_ADDR,
				  sizeof(struct rpmsg_amp_wire_ns));
}

/* what a refused message must have become: empty, to nobody */
static void rpmsg_amp_test_refused(struct kunit *test, const u8 *buf, u32 len,
				   u32 dst)
{
	const struct rpmsg_amp_wire_hdr *h = (const void *)buf;

	KUNIT_EXPECT_EQ(test, len, (u32)RPMSG_AMP_HDR_SIZE);
	KUNIT_EXPECT_EQ(test, dst, (u32)RPMSG_AMP_NOWHERE);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(h->dst), (u32)RPMSG_AMP_NOWHERE);
	RPMSG_AMP_EXPECT_EQ(test, le16_to_cpu(h->len), 0);
}

static void rpmsg_amp_test_rx_verify(struct kunit *test)
{
	struct rpmsg_amp_ns_table *t;
	const char *why;
	char name[8];
	u8 *buf;
	u32 len, dst;
	int i;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	buf = kunit_kzalloc(test, 512, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, t);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);

	/* a good message; a used length past its end is cut to it */
	len = rpmsg_amp_test_msg(buf, 13, 5) + 100;
	KUNIT_EXPECT_EQ(test, rpmsg_amp_rx_verify(buf, &len, t, &dst, &why), 0);
	KUNIT_EXPECT_EQ(test, len, 21u);
	KUNIT_EXPECT_EQ(test, dst, 13u);

	/* payload longer than the used length, or no room for a header */
	len = rpmsg_amp_test_msg(buf, 13, 5) - 1;
	KUNIT_EXPECT_EQ(test, rpmsg_amp_rx_verify(buf, &len, t, &dst, &why),
			-EBADMSG);
	rpmsg_amp_test_refused(test, buf, len, dst);
	for (i = 0; i < RPMSG_AMP_HDR_SIZE; i++) {
		len = i;
		rpmsg_amp_test_msg(buf, 13, 0);
		KUNIT_EXPECT_EQ(test,
				rpmsg_amp_rx_verify(buf, &len, t, &dst, &why),
				-EBADMSG);
		rpmsg_amp_test_refused(test, buf, len, dst);
	}
	len = 512;
	rpmsg_amp_test_msg(buf, 13, 0xffff);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_rx_verify(buf, &len, t, &dst, &why),
			-EBADMSG);

	/* name service: wrong size, bad name, then the flood guard */
	len = rpmsg_amp_test_msg(buf, RPMSG_AMP_NS_ADDR, 39);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_rx_verify(buf, &len, t, &dst, &why),
			-EBADMSG);
	len = rpmsg_amp_test_nsmsg(buf, "", 1, false);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_rx_verify(buf, &len, t, &dst, &why),
			-EBADMSG);
	for (i = 0; i < RPMSG_AMP_MAX_NS; i++) {
		snprintf(name, sizeof(name), "s%d", i);
		len = rpmsg_amp_test_nsmsg(buf, name, 100 + i, false);
		KUNIT_EXPECT_EQ(test,
				rpmsg_amp_rx_verify(buf, &len, t, &dst, &why),
				0);
		KUNIT_EXPECT_EQ(test, len, 56u);
	}
	len = rpmsg_amp_test_nsmsg(buf, "s0", 100, false);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_rx_verify(buf, &len, t, &dst, &why),
			-EEXIST);
	len = rpmsg_amp_test_nsmsg(buf, "more", 99, false);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_rx_verify(buf, &len, t, &dst, &why),
			-ENOSPC);
	rpmsg_amp_test_refused(test, buf, len, dst);
	/* a withdrawal makes room; withdrawing the unknown is passed on */
	len = rpmsg_amp_test_nsmsg(buf, "s3", 103, true);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_rx_verify(buf, &len, t, &dst, &why), 0);
	len = rpmsg_amp_test_nsmsg(buf, "nobody", 5, true);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_rx_verify(buf, &len, t, &dst, &why), 0);
	len = rpmsg_amp_test_nsmsg(buf, "more", 99, false);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_rx_verify(buf, &len, t, &dst, &why), 0);
	KUNIT_EXPECT_EQ(test, t->n, (unsigned int)RPMSG_AMP_MAX_NS);
}

/* ---- the ring engine against hostile rings --------------------------- */

#define TRING_NUM	8
#define TRING_BASE	0x10000ULL
#define TRING_SIZE	0x1000ULL

/* A zeroed vring of TRING_NUM entries, and its device side. */
static void rpmsg_amp_test_ring(struct kunit *test, struct vring *vr,
				struct rpmsg_amp_ring *r)
{
	void *mem = kunit_kzalloc(test, vring_size(TRING_NUM, 64), GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, mem);
	vring_init(vr, TRING_NUM, mem, 64);
	rpmsg_amp_ring_init(r, vr, false);
}

/* What the driver side does: descriptor @id, then an available entry. */
static void rpmsg_amp_test_post(struct vring *vr, u16 *avail, u16 id,
				u64 addr, u32 len, u16 flags)
{
	if (id < TRING_NUM) {
		wr64(&vr->desc[id].addr, addr);
		wr32(&vr->desc[id].len, len);
		wr16(&vr->desc[id].flags, flags);
	}
	wr16(&vr->avail->ring[*avail % TRING_NUM], id);
	(*avail)++;
	wr16(&vr->avail->idx, *avail);
}

/* Pop one entry; its refusal reason (NULL if good) through @why. */
static int rpmsg_amp_test_pop(struct rpmsg_amp_ring *r,
			      const struct rpmsg_amp_ring_rule *rule,
			      u16 *id, u64 *bad, const char **why)
{
	u64 addr;
	u32 len;

	return rpmsg_amp_ring_pop(r, rule, id, &addr, &len, why, bad);
}

static void rpmsg_amp_test_ring_pop(struct kunit *test)
{
	const struct rpmsg_amp_ring_rule rule = {
		.base = TRING_BASE, .size = TRING_SIZE,
		.min_len = 16, .max_len = 512, .writable = true,
	};
	const char *why;
	struct rpmsg_amp_ring r;
	struct vring vr;
	u16 avail = 0, id, k;
	u64 addr, bad;
	u32 len;

	rpmsg_amp_test_ring(test, &vr, &r);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_ring_pending(&r), 0);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_test_pop(&r, &rule, &id, &bad, &why), 1);

	/* a good buffer */
	rpmsg_amp_test_post(&vr, &avail, 2, TRING_BASE + 512, 512,
			    VRING_DESC_F_WRITE);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_ring_pending(&r), 1);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_ring_pop(&r, &rule, &id, &addr, &len,
						 &why, &bad), 0);
	KUNIT_EXPECT_PTR_EQ(test, why, (const char *)NULL);
	RPMSG_AMP_EXPECT_EQ(test, id, 2);
	RPMSG_AMP_EXPECT_EQ(test, addr, TRING_BASE + 512);
	RPMSG_AMP_EXPECT_EQ(test, len, 512);

	/* each bad descriptor is taken, refused, and says why */
	rpmsg_amp_test_post(&vr, &avail, TRING_NUM, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_test_pop(&r, &rule, &id, &bad, &why), 0);
	RPMSG_AMP_EXPECT_STREQ(test, why, "descriptor index out of range");
	rpmsg_amp_test_post(&vr, &avail, 0xffff, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_test_pop(&r, &rule, &id, &bad, &why), 0);
	RPMSG_AMP_EXPECT_STREQ(test, why, "descriptor index out of range");
	rpmsg_amp_test_post(&vr, &avail, 1, TRING_BASE, 64,
			    VRING_DESC_F_WRITE | VRING_DESC_F_NEXT);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_test_pop(&r, &rule, &id, &bad, &why), 0);
	RPMSG_AMP_EXPECT_STREQ(test, why, "chained descriptor");
	rpmsg_amp_test_post(&vr, &avail, 1, TRING_BASE, 64,
			    VRING_DESC_F_WRITE | VRING_DESC_F_INDIRECT);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_test_pop(&r, &rule, &id, &bad, &why), 0);
	RPMSG_AMP_EXPECT_STREQ(test, why, "chained descriptor");
	rpmsg_amp_test_post(&vr, &avail, 1, TRING_BASE, 64, 0);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_test_pop(&r, &rule, &id, &bad, &why), 0);
	RPMSG_AMP_EXPECT_STREQ(test, why, "descriptor direction");
	rpmsg_amp_test_post(&vr, &avail, 1, TRING_BASE, 15, VRING_DESC_F_WRITE);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_test_pop(&r, &rule, &id, &bad, &why), 0);
	RPMSG_AMP_EXPECT_STREQ(test, why, "buffer length");
	RPMSG_AMP_EXPECT_EQ(test, bad, 15);
	rpmsg_amp_test_post(&vr, &avail, 1, TRING_BASE, 513, VRING_DESC_F_WRITE);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_test_pop(&r, &rule, &id, &bad, &why), 0);
	RPMSG_AMP_EXPECT_STREQ(test, why, "buffer length");
	/* past the end, before the start, and wrapping around */
	rpmsg_amp_test_post(&vr, &avail, 3, TRING_BASE + TRING_SIZE - 16, 32,
			    VRING_DESC_F_WRITE);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_test_pop(&r, &rule, &id, &bad, &why), 0);
	RPMSG_AMP_EXPECT_STREQ(test, why, "buffer outside the carveout");
	rpmsg_amp_test_post(&vr, &avail, 3, TRING_BASE - 16, 32,
			    VRING_DESC_F_WRITE);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_test_pop(&r, &rule, &id, &bad, &why), 0);
	RPMSG_AMP_EXPECT_STREQ(test, why, "buffer outside the carveout");
	rpmsg_amp_test_post(&vr, &avail, 4, ~0ULL - 15, 32, VRING_DESC_F_WRITE);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_test_pop(&r, &rule, &id, &bad, &why), 0);
	RPMSG_AMP_EXPECT_STREQ(test, why, "buffer outside the carveout");
	RPMSG_AMP_EXPECT_EQ(test, bad, ~0ULL - 15);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_ring_pending(&r), 0);

	/* a trusted ring (no rule): only the id is checked */
	rpmsg_amp_test_post(&vr, &avail, 5, 0, 0, VRING_DESC_F_NEXT);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_test_pop(&r, NULL, &id, &bad, &why), 0);
	KUNIT_EXPECT_PTR_EQ(test, why, (const char *)NULL);
	rpmsg_amp_test_post(&vr, &avail, TRING_NUM + 1, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_test_pop(&r, NULL, &id, &bad, &why), 0);
	RPMSG_AMP_EXPECT_STREQ(test, why, "descriptor index out of range");

	/* indices more than a ring ahead, or gone back: nothing taken */
	k = r.last_avail;
	wr16(&vr.avail->idx, k + TRING_NUM + 1);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_ring_pending(&r), -1);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_test_pop(&r, &rule, &id, &bad, &why),
			-EPROTO);
	wr16(&vr.avail->idx, k - 1);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_test_pop(&r, &rule, &id, &bad, &why),
			-EPROTO);
	RPMSG_AMP_EXPECT_EQ(test, r.last_avail, k);
	/* exactly a ring ahead is a full ring, not an error */
	wr16(&vr.avail->idx, k + TRING_NUM);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_ring_pending(&r), TRING_NUM);
}

static void rpmsg_amp_test_ring_wrap(struct kunit *test)
{
	const struct rpmsg_amp_ring_rule rule = {
		.base = TRING_BASE, .size = TRING_SIZE,
		.min_len = 16, .max_len = 512, .writable = false,
	};
	struct rpmsg_amp_ring r;
	const char *why;
	struct vring vr;
	u16 avail, id, i;
	u64 bad;

	rpmsg_amp_test_ring(test, &vr, &r);
	/* a ring in use whose indices wrap at 65536: take it up there */
	avail = 65533;
	wr16(&vr.avail->idx, avail);
	wr16(&vr.used->idx, avail);
	rpmsg_amp_ring_sync(&r);
	RPMSG_AMP_EXPECT_EQ(test, r.last_avail, 65533);
	RPMSG_AMP_EXPECT_EQ(test, r.used_idx, 65533);
	for (i = 0; i < 6; i++)
		rpmsg_amp_test_post(&vr, &avail, i, TRING_BASE + 512 * i, 100,
				    0);
	RPMSG_AMP_EXPECT_EQ(test, avail, 3);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_ring_pending(&r), 6);
	for (i = 0; i < 6; i++) {
		KUNIT_EXPECT_EQ(test, rpmsg_amp_ring_peek_len(&r), 100u);
		KUNIT_EXPECT_EQ(test,
				rpmsg_amp_test_pop(&r, &rule, &id, &bad, &why),
				0);
		KUNIT_EXPECT_PTR_EQ(test, why, (const char *)NULL);
		KUNIT_EXPECT_EQ(test, id, i);
		rpmsg_amp_ring_push(&r, id, 0);
	}
	RPMSG_AMP_EXPECT_EQ(test, rd16(&vr.used->idx), 3);
	RPMSG_AMP_EXPECT_EQ(test, rd32(&vr.used->ring[(65533 + 5) % TRING_NUM].id),
			    5);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_ring_pending(&r), 0);

	/* a doorbell unless the driver side said it wants none */
	KUNIT_EXPECT_TRUE(test, rpmsg_amp_ring_wants_irq(&r));
	wr16(&vr.avail->flags, VRING_AVAIL_F_NO_INTERRUPT);
	KUNIT_EXPECT_FALSE(test, rpmsg_amp_ring_wants_irq(&r));

	/* a buffer the device only reads may say it is device-writable, as
	 * RPMsg-Lite's master's transmit buffers do: taken, not refused
	 */
	rpmsg_amp_test_post(&vr, &avail, 7, TRING_BASE + 512 * 7, 100,
			    VRING_DESC_F_WRITE);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_test_pop(&r, &rule, &id, &bad, &why), 0);
	KUNIT_EXPECT_PTR_EQ(test, why, (const char *)NULL);
	RPMSG_AMP_EXPECT_EQ(test, id, 7);
}

static void rpmsg_amp_test_ring_used(struct kunit *test)
{
	struct rpmsg_amp_ring r, dev;
	unsigned int outstanding;
	unsigned long *posted;
	const char *why;
	struct vring vr;
	u16 cursor = 0;
	u32 id, len;

	rpmsg_amp_test_ring(test, &vr, &r);
	rpmsg_amp_ring_init(&dev, &vr, false);
	posted = kunit_kzalloc(test, BITS_TO_LONGS(TRING_NUM) * sizeof(long),
			       GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, posted);
	__set_bit(1, posted);
	__set_bit(3, posted);
	outstanding = 2;

	KUNIT_EXPECT_EQ(test, rpmsg_amp_ring_get_used(&r, &cursor, posted,
						      &outstanding, &id, &len,
						      &why), 1);
	/* a good one */
	rpmsg_amp_ring_push(&dev, 3, 40);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_ring_get_used(&r, &cursor, posted,
						      &outstanding, &id, &len,
						      &why), 0);
	KUNIT_EXPECT_EQ(test, id, 3u);
	KUNIT_EXPECT_EQ(test, len, 40u);
	KUNIT_EXPECT_EQ(test, outstanding, 1u);
	KUNIT_EXPECT_FALSE(test, test_bit(3, posted));
	RPMSG_AMP_EXPECT_EQ(test, cursor, 1);

	/* the same id twice; an id out of range: broken, nothing taken */
	rpmsg_amp_ring_push(&dev, 3, 40);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_ring_get_used(&r, &cursor, posted,
						      &outstanding, &id, &len,
						      &why), -EPROTO);
	RPMSG_AMP_EXPECT_STREQ(test, why, "used id not outstanding");
	RPMSG_AMP_EXPECT_EQ(test, cursor, 1);
	wr32(&vr.used->ring[1].id, TRING_NUM);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_ring_get_used(&r, &cursor, posted,
						      &outstanding, &id, &len,
						      &why), -EPROTO);
	RPMSG_AMP_EXPECT_STREQ(test, why, "used id out of range");
	KUNIT_EXPECT_EQ(test, outstanding, 1u);

	/* the index further than the buffers outstanding, or back */
	wr16(&vr.used->idx, cursor + 2);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_ring_get_used(&r, &cursor, posted,
						      &outstanding, &id, &len,
						      &why), -EPROTO);
	RPMSG_AMP_EXPECT_STREQ(test, why,
			       "used index moved past the buffers outstanding");
	wr16(&vr.used->idx, cursor - 1);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_ring_get_used(&r, &cursor, posted,
						      &outstanding, &id, &len,
						      &why), -EPROTO);
	/* and back where it was: nothing used */
	wr16(&vr.used->idx, cursor);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_ring_get_used(&r, &cursor, posted,
						      &outstanding, &id, &len,
						      &why), 1);
}

/* A remote's resource table: one rpmsg device with two vrings. */
struct rpmsg_amp_test_rsc {
	struct rpmsg_amp_wire_rsc_table hdr;
	__le32 offset[2];
	struct rpmsg_amp_wire_rsc_vdev vdev;
	struct rpmsg_amp_wire_rsc_vring vring[2];
} __packed;

static void rpmsg_amp_test_rsc_fill(struct rpmsg_amp_test_rsc *t)
{
	int k;

	memset(t, 0, sizeof(*t));
	t->hdr.ver = cpu_to_le32(1);
	t->hdr.num = cpu_to_le32(1);
	t->hdr.offset[0] = cpu_to_le32(offsetof(struct rpmsg_amp_test_rsc,
						vdev));
	t->vdev.type = cpu_to_le32(RPMSG_AMP_RSC_VDEV);
	t->vdev.id = cpu_to_le32(RPMSG_AMP_VIRTIO_ID_RPMSG);
	t->vdev.dfeatures = cpu_to_le32(1);
	t->vdev.num_of_vrings = 2;
	for (k = 0; k < 2; k++) {
		t->vring[k].da = cpu_to_le32(0x9c800000 + k * 0x8000);
		t->vring[k].align = cpu_to_le32(4096);
		t->vring[k].num = cpu_to_le32(256);
		t->vring[k].notifyid = cpu_to_le32(RPMSG_AMP_RSC_ADDR_ANY);
	}
}

static void rpmsg_amp_test_rsc(struct kunit *test)
{
	struct rpmsg_amp_test_rsc t;
	struct rpmsg_amp_rsc_info info;
	const char *why = NULL;

	rpmsg_amp_test_rsc_fill(&t);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_rsc_parse(&t, sizeof(t), &info, &why),
			0);
	RPMSG_AMP_EXPECT_EQ(test, info.vdev_off,
			    offsetof(struct rpmsg_amp_test_rsc, vdev));
	RPMSG_AMP_EXPECT_EQ(test, info.num, 256);
	RPMSG_AMP_EXPECT_EQ(test, info.align, 4096);
	RPMSG_AMP_EXPECT_EQ(test, info.da[1], 0x9c808000);
	RPMSG_AMP_EXPECT_EQ(test, info.notifyid[0], RPMSG_AMP_RSC_ADDR_ANY);

	/* cut short: the entry runs past the end */
	KUNIT_EXPECT_EQ(test, rpmsg_amp_rsc_parse(&t, sizeof(t) - 4, &info,
						  &why), -EINVAL);
	/* an offset outside the table, or into its header */
	t.hdr.offset[0] = cpu_to_le32(sizeof(t));
	KUNIT_EXPECT_EQ(test, rpmsg_amp_rsc_parse(&t, sizeof(t), &info, &why),
			-EINVAL);
	RPMSG_AMP_EXPECT_STREQ(test, why, "an entry's offset is outside the table");
	t.hdr.offset[0] = cpu_to_le32(4);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_rsc_parse(&t, sizeof(t), &info, &why),
			-EINVAL);
	/* more entries than the table holds */
	rpmsg_amp_test_rsc_fill(&t);
	t.hdr.num = cpu_to_le32(0x40000000);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_rsc_parse(&t, sizeof(t), &info, &why),
			-EINVAL);
	RPMSG_AMP_EXPECT_STREQ(test, why, "more entries than fit");
	/* a version of its own */
	rpmsg_amp_test_rsc_fill(&t);
	t.hdr.ver = cpu_to_le32(2);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_rsc_parse(&t, sizeof(t), &info, &why),
			-EINVAL);
	/* a config space claimed beyond the end */
	rpmsg_amp_test_rsc_fill(&t);
	t.vdev.config_len = cpu_to_le32(0xfffffff0);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_rsc_parse(&t, sizeof(t), &info, &why),
			-EINVAL);
	RPMSG_AMP_EXPECT_STREQ(test, why, "a virtio device entry runs past the end");
	/* vrings that differ, or are not a power of two */
	rpmsg_amp_test_rsc_fill(&t);
	t.vring[1].num = cpu_to_le32(128);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_rsc_parse(&t, sizeof(t), &info, &why),
			-EINVAL);
	rpmsg_amp_test_rsc_fill(&t);
	t.vring[0].num = cpu_to_le32(100);
	t.vring[1].num = cpu_to_le32(100);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_rsc_parse(&t, sizeof(t), &info, &why),
			-EINVAL);
	/* no name service: the master could not tell that it is there */
	rpmsg_amp_test_rsc_fill(&t);
	t.vdev.dfeatures = 0;
	KUNIT_EXPECT_EQ(test, rpmsg_amp_rsc_parse(&t, sizeof(t), &info, &why),
			-EINVAL);
	/* another virtio device only, or three vrings */
	rpmsg_amp_test_rsc_fill(&t);
	t.vdev.id = cpu_to_le32(3);
	KUNIT_EXPECT_EQ(test, rpmsg_amp_rsc_parse(&t, sizeof(t), &info, &why),
			-EINVAL);
	RPMSG_AMP_EXPECT_STREQ(test, why, "no rpmsg virtio device entry");
	rpmsg_amp_test_rsc_fill(&t);
	t.vdev.num_of_vrings = 3;
	KUNIT_EXPECT_EQ(test, rpmsg_amp_rsc_parse(&t, sizeof(t), &info, &why),
			-EINVAL);
	/* smaller than a header */
	KUNIT_EXPECT_EQ(test, rpmsg_amp_rsc_parse(&t, 8, &info, &why), -EINVAL);
}

static struct kunit_case rpmsg_amp_lib_cases[] = {
	KUNIT_CASE(rpmsg_amp_test_role),
	KUNIT_CASE(rpmsg_amp_test_layout),
	KUNIT_CASE(rpmsg_amp_test_epts),
	KUNIT_CASE(rpmsg_amp_test_name),
	KUNIT_CASE(rpmsg_amp_test_hdr),
	KUNIT_CASE(rpmsg_amp_test_ns),
	KUNIT_CASE(rpmsg_amp_test_range),
	KUNIT_CASE(rpmsg_amp_test_rx_verify),
	KUNIT_CASE(rpmsg_amp_test_ring_pop),
	KUNIT_CASE(rpmsg_amp_test_ring_wrap),
	KUNIT_CASE(rpmsg_amp_test_ring_used),
	KUNIT_CASE(rpmsg_amp_test_rsc),
	{ }
};

static struct kunit_suite rpmsg_amp_lib_suite = {
	.name = "rpmsg_amp_lib",
	.test_cases = rpmsg_amp_lib_cases,
};

kunit_test_suite(rpmsg_amp_lib_suite);

MODULE_DESCRIPTION("KUnit tests for rpmsg_amp helpers");
MODULE_VERSION(RPMSG_AMP_VERSION);
MODULE_AUTHOR("rpmsg_amp developers");
MODULE_LICENSE("GPL");

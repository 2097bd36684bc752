// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the register programming of the board mailbox drivers
 * (drivers/mailbox/cv1800_mbox_hw.h, octeon_ciu_mbox_hw.h), run against
 * fake register blocks that behave like the hardware: the CV1800 block
 * with its per-CPU enable, mask, raw and clear registers and message
 * slots, and the OCTEON CIU mailboxes with write-1-to-set/clear
 * registers, the low half belonging to the kernel's SMP IPIs.
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/rpmsg_amp.h>
#include <linux/rpmsg_amp_compat.h>

#include "../../drivers/mailbox/cv1800_mbox_hw.h"
#include "../../drivers/mailbox/octeon_ciu_mbox_hw.h"

/* ---- CV1800 ------------------------------------------------------------ */

#define FAKE_LOG_MAX	32

struct fake_cv1800_access {
	bool write;
	unsigned int off;
	u64 val;
};

struct fake_cv1800 {
	struct kunit *test;
	u8 en[CV1800_MBOX_CPUS];
	u8 mask[CV1800_MBOX_CPUS];
	u8 raw[CV1800_MBOX_CPUS];
	u64 slot[CV1800_MBOX_CHANS];
	struct fake_cv1800_access log[FAKE_LOG_MAX];
	unsigned int nlog;
};

static void fake_cv1800_log(struct fake_cv1800 *f, bool write,
			    unsigned int off, u64 val)
{
	if (f->nlog < FAKE_LOG_MAX)
		f->log[f->nlog++] = (struct fake_cv1800_access){ write, off, val };
}

/* Index of the first access matching, or -1. */
static int fake_cv1800_find(struct fake_cv1800 *f, bool write,
			    unsigned int off)
{
	unsigned int i;

	for (i = 0; i < f->nlog; i++)
		if (f->log[i].write == write && f->log[i].off == off)
			return i;
	return -1;
}

static u8 fake_cv1800_read8(void *ctx, unsigned int off)
{
	struct fake_cv1800 *f = ctx;
	unsigned int cpu;
	u8 val = 0;

	if (off < 0x10 && off % 4 == 0) {
		val = f->en[off / 4];
	} else if (off >= 0x10 && off < 0x50) {
		cpu = (off - 0x10) / 0x10;
		switch (off % 0x10) {
		case 0x4:
			val = f->mask[cpu];
			break;
		case 0x8:
			val = f->raw[cpu] & ~f->mask[cpu];
			break;
		case 0xc:
			val = f->raw[cpu];
			break;
		default:
			KUNIT_FAIL(f->test, "read of write-only register %#x",
				   off);
		}
	} else {
		KUNIT_FAIL(f->test, "byte read at unexpected offset %#x", off);
	}
	fake_cv1800_log(f, false, off, val);
	return val;
}

static void fake_cv1800_write8(void *ctx, unsigned int off, u8 val)
{
	struct fake_cv1800 *f = ctx;
	unsigned int cpu;

	fake_cv1800_log(f, true, off, val);
	if (off < 0x10 && off % 4 == 0) {
		f->en[off / 4] = val;
	} else if (off >= 0x10 && off < 0x50 && off % 0x10 == 0) {
		f->raw[(off - 0x10) / 0x10] &= ~val;
	} else if (off >= 0x10 && off < 0x50 && off % 0x10 == 0x4) {
		f->mask[(off - 0x10) / 0x10] = val;
	} else if (off == CV1800_MBOX_SET) {
		/* a raised channel is pending at every CPU that enables it */
		for (cpu = 0; cpu < CV1800_MBOX_CPUS; cpu++)
			f->raw[cpu] |= val & f->en[cpu];
	} else {
		KUNIT_FAIL(f->test, "byte write at unexpected offset %#x", off);
	}
}

static u64 fake_cv1800_read64(void *ctx, unsigned int off)
{
	struct fake_cv1800 *f = ctx;
	unsigned int chan = (off - 0x400) / 8;

	if (off < 0x400 || off % 8 || chan >= CV1800_MBOX_CHANS) {
		KUNIT_FAIL(f->test, "slot read at unexpected offset %#x", off);
		return 0;
	}
	fake_cv1800_log(f, false, off, f->slot[chan]);
	return f->slot[chan];
}

static void fake_cv1800_write64(void *ctx, unsigned int off, u64 val)
{
	struct fake_cv1800 *f = ctx;
	unsigned int chan = (off - 0x400) / 8;

	if (off < 0x400 || off % 8 || chan >= CV1800_MBOX_CHANS) {
		KUNIT_FAIL(f->test, "slot write at unexpected offset %#x", off);
		return;
	}
	fake_cv1800_log(f, true, off, val);
	f->slot[chan] = val;
}

static const struct cv1800_mbox_io_ops fake_cv1800_ops = {
	.read8 = fake_cv1800_read8,
	.write8 = fake_cv1800_write8,
	.read64 = fake_cv1800_read64,
	.write64 = fake_cv1800_write64,
};

/* Linux (C906B) and the RTOS (C906L) views of one fake block. */
static struct fake_cv1800 *fake_cv1800_new(struct kunit *test,
					   struct cv1800_mbox_io *linux_io,
					   struct cv1800_mbox_io *rtos_io)
{
	struct fake_cv1800 *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, f);
	f->test = test;
	*linux_io = (struct cv1800_mbox_io){ &fake_cv1800_ops, f,
					     CV1800_MBOX_CPU_C906B };
	*rtos_io = (struct cv1800_mbox_io){ &fake_cv1800_ops, f,
					    CV1800_MBOX_CPU_C906L };
	return f;
}

static void cv1800_test_offsets(struct kunit *test)
{
	/* the register map of the vendor's mailbox_set_register */
	KUNIT_EXPECT_EQ(test, CV1800_MBOX_EN(1), 0x04);
	KUNIT_EXPECT_EQ(test, CV1800_MBOX_INT_CLR(1), 0x20);
	KUNIT_EXPECT_EQ(test, CV1800_MBOX_INT_MASK(2), 0x34);
	KUNIT_EXPECT_EQ(test, CV1800_MBOX_INT(1), 0x28);
	KUNIT_EXPECT_EQ(test, CV1800_MBOX_INT_RAW(3), 0x4c);
	KUNIT_EXPECT_EQ(test, CV1800_MBOX_SET, 0x60);
	KUNIT_EXPECT_EQ(test, CV1800_MBOX_SLOT(7), 0x438);
}

static void cv1800_test_enable_mask(struct kunit *test)
{
	struct cv1800_mbox_io lio, rio;
	struct fake_cv1800 *f = fake_cv1800_new(test, &lio, &rio);

	f->mask[2] = 0x5a;
	cv1800_mbox_hw_init(&lio);
	RPMSG_AMP_EXPECT_EQ(test, f->mask[1], 0xff);
	RPMSG_AMP_EXPECT_EQ(test, f->mask[2], 0x5a);	/* the RTOS's own */

	cv1800_mbox_hw_unmask(&lio, 1);
	cv1800_mbox_hw_unmask(&lio, 6);
	KUNIT_EXPECT_EQ(test, f->mask[1], (u8)~(BIT(1) | BIT(6)));
	cv1800_mbox_hw_mask(&lio, 6);
	KUNIT_EXPECT_EQ(test, f->mask[1], (u8)~BIT(1));
	cv1800_mbox_hw_mask(&lio, 1);
	RPMSG_AMP_EXPECT_EQ(test, f->mask[1], 0xff);
	RPMSG_AMP_EXPECT_EQ(test, f->mask[2], 0x5a);
}

static void cv1800_test_send(struct kunit *test)
{
	struct cv1800_mbox_io lio, rio;
	struct fake_cv1800 *f = fake_cv1800_new(test, &lio, &rio);
	int slot, clr, en, set;

	f->en[2] = BIT(5);		/* an earlier message, not yet taken */
	f->raw[2] = BIT(0);		/* stale pending bit of channel 0 */
	cv1800_mbox_hw_send(&lio, 0, CV1800_MBOX_CPU_C906L,
			    0x1122334455667788ULL);

	KUNIT_EXPECT_EQ(test, f->slot[0], 0x1122334455667788ULL);
	RPMSG_AMP_EXPECT_EQ(test, f->en[2], BIT(0) | BIT(5));
	RPMSG_AMP_EXPECT_EQ(test, f->raw[2], BIT(0));
	RPMSG_AMP_EXPECT_EQ(test, f->raw[1], 0);	/* not raised at ourselves */
	RPMSG_AMP_EXPECT_EQ(test, f->en[1], 0);

	/* slot, then clear stale, then enable, then raise */
	slot = fake_cv1800_find(f, true, CV1800_MBOX_SLOT(0));
	clr = fake_cv1800_find(f, true, CV1800_MBOX_INT_CLR(2));
	en = fake_cv1800_find(f, true, CV1800_MBOX_EN(2));
	set = fake_cv1800_find(f, true, CV1800_MBOX_SET);
	KUNIT_ASSERT_GE(test, slot, 0);
	KUNIT_EXPECT_LT(test, slot, clr);
	KUNIT_EXPECT_LT(test, clr, en);
	KUNIT_EXPECT_LT(test, en, set);
	KUNIT_EXPECT_EQ(test, f->log[set].val, (u64)BIT(0));
	KUNIT_EXPECT_EQ(test, f->log[clr].val, (u64)BIT(0));

	KUNIT_EXPECT_FALSE(test, cv1800_mbox_hw_tx_done(&lio, 0, 2));
	/* the RTOS takes it: now done */
	KUNIT_EXPECT_EQ(test, cv1800_mbox_hw_receive(&rio, 0),
			0x1122334455667788ULL);
	KUNIT_EXPECT_TRUE(test, cv1800_mbox_hw_tx_done(&lio, 0, 2));
	RPMSG_AMP_EXPECT_EQ(test, f->en[2], BIT(5));
}

static void cv1800_test_receive(struct kunit *test)
{
	struct cv1800_mbox_io lio, rio;
	struct fake_cv1800 *f = fake_cv1800_new(test, &lio, &rio);
	int slot, en;

	cv1800_mbox_hw_init(&lio);
	cv1800_mbox_hw_unmask(&lio, 1);
	cv1800_mbox_hw_unmask(&lio, 3);
	cv1800_mbox_hw_send(&rio, 1, CV1800_MBOX_CPU_C906B, 42);
	cv1800_mbox_hw_send(&rio, 3, CV1800_MBOX_CPU_C906B, 43);
	RPMSG_AMP_EXPECT_EQ(test, cv1800_mbox_hw_pending(&lio), BIT(1) | BIT(3));
	RPMSG_AMP_EXPECT_EQ(test, cv1800_mbox_hw_pending(&rio), 0);

	f->nlog = 0;
	RPMSG_AMP_EXPECT_EQ(test, cv1800_mbox_hw_receive(&lio, 3), 43);
	/* the slot is read before EN tells the sender it may reuse it */
	slot = fake_cv1800_find(f, false, CV1800_MBOX_SLOT(3));
	en = fake_cv1800_find(f, true, CV1800_MBOX_EN(1));
	KUNIT_ASSERT_GE(test, slot, 0);
	KUNIT_EXPECT_LT(test, slot, en);
	RPMSG_AMP_EXPECT_EQ(test, cv1800_mbox_hw_pending(&lio), BIT(1));
	KUNIT_EXPECT_TRUE(test, cv1800_mbox_hw_tx_done(&rio, 3, 1));
	KUNIT_EXPECT_FALSE(test, cv1800_mbox_hw_tx_done(&rio, 1, 1));

	RPMSG_AMP_EXPECT_EQ(test, cv1800_mbox_hw_receive(&lio, 1), 42);
	RPMSG_AMP_EXPECT_EQ(test, cv1800_mbox_hw_pending(&lio), 0);
	RPMSG_AMP_EXPECT_EQ(test, f->raw[1], 0);
	RPMSG_AMP_EXPECT_EQ(test, f->en[1], 0);
}

static void cv1800_test_spurious(struct kunit *test)
{
	struct cv1800_mbox_io lio, rio;
	struct fake_cv1800 *f = fake_cv1800_new(test, &lio, &rio);

	cv1800_mbox_hw_init(&lio);
	RPMSG_AMP_EXPECT_EQ(test, cv1800_mbox_hw_pending(&lio), 0);

	/* a message on a channel nobody here unmasked stays invisible... */
	cv1800_mbox_hw_unmask(&lio, 0);
	cv1800_mbox_hw_send(&rio, 4, CV1800_MBOX_CPU_C906B, 7);
	RPMSG_AMP_EXPECT_EQ(test, f->raw[1], BIT(4));
	RPMSG_AMP_EXPECT_EQ(test, cv1800_mbox_hw_pending(&lio), 0);
	/* ...and is delivered, not lost, once it is unmasked */
	cv1800_mbox_hw_unmask(&lio, 4);
	RPMSG_AMP_EXPECT_EQ(test, cv1800_mbox_hw_pending(&lio), BIT(4));
	RPMSG_AMP_EXPECT_EQ(test, cv1800_mbox_hw_receive(&lio, 4), 7);
	RPMSG_AMP_EXPECT_EQ(test, cv1800_mbox_hw_pending(&lio), 0);
	/* messages for the RTOS never show up on our side */
	cv1800_mbox_hw_send(&lio, 0, CV1800_MBOX_CPU_C906L, 1);
	RPMSG_AMP_EXPECT_EQ(test, cv1800_mbox_hw_pending(&lio), 0);
}

static struct kunit_case cv1800_mbox_cases[] = {
	KUNIT_CASE(cv1800_test_offsets),
	KUNIT_CASE(cv1800_test_enable_mask),
	KUNIT_CASE(cv1800_test_send),
	KUNIT_CASE(cv1800_test_receive),
	KUNIT_CASE(cv1800_test_spurious),
	{}
};

static struct kunit_suite cv1800_mbox_suite = {
	.name = "rpmsg_amp_cv1800_mbox",
	.test_cases = cv1800_mbox_cases,
};

/* ---- OCTEON CIU ---------------------------------------------------------- */

#define FAKE_CORES	4

struct fake_ciu {
	struct kunit *test;
	u64 mbox[FAKE_CORES];
	unsigned int reads, sets, clears;
};

static struct fake_ciu *fake_ciu_core(void *ctx, unsigned int core)
{
	struct fake_ciu *f = ctx;

	if (core >= FAKE_CORES) {
		KUNIT_FAIL(f->test, "access to core %u", core);
		return NULL;
	}
	return f;
}

static u64 fake_ciu_read(void *ctx, unsigned int core)
{
	struct fake_ciu *f = fake_ciu_core(ctx, core);

	if (!f)
		return 0;
	f->reads++;
	return f->mbox[core];
}

static void fake_ciu_set(void *ctx, unsigned int core, u64 bits)
{
	struct fake_ciu *f = fake_ciu_core(ctx, core);

	if (!f)
		return;
	f->sets++;
	f->mbox[core] |= bits & GENMASK_ULL(31, 0);
}

static void fake_ciu_clear(void *ctx, unsigned int core, u64 bits)
{
	struct fake_ciu *f = fake_ciu_core(ctx, core);

	if (!f)
		return;
	f->clears++;
	f->mbox[core] &= ~bits;
}

static const struct octeon_ciu_mbox_io_ops fake_ciu_ops = {
	.read = fake_ciu_read,
	.set = fake_ciu_set,
	.clear = fake_ciu_clear,
};

static struct fake_ciu *fake_ciu_new(struct kunit *test,
				     struct octeon_ciu_mbox_io *io)
{
	struct fake_ciu *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, f);
	f->test = test;
	*io = (struct octeon_ciu_mbox_io){ .ops = &fake_ciu_ops, .ctx = f };
	return f;
}

/* SMP IPI bits as the kernel sets them: reschedule, call function */
#define IPI_BITS	(BIT_ULL(0) | BIT_ULL(1))

static void octeon_test_send(struct kunit *test)
{
	struct octeon_ciu_mbox_io io;
	struct fake_ciu *f = fake_ciu_new(test, &io);

	f->mbox[1] = IPI_BITS;
	octeon_ciu_mbox_hw_send(&io, 1, 0);
	octeon_ciu_mbox_hw_send(&io, 1, 15);
	KUNIT_EXPECT_EQ(test, f->mbox[1], IPI_BITS | BIT_ULL(16) | BIT_ULL(31));
	RPMSG_AMP_EXPECT_EQ(test, f->mbox[0], 0);
	RPMSG_AMP_EXPECT_EQ(test, f->mbox[2], 0);
	/* never a read-modify-write */
	RPMSG_AMP_EXPECT_EQ(test, f->reads, 0);
	RPMSG_AMP_EXPECT_EQ(test, f->clears, 0);

	KUNIT_EXPECT_FALSE(test, octeon_ciu_mbox_hw_tx_done(&io, 1, 0));
	KUNIT_EXPECT_TRUE(test, octeon_ciu_mbox_hw_tx_done(&io, 1, 3));
	/* ringing twice before the peer looks is one doorbell */
	octeon_ciu_mbox_hw_send(&io, 1, 0);
	KUNIT_EXPECT_EQ(test, f->mbox[1], IPI_BITS | BIT_ULL(16) | BIT_ULL(31));
}

static void octeon_test_receive(struct kunit *test)
{
	struct octeon_ciu_mbox_io io;
	struct fake_ciu *f = fake_ciu_new(test, &io);
	u16 ignored = 0xffff;

	octeon_ciu_mbox_hw_enable(&io, 0);
	octeon_ciu_mbox_hw_enable(&io, 9);
	f->mbox[0] = IPI_BITS | BIT_ULL(16) | BIT_ULL(25);
	RPMSG_AMP_EXPECT_EQ(test, octeon_ciu_mbox_hw_receive(&io, 0, &ignored),
			    BIT(0) | BIT(9));
	RPMSG_AMP_EXPECT_EQ(test, ignored, 0);
	/* our bits cleared, the kernel's IPI bits left for its handler */
	KUNIT_EXPECT_EQ(test, f->mbox[0], IPI_BITS);
	RPMSG_AMP_EXPECT_EQ(test, f->clears, 1);
	/* and the sender sees the doorbell taken */
	KUNIT_EXPECT_TRUE(test, octeon_ciu_mbox_hw_tx_done(&io, 0, 0));
}

static void octeon_test_enable_mask(struct kunit *test)
{
	struct octeon_ciu_mbox_io io;
	struct fake_ciu *f = fake_ciu_new(test, &io);
	u16 ignored;

	octeon_ciu_mbox_hw_enable(&io, 2);
	octeon_ciu_mbox_hw_enable(&io, 4);
	octeon_ciu_mbox_hw_disable(&io, 2);
	f->mbox[3] = BIT_ULL(18) | BIT_ULL(20);
	RPMSG_AMP_EXPECT_EQ(test, octeon_ciu_mbox_hw_receive(&io, 3, &ignored),
			    BIT(4));
	RPMSG_AMP_EXPECT_EQ(test, ignored, BIT(2));
	/* a disabled channel is still cleared: the line is level-triggered */
	RPMSG_AMP_EXPECT_EQ(test, f->mbox[3], 0);
}

static void octeon_test_spurious(struct kunit *test)
{
	struct octeon_ciu_mbox_io io;
	struct fake_ciu *f = fake_ciu_new(test, &io);
	u16 ignored = 0xffff;

	octeon_ciu_mbox_hw_enable(&io, 0);
	RPMSG_AMP_EXPECT_EQ(test, octeon_ciu_mbox_hw_receive(&io, 2, &ignored), 0);
	RPMSG_AMP_EXPECT_EQ(test, ignored, 0);
	/* IPI bits alone are not ours, and are not touched */
	f->mbox[2] = GENMASK_ULL(15, 0);
	RPMSG_AMP_EXPECT_EQ(test, octeon_ciu_mbox_hw_receive(&io, 2, &ignored), 0);
	RPMSG_AMP_EXPECT_EQ(test, ignored, 0);
	KUNIT_EXPECT_EQ(test, f->mbox[2], GENMASK_ULL(15, 0));
	RPMSG_AMP_EXPECT_EQ(test, f->clears, 0);
}

static void octeon_test_reset(struct kunit *test)
{
	struct octeon_ciu_mbox_io io;
	struct fake_ciu *f = fake_ciu_new(test, &io);

	f->mbox[2] = GENMASK_ULL(31, 0);
	octeon_ciu_mbox_hw_reset(&io, 2);
	KUNIT_EXPECT_EQ(test, f->mbox[2], GENMASK_ULL(15, 0));
	KUNIT_EXPECT_EQ(test, OCTEON_CIU_MBOX_BIT(0), BIT_ULL(16));
	KUNIT_EXPECT_EQ(test, OCTEON_CIU_MBOX_BIT(15), BIT_ULL(31));
}

static struct kunit_case octeon_mbox_cases[] = {
	KUNIT_CASE(octeon_test_send),
	KUNIT_CASE(octeon_test_receive),
	KUNIT_CASE(octeon_test_enable_mask),
	KUNIT_CASE(octeon_test_spurious),
	KUNIT_CASE(octeon_test_reset),
	{}
};

static struct kunit_suite octeon_mbox_suite = {
	.name = "rpmsg_amp_octeon_mbox",
	.test_cases = octeon_mbox_cases,
};

kunit_test_suites(&cv1800_mbox_suite, &octeon_mbox_suite);

MODULE_DESCRIPTION("KUnit tests for the rpmsg_amp board mailbox register programming");
MODULE_AUTHOR("rpmsg_amp developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(RPMSG_AMP_VERSION);

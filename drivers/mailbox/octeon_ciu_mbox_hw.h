/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Register programming of the Cavium OCTEON CIU mailbox doorbells used by
 * rpmsg_amp, apart from the arch glue so that KUnit can run it on any
 * architecture against a fake register block.
 *
 * Each core has a 32-bit mailbox: writing 1s to CIU_MBOX_SET(core) sets
 * bits, writing 1s to CIU_MBOX_CLR(core) clears them, and reading
 * CIU_MBOX_CLR(core) returns the current bits. Bits 15..0 raise the
 * core's OCTEON_IRQ_MBOX0 line, bits 31..16 its OCTEON_IRQ_MBOX1 line.
 *
 * Why bits 31..16 are free on an unmodified kernel (arch/mips/
 * cavium-octeon/smp.c and octeon-irq.c, CIU and CIU v2 chips such as the
 * cn70xx/cn71xx): the SMP IPIs use bits 0..2 of the low half and
 * OCTEON_IRQ_MBOX0 only; the IPI handler reads CIU_MBOX_CLR, masks the
 * value with 0xffff (0xff on cn68xx) and clears only those bits, and
 * boot clears only 0xffff. OCTEON_IRQ_MBOX1 is set up as a per-CPU
 * interrupt but nothing in the kernel requests it. So the high half and
 * its interrupt line are ours without touching the kernel's IPIs; the low
 * half, which the IPI handler acknowledges wholesale, is not usable
 * (that is why the original design had to patch the kernel).
 *
 * Channel n of this controller is bit 16 + n. SET and CLR are
 * write-1-to-set/clear, so no read-modify-write and no lock is needed,
 * and a doorbell rung twice before the peer looks is one doorbell.
 */
#ifndef _OCTEON_CIU_MBOX_HW_H
#define _OCTEON_CIU_MBOX_HW_H

#include <linux/bitops.h>
#include <linux/bits.h>
#include <linux/compiler.h>
#include <linux/types.h>

#define OCTEON_CIU_MBOX_CHANS		16
#define OCTEON_CIU_MBOX_SHIFT		16
#define OCTEON_CIU_MBOX_OURS		GENMASK_ULL(31, 16)
#define OCTEON_CIU_MBOX_BIT(chan)	BIT_ULL(OCTEON_CIU_MBOX_SHIFT + (chan))

/**
 * struct octeon_ciu_mbox_io_ops - CSR accessors
 * @read: read CIU_MBOX_CLR(@core), the core's current mailbox bits
 * @set: write CIU_MBOX_SET(@core)
 * @clear: write CIU_MBOX_CLR(@core)
 */
struct octeon_ciu_mbox_io_ops {
	u64 (*read)(void *ctx, unsigned int core);
	void (*set)(void *ctx, unsigned int core, u64 bits);
	void (*clear)(void *ctx, unsigned int core, u64 bits);
};

/**
 * struct octeon_ciu_mbox_io - the mailboxes as seen by this Linux
 * @ops: accessors (CSRs, or a fake block in the KUnit test)
 * @ctx: passed to @ops
 * @enabled: channels with a listener (atomic bit operations). The
 *	interrupt line is shared by all 16 channels, so this is the
 *	per-channel mask.
 */
struct octeon_ciu_mbox_io {
	const struct octeon_ciu_mbox_io_ops *ops;
	void *ctx;
	unsigned long enabled;
};

/**
 * octeon_ciu_mbox_hw_enable() - deliver doorbells on @chan from now on
 * @io: mailboxes
 * @chan: channel, below OCTEON_CIU_MBOX_CHANS
 */
static inline void octeon_ciu_mbox_hw_enable(struct octeon_ciu_mbox_io *io,
					     unsigned int chan)
{
	set_bit(chan, &io->enabled);
}

/**
 * octeon_ciu_mbox_hw_disable() - stop delivering doorbells on @chan
 * @io: mailboxes
 * @chan: channel, below OCTEON_CIU_MBOX_CHANS
 *
 * Doorbells on a disabled channel are still cleared when they arrive
 * (the line is level-triggered), and reported as ignored.
 */
static inline void octeon_ciu_mbox_hw_disable(struct octeon_ciu_mbox_io *io,
					      unsigned int chan)
{
	clear_bit(chan, &io->enabled);
}

/**
 * octeon_ciu_mbox_hw_reset() - drop stale doorbells of ours on @core
 * @io: mailboxes
 * @core: one of this Linux's cores
 *
 * Clears bits 31..16 only; the kernel's IPI bits are left alone.
 */
static inline void octeon_ciu_mbox_hw_reset(const struct octeon_ciu_mbox_io *io,
					    unsigned int core)
{
	io->ops->clear(io->ctx, core, OCTEON_CIU_MBOX_OURS);
}

/**
 * octeon_ciu_mbox_hw_send() - ring channel @chan on core @core
 * @io: mailboxes
 * @core: the other Linux's core that takes the doorbell
 * @chan: channel, below OCTEON_CIU_MBOX_CHANS
 */
static inline void octeon_ciu_mbox_hw_send(const struct octeon_ciu_mbox_io *io,
					   unsigned int core, unsigned int chan)
{
	io->ops->set(io->ctx, core, OCTEON_CIU_MBOX_BIT(chan));
}

/**
 * octeon_ciu_mbox_hw_tx_done() - has @core taken the doorbell on @chan?
 * @io: mailboxes
 * @core: the core it was sent to
 * @chan: channel
 *
 * Return: true once the receiver has cleared the bit.
 */
static inline bool octeon_ciu_mbox_hw_tx_done(const struct octeon_ciu_mbox_io *io,
					      unsigned int core,
					      unsigned int chan)
{
	return !(io->ops->read(io->ctx, core) & OCTEON_CIU_MBOX_BIT(chan));
}

/**
 * octeon_ciu_mbox_hw_receive() - take and clear the doorbells on @core
 * @io: mailboxes
 * @core: the core running the OCTEON_IRQ_MBOX1 handler
 * @ignored: set to the channels that rang but are not enabled
 *
 * Reads the core's mailbox, clears exactly the bits 31..16 that were set
 * (a doorbell arriving meanwhile stays pending and interrupts again) and
 * never touches bits 15..0.
 *
 * Return: bit n set for each enabled channel n that rang. Both this and
 * *@ignored are 0 for a spurious interrupt.
 */
static inline u16 octeon_ciu_mbox_hw_receive(const struct octeon_ciu_mbox_io *io,
					     unsigned int core, u16 *ignored)
{
	u64 bits = io->ops->read(io->ctx, core) & OCTEON_CIU_MBOX_OURS;
	u16 rang = bits >> OCTEON_CIU_MBOX_SHIFT;
	u16 enabled = READ_ONCE(io->enabled);

	if (bits)
		io->ops->clear(io->ctx, core, bits);
	*ignored = rang & ~enabled;
	return rang & enabled;
}

#endif /* _OCTEON_CIU_MBOX_HW_H */

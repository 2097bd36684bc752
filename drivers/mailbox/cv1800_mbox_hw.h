/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Register programming of the Sophgo/CVITEK CV1800 mailbox, apart from the
 * platform glue so that KUnit can run it against a fake register block.
 *
 * The block (0x01900000 on CV1800B) has eight channels, each with an
 * 8-byte message slot, and per-CPU registers. CPU ids: 0 Cortex-A53
 * (CV181x/SG200x only), 1 C906B (Linux), 2 C906L (RTOS), 3 8051.
 *
 *   0x000 + 4 * cpu     EN       channels raised towards @cpu; the
 *                                receiver clears its bit to acknowledge
 *   0x010 + 0x10 * cpu  INT_CLR  write 1 to clear @cpu's pending bit
 *   0x014 + 0x10 * cpu  INT_MASK 1 = channel masked for @cpu
 *   0x018 + 0x10 * cpu  INT      pending and unmasked, for @cpu
 *   0x01c + 0x10 * cpu  INT_RAW  pending, before the mask
 *   0x060               SET      write 1 to raise a channel
 *   0x400 + 8 * chan    message slot of @chan
 *
 * Sending on a channel: write the slot, clear the target's stale pending
 * bit, set the channel in the target's EN, write the channel to SET. The
 * receiver reads the slot, clears its pending bit and its EN bit; the
 * sender sees the transfer done when the EN bit is clear again. This is
 * the protocol of the vendor's RTOS mailbox code and of the mainline
 * driver (drivers/mailbox/cv1800-mailbox.c), so either kernel driver
 * talks to the same firmware.
 *
 * The EN and INT_MASK registers are changed read-modify-write; callers
 * serialise these helpers with one lock per block. Each channel has one
 * sender and one receiver, so the other CPU never writes the same EN bit
 * at the same time (see Documentation/boards/milkv-duo.rst).
 */
#ifndef _CV1800_MBOX_HW_H
#define _CV1800_MBOX_HW_H

#include <linux/bits.h>
#include <linux/types.h>

#define CV1800_MBOX_CHANS		8
#define CV1800_MBOX_CPUS		4
#define CV1800_MBOX_CPU_C906B		1
#define CV1800_MBOX_CPU_C906L		2

#define CV1800_MBOX_EN(cpu)		(0x00 + 0x04 * (cpu))
#define CV1800_MBOX_INT_CLR(cpu)	(0x10 + 0x10 * (cpu))
#define CV1800_MBOX_INT_MASK(cpu)	(0x14 + 0x10 * (cpu))
#define CV1800_MBOX_INT(cpu)		(0x18 + 0x10 * (cpu))
#define CV1800_MBOX_INT_RAW(cpu)	(0x1c + 0x10 * (cpu))
#define CV1800_MBOX_SET			0x60
#define CV1800_MBOX_SLOT(chan)		(0x400 + 8 * (chan))
#define CV1800_MBOX_REGS_SIZE		0x1000

/**
 * struct cv1800_mbox_io_ops - register accessors
 * @read8: read the byte register at @off
 * @write8: write the byte register at @off
 * @read64: read the 8-byte message slot at @off
 * @write64: write the 8-byte message slot at @off
 */
struct cv1800_mbox_io_ops {
	u8 (*read8)(void *ctx, unsigned int off);
	void (*write8)(void *ctx, unsigned int off, u8 val);
	u64 (*read64)(void *ctx, unsigned int off);
	void (*write64)(void *ctx, unsigned int off, u64 val);
};

/**
 * struct cv1800_mbox_io - one mailbox block as seen from one CPU
 * @ops: accessors (MMIO, or a fake block in the KUnit test)
 * @ctx: passed to @ops
 * @self: this CPU's id, the one whose registers signal reception
 */
struct cv1800_mbox_io {
	const struct cv1800_mbox_io_ops *ops;
	void *ctx;
	unsigned int self;
};

static inline u8 cv1800_mbox_rd(const struct cv1800_mbox_io *io,
				unsigned int off)
{
	return io->ops->read8(io->ctx, off);
}

static inline void cv1800_mbox_wr(const struct cv1800_mbox_io *io,
				  unsigned int off, u8 val)
{
	io->ops->write8(io->ctx, off, val);
}

/**
 * cv1800_mbox_hw_init() - mask every channel towards this CPU
 * @io: block
 *
 * Channels are unmasked one by one as clients start them, so a channel
 * nobody here listens to never interrupts this CPU.
 */
static inline void cv1800_mbox_hw_init(const struct cv1800_mbox_io *io)
{
	cv1800_mbox_wr(io, CV1800_MBOX_INT_MASK(io->self), 0xff);
}

/**
 * cv1800_mbox_hw_unmask() - let @chan interrupt this CPU
 * @io: block
 * @chan: channel, below CV1800_MBOX_CHANS
 *
 * A message that arrived while the channel was masked is still pending
 * and interrupts at once; it is not lost.
 */
static inline void cv1800_mbox_hw_unmask(const struct cv1800_mbox_io *io,
					 unsigned int chan)
{
	unsigned int off = CV1800_MBOX_INT_MASK(io->self);

	cv1800_mbox_wr(io, off, cv1800_mbox_rd(io, off) & ~BIT(chan));
}

/**
 * cv1800_mbox_hw_mask() - stop @chan from interrupting this CPU
 * @io: block
 * @chan: channel, below CV1800_MBOX_CHANS
 */
static inline void cv1800_mbox_hw_mask(const struct cv1800_mbox_io *io,
				       unsigned int chan)
{
	unsigned int off = CV1800_MBOX_INT_MASK(io->self);

	cv1800_mbox_wr(io, off, cv1800_mbox_rd(io, off) | BIT(chan));
}

/**
 * cv1800_mbox_hw_send() - put @msg in @chan's slot and raise it at @target
 * @io: block
 * @chan: channel, below CV1800_MBOX_CHANS
 * @target: receiving CPU, below CV1800_MBOX_CPUS
 * @msg: the 8-byte message
 */
static inline void cv1800_mbox_hw_send(const struct cv1800_mbox_io *io,
				       unsigned int chan, unsigned int target,
				       u64 msg)
{
	unsigned int en = CV1800_MBOX_EN(target);

	io->ops->write64(io->ctx, CV1800_MBOX_SLOT(chan), msg);
	cv1800_mbox_wr(io, CV1800_MBOX_INT_CLR(target), BIT(chan));
	cv1800_mbox_wr(io, en, cv1800_mbox_rd(io, en) | BIT(chan));
	cv1800_mbox_wr(io, CV1800_MBOX_SET, BIT(chan));
}

/**
 * cv1800_mbox_hw_tx_done() - has @target taken the last message on @chan?
 * @io: block
 * @chan: channel
 * @target: the CPU it was sent to
 *
 * Return: true once the receiver has cleared the channel's EN bit.
 */
static inline bool cv1800_mbox_hw_tx_done(const struct cv1800_mbox_io *io,
					  unsigned int chan,
					  unsigned int target)
{
	return !(cv1800_mbox_rd(io, CV1800_MBOX_EN(target)) & BIT(chan));
}

/**
 * cv1800_mbox_hw_pending() - channels raised and unmasked towards this CPU
 * @io: block
 *
 * Return: bit n set for each pending channel n; 0 means the interrupt was
 * not ours (spurious or shared).
 */
static inline u8 cv1800_mbox_hw_pending(const struct cv1800_mbox_io *io)
{
	return cv1800_mbox_rd(io, CV1800_MBOX_INT(io->self));
}

/**
 * cv1800_mbox_hw_receive() - take the message on @chan and acknowledge it
 * @io: block
 * @chan: a channel cv1800_mbox_hw_pending() reported
 *
 * Reads the slot first, then clears the pending bit and the EN bit: once
 * EN is clear the sender may overwrite the slot.
 *
 * Return: the 8-byte message.
 */
static inline u64 cv1800_mbox_hw_receive(const struct cv1800_mbox_io *io,
					 unsigned int chan)
{
	unsigned int en = CV1800_MBOX_EN(io->self);
	u64 msg;

	msg = io->ops->read64(io->ctx, CV1800_MBOX_SLOT(chan));
	cv1800_mbox_wr(io, CV1800_MBOX_INT_CLR(io->self), BIT(chan));
	cv1800_mbox_wr(io, en, cv1800_mbox_rd(io, en) & ~BIT(chan));
	return msg;
}

#endif /* _CV1800_MBOX_HW_H */

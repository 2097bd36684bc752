// SPDX-License-Identifier: GPL-2.0
/*
 * rpmsg_amp_cv1800_mbox - mailbox controller for the Sophgo/CVITEK CV1800
 * mailbox (Milk-V Duo), for kernels that do not have their own
 * (CONFIG_CV1800_MBOX, in recent mainline kernels). Same binding as the kernel's
 * driver: compatible "sophgo,cv1800b-mailbox", #mbox-cells = <2>
 * (channel, target CPU), so one device tree serves both.
 *
 * Linux runs on the C906B (CPU 1): messages for it arrive on CPU 1's
 * registers. Register programming is in cv1800_mbox_hw.h.
 *
 * The vendor kernel's rtos_cmdqu driver ("cvitek,rtos_cmdqu") drives the
 * same block and interrupt; only one of the two can own it. Probe refuses,
 * with a message naming it, while rtos_cmdqu is bound.
 */
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/mailbox_controller.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/of_platform.h>
#include <linux/platform_device.h>
#include <linux/rpmsg_amp.h>
#include <linux/spinlock.h>

#include "cv1800_mbox_hw.h"

#define DRV_NAME		"rpmsg_amp_cv1800_mbox"
#define VENDOR_COMPATIBLE	"cvitek,rtos_cmdqu"
#define CONFLICT_HINT \
	"the vendor rtos_cmdqu driver (cvitek,rtos_cmdqu) owns the mailbox: disable its node or do not load it (see the Milk-V Duo board guide)"

struct cv1800_mbox_chan {
	unsigned int idx;
	unsigned int target;
	bool started;
};

struct cv1800_mbox {
	struct mbox_controller mbox;
	struct mbox_chan chans[CV1800_MBOX_CHANS];
	struct cv1800_mbox_chan priv[CV1800_MBOX_CHANS];
	struct cv1800_mbox_io io;
	void __iomem *base;
	spinlock_t lock;		/* read-modify-write of EN, INT_MASK */
	struct device *dev;
};

static u8 cv1800_mmio_read8(void *ctx, unsigned int off)
{
	struct cv1800_mbox *mb = ctx;

	return readb(mb->base + off);
}

static void cv1800_mmio_write8(void *ctx, unsigned int off, u8 val)
{
	struct cv1800_mbox *mb = ctx;

	writeb(val, mb->base + off);
}

/* The slot is two 32-bit words on the bus; the RTOS reads it as one u64. */
static u64 cv1800_mmio_read64(void *ctx, unsigned int off)
{
	struct cv1800_mbox *mb = ctx;
	u64 lo = readl(mb->base + off);
	u64 hi = readl(mb->base + off + 4);

	return lo | hi << 32;
}

static void cv1800_mmio_write64(void *ctx, unsigned int off, u64 val)
{
	struct cv1800_mbox *mb = ctx;

	writel(lower_32_bits(val), mb->base + off);
	writel(upper_32_bits(val), mb->base + off + 4);
}

static const struct cv1800_mbox_io_ops cv1800_mmio_ops = {
	.read8 = cv1800_mmio_read8,
	.write8 = cv1800_mmio_write8,
	.read64 = cv1800_mmio_read64,
	.write64 = cv1800_mmio_write64,
};

static irqreturn_t cv1800_mbox_irq(int irq, void *data)
{
	struct cv1800_mbox *mb = data;
	unsigned long pending;
	unsigned int i;
	u64 msg;

	spin_lock(&mb->lock);
	pending = cv1800_mbox_hw_pending(&mb->io);
	if (!pending) {
		spin_unlock(&mb->lock);
		return IRQ_NONE;
	}
	for_each_set_bit(i, &pending, CV1800_MBOX_CHANS) {
		msg = cv1800_mbox_hw_receive(&mb->io, i);
		if (!mb->priv[i].started) {
			/* masked channels do not show in INT: hardware fault */
			dev_err_ratelimited(mb->dev,
					    "message on channel %u, which nobody listens to: dropped\n",
					    i);
			continue;
		}
		spin_unlock(&mb->lock);
		mbox_chan_received_data(&mb->chans[i], &msg);
		spin_lock(&mb->lock);
	}
	spin_unlock(&mb->lock);
	return IRQ_HANDLED;
}

static struct cv1800_mbox *to_cv1800(struct mbox_chan *chan)
{
	return container_of(chan->mbox, struct cv1800_mbox, mbox);
}

static int cv1800_mbox_send(struct mbox_chan *chan, void *data)
{
	struct cv1800_mbox *mb = to_cv1800(chan);
	struct cv1800_mbox_chan *p = chan->con_priv;
	unsigned long flags;
	u64 msg = 0;

	if (data)
		memcpy(&msg, data, sizeof(msg));
	spin_lock_irqsave(&mb->lock, flags);
	cv1800_mbox_hw_send(&mb->io, p->idx, p->target, msg);
	spin_unlock_irqrestore(&mb->lock, flags);
	return 0;
}

static bool cv1800_mbox_last_tx_done(struct mbox_chan *chan)
{
	struct cv1800_mbox *mb = to_cv1800(chan);
	struct cv1800_mbox_chan *p = chan->con_priv;

	return cv1800_mbox_hw_tx_done(&mb->io, p->idx, p->target);
}

static int cv1800_mbox_startup(struct mbox_chan *chan)
{
	struct cv1800_mbox *mb = to_cv1800(chan);
	struct cv1800_mbox_chan *p = chan->con_priv;
	unsigned long flags;

	spin_lock_irqsave(&mb->lock, flags);
	p->started = true;
	cv1800_mbox_hw_unmask(&mb->io, p->idx);
	spin_unlock_irqrestore(&mb->lock, flags);
	return 0;
}

static void cv1800_mbox_shutdown(struct mbox_chan *chan)
{
	struct cv1800_mbox *mb = to_cv1800(chan);
	struct cv1800_mbox_chan *p = chan->con_priv;
	unsigned long flags;

	spin_lock_irqsave(&mb->lock, flags);
	cv1800_mbox_hw_mask(&mb->io, p->idx);
	p->started = false;
	spin_unlock_irqrestore(&mb->lock, flags);
}

static const struct mbox_chan_ops cv1800_mbox_ops = {
	.send_data = cv1800_mbox_send,
	.last_tx_done = cv1800_mbox_last_tx_done,
	.startup = cv1800_mbox_startup,
	.shutdown = cv1800_mbox_shutdown,
};

static struct mbox_chan *cv1800_mbox_xlate(struct mbox_controller *mbox,
					   const struct of_phandle_args *sp)
{
	struct cv1800_mbox *mb = container_of(mbox, struct cv1800_mbox, mbox);
	struct mbox_chan *chan;
	struct cv1800_mbox_chan *p;

	if (sp->args_count != 2) {
		dev_err(mb->dev, "mboxes: need 2 cells (channel, target CPU), got %d\n",
			sp->args_count);
		return ERR_PTR(-EINVAL);
	}
	if (sp->args[0] >= CV1800_MBOX_CHANS ||
	    sp->args[1] >= CV1800_MBOX_CPUS) {
		dev_err(mb->dev, "mboxes: channel %u (0-%u) or target CPU %u (0-%u) out of range\n",
			sp->args[0], CV1800_MBOX_CHANS - 1, sp->args[1],
			CV1800_MBOX_CPUS - 1);
		return ERR_PTR(-EINVAL);
	}
	chan = &mbox->chans[sp->args[0]];
	p = chan->con_priv;
	if (chan->cl && p->target != sp->args[1]) {
		dev_err(mb->dev, "mboxes: channel %u already in use towards CPU %u\n",
			p->idx, p->target);
		return ERR_PTR(-EBUSY);
	}
	p->target = sp->args[1];
	return chan;
}

/* Is the vendor's driver bound to a node for this block? */
static bool cv1800_vendor_driver_bound(void)
{
	struct device_node *np;
	bool bound = false;

	for_each_compatible_node(np, NULL, VENDOR_COMPATIBLE) {
		struct platform_device *pdev = of_find_device_by_node(np);

		if (!pdev)
			continue;
		if (pdev->dev.driver)
			bound = true;
		put_device(&pdev->dev);
		if (bound) {
			of_node_put(np);
			break;
		}
	}
	return bound;
}

static int cv1800_mbox_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct cv1800_mbox *mb;
	struct resource *res;
	unsigned int i;
	int irq, ret;

	if (cv1800_vendor_driver_bound()) {
		dev_err(dev, "mailbox busy: %s\n", CONFLICT_HINT);
		return -EBUSY;
	}

	mb = devm_kzalloc(dev, sizeof(*mb), GFP_KERNEL);
	if (!mb)
		return -ENOMEM;
	mb->dev = dev;
	spin_lock_init(&mb->lock);

	res = platform_get_resource(pdev, IORESOURCE_MEM, 0);
	if (!res) {
		dev_err(dev, "reg: missing\n");
		return -EINVAL;
	}
	if (resource_size(res) < CV1800_MBOX_REGS_SIZE) {
		dev_err(dev, "reg: %pR smaller than the 4 KiB block\n", res);
		return -EINVAL;
	}
	mb->base = devm_ioremap_resource(dev, res);
	if (IS_ERR(mb->base)) {
		ret = PTR_ERR(mb->base);
		if (ret == -EBUSY)
			dev_err(dev, "registers %pR already claimed: %s\n",
				res, CONFLICT_HINT);
		return ret;
	}

	mb->io.ops = &cv1800_mmio_ops;
	mb->io.ctx = mb;
	mb->io.self = CV1800_MBOX_CPU_C906B;

	irq = platform_get_irq(pdev, 0);
	if (irq < 0)
		return irq;
	/* nothing is written to the block before the interrupt is ours */
	ret = devm_request_irq(dev, irq, cv1800_mbox_irq, IRQF_NO_AUTOEN,
			       dev_name(dev), mb);
	if (ret == -EBUSY) {
		dev_err(dev, "interrupt %d already taken: %s\n", irq,
			CONFLICT_HINT);
		return ret;
	}
	if (ret) {
		dev_err(dev, "cannot request interrupt %d: %d\n", irq, ret);
		return ret;
	}
	cv1800_mbox_hw_init(&mb->io);
	enable_irq(irq);

	for (i = 0; i < CV1800_MBOX_CHANS; i++) {
		mb->priv[i].idx = i;
		mb->priv[i].target = CV1800_MBOX_CPU_C906L;
		mb->chans[i].con_priv = &mb->priv[i];
	}
	mb->mbox.dev = dev;
	mb->mbox.ops = &cv1800_mbox_ops;
	mb->mbox.chans = mb->chans;
	mb->mbox.num_chans = CV1800_MBOX_CHANS;
	mb->mbox.of_xlate = cv1800_mbox_xlate;
	/* the receiver acknowledges by clearing EN; poll it every ms */
	mb->mbox.txdone_poll = true;
	mb->mbox.txpoll_period = 1;
	platform_set_drvdata(pdev, mb);

	ret = devm_mbox_controller_register(dev, &mb->mbox);
	if (ret) {
		dev_err(dev, "cannot register mailbox controller: %d\n", ret);
		return ret;
	}
	dev_info(dev, "CV1800 mailbox at %pR, irq %d, %u channels, Linux is CPU %u\n",
		 res, irq, CV1800_MBOX_CHANS, mb->io.self);
	return 0;
}

static const struct of_device_id cv1800_mbox_of_match[] = {
	{ .compatible = "sophgo,cv1800b-mailbox" },
	{ }
};
MODULE_DEVICE_TABLE(of, cv1800_mbox_of_match);

static struct platform_driver cv1800_mbox_driver = {
	.probe = cv1800_mbox_probe,
	.driver = {
		.name = DRV_NAME,
		.of_match_table = cv1800_mbox_of_match,
	},
};
module_platform_driver(cv1800_mbox_driver);

MODULE_DESCRIPTION("CV1800 (Milk-V Duo) mailbox controller for rpmsg_amp");
MODULE_AUTHOR("rpmsg_amp developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(RPMSG_AMP_VERSION);

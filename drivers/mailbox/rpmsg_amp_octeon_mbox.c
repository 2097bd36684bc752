// SPDX-License-Identifier: GPL-2.0
/*
 * rpmsg_amp_octeon_mbox - doorbells between two Linux instances on one
 * Cavium OCTEON (cn70xx/cn71xx class, CIU interrupt controller) over the
 * high half of the CIU mailbox registers and OCTEON_IRQ_MBOX1, which the
 * kernel's SMP IPIs leave unused (see octeon_ciu_mbox_hw.h for why). Runs
 * on an unmodified kernel.
 *
 * Binding: compatible "linux,rpmsg-amp-octeon-mbox", #mbox-cells = <2>:
 * channel (0-15, CIU mailbox bit 16 + channel) and the hardware core
 * number of the other instance that takes the doorbell. A doorbell is
 * received on whichever of this instance's cores the other side targets.
 */
#include <linux/interrupt.h>
#include <linux/mailbox_controller.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/platform_device.h>
#include <linux/rpmsg_amp.h>
#include <linux/smp.h>

#include <asm/irq.h>
#include <asm/octeon/octeon.h>

#include "octeon_ciu_mbox_hw.h"

#define DRV_NAME	"rpmsg_amp_octeon_mbox"

struct octeon_mbox_chan {
	unsigned int idx;
	unsigned int core;
};

struct octeon_mbox {
	struct mbox_controller mbox;
	struct mbox_chan chans[OCTEON_CIU_MBOX_CHANS];
	struct octeon_mbox_chan priv[OCTEON_CIU_MBOX_CHANS];
	struct octeon_ciu_mbox_io io;
	struct device *dev;
};

static u64 octeon_csr_read(void *ctx, unsigned int core)
{
	return cvmx_read_csr(CVMX_CIU_MBOX_CLRX(core));
}

static void octeon_csr_set(void *ctx, unsigned int core, u64 bits)
{
	cvmx_write_csr(CVMX_CIU_MBOX_SETX(core), bits);
}

static void octeon_csr_clear(void *ctx, unsigned int core, u64 bits)
{
	cvmx_write_csr(CVMX_CIU_MBOX_CLRX(core), bits);
}

static const struct octeon_ciu_mbox_io_ops octeon_csr_ops = {
	.read = octeon_csr_read,
	.set = octeon_csr_set,
	.clear = octeon_csr_clear,
};

static irqreturn_t octeon_mbox_irq(int irq, void *data)
{
	struct octeon_mbox *mb = data;
	unsigned long rang;
	unsigned int i;
	u16 ignored;

	rang = octeon_ciu_mbox_hw_receive(&mb->io, cvmx_get_core_num(),
					  &ignored);
	if (!rang && !ignored)
		return IRQ_NONE;
	if (ignored)
		dev_err_ratelimited(mb->dev,
				    "doorbell on channel(s) %#x, which nobody listens to: dropped\n",
				    ignored);
	for_each_set_bit(i, &rang, OCTEON_CIU_MBOX_CHANS)
		mbox_chan_received_data(&mb->chans[i], NULL);
	return IRQ_HANDLED;
}

static struct octeon_mbox *to_octeon(struct mbox_chan *chan)
{
	return container_of(chan->mbox, struct octeon_mbox, mbox);
}

static int octeon_mbox_send(struct mbox_chan *chan, void *data)
{
	struct octeon_mbox_chan *p = chan->con_priv;

	/* a doorbell carries no data */
	octeon_ciu_mbox_hw_send(&to_octeon(chan)->io, p->core, p->idx);
	return 0;
}

static bool octeon_mbox_last_tx_done(struct mbox_chan *chan)
{
	struct octeon_mbox_chan *p = chan->con_priv;

	return octeon_ciu_mbox_hw_tx_done(&to_octeon(chan)->io, p->core,
					  p->idx);
}

static int octeon_mbox_startup(struct mbox_chan *chan)
{
	struct octeon_mbox_chan *p = chan->con_priv;

	octeon_ciu_mbox_hw_enable(&to_octeon(chan)->io, p->idx);
	return 0;
}

static void octeon_mbox_shutdown(struct mbox_chan *chan)
{
	struct octeon_mbox_chan *p = chan->con_priv;

	octeon_ciu_mbox_hw_disable(&to_octeon(chan)->io, p->idx);
}

static const struct mbox_chan_ops octeon_mbox_ops = {
	.send_data = octeon_mbox_send,
	.last_tx_done = octeon_mbox_last_tx_done,
	.startup = octeon_mbox_startup,
	.shutdown = octeon_mbox_shutdown,
};

static struct mbox_chan *octeon_mbox_xlate(struct mbox_controller *mbox,
					   const struct of_phandle_args *sp)
{
	struct octeon_mbox *mb = container_of(mbox, struct octeon_mbox, mbox);
	struct mbox_chan *chan;
	struct octeon_mbox_chan *p;

	if (sp->args_count != 2) {
		dev_err(mb->dev, "mboxes: need 2 cells (channel, core), got %d\n",
			sp->args_count);
		return ERR_PTR(-EINVAL);
	}
	if (sp->args[0] >= OCTEON_CIU_MBOX_CHANS ||
	    sp->args[1] >= CVMX_MAX_CORES) {
		dev_err(mb->dev, "mboxes: channel %u (0-%u) or core %u (0-%u) out of range\n",
			sp->args[0], OCTEON_CIU_MBOX_CHANS - 1, sp->args[1],
			CVMX_MAX_CORES - 1);
		return ERR_PTR(-EINVAL);
	}
	chan = &mbox->chans[sp->args[0]];
	p = chan->con_priv;
	if (chan->cl && p->core != sp->args[1]) {
		dev_err(mb->dev, "mboxes: channel %u already in use towards core %u\n",
			p->idx, p->core);
		return ERR_PTR(-EBUSY);
	}
	p->core = sp->args[1];
	return chan;
}

static void octeon_mbox_reset_local(void *data)
{
	struct octeon_mbox *mb = data;

	octeon_ciu_mbox_hw_reset(&mb->io, cvmx_get_core_num());
}

static void octeon_mbox_free_irq(void *data)
{
	free_irq(OCTEON_IRQ_MBOX1, data);
}

static int octeon_mbox_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct octeon_mbox *mb;
	unsigned int i;
	int ret;

	if (octeon_has_feature(OCTEON_FEATURE_CIU2) ||
	    octeon_has_feature(OCTEON_FEATURE_CIU3)) {
		dev_err(dev, "this OCTEON has a CIU2/CIU3 interrupt controller; only CIU chips (cn70xx/cn71xx class) are supported\n");
		return -ENODEV;
	}

	mb = devm_kzalloc(dev, sizeof(*mb), GFP_KERNEL);
	if (!mb)
		return -ENOMEM;
	mb->dev = dev;
	mb->io.ops = &octeon_csr_ops;

	/* old doorbells of ours, on every core of this instance */
	on_each_cpu(octeon_mbox_reset_local, mb, 1);

	ret = request_irq(OCTEON_IRQ_MBOX1, octeon_mbox_irq,
			  IRQF_PERCPU | IRQF_NO_THREAD, DRV_NAME, mb);
	if (ret) {
		dev_err(dev, "cannot request OCTEON_IRQ_MBOX1 (irq %d): %d%s\n",
			OCTEON_IRQ_MBOX1, ret,
			ret == -EBUSY ? ": another driver uses CIU mailbox bits 31..16" : "");
		return ret;
	}
	ret = devm_add_action_or_reset(dev, octeon_mbox_free_irq, mb);
	if (ret)
		return ret;

	for (i = 0; i < OCTEON_CIU_MBOX_CHANS; i++) {
		mb->priv[i].idx = i;
		mb->chans[i].con_priv = &mb->priv[i];
	}
	mb->mbox.dev = dev;
	mb->mbox.ops = &octeon_mbox_ops;
	mb->mbox.chans = mb->chans;
	mb->mbox.num_chans = OCTEON_CIU_MBOX_CHANS;
	mb->mbox.of_xlate = octeon_mbox_xlate;
	/* the other side acknowledges by clearing the bit; poll it */
	mb->mbox.txdone_poll = true;
	mb->mbox.txpoll_period = 1;
	platform_set_drvdata(pdev, mb);

	ret = devm_mbox_controller_register(dev, &mb->mbox);
	if (ret) {
		dev_err(dev, "cannot register mailbox controller: %d\n", ret);
		return ret;
	}
	dev_info(dev, "CIU mailbox bits 31..16 on irq %d, this instance on core %u\n",
		 OCTEON_IRQ_MBOX1, cvmx_get_core_num());
	return 0;
}

static const struct of_device_id octeon_mbox_of_match[] = {
	{ .compatible = "linux,rpmsg-amp-octeon-mbox" },
	{ }
};
MODULE_DEVICE_TABLE(of, octeon_mbox_of_match);

static struct platform_driver octeon_mbox_driver = {
	.probe = octeon_mbox_probe,
	.driver = {
		.name = DRV_NAME,
		.of_match_table = octeon_mbox_of_match,
	},
};
module_platform_driver(octeon_mbox_driver);

MODULE_DESCRIPTION("OCTEON CIU mailbox doorbells (bits 31..16) for rpmsg_amp");
MODULE_AUTHOR("rpmsg_amp developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(RPMSG_AMP_VERSION);

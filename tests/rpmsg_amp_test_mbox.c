// SPDX-License-Identifier: GPL-2.0
/*
 * rpmsg_amp_test_mbox - a software doorbell for the QEMU lab (test only)
 *
 * Channels come in pairs (0,1), (2,3), ...: a message sent on one channel
 * raises the receive callback of its partner. Delivery is asynchronous, as
 * with real hardware: it happens from a hard-interrupt hrtimer shortly after
 * send_data() returns, never inside the sender's call; the sender's
 * transmission completes (txdone) at the same moment. Doorbells are pure
 * notifications; the message pointer is not passed on.
 *
 * The txdone= parameter picks how the mailbox framework learns that a
 * transmission completed, so that clients are tested with each of its
 * three methods: "irq" (the default: the controller reports it),
 * "poll" (the framework polls last_tx_done()) or "ack" (the controller
 * cannot tell, and the client must call mbox_client_txdone()).
 *
 * The device's sysfs attribute "hold" is a mask of channels whose incoming
 * doorbells are held, as by a core that does not serve its interrupt:
 * that side stops consuming, so the other side's writers really block.
 * Clearing a bit delivers the doorbell held meanwhile (at most one, as a
 * hardware doorbell register would keep it).
 */
#include <linux/hrtimer.h>
#include <linux/mailbox_controller.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/platform_device.h>
#include <linux/rpmsg_amp.h>
#include <linux/rpmsg_amp_compat.h>
#include <linux/slab.h>
#include <linux/string.h>

#define TMBOX_CHANS	10

static char *txdone = "irq";
module_param(txdone, charp, 0444);
MODULE_PARM_DESC(txdone, "how a transmission completes: irq (default), poll or ack");

enum tmbox_txdone { TMBOX_IRQ, TMBOX_POLL, TMBOX_ACK };

struct tmbox_chan {
	struct tmbox *tm;
	struct hrtimer timer;
	struct mbox_chan *chan;
	struct mbox_chan *peer;
	atomic64_t sent;
	bool held;		/* a doorbell arrived while held; hold_lock */
};

struct tmbox {
	struct mbox_controller mbox;
	enum tmbox_txdone txdone;
	struct mbox_chan chans[TMBOX_CHANS];
	struct tmbox_chan tc[TMBOX_CHANS];
	spinlock_t hold_lock;		/* hold, tc[].held */
	unsigned long hold;
};

static void tmbox_deliver(struct mbox_chan *chan)
{
	unsigned long flags;

	spin_lock_irqsave(&chan->lock, flags);
	if (chan->cl)
		mbox_chan_received_data(chan, NULL);
	spin_unlock_irqrestore(&chan->lock, flags);
}

static void tmbox_ring_peer(struct tmbox_chan *tc)
{
	struct tmbox_chan *ptc = tc->peer->con_priv;
	struct tmbox *tm = tc->tm;
	unsigned long flags;
	bool held;

	spin_lock_irqsave(&tm->hold_lock, flags);
	held = test_bit(ptc->chan - tm->chans, &tm->hold);
	if (held)
		ptc->held = true;
	spin_unlock_irqrestore(&tm->hold_lock, flags);
	if (!held)
		tmbox_deliver(tc->peer);
}

static ssize_t hold_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	struct tmbox *tm = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%#lx\n", READ_ONCE(tm->hold));
}

static ssize_t hold_store(struct device *dev, struct device_attribute *attr,
			  const char *buf, size_t count)
{
	struct tmbox *tm = dev_get_drvdata(dev);
	unsigned long mask, ring = 0;
	int i, ret;

	ret = kstrtoul(buf, 0, &mask);
	if (ret || mask >= BIT(TMBOX_CHANS)) {
		dev_err(dev, "hold: not a mask of %d channels\n",
			TMBOX_CHANS);
		return -EINVAL;
	}
	spin_lock_irq(&tm->hold_lock);
	WRITE_ONCE(tm->hold, mask);
	for (i = 0; i < TMBOX_CHANS; i++) {
		if (!test_bit(i, &mask) && tm->tc[i].held) {
			tm->tc[i].held = false;
			__set_bit(i, &ring);
		}
	}
	spin_unlock_irq(&tm->hold_lock);
	for_each_set_bit(i, &ring, TMBOX_CHANS)
		tmbox_deliver(&tm->chans[i]);
	return count;
}
static DEVICE_ATTR_RW(hold);

static struct attribute *tmbox_attrs[] = {
	&dev_attr_hold.attr,
	NULL
};
ATTRIBUTE_GROUPS(tmbox);

static enum hrtimer_restart tmbox_fire(struct hrtimer *t)
{
	struct tmbox_chan *tc = container_of(t, struct tmbox_chan, timer);

	/* the partner sees an interrupt, then the sender's txdone */
	tmbox_ring_peer(tc);
	if (tc->tm->txdone == TMBOX_IRQ)
		mbox_chan_txdone(tc->chan, 0);
	return HRTIMER_NORESTART;
}

static int tmbox_send_data(struct mbox_chan *chan, void *data)
{
	struct tmbox_chan *tc = chan->con_priv;

	atomic64_inc(&tc->sent);
	hrtimer_start(&tc->timer, ns_to_ktime(1000), HRTIMER_MODE_REL_HARD);
	return 0;
}

static void tmbox_shutdown(struct mbox_chan *chan)
{
	struct tmbox_chan *tc = chan->con_priv;

	/* a doorbell already rung stays rung, as in a hardware register */
	if (hrtimer_cancel(&tc->timer))
		tmbox_ring_peer(tc);
}

static bool tmbox_last_tx_done(struct mbox_chan *chan)
{
	struct tmbox_chan *tc = chan->con_priv;

	return !hrtimer_active(&tc->timer);
}

static const struct mbox_chan_ops tmbox_ops = {
	.send_data = tmbox_send_data,
	.shutdown = tmbox_shutdown,
	.last_tx_done = tmbox_last_tx_done,
};

static int tmbox_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct tmbox *tm;
	int i;

	tm = devm_kzalloc(dev, sizeof(*tm), GFP_KERNEL);
	if (!tm)
		return -ENOMEM;
	if (!strcmp(txdone, "irq")) {
		tm->txdone = TMBOX_IRQ;
	} else if (!strcmp(txdone, "poll")) {
		tm->txdone = TMBOX_POLL;
	} else if (!strcmp(txdone, "ack")) {
		tm->txdone = TMBOX_ACK;
	} else {
		dev_err(dev, "txdone=%s: not irq, poll or ack\n", txdone);
		return -EINVAL;
	}
	spin_lock_init(&tm->hold_lock);
	for (i = 0; i < TMBOX_CHANS; i++) {
		struct tmbox_chan *tc = &tm->tc[i];

		rpmsg_amp_hrtimer_setup(&tc->timer, tmbox_fire, CLOCK_MONOTONIC,
					HRTIMER_MODE_REL_HARD);
		tc->tm = tm;
		tc->chan = &tm->chans[i];
		tc->peer = &tm->chans[i ^ 1];
		tm->chans[i].con_priv = tc;
	}
	tm->mbox.dev = dev;
	tm->mbox.ops = &tmbox_ops;
	tm->mbox.chans = tm->chans;
	tm->mbox.num_chans = TMBOX_CHANS;
	tm->mbox.txdone_irq = tm->txdone == TMBOX_IRQ;
	tm->mbox.txdone_poll = tm->txdone == TMBOX_POLL;
	tm->mbox.txpoll_period = 1;	/* ms */
	if (tm->txdone != TMBOX_IRQ)
		dev_info(dev, "transmissions complete by %s\n", txdone);
	platform_set_drvdata(pdev, tm);
	return devm_mbox_controller_register(dev, &tm->mbox);
}

static const struct of_device_id tmbox_of_match[] = {
	{ .compatible = "linux,rpmsg-amp-test-mbox" },
	{ }
};
MODULE_DEVICE_TABLE(of, tmbox_of_match);

static struct platform_driver tmbox_driver = {
	.probe = tmbox_probe,
	.driver = {
		.name = "rpmsg_amp_test_mbox",
		.of_match_table = tmbox_of_match,
		.dev_groups = tmbox_groups,
	},
};
module_platform_driver(tmbox_driver);

MODULE_DESCRIPTION("Software doorbell mailbox for the rpmsg_amp test lab");
MODULE_AUTHOR("rpmsg_amp developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(RPMSG_AMP_VERSION);

// SPDX-License-Identifier: GPL-2.0
/*
 * rpmsg_amp - the doorbell: one mailbox channel (or a "tx"/"rx" pair) per
 * rpmsg_amp channel, rung after the rings changed and heard when the other
 * core changed them.
 *
 * An incoming doorbell wakes the channel's writers (a transmit buffer may
 * have come back) and queues its receive work; that is all this file knows
 * of the layers above. Outgoing doorbells coalesce (rpmsg_amp_kick()), and
 * work with every txdone method of the mailbox framework.
 *
 * The other core's watchdog, where the board wires it to Linux (interrupt
 * "wdog", master role), arrives here too: it declares the link broken.
 */
#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/interrupt.h>
#include <linux/mailbox_client.h>
#include <linux/mailbox_controller.h>
#include <linux/of.h>
#include <linux/platform_device.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "rpmsg_amp_internal.h"

enum { KICK_PENDING, KICK_AGAIN };

static void rpmsg_amp_do_kick(struct rpmsg_amp_channel *ch)
{
	struct rpmsg_amp_doorbell *db = &ch->db;
	int ret;

	do {
		clear_bit(KICK_AGAIN, &db->flags);
		ret = mbox_send_message(ch->tx_chan, &db->msg);
		if (ret < 0) {
			clear_bit(KICK_PENDING, &db->flags);
			dev_err_ratelimited(ch->dev, "mailbox send failed: %d\n",
					    ret);
			return;
		}
		atomic64_inc(&ch->stats.irq_out);
		if (!db->txdone_by_ack)
			return;	/* rpmsg_amp_tx_done() follows */
		/*
		 * A doorbell carries no reply to wait for: it is done once
		 * rung.  Acknowledged here, with no tx_done callback (see
		 * rpmsg_amp_doorbell_init()), so a doorbell due meanwhile is
		 * rung by this loop rather than by recursion.
		 */
		mbox_client_txdone(ch->tx_chan, 0);
		clear_bit(KICK_PENDING, &db->flags);
	} while (test_bit(KICK_AGAIN, &db->flags) &&
		 !test_and_set_bit(KICK_PENDING, &db->flags));
}

/**
 * rpmsg_amp_kick() - ring the other core's doorbell
 * @ch: channel
 *
 * Doorbells coalesce: while one is in flight (not yet acknowledged by the
 * mailbox controller) further kicks only note that another is due, so a
 * burst of messages never overflows the mailbox framework's queue.
 */
void rpmsg_amp_kick(struct rpmsg_amp_channel *ch)
{
	struct rpmsg_amp_doorbell *db = &ch->db;

	if (test_and_set_bit(KICK_PENDING, &db->flags)) {
		set_bit(KICK_AGAIN, &db->flags);
		/* the in-flight doorbell may have completed meanwhile */
		if (test_and_set_bit(KICK_PENDING, &db->flags))
			return;
	}
	rpmsg_amp_do_kick(ch);
}

static void rpmsg_amp_tx_done(struct mbox_client *cl, void *msg, int r)
{
	struct rpmsg_amp_channel *ch = container_of(cl, struct rpmsg_amp_channel,
						    mbox_cl);
	struct rpmsg_amp_doorbell *db = &ch->db;

	clear_bit(KICK_PENDING, &db->flags);
	if (test_bit(KICK_AGAIN, &db->flags) &&
	    !test_and_set_bit(KICK_PENDING, &db->flags))
		rpmsg_amp_do_kick(ch);
}

static void rpmsg_amp_rx_callback(struct mbox_client *cl, void *msg)
{
	struct rpmsg_amp_channel *ch = container_of(cl, struct rpmsg_amp_channel,
						    mbox_cl);

	atomic64_inc(&ch->stats.irq_in);
	/* transmit space may have freed; writers re-check by themselves */
	wake_up(&ch->tx_wq);
	queue_work(ch->wq, &ch->rx_work);
}

/*
 * The other core's watchdog fired: it stopped, and stays stopped until
 * Linux restarts it. The link is declared broken before a new instance
 * could take anything from the rings, and the master holds the other
 * core in reset, rebuilds the rings and releases it (rpmsg_amp_link.c).
 */
static irqreturn_t rpmsg_amp_wdog_irq(int irq, void *data)
{
	struct rpmsg_amp_channel *ch = data;

	if (rpmsg_amp_link_broken(ch))
		dev_err(ch->dev, "link broken: the other core's watchdog fired; restarting it\n");
	else
		dev_info(ch->dev, "the other core's watchdog fired while its link was down\n");
	return IRQ_HANDLED;
}

/* The "wdog" interrupt, if the node has one: master role, with a reset. */
static int rpmsg_amp_wdog_init(struct rpmsg_amp_channel *ch)
{
	struct device *dev = ch->dev;
	int irq, ret;

	if (of_property_match_string(dev->of_node, "interrupt-names",
				     "wdog") < 0)
		return 0;
	if (ch->role != RPMSG_AMP_ROLE_MASTER) {
		dev_err(dev, "interrupts: \"wdog\" is the master's: only the master restarts the other core\n");
		return -EINVAL;
	}
	if (!ch->peer_reset) {
		dev_err(dev, "interrupts: \"wdog\" needs the other core's reset (resets), which restarts it\n");
		return -EINVAL;
	}
	irq = platform_get_irq_byname(to_platform_device(dev), "wdog");
	if (irq < 0)
		return dev_err_probe(dev, irq, "interrupts: \"wdog\"\n");
	ret = request_irq(irq, rpmsg_amp_wdog_irq, 0, dev_name(dev), ch);
	if (ret)
		return dev_err_probe(dev, ret, "interrupts: \"wdog\"\n");
	ch->wdog_irq = irq;
	return 0;
}

/**
 * rpmsg_amp_doorbell_init() - take the channel's mailbox channels
 * @ch: channel; its workqueue and rx_work are set up
 *
 * And the other core's watchdog interrupt, where the node has one.
 *
 * Return: 0 or a negative errno (-EPROBE_DEFER while the controller is not
 * there yet).
 */
int rpmsg_amp_doorbell_init(struct rpmsg_amp_channel *ch)
{
	struct device *dev = ch->dev;
	struct device_node *np = dev->of_node;
	int ret;

	if (!of_find_property(np, "mboxes", NULL)) {
		dev_err(dev, "mboxes: missing\n");
		return -EINVAL;
	}
	ret = rpmsg_amp_wdog_init(ch);
	if (ret)
		return ret;
	ch->mbox_cl.dev = dev;
	ch->mbox_cl.tx_block = false;
	ch->mbox_cl.knows_txdone = false;
	ch->mbox_cl.rx_callback = rpmsg_amp_rx_callback;
	ch->mbox_cl.tx_done = rpmsg_amp_tx_done;

	if (of_property_match_string(np, "mbox-names", "tx") >= 0) {
		ch->tx_chan = mbox_request_channel_byname(&ch->mbox_cl, "tx");
		if (IS_ERR(ch->tx_chan)) {
			ret = dev_err_probe(dev, PTR_ERR(ch->tx_chan),
					    "mboxes: cannot get \"tx\" channel\n");
			goto err_wdog;
		}
		ch->rx_chan = mbox_request_channel_byname(&ch->mbox_cl, "rx");
		if (IS_ERR(ch->rx_chan)) {
			mbox_free_channel(ch->tx_chan);
			ret = dev_err_probe(dev, PTR_ERR(ch->rx_chan),
					    "mboxes: cannot get \"rx\" channel\n");
			goto err_wdog;
		}
	} else {
		ch->tx_chan = mbox_request_channel(&ch->mbox_cl, 0);
		if (IS_ERR(ch->tx_chan)) {
			ret = dev_err_probe(dev, PTR_ERR(ch->tx_chan),
					    "mboxes: cannot get mailbox channel\n");
			goto err_wdog;
		}
		ch->rx_chan = NULL;
	}
	/* see rpmsg_amp_do_kick() */
	ch->db.txdone_by_ack = !ch->tx_chan->mbox->txdone_irq &&
			       !ch->tx_chan->mbox->txdone_poll;
	if (ch->db.txdone_by_ack)
		ch->mbox_cl.tx_done = NULL;
	return 0;

err_wdog:
	if (ch->wdog_irq)
		free_irq(ch->wdog_irq, ch);
	ch->wdog_irq = 0;
	return ret;
}

/**
 * rpmsg_amp_doorbell_free() - give the mailbox channels back
 * @ch: channel
 *
 * No doorbell (and no watchdog interrupt) arrives after this returns.
 */
void rpmsg_amp_doorbell_free(struct rpmsg_amp_channel *ch)
{
	if (ch->wdog_irq)
		free_irq(ch->wdog_irq, ch);
	ch->wdog_irq = 0;
	if (ch->rx_chan)
		mbox_free_channel(ch->rx_chan);
	mbox_free_channel(ch->tx_chan);
}

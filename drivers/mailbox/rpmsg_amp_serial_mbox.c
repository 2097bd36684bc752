// SPDX-License-Identifier: GPL-2.0
/*
 * rpmsg_amp_serial_mbox - doorbells over a serial line
 *
 * Two machines joined by a UART ring each other's doorbells through it:
 * channel N is rung by sending the one byte 0x80 | N, which raises the
 * receive interrupt of the UART on the other side. The lab joins two QEMU
 * guests this way (their serial ports meet in a socket): a real interrupt
 * in the other guest on every kernel the project supports, where QEMU's
 * ivshmem-doorbell signals only by MSI-X, which riscv guests before 6.10
 * cannot take. Two boards wired TX to RX work the same way.
 *
 * The kernel has no doorbell on a serial line, so this driver is one. The
 * line itself is the kernel's: serdev, on whatever tty driver the UART
 * has. The driver owns the line's bytes and nothing else.
 *
 * A doorbell carries no data, so rings coalesce: a ring that cannot be
 * queued at once (the line's transmit buffer is full) is kept pending and
 * sent from the write-wakeup work, and a channel rung again while pending
 * is sent once. A ring is complete once queued (TXDONE_BY_ACK: clients
 * call mbox_client_txdone(), as after writing a doorbell register).
 *
 * Bytes that are not doorbells are refused and logged (the other side's
 * boot firmware printing on the line, or noise): a byte without the high
 * bit, or for a channel this controller does not have.
 */
#include <linux/bitops.h>
#include <linux/mailbox_controller.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/rpmsg_amp.h>
#include <linux/rpmsg_amp_compat.h>
#include <linux/serdev.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#define SMBOX_CHANS	16
#define SMBOX_RING	0x80	/* ring of channel N: SMBOX_RING | N */
#define SMBOX_BAUD	115200

struct serial_mbox {
	struct mbox_controller mbox;
	struct mbox_chan chans[SMBOX_CHANS];
	struct serdev_device *serdev;
	struct work_struct tx_work;
	spinlock_t tx_lock;		/* pending; serialises the writes */
	unsigned long pending;		/* rings not yet queued on the line */
	spinlock_t rx_lock;		/* started; held across delivery */
	unsigned long started;		/* channels with a client */
};

/* Queue every pending ring the line takes now; the rest waits for wakeup. */
static void smbox_flush(struct serial_mbox *sm)
{
	unsigned long flags;
	unsigned int n;
	u8 ring;

	spin_lock_irqsave(&sm->tx_lock, flags);
	for_each_set_bit(n, &sm->pending, SMBOX_CHANS) {
		ring = SMBOX_RING | n;
		if (serdev_device_write_buf(sm->serdev, &ring, 1) != 1)
			break;
		__clear_bit(n, &sm->pending);
	}
	spin_unlock_irqrestore(&sm->tx_lock, flags);
}

static void smbox_tx_work(struct work_struct *work)
{
	smbox_flush(container_of(work, struct serial_mbox, tx_work));
}

static int smbox_send_data(struct mbox_chan *chan, void *data)
{
	struct serial_mbox *sm = chan->con_priv;

	set_bit(chan - sm->chans, &sm->pending);
	smbox_flush(sm);
	return 0;
}

/* A channel with a client gets its doorbells delivered (rx_lock). */
static void smbox_set_started(struct mbox_chan *chan, bool started)
{
	struct serial_mbox *sm = chan->con_priv;
	unsigned long flags;

	spin_lock_irqsave(&sm->rx_lock, flags);
	__assign_bit(chan - sm->chans, &sm->started, started);
	spin_unlock_irqrestore(&sm->rx_lock, flags);
}

static int smbox_startup(struct mbox_chan *chan)
{
	smbox_set_started(chan, true);
	return 0;
}

static void smbox_shutdown(struct mbox_chan *chan)
{
	struct serial_mbox *sm = chan->con_priv;

	smbox_set_started(chan, false);
	clear_bit(chan - sm->chans, &sm->pending);
}

static const struct mbox_chan_ops smbox_ops = {
	.send_data = smbox_send_data,
	.startup = smbox_startup,
	.shutdown = smbox_shutdown,
};

/*
 * From the tty layer's receive work. Each channel rung in this chunk is
 * delivered once, with interrupts off, as from a doorbell's interrupt
 * handler; rx_lock keeps shutdown from taking the client away meanwhile.
 */
static RPMSG_AMP_SERDEV_RX_RET smbox_receive_buf(struct serdev_device *serdev,
						 const u8 *buf, size_t count)
{
	struct serial_mbox *sm = serdev_device_get_drvdata(serdev);
	unsigned long rung = 0, flags;
	size_t i, bad = 0;
	unsigned int n;
	u8 first = 0;

	for (i = 0; i < count; i++) {
		n = buf[i] & ~SMBOX_RING;
		if ((buf[i] & SMBOX_RING) && n < SMBOX_CHANS) {
			__set_bit(n, &rung);
			continue;
		}
		if (!bad++)
			first = buf[i];
	}

	spin_lock_irqsave(&sm->rx_lock, flags);
	rung &= sm->started;
	for_each_set_bit(n, &rung, SMBOX_CHANS)
		mbox_chan_received_data(&sm->chans[n], NULL);
	spin_unlock_irqrestore(&sm->rx_lock, flags);

	if (bad)
		dev_err_ratelimited(&serdev->dev,
				    "refused %zu byte(s) that are no doorbell (first 0x%02x): the other side's console or noise on the line\n",
				    bad, first);
	return count;
}

/* From the UART's transmit interrupt, port lock held: no writes here. */
static void smbox_write_wakeup(struct serdev_device *serdev)
{
	struct serial_mbox *sm = serdev_device_get_drvdata(serdev);

	if (READ_ONCE(sm->pending))
		schedule_work(&sm->tx_work);
}

static const struct serdev_device_ops smbox_serdev_ops = {
	.receive_buf = smbox_receive_buf,
	.write_wakeup = smbox_write_wakeup,
};

static void smbox_cancel_work(void *data)
{
	struct serial_mbox *sm = data;

	cancel_work_sync(&sm->tx_work);
}

static int smbox_probe(struct serdev_device *serdev)
{
	struct device *dev = &serdev->dev;
	struct serial_mbox *sm;
	u32 speed = SMBOX_BAUD;
	unsigned int i;
	int ret;

	sm = devm_kzalloc(dev, sizeof(*sm), GFP_KERNEL);
	if (!sm)
		return -ENOMEM;
	sm->serdev = serdev;
	spin_lock_init(&sm->tx_lock);
	spin_lock_init(&sm->rx_lock);
	INIT_WORK(&sm->tx_work, smbox_tx_work);
	serdev_device_set_drvdata(serdev, sm);

	if (of_property_read_u32(dev->of_node, "current-speed", &speed) &&
	    of_find_property(dev->of_node, "current-speed", NULL)) {
		dev_err(dev, "current-speed: not a u32\n");
		return -EINVAL;
	}

	/* released in reverse: the mailbox goes, then the line, then the work */
	ret = devm_add_action_or_reset(dev, smbox_cancel_work, sm);
	if (ret)
		return ret;
	serdev_device_set_client_ops(serdev, &smbox_serdev_ops);
	ret = devm_serdev_device_open(dev, serdev);
	if (ret)
		return dev_err_probe(dev, ret, "cannot open the serial line\n");
	if (serdev_device_set_baudrate(serdev, speed) != speed)
		dev_info(dev, "the line runs at another speed than %u baud\n",
			 speed);
	serdev_device_set_flow_control(serdev, false);
	ret = serdev_device_set_parity(serdev, SERDEV_PARITY_NONE);
	if (ret)
		return dev_err_probe(dev, ret, "cannot set the line to no parity\n");

	for (i = 0; i < SMBOX_CHANS; i++)
		sm->chans[i].con_priv = sm;
	sm->mbox.dev = dev;
	sm->mbox.chans = sm->chans;
	sm->mbox.num_chans = SMBOX_CHANS;
	sm->mbox.ops = &smbox_ops;
	ret = devm_mbox_controller_register(dev, &sm->mbox);
	if (ret)
		return dev_err_probe(dev, ret, "cannot register the mailbox\n");
	dev_info(dev, "%u doorbells on the serial line, %u baud\n",
		 SMBOX_CHANS, speed);
	return 0;
}

static const struct of_device_id smbox_of_match[] = {
	{ .compatible = "linux,rpmsg-amp-serial-mbox" },
	{ }
};
MODULE_DEVICE_TABLE(of, smbox_of_match);

static struct serdev_device_driver smbox_driver = {
	.probe = smbox_probe,
	.driver = {
		.name = "rpmsg_amp_serial_mbox",
		.of_match_table = smbox_of_match,
	},
};
module_serdev_device_driver(smbox_driver);

MODULE_DESCRIPTION("Doorbells over a serial line (serdev mailbox controller) for rpmsg_amp");
MODULE_AUTHOR("rpmsg_amp developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(RPMSG_AMP_VERSION);

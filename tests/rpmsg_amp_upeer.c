// SPDX-License-Identifier: GPL-2.0
/*
 * rpmsg_amp_upeer - the other core as a user-space process (test only)
 *
 * For the interop tests, the firmware stacks that run on real boards'
 * other cores (RPMsg-Lite, OpenAMP) run as guest processes. This module
 * gives such a process what the other core has: the shared memory and a
 * doorbell each way. One misc device per DT node ("linux,rpmsg-amp-upeer"),
 * named after the node's "upeer-name" (default "rpmsg_upeer0"):
 *
 *  - mmap() at an offset equal to a physical address maps that part of
 *    one of the node's memory regions (the carveouts the channel under
 *    test uses), so that the process's physical-to-virtual map is a
 *    constant offset per region, as on a core with a flat memory map;
 *  - read() of 8 bytes blocks until a doorbell from Linux arrived and
 *    returns the number of doorbells since the last read (a u64); poll()
 *    says when one is there;
 *  - write() of any bytes rings Linux (one doorbell per write; doorbells
 *    coalesce, as in hardware).
 *
 * The doorbell is the node's mailbox: one channel of the test mailbox
 * whose partner the channel under test uses.
 *
 * The node is also the other core's reset controller (#reset-cells = <1>,
 * one line), as a board's is for its second core: asserting the reset
 * kills the processes that have the device open (a core stops at once)
 * and waits until they are gone; while it is asserted, open() waits, so a
 * process started meanwhile (the test's supervisor restarts the firmware,
 * as a watchdog would) runs only once the reset is released.
 *
 * With "interrupt-controller", the node is also the other core's
 * watchdog, one interrupt line to Linux (#interrupt-cells = <1>, line 0),
 * as a board wires a remote core's watchdog to the core that restarts
 * it. A process arms it with ioctl(UPEER_WDOG_ARM) (the firmware, once it
 * runs; not its boot loader); when an armed process ends while the reset
 * is released (it crashed, or was killed), the watchdog fires: the other
 * core stops, its interrupt is raised, and open() waits until the reset
 * has been asserted and released again, so the next instance starts only
 * on what Linux rebuilt. ioctl(UPEER_WDOG_DISARM) before an orderly stop.
 * Nothing here is part of the product.
 */
#include <linux/fs.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irq_work.h>
#include <linux/irqdomain.h>
#include <linux/mailbox_client.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/of_address.h>
#include <linux/platform_device.h>
#include <linux/poll.h>
#include <linux/reset-controller.h>
#include <linux/rpmsg_amp_compat.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#define UPEER_REGIONS	4
#define UPEER_OPENERS	8

/* the firmware arms and disarms its watchdog (tests/peers/oa_peer.c) */
#define UPEER_WDOG_ARM		_IO('u', 1)
#define UPEER_WDOG_DISARM	_IO('u', 2)

struct upeer {
	struct device *dev;
	struct miscdevice misc;
	struct mbox_client cl;
	struct mbox_chan *chan;
	struct resource region[UPEER_REGIONS];
	int nregions;
	wait_queue_head_t wq;
	atomic64_t rung;	/* doorbells from Linux */
	u64 seen;		/* ... read by the process; under lock */
	struct mutex lock;	/* seen */
	struct reset_controller_dev rcdev;
	bool in_reset;			/* under lock */
	bool halted;	/* its watchdog fired: until a reset; under lock */
	struct irq_domain *wdog_domain;	/* or NULL: no watchdog */
	struct irq_work wdog_work;	/* raises its interrupt */
	int users;			/* open files; under lock */
	struct pid *opener[UPEER_OPENERS];	/* their processes; lock */
	unsigned long ring;	/* UPEER_RING_PENDING, UPEER_RING_AGAIN */
};

/*
 * Like a hardware doorbell, one in flight absorbs the ones rung meanwhile:
 * a write while a doorbell is in the mailbox's queue leaves AGAIN, and
 * its txdone rings once more. (The mailbox core would take up to 20 and
 * log each one it cannot queue.)
 */
#define UPEER_RING_PENDING	0
#define UPEER_RING_AGAIN	1

static void upeer_mbox_rx(struct mbox_client *cl, void *msg)
{
	struct upeer *u = container_of(cl, struct upeer, cl);

	atomic64_inc(&u->rung);
	wake_up_interruptible(&u->wq);
}

/* one open file */
struct upeer_file {
	struct upeer *u;
	bool armed;	/* its watchdog; under u->lock */
};

static struct upeer *upeer_of(struct file *file)
{
	return ((struct upeer_file *)file->private_data)->u;
}

/* The other core may run: not in reset, not stopped by its watchdog. */
static bool upeer_may_run(struct upeer *u)
{
	return !READ_ONCE(u->in_reset) && !READ_ONCE(u->halted);
}

static int upeer_open(struct inode *inode, struct file *file)
{
	struct upeer *u = container_of(file->private_data, struct upeer, misc);
	struct upeer_file *uf;
	int ret, i;

	uf = kzalloc(sizeof(*uf), GFP_KERNEL);
	if (!uf)
		return -ENOMEM;
	uf->u = u;
	for (;;) {
		ret = wait_event_interruptible(u->wq, upeer_may_run(u));
		if (ret)
			goto err;
		mutex_lock(&u->lock);
		if (!u->in_reset && !u->halted)
			break;
		mutex_unlock(&u->lock);
	}
	for (i = 0; i < UPEER_OPENERS && u->opener[i]; i++)
		;
	if (i == UPEER_OPENERS) {
		mutex_unlock(&u->lock);
		ret = -EBUSY;
		goto err;
	}
	u->opener[i] = get_pid(task_tgid(current));
	u->users++;
	mutex_unlock(&u->lock);
	file->private_data = uf;
	return 0;
err:
	kfree(uf);
	return ret;
}

/* Hard interrupt context: the watchdog's line to Linux. */
static void upeer_wdog_raise(struct irq_work *work)
{
	struct upeer *u = container_of(work, struct upeer, wdog_work);
	unsigned int virq = irq_find_mapping(u->wdog_domain, 0);

	if (virq)
		generic_handle_irq(virq);
}

static long upeer_ioctl(struct file *file, unsigned int cmd,
			unsigned long arg)
{
	struct upeer_file *uf = file->private_data;
	struct upeer *u = uf->u;

	if (cmd != UPEER_WDOG_ARM && cmd != UPEER_WDOG_DISARM)
		return -ENOTTY;
	if (!u->wdog_domain) {
		dev_err(u->dev, "watchdog: the node has none (no interrupt-controller)\n");
		return -EOPNOTSUPP;
	}
	mutex_lock(&u->lock);
	uf->armed = cmd == UPEER_WDOG_ARM;
	mutex_unlock(&u->lock);
	return 0;
}

static int upeer_release(struct inode *inode, struct file *file)
{
	struct upeer_file *uf = file->private_data;
	struct upeer *u = uf->u;
	struct pid *me = task_tgid(current);
	bool fired;
	int i;

	mutex_lock(&u->lock);
	/* an armed firmware ended on its own: its watchdog fires */
	fired = uf->armed && !u->in_reset;
	if (fired)
		u->halted = true;
	/* the last close may come from another process: drop any one */
	for (i = 0; i < UPEER_OPENERS; i++)
		if (u->opener[i] == me)
			break;
	if (i == UPEER_OPENERS)
		for (i = 0; i < UPEER_OPENERS && !u->opener[i]; i++)
			;
	if (i < UPEER_OPENERS) {
		put_pid(u->opener[i]);
		u->opener[i] = NULL;
	}
	u->users--;
	mutex_unlock(&u->lock);
	kfree(uf);
	if (fired) {
		dev_info(u->dev, "watchdog fired: the other core stopped\n");
		irq_work_queue(&u->wdog_work);
	}
	wake_up_all(&u->wq);
	return 0;
}

static ssize_t upeer_read(struct file *file, char __user *buf, size_t len,
			  loff_t *ppos)
{
	struct upeer *u = upeer_of(file);
	u64 now, n;
	int ret;

	if (len < sizeof(n))
		return -EINVAL;
	for (;;) {
		ret = mutex_lock_interruptible(&u->lock);
		if (ret)
			return ret;
		if (u->in_reset) {
			mutex_unlock(&u->lock);
			return -ECONNRESET;
		}
		now = atomic64_read(&u->rung);
		n = now - u->seen;
		u->seen = now;
		mutex_unlock(&u->lock);
		if (n)
			break;
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		ret = wait_event_interruptible(u->wq,
					       atomic64_read(&u->rung) != now ||
					       READ_ONCE(u->in_reset));
		if (ret)
			return ret;
	}
	if (copy_to_user(buf, &n, sizeof(n)))
		return -EFAULT;
	return sizeof(n);
}

/* Ring Linux; the caller holds UPEER_RING_PENDING. */
static int upeer_ring(struct upeer *u)
{
	int ret = mbox_send_message(u->chan, u);

	if (ret < 0)
		clear_bit(UPEER_RING_PENDING, &u->ring);
	return ret < 0 ? ret : 0;
}

static void upeer_mbox_tx_done(struct mbox_client *cl, void *msg, int r)
{
	struct upeer *u = container_of(cl, struct upeer, cl);

	if (test_and_clear_bit(UPEER_RING_AGAIN, &u->ring)) {
		upeer_ring(u);
		return;
	}
	clear_bit(UPEER_RING_PENDING, &u->ring);
	/* a writer that saw PENDING set just now left AGAIN for us */
	smp_mb__after_atomic();
	if (test_bit(UPEER_RING_AGAIN, &u->ring) &&
	    !test_and_set_bit(UPEER_RING_PENDING, &u->ring)) {
		clear_bit(UPEER_RING_AGAIN, &u->ring);
		upeer_ring(u);
	}
}

static ssize_t upeer_write(struct file *file, const char __user *buf,
			   size_t len, loff_t *ppos)
{
	struct upeer *u = upeer_of(file);
	int ret = 0;

	set_bit(UPEER_RING_AGAIN, &u->ring);
	/* AGAIN before PENDING is looked at: see upeer_mbox_tx_done() */
	smp_mb__after_atomic();
	if (!test_and_set_bit(UPEER_RING_PENDING, &u->ring)) {
		clear_bit(UPEER_RING_AGAIN, &u->ring);
		ret = upeer_ring(u);
	}
	return ret < 0 ? ret : len;
}

static __poll_t upeer_poll(struct file *file, poll_table *pt)
{
	struct upeer *u = upeer_of(file);
	__poll_t mask = EPOLLOUT | EPOLLWRNORM;

	poll_wait(file, &u->wq, pt);
	mutex_lock(&u->lock);
	if (atomic64_read(&u->rung) != u->seen)
		mask |= EPOLLIN | EPOLLRDNORM;
	mutex_unlock(&u->lock);
	return mask;
}

static int upeer_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct upeer *u = upeer_of(file);
	u64 pa = (u64)vma->vm_pgoff << PAGE_SHIFT;
	u64 len = vma->vm_end - vma->vm_start;
	int i;

	for (i = 0; i < u->nregions; i++) {
		struct resource *r = &u->region[i];

		if (pa < r->start || len > resource_size(r) ||
		    pa - r->start > resource_size(r) - len)
			continue;
		return remap_pfn_range(vma, vma->vm_start, vma->vm_pgoff, len,
				       vma->vm_page_prot);
	}
	dev_err(u->dev, "mmap of %llu bytes at %#llx refused: not inside one of its memory regions\n",
		len, pa);
	return -EINVAL;
}

/* The other core stops: its processes are killed, and gone on return. */
static int upeer_assert(struct reset_controller_dev *rcdev, unsigned long id)
{
	struct upeer *u = container_of(rcdev, struct upeer, rcdev);
	int i;

	mutex_lock(&u->lock);
	u->in_reset = true;
	for (i = 0; i < UPEER_OPENERS; i++)
		if (u->opener[i])
			kill_pid(u->opener[i], SIGKILL, 1);
	mutex_unlock(&u->lock);
	wake_up_all(&u->wq);
	if (!wait_event_timeout(u->wq, !READ_ONCE(u->users), 5 * HZ)) {
		dev_err(u->dev, "reset: the other core's processes did not end within 5 s\n");
		return -ETIMEDOUT;
	}
	dev_info(u->dev, "reset asserted: the other core stopped\n");
	return 0;
}

static int upeer_deassert(struct reset_controller_dev *rcdev,
			  unsigned long id)
{
	struct upeer *u = container_of(rcdev, struct upeer, rcdev);

	mutex_lock(&u->lock);
	u->in_reset = false;
	u->halted = false;
	mutex_unlock(&u->lock);
	wake_up_all(&u->wq);
	dev_info(u->dev, "reset released: the other core may start\n");
	return 0;
}

static int upeer_status(struct reset_controller_dev *rcdev, unsigned long id)
{
	struct upeer *u = container_of(rcdev, struct upeer, rcdev);

	return READ_ONCE(u->in_reset);
}

static const struct reset_control_ops upeer_reset_ops __maybe_unused = {
	.assert = upeer_assert,
	.deassert = upeer_deassert,
	.status = upeer_status,
};

static int upeer_wdog_map(struct irq_domain *d, unsigned int virq,
			  irq_hw_number_t hw)
{
	irq_set_chip_and_handler(virq, &dummy_irq_chip, handle_simple_irq);
	return 0;
}

static const struct irq_domain_ops upeer_wdog_ops = {
	.map = upeer_wdog_map,
	.xlate = irq_domain_xlate_onecell,
};

static void upeer_wdog_remove(void *data)
{
	struct upeer *u = data;
	unsigned int virq = irq_find_mapping(u->wdog_domain, 0);

	irq_work_sync(&u->wdog_work);
	if (virq)
		irq_dispose_mapping(virq);
	irq_domain_remove(u->wdog_domain);
}

/* The watchdog's interrupt line, where the node is an interrupt-controller. */
static int upeer_wdog_init(struct upeer *u)
{
	struct device_node *np = u->dev->of_node;

	init_irq_work(&u->wdog_work, upeer_wdog_raise);
	if (!of_property_read_bool(np, "interrupt-controller"))
		return 0;
	u->wdog_domain = irq_domain_create_linear(of_fwnode_handle(np), 1,
						  &upeer_wdog_ops, u);
	if (!u->wdog_domain)
		return -ENOMEM;
	return devm_add_action_or_reset(u->dev, upeer_wdog_remove, u);
}

static const struct file_operations upeer_fops = {
	.owner = THIS_MODULE,
	.open = upeer_open,
	.release = upeer_release,
	.read = upeer_read,
	.write = upeer_write,
	.poll = upeer_poll,
	.mmap = upeer_mmap,
	.unlocked_ioctl = upeer_ioctl,
	.llseek = noop_llseek,
};

static int upeer_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	const char *name = "rpmsg_upeer0";
	struct device_node *np;
	struct upeer *u;
	int i, ret;

	u = devm_kzalloc(dev, sizeof(*u), GFP_KERNEL);
	if (!u)
		return -ENOMEM;
	u->dev = dev;
	init_waitqueue_head(&u->wq);
	mutex_init(&u->lock);
	for (i = 0; i < UPEER_REGIONS; i++) {
		np = of_parse_phandle(dev->of_node, "memory-region", i);
		if (!np)
			break;
		ret = of_address_to_resource(np, 0, &u->region[i]);
		of_node_put(np);
		if (ret)
			return dev_err_probe(dev, ret, "memory-region %d\n", i);
		if (!PAGE_ALIGNED(u->region[i].start) ||
		    !PAGE_ALIGNED(resource_size(&u->region[i])))
			return dev_err_probe(dev, -EINVAL,
					     "memory-region %d not page-aligned\n", i);
	}
	u->nregions = i;
	ret = upeer_wdog_init(u);
	if (ret)
		return dev_err_probe(dev, ret, "watchdog interrupt\n");
	of_property_read_string(dev->of_node, "upeer-name", &name);
	u->cl.dev = dev;
	u->cl.rx_callback = upeer_mbox_rx;
	u->cl.tx_done = upeer_mbox_tx_done;
	u->cl.tx_block = false;
	u->chan = mbox_request_channel(&u->cl, 0);
	if (IS_ERR(u->chan))
		return dev_err_probe(dev, PTR_ERR(u->chan), "mailbox\n");
#if IS_ENABLED(CONFIG_RESET_CONTROLLER)
	u->rcdev.ops = &upeer_reset_ops;
	u->rcdev.owner = THIS_MODULE;
	u->rcdev.of_node = dev->of_node;
	u->rcdev.nr_resets = 1;
	ret = devm_reset_controller_register(dev, &u->rcdev);
	if (ret) {
		mbox_free_channel(u->chan);
		return dev_err_probe(dev, ret, "reset controller\n");
	}
#endif
	u->misc.minor = MISC_DYNAMIC_MINOR;
	u->misc.name = devm_kstrdup(dev, name, GFP_KERNEL);
	u->misc.fops = &upeer_fops;
	u->misc.parent = dev;
	ret = u->misc.name ? misc_register(&u->misc) : -ENOMEM;
	if (ret) {
		mbox_free_channel(u->chan);
		return ret;
	}
	platform_set_drvdata(pdev, u);
	dev_info(dev, "/dev/%s: %d memory region(s)%s\n", name, u->nregions,
		 u->wdog_domain ? ", a watchdog" : "");
	return 0;
}

static void upeer_remove(struct platform_device *pdev)
{
	struct upeer *u = platform_get_drvdata(pdev);

	misc_deregister(&u->misc);
	mbox_free_channel(u->chan);
}

RPMSG_AMP_PLATFORM_REMOVE(upeer_remove_op, upeer_remove)

static const struct of_device_id upeer_of_match[] = {
	{ .compatible = "linux,rpmsg-amp-upeer" },
	{ }
};
MODULE_DEVICE_TABLE(of, upeer_of_match);

static struct platform_driver upeer_driver = {
	.probe = upeer_probe,
	.remove = upeer_remove_op,
	.driver = {
		.name = "rpmsg_amp_upeer",
		.of_match_table = upeer_of_match,
	},
};
module_platform_driver(upeer_driver);

MODULE_DESCRIPTION("rpmsg_amp lab: the other core as a user-space process (test only)");
MODULE_AUTHOR("rpmsg_amp developers");
MODULE_LICENSE("GPL");
MODULE_VERSION("0.1.0");

// SPDX-License-Identifier: GPL-2.0
/*
 * rpmsg_amp_char - misc char devices /dev/rpmsgN_M for rpmsg endpoints
 *
 * Two ways to a device:
 *  - one per address M listed in a channel's misc-dev-endpoints: a
 *    message written to /dev/rpmsgN_M goes to address M on the other core,
 *    messages the other core sends to address M are read from it. The
 *    device lives as long as the channel; its endpoint, an rpmsg endpoint
 *    at M, as long as the channel's rpmsg bus (rpmsg_amp_client link_up
 *    to link_down). While the other side is away, writes fail (see
 *    below);
 *  - one per service the other side announces as "rpmsg-amp-char" at
 *    address M, on any rpmsg bus (an rpmsg driver; remoteproc's buses
 *    too): messages go to M from an address of the bus's choosing, and
 *    the device lives as long as the service. N is the channel index on
 *    a bus of rpmsg_amp, and 100 + K on any other virtio rpmsg bus
 *    (virtioK), so the names never collide.
 *
 * Semantics:
 *  - one message per write() and per read(); boundaries are kept;
 *  - write() of more than the channel's payload size fails with -EMSGSIZE;
 *    a zero-length write sends nothing and returns 0;
 *  - write() blocks while no transmit buffer is free, read() while no
 *    message is queued; O_NONBLOCK gives -EAGAIN instead. On an announced
 *    service the bus does the blocking (virtio_rpmsg_bus: up to 15 s, then
 *    the write fails), and poll() reports EPOLLOUT only where the bus
 *    can tell (virtio_rpmsg_bus cannot), as the kernel's rpmsg_char;
 *  - a read() buffer smaller than the next message fails with -EMSGSIZE and
 *    leaves the message queued, so nothing is lost silently;
 *  - several openers share one queue; each message goes to one reader;
 *  - up to rx_queue_len messages wait per device; a message that finds the
 *    queue full is dropped and counted (the device's rx_dropped and the
 *    channel's drops), never waited for: the receive callback does not
 *    block, so a reader that is slow or gone holds up neither the other
 *    endpoints of the channel nor the net device. The first drop of a
 *    device is logged, rx_dropped counts them all;
 *  - when the channel goes away, blocked and later calls fail with -ENODEV
 *    and poll() reports EPOLLHUP | EPOLLERR (queued messages stay readable);
 *  - while the other side is not there (it has not announced itself yet,
 *    or it stopped, restarted, or the link broke), blocked and later
 *    writes fail with -ENOTCONN and poll() reports EPOLLERR until it is;
 *    reads are not affected.
 */
#include <linux/fs.h>
#include <linux/kref.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/rpmsg.h>
#include <linux/rpmsg_amp.h>
#include <linux/rpmsg_amp_compat.h>
#include <linux/rwsem.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

static unsigned int rx_queue_len = 1024;
module_param(rx_queue_len, uint, 0644);
MODULE_PARM_DESC(rx_queue_len,
		 "Messages queued per device; more are dropped and counted (default 1024)");

struct rpmsg_amp_cmsg {
	struct list_head node;
	size_t len;
	u8 data[];
};

struct rpmsg_amp_cdev {
	struct kref ref;
	struct list_head node;		/* DT-listed: in rpmsg_amp_cdevs */
	struct rpmsg_amp_channel *ch;	/* DT-listed: its channel */
	struct rw_semaphore sem;	/* rpept in use, dead */
	struct rpmsg_endpoint *rpept;	/* NULL while there is none */
	/* wakes txq when the bus frees a transmit buffer; under sem */
	struct rpmsg_amp_tx_waiter txw;
	u32 addr;
	size_t mtu;
	bool dead;
	bool lost;		/* the peer went away and is not back */
	unsigned long warned;	/* bit 0: first drop logged */
	atomic_long_t rx_dropped;
	char name[32];
	struct miscdevice misc;

	spinlock_t qlock;		/* queue, qlen */
	struct list_head queue;
	unsigned int qlen;
	wait_queue_head_t rxq;
	wait_queue_head_t txq;
};

static DEFINE_MUTEX(rpmsg_amp_cdevs_lock);
static LIST_HEAD(rpmsg_amp_cdevs);

static void rpmsg_amp_cdev_release(struct kref *ref)
{
	struct rpmsg_amp_cdev *cdev = container_of(ref, struct rpmsg_amp_cdev,
						   ref);
	struct rpmsg_amp_cmsg *m, *tmp;

	list_for_each_entry_safe(m, tmp, &cdev->queue, node)
		kfree(m);
	put_device(cdev->misc.this_device);
	kfree(cdev);
}

static struct rpmsg_amp_cdev *to_cdev(struct file *file)
{
	return container_of(file->private_data, struct rpmsg_amp_cdev, misc);
}

static void rpmsg_amp_cdev_drop(struct rpmsg_amp_cdev *cdev)
{
	atomic_long_inc(&cdev->rx_dropped);
	if (cdev->ch)
		rpmsg_amp_channel_count_drop(cdev->ch);
}

/*
 * Called from the channel's receive path: must not block.  The channel's
 * receive work is the only producer, readers only take: a queue found
 * below the limit stays below it until this message is added.
 */
static void rpmsg_amp_cdev_rx(void *priv, const void *data, size_t len,
			      u32 src)
{
	struct rpmsg_amp_cdev *cdev = priv;
	struct rpmsg_amp_cmsg *m;

	if (READ_ONCE(cdev->qlen) >= READ_ONCE(rx_queue_len)) {
		rpmsg_amp_cdev_drop(cdev);
		/* once per device: rx_dropped tells the rest */
		if (!test_and_set_bit(0, &cdev->warned))
			dev_warn(cdev->misc.this_device,
				 "%u messages wait unread: dropping, counted in rx_dropped\n",
				 READ_ONCE(rx_queue_len));
		return;
	}
	m = kmalloc(struct_size(m, data, len), GFP_ATOMIC | __GFP_NOWARN);
	if (!m) {
		rpmsg_amp_cdev_drop(cdev);
		return;
	}
	m->len = len;
	memcpy(m->data, data, len);
	spin_lock_bh(&cdev->qlock);
	list_add_tail(&m->node, &cdev->queue);
	cdev->qlen++;
	spin_unlock_bh(&cdev->qlock);
	wake_up_interruptible(&cdev->rxq);
}

static int rpmsg_amp_cdev_rpmsg_rx(struct rpmsg_device *rpdev, void *data,
				   int len, void *priv, u32 src)
{
	rpmsg_amp_cdev_rx(priv, data, len, src);
	return 0;
}

static void rpmsg_amp_cdev_tx_wake(struct rpmsg_amp_tx_waiter *w)
{
	struct rpmsg_amp_cdev *cdev = container_of(w, struct rpmsg_amp_cdev,
						   txw);

	wake_up_interruptible(&cdev->txq);
}

static int rpmsg_amp_cdev_open(struct inode *inode, struct file *file)
{
	struct rpmsg_amp_cdev *cdev = to_cdev(file);

	/* misc_open() holds the misc lock, so the device is still registered */
	kref_get(&cdev->ref);
	return stream_open(inode, file);
}

static int rpmsg_amp_cdev_release_file(struct inode *inode, struct file *file)
{
	kref_put(&to_cdev(file)->ref, rpmsg_amp_cdev_release);
	return 0;
}

static ssize_t rpmsg_amp_cdev_read(struct file *file, char __user *buf,
				   size_t count, loff_t *ppos)
{
	struct rpmsg_amp_cdev *cdev = to_cdev(file);
	struct rpmsg_amp_cmsg *m;
	ssize_t ret;

	for (;;) {
		spin_lock_bh(&cdev->qlock);
		m = list_first_entry_or_null(&cdev->queue,
					     struct rpmsg_amp_cmsg, node);
		if (m) {
			if (count < m->len) {
				spin_unlock_bh(&cdev->qlock);
				return -EMSGSIZE;
			}
			list_del(&m->node);
			cdev->qlen--;
			spin_unlock_bh(&cdev->qlock);
			break;
		}
		spin_unlock_bh(&cdev->qlock);
		if (READ_ONCE(cdev->dead))
			return -ENODEV;
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		if (wait_event_interruptible(cdev->rxq,
					     !list_empty(&cdev->queue) ||
					     READ_ONCE(cdev->dead)))
			return -ERESTARTSYS;
	}

	if (copy_to_user(buf, m->data, m->len)) {
		/* keep the message for the next read */
		spin_lock_bh(&cdev->qlock);
		list_add(&m->node, &cdev->queue);
		cdev->qlen++;
		spin_unlock_bh(&cdev->qlock);
		return -EFAULT;
	}
	ret = m->len;
	kfree(m);
	return ret;
}

/*
 * Send without waiting. On -ENOMEM, @ready tells whether a buffer is free
 * again (worth a retry at once); @canwait whether a freed buffer or the
 * link's return will wake txq (a bus that cannot tell, virtio_rpmsg_bus
 * of remoteproc, will not).
 */
static int rpmsg_amp_cdev_trysend(struct rpmsg_amp_cdev *cdev, void *kbuf,
				  size_t len, bool *ready, bool *canwait)
{
	int ret = -ENOTCONN;

	*ready = false;
	*canwait = true;
	down_read(&cdev->sem);
	if (cdev->dead) {
		ret = -ENODEV;
	} else if (READ_ONCE(cdev->lost)) {
		ret = -ENOTCONN;
	} else if (cdev->rpept) {
		/* none while the link is rebuilt: its return wakes txq */
		ret = rpmsg_trysendto(cdev->rpept, kbuf, len, cdev->addr);
		if (ret == -ENOMEM) {
			*ready = rpmsg_amp_tx_waiter_arm(&cdev->txw,
							 cdev->rpept);
			*canwait = rpmsg_amp_tx_waiter_armed(&cdev->txw);
		}
	}
	up_read(&cdev->sem);
	return ret;
}

/* A bus that cannot wake us: wait in its blocking send. */
static int rpmsg_amp_cdev_send(struct rpmsg_amp_cdev *cdev, void *kbuf,
			       size_t len)
{
	int ret = -ENODEV;

	down_read(&cdev->sem);
	if (!cdev->dead && cdev->rpept)
		ret = rpmsg_sendto(cdev->rpept, kbuf, len, cdev->addr);
	up_read(&cdev->sem);
	return ret;
}

static ssize_t rpmsg_amp_cdev_write(struct file *file, const char __user *buf,
				    size_t count, loff_t *ppos)
{
	struct rpmsg_amp_cdev *cdev = to_cdev(file);
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	bool ready, canwait;
	void *kbuf;
	int ret;

	if (count > cdev->mtu) {
		dev_err_ratelimited(cdev->misc.this_device,
				    "write of %zu bytes refused, at most %zu per message\n",
				    count, cdev->mtu);
		return -EMSGSIZE;
	}
	if (!count)
		return 0;
	kbuf = memdup_user(buf, count);
	if (IS_ERR(kbuf))
		return PTR_ERR(kbuf);
	add_wait_queue(&cdev->txq, &wait);
	for (;;) {
		ret = rpmsg_amp_cdev_trysend(cdev, kbuf, count, &ready,
					     &canwait);
		if ((ret != -ENOMEM && ret != -ENOTCONN) ||
		    READ_ONCE(cdev->lost))
			break;
		if (file->f_flags & O_NONBLOCK) {
			ret = -EAGAIN;
			break;
		}
		if (signal_pending(current)) {
			ret = -ERESTARTSYS;
			break;
		}
		/*
		 * A buffer was free when the send failed (another sender
		 * took it): look again at once.  Otherwise
		 * rpmsg_amp_rpmsg_tx_ready() armed the completion doorbell,
		 * and a returned buffer or a rebuilt link wakes us.
		 */
		if (ready) {
			cond_resched();
			continue;
		}
		if (!canwait) {
			ret = rpmsg_amp_cdev_send(cdev, kbuf, count);
			break;
		}
		wait_woken(&wait, TASK_INTERRUPTIBLE, MAX_SCHEDULE_TIMEOUT);
	}
	remove_wait_queue(&cdev->txq, &wait);
	kfree(kbuf);
	return ret ? ret : count;
}

static __poll_t rpmsg_amp_cdev_poll(struct file *file, poll_table *wait)
{
	struct rpmsg_amp_cdev *cdev = to_cdev(file);
	__poll_t mask = 0;

	poll_wait(file, &cdev->rxq, wait);
	poll_wait(file, &cdev->txq, wait);

	spin_lock_bh(&cdev->qlock);
	if (!list_empty(&cdev->queue))
		mask |= EPOLLIN | EPOLLRDNORM;
	spin_unlock_bh(&cdev->qlock);

	down_read(&cdev->sem);
	if (cdev->dead)
		mask |= EPOLLHUP | EPOLLERR;
	else if (READ_ONCE(cdev->lost))
		mask |= EPOLLERR;
	else if (cdev->rpept &&
		 rpmsg_amp_rpmsg_tx_ready(cdev->rpept, file, wait))
		mask |= EPOLLOUT | EPOLLWRNORM;
	up_read(&cdev->sem);
	return mask;
}

static const struct file_operations rpmsg_amp_cdev_fops = {
	.owner = THIS_MODULE,
	.open = rpmsg_amp_cdev_open,
	.release = rpmsg_amp_cdev_release_file,
	.read = rpmsg_amp_cdev_read,
	.write = rpmsg_amp_cdev_write,
	.poll = rpmsg_amp_cdev_poll,
};

/* messages dropped because the queue was full (or memory short) */
static ssize_t rx_dropped_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	struct miscdevice *misc = dev_get_drvdata(dev);
	struct rpmsg_amp_cdev *cdev = container_of(misc, struct rpmsg_amp_cdev,
						   misc);

	return sysfs_emit(buf, "%ld\n", atomic_long_read(&cdev->rx_dropped));
}
static DEVICE_ATTR_RO(rx_dropped);

/* messages waiting to be read */
static ssize_t rx_queued_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	struct miscdevice *misc = dev_get_drvdata(dev);
	struct rpmsg_amp_cdev *cdev = container_of(misc, struct rpmsg_amp_cdev,
						   misc);

	return sysfs_emit(buf, "%u\n", READ_ONCE(cdev->qlen));
}
static DEVICE_ATTR_RO(rx_queued);

static struct attribute *rpmsg_amp_cdev_attrs[] = {
	&dev_attr_rx_dropped.attr,
	&dev_attr_rx_queued.attr,
	NULL
};
ATTRIBUTE_GROUPS(rpmsg_amp_cdev);

static struct rpmsg_amp_cdev *rpmsg_amp_cdev_alloc(unsigned int index,
						   u32 addr)
{
	struct rpmsg_amp_cdev *cdev;

	cdev = kzalloc(sizeof(*cdev), GFP_KERNEL);
	if (!cdev)
		return NULL;
	kref_init(&cdev->ref);
	init_rwsem(&cdev->sem);
	spin_lock_init(&cdev->qlock);
	INIT_LIST_HEAD(&cdev->queue);
	INIT_LIST_HEAD(&cdev->node);
	init_waitqueue_head(&cdev->rxq);
	init_waitqueue_head(&cdev->txq);
	rpmsg_amp_tx_waiter_init(&cdev->txw, rpmsg_amp_cdev_tx_wake);
	atomic_long_set(&cdev->rx_dropped, 0);
	cdev->addr = addr;
	snprintf(cdev->name, sizeof(cdev->name), "rpmsg%u_%u", index, addr);
	return cdev;
}

/*
 * Close the endpoint, if there is one, and stop the wake-ups from its bus
 * (@dead: for good). Writers are woken to look again.
 */
static void rpmsg_amp_cdev_close(struct rpmsg_amp_cdev *cdev, bool dead)
{
	struct rpmsg_endpoint *rpept;

	down_write(&cdev->sem);
	rpept = cdev->rpept;
	cdev->rpept = NULL;
	if (dead)
		cdev->dead = true;
	if (dead)
		rpmsg_amp_tx_waiter_stop(&cdev->txw);
	up_write(&cdev->sem);
	if (rpept)
		rpmsg_destroy_ept(rpept);
	wake_up_interruptible_all(&cdev->txq);
}

static int rpmsg_amp_cdev_register(struct rpmsg_amp_cdev *cdev,
				   struct device *parent)
{
	int ret;

	cdev->misc.minor = MISC_DYNAMIC_MINOR;
	cdev->misc.name = cdev->name;
	cdev->misc.fops = &rpmsg_amp_cdev_fops;
	cdev->misc.parent = parent;
	cdev->misc.mode = 0600;
	cdev->misc.groups = rpmsg_amp_cdev_groups;
	ret = misc_register(&cdev->misc);
	if (ret) {
		dev_err(parent, "cannot register /dev/%s: %d\n", cdev->name,
			ret);
		rpmsg_amp_cdev_close(cdev, true);
		kfree(cdev);
		return ret;
	}
	/*
	 * misc_deregister() drops the class device, but files still open
	 * log through it (refused writes, overflow): keep it until the last
	 * reference to the cdev goes.
	 */
	get_device(cdev->misc.this_device);
	return 0;
}

static int rpmsg_amp_cdev_create(struct rpmsg_amp_channel *ch, u32 addr)
{
	struct rpmsg_amp_cdev *cdev;
	int ret;

	cdev = rpmsg_amp_cdev_alloc(rpmsg_amp_channel_index(ch), addr);
	if (!cdev)
		return -ENOMEM;
	cdev->ch = ch;
	/* before the other side first announced itself, as after it went */
	cdev->lost = !rpmsg_amp_channel_peer_up(ch);
	cdev->mtu = rpmsg_amp_channel_mtu(ch);
	ret = rpmsg_amp_cdev_register(cdev, rpmsg_amp_channel_dev(ch));
	if (ret)
		return ret;
	mutex_lock(&rpmsg_amp_cdevs_lock);
	list_add_tail(&cdev->node, &rpmsg_amp_cdevs);
	mutex_unlock(&rpmsg_amp_cdevs_lock);
	return 0;
}

static void rpmsg_amp_cdev_destroy(struct rpmsg_amp_cdev *cdev)
{
	misc_deregister(&cdev->misc);
	WRITE_ONCE(cdev->dead, true);
	rpmsg_amp_cdev_close(cdev, true);
	wake_up_interruptible_all(&cdev->rxq);
	kref_put(&cdev->ref, rpmsg_amp_cdev_release);
}

static void rpmsg_amp_char_remove(struct rpmsg_amp_channel *ch)
{
	struct rpmsg_amp_cdev *cdev, *tmp;

	mutex_lock(&rpmsg_amp_cdevs_lock);
	list_for_each_entry_safe(cdev, tmp, &rpmsg_amp_cdevs, node) {
		if (cdev->ch != ch)
			continue;
		list_del(&cdev->node);
		rpmsg_amp_cdev_destroy(cdev);
	}
	mutex_unlock(&rpmsg_amp_cdevs_lock);
}

static int rpmsg_amp_char_add(struct rpmsg_amp_channel *ch)
{
	const u32 *addrs;
	unsigned int n, i;
	int ret;

	n = rpmsg_amp_channel_epts(ch, "misc", &addrs);
	for (i = 0; i < n; i++) {
		ret = rpmsg_amp_cdev_create(ch, addrs[i]);
		if (ret) {
			rpmsg_amp_char_remove(ch);
			return ret;
		}
	}
	return 0;
}

static void rpmsg_amp_char_peer_changed(struct rpmsg_amp_channel *ch, bool up)
{
	struct rpmsg_amp_cdev *cdev;

	mutex_lock(&rpmsg_amp_cdevs_lock);
	list_for_each_entry(cdev, &rpmsg_amp_cdevs, node) {
		if (cdev->ch != ch)
			continue;
		WRITE_ONCE(cdev->lost, !up);
		/* the core logs "peer down" once per channel */
		if (!up)
			dev_dbg(cdev->misc.this_device,
				"the other side went away, writes fail until it is back\n");
		wake_up_interruptible_all(&cdev->txq);
		wake_up_interruptible_all(&cdev->rxq);
	}
	mutex_unlock(&rpmsg_amp_cdevs_lock);
}

static void rpmsg_amp_char_link_up(struct rpmsg_amp_channel *ch,
				   struct rpmsg_device *rpdev)
{
	struct rpmsg_channel_info chinfo = {
		.name = RPMSG_AMP_CHAR_SERVICE,
		.dst = RPMSG_ADDR_ANY,
	};
	struct rpmsg_endpoint *rpept;
	struct rpmsg_amp_cdev *cdev;

	mutex_lock(&rpmsg_amp_cdevs_lock);
	list_for_each_entry(cdev, &rpmsg_amp_cdevs, node) {
		if (cdev->ch != ch)
			continue;
		chinfo.src = cdev->addr;
		rpept = rpmsg_create_ept(rpdev, rpmsg_amp_cdev_rpmsg_rx, cdev,
					 chinfo);
		if (!rpept) {
			dev_err(cdev->misc.this_device, "no endpoint at %u on %s\n",
				cdev->addr, dev_name(&rpdev->dev));
			continue;
		}
		down_write(&cdev->sem);
		cdev->rpept = rpept;
		up_write(&cdev->sem);
		/* writers that waited for the link */
		wake_up_interruptible_all(&cdev->txq);
	}
	mutex_unlock(&rpmsg_amp_cdevs_lock);
}

static void rpmsg_amp_char_link_down(struct rpmsg_amp_channel *ch)
{
	struct rpmsg_amp_cdev *cdev;

	mutex_lock(&rpmsg_amp_cdevs_lock);
	list_for_each_entry(cdev, &rpmsg_amp_cdevs, node)
		if (cdev->ch == ch)
			rpmsg_amp_cdev_close(cdev, false);
	mutex_unlock(&rpmsg_amp_cdevs_lock);
}

static struct rpmsg_amp_client rpmsg_amp_char_client = {
	.name = "rpmsg_amp_char",
	.add = rpmsg_amp_char_add,
	.remove = rpmsg_amp_char_remove,
	.peer_changed = rpmsg_amp_char_peer_changed,
	.link_up = rpmsg_amp_char_link_up,
	.link_down = rpmsg_amp_char_link_down,
};

static int rpmsg_amp_char_probe(struct rpmsg_device *rpdev)
{
	struct rpmsg_channel_info chinfo = {
		.src = RPMSG_ADDR_ANY,
		.dst = rpdev->dst,
	};
	struct rpmsg_amp_cdev *cdev;
	ssize_t mtu;
	int index;

	index = rpmsg_amp_rpdev_index(rpdev);
	if (index < 0) {
		dev_err(&rpdev->dev, "%s at %u refused: not on a virtio rpmsg bus, no name for it\n",
			rpdev->id.name, rpdev->dst);
		return index;
	}
	if (rpdev->dst == RPMSG_ADDR_ANY) {
		dev_err(&rpdev->dev, "%s refused: announced without an address\n",
			rpdev->id.name);
		return -EINVAL;
	}
	cdev = rpmsg_amp_cdev_alloc(index, rpdev->dst);
	if (!cdev)
		return -ENOMEM;
	strscpy(chinfo.name, rpdev->id.name, sizeof(chinfo.name));
	cdev->rpept = rpmsg_create_ept(rpdev, rpmsg_amp_cdev_rpmsg_rx, cdev,
				       chinfo);
	if (!cdev->rpept) {
		dev_err(&rpdev->dev, "no endpoint for /dev/%s\n", cdev->name);
		kfree(cdev);
		return -ENOMEM;
	}
	mtu = rpmsg_amp_get_mtu(cdev->rpept);
	/*
	 * A bus that cannot tell (or a kernel before 5.14): every such bus
	 * that could carry this service is virtio_rpmsg_bus, 512-byte
	 * buffers with the header.
	 */
	cdev->mtu = mtu > 0 ? mtu : 512 - RPMSG_AMP_HDR_SIZE;
	dev_set_drvdata(&rpdev->dev, cdev);
	return rpmsg_amp_cdev_register(cdev, &rpdev->dev);
}

static void rpmsg_amp_char_unbind(struct rpmsg_device *rpdev)
{
	rpmsg_amp_cdev_destroy(dev_get_drvdata(&rpdev->dev));
}

static const struct rpmsg_device_id rpmsg_amp_char_ids[] = {
	{ .name = RPMSG_AMP_CHAR_SERVICE },
	{ },
};
MODULE_DEVICE_TABLE(rpmsg, rpmsg_amp_char_ids);

static struct rpmsg_driver rpmsg_amp_char_driver = {
	.drv.name = KBUILD_MODNAME,
	.id_table = rpmsg_amp_char_ids,
	.probe = rpmsg_amp_char_probe,
	.remove = rpmsg_amp_char_unbind,
};

static int __init rpmsg_amp_char_init(void)
{
	int ret;

	ret = rpmsg_amp_register_client(&rpmsg_amp_char_client);
	if (ret)
		return ret;
	ret = register_rpmsg_driver(&rpmsg_amp_char_driver);
	if (ret)
		rpmsg_amp_unregister_client(&rpmsg_amp_char_client);
	return ret;
}
module_init(rpmsg_amp_char_init);

static void __exit rpmsg_amp_char_exit(void)
{
	unregister_rpmsg_driver(&rpmsg_amp_char_driver);
	rpmsg_amp_unregister_client(&rpmsg_amp_char_client);
}
module_exit(rpmsg_amp_char_exit);

MODULE_DESCRIPTION("Char devices /dev/rpmsgN_M for rpmsg_amp endpoints");
MODULE_AUTHOR("rpmsg_amp developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(RPMSG_AMP_VERSION);

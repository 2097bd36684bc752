// SPDX-License-Identifier: GPL-2.0
/*
 * rpmsg_amp - the channel's rpmsg bus: a virtio device for the kernel's
 * virtio_rpmsg_bus, in both roles
 *
 * Both roles run the kernel's rpmsg core: the channel registers a virtio
 * device (VIRTIO_ID_RPMSG) whose two vrings are private, and its endpoints
 * (rpmsg_amp_bus_ept_open()) and every other rpmsg driver live on the bus
 * virtio_rpmsg_bus makes of it. What differs is what runs the other side
 * of the private vrings: in the master role the shadow rings of
 * rpmsg_amp_master.c, which publish the private rings' entries to the
 * shared ones and take back what the remote returns, checked; in the
 * remote role the device side of the master's shared rings
 * (rpmsg_amp_remote.c), which copies messages across.
 *
 * This file owns the virtio device (status, features, virtqueues), the
 * message buffer device virtio_rpmsg_bus allocates from, the device the
 * channel's endpoints hang off (the anchor), the endpoints' rpmsg side,
 * and the rpmsg driver that reports the other side's services. A
 * mailbox interrupt runs both vrings from the channel's rx work (the
 * rpmsg core takes mutexes in its receive path).
 *
 * virtio_rpmsg_bus never touches shared memory. Its message buffers are
 * private (dma_alloc_coherent() on a device of ours that stands for memory
 * only this CPU uses, see rpmsg_amp_msgdev_add()), and so are its vrings.
 */
#include <linux/bitmap.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/rpmsg.h>
#include <linux/rpmsg_amp_compat.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/virtio.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ids.h>
#include <linux/virtio_ring.h>

#include "rpmsg_amp_internal.h"

/* virtio_rpmsg_bus's name-service feature bit; its header is private. */
#define RPMSG_AMP_F_NS	0

static struct rpmsg_amp_vdev *to_avdev(struct virtio_device *vdev)
{
	return container_of(vdev, struct rpmsg_amp_vdev, vdev);
}

static void rpmsg_amp_vget(struct virtio_device *vdev, unsigned int offset,
			   void *buf, unsigned int len)
{
	/* virtio_rpmsg_bus has no config space */
	memset(buf, 0, len);
}

static void rpmsg_amp_vset(struct virtio_device *vdev, unsigned int offset,
			   const void *buf, unsigned int len)
{
}

static u8 rpmsg_amp_get_status(struct virtio_device *vdev)
{
	return to_avdev(vdev)->status;
}

/*
 * Stop running the vrings: after this no virtqueue callback runs until the
 * next DRIVER_OK.  From the rx work itself (a link teardown) there is
 * nothing to wait for.
 */
static void rpmsg_amp_vdev_quiesce(struct rpmsg_amp_vdev *avdev)
{
	spin_lock_bh(&avdev->state_lock);
	avdev->stopped = true;
	spin_unlock_bh(&avdev->state_lock);
	if (current_work() != &avdev->ch->rx_work)
		flush_work(&avdev->ch->rx_work);
}

/*
 * Master role with a resource table: the virtio status is the remote's to
 * read there. In the remote role the virtio device is our private bus's,
 * and the status byte of the table we published is the master's.
 */
static void rpmsg_amp_vdev_publish(struct rpmsg_amp_channel *ch, u8 status)
{
	if (ch->rsc_va && ch->role == RPMSG_AMP_ROLE_MASTER)
		rpmsg_amp_rsc_status(ch, status);
}

static void rpmsg_amp_set_status(struct virtio_device *vdev, u8 status)
{
	struct rpmsg_amp_vdev *avdev = to_avdev(vdev);
	bool start;

	spin_lock_bh(&avdev->state_lock);
	start = (status & VIRTIO_CONFIG_S_DRIVER_OK) &&
		!(avdev->status & VIRTIO_CONFIG_S_DRIVER_OK);
	avdev->status = status;
	rpmsg_amp_vdev_publish(avdev->ch, status);
	if (start) {
		avdev->stopped = false;
		/* virtio_rpmsg_bus posted all its receive buffers by now */
		if (avdev->vqs[0])
			avdev->rx_free_base = avdev->vqs[0]->num_free;
	}
	spin_unlock_bh(&avdev->state_lock);
	/* a doorbell may have arrived before we were ready */
	if (start)
		queue_work(avdev->ch->wq, &avdev->ch->rx_work);
}

static void rpmsg_amp_reset(struct virtio_device *vdev)
{
	struct rpmsg_amp_vdev *avdev = to_avdev(vdev);

	rpmsg_amp_vdev_quiesce(avdev);
	spin_lock_bh(&avdev->state_lock);
	avdev->status = 0;
	rpmsg_amp_vdev_publish(avdev->ch, 0);
	spin_unlock_bh(&avdev->state_lock);
}

static bool rpmsg_amp_vq_notify(struct virtqueue *vq)
{
	struct rpmsg_amp_vdev *avdev = to_avdev(vq->vdev);
	struct rpmsg_amp_channel *ch = avdev->ch;

	if (ch->role == RPMSG_AMP_ROLE_MASTER) {
		if (rpmsg_amp_master_publish(avdev, vq->index))
			rpmsg_amp_kick(ch);
		return true;
	}
	/*
	 * Remote role: a message to send goes to the master now, if it has
	 * a buffer (else when it posts one: its doorbell runs the rx work);
	 * receive buffers posted again let a starved rx work go on.
	 */
	if (vq->index == 0) {
		if (READ_ONCE(ch->rx_starved))
			queue_work(ch->wq, &ch->rx_work);
		return true;
	}
	spin_lock_bh(&avdev->state_lock);
	if (!avdev->stopped)
		rpmsg_amp_remote_to_master(ch, &avdev->svq[1].dev);
	spin_unlock_bh(&avdev->state_lock);
	return true;
}

static void rpmsg_amp_svq_free(struct rpmsg_amp_svq *q)
{
	if (q->mem)
		free_pages_exact(q->mem, q->size);
	q->mem = NULL;
	bitmap_free(q->posted);
	q->posted = NULL;
}

static int rpmsg_amp_svq_init(struct rpmsg_amp_vdev *avdev, int i)
{
	struct rpmsg_amp_channel *ch = avdev->ch;
	struct rpmsg_amp_svq *q = &avdev->svq[i];

	memset(q, 0, sizeof(*q));
	spin_lock_init(&q->lock);
	/* master: shadow of the shared ring of the same index */
	q->sh = &ch->ring[i];
	q->size = PAGE_ALIGN(ch->layout.vring_bytes);
	q->mem = alloc_pages_exact(q->size, GFP_KERNEL | __GFP_ZERO);
	/* master: the ids it made available on the shared ring */
	if (ch->role == RPMSG_AMP_ROLE_MASTER)
		q->posted = bitmap_zalloc(ch->layout.num, GFP_KERNEL);
	if (!q->mem || (ch->role == RPMSG_AMP_ROLE_MASTER && !q->posted)) {
		rpmsg_amp_svq_free(q);
		return -ENOMEM;
	}
	vring_init(&q->vr, ch->layout.num, q->mem, ch->layout.align);
	/* private: only CPUs of this kernel see it */
	rpmsg_amp_ring_init(&q->dev, &q->vr, true);
	return 0;
}

static void rpmsg_amp_del_vqs(struct virtio_device *vdev)
{
	struct rpmsg_amp_vdev *avdev = to_avdev(vdev);
	struct rpmsg_amp_channel *ch = avdev->ch;
	struct virtqueue *vqs[2];
	int i;

	rpmsg_amp_vdev_quiesce(avdev);
	spin_lock_bh(&avdev->state_lock);
	memcpy(vqs, avdev->vqs, sizeof(vqs));
	memset(avdev->vqs, 0, sizeof(avdev->vqs));
	spin_unlock_bh(&avdev->state_lock);

	for (i = 0; i < 2; i++) {
		if (vqs[i])
			vring_del_virtqueue(vqs[i]);
		rpmsg_amp_svq_free(&avdev->svq[i]);
	}
	/* the shared rings are the master's */
	if (ch->role != RPMSG_AMP_ROLE_MASTER)
		return;
	/* zeroed rings tell the other side that we are gone */
	memset(ch->vring_va, 0, ch->layout.vring_region_need);
	rpmsg_amp_ring_wmb(&ch->ring[0]); /* rings cleared before the doorbell */
	rpmsg_amp_kick(ch);
}

static int rpmsg_amp_find_vqs(struct virtio_device *vdev, unsigned int nvqs,
			      struct virtqueue *vqs[],
			      const struct rpmsg_amp_vq_info *info)
{
	struct rpmsg_amp_vdev *avdev = to_avdev(vdev);
	struct rpmsg_amp_channel *ch = avdev->ch;
	unsigned int i;
	int ret;

	if (nvqs != 2) {
		dev_err(ch->dev, "virtio: %u virtqueues requested, rpmsg uses 2\n",
			nvqs);
		return -EINVAL;
	}
	/*
	 * Master: stale indices from an earlier session would be taken as
	 * work. The remote role leaves the shared rings to the master.
	 */
	if (ch->role == RPMSG_AMP_ROLE_MASTER) {
		memset(ch->vring_va, 0, ch->layout.vring_region_need);
		/* rings cleared before we publish into them */
		rpmsg_amp_ring_wmb(&ch->ring[0]);
		/* where the remote has a table: it still says these rings */
		if (ch->rsc_va) {
			ret = rpmsg_amp_rsc_sync(ch, vdev->features);
			if (ret)
				return ret;
		}
	}

	for (i = 0; i < nvqs; i++) {
		ret = rpmsg_amp_svq_init(avdev, i);
		if (!ret) {
			vqs[i] = vring_new_virtqueue(i, ch->layout.num,
						     ch->layout.align, vdev,
						     false,
						     info[i].ctx,
						     avdev->svq[i].mem,
						     rpmsg_amp_vq_notify,
						     info[i].callback, info[i].name);
			if (!vqs[i])
				ret = -ENOMEM;
		}
		if (ret) {
			dev_err(ch->dev, "virtio: cannot create vring %u\n", i);
			rpmsg_amp_svq_free(&avdev->svq[i]);
			while (i--) {
				vring_del_virtqueue(vqs[i]);
				rpmsg_amp_svq_free(&avdev->svq[i]);
			}
			return ret;
		}
	}
	spin_lock_bh(&avdev->state_lock);
	avdev->vqs[0] = vqs[0];
	avdev->vqs[1] = vqs[1];
	avdev->broken = false;
	avdev->seen.n = 0;
	spin_unlock_bh(&avdev->state_lock);
	if (ch->role != RPMSG_AMP_ROLE_MASTER)
		rpmsg_amp_remote_attach(ch);
	return 0;
}

RPMSG_AMP_FIND_VQS_OP(rpmsg_amp_find_vqs_op, rpmsg_amp_find_vqs)

static u64 rpmsg_amp_get_features(struct virtio_device *vdev)
{
	return BIT_ULL(RPMSG_AMP_F_NS) | BIT_ULL(VIRTIO_F_VERSION_1);
}

static int rpmsg_amp_finalize_features(struct virtio_device *vdev)
{
	vring_transport_features(vdev);
	return 0;
}

static const char *rpmsg_amp_bus_name(struct virtio_device *vdev)
{
	return dev_name(to_avdev(vdev)->ch->dev);
}

static const struct virtio_config_ops rpmsg_amp_config_ops = {
	.get = rpmsg_amp_vget,
	.set = rpmsg_amp_vset,
	.get_status = rpmsg_amp_get_status,
	.set_status = rpmsg_amp_set_status,
	.reset = rpmsg_amp_reset,
	.find_vqs = rpmsg_amp_find_vqs_op,
	.del_vqs = rpmsg_amp_del_vqs,
	.get_features = rpmsg_amp_get_features,
	.finalize_features = rpmsg_amp_finalize_features,
	.bus_name = rpmsg_amp_bus_name,
};

static void rpmsg_amp_vdev_release(struct device *dev)
{
	struct virtio_device *vdev = dev_to_virtio(dev);

	kfree(to_avdev(vdev));
}

/**
 * rpmsg_amp_bus_channel() - the channel whose rpmsg bus @rpdev is on
 * @rpdev: a device on some rpmsg bus
 *
 * Only our virtio devices have our release function.
 *
 * Return: the channel, or NULL if the bus is someone else's.
 */
struct rpmsg_amp_channel *rpmsg_amp_bus_channel(struct rpmsg_device *rpdev)
{
	struct device *parent = rpdev->dev.parent;

	if (!parent || parent->release != rpmsg_amp_vdev_release)
		return NULL;
	return to_avdev(dev_to_virtio(parent))->ch;
}

/*
 * Remote role: copy messages across between the master's rings and the
 * private ones, and run the private ones. The master's doorbell may say
 * that it took messages (its receive buffers are free again), or sent some.
 */
static void rpmsg_amp_bridge_rx(struct rpmsg_amp_vdev *avdev,
				struct virtqueue *rxq, struct virtqueue *txq)
{
	struct rpmsg_amp_channel *ch = avdev->ch;
	unsigned int sent = 0, n;
	int rounds;

	spin_lock_bh(&avdev->state_lock);
	if (!avdev->stopped)
		sent = rpmsg_amp_remote_to_master(ch, &avdev->svq[1].dev);
	spin_unlock_bh(&avdev->state_lock);
	/* senders waiting for a transmit buffer */
	if (sent)
		vring_interrupt(0, txq);
	/*
	 * virtio_rpmsg_bus posts each receive buffer again from its
	 * callback: a few rounds empty the master's ring; if not, run again
	 * rather than hold the work queue.
	 */
	for (rounds = 0; rounds < 4; rounds++) {
		n = rpmsg_amp_remote_to_local(ch, &avdev->svq[0].dev,
					      &avdev->seen);
		if (!n)
			break;
		vring_interrupt(0, rxq);
	}
	if (rounds == 4)
		queue_work(ch->wq, &ch->rx_work);
	/* writers waiting for a transmit buffer look again */
	wake_up(&ch->tx_wq);
}

/**
 * rpmsg_amp_bus_rx() - a doorbell arrived: run both vrings
 * @ch: channel; called from its rx work only
 */
void rpmsg_amp_bus_rx(struct rpmsg_amp_channel *ch)
{
	struct rpmsg_amp_vdev *avdev = READ_ONCE(ch->avdev);
	struct virtqueue *rxq, *txq;
	unsigned int lost = 0;

	if (!avdev)
		return;
	spin_lock_bh(&avdev->state_lock);
	rxq = avdev->stopped ? NULL : avdev->vqs[0];
	txq = avdev->vqs[1];
	spin_unlock_bh(&avdev->state_lock);
	if (!rxq)
		return;
	if (ch->role != RPMSG_AMP_ROLE_MASTER) {
		rpmsg_amp_bridge_rx(avdev, rxq, txq);
		return;
	}
	/*
	 * No lock across the callbacks: whoever stops the vrings waits for
	 * this work first (rpmsg_amp_vdev_quiesce()).  Transmit completions
	 * first: receiving may take a while.
	 */
	if (rpmsg_amp_master_harvest(avdev, 1))
		vring_interrupt(0, txq);
	if (rpmsg_amp_master_harvest(avdev, 0))
		vring_interrupt(0, rxq);
	/*
	 * virtio_rpmsg_bus keeps a receive buffer it refuses. It reads only
	 * checked copies, so this would be a hole in rpmsg_amp_rx_check():
	 * rebuild rather than let the ring starve.
	 */
	if (rxq->num_free > avdev->rx_free_base)
		lost = rxq->num_free - avdev->rx_free_base;
	if (lost && !READ_ONCE(avdev->broken)) {
		WRITE_ONCE(avdev->broken, true);
		atomic64_inc(&ch->stats.rejects);
		dev_err(ch->dev, "link broken: %u receive buffers refused by virtio_rpmsg_bus; restarting it\n",
			lost);
		rpmsg_amp_link_broken(ch);
	}
}

static int rpmsg_amp_find_anchor(struct device *dev, void *data)
{
	struct rpmsg_device **anchor = data;
	struct rpmsg_device *rpdev;

	if (!dev->bus || strcmp(dev->bus->name, "rpmsg"))
		return 0;
	rpdev = container_of(dev, struct rpmsg_device, dev);
	/*
	 * Endpoints of user interfaces hang off the bus's control device,
	 * as the kernel's rpmsg_char does; it lives as long as the vdev.
	 */
	if (!strcmp(rpdev->id.name, "rpmsg_ctrl") || !*anchor)
		*anchor = rpdev;
	return 0;
}

/* Register a virtio device for virtio_rpmsg_bus; returns it referenced. */
static struct rpmsg_amp_vdev *rpmsg_amp_vdev_register(struct rpmsg_amp_channel *ch)
{
	struct rpmsg_amp_vdev *avdev;
	int ret;

	avdev = kzalloc(sizeof(*avdev), GFP_KERNEL);
	if (!avdev)
		return ERR_PTR(-ENOMEM);
	avdev->ch = ch;
	avdev->stopped = true;
	spin_lock_init(&avdev->state_lock);
	avdev->vdev.id.device = VIRTIO_ID_RPMSG;
	avdev->vdev.config = &rpmsg_amp_config_ops;
	avdev->vdev.dev.parent = ch->msgdev;
	avdev->vdev.dev.release = rpmsg_amp_vdev_release;

	ret = register_virtio_device(&avdev->vdev);
	if (ret) {
		dev_err(ch->dev, "cannot register virtio device: %d\n", ret);
		put_device(&avdev->vdev.dev);
		return ERR_PTR(ret);
	}
	/* held until rpmsg_amp_bus_put(), after the last rx work */
	get_device(&avdev->vdev.dev);
	if (!avdev->vdev.dev.driver) {
		dev_err(ch->dev, "virtio_rpmsg_bus did not bind to %s: is CONFIG_RPMSG_VIRTIO enabled and virtio_rpmsg_bus loaded?\n",
			dev_name(&avdev->vdev.dev));
		unregister_virtio_device(&avdev->vdev);
		put_device(&avdev->vdev.dev);
		return ERR_PTR(-ENODEV);
	}
	return avdev;
}

/*
 * Make a registered virtio device the channel's; caller holds link_sem for
 * writing, and hands the anchor to the clients (rpmsg_amp_bus_link()).
 *
 * virtio_rpmsg_bus brought the link up inside the registration, and the
 * other side may have answered before it returned: its doorbell found no
 * device, so the rx work looks again now; its announcements made rpmsg
 * devices that the search for an anchor finds, and the ones after it find
 * the anchor pending (rpmsg_amp_bus_adopt() takes link_sem too).
 */
static void rpmsg_amp_bus_attach(struct rpmsg_amp_channel *ch,
				 struct rpmsg_amp_vdev *avdev)
{
	struct rpmsg_device *anchor = NULL;

	WRITE_ONCE(ch->avdev, avdev);
	queue_work(ch->wq, &ch->rx_work);
	device_for_each_child(&avdev->vdev.dev, &anchor,
			      rpmsg_amp_find_anchor);
	if (anchor) {
		get_device(&anchor->dev);
		ch->anchor = anchor;
		ch->anchor_pending = false;
		return;
	}
	/*
	 * virtio_rpmsg_bus makes rpmsg devices of its own only from 5.11 on
	 * (rpmsg_ns, later rpmsg_ctrl); before, the only ones are the
	 * channels the other side announces.  The clients get the first of
	 * them (rpmsg_amp_bus_adopt()).
	 */
	if (!ch->anchor_pending)
		dev_info(ch->dev, "%s has no control device: endpoints open when the other side announces a service\n",
			 dev_name(&avdev->vdev.dev));
	ch->anchor_pending = true;
}

/* Hand the anchor to the clients; caller holds link_sem for writing. */
static void rpmsg_amp_bus_link(struct rpmsg_amp_channel *ch)
{
	if (ch->anchor)
		ch->up->link_up(ch, ch->anchor);
	/* writers that found no endpoint look again */
	wake_up(&ch->tx_wq);
}

static void rpmsg_amp_msgdev_release(struct device *dev)
{
	kfree(dev);
}

/*
 * virtio_rpmsg_bus takes its message buffers with dma_alloc_coherent() on
 * the virtio device's parent. That parent is this device: it stands for
 * memory only the CPUs use (no DMA master ever sees the buffers; the other
 * core reads and writes the slots in the carveout), so it is coherent and
 * its buffers are ordinary linear-mapped memory, which the shadow rings
 * find again from the addresses in their descriptors.
 */
static int rpmsg_amp_msgdev_add(struct rpmsg_amp_channel *ch)
{
	struct device *dev;
	int ret;

	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return -ENOMEM;
	device_initialize(dev);
	dev->parent = ch->dev;
	dev->release = rpmsg_amp_msgdev_release;
	rpmsg_amp_dev_set_dma_coherent(dev);
	ret = dma_coerce_mask_and_coherent(dev, DMA_BIT_MASK(64));
	if (!ret)
		ret = dev_set_name(dev, "%s.msgbufs", dev_name(ch->dev));
	if (!ret)
		ret = device_add(dev);
	if (ret) {
		dev_err(ch->dev, "cannot add the message buffer device: %d\n",
			ret);
		put_device(dev);
		return ret;
	}
	ch->msgdev = dev;
	return 0;
}

/**
 * rpmsg_amp_bus_free() - remove the message buffer device
 * @ch: channel whose virtio device is unregistered
 *
 * The virtio device keeps its parent until its last reference is gone.
 */
void rpmsg_amp_bus_free(struct rpmsg_amp_channel *ch)
{
	if (ch->msgdev)
		device_unregister(ch->msgdev);
	ch->msgdev = NULL;
}

/**
 * rpmsg_amp_bus_init() - prepare the channel's rpmsg bus
 * @ch: channel, its mailbox not yet requested
 *
 * Adds the device virtio_rpmsg_bus takes its buffers from: it must exist
 * before the first doorbell, which in the remote role may bring the bus
 * up (rpmsg_amp_bus_up()) at once. Until the bus is up, endpoints wait.
 *
 * Return: 0 or a negative errno.
 */
int rpmsg_amp_bus_init(struct rpmsg_amp_channel *ch)
{
	return rpmsg_amp_msgdev_add(ch);
}

/**
 * rpmsg_amp_bus_start() - master role: register the virtio device
 * @ch: channel, its mailbox requested
 *
 * Return: 0 or a negative errno.
 */
int rpmsg_amp_bus_start(struct rpmsg_amp_channel *ch)
{
	struct rpmsg_amp_vdev *avdev;

	avdev = rpmsg_amp_vdev_register(ch);
	if (IS_ERR(avdev))
		return PTR_ERR(avdev);
	down_write(&ch->link_sem);
	rpmsg_amp_bus_attach(ch, avdev);
	rpmsg_amp_bus_link(ch);
	up_write(&ch->link_sem);
	return 0;
}

/*
 * rpmsg_amp_bus_adopt() - take an announced channel as the anchor
 * @ch: channel
 * @rpdev: rpmsg device of a service the other side announced on our bus
 *
 * Called from the peer work when virtio_rpmsg_bus has no device of its
 * own to hang endpoints off: any rpmsg device of the bus serves (the
 * endpoints belong to the bus, the device is only the way in), and the
 * reference taken here keeps it valid after the service is withdrawn.
 * The clients open their endpoints on it.
 */
static void rpmsg_amp_bus_adopt(struct rpmsg_amp_channel *ch,
				struct rpmsg_device *rpdev)
{
	down_write(&ch->link_sem);
	if (ch->anchor_pending && !ch->anchor && ch->avdev &&
	    rpdev->dev.parent == &ch->avdev->vdev.dev) {
		get_device(&rpdev->dev);
		ch->anchor = rpdev;
		ch->anchor_pending = false;
		dev_info(ch->dev, "endpoints hang off %s\n",
			 dev_name(&rpdev->dev));
		rpmsg_amp_bus_link(ch);
	}
	up_write(&ch->link_sem);
}

/* Clients first, then the anchor; caller holds link_sem for writing. */
static void rpmsg_amp_bus_unlink(struct rpmsg_amp_channel *ch)
{
	if (ch->anchor) {
		ch->up->link_down(ch);
		put_device(&ch->anchor->dev);
		ch->anchor = NULL;
	}
	ch->anchor_pending = false;
}

/*
 * The virtio device is gone: its status reads 0 in the remote's resource
 * table (the virtio core acknowledges a device again after its driver
 * left, which is nothing the remote should see).
 */
static void rpmsg_amp_bus_gone(struct rpmsg_amp_channel *ch)
{
	rpmsg_amp_vdev_publish(ch, 0);
}

/**
 * rpmsg_amp_bus_stop() - unregister the virtio device
 * @ch: channel
 *
 * The clients close their endpoints first. The mailbox may still deliver
 * doorbells until it is freed; the stopped flag makes them harmless.
 */
void rpmsg_amp_bus_stop(struct rpmsg_amp_channel *ch)
{
	down_write(&ch->link_sem);
	rpmsg_amp_bus_unlink(ch);
	up_write(&ch->link_sem);
	if (ch->avdev)
		unregister_virtio_device(&ch->avdev->vdev);
	rpmsg_amp_bus_gone(ch);
}

/**
 * rpmsg_amp_bus_put() - drop the last reference to the virtio device
 * @ch: channel; its rx work is no longer queued or running
 */
void rpmsg_amp_bus_put(struct rpmsg_amp_channel *ch)
{
	struct rpmsg_amp_vdev *avdev = ch->avdev;

	if (!avdev)
		return;
	WRITE_ONCE(ch->avdev, NULL);
	put_device(&avdev->vdev.dev);
}

/**
 * rpmsg_amp_bus_tx_ready() - has virtio_rpmsg_bus a free transmit buffer?
 * @ch: channel
 *
 * virtio_rpmsg_bus in 6.1 has no poll operation, so the transport answers
 * from the transmit vring itself: it owns min(num, 256) transmit buffers
 * and the ones in flight are those posted and not returned. When none is
 * free, a buffer returned after this look comes with a doorbell (master:
 * with half of them out the shared transmit ring asks for completions,
 * see rpmsg_amp_master_publish(); remote: a message waiting for a buffer
 * of the master's asks it to ring when it posts one), which wakes the
 * channel's writers. Does not sleep.
 *
 * Return: true if a send would find a buffer.
 */
bool rpmsg_amp_bus_tx_ready(struct rpmsg_amp_channel *ch)
{
	unsigned int bufs = min_t(unsigned int, ch->layout.num, 256);
	struct rpmsg_amp_vdev *avdev;
	bool ready = false;

	if (!down_read_trylock(&ch->link_sem))
		return false;
	avdev = ch->avdev;
	if (!avdev || !avdev->vqs[1])
		goto out;
	if (ch->role != RPMSG_AMP_ROLE_MASTER) {
		ready = rpmsg_amp_remote_tx_inflight(&avdev->svq[1].dev) < bufs;
		goto out;
	}
	if (rpmsg_amp_master_harvest(avdev, 1))
		ready = READ_ONCE(avdev->svq[1].outstanding) < bufs;
out:
	up_read(&ch->link_sem);
	return ready;
}

/**
 * rpmsg_amp_bus_down() - take the rpmsg bus away
 * @ch: channel; called from its rx work
 *
 * The clients close their endpoints first; then every rpmsg device of the
 * bus goes, and with them the other side's services. The master's rings
 * are zeroed on the way (see rpmsg_amp_del_vqs()).
 */
void rpmsg_amp_bus_down(struct rpmsg_amp_channel *ch)
{
	down_write(&ch->link_sem);
	rpmsg_amp_bus_unlink(ch);
	if (ch->avdev)
		unregister_virtio_device(&ch->avdev->vdev);
	rpmsg_amp_bus_gone(ch);
	rpmsg_amp_bus_put(ch);
	up_write(&ch->link_sem);
}

/**
 * rpmsg_amp_bus_up() - bring the rpmsg bus (back) up
 * @ch: channel; called from its rx work, the bus down
 *
 * Return: 0 or a negative errno (the caller tries again later).
 */
int rpmsg_amp_bus_up(struct rpmsg_amp_channel *ch)
{
	struct rpmsg_amp_vdev *avdev;

	avdev = rpmsg_amp_vdev_register(ch);
	if (IS_ERR(avdev))
		return PTR_ERR(avdev);
	down_write(&ch->link_sem);
	rpmsg_amp_bus_attach(ch, avdev);
	rpmsg_amp_bus_link(ch);
	up_write(&ch->link_sem);
	return 0;
}

/*
 * The other side announced or withdrew its channel service: it came or
 * went. The rpmsg
 * core probes and removes the rpmsg devices of announced services from its
 * receive path, holding the name-service endpoint's cb_lock; acting there
 * (taking rpmsg_amp_mutex, closing endpoints) would order those locks
 * against our own paths, so the events are queued to ch->peer_work and
 * handled there in order.
 */
struct rpmsg_amp_peer_ev {
	struct list_head node;
	struct rpmsg_amp_channel *ch;
	struct rpmsg_device *rpdev;	/* referenced; announcements only */
	bool up;
};

static void rpmsg_amp_peer_queue(struct rpmsg_amp_peer_ev *ev)
{
	struct rpmsg_amp_channel *ch = ev->ch;

	spin_lock(&ch->peer_ev_lock);
	list_add_tail(&ev->node, &ch->peer_evs);
	spin_unlock(&ch->peer_ev_lock);
	queue_work(ch->wq, &ch->peer_work);
}

/**
 * rpmsg_amp_peer_work() - handle the queued service events of a channel
 * @work: the channel's peer_work
 */
void rpmsg_amp_peer_work(struct work_struct *work)
{
	struct rpmsg_amp_channel *ch = container_of(work,
						    struct rpmsg_amp_channel,
						    peer_work);
	struct rpmsg_amp_peer_ev *ev;

	for (;;) {
		spin_lock(&ch->peer_ev_lock);
		ev = list_first_entry_or_null(&ch->peer_evs,
					      struct rpmsg_amp_peer_ev, node);
		if (ev)
			list_del(&ev->node);
		spin_unlock(&ch->peer_ev_lock);
		if (!ev)
			return;
		if (ev->rpdev) {
			if (ev->up)
				rpmsg_amp_bus_adopt(ch, ev->rpdev);
			put_device(&ev->rpdev->dev);
		}
		/* RPMSG_AMP_CHANNEL_SERVICE: the peer is there */
		ch->up->peer_set(ch, ev->up);
		kfree(ev);
	}
}

/*
 * Both events are allocated here, so that the withdrawal cannot fail for
 * want of memory; it waits in the rpmsg device's driver data.
 *
 * No .callback in the driver: the rpmsg core then creates no endpoint for
 * these devices (the other side's services are reached through the
 * endpoints our clients create).
 */
static int rpmsg_amp_peer_probe(struct rpmsg_device *rpdev)
{
	struct rpmsg_amp_channel *ch = rpmsg_amp_bus_channel(rpdev);
	struct rpmsg_amp_peer_ev *up, *down;

	/* the same service name on someone else's rpmsg bus */
	if (!ch)
		return -ENODEV;

	up = kzalloc(sizeof(*up), GFP_KERNEL);
	down = kzalloc(sizeof(*down), GFP_KERNEL);
	if (!up || !down) {
		kfree(up);
		kfree(down);
		return -ENOMEM;
	}
	up->ch = ch;
	*down = *up;
	up->up = true;
	get_device(&rpdev->dev);
	up->rpdev = rpdev;
	dev_set_drvdata(&rpdev->dev, down);
	rpmsg_amp_peer_queue(up);
	return 0;
}

static void rpmsg_amp_peer_remove(struct rpmsg_device *rpdev)
{
	rpmsg_amp_peer_queue(dev_get_drvdata(&rpdev->dev));
}

static const struct rpmsg_device_id rpmsg_amp_peer_ids[] = {
	{ .name = RPMSG_AMP_CHANNEL_SERVICE },
	{ },
};
MODULE_DEVICE_TABLE(rpmsg, rpmsg_amp_peer_ids);

static struct rpmsg_driver rpmsg_amp_peer_driver = {
	.drv.name = "rpmsg_amp_peer",
	.id_table = rpmsg_amp_peer_ids,
	.probe = rpmsg_amp_peer_probe,
	.remove = rpmsg_amp_peer_remove,
};

int rpmsg_amp_bus_register(void)
{
	return register_rpmsg_driver(&rpmsg_amp_peer_driver);
}

void rpmsg_amp_bus_unregister(void)
{
	unregister_rpmsg_driver(&rpmsg_amp_peer_driver);
}

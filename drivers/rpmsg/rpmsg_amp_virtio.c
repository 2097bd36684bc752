// SPDX-License-Identifier: GPL-2.0
/*
 * rpmsg_amp - master role: a virtio device for the kernel's virtio_rpmsg_bus
 *
 * The vrings sit at fixed offsets in the vring carveout so that the other
 * core finds them without any negotiation; virtio_rpmsg_bus allocates its
 * message buffers with dma_alloc_coherent() from the buffer carveout, which
 * probe attached to the platform device as a shared-dma-pool. Notifying a
 * virtqueue rings the mailbox; a mailbox interrupt runs both vrings from a
 * work item (the rpmsg core takes mutexes in its receive path).
 */
#include <linux/device.h>
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

struct rpmsg_amp_vdev {
	struct virtio_device vdev;
	struct rpmsg_amp_channel *ch;
	struct mutex vq_lock;	/* vqs, stopped */
	struct virtqueue *vqs[2];
	bool stopped;
	u8 status;
};

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

static void rpmsg_amp_set_status(struct virtio_device *vdev, u8 status)
{
	struct rpmsg_amp_vdev *avdev = to_avdev(vdev);
	bool start;

	mutex_lock(&avdev->vq_lock);
	start = (status & VIRTIO_CONFIG_S_DRIVER_OK) &&
		!(avdev->status & VIRTIO_CONFIG_S_DRIVER_OK);
	avdev->status = status;
	if (start)
		avdev->stopped = false;
	mutex_unlock(&avdev->vq_lock);
	/* a doorbell may have arrived before we were ready */
	if (start)
		queue_work(system_highpri_wq, &avdev->ch->rx_work);
}

static void rpmsg_amp_reset(struct virtio_device *vdev)
{
	struct rpmsg_amp_vdev *avdev = to_avdev(vdev);

	mutex_lock(&avdev->vq_lock);
	avdev->stopped = true;
	avdev->status = 0;
	mutex_unlock(&avdev->vq_lock);
}

static bool rpmsg_amp_vq_notify(struct virtqueue *vq)
{
	struct rpmsg_amp_vdev *avdev = to_avdev(vq->vdev);

	rpmsg_amp_kick(avdev->ch);
	return true;
}

static void rpmsg_amp_del_vqs(struct virtio_device *vdev)
{
	struct rpmsg_amp_vdev *avdev = to_avdev(vdev);
	struct rpmsg_amp_channel *ch = avdev->ch;
	struct virtqueue *vqs[2];
	int i;

	mutex_lock(&avdev->vq_lock);
	avdev->stopped = true;
	memcpy(vqs, avdev->vqs, sizeof(vqs));
	memset(avdev->vqs, 0, sizeof(avdev->vqs));
	mutex_unlock(&avdev->vq_lock);

	for (i = 0; i < 2; i++)
		if (vqs[i])
			vring_del_virtqueue(vqs[i]);
	/* zeroed rings tell the other side that we are gone */
	memset(ch->vring_va, 0, ch->layout.vring_region_need);
	wmb(); /* rings cleared before the doorbell */
	rpmsg_amp_kick(ch);
}

int rpmsg_amp_virtio_find_vqs(struct virtio_device *vdev, unsigned int nvqs,
			      struct virtqueue *vqs[],
			      const struct rpmsg_amp_vq_info *info)
{
	struct rpmsg_amp_vdev *avdev = to_avdev(vdev);
	struct rpmsg_amp_channel *ch = avdev->ch;
	unsigned int i;

	if (nvqs != 2) {
		dev_err(ch->dev, "virtio: %u virtqueues requested, rpmsg uses 2\n",
			nvqs);
		return -EINVAL;
	}
	/* stale indices from an earlier session would be taken as work */
	memset(ch->vring_va, 0, ch->layout.vring_region_need);
	wmb(); /* rings cleared before virtio_ring fills them */

	for (i = 0; i < nvqs; i++) {
		vqs[i] = vring_new_virtqueue(i, ch->layout.num,
					     ch->layout.align, vdev, false,
					     info[i].ctx,
					     ch->vring_va +
					     ch->layout.vring_off[i],
					     rpmsg_amp_vq_notify,
					     info[i].callback, info[i].name);
		if (!vqs[i]) {
			dev_err(ch->dev, "virtio: cannot create vring %u\n", i);
			while (i--)
				vring_del_virtqueue(vqs[i]);
			return -ENOMEM;
		}
	}
	mutex_lock(&avdev->vq_lock);
	avdev->vqs[0] = vqs[0];
	avdev->vqs[1] = vqs[1];
	mutex_unlock(&avdev->vq_lock);
	return 0;
}

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
 * rpmsg_amp_master_rx() - a doorbell arrived: run both vrings
 * @ch: channel
 */
void rpmsg_amp_master_rx(struct rpmsg_amp_channel *ch)
{
	struct rpmsg_amp_vdev *avdev = ch->avdev;

	if (!avdev)
		return;
	mutex_lock(&avdev->vq_lock);
	if (!avdev->stopped && avdev->vqs[0]) {
		/* transmit completions first: receiving may block a while */
		vring_interrupt(0, avdev->vqs[1]);
		vring_interrupt(0, avdev->vqs[0]);
	}
	mutex_unlock(&avdev->vq_lock);
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

/**
 * rpmsg_amp_master_start() - register the virtio device
 * @ch: channel
 *
 * Return: 0 or a negative errno.
 */
int rpmsg_amp_master_start(struct rpmsg_amp_channel *ch)
{
	struct rpmsg_amp_vdev *avdev;
	struct rpmsg_device *anchor = NULL;
	int ret;

	avdev = kzalloc(sizeof(*avdev), GFP_KERNEL);
	if (!avdev)
		return -ENOMEM;
	avdev->ch = ch;
	avdev->stopped = true;
	mutex_init(&avdev->vq_lock);
	avdev->vdev.id.device = VIRTIO_ID_RPMSG;
	avdev->vdev.config = &rpmsg_amp_config_ops;
	avdev->vdev.dev.parent = ch->dev;
	avdev->vdev.dev.release = rpmsg_amp_vdev_release;

	ret = register_virtio_device(&avdev->vdev);
	if (ret) {
		dev_err(ch->dev, "cannot register virtio device: %d\n", ret);
		put_device(&avdev->vdev.dev);
		return ret;
	}
	/* held until rpmsg_amp_master_stop(), after the last rx work */
	get_device(&avdev->vdev.dev);
	ch->avdev = avdev;

	device_for_each_child(&avdev->vdev.dev, &anchor,
			      rpmsg_amp_find_anchor);
	if (!anchor) {
		dev_err(ch->dev, "virtio_rpmsg_bus did not bind to %s: is CONFIG_RPMSG_VIRTIO enabled and virtio_rpmsg_bus loaded?\n",
			dev_name(&avdev->vdev.dev));
		rpmsg_amp_master_stop(ch);
		return -ENODEV;
	}
	get_device(&anchor->dev);
	ch->anchor = anchor;
	return 0;
}

/**
 * rpmsg_amp_master_stop() - unregister the virtio device
 * @ch: channel
 *
 * Called after every endpoint is closed. The mailbox may still deliver
 * doorbells until it is freed; the stopped flag makes them harmless.
 */
void rpmsg_amp_master_stop(struct rpmsg_amp_channel *ch)
{
	struct rpmsg_amp_vdev *avdev = ch->avdev;

	if (!avdev)
		return;
	if (ch->anchor) {
		put_device(&ch->anchor->dev);
		ch->anchor = NULL;
	}
	unregister_virtio_device(&avdev->vdev);
}

/**
 * rpmsg_amp_master_put() - drop the last reference to the virtio device
 * @ch: channel; its rx work is no longer queued or running
 */
void rpmsg_amp_master_put(struct rpmsg_amp_channel *ch)
{
	struct rpmsg_amp_vdev *avdev = ch->avdev;

	if (!avdev)
		return;
	ch->avdev = NULL;
	put_device(&avdev->vdev.dev);
}

static int rpmsg_amp_ept_cb(struct rpmsg_device *rpdev, void *data, int len,
			    void *priv, u32 src)
{
	rpmsg_amp_deliver(priv, data, len, src);
	return 0;
}

/**
 * rpmsg_amp_master_tx_ready() - has virtio_rpmsg_bus a free transmit buffer?
 * @ch: channel
 *
 * virtio_rpmsg_bus in 6.1 has no poll operation, so the transport answers
 * from the transmit vring itself: it owns min(num, 256) transmit buffers
 * and the ones in flight are avail->idx - used->idx. When none is free we
 * ask the other side for a doorbell on completion by clearing
 * VRING_AVAIL_F_NO_INTERRUPT (virtio_rpmsg_bus keeps completions
 * suppressed unless it sleeps itself), then look again so that a buffer
 * returned meanwhile is not missed.
 *
 * Return: true if a send would find a buffer.
 */
bool rpmsg_amp_master_tx_ready(struct rpmsg_amp_channel *ch)
{
	struct rpmsg_amp_ring *r = &ch->ring[1];
	unsigned int bufs = min_t(unsigned int, ch->layout.num, 256);
	u16 avail, used, flags;

	avail = virtio16_to_cpu(&ch->avdev->vdev, READ_ONCE(r->avail->idx));
	used = virtio16_to_cpu(&ch->avdev->vdev, READ_ONCE(r->used->idx));
	if ((u16)(avail - used) < bufs)
		return true;
	flags = virtio16_to_cpu(&ch->avdev->vdev, READ_ONCE(r->avail->flags));
	if (flags & VRING_AVAIL_F_NO_INTERRUPT)
		WRITE_ONCE(r->avail->flags,
			   cpu_to_virtio16(&ch->avdev->vdev,
					   flags & ~VRING_AVAIL_F_NO_INTERRUPT));
	mb(); /* flag visible before we re-read the used index */
	used = virtio16_to_cpu(&ch->avdev->vdev, READ_ONCE(r->used->idx));
	return (u16)(avail - used) < bufs;
}

/**
 * rpmsg_amp_master_ept_open() - create the rpmsg endpoint behind @ept
 * @ept: endpoint being created (ch->ept_lock held)
 *
 * Return: 0 or a negative errno.
 */
int rpmsg_amp_master_ept_open(struct rpmsg_amp_ept *ept)
{
	struct rpmsg_amp_channel *ch = ept->ch;
	struct rpmsg_channel_info chinfo = {
		.src = ept->addr,
		.dst = RPMSG_ADDR_ANY,
	};

	if (!ch->anchor)
		return -ENODEV;
	snprintf(chinfo.name, sizeof(chinfo.name), "rpmsg-amp-%u", ept->addr);
	ept->rpept = rpmsg_create_ept(ch->anchor, rpmsg_amp_ept_cb, ept,
				      chinfo);
	if (!ept->rpept)
		return -EBUSY;
	return 0;
}

/**
 * rpmsg_amp_master_ept_close() - destroy the rpmsg endpoint behind @ept
 * @ept: endpoint (ch->ept_lock held)
 */
void rpmsg_amp_master_ept_close(struct rpmsg_amp_ept *ept)
{
	rpmsg_destroy_ept(ept->rpept);
	ept->rpept = NULL;
}

/*
 * Services the other side announces: RPMSG_AMP_CHANNEL_SERVICE means the
 * peer is there; others (RPMSG_AMP_NET_SERVICE) go to the clients.
 */
static void rpmsg_amp_service(struct rpmsg_device *rpdev,
			      struct rpmsg_amp_channel *ch, bool up)
{
	if (!strcmp(rpdev->id.name, RPMSG_AMP_CHANNEL_SERVICE))
		rpmsg_amp_peer_set(ch, up);
	else
		rpmsg_amp_ns_notify(ch, rpdev->id.name, rpdev->dst, up);
}

static int rpmsg_amp_peer_probe(struct rpmsg_device *rpdev)
{
	struct device *parent = rpdev->dev.parent;
	struct rpmsg_amp_channel *ch;

	ch = parent ? rpmsg_amp_find_by_dev(parent->parent) : NULL;
	if (!ch)
		return -ENODEV;
	dev_set_drvdata(&rpdev->dev, ch);
	rpmsg_amp_service(rpdev, ch, true);
	return 0;
}

static void rpmsg_amp_peer_remove(struct rpmsg_device *rpdev)
{
	struct rpmsg_amp_channel *ch = dev_get_drvdata(&rpdev->dev);

	rpmsg_amp_service(rpdev, ch, false);
}

static int rpmsg_amp_peer_cb(struct rpmsg_device *rpdev, void *data, int len,
			     void *priv, u32 src)
{
	return 0;
}

static const struct rpmsg_device_id rpmsg_amp_peer_ids[] = {
	{ .name = RPMSG_AMP_CHANNEL_SERVICE },
	{ .name = RPMSG_AMP_NET_SERVICE },
	{ },
};
MODULE_DEVICE_TABLE(rpmsg, rpmsg_amp_peer_ids);

static struct rpmsg_driver rpmsg_amp_peer_driver = {
	.drv.name = "rpmsg_amp_peer",
	.id_table = rpmsg_amp_peer_ids,
	.probe = rpmsg_amp_peer_probe,
	.remove = rpmsg_amp_peer_remove,
	.callback = rpmsg_amp_peer_cb,
};

int rpmsg_amp_master_register(void)
{
	return register_rpmsg_driver(&rpmsg_amp_peer_driver);
}

void rpmsg_amp_master_unregister(void)
{
	unregister_rpmsg_driver(&rpmsg_amp_peer_driver);
}

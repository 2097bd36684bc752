/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rpmsg_amp - kernel API differences between the supported kernels
 *
 * The modules build unchanged from 5.10 (the Milk-V Duo SDK kernel) to
 * current mainline; every interface that changed in between is wrapped
 * here, keyed on LINUX_VERSION_CODE, with the release that changed it.
 * Interfaces the modules use that did not change in that range are called
 * directly.
 *
 * checkpatch warns about every LINUX_VERSION_CODE ("code should be for the
 * version to which it is merged"): these modules are built out of tree for
 * several kernels, which is what this header is for, so `make check-style`
 * ignores that one message type for this one file.
 */
#ifndef _LINUX_RPMSG_AMP_COMPAT_H
#define _LINUX_RPMSG_AMP_COMPAT_H

#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/hrtimer.h>
#include <linux/netdevice.h>
#include <linux/platform_device.h>
#include <linux/rpmsg.h>
#include <linux/version.h>
#include <linux/virtio_config.h>

/*
 * eth_hw_addr_set(): 5.15, when net_device::dev_addr became const.  Some
 * stable kernels have it too; the macro then simply picks this copy.
 */
#if KERNEL_VERSION(5, 15, 0) > LINUX_VERSION_CODE
static inline void rpmsg_amp_eth_hw_addr_set(struct net_device *dev,
					     const u8 *addr)
{
	ether_addr_copy(dev->dev_addr, addr);
}

#define eth_hw_addr_set rpmsg_amp_eth_hw_addr_set
#endif

/*
 * Symbol namespaces are string literals since 6.13 (EXPORT_SYMBOL_NS*,
 * MODULE_IMPORT_NS); before, bare identifiers that were stringified.
 */
#if KERNEL_VERSION(6, 13, 0) > LINUX_VERSION_CODE
#define RPMSG_AMP_NS	RPMSG_AMP
#else
#define RPMSG_AMP_NS	"RPMSG_AMP"
#endif

/* netif_napi_add(): the weight argument was dropped in 6.1. */
static inline void rpmsg_amp_netif_napi_add(struct net_device *dev,
					    struct napi_struct *napi,
					    int (*poll)(struct napi_struct *,
							int))
{
#if KERNEL_VERSION(6, 1, 0) > LINUX_VERSION_CODE
	netif_napi_add(dev, napi, poll, NAPI_POLL_WEIGHT);
#else
	netif_napi_add(dev, napi, poll);
#endif
}

/*
 * hrtimer_setup() replaced hrtimer_init() plus setting ->function in 6.13;
 * hrtimer_init() was removed later.
 */
static inline void
rpmsg_amp_hrtimer_setup(struct hrtimer *timer,
			enum hrtimer_restart (*function)(struct hrtimer *),
			clockid_t clock_id, enum hrtimer_mode mode)
{
#if KERNEL_VERSION(6, 13, 0) > LINUX_VERSION_CODE
	hrtimer_init(timer, clock_id, mode);
	timer->function = function;
#else
	hrtimer_setup(timer, function, clock_id, mode);
#endif
}

/*
 * Mark a device whose "DMA" memory only CPUs ever touch as coherent, so
 * that dma_alloc_coherent() on it hands out ordinary cached memory from the
 * linear map.  struct device's dma_coherent bit became a flag with
 * accessors in 7.2 (the driver-core series "Fix some race conditions",
 * merged for 7.2); before, the bit exists only where the architecture can
 * have non-coherent devices, and elsewhere every device is coherent.
 */
static inline void rpmsg_amp_dev_set_dma_coherent(struct device *dev)
{
#if KERNEL_VERSION(7, 2, 0) <= LINUX_VERSION_CODE
	dev_set_dma_coherent(dev);
#elif defined(CONFIG_ARCH_HAS_SYNC_DMA_FOR_DEVICE) || \
	defined(CONFIG_ARCH_HAS_SYNC_DMA_FOR_CPU) || \
	defined(CONFIG_ARCH_HAS_SYNC_DMA_FOR_CPU_ALL)
	dev->dma_coherent = true;
#endif
}

/*
 * platform_driver::remove() returns void since 6.11 (int before, and the
 * value was ignored).  RPMSG_AMP_PLATFORM_REMOVE(op, fn) defines op(), of
 * the type this kernel expects, calling void fn(pdev); drivers register op.
 */
#if KERNEL_VERSION(6, 11, 0) > LINUX_VERSION_CODE
#define RPMSG_AMP_PLATFORM_REMOVE(op, fn)				\
	static int op(struct platform_device *pdev)			\
	{								\
		fn(pdev);						\
		return 0;						\
	}
#else
#define RPMSG_AMP_PLATFORM_REMOVE(op, fn)				\
	static void op(struct platform_device *pdev)			\
	{								\
		fn(pdev);						\
	}
#endif

/*
 * ethtool_ops::get_ringparam() takes a struct kernel_ethtool_ringparam and
 * a netlink_ext_ack too since 5.17. RPMSG_AMP_GET_RINGPARAM(op, fn) defines
 * op(), of the type this kernel expects, calling
 *	void fn(struct net_device *dev, struct ethtool_ringparam *ring)
 */
#if KERNEL_VERSION(5, 17, 0) > LINUX_VERSION_CODE
#define RPMSG_AMP_GET_RINGPARAM(op, fn)					\
	static void op(struct net_device *dev,				\
		       struct ethtool_ringparam *ring)			\
	{								\
		fn(dev, ring);						\
	}
#else
#define RPMSG_AMP_GET_RINGPARAM(op, fn)					\
	static void op(struct net_device *dev,				\
		       struct ethtool_ringparam *ring,			\
		       struct kernel_ethtool_ringparam *kring,		\
		       struct netlink_ext_ack *extack)			\
	{								\
		fn(dev, ring);						\
	}
#endif

/*
 * virtio_config_ops::find_vqs() takes one struct virtqueue_info per queue
 * since 6.11; before, parallel arrays of callbacks, names and ctx flags.
 * RPMSG_AMP_FIND_VQS_OP(op, fn) defines op(), of the type this kernel
 * expects, calling
 *	int fn(struct virtio_device *vdev, unsigned int nvqs,
 *	       struct virtqueue *vqs[], const struct rpmsg_amp_vq_info *info)
 * with one struct rpmsg_amp_vq_info per queue (info NULL when nvqs exceeds
 * RPMSG_AMP_MAX_VQS); the transport registers op.
 */
#define RPMSG_AMP_MAX_VQS	2

/**
 * struct rpmsg_amp_vq_info - what find_vqs() is asked for one virtqueue
 * @name: virtqueue name, NULL for a queue the driver does not use
 * @callback: completion callback, may be NULL
 * @ctx: keep a per-buffer context
 */
struct rpmsg_amp_vq_info {
	const char *name;
	vq_callback_t *callback;
	bool ctx;
};

#if KERNEL_VERSION(6, 11, 0) > LINUX_VERSION_CODE
#define RPMSG_AMP_FIND_VQS_OP(op, fn)					\
	static int op(struct virtio_device *vdev, unsigned int nvqs,	\
		      struct virtqueue *vqs[], vq_callback_t *callbacks[],\
		      const char * const names[], const bool *ctx,	\
		      struct irq_affinity *desc)			\
	{								\
		struct rpmsg_amp_vq_info info[RPMSG_AMP_MAX_VQS];	\
		unsigned int i;						\
									\
		for (i = 0; i < nvqs && nvqs <= RPMSG_AMP_MAX_VQS; i++) {\
			info[i].name = names[i];			\
			info[i].callback = callbacks[i];		\
			info[i].ctx = ctx ? ctx[i] : false;		\
		}							\
		return fn(vdev, nvqs, vqs,				\
			  nvqs <= RPMSG_AMP_MAX_VQS ? info : NULL);	\
	}
#else
#define RPMSG_AMP_FIND_VQS_OP(op, fn)					\
	static int op(struct virtio_device *vdev, unsigned int nvqs,	\
		      struct virtqueue *vqs[],				\
		      struct virtqueue_info vqs_info[],			\
		      struct irq_affinity *desc)			\
	{								\
		struct rpmsg_amp_vq_info info[RPMSG_AMP_MAX_VQS];	\
		unsigned int i;						\
									\
		for (i = 0; i < nvqs && nvqs <= RPMSG_AMP_MAX_VQS; i++) {\
			info[i].name = vqs_info[i].name;		\
			info[i].callback = vqs_info[i].callback;	\
			info[i].ctx = vqs_info[i].ctx;			\
		}							\
		return fn(vdev, nvqs, vqs,				\
			  nvqs <= RPMSG_AMP_MAX_VQS ? info : NULL);	\
	}
#endif

/*
 * rpmsg_get_mtu(): 5.14. Before, there is no way to ask: the caller takes
 * what it takes for a bus that cannot tell.
 */
static inline ssize_t rpmsg_amp_get_mtu(struct rpmsg_endpoint *ept)
{
#if KERNEL_VERSION(5, 14, 0) > LINUX_VERSION_CODE
	return -EOPNOTSUPP;
#else
	return rpmsg_get_mtu(ept);
#endif
}

/*
 * serdev's receive_buf() returns the number of bytes it took as a size_t
 * since 6.8 (an int before).
 */
#if KERNEL_VERSION(6, 8, 0) > LINUX_VERSION_CODE
#define RPMSG_AMP_SERDEV_RX_RET	int
#else
#define RPMSG_AMP_SERDEV_RX_RET	size_t
#endif

/*
 * KUnit as 5.10 has it (6.1's no longer does; the change came with the
 * assertion rework in between) copies both sides of KUNIT_EXPECT_STREQ()
 * with typeof(), which cannot initialise an array from a string literal
 * or another array, and type-checks both sides of KUNIT_EXPECT_EQ() with
 * __typecheck().  The tests compare strings, and values against constants
 * of another type, through these macros: casts, valid on every version,
 * so no version test is needed.
 */
#define RPMSG_AMP_EXPECT_STREQ(test, left, right)			\
	KUNIT_EXPECT_STREQ(test, (const char *)(left), (const char *)(right))
#define RPMSG_AMP_EXPECT_EQ(test, left, right)				\
	KUNIT_EXPECT_EQ(test, left, (typeof(left))(right))

#endif /* _LINUX_RPMSG_AMP_COMPAT_H */

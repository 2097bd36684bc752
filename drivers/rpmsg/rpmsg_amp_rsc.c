// SPDX-License-Identifier: GPL-2.0
/*
 * rpmsg_amp - the remote's resource table
 *
 * A remote that the boot loader started (OpenAMP's remotes, the RTOSes of
 * the MICA design) publishes a resource table at a fixed place in shared
 * memory, the "rsc-table" carveout. Its virtio device entry is the
 * handshake such a stack waits for: where the vrings are (or that the
 * master places them), which features were taken, and the status byte,
 * DRIVER_OK when the master's rings are ready and 0 when it goes. This
 * file owns that table: it reads it (every field the other core's, so a
 * private copy is checked, see rpmsg_amp_rsc_parse()) when the channel
 * is set up and again at every (re)build, and writes back only the vrings'
 * addresses and notify ids it assigned, the features and the status. The
 * remote's trace buffers (RSC_TRACE) inside the carveout are readable in
 * debugfs, rpmsg_amp/<device>/traceN. In the remote role the channel
 * publishes such a table itself, for a master that expects one, and
 * follows the master's status byte there. The kernel's remoteproc does the
 * same for the remotes it loads itself; it cannot take a remote it did
 * not load and whose only tie to Linux is a carveout and a mailbox, hence
 * this.
 */
#include <linux/bits.h>
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/virtio_config.h>

#include "rpmsg_amp_internal.h"

/* A table is copied in at most this far (entries beyond are not seen). */
#define RPMSG_AMP_RSC_MAX	SZ_16K

/* A checked copy of the table in ch->rsc_va. */
static int rpmsg_amp_rsc_read(struct rpmsg_amp_channel *ch,
			      struct rpmsg_amp_rsc_info *info)
{
	size_t size = min_t(size_t, ch->rsc_sz, RPMSG_AMP_RSC_MAX);
	const char *why;
	void *copy;
	int ret;

	copy = kmalloc(size, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, ch->rsc_va, size);
	ret = rpmsg_amp_rsc_parse(copy, size, info, &why);
	kfree(copy);
	if (ret)
		dev_err(ch->dev, "rsc-table: %s\n", why);
	return ret;
}

static struct dentry *rpmsg_amp_debugfs;

/** rpmsg_amp_rsc_debugfs_init() - the module's debugfs directory */
void rpmsg_amp_rsc_debugfs_init(void)
{
	rpmsg_amp_debugfs = debugfs_create_dir("rpmsg_amp", NULL);
}

/** rpmsg_amp_rsc_debugfs_exit() - remove it */
void rpmsg_amp_rsc_debugfs_exit(void)
{
	debugfs_remove_recursive(rpmsg_amp_debugfs);
}

/* The text in a trace buffer, up to its first NUL, as it is now. */
static ssize_t rpmsg_amp_trace_read(struct file *file, char __user *ubuf,
				    size_t count, loff_t *ppos)
{
	const struct rpmsg_amp_trace *t = file->private_data;
	ssize_t ret;
	char *copy;

	copy = kvmalloc(t->len, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, t->va, t->len);
	ret = simple_read_from_buffer(ubuf, count, ppos, copy,
				      strnlen(copy, t->len));
	kvfree(copy);
	return ret;
}

static const struct file_operations rpmsg_amp_trace_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = rpmsg_amp_trace_read,
	.llseek = generic_file_llseek,
};

static void rpmsg_amp_trace_remove(void *dir)
{
	debugfs_remove_recursive(dir);
}

/*
 * The trace buffers the table names, where they lie inside the rsc-table
 * carveout (the only memory of the other core's this driver maps).
 */
static void rpmsg_amp_rsc_traces(struct rpmsg_amp_channel *ch)
{
	const struct rpmsg_amp_rsc_info *info = &ch->rsc_info;
	struct dentry *dir;
	unsigned int k, n = 0;
	char name[16];

	for (k = 0; k < info->n_trace; k++) {
		u64 da = info->trace_da[k], len = info->trace_len[k];

		if (!len || len > SZ_1M ||
		    !rpmsg_amp_range_ok(ch->rsc_pa, ch->rsc_sz, da, len)) {
			dev_warn(ch->dev, "rsc-table: trace %u (%#llx, %llu bytes) is not inside the rsc-table carveout: not shown\n",
				 k, da, len);
			continue;
		}
		ch->trace[n].va = ch->rsc_va + (da - ch->rsc_pa);
		ch->trace[n++].len = len;
	}
	if (!n)
		return;
	dir = debugfs_create_dir(dev_name(ch->dev), rpmsg_amp_debugfs);
	for (k = 0; k < n; k++) {
		snprintf(name, sizeof(name), "trace%u", k);
		debugfs_create_file(name, 0400, dir, &ch->trace[k],
				    &rpmsg_amp_trace_fops);
	}
	if (devm_add_action_or_reset(ch->dev, rpmsg_amp_trace_remove, dir))
		dev_warn(ch->dev, "rsc-table: trace buffers not shown\n");
}

/* Where vring @k goes in the vring carveout: offset, or -EINVAL. */
static long rpmsg_amp_rsc_place(struct rpmsg_amp_channel *ch,
				const struct rpmsg_amp_rsc_info *info, int k)
{
	u64 da = info->da[k];

	if (info->da[k] == RPMSG_AMP_RSC_ADDR_ANY)
		return ch->layout.vring_off[k];
	if (da < ch->vring_pa || da - ch->vring_pa > ch->vring_sz ||
	    ch->vring_sz - (da - ch->vring_pa) < ch->layout.vring_bytes) {
		dev_err(ch->dev, "rsc-table: vring %d at %#llx is not inside the vring carveout %pa (%zu bytes)\n",
			k, da, &ch->vring_pa, ch->vring_sz);
		return -EINVAL;
	}
	if (da % 16) {
		dev_err(ch->dev, "rsc-table: vring %d at %#llx is not 16-byte aligned\n",
			k, da);
		return -EINVAL;
	}
	return da - ch->vring_pa;
}

/**
 * rpmsg_amp_rsc_init() - take the layout from the remote's resource table
 * @ch: channel of the master role whose "rsc-table" carveout is mapped,
 *	the vring and buffer carveouts known, the layout from the device tree
 *
 * The table's vring size and alignment replace vring-num and vring-align.
 * Vrings the remote placed stay where it put them (inside the vring
 * carveout, apart); vrings it left to the master (FW_RSC_ADDR_ANY) go
 * where the device tree's layout has them. Either both or neither.
 * The status byte is set to 0: this master is not ready yet.
 *
 * Return: 0 or -EINVAL (logged).
 */
int rpmsg_amp_rsc_init(struct rpmsg_amp_channel *ch)
{
	struct rpmsg_amp_rsc_info *info = &ch->rsc_info;
	struct rpmsg_amp_layout l;
	const char *why;
	bool any0, any1;
	long off[2];
	int ret, k;

	ret = rpmsg_amp_rsc_read(ch, info);
	if (ret)
		return ret;
	any0 = info->da[0] == RPMSG_AMP_RSC_ADDR_ANY;
	any1 = info->da[1] == RPMSG_AMP_RSC_ADDR_ANY;
	if (any0 != any1) {
		dev_err(ch->dev, "rsc-table: one vring placed by the remote and one not\n");
		return -EINVAL;
	}
	ret = rpmsg_amp_calc_layout(&l, info->num, info->align,
				    ch->layout.buf_size, &why);
	if (ret) {
		dev_err(ch->dev, "rsc-table: invalid %s\n", why);
		return ret;
	}
	ch->layout = l;
	for (k = 0; k < 2; k++) {
		off[k] = rpmsg_amp_rsc_place(ch, info, k);
		if (off[k] < 0)
			return -EINVAL;
	}
	if (abs(off[0] - off[1]) < l.vring_bytes) {
		dev_err(ch->dev, "rsc-table: the two vrings overlap\n");
		return -EINVAL;
	}
	for (k = 0; k < 2; k++)
		ch->layout.vring_off[k] = off[k];
	ch->layout.vring_region_need = max(off[0], off[1]) + l.vring_bytes;
	rpmsg_amp_rsc_status(ch, 0);
	rpmsg_amp_rsc_traces(ch);
	dev_info(ch->dev, "rsc-table: rpmsg device, vrings of %u at %#lx and %#lx%s, features %#x\n",
		 info->num, off[0], off[1],
		 info->da[0] == RPMSG_AMP_RSC_ADDR_ANY ? " (placed by us)" : "",
		 info->dfeatures);
	return 0;
}

static struct rpmsg_amp_wire_rsc_vdev *
rpmsg_amp_rsc_vdev(struct rpmsg_amp_channel *ch)
{
	return ch->rsc_va + ch->rsc_info.vdev_off;
}

/* Fields of the table are little-endian and 4-byte aligned. */
static void rpmsg_amp_rsc_wr32(__le32 *p, u32 v)
{
	WRITE_ONCE(*p, cpu_to_le32(v));
}

/**
 * rpmsg_amp_rsc_sync() - before the master's rings go live: check the table
 *	again and write back what the master assigned
 * @ch: channel of the master role with a resource table
 * @features: the features virtio_rpmsg_bus took
 *
 * A remote restarted since may have written its table again: it must
 * still say what the rings were laid out for, or the link stays down.
 *
 * Return: 0 or -EINVAL (logged).
 */
int rpmsg_amp_rsc_sync(struct rpmsg_amp_channel *ch, u64 features)
{
	struct rpmsg_amp_wire_rsc_vdev *v;
	struct rpmsg_amp_rsc_info now;
	bool same;
	int ret, k;

	ret = rpmsg_amp_rsc_read(ch, &now);
	if (ret)
		return ret;
	same = now.vdev_off == ch->rsc_info.vdev_off &&
	       now.num == ch->rsc_info.num && now.align == ch->rsc_info.align;
	/* a vring the remote placed, or leaves to us again */
	for (k = 0; k < 2; k++)
		same = same && (now.da[k] == RPMSG_AMP_RSC_ADDR_ANY ||
				now.da[k] == ch->vring_pa +
					     ch->layout.vring_off[k]);
	if (!same) {
		dev_err(ch->dev, "rsc-table: not what the rings were laid out for; the driver must be bound again for a new layout\n");
		return -EINVAL;
	}
	v = rpmsg_amp_rsc_vdev(ch);
	for (k = 0; k < 2; k++) {
		if (now.da[k] == RPMSG_AMP_RSC_ADDR_ANY)
			rpmsg_amp_rsc_wr32(&v->vring[k].da, ch->vring_pa +
					   ch->layout.vring_off[k]);
		if (now.notifyid[k] == RPMSG_AMP_RSC_ADDR_ANY)
			rpmsg_amp_rsc_wr32(&v->vring[k].notifyid, k);
	}
	rpmsg_amp_rsc_wr32(&v->gfeatures,
			   lower_32_bits(features) & now.dfeatures);
	return 0;
}

/**
 * rpmsg_amp_rsc_status() - publish the master's virtio status
 * @ch: channel of the master role with a resource table
 * @status: virtio status; DRIVER_OK once the rings are ready, 0 when gone
 *
 * Everything written before (rings, addresses, features) is visible to
 * the other core before the status is.
 */
void rpmsg_amp_rsc_status(struct rpmsg_amp_channel *ch, u8 status)
{
	/* rings and table fields before the status */
	rpmsg_amp_ring_wmb(&ch->ring[0]);
	WRITE_ONCE(rpmsg_amp_rsc_vdev(ch)->status, status);
}

/* The table the remote role publishes: one rpmsg device, two vrings. */
struct rpmsg_amp_rsc_own {
	struct rpmsg_amp_wire_rsc_table hdr;
	__le32 offset[1];
	struct rpmsg_amp_wire_rsc_vdev vdev;
	struct rpmsg_amp_wire_rsc_vring vring[2];
} __packed;

/**
 * rpmsg_amp_rsc_publish() - remote role: publish our resource table
 * @ch: channel of the remote role whose carveouts are mapped, rings laid out
 *
 * For a master that expects one (ours with an rsc-table, remoteproc
 * attaching to a running remote): an rpmsg device offering the name
 * service, with the vrings where the device-tree layout has them. A table
 * a previous instance of ours published for the same layout is left as it
 * is, with the master's status and features in it: the master may be up.
 *
 * Return: 0, or -EINVAL if the carveout cannot hold the table.
 */
int rpmsg_amp_rsc_publish(struct rpmsg_amp_channel *ch)
{
	struct rpmsg_amp_rsc_own *t = ch->rsc_va;
	struct rpmsg_amp_rsc_info now;
	const char *why;
	int k;

	if (ch->rsc_sz < sizeof(*t)) {
		dev_err(ch->dev, "rsc-table: %zu bytes, a table needs %zu\n",
			ch->rsc_sz, sizeof(*t));
		return -EINVAL;
	}
	ch->rsc_info.vdev_off = offsetof(struct rpmsg_amp_rsc_own, vdev);
	if (!rpmsg_amp_rsc_parse(ch->rsc_va, sizeof(*t), &now, &why) &&
	    now.vdev_off == ch->rsc_info.vdev_off &&
	    now.num == ch->layout.num && now.align == ch->layout.align &&
	    now.da[0] == ch->vring_pa + ch->layout.vring_off[0] &&
	    now.da[1] == ch->vring_pa + ch->layout.vring_off[1]) {
		dev_info(ch->dev, "rsc-table: ours, as published before\n");
		return 0;
	}
	memset(t, 0, sizeof(*t));
	t->hdr.ver = cpu_to_le32(RPMSG_AMP_RSC_VERSION);
	t->hdr.num = cpu_to_le32(1);
	t->offset[0] = cpu_to_le32(ch->rsc_info.vdev_off);
	t->vdev.type = cpu_to_le32(RPMSG_AMP_RSC_VDEV);
	t->vdev.id = cpu_to_le32(RPMSG_AMP_VIRTIO_ID_RPMSG);
	t->vdev.dfeatures = cpu_to_le32(BIT(0));
	t->vdev.num_of_vrings = 2;
	for (k = 0; k < 2; k++) {
		t->vring[k].da = cpu_to_le32(ch->vring_pa +
					     ch->layout.vring_off[k]);
		t->vring[k].align = cpu_to_le32(ch->layout.align);
		t->vring[k].num = cpu_to_le32(ch->layout.num);
		t->vring[k].notifyid = cpu_to_le32(k);
	}
	rpmsg_amp_ring_wmb(&ch->ring[0]); /* the table before the doorbell */
	dev_info(ch->dev, "rsc-table: published\n");
	return 0;
}

/**
 * rpmsg_amp_rsc_master_ok() - remote role: does the master say it is ready?
 * @ch: channel of the remote role
 *
 * Return: true without a table; with one, whether its status byte has
 * DRIVER_OK (0 once the master tore its rings down or went).
 */
bool rpmsg_amp_rsc_master_ok(struct rpmsg_amp_channel *ch)
{
	u8 status;

	if (!ch->rsc_va)
		return true;
	status = READ_ONCE(rpmsg_amp_rsc_vdev(ch)->status);
	rpmsg_amp_ring_rmb(&ch->ring[0]); /* the status before the rings */
	return status & VIRTIO_CONFIG_S_DRIVER_OK;
}

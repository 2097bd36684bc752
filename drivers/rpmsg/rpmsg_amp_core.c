// SPDX-License-Identifier: GPL-2.0
/*
 * rpmsg_amp - RPMsg link to another core over a shared-memory carveout and
 * a mailbox doorbell.
 *
 * One platform device per channel. It takes two reserved-memory regions
 * (the vrings, and the message buffers) and a mailbox from the device tree.
 * In both roles the kernel's virtio_rpmsg_bus runs the channel's rpmsg bus
 * on a virtio device of ours (rpmsg_amp_virtio.c); in the master role its
 * vrings are shadows of the shared ones (rpmsg_amp_master.c), in the
 * remote role the device side of the master's shared rings copies
 * messages to and from them (rpmsg_amp_remote.c). User-interface modules
 * (char, net) attach through rpmsg_amp_client: they learn of each channel
 * and the addresses its device tree lists, and are handed an rpmsg device
 * of the bus whenever it is up, on which they open ordinary rpmsg
 * endpoints; everything else is the kernel's rpmsg API.
 *
 * This file owns the channel: the device tree, the carveouts, the
 * clients and sysfs. The link's state (when the rpmsg bus comes and goes)
 * is rpmsg_amp_link.c; what rpmsg drivers on any bus use is
 * rpmsg_amp_rpdev.c. The layers below (rpmsg_amp_link.c,
 * rpmsg_amp_virtio.c, rpmsg_amp_master.c, rpmsg_amp_remote.c,
 * rpmsg_amp_doorbell.c) reach it only through the rpmsg_amp_upcalls it
 * hands them in the channel.
 */
#include <linux/device.h>
#include <linux/io.h>
#include <linux/mailbox_client.h>
#include <linux/mailbox_controller.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/of_address.h>
#include <linux/of_reserved_mem.h>
#include <linux/platform_device.h>
#include <linux/rpmsg.h>
#include <linux/rpmsg_amp.h>
#include <linux/rpmsg_amp_compat.h>
#include <linux/reset.h>
#include <linux/slab.h>
#include <linux/virtio_ring.h>

#include "rpmsg_amp_internal.h"

#define RPMSG_AMP_DEF_NUM	256
#define RPMSG_AMP_DEF_ALIGN	4096
#define RPMSG_AMP_DEF_BUFSZ	512
/* virtio_rpmsg_bus in 6.1 uses fixed 512-byte buffers. */
#define RPMSG_AMP_VIRTIO_BUFSZ	512

static DEFINE_MUTEX(rpmsg_amp_mutex);	/* channels, clients */
static LIST_HEAD(rpmsg_amp_channels);
static LIST_HEAD(rpmsg_amp_clients);

/* ---- clients ----------------------------------------------------------- */

/* Add @client to @ch and hand it the bus if it is up; rpmsg_amp_mutex held. */
static void rpmsg_amp_client_add(struct rpmsg_amp_client *client,
				 struct rpmsg_amp_channel *ch)
{
	int ret = client->add(ch);

	if (ret)
		dev_err(ch->dev, "%s: attach failed: %d\n", client->name, ret);
	else if (ch->linked)
		client->link_up(ch, ch->linked);
}

/*
 * The channel's rpmsg bus is up, @rpdev the device the clients open their
 * endpoints on; called by the bus with link_sem held for writing.
 */
static void rpmsg_amp_link_up(struct rpmsg_amp_channel *ch,
			      struct rpmsg_device *rpdev)
{
	struct rpmsg_amp_client *client;

	mutex_lock(&rpmsg_amp_mutex);
	ch->linked = rpdev;
	if (ch->online)
		list_for_each_entry(client, &rpmsg_amp_clients, node)
			client->link_up(ch, rpdev);
	mutex_unlock(&rpmsg_amp_mutex);
}

/* The bus goes: the clients close their endpoints (link_sem held). */
static void rpmsg_amp_link_down(struct rpmsg_amp_channel *ch)
{
	struct rpmsg_amp_client *client;

	mutex_lock(&rpmsg_amp_mutex);
	if (ch->linked && ch->online)
		list_for_each_entry_reverse(client, &rpmsg_amp_clients, node)
			client->link_down(ch);
	ch->linked = NULL;
	mutex_unlock(&rpmsg_amp_mutex);
}

/**
 * rpmsg_amp_register_client() - attach an interface module to all channels
 * @client: the client; stays registered until unregistered
 *
 * Return: 0.
 */
int rpmsg_amp_register_client(struct rpmsg_amp_client *client)
{
	struct rpmsg_amp_channel *ch;

	mutex_lock(&rpmsg_amp_mutex);
	list_add_tail(&client->node, &rpmsg_amp_clients);
	list_for_each_entry(ch, &rpmsg_amp_channels, node)
		if (ch->online)
			rpmsg_amp_client_add(client, ch);
	mutex_unlock(&rpmsg_amp_mutex);
	return 0;
}
EXPORT_SYMBOL_GPL(rpmsg_amp_register_client);

/**
 * rpmsg_amp_unregister_client() - detach an interface module
 * @client: the client
 */
void rpmsg_amp_unregister_client(struct rpmsg_amp_client *client)
{
	struct rpmsg_amp_channel *ch;

	mutex_lock(&rpmsg_amp_mutex);
	list_for_each_entry(ch, &rpmsg_amp_channels, node)
		if (ch->online)
			client->remove(ch);
	list_del(&client->node);
	mutex_unlock(&rpmsg_amp_mutex);
}
EXPORT_SYMBOL_GPL(rpmsg_amp_unregister_client);

/**
 * rpmsg_amp_peer_set() - record whether the other side is present
 * @ch: channel
 * @up: present
 */
static void rpmsg_amp_peer_set(struct rpmsg_amp_channel *ch, bool up)
{
	struct rpmsg_amp_client *client;

	if (up) {
		spin_lock_irq(&ch->bus_lock);
		ch->restart_n = 0;
		spin_unlock_irq(&ch->bus_lock);
	}
	mutex_lock(&rpmsg_amp_mutex);
	if (ch->peer_up != up) {
		ch->peer_up = up;
		dev_info(ch->dev, "peer %s\n", up ? "up" : "down");
		if (!up && ch->role == RPMSG_AMP_ROLE_MASTER)
			rpmsg_amp_link_hello(ch);
		if (ch->online)
			list_for_each_entry(client, &rpmsg_amp_clients, node)
				if (client->peer_changed)
					client->peer_changed(ch, up);
	}
	mutex_unlock(&rpmsg_amp_mutex);
}

/* ---- channel accessors --------------------------------------------------- */

/**
 * rpmsg_amp_channel_dev() - the channel's platform device
 * @ch: channel
 *
 * Return: the device, for logging and as a parent.
 */
struct device *rpmsg_amp_channel_dev(struct rpmsg_amp_channel *ch)
{
	return ch->dev;
}
EXPORT_SYMBOL_GPL(rpmsg_amp_channel_dev);

/**
 * rpmsg_amp_channel_index() - channel index N from the device tree
 * @ch: channel
 *
 * Return: N.
 */
u32 rpmsg_amp_channel_index(struct rpmsg_amp_channel *ch)
{
	return ch->index;
}
EXPORT_SYMBOL_GPL(rpmsg_amp_channel_index);

/**
 * rpmsg_amp_channel_mtu() - largest payload of one message
 * @ch: channel
 *
 * Return: buffer size minus the 16-byte header.
 */
size_t rpmsg_amp_channel_mtu(struct rpmsg_amp_channel *ch)
{
	return rpmsg_amp_payload_max(ch);
}
EXPORT_SYMBOL_GPL(rpmsg_amp_channel_mtu);

/**
 * rpmsg_amp_channel_peer_up() - has the other side announced itself?
 * @ch: channel
 *
 * Return: true if the peer is present.
 */
bool rpmsg_amp_channel_peer_up(struct rpmsg_amp_channel *ch)
{
	return READ_ONCE(ch->peer_up);
}
EXPORT_SYMBOL_GPL(rpmsg_amp_channel_peer_up);

/**
 * rpmsg_amp_channel_is_master() - does this side own the vrings?
 * @ch: channel
 *
 * Return: true in the master role.
 */
bool rpmsg_amp_channel_is_master(struct rpmsg_amp_channel *ch)
{
	return ch->role == RPMSG_AMP_ROLE_MASTER;
}
EXPORT_SYMBOL_GPL(rpmsg_amp_channel_is_master);

/**
 * rpmsg_amp_channel_epts() - endpoint addresses listed in the device tree
 * @ch: channel
 * @kind: "misc" (misc-dev-endpoints), "eth" (eth-dev-endpoints) or
 *	"eth-single" (eth-single-message-endpoints, of the "eth" ones)
 * @addrs: set to the array
 *
 * Return: number of addresses.
 */
unsigned int rpmsg_amp_channel_epts(struct rpmsg_amp_channel *ch,
				    const char *kind, const u32 **addrs)
{
	if (!strcmp(kind, "misc")) {
		*addrs = ch->misc_epts;
		return ch->n_misc;
	}
	if (!strcmp(kind, "eth")) {
		*addrs = ch->eth_epts;
		return ch->n_eth;
	}
	if (!strcmp(kind, "eth-single")) {
		*addrs = ch->eth1_epts;
		return ch->n_eth1;
	}
	*addrs = NULL;
	return 0;
}
EXPORT_SYMBOL_GPL(rpmsg_amp_channel_epts);

/**
 * rpmsg_amp_channel_count_drop() - count a message a client had to drop
 * @ch: channel
 */
void rpmsg_amp_channel_count_drop(struct rpmsg_amp_channel *ch)
{
	atomic64_inc(&ch->stats.drops);
}
EXPORT_SYMBOL_GPL(rpmsg_amp_channel_count_drop);

static const struct rpmsg_amp_upcalls rpmsg_amp_upcalls = {
	.peer_set = rpmsg_amp_peer_set,
	.link_up = rpmsg_amp_link_up,
	.link_down = rpmsg_amp_link_down,
};

/* ---- sysfs --------------------------------------------------------------- */

struct rpmsg_amp_stat_attr {
	struct device_attribute attr;
	size_t off;
};

static ssize_t rpmsg_amp_stat_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	struct rpmsg_amp_stat_attr *sa =
		container_of(attr, struct rpmsg_amp_stat_attr, attr);
	struct rpmsg_amp_channel *ch = dev_get_drvdata(dev);
	atomic64_t *v = (void *)&ch->stats + sa->off;

	return sysfs_emit(buf, "%lld\n", (long long)atomic64_read(v));
}

static struct rpmsg_amp_stat_attr rpmsg_amp_stats_attr[] = {
	{ __ATTR(irq_in, 0444, rpmsg_amp_stat_show, NULL),
	  offsetof(struct rpmsg_amp_stats, irq_in) },
	{ __ATTR(irq_out, 0444, rpmsg_amp_stat_show, NULL),
	  offsetof(struct rpmsg_amp_stats, irq_out) },
	{ __ATTR(rx_msgs, 0444, rpmsg_amp_stat_show, NULL),
	  offsetof(struct rpmsg_amp_stats, rx_msgs) },
	{ __ATTR(tx_msgs, 0444, rpmsg_amp_stat_show, NULL),
	  offsetof(struct rpmsg_amp_stats, tx_msgs) },
	{ __ATTR(rx_bytes, 0444, rpmsg_amp_stat_show, NULL),
	  offsetof(struct rpmsg_amp_stats, rx_bytes) },
	{ __ATTR(tx_bytes, 0444, rpmsg_amp_stat_show, NULL),
	  offsetof(struct rpmsg_amp_stats, tx_bytes) },
	{ __ATTR(drops, 0444, rpmsg_amp_stat_show, NULL),
	  offsetof(struct rpmsg_amp_stats, drops) },
	{ __ATTR(rejects, 0444, rpmsg_amp_stat_show, NULL),
	  offsetof(struct rpmsg_amp_stats, rejects) },
	{ __ATTR(restarts, 0444, rpmsg_amp_stat_show, NULL),
	  offsetof(struct rpmsg_amp_stats, restarts) },
	{ __ATTR(hellos, 0444, rpmsg_amp_stat_show, NULL),
	  offsetof(struct rpmsg_amp_stats, hellos) },
};

static struct attribute *rpmsg_amp_stat_attrs[] = {
	&rpmsg_amp_stats_attr[0].attr.attr,
	&rpmsg_amp_stats_attr[1].attr.attr,
	&rpmsg_amp_stats_attr[2].attr.attr,
	&rpmsg_amp_stats_attr[3].attr.attr,
	&rpmsg_amp_stats_attr[4].attr.attr,
	&rpmsg_amp_stats_attr[5].attr.attr,
	&rpmsg_amp_stats_attr[6].attr.attr,
	&rpmsg_amp_stats_attr[7].attr.attr,
	&rpmsg_amp_stats_attr[8].attr.attr,
	&rpmsg_amp_stats_attr[9].attr.attr,
	NULL
};

static const struct attribute_group rpmsg_amp_stat_group = {
	.name = "statistics",
	.attrs = rpmsg_amp_stat_attrs,
};

static ssize_t channel_index_show(struct device *dev,
				  struct device_attribute *attr, char *buf)
{
	struct rpmsg_amp_channel *ch = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%u\n", ch->index);
}
static DEVICE_ATTR_RO(channel_index);

static ssize_t role_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	struct rpmsg_amp_channel *ch = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%s\n", rpmsg_amp_role_name(ch->role));
}
static DEVICE_ATTR_RO(role);

static ssize_t peer_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	struct rpmsg_amp_channel *ch = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%s\n", READ_ONCE(ch->peer_up) ? "up" : "down");
}
static DEVICE_ATTR_RO(peer);

static ssize_t mtu_show(struct device *dev, struct device_attribute *attr,
			char *buf)
{
	struct rpmsg_amp_channel *ch = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%zu\n", rpmsg_amp_channel_mtu(ch));
}
static DEVICE_ATTR_RO(mtu);

/* Same format as the OCTEON design's /sys/rpmsgN/interrupts. */
static ssize_t interrupts_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	struct rpmsg_amp_channel *ch = dev_get_drvdata(dev);

	return sysfs_emit(buf, "rx: %lld\ntx: %lld\n",
			  (long long)atomic64_read(&ch->stats.irq_in),
			  (long long)atomic64_read(&ch->stats.irq_out));
}
static DEVICE_ATTR_RO(interrupts);

static struct attribute *rpmsg_amp_attrs[] = {
	&dev_attr_channel_index.attr,
	&dev_attr_role.attr,
	&dev_attr_peer.attr,
	&dev_attr_mtu.attr,
	&dev_attr_interrupts.attr,
	NULL
};

static const struct attribute_group rpmsg_amp_group = {
	.attrs = rpmsg_amp_attrs,
};

static const struct attribute_group *rpmsg_amp_groups[] = {
	&rpmsg_amp_group,
	&rpmsg_amp_stat_group,
	NULL
};

/* ---- probe ----------------------------------------------------------------- */

static int rpmsg_amp_get_region(struct rpmsg_amp_channel *ch,
				const char *name, int fallback_idx,
				phys_addr_t *pa, size_t *sz, int *idx_out)
{
	struct device_node *np = ch->dev->of_node, *rnp;
	struct reserved_mem *rmem;
	int idx;

	idx = of_property_match_string(np, "memory-region-names", name);
	if (idx < 0)
		idx = fallback_idx;
	rnp = of_parse_phandle(np, "memory-region", idx);
	if (!rnp) {
		dev_err(ch->dev, "memory-region: no '%s' carveout\n", name);
		return -EINVAL;
	}
	rmem = of_reserved_mem_lookup(rnp);
	of_node_put(rnp);
	if (!rmem || !rmem->size) {
		dev_err(ch->dev,
			"memory-region: '%s' is not a reserved-memory region\n",
			name);
		return -EINVAL;
	}
	*pa = rmem->base;
	*sz = rmem->size;
	*idx_out = idx;
	return 0;
}

static int rpmsg_amp_read_epts(struct rpmsg_amp_channel *ch, const char *prop,
			       u32 *addrs, unsigned int *n)
{
	struct device_node *np = ch->dev->of_node;
	const char *why;
	int cnt, ret;

	*n = 0;
	if (!of_find_property(np, prop, NULL))
		return 0;
	cnt = of_property_count_u32_elems(np, prop);
	if (cnt < 0) {
		dev_err(ch->dev, "%s: not a list of u32 addresses\n", prop);
		return -EINVAL;
	}
	if (cnt > RPMSG_AMP_MAX_EPTS) {
		dev_err(ch->dev, "%s: %d endpoints, at most %d\n", prop, cnt,
			RPMSG_AMP_MAX_EPTS);
		return -EINVAL;
	}
	ret = of_property_read_u32_array(np, prop, addrs, cnt);
	if (ret)
		return ret;
	ret = rpmsg_amp_check_epts(addrs, cnt, &why);
	if (ret) {
		dev_err(ch->dev, "%s: %s\n", prop, why);
		return ret;
	}
	*n = cnt;
	return 0;
}

static int rpmsg_amp_parse_dt(struct rpmsg_amp_channel *ch)
{
	struct device *dev = ch->dev;
	struct device_node *np = dev->of_node;
	u32 num = RPMSG_AMP_DEF_NUM, align = RPMSG_AMP_DEF_ALIGN;
	u32 bufsz = RPMSG_AMP_DEF_BUFSZ, i;
	const char *role, *why;
	int ret;

	if (of_property_read_string(np, "rpmsg-role", &role)) {
		dev_err(dev, "rpmsg-role: missing (\"master\" or \"remote\")\n");
		return -EINVAL;
	}
	ch->role = rpmsg_amp_parse_role(role);
	if (ch->role < 0) {
		dev_err(dev, "rpmsg-role: unknown role \"%s\" (\"master\" or \"remote\")\n",
			role);
		return -EINVAL;
	}
	if (of_property_read_u32(np, "channel-index", &ch->index)) {
		dev_err(dev, "channel-index: missing\n");
		return -EINVAL;
	}
	/*
	 * Only the node's own property: the architecture's default for DMA
	 * masters (coherent on RISC-V from 6.1) says nothing about the
	 * other core, and an uncached mapping is safe either way.
	 */
	ch->coherent = of_property_read_bool(np, "dma-coherent");
	if (of_property_read_string(np, "channel-name", &ch->name))
		ch->name = RPMSG_AMP_CHANNEL_SERVICE;
	of_property_read_u32(np, "vring-num", &num);
	of_property_read_u32(np, "vring-align", &align);
	of_property_read_u32(np, "buffer-size", &bufsz);
	ret = rpmsg_amp_calc_layout(&ch->layout, num, align, bufsz, &why);
	if (ret) {
		if (!strcmp(why, "vring-num"))
			i = num;
		else if (!strcmp(why, "vring-align"))
			i = align;
		else
			i = bufsz;
		dev_err(dev, "%s: invalid value %u (%s)\n", why, i,
			!strcmp(why, "buffer-size") ?
			"multiple of 16, 32..65536" : "power of two");
		return ret;
	}
	if (ch->role == RPMSG_AMP_ROLE_MASTER &&
	    bufsz != RPMSG_AMP_VIRTIO_BUFSZ) {
		dev_err(dev, "buffer-size: %u not supported in the master role, virtio_rpmsg_bus uses %u\n",
			bufsz, RPMSG_AMP_VIRTIO_BUFSZ);
		return -EINVAL;
	}
	ret = rpmsg_amp_read_epts(ch, "misc-dev-endpoints", ch->misc_epts,
				  &ch->n_misc);
	if (ret)
		return ret;
	ret = rpmsg_amp_read_epts(ch, "eth-dev-endpoints", ch->eth_epts,
				  &ch->n_eth);
	if (ret)
		return ret;
	ret = rpmsg_amp_read_epts(ch, "eth-single-message-endpoints",
				  ch->eth1_epts, &ch->n_eth1);
	if (ret)
		return ret;
	for (i = 0; i < ch->n_eth1; i++) {
		unsigned int j;

		for (j = 0; j < ch->n_eth; j++)
			if (ch->eth1_epts[i] == ch->eth_epts[j])
				break;
		if (j == ch->n_eth) {
			dev_err(dev, "eth-single-message-endpoints: address %u not in eth-dev-endpoints\n",
				ch->eth1_epts[i]);
			return -EINVAL;
		}
	}
	/* the other core's reset: the master restarts it with its rings */
	if (of_find_property(np, "resets", NULL)) {
		if (ch->role != RPMSG_AMP_ROLE_MASTER) {
			dev_err(dev, "resets: only the master role resets the other core\n");
			return -EINVAL;
		}
		if (!IS_ENABLED(CONFIG_RESET_CONTROLLER))
			dev_warn(dev, "resets: ignored, the kernel has no CONFIG_RESET_CONTROLLER; the other core is not restarted with its rings\n");
	}
	ch->peer_reset = devm_reset_control_get_optional_exclusive(dev, NULL);
	if (IS_ERR(ch->peer_reset))
		return dev_err_probe(dev, PTR_ERR(ch->peer_reset),
				     "resets: the other core's reset\n");
	/* what the transports count as "drops" when nothing listens */
	for (i = 0; i < ch->n_misc; i++)
		set_bit(ch->misc_epts[i], ch->ept_map);
	for (i = 0; i < ch->n_eth; i++)
		set_bit(ch->eth_epts[i], ch->ept_map);
	for (i = 0; i < ch->n_eth; i++) {
		unsigned int j;

		for (j = 0; j < ch->n_misc; j++) {
			if (ch->eth_epts[i] == ch->misc_epts[j]) {
				dev_err(dev, "eth-dev-endpoints: address %u also in misc-dev-endpoints\n",
					ch->eth_epts[i]);
				return -EINVAL;
			}
		}
	}
	return 0;
}

/*
 * Map a carveout (@what names it in the log): cacheable where the other
 * core's caches are coherent with ours ("dma-coherent"), uncached
 * (write-combining) where they are not, so that neither side needs cache
 * maintenance. The rings' barriers follow (struct rpmsg_amp_ring).
 *
 * Return: the mapping, or an ERR_PTR (logged).
 */
static void *rpmsg_amp_map_region(struct rpmsg_amp_channel *ch,
				  phys_addr_t pa, size_t sz, const char *what)
{
	void *va = devm_memremap(ch->dev, pa, sz, ch->coherent ?
				 MEMREMAP_WB : MEMREMAP_WC);

	if (IS_ERR(va))
		dev_err(ch->dev, "memory-region: cannot map %s %pa\n", what,
			&pa);
	return va;
}

/*
 * The remote's resource table, where the device tree names an "rsc-table"
 * carveout: in the master role it lays out the vrings, in the remote role
 * the channel publishes it (rpmsg_amp_rsc.c).
 */
static int rpmsg_amp_map_rsc(struct rpmsg_amp_channel *ch, int vidx, int bidx)
{
	struct device *dev = ch->dev;
	int idx, ret;

	if (of_property_match_string(dev->of_node, "memory-region-names",
				     "rsc-table") < 0)
		return 0;
	ret = rpmsg_amp_get_region(ch, "rsc-table", -1, &ch->rsc_pa,
				   &ch->rsc_sz, &idx);
	if (ret)
		return ret;
	if (idx == vidx || idx == bidx) {
		dev_err(dev, "memory-region: the rsc-table must be a region of its own\n");
		return -EINVAL;
	}
	ch->rsc_va = rpmsg_amp_map_region(ch, ch->rsc_pa, ch->rsc_sz,
					  "rsc-table");
	if (IS_ERR(ch->rsc_va)) {
		ret = PTR_ERR(ch->rsc_va);
		ch->rsc_va = NULL;
		return ret;
	}
	/* the master's layout is the table's; the remote publishes its own */
	if (ch->role != RPMSG_AMP_ROLE_MASTER)
		return 0;
	ret = rpmsg_amp_rsc_init(ch);
	if (ret)
		ch->rsc_va = NULL;
	return ret;
}

static int rpmsg_amp_map(struct rpmsg_amp_channel *ch)
{
	struct device *dev = ch->dev;
	int vidx, bidx, ret, i;

	ret = rpmsg_amp_get_region(ch, "vring", 0, &ch->vring_pa,
				   &ch->vring_sz, &vidx);
	if (ret)
		return ret;
	ret = rpmsg_amp_get_region(ch, "buffer", 1, &ch->buf_pa, &ch->buf_sz,
				   &bidx);
	if (ret)
		return ret;
	if (vidx == bidx) {
		dev_err(dev, "memory-region: vring and buffer regions must differ\n");
		return -EINVAL;
	}
	ret = rpmsg_amp_map_rsc(ch, vidx, bidx);
	if (ret)
		return ret;
	if (ch->vring_sz < ch->layout.vring_region_need) {
		dev_err(dev, "memory-region: vring carveout too small: %zu bytes, need %zu for vring-num %u\n",
			ch->vring_sz, ch->layout.vring_region_need,
			ch->layout.num);
		return -EINVAL;
	}
	if (ch->buf_sz < ch->layout.buf_region_need) {
		dev_err(dev, "memory-region: buffer carveout too small: %zu bytes, need %zu\n",
			ch->buf_sz, ch->layout.buf_region_need);
		return -EINVAL;
	}
	ch->vring_va = rpmsg_amp_map_region(ch, ch->vring_pa, ch->vring_sz,
					    "vring carveout");
	if (IS_ERR(ch->vring_va))
		return PTR_ERR(ch->vring_va);
	for (i = 0; i < 2; i++) {
		struct vring vr;

		vring_init(&vr, ch->layout.num,
			   ch->vring_va + ch->layout.vring_off[i],
			   ch->layout.align);
		rpmsg_amp_ring_init(&ch->ring[i], &vr, ch->coherent);
	}
	/* the slots of the messages; either role copies in and out of them */
	ch->buf_va = rpmsg_amp_map_region(ch, ch->buf_pa, ch->buf_sz,
					  "buffer carveout");
	if (IS_ERR(ch->buf_va))
		return PTR_ERR(ch->buf_va);
	/* the remote's table, for a master that reads one */
	if (ch->rsc_va && ch->role != RPMSG_AMP_ROLE_MASTER)
		return rpmsg_amp_rsc_publish(ch);
	return 0;
}

static int rpmsg_amp_reserve_index(struct rpmsg_amp_channel *ch)
{
	struct rpmsg_amp_channel *other;

	mutex_lock(&rpmsg_amp_mutex);
	list_for_each_entry(other, &rpmsg_amp_channels, node) {
		if (other->index == ch->index) {
			mutex_unlock(&rpmsg_amp_mutex);
			dev_err(ch->dev, "channel-index: %u already used by %s\n",
				ch->index, dev_name(other->dev));
			return -EBUSY;
		}
	}
	list_add_tail(&ch->node, &rpmsg_amp_channels);
	mutex_unlock(&rpmsg_amp_mutex);
	return 0;
}

static void rpmsg_amp_release_index(struct rpmsg_amp_channel *ch)
{
	mutex_lock(&rpmsg_amp_mutex);
	list_del(&ch->node);
	mutex_unlock(&rpmsg_amp_mutex);
}

static int rpmsg_amp_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct rpmsg_amp_client *client;
	struct rpmsg_amp_channel *ch;
	int ret;

	if (!dev->of_node) {
		dev_err(dev, "needs a device-tree node\n");
		return -EINVAL;
	}
	ch = devm_kzalloc(dev, sizeof(*ch), GFP_KERNEL);
	if (!ch)
		return -ENOMEM;
	ch->dev = dev;
	ch->up = &rpmsg_amp_upcalls;
	spin_lock_init(&ch->rlock);
	rpmsg_amp_link_init(ch);
	INIT_WORK(&ch->peer_work, rpmsg_amp_peer_work);
	spin_lock_init(&ch->peer_ev_lock);
	INIT_LIST_HEAD(&ch->peer_evs);
	init_rwsem(&ch->link_sem);
	init_waitqueue_head(&ch->tx_wq);
	platform_set_drvdata(pdev, ch);

	ret = rpmsg_amp_parse_dt(ch);
	if (ret)
		return ret;
	ret = rpmsg_amp_reserve_index(ch);
	if (ret)
		return ret;
	ch->wq = alloc_workqueue("%s", WQ_UNBOUND | WQ_HIGHPRI, 0,
				 dev_name(dev));
	if (!ch->wq) {
		ret = -ENOMEM;
		goto err_index;
	}
	ret = rpmsg_amp_map(ch);
	if (ret)
		goto err_wq;
	/* before the mailbox: a doorbell may bring the remote's bus up */
	ret = rpmsg_amp_bus_init(ch);
	if (ret)
		goto err_wq;
	ret = rpmsg_amp_doorbell_init(ch);
	if (ret)
		goto err_bus;

	if (ch->role == RPMSG_AMP_ROLE_MASTER) {
		ret = rpmsg_amp_bus_start(ch);
		if (!ret && rpmsg_amp_bus_move(ch, RPMSG_AMP_BUS_STARTING,
					       RPMSG_AMP_BUS_UP))
			rpmsg_amp_link_started(ch);
	} else {
		ret = rpmsg_amp_remote_start(ch);
	}
	if (ret)
		goto err_mbox;

	mutex_lock(&rpmsg_amp_mutex);
	ch->online = true;
	list_for_each_entry(client, &rpmsg_amp_clients, node)
		rpmsg_amp_client_add(client, ch);
	mutex_unlock(&rpmsg_amp_mutex);

	dev_info(dev, "channel %u (%s), %s role, vrings %pa, buffers %pa, %u x %u bytes, %s\n",
		 ch->index, ch->name, rpmsg_amp_role_name(ch->role),
		 &ch->vring_pa, &ch->buf_pa, ch->layout.num,
		 ch->layout.buf_size,
		 ch->coherent ? "coherent" : "not coherent (uncached)");
	return 0;

err_mbox:
	/* in the order of rpmsg_amp_platform_remove() */
	rpmsg_amp_link_stop(ch);
	rpmsg_amp_bus_stop(ch);
	rpmsg_amp_doorbell_free(ch);
	cancel_work_sync(&ch->rx_work);
	flush_work(&ch->peer_work);
	destroy_workqueue(ch->wq);
	ch->wq = NULL;
	rpmsg_amp_bus_put(ch);
err_bus:
	rpmsg_amp_bus_free(ch);
err_wq:
	if (ch->wq)
		destroy_workqueue(ch->wq);
err_index:
	rpmsg_amp_release_index(ch);
	return ret;
}

static void rpmsg_amp_platform_remove(struct platform_device *pdev)
{
	struct rpmsg_amp_channel *ch = platform_get_drvdata(pdev);
	struct rpmsg_amp_client *client;

	/* no link rebuild from now on; finish one that is running */
	rpmsg_amp_link_stop(ch);

	mutex_lock(&rpmsg_amp_mutex);
	list_for_each_entry_reverse(client, &rpmsg_amp_clients, node)
		client->remove(ch);
	ch->online = false;
	mutex_unlock(&rpmsg_amp_mutex);

	if (ch->role == RPMSG_AMP_ROLE_REMOTE)
		rpmsg_amp_remote_stop(ch);
	rpmsg_amp_bus_stop(ch);

	rpmsg_amp_doorbell_free(ch);
	cancel_work_sync(&ch->rx_work);
	/* the withdrawals queued while the virtio device went away */
	flush_work(&ch->peer_work);
	/* nothing may run after this: drain what is left */
	destroy_workqueue(ch->wq);
	ch->wq = NULL;
	rpmsg_amp_bus_put(ch);
	rpmsg_amp_bus_free(ch);
	rpmsg_amp_release_index(ch);
}

RPMSG_AMP_PLATFORM_REMOVE(rpmsg_amp_platform_remove_op, rpmsg_amp_platform_remove)

static const struct of_device_id rpmsg_amp_of_match[] = {
	{ .compatible = "linux,rpmsg-amp" },
	{ }
};
MODULE_DEVICE_TABLE(of, rpmsg_amp_of_match);

static struct platform_driver rpmsg_amp_driver = {
	.probe = rpmsg_amp_probe,
	.remove = rpmsg_amp_platform_remove_op,
	.driver = {
		.name = "rpmsg_amp",
		.of_match_table = rpmsg_amp_of_match,
		.dev_groups = rpmsg_amp_groups,
	},
};

static int __init rpmsg_amp_init(void)
{
	int ret;

	ret = rpmsg_amp_bus_register();
	if (ret)
		return ret;
	rpmsg_amp_rsc_debugfs_init();
	ret = platform_driver_register(&rpmsg_amp_driver);
	if (ret) {
		rpmsg_amp_rsc_debugfs_exit();
		rpmsg_amp_bus_unregister();
	}
	return ret;
}
module_init(rpmsg_amp_init);

static void __exit rpmsg_amp_exit(void)
{
	platform_driver_unregister(&rpmsg_amp_driver);
	rpmsg_amp_rsc_debugfs_exit();
	rpmsg_amp_bus_unregister();
}
module_exit(rpmsg_amp_exit);

MODULE_DESCRIPTION("RPMsg over a shared-memory carveout and a mailbox");
MODULE_AUTHOR("rpmsg_amp developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(RPMSG_AMP_VERSION);

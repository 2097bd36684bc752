// SPDX-License-Identifier: GPL-2.0
/*
 * rpmsg_amp_net - ethtool, and the statistics ip -s link shows
 */
#include <linux/ethtool.h>
#include <linux/netdevice.h>
#include <linux/rpmsg_amp.h>
#include <linux/rpmsg_amp_compat.h>

#include "rpmsg_amp_net.h"

static const char ran_cause_names[RAN_N_CAUSES][ETH_GSTRING_LEN] = {
	"rx_bad_length", "rx_queue_full", "rx_no_memory", "rx_interface_down",
	"rx_frag_malformed", "rx_frag_unexpected", "rx_frag_incomplete",
	"rx_frag_timeout",
	"tx_too_long", "tx_no_carrier", "tx_send_errors", "tx_offload_errors",
	"tx_purged", "tx_peer_stalled", "tx_ring_full_waits",
	"tx_no_link_waits", "tx_timeouts",
	"rx_fragments", "tx_fragments", "rx_csum_partial", "tx_csum_partial",
	"rx_gso_packets", "tx_gso_packets",
};

static u64 ran_sum(struct ran_priv *p, enum ran_cause first,
		   enum ran_cause last)
{
	u64 n = 0;

	while (first <= last)
		n += atomic64_read(&p->cause[first++]);
	return n;
}

/* What ip -s link shows: the per-CPU counts of frames, and the causes
 * summed into the standard error and drop counts (frame errors are the
 * fragments refused and the frames abandoned).
 */
void ran_get_stats64(struct net_device *ndev, struct rtnl_link_stats64 *s)
{
	struct ran_priv *p = netdev_priv(ndev);
	int cpu;

	for_each_possible_cpu(cpu) {
		const struct ran_pcpu_stats *st = per_cpu_ptr(p->stats, cpu);
		u64 rxp, rxb, txp, txb;
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&st->syncp);
			rxp = u64_stats_read(&st->rx_packets);
			rxb = u64_stats_read(&st->rx_bytes);
			txp = u64_stats_read(&st->tx_packets);
			txb = u64_stats_read(&st->tx_bytes);
		} while (u64_stats_fetch_retry(&st->syncp, start));
		s->rx_packets += rxp;
		s->rx_bytes += rxb;
		s->tx_packets += txp;
		s->tx_bytes += txb;
	}
	s->rx_length_errors = ran_sum(p, RAN_RX_BAD_LENGTH, RAN_RX_BAD_LENGTH);
	s->rx_frame_errors = ran_sum(p, RAN_RX_FRAG_MALFORMED,
				     RAN_RX_FRAG_TIMEOUT);
	s->rx_errors = s->rx_length_errors + s->rx_frame_errors;
	s->rx_dropped = ran_sum(p, RAN_RX_QUEUE_FULL, RAN_RX_DOWN);
	s->tx_errors = ran_sum(p, RAN_TX_TOO_LONG, RAN_TX_TOO_LONG) +
		       ran_sum(p, RAN_TX_SEND_ERRORS, RAN_TX_OFFLOAD_ERRORS);
	s->tx_dropped = ran_sum(p, RAN_TX_NO_CARRIER, RAN_TX_NO_CARRIER) +
			ran_sum(p, RAN_TX_PURGED, RAN_TX_PEER_STALLED);
}

static void ran_get_drvinfo(struct net_device *ndev,
			    struct ethtool_drvinfo *info)
{
	struct ran_priv *p = netdev_priv(ndev);

	strscpy(info->driver, DRV_NAME, sizeof(info->driver));
	strscpy(info->version, DRV_VERSION, sizeof(info->version));
	strscpy(info->bus_info, p->bus_info, sizeof(info->bus_info));
}

static int ran_get_sset_count(struct net_device *ndev, int sset)
{
	return sset == ETH_SS_STATS ? RAN_N_CAUSES : -EOPNOTSUPP;
}

static void ran_get_strings(struct net_device *ndev, u32 sset, u8 *data)
{
	if (sset == ETH_SS_STATS)
		memcpy(data, ran_cause_names, sizeof(ran_cause_names));
}

static void ran_get_ethtool_stats(struct net_device *ndev,
				  struct ethtool_stats *stats, u64 *data)
{
	struct ran_priv *p = netdev_priv(ndev);
	int i;

	for (i = 0; i < RAN_N_CAUSES; i++)
		data[i] = atomic64_read(&p->cause[i]);
}

/* The queues of this driver: read-only, the ring is the channel's. */
static void ran_ringparam(struct net_device *ndev,
			  struct ethtool_ringparam *ring)
{
	ring->rx_max_pending = RAN_RXQ_MAX;
	ring->rx_pending = RAN_RXQ_MAX;
	ring->tx_max_pending = RAN_TXQ_STOP;
	ring->tx_pending = RAN_TXQ_STOP;
}

RPMSG_AMP_GET_RINGPARAM(ran_get_ringparam, ran_ringparam)

const struct ethtool_ops ran_ethtool_ops = {
	.get_drvinfo = ran_get_drvinfo,
	.get_link = ethtool_op_get_link,
	.get_sset_count = ran_get_sset_count,
	.get_strings = ran_get_strings,
	.get_ethtool_stats = ran_get_ethtool_stats,
	.get_ringparam = ran_get_ringparam,
};

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rpmsg_amp_net - what the files of the net driver share: a port (struct
 * ran_priv), its counters, and the calls between the files
 *
 * rpmsg_amp_net_main.c  ports: their net devices, where they come from
 *                       (device tree, rpmsg devices), carrier, module
 * rpmsg_amp_net_rx.c    receive: reassembly, NAPI
 * rpmsg_amp_net_tx.c    transmit: the queue, the work that sends,
 *                       offloads, announcements
 * rpmsg_amp_net_ethtool.c  ethtool and the statistics
 * rpmsg_amp_net_wire.h  the fragment header
 */
#ifndef _RPMSG_AMP_NET_H
#define _RPMSG_AMP_NET_H

#include <linux/atomic.h>
#include <linux/ethtool.h>
#include <linux/netdevice.h>
#include <linux/rpmsg.h>
#include <linux/rpmsg_amp.h>
#include <linux/rwsem.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <linux/u64_stats_sync.h>
#include <linux/virtio_net.h>
#include <linux/workqueue.h>

#define DRV_NAME	"rpmsg_amp_net"
#define DRV_VERSION	RPMSG_AMP_VERSION
#define RAN_TXQ_STOP	64	/* frames queued before the queue stops */
#define RAN_RXQ_MAX	1024	/* frames waiting for NAPI before drops */
/* A bus that cannot tell its MTU (or a kernel before 5.14): 512 - 16. */
#define RAN_DEF_PAYLOAD	496
#define RAN_FRAG_MTU	65535	/* largest MTU with fragments */
#define RAN_FRAG_ROOM	64	/* least payload a fragment may carry */
#define RAN_REASM_TIMEOUT HZ	/* a frame's fragments come within this */
/* TSO: TCP packets of up to 64 KiB cross whole when the other side takes
 * them (ran_features_check()); otherwise the stack cuts them first.
 */
#define RAN_FEATURES	(NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_RXCSUM | \
			 NETIF_F_HIGHDMA | NETIF_F_TSO | NETIF_F_TSO6 | \
			 NETIF_F_TSO_ECN)
#define RAN_GSO_TYPES	(SKB_GSO_TCPV4 | SKB_GSO_TCPV6 | SKB_GSO_TCP_ECN)

enum {
	RAN_ANNOUNCE,		/* our announcement is still to be sent */
	RAN_ANNOUNCED,		/* it was sent: withdraw it when we go */
	RAN_TX_STALLED,		/* transmit timed out: drop until the other
				 * core takes a message again
				 */
};

/* ethtool -S, in this order: drops and waits by cause, then events. */
enum ran_cause {
	RAN_RX_BAD_LENGTH,	/* shorter than a header, longer than the MTU */
	RAN_RX_QUEUE_FULL,	/* RAN_RXQ_MAX frames waited for NAPI */
	RAN_RX_NO_MEMORY,
	RAN_RX_DOWN,		/* the interface is down */
	RAN_RX_FRAG_MALFORMED,	/* a fragment header that cannot be right */
	RAN_RX_FRAG_UNEXPECTED,	/* lost, duplicated or reordered fragment */
	RAN_RX_FRAG_INCOMPLETE,	/* frames whose reassembly was abandoned */
	RAN_RX_FRAG_TIMEOUT,	/* ... because they took too long */
	RAN_TX_TOO_LONG,	/* over the MTU */
	RAN_TX_NO_CARRIER,
	RAN_TX_SEND_ERRORS,	/* the bus refused the message */
	RAN_TX_OFFLOAD_ERRORS,	/* an offload the other side cannot take */
	RAN_TX_PURGED,		/* queued when the interface went down, or
				 * when the transmit timed out
				 */
	RAN_TX_PEER_STALLED,	/* sent while the other core takes nothing */
	RAN_TX_RING_FULL,	/* waits for a transmit buffer */
	RAN_TX_NO_LINK,		/* waits for the channel's bus */
	RAN_TX_TIMEOUTS,	/* the watchdog found the queue stuck */
	RAN_RX_FRAGMENTS,	/* messages of framed ports */
	RAN_TX_FRAGMENTS,
	RAN_RX_CSUM_PARTIAL,	/* frames whose checksum the other side left */
	RAN_TX_CSUM_PARTIAL,	/* frames whose checksum we left */
	RAN_RX_GSO,		/* TCP packets that came uncut */
	RAN_TX_GSO,
	RAN_N_CAUSES
};

/* The counters of every frame, per CPU. */
struct ran_pcpu_stats {
	u64_stats_t rx_packets, rx_bytes, tx_packets, tx_bytes;
	struct u64_stats_sync syncp;
};

struct ran_priv {
	struct net_device *ndev;
	struct list_head node;		/* ran_ports, under ran_lock */
	int index;			/* N */
	u32 addr;			/* M */
	unsigned long flags;
	char bus_info[ETHTOOL_BUSINFO_LEN];
	struct device *log;		/* errors are logged against it */
	bool frag;			/* framing: fragments, or one per message */
	size_t payload;			/* bytes a message carries */

	/* a port of the device tree: its channel, on ran_dt_ports */
	struct rpmsg_amp_channel *ch;
	struct list_head dt_node;
	/* a port of an rpmsg device: freed by this work */
	struct work_struct free_work;

	struct rw_semaphore sem;	/* rpept in use; dead */
	struct rpmsg_endpoint *rpept;	/* NULL while there is none */
	bool dead;
	struct rpmsg_amp_tx_waiter txw;	/* armed under sem */

	/* receive: reassembly, and whether frames are taken */
	spinlock_t rx_lock;
	bool rx_up;			/* the interface is up */
	struct sk_buff *rx_skb;		/* the frame being reassembled */
	u32 rx_len;			/* its length */
	u16 rx_seq;			/* its number */
	u16 rx_skip_seq;		/* the frame we had no memory for */
	bool rx_skip;
	struct virtio_net_hdr rx_vnet;	/* its offloads */
	unsigned long rx_start;		/* jiffies of its first fragment */
	bool peer_offload_ok;		/* the peer takes frames with offloads */

	/* transmit, in the work: the message being built */
	u8 *txbuf;
	u32 tx_off;			/* of the head frame, sent so far */
	u16 tx_seq;

	struct napi_struct napi;
	struct sk_buff_head rxq;
	struct sk_buff_head txq;
	struct work_struct tx_work;

	struct ran_pcpu_stats __percpu *stats;
	atomic64_t cause[RAN_N_CAUSES];
};

/* the transmit work's queue (rpmsg_amp_net_tx.c) */
extern struct workqueue_struct *ran_wq;
extern const struct ethtool_ops ran_ethtool_ops;

static inline const char *ran_service(bool frag)
{
	return frag ? RPMSG_AMP_NET_FRAG_SERVICE : RPMSG_AMP_NET_SERVICE;
}

static inline void ran_count(struct ran_priv *p, enum ran_cause c)
{
	atomic64_inc(&p->cause[c]);
}

/* rpmsg_amp_net_rx.c */
int ran_rpmsg_rx(struct rpmsg_device *rpdev, void *data, int len, void *priv,
		 u32 src);
int ran_poll(struct napi_struct *napi, int budget);
void ran_rx_set_up(struct ran_priv *p, bool up);

/* rpmsg_amp_net_tx.c */
netdev_tx_t ran_start_xmit(struct sk_buff *skb, struct net_device *ndev);
netdev_features_t ran_features_check(struct sk_buff *skb,
				     struct net_device *ndev,
				     netdev_features_t features);
void ran_tx_work(struct work_struct *work);
void ran_tx_wake(struct rpmsg_amp_tx_waiter *w);
bool ran_tx_pending(struct ran_priv *p);
void ran_queue_announce(struct ran_priv *p);
void ran_purge(struct ran_priv *p);
void ran_tx_timeout(struct net_device *ndev, unsigned int txqueue);

/* rpmsg_amp_net_ethtool.c */
void ran_get_stats64(struct net_device *ndev, struct rtnl_link_stats64 *s);

#endif /* _RPMSG_AMP_NET_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rpmsg_amp - structures shared by the files of the core module
 */
#ifndef _RPMSG_AMP_INTERNAL_H
#define _RPMSG_AMP_INTERNAL_H

#include <linux/atomic.h>
#include <linux/mailbox_client.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/bitmap.h>
#include <linux/rpmsg_amp.h>
#include <linux/spinlock.h>
#include <linux/virtio.h>
#include <linux/virtio_ring.h>
#include <linux/wait.h>

struct reset_control;

#include "rpmsg_amp_ring.h"
#include <linux/workqueue.h>

#include "rpmsg_amp_lib.h"

struct virtqueue;
struct rpmsg_endpoint;

/**
 * struct rpmsg_amp_stats - per-channel counters, shown in sysfs
 * @irq_in: doorbells received
 * @irq_out: doorbells sent
 * @rx_msgs: messages delivered to local endpoints
 * @tx_msgs: messages sent
 * @rx_bytes: payload bytes delivered
 * @tx_bytes: payload bytes sent
 * @drops: messages dropped (no endpoint, queue full)
 * @rejects: malformed items from the other core refused
 * @restarts: master role: times the link was torn down and rebuilt
 * @hellos: master role: doorbells rung while no remote had announced itself
 */
struct rpmsg_amp_stats {
	atomic64_t irq_in;
	atomic64_t irq_out;
	atomic64_t rx_msgs;
	atomic64_t tx_msgs;
	atomic64_t rx_bytes;
	atomic64_t tx_bytes;
	atomic64_t drops;
	atomic64_t rejects;
	atomic64_t restarts;
	atomic64_t hellos;
};

/* Master role: how long a broken link stays down before it is rebuilt. */
#define RPMSG_AMP_RESTART_MIN_MS	100
#define RPMSG_AMP_RESTART_MAX_MS	5000
/* Master role: doorbells until the remote announces itself, this apart. */
#define RPMSG_AMP_HELLO_MIN_MS		10
#define RPMSG_AMP_HELLO_MAX_MS		1000

/**
 * struct rpmsg_amp_doorbell - outgoing doorbells (rpmsg_amp_doorbell.c)
 * @flags: KICK_PENDING, KICK_AGAIN
 * @msg: what is sent (controllers that want a message get this)
 * @txdone_by_ack: the controller cannot tell when a doorbell was taken
 *	(neither txdone_irq nor txdone_poll: the mailbox framework's
 *	TXDONE_BY_ACK) and leaves that to the client
 */
struct rpmsg_amp_doorbell {
	unsigned long flags;
	u64 msg;
	bool txdone_by_ack;
};

struct rpmsg_device;

/**
 * enum rpmsg_amp_rlink - the remote role's view of the master
 * @RPMSG_AMP_RLINK_DOWN: no master (not started, or stopped in order);
 *	the link comes up when it has posted receive buffers
 * @RPMSG_AMP_RLINK_UP: linked: our indices follow the master's
 * @RPMSG_AMP_RLINK_BROKEN: the master's indices made no sense; it must
 *	restart (zero the rings) before we link again
 * @RPMSG_AMP_RLINK_STOPPED: we are going away: the rings are not touched
 */
enum rpmsg_amp_rlink {
	RPMSG_AMP_RLINK_DOWN,
	RPMSG_AMP_RLINK_UP,
	RPMSG_AMP_RLINK_BROKEN,
	RPMSG_AMP_RLINK_STOPPED,
};

/**
 * enum rpmsg_amp_bus_state - the channel's rpmsg bus, both roles
 * @RPMSG_AMP_BUS_STARTING: being built (probe, or a rebuild running);
 *	endpoints created meanwhile are opened when it is up
 * @RPMSG_AMP_BUS_UP: running
 * @RPMSG_AMP_BUS_BROKEN: master: the shared rings broke; the rx work
 *	tears the bus down
 * @RPMSG_AMP_BUS_RESTING: master: torn down; restart_dwork ends the
 *	back-off (the rings stay zeroed meanwhile, so a restarting remote
 *	sees the master go)
 * @RPMSG_AMP_BUS_DUE: master: back-off over; the rx work rebuilds
 * @RPMSG_AMP_BUS_DOWN: remote: the master went; the bus is back when it
 *	posts its buffers again
 * @RPMSG_AMP_BUS_DYING: the channel is being removed: no more rebuilds
 *
 * In ch->bus_state, under ch->bus_lock. Moves:
 *
 *   STARTING -> UP                 probe, or a rebuild that worked
 *   STARTING, UP -> BROKEN         rpmsg_amp_link_broken() (master)
 *   BROKEN -> RESTING -> DUE       rx work, then restart_dwork (master)
 *   DUE -> STARTING -> RESTING     a rebuild that failed (master)
 *   STARTING, UP -> DOWN -> UP     the master went and came back (remote)
 *   any -> DYING                   removal
 *
 * Only the rx work moves out of BROKEN, DUE and DOWN, only restart_dwork
 * out of RESTING, and restart_dwork is queued only under bus_lock and
 * never after DYING: removal cancels it once and it stays cancelled.
 */
enum rpmsg_amp_bus_state {
	RPMSG_AMP_BUS_STARTING,
	RPMSG_AMP_BUS_UP,
	RPMSG_AMP_BUS_BROKEN,
	RPMSG_AMP_BUS_RESTING,
	RPMSG_AMP_BUS_DUE,
	RPMSG_AMP_BUS_DOWN,
	RPMSG_AMP_BUS_DYING,
};

/**
 * struct rpmsg_amp_upcalls - how a transport reaches the channel's core
 * @peer_set: the other side came or went
 * @link_up: the channel's rpmsg bus is up; the clients open their
 *	endpoints on @rpdev (called with link_sem held for writing)
 * @link_down: the bus goes; the clients close their endpoints first
 *	(link_sem held for writing)
 *
 * Set by the core before a transport starts; the transports know the core
 * only through these.
 */
struct rpmsg_amp_upcalls {
	void (*peer_set)(struct rpmsg_amp_channel *ch, bool up);
	void (*link_up)(struct rpmsg_amp_channel *ch,
			struct rpmsg_device *rpdev);
	void (*link_down)(struct rpmsg_amp_channel *ch);
};

struct rpmsg_amp_channel {
	struct device *dev;
	const struct rpmsg_amp_upcalls *up;
	struct list_head node;
	int role;
	u32 index;
	const char *name;
	struct rpmsg_amp_layout layout;

	bool coherent;		/* device tree "dma-coherent" */
	phys_addr_t vring_pa;
	size_t vring_sz;
	void *vring_va;
	phys_addr_t buf_pa;
	size_t buf_sz;
	void *buf_va;
	struct device *msgdev;		/* master: virtio_rpmsg_bus's buffers */
	/*
	 * the remote's resource table, if the device tree has one: read
	 * (master role) or published (remote role)
	 */
	phys_addr_t rsc_pa;
	size_t rsc_sz;
	void *rsc_va;
	struct rpmsg_amp_rsc_info rsc_info;
	struct rpmsg_amp_trace {
		const char *va;
		u32 len;
	} trace[RPMSG_AMP_RSC_MAX_TRACE];	/* the remote's, in rsc-table */

	struct mbox_client mbox_cl;
	struct mbox_chan *tx_chan;
	struct mbox_chan *rx_chan;
	struct rpmsg_amp_doorbell db;

	u32 misc_epts[RPMSG_AMP_MAX_EPTS];
	unsigned int n_misc;
	u32 eth_epts[RPMSG_AMP_MAX_EPTS];
	unsigned int n_eth;
	u32 eth1_epts[RPMSG_AMP_MAX_EPTS];	/* of them, one frame/message */
	unsigned int n_eth1;

	struct rpmsg_amp_stats stats;

	/* the addresses of the two lists: messages to others are "drops" */
	DECLARE_BITMAP(ept_map, RPMSG_AMP_RESERVED_ADDRS);

	/*
	 * The channel's own work queue (high priority): rx_work, peer_work
	 * and restart_dwork run there, and removal destroys it, which
	 * drains whatever is still queued.
	 */
	struct workqueue_struct *wq;
	struct work_struct rx_work;
	wait_queue_head_t tx_wq;	/* woken on every doorbell */
	bool online;		/* transport up, clients added */
	/* the anchor while the clients have it; under rpmsg_amp_mutex */
	struct rpmsg_device *linked;
	bool peer_up;		/* the other side has announced itself */
	/*
	 * master role: announcements and withdrawals of the other side's
	 * services, in order, handed from the rpmsg core's receive path
	 * (which holds the name-service endpoint's cb_lock) to peer_work
	 */
	spinlock_t peer_ev_lock;
	struct list_head peer_evs;
	struct work_struct peer_work;

	/* master role */
	struct rpmsg_amp_vdev *avdev;
	struct rpmsg_device *anchor;	/* rpmsg device endpoints hang off */
	/* avdev, anchor, anchor_pending: under link_sem */
	/*
	 * virtio_rpmsg_bus made no device of its own (it has none before
	 * 5.11): the first service the other side announces is the anchor,
	 * and endpoints are opened then.  Set with avdev, cleared with
	 * anchor.
	 */
	bool anchor_pending;
	struct rw_semaphore link_sem;
	struct delayed_work restart_dwork;
	spinlock_t bus_lock;	/* bus_state, restart_n, hello_n */
	enum rpmsg_amp_bus_state bus_state;
	unsigned int restart_n;	/* restarts since the peer was last up */
	struct reset_control *peer_reset;	/* the other core's; or NULL */
	int wdog_irq;		/* the other core's watchdog; or 0 */
	struct delayed_work hello_dwork;
	unsigned int hello_n;	/* doorbells since the bus came up */

	/* vring 0 (master receive) and 1 (master transmit), both roles */
	struct rpmsg_amp_ring ring[2];

	/* remote role (rpmsg_amp_remote.c): the rings' device side */
	spinlock_t rlock;	/* ring[] indices, the fields below */
	enum rpmsg_amp_rlink rlink;
	bool link_lost;		/* went down since rx_work last looked */
	bool reset_marked;	/* our reset waits for the master's rebuild */
	bool inject_peer;	/* tell the private bus that the master is up */
	bool rx_starved;	/* waiting for private receive buffers */
};

/**
 * struct rpmsg_amp_svq - a private shadow of one shared vring
 * @vr: the private ring virtio_ring drives
 * @mem: its memory
 * @size: its size
 * @sh: the shared ring (ch->ring[i])
 * @lock: protects the fields below
 * @pub: available entries copied to the shared ring
 * @used: used entries taken from the shared ring
 * @outstanding: buffers posted and not yet returned
 * @posted: bitmap of descriptor heads posted and not yet returned
 * @dev: remote role: the device side of the private ring
 *
 * In the remote role only @vr, @mem, @size and @dev are used.
 */
struct rpmsg_amp_svq {
	struct vring vr;
	void *mem;
	size_t size;
	struct rpmsg_amp_ring *sh;
	spinlock_t lock;		/* pub, used, outstanding, posted */
	u16 pub;
	u16 used;
	unsigned int outstanding;
	unsigned long *posted;
	struct rpmsg_amp_ring dev;
};

struct rpmsg_amp_vdev {
	struct virtio_device vdev;
	struct rpmsg_amp_channel *ch;
	/*
	 * vqs, stopped, status.  The rx work runs the vrings without it:
	 * whoever stops them sets stopped, then waits for the rx work
	 * (rpmsg_amp_vdev_quiesce()), so no mutex is held across dispatch.
	 */
	spinlock_t state_lock;
	struct virtqueue *vqs[2];
	struct rpmsg_amp_svq svq[2];
	unsigned int rx_free_base;	/* vqs[0]->num_free with all posted */
	bool stopped;
	bool broken;		/* under svq[1].lock and svq[0].lock */
	u8 status;
	/*
	 * services announced, for the flood guard; under svq[0].lock
	 * (master), in the rx work (remote)
	 */
	struct rpmsg_amp_ns_table seen;
};

/* Count one message of @len bytes, header included, in a pair of stats. */
static inline void rpmsg_amp_count(atomic64_t *msgs, atomic64_t *bytes,
				   u32 len)
{
	atomic64_inc(msgs);
	if (len > RPMSG_AMP_HDR_SIZE)
		atomic64_add(len - RPMSG_AMP_HDR_SIZE, bytes);
}

/*
 * The link is broken (master role): have it torn down and rebuilt by the
 * rx work (rpmsg_amp_rx_work()). Any context. False if it was not live
 * (being rebuilt already, or not started).
 */
static inline bool rpmsg_amp_link_broken(struct rpmsg_amp_channel *ch)
{
	unsigned long flags;
	bool broke;

	spin_lock_irqsave(&ch->bus_lock, flags);
	broke = ch->bus_state == RPMSG_AMP_BUS_STARTING ||
		ch->bus_state == RPMSG_AMP_BUS_UP;
	if (broke)
		ch->bus_state = RPMSG_AMP_BUS_BROKEN;
	spin_unlock_irqrestore(&ch->bus_lock, flags);
	queue_work(ch->wq, &ch->rx_work);
	return broke;
}

/* the largest payload one message carries */
static inline size_t rpmsg_amp_payload_max(const struct rpmsg_amp_channel *ch)
{
	return ch->layout.buf_size - RPMSG_AMP_HDR_SIZE;
}

int rpmsg_amp_doorbell_init(struct rpmsg_amp_channel *ch);
void rpmsg_amp_doorbell_free(struct rpmsg_amp_channel *ch);
void rpmsg_amp_kick(struct rpmsg_amp_channel *ch);

/* rpmsg_amp_link.c */
void rpmsg_amp_link_init(struct rpmsg_amp_channel *ch);
void rpmsg_amp_link_stop(struct rpmsg_amp_channel *ch);
void rpmsg_amp_link_hello(struct rpmsg_amp_channel *ch);
void rpmsg_amp_link_started(struct rpmsg_amp_channel *ch);
bool rpmsg_amp_bus_move(struct rpmsg_amp_channel *ch,
			enum rpmsg_amp_bus_state from,
			enum rpmsg_amp_bus_state to);

/* rpmsg_amp_rsc.c */
void rpmsg_amp_rsc_debugfs_init(void);
void rpmsg_amp_rsc_debugfs_exit(void);
int rpmsg_amp_rsc_init(struct rpmsg_amp_channel *ch);
int rpmsg_amp_rsc_sync(struct rpmsg_amp_channel *ch, u64 features);
void rpmsg_amp_rsc_status(struct rpmsg_amp_channel *ch, u8 status);
int rpmsg_amp_rsc_publish(struct rpmsg_amp_channel *ch);
bool rpmsg_amp_rsc_master_ok(struct rpmsg_amp_channel *ch);

/* rpmsg_amp_virtio.c */
void rpmsg_amp_peer_work(struct work_struct *work);
int rpmsg_amp_bus_init(struct rpmsg_amp_channel *ch);
int rpmsg_amp_bus_start(struct rpmsg_amp_channel *ch);
void rpmsg_amp_bus_free(struct rpmsg_amp_channel *ch);
int rpmsg_amp_bus_up(struct rpmsg_amp_channel *ch);
void rpmsg_amp_bus_down(struct rpmsg_amp_channel *ch);
void rpmsg_amp_bus_stop(struct rpmsg_amp_channel *ch);
void rpmsg_amp_bus_put(struct rpmsg_amp_channel *ch);
void rpmsg_amp_bus_rx(struct rpmsg_amp_channel *ch);
bool rpmsg_amp_bus_tx_ready(struct rpmsg_amp_channel *ch);
struct rpmsg_amp_channel *rpmsg_amp_bus_channel(struct rpmsg_device *rpdev);
int rpmsg_amp_bus_register(void);
void rpmsg_amp_bus_unregister(void);

bool rpmsg_amp_master_publish(struct rpmsg_amp_vdev *avdev, int i);
bool rpmsg_amp_master_harvest(struct rpmsg_amp_vdev *avdev, int i);

/* rpmsg_amp_remote_poll() */
#define RPMSG_AMP_LINK_LOST	BIT(0)
#define RPMSG_AMP_LINK_UP	BIT(1)

int rpmsg_amp_remote_start(struct rpmsg_amp_channel *ch);
void rpmsg_amp_remote_stop(struct rpmsg_amp_channel *ch);
unsigned int rpmsg_amp_remote_poll(struct rpmsg_amp_channel *ch);
void rpmsg_amp_remote_attach(struct rpmsg_amp_channel *ch);
unsigned int rpmsg_amp_remote_to_master(struct rpmsg_amp_channel *ch,
					struct rpmsg_amp_ring *ltx);
unsigned int rpmsg_amp_remote_to_local(struct rpmsg_amp_channel *ch,
				       struct rpmsg_amp_ring *lrx,
				       struct rpmsg_amp_ns_table *seen);
unsigned int rpmsg_amp_remote_tx_inflight(struct rpmsg_amp_ring *ltx);

#endif /* _RPMSG_AMP_INTERNAL_H */

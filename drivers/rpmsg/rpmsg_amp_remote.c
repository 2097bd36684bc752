// SPDX-License-Identifier: GPL-2.0
/*
 * rpmsg_amp - remote role: Linux as the device side of the master's vrings
 *
 * The kernel's own rpmsg core serves the remote role as it serves the
 * master's: the channel registers a virtio device for virtio_rpmsg_bus
 * (rpmsg_amp_virtio.c) whose two vrings are private, and this file is the
 * device side of both those private rings and the master's shared ones,
 * copying each message across:
 *
 *  - shared vring 1 (the master's transmit buffers) -> private vring 0
 *    (virtio_rpmsg_bus's receive buffers): copied, then checked in the
 *    private copy (rpmsg_amp_rx_verify()), so the rpmsg core reads only
 *    what was checked;
 *  - private vring 1 (virtio_rpmsg_bus's transmit buffers) -> shared
 *    vring 0 (the master's receive buffers).
 *
 * The rings are run with the ring engine (rpmsg_amp_ring.c): every value
 * of a shared ring is checked against a rule, those of a private ring are
 * virtio_ring's own.
 *
 * All ring fields are little-endian (VIRTIO_F_VERSION_1). The master owns the
 * shared rings: it zeroes them when it starts and when it stops. We consider
 * the master present once it has posted receive buffers (avail != used on
 * vring 0), take our indices from the used rings at that point, and announce
 * RPMSG_AMP_CHANNEL_SERVICE through the name service. Indices that stop
 * making sense (a master restart, or corruption) take the link down; it comes
 * back up when the master posts buffers again. rpmsg_amp_remote_poll() says
 * which, and the channel brings the private bus up and down to match; the
 * private bus learns that the master is there from an announcement of
 * RPMSG_AMP_CHANNEL_SERVICE at RPMSG_AMP_CHANNEL_ADDR made up here, as the
 * master learns it from ours.
 */
#include <linux/device.h>
#include <linux/io.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/virtio_ring.h>

#include "rpmsg_amp_internal.h"

static void rpmsg_amp_reject(struct rpmsg_amp_channel *ch, const char *what,
			     u32 a, u64 b)
{
	atomic64_inc(&ch->stats.rejects);
	dev_err_ratelimited(ch->dev, "rejected from the other core: %s (%u, 0x%llx)\n",
			    what, a, (unsigned long long)b);
}

static bool rpmsg_amp_master_ready(struct rpmsg_amp_channel *ch)
{
	struct rpmsg_amp_ring *r = &ch->ring[0];

	return rpmsg_amp_rsc_master_ok(ch) &&
	       rd16(&r->avail->idx) != rd16(&r->used->idx);
}

/*
 * The master zeroes the rings when it stops, and rings the doorbell; with
 * a resource table its status byte loses DRIVER_OK first.
 */
static bool rpmsg_amp_master_stopped(struct rpmsg_amp_channel *ch)
{
	struct rpmsg_amp_ring *r = &ch->ring[0];

	return !rpmsg_amp_rsc_master_ok(ch) ||
	       (!rd16(&r->avail->idx) && !rd16(&r->used->idx));
}

/*
 * Only we write the used index of vring 0 (RPMsg-Lite's master writes that
 * of vring 1 when it starts, see rpmsg_amp_link_sync()). Zero while our
 * copy is not: the master built its rings again while our receive work was
 * not looking, so that we never saw them stopped.
 */
static bool rpmsg_amp_master_restarted(struct rpmsg_amp_channel *ch)
{
	return !rd16(&ch->ring[0].used->idx) && ch->ring[0].used_idx;
}

/*
 * After our reset (rpmsg_amp_remote_start()): the mark we left in the last
 * entry of vring 0's used ring, which no one reads while the used index is
 * 0, is gone. Only the master's zeroing of the carveout clears it, so the
 * master has built its rings again even if we never saw them zeroed (with
 * a resource table it does not pause before it builds them again).
 */
#define RPMSG_AMP_RESET_MARK	0xffffffffU

static bool rpmsg_amp_master_rebuilt(struct rpmsg_amp_channel *ch)
{
	struct rpmsg_amp_ring *r = &ch->ring[0];

	return ch->reset_marked &&
	       rd32(&r->used->ring[r->num - 1].id) != RPMSG_AMP_RESET_MARK;
}

/*
 * Caller holds rlock. We take up each ring where its used index stands
 * (rpmsg_amp_ring_sync()). RPMsg-Lite's master starts otherwise: it hands
 * all its transmit buffers to the used ring of vring 1 before it sends
 * (used->idx = num, avail->idx = 0), and takes them from there to send.
 * Those entries are not buffers we took; what is ours to take starts num
 * entries before the used index. Taken up that way only when the plain
 * way finds the ring inconsistent and this way does not.
 */
static void rpmsg_amp_link_sync(struct rpmsg_amp_channel *ch)
{
	struct rpmsg_amp_ring *tx = &ch->ring[1];
	int i;

	for (i = 0; i < 2; i++)
		rpmsg_amp_ring_sync(&ch->ring[i]);
	if (rpmsg_amp_ring_pending(tx) < 0) {
		tx->last_avail = tx->used_idx - tx->num;
		if (rpmsg_amp_ring_pending(tx) >= 0)
			dev_info(ch->dev, "the master's transmit buffers start out in the used ring (RPMsg-Lite): taking messages from %u\n",
				 tx->last_avail);
		else
			tx->last_avail = tx->used_idx;
	}
	/* a doorbell for receive buffers until we know we need none */
	rpmsg_amp_ring_want_notify(&ch->ring[0], true);
	ch->rlink = RPMSG_AMP_RLINK_UP;
}

/* caller holds rlock; @why is NULL for an orderly master stop */
static void rpmsg_amp_link_down(struct rpmsg_amp_channel *ch, const char *why)
{
	if (ch->rlink != RPMSG_AMP_RLINK_UP)
		return;
	/* the receive work takes the private bus down */
	ch->link_lost = true;
	queue_work(ch->wq, &ch->rx_work);
	if (!why) {
		ch->rlink = RPMSG_AMP_RLINK_DOWN;
		dev_info(ch->dev, "master stopped, link down\n");
		return;
	}
	/* our indices are lost: only a master restart can help */
	ch->rlink = RPMSG_AMP_RLINK_BROKEN;
	atomic64_inc(&ch->stats.rejects);
	dev_err(ch->dev, "link down: %s; waiting for the master to restart\n",
		why);
}

/*
 * Take the next descriptor from ring @r: its buffer and length through
 * @va/@len; 1 if there is none, -EPROTO if the indices are inconsistent.
 * On a shared ring (@shared) invalid descriptors are taken, refused and
 * counted (@head < 0) so that one bad entry cannot wedge the link; a
 * private ring is virtio_ring's, whose descriptors point at linear-mapped
 * memory.
 */
static int rpmsg_amp_pop(struct rpmsg_amp_channel *ch,
			 struct rpmsg_amp_ring *r, bool shared, bool writable,
			 int *head, void **va, u32 *len)
{
	const struct rpmsg_amp_ring_rule rule = {
		.base = ch->buf_pa,
		.size = ch->buf_sz,
		.min_len = RPMSG_AMP_HDR_SIZE,
		.max_len = ch->layout.buf_size,
		.writable = writable,
	};
	const char *why;
	u64 addr, bad;
	int ret;
	u16 id;

	*head = -1;
	ret = rpmsg_amp_ring_pop(r, shared ? &rule : NULL, &id, &addr, len,
				 &why, &bad);
	if (ret)
		return ret;
	if (why) {
		rpmsg_amp_reject(ch, why, id, bad);
		return 0;
	}
	*va = shared ? ch->buf_va + (addr - ch->buf_pa) : phys_to_virt(addr);
	*head = id;
	return 0;
}

/*
 * Take a receive buffer of the master's (shared vring 0) for a message of
 * @need bytes; caller holds rlock. Returns 0 with @head and @va set, or
 * -ENOMEM if none is posted, -ENOTCONN if the link is down.
 */
static int rpmsg_amp_master_buf(struct rpmsg_amp_channel *ch, u32 need,
				int *head, void **va)
{
	struct rpmsg_amp_ring *r = &ch->ring[0];
	u32 blen;
	int ret;

	for (;;) {
		if (ch->rlink != RPMSG_AMP_RLINK_UP)
			return -ENOTCONN;
		ret = rpmsg_amp_pop(ch, r, true, true, head, va, &blen);
		if (ret < 0) {
			rpmsg_amp_link_down(ch, "receive ring indices inconsistent");
			return -ENOTCONN;
		}
		if (ret > 0)
			return -ENOMEM;
		if (*head < 0)
			continue;
		if (blen >= need)
			return 0;
		/* kept: a used length the master must parse is worse */
		rpmsg_amp_reject(ch, "receive buffer too small", *head, blen);
	}
}

/*
 * Send a message of our own (the channel's announcement) straight into a
 * receive buffer of the master's.
 */
static int rpmsg_amp_remote_raw_send(struct rpmsg_amp_channel *ch, u32 src,
				     u32 dst, const void *data, size_t len)
{
	struct rpmsg_amp_wire_hdr hdr;
	bool kick = false;
	int ret, head;
	void *va;

	spin_lock_bh(&ch->rlock);
	ret = rpmsg_amp_master_buf(ch, sizeof(hdr) + len, &head, &va);
	if (!ret) {
		rpmsg_amp_hdr_pack(&hdr, src, dst, len);
		memcpy(va, &hdr, sizeof(hdr));
		memcpy(va + sizeof(hdr), data, len);
		rpmsg_amp_ring_push(&ch->ring[0], head,
				    sizeof(hdr) + len);
		kick = true;	/* a message: see rpmsg_amp_remote_to_master() */
	}
	spin_unlock_bh(&ch->rlock);
	if (kick)
		rpmsg_amp_kick(ch);
	return ret;
}

static void rpmsg_amp_remote_announce(struct rpmsg_amp_channel *ch,
				      bool destroy)
{
	struct rpmsg_amp_wire_ns ns;
	int ret;

	rpmsg_amp_ns_pack(&ns, RPMSG_AMP_CHANNEL_SERVICE,
			  RPMSG_AMP_CHANNEL_ADDR, destroy);
	ret = rpmsg_amp_remote_raw_send(ch, RPMSG_AMP_CHANNEL_ADDR,
					RPMSG_AMP_NS_ADDR, &ns, sizeof(ns));
	if (ret)
		dev_warn(ch->dev, "name-service %s not sent: %d\n",
			 destroy ? "destroy" : "announcement", ret);
}

/**
 * rpmsg_amp_remote_to_master() - send what the private bus has queued
 * @ch: channel
 * @ltx: device side of the private transmit ring (virtio_rpmsg_bus's)
 *
 * Each queued message is copied into a receive buffer of the master's; one
 * that finds none stays queued until the master posts more (it rings the
 * doorbell then). Does not sleep.
 *
 * Return: the number of private transmit buffers given back.
 */
unsigned int rpmsg_amp_remote_to_master(struct rpmsg_amp_channel *ch,
					struct rpmsg_amp_ring *ltx)
{
	struct rpmsg_amp_ring *r = &ch->ring[0];
	int mhead, lhead, ret;
	unsigned int done = 0;
	bool kick = false;
	void *mva, *lva;
	u32 len;

	spin_lock_bh(&ch->rlock);
	for (;;) {
		/*
		 * The master rings for the receive buffers it posts only
		 * while a message of ours waits for one.
		 */
		if (rpmsg_amp_ring_pending(ltx) <= 0) {
			if (ch->rlink == RPMSG_AMP_RLINK_UP)
				rpmsg_amp_ring_want_notify(r, false);
			break;
		}
		/* the buffer must hold the message */
		len = min(rpmsg_amp_ring_peek_len(ltx), ch->layout.buf_size);
		ret = rpmsg_amp_master_buf(ch, len, &mhead, &mva);
		if (ret == -ENOMEM && rpmsg_amp_ring_want_notify(r, true))
			continue;	/* posted before it saw us ask */
		if (ret)
			break;
		if (rpmsg_amp_pop(ch, ltx, false, false, &lhead, &lva, &len))
			break;
		len = min(len, ch->layout.buf_size);
		memcpy(mva, lva, len);
		rpmsg_amp_count(&ch->stats.tx_msgs, &ch->stats.tx_bytes, len);
		rpmsg_amp_ring_push(r, mhead, len);
		rpmsg_amp_ring_push(ltx, lhead, 0);
		/*
		 * A message is rung for even where the master suppressed
		 * interrupts on its receive ring: RPMsg-Lite's master leaves
		 * VRING_AVAIL_F_NO_INTERRUPT set on both rings from its start
		 * and would never look; ours never sets it on vring 0. A
		 * returned transmit buffer (vring 1) honours the flag.
		 */
		kick = true;
		done++;
	}
	spin_unlock_bh(&ch->rlock);
	if (kick)
		rpmsg_amp_kick(ch);
	return done;
}

/*
 * Write the made-up announcement of the master's presence into a private
 * receive buffer. Returns the length written.
 */
static u32 rpmsg_amp_inject_peer(void *buf)
{
	struct rpmsg_amp_wire_ns ns;
	struct rpmsg_amp_wire_hdr hdr;

	rpmsg_amp_hdr_pack(&hdr, RPMSG_AMP_CHANNEL_ADDR, RPMSG_AMP_NS_ADDR,
			   sizeof(ns));
	rpmsg_amp_ns_pack(&ns, RPMSG_AMP_CHANNEL_SERVICE,
			  RPMSG_AMP_CHANNEL_ADDR, false);
	memcpy(buf, &hdr, sizeof(hdr));
	memcpy(buf + sizeof(hdr), &ns, sizeof(ns));
	return sizeof(hdr) + sizeof(ns);
}

/**
 * rpmsg_amp_remote_to_local() - hand the master's messages to the private bus
 * @ch: channel
 * @lrx: device side of the private receive ring (virtio_rpmsg_bus's)
 * @seen: services the master announced (flood guard)
 *
 * Copies up to one ring's worth of messages from the master's transmit
 * buffers into the private receive buffers and checks each copy; the
 * caller then runs the private receive ring. Called from the receive work
 * only.
 *
 * Return: the number of private receive buffers filled.
 */
unsigned int rpmsg_amp_remote_to_local(struct rpmsg_amp_channel *ch,
				       struct rpmsg_amp_ring *lrx,
				       struct rpmsg_amp_ns_table *seen)
{
	struct rpmsg_amp_ring *r = &ch->ring[1];
	unsigned int done = 0;
	int mhead, lhead, ret;
	bool kick = false, bad;
	const char *why;
	u32 blen, llen, dst;
	void *mva, *lva;

	spin_lock_bh(&ch->rlock);
	ch->rx_starved = false;
	while (ch->rlink == RPMSG_AMP_RLINK_UP && done < ch->layout.num) {
		if (rpmsg_amp_ring_pending(lrx) <= 0) {
			/* virtio_rpmsg_bus posts them again: notify says when */
			ch->rx_starved = rpmsg_amp_ring_pending(r) > 0;
			break;
		}
		if (ch->inject_peer) {
			if (rpmsg_amp_pop(ch, lrx, false, true, &lhead, &lva,
					  &llen))
				break;
			ch->inject_peer = false;
			rpmsg_amp_ring_push(lrx, lhead,
					    rpmsg_amp_inject_peer(lva));
			done++;
			continue;
		}
		ret = rpmsg_amp_pop(ch, r, true, false, &mhead, &mva, &blen);
		if (ret) {
			if (ret < 0)
				rpmsg_amp_link_down(ch, rpmsg_amp_master_restarted(ch) ?
						    NULL : "transmit ring indices inconsistent");
			break;
		}
		if (mhead < 0)
			continue;
		if (rpmsg_amp_pop(ch, lrx, false, true, &lhead, &lva, &llen))
			break;	/* cannot be: pending was checked */
		bad = blen > llen;
		/* copy out first: the master may rewrite its buffer */
		if (!bad)
			memcpy(lva, mva, blen);
		rpmsg_amp_ring_push(r, mhead, 0);
		kick |= rpmsg_amp_ring_wants_irq(r);
		if (bad) {
			/* the private buffers are virtio_rpmsg_bus's 512 bytes */
			rpmsg_amp_reject(ch, "message larger than the local buffers",
					 mhead, blen);
			rpmsg_amp_hdr_pack(lva, 0, RPMSG_AMP_NOWHERE, 0);
			blen = RPMSG_AMP_HDR_SIZE;
		} else {
			ret = rpmsg_amp_rx_verify(lva, &blen, seen, &dst, &why);
			if (ret == -EEXIST)
				dev_dbg(ch->dev, "%s\n", why);
			else if (ret)
				rpmsg_amp_reject(ch, why, mhead, blen);
			else
				rpmsg_amp_count(&ch->stats.rx_msgs,
						&ch->stats.rx_bytes, blen);
			/* no listed endpoint: normal while one comes or goes */
			if (!ret && dst < RPMSG_AMP_RESERVED_ADDRS &&
			    dst != RPMSG_AMP_NS_ADDR &&
			    !test_bit(dst, ch->ept_map))
				atomic64_inc(&ch->stats.drops);
		}
		rpmsg_amp_ring_push(lrx, lhead, blen);
		done++;
	}
	spin_unlock_bh(&ch->rlock);
	if (kick)
		rpmsg_amp_kick(ch);
	return done;
}

/**
 * rpmsg_amp_remote_attach() - the private bus is there: serve its rings
 * @ch: channel; the private rings' device sides are fresh
 *	(rpmsg_amp_ring_init(): all indices zero)
 *
 * The first message the private bus receives is the master's presence.
 */
void rpmsg_amp_remote_attach(struct rpmsg_amp_channel *ch)
{
	spin_lock_bh(&ch->rlock);
	ch->inject_peer = true;
	spin_unlock_bh(&ch->rlock);
}

/**
 * rpmsg_amp_remote_tx_inflight() - private transmit buffers not yet sent
 * @ltx: device side of the private transmit ring
 *
 * Return: the number virtio_rpmsg_bus posted and did not get back.
 */
unsigned int rpmsg_amp_remote_tx_inflight(struct rpmsg_amp_ring *ltx)
{
	return (u16)(rd16(&ltx->avail->idx) - READ_ONCE(ltx->used_idx));
}

/**
 * rpmsg_amp_remote_poll() - follow the master's state
 * @ch: channel; called from its receive work
 *
 * Return: RPMSG_AMP_LINK_LOST if the link went down since the last call
 * (even if it is back), and RPMSG_AMP_LINK_UP if it is up now.
 */
unsigned int rpmsg_amp_remote_poll(struct rpmsg_amp_channel *ch)
{
	unsigned int ret = 0;
	bool announce = false;

	spin_lock_bh(&ch->rlock);
	switch (ch->rlink) {
	case RPMSG_AMP_RLINK_STOPPED:
		spin_unlock_bh(&ch->rlock);
		return 0;
	case RPMSG_AMP_RLINK_UP:
		if (rpmsg_amp_master_stopped(ch) || rpmsg_amp_master_restarted(ch))
			rpmsg_amp_link_down(ch, NULL);
		else if (rpmsg_amp_ring_pending(&ch->ring[0]) < 0 ||
			 rpmsg_amp_ring_pending(&ch->ring[1]) < 0)
			rpmsg_amp_link_down(ch, "ring indices inconsistent");
		break;
	case RPMSG_AMP_RLINK_BROKEN:
		if (rpmsg_amp_master_stopped(ch) ||
		    rpmsg_amp_master_restarted(ch) ||
		    rpmsg_amp_master_rebuilt(ch)) {
			ch->rlink = RPMSG_AMP_RLINK_DOWN;
			ch->reset_marked = false;
			dev_info(ch->dev, "master restarting\n");
		}
		break;
	case RPMSG_AMP_RLINK_DOWN:
		break;
	}
	if (ch->link_lost)
		ret |= RPMSG_AMP_LINK_LOST;
	ch->link_lost = false;
	if (ch->rlink == RPMSG_AMP_RLINK_DOWN && rpmsg_amp_master_ready(ch)) {
		rpmsg_amp_link_sync(ch);
		announce = true;
		dev_info(ch->dev, "master is up, link established\n");
	}
	if (ch->rlink == RPMSG_AMP_RLINK_UP)
		ret |= RPMSG_AMP_LINK_UP;
	spin_unlock_bh(&ch->rlock);

	if (announce)
		rpmsg_amp_remote_announce(ch, false);
	return ret;
}

/**
 * rpmsg_amp_remote_start() - start the device side
 * @ch: channel, its mailbox requested
 *
 * Return: 0.
 */
int rpmsg_amp_remote_start(struct rpmsg_amp_channel *ch)
{
	bool reset = false;
	int i;

	/*
	 * Only the device side writes the used index of vring 0, and a master
	 * zeroes it when it builds its rings: one that is not 0 was left by
	 * an earlier device side, which may have stopped without a goodbye,
	 * holding buffers it never returned. That is the protocol's remote
	 * reboot: zero both used indices, ring, and link only once the master
	 * has torn its rings down and built them again (BROKEN until then;
	 * rpmsg_amp_master_rebuilt() tells the rebuild by a mark of ours).
	 */
	spin_lock_bh(&ch->rlock);
	if (ch->rlink == RPMSG_AMP_RLINK_DOWN && rd16(&ch->ring[0].used->idx)) {
		wr32(&ch->ring[0].used->ring[ch->ring[0].num - 1].id,
		     RPMSG_AMP_RESET_MARK);
		for (i = 0; i < 2; i++)
			wr16(&ch->ring[i].used->idx, 0);
		ch->rlink = RPMSG_AMP_RLINK_BROKEN;
		ch->reset_marked = true;
		reset = true;
	}
	spin_unlock_bh(&ch->rlock);
	if (reset) {
		dev_info(ch->dev, "the rings hold an earlier remote's indices: reset, waiting for the master to build its rings again\n");
		wmb(); /* the indices before the doorbell */
		rpmsg_amp_kick(ch);
	}
	/* the master may be up already and its first doorbell long gone */
	queue_work(ch->wq, &ch->rx_work);
	return 0;
}

/**
 * rpmsg_amp_remote_stop() - say goodbye and stop touching the shared rings
 * @ch: channel
 */
void rpmsg_amp_remote_stop(struct rpmsg_amp_channel *ch)
{
	if (READ_ONCE(ch->rlink) == RPMSG_AMP_RLINK_UP)
		rpmsg_amp_remote_announce(ch, true);
	spin_lock_bh(&ch->rlock);
	ch->rlink = RPMSG_AMP_RLINK_STOPPED;
	spin_unlock_bh(&ch->rlock);
}

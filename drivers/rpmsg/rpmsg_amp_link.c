// SPDX-License-Identifier: GPL-2.0
/*
 * rpmsg_amp - the link's state: when the channel's rpmsg bus comes and goes
 *
 * One state per channel (enum rpmsg_amp_bus_state, under bus_lock) and the
 * channel's rx work, which every doorbell queues: in the master role it
 * tears down a link the transport declared broken and rebuilds it after a
 * pause (restart_dwork), else runs the vrings; in the remote role the bus
 * follows the master (up when it has posted its buffers, down when it
 * went), then the vrings run. The core reaches this file through
 * rpmsg_amp_link_init() and rpmsg_amp_link_stop(); it reaches the core
 * only through the channel's upcalls.
 */
#include <linux/jiffies.h>
#include <linux/reset.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "rpmsg_amp_internal.h"

/* Move the bus from @from to @to; false if it was not in @from. */
bool rpmsg_amp_bus_move(struct rpmsg_amp_channel *ch,
			enum rpmsg_amp_bus_state from,
			enum rpmsg_amp_bus_state to)
{
	bool moved;

	spin_lock_irq(&ch->bus_lock);
	moved = ch->bus_state == from;
	if (moved)
		ch->bus_state = to;
	spin_unlock_irq(&ch->bus_lock);
	return moved;
}

/*
 * Master role, where the device tree gives the other core's reset: hold the
 * other core in reset while its rings are torn down and rebuilt, and let it
 * start afresh on the new ones. A standard stack (RPMsg-Lite, OpenAMP)
 * that restarted on its own keeps indices from rings that are gone; one
 * started on new rings links as at power-on. remoteproc restarts a remote
 * the same way.
 */
static void rpmsg_amp_peer_hold(struct rpmsg_amp_channel *ch, bool hold)
{
	int ret;

	if (!ch->peer_reset)
		return;
	ret = hold ? reset_control_assert(ch->peer_reset) :
		     reset_control_deassert(ch->peer_reset);
	if (ret)
		dev_err(ch->dev, "the other core could not be %s: %d\n",
			hold ? "held in reset" : "released from reset", ret);
	else
		dev_info(ch->dev, "the other core is %s\n",
			 hold ? "held in reset" : "released from reset");
}

/*
 * A (re)build did not work (@ret) or was overtaken by a fault: rest, and
 * try again when restart_dwork says so. Master back-off: the rings stay
 * zeroed for a while so that a restarting remote sees the master go
 * (not the first time where a status byte or a reset tells it), and
 * longer if it keeps failing.
 */
static void rpmsg_amp_bus_rest(struct rpmsg_amp_channel *ch, int ret)
{
	unsigned int ms = RPMSG_AMP_RESTART_MAX_MS;

	spin_lock_irq(&ch->bus_lock);
	if (ch->bus_state != RPMSG_AMP_BUS_DYING) {
		if (!ret) {
			ms = min_t(unsigned int,
				   RPMSG_AMP_RESTART_MIN_MS << ch->restart_n,
				   RPMSG_AMP_RESTART_MAX_MS);
			/*
			 * The other core is told otherwise that the rings
			 * are gone (the status byte of its resource table,
			 * or it is held in reset): no pause the first time.
			 */
			if (!ch->restart_n && (ch->rsc_va || ch->peer_reset))
				ms = 0;
			if (ch->restart_n < 6)
				ch->restart_n++;
		}
		if (ch->role == RPMSG_AMP_ROLE_MASTER)
			ch->bus_state = RPMSG_AMP_BUS_RESTING;
		queue_delayed_work(ch->wq, &ch->restart_dwork,
				   msecs_to_jiffies(ms));
	}
	spin_unlock_irq(&ch->bus_lock);
}

/*
 * Master role: tear down or rebuild a broken link. Called from the rx
 * work; returns true while the bus is not up (the rx work has nothing
 * else to do).
 */
static bool rpmsg_amp_master_restart_step(struct rpmsg_amp_channel *ch)
{
	enum rpmsg_amp_bus_state state = READ_ONCE(ch->bus_state);
	int ret;

	switch (state) {
	case RPMSG_AMP_BUS_BROKEN:
		/* probe has not attached the bus yet: it queues us then */
		if (!READ_ONCE(ch->avdev))
			return true;
		atomic64_inc(&ch->stats.restarts);
		ch->up->peer_set(ch, false);
		/* it stops before its rings go, and starts on the new ones */
		rpmsg_amp_peer_hold(ch, true);
		rpmsg_amp_bus_down(ch);
		rpmsg_amp_bus_rest(ch, 0);
		return true;
	case RPMSG_AMP_BUS_DUE:
		/* a fault seen by the old link is history */
		if (!rpmsg_amp_bus_move(ch, state, RPMSG_AMP_BUS_STARTING))
			return true;
		ret = rpmsg_amp_bus_up(ch);
		if (!ret && rpmsg_amp_bus_move(ch, RPMSG_AMP_BUS_STARTING,
					       RPMSG_AMP_BUS_UP)) {
			dev_info(ch->dev, "link rebuilt, waiting for the remote\n");
			rpmsg_amp_link_started(ch);
			return false;
		}
		if (ret) {
			dev_err(ch->dev, "link rebuild failed: %d, retrying\n",
				ret);
			rpmsg_amp_bus_rest(ch, ret);
		}
		/* else broken again at once: the next rx work tears down */
		return true;
	case RPMSG_AMP_BUS_RESTING:	/* until restart_dwork */
		return true;
	default:	/* UP, STARTING; DYING: removal still runs the rings */
		return false;
	}
}

/*
 * Remote role: the rpmsg bus follows the master. A bus that cannot come up
 * is tried again by the restart work.
 */
static void rpmsg_amp_remote_follow(struct rpmsg_amp_channel *ch,
				    unsigned int link)
{
	enum rpmsg_amp_bus_state state = READ_ONCE(ch->bus_state);
	int ret;

	if (state == RPMSG_AMP_BUS_DYING)
		return;
	if ((link & RPMSG_AMP_LINK_LOST) && ch->avdev) {
		if (!rpmsg_amp_bus_move(ch, state, RPMSG_AMP_BUS_DOWN))
			return;
		rpmsg_amp_bus_down(ch);
	}
	if (!(link & RPMSG_AMP_LINK_UP) || ch->avdev)
		return;
	ret = rpmsg_amp_bus_up(ch);
	if (ret) {
		dev_err(ch->dev, "rpmsg bus not started: %d, retrying\n", ret);
		rpmsg_amp_bus_rest(ch, ret);
		return;
	}
	if (!rpmsg_amp_bus_move(ch, RPMSG_AMP_BUS_DOWN, RPMSG_AMP_BUS_UP))
		rpmsg_amp_bus_move(ch, RPMSG_AMP_BUS_STARTING, RPMSG_AMP_BUS_UP);
}

static void rpmsg_amp_rx_work(struct work_struct *work)
{
	struct rpmsg_amp_channel *ch = container_of(work, struct rpmsg_amp_channel,
						    rx_work);

	if (ch->role == RPMSG_AMP_ROLE_MASTER) {
		if (!rpmsg_amp_master_restart_step(ch))
			rpmsg_amp_bus_rx(ch);
		return;
	}
	rpmsg_amp_remote_follow(ch, rpmsg_amp_remote_poll(ch));
	rpmsg_amp_bus_rx(ch);
}

/*
 * No link rebuild from now on. restart_dwork is queued only under bus_lock
 * and not once the bus is DYING, so one cancel is final; then wait for an
 * rx work (which may be running a rebuild) to finish.
 */
void rpmsg_amp_link_stop(struct rpmsg_amp_channel *ch)
{
	spin_lock_irq(&ch->bus_lock);
	ch->bus_state = RPMSG_AMP_BUS_DYING;
	spin_unlock_irq(&ch->bus_lock);
	cancel_delayed_work_sync(&ch->restart_dwork);
	cancel_delayed_work_sync(&ch->hello_dwork);
	flush_work(&ch->rx_work);
}

/*
 * Master role: a remote that starts after our first doorbell would wait for
 * one forever (RPMsg-Lite takes its link as up only on a doorbell, and a
 * doorbell rung before it listened is gone). So while the bus is up and no
 * remote has announced itself, ring again: 10 ms after the bus came up,
 * then twice as long each time, up to once a second. Queued only under
 * bus_lock and not once the bus is DYING.
 */
static void rpmsg_amp_hello_fn(struct work_struct *work)
{
	struct rpmsg_amp_channel *ch = container_of(to_delayed_work(work),
						    struct rpmsg_amp_channel,
						    hello_dwork);
	unsigned int ms;

	spin_lock_irq(&ch->bus_lock);
	if (ch->bus_state != RPMSG_AMP_BUS_UP || READ_ONCE(ch->peer_up)) {
		spin_unlock_irq(&ch->bus_lock);
		return;
	}
	ms = min_t(unsigned int, RPMSG_AMP_HELLO_MIN_MS << ch->hello_n,
		   RPMSG_AMP_HELLO_MAX_MS);
	if (ch->hello_n < 7)
		ch->hello_n++;
	queue_delayed_work(ch->wq, &ch->hello_dwork, msecs_to_jiffies(ms));
	spin_unlock_irq(&ch->bus_lock);
	atomic64_inc(&ch->stats.hellos);
	rpmsg_amp_kick(ch);
}

/**
 * rpmsg_amp_link_started() - the master's bus came up (or was rebuilt)
 * @ch: channel of the master role
 *
 * The other core is released from its reset (where it has one) and rung
 * until it announces itself.
 */
void rpmsg_amp_link_started(struct rpmsg_amp_channel *ch)
{
	rpmsg_amp_peer_hold(ch, false);
	rpmsg_amp_link_hello(ch);
}

/**
 * rpmsg_amp_link_hello() - ring until the remote announces itself
 * @ch: channel of the master role whose bus came up, or whose remote went
 */
void rpmsg_amp_link_hello(struct rpmsg_amp_channel *ch)
{
	spin_lock_irq(&ch->bus_lock);
	ch->hello_n = 0;
	if (ch->bus_state != RPMSG_AMP_BUS_DYING)
		mod_delayed_work(ch->wq, &ch->hello_dwork,
				 msecs_to_jiffies(RPMSG_AMP_HELLO_MIN_MS));
	spin_unlock_irq(&ch->bus_lock);
}

static void rpmsg_amp_restart_fn(struct work_struct *work)
{
	struct rpmsg_amp_channel *ch = container_of(to_delayed_work(work),
						    struct rpmsg_amp_channel,
						    restart_dwork);

	rpmsg_amp_bus_move(ch, RPMSG_AMP_BUS_RESTING, RPMSG_AMP_BUS_DUE);
	queue_work(ch->wq, &ch->rx_work);
}

/**
 * rpmsg_amp_link_init() - set up the link state of a new channel
 * @ch: channel; its workqueue comes later, before the first doorbell
 */
void rpmsg_amp_link_init(struct rpmsg_amp_channel *ch)
{
	spin_lock_init(&ch->bus_lock);
	ch->bus_state = RPMSG_AMP_BUS_STARTING;
	INIT_WORK(&ch->rx_work, rpmsg_amp_rx_work);
	INIT_DELAYED_WORK(&ch->restart_dwork, rpmsg_amp_restart_fn);
	INIT_DELAYED_WORK(&ch->hello_dwork, rpmsg_amp_hello_fn);
}

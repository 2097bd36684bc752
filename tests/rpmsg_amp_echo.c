// SPDX-License-Identifier: GPL-2.0
/*
 * rpmsg_amp_echo - echo services for the kernel's rpmsg drivers (test only)
 *
 * Stands in for the other core's firmware where the kernel's own rpmsg
 * drivers run on this side: on every channel of the role given by the
 * "role" parameter (default "remote", for the drivers on the master) it
 * offers the services those drivers bind to, announced through the name
 * service, and
 * sends every message back to the address it came from, as the echo demos
 * of RPMsg-Lite and OpenAMP do:
 *
 *   address 30  "rpmsg-client-sample"  for samples/rpmsg/rpmsg_client_sample
 *   address 31  "rpmsg-tty"            for drivers/tty/rpmsg_tty
 *   address 32  "rpmsg-amp-char"       for rpmsg_amp_char (/dev/rpmsgN_32)
 *   address 33  "rpmsg-raw"            for rpmsg_char (/dev/rpmsgK)
 *
 * Each service is an rpmsg endpoint at its address on the channel's rpmsg
 * bus, opened when the bus comes up (link_up) and closed when it goes.
 * The receive callback must not sleep, and sending may (it takes the
 * bus's transmit mutex), so messages wait in a bounded per-service queue
 * that a work item sends; when no transmit buffer is free the work ends
 * and the rpmsg_amp_tx_waiter queues it again.  A message that finds the
 * queue full is dropped and counted; the counts are logged when the
 * service goes away.
 */
#include <linux/device.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/rpmsg.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/workqueue.h>
#include <linux/rpmsg_amp.h>

#define ECHO_QUEUE_MAX	64

static const struct {
	u32 addr;
	const char *name;
} echo_services[] = {
	{ 30, "rpmsg-client-sample" },
	{ 31, "rpmsg-tty" },
	{ 32, RPMSG_AMP_CHAR_SERVICE },
	{ 33, "rpmsg-raw" },
};

static char *role = "remote";
module_param(role, charp, 0444);
MODULE_PARM_DESC(role, "serve the channels of this role: remote (default) or master");
static bool echo_on_master;

struct echo_msg {
	struct list_head node;
	u32 dst;
	size_t len;
	u8 data[];
};

/* One announced service on one channel. */
struct echo_svc {
	struct list_head node;		/* in echo_svcs */
	struct rpmsg_amp_channel *ch;
	struct mutex ept_lock;		/* rpept, txw */
	struct rpmsg_endpoint *rpept;	/* while the bus is up */
	struct rpmsg_amp_tx_waiter txw;
	u32 addr;
	const char *name;
	struct work_struct work;
	spinlock_t lock;		/* queue, queued, dying */
	struct list_head queue;
	unsigned int queued;
	bool dying;
	u64 echoed;
	u64 dropped;
	u64 failed;
};

static LIST_HEAD(echo_svcs);
static DEFINE_MUTEX(echo_lock);		/* echo_svcs */

static void echo_kick(struct echo_svc *s)
{
	unsigned long flags;

	spin_lock_irqsave(&s->lock, flags);
	if (!s->dying)
		queue_work(system_wq, &s->work);
	spin_unlock_irqrestore(&s->lock, flags);
}

static int echo_rx(struct rpmsg_device *rpdev, void *data, int len,
		   void *priv, u32 src)
{
	struct echo_svc *s = priv;
	struct echo_msg *m;
	unsigned long flags;

	m = kmalloc(struct_size(m, data, len), GFP_ATOMIC);
	spin_lock_irqsave(&s->lock, flags);
	if (!m || s->dying || s->queued >= ECHO_QUEUE_MAX) {
		s->dropped++;
		spin_unlock_irqrestore(&s->lock, flags);
		kfree(m);
		return 0;
	}
	m->dst = src;
	m->len = len;
	memcpy(m->data, data, len);
	list_add_tail(&m->node, &s->queue);
	s->queued++;
	queue_work(system_wq, &s->work);
	spin_unlock_irqrestore(&s->lock, flags);
	return 0;
}

static void echo_tx_wake(struct rpmsg_amp_tx_waiter *w)
{
	echo_kick(container_of(w, struct echo_svc, txw));
}

/* Send without waiting; -ENOMEM with *ready when a buffer freed since. */
static int echo_trysend(struct echo_svc *s, struct echo_msg *m, bool *ready)
{
	int ret = -ENOTCONN;

	*ready = false;
	mutex_lock(&s->ept_lock);
	if (s->rpept) {
		ret = rpmsg_trysendto(s->rpept, m->data, m->len, m->dst);
		if (ret == -ENOMEM)
			*ready = rpmsg_amp_tx_waiter_arm(&s->txw, s->rpept);
	}
	mutex_unlock(&s->ept_lock);
	return ret;
}

static void echo_announce(struct echo_svc *s, bool destroy)
{
	mutex_lock(&s->ept_lock);
	if (s->rpept)
		rpmsg_amp_rpmsg_announce(s->rpept, s->name, destroy);
	mutex_unlock(&s->ept_lock);
}

static void echo_work(struct work_struct *work)
{
	struct echo_svc *s = container_of(work, struct echo_svc, work);
	struct echo_msg *m;
	bool ready;
	int ret;

	for (;;) {
		spin_lock_irq(&s->lock);
		m = list_first_entry_or_null(&s->queue, struct echo_msg, node);
		spin_unlock_irq(&s->lock);
		if (!m)
			return;
		ret = echo_trysend(s, m, &ready);
		/* no buffer: the waiter queues this work again once one is */
		if (ret == -ENOMEM && !ready)
			return;
		if (ret == -ENOMEM)
			continue;
		spin_lock_irq(&s->lock);
		list_del(&m->node);
		s->queued--;
		if (ret)
			s->failed++;
		else
			s->echoed++;
		spin_unlock_irq(&s->lock);
		if (ret)
			dev_err_ratelimited(rpmsg_amp_channel_dev(s->ch),
					    "%s: echo to %u failed: %d\n",
					    s->name, m->dst, ret);
		kfree(m);
	}
}

/* Close the endpoint; the waiter's bus may go with it. */
static void echo_close(struct echo_svc *s)
{
	struct rpmsg_endpoint *rpept;

	mutex_lock(&s->ept_lock);
	rpept = s->rpept;
	s->rpept = NULL;
	rpmsg_amp_tx_waiter_stop(&s->txw);
	mutex_unlock(&s->ept_lock);
	if (rpept)
		rpmsg_destroy_ept(rpept);
}

static void echo_destroy(struct echo_svc *s)
{
	struct echo_msg *m, *tmp;

	spin_lock_irq(&s->lock);
	s->dying = true;
	spin_unlock_irq(&s->lock);
	cancel_work_sync(&s->work);
	if (rpmsg_amp_channel_peer_up(s->ch))
		echo_announce(s, true);
	echo_close(s);
	list_for_each_entry_safe(m, tmp, &s->queue, node) {
		list_del(&m->node);
		kfree(m);
	}
	dev_info(rpmsg_amp_channel_dev(s->ch),
		 "echo %s: %llu echoed, %llu dropped (queue full), %llu failed\n",
		 s->name, s->echoed, s->dropped, s->failed);
	kfree(s);
}

static void echo_remove(struct rpmsg_amp_channel *ch)
{
	struct echo_svc *s, *tmp;

	mutex_lock(&echo_lock);
	list_for_each_entry_safe(s, tmp, &echo_svcs, node) {
		if (s->ch != ch)
			continue;
		list_del(&s->node);
		echo_destroy(s);
	}
	mutex_unlock(&echo_lock);
}

static int echo_add(struct rpmsg_amp_channel *ch)
{
	struct echo_svc *s;
	unsigned int i;
	int ret;

	if (rpmsg_amp_channel_is_master(ch) != echo_on_master)
		return 0;
	for (i = 0; i < ARRAY_SIZE(echo_services); i++) {
		s = kzalloc(sizeof(*s), GFP_KERNEL);
		if (!s) {
			ret = -ENOMEM;
			goto err;
		}
		s->ch = ch;
		s->addr = echo_services[i].addr;
		s->name = echo_services[i].name;
		spin_lock_init(&s->lock);
		mutex_init(&s->ept_lock);
		INIT_LIST_HEAD(&s->queue);
		INIT_WORK(&s->work, echo_work);
		rpmsg_amp_tx_waiter_init(&s->txw, echo_tx_wake);
		mutex_lock(&echo_lock);
		list_add_tail(&s->node, &echo_svcs);
		mutex_unlock(&echo_lock);
	}
	return 0;
err:
	echo_remove(ch);
	return ret;
}

static void echo_peer_changed(struct rpmsg_amp_channel *ch, bool up)
{
	struct echo_svc *s;

	if (!up)
		return;
	mutex_lock(&echo_lock);
	list_for_each_entry(s, &echo_svcs, node)
		if (s->ch == ch)
			echo_announce(s, false);
	mutex_unlock(&echo_lock);
}

static void echo_link_up(struct rpmsg_amp_channel *ch,
			 struct rpmsg_device *rpdev)
{
	struct rpmsg_channel_info chinfo = { .dst = RPMSG_ADDR_ANY };
	struct rpmsg_endpoint *rpept;
	struct echo_svc *s;

	mutex_lock(&echo_lock);
	list_for_each_entry(s, &echo_svcs, node) {
		if (s->ch != ch)
			continue;
		strscpy(chinfo.name, s->name, sizeof(chinfo.name));
		chinfo.src = s->addr;
		rpept = rpmsg_create_ept(rpdev, echo_rx, s, chinfo);
		if (!rpept) {
			dev_err(rpmsg_amp_channel_dev(ch),
				"echo %s: cannot open address %u\n",
				s->name, s->addr);
			continue;
		}
		mutex_lock(&s->ept_lock);
		s->rpept = rpept;
		mutex_unlock(&s->ept_lock);
		if (rpmsg_amp_channel_peer_up(ch))
			echo_announce(s, false);
	}
	mutex_unlock(&echo_lock);
}

static void echo_link_down(struct rpmsg_amp_channel *ch)
{
	struct echo_svc *s;

	mutex_lock(&echo_lock);
	list_for_each_entry(s, &echo_svcs, node)
		if (s->ch == ch)
			echo_close(s);
	mutex_unlock(&echo_lock);
}

static struct rpmsg_amp_client echo_client = {
	.name = "rpmsg_amp_echo",
	.add = echo_add,
	.remove = echo_remove,
	.peer_changed = echo_peer_changed,
	.link_up = echo_link_up,
	.link_down = echo_link_down,
};

static int __init echo_init(void)
{
	if (!strcmp(role, "master")) {
		echo_on_master = true;
	} else if (strcmp(role, "remote")) {
		pr_err("rpmsg_amp_echo: role=%s refused: remote or master\n",
		       role);
		return -EINVAL;
	}
	return rpmsg_amp_register_client(&echo_client);
}
module_init(echo_init);

static void __exit echo_exit(void)
{
	rpmsg_amp_unregister_client(&echo_client);
}
module_exit(echo_exit);

MODULE_DESCRIPTION("rpmsg_amp test: echo services for the kernel's rpmsg drivers");
MODULE_AUTHOR("rpmsg_amp developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(RPMSG_AMP_VERSION);

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
 *
 * The receive callback must not sleep, and sending may (it takes the
 * channel's transmit mutex), so messages wait in a bounded per-service
 * queue that a work item sends; when no transmit buffer is free the work
 * ends and the endpoint's tx_wake queues it again.  A message that finds
 * the queue full is dropped and counted; the counts are logged when the
 * service goes away.
 */
#include <linux/device.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
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
	struct rpmsg_amp_ept *ept;
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

static void echo_rx(void *priv, const void *data, size_t len, u32 src)
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
		return;
	}
	m->dst = src;
	m->len = len;
	memcpy(m->data, data, len);
	list_add_tail(&m->node, &s->queue);
	s->queued++;
	queue_work(system_wq, &s->work);
	spin_unlock_irqrestore(&s->lock, flags);
}

static void echo_tx_wake(void *priv)
{
	echo_kick(priv);
}

static void echo_work(struct work_struct *work)
{
	struct echo_svc *s = container_of(work, struct echo_svc, work);
	struct echo_msg *m;
	int ret;

	for (;;) {
		spin_lock_irq(&s->lock);
		m = list_first_entry_or_null(&s->queue, struct echo_msg, node);
		spin_unlock_irq(&s->lock);
		if (!m)
			return;
		ret = rpmsg_amp_trysend(s->ept, m->dst, m->data, m->len);
		/* no buffer: tx_wake queues this work again once one is free */
		if (ret == -ENOMEM && !rpmsg_amp_tx_ready(s->ept))
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

static void echo_destroy(struct echo_svc *s)
{
	struct echo_msg *m, *tmp;

	spin_lock_irq(&s->lock);
	s->dying = true;
	spin_unlock_irq(&s->lock);
	cancel_work_sync(&s->work);
	if (rpmsg_amp_channel_peer_up(s->ch))
		rpmsg_amp_announce(s->ept, s->name, true);
	rpmsg_amp_ept_destroy(s->ept);
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
		s->name = echo_services[i].name;
		spin_lock_init(&s->lock);
		INIT_LIST_HEAD(&s->queue);
		INIT_WORK(&s->work, echo_work);
		s->ept = rpmsg_amp_ept_create(ch, echo_services[i].addr,
					      echo_rx, echo_tx_wake, s);
		if (IS_ERR(s->ept)) {
			dev_err(rpmsg_amp_channel_dev(ch),
				"echo %s: cannot open address %u: %ld\n",
				s->name, echo_services[i].addr,
				PTR_ERR(s->ept));
			ret = PTR_ERR(s->ept);
			kfree(s);
			goto err;
		}
		mutex_lock(&echo_lock);
		list_add_tail(&s->node, &echo_svcs);
		mutex_unlock(&echo_lock);
		if (rpmsg_amp_channel_peer_up(ch))
			rpmsg_amp_announce(s->ept, s->name, false);
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
			rpmsg_amp_announce(s->ept, s->name, false);
	mutex_unlock(&echo_lock);
}

static struct rpmsg_amp_client echo_client = {
	.name = "rpmsg_amp_echo",
	.add = echo_add,
	.remove = echo_remove,
	.peer_changed = echo_peer_changed,
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

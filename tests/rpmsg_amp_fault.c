// SPDX-License-Identifier: GPL-2.0
/*
 * rpmsg_amp_fault - a hostile other core for the QEMU lab (test only)
 *
 * Plays the peer of two rpmsg_amp channels on carveouts of their own
 * (dts/qemu-virt-rpmsg-fault.dtsi):
 *
 *  "m" side: the remote (device side) of one of our master channels. It
 *    fills the master's receive buffers and returns them through the used
 *    ring of vring 0, and returns the master's transmit buffers (vring 1).
 *  "r" side: the master (driver side) of one of our remote channels. It
 *    builds both rings, posts receive buffers on vring 0 and messages on
 *    vring 1.
 *
 * Each side can behave (announce itself, send good messages, take the
 * other side's messages) or misbehave in one named way at a time; see
 * fault_scenarios[]. Control through debugfs:
 *
 *	echo "SCENARIO COUNT" > /sys/kernel/debug/rpmsg_amp_fault/ctl
 *	cat /sys/kernel/debug/rpmsg_amp_fault/ctl
 *
 * A write returns once the scenario ran (or fails with the errno of the
 * step that could not be done, e.g. -ETIMEDOUT when the channel under test
 * never rebuilt its rings). Reading gives the figures as "key value"
 * lines. Nothing here is part of the product; everything read back from
 * shared memory is range-checked, as the injector runs in the same kernel
 * as the code under test. The "m" side runs the master's rings with the
 * product's own ring engine (rpmsg_amp_ring.c), as our remote role does,
 * and then spoils what it wrote.
 */
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/io.h>
#include <linux/mailbox_client.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/of.h>
#include <linux/of_address.h>
#include <linux/platform_device.h>
#include <linux/random.h>
#include <linux/rpmsg_amp_compat.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/virtio_ring.h>

#include "../drivers/rpmsg/rpmsg_amp_ring.h"
#include "../drivers/rpmsg/rpmsg_amp_wire.h"

#define FNUM		256
#define FALIGN		4096
#define FBUF		512
#define FHDR		16
#define NS_ADDR		53
#define CHAN_ADDR	1024
#define EPT		13

struct fring {
	struct vring vr;
	struct rpmsg_amp_ring dev;	/* m side: the device side of vr */
	u16 avail_idx;		/* r side: our avail index */
	u16 last_used;		/* r side: next used entry to take */
};

struct fside {
	const char *name;
	void *vring_va;
	size_t vring_sz;
	void *buf_va;
	phys_addr_t buf_pa;
	size_t buf_sz;
	struct fring ring[2];
	struct mbox_client cl;
	struct mbox_chan *chan;
	atomic_t irqs;
	u64 msgs;		/* good messages taken from the channel */
	char last[64];		/* last payload for EPT */
	bool peer_up;		/* r side: the channel announced itself */
};

struct fault {
	struct device *dev;
	struct mutex lock;	/* everything below */
	struct fside m, r;
	struct dentry *dir;
	u64 injected;		/* faulty items written */
	u64 good;		/* good items written */
	char last_scenario[32];
	int last_ret;
	void *rnd;
};

/* ---- little helpers -------------------------------------------------------- */

static void fault_ring(struct fside *s)
{
	int i;

	for (i = 0; i < 1000; i++) {
		if (mbox_send_message(s->chan, s) != -ENOBUFS)
			return;
		usleep_range(50, 100);
	}
}

static void fault_mbox_rx(struct mbox_client *cl, void *msg)
{
	struct fside *s = container_of(cl, struct fside, cl);

	atomic_inc(&s->irqs);
}

/* buffer address from the ring -> our mapping, or NULL */
static void *fault_buf(struct fside *s, u64 addr, u32 len)
{
	if (addr < s->buf_pa || addr - s->buf_pa > s->buf_sz ||
	    len > s->buf_sz - (addr - s->buf_pa))
		return NULL;
	return s->buf_va + (addr - s->buf_pa);
}

static void fault_fill(void *va, u32 src, u32 dst, u16 hlen, const void *data,
		       size_t len)
{
	struct rpmsg_amp_wire_hdr h = {
		.src = cpu_to_le32(src),
		.dst = cpu_to_le32(dst),
		.len = cpu_to_le16(hlen),
	};

	memcpy(va, &h, sizeof(h));
	memcpy(va + sizeof(h), data, len);
}

static void fault_take(struct fside *s, const void *va, u32 len)
{
	struct rpmsg_amp_wire_hdr h;
	u16 plen;

	if (len < FHDR || len > FBUF)
		return;
	memcpy(&h, va, sizeof(h));
	plen = le16_to_cpu(h.len);
	if (plen > len - FHDR)
		return;
	if (le32_to_cpu(h.dst) == NS_ADDR && plen == sizeof(struct rpmsg_amp_wire_ns)) {
		struct rpmsg_amp_wire_ns ns;

		memcpy(&ns, va + FHDR, sizeof(ns));
		if (!strncmp(ns.name, "rpmsg-amp", sizeof(ns.name)))
			s->peer_up = !le32_to_cpu(ns.flags);
		return;
	}
	if (le32_to_cpu(h.dst) == EPT) {
		s->msgs++;
		memset(s->last, 0, sizeof(s->last));
		memcpy(s->last, va + FHDR, min_t(size_t, plen, sizeof(s->last) - 1));
	}
}

/* ---- "m" side: we are the remote of one of our master channels ------------ */

static void m_sync(struct fault *f)
{
	int i;

	for (i = 0; i < 2; i++)
		rpmsg_amp_ring_sync(&f->m.ring[i].dev);
}

/*
 * Take the next buffer the master posted on ring @i: its id, va, length.
 * The ring engine takes it as our remote role would, with no rule: what
 * a good master posts is checked here, a bad one is -EPROTO.
 */
static int m_pop(struct fault *f, int i, u16 *id, void **va, u32 *len)
{
	const char *why;
	u64 addr, bad;
	int ret;

	ret = rpmsg_amp_ring_pop(&f->m.ring[i].dev, NULL, id, &addr, len,
				 &why, &bad);
	if (ret > 0)
		return -ENOBUFS;
	if (ret < 0 || why)
		return -EPROTO;
	*va = fault_buf(&f->m, addr, *len);
	if (!*va || *len < FHDR)
		return -EPROTO;
	return 0;
}

static void m_push(struct fault *f, int i, u32 id, u32 len)
{
	rpmsg_amp_ring_push(&f->m.ring[i].dev, id, len);
}

/* return every message the master sent, noting those for EPT */
static void m_drain(struct fault *f)
{
	void *va;
	u32 len;
	u16 id;
	int n = 0;

	while (n < FNUM && !m_pop(f, 1, &id, &va, &len)) {
		fault_take(&f->m, va, len);
		m_push(f, 1, id, 0);
		n++;
	}
	if (n)
		fault_ring(&f->m);
}

/*
 * Write one message into the next receive buffer of the master.
 * @hlen: header length field; @ulen: used length (0: the true one).
 */
static int m_send(struct fault *f, u32 src, u32 dst, const void *data,
		  size_t len, u16 hlen, u32 ulen)
{
	void *va;
	u32 blen;
	u16 id;
	int ret;

	ret = m_pop(f, 0, &id, &va, &blen);
	if (ret)
		return ret;
	if (FHDR + len > blen)
		return -EMSGSIZE;
	fault_fill(va, src, dst, hlen, data, len);
	m_push(f, 0, id, ulen ? ulen : FHDR + len);
	return 0;
}

static int m_ns(struct fault *f, const char *name, size_t nlen, u32 addr,
		u32 flags, size_t len)
{
	struct rpmsg_amp_wire_ns ns;

	memset(&ns, 0, sizeof(ns));
	memcpy(ns.name, name, min(nlen, sizeof(ns.name)));
	ns.addr = cpu_to_le32(addr);
	ns.flags = cpu_to_le32(flags);
	return m_send(f, addr, NS_ADDR, &ns, len, len, 0);
}

/* wait until the master (re)built its rings and posted receive buffers */
static int m_wait_master(struct fault *f, bool zero_first)
{
	struct fring *r = &f->m.ring[0];
	int i;

	if (zero_first) {
		for (i = 0; i < 300; i++) {
			if (!rd16(&r->vr.avail->idx))
				break;
			usleep_range(10000, 12000);
		}
		if (i == 300)
			return -ETIMEDOUT;
	}
	for (i = 0; i < 1000; i++) {
		if (rd16(&r->vr.avail->idx) != rd16(&r->vr.used->idx))
			return 0;
		usleep_range(10000, 12000);
	}
	return -ETIMEDOUT;
}

/* ---- "r" side: we are the master of one of our remote channels ------------ */

static u64 r_buf_pa(struct fault *f, int ring, u16 id)
{
	return f->r.buf_pa + ((u64)ring * FNUM + id) * FBUF;
}

static void r_start(struct fault *f)
{
	struct fring *rx = &f->r.ring[0];
	u16 i;

	/* a master that restarts leaves the rings zeroed for a while */
	memset(f->r.vring_va, 0, f->r.vring_sz);
	wmb(); /* zeroed before the doorbell */
	fault_ring(&f->r);
	msleep(150);
	f->r.ring[0].avail_idx = 0;
	f->r.ring[0].last_used = 0;
	f->r.ring[1].avail_idx = 0;
	f->r.ring[1].last_used = 0;
	f->r.peer_up = false;
	for (i = 0; i < FNUM; i++) {
		struct vring_desc *d = &rx->vr.desc[i];

		wr64(&d->addr, r_buf_pa(f, 0, i));
		wr32(&d->len, FBUF);
		wr16(&d->flags, VRING_DESC_F_WRITE);
		wr16(&rx->vr.avail->ring[i], i);
	}
	wmb(); /* descriptors before the index */
	rx->avail_idx = FNUM;
	wr16(&rx->vr.avail->idx, rx->avail_idx);
	fault_ring(&f->r);
}

/* take what the channel sent us, post the buffers again */
static void r_poll(struct fault *f)
{
	struct fring *rx = &f->r.ring[0];
	u16 used = rd16(&rx->vr.used->idx);
	int n = 0;

	if ((u16)(used - rx->last_used) > FNUM)
		return;
	rmb(); /* index before entries */
	while (rx->last_used != used) {
		struct vring_used_elem *e = &rx->vr.used->ring[rx->last_used % FNUM];
		u32 id = rd32(&e->id), len = rd32(&e->len);

		rx->last_used++;
		if (id >= FNUM)
			continue;
		if (len <= FBUF)
			fault_take(&f->r, f->r.buf_va + (r_buf_pa(f, 0, id) - f->r.buf_pa),
				   len);
		/* give the buffer back, in case a fault rewrote it */
		wr64(&rx->vr.desc[id].addr, r_buf_pa(f, 0, id));
		wr32(&rx->vr.desc[id].len, FBUF);
		wr16(&rx->vr.desc[id].flags, VRING_DESC_F_WRITE);
		wr16(&rx->vr.avail->ring[rx->avail_idx % FNUM], id);
		wmb(); /* entry before index */
		rx->avail_idx++;
		wr16(&rx->vr.avail->idx, rx->avail_idx);
		n++;
	}
	if (n)
		fault_ring(&f->r);
}

/* post one message on vring 1; the descriptor can then be spoilt */
static int r_send(struct fault *f, u32 src, u32 dst, const void *data,
		  size_t len, u16 hlen, struct vring_desc **dp)
{
	struct fring *tx = &f->r.ring[1];
	struct vring_desc *d;
	u16 id;
	int i;

	for (i = 0; (u16)(tx->avail_idx - rd16(&tx->vr.used->idx)) >= FNUM; i++) {
		if (i == 200)
			return -ETIMEDOUT;
		fault_ring(&f->r);
		usleep_range(5000, 6000);
	}
	id = tx->avail_idx % FNUM;
	d = &tx->vr.desc[id];
	fault_fill(f->r.buf_va + (r_buf_pa(f, 1, id) - f->r.buf_pa), src, dst,
		   hlen, data, len);
	wr64(&d->addr, r_buf_pa(f, 1, id));
	wr32(&d->len, FHDR + len);
	wr16(&d->flags, 0);
	wr16(&d->next, 0);
	wr16(&tx->vr.avail->ring[id], id);
	if (dp)
		*dp = d;
	return 0;
}

static void r_commit(struct fault *f)
{
	struct fring *tx = &f->r.ring[1];

	wmb(); /* descriptor and entry before the index */
	tx->avail_idx++;
	wr16(&tx->vr.avail->idx, tx->avail_idx);
}

static int r_ns(struct fault *f, const char *name, size_t nlen, u32 addr,
		u32 flags, size_t len)
{
	struct rpmsg_amp_wire_ns ns;
	int ret;

	memset(&ns, 0, sizeof(ns));
	memcpy(ns.name, name, min(nlen, sizeof(ns.name)));
	ns.addr = cpu_to_le32(addr);
	ns.flags = cpu_to_le32(flags);
	ret = r_send(f, addr, NS_ADDR, &ns, len, len, NULL);
	if (!ret)
		r_commit(f);
	return ret;
}

/* ---- scenarios --------------------------------------------------------------- */

enum { GOOD, BAD };

struct fault_scenario {
	const char *name;
	int kind;	/* GOOD items or BAD (injected) items */
	int (*run)(struct fault *f, int i);	/* one item; i = 0..count-1 */
};

static const char payload[] = "hostile-check";

static int s_m_good(struct fault *f, int i)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "good-%d", i);
	return m_send(f, EPT, EPT, buf, strlen(buf), strlen(buf), 0);
}

static int s_m_announce(struct fault *f, int i)
{
	return m_ns(f, "rpmsg-amp", 9, CHAN_ADDR, 0, sizeof(struct rpmsg_amp_wire_ns));
}

static int s_m_sync(struct fault *f, int i)
{
	int ret = m_wait_master(f, false);

	if (ret)
		return ret;
	m_sync(f);
	return s_m_announce(f, i);
}

static int s_m_used_id(struct fault *f, int i)
{
	m_push(f, 0, FNUM + 7 + i, FHDR);
	return 0;
}

static int s_m_used_nothead(struct fault *f, int i)
{
	int ret = s_m_good(f, i);

	if (ret)
		return ret;
	/* the same buffer again: it is no longer outstanding */
	m_push(f, 0, rd32(&f->m.ring[0].vr.used->ring[(f->m.ring[0].dev.used_idx - 1) % FNUM].id),
	       FHDR);
	return 0;
}

static int s_m_used_len(struct fault *f, int i)
{
	return m_send(f, EPT, EPT, payload, sizeof(payload), sizeof(payload),
		      4096 + i);
}

static int s_m_used_short(struct fault *f, int i)
{
	return m_send(f, EPT, EPT, payload, sizeof(payload), sizeof(payload),
		      1 + i % 15);
}

static int s_m_hdr_len(struct fault *f, int i)
{
	return m_send(f, EPT, EPT, payload, sizeof(payload), 1000 + i, 0);
}

static int s_m_idx_back(struct fault *f, int i)
{
	struct fring *r = &f->m.ring[0];

	wr16(&r->vr.used->idx, r->dev.used_idx - 5 - i);
	return 0;
}

static int s_m_idx_ahead(struct fault *f, int i)
{
	struct fring *r = &f->m.ring[0];

	wr16(&r->vr.used->idx, r->dev.used_idx + 1000 + i);
	return 0;
}

static int s_m_tx_idx(struct fault *f, int i)
{
	struct fring *r = &f->m.ring[1];

	wr16(&r->vr.used->idx, r->dev.used_idx + 300 + i);
	return 0;
}

/* a used receive buffer whose shared descriptor claims to chain to itself */
static int s_m_desc_next(struct fault *f, int i)
{
	struct fring *r = &f->m.ring[0];
	u16 avail = rd16(&r->vr.avail->idx), id;

	if (avail == r->dev.last_avail)
		return -ENOBUFS;
	id = rd16(&r->vr.avail->ring[r->dev.last_avail % FNUM]);
	if (id >= FNUM)
		return -EPROTO;
	wr16(&r->vr.desc[id].flags, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE);
	wr16(&r->vr.desc[id].next, id);
	return s_m_good(f, i);
}

static int s_m_noaddr(struct fault *f, int i)
{
	return m_send(f, EPT, 777 + i % 100, payload, sizeof(payload),
		      sizeof(payload), 0);
}

static int s_m_ns_unterm(struct fault *f, int i)
{
	static const char n[32] = "0123456789abcdef0123456789abcdef";

	return m_ns(f, n, sizeof(n), 2000 + i, 0, sizeof(struct rpmsg_amp_wire_ns));
}

static int s_m_ns_empty(struct fault *f, int i)
{
	return m_ns(f, "", 0, 2000 + i, 0, sizeof(struct rpmsg_amp_wire_ns));
}

static int s_m_ns_badlen(struct fault *f, int i)
{
	return m_ns(f, "rpmsg-amp-net", 13, 2000 + i, 0, 20);
}

static int s_m_ns_flags(struct fault *f, int i)
{
	return m_ns(f, "rpmsg-amp-net", 13, 2000 + i, 7, sizeof(struct rpmsg_amp_wire_ns));
}

static int s_m_ns_flood(struct fault *f, int i)
{
	char n[32];
	int ret;

	int k;

	snprintf(n, sizeof(n), "flood-%d", i);
	for (k = 0; k < 300; k++) {
		ret = m_ns(f, n, strlen(n), 3000 + i, 0, sizeof(struct rpmsg_amp_wire_ns));
		if (ret != -ENOBUFS)
			break;
		/* let the master work through them and post buffers again */
		fault_ring(&f->m);
		usleep_range(10000, 12000);
	}
	if (!(i % 32))
		fault_ring(&f->m);
	return ret;
}

/*
 * A remote that keeps rewriting a message after handing it over: a good
 * one for EPT, then, until the master has taken the buffer and posted it
 * again, alternately that and an announcement with an unterminated name,
 * which the master refuses. Both are 40 bytes without a NUL, so no mixture
 * of the two (the master may copy while we write) is a valid announcement.
 * A master that let virtio_rpmsg_bus read the buffer again after checking
 * it would let some through: a channel whose name starts with "rewrite-"
 * (virtio_rpmsg_bus terminates the name itself).
 */
static int s_m_rewrite(struct fault *f, int i)
{
	static const char evil_name[32] = "rewrite-evil-0123456789abcdefghi";
	struct fring *r = &f->m.ring[0];
	u8 good[FHDR + sizeof(struct rpmsg_amp_wire_ns)];
	u8 evil[FHDR + sizeof(struct rpmsg_amp_wire_ns)];
	char text[sizeof(struct rpmsg_amp_wire_ns)];
	unsigned long end;
	struct rpmsg_amp_wire_ns ns;
	u16 id, avail;
	unsigned int k;
	u32 blen;
	void *va;
	int ret;

	memset(text, 'x', sizeof(text));
	memcpy(text, "rewrite-", 8);
	text[8] = '0' + i % 10;
	fault_fill(good, EPT, EPT, sizeof(text), text, sizeof(text));
	memset(&ns, 0, sizeof(ns));
	memcpy(ns.name, evil_name, sizeof(ns.name));
	ns.addr = cpu_to_le32(4000 + i);
	fault_fill(evil, 4000 + i, NS_ADDR, sizeof(ns), &ns, sizeof(ns));

	ret = m_pop(f, 0, &id, &va, &blen);
	if (ret)
		return ret;
	if (blen < sizeof(good))
		return -EMSGSIZE;
	memcpy(va, good, sizeof(good));
	avail = rd16(&r->vr.avail->idx);
	m_push(f, 0, id, sizeof(good));
	fault_ring(&f->m);
	end = jiffies + msecs_to_jiffies(50);
	for (k = 0; rd16(&r->vr.avail->idx) == avail; k++) {
		memcpy(va, (k & 1) ? good : evil, sizeof(good));
		if (!(k % 1024)) {
			if (time_after(jiffies, end))
				break;
			cond_resched();
		}
	}
	f->injected += k / 2;
	return 0;
}

static int s_doorbell_m(struct fault *f, int i)
{
	fault_ring(&f->m);
	return 0;
}

static int s_doorbell_r(struct fault *f, int i)
{
	fault_ring(&f->r);
	return 0;
}

static int s_m_random(struct fault *f, int i)
{
	memcpy(f->m.vring_va, f->rnd, f->m.vring_sz);
	get_random_bytes(f->rnd, PAGE_SIZE);
	memcpy(f->m.buf_va + (i * PAGE_SIZE) % f->m.buf_sz, f->rnd, PAGE_SIZE);
	get_random_bytes(f->rnd, f->m.vring_sz);
	return 0;
}

/*
 * Firmware reboot, first half: the remote forgets everything, resets the
 * used indices (the only ring fields it owns), rings, and waits for the
 * master to tear its rings down (avail index 0).
 */
static int s_m_reset(struct fault *f, int i)
{
	struct fring *r = &f->m.ring[0];
	int n;

	wr16(&f->m.ring[0].vr.used->idx, 0);
	wr16(&f->m.ring[1].vr.used->idx, 0);
	wmb(); /* reset before the doorbell */
	fault_ring(&f->m);
	for (n = 0; n < 300; n++) {
		if (!rd16(&r->vr.avail->idx))
			return 0;
		usleep_range(1000, 2000);
	}
	return -ETIMEDOUT;
}

/* ... second half: wait for the rebuilt rings, announce ourselves */
static int s_m_reboot(struct fault *f, int i)
{
	int ret = s_m_reset(f, i);

	if (ret)
		return ret;
	return s_m_sync(f, i);
}

static int s_m_announce_net(struct fault *f, int i)
{
	return m_ns(f, "rpmsg-amp-net", 13, 14, 0, sizeof(struct rpmsg_amp_wire_ns));
}

/* the other framing for the same port: rpmsg_amp_net refuses it */
static int s_m_announce_net_frag(struct fault *f, int i)
{
	return m_ns(f, "rpmsg-amp-net-frag", 18, 14, 0, sizeof(struct rpmsg_amp_wire_ns));
}

static int s_r_start(struct fault *f, int i)
{
	int n;

	r_start(f);
	for (n = 0; n < 200 && !f->r.peer_up; n++) {
		usleep_range(10000, 12000);
		r_poll(f);
	}
	return f->r.peer_up ? 0 : -ETIMEDOUT;
}

static int s_r_good(struct fault *f, int i)
{
	char buf[32];
	int ret;

	snprintf(buf, sizeof(buf), "good-%d", i);
	ret = r_send(f, EPT, EPT, buf, strlen(buf), strlen(buf), NULL);
	if (!ret)
		r_commit(f);
	return ret;
}

/* post a message whose descriptor is spoilt in one way */
static int r_bad_desc(struct fault *f, int i, int how)
{
	struct vring_desc *d;
	int ret;

	ret = r_send(f, EPT, EPT, payload, sizeof(payload), sizeof(payload), &d);
	if (ret)
		return ret;
	switch (how) {
	case 0:	/* index out of range */
		wr16(&f->r.ring[1].vr.avail->ring[f->r.ring[1].avail_idx % FNUM],
		     FNUM + i);
		break;
	case 1:	/* chained to the next one */
		wr16(&d->flags, VRING_DESC_F_NEXT);
		wr16(&d->next, (f->r.ring[1].avail_idx + 1) % FNUM);
		break;
	case 2:	/* chained to itself */
		wr16(&d->flags, VRING_DESC_F_NEXT);
		wr16(&d->next, f->r.ring[1].avail_idx % FNUM);
		break;
	case 3:
		wr16(&d->flags, VRING_DESC_F_INDIRECT);
		break;
	case 4:	/* longer than a buffer */
		wr32(&d->len, 4096 + i);
		break;
	case 5:	/* shorter than a header */
		wr32(&d->len, i % FHDR);
		break;
	case 6:	/* kernel memory, not the carveout */
		wr64(&d->addr, 0x80200000ULL + i * FBUF);
		break;
	case 7:	/* wraps around */
		wr64(&d->addr, ~0ULL - 100);
		break;
	case 8:	/* device-writable, though the device only reads it */
		wr16(&d->flags, VRING_DESC_F_WRITE);
		break;
	case 9:	/* straddles the end of the carveout */
		wr64(&d->addr, f->r.buf_pa + f->r.buf_sz - 8);
		break;
	}
	r_commit(f);
	return 0;
}

static int s_r_desc_id(struct fault *f, int i) { return r_bad_desc(f, i, 0); }
static int s_r_desc_chain(struct fault *f, int i) { return r_bad_desc(f, i, 1); }
static int s_r_desc_loop(struct fault *f, int i) { return r_bad_desc(f, i, 2); }
static int s_r_desc_indirect(struct fault *f, int i) { return r_bad_desc(f, i, 3); }
static int s_r_desc_len(struct fault *f, int i) { return r_bad_desc(f, i, 4); }
static int s_r_desc_short(struct fault *f, int i) { return r_bad_desc(f, i, 5); }
static int s_r_desc_addr(struct fault *f, int i) { return r_bad_desc(f, i, 6); }
static int s_r_desc_wrap(struct fault *f, int i) { return r_bad_desc(f, i, 7); }
static int s_r_desc_dir(struct fault *f, int i) { return r_bad_desc(f, i, 8); }
static int s_r_desc_edge(struct fault *f, int i) { return r_bad_desc(f, i, 9); }

static int s_r_hdr_len(struct fault *f, int i)
{
	int ret = r_send(f, EPT, EPT, payload, sizeof(payload), 1000 + i, NULL);

	if (!ret)
		r_commit(f);
	return ret;
}

static int s_r_noaddr(struct fault *f, int i)
{
	int ret = r_send(f, EPT, 777 + i % 100, payload, sizeof(payload),
			 sizeof(payload), NULL);

	if (!ret)
		r_commit(f);
	return ret;
}

static int s_r_ns_unterm(struct fault *f, int i)
{
	static const char n[32] = "0123456789abcdef0123456789abcdef";

	return r_ns(f, n, sizeof(n), 2000 + i, 0, sizeof(struct rpmsg_amp_wire_ns));
}

static int s_r_ns_empty(struct fault *f, int i)
{
	return r_ns(f, "", 0, 2000 + i, 0, sizeof(struct rpmsg_amp_wire_ns));
}

static int s_r_ns_badlen(struct fault *f, int i)
{
	return r_ns(f, "rpmsg-amp-net", 13, 2000 + i, 0, 20);
}

static int s_r_ns_flags(struct fault *f, int i)
{
	return r_ns(f, "rpmsg-amp-net", 13, 2000 + i, 7, sizeof(struct rpmsg_amp_wire_ns));
}

static int s_r_ns_flood(struct fault *f, int i)
{
	char n[32];
	int ret;

	snprintf(n, sizeof(n), "flood-%d", i);
	ret = r_ns(f, n, strlen(n), 3000 + i, 0, sizeof(struct rpmsg_amp_wire_ns));
	if (!(i % 32))
		fault_ring(&f->r);
	return ret;
}

/* receive buffers the channel will write to, spoilt */
static int r_bad_rxdesc(struct fault *f, int i, int how)
{
	struct fring *rx = &f->r.ring[0];
	struct vring_desc *d;
	int k, ret;
	u16 slot;

	/*
	 * The channel consumes refused buffers without returning them, so
	 * where it stands is not visible: start from fresh rings.
	 */
	ret = s_r_start(f, 0);
	if (ret)
		return ret;
	slot = rd16(&rx->vr.used->idx);
	for (k = 0; k < 4; k++, slot++) {
		d = &rx->vr.desc[rd16(&rx->vr.avail->ring[slot % FNUM]) % FNUM];
		if (how == 0)
			wr64(&d->addr, 0x80200000ULL);
		else if (how == 1)
			wr16(&d->flags, 0);
		else
			wr32(&d->len, 8);
	}
	return 0;
}

static int s_r_rxdesc_addr(struct fault *f, int i) { return r_bad_rxdesc(f, i, 0); }
static int s_r_rxdesc_ro(struct fault *f, int i) { return r_bad_rxdesc(f, i, 1); }
static int s_r_rxdesc_short(struct fault *f, int i) { return r_bad_rxdesc(f, i, 2); }

static int s_r_avail_back(struct fault *f, int i)
{
	struct fring *tx = &f->r.ring[1];

	wr16(&tx->vr.avail->idx, tx->avail_idx - 5 - i);
	return 0;
}

static int s_r_avail_ahead(struct fault *f, int i)
{
	struct fring *tx = &f->r.ring[1];

	wr16(&tx->vr.avail->idx, tx->avail_idx + 1000 + i);
	return 0;
}

static int s_r_rx_avail_ahead(struct fault *f, int i)
{
	struct fring *rx = &f->r.ring[0];

	wr16(&rx->vr.avail->idx, rx->avail_idx + 1000 + i);
	return 0;
}

static int s_r_random(struct fault *f, int i)
{
	memcpy(f->r.vring_va, f->rnd, f->r.vring_sz);
	get_random_bytes(f->rnd, PAGE_SIZE);
	memcpy(f->r.buf_va + (i * PAGE_SIZE) % f->r.buf_sz, f->rnd, PAGE_SIZE);
	get_random_bytes(f->rnd, f->r.vring_sz);
	return 0;
}

static const struct fault_scenario fault_scenarios[] = {
	/* m side: misbehaving remote of our master channel */
	{ "m-good", GOOD, s_m_good },
	{ "m-announce", GOOD, s_m_announce },
	{ "m-sync", GOOD, s_m_sync },
	{ "m-announce-net", GOOD, s_m_announce_net },
	{ "m-announce-net-frag", GOOD, s_m_announce_net_frag },
	{ "m-reset", BAD, s_m_reset },
	{ "m-reboot", BAD, s_m_reboot },
	{ "m-used-id", BAD, s_m_used_id },
	{ "m-used-nothead", BAD, s_m_used_nothead },
	{ "m-used-len", BAD, s_m_used_len },
	{ "m-used-short", BAD, s_m_used_short },
	{ "m-hdr-len", BAD, s_m_hdr_len },
	{ "m-idx-back", BAD, s_m_idx_back },
	{ "m-idx-ahead", BAD, s_m_idx_ahead },
	{ "m-tx-idx", BAD, s_m_tx_idx },
	{ "m-desc-next", BAD, s_m_desc_next },
	{ "m-noaddr", BAD, s_m_noaddr },
	{ "m-ns-unterm", BAD, s_m_ns_unterm },
	{ "m-ns-empty", BAD, s_m_ns_empty },
	{ "m-ns-badlen", BAD, s_m_ns_badlen },
	{ "m-ns-flags", BAD, s_m_ns_flags },
	{ "m-ns-flood", BAD, s_m_ns_flood },
	{ "m-rewrite", GOOD, s_m_rewrite },
	{ "m-doorbell", BAD, s_doorbell_m },
	{ "m-random", BAD, s_m_random },
	/* r side: misbehaving master of our remote channel */
	{ "r-start", GOOD, s_r_start },
	{ "r-good", GOOD, s_r_good },
	{ "r-desc-id", BAD, s_r_desc_id },
	{ "r-desc-chain", BAD, s_r_desc_chain },
	{ "r-desc-loop", BAD, s_r_desc_loop },
	{ "r-desc-indirect", BAD, s_r_desc_indirect },
	{ "r-desc-len", BAD, s_r_desc_len },
	{ "r-desc-short", BAD, s_r_desc_short },
	{ "r-desc-addr", BAD, s_r_desc_addr },
	{ "r-desc-wrap", BAD, s_r_desc_wrap },
	/* harmless: RPMsg-Lite's master flags its transmit buffers so */
	{ "r-desc-dir", GOOD, s_r_desc_dir },
	{ "r-desc-edge", BAD, s_r_desc_edge },
	{ "r-hdr-len", BAD, s_r_hdr_len },
	{ "r-noaddr", BAD, s_r_noaddr },
	{ "r-ns-unterm", BAD, s_r_ns_unterm },
	{ "r-ns-empty", BAD, s_r_ns_empty },
	{ "r-ns-badlen", BAD, s_r_ns_badlen },
	{ "r-ns-flags", BAD, s_r_ns_flags },
	{ "r-ns-flood", BAD, s_r_ns_flood },
	{ "r-rxdesc-addr", BAD, s_r_rxdesc_addr },
	{ "r-rxdesc-ro", BAD, s_r_rxdesc_ro },
	{ "r-rxdesc-short", BAD, s_r_rxdesc_short },
	{ "r-avail-back", BAD, s_r_avail_back },
	{ "r-avail-ahead", BAD, s_r_avail_ahead },
	{ "r-rx-avail-ahead", BAD, s_r_rx_avail_ahead },
	{ "r-doorbell", BAD, s_doorbell_r },
	{ "r-random", BAD, s_r_random },
};

static int fault_run(struct fault *f, const char *name, int count)
{
	const struct fault_scenario *sc = NULL;
	bool r_side = name[0] == 'r';
	int i, ret = 0;

	for (i = 0; i < ARRAY_SIZE(fault_scenarios); i++)
		if (!strcmp(fault_scenarios[i].name, name))
			sc = &fault_scenarios[i];
	if (!sc)
		return -EINVAL;

	mutex_lock(&f->lock);
	strscpy(f->last_scenario, name, sizeof(f->last_scenario));
	/* take what the channel sent meanwhile, so it does not run dry */
	if (r_side)
		r_poll(f);
	else
		m_drain(f);
	for (i = 0; i < count; i++) {
		ret = sc->run(f, i);
		if (ret)
			break;
		if (sc->kind == BAD)
			f->injected++;
		else
			f->good++;
		if (!(i % 64))
			cond_resched();
	}
	if (r_side) {
		fault_ring(&f->r);
		msleep(20);
		r_poll(f);
	} else {
		fault_ring(&f->m);
		msleep(20);
		m_drain(f);
	}
	f->last_ret = ret;
	mutex_unlock(&f->lock);
	return ret;
}

static ssize_t fault_ctl_write(struct file *file, const char __user *ubuf,
			       size_t len, loff_t *ppos)
{
	struct fault *f = file->private_data;
	char buf[64], name[33];
	int count = 1, ret;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	if (sscanf(buf, "%32s %d", name, &count) < 1 || count < 0 ||
	    count > 100000)
		return -EINVAL;
	ret = fault_run(f, name, count);
	return ret ? ret : len;
}

static ssize_t fault_ctl_read(struct file *file, char __user *ubuf,
			      size_t len, loff_t *ppos)
{
	struct fault *f = file->private_data;
	char *buf;
	ssize_t ret;
	int n;

	buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	mutex_lock(&f->lock);
	if (!*ppos) {
		r_poll(f);
		m_drain(f);
	}
	n = scnprintf(buf, PAGE_SIZE,
		      "injected %llu\ngood %llu\nlast_scenario %s\nlast_ret %d\n"
		      "m_irqs %d\nm_msgs %llu\nm_last %s\n"
		      "r_irqs %d\nr_msgs %llu\nr_last %s\nr_peer %s\n",
		      f->injected, f->good, f->last_scenario, f->last_ret,
		      atomic_read(&f->m.irqs), f->m.msgs, f->m.last,
		      atomic_read(&f->r.irqs), f->r.msgs, f->r.last,
		      f->r.peer_up ? "up" : "down");
	mutex_unlock(&f->lock);
	ret = simple_read_from_buffer(ubuf, len, ppos, buf, n);
	kfree(buf);
	return ret;
}

static const struct file_operations fault_ctl_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = fault_ctl_read,
	.write = fault_ctl_write,
	.llseek = default_llseek,
};

/* ---- probe --------------------------------------------------------------------- */

static int fault_map(struct fault *f, int idx, void **va, phys_addr_t *pa,
		     size_t *sz)
{
	struct device_node *np;
	struct resource res;
	int ret;

	np = of_parse_phandle(f->dev->of_node, "memory-region", idx);
	if (!np)
		return -EINVAL;
	ret = of_address_to_resource(np, 0, &res);
	of_node_put(np);
	if (ret)
		return ret;
	*pa = res.start;
	*sz = resource_size(&res);
	*va = devm_memremap(f->dev, *pa, *sz, MEMREMAP_WC);
	return PTR_ERR_OR_ZERO(*va);
}

static int fault_side(struct fault *f, struct fside *s, const char *name,
		      int idx)
{
	phys_addr_t pa;
	size_t off1;
	int ret, i;

	s->name = name;
	ret = fault_map(f, idx, &s->vring_va, &pa, &s->vring_sz);
	if (ret)
		return ret;
	ret = fault_map(f, idx + 1, &s->buf_va, &s->buf_pa, &s->buf_sz);
	if (ret)
		return ret;
	off1 = ALIGN(vring_size(FNUM, FALIGN), FALIGN);
	if (s->vring_sz < off1 + vring_size(FNUM, FALIGN) ||
	    s->buf_sz < 2 * FNUM * FBUF)
		return -EINVAL;
	for (i = 0; i < 2; i++) {
		vring_init(&s->ring[i].vr, FNUM, s->vring_va + i * off1, FALIGN);
		rpmsg_amp_ring_init(&s->ring[i].dev, &s->ring[i].vr, false);
	}
	s->cl.dev = f->dev;
	s->cl.rx_callback = fault_mbox_rx;
	s->cl.tx_block = false;
	s->chan = mbox_request_channel_byname(&s->cl, name);
	return PTR_ERR_OR_ZERO(s->chan);
}

static int fault_probe(struct platform_device *pdev)
{
	struct fault *f;
	int ret;

	f = devm_kzalloc(&pdev->dev, sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	f->dev = &pdev->dev;
	mutex_init(&f->lock);
	ret = fault_side(f, &f->m, "m", 0);
	if (ret)
		return dev_err_probe(f->dev, ret, "m side\n");
	ret = fault_side(f, &f->r, "r", 2);
	if (ret) {
		mbox_free_channel(f->m.chan);
		return dev_err_probe(f->dev, ret, "r side\n");
	}
	f->rnd = devm_kmalloc(f->dev, max(f->m.vring_sz, f->r.vring_sz),
			      GFP_KERNEL);
	if (!f->rnd) {
		mbox_free_channel(f->r.chan);
		mbox_free_channel(f->m.chan);
		return -ENOMEM;
	}
	get_random_bytes(f->rnd, max(f->m.vring_sz, f->r.vring_sz));
	platform_set_drvdata(pdev, f);
	f->dir = debugfs_create_dir("rpmsg_amp_fault", NULL);
	debugfs_create_file("ctl", 0600, f->dir, f, &fault_ctl_fops);
	dev_info(f->dev, "hostile peer ready: %zu scenarios\n",
		 ARRAY_SIZE(fault_scenarios));
	return 0;
}

static void fault_remove(struct platform_device *pdev)
{
	struct fault *f = platform_get_drvdata(pdev);

	debugfs_remove_recursive(f->dir);
	mbox_free_channel(f->r.chan);
	mbox_free_channel(f->m.chan);
}

RPMSG_AMP_PLATFORM_REMOVE(fault_remove_op, fault_remove)

static const struct of_device_id fault_of_match[] = {
	{ .compatible = "linux,rpmsg-amp-fault" },
	{ }
};
MODULE_DEVICE_TABLE(of, fault_of_match);

static struct platform_driver fault_driver = {
	.probe = fault_probe,
	.remove = fault_remove_op,
	.driver = {
		.name = "rpmsg_amp_fault",
		.of_match_table = fault_of_match,
	},
};
module_platform_driver(fault_driver);

MODULE_DESCRIPTION("Hostile other core for the rpmsg_amp test lab");
MODULE_AUTHOR("rpmsg_amp developers");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(RPMSG_AMP_NS);
MODULE_VERSION("0.1.0");

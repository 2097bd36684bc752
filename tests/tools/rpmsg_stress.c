// SPDX-License-Identifier: GPL-2.0
/*
 * rpmsg_stress - bidirectional, multi-writer stress test for a pair of
 * joined RPMsg char devices.
 *
 * Usage: rpmsg_stress -a DEV_A -b DEV_B -n COUNT [-m MAX] [-s SEED]
 *                     [-w WRITERS] [-r READERS] [-t SECONDS] [-S] [-L]
 *                     [-x HALF]
 *
 * COUNT messages are sent A->B and, at the same time, COUNT messages B->A.
 * Each direction has W writer processes and R reader processes (default
 * one), so at least four processes run concurrently.  COUNT is the total per direction: writer
 * w sends COUNT / W messages, the first COUNT % W writers one more.
 *
 * By default the parent opens each device once (O_RDWR) and all children
 * inherit that open file; with -S every child opens the device itself.
 *
 * Message scheme
 * --------------
 * Every message is a pure function of (seed, dir, writer, seq), so the reader
 * can regenerate the exact bytes a writer sent.  dir is 0 for A->B and 1 for
 * B->A; seq counts from 0 per writer; H() is a splitmix64 based hash.
 *
 *   len = 1 + H(seed, dir, writer, seq) % MAX, except that seq 0..3 use the
 *         edge sizes 1, MAX, 12 and 11 (clamped to MAX)
 *
 * The "full image" of a message is a 12-byte header followed by len - 12
 * payload bytes:
 *
 *   off size field
 *     0    1 tag   writer id in the top WB bits, the low 8 - WB bits of seq
 *                  below them.  WB = ceil(log2(W)): for W = 1 the tag is
 *                  simply seq & 0xff; W <= 16 keeps at least 4 seq bits.
 *     1    1 dir   0xd0 | dir
 *     2    2 len   total message length, little endian
 *     4    4 seq   sequence number, little endian
 *     8    4 csum  FNV-1a (32 bit) over the payload bytes, little endian
 *    12    - payload: PRNG bytes generated from H(seed, dir, writer, seq)
 *
 * A message shorter than 12 bytes is the full image truncated to len, so a
 * 1-byte message carries just the tag (low bits of seq, and the writer id
 * when W > 1).  As the writer id is always in byte 0, every message can be
 * attributed to its writer however short it is.
 *
 * Verification
 * ------------
 * The reader keeps the next expected seq of every writer.  A message is good
 * only if it is byte-for-byte equal to the image of that writer's next seq,
 * truncated to the length chosen for that seq; so length, header, checksum,
 * payload and strict per-writer order are all checked at once.  Anything
 * else is classified: if it is the valid image of another seq of the same
 * writer (located through the header seq field, or for messages shorter
 * than the header by searching nearby seqs) it is a duplicate (seq already
 * received) or reordered (an older seq not received before); a jump ahead
 * skips seqs, which then count as reordered if they turn up later or as lost
 * if they never do.  Everything else is corrupt.  When all messages are in,
 * the reader keeps listening for a short grace period and classifies any
 * further message the same way (so it shows up as dup or corrupt).
 * lost = sent - number of distinct good seqs received.
 *
 * With several readers per direction (-r) the device hands each message to
 * one of them, so every reader sees a subsequence of each writer's stream
 * (and each reader opens the device itself, non-blocking, as another reader
 * may take the message poll() reported).
 * Then a message is good if it is the exact image of a seq of its writer
 * (found through the header, or for short messages by searching forward
 * from the last seq this reader got from that writer) that no reader has
 * received before (a bitmap shared by the readers) and that is later than
 * the last seq this reader got from the writer.  An older seq is reordered,
 * one already received by any reader a dup, anything else corrupt; gaps are
 * normal (other readers took those seqs) and lost is again sent - distinct.
 *
 * One half (-x): the two devices are in two machines (the two-guest lab),
 * so each machine runs the halves of its own device: "a-write" (the A->B
 * writers, on DEV_A), "b-read" (the A->B readers, on DEV_B), "b-write" and
 * "a-read" likewise for B->A.  Only that half runs and is judged: a writer
 * half needs every message written, a reader half every message received
 * exact.  Nothing is drained at the start (the other machine may already
 * be sending); start the reader halves, and wait for their first line
 * (printed once the device is open), before the writer halves.
 *
 * The last line is a summary for scripts:
 *   rpmsg_stress: SUMMARY msgs=N bytes=N seconds=S lost=N corrupt=N
 *                 reordered=N dup=N result=OK|FAIL
 * (one line; msgs and bytes are received ones, both directions together).
 *
 * RESULT=OK and exit status 0 need, in both directions, sent == recv ==
 * COUNT and lost == corrupt == reordered == dup == 0, no I/O error, no
 * timeout and all children exiting cleanly.  With -L (lossy: the device
 * drops what its reader does not take in time, and counts it) messages
 * may be missing (and past seq 3 every message is at least the 12-byte
 * header long, so that it names its seq): the readers stop once all writers are done and nothing
 * came for the idle time, and OK needs sent == COUNT, every message
 * received exact (corrupt == reordered == dup == 0) and recv + lost ==
 * COUNT; the caller compares lost with the device's drop counters.  Otherwise the tool prints what
 * went wrong and exits 1 (2 for a usage error).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "rpmsg_tools.h"

#define HDR_LEN		12
#define MAX_WRITERS	16
#define MAX_READERS	8
#define MAX_COUNT	100000000ULL
#define MAX_MSG		65535U
#define RBUF_LEN	65536
#define MAX_REPORTS	10
#define SEARCH_WIN	1024
#define GRACE_MS	300
#define DRAIN_MS	100
#define WRITER_GRACE_S	5.0
#define PARENT_GRACE_S	5.0
#define IDLE_S		5.0

#define FNV_OFFSET	0x811c9dc5U
#define FNV_PRIME	0x01000193U
#define SIZE_SALT	0x5157e5a17ULL
#define PAYLOAD_SALT	0x9a710adULL

#define ERR_EOF		(-1)	/* read() returned 0 */
#define ERR_HUP		(-2)	/* poll() reported POLLERR/POLLHUP/POLLNVAL */
#define ERR_SHORT	(-3)	/* short write */

/*
 * Shared by all children (MAP_SHARED); the counters that several readers
 * of one direction update are changed with atomic builtins.
 */
struct dir_stats {
	uint64_t sent[MAX_WRITERS];
	int write_err[MAX_WRITERS];
	uint64_t recv;
	uint64_t bytes;
	uint64_t good;
	uint64_t uniq;
	uint64_t corrupt;
	uint64_t reordered;
	uint64_t dup;
	uint64_t jumps;
	int writers_done;
	int read_err;
	int timed_out;
	int finished;
	double t_done;
	uint32_t *seen[MAX_WRITERS];	/* shared bitmaps, one bit per seq */
};

struct shared {
	struct dir_stats d[2];
};

static struct {
	const char *dev[2];	/* [0] = A, [1] = B */
	uint64_t count;
	unsigned int max;
	uint64_t seed;
	unsigned int writers;
	unsigned int readers;
	unsigned int timeout;
	bool separate;
	bool lossy;
	int half_dir;		/* -x: the one direction run, else -1 */
	bool half_writer;	/* -x: its writers (else its readers) */
	unsigned int wbits;
} cfg = {
	.max = 496,
	.seed = 1,
	.writers = 1,
	.readers = 1,
	.timeout = 120,
	.half_dir = -1,
};

static const char *const dir_name[2] = { "A->B", "B->A" };
static double start_time;

/* Called for every message: see mono_gettime() for why not the vDSO. */
static double now(void)
{
	return mono_now();
}

static const char *err_name(int err)
{
	static char buf[64];

	switch (err) {
	case 0:
		return "none";
	case ERR_EOF:
		return "read() returned 0";
	case ERR_HUP:
		return "poll() reported POLLERR/POLLHUP/POLLNVAL";
	case ERR_SHORT:
		return "short write";
	}
	snprintf(buf, sizeof(buf), "%s (errno %d)", strerror(err), err);
	return buf;
}

/* ---- deterministic message generation ---- */

static uint64_t mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static uint64_t msg_key(int dir, unsigned int w, uint64_t seq)
{
	uint64_t k = mix64(cfg.seed);

	k = mix64(k ^ ((uint64_t)dir << 56) ^ ((uint64_t)w << 48));
	return mix64(k ^ seq);
}

static size_t clamp_len(size_t len)
{
	return len > cfg.max ? cfg.max : len;
}

static size_t msg_len(int dir, unsigned int w, uint64_t seq)
{
	switch (seq) {
	case 0:
		return 1;
	case 1:
		return cfg.max;
	case 2:
		return clamp_len(HDR_LEN);
	case 3:
		return clamp_len(HDR_LEN - 1);
	}
	/*
	 * Lossy: a message shorter than the header is found by searching
	 * near the seq expected next, and drops leave gaps wider than any
	 * search: past the edge sizes, every message carries its seq.
	 */
	if (cfg.lossy && cfg.max > HDR_LEN)
		return HDR_LEN + mix64(msg_key(dir, w, seq) ^ SIZE_SALT) %
				 (cfg.max - HDR_LEN + 1);
	return 1 + mix64(msg_key(dir, w, seq) ^ SIZE_SALT) % cfg.max;
}

static uint8_t msg_tag(unsigned int w, uint64_t seq)
{
	unsigned int sbits = 8 - cfg.wbits;

	return (uint8_t)((w << sbits) | (seq & ((1U << sbits) - 1)));
}

static unsigned int tag_writer(uint8_t tag)
{
	return cfg.wbits ? tag >> (8 - cfg.wbits) : 0;
}

static void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = v & 0xff;
	p[1] = v >> 8;
}

static void put_le32(uint8_t *p, uint32_t v)
{
	put_le16(p, v & 0xffff);
	put_le16(p + 2, v >> 16);
}

static uint32_t get_le32(const uint8_t *p)
{
	return p[0] | (p[1] << 8) | (p[2] << 16) | ((uint32_t)p[3] << 24);
}

/* Write the image of (dir, w, seq) truncated to len bytes into out. */
static void build_msg(uint8_t *out, int dir, unsigned int w, uint64_t seq,
		      size_t len)
{
	uint64_t key = mix64(msg_key(dir, w, seq) ^ PAYLOAD_SALT);
	uint8_t hdr[HDR_LEN];
	uint32_t csum = FNV_OFFSET;
	uint64_t blk = 0;
	size_t i, j;

	for (i = HDR_LEN; i < len; i++) {
		j = i - HDR_LEN;
		if (!(j & 7))
			blk = mix64(key + j / 8);
		out[i] = blk & 0xff;
		blk >>= 8;
		csum = (csum ^ out[i]) * FNV_PRIME;
	}
	hdr[0] = msg_tag(w, seq);
	hdr[1] = 0xd0 | dir;
	put_le16(hdr + 2, (uint16_t)len);
	put_le32(hdr + 4, (uint32_t)seq);
	put_le32(hdr + 8, csum);
	memcpy(out, hdr, len < HDR_LEN ? len : HDR_LEN);
}

static uint64_t writer_count(unsigned int w)
{
	return cfg.count / cfg.writers + (w < cfg.count % cfg.writers);
}

/* ---- reader ---- */

struct reader {
	int dir;
	int fd;
	struct dir_stats *st;
	uint64_t next[MAX_WRITERS];
	uint64_t cnt[MAX_WRITERS];
	uint8_t *exp;
	unsigned int reports;
	uint64_t last_recv;	/* st->recv when last_rx was taken */
	double last_rx;
	bool idle;
};

#define ADD(p, v)	__atomic_fetch_add(p, v, __ATOMIC_SEQ_CST)
#define LOAD(p)		__atomic_load_n(p, __ATOMIC_SEQ_CST)

static __printf(2, 3) void report(struct reader *r, const char *fmt, ...);

static void report(struct reader *r, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (r->reports++ >= MAX_REPORTS) {
		if (r->reports == MAX_REPORTS + 1)
			fprintf(stderr, "rpmsg_stress: %s: further problems not shown\n",
				dir_name[r->dir]);
		return;
	}
	/* One write per line so concurrent readers do not interleave. */
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "rpmsg_stress: %s: %s\n", dir_name[r->dir], msg);
}

static bool test_seen(struct reader *r, unsigned int w, uint64_t s)
{
	return LOAD(&r->st->seen[w][s / 32]) & (1U << (s % 32));
}

/* Mark seq s of writer w received; true if it already was. */
static bool test_and_set_seen(struct reader *r, unsigned int w, uint64_t s)
{
	uint32_t bit = 1U << (s % 32);

	/* 32-bit words: riscv64 has no byte-sized atomics without libatomic */
	return __atomic_fetch_or(&r->st->seen[w][s / 32], bit,
				 __ATOMIC_SEQ_CST) & bit;
}

static bool is_image(struct reader *r, unsigned int w, uint64_t s,
		     const uint8_t *buf, size_t n)
{
	if (s >= r->cnt[w] || msg_len(r->dir, w, s) != n)
		return false;
	build_msg(r->exp, r->dir, w, s, n);
	return !memcmp(r->exp, buf, n);
}

/* Find which seq of writer w the message is a valid image of. */
static bool find_seq(struct reader *r, unsigned int w, const uint8_t *buf,
		     size_t n, uint64_t *seq)
{
	uint64_t next = r->next[w], d;

	if (n >= HDR_LEN) {
		*seq = get_le32(buf + 4);
		return is_image(r, w, *seq, buf, n);
	}
	/* Too short for a seq field: look for the nearest matching seq. */
	for (d = 0; d <= SEARCH_WIN; d++) {
		if (is_image(r, w, next + d, buf, n)) {
			*seq = next + d;
			return true;
		}
		if (d < next && is_image(r, w, next - d - 1, buf, n)) {
			*seq = next - d - 1;
			return true;
		}
	}
	return false;
}

static void describe_corrupt(struct reader *r, unsigned int w,
			     const uint8_t *buf, size_t n)
{
	uint64_t s = r->next[w];
	size_t elen, i;

	if (s >= r->cnt[w]) {
		report(r,
		       "writer %u: unexpected %zu-byte message after all %llu messages arrived (corrupt)",
		       w, n, ULL(r->cnt[w]));
		return;
	}
	elen = msg_len(r->dir, w, s);
	if (elen != n) {
		report(r, "writer %u seq %llu: expected %zu bytes, got %zu (corrupt)",
		       w, ULL(s), elen, n);
		return;
	}
	build_msg(r->exp, r->dir, w, s, n);
	for (i = 0; i < n && r->exp[i] == buf[i]; i++)
		;
	report(r,
	       "writer %u seq %llu (%zu bytes): first difference at offset %zu: expected 0x%02x got 0x%02x (corrupt)",
	       w, ULL(s), n, i, r->exp[i], buf[i]);
}

/* Several readers: the nearest later seq not yet received, if any. */
static bool find_seq_multi(struct reader *r, unsigned int w,
			   const uint8_t *buf, size_t n, uint64_t *seq)
{
	uint64_t d;

	if (n >= HDR_LEN)
		return find_seq(r, w, buf, n, seq);
	for (d = 0; d <= SEARCH_WIN; d++) {
		if (r->next[w] + d < r->cnt[w] &&
		    !test_seen(r, w, r->next[w] + d) &&
		    is_image(r, w, r->next[w] + d, buf, n)) {
			*seq = r->next[w] + d;
			return true;
		}
	}
	return find_seq(r, w, buf, n, seq);
}

static void handle_msg(struct reader *r, const uint8_t *buf, size_t n)
{
	struct dir_stats *st = r->st;
	bool multi = cfg.readers > 1;
	unsigned int w;
	uint64_t s;

	ADD(&st->recv, 1);
	ADD(&st->bytes, n);
	if (n > cfg.max) {
		ADD(&st->corrupt, 1);
		report(r, "received %zu bytes, more than max %u (corrupt)",
		       n, cfg.max);
		return;
	}
	w = tag_writer(buf[0]);
	if (w >= cfg.writers) {
		ADD(&st->corrupt, 1);
		report(r, "tag byte 0x%02x names writer %u, only %u writers (corrupt)",
		       buf[0], w, cfg.writers);
		return;
	}
	s = r->next[w];
	if (!multi && is_image(r, w, s, buf, n)) {
		test_and_set_seen(r, w, s);
		r->next[w]++;
		ADD(&st->uniq, 1);
		ADD(&st->good, 1);
		return;
	}
	if (!(multi ? find_seq_multi(r, w, buf, n, &s) :
		      find_seq(r, w, buf, n, &s))) {
		ADD(&st->corrupt, 1);
		describe_corrupt(r, w, buf, n);
		return;
	}
	if (test_and_set_seen(r, w, s)) {
		ADD(&st->dup, 1);
		report(r, "writer %u seq %llu received again (dup), expected seq %llu",
		       w, ULL(s), ULL(r->next[w]));
		return;
	}
	ADD(&st->uniq, 1);
	if (s < r->next[w]) {
		ADD(&st->reordered, 1);
		report(r, "writer %u seq %llu arrived late, after seq %llu (reordered)",
		       w, ULL(s), ULL(r->next[w] - 1));
	} else if (multi) {
		/* the seqs in between went to other readers */
		ADD(&st->good, 1);
		r->next[w] = s + 1;
	} else if (cfg.lossy) {
		/* the seqs in between were dropped (and counted) */
		ADD(&st->good, 1);
		r->next[w] = s + 1;
	} else {
		ADD(&st->jumps, 1);
		report(r, "writer %u: expected seq %llu, got seq %llu (%llu missing so far)",
		       w, ULL(r->next[w]), ULL(s), ULL(s - r->next[w]));
		r->next[w] = s + 1;
	}
}

/*
 * Wait for POLLIN until the absolute time 'until'; 1 = ready, 0 = timeout,
 * 2 = (only if 'stop_when_done') the readers of this direction together
 * have received every message.  Also gives up (setting r->idle) once all
 * writers of this direction have finished and no reader of it has received
 * anything for IDLE_S seconds: a lost message then fails the run quickly
 * instead of at the overall timeout.
 */
static int wait_in(struct reader *r, double until, bool stop_when_done)
{
	struct pollfd pfd = { .fd = r->fd, .events = POLLIN };
	double left, t;
	uint64_t recv;
	int ret;

	for (;;) {
		if (stop_when_done && LOAD(&r->st->uniq) >= cfg.count)
			return 2;
		t = now();
		recv = LOAD(&r->st->recv);
		if (recv != r->last_recv) {
			r->last_recv = recv;
			r->last_rx = t;
		}
		left = until - t;
		if (left <= 0)
			return 0;
		if (LOAD(&r->st->writers_done) == (int)cfg.writers &&
		    t - r->last_rx > IDLE_S) {
			r->idle = true;
			return 0;
		}
		if (left > 0.2)
			left = 0.2;
		ret = poll(&pfd, 1, (int)(left * 1000) + 1);
		if (ret < 0) {
			if (errno == EINTR)
				continue;
			r->st->read_err = errno;
			return -1;
		}
		if (ret == 0)
			continue;
		if (pfd.revents & POLLIN)
			return 1;
		r->st->read_err = ERR_HUP;
		return -1;
	}
}

/* Read one message; 1 = got one, 0 = spurious wakeup, -1 = fatal. */
static int read_one(struct reader *r, uint8_t *buf, ssize_t *len)
{
	ssize_t n = read(r->fd, buf, RBUF_LEN);

	if (n < 0) {
		if (errno == EINTR || errno == EAGAIN)
			return 0;
		r->st->read_err = errno;
		return -1;
	}
	if (n == 0) {
		r->st->read_err = ERR_EOF;
		return -1;
	}
	*len = n;
	return 1;
}

static int run_reader(int dir, int fd, struct dir_stats *st)
{
	double deadline = start_time + cfg.timeout;
	struct reader r = { .dir = dir, .fd = fd, .st = st };
	uint8_t *buf = malloc(RBUF_LEN);
	unsigned int w;
	ssize_t n;
	int ret;

	r.exp = malloc(cfg.max);
	r.last_rx = now();
	if (!buf || !r.exp)
		return 1;
	for (w = 0; w < cfg.writers; w++)
		r.cnt[w] = writer_count(w);

	for (;;) {
		ret = wait_in(&r, deadline, true);
		if (ret == 2)
			break;
		if (ret == 0 && r.idle && cfg.lossy) {
			/* done when the last message came, not after the wait */
			if (st->t_done < r.last_rx)
				st->t_done = r.last_rx;
			break;
		}
		if (ret == 0) {
			st->timed_out = 1;
			if (r.idle)
				fprintf(stderr,
					"rpmsg_stress: %s: all writers done but nothing received for %.0f s, %llu of %llu messages received\n",
					dir_name[dir], IDLE_S, ULL(LOAD(&st->uniq)),
					ULL(cfg.count));
			else
				fprintf(stderr,
					"rpmsg_stress: %s: timed out after %u s, %llu of %llu messages received\n",
					dir_name[dir], cfg.timeout,
					ULL(LOAD(&st->uniq)), ULL(cfg.count));
			return 1;
		}
		if (ret < 0)
			goto read_error;
		ret = read_one(&r, buf, &n);
		if (ret < 0)
			goto read_error;
		if (ret > 0)
			handle_msg(&r, buf, n);
	}
	if (!st->t_done)
		st->t_done = now();

	/* Anything arriving now is extra (duplicate or garbage). */
	while ((ret = wait_in(&r, now() + GRACE_MS / 1000.0, false)) > 0) {
		ret = read_one(&r, buf, &n);
		if (ret < 0)
			goto read_error;
		if (ret > 0)
			handle_msg(&r, buf, n);
	}
	if (ret < 0)
		goto read_error;
	ADD(&st->finished, 1);
	return 0;

read_error:
	fprintf(stderr, "rpmsg_stress: %s: read from %s failed: %s\n",
		dir_name[dir], cfg.dev[!dir], err_name(st->read_err));
	return 1;
}

/* ---- writer ---- */

static int run_writer(int dir, unsigned int w, int fd, struct dir_stats *st)
{
	uint64_t cnt = writer_count(w), seq;
	uint8_t *buf = malloc(cfg.max);
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };
	size_t len;
	ssize_t n;

	if (!buf)
		return 1;
	for (seq = 0; seq < cnt; seq++) {
		len = msg_len(dir, w, seq);
		build_msg(buf, dir, w, seq, len);
		for (;;) {
			n = write(fd, buf, len);
			if (n >= 0 || (errno != EINTR && errno != EAGAIN))
				break;
			/* Only if someone made the fd non-blocking. */
			if (errno == EAGAIN)
				poll(&pfd, 1, 1000);
		}
		if (n != (ssize_t)len) {
			st->write_err[w] = n < 0 ? errno : ERR_SHORT;
			if (n < 0)
				fprintf(stderr,
					"rpmsg_stress: %s writer %u: write of seq %llu (%zu bytes) to %s failed: %s\n",
					dir_name[dir], w, ULL(seq), len,
					cfg.dev[dir], err_name(errno));
			else
				fprintf(stderr,
					"rpmsg_stress: %s writer %u: write of seq %llu (%zu bytes) to %s returned %zd\n",
					dir_name[dir], w, ULL(seq), len,
					cfg.dev[dir], n);
			return 1;
		}
		st->sent[w]++;
	}
	__atomic_fetch_add(&st->writers_done, 1, __ATOMIC_SEQ_CST);
	return 0;
}

/* ---- parent ---- */

struct child {
	pid_t pid;
	int dir;
	bool writer;
	unsigned int w;	/* writer or reader number */
	bool running;
	bool killed;
	int status;
};

static int open_dev(const char *path)
{
	return open_dev_rdwr("rpmsg_stress", path);
}

/*
 * Several readers: another reader may take the message poll() announced,
 * so a blocking read() could then wait for ever; each reader has its own
 * non-blocking open file (read_one() treats EAGAIN as a spurious wakeup).
 */
static int open_reader(const char *path)
{
	int fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		fprintf(stderr, "rpmsg_stress: open %s: %s\n", path,
			strerror(errno));
	return fd;
}

static void drain(const char *path, int fd)
{
	drain_stale("rpmsg_stress", path, fd, DRAIN_MS, RBUF_LEN);
}

static pid_t spawn(struct child *c, struct shared *sh, int *fds)
{
	pid_t ppid = getpid(), pid;
	int fd, ret;

	fflush(NULL);
	pid = fork();
	if (pid)
		return pid;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != ppid)
		_exit(1);
	if (c->writer)
		fd = cfg.separate ? open_dev(cfg.dev[c->dir]) : fds[c->dir];
	else if (cfg.readers > 1)
		fd = open_reader(cfg.dev[!c->dir]);
	else
		fd = cfg.separate ? open_dev(cfg.dev[!c->dir]) : fds[!c->dir];
	if (fd < 0)
		_exit(1);
	if (c->writer)
		ret = run_writer(c->dir, c->w, fd, &sh->d[c->dir]);
	else
		ret = run_reader(c->dir, fd, &sh->d[c->dir]);
	_exit(ret);
}

static void kill_all(struct child *ch, int nch)
{
	int i;

	for (i = 0; i < nch; i++) {
		if (ch[i].running && !ch[i].killed) {
			kill(ch[i].pid, SIGKILL);
			ch[i].killed = true;
		}
	}
}

static void describe_child(const struct child *c)
{
	char who[64];

	if (c->writer)
		snprintf(who, sizeof(who), "%s writer %u", dir_name[c->dir],
			 c->w);
	else
		snprintf(who, sizeof(who), "%s reader %u", dir_name[c->dir],
			 c->w);
	if (c->killed)
		fprintf(stderr, "rpmsg_stress: %s was killed (timeout or other failure)\n",
			who);
	else if (WIFEXITED(c->status))
		fprintf(stderr, "rpmsg_stress: %s exited with status %d\n",
			who, WEXITSTATUS(c->status));
	else if (WIFSIGNALED(c->status))
		fprintf(stderr, "rpmsg_stress: %s died from signal %d\n",
			who, WTERMSIG(c->status));
}

static bool child_ok(const struct child *c)
{
	return !c->killed && WIFEXITED(c->status) &&
	       WEXITSTATUS(c->status) == 0;
}

static int wait_children(struct child *ch, int nch)
{
	double hard = start_time + cfg.timeout + PARENT_GRACE_S;
	double writer_deadline = 0;
	int alive = nch, readers = 2 * cfg.readers, status, i;
	bool failed = false;
	struct timespec ts = { 0, 5 * 1000 * 1000 };
	pid_t pid;

	while (alive > 0) {
		pid = waitpid(-1, &status, WNOHANG);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "rpmsg_stress: waitpid: %s\n",
				strerror(errno));
			return -1;
		}
		if (pid > 0) {
			for (i = 0; i < nch; i++)
				if (ch[i].pid == pid && ch[i].running)
					break;
			if (i == nch)
				continue;
			ch[i].running = false;
			ch[i].status = status;
			alive--;
			if (!ch[i].writer && --readers == 0)
				writer_deadline = now() + WRITER_GRACE_S;
			if (!child_ok(&ch[i])) {
				failed = true;
				kill_all(ch, nch);
			}
			continue;
		}
		if (now() > hard ||
		    (writer_deadline && now() > writer_deadline)) {
			fprintf(stderr, "rpmsg_stress: %s, killing remaining children\n",
				now() > hard ? "overall timeout" :
				"writers still running after readers finished");
			failed = true;
			kill_all(ch, nch);
		}
		nanosleep(&ts, NULL);
	}
	for (i = 0; i < nch; i++)
		if (!child_ok(&ch[i]))
			describe_child(&ch[i]);
	return failed ? -1 : 0;
}

/* -x: whether the writers (or readers) of dir run here */
static bool runs(int dir, bool writer)
{
	return cfg.half_dir < 0 ||
	       (dir == cfg.half_dir && writer == cfg.half_writer);
}

/* whether device i (0 = A, 1 = B) is used here */
static bool uses_dev(int i)
{
	return runs(i, true) || runs(!i, false);
}

/* -x: the verdict on the one half that ran here */
static bool half_ok(int dir, const struct dir_stats *st, uint64_t sent)
{
	if (dir != cfg.half_dir)
		return true;
	if (cfg.half_writer) {
		if (sent != cfg.count)
			fprintf(stderr,
				"rpmsg_stress: %s: only %llu of %llu messages were sent\n",
				dir_name[dir], ULL(sent), ULL(cfg.count));
		return sent == cfg.count;
	}
	if (st->read_err)
		fprintf(stderr, "rpmsg_stress: %s reader: read error: %s\n",
			dir_name[dir], err_name(st->read_err));
	return st->recv == cfg.count && st->good == cfg.count &&
	       st->uniq == cfg.count && !st->jumps && !st->corrupt &&
	       !st->reordered && !st->dup && !st->read_err &&
	       !st->timed_out && st->finished == (int)cfg.readers;
}

static void print_help(FILE *f)
{
	fprintf(f,
		"Usage: rpmsg_stress -a DEV_A -b DEV_B -n COUNT [-m MAX] [-s SEED]\n"
		"                    [-w WRITERS] [-r READERS] [-t SECONDS] [-S]\n"
		"                    [-x a-write|b-read|b-write|a-read]\n"
		"Send COUNT messages A->B and COUNT messages B->A concurrently and\n"
		"verify every one (length, bytes, per-writer order, no loss/dup).\n"
		"  -a DEV_A    first device, e.g. /dev/rpmsg1_13\n"
		"  -b DEV_B    second device, e.g. /dev/rpmsg2_13\n"
		"  -n COUNT    messages per direction (total over all writers)\n"
		"  -m MAX      max payload per message (default 496)\n"
		"  -s SEED     PRNG seed (default 1)\n"
		"  -w WRITERS  writer processes per direction, 1..%d (default 1)\n"
		"  -r READERS  reader processes per direction, 1..%d (default 1)\n"
		"  -t SECONDS  timeout for the whole run (default 120)\n"
		"  -S          every process opens the device itself\n"
		"              (default: open once, children share the fd)\n"
		"  -L          lossy: the devices may drop (and count) what the\n"
		"              readers do not take in time; lost is reported\n"
		"  -x HALF     run one half only (the devices are in two machines):\n"
		"              a-write, b-read (A->B), b-write, a-read (B->A)\n"
		"Exit status: 0 all verified, 1 any failure, 2 usage error.\n",
		MAX_WRITERS, MAX_READERS);
}

static int parse_args(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool have_n = false;
	uint64_t v;
	int opt;

	while ((opt = getopt_long(argc, argv, "a:b:n:m:s:w:r:t:SLx:h", longopts,
				  NULL)) != -1) {
		switch (opt) {
		case 'a':
			cfg.dev[0] = optarg;
			break;
		case 'b':
			cfg.dev[1] = optarg;
			break;
		case 'n':
			if (!parse_u64(optarg, &cfg.count, 1, MAX_COUNT))
				goto bad;
			have_n = true;
			break;
		case 'm':
			if (!parse_u64(optarg, &v, 1, MAX_MSG))
				goto bad;
			cfg.max = v;
			break;
		case 's':
			if (!parse_u64(optarg, &cfg.seed, 0, UINT64_MAX))
				goto bad;
			break;
		case 'w':
			if (!parse_u64(optarg, &v, 1, MAX_WRITERS))
				goto bad;
			cfg.writers = v;
			break;
		case 'r':
			if (!parse_u64(optarg, &v, 1, MAX_READERS))
				goto bad;
			cfg.readers = v;
			break;
		case 't':
			if (!parse_u64(optarg, &v, 1, 86400))
				goto bad;
			cfg.timeout = v;
			break;
		case 'S':
			cfg.separate = true;
			break;
		case 'L':
			cfg.lossy = true;
			break;
		case 'x':
			if (!strcmp(optarg, "a-write") || !strcmp(optarg, "b-read"))
				cfg.half_dir = 0;
			else if (!strcmp(optarg, "b-write") ||
				 !strcmp(optarg, "a-read"))
				cfg.half_dir = 1;
			else
				goto bad;
			cfg.half_writer = strstr(optarg, "write");
			break;
		case 'h':
			print_help(stdout);
			exit(0);
		default:
			print_help(stderr);
			return -1;
		}
	}
	if (optind != argc || !cfg.dev[0] || !cfg.dev[1] || !have_n) {
		fprintf(stderr, "rpmsg_stress: -a, -b and -n are required\n");
		print_help(stderr);
		return -1;
	}
	while ((1U << cfg.wbits) < cfg.writers)
		cfg.wbits++;
	return 0;
bad:
	bad_option("rpmsg_stress", opt, optarg, print_help);
	return -1;
}

int main(int argc, char **argv)
{
	struct child ch[2 * MAX_READERS + 2 * MAX_WRITERS];
	uint64_t sent[2], lost[2], msgs, bytes;
	struct shared *sh;
	int fds[2], nch = 0, dir, i;
	unsigned int w;
	bool ok = true;
	double elapsed;

	if (parse_args(argc, argv))
		return 2;
	setvbuf(stdout, NULL, _IOLBF, 0);

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		perror("rpmsg_stress: mmap");
		return 1;
	}
	memset(sh, 0, sizeof(*sh));
	for (dir = 0; dir < 2; dir++) {
		for (w = 0; w < cfg.writers; w++) {
			sh->d[dir].seen[w] = mmap(NULL, writer_count(w) / 8 + 4,
						  PROT_READ | PROT_WRITE,
						  MAP_SHARED | MAP_ANONYMOUS,
						  -1, 0);
			if (sh->d[dir].seen[w] == MAP_FAILED) {
				perror("rpmsg_stress: mmap");
				return 1;
			}
		}
	}

	for (i = 0; i < 2; i++) {
		fds[i] = -1;
		if (!uses_dev(i))
			continue;
		fds[i] = open_dev(cfg.dev[i]);
		if (fds[i] < 0)
			return 1;
		if (cfg.half_dir < 0)
			drain(cfg.dev[i], fds[i]);
		if (cfg.separate)
			close(fds[i]);
	}

	fprintf(stdout,
		"rpmsg_stress: A=%s B=%s count=%llu per direction, max=%u seed=%llu writers=%u readers=%u timeout=%us%s%s\n",
		cfg.dev[0], cfg.dev[1], ULL(cfg.count), cfg.max, ULL(cfg.seed),
		cfg.writers, cfg.readers, cfg.timeout,
		cfg.separate ? " separate-open" : "", cfg.lossy ? " lossy" : "");

	start_time = now();
	memset(ch, 0, sizeof(ch));
	for (dir = 0; dir < 2; dir++) {
		for (w = 0; w < cfg.readers && runs(dir, false); w++) {
			ch[nch].dir = dir;
			ch[nch].writer = false;
			ch[nch].w = w;
			nch++;
		}
	}
	for (dir = 0; dir < 2; dir++) {
		for (w = 0; w < cfg.writers && runs(dir, true); w++) {
			ch[nch].dir = dir;
			ch[nch].writer = true;
			ch[nch].w = w;
			nch++;
		}
	}
	for (i = 0; i < nch; i++) {
		ch[i].pid = spawn(&ch[i], sh, fds);
		if (ch[i].pid < 0) {
			perror("rpmsg_stress: fork");
			kill_all(ch, i);
			while (wait(NULL) > 0)
				;
			return 1;
		}
		ch[i].running = true;
	}

	if (wait_children(ch, nch))
		ok = false;
	elapsed = now() - start_time;
	/* lossy: the readers' idle wait at the end is not transfer time */
	if (cfg.lossy && sh->d[0].t_done > start_time &&
	    sh->d[1].t_done > start_time)
		elapsed = (sh->d[0].t_done > sh->d[1].t_done ?
			   sh->d[0].t_done : sh->d[1].t_done) - start_time;

	for (dir = 0; dir < 2; dir++) {
		struct dir_stats *st = &sh->d[dir];

		sent[dir] = 0;
		for (w = 0; w < cfg.writers; w++) {
			sent[dir] += st->sent[w];
			if (st->write_err[w])
				fprintf(stderr, "rpmsg_stress: %s writer %u: write error: %s\n",
					dir_name[dir], w,
					err_name(st->write_err[w]));
		}
		lost[dir] = sent[dir] > st->uniq ? sent[dir] - st->uniq : 0;
		if (cfg.half_dir >= 0) {
			/* the other half ran on the other machine */
			lost[dir] = dir == cfg.half_dir && !cfg.half_writer &&
				    cfg.count > st->uniq ? cfg.count - st->uniq : 0;
			if (!half_ok(dir, st, sent[dir]))
				ok = false;
			continue;
		}
		if (st->read_err)
			fprintf(stderr, "rpmsg_stress: %s reader: read error: %s\n",
				dir_name[dir], err_name(st->read_err));
		if (st->timed_out)
			fprintf(stderr,
				"rpmsg_stress: %s reader: gave up waiting (messages missing)\n",
				dir_name[dir]);
		if (sent[dir] != cfg.count)
			fprintf(stderr,
				"rpmsg_stress: %s: only %llu of %llu messages were sent\n",
				dir_name[dir], ULL(sent[dir]), ULL(cfg.count));
		if (st->uniq > sent[dir])
			fprintf(stderr,
				"rpmsg_stress: %s: %llu distinct messages received but only %llu counted as sent\n",
				dir_name[dir], ULL(st->uniq), ULL(sent[dir]));
		if (cfg.lossy ?
		    (sent[dir] != cfg.count || st->recv != st->uniq ||
		     st->good != st->uniq || st->uniq + lost[dir] != cfg.count) :
		    (sent[dir] != cfg.count || st->recv != cfg.count ||
		     st->good != cfg.count || st->uniq != cfg.count ||
		     lost[dir] || st->jumps))
			ok = false;
		if (st->corrupt || st->reordered || st->dup || st->read_err ||
		    st->timed_out || st->finished != (int)cfg.readers)
			ok = false;
		if (st->finished == (int)cfg.readers && st->t_done > start_time)
			printf("rpmsg_stress: %s: %llu messages in %.3f s (%.0f msgs/s)\n",
			       dir_name[dir], ULL(st->recv),
			       st->t_done - start_time,
			       st->recv / (st->t_done - start_time));
	}
	printf("rpmsg_stress: elapsed %.3f s\n", elapsed);
	fprintf(stdout,
		"rpmsg_stress: A->B sent=%llu recv=%llu lost=%llu corrupt=%llu reordered=%llu dup=%llu; B->A sent=%llu recv=%llu lost=%llu corrupt=%llu reordered=%llu dup=%llu; RESULT=%s\n",
		ULL(sent[0]), ULL(sh->d[0].recv), ULL(lost[0]),
		ULL(sh->d[0].corrupt), ULL(sh->d[0].reordered),
		ULL(sh->d[0].dup),
		ULL(sent[1]), ULL(sh->d[1].recv), ULL(lost[1]),
		ULL(sh->d[1].corrupt), ULL(sh->d[1].reordered),
		ULL(sh->d[1].dup), ok ? "OK" : "FAIL");
	msgs = sh->d[0].recv + sh->d[1].recv;
	bytes = sh->d[0].bytes + sh->d[1].bytes;
	fprintf(stdout,
		"rpmsg_stress: SUMMARY msgs=%llu bytes=%llu seconds=%.3f lost=%llu corrupt=%llu reordered=%llu dup=%llu result=%s\n",
		ULL(msgs), ULL(bytes), elapsed, ULL(lost[0] + lost[1]),
		ULL(sh->d[0].corrupt + sh->d[1].corrupt),
		ULL(sh->d[0].reordered + sh->d[1].reordered),
		ULL(sh->d[0].dup + sh->d[1].dup), ok ? "OK" : "FAIL");
	return ok ? 0 : 1;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * rpmsg_chartest - semantic checks for a pair of joined RPMsg char devices.
 *
 * Usage: rpmsg_chartest [-m MAX] [-l LIMIT] [-t SECONDS] SUBCMD DEV_A DEV_B
 *        rpmsg_chartest [-t SECONDS] blockedread|blockedpoll DEV
 *
 * Every message written to DEV_A must arrive as one message on DEV_B.  Each
 * check prints exactly one "RESULT PASS <name>" or "RESULT FAIL <name>:
 * <reason>" line (plus optional "INFO <name>: ..." lines) to stdout.
 *
 *   boundaries  sizes 1, 2, MAX-1, MAX written on A come out of B as one
 *               message each, in order, with the right size and bytes
 *               (B is read with blocking reads and a 64 KiB buffer)
 *   zerolen     write(A, buf, 0) returns 0 and sends nothing
 *   nonblock    O_NONBLOCK read of an empty B gives EAGAIN; O_NONBLOCK
 *               writes on A never block: each is accepted or gives EAGAIN,
 *               up to LIMIT accepted (default 1024, the driver's default
 *               receive queue: more would be dropped at B by design); all
 *               accepted messages arrive on B, in order; A then reports
 *               POLLOUT within 5 s and accepts a write again
 *   emsgsize    writes of MAX+1 and 4096 bytes fail with EMSGSIZE and send
 *               nothing; a MAX-byte message goes through afterwards
 *   shortread   a 100-byte message read with a 10-byte buffer gives
 *               EMSGSIZE without writing past the buffer; the message stays
 *               queued and a big buffer then returns all 100 bytes; a buffer
 *               of exactly the message size works too
 *   poll        no POLLIN on an idle B (100 ms timeout); POLLIN within 2 s
 *               of a write on A, gone again after the read; POLLOUT on idle
 *               A and B
 *   multiopen   B opened three times, 30 messages written on A are read
 *               round-robin through the three fds with poll(): each index
 *               exactly once, none lost, none extra
 *   efault      write from a bad pointer fails with EFAULT and sends nothing;
 *               read into a bad pointer fails with EFAULT; the fate of that
 *               message is reported (still queued or dropped; never
 *               corrupted) and a fresh message goes through intact
 *   enotty      unknown ioctls (a made-up command with a bad pointer
 *               argument, a terminal ioctl) fail with ENOTTY on both
 *               devices; a message goes through on the same fds afterwards
 *   all         all of the above in turn
 *
 *   blockedread DEV  open DEV, print READY, block in read(); the read must
 *               fail with ENODEV, EPIPE, ESHUTDOWN or ECONNRESET (driver
 *               unbound meanwhile); then a second read and a write must fail
 *               too rather than block or succeed
 *   blockedpoll DEV  same, blocking in poll(): POLLHUP or POLLERR (or
 *               POLLIN with a failing read) is required, and a following
 *               read and write must fail with one of those errors
 *
 * Both devices are drained with O_NONBLOCK reads before every check, so the
 * checks do not depend on each other.  A check that blocks for more than
 * 30 s (or -t SECONDS, default 120, for the blocked* waits) fails.
 *
 * Exit status: 0 if every check passed, 1 if any failed, 2 usage error.
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
#include <time.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

#include "rpmsg_tools.h"

#define RBUF_LEN	65536
#define CHECK_TIMEOUT_S	30
#define ARRIVE_MS	2000
#define QUIET_MS	200
#define DRAIN_QUIET_MS	50
#define NONBLOCK_LIMIT	1024
#define MULTI_FDS	3
#define MULTI_MSGS	30
#define MAX_MSG		65535U

static unsigned int max_len = 496;
static unsigned int wait_timeout = 120;
static unsigned int nonblock_limit = NONBLOCK_LIMIT;
static const char *dev_a, *dev_b;
static const char *cur = "?";
static bool cur_failed;
static uint8_t rbuf[RBUF_LEN];
static uint8_t tbuf[RBUF_LEN];

/* ---- reporting ---- */

static __printf(1, 2) int test_err(const char *fmt, ...);
static __printf(1, 2) void info(const char *fmt, ...);

static int test_err(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!cur_failed)
		printf("RESULT FAIL %s: %s\n", cur, msg);
	else
		printf("INFO %s: also: %s\n", cur, msg);
	cur_failed = true;
	return -1;
}

static void info(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printf("INFO %s: %s\n", cur, msg);
}

static const char *revents_str(short rev)
{
	static char buf[96];

	buf[0] = '\0';
	if (rev & POLLIN)
		strcat(buf, "|POLLIN");
	if (rev & POLLOUT)
		strcat(buf, "|POLLOUT");
	if (rev & POLLERR)
		strcat(buf, "|POLLERR");
	if (rev & POLLHUP)
		strcat(buf, "|POLLHUP");
	if (rev & POLLNVAL)
		strcat(buf, "|POLLNVAL");
	if (rev & ~(POLLIN | POLLOUT | POLLERR | POLLHUP | POLLNVAL))
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf),
			 "|0x%x", rev & ~(POLLIN | POLLOUT | POLLERR |
					  POLLHUP | POLLNVAL));
	return buf[0] ? buf + 1 : "0";
}

/* ---- watchdog: a blocked call becomes a FAIL line, not a hang ---- */

static char wd_msg[256];

static void on_alarm(int sig)
{
	ssize_t ret;

	(void)sig;
	ret = write(STDOUT_FILENO, wd_msg, strlen(wd_msg));
	(void)ret;
	_exit(1);
}

static void watchdog(unsigned int seconds, const char *what)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	fflush(stdout);
	snprintf(wd_msg, sizeof(wd_msg), "%s %s: %s%s (blocked for %u s)\n",
		 cur_failed ? "INFO" : "RESULT FAIL", cur,
		 cur_failed ? "also: " : "", what, seconds);
	alarm(seconds);
}

/* The watchdog every check runs under. */
static void check_watchdog(void)
{
	watchdog(CHECK_TIMEOUT_S, "check did not finish");
}

/* ---- helpers ---- */

static double now_ms(void)
{
	struct timespec ts;

	mono_gettime(&ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int open_dev(const char *path, int flags)
{
	int fd = open(path, O_RDWR | O_CLOEXEC | flags);

	if (fd < 0)
		test_err("open %s%s: %s", path,
			 (flags & O_NONBLOCK) ? " (O_NONBLOCK)" : "",
			 errname(errno));
	return fd;
}

static void close_fds(int *fds, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		if (fds[i] >= 0)
			close(fds[i]);
		fds[i] = -1;
	}
}

/* Clamp a message size to MAX (only matters for a tiny -m). */
static size_t clamp(size_t len)
{
	return len < max_len ? len : max_len;
}

static void fill(uint8_t *buf, size_t len, unsigned int tag)
{
	size_t j;

	for (j = 0; j < len; j++)
		buf[j] = (uint8_t)(tag * 0x9d + j * 0x3b + (j >> 8) + 1);
}

/* fill() plus a little-endian index in the first (up to) 4 bytes */
static void fill_idx(uint8_t *buf, size_t len, unsigned int tag,
		     uint32_t idx)
{
	size_t j;

	fill(buf, len, tag + idx);
	for (j = 0; j < 4 && j < len; j++)
		buf[j] = (uint8_t)(idx >> (8 * j));
}

/* Write exactly len bytes as one message; 0 ok, -1 failed (reported). */
static int send_msg(int fd, const void *buf, size_t len, const char *what)
{
	ssize_t n = write(fd, buf, len);

	if (n == (ssize_t)len)
		return 0;
	if (n < 0)
		return test_err("write of %s (%zu bytes) to %s failed: %s", what,
				len, dev_a, errname(errno));
	return test_err("write of %s (%zu bytes) to %s returned %zd", what, len,
			dev_a, n);
}

/*
 * Wait up to timeout_ms for a message on fd (which should be O_NONBLOCK)
 * and read it into buf.  Returns its length; -1 with errno ETIMEDOUT if
 * nothing came, -1 with another errno if poll/read failed (EPIPE for
 * POLLERR/POLLHUP/POLLNVAL).
 */
static ssize_t recv_msg(int fd, void *buf, size_t len, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	double end = now_ms() + timeout_ms;
	ssize_t n;
	int ret, left;

	for (;;) {
		left = (int)(end - now_ms());
		if (left < 0)
			left = 0;
		ret = poll(&pfd, 1, left);
		if (ret < 0 && errno == EINTR)
			continue;
		if (ret < 0)
			return -1;
		if (ret == 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		if (!(pfd.revents & POLLIN)) {
			errno = EPIPE;
			return -1;
		}
		n = read(fd, buf, len);
		if (n >= 0 || (errno != EAGAIN && errno != EINTR))
			return n;
		if (left == 0) {
			errno = ETIMEDOUT;
			return -1;
		}
	}
}

/* Receive one message and require it to equal exp[0..len). */
static int expect_msg(int fd, const uint8_t *exp, size_t len,
		      const char *what)
{
	ssize_t n = recv_msg(fd, rbuf, sizeof(rbuf), ARRIVE_MS);
	size_t i;

	if (n < 0) {
		if (errno == ETIMEDOUT)
			return test_err("%s (%zu bytes) did not arrive on %s within %d ms",
					what, len, dev_b, ARRIVE_MS);
		return test_err("reading %s from %s failed: %s", what, dev_b,
				errname(errno));
	}
	if ((size_t)n != len)
		return test_err("%s: expected %zu bytes on %s, read returned %zd",
				what, len, dev_b, n);
	for (i = 0; i < len && rbuf[i] == exp[i]; i++)
		;
	if (i < len)
		return test_err("%s: content differs at offset %zu (0x%02x, expected 0x%02x)",
				what, i, rbuf[i], exp[i]);
	return 0;
}

/* Nothing more may arrive on fd within QUIET_MS. */
static int expect_quiet(int fd, const char *path, const char *after)
{
	ssize_t n = recv_msg(fd, rbuf, sizeof(rbuf), QUIET_MS);

	if (n >= 0)
		return test_err("unexpected extra %zd-byte message on %s after %s",
				n, path, after);
	if (errno != ETIMEDOUT)
		return test_err("checking %s for extra messages: %s", path,
				errname(errno));
	return 0;
}

/* Read and discard everything queued on path with O_NONBLOCK reads. */
static void drain_path(const char *path)
{
	struct pollfd pfd;
	unsigned long cnt = 0;
	int fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return;		/* the check itself will report it */
	pfd.fd = fd;
	pfd.events = POLLIN;
	while (cnt < 10 * (unsigned long)nonblock_limit) {
		n = read(fd, rbuf, sizeof(rbuf));
		if (n >= 0) {
			cnt++;
			continue;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN) {
			info("draining %s: read failed: %s", path,
			     errname(errno));
			break;
		}
		if (poll(&pfd, 1, DRAIN_QUIET_MS) <= 0 ||
		    !(pfd.revents & POLLIN))
			break;
	}
	if (cnt)
		info("drained %lu stale message(s) from %s", cnt, path);
	close(fd);
}

/* ---- checks ---- */

static int check_boundaries(void)
{
	size_t sizes[4], cnt = 0, i, j;
	int fds[2] = { -1, -1 };
	int ret = -1;
	ssize_t n;

	/* 1, 2, MAX-1, MAX without duplicates for tiny MAX */
	sizes[cnt++] = 1;
	if (max_len >= 2)
		sizes[cnt++] = 2;
	if (max_len - 1 > 2)
		sizes[cnt++] = max_len - 1;
	if (max_len > 2)
		sizes[cnt++] = max_len;

	fds[0] = open_dev(dev_a, 0);
	fds[1] = open_dev(dev_b, 0);	/* blocking reads on purpose */
	if (fds[0] < 0 || fds[1] < 0)
		goto out;
	for (i = 0; i < cnt; i++) {
		fill(tbuf, sizes[i], (unsigned int)i + 1);
		if (send_msg(fds[0], tbuf, sizes[i], "message"))
			goto out;
	}
	for (i = 0; i < cnt; i++) {
		watchdog(CHECK_TIMEOUT_S, "blocking read never returned");
		n = read(fds[1], rbuf, sizeof(rbuf));
		check_watchdog();
		if (n < 0) {
			test_err("blocking read #%zu from %s failed: %s", i, dev_b,
				 errname(errno));
			goto out;
		}
		if ((size_t)n != sizes[i]) {
			test_err("read #%zu returned %zd bytes, expected one %zu-byte message (sizes written: 1, 2, MAX-1, MAX)",
				 i, n, sizes[i]);
			goto out;
		}
		fill(tbuf, sizes[i], (unsigned int)i + 1);
		for (j = 0; j < sizes[i] && rbuf[j] == tbuf[j]; j++)
			;
		if (j < sizes[i]) {
			test_err("%zu-byte message differs at offset %zu", sizes[i],
				 j);
			goto out;
		}
	}
	fcntl(fds[1], F_SETFL, O_NONBLOCK);
	ret = expect_quiet(fds[1], dev_b, "the last boundary message");
out:
	close_fds(fds, 2);
	return ret;
}

static int check_zerolen(void)
{
	int fds[2] = { -1, -1 };
	int ret = -1;
	ssize_t n;

	fds[0] = open_dev(dev_a, 0);
	fds[1] = open_dev(dev_b, O_NONBLOCK);
	if (fds[0] < 0 || fds[1] < 0)
		goto out;
	n = write(fds[0], tbuf, 0);
	if (n != 0) {
		if (n < 0)
			test_err("zero-length write failed: %s", errname(errno));
		else
			test_err("zero-length write returned %zd", n);
		goto out;
	}
	n = recv_msg(fds[1], rbuf, sizeof(rbuf), QUIET_MS);
	if (n >= 0) {
		test_err("zero-length write delivered a %zd-byte message", n);
		goto out;
	}
	/* A marker message must be the next (and only) thing to arrive. */
	fill(tbuf, clamp(3), 0x20);
	if (send_msg(fds[0], tbuf, clamp(3), "marker message") ||
	    expect_msg(fds[1], tbuf, clamp(3),
		       "marker after zero-length write") ||
	    expect_quiet(fds[1], dev_b, "the marker message"))
		goto out;
	ret = 0;
out:
	close_fds(fds, 2);
	return ret;
}

static int check_nonblock(void)
{
	struct pollfd pfd;
	int fds[2] = { -1, -1 };
	size_t len = max_len;
	uint32_t accepted = 0, i;
	double t0;
	int ret = -1;
	ssize_t n;

	fds[1] = open_dev(dev_b, O_NONBLOCK);
	if (fds[1] < 0)
		goto out;
	n = read(fds[1], rbuf, sizeof(rbuf));
	if (n >= 0) {
		test_err("O_NONBLOCK read of empty %s returned %zd instead of EAGAIN",
			 dev_b, n);
		goto out;
	}
	if (errno != EAGAIN) {
		test_err("O_NONBLOCK read of empty %s: %s instead of EAGAIN", dev_b,
			 errname(errno));
		goto out;
	}

	fds[0] = open_dev(dev_a, O_NONBLOCK);
	if (fds[0] < 0)
		goto out;
	while (accepted < nonblock_limit) {
		fill_idx(tbuf, len, 0x40, accepted);
		n = write(fds[0], tbuf, len);
		if (n == (ssize_t)len) {
			accepted++;
			continue;
		}
		if (n < 0 && errno == EAGAIN)
			break;
		if (n < 0)
			test_err("O_NONBLOCK write #%u failed: %s instead of EAGAIN",
				 accepted, errname(errno));
		else
			test_err("O_NONBLOCK write #%u returned %zd, expected %zu",
				 accepted, n, len);
		goto out;
	}
	if (!accepted) {
		test_err("the first O_NONBLOCK write already returned EAGAIN");
		goto out;
	}
	info("%u messages of %zu bytes accepted%s", accepted, len,
	     accepted < nonblock_limit ? " before EAGAIN" : ", no EAGAIN");

	for (i = 0; i < accepted; i++) {
		n = recv_msg(fds[1], rbuf, sizeof(rbuf), ARRIVE_MS);
		if (n < 0) {
			test_err("only %u of %u accepted messages arrived on %s (%s)",
				 i, accepted, dev_b,
				 errno == ETIMEDOUT ? "timeout" : errname(errno));
			goto out;
		}
		fill_idx(tbuf, len, 0x40, i);
		if ((size_t)n != len || memcmp(rbuf, tbuf, len)) {
			test_err("message %u of %u on %s is wrong (%zd bytes, index %u)",
				 i, accepted, dev_b, n,
				 n >= 4 ? rbuf[0] | rbuf[1] << 8 | rbuf[2] << 16 |
					  (uint32_t)rbuf[3] << 24 : 0);
			goto out;
		}
	}
	if (expect_quiet(fds[1], dev_b, "draining the accepted messages"))
		goto out;

	pfd.fd = fds[0];
	pfd.events = POLLOUT;
	t0 = now_ms();
	n = poll(&pfd, 1, 5000);
	if (n <= 0 || !(pfd.revents & POLLOUT)) {
		test_err("%s not writable (POLLOUT) within 5 s after draining: poll=%zd revents=%s",
			 dev_a, n, n > 0 ? revents_str(pfd.revents) : "-");
		goto out;
	}
	info("POLLOUT after %.1f ms", now_ms() - t0);
	fill_idx(tbuf, len, 0x41, accepted);
	if (send_msg(fds[0], tbuf, len, "O_NONBLOCK write after POLLOUT") ||
	    expect_msg(fds[1], tbuf, len, "message written after POLLOUT") ||
	    expect_quiet(fds[1], dev_b, "the last message"))
		goto out;
	ret = 0;
out:
	close_fds(fds, 2);
	return ret;
}

static int check_emsgsize(void)
{
	size_t sizes[2] = { (size_t)max_len + 1, 4096 };
	int fds[2] = { -1, -1 };
	int ret = -1, i;
	ssize_t n;

	fds[0] = open_dev(dev_a, 0);
	fds[1] = open_dev(dev_b, O_NONBLOCK);
	if (fds[0] < 0 || fds[1] < 0)
		goto out;
	if (max_len >= 4096) {
		info("MAX >= 4096, using MAX+4096 instead of 4096");
		sizes[1] = (size_t)max_len + 4096;
	}
	for (i = 0; i < 2; i++) {
		fill(tbuf, sizes[i], 0x60 + i);
		n = write(fds[0], tbuf, sizes[i]);
		if (n >= 0) {
			test_err("write of %zu bytes (MAX %u) returned %zd instead of EMSGSIZE",
				 sizes[i], max_len, n);
			goto out;
		}
		if (errno != EMSGSIZE) {
			test_err("write of %zu bytes (MAX %u) failed with %s instead of EMSGSIZE",
				 sizes[i], max_len, errname(errno));
			goto out;
		}
	}
	n = recv_msg(fds[1], rbuf, sizeof(rbuf), QUIET_MS);
	if (n >= 0) {
		test_err("a rejected oversized write delivered a %zd-byte message",
			 n);
		goto out;
	}
	fill(tbuf, max_len, 0x62);
	if (send_msg(fds[0], tbuf, max_len, "MAX-byte message after EMSGSIZE") ||
	    expect_msg(fds[1], tbuf, max_len, "MAX-byte message after EMSGSIZE") ||
	    expect_quiet(fds[1], dev_b, "the MAX-byte message"))
		goto out;
	ret = 0;
out:
	close_fds(fds, 2);
	return ret;
}

static int check_shortread(void)
{
	size_t len = max_len < 100 ? max_len : 100;
	size_t small = len > 10 ? 10 : len - 1;
	uint8_t sbuf[256];
	int fds[2] = { -1, -1 };
	struct pollfd pfd;
	int ret = -1;
	size_t j;
	ssize_t n;

	if (len < 2)
		return test_err("needs MAX >= 2");
	fds[0] = open_dev(dev_a, 0);
	fds[1] = open_dev(dev_b, O_NONBLOCK);
	if (fds[0] < 0 || fds[1] < 0)
		goto out;
	fill(tbuf, len, 0x70);
	if (send_msg(fds[0], tbuf, len, "message"))
		goto out;
	pfd.fd = fds[1];
	pfd.events = POLLIN;
	if (poll(&pfd, 1, ARRIVE_MS) <= 0 || !(pfd.revents & POLLIN)) {
		test_err("%zu-byte message did not arrive on %s within %d ms", len,
			 dev_b, ARRIVE_MS);
		goto out;
	}
	memset(sbuf, 0xee, sizeof(sbuf));
	n = read(fds[1], sbuf, small);
	for (j = small; j < sizeof(sbuf) && sbuf[j] == 0xee; j++)
		;
	if (j < sizeof(sbuf)) {
		test_err("read with a %zu-byte buffer wrote past its end (offset %zu)",
			 small, j);
		goto out;
	}
	if (n >= 0) {
		test_err("read of a %zu-byte message with a %zu-byte buffer returned %zd instead of EMSGSIZE",
			 len, small, n);
		goto out;
	}
	if (errno != EMSGSIZE) {
		test_err("read with a %zu-byte buffer failed with %s instead of EMSGSIZE",
			 small, errname(errno));
		goto out;
	}
	for (j = 0; j < small && sbuf[j] == 0xee; j++)
		;
	if (j < small)
		info("the failed short read modified the buffer (offset %zu)",
		     j);
	if (expect_msg(fds[1], tbuf, len, "message after EMSGSIZE read"))
		goto out;

	/* A buffer of exactly the message size is big enough. */
	fill(tbuf, len, 0x71);
	if (send_msg(fds[0], tbuf, len, "second message"))
		goto out;
	n = recv_msg(fds[1], rbuf, len, ARRIVE_MS);
	if (n < 0) {
		test_err("read of a %zu-byte message with an exactly %zu-byte buffer failed: %s",
			 len, len, errno == ETIMEDOUT ? "timeout" : errname(errno));
		goto out;
	}
	if ((size_t)n != len || memcmp(rbuf, tbuf, len)) {
		test_err("exact-size read returned %zd bytes%s", n,
			 (size_t)n == len ? " with wrong content" : "");
		goto out;
	}
	ret = expect_quiet(fds[1], dev_b, "the short read test");
out:
	close_fds(fds, 2);
	return ret;
}

static int check_poll(void)
{
	int fds[2] = { -1, -1 };
	struct pollfd pfd;
	double t0;
	int ret = -1, r;

	fds[0] = open_dev(dev_a, 0);
	fds[1] = open_dev(dev_b, O_NONBLOCK);
	if (fds[0] < 0 || fds[1] < 0)
		goto out;

	pfd.fd = fds[1];
	pfd.events = POLLIN;
	t0 = now_ms();
	r = poll(&pfd, 1, 100);
	if (r != 0) {
		test_err("poll(POLLIN, 100 ms) on idle %s returned %d revents=%s instead of timing out",
			 dev_b, r, r > 0 ? revents_str(pfd.revents) :
			 errname(errno));
		goto out;
	}
	if (now_ms() - t0 < 90) {
		test_err("poll(POLLIN, 100 ms) on idle %s returned after only %.1f ms",
			 dev_b, now_ms() - t0);
		goto out;
	}

	fill(tbuf, clamp(20), 0x80);
	if (send_msg(fds[0], tbuf, clamp(20), "message"))
		goto out;
	t0 = now_ms();
	r = poll(&pfd, 1, ARRIVE_MS);
	if (r != 1 || pfd.revents != POLLIN) {
		test_err("poll(POLLIN) on %s after a write on %s returned %d revents=%s, expected POLLIN within %d ms",
			 dev_b, dev_a, r, r > 0 ? revents_str(pfd.revents) :
			 r ? errname(errno) : "-", ARRIVE_MS);
		goto out;
	}
	info("POLLIN after %.3f ms", now_ms() - t0);
	if (expect_msg(fds[1], tbuf, clamp(20), "polled message"))
		goto out;
	r = poll(&pfd, 1, 100);
	if (r != 0) {
		test_err("after reading the only message poll(POLLIN) on %s returned %d revents=%s",
			 dev_b, r, r > 0 ? revents_str(pfd.revents) :
			 errname(errno));
		goto out;
	}

	pfd.fd = fds[0];
	pfd.events = POLLIN | POLLOUT;
	r = poll(&pfd, 1, 1000);
	if (r != 1 || pfd.revents != POLLOUT) {
		test_err("poll(POLLIN|POLLOUT) on idle %s returned %d revents=%s, expected POLLOUT only",
			 dev_a, r, r > 0 ? revents_str(pfd.revents) :
			 r ? errname(errno) : "-");
		goto out;
	}
	pfd.fd = fds[1];
	r = poll(&pfd, 1, 1000);
	if (r != 1 || pfd.revents != POLLOUT) {
		test_err("poll(POLLIN|POLLOUT) on idle %s returned %d revents=%s, expected POLLOUT only",
			 dev_b, r, r > 0 ? revents_str(pfd.revents) :
			 r ? errname(errno) : "-");
		goto out;
	}
	ret = 0;
out:
	close_fds(fds, 2);
	return ret;
}

static int check_multiopen(void)
{
	struct pollfd pfd[MULTI_FDS];
	unsigned int got[MULTI_MSGS] = { 0 }, per_fd[MULTI_FDS] = { 0 };
	unsigned int total = 0, turn = 0, k, idx, last = 0;
	bool in_order = true;
	int fds[1 + MULTI_FDS], ret = -1, r, i;
	size_t len;
	ssize_t n;

	for (i = 0; i < 1 + MULTI_FDS; i++)
		fds[i] = -1;
	fds[0] = open_dev(dev_a, 0);
	if (fds[0] < 0)
		goto out;
	for (i = 0; i < MULTI_FDS; i++) {
		fds[1 + i] = open_dev(dev_b, O_NONBLOCK);
		if (fds[1 + i] < 0)
			goto out;
		pfd[i].fd = fds[1 + i];
		pfd[i].events = POLLIN;
	}
	for (idx = 0; idx < MULTI_MSGS; idx++) {
		len = 8 + idx < max_len ? 8 + idx : max_len;
		fill_idx(tbuf, len, 0x90, idx);
		if (send_msg(fds[0], tbuf, len, "indexed message"))
			goto out;
	}
	while (total < MULTI_MSGS) {
		r = poll(pfd, MULTI_FDS, ARRIVE_MS);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			test_err("only %u of %d messages received (%s)", total,
				 MULTI_MSGS, r ? errname(errno) : "timeout");
			goto out;
		}
		for (k = 0; k < MULTI_FDS; k++) {
			i = (turn + k) % MULTI_FDS;
			if (pfd[i].revents & ~POLLIN) {
				test_err("fd #%d: poll revents=%s", i,
					 revents_str(pfd[i].revents));
				goto out;
			}
			if (!(pfd[i].revents & POLLIN))
				continue;
			n = read(pfd[i].fd, rbuf, sizeof(rbuf));
			if (n < 0 && errno == EAGAIN)
				continue;	/* another fd got it */
			if (n < 0) {
				test_err("read on fd #%d failed: %s", i,
					 errname(errno));
				goto out;
			}
			idx = n >= 4 ? rbuf[0] | rbuf[1] << 8 |
				rbuf[2] << 16 | (uint32_t)rbuf[3] << 24 :
				rbuf[0];
			len = 8 + idx < max_len ? 8 + idx : max_len;
			if (idx >= MULTI_MSGS || (size_t)n != len) {
				test_err("fd #%d read a %zd-byte message with bad index %u",
					 i, n, idx);
				goto out;
			}
			fill_idx(tbuf, len, 0x90, idx);
			if (memcmp(rbuf, tbuf, len)) {
				test_err("message %u (fd #%d) has wrong content",
					 idx, i);
				goto out;
			}
			if (got[idx]++) {
				test_err("message %u received twice", idx);
				goto out;
			}
			if (total && idx < last)
				in_order = false;
			last = idx;
			per_fd[i]++;
			total++;
		}
		turn = (turn + 1) % MULTI_FDS;
	}
	for (i = 0; i < MULTI_FDS; i++)
		if (expect_quiet(fds[1 + i], dev_b, "all 30 messages"))
			goto out;
	info("messages per fd: %u/%u/%u, %s", per_fd[0], per_fd[1], per_fd[2],
	     in_order ? "in order" : "NOT in write order");
	ret = 0;
out:
	close_fds(fds, 1 + MULTI_FDS);
	return ret;
}

static int check_efault(void)
{
	/* An atomic load keeps the compiler from seeing the constant. */
	static uintptr_t bad_addr = 1;
	void *bad = (void *)__atomic_load_n(&bad_addr, __ATOMIC_RELAXED);
	size_t len = clamp(48);
	int fds[2] = { -1, -1 };
	struct pollfd pfd;
	int ret = -1;
	ssize_t n;

	fds[0] = open_dev(dev_a, 0);
	fds[1] = open_dev(dev_b, O_NONBLOCK);
	if (fds[0] < 0 || fds[1] < 0)
		goto out;

	n = write(fds[0], bad, clamp(16));
	if (n >= 0 || errno != EFAULT) {
		test_err("write from a bad pointer returned %zd (%s) instead of EFAULT",
			 n, n < 0 ? errname(errno) : "success");
		goto out;
	}
	n = recv_msg(fds[1], rbuf, sizeof(rbuf), QUIET_MS);
	if (n >= 0) {
		test_err("write that failed with EFAULT still delivered a %zd-byte message",
			 n);
		goto out;
	}

	fill(tbuf, len, 0xa0);
	if (send_msg(fds[0], tbuf, len, "message"))
		goto out;
	pfd.fd = fds[1];
	pfd.events = POLLIN;
	if (poll(&pfd, 1, ARRIVE_MS) <= 0 || !(pfd.revents & POLLIN)) {
		test_err("message did not arrive on %s within %d ms", dev_b,
			 ARRIVE_MS);
		goto out;
	}
	n = read(fds[1], bad, sizeof(rbuf));
	if (n >= 0 || errno != EFAULT) {
		test_err("read into a bad pointer returned %zd (%s) instead of EFAULT",
			 n, n < 0 ? errname(errno) : "success");
		goto out;
	}
	n = recv_msg(fds[1], rbuf, sizeof(rbuf), QUIET_MS);
	if (n >= 0) {
		if ((size_t)n != len || memcmp(rbuf, tbuf, len)) {
			test_err("after the EFAULT read a %zd-byte message that is not the original came out",
				 n);
			goto out;
		}
		info("the message stayed queued after the EFAULT read and was read intact");
	} else if (errno == ETIMEDOUT) {
		info("the message was dropped by the EFAULT read");
	} else {
		test_err("read after the EFAULT read failed: %s", errname(errno));
		goto out;
	}

	fill(tbuf, len, 0xa1);
	if (send_msg(fds[0], tbuf, len, "fresh message") ||
	    expect_msg(fds[1], tbuf, len, "fresh message after EFAULT") ||
	    expect_quiet(fds[1], dev_b, "the fresh message"))
		goto out;
	ret = 0;
out:
	close_fds(fds, 2);
	return ret;
}

static int check_enotty(void)
{
	static const unsigned long cmds[] = {
		_IOWR('R', 0xe7, uint64_t),	/* made up */
		0xdeadbeef,
		TCGETS,
	};
	static uintptr_t bad_addr = 1;
	void *bad = (void *)__atomic_load_n(&bad_addr, __ATOMIC_RELAXED);
	size_t len = clamp(32);
	int fds[2] = { -1, -1 };
	int ret = -1, i, j;

	fds[0] = open_dev(dev_a, 0);
	fds[1] = open_dev(dev_b, O_NONBLOCK);
	if (fds[0] < 0 || fds[1] < 0)
		goto out;
	for (i = 0; i < 2; i++) {
		for (j = 0; j < (int)ARRAY_SIZE(cmds); j++) {
			errno = 0;
			if (ioctl(fds[i], cmds[j], bad) != -1 || errno != ENOTTY) {
				test_err("ioctl 0x%lx on %s: %s instead of ENOTTY",
					 cmds[j], i ? dev_b : dev_a,
					 errno ? errname(errno) : "success");
				goto out;
			}
		}
	}
	fill(tbuf, len, 0xb0);
	if (send_msg(fds[0], tbuf, len, "message after ENOTTY") ||
	    expect_msg(fds[1], tbuf, len, "message after ENOTTY") ||
	    expect_quiet(fds[1], dev_b, "the message after ENOTTY"))
		goto out;
	ret = 0;
out:
	close_fds(fds, 2);
	return ret;
}

/* ---- device removal ---- */

/* After removal, another read and a write on fd must fail, not block. */
static int after_removal(int fd)
{
	ssize_t n;

	watchdog(5, "read after device removal blocked");
	n = read(fd, rbuf, sizeof(rbuf));
	alarm(0);
	if (n >= 0)
		return test_err("second read after removal returned %zd instead of an error",
				n);
	if (!is_removal_errno(errno))
		return test_err("second read after removal failed with %s",
				errname(errno));

	watchdog(5, "write after device removal blocked");
	n = write(fd, "x", 1);
	alarm(0);
	if (n >= 0)
		return test_err("write after removal returned %zd instead of an error",
				n);
	if (!is_removal_errno(errno))
		return test_err("write after removal failed with %s",
				errname(errno));
	info("write after removal: %s", errname(errno));
	return 0;
}

static int check_blockedread(const char *dev)
{
	int fd, err, ret;
	ssize_t n;

	fd = open_dev(dev, 0);
	if (fd < 0)
		return -1;
	printf("READY\n");
	fflush(stdout);
	watchdog(wait_timeout, "read still blocked, device was not removed");
	n = read(fd, rbuf, sizeof(rbuf));
	err = errno;
	alarm(0);
	if (n >= 0) {
		close(fd);
		return test_err("read returned %zd (%s) instead of an error", n,
				n ? "a message" : "EOF");
	}
	if (!is_removal_errno(err)) {
		close(fd);
		test_err("read failed with %s, expected ENODEV, EPIPE, ESHUTDOWN or ECONNRESET",
			 errname(err));
		return -1;
	}
	ret = after_removal(fd);
	if (close(fd))
		info("close after removal: %s", errname(errno));
	if (!ret)
		printf("RESULT PASS %s: errno=%s\n", cur, errname(err));
	return ret;
}

static int check_blockedpoll(const char *dev)
{
	struct pollfd pfd;
	char rev[96];
	int fd, r, ret;
	ssize_t n;

	fd = open_dev(dev, O_NONBLOCK);
	if (fd < 0)
		return -1;
	pfd.fd = fd;
	pfd.events = POLLIN;
	printf("READY\n");
	fflush(stdout);
	watchdog(wait_timeout, "poll still blocked, device was not removed");
	do {
		r = poll(&pfd, 1, -1);
	} while (r < 0 && errno == EINTR);
	alarm(0);
	if (r != 1) {
		close(fd);
		return test_err("poll returned %d (%s)", r,
				r < 0 ? errname(errno) : "no event");
	}
	if (pfd.revents & POLLNVAL) {
		close(fd);
		return test_err("poll reported POLLNVAL");
	}
	if (!(pfd.revents & (POLLHUP | POLLERR | POLLIN))) {
		close(fd);
		return test_err("poll woke up with revents=%s", revents_str(pfd.revents));
	}
	/* Whatever poll said, reading must now fail with a removal error. */
	n = read(fd, rbuf, sizeof(rbuf));
	if (n >= 0 || !is_removal_errno(errno)) {
		ret = test_err("poll revents=%s but then read returned %zd (%s)",
			       revents_str(pfd.revents), n,
			       n >= 0 ? (n ? "a message" : "EOF") :
			       errname(errno));
		close(fd);
		return ret;
	}
	if (!(pfd.revents & (POLLHUP | POLLERR)))
		info("poll reported only POLLIN; read failed with %s",
		     errname(errno));
	snprintf(rev, sizeof(rev), "%s", revents_str(pfd.revents));
	ret = after_removal(fd);
	pfd.events = POLLIN | POLLOUT;
	r = poll(&pfd, 1, 0);
	info("poll after removal: %d revents=%s", r,
	     r > 0 ? revents_str(pfd.revents) : "-");
	if (close(fd))
		info("close after removal: %s", errname(errno));
	if (!ret)
		printf("RESULT PASS %s: revents=%s\n", cur, rev);
	return ret;
}

/* ---- driver ---- */

static const struct check {
	const char *name;
	int (*fn)(void);
} checks[] = {
	{ "boundaries", check_boundaries },
	{ "zerolen", check_zerolen },
	{ "nonblock", check_nonblock },
	{ "emsgsize", check_emsgsize },
	{ "shortread", check_shortread },
	{ "poll", check_poll },
	{ "multiopen", check_multiopen },
	{ "efault", check_efault },
	{ "enotty", check_enotty },
};

#define NCHECKS ARRAY_SIZE(checks)

static int run_check(const struct check *c)
{
	int ret;

	cur = c->name;
	cur_failed = false;
	drain_path(dev_a);
	drain_path(dev_b);
	check_watchdog();
	ret = c->fn();
	alarm(0);
	if (!ret && !cur_failed)
		printf("RESULT PASS %s\n", c->name);
	else if (!cur_failed)
		test_err("failed without a reason (bug in rpmsg_chartest)");
	return cur_failed ? -1 : 0;
}

static void print_help(FILE *f)
{
	size_t i;

	fprintf(f,
		"Usage: rpmsg_chartest [-m MAX] [-l LIMIT] [-t SECONDS] SUBCMD DEV_A DEV_B\n"
		"       rpmsg_chartest [-t SECONDS] blockedread|blockedpoll DEV\n"
		"SUBCMD: all");
	for (i = 0; i < NCHECKS; i++)
		fprintf(f, " %s", checks[i].name);
	fprintf(f,
		"\n"
		"  -m MAX      max payload per message (default 496)\n"
		"  -l LIMIT    nonblock: at most LIMIT writes (default 1024)\n"
		"              (default 100000)\n"
		"  -t SECONDS  how long blockedread/blockedpoll wait for the\n"
		"              device to go away (default 120)\n"
		"Messages written to DEV_A must arrive on DEV_B.  Prints one\n"
		"'RESULT PASS <name>' or 'RESULT FAIL <name>: <reason>' per check.\n"
		"blocked*: open DEV, print READY, block until the driver is\n"
		"unbound; the read/poll must then report the removal.\n"
		"Exit status: 0 all passed, 1 any failed, 2 usage error.\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *sub;
	unsigned int passed = 0, failed = 0;
	size_t i;
	int opt;

	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((opt = getopt_long(argc, argv, "+m:t:l:h", longopts,
				  NULL)) != -1) {
		switch (opt) {
		case 'm':
			if (!parse_uint(optarg, &max_len, 1, MAX_MSG)) {
				fprintf(stderr, "rpmsg_chartest: bad -m '%s'\n",
					optarg);
				return 2;
			}
			break;
		case 't':
			if (!parse_uint(optarg, &wait_timeout, 1, 86400)) {
				fprintf(stderr, "rpmsg_chartest: bad -t '%s'\n",
					optarg);
				return 2;
			}
			break;
		case 'l':
			if (!parse_uint(optarg, &nonblock_limit, 1,
					100000000)) {
				fprintf(stderr, "rpmsg_chartest: bad -l '%s'\n",
					optarg);
				return 2;
			}
			break;
		case 'h':
			print_help(stdout);
			return 0;
		default:
			print_help(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		print_help(stderr);
		return 2;
	}
	sub = argv[optind++];

	if (!strcmp(sub, "blockedread") || !strcmp(sub, "blockedpoll")) {
		if (argc - optind != 1) {
			print_help(stderr);
			return 2;
		}
		cur = sub;
		if (!strcmp(sub, "blockedread"))
			return check_blockedread(argv[optind]) ? 1 : 0;
		return check_blockedpoll(argv[optind]) ? 1 : 0;
	}

	if (argc - optind != 2) {
		print_help(stderr);
		return 2;
	}
	dev_a = argv[optind];
	dev_b = argv[optind + 1];

	for (i = 0; i < NCHECKS; i++) {
		if (strcmp(sub, "all") && strcmp(sub, checks[i].name))
			continue;
		if (run_check(&checks[i]))
			failed++;
		else
			passed++;
	}
	if (!passed && !failed) {
		fprintf(stderr, "rpmsg_chartest: unknown subcommand '%s'\n",
			sub);
		print_help(stderr);
		return 2;
	}
	if (!strcmp(sub, "all"))
		printf("SUMMARY: %u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}

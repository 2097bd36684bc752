// SPDX-License-Identifier: GPL-2.0
/*
 * rpmsg_race - user-space side of the "device removed while in use" tests.
 *
 * Usage:
 *   rpmsg_race hammer [-t SECONDS] [-j PROCS] [-o] DEV...
 *   rpmsg_race wake [-l LIMIT_MS] [-N] read|write|poll|pollout DEV CMD
 *
 * hammer: PROCS processes per DEV (default 4) run open/read/write/poll/close
 * in tight loops for SECONDS (default 10, or until rpmsg_race gets SIGUSR1)
 * while something else (the test script) removes and re-adds the devices.
 * Process k runs pattern k % 4:
 *   0  open, write one small message, close
 *   1  open non-blocking, poll(POLLIN, 10 ms), read, close
 *   2  open once, then blocking read() until an error, then reopen
 *   3  open, poll(POLLIN | POLLOUT, 10 ms), non-blocking write and read,
 *      close
 * With -o only the patterns that keep a device open for a short time (0, 1
 * and 3) run, each pausing SHORT_PAUSE_MS after close, so that the char
 * module is unused now and then (all twelve processes of a 4-device run
 * closed at once, about one time in ten) and can be unloaded in between.
 * Errors a removal explains (ENOENT, ENODEV, ENXIO, ENOTCONN, EAGAIN, EINTR,
 * POLLERR/POLLHUP) are counted; anything else (EFAULT, EINVAL, EBADF, a read
 * returning 0 ...) is an unexpected error.  At the end every process is
 * interrupted (SIGUSR1, no SA_RESTART) and must exit within 5 s: a process
 * stuck in the kernel fails the run.  Prints one line
 *   rpmsg_race: hammer: opens=N open_errs=N reads=N writes=N polls=N
 *               expected_errs=N unexpected=N stuck=N
 * and exits 0 when unexpected and stuck are 0.
 *
 * wake: opens DEV and blocks in read() (read), write() (write: writes until
 * a write blocks, the other side must not consume), poll(POLLIN) (poll) or
 * poll(POLLOUT) after non-blocking writes until EAGAIN (pollout).  Once it
 * has been blocked for 300 ms, runs CMD with /bin/sh -c (e.g. an unbind),
 * then measures how long the blocked call takes to return.  PASS needs an
 * error (poll: POLLERR or POLLHUP) within LIMIT_MS (default 2000) of CMD
 * starting.  When the other side goes away it may first free transmit
 * buffers: a write (or POLLOUT) may then still succeed, but the writes that
 * follow must fail within the same limit.  Prints
 *   rpmsg_race: wake MODE: returned N ms after 'CMD' started (which took
 *   N ms): WHAT; RESULT=OK|FAIL
 * -N: the blocked call must not have returned before CMD ran (default); the
 * check is skipped with -N for modes that may legitimately return early.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "rpmsg_tools.h"

#define MAX_DEVS	16
#define MAX_PROCS	16
#define RBUF_LEN	65536
#define STOP_GRACE_S	5.0
#define BLOCK_MS	300
#define SHORT_PAUSE_MS	50	/* -o: each process's pause after close */
#define WAKE_MAX_WRITES	100000

struct counters {
	uint64_t opens;
	uint64_t open_errs;
	uint64_t reads;
	uint64_t writes;
	uint64_t polls;
	uint64_t expected;
	uint64_t unexpected;
};

/* Set by the SIGUSR1 handler; atomic accesses instead of volatile. */
static sig_atomic_t stop;

static void on_usr1(int sig)
{
	(void)sig;
	__atomic_store_n(&stop, 1, __ATOMIC_SEQ_CST);
}

static bool stopped(void)
{
	return __atomic_load_n(&stop, __ATOMIC_SEQ_CST);
}

static void print_help(FILE *f)
{
	fprintf(f,
		"Usage: rpmsg_race hammer [-t SECONDS] [-j PROCS] [-o] DEV...\n"
		"       rpmsg_race wake [-l LIMIT_MS] [-N] read|write|poll|pollout DEV CMD\n"
		"hammer: PROCS (default 4) processes per DEV loop over open/read/\n"
		"        write/poll/close for SECONDS (default 10); -o: only short\n"
		"        opens.  Fails on unexpected errors or stuck processes.\n"
		"wake:   block in the call, run CMD, the call must fail within\n"
		"        LIMIT_MS (default 2000).\n"
		"Exit status: 0 pass, 1 failure, 2 usage error.\n");
}

static bool expected_errno(int err)
{
	return err == ENOENT || err == ENODEV || err == ENXIO ||
	       err == ENOTCONN || err == EAGAIN || err == EINTR ||
	       is_removal_errno(err);
}

static void count_err(struct counters *c, int err, const char *what,
		      const char *dev)
{
	if (expected_errno(err)) {
		c->expected++;
		return;
	}
	if (c->unexpected++ < 5)
		fprintf(stderr, "rpmsg_race: %s %s: unexpected %s\n", what, dev,
			errname(err));
}

static void do_read(struct counters *c, int fd, uint8_t *buf,
		    const char *dev)
{
	ssize_t n = read(fd, buf, RBUF_LEN);

	if (n > 0) {
		c->reads++;
	} else if (n == 0) {
		if (c->unexpected++ < 5)
			fprintf(stderr, "rpmsg_race: read %s returned 0\n",
				dev);
	} else {
		count_err(c, errno, "read", dev);
	}
}

static void do_write(struct counters *c, int fd, const char *dev,
		     unsigned int k)
{
	char msg[32];
	int len = snprintf(msg, sizeof(msg), "race %u", k);
	ssize_t n = write(fd, msg, len);

	if (n == len)
		c->writes++;
	else if (n < 0)
		count_err(c, errno, "write", dev);
	else if (c->unexpected++ < 5)
		fprintf(stderr, "rpmsg_race: write %s returned %zd\n", dev, n);
}

static void do_poll(struct counters *c, int fd, short events,
		    const char *dev)
{
	struct pollfd pfd = { .fd = fd, .events = events };
	int ret = poll(&pfd, 1, 10);

	if (ret < 0) {
		count_err(c, errno, "poll", dev);
		return;
	}
	c->polls++;
	if (ret > 0 && (pfd.revents & POLLNVAL) && c->unexpected++ < 5)
		fprintf(stderr, "rpmsg_race: poll %s: POLLNVAL\n", dev);
	if (ret > 0 && (pfd.revents & (POLLERR | POLLHUP)))
		c->expected++;
}

static int do_open(struct counters *c, const char *dev, int flags)
{
	int fd = open(dev, O_RDWR | O_CLOEXEC | flags);

	if (fd < 0) {
		c->open_errs++;
		count_err(c, errno, "open", dev);
		/* the node is gone: do not spin on the lookup */
		if (errno == ENOENT)
			usleep(1000);
		return -1;
	}
	c->opens++;
	return fd;
}

static void hammer_proc(const char *dev, unsigned int pattern,
			bool pause, struct counters *c)
{
	uint8_t *buf = malloc(RBUF_LEN);
	unsigned int k = 0;
	int fd = -1;

	if (!buf)
		_exit(1);
	while (!stopped()) {
		k++;
		switch (pattern) {
		case 0:
			fd = do_open(c, dev, 0);
			if (fd < 0)
				break;
			do_write(c, fd, dev, k);
			close(fd);
			fd = -1;
			break;
		case 1:
			fd = do_open(c, dev, O_NONBLOCK);
			if (fd < 0)
				break;
			do_poll(c, fd, POLLIN, dev);
			do_read(c, fd, buf, dev);
			close(fd);
			fd = -1;
			break;
		case 2:
			if (fd < 0)
				fd = do_open(c, dev, 0);
			if (fd < 0)
				break;
			if (read(fd, buf, RBUF_LEN) > 0) {
				c->reads++;
				break;
			}
			if (!stopped())
				count_err(c, errno, "read", dev);
			close(fd);
			fd = -1;
			break;
		default:
			fd = do_open(c, dev, O_NONBLOCK);
			if (fd < 0)
				break;
			do_poll(c, fd, POLLIN | POLLOUT, dev);
			do_write(c, fd, dev, k);
			do_read(c, fd, buf, dev);
			close(fd);
			fd = -1;
			break;
		}
		if (pause)
			usleep(SHORT_PAUSE_MS * 1000);
	}
	if (fd >= 0)
		close(fd);
}

static int cmd_hammer(int argc, char **argv)
{
	unsigned int secs = 10, procs = 4, p, ndev, stuck = 0;
	pid_t pids[MAX_DEVS * MAX_PROCS];
	struct counters *cnt, sum = { 0 };
	bool short_only = false;
	struct sigaction sa;
	double end;
	int opt, i, n = 0, status;

	while ((opt = getopt(argc, argv, "t:j:oh")) != -1) {
		switch (opt) {
		case 't':
			if (!parse_uint(optarg, &secs, 1, 3600))
				goto bad;
			break;
		case 'j':
			if (!parse_uint(optarg, &procs, 1, MAX_PROCS))
				goto bad;
			break;
		case 'o':
			short_only = true;
			break;
		case 'h':
			print_help(stdout);
			return 0;
		default:
			print_help(stderr);
			return 2;
		}
	}
	ndev = argc - optind;
	if (!ndev || ndev > MAX_DEVS) {
		fprintf(stderr, "rpmsg_race: 1..%d devices\n", MAX_DEVS);
		return 2;
	}
	cnt = mmap(NULL, sizeof(*cnt) * ndev * procs, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (cnt == MAP_FAILED) {
		perror("rpmsg_race: mmap");
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;	/* no SA_RESTART: interrupt the call */
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	for (i = 0; i < (int)ndev; i++) {
		for (p = 0; p < procs; p++) {
			unsigned int pattern = short_only ? (p % 3 == 2 ? 3 : p % 3)
							  : p % 4;
			struct counters *c = &cnt[n];
			pid_t pid;

			fflush(NULL);
			pid = fork();
			if (pid < 0) {
				perror("rpmsg_race: fork");
				return 1;
			}
			if (!pid) {
				prctl(PR_SET_PDEATHSIG, SIGKILL);
				hammer_proc(argv[optind + i], pattern,
					    short_only, c);
				_exit(0);
			}
			pids[n++] = pid;
		}
	}
	/* SIGUSR1 to this process ends the run early */
	end = mono_now() + secs;
	while (!stopped() && mono_now() < end)
		usleep(100000);

	/* interrupt everyone until they are out, at most STOP_GRACE_S */
	end = mono_now() + STOP_GRACE_S;
	for (;;) {
		int alive = 0;

		for (i = 0; i < n; i++) {
			if (!pids[i])
				continue;
			if (waitpid(pids[i], &status, WNOHANG) == pids[i]) {
				pids[i] = 0;
				continue;
			}
			kill(pids[i], SIGUSR1);
			alive++;
		}
		if (!alive || mono_now() > end)
			break;
		usleep(20000);
	}
	for (i = 0; i < n; i++) {
		if (!pids[i])
			continue;
		fprintf(stderr,
			"rpmsg_race: process %d (%s, pattern %d) still running %.0f s after the stop: stuck in the kernel?\n",
			pids[i], argv[optind + i / procs], i % (int)procs,
			STOP_GRACE_S);
		stuck++;
	}
	for (i = 0; i < n; i++) {
		sum.opens += cnt[i].opens;
		sum.open_errs += cnt[i].open_errs;
		sum.reads += cnt[i].reads;
		sum.writes += cnt[i].writes;
		sum.polls += cnt[i].polls;
		sum.expected += cnt[i].expected;
		sum.unexpected += cnt[i].unexpected;
	}
	fprintf(stdout,
		"%s: opens=%llu open_errs=%llu reads=%llu writes=%llu polls=%llu expected_errs=%llu unexpected=%llu stuck=%u\n",
		"rpmsg_race: hammer", ULL(sum.opens), ULL(sum.open_errs),
		ULL(sum.reads), ULL(sum.writes), ULL(sum.polls),
		ULL(sum.expected), ULL(sum.unexpected), stuck);
	fflush(NULL);
	if (stuck) {
		/* do not wait for them: leave them to the test's timeout */
		_exit(1);
	}
	return sum.unexpected ? 1 : 0;
bad:
	bad_option("rpmsg_race", opt, optarg, print_help);
	return 2;
}

/* ---- wake ---- */

struct wake_result {
	int ready;		/* the child is about to block */
	int done;
	int err;		/* errno, or 0 */
	short revents;
	unsigned int writes;	/* successful writes after the wake-up */
	double t_ret;
};

/* Fill the transmit side until a write would block; 0 or -1. */
static int fill(int fd)
{
	char msg[64];
	int i;

	memset(msg, 'f', sizeof(msg));
	for (i = 0; i < 100000; i++) {
		if (write(fd, msg, sizeof(msg)) < 0)
			return errno == EAGAIN ? 0 : -1;
	}
	errno = ENOSPC;
	return -1;
}

static void wake_child(const char *mode, int fd, struct wake_result *r)
{
	uint8_t *buf = malloc(RBUF_LEN);
	struct pollfd pfd = { .fd = fd };
	int flags = fcntl(fd, F_GETFL);
	ssize_t n;

	if (!buf)
		_exit(1);
	if (!strcmp(mode, "read")) {
		r->ready = 1;
		n = read(fd, buf, RBUF_LEN);
		r->err = n < 0 ? errno : 0;
	} else if (!strcmp(mode, "poll")) {
		pfd.events = POLLIN;
		r->ready = 1;
		n = poll(&pfd, 1, -1);
		r->err = n < 0 ? errno : 0;
		r->revents = pfd.revents;
	} else {
		/* write and pollout: fill without blocking first */
		fcntl(fd, F_SETFL, flags | O_NONBLOCK);
		if (fill(fd)) {
			r->err = errno;
			r->t_ret = mono_now();
			r->done = 1;
			fprintf(stderr, "rpmsg_race: filling %s: %s\n", mode,
				errname(errno));
			_exit(1);
		}
		memset(buf, 'w', 64);
		if (!strcmp(mode, "write")) {
			fcntl(fd, F_SETFL, flags);
			r->ready = 1;
			n = write(fd, buf, 64);
			r->err = n < 0 ? errno : 0;
			/*
			 * The other side going away may free buffers before
			 * the loss is noticed: a write may still go through,
			 * the next ones must fail.
			 */
			while (!r->err && r->writes++ < WAKE_MAX_WRITES)
				if (write(fd, buf, 64) < 0)
					r->err = errno;
		} else {
			pfd.events = POLLOUT;
			r->ready = 1;
			n = poll(&pfd, 1, -1);
			r->err = n < 0 ? errno : 0;
			r->revents = pfd.revents;
			/* POLLOUT alone: as for write, writing must fail soon */
			while (!r->err && !(r->revents & (POLLERR | POLLHUP)) &&
			       r->writes++ < WAKE_MAX_WRITES) {
				if (write(fd, buf, 64) >= 0)
					continue;
				if (errno != EAGAIN)
					r->err = errno;
				else if (poll(&pfd, 1, -1) < 0)
					r->err = errno;
				else
					r->revents = pfd.revents;
			}
		}
	}
	r->t_ret = mono_now();
	r->done = 1;
	_exit(0);
}

static int cmd_wake(int argc, char **argv)
{
	unsigned int limit = 2000;
	const char *mode, *dev, *cmd;
	struct wake_result *r;
	bool early_ok = false, ok;
	double t_cmd, t_sys, waited, deadline;
	char what[96];
	int opt, fd, status, i;
	pid_t pid;

	while ((opt = getopt(argc, argv, "l:Nh")) != -1) {
		switch (opt) {
		case 'l':
			if (!parse_uint(optarg, &limit, 1, 600000))
				goto bad;
			break;
		case 'N':
			early_ok = true;
			break;
		case 'h':
			print_help(stdout);
			return 0;
		default:
			print_help(stderr);
			return 2;
		}
	}
	if (argc - optind != 3) {
		print_help(stderr);
		return 2;
	}
	mode = argv[optind];
	dev = argv[optind + 1];
	cmd = argv[optind + 2];
	if (strcmp(mode, "read") && strcmp(mode, "write") &&
	    strcmp(mode, "poll") && strcmp(mode, "pollout")) {
		fprintf(stderr, "rpmsg_race: unknown mode %s\n", mode);
		return 2;
	}
	r = mmap(NULL, sizeof(*r), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (r == MAP_FAILED) {
		perror("rpmsg_race: mmap");
		return 1;
	}
	memset(r, 0, sizeof(*r));
	fd = open_dev_rdwr("rpmsg_race", dev);
	if (fd < 0)
		return 1;
	/* a message left over from earlier traffic would end a read at once */
	drain_stale("rpmsg_race", dev, fd, 100, RBUF_LEN);
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		perror("rpmsg_race: fork");
		return 1;
	}
	if (!pid) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		wake_child(mode, fd, r);
	}
	close(fd);
	for (i = 0; i < 500 && !__atomic_load_n(&r->ready, __ATOMIC_SEQ_CST) &&
	     !__atomic_load_n(&r->done, __ATOMIC_SEQ_CST); i++)
		usleep(10000);
	usleep(BLOCK_MS * 1000);
	if (__atomic_load_n(&r->done, __ATOMIC_SEQ_CST) && !early_ok) {
		printf("%s %s: the call returned before %s (%s); RESULT=FAIL\n",
		       "rpmsg_race: wake", mode, cmd, r->err ? errname(r->err) : "no error");
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		return 1;
	}
	fflush(NULL);
	t_cmd = mono_now();
	status = system(cmd);
	t_sys = mono_now() - t_cmd;
	if (status)
		fprintf(stderr, "rpmsg_race: '%s' exited with %d\n", cmd,
			status);
	deadline = t_cmd + limit / 1000.0 + STOP_GRACE_S;
	while (!__atomic_load_n(&r->done, __ATOMIC_SEQ_CST) &&
	       mono_now() < deadline)
		usleep(5000);
	if (!__atomic_load_n(&r->done, __ATOMIC_SEQ_CST)) {
		printf("%s %s: still blocked %.1f s after '%s'; RESULT=FAIL\n",
		       "rpmsg_race: wake", mode, limit / 1000.0 + STOP_GRACE_S, cmd);
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		return 1;
	}
	waitpid(pid, &status, 0);
	waited = (r->t_ret - t_cmd) * 1000;
	if (waited < 0)
		waited = 0;
	if (!strcmp(mode, "poll") ||
	    (!strcmp(mode, "pollout") && !r->err)) {
		snprintf(what, sizeof(what), "poll revents 0x%x%s%s", r->revents,
			 r->revents & POLLERR ? " POLLERR" : "",
			 r->revents & POLLHUP ? " POLLHUP" : "");
		ok = r->revents & (POLLERR | POLLHUP);
	} else if (r->writes) {
		snprintf(what, sizeof(what), "%s after %u more writes",
			 r->err ? errname(r->err) : "success", r->writes);
		ok = r->err && r->err != EINTR;
	} else {
		snprintf(what, sizeof(what), "%s",
			 r->err ? errname(r->err) : "success");
		ok = r->err && r->err != EINTR;
	}
	ok = ok && waited <= limit;
	printf("%s %s: returned %.0f ms after '%s' started (which took %.0f ms): %s; RESULT=%s\n",
	       "rpmsg_race: wake", mode, waited, cmd, t_sys * 1000, what, ok ? "OK" : "FAIL");
	return ok ? 0 : 1;
bad:
	bad_option("rpmsg_race", opt, optarg, print_help);
	return 2;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 2 && (!strcmp(argv[1], "-h") ||
			  !strcmp(argv[1], "--help"))) {
		print_help(stdout);
		return 0;
	}
	if (argc < 2) {
		print_help(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "hammer"))
		return cmd_hammer(argc - 1, argv + 1);
	if (!strcmp(argv[1], "wake"))
		return cmd_wake(argc - 1, argv + 1);
	fprintf(stderr, "rpmsg_race: unknown command %s\n", argv[1]);
	print_help(stderr);
	return 2;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * rpmsg_bench - latency and throughput benchmark for a pair of joined RPMsg
 * char devices.
 *
 * Usage: rpmsg_bench -a DEV_A -b DEV_B [-m MAX] [-n ITER] [-T SECONDS]
 *
 * 1. Round-trip latency: a child process runs an echo server on B (read a
 *    message, write it back).  On A, ITER round trips (after 10 unmeasured
 *    warm-up ones) are timed with CLOCK_MONOTONIC for 1-byte and for
 *    MAX-byte messages: write(A), poll(A, POLLIN), read(A).  Every echo is
 *    checked to have the size and bytes that were sent (each message has
 *    distinct content); a missing echo (5 s) or a wrong one is a failure.
 *    The same round trips are then timed between two processes over a
 *    pair of pipes (the floor of any user-to-user round trip in this
 *    machine, MAX clamped to PIPE_BUF), and each rpmsg p50 is printed as
 *    a ratio of the pipe's (rtt_ratio_1B_pipe, rtt_ratio_max_pipe), with
 *    p99/p50 of every size (rtt_*_p99_to_p50).
 *    With -c DEV_C -d DEV_D, the same round trips are timed through that
 *    reference pair too (e.g. an endpoint of the kernel's rpmsg_char made
 *    through /dev/rpmsg_ctrlN, and its peer on the same link), and each
 *    p50 of A/B is printed as a ratio of the reference's
 *    (rtt_ratio_1B_rpmsg_char, rtt_ratio_max_rpmsg_char).
 * 2. The echo server is stopped, then one-way throughput A->B is measured:
 *    the parent writes MAX-byte messages to A for SECONDS seconds while a
 *    child reads them from B.  Every message carries its sequence number in
 *    its first bytes (the rest is a fixed pattern) and the reader checks
 *    size, order and content.  When the writer stops it tells the reader how
 *    many messages it sent; each must arrive, or be missing from the
 *    sequence and counted by the receiving device as dropped for a full
 *    queue (its rx_dropped in sysfs; a device without one may lose
 *    nothing).  The rate is computed over the time from the first write to
 *    the arrival of the last message.
 *
 * Human-readable results go to stdout together with one machine-readable
 * "BENCH key=value" line per figure; the last line is "RESULT=OK" or
 * "RESULT=FAIL".  Exit status: 0 ok, 1 failure, 2 usage error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "rpmsg_tools.h"

#define RBUF_LEN	65536
#define WARMUP		10
#define ECHO_TIMEOUT_MS	5000
#define RX_IDLE_MS	5000
#define END_IDLE_MS	1000	/* once the count is known: the rest was lost */
#define DRAIN_MS	100
#define MAX_MSG		65535U
#define WATCHDOG_S	60

static struct {
	const char *dev_a;
	const char *dev_b;
	const char *dev_c;
	const char *dev_d;
	unsigned int max;
	unsigned int iter;
	double seconds;
} cfg = {
	.max = 496,
	.iter = 1000,
	.seconds = 3.0,
};

struct tput_shared {
	double t_start;		/* first write (set by the writer) */
	double t_last;		/* last message received */
	uint64_t recv;
	uint64_t bytes;
	uint64_t bad;		/* wrong size, order or content */
	uint64_t extra;		/* arrived after the expected count */
	uint64_t lost;		/* sequence numbers that never arrived */
	uint64_t expected;	/* count the writer reported */
	int err;		/* errno of a failed read, -1 EOF, -2 timeout */
	int done;
};

static double now(void)
{
	return mono_now();
}

static int open_dev(const char *path)
{
	return open_dev_rdwr("rpmsg_bench", path);
}

static unsigned long drain(const char *path, int fd)
{
	return drain_stale("rpmsg_bench", path, fd, DRAIN_MS, RBUF_LEN);
}

static void on_alarm(int sig)
{
	static const char msg[] =
		"rpmsg_bench: watchdog: blocked for too long\nRESULT=FAIL\n";
	ssize_t ret;

	(void)sig;
	ret = write(STDOUT_FILENO, msg, sizeof(msg) - 1);
	(void)ret;
	_exit(1);
}

/* A blocking call that never returns becomes a failure, not a hang. */
static void watchdog(unsigned int seconds)
{
	signal(SIGALRM, on_alarm);
	alarm(seconds);
}

/* ---- round-trip latency ---- */

/* Echo server: each message read from @rfd is written back to @wfd. */
static pid_t start_echo(int rfd, int wfd)
{
	static uint8_t buf[RBUF_LEN];
	pid_t ppid = getpid(), pid;
	ssize_t n, w;

	fflush(NULL);
	pid = fork();
	if (pid)
		return pid;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != ppid)
		_exit(1);
	alarm(0);
	for (;;) {
		n = read(rfd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			fprintf(stderr, "rpmsg_bench: echo: read: %s\n",
				n ? strerror(errno) : "returned 0");
			_exit(3);
		}
		do {
			w = write(wfd, buf, n);
		} while (w < 0 && errno == EINTR);
		if (w != n) {
			fprintf(stderr, "rpmsg_bench: echo: write of %zd bytes: %s\n",
				n, w < 0 ? strerror(errno) : "short write");
			_exit(4);
		}
	}
}

static int stop_child(pid_t pid, const char *what)
{
	int status;

	kill(pid, SIGTERM);
	if (waitpid(pid, &status, 0) < 0) {
		fprintf(stderr, "rpmsg_bench: waitpid %s: %s\n", what,
			strerror(errno));
		return -1;
	}
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM)
		return 0;
	if (WIFEXITED(status))
		fprintf(stderr, "rpmsg_bench: %s had exited with status %d\n",
			what, WEXITSTATUS(status));
	else
		fprintf(stderr, "rpmsg_bench: %s died from signal %d\n", what,
			WTERMSIG(status));
	return -1;
}

static void fill(uint8_t *buf, size_t len, uint32_t i)
{
	size_t j;

	for (j = 0; j < len; j++)
		buf[j] = (uint8_t)(i * 131 + j * 7 + (i >> 8) * 17 + 0x5a);
}

/* Nearest-rank percentile (p in percent) of a sorted array. */
static double pct(const double *v, unsigned int n, unsigned int p)
{
	uint64_t k = ((uint64_t)p * n + 99) / 100;

	return v[k ? k - 1 : 0];
}

static int one_rtt(int wfd, int rfd, uint8_t *tx, uint8_t *rx, size_t len,
		   uint32_t i, double *us)
{
	struct pollfd pfd = { .fd = rfd, .events = POLLIN };
	double t0, t1;
	ssize_t n;
	int ret;

	fill(tx, len, i);
	watchdog(ECHO_TIMEOUT_MS / 1000 + 5);
	t0 = now();
	n = write(wfd, tx, len);
	if (n != (ssize_t)len) {
		fprintf(stderr, "rpmsg_bench: rtt %zuB #%u: write: %s\n", len,
			i, n < 0 ? strerror(errno) : "short write");
		return -1;
	}
	do {
		ret = poll(&pfd, 1, ECHO_TIMEOUT_MS);
	} while (ret < 0 && errno == EINTR);
	if (ret <= 0 || !(pfd.revents & POLLIN)) {
		fprintf(stderr, "rpmsg_bench: rtt %zuB #%u: %s\n", len, i,
			ret < 0 ? strerror(errno) : ret == 0 ?
			"no echo within 5 s" : "poll error/hangup");
		return -1;
	}
	n = read(rfd, rx, RBUF_LEN);
	t1 = now();
	if (n < 0) {
		fprintf(stderr, "rpmsg_bench: rtt %zuB #%u: read: %s\n", len,
			i, strerror(errno));
		return -1;
	}
	if (n != (ssize_t)len || memcmp(tx, rx, len)) {
		fprintf(stderr, "rpmsg_bench: rtt %zuB #%u: echo mismatch (got %zd bytes%s)\n",
			len, i, n, n == (ssize_t)len ? ", content differs" : "");
		return -1;
	}
	alarm(0);
	*us = (t1 - t0) * 1e6;
	return 0;
}

/* Round trips of @len bytes out through @wfd and back through @rfd. */
static int measure_rtt(int wfd, int rfd, size_t len, const char *key,
		       double *p50)
{
	uint8_t *tx = malloc(len), *rx = malloc(RBUF_LEN);
	double *lat = calloc(cfg.iter, sizeof(*lat));
	double sum = 0, us;
	unsigned int i;
	int ret = -1;

	if (!tx || !rx || !lat)
		goto out;
	for (i = 0; i < WARMUP; i++)
		if (one_rtt(wfd, rfd, tx, rx, len, i, &us))
			goto out;
	for (i = 0; i < cfg.iter; i++) {
		if (one_rtt(wfd, rfd, tx, rx, len, WARMUP + i, &lat[i]))
			goto out;
		sum += lat[i];
	}
	qsort(lat, cfg.iter, sizeof(*lat), cmp_double);
	printf("rtt %5zu B: min %.1f avg %.1f p50 %.1f p99 %.1f max %.1f us (%u round trips)\n",
	       len, lat[0], sum / cfg.iter, pct(lat, cfg.iter, 50),
	       pct(lat, cfg.iter, 99), lat[cfg.iter - 1], cfg.iter);
	printf("BENCH rtt_%s_min_us=%.1f\n", key, lat[0]);
	printf("BENCH rtt_%s_avg_us=%.1f\n", key, sum / cfg.iter);
	printf("BENCH rtt_%s_p50_us=%.1f\n", key, pct(lat, cfg.iter, 50));
	printf("BENCH rtt_%s_p99_us=%.1f\n", key, pct(lat, cfg.iter, 99));
	printf("BENCH rtt_%s_max_us=%.1f\n", key, lat[cfg.iter - 1]);
	printf("BENCH rtt_%s_p99_to_p50=%.2f\n", key,
	       pct(lat, cfg.iter, 99) / pct(lat, cfg.iter, 50));
	*p50 = pct(lat, cfg.iter, 50);
	ret = 0;
out:
	free(tx);
	free(rx);
	free(lat);
	return ret;
}

/* ---- throughput ---- */

static void put_seq(uint8_t *buf, uint64_t seq)
{
	size_t j;

	for (j = 0; j < 8 && j < cfg.max; j++)
		buf[j] = (uint8_t)(seq >> (8 * j));
}

/* The sequence number in a message's first bytes. */
static uint64_t get_seq(const uint8_t *buf)
{
	uint64_t seq = 0;
	size_t j;

	for (j = 0; j < 8 && j < cfg.max; j++)
		seq |= (uint64_t)buf[j] << (8 * j);
	return seq;
}

/*
 * The receiving device's count of messages it dropped because its queue
 * was full (our char devices: /sys/class/misc/NAME/rx_dropped), or -1.
 */
static long long read_dropped(const char *dev)
{
	const char *name = strrchr(dev, '/');
	char path[256];
	long long v;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/misc/%s/rx_dropped",
		 name ? name + 1 : dev);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%lld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

static int tput_reader(int fd, int ctl, struct tput_shared *sh)
{
	struct pollfd pfd[2] = {
		{ .fd = fd, .events = POLLIN },
		{ .fd = ctl, .events = POLLIN },
	};
	uint8_t *buf = malloc(RBUF_LEN), *exp = malloc(cfg.max);
	uint64_t expected = UINT64_MAX, next = 0, seq;
	unsigned int reports = 0;
	ssize_t n;
	int ret;

	if (!buf || !exp)
		return 1;
	fill(exp, cfg.max, 0);
	while (next < expected) {
		ret = poll(pfd, expected == UINT64_MAX ? 2 : 1,
			   expected == UINT64_MAX ? RX_IDLE_MS : END_IDLE_MS);
		if (ret < 0 && errno == EINTR)
			continue;
		/* the count is known and nothing more comes: the rest is lost */
		if (!ret && expected != UINT64_MAX)
			break;
		if (ret <= 0) {
			sh->err = ret ? errno : -2;
			break;
		}
		if (expected == UINT64_MAX && pfd[1].revents) {
			if (read(ctl, &expected, sizeof(expected)) !=
			    sizeof(expected)) {
				fprintf(stderr, "rpmsg_bench: reader: lost contact with writer\n");
				return 1;
			}
			sh->expected = expected;
			continue;
		}
		if (!(pfd[0].revents & POLLIN)) {
			sh->err = -3;
			break;
		}
		n = read(fd, buf, RBUF_LEN);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0) {
			sh->err = n ? errno : -1;
			break;
		}
		/* in order, gaps allowed (counted as lost), content exact */
		seq = n == (ssize_t)cfg.max ? get_seq(buf) : 0;
		put_seq(exp, seq);
		if (n != (ssize_t)cfg.max || seq < next ||
		    memcmp(buf, exp, cfg.max)) {
			if (reports++ < 5)
				fprintf(stderr,
					"rpmsg_bench: reader: message %llu bad (%zd bytes, expected %u, seq %llu, next %llu)\n",
					ULL(sh->recv), n, cfg.max, ULL(seq),
					ULL(next));
			sh->bad++;
		} else {
			sh->lost += seq - next;
			next = seq + 1;
		}
		sh->recv++;
		sh->bytes += n;
		sh->t_last = now();
	}
	if (!sh->err && expected != UINT64_MAX && next < expected)
		sh->lost += expected - next;
	/* Nothing beyond what was sent may arrive. */
	if (next == expected && !sh->err) {
		pfd[0].revents = 0;
		while (poll(pfd, 1, 200) > 0 && read(fd, buf, RBUF_LEN) > 0) {
			sh->extra++;
			sh->recv++;
		}
	}
	sh->done = 1;
	return sh->recv - sh->bad + sh->lost == expected && !sh->bad &&
	       !sh->err && !sh->extra ? 0 : 1;
}

static int measure_tput(int fd_a, int fd_b)
{
	struct tput_shared *sh;
	uint64_t sent = 0;
	uint8_t *buf;
	int ctl[2], status, ok = 0;
	long long dropped0, dropped;
	pid_t pid, ppid = getpid();
	double t_end, t_wend, el;
	ssize_t n;

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	buf = malloc(cfg.max);
	if (sh == MAP_FAILED || !buf || pipe(ctl)) {
		perror("rpmsg_bench: setup");
		return -1;
	}
	memset(sh, 0, sizeof(*sh));
	dropped0 = read_dropped(cfg.dev_b);

	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		perror("rpmsg_bench: fork");
		return -1;
	}
	if (!pid) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != ppid)
			_exit(1);
		alarm(0);
		close(ctl[1]);
		_exit(tput_reader(fd_b, ctl[0], sh));
	}
	close(ctl[0]);

	watchdog((unsigned int)cfg.seconds + WATCHDOG_S);
	fill(buf, cfg.max, 0);
	sh->t_start = now();
	t_end = sh->t_start + cfg.seconds;
	do {
		put_seq(buf, sent);
		n = write(fd_a, buf, cfg.max);
		if (n < 0 && errno == EINTR)
			continue;
		if (n != (ssize_t)cfg.max) {
			fprintf(stderr, "rpmsg_bench: writer: message %llu: %s\n",
				ULL(sent), n < 0 ? strerror(errno) : "short write");
			ok = -1;
			break;
		}
		sent++;
	} while ((sent & 7) || now() < t_end);
	t_wend = now();
	if (write(ctl[1], &sent, sizeof(sent)) != sizeof(sent)) {
		perror("rpmsg_bench: pipe");
		ok = -1;
	}
	close(ctl[1]);

	if (waitpid(pid, &status, 0) < 0) {
		perror("rpmsg_bench: waitpid");
		return -1;
	}
	alarm(0);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		ok = -1;
	if (sh->err)
		fprintf(stderr, "rpmsg_bench: reader: %s\n",
			sh->err == -1 ? "read() returned 0" :
			sh->err == -2 ? "no message for 5 s" :
			sh->err == -3 ? "poll error/hangup" :
			strerror(sh->err));
	if (sh->recv + sh->lost != sent || sh->bad || sh->extra) {
		fprintf(stderr,
			"rpmsg_bench: throughput: sent %llu received %llu lost %llu bad %llu extra %llu\n",
			ULL(sent), ULL(sh->recv), ULL(sh->lost), ULL(sh->bad),
			ULL(sh->extra));
		ok = -1;
	}
	/* a lost message is one the receiving device dropped and counted */
	dropped = read_dropped(cfg.dev_b);
	if (sh->lost && (dropped0 < 0 || dropped < 0 ||
			 (uint64_t)(dropped - dropped0) != sh->lost)) {
		fprintf(stderr,
			"rpmsg_bench: throughput: %llu lost, but %s counted %lld dropped\n",
			ULL(sh->lost), cfg.dev_b,
			dropped0 < 0 || dropped < 0 ? -1 : dropped - dropped0);
		ok = -1;
	}
	el = sh->t_last - sh->t_start;
	fprintf(stdout,
		"tput: sent %llu received %llu x %u B; writer %.3f s (%.0f msgs/s), last arrival after %.3f s\n",
		ULL(sent), ULL(sh->recv), cfg.max, t_wend - sh->t_start,
		sent / (t_wend - sh->t_start), el);
	if (ok || el <= 0) {
		munmap(sh, sizeof(*sh));
		return -1;
	}
	printf("tput: %.0f msgs/s, %.1f KiB/s\n", sh->recv / el,
	       sh->bytes / el / 1024);
	printf("BENCH tput_msgs=%llu\n", ULL(sh->recv));
	printf("BENCH tput_lost_full_queue=%llu\n", ULL(sh->lost));
	printf("BENCH tput_seconds=%.3f\n", el);
	printf("BENCH tput_msgs_per_s=%.0f\n", sh->recv / el);
	printf("BENCH tput_kib_per_s=%.1f\n", sh->bytes / el / 1024);
	munmap(sh, sizeof(*sh));
	return 0;
}

/* ---- main ---- */

static void print_help(FILE *f)
{
	fprintf(f,
		"Usage: rpmsg_bench -a DEV_A -b DEV_B [-c DEV_C -d DEV_D] [-m MAX] [-n ITER]\n"
		"                   [-T SECONDS]\n"
		"Round-trip latency A->B->A (echo server on B) for 1-byte and MAX-byte\n"
		"messages, then one-way throughput A->B with MAX-byte messages.\n"
		"  -a DEV_A     device the benchmark drives, e.g. /dev/rpmsg1_13\n"
		"  -b DEV_B     peer device, e.g. /dev/rpmsg2_13\n"
		"  -c DEV_C     reference pair for the round trips (with -d), e.g.\n"
		"               a kernel rpmsg_char endpoint /dev/rpmsg0\n"
		"  -d DEV_D     the reference's peer, e.g. /dev/rpmsg2_18\n"
		"  -m MAX       max payload per message (default 496)\n"
		"  -n ITER      round trips per message size (default 1000)\n"
		"  -T SECONDS   throughput run time (default 3)\n"
		"Prints 'BENCH key=value' lines and RESULT=OK/FAIL.\n"
		"Exit status: 0 ok, 1 failure (lost/corrupt echo, count mismatch,\n"
		"I/O error), 2 usage error.\n");
}

static int parse_args(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int opt;

	while ((opt = getopt_long(argc, argv, "a:b:c:d:m:n:T:h", longopts,
				  NULL)) != -1) {
		switch (opt) {
		case 'a':
			cfg.dev_a = optarg;
			break;
		case 'b':
			cfg.dev_b = optarg;
			break;
		case 'c':
			cfg.dev_c = optarg;
			break;
		case 'd':
			cfg.dev_d = optarg;
			break;
		case 'm':
			if (!parse_uint(optarg, &cfg.max, 1, MAX_MSG))
				goto bad;
			break;
		case 'n':
			if (!parse_uint(optarg, &cfg.iter, 1, 10000000))
				goto bad;
			break;
		case 'T':
			errno = 0;
			cfg.seconds = strtod(optarg, &end);
			if (errno || end == optarg || *end ||
			    !(cfg.seconds > 0 && cfg.seconds <= 3600))
				goto bad;
			break;
		case 'h':
			print_help(stdout);
			exit(0);
		default:
			print_help(stderr);
			return -1;
		}
	}
	if (optind != argc || !cfg.dev_a || !cfg.dev_b) {
		fprintf(stderr, "rpmsg_bench: -a and -b are required\n");
		print_help(stderr);
		return -1;
	}
	if (!cfg.dev_c != !cfg.dev_d) {
		fprintf(stderr, "rpmsg_bench: -c and -d go together\n");
		print_help(stderr);
		return -1;
	}
	return 0;
bad:
	bad_option("rpmsg_bench", opt, optarg, print_help);
	return -1;
}

/*
 * The floor of any user-to-user round trip in this machine: the same
 * round trips between two processes over a pair of pipes (messages of at
 * most PIPE_BUF bytes are written whole, and only one is in flight).
 * Prints each rpmsg p50 as a ratio of the pipe's.
 */
static int pipe_rtt(const double *p50)
{
	int to_echo[2], from_echo[2], ret = 0;
	double pp50[2];
	pid_t echo;

	if (pipe(to_echo) || pipe(from_echo)) {
		perror("rpmsg_bench: pipe");
		return -1;
	}
	echo = start_echo(to_echo[0], from_echo[1]);
	if (echo < 0) {
		perror("rpmsg_bench: fork");
		return -1;
	}
	if (measure_rtt(to_echo[1], from_echo[0], 1, "pipe_1B", &pp50[0]) ||
	    measure_rtt(to_echo[1], from_echo[0],
			cfg.max < PIPE_BUF ? cfg.max : PIPE_BUF, "pipe_max",
			&pp50[1]))
		ret = -1;
	if (stop_child(echo, "pipe echo"))
		ret = -1;
	close(to_echo[0]);
	close(to_echo[1]);
	close(from_echo[0]);
	close(from_echo[1]);
	if (!ret) {
		printf("BENCH rtt_ratio_1B_pipe=%.2f\n", p50[0] / pp50[0]);
		printf("BENCH rtt_ratio_max_pipe=%.2f\n", p50[1] / pp50[1]);
	}
	return ret;
}

/*
 * The same round trips through the reference pair -c/-d, right after ours
 * in the same boot; prints each p50 of ours as a ratio of the reference's.
 */
static int ref_rtt(const double *p50)
{
	int fd_c, fd_d, ret = 0;
	double rp50[2];
	pid_t echo;

	fd_c = open_dev(cfg.dev_c);
	fd_d = open_dev(cfg.dev_d);
	if (fd_c < 0 || fd_d < 0)
		return -1;
	drain(cfg.dev_c, fd_c);
	drain(cfg.dev_d, fd_d);
	printf("reference pair: C=%s D=%s\n", cfg.dev_c, cfg.dev_d);
	echo = start_echo(fd_d, fd_d);
	if (echo < 0) {
		perror("rpmsg_bench: fork");
		return -1;
	}
	if (measure_rtt(fd_c, fd_c, 1, "rpmsg_char_1B", &rp50[0]) ||
	    measure_rtt(fd_c, fd_c, cfg.max, "rpmsg_char_max", &rp50[1]))
		ret = -1;
	if (stop_child(echo, "reference echo server"))
		ret = -1;
	close(fd_c);
	close(fd_d);
	if (!ret) {
		printf("BENCH rtt_ratio_1B_rpmsg_char=%.2f\n", p50[0] / rp50[0]);
		printf("BENCH rtt_ratio_max_rpmsg_char=%.2f\n", p50[1] / rp50[1]);
	}
	return ret;
}

int main(int argc, char **argv)
{
	int fd_a, fd_b, ret = 0;
	double p50[2];
	pid_t echo;

	if (parse_args(argc, argv))
		return 2;
	setvbuf(stdout, NULL, _IOLBF, 0);

	fd_a = open_dev(cfg.dev_a);
	fd_b = open_dev(cfg.dev_b);
	if (fd_a < 0 || fd_b < 0)
		return 1;
	drain(cfg.dev_a, fd_a);
	drain(cfg.dev_b, fd_b);

	printf("rpmsg_bench: A=%s B=%s max=%u iter=%u T=%.1fs\n", cfg.dev_a,
	       cfg.dev_b, cfg.max, cfg.iter, cfg.seconds);
	printf("BENCH msg_max_bytes=%u\n", cfg.max);

	echo = start_echo(fd_b, fd_b);
	if (echo < 0) {
		perror("rpmsg_bench: fork");
		return 1;
	}
	if (measure_rtt(fd_a, fd_a, 1, "1B", &p50[0]) ||
	    measure_rtt(fd_a, fd_a, cfg.max, "max", &p50[1]))
		ret = 1;
	if (stop_child(echo, "echo server"))
		ret = 1;
	if (ret)
		goto out;
	if (cfg.dev_c && ref_rtt(p50))
		ret = 1;
	if (pipe_rtt(p50))
		ret = 1;

	/* Nothing may be left over from the echo phase. */
	if (drain(cfg.dev_a, fd_a) || drain(cfg.dev_b, fd_b)) {
		fprintf(stderr, "rpmsg_bench: unexpected extra messages after the echo phase\n");
		ret = 1;
		goto out;
	}

	if (measure_tput(fd_a, fd_b))
		ret = 1;
out:
	printf("RESULT=%s\n", ret ? "FAIL" : "OK");
	return ret;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * netbench - UDP round-trip latency and TCP throughput between two network
 * namespaces, each named by the PID of a process living in it.
 *
 *   netbench -a PID_A -b PID_B -d DEST_IP [-p PORT] [-n RTT_ITER] [-s MIB]
 *            [-l LABEL] [-t SECONDS]
 *
 * The parent opens /proc/PID_{A,B}/ns/net and forks a server that joins B's
 * namespace, binds UDP PORT and listens on TCP PORT+1 (wildcard address),
 * then writes one byte to a pipe. Only when the parent has read that byte
 * does it fork the client, which joins A's namespace and:
 *
 *  - UDP: sends 5 warm-up and then RTT_ITER (default 500) 56-byte datagrams
 *    to DEST_IP:PORT, one at a time; the server echoes each. The echo must
 *    match byte for byte (late echoes of lost datagrams are recognised by
 *    their sequence number and skipped). A datagram with no echo within 2 s
 *    is lost; 3 consecutive losses fail the run, isolated ones are reported.
 *    RTTs (CLOCK_MONOTONIC, warm-up excluded) give min/avg/p99/max.
 *  - TCP: connects to DEST_IP:PORT+1, sends MIB (default 8) MiB of
 *    pseudo-random data and shuts down its write side; the server reads to
 *    EOF and replies with the byte count and the FNV-1a 64 of the bytes
 *    (16 bytes, big endian), then closes. Count and checksum must equal the
 *    client's (computed in an untimed pass beforehand). The time from
 *    before connect() to the complete reply gives MiB/s.
 *
 * Output (stdout):
 *   BENCH LABEL_udp_rtt_avg_us=...
 *   BENCH LABEL_udp_rtt_p99_us=...
 *   BENCH LABEL_tcp_mib_per_s=...
 *   netbench: LABEL: ... (human-readable summary)
 *   RESULT=OK | RESULT=FAIL
 *
 * The whole run is bounded by -t SECONDS (default 120): then both children
 * are killed and the run fails. Exit 0 only if everything worked, 1 on any
 * failure (the reason goes to stderr), 2 on a usage error.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "rpmsg_tools.h"

#define DGRAM_SIZE	56
#define WARMUP		5
#define RTT_TIMEOUT_MS	2000
#define MAX_CONSEC_LOST	3
#define CHUNK		(64 * 1024)
#define REPLY_SIZE	16
#define FNV_OFFSET	0xcbf29ce484222325ULL
#define FNV_PRIME	0x100000001b3ULL
#define DATA_SEED	0x6e657462656e6368ULL	/* "netbench" */

struct opts {
	long pid_a, pid_b;
	const char *dest;
	struct sockaddr_storage udp_addr, tcp_addr;
	socklen_t addr_len;
	int family;
	unsigned int port;
	long iter;
	long mib;
	long timeout;
	const char *label;
};

/* Set by the SIGALRM handler; atomic accesses instead of volatile. */
static sig_atomic_t timed_out;

static void on_alarm(int sig)
{
	(void)sig;
	__atomic_store_n(&timed_out, 1, __ATOMIC_RELAXED);
}

static bool is_timed_out(void)
{
	return __atomic_load_n(&timed_out, __ATOMIC_RELAXED);
}

static void print_help(FILE *f)
{
	fprintf(f,
		"usage: netbench -a PID_A -b PID_B -d DEST_IP [-p PORT] [-n RTT_ITER]\n"
		"                [-s MIB] [-l LABEL] [-t SECONDS]\n"
		"  -a PID_A    client runs in /proc/PID_A/ns/net\n"
		"  -b PID_B    server runs in /proc/PID_B/ns/net\n"
		"  -d DEST_IP  server address as seen from A (IPv4 or IPv6)\n"
		"  -p PORT     UDP echo port; TCP uses PORT+1 (default 5201)\n"
		"  -n RTT_ITER UDP round trips measured (default 500, plus %d warm-up)\n"
		"  -s MIB      MiB sent over TCP (default 8)\n"
		"  -l LABEL    prefix of the BENCH keys (default net)\n"
		"  -t SECONDS  bound on the whole run (default 120)\n",
		WARMUP);
}

static double now_ns(void)
{
	struct timespec ts;

	if (mono_gettime(&ts)) {
		perror("netbench: clock_gettime");
		exit(1);
	}
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static uint64_t fnv1a(uint64_t h, const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= p[i];
		h *= FNV_PRIME;
	}
	return h;
}

static uint64_t splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void fill_random(unsigned char *buf, size_t n, uint64_t *state)
{
	size_t i;
	uint64_t v;

	for (i = 0; i < n; i += sizeof(v)) {
		v = splitmix64(state);
		memcpy(buf + i, &v, n - i < sizeof(v) ? n - i : sizeof(v));
	}
}

static void put_be64(unsigned char *p, uint64_t v)
{
	int i;

	for (i = 7; i >= 0; i--) {
		p[i] = v & 0xff;
		v >>= 8;
	}
}

static uint64_t get_be64(const unsigned char *p)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = (v << 8) | p[i];
	return v;
}

static int write_all(int fd, const void *buf, size_t n, const char *what)
{
	const unsigned char *p = buf;
	ssize_t r;

	while (n) {
		r = write(fd, p, n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "netbench: %s: write: %s\n", what,
				strerror(errno));
			return -1;
		}
		if (r == 0) {
			fprintf(stderr, "netbench: %s: write returned 0\n", what);
			return -1;
		}
		p += r;
		n -= r;
	}
	return 0;
}

/* Read exactly n bytes; 0 on success, -1 on error or early EOF. */
static int read_all(int fd, void *buf, size_t n, const char *what)
{
	unsigned char *p = buf;
	ssize_t r;

	while (n) {
		r = read(fd, p, n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "netbench: %s: read: %s\n", what,
				strerror(errno));
			return -1;
		}
		if (r == 0) {
			fprintf(stderr, "netbench: %s: unexpected EOF (%zu bytes missing)\n",
				what, n);
			return -1;
		}
		p += r;
		n -= r;
	}
	return 0;
}

static int join_netns(int nsfd, long pid)
{
	if (setns(nsfd, CLONE_NEWNET)) {
		fprintf(stderr, "netbench: setns(/proc/%ld/ns/net): %s\n", pid,
			strerror(errno));
		return -1;
	}
	return 0;
}

static void set_port(struct sockaddr_storage *ss, unsigned int port)
{
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = htons(port);
	else
		((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
}

/* Wildcard address of the destination's family with the given port. */
static void any_addr(const struct opts *o, struct sockaddr_storage *ss,
		     unsigned int port)
{
	memset(ss, 0, sizeof(*ss));
	ss->ss_family = o->family;
	if (o->family == AF_INET)
		((struct sockaddr_in *)ss)->sin_addr.s_addr = htonl(INADDR_ANY);
	else
		((struct sockaddr_in6 *)ss)->sin6_addr = in6addr_any;
	set_port(ss, port);
}

/* ---------------------------------------------------------------- server */

static int serve_tcp(int lfd)
{
	unsigned char *buf, reply[REPLY_SIZE];
	uint64_t h = FNV_OFFSET, count = 0;
	int fd, ret = -1;
	ssize_t r;

	buf = malloc(CHUNK);
	if (!buf) {
		fprintf(stderr, "netbench: server: out of memory\n");
		return -1;
	}
	do {
		fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	} while (fd < 0 && errno == EINTR);
	if (fd < 0) {
		perror("netbench: server: accept");
		goto out_free;
	}
	for (;;) {
		r = read(fd, buf, CHUNK);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			perror("netbench: server: tcp read");
			goto out_close;
		}
		if (r == 0)
			break;
		h = fnv1a(h, buf, r);
		count += r;
	}
	put_be64(reply, count);
	put_be64(reply + 8, h);
	if (write_all(fd, reply, sizeof(reply), "server: tcp reply"))
		goto out_close;
	ret = 0;
out_close:
	if (close(fd) && ret == 0) {
		perror("netbench: server: close");
		ret = -1;
	}
out_free:
	free(buf);
	return ret;
}

/*
 * Echo UDP datagrams until a TCP connection arrives, then run the TCP
 * session and return. ready_fd gets one byte once both sockets listen.
 */
static int run_server(const struct opts *o, int nsfd, int ready_fd)
{
	struct sockaddr_storage ss, peer;
	unsigned char buf[2048];
	struct pollfd pfd[2];
	socklen_t plen;
	int ufd, lfd, one = 1;
	ssize_t r;

	if (join_netns(nsfd, o->pid_b))
		return -1;
	close(nsfd);

	ufd = socket(o->family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (ufd < 0) {
		perror("netbench: server: socket(udp)");
		return -1;
	}
	any_addr(o, &ss, o->port);
	if (bind(ufd, (struct sockaddr *)&ss, o->addr_len)) {
		fprintf(stderr, "netbench: server: bind udp port %u: %s\n",
			o->port, strerror(errno));
		return -1;
	}
	lfd = socket(o->family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0) {
		perror("netbench: server: socket(tcp)");
		return -1;
	}
	if (setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one))) {
		perror("netbench: server: setsockopt(SO_REUSEADDR)");
		return -1;
	}
	any_addr(o, &ss, o->port + 1);
	if (bind(lfd, (struct sockaddr *)&ss, o->addr_len)) {
		fprintf(stderr, "netbench: server: bind tcp port %u: %s\n",
			o->port + 1, strerror(errno));
		return -1;
	}
	if (listen(lfd, 4)) {
		perror("netbench: server: listen");
		return -1;
	}
	if (write_all(ready_fd, "R", 1, "server: ready pipe"))
		return -1;
	if (close(ready_fd)) {
		perror("netbench: server: close(ready pipe)");
		return -1;
	}

	for (;;) {
		pfd[0].fd = ufd;
		pfd[0].events = POLLIN;
		pfd[1].fd = lfd;
		pfd[1].events = POLLIN;
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			perror("netbench: server: poll");
			return -1;
		}
		if (pfd[0].revents & (POLLERR | POLLNVAL)) {
			fprintf(stderr, "netbench: server: udp socket error\n");
			return -1;
		}
		if (pfd[0].revents & POLLIN) {
			plen = sizeof(peer);
			r = recvfrom(ufd, buf, sizeof(buf), 0,
				     (struct sockaddr *)&peer, &plen);
			if (r < 0) {
				if (errno != EINTR) {
					perror("netbench: server: recvfrom");
					return -1;
				}
			} else if (sendto(ufd, buf, r, 0,
					  (struct sockaddr *)&peer, plen) != r) {
				perror("netbench: server: sendto");
				return -1;
			}
		}
		if (pfd[1].revents & (POLLERR | POLLNVAL)) {
			fprintf(stderr, "netbench: server: listen socket error\n");
			return -1;
		}
		if (pfd[1].revents & POLLIN)
			break;
	}
	if (serve_tcp(lfd))
		return -1;
	close(lfd);
	close(ufd);
	return 0;
}

/* ---------------------------------------------------------------- client */

static void make_dgram(unsigned char *p, uint32_t seq)
{
	uint64_t st = DATA_SEED ^ ((uint64_t)seq << 20);

	fill_random(p, DGRAM_SIZE, &st);
	p[0] = seq >> 24;
	p[1] = seq >> 16;
	p[2] = seq >> 8;
	p[3] = seq;
}

struct udp_result {
	double min, avg, p99, max;
	long got, lost, stale;
};

/* Returns 0 with *rtt_ns set, 1 if lost (timeout), -1 on failure. */
static int udp_one(int fd, uint32_t seq, double *rtt_ns, long *stale)
{
	unsigned char out[DGRAM_SIZE], in[2048];
	struct pollfd pfd;
	double t0, t1, left_ms;
	uint32_t rseq;
	ssize_t r;
	int pr;

	make_dgram(out, seq);
	t0 = now_ns();
	r = send(fd, out, sizeof(out), 0);
	if (r != (ssize_t)sizeof(out)) {
		fprintf(stderr, "netbench: udp send #%u: %s\n", seq,
			r < 0 ? strerror(errno) : "short send");
		return -1;
	}
	for (;;) {
		left_ms = RTT_TIMEOUT_MS - (now_ns() - t0) / 1e6;
		if (left_ms <= 0)
			return 1;
		pfd.fd = fd;
		pfd.events = POLLIN;
		pr = poll(&pfd, 1, (int)left_ms + 1);
		if (pr < 0) {
			if (errno == EINTR)
				continue;
			perror("netbench: udp poll");
			return -1;
		}
		if (pr == 0)
			continue;	/* the deadline check above decides */
		r = recv(fd, in, sizeof(in), 0);
		t1 = now_ns();
		if (r < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			fprintf(stderr, "netbench: udp recv #%u: %s\n", seq,
				strerror(errno));
			return -1;
		}
		if (r >= 4) {
			rseq = (uint32_t)in[0] << 24 | (uint32_t)in[1] << 16 |
			       (uint32_t)in[2] << 8 | in[3];
			if (rseq < seq && r == DGRAM_SIZE) {
				/* late echo of a datagram counted as lost */
				unsigned char old[DGRAM_SIZE];

				make_dgram(old, rseq);
				if (!memcmp(old, in, DGRAM_SIZE)) {
					(*stale)++;
					continue;
				}
			}
		}
		if (r != DGRAM_SIZE || memcmp(in, out, DGRAM_SIZE)) {
			fprintf(stderr, "netbench: udp echo #%u corrupt (%zd bytes)\n",
				seq, r);
			return -1;
		}
		*rtt_ns = t1 - t0;
		return 0;
	}
}

static int udp_test(const struct opts *o, struct udp_result *res)
{
	long total = WARMUP + o->iter, i, n = 0, consec = 0;
	double rtt, sum = 0, *v;
	size_t idx;
	int fd, rc;

	memset(res, 0, sizeof(*res));
	v = calloc(o->iter, sizeof(*v));
	if (!v) {
		fprintf(stderr, "netbench: out of memory\n");
		return -1;
	}
	fd = socket(o->family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		perror("netbench: socket(udp)");
		goto fail;
	}
	if (connect(fd, (struct sockaddr *)&o->udp_addr, o->addr_len)) {
		fprintf(stderr, "netbench: connect udp %s:%u: %s\n", o->dest,
			o->port, strerror(errno));
		goto fail_close;
	}
	for (i = 0; i < total; i++) {
		rc = udp_one(fd, (uint32_t)i, &rtt, &res->stale);
		if (rc < 0)
			goto fail_close;
		if (rc > 0) {
			res->lost++;
			fprintf(stderr, "netbench: udp datagram #%ld lost (no echo in %d ms)\n",
				i, RTT_TIMEOUT_MS);
			if (++consec >= MAX_CONSEC_LOST) {
				fprintf(stderr,
					"netbench: %d consecutive udp datagrams lost, giving up\n",
					MAX_CONSEC_LOST);
				goto fail_close;
			}
			continue;
		}
		consec = 0;
		if (i >= WARMUP) {
			v[n++] = rtt / 1e3;
			sum += rtt / 1e3;
		}
	}
	if (close(fd)) {
		perror("netbench: close(udp)");
		goto fail;
	}
	if (n == 0) {
		fprintf(stderr, "netbench: no udp round trip measured\n");
		goto fail;
	}
	qsort(v, n, sizeof(*v), cmp_double);
	idx = (size_t)((n * 99 + 99) / 100) - 1;	/* ceil(0.99 n) - 1 */
	res->got = n;
	res->min = v[0];
	res->max = v[n - 1];
	res->avg = sum / n;
	res->p99 = v[idx];
	free(v);
	return 0;
fail_close:
	close(fd);
fail:
	free(v);
	return -1;
}

struct tcp_result {
	double seconds, mib_per_s;
	uint64_t bytes, hash;
};

static int tcp_test(const struct opts *o, struct tcp_result *res)
{
	uint64_t total = (uint64_t)o->mib << 20, sent, st, h = FNV_OFFSET;
	unsigned char *buf, reply[REPLY_SIZE], extra;
	uint64_t rcount, rhash;
	double t0, t1;
	size_t len;
	ssize_t r;
	int fd;

	buf = malloc(CHUNK);
	if (!buf) {
		fprintf(stderr, "netbench: out of memory\n");
		return -1;
	}
	/* Untimed pass: checksum of the stream about to be sent. */
	st = DATA_SEED;
	for (sent = 0; sent < total; sent += len) {
		len = total - sent < CHUNK ? total - sent : CHUNK;
		fill_random(buf, len, &st);
		h = fnv1a(h, buf, len);
	}

	fd = socket(o->family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		perror("netbench: socket(tcp)");
		goto fail;
	}
	t0 = now_ns();
	while (connect(fd, (struct sockaddr *)&o->tcp_addr, o->addr_len)) {
		if (errno == EINTR)
			continue;
		fprintf(stderr, "netbench: connect tcp %s:%u: %s\n", o->dest,
			o->port + 1, strerror(errno));
		goto fail_close;
	}
	st = DATA_SEED;
	for (sent = 0; sent < total; sent += len) {
		len = total - sent < CHUNK ? total - sent : CHUNK;
		fill_random(buf, len, &st);
		if (write_all(fd, buf, len, "tcp send"))
			goto fail_close;
	}
	if (shutdown(fd, SHUT_WR)) {
		perror("netbench: shutdown(tcp)");
		goto fail_close;
	}
	if (read_all(fd, reply, sizeof(reply), "tcp reply"))
		goto fail_close;
	t1 = now_ns();
	do {
		r = read(fd, &extra, 1);
	} while (r < 0 && errno == EINTR);
	if (r != 0) {
		fprintf(stderr, "netbench: tcp: %s after the reply\n",
			r < 0 ? strerror(errno) : "extra data");
		goto fail_close;
	}
	if (close(fd)) {
		perror("netbench: close(tcp)");
		goto fail;
	}
	free(buf);

	rcount = get_be64(reply);
	rhash = get_be64(reply + 8);
	if (rcount != total || rhash != h) {
		fprintf(stderr,
			"netbench: tcp MISMATCH: sent %llu bytes fnv1a=0x%016llx, server got %llu bytes fnv1a=0x%016llx\n",
			ULL(total), ULL(h), ULL(rcount), ULL(rhash));
		return -1;
	}
	res->bytes = total;
	res->hash = h;
	res->seconds = (t1 - t0) / 1e9;
	if (res->seconds <= 0) {
		fprintf(stderr, "netbench: tcp: bad elapsed time\n");
		return -1;
	}
	res->mib_per_s = (double)o->mib / res->seconds;
	return 0;
fail_close:
	close(fd);
fail:
	free(buf);
	return -1;
}

static int run_client(const struct opts *o, int nsfd)
{
	struct udp_result u;
	struct tcp_result t;

	if (join_netns(nsfd, o->pid_a))
		return -1;
	close(nsfd);
	if (udp_test(o, &u))
		return -1;
	if (tcp_test(o, &t))
		return -1;
	printf("BENCH %s_udp_rtt_avg_us=%.1f\n", o->label, u.avg);
	printf("BENCH %s_udp_rtt_p99_us=%.1f\n", o->label, u.p99);
	printf("BENCH %s_tcp_mib_per_s=%.1f\n", o->label, t.mib_per_s);
	fprintf(stdout,
		"netbench: %s: udp rtt min/avg/p99/max = %.1f/%.1f/%.1f/%.1f us (%ld round trips, %ld lost, %ld late); tcp %ld MiB in %.3f s = %.1f MiB/s, fnv1a 0x%016llx matches\n",
		o->label, u.min, u.avg, u.p99, u.max, u.got, u.lost, u.stale,
		o->mib, t.seconds, t.mib_per_s, ULL(t.hash));
	if (fflush(stdout)) {
		perror("netbench: stdout");
		return -1;
	}
	return 0;
}

/* ---------------------------------------------------------------- parent */

static int open_netns(long pid)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%ld/ns/net", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		fprintf(stderr, "netbench: open %s: %s\n", path, strerror(errno));
	return fd;
}

static void kill_child(pid_t *pid)
{
	if (*pid > 0) {
		kill(*pid, SIGKILL);
		while (waitpid(*pid, NULL, 0) < 0 && errno == EINTR)
			;
		*pid = 0;
	}
}

/* Wait for a child; 0 if it exited 0, -1 otherwise (or on timeout). */
static int wait_child(pid_t *pid, const char *name)
{
	int status;
	pid_t r;

	for (;;) {
		r = waitpid(*pid, &status, 0);
		if (r == *pid)
			break;
		if (r < 0 && errno == EINTR) {
			if (is_timed_out())
				return -1;
			continue;
		}
		fprintf(stderr, "netbench: waitpid(%s): %s\n", name,
			strerror(errno));
		return -1;
	}
	*pid = 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status))
		fprintf(stderr, "netbench: %s exited with status %d\n", name,
			WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		fprintf(stderr, "netbench: %s killed by signal %d\n", name,
			WTERMSIG(status));
	else
		fprintf(stderr, "netbench: %s: unexpected wait status 0x%x\n",
			name, status);
	return -1;
}

static pid_t spawn(int (*fn)(const struct opts *, int, int),
		   const struct opts *o, int nsfd, int other_nsfd, int pipe_fd,
		   int close_fd, const char *name)
{
	pid_t pid = fork();

	if (pid < 0) {
		fprintf(stderr, "netbench: fork(%s): %s\n", name,
			strerror(errno));
		return -1;
	}
	if (pid == 0) {
		if (prctl(PR_SET_PDEATHSIG, SIGKILL)) {
			perror("netbench: prctl(PR_SET_PDEATHSIG)");
			_exit(1);
		}
		if (getppid() == 1)	/* parent already gone */
			_exit(1);
		close(other_nsfd);
		if (close_fd >= 0)
			close(close_fd);
		_exit(fn(o, nsfd, pipe_fd) ? 1 : 0);
	}
	return pid;
}

static int client_main(const struct opts *o, int nsfd, int unused)
{
	(void)unused;
	return run_client(o, nsfd);
}

static int run(const struct opts *o)
{
	pid_t srv = 0, cli = 0;
	struct sigaction sa;
	int fd_a, fd_b, pfd[2], ret = -1;
	char c;
	ssize_t r;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;	/* no SA_RESTART: interrupt waits */
	if (sigemptyset(&sa.sa_mask) || sigaction(SIGALRM, &sa, NULL)) {
		perror("netbench: sigaction");
		return -1;
	}
	alarm(o->timeout);

	fd_a = open_netns(o->pid_a);
	if (fd_a < 0)
		return -1;
	fd_b = open_netns(o->pid_b);
	if (fd_b < 0) {
		close(fd_a);
		return -1;
	}
	if (pipe2(pfd, O_CLOEXEC)) {
		perror("netbench: pipe");
		goto out_ns;
	}
	if (fflush(stdout)) {
		perror("netbench: stdout");
		goto out_pipe;
	}
	srv = spawn(run_server, o, fd_b, fd_a, pfd[1], pfd[0], "server");
	if (srv < 0) {
		srv = 0;
		goto out_pipe;
	}
	close(pfd[1]);
	pfd[1] = -1;
	do {
		r = read(pfd[0], &c, 1);
	} while (r < 0 && errno == EINTR && !is_timed_out());
	if (is_timed_out())
		goto out_timeout;
	if (r != 1) {
		if (r < 0)
			perror("netbench: read(ready pipe)");
		else
			fprintf(stderr, "netbench: server failed to start\n");
		wait_child(&srv, "server");
		goto out_pipe;
	}

	cli = spawn(client_main, o, fd_a, fd_b, -1, pfd[0], "client");
	if (cli < 0) {
		cli = 0;
		goto out_pipe;
	}
	if (wait_child(&cli, "client")) {
		if (is_timed_out())
			goto out_timeout;
		goto out_pipe;
	}
	if (wait_child(&srv, "server")) {
		if (is_timed_out())
			goto out_timeout;
		goto out_pipe;
	}
	ret = 0;
	goto out_pipe;

out_timeout:
	fprintf(stderr, "netbench: timed out after %ld s\n", o->timeout);
out_pipe:
	kill_child(&cli);
	kill_child(&srv);
	close(pfd[0]);
	if (pfd[1] >= 0)
		close(pfd[1]);
out_ns:
	close(fd_a);
	close(fd_b);
	alarm(0);
	return ret;
}

int main(int argc, char **argv)
{
	struct opts o;
	struct sockaddr_in *s4;
	struct sockaddr_in6 *s6;
	long port = 5201;
	int c, ok;

	memset(&o, 0, sizeof(o));
	o.iter = 500;
	o.mib = 8;
	o.timeout = 120;
	o.label = "net";
	o.pid_a = -1;
	o.pid_b = -1;

	while ((c = getopt(argc, argv, "a:b:d:p:n:s:l:t:h")) != -1) {
		switch (c) {
		case 'a':
			ok = !parse_long(optarg, 1, INT_MAX, &o.pid_a);
			break;
		case 'b':
			ok = !parse_long(optarg, 1, INT_MAX, &o.pid_b);
			break;
		case 'd':
			o.dest = optarg;
			ok = 1;
			break;
		case 'p':
			ok = !parse_long(optarg, 1, 65534, &port);
			break;
		case 'n':
			ok = !parse_long(optarg, 1, 10000000, &o.iter);
			break;
		case 's':
			ok = !parse_long(optarg, 1, 1L << 20, &o.mib);
			break;
		case 'l':
			o.label = optarg;
			ok = optarg[0] && !strpbrk(optarg, " \t\n=");
			break;
		case 't':
			ok = !parse_long(optarg, 1, 86400, &o.timeout);
			break;
		case 'h':
			print_help(stdout);
			return 0;
		default:
			print_help(stderr);
			return 2;
		}
		if (!ok) {
			fprintf(stderr, "netbench: bad value for -%c: '%s'\n",
				c, optarg);
			print_help(stderr);
			return 2;
		}
	}
	if (optind != argc || o.pid_a < 0 || o.pid_b < 0 || !o.dest) {
		print_help(stderr);
		return 2;
	}
	o.port = port;

	s4 = (struct sockaddr_in *)&o.udp_addr;
	s6 = (struct sockaddr_in6 *)&o.udp_addr;
	if (inet_pton(AF_INET, o.dest, &s4->sin_addr) == 1) {
		o.family = AF_INET;
		o.addr_len = sizeof(*s4);
	} else if (inet_pton(AF_INET6, o.dest, &s6->sin6_addr) == 1) {
		o.family = AF_INET6;
		o.addr_len = sizeof(*s6);
	} else {
		fprintf(stderr, "netbench: bad IP address '%s'\n", o.dest);
		return 2;
	}
	o.udp_addr.ss_family = o.family;
	o.tcp_addr = o.udp_addr;
	set_port(&o.udp_addr, o.port);
	set_port(&o.tcp_addr, o.port + 1);

	if (run(&o)) {
		printf("RESULT=FAIL\n");
		return 1;
	}
	printf("RESULT=OK\n");
	if (fflush(stdout)) {
		perror("netbench: stdout");
		return 1;
	}
	return 0;
}

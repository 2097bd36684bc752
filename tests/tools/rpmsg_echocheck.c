// SPDX-License-Identifier: GPL-2.0
/*
 * rpmsg_echocheck - check an echo on the other core through one char device
 *
 * Usage: rpmsg_echocheck sizes DEV MAX
 *        rpmsg_echocheck random DEV MAX COUNT [SEED]
 *
 * The other side sends every message written to DEV back to its sender
 * (the echo of the firmware stacks' demos).
 *
 *   sizes   every size 1..MAX, one at a time: each echo must be one
 *           message of that size with the bytes sent
 *   random  COUNT messages of random size (1..MAX) and bytes, up to 32
 *           in flight: each echo must come back in order, byte-exact
 *
 * An echo that does not come within 5 s, or a device that reports an error
 * instead (the other side went away), is a failure. Prints one
 * "echocheck: ..." line with what it did; exits 0 only when every echo
 * was right.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define WINDOW 32

static uint64_t rng;

static uint64_t next(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* message @seq: its length and bytes, a function of seed and seq only */
static size_t make(unsigned char *buf, size_t max, uint64_t seed,
		   unsigned long seq)
{
	size_t len, i;

	rng = seed * 1000003u + seq;
	len = 1 + next() % max;
	for (i = 0; i < len; i++)
		buf[i] = (unsigned char)next();
	return len;
}

static int read_echo(int fd, unsigned char *buf, size_t cap, ssize_t *n)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int r = poll(&p, 1, 5000);

	if (r <= 0) {
		fprintf(stderr, "echocheck: no echo within 5 s\n");
		return -1;
	}
	if (!(p.revents & POLLIN)) {
		/* POLLERR: the other side went away, or POLLHUP: the device */
		fprintf(stderr, "echocheck: no echo, poll says %#x\n",
			(unsigned int)p.revents);
		return -1;
	}
	*n = read(fd, buf, cap);
	if (*n < 0) {
		fprintf(stderr, "echocheck: read: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

static int write_msg(int fd, const unsigned char *buf, size_t len)
{
	ssize_t w = write(fd, buf, len);

	if (w != (ssize_t)len) {
		fprintf(stderr, "echocheck: write of %zu bytes: %s\n", len,
			w < 0 ? strerror(errno) : "short");
		return -1;
	}
	return 0;
}

static int sizes(int fd, size_t max)
{
	unsigned char *out = malloc(max), *in = malloc(65536);
	size_t len, i;
	ssize_t n;

	if (!out || !in)
		return 1;
	for (len = 1; len <= max; len++) {
		for (i = 0; i < len; i++)
			out[i] = (unsigned char)(len * 7 + i * 13);
		if (write_msg(fd, out, len) || read_echo(fd, in, 65536, &n))
			return 1;
		if ((size_t)n != len || memcmp(in, out, len)) {
			fprintf(stderr, "echocheck: size %zu came back as %zd bytes%s\n",
				len, n, (size_t)n == len ? ", different" : "");
			return 1;
		}
	}
	printf("echocheck: every size 1..%zu came back whole\n", max);
	return 0;
}

static int randoms(int fd, size_t max, unsigned long count, uint64_t seed)
{
	unsigned char *out = malloc(max), *in = malloc(65536);
	unsigned long sent = 0, got = 0;
	size_t len;
	ssize_t n;

	if (!out || !in)
		return 1;
	while (got < count) {
		while (sent < count && sent - got < WINDOW) {
			len = make(out, max, seed, sent);
			if (write_msg(fd, out, len))
				return 1;
			sent++;
		}
		if (read_echo(fd, in, 65536, &n))
			return 1;
		len = make(out, max, seed, got);
		if ((size_t)n != len || memcmp(in, out, len)) {
			fprintf(stderr, "echocheck: message %lu (%zu bytes) came back as %zd%s\n",
				got, len, n, (size_t)n == len ? ", different" : "");
			return 1;
		}
		got++;
	}
	printf("echocheck: %lu random messages of 1..%zu bytes (seed %llu) came back in order\n",
	       count, max, (unsigned long long)seed);
	return 0;
}

int main(int argc, char **argv)
{
	int fd;

	if (argc < 4 || (strcmp(argv[1], "sizes") && strcmp(argv[1], "random")) ||
	    (!strcmp(argv[1], "random") && argc < 5)) {
		fprintf(stderr, "usage: %s sizes DEV MAX | random DEV MAX COUNT [SEED]\n",
			argv[0]);
		return 2;
	}
	fd = open(argv[2], O_RDWR);
	if (fd < 0) {
		fprintf(stderr, "echocheck: %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	if (!strcmp(argv[1], "sizes"))
		return sizes(fd, strtoul(argv[3], NULL, 0));
	return randoms(fd, strtoul(argv[3], NULL, 0),
		       strtoul(argv[4], NULL, 0),
		       argc > 5 ? strtoull(argv[5], NULL, 0) : 1);
}

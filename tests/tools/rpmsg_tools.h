/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rpmsg_tools.h - helpers shared by the user-space test tools in
 * tests/tools/ (included with quotes; every tool still builds from its own
 * .c file alone).  Everything here is a macro or a static inline function.
 */
#ifndef RPMSG_TOOLS_H
#define RPMSG_TOOLS_H

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* Kernel-style attribute shorthands (user space has no compiler_attributes.h). */
#define __tools_attr(x)	__attribute__((x))
#ifndef __printf
#define __printf(a, b)	__tools_attr(format(printf, a, b))
#endif

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(arr)	(sizeof(arr) / sizeof((arr)[0]))
#endif

/* For printing uint64_t etc. with %llu (no PRIu64). */
#define ULL(x)	((unsigned long long)(x))

/* ---- time ---- */

/*
 * Read CLOCK_MONOTONIC through the system call, never clock_gettime():
 * the RISC-V vDSO of 6.1.y kernels faults (load at 0x4) if it catches a
 * timekeeping update in progress, because its cpu_relax() uses a kernel
 * static branch.  That crashed reader processes of rpmsg_stress under load.
 * The system call is safe.  Returns 0 or -1 (errno set).
 */
static inline int mono_gettime(struct timespec *ts)
{
	return syscall(SYS_clock_gettime, CLOCK_MONOTONIC, ts) ? -1 : 0;
}

/* CLOCK_MONOTONIC in seconds. */
static inline double mono_now(void)
{
	struct timespec ts;

	mono_gettime(&ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- errno names ---- */

/* Symbolic name of an errno value ("errno N" for unlisted ones). */
static inline const char *errname(int err)
{
	static const struct {
		int err;
		const char *name;
	} names[] = {
		{ EPERM, "EPERM" },
		{ ENOENT, "ENOENT" },
		{ EINTR, "EINTR" },
		{ EIO, "EIO" },
		{ ENXIO, "ENXIO" },
		{ EBADF, "EBADF" },
		{ EAGAIN, "EAGAIN" },
		{ ENOMEM, "ENOMEM" },
		{ EACCES, "EACCES" },
		{ EFAULT, "EFAULT" },
		{ EBUSY, "EBUSY" },
		{ ENODEV, "ENODEV" },
		{ EINVAL, "EINVAL" },
		{ ENOTTY, "ENOTTY" },
		{ ENOSPC, "ENOSPC" },
		{ EPIPE, "EPIPE" },
		{ ERANGE, "ERANGE" },
		{ EMSGSIZE, "EMSGSIZE" },
		{ ENOTCONN, "ENOTCONN" },
		{ ESHUTDOWN, "ESHUTDOWN" },
		{ ECONNRESET, "ECONNRESET" },
		{ ENOBUFS, "ENOBUFS" },
		{ ETIMEDOUT, "ETIMEDOUT" },
		{ EOVERFLOW, "EOVERFLOW" },
		{ ENOLINK, "ENOLINK" },
		{ EOPNOTSUPP, "EOPNOTSUPP" },
	};
	static char buf[32];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (names[i].err == err)
			return names[i].name;
	snprintf(buf, sizeof(buf), "errno %d", err);
	return buf;
}

/* The errors a read/write/poll may report once the device was removed. */
static inline bool is_removal_errno(int err)
{
	return err == ENODEV || err == EPIPE || err == ESHUTDOWN ||
	       err == ECONNRESET;
}

/* ---- option / number parsing ---- */

/* Unsigned number (any base strtoul() accepts) in [min, max]. */
static inline bool parse_uint(const char *s, unsigned int *v,
			      unsigned int min, unsigned int max)
{
	unsigned long x;
	char *end;

	errno = 0;
	x = strtoul(s, &end, 0);
	if (errno || end == s || *end || *s == '-' || x < min || x > max)
		return false;
	*v = x;
	return true;
}

/* Like parse_uint() for 64-bit values; *v is written even on failure. */
static inline bool parse_u64(const char *s, uint64_t *v, uint64_t min,
			     uint64_t max)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 0);
	return !errno && end != s && !*end && *s != '-' && *v >= min &&
	       *v <= max;
}

/* Signed decimal number in [min, max]; returns 0 or -1. */
static inline int parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* Report a bad option value the way all tools do, then print the help. */
static inline void bad_option(const char *prog, int opt, const char *val,
			      void (*help)(FILE *f))
{
	fprintf(stderr, "%s: invalid value '%s' for -%c\n", prog, val, opt);
	help(stderr);
}

/* ---- misc ---- */

/* qsort() comparison for doubles. */
static inline int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a;
	double y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Open an RPMsg char device read-write; prints "prog: open ..." on error. */
static inline int open_dev_rdwr(const char *prog, const char *path)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		fprintf(stderr, "%s: open %s: %s\n", prog, path,
			strerror(errno));
	return fd;
}

/*
 * Read and discard messages still queued on fd until none arrives for
 * quiet_ms; reports the count if any.  Returns the number discarded.
 */
static inline unsigned long drain_stale(const char *prog, const char *path,
					int fd, int quiet_ms, size_t buf_len)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	unsigned long cnt = 0;
	uint8_t *buf = malloc(buf_len);

	if (!buf)
		return 0;
	while (poll(&pfd, 1, quiet_ms) > 0 && (pfd.revents & POLLIN)) {
		if (read(fd, buf, buf_len) <= 0)
			break;
		cnt++;
	}
	if (cnt)
		printf("%s: discarded %lu stale message(s) on %s\n", prog, cnt,
		       path);
	free(buf);
	return cnt;
}

#endif /* RPMSG_TOOLS_H */

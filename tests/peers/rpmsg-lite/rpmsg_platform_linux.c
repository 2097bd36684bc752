// SPDX-License-Identifier: GPL-2.0
/*
 * RPMsg-Lite platform for a Linux process: the lab's other core.
 *
 * Written for the interop test against rpmsg_platform.h. The shared memory
 * is mmap()ed from the test-only device /dev/rpmsg_upeer0
 * (tests/rpmsg_amp_upeer.c) at offsets equal to physical addresses, so
 * physical <-> virtual is a constant offset per region, as on a core with
 * a flat memory map. An address outside the regions is a broken master:
 * the process says so and exits, as a firmware would fault.
 *
 * The interrupt is a thread that blocks in read() of the device until
 * Linux rings, then runs env_isr() for each enabled queue of link 0 with
 * the interrupt mask held (one doorbell for both queues, as on the Milk-V
 * Duo). platform_notify() is a write(), which rings Linux.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "rpmsg_env.h"
#include "rpmsg_lite.h"

#define MAX_REGIONS 4

static struct {
	uint64_t pa;
	size_t size;
	unsigned char *va;
} region[MAX_REGIONS];
static int nregions;
static int fd = -1;
static pthread_t irq_thread;
static pthread_mutex_t irq_mask;
static int irq_enabled[RL_PLATFORM_MAX_ISR_COUNT];
static __thread int in_isr;
static uint64_t doorbells_in, doorbells_out;

int rl_linux_attach(const char *dev, const uint64_t *pa, const size_t *size,
		    int n)
{
	pthread_mutexattr_t attr;
	int i;

	uint64_t lo = UINT64_MAX, hi = 0;
	unsigned char *base;

	if (n > MAX_REGIONS)
		return -1;
	fd = open(dev, O_RDWR);
	if (fd < 0) {
		fprintf(stderr, "rpmsg-lite platform: %s: %s\n", dev,
			strerror(errno));
		return -1;
	}
	/*
	 * One window of addresses for all regions, each at its distance
	 * from the lowest, as in a flat memory map: RPMsg-Lite's master
	 * finds its buffers by adding to the address of its rings. What
	 * lies between the regions stays inaccessible.
	 */
	for (i = 0; i < n; i++) {
		if (pa[i] < lo)
			lo = pa[i];
		if (pa[i] + size[i] > hi)
			hi = pa[i] + size[i];
	}
	base = mmap(NULL, hi - lo, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		    -1, 0);
	if (base == MAP_FAILED) {
		fprintf(stderr, "rpmsg-lite platform: no room for %#llx bytes\n",
			(unsigned long long)(hi - lo));
		return -1;
	}
	for (i = 0; i < n; i++) {
		region[i].va = mmap(base + (pa[i] - lo), size[i],
				    PROT_READ | PROT_WRITE,
				    MAP_SHARED | MAP_FIXED, fd, (off_t)pa[i]);
		if (region[i].va == MAP_FAILED) {
			fprintf(stderr, "rpmsg-lite platform: mmap %#llx: %s\n",
				(unsigned long long)pa[i], strerror(errno));
			return -1;
		}
		region[i].pa = pa[i];
		region[i].size = size[i];
	}
	nregions = n;
	pthread_mutexattr_init(&attr);
	pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&irq_mask, &attr);
	pthread_mutexattr_destroy(&attr);
	return 0;
}

void rl_linux_irq_lock(void)
{
	pthread_mutex_lock(&irq_mask);
}

void rl_linux_irq_unlock(void)
{
	pthread_mutex_unlock(&irq_mask);
}

uint64_t rl_linux_doorbells_in(void)
{
	return __atomic_load_n(&doorbells_in, __ATOMIC_RELAXED);
}

uint64_t rl_linux_doorbells_out(void)
{
	return __atomic_load_n(&doorbells_out, __ATOMIC_RELAXED);
}

uintptr_t platform_vatopa(void *addr)
{
	unsigned char *p = addr;
	int i;

	for (i = 0; i < nregions; i++)
		if (p >= region[i].va && p < region[i].va + region[i].size)
			return (uintptr_t)(region[i].pa + (size_t)(p - region[i].va));
	fprintf(stderr, "rpmsg-lite platform: %p is not shared memory\n", addr);
	abort();
}

void *platform_patova(uintptr_t addr)
{
	int i;

	for (i = 0; i < nregions; i++)
		if (addr >= region[i].pa && addr - region[i].pa < region[i].size)
			return region[i].va + (addr - region[i].pa);
	fprintf(stderr, "rpmsg-lite platform: address %#lx is outside the shared memory\n",
		(unsigned long)addr);
	exit(3);
}

static void *irq_fn(void *arg)
{
	uint64_t n;
	uint32_t v;

	(void)arg;
	in_isr = 1;
	while (read(fd, &n, sizeof(n)) == (ssize_t)sizeof(n)) {
		__atomic_add_fetch(&doorbells_in, n, __ATOMIC_RELAXED);
		rl_linux_irq_lock();
		for (v = 0; v < RL_PLATFORM_MAX_ISR_COUNT; v++)
			if (irq_enabled[v])
				env_isr(v);
		rl_linux_irq_unlock();
	}
	fprintf(stderr, "rpmsg-lite platform: doorbell: %s\n", strerror(errno));
	exit(4);
}

int32_t platform_init_interrupt(uint32_t vector_id, void *isr_data)
{
	rl_linux_irq_lock();
	env_register_isr(vector_id, isr_data);
	rl_linux_irq_unlock();
	return 0;
}

int32_t platform_deinit_interrupt(uint32_t vector_id)
{
	rl_linux_irq_lock();
	env_unregister_isr(vector_id);
	rl_linux_irq_unlock();
	return 0;
}

int32_t platform_interrupt_enable(uint32_t vector_id)
{
	if (vector_id < RL_PLATFORM_MAX_ISR_COUNT)
		__atomic_store_n(&irq_enabled[vector_id], 1, __ATOMIC_RELAXED);
	return 0;
}

int32_t platform_interrupt_disable(uint32_t vector_id)
{
	if (vector_id < RL_PLATFORM_MAX_ISR_COUNT)
		__atomic_store_n(&irq_enabled[vector_id], 0, __ATOMIC_RELAXED);
	return 0;
}

int32_t platform_in_isr(void)
{
	return in_isr;
}

void platform_notify(uint32_t vector_id)
{
	char c = (char)vector_id;

	__atomic_add_fetch(&doorbells_out, 1, __ATOMIC_RELAXED);
	if (write(fd, &c, 1) != 1)
		fprintf(stderr, "rpmsg-lite platform: ring: %s\n",
			strerror(errno));
}

void platform_time_delay(uint32_t num_msec)
{
	struct timespec ts = {
		.tv_sec = num_msec / 1000,
		.tv_nsec = (long)(num_msec % 1000) * 1000000,
	};

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

int32_t platform_init(void)
{
	if (fd < 0)
		return -1;
	return pthread_create(&irq_thread, NULL, irq_fn, NULL) ? -1 : 0;
}

int32_t platform_deinit(void)
{
	return 0;
}

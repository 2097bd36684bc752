// SPDX-License-Identifier: GPL-2.0
/*
 * RPMsg-Lite environment for a Linux process: the lab's other core.
 *
 * Written for the interop test against rpmsg_env.h (the API RPMsg-Lite
 * asks of an environment). Interrupts are a thread (rpmsg_platform_linux.c)
 * that calls env_isr() with the interrupt mask held; every environment
 * mutex is that same mask, so a critical section of a task cannot be
 * entered by the "interrupt", as on a single core with interrupts off.
 * Queues are a ring with a condition variable.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "rpmsg_env.h"
#include "rpmsg_lite.h"
#include "virtqueue.h"

#if RL_USE_ENVIRONMENT_CONTEXT
#error "this port expects RL_USE_ENVIRONMENT_CONTEXT 0"
#endif

static void *isr_data[RL_PLATFORM_MAX_ISR_COUNT];
static pthread_mutex_t link_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t link_cond = PTHREAD_COND_INITIALIZER;
static char the_mutex;		/* what env_create_mutex() hands out */

/*
 * clock_gettime() by the system call, not the vDSO: 6.1's RISC-V vDSO
 * faults now and then in the lab (the same fault that kills ping, see
 * tests/guest/net.sh), and a firmware must not die of its clock.
 */
static void now(clockid_t clk, struct timespec *ts)
{
	syscall(SYS_clock_gettime, clk, ts);
}

int32_t env_init(void)
{
	memset(isr_data, 0, sizeof(isr_data));
	return platform_init();
}

int32_t env_deinit(void)
{
	return platform_deinit();
}

void *env_allocate_memory(uint32_t size)
{
	return malloc(size);
}

void env_free_memory(void *ptr)
{
	free(ptr);
}

void env_memset(void *ptr, int32_t value, uint32_t size)
{
	memset(ptr, value, size);
}

void env_memcpy(void *dst, void const *src, uint32_t len)
{
	memcpy(dst, src, len);
}

int32_t env_strcmp(const char *dst, const char *src)
{
	return strcmp(dst, src);
}

void env_strncpy(char *dest, const char *src, uint32_t len)
{
	strncpy(dest, src, len);
}

int32_t env_strncmp(char *dest, const char *src, uint32_t len)
{
	return strncmp(dest, src, len);
}

void env_mb(void)
{
	__sync_synchronize();
}

void env_rmb(void)
{
	__sync_synchronize();
}

void env_wmb(void)
{
	__sync_synchronize();
}

uint32_t env_map_vatopa(void *address)
{
	return (uint32_t)platform_vatopa(address);
}

void *env_map_patova(uint32_t address)
{
	return platform_patova(address);
}

int32_t env_create_mutex(void **lock, int32_t count)
{
	(void)count;
	*lock = &the_mutex;
	return 0;
}

void env_delete_mutex(void *lock)
{
	(void)lock;
}

void env_lock_mutex(void *lock)
{
	(void)lock;
	rl_linux_irq_lock();
}

void env_unlock_mutex(void *lock)
{
	(void)lock;
	rl_linux_irq_unlock();
}

int32_t env_create_sync_lock(void **lock, int32_t state)
{
	return env_create_mutex(lock, state);
}

void env_delete_sync_lock(void *lock)
{
	env_delete_mutex(lock);
}

void env_sleep_msec(uint32_t num_msec)
{
	platform_time_delay(num_msec);
}

void env_register_isr(uint32_t vector_id, void *data)
{
	if (vector_id < RL_PLATFORM_MAX_ISR_COUNT)
		isr_data[vector_id] = data;
}

void env_unregister_isr(uint32_t vector_id)
{
	if (vector_id < RL_PLATFORM_MAX_ISR_COUNT)
		isr_data[vector_id] = NULL;
}

void env_enable_interrupt(uint32_t vector_id)
{
	platform_interrupt_enable(vector_id);
}

void env_disable_interrupt(uint32_t vector_id)
{
	platform_interrupt_disable(vector_id);
}

void env_map_memory(uint32_t pa, uint32_t va, uint32_t size, uint32_t flags)
{
	(void)pa;
	(void)va;
	(void)size;
	(void)flags;
}

uint64_t env_get_timestamp(void)
{
	struct timespec ts;

	now(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void env_disable_cache(void)
{
}

/* The lab's other core shares Linux's coherent caches: nothing to do. */
void env_cache_flush(void *data, uint32_t len)
{
	(void)data;
	(void)len;
}

void env_cache_invalidate(void *data, uint32_t len)
{
	(void)data;
	(void)len;
}

/* Called by the interrupt thread, with the mask held. */
void env_isr(uint32_t vector)
{
	if (vector < RL_PLATFORM_MAX_ISR_COUNT && isr_data[vector])
		virtqueue_notification((struct virtqueue *)isr_data[vector]);
}

uint32_t env_wait_for_link_up(volatile uint32_t *link_state, uint32_t link_id,
			      uint32_t timeout_ms)
{
	struct timespec end = { 0 };
	int ret = 0;

	(void)link_id;
	now(CLOCK_REALTIME, &end);
	end.tv_sec += timeout_ms / 1000;
	end.tv_nsec += (long)(timeout_ms % 1000) * 1000000;
	if (end.tv_nsec >= 1000000000) {
		end.tv_sec++;
		end.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&link_lock);
	while (*link_state != 1U && ret != ETIMEDOUT) {
		/* the link's API takes RL_BLOCK cut to 32 bits */
		if (timeout_ms == (uint32_t)RL_BLOCK)
			pthread_cond_wait(&link_cond, &link_lock);
		else
			ret = pthread_cond_timedwait(&link_cond, &link_lock,
						     &end);
	}
	pthread_mutex_unlock(&link_lock);
	return *link_state == 1U;
}

void env_tx_callback(uint32_t link_id)
{
	(void)link_id;
	pthread_mutex_lock(&link_lock);
	pthread_cond_broadcast(&link_cond);
	pthread_mutex_unlock(&link_lock);
}

/* ---- queues -------------------------------------------------------------- */

struct env_queue {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int32_t length, element_size, head, count;
	char *slots;
};

int32_t env_create_queue(void **queue, int32_t length, int32_t element_size)
{
	struct env_queue *q = calloc(1, sizeof(*q));

	if (!q || length <= 0 || element_size <= 0)
		goto fail;
	q->slots = calloc((size_t)length, (size_t)element_size);
	if (!q->slots)
		goto fail;
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->cond, NULL);
	q->length = length;
	q->element_size = element_size;
	*queue = q;
	return 0;
fail:
	free(q);
	return -1;
}

void env_delete_queue(void *queue)
{
	struct env_queue *q = queue;

	pthread_mutex_destroy(&q->lock);
	pthread_cond_destroy(&q->cond);
	free(q->slots);
	free(q);
}

/* Called from the "interrupt": never waits. Return: 1 if queued. */
int32_t env_put_queue(void *queue, void *msg, uintptr_t timeout_ms)
{
	struct env_queue *q = queue;
	int32_t ok = 0;

	(void)timeout_ms;
	pthread_mutex_lock(&q->lock);
	if (q->count < q->length) {
		memcpy(q->slots + (size_t)((q->head + q->count) % q->length) *
			       (size_t)q->element_size,
		       msg, (size_t)q->element_size);
		q->count++;
		ok = 1;
		pthread_cond_signal(&q->cond);
	}
	pthread_mutex_unlock(&q->lock);
	return ok;
}

/* Return: 1 with a message, 0 when none came within timeout_ms. */
int32_t env_get_queue(void *queue, void *msg, uintptr_t timeout_ms)
{
	struct env_queue *q = queue;
	struct timespec end = { 0 };
	int ret = 0;

	if (timeout_ms != RL_BLOCK) {
		now(CLOCK_REALTIME, &end);
		end.tv_sec += (time_t)(timeout_ms / 1000);
		end.tv_nsec += (long)(timeout_ms % 1000) * 1000000;
		if (end.tv_nsec >= 1000000000) {
			end.tv_sec++;
			end.tv_nsec -= 1000000000;
		}
	}
	pthread_mutex_lock(&q->lock);
	while (!q->count && ret != ETIMEDOUT) {
		if (timeout_ms == RL_BLOCK)
			pthread_cond_wait(&q->cond, &q->lock);
		else
			ret = pthread_cond_timedwait(&q->cond, &q->lock, &end);
	}
	if (!q->count) {
		pthread_mutex_unlock(&q->lock);
		return 0;
	}
	memcpy(msg, q->slots + (size_t)q->head * (size_t)q->element_size,
	       (size_t)q->element_size);
	q->head = (q->head + 1) % q->length;
	q->count--;
	pthread_mutex_unlock(&q->lock);
	return 1;
}

int32_t env_get_current_queue_size(void *queue)
{
	struct env_queue *q = queue;
	int32_t n;

	pthread_mutex_lock(&q->lock);
	n = q->count;
	pthread_mutex_unlock(&q->lock);
	return n;
}

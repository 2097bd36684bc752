/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RPMsg-Lite platform of the lab's user-space other core
 * (rpmsg_platform_linux.c): the shared memory is mmap()ed from
 * /dev/rpmsg_upeer0 at offsets equal to physical addresses, the doorbell
 * is that device's read() (incoming) and write() (outgoing). One link
 * (id 0), one doorbell for both of its queues, as on the Milk-V Duo.
 */
#ifndef RPMSG_PLATFORM_H_
#define RPMSG_PLATFORM_H_

#include <stddef.h>
#include <stdint.h>

/* RPMsg-Lite's barrier on RISC-V (rpmsg_compiler.h): a full fence */
#ifndef mb
#define mb()	__sync_synchronize()	/* orders all shared-memory accesses */
#endif

#ifndef VRING_ALIGN
#define VRING_ALIGN	(0x1000U)
#endif
#ifndef VRING_SIZE
#define VRING_SIZE	(0x3000U)
#endif
/*
 * Where a master's buffers start after its rings: one page after them, so
 * that the lab's two carveouts (vrings, buffers) do not touch (6.1's KASAN
 * kernel hangs at boot on touching no-map regions; testing.rst).
 */
#define RL_VRING_OVERHEAD (2UL * VRING_SIZE + 0x1000UL)

#define RL_PLATFORM_MAX_ISR_COUNT	(2U)
#define RL_GET_VQ_ID(link_id, queue_id) (((queue_id) & 0x1U) | (((link_id) << 1U) & 0xFFFFFFFEU))
#define RL_GET_LINK_ID(id)		(((id) & 0xFFFFFFFEU) >> 1U)
#define RL_GET_Q_ID(id)			((id) & 0x1U)
#define RL_PLATFORM_USER_LINK_ID	(0U)
#define RL_PLATFORM_HIGHEST_LINK_ID	(0U)

int32_t platform_init_interrupt(uint32_t vector_id, void *isr_data);
int32_t platform_deinit_interrupt(uint32_t vector_id);
int32_t platform_interrupt_enable(uint32_t vector_id);
int32_t platform_interrupt_disable(uint32_t vector_id);
int32_t platform_in_isr(void);
void platform_notify(uint32_t vector_id);
void platform_time_delay(uint32_t num_msec);
uintptr_t platform_vatopa(void *addr);
void *platform_patova(uintptr_t addr);
int32_t platform_init(void);
int32_t platform_deinit(void);

/*
 * Before platform_init(): the device, and the regions of shared memory the
 * process maps (physical address, size). Return 0, or -1 with a message.
 */
int rl_linux_attach(const char *dev, const uint64_t *pa, const size_t *size,
		    int n);
/* The interrupt mask: held by the interrupt thread and by env mutexes. */
void rl_linux_irq_lock(void);
void rl_linux_irq_unlock(void);
/* doorbells from Linux so far, and rung to Linux so far */
uint64_t rl_linux_doorbells_in(void);
uint64_t rl_linux_doorbells_out(void);

#endif /* RPMSG_PLATFORM_H_ */

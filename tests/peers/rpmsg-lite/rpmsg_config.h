/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RPMsg-Lite configuration of the lab's user-space other core: the values
 * Documentation/boards/milkv-duo.rst gives the Milk-V Duo's RTOS, so that
 * the interop test checks what a board user would build.
 */
#ifndef RPMSG_CONFIG_H_
#define RPMSG_CONFIG_H_

#define RL_BUFFER_PAYLOAD_SIZE	(496U)
#define RL_BUFFER_COUNT		(256U)
#define VRING_ALIGN		(0x1000U)
#define VRING_SIZE		(0x3000U)	/* distance vring 0 -> 1 */

/* the port: a process with threads, not an RTOS with a static heap */
#define RL_USE_STATIC_API	(0)
#define RL_USE_ENVIRONMENT_CONTEXT (0)
#define RL_MS_PER_INTERVAL	(1)

#endif /* RPMSG_CONFIG_H_ */

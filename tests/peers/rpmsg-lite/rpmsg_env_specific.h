/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RPMsg-Lite environment types for a Linux process (rpmsg_env_linux.c):
 * what rpmsg_queue.c keeps in an environment queue.
 */
#ifndef RPMSG_ENV_SPECIFIC_H_
#define RPMSG_ENV_SPECIFIC_H_

#include <stdint.h>
#include "rpmsg_default_config.h"

typedef struct {
	uint32_t src;
	void *data;
	uint32_t len;
} rpmsg_queue_rx_cb_data_t;

#endif /* RPMSG_ENV_SPECIFIC_H_ */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rpmsg_amp - the RPMsg wire format, and nothing else
 *
 * What sits in a message buffer in shared memory, as the kernel's
 * virtio_rpmsg_bus, OpenAMP and RPMsg-Lite lay it out (their headers are
 * private to them: include/linux/rpmsg/ns.h exists only from 5.11 on).
 * Everything is little-endian. Documentation/protocol.rst describes the
 * rings and the handshake around it.
 */
#ifndef _RPMSG_AMP_WIRE_H
#define _RPMSG_AMP_WIRE_H

#include <linux/compiler.h>
#include <linux/types.h>

/**
 * struct rpmsg_amp_wire_hdr - RPMsg message header as it sits in memory
 * @src: source endpoint address
 * @dst: destination endpoint address
 * @reserved: zero
 * @len: payload length
 * @flags: zero
 *
 * Same layout as the kernel's virtio_rpmsg_bus, OpenAMP and RPMsg-Lite.
 */
struct rpmsg_amp_wire_hdr {
	__le32 src;
	__le32 dst;
	__le32 reserved;
	__le16 len;
	__le16 flags;
} __packed;

/* The header's size and the name service's address are public: rpmsg_amp.h */
#define RPMSG_AMP_NAME_SIZE	32

/**
 * struct rpmsg_amp_wire_ns - name-service announcement payload
 * @name: service name, NUL-terminated within the field
 * @addr: endpoint address of the service
 * @flags: 0 = create, 1 = destroy
 */
struct rpmsg_amp_wire_ns {
	char name[RPMSG_AMP_NAME_SIZE];
	__le32 addr;
	__le32 flags;
} __packed;

#endif /* _RPMSG_AMP_WIRE_H */

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

/*
 * The resource table a remote publishes (the layout remoteproc, OpenAMP
 * and the MICA design use; the kernel's definitions sit in a header that
 * moved between versions): a header, then offsets of entries, each a
 * type word and its body. Only what the master role reads is here.
 */
#define RPMSG_AMP_RSC_VERSION	1
#define RPMSG_AMP_RSC_VDEV	3
#define RPMSG_AMP_RSC_TRACE	2
#define RPMSG_AMP_RSC_ADDR_ANY	0xffffffffU
/* the virtio device id of rpmsg */
#define RPMSG_AMP_VIRTIO_ID_RPMSG	7

/**
 * struct rpmsg_amp_wire_rsc_table - resource table header
 * @ver: RPMSG_AMP_RSC_VERSION
 * @num: number of entries
 * @reserved: zero
 * @offset: offset of each entry from the start of the table
 */
struct rpmsg_amp_wire_rsc_table {
	__le32 ver;
	__le32 num;
	__le32 reserved[2];
	__le32 offset[];
} __packed;

/**
 * struct rpmsg_amp_wire_rsc_vring - one vring of a virtio device entry
 * @da: device address of the ring, or RPMSG_AMP_RSC_ADDR_ANY
 * @align: its alignment
 * @num: its descriptors
 * @notifyid: the id a doorbell for it carries
 * @pa: zero
 */
struct rpmsg_amp_wire_rsc_vring {
	__le32 da;
	__le32 align;
	__le32 num;
	__le32 notifyid;
	__le32 pa;
} __packed;

/**
 * struct rpmsg_amp_wire_rsc_vdev - virtio device entry (RPMSG_AMP_RSC_VDEV)
 * @type: RPMSG_AMP_RSC_VDEV
 * @id: virtio device id
 * @notifyid: the id a doorbell for the device carries
 * @dfeatures: features the device (the remote) offers
 * @gfeatures: features the driver (the master) took
 * @config_len: bytes of config space after the vrings
 * @status: virtio status the master writes (DRIVER_OK: ready, 0: gone)
 * @num_of_vrings: vrings that follow
 * @reserved: zero
 * @vring: the vrings
 */
struct rpmsg_amp_wire_rsc_vdev {
	__le32 type;
	__le32 id;
	__le32 notifyid;
	__le32 dfeatures;
	__le32 gfeatures;
	__le32 config_len;
	u8 status;
	u8 num_of_vrings;
	u8 reserved[2];
	struct rpmsg_amp_wire_rsc_vring vring[];
} __packed;

/**
 * struct rpmsg_amp_wire_rsc_trace - trace buffer entry (RPMSG_AMP_RSC_TRACE)
 * @type: RPMSG_AMP_RSC_TRACE
 * @da: device address of the buffer
 * @len: its size
 * @reserved: zero
 * @name: its name, NUL-terminated within the field
 */
struct rpmsg_amp_wire_rsc_trace {
	__le32 type;
	__le32 da;
	__le32 len;
	__le32 reserved;
	u8 name[32];
} __packed;

#endif /* _RPMSG_AMP_WIRE_H */

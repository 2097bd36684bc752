/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rpmsg_amp_net - the fragment header, and nothing else
 *
 * On an endpoint announced as "rpmsg-amp-net-frag" every message is one
 * fragment of an Ethernet frame: this header, then the fragment's bytes.
 * Everything is little-endian. Documentation/protocol.rst ("Network
 * frames") says how a peer cuts and reassembles frames.
 */
#ifndef _RPMSG_AMP_NET_WIRE_H
#define _RPMSG_AMP_NET_WIRE_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/virtio_net.h>

/* Any fragment: its sender takes frames with offloads (@vnet set). */
#define RPMSG_AMP_NET_F_OFFLOAD_OK	0x0001
#define RPMSG_AMP_NET_F_ALL		0x0001

/**
 * struct rpmsg_amp_net_frag - header of each fragment of a frame
 * @seq: frame number: the same in all fragments of a frame, one more
 *	(modulo 2^16) in the next frame
 * @flags: RPMSG_AMP_NET_F_*; other bits are zero
 * @frame_len: length of the whole frame from its Ethernet header on,
 *	the same in all fragments
 * @offset: where this fragment's bytes go in the frame: 0 in the first,
 *	the previous fragment's end in each next one
 * @vnet: in the first fragment, the frame's offloads exactly as a
 *	little-endian virtio-net header says them (a checksum left to the
 *	receiver, TCP segmentation); all zero otherwise
 * @reserved: zero
 */
struct rpmsg_amp_net_frag {
	__le16 seq;
	__le16 flags;
	__le32 frame_len;
	__le32 offset;
	struct virtio_net_hdr vnet;
	__le16 reserved;
} __packed;

#endif /* _RPMSG_AMP_NET_WIRE_H */

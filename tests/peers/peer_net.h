/* SPDX-License-Identifier: GPL-2.0 */
/*
 * peer_net - what the lab's firmware applications answer on their net
 * port: ARP requests for their address and ICMP echo requests to it, one
 * Ethernet frame per message. Shared by rl_peer and oa_peer.
 */
#ifndef PEER_NET_H
#define PEER_NET_H

#include <stddef.h>

/* the port's address: $PEER_IP (or @dflt), a.b.c.d; 0, or -1 if invalid */
int peer_net_init(const char *env, const char *dflt);

/* answer frame @f of @len bytes in place: the reply's length, or 0 */
size_t peer_net_reflect(unsigned char *f, size_t len);

#endif

// SPDX-License-Identifier: GPL-2.0
/*
 * peer_net - ARP and ICMP echo answered in place, as a test firmware
 * would have them (see peer_net.h)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "peer_net.h"

static const unsigned char our_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x05, 0x02 };
static unsigned char our_ip[4];

int peer_net_init(const char *env, const char *dflt)
{
	const char *s = getenv(env);

	if (!s)
		s = dflt;
	if (sscanf(s, "%hhu.%hhu.%hhu.%hhu", &our_ip[0], &our_ip[1],
		   &our_ip[2], &our_ip[3]) != 4) {
		fprintf(stderr, "%s: not an IPv4 address\n", env);
		return -1;
	}
	return 0;
}

static uint16_t csum(const unsigned char *p, size_t n)
{
	uint32_t sum = 0;

	for (; n > 1; p += 2, n -= 2)
		sum += (uint32_t)(p[0] << 8 | p[1]);
	if (n)
		sum += (uint32_t)(p[0] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

size_t peer_net_reflect(unsigned char *f, size_t len)
{
	unsigned char *ip, *icmp;
	unsigned int ihl, tot;
	uint16_t c;

	if (len < 14)
		return 0;
	if (f[12] == 0x08 && f[13] == 0x06 && len >= 42 &&
	    f[20] == 0 && f[21] == 1 && !memcmp(f + 38, our_ip, 4)) {
		/* ARP request for us: reply */
		memcpy(f, f + 6, 6);
		memcpy(f + 6, our_mac, 6);
		f[21] = 2;
		memcpy(f + 32, f + 22, 10);	/* target = the asker */
		memcpy(f + 22, our_mac, 6);
		memcpy(f + 28, our_ip, 4);
		return len;
	}
	if (f[12] != 0x08 || f[13] != 0x00 || len < 34)
		return 0;
	ip = f + 14;
	ihl = (ip[0] & 0xf) * 4u;
	tot = (unsigned int)(ip[2] << 8 | ip[3]);
	if (ihl < 20 || tot < ihl + 8 || 14 + tot > len ||
	    ip[9] != 1 || memcmp(ip + 16, our_ip, 4))
		return 0;
	icmp = ip + ihl;
	if (icmp[0] != 8)
		return 0;
	memcpy(f, f + 6, 6);
	memcpy(f + 6, our_mac, 6);
	memcpy(ip + 16, ip + 12, 4);
	memcpy(ip + 12, our_ip, 4);
	ip[10] = 0;
	ip[11] = 0;
	c = csum(ip, ihl);
	ip[10] = (unsigned char)(c >> 8);
	ip[11] = (unsigned char)c;
	icmp[0] = 0;
	icmp[2] = 0;
	icmp[3] = 0;
	c = csum(icmp, tot - ihl);
	icmp[2] = (unsigned char)(c >> 8);
	icmp[3] = (unsigned char)c;
	return 14 + tot;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * rpmsg_netfrag - a hostile other core for a framed net port (test only)
 *
 * Writes fragment sequences, good and broken, to an rpmsg char device
 * whose messages arrive at the endpoint of a net device rpmsgN_M that
 * carries frames in fragments (Documentation/protocol.rst, "Network
 * frames"). The lab opens such a device through the other side's
 * rpmsg_ctrl with remote address M, so every message written here is a
 * message from "the other core" to the port.
 *
 * Usage: rpmsg_netfrag DEV SCENARIO [-m MAX]
 *
 * Each scenario prints the counters it must move on the receiving port,
 * as "expect rx_packets=N rx_frag_malformed=N rx_frag_unexpected=N
 * rx_frag_incomplete=N rx_frag_timeout=N", for the test to compare with
 * ethtool -S and ip -s link. Frames are broadcast with the local
 * experimental EtherType 0x88b5: the stack counts and drops them.
 * `rpmsg_netfrag list` prints the scenarios.
 *
 * Exit status: 0 when every message was written, 1 on a failed write,
 * 2 usage error.
 */
#include "rpmsg_tools.h"

#define HDR_LEN		24
/* struct virtio_net_hdr, at offset 12 of the header */
#define VNET_NEEDS_CSUM	0x01
#define GSO_NONE	0
#define GSO_TCPV4	1
#define GSO_UDP		3

static int fd;
static unsigned int room = 496 - HDR_LEN;	/* frame bytes per message */
static unsigned short seq = 100;

static void put16(unsigned char *p, unsigned short v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static void put32(unsigned char *p, unsigned int v)
{
	put16(p, v);
	put16(p + 2, v >> 16);
}

/* A frame of @len bytes: broadcast, EtherType 0x88b5, a pattern. */
static void frame(unsigned char *f, unsigned int len)
{
	unsigned int i;

	memset(f, 0xff, 6);
	memcpy(f + 6, "\x02\x72\x09\x09\x09\x09", 6);
	f[12] = 0x88;
	f[13] = 0xb5;
	for (i = 14; i < len; i++)
		f[i] = i * 7 + seq;
}

/* A frame's offloads, as the virtio-net header in the first fragment. */
struct vnet {
	unsigned char flags, gso_type;
	unsigned short hdr_len, gso_size, csum_start, csum_offset;
};

static const struct vnet none;

/* One message: a header and @dlen bytes of the frame from @off. */
static void msgv(unsigned short s, unsigned short flags, unsigned int flen,
		 unsigned int off, const struct vnet *v,
		 const unsigned char *data, unsigned int dlen)
{
	unsigned char buf[65536];

	memset(buf, 0, HDR_LEN);
	put16(buf, s);
	put16(buf + 2, flags);
	put32(buf + 4, flen);
	put32(buf + 8, off);
	buf[12] = v->flags;
	buf[13] = v->gso_type;
	put16(buf + 14, v->hdr_len);
	put16(buf + 16, v->gso_size);
	put16(buf + 18, v->csum_start);
	put16(buf + 20, v->csum_offset);
	memcpy(buf + HDR_LEN, data, dlen);
	if (write(fd, buf, HDR_LEN + dlen) != (ssize_t)(HDR_LEN + dlen)) {
		fprintf(stderr, "rpmsg_netfrag: write: %s\n", errname(errno));
		exit(1);
	}
}

static void msg(unsigned short s, unsigned short flags, unsigned int flen,
		unsigned int off, const unsigned char *data, unsigned int dlen)
{
	msgv(s, flags, flen, off, &none, data, dlen);
}

/* Fragment @i of a frame of @flen bytes, as a good sender cuts it. */
static void frag(const unsigned char *f, unsigned int flen, unsigned int i)
{
	unsigned int off = i * room, n = flen - off < room ? flen - off : room;

	msg(seq, 0, flen, off, f + off, n);
}

/* A whole frame, every fragment in order; then the next number. */
static void good(unsigned int flen)
{
	unsigned char f[65536];
	unsigned int i;

	frame(f, flen);
	for (i = 0; i * room < flen; i++)
		frag(f, flen, i);
	seq++;
}

struct scenario {
	const char *name;
	void (*run)(void);
	/* rx_packets, malformed, unexpected, incomplete, timeout */
	unsigned int expect[5];
};

static unsigned char fb[65536];

static void s_good(void)
{
	good(60);
	good(1000);
	good(room);
	good(room + 1);
	good(9014);
}

static void s_lost_middle(void)
{
	frame(fb, 1400);
	frag(fb, 1400, 0);
	frag(fb, 1400, 2);
	seq++;
	good(1000);
}

static void s_lost_last(void)
{
	frame(fb, 1400);
	frag(fb, 1400, 0);
	frag(fb, 1400, 1);
	seq++;
	good(1000);
}

static void s_lost_first(void)
{
	frame(fb, 1400);
	frag(fb, 1400, 1);
	frag(fb, 1400, 2);
	seq++;
	good(1000);
}

static void s_duplicated(void)
{
	frame(fb, 1400);
	frag(fb, 1400, 0);
	frag(fb, 1400, 1);
	frag(fb, 1400, 1);
	frag(fb, 1400, 2);
	seq++;
	good(1000);
}

static void s_reordered(void)
{
	frame(fb, 1400);
	frag(fb, 1400, 0);
	frag(fb, 1400, 2);
	frag(fb, 1400, 1);
	seq++;
	good(1000);
}

/* the next fragment carries the next frame's number */
static void s_wrong_number(void)
{
	frame(fb, 1400);
	frag(fb, 1400, 0);
	msg(seq + 1, 0, 1400, room, fb + room, room);
	seq += 2;
	good(1000);
}

/* the length changes half-way */
static void s_wrong_length(void)
{
	frame(fb, 1400);
	frag(fb, 1400, 0);
	msg(seq, 0, 1500, room, fb + room, room);
	seq++;
	good(1000);
}

static void s_oversize(void)
{
	frame(fb, 2000);
	msg(seq, 0, 65535 + 14 + 1, 0, fb, room);
	msg(seq, 0, 0xffffffff, 0, fb, room);
	seq++;
	good(1000);
}

static void s_undersize(void)
{
	frame(fb, 14);
	msg(seq, 0, 13, 0, fb, 13);
	seq++;
	good(1000);
}

/* shorter than a header, and a header without bytes */
static void s_truncated(void)
{
	unsigned char b[HDR_LEN] = { 0 };

	if (write(fd, b, 10) != 10 || write(fd, b, HDR_LEN) != HDR_LEN) {
		fprintf(stderr, "rpmsg_netfrag: write: %s\n", errname(errno));
		exit(1);
	}
	good(1000);
}

/* fragments that run past the frame's length, without end: six fit, the
 * seventh overruns it, the other 33 start beyond it
 */
static void s_endless(void)
{
	unsigned int flen = 6 * room + room / 4;
	unsigned int i;

	frame(fb, room);
	for (i = 0; i < 40; i++)
		msg(seq, 0, flen, i * room, fb, room);
	seq++;
	good(1000);
}

/* unknown flags; offloads outside the first fragment; reserved bytes */
static void s_bad_flags(void)
{
	static const struct vnet csum = { VNET_NEEDS_CSUM, 0, 0, 0, 34, 16 };
	unsigned char b[HDR_LEN + 100];

	frame(fb, 100);
	msg(seq, 0x0100, 100, 0, fb, 100);
	frame(fb, 1400);
	frag(fb, 1400, 0);
	msgv(seq, 0, 1400, room, &csum, fb + room, room);
	seq++;
	memset(b, 0, sizeof(b));
	put16(b, seq);
	put32(b + 4, 100);
	b[22] = 1;
	memcpy(b + HDR_LEN, fb, 100);
	if (write(fd, b, sizeof(b)) != (ssize_t)sizeof(b)) {
		fprintf(stderr, "rpmsg_netfrag: write: %s\n", errname(errno));
		exit(1);
	}
	seq++;
	good(1000);
}

/* a checksum to complete: in the Ethernet header, past the frame's end;
 * flags the virtio-net header does not have; a field set without its flag
 */
static void s_bad_csum(void)
{
	static const struct vnet early = { VNET_NEEDS_CSUM, 0, 0, 0, 10, 6 };
	static const struct vnet late = { VNET_NEEDS_CSUM, 0, 0, 0, 90, 16 };
	static const struct vnet valid = { 0x02, 0, 0, 0, 0, 0 };
	static const struct vnet loose = { 0, 0, 0, 0, 34, 0 };

	frame(fb, 100);
	msgv(seq++, 0, 100, 0, &early, fb, 100);
	msgv(seq++, 0, 100, 0, &late, fb, 100);
	msgv(seq++, 0, 100, 0, &valid, fb, 100);
	msgv(seq++, 0, 100, 0, &loose, fb, 100);
	good(1000);
}

/* segmentation the receiver must refuse: UDP, TCP without a checksum to
 * complete, size 0, a header length past the frame, a checksum not at
 * TCP's place; and one that the kernel's virtio_net_hdr_to_skb() refuses
 * once the frame is whole (no room for a TCP header at csum_start)
 */
static void s_bad_gso(void)
{
	static const struct vnet udp = { VNET_NEEDS_CSUM, GSO_UDP, 0, 1000, 34, 6 };
	static const struct vnet nocsum = { 0, GSO_TCPV4, 0, 1000, 0, 0 };
	static const struct vnet zero = { VNET_NEEDS_CSUM, GSO_TCPV4, 0, 0, 34, 16 };
	static const struct vnet hdr = { VNET_NEEDS_CSUM, GSO_TCPV4, 3000, 1000, 34, 16 };
	static const struct vnet notcp = { VNET_NEEDS_CSUM, GSO_TCPV4, 54, 100, 34, 6 };
	static const struct vnet tail = { VNET_NEEDS_CSUM, GSO_TCPV4, 54, 100, 382, 16 };

	frame(fb, 2000);
	msgv(seq++, 0, 2000, 0, &udp, fb, room);
	msgv(seq++, 0, 2000, 0, &nocsum, fb, room);
	msgv(seq++, 0, 2000, 0, &zero, fb, room);
	msgv(seq++, 0, 2000, 0, &hdr, fb, room);
	msgv(seq++, 0, 400, 0, &notcp, fb, 400);
	msgv(seq++, 0, 400, 0, &tail, fb, 400);
	good(1000);
}

/* a frame whose fragments take longer than a second */
static void s_timeout(void)
{
	frame(fb, 1400);
	frag(fb, 1400, 0);
	frag(fb, 1400, 1);
	usleep(1300 * 1000);
	frag(fb, 1400, 2);
	seq++;
	good(1000);
}

/* a new frame starts before the last one ended */
static void s_restart(void)
{
	frame(fb, 1400);
	frag(fb, 1400, 0);
	seq++;
	good(1400);
}

static const struct scenario scenarios[] = {
	{ "good", s_good, { 5, 0, 0, 0, 0 } },
	{ "lost-middle", s_lost_middle, { 1, 0, 1, 1, 0 } },
	{ "lost-last", s_lost_last, { 1, 0, 0, 1, 0 } },
	{ "lost-first", s_lost_first, { 1, 0, 2, 0, 0 } },
	{ "duplicated", s_duplicated, { 1, 0, 2, 1, 0 } },
	{ "reordered", s_reordered, { 1, 0, 2, 1, 0 } },
	{ "wrong-number", s_wrong_number, { 1, 0, 1, 1, 0 } },
	{ "wrong-length", s_wrong_length, { 1, 0, 1, 1, 0 } },
	{ "oversize", s_oversize, { 1, 2, 0, 0, 0 } },
	{ "undersize", s_undersize, { 1, 1, 0, 0, 0 } },
	{ "truncated", s_truncated, { 1, 2, 0, 0, 0 } },
	{ "endless", s_endless, { 1, 34, 0, 1, 0 } },
	{ "bad-flags", s_bad_flags, { 1, 3, 0, 1, 0 } },
	{ "bad-csum", s_bad_csum, { 1, 4, 0, 0, 0 } },
	{ "bad-gso", s_bad_gso, { 1, 6, 0, 0, 0 } },
	{ "timeout", s_timeout, { 1, 0, 0, 0, 1 } },
	{ "restart", s_restart, { 1, 0, 0, 1, 0 } },
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: rpmsg_netfrag DEV SCENARIO [-m MAX]\n"
		"       rpmsg_netfrag list\n"
		"Writes the fragment sequence SCENARIO to DEV (an rpmsg char device\n"
		"whose messages reach a framed rpmsgN_M) and prints the counters it\n"
		"must move there. MAX: payload per message (default 496).\n");
}

int main(int argc, char **argv)
{
	const struct scenario *sc = NULL;
	unsigned int i, max = 496;

	if (argc == 2 && !strcmp(argv[1], "list")) {
		for (i = 0; i < ARRAY_SIZE(scenarios); i++)
			printf("%s\n", scenarios[i].name);
		return 0;
	}
	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		usage(stdout);
		return 0;
	}
	if (argc == 5 && !strcmp(argv[3], "-m") &&
	    parse_uint(argv[4], &max, HDR_LEN + 64, 8192))
		argc = 3;
	if (argc != 3) {
		usage(stderr);
		return 2;
	}
	room = max - HDR_LEN;
	for (i = 0; i < ARRAY_SIZE(scenarios); i++)
		if (!strcmp(argv[2], scenarios[i].name))
			sc = &scenarios[i];
	if (!sc) {
		fprintf(stderr, "rpmsg_netfrag: no scenario %s\n", argv[2]);
		return 2;
	}
	fd = open(argv[1], O_WRONLY);
	if (fd < 0) {
		fprintf(stderr, "rpmsg_netfrag: %s: %s\n", argv[1],
			errname(errno));
		return 1;
	}
	sc->run();
	close(fd);
	printf("expect rx_packets=%u rx_frag_malformed=%u", sc->expect[0],
	       sc->expect[1]);
	printf(" rx_frag_unexpected=%u rx_frag_incomplete=%u rx_frag_timeout=%u\n",
	       sc->expect[2], sc->expect[3], sc->expect[4]);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * rl_peer - the test application of the lab's RPMsg-Lite other core
 *
 * Runs unmodified RPMsg-Lite (../shared/peers/rpmsg-lite) on the port in
 * rpmsg-lite/, either as the remote of one of our master channels, the way
 * the Milk-V Duo's RTOS does (Documentation/boards/milkv-duo.rst), or as
 * the master of one of our remote channels (an MCU-to-MCU design with
 * Linux as the device side):
 *
 *	rl_peer remote DEV VRING_PA VRING_SIZE BUF_PA BUF_SIZE
 *	rl_peer master DEV VRING_PA VRING_SIZE BUF_PA BUF_SIZE
 *
 * As the remote it attaches to the vrings at VRING_PA, waits for the link
 * and announces "rpmsg-amp" from 1024. As the master it builds the rings
 * at VRING_PA and its buffers after them (RL_VRING_OVERHEAD, up to
 * BUF_PA + BUF_SIZE) and starts at once. Either way it serves:
 *  - 13: echo (what comes from an address goes back to it);
 *  - 14: an Ethernet port, one frame per message, announced as
 *    "rpmsg-amp-net": it answers ARP requests for its address ($RL_PEER_IP,
 *    default 192.168.5.2) and ICMP echo requests to it, and drops
 *    everything else;
 *  - 15: control. "ns-create" creates endpoint 30 and announces it as
 *    "rpmsg-amp-char" (an echo like 13); "ns-destroy" withdraws and
 *    destroys it; "stats" answers with counters. Each answers "ok ...".
 * It prints "rl_peer: waiting for the link" (its doorbell is listened to),
 * "rl_peer: link up" and "rl_peer: ready" to stdout.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "peer_net.h"
#include "rpmsg_lite.h"
#include "rpmsg_ns.h"
#include "rpmsg_queue.h"

#define CHAN_ADDR	1024
#define ECHO_ADDR	13
#define NET_ADDR	14
#define CTL_ADDR	15
#define SVC_ADDR	30

static struct rpmsg_lite_instance *rl;
static struct rpmsg_lite_endpoint *svc_ept;
static rpmsg_queue_handle svc_q;
static pthread_mutex_t svc_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long echoed, frames_in, frames_out;

struct server {
	struct rpmsg_lite_endpoint *ept;
	rpmsg_queue_handle q;
	int (*serve)(struct server *s, uint32_t src, char *msg, uint32_t len);
};

static void send_to(struct rpmsg_lite_endpoint *ept, uint32_t dst, char *msg,
		    uint32_t len)
{
	int32_t ret = rpmsg_lite_send(rl, ept, dst, msg, len, RL_BLOCK);

	if (ret != RL_SUCCESS)
		fprintf(stderr, "rl_peer: send %u bytes to %u: %d\n",
			(unsigned int)len, (unsigned int)dst, (int)ret);
}

static int echo(struct server *s, uint32_t src, char *msg, uint32_t len)
{
	send_to(s->ept, src, msg, len);
	echoed++;
	return 0;
}

static int net(struct server *s, uint32_t src, char *msg, uint32_t len)
{
	size_t n;

	frames_in++;
	n = peer_net_reflect((unsigned char *)msg, len);
	if (!n)
		return 0;
	send_to(s->ept, src, msg, (uint32_t)n);
	frames_out++;
	return 0;
}

static void *serve_fn(void *arg);

static int control(struct server *s, uint32_t src, char *msg, uint32_t len)
{
	static struct server svc = { .serve = echo };
	static pthread_t svc_thread;
	char out[128];
	int n;

	msg[len < RL_BUFFER_PAYLOAD_SIZE ? len : RL_BUFFER_PAYLOAD_SIZE - 1] = 0;
	pthread_mutex_lock(&svc_lock);
	if (!strcmp(msg, "ns-create") && !svc_ept) {
		if (!svc_q)
			svc_q = rpmsg_queue_create(rl);
		svc_ept = rpmsg_lite_create_ept(rl, SVC_ADDR, rpmsg_queue_rx_cb,
						svc_q);
		svc.ept = svc_ept;
		svc.q = svc_q;
		if (!svc_thread)
			pthread_create(&svc_thread, NULL, serve_fn, &svc);
		rpmsg_ns_announce(rl, svc_ept, "rpmsg-amp-char", RL_NS_CREATE);
		n = snprintf(out, sizeof(out), "ok ns-create %d", SVC_ADDR);
	} else if (!strcmp(msg, "ns-destroy") && svc_ept) {
		rpmsg_ns_announce(rl, svc_ept, "rpmsg-amp-char", RL_NS_DESTROY);
		rpmsg_lite_destroy_ept(rl, svc_ept);
		svc_ept = NULL;
		svc.ept = NULL;
		n = snprintf(out, sizeof(out), "ok ns-destroy %d", SVC_ADDR);
	} else if (!strcmp(msg, "stats")) {
		n = snprintf(out, sizeof(out),
			     "ok echoed %lu frames_in %lu frames_out %lu doorbells_in %llu doorbells_out %llu",
			     echoed, frames_in, frames_out,
			     (unsigned long long)rl_linux_doorbells_in(),
			     (unsigned long long)rl_linux_doorbells_out());
	} else {
		n = snprintf(out, sizeof(out), "error %s", msg);
	}
	pthread_mutex_unlock(&svc_lock);
	send_to(s->ept, src, out, (uint32_t)n);
	return 0;
}

static void *serve_fn(void *arg)
{
	struct server *s = arg;
	static char buf[RL_BUFFER_PAYLOAD_SIZE + 1];
	char *msg = malloc(RL_BUFFER_PAYLOAD_SIZE + 1);
	uint32_t src, len;

	(void)buf;
	if (!msg)
		exit(5);
	for (;;) {
		if (rpmsg_queue_recv(rl, s->q, &src, msg, RL_BUFFER_PAYLOAD_SIZE,
				     &len, RL_BLOCK) != RL_SUCCESS)
			continue;
		pthread_mutex_lock(&svc_lock);
		if (!s->ept) {
			/* the endpoint went: what was queued is dropped */
			pthread_mutex_unlock(&svc_lock);
			continue;
		}
		pthread_mutex_unlock(&svc_lock);
		s->serve(s, src, msg, len);
	}
	return NULL;
}

static int32_t drop_cb(void *payload, uint32_t len, uint32_t src, void *priv)
{
	(void)payload;
	(void)len;
	(void)src;
	(void)priv;
	return RL_RELEASE;
}

static struct server *server_new(uint32_t addr,
				 int (*fn)(struct server *, uint32_t, char *,
					   uint32_t))
{
	struct server *s = calloc(1, sizeof(*s));
	pthread_t t;

	if (!s)
		exit(5);
	s->q = rpmsg_queue_create(rl);
	s->ept = rpmsg_lite_create_ept(rl, addr, rpmsg_queue_rx_cb, s->q);
	s->serve = fn;
	if (!s->q || !s->ept || pthread_create(&t, NULL, serve_fn, s)) {
		fprintf(stderr, "rl_peer: endpoint %u\n", (unsigned int)addr);
		exit(5);
	}
	return s;
}

int main(int argc, char **argv)
{
	uint64_t pa[2];
	size_t size[2];
	struct rpmsg_lite_endpoint *chan;
	struct server *netsrv;

	int master;

	if (argc != 7 || (strcmp(argv[1], "remote") && strcmp(argv[1], "master"))) {
		fprintf(stderr, "usage: %s remote|master DEV VRING_PA VRING_SIZE BUF_PA BUF_SIZE\n",
			argv[0]);
		return 2;
	}
	master = !strcmp(argv[1], "master");
	/* the net port's address: RL_PEER_IP, default 192.168.5.2 */
	if (peer_net_init("RL_PEER_IP", "192.168.5.2"))
		return 2;
	pa[0] = strtoull(argv[3], NULL, 0);
	size[0] = strtoull(argv[4], NULL, 0);
	pa[1] = strtoull(argv[5], NULL, 0);
	size[1] = strtoull(argv[6], NULL, 0);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (rl_linux_attach(argv[2], pa, size, 2))
		return 1;

	if (master)
		rl = rpmsg_lite_master_init(platform_patova((uintptr_t)pa[0]),
					    (uint32_t)(pa[1] + size[1] - pa[0]),
					    RL_PLATFORM_USER_LINK_ID,
					    RL_NO_FLAGS);
	else
		rl = rpmsg_lite_remote_init(platform_patova((uintptr_t)pa[0]),
					    RL_PLATFORM_USER_LINK_ID,
					    RL_NO_FLAGS);
	if (!rl) {
		fprintf(stderr, "rl_peer: rpmsg_lite_%s_init failed\n", argv[1]);
		return 1;
	}
	printf("rl_peer: waiting for the link\n");
	while (!rpmsg_lite_wait_for_link_up(rl, 1000))
		;
	printf("rl_peer: link up\n");

	server_new(ECHO_ADDR, echo);
	netsrv = server_new(NET_ADDR, net);
	server_new(CTL_ADDR, control);
	chan = rpmsg_lite_create_ept(rl, CHAN_ADDR, drop_cb, NULL);
	if (!chan)
		return 1;
	rpmsg_ns_announce(rl, netsrv->ept, "rpmsg-amp-net", RL_NS_CREATE);
	/* the remote says it is there; a master's buffers say so */
	if (!master)
		rpmsg_ns_announce(rl, chan, "rpmsg-amp", RL_NS_CREATE);
	printf("rl_peer: ready\n");
	for (;;)
		pause();
	return 0;
}

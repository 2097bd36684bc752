// SPDX-License-Identifier: GPL-2.0
/*
 * oa_peer - the test application of the lab's OpenAMP other core
 *
 * Runs unmodified OpenAMP and libmetal (../shared/peers) as the remote of
 * one of our master channels, the way the RTOSes of the MICA design do:
 * the remote publishes a resource table at a fixed address, with its
 * rpmsg virtio device and the places of its two vrings, and starts when
 * the master writes DRIVER_OK into the device's status byte.
 *
 *	oa_peer load DEV RSC_PA RSC_SIZE VRING_PA VRING_SIZE BUF_PA BUF_SIZE
 *	oa_peer run  DEV RSC_PA RSC_SIZE VRING_PA VRING_SIZE BUF_PA BUF_SIZE
 *	oa_peer show DEV RSC_PA RSC_SIZE VRING_PA VRING_SIZE BUF_PA BUF_SIZE
 *
 * "load" is the boot loader: it writes the table as the firmware image
 * holds it (two vrings of 256 entries, alignment 4096, their places left
 * to the master, FW_RSC_ADDR_ANY, as Zephyr's table has them; the
 * name-service feature offered; status 0). "run" is the firmware: it uses
 * the table in place, as a restarted firmware whose image was not loaded
 * again would; it waits for DRIVER_OK (rproc_virtio_wait_remote_ready()),
 * takes the vrings from where the master put them, announces "rpmsg-amp"
 * from 1024 and serves, as rl_peer does:
 *  - 13: echo;
 *  - 14: the net port ("rpmsg-amp-net"; ARP and ICMP echo for $OA_PEER_IP,
 *    default 192.168.7.2);
 *  - 15: control: "ns-create" creates an echo endpoint at 1030 announced
 *    as "rpmsg-amp-char" (OpenAMP withdraws only services at 1024 and
 *    above), "ns-destroy" destroys it, "stats" answers counters and the
 *    table's status byte and gfeatures.
 * "show" prints the table's status byte, gfeatures and vring addresses.
 * With $OA_PEER_FLAW, "load" writes a broken table (see oa_flaw()).
 * The table also names a trace buffer (RSC_TRACE) in its carveout, into
 * which "run" writes what it prints.
 *
 * The porting layer is the part before main(): the shared memory and the
 * doorbell through the lab's /dev/rpmsg_upeerN (tests/rpmsg_amp_upeer.c):
 * mmap at physical offsets, read() waits for a doorbell, write() rings.
 * "run" arms the other core's watchdog there (UPEER_WDOG_ARM), as
 * firmware does at start: if it ends other than by SIGTERM (which
 * disarms it first), the watchdog tells Linux, which restarts it.
 * libmetal's own Linux system layer does the rest. One thread: each
 * doorbell runs the vrings (rproc_virtio_notified()), and the endpoint
 * callbacks answer from there.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <metal/io.h>
#include <metal/sys.h>
#include <openamp/remoteproc.h>
#include <openamp/remoteproc_virtio.h>
#include <openamp/rpmsg.h>
#include <openamp/rpmsg_virtio.h>

#include "peer_net.h"

#define CHAN_ADDR	1024
#define ECHO_ADDR	13
#define NET_ADDR	14
#define CTL_ADDR	15
#define SVC_ADDR	1030

#define VRING_NUM	256
#define VRING_ALIGN	4096

/* the table as the firmware image holds it */
struct oa_table {
	struct resource_table hdr;
	uint32_t offset[2];
	struct fw_rsc_vdev vdev;
	struct fw_rsc_vdev_vring vring[2];
	struct fw_rsc_trace trace;
};	/* of packed parts: no padding */

/* its trace buffer, in the same carveout, as firmware logs go */
#define TRACE_OFF	0x800
#define TRACE_LEN	0x800

/* ---- porting layer: shared memory and doorbell -------------------------- */

struct oa_region {
	metal_phys_addr_t pa;
	size_t size;
	void *va;
	struct metal_io_region io;
};

static struct oa_region rsc, vr, buf;
static int fd = -1;

/* tests/rpmsg_amp_upeer.c: the other core's watchdog */
#define UPEER_WDOG_ARM		_IO('u', 1)
#define UPEER_WDOG_DISARM	_IO('u', 2)

/* an orderly stop: the watchdog is disarmed first */
static void oa_stop(int sig)
{
	(void)sig;
	ioctl(fd, UPEER_WDOG_DISARM);
	_exit(0);
}

static unsigned long doorbells_in, doorbells_out;

static int oa_map(struct oa_region *r, const char *pa, const char *size)
{
	r->pa = strtoull(pa, NULL, 0);
	r->size = strtoull(size, NULL, 0);
	r->va = mmap(NULL, r->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		     (off_t)r->pa);
	if (r->va == MAP_FAILED) {
		fprintf(stderr, "oa_peer: mmap %#llx: %s\n",
			(unsigned long long)r->pa, strerror(errno));
		return -1;
	}
	/* one contiguous physical range */
	metal_io_init(&r->io, r->va, &r->pa, r->size,
		      sizeof(metal_phys_addr_t) * 8, 0, NULL);
	return 0;
}

static void *oa_patova(struct oa_region *r, uint32_t da)
{
	if (da < r->pa || da - r->pa >= r->size) {
		fprintf(stderr, "oa_peer: %#x is outside the vring carveout\n",
			(unsigned int)da);
		exit(3);
	}
	return (char *)r->va + (da - r->pa);
}

/* a line to stdout and to the trace buffer (from its start at each boot) */
static void oa_log(const char *line)
{
	static size_t used;
	char *trace = (char *)rsc.va + TRACE_OFF;
	size_t n = strlen(line);

	printf("%s\n", line);
	if (used + n + 2 > TRACE_LEN)
		return;
	memcpy(trace + used, line, n);
	trace[used + n] = '\n';
	trace[used + n + 1] = 0;
	used += n + 1;
}

static int oa_notify(void *priv, uint32_t id)
{
	char c = (char)id;

	(void)priv;
	doorbells_out++;
	if (write(fd, &c, 1) != 1)
		fprintf(stderr, "oa_peer: ring: %s\n", strerror(errno));
	return 0;
}

/* ---- the application ---------------------------------------------------- */

static struct rpmsg_device *rdev;
static struct rpmsg_endpoint echo_ept, net_ept, ctl_ept, chan_ept, svc_ept;
static int svc_up;
static unsigned long echoed, frames_in, frames_out;
static struct oa_table *table;

static void send_to(struct rpmsg_endpoint *ept, uint32_t dst, const void *msg,
		    size_t len)
{
	int ret = rpmsg_sendto(ept, msg, (int)len, dst);

	if (ret < 0)
		fprintf(stderr, "oa_peer: send %zu bytes to %u: %d\n", len,
			(unsigned int)dst, ret);
}

static int echo_cb(struct rpmsg_endpoint *ept, void *data, size_t len,
		   uint32_t src, void *priv)
{
	(void)priv;
	send_to(ept, src, data, len);
	echoed++;
	return RPMSG_SUCCESS;
}

static int net_cb(struct rpmsg_endpoint *ept, void *data, size_t len,
		  uint32_t src, void *priv)
{
	unsigned char f[RPMSG_BUFFER_SIZE];
	size_t n;

	(void)priv;
	frames_in++;
	if (len > sizeof(f))
		return RPMSG_SUCCESS;
	memcpy(f, data, len);
	n = peer_net_reflect(f, len);
	if (n) {
		send_to(ept, src, f, n);
		frames_out++;
	}
	return RPMSG_SUCCESS;
}

static int ctl_cb(struct rpmsg_endpoint *ept, void *data, size_t len,
		  uint32_t src, void *priv)
{
	char msg[64], out[200];
	int n;

	(void)priv;
	if (len >= sizeof(msg))
		len = sizeof(msg) - 1;
	memcpy(msg, data, len);
	msg[len] = 0;
	if (!strcmp(msg, "ns-create") && !svc_up) {
		svc_up = !rpmsg_create_ept(&svc_ept, rdev, "rpmsg-amp-char",
					   SVC_ADDR, RPMSG_ADDR_ANY, echo_cb,
					   NULL);
		n = snprintf(out, sizeof(out), "%s ns-create %d",
			     svc_up ? "ok" : "error", SVC_ADDR);
	} else if (!strcmp(msg, "ns-destroy") && svc_up) {
		rpmsg_destroy_ept(&svc_ept);
		svc_up = 0;
		n = snprintf(out, sizeof(out), "ok ns-destroy %d", SVC_ADDR);
	} else if (!strcmp(msg, "stats")) {
		n = snprintf(out, sizeof(out),
			     "ok echoed %lu frames_in %lu frames_out %lu doorbells_in %lu doorbells_out %lu status %#x gfeatures %#x",
			     echoed, frames_in, frames_out, doorbells_in,
			     doorbells_out,
			     (unsigned int)__atomic_load_n(&table->vdev.status,
							    __ATOMIC_RELAXED),
			     (unsigned int)table->vdev.gfeatures);
	} else {
		n = snprintf(out, sizeof(out), "error %s", msg);
	}
	send_to(ept, src, out, (size_t)n);
	return RPMSG_SUCCESS;
}

static int drop_cb(struct rpmsg_endpoint *ept, void *data, size_t len,
		   uint32_t src, void *priv)
{
	(void)ept;
	(void)data;
	(void)len;
	(void)src;
	(void)priv;
	return RPMSG_SUCCESS;
}

/*
 * A broken image, for the hostile checks: $OA_PEER_FLAW names what is
 * wrong with its table.
 */
static void oa_flaw(struct oa_table *t, const char *flaw)
{
	if (!flaw)
		return;
	if (!strcmp(flaw, "offset"))		/* an entry past the region */
		t->offset[1] = 0x2000;
	else if (!strcmp(flaw, "config"))	/* config space past the end */
		t->vdev.config_len = 0x10000;
	else if (!strcmp(flaw, "vrings"))	/* two ring sizes */
		t->vring[1].num = VRING_NUM / 2;
	else if (!strcmp(flaw, "nons"))		/* no name service */
		t->vdev.dfeatures = 0;
	else if (!strcmp(flaw, "da")) {		/* rings outside the carveout */
		t->vring[0].da = (uint32_t)(vr.pa + vr.size);
		t->vring[1].da = (uint32_t)vr.pa;
	}
}

/* the boot loader's part: the table as the image has it */
static void oa_load(void)
{
	struct oa_table t;

	memset(&t, 0, sizeof(t));
	t.hdr.ver = 1;
	t.hdr.num = 2;
	t.offset[0] = offsetof(struct oa_table, vdev);
	t.offset[1] = offsetof(struct oa_table, trace);
	t.trace.type = RSC_TRACE;
	t.trace.da = (uint32_t)(rsc.pa + TRACE_OFF);
	t.trace.len = TRACE_LEN;
	strcpy((char *)t.trace.name, "oa_peer");
	t.vdev.type = RSC_VDEV;
	t.vdev.id = VIRTIO_ID_RPMSG;
	t.vdev.dfeatures = 1 << VIRTIO_RPMSG_F_NS;
	t.vdev.num_of_vrings = 2;
	/* where the rings go is the master's choice (as in Zephyr's table) */
	t.vring[0].da = FW_RSC_U32_ADDR_ANY;
	t.vring[1].da = FW_RSC_U32_ADDR_ANY;
	for (int i = 0; i < 2; i++) {
		t.vring[i].align = VRING_ALIGN;
		t.vring[i].num = VRING_NUM;
		t.vring[i].notifyid = (uint32_t)i;
	}
	oa_flaw(&t, getenv("OA_PEER_FLAW"));
	memcpy(rsc.va, &t, sizeof(t));
	__sync_synchronize();
}

int main(int argc, char **argv)
{
	struct metal_init_params mp = METAL_INIT_DEFAULTS;
	struct rpmsg_virtio_device rvdev;
	struct virtio_device *vdev;
	uint64_t n;
	int i;

	if (argc != 9 || (strcmp(argv[1], "load") && strcmp(argv[1], "run") &&
			  strcmp(argv[1], "show"))) {
		fprintf(stderr, "usage: %s load|run|show DEV %s\n", argv[0],
			"RSC_PA RSC_SIZE VRING_PA VRING_SIZE BUF_PA BUF_SIZE");
		return 2;
	}
	if (peer_net_init("OA_PEER_IP", "192.168.7.2"))
		return 2;
	setvbuf(stdout, NULL, _IOLBF, 0);
	fd = open(argv[2], O_RDWR);
	if (fd < 0) {
		fprintf(stderr, "oa_peer: %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	/*
	 * libmetal's Linux layer ends its init by looking for UIO and VFIO
	 * drivers, for the devices an application opens through it. This
	 * one opens none (its memory and doorbell are /dev/rpmsg_upeerN),
	 * and the lab's kernels have no UIO: -ENODEV from that last step is
	 * expected, and what is used (I/O regions, mutexes, sleep, log) is
	 * set up before it.
	 */
	mp.log_level = METAL_LOG_WARNING;
	i = metal_init(&mp);
	if (i && i != -ENODEV) {
		fprintf(stderr, "oa_peer: metal_init: %d\n", i);
		return 1;
	}
	if (oa_map(&rsc, argv[3], argv[4]) || oa_map(&vr, argv[5], argv[6]) ||
	    oa_map(&buf, argv[7], argv[8]))
		return 1;
	table = rsc.va;
	if (!strcmp(argv[1], "load")) {
		oa_load();
		printf("oa_peer: resource table loaded at %#llx\n",
		       (unsigned long long)rsc.pa);
		return 0;
	}
	if (!strcmp(argv[1], "show")) {
		printf("status %#x gfeatures %#x da0 %#x da1 %#x\n",
		       (unsigned int)table->vdev.status,
		       (unsigned int)table->vdev.gfeatures,
		       (unsigned int)table->vring[0].da,
		       (unsigned int)table->vring[1].da);
		return 0;
	}
	if (table->hdr.ver != 1) {
		fprintf(stderr, "oa_peer: no resource table (run \"load\" first)\n");
		return 1;
	}

	/* where the board has one (not every upeer node) */
	if (!ioctl(fd, UPEER_WDOG_ARM))
		signal(SIGTERM, oa_stop);
	vdev = rproc_virtio_create_vdev(VIRTIO_DEV_DEVICE, 0, &table->vdev,
					&rsc.io, NULL, oa_notify, NULL);
	if (!vdev)
		return 1;
	/* the master writes the vrings' places before DRIVER_OK */
	oa_log("oa_peer: waiting for the link");
	rproc_virtio_wait_remote_ready(vdev);
	for (i = 0; i < 2; i++)
		if (rproc_virtio_init_vring(vdev, (unsigned int)i,
					    table->vring[i].notifyid,
					    oa_patova(&vr, table->vring[i].da),
					    &vr.io, table->vring[i].num,
					    table->vring[i].align))
			return 1;
	if (rpmsg_init_vdev(&rvdev, vdev, NULL, &buf.io, NULL)) {
		fprintf(stderr, "oa_peer: rpmsg_init_vdev failed\n");
		return 1;
	}
	oa_log("oa_peer: link up");
	rdev = rpmsg_virtio_get_rpmsg_device(&rvdev);
	if (rpmsg_create_ept(&echo_ept, rdev, "", ECHO_ADDR, RPMSG_ADDR_ANY,
			     echo_cb, NULL) ||
	    rpmsg_create_ept(&net_ept, rdev, "rpmsg-amp-net", NET_ADDR,
			     RPMSG_ADDR_ANY, net_cb, NULL) ||
	    rpmsg_create_ept(&ctl_ept, rdev, "", CTL_ADDR, RPMSG_ADDR_ANY,
			     ctl_cb, NULL) ||
	    rpmsg_create_ept(&chan_ept, rdev, "rpmsg-amp", CHAN_ADDR,
			     RPMSG_ADDR_ANY, drop_cb, NULL)) {
		fprintf(stderr, "oa_peer: endpoints\n");
		return 1;
	}
	oa_log("oa_peer: ready");
	/* every doorbell runs the vrings */
	while (read(fd, &n, sizeof(n)) == (ssize_t)sizeof(n)) {
		doorbells_in += n;
		rproc_virtio_notified(vdev, RSC_NOTIFY_ID_ANY);
	}
	fprintf(stderr, "oa_peer: doorbell: %s\n", strerror(errno));
	return 4;
}

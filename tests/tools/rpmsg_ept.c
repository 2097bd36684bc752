// SPDX-License-Identifier: GPL-2.0
/*
 * rpmsg_ept - create and destroy endpoints of the kernel's rpmsg_char
 * through its control device, as OpenAMP's Linux tools and most vendor
 * user space do (RPMSG_CREATE_EPT_IOCTL, RPMSG_DESTROY_EPT_IOCTL from
 * <linux/rpmsg.h>); and rpmsg devices on the control device's bus, for
 * any rpmsg driver to bind to (RPMSG_CREATE_DEV_IOCTL,
 * RPMSG_RELEASE_DEV_IOCTL, 5.18 and later).
 *
 * Usage: rpmsg_ept create CTRL NAME SRC DST
 *        rpmsg_ept destroy DEV
 *        rpmsg_ept create-dev CTRL NAME SRC DST
 *        rpmsg_ept release-dev CTRL NAME SRC DST
 *
 *   create   open CTRL (/dev/rpmsg_ctrlN), create an endpoint NAME with
 *            local address SRC and remote address DST (a number, or "any"
 *            for RPMSG_ADDR_ANY), and print the endpoint's device node:
 *            the /dev/rpmsgK whose /sys/class/rpmsg/rpmsgK/{name,src,dst}
 *            match (the ioctl does not return it).
 *   destroy  open DEV and destroy its endpoint; the node goes away.
 *   create-dev, release-dev
 *            make or remove the rpmsg device NAME, SRC, DST on the bus of
 *            CTRL; the driver of NAME binds to it (rpmsg_amp_net for
 *            "rpmsg-amp-net": the net device rpmsgN_SRC).
 *
 * Exit status: 0 on success, 1 on a failed system call or no matching
 * node (the reason is printed), 2 usage error.
 */
#include <dirent.h>
#include <linux/rpmsg.h>
#include <sys/ioctl.h>

#include "rpmsg_tools.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: rpmsg_ept create CTRL NAME SRC DST\n"
		"       rpmsg_ept destroy DEV\n"
		"       rpmsg_ept create-dev CTRL NAME SRC DST\n"
		"       rpmsg_ept release-dev CTRL NAME SRC DST\n"
		"Creates an rpmsg_char endpoint through the control device CTRL\n"
		"and prints its /dev/rpmsgK, or destroys the endpoint of DEV;\n"
		"or makes or removes an rpmsg device on the bus of CTRL.\n"
		"SRC and DST are addresses or \"any\".\n");
}

static bool parse_addr(const char *s, __u32 *addr)
{
	unsigned int v;

	if (!strcmp(s, "any")) {
		*addr = RPMSG_ADDR_ANY;
		return true;
	}
	if (!parse_uint(s, &v, 0, 0xfffffffeU))
		return false;
	*addr = v;
	return true;
}

/* Read /sys/class/rpmsg/ENTRY/ATTR into buf, without the newline. */
static bool read_attr(const char *entry, const char *attr, char *buf,
		      size_t size)
{
	char path[512];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/sys/class/rpmsg/%s/%s", entry, attr);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return false;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return false;
	buf[n] = '\0';
	if (n > 0 && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	return true;
}

/* The rpmsgK entry of the endpoint NAME/SRC/DST; 0 or -1. */
static int find_node(const struct rpmsg_endpoint_info *info, char *out,
		     size_t size)
{
	char name[64], src[32], dst[32], want_src[32], want_dst[32];
	struct dirent *de;
	int ret = -1;
	DIR *d;

	d = opendir("/sys/class/rpmsg");
	if (!d)
		return -1;
	snprintf(want_src, sizeof(want_src), "%d", (int)info->src);
	snprintf(want_dst, sizeof(want_dst), "%d", (int)info->dst);
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, "rpmsg", 5) ||
		    !strncmp(de->d_name, "rpmsg_ctrl", 10))
			continue;
		if (!read_attr(de->d_name, "name", name, sizeof(name)) ||
		    !read_attr(de->d_name, "src", src, sizeof(src)) ||
		    !read_attr(de->d_name, "dst", dst, sizeof(dst)))
			continue;
		if (strcmp(name, info->name) ||
		    (info->src != RPMSG_ADDR_ANY && strcmp(src, want_src)) ||
		    strcmp(dst, want_dst))
			continue;
		snprintf(out, size, "/dev/%s", de->d_name);
		ret = 0;
		break;
	}
	closedir(d);
	return ret;
}

/*
 * Fill @info from the arguments and issue @req (@what for messages) on the
 * control device @ctrl: 0, 1 on a failed call, 2 on bad arguments.
 */
static int ctrl_ioctl(const char *ctrl, unsigned long req, const char *what,
		      const char *name, const char *src, const char *dst,
		      struct rpmsg_endpoint_info *info)
{
	int fd, ret = 0;

	memset(info, 0, sizeof(*info));
	if (strlen(name) >= sizeof(info->name) ||
	    !parse_addr(src, &info->src) || !parse_addr(dst, &info->dst)) {
		usage(stderr);
		return 2;
	}
	strcpy(info->name, name);
	fd = open(ctrl, O_RDWR);
	if (fd < 0) {
		printf("rpmsg_ept: open %s: %s\n", ctrl, errname(errno));
		return 1;
	}
	if (ioctl(fd, req, info)) {
		printf("rpmsg_ept: %s on %s: %s\n", what, ctrl, errname(errno));
		ret = 1;
	}
	close(fd);
	return ret;
}

static int create(const char *ctrl, const char *name, const char *src,
		  const char *dst)
{
	struct rpmsg_endpoint_info info;
	char node[300];
	int ret;

	ret = ctrl_ioctl(ctrl, RPMSG_CREATE_EPT_IOCTL, "RPMSG_CREATE_EPT_IOCTL",
			 name, src, dst, &info);
	if (ret)
		return ret;
	if (find_node(&info, node, sizeof(node))) {
		printf("rpmsg_ept: no /sys/class/rpmsg entry for %s %s->%s\n",
		       name, src, dst);
		return 1;
	}
	printf("%s\n", node);
	return 0;
}

static int destroy(const char *dev)
{
	int fd, ret = 0;

	fd = open(dev, O_RDWR);
	if (fd < 0) {
		printf("rpmsg_ept: open %s: %s\n", dev, errname(errno));
		return 1;
	}
	if (ioctl(fd, RPMSG_DESTROY_EPT_IOCTL)) {
		printf("rpmsg_ept: RPMSG_DESTROY_EPT_IOCTL on %s: %s\n", dev,
		       errname(errno));
		ret = 1;
	}
	close(fd);
	return ret;
}

#ifdef RPMSG_CREATE_DEV_IOCTL
static int ctrl_dev(bool make, const char *ctrl, const char *name,
		    const char *src, const char *dst)
{
	struct rpmsg_endpoint_info info;

	if (make)
		return ctrl_ioctl(ctrl, RPMSG_CREATE_DEV_IOCTL,
				  "RPMSG_CREATE_DEV_IOCTL", name, src, dst,
				  &info);
	return ctrl_ioctl(ctrl, RPMSG_RELEASE_DEV_IOCTL,
			  "RPMSG_RELEASE_DEV_IOCTL", name, src, dst, &info);
}
#else
static int ctrl_dev(bool make, const char *ctrl, const char *name,
		    const char *src, const char *dst)
{
	printf("rpmsg_ept: built against <linux/rpmsg.h> without RPMSG_CREATE_DEV_IOCTL\n");
	return 1;
}
#endif

int main(int argc, char **argv)
{
	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		usage(stdout);
		return 0;
	}
	if (argc == 6 && !strcmp(argv[1], "create"))
		return create(argv[2], argv[3], argv[4], argv[5]);
	if (argc == 3 && !strcmp(argv[1], "destroy"))
		return destroy(argv[2]);
	if (argc == 6 && !strcmp(argv[1], "create-dev"))
		return ctrl_dev(true, argv[2], argv[3], argv[4], argv[5]);
	if (argc == 6 && !strcmp(argv[1], "release-dev"))
		return ctrl_dev(false, argv[2], argv[3], argv[4], argv[5]);
	usage(stderr);
	return 2;
}

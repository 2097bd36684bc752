// SPDX-License-Identifier: GPL-2.0
/*
 * mkveth NAME PEERNAME - create a veth pair through rtnetlink (the lab's
 * busybox "ip" cannot create veth devices). Sends RTM_NEWLINK with
 * NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK and checks the kernel's answer.
 * Exit 0 on success, 1 on any error, 2 on a usage error.
 */
#include <errno.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#define BUF_SIZE 1024

struct req {
	struct nlmsghdr nh;
	struct ifinfomsg ifi;
	char attrs[BUF_SIZE];
};

static struct rtattr *nla_tail(struct nlmsghdr *nh)
{
	return (struct rtattr *)((char *)nh + NLMSG_ALIGN(nh->nlmsg_len));
}

/* Append an attribute; returns it, or NULL if it does not fit. */
static struct rtattr *add_attr(struct nlmsghdr *nh, size_t max, int type,
			       const void *data, size_t len)
{
	size_t rlen = RTA_LENGTH(len);
	struct rtattr *rta;

	if (NLMSG_ALIGN(nh->nlmsg_len) + RTA_ALIGN(rlen) > max)
		return NULL;
	rta = nla_tail(nh);
	rta->rta_type = type;
	rta->rta_len = rlen;
	if (len)
		memcpy(RTA_DATA(rta), data, len);
	nh->nlmsg_len = NLMSG_ALIGN(nh->nlmsg_len) + RTA_ALIGN(rlen);
	return rta;
}

/* Close a nested attribute opened with add_attr(..., NULL, 0). */
static void end_nest(struct nlmsghdr *nh, struct rtattr *nest)
{
	nest->rta_len = (char *)nla_tail(nh) - (char *)nest;
}

static int build(struct req *r, const char *name, const char *peer)
{
	size_t max = sizeof(*r);
	struct rtattr *linkinfo, *data, *peerinfo;
	struct ifinfomsg pifi;

	memset(r, 0, sizeof(*r));
	r->nh.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg));
	r->nh.nlmsg_type = RTM_NEWLINK;
	r->nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL |
			    NLM_F_ACK;
	r->nh.nlmsg_seq = 1;
	r->ifi.ifi_family = AF_UNSPEC;

	if (!add_attr(&r->nh, max, IFLA_IFNAME, name, strlen(name) + 1))
		return -1;
	linkinfo = add_attr(&r->nh, max, IFLA_LINKINFO, NULL, 0);
	if (!linkinfo)
		return -1;
	if (!add_attr(&r->nh, max, IFLA_INFO_KIND, "veth", strlen("veth") + 1))
		return -1;
	data = add_attr(&r->nh, max, IFLA_INFO_DATA, NULL, 0);
	if (!data)
		return -1;
	memset(&pifi, 0, sizeof(pifi));
	pifi.ifi_family = AF_UNSPEC;
	peerinfo = add_attr(&r->nh, max, VETH_INFO_PEER, &pifi, sizeof(pifi));
	if (!peerinfo)
		return -1;
	if (!add_attr(&r->nh, max, IFLA_IFNAME, peer, strlen(peer) + 1))
		return -1;
	end_nest(&r->nh, peerinfo);
	end_nest(&r->nh, data);
	end_nest(&r->nh, linkinfo);
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_nl sa;
	struct timeval tv;
	struct req r;
	union {
		struct nlmsghdr nh;
		char raw[8192];
	} buf;
	struct nlmsghdr *nh;
	socklen_t salen;
	ssize_t n;
	int fd, i, len;

	if (argc != 3) {
		fprintf(stderr, "usage: mkveth NAME PEERNAME\n");
		return 2;
	}
	for (i = 1; i < 3; i++) {
		if (!argv[i][0] || strlen(argv[i]) >= IFNAMSIZ) {
			fprintf(stderr, "mkveth: bad interface name '%s' (1..%d chars)\n",
				argv[i], IFNAMSIZ - 1);
			return 2;
		}
	}
	if (!strcmp(argv[1], argv[2])) {
		fprintf(stderr, "mkveth: NAME and PEERNAME must differ\n");
		return 2;
	}
	if (build(&r, argv[1], argv[2])) {
		fprintf(stderr, "mkveth: request too large\n");
		return 1;
	}

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0) {
		perror("mkveth: socket(AF_NETLINK)");
		return 1;
	}
	tv.tv_sec = 5;
	tv.tv_usec = 0;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0) {
		perror("mkveth: setsockopt(SO_RCVTIMEO)");
		goto fail;
	}
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("mkveth: bind");
		goto fail;
	}
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;	/* nl_pid 0: the kernel */
	n = sendto(fd, &r, r.nh.nlmsg_len, 0, (struct sockaddr *)&sa,
		   sizeof(sa));
	if (n < 0) {
		perror("mkveth: sendto");
		goto fail;
	}
	if ((size_t)n != r.nh.nlmsg_len) {
		fprintf(stderr, "mkveth: short send (%zd of %u bytes)\n",
			n, r.nh.nlmsg_len);
		goto fail;
	}

	for (;;) {
		salen = sizeof(sa);
		n = recvfrom(fd, buf.raw, sizeof(buf), 0, (struct sockaddr *)&sa,
			     &salen);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				fprintf(stderr, "mkveth: no answer from the kernel within 5 s\n");
			else
				perror("mkveth: recvfrom");
			goto fail;
		}
		if (n == 0) {
			fprintf(stderr, "mkveth: netlink socket closed\n");
			goto fail;
		}
		if (sa.nl_pid != 0)
			continue;	/* not from the kernel */
		len = (int)n;
		for (nh = &buf.nh; NLMSG_OK(nh, len);
		     nh = NLMSG_NEXT(nh, len)) {
			struct nlmsgerr *err;

			if (nh->nlmsg_seq != r.nh.nlmsg_seq)
				continue;
			if (nh->nlmsg_type != NLMSG_ERROR) {
				fprintf(stderr, "mkveth: unexpected netlink message type %u\n",
					nh->nlmsg_type);
				goto fail;
			}
			if (nh->nlmsg_len < NLMSG_LENGTH(sizeof(*err))) {
				fprintf(stderr, "mkveth: truncated netlink ACK\n");
				goto fail;
			}
			err = NLMSG_DATA(nh);
			if (err->error) {
				fprintf(stderr, "mkveth: creating veth %s/%s: %s\n",
					argv[1], argv[2], strerror(-err->error));
				goto fail;
			}
			close(fd);
			return 0;
		}
		if (len != 0) {
			fprintf(stderr, "mkveth: malformed netlink reply\n");
			goto fail;
		}
	}
fail:
	close(fd);
	return 1;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * ethtool_drvinfo IFNAME - print what "ethtool -i IFNAME" prints, through
 * the same SIOCETHTOOL/ETHTOOL_GDRVINFO request (the lab's busybox has no
 * ethtool). Exit 1 if the request fails.
 */
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct ethtool_drvinfo info;
	struct ifreq ifr;
	int fd;

	if (argc != 2 || strlen(argv[1]) >= IFNAMSIZ) {
		fprintf(stderr, "usage: ethtool_drvinfo IFNAME\n");
		return 2;
	}
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("socket");
		return 1;
	}
	memset(&info, 0, sizeof(info));
	info.cmd = ETHTOOL_GDRVINFO;
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, argv[1]);
	ifr.ifr_data = (void *)&info;
	if (ioctl(fd, SIOCETHTOOL, &ifr) < 0) {
		perror("SIOCETHTOOL");
		close(fd);
		return 1;
	}
	close(fd);
	printf("driver: %s\nversion: %s\nfirmware-version: %s\nbus-info: %s\n",
	       info.driver, info.version, info.fw_version, info.bus_info);
	return 0;
}

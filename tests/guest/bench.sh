#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 300
# run-tests: skip
#
# Benchmark (not a test): round-trip latency and one-way throughput through
# the char devices, beside the kernel's rpmsg_char on the same link and a
# pipe. Run with scripts/run-bench.sh.
. /tests/lib.sh

load_modules || exit 1
wait_for /dev/rpmsg1_13 10
wait_for /dev/rpmsg2_13 10
# The kernel's rpmsg_char on the master, meeting the remote's
# /dev/rpmsg2_18 over the same link: the reference for our /dev/rpmsg1_13
# (5.18 and later: the control device).
REF=""
KMOD=/lib/modules/kernel
if [ -f $KMOD/rpmsg_ctrl.ko ] && insmod $KMOD/rpmsg_char.ko &&
   insmod $KMOD/rpmsg_ctrl.ko && wait_for /dev/rpmsg_ctrl0 10 &&
   wait_for /dev/rpmsg2_18 10 &&
   K=$(rpmsg_ept create /dev/rpmsg_ctrl0 lab-bench 18 18); then
	REF="-c $K -d /dev/rpmsg2_18"
else
	echo "bench: no kernel rpmsg_char endpoint on $(uname -r): no rpmsg_char ratio"
fi
echo "=== master -> remote (echo on the remote) ==="
# shellcheck disable=SC2086 # REF is options
rpmsg_bench -a /dev/rpmsg1_13 -b /dev/rpmsg2_13 $REF -n 1000 -T 3
if [ -n "$REF" ]; then
	rpmsg_ept destroy "$K"
	rmmod rpmsg_ctrl rpmsg_char
fi
echo "=== remote -> master (echo on the master) ==="
rpmsg_bench -a /dev/rpmsg2_13 -b /dev/rpmsg1_13 -n 1000 -T 3

echo "=== rpmsg net device vs veth (the in-memory ceiling), namespaces a/b ==="
wait_for /sys/class/net/rpmsg1_14 10
netns_pair
PA=$LAB_NS_A
PB=$LAB_NS_B
ip link set rpmsg1_14 netns "$PA"
ip link set rpmsg2_14 netns "$PB"
/usr/local/bin/ip link add va type veth peer name vb
ip link set va netns "$PA"
ip link set vb netns "$PB"
na sh -c 'ip addr add 192.168.2.2/24 dev rpmsg1_14;
	ip link set rpmsg1_14 up; ip addr add 10.77.0.1/24 dev va; ip link set va up'
nb sh -c 'ip addr add 192.168.2.3/24 dev rpmsg2_14;
	ip link set rpmsg2_14 up; ip addr add 10.77.0.2/24 dev vb; ip link set vb up'
sleep 2
netbench -a "$PA" -b "$PB" -d 192.168.2.3 -n 500 -s 8 -l rpmsg | tee /tmp/nb
netbench -a "$PA" -b "$PB" -d 10.77.0.2 -n 500 -s 8 -l veth | tee -a /tmp/nb
awk -F'[ =]' '/^BENCH/ { v[$2] = $3 }
END {
	if (v["veth_udp_rtt_avg_us"] > 0)
		printf "BENCH rtt_ratio_rpmsg_to_veth=%.2f\n",
			v["rpmsg_udp_rtt_avg_us"] / v["veth_udp_rtt_avg_us"]
	if (v["veth_tcp_mib_per_s"] > 0)
		printf "BENCH tput_ratio_rpmsg_to_veth=%.3f\n",
			v["rpmsg_tcp_mib_per_s"] / v["veth_tcp_mib_per_s"]
}' /tmp/nb
netns_stop
unload_modules

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

echo "=== rpmsg net devices vs veth at the same MTU, namespaces a/b ==="
# rpmsgN_14: fragments, MTU 1500; rpmsgN_12: one frame per message, 482
wait_for /sys/class/net/rpmsg1_14 10
wait_for /sys/class/net/rpmsg1_12 10
netns_pair
PA=$LAB_NS_A
PB=$LAB_NS_B
for p in 14 12; do
	ip link set rpmsg1_$p netns "$PA"
	ip link set rpmsg2_$p netns "$PB"
done
/usr/local/bin/ip link add va type veth peer name vb
ip link set va netns "$PA"
ip link set vb netns "$PB"
na sh -c 'ip addr add 192.168.2.2/24 dev rpmsg1_14; ip link set rpmsg1_14 up
	ip addr add 192.168.3.2/24 dev rpmsg1_12; ip link set rpmsg1_12 up
	ip addr add 10.77.0.1/24 dev va; ip link set va up'
nb sh -c 'ip addr add 192.168.2.3/24 dev rpmsg2_14; ip link set rpmsg2_14 up
	ip addr add 192.168.3.3/24 dev rpmsg2_12; ip link set rpmsg2_12 up
	ip addr add 10.77.0.2/24 dev vb; ip link set vb up'
veth_mtu() {
	na ip link set va mtu "$1"
	nb ip link set vb mtu "$1"
}
sleep 2
: > /tmp/nb
veth_mtu 1500
netbench -a "$PA" -b "$PB" -d 192.168.2.3 -n 500 -s 8 -l rpmsg1500 | tee -a /tmp/nb
netbench -a "$PA" -b "$PB" -d 10.77.0.2 -n 500 -s 8 -l veth1500 | tee -a /tmp/nb
veth_mtu 482
netbench -a "$PA" -b "$PB" -d 192.168.3.3 -n 500 -s 8 -l rpmsg482 | tee -a /tmp/nb
netbench -a "$PA" -b "$PB" -d 10.77.0.2 -n 500 -s 8 -l veth482 | tee -a /tmp/nb
awk -F'[ =]' '/^BENCH/ { v[$2] = $3 }
function ratio(name, a, b, fmt) {
	if (v[b] > 0)
		printf "BENCH %s=" fmt "\n", name, v[a] / v[b]
}
END {
	ratio("rtt_ratio_rpmsg_to_veth_mtu1500", "rpmsg1500_udp_rtt_avg_us", "veth1500_udp_rtt_avg_us", "%.2f")
	ratio("tput_ratio_rpmsg_to_veth_mtu1500", "rpmsg1500_tcp_mib_per_s", "veth1500_tcp_mib_per_s", "%.3f")
	ratio("rtt_ratio_rpmsg_to_veth_mtu482", "rpmsg482_udp_rtt_avg_us", "veth482_udp_rtt_avg_us", "%.2f")
	ratio("tput_ratio_rpmsg_to_veth_mtu482", "rpmsg482_tcp_mib_per_s", "veth482_tcp_mib_per_s", "%.3f")
	ratio("tput_gain_rpmsg_mtu1500_to_mtu482", "rpmsg1500_tcp_mib_per_s", "rpmsg482_tcp_mib_per_s", "%.2f")
}' /tmp/nb
netns_stop
unload_modules

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 500
#
# Net devices rpmsg1_14 (master) and rpmsg2_14 (remote), each in its own
# network namespace: ping both ways, MTU limits, a 16 MiB TCP transfer
# while the char devices carry traffic, Debian's ethtool, ip, ping and
# iperf3 on them, carrier following the peer, and rmmod under traffic.
. /tests/lib.sh

DRV=/sys/bus/platform/drivers/rpmsg_amp
load_modules || exit 1
kmemleak_clear
wait_for /sys/class/net/rpmsg1_14 10 && t_pass net/netdev_master ||
	t_fail net/netdev_master "rpmsg1_14 missing"
wait_for /sys/class/net/rpmsg2_14 10 && t_pass net/netdev_remote ||
	t_fail net/netdev_remote "rpmsg2_14 missing"

mtu=$(cat /sys/class/net/rpmsg1_14/mtu)
[ "$mtu" = 482 ] && t_pass net/mtu_482 || t_fail net/mtu_482 "mtu $mtu"
m1=$(cat /sys/class/net/rpmsg1_14/address)
m2=$(cat /sys/class/net/rpmsg2_14/address)
case "$m1" in 02:*) t_pass net/mac_local ;; *) t_fail net/mac_local "$m1" ;; esac
[ "$m1" != "$m2" ] && t_pass net/mac_differs || t_fail net/mac_differs "$m1 = $m2"
t_expect_fail net/mtu_483_refused ip link set dev rpmsg1_14 mtu 483
t_check net/mtu_400_accepted ip link set dev rpmsg1_14 mtu 400
ip link set dev rpmsg1_14 mtu 482
# Debian's ethtool (trixie, riscv64; busybox has none)
info=$(ethtool -i rpmsg1_14)
echo "$info"
echo "$info" | grep -q "^driver: rpmsg_amp_net$" &&
	echo "$info" | grep -q "^version: " &&
	echo "$info" | grep -q "^bus-info: rpmsg-1$" &&
	t_pass net/ethtool_drvinfo || t_fail net/ethtool_drvinfo "$info"
t_check net/ethtool_link sh -c 'ethtool rpmsg1_14 | grep -q "Link detected: "'

netns_pair
setup() {
	ip link set rpmsg1_14 netns "$LAB_NS_A" 2> /dev/null
	ip link set rpmsg2_14 netns "$LAB_NS_B" 2> /dev/null
	na ip addr add 192.168.2.2/24 dev rpmsg1_14 2> /dev/null
	nb ip addr add 192.168.2.3/24 dev rpmsg2_14 2> /dev/null
	na ip link set rpmsg1_14 up
	nb ip link set rpmsg2_14 up
}

carrier_is() {
	if $1 ip link show "$2" | grep -q LOWER_UP; then
		[ "$3" = up ]
	else
		[ "$3" = down ]
	fi
}

carrier() {
	# $1 na/nb, $2 dev, $3 "up"/"down"; waits up to 5 s (scaled)
	lab_until 5 carrier_is "$1" "$2" "$3"
}

setup
t_check net/carrier_up_master carrier na rpmsg1_14 up
t_check net/carrier_up_remote carrier nb rpmsg2_14 up
# busybox ping fails only when no reply came back: require 0% loss
noloss() {
	"$@" > /tmp/ping 2>&1
	cat /tmp/ping
	grep -q " 100 packets received, 0% packet loss" /tmp/ping
}
t_check net/ping_a_to_b_100_no_loss noloss na ping -c 100 -i 0.02 -q 192.168.2.3
t_check net/ping_b_to_a_100_no_loss noloss nb ping -c 100 -i 0.02 -q 192.168.2.2
# IPv6 needs an MTU of 1280; with 512-byte buffers (MTU 482) the kernel
# does not enable IPv6 on the device (see Documentation/net.rst)
t_check net/no_ipv6_below_1280 na sh -c '! [ -e /proc/sys/net/ipv6/conf/rpmsg1_14 ]'
for s in 1 100 454; do
	t_check net/ping_payload_$s na ping -c 2 -i 0.1 -q -s $s 192.168.2.3
done
# one byte over the MTU: IPv4 fragments it, and it still arrives
t_check net/ping_payload_455_fragmented na ping -c 2 -i 0.1 -q -s 455 192.168.2.3

# 16 MiB of TCP (4 on the slower debug kernel) while the char devices
# carry traffic on endpoint 13
MIB=$(lab_scale 16 4)
dd if=/dev/urandom of=/tmp/tx bs=1M count=$MIB 2> /dev/null
sd0=$(cdev_dropped /dev/rpmsg1_13 /dev/rpmsg2_13)
rpmsg_stress -a /dev/rpmsg1_13 -b /dev/rpmsg2_13 -n 3000 -t 300 -L > /tmp/stress 2>&1 &
spid=$!
nb nc -l -p 5000 -w 20 > /tmp/rx &
npid=$!
usleep 300000
t0=$(date +%s)
na nc -w 3 192.168.2.3 5000 < /tmp/tx
wait $npid
t1=$(date +%s)
a=$(sha256sum < /tmp/tx)
b=$(sha256sum < /tmp/rx)
[ "$a" = "$b" ] && t_pass net/tcp_${MIB}MiB_exact ||
	t_fail net/tcp_${MIB}MiB_exact "received $(wc -c < /tmp/rx) bytes, checksum differs"
echo "net: $MIB MiB over TCP in $((t1 - t0)) s"
wait $spid
stress_check net/char_traffic_alongside /dev/rpmsg1_13 /dev/rpmsg2_13 "$sd0" /tmp/stress $?
rm -f /tmp/tx /tmp/rx
# standard statistics count what went through (ip -s link, /proc/net/dev)
na ip -s link show rpmsg1_14
pk() { na cat /proc/net/dev | awk -v f=$1 '/rpmsg1_14:/ { sub(/.*:/, ""); print $f }'; }
[ "$(pk 2)" -ge 200 ] && [ "$(pk 10)" -ge 200 ] && [ "$(pk 9)" -gt $((MIB * 1000000)) ] &&
	t_pass net/stats_counted ||
	t_fail net/stats_counted "rx packets $(pk 2) tx packets $(pk 10) tx bytes $(pk 9)"

# What users run, from Debian (trixie, riscv64): iproute2's ip and
# iputils' ping (by path: busybox's come first in PATH) and iperf3, TCP
# both ways and four streams at once; the figures are printed, not judged
# (speed is the benchmark's).
IP2=/usr/local/bin/ip
t_check net/iproute2_shows_mtu sh -c "nsenter -t $LAB_NS_A -n $IP2 -s -d link show rpmsg1_14 | grep -q 'mtu 482'"
t_check net/iputils_ping na /usr/local/bin/ping -c 3 -i 0.2 -q 192.168.2.3
iperf() {
	_name=$1
	shift
	nb iperf3 -s -1 > /tmp/iperf.s 2>&1 &
	_sp=$!
	usleep 500000
	if na iperf3 -c 192.168.2.3 -t 2 -f m "$@" > /tmp/iperf.c 2>&1 &&
	   wait $_sp; then
		t_pass "net/$_name"
	else
		kill $_sp 2> /dev/null
		wait $_sp 2> /dev/null
		t_fail "net/$_name" "$(tail -n 3 /tmp/iperf.c)"
	fi
	echo "FIGURE net $_name: $(grep receiver /tmp/iperf.c | tail -n 1)"
}
iperf iperf3_tcp
iperf iperf3_tcp_reverse -R
iperf iperf3_tcp_4_streams -P 4
# ethtool -S: the drops and waits by cause, all of them named
na ethtool -S rpmsg1_14 > /tmp/ethS 2>&1
cat /tmp/ethS
n=0
for c in rx_bad_length rx_queue_full rx_no_memory tx_too_long tx_no_carrier \
	tx_send_errors tx_purged tx_ring_full_waits tx_no_link_waits; do
	grep -q "^ *$c: [0-9][0-9]*$" /tmp/ethS && n=$((n + 1))
done
[ $n = 9 ] && t_pass net/ethtool_stats_by_cause ||
	t_fail net/ethtool_stats_by_cause "$n of 9 counters: $(head -n 3 /tmp/ethS)"
# ethtool -g: the driver's queues (receive for NAPI, transmit to the work)
g=$(na ethtool -g rpmsg1_14 2>&1)
echo "$g"
[ "$(echo "$g" | grep -c "^RX:[[:space:]]*1024$")" = 2 ] &&
	[ "$(echo "$g" | grep -c "^TX:[[:space:]]*64$")" = 2 ] &&
	t_pass net/ethtool_ring || t_fail net/ethtool_ring "$g"

# the remote goes away and comes back: carrier follows, traffic resumes
echo rpmsg-2 > $DRV/unbind
t_check net/carrier_down_when_peer_leaves carrier na rpmsg1_14 down
echo rpmsg-2 > $DRV/bind
wait_for /sys/class/net/rpmsg2_14 10
setup
t_check net/carrier_up_when_peer_returns carrier na rpmsg1_14 up
t_check net/ping_after_peer_returns na ping -c 5 -i 0.1 -q 192.168.2.3

# the net module goes away and comes back: devices and carrier return
lab_rmmod rpmsg_amp_net
t_check net/master_netdev_gone_with_module test ! -e /sys/class/net/rpmsg1_14
insmod $LAB_MODDIR/rpmsg_amp_net.ko
wait_for /sys/class/net/rpmsg1_14 10
setup
t_check net/carrier_after_reload carrier na rpmsg1_14 up
t_check net/ping_after_reload na ping -c 5 -i 0.1 -q 192.168.2.3

# rmmod while traffic flows
na ping -i 0.01 -c 2000 -q 192.168.2.3 > /dev/null 2>&1 &
ppid=$!
sleep 1
t_check net/rmmod_under_traffic lab_rmmod rpmsg_amp_net
kill $ppid 2> /dev/null
wait $ppid 2> /dev/null
t_check net/chardev_still_works sh -c '
	(timeout 3 cat /dev/rpmsg2_13 > /tmp/got) & usleep 200000
	echo alive > /dev/rpmsg1_13; wait; [ "$(cat /tmp/got)" = alive ]'
netns_stop
unload_modules && t_pass net/unload
kmemleak_check net/kmemleak

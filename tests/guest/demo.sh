#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 120
#
# The main job: what a user of the board sees.
. /tests/lib.sh

run() {
	echo "# $*"
	sh -c "$*"
}

echo "=== rpmsg_amp demo: one kernel, channel 1 = master, channel 2 = remote ==="
run "insmod $LAB_MODDIR/rpmsg_amp_test_mbox.ko"
run "insmod $LAB_MODDIR/rpmsg_amp.ko"
run "insmod $LAB_MODDIR/rpmsg_amp_char.ko"
wait_for /dev/rpmsg1_13 10
wait_for /dev/rpmsg2_13 10
sleep 1
run "dmesg | grep rpmsg"
run "ls -l /dev/rpmsg*"
(timeout 3 cat /dev/rpmsg2_13 > /tmp/got2) &
usleep 200000
run "echo hello from the master > /dev/rpmsg1_13"
wait
run "cat /tmp/got2"
(timeout 3 cat /dev/rpmsg1_13 > /tmp/got1) &
usleep 200000
run "echo hello from the remote > /dev/rpmsg2_13"
wait
run "cat /tmp/got1"
run "cat /sys/bus/platform/devices/rpmsg-1/interrupts"
run "cat /sys/bus/platform/devices/rpmsg-2/interrupts"
run "grep . /sys/bus/platform/devices/rpmsg-1/statistics/*"

echo "=== network: rpmsg1_14 (master) and rpmsg2_14 (remote), one namespace each ==="
run "insmod $LAB_MODDIR/rpmsg_amp_net.ko"
wait_for /sys/class/net/rpmsg1_14 10
wait_for /sys/class/net/rpmsg2_14 10
netns_pair
PA=$LAB_NS_A
PB=$LAB_NS_B
ip link set rpmsg1_14 netns $PA
ip link set rpmsg2_14 netns $PB
run "nsenter -t $PA -n ifconfig rpmsg1_14 192.168.2.2 up"
run "nsenter -t $PB -n ifconfig rpmsg2_14 192.168.2.3 up"
run "nsenter -t $PA -n ifconfig rpmsg1_14"
run "nsenter -t $PA -n ping -c 3 192.168.2.3" > /tmp/ping
cat /tmp/ping
run "nsenter -t $PB -n ping -c 3 192.168.2.2"
netns_stop

ok=0
grep -q " 0% packet loss" /tmp/ping || ok=2
[ $ok = 0 ] && [ "$(cat /tmp/got2)" = "hello from the master" ] &&
	[ "$(cat /tmp/got1)" = "hello from the remote" ] && ok=1
if [ $ok = 1 ]; then
	t_pass demo/echo_cat_ping
else
	t_fail demo/echo_cat_ping "messages or pings did not arrive"
fi

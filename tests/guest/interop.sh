#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 600
# dts: qemu-virt-rpmsg-interop.dtsi
#
# The firmware stacks users run on the other core, unmodified, against our
# master. The other core is a guest process: rl_peer (tests/peers/) runs
# RPMsg-Lite from ../shared/peers on our port (shared memory and doorbell
# through tests/rpmsg_amp_upeer.c), built with the rpmsg_config.h values of
# Documentation/boards/milkv-duo.rst, as the remote of channel 5. It
# starts after the master, as an RTOS booted later does: the master must
# keep ringing until it announces itself. Then: echo/cat, every size
# 1..496 and 10,000 random messages byte-exact, a service announced,
# withdrawn and announced again, ping over its net port. Without
# ../shared/peers when the lab was built, everything is reported skipped.
. /tests/lib.sh

S5=/sys/bus/platform/devices/rpmsg-5
C=/dev/rpmsg5_13
CTL=/dev/rpmsg5_15
PEER=/usr/bin/rl_peer

if [ ! -x $PEER ]; then
	t_skip interop/rpmsg_lite_remote "no rl_peer: RPMsg-Lite was not in ../shared/peers (or \$RPMSG_LAB_PEERS) when the lab was built"
	exit 0
fi
load_modules || exit 1
insmod $LAB_MODDIR/rpmsg_amp_upeer.ko ||
	{ t_fail interop/load_upeer "insmod rpmsg_amp_upeer.ko failed"; exit 1; }
wait_for /dev/rpmsg_upeer0 10 && wait_for $C 10 ||
	{ t_fail interop/devnodes "$(ls /dev/rpmsg*)"; exit 1; }

peer_is() {
	[ "$(cat $S5/peer)" = "$1" ]
}

# the firmware boots a second after Linux's master
usleep 1000000
[ "$(cat $S5/peer)" = down ] && t_pass interop/rl_remote_not_yet ||
	t_fail interop/rl_remote_not_yet "peer $(cat $S5/peer) before the firmware ran"
# a message is not left for a firmware that has not started
wr_enotconn() {
	! sh -c "echo -n x > $C" 2> /tmp/e && grep -qi "not connected" /tmp/e
}
t_check interop/write_before_firmware_enotconn wr_enotconn
h0=$(cat $S5/statistics/hellos)
$PEER remote /dev/rpmsg_upeer0 0x9c400000 0x10000 0x9c500000 0x100000 > /tmp/rl.out 2>&1 &
RL=$!
rl_ready() {
	grep -q "rl_peer: ready" /tmp/rl.out
}
t_check interop/rl_remote_late_start_links lab_until 10 rl_ready
t_check interop/rl_remote_peer_up lab_until 5 peer_is up
[ "$h0" -gt 0 ] && t_pass interop/master_rang_until_announced ||
	t_fail interop/master_rang_until_announced "hellos $h0"
cat /tmp/rl.out

# echo/cat, as a user would
echoed() {
	rm -f /tmp/got
	(timeout 3 cat $C > /tmp/got) &
	_p=$!
	usleep 200000
	echo "$1" > $C
	wait $_p
	[ "$(head -n 1 /tmp/got)" = "$1" ]
}
t_check interop/rl_remote_echo_cat echoed "hello RPMsg-Lite"
t_check interop/rl_remote_every_size rpmsg_echocheck sizes $C 496
N=$(lab_scale 10000 4)
t_check interop/rl_remote_random_$N rpmsg_echocheck random $C 496 $N 7

# the control endpoint: COMMAND -> "ok ..."
ctl() {
	rm -f /tmp/ctl
	(timeout 3 cat $CTL > /tmp/ctl) &
	_p=$!
	usleep 200000
	printf '%s' "$1" > $CTL
	wait $_p
	grep -q "^ok $1" /tmp/ctl
}
# a service the firmware announces, withdraws, and announces again
t_check interop/rl_ns_create ctl ns-create
t_check interop/rl_ns_device_appears wait_for /dev/rpmsg5_30 5
t_check interop/rl_ns_device_echoes rpmsg_echocheck random /dev/rpmsg5_30 496 100 3
t_check interop/rl_ns_destroy ctl ns-destroy
gone() {
	[ ! -e /dev/rpmsg5_30 ]
}
t_check interop/rl_ns_device_goes lab_until 5 gone
t_check interop/rl_ns_create_again ctl ns-create
t_check interop/rl_ns_device_back wait_for /dev/rpmsg5_30 5
t_check interop/rl_ns_device_echoes_again rpmsg_echocheck random /dev/rpmsg5_30 496 100 4

# ping the firmware over its net port (one frame per message, MTU 482)
carrier_on() {
	[ "$(cat /sys/class/net/rpmsg5_14/carrier 2>/dev/null)" = 1 ]
}
ip addr add 192.168.5.1/24 dev rpmsg5_14
ip link set rpmsg5_14 up
t_check interop/rl_net_carrier lab_until 5 carrier_on
iping() {
	/usr/local/bin/ping "$@"
	_rc=$?
	[ $_rc -lt 128 ] && return $_rc
	echo "interop: ping died of signal $((_rc - 128)), once more" >&2
	/usr/local/bin/ping "$@"
}
t_check interop/rl_net_ping iping -c 5 -i 0.2 -W 2 192.168.5.2
t_check interop/rl_net_ping_largest iping -c 3 -i 0.2 -W 2 -M do -s 454 192.168.5.2
t_expect_fail interop/rl_net_ping_over_mtu_refused /usr/local/bin/ping -c 1 -W 1 -M do -s 455 192.168.5.2
ctl stats && cat /tmp/ctl
[ "$(cat $S5/statistics/rejects)" = 0 ] && t_pass interop/rl_no_rejects ||
	t_fail interop/rl_no_rejects "$(cat $S5/statistics/rejects) rejects"
kill $RL

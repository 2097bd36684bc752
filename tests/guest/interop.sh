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
# the firmware as a board runs it: started again whenever it stops (a
# watchdog), until the test ends; while the master holds it in reset
# (/dev/rpmsg_upeer0 is the other core's reset controller) it cannot open
# its device, so it starts only when released
rm -f /tmp/rl.stop /tmp/rl.out
(
	while [ ! -e /tmp/rl.stop ]; do
		$PEER remote /dev/rpmsg_upeer0 0x9c400000 0x10000 0x9c500000 0x100000 >> /tmp/rl.out 2>&1
	done
) &
SUP=$!
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

# ---- restart without goodbye ------------------------------------------
# The firmware dies (kill -9) and the supervisor starts it again at once,
# as a watchdog would: RPMsg-Lite's remote init runs again with its
# indices at 0 on rings in use. Linux's next message wakes it; what it
# then writes moves the used indices backwards: the master declares the
# link broken, holds the other core in reset (which ends that instance),
# rebuilds its rings, releases it, and the next instance links as at
# power-on. Once counted, once logged, nothing stale read.
n_waiting() {
	grep -c "rl_peer: waiting for the link" /tmp/rl.out
}
r0=$(cat $S5/statistics/restarts) j0=$(cat $S5/statistics/rejects) w0=$(n_waiting)
dmesg_mark
kill -9 $(pidof rl_peer)
restarted() {
	[ "$(n_waiting)" -gt "$w0" ]
}
t_check interop/rl_restart_new_instance lab_until 10 restarted
echo -n poke > $C
recovered() {
	peer_is up && [ "$(cat $S5/statistics/restarts)" -gt "$r0" ]
}
t_check interop/rl_restart_recovered lab_until 20 recovered
r1=$(cat $S5/statistics/restarts) j1=$(cat $S5/statistics/rejects)
[ "$r1" = $((r0 + 1)) ] && [ "$j1" -gt "$j0" ] &&
	t_pass interop/rl_restart_counted_once ||
	t_fail interop/rl_restart_counted_once "restarts $r0 -> $r1, rejects $j0 -> $j1"
nb=$(dmesg_since_mark | grep -c "link broken") nh=$(dmesg_since_mark | grep -c "rpmsg-5: the other core is held in reset")
[ "$nb" = 1 ] && [ "$nh" = 1 ] && t_pass interop/rl_restart_logged_once ||
	t_fail interop/rl_restart_logged_once "link broken $nb times, held in reset $nh times"
dmesg_since_mark | grep "rpmsg-5\|upeer"
# nothing of the old instance (or of the one that broke the link) waits
# to be read, and the link carries every size and order again
flush_c() {
	timeout 1 cat $C > /tmp/stale
	[ ! -s /tmp/stale ]
}
t_check interop/rl_restart_nothing_stale flush_c
t_check interop/rl_restart_random rpmsg_echocheck random $C 496 1000 9
t_check interop/rl_restart_net_carrier lab_until 5 carrier_on
t_check interop/rl_restart_ping iping -c 3 -i 0.2 -W 2 192.168.5.2
touch /tmp/rl.stop
kill $(pidof rl_peer)
wait $SUP 2> /dev/null
true

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 300
#
# Devices going away under users: blocked readers wake with an error, the
# other side notices, and the link comes back when the device returns,
# without reloading modules.
. /tests/lib.sh

A=/dev/rpmsg1_13
B=/dev/rpmsg2_13
DRV=/sys/bus/platform/drivers/rpmsg_amp

load_modules || exit 1
wait_for $A 10
wait_for $B 10

xfer() {
	rm -f /tmp/got
	(timeout 3 cat "$2" > /tmp/got) &
	pid=$!
	usleep 200000
	echo "$3" > "$1"
	wait $pid
	[ "$(cat /tmp/got)" = "$3" ]
}

peer_is() {
	[ "$(cat /sys/bus/platform/devices/$1/peer)" = "$2" ]
}

wait_peer() {
	lab_until 5 peer_is "$1" "$2"
}

blocked() {
	# $1 test name, $2 chartest mode, $3 device, $4 platform device to unbind
	rm -f /tmp/br
	rpmsg_chartest $2 $3 > /tmp/br 2>&1 &
	pid=$!
	lab_until 5 grep -q READY /tmp/br
	usleep 200000
	echo $4 > $DRV/unbind
	if ! lab_until 5 proc_gone $pid; then
		kill $pid
		t_fail $1 "still blocked 5 s (scaled by the guest's speed) after unbind"
	elif grep -q "RESULT PASS" /tmp/br; then
		t_pass $1
	else
		t_fail $1 "$(cat /tmp/br)"
	fi
}

# the remote goes away while a reader waits on it
blocked remove/remote_blocked_read_wakes blockedread $B rpmsg-2
[ ! -e $B ] && t_pass remove/remote_node_gone || t_fail remove/remote_node_gone "$B still there"
t_check remove/master_sees_peer_down wait_peer rpmsg-1 down
t_expect_fail remove/master_write_reports_loss sh -c "echo x > $A"
echo rpmsg-2 > $DRV/bind
t_check remove/remote_node_back wait_for $B 10
t_check remove/master_sees_peer_up wait_peer rpmsg-1 up
t_check remove/after_remote_restart_m2r xfer $A $B again1
t_check remove/after_remote_restart_r2m xfer $B $A again2

# the master goes away while a poller waits on it
blocked remove/master_blocked_poll_wakes blockedpoll $A rpmsg-1
t_check remove/remote_sees_peer_down wait_peer rpmsg-2 down
t_expect_fail remove/remote_write_reports_loss sh -c "echo x > $B"
echo rpmsg-1 > $DRV/bind
t_check remove/master_node_back wait_for $A 10
t_check remove/remote_relinks wait_peer rpmsg-2 up
t_check remove/master_peer_up_again wait_peer rpmsg-1 up
t_check remove/after_master_restart_m2r xfer $A $B again3
t_check remove/after_master_restart_r2m xfer $B $A again4

# Rebinding in a loop (20 rounds, 5 on the debug kernel): the other side
# answers a rebound master before its virtio device is registered (a lost
# doorbell once left the master without the announcement: peer down for
# good), and a rebound remote announces into a running master.
rebind_loop() {
	# $1 test name, $2 platform device to rebind, $3 its device node,
	# $4 the other side's platform device
	_n=0
	_bad=
	while [ $_n -lt $ROUNDS ]; do
		echo $2 > $DRV/unbind
		lab_until 5 peer_is $4 down || _bad="$_bad $_n:$4-not-down"
		echo $2 > $DRV/bind
		wait_for $3 10 || _bad="$_bad $_n:no-$3"
		lab_until 5 peer_is rpmsg-1 up || _bad="$_bad $_n:rpmsg-1-not-up"
		lab_until 5 peer_is rpmsg-2 up || _bad="$_bad $_n:rpmsg-2-not-up"
		[ -z "$_bad" ] || break
		_n=$((_n + 1))
	done
	[ -z "$_bad" ] && t_pass $1 || t_fail $1 "round$_bad"
}
ROUNDS=$(lab_scale 20 4)
rebind_loop remove/master_rebind_loop rpmsg-1 $A rpmsg-2
rebind_loop remove/remote_rebind_loop rpmsg-2 $B rpmsg-1
t_check remove/after_rebinds_m2r xfer $A $B again5
t_check remove/after_rebinds_r2m xfer $B $A again6

unload_modules && t_pass remove/unload

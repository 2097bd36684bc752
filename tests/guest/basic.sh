#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 400
#
# The link between channel 1 (master) and channel 2 (remote): device nodes,
# echo/cat both ways, char-device semantics, 10,000 messages each way at
# once, counters, permissions.
. /tests/lib.sh

A=/dev/rpmsg1_13
B=/dev/rpmsg2_13
S1=/sys/bus/platform/devices/rpmsg-1
S2=/sys/bus/platform/devices/rpmsg-2

load_modules || exit 1
wait_for $A 10 && t_pass basic/devnode_master || t_fail basic/devnode_master "$A missing"
wait_for $B 10 && t_pass basic/devnode_remote || t_fail basic/devnode_remote "$B missing"

peer_is_up() {
	[ "$(cat "$1/peer")" = up ]
}

peer_up() {
	lab_until 5 peer_is_up "$1"
}
# the figure lab_slowdown compares with LAB_CAL_REF_CS (tests/guest/lib.sh)
echo "FIGURE calibration work: $(lab_cal_cs) cs, $(lab_cal_cs) cs, $(lab_cal_cs) cs (reference $LAB_CAL_REF_CS cs)"
t_check basic/peer_up_master peer_up $S1
t_check basic/peer_up_remote peer_up $S2
t_check basic/role_master grep -qx master $S1/role
t_check basic/role_remote grep -qx remote $S2/role

mode=$(stat -c %a $A)
[ "$mode" = 600 ] && t_pass basic/mode_0600 || t_fail basic/mode_0600 "mode $mode"

# one message, read back by the peer the way a user would
xfer() {
	rm -f /tmp/got
	(timeout 3 cat "$2" > /tmp/got) &
	pid=$!
	usleep 200000
	echo "$3" > "$1"
	wait $pid
	[ "$(cat /tmp/got)" = "$3" ]
}
t_check basic/echo_master_to_remote xfer $A $B hello
t_check basic/echo_remote_to_master xfer $B $A "hello back"

rpmsg_chartest all $A $B || t_fail basic/chartest_a_to_b "rpmsg_chartest exited $?"
rpmsg_chartest all $B $A || t_fail basic/chartest_b_to_a "rpmsg_chartest exited $?"

# 10,000 messages each way; 2,500 on the debug kernel
N=$(lab_scale 10000 4)
before=$(cat $S1/statistics/rx_msgs)
t_check basic/stress_$N rpmsg_stress -a $A -b $B -n $N -t 300
after=$(cat $S1/statistics/rx_msgs)
[ $((after - before)) -ge $N ] && t_pass basic/counter_rx_msgs ||
	t_fail basic/counter_rx_msgs "rx_msgs grew by $((after - before))"
for s in $S1 $S2; do
	n=${s##*/}
	[ "$(cat $s/statistics/irq_in)" -gt 0 ] && t_pass basic/irq_in_$n ||
		t_fail basic/irq_in_$n "no doorbells counted"
	[ "$(cat $s/statistics/rejects)" = 0 ] && t_pass basic/rejects_$n ||
		t_fail basic/rejects_$n "$(cat $s/statistics/rejects) rejects"
	[ "$(cat $s/statistics/drops)" = 0 ] && t_pass basic/drops_$n ||
		t_fail basic/drops_$n "$(cat $s/statistics/drops) drops"
	grep -q '^rx: ' $s/interrupts && t_pass basic/interrupts_$n ||
		t_fail basic/interrupts_$n "$(cat $s/interrupts)"
done

# a device nobody reads: after rx_stall_ms it overflows, and messages for it
# are dropped and counted instead of holding up the channel for ever
P=/sys/module/rpmsg_amp_char/parameters
echo 8 > $P/rx_queue_len
echo 300 > $P/rx_stall_ms
d0=$(cat $S2/statistics/drops)
for i in $(seq 20); do echo "m$i" > $A; done
sleep 1
d1=$(cat $S2/statistics/drops)
got=$( (timeout 2 cat $B) | wc -l)
echo 1024 > $P/rx_queue_len
echo 5000 > $P/rx_stall_ms
[ $((d1 - d0)) = 12 ] && [ "$got" = 8 ] && t_pass basic/overflow_drops_counted ||
	t_fail basic/overflow_drops_counted "drops grew by $((d1 - d0)), $got queued (want 12, 8)"
t_check basic/after_overflow_works xfer $A $B recovered

# root-only nodes: an unprivileged user is refused
t_expect_fail basic/unprivileged_write chpst -u nobody sh -c "echo x > $A"
t_expect_fail basic/unprivileged_read chpst -u nobody sh -c "cat $B"
# the open() itself is refused with EACCES, for reading and for writing
unpriv_open() {
	out=$(as_nobody sh -c "exec 3<> $1" 2>&1)
	[ $? != 0 ] && echo "$out" | grep -q "Permission denied" ||
		{ echo "unprivileged open of $1: $out"; return 1; }
	out=$(as_nobody sh -c "exec 3< $1" 2>&1)
	[ $? != 0 ] && echo "$out" | grep -q "Permission denied" ||
		{ echo "unprivileged read-only open of $1: $out"; return 1; }
}
t_check basic/unprivileged_open_eacces_master unpriv_open $A
t_check basic/unprivileged_open_eacces_remote unpriv_open $B

unload_modules && t_pass basic/unload
[ ! -e $A ] && [ ! -e $B ] && t_pass basic/no_stale_nodes ||
	t_fail basic/no_stale_nodes "$(ls /dev/rpmsg* 2>&1)"

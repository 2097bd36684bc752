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

# 10,000 random messages each way at once (2,500 on the debug kernel),
# each verified byte for byte.  A reader that falls more than the queue
# behind loses messages by design (Documentation/usage.rst): each one
# missing must be counted in the device's rx_dropped.
N=$(lab_scale 10000 4)
before=$(cat $S1/statistics/rx_msgs)
stress_counted basic/stress_$N $A $B -n $N -t 300
after=$(cat $S1/statistics/rx_msgs)
[ $((after - before)) -ge $N ] && t_pass basic/counter_rx_msgs ||
	t_fail basic/counter_rx_msgs "rx_msgs grew by $((after - before))"
for s in $S1 $S2; do
	n=${s##*/}
	[ "$(cat $s/statistics/irq_in)" -gt 0 ] && t_pass basic/irq_in_$n ||
		t_fail basic/irq_in_$n "no doorbells counted"
	[ "$(cat $s/statistics/rejects)" = 0 ] && t_pass basic/rejects_$n ||
		t_fail basic/rejects_$n "$(cat $s/statistics/rejects) rejects"
	c=/sys/class/misc/rpmsg${n#rpmsg-}_13
	[ "$(cat $s/statistics/drops)" = "$(cat $c/rx_dropped)" ] && t_pass basic/drops_$n ||
		t_fail basic/drops_$n "$(cat $s/statistics/drops) drops, $(cat $c/rx_dropped) of them by a full queue"
	grep -q '^rx: ' $s/interrupts && t_pass basic/interrupts_$n ||
		t_fail basic/interrupts_$n "$(cat $s/interrupts)"
done

# A device nobody reads: its queue holds rx_queue_len messages, the rest are
# dropped and counted there (rx_dropped) and in the channel's drops, at
# once: the receive path never waits for a reader.
P=/sys/module/rpmsg_amp_char/parameters
C2=/sys/class/misc/rpmsg2_13
cdev_has() {
	# $1 sysfs dir, $2 messages queued + dropped expected
	[ $(($(cat $1/rx_queued) + $(cat $1/rx_dropped))) -ge "$2" ]
}
echo 8 > $P/rx_queue_len
d0=$(cat $S2/statistics/drops)
x0=$(cat $C2/rx_dropped)
for i in $(seq 20); do echo "m$i" > $A; done
lab_until 5 cdev_has $C2 $((x0 + 20))
d1=$(cat $S2/statistics/drops)
x1=$(cat $C2/rx_dropped)
q1=$(cat $C2/rx_queued)
got=$( (timeout 2 cat $B) | wc -l)
echo 1024 > $P/rx_queue_len
[ $((d1 - d0)) = 12 ] && [ $((x1 - x0)) = 12 ] && [ "$q1" = 8 ] && [ "$got" = 8 ] &&
	t_pass basic/overflow_drops_counted ||
	t_fail basic/overflow_drops_counted "channel drops +$((d1 - d0)), rx_dropped +$((x1 - x0)), $q1 queued, $got read (want 12, 12, 8, 8)"
t_check basic/after_overflow_works xfer $A $B recovered

# One endpoint nobody reads, its queue full and messages still coming (ten
# a second: each of them once held up the channel for rx_stall_ms), while
# another runs flat out: the busy one keeps at least 80% of its throughput
# alone, and every message for the unread one is either queued or counted
# as dropped.  The host's load moves the guest's speed by 4x within
# seconds (a cold run measured 3950, 2903 and 1013 messages/s alone in a
# row), so the runs alternate (A B A B ... A: six alone, five beside the
# unread endpoint) and the best of the five beside is judged against the
# best of the six alone: the host's load only ever slows a run down, so
# the best run of each kind is the one least disturbed, while a channel
# that the unread endpoint held up would slow every run beside it.  Not
# each run against its neighbours: the load beside a lane can swing with
# a period of about two runs (alone 891, 4843, 1619, 8225, 2086, 8621 in
# one run), and then every pair mixed a slow and a fast run (median of
# those ratios 0.60); nor medians: with the host building kernels beside
# two other lanes, three of five runs beside fell into slow phases
# (2035 1075 1184 2062 1439 against 1821 1877 1603 1921 1508 1871 alone:
# medians 0.78, best 1.07).  Even so, a cold run (kernels building beside
# the debug lane) measured best 0.77 with the runs alone 2.5x apart; so a
# round below 0.8 is measured again, up to three rounds, and the check
# passes on the first round at 0.8 or above.  The defect it guards
# against (a full unread endpoint holding up the channel) slows every run
# beside it in every round.
# The debug kernel prints the figures but does not judge them: its
# sanitizers, not the link, set its speed (0.57 to 1.8x between two runs
# of the same kind seen there).
U=/dev/rpmsg1_15
CU=/sys/class/misc/rpmsg2_15
M=$(lab_scale 3000 4)
# messages per second received, both ways together
run_rate() {
	rpmsg_stress -a $A -b $B -n $M -t 120 -s $1 -L | awk '/SUMMARY/ && /result=OK/ {
		for (i = 1; i <= NF; i++) {
			split($i, kv, "=")
			v[kv[1]] = kv[2]
		}
		if (v["seconds"] > 0)
			printf "%.0f", v["msgs"] / v["seconds"] }'
}
# ten messages a second for the unread endpoint, in shell builtins only:
# a usleep forked and executed busybox ten times a second, which on a busy
# host took a quarter of the guest's CPU from the run it was measuring
# (ratio 0.65 in a cold run); read -t on a FIFO no one writes is the wait
trickle() {
	_n=0
	rm -f /tmp/trickle.fifo
	mkfifo /tmp/trickle.fifo
	exec 3<> /tmp/trickle.fifo
	while [ ! -e /tmp/trickle.stop ]; do
		for _i in 0 1 2 3 4 5 6 7 8 9; do
			echo "u$_n" > $U && _n=$((_n + 1))
		done
		read -r -t 1 _x <&3
	done
	exec 3<&-
	echo $_n > /tmp/trickle.n
}
QLEN=$(cat $P/rx_queue_len)
u0=$(cat $CU/rx_dropped)
sent=0
for i in $(seq $((QLEN + 50))); do echo "f$i" > $U && sent=$((sent + 1)); done
# one round: six runs alone, five beside the unread endpoint, alternating
measure_round() {
	alone=""
	stuck=""
	for r in 1 2 3 4 5; do
		alone="$alone $(run_rate $r)"
		rm -f /tmp/trickle.stop /tmp/trickle.n
		trickle &
		tp=$!
		stuck="$stuck $(run_rate $((r + 10)))"
		: > /tmp/trickle.stop
		wait $tp
		sent=$((sent + $(cat /tmp/trickle.n)))
	done
	alone="$alone $(run_rate 6)"
	echo "FIGURE basic: busy endpoint, messages/s ($M each way): alone$alone, beside a full unread endpoint$stuck"
}
# fields 1-6: alone, 7-11: beside; prints max(beside) / max(alone),
# median(beside) / median(alone) (a figure only) and max(alone) /
# min(alone), the spread of the conditions
judge_round() {
	echo "$alone $stuck" | awk '
	function sort(v, n,   i, j, t) {
		for (i = 1; i <= n; i++)
			for (j = i + 1; j <= n; j++)
				if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
	}
	{
		if (NF != 11) { print "none none none"; exit }
		for (i = 1; i <= 6; i++)
			a[i] = $i
		for (i = 1; i <= 5; i++)
			b[i] = $(i + 6)
		sort(a, 6)
		sort(b, 5)
		m = (a[3] + a[4]) / 2
		if (m <= 0 || a[1] <= 0) { print "none none none"; exit }
		printf "%.2f %.2f %.1f", b[5] / a[6], b[3] / m, a[6] / a[1] }'
}
# Up to three rounds; the first at 0.8 or above ends it (the debug kernel:
# one round, printed, not judged).
ratios=""
for round in 1 2 3; do
	measure_round
	set -- $(judge_round)
	ratio=$1
	ratios="$ratios $ratio"
	echo "FIGURE basic: round $round: throughput beside a full unread endpoint / alone (best of 5 / best of 6) = $ratio (medians $2), runs alone spread $3x"
	echo "$ratio" | awk '$1 != "none" && $1 >= 0.8 { ok = 1 } END { exit !ok }' && break
	[ "$(lab_variant)" = debug ] && break
done
lab_until 5 cdev_has $CU $((sent + u0))
uq=$(cat $CU/rx_queued)
ud=$(($(cat $CU/rx_dropped) - u0))
(timeout 2 cat /dev/rpmsg2_15 > /dev/null)
if [ "$(lab_variant)" = debug ] && [ "$ratio" != none ]; then
	t_skip basic/unread_endpoint_no_stall "throughput not judged on the debug kernel (ratio $ratio printed above)"
elif echo "$ratio" | awk '$1 != "none" && $1 >= 0.8 { ok = 1 } END { exit !ok }'; then
	t_pass basic/unread_endpoint_no_stall
else
	t_fail basic/unread_endpoint_no_stall "ratios$ratios (last round, messages/s alone:$alone, beside the unread endpoint:$stuck)"
fi
[ "$uq" = "$QLEN" ] && [ $((uq + ud)) = "$sent" ] && t_pass basic/unread_endpoint_all_counted ||
	t_fail basic/unread_endpoint_all_counted "$sent sent, $uq queued, $ud dropped (want $QLEN queued, the rest dropped)"

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

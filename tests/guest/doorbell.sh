#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 400
#
# Doorbells with each of the mailbox framework's ways to learn that a
# transmission completed (the test mailbox's txdone=irq, poll, ack): for
# each, the modules are loaded, 3,000 messages go each way at once between
# /dev/rpmsg1_13 and /dev/rpmsg2_13 byte-exact, and every side counts
# doorbells both ways.  With "ack" the controller never reports a
# completion and the client must acknowledge it: a client that waits for
# one rings the first doorbell only and the traffic stalls.
. /tests/lib.sh

A=/dev/rpmsg1_13
B=/dev/rpmsg2_13
S1=/sys/bus/platform/devices/rpmsg-1
S2=/sys/bus/platform/devices/rpmsg-2

peer_is_up() {
	[ "$(cat "$1/peer" 2>/dev/null)" = up ]
}

# 3,000 messages each way per method; 1,000 on the debug kernel
N=$(lab_scale 3000 3)
for mode in irq poll ack; do
	LAB_MODARGS_rpmsg_amp_test_mbox="txdone=$mode"
	load_modules || exit 1
	t_check doorbell/$mode/peer_up lab_until 10 peer_is_up $S1
	stress_counted doorbell/$mode/stress_$N $A $B -n $N -t 120
	for s in $S1 $S2; do
		n=${s##*/}
		i=$(cat $s/statistics/irq_in)
		o=$(cat $s/statistics/irq_out)
		echo "doorbell: $mode $n irq_in $i irq_out $o"
		[ "$i" -gt 1 ] && [ "$o" -gt 1 ] &&
			t_pass doorbell/$mode/doorbells_$n ||
			t_fail doorbell/$mode/doorbells_$n "irq_in $i irq_out $o"
	done
	unload_modules || exit 1
done
t_pass doorbell/unload
kmemleak_check doorbell/kmemleak

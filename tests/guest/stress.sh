#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 1200
#
# 1,000,000 messages (40,000 on the debug kernel; less on a guest slowed
# down by a busy host, see SLOW below) through the char
# devices: four endpoint pairs (/dev/rpmsg1_M <-> /dev/rpmsg2_M for M = 13,
# 15, 16, 17) at once, each pair with three writers and two readers per
# direction and per device, sizes 1..max payload, every message verified
# byte for byte (sequence number, length, checksum, payload) by
# rpmsg_stress.  Three writers outrun two readers here, so the devices'
# queues fill and drop by design (Documentation/usage.rst): every message
# must arrive exact or be counted in its device's rx_dropped, none may
# vanish silently.  Corrupted, duplicated and reordered messages are
# separate results; figures go to "FIGURE stress:" lines.
. /tests/lib.sh

EPTS="13 15 16 17"
NOMINAL=$(lab_scale 1000000 25)
NPAIRS=4
# rpmsg_stress's own timeout, per pair (the boot times out at 1200 s)
TMO=1100
# The work fits TMO with room up to a guest twice as slow as the quiet
# lab board (six times on the debug kernel, itself about three times
# slower): the quiet normal kernel takes about 220 s.  A guest slower
# than that (a busy host) gets a share of the work in proportion, so
# that only a real hang or loss fails the checks, never the host's load.
SLOW=$(lab_slowdown)
ROOM=2
[ "$(lab_variant)" = debug ] && ROOM=6
TOTAL=$NOMINAL
[ "$SLOW" -le $ROOM ] || TOTAL=$((NOMINAL * ROOM / SLOW))
# per pair and direction
N=$((TOTAL / NPAIRS / 2))
TOTAL=$((N * NPAIRS * 2))
echo "FIGURE stress: guest ${SLOW}x slower than the quiet board: $TOTAL of $NOMINAL messages"
S1=/sys/bus/platform/devices/rpmsg-1

load_modules || exit 1
for e in $EPTS; do
	for c in 1 2; do
		wait_for /dev/rpmsg${c}_$e 10 ||
			{ t_fail stress/devnodes "/dev/rpmsg${c}_$e missing"; exit 1; }
	done
done
t_pass stress/devnodes
MAX=$(cat $S1/mtu)

chan_drops() {
	echo $(($(cat $S1/statistics/drops) + $(cat /sys/bus/platform/devices/rpmsg-2/statistics/drops)))
}
dev_drops() {
	_s=0
	for e in $EPTS; do
		for c in 1 2; do
			_s=$((_s + $(cat /sys/class/misc/rpmsg${c}_$e/rx_dropped)))
		done
	done
	echo $_s
}
drops0=$(chan_drops)
ddrops0=$(dev_drops)
t0=$(cut -d' ' -f1 /proc/uptime)
pids=""
i=0
for e in $EPTS; do
	# half of the pairs share one open file per device, the others open
	# it in every process
	sep=""
	[ $((i % 2)) = 1 ] && sep=-S
	rpmsg_stress -a /dev/rpmsg1_$e -b /dev/rpmsg2_$e -n $N -m "$MAX" \
		-w 3 -r 2 -s $((i + 7)) -t $TMO -L $sep > /tmp/stress.$e 2>&1 &
	pids="$pids $!"
	i=$((i + 1))
done
fails=0
for p in $pids; do
	wait "$p" || fails=$((fails + 1))
done
t1=$(cut -d' ' -f1 /proc/uptime)

msgs=0
bytes=0
lost=0
corrupt=0
reord=0
dup=0
bad=0
for e in $EPTS; do
	line=$(grep 'SUMMARY' /tmp/stress.$e)
	if [ -z "$line" ]; then
		bad=$((bad + 1))
		echo "stress: pair $e printed no summary:"
		sed 's/^/  | /' /tmp/stress.$e
		continue
	fi
	grep -q 'result=OK' /tmp/stress.$e || {
		echo "stress: pair $e failed:"
		sed 's/^/  | /' /tmp/stress.$e | head -n 40
	}
	for kv in $line; do
		case "$kv" in
		msgs=*) msgs=$((msgs + ${kv#msgs=})) ;;
		bytes=*) bytes=$((bytes + ${kv#bytes=})) ;;
		lost=*) lost=$((lost + ${kv#lost=})) ;;
		corrupt=*) corrupt=$((corrupt + ${kv#corrupt=})) ;;
		reordered=*) reord=$((reord + ${kv#reordered=})) ;;
		dup=*) dup=$((dup + ${kv#dup=})) ;;
		esac
	done
done
drops1=$(chan_drops)
ddrops=$(($(dev_drops) - ddrops0))

[ $bad = 0 ] && [ $fails = 0 ] && [ $((msgs + lost)) = "$TOTAL" ] &&
	t_pass stress/all_accounted ||
	t_fail stress/all_accounted "$msgs received + $lost lost of $TOTAL, $fails pairs failed"
[ $bad = 0 ] && [ "$lost" = "$ddrops" ] && t_pass stress/lost_all_counted ||
	t_fail stress/lost_all_counted "$lost lost, $ddrops counted in the devices' rx_dropped"
[ $bad = 0 ] && [ $corrupt = 0 ] && [ $dup = 0 ] && t_pass stress/corrupt_0 ||
	t_fail stress/corrupt_0 "$corrupt corrupted, $dup duplicated"
[ $bad = 0 ] && [ $reord = 0 ] && t_pass stress/reordered_0 ||
	t_fail stress/reordered_0 "$reord reordered within an endpoint"
[ $((drops1 - drops0)) = "$ddrops" ] && t_pass stress/channel_drops_match ||
	t_fail stress/channel_drops_match "channel drops grew by $((drops1 - drops0)), the devices' by $ddrops"
echo "FIGURE stress: $lost of $TOTAL messages dropped by full device queues (readers slower than writers)"

# figures: busybox awk for the floating point
awk -v m="$msgs" -v b="$bytes" -v t0="$t0" -v t1="$t1" -v p=$NPAIRS 'BEGIN {
	s = t1 - t0
	if (s <= 0)
		s = 0.01
	printf "FIGURE stress: %d messages (%d bytes) over %d endpoint pairs in %.1f s: %.0f msgs/s, %.2f MB/s\n",
		m, b, p, s, m / s, b / s / 1e6
}'

unload_modules && t_pass stress/unload
if ls /dev/rpmsg* > /dev/null 2>&1; then
	t_fail stress/no_stale_nodes "$(ls /dev/rpmsg* 2>&1)"
else
	t_pass stress/no_stale_nodes
fi
kmemleak_check stress/kmemleak

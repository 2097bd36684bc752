#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 1200
#
# insmod / traffic / rmmod 100 times (4 on the debug kernel: each way
# once), going through every way down the module dependencies allow
# (rpmsg_amp_char and rpmsg_amp_net both need rpmsg_amp, which needs the
# mailbox):
#   0  rmmod char, net, core, mbox
#   1  rmmod net, char, core, mbox
#   2  unbind both channels first, then rmmod (unload_modules)
#   3  under load: char and net traffic running; net is removed while
#      packets flow, the channels are unbound while char writers and
#      readers are busy (open files keep rpmsg_amp_char itself loaded),
#      then the rest goes
# After every cycle no /dev/rpmsg*, /sys/class/net/rpmsg* or
# /sys/bus/rpmsg/devices/* may be left and no module loaded; kmemleak is
# asked after every rmmod phase and at the end.
. /tests/lib.sh

A=/dev/rpmsg1_13
B=/dev/rpmsg2_13
DRV=/sys/bus/platform/drivers/rpmsg_amp
N=$(lab_scale 100 25)

# settle: objects allocated at boot are not ours
load_modules || exit 1
unload_modules || exit 1
kmemleak_clear

stale() {
	_s=""
	for m in $LAB_MODULES; do
		[ -e /sys/module/$m ] && _s="$_s module:$m"
	done
	for f in /dev/rpmsg* /sys/class/net/rpmsg* /sys/bus/rpmsg/devices/*; do
		[ -e "$f" ] && _s="$_s $f"
	done
	echo "$_s"
}

# traffic in the background until the devices go: char stress on 15, a
# ping flood over the net devices
load_start() {
	ip link set rpmsg1_14 up
	ip link set rpmsg2_14 up
	ip addr add 192.168.7.1/24 dev rpmsg1_14
	ip addr add 192.168.7.2/24 dev rpmsg2_14
	rpmsg_stress -a /dev/rpmsg1_15 -b /dev/rpmsg2_15 -n 1000000 -w 2 \
		-t 600 > /tmp/cycle-load 2>&1 &
	LPID=$!
	# both ends are in this namespace: the requests (and ARP) for the
	# peer's address go out on the link, the replies come back locally
	ping -i 0.01 -w 600 -I rpmsg1_14 192.168.7.2 > /dev/null 2>&1 &
	PPID_=$!
	usleep 500000
}

load_stop() {
	# the writers and readers fail once their devices are gone
	# (function variables are global in sh: not i)
	if ! lab_until 10 proc_gone $LPID; then
		echo "cycle: rpmsg_stress still running 10 s after unbind"
		kill -9 $LPID
		wait $LPID
		return 1
	fi
	wait $LPID
	kill $PPID_ 2> /dev/null
	wait $PPID_
	return 0
}

fails=0
wfail0=0
wfail1=0
wfail2=0
wfail3=0
t0=$(cut -d' ' -f1 /proc/uptime)
i=1
while [ $i -le $N ]; do
	way=$((i % 4))
	ok=1
	load_modules || { fails=$((fails + 1)); break; }
	if ! wait_for $A 10 || ! wait_for $B 10 || ! wait_for /dev/rpmsg2_15 10; then
		echo "cycle $i: device nodes missing"
		ok=0
	elif ! ip link show rpmsg1_14 > /dev/null 2>&1; then
		echo "cycle $i: net device missing"
		ok=0
	elif ! rpmsg_stress -a $A -b $B -n 200 -t 60 > /tmp/stress 2>&1; then
		echo "cycle $i: traffic failed"
		cat /tmp/stress
		ok=0
	fi
	case $way in
	0)
		lab_rmmod rpmsg_amp_char rpmsg_amp_net rpmsg_amp \
			rpmsg_amp_test_mbox || ok=0
		;;
	1)
		lab_rmmod rpmsg_amp_net rpmsg_amp_char rpmsg_amp \
			rpmsg_amp_test_mbox || ok=0
		;;
	2)
		echo rpmsg-1 > $DRV/unbind
		echo rpmsg-2 > $DRV/unbind
		unload_modules || ok=0
		;;
	3)
		load_start
		lab_rmmod rpmsg_amp_net || ok=0
		echo rpmsg-2 > $DRV/unbind
		echo rpmsg-1 > $DRV/unbind
		load_stop || ok=0
		lab_rmmod rpmsg_amp_char rpmsg_amp rpmsg_amp_test_mbox || ok=0
		;;
	esac
	s=$(stale)
	if [ -n "$s" ]; then
		echo "cycle $i (way $way): left behind:$s"
		# clean up so that the next cycle starts from scratch
		for f in rpmsg-1 rpmsg-2; do
			[ -e $DRV/$f ] && echo $f > $DRV/unbind
		done
		unload_modules > /dev/null
		ok=0
	fi
	if [ $ok = 0 ]; then
		fails=$((fails + 1))
		eval "wfail$way=\$((wfail$way + 1))"
	fi
	i=$((i + 1))
done
t1=$(cut -d' ' -f1 /proc/uptime)
[ $fails = 0 ] && t_pass cycle/insmod_traffic_rmmod_x$N ||
	t_fail cycle/insmod_traffic_rmmod_x$N "$fails of $N cycles failed"
# one result per way down
res() {
	[ "$2" = 0 ] && t_pass cycle/$1 || t_fail cycle/$1 "$2 cycles failed"
}
res rmmod_char_net_core_mbox $wfail0
res rmmod_net_char_core_mbox $wfail1
res unbind_then_rmmod $wfail2
res rmmod_under_load $wfail3
awk -v n=$N -v t0="$t0" -v t1="$t1" 'BEGIN {
	printf "FIGURE cycle: %d cycles in %.1f s (%.2f s per cycle)\n",
		n, t1 - t0, (t1 - t0) / n
}'
kmemleak_check cycle/kmemleak

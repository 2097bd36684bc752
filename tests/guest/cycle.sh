#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 600
#
# insmod / traffic / rmmod twenty times, in both orders the module
# dependencies allow, then ask kmemleak whether anything leaked.
. /tests/lib.sh

A=/dev/rpmsg1_13
B=/dev/rpmsg2_13
N=20

# settle: objects allocated at boot are not ours
load_modules || exit 1
unload_modules || exit 1
kmemleak_clear

fails=0
i=1
while [ $i -le $N ]; do
	load_modules || { fails=$((fails + 1)); break; }
	if ! wait_for $A 10 || ! wait_for $B 10; then
		echo "cycle $i: device nodes missing"
		fails=$((fails + 1))
	elif ! ip link show rpmsg1_14 > /dev/null 2>&1; then
		echo "cycle $i: net device missing"
		fails=$((fails + 1))
	elif ! rpmsg_stress -a $A -b $B -n 200 -t 60 > /tmp/stress 2>&1; then
		echo "cycle $i: traffic failed"
		cat /tmp/stress
		fails=$((fails + 1))
	fi
	if [ $((i % 2)) -eq 0 ]; then
		# interface modules in the other order, then the core
		rmmod rpmsg_amp_char && rmmod rpmsg_amp_net &&
			rmmod rpmsg_amp && rmmod rpmsg_amp_test_mbox
	else
		# unbind the channels before the modules go
		for d in rpmsg-1 rpmsg-2; do
			echo $d > /sys/bus/platform/drivers/rpmsg_amp/unbind
		done
		unload_modules
	fi
	if lsmod | grep -q rpmsg_amp || ls /dev/rpmsg* > /dev/null 2>&1 ||
	   ip link show rpmsg1_14 > /dev/null 2>&1; then
		echo "cycle $i: modules or nodes left behind"
		lsmod
		ls /dev/rpmsg*
		fails=$((fails + 1))
	fi
	i=$((i + 1))
done
[ $fails = 0 ] && t_pass cycle/insmod_traffic_rmmod_x$N ||
	t_fail cycle/insmod_traffic_rmmod_x$N "$fails failed cycles"
kmemleak_check cycle/kmemleak

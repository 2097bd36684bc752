#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 120
#
# Runs the KUnit suites in this kernel and turns each KTAP test-case line
# into a result line. Each module is loaded on its own and must report at
# least its known number of cases, so a suite that silently stops running
# (or a case that is dropped) fails here.
. /tests/lib.sh

kmemleak_arm
insmod $LAB_MODDIR/rpmsg_amp.ko || { t_fail kunit/load "insmod rpmsg_amp"; exit 1; }

# run_kunit MODULE SUITE-LABEL EXPECTED-CASES
run_kunit() {
	dmesg_mark
	if ! insmod "$LAB_MODDIR/$1.ko"; then
		t_fail "kunit/$2/load" "insmod $1"
		return
	fi
	dmesg_since_mark | sed 's/^\[[^]]*\] //' > /tmp/ktap
	cases=0
	while read -r line; do
		case "$line" in
		"ok "*|"not ok "*) ;;
		*) continue ;;
		esac
		name=$(echo "$line" | sed 's/^\(not \)\{0,1\}ok [0-9]* \(- \)\{0,1\}//; s/ .*//')
		# suite lines are not indented; case lines are
		grep -q "^    $line\$\|^	$line\$" /tmp/ktap || continue
		cases=$((cases + 1))
		case "$line" in
		"ok "*) t_pass "kunit/$name" ;;
		*) t_fail "kunit/$name" "$line" ;;
		esac
	done < /tmp/ktap
	if [ $cases -ge "$3" ]; then
		t_pass "kunit/$2/case_count"
	else
		t_fail "kunit/$2/case_count" "found $cases test cases, expected $3"
		cat /tmp/ktap
	fi
	lab_rmmod "$1" || t_fail "kunit/$2/rmmod" "$1 stayed loaded"
}

# rpmsg_amp_kunit: the pure helpers of rpmsg_amp (7 cases)
run_kunit rpmsg_amp_kunit lib 7
# rpmsg_amp_mbox_kunit: CV1800 and OCTEON mailbox register programming
# against fake register blocks (5 + 5 cases)
run_kunit rpmsg_amp_mbox_kunit mbox 10

lab_rmmod rpmsg_amp || t_fail kunit/rmmod "rpmsg_amp stayed loaded"

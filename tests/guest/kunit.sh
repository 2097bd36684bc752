#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 120
#
# Runs the KUnit suite in this kernel and turns each KTAP test-case line
# into a result line.
. /tests/lib.sh

insmod $LAB_MODDIR/rpmsg_amp.ko || { t_fail kunit/load "insmod rpmsg_amp"; exit 1; }
dmesg_mark
insmod $LAB_MODDIR/rpmsg_amp_kunit.ko || t_fail kunit/load "insmod rpmsg_amp_kunit"
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
[ $cases -ge 7 ] && t_pass kunit/case_count || {
	t_fail kunit/case_count "found $cases test cases, expected 7"
	cat /tmp/ktap
}
rmmod rpmsg_amp_kunit
rmmod rpmsg_amp

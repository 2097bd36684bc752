#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the guest test scripts (busybox sh).  Use:
#
#	. /tests/lib.sh
#
# Deliberately no "set -e" here: this file is sourced, and whether a test
# stops at the first failing command is the test script's choice.
#
# Results are single lines on the console that scripts/run-tests.sh counts:
#	RESULT PASS NAME
#	RESULT FAIL NAME: MSG
#	RESULT SKIP NAME: REASON
# Use names without spaces, unique across all guest tests.
#
#   t_pass NAME / t_fail NAME MSG... / t_skip NAME REASON...
#	print one result; return 0 (safe under "set -e").
#   t_check NAME CMD...
#	run CMD: PASS if it exits 0, else FAIL with the command and status.
#	Returns 0 on PASS, 1 on FAIL (so "t_check ... || exit 1" works; do
#	not use it bare under "set -e" unless that is what you want).
#   t_expect_fail NAME CMD...
#	PASS if CMD exits non-zero.  Still a FAIL: exit 0, 126/127 (command
#	not executable / not found) and death by SIGILL, SIGABRT, SIGBUS,
#	SIGFPE or SIGSEGV (a crash is not the failure one expects).
#	Returns 0 on PASS, 1 on FAIL.
#   load_modules
#	insmod rpmsg_amp_test_mbox.ko, rpmsg_amp.ko, rpmsg_amp_char.ko,
#	rpmsg_amp_net.ko from
#	/lib/modules/rpmsg in this order.  A missing file or a failing
#	insmod is reported as "RESULT FAIL <test>/load_modules: ..." and
#	returns 1; success prints nothing and returns 0.
#	Extra module parameters: LAB_MODARGS_<module>="a=1 b=2", e.g.
#	LAB_MODARGS_rpmsg_amp_test_mbox="..." before calling.
#	The first call also sets the kmemleak baseline (kmemleak_arm).
#   unload_modules
#	rmmod in reverse order, skipping modules that are not loaded, then
#	one kmemleak scan (kmemleak_phase).  A rmmod that fails or leaves
#	the module loaded is "RESULT FAIL <test>/unload_modules: ..." and
#	returns 1.
#   lab_rmmod MOD...
#	rmmod each MOD (busybox rmmod exits 0 even when it fails, so this
#	checks /sys/module/MOD is gone), then one kmemleak scan.  Returns 1
#	(printing why on the console, no RESULT line) if a module stayed.
#   kmemleak_arm
#	once per boot: wait until the board has been up 6 s, scan, and
#	clear, so that only objects allocated from now on can be reported.
#   kmemleak_phase WHAT
#	after an rmmod phase: scan; any unreferenced object is a "RESULT
#	FAIL <test>/kmemleak: after WHAT ..." with the report, and is then
#	cleared so it is reported once.  Objects younger than 5 s are not
#	reported by a scan: they are caught by the next phase or by
#	kmemleak_check.  No-op before kmemleak_arm or without kmemleak.
#	On the debug kernel a scan takes 10-13 s (five times the normal
#	kernel's: KASAN and lockdep), so there a phase only notes its name
#	and one scan when the test exits (or its kmemleak_check) covers
#	every phase noted; the failure then names them all.  The normal
#	kernel runs the same phases and still scans after each.
#   lab_variant
#	prints "normal", "debug" or "line" (lab.variant= on the kernel
#	command line: the debug kernel has KASAN, lockdep, UBSAN, ...;
#	"line" is another kernel line's normal kernel, see run-tests.sh).
#   lab_full_pass
#	true only on the main normal kernel (6.1): checks that measure
#	rather than exercise (a second round to see memory stay flat) run
#	there once, not again on every kernel line and the debug kernel.
#   lab_scale N DIV
#	prints N on the normal kernel and N / DIV (at least 1) on the
#	debug kernel, which is several times slower: for loop counts.
#   as_nobody CMD...
#	run CMD as uid/gid 65534 (nobody/nogroup), via busybox chpst; its
#	exit status.  (busybox setpriv cannot change uids; "su -s /bin/sh
#	nobody -c 'CMD'" works too.)
#   wait_for PATH [SECONDS]
#	wait until PATH exists (default 10 s); 0 when it does, 1 on timeout.
#   lab_slowdown
#	how much slower this guest runs now than the lab's quiet normal
#	kernel: times a fixed piece of work (10 fork-exec-reads of /proc:
#	kernel and user space, so the debug kernel shows), prints the
#	factor, from 1 to 10.  A busy host or the debug kernel raise it.
#   proc_gone PID
#	0 when process PID has exited (for lab_until).
#   lab_until SECONDS CMD...
#	run CMD every 100 ms until it succeeds (0) or SECONDS have gone by,
#	scaled by lab_slowdown, measured when SECONDS have run out (1).  Every wait of the suite
#	for something the kernel does goes through this or wait_for, so
#	that only a real hang fails it, not a slow host.
#   kmemleak_clear
#	forget everything kmemleak has seen so far (call after setup).
#   kmemleak_check NAME
#	waits ~6 s (kmemleak ignores objects younger than 5 s), scans twice,
#	then FAIL NAME with both counts (all unreferenced objects / those
#	whose report mentions rpmsg) and the first 40 report lines if any
#	object is reported, else PASS NAME.  SKIP if kmemleak is unavailable.
#	Note: a printed report also makes the boot:<test> check fail.
#   netns_pair
#	start two processes, each in a new network namespace (busybox ip
#	has no named namespaces), and set LAB_NS_A / LAB_NS_B to their PIDs;
#	"ip link set DEV netns $LAB_NS_A" moves a device there.
#   na CMD... / nb CMD...
#	run CMD in namespace A / B.
#   netns_stop
#	end both namespaces.
#   dmesg_mark
#	put a unique marker into the kernel log.
#   dmesg_since_mark
#	print the kernel log after the last dmesg_mark.
#
# LAB_TEST is the name of the running test (from lab.test= on the kernel
# command line), LAB_MODDIR the module directory.
#
# The kernel prints messages of level < 5 (warnings and worse) on the same
# console, so keep RESULT lines short; run-tests.sh copes with kernel text
# in front of "RESULT".

LAB_MODDIR=/lib/modules/rpmsg
LAB_MODULES="rpmsg_amp_test_mbox rpmsg_amp rpmsg_amp_char rpmsg_amp_net"
LAB_TEST=$(sed -n 's/.*lab\.test=\([^ ]*\).*/\1/p' /proc/cmdline 2>/dev/null)
: "${LAB_TEST:=shell}"
LAB_KMEMLEAK=/sys/kernel/debug/kmemleak
LAB_VARIANT=$(sed -n 's/.*lab\.variant=\([^ ]*\).*/\1/p' /proc/cmdline 2>/dev/null)
: "${LAB_VARIANT:=normal}"
_LAB_ARMED=/tmp/.lab-kmemleak-armed
_LAB_PHASES=/tmp/.lab-kmemleak-phases

lab_variant() {
	echo "$LAB_VARIANT"
}

lab_full_pass() {
	[ "$LAB_VARIANT" = normal ]
}

lab_scale() {
	if [ "$LAB_VARIANT" = debug ]; then
		_t_n=$(($1 / $2))
		[ "$_t_n" -ge 1 ] || _t_n=1
		echo "$_t_n"
	else
		echo "$1"
	fi
}

t_pass() {
	echo "RESULT PASS $1"
	return 0
}

t_fail() {
	_t_name=$1
	shift
	echo "RESULT FAIL $_t_name: $*"
	return 0
}

t_skip() {
	_t_name=$1
	shift
	echo "RESULT SKIP $_t_name: $*"
	return 0
}

t_check() {
	_t_name=$1
	shift
	"$@"
	_t_rc=$?
	if [ "$_t_rc" -eq 0 ]; then
		t_pass "$_t_name"
		return 0
	fi
	t_fail "$_t_name" "'$*' exited with status $_t_rc"
	return 1
}

t_expect_fail() {
	_t_name=$1
	shift
	"$@"
	_t_rc=$?
	case "$_t_rc" in
	0)
		t_fail "$_t_name" "'$*' succeeded but was expected to fail"
		return 1
		;;
	126 | 127)
		t_fail "$_t_name" "'$*' could not be run (status $_t_rc)"
		return 1
		;;
	132 | 134 | 135 | 136 | 139)
		t_fail "$_t_name" "'$*' crashed (signal $((_t_rc - 128)))"
		return 1
		;;
	esac
	t_pass "$_t_name"
	return 0
}

load_modules() {
	kmemleak_arm
	for _t_m in $LAB_MODULES; do
		_t_ko=$LAB_MODDIR/$_t_m.ko
		if [ ! -f "$_t_ko" ]; then
			t_fail "$LAB_TEST/load_modules" "missing $_t_ko"
			return 1
		fi
		eval "_t_args=\${LAB_MODARGS_$_t_m:-}"
		# shellcheck disable=SC2086 # module parameters are words
		if ! insmod "$_t_ko" $_t_args; then
			t_fail "$LAB_TEST/load_modules" "insmod $_t_ko $_t_args failed"
			return 1
		fi
	done
	return 0
}

unload_modules() {
	_t_ret=0
	for _t_m in $(echo "$LAB_MODULES" | tr ' ' '\n' | sed '1!G;h;$!d'); do
		[ -e "/sys/module/$_t_m/initstate" ] || continue
		rmmod "$_t_m"
		if [ -e "/sys/module/$_t_m/initstate" ]; then
			t_fail "$LAB_TEST/unload_modules" "rmmod $_t_m failed"
			_t_ret=1
		fi
	done
	kmemleak_phase unload_modules
	return $_t_ret
}

lab_rmmod() {
	_t_what="rmmod $*"
	for _t_m in "$@"; do
		rmmod "$_t_m"
		if [ -e "/sys/module/$_t_m/initstate" ]; then
			echo "lab_rmmod: $_t_m is still loaded"
			return 1
		fi
	done
	kmemleak_phase "$_t_what"
	return 0
}

kmemleak_arm() {
	[ -w "$LAB_KMEMLEAK" ] || return 0
	[ -e "$_LAB_ARMED" ] && return 0
	while [ "$(cut -d. -f1 /proc/uptime)" -lt 6 ]; do
		usleep 200000
	done
	echo scan >"$LAB_KMEMLEAK"
	echo clear >"$LAB_KMEMLEAK"
	: >"$_LAB_ARMED"
	return 0
}

kmemleak_phase() {
	[ -w "$LAB_KMEMLEAK" ] && [ -e "$_LAB_ARMED" ] || return 0
	if [ "$LAB_VARIANT" = debug ]; then
		echo "$1" >>"$_LAB_PHASES"
		return 0
	fi
	_kmemleak_scan_phases "$1"
}

# _kmemleak_read FILE: the kmemleak report into FILE, without the objects
# of the kernel's own known leaks (matched by their content), each printed
# as one "KNOWN" line:
#   - the driver core keeps the "Device not ready to probe" reason that
#     __driver_probe_device() records (dev_err_probe(), -EPROBE_DEFER)
#     when a driver registers while one of the bus's devices is still in
#     device_add(), and frees it only for devices on the deferred list,
#     which this one never joins (6.1 up to 7.2): 64 bytes each time an
#     rpmsg driver's module is loaded as the other side announces.
_kmemleak_read() {
	awk '
	function flush() {
		if (blk == "")
			return
		# the string itself (the text of the hex dump, cut in two at
		# 16 bytes): on the debug kernel the backtrace stops in KASAN
		# and lockdep before it reaches the driver core
		if (blk ~ /rpmsg: Device no/ && blk ~ /t ready to probe/)
			print "KNOWN driver core: deferred-probe reason of a device not ready to probe never freed (kernel bug)" > known
		else
			printf "%s", blk
		blk = ""
	}
	/^unreferenced object/ { flush() }
	{ blk = blk $0 "\n" }
	END { flush() }' known="$1.known" "$LAB_KMEMLEAK" >"$1"
	[ ! -s "$1.known" ] || sort -u "$1.known"
	rm -f "$1.known"
}

# One scan; a leak is a FAIL naming WHAT (the phases it covers).
_kmemleak_scan_phases() {
	echo scan >"$LAB_KMEMLEAK"
	_t_rep=/tmp/kmemleak-phase.$$
	_kmemleak_read "$_t_rep"
	_t_all=$(grep -c '^unreferenced object' "$_t_rep")
	if [ "$_t_all" -gt 0 ]; then
		t_fail "$LAB_TEST/kmemleak" "after $1: $_t_all unreferenced object(s)"
		head -n 40 "$_t_rep" | sed 's/^/  kmemleak| /'
		echo clear >"$LAB_KMEMLEAK"
		rm -f "$_t_rep"
		return 1
	fi
	rm -f "$_t_rep"
	return 0
}

# The phases the debug kernel deferred (kmemleak_phase), scanned once.
_kmemleak_deferred() {
	[ -s "$_LAB_PHASES" ] || return 0
	_t_ph=$(tr '\n' ',' <"$_LAB_PHASES" | sed 's/,$//; s/,/, /g')
	: >"$_LAB_PHASES"
	_kmemleak_scan_phases "$_t_ph"
}

_lab_exit() {
	_t_xrc=$?
	_kmemleak_deferred
	exit $_t_xrc
}
trap _lab_exit EXIT

as_nobody() {
	chpst -u nobody:nogroup "$@"
}

# The work lab_slowdown times, and what it takes on the quiet lab board
# (normal 6.1 kernel, 2 vCPUs, idle host), in centiseconds.
LAB_CAL_REF_CS=${LAB_CAL_REF_CS:-10}
_lab_cal_work() {
	_c=0
	while [ $_c -lt 10 ]; do
		cat /proc/uptime /proc/self/stat >/dev/null 2>&1
		_c=$((_c + 1))
	done
}

_lab_cs() {
	sed 's/^\([0-9]*\)\.\([0-9]*\) .*/\1\2/' /proc/uptime
}

lab_cal_cs() {
	_s0=$(_lab_cs)
	_lab_cal_work
	_s1=$(_lab_cs)
	echo $((_s1 - _s0))
}

lab_slowdown() {
	_sd=$(( ($(lab_cal_cs) + LAB_CAL_REF_CS - 1) / LAB_CAL_REF_CS ))
	[ "$_sd" -ge 1 ] || _sd=1
	# a guest 10 times slower than quiet is hung, not slow
	[ "$_sd" -le 10 ] || _sd=10
	echo "$_sd"
}

proc_gone() {
	! kill -0 "$1" 2>/dev/null
}

# Messages the char devices $1 and $2 (/dev/rpmsgN_M) dropped because
# their queue was full.
cdev_dropped() {
	echo $(($(cat "/sys/class/misc/${1#/dev/}/rx_dropped") + $(cat "/sys/class/misc/${2#/dev/}/rx_dropped")))
}

# stress_check NAME DEV_A DEV_B DROPPED_BEFORE OUTPUT RC: judge a lossy
# rpmsg_stress run (-L) that wrote OUTPUT and exited RC: PASS when it
# succeeded and every message it lost is counted in the two devices'
# rx_dropped (a full queue drops by design, Documentation/usage.rst).
stress_check() {
	_sc_lost=$(sed -n 's/.*SUMMARY.* lost=\([0-9]*\) .*/\1/p' "$5")
	_sc_drop=$(($(cdev_dropped "$2" "$3") - $4))
	if [ "$6" = 0 ] && [ -n "$_sc_lost" ] && [ "$_sc_lost" = "$_sc_drop" ]; then
		echo "FIGURE $1: $_sc_lost messages dropped by a full queue, all counted"
		t_pass "$1"
	else
		tail -n 5 "$5"
		t_fail "$1" "rpmsg_stress exited $6, ${_sc_lost:-?} lost, $_sc_drop counted in rx_dropped"
	fi
}

# stress_counted NAME DEV_A DEV_B [rpmsg_stress options]: run it lossy
# and judge it with stress_check.
stress_counted() {
	_sc_name=$1
	_sc_a=$2
	_sc_b=$3
	shift 3
	_sc_d0=$(cdev_dropped "$_sc_a" "$_sc_b")
	rpmsg_stress -a "$_sc_a" -b "$_sc_b" -L "$@" > /tmp/stress_counted.out 2>&1
	stress_check "$_sc_name" "$_sc_a" "$_sc_b" "$_sc_d0" /tmp/stress_counted.out $?
}

# The calibration costs forks, which a loaded guest can ill afford: the
# waits first use their nominal time, and only when that ran out measure
# the slowdown and wait on for the rest of the scaled time.
lab_until() {
	_u_secs=$1
	_u_ticks=$((_u_secs * 10))
	_u_scaled=0
	shift
	until "$@"; do
		if [ "$_u_ticks" -le 0 ]; then
			[ "$_u_scaled" = 0 ] || return 1
			_u_scaled=1
			_u_ticks=$((_u_secs * 10 * ($(lab_slowdown) - 1)))
			[ "$_u_ticks" -gt 0 ] || return 1
		fi
		_u_ticks=$((_u_ticks - 1))
		usleep 100000
	done
	return 0
}

wait_for() {
	lab_until "${2:-10}" test -e "$1"
}

kmemleak_clear() {
	[ -w "$LAB_KMEMLEAK" ] || return 0
	echo clear >"$LAB_KMEMLEAK"
	: >"$_LAB_ARMED"
	return 0
}

kmemleak_check() {
	_t_name=$1
	if [ ! -e "$LAB_KMEMLEAK" ]; then
		t_skip "$_t_name" "no $LAB_KMEMLEAK"
		return 0
	fi
	sleep 6
	if ! echo scan >"$LAB_KMEMLEAK"; then
		t_fail "$_t_name" "kmemleak scan failed (kmemleak disabled? see dmesg)"
		return 1
	fi
	sleep 1
	echo scan >"$LAB_KMEMLEAK"
	# this scan covers the phases the debug kernel deferred
	: >"$_LAB_PHASES"
	_t_rep=/tmp/kmemleak.$$
	_kmemleak_read "$_t_rep"
	_t_all=$(grep -c '^unreferenced object' "$_t_rep")
	# Each object's block starts with "unreferenced object"; count the
	# blocks that mention rpmsg anywhere (e.g. in the backtrace).
	_t_rp=$(awk '/^unreferenced object/ { if (hit) n++; hit = 0 }
		     /rpmsg/ { hit = 1 }
		     END { if (hit) n++; print n + 0 }' "$_t_rep")
	if [ "$_t_all" -gt 0 ]; then
		t_fail "$_t_name" "kmemleak: $_t_all unreferenced object(s), $_t_rp mentioning rpmsg"
		head -n 40 "$_t_rep" | sed 's/^/  kmemleak| /'
		rm -f "$_t_rep"
		return 1
	fi
	rm -f "$_t_rep"
	t_pass "$_t_name"
	return 0
}

_LAB_MARK_FILE=/tmp/.lab-dmesg-mark

dmesg_mark() {
	_t_n=$(($(cat "$_LAB_MARK_FILE" 2>/dev/null || echo 0) + 1))
	echo "$_t_n" >"$_LAB_MARK_FILE"
	# <6>: KERN_INFO, below loglevel=5 so it stays off the console.
	echo "<6>lab-mark $_t_n" >/dev/kmsg
}

dmesg_since_mark() {
	_t_n=$(cat "$_LAB_MARK_FILE" 2>/dev/null || echo 0)
	if [ "$_t_n" -eq 0 ]; then
		dmesg
		return 0
	fi
	dmesg | awk -v m="lab-mark $_t_n" \
		'found { print } index($0, m) && substr($0, length($0) - length(m) + 1) == m { found = 1 }'
}

# ctrl_of CHANNEL: the control device /dev/rpmsg_ctrlK of CHANNEL's rpmsg
# bus (each channel, master or remote, has its own; rpmsg_ctrl, 5.18 on)
ctrl_of() {
	for _c in /sys/class/rpmsg/rpmsg_ctrl*; do
		case "$(readlink -f "$_c")" in
		*"/$1/$1.msgbufs/"*) echo "/dev/${_c##*/}"; return 0 ;;
		esac
	done
	return 1
}

netns_pair() {
	unshare -n sleep 100000 &
	LAB_NS_A=$!
	unshare -n sleep 100000 &
	LAB_NS_B=$!
	usleep 200000
	na ip link set lo up
	nb ip link set lo up
}

na() {
	nsenter -t "$LAB_NS_A" -n "$@"
}

nb() {
	nsenter -t "$LAB_NS_B" -n "$@"
}

netns_stop() {
	kill "$LAB_NS_A" "$LAB_NS_B" 2> /dev/null
	wait "$LAB_NS_A" "$LAB_NS_B" 2> /dev/null
	return 0
}

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The project's test command.
#
# Usage: scripts/run-tests.sh [-v] [--only NAME]... [--kernel K]...
#
#   --only NAME   run only the guest test tests/guest/NAME.sh (repeatable;
#                 host tests are skipped then); "two" is the two-guest lab
#   --kernel K    run the guest tests on kernel K only (repeatable): normal
#                 or debug (6.1), or another kernel line, 5.10 or sid (the
#                 newest line Debian's sid has, 7.2 today).  Default: normal,
#                 debug, 5.10, sid, in that order
#   -v            echo each guest console live
#
# The full guest suite runs on 6.1 (normal and debug).  The other kernel
# lines, 5.10 (the Milk-V Duo SDK's) and sid's, boot the modules for
# $LINE_TESTS, both roles; their results are prefixed "5.10:" and "7.2:"
# (the version actually built).
#
# Steps: scripts/install-deps.sh, scripts/lab/build-busybox.sh and
# fetch-tools.sh (Debian's riscv64 ip, ethtool, iperf3, ping); then for
# each kernel: scripts/lab/build-kernel.sh [debug], build-modules.sh and
# mkinitramfs.sh (a failing step is counted as "FAIL build:<step>" and ends
# the run), then one QEMU boot per tests/guest/*.sh (except lib.sh,
# demo.sh and scripts with a "# run-tests: skip" line, e.g. benchmarks;
# --only still runs those) with scripts/lab/run-qemu.sh; then the
# two-guest lab (scripts/lab/two.py: master and remote in two guests, 6.1
# on both, then 7.2 and 5.10 each way); then every tests/host/*.sh.  With other kernels to test, the debug kernel's boots
# run in a second lane beside theirs (its output, $RPMSG_LAB_OUT/logs/
# lane-debug.out, is shown when both lanes are done).  Concurrent runs on
# the same out/ directory wait for each other (flock on
# $RPMSG_LAB_OUT/.lock).
#
# The debug kernel (scripts/lab/kernel-debug.config: KASAN, lockdep,
# UBSAN, DEBUG_OBJECTS, kmemleak, ...) runs the same guest tests with its
# own modules and initramfs in $RPMSG_LAB_OUT/debug; its results are
# prefixed "debug:", its timeouts multiplied by LAB_DEBUG_SLOWDOWN
# (default 3), and the guest sees lab.variant=debug (lab_scale in
# tests/guest/lib.sh shortens long loops there).
#
# Counted tests:
#   - each "RESULT PASS|FAIL|SKIP" line a guest or host script prints,
#     shown here as "PASS NAME", "FAIL NAME: MSG", "SKIP NAME: REASON";
#   - per guest boot, "boot:NAME", which fails when the boot timed out, did
#     not reach "=== lab: end", exited non-zero without reporting a FAIL,
#     reported no result at all, or when the console log shows a kernel
#     problem (Oops, BUG:, WARNING:, panic, kmemleak report, hung task,
#     Call Trace:, UBSAN, KASAN, ODEBUG, ... see BAD_RE below; the
#     kernel's own known bugs in known_kernel_issues are printed as
#     "KNOWN" instead); the message names the tool that reported it;
#   - per host script, "host:NAME" fails (only) when the script exited
#     non-zero without reporting a FAIL, or reported no result.
# The last line is "N passed, N failed, N skipped"; the exit status is 1
# when anything failed or no test ran.
#
# Logs: ${RPMSG_LAB_OUT:-<repo>/out}/logs/ (NAME.log per guest console,
# host-NAME.log, build-*.log), debug kernel: .../out/debug/logs/.
set -e
. "$(dirname "$0")/lab/common.sh"

BAD_RE='Oops|Unable to handle kernel|BUG:|WARNING:|Kernel panic|general protection|unreferenced object|INFO: task .* blocked|Call Trace:|kernel BUG|rcu: INFO|list_add corruption|list_del corruption|UBSAN|KASAN|hung_task|ODEBUG|possible circular locking|inconsistent lock state|suspicious RCU usage'

# known_kernel_issues: the console log on stdin without the reports of
# known bugs in the kernel itself (not in the modules), each matched by its
# whole report, from "cut here" to "end trace"; one line "KNOWN <what>"
# per report removed, so the output still shows it.  Only these:
#   - virtio_rpmsg_bus's blocking send takes its tx_lock mutex inside the
#     condition of wait_event_interruptible_timeout() (get_a_tx_buf(),
#     unchanged up to 7.2), which DEBUG_ATOMIC_SLEEP reports once per boot
#     as "do not call blocking ops when !TASK_RUNNING" when a sender of the
#     kernel's own (rpmsg_char, say) waits for a transmit buffer.
known_kernel_issues() {
	tr -d '\r' | awk '
	function flush(   known) {
		known = blk ~ /do not call blocking ops when !TASK_RUNNING/ &&
			blk ~ /get_a_tx_buf/ && blk ~ /rpmsg_send_offchannel_raw/
		if (known)
			print "KNOWN virtio_rpmsg_bus: get_a_tx_buf() sleeps in a wait condition (mainline bug, DEBUG_ATOMIC_SLEEP)"
		else
			printf "%s", blk
		blk = ""
		inblk = 0
	}
	/------------\[ cut here \]------------/ { if (inblk) flush(); inblk = 1 }
	inblk { blk = blk $0 "\n"; if ($0 ~ /---\[ end trace/) flush(); next }
	{ print }
	END { if (inblk) flush() }'
}

# tools_of: read the bad console lines on stdin, print the tools that
# reported them, comma-separated.
tools_of() {
	awk '
	/KASAN/ { t["KASAN"] = 1; next }
	/UBSAN/ { t["UBSAN"] = 1; next }
	/unreferenced object|kmemleak/ { t["kmemleak"] = 1; next }
	/ODEBUG/ { t["DEBUG_OBJECTS"] = 1; next }
	/locking|lock state|lock held|RCU usage|unlock balance|lockdep|lock inversion/ { t["lockdep"] = 1; next }
	/sleeping function called from invalid context|scheduling while atomic/ { t["DEBUG_ATOMIC_SLEEP"] = 1; next }
	/list_add corruption|list_del corruption/ { t["DEBUG_LIST"] = 1; next }
	/INFO: task .* blocked|hung_task/ { t["hung task detector"] = 1; next }
	/rcu: INFO/ { t["RCU stall detector"] = 1; next }
	/Call Trace:/ { trace = 1; next }
	{ t["kernel (oops/BUG/WARNING)"] = 1 }
	END {
		s = ""
		for (k in t)
			s = s (s == "" ? "" : ", ") k
		if (s == "" && trace)
			s = "kernel (backtrace)"
		print s
	}'
}

# The guest tests every kernel line besides 6.1 runs.
LINE_TESTS="basic net kunit remove hostile mainline interop"

ONLY=""
VFLAG=""
KERNELS=""
while [ $# -gt 0 ]; do
	case "$1" in
	--only)
		[ $# -ge 2 ] || { echo "usage: $0 [-v] [--only NAME]..." >&2; exit 2; }
		ONLY="$ONLY ${2%.sh}"
		shift
		;;
	--only=*) ONLY="$ONLY ${1#--only=}" ;;
	--kernel)
		case "${2:-}" in
		normal | debug | sid | [0-9]*.[0-9]*) KERNELS="$KERNELS $2" ;;
		*) echo "$0: --kernel takes normal, debug, sid or X.Y" >&2; exit 2 ;;
		esac
		shift
		;;
	-v) VFLAG=-v ;;
	-h | --help) sed -n '3,/^set -e/s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) echo "usage: $0 [-v] [--only NAME]... [--kernel K]..." >&2; exit 2 ;;
	esac
	shift
done

LOGDIR=$LAB_OUT/logs
mkdir -p "$LOGDIR"
RPMSG_LAB_OUT=$LAB_OUT
RPMSG_LAB_CACHE=$LAB_CACHE
export RPMSG_LAB_OUT RPMSG_LAB_CACHE
npass=0
nfail=0
nskip=0

# result STATUS NAME [MSG]: count and print one test result ($PREFIX,
# "debug:" on the debug kernel, goes in front of NAME).
PREFIX=""
result() {
	case "$1" in
	PASS) npass=$((npass + 1)); echo "PASS $PREFIX$2" ;;
	FAIL) nfail=$((nfail + 1)); echo "FAIL $PREFIX$2: $3" ;;
	SKIP) nskip=$((nskip + 1)); echo "SKIP $PREFIX$2: $3" ;;
	esac
}

# kill_tree PID: PID and every process below it.
kill_tree() {
	for _c in $(pgrep -P "$1" 2>/dev/null); do
		kill_tree "$_c"
	done
	kill "$1" 2>/dev/null || true
}

finish() {
	# a run that ends early (a failed step) stops its background builds;
	# the debug lane's own end is not the run's
	if [ -n "${PREBUILD_PID:-}" ] && [ -z "${IN_LANE:-}" ]; then
		kill_tree "$PREBUILD_PID"
	fi
	echo "$npass passed, $nfail failed, $nskip skipped"
	if [ "$nfail" -gt 0 ] || [ $((npass + nfail + nskip)) -eq 0 ]; then
		exit 1
	fi
	exit 0
}

# step NAME CMD...: run a preparation step; the last line of its stdout is
# kept in $step_out (the others are shown).  A failure is "FAIL build:NAME"
# and ends the run.
STEP_OUT=$LOGDIR/.step-out
step() {
	_name=$1
	shift
	if ! "$@" >"$STEP_OUT"; then
		cat "$STEP_OUT" >&2
		result FAIL "build:$_name" "'$*' failed (see above)"
		finish
	fi
	sed '$d' "$STEP_OUT" >&2
	step_out=$(tail -n 1 "$STEP_OUT")
	rm -f "$STEP_OUT"
}

# collect LOG [STOPLINE]: count the RESULT lines of LOG (up to the first
# line equal to STOPLINE).  Sets n_results and n_fails.
collect() {
	n_results=0
	n_fails=0
	_res=$(tr -d '\r' <"$1" | awk -v stop="${2:-}" '
		stop != "" && $0 == stop { exit }
		{
			i = index($0, "RESULT ")
			if (!i)
				next
			s = substr($0, i + 7)
			if (s ~ /^(PASS|FAIL|SKIP) /)
				print s
		}')
	while IFS= read -r line; do
		[ -n "$line" ] || continue
		st=${line%% *}
		rest=${line#* }
		case "$st" in
		PASS) result PASS "$rest" ;;
		*)
			name=${rest%%: *}
			msg=${rest#"$name"}
			msg=${msg#: }
			result "$st" "$name" "$msg"
			[ "$st" = FAIL ] && n_fails=$((n_fails + 1))
			;;
		esac
		n_results=$((n_results + 1))
	done <<EOF
$_res
EOF
}

# ---- preparation -------------------------------------------------------
cd "$REPO"
lab_lock
[ -n "$KERNELS" ] || KERNELS="normal debug 5.10 sid"
T_START=$(date +%s)
step install-deps "$REPO/scripts/install-deps.sh"

# prebuild: the builds the later phases need, in the background: the
# kernels one after the other in the order the lanes need them (a lane
# whose kernel is not built yet builds it itself, see build-kernel.sh's
# locks), and beside them, at the lowest CPU priority, the gates' prepared
# trees, which soak up the time the guests leave idle.  The kernels run at
# normal priority: at nice 19 beside two busy lanes the 5.10 kernel took
# 30 minutes in a cold run while the 6.1 lane waited for it.  A build that
# failed here is simply run again in the foreground, where its failure is
# reported.  The guest tests' waits scale with the guest's measured speed
# (lab_slowdown in tests/guest/lib.sh), so the load does not fail them.
# It starts before busybox, whose configuration steps leave a core idle.
prebuild() {
	if [ -z "$ONLY" ]; then
		(
			for t in $LAB_GATE_TARGETS; do
				for v in $(lab_gate_kvers); do
					LAB_KVER=$v nice -n 19 "$LAB_DIR/prepare-tree.sh" "$t"
				done
			done
			nice -n 19 "$LAB_DIR/prepare-tree.sh" x86_64-llvm
		) &
	fi
	for k in $KERNELS; do
		case "$k" in
		normal) "$LAB_DIR/build-kernel.sh" normal ;;
		debug) "$LAB_DIR/build-kernel.sh" debug ;;
		sid) LAB_KVER=$(lab_kver_sid) "$LAB_DIR/build-kernel.sh" ;;
		*) LAB_KVER=$k "$LAB_DIR/build-kernel.sh" ;;
		esac
	done
	wait
}

(
	RPMSG_LAB_OUT=$LAB_OUT/prebuild
	export RPMSG_LAB_OUT
	prebuild
) >"$LOGDIR/prebuild.log" 2>&1 </dev/null &
PREBUILD_PID=$!

step busybox "$LAB_DIR/build-busybox.sh"
BUSYBOX=$step_out
export BUSYBOX
step tools "$LAB_DIR/fetch-tools.sh"
DEBTOOLS=$step_out
export DEBTOOLS

if [ -n "$ONLY" ]; then
	TESTS=$ONLY
	for t in $TESTS; do
		# "two": the two-guest lab (two_guests below)
		[ -f "$REPO/tests/guest/$t.sh" ] || [ "$t" = two ] ||
			result FAIL "boot:$t" "no such guest test tests/guest/$t.sh"
	done
else
	TESTS=""
	for f in "$REPO"/tests/guest/*.sh; do
		[ -f "$f" ] || continue
		t=$(basename "$f" .sh)
		case "$t" in lib | demo) continue ;; esac
		if grep -q '^# run-tests: skip' "$f"; then
			lab_msg "not running $t (it has a '# run-tests: skip' line)"
			continue
		fi
		TESTS="$TESTS $t"
	done
fi

# guest_tests KERNEL: build the modules and initramfs for KERNEL and boot
# every guest test on it (KERNEL: normal, debug, or a kernel line X.Y).
guest_tests() {
	_k=$1
	_tests=$TESTS
	LAB_KVER=6.1
	_variant=$_k
	case "$_k" in
	debug)
		PREFIX="debug:"
		RPMSG_LAB_OUT=$LAB_OUT/debug
		LAB_TIMEOUT_SCALE=${LAB_DEBUG_SLOWDOWN:-3}
		;;
	normal)
		PREFIX=""
		RPMSG_LAB_OUT=$LAB_OUT
		LAB_TIMEOUT_SCALE=1
		;;
	*)
		LAB_KVER=$_k
		PREFIX="$_k:"
		RPMSG_LAB_OUT=$LAB_OUT/linux-$_k
		LAB_TIMEOUT_SCALE=1
		_variant=line
		if [ -z "$ONLY" ]; then
			_tests=""
			for t in $LINE_TESTS; do
				case " $TESTS " in *" $t "*) _tests="$_tests $t" ;; esac
			done
		fi
		;;
	esac
	LAB_VARIANT=$_variant
	export RPMSG_LAB_OUT LAB_TIMEOUT_SCALE LAB_VARIANT LAB_KVER
	_logdir=$RPMSG_LAB_OUT/logs
	mkdir -p "$_logdir"
	_t0=$(date +%s)

	# a kernel line boots its normal kernel
	_build=$_variant
	[ "$_build" != line ] || _build=normal
	step kernel "$LAB_DIR/build-kernel.sh" "$_build"
	KDIR=$step_out
	export KDIR
	# The modules are built in the source tree: one lane at a time, until
	# they are packed into this kernel's initramfs.
	exec 7>"$LAB_OUT/.modules-lock"
	flock 7
	step modules "$LAB_DIR/build-modules.sh"
	step initramfs "$LAB_DIR/mkinitramfs.sh"
	flock -u 7
	exec 7>&-

	lab_msg "phase: kernel ${PREFIX:-normal:} built and ready in $(($(date +%s) - _t0)) s"
	_t0=$(date +%s)
	for t in $_tests; do
		[ -f "$REPO/tests/guest/$t.sh" ] || continue
		log=$_logdir/$t.log
		rm -f "$log"
		# Its status is not needed: the log tells how the boot went.
		"$LAB_DIR/run-qemu.sh" $VFLAG "$t" || true

		why=""
		n_results=0
		n_fails=0
		if [ ! -f "$log" ]; then
			why="QEMU did not start (setup failed, see above)"
		else
			collect "$log" "=== lab: dmesg ==="
			end=$(tr -d '\r' <"$log" |
				sed -n "s/^=== lab: end $t rc=\\([0-9]*\\) ===\$/\\1/p" | tail -n 1)
			if grep -q "^=== lab(host): TIMEOUT" "$log"; then
				why="timed out (QEMU killed)"
			elif grep -q "^=== lab: test timed out" "$log"; then
				why="timed out (guest watchdog killed the test)"
			elif [ -z "$end" ]; then
				why="the board stopped before '=== lab: end $t'"
			elif [ "$end" -ne 0 ] && [ "$n_fails" -eq 0 ]; then
				why="test script exited with rc=$end without reporting a FAIL"
			elif [ "$n_results" -eq 0 ]; then
				why="test script reported no RESULT line"
			fi
		fi
		bad=""
		if [ -f "$log" ]; then
			known_kernel_issues <"$log" | grep '^KNOWN ' | sort -u |
				sed 's/^/lab: boot:'"$t"': /' || true
			bad=$(known_kernel_issues <"$log" | grep -E "$BAD_RE" | awk '!seen[$0]++' | head -n 30)
		fi
		if [ -n "$bad" ]; then
			why="${why:+$why; }kernel problem in the console log, reported by: $(echo "$bad" | tools_of)"
		fi
		if [ -n "$why" ]; then
			result FAIL "boot:$t" "$why (log: $log)"
			[ -z "$bad" ] || echo "$bad" | sed 's/^/    | /'
			# Where it stopped, for a reader who has only this
			# output: the guest watchdog's dump of the busy tasks,
			# or the last console lines of a boot that did not end.
			if grep -q "^=== lab: test timed out" "$log" 2>/dev/null; then
				tr -d '\r' <"$log" |
					sed -n '/^=== lab: test timed out/,/^=== lab: dmesg ===/p' |
					head -n 300 | sed 's/^/    | /'
			elif [ -f "$log" ] && [ -z "$end" ]; then
				echo "    last lines of $log:"
				tr -d '\r' <"$log" | tail -n 60 | sed 's/^/    | /'
			fi
		else
			result PASS "boot:$t"
		fi
	done
	lab_msg "phase: guest tests ${PREFIX:-normal:} $(($(date +%s) - _t0)) s"
	PREFIX=""
}


# two_pair TAG MASTER REMOTE [TEST...]: the two-guest lab (scripts/lab/
# two.py) with the master on kernel MASTER and the remote on REMOTE (each
# normal, or a kernel line X.Y whose lane ran above); counts its RESULT
# lines and, per guest, "boot:TAG-master" and "boot:TAG-remote" as for a
# guest boot (kernel problems in the console log).
two_pair() {
	_tag=$1 _mk=$2 _rk=$3
	shift 3
	_args=""
	_variant=normal
	for _side in "$_mk" "$_rk"; do
		if [ "$_side" = normal ]; then
			_kd=$(LAB_KVER=6.1 "$LAB_DIR/build-kernel.sh" normal | tail -n 1)
			_ir=$LAB_OUT/initramfs.cpio.gz
		elif [ "$_side" = debug ]; then
			_kd=$(LAB_KVER=6.1 "$LAB_DIR/build-kernel.sh" debug | tail -n 1)
			_ir=$LAB_OUT/debug/initramfs.cpio.gz
			_variant=debug
		else
			_kd=$(LAB_KVER=$_side "$LAB_DIR/build-kernel.sh" normal | tail -n 1)
			_ir=$LAB_OUT/linux-$_side/initramfs.cpio.gz
		fi
		_args="$_args $_kd $_ir"
	done
	# shellcheck disable=SC2086 # two paths per side, no spaces in them
	set -- $_args "$@"
	_mdir=$1 _mir=$2 _rdir=$3 _rir=$4
	shift 4
	_log=$LOGDIR/$_tag.out
	lab_msg "two guests $_tag: master on $_mk, remote on $_rk (log: $_log)"
	_t0=$(date +%s)
	_rc=0
	python3 "$LAB_DIR/two.py" --tag "$_tag" --logdir "$LOGDIR" \
		--variant "$_variant" \
		--master "$_mdir" "$_mir" --remote "$_rdir" "$_rir" "$@" \
		>"$_log" 2>&1 </dev/null || _rc=$?
	collect "$_log"
	grep '^FIGURE ' "$_log" || true
	if [ "$_rc" -ne 0 ] && [ "$n_fails" -eq 0 ]; then
		result FAIL "two:$_tag" "exited with rc=$_rc without reporting a FAIL (log: $_log)"
	elif [ "$n_results" -eq 0 ]; then
		result FAIL "two:$_tag" "reported no RESULT line (log: $_log)"
	fi
	for _g in master remote; do
		_glog=$LOGDIR/$_tag-$_g.log
		bad=$(known_kernel_issues <"$_glog" 2>/dev/null | grep -E "$BAD_RE" | awk '!seen[$0]++' | head -n 30)
		if [ -n "$bad" ]; then
			result FAIL "boot:$_tag-$_g" "kernel problem in the console log, reported by: $(echo "$bad" | tools_of) (log: $_glog)"
			echo "$bad" | sed 's/^/    | /'
		else
			result PASS "boot:$_tag-$_g"
		fi
	done
	lab_msg "phase: two guests $_tag $(($(date +%s) - _t0)) s"
}

# two_guests_debug: the two-guest lab on the debug kernel (lockdep, KASAN,
# kmemleak on both sides): basic and both kills, with the debug lane's
# timeout scale.
two_guests_debug() {
	case " $ONLY " in
	"  " | *" two "*) ;;
	*) return 0 ;;
	esac
	LAB_TIMEOUT_SCALE=${LAB_DEBUG_SLOWDOWN:-3} two_pair two-debug debug debug \
		basic kill-remote kill-master
}

# The two-guest lab: both sides on 6.1 with every test, then each side on
# the newest line with the other on 5.10 (basic and net), for the kernels
# whose lanes ran.  With --only, only when "two" is named.
two_guests() {
	case " $ONLY " in
	"  " | *" two "*) ;;
	*) return 0 ;;
	esac
	case " $KERNELS " in *" normal "*) two_pair two normal normal ;; esac
	_sid=$(lab_kver_sid)
	case " $KERNELS " in *" 5.10 "*) ;; *) return 0 ;; esac
	case " $KERNELS " in *" sid "*) ;; *) return 0 ;; esac
	two_pair "two-$_sid-5.10" "$_sid" 5.10 basic net
	two_pair "two-5.10-$_sid" 5.10 "$_sid" basic net
}

# The debug kernel's guests keep a core busy, the others leave most of one
# idle: with other kernels to test, the debug kernel's tests run beside
# them in a second lane, and its output is shown when both lanes are done.
LANE_DEBUG=""
case " $KERNELS " in
*" debug "*) [ "$(echo $KERNELS | wc -w)" -eq 1 ] || LANE_DEBUG=$LOGDIR/lane-debug.out ;;
esac
if [ -n "$LANE_DEBUG" ]; then
	(
		STEP_OUT=$LOGDIR/.step-out-debug
		IN_LANE=1
		guest_tests debug
		two_guests_debug
	) >"$LANE_DEBUG" 2>&1 </dev/null &
	LANE_PID=$!
	lab_msg "lane: the debug kernel's guest tests run beside the others (output: $LANE_DEBUG)"
fi
for k in $KERNELS; do
	[ "$k" != debug ] || [ -z "$LANE_DEBUG" ] || continue
	[ "$k" != sid ] || k=$(lab_kver_sid)
	guest_tests "$k"
	[ "$k" != debug ] || two_guests_debug
done
two_guests
if [ -n "$LANE_DEBUG" ]; then
	lane_rc=0
	wait "$LANE_PID" || lane_rc=$?
	lab_msg "lane: the debug kernel's guest tests:"
	# its own summary line (after a failed build step) is not repeated
	grep -Ev '^[0-9]+ passed, [0-9]+ failed' "$LANE_DEBUG" || true
	_p=$(grep -c '^PASS ' "$LANE_DEBUG" || true)
	_f=$(grep -c '^FAIL ' "$LANE_DEBUG" || true)
	_s=$(grep -c '^SKIP ' "$LANE_DEBUG" || true)
	npass=$((npass + _p))
	nfail=$((nfail + _f))
	nskip=$((nskip + _s))
	if [ "$lane_rc" -ne 0 ] && [ "$_f" -eq 0 ]; then
		result FAIL "lane:debug" "exited with rc=$lane_rc without reporting a FAIL (output: $LANE_DEBUG)"
	elif [ $((_p + _f + _s)) -eq 0 ]; then
		result FAIL "lane:debug" "reported no result (output: $LANE_DEBUG)"
	fi
fi
wait "$PREBUILD_PID" || true
PREBUILD_PID=""
lab_msg "phase: background builds done (log: $LOGDIR/prebuild.log)"
# The host gates that build against the lab kernel (sparse, modinfo) use
# 6.1's, not the last kernel line booted above.
RPMSG_LAB_OUT=$LAB_OUT
LAB_KVER=6.1
export RPMSG_LAB_OUT LAB_KVER
unset KDIR

# ---- host tests --------------------------------------------------------
if [ -z "$ONLY" ]; then
	for f in "$REPO"/tests/host/*.sh; do
		[ -f "$f" ] || continue
		t=$(basename "$f" .sh)
		log=$LOGDIR/host-$t.log
		lab_msg "host test $t (log: $log)"
		_h0=$(date +%s)
		rc=0
		if [ -x "$f" ]; then
			"$f" >"$log" 2>&1 </dev/null || rc=$?
		else
			sh "$f" >"$log" 2>&1 </dev/null || rc=$?
		fi
		collect "$log"
		if [ "$rc" -ne 0 ] && [ "$n_fails" -eq 0 ]; then
			result FAIL "host:$t" "exited with rc=$rc without reporting a FAIL (log: $log)"
		elif [ "$n_results" -eq 0 ]; then
			result FAIL "host:$t" "reported no RESULT line (log: $log)"
		fi
		lab_msg "phase: host test $t $(($(date +%s) - _h0)) s"
	done
fi
lab_msg "phase: all $(($(date +%s) - T_START)) s"

finish

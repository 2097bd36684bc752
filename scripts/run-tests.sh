#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The project's test command.
#
# Usage: scripts/run-tests.sh [-v] [--only NAME]...
#
#   --only NAME   run only the guest test tests/guest/NAME.sh (repeatable;
#                 host tests are skipped then)
#   -v            echo each guest console live
#
# Steps: scripts/install-deps.sh, then scripts/lab/build-kernel.sh,
# build-busybox.sh, build-modules.sh and mkinitramfs.sh (a failing step is
# counted as "FAIL build:<step>"), then one QEMU boot per tests/guest/*.sh
# (except lib.sh, demo.sh and scripts with a "# run-tests: skip" line, e.g.
# benchmarks; --only still runs those) with scripts/lab/run-qemu.sh, then
# every tests/host/*.sh.  Concurrent runs on the same out/ directory wait
# for each other (flock on $RPMSG_LAB_OUT/.lock).
#
# Counted tests:
#   - each "RESULT PASS|FAIL|SKIP" line a guest or host script prints,
#     shown here as "PASS NAME", "FAIL NAME: MSG", "SKIP NAME: REASON";
#   - per guest boot, "boot:NAME", which fails when the boot timed out, did
#     not reach "=== lab: end", exited non-zero without reporting a FAIL,
#     reported no result at all, or when the console log shows a kernel
#     problem (Oops, BUG:, WARNING:, panic, kmemleak report, hung task,
#     Call Trace:, UBSAN, KASAN, ... see BAD_RE below);
#   - per host script, "host:NAME" fails (only) when the script exited
#     non-zero without reporting a FAIL, or reported no result.
# The last line is "N passed, N failed, N skipped"; the exit status is 1
# when anything failed or no test ran.
#
# Logs: ${RPMSG_LAB_OUT:-<repo>/out}/logs/ (NAME.log per guest console,
# host-NAME.log, build-*.log).
set -e
. "$(dirname "$0")/lab/common.sh"

BAD_RE='Oops|Unable to handle kernel|BUG:|WARNING:|Kernel panic|general protection|unreferenced object|INFO: task .* blocked|Call Trace:|kernel BUG|rcu: INFO|list_add corruption|UBSAN|KASAN|hung_task'

ONLY=""
VFLAG=""
while [ $# -gt 0 ]; do
	case "$1" in
	--only)
		[ $# -ge 2 ] || { echo "usage: $0 [-v] [--only NAME]..." >&2; exit 2; }
		ONLY="$ONLY ${2%.sh}"
		shift
		;;
	--only=*) ONLY="$ONLY ${1#--only=}" ;;
	-v) VFLAG=-v ;;
	-h | --help) sed -n '3,/^set -e/s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) echo "usage: $0 [-v] [--only NAME]..." >&2; exit 2 ;;
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

# result STATUS NAME [MSG]: count and print one test result.
result() {
	case "$1" in
	PASS) npass=$((npass + 1)); echo "PASS $2" ;;
	FAIL) nfail=$((nfail + 1)); echo "FAIL $2: $3" ;;
	SKIP) nskip=$((nskip + 1)); echo "SKIP $2: $3" ;;
	esac
}

finish() {
	echo "$npass passed, $nfail failed, $nskip skipped"
	if [ "$nfail" -gt 0 ] || [ $((npass + nfail + nskip)) -eq 0 ]; then
		exit 1
	fi
	exit 0
}

# step NAME CMD...: run a preparation step; the last line of its stdout is
# kept in $step_out (the others are shown).  A failure is "FAIL build:NAME"
# and ends the run.
step() {
	_name=$1
	shift
	if ! "$@" >"$LOGDIR/.step-out"; then
		cat "$LOGDIR/.step-out" >&2
		result FAIL "build:$_name" "'$*' failed (see above)"
		finish
	fi
	sed '$d' "$LOGDIR/.step-out" >&2
	step_out=$(tail -n 1 "$LOGDIR/.step-out")
	rm -f "$LOGDIR/.step-out"
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
step install-deps "$REPO/scripts/install-deps.sh"
step kernel "$LAB_DIR/build-kernel.sh"
KDIR=$step_out
step busybox "$LAB_DIR/build-busybox.sh"
BUSYBOX=$step_out
export KDIR BUSYBOX
step modules "$LAB_DIR/build-modules.sh"
step initramfs "$LAB_DIR/mkinitramfs.sh"

# ---- guest tests -------------------------------------------------------
if [ -n "$ONLY" ]; then
	TESTS=$ONLY
	for t in $TESTS; do
		[ -f "$REPO/tests/guest/$t.sh" ] ||
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

for t in $TESTS; do
	[ -f "$REPO/tests/guest/$t.sh" ] || continue
	log=$LOGDIR/$t.log
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
		bad=$(tr -d '\r' <"$log" | grep -E "$BAD_RE" | awk '!seen[$0]++' | head -n 30)
	fi
	if [ -n "$bad" ]; then
		why="${why:+$why; }kernel problem in the console log"
	fi
	if [ -n "$why" ]; then
		result FAIL "boot:$t" "$why (log: $log)"
		[ -z "$bad" ] || echo "$bad" | sed 's/^/    | /'
	else
		result PASS "boot:$t"
	fi
done

# ---- host tests --------------------------------------------------------
if [ -z "$ONLY" ]; then
	for f in "$REPO"/tests/host/*.sh; do
		[ -f "$f" ] || continue
		t=$(basename "$f" .sh)
		log=$LOGDIR/host-$t.log
		lab_msg "host test $t (log: $log)"
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
	done
fi

finish

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Boot the lab kernel + initramfs on QEMU's riscv64 virt board.
#
# Usage: scripts/lab/run-qemu.sh [-v] NAME [DTS_FRAGMENT]
#        scripts/lab/run-qemu.sh --shell [DTS_FRAGMENT]
#        scripts/lab/run-qemu.sh --dtb OUT DTS_FRAGMENT
#
#   NAME          guest test: the board runs /tests/NAME.sh (lab.test=NAME)
#                 and powers off.  Console log: $LAB_OUT/logs/NAME.log.
#   --shell       no lab.test: interactive busybox shell on this terminal
#                 (no timeout, no log; Ctrl-A X quits QEMU).
#   --dtb OUT     only build the board's DTB with DTS_FRAGMENT, copy it to
#                 OUT and exit (the two-guest lab, scripts/lab/two.py, boots
#                 its guests itself).
#   -v            echo the console live while logging it.
#   DTS_FRAGMENT  device-tree fragment merged into QEMU's DTB (a path, or a
#                 file name in dts/).  Default: a "# dts: FILE" header line
#                 in tests/guest/NAME.sh, else dts/qemu-virt-rpmsg.dtsi.
#
# A "# timeout: SECS" header line in tests/guest/NAME.sh overrides the
# default of 300 s (LAB_TIMEOUT in the environment overrides both); the
# result is multiplied by LAB_TIMEOUT_SCALE (default 1; run-tests.sh sets
# it for the slower debug kernel).  LAB_VARIANT (normal, debug or line,
# default normal) is passed to the guest as lab.variant= (tests/guest/lib.sh's
# lab_variant, lab_scale and lab_full_pass read it).  QEMU
# is killed after that; the guest's own watchdog (lab.timeout=, 20 s
# earlier) tries to kill the test first so the dmesg is still printed.
#
# LAB_BOARD, when set, replaces the board options (-cpu, -smp, -m and
# memory backends) for the DTB and the boot.
#
# A kernel that hangs during boot, before /init prints "=== lab: start
# NAME ===" (seen under TCG on a busy host: 6.1 stopped 0.1 s into the
# boot, before the second CPU came up, silent for 400 s; no module is
# loaded by then), is killed after LAB_BOOT_LIMIT seconds
# (default 120, times LAB_TIMEOUT_SCALE) and booted again, at most twice.
# Each such boot is reported on a "NOTE boot-hang:" line with its last
# console lines, and its log is kept as NAME.boot-hang-N.log.
#
# Needs $KDIR (else asks build-kernel.sh) and $LAB_OUT/initramfs.cpio.gz
# (from mkinitramfs.sh).
#
# DTB: QEMU's own DTB is dumped with the same -machine/-cpu/-smp/-m options
# (-machine virt,dumpdtb=...) and decompiled; the source to compile is that
# text plus '/include/ "<fragment>"', built with "dtc -i dts/".  dtc
# warnings that QEMU's part produces on its own (compiled alone, same file
# name, same line numbers) are dropped; any other warning (i.e. one caused
# by the fragment) is an error.  Copies for inspection, in $LAB_OUT/dtb/:
#   qemu-virt.dtb / .dts / .warnings   QEMU's dump, decompiled, its warnings
#   <fragment>.dts / .dtb / .warnings  merged source, boot DTB, new warnings
#
# Exit status: the guest test's rc when the board reached
# "=== lab: end NAME rc=N ===", 124 on a timeout (host or guest watchdog),
# 125 when the board stopped without reaching the end line, 2 on a setup
# error.
set -e
. "$(dirname "$0")/common.sh"

VERBOSE=0
SHELL_MODE=0
DTB_OUT=""
while [ $# -gt 0 ]; do
	case "$1" in
	-v) VERBOSE=1 ;;
	--shell) SHELL_MODE=1 ;;
	--dtb)
		[ $# -ge 3 ] || { echo "usage: $0 --dtb OUT DTS_FRAGMENT" >&2; exit 2; }
		DTB_OUT=$2
		SHELL_MODE=1
		shift
		;;
	-*) echo "usage: $0 [-v] NAME|--shell [DTS_FRAGMENT]" >&2; exit 2 ;;
	*) break ;;
	esac
	shift
done

NAME=""
if [ "$SHELL_MODE" -eq 0 ]; then
	[ $# -ge 1 ] || { echo "usage: $0 [-v] NAME|--shell [DTS_FRAGMENT]" >&2; exit 2; }
	NAME=$1
	shift
fi
FRAG=${1:-}

SCRIPT=$REPO/tests/guest/$NAME.sh
header() {	# header KEY: value of a "# KEY: value" line of the test script
	[ -n "$NAME" ] && [ -f "$SCRIPT" ] || return 0
	sed -n "s/^#[[:space:]]*$1:[[:space:]]*\\([^[:space:]]*\\).*/\\1/p" \
		"$SCRIPT" | head -n 1
}

if [ "$SHELL_MODE" -eq 0 ] && [ ! -f "$SCRIPT" ]; then
	lab_msg "run-qemu: no test script $SCRIPT"
	exit 2
fi

[ -n "$FRAG" ] || FRAG=$(header dts)
[ -n "$FRAG" ] || FRAG=dts/qemu-virt-rpmsg.dtsi
case "$FRAG" in
/*) ;;
*)
	if [ -f "$REPO/$FRAG" ]; then
		FRAG=$REPO/$FRAG
	elif [ -f "$REPO/dts/$FRAG" ]; then
		FRAG=$REPO/dts/$FRAG
	else
		FRAG=$REPO/$FRAG
	fi
	;;
esac
if [ ! -f "$FRAG" ]; then
	lab_msg "run-qemu: device-tree fragment $FRAG not found"
	exit 2
fi

TIMEOUT=${LAB_TIMEOUT:-$(header timeout)}
TIMEOUT=${TIMEOUT:-300}
SCALE=${LAB_TIMEOUT_SCALE:-1}
case "$TIMEOUT$SCALE" in
'' | *[!0-9]*) lab_msg "run-qemu: bad timeout '$TIMEOUT' or scale '$SCALE'"; exit 2 ;;
esac
TIMEOUT=$((TIMEOUT * SCALE))
VARIANT_ARG=${LAB_VARIANT:-normal}
case "$VARIANT_ARG" in
normal | debug | line) ;;
*) lab_msg "run-qemu: bad LAB_VARIANT '$VARIANT_ARG'"; exit 2 ;;
esac
GUEST_TIMEOUT=$((TIMEOUT - 20))
[ "$GUEST_TIMEOUT" -ge 10 ] || GUEST_TIMEOUT=$((TIMEOUT * 2 / 3))

if [ -z "$DTB_OUT" ]; then
	[ -n "$KDIR" ] || KDIR=$("$LAB_DIR/build-kernel.sh" | tail -n 1)
	IMAGE=$KDIR/arch/riscv/boot/Image
	INITRD=$LAB_OUT/initramfs.cpio.gz
	[ -f "$IMAGE" ] || { lab_msg "run-qemu: $IMAGE missing"; exit 2; }
	[ -f "$INITRD" ] || { lab_msg "run-qemu: $INITRD missing (run scripts/lab/mkinitramfs.sh)"; exit 2; }
fi

QEMU=qemu-system-riscv64
# Sstc off: the guest kernel then programs its timer through the SBI
# (OpenSBI and the ACLINT) instead of the stimecmp CSR.  On this QEMU
# (Debian 12's 7.2) a busy host showed lab guests whose timers stopped: a
# boot that stopped at 0.1 s, and a debug guest whose RCU grace periods
# never ended (synchronize_rcu() blocked for minutes with no stall report,
# RCU-freed objects piling up until the OOM killer ran).  QEMU's stimecmp
# handling was reworked after 7.2 (e.g. a stimecmp of all ones, which Linux
# writes to stop its timer, is treated as "never" only since late 2024).
BOARD=${LAB_BOARD:-"-cpu rv64,sstc=off -smp 2 -m 512M"}

# ---- device tree ------------------------------------------------------
# Built in a private directory outside the repo (concurrent runs may share
# $LAB_OUT, and "make clean" of the modules deletes *.dtb under the repo),
# then copied to $LAB_OUT/dtb/ for inspection.
DTBDIR=$LAB_OUT/dtb
VARIANT=$(basename "$FRAG" .dtsi)
mkdir -p "$DTBDIR"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/rpmsg-lab-dtb.XXXXXX")
qpid=""
# On exit (also Ctrl-C): stop a QEMU still running, drop the private dir.
trap '[ -z "$qpid" ] || kill "$qpid" 2>/dev/null; rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM
mkdir -p "$WORK/base" "$WORK/merged"
# shellcheck disable=SC2086 # $BOARD is a list of options
$QEMU -machine "virt,dumpdtb=$WORK/qemu-virt.dtb" $BOARD -nographic \
	-bios default >"$WORK/dumpdtb.log" 2>&1 || {
	cat "$WORK/dumpdtb.log" >&2
	lab_msg "run-qemu: could not dump QEMU's DTB"
	exit 2
}
dtc -q -I dtb -O dts -o "$WORK/base/virt.dts" "$WORK/qemu-virt.dtb"
(cd "$WORK/base" && dtc -I dts -O dtb -o /dev/null virt.dts) \
	2>"$WORK/base/warnings" || {
	cat "$WORK/base/warnings" >&2
	lab_msg "run-qemu: QEMU's own DTS does not compile"
	exit 2
}
{
	cat "$WORK/base/virt.dts"
	echo
	echo "/* rpmsg lab fragment */"
	echo "/include/ \"$FRAG\""
} >"$WORK/merged/virt.dts"
DTB=$WORK/merged.dtb
if ! (cd "$WORK/merged" &&
      dtc -I dts -O dtb -i "$REPO/dts" -i "$(dirname "$FRAG")" \
	-o "$DTB" virt.dts) 2>"$WORK/merged/warnings"; then
	cat "$WORK/merged/warnings" >&2
	lab_msg "run-qemu: dtc failed on $FRAG"
	exit 2
fi
# Same file name and line numbers in both runs: QEMU's own warnings are
# identical lines, anything else comes from the fragment.
sort "$WORK/base/warnings" >"$WORK/base/warnings.sorted"
sort "$WORK/merged/warnings" >"$WORK/merged/warnings.sorted"
comm -13 "$WORK/base/warnings.sorted" "$WORK/merged/warnings.sorted" \
	>"$WORK/warnings.new"
for f in qemu-virt.dtb:qemu-virt.dtb base/virt.dts:qemu-virt.dts \
	 base/warnings:qemu-virt.warnings merged/virt.dts:$VARIANT.dts \
	 merged.dtb:$VARIANT.dtb warnings.new:$VARIANT.warnings; do
	cp "$WORK/${f%%:*}" "$DTBDIR/${f#*:}.tmp$$"
	mv "$DTBDIR/${f#*:}.tmp$$" "$DTBDIR/${f#*:}"
done
if [ -s "$WORK/warnings.new" ]; then
	cat "$WORK/warnings.new" >&2
	lab_msg "run-qemu: dtc warnings caused by $FRAG (see above)"
	exit 2
fi

if [ -n "$DTB_OUT" ]; then
	cp "$DTB" "$DTB_OUT"
	exit 0
fi

# earlycon: a boot that stops before the console driver starts still
# shows how far it got
APPEND="earlycon console=ttyS0 loglevel=5 panic=-1 lab.variant=$VARIANT_ARG"
# shellcheck disable=SC2086
set -- $BOARD -machine virt -nographic -bios default -kernel "$IMAGE" \
	-initrd "$INITRD" -dtb "$DTB" -no-reboot

if [ "$SHELL_MODE" -eq 1 ]; then
	lab_msg "run-qemu: interactive shell (dtb: $DTB); Ctrl-A X quits QEMU"
	$QEMU "$@" -append "$APPEND"
	exit 0
fi

# ---- test boot ---------------------------------------------------------
LOGDIR=$LAB_OUT/logs
mkdir -p "$LOGDIR"
LOG=$LOGDIR/$NAME.log
APPEND="$APPEND lab.test=$NAME lab.timeout=$GUEST_TIMEOUT"
lab_msg "run-qemu: booting $NAME (dtb: $VARIANT, timeout ${TIMEOUT}s, log: $LOG)"

BOOT_LIMIT=$((${LAB_BOOT_LIMIT:-120} * SCALE))
attempt=1
while :; do
	start=$(date +%s)
	timeout -k 10 "$TIMEOUT" $QEMU "$@" -append "$APPEND" \
		</dev/null >"$LOG" 2>&1 &
	qpid=$!
	if [ "$VERBOSE" -eq 1 ]; then
		tail -n +1 -f --pid="$qpid" "$LOG" &
		tpid=$!
	fi
	# until /init starts the test (or QEMU ends)
	hung=0
	while kill -0 "$qpid" 2>/dev/null &&
	      ! grep -qs "=== lab: start $NAME ===" "$LOG"; do
		if [ $(($(date +%s) - start)) -ge "$BOOT_LIMIT" ]; then
			hung=1
			break
		fi
		sleep 1
	done
	if [ "$hung" -eq 1 ] && [ "$attempt" -le 2 ]; then
		kill "$qpid" 2>/dev/null || true
		wait "$qpid" 2>/dev/null || true
		qpid=""
		[ "$VERBOSE" -eq 0 ] || wait "$tpid" || true
		mv "$LOG" "$LOGDIR/$NAME.boot-hang-$attempt.log"
		echo "NOTE boot-hang: $NAME: the kernel did not start the test within ${BOOT_LIMIT}s, no module loaded yet; booting again (log: $LOGDIR/$NAME.boot-hang-$attempt.log), its last console lines:"
		tr -d '\r' <"$LOGDIR/$NAME.boot-hang-$attempt.log" | tail -n 5 | sed 's/^/    | /'
		attempt=$((attempt + 1))
		continue
	fi
	rc=0
	wait "$qpid" || rc=$?
	qpid=""
	if [ "$VERBOSE" -eq 1 ]; then
		wait "$tpid" || true
	fi
	break
done
secs=$(($(date +%s) - start))

if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
	echo "=== lab(host): TIMEOUT after ${TIMEOUT}s, QEMU killed ===" >>"$LOG"
	lab_msg "run-qemu: $NAME: TIMEOUT after ${TIMEOUT}s (log: $LOG)"
	exit 124
fi
if [ "$rc" -ne 0 ]; then
	lab_msg "run-qemu: $NAME: QEMU exited with status $rc (log: $LOG)"
fi
if grep -q '^=== lab: test timed out after' "$LOG"; then
	lab_msg "run-qemu: $NAME: guest watchdog killed the test after ${GUEST_TIMEOUT}s (log: $LOG)"
	exit 124
fi
end=$(tr -d '\r' <"$LOG" | sed -n "s/^=== lab: end $NAME rc=\\([0-9]*\\) ===\$/\\1/p" | tail -n 1)
if [ -z "$end" ]; then
	lab_msg "run-qemu: $NAME: board stopped before the end of the test (log: $LOG)"
	exit 125
fi
lab_msg "run-qemu: $NAME: test rc=$end, ${secs}s (log: $LOG)"
exit "$end"

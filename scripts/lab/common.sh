#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Shared settings for the scripts/lab/*.sh helpers.  Sourced, never run.
#
#   REPO       repository root (derived from this file's location)
#   LAB_CACHE  build cache, ${RPMSG_LAB_CACHE:-$HOME/.cache/rpmsg-lab}
#              (kernel and busybox builds, one directory per cache key)
#   LAB_OUT    per-checkout output, ${RPMSG_LAB_OUT:-$REPO/out}
#              (modules' tool binaries, initramfs, DTBs, logs)
#   ARCH, CROSS_COMPILE   riscv / riscv64-linux-gnu-
#   LAB_KVER   kernel line to build against: 6.1 (the default, the full
#              suite), 5.10, 6.12, or the one sid offers (lab_kver_sid);
#              the source is Debian's linux-source-$LAB_KVER package
#
# Progress messages go to stderr (lab_msg) so that build scripts can print
# their result path alone on stdout.
set -e

LAB_DIR=$(cd "$(dirname "$0")" && pwd)
case "$LAB_DIR" in
*/scripts/lab) ;;
*/tests/host) LAB_DIR=$(cd "$LAB_DIR/../../scripts/lab" && pwd) ;;
*) LAB_DIR=$(cd "$(dirname "$0")/lab" && pwd) ;;
esac
REPO=$(cd "$LAB_DIR/../.." && pwd)
LAB_CACHE=${RPMSG_LAB_CACHE:-$HOME/.cache/rpmsg-lab}
# the builds' locks live there: it must exist before the first build
mkdir -p "$LAB_CACHE"
LAB_OUT=${RPMSG_LAB_OUT:-$REPO/out}
# The unmodified peer stacks (RPMsg-Lite, open-amp, libmetal) the interop
# test builds: ../shared/peers beside the repository, unless overridden.
LAB_PEERS=${RPMSG_LAB_PEERS:-$REPO/../shared/peers}
ARCH=riscv
CROSS_COMPILE=riscv64-linux-gnu-
export ARCH CROSS_COMPILE

lab_msg() {
	echo "lab: $*" >&2
}

lab_die() {
	echo "lab: ERROR: $*" >&2
	exit 1
}

# run_logged LOGFILE CMD...: run CMD with all output in LOGFILE; on failure
# show the last lines of the log and fail.
run_logged() {
	_log=$1
	shift
	echo "+ $*" >>"$_log"
	if ! "$@" >>"$_log" 2>&1; then
		echo "lab: command failed: $*" >&2
		echo "lab: ---- last 60 lines of $_log ----" >&2
		tail -n 60 "$_log" >&2
		echo "lab: ---- end of log ----" >&2
		exit 1
	fi
}

# lab_lock: serialize the runs that build into and boot from $LAB_OUT
# (run-tests.sh, run-demo.sh): fd 8 holds the lock until the process exits
# or calls lab_unlock.
lab_lock() {
	mkdir -p "$LAB_OUT"
	exec 8>"$LAB_OUT/.lock"
	if ! flock -n 8; then
		lab_msg "waiting for another run-tests.sh/run-demo.sh using $LAB_OUT"
		flock 8
	fi
}

lab_unlock() {
	exec 8>&-
}

LAB_KVER=${LAB_KVER:-6.1}
export LAB_KVER

# lab_kver_sid: the kernel line install-deps.sh took from sid (it moves).
lab_kver_sid() {
	cat /usr/src/rpmsg-lab-sid-version 2>/dev/null || echo none
}

# The cross-build matrix (tests/host/cross-build.sh; run-tests.sh prepares
# its trees ahead): every kernel line the README promises, every arch.
lab_gate_kvers() {
	echo "5.10 6.1 6.12 $(lab_kver_sid)"
}
LAB_GATE_TARGETS="riscv64 mips64 arm64 x86_64"

# lab_kver_ge A B: is kernel version A >= B?
lab_kver_ge() {
	[ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n 1)" = "$2" ]
}

# Version strings that go into the cache keys.
linux_source_version() {
	dpkg-query -W -f='${Version}' "linux-source-$LAB_KVER" 2>/dev/null ||
		echo unknown
}

# lab_source: extract /usr/src/linux-source-$LAB_KVER.tar.xz once into
# $LAB_CACHE/src/linux-<package version> (never built in: O= builds only)
# and print that directory.  Logs to $LAB_OUT/logs/extract-$LAB_KVER.log.
lab_source() {
	_tar=/usr/src/linux-source-$LAB_KVER.tar.xz
	_src=$LAB_CACHE/src/linux-$(linux_source_version)
	if [ ! -f "$_src/.lab-extracted" ]; then
		[ -f "$_tar" ] || lab_die "$_tar missing: run scripts/install-deps.sh"
		mkdir -p "$LAB_CACHE/src" "$LAB_OUT/logs"
		exec 7>"$LAB_CACHE/.lock-src-$LAB_KVER"
		flock 7
		if [ ! -f "$_src/.lab-extracted" ]; then
			lab_msg "extracting $_tar"
			rm -rf "$_src" "$_src.tmp"
			mkdir -p "$_src.tmp"
			run_logged "$LAB_OUT/logs/extract-$LAB_KVER.log" \
				tar -C "$_src.tmp" -xJf "$_tar"
			mv "$_src.tmp/linux-source-$LAB_KVER" "$_src"
			rmdir "$_src.tmp"
			touch "$_src/.lab-extracted"
		fi
		exec 7>&-
	fi
	echo "$_src"
}

# lab_relocated DIR: is the O= build directory DIR pointed at this cache's
# source tree?  kbuild writes absolute paths into DIR (its Makefile and its
# "source" link); a cache that was moved or copied keeps the old ones, and
# every module build against DIR then fails.
lab_relocated() {
	[ "$(readlink "$1/source")" = "$LAB_CACHE/src/linux-$(linux_source_version)" ]
}

# lab_relocate DIR [MAKE ARGS...]: point DIR at this cache's source again
# through kbuild's own outputmakefile target (it rewrites both).  Call with
# DIR's lock held.
lab_relocate() {
	_dir=$1
	shift
	lab_relocated "$_dir" && return 0
	_src=$(lab_source)
	lab_msg "$_dir: the cache was moved: pointing it at $_src"
	mkdir -p "$LAB_OUT/logs"
	run_logged "$LAB_OUT/logs/relocate.log" \
		make -C "$_src" O="$_dir" "$@" outputmakefile
	lab_relocated "$_dir" || lab_die "$_dir: could not point it at $_src"
}

cross_gcc_version() {
	"${CROSS_COMPILE}gcc" --version 2>/dev/null | head -n 1
}

# lab_key FILE...: short hash of the given files plus the stdin text.
lab_key() {
	{ cat; cat "$@"; } | sha256sum | cut -c1-16
}

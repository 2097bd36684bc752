#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# A moved cache: kbuild writes absolute paths into an O= build directory
# (its Makefile and its "source" link), so a cache that was copied or
# moved elsewhere used to hand out build directories that point at a
# source tree that is gone, and every module build against them failed
# ("No rule to make target .../Makefile").  build-kernel.sh and
# prepare-tree.sh now point such a directory at its own cache's source
# (lab_relocate in common.sh).  Checked here on a copy of the cache, as
# RESULT lines:
#   cache-move:kernel   the lab's 6.1 kernel: build-kernel.sh re-points
#                       it, and the modules build against it with W=1
#                       and no warning (the lab's own module build)
#   cache-move:tree     the 5.10 riscv64 tree (5.10 writes its Makefile
#                       with scripts/mkmakefile, newer lines from the top
#                       Makefile): prepare-tree.sh re-points it, and the
#                       modules build against it
# The copy shares the pristine source by hard links and copies the build
# directories (their Makefile is rewritten), and is removed at the end.
# The original cache entries must still point at the original source.
#
# Usage: sh tests/host/cache-move.sh
. "$(dirname "$0")/../../scripts/lab/common.sh"
. "$LAB_DIR/gates.sh"
set +e

WORK=$LAB_OUT/gates/cache-move
MOVED=$LAB_CACHE/.moved-test
rm -rf "$WORK" "$MOVED"
mkdir -p "$WORK" "$MOVED/src"
trap 'rm -rf "$MOVED" "$WORK"' EXIT

# check NAME VER SCRIPT ARGS...: run SCRIPT in the real cache, copy what it
# printed into $MOVED, run it again there, then build the modules.
check() {
	gate_start
	what=$1
	name=cache-move:$what
	LAB_KVER=$2
	export LAB_KVER
	shift 2
	script=$1
	shift
	if ! orig=$("$LAB_DIR/$script" "$@" | tail -n 1) || [ -z "$orig" ]; then
		gate_result FAIL "$name" "$script $* failed in $LAB_CACHE"
		return
	fi
	src=src/linux-$(linux_source_version)
	[ -d "$MOVED/$src" ] || cp -al "$LAB_CACHE/$src" "$MOVED/$src"
	cp -a "$orig" "$MOVED/"
	moved=$MOVED/$(basename "$orig")
	echo "$name: $orig copied to $moved"
	out=$(RPMSG_LAB_CACHE=$MOVED "$LAB_DIR/$script" "$@" 2>&1)
	rc=$?
	echo "$out"
	got=$(echo "$out" | tail -n 1)
	if [ "$rc" -ne 0 ] || [ "$got" != "$moved" ]; then
		gate_result FAIL "$name" "$script in the moved cache: rc=$rc, printed '$got', not $moved"
		return
	fi
	if ! echo "$out" | grep -q "the cache was moved: pointing it at $MOVED/$src"; then
		gate_result FAIL "$name" "$script did not say it re-pointed $moved"
		return
	fi
	if [ "$(readlink "$moved/source")" != "$MOVED/$src" ] ||
	   ! grep -qx "include $MOVED/$src/Makefile" "$moved/Makefile"; then
		gate_result FAIL "$name" "$moved still points elsewhere: source -> $(readlink "$moved/source"), $(grep include "$moved/Makefile")"
		return
	fi
	if [ "$(readlink "$orig/source")" != "$LAB_CACHE/$src" ]; then
		gate_result FAIL "$name" "the original $orig was changed: source -> $(readlink "$orig/source")"
		return
	fi
	copy=$WORK/$what
	gate_copy_src "$copy"
	log=$WORK/$what.log
	echo "+ make -C $copy KDIR=$moved W=1"
	# The lab kernel has a Module.symvers: modpost checks every symbol.
	# The tree has none (see gate_filter_modpost).
	warn=""
	[ -f "$moved/Module.symvers" ] || warn=KBUILD_MODPOST_WARN=1
	if ! make -C "$copy" KDIR="$moved" W=1 $warn \
		-j"$(nproc)" >"$log" 2>&1; then
		tail -n 30 "$log"
		gate_result FAIL "$name" "the modules did not build against $moved"
		return
	fi
	nko=$(find "$copy" -name '*.ko' | grep -c .)
	if [ -n "$warn" ]; then
		gate_filter_modpost "$log" >"$log.ours"
	else
		cp "$log" "$log.ours"
	fi
	warnings=$(gate_our_warnings "$log.ours" "$copy")
	if [ "$nko" -eq 0 ]; then
		gate_result FAIL "$name" "no module was built against $moved"
	elif [ -n "$warnings" ]; then
		echo "$warnings"
		gate_result FAIL "$name" "warnings building against $moved"
	else
		echo "$name: $nko modules built against $moved"
		gate_result PASS "$name"
	fi
	echo "gate $name: $(gate_elapsed) s"
}

check kernel 6.1 build-kernel.sh normal
check tree 5.10 prepare-tree.sh riscv64

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Cross-build matrix: every module the top-level Kbuild builds, with W=1,
# against linux-source-6.1 prepared (make modules_prepare, see
# scripts/lab/prepare-tree.sh) for
#   riscv64 (defconfig), mips64 big-endian (cavium_octeon_defconfig),
#   arm64 (defconfig), x86_64 (x86_64_defconfig)
# plus scripts/lab/modules.config.  One RESULT line per architecture: PASS
# when the build succeeds with no warning at all, apart from modpost's
# notices that the tree has no Module.symvers (see gate_filter_modpost in
# scripts/lab/gates.sh).
#
# Usage: sh tests/host/cross-build.sh [TARGET...]
. "$(dirname "$0")/../../scripts/lab/common.sh"
. "$LAB_DIR/gates.sh"
set +e

TARGETS=${*:-riscv64 mips64 arm64 x86_64}
WORK=$LAB_OUT/gates/cross
mkdir -p "$WORK"

for t in $TARGETS; do
	gate_start
	name=cross-build:$t
	case "$t" in
	riscv64) a=riscv c=riscv64-linux-gnu- ;;
	mips64) a=mips c=mips64-linux-gnuabi64- ;;
	arm64) a=arm64 c=aarch64-linux-gnu- ;;
	x86_64) a=x86 c="" ;;
	*) gate_result FAIL "$name" "unknown target"; continue ;;
	esac
	if ! kdir=$("$LAB_DIR/prepare-tree.sh" "$t" | tail -n 1) || [ -z "$kdir" ]; then
		gate_result FAIL "$name" "could not prepare the $t tree (log: $LAB_OUT/logs/prepare-$t.log)"
		continue
	fi
	src=$WORK/$t
	log=$WORK/$t.log
	gate_copy_src "$src"
	echo "+ make -C $src KDIR=$kdir ARCH=$a CROSS_COMPILE=$c W=1"
	if ! nice make -C "$src" KDIR="$kdir" ARCH="$a" CROSS_COMPILE="$c" \
		W=1 -j"$(nproc)" >"$log" 2>&1; then
		cat "$log"
		gate_result FAIL "$name" "build failed after $(gate_elapsed) s"
		continue
	fi
	kos=$(find "$src" -name '*.ko' | sort)
	nko=$(echo "$kos" | grep -c . )
	warnings=$(gate_filter_modpost "$log" | grep -i 'warning')
	echo "$t: $nko modules: $(echo "$kos" | sed "s|$src/||" | tr '\n' ' ')"
	if [ "$nko" -eq 0 ]; then
		gate_result FAIL "$name" "no module was built"
	elif [ -n "$warnings" ]; then
		gate_filter_modpost "$log"
		gate_result FAIL "$name" "$(echo "$warnings" | grep -c .) warning(s) (log: $log)"
	else
		gate_result PASS "$name"
	fi
	echo "gate $name: $(gate_elapsed) s"
done

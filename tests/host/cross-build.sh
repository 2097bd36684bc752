#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Cross-build matrix: every module the top-level Kbuild builds, with W=1,
# against Debian's linux-source 5.10, 6.1, 6.12 and sid's newest (7.2
# today), each prepared (make modules_prepare, see
# scripts/lab/prepare-tree.sh) for
#   riscv64 (defconfig), mips64 big-endian (cavium_octeon_defconfig),
#   arm64 (defconfig), x86_64 (x86_64_defconfig)
# plus scripts/lab/modules.config.  One RESULT line per version and
# architecture, "cross-build:VER:ARCH": PASS when the build succeeds with
# no warning at all, apart from
#   - modpost's notices that the tree has no Module.symvers
#     (gate_filter_modpost in scripts/lab/gates.sh);
#   - warnings whose location is a file of the kernel tree itself
#     (gate_kernel_warnings): not ours to fix; they are counted and
#     printed, by file, never hidden.
#
# Usage: sh tests/host/cross-build.sh [-k VER]... [TARGET...]
. "$(dirname "$0")/../../scripts/lab/common.sh"
. "$LAB_DIR/gates.sh"
set +e

VERSIONS=""
while [ $# -gt 0 ]; do
	case "$1" in
	-k) VERSIONS="$VERSIONS $2"; shift 2 ;;
	*) break ;;
	esac
done
[ -n "$VERSIONS" ] || VERSIONS=$(lab_gate_kvers)
TARGETS=${*:-$LAB_GATE_TARGETS}
WORK=$LAB_OUT/gates/cross
mkdir -p "$WORK"

for v in $VERSIONS; do
	LAB_KVER=$v
	export LAB_KVER
	for t in $TARGETS; do
		gate_start
		name=cross-build:$v:$t
		case "$t" in
		riscv64) a=riscv c=riscv64-linux-gnu- ;;
		mips64) a=mips c=mips64-linux-gnuabi64- ;;
		arm64) a=arm64 c=aarch64-linux-gnu- ;;
		x86_64) a=x86 c="" ;;
		*) gate_result FAIL "$name" "unknown target"; continue ;;
		esac
		if ! kdir=$("$LAB_DIR/prepare-tree.sh" "$t" | tail -n 1) ||
		   [ -z "$kdir" ]; then
			gate_result FAIL "$name" "could not prepare the tree (log: $LAB_OUT/logs/prepare-$v-$t.log)"
			continue
		fi
		src=$WORK/$v-$t
		log=$WORK/$v-$t.log
		gate_copy_src "$src"
		echo "+ make -C $src KDIR=$kdir ARCH=$a CROSS_COMPILE=$c W=1"
		if ! nice make -C "$src" KDIR="$kdir" ARCH="$a" \
			CROSS_COMPILE="$c" W=1 KBUILD_MODPOST_WARN=1 \
			-j"$(nproc)" >"$log" 2>&1; then
			cat "$log"
			gate_result FAIL "$name" "build failed after $(gate_elapsed) s"
			rm -rf "$src"
			continue
		fi
		kos=$(find "$src" -name '*.ko' | sort)
		nko=$(echo "$kos" | grep -c .)
		echo "$v $t: $nko modules: $(echo "$kos" | sed "s|$src/||" | tr '\n' ' ')"
		gate_filter_modpost "$log" >"$log.ours"
		kw=$(gate_kernel_warnings "$log.ours" "$src")
		if [ -n "$kw" ]; then
			echo "$v $t: $(echo "$kw" | grep -c .) warning(s) located in the kernel's own headers (not counted against the modules):"
			echo "$kw" | sed 's/^/    /'
		fi
		warnings=$(gate_our_warnings "$log.ours" "$src")
		if [ "$nko" -eq 0 ]; then
			gate_result FAIL "$name" "no module was built"
		elif [ -n "$warnings" ]; then
			echo "$warnings"
			gate_result FAIL "$name" "$(echo "$warnings" | grep -c .) warning(s) (log: $log)"
		else
			gate_result PASS "$name"
		fi
		echo "gate $name: $(gate_elapsed) s"
		rm -rf "$src"
	done
done

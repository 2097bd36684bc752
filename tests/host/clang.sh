#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# clang build: every module with LLVM=1 (clang, ld.lld, llvm-*) and W=1 for
# x86_64, against linux-source-6.1 prepared with LLVM=1
# (scripts/lab/prepare-tree.sh x86_64-llvm).  PASS when nothing warns,
# apart from modpost's notices about the tree having no Module.symvers
# (see gate_filter_modpost in scripts/lab/gates.sh).
#
# Usage: sh tests/host/clang.sh
. "$(dirname "$0")/../../scripts/lab/common.sh"
. "$LAB_DIR/gates.sh"
set +e

gate_start
name=clang:x86_64
if ! kdir=$("$LAB_DIR/prepare-tree.sh" x86_64-llvm | tail -n 1) || [ -z "$kdir" ]; then
	gate_result FAIL "$name" "could not prepare the tree (log: $LAB_OUT/logs/prepare-x86_64-llvm.log)"
	exit 0
fi
src=$LAB_OUT/gates/clang
log=$src.log
gate_copy_src "$src"
echo "+ make -C $src KDIR=$kdir ARCH=x86 LLVM=1 W=1"
if ! nice make -C "$src" KDIR="$kdir" ARCH=x86 CROSS_COMPILE= LLVM=1 W=1 \
	-j"$(nproc)" >"$log" 2>&1; then
	cat "$log"
	gate_result FAIL "$name" "build failed (log: $log)"
	exit 0
fi
cat "$log"
nko=$(find "$src" -name '*.ko' | grep -c .)
warnings=$(gate_filter_modpost "$log" | grep -i 'warning')
if ! grep -q 'clang' "$kdir/include/generated/autoconf.h" 2>/dev/null &&
   ! grep -q '^CONFIG_CC_IS_CLANG=y' "$kdir/.config"; then
	gate_result FAIL "$name" "the tree is not configured for clang"
elif [ "$nko" -eq 0 ]; then
	gate_result FAIL "$name" "no module was built"
elif [ -n "$warnings" ]; then
	gate_result FAIL "$name" "$(echo "$warnings" | grep -c .) warning(s) (log: $log)"
else
	gate_result PASS "$name"
fi
echo "gate $name: $(gate_elapsed) s ($nko modules)"

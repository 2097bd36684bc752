#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Source checks of the Makefile: "make check-style" (checkpatch.pl --strict
# --no-tree, zero errors, warnings and checks) and "make check-doc"
# (kernel-doc -v over the C sources and headers, every exported function
# documented), with the linux-source-6.1 scripts.
#
# Usage: sh tests/host/style.sh
. "$(dirname "$0")/../../scripts/lab/common.sh"
. "$LAB_DIR/gates.sh"
set +e

SRC=$(lab_source)
for t in check-style check-doc; do
	gate_start
	if make -s -C "$REPO" LAB_SRC="$SRC" "$t"; then
		gate_result PASS "$t"
	else
		gate_result FAIL "$t" "make $t found problems (see above)"
	fi
	echo "gate $t: $(gate_elapsed) s"
done

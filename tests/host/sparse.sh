#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# sparse (C=2: every file, rebuilt or not; through scripts/lab/sparse-wrapper.sh)
# over the whole module set,
# against the lab's riscv64 kernel (scripts/lab/build-kernel.sh).  PASS when
# sparse prints nothing: endianness (__le16/__le32/__virtio*), address
# spaces (__iomem, __user), locking context and the rest.
#
# Usage: sh tests/host/sparse.sh
. "$(dirname "$0")/../../scripts/lab/common.sh"
. "$LAB_DIR/gates.sh"
set +e

gate_start
command -v sparse >/dev/null || { gate_result FAIL sparse "sparse is not installed (scripts/install-deps.sh)"; exit 0; }
KDIR=${KDIR:-$("$LAB_DIR/build-kernel.sh" | tail -n 1)}
src=$LAB_OUT/gates/sparse
log=$src.log
gate_copy_src "$src"
echo "+ make -C $src KDIR=$KDIR ARCH=$ARCH CROSS_COMPILE=$CROSS_COMPILE CHECK=$LAB_DIR/sparse-wrapper.sh C=2 W=1"
if ! nice make -C "$src" KDIR="$KDIR" ARCH="$ARCH" CROSS_COMPILE="$CROSS_COMPILE" \
	CHECK="$LAB_DIR/sparse-wrapper.sh" C=2 W=1 -j"$(nproc)" >"$log" 2>&1; then
	cat "$log"
	gate_result FAIL sparse "build failed (log: $log)"
	exit 0
fi
cat "$log"
nchecked=$(grep -c '^  CHECK ' "$log")
# sparse reports as "file:line:col: warning|error: ..."; modpost and the
# compiler are held to zero warnings here too.
found=$(grep -E ':[0-9]+:[0-9]+: (warning|error):|warning' "$log")
if [ "$nchecked" -eq 0 ]; then
	gate_result FAIL sparse "sparse checked no file (log: $log)"
elif [ -n "$found" ]; then
	gate_result FAIL sparse "$(echo "$found" | grep -c .) report(s) over $nchecked files (log: $log)"
else
	gate_result PASS sparse
fi
echo "gate sparse: $(gate_elapsed) s ($nchecked files checked)"

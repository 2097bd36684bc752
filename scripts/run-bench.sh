#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Benchmark: round-trip latency and throughput through the char devices.
#
# Usage: scripts/run-bench.sh
#
# Same preparation as scripts/run-demo.sh, then boots tests/guest/bench.sh
# and prints its figures (lines "BENCH name=value"). Not a test: nothing is
# compared against a threshold.
set -e
. "$(dirname "$0")/lab/common.sh"

lab_lock
"$REPO/scripts/install-deps.sh" >&2
KDIR=$("$LAB_DIR/build-kernel.sh" | tail -n 1)
BUSYBOX=$("$LAB_DIR/build-busybox.sh" | tail -n 1)
# An empty result means the step failed (its error is on stderr).
[ -n "$KDIR" ] && [ -n "$BUSYBOX" ] || exit 1
export KDIR BUSYBOX
"$LAB_DIR/build-modules.sh"
"$LAB_DIR/mkinitramfs.sh" >/dev/null
# QEMU reads kernel, initrd and dtb at start-up: a test run may rebuild
# them while the demo runs.
lab_unlock

exec "$LAB_DIR/run-qemu.sh" -v bench

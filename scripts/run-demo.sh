#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run the demo on the QEMU riscv64 virt board.
#
# Usage: scripts/run-demo.sh [--shell | --bench | --two | --two-bench]
#
# Installs the dependencies and builds everything (kernel, busybox,
# modules, initramfs: cached, so only the first run is slow), then boots
# with lab.test=demo, i.e. tests/guest/demo.sh, echoing the console live.
# Exits with the demo's status (124: timeout, 125: the board stopped
# before the demo ended).  Console log: ${RPMSG_LAB_OUT:-<repo>/out}/logs/demo.log.
#
#   --bench   boot tests/guest/bench.sh instead: latency and throughput
#             figures (lines "BENCH name=value"), not a test
#   --two     the same echo/cat and ping across two QEMU guests, one with
#             the master, one with the remote, each with its own kernel
#             (scripts/lab/two.py; Documentation/testing.rst, "Two guests")
#   --two-bench  the two-guest lab's figures (BENCH two_* lines)
#   --shell   boot to an interactive busybox shell instead (modules in
#             /lib/modules/rpmsg, tools in /usr/bin, tests in /tests;
#             "exit" or Ctrl-A X to leave).
set -e
. "$(dirname "$0")/lab/common.sh"

MODE=demo
case "${1:-}" in
"") ;;
--shell) MODE=shell ;;
--bench) MODE=bench ;;
--two) MODE=two ;;
--two-bench) MODE=two-bench ;;
*) echo "usage: $0 [--shell | --bench | --two | --two-bench]" >&2; exit 2 ;;
esac

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

case "$MODE" in
two | two-bench)
	[ "$MODE" = two ] && set -- --demo --tag demo-two || set -- --tag bench-two bench
	exec python3 "$LAB_DIR/two.py" "$@" \
		--master "$KDIR" "$LAB_OUT/initramfs.cpio.gz" \
		--remote "$KDIR" "$LAB_OUT/initramfs.cpio.gz"
	;;
esac
if [ "$MODE" = shell ]; then
	exec "$LAB_DIR/run-qemu.sh" --shell
fi
[ -f "$REPO/tests/guest/$MODE.sh" ] || lab_die "tests/guest/$MODE.sh does not exist yet"
exec "$LAB_DIR/run-qemu.sh" -v "$MODE"

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 300
# run-tests: skip
#
# Benchmark (not a test): round-trip latency and one-way throughput through
# the char devices. Run with scripts/run-bench.sh.
. /tests/lib.sh

load_modules || exit 1
wait_for /dev/rpmsg1_13 10
wait_for /dev/rpmsg2_13 10
echo "=== master -> remote (echo on the remote) ==="
rpmsg_bench -a /dev/rpmsg1_13 -b /dev/rpmsg2_13 -n 1000 -T 3
echo "=== remote -> master (echo on the master) ==="
rpmsg_bench -a /dev/rpmsg2_13 -b /dev/rpmsg1_13 -n 1000 -T 3
unload_modules

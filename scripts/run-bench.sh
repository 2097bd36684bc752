#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Benchmark (not a test): round-trip latency and throughput through the
# char devices, and the rpmsg net device beside a veth pair as a ratio;
# then ping round trips and TCP throughput across the two-guest lab
# (BENCH two_*, scripts/lab/two.py bench).  Prints lines "BENCH name=value".
"$(dirname "$0")/run-demo.sh" --bench || exit
exec "$(dirname "$0")/run-demo.sh" --two-bench

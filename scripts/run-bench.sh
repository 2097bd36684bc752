#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Benchmark (not a test): round-trip latency and throughput through the
# char devices, and the rpmsg net device beside a veth pair as a ratio.
# Prints lines "BENCH name=value".
exec "$(dirname "$0")/run-demo.sh" --bench

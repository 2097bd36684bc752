#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Build the unmodified libmetal and OpenAMP of $LAB_PEERS (default
# <repo>/../shared/peers) for the lab's riscv64 guests, as static
# libraries, with their own CMake build: libmetal's Linux system layer
# (it needs libsysfs: fetch-tools.sh brings Debian's riscv64 libsysfs-dev
# in its sysroot/), OpenAMP without its proxy and applications. The
# interop test's OpenAMP remote (tests/peers/oa_peer.c) links them.
#
# Usage: scripts/lab/build-openamp.sh
#
# Prints the install prefix (include/, lib/ with libmetal.a and
# libopen_amp.a) as the last line of stdout, or nothing when $LAB_PEERS
# has no libmetal or open-amp. Cached in
# ${RPMSG_LAB_CACHE:-$HOME/.cache/rpmsg-lab}/openamp-<key>, the key hashing
# this script, both source trees and the sysroot. Uses $DEBTOOLS when set
# (as exported by run-tests.sh). Log: $RPMSG_LAB_OUT/logs/build-openamp.log.
set -e
. "$(dirname "$0")/common.sh"

if [ ! -f "$LAB_PEERS/libmetal/CMakeLists.txt" ] ||
   [ ! -f "$LAB_PEERS/open-amp/CMakeLists.txt" ]; then
	lab_msg "openamp: no libmetal and open-amp in $LAB_PEERS"
	exit 0
fi
command -v cmake >/dev/null || lab_die "cmake missing: run scripts/install-deps.sh"
[ -n "$DEBTOOLS" ] || DEBTOOLS=$("$LAB_DIR/fetch-tools.sh" | tail -n 1)
SYSROOT=$DEBTOOLS/sysroot
[ -f "$SYSROOT/usr/include/sysfs/libsysfs.h" ] ||
	lab_die "$SYSROOT: no libsysfs (fetch-tools.sh)"

KEY=$( (cd "$LAB_PEERS" && find libmetal open-amp -type f | LC_ALL=C sort |
	xargs sha256sum; cd "$SYSROOT" && find . -type f | LC_ALL=C sort |
	xargs sha256sum) | lab_key "$0")
OUT=$LAB_CACHE/openamp-$KEY
if [ -f "$OUT/.lab-stamp" ]; then
	lab_msg "openamp: cached ($OUT)"
	echo "$OUT"
	exit 0
fi
mkdir -p "$LAB_OUT/logs"
LOG=$LAB_OUT/logs/build-openamp.log
: >"$LOG"
# one build at a time (the kernels' module builds may run side by side)
exec 9>"$LAB_CACHE/.lock-openamp"
flock 9
if [ -f "$OUT/.lab-stamp" ]; then
	echo "$OUT"
	exit 0
fi
rm -rf "$OUT" "$OUT.build"
mkdir -p "$OUT.build"
TC=$OUT.build/riscv64.cmake
cat >"$TC" <<EOF
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR riscv64)
set(CMAKE_C_COMPILER ${CROSS_COMPILE}gcc)
set(CMAKE_FIND_ROOT_PATH $SYSROOT $OUT /usr/riscv64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
EOF
COMMON="-DCMAKE_TOOLCHAIN_FILE=$TC -DCMAKE_INSTALL_PREFIX=$OUT
-DCMAKE_BUILD_TYPE=Release -DWITH_SHARED_LIB=OFF -DWITH_STATIC_LIB=ON
-DCMAKE_C_FLAGS=-I$SYSROOT/usr/include"
# shellcheck disable=SC2086 # COMMON is a list of options
run_logged "$LOG" cmake -S "$LAB_PEERS/libmetal" -B "$OUT.build/libmetal" \
	$COMMON -DWITH_TESTS=OFF -DWITH_EXAMPLES=OFF -DWITH_DOC=OFF
run_logged "$LOG" make -C "$OUT.build/libmetal" -j"$(nproc)" install
# shellcheck disable=SC2086
run_logged "$LOG" cmake -S "$LAB_PEERS/open-amp" -B "$OUT.build/open-amp" \
	$COMMON -DWITH_PROXY=OFF -DWITH_APPS=OFF -DWITH_DOC=OFF \
	-DCMAKE_INCLUDE_PATH="$OUT/include" -DCMAKE_LIBRARY_PATH="$OUT/lib"
run_logged "$LOG" make -C "$OUT.build/open-amp" -j"$(nproc)" install
[ -f "$OUT/lib/libmetal.a" ] && [ -f "$OUT/lib/libopen_amp.a" ] ||
	lab_die "openamp: the libraries were not installed (log: $LOG)"
rm -rf "$OUT.build"
touch "$OUT/.lab-stamp"
lab_msg "openamp: libmetal and OpenAMP built in $OUT"
echo "$OUT"

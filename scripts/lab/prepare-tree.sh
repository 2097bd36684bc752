#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Prepare a linux-source-$LAB_KVER tree (default 6.1, see common.sh) for
# building the modules on another architecture or compiler, without
# building a kernel (make modules_prepare).
#
# Usage: [LAB_KVER=X.Y] scripts/lab/prepare-tree.sh TARGET
#
#   TARGET        ARCH   CROSS_COMPILE          config
#   riscv64       riscv  riscv64-linux-gnu-     defconfig
#   mips64        mips   mips64-linux-gnuabi64- cavium_octeon_defconfig (BE)
#   arm64         arm64  aarch64-linux-gnu-     defconfig
#   x86_64        x86    (host gcc)             x86_64_defconfig
#   x86_64-llvm   x86    LLVM=1 (clang, lld)    x86_64_defconfig
#
# plus scripts/lab/modules.config (the options the modules need).  Prints
# the tree (KDIR) as the last line of stdout; with it,
#   make KDIR=<tree> ARCH=... CROSS_COMPILE=... [LLVM=1] W=1
# builds the modules.  The tree has no vmlinux and no Module.symvers.
#
# Cache: ${RPMSG_LAB_CACHE:-$HOME/.cache/rpmsg-lab}/tree-VER-TARGET-<key>,
# the key hashing the linux-source-$LAB_KVER version, the compiler version,
# the defconfig name, modules.config and this script; a finished tree has a
# .lab-stamp, so a warm run only prints the path (after lab_relocate, if
# the cache was moved).  The source is the one
# lab_source extracts (src/linux-<version>, built out of tree with O=).
# Log: $RPMSG_LAB_OUT/logs/prepare-VER-TARGET.log.
set -e
. "$(dirname "$0")/common.sh"

TARGET=$1
EXTRA=""
LLVM=""
case "$TARGET" in
riscv64)
	ARCH=riscv CROSS_COMPILE=riscv64-linux-gnu- DEFCONFIG=defconfig ;;
mips64)
	ARCH=mips CROSS_COMPILE=mips64-linux-gnuabi64-
	DEFCONFIG=cavium_octeon_defconfig ;;
arm64)
	ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- DEFCONFIG=defconfig ;;
x86_64 | x86_64-llvm)
	ARCH=x86 CROSS_COMPILE="" DEFCONFIG=x86_64_defconfig
	# x86 selects OF_EARLY_FLATTREE (hence OF_RESERVED_MEM) only for
	# 32-bit boards; the device-tree unit test selects it too.  Only
	# headers are generated here, so that selection costs nothing.
	EXTRA="CONFIG_OF_UNITTEST=y"
	[ "$TARGET" = x86_64 ] || LLVM=1
	;;
*)
	echo "usage: $0 riscv64|mips64|arm64|x86_64|x86_64-llvm" >&2
	exit 2
	;;
esac
export ARCH CROSS_COMPILE

if [ -n "$LLVM" ]; then
	CC_VERSION=$(clang --version 2>/dev/null | head -n 1)
	command -v ld.lld >/dev/null || lab_die "ld.lld missing: run scripts/install-deps.sh"
else
	CC_VERSION=$("${CROSS_COMPILE}gcc" --version 2>/dev/null | head -n 1)
fi
[ -n "$CC_VERSION" ] || lab_die "no compiler for $TARGET: run scripts/install-deps.sh"

FRAGMENT=$LAB_DIR/modules.config
PKGVER=$(linux_source_version)
[ "$PKGVER" != unknown ] ||
	lab_die "linux-source-$LAB_KVER is not installed: run scripts/install-deps.sh"
KEY=$( { echo "linux-source-$LAB_KVER $PKGVER $TARGET $DEFCONFIG $EXTRA"
	 echo "$CC_VERSION"; } | lab_key "$FRAGMENT" "$0")
TREE=$LAB_CACHE/tree-$LAB_KVER-$TARGET-$KEY
STAMP=$TREE/.lab-stamp

if [ -f "$STAMP" ] && lab_relocated "$TREE"; then
	lab_msg "tree $LAB_KVER $TARGET: cached ($TREE)"
	echo "$TREE"
	exit 0
fi

SRC=$(lab_source)
mkdir -p "$LAB_OUT/logs"
LOG=$LAB_OUT/logs/prepare-$LAB_KVER-$TARGET.log
: >"$LOG"
exec 9>"$LAB_CACHE/.lock-tree-$LAB_KVER-$TARGET"
flock 9
if [ -f "$STAMP" ]; then
	lab_relocate "$TREE" ${LLVM:+LLVM=1}
	lab_msg "tree $LAB_KVER $TARGET: cached ($TREE)"
	echo "$TREE"
	exit 0
fi

start=$(date +%s)
lab_msg "tree $LAB_KVER $TARGET: preparing $TREE (log: $LOG)"
rm -rf "$TREE"
mkdir -p "$TREE"
printf '%s\n' "$EXTRA" | cat "$FRAGMENT" - >"$TREE/.lab-fragment"
MAKE_K="make -C $SRC O=$TREE ARCH=$ARCH CROSS_COMPILE=$CROSS_COMPILE"
[ -z "$LLVM" ] || MAKE_K="$MAKE_K LLVM=1"

run_logged "$LOG" $MAKE_K "$DEFCONFIG"
run_logged "$LOG" sh -c "cd '$TREE' && '$SRC/scripts/kconfig/merge_config.sh' -m -O '$TREE' '$TREE/.config' '$TREE/.lab-fragment'"
run_logged "$LOG" $MAKE_K olddefconfig

missing=0
for opt in $(grep -E '^CONFIG_[A-Za-z0-9_]+=[ym]$' "$TREE/.lab-fragment"); do
	name=${opt%%=*}
	if ! grep -Eq "^$name=[ym]$" "$TREE/.config"; then
		echo "lab: $LAB_KVER $TARGET: $opt did not survive olddefconfig" >&2
		missing=1
	fi
done
[ "$missing" -eq 0 ] || lab_die "$TARGET: kernel options dropped (see above)"

run_logged "$LOG" nice $MAKE_K -j"$(nproc)" modules_prepare
touch "$STAMP"
lab_msg "tree $LAB_KVER $TARGET: prepared in $(($(date +%s) - start)) s"
echo "$TREE"

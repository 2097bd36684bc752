#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Build the lab's riscv64 kernel from Debian's linux-source-6.1.
#
# Usage: scripts/lab/build-kernel.sh [normal|debug]
#
# normal (the default) builds from kernel.config; debug adds
# kernel-debug.config on top (KASAN, lockdep, UBSAN, DEBUG_OBJECTS, ...),
# for the lab's second pass over the guest tests.
#
# Prints the kernel build directory (KDIR) as the last line of stdout;
# progress goes to stderr.  From KDIR:
#   $KDIR/arch/riscv/boot/Image   the kernel to boot
#   make -C $KDIR M=<dir>         builds out-of-tree modules against it
#   $KDIR/usr/gen_init_cpio       used by mkinitramfs.sh
#
# Layout in ${RPMSG_LAB_CACHE:-$HOME/.cache/rpmsg-lab}:
#   src/linux-<pkgver>/   pristine source extracted from
#                         /usr/src/linux-source-6.1.tar.xz (never built in)
#   kernel-<key>/         O= build directory, one per cache key
#   kernel-debug-<key>/   the same for the debug variant
# The key hashes the config fragments, the linux-source-6.1 package
# version, the cross gcc version and this script.  A finished build has a
# .lab-stamp file: a warm run does nothing but print KDIR.
#
# The full build log is $RPMSG_LAB_OUT/logs/build-kernel.log (default
# <repo>/out/logs); its tail is shown on failure.
set -e
. "$(dirname "$0")/common.sh"

TARBALL=/usr/src/linux-source-6.1.tar.xz
VARIANT=${1:-normal}
case "$VARIANT" in
normal)
	FRAGMENTS=$LAB_DIR/kernel.config
	PREFIX=kernel
	;;
debug)
	FRAGMENTS="$LAB_DIR/kernel.config $LAB_DIR/kernel-debug.config"
	PREFIX=kernel-debug
	;;
*) lab_die "usage: $0 [normal|debug]" ;;
esac
[ -f "$TARBALL" ] || lab_die "$TARBALL missing: run scripts/install-deps.sh"
command -v "${CROSS_COMPILE}gcc" >/dev/null ||
	lab_die "${CROSS_COMPILE}gcc missing: run scripts/install-deps.sh"

PKGVER=$(linux_source_version)
KEY=$( { echo "linux-source-6.1 $PKGVER"; cross_gcc_version; } |
	lab_key $FRAGMENTS "$0")
SRC=$LAB_CACHE/src/linux-$PKGVER
KDIR=$LAB_CACHE/$PREFIX-$KEY
STAMP=$KDIR/.lab-stamp

if [ -f "$STAMP" ]; then
	lab_msg "kernel ($VARIANT): cached ($KDIR)"
	echo "$KDIR"
	exit 0
fi

mkdir -p "$LAB_CACHE/src" "$LAB_OUT/logs"
LOG=$LAB_OUT/logs/build-$PREFIX.log
: >"$LOG"

# One builder per key at a time (e.g. two checkouts sharing the cache).
exec 9>"$LAB_CACHE/.lock-kernel"
flock 9
if [ -f "$STAMP" ]; then
	echo "$KDIR"
	exit 0
fi

start=$(date +%s)

if [ ! -f "$SRC/.lab-extracted" ]; then
	lab_msg "kernel: extracting $TARBALL (linux-source-6.1 $PKGVER)"
	rm -rf "$SRC" "$SRC.tmp"
	mkdir -p "$SRC.tmp"
	run_logged "$LOG" tar -C "$SRC.tmp" -xJf "$TARBALL"
	mv "$SRC.tmp/linux-source-6.1" "$SRC"
	rmdir "$SRC.tmp"
	touch "$SRC/.lab-extracted"
fi

lab_msg "kernel ($VARIANT): building in $KDIR (log: $LOG)"
mkdir -p "$KDIR"
MAKE_K="make -C $SRC O=$KDIR ARCH=$ARCH CROSS_COMPILE=$CROSS_COMPILE"

run_logged "$LOG" $MAKE_K allnoconfig
# shellcheck disable=SC2086 # FRAGMENTS is a list of paths without spaces
run_logged "$LOG" sh -c "cd '$KDIR' && '$SRC/scripts/kconfig/merge_config.sh' -m -O '$KDIR' '$KDIR/.config' $FRAGMENTS"
run_logged "$LOG" $MAKE_K olddefconfig

# Every option of the fragments must have survived olddefconfig (a later
# fragment overrides an earlier one).
missing=0
while IFS= read -r opt; do
	name=${opt%%=*}
	val=${opt#*=}
	case "$val" in
	n)
		if grep -Eq "^$name=[ym]$" "$KDIR/.config"; then
			echo "lab: kernel.config: $opt but .config has" \
				"$(grep "^$name=" "$KDIR/.config")" >&2
			missing=1
		fi
		;;
	*)
		if ! grep -qx "$opt" "$KDIR/.config"; then
			got=$(grep -E "^(# )?$name[= ]" "$KDIR/.config" || true)
			echo "lab: kernel.config: $opt missing after olddefconfig" \
				"(have: ${got:-nothing})" >&2
			missing=1
		fi
		;;
	esac
done <<EOF
$(cat $FRAGMENTS | grep -E '^CONFIG_[A-Za-z0-9_]+=' | awk -F= '{ v[$1] = $0; if (!($1 in o)) { o[$1] = n++ } } END { for (k in o) print o[k] "\t" v[k] }' | sort -n | cut -f2)
EOF
[ "$missing" -eq 0 ] || lab_die "kernel config options were dropped (see above)"

lab_msg "kernel: make -j$(nproc) Image modules"
run_logged "$LOG" $MAKE_K -j"$(nproc)" Image modules
[ -f "$KDIR/arch/riscv/boot/Image" ] || lab_die "no Image after build"
[ -s "$KDIR/Module.symvers" ] || lab_die "no Module.symvers after build"
[ -x "$KDIR/usr/gen_init_cpio" ] ||
	run_logged "$LOG" $MAKE_K usr/gen_init_cpio

touch "$STAMP"
lab_msg "kernel ($VARIANT): built in $(($(date +%s) - start)) s"
echo "$KDIR"

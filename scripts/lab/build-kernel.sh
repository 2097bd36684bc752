#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Build the lab's riscv64 kernel from Debian's linux-source-$LAB_KVER.
#
# Usage: [LAB_KVER=X.Y] scripts/lab/build-kernel.sh [normal|debug]
#
# normal (the default) builds from kernel.config; debug adds
# kernel-debug.config on top (KASAN, lockdep, UBSAN, DEBUG_OBJECTS, ...),
# for the lab's second pass over the guest tests.  LAB_KVER (default 6.1,
# see common.sh) picks the kernel line: 5.10, 6.1, 6.12 or sid's.
#
# A fragment line may end in "# since X.Y" or "# before X.Y": it is used
# only for kernels from X.Y on, or only for kernels older than X.Y (options
# that were added, renamed or removed in between).
#
# Prints the kernel build directory (KDIR) as the last line of stdout;
# progress goes to stderr.  From KDIR:
#   $KDIR/arch/riscv/boot/Image   the kernel to boot
#   make -C $KDIR M=<dir>         builds out-of-tree modules against it
#   $KDIR/usr/gen_init_cpio       used by mkinitramfs.sh
#
# Layout in ${RPMSG_LAB_CACHE:-$HOME/.cache/rpmsg-lab}:
#   src/linux-<pkgver>/   pristine source (lab_source in common.sh)
#   kernel-<key>/         O= build directory, one per cache key
#   kernel-debug-<key>/   the same for the debug variant
# The key hashes the config fragments, the linux-source-$LAB_KVER package
# version, the cross gcc version and this script.  A finished build has a
# .lab-stamp file: a warm run does nothing but print KDIR.  A cache that
# was moved or copied is pointed at its own src/ first (lab_relocate).
#
# The full build log is $RPMSG_LAB_OUT/logs/build-kernel-$LAB_KVER.log
# (default <repo>/out/logs); its tail is shown on failure.
set -e
. "$(dirname "$0")/common.sh"

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
command -v "${CROSS_COMPILE}gcc" >/dev/null ||
	lab_die "${CROSS_COMPILE}gcc missing: run scripts/install-deps.sh"

PKGVER=$(linux_source_version)
[ "$PKGVER" != unknown ] ||
	lab_die "linux-source-$LAB_KVER is not installed: run scripts/install-deps.sh"
KEY=$( { echo "linux-source-$LAB_KVER $PKGVER"; cross_gcc_version; } |
	lab_key $FRAGMENTS "$0")
# 6.1 keeps its historical names; other lines carry their version.
[ "$LAB_KVER" = 6.1 ] || PREFIX=$PREFIX-$LAB_KVER
KDIR=$LAB_CACHE/$PREFIX-$KEY
STAMP=$KDIR/.lab-stamp

if [ -f "$STAMP" ] && lab_relocated "$KDIR"; then
	lab_msg "kernel $LAB_KVER ($VARIANT): cached ($KDIR)"
	echo "$KDIR"
	exit 0
fi

mkdir -p "$LAB_OUT/logs"
LOG=$LAB_OUT/logs/build-$PREFIX.log
: >"$LOG"

# One builder per key at a time (e.g. two checkouts sharing the cache, or
# a lane and the background builds); whoever waited for that key then finds
# it built.  Then one kernel build at a time, as each uses every core: a
# lane that waits for its own kernel never waits for another's.
exec 9>"$LAB_CACHE/.lock-$PREFIX-$KEY"
flock 9
if [ -f "$STAMP" ]; then
	lab_relocate "$KDIR" ARCH="$ARCH" CROSS_COMPILE="$CROSS_COMPILE"
	lab_msg "kernel $LAB_KVER ($VARIANT): cached ($KDIR)"
	echo "$KDIR"
	exit 0
fi
exec 8>"$LAB_CACHE/.lock-kernel"
flock 8

start=$(date +%s)
SRC=$(lab_source)

# The fragments as this version needs them: "# since"/"# before" lines
# kept or dropped, the marker removed.
mkdir -p "$KDIR"
FRAG=$KDIR/.lab-fragment
cat $FRAGMENTS | while IFS= read -r line; do
	case "$line" in
	*"# since "*)
		v=${line##*# since }
		lab_kver_ge "$LAB_KVER" "$v" || continue
		line=${line%%[[:space:]]*# since *}
		;;
	*"# before "*)
		v=${line##*# before }
		lab_kver_ge "$LAB_KVER" "$v" && continue
		line=${line%%[[:space:]]*# before *}
		;;
	esac
	printf '%s\n' "$line"
done >"$FRAG"

lab_msg "kernel $LAB_KVER ($VARIANT): building in $KDIR (log: $LOG)"
MAKE_K="make -C $SRC O=$KDIR ARCH=$ARCH CROSS_COMPILE=$CROSS_COMPILE"

run_logged "$LOG" $MAKE_K allnoconfig

run_logged "$LOG" sh -c "cd '$KDIR' && '$SRC/scripts/kconfig/merge_config.sh' -m -O '$KDIR' '$KDIR/.config' '$FRAG'"
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
$(grep -E '^CONFIG_[A-Za-z0-9_]+=' "$FRAG" | awk -F= '{ v[$1] = $0; if (!($1 in o)) { o[$1] = n++ } } END { for (k in o) print o[k] "\t" v[k] }' | sort -n | cut -f2)
EOF
[ "$missing" -eq 0 ] || lab_die "kernel config options were dropped (see above)"

lab_msg "kernel: make -j$(nproc) Image modules"
run_logged "$LOG" $MAKE_K -j"$(nproc)" Image modules
[ -f "$KDIR/arch/riscv/boot/Image" ] || lab_die "no Image after build"
[ -s "$KDIR/Module.symvers" ] || lab_die "no Module.symvers after build"
[ -x "$KDIR/usr/gen_init_cpio" ] ||
	run_logged "$LOG" $MAKE_K usr/gen_init_cpio

touch "$STAMP"
lab_msg "kernel $LAB_KVER ($VARIANT): built in $(($(date +%s) - start)) s"
echo "$KDIR"

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Build a static riscv64 busybox from Debian's busybox source package.
#
# Usage: scripts/lab/build-busybox.sh
#
# Prints the path of the busybox binary as the last line of stdout;
# progress goes to stderr.  Next to the binary is busybox.links, the list
# of applet paths (/bin/sh, /usr/bin/awk, ...) used by mkinitramfs.sh.
#
# Layout in ${RPMSG_LAB_CACHE:-$HOME/.cache/rpmsg-lab}:
#   src/busybox-<ver>/   source from `apt-get source busybox=<ver>` (needs
#                        deb-src, enabled by scripts/install-deps.sh)
#   busybox-<key>/       O= build directory, .lab-stamp when finished
# The key hashes the source version, the cross gcc version, this script and
# scripts/lab/busybox.config (overrides on top of busybox's defconfig).
# Build log: $RPMSG_LAB_OUT/logs/build-busybox.log (default <repo>/out/logs).
set -e
. "$(dirname "$0")/common.sh"

FRAGMENT=$LAB_DIR/busybox.config
# Applets the lab relies on; the build fails if one is missing.
NEEDED="sh ash insmod rmmod lsmod mount umount dmesg cat echo dd ip ifconfig
ping ping6 nc poweroff timeout sleep grep sed awk head tail wc md5sum
sha256sum cmp seq od hexdump find xargs kill ps stat chmod su chpst setpriv
mkfifo tr sort uniq cut date usleep nproc cttyhack setsid mkdir ln rm ls"

command -v "${CROSS_COMPILE}gcc" >/dev/null ||
	lab_die "${CROSS_COMPILE}gcc missing: run scripts/install-deps.sh"

# Newest busybox source version apt knows about.
bb_version() {
	best=""
	for v in $(apt-cache showsrc busybox 2>/dev/null |
		   sed -n 's/^Version: //p'); do
		if [ -z "$best" ] || dpkg --compare-versions "$v" gt "$best"; then
			best=$v
		fi
	done
	echo "$best"
}

VER=$(bb_version)
if [ -z "$VER" ]; then
	lab_msg "busybox: no source package known, running apt-get update"
	apt-get update -qq >&2
	VER=$(bb_version)
	[ -n "$VER" ] || lab_die "apt-cache showsrc busybox: nothing (deb-src enabled? run scripts/install-deps.sh)"
fi

KEY=$( { echo "busybox $VER"; cross_gcc_version; } |
	lab_key "$FRAGMENT" "$0")
SRC=$LAB_CACHE/src/busybox-$(echo "$VER" | tr ":" "_")
BBDIR=$LAB_CACHE/busybox-$KEY
STAMP=$BBDIR/.lab-stamp

if [ -f "$STAMP" ]; then
	lab_msg "busybox: cached ($BBDIR)"
	echo "$BBDIR/busybox"
	exit 0
fi

mkdir -p "$LAB_CACHE/src" "$LAB_OUT/logs"
LOG=$LAB_OUT/logs/build-busybox.log
: >"$LOG"

exec 9>"$LAB_CACHE/.lock-busybox"
flock 9
if [ -f "$STAMP" ]; then
	echo "$BBDIR/busybox"
	exit 0
fi

start=$(date +%s)

if [ ! -f "$SRC/.lab-extracted" ]; then
	lab_msg "busybox: apt-get source busybox=$VER"
	dl=$LAB_CACHE/src/busybox-dl.tmp
	rm -rf "$SRC" "$dl"
	mkdir -p "$dl"
	# apt's _apt user cannot write to root's cache dir: plain download
	# as the current user is fine here.
	run_logged "$LOG" sh -c "cd '$dl' && apt-get source -q busybox='$VER'"
	set -- "$dl"/busybox-*/
	[ -d "$1" ] || lab_die "apt-get source produced no busybox-* directory"
	mv "$1" "$SRC"
	rm -rf "$dl"
	touch "$SRC/.lab-extracted"
fi

lab_msg "busybox: building $VER in $BBDIR (log: $LOG)"
rm -rf "$BBDIR"
mkdir -p "$BBDIR"
MAKE_B="make -C $SRC O=$BBDIR CROSS_COMPILE=$CROSS_COMPILE"

run_logged "$LOG" $MAKE_B defconfig

# Apply busybox.config: "CONFIG_X=..." and "# CONFIG_X is not set" lines.
grep -E '^(CONFIG_[A-Za-z0-9_]+=|# CONFIG_[A-Za-z0-9_]+ is not set$)' \
	"$FRAGMENT" >"$BBDIR/.lab-fragment"
while IFS= read -r line; do
	name=$(echo "$line" | sed -E 's/^(# )?(CONFIG_[A-Za-z0-9_]+).*/\2/')
	sed -i -E "/^(# )?$name[= ]/d" "$BBDIR/.config"
done <"$BBDIR/.lab-fragment"
cat "$BBDIR/.lab-fragment" >>"$BBDIR/.config"
run_logged "$LOG" sh -c "$MAKE_B oldconfig </dev/null"
while IFS= read -r line; do
	grep -qxF "$line" "$BBDIR/.config" ||
		lab_die "busybox.config: '$line' did not survive oldconfig"
done <"$BBDIR/.lab-fragment"

run_logged "$LOG" $MAKE_B -j"$(nproc)" busybox busybox.links
[ -x "$BBDIR/busybox" ] || lab_die "no busybox binary after build"

missing=""
for a in $NEEDED; do
	grep -q "/$a\$" "$BBDIR/busybox.links" || missing="$missing $a"
done
[ -z "$missing" ] || lab_die "busybox lacks applets:$missing"

touch "$STAMP"
lab_msg "busybox: built in $(($(date +%s) - start)) s"
echo "$BBDIR/busybox"

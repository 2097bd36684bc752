#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The network tools users run, for the lab's riscv64 guests: Debian
# trixie's riscv64 binaries of iproute2 (ip), ethtool, iperf3 and
# iputils-ping (ping), with the shared libraries they link, unpacked from
# the .debs (no foreign root file system, no dpkg architecture added to
# the host).
#
# Usage: scripts/lab/fetch-tools.sh
#
# Prints the directory to copy into the initramfs as the last line of
# stdout; progress goes to stderr. The directory holds
#   usr/local/bin/{ip,ethtool,iperf3,ping}
#   usr/lib/riscv64-linux-gnu/   the libraries they need (ELF DT_NEEDED,
#                                followed to the end, and libgcc_s, which
#                                glibc loads itself)
#   lib/ld-linux-riscv64-lp64d.so.1   the dynamic loader they name
#   sysroot/      not for the guest: libsysfs's headers and static library
#                 (libsysfs-dev), which libmetal's Linux system layer
#                 needs to build (scripts/lab/build-openamp.sh)
#
# Layout in ${RPMSG_LAB_CACHE:-$HOME/.cache/rpmsg-lab}:
#   apt-riscv64/   a private apt state (trixie main, riscv64 only), updated
#                  once, when it has no package lists yet; delete it to
#                  take newer versions
#   tools-<key>/   the result, .lab-stamp when finished
# The key hashes this script and the versions apt resolved.
set -e
. "$(dirname "$0")/common.sh"

PKGS="iproute2 ethtool iperf3 iputils-ping libsysfs-dev"
# package file -> name in usr/local/bin
BINS="usr/bin/ip:ip usr/sbin/ethtool:ethtool usr/bin/iperf3:iperf3
usr/bin/ping:ping"
# loaded with dlopen(), so in no DT_NEEDED: glibc's pthread_cancel needs
# libgcc_s to unwind (iperf3 cancels its threads)
DLOPENED="libgcc_s.so.1"
TRIPLET=riscv64-linux-gnu
READELF=${CROSS_COMPILE}readelf

command -v "$READELF" >/dev/null ||
	lab_die "$READELF missing: run scripts/install-deps.sh"

APT=$LAB_CACHE/apt-riscv64
mkdir -p "$APT/state/lists/partial" "$APT/cache/archives/partial" \
	"$APT/etc/preferences.d"
touch "$APT/state/status"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main" \
	>"$APT/etc/sources.list"
apt_r() {
	"$@" -o Dir::State="$APT/state" \
		-o Dir::State::status="$APT/state/status" \
		-o Dir::Cache="$APT/cache" \
		-o Dir::Etc::SourceList="$APT/etc/sources.list" \
		-o Dir::Etc::SourceParts=/dev/null \
		-o Dir::Etc::Preferences=/dev/null \
		-o Dir::Etc::PreferencesParts="$APT/etc/preferences.d" \
		-o APT::Architecture=riscv64 -o APT::Architectures::=riscv64 \
		-o Debug::NoLocking=1 $SANDBOX # shellcheck disable=SC2086
}
# as root, apt would hand the download to _apt, which cannot write here
SANDBOX=""
[ "$(id -u)" -ne 0 ] || SANDBOX="-o APT::Sandbox::User=root"

if ! ls "$APT"/state/lists/*_Packages* >/dev/null 2>&1; then
	lab_msg "tools: fetching trixie's riscv64 package list"
	apt_r apt-get update -qq >&2 ||
		lab_die "apt-get update of trixie (riscv64) failed"
fi

# Every package apt would install for them, with versions: the libraries
# are among them (the rest, maintainer-script helpers, is not unpacked).
# shellcheck disable=SC2086 # PKGS and PLAN are lists
PLAN=$(apt_r apt-get install -s --no-install-recommends $PKGS 2>/dev/null |
	sed -n 's/^Inst \([^ ]*\) (\([^ ]*\) .*/\1=\2/p')
[ -n "$PLAN" ] || lab_die "apt cannot resolve $PKGS for riscv64 in trixie"
KEY=$(echo "$PLAN" | lab_key "$0")
OUT=$LAB_CACHE/tools-$KEY
STAMP=$OUT/.lab-stamp
if [ -f "$STAMP" ]; then
	lab_msg "tools: cached ($OUT)"
	echo "$OUT"
	exit 0
fi

lab_msg "tools: downloading $(echo "$PLAN" | wc -l) packages"
(cd "$APT/cache/archives" && apt_r apt-get download -qq $PLAN >&2) ||
	lab_die "apt-get download failed"

rm -rf "$OUT"
ROOT=$OUT.unpacked
rm -rf "$ROOT"
mkdir -p "$ROOT" "$OUT/usr/local/bin" "$OUT/usr/lib/$TRIPLET" "$OUT/lib"
for p in $PLAN; do
	# apt-get download names it NAME_VERSION_ARCH.deb, ":" as "%3a"
	deb=$(ls "$APT/cache/archives/${p%%=*}_$(echo "${p#*=}" |
		sed 's/:/%3a/')_"*.deb 2>/dev/null | head -n 1)
	[ -f "$deb" ] || lab_die "no .deb for $p"
	dpkg-deb -x "$deb" "$ROOT"
done

# find_lib SONAME: its path in the unpacked packages
find_lib() {
	for d in "usr/lib/$TRIPLET" "lib/$TRIPLET" usr/lib lib; do
		[ -e "$ROOT/$d/$1" ] && { echo "$ROOT/$d/$1"; return 0; }
	done
	return 1
}

# copy_needed FILE: the libraries FILE needs, and theirs
copy_needed() {
	for so in $("$READELF" -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
		[ -e "$OUT/usr/lib/$TRIPLET/$so" ] && continue
		lib=$(find_lib "$so") || lab_die "$1 needs $so: in no package"
		cp -L "$lib" "$OUT/usr/lib/$TRIPLET/$so"
		copy_needed "$OUT/usr/lib/$TRIPLET/$so"
	done
}

for b in $BINS; do
	src=$ROOT/${b%%:*}
	[ -f "$src" ] || lab_die "${b%%:*} is in none of $PKGS"
	cp "$src" "$OUT/usr/local/bin/${b#*:}"
	copy_needed "$src"
done
for so in $DLOPENED; do
	lib=$(find_lib "$so") || lab_die "$so: in no package"
	cp -L "$lib" "$OUT/usr/lib/$TRIPLET/$so"
	copy_needed "$OUT/usr/lib/$TRIPLET/$so"
done
interp=$("$READELF" -l "$OUT/usr/local/bin/ip" |
	sed -n 's/.*Requesting program interpreter: \(.*\)\]/\1/p')
[ "$interp" = /lib/ld-linux-riscv64-lp64d.so.1 ] ||
	lab_die "unexpected program interpreter '$interp'"
cp -L "$(find_lib ld-linux-riscv64-lp64d.so.1)" "$OUT$interp"
mkdir -p "$OUT/sysroot/usr/lib/$TRIPLET" "$OUT/sysroot/usr/include"
cp -r "$ROOT/usr/include/sysfs" "$OUT/sysroot/usr/include/"
cp "$ROOT/usr/lib/$TRIPLET/libsysfs.a" "$OUT/sysroot/usr/lib/$TRIPLET/"
rm -rf "$ROOT"
echo "$PLAN" >"$OUT/packages"
touch "$STAMP"
lab_msg "tools: $(ls "$OUT/usr/local/bin" | tr '\n' ' ')in $OUT ($(du -sh "$OUT" | cut -f1))"
echo "$OUT"

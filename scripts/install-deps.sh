#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Install everything the lab needs on a Debian 12 (bookworm) host, from
# Debian packages only.  Idempotent: packages already present are skipped.
#
# Besides bookworm, three more Debian suites are added as apt sources,
# pinned to priority 1 so that bookworm stays the default for every
# package and nothing is taken from them unless named here:
#   bullseye-security  linux-source-5.10 (the Milk-V Duo SDK's kernel line)
#   trixie             nothing for the host; scripts/lab/fetch-tools.sh takes
#                      its riscv64 ip, ethtool, iperf3 and ping for the
#                      guests, through an apt state of its own (the host's
#                      dpkg gets no foreign architecture)
#   sid                the newest linux-source-* it offers (7.2 today)
# linux-source-6.12 comes from bookworm itself (bookworm-security carries
# the 6.12 line, built for bookworm, like its 6.12 headers below).
# The kernel version taken from sid is recorded in
# /usr/src/rpmsg-lab-sid-version so that the lab labels its results with
# the version actually built.
set -e

PKGS="linux-source-6.1 gcc-riscv64-linux-gnu libc6-dev-riscv64-cross \
qemu-system-misc device-tree-compiler flex bison bc libelf-dev libssl-dev \
cpio xz-utils make gcc dpkg-dev kmod procps rsync python3 \
gcc-mips64-linux-gnuabi64 gcc-aarch64-linux-gnu clang lld llvm sparse \
dkms linux-headers-amd64 dt-schema linux-source-6.12 cmake"

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo

installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed"
}

missing=""
for p in $PKGS; do
	installed "$p" || missing="$missing $p"
done

if [ -n "$missing" ]; then
	echo "install-deps: installing:$missing"
	$SUDO apt-get update -qq
	$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# busybox is built from source: bookworm has no riscv64 binaries.
if ! grep -q '^deb-src' /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null &&
   ! grep -qs 'Types:.*deb-src' /etc/apt/sources.list.d/*.sources; then
	echo "install-deps: enabling deb-src"
	if [ -f /etc/apt/sources.list.d/debian.sources ]; then
		$SUDO sed -i 's/^Types: deb$/Types: deb deb-src/' \
			/etc/apt/sources.list.d/debian.sources
	else
		sed -n 's/^deb /deb-src /p' /etc/apt/sources.list |
			$SUDO tee /etc/apt/sources.list.d/rpmsg-lab-src.list >/dev/null
	fi
	$SUDO apt-get update -qq
fi

# A second headers package for the DKMS gate (tests/host/dkms.sh): bookworm's
# own build of 6.12 (bookworm-security, the newest linux-headers-6.12.*
# +deb12-amd64).  trixie's linux-headers-amd64 is the same 6.12 line, but
# its kbuild tools need trixie's libc (>= 2.38) and gcc-14: a packager on
# bookworm uses bookworm's build.
hdr612=$(apt-cache search --names-only '^linux-headers-6\.12\.[0-9]+\+deb12-amd64$' |
	awk '{ print $1 }' | sort -V | tail -n 1)
if [ -z "$hdr612" ]; then
	echo "install-deps: bookworm offers no linux-headers-6.12.*+deb12-amd64" >&2
	exit 1
fi
if ! ls -d /usr/src/linux-headers-6.12.*+deb12-amd64 >/dev/null 2>&1; then
	echo "install-deps: installing $hdr612"
	$SUDO apt-get install -y -qq --no-install-recommends "$hdr612" >/dev/null
fi

# ---- the other kernel versions ------------------------------------------
SOURCES=/etc/apt/sources.list.d/rpmsg-lab-suites.sources
PREFS=/etc/apt/preferences.d/rpmsg-lab-suites
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
SUITES_TEXT="# rpmsg-lab (scripts/install-deps.sh): other Debian suites, pinned low.
Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bullseye-security
Components: main
Signed-By: $KEYRING

Types: deb
URIs: http://deb.debian.org/debian
Suites: trixie sid
Components: main
Signed-By: $KEYRING"
PREFS_TEXT="# rpmsg-lab (scripts/install-deps.sh): nothing comes from these suites
# unless it is named with /SUITE.
Package: *
Pin: release n=bullseye-security
Pin-Priority: 1

Package: *
Pin: release n=trixie
Pin-Priority: 1

Package: *
Pin: release n=sid
Pin-Priority: 1"

if [ "$(cat "$SOURCES" 2>/dev/null)" != "$SUITES_TEXT" ] ||
   [ "$(cat "$PREFS" 2>/dev/null)" != "$PREFS_TEXT" ]; then
	echo "install-deps: adding bullseye-security, trixie and sid (pinned to 1)"
	printf '%s\n' "$PREFS_TEXT" | $SUDO tee "$PREFS" >/dev/null
	printf '%s\n' "$SUITES_TEXT" | $SUDO tee "$SOURCES" >/dev/null
	$SUDO apt-get update -qq
fi

# take SUITE PACKAGE: install PACKAGE from SUITE unless it is installed.
take() {
	installed "$2" && return 0
	echo "install-deps: installing $2 from $1"
	$SUDO apt-get install -y -qq --no-install-recommends "$2/$1" >/dev/null
}

take bullseye-security linux-source-5.10

# sid moves on: the newest linux-source-X.Y it has.
SIDVER_FILE=/usr/src/rpmsg-lab-sid-version
sid_pkg=$(apt-cache search --names-only '^linux-source-[0-9]+\.[0-9]+$' |
	awk '{ print $1 }' | while read -r p; do
		if apt-cache policy "$p" | grep -q ' sid/'; then
			echo "$p"
		fi
	done | sort -t- -k3 -V | tail -n 1)
if [ -z "$sid_pkg" ]; then
	echo "install-deps: sid offers no linux-source-X.Y package" >&2
	exit 1
fi
take sid "$sid_pkg"
echo "${sid_pkg#linux-source-}" | $SUDO tee "$SIDVER_FILE" >/dev/null

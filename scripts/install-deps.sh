#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Install everything the lab needs on a Debian 12 (bookworm) host, from
# Debian packages only.  Idempotent: packages already present are skipped.
set -e

PKGS="linux-source-6.1 gcc-riscv64-linux-gnu libc6-dev-riscv64-cross \
qemu-system-misc device-tree-compiler flex bison bc libelf-dev libssl-dev \
cpio xz-utils make gcc dpkg-dev kmod rsync python3 \
gcc-mips64-linux-gnuabi64 gcc-aarch64-linux-gnu clang lld llvm sparse \
dkms linux-headers-amd64 dt-schema"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo

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

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# DKMS: dkms add, build and install the modules for two kernels from their
# Debian headers packages alone (the version read from the installed
# headers, not uname -r), then dkms remove:
#   - linux-headers-amd64 (bookworm's 6.1);
#   - the newest linux-headers-6.12.*+deb12-amd64 (bookworm's 6.12, see
#     scripts/install-deps.sh).
# Checks, each once per kernel as dkms:VER:CHECK (VER is 6.1 or 6.12):
#   dkms:build      dkms build succeeds and its log names every kernel
#                   option the headers' kernel lacks (the top Kbuild's
#                   report), e.g. CONFIG_OF
#   dkms:modules    the modules dkms.conf lists are exactly the .ko files
#                   the build produced
#   dkms:install    dkms install puts them in /lib/modules/VER/updates/dkms
#                   and modinfo reads them
#   dkms:remove     dkms remove --all leaves neither the modules nor the
#                   dkms tree behind
#
# Usage: sh tests/host/dkms.sh   (as root)
. "$(dirname "$0")/../../scripts/lab/common.sh"
. "$LAB_DIR/gates.sh"
set +e
# common.sh exports the lab's riscv64 ARCH and CROSS_COMPILE: not for dkms.
unset ARCH CROSS_COMPILE

NAME=rpmsg_amp
VER=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$REPO/dkms.conf")
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo

# dkms_check LINE HDR: the whole cycle against /usr/src/HDR (kernel LINE).
dkms_check() {
	gate_start
	line=$1
	hdr=$2
	KVER=${hdr#linux-headers-}
	if [ -z "$KVER" ] || [ ! -f "/usr/src/$hdr/.config" ] ||
	   [ ! -e "/lib/modules/$KVER/build" ]; then
		gate_result FAIL "dkms:$line:build" "no $line headers '$hdr' (scripts/install-deps.sh)"
		return 0
	fi
	echo "==== headers: $hdr (kernel $KVER)"

	cleanup() {
		$SUDO dkms remove -m "$NAME" -v "$VER" --all >/dev/null 2>&1
		$SUDO rm -rf "/usr/src/$NAME-$VER"
}
cleanup
$SUDO mkdir -p "/usr/src/$NAME-$VER"
gate_copy_src "$LAB_OUT/gates/dkms-src"
$SUDO cp -a "$LAB_OUT/gates/dkms-src/." "/usr/src/$NAME-$VER/"

log=$LAB_OUT/gates/dkms.log
: >"$log"
if ! $SUDO dkms add -m "$NAME" -v "$VER" >>"$log" 2>&1; then
	cat "$log"
	gate_result FAIL "dkms:$line:build" "dkms add failed"
	cleanup
	return 0
fi
if ! nice $SUDO dkms build -m "$NAME" -v "$VER" -k "$KVER" >>"$log" 2>&1; then
	cat "$log" /var/lib/dkms/$NAME/$VER/build/make.log 2>/dev/null
	gate_result FAIL "dkms:$line:build" "dkms build failed"
	cleanup
	return 0
fi
mlog=$(ls /var/lib/dkms/"$NAME/$VER/$KVER"/*/log/make.log 2>/dev/null | head -n 1)
[ -n "$mlog" ] || mlog=/var/lib/dkms/$NAME/$VER/build/make.log
cat "$log"
echo "make.log: $mlog"
grep 'rpmsg_amp: CONFIG_' "$mlog"
why=""
for o in OF OF_RESERVED_MEM MAILBOX VIRTIO RPMSG_VIRTIO NET KUNIT; do
	if grep -Eq "^CONFIG_$o=[ym]" "/usr/src/$hdr/.config"; then
		! grep -q "rpmsg_amp: CONFIG_$o is not set" "$mlog" ||
			why="$why CONFIG_$o reported missing but is set;"
	else
		grep -q "rpmsg_amp: CONFIG_$o is not set" "$mlog" ||
			why="$why CONFIG_$o missing but not reported;"
	fi
done
if [ -n "$why" ]; then
	gate_result FAIL "dkms:$line:build" "${why%;}"
else
	gate_result PASS "dkms:$line:build"
fi

# dkms cleans its build area: the modules built are the "LD [M] *.ko"
# lines of its make.log.
built=$(sed -n 's|^ *LD \[M\] *.*/\([^/]*\)\.ko$|\1|p' "$mlog" | sort -u |
	tr '\n' ' ')
# dkms.conf reads .config through kernelver; source it the same way.
listed=$(kernelver=$KVER bash -c '. "$1/dkms.conf"; printf "%s\n" "${BUILT_MODULE_NAME[@]}"' \
	_ "/usr/src/$NAME-$VER" 2>/dev/null | sort | tr '\n' ' ')
echo "built: $built"
echo "dkms.conf: $listed"
if [ -n "$built" ] && [ "$built" = "$listed" ]; then
	gate_result PASS "dkms:$line:modules"
else
	gate_result FAIL "dkms:$line:modules" "dkms.conf lists '$listed', the build made '$built'"
fi

if $SUDO dkms install -m "$NAME" -v "$VER" -k "$KVER" >>"$log" 2>&1; then
	why=""
	for m in $listed; do
		f=$(ls /lib/modules/"$KVER"/updates/dkms/"$m".ko* 2>/dev/null | head -n 1)
		if [ -z "$f" ]; then
			why="$why $m not installed;"
		elif ! /sbin/modinfo -F description "$f" | grep -q .; then
			why="$why modinfo cannot read $m;"
		fi
	done
	if [ -n "$why" ]; then
		gate_result FAIL "dkms:$line:install" "${why%;}"
	else
		gate_result PASS "dkms:$line:install"
	fi
else
	tail -n 30 "$log"
	gate_result FAIL "dkms:$line:install" "dkms install failed"
fi
$SUDO dkms status -m "$NAME"

$SUDO dkms remove -m "$NAME" -v "$VER" --all >>"$log" 2>&1
left=$(ls /lib/modules/"$KVER"/updates/dkms/rpmsg_amp* 2>/dev/null;
	ls -d "/var/lib/dkms/$NAME/$VER" 2>/dev/null)
if [ -n "$left" ]; then
	gate_result FAIL "dkms:$line:remove" "left behind: $left"
else
	gate_result PASS "dkms:$line:remove"
fi
cleanup
echo "gate dkms $line: $(gate_elapsed) s"
}

# The kernel version of the linux-headers-amd64 package's headers.
hdr61=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 2>/dev/null |
	sed -n 's/.*\(linux-headers-[0-9][^ ,]*-amd64\).*/\1/p')
hdr612=$(cd /usr/src && ls -d linux-headers-6.12.*+deb12-amd64 2>/dev/null |
	sort -V | tail -n 1)
dkms_check 6.1 "$hdr61"
dkms_check 6.12 "$hdr612"

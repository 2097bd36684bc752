#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# modinfo of every module built for the lab (riscv64, against the lab
# kernel) must show a description, an author, the license, a version, and:
#   - an "alias: of:N*T*C<compatible>" line for every compatible of its
#     of_device_id table (autoloading from the device tree), and
#   - a "parmdesc:" for every "parm:" (module_param with MODULE_PARM_DESC).
# The host's modinfo reads the .ko files of any architecture.
#
# Usage: sh tests/host/modinfo.sh
. "$(dirname "$0")/../../scripts/lab/common.sh"
. "$LAB_DIR/gates.sh"
set +e

gate_start
PKGVER=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$REPO/dkms.conf")
KDIR=${KDIR:-$("$LAB_DIR/build-kernel.sh" | tail -n 1)}
src=$LAB_OUT/gates/modinfo
gate_copy_src "$src"
if ! nice make -C "$src" KDIR="$KDIR" ARCH="$ARCH" CROSS_COMPILE="$CROSS_COMPILE" \
	-j"$(nproc)" >"$src.log" 2>&1; then
	cat "$src.log"
	gate_result FAIL modinfo "module build failed"
	exit 0
fi
nko=0
for ko in $(cd "$src" && find . -name '*.ko' | sort); do
	nko=$((nko + 1))
	m=$(basename "$ko" .ko)
	info=$(/sbin/modinfo "$src/$ko" 2>&1) || {
		echo "$info"
		gate_result FAIL "modinfo:$m" "modinfo failed"
		continue
	}
	echo "== $ko"
	echo "$info" | grep -vE '^(srcversion|depends|retpoline|intree|name|vermagic|filename):'
	why=""
	for field in description author license version; do
		echo "$info" | grep -Eq "^$field: +[^ ]" || why="$why no $field;"
	done
	# one version for the whole set: RPMSG_AMP_VERSION = dkms.conf's
	echo "$info" | grep -Eq "^version: +$PKGVER\$" ||
		why="$why version is not $PKGVER (dkms.conf PACKAGE_VERSION);"
	# compatibles of the source's of_device_id tables
	c=$(echo "$ko" | sed 's|^\./||; s|\.ko$||')
	srcs=$(ls "$src/$c.c" 2>/dev/null; sed -n "s/^$m-y[ :+]*=//p" \
		"$(dirname "$src/$c")/Kbuild" 2>/dev/null | tr ' \\' '\n\n' |
		sed -n "s|\\.o\$|.c|p" | sed "s|^|$(dirname "$src/$c")/|")
	for compat in $(cat $srcs 2>/dev/null |
		sed -n 's/.*\.compatible *= *"\([^"]*\)".*/\1/p'); do
		echo "$info" | grep -q "^alias: *of:N\*T\*C$compat\$" ||
			why="$why no of: alias for $compat;"
	done
	for p in $(echo "$info" | sed -n 's/^parm: *\([^:]*\):.*/\1/p'); do
		echo "$info" | grep -Eq "^parm: +$p:.+ \(" ||
			why="$why parameter $p has no MODULE_PARM_DESC;"
	done
	if [ -n "$why" ]; then
		why=${why# }
		gate_result FAIL "modinfo:$m" "${why%;}"
	else
		gate_result PASS "modinfo:$m"
	fi
done
[ "$nko" -gt 0 ] || gate_result FAIL modinfo "no module was built"
echo "gate modinfo: $(gate_elapsed) s ($nko modules)"

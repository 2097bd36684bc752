#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# dts: dts/qemu-virt-rpmsg-bad.dtsi
# timeout: 120
#
# Channels with a broken device-tree description fail to probe, the log
# names the property, and the good channels keep working.
. /tests/lib.sh

dmesg_mark
load_modules || exit 1
wait_for /dev/rpmsg1_13 10
sleep 1
dmesg_since_mark > /tmp/log

expect() {
	node=$1
	shift
	if [ -e /sys/bus/platform/drivers/rpmsg_amp/$node ]; then
		t_fail "baddt/$node" "probe succeeded"
	elif grep "$node" /tmp/log | grep -q "$*"; then
		t_pass "baddt/$node"
	else
		t_fail "baddt/$node" "no log line with '$*'"
		grep "$node" /tmp/log
	fi
}
expect rpmsg-bad-nocarveout "memory-region: no 'vring' carveout"
expect rpmsg-bad-smallcarveout "memory-region: vring carveout too small"
expect rpmsg-bad-nombox "mboxes: missing"
expect rpmsg-bad-vringnum "vring-num: invalid value 100"
expect rpmsg-bad-role 'rpmsg-role: unknown role "slave"'
expect rpmsg-bad-dupindex "channel-index: 1 already used"
expect rpmsg-bad-bufsize "buffer-size: 1024 not supported"
expect rpmsg-bad-endpoint "misc-dev-endpoints: endpoint address 53"
expect rpmsg-bad-single "eth-single-message-endpoints: address 15 not in eth-dev-endpoints"
expect rpmsg-bad-resets "resets: only the master role resets the other core"
expect rpmsg-bad-wdog 'interrupts: "wdog" needs the other core.s reset (resets)'

# the good pair still talks
rm -f /tmp/got
(timeout 3 cat /dev/rpmsg2_13 > /tmp/got) &
usleep 200000
echo healthy > /dev/rpmsg1_13
wait
[ "$(cat /tmp/got)" = healthy ] && t_pass baddt/good_channels_work ||
	t_fail baddt/good_channels_work "got '$(cat /tmp/got)'"
unload_modules && t_pass baddt/unload

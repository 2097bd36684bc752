#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# run-tests: skip
#
# The two-guest lab's helpers (scripts/lab/two.py): the shell on each
# guest's console sources this after /tests/lib.sh; lab.two= on the kernel
# command line says which side the guest is.  Not a test of its own.
#
#   TWO_ROLE, TWO_DEV, TWO_NET, TWO_IP, TWO_PEER_IP
#	this guest's role, char device, net device and addresses
#   two_carveout       enable the ivshmem device that holds the carveout,
#                      check it is where the device tree says
#   two_load ROLE      two_carveout, then insmod the doorbell, rpmsg_amp,
#                      char and net modules
#   two_peer_up        wait until the channel reports its peer up
#   two_net_up IP      address the net device and bring it up
#   two_carrier        wait for carrier on the net device
#   two_no_rejects     the channel refused nothing
#   two_mark           remember the loaded modules, mark the kernel log
#   two_devices_stayed the char and net devices are still there
#   two_saw_peer_down  the kernel log reports the peer down since two_mark
#   two_same_modules   the same modules as at two_mark (none reloaded)
#   two_drain          read whatever waits on the char device
#   two_ctrl           insmod the kernel's rpmsg_char and rpmsg_ctrl

TWO_ROLE=$(sed -n 's/.*lab\.two=\([a-z]*\).*/\1/p' /proc/cmdline)
if [ "$TWO_ROLE" = master ]; then
	TWO_CH=1 TWO_IP=192.168.2.2 TWO_PEER_IP=192.168.2.3
else
	TWO_CH=2 TWO_IP=192.168.2.3 TWO_PEER_IP=192.168.2.2
fi
TWO_DEV=/dev/rpmsg${TWO_CH}_13
TWO_NET=rpmsg${TWO_CH}_14
TWO_SYS=/sys/bus/platform/devices/rpmsg-$TWO_CH

two_carveout() {
	for _d in /sys/bus/pci/devices/*; do
		[ "$(cat "$_d/vendor"):$(cat "$_d/device")" = 0x1af4:0x1110 ] ||
			continue
		echo 1 > "$_d/enable" || return 1
		_bar2=$(sed -n 3p "$_d/resource" | cut -d' ' -f1)
		[ "$_bar2" = 0x0000000400000000 ] && return 0
		echo "two_carveout: ivshmem memory at $_bar2, the device tree says 0x400000000"
		return 1
	done
	echo "two_carveout: no ivshmem device"
	return 1
}

two_load() {
	# the debug kernel: kmemleak reports what leaks from here on
	[ "$LAB_VARIANT" != debug ] || kmemleak_arm
	two_carveout || return 1
	for _m in rpmsg_amp_serial_mbox rpmsg_amp rpmsg_amp_char rpmsg_amp_net; do
		insmod "$LAB_MODDIR/$_m.ko" || return 1
	done
	wait_for "$TWO_DEV" 20 && grep -qx "$1" "$TWO_SYS/role"
}

_two_peer_is_up() {
	grep -qx up "$TWO_SYS/peer"
}

two_peer_up() {
	lab_until 60 _two_peer_is_up
}

two_net_up() {
	ip addr replace "$1/24" dev "$TWO_NET" && ip link set "$TWO_NET" up
}

_two_has_carrier() {
	ip link show "$TWO_NET" | grep -q LOWER_UP
}

two_carrier() {
	lab_until 30 _two_has_carrier
}

two_no_rejects() {
	_r=$(cat "$TWO_SYS/statistics/rejects")
	echo "rejects: $_r"
	[ "$_r" = 0 ]
}

_two_modules() {
	lsmod | awk 'NR > 1 { print $1 }' | sort
}

two_mark() {
	_two_modules > /tmp/two.modules
	dmesg_mark
}

two_devices_stayed() {
	[ -c "$TWO_DEV" ] && ip link show "$TWO_NET" > /dev/null
}

_two_down_logged() {
	dmesg_since_mark | grep -q "peer down"
}

two_saw_peer_down() {
	lab_until 60 _two_down_logged
}

two_same_modules() {
	_two_modules | diff /tmp/two.modules -
}

two_drain() {
	timeout 1 cat "$TWO_DEV" > /dev/null
	true
}

two_ctrl() {
	insmod /lib/modules/kernel/rpmsg_char.ko &&
		insmod /lib/modules/kernel/rpmsg_ctrl.ko &&
		lab_until 10 ctrl_of "rpmsg-$TWO_CH" > /dev/null
}

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 300
#
# The kernel's own rpmsg drivers on both roles: channel 1 (master) and
# channel 2 (remote) each have their own rpmsg bus, the kernel's
# virtio_rpmsg_bus, and the drivers run on either against the other side,
# driven the way OpenAMP's Linux tools and vendor user space drive them:
#   - rpmsg_char and rpmsg_ctrl insmod'ed on top: each channel's bus gets
#     its control device (virtio_rpmsg_bus creates it from 5.18 on; 5.10
#     has none: SKIP there), found through sysfs;
#   - an endpoint created with RPMSG_CREATE_EPT_IOCTL on the master (src
#     18, dst 18) talks to the remote's /dev/rpmsg2_18 both ways:
#     echo/cat; sizes 1, 2, 495 and 496 byte-exact as one message each
#     (rpmsg_chartest boundaries, each direction); random messages both
#     ways at once, byte-exact and in order, where every message lost is
#     one the remote's full receive queue counted (rpmsg_stress -L;
#     rpmsg_char itself never drops); one way only (completions);
#   - the same endpoint on the remote's bus (src 19, dst 19) against the
#     master's /dev/rpmsg1_19: echo/cat and boundaries both ways;
#   - RPMSG_DESTROY_EPT_IOCTL removes the nodes;
#   - rpmsg_amp_net as an rpmsg driver: an rpmsg device "rpmsg-amp-net"
#     made on the master's bus with RPMSG_CREATE_DEV_IOCTL (src 40, dst
#     any) gives rpmsg1_40, its announcement gives rpmsg2_40 on the
#     remote, both get carrier and ping each other; RPMSG_RELEASE_DEV_IOCTL
#     removes both;
#   - rmmod of rpmsg_ctrl and rpmsg_char leaves our own endpoints working;
#   - with tests/rpmsg_amp_echo.c on one side (it announces
#     "rpmsg-client-sample" and "rpmsg-tty" and echoes every message to
#     its sender, as the echo demos of RPMsg-Lite and OpenAMP do), first
#     on the remote, then on the master: on the other side the kernel's
#     rpmsg_client_sample binds to the announcement and completes its 100
#     ping-pongs ("goodbye!"); rpmsg_tty (5.16 and later) binds and gives
#     /dev/ttyRPMSGn, through which a line (raw, no echo) comes back;
#     our rpmsg_amp_char binds to its "rpmsg-amp-char" at 32 as an rpmsg
#     driver and gives /dev/rpmsgN_32 (N: the channel of that side),
#     through which a message comes back byte-exact; the kernel's
#     rpmsg_char binds to its "rpmsg-raw" at 33 (kernels whose rpmsg_char
#     has it) and gives /dev/rpmsgK, through which a message comes back;
#     rmmod of the echo
#     module withdraws the services, which unbinds the drivers and
#     removes the nodes (on the debug kernel the drivers are unbound
#     first: see the comment there);
#   - nothing leaks.
. /tests/lib.sh

A=/dev/rpmsg1_13
B=/dev/rpmsg2_13
R=/dev/rpmsg2_18
KMOD=/lib/modules/kernel

load_modules || exit 1
wait_for $A 10 && wait_for $B 10 && wait_for $R 10 ||
	{ t_fail mainline/devnodes "$(ls /dev/rpmsg* 2>&1)"; exit 1; }

# ---- rpmsg_client_sample and rpmsg_tty against announced services -----
samples() { dmesg | grep -c "rpmsg_client_sample.*incoming msg"; }
said_goodbye() { [ "$(dmesg | grep -c "rpmsg_client_sample.*goodbye!")" -gt "$bye0" ]; }
tty_gone() { [ ! -e /dev/ttyRPMSG0 ]; }
# the /dev/rpmsgK of rpmsg_char for an announced "rpmsg-raw"
raw_node() {
	for _e in /sys/class/rpmsg/rpmsg[0-9]*; do
		[ "$(cat "$_e/name" 2>/dev/null)" = rpmsg-raw ] &&
			{ echo "/dev/${_e##*/}"; return 0; }
	done
	return 1
}
raw_gone() { ! raw_node > /dev/null; }
# round_trip NAME DEV TEXT: TEXT written to DEV, whose other side echoes
# it, is read back from DEV, through one open of it (rpmsg_char's nodes
# take one opener)
round_trip() {
	rm -f /tmp/mainline.rt
	exec 5<>"$2"
	cat <&5 > /tmp/mainline.rt &
	_rt=$!
	printf '%s' "$3" >&5
	lab_until 5 grep -q "$3" /tmp/mainline.rt &&
		t_pass "mainline/$1" ||
		t_fail "mainline/$1" "read: $(cat /tmp/mainline.rt)"
	kill $_rt 2>/dev/null
	wait
	exec 5>&-
}

# announced SUFFIX ROLE N: rpmsg_amp_echo serves the channels of ROLE, and
# the kernel's drivers and ours on the other side (channel N) bind to
# what it announces
announced() {
	_s=$1
	C=/dev/rpmsg$3_32
	t_check mainline/insmod_echo$_s insmod "$LAB_MODDIR/rpmsg_amp_echo.ko" role=$2 || return 1
	s0=$(samples)
	bye0=$(dmesg | grep -c "rpmsg_client_sample.*goodbye!")
	t_check mainline/insmod_client_sample$_s insmod $KMOD/rpmsg_client_sample.ko
	if lab_until 30 said_goodbye && [ $(($(samples) - s0)) = 100 ]; then
		t_pass mainline/client_sample$_s
	else
		dmesg | grep rpmsg_client_sample | tail -n 5
		t_fail mainline/client_sample$_s "$(($(samples) - s0)) of 100 replies, goodbye: $(said_goodbye && echo yes || echo no)"
	fi
	t_check mainline/rmmod_client_sample$_s lab_rmmod rpmsg_client_sample

	# our char driver, bound by service name
	if wait_for $C 10; then
		t_pass mainline/char_service_node$_s
		round_trip char_service_echo$_s $C 'to the service at 32 and back'
	else
		t_fail mainline/char_service_node$_s "no $C: $(dmesg | grep rpmsg_amp_char | tail -n 3)"
	fi
	char_gone() { [ ! -e $C ]; }

	# the kernel's rpmsg_char bound to "rpmsg-raw" (at 33): /dev/rpmsgK
	raw=no
	if [ -f $KMOD/rpmsg_char.ko ] && grep -q rpmsg-raw $KMOD/rpmsg_char.ko; then
		raw=yes
		t_check mainline/insmod_rpmsg_char_raw$_s insmod $KMOD/rpmsg_char.ko
		if lab_until 10 raw_node > /dev/null; then
			t_pass mainline/raw_node$_s
			round_trip raw_echo$_s "$(raw_node)" 'to rpmsg-raw at 33 and back'
		else
			t_fail mainline/raw_node$_s "no rpmsg-raw node: $(ls /sys/class/rpmsg 2>&1)"
		fi
	else
		t_skip mainline/rpmsg_raw$_s "$(uname -r): this rpmsg_char does not bind to rpmsg-raw"
	fi

	if [ -f $KMOD/rpmsg_tty.ko ]; then
		t_check mainline/insmod_rpmsg_tty$_s insmod $KMOD/rpmsg_tty.ko
		if wait_for /dev/ttyRPMSG0 10; then
			t_pass mainline/tty_node$_s
			exec 3<>/dev/ttyRPMSG0
			stty -F /dev/ttyRPMSG0 raw -echo
			cat <&3 > /tmp/mainline.tty &
			pid=$!
			echo "uname -r on the other core" >&3
			lab_until 5 grep -q "uname -r on the other core" /tmp/mainline.tty &&
				t_pass mainline/tty_round_trip$_s ||
				t_fail mainline/tty_round_trip$_s "read: $(cat /tmp/mainline.tty)"
			kill $pid 2>/dev/null
			wait
			exec 3<&-
		else
			t_fail mainline/tty_node$_s "no /dev/ttyRPMSG0: $(dmesg | grep -i rpmsg_tty | tail -n 3)"
		fi
	else
		t_skip mainline/rpmsg_tty$_s "$(uname -r): rpmsg_tty came in 5.16"
	fi
	if [ "$(lab_variant)" = debug ]; then
		# A withdrawn service whose driver is bound makes
		# virtio_rpmsg_bus destroy that driver's endpoint (taking its
		# cb_lock) inside the name service's callback, which holds the
		# name-service endpoint's cb_lock, of the same lock class:
		# lockdep reports "possible recursive locking" (mainline has
		# no nesting annotation there; two different locks, no
		# deadlock), and is then off for the rest of the boot.  So on
		# the debug kernel the drivers go first; the other kernels
		# check the withdrawal with the driver bound.
		[ -f $KMOD/rpmsg_tty.ko ] && t_check mainline/rmmod_rpmsg_tty$_s lab_rmmod rpmsg_tty
		[ $raw = yes ] && t_check mainline/rmmod_rpmsg_char_raw$_s lab_rmmod rpmsg_char
		_d=$(readlink /sys/class/misc/${C#/dev/}/device)
		echo "${_d##*/}" > /sys/bus/rpmsg/drivers/rpmsg_amp_char/unbind
		t_check mainline/char_service_unbound$_s lab_until 5 char_gone
		t_check mainline/rmmod_echo$_s lab_rmmod rpmsg_amp_echo
	else
		t_check mainline/rmmod_echo$_s lab_rmmod rpmsg_amp_echo
		t_check mainline/char_service_withdrawn$_s lab_until 5 char_gone
		[ -f $KMOD/rpmsg_tty.ko ] && t_check mainline/tty_node_withdrawn$_s lab_until 5 tty_gone
		[ -f $KMOD/rpmsg_tty.ko ] && t_check mainline/rmmod_rpmsg_tty$_s lab_rmmod rpmsg_tty
		if [ $raw = yes ]; then
			t_check mainline/raw_node_withdrawn$_s lab_until 5 raw_gone
			t_check mainline/rmmod_rpmsg_char_raw$_s lab_rmmod rpmsg_char
		fi
	fi
	return 0
}
# the drivers on the master, the services on the remote
announced "" remote 1
# the drivers on the remote (its channel's own rpmsg bus), the services
# on the master
announced _on_remote master 2

# ---- rpmsg_ctrl and rpmsg_char ---------------------------------------
if [ ! -f $KMOD/rpmsg_ctrl.ko ]; then
	t_skip mainline/rpmsg_ctrl "$(uname -r): virtio_rpmsg_bus creates no rpmsg_ctrl device before 5.18"
	t_skip mainline/net_of_dev "$(uname -r): no RPMSG_CREATE_DEV_IOCTL to make the rpmsg device before 5.18"
	unload_modules
	kmemleak_check mainline/kmemleak
	exit 0
fi
t_check mainline/insmod_rpmsg_char insmod $KMOD/rpmsg_char.ko || exit 1
t_check mainline/insmod_rpmsg_ctrl insmod $KMOD/rpmsg_ctrl.ko || exit 1
lab_until 10 ctrl_of rpmsg-1 >/dev/null && lab_until 10 ctrl_of rpmsg-2 >/dev/null
t_check mainline/ctrl_nodes test -c "$(ctrl_of rpmsg-1)" -a -c "$(ctrl_of rpmsg-2)" || exit 1
CTRL=$(ctrl_of rpmsg-1)

if ! K=$(rpmsg_ept create $CTRL lab-mainline 18 18) || [ ! -c "$K" ]; then
	t_fail mainline/create_ept "rpmsg_ept: $K"
	exit 1
fi
t_pass mainline/create_ept
echo "mainline: RPMSG_CREATE_EPT_IOCTL gave $K"

# echo_cat NAME FROM TO TEXT: TEXT written to FROM comes out of TO.  TO
# is opened before the write: rpmsg_char opens its endpoint at open() and
# drops what comes before.
echo_cat() {
	exec 4<"$3"
	cat <&4 > /tmp/mainline.out &
	_pid=$!
	exec 4<&-
	echo "$4" > "$2"
	lab_until 5 grep -q "$4" /tmp/mainline.out &&
		t_pass "mainline/$1" ||
		t_fail "mainline/$1" "read: $(cat /tmp/mainline.out)"
	kill $_pid 2>/dev/null
	wait
}
echo_cat echo_to_remote "$K" $R "hello from the kernel's rpmsg_char"
echo_cat echo_from_remote $R "$K" "hello from rpmsg2_18"

# rpmsg_chartest DIR DEV_A DEV_B: its RESULT lines, named for this test
chartest() {
	rpmsg_chartest boundaries "$2" "$3" > /tmp/mainline.ct 2>&1
	_rc=$?
	sed "s|RESULT \([A-Z]*\) |RESULT \1 mainline/$1_|" /tmp/mainline.ct
	[ "$_rc" = 0 ] || t_fail "mainline/$1" "rpmsg_chartest exited $_rc"
}
chartest to_remote "$K" $R
chartest from_remote $R "$K"

N=$(lab_scale 2000 4)
d0=$(cat /sys/class/misc/rpmsg2_18/rx_dropped)
rpmsg_stress -a "$K" -b $R -n "$N" -t 120 -L > /tmp/mainline.stress 2>&1
rc=$?
lost=$(sed -n 's/.*SUMMARY.* lost=\([0-9]*\) .*/\1/p' /tmp/mainline.stress)
drop=$(($(cat /sys/class/misc/rpmsg2_18/rx_dropped) - d0))
if [ "$rc" = 0 ] && [ -n "$lost" ] && [ "$lost" = "$drop" ]; then
	echo "FIGURE mainline: $N messages each way, $lost dropped by rpmsg2_18's full queue, all counted"
	t_pass "mainline/stress_$N"
else
	tail -n 5 /tmp/mainline.stress
	t_fail "mainline/stress_$N" "rpmsg_stress exited $rc, ${lost:-?} lost, $drop counted in rx_dropped"
fi

# One way only: the remote sends nothing back, so the master's transmit
# buffers (256) come back only with the completion doorbell it asked the
# remote for. virtio_rpmsg_bus asks by virtqueue_enable_cb(), which tells
# the transport nothing; a transport that relayed the request only on the
# next kick left the writer asleep until virtio_rpmsg_bus's 15 s timeout
# (ETIMEDOUT), as a cold run's stress_2000 once showed.
oneway() {
	rm -f /tmp/mainline.oneway
	(timeout 60 cat $R > /tmp/mainline.oneway) &
	_p=$!
	usleep 200000
	exec 4> "$K"
	_i=0
	while [ $_i -lt 600 ] && echo "one-way $_i" >&4; do
		_i=$((_i + 1))
	done
	exec 4>&-
	kill $_p 2>/dev/null
	wait $_p 2>/dev/null
	echo "FIGURE mainline: one way, $_i of 600 writes went through"
	[ $_i = 600 ] && ! dmesg | grep -q 'timeout waiting for a tx buffer'
}
t_check mainline/one_way_600 oneway

t_check mainline/destroy_ept rpmsg_ept destroy "$K"
gone() { [ ! -e "$K" ]; }
t_check mainline/node_gone lab_until 5 gone

# The same on the remote role: an endpoint of the kernel's rpmsg_char on
# the remote's own rpmsg bus (src 19, dst 19) and the master's
# /dev/rpmsg1_19.
M=/dev/rpmsg1_19
if ! K=$(rpmsg_ept create "$(ctrl_of rpmsg-2)" lab-mainline-r 19 19) || [ ! -c "$K" ]; then
	t_fail mainline/create_ept_on_remote "rpmsg_ept: $K"
else
	t_pass mainline/create_ept_on_remote
	echo "mainline: RPMSG_CREATE_EPT_IOCTL on the remote gave $K"
	echo_cat echo_to_master_on_remote "$K" $M "hello from the remote's rpmsg_char"
	echo_cat echo_from_master_on_remote $M "$K" "hello from rpmsg1_19"
	chartest to_master_on_remote "$K" $M
	chartest from_master_on_remote $M "$K"
	t_check mainline/destroy_ept_on_remote rpmsg_ept destroy "$K"
	t_check mainline/node_gone_on_remote lab_until 5 gone
fi

# ---- rpmsg_amp_net as an rpmsg driver --------------------------------
# An rpmsg device "rpmsg-amp-net-frag" made on the master's bus through
# rpmsg_ctrl (local address 40, remote any) gives rpmsg1_40; it announces
# itself, the remote's bus gets the announcement as a device, and
# rpmsg_amp_net gives rpmsg2_40 there, which announces back: both have
# carrier, MTU 1500 (fragments), and ping goes both ways, also with
# 4000-byte datagrams at MTU 9000.  Releasing the device withdraws both.
net_of_dev() {
	CTRL1=$(ctrl_of rpmsg-1)
	t_check mainline/net_create_dev rpmsg_ept create-dev "$CTRL1" rpmsg-amp-net-frag 40 any || return
	t_check mainline/net_dev_nodes lab_until 10 test -e /sys/class/net/rpmsg1_40 -a -e /sys/class/net/rpmsg2_40 || return
	netns_pair
	ip link set rpmsg1_40 netns "$LAB_NS_A"
	ip link set rpmsg2_40 netns "$LAB_NS_B"
	na ip addr add 192.168.4.2/24 dev rpmsg1_40
	nb ip addr add 192.168.4.3/24 dev rpmsg2_40
	na ip link set rpmsg1_40 up
	nb ip link set rpmsg2_40 up
	up_both() {
		na ip link show rpmsg1_40 | grep -q LOWER_UP &&
			nb ip link show rpmsg2_40 | grep -q LOWER_UP
	}
	t_check mainline/net_dev_carrier lab_until 10 up_both
	t_check mainline/net_dev_ping_a_to_b na ping -c 5 -i 0.05 -q 192.168.4.3
	t_check mainline/net_dev_ping_b_to_a nb ping -c 5 -i 0.05 -q 192.168.4.2
	t_check mainline/net_dev_mtu_1500 sh -c "nsenter -t $LAB_NS_A -n ip link show rpmsg1_40 | grep -q 'mtu 1500 '"
	na ip link set rpmsg1_40 mtu 9000
	nb ip link set rpmsg2_40 mtu 9000
	t_check mainline/net_dev_ping_4000 na ping -c 3 -i 0.05 -q -s 4000 192.168.4.3
	drv=$(na ethtool -i rpmsg1_40 2>&1)
	echo "$drv" | grep -q "^driver: rpmsg_amp_net$" &&
		t_pass mainline/net_dev_drvinfo || t_fail mainline/net_dev_drvinfo "$drv"
	if [ "$(lab_variant)" = debug ]; then
		# the lockdep report explained in announced(): the remote's
		# rpmsg_amp_net leaves the announced device before it goes
		for _d in /sys/bus/rpmsg/devices/*; do
			case "$(readlink -f "$_d")" in
			*/rpmsg-2/*) [ "$(cat "$_d/name")" = rpmsg-amp-net-frag ] &&
				echo "${_d##*/}" > /sys/bus/rpmsg/drivers/rpmsg_amp_net/unbind ;;
			esac
		done
		no_b() { ! nb ip link show rpmsg2_40 >/dev/null 2>&1; }
		t_check mainline/net_dev_unbound lab_until 10 no_b
	fi
	t_check mainline/net_release_dev rpmsg_ept release-dev "$CTRL1" rpmsg-amp-net-frag 40 any
	no_net_dev() { ! na ip link show rpmsg1_40 >/dev/null 2>&1 && ! nb ip link show rpmsg2_40 >/dev/null 2>&1; }
	t_check mainline/net_dev_gone lab_until 10 no_net_dev
	netns_stop
}
net_of_dev

t_check mainline/rmmod lab_rmmod rpmsg_ctrl rpmsg_char

# our own pair still works after the kernel's drivers left
echo_cat after_rmmod $A $B "still here"

unload_modules || exit 1
kmemleak_check mainline/kmemleak

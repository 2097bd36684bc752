#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# dts: /tmp/lab/dummy.dtsi
# timeout: 120
. /tests/lib.sh
t_pass self_pass
t_fail self_fail "intentional failure"
t_skip self_skip "just because"
t_check self_check true
t_check self_check_bad false
t_expect_fail self_expect grep -q nothing /dev/null
t_expect_fail self_expect_bad true
t_check self_dt test -e /proc/device-tree/lab-dummy
t_check self_resmem test -e /proc/device-tree/reserved-memory/lab-pool@88000000
t_check self_nobody sh -c '[ "$(su nobody -s /bin/sh -c "id -u")" = 65534 ]'
t_check self_chpst sh -c '[ "$(chpst -u nobody id -u)" = 65534 ]'
t_check self_ko ls /lib/modules/rpmsg/rpmsg_amp.ko
t_check self_tool test -x /usr/bin/rpmsg_bench
t_check self_ping ping -c 1 -W 2 127.0.0.1
t_check self_ping6 ping6 -c 1 -W 2 ::1
t_check self_nproc sh -c '[ "$(nproc)" = 2 ]'
t_check self_debugfs test -e /sys/kernel/debug/kmemleak
dmesg_mark
echo "<4>selftest kernel message" > /dev/kmsg
t_check self_mark sh -c '. /tests/lib.sh; dmesg_since_mark | grep -q "selftest kernel message"'
t_check self_mark2 sh -c '. /tests/lib.sh; ! dmesg_since_mark | grep -q "Linux version"'
mkdir -p /tmp/x; (sleep 1; touch /tmp/x/f) &
t_check self_wait_for wait_for /tmp/x/f 5
t_expect_fail self_wait_timeout wait_for /tmp/x/never 1
kmemleak_clear
kmemleak_check self_kmemleak
cat /proc/cmdline
uname -a

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Pack the lab initramfs: $RPMSG_LAB_OUT/initramfs.cpio.gz (default
# <repo>/out/initramfs.cpio.gz), printed as the last line of stdout.
#
# Usage: scripts/lab/mkinitramfs.sh
#
# Uses $KDIR, $BUSYBOX and $DEBTOOLS when set (as exported by run-tests.sh),
# else asks build-kernel.sh / build-busybox.sh / fetch-tools.sh (which only
# print paths when cached).
# Content (built with the kernel's usr/gen_init_cpio, so no root needed):
#   /bin/busybox + a symlink per applet (busybox.links)
#   /init                  scripts/lab/init
#   /lib/modules/rpmsg/    every *.ko under drivers/ and tests/, flattened
#   /lib/modules/kernel/   the kernel's rpmsg_char, rpmsg_ctrl, rpmsg_tty
#                          and rpmsg_client_sample, where this kernel has them
#   /usr/bin/              the tools built by build-modules.sh ($LAB_OUT/tools)
#   /usr/local/bin/        Debian's ip, ethtool, iperf3 and ping for riscv64,
#   /usr/lib/riscv64-linux-gnu/, /lib/ld-linux-riscv64-lp64d.so.1
#                          and what they link (fetch-tools.sh); busybox's
#                          applets stay first in PATH (/usr/local/bin is
#                          last), so its ip and ping are the default and
#                          Debian's are called by path
#   /tests/                tests/guest/*.sh
#   /etc/passwd, /etc/group: root (0) and nobody (65534, group nogroup)
#   /dev/console, /proc, /sys, /tmp, /root, ...
set -e
. "$(dirname "$0")/common.sh"

[ -n "$KDIR" ] || KDIR=$("$LAB_DIR/build-kernel.sh" | tail -n 1)
[ -n "$BUSYBOX" ] || BUSYBOX=$("$LAB_DIR/build-busybox.sh" | tail -n 1)
[ -n "$DEBTOOLS" ] || DEBTOOLS=$("$LAB_DIR/fetch-tools.sh" | tail -n 1)
[ -f "$DEBTOOLS/.lab-stamp" ] || lab_die "$DEBTOOLS: no fetched tools"
GEN=$KDIR/usr/gen_init_cpio
LINKS=$(dirname "$BUSYBOX")/busybox.links
[ -x "$GEN" ] || lab_die "$GEN missing (kernel not built?)"
[ -f "$BUSYBOX" ] || lab_die "$BUSYBOX missing"
[ -f "$LINKS" ] || lab_die "$LINKS missing"

OUTFILE=$LAB_OUT/initramfs.cpio.gz
STAGE=$LAB_OUT/initramfs
rm -rf "$STAGE"
mkdir -p "$STAGE/etc"
LIST=$STAGE/list

cat >"$STAGE/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/sh
EOF
cat >"$STAGE/etc/group" <<'EOF'
root:x:0:
nogroup:x:65534:
EOF
cat >"$STAGE/etc/profile" <<'EOF'
export PATH=/sbin:/bin:/usr/sbin:/usr/bin:/usr/local/bin
export PS1='lab:\w\$ '
EOF

{
	for d in /bin /sbin /usr /usr/bin /usr/sbin /usr/local /usr/local/bin \
		/usr/lib /etc /proc /sys /dev \
		/root /lib /lib/modules /lib/modules/rpmsg /lib/modules/kernel \
		/tests /mnt /var \
		/run; do
		echo "dir $d 0755 0 0"
	done
	echo "dir /tmp 1777 0 0"
	echo "nod /dev/console 0600 0 0 c 5 1"
	echo "nod /dev/null 0666 0 0 c 1 3"
	echo "file /init $LAB_DIR/init 0755 0 0"
	echo "file /bin/busybox $BUSYBOX 0755 0 0"
	for f in passwd group profile; do
		echo "file /etc/$f $STAGE/etc/$f 0644 0 0"
	done
	grep -v '^/bin/busybox$' "$LINKS" | sort -u | while read -r a; do
		echo "slink $a /bin/busybox 0777 0 0"
	done
} >"$LIST"

# Modules: flattened, so two with the same name would clash.
nmod=0
for ko in $(cd "$REPO" && find drivers tests -name '*.ko' 2>/dev/null | sort); do
	name=$(basename "$ko")
	if grep -q " /lib/modules/rpmsg/$name " "$LIST"; then
		lab_die "two modules named $name (flattened into /lib/modules/rpmsg)"
	fi
	echo "file /lib/modules/rpmsg/$name $REPO/$ko 0644 0 0" >>"$LIST"
	nmod=$((nmod + 1))
done

# The kernel's own rpmsg drivers (kernel.config builds them as modules),
# those this kernel line has: the tests insmod them on top of either role.
nkmod=0
for ko in drivers/rpmsg/rpmsg_char.ko drivers/rpmsg/rpmsg_ctrl.ko \
	drivers/tty/rpmsg_tty.ko samples/rpmsg/rpmsg_client_sample.ko; do
	[ -f "$KDIR/$ko" ] || continue
	echo "file /lib/modules/kernel/$(basename "$ko") $KDIR/$ko 0644 0 0" >>"$LIST"
	nkmod=$((nkmod + 1))
done

ntool=0
if [ -d "$LAB_OUT/tools" ]; then
	for t in "$LAB_OUT"/tools/*; do
		[ -f "$t" ] || continue
		echo "file /usr/bin/$(basename "$t") $t 0755 0 0" >>"$LIST"
		ntool=$((ntool + 1))
	done
fi

# Debian's tools: their directories, then their files
(cd "$DEBTOOLS" && find usr lib -type d | sort) | while read -r d; do
	grep -q "^dir /$d " "$LIST" || echo "dir /$d 0755 0 0" >>"$LIST"
done
ndeb=$( (cd "$DEBTOOLS" && find usr lib -type f | sort) | while read -r f; do
	echo "file /$f $DEBTOOLS/$f 0755 0 0" >>"$LIST"
	echo x
done | wc -l)

ntest=0
for t in "$REPO"/tests/guest/*.sh; do
	[ -f "$t" ] || continue
	echo "file /tests/$(basename "$t") $t 0755 0 0" >>"$LIST"
	ntest=$((ntest + 1))
done

"$GEN" "$LIST" | gzip -9 -n >"$OUTFILE.tmp"
mv "$OUTFILE.tmp" "$OUTFILE"
lab_msg "initramfs: $nmod module(s), $nkmod kernel module(s), $ntool tool(s), $ndeb file(s) of Debian tools, $ntest test script(s) -> $OUTFILE"
echo "$OUTFILE"

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Build the project's kernel modules and the guest test tools.
#
# Usage: scripts/lab/build-modules.sh
#
# 1. make -C <repo> KDIR=$KDIR ARCH=riscv CROSS_COMPILE=riscv64-linux-gnu- W=1
#    (the top-level Makefile runs $(MAKE) -C $(KDIR) M=$(PWD) modules).
#    "make clean" runs first, so every warning shows up on every run; the
#    build fails on any warning (compiler or modpost, any case) but those
#    the kernel's own headers raise by themselves (gate_classify in
#    gates.sh), which are counted and printed.  No top-level Makefile yet:
#    skipped with a message.
# 2. Each tests/tools/NAME.c becomes a static riscv64 binary
#    $RPMSG_LAB_OUT/tools/NAME (default <repo>/out/tools), built with
#    -O2 -static -Wall -Wextra -Werror (plus -I include/uapi when that
#    directory exists, and -lm).
# 3. The other cores of the interop test, when $LAB_PEERS (default
#    <repo>/../shared/peers, or $RPMSG_LAB_PEERS) holds the unmodified
#    stacks: tests/peers/rl_peer.c with our RPMsg-Lite port
#    (tests/peers/rpmsg-lite/) and RPMsg-Lite's own sources becomes
#    $RPMSG_LAB_OUT/tools/rl_peer. RPMsg-Lite's files are compiled as
#    they are (-w: their warnings are theirs), ours with -Werror. Absent
#    stacks: nothing is built, and the interop test reports skipped.
#    Likewise tests/peers/oa_peer.c with libmetal and OpenAMP, built by
#    build-openamp.sh, becomes $RPMSG_LAB_OUT/tools/oa_peer.
#
# $KDIR is taken from the environment, else from build-kernel.sh.
# Log: $RPMSG_LAB_OUT/logs/build-modules.log.
set -e
. "$(dirname "$0")/common.sh"
. "$LAB_DIR/gates.sh"

[ -n "$KDIR" ] || KDIR=$("$LAB_DIR/build-kernel.sh" | tail -n 1)
mkdir -p "$LAB_OUT/logs"
LOG=$LAB_OUT/logs/build-modules.log
: >"$LOG"

if [ -f "$REPO/Makefile" ]; then
	MAKE_M="make -C $REPO KDIR=$KDIR ARCH=$ARCH CROSS_COMPILE=$CROSS_COMPILE"
	$MAKE_M clean >/dev/null 2>&1 || true
	lab_msg "modules: $MAKE_M W=1"
	if ! $MAKE_M W=1 -j"$(nproc)" >"$LOG" 2>&1; then
		cat "$LOG" >&2
		lab_die "module build failed (log: $LOG)"
	fi
	kw=$(gate_kernel_warnings "$LOG" "$REPO")
	if [ -n "$kw" ]; then
		lab_msg "modules: $(echo "$kw" | grep -c .) warning(s) located in the kernel's own headers (not ours):"
		echo "$kw" | sed 's/^/    /' >&2
	fi
	if [ -n "$(gate_our_warnings "$LOG" "$REPO")" ]; then
		cat "$LOG" >&2
		lab_die "module build printed warnings (log: $LOG)"
	fi
	nko=$(cd "$REPO" && find drivers tests -name '*.ko' 2>/dev/null | wc -l)
	lab_msg "modules: built, $nko .ko file(s)"
else
	lab_msg "modules: no top-level Makefile in $REPO yet: skipping the module build"
fi

TOOLS=$LAB_OUT/tools
rm -rf "$TOOLS"
mkdir -p "$TOOLS"
CFLAGS="-O2 -static -Wall -Wextra -Werror"
[ -d "$REPO/include/uapi" ] && CFLAGS="$CFLAGS -I$REPO/include/uapi"
ntool=0
for src in "$REPO"/tests/tools/*.c; do
	[ -f "$src" ] || continue
	name=$(basename "$src" .c)
	echo "+ ${CROSS_COMPILE}gcc $CFLAGS -o $TOOLS/$name $src -lm" >>"$LOG"
	# shellcheck disable=SC2086 # CFLAGS is a list of options
	if ! "${CROSS_COMPILE}gcc" $CFLAGS -o "$TOOLS/$name" "$src" -lm \
		>>"$LOG.tool" 2>&1; then
		cat "$LOG.tool" >&2
		cat "$LOG.tool" >>"$LOG"
		rm -f "$LOG.tool"
		lab_die "tool $name failed to build (log: $LOG)"
	fi
	if [ -s "$LOG.tool" ]; then
		cat "$LOG.tool" >>"$LOG"
		# static glibc's "Using 'getaddrinfo' in statically linked..."
		# notes are linker warnings too: treat them like the rest.
		if grep -qi 'warning:' "$LOG.tool"; then
			cat "$LOG.tool" >&2
			rm -f "$LOG.tool"
			lab_die "tool $name: warnings (log: $LOG)"
		fi
	fi
	rm -f "$LOG.tool"
	ntool=$((ntool + 1))
done
lab_msg "tools: $ntool built in $TOOLS"

RL=$LAB_PEERS/rpmsg-lite/lib
if [ -f "$RL/rpmsg_lite/rpmsg_lite.c" ]; then
	PO=$LAB_OUT/peers
	rm -rf "$PO"
	mkdir -p "$PO"
	PINC="-I$REPO/tests/peers -I$REPO/tests/peers/rpmsg-lite -I$RL/include"
	for src in rpmsg_lite/rpmsg_lite.c rpmsg_lite/rpmsg_ns.c \
		rpmsg_lite/rpmsg_queue.c virtio/virtqueue.c common/llist.c; do
		echo "+ ${CROSS_COMPILE}gcc -O2 -w $PINC -c $RL/$src" >>"$LOG"
		# shellcheck disable=SC2086 # PINC is a list of options
		"${CROSS_COMPILE}gcc" -O2 -w $PINC -c -o "$PO/$(basename "$src" .c).o" \
			"$RL/$src" >>"$LOG" 2>&1 ||
			lab_die "peers: RPMsg-Lite's $src failed to build (log: $LOG)"
	done
	echo "+ ${CROSS_COMPILE}gcc $CFLAGS -pthread $PINC -o $TOOLS/rl_peer ..." >>"$LOG"
	# shellcheck disable=SC2086 # CFLAGS, PINC are lists of options
	if ! "${CROSS_COMPILE}gcc" $CFLAGS -pthread $PINC -o "$TOOLS/rl_peer" \
		"$REPO/tests/peers/rl_peer.c" "$REPO/tests/peers/peer_net.c" \
		"$REPO/tests/peers/rpmsg-lite/rpmsg_env_linux.c" \
		"$REPO/tests/peers/rpmsg-lite/rpmsg_platform_linux.c" \
		"$PO"/*.o >>"$LOG" 2>&1; then
		lab_die "peers: rl_peer failed to build (log: $LOG)"
	fi
	lab_msg "peers: rl_peer (RPMsg-Lite from $LAB_PEERS) built in $TOOLS"
else
	lab_msg "peers: no RPMsg-Lite in $LAB_PEERS: the interop test will report skipped"
fi

[ -n "$DEBTOOLS" ] || DEBTOOLS=$("$LAB_DIR/fetch-tools.sh" | tail -n 1)
export DEBTOOLS
OA=$("$LAB_DIR/build-openamp.sh" | tail -n 1)
if [ -n "$OA" ]; then
	OINC="-I$REPO/tests/peers -I$OA/include -I$DEBTOOLS/sysroot/usr/include"
	echo "+ ${CROSS_COMPILE}gcc $CFLAGS $OINC -o $TOOLS/oa_peer ..." >>"$LOG"
	# shellcheck disable=SC2086 # CFLAGS, OINC are lists of options
	if ! "${CROSS_COMPILE}gcc" $CFLAGS $OINC -o "$TOOLS/oa_peer" \
		"$REPO/tests/peers/oa_peer.c" "$REPO/tests/peers/peer_net.c" \
		-L"$OA/lib" -L"$DEBTOOLS/sysroot/usr/lib/riscv64-linux-gnu" \
		-lopen_amp -lmetal -lsysfs -pthread -lrt >>"$LOG" 2>&1; then
		lab_die "peers: oa_peer failed to build (log: $LOG)"
	fi
	lab_msg "peers: oa_peer (OpenAMP and libmetal from $LAB_PEERS) built in $TOOLS"
else
	lab_msg "peers: no OpenAMP in $LAB_PEERS: the interop test's OpenAMP part will report skipped"
fi

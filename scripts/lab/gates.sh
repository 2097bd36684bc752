#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the host-side quality gates tests/host/*.sh.  Sourced after
# common.sh, never run.
#
#   gate_result STATUS NAME [MSG]   print "RESULT STATUS NAME[: MSG]"
#   gate_start / gate_elapsed       seconds since gate_start
#   gate_copy_src DIR               copy the sources (tracked and new files,
#                                   not build output) to DIR, so that each
#                                   build has its own object files
#   gate_filter_modpost LOG         LOG without modpost's notices about
#                                   the missing Module.symvers

gate_result() {
	if [ -n "${3:-}" ]; then
		echo "RESULT $1 $2: $3"
	else
		echo "RESULT $1 $2"
	fi
}

gate_start() {
	GATE_T0=$(date +%s)
}

gate_elapsed() {
	echo $(($(date +%s) - GATE_T0))
}

gate_copy_src() {
	rm -rf "$1"
	mkdir -p "$1"
	if git -C "$REPO" rev-parse --git-dir >/dev/null 2>&1; then
		git -C "$REPO" ls-files -z -c -o --exclude-standard |
			(cd "$REPO" && xargs -0 cp --parents -t "$1" 2>/dev/null) || true
	else
		(cd "$REPO" && tar -cf - --exclude=./out --exclude='*.o' \
			--exclude='*.ko' .) | tar -C "$1" -xf -
	fi
}

# gate_filter_modpost LOG: the build log minus modpost's notice about the
# missing Module.symvers (3 lines) and its per-symbol "undefined!" and
# "suppressed N unresolved symbol warnings" lines.
#
# The trees prepared with make modules_prepare have no vmlinux, hence no
# Module.symvers: modpost cannot know the kernel's exports and reports every
# kernel symbol a module uses (Linux 6.1's form of newer kernels' "Symbol
# info of vmlinux is missing" notice).  Those lines carry no information
# about the modules, so they are dropped, and only they: every other line
# with "warning" still fails the build.  Symbol resolution is checked where
# it can be: build-modules.sh builds the same sources against the lab's
# fully built riscv64 kernel (with its Module.symvers) and fails on any
# modpost warning, "undefined!" included.
gate_filter_modpost() {
	grep -vE '^WARNING: Module\.symvers is missing\.$|^         Modules may not have dependencies or modversions\.$|^         You may get many unresolved symbol warnings\.$|^WARNING: modpost: "[A-Za-z0-9_.]+" \[[^]]+\] undefined!$|^WARNING: modpost: suppressed [0-9]+ unresolved symbol warnings because there were too many\)$' "$1" || true
}

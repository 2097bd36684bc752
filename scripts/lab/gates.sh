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
# missing Module.symvers (2 lines and "Symbol info of vmlinux is missing"
# in 5.10, 3 lines up to 6.11, 5 lines naming the file from 6.12 on) and
# its per-symbol "undefined!" and "suppressed N unresolved symbol
# warnings" lines.
#
# The trees prepared with make modules_prepare have no vmlinux, hence no
# Module.symvers: modpost cannot know the kernel's exports and reports every
# kernel symbol a module uses (from 6.12 on as errors, which the gates turn
# back into warnings with KBUILD_MODPOST_WARN=1).  Those lines carry no
# information about the modules, so they are dropped, and only they: every
# other line with "warning" still fails the build.  Symbol resolution is
# checked where it can be: build-modules.sh builds the same sources against
# the lab's fully built riscv64 kernels (with their Module.symvers) and
# fails on any modpost warning, "undefined!" included.
gate_filter_modpost() {
	grep -vE '^WARNING: (/[^ ]*/)?Module\.symvers is missing\.$|^WARNING: Symbol version dump "Module\.symvers" is missing\.$|^WARNING: modpost: Symbol info of vmlinux is missing\. Unresolved symbol check will be entirely skipped\.$|^         Modules may not have dependencies or modversions\.$|^         You may get many unresolved symbol (warnings|errors)\.$|^         You can set KBUILD_MODPOST_WARN=1 to turn errors into warning$|^         if you want to proceed at your own risk\.$|^WARNING: modpost: "[A-Za-z0-9_.]+" \[[^]]+\] undefined!$|^WARNING: modpost: suppressed [0-9]+ unresolved symbol warnings because there were too many\)$' "$1" || true
}

# gate_classify LOG SRC: each line of LOG with "warning" (any case), as
# "K <path inside the kernel tree>:..." when it is the kernel's own or
# "O <line>" when it counts against the modules.  SRC is the directory of
# our sources in that build.
#
# A warning is the kernel's when its location is a file outside SRC (a
# kernel header: 5.10's with gcc 12, say) and none of the notes that follow
# it ("in expansion of macro ...", "in definition of ...") points into SRC:
# a kernel macro that warns about our arguments (a type check, say) counts
# as ours.  Warnings in our files, and those that name no file (modpost's),
# always count.
gate_classify() {
	awk -v src="$2/" '
	function flush() {
		if (w == "")
			return
		print (ours ? "O " : "K ") w
		w = ""
	}
	{
		if ($0 ~ /^[^ :]+:[0-9]+:([0-9]+:)? [Ww]arning:/) {
			flush()
			w = $0
			ours = (index($0, src) == 1 || $0 ~ /^(drivers|tests|include\/linux\/rpmsg_amp)/ || $0 !~ /^(\/|\.\.?\/|include\/|arch\/)/)
			next
		}
		if (tolower($0) ~ /warning/) {
			flush()
			print "O " $0
			next
		}
		if (w != "" && $0 ~ /^ +[0-9]* *\|/)
			next
		if (w != "" && $0 ~ /: note: /) {
			if (index($0, src) == 1 || $0 ~ /^(drivers|tests)\//)
				ours = 1
			next
		}
		flush()
	}
	END { flush() }' "$1"
}

# gate_kernel_warnings LOG SRC: the kernel's own warnings, with their
# location relative to the kernel tree, once per location and text.
gate_kernel_warnings() {
	gate_classify "$1" "$2" | sed -n 's/^K //p' |
		sed -E 's|^.*/(include\|arch)/|\1/|' | sort -u
}

# gate_our_warnings LOG SRC: every warning that counts against the modules.
gate_our_warnings() {
	gate_classify "$1" "$2" | sed -n 's/^O //p'
}

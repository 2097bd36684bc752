# SPDX-License-Identifier: GPL-2.0
#
# Out-of-tree build of the rpmsg_amp modules:
#   make                        against the running kernel's build dir
#   make KDIR=/path/to/kernel   against another prepared tree or headers
# ARCH, CROSS_COMPILE, W=1, C=2, LLVM=1 are passed through to Kbuild.
#
# Source checks (both run by scripts/run-tests.sh, see tests/host/):
#   make check-style   checkpatch.pl --strict --no-tree over the sources
#   make check-doc     kernel-doc over the C sources and headers
# CHECKPATCH and KERNEL_DOC default to the scripts of the linux-source-6.1
# tree that scripts/lab/build-kernel.sh extracts; any kernel tree's work.

KDIR ?= /lib/modules/$(shell uname -r)/build

LAB_SRC ?= $(lastword $(sort $(wildcard $(HOME)/.cache/rpmsg-lab/src/linux-6.1.*)))
CHECKPATCH ?= $(LAB_SRC)/scripts/checkpatch.pl
KERNEL_DOC ?= $(LAB_SRC)/scripts/kernel-doc

# Files checkpatch handles: C, headers, Kbuild files, this file, device
# trees, bindings and documentation.  Not shell scripts: checkpatch has no
# shell rules, only generic ones that misfire on them (see README.md).
# The compat header is checked apart, see below.
LS_FILES = $(shell git -C $(CURDIR) ls-files -c -o --exclude-standard $(1) \
	     2>/dev/null || find $(1:'%'=%) -type f 2>/dev/null)
COMPAT_H = include/linux/rpmsg_amp_compat.h
# The ports of peer stacks implement those stacks' APIs, whose prototypes
# dictate their types (uint32_t, a typedef, a volatile): checked apart.
PEER_PORT_FILES = $(call LS_FILES,'tests/peers/*.c' 'tests/peers/*.h')
STYLE_FILES = $(filter-out $(COMPAT_H) $(PEER_PORT_FILES) out/%, \
	$(call LS_FILES,'*.c' '*.h' '*Kbuild' '[M]akefile' '*.dts' '*.dtsi' \
	  '*.yaml' '*.rst' '*.md'))
DOC_FILES = $(filter-out out/% tests/tools/%, $(call LS_FILES,'*.c' '*.h'))

all: modules

modules modules_install clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) $@

# rpmsg_amp_compat.h exists to test LINUX_VERSION_CODE: that one message
# type is ignored for that one file, and MACRO_WITH_FLOW_CONTROL, for
# RPMSG_AMP_PLATFORM_REMOVE() and RPMSG_AMP_FIND_VQS_OP(), whose "return"
# is that of the function the macro defines (platform remove's and
# find_vqs's types differ before and after 6.11).
check-style:
	@test -f "$(CHECKPATCH)" || { echo "check-style: no checkpatch.pl at '$(CHECKPATCH)' (set CHECKPATCH=, or run scripts/lab/build-kernel.sh)" >&2; exit 1; }
	@echo "check-style: $(words $(STYLE_FILES)) files + $(COMPAT_H)"
	@$(CHECKPATCH) --strict --no-tree --quiet --show-types \
		--ignore LINUX_VERSION_CODE,MACRO_WITH_FLOW_CONTROL -f $(COMPAT_H)
	@$(CHECKPATCH) --strict --no-tree --quiet --show-types \
		-f $(STYLE_FILES)
	@$(if $(PEER_PORT_FILES),$(CHECKPATCH) --strict --no-tree --quiet \
		--show-types --ignore PREFER_KERNEL_TYPES,NEW_TYPEDEFS,VOLATILE \
		-f $(PEER_PORT_FILES))
	@echo "check-style: clean"

# kernel-doc -v also reports missing return-value descriptions; every
# EXPORT_SYMBOL*() function must have a kernel-doc comment.
check-doc:
	@test -f "$(KERNEL_DOC)" || { echo "check-doc: no kernel-doc at '$(KERNEL_DOC)' (set KERNEL_DOC=)" >&2; exit 1; }
	@echo "check-doc: $(words $(DOC_FILES)) files"
	@out=$$($(KERNEL_DOC) -v -none $(DOC_FILES) 2>&1 | grep -v ': info: '); \
	if [ -n "$$out" ]; then echo "$$out"; exit 1; fi
	@bad=0; for s in $$(sed -n 's/^EXPORT_SYMBOL[A-Z_]*(\([a-z0-9_]*\).*/\1/p' \
		$(DOC_FILES)); do \
		grep -q "^ \* $$s() - " $(DOC_FILES) || \
		{ echo "check-doc: exported $$s() has no kernel-doc comment"; bad=1; }; \
	done; exit $$bad
	@echo "check-doc: clean"

.PHONY: all modules modules_install clean check-style check-doc

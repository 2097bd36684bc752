# SPDX-License-Identifier: GPL-2.0
#
# Out-of-tree build of the rpmsg_amp modules:
#   make                        against the running kernel's build dir
#   make KDIR=/path/to/kernel   against another prepared tree or headers
# ARCH, CROSS_COMPILE, W=1, C=2, LLVM=1 are passed through to Kbuild.

KDIR ?= /lib/modules/$(shell uname -r)/build

all: modules

modules modules_install clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) $@

.PHONY: all modules modules_install clean

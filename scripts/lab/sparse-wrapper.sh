#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# CHECK= wrapper for sparse on riscv: Linux 6.1 passes its -march string
# (rv64imac_zicsr_zifencei_zicbom_zihintpause) to the checker too, and
# Debian 12's sparse 0.6.4 rejects the extensions after the base ISA.
# sparse uses -march only for the predefined macros of the base ISA, so the
# "_z..." extensions are cut off; every other argument passes unchanged.
for a in "$@"; do
	shift
	case "$a" in
	-march=rv*_*) a=${a%%_*} ;;
	esac
	set -- "$@" "$a"
done
exec sparse "$@"

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Device trees and bindings:
#   dtc:FILE         every dts/*.dts compiles with dtc, no warning; every
#                    dts/*.dtsi (a fragment for QEMU's riscv64 virt board,
#                    like scripts/lab/run-qemu.sh uses them) compiles
#                    appended to QEMU's own dumped DTB with no warning
#                    beyond those QEMU's part gives alone
#   dt-schema:FILE   every Documentation/devicetree/bindings/**/*.yaml passes
#                    dt-doc-validate (the meta-schema), and its examples,
#                    extracted with dt-extract-example and compiled with
#                    dtc (to DT YAML), pass dt-validate against the bindings (processed
#                    with dt-mk-schema together with dt-schema's own)
#
# Usage: sh tests/host/dt.sh
. "$(dirname "$0")/../../scripts/lab/common.sh"
. "$LAB_DIR/gates.sh"
set +e

gate_start
WORK=$LAB_OUT/gates/dt
rm -rf "$WORK"
mkdir -p "$WORK/base"

# ---- dtc ---------------------------------------------------------------
base_ok=0
for f in "$REPO"/dts/*.dtsi; do
	[ -f "$f" ] || continue
	qemu-system-riscv64 -machine "virt,dumpdtb=$WORK/qemu-virt.dtb" \
		-cpu rv64 -smp 2 -m 512M -nographic -bios default \
		>"$WORK/dumpdtb.log" 2>&1 &&
	dtc -q -I dtb -O dts -o "$WORK/base/virt.dts" "$WORK/qemu-virt.dtb" &&
	(cd "$WORK/base" && dtc -I dts -O dtb -o /dev/null virt.dts) \
		2>"$WORK/base/warnings" && base_ok=1
	break
done
for f in "$REPO"/dts/*.dts "$REPO"/dts/*.dtsi; do
	[ -f "$f" ] || continue
	n=$(basename "$f")
	d=$WORK/${n%.*}
	mkdir -p "$d"
	case "$f" in
	*.dts)
		(cd "$d" && dtc -I dts -O dtb -i "$REPO/dts" -o out.dtb "$f") \
			2>"$d/warnings.new"
		rc=$?
		;;
	*.dtsi)
		if [ "$base_ok" -ne 1 ]; then
			cat "$WORK/dumpdtb.log" "$WORK/base/warnings" 2>/dev/null
			gate_result FAIL "dtc:$n" "could not get QEMU's virt DTB to include it in"
			continue
		fi
		{ cat "$WORK/base/virt.dts"; echo; echo "/include/ \"$f\""; } \
			>"$d/virt.dts"
		(cd "$d" && dtc -I dts -O dtb -i "$REPO/dts" -o out.dtb virt.dts) \
			2>"$d/warnings"
		rc=$?
		sort "$WORK/base/warnings" >"$d/base.sorted"
		sort "$d/warnings" | comm -13 "$d/base.sorted" - >"$d/warnings.new"
		;;
	esac
	if [ "$rc" -ne 0 ]; then
		cat "$d/warnings"* 2>/dev/null
		gate_result FAIL "dtc:$n" "dtc failed"
	elif [ -s "$d/warnings.new" ]; then
		cat "$d/warnings.new"
		gate_result FAIL "dtc:$n" "$(grep -c . "$d/warnings.new") warning(s)"
	else
		gate_result PASS "dtc:$n"
	fi
done

# ---- dt-schema ---------------------------------------------------------
BINDINGS=$REPO/Documentation/devicetree/bindings
yamls=$(find "$BINDINGS" -name '*.yaml' 2>/dev/null | sort)
if [ -z "$yamls" ]; then
	gate_result FAIL dt-schema "no binding under $BINDINGS"
else
	# Our bindings and dt-schema's own core schemas, processed together.
	if ! dt-mk-schema -j "$BINDINGS" >"$WORK/processed.json" \
		2>"$WORK/mk-schema.log" || [ -s "$WORK/mk-schema.log" ]; then
		cat "$WORK/mk-schema.log"
		gate_result FAIL dt-schema "dt-mk-schema failed or warned"
	fi
	for y in $yamls; do
		n=${y#"$BINDINGS"/}
		d=$WORK/schema-$(echo "$n" | tr '/,' '__')
		mkdir -p "$d"
		out=$(dt-doc-validate -u "$BINDINGS" "$y" 2>&1)
		if [ -n "$out" ]; then
			echo "$out"
			gate_result FAIL "dt-schema:$n" "dt-doc-validate"
			continue
		fi
		if ! grep -q '^examples:' "$y"; then
			gate_result FAIL "dt-schema:$n" "the binding has no example"
			continue
		fi
		# The wrapper dt-extract-example puts around each example
		# always has #address-cells/#size-cells, hence the one dtc
		# warning turned off, as the kernel's own binding check does
		# (Documentation/devicetree/bindings/Makefile).  Output is DT
		# YAML, not a DTB: it keeps the <&a>, <&b> grouping that
		# dt-schema 2022.08 needs to count the entries of phandle
		# lists whose provider has no #*-cells (memory-region).
		dt-extract-example "$y" >"$d/example.dts" 2>"$d/extract.log" &&
			dtc -Wno-avoid_unnecessary_addr_size -I dts -O yaml \
			-o "$d/example.yaml" "$d/example.dts" 2>"$d/dtc.log"
		rc=$?
		if [ "$rc" -ne 0 ] || [ -s "$d/extract.log" ] || [ -s "$d/dtc.log" ]; then
			cat "$d/extract.log" "$d/dtc.log" "$d/example.dts"
			gate_result FAIL "dt-schema:$n" "the example does not compile cleanly"
			continue
		fi
		out=$(dt-validate -s "$WORK/processed.json" "$d/example.yaml" 2>&1)
		if [ -n "$out" ]; then
			echo "$out"
			gate_result FAIL "dt-schema:$n" "the example does not validate"
			continue
		fi
		gate_result PASS "dt-schema:$n"
	done
fi
echo "gate dt: $(gate_elapsed) s"

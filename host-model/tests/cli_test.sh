#!/bin/sh
# vgt-host map: default host, a mix of types, refusals with the allocator's
# message, JSON and SVG outputs, option errors that name the option and
# value. vgt-host audit (H-14): the engines, refusals with their exact line,
# and inputs that are not plain files (directories, /proc, pipes, devices,
# more than the budget). KTAP out (ktap.sh), "N passed, N failed".
set -u
bin=${1:-build/vgt-host}
. "$(dirname "$0")/ktap.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ktap_begin cli_test

scenario map_default "H-5"
"$bin" map >"$tmp/default" 2>&1
check "default host fits two type 8" grep -q '^vgpu2 ' "$tmp/default"
check "and no third" sh -c "! grep -q '^vgpu3 ' '$tmp/default'"

scenario map_refusals "H-5"
"$bin" map --vgpu 4 --vgpu 4 >"$tmp/out" 2>"$tmp/err"
check "two type 4 do not fit: exit 1" test $? = 1
check "with the allocator's message" grep -qx 'vgt-host: --vgpu 4: aperture: requested 128 MiB, largest free 0 MiB, total free 0 MiB' "$tmp/err"
"$bin" map --vgpu 9 >/dev/null 2>"$tmp/err"
check "unknown type: exit 1" test $? = 1
check "unknown type named" grep -q -- '--vgpu 9: unknown type' "$tmp/err"

scenario map_outputs "H-5"
"$bin" map --aperture 1024 --vgpu 1 --vgpu 4 --vgpu 64/100/2 --json --svg "$tmp/m.svg" >"$tmp/json"
check "mix of types" test $? = 0
check "json lists three vGPUs" test "$(grep -c "\"id\":" "$tmp/json")" = 3
check "svg has a block per owner and slice" test "$(grep -c '<title>' "$tmp/m.svg")" = 8
"$bin" map --svg /nonexistent/dir/x.svg >/dev/null 2>"$tmp/err"
check "unwritable svg: exit 1" test $? = 1

# Regressions of an outside review: each failed before the fix.
scenario map_option_errors ""
"$bin" map --json --svg /nonexistent/dir/x.svg >"$tmp/out" 2>"$tmp/err"
check "--json with an unwritable --svg: exit 1" test $? = 1
check "and no JSON printed" test ! -s "$tmp/out"
check "naming the file" grep -q -- '--svg /nonexistent/dir/x.svg' "$tmp/err"
"$bin" map --aperture 0400 >"$tmp/out" 2>"$tmp/err"
check "--aperture 0400 is 400 MiB, not octal 256" grep -q 'aperture \[0, 0x19000000) 400 MiB' "$tmp/out"
for a in 0x200 100 4000 ' 256' 256x -1; do
	"$bin" map --aperture "$a" >/dev/null 2>"$tmp/err"
	check "--aperture '$a': exit 1" test $? = 1
	check "--aperture '$a': names the value and the range" \
		grep -qF -- "--aperture '$a': want a decimal number of MiB in 128..3712" "$tmp/err"
done
for t in ' 64/ 64/ 2' '64/64/ 2' '+64/64/2' '64/64/2 '; do
	"$bin" map --vgpu "$t" >/dev/null 2>"$tmp/err"
	check "--vgpu '$t': exit 1" test $? = 1
	check "--vgpu '$t': unknown type" grep -qF -- "--vgpu $t: unknown type" "$tmp/err"
done

scenario audit_cli "H-14"
printf '\000\000\000\005' >"$tmp/bb"
"$bin" audit --mappable 0x8000000:0x4000000 --hidden 0x28000000:0x18000000 "$tmp/bb" >"$tmp/out"
check "vgt-host audit: MI_BATCH_BUFFER_END is ok" test $? = 0
check "and says ok" grep -qx ok "$tmp/out"
"$bin" audit --mappable 0x8000000 --hidden 0:1 "$tmp/bb" 2>"$tmp/err"
check "vgt-host audit: malformed range exits 1" test $? = 1
check "naming the option" grep -q -- "--mappable" "$tmp/err"

# Little-endian dwords, for the audit's input files.
dw() {
	for v in "$@"; do
		printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $((v & 255)) $((v >> 8 & 255)) \
			$((v >> 16 & 255)) $((v >> 24 & 255)))"
	done
}
S="--mappable 0x8000000:0x4000000 --hidden 0x28000000:0x18000000"
# XY_COLOR_BLT, 32 bpp, one pixel at the mappable base, then MI_BATCH_BUFFER_END
dw 0x54000005 0x03001000 0 0x00010001 0x08000000 0 0 0x05000000 >"$tmp/blt"
"$bin" audit --engine bcs $S "$tmp/blt" >"$tmp/out"
check "audit --engine bcs: a blit in the slice is ok" test $? = 0
"$bin" audit $S "$tmp/blt" >"$tmp/out"
check "audit: blits are not render commands: exit 2" test $? = 2
check "with the exact line" grep -qx 'rejected: unknown-opcode at dword 0: BLT_UNKNOWN addr 0x0 size 0' "$tmp/out"
dw 0x54000005 0x03001000 0 0x00010001 0x0c800000 0 0 0x05000000 >"$tmp/blt2"
"$bin" audit --engine=bcs $S "$tmp/blt2" >"$tmp/out"
check "audit: a blit into another vGPU is refused" grep -qx 'rejected: outside-slice at dword 0: XY_COLOR_BLT addr 0xc800000 size 4' "$tmp/out"
# MI_LOAD_REGISTER_IMM RING_HWS_PGA, then MI_STORE_DATA_INDEX
dw 0x11000001 0x2080 0x0c800000 0x10800001 0 1 >"$tmp/lri"
"$bin" audit --ring $S "$tmp/lri" >"$tmp/out"
check "audit: a status page pointed elsewhere is refused" grep -qx 'rejected: register at dword 0: MI_LOAD_REGISTER_IMM addr 0x2080 size 4' "$tmp/out"
"$bin" audit --engine gpu $S "$tmp/blt" 2>"$tmp/err"
check "audit: unknown engine: exit 1" test $? = 1
check "naming --engine and the value" grep -q -- '--engine: "gpu" is not rcs, bcs, vcs or vecs' "$tmp/err"
"$bin" audit $S "$tmp" 2>"$tmp/err"
check "audit: a directory: exit 1" test $? = 1
check "said to be a directory" grep -q "$tmp: Is a directory" "$tmp/err"
check "not a size of 2^63 bytes" sh -c "! grep -q 9223372036854775807 '$tmp/err'"
"$bin" audit $S /proc/self/status 2>"$tmp/err"
check "audit: a /proc file is read" sh -c "! grep -q empty '$tmp/err'"
dw 0x05000000 | "$bin" audit $S /dev/stdin >"$tmp/out" 2>"$tmp/err"
check "audit: a pipe is read" grep -qx ok "$tmp/out"
"$bin" audit $S /dev/zero 2>"$tmp/err"
check "audit: /dev/zero: exit 1" test $? = 1
check "stopped at the budget" grep -q '/dev/zero: more than 33554432 bytes' "$tmp/err"
truncate -s 1G "$tmp/big"
(ulimit -v 262144; "$bin" audit $S "$tmp/big") 2>"$tmp/err"
check "audit: 1 GiB in 256 MiB of memory: exit 1" test $? = 1
check "read no further than the budget" grep -q 'big: more than 33554432 bytes' "$tmp/err"
rm -f "$tmp/big"
head -c 33554428 /dev/zero >"$tmp/full"
dw 0x05000000 >>"$tmp/full"
"$bin" audit $S "$tmp/full" >"$tmp/out"
check "audit: exactly the budget is audited" grep -qx ok "$tmp/out"
rm -f "$tmp/full"
ktap_end

#!/bin/sh
# vgt-host map: default host, a mix of types, refusals with the allocator's
# message, JSON and SVG outputs, option errors that name the option and
# value; vgt-host audit (H-14). KTAP out (ktap.sh), "N passed, N failed".
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
ktap_end

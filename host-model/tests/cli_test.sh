#!/bin/sh
# vgt-host map: default host, a mix of types, refusals with the allocator's
# message, JSON and SVG outputs. Prints "N passed, N failed".
set -u
bin=${1:-build/vgt-host}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
check() { # description, command...
	desc=$1; shift
	if "$@" >/dev/null 2>&1; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "not ok $desc"; fi
}

"$bin" map >"$tmp/default" 2>&1
check "default host fits two type 8" grep -q '^vgpu2 ' "$tmp/default"
check "and no third" sh -c "! grep -q '^vgpu3 ' '$tmp/default'"
"$bin" map --vgpu 4 --vgpu 4 >"$tmp/out" 2>"$tmp/err"
check "two type 4 do not fit: exit 1" test $? = 1
check "with the allocator's message" grep -qx 'vgt-host: --vgpu 4: aperture: requested 128 MiB, largest free 0 MiB, total free 0 MiB' "$tmp/err"
"$bin" map --vgpu 9 >/dev/null 2>"$tmp/err"
check "unknown type: exit 1" test $? = 1
check "unknown type named" grep -q -- '--vgpu 9: unknown type' "$tmp/err"
"$bin" map --aperture 1024 --vgpu 1 --vgpu 4 --vgpu 64/100/2 --json --svg "$tmp/m.svg" >"$tmp/json"
check "mix of types" test $? = 0
check "json lists three vGPUs" test "$(grep -c "\"id\":" "$tmp/json")" = 3
check "svg has a block per owner and slice" test "$(grep -c '<title>' "$tmp/m.svg")" = 8
"$bin" map --svg /nonexistent/dir/x.svg >/dev/null 2>"$tmp/err"
check "unwritable svg: exit 1" test $? = 1
printf '\000\000\000\005' >"$tmp/bb"
"$bin" audit --mappable 0x8000000:0x4000000 --hidden 0x28000000:0x18000000 "$tmp/bb" >"$tmp/out"
check "vgt-host audit: MI_BATCH_BUFFER_END is ok" test $? = 0
check "and says ok" grep -qx ok "$tmp/out"
"$bin" audit --mappable 0x8000000 --hidden 0:1 "$tmp/bb" 2>"$tmp/err"
check "vgt-host audit: malformed range exits 1" test $? = 1
check "naming the option" grep -q -- "--mappable" "$tmp/err"
echo "cli_test: $pass passed, $fail failed"
[ "$fail" = 0 ]

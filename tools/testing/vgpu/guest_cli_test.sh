#!/bin/sh
# vgpu-guest: default page accepted with four balloons and 4 fences; a page
# with fence_num 0 refused (exit 2, the guest's error line); unusable input
# exits 1. KTAP out (host-model/tests/ktap.sh), "N passed, N failed".
set -u
bin=${1:-build/vgpu-guest}
. "$(dirname "$0")/../../../host-model/tests/ktap.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ktap_begin guest_cli_test

scenario default_page "G-16 G-17"
"$bin" --dump-default >"$tmp/p.bin"
check "dump is one page" test "$(wc -c <"$tmp/p.bin")" = 4096
"$bin" --pvinfo "$tmp/p.bin" >"$tmp/out"
check "default page accepted" test $? = 0
check "four balloons" test "$(grep -c '^balloon ' "$tmp/out")" = 4
check "fence count last" test "$(tail -n 1 "$tmp/out")" = "fences 4"
scenario malformed_page "G-6"
cp "$tmp/p.bin" "$tmp/bad.bin"
printf '\000\000\000\000' | dd of="$tmp/bad.bin" bs=1 seek=80 conv=notrunc 2>/dev/null
"$bin" --pvinfo "$tmp/bad.bin" >"$tmp/out"
check "fence_num 0 refused with exit 2" test $? = 2
check "with the guest's error line" grep -q 'avail_rs.fence_num 0 rejected' "$tmp/out"
scenario unusable_input ""
"$bin" --pvinfo "$tmp/missing" 2>/dev/null
check "missing file: exit 1" test $? = 1
head -c 100 "$tmp/p.bin" >"$tmp/short.bin"
"$bin" --pvinfo "$tmp/short.bin" 2>/dev/null
check "short file: exit 1" test $? = 1
ktap_end

#!/bin/sh
# spec/conformance.sh on a copy of the tree: a current table with every
# test passed passes; a requirement without a passing test, a stale table
# and a tag naming an unknown requirement each fail the check, naming what
# is wrong. KTAP out
# (host-model/tests/ktap.sh), "N passed, N failed".
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/host-model/tests/ktap.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/tree/host-model" "$tmp/tree/tools/testing/vgpu" "$tmp/res"
cp -r "$here/spec" "$tmp/tree/"
cp -r "$here/host-model/tests" "$tmp/tree/host-model/"
cp "$here"/tools/testing/vgpu/test_*.c "$here"/tools/testing/vgpu/*.sh "$tmp/tree/tools/testing/vgpu/"
gen=$tmp/tree/spec/conformance.sh
# The copy's table made current first: whether the repository's is, is the
# real check's to say (spec/spec.mk).
"$gen" update
ktap_begin conformance_test

# Results: every tagged test passed, except what a scenario says.
"$gen" table | sed -n 's/.*| \(`.*\) |$/\1/p' | tr ',' '\n' | tr -d ' `' | sort -u |
	awk '{ print "ok " NR " " $1 }' >"$tmp/res/all.ktap"

scenario current_table_passes ""
"$gen" check "$tmp/res" >"$tmp/out" 2>&1
check "exit 0" test $? = 0
n=$(( $(grep '^- \*\*[GH]-[0-9]*\*\*' "$tmp/tree/spec/pvinfo.md" | grep -vc '\*\* withdrawn') +
	$(grep '^- \*\*[GH]-[0-9]*\*\*' "$tmp/tree/spec/pvinfo-1.1.md" | grep -vc '\*\* withdrawn') ))
check "every requirement counted ($n)" grep -q "^conformance: $n passed, 0 failed\$" "$tmp/out"

scenario failed_test_fails ""
sed 's/^ok \([0-9]*\) test_guest.two_devices$/not ok \1 test_guest.two_devices/' \
	"$tmp/res/all.ktap" >"$tmp/res/all.tmp" && mv "$tmp/res/all.tmp" "$tmp/res/all.ktap"
"$gen" check "$tmp/res" >"$tmp/out" 2>&1
check "exit 1" test $? = 1
check "naming the requirement and the failed test" \
	grep -q '^conformance: G-19 has no passing test (failed: test_guest.two_devices)$' "$tmp/out"

scenario stale_table_fails ""
sed -i 's/^TEST(two_devices, "G-19")/TEST(two_devices, "G-19 G-18")/' \
	"$tmp/tree/tools/testing/vgpu/test_guest.c"
"$gen" check "$tmp/res" >"$tmp/out" 2>&1
check "exit 1" test $? = 1
check "saying how to regenerate" grep -q "run 'make spec-table'" "$tmp/out"
"$gen" update && "$gen" table >"$tmp/table"
check "update writes what table prints" grep -qF "$(sed -n '/^| G-18 /p' "$tmp/table")" "$tmp/tree/spec/pvinfo.md"

scenario unknown_tag_fails ""
sed -i 's/^TEST(two_devices, "G-19 G-18")/TEST(two_devices, "G-19 G-18 H-99")/' \
	"$tmp/tree/tools/testing/vgpu/test_guest.c"
"$gen" check "$tmp/res" >"$tmp/out" 2>&1
check "exit 1" test $? = 1
check "naming test and tag" \
	grep -q '^conformance: test_guest.two_devices names H-99, which the spec does not define$' "$tmp/out"
ktap_end

#!/bin/sh
# Our guest binaries speak IGT's test-binary protocol as igt_runner needs
# it, checked without a GPU: run in the guest root (chroot), where there is
# no i915, so the device subtests skip and the log ones fail; what is
# checked is the protocol: subtest listing, IGT's selection patterns,
# result lines, skip and failure messages on the right stream, exit codes.
#
#   igt-tests/tests/igt_protocol_test.sh GUEST_ROOT BUILD_DIR
set -u
root=$1 bin=$2
pass=0 fail=0
[ "${VGPU_PROTO_UNSHARED:-}" = 1 ] || {
	VGPU_PROTO_UNSHARED=1 exec unshare --mount --propagation private "$0" "$@"
}
# ASan needs /proc; the mount goes with our private mount namespace.
mount -t proc proc "$root/proc"
scratch=$(mktemp -d "$root/tmp/igt-proto.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
cp "$bin/vgpu_balloon" "$bin/vgpu_check" "$scratch/"
in=/tmp/$(basename "$scratch")

run_env=
# run NAME ARGS...: exit status in $rc, stdout in $scratch/out, stderr in $scratch/err
run() {
	name=$1; shift
	chroot "$root" env $run_env "$in/$name" "$@" >"$scratch/out" 2>"$scratch/err"
	rc=$?
}
check() { # description, command...
	desc=$1; shift
	if "$@" >/dev/null 2>&1; then pass=$((pass + 1)); else
		fail=$((fail + 1)); echo "not ok $desc"
		sed 's/^/    out: /' "$scratch/out"; sed 's/^/    err: /' "$scratch/err"
	fi
}
out() { grep -q -- "$1" "$scratch/out"; }
err() { grep -q -- "$1" "$scratch/err"; }
lines() { [ "$(wc -l <"$scratch/out")" = "$1" ]; }

run vgpu_balloon --list-subtests
check "--list-subtests: exit 0" test $rc = 0
check "  one name a line, in table order" sh -c "head -1 '$scratch/out' | grep -qx balloon-layout && tail -1 '$scratch/out' | grep -qx reslice-refused"
check "  all ten" lines 10
run vgpu_balloon --run-subtest 'nope'
check "an unknown subtest: exit 79 (IGT_EXIT_INVALID)" test $rc = 79
check "  saying so" err 'Unknown subtest: nope'
run vgpu_balloon --run-subtest 'balloon-*,!balloon-layout'
check "a pattern whose last match excludes everything: unknown" test $rc = 79
run vgpu_balloon --run-subtest '*-query,fence-*'
check "globs and lists: every subtest skips without a GPU: exit 77" test $rc = 77
check "  the selected ones only" sh -c "[ \$(grep -c '^Subtest ' '$scratch/out') = 2 ]"
check "  result lines as IGT's" out '^Subtest aperture-query: SKIP (0.000s)$'
check "  the fixture's reason on stdout" out '^Test requirement: fd >= 0$'
check "  not on stderr" sh -c "! grep -q 'Test requirement' '$scratch/err'"
run vgpu_check --run-subtest detect
check "a failing subtest: exit 98 (IGT_EXIT_FAILURE)" test $rc = 98
check "  Starting subtest line" out '^Starting subtest: detect$'
check "  FAIL result line" out '^Subtest detect: FAIL ([0-9.]*s)$'
check "  failure on stderr, as igt_assert words it" err '^Failed assertion: p$'
check "  with the message" err "no 'Virtual GPU for Intel GVT-g detected' line in dmesg"
check "  and the failure after it, not stopping the subtest" err 'readlink(/sys/bus/pci/devices/0000:00:02.0/driver)'
check "  version line first" sh -c "head -1 '$scratch/out' | grep -q '^IGT-Version: '"
run_env=IGT_SENTINEL_ON_STDERR=1
run vgpu_check --run-subtest=detect
run_env=
check "--run-subtest=NAME and IGT_SENTINEL_ON_STDERR: markers on stderr too" err '^Subtest detect: FAIL'
run vgpu_check --describe='d*'
check "--describe: exit 0" test $rc = 0
check "  names the spec IDs" out '^SUB detect: checks G-1 (spec/pvinfo.md)$'
check "  of the matching subtests" sh -c "! grep -q refused '$scratch/out'"
run vgpu_check --bogus
check "an unknown option: exit 79" test $rc = 79
run vgpu_check extra
check "a stray argument: exit 79" test $rc = 79

echo "igt_protocol_test: $pass passed, $fail failed"
[ "$fail" = 0 ]

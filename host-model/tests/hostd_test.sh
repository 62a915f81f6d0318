#!/bin/sh
# vgt-hostd without a VMM: option errors name the option and value, vGPUs
# that do not fit are refused with the allocator's message and leave no
# socket, and a running daemon serves one socket per vGPU, prints trap
# counts on SIGUSR1 and removes everything on SIGTERM (exit 0). The
# vfio-user side is exercised by real guests in scripts/vm-check.sh.
set -u
bin=${1:-build/vgt-hostd}
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$tmp"' EXIT
pass=0 fail=0
check() { # description, command...
	desc=$1; shift
	if "$@" >/dev/null 2>&1; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "not ok $desc"; fi
}
# wait_for FILE PATTERN: up to 5 s for a log line.
wait_for() {
	i=0
	until grep -q "$2" "$1"; do
		i=$((i + 1))
		[ $i -lt 50 ] || return 1
		sleep 0.1
	done
}

"$bin" >/dev/null 2>"$tmp/err"
check "no options: exit 2" test $? = 2
check "saying what is required" grep -q -- '--socket-dir and at least one --vgpu' "$tmp/err"
"$bin" --socket-dir "$tmp" --vgpu 8 --malformed-pvinfo bogus=1 2>"$tmp/err"
check "unknown PVINFO field: exit 2" test $? = 2
check "naming it" grep -q "unknown field 'bogus'" "$tmp/err"
"$bin" --socket-dir "$tmp" --vgpu 8 --malformed-pvinfo fence_num=0x100000000 2>"$tmp/err"
check "PVINFO value too wide: exit 2" test $? = 2
check "naming field and value" grep -q 'fence_num is 4 bytes, 0x100000000 does not fit' "$tmp/err"
"$bin" --socket-dir "$tmp" --vgpu 8 --guest-mem lots 2>"$tmp/err"
check "bad --guest-mem: exit 2" test $? = 2
check "naming the value" grep -q -- "--guest-mem 'lots'" "$tmp/err"
"$bin" --socket-dir "$tmp" --vgpu 9 >"$tmp/out" 2>&1
check "unknown vGPU type: exit 1" test $? = 1
check "naming the type" grep -q "unknown vGPU type '9'" "$tmp/out"
"$bin" --socket-dir "$tmp" --vgpu 8 --vgpu 4 >"$tmp/out" 2>&1
check "a vGPU that does not fit: exit 1" test $? = 1
check "with the allocator's message" grep -q 'cannot create a type 4 vGPU: .*aperture: requested 128 MiB, largest free 64 MiB' "$tmp/out"
check "and the first vGPU's socket removed" test ! -e "$tmp/vgpu1.sock"
"$bin" --socket-dir "$tmp/missing" --vgpu 8 >"$tmp/out" 2>&1
check "socket directory missing: exit 1" test $? = 1
check "naming the socket" grep -q "cannot listen on $tmp/missing/vgpu1.sock" "$tmp/out"

"$bin" --socket-dir "$tmp" --vgpu 8 --status "$tmp/missing/status" >"$tmp/out" 2>&1
check "unwritable --status: exit 1" test $? = 1
check "naming the file" grep -q -- "--status '$tmp/missing/status'" "$tmp/out"

"$bin" --socket-dir "$tmp" --vgpu 8 --vgpu 8 --status "$tmp/status" >"$tmp/log" 2>&1 &
pid=$!
check "two type 8 vGPUs come up" wait_for "$tmp/log" 'ready: 2 vGPU'
check "one socket each" test -S "$tmp/vgpu1.sock" -a -S "$tmp/vgpu2.sock"
check "slices logged" grep -q 'vgpu2: type 8: aperture \[0xc000000, 0x10000000) hidden \[0x40000000, 0x58000000) fences 4' "$tmp/log"
kill -USR1 $pid
check "SIGUSR1: trap counts for both" wait_for "$tmp/log" 'vgpu2 traps: pvinfo=0 ggtt=0'
kill -TERM $pid
wait $pid
check "SIGTERM: exit 0" test $? = 0
pid=
check "sockets removed" test ! -e "$tmp/vgpu1.sock" -a ! -e "$tmp/vgpu2.sock"
check "final counts printed" test "$(grep -c 'vgpu1 traps:' "$tmp/log")" = 2
check "both destroyed" test "$(grep -c ': destroyed' "$tmp/log")" = 2
check "clean exit logged" grep -q 'exit 0' "$tmp/log"
check "status: a record per vGPU with its slices" grep -q '^{"record":"vgpu","id":2,"type":"8","aperture":\[201326592,67108864\],"hidden":\[1073741824,402653184\],"fences":4,"socket":"'"$tmp"'/vgpu2.sock"}$' "$tmp/status"
check "status: ready, then exit 0 last" sh -c "grep -q '^{\"record\":\"ready\",\"vgpus\":2}\$' '$tmp/status' && tail -1 '$tmp/status' | grep -q '^{\"record\":\"exit\",\"status\":0}\$'"
echo "hostd_test: $pass passed, $fail failed"
[ "$fail" = 0 ]

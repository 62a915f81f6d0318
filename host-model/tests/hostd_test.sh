#!/bin/sh
# vgt-hostd without a VMM: option errors name the option and value, vGPUs
# that do not fit are refused with the allocator's message and leave no
# socket, a running daemon serves one socket per vGPU, prints trap counts
# on SIGUSR1 and removes its sockets on SIGTERM (exit 0); one daemon per
# socket directory, and nothing at a socket path that is not the daemon's
# own is replaced or removed; --pvinfo picks 1.0 or 1.1, and the control
# socket answers status and re-balloon requests (a vGPU without a 1.1
# guest refuses to be re-ballooned). The vfio-user side is exercised by real
# guests in scripts/vm-check.sh. KTAP out (ktap.sh), "N passed, N failed".
set -u
bin=${1:-build/vgt-hostd}
# The control socket's client: beside the daemon's build, else in build/.
ctl=${VGT_HOSTCTL:-build/vgt-hostctl}
. "$(dirname "$0")/ktap.sh"
tmp=$(mktemp -d)
pid= pid2=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; [ -n "$pid2" ] && kill $pid2 2>/dev/null; rm -rf "$tmp"' EXIT
# run_hostd ARGS...: a daemon that must exit by itself (at most 10 s).
run_hostd() {
	timeout 10 "$bin" "$@"
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
ktap_begin hostd_test

scenario options ""
run_hostd >/dev/null 2>"$tmp/err"
check "no options: exit 2" test $? = 2
check "saying what is required" grep -q -- '--socket-dir and at least one --vgpu' "$tmp/err"
run_hostd --socket-dir "$tmp" --vgpu 8 --malformed-pvinfo bogus=1 2>"$tmp/err"
check "unknown PVINFO field: exit 2" test $? = 2
check "naming it" grep -q "unknown field 'bogus'" "$tmp/err"
run_hostd --socket-dir "$tmp" --vgpu 8 --malformed-pvinfo fence_num=0x100000000 2>"$tmp/err"
check "PVINFO value too wide: exit 2" test $? = 2
check "naming field and value" grep -q 'fence_num is 4 bytes, 0x100000000 does not fit' "$tmp/err"
run_hostd --socket-dir "$tmp" --vgpu 8 --guest-mem lots 2>"$tmp/err"
check "bad --guest-mem: exit 2" test $? = 2
check "naming the value" grep -q -- "--guest-mem 'lots'" "$tmp/err"
run_hostd --socket-dir "$tmp" --vgpu 8 --poll-spin 100001 2>"$tmp/err"
check "--poll-spin past 100 ms: exit 2" test $? = 2
check "naming the value and the range" grep -q -- "--poll-spin '100001' .*(0..100000)" "$tmp/err"
run_hostd --socket-dir "$tmp" --vgpu 9 >"$tmp/out" 2>&1
check "unknown vGPU type: exit 1" test $? = 1
check "naming the type" grep -q "unknown vGPU type '9'" "$tmp/out"
run_hostd --socket-dir "$tmp" --vgpu 8 --vgpu 4 >"$tmp/out" 2>&1
check "a vGPU that does not fit: exit 1" test $? = 1
check "with the allocator's message" grep -q 'cannot create a type 4 vGPU: .*aperture: requested 128 MiB, largest free 64 MiB' "$tmp/out"
check "and the first vGPU's socket removed" test ! -e "$tmp/vgpu1.sock"
run_hostd --socket-dir "$tmp/missing" --vgpu 8 >"$tmp/out" 2>&1
check "socket directory missing: exit 1" test $? = 1
check "naming the directory" grep -q "socket directory '$tmp/missing'" "$tmp/out"

# Regressions of an outside review: each failed before the fix.
scenario option_values ""
run_hostd --socket-dir "$tmp" --vgpu 8 --bogus 2>"$tmp/err"
check "unknown last option: exit 2" test $? = 2
check "called unknown, not missing a value" grep -q "unknown option '--bogus'" "$tmp/err"
for f in magic=-1 fence_num=+4 'fence_num= 4' vgt_id=-0; do
	run_hostd --socket-dir "$tmp" --vgpu 8 --malformed-pvinfo "$f" >/dev/null 2>"$tmp/err"
	check "--malformed-pvinfo $f: exit 2" test $? = 2
	check "--malformed-pvinfo $f: not a number" grep -q "is not a number" "$tmp/err"
done
for g in ' 64' -1 0x100 0; do
	run_hostd --socket-dir "$tmp" --vgpu 8 --guest-mem "$g" >/dev/null 2>"$tmp/err"
	check "--guest-mem '$g': exit 2" test $? = 2
done

scenario lifecycle ""
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
check "no client ever attached: no device reset reported" sh -c "! grep -q 'device reset' '$tmp/log'"

scenario platforms "H-32"
"$bin" --socket-dir "$tmp" --vgpu 8 --vgpu hsw:8 >"$tmp/log" 2>&1 &
pid=$!
check "a Skylake and a Haswell vGPU come up" wait_for "$tmp/log" 'ready: 2 vGPU'
check "vgpu1 presents Skylake" grep -q 'vgpu1: presents skl 8086:1912, BAR0 16 MiB, GGTT 4096 MiB, execlists' "$tmp/log"
check "vgpu2 presents Haswell" grep -q 'vgpu2: presents hsw 8086:0412, BAR0 4 MiB, GGTT 2048 MiB, ring buffers' "$tmp/log"
check "its hidden slice below 2 GiB" grep -q 'vgpu2: type hsw:8: aperture \[0xc000000, 0x10000000) hidden \[0x40000000, 0x58000000)' "$tmp/log"
kill -TERM $pid
wait $pid
check "SIGTERM: exit 0" test $? = 0
pid=
run_hostd --socket-dir "$tmp" --vgpu hsw:8 --scatter >"$tmp/out" 2>&1
check "hsw with --scatter: exit 1" test $? = 1
check "saying a Haswell vGPU is 1.0 only" grep -q 'Haswell vGPU is PVINFO 1.0 only' "$tmp/out"
run_hostd --socket-dir "$tmp" --vgpu bdw:8 >"$tmp/out" 2>&1
check "unknown platform: exit 1" test $? = 1
check "naming the type" grep -q "unknown vGPU type 'bdw:8'" "$tmp/out"

scenario socket_ownership ""
mkdir "$tmp/d1" "$tmp/d2"
"$bin" --socket-dir "$tmp/d1" --vgpu 8 >"$tmp/log1" 2>&1 &
pid=$!
check "first daemon up" wait_for "$tmp/log1" 'ready: 1 vGPU'
run_hostd --socket-dir "$tmp/d1" --vgpu 8 >"$tmp/log2" 2>&1
check "a second daemon on the same directory: exit 1" test $? = 1
check "naming the first one's pid" grep -q "socket directory '$tmp/d1' is in use by another vgt-hostd (pid $pid" "$tmp/log2"
check "the first one's socket is still there" test -S "$tmp/d1/vgpu1.sock"
kill -USR1 $pid
check "and the first one still serves" wait_for "$tmp/log1" 'vgpu1 traps:'
ln "$tmp/d1/vgpu1.sock" "$tmp/d2/vgpu1.sock"
run_hostd --socket-dir "$tmp/d2" --vgpu 8 >"$tmp/log2" 2>&1
check "a live socket of another process at the path: exit 1" test $? = 1
check "refused as live" grep -q "vgpu1.sock is a live socket of another process: refusing" "$tmp/log2"
check "and left in place" test -S "$tmp/d2/vgpu1.sock"
rm "$tmp/d2/vgpu1.sock" "$tmp/d1/vgpu1.sock"
: >"$tmp/d1/vgpu1.sock"
kill -TERM $pid
wait $pid
pid=
check "what replaced our socket is left alone" test -f "$tmp/d1/vgpu1.sock"
check "and that is said" grep -q "vgpu1.sock is no longer the socket this daemon created: left alone" "$tmp/log1"
run_hostd --socket-dir "$tmp/d1" --vgpu 8 >"$tmp/log2" 2>&1
check "a regular file at the socket path: exit 1" test $? = 1
check "refused, naming it" grep -q "vgpu1.sock exists and is a regular file: refusing to replace it" "$tmp/log2"
check "and not deleted" test -f "$tmp/d1/vgpu1.sock"
rm "$tmp/d1/vgpu1.sock"
mkdir "$tmp/d1/vgpu1.sock"
run_hostd --socket-dir "$tmp/d1" --vgpu 8 >"$tmp/log2" 2>&1
check "a directory at the socket path: exit 1" test $? = 1
check "refused as a directory" grep -q "vgpu1.sock exists and is a directory: refusing" "$tmp/log2"
rmdir "$tmp/d1/vgpu1.sock"
"$bin" --socket-dir "$tmp/d2" --vgpu 8 >"$tmp/log2" 2>&1 &
pid2=$!
check "a daemon that will die" wait_for "$tmp/log2" 'ready: 1 vGPU'
kill -KILL $pid2
wait $pid2 2>/dev/null
pid2=
check "leaves a dead socket" test -S "$tmp/d2/vgpu1.sock"
"$bin" --socket-dir "$tmp/d2" --vgpu 8 >"$tmp/log3" 2>&1 &
pid=$!
check "the next daemon takes over" wait_for "$tmp/log3" 'ready: 1 vGPU'
check "saying it removed the dead socket" grep -q "removed $tmp/d2/vgpu1.sock: a socket nobody listened on" "$tmp/log3"
kill -TERM $pid
wait $pid
check "and exits 0" test $? = 0
pid=
scenario pvinfo_control "H-23 H-30"
run_hostd --socket-dir "$tmp" --vgpu 8 --pvinfo 2.0 2>"$tmp/err"
check "--pvinfo 2.0: exit 2" test $? = 2
check "naming the value" grep -q -- "--pvinfo '2.0': 1.0 or 1.1" "$tmp/err"
"$bin" --socket-dir "$tmp" --vgpu 8 --vgpu 8 --pvinfo 1.0 --control "$tmp/ctl" >"$tmp/log" 2>&1 &
pid=$!
check "a 1.0 daemon comes up with its control socket" wait_for "$tmp/log" 'ready: 2 vGPU(s), PVINFO 1.0, control'
"$ctl" "$tmp/ctl" status 2 >"$tmp/out"
check "status of a 1.0 vGPU: exit 0" test $? = 0
check "says 1.0 and its slices" grep -q '^ok vgpu2 pvinfo=1.0 features=0 enabled=0 .* aperture=0xc000000:0x4000000 hidden=0x40000000:0x18000000$' "$tmp/out"
"$ctl" "$tmp/ctl" reslice vgpu1 hidden=0x28000000:0x10000000 >"$tmp/out"
check "reslice without a 1.1 guest: exit 1" test $? = 1
check "refused with -EOPNOTSUPP (H-30)" grep -q '^error vgpu1 reslice -95: .*1.0 guest' "$tmp/out"
"$ctl" "$tmp/ctl" reslice vgpu1 hidden=0x28000000 >"$tmp/out"
check "a malformed range is named" grep -q "^error vgpu1 reslice: hidden: '0x28000000' is not BASE:SIZE" "$tmp/out"
"$ctl" "$tmp/ctl" status 9 >"$tmp/out"
check "an unknown vGPU is named" grep -q "^error status: no vGPU '9'" "$tmp/out"
"$ctl" "$tmp/ctl" frob >"$tmp/out"
check "an unknown command is named" grep -q "^error unknown command 'frob'" "$tmp/out"
check "each command logged" test "$(grep -c 'control: ' "$tmp/log")" = 5
kill -TERM $pid
wait $pid
check "SIGTERM: exit 0" test $? = 0
pid=
check "control socket removed" test ! -e "$tmp/ctl"
check "1.0 state in the final counts" grep -q 'vgpu1 pvinfo: 1.0' "$tmp/log"
"$bin" --socket-dir "$tmp" --vgpu 8 --scatter --control "$tmp/ctl" >"$tmp/log" 2>&1 &
pid=$!
check "a 1.1 scatter-capable daemon" wait_for "$tmp/log" 'ready: 1 vGPU(s), PVINFO 1.1, scatter-capable, control'
"$ctl" "$tmp/ctl" status vgpu1 >"$tmp/out"
check "offers GGTT_BATCH, RESLICE and SCATTER" grep -q '^ok vgpu1 pvinfo=1.1 features=0x7 enabled=0 ' "$tmp/out"
kill -TERM $pid
wait $pid
pid=
check "1.1 state in the final counts" grep -q 'vgpu1 pvinfo: 1.1 features=0x7 enabled=0 registrations=0 channel-requests=0' "$tmp/log"
ktap_end

#!/bin/sh
# vm-report without a VM: made-up status records, serial logs, igt_runner
# results and expectations, each verdict checked both ways (what must pass
# passes, each kind of difference fails), and unusable input refused with
# exit 2 and a message naming the file and line.
set -u
bin=${1:-build/vm-report}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
check() { # description, command...
	desc=$1; shift
	if "$@" >/dev/null 2>&1; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "not ok $desc"; fi
}
# exits DESC CODE CMD...: the command exits with CODE (its output in $tmp/out)
exits() {
	desc=$1 want=$2; shift 2
	"$@" >"$tmp/out" 2>&1
	got=$?
	if [ "$got" = "$want" ]; then pass=$((pass + 1)); else
		fail=$((fail + 1)); echo "not ok $desc (exit $got, want $want)"; sed 's/^/    /' "$tmp/out"
	fi
}
has() { grep -q -- "$1" "$tmp/out"; }

# ---- status records
cat >"$tmp/status" <<'J'
{"record":"vgpu","id":1,"type":"8","aperture":[134217728,67108864],"hidden":[671088640,402653184],"fences":4,"socket":"/s/vgpu1.sock"}
{"record":"ready","vgpus":1}
{"record":"reset","id":1,"cause":"client request","display_ready":0,"ppgtt_roots":0}
{"record":"reset","id":1,"cause":"client gone","display_ready":1,"ppgtt_roots":0}
{"record":"session","id":1,"n":1,"traps":{"pvinfo":20,"ggtt":900},"rejected":{"pvinfo":0,"ggtt":0},"reasons":{"bad-access":0},"total":920,"refused":0,"msi":3,"unmodelled":0,"pte_span":[134217728,1073737727],"aperture_span":null,"display_ready":1,"ppgtt_roots":0}
{"record":"exit","status":0}
J
exits "slices of vgpu1" 0 "$bin" slices "$tmp/status" 1
check "  as vgpu.expect wants them" has '^0x8000000,0x4000000,0x28000000,0x18000000,4$'
exits "no vgpu3: bad input" 2 "$bin" slices "$tmp/status" 3
check "  naming the id" has 'no vgpu record with id 3'
exits "id not a number" 2 "$bin" slices "$tmp/status" one
exits "host verdict holds" 0 "$bin" host "$tmp/status" 1 sessions=1 display_ready=1 confined
check "  one line per session" has 'vgpu1 guest 1: pvinfo=20 ggtt=900 refused=0'
exits "wrong session count fails" 1 "$bin" host "$tmp/status" 1 sessions=2
check "  saying so" has '1 session(s) in .*, expected 2'
exits "display_ready 0 expected fails" 1 "$bin" host "$tmp/status" 1 display_ready=0
exits "unknown verdict word: bad input" 2 "$bin" host "$tmp/status" 1 tidy
sed 's/"refused":0/"refused":2/; s/"bad-access":0/"bad-access":2/' "$tmp/status" >"$tmp/refused"
exits "a refused access fails" 1 "$bin" host "$tmp/refused" 1
check "  naming the reason" has 'refused 2 access(es): bad-access=2'
exits "a refusal the scenario allows passes" 0 "$bin" host "$tmp/refused" 1 allow=g2v-roots-full,bad-access
check "  and is still shown" has '2 refusal(s) the scenario allows: bad-access=2'
exits "a refusal of another reason still fails" 1 "$bin" host "$tmp/refused" 1 allow=g2v-roots-full
sed 's/"pte_span":\[134217728,/"pte_span":[4096,/' "$tmp/status" >"$tmp/escape"
exits "PTEs outside the slices fail when confined" 1 "$bin" host "$tmp/escape" 1 confined
exits "  and are not judged otherwise" 0 "$bin" host "$tmp/escape" 1
# execution: the command audit's refusals are judged exactly
sed '/"record":"session"/s/"ppgtt_roots":0}$/"ppgtt_roots":0,"exec":{"submissions":40,"commands":900,"blits":9,"engine_resets":1,"hangs":{"audit":1},"audit":{"outside-slice":1}}}/' \
	"$tmp/status" >"$tmp/exec"
exits "an audit refusal the scenario does not expect fails" 1 "$bin" host "$tmp/exec" 1
check "  saying so" has 'the command audit refused 1 buffer(s) for reasons the scenario does not expect'
check "  with the execution counters" has 'exec submissions=40 commands=900 blits=9 engine_resets=1 hangs={audit=1} audit={outside-slice=1}'
exits "the expected audit refusal passes" 0 "$bin" host "$tmp/exec" 1 audit=outside-slice:1
exits "one refusal fewer than expected fails" 1 "$bin" host "$tmp/status" 1 audit=outside-slice:1
check "  naming reason and counts" has 'refused 0 buffer(s) as outside-slice, expected 1'
exits "one more than expected fails" 1 "$bin" host "$tmp/exec" 1 audit=outside-slice:0
exits "audit without a count: bad input" 2 "$bin" host "$tmp/exec" 1 audit=outside-slice
exits "audit count not a number: bad input" 2 "$bin" host "$tmp/exec" 1 audit=outside-slice:x
echo '{"id":1}' >"$tmp/junk"
exits "a line without a record kind: bad input" 2 "$bin" host "$tmp/junk" 1
check "  naming file and line" has 'junk:1: not a status record'

# ---- guest serial output
cat >"$tmp/guest.log" <<'L'
VGPU-BOOT userspace=3.10
VGPU-RUN 1: vgpu_check --run-subtest detect
Starting subtest: detect
Subtest detect: SUCCESS (0.010s)
VGPU-DONE 1: status=0 time=0.50
VGPU-RUN 2: vgpu_balloon --run-subtest fence-quota
Subtest fence-quota: SUCCESS (0.001s)
VGPU-DONE 2: status=0 time=0.30
VGPU-EXIT 0 done=4.00
L
exits "all subtests passed" 0 "$bin" guest "$tmp/guest.log"
check "  listed by binary" has 'vgpu_balloon@fence-quota: SUCCESS'
sed 's/Subtest fence-quota: SUCCESS/Subtest fence-quota: FAIL/; s/status=0 time=0.30/status=98 time=0.30/; s/EXIT 0/EXIT 98/' \
	"$tmp/guest.log" >"$tmp/g"
exits "a failed subtest fails" 1 "$bin" guest "$tmp/g"
sed 's/Subtest detect: SUCCESS/Subtest detect: SKIP/' "$tmp/guest.log" >"$tmp/g"
exits "a skipped subtest fails (the scenario runs what must pass)" 1 "$bin" guest "$tmp/g"
grep -v VGPU-EXIT "$tmp/guest.log" >"$tmp/g"
exits "a guest that did not finish fails" 1 "$bin" guest "$tmp/g"
check "  saying so" has 'no VGPU-EXIT line'

# ---- igt_runner results against expectations
cat >"$tmp/results.json" <<'J'
{"__type__":"TestrunResult","results_version":10,"name":"vgpu","tests":{
"igt@gem_basic@bad-close":{"out":"Starting subtest: bad-close\nSubtest bad-close: SUCCESS (0.010s)\n","err":"","dmesg":"<6> [10.0] [IGT] gem_basic: starting subtest bad-close\n<6> [10.1] i915 0000:00:02.0: a line\n","result":"pass","time":{"__type__":"TimeAttribute","start":1.0,"end":1.5}},
"igt@gem_basic@create-close":{"out":"","err":"","dmesg":"","result":"pass","time":{"__type__":"TimeAttribute","start":1.5,"end":1.6}},
"igt@gem_exec_basic@basic":{"out":"Subtest basic: SKIP (0.000s)\n","err":"Test requirement not met in function igt_require_gem, file ../lib/ioctl_wrappers.c:1:\nTest requirement: !err\nGT wedged\n","dmesg":"","result":"skip","time":{"__type__":"TimeAttribute","start":2.0,"end":2.1}}
}}
J
cat >"$tmp/expect" <<'X'
# comment
igt@gem_exec_*@* | skip | GT wedged | nothing executes yet
igt@gem_basic@*  | pass |           |
X
exits "results as expected" 0 "$bin" igt "$tmp/results.json" "$tmp/expect"
check "  a table per test" has '^gem_basic: 2 result(s): 2 pass, 0 skip, 0 other'
check "  with IGT's skip reason" has 'igt: Test requirement: !err: GT wedged'
check "  and the dmesg lines, IGT's markers left out" has 'dmesg: <6> \[10.1\] i915'
check "  the markers" sh -c "! grep -q 'dmesg:.*\[IGT\]' '$tmp/out'"
check "  a summary" has '2 pass, 1 skip, 0 fail, 0 timeout, 0 other; 0 difference'
sed 's/| skip | GT wedged |/| skip | no such words |/' "$tmp/expect" >"$tmp/x"
exits "a skip for another reason differs" 1 "$bin" igt "$tmp/results.json" "$tmp/x"
check "  saying what IGT did not say" has "IGT does not say 'no such words'"
printf 'igt@gem_exec_*@* | skip | | wedged\nigt@gem_basic@bad-close | fail | | a known bug\nigt@gem_basic@* | pass | |\n' >"$tmp/x"
exits "an unexpected pass differs" 1 "$bin" igt "$tmp/results.json" "$tmp/x"
check "  naming the line" has 'DIFFERS: expected fail (line 2: a known bug)'
printf 'igt@gem_basic@* | pass | |\n' >"$tmp/x"
exits "a result without an entry differs" 1 "$bin" igt "$tmp/results.json" "$tmp/x"
check "  saying so" has 'no entry in the expectations'
printf 'igt@gem_exec_*@* | skip | | wedged\nigt@gem_basic@* | pass | |\nigt@gem_mmap_gtt@* | pass | |\n' >"$tmp/x"
exits "an entry matching nothing differs" 1 "$bin" igt "$tmp/results.json" "$tmp/x"
check "  as stale" has "x:3: 'igt@gem_mmap_gtt@\*' matches no result"
printf 'igt@gem_exec_*@* | skip | | wedged\nigt@gem_basic@create-close | excluded | | slow\nigt@gem_basic@* | pass | |\n' >"$tmp/x"
exits "an excluded entry that ran differs" 1 "$bin" igt "$tmp/results.json" "$tmp/x"
check "  saying so" has 'ran, but line 2 excludes it'
printf 'igt@gem_exec_*@* | skip | |\n' >"$tmp/x"
exits "a skip without a reason: bad input" 2 "$bin" igt "$tmp/results.json" "$tmp/x"
check "  naming file and line" has "x:1: 'igt@gem_exec_\*@\*' is expected to skip without a WHY"
printf 'igt@x | passes | |\n' >"$tmp/x"
exits "an unknown result: bad input" 2 "$bin" igt "$tmp/results.json" "$tmp/x"
printf 'gem_basic | pass | |\n' >"$tmp/x"
exits "a pattern without igt@: bad input" 2 "$bin" igt "$tmp/results.json" "$tmp/x"
printf 'igt@x | pass\n' >"$tmp/x"
exits "too few columns: bad input" 2 "$bin" igt "$tmp/results.json" "$tmp/x"
echo '{"tests":' >"$tmp/bad.json"
exits "results that are not JSON: bad input" 2 "$bin" igt "$tmp/bad.json" "$tmp/expect"

# A fixture skip: IGT gives the reason with the first subtest only.
cat >"$tmp/fixture.json" <<'J'
{"tests":{
"igt@gem_busy@busy":{"out":"Test requirement not met in function igt_require_gem:\nTest requirement: err == 0\nUnresponsive i915/GEM device\nSubtest busy: SKIP (0.000s)\n","result":"skip"},
"igt@gem_busy@hang":{"out":"Subtest hang: SKIP (0.000s)\n","result":"skip"},
"igt@gem_wait@basic":{"out":"Subtest basic: SKIP (0.000s)\n","result":"skip"}
}}
J
printf 'igt@gem_busy@* | skip | Unresponsive | wedged\nigt@gem_wait@* | skip | | no reason printed\n' >"$tmp/x"
exits "a fixture skip's reason covers the subtests after it" 0 "$bin" igt "$tmp/fixture.json" "$tmp/x"
check "  and is shown with them" sh -c "grep -A1 '^  hang ' '$tmp/out' | grep -q 'igt: Test requirement: err == 0: Unresponsive'"
printf 'igt@gem_busy@* | skip | Unresponsive | wedged\nigt@gem_wait@* | skip | Unresponsive | another test\n' >"$tmp/x"
exits "  but not another test's" 1 "$bin" igt "$tmp/fixture.json" "$tmp/x"

printf 'igt@gem_mmap_gtt@big-* | excluded | | slow under TCG\nigt@a.b@c | excluded | | x\nigt@* | pass | |\n' >"$tmp/x"
exits "excludes as runner regexes" 0 "$bin" igt-excludes "$tmp/x"
check "  globs anchored" has '^\^igt@gem_mmap_gtt@big-\.\*\$$'
check "  dots escaped" has '^\^igt@a\\.b@c\$$'
check "  only the excluded" sh -c "[ \$(wc -l <'$tmp/out') = 2 ]"

sed 's/"result":"skip"/"result":"pass"/' "$tmp/results.json" >"$tmp/upstream.json"
exits "comparing two runs" 0 "$bin" igt-compare "$tmp/results.json" "$tmp/upstream.json"
check "  names what differs, with both sides" has 'igt@gem_exec_basic@basic: enlightened skip, upstream pass'
check "  and the enlightened guest's reason" has 'enlightened: skip: Test requirement: !err: GT wedged'
check "  counts" has '1 of 3 result(s) differ'

echo "vm_report_test: $pass passed, $fail failed"
[ "$fail" = 0 ]

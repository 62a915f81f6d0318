#!/bin/sh
# Run every test command given, in order, even after one has failed; keep
# each one's output (KTAP) as RESULTS/NAME.ktap for spec/conformance.sh;
# then fail if any failed. NAME is the command's first word without
# "build/", slashes as dashes.
#
#   run_tests.sh SUITE RESULTS 'CMD [ARGS]'...
set -u
suite=$1 dir=$2
shift 2
mkdir -p "$dir"
pass=0 fail=0 failed=
for cmd in "$@"; do
	name=$(printf '%s\n' "$cmd" | sed 's/ .*//; s|^build/||; s|/|-|g')
	echo "== $cmd"
	{ sh -c "$cmd" 2>&1; echo $? >"$dir/$name.rc"; } | tee "$dir/$name.ktap"
	if [ "$(cat "$dir/$name.rc")" = 0 ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		failed="$failed $cmd;"
	fi
done
[ -z "$failed" ] || echo "$suite: failed:$failed"
echo "$suite: $pass passed, $fail failed"
[ "$fail" = 0 ]

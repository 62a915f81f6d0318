# Sourced by the shell tests: scenarios tagged with the spec IDs they check,
# reported in KTAP like the C tests of vgt_test.h, so that make check and
# spec/conformance.sh read both alike.
#
#   ktap_begin STEM              once, first: "KTAP version 1"
#   scenario NAME "SPEC-IDS"     starts a scenario (ends the previous one);
#                                spec/conformance.sh reads these lines from
#                                the script itself, so keep them literal
#   check DESC CMD...            one check of the current scenario
#   ktap_end                     ends the last scenario, prints the plan and
#                                "STEM: N passed, N failed"; exit status 1
#                                if any scenario failed
ktap_begin() {
	ktap_stem=$1 ktap_n=0 ktap_bad=0 ktap_cur= ktap_spec= ktap_fail=0
	ktap_checks=0 ktap_checks_failed=0
	echo "KTAP version 1"
}

ktap_close() {
	[ -n "$ktap_cur" ] || return 0
	ktap_n=$((ktap_n + 1))
	if [ "$ktap_fail" = 0 ]; then r=ok; else r="not ok"; ktap_bad=$((ktap_bad + 1)); fi
	echo "$r $ktap_n $ktap_stem.$ktap_cur${ktap_spec:+ # spec: $ktap_spec}"
	ktap_cur=
}

scenario() {
	ktap_close
	ktap_cur=$1 ktap_spec=$2 ktap_fail=0
}

check() { # description, command...
	desc=$1; shift
	ktap_checks=$((ktap_checks + 1))
	if "$@" >/dev/null 2>&1; then
		:
	else
		ktap_fail=$((ktap_fail + 1))
		ktap_checks_failed=$((ktap_checks_failed + 1))
		echo "# FAIL $ktap_cur: $desc"
	fi
}

ktap_end() {
	ktap_close
	echo "1..$ktap_n"
	echo "# $ktap_stem: $ktap_checks checks, $ktap_checks_failed failed"
	echo "$ktap_stem: $((ktap_n - ktap_bad)) passed, $ktap_bad failed"
	[ "$ktap_bad" = 0 ]
}

# The spec's conformance table (spec/pvinfo.md chapter 12) is generated from
# the spec tags of the tests (spec/conformance.sh). Included by the
# top-level Makefile after the test fragments.
#
#   make spec-table         rewrite the table from the tags
#   make conformance-check  after host-check and harness-check: the table is
#                           current, every tag names a requirement, and
#                           every requirement has a test that passed

.PHONY: spec-table conformance-check
spec-table:
	spec/conformance.sh update

conformance-check: host-check harness-check
	@spec/conformance_test.sh
	spec/conformance.sh check $(BUILD)/results

CHECK_TARGETS += conformance-check

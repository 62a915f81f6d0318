# libvgt, the host model, and the vgt-host CLI. Included by the top-level
# Makefile; paths are relative to the repository root, outputs under $(BUILD).
#
#   make build/libvgt.a build/vgt-host   -O2 library and CLI
#   make host-check    every host-model/tests/test_*.c under ASan+UBSan, the
#                      concurrent ones (test_*_mt.c) also under TSan, then the
#                      CLI test; all of them run, the check fails after if any
#                      failed; outputs (KTAP) in build/results/ for the
#                      conformance table (spec/conformance.sh)
#   make host-bench    host-model/bench/*.c at -O2 (figures, not tests)
#   make fuzz          every host-model/fuzz/fuzz_*.c for FUZZ_SECONDS each
#   make fuzz-long     the same for FUZZ_LONG_SECONDS each

BUILD ?= build
HOST_CFLAGS := -std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE \
	-Ihost-model/include -Idrivers/gpu/drm/i915
# Files holding main(): the CLI. Everything else in src/ is the library
# (audit_cli.c only defines vgt_audit_main, so it is library code too).
HOST_MAINS := host-model/src/vgt-host.c
HOST_SRC := $(filter-out $(HOST_MAINS),$(wildcard host-model/src/*.c))
HOST_HDR := $(wildcard host-model/include/*.h host-model/include/linux/*.h \
	host-model/src/*.h host-model/tests/*.h) drivers/gpu/drm/i915/i915_pvinfo.h
HOST_TESTS := $(sort $(patsubst host-model/tests/%.c,%,$(wildcard host-model/tests/test_*.c)))
HOST_MT_TESTS := $(filter %_mt,$(HOST_TESTS))
HOST_BENCHES := $(sort $(patsubst host-model/bench/%.c,%,$(wildcard host-model/bench/*.c)))
HOST_OUT := $(BUILD)/host
HOST_SAN := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
HOST_TSAN := -O1 -g -fsanitize=thread
HOST_OPT := -O2
# Tests may look at internals (the register table): src/ on their path.
HOST_TEST_INC := -Ihost-model/src -Ihost-model/tests

host_objs = $(patsubst host-model/src/%.c,$(HOST_OUT)/$(1)/obj/%.o,$(HOST_SRC))

# The library's objects in one variant: name, flags, compiler (default $(CC)).
define HOST_VARIANT_RULES
$(HOST_OUT)/$(1)/obj/%.o: host-model/src/%.c $(HOST_HDR)
	@mkdir -p $$(@D)
	$(or $(3),$(CC)) $(HOST_CFLAGS) $(2) -c $$< -o $$@
endef
$(eval $(call HOST_VARIANT_RULES,asan,$(HOST_SAN)))
$(eval $(call HOST_VARIANT_RULES,tsan,$(HOST_TSAN)))
$(eval $(call HOST_VARIANT_RULES,opt,$(HOST_OPT)))
# libFuzzer's coverage on the library, ASan and UBSan aborting on the first error.
FUZZ_CC ?= clang-14
HOST_FUZZ := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=all
$(eval $(call HOST_VARIANT_RULES,fuzz,$(HOST_FUZZ) -fsanitize=fuzzer-no-link,$(FUZZ_CC)))

$(BUILD)/libvgt.a: $(call host_objs,opt)
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/vgt-host: host-model/src/vgt-host.c $(BUILD)/libvgt.a $(HOST_HDR)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(HOST_OPT) $< $(BUILD)/libvgt.a -o $@ -lpthread

$(HOST_OUT)/asan/%: host-model/tests/%.c $(call host_objs,asan) $(HOST_HDR)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(HOST_TEST_INC) $(HOST_SAN) $< $(call host_objs,asan) -o $@ -lpthread

$(HOST_OUT)/tsan/%: host-model/tests/%.c $(call host_objs,tsan) $(HOST_HDR)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(HOST_TEST_INC) $(HOST_TSAN) $< $(call host_objs,tsan) -o $@ -lpthread

$(HOST_OUT)/bench/%: host-model/bench/%.c $(BUILD)/libvgt.a $(HOST_HDR)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Ihost-model/tests $(HOST_OPT) $< $(BUILD)/libvgt.a -o $@ -lpthread

HOST_CHECK_BINS := $(addprefix $(HOST_OUT)/asan/,$(HOST_TESTS)) \
	$(addprefix $(HOST_OUT)/tsan/,$(HOST_MT_TESTS))

# Fuzzing. Each host-model/fuzz/fuzz_NAME.c defines LLVMFuzzerTestOneInput
# and links against the library's fuzz variant; its seeds are the files of
# host-model/fuzz/corpus/NAME/ (read only: what the run adds goes to
# $(HOST_OUT)/fuzz/work-NAME/), host-model/fuzz/NAME.dict its dictionary
# if there is one. A crash, a sanitizer report or an oracle's abort leaves
# the input in $(HOST_OUT)/fuzz/NAME-crash-* and fails the run.
FUZZ_SECONDS ?= 30
FUZZ_LONG_SECONDS ?= 600
FUZZ_TARGETS := $(sort $(patsubst host-model/fuzz/%.c,%,$(wildcard host-model/fuzz/fuzz_*.c)))
FUZZ_BINS := $(addprefix $(HOST_OUT)/fuzz/,$(FUZZ_TARGETS))

$(HOST_OUT)/fuzz/fuzz_%: host-model/fuzz/fuzz_%.c $(call host_objs,fuzz) $(HOST_HDR)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(HOST_CFLAGS) $(HOST_FUZZ) -fsanitize=fuzzer $< $(call host_objs,fuzz) \
		-o $@ -lpthread

# $(1): seconds per target
fuzz_run = set -e; for t in $(FUZZ_TARGETS); do \
	name=$${t\#fuzz_}; work=$(HOST_OUT)/fuzz/work-$$name; mkdir -p $$work; \
	dict=; [ ! -f host-model/fuzz/$$name.dict ] || dict=-dict=host-model/fuzz/$$name.dict; \
	echo "== $$t, $(1) s from host-model/fuzz/corpus/$$name"; \
	$(HOST_OUT)/fuzz/$$t -max_total_time=$(1) -print_final_stats=1 $$dict \
		-artifact_prefix=$(HOST_OUT)/fuzz/$$name- $$work host-model/fuzz/corpus/$$name; \
	done

.PHONY: fuzz fuzz-long fuzz-check
fuzz: $(FUZZ_BINS)
	@$(call fuzz_run,$(FUZZ_SECONDS))

# make check (so CI) runs every target briefly from its seeds: no finding.
FUZZ_CHECK_SECONDS ?= 15
fuzz-check: $(FUZZ_BINS)
	@$(call fuzz_run,$(FUZZ_CHECK_SECONDS))
CHECK_TARGETS += fuzz-check

fuzz-long: $(FUZZ_BINS)
	@$(call fuzz_run,$(FUZZ_LONG_SECONDS))

.PHONY: host-check host-bench host-all
host-check: $(HOST_CHECK_BINS) $(BUILD)/vgt-host
	@host-model/tests/run_tests.sh host-check $(BUILD)/results $(HOST_CHECK_BINS) \
		"host-model/tests/cli_test.sh $(BUILD)/vgt-host"

host-bench: $(addprefix $(HOST_OUT)/bench/,$(HOST_BENCHES))
	@set -e; for b in $^; do echo "== $$b"; $$b; done

host-all: $(BUILD)/libvgt.a $(BUILD)/vgt-host

ALL_TARGETS += $(BUILD)/libvgt.a $(BUILD)/vgt-host
CHECK_TARGETS += host-check
BENCH_TARGETS += host-bench

# vgt-hostd: the vGPUs as vfio-user PCI devices. libvfio-user comes from
# Debian's qemu source package, built once into the cache by the script.
# vgt-hostctl.c is the control socket's client (a main of its own, no
# libvfio-user); every daemon build brings it along for scripts and tests.
HOSTD_CTL := host-model/hostd/vgt-hostctl.c
HOSTD_SRC := $(filter-out $(HOSTD_CTL),$(wildcard host-model/hostd/*.c))
HOSTD_HDR := $(wildcard host-model/hostd/*.h)

$(BUILD)/vgt-hostctl: $(HOSTD_CTL)
	@mkdir -p $(@D)
	$(CC) -std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE $(HOST_OPT) $< -o $@

$(BUILD)/libvfio-user.prefix: scripts/libvfio-user.sh
	@mkdir -p $(@D)
	scripts/libvfio-user.sh > $@.tmp
	mv $@.tmp $@

HOSTD_CFLAGS := -std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE \
	-iquote host-model/include -iquote host-model/hostd
hostd_link = -I$$(cat $(BUILD)/libvfio-user.prefix)/include $(HOSTD_SRC) $(1) \
	$$(cat $(BUILD)/libvfio-user.prefix)/lib/libvfio-user.a -ljson-c -ldl -lpthread

$(BUILD)/vgt-hostd: $(HOSTD_SRC) $(HOSTD_HDR) $(BUILD)/libvgt.a $(BUILD)/libvfio-user.prefix \
		| $(BUILD)/vgt-hostctl
	@mkdir -p $(@D)
	$(CC) $(HOSTD_CFLAGS) $(HOST_OPT) $(call hostd_link,$(BUILD)/libvgt.a) -o $@

# The daemon vm-check runs: ASan+UBSan over real guest traffic.
$(HOST_OUT)/asan/vgt-hostd: $(HOSTD_SRC) $(HOSTD_HDR) $(call host_objs,asan) $(BUILD)/libvfio-user.prefix \
		| $(BUILD)/vgt-hostctl
	@mkdir -p $(@D)
	$(CC) $(HOSTD_CFLAGS) $(HOST_SAN) $(call hostd_link,$(call host_objs,asan)) -o $@

# The daemon vm-check's two-guest scenario runs: TSan over two vfio-user
# threads driving one host.
$(HOST_OUT)/tsan/vgt-hostd: $(HOSTD_SRC) $(HOSTD_HDR) $(call host_objs,tsan) $(BUILD)/libvfio-user.prefix
	@mkdir -p $(@D)
	$(CC) $(HOSTD_CFLAGS) $(HOST_TSAN) $(call hostd_link,$(call host_objs,tsan)) -o $@

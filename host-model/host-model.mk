# libvgt, the host model. Included by the top-level Makefile; paths are
# relative to the repository root.

HOST_CFLAGS := -std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE \
	-Ihost-model/include -Idrivers/gpu/drm/i915
HOST_SRC := $(wildcard host-model/src/*.c)
HOST_HDR := $(wildcard host-model/include/*.h host-model/include/linux/*.h \
	host-model/src/*.h host-model/tests/*.h) drivers/gpu/drm/i915/i915_pvinfo.h
HOST_TESTS := $(patsubst host-model/tests/%.c,%,$(wildcard host-model/tests/test_*.c))
HOST_OUT := $(BUILD)/host
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -g
TSAN_FLAGS := -fsanitize=thread -g

$(HOST_OUT)/asan/%: host-model/tests/%.c $(HOST_SRC) $(HOST_HDR)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -O1 $(SAN_FLAGS) $(HOST_SRC) $< -o $@ -lpthread

$(HOST_OUT)/tsan/%: host-model/tests/%.c $(HOST_SRC) $(HOST_HDR)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -O1 $(TSAN_FLAGS) $(HOST_SRC) $< -o $@ -lpthread

.PHONY: host-check
host-check: $(addprefix $(HOST_OUT)/asan/,$(HOST_TESTS)) \
		$(addprefix $(HOST_OUT)/tsan/,$(filter %_mt,$(HOST_TESTS))) $(BUILD)/vgt-host
	@set -e; for t in $(filter-out $(BUILD)/vgt-host,$^); do echo "== $$t"; $$t; done
	host-model/tests/cli_test.sh $(BUILD)/vgt-host

CHECK_TARGETS += host-check

$(BUILD)/vgt-host: host-model/cli/vgt-host.c $(HOST_SRC) $(HOST_HDR)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -O2 $< $(HOST_SRC) -o $@ -lpthread

ALL_TARGETS += $(BUILD)/vgt-host

$(HOST_OUT)/bench/%: host-model/bench/%.c $(HOST_SRC) $(HOST_HDR)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -O2 $< $(HOST_SRC) -o $@ -lpthread

.PHONY: host-bench
host-bench: $(patsubst host-model/bench/%.c,$(HOST_OUT)/bench/%,$(wildcard host-model/bench/*.c))
	@set -e; for b in $^; do $$b; done

BENCH_TARGETS += host-bench

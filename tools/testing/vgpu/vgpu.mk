# Userspace harness: the unchanged guest code (i915_vgpu.c) with the real
# drm_mm.c and lib/rbtree.c of the cached linux-source-6.1 tree, on kernel
# stand-ins (shim/). Included by the top-level Makefile; paths are relative
# to the repository root.

VGPU_CACHE ?= $(or $(HOME),/root)/.cache/vgpu
KTREE := $(VGPU_CACHE)/linux-source-6.1
HARNESS := tools/testing/vgpu
HARNESS_OUT := $(BUILD)/harness

# The kernel sources the harness compiles unchanged.
HARNESS_KSRC := $(KTREE)/drivers/gpu/drm/drm_mm.c $(KTREE)/lib/rbtree.c
HARNESS_GUEST := drivers/gpu/drm/i915/i915_vgpu.c
HARNESS_SRC := $(HARNESS)/shim.c $(HARNESS)/guest.c
HARNESS_HDR := $(wildcard $(HARNESS)/*.h $(HARNESS)/shim/*.h \
	$(HARNESS)/shim/*/*.h host-model/include/linux/*.h host-model/tests/*.h) \
	drivers/gpu/drm/i915/i915_vgpu.h drivers/gpu/drm/i915/i915_pvinfo.h

# Shims first, so a real kernel header is only reached for what is not
# shimmed (rbtree, interval tree, drm_mm.h), and never beside a stand-in.
HARNESS_INC := -I$(HARNESS)/shim -Ihost-model/include -I$(KTREE)/include \
	-Idrivers/gpu/drm/i915
HARNESS_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
HARNESS_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror $(HARNESS_INC) -Ihost-model/tests
# The kernel's own files use unused parameters in their callbacks.
HARNESS_KCFLAGS := $(HARNESS_CFLAGS) -Wno-unused-parameter

$(KTREE)/.vgpu-extracted:
	@scripts/kernel-tree.sh >/dev/null
$(HARNESS_KSRC): $(KTREE)/.vgpu-extracted

$(HARNESS_OUT)/asan/k_%.o: $(KTREE)/drivers/gpu/drm/%.c $(HARNESS_HDR)
	@mkdir -p $(@D)
	$(CC) $(HARNESS_KCFLAGS) $(HARNESS_SAN) -c $< -o $@
$(HARNESS_OUT)/asan/k_%.o: $(KTREE)/lib/%.c $(HARNESS_HDR)
	@mkdir -p $(@D)
	$(CC) $(HARNESS_KCFLAGS) $(HARNESS_SAN) -c $< -o $@
$(HARNESS_OUT)/asan/%.o: drivers/gpu/drm/i915/%.c $(HARNESS_HDR)
	@mkdir -p $(@D)
	$(CC) $(HARNESS_CFLAGS) $(HARNESS_SAN) -c $< -o $@
$(HARNESS_OUT)/asan/%.o: $(HARNESS)/%.c $(HARNESS_HDR)
	@mkdir -p $(@D)
	$(CC) $(HARNESS_CFLAGS) $(HARNESS_SAN) -c $< -o $@

HARNESS_OBJ := $(HARNESS_OUT)/asan/k_drm_mm.o $(HARNESS_OUT)/asan/k_rbtree.o \
	$(HARNESS_OUT)/asan/i915_vgpu.o $(HARNESS_OUT)/asan/shim.o \
	$(HARNESS_OUT)/asan/guest.o

$(HARNESS_OUT)/test_guest: $(HARNESS_OBJ) $(HARNESS_OUT)/asan/test_guest.o
	$(CC) $(HARNESS_SAN) $^ -o $@ -lpthread


# End to end: the harness on libvgt. The sanitizer builds compile their own
# libvgt objects from the host model's sources with the same flags.
$(HARNESS_OUT)/asan/host_%.o: host-model/src/%.c $(HOST_HDR)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -O1 $(HARNESS_SAN) -g -c $< -o $@
HARNESS_HOST_OBJ := $(patsubst host-model/src/%.c,$(HARNESS_OUT)/asan/host_%.o,$(HOST_SRC))
HARNESS_E2E_OBJ := $(HARNESS_OBJ) $(HARNESS_HOST_OBJ) $(HARNESS_OUT)/asan/workload.o

$(HARNESS_OUT)/test_e2e: $(HARNESS_E2E_OBJ) $(HARNESS_OUT)/asan/test_e2e.o
	$(CC) $(HARNESS_SAN) $^ -o $@ -lpthread

# The concurrent scenarios again under ThreadSanitizer.
HARNESS_TSAN_SRC := $(HARNESS_KSRC) $(HARNESS_GUEST) $(HARNESS_SRC) \
	$(HARNESS)/workload.c $(HARNESS)/test_e2e.c
$(HARNESS_OUT)/test_e2e_tsan: $(HARNESS_TSAN_SRC) $(HOST_SRC) $(HARNESS_HDR) $(HOST_HDR)
	@mkdir -p $(@D)
	$(CC) $(HARNESS_KCFLAGS) -fsanitize=thread -g -Ihost-model/include \
		$(HARNESS_TSAN_SRC) $(HOST_SRC) -o $@ -lpthread

HARNESS_TESTS := $(HARNESS_OUT)/test_guest $(HARNESS_OUT)/test_e2e $(HARNESS_OUT)/test_e2e_tsan

.PHONY: harness-check
harness-check: $(HARNESS_TESTS) $(BUILD)/vgpu-guest
	@set -e; for t in $(HARNESS_TESTS); do echo "== $$t"; $$t; done
	tools/testing/vgpu/guest_cli_test.sh $(BUILD)/vgpu-guest

CHECK_TARGETS += harness-check

# The main job, optimised and without sanitizers.
HARNESS_RUN_SRC := $(HARNESS_KSRC) $(HARNESS_GUEST) $(HARNESS_SRC) $(HARNESS)/workload.c
$(BUILD)/vgpu-run: $(HARNESS_RUN_SRC) $(HARNESS)/vgpu_run.c $(HOST_SRC) $(HARNESS_HDR) $(HOST_HDR)
	@mkdir -p $(@D)
	$(CC) $(HARNESS_KCFLAGS) -O2 -Ihost-model/include $(HARNESS_RUN_SRC) \
		$(HARNESS)/vgpu_run.c $(HOST_SRC) -o $@ -lpthread

.PHONY: harness-run
harness-run: $(BUILD)/vgpu-run $(BUILD)/vgt-host
	@$(BUILD)/vgpu-run
	@$(BUILD)/vgt-host map --aperture 512 --vgpu 8 --vgpu 8 --vgpu 8 --vgpu 8 \
		--svg $(BUILD)/partition.svg >/dev/null
	@echo "partition map (SVG): $(BUILD)/partition.svg"

ALL_TARGETS += $(BUILD)/vgpu-run
RUN_TARGETS += harness-run

$(BUILD)/vgpu-guest: $(HARNESS_RUN_SRC) $(HARNESS)/vgpu_guest.c $(HOST_SRC) $(HARNESS_HDR) $(HOST_HDR)
	@mkdir -p $(@D)
	$(CC) $(HARNESS_KCFLAGS) -O2 -Ihost-model/include $(HARNESS_RUN_SRC) \
		$(HARNESS)/vgpu_guest.c $(HOST_SRC) -o $@ -lpthread

ALL_TARGETS += $(BUILD)/vgpu-guest

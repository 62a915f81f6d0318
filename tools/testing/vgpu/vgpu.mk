# Userspace harness: the unchanged guest code (i915_vgpu.c) with the real
# drm_mm.c and lib/rbtree.c of the cached linux-source-6.1 tree, on kernel
# stand-ins (shim/), against libvgt. Included by the top-level Makefile after
# host-model/host-model.mk (HOST_SRC, HOST_HDR, HOST_CFLAGS); paths are
# relative to the repository root, outputs go under $(BUILD)/harness.
#
#   make harness-check   every scenario under ASan/UBSan, the threaded one
#                        also under TSan, and the vgpu-guest CLI; all run,
#                        the check fails after if any failed (KTAP outputs
#                        in build/results/)
#   make harness-run     the main job (build/vgpu-run)
#   make build/vgpu-guest

# The same cache scripts/kernel-tree.sh (and make kernel-check) fills.
VGPU_CACHE ?= $(or $(HOME),/root)/.cache/vgpu
KTREE := $(VGPU_CACHE)/linux-source-6.1
HARNESS := tools/testing/vgpu
HARNESS_OUT := $(BUILD)/harness

# The kernel sources compiled unchanged: named as prerequisites, so an edit
# to any of them (or the tree appearing) rebuilds the harness.
HARNESS_KSRC := $(KTREE)/drivers/gpu/drm/drm_mm.c $(KTREE)/lib/rbtree.c
HARNESS_KHDR := $(KTREE)/include/drm/drm_mm.h $(KTREE)/include/linux/rbtree.h \
	$(KTREE)/include/linux/rbtree_augmented.h \
	$(KTREE)/include/linux/interval_tree_generic.h
HARNESS_GUEST := drivers/gpu/drm/i915/i915_vgpu.c
HARNESS_GUEST_PV := drivers/gpu/drm/i915/i915_vgpu_pv.c
HARNESS_HDR := $(wildcard $(HARNESS)/*.h $(HARNESS)/shim/*.h $(HARNESS)/shim/*/*.h) \
	host-model/include/libvgt.h host-model/tests/vgt_test.h \
	drivers/gpu/drm/i915/i915_vgpu.h drivers/gpu/drm/i915/i915_pvinfo.h

# Shims first, so a real kernel header is only reached for what is not
# shimmed (rbtree, interval tree, drm_mm.h), and never beside a stand-in:
# each stand-in carries the real header's include guard.
HARNESS_INC := -I$(HARNESS)/shim -Ihost-model/include -I$(KTREE)/include \
	-Idrivers/gpu/drm/i915 -Ihost-model/tests
HARNESS_WARN := -Wall -Wextra -Werror
# Our own files: strict C11. The kernel's files: GNU C as in the kernel, and
# their callbacks have unused parameters.
HARNESS_OWN_CFLAGS := -std=c11 -D_GNU_SOURCE $(HARNESS_WARN) $(HARNESS_INC)
HARNESS_K_CFLAGS := -std=gnu11 $(HARNESS_WARN) -Wno-unused-parameter $(HARNESS_INC)

# Three builds of everything: asan (ASan+UBSan, tests), tsan (threads), opt
# (the CLIs). Each links libvgt objects compiled from the host model's own
# source list with the same instrumentation.
HARNESS_VAR_asan := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all
HARNESS_VAR_tsan := -O1 -g -fsanitize=thread
HARNESS_VAR_opt := -O2 -g
# A fourth, fuzz, for host-model/fuzz/fuzz_pvinfo.c (make fuzz): the guest
# code with libFuzzer's coverage, built by clang; clang also finds drm_mm.c
# declaring a helper it never uses.
FUZZ_CC ?= clang-14
HARNESS_VAR_fuzz := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=all -fsanitize=fuzzer-no-link -Wno-unneeded-internal-declaration
HARNESS_CC_fuzz := $(FUZZ_CC)
# The variant is the name of the directory the object goes to.
HARNESS_VARIANT_NAME = $(notdir $(patsubst %/,%,$(dir $@)))
HARNESS_VARIANT = $(HARNESS_VAR_$(HARNESS_VARIANT_NAME))
HARNESS_CC = $(or $(HARNESS_CC_$(HARNESS_VARIANT_NAME)),$(CC))

$(KTREE)/.vgpu-extracted:
	@scripts/kernel-tree.sh >/dev/null || { \
		echo "harness: the Linux 6.1 tree is missing from $(KTREE)."; \
		echo "harness: get it with scripts/kernel-tree.sh (needs the Debian package"; \
		echo "harness: linux-source-6.1; VGPU_CACHE=DIR moves the cache)."; exit 1; }
$(HARNESS_KSRC) $(HARNESS_KHDR): $(KTREE)/.vgpu-extracted

# $(BUILD)/harness/<variant>/<object>
$(HARNESS_OUT)/%/k_drm_mm.o: $(KTREE)/drivers/gpu/drm/drm_mm.c $(HARNESS_HDR) $(HARNESS_KHDR)
	@mkdir -p $(@D)
	$(HARNESS_CC) $(HARNESS_K_CFLAGS) $(HARNESS_VARIANT) -c $< -o $@
$(HARNESS_OUT)/%/k_rbtree.o: $(KTREE)/lib/rbtree.c $(HARNESS_HDR) $(HARNESS_KHDR)
	@mkdir -p $(@D)
	$(HARNESS_CC) $(HARNESS_K_CFLAGS) $(HARNESS_VARIANT) -c $< -o $@
$(HARNESS_OUT)/%/i915_vgpu.o: $(HARNESS_GUEST) $(HARNESS_HDR) $(HARNESS_KHDR)
	@mkdir -p $(@D)
	$(HARNESS_CC) $(HARNESS_K_CFLAGS) $(HARNESS_VARIANT) -c $< -o $@
$(HARNESS_OUT)/%/i915_vgpu_pv.o: $(HARNESS_GUEST_PV) $(HARNESS_HDR) $(HARNESS_KHDR)
	@mkdir -p $(@D)
	$(HARNESS_CC) $(HARNESS_K_CFLAGS) $(HARNESS_VARIANT) -c $< -o $@
# One rule per variant: a pattern rule with several targets would be taken
# as one recipe making all of them.
define HARNESS_VARIANT_RULES
$(HARNESS_OUT)/$(1)/%.o: $(HARNESS)/%.c $(HARNESS_HDR) $(HARNESS_KHDR)
	@mkdir -p $$(@D)
	$(or $(HARNESS_CC_$(1)),$(CC)) $(HARNESS_OWN_CFLAGS) $(HARNESS_VAR_$(1)) -c $$< -o $$@
$(HARNESS_OUT)/$(1)/host_%.o: host-model/src/%.c $(HOST_HDR)
	@mkdir -p $$(@D)
	$(CC) $(HOST_CFLAGS) $(HARNESS_VAR_$(1)) -c $$< -o $$@
endef
$(foreach v,asan tsan opt fuzz,$(eval $(call HARNESS_VARIANT_RULES,$(v))))

# Objects of one variant: kernel, guest model, libvgt.
harness_objs = $(addprefix $(HARNESS_OUT)/$(1)/,k_drm_mm.o k_rbtree.o i915_vgpu.o i915_vgpu_pv.o \
	shim.o guest.o workload.o upstream.o \
	$(patsubst host-model/src/%.c,host_%.o,$(HOST_SRC)))

HARNESS_ASAN_TESTS := test_guest test_device test_e2e test_upstream test_pv11g
$(addprefix $(HARNESS_OUT)/,$(HARNESS_ASAN_TESTS)): $(HARNESS_OUT)/%: \
		$(call harness_objs,asan) $(HARNESS_OUT)/asan/%.o
	$(CC) $(HARNESS_VAR_asan) $^ -o $@ -lpthread

# The concurrent scenarios again under ThreadSanitizer.
$(HARNESS_OUT)/test_e2e_tsan: $(call harness_objs,tsan) $(HARNESS_OUT)/tsan/test_e2e.o
	$(CC) $(HARNESS_VAR_tsan) $^ -o $@ -lpthread

HARNESS_TESTS := $(addprefix $(HARNESS_OUT)/,$(HARNESS_ASAN_TESTS) test_e2e_tsan)

.PHONY: harness-check
harness-check: $(HARNESS_TESTS) $(BUILD)/vgpu-guest
	@host-model/tests/run_tests.sh harness-check $(BUILD)/results $(HARNESS_TESTS) \
		"$(HARNESS)/guest_cli_test.sh $(BUILD)/vgpu-guest"

CHECK_TARGETS += harness-check

# The CLIs, optimised and without sanitizers.
$(BUILD)/vgpu-run: $(call harness_objs,opt) $(HARNESS_OUT)/opt/vgpu_run.o
	$(CC) $(HARNESS_VAR_opt) $^ -o $@ -lpthread
$(BUILD)/vgpu-guest: $(call harness_objs,opt) $(HARNESS_OUT)/opt/vgpu_guest.o
	$(CC) $(HARNESS_VAR_opt) $^ -o $@ -lpthread

.PHONY: harness-run
harness-run: $(BUILD)/vgpu-run $(BUILD)/vgt-host
	@$(BUILD)/vgpu-run
	@$(BUILD)/vgt-host map --aperture 512 --vgpu 8 --vgpu 8 --vgpu 8 --vgpu 8 \
		--svg $(BUILD)/partition.svg >/dev/null
	@echo "partition map (SVG): $(BUILD)/partition.svg"

ALL_TARGETS += $(BUILD)/vgpu-run $(BUILD)/vgpu-guest
RUN_TARGETS += harness-run

# The guest's PVINFO validation under libFuzzer: an explicit rule, so it
# wins over the generic one for host-model/fuzz/fuzz_*.c, which links the
# library only. Seeds: host-model/fuzz/corpus/pvinfo/.
$(HOST_OUT)/fuzz/fuzz_pvinfo: host-model/fuzz/fuzz_pvinfo.c $(HARNESS_HDR) $(HARNESS_KHDR) \
		$(addprefix $(HARNESS_OUT)/fuzz/,k_drm_mm.o k_rbtree.o i915_vgpu.o i915_vgpu_pv.o \
			shim.o guest.o)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(HARNESS_OWN_CFLAGS) -I$(HARNESS) $(HARNESS_VAR_fuzz) -fsanitize=fuzzer $< \
		$(filter %.o,$^) -o $@

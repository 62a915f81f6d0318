# Our IGT-protocol test binaries, run inside the vGPU guest (by igt_runner
# or by vm/'s guest init). Included by the top-level Makefile; paths are
# relative to the repository root.
#
#   build/guest/vgpu_balloon   ballooning as a GEM user sees it
#   build/guest/vgpu_check     the probe: detect, refused, dmesg-clean
#   build/guest/vgpu_exec      execution: stores, blits, a refused batch, a spinner
#   build/guest/vgpu_bench     aperture and register-trap figures (make vm-bench)
#   build/guest/vgpu_mesa_vk   Mesa's Vulkan driver on the vGPU (anv, hasvk)
#   build/guest/vgpu_mesa_gl   Mesa's GL driver on the vGPU (iris, crocus), EGL surfaceless
#   build/guest/vgpu_aperture  userspace's aperture assumptions tried on the vGPU
#
# Compiled inside the guest root (scripts/vm-guest-cc.sh: its gcc, glibc
# and libdrm, so the uAPI is libdrm's i915_drm.h, not a copy), with
# ASan+UBSan; building them needs root, as the VM targets do. They are not
# in `make all` for that reason.

VGPU_GUEST_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
VGPU_IGT_LIB := igt-tests/vgpu_igt.c igt-tests/vgpu_igt.h \
	igt-tests/vgpu_guest.c igt-tests/vgpu_guest.h
# A new guest root (its recipe changed) means new libraries: rebuild.
VGPU_GUEST_DEPS := scripts/vm-guest-cc.sh scripts/vm-guest-root.sh scripts/vm-debootstrap.sh \
	vm/guest-root.packages

$(BUILD)/guest/vgpu_balloon: $(wildcard igt-tests/vgpu_balloon*.[ch]) $(VGPU_IGT_LIB) $(VGPU_GUEST_DEPS)
	scripts/vm-guest-cc.sh $@ "libdrm libdrm_intel" $(VGPU_GUEST_SAN) -- $(filter %.c %.h,$^)

$(BUILD)/guest/vgpu_check: igt-tests/vgpu_check.c $(VGPU_IGT_LIB) $(VGPU_GUEST_DEPS)
	scripts/vm-guest-cc.sh $@ "libdrm" $(VGPU_GUEST_SAN) -- $(filter %.c %.h,$^)

$(BUILD)/guest/vgpu_exec: igt-tests/vgpu_exec.c $(VGPU_IGT_LIB) $(VGPU_GUEST_DEPS)
	scripts/vm-guest-cc.sh $@ "libdrm" $(VGPU_GUEST_SAN) -- $(filter %.c %.h,$^)

# libdrm_intel for its own aperture figures (drm_intel_get_aperture_sizes,
# drm_intel_bufmgr_check_aperture_space), not re-derived.
$(BUILD)/guest/vgpu_aperture: $(wildcard igt-tests/vgpu_aperture*.[ch]) $(VGPU_IGT_LIB) $(VGPU_GUEST_DEPS)
	scripts/vm-guest-cc.sh $@ "libdrm libdrm_intel" $(VGPU_GUEST_SAN) -- $(filter %.c %.h,$^)

# Figures, so no sanitizers: they would time themselves, not the aperture.
$(BUILD)/guest/vgpu_bench: igt-tests/vgpu_bench.c $(VGPU_IGT_LIB) $(VGPU_GUEST_DEPS)
	scripts/vm-guest-cc.sh $@ "libdrm" -- $(filter %.c %.h,$^)

# Mesa's clients (vm/scenarios/mesa-*.scn), against the root's Mesa. No
# sanitizers: the drivers they load are not built for them.
$(BUILD)/guest/vgpu_mesa_vk: igt-tests/vgpu_mesa_vk.c $(VGPU_IGT_LIB) $(VGPU_GUEST_DEPS)
	scripts/vm-guest-cc.sh $@ "vulkan libdrm" -- $(filter %.c %.h,$^)

$(BUILD)/guest/vgpu_mesa_gl: igt-tests/vgpu_mesa_gl.c $(VGPU_IGT_LIB) $(VGPU_GUEST_DEPS)
	scripts/vm-guest-cc.sh $@ "egl glesv2 libdrm" -- $(filter %.c %.h,$^)

VGPU_MESA_TESTS := $(BUILD)/guest/vgpu_mesa_vk $(BUILD)/guest/vgpu_mesa_gl

VGPU_GUEST_TESTS := $(BUILD)/guest/vgpu_balloon $(BUILD)/guest/vgpu_check \
	$(BUILD)/guest/vgpu_exec $(BUILD)/guest/vgpu_bench $(BUILD)/guest/vgpu_aperture

# The protocol igt_runner relies on, checked in the guest root without a GPU.
.PHONY: igt-protocol-check
igt-protocol-check: $(VGPU_GUEST_TESTS)
	igt-tests/tests/igt_protocol_test.sh "$$(scripts/vm-guest-root.sh)" $(BUILD)/guest

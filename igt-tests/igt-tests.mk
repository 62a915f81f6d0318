# The in-guest checker (igt-tests/vgpu_check.c, vgpu_gem.c), an IGT-protocol test binary
# run inside the vGPU guest. Included by the top-level Makefile; paths are
# relative to the repository root, the output is $(BUILD)/vgpu_check.
#
#   make build/vgpu_check   static, so it runs from any guest initramfs
#
# It includes <drm/i915_drm.h> from the pristine 6.1 tree (the guest's uAPI,
# not the host's): $(BUILD)/uapi/drm links to the tree's include/uapi/drm.
# scripts/kernel-tree.sh runs in the recipe, not at parse time, so other
# targets never extract the tree; a shell substitution rather than $(shell)
# so that its failure stops the recipe instead of linking to /include/...

VGPU_CHECK_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -O2 -static

$(BUILD)/vgpu_check: igt-tests/vgpu_check.c igt-tests/vgpu_gem.c igt-tests/vgpu_exec.c \
		igt-tests/vgpu_check.h
	@mkdir -p $(BUILD)/uapi
	tree=$$(scripts/kernel-tree.sh) && \
		ln -sfn "$$tree/include/uapi/drm" $(BUILD)/uapi/drm
	$(CC) $(VGPU_CHECK_CFLAGS) -I$(BUILD)/uapi -o $@ $(filter %.c,$^)

ALL_TARGETS += $(BUILD)/vgpu_check

// SPDX-License-Identifier: MIT
#include "guest.h"

void vgpu_guest_init(struct vgpu_guest *g, const struct vgpu_backend_ops *ops,
		     void *ctx, u64 aperture, u64 ggtt_total)
{
	memset(g, 0, sizeof(*g));
	g->i915.pdev.ops = ops;
	g->i915.pdev.ctx = ctx;
	g->i915.drm.dev = &g->i915.pdev;
	g->i915.drm.quiet = true;
	g->i915.uncore.i915 = &g->i915;
	g->i915.graphics_ver = 9;
	g->ggtt.vm.i915 = &g->i915;
	g->ggtt.vm.total = ggtt_total;
	g->ggtt.mappable_end = aperture;
	drm_mm_init(&g->ggtt.vm.mm, 0, ggtt_total);
}

int vgpu_guest_probe(struct vgpu_guest *g)
{
	int ret;

	ret = intel_vgpu_detect(&g->i915);
	if (ret || !intel_vgpu_active(&g->i915))
		return ret;

	ret = intel_vgpu_fence_count(&g->i915, VGPU_GEN9_FENCES);
	if (ret < 0)
		return ret;

	return intel_vgt_balloon(&g->ggtt);
}

bool vgpu_guest_remove(struct vgpu_guest *g)
{
	bool clean;

	intel_vgt_deballoon(&g->ggtt);
	clean = drm_mm_clean(&g->ggtt.vm.mm);
	if (clean)
		drm_mm_takedown(&g->ggtt.vm.mm);
	if (intel_vgpu_active(&g->i915))
		mutex_destroy(&g->i915.vgpu.lock);
	return clean;
}

u64 vgpu_guest_free_space(struct vgpu_guest *g)
{
	u64 start, end, free = 0;
	struct drm_mm_node *hole;

	drm_mm_for_each_hole(hole, &g->ggtt.vm.mm, start, end)
		free += end - start;
	return free;
}

// SPDX-License-Identifier: MIT
/*
 * Linux 6.1's vGPU guest, modelled after drivers/gpu/drm/i915/i915_vgpu.c
 * and gt/intel_ggtt_fencing.c of linux-source-6.1 (see upstream.h). The
 * arithmetic is 6.1's: unsigned long (64 bits) for the slice ends, so a
 * range wrapping 32 bits is caught only by the GGTT-end check.
 */
#include "upstream.h"

#include "i915_pvinfo.h"

static void detect(struct upstream61 *u, struct vgpu_guest *g)
{
	struct drm_i915_private *i915 = &g->i915;
	void __iomem *shared_area;
	u16 version_major;

	shared_area = pci_iomap_range(to_pci_dev(i915->drm.dev), 0,
				      VGT_PVINFO_PAGE, VGT_PVINFO_SIZE);
	if (!shared_area)
		return;
	if (readq(shared_area + vgtif_offset(magic)) != VGT_MAGIC)
		goto out;
	version_major = readw(shared_area + vgtif_offset(version_major));
	if (version_major < VGT_VERSION_MAJOR) {
		drm_info(&i915->drm, "VGT interface version mismatch!\n");
		goto out;
	}
	u->caps = readl(shared_area + vgtif_offset(vgt_caps));
	u->active = true;
	drm_info(&i915->drm, "Virtual GPU for Intel GVT-g detected.\n");
out:
	pci_iounmap(to_pci_dev(i915->drm.dev), shared_area);
}

static int balloon_space(struct vgpu_guest *g, struct drm_mm_node *node,
			 unsigned long start, unsigned long end)
{
	unsigned long size = end - start;
	int ret;

	if (start >= end)
		return -EINVAL;
	drm_info(&g->i915.drm, "balloon space: range [ 0x%lx - 0x%lx ] %lu KiB.\n",
		 start, end, size / 1024);
	ret = i915_gem_gtt_reserve(&g->ggtt.vm, NULL, node, size, start,
				   I915_COLOR_UNEVICTABLE, 0);
	if (!ret)
		g->ggtt.vm.reserved += size;
	return ret;
}

void upstream61_deballoon(struct upstream61 *u, struct vgpu_guest *g)
{
	int i;

	for (i = 0; i < 4; i++) {
		if (!drm_mm_node_allocated(&u->space[i]))
			continue;
		g->ggtt.vm.reserved -= u->space[i].size;
		drm_mm_remove_node(&u->space[i]);
	}
}

static int balloon(struct upstream61 *u, struct vgpu_guest *g)
{
	struct intel_uncore *uncore = &g->i915.uncore;
	struct i915_ggtt *ggtt = &g->ggtt;
	unsigned long ggtt_end = ggtt->vm.total;
	unsigned long mappable_base, mappable_size, mappable_end;
	unsigned long unmappable_base, unmappable_size, unmappable_end;
	int ret;

	mappable_base = intel_uncore_read(uncore, vgtif_reg(avail_rs.mappable_gmadr.base));
	mappable_size = intel_uncore_read(uncore, vgtif_reg(avail_rs.mappable_gmadr.size));
	unmappable_base = intel_uncore_read(uncore, vgtif_reg(avail_rs.nonmappable_gmadr.base));
	unmappable_size = intel_uncore_read(uncore, vgtif_reg(avail_rs.nonmappable_gmadr.size));
	mappable_end = mappable_base + mappable_size;
	unmappable_end = unmappable_base + unmappable_size;

	if (mappable_end > ggtt->mappable_end ||
	    unmappable_base < ggtt->mappable_end ||
	    unmappable_end > ggtt_end) {
		drm_err(&g->i915.drm, "Invalid ggtt address\n");
		return -EINVAL;
	}
	/* 6.1's order: unmappable below and above, then mappable. */
	if (unmappable_base > ggtt->mappable_end) {
		ret = balloon_space(g, &u->space[2], ggtt->mappable_end, unmappable_base);
		if (ret)
			goto err;
	}
	if (unmappable_end < ggtt_end) {
		ret = balloon_space(g, &u->space[3], unmappable_end, ggtt_end);
		if (ret)
			goto err;
	}
	if (mappable_base) {
		ret = balloon_space(g, &u->space[0], 0, mappable_base);
		if (ret)
			goto err;
	}
	if (mappable_end < ggtt->mappable_end) {
		ret = balloon_space(g, &u->space[1], mappable_end, ggtt->mappable_end);
		if (ret)
			goto err;
	}
	drm_info(&g->i915.drm, "VGT balloon successfully\n");
	return 0;
err:
	drm_err(&g->i915.drm, "VGT balloon fail\n");
	upstream61_deballoon(u, g);
	return ret;
}

int upstream61_probe(struct upstream61 *u, struct vgpu_guest *g)
{
	memset(u, 0, sizeof(*u));
	detect(u, g);
	if (!u->active) {
		g->num_fences = VGPU_GEN9_FENCES;
		return 0;
	}
	/* intel_ggtt_init_fences(): the published count, unchecked. */
	g->num_fences = intel_uncore_read(&g->i915.uncore, vgtif_reg(avail_rs.fence_num));
	return balloon(u, g);
}

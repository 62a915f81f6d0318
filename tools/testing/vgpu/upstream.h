/* SPDX-License-Identifier: MIT */
/*
 * A model of what Linux 6.1's own i915_vgpu.c and intel_ggtt_fencing.c do
 * with a PVINFO page, written from the 6.1 source for comparison only: the
 * magic is checked, a major below 1 is ignored (any higher one accepted),
 * fence_num is used as published, and the slices are only checked to lie
 * in the right halves of the GGTT before everything around them is
 * ballooned. It shares the shim device and the real drm_mm with the
 * enlightened guest, so its accesses are traps in the same accounting.
 */
#ifndef VGPU_UPSTREAM_H
#define VGPU_UPSTREAM_H

#include "guest.h"

struct upstream61 {
	bool active;
	u32 caps;
	/* 6.1 keeps these in a file-scope static (bl_info): one per kernel. */
	struct drm_mm_node space[4];
};

/*
 * intel_vgpu_detect() + intel_ggtt_init_fences() + intel_vgt_balloon() of
 * 6.1 on g's device. Return: 0 (also when not a vGPU), or 6.1's -EINVAL
 * ("Invalid ggtt address") or a reservation error.
 */
int upstream61_probe(struct upstream61 *u, struct vgpu_guest *g);
/* intel_vgt_deballoon() of 6.1. */
void upstream61_deballoon(struct upstream61 *u, struct vgpu_guest *g);

#endif /* VGPU_UPSTREAM_H */

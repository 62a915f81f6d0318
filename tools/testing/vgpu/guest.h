/* SPDX-License-Identifier: MIT */
/*
 * A minimal guest driver around the unchanged i915_vgpu.c: one device with
 * a GGTT managed by the real drm_mm, probed in Linux 6.1's order.
 */
#ifndef VGPU_GUEST_H
#define VGPU_GUEST_H

#include "i915_drv.h"

struct vgpu_guest {
	struct drm_i915_private i915;
	struct i915_ggtt ggtt;
};

/* GGTT geometry the guest sees: aperture [0, aperture), hidden above. */
void vgpu_guest_init(struct vgpu_guest *g, const struct vgpu_backend_ops *ops,
		     void *ctx, u64 aperture, u64 ggtt_total);
/* detect, fence quota (32 hardware fences on gen9), balloon. */
int vgpu_guest_probe(struct vgpu_guest *g);
/* deballoon and tear the GGTT down; returns false if drm_mm was not clean. */
bool vgpu_guest_remove(struct vgpu_guest *g);
/* Bytes of the GGTT still free in the guest's drm_mm. */
u64 vgpu_guest_free_space(struct vgpu_guest *g);

#define VGPU_GEN9_FENCES 32

long vgpu_shim_live_allocations(void);

#endif /* VGPU_GUEST_H */

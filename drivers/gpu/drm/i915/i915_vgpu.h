/* SPDX-License-Identifier: MIT */
/*
 * Guest side of a mediated Intel vGPU (GVT-g style): PVINFO detection and
 * validation, GGTT ballooning, fence quota. See i915_vgpu.c.
 */
#ifndef _I915_VGPU_H_
#define _I915_VGPU_H_

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/types.h>

#include <drm/drm_mm.h>

struct drm_i915_private;
struct i915_address_space;
struct i915_ggtt;
struct i915_vma_resource;
struct intel_gt;
struct intel_vgpu_pv;

/**
 * struct intel_vgpu_resources - what the host assigned to this vGPU
 *
 * Read from PVINFO exactly once, by intel_vgpu_detect(), and never again:
 * later checks and users work on this copy, so a host that rewrites the page
 * after it was validated cannot change what the guest believes.
 */
struct intel_vgpu_resources {
	/** @id: the host's identifier of this vGPU (vgt_id). */
	u32 id;
	/** @version_major: PVINFO major version published by the host. */
	u16 version_major;
	/** @version_minor: PVINFO minor version published by the host. */
	u16 version_minor;
	/** @mappable_base: start of the aperture slice, GGTT address. */
	u32 mappable_base;
	/** @mappable_size: size of the aperture slice in bytes. */
	u32 mappable_size;
	/** @hidden_base: start of the hidden (high GM) slice, GGTT address. */
	u32 hidden_base;
	/** @hidden_size: size of the hidden slice in bytes. */
	u32 hidden_size;
	/** @fence_num: number of fence registers the vGPU may use. */
	u32 fence_num;
	/** @pv11_features: 1.1 features offered (0 on a 1.0 host). */
	u32 pv11_features;
	/** @pv11_max_pages: largest shared area the host accepts. */
	u32 pv11_max_pages;
};

/* Up to four GGTT ranges surround the two slices this vGPU owns. */
#define INTEL_VGPU_MAX_BALLOONS 4

/**
 * struct i915_virtual_gpu - per-device vGPU state
 *
 * Everything a vGPU guest keeps lives here, in the device, so that two vGPU
 * devices driven by one kernel never share state.
 */
struct i915_virtual_gpu {
	/** @lock: serialises the pdp[] + g2v_notify writes of one notification. */
	struct mutex lock;
	/** @active: a valid PVINFO page was found and accepted. */
	bool active;
	/** @caps: VGT_CAPS_* published by the host. */
	u32 caps;
	/** @res: validated copy of the host's assignment. */
	struct intel_vgpu_resources res;
	/** @balloon: GGTT ranges reserved because another owner holds them. */
	struct drm_mm_node balloon[INTEL_VGPU_MAX_BALLOONS];
	/** @pv: PVINFO 1.1 state while an area is registered, else NULL. */
	struct intel_vgpu_pv *pv;
	/**
	 * @mappable_limit: the largest aperture range this vGPU owns, set
	 * when it balloons (0 before): no mappable bind can fit above it.
	 */
	u64 mappable_limit;
	/**
	 * @ballooned: bytes of the GGTT the balloons reserve (counted in
	 * ggtt->vm.reserved too), under ggtt->vm.mutex.
	 */
	u64 ballooned;

	/** @initial_mmio: host-side GVT-g (intel_gvt.c): MMIO snapshot. */
	u32 *initial_mmio;
	/** @initial_cfg_space: host-side GVT-g: PCI config snapshot. */
	u8 *initial_cfg_space;
	/** @entry: host-side GVT-g: link in the list of GVT devices. */
	struct list_head entry;
};

int intel_vgpu_detect(struct drm_i915_private *i915);
bool intel_vgpu_active(struct drm_i915_private *i915);
void intel_vgpu_register(struct drm_i915_private *i915);
bool intel_vgpu_has_full_ppgtt(struct drm_i915_private *i915);
bool intel_vgpu_has_hwsp_emulation(struct drm_i915_private *i915);
bool intel_vgpu_has_huge_gtt(struct drm_i915_private *i915);
int intel_vgpu_fence_count(struct drm_i915_private *i915,
			   unsigned int hw_fences);
u64 intel_vgpu_mappable_limit(struct i915_ggtt *ggtt);
u64 intel_vgpu_ggtt_owned(struct i915_ggtt *ggtt);

int intel_vgpu_check_slice(struct drm_i915_private *i915, const char *field,
			   u32 base, u32 size, u64 range_start, u64 range_end,
			   const char *range);
int intel_vgpu_balloon_range(struct i915_ggtt *ggtt, struct drm_mm_node *node,
			     u64 start, u64 end, unsigned int flags);
void intel_vgpu_deballoon_range(struct i915_ggtt *ggtt, struct drm_mm_node *node);
int intel_vgt_balloon(struct i915_ggtt *ggtt);
void intel_vgt_deballoon(struct i915_ggtt *ggtt);

/* PVINFO 1.1 (i915_vgpu_pv.c, spec/pvinfo-1.1.md) */
bool intel_vgpu_pv_start(struct i915_ggtt *ggtt);
void intel_vgpu_pv_stop(struct i915_ggtt *ggtt);
u32 intel_vgpu_pv_enabled(struct drm_i915_private *i915);
bool intel_vgpu_pv_insert_page(struct i915_address_space *vm, u64 offset,
			       u64 pte);
bool intel_vgpu_pv_insert_entries(struct i915_address_space *vm,
				  struct i915_vma_resource *vma_res,
				  u64 pte_encode);
bool intel_vgpu_pv_clear_range(struct i915_address_space *vm, u64 start,
			       u64 length);
u32 intel_vgpu_pv_gt_irq(struct intel_gt *gt, u32 iir);

#endif /* _I915_VGPU_H_ */

/* SPDX-License-Identifier: MIT */
/*
 * A minimal guest driver around the unchanged i915_vgpu.c: one device with
 * a GGTT managed by the real drm_mm, probed in Linux 6.1's order, and the
 * few things 6.1 does outside i915_vgpu.c that depend on the vGPU: the
 * capability checks of i915_driver_hw_probe(), the PM decisions, fence
 * register programming and the PPGTT notification of gen8_ppgtt.c. Every
 * register access goes through intel_uncore_read/write, i.e. the trap path.
 */
#ifndef VGPU_GUEST_H
#define VGPU_GUEST_H

#include "i915_drv.h"

/*
 * What 6.1 decides from intel_vgpu_active() outside i915_vgpu.c. On bare
 * metal everything is on; on a vGPU (spec G-15) all of it is off.
 */
struct vgpu_guest_pm {
	bool forcewake;	/* intel_uncore.c: UNCORE_HAS_FORCEWAKE only if !vgpu */
	bool rc6;	/* gt/intel_rc6.c rc6_supported() */
	bool rps;	/* spec G-15: the host owns frequency */
	bool fbc;	/* display/intel_fbc.c: no_fbc_reason "VGPU active" */
	bool stolen;	/* gem/i915_gem_stolen.c: "iGVT-g active" */
	bool huge_pages; /* i915_gem.c: 4 KiB GTT pages without HUGE_GTT */
};

struct vgpu_guest {
	struct drm_i915_private i915;
	struct i915_ggtt ggtt;
	struct vgpu_guest_pm pm;
	unsigned int num_fences;	/* ggtt->num_fences in 6.1 */
	struct intel_gt gt;
	spinlock_t irq_lock;		/* i915->irq_lock, gt->irq_lock */
	struct drm_i915_gem_object scratch;	/* ggtt->vm.scratch[0] */
	unsigned long guc_events;	/* bits gen8_gt_irq_handler gave the GuC */
};

/* GGTT geometry the guest sees: aperture [0, aperture), hidden above. */
void vgpu_guest_init(struct vgpu_guest *g, const struct vgpu_backend_ops *ops,
		     void *ctx, u64 aperture, u64 ggtt_total);
/*
 * detect, capability checks (-ENXIO), PM decisions, fence quota (32
 * hardware fences on gen9), balloon: 6.1's order.
 */
int vgpu_guest_probe(struct vgpu_guest *g);
/* deballoon and tear the GGTT down; returns false if drm_mm was not clean. */
bool vgpu_guest_remove(struct vgpu_guest *g);
/* Bytes of the GGTT still free in the guest's drm_mm. */
u64 vgpu_guest_free_space(struct vgpu_guest *g);
u64 vgpu_guest_aper_size(struct vgpu_guest *g);

/*
 * Program fence n as 6.1's i965_write_fence_reg() does on gen6+: off, hi,
 * lo with valid, with posting reads; size 0 clears it. Five traps.
 */
void vgpu_guest_fence_write(struct vgpu_guest *g, unsigned int n, u64 start,
			    u64 size, unsigned int stride);
/* gen8_ppgtt_notify_vgt() for a 4-level PPGTT whose PML4 is at pml4. */
void vgpu_guest_ppgtt_notify(struct vgpu_guest *g, u64 pml4, bool create);
/*
 * The gen8 GGTT paths of gt/intel_ggtt.c with the series' hooks: 1.1's
 * channel first, else one 8-byte PTE write (a trap) per page.
 * gen8_ggtt_pte_encode(addr) is addr | present.
 */
void vgpu_guest_ggtt_insert_page(struct vgpu_guest *g, dma_addr_t addr, u64 offset);
void vgpu_guest_ggtt_insert_entries(struct vgpu_guest *g, struct i915_vma_resource *res);
void vgpu_guest_ggtt_clear_range(struct vgpu_guest *g, u64 start, u64 length);
/*
 * gen8_gt_irq_handler()'s bank 2 with the series' hook: read IIR(2), let
 * i915_vgpu_pv.c take its bit, count what would reach the GuC handler,
 * write IIR(2) back. Then the kernel's worker runs (vgpu_shim_run_work).
 */
void vgpu_guest_gt_irq(struct vgpu_guest *g);

/* A forcewake handshake of the render domain (bare metal only). */
void vgpu_guest_forcewake(struct vgpu_guest *g, bool get);

#define VGPU_GEN9_FENCES 32
#define VGPU_FENCE_REG_LO(i) _MMIO(0x100000 + (i) * 8)
#define VGPU_FENCE_REG_HI(i) _MMIO(0x100000 + (i) * 8 + 4)

long vgpu_shim_live_allocations(void);

#endif /* VGPU_GUEST_H */

// SPDX-License-Identifier: MIT
/*
 * The guest-driver model around the unchanged i915_vgpu.c. Each function
 * names the 6.1 code it stands for; only the parts that touch the vGPU are
 * modelled.
 */
#include "guest.h"

#include "i915_pvinfo.h"

#define VGT_GSM_OFFSET_HARNESS (8ULL << 20)	/* gen8 GSM at BAR0 + 8 MiB */

#define FORCEWAKE_RENDER_GEN9	_MMIO(0xa278)
#define FORCEWAKE_ACK_RENDER	_MMIO(0x0d84)
#define FORCEWAKE_KERNEL	BIT(0)
#define MASKED(mask, val)	(((mask) << 16) | (val))

void vgpu_guest_init(struct vgpu_guest *g, const struct vgpu_backend_ops *ops,
		     void *ctx, u64 aperture, u64 ggtt_total)
{
	memset(g, 0, sizeof(*g));
	g->i915.pdev.ops = ops;
	g->i915.pdev.ctx = ctx;
	g->i915.drm.dev = &g->i915.pdev.dev;
	g->i915.drm.quiet = true;
	g->i915.uncore.i915 = &g->i915;
	g->i915.__runtime.graphics.ip.ver = 9;	/* Skylake */
	g->ggtt.vm.i915 = &g->i915;
	g->ggtt.vm.total = ggtt_total;
	g->ggtt.mappable_end = aperture;
	drm_mm_init(&g->ggtt.vm.mm, 0, ggtt_total);
	mutex_init(&g->ggtt.vm.mutex);
	spin_lock_init(&g->irq_lock);
	g->gt = (struct intel_gt){ .i915 = &g->i915, .uncore = &g->i915.uncore,
				   .irq_lock = &g->irq_lock, .pm_imr = ~0u,
				   /* 6.1's intel_irq_init() before gen11 */
				   .pm_guc_events = 1u << 31 };
	g->ggtt.vm.gt = &g->gt;
	g->scratch.encode = 0x1000 | 1;	/* guest frame 1, present */
	g->ggtt.vm.scratch[0] = &g->scratch;
}

/* intel_uncore_init_mmio(), rc6_supported(), intel_fbc, stolen, i915_gem_init. */
static void decide_pm(struct vgpu_guest *g)
{
	struct drm_i915_private *i915 = &g->i915;
	bool bare = !intel_vgpu_active(i915);

	g->pm = (struct vgpu_guest_pm){
		.forcewake = bare, .rc6 = bare, .rps = bare, .fbc = bare,
		.stolen = bare,
		.huge_pages = bare || intel_vgpu_has_huge_gtt(i915),
	};
}

int vgpu_guest_probe(struct vgpu_guest *g)
{
	struct drm_i915_private *i915 = &g->i915;
	int ret;

	/* i915_driver_mmio_probe() */
	ret = intel_vgpu_detect(i915);
	if (ret)
		return ret;
	decide_pm(g);
	if (!intel_vgpu_active(i915)) {
		g->num_fences = VGPU_GEN9_FENCES;
		return 0;
	}

	/* i915_driver_hw_probe(): gen9 has full PPGTT and execlists. */
	if (!intel_vgpu_has_full_ppgtt(i915)) {
		drm_err(&i915->drm, "incompatible vGPU found, support for isolated ppGTT required\n");
		return -ENXIO;
	}
	if (!intel_vgpu_has_hwsp_emulation(i915)) {
		drm_err(&i915->drm, "old vGPU host found, support for HWSP emulation required\n");
		return -ENXIO;
	}

	/* i915_ggtt_init_hw() -> intel_ggtt_init_fences() */
	ret = intel_vgpu_fence_count(i915, VGPU_GEN9_FENCES);
	if (ret < 0)
		return ret;
	g->num_fences = ret;

	/* i915_gem_init() -> i915_init_ggtt() */
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

/* What I915_GEM_GET_APERTURE reports as aper_size, taken as i915_gem.c does. */
u64 vgpu_guest_aper_size(struct vgpu_guest *g)
{
	u64 size;

	mutex_lock(&g->ggtt.vm.mutex);
	size = intel_vgpu_ggtt_owned(&g->ggtt);
	mutex_unlock(&g->ggtt.vm.mutex);
	return size;
}

/* gt/intel_ggtt_fencing.c i965_write_fence_reg(), gen6+ layout, tiling X. */
void vgpu_guest_fence_write(struct vgpu_guest *g, unsigned int n, u64 start,
			    u64 size, unsigned int stride)
{
	struct intel_uncore *uncore = &g->i915.uncore;
	u64 val = 0;

	if (size) {
		val = start + size - I915_GTT_PAGE_SIZE;
		val <<= 32;
		val |= start;
		val |= (u64)((stride / 128) - 1) << 32;	/* GEN6_FENCE_PITCH_SHIFT */
		val |= 1;				/* I965_FENCE_REG_VALID */
	}
	intel_uncore_write(uncore, VGPU_FENCE_REG_LO(n), 0);
	intel_uncore_read(uncore, VGPU_FENCE_REG_LO(n));
	intel_uncore_write(uncore, VGPU_FENCE_REG_HI(n), (u32)(val >> 32));
	intel_uncore_write(uncore, VGPU_FENCE_REG_LO(n), (u32)val);
	intel_uncore_read(uncore, VGPU_FENCE_REG_LO(n));
}

/* gt/gen8_ppgtt.c gen8_ppgtt_notify_vgt(), the i915_vm_is_4lvl() branch. */
void vgpu_guest_ppgtt_notify(struct vgpu_guest *g, u64 pml4, bool create)
{
	struct drm_i915_private *i915 = &g->i915;
	struct intel_uncore *uncore = &i915->uncore;

	mutex_lock(&i915->vgpu.lock);
	intel_uncore_write(uncore, vgtif_reg(pdp[0].lo), (u32)pml4);
	intel_uncore_write(uncore, vgtif_reg(pdp[0].hi), (u32)(pml4 >> 32));
	/* g2v_notify atomically (via hv trap) consumes the message packet. */
	intel_uncore_write(uncore, vgtif_reg(g2v_notify),
			   create ? VGT_G2V_PPGTT_L4_PAGE_TABLE_CREATE :
				    VGT_G2V_PPGTT_L4_PAGE_TABLE_DESTROY);
	mutex_unlock(&i915->vgpu.lock);
}

static void gsm_write(struct vgpu_guest *g, u64 index, u64 pte)
{
	struct pci_dev *pdev = &g->i915.pdev;

	pdev->ops->write(pdev->ctx, VGT_GSM_OFFSET_HARNESS + 8 * index, 8, pte);
}

void vgpu_guest_ggtt_insert_page(struct vgpu_guest *g, dma_addr_t addr, u64 offset)
{
	u64 pte = addr | 1;

	if (!intel_vgpu_pv_insert_page(&g->ggtt.vm, offset, pte))
		gsm_write(g, offset / I915_GTT_PAGE_SIZE, pte);
}

void vgpu_guest_ggtt_insert_entries(struct vgpu_guest *g, struct i915_vma_resource *res)
{
	u64 gte = res->start / I915_GTT_PAGE_SIZE, end = gte + res->node_size / I915_GTT_PAGE_SIZE;
	struct sgt_iter iter;
	dma_addr_t addr;

	if (intel_vgpu_pv_insert_entries(&g->ggtt.vm, res, 1))
		return;
	for_each_sgt_daddr(addr, iter, res->bi.pages)
		gsm_write(g, gte++, addr | 1);
	while (gte < end)
		gsm_write(g, gte++, g->scratch.encode);
}

void vgpu_guest_ggtt_clear_range(struct vgpu_guest *g, u64 start, u64 length)
{
	u64 i;

	if (intel_vgpu_pv_clear_range(&g->ggtt.vm, start, length))
		return;
	for (i = 0; i < length / I915_GTT_PAGE_SIZE; i++)
		gsm_write(g, start / I915_GTT_PAGE_SIZE + i, g->scratch.encode);
}

void vgpu_guest_gt_irq(struct vgpu_guest *g)
{
	struct intel_uncore *uncore = &g->i915.uncore;
	u32 iir = intel_uncore_read(uncore, GEN8_GT_IIR(2));

	if (!iir)
		return;
	iir = intel_vgpu_pv_gt_irq(&g->gt, iir);
	if (iir >> 16)
		g->guc_events++;	/* "Unexpected GuC event received ..." */
	intel_uncore_write(uncore, GEN8_GT_IIR(2), iir);
}

/* intel_uncore.c fw_domains_get/put for the render domain: write, ack. */
void vgpu_guest_forcewake(struct vgpu_guest *g, bool get)
{
	struct intel_uncore *uncore = &g->i915.uncore;

	intel_uncore_write(uncore, FORCEWAKE_RENDER_GEN9,
			   MASKED(FORCEWAKE_KERNEL, get ? FORCEWAKE_KERNEL : 0));
	intel_uncore_read(uncore, FORCEWAKE_ACK_RENDER);
}

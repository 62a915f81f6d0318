// SPDX-License-Identifier: MIT
/*
 * The workload of workload.h. The enlightened guest follows 6.1 on a vGPU:
 * probe (detect, capability checks, fence quota, balloon), no forcewake,
 * RC6 or RPS, fences initialised up to the quota, objects bound through the
 * ballooned drm_mm, their gen8 PTEs written to BAR0 + 8 MiB, one PPGTT
 * announced and retired through PVINFO, display_ready. Unbinding leaves the
 * PTEs: on gen9 with full PPGTT 6.1's clear_range is nop_clear_range.
 *
 * The bare-metal run is 6.1 unaware of the vGPU on the same workload:
 * forcewake around RC6/RPS setup, all 32 fences initialised, and the GGTT
 * cleared to scratch PTEs at init and on unbind as 6.1 does when it needs
 * the VT-d scanout workaround (gen8_ggtt_clear_range); it binds anywhere.
 */
#include "workload.h"

#include "i915_pvinfo.h"

static u64 backend_read(void *ctx, u64 off, unsigned int size)
{
	uint64_t val = 0;

	vgt_mmio_read(ctx, off, size, &val);	/* refused reads return 0 */
	return val;
}

static int backend_write(void *ctx, u64 off, unsigned int size, u64 val)
{
	return vgt_mmio_write(ctx, off, size, val);	/* libvgt counts refusals */
}

const struct vgpu_backend_ops vgt_backend_ops = { backend_read, backend_write };

/* gen8_set_pte(): one writeq into the GSM, i.e. one trap. */
static void pte_write(struct workload *w, u64 index, u64 pte)
{
	struct pci_dev *pdev = &w->guest.i915.pdev;

	w->pte_writes++;
	if (pdev->ops->write(pdev->ctx, VGT_GSM_OFFSET + 8 * index, 8, pte)) {
		if (!w->pte_refused)
			w->first_refused_pte = index * I915_GTT_PAGE_SIZE;
		w->pte_refused++;
	}
}

/* What 6.1 does on bare metal before it can use the GGTT. */
static void bare_metal_init(struct workload *w)
{
	static const u32 pm_setup[][2] = {
		{ 0xa168, 0xffffffff },	/* GEN6_PMINTRMSK */
		{ 0xa0b8, 50000 },	/* GEN6_RC6_THRESHOLD */
		{ 0xa090, 0x88040000 },	/* GEN6_RC_CONTROL: RC6 on */
		{ 0xa024, 0x00000d92 },	/* GEN6_RP_CONTROL */
		{ 0xa008, 0x0c000000 },	/* GEN6_RPNSWREQ */
	};
	struct vgpu_guest *g = &w->guest;
	u64 i, pages = g->ggtt.vm.total / I915_GTT_PAGE_SIZE;

	g->pm = (struct vgpu_guest_pm){ true, true, true, true, true, true };
	g->num_fences = VGPU_GEN9_FENCES;
	vgpu_guest_forcewake(g, true);
	for (i = 0; i < ARRAY_SIZE(pm_setup); i++)
		intel_uncore_write(&g->i915.uncore, _MMIO(pm_setup[i][0]), pm_setup[i][1]);
	vgpu_guest_forcewake(g, false);
	for (i = 0; i < pages; i++)	/* clear the whole GGTT to scratch */
		pte_write(w, i, WL_SCRATCH_PTE);
}

int workload_probe(struct workload *w)
{
	struct vgpu_guest *g = &w->guest;

	w->first_refused_pte = ~0ULL;
	vgpu_guest_init(g, &vgt_backend_ops, w->vgpu, w->aperture, w->ggtt_total);
	switch (w->mode) {
	case WL_ENLIGHTENED:
		return vgpu_guest_probe(g);
	case WL_UPSTREAM61:
		return upstream61_probe(&w->up, g);
	case WL_BARE_METAL:
		bare_metal_init(w);
		return 0;
	}
	return -EINVAL;
}

/* intel_ggtt_init_fences() ends with every fence written, here cleared. */
static void init_fences(struct workload *w)
{
	unsigned int n;
	struct vgt_traps before, after;

	vgt_vgpu_traps(w->vgpu, &before, false);
	for (n = 0; n < w->guest.num_fences; n++)
		vgpu_guest_fence_write(&w->guest, n, 0, 0, 0);
	vgt_vgpu_traps(w->vgpu, &after, false);
	w->fence_refused += after.rejected[VGT_TRAP_FENCE] - before.rejected[VGT_TRAP_FENCE] +
			    after.rejected[VGT_TRAP_OTHER] - before.rejected[VGT_TRAP_OTHER];
}

static struct drm_mm_node *new_node(struct workload *w)
{
	if (w->objects == w->nodes_cap) {
		unsigned int cap = w->nodes_cap ? 2 * w->nodes_cap : 256;
		struct drm_mm_node **n = realloc(w->nodes, cap * sizeof(*n));

		if (!n)
			return NULL;
		w->nodes = n;
		w->nodes_cap = cap;
	}
	w->nodes[w->objects] = calloc(1, sizeof(struct drm_mm_node));
	return w->nodes[w->objects];
}

static bool bind_one(struct workload *w, struct drm_mm_node *node, u64 size,
		     bool mappable)
{
	struct i915_ggtt *ggtt = &w->guest.ggtt;
	u64 end = mappable ? ggtt->mappable_end : ggtt->vm.total;

	return drm_mm_insert_node_in_range(&ggtt->vm.mm, node, size,
					   I915_GTT_PAGE_SIZE, 0, 0, end,
					   DRM_MM_INSERT_BEST) == 0;
}

/* rand_r() sizes from 4 KiB to 2 MiB, reproducible from the seed. */
static u64 object_size(struct workload *w)
{
	if (w->object_size)
		return w->object_size;
	return (1 + rand_r(&w->seed) % 512) * I915_GTT_PAGE_SIZE;
}

/*
 * Even objects prefer the mappable range. When an object does not fit
 * anywhere, single pages fill what is left, so the slices end up full.
 */
static void bind_until_full(struct workload *w)
{
	u64 size = object_size(w), frame = 2, frames, p;
	struct drm_mm_node *node = NULL;
	struct vgt_slices s;

	vgt_vgpu_slices(w->vgpu, &s);
	frames = s.guest_mem / I915_GTT_PAGE_SIZE;
	for (;;) {
		bool mappable = !(w->objects & 1);

		if (!node && !(node = new_node(w)))
			break;

		if (!(mappable && bind_one(w, node, size, true))) {
			mappable = false;
			if (!bind_one(w, node, size, false)) {
				if (size == I915_GTT_PAGE_SIZE)
					break;
				size = I915_GTT_PAGE_SIZE;
				continue;
			}
		}
		w->objects++;
		w->mappable_objects += mappable;
		w->bound += node->size;
		/* Unused colour (no color_adjust): remembers the first frame. */
		node->color = frame;
		for (p = 0; p < node->size / I915_GTT_PAGE_SIZE; p++)
			pte_write(w, node->start / I915_GTT_PAGE_SIZE + p,
				  ((frame + p) % frames) << 12 | 1);
		frame = (frame + p) % frames;
		node = NULL;
		if (size != I915_GTT_PAGE_SIZE)
			size = object_size(w);
	}
	free(node);
	w->free_after_bind = vgpu_guest_free_space(&w->guest);
}

/* What the host holds for every page bound is what the guest wrote. */
static void verify_ptes(struct workload *w)
{
	unsigned int i;
	u64 p, frames;
	struct vgt_slices s;

	vgt_vgpu_slices(w->vgpu, &s);
	frames = s.guest_mem / I915_GTT_PAGE_SIZE;
	for (i = 0; i < w->objects; i++) {
		const struct drm_mm_node *n = w->nodes[i];

		for (p = 0; p < n->size / I915_GTT_PAGE_SIZE; p++)
			w->pte_mismatch += vgt_vgpu_shadow_pte(w->vgpu,
					n->start / I915_GTT_PAGE_SIZE + p) !=
				(((n->color + p) % frames) << 12 | 1);
	}
}

/* Tiled objects get a fence each, within the count probe settled on. */
static void fence_tiled(struct workload *w)
{
	unsigned int i, n = 0;
	struct vgt_traps before, after;

	vgt_vgpu_traps(w->vgpu, &before, false);
	for (i = 0; i < w->objects && n < w->guest.num_fences; i++) {
		const struct drm_mm_node *node = w->nodes[i];

		if (node->start + node->size > w->guest.ggtt.mappable_end)
			continue;	/* only mappable objects are tiled here */
		vgpu_guest_fence_write(&w->guest, n++, node->start, node->size, 512);
	}
	vgt_vgpu_traps(w->vgpu, &after, false);
	w->fences_used = n;
	w->fence_refused += after.rejected[VGT_TRAP_FENCE] - before.rejected[VGT_TRAP_FENCE];
}

static void unbind_all(struct workload *w)
{
	unsigned int i;
	u64 p;

	for (i = 0; i < w->objects; i++) {
		struct drm_mm_node *node = w->nodes[i];

		if (w->mode == WL_BARE_METAL)	/* gen8_ggtt_clear_range() */
			for (p = 0; p < node->size / I915_GTT_PAGE_SIZE; p++)
				pte_write(w, node->start / I915_GTT_PAGE_SIZE + p,
					  WL_SCRATCH_PTE);
		drm_mm_remove_node(node);
		free(node);
	}
	free(w->nodes);
	w->nodes = NULL;
	w->nodes_cap = 0;
}

void workload_run(struct workload *w)
{
	struct vgpu_guest *g = &w->guest;

	w->probe_err = workload_probe(w);
	if (!w->probe_err) {
		init_fences(w);
		bind_until_full(w);
		verify_ptes(w);
		fence_tiled(w);
		if (w->mode == WL_ENLIGHTENED) {
			/* One PPGTT for the workload's context, announced to the host. */
			vgpu_guest_ppgtt_notify(g, 0x2000, true);
			w->ppgtt_roots = vgt_vgpu_ppgtt_roots(w->vgpu);
			vgpu_guest_ppgtt_notify(g, 0x2000, false);
			intel_vgpu_register(&g->i915);
		}
		unbind_all(w);
	}
	free(w->nodes);
	w->nodes = NULL;
	if (w->mode == WL_UPSTREAM61)
		upstream61_deballoon(&w->up, g);
	w->clean_teardown = vgpu_guest_remove(g);
	vgt_vgpu_traps(w->vgpu, &w->traps, true);
}

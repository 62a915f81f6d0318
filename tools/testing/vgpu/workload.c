// SPDX-License-Identifier: MIT
/*
 * The guest-driver model around the unchanged i915_vgpu.c.
 *
 * Enlightened, it follows what Linux 6.1 does on a vGPU: detect, fence quota,
 * balloon, no forcewake/RC6/RPS, objects bound through the ballooned drm_mm
 * and their gen8 PTEs written to BAR0 + 8 MiB, display_ready at the end.
 * Unenlightened, the same workload as 6.1 does it on bare metal: forcewake
 * handshakes, RC6/RPS setup, scratch PTEs over the whole GGTT, all 32 fences
 * initialised, objects bound anywhere. Every access is a libvgt trap, so
 * the two runs' trap counts can be put side by side.
 */
#include "workload.h"

#include "i915_pvinfo.h"

#define FORCEWAKE_RENDER_GEN9	0xa278
#define FORCEWAKE_ACK_RENDER	0x0d84
#define SCRATCH_PTE		(0x1000ULL | 1)	/* guest frame 1, present */

static u64 backend_read(void *ctx, u64 off, unsigned int size)
{
	uint64_t val;

	vgt_mmio_read(ctx, off, size, &val);	/* refused reads return 0 */
	return val;
}

static void backend_write(void *ctx, u64 off, unsigned int size, u64 val)
{
	vgt_mmio_write(ctx, off, size, val);	/* refusals are counted by libvgt */
}

const struct vgpu_backend_ops vgt_backend_ops = { backend_read, backend_write };

static int pte_write(struct workload *w, u64 index, u64 pte)
{
	int ret = vgt_mmio_write(w->vgpu, VGT_GSM_OFFSET + 8 * index, 8, pte);

	w->pte_writes++;
	if (ret)
		w->pte_refused++;
	return ret;
}

static void forcewake(struct workload *w, bool on)
{
	uint64_t ack;

	vgt_mmio_write(w->vgpu, FORCEWAKE_RENDER_GEN9, 4, on ? 0x00010001 : 0x00010000);
	vgt_mmio_read(w->vgpu, FORCEWAKE_ACK_RENDER, 4, &ack);
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
	u64 i, pages = w->guest.ggtt.vm.total / I915_GTT_PAGE_SIZE;

	forcewake(w, true);
	for (i = 0; i < ARRAY_SIZE(pm_setup); i++)
		vgt_mmio_write(w->vgpu, pm_setup[i][0], 4, pm_setup[i][1]);
	for (i = 0; i < pages; i++)	/* clear the whole GGTT to scratch */
		pte_write(w, i, SCRATCH_PTE);
	forcewake(w, false);
}

int workload_probe(struct workload *w)
{
	vgpu_guest_init(&w->guest, &vgt_backend_ops, w->vgpu, w->aperture,
			w->ggtt_total);
	if (w->enlightened)
		return vgpu_guest_probe(&w->guest);
	bare_metal_init(w);
	return 0;
}

/* 6.1 programs a fence as: clear LO, write HI, write LO with valid. */
static void fence_write(struct workload *w, unsigned int n, u64 start, u64 size)
{
	u64 off = VGT_FENCE_BASE + 8ULL * n;
	u32 lo = (u32)start | 1, hi = (u32)(start + size - 4096) | (512 / 128 - 1);
	int ret = 0;

	ret |= vgt_mmio_write(w->vgpu, off, 4, 0);
	ret |= vgt_mmio_write(w->vgpu, off + 4, 4, hi);
	ret |= vgt_mmio_write(w->vgpu, off, 4, lo);
	if (ret)
		w->fence_refused++;
	w->fences_used++;
}

static bool bind_one(struct workload *w, struct drm_mm_node *node, bool mappable)
{
	struct drm_mm *mm = &w->guest.ggtt.vm.mm;
	u64 end = mappable ? w->guest.ggtt.mappable_end : w->guest.ggtt.vm.total;

	return drm_mm_insert_node_in_range(mm, node, w->object_size,
					   I915_GTT_PAGE_SIZE, 0, 0, end,
					   DRM_MM_INSERT_BEST) == 0;
}

static void bind_until_full(struct workload *w)
{
	struct vgt_slices s;
	u64 frames, frame = 2;
	unsigned int i;

	vgt_vgpu_slices(w->vgpu, &s);
	frames = s.guest_mem / I915_GTT_PAGE_SIZE;
	for (i = 0; i < WORKLOAD_MAX_OBJECTS; i++) {
		struct drm_mm_node *node = &w->nodes[i];
		bool mappable = !(i & 1);
		u64 p;

		if (!(mappable && bind_one(w, node, true))) {
			mappable = false;
			if (!bind_one(w, node, false))
				break;
		}
		w->objects++;
		w->mappable_objects += mappable;
		w->bound += node->size;
		for (p = 0; p < node->size / I915_GTT_PAGE_SIZE; p++) {
			pte_write(w, node->start / I915_GTT_PAGE_SIZE + p,
				  (frame << 12) | 1);
			frame = frame + 1 < frames ? frame + 1 : 2;
		}
	}
	w->free_after_bind = vgpu_guest_free_space(&w->guest);
}

static void set_up_fences(struct workload *w)
{
	unsigned int n, count;

	/* On bare metal 6.1 initialises every hardware fence. */
	count = w->enlightened ? w->guest.i915.vgpu.res.fence_num : VGPU_GEN9_FENCES;
	for (n = 0; n < count && n < w->objects; n++)
		fence_write(w, n, w->nodes[n].start, w->nodes[n].size);
}

static void unbind_all(struct workload *w)
{
	unsigned int i;
	u64 p;

	for (i = 0; i < w->objects; i++) {
		struct drm_mm_node *node = &w->nodes[i];

		for (p = 0; p < node->size / I915_GTT_PAGE_SIZE; p++)
			pte_write(w, node->start / I915_GTT_PAGE_SIZE + p, SCRATCH_PTE);
		drm_mm_remove_node(node);
	}
}

void workload_run(struct workload *w)
{
	w->probe_err = workload_probe(w);
	if (!w->probe_err) {
		bind_until_full(w);
		set_up_fences(w);
		if (w->enlightened)
			intel_vgpu_register(&w->guest.i915);
		unbind_all(w);
	}
	w->clean_teardown = vgpu_guest_remove(&w->guest);
	vgt_vgpu_traps(w->vgpu, &w->traps, true);
}

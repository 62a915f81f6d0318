/* SPDX-License-Identifier: MIT */
/*
 * A guest of a libvgt vGPU: the guest-driver model (guest.h) running one
 * workload - probe, bind objects through drm_mm until the slices are full,
 * write their PTEs, fence the tiled ones, tear down - in one of three ways:
 * our enlightened guest, 6.1 on bare metal (unenlightened), or 6.1's own
 * vGPU guest that trusts PVINFO (upstream.h). Every access is a libvgt
 * trap, so the three can be put side by side.
 */
#ifndef VGPU_WORKLOAD_H
#define VGPU_WORKLOAD_H

#include "guest.h"
#include "libvgt.h"
#include "upstream.h"

enum workload_mode {
	WL_ENLIGHTENED,		/* unchanged i915_vgpu.c */
	WL_BARE_METAL,		/* 6.1 unaware of the vGPU */
	WL_UPSTREAM61,		/* 6.1's own vGPU guest, trusting PVINFO */
};

struct workload {
	/* in */
	struct vgt_vgpu *vgpu;
	enum workload_mode mode;
	u64 aperture, ggtt_total;	/* the GGTT the guest probes */
	u64 object_size;		/* bytes per object; 0: random sizes */
	unsigned int seed;		/* for random sizes; printed on failure */

	/* out */
	struct vgpu_guest guest;
	struct upstream61 up;
	int probe_err;
	unsigned int objects, mappable_objects, fences_used;
	u64 bound;			/* bytes bound */
	u64 free_after_bind;		/* drm_mm free space when full */
	unsigned long pte_writes, pte_refused, fence_refused;
	u64 first_refused_pte;		/* GGTT address, ~0 if none */
	unsigned long pte_mismatch;	/* host shadow != what the guest wrote */
	unsigned int ppgtt_roots;	/* host's count while the PPGTT lived */
	struct vgt_traps traps;
	bool clean_teardown;

	/* private: nodes are individually allocated, drm_mm links them */
	struct drm_mm_node **nodes;
	unsigned int nodes_cap;
};

/* Probe, bind until the slices are full, fence, tear down; traps reset. */
void workload_run(struct workload *w);
/* Probe only (enlightened or 6.1 vGPU guest); keeps the guest for the caller. */
int workload_probe(struct workload *w);
/* The libvgt backend for the kernel stand-ins. */
extern const struct vgpu_backend_ops vgt_backend_ops;

#define WL_SCRATCH_PTE (0x1000ULL | 1)	/* guest frame 1, present */

#endif /* VGPU_WORKLOAD_H */

/* SPDX-License-Identifier: MIT */
/*
 * A guest of a libvgt vGPU: the unchanged guest code plus a small driver
 * model (bind objects through drm_mm, write their PTEs, set up fences), run
 * either enlightened (6.1 on a vGPU) or unenlightened (6.1 on bare metal).
 */
#ifndef VGPU_WORKLOAD_H
#define VGPU_WORKLOAD_H

#include "guest.h"
#include "libvgt.h"

#define WORKLOAD_MAX_OBJECTS 4096

struct workload {
	/* in */
	struct vgt_vgpu *vgpu;
	bool enlightened;
	u64 aperture, ggtt_total;	/* the GGTT the guest probes */
	u64 object_size;		/* bytes per object */

	/* out */
	struct vgpu_guest guest;
	int probe_err;
	unsigned int objects, mappable_objects, fences_used;
	u64 bound;			/* bytes bound */
	u64 free_after_bind;		/* drm_mm free space when full */
	unsigned long pte_writes, pte_refused, fence_refused;
	struct vgt_traps traps;
	bool clean_teardown;
	struct drm_mm_node nodes[WORKLOAD_MAX_OBJECTS];
};

/* Probe, bind until the slices are full, fence, tear down. */
void workload_run(struct workload *w);
/* Probe only (detect, fences, balloon) on the libvgt vGPU; keeps state. */
int workload_probe(struct workload *w);
/* The libvgt backend for the kernel stand-ins. */
extern const struct vgpu_backend_ops vgt_backend_ops;

#endif /* VGPU_WORKLOAD_H */

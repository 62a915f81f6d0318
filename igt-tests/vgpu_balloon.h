/* SPDX-License-Identifier: MIT */
/*
 * vgpu_balloon's parts: the log and query subtests and the table
 * (vgpu_balloon.c), objects through the aperture (vgpu_balloon_gtt.c) and
 * the subtests that need the GPU to execute (vgpu_balloon_exec.c).
 */
#ifndef VGPU_BALLOON_H
#define VGPU_BALLOON_H

#include <intel_bufmgr.h>

#include "vgpu_guest.h"
#include "vgpu_igt.h"

/* Opened by the fixture, for every subtest. */
extern int balloon_fd;
extern drm_intel_bufmgr *balloon_bufmgr;

/* A new object of @size bytes, released when the subtest ends. */
drm_intel_bo *balloon_bo(const char *name, uint64_t size);

/*
 * Write two words a page of @bo through its GTT mmap, unique per @obj and
 * @salt; balloon_gtt_verify() reads those of bos[0..n) back through the
 * aperture and with pread (objects numbered by index), failing on any
 * difference, @when naming the moment in the messages.
 */
void balloon_gtt_fill(drm_intel_bo *bo, unsigned int obj, uint64_t salt);
void balloon_gtt_verify(drm_intel_bo *const *bos, unsigned int n, uint64_t salt,
			const char *when);

void balloon_mmap_gtt_slice(void);
void balloon_partial_view(void);
void balloon_mappable_eviction(void);
void balloon_tiled_fences(void);
void balloon_ggtt_addresses(void);
void balloon_reslice_shrink_grow(void);
void balloon_reslice_refused(void);

#endif /* VGPU_BALLOON_H */

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

void balloon_mmap_gtt_slice(void);
void balloon_partial_view(void);
void balloon_mappable_eviction(void);
void balloon_tiled_fences(void);
void balloon_ggtt_addresses(void);

#endif /* VGPU_BALLOON_H */

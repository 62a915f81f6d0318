/* SPDX-License-Identifier: MIT */
/* libvgt internals shared by partition.c and mmio.c. */
#ifndef VGT_INTERNAL_H
#define VGT_INTERNAL_H

#include <pthread.h>

#include <linux/types.h>

#include "i915_pvinfo.h"
#include "libvgt.h"

#define VGT_PAGE 4096ULL
#define VGT_MAX_ROOTS 64

struct vgt_extent {
	u64 start, size;
};

/* One range of the GGTT that vGPUs are carved from. */
struct vgt_range {
	u64 start, end;
	struct vgt_extent *used;	/* sorted by start */
	unsigned int nr_used, cap;
};

struct vgt_host {
	struct vgt_gpu_desc desc;
	pthread_mutex_t lock;		/* allocator, vgpu list, fence file */
	struct vgt_range aperture, hidden;
	bool fence_used[VGT_MAX_FENCES];
	u64 fence_regs[VGT_MAX_FENCES];	/* the physical fence file */
	vgt_log_fn log;			/* set before traffic starts */
	void *log_priv;
	struct vgt_vgpu **vgpus;	/* by id; index 0 unused */
	unsigned int nr_ids;
};

struct vgt_vgpu {
	/* configuration, fixed at creation */
	struct vgt_host *host;
	struct vgt_slices slices;

	/* guest-visible state, under lock */
	pthread_mutex_t lock;
	union {
		struct vgt_if pv;
		u8 pv_bytes[VGT_PVINFO_SIZE];
	};
	u32 *regs;			/* plain storage of the 2 MiB MMIO */
	u64 *shadow_aperture;		/* accepted PTEs of the aperture slice */
	u64 *shadow_hidden;		/* accepted PTEs of the hidden slice */
	u64 pending_lo_index;		/* low half of a PTE awaiting its high */
	u32 pending_lo;
	bool pending;
	const char *why;		/* reason of the refusal being handled */
	char last_rejection[200];
	bool pv_read;			/* the guest read PVINFO: it is aware */
	bool failsafe;
	u64 roots[VGT_MAX_ROOTS];
	unsigned int nr_roots;

	/* derived */
	struct vgt_traps traps;
};

void vgt_pvinfo_populate(struct vgt_vgpu *vgpu);
void vgt_regs_reset(struct vgt_vgpu *vgpu);

#endif /* VGT_INTERNAL_H */

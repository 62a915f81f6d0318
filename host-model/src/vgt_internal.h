/* SPDX-License-Identifier: MIT */
/*
 * libvgt internals shared by the library's files:
 *   gpu.c     host and vGPU lifecycle, types, errors
 *   alloc.c   GGTT ranges and fences (best fit)
 *   mmio.c    the register table and the dispatcher
 *   pvinfo.c  the PVINFO page and its trap handlers, g2v_notify
 *   fence.c   fence registers and the host's fence file
 *   ggtt.c    GGTT PTE mediation and shadows
 *   trap.c    trap classes, counters, reasons, refusal log lines
 *   memory.c  the transport's ops and the guest memory map
 *   aperture.c BAR2: aperture accesses through the vGPU's PTEs
 */
#ifndef VGT_INTERNAL_H
#define VGT_INTERNAL_H

#include <pthread.h>

#include <linux/types.h>

#include "i915_pvinfo.h"
#include "libvgt.h"

#define VGT_PAGE 4096ULL
#define VGT_MAX_ROOTS 64
#define VGT_GPA_LIMIT (1ULL << 39)	/* gen8 PTE frames: bits 38:12 */
#define VGT_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct vgt_extent {
	u64 start, size;
};

/* One range of the GGTT that vGPUs are carved from. */
struct vgt_range {
	u64 start, end;
	struct vgt_extent *used;	/* sorted by start, never overlapping */
	unsigned int nr_used, cap;
};

struct vgt_host {
	/* configuration */
	struct vgt_gpu_desc desc;
	vgt_log_fn log;			/* set before traffic starts */
	void *log_priv;

	/* allocator, under lock */
	pthread_mutex_t lock;
	struct vgt_range aperture, hidden;
	bool fence_used[VGT_MAX_FENCES];
	struct vgt_vgpu **vgpus;	/* by id; index 0 unused */
	unsigned int nr_ids;

	/* the physical fence file, under fence_lock */
	pthread_mutex_t fence_lock;
	u64 fence_regs[VGT_MAX_FENCES];
};

struct vgt_root {
	unsigned int level;		/* 3 or 4 */
	u64 pdp[4];			/* level 4: pdp[0] only, rest 0 */
	unsigned int refs;
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
	bool pv_read;			/* the guest read PVINFO: it is aware */
	enum vgt_failsafe failsafe;
	struct vgt_root roots[VGT_MAX_ROOTS];
	unsigned int nr_roots;

	/* the transport: guest memory and interrupts, under lock */
	struct vgt_vgpu_ops ops;	/* read == NULL: none attached */
	void *ops_priv;
	struct vgt_mem_region mem[VGT_MAX_MEM_REGIONS];	/* sorted by gpa */
	unsigned int nr_mem;

	/* accounting, under lock */
	enum vgt_reason reason;		/* of the refusal being handled */
	enum vgt_reason last_reason;
	char last_rejection[200];
	struct vgt_traps traps;
};

/* One entry of the declarative register table (mmio.c). */
struct vgt_reg;
typedef int (*vgt_read_fn)(struct vgt_vgpu *v, const struct vgt_reg *r,
			   u64 off, unsigned int size, u64 *val);
typedef int (*vgt_write_fn)(struct vgt_vgpu *v, const struct vgt_reg *r,
			    u64 off, unsigned int size, u64 val);

#define VGT_REG_MASKED	(1u << 0)	/* upper 16 bits: write mask of low 16 */
#define VGT_REG_SELF_CLEAR (1u << 1)	/* the request completes at once: reads 0 */
#define VGT_REG_REQ_STATE (1u << 2)	/* request bit 2i+1 shows in state bit 2i */

struct vgt_reg {
	const char *name;
	u64 offset, size;		/* BAR0 bytes covered */
	enum vgt_trap_class class;
	u32 reset;			/* dword registers (size 4) only */
	u32 ro_mask;			/* bits the guest cannot change */
	u32 w1c_mask;			/* bits a guest 1 clears */
	unsigned int flags;		/* VGT_REG_* */
	u32 ack;			/* mirror the low 16 bits here (0: none) */
	vgt_read_fn read;		/* NULL: plain storage */
	vgt_write_fn write;		/* NULL: dword semantics or plain storage */
};

/* mmio.c */
const struct vgt_reg *vgt_reg_find(u64 off);
const struct vgt_reg *vgt_reg_table(size_t *n);
void vgt_regs_reset(struct vgt_vgpu *v);
void vgt_enter_failsafe(struct vgt_vgpu *v, enum vgt_failsafe why);

/* alloc.c, all under host->lock */
void vgt_range_init(struct vgt_range *r, u64 start, u64 end);
void vgt_range_fini(struct vgt_range *r);
bool vgt_range_best_fit(const struct vgt_range *r, u64 size, u64 *start,
			struct vgt_free *f);
int vgt_range_insert(struct vgt_range *r, u64 start, u64 size);
void vgt_range_remove(struct vgt_range *r, u64 start);
int vgt_host_place(struct vgt_host *host, struct vgt_vgpu *v,
		   const struct vgt_vgpu_request *req, char *msg, size_t len);
void vgt_host_unplace(struct vgt_host *host, struct vgt_vgpu *v);

/* pvinfo.c */
void vgt_pvinfo_populate(struct vgt_vgpu *v);
int vgt_pvinfo_read(struct vgt_vgpu *v, const struct vgt_reg *r, u64 off,
		    unsigned int size, u64 *val);
int vgt_pvinfo_write(struct vgt_vgpu *v, const struct vgt_reg *r, u64 off,
		     unsigned int size, u64 val);

/* fence.c */
int vgt_fence_read(struct vgt_vgpu *v, const struct vgt_reg *r, u64 off,
		   unsigned int size, u64 *val);
int vgt_fence_write(struct vgt_vgpu *v, const struct vgt_reg *r, u64 off,
		    unsigned int size, u64 val);
void vgt_fence_release(struct vgt_vgpu *v);

/* ggtt.c */
int vgt_ggtt_alloc(struct vgt_vgpu *v);
void vgt_ggtt_free(struct vgt_vgpu *v);
int vgt_ggtt_read(struct vgt_vgpu *v, const struct vgt_reg *r, u64 off,
		  unsigned int size, u64 *val);
int vgt_ggtt_write(struct vgt_vgpu *v, const struct vgt_reg *r, u64 off,
		   unsigned int size, u64 val);

/* memory.c, under the vGPU's lock */
bool vgt_mem_contains(const struct vgt_vgpu *v, u64 gpa, u64 len);
int vgt_gpa_read(struct vgt_vgpu *v, u64 gpa, void *buf, size_t len);
int vgt_gpa_write(struct vgt_vgpu *v, u64 gpa, const void *buf, size_t len);
int vgt_mem_map_init(struct vgt_vgpu *v, u64 guest_mem);

/* ggtt.c: GGTT address -> guest-physical, through the vGPU's own PTEs */
int vgt_ggtt_translate(struct vgt_vgpu *v, u64 gm, u64 *gpa);

/* trap.c */
int vgt_reject(struct vgt_vgpu *v, enum vgt_reason why);
void vgt_trap_account(struct vgt_vgpu *v, enum vgt_trap_class c, bool write,
		      u64 off, unsigned int size, u64 val, int ret);

#endif /* VGT_INTERNAL_H */

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
 *   slices.c  GGTT range sets: checks, union, difference, lookup
 *   pv11.c    PVINFO 1.1: registration, the channel, messages
 *   reslice.c PVINFO 1.1: live re-ballooning
 */
#ifndef VGT_INTERNAL_H
#define VGT_INTERNAL_H

#include <pthread.h>

#include <linux/types.h>

#include "i915_pvinfo.h"
#include "libvgt.h"
#include "vgt_tiling.h"

#define VGT_PAGE 4096ULL
#define VGT_MAX_ROOTS 64
#define VGT_GPA_LIMIT (1ULL << 39)	/* gen8 PTE frames: bits 38:12 */
#define VGT_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define VGT_GGTT_PAGES (VGT_GSM_SIZE / 8)	/* 1M PTEs */
#define VGT_SHADOW_CHUNK 512u			/* PTEs per shadow chunk (4 KiB) */
#define VGT_SHADOW_CHUNKS (VGT_GGTT_PAGES / VGT_SHADOW_CHUNK)
#define VGT_PV11_MINOR 1			/* version_minor of a 1.1 device */

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
	struct vgt_vgpu *destroyed;	/* husks, freed with the host */

	/* the physical fence file, under fence_lock */
	pthread_mutex_t fence_lock;
	u64 fence_regs[VGT_MAX_FENCES];
};

/*
 * PVINFO 1.1 state of one vGPU (pv11.c, reslice.c), under the vGPU's lock.
 * The device's own counts (req_cons, seqs, msg_prod) are never read back
 * from the area, which the guest can rewrite at any time.
 */
struct vgt_pv11 {
	u32 features;			/* offered; 0 on a 1.0-only vGPU */
	u32 enabled;			/* accepted by the registered guest; 0: none */
	u64 area;			/* guest-physical address of the area */
	u32 pages;
	u32 req_cons;			/* requests consumed */
	u32 last_seq;			/* seq of the last request completed */
	u32 msg_prod, msg_seq;		/* messages posted, seq of the last */
	u64 *payload;			/* private copy of one request's PTEs */
	/* re-ballooning */
	bool pending;
	struct vgt_slice_ranges from, to;	/* of the pending one */
	u32 pending_seq, pending_gen;	/* its message's seq and generation */
	enum vgt_reslice_state state;	/* the last one */
	u32 state_gen;
	int result;
	pthread_cond_t done;		/* a pending one ended */
	u64 registrations, messages, replies;
};

struct vgt_root {
	unsigned int level;		/* 3 or 4 */
	u64 pdp[4];			/* level 4: pdp[0] only, rest 0 */
	unsigned int refs;
};

/* What a platform is made of (platform.c): data the shared code reads. */
struct vgt_plat {
	struct vgt_platform_info info;
	u32 caps;			/* PVINFO vgt_caps */
	u32 hwsp_reg[4];		/* by engine; 0: RING_HWS_PGA of its block */
};

struct vgt_vgpu {
	/* configuration, fixed at creation */
	struct vgt_host *host;
	unsigned int flags;		/* VGT_REQ_* */
	enum vgt_platform platform;
	const struct vgt_plat *plat;

	/*
	 * The assignment, under lock: id and fences fixed at creation, the
	 * GGTT ranges and their generation changed by re-ballooning. Every
	 * check (PTEs, fences, aperture, audit, execution) uses accept: the
	 * current ranges or, while a re-balloon is pending, their union with
	 * the new ones; per class sorted and merged (slices.c).
	 */
	struct vgt_slices slices;
	struct vgt_slice_ranges accept;
	struct vgt_pv11 pv11;

	/*
	 * Under lock. dead: destroyed; every call fails from then on (-ENODEV
	 * or an empty result) and the struct stays, as a husk on the host's
	 * destroyed list, until the host goes: a call racing the destroy never
	 * touches freed memory.
	 */
	pthread_mutex_t lock;
	bool dead;
	struct vgt_vgpu *next_destroyed;	/* under host->lock */

	/* guest-visible state, under lock */
	union {
		struct vgt_if pv;
		u8 pv_bytes[VGT_PVINFO_SIZE];
	};
	u32 *regs;			/* plain storage of the 2 MiB MMIO */
	u64 **shadow;			/* accepted PTEs, VGT_SHADOW_CHUNK pages a
					 * chunk, allocated where accept is */
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

	/* execution (vgt_exec.h), under lock */
	struct vgt_exec *exec;
	char last_hang[200];

	/* accounting, under lock */
	enum vgt_reason reason;		/* of the refusal being handled */
	enum vgt_reason last_reason;
	char last_rejection[256];
	struct vgt_traps traps;
};

/* Take v's lock for a call; false (lock not held) if v was destroyed. */
static inline bool vgt_vgpu_enter(struct vgt_vgpu *v)
{
	pthread_mutex_lock(&v->lock);
	if (!v->dead)
		return true;
	pthread_mutex_unlock(&v->lock);
	return false;
}

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
	unsigned int plats;		/* BIT(platform) it exists on; 0: all */
	vgt_read_fn read;		/* NULL: plain storage */
	vgt_write_fn write;		/* NULL: dword semantics or plain storage */
};

/* platform.c */
const struct vgt_plat *vgt_plat(enum vgt_platform p);
bool vgt_pte_present(u64 pte);
/* The guest-physical frame a PTE of v's platform names. */
u64 vgt_pte_frame(const struct vgt_vgpu *v, u64 pte);
u64 vgt_gen6_pde_frame(u32 pde);
/* The register naming engine e's status page (e's MMIO base: base). */
u32 vgt_hwsp_reg(const struct vgt_vgpu *v, unsigned int e, u32 base);

/* mmio.c */
const struct vgt_reg *vgt_reg_find(u64 off);
/* The entry of off on v's platform, or NULL: plain storage. */
const struct vgt_reg *vgt_reg_on(const struct vgt_vgpu *v, u64 off);
const struct vgt_reg *vgt_reg_table(size_t *n);
void vgt_regs_reset(struct vgt_vgpu *v);
void vgt_enter_failsafe(struct vgt_vgpu *v, enum vgt_failsafe why);
int vgt_dword_write(struct vgt_vgpu *v, const struct vgt_reg *r, u64 off,
		    unsigned int size, u64 val);
int vgt_plain_write(struct vgt_vgpu *v, u64 off, unsigned int size, u64 val);

/* exec: created and freed with the vGPU (engine.c, worker.c) */
int vgt_exec_create(struct vgt_vgpu *v);
void vgt_exec_destroy(struct vgt_vgpu *v);
void vgt_exec_reset(struct vgt_vgpu *v);

/* alloc.c, all under host->lock */
void vgt_range_init(struct vgt_range *r, u64 start, u64 end);
void vgt_range_fini(struct vgt_range *r);
bool vgt_range_best_fit(const struct vgt_range *r, u64 size, u64 *start,
			struct vgt_free *f);
int vgt_range_insert(struct vgt_range *r, u64 start, u64 size);
void vgt_range_release(struct vgt_range *r, u64 start, u64 size);
int vgt_host_place(struct vgt_host *host, struct vgt_vgpu *v,
		   const struct vgt_vgpu_request *req, char *msg, size_t len);
void vgt_host_unplace(struct vgt_host *host, struct vgt_vgpu *v);
/*
 * Re-ballooning: reserve what to has and have does not (all free, or
 * -ENOSPC with msg; -ENOMEM), splitting the vGPU's extents at the edges
 * of have \ to so that releasing them later cannot fail; release a set.
 */
int vgt_host_reserve(struct vgt_host *host, const struct vgt_slice_ranges *have,
		     const struct vgt_slice_ranges *to, char *msg, size_t len);
void vgt_host_release(struct vgt_host *host, const struct vgt_slice_ranges *set);
struct vgt_range *vgt_host_class_range(struct vgt_host *host, enum vgt_gm_class c);

/* slices.c: sets of GGTT ranges (struct vgt_slice_ranges) */
int vgt_ranges_check(const struct vgt_host *host, const struct vgt_slice_ranges *s,
		     bool scatter, char *msg, size_t len);
void vgt_ranges_union(const struct vgt_slice_ranges *a, const struct vgt_slice_ranges *b,
		      struct vgt_slice_ranges *out);
void vgt_ranges_minus(const struct vgt_slice_ranges *a, const struct vgt_slice_ranges *b,
		      struct vgt_slice_ranges *out);
bool vgt_ranges_find(const struct vgt_slice_ranges *s, u64 addr, u64 size,
		     enum vgt_gm_class *c, struct vgt_gm_range *in);
bool vgt_ranges_touch(const struct vgt_slice_ranges *s, u64 start, u64 end);
bool vgt_ranges_empty(const struct vgt_slice_ranges *s);
/* The assignment becomes r at generation gen; accept follows (no re-balloon). */
void vgt_slices_assign(struct vgt_vgpu *v, const struct vgt_slice_ranges *r, u32 gen);
/* Is [addr, addr + size) wholly inside one range of what v accepts now? */
bool vgt_gm_owned(const struct vgt_vgpu *v, u64 addr, u64 size);
bool vgt_gm_owned_in(const struct vgt_vgpu *v, enum vgt_gm_class c, u64 addr, u64 size);

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
/* Disable the vGPU's enabled fences that leave what it accepts now. */
unsigned int vgt_fence_disable_outside(struct vgt_vgpu *v);
/* A fence's tiled view of [start, end), from its 64-bit register value. */
struct vgt_fence_view {
	u64 start, end;
	struct vgt_tile_layout layout;
};
bool vgt_fence_decode(u64 val, struct vgt_fence_view *f);
/* One piece of a CPU aperture access: buf[buf_off, + len) is GGTT [gm, + len). */
typedef int (*vgt_fence_piece_fn)(void *priv, u64 gm, size_t buf_off, size_t len);
int vgt_fence_detile(struct vgt_vgpu *v, u64 gm, size_t len, vgt_fence_piece_fn fn,
		     void *priv);

/* ggtt.c */
int vgt_ggtt_alloc(struct vgt_vgpu *v);
void vgt_ggtt_free(struct vgt_vgpu *v);
void vgt_ggtt_reset(struct vgt_vgpu *v);
/* Shadow chunks for every range of s (before accept grows to cover it). */
int vgt_ggtt_cover(struct vgt_vgpu *v, const struct vgt_slice_ranges *s);
/* Clear the PTEs of removed and free chunks accept no longer touches. */
void vgt_ggtt_drop(struct vgt_vgpu *v, const struct vgt_slice_ranges *removed);
/*
 * The one validation of a PTE for GGTT page index, trapped or from the
 * channel (H-12, H-25): NONE with *slot set, or PTE_OUTSIDE / PTE_FRAME.
 */
enum vgt_reason vgt_pte_check(struct vgt_vgpu *v, u64 index, u64 pte, u64 **slot);
/* Copy the shadow PTEs of pages [first, first + n) (0 where no chunk): oracles. */
void vgt_ggtt_shadow_copy(const struct vgt_vgpu *v, u64 first, u64 n, u64 *out);
/* A buffered low half of a PTE in [first, first + count) is superseded. */
void vgt_pte_supersede(struct vgt_vgpu *v, u64 first, u64 count);
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
/* The accepted PTE of GGTT page index (-ERANGE outside the slices). */
int vgt_ggtt_pte(struct vgt_vgpu *v, u64 index, u64 *pte);

/* pv11.c, under the vGPU's lock */
void vgt_pv11_init(struct vgt_vgpu *v);
void vgt_pv11_fini(struct vgt_vgpu *v);
void vgt_pv11_release(struct vgt_vgpu *v);
void vgt_pv11_populate(struct vgt_vgpu *v);
void vgt_pv11_end(struct vgt_vgpu *v);		/* unregister, reset */
int vgt_pv11_register(struct vgt_vgpu *v);	/* g2v 8 */
int vgt_pv11_doorbell(struct vgt_vgpu *v);	/* g2v 9 */
int vgt_pv11_unregister(struct vgt_vgpu *v);	/* g2v 10 */
int vgt_pv11_write_table(struct vgt_vgpu *v, const struct vgt_slice_ranges *r, u32 gen);
int vgt_pv11_can_post(struct vgt_vgpu *v);
int vgt_pv11_post(struct vgt_vgpu *v, u16 op, u64 arg, u32 *seq);
int vgt_area_write(struct vgt_vgpu *v, u64 off, const void *buf, size_t len);

/* reslice.c, under the vGPU's lock */
void vgt_reslice_reply(struct vgt_vgpu *v, u32 seq, int result);
void vgt_reslice_cancel(struct vgt_vgpu *v);
bool vgt_reslice_is_pending_seq(const struct vgt_vgpu *v, u32 seq);

/* irq.c: the PVINFO 1.1 message interrupt (GEN8_GT_IIR(2) bit 31) */
void vgt_irq_pv11(struct vgt_vgpu *v);

/* trap.c */
void vgt_copy_locked(struct vgt_vgpu *v, void *out, size_t n,
		     void *(*block)(struct vgt_vgpu *v), bool reset);
int vgt_reject(struct vgt_vgpu *v, enum vgt_reason why);
/* A refused channel request: counted by reason, kept, logged. */
void vgt_refuse_request(struct vgt_vgpu *v, enum vgt_reason why,
			const struct vgt_pv11_req *r);
/* A 1.1 lifecycle event: one line to the log function. */
void vgt_note(struct vgt_vgpu *v, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void vgt_trap_account(struct vgt_vgpu *v, enum vgt_trap_class c, bool write,
		      u64 off, unsigned int size, u64 val, int ret);

#endif /* VGT_INTERNAL_H */

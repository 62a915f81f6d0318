/* SPDX-License-Identifier: MIT */
/*
 * libvgt internals of the execution side: graphics address spaces (gm.c),
 * the GT interrupt model (irq.c), the execlists front end of each engine
 * (engine.c), the command executor (exec.c) and the worker (worker.c).
 * Everything here runs with the vGPU's mutex held.
 */
#ifndef VGT_EXEC_H
#define VGT_EXEC_H

#include "vgt_internal.h"
#include "vgt_audit.h"
#include "vgt_blit.h"
#include "vgt_cmd.h"

/*
 * A context's PPGTT: levels 4 (root[0] is the PML4), 3 (four PDPs), 2
 * (gen7 aliasing: root[0] is the engine's MMIO base, whose RING_PP_DIR_BASE
 * names the directory) or 0.
 */
struct vgt_ppgtt {
	unsigned int levels;
	u64 root[4];
};

/* An address space the command streamer reads and writes through. */
struct vgt_as {
	struct vgt_vgpu *v;
	bool ppgtt;		/* else the GGTT */
	struct vgt_ppgtt pt;
	u64 fault_addr;		/* where the last failed access failed */
};

int vgt_ppgtt_translate(struct vgt_vgpu *v, const struct vgt_ppgtt *pt, u64 addr,
			bool write, u64 *gpa, u64 *span);
/* 0, -EFAULT (unmapped, or not guest memory), -ERANGE (GGTT outside the slices) */
int vgt_as_read(void *as, uint64_t addr, void *buf, size_t len);
int vgt_as_write(void *as, uint64_t addr, const void *buf, size_t len);

/* A buffer being executed: a private copy that was audited before it ran. */
struct vgt_frame {
	u32 *dw;
	size_t n, cap;		/* dwords held, allocated */
	size_t pos;		/* next command */
	u64 base;		/* graphics address of dw[0] (ring: its offset) */
	bool ppgtt;		/* batch in the PPGTT */
};

enum vgt_level { VGT_LVL_RING, VGT_LVL_FIRST, VGT_LVL_SECOND };

/* The context an engine runs, as loaded from its image. */
struct vgt_ctx {
	u64 desc;
	u64 lrca;		/* GGTT address of the image */
	u32 ring_start, ring_head, ring_tail, ring_ctl;
	u64 ring_size;
	struct vgt_ppgtt pt;
};

struct vgt_engine {
	enum vgt_engine_id id;
	u32 base;			/* MMIO base */
	/* ELSP: four dwords, element 1 then element 0, high then low */
	u32 elsp[4];
	unsigned int elsp_n;
	/* the submission being run; elem[cur] is the running one */
	u64 elem[2];
	unsigned int nr_elem, cur;
	/* a submission preempting a context that is inside a batch waits
	 * for the next ring-level command boundary (an arbitration point) */
	u64 deferred[2];
	bool has_deferred;
	bool active;			/* a context is loaded */
	bool hung;			/* stopped on a fault or a refusal */
	struct vgt_ctx ctx;
	/* where the command streamer is */
	enum vgt_level level;
	struct vgt_frame frame[3];	/* by level */
	u64 ring_audited;		/* ring offset up to which the copy runs */
	bool predicate;			/* MI_PREDICATE result */
	struct vgt_blt_state blt;
	bool waiting;			/* the last slice stopped on a semaphore */
};

/* vgt_exec.stats plus what the worker needs. */
struct vgt_exec {
	struct vgt_engine eng[VGT_ENGINE_NR];
	struct vgt_exec_stats stats;
	/* the worker: started by vgt_vgpu_exec_start, under the vGPU's lock */
	pthread_t thread;
	pthread_cond_t kick;
	bool running, stop;
	bool irq_line;			/* the interrupt output is asserted */
	/* what the audit checks against besides the first range of each class */
	struct vgt_audit_range audit_more[2 * VGT_SLICE_SET_RANGES];
};

/* irq.c */
void vgt_irq_engine(struct vgt_vgpu *v, enum vgt_engine_id e, u32 bits);
void vgt_irq_update(struct vgt_vgpu *v);
int vgt_irq_master_read(struct vgt_vgpu *v, const struct vgt_reg *r, u64 off,
			unsigned int size, u64 *val);
int vgt_irq_write(struct vgt_vgpu *v, const struct vgt_reg *r, u64 off,
		  unsigned int size, u64 val);

/* engine.c: the execlists front end and its registers */
int vgt_engine_read(struct vgt_vgpu *v, const struct vgt_reg *r, u64 off,
		    unsigned int size, u64 *val);
int vgt_engine_write(struct vgt_vgpu *v, const struct vgt_reg *r, u64 off,
		     unsigned int size, u64 val);
int vgt_gdrst_write(struct vgt_vgpu *v, const struct vgt_reg *r, u64 off,
		    unsigned int size, u64 val);
void vgt_engines_init(struct vgt_vgpu *v);
void vgt_engines_reset(struct vgt_vgpu *v, u32 mask);
void vgt_engines_free(struct vgt_vgpu *v);
bool vgt_engine_runnable(const struct vgt_engine *e);
void vgt_engine_context_done(struct vgt_vgpu *v, struct vgt_engine *e);
void vgt_engine_take_deferred(struct vgt_vgpu *v, struct vgt_engine *e);
void vgt_engine_hang(struct vgt_vgpu *v, struct vgt_engine *e, enum vgt_hang_reason why,
		     const char *what);
u32 *vgt_engine_reg(struct vgt_vgpu *v, const struct vgt_engine *e, u32 reg);

/* ring.c: the legacy ring-buffer front end (platforms without execlists) */
bool vgt_ring_reg(u32 reg);
int vgt_ring_write(struct vgt_vgpu *v, struct vgt_engine *e, u64 off, unsigned int size,
		   u64 val);
void vgt_ring_idle(struct vgt_vgpu *v, struct vgt_engine *e);

/* exec.c: run an engine's context for at most budget commands */
unsigned int vgt_exec_slice(struct vgt_vgpu *v, struct vgt_engine *e,
			    unsigned int budget);
void vgt_frame_free(struct vgt_frame *f);

/* worker.c */
void vgt_exec_kick(struct vgt_vgpu *v);
void vgt_exec_stop(struct vgt_vgpu *v);

/* mmio.c: a register access made by the command streamer, not the CPU */
int vgt_cs_reg_read(struct vgt_vgpu *v, u32 off, u32 *val);
int vgt_cs_reg_write(struct vgt_vgpu *v, u32 off, u32 val);

#endif /* VGT_EXEC_H */

/* SPDX-License-Identifier: MIT */
/*
 * Command address audit for gen9 (Skylake) command streams: every
 * GGTT-addressed operand of a ring or batch buffer must lie wholly inside
 * one of the submitting vGPU's slices. The threat model opens audit.c.
 *
 * Lifecycle: none. Fill a struct vgt_audit_ctx (caller-owned, read-only to
 * the audit) and call vgt_audit() as often as needed. The module keeps no
 * state of its own: concurrent calls are safe as long as the fetch callback
 * is (it is called only from the thread that called vgt_audit()).
 */
#ifndef VGT_AUDIT_H
#define VGT_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vgt_cmd.h"

#define VGT_AUDIT_MAX_SURFACE	(36ULL << 20)	/* as GVT-g's max_surface_size */
#define VGT_AUDIT_DEF_DEPTH	8		/* default batches followed per path */
#define VGT_AUDIT_DEPTH_MAX	64		/* largest max_depth accepted */
#define VGT_AUDIT_DEF_DWORDS	(8u << 20)	/* default dword budget (32 MiB) */
#define VGT_AUDIT_HWSP_SIZE	4096		/* store-data-index offsets stay below */

/**
 * typedef vgt_audit_fetch - the memory a GGTT batch start points at
 * @priv: vgt_audit_ctx.priv
 * @ggtt_addr: the batch's GGTT address (already checked to lie in a slice)
 * @n_dw: out, how many dwords are readable from @ggtt_addr on
 *
 * Return: the dwords, or NULL when the address is not backed (the audit
 * then refuses the batch start with VGT_AUDIT_UNREADABLE). The audit never
 * reads past the end of the slice holding @ggtt_addr, whatever @n_dw says.
 */
typedef const uint32_t *(*vgt_audit_fetch)(void *priv, uint64_t ggtt_addr,
					   size_t *n_dw);

/* What the audited dwords are: they differ in how batch starts and ends work. */
enum vgt_audit_buffer {
	VGT_AUDIT_RING,		/* ring contents head..tail: every dword runs */
	VGT_AUDIT_BATCH,	/* first-level batch: must end in MI_BATCH_BUFFER_END */
};

/* A further slice of the submitter (scattered slices, a re-balloon's union). */
struct vgt_audit_range {
	uint64_t base, size;
};
#define VGT_AUDIT_MAX_MORE 128		/* largest nr_more accepted */

struct vgt_audit_ctx {
	/* The submitter's slices of the GGTT (bytes; size 0: no slice). */
	uint64_t mappable_base, mappable_size;
	uint64_t hidden_base, hidden_size;
	const struct vgt_audit_range *more;	/* further slices (may be NULL) */
	unsigned int nr_more;
	uint64_t max_surface;		/* largest operand; 0: VGT_AUDIT_MAX_SURFACE */
	enum vgt_audit_buffer buffer;	/* what the submitted dwords are */
	/* Chained and nested GGTT batches. */
	vgt_audit_fetch fetch;		/* NULL: batch starts checked, not followed */
	void *priv;			/* for fetch */
	unsigned int max_depth;		/* batches followed on one path; 0: VGT_AUDIT_DEF_DEPTH */
	size_t max_dwords;		/* dwords decoded in all; 0: VGT_AUDIT_DEF_DWORDS */
	enum vgt_engine_id engine;	/* the engine the buffer runs on (0: RCS) */
	enum vgt_platform platform;	/* whose command set (0: Skylake's gen9) */
	bool ppgtt;			/* the buffer is a PPGTT batch: its 2D surfaces
					 * are PPGTT addresses, not checked */
};

/*
 * One per kind of refusal. vgt_audit_reason_name() gives the CLI token. The
 * first four are enum vgt_decode_status's, same values.
 */
enum vgt_audit_reason {
	VGT_AUDIT_OK,
	VGT_AUDIT_UNKNOWN_OPCODE,	/* not a gen9 command of this engine */
	VGT_AUDIT_TRUNCATED,		/* length runs past the end of the buffer */
	VGT_AUDIT_BAD_LENGTH,		/* length field wrong for the command */
	VGT_AUDIT_PRIVILEGED,		/* refused whatever its operands */
	VGT_AUDIT_OUTSIDE_SLICE,	/* GGTT operand not wholly inside one slice */
	VGT_AUDIT_TOO_LARGE,		/* operand larger than max_surface */
	VGT_AUDIT_WRAPS,		/* operand runs past 2^48 */
	VGT_AUDIT_BAD_INDEX,		/* store-data-index write leaves the HWSP */
	VGT_AUDIT_BAD_NESTING,		/* batch start from a 2nd-level batch, or
					 * a 2nd-level start from the ring */
	VGT_AUDIT_UNTERMINATED,		/* batch runs out without an end */
	VGT_AUDIT_UNREADABLE,		/* fetch gave no memory for a batch */
	VGT_AUDIT_CHAIN_LOOP,		/* batch chains back into its own path */
	VGT_AUDIT_DEPTH,		/* more than max_depth batches on a path */
	VGT_AUDIT_BUDGET,		/* more than max_dwords decoded */
	VGT_AUDIT_REGISTER,		/* register a guest context may not access */
	VGT_AUDIT_PREDICATION,		/* command the hardware may skip or run
					 * unpredictably inside an MI_SET_PREDICATE
					 * scope, or a scope left open */
	VGT_AUDIT_BLIT_STATE,		/* 2D draw with setup state this buffer did
					 * not load and bound */
	VGT_AUDIT_NR
};

struct vgt_audit_result {
	enum vgt_audit_reason reason;
	size_t dword;		/* command offset in the buffer it was found in */
	unsigned int depth;	/* 0: the submitted buffer, n: n-th followed batch */
	uint64_t batch;		/* GGTT address of that buffer when depth > 0 */
	const char *command;	/* static name, no spaces; never NULL */
	uint32_t header;	/* the command's first dword (0 at end of buffer) */
	uint64_t addr, size;	/* the refused operand (0, 0 when none); for
				 * "register" the MMIO offset and 4 */
};

/**
 * vgt_audit - audit a ring or batch buffer submitted by one vGPU
 * @ctx: the submitter's slices and budgets
 * @dw: the dwords (may be NULL when @n_dw is 0)
 * @n_dw: how many
 * @out: the first refusal, or reason VGT_AUDIT_OK
 *
 * Return: 0 when every command decodes and every GGTT operand is in a
 * slice; -EACCES when refused (*out says why and where); -EINVAL for a
 * NULL @ctx or @out, NULL @dw with @n_dw > 0, a slice past 2^48 (or more
 * than VGT_AUDIT_MAX_MORE further ones, or NULL @more with some), an unknown
 * buffer kind or max_depth above VGT_AUDIT_DEPTH_MAX (*out untouched).
 */
int vgt_audit(const struct vgt_audit_ctx *ctx, const uint32_t *dw, size_t n_dw,
	      struct vgt_audit_result *out);

/* Short token ("outside-slice") and a sentence; "?" for out-of-range values. */
const char *vgt_audit_reason_name(enum vgt_audit_reason r);
const char *vgt_audit_reason_desc(enum vgt_audit_reason r);

/*
 * vgt-host audit [--ring] [--follow] [--engine rcs|bcs|vcs|vecs]
 *                --mappable BASE:SIZE --hidden BASE:SIZE [--max-surface BYTES] FILE
 * argv[0] is "audit". Return: exit status 0 (ok), 2 (rejected), 1 (bad input).
 */
int vgt_audit_main(int argc, char **argv);

#endif /* VGT_AUDIT_H */

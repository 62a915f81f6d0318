/* SPDX-License-Identifier: MIT */
/*
 * Command address audit for gen9 command streams (ring and batch buffers):
 * every GGTT-addressed operand must lie wholly inside one of the
 * submitting vGPU's slices. See audit.c for the threat model.
 */
#ifndef VGT_AUDIT_H
#define VGT_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#define VGT_AUDIT_MAX_SURFACE (36ULL << 20)	/* as GVT-g */

/* Returns the dwords at a GGTT address (a chained batch), or NULL. */
typedef const uint32_t *(*vgt_audit_fetch)(void *priv, uint64_t ggtt_addr,
					   size_t *n_dw);

struct vgt_audit_ctx {
	uint64_t mappable_base, mappable_size;
	uint64_t hidden_base, hidden_size;
	uint64_t max_surface;		/* 0: VGT_AUDIT_MAX_SURFACE */
	unsigned int max_depth;		/* chained batch levels; 0: 2 */
	size_t max_dwords;		/* all levels together; 0: 1 Mi */
	vgt_audit_fetch fetch;		/* NULL: batch targets checked, not followed */
	void *priv;
};

enum vgt_audit_reason {
	VGT_AUDIT_OK,
	VGT_AUDIT_UNKNOWN_OPCODE,
	VGT_AUDIT_TRUNCATED,		/* command runs past the buffer */
	VGT_AUDIT_PRIVILEGED,		/* refused whatever its operands */
	VGT_AUDIT_OUTSIDE_SLICE,	/* operand not wholly in one slice */
	VGT_AUDIT_TOO_LARGE,		/* operand above the max surface size */
	VGT_AUDIT_WRAPS,		/* operand wraps the 48-bit space */
	VGT_AUDIT_BAD_INDEX,		/* HWSP index at or beyond 4 KiB */
	VGT_AUDIT_DEPTH,		/* chained batches nest too deep */
	VGT_AUDIT_BUDGET,		/* too many dwords (e.g. self-chaining) */
	VGT_AUDIT_NR
};

struct vgt_audit_result {
	enum vgt_audit_reason reason;
	size_t dword;			/* offset in the buffer it was found in */
	unsigned int depth;		/* 0: the submitted buffer */
	const char *command;
	uint64_t addr, size;
};

/*
 * Return: 0 when every command is known and every GGTT operand is inside
 * the slices; -EACCES with *out describing the first refusal; -EINVAL for
 * a malformed ctx.
 */
int vgt_audit(const struct vgt_audit_ctx *ctx, const uint32_t *dw, size_t n_dw,
	      struct vgt_audit_result *out);
const char *vgt_audit_reason_name(enum vgt_audit_reason r);

/* vgt-host audit ...: argv[0] is "audit". Return: exit status 0, 1 or 2. */
int vgt_audit_main(int argc, char **argv);

#endif /* VGT_AUDIT_H */

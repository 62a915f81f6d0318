/* SPDX-License-Identifier: MIT */
/*
 * The one gen9 command decoder: header -> command, length, client, what the
 * command does and where its memory operands are. Used by the command
 * address audit (audit.c) and by the executor (exec.c), so the two can never
 * disagree about where a command ends or which memory it touches.
 *
 * Tables are per engine: the same header means different commands on RCS
 * (media), VCS (MFX) and VECS (VEBOX), and some commands exist on one
 * engine only. Unknown headers are refused, never skipped.
 *
 * No state, no locks: every function may be called from any thread.
 */
#ifndef VGT_CMD_H
#define VGT_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libvgt.h"

/* The engines of a Skylake GT2 (one VCS on GT2). */
enum vgt_engine_id {
	VGT_RCS,
	VGT_BCS,
	VGT_VCS,
	VGT_VECS,
	VGT_ENGINE_NR
};

/* "rcs", "bcs", "vcs", "vecs"; "?" out of range. */
const char *vgt_engine_name(enum vgt_engine_id e);

/* MMIO base of the engine's registers (0x2000 RCS...); 0 out of range. */
uint32_t vgt_engine_mmio_base(enum vgt_engine_id e);

/* What the executor does with a command. */
enum vgt_cmd_op {
	VGT_OP_NOP,		/* MI_NOOP, MI_ARB_CHECK, flushes without post-sync... */
	VGT_OP_STATE,		/* 3D/media/MFX/VEBOX state or work: counted no-op */
	VGT_OP_ARB_ON_OFF,
	VGT_OP_USER_INTERRUPT,
	VGT_OP_BB_START,
	VGT_OP_BB_END,
	VGT_OP_COND_BB_END,
	VGT_OP_STORE_IMM,	/* MI_STORE_DATA_IMM, dword or qword */
	VGT_OP_STORE_INDEX,	/* MI_STORE_DATA_INDEX: per-context HWSP offset */
	VGT_OP_LRI,
	VGT_OP_LRM,
	VGT_OP_LRR,
	VGT_OP_SRM,
	VGT_OP_FLUSH_DW,	/* MI_FLUSH_DW, post-sync write when asked */
	VGT_OP_PIPE_CONTROL,	/* post-sync write when asked */
	VGT_OP_SEMAPHORE_WAIT,
	VGT_OP_MATH,
	VGT_OP_COPY_MEM_MEM,
	VGT_OP_ATOMIC,
	VGT_OP_REPORT_HEAD,
	VGT_OP_SET_PREDICATE,
	VGT_OP_PREDICATE,
	VGT_OP_BLT,		/* a 2D command: blit.c does it */
	VGT_OP_REFUSE,		/* privileged or unboundable: the audit refuses it */
	VGT_OP_NR
};

/*
 * Why a decode (or the audit built on it) refused. The audit's own reasons
 * (enum vgt_audit_reason in vgt_audit.h) start with these, same values.
 */
enum vgt_decode_status {
	VGT_DECODE_OK,
	VGT_DECODE_UNKNOWN,	/* not a gen9 command on this engine */
	VGT_DECODE_TRUNCATED,	/* runs past the dwords available */
	VGT_DECODE_BAD_LENGTH,	/* length field wrong for the command */
};

/* struct vgt_cmd.flags */
#define VGT_CMD_PREDICATED	(1u << 0) /* BB_START runs only if MI_PREDICATE_RESULT (RCS) */
#define VGT_CMD_SECOND_LEVEL	(1u << 1) /* BB_START: the batch returns here at its end */
#define VGT_CMD_NOTIFY		(1u << 2) /* PIPE_CONTROL, MI_FLUSH_DW: raise the user interrupt */
#define VGT_CMD_PRED_SCOPE_OK	(1u << 3) /* may sit inside an MI_SET_PREDICATE scope */
#define VGT_CMD_BLT_SETUP	(1u << 4) /* loads the blitter's setup state (XY_SETUP_*) */
#define VGT_CMD_BLT_CLIPPED	(1u << 5) /* ... and its "setup" operand bounds later draws */
#define VGT_CMD_BLT_USES_SETUP	(1u << 6) /* draws with the setup state (XY_PIXEL_BLT...) */
#define VGT_CMD_MEMORY		(1u << 7) /* may have memory operands: see vgt_cmd_operands() */
#define VGT_CMD_REGISTERS	(1u << 8) /* accesses registers: see vgt_cmd_nregs() */
#define VGT_CMD_QWORD		(1u << 9) /* MI_STORE_DATA_IMM/INDEX store 8 bytes */

struct vgt_cmd {
	const char *name;	/* static, no spaces; never NULL */
	enum vgt_platform platform;	/* whose command set decoded it */
	uint32_t header;
	unsigned int client;	/* bits 31:29 */
	unsigned int len;	/* dwords, header included */
	enum vgt_cmd_op op;
	unsigned int flags;	/* VGT_CMD_* */
};

/**
 * vgt_cmd_decode - decode the command at dw[0] as engine @e would
 * @e: the engine the stream runs on
 * @dw: the dwords from the header on
 * @avail: how many of them are readable (the decode never reads past)
 * @out: the command (name set even on failure: the header's or "*_UNKNOWN";
 *	len set for TRUNCATED and BAD_LENGTH too)
 *
 * Return: VGT_DECODE_OK, or why the command is refused. An @e out of range
 * or @avail 0 gives VGT_DECODE_UNKNOWN ("NO_COMMAND").
 */
enum vgt_decode_status vgt_cmd_decode(enum vgt_engine_id e, const uint32_t *dw,
				      size_t avail, struct vgt_cmd *out);

/*
 * The same for platform @p's command set: gen9 (Skylake, what
 * vgt_cmd_decode uses) or gen7.5 (Haswell: 32-bit addresses, shorter
 * MI_BATCH_BUFFER_START, MI_STORE_DATA_IMM, MI_FLUSH_DW, PIPE_CONTROL,
 * MI_LOAD/STORE_REGISTER_MEM, MI_SET_CONTEXT and 2D commands; no gen8+
 * MI commands and no XY_FAST_COPY_BLT).
 * vgt_cmd_operands and vgt_cmd_reg follow the platform recorded in @out.
 */
enum vgt_decode_status vgt_cmd_decode_on(enum vgt_platform p, enum vgt_engine_id e,
					 const uint32_t *dw, size_t avail,
					 struct vgt_cmd *out);

/* Address space of a memory operand. */
enum vgt_as_kind {
	VGT_AS_GGTT,		/* the global GTT */
	VGT_AS_PPGTT,		/* the context's per-process GTT */
	VGT_AS_HWSP,		/* offset into the context's status page (< 4 KiB) */
	VGT_AS_BATCH,		/* the address space the batch runs in (2D surfaces) */
};

#define VGT_CMD_MAX_OPERANDS 4

/*
 * One memory operand: [addr, addr + size) in space @as. Addresses are
 * masked as the hardware masks them (48 bits; the low bits the command
 * ignores cleared). HWSP offsets are given whole: bits above 11 are
 * reserved, a range check refuses them. For a 2D surface the operand is
 * the byte range the blit may touch (pitch times rows, as the hardware
 * computes it), so a range check bounds it whatever the tiling.
 */
struct vgt_cmd_operand {
	enum vgt_as_kind as;
	uint64_t addr, size;
	bool read, write;	/* MI_ATOMIC: both */
	unsigned int data;	/* dword index of the immediate data written, 0: none */
	const char *what;	/* "store", "batch", "dst", "src", "post-sync"... */
};

/**
 * vgt_cmd_operands - the memory operands of a decoded command
 * @e: the engine
 * @cmd: from vgt_cmd_decode (VGT_DECODE_OK)
 * @dw: its dwords (@cmd->len of them)
 * @out: up to VGT_CMD_MAX_OPERANDS operands
 *
 * Return: how many operands @out holds (0 for a command without memory
 * operands). Register offsets of register commands are not operands: see
 * vgt_cmd_reg().
 */
unsigned int vgt_cmd_operands(enum vgt_engine_id e, const struct vgt_cmd *cmd,
			      const uint32_t *dw,
			      struct vgt_cmd_operand out[VGT_CMD_MAX_OPERANDS]);

/* The longest 2D command with memory operands, in its gen8 form. */
#define VGT_CMD_BLT_MAX_DWORDS 10

/**
 * vgt_cmd_blt_gen8 - a decoded 2D command in the gen8 layout
 * @cmd: from vgt_cmd_decode_on (VGT_DECODE_OK), a 2D command
 * @dw: its dwords (@cmd->len of them)
 * @buf: room for the widened form
 * @len: its length in dwords
 *
 * Gen7 2D commands carry 32-bit graphics addresses, one dword each, where
 * gen8+ has two; nothing else of their layout differs. The operand decoding
 * and the blitter read the gen8 layout only, so a gen7 command is widened
 * here (a zero high dword after each address, the header's length field to
 * match), in this one place.
 *
 * Return: @dw itself (and @cmd->len) for a gen8+ command or one without
 * addresses, else @buf.
 */
const uint32_t *vgt_cmd_blt_gen8(const struct vgt_cmd *cmd, const uint32_t *dw,
				 uint32_t buf[VGT_CMD_BLT_MAX_DWORDS], unsigned int *len);

/* One register a command reads or writes (MMIO offset, bits 22:2 as the CS masks it). */
struct vgt_cmd_reg {
	uint32_t offset;
	bool write;		/* false: read */
	unsigned int value;	/* dword index of the value written (LRI, PIPE_CONTROL), 0: none */
};

/* How many registers the decoded command accesses (an LRI: one per pair). */
unsigned int vgt_cmd_nregs(const struct vgt_cmd *cmd, const uint32_t *dw);

/* The @i-th of them (@i < vgt_cmd_nregs()); MI_NOOP's NOPID write included. */
struct vgt_cmd_reg vgt_cmd_reg(enum vgt_engine_id e, const struct vgt_cmd *cmd,
			       const uint32_t *dw, unsigned int i);

#endif /* VGT_CMD_H */

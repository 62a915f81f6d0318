// SPDX-License-Identifier: MIT
/*
 * TEMPORARY scaffolding so the executor can be built and tested before the
 * shared decoder (cmd_decode.c) lands: MI commands and generic lengths
 * only. Deleted when that file arrives (the blitter, blit.c, is in).
 */
#include <errno.h>
#include <stdbool.h>

#include "vgt_blit.h"
#include "vgt_cmd.h"

const char *vgt_engine_name(enum vgt_engine_id e)
{
	static const char *const n[] = { "rcs", "bcs", "vcs", "vecs" };

	return (unsigned int)e < VGT_ENGINE_NR ? n[e] : "?";
}

static const struct { const char *name; unsigned char op, fixed, bits; } mi[64] = {
	[0x00] = { "MI_NOOP", VGT_OP_NOP, 1, 0 },
	[0x02] = { "MI_USER_INTERRUPT", VGT_OP_USER_INTERRUPT, 1, 0 },
	[0x05] = { "MI_ARB_CHECK", VGT_OP_NOP, 1, 0 },
	[0x07] = { "MI_REPORT_HEAD", VGT_OP_REPORT_HEAD, 1, 0 },
	[0x08] = { "MI_ARB_ON_OFF", VGT_OP_ARB_ON_OFF, 1, 0 },
	[0x0a] = { "MI_BATCH_BUFFER_END", VGT_OP_BB_END, 1, 0 },
	[0x0c] = { "MI_PREDICATE", VGT_OP_PREDICATE, 1, 0 },
	[0x1a] = { "MI_MATH", VGT_OP_MATH, 0, 8 },
	[0x1c] = { "MI_SEMAPHORE_WAIT", VGT_OP_SEMAPHORE_WAIT, 0, 8 },
	[0x20] = { "MI_STORE_DATA_IMM", VGT_OP_STORE_IMM, 0, 10 },
	[0x21] = { "MI_STORE_DATA_INDEX", VGT_OP_STORE_INDEX, 0, 8 },
	[0x22] = { "MI_LOAD_REGISTER_IMM", VGT_OP_LRI, 0, 8 },
	[0x24] = { "MI_STORE_REGISTER_MEM", VGT_OP_SRM, 0, 8 },
	[0x26] = { "MI_FLUSH_DW", VGT_OP_FLUSH_DW, 0, 6 },
	[0x29] = { "MI_LOAD_REGISTER_MEM", VGT_OP_LRM, 0, 8 },
	[0x2a] = { "MI_LOAD_REGISTER_REG", VGT_OP_LRR, 0, 8 },
	[0x2e] = { "MI_COPY_MEM_MEM", VGT_OP_COPY_MEM_MEM, 0, 8 },
	[0x2f] = { "MI_ATOMIC", VGT_OP_ATOMIC, 0, 8 },
	[0x31] = { "MI_BATCH_BUFFER_START", VGT_OP_BB_START, 0, 8 },
	[0x36] = { "MI_CONDITIONAL_BATCH_BUFFER_END", VGT_OP_COND_BB_END, 0, 8 },
};

enum vgt_decode_status vgt_cmd_decode(enum vgt_engine_id e, const uint32_t *dw,
				      size_t avail, struct vgt_cmd *out)
{
	uint32_t h;

	(void)e;
	*out = (struct vgt_cmd){ .name = "UNKNOWN" };
	if (!avail)
		return VGT_DECODE_TRUNCATED;
	h = dw[0];
	out->header = h;
	out->client = h >> 29;
	if (out->client == 0) {
		unsigned int o = (h >> 23) & 0x3f;

		if (!mi[o].name)
			return VGT_DECODE_UNKNOWN;
		out->name = mi[o].name;
		out->op = mi[o].op;
		out->len = mi[o].fixed ? 1 : (h & ((1u << mi[o].bits) - 1)) + 2;
	} else if (out->client == 2) {
		out->name = "XY_BLT";
		out->op = VGT_OP_BLT;
		out->len = (h & 0xff) + 2;
	} else if (out->client == 3) {
		bool pc = ((h >> 16) & 0x1fff) == 0x1a00;
		bool one = ((h >> 27) & 3) == 1 || (h >> 16) == 0x780b;

		out->name = pc ? "PIPE_CONTROL" : "GFX_STATE";
		out->op = pc ? VGT_OP_PIPE_CONTROL : VGT_OP_STATE;
		out->len = one ? 1 : (h & 0xff) + 2;
	} else {
		return VGT_DECODE_UNKNOWN;
	}
	return out->len > avail ? VGT_DECODE_TRUNCATED : VGT_DECODE_OK;
}

static uint64_t addr48(const uint32_t *p, uint32_t mask)
{
	return ((uint64_t)(p[1] & 0xffff) << 32) | (p[0] & mask);
}

#define OPND(a, s, w, wt) (struct vgt_cmd_operand){ .as = (a), .addr = (s).addr, \
	.size = (s).size, .write = (w), .what = (wt) }

unsigned int vgt_cmd_operands(enum vgt_engine_id e, const struct vgt_cmd *cmd,
			      const uint32_t *dw,
			      struct vgt_cmd_operand out[VGT_CMD_MAX_OPERANDS])
{
	bool g = dw[0] & (1u << 22);
	enum vgt_as_kind as = g ? VGT_AS_GGTT : VGT_AS_PPGTT;
	uint64_t q = dw[0] & (1u << 21) ? 8 : 4;

	(void)e;
	switch (cmd->op) {
	case VGT_OP_STORE_IMM:
		out[0] = (struct vgt_cmd_operand){ as, addr48(dw + 1, ~3u), q, true, "store" };
		return 1;
	case VGT_OP_STORE_INDEX:
		out[0] = (struct vgt_cmd_operand){ VGT_AS_HWSP, dw[1] & 0xffc, q, true, "store" };
		return 1;
	case VGT_OP_SRM:
	case VGT_OP_LRM:
		out[0] = (struct vgt_cmd_operand){ as, addr48(dw + 2, ~3u), 4,
						   cmd->op == VGT_OP_SRM, "register" };
		return 1;
	case VGT_OP_FLUSH_DW:
		if (!((dw[0] >> 14) & 3))
			return 0;
		if (dw[0] & (1u << 21))
			out[0] = (struct vgt_cmd_operand){ VGT_AS_HWSP, dw[1] & 0xff8, 8, true, "post-sync" };
		else
			out[0] = (struct vgt_cmd_operand){ dw[1] & 4 ? VGT_AS_GGTT : VGT_AS_PPGTT,
							   addr48(dw + 1, ~7u), cmd->len > 4 ? 8 : 4,
							   true, "post-sync" };
		return 1;
	case VGT_OP_PIPE_CONTROL:
		if (!((dw[1] >> 14) & 3) || cmd->len < 6)
			return 0;
		if (dw[1] & (1u << 21))
			out[0] = (struct vgt_cmd_operand){ VGT_AS_HWSP, dw[2] & 0xff8, 8, true, "post-sync" };
		else
			out[0] = (struct vgt_cmd_operand){ dw[1] & (1u << 24) ? VGT_AS_GGTT : VGT_AS_PPGTT,
							   addr48(dw + 2, ~7u), 8, true, "post-sync" };
		return 1;
	case VGT_OP_BB_START:
		out[0] = (struct vgt_cmd_operand){ dw[0] & (1u << 8) ? VGT_AS_PPGTT : VGT_AS_GGTT,
						   addr48(dw + 1, ~3u), 4, false, "batch" };
		return 1;
	case VGT_OP_SEMAPHORE_WAIT:
		out[0] = (struct vgt_cmd_operand){ as, addr48(dw + 2, ~3u), 4, false, "semaphore" };
		return 1;
	case VGT_OP_COND_BB_END:
		out[0] = (struct vgt_cmd_operand){ as, addr48(dw + 2, ~7u), dw[0] & (1u << 19) ? 8 : 4,
						   false, "compare" };
		return 1;
	case VGT_OP_COPY_MEM_MEM:
		out[0] = (struct vgt_cmd_operand){ dw[0] & (1u << 21) ? VGT_AS_GGTT : VGT_AS_PPGTT,
						   addr48(dw + 3, ~3u), 4, false, "src" };
		out[1] = (struct vgt_cmd_operand){ g ? VGT_AS_GGTT : VGT_AS_PPGTT,
						   addr48(dw + 1, ~3u), 4, true, "dst" };
		return 2;
	case VGT_OP_ATOMIC:
		out[0] = (struct vgt_cmd_operand){ as, addr48(dw + 1, ~3u), 4ULL << ((dw[0] >> 19) & 3),
						   true, "atomic" };
		return 1;
	default:
		return 0;
	}
}

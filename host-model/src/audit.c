// SPDX-License-Identifier: MIT
/*
 * Command address audit for gen9 command streams.
 *
 * Threat model. With ballooning the host does not translate graphics
 * addresses: a guest's commands run with the GGTT addresses it wrote. A
 * malicious guest can therefore aim any GGTT-addressed operand (a store, a
 * register load or store from memory, a flush or pipe-control post-sync
 * write, an atomic, a batch start) at another vGPU's or the host's memory,
 * make an operand straddle the end of its slice or wrap the 48-bit address
 * space, hide a command behind a bogus length, chain batches into itself
 * forever, or use commands that reach outside any address check
 * (MI_UPDATE_GTT writes the GGTT itself; semaphore waits on GGTT, perf
 * reports, conditional batch ends and cache flushes name memory the host
 * cannot bound).
 *
 * What the audit guarantees: every command of the buffer is decoded with a
 * known length (an unknown opcode is refused, not skipped); every
 * GGTT-addressed operand lies wholly inside one slice and is at most the
 * maximum surface size; privileged commands are refused; chained batches
 * are followed within a depth and a dword budget. What it does not: PPGTT
 * operands are not checked (the host shadows PPGTTs), nor are state
 * pointers relative to base addresses, nor does it execute anything.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "vgt_audit.h"

#define ADDR_LIMIT (1ULL << 48)
#define HWSP_SIZE 4096
#define GGTT_BIT (1u << 22)		/* MI commands: use global GTT */

enum operand {
	OP_NONE,
	OP_STORE_DATA,		/* MI_STORE_DATA_IMM */
	OP_REG_MEM,		/* MI_LOAD/STORE_REGISTER_MEM */
	OP_FLUSH_DW,
	OP_ATOMIC,
	OP_BB_START,
	OP_SEMAPHORE,		/* refused when on GGTT */
	OP_PRIVILEGED,
};

struct mi_desc {
	unsigned int opcode;
	const char *name;
	unsigned int fixed_len;	/* 1 for single-dword commands, else 0 */
	enum operand operand;
};

/* MI commands known on gen9 render/blitter/video rings (gen8+ encodings). */
static const struct mi_desc mi_cmds[] = {
	{ 0x00, "MI_NOOP", 1, OP_NONE },
	{ 0x02, "MI_USER_INTERRUPT", 1, OP_NONE },
	{ 0x03, "MI_WAIT_FOR_EVENT", 1, OP_NONE },
	{ 0x05, "MI_ARB_CHECK", 1, OP_NONE },
	{ 0x07, "MI_REPORT_HEAD", 1, OP_NONE },
	{ 0x08, "MI_ARB_ON_OFF", 1, OP_NONE },
	{ 0x0a, "MI_BATCH_BUFFER_END", 1, OP_NONE },
	{ 0x0b, "MI_SUSPEND_FLUSH", 1, OP_NONE },
	{ 0x0c, "MI_PREDICATE", 1, OP_NONE },
	{ 0x0d, "MI_TOPOLOGY_FILTER", 1, OP_NONE },
	{ 0x18, "MI_SET_CONTEXT", 0, OP_NONE },
	{ 0x1a, "MI_MATH", 0, OP_NONE },
	{ 0x1b, "MI_SEMAPHORE_SIGNAL", 0, OP_NONE },
	{ 0x1c, "MI_SEMAPHORE_WAIT", 0, OP_SEMAPHORE },
	{ 0x20, "MI_STORE_DATA_IMM", 0, OP_STORE_DATA },
	{ 0x21, "MI_STORE_DATA_INDEX", 0, OP_PRIVILEGED },
	{ 0x22, "MI_LOAD_REGISTER_IMM", 0, OP_NONE },
	{ 0x23, "MI_UPDATE_GTT", 0, OP_PRIVILEGED },
	{ 0x24, "MI_STORE_REGISTER_MEM", 0, OP_REG_MEM },
	{ 0x26, "MI_FLUSH_DW", 0, OP_FLUSH_DW },
	{ 0x27, "MI_CLFLUSH", 0, OP_PRIVILEGED },
	{ 0x28, "MI_REPORT_PERF_COUNT", 0, OP_PRIVILEGED },
	{ 0x29, "MI_LOAD_REGISTER_MEM", 0, OP_REG_MEM },
	{ 0x2a, "MI_LOAD_REGISTER_REG", 0, OP_NONE },
	{ 0x2e, "MI_OP_2E", 0, OP_PRIVILEGED },
	{ 0x2f, "MI_ATOMIC", 0, OP_ATOMIC },
	{ 0x31, "MI_BATCH_BUFFER_START", 0, OP_BB_START },
	{ 0x36, "MI_CONDITIONAL_BATCH_BUFFER_END", 0, OP_PRIVILEGED },
};

/* Blitter (client 2) opcodes, bits 28:22. Operands are PPGTT on gen9. */
static const struct {
	unsigned int opcode;
	const char *name;
} blt_cmds[] = {
	{ 0x01, "XY_SETUP_BLT" }, { 0x03, "XY_SETUP_CLIP_BLT" },
	{ 0x11, "XY_SETUP_MONO_PATTERN_SL_BLT" }, { 0x24, "XY_PIXEL_BLT" },
	{ 0x25, "XY_SCANLINES_BLT" }, { 0x26, "XY_TEXT_BLT" },
	{ 0x31, "XY_TEXT_IMMEDIATE_BLT" }, { 0x42, "XY_FAST_COPY_BLT" },
	{ 0x50, "XY_COLOR_BLT" }, { 0x51, "XY_PAT_BLT" },
	{ 0x52, "XY_MONO_PAT_BLT" }, { 0x53, "XY_SRC_COPY_BLT" },
	{ 0x54, "XY_MONO_SRC_COPY_BLT" }, { 0x55, "XY_FULL_BLT" },
};

const char *vgt_audit_reason_name(enum vgt_audit_reason r)
{
	static const char *const names[VGT_AUDIT_NR] = {
		"ok", "unknown-opcode", "truncated", "privileged",
		"outside-slice", "too-large", "wraps", "bad-index",
		"depth", "budget",
	};

	return (unsigned int)r < VGT_AUDIT_NR ? names[r] : "?";
}

struct walk {
	const struct vgt_audit_ctx *ctx;
	struct vgt_audit_result *out;
	size_t dwords;		/* budget used */
};

static int refuse(struct walk *w, enum vgt_audit_reason r, size_t dword,
		  unsigned int depth, const char *cmd, uint64_t addr, uint64_t size)
{
	*w->out = (struct vgt_audit_result){ r, dword, depth, cmd, addr, size };
	return -EACCES;
}

static enum vgt_audit_reason check_range(const struct vgt_audit_ctx *c,
					 uint64_t addr, uint64_t size)
{
	if (size > c->max_surface)
		return VGT_AUDIT_TOO_LARGE;
	if (addr >= ADDR_LIMIT || size > ADDR_LIMIT - addr)
		return VGT_AUDIT_WRAPS;
	if ((addr >= c->mappable_base && addr - c->mappable_base < c->mappable_size &&
	     size <= c->mappable_size - (addr - c->mappable_base)) ||
	    (addr >= c->hidden_base && addr - c->hidden_base < c->hidden_size &&
	     size <= c->hidden_size - (addr - c->hidden_base)))
		return VGT_AUDIT_OK;
	return VGT_AUDIT_OUTSIDE_SLICE;
}

static uint64_t addr64(const uint32_t *p, uint32_t low_mask)
{
	return ((uint64_t)(p[1] & 0xffff) << 32) | (p[0] & low_mask);
}

static int walk_buffer(struct walk *w, const uint32_t *dw, size_t n,
		       unsigned int depth);

/* Post-sync writes relative to the hardware status page stay inside it. */
static int check_index(struct walk *w, uint32_t offset, size_t at,
		       unsigned int depth, const char *name)
{
	uint64_t addr = offset & ~7u;

	return addr < HWSP_SIZE ? 0 :
	       refuse(w, VGT_AUDIT_BAD_INDEX, at, depth, name, addr, 8);
}

/* Shortest length and address dword of the MI commands with an operand. */
static const struct {
	unsigned int min_len, addr_dw;
} operand_layout[] = {
	[OP_STORE_DATA] = { 4, 1 },
	[OP_REG_MEM] = { 4, 2 },
	[OP_FLUSH_DW] = { 3, 1 },
	[OP_ATOMIC] = { 3, 1 },
	[OP_BB_START] = { 3, 1 },
};

static int follow_batch(struct walk *w, const struct mi_desc *d, uint64_t addr,
			size_t at, unsigned int depth)
{
	const struct vgt_audit_ctx *c = w->ctx;
	const uint32_t *b;
	size_t bn = 0;

	if (!c->fetch)
		return 0;
	if (depth + 1 > c->max_depth)
		return refuse(w, VGT_AUDIT_DEPTH, at, depth, d->name, addr, 4);
	b = c->fetch(c->priv, addr, &bn);
	return b ? walk_buffer(w, b, bn, depth + 1) : 0;
}

/* The GGTT operand of an MI command, if it has one: address and size. */
static int mi_operand(struct walk *w, const struct mi_desc *d, const uint32_t *p,
		      size_t len, size_t at, unsigned int depth)
{
	unsigned int min_len = 0;
	uint64_t addr = 0, size = 4;
	enum vgt_audit_reason r;
	bool ggtt = p[0] & GGTT_BIT;

	if (d->operand == OP_PRIVILEGED)
		return refuse(w, VGT_AUDIT_PRIVILEGED, at, depth, d->name, 0, 0);
	if (d->operand == OP_SEMAPHORE)
		return ggtt ? refuse(w, VGT_AUDIT_PRIVILEGED, at, depth, d->name, 0, 0) : 0;
	if (d->operand == OP_FLUSH_DW && !((p[0] >> 14) & 3))
		return 0;	/* no post-sync write */
	if ((size_t)d->operand < sizeof(operand_layout) / sizeof(operand_layout[0]))
		min_len = operand_layout[d->operand].min_len;
	if (!min_len)
		return 0;
	if (len < min_len)
		return refuse(w, VGT_AUDIT_TRUNCATED, at, depth, d->name, 0, 0);
	addr = addr64(p + operand_layout[d->operand].addr_dw, ~3u);

	switch (d->operand) {
	case OP_STORE_DATA:
		size = (p[0] & (1u << 21)) ? 8 : 4 * (len - 3);
		break;
	case OP_FLUSH_DW:
		if (p[0] & (1u << 21))
			return check_index(w, p[1], at, depth, d->name);
		ggtt = p[1] & (1u << 2);	/* MI_FLUSH_DW_USE_GTT */
		addr &= ~7ULL;
		size = 8;
		break;
	case OP_ATOMIC:
		size = 4u << ((p[0] >> 19) & 3);
		break;
	case OP_BB_START:
		if (p[0] & (1u << 8))
			return 0;	/* PPGTT batch: shadowed by the host */
		r = check_range(w->ctx, addr, 4);
		if (r)
			return refuse(w, r, at, depth, d->name, addr, 4);
		return follow_batch(w, d, addr, at, depth);
	default:
		break;
	}
	if (!ggtt)
		return 0;
	r = check_range(w->ctx, addr, size);
	return r ? refuse(w, r, at, depth, d->name, addr, size) : 0;
}

/* PIPE_CONTROL (3/3/2/0): post-sync write with the global GTT bit. */
static int pipe_control(struct walk *w, const uint32_t *p, size_t len, size_t at,
			unsigned int depth)
{
	uint64_t addr;
	enum vgt_audit_reason r;

	if (len < 2 || !((p[1] >> 14) & 3))
		return 0;
	if (len < 4)
		return refuse(w, VGT_AUDIT_TRUNCATED, at, depth, "PIPE_CONTROL", 0, 0);
	if (p[1] & (1u << 21))	/* store data index: HWSP relative */
		return check_index(w, p[2], at, depth, "PIPE_CONTROL");
	if (!(p[1] & (1u << 24)))
		return 0;
	addr = addr64(p + 2, ~3u);
	r = check_range(w->ctx, addr, 8);
	return r ? refuse(w, r, at, depth, "PIPE_CONTROL", addr, 8) : 0;
}

/* Name and length of a client 2/3 command, or NULL when unknown. */
static const char *render_cmd(uint32_t h, size_t *len)
{
	unsigned int sub = (h >> 27) & 3, op = (h >> 24) & 7, subop = (h >> 16) & 0xff;
	size_t i;

	*len = (h & 0xff) + 2;
	if ((h >> 29) == 2) {
		for (i = 0; i < sizeof(blt_cmds) / sizeof(blt_cmds[0]); i++)
			if (blt_cmds[i].opcode == ((h >> 22) & 0x7f))
				return blt_cmds[i].name;
		return NULL;
	}
	if (sub == 1 && op == 1 && subop == 4) {
		*len = 1;
		return "PIPELINE_SELECT";
	}
	if (sub == 3 && op == 2 && subop == 0)
		return "PIPE_CONTROL";
	if (sub == 3 && op == 3 && subop == 0)
		return "3DPRIMITIVE";
	if (sub == 3 && (op == 0 || op == 1))
		return "3DSTATE";
	if (sub == 0 && op == 1 && subop <= 3)
		return "STATE_BASE_ADDRESS/STATE_SIP";
	if (sub == 2 && op == 0 && subop <= 4)
		return "MEDIA_STATE";
	if (sub == 2 && op == 1 && subop <= 5)
		return "MEDIA_OBJECT/GPGPU_WALKER";
	return NULL;
}

static int walk_buffer(struct walk *w, const uint32_t *dw, size_t n,
		       unsigned int depth)
{
	size_t i = 0;

	while (i < n) {
		uint32_t h = dw[i];
		const char *name = NULL;
		size_t len = 1, k;
		int ret = 0;

		if (w->dwords >= w->ctx->max_dwords)
			return refuse(w, VGT_AUDIT_BUDGET, i, depth, "buffer", 0, 0);
		if ((h >> 29) == 0) {
			unsigned int op = (h >> 23) & 0x3f;
			const struct mi_desc *d = NULL;

			for (k = 0; k < sizeof(mi_cmds) / sizeof(mi_cmds[0]); k++)
				if (mi_cmds[k].opcode == op)
					d = &mi_cmds[k];
			if (!d)
				return refuse(w, VGT_AUDIT_UNKNOWN_OPCODE, i, depth,
					      "MI_UNKNOWN", 0, 0);
			name = d->name;
			len = d->fixed_len ? 1 : (h & 0xff) + 2;
			if (len > n - i)
				return refuse(w, VGT_AUDIT_TRUNCATED, i, depth, name, 0, 0);
			ret = mi_operand(w, d, dw + i, len, i, depth);
			if (!ret && op == 0x0a)
				return 0;	/* MI_BATCH_BUFFER_END */
			if (!ret && op == 0x31 && !(h & (1u << 8)) && w->ctx->fetch)
				return 0;	/* the chained batch never returns */
		} else if ((h >> 29) == 2 || (h >> 29) == 3) {
			name = render_cmd(h, &len);
			if (!name)
				return refuse(w, VGT_AUDIT_UNKNOWN_OPCODE, i, depth,
					      (h >> 29) == 2 ? "BLT_UNKNOWN" : "RENDER_UNKNOWN",
					      0, 0);
			if (len > n - i)
				return refuse(w, VGT_AUDIT_TRUNCATED, i, depth, name, 0, 0);
			if (!strcmp(name, "PIPE_CONTROL"))
				ret = pipe_control(w, dw + i, len, i, depth);
		} else {
			return refuse(w, VGT_AUDIT_UNKNOWN_OPCODE, i, depth,
				      "CLIENT_UNKNOWN", 0, 0);
		}
		if (ret)
			return ret;
		w->dwords += len;
		i += len;
	}
	return 0;
}

int vgt_audit(const struct vgt_audit_ctx *ctx, const uint32_t *dw, size_t n_dw,
	      struct vgt_audit_result *out)
{
	struct vgt_audit_ctx c = *ctx;
	struct walk w = { &c, out, 0 };

	if (!dw && n_dw)
		return -EINVAL;
	if (!c.max_surface)
		c.max_surface = VGT_AUDIT_MAX_SURFACE;
	if (!c.max_depth)
		c.max_depth = 2;
	if (!c.max_dwords)
		c.max_dwords = 1u << 20;
	*out = (struct vgt_audit_result){ .reason = VGT_AUDIT_OK };
	return walk_buffer(&w, dw, n_dw, 0);
}

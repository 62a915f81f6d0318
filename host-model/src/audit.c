// SPDX-License-Identifier: MIT
/*
 * Command address audit for gen9 (Skylake) command streams.
 *
 * Why. With ballooning the host does not translate graphics addresses: a
 * guest's commands reach the GPU with the GGTT addresses the guest wrote,
 * and the GGTT is shared by every vGPU and the host. Isolation then rests
 * on refusing any command that would touch GGTT memory outside the
 * submitter's slices (mappable and hidden, and with PVINFO 1.1 any further
 * ones: scattered slices, the union during a re-balloon).
 *
 * Threat model. The guest controls every dword of its rings and batches. A
 * malicious guest can try to:
 *  - aim an explicit GGTT operand (store immediate, register load/store
 *    from memory, flush or pipe-control post-sync write, atomic, memory
 *    copy, semaphore or conditional-end read, batch start) at another
 *    vGPU's or the host's memory;
 *  - aim a blit's destination or source, whose address is GGTT in a ring
 *    or GGTT batch, there, or make its rectangle and pitch reach past the
 *    slice;
 *  - start the operand inside its slice and let it run past the slice end,
 *    or past 2^48 so it wraps to low addresses, or make it huge;
 *  - hide a command from the audit: a bogus length that desynchronises the
 *    decoder, an opcode the audit does not know, a command of another
 *    engine, a command cut by the end of the buffer, a batch that runs off
 *    its end, a predicated batch start the hardware may fall through, a
 *    batch end that MI_SET_PREDICATE may turn into a no-op;
 *  - use the store-data-index forms to write beyond the status page;
 *  - load registers that hold addresses or engine control (the status
 *    page address, PPGTT roots, OA buffers...) with MI_LOAD_REGISTER_IMM,
 *    _REG, _MEM or a PIPE_CONTROL register write, then let the hardware
 *    use them, or read registers that are not its own;
 *  - use commands whose memory effect cannot be bounded here (MI_UPDATE_GTT
 *    writes the GGTT itself; perf reports, cache-line flushes, URB and
 *    resource-streamer memory, display flips, the pattern and text blits);
 *  - exhaust the host: batches chaining into themselves, deep chains, or
 *    enormous streams.
 *
 * What the audit guarantees, for the dwords it is given and the batches it
 * follows, on the engine it is told: each command is decoded by the one
 * gen9 decoder (cmd_decode.c) with the length the hardware would use; an
 * unknown opcode, a length the command cannot have, or a command cut short
 * is refused, never skipped. Every GGTT operand [addr, addr + size) the
 * decoder reports, including the byte ranges of 2D surfaces, lies wholly
 * inside one slice, is computed without overflow in the 48-bit address
 * space and is at most max_surface bytes. Store-data-index writes stay
 * inside the 4 KiB hardware status page. Every register a command reads or
 * writes is on the list below of registers a guest context may use. The
 * commands above that cannot be bounded are refused. Every path the
 * hardware may take is audited: after a predicated batch start the stream
 * is read on as well as the batch followed, after a conditional batch end
 * the batch is read on, and inside an MI_SET_PREDICATE scope only the
 * commands the PRM allows there are accepted (no batch start or end), and
 * the scope must close in the same buffer. XY_PIXEL_BLT and the other
 * draws that use the blitter's setup state are accepted only after an
 * XY_SETUP_BLT of the same buffer whose clip rectangle bounded them.
 * Batch starts in GGTT mode must point inside a slice; with a fetch
 * callback they are followed (nesting rules of gen9: the ring may start a
 * first-level batch, which may chain or call one second level, which may
 * start nothing), never reading past the slice that holds them, within a
 * depth and a dword budget, and a chain back into a batch already on the
 * path is refused as a loop. Each refusal has its own reason, the command's
 * name, its offset and the operand.
 *
 * What it does not do: PPGTT operands and PPGTT batches are not checked or
 * followed (the host shadows PPGTTs): the 2D surfaces of a buffer the
 * caller says is a PPGTT batch are PPGTT ranges, those of the ring and of
 * GGTT batches are checked as GGTT ranges. Implicit addresses
 * of 3D, media, MFX and VEBOX commands (surface and state base addresses,
 * vertex and index buffers) are not audited: they are PPGTT in the usual
 * guest batch, and the executor completes these commands as no-ops, but
 * hardware running a ring or GGTT batch would use them as GGTT addresses.
 * Register values are not checked, only which registers (the list holds
 * no register whose value is an address). Commands are not rewritten
 * (GVT-g patches index-mode writes to absolute addresses; here they are
 * only bounded). The audit says nothing about what happens if the memory
 * changes after it ran: the caller must audit a private copy (GVT-g
 * shadows batches).
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vgt_audit.h"
#include "vgt_cmd.h"
#include "vgt_regs.h"

#define GM_LIMIT	(1ULL << 48)
#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

_Static_assert((int)VGT_AUDIT_UNKNOWN_OPCODE == (int)VGT_DECODE_UNKNOWN &&
	       (int)VGT_AUDIT_TRUNCATED == (int)VGT_DECODE_TRUNCATED &&
	       (int)VGT_AUDIT_BAD_LENGTH == (int)VGT_DECODE_BAD_LENGTH,
	       "audit reasons start with the decoder's statuses");

/*
 * Registers a guest context may access from its command stream, as GVT-g
 * marks them F_CMD_ACCESS (gvt/handlers.c), narrowed to what is saved in
 * the logical context or is the context's own scratch, and widened to what
 * a 6.1 guest and its userspace load: the gen9 context workarounds
 * (gt/intel_workarounds.c, skl/gen9_ctx_workarounds_init, whitelist
 * builds) and the indirect-context batch (gt/intel_lrc.c,
 * gen9_init_indirectctx_bb: L3SQCREG4, FF_SLICE_CHICKEN, 3D_CHICKEN3); the
 * registers i915's own parser lets gen9 userspace use (i915_cmd_parser.c);
 * Mesa's predication, indirect draw/dispatch, query and L3 registers; the
 * OA configuration i915 perf loads (i915_perf.c); IGT's GPR, timestamp and
 * BCS_SWCTRL use. Left out on purpose: every register holding an address
 * (RING_HWS_PGA, PDPs, RING_START, BB addresses, OA buffer pointers, TR-TT
 * tables), engine control (RING_MODE, MI_MODE with its stop bit,
 * FORCE_TO_NONPRIV, which would unlock any register), the global clock,
 * power and arbitration registers, and MOCS (global on gen9).
 *
 * Gen7 (Haswell) adds the aliasing PPGTT's directory registers, which 6.1
 * loads from the ring on every address-space switch (load_pd_dir), and
 * RING_PSMI_CTL (mi_set_context). Their value cannot lead the engine out
 * of the vGPU: the directory is read through the vGPU's own GGTT PTE slots
 * only (gm.c), so a foreign or absurd RING_PP_DIR_BASE is a fault. And
 * the L3 partitioning registers Mesa's gen7 drivers load at context start,
 * which 6.1's own Haswell command parser lets userspace load
 * (gen7_render_regs, hsw_render_regs in i915_cmd_parser.c).
 */
enum { RD = 1, WR = 2, RW = RD | WR };
#define GEN7_ONLY 0x40	/* only in a gen7 (Haswell) command stream */
#define ENG_REL	0x80	/* offsets from the engine's MMIO base */

struct reg_range {
	uint32_t first, last;	/* dword offsets, inclusive */
	uint8_t engines, access;
};

#define E(e)	(1u << (e))
#define ALL	(E(VGT_RCS) | E(VGT_BCS) | E(VGT_VCS) | E(VGT_VECS))
#define RCS	E(VGT_RCS)

static const struct reg_range guest_regs[] = {
	{ 0x094, 0x094, ALL, RW | ENG_REL },	/* NOPID (MI_NOOP bit 22) */
	{ RING_INSTPM, RING_INSTPM, ALL, RW | ENG_REL },	/* masked (gen8 ctx wa) */
	{ RING_TIMESTAMP, RING_TIMESTAMP_UDW, ALL, RD | ENG_REL },
	{ RING_CTX_TIMESTAMP, RING_CTX_TIMESTAMP, ALL, RW | ENG_REL },
	{ MI_PREDICATE_RESULT_2, MI_PREDICATE_RESULT_2, RCS, RW | ENG_REL },
	{ MI_PREDICATE_SRC0, MI_PREDICATE_RESULT_1, RCS, RW | ENG_REL },	/* SRC0..RESULT_1 */
	{ GEN8_RING_CS_GPR(0), GEN8_RING_CS_GPR(VGT_CS_GPRS) - 4, ALL, RW | ENG_REL },
	{ 0x2088, 0x2088, RCS, RW },		/* FF_SLICE_CHICKEN */
	{ 0x2090, 0x2090, RCS, RW },		/* 3D_CHICKEN3 */
	{ 0x20d8, 0x20d8, RCS, RW },		/* CS_DEBUG_MODE2 (iris; in GVT-g's context list) */
	{ 0x20e0, 0x20e4, RCS, RW },		/* FF_SLICE_CS_CHICKEN1/2 */
	{ 0x20ec, 0x20ec, RCS, RW },		/* CS_DEBUG_MODE1 */
	{ 0x2248, 0x2248, RCS, RW },		/* CTX_PREEMPT_REG (whitelisted) */
	{ 0x2290, 0x2294, RCS, RW },		/* GPGPU_THREADS_DISPATCHED */
	{ 0x2300, 0x2354, RCS, RW },		/* pipeline statistics, PS_DEPTH_COUNT */
	{ 0x2420, 0x2420, RCS, RW },		/* 3DPRIM_END_OFFSET */
	{ 0x2430, 0x2440, RCS, RW },		/* 3DPRIM_START_VERTEX..BASE_VERTEX */
	{ 0x2500, 0x2508, RCS, RW },		/* GPGPU_DISPATCHDIM X/Y/Z */
	{ 0x2580, 0x2580, RCS, RW },		/* CS_CHICKEN1 (whitelisted) */
	{ 0x2710, 0x272c, RCS, RW },		/* OA: OASTARTTRIG1..8 */
	{ 0x2740, 0x275c, RCS, RW },		/* OA: OAREPORTTRIG1..8 */
	{ 0x2770, 0x27ac, RCS, RW },		/* OA: OACEC0..7 */
	{ 0x5200, 0x521c, RCS, RW },		/* SO_NUM_PRIMS_WRITTEN0..3 */
	{ 0x5240, 0x525c, RCS, RW },		/* SO_PRIM_STORAGE_NEEDED0..3 */
	{ 0x5280, 0x528c, RCS, RW },		/* SO_WRITE_OFFSET0..3 */
	{ 0x5588, 0x5588, RCS, RW },		/* WM_CHICKEN3 */
	{ 0x7000, 0x7008, RCS, RW },		/* CACHE_MODE_0/1, GT_MODE */
	{ 0x7010, 0x7018, RCS, RW },		/* COMMON_SLICE_CHICKEN1/2, HIZ_CHICKEN */
	{ 0x7034, 0x7034, RCS, RW },		/* L3CNTLREG (Mesa's L3 config) */
	{ 0x7300, 0x7304, RCS, RW },		/* HDC_CHICKEN0/1 */
	{ 0x731c, 0x731c, RCS, RW },		/* SLICE_COMMON_ECO_CHICKEN1 */
	{ 0x91b8, 0x91cc, RCS, RW },		/* OA: PERFCNT1/2, PERFMATRIX */
	{ 0x9800, 0x9888, RCS, RW },		/* OA: NOA mux, NOA_WRITE */
	{ 0xa01c, 0xa01c, RCS, RD },		/* RPSTAT1 (Mesa's perf queries) */
	{ 0xb118, 0xb118, RCS, RW },		/* L3SQCREG4 (ctx wa batch, whitelisted) */
	{ 0xe100, 0xe100, RCS, RW },		/* HALF_SLICE_CHICKEN1 */
	{ 0xe180, 0xe188, RCS, RW },		/* HALF_SLICE_CHICKEN2/3/5 */
	{ 0xe194, 0xe194, RCS, RW },		/* HALF_SLICE_CHICKEN7 */
	{ 0xe458, 0xe45c, RCS, RW },		/* OA: EU_PERF_CNTL0/4 */
	{ 0xe4f0, 0xe4f4, RCS, RW },		/* ROW_CHICKEN, ROW_CHICKEN2 */
	{ 0xe558, 0xe55c, RCS, RW },		/* OA: EU_PERF_CNTL1/5 */
	{ 0xe658, 0xe65c, RCS, RW },		/* OA: EU_PERF_CNTL2/6 */
	{ 0xe758, 0xe758, RCS, RW },		/* OA: EU_PERF_CNTL3 */
	{ BCS_SWCTRL, BCS_SWCTRL, E(VGT_BCS), RW },	/* blit tiling */
	{ RING_PSMI_CTL, RING_PSMI_CTL, ALL, RW | ENG_REL | GEN7_ONLY },
	/* mi_set_context on RCS parks the other rings' sleep messages */
	{ GEN6_BSD_RING_BASE + RING_PSMI_CTL, GEN6_BSD_RING_BASE + RING_PSMI_CTL, RCS,
	  RW | GEN7_ONLY },
	{ VEBOX_RING_BASE + RING_PSMI_CTL, VEBOX_RING_BASE + RING_PSMI_CTL, RCS, RW | GEN7_ONLY },
	{ BLT_RING_BASE + RING_PSMI_CTL, BLT_RING_BASE + RING_PSMI_CTL, RCS, RW | GEN7_ONLY },
	{ RING_PP_DIR_DCLV, RING_PP_DIR_DCLV, ALL, RW | ENG_REL | GEN7_ONLY },
	{ RING_PP_DIR_BASE, RING_PP_DIR_BASE, ALL, RW | ENG_REL | GEN7_ONLY },
	/* Mesa crocus's L3 configuration (i915's gen7/HSW parser allows it) */
	{ 0xb010, 0xb010, RCS, RW | GEN7_ONLY },	/* GEN7_L3SQCREG1 */
	{ 0xb020, 0xb024, RCS, RW | GEN7_ONLY },	/* GEN7_L3CNTLREG2/3 */
	{ 0xb038, 0xb038, RCS, RW | GEN7_ONLY },	/* HSW_SCRATCH1 */
	{ 0xe49c, 0xe49c, RCS, RW | GEN7_ONLY },	/* HSW_ROW_CHICKEN3 */
};

/* May the context on engine @e access register @offset (read, or write)? */
static bool guest_reg(enum vgt_platform p, enum vgt_engine_id e, uint32_t offset, bool write)
{
	uint32_t base = vgt_engine_mmio_base(e), off;
	size_t i;

	for (i = 0; i < ARRAY_LEN(guest_regs); i++) {
		const struct reg_range *r = &guest_regs[i];

		if (!(r->engines & E(e)) || !(r->access & (write ? WR : RD)) ||
		    ((r->access & GEN7_ONLY) && p != VGT_PLATFORM_HSW))
			continue;
		off = r->access & ENG_REL ? offset - base : offset;
		if ((r->access & ENG_REL) && offset < base)
			continue;
		if (off >= r->first && off <= r->last)
			return true;
	}
	return false;
}

static const struct {
	const char *name, *desc;
} reasons[VGT_AUDIT_NR] = {
	[VGT_AUDIT_OK] = { "ok", "no refusal" },
	[VGT_AUDIT_UNKNOWN_OPCODE] = { "unknown-opcode", "not a gen9 command of this engine" },
	[VGT_AUDIT_TRUNCATED] = { "truncated", "command runs past the end of the buffer" },
	[VGT_AUDIT_BAD_LENGTH] = { "bad-length", "length field wrong for the command" },
	[VGT_AUDIT_PRIVILEGED] = { "privileged", "command refused whatever its operands" },
	[VGT_AUDIT_OUTSIDE_SLICE] = { "outside-slice", "GGTT operand not wholly inside one slice" },
	[VGT_AUDIT_TOO_LARGE] = { "too-large", "operand larger than the maximum surface size" },
	[VGT_AUDIT_WRAPS] = { "wraps", "operand runs past the 48-bit address space" },
	[VGT_AUDIT_BAD_INDEX] = { "bad-index", "store-data-index write leaves the status page" },
	[VGT_AUDIT_BAD_NESTING] = { "bad-nesting", "batch start not allowed at this batch level" },
	[VGT_AUDIT_UNTERMINATED] = { "unterminated", "batch ends without MI_BATCH_BUFFER_END" },
	[VGT_AUDIT_UNREADABLE] = { "unreadable-batch", "no memory behind a batch start" },
	[VGT_AUDIT_CHAIN_LOOP] = { "chain-loop", "batch chains back into its own path" },
	[VGT_AUDIT_DEPTH] = { "depth", "too many batches followed on one path" },
	[VGT_AUDIT_BUDGET] = { "budget", "dword budget exhausted" },
	[VGT_AUDIT_REGISTER] = { "register", "register a guest context may not access" },
	[VGT_AUDIT_PREDICATION] = { "predication",
				    "command not allowed in an MI_SET_PREDICATE scope" },
	[VGT_AUDIT_BLIT_STATE] = { "blit-state",
				   "2D draw without a bounded XY_SETUP_BLT in this buffer" },
};

const char *vgt_audit_reason_name(enum vgt_audit_reason r)
{
	return (unsigned int)r < VGT_AUDIT_NR ? reasons[r].name : "?";
}

const char *vgt_audit_reason_desc(enum vgt_audit_reason r)
{
	return (unsigned int)r < VGT_AUDIT_NR ? reasons[r].desc : "?";
}

/* Buffer levels, as the hardware nests them. */
enum level { LVL_RING, LVL_FIRST, LVL_SECOND };

/* Returned by a command check: go on with the next command, or stop here. */
enum { NEXT = 0, STOP = 1 };

struct walk {
	const struct vgt_audit_ctx *ctx;	/* defaults applied */
	struct vgt_audit_result *out;
	size_t used;				/* dwords decoded so far */
	/* Scanned part of the batch at each depth (1..depth) of this path. */
	struct { uint64_t start, end; } path[VGT_AUDIT_DEPTH_MAX + 1];
};

/* Where the command being checked is, and what its buffer has set so far. */
struct site {
	const uint32_t *p;	/* its dwords */
	size_t at;		/* offset in its buffer */
	unsigned int depth;
	enum level level;
	uint64_t batch;		/* GGTT address of its buffer (depth > 0) */
	struct vgt_cmd cmd;
	bool pred_scope;	/* inside an MI_SET_PREDICATE scope */
	bool blit_setup;	/* a bounded XY_SETUP_BLT loaded the blitter */
};

static int refuse(struct walk *w, const struct site *s, enum vgt_audit_reason r,
		  uint64_t addr, uint64_t size)
{
	*w->out = (struct vgt_audit_result){
		.reason = r, .dword = s->at, .depth = s->depth, .batch = s->batch,
		.command = s->cmd.name, .header = s->p ? s->p[0] : 0,
		.addr = addr, .size = size,
	};
	return -EACCES;
}

/* Is [addr, addr + size) wholly inside [base, base + len)? No overflow. */
static bool inside(uint64_t addr, uint64_t size, uint64_t base, uint64_t len)
{
	return addr >= base && addr - base < len && size <= len - (addr - base);
}

/* The slice wholly holding [addr, addr + size) in *base, *len, if any. */
static bool slice_of(const struct vgt_audit_ctx *c, uint64_t addr, uint64_t size,
		     uint64_t *base, uint64_t *len)
{
	unsigned int i;

	for (i = 0; i < 2 + c->nr_more; i++) {
		uint64_t b = i == 0 ? c->mappable_base : i == 1 ? c->hidden_base : c->more[i - 2].base;
		uint64_t l = i == 0 ? c->mappable_size : i == 1 ? c->hidden_size : c->more[i - 2].size;

		if (inside(addr, size, b, l)) {
			*base = b;
			*len = l;
			return true;
		}
	}
	return false;
}

static enum vgt_audit_reason check_range(const struct vgt_audit_ctx *c,
					 uint64_t addr, uint64_t size)
{
	uint64_t base, len;

	if (size > c->max_surface)
		return VGT_AUDIT_TOO_LARGE;
	if (addr >= GM_LIMIT || size > GM_LIMIT - addr)
		return VGT_AUDIT_WRAPS;
	return slice_of(c, addr, size, &base, &len) ? VGT_AUDIT_OK : VGT_AUDIT_OUTSIDE_SLICE;
}

/* Every memory operand and register of the command, in the decoder's order. */
static int check_accesses(struct walk *w, const struct site *s)
{
	struct vgt_cmd_operand op[VGT_CMD_MAX_OPERANDS];
	enum vgt_engine_id e = w->ctx->engine;
	unsigned int i, n = 0;
	enum vgt_audit_reason r;
	struct vgt_cmd_reg reg;

	if (s->cmd.flags & VGT_CMD_MEMORY)
		n = vgt_cmd_operands(e, &s->cmd, s->p, op);

	for (i = 0; i < n; i++) {
		switch (op[i].as) {
		case VGT_AS_PPGTT:	/* the host shadows PPGTTs */
			continue;
		case VGT_AS_HWSP:
			if (op[i].addr >= VGT_AUDIT_HWSP_SIZE ||
			    op[i].size > VGT_AUDIT_HWSP_SIZE - op[i].addr)
				return refuse(w, s, VGT_AUDIT_BAD_INDEX, op[i].addr, op[i].size);
			continue;
		case VGT_AS_BATCH:	/* 2D surfaces: in the space of the buffer */
			if (w->ctx->ppgtt && !s->depth)
				continue;	/* a PPGTT batch's */
			/* fall through */
		case VGT_AS_GGTT:	/* a GGTT buffer's surfaces are GGTT ranges too */
			r = check_range(w->ctx, op[i].addr, op[i].size);
			if (r)
				return refuse(w, s, r, op[i].addr, op[i].size);
			continue;
		}
	}
	n = s->cmd.flags & VGT_CMD_REGISTERS ? vgt_cmd_nregs(&s->cmd, s->p) : 0;
	for (i = 0; i < n; i++) {
		reg = vgt_cmd_reg(e, &s->cmd, s->p, i);
		if (!guest_reg(w->ctx->platform, e, reg.offset, reg.write))
			return refuse(w, s, VGT_AUDIT_REGISTER, reg.offset, 4);
	}
	return NEXT;
}

static int walk_buffer(struct walk *w, const uint32_t *dw, size_t n,
		       enum level level, unsigned int depth, uint64_t batch);

/*
 * MI_BATCH_BUFFER_START. Gen8+: bit 8 set selects PPGTT, bit 22 a
 * second-level (returning) batch, bit 15 on RCS predication. From the
 * ring, the batch returns to the ring at its end; from a first-level batch
 * without bit 22 it is a jump, after which nothing of this batch runs,
 * unless the start is predicated: then the hardware may as well fall
 * through, and both paths are audited.
 */
static int bb_start(struct walk *w, const struct site *s)
{
	const struct vgt_audit_ctx *c = w->ctx;
	bool second = s->cmd.flags & VGT_CMD_SECOND_LEVEL;
	bool jump = s->level == LVL_FIRST && !second;
	int after = jump && !(s->cmd.flags & VGT_CMD_PREDICATED) ? STOP : NEXT;
	struct vgt_cmd_operand op[VGT_CMD_MAX_OPERANDS];
	uint64_t addr, base, len;
	const uint32_t *b;
	size_t bn = 0;
	unsigned int d;
	int ret;

	if (s->level == LVL_SECOND || (second && s->level == LVL_RING))
		return refuse(w, s, VGT_AUDIT_BAD_NESTING, 0, 0);
	if (vgt_cmd_operands(c->engine, &s->cmd, s->p, op) != 1 || op[0].as != VGT_AS_GGTT)
		return after;		/* PPGTT batch: the host shadows PPGTTs */
	addr = op[0].addr;
	ret = check_accesses(w, s);
	if (ret || !c->fetch)
		return ret ? ret : after;

	if (jump)	/* returning into the path never ends */
		for (d = 1; d <= s->depth; d++)
			if (addr >= w->path[d].start && addr < w->path[d].end)
				return refuse(w, s, VGT_AUDIT_CHAIN_LOOP, addr, 4);
	if (s->depth + 1 > c->max_depth)
		return refuse(w, s, VGT_AUDIT_DEPTH, addr, 4);
	b = c->fetch(c->priv, addr, &bn);
	/* Never read beyond the slice that holds the batch (checked above). */
	if (!slice_of(c, addr, 4, &base, &len))
		return refuse(w, s, VGT_AUDIT_OUTSIDE_SLICE, addr, 4);
	if ((base + len - addr) / 4 < bn)
		bn = (base + len - addr) / 4;
	if (!b || !bn)
		return refuse(w, s, VGT_AUDIT_UNREADABLE, addr, 4);
	ret = walk_buffer(w, b, bn, s->level == LVL_RING ? LVL_FIRST :
			  second ? LVL_SECOND : LVL_FIRST, s->depth + 1, addr);
	return ret ? ret : after;
}

/* The checks of one decoded command. */
static int check_cmd(struct walk *w, struct site *s)
{
	const struct vgt_cmd *cmd = &s->cmd;
	int ret;

	/*
	 * MI_SET_PREDICATE may turn what follows into no-ops: only the
	 * commands the PRM allows in its scope, none that steers the stream.
	 */
	if (s->pred_scope && !(cmd->flags & VGT_CMD_PRED_SCOPE_OK))
		return refuse(w, s, VGT_AUDIT_PREDICATION, 0, 0);
	if (cmd->op == VGT_OP_REFUSE)
		return refuse(w, s, VGT_AUDIT_PRIVILEGED, 0, 0);
	if (cmd->op == VGT_OP_BB_START) {
		s->blit_setup = false;	/* the batch may load other state */
		return bb_start(w, s);
	}
	if (cmd->flags & (VGT_CMD_MEMORY | VGT_CMD_REGISTERS)) {
		ret = check_accesses(w, s);
		if (ret)
			return ret;
	}
	if (cmd->flags & VGT_CMD_BLT_USES_SETUP) {
		if (!s->blit_setup)
			return refuse(w, s, VGT_AUDIT_BLIT_STATE, 0, 0);
	} else if (cmd->client == 2) {	/* any other blit reloads the state */
		s->blit_setup = (cmd->flags & VGT_CMD_BLT_SETUP) &&
				(cmd->flags & VGT_CMD_BLT_CLIPPED);
	}
	switch (cmd->op) {
	case VGT_OP_SET_PREDICATE:	/* enable 3:0, 0: predication off */
		s->pred_scope = cmd->header & 0xf;
		return NEXT;
	case VGT_OP_BB_END:	/* ends a batch; in a ring the audit reads on */
		return s->level == LVL_RING ? NEXT : STOP;
	default:		/* MI_CONDITIONAL_BATCH_BUFFER_END: may not end */
		return NEXT;
	}
}

static int walk_buffer(struct walk *w, const uint32_t *dw, size_t n,
		       enum level level, unsigned int depth, uint64_t batch)
{
	struct site s = { .depth = depth, .level = level, .batch = batch };
	enum vgt_decode_status st;
	size_t i = 0;
	int ret;

	while (i < n) {
		s.p = dw + i;
		s.at = i;
		st = vgt_cmd_decode_on(w->ctx->platform, w->ctx->engine, dw + i, n - i, &s.cmd);
		if (st)
			return refuse(w, &s, (enum vgt_audit_reason)st, 0, 0);
		if (s.cmd.len > w->ctx->max_dwords - w->used)
			return refuse(w, &s, VGT_AUDIT_BUDGET, 0, 0);
		w->used += s.cmd.len;
		if (depth) {
			w->path[depth].start = batch;
			w->path[depth].end = batch + 4 * (uint64_t)(i + s.cmd.len);
		}
		ret = check_cmd(w, &s);
		if (ret < 0)
			return ret;
		if (ret == STOP)
			return 0;
		i += s.cmd.len;
	}
	s.p = NULL;
	s.at = n;
	s.cmd.name = "END_OF_BUFFER";
	if (level != LVL_RING)
		return refuse(w, &s, VGT_AUDIT_UNTERMINATED, 0, 0);
	return s.pred_scope ? refuse(w, &s, VGT_AUDIT_PREDICATION, 0, 0) : 0;
}

int vgt_audit(const struct vgt_audit_ctx *ctx, const uint32_t *dw, size_t n_dw,
	      struct vgt_audit_result *out)
{
	struct vgt_audit_ctx c;
	struct walk w;
	unsigned int i;

	if (!ctx || !out || (!dw && n_dw))
		return -EINVAL;
	c = *ctx;
	if (c.nr_more > VGT_AUDIT_MAX_MORE || (c.nr_more && !c.more))
		return -EINVAL;
	for (i = 0; i < c.nr_more; i++)
		if (c.more[i].base > GM_LIMIT || c.more[i].size > GM_LIMIT - c.more[i].base)
			return -EINVAL;
	if (c.mappable_base > GM_LIMIT || c.mappable_size > GM_LIMIT - c.mappable_base ||
	    c.hidden_base > GM_LIMIT || c.hidden_size > GM_LIMIT - c.hidden_base ||
	    (c.buffer != VGT_AUDIT_RING && c.buffer != VGT_AUDIT_BATCH) ||
	    (unsigned int)c.engine >= VGT_ENGINE_NR || c.max_depth > VGT_AUDIT_DEPTH_MAX)
		return -EINVAL;
	if (!c.max_surface)
		c.max_surface = VGT_AUDIT_MAX_SURFACE;
	if (!c.max_depth)
		c.max_depth = VGT_AUDIT_DEF_DEPTH;
	if (!c.max_dwords)
		c.max_dwords = VGT_AUDIT_DEF_DWORDS;
	w.ctx = &c;
	w.out = out;
	w.used = 0;
	*out = (struct vgt_audit_result){ .reason = VGT_AUDIT_OK, .command = "" };
	return walk_buffer(&w, dw, n_dw,
			   c.buffer == VGT_AUDIT_BATCH ? LVL_FIRST : LVL_RING, 0, 0);
}

// SPDX-License-Identifier: MIT
/*
 * The gen9 (Skylake) command decoder shared by the audit and the executor.
 *
 * Why one decoder: the audit proves that a stream only touches the
 * submitter's memory, the executor then runs it. If the two decoded a
 * command differently (its length, its address bits, which engine has it)
 * the audit would vouch for a stream the executor reads otherwise. So the
 * tables, the length rules and the operand decoding live here only.
 *
 * Formats. A header's client is bits 31:29: 0 MI (opcode 28:23), 2 the 2D
 * blitter (opcode 28:22, BCS only), 3 the engine's own pipeline: 3D/media on
 * RCS, MFX/HCP/HuC/VDEnc/SFC on VCS, VEBOX/SFC on VECS, all indexed by
 * pipeline 28:27, opcode 26:24 and sub-opcode 23:16 (on the video engines
 * sub-opcode A 23:21 and B 20:16). Lengths are "field + 2" dwords with the
 * field as wide as gen9 defines it for that command (MI 6, 8 or 10 bits,
 * 3D and GPGPU 8, media 16, MFX/VEBOX 12, 2D 8); one-dword commands have
 * no field. Sources: the gen9 PRM command descriptions as Intel's media
 * driver and Mesa encode them, the i915 6.1 headers, and GVT-g's table
 * (test_decode.c lists where we differ from GVT-g and why).
 *
 * Haswell (gen7.5) is the same decoder with a table of the MI commands
 * that differ (mi_hsw: the gen7 lengths, MI_SET_CONTEXT, and the gen8+
 * commands it lacks) and the gen7 operand layouts: 32-bit graphics
 * addresses, MI_STORE_DATA_IMM's address in dword 2, MI_FLUSH_DW's in
 * dword 1 with its data in 2, PIPE_CONTROL's data in dword 3 (Linux 6.1's
 * gen7 emitters in gt/gen6_engine_cs.c and intel_gpu_commands.h).
 *
 * A command whose form is valid but whose memory effect this decoder does
 * not bound (MI_UPDATE_GTT, display flips, resource-streamer and URB
 * memory, the legacy pattern/mono/text blits) decodes with VGT_OP_REFUSE.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vgt_cmd.h"
#include "vgt_regs.h"

#define GM_MASK		((1ULL << 48) - 1)
#define RING_NOPID	0x094		/* written by MI_NOOP bit 22 */
#define REG_MASK	0x007ffffcu	/* MMIO offset bits a register command uses */
#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))
#define BIT(n)		(1u << (n))

#define E_R	BIT(VGT_RCS)
#define E_B	BIT(VGT_BCS)
#define E_V	BIT(VGT_VCS)
#define E_VE	BIT(VGT_VECS)
#define E_ALL	(E_R | E_B | E_V | E_VE)

/* How a command's operands, registers and finer length rules are decoded. */
enum kind {
	K_NONE,
	K_NOOP,		/* MI_NOOP: bit 22 writes NOPID */
	K_SDI,		/* MI_STORE_DATA_IMM */
	K_SDX,		/* MI_STORE_DATA_INDEX */
	K_LRI,
	K_LRM,
	K_SRM,
	K_LRR,
	K_FLUSH_DW,
	K_PIPE_CONTROL,
	K_SEMAPHORE,
	K_COND_BBE,
	K_COPY_MEM,
	K_ATOMIC,
	K_BBS,
	K_REPORT_HEAD,
	K_MFX_WAIT,	/* one dword whose 6-bit length field must be 0 */
	K_XY_COLOR,	/* dst rectangle */
	K_XY_SRC_COPY,	/* dst and src rectangles */
	K_XY_FAST_COPY,
	K_XY_SETUP,	/* the setup surface, bounded by its clip rectangle */
	K_COLOR_BLT,	/* linear width x height, no XY */
	K_SRC_COPY_BLT,
	K_SET_CONTEXT,	/* gen7 RCS: the render context image in the GGTT */
};

/*
 * One command. @bits is the width of the length field (the command is
 * field + 2 dwords); 0: a fixed @len. @len and @max bound the decoded
 * length (@max 0: whatever the field gives). @engines only matters in the
 * MI table, the other tables are per engine already.
 */
struct desc {
	const char *name;
	uint8_t bits, len, max, op, kind, engines, flags;
};

#define MI1(nm, o, k, eng)		{ nm, 0, 1, 1, o, k, eng, 0 }
#define MIV(nm, b, mn, mx, o, k, eng)	{ nm, b, mn, mx, o, k, eng, 0 }
#define PRED_OK				VGT_CMD_PRED_SCOPE_OK

/* Client 0 (MI), indexed by bits 28:23. */
static const struct desc mi_cmds[64] = {
	[0x00] = MI1("MI_NOOP", VGT_OP_NOP, K_NOOP, E_ALL),
	[0x01] = { "MI_SET_PREDICATE", 0, 1, 1, VGT_OP_SET_PREDICATE, K_NONE, E_ALL, PRED_OK },
	[0x02] = MI1("MI_USER_INTERRUPT", VGT_OP_USER_INTERRUPT, K_NONE, E_ALL),
	[0x03] = MI1("MI_WAIT_FOR_EVENT", VGT_OP_NOP, K_NONE, E_R | E_B),
	[0x04] = MI1("MI_FLUSH", VGT_OP_NOP, K_NONE, E_ALL),
	[0x05] = MI1("MI_ARB_CHECK", VGT_OP_NOP, K_NONE, E_ALL),
	[0x06] = MI1("MI_RS_CONTROL", VGT_OP_STATE, K_NONE, E_R),
	[0x07] = MI1("MI_REPORT_HEAD", VGT_OP_REPORT_HEAD, K_REPORT_HEAD, E_ALL),
	[0x08] = MI1("MI_ARB_ON_OFF", VGT_OP_ARB_ON_OFF, K_NONE, E_ALL),
	[0x09] = MI1("MI_URB_ATOMIC_ALLOC", VGT_OP_STATE, K_NONE, E_R),
	[0x0a] = MI1("MI_BATCH_BUFFER_END", VGT_OP_BB_END, K_NONE, E_ALL),
	[0x0b] = MI1("MI_SUSPEND_FLUSH", VGT_OP_NOP, K_NONE, E_ALL),
	[0x0c] = MI1("MI_PREDICATE", VGT_OP_PREDICATE, K_NONE, E_R),
	[0x0d] = MI1("MI_TOPOLOGY_FILTER", VGT_OP_STATE, K_NONE, E_ALL),
	[0x0e] = MI1("MI_SET_APPID", VGT_OP_STATE, K_NONE, E_ALL),
	[0x0f] = MI1("MI_RS_CONTEXT", VGT_OP_STATE, K_NONE, E_R),
	[0x12] = MIV("MI_LOAD_SCAN_LINES_INCL", 6, 2, 2, VGT_OP_NOP, K_NONE, E_R | E_B),
	[0x13] = MIV("MI_LOAD_SCAN_LINES_EXCL", 6, 2, 2, VGT_OP_NOP, K_NONE, E_R | E_B),
	[0x14] = MIV("MI_DISPLAY_FLIP", 8, 2, 0, VGT_OP_REFUSE, K_NONE, E_R | E_B),
	[0x1a] = MIV("MI_MATH", 8, 2, 0, VGT_OP_MATH, K_NONE, E_ALL),
	[0x1b] = MIV("MI_SEMAPHORE_SIGNAL", 8, 2, 2, VGT_OP_NOP, K_NONE, E_ALL),
	[0x1c] = MIV("MI_SEMAPHORE_WAIT", 8, 4, 4, VGT_OP_SEMAPHORE_WAIT, K_SEMAPHORE, E_ALL),
	[0x20] = MIV("MI_STORE_DATA_IMM", 10, 4, 5, VGT_OP_STORE_IMM, K_SDI, E_ALL),
	[0x21] = MIV("MI_STORE_DATA_INDEX", 8, 3, 4, VGT_OP_STORE_INDEX, K_SDX, E_ALL),
	[0x22] = { "MI_LOAD_REGISTER_IMM", 8, 3, 0, VGT_OP_LRI, K_LRI, E_ALL, PRED_OK },
	[0x23] = MIV("MI_UPDATE_GTT", 10, 2, 0, VGT_OP_REFUSE, K_NONE, E_ALL),
	[0x24] = MIV("MI_STORE_REGISTER_MEM", 8, 4, 4, VGT_OP_SRM, K_SRM, E_ALL),
	/* Not a render command: RCS flushes with PIPE_CONTROL. */
	[0x26] = MIV("MI_FLUSH_DW", 6, 4, 5, VGT_OP_FLUSH_DW, K_FLUSH_DW, E_B | E_V | E_VE),
	[0x27] = MIV("MI_CLFLUSH", 10, 2, 0, VGT_OP_REFUSE, K_NONE, E_ALL),
	[0x28] = MIV("MI_REPORT_PERF_COUNT", 6, 2, 0, VGT_OP_REFUSE, K_NONE, E_ALL),
	[0x29] = MIV("MI_LOAD_REGISTER_MEM", 8, 4, 4, VGT_OP_LRM, K_LRM, E_ALL),
	[0x2a] = MIV("MI_LOAD_REGISTER_REG", 8, 3, 3, VGT_OP_LRR, K_LRR, E_ALL),
	[0x2b] = MIV("MI_RS_STORE_DATA_IMM", 8, 2, 0, VGT_OP_REFUSE, K_NONE, E_R),
	[0x2c] = MIV("MI_LOAD_URB_MEM", 8, 2, 0, VGT_OP_REFUSE, K_NONE, E_R),
	[0x2d] = MIV("MI_STORE_URB_MEM", 8, 2, 0, VGT_OP_REFUSE, K_NONE, E_R),
	[0x2e] = MIV("MI_COPY_MEM_MEM", 8, 5, 5, VGT_OP_COPY_MEM_MEM, K_COPY_MEM, E_ALL),
	[0x2f] = MIV("MI_ATOMIC", 8, 3, 11, VGT_OP_ATOMIC, K_ATOMIC, E_ALL),
	[0x31] = MIV("MI_BATCH_BUFFER_START", 8, 3, 3, VGT_OP_BB_START, K_BBS, E_ALL),
	[0x36] = MIV("MI_CONDITIONAL_BATCH_BUFFER_END", 8, 4, 4, VGT_OP_COND_BB_END,
		     K_COND_BBE, E_ALL),
};

/*
 * Haswell's MI commands where they differ from gen9, by bits 28:23: a
 * named entry replaces the gen9 one, an ABSENT one removes it (commands
 * that came with gen8 or gen9), a hole keeps it.
 */
#define ABSENT	{ "", 0, 0, 0, 0, K_NONE, 0, 0 }
static const struct desc mi_hsw[64] = {
	[0x01] = ABSENT,	/* MI_SET_PREDICATE */
	[0x18] = MIV("MI_SET_CONTEXT", 8, 2, 2, VGT_OP_STATE, K_SET_CONTEXT, E_R),
	[0x1c] = ABSENT,	/* MI_SEMAPHORE_WAIT */
	[0x20] = MIV("MI_STORE_DATA_IMM", 10, 4, 5, VGT_OP_STORE_IMM, K_SDI, E_ALL),
	[0x24] = MIV("MI_STORE_REGISTER_MEM", 8, 3, 3, VGT_OP_SRM, K_SRM, E_ALL),
	[0x26] = MIV("MI_FLUSH_DW", 6, 3, 4, VGT_OP_FLUSH_DW, K_FLUSH_DW, E_B | E_V | E_VE),
	[0x29] = MIV("MI_LOAD_REGISTER_MEM", 8, 3, 3, VGT_OP_LRM, K_LRM, E_ALL),
	[0x2e] = ABSENT,	/* MI_COPY_MEM_MEM */
	[0x2f] = ABSENT,	/* MI_ATOMIC */
	[0x31] = MIV("MI_BATCH_BUFFER_START", 8, 2, 2, VGT_OP_BB_START, K_BBS, E_ALL),
	[0x36] = ABSENT,	/* MI_CONDITIONAL_BATCH_BUFFER_END */
};

#define BLT(nm, mn, mx, k, fl)	{ nm, 8, mn, mx, VGT_OP_BLT, k, E_B, fl }
#define BLT_NO(nm)		{ nm, 8, 2, 0, VGT_OP_REFUSE, K_NONE, E_B, 0 }

/*
 * Client 2 (2D), BCS only, indexed by bits 28:22. Gen8+ layouts (64-bit
 * addresses). The pattern, mono-source, text and "full" blits read or
 * write memory through operands this decoder does not bound: refused.
 */
static const struct desc blt_cmds[128] = {
	[0x01] = BLT("XY_SETUP_BLT", 10, 10, K_XY_SETUP, VGT_CMD_BLT_SETUP),
	[0x03] = BLT("XY_SETUP_CLIP_BLT", 3, 3, K_NONE, VGT_CMD_BLT_SETUP),
	[0x11] = BLT_NO("XY_SETUP_MONO_PATTERN_SL_BLT"),
	[0x24] = BLT("XY_PIXEL_BLT", 2, 2, K_NONE, VGT_CMD_BLT_USES_SETUP),
	[0x25] = BLT("XY_SCANLINES_BLT", 3, 3, K_NONE, VGT_CMD_BLT_USES_SETUP),
	[0x26] = BLT_NO("XY_TEXT_BLT"),
	[0x31] = BLT("XY_TEXT_IMMEDIATE_BLT", 3, 0, K_NONE, VGT_CMD_BLT_USES_SETUP),
	[0x40] = BLT("COLOR_BLT", 6, 6, K_COLOR_BLT, 0),
	[0x42] = BLT("XY_FAST_COPY_BLT", 10, 10, K_XY_FAST_COPY, 0),
	[0x43] = BLT("SRC_COPY_BLT", 8, 8, K_SRC_COPY_BLT, 0),
	[0x50] = BLT("XY_COLOR_BLT", 7, 7, K_XY_COLOR, 0),
	[0x51] = BLT_NO("XY_PAT_BLT"),
	[0x52] = BLT_NO("XY_MONO_PAT_BLT"),
	[0x53] = BLT("XY_SRC_COPY_BLT", 10, 10, K_XY_SRC_COPY, 0),
	[0x54] = BLT_NO("XY_MONO_SRC_COPY_BLT"),
	[0x55] = BLT_NO("XY_FULL_BLT"),
	[0x56] = BLT_NO("XY_FULL_MONO_SRC_BLT"),
	[0x57] = BLT_NO("XY_FULL_MONO_PATTERN_BLT"),
	[0x58] = BLT_NO("XY_FULL_MONO_PATTERN_MONO_SRC_BLT"),
	[0x59] = BLT_NO("XY_MONO_PAT_FIXED_BLT"),
	[0x71] = BLT_NO("XY_MONO_SRC_COPY_IMMEDIATE_BLT"),
	[0x72] = BLT_NO("XY_PAT_BLT_IMMEDIATE"),
	[0x73] = BLT_NO("XY_SRC_COPY_CHROMA_BLT"),
	[0x74] = BLT_NO("XY_FULL_IMMEDIATE_PATTERN_BLT"),
	[0x75] = BLT_NO("XY_FULL_MONO_SRC_IMMEDIATE_PATTERN_BLT"),
	[0x76] = BLT_NO("XY_PAT_CHROMA_BLT"),
	[0x77] = BLT_NO("XY_PAT_CHROMA_BLT_IMMEDIATE"),
};

/* Client 3 entries: state or work, a counted no-op for the executor. */
#define ST(nm, b)	{ nm, b, 2, 0, VGT_OP_STATE, K_NONE, 0, 0 }
#define STP(nm, b)	{ nm, b, 2, 0, VGT_OP_STATE, K_NONE, 0, PRED_OK }
#define ST1(nm)		{ nm, 0, 1, 1, VGT_OP_STATE, K_NONE, 0, 0 }

/* RCS: pipeline 28:27, opcode 26:24; tables indexed by sub-opcode 23:16. */
static const struct desc gfx_0_0[] = {		/* common, non-pipelined */
	[0x03] = ST("STATE_PREFETCH", 8),
};
static const struct desc gfx_0_1[] = {
	[0x01] = ST("STATE_BASE_ADDRESS", 8),
	[0x02] = ST("STATE_SIP", 8),
	[0x04] = ST("GPGPU_CSR_BASE_ADDRESS", 8),
};
static const struct desc gfx_1_0[] = {		/* single dword */
	[0x0b] = ST1("3DSTATE_VF_STATISTICS_GM45"),
};
static const struct desc gfx_1_1[] = {
	[0x04] = ST1("PIPELINE_SELECT"),
};
static const struct desc gfx_2_0[] = {		/* media state */
	[0x00] = STP("MEDIA_VFE_STATE", 16),
	[0x01] = ST("MEDIA_CURBE_LOAD", 16),
	[0x02] = STP("MEDIA_INTERFACE_DESCRIPTOR_LOAD", 16),
	[0x03] = ST("MEDIA_GATEWAY_STATE", 16),
	[0x04] = ST("MEDIA_STATE_FLUSH", 16),
	[0x05] = ST("MEDIA_POOL_STATE", 16),
};
static const struct desc gfx_2_1[] = {		/* media objects, GPGPU */
	[0x00] = STP("MEDIA_OBJECT", 16),
	[0x02] = ST("MEDIA_OBJECT_PRT", 16),
	[0x03] = STP("MEDIA_OBJECT_WALKER", 16),
	[0x05] = ST("GPGPU_WALKER", 8),
};
static const struct desc gfx_3_0[] = {		/* 3D state, pipelined */
	[0x04] = ST("3DSTATE_CLEAR_PARAMS", 8),
	[0x05] = ST("3DSTATE_DEPTH_BUFFER", 8),
	[0x06] = ST("3DSTATE_STENCIL_BUFFER", 8),
	[0x07] = ST("3DSTATE_HIER_DEPTH_BUFFER", 8),
	[0x08] = ST("3DSTATE_VERTEX_BUFFERS", 8),
	[0x09] = ST("3DSTATE_VERTEX_ELEMENTS", 8),
	[0x0a] = ST("3DSTATE_INDEX_BUFFER", 8),
	[0x0b] = ST1("3DSTATE_VF_STATISTICS"),
	[0x0c] = ST("3DSTATE_VF", 8),
	[0x0d] = ST("3DSTATE_MULTISAMPLE", 8),
	[0x0e] = ST("3DSTATE_CC_STATE_POINTERS", 8),
	[0x0f] = ST("3DSTATE_SCISSOR_STATE_POINTERS", 8),
	[0x10] = ST("3DSTATE_VS", 8),
	[0x11] = ST("3DSTATE_GS", 8),
	[0x12] = ST("3DSTATE_CLIP", 8),
	[0x13] = ST("3DSTATE_SF", 8),
	[0x14] = ST("3DSTATE_WM", 8),
	[0x15] = ST("3DSTATE_CONSTANT_VS", 8),
	[0x16] = ST("3DSTATE_CONSTANT_GS", 8),
	[0x17] = ST("3DSTATE_CONSTANT_PS", 8),
	[0x18] = ST("3DSTATE_SAMPLE_MASK", 8),
	[0x19] = ST("3DSTATE_CONSTANT_HS", 8),
	[0x1a] = ST("3DSTATE_CONSTANT_DS", 8),
	[0x1b] = ST("3DSTATE_HS", 8),
	[0x1c] = ST("3DSTATE_TE", 8),
	[0x1d] = ST("3DSTATE_DS", 8),
	[0x1e] = ST("3DSTATE_STREAMOUT", 8),
	[0x1f] = ST("3DSTATE_SBE", 8),
	[0x20] = ST("3DSTATE_PS", 8),
	[0x21] = ST("3DSTATE_VIEWPORT_STATE_POINTERS_SF_CLIP", 8),
	[0x23] = ST("3DSTATE_VIEWPORT_STATE_POINTERS_CC", 8),
	[0x24] = ST("3DSTATE_BLEND_STATE_POINTERS", 8),
	[0x25] = ST("3DSTATE_DEPTH_STENCIL_STATE_POINTERS", 8),
	[0x26] = ST("3DSTATE_BINDING_TABLE_POINTERS_VS", 8),
	[0x27] = ST("3DSTATE_BINDING_TABLE_POINTERS_HS", 8),
	[0x28] = ST("3DSTATE_BINDING_TABLE_POINTERS_DS", 8),
	[0x29] = ST("3DSTATE_BINDING_TABLE_POINTERS_GS", 8),
	[0x2a] = ST("3DSTATE_BINDING_TABLE_POINTERS_PS", 8),
	[0x2b] = ST("3DSTATE_SAMPLER_STATE_POINTERS_VS", 8),
	[0x2c] = ST("3DSTATE_SAMPLER_STATE_POINTERS_HS", 8),
	[0x2d] = ST("3DSTATE_SAMPLER_STATE_POINTERS_DS", 8),
	[0x2e] = ST("3DSTATE_SAMPLER_STATE_POINTERS_GS", 8),
	[0x2f] = ST("3DSTATE_SAMPLER_STATE_POINTERS_PS", 8),
	[0x30] = STP("3DSTATE_URB_VS", 8),
	[0x31] = STP("3DSTATE_URB_HS", 8),
	[0x32] = STP("3DSTATE_URB_DS", 8),
	[0x33] = STP("3DSTATE_URB_GS", 8),
	[0x34] = ST("3DSTATE_GATHER_CONSTANT_VS", 8),
	[0x35] = ST("3DSTATE_GATHER_CONSTANT_GS", 8),
	[0x36] = ST("3DSTATE_GATHER_CONSTANT_HS", 8),
	[0x37] = ST("3DSTATE_GATHER_CONSTANT_DS", 8),
	[0x38] = ST("3DSTATE_GATHER_CONSTANT_PS", 8),
	[0x39] = ST("3DSTATE_DX9_CONSTANTF_VS", 11),
	[0x3a] = ST("3DSTATE_DX9_CONSTANTF_PS", 11),
	[0x3b] = ST("3DSTATE_DX9_CONSTANTI_VS", 8),
	[0x3c] = ST("3DSTATE_DX9_CONSTANTI_PS", 8),
	[0x3d] = ST("3DSTATE_DX9_CONSTANTB_VS", 8),
	[0x3e] = ST("3DSTATE_DX9_CONSTANTB_PS", 8),
	[0x3f] = ST("3DSTATE_DX9_LOCAL_VALID_VS", 8),
	[0x40] = ST("3DSTATE_DX9_LOCAL_VALID_PS", 8),
	[0x41] = ST("3DSTATE_DX9_GENERATE_ACTIVE_VS", 8),
	[0x42] = ST("3DSTATE_DX9_GENERATE_ACTIVE_PS", 8),
	[0x43] = ST("3DSTATE_BINDING_TABLE_EDIT_VS", 9),
	[0x44] = ST("3DSTATE_BINDING_TABLE_EDIT_GS", 9),
	[0x45] = ST("3DSTATE_BINDING_TABLE_EDIT_HS", 9),
	[0x46] = ST("3DSTATE_BINDING_TABLE_EDIT_DS", 9),
	[0x47] = ST("3DSTATE_BINDING_TABLE_EDIT_PS", 9),
	[0x49] = ST("3DSTATE_VF_INSTANCING", 8),
	[0x4a] = ST("3DSTATE_VF_SGVS", 8),
	[0x4b] = ST("3DSTATE_VF_TOPOLOGY", 8),
	[0x4c] = ST("3DSTATE_WM_CHROMAKEY", 8),
	[0x4d] = ST("3DSTATE_PS_BLEND", 8),
	[0x4e] = ST("3DSTATE_WM_DEPTH_STENCIL", 8),
	[0x4f] = ST("3DSTATE_PS_EXTRA", 8),
	[0x50] = ST("3DSTATE_RASTER", 8),
	[0x51] = ST("3DSTATE_SBE_SWIZ", 8),
	[0x52] = STP("3DSTATE_WM_HZ_OP", 8),
	[0x55] = ST("3DSTATE_COMPONENT_PACKING", 8),
};
static const struct desc gfx_3_1[] = {		/* 3D state, non-pipelined */
	[0x00] = ST("3DSTATE_DRAWING_RECTANGLE", 8),
	[0x02] = ST("3DSTATE_SAMPLER_PALETTE_LOAD0", 8),
	[0x04] = ST("3DSTATE_CHROMA_KEY", 8),
	[0x06] = ST("3DSTATE_POLY_STIPPLE_OFFSET", 8),
	[0x07] = ST("3DSTATE_POLY_STIPPLE_PATTERN", 8),
	[0x08] = ST("3DSTATE_LINE_STIPPLE", 8),
	[0x0a] = ST("3DSTATE_AA_LINE_PARAMS", 8),
	[0x0b] = ST("3DSTATE_GS_SVB_INDEX", 8),
	[0x0c] = ST("3DSTATE_SAMPLER_PALETTE_LOAD1", 8),
	[0x11] = ST("3DSTATE_MONOFILTER_SIZE", 8),
	[0x12] = STP("3DSTATE_PUSH_CONSTANT_ALLOC_VS", 8),
	[0x13] = STP("3DSTATE_PUSH_CONSTANT_ALLOC_HS", 8),
	[0x14] = STP("3DSTATE_PUSH_CONSTANT_ALLOC_DS", 8),
	[0x15] = STP("3DSTATE_PUSH_CONSTANT_ALLOC_GS", 8),
	[0x16] = STP("3DSTATE_PUSH_CONSTANT_ALLOC_PS", 8),
	[0x17] = ST("3DSTATE_SO_DECL_LIST", 9),
	[0x18] = ST("3DSTATE_SO_BUFFER", 8),
	[0x19] = ST("3DSTATE_BINDING_TABLE_POOL_ALLOC", 8),
	[0x1a] = ST("3DSTATE_GATHER_POOL_ALLOC", 8),
	[0x1b] = ST("3DSTATE_DX9_CONSTANT_BUFFER_POOL_ALLOC", 8),
	[0x1c] = ST("3DSTATE_SAMPLE_PATTERN", 8),
};
static const struct desc gfx_3_2[] = {
	[0x00] = { "PIPE_CONTROL", 8, 2, 0, VGT_OP_PIPE_CONTROL, K_PIPE_CONTROL, 0, 0 },
};
static const struct desc gfx_3_3[] = {
	[0x00] = ST("3DPRIMITIVE", 8),
};

/* Video engines: sub-opcode A 23:21, B 20:16. */
#define SUB(a, b)	(((a) << 5) | (b))
#define MFX(nm)		ST(nm, 12)

static const struct desc mfx_1_0[] = {		/* VCS single dword */
	[SUB(0, 0)] = { "MFX_WAIT", 0, 1, 1, VGT_OP_STATE, K_MFX_WAIT, 0, 0 },
};
static const struct desc mfx_2_0[] = {		/* common state, VDEnc */
	[SUB(0, 0)] = MFX("MFX_PIPE_MODE_SELECT"),
	[SUB(0, 1)] = MFX("MFX_SURFACE_STATE"),
	[SUB(0, 2)] = MFX("MFX_PIPE_BUF_ADDR_STATE"),
	[SUB(0, 3)] = MFX("MFX_IND_OBJ_BASE_ADDR_STATE"),
	[SUB(0, 4)] = MFX("MFX_BSP_BUF_BASE_ADDR_STATE"),
	[SUB(0, 5)] = MFX("MFX_2_0_0_5"),
	[SUB(0, 6)] = MFX("MFX_STATE_POINTER"),
	[SUB(0, 7)] = MFX("MFX_QM_STATE"),
	[SUB(0, 8)] = MFX("MFX_FQM_STATE"),
	[SUB(1, 9)] = MFX("MFD_IT_OBJECT"),
	[SUB(2, 8)] = MFX("MFX_PAK_INSERT_OBJECT"),
	[SUB(2, 10)] = MFX("MFX_STITCH_OBJECT"),
	[SUB(4, 0)] = MFX("VDENC_PIPE_MODE_SELECT"),
	[SUB(4, 1)] = MFX("VDENC_SRC_SURFACE_STATE"),
	[SUB(4, 2)] = MFX("VDENC_REF_SURFACE_STATE"),
	[SUB(4, 3)] = MFX("VDENC_DS_REF_SURFACE_STATE"),
	[SUB(4, 4)] = MFX("VDENC_PIPE_BUF_ADDR_STATE"),
	[SUB(4, 5)] = MFX("VDENC_IMG_STATE"),
	[SUB(4, 6)] = MFX("VDENC_CONST_QPT_STATE"),
	[SUB(4, 7)] = MFX("VDENC_WALKER_STATE"),
};
static const struct desc mfx_2_1[] = {		/* AVC */
	[SUB(0, 0)] = MFX("MFX_AVC_IMG_STATE"),
	[SUB(0, 1)] = MFX("MFX_AVC_QM_STATE"),
	[SUB(0, 2)] = MFX("MFX_AVC_DIRECTMODE_STATE"),
	[SUB(0, 3)] = MFX("MFX_AVC_SLICE_STATE"),
	[SUB(0, 4)] = MFX("MFX_AVC_REF_IDX_STATE"),
	[SUB(0, 5)] = MFX("MFX_AVC_WEIGHTOFFSET_STATE"),
	[SUB(1, 5)] = MFX("MFD_AVC_PICID_STATE"),
	[SUB(1, 6)] = MFX("MFD_AVC_DPB_STATE"),
	[SUB(1, 7)] = MFX("MFD_AVC_SLICEADDR"),
	[SUB(1, 8)] = MFX("MFD_AVC_BSD_OBJECT"),
	[SUB(2, 9)] = MFX("MFC_AVC_PAK_OBJECT"),
};
static const struct desc mfx_2_2[] = {		/* VC1 */
	[SUB(0, 1)] = MFX("MFX_VC1_PRED_PIPE_STATE"),
	[SUB(0, 2)] = MFX("MFX_VC1_DIRECTMODE_STATE"),
	[SUB(1, 0)] = MFX("MFD_VC1_SHORT_PIC_STATE"),
	[SUB(1, 1)] = MFX("MFD_VC1_LONG_PIC_STATE"),
	[SUB(1, 8)] = MFX("MFD_VC1_BSD_OBJECT"),
};
static const struct desc mfx_2_3[] = {		/* MPEG2; HEVC (HCP) in A 4..7 */
	[SUB(0, 0)] = MFX("MFX_MPEG2_PIC_STATE"),
	[SUB(0, 1)] = MFX("MFX_MPEG2_QM_STATE"),
	[SUB(1, 8)] = MFX("MFD_MPEG2_BSD_OBJECT"),
	[SUB(2, 3)] = MFX("MFC_MPEG2_SLICEGROUP_STATE"),
	[SUB(2, 9)] = MFX("MFC_MPEG2_PAK_OBJECT"),
	[SUB(4, 0)] = MFX("HCP_PIPE_MODE_SELECT"),
	[SUB(4, 1)] = MFX("HCP_SURFACE_STATE"),
	[SUB(4, 2)] = MFX("HCP_PIPE_BUF_ADDR_STATE"),
	[SUB(4, 3)] = MFX("HCP_IND_OBJ_BASE_ADDR_STATE"),
	[SUB(4, 4)] = MFX("HCP_QM_STATE"),
	[SUB(4, 5)] = MFX("HCP_FQM_STATE"),
	[SUB(4, 8)] = MFX("HEVC_VP9_RDOQ_STATE"),
	[SUB(4, 16)] = MFX("HCP_PIC_STATE"),
	[SUB(4, 17)] = MFX("HCP_TILE_STATE"),
	[SUB(4, 18)] = MFX("HCP_REF_IDX_STATE"),
	[SUB(4, 19)] = MFX("HCP_WEIGHTOFFSET_STATE"),
	[SUB(4, 20)] = MFX("HCP_SLICE_STATE"),
	[SUB(5, 0)] = MFX("HCP_BSD_OBJECT"),
	[SUB(5, 2)] = MFX("HCP_PAK_INSERT_OBJECT"),
	[SUB(5, 18)] = MFX("HCP_VP9_SEGMENT_STATE"),
};
static const struct desc mfx_2_4[] = {		/* VP8 */
	[SUB(0, 0)] = MFX("MFX_VP8_PIC_STATE"),
	[SUB(1, 8)] = MFX("MFD_VP8_BSD_OBJECT"),
	[SUB(2, 1)] = MFX("MFX_VP8_ENCODER_CFG"),
	[SUB(2, 3)] = MFX("MFX_VP8_BSP_BUF_BASE_ADDR_STATE"),
};
static const struct desc sfc_huc_2_5[] = {	/* SFC (VCS, VECS); HuC in A 4..5 */
	[SUB(0, 0)] = MFX("SFC_LOCK"),
	[SUB(0, 1)] = MFX("SFC_STATE"),
	[SUB(0, 2)] = MFX("SFC_AVS_STATE"),
	[SUB(0, 3)] = MFX("SFC_IEF_STATE"),
	[SUB(0, 4)] = MFX("SFC_FRAME_START"),
	[SUB(0, 5)] = MFX("SFC_AVS_LUMA_COEFF_TABLE"),
	[SUB(0, 6)] = MFX("SFC_AVS_CHROMA_COEFF_TABLE"),
	[SUB(4, 0)] = MFX("HUC_PIPE_MODE_SELECT"),
	[SUB(4, 1)] = MFX("HUC_IMEM_STATE"),
	[SUB(4, 2)] = MFX("HUC_DMEM_STATE"),
	[SUB(4, 3)] = MFX("HUC_CFG_STATE"),
	[SUB(4, 4)] = MFX("HUC_VIRTUAL_ADDR_STATE"),
	[SUB(4, 5)] = MFX("HUC_IND_OBJ_BASE_ADDR_STATE"),
	[SUB(5, 0)] = MFX("HUC_STREAM_OBJECT"),
	[SUB(5, 1)] = MFX("HUC_START"),
};
static const struct desc mfx_2_7[] = {		/* JPEG; VD_PIPELINE_FLUSH */
	[SUB(0, 0)] = MFX("MFX_JPEG_PIC_STATE"),
	[SUB(0, 2)] = MFX("MFX_JPEG_HUFF_TABLE_STATE"),
	[SUB(1, 8)] = MFX("MFD_JPEG_BSD_OBJECT"),
	[SUB(2, 3)] = MFX("MFC_JPEG_HUFF_TABLE_STATE"),
	[SUB(2, 9)] = MFX("MFC_JPEG_SCAN_OBJECT"),
	[SUB(4, 0)] = MFX("VD_PIPELINE_FLUSH"),
};
static const struct desc vebox_2_4[] = {	/* VECS */
	[SUB(0, 0)] = MFX("VEBOX_SURFACE_STATE"),
	[SUB(0, 1)] = MFX("VEBOX_TILING_CONVERT"),
	[SUB(0, 2)] = MFX("VEBOX_STATE"),
	[SUB(0, 3)] = MFX("VEB_DI_IECP"),
};

/*
 * Gen7 3D commands at headers gen8 moved or dropped, by bits 31:16 (as in
 * 6.1's gen7_renderstate.c and Mesa's gen7 genxml).
 */
static const struct {
	uint16_t key;
	struct desc d;
} gfx_hsw_extra[] = {
	{ 0x790d, ST("3DSTATE_MULTISAMPLE", 8) },
};

struct group {
	const struct desc *t;
	unsigned int n;
};
#define GROUP(t) { t, ARRAY_LEN(t) }

/* Client 3 per engine, by [pipeline][opcode]; BCS has none. */
static const struct group client3[VGT_ENGINE_NR][4][8] = {
	[VGT_RCS] = {
		[0] = { [0] = GROUP(gfx_0_0), [1] = GROUP(gfx_0_1) },
		[1] = { [0] = GROUP(gfx_1_0), [1] = GROUP(gfx_1_1) },
		[2] = { [0] = GROUP(gfx_2_0), [1] = GROUP(gfx_2_1) },
		[3] = { [0] = GROUP(gfx_3_0), [1] = GROUP(gfx_3_1),
			[2] = GROUP(gfx_3_2), [3] = GROUP(gfx_3_3) },
	},
	[VGT_VCS] = {
		[1] = { [0] = GROUP(mfx_1_0) },
		[2] = { [0] = GROUP(mfx_2_0), [1] = GROUP(mfx_2_1), [2] = GROUP(mfx_2_2),
			[3] = GROUP(mfx_2_3), [4] = GROUP(mfx_2_4), [5] = GROUP(sfc_huc_2_5),
			[7] = GROUP(mfx_2_7) },
	},
	[VGT_VECS] = {
		/* SFC without HuC: the first entries of the VCS table */
		[2] = { [4] = GROUP(vebox_2_4), [5] = { sfc_huc_2_5, SUB(0, 7) } },
	},
};

static const struct {
	const char *name;
	uint32_t base;
} engines[VGT_ENGINE_NR] = {
#define X(id, nm, base, grdom, bank, shift, master) [id] = { nm, base },
	VGT_FOR_EACH_ENGINE(X)
#undef X
};

const char *vgt_engine_name(enum vgt_engine_id e)
{
	return (unsigned int)e < VGT_ENGINE_NR ? engines[e].name : "?";
}

uint32_t vgt_engine_mmio_base(enum vgt_engine_id e)
{
	return (unsigned int)e < VGT_ENGINE_NR ? engines[e].base : 0;
}

static bool gen7(enum vgt_platform p)
{
	return p == VGT_PLATFORM_HSW;
}

/* The descriptor of header @h on engine @e of @p, or NULL: unknown, refused. */
static const struct desc *lookup(enum vgt_platform p, enum vgt_engine_id e, uint32_t h)
{
	const struct group *g;
	const struct desc *d;
	unsigned int sub;

	switch (h >> 29) {
	case 0:
		d = &mi_cmds[(h >> 23) & 0x3f];
		if (gen7(p) && mi_hsw[(h >> 23) & 0x3f].name)
			d = &mi_hsw[(h >> 23) & 0x3f];
		if (d->name && !*d->name)
			return NULL;	/* ABSENT */
		return d->name && (d->engines & BIT(e)) ? d : NULL;
	case 2:
		d = &blt_cmds[(h >> 22) & 0x7f];
		if (gen7(p) && d->kind == K_XY_FAST_COPY)
			return NULL;	/* gen9+ */
		return d->name && (d->engines & BIT(e)) ? d : NULL;
	case 3:
		for (sub = 0; gen7(p) && e == VGT_RCS && sub < ARRAY_LEN(gfx_hsw_extra); sub++)
			if (gfx_hsw_extra[sub].key == h >> 16)
				return &gfx_hsw_extra[sub].d;
		g = &client3[e][(h >> 27) & 3][(h >> 24) & 7];
		sub = (h >> 16) & 0xff;
		return sub < g->n && g->t[sub].name ? &g->t[sub] : NULL;
	default:
		return NULL;
	}
}

static const char *unknown_name(enum vgt_engine_id e, uint32_t h)
{
	static const char *const client[8] = {
		"MI_UNKNOWN", "CLIENT1_UNKNOWN", "BLT_UNKNOWN", "GFX_UNKNOWN",
		"CLIENT4_UNKNOWN", "CLIENT5_UNKNOWN", "CLIENT6_UNKNOWN",
		"CLIENT7_UNKNOWN",
	};

	if (h >> 29 == 3 && e == VGT_VCS)
		return "MFX_UNKNOWN";
	if (h >> 29 == 3 && e == VGT_VECS)
		return "VEBOX_UNKNOWN";
	return client[h >> 29];
}

/*
 * Gen7 2D commands with memory operands: the dword index of each 32-bit
 * address, by opcode (bits 28:22). Gen8 widened each to 48 bits in place.
 */
static const uint8_t gen7_blt_addr[128][2] = {
	[0x01] = { 4, 7 },	/* XY_SETUP_BLT: dst, pattern */
	[0x40] = { 3, 0 },	/* COLOR_BLT */
	[0x43] = { 3, 5 },	/* SRC_COPY_BLT: dst, src */
	[0x50] = { 4, 0 },	/* XY_COLOR_BLT */
	[0x53] = { 4, 7 },	/* XY_SRC_COPY_BLT: dst, src */
};

/* How many addresses the gen7 2D command @h has; their indexes in @at. */
static unsigned int gen7_blt_addrs(uint32_t h, const uint8_t **at)
{
	const uint8_t *a = gen7_blt_addr[(h >> 22) & 0x7f];

	if (at)
		*at = a;
	return !!a[0] + !!a[1];
}

const uint32_t *vgt_cmd_blt_gen8(const struct vgt_cmd *cmd, const uint32_t *dw,
				 uint32_t buf[VGT_CMD_BLT_MAX_DWORDS], unsigned int *len)
{
	const uint8_t *at;
	unsigned int n, i, o = 0, k = 0;

	*len = cmd->len;
	if (!gen7(cmd->platform) || cmd->client != 2)
		return dw;
	n = gen7_blt_addrs(cmd->header, &at);
	if (!n || cmd->len + n > VGT_CMD_BLT_MAX_DWORDS)
		return dw;
	for (i = 0; i < cmd->len; i++) {
		buf[o++] = dw[i];
		if (k < n && i == at[k]) {
			buf[o++] = 0;
			k++;
		}
	}
	buf[0] = (buf[0] & ~0xffu) | (o - 2);
	*len = o;
	return buf;
}

/* Length rules the header alone decides (the dwords may not be there yet). */
static bool header_len_ok(enum vgt_platform p, const struct desc *d, uint32_t h,
			  unsigned int len)
{
	bool bit21 = h & BIT(21);

	switch (d->kind) {
	case K_SDI:		/* bit 21 (gen7: the length): a qword, one more dword */
		return gen7(p) || len == (bit21 ? 5u : 4u);
	case K_SDX:
		return gen7(p) || len == (bit21 ? 4u : 3u);
	case K_ATOMIC:		/* bit 18: inline operands, dwords 3..10 */
		return len == (h & BIT(18) ? 11u : 3u);
	case K_LRI:		/* register, value pairs */
		return (len - 1) % 2 == 0;
	case K_MFX_WAIT:
		return (h & 0x3f) == 0;
	default:
		return true;
	}
}

/*
 * PIPE_CONTROL: a post-sync write (memory or register) needs all 6 dwords
 * on gen9; on gen7 the address and one data dword (4), or a qword (5).
 */
static bool body_len_ok(enum vgt_platform p, const struct desc *d, const uint32_t *dw,
			unsigned int len)
{
	if (d->kind != K_PIPE_CONTROL || !(dw[1] & ((3u << 14) | BIT(23))))
		return true;
	return gen7(p) ? len == 4 || len == 5 : len == 6;
}

enum vgt_decode_status vgt_cmd_decode(enum vgt_engine_id e, const uint32_t *dw,
				      size_t avail, struct vgt_cmd *out)
{
	return vgt_cmd_decode_on(VGT_PLATFORM_SKL, e, dw, avail, out);
}

enum vgt_decode_status vgt_cmd_decode_on(enum vgt_platform p, enum vgt_engine_id e,
					 const uint32_t *dw, size_t avail,
					 struct vgt_cmd *out)
{
	const struct desc *d;
	unsigned int narrow;
	uint32_t h;

	*out = (struct vgt_cmd){ .name = "NO_COMMAND", .op = VGT_OP_REFUSE, .platform = p };
	if ((unsigned int)e >= VGT_ENGINE_NR || (unsigned int)p >= VGT_PLATFORM_NR || !dw ||
	    !avail)
		return VGT_DECODE_UNKNOWN;
	h = dw[0];
	out->header = h;
	out->client = h >> 29;
	d = lookup(p, e, h);
	if (!d) {
		out->name = unknown_name(e, h);
		return VGT_DECODE_UNKNOWN;
	}
	out->name = d->name;
	out->len = d->bits ? (h & ((1u << d->bits) - 1)) + 2 : d->len;
	/* The tables give gen8 2D lengths: gen7's are one dword an address shorter. */
	narrow = gen7(p) && out->client == 2 ? gen7_blt_addrs(h, NULL) : 0;
	if (out->len < d->len - narrow || (d->max && out->len > d->max - narrow) ||
	    !header_len_ok(p, d, h, out->len))
		return VGT_DECODE_BAD_LENGTH;
	if (out->len > avail)
		return VGT_DECODE_TRUNCATED;
	if (!body_len_ok(p, d, dw, out->len))
		return VGT_DECODE_BAD_LENGTH;
	out->op = d->op;
	out->flags = d->flags;
	switch (d->kind) {
	case K_NONE:
	case K_MFX_WAIT:
		break;
	case K_NOOP:
	case K_LRI:
	case K_LRR:
	case K_SEMAPHORE:
	case K_PIPE_CONTROL:
		if (vgt_cmd_nregs(out, dw))
			out->flags |= VGT_CMD_REGISTERS;
		if (d->kind == K_SEMAPHORE || d->kind == K_PIPE_CONTROL)
			out->flags |= VGT_CMD_MEMORY;
		break;
	case K_LRM:
	case K_SRM:
		out->flags |= VGT_CMD_MEMORY | VGT_CMD_REGISTERS;
		break;
	default:
		out->flags |= VGT_CMD_MEMORY;
	}
	switch (d->kind) {
	case K_SDI:
		if (gen7(p) ? out->len == 5 : !!(h & BIT(21)))
			out->flags |= VGT_CMD_QWORD;
		break;
	case K_SDX:
		if (gen7(p) ? out->len == 4 : !!(h & BIT(21)))
			out->flags |= VGT_CMD_QWORD;
		break;
	case K_BBS:
		/* Predication and the resource streamer exist on RCS only. */
		if (e == VGT_RCS && (h & BIT(15)))
			out->flags |= VGT_CMD_PREDICATED;
		if (h & BIT(22))
			out->flags |= VGT_CMD_SECOND_LEVEL;
		if (e == VGT_RCS && (h & BIT(10)))
			out->op = VGT_OP_REFUSE;	/* RS reads memory we cannot bound */
		break;
	case K_FLUSH_DW:
		if (h & BIT(8))
			out->flags |= VGT_CMD_NOTIFY;
		break;
	case K_PIPE_CONTROL:
		if (dw[1] & BIT(8))
			out->flags |= VGT_CMD_NOTIFY;
		break;
	case K_XY_SETUP:
		if (dw[1] & BIT(30))
			out->flags |= VGT_CMD_BLT_CLIPPED;
		break;
	}
	return VGT_DECODE_OK;
}

/* A 48-bit graphics address: low dword (masked) and bits 15:0 of the next. */
static uint64_t gm(const uint32_t *p, uint32_t low_mask)
{
	return ((uint64_t)(p[1] & 0xffff) << 32) | (p[0] & low_mask);
}

/* Gen7's operands: 32-bit addresses. */
static unsigned int gen7_operands(const struct desc *d, const struct vgt_cmd *cmd,
				  const uint32_t *dw, struct vgt_cmd_operand *out);

static struct vgt_cmd_operand opnd(enum vgt_as_kind as, uint64_t addr, uint64_t size,
				   bool write, unsigned int data, const char *what)
{
	return (struct vgt_cmd_operand){ .as = as, .addr = addr, .size = size,
					 .read = !write, .write = write,
					 .data = data, .what = what };
}

static enum vgt_as_kind ggtt_if(uint32_t bits, unsigned int bit)
{
	return bits & BIT(bit) ? VGT_AS_GGTT : VGT_AS_PPGTT;
}

/*
 * 2D surfaces. A blit touches the pixels (x, y), x1 <= x < x2, y1 <= y < y2
 * of a surface at @base with @pitch bytes per row (per tile row of @th rows
 * when tiled: then row y lies in tile row y / th, and byte x * cpp in tile
 * column x * cpp / tw of @tile bytes). Where a field can be read two ways
 * (signed or not, X or Y tiling, which the guest selects in BCS_SWCTRL)
 * the operand is the union of every reading, so it bounds what the
 * hardware does whichever is right.
 */
struct tile {
	int64_t th, tw, bytes;
};

static const struct tile t_linear = { 1, 1, 1 }, t_x = { 8, 512, 4096 },
			 t_y = { 32, 128, 4096 };

/* Yf (4 KiB) and Ys (64 KiB) tiles by bytes per pixel 1, 2, 4, 8, 16. */
static const struct tile t_yf[5] = {
	{ 64, 64, 4096 }, { 32, 128, 4096 }, { 32, 128, 4096 },
	{ 16, 256, 4096 }, { 16, 256, 4096 },
};
static const struct tile t_ys[5] = {
	{ 256, 256, 65536 }, { 128, 512, 65536 }, { 128, 512, 65536 },
	{ 64, 1024, 65536 }, { 64, 1024, 65536 },
};

struct span {
	int64_t lo, hi;
	bool any;
};

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static int64_t ceil_div(int64_t a, int64_t b)
{
	return -floor_div(-a, b);
}

static void rect_span(struct span *s, uint64_t base, int64_t pitch, unsigned int cpp,
		      const struct tile *t, int64_t x1, int64_t y1, int64_t x2, int64_t y2)
{
	int64_t r1, r2, lo, hi;

	if (x2 <= x1 || y2 <= y1)
		return;		/* no pixel in this reading */
	r1 = floor_div(y1, t->th) * t->th * pitch;
	r2 = floor_div(y2 - 1, t->th) * t->th * pitch;
	/* A tiled base's low bits may be ignored: start from the tile. */
	lo = (int64_t)(base & ~(uint64_t)(t->bytes - 1)) + (r1 < r2 ? r1 : r2) +
	     floor_div(x1 * cpp, t->tw) * t->bytes;
	hi = (int64_t)base + (r1 > r2 ? r1 : r2) + ceil_div(x2 * cpp, t->tw) * t->bytes;
	if (!s->any || lo < s->lo)
		s->lo = lo;
	if (!s->any || hi > s->hi)
		s->hi = hi;
	s->any = true;
}

/* A 16-bit field read both ways: [0] signed, [1] unsigned. */
static void s16u16(uint32_t v, int64_t out[2])
{
	out[0] = (int16_t)(v & 0xffff);
	out[1] = v & 0xffff;
}

/* The tilings a surface may have: XY commands' tiled bit, or fast copy's mode. */
static unsigned int tilings(bool xy, unsigned int mode, unsigned int cpp,
			    const struct tile *out[2])
{
	unsigned int i = cpp >= 16 ? 4 : cpp >= 8 ? 3 : cpp >= 4 ? 2 : cpp >= 2 ? 1 : 0;

	if (!mode) {
		out[0] = &t_linear;
		return 1;
	}
	if (xy || mode == 2) {		/* XY: X or Y; fast copy 2: Y or Yf */
		out[0] = xy ? &t_x : &t_yf[i];
		out[1] = &t_y;
		return 2;
	}
	out[0] = mode == 1 ? &t_x : &t_ys[i];
	return 1;
}

/*
 * One surface: @pitch the dword holding the pitch (bits 15:0, in dwords
 * when tiled), @mode 0 linear or the tiling (XY: 1 tiled; fast copy's
 * 2-bit mode), @xy whether it is an XY command's, whose pitch may be
 * signed. surf_span() takes the rectangle's corners as y << 16 | x
 * dwords, or for a source its first corner and the destination's corners
 * (@size_from), which give the size.
 */
struct surf_desc {
	uint64_t base;
	uint32_t pitch;
	unsigned int cpp, mode;
	bool xy;
};

static void surf_span(struct span *s, const struct surf_desc *d, uint32_t c1, uint32_t c2,
		      const uint32_t *size_from)
{
	const struct tile *t[2];
	unsigned int nt = tilings(d->xy, d->mode, d->cpp, t), i, j, k, m;
	int64_t p[2], x1[2], y1[2], x2[2], y2[2], sx[2] = { 0, 0 }, sy[2] = { 0, 0 };

	s16u16(d->pitch, p);
	s16u16(c1, x1);
	s16u16(c1 >> 16, y1);
	s16u16(c2, x2);
	s16u16(c2 >> 16, y2);
	if (size_from) {	/* a source: its corner is c1, the size is the dst's */
		s16u16(size_from[0], sx);
		s16u16(size_from[0] >> 16, sy);
		s16u16(size_from[1], x2);
		s16u16(size_from[1] >> 16, y2);
	}
	/* Readings that coincide (fields below 0x8000) are done once. */
	bool one_pitch = p[0] == p[1];
	bool one_corner = x1[0] == x1[1] && y1[0] == y1[1] && x2[0] == x2[1] && y2[0] == y2[1] &&
			  (!size_from || (sx[0] == sx[1] && sy[0] == sy[1]));

	for (i = d->xy && !one_pitch ? 0 : 1; i < 2; i++)	/* pitch: signed (XY), unsigned */
		for (j = one_corner ? 1 : 0; j < 2; j++)	/* coordinates: signed, unsigned */
			for (k = 0; k < nt; k++)
				for (m = 0; m < (size_from && !one_corner ? 2u : 1u); m++) {
					int64_t pitch = p[i] * (d->mode ? 4 : 1);
					int64_t w = size_from ? x2[m] - sx[m] : 0;
					int64_t h = size_from ? y2[m] - sy[m] : 0;

					if (size_from)
						rect_span(s, d->base, pitch, d->cpp, t[k], x1[j],
							  y1[j], x1[j] + w, y1[j] + h);
					else
						rect_span(s, d->base, pitch, d->cpp, t[k], x1[j],
							  y1[j], x2[j], y2[j]);
				}
}

/*
 * The span as an operand. Below 0 it is taken modulo 2^48, so it runs past
 * the top; past 2^48 it stays there. Either way the check refuses it
 * ("wraps"): masking a span wholly past 2^48 would move it into a slice.
 */
static unsigned int span_operand(const struct span *s, bool write, const char *what,
				 struct vgt_cmd_operand *out)
{
	if (!s->any)
		return 0;
	*out = opnd(VGT_AS_BATCH, s->lo < 0 ? (uint64_t)s->lo & GM_MASK : (uint64_t)s->lo,
		    (uint64_t)(s->hi - s->lo), write, 0, what);
	return 1;
}

static const unsigned int xy_cpp[4] = { 1, 2, 2, 4 };
static const unsigned int fast_cpp[8] = { 1, 2, 2, 4, 8, 16, 16, 16 };

static unsigned int blt_operands(const struct desc *d, const uint32_t *dw,
				 struct vgt_cmd_operand *out)
{
	struct surf_desc dst, src;
	struct span sd = { 0 }, ss = { 0 };
	unsigned int n;

	switch (d->kind) {
	case K_XY_COLOR:
	case K_XY_SRC_COPY:
	case K_XY_SETUP:	/* dw1 pitch, dw2-3 rectangle, dw4-5 address */
		dst = (struct surf_desc){ gm(dw + 4, ~0u), dw[1], xy_cpp[(dw[1] >> 24) & 3],
					  !!(dw[0] & BIT(11)), true };
		if (d->kind != K_XY_SETUP || (dw[1] & BIT(30)))
			surf_span(&sd, &dst, dw[2], dw[3], NULL);
		if (d->kind == K_XY_SETUP && (dw[1] & BIT(30))) {
			/* A later draw may say tiled or not itself: both. */
			dst.mode = !dst.mode;
			surf_span(&sd, &dst, dw[2], dw[3], NULL);
		}
		n = span_operand(&sd, true, d->kind == K_XY_SETUP ? "setup" : "dst", out);
		if (d->kind == K_XY_SETUP && !(dw[1] & BIT(31))) {
			/* A color pattern, 8x8 pixels, unless solid. */
			out[n++] = opnd(VGT_AS_BATCH, gm(dw + 8, ~0u), 64 * dst.cpp, false,
					0, "pattern");
		}
		if (d->kind != K_XY_SRC_COPY)
			return n;
		src = (struct surf_desc){ gm(dw + 8, ~0u), dw[7], dst.cpp,
					  !!(dw[0] & BIT(15)), true };
		surf_span(&ss, &src, dw[6], 0, dw + 2);
		return n + span_operand(&ss, false, "src", out + n);
	case K_XY_FAST_COPY:	/* as XY_SRC_COPY_BLT; tiling modes in dw0 */
		dst = (struct surf_desc){ gm(dw + 4, ~0u), dw[1], fast_cpp[(dw[1] >> 24) & 7],
					  (dw[0] >> 13) & 3, false };
		surf_span(&sd, &dst, dw[2], dw[3], NULL);
		n = span_operand(&sd, true, "dst", out);
		src = (struct surf_desc){ gm(dw + 8, ~0u), dw[7], dst.cpp,
					  (dw[0] >> 20) & 3, false };
		surf_span(&ss, &src, dw[6], 0, dw + 2);
		return n + span_operand(&ss, false, "src", out + n);
	case K_COLOR_BLT:
	case K_SRC_COPY_BLT:
		/* Linear: dw2 height 31:16 rows of width 15:0 bytes. */
		dst = (struct surf_desc){ gm(dw + 3, ~0u), dw[1], 1, 0, true };
		surf_span(&sd, &dst, 0, dw[2], NULL);
		n = span_operand(&sd, true, "dst", out);
		if (d->kind == K_COLOR_BLT)
			return n;
		src = (struct surf_desc){ gm(dw + 6, ~0u), dw[5], 1, 0, true };
		surf_span(&ss, &src, 0, dw[2], NULL);
		return n + span_operand(&ss, false, "src", out + n);
	default:
		return 0;
	}
}

unsigned int vgt_cmd_operands(enum vgt_engine_id e, const struct vgt_cmd *cmd,
			      const uint32_t *dw,
			      struct vgt_cmd_operand out[VGT_CMD_MAX_OPERANDS])
{
	const struct desc *d = (unsigned int)e < VGT_ENGINE_NR &&
			       (unsigned int)cmd->platform < VGT_PLATFORM_NR ?
			       lookup(cmd->platform, e, cmd->header) : NULL;
	uint32_t h = cmd->header, op;
	uint64_t size;

	if (!d || !dw || dw[0] != h)
		return 0;
	if (gen7(cmd->platform))
		return gen7_operands(d, cmd, dw, out);
	switch (d->kind) {
	case K_SDI:	/* core mode (dw1 bit 0) may move the write up by one store */
		size = h & BIT(21) ? 8 : 4;
		out[0] = opnd(ggtt_if(h, 22), gm(dw + 1, ~3u), dw[1] & 1 ? 2 * size : size,
			      true, 3, "store");
		return 1;
	case K_SDX:
		out[0] = opnd(VGT_AS_HWSP, dw[1] & ~3u, h & BIT(21) ? 8 : 4, true, 2, "store");
		return 1;
	case K_LRM:
		out[0] = opnd(ggtt_if(h, 22), gm(dw + 2, ~3u), 4, false, 0, "load");
		return 1;
	case K_SRM:
		out[0] = opnd(ggtt_if(h, 22), gm(dw + 2, ~3u), 4, true, 0, "store");
		return 1;
	case K_FLUSH_DW:	/* post-sync op 15:14; 1: immediate dword or qword */
		op = (h >> 14) & 3;
		if (!op)
			return 0;
		size = op == 1 && cmd->len == 4 ? 4 : 8;
		if (h & BIT(21))
			out[0] = opnd(VGT_AS_HWSP, dw[1] & ~7u, size, true, op == 1 ? 3 : 0,
				      "post-sync");
		else
			out[0] = opnd(ggtt_if(dw[1], 2), gm(dw + 1, ~7u), size, true,
				      op == 1 ? 3 : 0, "post-sync");
		return 1;
	case K_PIPE_CONTROL:	/* dw1: post-sync 15:14, index 21, LRI 23, GGTT 24 */
		op = (dw[1] >> 14) & 3;
		if (!op || (dw[1] & BIT(23)))
			return 0;	/* no write, or a register write */
		if (dw[1] & BIT(21))
			out[0] = opnd(VGT_AS_HWSP, dw[2] & ~7u, 8, true, op == 1 ? 4 : 0,
				      "post-sync");
		else
			out[0] = opnd(ggtt_if(dw[1], 24), gm(dw + 2, ~7u), 8, true,
				      op == 1 ? 4 : 0, "post-sync");
		return 1;
	case K_SEMAPHORE:	/* bit 16: polls a register instead */
		if (h & BIT(16))
			return 0;
		out[0] = opnd(ggtt_if(h, 22), gm(dw + 2, ~3u), 4, false, 0, "semaphore");
		return 1;
	case K_COND_BBE:	/* compare mask mode (bit 19) reads mask and data */
		out[0] = opnd(ggtt_if(h, 22), gm(dw + 2, ~7u), h & BIT(19) ? 8 : 4, false,
			      0, "compare");
		return 1;
	case K_COPY_MEM:	/* GGTT: bit 22 source, bit 21 destination */
		out[0] = opnd(ggtt_if(h, 22), gm(dw + 3, ~3u), 4, false, 0, "src");
		out[1] = opnd(ggtt_if(h, 21), gm(dw + 1, ~3u), 4, true, 0, "dst");
		return 2;
	case K_ATOMIC:		/* data size 20:19: 4, 8, 16 bytes (3 reserved: 32) */
		out[0] = opnd(ggtt_if(h, 22), gm(dw + 1, ~3u), 4ULL << ((h >> 19) & 3), true,
			      h & BIT(18) ? 3 : 0, "atomic");
		out[0].read = true;
		return 1;
	case K_BBS:
		out[0] = opnd(h & BIT(8) ? VGT_AS_PPGTT : VGT_AS_GGTT, gm(dw + 1, ~3u), 4,
			      false, 0, "batch");
		return 1;
	case K_REPORT_HEAD:	/* the ring head, dword 4 of the status page */
		out[0] = opnd(VGT_AS_HWSP, 0x10, 4, true, 0, "head");
		return 1;
	default:
		return blt_operands(d, dw, out);
	}
}

static unsigned int gen7_operands(const struct desc *d, const struct vgt_cmd *cmd,
				  const uint32_t *dw, struct vgt_cmd_operand *out)
{
	uint32_t h = cmd->header, op;
	uint64_t size;

	switch (d->kind) {
	case K_SDI:	/* dw1 reserved, dw2 address, data from dw3 */
		out[0] = opnd(ggtt_if(h, 22), dw[2] & ~3u, cmd->len == 5 ? 8 : 4, true, 3,
			      "store");
		return 1;
	case K_SDX:
		out[0] = opnd(VGT_AS_HWSP, dw[1] & ~3u, cmd->len == 4 ? 8 : 4, true, 2, "store");
		return 1;
	case K_LRM:
		out[0] = opnd(ggtt_if(h, 22), dw[2] & ~3u, 4, false, 0, "load");
		return 1;
	case K_SRM:
		out[0] = opnd(ggtt_if(h, 22), dw[2] & ~3u, 4, true, 0, "store");
		return 1;
	case K_FLUSH_DW:	/* dw1 address (bit 2: GGTT), data from dw2 */
		op = (h >> 14) & 3;
		if (!op)
			return 0;
		size = op == 1 && cmd->len == 3 ? 4 : 8;
		out[0] = opnd(h & BIT(21) ? VGT_AS_HWSP : ggtt_if(dw[1], 2), dw[1] & ~7u, size,
			      true, op == 1 ? 2 : 0, "post-sync");
		return 1;
	case K_PIPE_CONTROL:	/* dw2 address, data from dw3 */
		op = (dw[1] >> 14) & 3;
		if (!op || (dw[1] & BIT(23)))
			return 0;
		size = op == 1 && cmd->len == 4 ? 4 : 8;
		out[0] = opnd(dw[1] & BIT(21) ? VGT_AS_HWSP : ggtt_if(dw[1], 24), dw[2] & ~7u,
			      size, true, op == 1 ? 3 : 0, "post-sync");
		return 1;
	case K_BBS:	/* HSW: bit 8 runs the batch in the PPGTT */
		out[0] = opnd(h & BIT(8) ? VGT_AS_PPGTT : VGT_AS_GGTT, dw[1] & ~3u, 4, false, 0,
			      "batch");
		return 1;
	case K_SET_CONTEXT:	/* the image the hardware saves and restores */
		out[0] = opnd(VGT_AS_GGTT, dw[1] & ~0xfffu, 4096, true, 0, "context");
		out[0].read = true;
		return 1;
	case K_REPORT_HEAD:
		out[0] = opnd(VGT_AS_HWSP, 0x10, 4, true, 0, "head");
		return 1;
	default:	/* no operands; gen8+ kinds are ABSENT */
		break;
	}
	if (cmd->client == 2) {
		uint32_t wide[VGT_CMD_BLT_MAX_DWORDS];
		unsigned int len;

		return blt_operands(d, vgt_cmd_blt_gen8(cmd, dw, wide, &len), out);
	}
	return 0;
}

unsigned int vgt_cmd_nregs(const struct vgt_cmd *cmd, const uint32_t *dw)
{
	uint32_t h = cmd->header;

	switch (cmd->client == 0 ? (h >> 23) & 0x3f : ~0u) {
	case 0x00:	/* MI_NOOP bit 22: write bits 21:0 to NOPID */
		return h & BIT(22) ? 1 : 0;
	case 0x22:
		return (cmd->len - 1) / 2;
	case 0x24:
	case 0x29:
		return 1;
	case 0x2a:
		return 2;
	case 0x1c:
		return h & BIT(16) ? 1 : 0;
	}
	if (cmd->op == VGT_OP_PIPE_CONTROL && dw && cmd->len >= 3)
		return dw[1] & BIT(23) ? 1 : 0;
	return 0;
}

struct vgt_cmd_reg vgt_cmd_reg(enum vgt_engine_id e, const struct vgt_cmd *cmd,
			       const uint32_t *dw, unsigned int i)
{
	struct vgt_cmd_reg r = { 0 };

	if (i >= vgt_cmd_nregs(cmd, dw))
		return r;
	switch (cmd->op) {
	case VGT_OP_NOP:
		r = (struct vgt_cmd_reg){ vgt_engine_mmio_base(e) + RING_NOPID, true, 0 };
		break;
	case VGT_OP_LRI:
		r = (struct vgt_cmd_reg){ dw[1 + 2 * i] & REG_MASK, true, 2 + 2 * i };
		break;
	case VGT_OP_LRM:
	case VGT_OP_SRM:
		r = (struct vgt_cmd_reg){ dw[1] & REG_MASK, cmd->op == VGT_OP_LRM, 0 };
		break;
	case VGT_OP_LRR:	/* dw1 source, dw2 destination */
		r = (struct vgt_cmd_reg){ dw[1 + i] & REG_MASK, i == 1, 0 };
		break;
	case VGT_OP_SEMAPHORE_WAIT:
		r = (struct vgt_cmd_reg){ dw[2] & REG_MASK, false, 0 };
		break;
	case VGT_OP_PIPE_CONTROL:	/* LRI post-sync: immediate (gen9 dw4, gen7 dw3) to dw2's */
		r = (struct vgt_cmd_reg){ dw[2] & REG_MASK, true, gen7(cmd->platform) ? 3 : 4 };
		break;
	default:
		break;
	}
	return r;
}

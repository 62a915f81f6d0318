// SPDX-License-Identifier: MIT
/*
 * Command address audit for gen9 (Skylake) command streams.
 *
 * Why. With ballooning the host does not translate graphics addresses: a
 * guest's commands reach the GPU with the GGTT addresses the guest wrote,
 * and the GGTT is shared by every vGPU and the host. Isolation then rests
 * on refusing any command that would touch GGTT memory outside the
 * submitter's two slices (mappable and hidden).
 *
 * Threat model. The guest controls every dword of its rings and batches. A
 * malicious guest can try to:
 *  - aim an explicit GGTT operand (store immediate, register load/store
 *    from memory, flush or pipe-control post-sync write, atomic, batch
 *    start) at another vGPU's or the host's memory;
 *  - start the operand inside its slice and let it run past the slice end,
 *    or past 2^48 so it wraps to low addresses, or make it huge;
 *  - hide a command from the audit: a bogus length that desynchronises the
 *    decoder, an opcode the audit does not know, a command cut by the end
 *    of the buffer, a batch that runs off its end;
 *  - use the store-data-index forms to write beyond the status page;
 *  - use commands whose memory effect cannot be bounded here (MI_UPDATE_GTT
 *    writes the GGTT itself; conditional batch ends, semaphore waits on
 *    GGTT, perf reports, cache-line flushes, URB and resource-streamer
 *    memory, display flips);
 *  - exhaust the host: batches chaining into themselves, deep chains, or
 *    enormous streams.
 *
 * What the audit guarantees, for the dwords it is given and the batches it
 * follows: each command is decoded with the length the hardware would use,
 * from a table per command client; an unknown opcode, a length the command
 * cannot have, or a command cut short is refused, never skipped. Every
 * explicit GGTT operand [addr, addr + size) lies wholly inside one slice,
 * is computed without overflow in the 48-bit address space and is at most
 * max_surface bytes. Store-data-index writes stay inside the 4 KiB hardware
 * status page. The commands above that cannot be bounded are refused.
 * Batch starts in GGTT mode must point inside a slice; with a fetch
 * callback they are followed (nesting rules of gen9: the ring may start a
 * first-level batch, which may chain or call one second level, which may
 * start nothing), never reading past the slice that holds them, within a
 * depth and a dword budget, and a chain back into a batch already on the
 * path is refused as a loop. Each refusal has its own reason, the command's
 * name, its offset and the operand.
 *
 * What it does not do: PPGTT operands and PPGTT batches are not checked or
 * followed (the host shadows PPGTTs). Implicit addresses of 2D, 3D and
 * media commands (surface and state base addresses, vertex and index
 * buffers) are not audited: they are PPGTT in the usual guest batch, but a
 * ring or GGTT batch would use them as GGTT addresses. Register offsets of
 * MI_LOAD_REGISTER_* and PIPE_CONTROL's register write are not checked (the
 * MMIO side owns registers). Commands are not rewritten (GVT-g patches
 * index-mode writes to absolute addresses; here they are only bounded). The
 * audit says nothing about what happens if the memory changes after it ran:
 * the caller must audit a private copy (GVT-g shadows batches). Video
 * (MFX/VEBOX) command sets are not decoded and are refused as unknown.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vgt_audit.h"

#define GM_LIMIT	(1ULL << 48)
#define GGTT_BIT	(1u << 22)	/* MI commands: use the global GTT */
#define BB_SECOND_LEVEL	(1u << 22)	/* MI_BATCH_BUFFER_START: returns */
#define BB_PPGTT	(1u << 8)	/* MI_BATCH_BUFFER_START: PPGTT (gen8+) */
#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

/* What an entry needs beyond its length. */
enum check {
	CK_NONE,
	CK_REFUSE,		/* refused outright */
	CK_STORE_IMM,		/* MI_STORE_DATA_IMM */
	CK_STORE_INDEX,		/* MI_STORE_DATA_INDEX: HWSP relative */
	CK_REG_MEM,		/* MI_LOAD/STORE_REGISTER_MEM */
	CK_FLUSH_DW,
	CK_ATOMIC,
	CK_SEMAPHORE,		/* refused when on the GGTT */
	CK_BB_START,
	CK_BB_END,
	CK_PIPE_CONTROL,
};

/*
 * One command. len_bits is the width of the length field (the command is
 * len_field + 2 dwords); 0 means a fixed length of len_min. len_min and
 * len_max bound the decoded length (len_max 0: no upper bound).
 */
struct cmd_desc {
	const char *name;
	uint8_t len_bits, len_min, len_max, check;
};

#define FIXED(n, nm)		{ nm, 0, n, n, CK_NONE }
#define VAR(nm, bits)		{ nm, bits, 2, 0, CK_NONE }
#define EXACT(nm, bits, n, ck)	{ nm, bits, n, n, ck }
#define REFUSE(nm, bits)	{ nm, bits, 2, 0, CK_REFUSE }

/* Client 0 (MI), indexed by bits 28:23. Lengths per gen8+ encodings. */
static const struct cmd_desc mi_cmds[64] = {
	[0x00] = FIXED(1, "MI_NOOP"),
	[0x01] = FIXED(1, "MI_SET_PREDICATE"),
	[0x02] = FIXED(1, "MI_USER_INTERRUPT"),
	[0x03] = FIXED(1, "MI_WAIT_FOR_EVENT"),
	[0x04] = FIXED(1, "MI_FLUSH"),
	[0x05] = FIXED(1, "MI_ARB_CHECK"),
	[0x06] = FIXED(1, "MI_RS_CONTROL"),
	[0x07] = FIXED(1, "MI_REPORT_HEAD"),
	[0x08] = FIXED(1, "MI_ARB_ON_OFF"),
	[0x09] = FIXED(1, "MI_URB_ATOMIC_ALLOC"),
	[0x0a] = { "MI_BATCH_BUFFER_END", 0, 1, 1, CK_BB_END },
	[0x0b] = FIXED(1, "MI_SUSPEND_FLUSH"),
	[0x0c] = FIXED(1, "MI_PREDICATE"),
	[0x0d] = FIXED(1, "MI_TOPOLOGY_FILTER"),
	[0x0e] = FIXED(1, "MI_SET_APPID"),
	[0x0f] = FIXED(1, "MI_RS_CONTEXT"),
	[0x12] = FIXED(2, "MI_LOAD_SCAN_LINES_INCL"),
	[0x14] = REFUSE("MI_DISPLAY_FLIP", 8),
	[0x19] = EXACT("MI_URB_CLEAR", 8, 2, CK_NONE),
	[0x1a] = VAR("MI_MATH", 8),
	[0x1b] = EXACT("MI_SEMAPHORE_SIGNAL", 8, 2, CK_NONE),
	[0x1c] = EXACT("MI_SEMAPHORE_WAIT", 8, 4, CK_SEMAPHORE),
	[0x20] = { "MI_STORE_DATA_IMM", 10, 4, 5, CK_STORE_IMM },
	[0x21] = { "MI_STORE_DATA_INDEX", 8, 3, 4, CK_STORE_INDEX },
	[0x22] = VAR("MI_LOAD_REGISTER_IMM", 8),
	[0x23] = REFUSE("MI_UPDATE_GTT", 10),
	[0x24] = EXACT("MI_STORE_REGISTER_MEM", 8, 4, CK_REG_MEM),
	[0x26] = { "MI_FLUSH_DW", 6, 4, 5, CK_FLUSH_DW },
	[0x27] = REFUSE("MI_CLFLUSH", 10),
	[0x28] = REFUSE("MI_REPORT_PERF_COUNT", 6),
	[0x29] = EXACT("MI_LOAD_REGISTER_MEM", 8, 4, CK_REG_MEM),
	[0x2a] = EXACT("MI_LOAD_REGISTER_REG", 8, 3, CK_NONE),
	[0x2b] = REFUSE("MI_RS_STORE_DATA_IMM", 8),
	[0x2c] = REFUSE("MI_LOAD_URB_MEM", 8),
	[0x2d] = REFUSE("MI_STORE_URB_MEM", 8),
	[0x2e] = REFUSE("MI_OP_2E", 8),
	[0x2f] = { "MI_ATOMIC", 8, 3, 11, CK_ATOMIC },
	[0x31] = EXACT("MI_BATCH_BUFFER_START", 8, 3, CK_BB_START),
	[0x36] = REFUSE("MI_CONDITIONAL_BATCH_BUFFER_END", 8),
};

/* Client 2 (2D blitter), indexed by bits 28:22; length in bits 7:0. */
static const struct cmd_desc blt_cmds[128] = {
	[0x01] = VAR("XY_SETUP_BLT", 8),
	[0x03] = VAR("XY_SETUP_CLIP_BLT", 8),
	[0x11] = VAR("XY_SETUP_MONO_PATTERN_SL_BLT", 8),
	[0x24] = VAR("XY_PIXEL_BLT", 8),
	[0x25] = VAR("XY_SCANLINES_BLT", 8),
	[0x26] = VAR("XY_TEXT_BLT", 8),
	[0x31] = VAR("XY_TEXT_IMMEDIATE_BLT", 8),
	[0x42] = VAR("XY_FAST_COPY_BLT", 8),
	[0x50] = VAR("XY_COLOR_BLT", 8),
	[0x51] = VAR("XY_PAT_BLT", 8),
	[0x52] = VAR("XY_MONO_PAT_BLT", 8),
	[0x53] = VAR("XY_SRC_COPY_BLT", 8),
	[0x54] = VAR("XY_MONO_SRC_COPY_BLT", 8),
	[0x55] = VAR("XY_FULL_BLT", 8),
	[0x56] = VAR("XY_FULL_MONO_SRC_BLT", 8),
	[0x57] = VAR("XY_FULL_MONO_PATTERN_BLT", 8),
	[0x58] = VAR("XY_FULL_MONO_PATTERN_MONO_SRC_BLT", 8),
	[0x59] = VAR("XY_MONO_PAT_FIXED_BLT", 8),
	[0x71] = VAR("XY_MONO_SRC_COPY_IMMEDIATE_BLT", 8),
	[0x72] = VAR("XY_PAT_BLT_IMMEDIATE", 8),
	[0x73] = VAR("XY_SRC_COPY_CHROMA_BLT", 8),
	[0x74] = VAR("XY_FULL_IMMEDIATE_PATTERN_BLT", 8),
	[0x75] = VAR("XY_FULL_MONO_SRC_IMMEDIATE_PATTERN_BLT", 8),
	[0x76] = VAR("XY_PAT_CHROMA_BLT", 8),
	[0x77] = VAR("XY_PAT_CHROMA_BLT_IMMEDIATE", 8),
};

/*
 * Client 3 (3D, media, GPGPU): pipeline type bits 28:27, opcode 26:24,
 * sub-opcode 23:16. One table per (pipeline, opcode), indexed by sub-opcode.
 */
static const struct cmd_desc gfx_0_0[] = {	/* common, non-pipelined */
	[0x03] = VAR("STATE_PREFETCH", 8),
};
static const struct cmd_desc gfx_0_1[] = {
	[0x01] = VAR("STATE_BASE_ADDRESS", 8),
	[0x02] = VAR("STATE_SIP", 8),
};
static const struct cmd_desc gfx_1_0[] = {	/* single dword */
	[0x0b] = FIXED(1, "3DSTATE_VF_STATISTICS_GM45"),
};
static const struct cmd_desc gfx_1_1[] = {
	[0x04] = FIXED(1, "PIPELINE_SELECT"),
};
static const struct cmd_desc gfx_2_0[] = {	/* media state */
	[0x00] = VAR("MEDIA_VFE_STATE", 16),
	[0x01] = VAR("MEDIA_CURBE_LOAD", 16),
	[0x02] = VAR("MEDIA_INTERFACE_DESCRIPTOR_LOAD", 16),
	[0x03] = VAR("MEDIA_GATEWAY_STATE", 16),
	[0x04] = VAR("MEDIA_STATE_FLUSH", 16),
	[0x05] = VAR("MEDIA_POOL_STATE", 16),
};
static const struct cmd_desc gfx_2_1[] = {	/* media objects, GPGPU */
	[0x00] = VAR("MEDIA_OBJECT", 16),
	[0x02] = VAR("MEDIA_OBJECT_PRT", 16),
	[0x03] = VAR("MEDIA_OBJECT_WALKER", 16),
	[0x05] = VAR("GPGPU_WALKER", 8),
};
static const struct cmd_desc gfx_3_0[] = {	/* 3D state, pipelined */
	[0x04] = VAR("3DSTATE_CLEAR_PARAMS", 8),
	[0x05] = VAR("3DSTATE_DEPTH_BUFFER", 8),
	[0x06] = VAR("3DSTATE_STENCIL_BUFFER", 8),
	[0x07] = VAR("3DSTATE_HIER_DEPTH_BUFFER", 8),
	[0x08] = VAR("3DSTATE_VERTEX_BUFFERS", 8),
	[0x09] = VAR("3DSTATE_VERTEX_ELEMENTS", 8),
	[0x0a] = VAR("3DSTATE_INDEX_BUFFER", 8),
	[0x0b] = FIXED(1, "3DSTATE_VF_STATISTICS"),
	[0x0c] = VAR("3DSTATE_VF", 8),
	[0x0d] = VAR("3DSTATE_MULTISAMPLE", 8),
	[0x0e] = VAR("3DSTATE_CC_STATE_POINTERS", 8),
	[0x0f] = VAR("3DSTATE_SCISSOR_STATE_POINTERS", 8),
	[0x10] = VAR("3DSTATE_VS", 8),
	[0x11] = VAR("3DSTATE_GS", 8),
	[0x12] = VAR("3DSTATE_CLIP", 8),
	[0x13] = VAR("3DSTATE_SF", 8),
	[0x14] = VAR("3DSTATE_WM", 8),
	[0x15] = VAR("3DSTATE_CONSTANT_VS", 8),
	[0x16] = VAR("3DSTATE_CONSTANT_GS", 8),
	[0x17] = VAR("3DSTATE_CONSTANT_PS", 8),
	[0x18] = VAR("3DSTATE_SAMPLE_MASK", 8),
	[0x19] = VAR("3DSTATE_CONSTANT_HS", 8),
	[0x1a] = VAR("3DSTATE_CONSTANT_DS", 8),
	[0x1b] = VAR("3DSTATE_HS", 8),
	[0x1c] = VAR("3DSTATE_TE", 8),
	[0x1d] = VAR("3DSTATE_DS", 8),
	[0x1e] = VAR("3DSTATE_STREAMOUT", 8),
	[0x1f] = VAR("3DSTATE_SBE", 8),
	[0x20] = VAR("3DSTATE_PS", 8),
	[0x21] = VAR("3DSTATE_VIEWPORT_STATE_POINTERS_SF_CLIP", 8),
	[0x23] = VAR("3DSTATE_VIEWPORT_STATE_POINTERS_CC", 8),
	[0x24] = VAR("3DSTATE_BLEND_STATE_POINTERS", 8),
	[0x25] = VAR("3DSTATE_DEPTH_STENCIL_STATE_POINTERS", 8),
	[0x26] = VAR("3DSTATE_BINDING_TABLE_POINTERS_VS", 8),
	[0x27] = VAR("3DSTATE_BINDING_TABLE_POINTERS_HS", 8),
	[0x28] = VAR("3DSTATE_BINDING_TABLE_POINTERS_DS", 8),
	[0x29] = VAR("3DSTATE_BINDING_TABLE_POINTERS_GS", 8),
	[0x2a] = VAR("3DSTATE_BINDING_TABLE_POINTERS_PS", 8),
	[0x2b] = VAR("3DSTATE_SAMPLER_STATE_POINTERS_VS", 8),
	[0x2c] = VAR("3DSTATE_SAMPLER_STATE_POINTERS_HS", 8),
	[0x2d] = VAR("3DSTATE_SAMPLER_STATE_POINTERS_DS", 8),
	[0x2e] = VAR("3DSTATE_SAMPLER_STATE_POINTERS_GS", 8),
	[0x2f] = VAR("3DSTATE_SAMPLER_STATE_POINTERS_PS", 8),
	[0x30] = VAR("3DSTATE_URB_VS", 8),
	[0x31] = VAR("3DSTATE_URB_HS", 8),
	[0x32] = VAR("3DSTATE_URB_DS", 8),
	[0x33] = VAR("3DSTATE_URB_GS", 8),
	[0x34] = VAR("3DSTATE_GATHER_CONSTANT_VS", 8),
	[0x35] = VAR("3DSTATE_GATHER_CONSTANT_GS", 8),
	[0x36] = VAR("3DSTATE_GATHER_CONSTANT_HS", 8),
	[0x37] = VAR("3DSTATE_GATHER_CONSTANT_DS", 8),
	[0x38] = VAR("3DSTATE_GATHER_CONSTANT_PS", 8),
	[0x39] = VAR("3DSTATE_DX9_CONSTANTF_VS", 11),
	[0x3a] = VAR("3DSTATE_DX9_CONSTANTF_PS", 11),
	[0x3b] = VAR("3DSTATE_DX9_CONSTANTI_VS", 8),
	[0x3c] = VAR("3DSTATE_DX9_CONSTANTI_PS", 8),
	[0x3d] = VAR("3DSTATE_DX9_CONSTANTB_VS", 8),
	[0x3e] = VAR("3DSTATE_DX9_CONSTANTB_PS", 8),
	[0x3f] = VAR("3DSTATE_DX9_LOCAL_VALID_VS", 8),
	[0x40] = VAR("3DSTATE_DX9_LOCAL_VALID_PS", 8),
	[0x41] = VAR("3DSTATE_DX9_GENERATE_ACTIVE_VS", 8),
	[0x42] = VAR("3DSTATE_DX9_GENERATE_ACTIVE_PS", 8),
	[0x43] = VAR("3DSTATE_BINDING_TABLE_EDIT_VS", 9),
	[0x44] = VAR("3DSTATE_BINDING_TABLE_EDIT_GS", 9),
	[0x45] = VAR("3DSTATE_BINDING_TABLE_EDIT_HS", 9),
	[0x46] = VAR("3DSTATE_BINDING_TABLE_EDIT_DS", 9),
	[0x47] = VAR("3DSTATE_BINDING_TABLE_EDIT_PS", 9),
	[0x49] = VAR("3DSTATE_VF_INSTANCING", 8),
	[0x4a] = VAR("3DSTATE_VF_SGVS", 8),
	[0x4b] = VAR("3DSTATE_VF_TOPOLOGY", 8),
	[0x4c] = VAR("3DSTATE_WM_CHROMAKEY", 8),
	[0x4d] = VAR("3DSTATE_PS_BLEND", 8),
	[0x4e] = VAR("3DSTATE_WM_DEPTH_STENCIL", 8),
	[0x4f] = VAR("3DSTATE_PS_EXTRA", 8),
	[0x50] = VAR("3DSTATE_RASTER", 8),
	[0x51] = VAR("3DSTATE_SBE_SWIZ", 8),
	[0x52] = VAR("3DSTATE_WM_HZ_OP", 8),
	[0x55] = VAR("3DSTATE_COMPONENT_PACKING", 8),
};
static const struct cmd_desc gfx_3_1[] = {	/* 3D state, non-pipelined */
	[0x00] = VAR("3DSTATE_DRAWING_RECTANGLE", 8),
	[0x02] = VAR("3DSTATE_SAMPLER_PALETTE_LOAD0", 8),
	[0x04] = VAR("3DSTATE_CHROMA_KEY", 8),
	[0x06] = VAR("3DSTATE_POLY_STIPPLE_OFFSET", 8),
	[0x07] = VAR("3DSTATE_POLY_STIPPLE_PATTERN", 8),
	[0x08] = VAR("3DSTATE_LINE_STIPPLE", 8),
	[0x0a] = VAR("3DSTATE_AA_LINE_PARAMS", 8),
	[0x0b] = VAR("3DSTATE_GS_SVB_INDEX", 8),
	[0x0c] = VAR("3DSTATE_SAMPLER_PALETTE_LOAD1", 8),
	[0x11] = VAR("3DSTATE_MONOFILTER_SIZE", 8),
	[0x12] = VAR("3DSTATE_PUSH_CONSTANT_ALLOC_VS", 8),
	[0x13] = VAR("3DSTATE_PUSH_CONSTANT_ALLOC_HS", 8),
	[0x14] = VAR("3DSTATE_PUSH_CONSTANT_ALLOC_DS", 8),
	[0x15] = VAR("3DSTATE_PUSH_CONSTANT_ALLOC_GS", 8),
	[0x16] = VAR("3DSTATE_PUSH_CONSTANT_ALLOC_PS", 8),
	[0x17] = VAR("3DSTATE_SO_DECL_LIST", 9),
	[0x18] = VAR("3DSTATE_SO_BUFFER", 8),
	[0x19] = VAR("3DSTATE_BINDING_TABLE_POOL_ALLOC", 8),
	[0x1a] = VAR("3DSTATE_GATHER_POOL_ALLOC", 8),
	[0x1b] = VAR("3DSTATE_DX9_CONSTANT_BUFFER_POOL_ALLOC", 8),
	[0x1c] = VAR("3DSTATE_SAMPLE_PATTERN", 8),
};
static const struct cmd_desc gfx_3_2[] = {
	[0x00] = { "PIPE_CONTROL", 8, 2, 0, CK_PIPE_CONTROL },
};
static const struct cmd_desc gfx_3_3[] = {
	[0x00] = VAR("3DPRIMITIVE", 8),
};

#define GROUP(t) { t, ARRAY_LEN(t) }
static const struct {
	const struct cmd_desc *t;
	unsigned int n;
} gfx_groups[4][8] = {
	[0] = { [0] = GROUP(gfx_0_0), [1] = GROUP(gfx_0_1) },
	[1] = { [0] = GROUP(gfx_1_0), [1] = GROUP(gfx_1_1) },
	[2] = { [0] = GROUP(gfx_2_0), [1] = GROUP(gfx_2_1) },
	[3] = { [0] = GROUP(gfx_3_0), [1] = GROUP(gfx_3_1),
		[2] = GROUP(gfx_3_2), [3] = GROUP(gfx_3_3) },
};

/* The descriptor of a header, or NULL (unknown, rejected by default). */
static const struct cmd_desc *lookup(uint32_t h)
{
	const struct cmd_desc *d;
	unsigned int sub;

	switch (h >> 29) {
	case 0:
		d = &mi_cmds[(h >> 23) & 0x3f];
		break;
	case 2:
		d = &blt_cmds[(h >> 22) & 0x7f];
		break;
	case 3:
		sub = (h >> 16) & 0xff;
		if (sub >= gfx_groups[(h >> 27) & 3][(h >> 24) & 7].n)
			return NULL;
		d = &gfx_groups[(h >> 27) & 3][(h >> 24) & 7].t[sub];
		break;
	default:
		return NULL;
	}
	return d->name ? d : NULL;
}

static const char *unknown_name(uint32_t h)
{
	static const char *const names[8] = {
		"MI_UNKNOWN", "CLIENT1_UNKNOWN", "BLT_UNKNOWN", "GFX_UNKNOWN",
		"CLIENT4_UNKNOWN", "CLIENT5_UNKNOWN", "CLIENT6_UNKNOWN",
		"CLIENT7_UNKNOWN",
	};

	return names[h >> 29];
}

static const struct {
	const char *name, *desc;
} reasons[VGT_AUDIT_NR] = {
	[VGT_AUDIT_OK] = { "ok", "no refusal" },
	[VGT_AUDIT_UNKNOWN_OPCODE] = { "unknown-opcode", "not a known gen9 command" },
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

/* Where the command being checked is. */
struct site {
	const uint32_t *p;	/* its dwords */
	size_t at, len;		/* offset in its buffer, length */
	unsigned int depth;
	enum level level;
	uint64_t batch;		/* GGTT address of its buffer (depth > 0) */
	const char *name;
};

static int refuse(struct walk *w, const struct site *s, enum vgt_audit_reason r,
		  uint64_t addr, uint64_t size)
{
	*w->out = (struct vgt_audit_result){
		.reason = r, .dword = s->at, .depth = s->depth, .batch = s->batch,
		.command = s->name, .header = s->p ? s->p[0] : 0,
		.addr = addr, .size = size,
	};
	return -EACCES;
}

/* Is [addr, addr + size) wholly inside [base, base + len)? No overflow. */
static bool inside(uint64_t addr, uint64_t size, uint64_t base, uint64_t len)
{
	return addr >= base && addr - base < len && size <= len - (addr - base);
}

static enum vgt_audit_reason check_range(const struct vgt_audit_ctx *c,
					 uint64_t addr, uint64_t size)
{
	if (size > c->max_surface)
		return VGT_AUDIT_TOO_LARGE;
	if (addr >= GM_LIMIT || size > GM_LIMIT - addr)
		return VGT_AUDIT_WRAPS;
	if (inside(addr, size, c->mappable_base, c->mappable_size) ||
	    inside(addr, size, c->hidden_base, c->hidden_size))
		return VGT_AUDIT_OK;
	return VGT_AUDIT_OUTSIDE_SLICE;
}

/* A 48-bit graphics address: low dword (masked) and bits 15:0 of the next. */
static uint64_t gm_addr(const uint32_t *p, uint32_t low_mask)
{
	return ((uint64_t)(p[1] & 0xffff) << 32) | (p[0] & low_mask);
}

static int ggtt_operand(struct walk *w, const struct site *s, uint64_t addr,
			uint64_t size)
{
	enum vgt_audit_reason r = check_range(w->ctx, addr, size);

	return r ? refuse(w, s, r, addr, size) : NEXT;
}

/* Store-data-index: [offset, offset + size) inside the status page. */
static int hwsp_operand(struct walk *w, const struct site *s, uint32_t offset,
			uint64_t size)
{
	return offset < VGT_AUDIT_HWSP_SIZE && size <= VGT_AUDIT_HWSP_SIZE - offset ?
	       NEXT : refuse(w, s, VGT_AUDIT_BAD_INDEX, offset, size);
}

static int walk_buffer(struct walk *w, const uint32_t *dw, size_t n,
		       enum level level, unsigned int depth, uint64_t batch);

/*
 * MI_BATCH_BUFFER_START. Gen8+: bit 8 set selects PPGTT, bit 22 a
 * second-level (returning) batch. From the ring, the batch returns to the
 * ring at its end; from a first-level batch without bit 22 it is a jump.
 */
static int bb_start(struct walk *w, const struct site *s)
{
	const struct vgt_audit_ctx *c = w->ctx;
	bool second = s->p[0] & BB_SECOND_LEVEL;
	int after = s->level == LVL_FIRST && !second ? STOP : NEXT;
	uint64_t addr, base, len;
	const uint32_t *b;
	size_t bn = 0;
	unsigned int d;
	int ret;

	if (s->level == LVL_SECOND || (second && s->level == LVL_RING))
		return refuse(w, s, VGT_AUDIT_BAD_NESTING, 0, 0);
	if (s->p[0] & BB_PPGTT)
		return after;		/* PPGTT batch: the host shadows PPGTTs */
	addr = gm_addr(s->p + 1, ~3u);
	ret = ggtt_operand(w, s, addr, 4);
	if (ret || !c->fetch)
		return ret ? ret : after;

	if (after == STOP)	/* a jump: returning into the path never ends */
		for (d = 1; d <= s->depth; d++)
			if (addr >= w->path[d].start && addr < w->path[d].end)
				return refuse(w, s, VGT_AUDIT_CHAIN_LOOP, addr, 4);
	if (s->depth + 1 > c->max_depth)
		return refuse(w, s, VGT_AUDIT_DEPTH, addr, 4);
	b = c->fetch(c->priv, addr, &bn);
	/* Never read beyond the slice that holds the batch. */
	if (inside(addr, 4, c->mappable_base, c->mappable_size))
		base = c->mappable_base, len = c->mappable_size;
	else
		base = c->hidden_base, len = c->hidden_size;
	if ((base + len - addr) / 4 < bn)
		bn = (base + len - addr) / 4;
	if (!b || !bn)
		return refuse(w, s, VGT_AUDIT_UNREADABLE, addr, 4);
	ret = walk_buffer(w, b, bn, s->level == LVL_RING ? LVL_FIRST :
			  second ? LVL_SECOND : LVL_FIRST, s->depth + 1, addr);
	return ret ? ret : after;
}

/* PIPE_CONTROL: dw1 post-sync op 15:14, store index 21, global GTT 24. */
static int pipe_control(struct walk *w, const struct site *s)
{
	uint32_t flags = s->p[1];

	if (!((flags >> 14) & 3))
		return NEXT;	/* no post-sync write (a register write is not memory) */
	if (s->len < 4)
		return refuse(w, s, VGT_AUDIT_BAD_LENGTH, 0, 0);
	if (flags & (1u << 21))
		return hwsp_operand(w, s, s->p[2] & ~7u, 8);
	if (!(flags & (1u << 24)))
		return NEXT;	/* PPGTT */
	return ggtt_operand(w, s, gm_addr(s->p + 2, ~7u), 8);
}

/* The checks of the commands that have them (the length is known good). */
static int check_cmd(struct walk *w, const struct cmd_desc *d, const struct site *s)
{
	const uint32_t *p = s->p;
	bool ggtt = p[0] & GGTT_BIT;
	uint64_t size;

	switch (d->check) {
	case CK_REFUSE:
		return refuse(w, s, VGT_AUDIT_PRIVILEGED, 0, 0);
	case CK_SEMAPHORE:
		return ggtt ? refuse(w, s, VGT_AUDIT_PRIVILEGED, gm_addr(p + 2, ~3u), 4) : NEXT;
	case CK_STORE_IMM:	/* bit 21: a qword, 5 dwords; else a dword, 4 */
		size = p[0] & (1u << 21) ? 8 : 4;
		if (s->len != size / 4 + 3)
			return refuse(w, s, VGT_AUDIT_BAD_LENGTH, 0, 0);
		if (!ggtt)
			return NEXT;
		/* Core-mode (bit 0) may move the write up by one store: cover both. */
		return ggtt_operand(w, s, gm_addr(p + 1, ~3u), p[1] & 1 ? 2 * size : size);
	case CK_STORE_INDEX:	/* dw1 offset into the HWSP; bit 21: a qword */
		size = p[0] & (1u << 21) ? 8 : 4;
		if (s->len != size / 4 + 2)
			return refuse(w, s, VGT_AUDIT_BAD_LENGTH, 0, 0);
		return hwsp_operand(w, s, p[1] & ~3u, size);
	case CK_REG_MEM:
		return ggtt ? ggtt_operand(w, s, gm_addr(p + 2, ~3u), 4) : NEXT;
	case CK_FLUSH_DW:	/* post-sync op 15:14, index 21; dw1 bit 2: GGTT */
		if (!((p[0] >> 14) & 3))
			return NEXT;
		if (p[0] & (1u << 21))
			return hwsp_operand(w, s, p[1] & ~7u, 8);
		return p[1] & (1u << 2) ? ggtt_operand(w, s, gm_addr(p + 1, ~7u), 8) : NEXT;
	case CK_ATOMIC:		/* data size 20:19; bit 18: inline data, 11 dwords */
		if (s->len != (p[0] & (1u << 18) ? 11u : 3u))
			return refuse(w, s, VGT_AUDIT_BAD_LENGTH, 0, 0);
		return ggtt ? ggtt_operand(w, s, gm_addr(p + 1, ~3u),
					   4ULL << ((p[0] >> 19) & 3)) : NEXT;
	case CK_PIPE_CONTROL:
		return pipe_control(w, s);
	case CK_BB_START:
		return bb_start(w, s);
	case CK_BB_END:	/* ends a batch; in a ring the audit reads on */
		return s->level == LVL_RING ? NEXT : STOP;
	default:
		return NEXT;
	}
}

static int walk_buffer(struct walk *w, const uint32_t *dw, size_t n,
		       enum level level, unsigned int depth, uint64_t batch)
{
	struct site s = { .depth = depth, .level = level, .batch = batch };
	const struct cmd_desc *d;
	size_t i = 0;
	int ret;

	while (i < n) {
		uint32_t h = dw[i];

		s.p = dw + i;
		s.at = i;
		d = lookup(h);
		if (!d) {
			s.name = unknown_name(h);
			return refuse(w, &s, VGT_AUDIT_UNKNOWN_OPCODE, 0, 0);
		}
		s.name = d->name;
		s.len = d->len_bits ? (h & ((1u << d->len_bits) - 1)) + 2 : d->len_min;
		if (s.len < d->len_min || (d->len_max && s.len > d->len_max))
			return refuse(w, &s, VGT_AUDIT_BAD_LENGTH, 0, 0);
		if (s.len > n - i)
			return refuse(w, &s, VGT_AUDIT_TRUNCATED, 0, 0);
		if (s.len > w->ctx->max_dwords - w->used)
			return refuse(w, &s, VGT_AUDIT_BUDGET, 0, 0);
		w->used += s.len;
		if (d->check != CK_NONE) {
			if (depth) {
				w->path[depth].start = batch;
				w->path[depth].end = batch + 4 * (uint64_t)(i + s.len);
			}
			ret = check_cmd(w, d, &s);
			if (ret < 0)
				return ret;
			if (ret == STOP)
				return 0;
		}
		i += s.len;
	}
	if (level == LVL_RING)
		return 0;
	s.p = NULL;
	s.at = n;
	s.name = "END_OF_BUFFER";
	return refuse(w, &s, VGT_AUDIT_UNTERMINATED, 0, 0);
}

int vgt_audit(const struct vgt_audit_ctx *ctx, const uint32_t *dw, size_t n_dw,
	      struct vgt_audit_result *out)
{
	struct vgt_audit_ctx c;
	struct walk w;

	if (!ctx || !out || (!dw && n_dw))
		return -EINVAL;
	c = *ctx;
	if (c.mappable_base > GM_LIMIT || c.mappable_size > GM_LIMIT - c.mappable_base ||
	    c.hidden_base > GM_LIMIT || c.hidden_size > GM_LIMIT - c.hidden_base ||
	    (c.buffer != VGT_AUDIT_RING && c.buffer != VGT_AUDIT_BATCH) ||
	    c.max_depth > VGT_AUDIT_DEPTH_MAX)
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

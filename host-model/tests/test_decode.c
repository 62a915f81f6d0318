// SPDX-License-Identifier: MIT
/*
 * TEST: host:test_decode, the one gen9 command decoder (cmd_decode.c).
 *
 * SUBTEST: tables - every header of every client on every engine decodes
 *   as the independent table below says: the command, or unknown. The
 *   table was written from the gen9 formats as Intel's media driver
 *   (mhw_*_hwcmd_g9_*.h), Mesa's genxml and the 6.1 i915 headers give them,
 *   and each entry says how GVT-g's table (gvt/cmd_parser.c) differs.
 * SUBTEST: lengths - each command's length field width and allowed lengths.
 * SUBTEST: operands - address space, masking, size, direction of each
 *   memory operand; 2D byte ranges worked out by hand.
 * SUBTEST: registers - which registers the register commands touch.
 */
#include <stdlib.h>
#include <string.h>

#include "vgt_cmd.h"
#include "vgt_test.h"

#define R	(1u << VGT_RCS)
#define B	(1u << VGT_BCS)
#define V	(1u << VGT_VCS)
#define VE	(1u << VGT_VECS)
#define ALL	(R | B | V | VE)
#define N(a)	(sizeof(a) / sizeof((a)[0]))

/* Headers written the way GVT-g and the PRM number them. */
#define MIH(op)			((uint32_t)(op) << 23)
#define BLTH(op)		((2u << 29) | ((uint32_t)(op) << 22))
#define G3(pipe, op, sub)	((3u << 29) | ((pipe) << 27) | ((op) << 24) | ((sub) << 16))

enum { ODD = 1, MBZ = 2, REFUSED = 4 };

/*
 * One command: its opcode bits (length field 0), the engines that have it
 * (0: none, listed because GVT-g has it), the length field width (0: one
 * dword), the allowed lengths, and GVT-g's difference.
 */
struct expect {
	const char *name;
	uint32_t header;
	unsigned int engines, bits, min, max, rule;
	const char *gvt;
};

static const char same[] = "same";

static const struct expect table[] = {
	/* MI, client 0, opcode 28:23 */
	{ "MI_NOOP", MIH(0x00), ALL, 0, 1, 1, 0, same },
	{ "MI_SET_PREDICATE", MIH(0x01), ALL, 0, 1, 1, 0, same },
	{ "MI_USER_INTERRUPT", MIH(0x02), ALL, 0, 1, 1, 0, same },
	{ "MI_WAIT_FOR_EVENT", MIH(0x03), R | B, 0, 1, 1, 0, same },
	{ "MI_FLUSH", MIH(0x04), ALL, 0, 1, 1, 0, same },
	{ "MI_ARB_CHECK", MIH(0x05), ALL, 0, 1, 1, 0, same },
	{ "MI_RS_CONTROL", MIH(0x06), R, 0, 1, 1, 0, same },
	{ "MI_REPORT_HEAD", MIH(0x07), ALL, 0, 1, 1, 0, same },
	{ "MI_ARB_ON_OFF", MIH(0x08), ALL, 0, 1, 1, 0, same },
	{ "MI_URB_ATOMIC_ALLOC", MIH(0x09), R, 0, 1, 1, 0, same },
	{ "MI_BATCH_BUFFER_END", MIH(0x0a), ALL, 0, 1, 1, 0, same },
	{ "MI_SUSPEND_FLUSH", MIH(0x0b), ALL, 0, 1, 1, 0, same },
	{ "MI_PREDICATE", MIH(0x0c), R, 0, 1, 1, 0, same },
	{ "MI_TOPOLOGY_FILTER", MIH(0x0d), ALL, 0, 1, 1, 0, same },
	{ "MI_SET_APPID", MIH(0x0e), ALL, 0, 1, 1, 0, same },
	{ "MI_RS_CONTEXT", MIH(0x0f), R, 0, 1, 1, 0, same },
	{ "MI_LOAD_SCAN_LINES_INCL", MIH(0x12), R | B, 6, 2, 2, 0,
	  "fixed 2 dwords, length field ignored" },
	{ "MI_LOAD_SCAN_LINES_EXCL", MIH(0x13), R | B, 6, 2, 2, 0,
	  "absent (i915's gen9 BCS parser has it)" },
	{ "MI_DISPLAY_FLIP", MIH(0x14), R | B, 8, 2, 257, REFUSED,
	  "emulated as a flip, 3 or 4 dwords" },
	{ "MI_SEMAPHORE_MBOX", MIH(0x16), 0, 0, 0, 0, 0, "present (a gen6/7 command)" },
	{ "MI_SET_CONTEXT", MIH(0x18), 0, 0, 0, 0, 0, same },
	{ "MI_URB_CLEAR", MIH(0x19), 0, 0, 0, 0, 0,
	  "RCS, 2 dwords (Mesa's gen9 genxml excludes it)" },
	{ "MI_MATH", MIH(0x1a), ALL, 8, 2, 257, 0, same },
	{ "MI_SEMAPHORE_SIGNAL", MIH(0x1b), ALL, 8, 2, 2, 0, same },
	{ "MI_SEMAPHORE_WAIT", MIH(0x1c), ALL, 8, 4, 4, 0, "refused" },
	{ "MI_STORE_DATA_IMM", MIH(0x20), ALL, 10, 4, 4, 0, "length checked on GGTT only" },
	{ "MI_STORE_DATA_IMM", MIH(0x20) | (1u << 21), ALL, 10, 5, 5, 0,
	  "length checked on GGTT only" },
	{ "MI_STORE_DATA_INDEX", MIH(0x21), ALL, 8, 3, 3, 0, "refused" },
	{ "MI_STORE_DATA_INDEX", MIH(0x21) | (1u << 21), ALL, 8, 4, 4, 0, "refused" },
	{ "MI_LOAD_REGISTER_IMM", MIH(0x22), ALL, 8, 3, 257, ODD, "any length" },
	{ "MI_UPDATE_GTT", MIH(0x23), ALL, 10, 2, 1025, REFUSED, same },
	{ "MI_STORE_REGISTER_MEM", MIH(0x24), ALL, 8, 4, 4, 0, same },
	{ "MI_FLUSH_DW", MIH(0x26), B | V | VE, 6, 4, 5, 0,
	  "also on RCS, which flushes with PIPE_CONTROL" },
	{ "MI_CLFLUSH", MIH(0x27), ALL, 10, 2, 1025, REFUSED, same },
	{ "MI_REPORT_PERF_COUNT", MIH(0x28), ALL, 6, 2, 65, REFUSED, "refused, fixed 4" },
	{ "MI_LOAD_REGISTER_MEM", MIH(0x29), ALL, 8, 4, 4, 0, same },
	{ "MI_LOAD_REGISTER_REG", MIH(0x2a), ALL, 8, 3, 3, 0, same },
	{ "MI_RS_STORE_DATA_IMM", MIH(0x2b), R, 8, 2, 257, REFUSED, "allowed, 4 dwords" },
	{ "MI_LOAD_URB_MEM", MIH(0x2c), R, 8, 2, 257, REFUSED, "allowed, 4 dwords" },
	{ "MI_STORE_URB_MEM", MIH(0x2d), R, 8, 2, 257, REFUSED, "allowed" },
	{ "MI_COPY_MEM_MEM", MIH(0x2e), ALL, 8, 5, 5, 0, "refused as MI_OP_2E" },
	{ "MI_ATOMIC", MIH(0x2f), ALL, 8, 3, 3, 0, "length checked on GGTT only" },
	{ "MI_ATOMIC", MIH(0x2f) | (1u << 18), ALL, 8, 11, 11, 0,
	  "length checked on GGTT only" },
	{ "MI_BATCH_BUFFER_START", MIH(0x31), ALL, 8, 3, 3, 0, "any length" },
	{ "MI_CONDITIONAL_BATCH_BUFFER_END", MIH(0x36), ALL, 8, 4, 4, 0, "refused" },

	/* 2D, client 2, opcode 28:22: BCS only. GVT-g: any length, no operands checked. */
	{ "XY_SETUP_BLT", BLTH(0x01), B, 8, 10, 10, 0, "any length" },
	{ "XY_SETUP_CLIP_BLT", BLTH(0x03), B, 8, 3, 3, 0, "any length" },
	{ "XY_SETUP_MONO_PATTERN_SL_BLT", BLTH(0x11), B, 8, 2, 257, REFUSED, "allowed" },
	{ "XY_PIXEL_BLT", BLTH(0x24), B, 8, 2, 2, 0, "any length" },
	{ "XY_SCANLINES_BLT", BLTH(0x25), B, 8, 3, 3, 0, "any length" },
	{ "XY_TEXT_BLT", BLTH(0x26), B, 8, 2, 257, REFUSED, "allowed" },
	{ "XY_TEXT_IMMEDIATE_BLT", BLTH(0x31), B, 8, 3, 257, 0, same },
	{ "COLOR_BLT", BLTH(0x40), B, 8, 6, 6, 0, "absent" },
	{ "XY_FAST_COPY_BLT", BLTH(0x42), B, 8, 10, 10, 0, "absent (IGT uses it on gen9)" },
	{ "SRC_COPY_BLT", BLTH(0x43), B, 8, 8, 8, 0, "absent" },
	{ "XY_COLOR_BLT", BLTH(0x50), B, 8, 7, 7, 0, "any length" },
	{ "XY_PAT_BLT", BLTH(0x51), B, 8, 2, 257, REFUSED, "allowed" },
	{ "XY_MONO_PAT_BLT", BLTH(0x52), B, 8, 2, 257, REFUSED, "allowed" },
	{ "XY_SRC_COPY_BLT", BLTH(0x53), B, 8, 10, 10, 0, "any length" },
	{ "XY_MONO_SRC_COPY_BLT", BLTH(0x54), B, 8, 2, 257, REFUSED, "allowed" },
	{ "XY_FULL_BLT", BLTH(0x55), B, 8, 2, 257, REFUSED, "allowed" },
	{ "XY_FULL_MONO_SRC_BLT", BLTH(0x56), B, 8, 2, 257, REFUSED, "allowed" },
	{ "XY_FULL_MONO_PATTERN_BLT", BLTH(0x57), B, 8, 2, 257, REFUSED, "allowed" },
	{ "XY_FULL_MONO_PATTERN_MONO_SRC_BLT", BLTH(0x58), B, 8, 2, 257, REFUSED, "allowed" },
	{ "XY_MONO_PAT_FIXED_BLT", BLTH(0x59), B, 8, 2, 257, REFUSED, "allowed" },
	{ "XY_MONO_SRC_COPY_IMMEDIATE_BLT", BLTH(0x71), B, 8, 2, 257, REFUSED, "allowed" },
	{ "XY_PAT_BLT_IMMEDIATE", BLTH(0x72), B, 8, 2, 257, REFUSED, "allowed" },
	{ "XY_SRC_COPY_CHROMA_BLT", BLTH(0x73), B, 8, 2, 257, REFUSED, "allowed" },
	{ "XY_FULL_IMMEDIATE_PATTERN_BLT", BLTH(0x74), B, 8, 2, 257, REFUSED, "allowed" },
	{ "XY_FULL_MONO_SRC_IMMEDIATE_PATTERN_BLT", BLTH(0x75), B, 8, 2, 257, REFUSED,
	  "allowed" },
	{ "XY_PAT_CHROMA_BLT", BLTH(0x76), B, 8, 2, 257, REFUSED, "allowed" },
	{ "XY_PAT_CHROMA_BLT_IMMEDIATE", BLTH(0x77), B, 8, 2, 257, REFUSED, "allowed" },

	/* RCS 3D, media, GPGPU: pipeline 28:27, opcode 26:24, sub-opcode 23:16 */
	{ "STATE_PREFETCH", G3(0, 0, 0x03), R, 8, 2, 257, 0, same },
	{ "STATE_BASE_ADDRESS", G3(0, 1, 0x01), R, 8, 2, 257, 0, same },
	{ "STATE_SIP", G3(0, 1, 0x02), R, 8, 2, 257, 0, same },
	{ "SWTESS_BASE_ADDRESS", G3(0, 1, 0x03), 0, 0, 0, 0, 0,
	  "present (Mesa's gen9 genxml excludes it)" },
	{ "GPGPU_CSR_BASE_ADDRESS", G3(0, 1, 0x04), R, 8, 2, 257, 0, "unnamed OP_3D_MEDIA_0_1_4" },
	{ "3DSTATE_VF_STATISTICS_GM45", G3(1, 0, 0x0b), R, 0, 1, 1, 0, "on every engine" },
	{ "PIPELINE_SELECT", G3(1, 1, 0x04), R, 0, 1, 1, 0, same },
	{ "MEDIA_VFE_STATE", G3(2, 0, 0x00), R, 16, 2, 65537, 0, same },
	{ "MEDIA_CURBE_LOAD", G3(2, 0, 0x01), R, 16, 2, 65537, 0, same },
	{ "MEDIA_INTERFACE_DESCRIPTOR_LOAD", G3(2, 0, 0x02), R, 16, 2, 65537, 0, same },
	{ "MEDIA_GATEWAY_STATE", G3(2, 0, 0x03), R, 16, 2, 65537, 0, same },
	{ "MEDIA_STATE_FLUSH", G3(2, 0, 0x04), R, 16, 2, 65537, 0, same },
	{ "MEDIA_POOL_STATE", G3(2, 0, 0x05), R, 16, 2, 65537, 0, same },
	{ "MEDIA_OBJECT", G3(2, 1, 0x00), R, 16, 2, 65537, 0, same },
	{ "MEDIA_OBJECT_PRT", G3(2, 1, 0x02), R, 16, 2, 65537, 0, same },
	{ "MEDIA_OBJECT_WALKER", G3(2, 1, 0x03), R, 16, 2, 65537, 0, same },
	{ "GPGPU_WALKER", G3(2, 1, 0x05), R, 8, 2, 257, 0, same },
#define S3D(nm, op, sub, b) { nm, G3(3, op, sub), R, b, 2, (1u << (b)) + 1, 0, same }
	S3D("3DSTATE_CLEAR_PARAMS", 0, 0x04, 8), S3D("3DSTATE_DEPTH_BUFFER", 0, 0x05, 8),
	S3D("3DSTATE_STENCIL_BUFFER", 0, 0x06, 8), S3D("3DSTATE_HIER_DEPTH_BUFFER", 0, 0x07, 8),
	S3D("3DSTATE_VERTEX_BUFFERS", 0, 0x08, 8), S3D("3DSTATE_VERTEX_ELEMENTS", 0, 0x09, 8),
	S3D("3DSTATE_INDEX_BUFFER", 0, 0x0a, 8),
	{ "3DSTATE_VF_STATISTICS", G3(3, 0, 0x0b), R, 0, 1, 1, 0, same },
	S3D("3DSTATE_VF", 0, 0x0c, 8), S3D("3DSTATE_MULTISAMPLE", 0, 0x0d, 8),
	S3D("3DSTATE_CC_STATE_POINTERS", 0, 0x0e, 8),
	S3D("3DSTATE_SCISSOR_STATE_POINTERS", 0, 0x0f, 8), S3D("3DSTATE_VS", 0, 0x10, 8),
	S3D("3DSTATE_GS", 0, 0x11, 8), S3D("3DSTATE_CLIP", 0, 0x12, 8),
	S3D("3DSTATE_SF", 0, 0x13, 8), S3D("3DSTATE_WM", 0, 0x14, 8),
	S3D("3DSTATE_CONSTANT_VS", 0, 0x15, 8), S3D("3DSTATE_CONSTANT_GS", 0, 0x16, 8),
	S3D("3DSTATE_CONSTANT_PS", 0, 0x17, 8), S3D("3DSTATE_SAMPLE_MASK", 0, 0x18, 8),
	S3D("3DSTATE_CONSTANT_HS", 0, 0x19, 8), S3D("3DSTATE_CONSTANT_DS", 0, 0x1a, 8),
	S3D("3DSTATE_HS", 0, 0x1b, 8), S3D("3DSTATE_TE", 0, 0x1c, 8),
	S3D("3DSTATE_DS", 0, 0x1d, 8), S3D("3DSTATE_STREAMOUT", 0, 0x1e, 8),
	S3D("3DSTATE_SBE", 0, 0x1f, 8), S3D("3DSTATE_PS", 0, 0x20, 8),
	S3D("3DSTATE_VIEWPORT_STATE_POINTERS_SF_CLIP", 0, 0x21, 8),
	S3D("3DSTATE_VIEWPORT_STATE_POINTERS_CC", 0, 0x23, 8),
	S3D("3DSTATE_BLEND_STATE_POINTERS", 0, 0x24, 8),
	S3D("3DSTATE_DEPTH_STENCIL_STATE_POINTERS", 0, 0x25, 8),
	S3D("3DSTATE_BINDING_TABLE_POINTERS_VS", 0, 0x26, 8),
	S3D("3DSTATE_BINDING_TABLE_POINTERS_HS", 0, 0x27, 8),
	S3D("3DSTATE_BINDING_TABLE_POINTERS_DS", 0, 0x28, 8),
	S3D("3DSTATE_BINDING_TABLE_POINTERS_GS", 0, 0x29, 8),
	S3D("3DSTATE_BINDING_TABLE_POINTERS_PS", 0, 0x2a, 8),
	S3D("3DSTATE_SAMPLER_STATE_POINTERS_VS", 0, 0x2b, 8),
	S3D("3DSTATE_SAMPLER_STATE_POINTERS_HS", 0, 0x2c, 8),
	S3D("3DSTATE_SAMPLER_STATE_POINTERS_DS", 0, 0x2d, 8),
	S3D("3DSTATE_SAMPLER_STATE_POINTERS_GS", 0, 0x2e, 8),
	S3D("3DSTATE_SAMPLER_STATE_POINTERS_PS", 0, 0x2f, 8),
	S3D("3DSTATE_URB_VS", 0, 0x30, 8), S3D("3DSTATE_URB_HS", 0, 0x31, 8),
	S3D("3DSTATE_URB_DS", 0, 0x32, 8), S3D("3DSTATE_URB_GS", 0, 0x33, 8),
	S3D("3DSTATE_GATHER_CONSTANT_VS", 0, 0x34, 8),
	S3D("3DSTATE_GATHER_CONSTANT_GS", 0, 0x35, 8),
	S3D("3DSTATE_GATHER_CONSTANT_HS", 0, 0x36, 8),
	S3D("3DSTATE_GATHER_CONSTANT_DS", 0, 0x37, 8),
	S3D("3DSTATE_GATHER_CONSTANT_PS", 0, 0x38, 8),
	S3D("3DSTATE_DX9_CONSTANTF_VS", 0, 0x39, 11), S3D("3DSTATE_DX9_CONSTANTF_PS", 0, 0x3a, 11),
	S3D("3DSTATE_DX9_CONSTANTI_VS", 0, 0x3b, 8), S3D("3DSTATE_DX9_CONSTANTI_PS", 0, 0x3c, 8),
	S3D("3DSTATE_DX9_CONSTANTB_VS", 0, 0x3d, 8), S3D("3DSTATE_DX9_CONSTANTB_PS", 0, 0x3e, 8),
	S3D("3DSTATE_DX9_LOCAL_VALID_VS", 0, 0x3f, 8),
	S3D("3DSTATE_DX9_LOCAL_VALID_PS", 0, 0x40, 8),
	S3D("3DSTATE_DX9_GENERATE_ACTIVE_VS", 0, 0x41, 8),
	S3D("3DSTATE_DX9_GENERATE_ACTIVE_PS", 0, 0x42, 8),
	S3D("3DSTATE_BINDING_TABLE_EDIT_VS", 0, 0x43, 9),
	S3D("3DSTATE_BINDING_TABLE_EDIT_GS", 0, 0x44, 9),
	S3D("3DSTATE_BINDING_TABLE_EDIT_HS", 0, 0x45, 9),
	S3D("3DSTATE_BINDING_TABLE_EDIT_DS", 0, 0x46, 9),
	S3D("3DSTATE_BINDING_TABLE_EDIT_PS", 0, 0x47, 9),
	S3D("3DSTATE_VF_INSTANCING", 0, 0x49, 8), S3D("3DSTATE_VF_SGVS", 0, 0x4a, 8),
	S3D("3DSTATE_VF_TOPOLOGY", 0, 0x4b, 8), S3D("3DSTATE_WM_CHROMAKEY", 0, 0x4c, 8),
	S3D("3DSTATE_PS_BLEND", 0, 0x4d, 8), S3D("3DSTATE_WM_DEPTH_STENCIL", 0, 0x4e, 8),
	S3D("3DSTATE_PS_EXTRA", 0, 0x4f, 8), S3D("3DSTATE_RASTER", 0, 0x50, 8),
	S3D("3DSTATE_SBE_SWIZ", 0, 0x51, 8), S3D("3DSTATE_WM_HZ_OP", 0, 0x52, 8),
	S3D("3DSTATE_COMPONENT_PACKING", 0, 0x55, 8),
	S3D("3DSTATE_DRAWING_RECTANGLE", 1, 0x00, 8),
	S3D("3DSTATE_SAMPLER_PALETTE_LOAD0", 1, 0x02, 8), S3D("3DSTATE_CHROMA_KEY", 1, 0x04, 8),
	S3D("3DSTATE_POLY_STIPPLE_OFFSET", 1, 0x06, 8),
	S3D("3DSTATE_POLY_STIPPLE_PATTERN", 1, 0x07, 8), S3D("3DSTATE_LINE_STIPPLE", 1, 0x08, 8),
	S3D("3DSTATE_AA_LINE_PARAMS", 1, 0x0a, 8), S3D("3DSTATE_GS_SVB_INDEX", 1, 0x0b, 8),
	S3D("3DSTATE_SAMPLER_PALETTE_LOAD1", 1, 0x0c, 8),
	S3D("3DSTATE_MONOFILTER_SIZE", 1, 0x11, 8),
	S3D("3DSTATE_PUSH_CONSTANT_ALLOC_VS", 1, 0x12, 8),
	S3D("3DSTATE_PUSH_CONSTANT_ALLOC_HS", 1, 0x13, 8),
	S3D("3DSTATE_PUSH_CONSTANT_ALLOC_DS", 1, 0x14, 8),
	S3D("3DSTATE_PUSH_CONSTANT_ALLOC_GS", 1, 0x15, 8),
	S3D("3DSTATE_PUSH_CONSTANT_ALLOC_PS", 1, 0x16, 8),
	S3D("3DSTATE_SO_DECL_LIST", 1, 0x17, 9), S3D("3DSTATE_SO_BUFFER", 1, 0x18, 8),
	S3D("3DSTATE_BINDING_TABLE_POOL_ALLOC", 1, 0x19, 8),
	S3D("3DSTATE_GATHER_POOL_ALLOC", 1, 0x1a, 8),
	S3D("3DSTATE_DX9_CONSTANT_BUFFER_POOL_ALLOC", 1, 0x1b, 8),
	S3D("3DSTATE_SAMPLE_PATTERN", 1, 0x1c, 8),
	S3D("PIPE_CONTROL", 2, 0x00, 8), S3D("3DPRIMITIVE", 3, 0x00, 8),

	/*
	 * VCS: MFX, HCP (HEVC), HuC, VDEnc, SFC, as Intel's media driver
	 * builds the gen9 (SKL) headers; 12-bit length fields.
	 */
	{ "MFX_WAIT", 0x68000000, V, 0, 1, 1, MBZ,
	  "a 6-bit length field: 2 dwords, where the media driver emits 1" },
#define MFXE(nm, h, g) { nm, h, V, 12, 2, 4097, 0, g }
	MFXE("MFX_PIPE_MODE_SELECT", 0x70000000, same),
	MFXE("MFX_SURFACE_STATE", 0x70010000, same),
	MFXE("MFX_PIPE_BUF_ADDR_STATE", 0x70020000, same),
	MFXE("MFX_IND_OBJ_BASE_ADDR_STATE", 0x70030000, same),
	MFXE("MFX_BSP_BUF_BASE_ADDR_STATE", 0x70040000, same),
	MFXE("MFX_2_0_0_5", 0x70050000, "same (the media driver has no such command)"),
	MFXE("MFX_STATE_POINTER", 0x70060000, same),
	MFXE("MFX_QM_STATE", 0x70070000, same), MFXE("MFX_FQM_STATE", 0x70080000, same),
	MFXE("MFD_IT_OBJECT", 0x70290000, same),
	MFXE("MFX_PAK_INSERT_OBJECT", 0x70480000, same),
	MFXE("MFX_STITCH_OBJECT", 0x704a0000, same),
	MFXE("VDENC_PIPE_MODE_SELECT", 0x70800000, "absent"),
	MFXE("VDENC_SRC_SURFACE_STATE", 0x70810000, "absent"),
	MFXE("VDENC_REF_SURFACE_STATE", 0x70820000, "absent"),
	MFXE("VDENC_DS_REF_SURFACE_STATE", 0x70830000, "absent"),
	MFXE("VDENC_PIPE_BUF_ADDR_STATE", 0x70840000, "absent"),
	MFXE("VDENC_IMG_STATE", 0x70850000, "absent"),
	MFXE("VDENC_CONST_QPT_STATE", 0x70860000, "absent"),
	MFXE("VDENC_WALKER_STATE", 0x70870000, "absent"),
	MFXE("MFX_AVC_IMG_STATE", 0x71000000, same), MFXE("MFX_AVC_QM_STATE", 0x71010000, same),
	MFXE("MFX_AVC_DIRECTMODE_STATE", 0x71020000, same),
	MFXE("MFX_AVC_SLICE_STATE", 0x71030000, same),
	MFXE("MFX_AVC_REF_IDX_STATE", 0x71040000, same),
	MFXE("MFX_AVC_WEIGHTOFFSET_STATE", 0x71050000, same),
	MFXE("MFD_AVC_PICID_STATE", 0x71250000, same), MFXE("MFD_AVC_DPB_STATE", 0x71260000, same),
	MFXE("MFD_AVC_SLICEADDR", 0x71270000, same), MFXE("MFD_AVC_BSD_OBJECT", 0x71280000, same),
	MFXE("MFC_AVC_PAK_OBJECT", 0x71490000, same),
	MFXE("MFX_VC1_PRED_PIPE_STATE", 0x72010000, same),
	MFXE("MFX_VC1_DIRECTMODE_STATE", 0x72020000, same),
	MFXE("MFD_VC1_SHORT_PIC_STATE", 0x72200000, same),
	MFXE("MFD_VC1_LONG_PIC_STATE", 0x72210000, same),
	MFXE("MFD_VC1_BSD_OBJECT", 0x72280000, same),
	MFXE("MFX_MPEG2_PIC_STATE", 0x73000000, same),
	MFXE("MFX_MPEG2_QM_STATE", 0x73010000, same),
	MFXE("MFD_MPEG2_BSD_OBJECT", 0x73280000, same),
	MFXE("MFC_MPEG2_SLICEGROUP_STATE", 0x73430000, same),
	MFXE("MFC_MPEG2_PAK_OBJECT", 0x73490000, same),
	MFXE("HCP_PIPE_MODE_SELECT", 0x73800000, "absent"),
	MFXE("HCP_SURFACE_STATE", 0x73810000, "absent"),
	MFXE("HCP_PIPE_BUF_ADDR_STATE", 0x73820000, "absent"),
	MFXE("HCP_IND_OBJ_BASE_ADDR_STATE", 0x73830000, "absent"),
	MFXE("HCP_QM_STATE", 0x73840000, "absent"), MFXE("HCP_FQM_STATE", 0x73850000, "absent"),
	MFXE("HEVC_VP9_RDOQ_STATE", 0x73880000, "absent"),
	MFXE("HCP_PIC_STATE", 0x73900000, "absent"), MFXE("HCP_TILE_STATE", 0x73910000, "absent"),
	MFXE("HCP_REF_IDX_STATE", 0x73920000, "absent"),
	MFXE("HCP_WEIGHTOFFSET_STATE", 0x73930000, "absent"),
	MFXE("HCP_SLICE_STATE", 0x73940000, "absent"),
	MFXE("HCP_BSD_OBJECT", 0x73a00000, "absent"),
	MFXE("HCP_PAK_INSERT_OBJECT", 0x73a20000, "absent"),
	MFXE("HCP_VP9_SEGMENT_STATE", 0x73b20000, "absent"),
	MFXE("MFX_VP8_PIC_STATE", 0x74000000, "absent"),
	MFXE("MFD_VP8_BSD_OBJECT", 0x74280000, "absent"),
	MFXE("MFX_VP8_ENCODER_CFG", 0x74410000, "absent"),
	MFXE("MFX_VP8_BSP_BUF_BASE_ADDR_STATE", 0x74430000, "absent"),
	MFXE("HUC_PIPE_MODE_SELECT", 0x75800000, "absent"),
	MFXE("HUC_IMEM_STATE", 0x75810000, "absent"),
	MFXE("HUC_DMEM_STATE", 0x75820000, "absent"), MFXE("HUC_CFG_STATE", 0x75830000, "absent"),
	MFXE("HUC_VIRTUAL_ADDR_STATE", 0x75840000, "absent"),
	MFXE("HUC_IND_OBJ_BASE_ADDR_STATE", 0x75850000, "absent"),
	MFXE("HUC_STREAM_OBJECT", 0x75a00000, "absent"), MFXE("HUC_START", 0x75a10000, "absent"),
	{ "MFX_2_6_0_0", 0x76000000, 0, 0, 0, 0, 0,
	  "present, 16-bit length (no gen9 VCS command in the media driver)" },
	{ "MFX_2_6_0_8", 0x76080000, 0, 0, 0, 0, 0, "present, 16-bit length" },
	{ "MFX_2_6_0_9", 0x76090000, 0, 0, 0, 0, 0, "present, 16-bit length" },
	MFXE("MFX_JPEG_PIC_STATE", 0x77000000, same),
	MFXE("MFX_JPEG_HUFF_TABLE_STATE", 0x77020000, same),
	MFXE("MFD_JPEG_BSD_OBJECT", 0x77280000, same),
	MFXE("MFC_JPEG_HUFF_TABLE_STATE", 0x77430000, "absent"),
	MFXE("MFC_JPEG_SCAN_OBJECT", 0x77490000, "absent"),
	MFXE("VD_PIPELINE_FLUSH", 0x77800000, "absent"),
	/* SFC, behind VCS and VECS */
#define SFCE(nm, h) { nm, h, V | VE, 12, 2, 4097, 0, "absent" }
	SFCE("SFC_LOCK", 0x75000000), SFCE("SFC_STATE", 0x75010000),
	SFCE("SFC_AVS_STATE", 0x75020000), SFCE("SFC_IEF_STATE", 0x75030000),
	SFCE("SFC_FRAME_START", 0x75040000), SFCE("SFC_AVS_LUMA_COEFF_TABLE", 0x75050000),
	SFCE("SFC_AVS_CHROMA_COEFF_TABLE", 0x75060000),
	/* VECS: VEBOX, the same opcode space as VP8 on VCS */
	{ "VEBOX_SURFACE_STATE", 0x74000000, VE, 12, 2, 4097, 0, same },
	{ "VEBOX_TILING_CONVERT", 0x74010000, VE, 12, 2, 4097, 0, "absent" },
	{ "VEBOX_STATE", 0x74020000, VE, 12, 2, 4097, 0, same },
	{ "VEB_DI_IECP", 0x74030000, VE, 12, 2, 4097, 0, same },
};

/* The entry for header @h on engine @e, or NULL (the decoder must say unknown). */
static const struct expect *find(unsigned int e, uint32_t h)
{
	uint32_t mask = h >> 29 == 0 ? 0xff800000u : h >> 29 == 2 ? 0xffc00000u : 0xffff0000u;
	size_t i;

	for (i = 0; i < N(table); i++)
		if ((table[i].engines & (1u << e)) && (table[i].header & mask) == (h & mask))
			return &table[i];
	return NULL;
}

static uint32_t *zeros(size_t n)
{
	uint32_t *p = calloc(n, 4);

	if (!p)
		abort();
	return p;
}

TEST(tables, "H-14")
{
	static const uint32_t other_clients[] = { 1, 4, 5, 6, 7 };
	uint32_t *buf = zeros(16);
	unsigned int e, bad = 0, n = 0;
	uint32_t idx, h;
	struct vgt_cmd c;

	for (e = 0; e < VGT_ENGINE_NR; e++) {
		/* MI and 2D opcodes, all of client 3, a few of the others */
		for (idx = 0; idx < 64 + 128 + 8192 + 5; idx++, n++) {
			const struct expect *x;
			enum vgt_decode_status st;

			if (idx < 64)
				h = MIH(idx);
			else if (idx < 192)
				h = BLTH(idx - 64);
			else if (idx < 192 + 8192)	/* pipeline, opcode, sub-opcode */
				h = (3u << 29) | (idx - 192) << 16;
			else
				h = other_clients[idx - 192 - 8192] << 29;
			buf[0] = h;
			st = vgt_cmd_decode(e, buf, 16, &c);
			x = find(e, h);
			if (x ? st == VGT_DECODE_UNKNOWN || strcmp(x->name, c.name) :
				st != VGT_DECODE_UNKNOWN) {
				bad++;
				CHECK(0, "%s header 0x%08x: decoded %d %s, table says %s",
				      vgt_engine_name(e), h, st, c.name, x ? x->name : "unknown");
			}
		}
	}
	CHECK(!bad, "%u of %u headers disagree with the table", bad, n);
	CHECK(vgt_cmd_decode(VGT_ENGINE_NR, buf, 16, &c) == VGT_DECODE_UNKNOWN &&
	      vgt_cmd_decode(VGT_RCS, buf, 0, &c) == VGT_DECODE_UNKNOWN &&
	      !strcmp(c.name, "NO_COMMAND"), "no engine or no dword: unknown");
	buf[0] = 0x74000000;
	CHECK(vgt_cmd_decode(VGT_VCS, buf, 16, &c) == VGT_DECODE_OK &&
	      !strcmp(c.name, "MFX_VP8_PIC_STATE") &&
	      vgt_cmd_decode(VGT_VECS, buf, 16, &c) == VGT_DECODE_OK &&
	      !strcmp(c.name, "VEBOX_SURFACE_STATE") &&
	      vgt_cmd_decode(VGT_RCS, buf, 16, &c) == VGT_DECODE_UNKNOWN &&
	      !strcmp(c.name, "GFX_UNKNOWN") &&
	      vgt_cmd_decode(VGT_BCS, buf, 16, &c) == VGT_DECODE_UNKNOWN,
	      "one header: VP8 on VCS, VEBOX on VECS, nothing on RCS and BCS");
	free(buf);
}

TEST(lengths, "H-14")
{
	static const uint32_t fields[] = { 0, 1, 2, 3, 8, 9, 62, 63, 255, 1023, 4095, 65535 };
	size_t big = 65537 + 16, i, k;
	uint32_t *buf = zeros(big);
	unsigned int e, bad = 0;
	struct vgt_cmd c;

	for (i = 0; i < N(table); i++) {
		const struct expect *x = &table[i];

		for (e = 0; e < VGT_ENGINE_NR; e++) {
			if (!(x->engines & (1u << e)))
				continue;
			for (k = 0; k < N(fields); k++) {
				uint32_t f = fields[k];
				unsigned int len = x->bits ? f + 2 : 1;
				enum vgt_decode_status want, st;

				if (x->bits ? f >= 1u << x->bits : f > 1 || (f && !(x->rule & MBZ)))
					continue;
				want = len >= x->min && len <= x->max &&
				       (!(x->rule & ODD) || len % 2) && !(f && (x->rule & MBZ)) ?
				       VGT_DECODE_OK : VGT_DECODE_BAD_LENGTH;
				buf[0] = x->header | f;
				st = vgt_cmd_decode(e, buf, big, &c);
				if (st != want || (x->bits && c.len != len) ||
				    (st == VGT_DECODE_OK &&
				     (c.op == VGT_OP_REFUSE) != !!(x->rule & REFUSED))) {
					bad++;
					CHECK(0, "%s on %s, field %u: %d len %u op %d, want %d len %u",
					      x->name, vgt_engine_name(e), f, st, c.len, c.op,
					      want, len);
				}
				/* The bit above the field is not length (a flag or reserved). */
				if (x->bits && x->bits < 16) {
					buf[0] = x->header | f | 1u << x->bits;
					st = vgt_cmd_decode(e, buf, big, &c);
					if (st == VGT_DECODE_UNKNOWN || c.len != len) {
						bad++;
						CHECK(0, "%s on %s: bit %u read as length (%u)",
						      x->name, vgt_engine_name(e), x->bits, c.len);
					}
					buf[0] = x->header | f;
				}
				/* One dword short: truncated, never read past. */
				if (want == VGT_DECODE_OK && len > 1)
					CHECK(vgt_cmd_decode(e, buf, len - 1, &c) ==
					      VGT_DECODE_TRUNCATED && c.len == len,
					      "%s on %s, %u dwords given %u: not truncated",
					      x->name, vgt_engine_name(e), len, len - 1);
			}
		}
	}
	CHECK(!bad, "%u length decodes differ from the table", bad);
	/* PIPE_CONTROL: a post-sync write or register write needs all 6 dwords. */
	buf[0] = G3(3, 2, 0) | 2;
	buf[1] = 1u << 14;
	CHECK(vgt_cmd_decode(VGT_RCS, buf, big, &c) == VGT_DECODE_BAD_LENGTH,
	      "4-dword PIPE_CONTROL with a post-sync write");
	buf[1] = 1u << 23;
	CHECK(vgt_cmd_decode(VGT_RCS, buf, big, &c) == VGT_DECODE_BAD_LENGTH,
	      "4-dword PIPE_CONTROL with a register write");
	buf[1] = 1u << 20;
	CHECK(vgt_cmd_decode(VGT_RCS, buf, big, &c) == VGT_DECODE_OK && c.len == 4,
	      "4-dword PIPE_CONTROL, stall only");
	/* A length the header rules out is bad even when the dwords are missing. */
	buf[0] = MIH(0x20) | 0x3ff;
	CHECK(vgt_cmd_decode(VGT_RCS, buf, 4, &c) == VGT_DECODE_BAD_LENGTH && c.len == 1025,
	      "huge MI_STORE_DATA_IMM");
	free(buf);
}

struct op_case {
	const char *what;
	unsigned int engine;
	uint32_t dw[12];
	unsigned int n;			/* operands expected */
	struct vgt_cmd_operand want[2];	/* only .what is not compared */
	unsigned int flags;		/* struct vgt_cmd.flags expected */
};

#define GGTT	VGT_AS_GGTT
#define PPGTT	VGT_AS_PPGTT
#define HWSP	VGT_AS_HWSP
#define BATCH	VGT_AS_BATCH
#define WR(as, a, s, d)	{ as, a, s, false, true, d, NULL }
#define RD(as, a, s)	{ as, a, s, true, false, 0, NULL }
#define RMW(as, a, s, d) { as, a, s, true, true, d, NULL }
#define PC(len)		(G3(3, 2, 0) | (len))

static const struct op_case op_cases[] = {
	{ "SDI dword GGTT, low bits dropped", VGT_RCS,
	  { MIH(0x20) | 2 | (1u << 22), 0x12345676, 0xffff0001, 9 }, 1,
	  { WR(GGTT, 0x112345674ULL, 4, 3) }, 0 },
	{ "SDI qword PPGTT", VGT_BCS, { MIH(0x20) | 3 | (1u << 21), 0x1000, 0, 1, 2 }, 1,
	  { WR(PPGTT, 0x1000, 8, 3) }, 0 },
	{ "SDI core mode: either store", VGT_RCS, { MIH(0x20) | 2 | (1u << 22), 0x1001, 0, 1 },
	  1, { WR(GGTT, 0x1000, 8, 3) }, 0 },
	{ "SDX qword", VGT_VCS, { MIH(0x21) | 2 | (1u << 21), 0x107, 1, 2 }, 1,
	  { WR(HWSP, 0x104, 8, 2) }, 0 },
	{ "LRM GGTT", VGT_RCS, { MIH(0x29) | 2 | (1u << 22), 0x2600, 0x2003, 0x10002 }, 1,
	  { RD(GGTT, 0x200002000ULL, 4) }, 0 },
	{ "SRM PPGTT", VGT_VECS, { MIH(0x24) | 2, 0x1a358, 0x3000, 0 }, 1,
	  { WR(PPGTT, 0x3000, 4, 0) }, 0 },
	{ "FLUSH_DW dword to GGTT", VGT_BCS, { MIH(0x26) | 2 | (1u << 14), 0x5004 | 7, 0, 1 },
	  1, { WR(GGTT, 0x5000, 4, 3) }, 0 },
	{ "FLUSH_DW qword to PPGTT, notify", VGT_VCS,
	  { MIH(0x26) | 3 | (1u << 14) | (1u << 8), 0x5008, 0, 1, 2 }, 1,
	  { WR(PPGTT, 0x5008, 8, 3) }, VGT_CMD_NOTIFY },
	{ "FLUSH_DW timestamp, index", VGT_BCS,
	  { MIH(0x26) | 2 | (3u << 14) | (1u << 21), 0x104, 0, 0 }, 1, { WR(HWSP, 0x100, 8, 0) }, 0 },
	{ "FLUSH_DW no post-sync", VGT_BCS, { MIH(0x26) | 2, 0x5004, 0, 0 }, 0, { { 0 } }, 0 },
	{ "PIPE_CONTROL qword GGTT, notify", VGT_RCS,
	  { PC(4), (1u << 24) | (1u << 14) | (1u << 8), 0x7004, 0x1, 5, 6 }, 1,
	  { WR(GGTT, 0x100007000ULL, 8, 4) }, VGT_CMD_NOTIFY },
	{ "PIPE_CONTROL timestamp, index", VGT_RCS,
	  { PC(4), (1u << 21) | (3u << 14), 0x80, 0, 0, 0 }, 1, { WR(HWSP, 0x80, 8, 0) }, 0 },
	{ "PIPE_CONTROL depth count, PPGTT", VGT_RCS, { PC(4), 2u << 14, 0x9000, 0, 0, 0 }, 1,
	  { WR(PPGTT, 0x9000, 8, 0) }, 0 },
	{ "PIPE_CONTROL register write: no memory", VGT_RCS,
	  { PC(4), (1u << 23) | (1u << 14) | (1u << 24), 0x2600, 0, 5, 0 }, 0, { { 0 } }, 0 },
	{ "SEMAPHORE_WAIT GGTT", VGT_RCS, { MIH(0x1c) | 2 | (1u << 22), 1, 0x4006, 0 }, 1,
	  { RD(GGTT, 0x4004, 4) }, 0 },
	{ "SEMAPHORE_WAIT register poll", VGT_RCS, { MIH(0x1c) | 2 | (1u << 16), 1, 0x2600, 0 },
	  0, { { 0 } }, 0 },
	{ "COND_BB_END dword", VGT_VCS, { MIH(0x36) | 2 | (1u << 22), 7, 0x400c, 0 }, 1,
	  { RD(GGTT, 0x4008, 4) }, 0 },
	{ "COND_BB_END mask mode", VGT_RCS, { MIH(0x36) | 2 | (1u << 19), 7, 0x4000, 0 }, 1,
	  { RD(PPGTT, 0x4000, 8) }, 0 },
	{ "COPY_MEM_MEM GGTT src, PPGTT dst", VGT_BCS,
	  { MIH(0x2e) | 3 | (1u << 22), 0x1003, 0, 0x2002, 0x3 }, 2,
	  { RD(GGTT, 0x300002000ULL, 4), WR(PPGTT, 0x1000, 4, 0) }, 0 },
	{ "ATOMIC octword GGTT, inline", VGT_RCS,
	  { MIH(0x2f) | 9 | (1u << 22) | (1u << 18) | (2u << 19), 0x6000, 0 }, 1,
	  { RMW(GGTT, 0x6000, 16, 3) }, 0 },
	{ "ATOMIC qword PPGTT", VGT_VECS, { MIH(0x2f) | 1 | (1u << 19), 0x6008, 0 }, 1,
	  { RMW(PPGTT, 0x6008, 8, 0) }, 0 },
	{ "BB_START GGTT predicated, RCS", VGT_RCS,
	  { MIH(0x31) | 1 | (1u << 15), 0x8003, 0x1ffff }, 1, { RD(GGTT, 0xffff00008000ULL, 4) },
	  VGT_CMD_PREDICATED },
	{ "BB_START predicate bit on BCS: ignored", VGT_BCS,
	  { MIH(0x31) | 1 | (1u << 15) | (1u << 22), 0x8000, 0 }, 1, { RD(GGTT, 0x8000, 4) },
	  VGT_CMD_SECOND_LEVEL },
	{ "BB_START PPGTT", VGT_VCS, { MIH(0x31) | 1 | (1u << 8), 0x8000, 0 }, 1,
	  { RD(PPGTT, 0x8000, 4) }, 0 },
	{ "REPORT_HEAD", VGT_RCS, { MIH(0x07) }, 1, { WR(HWSP, 0x10, 4, 0) }, 0 },
	/*
	 * 2D. XY_COLOR_BLT 32 bpp, linear, pitch 4096, (16,2)-(32,10):
	 * rows 2..9, bytes 64..127: [base + 2*4096 + 64, base + 9*4096 + 128).
	 */
	{ "XY_COLOR_BLT linear", VGT_BCS,
	  { BLTH(0x50) | 5, (3u << 24) | 4096, (2u << 16) | 16, (10u << 16) | 32, 0x100000, 0, 7 },
	  1, { WR(BATCH, 0x100000 + 2 * 4096 + 64, 7 * 4096 + 64, 0) }, 0 },
	/*
	 * Tiled, pitch 1024 dwords = 4096 bytes, rows 2..9: as X tiles
	 * (8 rows of 512 B) tile rows 0 and 1, [base, base + 8*4096 + 4096);
	 * as Y tiles (32 rows of 128 B) tile row 0, [base, base + 4096):
	 * the union is [base, base + 36864).
	 */
	{ "XY_COLOR_BLT tiled: X or Y", VGT_BCS,
	  { BLTH(0x50) | 5 | (1u << 11), (3u << 24) | 1024, (2u << 16) | 16, (10u << 16) | 32,
	    0x100000, 0, 7 }, 1, { WR(BATCH, 0x100000, 36864, 0) }, 0 },
	/* Pitch 0xf000 is -4096 signed, 61440 unsigned: rows 0..1 either way. */
	{ "XY_COLOR_BLT negative pitch", VGT_BCS,
	  { BLTH(0x50) | 5, 0xf000, 0, (2u << 16) | 8, 0x200000, 0, 7 }, 1,
	  { WR(BATCH, 0x200000 - 4096, 4096 + 61440 + 8, 0) }, 0 },
	{ "XY_COLOR_BLT empty rectangle", VGT_BCS,
	  { BLTH(0x50) | 5, (3u << 24) | 4096, (5u << 16) | 5, (5u << 16) | 9, 0x100000, 0, 7 },
	  0, { { 0 } }, 0 },
	/* 16 bpp copy of 4x2 pixels from (1,1), src pitch 256, dst pitch 512. */
	{ "XY_SRC_COPY_BLT", VGT_BCS,
	  { BLTH(0x53) | 8, (1u << 24) | (0xcc << 16) | 512, 0, (2u << 16) | 4, 0x300000, 0,
	    (1u << 16) | 1, 256, 0x400000, 0 }, 2,
	  { WR(BATCH, 0x300000, 512 + 8, 0), RD(BATCH, 0x400000 + 256 + 2, 256 + 8) }, 0 },
	/*
	 * Fast copy, 32 bpp, dst Ys (mode 3: 128 rows of 512 B in 64 KiB
	 * tiles), pitch 512 dwords = 2048 B, rows 0..3, 16 pixels: tile row 0,
	 * column 0: [base, base + 64 KiB). Src linear, pitch 4096 B.
	 */
	{ "XY_FAST_COPY_BLT Ys dst", VGT_BCS,
	  { BLTH(0x42) | 8 | (3u << 13), (3u << 24) | 512, 0, (4u << 16) | 16, 0x500000, 0,
	    0, 4096, 0x600000, 0 }, 2,
	  { WR(BATCH, 0x500000, 65536, 0), RD(BATCH, 0x600000, 3 * 4096 + 64) }, 0 },
	/* COLOR_BLT: 3 rows of 100 bytes, pitch 128. */
	{ "COLOR_BLT", VGT_BCS, { BLTH(0x40) | 4, 128, (3u << 16) | 100, 0x700000, 0, 1 }, 1,
	  { WR(BATCH, 0x700000, 2 * 128 + 100, 0) }, 0 },
	{ "SRC_COPY_BLT", VGT_BCS,
	  { BLTH(0x43) | 6, 128, (2u << 16) | 64, 0x700000, 0, 256, 0x800000, 0 }, 2,
	  { WR(BATCH, 0x700000, 128 + 64, 0), RD(BATCH, 0x800000, 256 + 64) }, 0 },
	/*
	 * XY_SETUP_BLT clipped to (0,0)-(8,4), 32 bpp, pitch 64 (linear:
	 * 3 * 64 + 32 bytes) or 64 dwords if a later draw says tiled (X: one
	 * tile row of 8 * 256 bytes, Y: 4 KiB), with a color pattern.
	 */
	{ "XY_SETUP_BLT clipped, pattern", VGT_BCS,
	  { BLTH(0x01) | 8, (1u << 30) | (3u << 24) | 64, 0, (4u << 16) | 8, 0x900000, 0, 0, 0,
	    0xa00000, 0 }, 2,
	  { WR(BATCH, 0x900000, 4096, 0), RD(BATCH, 0xa00000, 256) },
	  VGT_CMD_BLT_SETUP | VGT_CMD_BLT_CLIPPED },
	{ "XY_SETUP_BLT unclipped, solid", VGT_BCS,
	  { BLTH(0x01) | 8, (1u << 31) | (3u << 24) | 64, 0, (4u << 16) | 8, 0x900000, 0, 0, 0,
	    0, 0 }, 0, { { 0 } }, VGT_CMD_BLT_SETUP },
	{ "XY_PIXEL_BLT", VGT_BCS, { BLTH(0x24), (3u << 16) | 3 }, 0, { { 0 } },
	  VGT_CMD_BLT_USES_SETUP },
};

static bool same_operand(const struct vgt_cmd_operand *a, const struct vgt_cmd_operand *b)
{
	return a->as == b->as && a->addr == b->addr && a->size == b->size &&
	       a->read == b->read && a->write == b->write && a->data == b->data && a->what;
}

TEST(operands, "H-14")
{
	struct vgt_cmd_operand got[VGT_CMD_MAX_OPERANDS];
	unsigned int i, k, n;
	struct vgt_cmd c;

	for (i = 0; i < N(op_cases); i++) {
		const struct op_case *t = &op_cases[i];
		enum vgt_decode_status st = vgt_cmd_decode(t->engine, t->dw, N(t->dw), &c);
		bool ok;

		CHECK(st == VGT_DECODE_OK, "%s: decode %d (%s)", t->what, st, c.name);
		if (st)
			continue;
		n = vgt_cmd_operands(t->engine, &c, t->dw, got);
		ok = n == t->n && (c.flags & ~(VGT_CMD_PRED_SCOPE_OK | VGT_CMD_MEMORY |
					      VGT_CMD_REGISTERS | VGT_CMD_QWORD)) == t->flags &&
		     (!n || (c.flags & VGT_CMD_MEMORY)) &&
		     !vgt_cmd_nregs(&c, t->dw) == !(c.flags & VGT_CMD_REGISTERS);
		for (k = 0; ok && k < n; k++)
			ok = same_operand(&got[k], &t->want[k]);
		CHECK(ok, "%s: %u operands, flags 0x%x; first as %d 0x%llx+%llu r%d w%d d%u",
		      t->what, n, c.flags, n ? (int)got[0].as : -1,
		      n ? (unsigned long long)got[0].addr : 0,
		      n ? (unsigned long long)got[0].size : 0, n ? got[0].read : 0,
		      n ? got[0].write : 0, n ? got[0].data : 0);
	}
}

/* Header bits that are neither opcode nor length: MI 22:0, 2D 21:0, none on client 3. */
static uint32_t flag_bits(const struct expect *x)
{
	uint32_t len = x->bits ? (1u << x->bits) - 1 : 0;

	switch (x->header >> 29) {
	case 0:
		return 0x007fffff & ~len;
	case 2:
		return 0x003fffff & ~len;
	default:
		return 0;
	}
}

/* The audit skips a command without VGT_CMD_MEMORY / _REGISTERS: never wrongly. */
TEST(flags_cover_accesses, "H-14")
{
	struct vgt_cmd_operand got[VGT_CMD_MAX_OPERANDS];
	uint32_t seed = vgt_test_seed(), dw[16];
	unsigned int e, bad = 0, k, j;
	struct vgt_cmd c;
	size_t i;

	for (i = 0; i < N(table); i++)
		for (e = 0; e < VGT_ENGINE_NR; e++)
			for (k = 0; (table[i].engines & (1u << e)) && k < 64; k++) {
				for (j = 0; j < N(dw); j++) {
					seed = seed * 1103515245u + 12345u;
					dw[j] = seed ^ seed >> 15;
				}
				/* the opcode, random flag bits, the shortest length */
				dw[0] = table[i].header | (dw[0] & flag_bits(&table[i])) |
					(table[i].bits ? table[i].min - 2 : 0);
				if (vgt_cmd_decode(e, dw, N(dw), &c) != VGT_DECODE_OK)
					continue;
				if ((vgt_cmd_operands(e, &c, dw, got) && !(c.flags & VGT_CMD_MEMORY)) ||
				    (vgt_cmd_nregs(&c, dw) && !(c.flags & VGT_CMD_REGISTERS)))
					bad++;
			}
	CHECK(!bad, "%u decodes with accesses their flags do not announce", bad);
}

TEST(registers, "H-14")
{
	const uint32_t lri[] = { MIH(0x22) | 5, 0xff802084, 1, 0x2603, 2, 0x7014, 3 };
	const uint32_t lrr[] = { MIH(0x2a) | 1, 0x2600, 0x2608 };
	const uint32_t noop[] = { MIH(0) | (1u << 22) | 0x1234 };
	const uint32_t pc[] = { PC(4), 1u << 23, 0x2604, 0, 9, 0 };
	const uint32_t sem[] = { MIH(0x1c) | 2 | (1u << 16), 1, 0x22600, 0 };
	const uint32_t srm[] = { MIH(0x24) | 2, 0x12358, 0x1000, 0 };
	struct vgt_cmd c;
	struct vgt_cmd_reg r0, r1, r2;

	vgt_cmd_decode(VGT_RCS, lri, N(lri), &c);
	r0 = vgt_cmd_reg(VGT_RCS, &c, lri, 0);
	r1 = vgt_cmd_reg(VGT_RCS, &c, lri, 1);
	r2 = vgt_cmd_reg(VGT_RCS, &c, lri, 2);
	CHECK(vgt_cmd_nregs(&c, lri) == 3 && r0.offset == 0x2084 && r0.write && r0.value == 2 &&
	      r1.offset == 0x2600 && r1.value == 4 && r2.offset == 0x7014 && r2.value == 6,
	      "LRI: three writes, offsets bits 22:2 (0x%x 0x%x 0x%x)", r0.offset, r1.offset,
	      r2.offset);
	vgt_cmd_decode(VGT_BCS, lrr, N(lrr), &c);
	r0 = vgt_cmd_reg(VGT_BCS, &c, lrr, 0);
	r1 = vgt_cmd_reg(VGT_BCS, &c, lrr, 1);
	CHECK(vgt_cmd_nregs(&c, lrr) == 2 && r0.offset == 0x2600 && !r0.write &&
	      r1.offset == 0x2608 && r1.write, "LRR: read dw1, write dw2");
	vgt_cmd_decode(VGT_VCS, noop, N(noop), &c);
	r0 = vgt_cmd_reg(VGT_VCS, &c, noop, 0);
	CHECK(vgt_cmd_nregs(&c, noop) == 1 && r0.offset == 0x12094 && r0.write,
	      "MI_NOOP bit 22 writes the engine's NOPID (0x%x)", r0.offset);
	vgt_cmd_decode(VGT_RCS, pc, N(pc), &c);
	r0 = vgt_cmd_reg(VGT_RCS, &c, pc, 0);
	CHECK(vgt_cmd_nregs(&c, pc) == 1 && r0.offset == 0x2604 && r0.write && r0.value == 4,
	      "PIPE_CONTROL LRI post-sync");
	vgt_cmd_decode(VGT_BCS, sem, N(sem), &c);
	r0 = vgt_cmd_reg(VGT_BCS, &c, sem, 0);
	CHECK(vgt_cmd_nregs(&c, sem) == 1 && r0.offset == 0x22600 && !r0.write,
	      "semaphore register poll reads");
	vgt_cmd_decode(VGT_VCS, srm, N(srm), &c);
	r0 = vgt_cmd_reg(VGT_VCS, &c, srm, 0);
	CHECK(vgt_cmd_nregs(&c, srm) == 1 && r0.offset == 0x12358 && !r0.write &&
	      vgt_cmd_reg(VGT_VCS, &c, srm, 1).offset == 0, "SRM reads one register");
	CHECK(!strcmp(vgt_engine_name(VGT_VECS), "vecs") && !strcmp(vgt_engine_name(9), "?") &&
	      vgt_engine_mmio_base(VGT_BCS) == 0x22000 && vgt_engine_mmio_base(9) == 0,
	      "engine names and bases");
}

VGT_TEST_MAIN()

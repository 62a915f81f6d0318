// SPDX-License-Identifier: MIT
/*
 * TEST: host:test_audit, the gen9 command address audit (spec H-14).
 * Every buffer is audited from an exact-size heap copy so that ASan sees
 * any read past its end.
 *
 * SUBTEST: valid streams - what i915 puts in a gen9 ring (RCS and BCS), its
 *   context workarounds, a Mesa-like 3D, media and GPGPU batch, blits on
 *   BCS, video on VCS and VECS: accepted.
 * SUBTEST: operands - each GGTT-addressed command class, inside, at the
 *   edge, straddling, outside, wrapping 2^48, too large, PPGTT, HWSP index.
 * SUBTEST: lengths and opcodes - zero, huge, wrong and truncated lengths,
 *   unknown opcodes of every client, each refused command.
 * SUBTEST: chained batches - followed through a fetch callback: a ring
 *   scanned on after its batch returns, nesting rules, self-chaining loop,
 *   depth and dword budgets, unreadable and unterminated batches.
 * SUBTEST: random - seeded random and mutated buffers on every engine never
 *   crash and always give a known reason (VGT_SEED replays).
 * SUBTEST: vgt-host audit - the CLI's three exits and its exact line.
 * SUBTEST: Mesa context registers - what iris and crocus load
 *   when a context starts: accepted on their engine.
 * SUBTEST: escapes - each fails on the audit before the shared decoder: a
 *   predicated batch start falling through, an MFX length read with the
 *   media field width, register writes (the status page address, then a
 *   store-data-index), blit addresses, semaphore and conditional-end reads
 *   in and out of the slices, a batch end inside MI_SET_PREDICATE's scope,
 *   setup-relative blits without a bounded setup.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vgt_audit.h"
#include "vgt_test.h"

#define MIB (1ULL << 20)
#define MAP_BASE (128 * MIB)
#define MAP_SIZE (64 * MIB)
#define HID_BASE (640 * MIB)
#define HID_SIZE (384 * MIB)

#define MI(op, len) (((uint32_t)(op) << 23) | (len))
#define GFX(sub, op, subop, len) \
	((3u << 29) | ((sub) << 27) | ((op) << 24) | ((subop) << 16) | (len))
#define BLT(op, len) ((2u << 29) | ((uint32_t)(op) << 22) | (len))
#define GGTT (1u << 22)
#define SECOND (1u << 22)
#define QWORD (1u << 21)
#define INDEX (1u << 21)
#define MI_BB_END MI(0x0a, 0)
#define PIPE_CONTROL(len) GFX(3, 2, 0, len)
#define PC_GGTT (1u << 24)
#define PC_QW_WRITE (1u << 14)
#define PC_TIMESTAMP (3u << 14)
#define LO(a) ((uint32_t)(a))
#define HI(a) ((uint32_t)((uint64_t)(a) >> 32))
#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct vgt_audit_ctx ring_ctx = {
	.mappable_base = MAP_BASE, .mappable_size = MAP_SIZE,
	.hidden_base = HID_BASE, .hidden_size = HID_SIZE,
	.buffer = VGT_AUDIT_RING,
};
static const struct vgt_audit_ctx batch_ctx = {
	.mappable_base = MAP_BASE, .mappable_size = MAP_SIZE,
	.hidden_base = HID_BASE, .hidden_size = HID_SIZE,
	.buffer = VGT_AUDIT_BATCH,
};
#define ENGINE_CTX(name, kind, e) \
	static const struct vgt_audit_ctx name = { \
		.mappable_base = MAP_BASE, .mappable_size = MAP_SIZE, \
		.hidden_base = HID_BASE, .hidden_size = HID_SIZE, \
		.buffer = kind, .engine = e, \
	}
ENGINE_CTX(bcs_ring, VGT_AUDIT_RING, VGT_BCS);
ENGINE_CTX(bcs_batch, VGT_AUDIT_BATCH, VGT_BCS);
ENGINE_CTX(vcs_ring, VGT_AUDIT_RING, VGT_VCS);
ENGINE_CTX(vecs_ring, VGT_AUDIT_RING, VGT_VECS);

/* Audit an exact-size heap copy: ASan then catches any read past the end. */
static int audit_copy(const struct vgt_audit_ctx *c, const uint32_t *dw, size_t n,
		      struct vgt_audit_result *r)
{
	uint32_t *copy = malloc(n ? n * 4 : 1);
	int ret;

	if (!copy)
		abort();
	if (n)
		memcpy(copy, dw, n * 4);
	ret = vgt_audit(c, n ? copy : NULL, n, r);
	free(copy);
	return ret;
}

static void expect(const struct vgt_audit_ctx *c, const char *what,
		   const uint32_t *dw, size_t n, enum vgt_audit_reason reason,
		   size_t dword, const char *cmd)
{
	struct vgt_audit_result r;
	int ret = audit_copy(c, dw, n, &r);

	if (reason == VGT_AUDIT_OK)
		CHECK(ret == 0 && r.reason == VGT_AUDIT_OK,
		      "%s: refused: %s at %zu depth %u (%s) addr 0x%llx size %llu", what,
		      vgt_audit_reason_name(r.reason), r.dword, r.depth, r.command,
		      (unsigned long long)r.addr, (unsigned long long)r.size);
	else
		CHECK(ret == -EACCES && r.reason == reason && r.dword == dword &&
		      (!cmd || !strcmp(cmd, r.command)),
		      "%s: got %d %s at %zu (%s), want %s at %zu (%s)", what, ret,
		      vgt_audit_reason_name(r.reason), r.dword, r.command,
		      vgt_audit_reason_name(reason), dword, cmd ? cmd : "any");
}

#define RING_OK(what, a) expect(&ring_ctx, what, a, N(a), VGT_AUDIT_OK, 0, NULL)
#define BATCH_OK(what, a) expect(&batch_ctx, what, a, N(a), VGT_AUDIT_OK, 0, NULL)
#define RING_NO(what, a, why, at, cmd) expect(&ring_ctx, what, a, N(a), why, at, cmd)
#define BATCH_NO(what, a, why, at, cmd) expect(&batch_ctx, what, a, N(a), why, at, cmd)
#define OK_ON(ctx, what, a) expect(ctx, what, a, N(a), VGT_AUDIT_OK, 0, NULL)
#define NO_ON(ctx, what, a, why, at, cmd) expect(ctx, what, a, N(a), why, at, cmd)
#define PREDICATED (1u << 15)
#define SET_PREDICATE(en) MI(0x01, en)
#define BLT_CLIP (1u << 30)
#define BPP32 (3u << 24)
#define YX(y, x) (((uint32_t)(y) << 16) | (x))

TEST(valid_streams, "H-14")
{
	uint64_t hwsp = MAP_BASE + 0x3000, scratch = HID_BASE + HID_SIZE - 8;
	/* One request as i915's execlists code emits it on gen9 RCS and BCS. */
	const uint32_t ring[] = {
		MI(0x08, 1),					/* MI_ARB_ON_OFF enable */
		MI(0x20, 2) | GGTT, LO(hwsp + 0x40), HI(hwsp), 17, /* init breadcrumb */
		PIPE_CONTROL(4), (1u << 20) | PC_QW_WRITE | PC_GGTT,
			LO(scratch), HI(scratch), 0, 0,		/* flush, scratch write */
		MI(0x22, 3), 0x2600, 1, 0x2604, 0,		/* LRI x2: CS_GPR0 */
		MI(0x08, 1),
		MI(0x31, 1) | (1u << 8), 0x10000, 0,		/* user batch, PPGTT */
		MI(0x08, 0), MI(0x00, 0),
		PIPE_CONTROL(4), (1u << 20) | PC_QW_WRITE | PC_GGTT | INDEX,
			0x40 * 4, 0, 17, 0,			/* fini, HWSP index */
		PIPE_CONTROL(4), PC_QW_WRITE | PC_GGTT, LO(hwsp + 0x80), HI(hwsp), 17, 0,
		MI(0x02, 0),					/* MI_USER_INTERRUPT */
		MI(0x24, 2) | GGTT, 0x2358, LO(hwsp + 0x200), HI(hwsp), /* SRM timestamp */
		MI(0x29, 2) | GGTT, 0x2600, LO(hwsp + 0x200), HI(hwsp), /* LRM GPR0 */
		MI(0x2f, 1) | GGTT | (1u << 19), LO(hwsp + 0x208), HI(hwsp), /* atomic qw */
		MI(0x1c, 2), 1, 0x1000, 0,			/* semaphore on PPGTT */
		MI(0x05, 0),					/* MI_ARB_CHECK */
		MI(0x0a, 0), MI(0x05, 0),	/* a ring reads on after BB_END */
	};
	/* A Mesa-like gen9 batch: 3D, media/GPGPU and blits, then the end. */
	const uint32_t batch[] = {
		GFX(1, 1, 4, 0) | 0x300,				/* PIPELINE_SELECT */
		GFX(0, 1, 1, 17), 1, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0,
		GFX(3, 0, 0x0b, 0) | 1,					/* VF_STATISTICS */
		GFX(3, 1, 0, 2), 0, 0x00ff00ff, 0,			/* DRAWING_RECTANGLE */
		GFX(3, 0, 0x0c, 0), 0,					/* 3DSTATE_VF */
		GFX(3, 0, 0x4b, 0), 4,					/* VF_TOPOLOGY */
		GFX(3, 0, 0x10, 7), 0, 0, 0, 0, 0, 0, 0, 0,		/* 3DSTATE_VS */
		GFX(3, 0, 0x12, 2), 0, 0, 0,				/* 3DSTATE_CLIP */
		GFX(3, 0, 0x50, 3), 0, 0, 0, 0,				/* 3DSTATE_RASTER */
		GFX(3, 0, 0x20, 10), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* 3DSTATE_PS */
		GFX(3, 0, 0x08, 3), 0, 0x1000, 0, 0x100,		/* VERTEX_BUFFERS */
		GFX(3, 0, 0x09, 1), 0, 0,				/* VERTEX_ELEMENTS */
		GFX(3, 1, 0x12, 0), 0,					/* PUSH_CONSTANT_ALLOC */
		GFX(3, 0, 0x55, 3), 0, 0, 0, 0,				/* COMPONENT_PACKING */
		GFX(3, 3, 0, 5), 0, 3, 0, 1, 0, 0,			/* 3DPRIMITIVE */
		PIPE_CONTROL(4), (1u << 20) | PC_TIMESTAMP, 0x2000, 0, 0, 0, /* PPGTT */
		GFX(2, 0, 0, 7), 0, 0, 0, 0, 0, 0, 0, 0,		/* MEDIA_VFE_STATE */
		GFX(2, 0, 1, 2), 0, 0x40, 0,				/* MEDIA_CURBE_LOAD */
		GFX(2, 0, 2, 2), 0, 0x20, 0,				/* MEDIA_IDL */
		GFX(2, 1, 5, 13), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* GPGPU_WALKER */
		GFX(2, 0, 4, 0), 0,					/* MEDIA_STATE_FLUSH */
		MI(0x22, 5), 0x2400, 1, 0x2408, 2, 0x2438, 4,	/* predicate srcs, instances */
		MI(0x2a, 1), 0x2600, 0x2608,				/* LRR GPR0 -> GPR1 */
		MI(0x20, 3) | QWORD, 0x3000, 0, 1, 2,			/* PPGTT qword store */
		MI(0x0c, 0),						/* MI_PREDICATE */
		MI_BB_END,
		0xffffffff,			/* after the end: never decoded */
	};

	/* BCS: i915's flush and fini breadcrumb, IGT-like blits in the slices. */
	const uint32_t bcs[] = {
		MI(0x26, 2) | PC_QW_WRITE | INDEX, (0x40 * 4) | 4, 0, 17, /* fini, index */
		MI(0x26, 3) | PC_QW_WRITE, LO(hwsp + 0x100) | 4, HI(hwsp), 1, 0,
		MI(0x22, 1), 0x22200, 0x00030003,			/* BCS_SWCTRL */
		BLT(0x53, 8) | (3u << 20), BPP32 | (0xcc << 16) | 4096, 0, YX(16, 1024),
			LO(MAP_BASE), HI(MAP_BASE), 0, 4096, LO(HID_BASE), HI(HID_BASE),
		BLT(0x50, 5) | (3u << 20), BPP32 | (0xf0 << 16) | 4096, 0, YX(16, 1024),
			LO(MAP_BASE), HI(MAP_BASE), 0xff,
		BLT(0x42, 8) | (2u << 13), BPP32 | 1024, 0, YX(32, 256),
			LO(HID_BASE), HI(HID_BASE), 0, 4096, LO(MAP_BASE), HI(MAP_BASE),
		BLT(0x01, 8), BLT_CLIP | (1u << 31) | BPP32 | 4096, 0, YX(8, 8),
			LO(MAP_BASE), HI(MAP_BASE), 0, 0xff, 0, 0,	/* setup, solid */
		BLT(0x24, 0), YX(3, 3), BLT(0x25, 1), YX(4, 0), YX(4, 8), /* pixel, span */
		MI(0x02, 0), MI_BB_END,
	};
	/* The 6.1 gen9 context workarounds and indirect-context batch, as i915 loads them. */
	const uint32_t ctx_wa[] = {
		MI(0x22, 19), 0x7014, 0x08000800, 0xe194, 0x02000200, 0xe4f0, 0x02000200,
			0x7004, 0x01000100, 0xe188, 0x00400000, 0x7300, 0x00200020,
			0xe184, 0x00020002, 0xe180, 0x00200020, 0x2580, 0x00060000,
			0x7008, 0x01000100,
		MI(0x24, 2) | GGTT, 0xb118, LO(hwsp + 0x400), HI(hwsp),	/* save L3SQCREG4 */
		MI(0x22, 1), 0xb118, 0x40400000 | (1u << 21),
		PIPE_CONTROL(4), (1u << 20) | (1u << 5), 0, 0, 0, 0,
		MI(0x29, 2) | GGTT, 0xb118, LO(hwsp + 0x400), HI(hwsp),	/* restore */
		MI(0x22, 5), 0x7014, 0x00010000, 0x2088, 0x00020002, 0x2090, 0x02000200,
		MI(0x00, 0), MI_BB_END,
	};
	/* VCS: a media-driver-like AVC decode; VECS: a VEBOX job. */
	const uint32_t vcs[] = {
		0x70000000 | 3, 0, 0, 0, 0,			/* MFX_PIPE_MODE_SELECT */
		0x70010000 | 4, 0, 0, 0, 0, 0,			/* MFX_SURFACE_STATE */
		0x71000000 | 19, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0x68000000,					/* MFX_WAIT */
		0x71280000 | 4, 0, 0, 0, 0, 0,			/* MFD_AVC_BSD_OBJECT */
		0x73800000 | 2, 0, 0, 0,			/* HCP_PIPE_MODE_SELECT */
		MI(0x26, 2) | PC_QW_WRITE, LO(hwsp + 0x40) | 4, HI(hwsp), 1,
		MI(0x02, 0), MI_BB_END,
	};
	const uint32_t vecs[] = {
		0x74000000 | 7, 0, 0, 0, 0, 0, 0, 0, 0,	/* VEBOX_SURFACE_STATE */
		0x74030000 | 22, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
			0, 0, 0,				/* VEB_DI_IECP */
		MI(0x26, 2) | PC_QW_WRITE, LO(hwsp + 0x40) | 4, HI(hwsp), 1,
		MI_BB_END,
	};

	RING_OK("i915 gen9 ring", ring);
	BATCH_OK("Mesa-like gen9 batch", batch);
	OK_ON(&bcs_batch, "BCS flush, fini and blits", bcs);
	BATCH_OK("6.1 context workarounds", ctx_wa);
	OK_ON(&vcs_ring, "VCS AVC decode", vcs);
	OK_ON(&vecs_ring, "VECS VEBOX job", vecs);
}

TEST(operands, "H-14")
{
	uint64_t edge = MAP_BASE + MAP_SIZE - 4, hedge = HID_BASE + HID_SIZE - 8;
	uint64_t other = 200 * MIB, below = MAP_BASE - 4;
	const uint32_t sdi_out[] = { MI(0x20, 2) | GGTT, LO(other), HI(other), 1 };
	const uint32_t sdi_edge[] = { MI(0x20, 2) | GGTT, LO(edge), HI(edge), 1 };
	const uint32_t sdi_qw_straddle[] = { MI(0x20, 3) | GGTT | QWORD, LO(edge), HI(edge), 1, 2 };
	const uint32_t sdi_below[] = { MI(0x20, 2) | GGTT, LO(below), HI(below), 1 };
	const uint32_t sdi_core[] = { MI(0x20, 2) | GGTT, LO(edge) | 1, HI(edge), 1 };
	const uint32_t sdi_ppgtt[] = { MI(0x20, 2), LO(other), HI(other), 1 };
	const uint32_t sdi_4g[] = { MI(0x20, 2) | GGTT, LO(MAP_BASE), 1, 1 };
	const uint32_t sdi_wrap[] = { MI(0x20, 3) | GGTT | QWORD, 0xfffffffc, 0xffff, 1, 2 };
	const uint32_t lrm_out[] = { MI(0x29, 2) | GGTT, 0x2600, LO(other), HI(other) };
	const uint32_t lrm_ppgtt[] = { MI(0x29, 2), 0x2600, LO(other), HI(other) };
	const uint32_t srm_edge[] = { MI(0x24, 2) | GGTT, 0x2358, LO(edge), HI(edge) };
	const uint32_t srm_hidden_out[] = { MI(0x24, 2) | GGTT, 0x2358,
					    LO(HID_BASE + HID_SIZE), HI(HID_BASE) };
	const uint32_t fl_out[] = { MI(0x26, 2) | PC_QW_WRITE, LO(other) | 4, HI(other), 0 };
	const uint32_t fl_edge[] = { MI(0x26, 3) | PC_QW_WRITE, LO(hedge) | 4, HI(hedge), 0, 0 };
	const uint32_t fl_below[] = { MI(0x26, 3) | PC_QW_WRITE, LO(HID_BASE - 8) | 4,
				      HI(HID_BASE), 0, 0 };
	const uint32_t fl_ppgtt[] = { MI(0x26, 2) | PC_QW_WRITE, LO(other), HI(other), 0 };
	const uint32_t fl_nopost[] = { MI(0x26, 2), LO(other) | 4, HI(other), 0 };
	const uint32_t fl_index[] = { MI(0x26, 2) | PC_QW_WRITE | INDEX, 0x1000 | 4, 0, 0 };
	const uint32_t fl_index_ok[] = { MI(0x26, 2) | PC_QW_WRITE | INDEX, 0xff8 | 4, 0, 0 };
	const uint32_t pc_out[] = { PIPE_CONTROL(4), PC_GGTT | PC_QW_WRITE, LO(other), HI(other), 0, 0 };
	const uint32_t pc_ts_out[] = { PIPE_CONTROL(4), PC_GGTT | PC_TIMESTAMP, LO(other), HI(other), 0, 0 };
	const uint32_t pc_ppgtt[] = { PIPE_CONTROL(4), PC_QW_WRITE, LO(other), HI(other), 0, 0 };
	const uint32_t pc_nopost[] = { PIPE_CONTROL(4), PC_GGTT | (1u << 23), 0x2600, 0, 0, 0 };
	const uint32_t pc_index[] = { PIPE_CONTROL(4), PC_GGTT | INDEX | PC_QW_WRITE, 0x800, 0, 0, 0 };
	const uint32_t pc_index_out[] = { PIPE_CONTROL(4), INDEX | PC_QW_WRITE, 0x1000, 0, 0, 0 };
	const uint32_t at_dw_edge[] = { MI(0x2f, 1) | GGTT, LO(edge), HI(edge) };
	const uint32_t at_ow_straddle[] = { MI(0x2f, 1) | GGTT | (2u << 19), LO(edge - 8), HI(edge) };
	const uint32_t at_inline_out[] = { MI(0x2f, 9) | GGTT | (1u << 18), LO(other), HI(other),
					   0, 0, 0, 0, 0, 0, 0, 0 };
	const uint32_t at_ppgtt[] = { MI(0x2f, 1) | (3u << 19), LO(other), HI(other) };
	const uint32_t bb_out[] = { MI(0x31, 1), LO(other), HI(other) };
	const uint32_t bb_in[] = { MI(0x31, 1), LO(MAP_BASE), HI(MAP_BASE), MI(0x05, 0) };
	const uint32_t sdx_ok[] = { MI(0x21, 1), 0xffc, 7 };
	const uint32_t sdx_qw_over[] = { MI(0x21, 2) | QWORD, 0xffc, 7, 8 };
	const uint32_t sdx_far[] = { MI(0x21, 1), 0x10000, 7 };
	const uint32_t sem_ggtt_out[] = { MI(0x1c, 2) | GGTT, 0, LO(other), HI(other) };
	struct vgt_audit_ctx small = ring_ctx;
	struct vgt_audit_result r;

	RING_NO("MI_STORE_DATA_IMM outside", sdi_out, VGT_AUDIT_OUTSIDE_SLICE, 0, "MI_STORE_DATA_IMM");
	RING_OK("MI_STORE_DATA_IMM at the last dword", sdi_edge);
	RING_NO("qword store straddling the slice end", sdi_qw_straddle, VGT_AUDIT_OUTSIDE_SLICE, 0, NULL);
	RING_NO("store just below the slice", sdi_below, VGT_AUDIT_OUTSIDE_SLICE, 0, NULL);
	RING_NO("core-mode store at the last dword", sdi_core, VGT_AUDIT_OUTSIDE_SLICE, 0, NULL);
	RING_OK("MI_STORE_DATA_IMM on PPGTT", sdi_ppgtt);
	RING_NO("slice address + 4 GiB", sdi_4g, VGT_AUDIT_OUTSIDE_SLICE, 0, NULL);
	RING_NO("operand wrapping 2^48", sdi_wrap, VGT_AUDIT_WRAPS, 0, NULL);
	CHECK(audit_copy(&ring_ctx, sdi_wrap, N(sdi_wrap), &r) == -EACCES &&
	      r.addr == 0xfffffffffffcULL && r.size == 8, "wrap operand: 0x%llx %llu",
	      (unsigned long long)r.addr, (unsigned long long)r.size);
	RING_NO("MI_LOAD_REGISTER_MEM outside", lrm_out, VGT_AUDIT_OUTSIDE_SLICE, 0, "MI_LOAD_REGISTER_MEM");
	RING_OK("MI_LOAD_REGISTER_MEM on PPGTT", lrm_ppgtt);
	RING_OK("MI_STORE_REGISTER_MEM at the last dword", srm_edge);
	RING_NO("MI_STORE_REGISTER_MEM just past the hidden slice", srm_hidden_out,
		VGT_AUDIT_OUTSIDE_SLICE, 0, "MI_STORE_REGISTER_MEM");
	/* MI_FLUSH_DW is not a render command: on BCS. */
	NO_ON(&bcs_ring, "MI_FLUSH_DW post-sync outside", fl_out, VGT_AUDIT_OUTSIDE_SLICE, 0,
	      "MI_FLUSH_DW");
	OK_ON(&bcs_ring, "MI_FLUSH_DW at the last qword of the hidden slice", fl_edge);
	NO_ON(&bcs_ring, "MI_FLUSH_DW just below the hidden slice", fl_below,
	      VGT_AUDIT_OUTSIDE_SLICE, 0, NULL);
	OK_ON(&bcs_ring, "MI_FLUSH_DW to PPGTT", fl_ppgtt);
	OK_ON(&bcs_ring, "MI_FLUSH_DW without post-sync", fl_nopost);
	NO_ON(&bcs_ring, "MI_FLUSH_DW index beyond the HWSP", fl_index, VGT_AUDIT_BAD_INDEX, 0,
	      "MI_FLUSH_DW");
	OK_ON(&bcs_ring, "MI_FLUSH_DW index at the last qword", fl_index_ok);
	RING_NO("MI_FLUSH_DW on RCS", fl_ppgtt, VGT_AUDIT_UNKNOWN_OPCODE, 0, "MI_UNKNOWN");
	RING_NO("PIPE_CONTROL post-sync outside", pc_out, VGT_AUDIT_OUTSIDE_SLICE, 0, "PIPE_CONTROL");
	RING_NO("PIPE_CONTROL timestamp outside", pc_ts_out, VGT_AUDIT_OUTSIDE_SLICE, 0, "PIPE_CONTROL");
	RING_OK("PIPE_CONTROL post-sync on PPGTT", pc_ppgtt);
	RING_OK("PIPE_CONTROL register write only", pc_nopost);
	RING_OK("PIPE_CONTROL index inside the HWSP", pc_index);
	RING_NO("PIPE_CONTROL index beyond the HWSP", pc_index_out, VGT_AUDIT_BAD_INDEX, 0, NULL);
	RING_OK("MI_ATOMIC dword at the edge", at_dw_edge);
	RING_NO("MI_ATOMIC octword straddling", at_ow_straddle, VGT_AUDIT_OUTSIDE_SLICE, 0, "MI_ATOMIC");
	RING_NO("MI_ATOMIC inline data outside", at_inline_out, VGT_AUDIT_OUTSIDE_SLICE, 0, NULL);
	RING_OK("MI_ATOMIC on PPGTT", at_ppgtt);
	RING_NO("MI_BATCH_BUFFER_START outside", bb_out, VGT_AUDIT_OUTSIDE_SLICE, 0, "MI_BATCH_BUFFER_START");
	RING_OK("MI_BATCH_BUFFER_START inside, not followed", bb_in);
	RING_OK("MI_STORE_DATA_INDEX at the last dword", sdx_ok);
	RING_NO("MI_STORE_DATA_INDEX qword over the end", sdx_qw_over, VGT_AUDIT_BAD_INDEX, 0, NULL);
	RING_NO("MI_STORE_DATA_INDEX far", sdx_far, VGT_AUDIT_BAD_INDEX, 0, "MI_STORE_DATA_INDEX");
	RING_NO("MI_SEMAPHORE_WAIT on GGTT outside", sem_ggtt_out, VGT_AUDIT_OUTSIDE_SLICE, 0,
		"MI_SEMAPHORE_WAIT");
	small.max_surface = 4;
	CHECK(audit_copy(&small, sdi_qw_straddle, N(sdi_qw_straddle), &r) == -EACCES &&
	      r.reason == VGT_AUDIT_TOO_LARGE && r.size == 8, "max surface size: %s",
	      vgt_audit_reason_name(r.reason));
	CHECK(audit_copy(&small, sdi_edge, N(sdi_edge), &r) == 0, "a dword fits a 4-byte max");
}

TEST(lengths_opcodes, "H-14")
{
	static const struct {
		const char *name;
		uint32_t dw[4];
	} refused[] = {
		{ "MI_UPDATE_GTT", { MI(0x23, 2), 0, 0, 0 } },
		{ "MI_CLFLUSH", { MI(0x27, 2), LO(MAP_BASE), 0, 0 } },
		{ "MI_REPORT_PERF_COUNT", { MI(0x28, 2), LO(MAP_BASE), 0, 0 } },
		{ "MI_DISPLAY_FLIP", { MI(0x14, 2), 0, LO(MAP_BASE), 0 } },
		{ "MI_RS_STORE_DATA_IMM", { MI(0x2b, 2), LO(MAP_BASE), 0, 0 } },
		{ "MI_LOAD_URB_MEM", { MI(0x2c, 2), 0, LO(MAP_BASE), 0 } },
		{ "MI_STORE_URB_MEM", { MI(0x2d, 2), 0, LO(MAP_BASE), 0 } },
	};
	const uint32_t truncated[] = { MI(0x05, 0), MI(0x20, 2) | GGTT, LO(MAP_BASE) };
	const uint32_t huge_lri[] = { MI(0x22, 0xff), 0x2358, 0 };
	const uint32_t huge_media[] = { GFX(2, 1, 0, 0xffff), 0, 0 };
	const uint32_t huge_sdi[] = { MI(0x20, 0x3ff) | GGTT, LO(MAP_BASE), 0, 1 };
	const uint32_t zero_sdi[] = { MI(0x20, 0) | GGTT, LO(MAP_BASE) };
	const uint32_t zero_lrm[] = { MI(0x29, 0) | GGTT, 0x2358 };
	const uint32_t zero_pc[] = { PIPE_CONTROL(0), PC_GGTT | PC_QW_WRITE };
	const uint32_t zero_bb[] = { MI(0x31, 0), LO(MAP_BASE) };
	const uint32_t sdi_qw_short[] = { MI(0x20, 2) | GGTT | QWORD, LO(MAP_BASE), 0, 1 };
	const uint32_t atomic_inline_short[] = { MI(0x2f, 1) | (1u << 18), 0, 0 };
	const uint32_t zero_3d[] = { GFX(3, 0, 0x12, 0), 0, MI(0x05, 0) };
	const uint32_t one_dword[] = { GFX(3, 0, 0x10, 7) };
	const uint32_t unknown_mi[] = { MI(0x05, 0), MI(0x3f, 0) };
	const uint32_t set_context[] = { MI(0x18, 0), 0 };
	const uint32_t unknown_blt[] = { BLT(0x7f, 0), 0 };
	const uint32_t unknown_3d[] = { GFX(3, 0, 0xff, 0), 0 };
	const uint32_t unknown_group[] = { GFX(3, 4, 0, 0), 0 };
	const uint32_t unknown_media[] = { GFX(2, 1, 0x04, 0), 0 };
	const uint32_t client1[] = { 0x20000000u };
	const uint32_t client7[] = { 0xffffffffu };
	char what[96];
	size_t i;

	for (i = 0; i < N(refused); i++) {
		snprintf(what, sizeof(what), "%s refused", refused[i].name);
		expect(&ring_ctx, what, refused[i].dw, 4, VGT_AUDIT_PRIVILEGED, 0, refused[i].name);
	}
	RING_NO("truncated command", truncated, VGT_AUDIT_TRUNCATED, 1, "MI_STORE_DATA_IMM");
	RING_NO("huge MI_LOAD_REGISTER_IMM", huge_lri, VGT_AUDIT_TRUNCATED, 0, NULL);
	RING_NO("huge MEDIA_OBJECT", huge_media, VGT_AUDIT_TRUNCATED, 0, "MEDIA_OBJECT");
	RING_NO("huge MI_STORE_DATA_IMM", huge_sdi, VGT_AUDIT_BAD_LENGTH, 0, NULL);
	RING_NO("zero-length MI_STORE_DATA_IMM", zero_sdi, VGT_AUDIT_BAD_LENGTH, 0, NULL);
	RING_NO("zero-length MI_LOAD_REGISTER_MEM", zero_lrm, VGT_AUDIT_BAD_LENGTH, 0, NULL);
	RING_NO("zero-length PIPE_CONTROL with a post-sync write", zero_pc,
		VGT_AUDIT_BAD_LENGTH, 0, "PIPE_CONTROL");
	RING_NO("zero-length MI_BATCH_BUFFER_START", zero_bb, VGT_AUDIT_BAD_LENGTH, 0, NULL);
	RING_NO("qword store one dword short", sdi_qw_short, VGT_AUDIT_BAD_LENGTH, 0, NULL);
	RING_NO("MI_ATOMIC inline data without it", atomic_inline_short, VGT_AUDIT_BAD_LENGTH, 0, NULL);
	RING_OK("zero-length 3DSTATE_CLIP is two dwords", zero_3d);
	RING_NO("a command cut after its header", one_dword, VGT_AUDIT_TRUNCATED, 0, "3DSTATE_VS");
	RING_NO("unknown MI opcode", unknown_mi, VGT_AUDIT_UNKNOWN_OPCODE, 1, "MI_UNKNOWN");
	RING_NO("MI_SET_CONTEXT (not on gen9)", set_context, VGT_AUDIT_UNKNOWN_OPCODE, 0, NULL);
	RING_NO("unknown blitter opcode", unknown_blt, VGT_AUDIT_UNKNOWN_OPCODE, 0, "BLT_UNKNOWN");
	RING_NO("unknown 3D sub-opcode", unknown_3d, VGT_AUDIT_UNKNOWN_OPCODE, 0, "GFX_UNKNOWN");
	RING_NO("unknown 3D opcode", unknown_group, VGT_AUDIT_UNKNOWN_OPCODE, 0, NULL);
	RING_NO("unknown media sub-opcode", unknown_media, VGT_AUDIT_UNKNOWN_OPCODE, 0, NULL);
	RING_NO("client 1", client1, VGT_AUDIT_UNKNOWN_OPCODE, 0, "CLIENT1_UNKNOWN");
	RING_NO("client 7", client7, VGT_AUDIT_UNKNOWN_OPCODE, 0, NULL);
	expect(&ring_ctx, "empty ring", NULL, 0, VGT_AUDIT_OK, 0, NULL);
	expect(&batch_ctx, "empty batch", NULL, 0, VGT_AUDIT_UNTERMINATED, 0, "END_OF_BUFFER");
	expect(&batch_ctx, "batch without an end", unknown_mi, 1, VGT_AUDIT_UNTERMINATED, 1, NULL);
}

/* Flat memory at MAP_BASE for chained batches, exact-size heap for ASan. */
struct memory {
	uint32_t *dw;
	size_t n;
	int fetches;
};

static const uint32_t *fetch(void *priv, uint64_t addr, size_t *n)
{
	struct memory *m = priv;

	m->fetches++;
	if (addr < MAP_BASE || (addr - MAP_BASE) / 4 >= m->n || addr % 4)
		return NULL;
	*n = m->n - (addr - MAP_BASE) / 4;
	return m->dw + (addr - MAP_BASE) / 4;
}

#define AT(dw) (MAP_BASE + 4 * (uint64_t)(dw))
#define BBS(dw) MI(0x31, 1), LO(AT(dw)), HI(AT(dw))

/* Audit @top with memory @mem (copied to the heap) and check the outcome. */
static void chain(const char *what, const struct vgt_audit_ctx *base,
		  const uint32_t *top, size_t n, const uint32_t *mem, size_t mem_n,
		  enum vgt_audit_reason want, unsigned int depth, size_t dword)
{
	struct memory m = { malloc(mem_n * 4), mem_n, 0 };
	struct vgt_audit_ctx c = *base;
	struct vgt_audit_result r;
	int ret;

	if (!m.dw)
		abort();
	memcpy(m.dw, mem, mem_n * 4);
	c.fetch = fetch;
	c.priv = &m;
	ret = audit_copy(&c, top, n, &r);
	CHECK(want ? ret == -EACCES && r.reason == want && r.depth == depth &&
		     r.dword == dword : ret == 0,
	      "%s: got %d %s depth %u dword %zu batch 0x%llx (%s); want %s depth %u dword %zu",
	      what, ret, vgt_audit_reason_name(r.reason), r.depth, r.dword,
	      (unsigned long long)r.batch, r.command, vgt_audit_reason_name(want), depth, dword);
	free(m.dw);
}

TEST(chaining, "H-14")
{
	uint64_t other = 200 * MIB;
	/* Batch 0 stores inside; batch 8 stores outside; batch 16 calls 24. */
	const uint32_t mem[] = {
		/* 0 */ MI(0x20, 2) | GGTT, LO(AT(40)), HI(AT(40)), 1, MI_BB_END, 0, 0, 0,
		/* 8 */ MI(0x05, 0), MI(0x20, 2) | GGTT, LO(other), HI(other), 1, MI_BB_END, 0, 0,
		/* 16 */ MI(0x31, 1) | SECOND, LO(AT(24)), HI(AT(24)), MI(0x05, 0), MI_BB_END, 0, 0, 0,
		/* 24 */ MI(0x05, 0), MI_BB_END, 0, 0, 0, 0, 0, 0,
		/* 32 */ MI(0x05, 0), BBS(32), 0, 0, 0, 0,		/* self-chaining */
		/* 40 */ MI(0x31, 1) | SECOND, LO(AT(48)), HI(AT(48)), MI_BB_END, 0, 0, 0, 0,
		/* 48 */ BBS(0), MI_BB_END, 0, 0, 0, 0,		/* start from 2nd level */
		/* 56 */ BBS(59), BBS(62), BBS(65), BBS(56),	/* a loop of jumps */
		/* 68 */ MI(0x05, 0), MI(0x05, 0), 0, 0,		/* runs to the end */
	};
	/* A chain of distinct batches, one per 4 dwords: depth, not a loop. */
	uint32_t ladder[4 * 16];
	const uint32_t ring_then_bad[] = { BBS(0), MI(0x20, 2) | GGTT, LO(other), HI(other), 1 };
	const uint32_t ring_to_bad[] = { MI(0x05, 0), BBS(8), MI(0x05, 0) };
	const uint32_t ring_call[] = { MI(0x31, 1) | SECOND, LO(AT(24)), HI(AT(24)) };
	const uint32_t batch_call[] = { MI(0x31, 1) | SECOND, LO(AT(24)), HI(AT(24)), MI_BB_END };
	const uint32_t batch_jump[] = { BBS(16), 0xffffffff };
	const uint32_t ring_self[] = { BBS(32) };
	const uint32_t ring_loop[] = { BBS(56) };
	const uint32_t ring_nest[] = { BBS(40) };
	const uint32_t ring_end[] = { BBS(68) };
	const uint32_t ring_hidden[] = { MI(0x31, 1), LO(HID_BASE), HI(HID_BASE) };
	const uint32_t ring_ladder[] = { BBS(0) };
	const uint32_t batch_ppgtt_jump[] = { MI(0x31, 1) | (1u << 8), 0, 0, 0xffffffff };
	const uint32_t noops[6] = { 0 };
	struct vgt_audit_ctx c = ring_ctx, tiny = ring_ctx;
	size_t i;

	for (i = 0; i < 16; i++) {
		ladder[4 * i] = MI(0x31, 1);
		ladder[4 * i + 1] = LO(AT(4 * (i + 1)));
		ladder[4 * i + 2] = HI(AT(4 * (i + 1)));
		ladder[4 * i + 3] = 0;
	}
	ladder[4 * 15] = MI_BB_END;

	chain("ring scanned on after its batch returns", &ring_ctx, ring_then_bad,
	      N(ring_then_bad), mem, N(mem), VGT_AUDIT_OUTSIDE_SLICE, 0, 3);
	chain("store outside in a followed batch", &ring_ctx, ring_to_bad, N(ring_to_bad),
	      mem, N(mem), VGT_AUDIT_OUTSIDE_SLICE, 1, 1);
	chain("second level from the ring", &ring_ctx, ring_call, N(ring_call), mem, N(mem),
	      VGT_AUDIT_BAD_NESTING, 0, 0);
	chain("second level from a batch returns", &batch_ctx, batch_call, N(batch_call),
	      mem, N(mem), VGT_AUDIT_OK, 0, 0);
	chain("a jump ends the batch", &batch_ctx, batch_jump, N(batch_jump), mem, N(mem),
	      VGT_AUDIT_OK, 0, 0);
	chain("self-chaining batch", &ring_ctx, ring_self, N(ring_self), mem, N(mem),
	      VGT_AUDIT_CHAIN_LOOP, 1, 1);
	chain("a loop of four jumps", &ring_ctx, ring_loop, N(ring_loop), mem, N(mem),
	      VGT_AUDIT_CHAIN_LOOP, 4, 0);
	chain("batch start from a second-level batch", &ring_ctx, ring_nest, N(ring_nest),
	      mem, N(mem), VGT_AUDIT_BAD_NESTING, 2, 0);
	chain("batch running off the memory", &ring_ctx, ring_end, N(ring_end), mem, N(mem),
	      VGT_AUDIT_UNTERMINATED, 1, N(mem) - 68);
	chain("batch in unbacked memory", &ring_ctx, ring_hidden, N(ring_hidden), mem, N(mem),
	      VGT_AUDIT_UNREADABLE, 0, 0);
	chain("PPGTT jump ends the batch", &batch_ctx, batch_ppgtt_jump, N(batch_ppgtt_jump),
	      mem, N(mem), VGT_AUDIT_OK, 0, 0);
	c.max_depth = 16;
	chain("15 chained batches within depth 16", &c, ring_ladder, N(ring_ladder), ladder,
	      N(ladder), VGT_AUDIT_OK, 0, 0);
	chain("15 chained batches over the default depth", &ring_ctx, ring_ladder,
	      N(ring_ladder), ladder, N(ladder), VGT_AUDIT_DEPTH, 8, 0);
	c.max_dwords = 20;
	chain("dword budget", &c, ring_ladder, N(ring_ladder), ladder, N(ladder),
	      VGT_AUDIT_BUDGET, 6, 0);
	/* A slice of 16 bytes: the batch may not be read past it. */
	tiny.mappable_size = 16;
	chain("batch cut at the slice end", &tiny, ring_ladder, N(ring_ladder), noops,
	      N(noops), VGT_AUDIT_UNTERMINATED, 1, 4);
}

TEST(bad_ctx, "H-14")
{
	struct vgt_audit_ctx c = ring_ctx;
	struct vgt_audit_result r = { .reason = VGT_AUDIT_BUDGET };
	uint32_t nop = 0;

	CHECK(vgt_audit(NULL, &nop, 1, &r) == -EINVAL, "NULL ctx");
	CHECK(vgt_audit(&c, &nop, 1, NULL) == -EINVAL, "NULL result");
	CHECK(vgt_audit(&c, NULL, 1, &r) == -EINVAL, "NULL dwords");
	c.hidden_base = (1ULL << 48) - 4096;
	c.hidden_size = 8192;
	CHECK(vgt_audit(&c, &nop, 1, &r) == -EINVAL && r.reason == VGT_AUDIT_BUDGET,
	      "slice past 2^48, result untouched");
	c = ring_ctx;
	c.max_depth = VGT_AUDIT_DEPTH_MAX + 1;
	CHECK(vgt_audit(&c, &nop, 1, &r) == -EINVAL, "max_depth too big");
	c = ring_ctx;
	c.buffer = 7;
	CHECK(vgt_audit(&c, &nop, 1, &r) == -EINVAL, "unknown buffer kind");
	CHECK(!strcmp(vgt_audit_reason_name(VGT_AUDIT_NR), "?") &&
	      !strcmp(vgt_audit_reason_name(VGT_AUDIT_WRAPS), "wraps") &&
	      strlen(vgt_audit_reason_desc(VGT_AUDIT_CHAIN_LOOP)) > 0, "reason strings");
}

/* xorshift64*: seeded, printed, replayable. */
static uint64_t rng(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

TEST(random, "H-14")
{
	uint64_t seed = vgt_test_seed(), s = seed | 1;	/* VGT_SEED replays */
	int bad = 0;
	/* Mostly plausible headers, so decoding goes deep into the buffers. */
	static const uint32_t heads[] = {
		MI(0x20, 2) | GGTT, MI(0x26, 2) | PC_QW_WRITE, PIPE_CONTROL(4), MI(0x2f, 1) | GGTT,
		MI(0x31, 1), MI(0x22, 1), GFX(3, 0, 0x10, 7), GFX(2, 1, 0, 5), BLT(0x53, 8),
		MI(0x05, 0), MI(0x00, 0), MI_BB_END, MI(0x21, 1), MI(0x24, 2) | GGTT,
		MI(0x31, 1) | PREDICATED, SET_PREDICATE(3), MI(0x36, 2) | GGTT, BLT(0x50, 5),
		BLT(0x01, 8), BLT(0x24, 0), 0x70000003, 0x74020000 | 14, MI(0x2e, 3) | GGTT,
	};
	struct memory m = { 0 };
	struct vgt_audit_ctx c = ring_ctx;
	struct vgt_audit_result r;
	uint32_t buf[64];
	int it, ret;
	size_t i, n;

	c.fetch = fetch;
	c.priv = &m;
	c.mappable_size = 4096;
	for (it = 0; it < 20000; it++) {
		n = rng(&s) % N(buf) + 1;
		for (i = 0; i < n; i++) {
			uint32_t x = (uint32_t)rng(&s);

			switch (x % 4) {
			case 0:
				buf[i] = heads[(x >> 8) % N(heads)];
				break;
			case 1:	/* an address near the slices */
				buf[i] = LO(MAP_BASE) + ((x >> 4) & 0x1ffc);
				break;
			default:
				buf[i] = (uint32_t)rng(&s) >> (x % 32);
			}
		}
		m.dw = buf;	/* the buffer is also its memory */
		m.n = n;
		c.buffer = it & 1 ? VGT_AUDIT_BATCH : VGT_AUDIT_RING;
		c.engine = (it >> 1) % VGT_ENGINE_NR;
		ret = audit_copy(&c, buf, n, &r);
		if (!(ret == 0 || (ret == -EACCES && r.reason > VGT_AUDIT_OK &&
				   r.reason < VGT_AUDIT_NR && r.command && r.depth <= 8)))
			bad++;
	}
	CHECK(!bad, "%d random buffers gave an unexpected result (seed 0x%llx)", bad,
	      (unsigned long long)seed);
}

static int run_cli(const char *const *args, int nargs, char *out, size_t len,
		   char *err, size_t err_len)
{
	char *argv[16];
	int argc = 0, ret, saved_out, saved_err, i;
	FILE *fo = tmpfile(), *fe = tmpfile();

	argv[argc++] = "audit";
	for (i = 0; i < nargs && argc < 15; i++)
		argv[argc++] = (char *)args[i];
	argv[argc] = NULL;
	fflush(stdout);
	fflush(stderr);
	saved_out = dup(1);
	saved_err = dup(2);
	dup2(fileno(fo), 1);
	dup2(fileno(fe), 2);
	ret = vgt_audit_main(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(saved_out, 1);
	dup2(saved_err, 2);
	close(saved_out);
	close(saved_err);
	rewind(fo);
	rewind(fe);
	out[fread(out, 1, len - 1, fo)] = '\0';
	err[fread(err, 1, err_len - 1, fe)] = '\0';
	fclose(fo);
	fclose(fe);
	return ret;
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (f) {
		fwrite(data, 1, len, f);
		fclose(f);
	}
}

/* NULL: anything. */
static int same(const char *s, const char *want)
{
	return !want || !strcmp(s, want);
}

static int contains(const char *s, const char *want)
{
	return !want || strstr(s, want);
}

#define SLICES "--mappable", "0x8000000:0x4000000", "--hidden", "671088640:402653184"
#define CLI(args, want, expect_out, expect_err) do { \
	const char *const a_[] = args; \
	int r_ = run_cli(a_, N(a_), out, sizeof(out), err, sizeof(err)); \
	CHECK(r_ == (want) && same(out, expect_out) && contains(err, expect_err), \
	      "vgt-host audit %s: exit %d, out \"%s\", err \"%s\"", #args, r_, out, err); \
} while (0)
#define ARGS(...) { __VA_ARGS__ }

TEST(cli, "H-14")
{
	const uint32_t good[] = { MI(0x20, 2) | GGTT, LO(MAP_BASE), 0, 1, MI_BB_END };
	const uint32_t bad[] = { MI(0x05, 0), MI(0x20, 2) | GGTT, LO(200 * MIB), 0, 1, MI_BB_END };
	/* With --follow the file sits at the mappable base: dword 4 is a batch. */
	const uint32_t chained[] = { BBS(4), MI_BB_END, MI(0x05, 0),
				     MI(0x20, 2) | GGTT, LO(200 * MIB), 0, 1, MI_BB_END };
	const uint32_t self[] = { MI(0x05, 0), BBS(0), MI_BB_END };
	char dir[] = "/tmp/vgt-audit-XXXXXX", path[64], empty[80], out[256], err[512];

	if (!mkdtemp(dir)) {
		CHECK(0, "mkdtemp");
		return;
	}
	snprintf(path, sizeof(path), "%s/buf", dir);
	snprintf(empty, sizeof(empty), "%s/empty", dir);
	write_file(empty, "", 0);
	write_file(path, good, sizeof(good));
	CLI(ARGS(SLICES, path), 0, "ok\n", NULL);
	CLI(ARGS(SLICES, "--max-surface", "4", path), 0, "ok\n", NULL);
	CLI(ARGS(SLICES, "--max-surface=2", path), 2,
	    "rejected: too-large at dword 0: MI_STORE_DATA_IMM addr 0x8000000 size 4\n", NULL);
	write_file(path, bad, sizeof(bad));
	CLI(ARGS(SLICES, path), 2,
	    "rejected: outside-slice at dword 1: MI_STORE_DATA_IMM addr 0xc800000 size 4\n", NULL);
	CLI(ARGS("--ring", SLICES, path), 2, NULL, NULL);
	write_file(path, good, sizeof(good) - 4);
	CLI(ARGS(SLICES, path), 2, "rejected: unterminated at dword 4: END_OF_BUFFER addr 0x0 size 0\n",
	    NULL);
	CLI(ARGS("--ring", SLICES, path), 0, "ok\n", NULL);
	write_file(path, chained, sizeof(chained));
	CLI(ARGS(SLICES, path), 0, "ok\n", NULL);
	CLI(ARGS(SLICES, "--follow", path), 2,
	    "rejected: outside-slice at dword 5: MI_STORE_DATA_IMM addr 0xc800000 size 4\n", NULL);
	write_file(path, self, sizeof(self));
	CLI(ARGS("--follow", SLICES, path), 2,
	    "rejected: chain-loop at dword 1: MI_BATCH_BUFFER_START addr 0x8000000 size 4\n", NULL);
	write_file(path, good, 6);
	CLI(ARGS(SLICES, path), 1, "", "6 bytes is not a whole number of dwords");
	CLI(ARGS(SLICES, empty), 1, "", "empty");
	CLI(ARGS(SLICES, "/nonexistent/buf"), 1, "", "/nonexistent/buf");
	CLI(ARGS(SLICES, "--max-surface=x", path), 1, "", "--max-surface");
	CLI(ARGS(SLICES, "--max-surface", "0", path), 1, "", "--max-surface");
	CLI(ARGS(SLICES, "--max-surface"), 1, "", "--max-surface: needs a value");
	CLI(ARGS("--mappable", "0x8000000", "--hidden", "0:1", path), 1, "", "--mappable");
	CLI(ARGS("--mappable", "0x8000000:0x", "--hidden", "0:1", path), 1, "", "--mappable");
	CLI(ARGS("--mappable", "1:2", "--hidden", "-1:1", path), 1, "", "--hidden");
	CLI(ARGS("--mappable", "0xffffffffffff:2", "--hidden", "0:1", path), 1, "", "48-bit");
	CLI(ARGS("--mappable", "1:2", path), 1, "", "--hidden is required");
	CLI(ARGS(SLICES), 1, "", "FILE is required");
	CLI(ARGS(SLICES, "--bogus", path), 1, "", "--bogus");
	CLI(ARGS(SLICES, path, path), 1, "", "unexpected argument");
	unlink(path);
	unlink(empty);
	rmdir(dir);
}

/*
 * Escapes of the audit before the shared decoder. Each of these buffers
 * was accepted by it (or refused for the wrong reason) and is refused now.
 */
TEST(escape_predicated_batch_start, "H-14")
{
	uint64_t other = 200 * MIB;
	/* A predicated jump: when MI_PREDICATE_RESULT is false the store runs. */
	const uint32_t batch[] = {
		MI(0x31, 1) | PREDICATED, LO(AT(0)), HI(AT(0)),
		MI(0x20, 2) | GGTT, LO(other), HI(other), 1, MI_BB_END,
	};
	/* Memory: batch 0 ends; batch 8 stores outside. */
	const uint32_t mem[] = {
		/* 0 */ MI(0x05, 0), MI_BB_END, 0, 0, 0, 0, 0, 0,
		/* 8 */ MI(0x20, 2) | GGTT, LO(other), HI(other), 1, MI_BB_END, 0, 0, 0,
	};
	const uint32_t to_bad[] = { MI(0x31, 1) | PREDICATED, LO(AT(8)), HI(AT(8)), MI_BB_END };
	const uint32_t falls_off[] = { MI(0x31, 1) | PREDICATED, LO(AT(0)), HI(AT(0)) };
	const uint32_t both_good[] = { MI(0x31, 1) | PREDICATED, LO(AT(0)), HI(AT(0)),
				       MI(0x05, 0), MI_BB_END };
	const uint32_t self[] = { MI(0x31, 1) | PREDICATED, LO(AT(0)), HI(AT(0)) };
	const uint32_t call_then_bad[] = { MI(0x31, 1) | PREDICATED | SECOND, LO(AT(0)),
					   HI(AT(0)), MI(0x20, 2) | GGTT, LO(other), HI(other), 1,
					   MI_BB_END };

	BATCH_NO("store after a predicated jump", batch, VGT_AUDIT_OUTSIDE_SLICE, 3,
		 "MI_STORE_DATA_IMM");
	/* BCS has no predication: the same jump always ends the batch. */
	OK_ON(&bcs_batch, "predicate bit on BCS is ignored", batch);
	chain("predicated jump to a bad batch", &batch_ctx, to_bad, N(to_bad), mem, N(mem),
	      VGT_AUDIT_OUTSIDE_SLICE, 1, 0);
	chain("predicated jump, fall-through never ends", &batch_ctx, falls_off, N(falls_off),
	      mem, N(mem), VGT_AUDIT_UNTERMINATED, 0, 3);
	chain("predicated jump, both paths good", &batch_ctx, both_good, N(both_good), mem,
	      N(mem), VGT_AUDIT_OK, 0, 0);
	chain("predicated jump into its own batch", &batch_ctx, self, N(self), self, N(self),
	      VGT_AUDIT_CHAIN_LOOP, 1, 0);
	chain("predicated call, then a store", &batch_ctx, call_then_bad, N(call_then_bad),
	      mem, N(mem), VGT_AUDIT_OUTSIDE_SLICE, 0, 3);
}

TEST(escape_mfx_length, "H-14")
{
	static uint32_t ring[4101];
	uint64_t other = 200 * MIB;

	/*
	 * MFX_PIPE_MODE_SELECT with its 12-bit length field 3 (5 dwords) and
	 * reserved bits 15:12 set. Read with the media field width (16 bits)
	 * it would be 4101 dwords and swallow the store behind it.
	 */
	ring[0] = 0x70000000 | 0x1000 | 3;
	ring[5] = MI(0x20, 2) | GGTT;
	ring[6] = LO(other);
	ring[7] = HI(other);
	ring[8] = 1;
	NO_ON(&vcs_ring, "store hidden behind an MFX command", ring, VGT_AUDIT_OUTSIDE_SLICE, 5,
	      "MI_STORE_DATA_IMM");
	/* On RCS the same header is MEDIA_VFE_STATE, whose field is 16 bits. */
	OK_ON(&ring_ctx, "the same dwords as RCS media state", ring);
	/* MFX_WAIT is one dword: its length field must be 0. */
	ring[0] = 0x68000000 | 1;
	NO_ON(&vcs_ring, "MFX_WAIT with a length", ring, VGT_AUDIT_BAD_LENGTH, 0, "MFX_WAIT");
}

TEST(escape_register_writes, "H-14")
{
	uint64_t other = 200 * MIB, in = MAP_BASE + 0x1000;
	/* Point RCS's status page at another vGPU, then store into it by index. */
	const uint32_t hws[] = { MI(0x22, 1), 0x2080, LO(other), MI(0x21, 1), 0, 1 };
	const uint32_t hws_bcs[] = { MI(0x22, 1), 0x22080, LO(other), MI(0x21, 1), 0, 1 };
	const uint32_t second_pair[] = { MI(0x22, 3), 0x2600, 0, 0x2080, LO(other) };
	const uint32_t high_bits[] = { MI(0x22, 1), 0xff802083, LO(other) };
	const uint32_t lrr[] = { MI(0x2a, 1), 0x2600, 0x2080 };
	const uint32_t lrm[] = { MI(0x29, 2) | GGTT, 0x2080, LO(in), HI(in) };
	const uint32_t pc_lri[] = { PIPE_CONTROL(4), 1u << 23, 0x2080, 0, LO(other), 0 };
	const uint32_t pdp[] = { MI(0x22, 1), 0x2270, LO(other) };	/* a PPGTT root */
	const uint32_t mode[] = { MI(0x22, 1), 0x209c, 0x01000100 };	/* MI_MODE stop */
	const uint32_t nonpriv[] = { MI(0x22, 1), 0x24d0, 0x2080 };	/* FORCE_TO_NONPRIV */
	const uint32_t fence_read[] = { MI(0x24, 2) | GGTT, 0x100000, LO(in), HI(in) };
	const uint32_t gpr_other_engine[] = { MI(0x22, 1), 0x2600, 1 };
	const uint32_t gpr_bcs[] = { MI(0x22, 1), 0x22600, 1, MI(0x00, 0) | (1u << 22) | 5 };
	const uint32_t sem_poll[] = { MI(0x1c, 2) | (1u << 16), 1, 0x2080, 0 };

	RING_NO("LRI to RING_HWS_PGA, then store-data-index", hws, VGT_AUDIT_REGISTER, 0,
		"MI_LOAD_REGISTER_IMM");
	NO_ON(&bcs_ring, "BCS's RING_HWS_PGA", hws_bcs, VGT_AUDIT_REGISTER, 0, NULL);
	RING_NO("the second pair of an LRI", second_pair, VGT_AUDIT_REGISTER, 0, NULL);
	RING_NO("bits above 22 do not hide the offset", high_bits, VGT_AUDIT_REGISTER, 0, NULL);
	RING_NO("LRR into RING_HWS_PGA", lrr, VGT_AUDIT_REGISTER, 0, "MI_LOAD_REGISTER_REG");
	RING_NO("LRM into RING_HWS_PGA", lrm, VGT_AUDIT_REGISTER, 0, "MI_LOAD_REGISTER_MEM");
	RING_NO("PIPE_CONTROL register write", pc_lri, VGT_AUDIT_REGISTER, 0, "PIPE_CONTROL");
	RING_NO("LRI to a PDP", pdp, VGT_AUDIT_REGISTER, 0, NULL);
	RING_NO("LRI to MI_MODE", mode, VGT_AUDIT_REGISTER, 0, NULL);
	RING_NO("LRI to FORCE_TO_NONPRIV", nonpriv, VGT_AUDIT_REGISTER, 0, NULL);
	RING_NO("SRM of a fence register", fence_read, VGT_AUDIT_REGISTER, 0, NULL);
	RING_NO("semaphore polling a register not on the list", sem_poll, VGT_AUDIT_REGISTER, 0,
		NULL);
	NO_ON(&bcs_ring, "BCS writing RCS's GPR", gpr_other_engine, VGT_AUDIT_REGISTER, 0, NULL);
	OK_ON(&bcs_ring, "BCS's own GPR, NOPID", gpr_bcs);
	CHECK(audit_copy(&ring_ctx, hws, N(hws), &(struct vgt_audit_result){ 0 }) == -EACCES,
	      "refused");
	{
		struct vgt_audit_result r;

		audit_copy(&ring_ctx, second_pair, N(second_pair), &r);
		CHECK(r.addr == 0x2080 && r.size == 4, "the refused register: 0x%llx %llu",
		      (unsigned long long)r.addr, (unsigned long long)r.size);
	}
}

TEST(escape_blit_addresses, "H-14")
{
	uint64_t other = 200 * MIB, end = HID_BASE + HID_SIZE;
	/* 1024x768 at 32 bpp, pitch 4096: 3 MiB; the last 3 MiB of the hidden slice. */
	uint64_t fb = end - 768 * 4096;
	const uint32_t color_out[] = { BLT(0x50, 5), BPP32 | 4096, 0, YX(1, 1), LO(other),
				       HI(other), 0 };
	const uint32_t color_full[] = { BLT(0x50, 5), BPP32 | 4096, 0, YX(768, 1024), LO(fb),
					HI(fb), 0 };
	const uint32_t color_one_more_row[] = { BLT(0x50, 5), BPP32 | 4096, 0, YX(769, 1024),
						LO(fb), HI(fb), 0 };
	const uint32_t copy_src_out[] = { BLT(0x53, 8), BPP32 | (0xcc << 16) | 4096, 0, YX(4, 4),
					  LO(MAP_BASE), HI(MAP_BASE), 0, 4096, LO(other),
					  HI(other) };
	const uint32_t below[] = { BLT(0x50, 5), BPP32 | 0xf000, 0, YX(2, 1), LO(MAP_BASE),
				   HI(MAP_BASE), 0 };	/* pitch -4096: row 1 is below */
	const uint32_t huge[] = { BLT(0x50, 5) | (1u << 11), BPP32 | 0x7fff, 0, YX(0x7fff, 1),
				  LO(MAP_BASE), HI(MAP_BASE), 0 };
	const uint32_t fast_out[] = { BLT(0x42, 8) | (1u << 13), BPP32 | 1024, 0, YX(8, 8),
				      LO(other), HI(other), 0, 4096, LO(MAP_BASE), HI(MAP_BASE) };
	/* Source rows 8193..8196 below the top of 2^48 run past it into the slice, masked. */
	const uint64_t top_page = (1ULL << 48) - 4096;
	const uint32_t fast_past_top[] = { BLT(0x42, 8), BPP32 | 4096, 0, YX(4, 4), LO(MAP_BASE),
					   HI(MAP_BASE), YX(8193, 0), 16384, LO(top_page),
					   HI(top_page) };
	const uint32_t src_copy_out[] = { BLT(0x43, 6), 4096, YX(2, 64), LO(MAP_BASE),
					  HI(MAP_BASE), 4096, LO(other), HI(other) };
	const uint32_t color_blt_out[] = { BLT(0x40, 4), 4096, YX(2, 64), LO(other), HI(other),
					   0 };
	const uint32_t pattern_out[] = { BLT(0x01, 8), BLT_CLIP | BPP32 | 4096, 0, YX(1, 1),
					 LO(MAP_BASE), HI(MAP_BASE), 0, 0, LO(other), HI(other) };
	struct vgt_audit_result r;

	NO_ON(&bcs_ring, "XY_COLOR_BLT into another vGPU", color_out, VGT_AUDIT_OUTSIDE_SLICE, 0,
	      "XY_COLOR_BLT");
	OK_ON(&bcs_ring, "a framebuffer filling the slice's end", color_full);
	NO_ON(&bcs_ring, "one row past the slice's end", color_one_more_row,
	      VGT_AUDIT_OUTSIDE_SLICE, 0, NULL);
	NO_ON(&bcs_ring, "XY_SRC_COPY_BLT reading another vGPU", copy_src_out,
	      VGT_AUDIT_OUTSIDE_SLICE, 0, NULL);
	CHECK(audit_copy(&bcs_ring, copy_src_out, N(copy_src_out), &r) == -EACCES &&
	      r.addr == other && r.size == 3 * 4096 + 16, "the refused source: 0x%llx %llu",
	      (unsigned long long)r.addr, (unsigned long long)r.size);
	NO_ON(&bcs_ring, "negative pitch below the slice", below, VGT_AUDIT_OUTSIDE_SLICE, 0,
	      NULL);
	NO_ON(&bcs_ring, "tiled pitch times rows", huge, VGT_AUDIT_TOO_LARGE, 0, NULL);
	NO_ON(&bcs_ring, "XY_FAST_COPY_BLT to another vGPU", fast_out, VGT_AUDIT_OUTSIDE_SLICE, 0,
	      NULL);
	NO_ON(&bcs_ring, "XY_FAST_COPY_BLT source past 2^48", fast_past_top, VGT_AUDIT_WRAPS,
	      0, NULL);
	CHECK(audit_copy(&bcs_ring, fast_past_top, N(fast_past_top), &r) == -EACCES &&
	      r.addr == (1ULL << 48) + MAP_BASE + 12288, "the refused source: 0x%llx %llu",
	      (unsigned long long)r.addr, (unsigned long long)r.size);
	NO_ON(&bcs_ring, "SRC_COPY_BLT from another vGPU", src_copy_out, VGT_AUDIT_OUTSIDE_SLICE,
	      0, "SRC_COPY_BLT");
	NO_ON(&bcs_ring, "COLOR_BLT into another vGPU", color_blt_out, VGT_AUDIT_OUTSIDE_SLICE,
	      0, "COLOR_BLT");
	NO_ON(&bcs_ring, "XY_SETUP_BLT pattern from another vGPU", pattern_out,
	      VGT_AUDIT_OUTSIDE_SLICE, 0, "XY_SETUP_BLT");
	RING_NO("blits are BCS's", color_full, VGT_AUDIT_UNKNOWN_OPCODE, 0, "BLT_UNKNOWN");
	{	/* A PPGTT batch's surfaces are PPGTT addresses. */
		const uint32_t ppgtt_blit[] = { BLT(0x50, 5), BPP32 | 4096, 0, YX(1, 1),
						LO(other), HI(other), 0, MI_BB_END };
		struct vgt_audit_ctx c = bcs_batch;

		c.ppgtt = true;
		OK_ON(&c, "a blit in a PPGTT batch", ppgtt_blit);
		NO_ON(&bcs_batch, "the same in a GGTT batch", ppgtt_blit, VGT_AUDIT_OUTSIDE_SLICE,
		      0, NULL);
	}
}

TEST(escape_blit_setup_state, "H-14")
{
	uint64_t other = 200 * MIB;
	const uint32_t pixel[] = { BLT(0x24, 0), YX(100, 100) };
	const uint32_t setup_pixel[] = { BLT(0x01, 8), BLT_CLIP | (1u << 31) | BPP32 | 4096, 0,
					 YX(16, 16), LO(MAP_BASE), HI(MAP_BASE), 0, 0, 0, 0,
					 BLT(0x24, 0), YX(3, 3), BLT(0x31, 2), YX(0, 0), YX(8, 8),
					 0xffffffff };
	const uint32_t unclipped[] = { BLT(0x01, 8), (1u << 31) | BPP32 | 4096, 0, YX(16, 16),
				       LO(MAP_BASE), HI(MAP_BASE), 0, 0, 0, 0, BLT(0x24, 0),
				       YX(3, 3) };
	const uint32_t new_clip[] = { BLT(0x01, 8), BLT_CLIP | (1u << 31) | BPP32 | 4096, 0,
				      YX(16, 16), LO(MAP_BASE), HI(MAP_BASE), 0, 0, 0, 0,
				      BLT(0x03, 1), 0, YX(0x7fff, 0x7fff), BLT(0x24, 0),
				      YX(0x7000, 3) };
	const uint32_t after_color[] = { BLT(0x01, 8), BLT_CLIP | (1u << 31) | BPP32 | 4096, 0,
					 YX(16, 16), LO(MAP_BASE), HI(MAP_BASE), 0, 0, 0, 0,
					 BLT(0x50, 5), BPP32 | 4096, 0, YX(1, 1), LO(MAP_BASE),
					 HI(MAP_BASE), 0, BLT(0x24, 0), YX(3, 3) };
	const uint32_t setup_out[] = { BLT(0x01, 8), BLT_CLIP | (1u << 31) | BPP32 | 4096, 0,
				       YX(16, 16), LO(other), HI(other), 0, 0, 0, 0 };

	NO_ON(&bcs_ring, "XY_PIXEL_BLT with no setup", pixel, VGT_AUDIT_BLIT_STATE, 0,
	      "XY_PIXEL_BLT");
	OK_ON(&bcs_ring, "pixel and text after a clipped setup", setup_pixel);
	NO_ON(&bcs_ring, "pixel after an unclipped setup", unclipped, VGT_AUDIT_BLIT_STATE, 10,
	      NULL);
	NO_ON(&bcs_ring, "pixel after XY_SETUP_CLIP_BLT", new_clip, VGT_AUDIT_BLIT_STATE, 13,
	      NULL);
	NO_ON(&bcs_ring, "pixel after another blit", after_color, VGT_AUDIT_BLIT_STATE, 17, NULL);
	NO_ON(&bcs_ring, "setup clipped inside another vGPU", setup_out, VGT_AUDIT_OUTSIDE_SLICE,
	      0, "XY_SETUP_BLT");
}

TEST(escape_semaphore_cond_end, "H-14")
{
	uint64_t other = 200 * MIB, edge = MAP_BASE + MAP_SIZE - 4;
	const uint32_t sem_in[] = { MI(0x1c, 2) | GGTT | (1u << 15), 1, LO(MAP_BASE), 0 };
	const uint32_t sem_out[] = { MI(0x1c, 2) | GGTT, 1, LO(other), HI(other) };
	const uint32_t sem_edge[] = { MI(0x1c, 2) | GGTT, 1, LO(edge), HI(edge) };
	const uint32_t cbbe_in[] = { MI(0x36, 2) | GGTT, 0, LO(MAP_BASE), 0, MI_BB_END };
	const uint32_t cbbe_out[] = { MI(0x36, 2) | GGTT, 0, LO(other), HI(other), MI_BB_END };
	const uint32_t cbbe_mask_edge[] = { MI(0x36, 2) | GGTT | (1u << 19), 0, LO(edge),
					    HI(edge), MI_BB_END };
	const uint32_t cbbe_only[] = { MI(0x36, 2) | GGTT, 0, LO(MAP_BASE), 0 };
	const uint32_t cbbe_then_bad[] = { MI(0x36, 2) | GGTT, 0, LO(MAP_BASE), 0,
					   MI(0x20, 2) | GGTT, LO(other), HI(other), 1, MI_BB_END };
	const uint32_t copy_out[] = { MI(0x2e, 3) | GGTT | QWORD, LO(other), HI(other),
				      LO(MAP_BASE), HI(MAP_BASE) };
	const uint32_t copy_read_out[] = { MI(0x2e, 3) | GGTT, 0x1000, 0, LO(other), HI(other) };
	const uint32_t copy_ok[] = { MI(0x2e, 3) | GGTT | QWORD, LO(HID_BASE), HI(HID_BASE),
				     LO(MAP_BASE), HI(MAP_BASE) };

	RING_OK("MI_SEMAPHORE_WAIT on GGTT inside", sem_in);
	RING_NO("MI_SEMAPHORE_WAIT on GGTT outside", sem_out, VGT_AUDIT_OUTSIDE_SLICE, 0,
		"MI_SEMAPHORE_WAIT");
	RING_OK("MI_SEMAPHORE_WAIT on the last dword", sem_edge);
	BATCH_OK("MI_CONDITIONAL_BATCH_BUFFER_END inside", cbbe_in);
	BATCH_NO("MI_CONDITIONAL_BATCH_BUFFER_END outside", cbbe_out, VGT_AUDIT_OUTSIDE_SLICE, 0,
		 "MI_CONDITIONAL_BATCH_BUFFER_END");
	BATCH_OK("compare-mask qword: the address's low 3 bits dropped", cbbe_mask_edge);
	BATCH_NO("a conditional end may not end: fall-through unterminated", cbbe_only,
		 VGT_AUDIT_UNTERMINATED, 4, NULL);
	BATCH_NO("store after a conditional end", cbbe_then_bad, VGT_AUDIT_OUTSIDE_SLICE, 4,
		 "MI_STORE_DATA_IMM");
	RING_NO("MI_COPY_MEM_MEM into another vGPU", copy_out, VGT_AUDIT_OUTSIDE_SLICE, 0,
		"MI_COPY_MEM_MEM");
	RING_NO("MI_COPY_MEM_MEM reading another vGPU", copy_read_out, VGT_AUDIT_OUTSIDE_SLICE, 0,
		NULL);
	RING_OK("MI_COPY_MEM_MEM between the slices", copy_ok);
}

TEST(escape_set_predicate_scope, "H-14")
{
	uint64_t other = 200 * MIB;
	/* A batch end that MI_SET_PREDICATE may turn into a no-op. */
	const uint32_t end_in_scope[] = { SET_PREDICATE(3), MI_BB_END,
					  MI(0x20, 2) | GGTT, LO(other), HI(other), 1, MI_BB_END };
	const uint32_t start_in_scope[] = { SET_PREDICATE(4), MI(0x31, 1), LO(MAP_BASE),
					    HI(MAP_BASE), SET_PREDICATE(0), MI_BB_END };
	const uint32_t allowed[] = { SET_PREDICATE(3), MI(0x22, 1), 0x2600, 1,
				     GFX(3, 0, 0x30, 0), 0, GFX(3, 1, 0x12, 0), 0,
				     GFX(2, 1, 0, 4), 0, 0, 0, 0, 0, SET_PREDICATE(0), MI_BB_END };
	const uint32_t store_in_scope[] = { SET_PREDICATE(15), MI(0x20, 2) | GGTT, LO(MAP_BASE),
					    HI(MAP_BASE), 1, SET_PREDICATE(0), MI_BB_END };
	const uint32_t ring_open[] = { MI(0x05, 0), SET_PREDICATE(1), MI(0x22, 1), 0x2600, 1 };

	BATCH_NO("batch end inside the scope", end_in_scope, VGT_AUDIT_PREDICATION, 1,
		 "MI_BATCH_BUFFER_END");
	BATCH_NO("batch start inside the scope", start_in_scope, VGT_AUDIT_PREDICATION, 1, NULL);
	BATCH_OK("what the PRM allows in the scope", allowed);
	BATCH_NO("a store inside the scope", store_in_scope, VGT_AUDIT_PREDICATION, 1, NULL);
	RING_NO("a ring ending inside the scope", ring_open, VGT_AUDIT_PREDICATION, 5,
		"END_OF_BUFFER");
}

/*
 * What Mesa 26.2 loads from its own batches when a context starts, as
 * INTEL_DEBUG=bat shows it in a vGPU guest: a guest context's registers,
 * accepted on the engine that owns them and refused on another.
 */
TEST(mesa_context_registers, "H-14")
{
	/* iris (Skylake): L3 configuration, CS_DEBUG_MODE2, CACHE_MODE_1. */
	const uint32_t iris_gen9[] = {
		MI(0x22, 1), 0x7034, 0x60000060,		/* L3CNTLREG */
		MI(0x22, 1), 0x20d8, 0x00100010,		/* CS_DEBUG_MODE2 */
		MI(0x22, 1), 0x7004, 0x02120212,		/* CACHE_MODE_1 */
		MI_BB_END,
	};
	const uint32_t debug_mode2_bcs[] = { MI(0x22, 1), 0x20d8, 0x00100010, MI_BB_END };

	/* crocus (Haswell): the gen7 L3 partitioning and atomics bits. */
	const uint32_t crocus_hsw[] = {
		MI(0x22, 1), 0xb010, 0x00610000,		/* GEN7_L3SQCREG1 */
		MI(0x22, 3), 0xb020, 0x020400a1, 0xb024, 0,	/* GEN7_L3CNTLREG2/3 */
		MI(0x22, 1), 0xb038, 0,				/* HSW_SCRATCH1 */
		MI(0x22, 1), 0xe49c, 0x00400000,		/* HSW_ROW_CHICKEN3 */
		MI_BB_END,
	};
	const struct vgt_audit_ctx hsw = { .mappable_base = MAP_BASE, .mappable_size = MAP_SIZE,
					   .hidden_base = HID_BASE, .hidden_size = HID_SIZE,
					   .buffer = VGT_AUDIT_BATCH,
					   .platform = VGT_PLATFORM_HSW };

	BATCH_OK("iris gen9 context init", iris_gen9);
	NO_ON(&bcs_batch, "CS_DEBUG_MODE2 from BCS", debug_mode2_bcs, VGT_AUDIT_REGISTER, 0,
	      "MI_LOAD_REGISTER_IMM");
	OK_ON(&hsw, "crocus gen7.5 context init", crocus_hsw);
	/* Not gen9 context state: refused in a Skylake stream. */
	BATCH_NO("gen7 L3SQCREG1 on gen9", crocus_hsw, VGT_AUDIT_REGISTER, 0,
		 "MI_LOAD_REGISTER_IMM");
}

VGT_TEST_MAIN()

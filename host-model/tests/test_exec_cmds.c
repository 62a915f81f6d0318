// SPDX-License-Identifier: MIT
/*
 * The semantics of every MI command the executor runs, each in a batch a
 * guest could submit, with the result read back from guest RAM and the
 * expected value worked out here from the gen9 command reference (the
 * encodings are written out below, as 6.1 and IGT emit them): register
 * loads and stores (LRI, LRM, LRR, SRM), MI_MATH on the GPRs, qword and
 * index stores, flush and pipe-control post-sync writes, semaphore waits by
 * polling, conditional batch ends, copies, atomics, MI_REPORT_HEAD,
 * predicated, chained and second-level batch starts, 3D state as no-ops.
 */
#include <stdio.h>

#include "exec_guest.h"

#include "vgt_test.h"

#define VA_BB		0x100000ULL
#define VA_BB2		0x180000ULL
#define VA_DATA		0x200000ULL
#define GPR(n)		(RENDER_RING_BASE + GEN8_RING_CS_GPR(n))

#define LRI(n)		((0x22u << 23) | (2 * (n) - 1))
#define SRM		((0x24u << 23) | 2)
#define LRM		((0x29u << 23) | 2)
#define LRR		((0x2au << 23) | 1)
#define MATH(n)		((0x1au << 23) | ((n) - 1))
#define ALU(op, a, b)	((op) << 20 | (a) << 10 | (b))
#define STORE_QW	((0x20u << 23) | 3 | 1u << 21)
#define STORE_INDEX	((0x21u << 23) | 1)
#define FLUSH_DW_ST	((0x26u << 23) | 2 | 1u << 14)
#define PIPE_CTL	(3u << 29 | 3u << 27 | 2u << 24 | 4)
#define SEM_WAIT(op)	((0x1cu << 23) | 2 | 1u << 15 | (op) << 12)
#define COND_BBE	((0x36u << 23) | 2)
#define COPY_MEM	((0x2eu << 23) | 3)
#define ATOMIC_INL(op)	((0x2fu << 23) | 9 | 1u << 18 | (op) << 8)
#define PREDICATE(l, c, cmp) ((0x0cu << 23) | (l) << 6 | (c) << 3 | (cmp))
#define REPORT_HEAD	(0x07u << 23)
#define BB_START_PP	(EG_MI_BB_START | EG_MI_BB_PPGTT)
#define BB_SECOND	(1u << 22)
#define BB_PRED		(1u << 15)
#define GFX_STATE	(3u << 29 | 3u << 27 | 0x10u << 16 | 7)	/* 3DSTATE_VS, 9 dw */

struct bench {
	struct exec_guest g;
	struct eg_ctx c;
	uint64_t bb, bb2, data;		/* guest-physical addresses */
};

static void setup(struct bench *b)
{
	CHECK(exec_guest_init(&b->g) == 0, "guest");
	eg_ctx_init(&b->g, &b->c, 1);
	b->bb = eg_ppgtt_alloc(&b->g, VA_BB, 4);
	b->bb2 = eg_ppgtt_alloc(&b->g, VA_BB2, 1);
	b->data = eg_ppgtt_alloc(&b->g, VA_DATA, 1);
}

/* Write the batch at VA_BB and run it from the ring of engine e. */
static void run_batch(struct bench *b, enum vgt_engine_id e, const uint32_t *dw, unsigned int n)
{
	uint32_t ring[4] = { BB_START_PP, (uint32_t)VA_BB, 0, EG_MI_NOOP };

	memcpy(eg_ptr(&b->g, b->bb), dw, 4 * n);
	eg_emit(&b->g, &b->c, ring, 4);
	eg_submit(&b->g, e, &b->c, NULL);
	vgt_vgpu_exec_run(b->g.v, 0);
}

/* Run dw from the ring itself (privileged: the status page is reachable). */
static void run_ring(struct bench *b, enum vgt_engine_id e, const uint32_t *dw, unsigned int n)
{
	eg_emit(&b->g, &b->c, dw, n);
	eg_submit(&b->g, e, &b->c, NULL);
	vgt_vgpu_exec_run(b->g.v, 0);
}

static uint32_t data32(struct bench *b, unsigned int off)
{
	return *(uint32_t *)eg_ptr(&b->g, b->data + off);
}

static uint64_t data64(struct bench *b, unsigned int off)
{
	return *(uint64_t *)eg_ptr(&b->g, b->data + off);
}

static uint64_t hangs(struct bench *b)
{
	struct vgt_exec_stats st;
	uint64_t n = 0;
	unsigned int i;

	vgt_vgpu_exec_stats(b->g.v, &st, false);
	for (i = 0; i < VGT_HANG_NR; i++)
		n += st.hangs[i];
	return n;
}

TEST(registers_lri_lrm_lrr_srm, "")
{
	struct bench b;
	const uint32_t bb[] = {
		LRI(2), GPR(0), 0x11112222, GPR(0) + 4, 0x33334444,
		SRM, GPR(0), (uint32_t)VA_DATA, 0,
		SRM, GPR(0) + 4, (uint32_t)VA_DATA + 4, 0,
		LRM, GPR(3), (uint32_t)VA_DATA + 0x100, 0,
		LRR, GPR(3), GPR(4),
		SRM, GPR(4), (uint32_t)VA_DATA + 8, 0,
		EG_MI_BB_END,
	};

	setup(&b);
	*(uint32_t *)eg_ptr(&b.g, b.data + 0x100) = 0xfeedbeef;
	run_batch(&b, VGT_RCS, bb, sizeof(bb) / 4);
	CHECK(data32(&b, 0) == 0x11112222 && data32(&b, 4) == 0x33334444,
	      "LRI then SRM: %#x %#x", data32(&b, 0), data32(&b, 4));
	CHECK(data32(&b, 8) == 0xfeedbeef, "LRM then LRR then SRM: %#x", data32(&b, 8));
	CHECK(eg_rd(&b.g, GPR(4)) == 0xfeedbeef, "the GPR is the MMIO register too");
	CHECK(hangs(&b) == 0, "no hang");
	exec_guest_fini(&b.g);
}

TEST(mi_math_alu, "")
{
	struct bench b;
	/* R0 = 5, R1 = 7: R2 = R0 + R1, R3 = R0 - R1 (borrow: CF), R4 = R0 & R1,
	 * R5 = R0 | R1, R6 = R0 ^ R1, R7 = ~R0 (LOADINV), R8 = CF after the SUB,
	 * R9 = ZF of R0 ^ R0, R10 = ~ACCU (STOREINV) after R0 + R1. */
	const uint32_t bb[] = {
		LRI(4), GPR(0), 5, GPR(0) + 4, 0, GPR(1), 7, GPR(1) + 4, 0,
		MATH(30),
		ALU(0x080, 0x20, 0), ALU(0x080, 0x21, 1), ALU(0x100, 0, 0), ALU(0x180, 2, 0x31),
		ALU(0x580, 10, 0x31),
		ALU(0x080, 0x20, 0), ALU(0x080, 0x21, 1), ALU(0x101, 0, 0), ALU(0x180, 3, 0x31),
		ALU(0x180, 8, 0x33),
		ALU(0x080, 0x20, 0), ALU(0x080, 0x21, 1), ALU(0x102, 0, 0), ALU(0x180, 4, 0x31),
		ALU(0x080, 0x20, 0), ALU(0x080, 0x21, 1), ALU(0x103, 0, 0), ALU(0x180, 5, 0x31),
		ALU(0x080, 0x20, 0), ALU(0x080, 0x21, 1), ALU(0x104, 0, 0), ALU(0x180, 6, 0x31),
		ALU(0x480, 0x20, 0), ALU(0x081, 0x21, 0), ALU(0x103, 0, 0), ALU(0x180, 7, 0x31),
		ALU(0x080, 0x20, 0), ALU(0x080, 0x21, 0), ALU(0x104, 0, 0), ALU(0x180, 9, 0x32),
		EG_MI_BB_END,
	};
	const uint64_t want[] = { 5, 7, 12, (uint64_t)5 - 7, 5 & 7, 5 | 7, 5 ^ 7, ~5ULL, ~0ULL,
				  ~0ULL, ~12ULL };
	unsigned int i;

	setup(&b);
	run_batch(&b, VGT_RCS, bb, sizeof(bb) / 4);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		uint64_t got = eg_rd(&b.g, GPR(i)) | eg_rd(&b.g, GPR(i) + 4) << 32;

		CHECK(got == want[i], "R%u = %#llx, want %#llx", i, (unsigned long long)got,
		      (unsigned long long)want[i]);
	}
	CHECK(hangs(&b) == 0, "no hang");
	exec_guest_fini(&b.g);
}

TEST(stores_flush_pipe_control, "")
{
	struct bench b;
	struct vgt_exec_stats st;
	uint32_t *pphwsp;
	const uint32_t rcs[] = {
		STORE_QW, (uint32_t)VA_DATA, 0, 0x89abcdef, 0x01234567,
		PIPE_CTL, 1u << 14, (uint32_t)VA_DATA + 0x20, 0, 0xaaaa5555, 0x12,
		PIPE_CTL, 3u << 14, (uint32_t)VA_DATA + 0x28, 0, 0, 0,
		STORE_INDEX, 0x10c, 0xbad,	/* a user batch: dropped */
		EG_MI_BB_END,
	};
	/* From the ring, as 6.1's flushes and breadcrumbs: the status page. */
	const uint32_t ring[] = {
		STORE_INDEX, 0x104, 0x5151, EG_MI_NOOP, REPORT_HEAD, EG_MI_NOOP,
	};
	const uint32_t bcs[] = {
		FLUSH_DW_ST, (uint32_t)VA_DATA + 0x40, 0, 0x600dd00d,
		EG_MI_BB_END,
	};
	const uint32_t bcs_ring[] = {
		FLUSH_DW_ST | 1u << 21, 0x108, 0, 0x7777,
	};

	setup(&b);
	run_batch(&b, VGT_RCS, rcs, sizeof(rcs) / 4);
	pphwsp = eg_gm_ptr(&b.g, b.c.lrca);
	CHECK(data64(&b, 0) == 0x0123456789abcdefULL, "qword store: %#llx",
	      (unsigned long long)data64(&b, 0));
	CHECK(data64(&b, 0x20) == 0x00000012aaaa5555ULL, "PIPE_CONTROL immediate qword: %#llx",
	      (unsigned long long)data64(&b, 0x20));
	CHECK(data64(&b, 0x28) != 0, "PIPE_CONTROL timestamp written");
	vgt_vgpu_exec_stats(b.g.v, &st, false);
	CHECK(pphwsp[0x10c / 4] == 0 && st.privilege_noops == 1,
	      "store-data-index from a user batch dropped (%llu)",
	      (unsigned long long)st.privilege_noops);
	run_ring(&b, VGT_RCS, ring, sizeof(ring) / 4);
	CHECK(pphwsp[0x104 / 4] == 0x5151, "store-data-index lands in the context's status page");
	CHECK(pphwsp[4] == b.c.tail - 4,
	      "MI_REPORT_HEAD: ring head %#x (after itself) in status page dword 4", pphwsp[4]);
	run_batch(&b, VGT_BCS, bcs, sizeof(bcs) / 4);
	CHECK(data32(&b, 0x40) == 0x600dd00d, "MI_FLUSH_DW post-sync dword: %#x", data32(&b, 0x40));
	run_ring(&b, VGT_BCS, bcs_ring, sizeof(bcs_ring) / 4);
	CHECK(pphwsp[0x108 / 4] == 0x7777, "MI_FLUSH_DW store-index");
	CHECK(hangs(&b) == 0, "no hang");
	exec_guest_fini(&b.g);
}

TEST(semaphore_wait_polls, "")
{
	struct bench b;
	const uint32_t bb[] = {
		SEM_WAIT(1), 3, (uint32_t)VA_DATA, 0,		/* wait for *data >= 3 */
		EG_MI_STORE_DWORD_IMM, (uint32_t)VA_DATA + 4, 0, 0xd0d0,
		EG_MI_BB_END,
	};

	setup(&b);
	*(uint32_t *)eg_ptr(&b.g, b.data) = 2;
	run_batch(&b, VGT_RCS, bb, sizeof(bb) / 4);
	CHECK(data32(&b, 4) == 0, "waits while the semaphore is 2");
	vgt_vgpu_exec_run(b.g.v, 0);
	CHECK(data32(&b, 4) == 0, "still waiting");
	*(uint32_t *)eg_ptr(&b.g, b.data) = 3;
	vgt_vgpu_exec_run(b.g.v, 0);
	CHECK(data32(&b, 4) == 0xd0d0, "released by the CPU's write: %#x", data32(&b, 4));
	CHECK(hangs(&b) == 0, "no hang");
	exec_guest_fini(&b.g);
}

TEST(conditional_end_copy_atomic, "")
{
	struct bench b;
	const uint32_t bb[] = {
		COPY_MEM, (uint32_t)VA_DATA + 0x10, 0, (uint32_t)VA_DATA + 0x200, 0,
		ATOMIC_INL(0x07), (uint32_t)VA_DATA + 0x14, 0, 5, 0, 0, 0, 0, 0, 0, 0,	/* add */
		ATOMIC_INL(0x04), (uint32_t)VA_DATA + 0x18, 0, 0xabc, 0, 0, 0, 0, 0, 0, 0, /* move */
		COND_BBE, 10, (uint32_t)VA_DATA + 0x300, 0,	/* ends the batch if *0x300 <= 10 */
		EG_MI_STORE_DWORD_IMM, (uint32_t)VA_DATA + 0x1c, 0, 0xeeee,
		EG_MI_BB_END,
	};

	setup(&b);
	*(uint32_t *)eg_ptr(&b.g, b.data + 0x200) = 0xc09ed;
	*(uint32_t *)eg_ptr(&b.g, b.data + 0x14) = 37;
	*(uint32_t *)eg_ptr(&b.g, b.data + 0x300) = 11;
	run_batch(&b, VGT_RCS, bb, sizeof(bb) / 4);
	CHECK(data32(&b, 0x10) == 0xc09ed, "MI_COPY_MEM_MEM: %#x", data32(&b, 0x10));
	CHECK(data32(&b, 0x14) == 42, "MI_ATOMIC add 5 to 37: %u", data32(&b, 0x14));
	CHECK(data32(&b, 0x18) == 0xabc, "MI_ATOMIC move: %#x", data32(&b, 0x18));
	CHECK(data32(&b, 0x1c) == 0xeeee, "11 > 10: the batch goes on");
	*(uint32_t *)eg_ptr(&b.g, b.data + 0x1c) = 0;
	*(uint32_t *)eg_ptr(&b.g, b.data + 0x300) = 10;
	run_batch(&b, VGT_RCS, bb, sizeof(bb) / 4);
	CHECK(data32(&b, 0x1c) == 0, "10 <= 10: the batch ended before the store");
	CHECK(data32(&b, 0x14) == 47, "and the atomic ran again: %u", data32(&b, 0x14));
	CHECK(hangs(&b) == 0, "no hang");
	exec_guest_fini(&b.g);
}

TEST(batch_levels_and_predication, "")
{
	struct bench b;
	struct vgt_exec_stats st;
	uint32_t bb[64], n = 0, *second;

	setup(&b);
	/* Second level at VA_BB2: a store, then return. */
	second = eg_ptr(&b.g, b.bb2);
	second[0] = EG_MI_STORE_DWORD_IMM;
	second[1] = (uint32_t)VA_DATA + 0x10;
	second[2] = 0;
	second[3] = 0x2222;
	second[4] = EG_MI_BB_END;
	/* First level: call the second level, then store, then predicate tests. */
	bb[n++] = BB_START_PP | BB_SECOND;
	bb[n++] = (uint32_t)VA_BB2;
	bb[n++] = 0;
	bb[n++] = EG_MI_STORE_DWORD_IMM;
	bb[n++] = (uint32_t)VA_DATA + 0x14;
	bb[n++] = 0;
	bb[n++] = 0x1111;		/* ran after the return */
	/* SRC0 = 1, SRC1 = 2: SRCS_EQUAL false, LOAD: predicate false. */
	bb[n++] = LRI(2);
	bb[n++] = RENDER_RING_BASE + MI_PREDICATE_SRC0;
	bb[n++] = 1;
	bb[n++] = RENDER_RING_BASE + MI_PREDICATE_SRC1;
	bb[n++] = 2;
	bb[n++] = PREDICATE(2, 0, 2);
	bb[n++] = BB_START_PP | BB_PRED;	/* predicated off: falls through */
	bb[n++] = (uint32_t)VA_BB + 0x800;
	bb[n++] = 0;
	bb[n++] = EG_MI_STORE_DWORD_IMM;
	bb[n++] = (uint32_t)VA_DATA + 0x18;
	bb[n++] = 0;
	bb[n++] = 0x3333;
	/* LOADINV: predicate true; the predicated start now chains away. */
	bb[n++] = PREDICATE(3, 0, 2);
	bb[n++] = BB_START_PP | BB_PRED;
	bb[n++] = (uint32_t)VA_BB + 0x800;
	bb[n++] = 0;
	bb[n++] = EG_MI_STORE_DWORD_IMM;	/* skipped: the chain does not return */
	bb[n++] = (uint32_t)VA_DATA + 0x1c;
	bb[n++] = 0;
	bb[n++] = 0xbad;
	bb[n++] = EG_MI_BB_END;
	/* The chained-to part, at VA_BB + 0x800: 3D state (no-op), store, end. */
	{
		uint32_t *tail = eg_ptr(&b.g, b.bb + 0x800);
		unsigned int i;

		tail[0] = GFX_STATE;
		for (i = 1; i < 9; i++)
			tail[i] = 0;
		tail[9] = EG_MI_STORE_DWORD_IMM;
		tail[10] = (uint32_t)VA_DATA + 0x20;
		tail[11] = 0;
		tail[12] = 0x4444;
		tail[13] = EG_MI_BB_END;
	}
	run_batch(&b, VGT_RCS, bb, n);
	CHECK(data32(&b, 0x10) == 0x2222 && data32(&b, 0x14) == 0x1111,
	      "second level ran and returned: %#x %#x", data32(&b, 0x10), data32(&b, 0x14));
	CHECK(data32(&b, 0x18) == 0x3333, "predicated-off start fell through");
	CHECK(data32(&b, 0x20) == 0x4444 && data32(&b, 0x1c) == 0,
	      "predicated-on start chained: %#x, after it %#x", data32(&b, 0x20), data32(&b, 0x1c));
	vgt_vgpu_exec_stats(b.g.v, &st, false);
	CHECK(st.state_noops == 1 && st.batches == 3, "one 3D no-op, three batches: %llu %llu",
	      (unsigned long long)st.state_noops, (unsigned long long)st.batches);
	CHECK(hangs(&b) == 0, "no hang");
	exec_guest_fini(&b.g);
}

VGT_TEST_MAIN()

// SPDX-License-Identifier: MIT
/*
 * Benchmarks of the executor (figures, not tests), on the synthetic
 * execlists guest of the tests:
 *  - commands executed per second: a PPGTT batch of MI_STORE_DWORD_IMM and
 *    MI_NOOP, audited and run, in this thread;
 *  - a 16 MiB XY_SRC_COPY_BLT (32 bpp, 4096 x 1024) between linear, X- and
 *    Y-tiled surfaces, against memcpy of the same 16 MiB (ratio);
 *  - ELSP write to CSB completion, in process: the worker thread picks the
 *    submission up, runs it and writes the CSB; the submitter polls the
 *    status page as process_csb does. Median and 99th percentile.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "exec_guest.h"

#define BATCH_DW	(64 * 1024)
#define BLT_W		4096u		/* pixels, 32 bpp: 16 KiB rows */
#define BLT_H		1024u
#define BLT_PITCH	(BLT_W * 4)
#define BLT_BYTES	((uint64_t)BLT_PITCH * BLT_H)
#define VA_BB		0x01000000ull
#define VA_SRC		0x10000000ull
#define VA_DST		0x20000000ull
#define LAT_RUNS	2000

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Run ring dwords on engine e of context c until the engine is idle. */
static void run(struct exec_guest *g, struct eg_ctx *c, enum vgt_engine_id e,
		const uint32_t *ring, unsigned int n)
{
	eg_emit(g, c, ring, n);
	eg_submit(g, e, c, NULL);
	vgt_vgpu_exec_run(g->v, 0);
	while (eg_csb_next(g, e))
		;
}

static void bench_commands(struct exec_guest *g)
{
	uint64_t gpa = eg_ppgtt_alloc(g, VA_BB, BATCH_DW * 4 / 4096 + 1);
	uint32_t *bb = eg_ptr(g, gpa), ring[4] = { EG_MI_BB_START | EG_MI_BB_PPGTT,
						    (uint32_t)VA_BB, 0, EG_MI_NOOP };
	struct vgt_exec_stats st;
	struct eg_ctx c;
	unsigned int i, rounds = 20;
	double t0, dt;

	eg_ppgtt_alloc(g, VA_DST, 1);
	for (i = 0; i + 5 < BATCH_DW; i += 6) {
		bb[i] = EG_MI_STORE_DWORD_IMM;
		bb[i + 1] = (uint32_t)VA_DST + (i % 1024);
		bb[i + 2] = 0;
		bb[i + 3] = i;
		bb[i + 4] = EG_MI_NOOP;
		bb[i + 5] = EG_MI_NOOP;
	}
	bb[i] = EG_MI_BB_END;
	eg_ctx_init(g, &c, 1);
	vgt_vgpu_exec_stats(g->v, &st, true);
	t0 = now();
	for (i = 0; i < rounds; i++)
		run(g, &c, VGT_RCS, ring, 4);
	dt = now() - t0;
	vgt_vgpu_exec_stats(g->v, &st, true);
	printf("exec: %.1f M commands/s (%llu commands: stores and no-ops from a PPGTT batch, "
	       "copy and audit included)\n", st.commands / dt / 1e6,
	       (unsigned long long)st.commands);
}

static const char *const layout[] = { "linear", "X", "Y" };

static void bench_blit(struct exec_guest *g)
{
	uint64_t src_gpa = eg_ppgtt_alloc(g, VA_SRC, BLT_BYTES / 4096);
	uint64_t dst_gpa = eg_ppgtt_alloc(g, VA_DST, BLT_BYTES / 4096);
	uint8_t *src = eg_ptr(g, src_gpa), *dst = eg_ptr(g, dst_gpa);
	uint64_t bb_gpa = eg_ppgtt_alloc(g, VA_BB, 1);
	uint32_t *bb = eg_ptr(g, bb_gpa);
	uint32_t ring[4] = { EG_MI_BB_START | EG_MI_BB_PPGTT, (uint32_t)VA_BB, 0, EG_MI_NOOP };
	double t0, memcpy_s, blit_s;
	struct eg_ctx c;
	uint64_t i;
	int from, to, reps = 5, r;

	for (i = 0; i < BLT_BYTES; i++)
		src[i] = (uint8_t)(i * 131);
	t0 = now();
	for (r = 0; r < reps; r++)
		memcpy(dst, src + (r & 1), BLT_BYTES - 1);
	memcpy_s = (now() - t0) / reps;
	eg_ctx_init(g, &c, 2);
	for (from = 0; from < 3; from++) {
		for (to = 0; to < 3; to++) {
			uint32_t swctrl = (from == 2 ? BCS_SRC_Y : 0) |
					  (to == 2 ? BCS_DST_Y : 0);
			uint32_t tiled_pitch = BLT_PITCH / 4;	/* tiled: in dwords */

			/* LRI BCS_SWCTRL (masked), then the copy. */
			bb[0] = (0x22u << 23) | 1;
			bb[1] = BCS_SWCTRL;
			bb[2] = 0x3u << 16 | swctrl;
			bb[3] = 2u << 29 | 0x53u << 22 | 3u << 20 | (from ? 1u << 15 : 0) |
				(to ? 1u << 11 : 0) | 8;
			bb[4] = 3u << 24 | 0xccu << 16 | (to ? tiled_pitch : BLT_PITCH);
			bb[5] = 0;
			bb[6] = BLT_H << 16 | BLT_W;
			bb[7] = (uint32_t)VA_DST;
			bb[8] = 0;
			bb[9] = 0;
			bb[10] = from ? tiled_pitch : BLT_PITCH;
			bb[11] = (uint32_t)VA_SRC;
			bb[12] = 0;
			bb[13] = EG_MI_BB_END;
			t0 = now();
			for (r = 0; r < reps; r++)
				run(g, &c, VGT_BCS, ring, 4);
			blit_s = (now() - t0) / reps;
			printf("blit: 16 MiB XY_SRC_COPY_BLT %s -> %s: %.1f ms, %.0f MB/s; memcpy %.1f ms: "
			       "%.2f of memcpy%s\n", layout[from], layout[to], blit_s * 1e3,
			       BLT_BYTES / blit_s / 1e6, memcpy_s * 1e3, memcpy_s / blit_s,
			       !from && !to ? (memcmp(src, dst, BLT_BYTES) ? " (WRONG RESULT)" :
					       " (result checked)") : "");
		}
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void bench_latency(struct exec_guest *g)
{
	static double lat[LAT_RUNS];
	uint32_t ring[4] = { EG_MI_USER_INTERRUPT, EG_MI_NOOP, EG_MI_NOOP, EG_MI_NOOP };
	struct eg_ctx c;
	unsigned int i;

	eg_ctx_init(g, &c, 3);
	vgt_vgpu_exec_start(g->v);
	for (i = 0; i < LAT_RUNS; i++) {
		double t0;

		eg_emit(g, &c, ring, 4);
		t0 = now();
		eg_submit(g, VGT_RCS, &c, NULL);
		for (;;) {
			uint64_t csb = eg_csb_next(g, VGT_RCS);

			if ((uint32_t)csb & GEN8_CTX_STATUS_ACTIVE_IDLE)
				break;
		}
		lat[i] = now() - t0;
	}
	qsort(lat, LAT_RUNS, sizeof(lat[0]), cmp_double);
	printf("latency: ELSP write to CSB completion (worker thread): median %.1f us, "
	       "p99 %.1f us (%d runs)\n", lat[LAT_RUNS / 2] * 1e6, lat[LAT_RUNS * 99 / 100] * 1e6,
	       LAT_RUNS);
}

int main(void)
{
	struct exec_guest g;

	if (exec_guest_init(&g)) {
		fprintf(stderr, "bench_exec: cannot set up the guest\n");
		return 1;
	}
	bench_commands(&g);
	bench_blit(&g);
	bench_latency(&g);
	exec_guest_fini(&g);
	return 0;
}

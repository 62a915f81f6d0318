// SPDX-License-Identifier: MIT
/*
 * Benchmark (a figure, not a test): command audit throughput on 16 MiB
 * gen9 batch mixes, a render one (RCS) and a blitter one (BCS), and memcpy
 * over the same buffer in the same run; the ratio says what auditing costs
 * next to the copy GVT-g makes anyway when it shadows a batch. Best of
 * several runs of each.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vgt_audit.h"

#define MIB (1ULL << 20)
#define MAP_BASE (128 * MIB)
#define HID_BASE (640 * MIB)
#define MI(op, len) (((uint32_t)(op) << 23) | (len))
#define GFX(sub, op, subop, len) \
	((3u << 29) | ((sub) << 27) | ((op) << 24) | ((subop) << 16) | (len))
#define BLT(op, len) ((2u << 29) | ((uint32_t)(op) << 22) | (len))

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Fill 16 MiB with copies of @mix (@cmds commands), NOOPs, a batch end. */
static size_t fill(uint32_t *buf, size_t n, const uint32_t *mix, size_t mix_n, size_t cmds)
{
	size_t i, count = 0;

	for (i = 0; i + mix_n < n; i += mix_n, count += cmds)
		memcpy(buf + i, mix, mix_n * 4);
	for (; i < n - 1; i++, count++)
		buf[i] = 0;			/* MI_NOOP */
	buf[n - 1] = MI(0x0a, 0);		/* MI_BATCH_BUFFER_END */
	return count + 1;
}

static int bench(const char *what, enum vgt_engine_id e, const uint32_t *mix, size_t mix_n,
		 size_t mix_cmds, uint32_t *buf, uint32_t *copy)
{
	const struct vgt_audit_ctx ctx = {
		.mappable_base = MAP_BASE, .mappable_size = 64 * MIB,
		.hidden_base = HID_BASE, .hidden_size = 384 * MIB,
		.buffer = VGT_AUDIT_BATCH, .max_dwords = 16 * MIB, .engine = e,
	};
	const size_t bytes = 16 * MIB, n = bytes / 4, reps = 8;
	double t0, t, audit_s = 1e9, copy_s = 1e9, mb = bytes / 1e6;
	size_t r, cmds = fill(buf, n, mix, mix_n, mix_cmds);
	struct vgt_audit_result res;
	int bad = 0;

	for (r = 0; r < reps; r++) {
		t0 = now();
		bad |= vgt_audit(&ctx, buf, n, &res);
		t = now() - t0;
		audit_s = t < audit_s ? t : audit_s;
		t0 = now();
		memcpy(copy, buf, bytes);
		__asm__ volatile("" : : "r"(copy) : "memory");
		t = now() - t0;
		copy_s = t < copy_s ? t : copy_s;
	}
	if (bad)
		fprintf(stderr, "bench_audit: the %s mix was refused: %s at dword %zu (%s)\n",
			what, vgt_audit_reason_name(res.reason), res.dword, res.command);
	printf("command audit, %s: %.0f MB/s (%.0f Mcmd/s) on a 16 MiB gen9 batch mix; "
	       "memcpy %.0f MB/s; audit at %.2f of memcpy (best of %zu)\n", what,
	       mb / audit_s, cmds / audit_s / 1e6, mb / copy_s, copy_s / audit_s, reps);
	return bad;
}

int main(void)
{
	/* What Mesa and i915 emit most on RCS: state, draws, flushes, stores. */
	static const uint32_t render[] = {
		GFX(3, 0, 0x0c, 0), 0,					/* 3DSTATE_VF */
		GFX(3, 0, 0x10, 7), 0, 0, 0, 0, 0, 0, 0, 0,		/* 3DSTATE_VS */
		GFX(3, 0, 0x20, 10), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* 3DSTATE_PS */
		GFX(3, 0, 0x08, 3), 0, 0x1000, 0, 0x100,		/* VERTEX_BUFFERS */
		GFX(3, 0, 0x2a, 0), 0x40,			/* BINDING_TABLE_POINTERS_PS */
		GFX(3, 3, 0, 5), 0, 3, 0, 1, 0, 0,			/* 3DPRIMITIVE */
		GFX(3, 2, 0, 4), (1u << 24) | (1u << 14), MAP_BASE + 0x1000, 0, 1, 0,
		MI(0x22, 1), 0x2600, 0,				/* MI_LOAD_REGISTER_IMM GPR0 */
		MI(0x20, 2) | (1u << 22), MAP_BASE + 0x2000, 0, 5,	/* MI_STORE_DATA_IMM */
		MI(0x24, 2) | (1u << 22), 0x2358, MAP_BASE + 0x3000, 0, /* SRM timestamp */
		GFX(2, 1, 5, 13), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* GPGPU_WALKER */
		MI(0x05, 0),						/* MI_ARB_CHECK */
	};
	/* BCS: copies and fills in the slices, flushes. */
	static const uint32_t blitter[] = {
		BLT(0x53, 8), (3u << 24) | (0xcc << 16) | 4096, 0, (16u << 16) | 256,
			MAP_BASE, 0, 0, 4096, HID_BASE, 0,		/* XY_SRC_COPY_BLT */
		BLT(0x50, 5), (3u << 24) | (0xf0 << 16) | 4096, 0, (16u << 16) | 256,
			MAP_BASE, 0, 0,					/* XY_COLOR_BLT */
		MI(0x26, 2) | (1u << 14), HID_BASE | 4, 0, 0,	/* MI_FLUSH_DW */
		MI(0x05, 0),						/* MI_ARB_CHECK */
	};
	uint32_t *buf = malloc(16 * MIB), *copy = malloc(16 * MIB);
	int bad;

	if (!buf || !copy) {
		fprintf(stderr, "bench_audit: out of memory\n");
		return 1;
	}
	bad = bench("render", VGT_RCS, render, sizeof(render) / 4, 12, buf, copy);
	bad |= bench("blitter", VGT_BCS, blitter, sizeof(blitter) / 4, 4, buf, copy);
	free(buf);
	free(copy);
	return bad ? 1 : 0;
}

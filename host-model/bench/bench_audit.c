// SPDX-License-Identifier: MIT
/*
 * Benchmark (a figure, not a test): command audit throughput on a 16 MiB
 * gen9 batch mix, and memcpy over the same buffer in the same run; the
 * ratio says what auditing costs next to the copy GVT-g makes anyway when
 * it shadows a batch. Best of several runs of each.
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

int main(void)
{
	/* What Mesa and i915 emit most: state, draws, flushes, stores, blits. */
	static const uint32_t mix[] = {
		GFX(3, 0, 0x0c, 0), 0,					/* 3DSTATE_VF */
		GFX(3, 0, 0x10, 7), 0, 0, 0, 0, 0, 0, 0, 0,		/* 3DSTATE_VS */
		GFX(3, 0, 0x20, 10), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* 3DSTATE_PS */
		GFX(3, 0, 0x08, 3), 0, 0x1000, 0, 0x100,		/* VERTEX_BUFFERS */
		GFX(3, 0, 0x2a, 0), 0x40,			/* BINDING_TABLE_POINTERS_PS */
		GFX(3, 3, 0, 5), 0, 3, 0, 1, 0, 0,			/* 3DPRIMITIVE */
		GFX(3, 2, 0, 4), (1u << 24) | (1u << 14), MAP_BASE + 0x1000, 0, 1, 0,
		MI(0x22, 1), 0x2358, 0,				/* MI_LOAD_REGISTER_IMM */
		MI(0x20, 2) | (1u << 22), MAP_BASE + 0x2000, 0, 5,	/* MI_STORE_DATA_IMM */
		MI(0x26, 2) | (1u << 14), HID_BASE | 4, 0, 0,	/* MI_FLUSH_DW */
		MI(0x24, 2) | (1u << 22), 0x2358, MAP_BASE + 0x3000, 0, /* SRM */
		GFX(2, 1, 5, 13), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* GPGPU_WALKER */
		BLT(0x53, 8), 0, 0, 0, 0, 0, 0, 0, 0, 0,		/* XY_SRC_COPY_BLT */
		MI(0x05, 0),						/* MI_ARB_CHECK */
	};
	const struct vgt_audit_ctx ctx = {
		.mappable_base = MAP_BASE, .mappable_size = 64 * MIB,
		.hidden_base = HID_BASE, .hidden_size = 384 * MIB,
		.buffer = VGT_AUDIT_BATCH, .max_dwords = 16 * MIB,
	};
	const size_t bytes = 16 * MIB, n = bytes / 4, reps = 8;
	uint32_t *buf = malloc(bytes), *copy = malloc(bytes);
	double t0, t, audit_s = 1e9, copy_s = 1e9, mb = bytes / 1e6;
	struct vgt_audit_result res;
	size_t i, r, cmds = 0;
	int bad = 0;

	if (!buf || !copy) {
		fprintf(stderr, "bench_audit: out of memory\n");
		return 1;
	}
	for (i = 0; i + sizeof(mix) / 4 < n; i += sizeof(mix) / 4, cmds += 14)
		memcpy(buf + i, mix, sizeof(mix));
	for (; i < n - 1; i++, cmds++)
		buf[i] = 0;			/* MI_NOOP */
	buf[n - 1] = MI(0x0a, 0);		/* MI_BATCH_BUFFER_END */

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
		fprintf(stderr, "bench_audit: the mix was refused: %s at dword %zu (%s)\n",
			vgt_audit_reason_name(res.reason), res.dword, res.command);
	printf("command audit: %.0f MB/s (%.0f Mcmd/s) on a 16 MiB gen9 batch mix; "
	       "memcpy %.0f MB/s; audit at %.2f of memcpy (best of %zu)\n",
	       mb / audit_s, cmds / audit_s / 1e6, mb / copy_s, copy_s / audit_s, reps);
	free(buf);
	free(copy);
	return bad ? 1 : 0;
}

// SPDX-License-Identifier: MIT
/*
 * Benchmark (a figure, not a test): audit throughput on a gen9 batch mix,
 * as a fraction of memcpy over the same buffer in the same run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vgt_audit.h"

#define MIB (1ULL << 20)

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(void)
{
	/* What i915 and Mesa emit most: state, primitives, flushes, stores. */
	const uint32_t mix[] = {
		0x78100000u | 1, 0, 0,				/* 3DSTATE */
		0x78150000u | 7, 0, 0, 0, 0, 0, 0, 0, 0,	/* 3DSTATE */
		0x7b000000u | 5, 0, 0, 0, 0, 0, 0,		/* 3DPRIMITIVE */
		0x7a000000u | 4, (1u << 24) | (1u << 14), 0x08001000, 0, 1, 0, /* PIPE_CONTROL */
		(0x22u << 23) | 1, 0x2358, 0,			/* MI_LOAD_REGISTER_IMM */
		(0x20u << 23) | (1u << 22) | 2, 0x08002000, 0, 5, /* MI_STORE_DATA_IMM */
		(0x26u << 23) | (1u << 14) | 2, 0x28000004, 0, 0, /* MI_FLUSH_DW */
		(2u << 29) | (0x53u << 22) | 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* XY_SRC_COPY */
		(0x05u << 23),					/* MI_ARB_CHECK */
	};
	const struct vgt_audit_ctx ctx = {
		.mappable_base = 128 * MIB, .mappable_size = 64 * MIB,
		.hidden_base = 640 * MIB, .hidden_size = 384 * MIB,
		.max_dwords = 64 * MIB,
	};
	size_t n = 16 * MIB / 4, i, reps = 10, r;
	uint32_t *buf = malloc(n * 4), *copy = malloc(n * 4);
	struct vgt_audit_result res;
	double t0, audit_s, copy_s;
	int bad = 0;

	if (!buf || !copy)
		return 1;
	for (i = 0; i + sizeof(mix) / 4 <= n; i += sizeof(mix) / 4)
		memcpy(buf + i, mix, sizeof(mix));
	for (; i < n; i++)
		buf[i] = 0;	/* MI_NOOP */

	t0 = now();
	for (r = 0; r < reps; r++)
		bad |= vgt_audit(&ctx, buf, n, &res);
	audit_s = (now() - t0) / reps;
	t0 = now();
	for (r = 0; r < reps; r++) {
		memcpy(copy, buf, n * 4);
		__asm__ volatile("" : : "r"(copy) : "memory");
	}
	copy_s = (now() - t0) / reps;
	printf("command audit: %.0f MB/s on a 16 MiB gen9 mix, memcpy %.0f MB/s: "
	       "audit runs at %.3f of memcpy%s\n", 16 / audit_s * 1.048576,
	       16 / copy_s * 1.048576, copy_s / audit_s, bad ? " (REFUSED?)" : "");
	free(buf);
	free(copy);
	return bad ? 1 : 0;
}

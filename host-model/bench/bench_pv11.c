// SPDX-License-Identifier: MIT
/*
 * Benchmarks (figures, not tests) of PVINFO 1.1 (spec/pvinfo-1.1.md) with
 * a synthetic guest (tests/pv11_guest.h): binding 64 MiB (16384 PTEs) by
 * 1.0's trapped PTE writes and through the channel with areas of 2, 16 and
 * 64 pages: traps per bind (the goal: at most 1/100 of 1.0's) and
 * time per bind; then a re-balloon round trip (post, the guest's reply in
 * one doorbell, commit) of a 128 MiB shrink and grow. Single thread, -O2.
 * A trap here is a function call; in a VM it is a VM exit, which is what
 * the trap counts stand for.
 */
#include <stdio.h>
#include <time.h>

#include "pv11_guest.h"

#define MIB VGT_MIB
#define PTES 16384
#define ROUNDS 50

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static uint64_t traps(struct vgt_vgpu *v)
{
	struct vgt_traps t;
	uint64_t n = 0;
	unsigned int c;

	vgt_vgpu_traps(v, &t, true);
	for (c = 0; c < VGT_TRAP_NR; c++)
		n += t.count[c];
	return n;
}

int main(void)
{
	static uint64_t ptes[PTES];
	static const unsigned int areas[] = { 2, 16, 64 };
	struct vgt_vgpu_request req;
	struct vgt_gpu_desc d;
	struct vgt_slices s;
	struct guest_ram ram;
	struct pv11_guest g;
	struct vgt_host *h;
	struct vgt_vgpu *v;
	struct vgt_slice_ranges small, full;
	uint64_t first, n10;
	unsigned int i, r, k;
	double t0, t10;

	vgt_gpu_desc_default(&d);
	h = vgt_host_create(&d, NULL);
	vgt_type_parse("8", &req);
	v = vgt_vgpu_create(h, &req, NULL, NULL, 0);
	guest_ram_init(&ram);
	if (!v || guest_ram_add(&ram, 0, 128 * MIB) || guest_ram_attach(&ram, v))
		return 1;
	vgt_vgpu_slices(v, &s);
	first = s.hidden_base >> 12;
	for (i = 0; i < PTES; i++)
		ptes[i] = (MIB + 4096ULL * i) | 1;

	traps(v);
	t0 = now();
	for (r = 0; r < ROUNDS; r++)
		for (i = 0; i < PTES; i++)
			vgt_mmio_write(v, VGT_GSM_OFFSET + 8 * (first + i), 8, ptes[i]);
	t10 = (now() - t0) / ROUNDS;
	n10 = traps(v) / ROUNDS;
	printf("bind 64 MiB, PVINFO 1.0 (trapped PTEs): %6llu traps, %8.1f us\n",
	       (unsigned long long)n10, t10 * 1e6);
	for (k = 0; k < sizeof(areas) / sizeof(areas[0]); k++) {
		uint64_t n11, reg;

		vgt_vgpu_reset(v);
		traps(v);
		pg_register(&g, &ram, v, 64 * MIB, areas[k],
			    VGT_PV11_F_GGTT_BATCH | VGT_PV11_F_RESLICE);
		reg = traps(v);
		t0 = now();
		for (r = 0; r < ROUNDS; r++)
			if (pg_insert(&g, (uint32_t)first, ptes, PTES))
				return 1;
		n11 = traps(v) / ROUNDS;
		printf("bind 64 MiB, PVINFO 1.1, %2u-page area:   %6llu traps, %8.1f us "
		       "(registration %llu traps once); 1/%llu of 1.0's traps\n",
		       areas[k], (unsigned long long)n11, (now() - t0) / ROUNDS * 1e6,
		       (unsigned long long)reg, (unsigned long long)(n10 / n11));
	}

	full = s.ranges;
	small = s.ranges;
	small.r[VGT_GM_HIDDEN][0].size -= 128 * MIB;
	t0 = now();
	for (r = 0; r < ROUNDS; r++) {
		struct vgt_pv11_msg m;

		if (vgt_vgpu_reslice(v, r % 2 ? &full : &small, NULL, 0) || !pg_next_msg(&g, &m) ||
		    pg_reply(&g, m.seq, 0))
			return 1;
	}
	printf("re-balloon 128 MiB (post, reply, commit): %8.1f us a round trip\n",
	       (now() - t0) / ROUNDS * 1e6);
	vgt_host_destroy(h);
	guest_ram_free(&ram);
	return 0;
}

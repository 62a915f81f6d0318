// SPDX-License-Identifier: MIT
/*
 * Two vGPUs driven from two threads at once (built with TSan too): each
 * writes PTEs over its own slices and, maliciously, over the other's. Every
 * own write is accepted, every foreign one refused, and afterwards each
 * shadow holds only what its own guest wrote.
 */
#include <pthread.h>
#include <stdio.h>

#include "libvgt.h"

#include "vgt_test.h"

#define ROUNDS 20000

struct worker {
	struct vgt_vgpu *self;
	struct vgt_slices mine, theirs;
	unsigned long accepted, refused_foreign, wrong;
};

static void *run(void *arg)
{
	struct worker *w = arg;
	unsigned long i;

	for (i = 0; i < ROUNDS; i++) {
		uint64_t own = (w->mine.aperture_base >> 12) + i % (w->mine.aperture_size >> 12);
		uint64_t foreign = (w->theirs.aperture_base >> 12) + i % (w->theirs.aperture_size >> 12);
		uint64_t pte = ((uint64_t)w->mine.id << 20) | 1;

		if (vgt_mmio_write(w->self, VGT_GSM_OFFSET + 8 * own, 8, pte) == 0)
			w->accepted++;
		else
			w->wrong++;
		if (vgt_mmio_write(w->self, VGT_GSM_OFFSET + 8 * foreign, 8, pte) != 0)
			w->refused_foreign++;
		else
			w->wrong++;
	}
	return NULL;
}

TEST(two_threads_foreign_ptes, "H-12 H-17")
{
	struct vgt_gpu_desc d;
	struct vgt_vgpu_request req;
	struct worker w[2] = { { 0 } };
	pthread_t t[2];
	struct vgt_host *h;
	int err, k;
	uint64_t i;

	vgt_gpu_desc_default(&d);
	h = vgt_host_create(&d, &err);
	vgt_type_parse("8", &req);
	for (k = 0; k < 2; k++)
		w[k].self = vgt_vgpu_create(h, &req, &err, NULL, 0);
	for (k = 0; k < 2; k++) {
		vgt_vgpu_slices(w[k].self, &w[k].mine);
		vgt_vgpu_slices(w[1 - k].self, &w[k].theirs);
	}
	for (k = 0; k < 2; k++)
		pthread_create(&t[k], NULL, run, &w[k]);
	for (k = 0; k < 2; k++)
		pthread_join(t[k], NULL);

	for (k = 0; k < 2; k++) {
		struct vgt_traps tr;
		unsigned long bad = 0;

		vgt_vgpu_traps(w[k].self, &tr, false);
		for (i = 0; i < (w[k].mine.aperture_size >> 12); i++)
			if (vgt_vgpu_shadow_pte(w[k].self, (w[k].mine.aperture_base >> 12) + i) !=
			    (((uint64_t)w[k].mine.id << 20) | 1))
				bad++;
		CHECK(w[k].accepted == ROUNDS && w[k].refused_foreign == ROUNDS &&
		      !w[k].wrong && !bad && tr.count[VGT_TRAP_GGTT] == 2 * ROUNDS &&
		      tr.rejected[VGT_TRAP_GGTT] == ROUNDS,
		      "vGPU %u: accepted %lu refused %lu wrong %lu bad shadow %lu",
		      w[k].mine.id, w[k].accepted, w[k].refused_foreign, w[k].wrong, bad);
	}
	vgt_host_destroy(h);
}

VGT_TEST_MAIN()

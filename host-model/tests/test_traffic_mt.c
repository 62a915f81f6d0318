// SPDX-License-Identifier: MIT
/*
 * Mixed traffic on four vGPUs from four threads at once (also built with
 * TSan), while a fifth thread creates and destroys other vGPUs: registers,
 * forcewake, PVINFO guest words and g2v_notify, fences and PTEs. Afterwards
 * each vGPU holds exactly its own guest's values, its trap counts are
 * exactly its own traffic, and the physical fence file holds each vGPU's
 * fences where its fence_phys says.
 */
#include <pthread.h>
#include <stdio.h>

#include <linux/types.h>

#include "i915_pvinfo.h"
#include "libvgt.h"

#include "vgt_test.h"

#define NR 4
#define ROUNDS 5000
#define PV(field) (VGT_PVINFO_PAGE + vgtif_offset(field))

struct worker {
	struct vgt_vgpu *v;
	struct vgt_slices s;
	unsigned long errors;
};

static void *run(void *arg)
{
	struct worker *w = arg;
	uint64_t val, tag = w->s.id, i;

	vgt_mmio_read(w->v, PV(magic), 8, &val);
	for (i = 0; i < ROUNDS; i++) {
		uint64_t idx = (w->s.hidden_base >> 12) + i % (w->s.hidden_size >> 12);
		uint64_t fence = ((w->s.aperture_base + 4096 * (tag + i % 8)) << 32) |
				 w->s.aperture_base | 1;

		w->errors += vgt_mmio_write(w->v, 0x4000 + 4 * (i % 64), 4, tag << 24 | i) != 0;
		w->errors += vgt_mmio_write(w->v, 0xa278, 4, 0x00010001) != 0;
		w->errors += vgt_mmio_write(w->v, PV(cursor_x_hot), 4, (uint32_t)(tag * 1000 + i)) != 0;
		w->errors += vgt_mmio_write(w->v, PV(pdp[0]), 8, tag << 20) != 0;
		w->errors += vgt_mmio_write(w->v, PV(g2v_notify), 4,
					    i % 2 ? VGT_G2V_PPGTT_L4_PAGE_TABLE_DESTROY :
						    VGT_G2V_PPGTT_L4_PAGE_TABLE_CREATE) != 0;
		w->errors += vgt_mmio_write(w->v, VGT_FENCE_BASE + 8 * (i % 4), 8, fence) != 0;
		w->errors += vgt_mmio_write(w->v, VGT_GSM_OFFSET + 8 * idx, 8, (tag << 12) | 1) != 0;
		w->errors += vgt_mmio_read(w->v, 0x0d84, 4, &val) != 0 || val != 1;
	}
	return NULL;
}

static void *churn(void *arg)
{
	struct vgt_host *h = arg;
	struct vgt_vgpu_request req;
	unsigned int i;
	int err;

	vgt_type_parse("16/16/1", &req);
	for (i = 0; i < 500; i++) {
		struct vgt_vgpu *x = vgt_vgpu_create(h, &req, &err, NULL, 0);
		struct vgt_free fa;

		vgt_host_free_space(h, &fa, NULL, NULL);
		vgt_mmio_write(x, VGT_FENCE_BASE, 8, 0);
		vgt_vgpu_destroy(x);
	}
	return NULL;
}

TEST(four_threads_and_churn, "H-15 H-17")
{
	struct worker w[NR];
	pthread_t t[NR + 1];
	struct vgt_gpu_desc d;
	struct vgt_vgpu_request req;
	struct vgt_host *h;
	int err, k;

	vgt_gpu_desc_default(&d);
	d.aperture_size = 1024 * VGT_MIB;
	h = vgt_host_create(&d, &err);
	vgt_type_parse("8", &req);
	for (k = 0; k < NR; k++) {
		w[k].v = vgt_vgpu_create(h, &req, &err, NULL, 0);
		vgt_vgpu_slices(w[k].v, &w[k].s);
		w[k].errors = 0;
	}
	for (k = 0; k < NR; k++)
		pthread_create(&t[k], NULL, run, &w[k]);
	pthread_create(&t[NR], NULL, churn, h);
	for (k = 0; k <= NR; k++)
		pthread_join(t[k], NULL);

	for (k = 0; k < NR; k++) {
		uint64_t tag = w[k].s.id, i, val, bad_pte = 0, bad_reg = 0;
		struct vgt_traps tr;
		struct vgt_if pv;

		vgt_vgpu_traps(w[k].v, &tr, false);
		for (i = 0; i < (w[k].s.hidden_size >> 12) && i < ROUNDS; i++)
			bad_pte += vgt_vgpu_shadow_pte(w[k].v, (w[k].s.hidden_base >> 12) + i) !=
				   ((tag << 12) | 1);
		for (i = 0; i < 64; i++) {
			vgt_mmio_read(w[k].v, 0x4000 + 4 * i, 4, &val);
			bad_reg += val >> 24 != tag;
		}
		vgt_vgpu_get_pvinfo(w[k].v, &pv);
		CHECK(w[k].errors == 0 && bad_pte == 0 && bad_reg == 0,
		      "vGPU %u: %lu errors, %llu foreign PTEs, %llu foreign registers", w[k].s.id,
		      w[k].errors, (unsigned long long)bad_pte, (unsigned long long)bad_reg);
		CHECK(pv.cursor_x_hot == tag * 1000 + ROUNDS - 1 && pv.vgt_id == tag &&
		      vgt_vgpu_ppgtt_roots(w[k].v) == 0 && !vgt_vgpu_failsafe(w[k].v),
		      "vGPU %u: PVINFO cursor %u id %u", w[k].s.id, pv.cursor_x_hot, pv.vgt_id);
		CHECK(tr.count[VGT_TRAP_OTHER] == ROUNDS && tr.count[VGT_TRAP_PM] == 2 * ROUNDS &&
		      tr.count[VGT_TRAP_PVINFO] == 3 * ROUNDS + 1 && tr.count[VGT_TRAP_FENCE] == ROUNDS &&
		      tr.count[VGT_TRAP_GGTT] == ROUNDS && tr.rejected[VGT_TRAP_GGTT] == 0,
		      "vGPU %u: trap counts are its own traffic: other %llu pm %llu pvinfo %llu fence %llu ggtt %llu",
		      w[k].s.id, (unsigned long long)tr.count[VGT_TRAP_OTHER],
		      (unsigned long long)tr.count[VGT_TRAP_PM], (unsigned long long)tr.count[VGT_TRAP_PVINFO],
		      (unsigned long long)tr.count[VGT_TRAP_FENCE], (unsigned long long)tr.count[VGT_TRAP_GGTT]);
		for (i = 0; i < 4; i++)
			CHECK(vgt_host_fence(h, w[k].s.fence_phys[i]) ==
			      (((w[k].s.aperture_base + 4096 * (tag + (ROUNDS - 4 + i) % 8)) << 32) |
			       w[k].s.aperture_base | 1),
			      "vGPU %u: physical fence %u", w[k].s.id, w[k].s.fence_phys[i]);
	}
	vgt_host_destroy(h);
}

VGT_TEST_MAIN()

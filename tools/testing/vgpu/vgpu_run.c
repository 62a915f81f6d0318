// SPDX-License-Identifier: MIT
/*
 * make run: a host with four vGPUs, their guests run once enlightened and
 * once as 6.1 does on bare metal, and the trap counts side by side.
 */
#include "workload.h"

#define MIB VGT_MIB
#define NR_VGPUS 4

static void *run_thread(void *arg)
{
	workload_run(arg);
	return NULL;
}

static void run_all(struct workload *w, struct vgt_vgpu **v,
		    const struct vgt_gpu_desc *d, bool enlightened)
{
	pthread_t t[NR_VGPUS];
	unsigned int i;

	for (i = 0; i < NR_VGPUS; i++) {
		w[i] = (struct workload){ .vgpu = v[i], .enlightened = enlightened,
					  .aperture = d->aperture_size,
					  .ggtt_total = d->ggtt_size,
					  .object_size = 2 * MIB };
		vgt_vgpu_reset(v[i]);
	}
	for (i = 0; i < NR_VGPUS; i++)
		pthread_create(&t[i], NULL, run_thread, &w[i]);
	for (i = 0; i < NR_VGPUS; i++)
		pthread_join(t[i], NULL);
}

static void print_balloons(const struct workload *w, unsigned int id)
{
	const struct drm_mm_node *b = w->guest.i915.vgpu.balloon;
	unsigned int i;

	printf("vGPU %u balloons:", id);
	for (i = 0; i < INTEL_VGPU_MAX_BALLOONS; i++)
		if (b[i].size)
			printf(" [%#llx, %#llx)", b[i].start, b[i].start + b[i].size);
	printf("; %u fences; bound %llu MiB in %u objects (%u mappable)\n",
	       w->guest.i915.vgpu.res.fence_num, w->bound / MIB, w->objects,
	       w->mappable_objects);
}

int main(void)
{
	struct workload *en = calloc(NR_VGPUS, sizeof(*en));
	struct workload *bare = calloc(NR_VGPUS, sizeof(*bare));
	struct vgt_vgpu *v[NR_VGPUS];
	struct vgt_vgpu_request req;
	struct vgt_gpu_desc d;
	struct vgt_host *h;
	unsigned int i, c;
	int err, status = 0;

	/* Four type "8" need 256 MiB of aperture beside the host's 128 MiB. */
	vgt_gpu_desc_default(&d);
	d.aperture_size = 512 * MIB;
	h = vgt_host_create(&d, &err);
	vgt_type_parse("8", &req);
	for (i = 0; i < NR_VGPUS; i++) {
		char msg[128];

		v[i] = vgt_vgpu_create(h, &req, &err, msg, sizeof(msg));
		if (!v[i]) {
			fprintf(stderr, "vgpu-run: %s\n", msg);
			return 1;
		}
	}

	printf("== host: GGTT %llu MiB, aperture %llu MiB, %u fences; host keeps "
	       "%llu/%llu MiB and %u fences\n",
	       d.ggtt_size / MIB, d.aperture_size / MIB, d.fences,
	       d.host_aperture / MIB, d.host_hidden / MIB, d.host_fences);
	printf("%-5s %-26s %-26s %s\n", "vGPU", "aperture slice", "hidden slice",
	       "fences (physical)");
	for (i = 0; i < NR_VGPUS; i++) {
		struct vgt_slices s;
		char ap[40], hid[40];

		vgt_vgpu_slices(v[i], &s);
		snprintf(ap, sizeof(ap), "[%#llx, %#llx)",
			 (unsigned long long)s.aperture_base,
			 (unsigned long long)(s.aperture_base + s.aperture_size));
		snprintf(hid, sizeof(hid), "[%#llx, %#llx)",
			 (unsigned long long)s.hidden_base,
			 (unsigned long long)(s.hidden_base + s.hidden_size));
		printf("%-5u %-26s %-26s %u (%u-%u)\n", s.id, ap, hid, s.fence_num,
		       s.fence_phys[0], s.fence_phys[s.fence_num - 1]);
	}

	run_all(en, v, &d, true);
	printf("\n== enlightened guests (unchanged i915_vgpu.c)\n");
	for (i = 0; i < NR_VGPUS; i++) {
		print_balloons(&en[i], i + 1);
		if (en[i].probe_err || en[i].pte_refused || en[i].fence_refused)
			status = 1;
	}
	run_all(bare, v, &d, false);

	printf("\n== traps per vGPU and class: enlightened / unenlightened (refused)\n");
	printf("%-5s", "vGPU");
	for (c = 0; c < VGT_TRAP_NR; c++)
		printf(" %24s", vgt_trap_class_name(c));
	printf("\n");
	for (i = 0; i < NR_VGPUS; i++) {
		printf("%-5u", i + 1);
		for (c = 0; c < VGT_TRAP_NR; c++) {
			char cell[48];

			snprintf(cell, sizeof(cell), "%llu / %llu (%llu)",
				 (unsigned long long)en[i].traps.count[c],
				 (unsigned long long)bare[i].traps.count[c],
				 (unsigned long long)bare[i].traps.rejected[c]);
			printf(" %24s", cell);
		}
		printf("\n");
	}
	printf("\nThe enlightened guests wrote PTEs only inside their slices (0 refused);\n"
	       "the unenlightened ones cleared the whole GGTT, used forcewake and RC6/RPS\n"
	       "and bound objects anywhere: the host refused what lay outside.\n");
	vgt_host_destroy(h);
	free(en);
	free(bare);
	return status;
}

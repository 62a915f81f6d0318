// SPDX-License-Identifier: MIT
/*
 * make run: a host with four vGPUs, their guests run once enlightened (the
 * unchanged i915_vgpu.c) and once as 6.1 runs on bare metal, and the trap
 * counts of the two side by side.
 *
 * Host: 4 GiB GGTT, 512 MiB aperture (GVT-g's default 256 MiB holds only
 * two type "8" vGPUs beside the host's 128 MiB), four type "8" vGPUs.
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
		    const struct vgt_gpu_desc *d, enum workload_mode mode)
{
	pthread_t t[NR_VGPUS];
	unsigned int i;

	for (i = 0; i < NR_VGPUS; i++) {
		w[i] = (struct workload){ .vgpu = v[i], .mode = mode,
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

static void print_partition(struct vgt_vgpu **v, const struct vgt_gpu_desc *d)
{
	unsigned int i;

	printf("== host: GGTT %llu MiB, aperture %llu MiB, %u fences; host keeps "
	       "%llu/%llu MiB and %u fences\n",
	       (unsigned long long)(d->ggtt_size / MIB),
	       (unsigned long long)(d->aperture_size / MIB), d->fences,
	       (unsigned long long)(d->host_aperture / MIB),
	       (unsigned long long)(d->host_hidden / MIB), d->host_fences);
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
}

static void print_balloons(const struct workload *w, unsigned int id)
{
	const struct drm_mm_node *b = w->guest.i915.vgpu.balloon;
	unsigned int i;

	printf("vGPU %u:", id);
	for (i = 0; i < INTEL_VGPU_MAX_BALLOONS; i++)
		if (b[i].size)
			printf(" [%#llx, %#llx)", b[i].start, b[i].start + b[i].size);
	printf("; %u fences; bound %llu MiB in %u objects (%u mappable)\n",
	       w->guest.num_fences, w->bound / MIB, w->objects, w->mappable_objects);
}

static void print_traps(const struct workload *w, unsigned int id, const char *run)
{
	unsigned long long total = 0, refused = 0;
	unsigned int c;

	printf("%-5u %-14s", id, run);
	for (c = 0; c < VGT_TRAP_NR; c++) {
		printf(" %9llu", (unsigned long long)w->traps.count[c]);
		total += w->traps.count[c];
		refused += w->traps.rejected[c];
	}
	printf(" %9llu %9llu %s\n", total, refused,
	       vgt_vgpu_failsafe(w->vgpu) ? "failsafe" : "");
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

	vgt_gpu_desc_default(&d);
	d.aperture_size = 512 * MIB;
	h = vgt_host_create(&d, &err);
	if (!h || !en || !bare || vgt_type_parse("8", &req)) {
		fprintf(stderr, "vgpu-run: cannot create the host\n");
		return 1;
	}
	for (i = 0; i < NR_VGPUS; i++) {
		char msg[128] = "";

		v[i] = vgt_vgpu_create(h, &req, &err, msg, sizeof(msg));
		if (!v[i]) {
			fprintf(stderr, "vgpu-run: %s\n", msg);
			return 1;
		}
	}
	print_partition(v, &d);

	run_all(en, v, &d, WL_ENLIGHTENED);
	printf("\n== balloon layout of each enlightened guest (unchanged i915_vgpu.c)\n");
	for (i = 0; i < NR_VGPUS; i++) {
		print_balloons(&en[i], i + 1);
		if (en[i].probe_err || en[i].pte_refused || en[i].fence_refused ||
		    en[i].pte_mismatch || !en[i].clean_teardown)
			status = 1;
	}
	printf("\n== traps per vGPU and class (each access that reached the host)\n");
	printf("%-5s %-14s", "vGPU", "run");
	for (c = 0; c < VGT_TRAP_NR; c++)
		printf(" %9s", vgt_trap_class_name(c));
	printf(" %9s %9s\n", "total", "refused");
	for (i = 0; i < NR_VGPUS; i++)
		print_traps(&en[i], i + 1, "enlightened");
	run_all(bare, v, &d, WL_BARE_METAL);
	for (i = 0; i < NR_VGPUS; i++)
		print_traps(&bare[i], i + 1, "unenlightened");

	printf("\nEnlightened: PTEs only inside the slices, fences within the quota,\n"
	       "no forcewake/RC6/RPS, nothing refused. Unenlightened (6.1 on bare metal,\n"
	       "GGTT cleared as with the VT-d scanout workaround): forcewake and RC6/RPS\n"
	       "setup, the whole GGTT and all 32 fences written, objects bound anywhere;\n"
	       "the host refused what lay outside the vGPU and put it in failsafe.\n");
	vgt_host_destroy(h);
	free(en);
	free(bare);
	return status;
}

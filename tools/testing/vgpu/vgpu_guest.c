// SPDX-License-Identifier: MIT
/*
 * vgpu-guest: what the unchanged guest code makes of a PVINFO page.
 *
 *   vgpu-guest --pvinfo FILE    load a 4096-byte page into vGPU 1 of a
 *                               default host, run detect, fence setup and
 *                               balloon; print the layout (exit 0) or the
 *                               guest's error line (exit 2)
 *   vgpu-guest --dump-default   write the default host's page of vGPU 1
 *
 * Unusable input (missing file, wrong size, bad usage) exits 1.
 */
#include "workload.h"

#include "i915_pvinfo.h"

static int usage(void)
{
	fprintf(stderr, "usage: vgpu-guest --pvinfo FILE | --dump-default\n");
	return 1;
}

static int load_page(const char *path, u8 *page)
{
	FILE *f = fopen(path, "rb");
	size_t n;
	int extra;

	if (!f) {
		fprintf(stderr, "vgpu-guest: --pvinfo %s: %s\n", path, strerror(errno));
		return -1;
	}
	n = fread(page, 1, VGT_PVINFO_SIZE, f);
	extra = fgetc(f);
	fclose(f);
	if (n != VGT_PVINFO_SIZE || extra != EOF) {
		fprintf(stderr, "vgpu-guest: --pvinfo %s: a PVINFO image is exactly %d bytes\n",
			path, VGT_PVINFO_SIZE);
		return -1;
	}
	return 0;
}

static int run(const char *path, struct vgt_host *h, struct vgt_vgpu *v,
	       const struct vgt_gpu_desc *d)
{
	static u8 page[VGT_PVINFO_SIZE];
	struct workload *w;
	const char *line;
	int ret, i;

	if (load_page(path, page))
		return 1;
	vgt_vgpu_set_pvinfo(v, page);
	w = calloc(1, sizeof(*w));
	if (!w)
		return 1;
	*w = (struct workload){ .vgpu = v, .mode = WL_ENLIGHTENED,
				.aperture = d->aperture_size, .ggtt_total = d->ggtt_size };
	ret = workload_probe(w);
	if (ret) {
		line = strstr(w->guest.i915.drm.log, "error: ");
		printf("%s", line ? line : "error: refused\n");
		ret = 2;
	} else if (!intel_vgpu_active(&w->guest.i915)) {
		printf("error: no PVINFO magic: not a vGPU, the guest would drive bare metal\n");
		ret = 2;
	} else {
		for (i = 0; i < INTEL_VGPU_MAX_BALLOONS; i++) {
			const struct drm_mm_node *b = &w->guest.i915.vgpu.balloon[i];

			if (drm_mm_node_allocated(b))
				printf("balloon [%#llx, %#llx) %llu KiB\n", b->start,
				       b->start + b->size, b->size / 1024);
		}
		printf("fences %u\n", w->guest.i915.vgpu.res.fence_num);
	}
	vgpu_guest_remove(&w->guest);
	free(w);
	(void)h;
	return ret;
}

int main(int argc, char **argv)
{
	static u8 page[VGT_PVINFO_SIZE];
	struct vgt_vgpu_request req;
	struct vgt_gpu_desc d;
	struct vgt_host *h;
	struct vgt_vgpu *v;
	int err, ret;

	if (argc == 2 && !strcmp(argv[1], "--dump-default"))
		ret = 0;
	else if (argc == 3 && !strcmp(argv[1], "--pvinfo"))
		ret = 0;
	else
		return usage();

	vgt_gpu_desc_default(&d);
	h = vgt_host_create(&d, &err);
	vgt_type_parse("8", &req);
	v = h ? vgt_vgpu_create(h, &req, &err, NULL, 0) : NULL;
	if (!v) {
		fprintf(stderr, "vgpu-guest: %s\n", vgt_strerror(err));
		vgt_host_destroy(h);
		return 1;
	}
	if (argc == 2) {
		vgt_vgpu_get_pvinfo(v, page);
		ret = fwrite(page, 1, sizeof(page), stdout) == sizeof(page) ? 0 : 1;
	} else {
		ret = run(argv[2], h, v, &d);
	}
	vgt_host_destroy(h);
	return ret;
}

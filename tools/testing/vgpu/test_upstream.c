// SPDX-License-Identifier: MIT
/*
 * harness:upstream-compare: the same malformed PVINFO pages against our
 * guest (the unchanged i915_vgpu.c) and against a model of 6.1's own vGPU
 * guest (upstream.c), each on a vGPU of a libvgt host whose real assignment
 * is unchanged. Ours refuses the page at probe; the trusting guest goes on
 * and the host's refusals show what it then does. One line per page.
 */
#include "workload.h"

#include "i915_pvinfo.h"

#define MIB VGT_MIB
#define APERTURE (256 * MIB)

#include "vgt_test.h"

struct upstream_case {
	const char *name;
	void (*corrupt)(struct vgt_if *p);
	int ours;
	bool up_refused;	/* 6.1 should then see host refusals */
};

#define M(fn, body) static void fn(struct vgt_if *p) { body; }
M(major0, p->version_major = 0)
M(major2, p->version_major = 2)
M(fence0, p->avail_rs.fence_num = 0)
M(fence33, p->avail_rs.fence_num = 33)
M(map_size0, p->avail_rs.mappable_gmadr.size = 0)
M(map_base_unaligned, p->avail_rs.mappable_gmadr.base += 0x800)
M(hid_size_unaligned, p->avail_rs.nonmappable_gmadr.size += 0x800)
M(hid_wrap, p->avail_rs.nonmappable_gmadr.base = 0xfff00000u;
	   p->avail_rs.nonmappable_gmadr.size = 0x00200000u)
M(map_outside, p->avail_rs.mappable_gmadr.base = APERTURE - 32 * MIB)
M(hid_below_aperture_end, p->avail_rs.nonmappable_gmadr.base = APERTURE - 4096)
#undef M

static const struct upstream_case cases[] = {
	{ "major 0", major0, -EPROTO, true },
	{ "major 2", major2, -EPROTO, false },
	{ "fence_num 0", fence0, -ENODATA, false },
	{ "fence_num 33", fence33, -ERANGE, true },
	{ "mappable size 0", map_size0, -ENODATA, false },
	{ "mappable base +0x800", map_base_unaligned, -EINVAL, false },
	{ "hidden size +0x800", hid_size_unaligned, -EINVAL, false },
	{ "hidden wraps 2^32", hid_wrap, -EOVERFLOW, false },
	{ "mappable outside aperture", map_outside, -ERANGE, false },
	{ "hidden below aperture end", hid_below_aperture_end, -ERANGE, false },
};

static const char *errname(int err)
{
	switch (err) {
	case 0: return "0";
	case -EPROTO: return "-EPROTO";
	case -ENODATA: return "-ENODATA";
	case -ERANGE: return "-ERANGE";
	case -EINVAL: return "-EINVAL";
	case -EOVERFLOW: return "-EOVERFLOW";
	case -ENXIO: return "-ENXIO";
	default: return "?";
	}
}

/* The guest's first error line, without level and newline. */
static void first_error(const struct drm_device *drm, char *buf, size_t len)
{
	const char *e = strstr(drm->log, "error: ");
	size_t n;

	if (!e) {
		snprintf(buf, len, "(no error logged)");
		return;
	}
	e += strlen("error: ");
	n = strcspn(e, "\n");
	snprintf(buf, len, "%.*s", (int)n, e);
}

static void describe_upstream(const struct workload *w, char *buf, size_t len)
{
	const struct upstream61 *u = &w->up;
	size_t off = 0;
	int i;

	if (w->probe_err) {
		char line[160];

		first_error(&w->guest.i915.drm, line, sizeof(line));
		snprintf(buf, len, "refuses too (%s \"%s\")", errname(w->probe_err), line);
		return;
	}
	if (!u->active)
		off += snprintf(buf + off, len - off, "not a vGPU, drives it as bare metal");
	else
		off += snprintf(buf + off, len - off, "balloons");
	for (i = 0; i < 4 && off < len; i++)
		if (u->space[i].size)
			off += snprintf(buf + off, len - off, " [%#llx, %#llx)",
					u->space[i].start, u->space[i].start + u->space[i].size);
	if (off < len)
		off += snprintf(buf + off, len - off, "; %u fences; binds %llu MiB",
				w->guest.num_fences, w->bound / MIB);
	if (off < len && w->pte_refused)
		off += snprintf(buf + off, len - off, ", first outside its slices at %#llx",
				w->first_refused_pte);
	if (off < len)
		snprintf(buf + off, len - off,
			 " -> host rejected %lu of %lu PTEs and %lu fence writes",
			 w->pte_refused, w->pte_writes, w->fence_refused);
}

TEST(upstream_compare, "G-7")
{
	struct vgt_gpu_desc d;
	struct vgt_vgpu_request req;
	struct vgt_host *h;
	struct vgt_vgpu *v;
	struct workload *w = calloc(1, sizeof(*w));
	size_t c;
	int err;

	vgt_gpu_desc_default(&d);
	h = vgt_host_create(&d, &err);
	vgt_type_parse("8", &req);
	v = vgt_vgpu_create(h, &req, &err, NULL, 0);
	for (c = 0; c < ARRAY_SIZE(cases); c++) {
		const struct upstream_case *k = &cases[c];
		char ours[200], up[400];
		struct vgt_if page;
		int ret;

		/* Ours: probe only; a refused page leaves nothing reserved. */
		vgt_vgpu_reset(v);
		vgt_vgpu_get_pvinfo(v, &page);
		k->corrupt(&page);
		vgt_vgpu_set_pvinfo(v, &page);
		*w = (struct workload){ .vgpu = v, .mode = WL_ENLIGHTENED,
					.aperture = d.aperture_size, .ggtt_total = d.ggtt_size };
		ret = workload_probe(w);
		first_error(&w->guest.i915.drm, ours, sizeof(ours));
		CHECK(ret == k->ours && drm_mm_clean(&w->guest.ggtt.vm.mm) &&
		      w->guest.ggtt.vm.reserved == 0,
		      "harness:upstream-compare %s: ours %d, want %d", k->name, ret, k->ours);
		CHECK(vgpu_guest_remove(&w->guest), "teardown");

		/* 6.1: the whole workload on the same page. */
		vgt_vgpu_reset(v);
		vgt_vgpu_set_pvinfo(v, &page);
		*w = (struct workload){ .vgpu = v, .mode = WL_UPSTREAM61,
					.aperture = d.aperture_size, .ggtt_total = d.ggtt_size,
					.object_size = 2 * MIB };
		workload_run(w);
		describe_upstream(w, up, sizeof(up));
		CHECK(w->clean_teardown, "%s: 6.1 model left nodes", k->name);
		if (k->up_refused)
			CHECK(w->pte_refused + w->fence_refused > 0,
			      "harness:upstream-compare %s: the host refused nothing of 6.1",
			      k->name);
		printf("# %s\n#   ours:     %s \"%s\"\n#   upstream: %s\n",
		       k->name, errname(ret), ours, up);
	}
	vgt_host_destroy(h);
	free(w);
}

VGT_TEST_MAIN()

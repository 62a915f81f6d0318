// SPDX-License-Identifier: MIT
/**
 * TEST: vgpu balloon
 * Category: Core
 * Mega feature: General Core features
 * Sub-category: Virtualization
 * Functionality: GGTT ballooning on a PVINFO vGPU
 * Feature: gtt, mappable, fences, vgpu
 * Description: Ballooning as a GEM user sees it from inside the guest: the
 *   driver keeps to the slices the host published (spec/pvinfo.md), and
 *   the uAPI still works inside them. The published slices come from the
 *   kernel command line (vgpu.expect=), written by the host side of the
 *   test from vgt-hostd's status records, never from the guest's own view.
 *
 * SUBTEST: balloon-layout
 * Description: The driver's log names the published slices and fence
 *   count, and the ranges it ballooned out are exactly the complement of
 *   the slices in the GGTT (G-16, G-17, H-5). Reads both our driver's lines
 *   and upstream 6.1's, so it judges an unmodified guest too.
 *
 * SUBTEST: aperture-query
 * Description: GET_APERTURE reports as aper_size the GGTT the vGPU owns,
 *   its two slices (G-27; upstream 6.1, without our driver's log line, the
 *   whole GGTT), and about the two slices as available (everything else is
 *   ballooned); libdrm's mappable size, from the PCI BAR, is the host's
 *   whole aperture (G-16).
 *
 * SUBTEST: fence-quota
 * Description: I915_PARAM_NUM_FENCES_AVAIL equals the published fence_num
 *   (G-17).
 *
 * SUBTEST: mmap-gtt-slice
 * Description: GTT mmaps of objects that together fill the aperture slice,
 *   written through the aperture and read back through it and with pread
 *   (G-16, H-12).
 *
 * SUBTEST: partial-view
 * Description: An object larger than the aperture slice but smaller than
 *   the BAR is still GTT-mappable (the kernel falls back to partial views);
 *   every page written through the aperture reads back intact (G-16).
 *
 * SUBTEST: mappable-eviction
 * Description: Mapping objects that together need twice the aperture slice
 *   evicts earlier ones instead of failing; all data survives (G-16).
 *
 * SUBTEST: tiled-fences
 * Description: More X-tiled objects than the vGPU has fences, all written
 *   and read back through the aperture: the driver steals fences among its
 *   own and never programs one above the quota (G-17, H-13).
 *
 * SUBTEST: ggtt-addresses
 * Description: With a request in flight, every GGTT address debugfs shows
 *   (ring start, hardware status page) lies inside the slices (G-16, H-12).
 *   Needs execution. Rings and context images are what a Skylake guest
 *   binds in the hidden slice: Linux 6.1 refuses I915_EXEC_SECURE from gen6
 *   on (HAS_SECURE_BATCHES), so no user batch can be placed in the GGTT.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <i915_drm.h>
#include <intel_bufmgr.h>
#include <xf86drm.h>

#include "vgpu_balloon.h"

int balloon_fd = -1;
drm_intel_bufmgr *balloon_bufmgr;

#define MAX_RANGES 16

struct range {
	uint64_t start, end;	/* [start, end) */
};

static bool has_range(const struct range *rs, int n, struct range x)
{
	for (int i = 0; i < n; i++)
		if (rs[i].start == x.start && rs[i].end == x.end)
			return true;
	return false;
}

/*
 * Sort rs and join the ranges that touch, in place; the new count. Sets
 * *overlap if two ranges share an address (a page ballooned twice).
 */
static int coalesce(struct range *rs, int n, bool *overlap)
{
	int i, j, out = 0;

	for (i = 1; i < n; i++)
		for (j = i; j > 0 && rs[j - 1].start > rs[j].start; j--) {
			struct range t = rs[j];

			rs[j] = rs[j - 1];
			rs[j - 1] = t;
		}
	for (i = 0; i < n; i++) {
		if (out && rs[i].start < rs[out - 1].end)
			*overlap = true;
		if (out && rs[i].start <= rs[out - 1].end) {
			if (rs[i].end > rs[out - 1].end)
				rs[out - 1].end = rs[i].end;
		} else {
			rs[out++] = rs[i];
		}
	}
	return out;
}

/* What the driver logged about its vGPU (ours or upstream 6.1's lines). */
struct logged {
	bool ap, hid, fences;
	uint64_t ap_base, ap_size, hid_base, hid_size;
	unsigned int nr_fences;
	struct range balloons[MAX_RANGES];
	int nr_balloons, dropped;
};

static void add_balloon(struct logged *l, uint64_t a, uint64_t b)
{
	if (l->nr_balloons < MAX_RANGES)
		l->balloons[l->nr_balloons++] = (struct range){ a, b };
	else
		l->dropped++;
}

static void parse_log(struct logged *l)
{
	unsigned long long a, b, c, d, kib;
	char *pos = vgpu_dmesg(), *line, *p;
	int level;

	while ((line = vgpu_next_line(&pos, &level))) {
		/* ours: both slices as [base, end) and the fence count */
		if ((p = strstr(line, "vGPU: aperture slice [")) &&
		    sscanf(p, "vGPU: aperture slice [%llx, %llx), hidden slice [%llx, %llx), %u fences",
			   &a, &b, &c, &d, &l->nr_fences) == 5) {
			l->ap_base = a, l->ap_size = b - a;
			l->hid_base = c, l->hid_size = d - c;
			l->ap = l->hid = l->fences = true;
		} else if ((p = strstr(line, "vGPU: ballooned GGTT [")) &&
			   sscanf(p, "vGPU: ballooned GGTT [%llx, %llx)", &a, &b) == 2) {
			add_balloon(l, a, b);
		/* upstream: base, and size in KiB */
		} else if ((p = strstr(line, "Mappable graphic memory: base ")) &&
			   sscanf(p, "Mappable graphic memory: base %llx size %lluKiB",
				  &a, &kib) == 2) {
			l->ap_base = a, l->ap_size = kib * KiB, l->ap = true;
		} else if ((p = strstr(line, "Unmappable graphic memory: base ")) &&
			   sscanf(p, "Unmappable graphic memory: base %llx size %lluKiB",
				  &a, &kib) == 2) {
			l->hid_base = a, l->hid_size = kib * KiB, l->hid = true;
		} else if ((p = strstr(line, "balloon space: range [")) &&
			   (p == line || p[-1] == ' ') &&
			   sscanf(p, "balloon space: range [ %llx - %llx ]", &a, &b) == 2) {
			/*
			 * vgt_balloon_space() logs size = end - start, so its
			 * end is exclusive too. p[-1] keeps "deballoon" out.
			 */
			add_balloon(l, a, b);
		}
	}
}

static void check_slice(const char *name, bool have, uint64_t base,
			uint64_t size, uint64_t ebase, uint64_t esize)
{
	if (!vgpu_check(have, "no %s slice line in dmesg", name))
		return;
	vgpu_info("%s slice in dmesg: base %#" PRIx64 " size %#" PRIx64, name, base, size);
	vgpu_check(base == ebase && size == esize,
		   "%s slice: published base %#" PRIx64 " size %#" PRIx64
		   ", the driver has base %#" PRIx64 " size %#" PRIx64,
		   name, ebase, esize, base, size);
}

static void balloon_layout(void)
{
	const struct vgpu_expect *e = vgpu_require_slices();
	const uint64_t edges[4][2] = {
		{ 0, e->apbase },
		{ e->apbase + e->apsize, e->aperture },
		{ e->aperture, e->hidbase },
		{ e->hidbase + e->hidsize, e->ggtt },
	};
	struct logged l = { 0 };
	struct range want[4];
	int nwant = 0, nhave, i;
	bool overlap = false;

	parse_log(&l);
	check_slice("aperture", l.ap, l.ap_base, l.ap_size, e->apbase, e->apsize);
	check_slice("hidden", l.hid, l.hid_base, l.hid_size, e->hidbase, e->hidsize);
	/* Upstream 6.1 does not log its fence count; fence-quota checks it. */
	if (l.fences)
		vgpu_check(l.nr_fences == e->fences,
			   "fences in dmesg: published %" PRIu64 ", the driver has %u",
			   e->fences, l.nr_fences);
	vgpu_check(!l.dropped, "more than %d balloons in dmesg", MAX_RANGES);
	for (i = 0; i < l.nr_balloons; i++)
		vgpu_info("balloon %d: [%#" PRIx64 ", %#" PRIx64 ")", i,
			  l.balloons[i].start, l.balloons[i].end);

	/*
	 * The driver must reserve exactly the complement of the slices, each
	 * page once. How it cuts the complement into balloons is its own
	 * business: 1.0 splits at the end of the aperture, a 1.1 guest
	 * balloons each hole of the slice table whole.
	 */
	for (i = 0; i < 4; i++)
		if (edges[i][0] < edges[i][1])
			want[nwant++] = (struct range){ edges[i][0], edges[i][1] };
	nwant = coalesce(want, nwant, &overlap);
	nhave = coalesce(l.balloons, l.nr_balloons, &overlap);
	vgpu_check(!overlap, "a GGTT range is ballooned twice");
	for (i = 0; i < nwant; i++)
		vgpu_check(has_range(l.balloons, nhave, want[i]),
			   "balloon [%#" PRIx64 ", %#" PRIx64 ") expected, not in dmesg",
			   want[i].start, want[i].end);
	for (i = 0; i < nhave; i++)
		vgpu_check(has_range(want, nwant, l.balloons[i]),
			   "balloon [%#" PRIx64 ", %#" PRIx64 ") in dmesg, not expected",
			   l.balloons[i].start, l.balloons[i].end);
}

static void aperture_query(void)
{
	const struct vgpu_expect *e = vgpu_require_slices();
	struct drm_i915_gem_get_aperture ap = { 0 };
	uint64_t own = e->apsize + e->hidsize, slack = 8 * MiB, want;
	size_t mappable = 0, total = 0;
	struct logged l = { 0 };

	/* Only our driver logs the fence count; upstream 6.1 predates G-27. */
	parse_log(&l);
	want = l.fences ? own : e->ggtt;
	vgpu_assert(!drmIoctl(balloon_fd, DRM_IOCTL_I915_GEM_GET_APERTURE, &ap),
		    "DRM_IOCTL_I915_GEM_GET_APERTURE: %s", strerror(errno));
	vgpu_info("aper_size %#llx, aper_available_size %#llx",
		  (unsigned long long)ap.aper_size,
		  (unsigned long long)ap.aper_available_size);
	vgpu_check(ap.aper_size == want, "aper_size: expected %s %#" PRIx64 ", got %#llx",
		   l.fences ? "the GGTT the vGPU owns" : "upstream's whole GGTT", want,
		   (unsigned long long)ap.aper_size);
	/* All but the slices is ballooned; the driver pins a few pages. */
	vgpu_check(ap.aper_available_size <= own && ap.aper_available_size + slack >= own,
		   "aper_available_size: expected %#" PRIx64 " - %#" PRIx64 ", got %#llx",
		   own - slack, own, (unsigned long long)ap.aper_available_size);

	vgpu_assert(!drm_intel_get_aperture_sizes(balloon_fd, &mappable, &total),
		    "drm_intel_get_aperture_sizes: %s", strerror(errno));
	vgpu_info("libdrm_intel: mappable %#zx, total %#zx", mappable, total);
	vgpu_check(mappable == e->aperture, "libdrm mappable (PCI BAR2): expected the "
		   "host's aperture %#" PRIx64 ", got %#zx", e->aperture, mappable);
	vgpu_check(total == ap.aper_size, "libdrm total %#zx != aper_size %#llx",
		   total, (unsigned long long)ap.aper_size);
}

static void fence_quota(void)
{
	const struct vgpu_expect *e = vgpu_require_slices();
	int n = -1;
	drm_i915_getparam_t gp = { .param = I915_PARAM_NUM_FENCES_AVAIL, .value = &n };

	vgpu_assert(!drmIoctl(balloon_fd, DRM_IOCTL_I915_GETPARAM, &gp),
		    "I915_GETPARAM(NUM_FENCES_AVAIL): %s", strerror(errno));
	vgpu_info("NUM_FENCES_AVAIL %d", n);
	vgpu_check(n >= 0 && (uint64_t)n == e->fences,
		   "NUM_FENCES_AVAIL: published %" PRIu64 ", got %d", e->fences, n);
}

static void destroy_bufmgr(void *p)
{
	drm_intel_bufmgr_destroy(p);
}

static void fixture(void)
{
	balloon_fd = vgpu_open_i915();
	balloon_bufmgr = drm_intel_bufmgr_gem_init(balloon_fd, 4096);
	vgpu_assert(balloon_bufmgr, "drm_intel_bufmgr_gem_init failed");
	vgpu_at_end(destroy_bufmgr, balloon_bufmgr);
}

static const struct vgpu_subtest subtests[] = {
	{ "balloon-layout",	"G-16 G-17 H-5",	balloon_layout },
	{ "aperture-query",	"G-16 G-27",		aperture_query },
	{ "fence-quota",	"G-17",			fence_quota },
	{ "mmap-gtt-slice",	"G-16 H-12",		balloon_mmap_gtt_slice },
	{ "partial-view",	"G-16",			balloon_partial_view },
	{ "mappable-eviction",	"G-16",			balloon_mappable_eviction },
	{ "tiled-fences",	"G-17 H-13",		balloon_tiled_fences },
	{ "ggtt-addresses",	"G-16 H-12",		balloon_ggtt_addresses },
	{ "reslice-shrink-grow", "G-23 H-28 H-29",	balloon_reslice_shrink_grow },
	{ "reslice-refused",	"G-23 H-28",		balloon_reslice_refused },
};

int main(int argc, char **argv)
{
	return vgpu_igt_main(argc, argv, subtests, ARRAY_SIZE(subtests), fixture);
}

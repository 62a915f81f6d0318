// SPDX-License-Identifier: MIT
/*
 * The unchanged guest code against PVINFO pages, good and malformed: every
 * validity rule of spec/pvinfo.md section 4 gives its own error and a log
 * line naming the field, and leaves no drm_mm node behind; a good page is
 * ballooned exactly around the published slices.
 *
 * The device here is a plain PVINFO page in memory that records what the
 * guest writes; the host model (libvgt) replaces it in the end-to-end runs.
 */
#include "guest.h"
#include "i915_pvinfo.h"

#define MIB (1ULL << 20)
#define APERTURE (256 * MIB)
#define GGTT_TOTAL (4096 * MIB)
#define GGTT_SMALL (2048 * MIB)	/* a GGTT the hidden slice can overrun */

struct page_dev {
	u8 page[VGT_PVINFO_SIZE];
	unsigned int guest_writes;
};

static u64 page_read(void *ctx, u64 off, unsigned int size)
{
	struct page_dev *d = ctx;
	u64 v = 0;

	if (off < VGT_PVINFO_PAGE || off + size > VGT_PVINFO_PAGE + VGT_PVINFO_SIZE)
		return 0;
	memcpy(&v, d->page + (off - VGT_PVINFO_PAGE), size);	/* x86: LE */
	return v;
}

static int page_write(void *ctx, u64 off, unsigned int size, u64 val)
{
	struct page_dev *d = ctx;

	if (off < VGT_PVINFO_PAGE + 0x800 || off + size > VGT_PVINFO_PAGE + VGT_PVINFO_SIZE)
		return -EPERM;	/* host half and everything else: dropped */
	memcpy(d->page + (off - VGT_PVINFO_PAGE), &val, size);
	d->guest_writes++;
	return 0;
}

static const struct vgpu_backend_ops page_ops = { page_read, page_write };

static struct vgt_if *pv(struct page_dev *d)
{
	return (struct vgt_if *)d->page;
}

/* A type "8" vGPU of a default GVT-g host: host keeps 128 MiB / 384 MiB. */
static void default_page(struct page_dev *d)
{
	memset(d, 0, sizeof(*d));
	pv(d)->magic = VGT_MAGIC;
	pv(d)->version_major = 1;
	pv(d)->version_minor = 0;
	pv(d)->vgt_id = 1;
	pv(d)->vgt_caps = VGT_CAPS_KNOWN_V1_0;
	pv(d)->avail_rs.mappable_gmadr.base = 128 * MIB;
	pv(d)->avail_rs.mappable_gmadr.size = 64 * MIB;
	pv(d)->avail_rs.nonmappable_gmadr.base = APERTURE + 384 * MIB;
	pv(d)->avail_rs.nonmappable_gmadr.size = 384 * MIB;
	pv(d)->avail_rs.fence_num = 4;
	pv(d)->cursor_x_hot = ~0u;
	pv(d)->cursor_y_hot = ~0u;
}

#include "vgt_test.h"

struct malformed {
	const char *name;
	void (*corrupt)(struct vgt_if *p);
	int err;
	const char *logged;	/* the field the log line must name */
};

#define M(fn, body) static void fn(struct vgt_if *p) { body; }
M(major0, p->version_major = 0)
M(major2, p->version_major = 2)
M(fence0, p->avail_rs.fence_num = 0)
M(fence33, p->avail_rs.fence_num = 33)
M(map_size0, p->avail_rs.mappable_gmadr.size = 0)
M(map_base_unaligned, p->avail_rs.mappable_gmadr.base += 0x800)
M(map_size_unaligned, p->avail_rs.mappable_gmadr.size += 1)
M(map_outside, p->avail_rs.mappable_gmadr.base = APERTURE - 32 * MIB)
M(hid_size0, p->avail_rs.nonmappable_gmadr.size = 0)
M(hid_base_unaligned, p->avail_rs.nonmappable_gmadr.base += 4)
M(hid_size_unaligned, p->avail_rs.nonmappable_gmadr.size -= 0x10)
M(hid_wrap, p->avail_rs.nonmappable_gmadr.base = 0xfff00000u;
	   p->avail_rs.nonmappable_gmadr.size = 0x00200000u)
M(hid_below_aperture_end, p->avail_rs.nonmappable_gmadr.base = APERTURE - 4096)
M(hid_mappable_overlap, p->avail_rs.nonmappable_gmadr.base = 128 * MIB)
M(map_wrap, p->avail_rs.mappable_gmadr.base = 0xfffff000u;
	   p->avail_rs.mappable_gmadr.size = 0x2000u)
M(hid_beyond_total, p->avail_rs.nonmappable_gmadr.base = GGTT_SMALL - 256 * MIB)
M(no_full_ppgtt, p->vgt_caps &= ~VGT_CAPS_FULL_PPGTT)
M(no_hwsp, p->vgt_caps &= ~VGT_CAPS_HWSP_EMULATION)
#undef M

static const struct malformed malformed[] = {
	{ "major 0", major0, -EPROTO, "unsupported PVINFO version 0.0" },
	{ "major 2", major2, -EPROTO, "unsupported PVINFO version 2.0" },
	{ "fence_num 0", fence0, -ENODATA, "avail_rs.fence_num 0" },
	{ "fence_num 33", fence33, -ERANGE, "avail_rs.fence_num 0x21" },
	{ "mappable size 0", map_size0, -ENODATA, "avail_rs.mappable_gmadr.size 0" },
	{ "mappable base unaligned", map_base_unaligned, -EINVAL, "avail_rs.mappable_gmadr.base 0x8000800" },
	{ "mappable size unaligned", map_size_unaligned, -EINVAL, "avail_rs.mappable_gmadr.size 0x4000001" },
	{ "mappable outside aperture", map_outside, -ERANGE, "avail_rs.mappable_gmadr.base 0xe000000" },
	{ "hidden size 0", hid_size0, -ENODATA, "avail_rs.nonmappable_gmadr.size 0" },
	{ "hidden base unaligned", hid_base_unaligned, -EINVAL, "avail_rs.nonmappable_gmadr.base 0x28000004" },
	{ "hidden size unaligned", hid_size_unaligned, -EINVAL, "avail_rs.nonmappable_gmadr.size 0x17fffff0" },
	{ "hidden wraps 2^32", hid_wrap, -EOVERFLOW, "avail_rs.nonmappable_gmadr.base 0xfff00000" },
	{ "hidden below aperture end", hid_below_aperture_end, -ERANGE, "avail_rs.nonmappable_gmadr.base 0xffff000" },
	{ "hidden inside aperture", hid_mappable_overlap, -ERANGE, "avail_rs.nonmappable_gmadr.base 0x8000000" },
	{ "mappable wraps 2^32", map_wrap, -EOVERFLOW, "avail_rs.mappable_gmadr.base 0xfffff000 + size 0x2000" },
	{ "hidden beyond GGTT total", hid_beyond_total, -ERANGE, "outside the hidden GGTT [0x10000000, 0x80000000)" },
	{ "caps without FULL_PPGTT", no_full_ppgtt, -ENXIO, "support for isolated ppGTT required" },
	{ "caps without HWSP_EMULATION", no_hwsp, -ENXIO, "support for HWSP emulation required" },
};

TEST(malformed, "G-5 G-6 G-7 G-9 G-11 G-18")
{
	const char *err;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(malformed); i++) {
		const struct malformed *m = &malformed[i];
		struct page_dev dev;
		struct vgpu_guest g;
		int ret;

		default_page(&dev);
		m->corrupt(pv(&dev));
		vgpu_guest_init(&g, &page_ops, &dev, APERTURE,
				m->corrupt == hid_beyond_total ? GGTT_SMALL : GGTT_TOTAL);
		ret = vgpu_guest_probe(&g);
		CHECK(ret == m->err, "harness:pvinfo-malformed %s: got %d, want %d",
		      m->name, ret, m->err);
		CHECK(strstr(g.i915.drm.log, m->logged) && strstr(g.i915.drm.log, "error: "),
		      "harness:pvinfo-malformed %s: log lacks \"%s\": %s",
		      m->name, m->logged, g.i915.drm.log);
		CHECK(drm_mm_clean(&g.ggtt.vm.mm) && g.ggtt.vm.reserved == 0,
		      "harness:pvinfo-malformed %s: %llu bytes still reserved",
		      m->name, g.ggtt.vm.reserved);
		CHECK(vgpu_guest_remove(&g), "%s: teardown left nodes", m->name);
		err = strstr(g.i915.drm.log, "error: ");
		printf("# %-28s -> %d: %.*s\n", m->name, ret,
		       err ? (int)strcspn(err, "\n") : 16, err ? err : "(nothing logged)");
	}
}

TEST(balloon_layout, "G-16 G-18 G-26 G-27")
{
	struct page_dev dev;
	struct vgpu_guest g;
	struct drm_mm_node *n;
	u64 expect[][2] = {
		{ APERTURE, APERTURE + 384 * MIB },		/* host hidden */
		{ APERTURE + 768 * MIB, GGTT_TOTAL },		/* above ours */
		{ 0, 128 * MIB },				/* host aperture */
		{ 192 * MIB, APERTURE },			/* above ours */
	};
	int i, ret, nodes = 0;

	default_page(&dev);
	vgpu_guest_init(&g, &page_ops, &dev, APERTURE, GGTT_TOTAL);
	ret = vgpu_guest_probe(&g);
	CHECK(ret == 0, "harness:balloon-layout: probe %d", ret);
	for (i = 0; i < INTEL_VGPU_MAX_BALLOONS; i++) {
		n = &g.i915.vgpu.balloon[i];
		CHECK(drm_mm_node_allocated(n) && n->start == expect[i][0] &&
		      n->start + n->size == expect[i][1],
		      "harness:balloon-layout: balloon %d [%#llx, %#llx)", i,
		      n->start, n->start + n->size);
	}
	drm_mm_for_each_node(n, &g.ggtt.vm.mm)
		nodes++;
	CHECK(nodes == 4, "harness:balloon-layout: %d nodes", nodes);
	CHECK(vgpu_guest_free_space(&g) == 448 * MIB,
	      "harness:balloon-layout: free %llu MiB, want the 448 MiB of the slices",
	      vgpu_guest_free_space(&g) / MIB);
	CHECK(g.ggtt.vm.reserved == GGTT_TOTAL - 448 * MIB,
	      "harness:balloon-layout: reserved %llu", g.ggtt.vm.reserved);
	/* The pin heuristics' aperture is the 64 MiB slice, not the BAR. */
	CHECK(intel_vgpu_mappable_limit(&g.ggtt) == 64 * MIB,
	      "harness:balloon-layout: mappable limit %llu MiB",
	      intel_vgpu_mappable_limit(&g.ggtt) / MIB);
	/* GET_APERTURE's size: the allocator's free space, not the GGTT. */
	CHECK(vgpu_guest_aper_size(&g) == vgpu_guest_free_space(&g),
	      "harness:balloon-layout: aper_size %llu MiB, free %llu MiB",
	      vgpu_guest_aper_size(&g) / MIB, vgpu_guest_free_space(&g) / MIB);

	/* Deballoon twice: the second is a no-op (spec G-18). */
	intel_vgt_deballoon(&g.ggtt);
	intel_vgt_deballoon(&g.ggtt);
	CHECK(drm_mm_clean(&g.ggtt.vm.mm) && g.ggtt.vm.reserved == 0,
	      "harness:balloon-layout: deballoon left %llu", g.ggtt.vm.reserved);
	CHECK(vgpu_guest_aper_size(&g) == GGTT_TOTAL,
	      "harness:balloon-layout: deballooned aper_size %llu", vgpu_guest_aper_size(&g));
	CHECK(vgpu_guest_remove(&g), "teardown");
}

TEST(not_a_vgpu, "G-1 G-2 G-26 G-27")
{
	struct page_dev dev;
	struct vgpu_guest g;
	int ret;

	default_page(&dev);
	pv(&dev)->magic ^= 1;
	vgpu_guest_init(&g, &page_ops, &dev, APERTURE, GGTT_TOTAL);
	ret = vgpu_guest_probe(&g);
	CHECK(ret == 0 && !intel_vgpu_active(&g.i915),
	      "harness:pvinfo-malformed bad magic: ret %d active %d", ret,
	      intel_vgpu_active(&g.i915));
	CHECK(intel_vgt_balloon(&g.ggtt) == 0 && drm_mm_clean(&g.ggtt.vm.mm),
	      "bare metal must not balloon");
	CHECK(intel_vgpu_mappable_limit(&g.ggtt) == APERTURE,
	      "bare metal: mappable limit %llu, want the whole aperture",
	      intel_vgpu_mappable_limit(&g.ggtt));
	CHECK(vgpu_guest_aper_size(&g) == GGTT_TOTAL,
	      "bare metal: aper_size %llu, want the whole GGTT", vgpu_guest_aper_size(&g));
	CHECK(vgpu_guest_remove(&g), "teardown");

	default_page(&dev);
	vgpu_guest_init(&g, &page_ops, &dev, APERTURE, GGTT_TOTAL);
	g.i915.pdev.fail_iomap = true;
	ret = vgpu_guest_probe(&g);
	CHECK(ret == -ENOMEM && !intel_vgpu_active(&g.i915),
	      "harness:pvinfo-malformed unmappable: ret %d", ret);
	CHECK(vgpu_guest_remove(&g), "teardown");
}

TEST(newer_minor_and_caps, "G-8 G-12")
{
	struct page_dev dev;
	struct vgpu_guest g;
	int ret;

	default_page(&dev);
	pv(&dev)->version_minor = 1;
	pv(&dev)->vgt_caps |= 1u << 20;	/* a bit from a future revision */
	vgpu_guest_init(&g, &page_ops, &dev, APERTURE, GGTT_TOTAL);
	ret = vgpu_guest_probe(&g);
	CHECK(ret == 0 && intel_vgpu_active(&g.i915),
	      "harness:newer-minor: ret %d", ret);
	CHECK(g.i915.vgpu.res.version_minor == 1 &&
	      intel_vgpu_has_full_ppgtt(&g.i915) &&
	      intel_vgpu_has_hwsp_emulation(&g.i915) &&
	      intel_vgpu_has_huge_gtt(&g.i915),
	      "harness:newer-minor: caps %#x", g.i915.vgpu.caps);
	CHECK(vgpu_guest_remove(&g), "teardown");

	default_page(&dev);
	pv(&dev)->vgt_caps = VGT_CAPS_FULL_PPGTT | VGT_CAPS_HWSP_EMULATION;
	vgpu_guest_init(&g, &page_ops, &dev, APERTURE, GGTT_TOTAL);
	ret = vgpu_guest_probe(&g);
	CHECK(ret == 0 && !intel_vgpu_has_huge_gtt(&g.i915) && !g.pm.huge_pages,
	      "caps are taken as published: no HUGE_GTT, 4 KiB pages");
	CHECK(vgpu_guest_remove(&g), "teardown");
}

TEST(snapshot_and_ready, "G-4 G-14")
{
	struct page_dev dev;
	struct vgpu_guest g;
	int ret;

	default_page(&dev);
	vgpu_guest_init(&g, &page_ops, &dev, APERTURE, GGTT_TOTAL);
	ret = intel_vgpu_detect(&g.i915);
	CHECK(ret == 0, "detect %d", ret);
	/* The host changes its mind after detection: the guest is not fooled. */
	pv(&dev)->avail_rs.fence_num = 0;
	pv(&dev)->avail_rs.mappable_gmadr.base = 0;
	CHECK(intel_vgpu_fence_count(&g.i915, VGPU_GEN9_FENCES) == 4,
	      "fence count must come from the snapshot");
	ret = intel_vgt_balloon(&g.ggtt);
	CHECK(ret == 0 && g.i915.vgpu.balloon[2].size == 128 * MIB,
	      "balloon must use the snapshot: ret %d", ret);

	intel_vgpu_register(&g.i915);
	CHECK(pv(&dev)->display_ready == VGT_DRV_DISPLAY_READY && dev.guest_writes == 1,
	      "harness:display-ready: %u after %u writes", pv(&dev)->display_ready,
	      dev.guest_writes);
	CHECK(vgpu_guest_remove(&g), "teardown");
}

/* A reservation that fails midway: the ranges already made are released. */
TEST(partial_balloon, "G-18")
{
	struct drm_mm_node busy = { .start = 64 * MIB, .size = 4096 };
	struct page_dev dev;
	struct vgpu_guest g;
	int ret, nodes = 0;
	struct drm_mm_node *n;

	default_page(&dev);
	vgpu_guest_init(&g, &page_ops, &dev, APERTURE, GGTT_TOTAL);
	CHECK(drm_mm_reserve_node(&g.ggtt.vm.mm, &busy) == 0, "pre-reserve");
	ret = vgpu_guest_probe(&g);
	CHECK(ret == -ENOSPC, "harness:balloon-partial: ret %d", ret);
	drm_mm_for_each_node(n, &g.ggtt.vm.mm)
		nodes++;
	CHECK(nodes == 1 && g.ggtt.vm.reserved == 0,
	      "harness:balloon-partial: %d nodes, %llu reserved left", nodes,
	      g.ggtt.vm.reserved);
	CHECK(strstr(g.i915.drm.log, "cannot balloon GGTT [0, 0x8000000)"),
	      "harness:balloon-partial: log %s", g.i915.drm.log);
	drm_mm_remove_node(&busy);
	CHECK(vgpu_guest_remove(&g), "teardown");
}

TEST(two_devices, "G-19")
{
	struct page_dev d1, d2;
	struct vgpu_guest g1, g2;

	default_page(&d1);
	default_page(&d2);
	pv(&d2)->vgt_id = 2;
	pv(&d2)->avail_rs.mappable_gmadr.base = 192 * MIB;
	pv(&d2)->avail_rs.nonmappable_gmadr.base = APERTURE + 768 * MIB;
	pv(&d2)->avail_rs.fence_num = 8;
	vgpu_guest_init(&g1, &page_ops, &d1, APERTURE, GGTT_TOTAL);
	vgpu_guest_init(&g2, &page_ops, &d2, APERTURE, GGTT_TOTAL);
	CHECK(vgpu_guest_probe(&g1) == 0 && vgpu_guest_probe(&g2) == 0, "probe");
	CHECK(g1.i915.vgpu.res.id == 1 && g2.i915.vgpu.res.id == 2 &&
	      intel_vgpu_fence_count(&g1.i915, 32) == 4 &&
	      intel_vgpu_fence_count(&g2.i915, 32) == 8,
	      "harness:two-devices: per-device snapshot");
	CHECK(g1.i915.vgpu.balloon[2].size == 128 * MIB &&
	      g2.i915.vgpu.balloon[2].size == 192 * MIB &&
	      g1.i915.vgpu.balloon[3].start == 192 * MIB &&
	      !drm_mm_node_allocated(&g2.i915.vgpu.balloon[3]),
	      "harness:two-devices: per-device balloons");
	/* Removing one device leaves the other's balloons in place. */
	CHECK(vgpu_guest_remove(&g1), "teardown 1");
	CHECK(drm_mm_node_allocated(&g2.i915.vgpu.balloon[0]) &&
	      vgpu_guest_free_space(&g2) == 448 * MIB,
	      "harness:two-devices: device 2 disturbed");
	CHECK(vgpu_guest_remove(&g2), "teardown 2");
}

/* After every test: the guest code warned about nothing and freed all. */
static void no_warnings_no_leaks(void)
{
	CHECK(vgpu_shim_warnings == 0, "%lu kernel warnings", (unsigned long)vgpu_shim_warnings);
	CHECK(vgpu_shim_live_allocations() == 0, "%ld allocations leaked",
	      vgpu_shim_live_allocations());
}

TEST_FIXTURE(NULL, no_warnings_no_leaks)

VGT_TEST_MAIN()

// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the guest's PVINFO validation. The unchanged
 * drivers/gpu/drm/i915/i915_vgpu.c, as the harness in tools/testing/vgpu/
 * compiles it (real drm_mm, kernel stand-ins), probes a PVINFO page built
 * from the input; an oracle written from spec/pvinfo.md alone (not from
 * the guest code) says what must happen:
 *
 *   magic wrong                  not a vGPU: probe 0, inactive, nothing read
 *                                but the magic (G-1), nothing reserved
 *   page unmappable              -ENOMEM (G-2)
 *   version_major != 1           -EPROTO, nothing read past the version (G-11)
 *   FULL_PPGTT or HWSP missing   -ENXIO (G-9)
 *   F1, F2 on fence_num          -ENODATA, -ERANGE (G-5, G-7)
 *   S1..S5 on the mappable slice, then on the hidden one: -ENODATA,
 *                                -EINVAL, -EINVAL, -EOVERFLOW, -ERANGE
 *   otherwise                    0: fence_num fences, and balloons exactly
 *                                the complement of the slices (G-16)
 *
 * and for every page: a failure logs an error naming the field (G-6) and
 * leaves no drm_mm node or reservation (G-6, G-18); the guest never writes
 * the host half (G-3) and reads each resource word at most once (G-4);
 * teardown is clean, without kernel warnings or leaked allocations.
 *
 * Input: byte 0 picks the GGTT geometry and the unmappable fault; the rest
 * overwrites a valid page from its start (the host half is what matters).
 */
#include "guest.h"
#include "i915_pvinfo.h"

#define MIB (1ULL << 20)
#define PAGE 4096ULL

/* The fields of spec/pvinfo.md chapter 3, by offset: not the ABI header. */
#define OFF_MAGIC 0x00
#define OFF_MAJOR 0x08
#define OFF_MINOR 0x0a
#define OFF_CAPS 0x10
#define OFF_MAP_BASE 0x40
#define OFF_MAP_SIZE 0x44
#define OFF_HID_BASE 0x48
#define OFF_HID_SIZE 0x4c
#define OFF_FENCE_NUM 0x50
#define MAGIC 0x4776544776544776ULL
#define CAP_FULL_PPGTT (1u << 2)
#define CAP_HWSP_EMULATION (1u << 3)
#define HW_FENCES 32

struct page_dev {
	u8 page[4096];
	unsigned int reads[4096];	/* by byte: how often read */
	bool first_read_ok;		/* the first read was the 8-byte magic */
	unsigned int nr_reads, host_half_writes;
};

static u64 page_read(void *ctx, u64 off, unsigned int size)
{
	struct page_dev *d = ctx;
	u64 v = 0, at = off - VGT_PVINFO_PAGE, i;

	if (off < VGT_PVINFO_PAGE || at + size > sizeof(d->page))
		return 0;
	if (!d->nr_reads++)
		d->first_read_ok = at == OFF_MAGIC && size == 8;
	for (i = 0; i < size; i++)
		d->reads[at + i]++;
	memcpy(&v, d->page + at, size);
	return v;
}

static int page_write(void *ctx, u64 off, unsigned int size, u64 val)
{
	struct page_dev *d = ctx;
	u64 at = off - VGT_PVINFO_PAGE;

	if (off < VGT_PVINFO_PAGE || at + size > sizeof(d->page))
		return -EPERM;
	if (at < 0x800) {
		d->host_half_writes++;
		return -EPERM;
	}
	memcpy(d->page + at, &val, size);
	return 0;
}

static const struct vgpu_backend_ops page_ops = { page_read, page_write };

static u32 word(const u8 *p, unsigned int off)
{
	return (u32)p[off] | (u32)p[off + 1] << 8 | (u32)p[off + 2] << 16 |
	       (u32)p[off + 3] << 24;
}

static void put(u8 *p, unsigned int off, u64 v, unsigned int n)
{
	while (n--) {
		p[off++] = (u8)v;
		v >>= 8;
	}
}

/* A valid page of a type "8" vGPU on a 256 MiB aperture, 4 GiB host. */
static void valid_page(u8 *p)
{
	memset(p, 0, 4096);
	put(p, OFF_MAGIC, MAGIC, 8);
	put(p, OFF_MAJOR, 1, 2);
	put(p, OFF_CAPS, 0x1c, 4);
	put(p, OFF_MAP_BASE, 128 * MIB, 4);
	put(p, OFF_MAP_SIZE, 64 * MIB, 4);
	put(p, OFF_HID_BASE, 640 * MIB, 4);
	put(p, OFF_HID_SIZE, 384 * MIB, 4);
	put(p, OFF_FENCE_NUM, 4, 4);
}

/* Rules S1..S5 of one slice against its range [start, end). */
static int slice_rule(u32 base, u32 size, u64 start, u64 end)
{
	if (!size)
		return -ENODATA;
	if (base % PAGE || size % PAGE)
		return -EINVAL;
	if ((u64)base + size > (1ULL << 32))
		return -EOVERFLOW;
	if (base < start || (u64)base + size > end)
		return -ERANGE;
	return 0;
}

/* What spec/pvinfo.md says the probe returns; *field names the culprit. */
static int expected(const u8 *p, u64 aperture, u64 total, bool unmappable,
		    const char **field)
{
	u32 caps = word(p, OFF_CAPS), fences = word(p, OFF_FENCE_NUM);
	u64 magic = (u64)word(p, 4) << 32 | word(p, 0);
	int err;

	*field = NULL;
	if (unmappable)
		return -ENOMEM;
	if (magic != MAGIC)
		return 1;	/* not a vGPU */
	if ((p[OFF_MAJOR] | p[OFF_MAJOR + 1] << 8) != 1) {
		*field = "unsupported PVINFO version";
		return -EPROTO;
	}
	if (!(caps & CAP_FULL_PPGTT) || !(caps & CAP_HWSP_EMULATION))
		return -ENXIO;
	*field = "avail_rs.fence_num";
	if (!fences)
		return -ENODATA;
	if (fences > HW_FENCES)
		return -ERANGE;
	*field = "avail_rs.mappable_gmadr";
	err = slice_rule(word(p, OFF_MAP_BASE), word(p, OFF_MAP_SIZE), 0, aperture);
	if (err)
		return err;
	*field = "avail_rs.nonmappable_gmadr";
	err = slice_rule(word(p, OFF_HID_BASE), word(p, OFF_HID_SIZE), aperture, total);
	if (err)
		return err;
	*field = NULL;
	return 0;
}

static void fail(const char *what, int got, int want, const char *log)
{
	fprintf(stderr, "fuzz_pvinfo: %s (probe %d, spec %d)\nguest log:\n%s\n", what, got,
		want, log);
	abort();
}

/* The balloons of a valid page: exactly the complement of the slices. */
static void check_balloons(struct vgpu_guest *g, const u8 *p, u64 aperture, u64 total)
{
	u64 mb = word(p, OFF_MAP_BASE), me = mb + word(p, OFF_MAP_SIZE);
	u64 hb = word(p, OFF_HID_BASE), he = hb + word(p, OFF_HID_SIZE);
	u64 want[4][2] = { { aperture, hb }, { he, total }, { 0, mb }, { me, aperture } };
	u64 reserved = 0;
	struct drm_mm_node *n;
	unsigned int i, nodes = 0, want_nodes = 0;

	for (i = 0; i < 4; i++)
		if (want[i][0] < want[i][1]) {
			want_nodes++;
			reserved += want[i][1] - want[i][0];
		}
	drm_mm_for_each_node(n, &g->ggtt.vm.mm) {
		bool found = false;

		for (i = 0; i < 4; i++)
			found |= n->start == want[i][0] && n->start + n->size == want[i][1];
		if (!found)
			fail("a balloon that is not a complement range", 0, 0, g->i915.drm.log);
		nodes++;
	}
	if (nodes != want_nodes || g->ggtt.vm.reserved != reserved)
		fail("balloons do not cover exactly the complement", 0, 0, g->i915.drm.log);
	if (vgpu_guest_free_space(g) != total - reserved)
		fail("free space is not the slices", 0, 0, g->i915.drm.log);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static const u64 apertures[4] = { 256 * MIB, 512 * MIB, 128 * MIB, 4096 * MIB - PAGE };
	static const u64 totals[2] = { 4096 * MIB, 2048 * MIB };
	static struct page_dev dev;
	struct vgpu_guest g;
	const char *field;
	u64 aperture, total;
	bool unmappable;
	unsigned int off;
	int ret, want;

	if (size < 1)
		return 0;
	aperture = apertures[data[0] & 3];
	total = totals[(data[0] >> 2) & 1];
	if (aperture >= total)
		aperture = total / 2;
	unmappable = (data[0] & 0xf0) == 0xf0;
	memset(&dev, 0, sizeof(dev));
	valid_page(dev.page);
	memcpy(dev.page, data + 1, size - 1 < sizeof(dev.page) ? size - 1 : sizeof(dev.page));

	want = expected(dev.page, aperture, total, unmappable, &field);
	vgpu_guest_init(&g, &page_ops, &dev, aperture, total);
	g.i915.pdev.fail_iomap = unmappable;
	ret = vgpu_guest_probe(&g);

	if (want == 1) {
		if (ret || intel_vgpu_active(&g.i915))
			fail("not a vGPU, yet probed as one or failed", ret, 0, g.i915.drm.log);
		if (dev.nr_reads != 1 || !dev.first_read_ok)
			fail("read more than the 64-bit magic of a non-vGPU (G-1)", ret, 0,
			     g.i915.drm.log);
	} else if (ret != want) {
		fail("probe result differs from the spec", ret, want, g.i915.drm.log);
	}
	if (dev.nr_reads && !dev.first_read_ok)
		fail("first read is not the 64-bit magic (G-1)", ret, want, g.i915.drm.log);
	if (want == -EPROTO)
		for (off = OFF_CAPS; off < 0x800; off++)
			if (dev.reads[off])
				fail("read a field after an unsupported version (G-11)", ret, want,
				     g.i915.drm.log);
	for (off = OFF_CAPS; off < OFF_FENCE_NUM + 4; off++)
		if (dev.reads[off] > 1)
			fail("read a PVINFO word twice (G-4)", ret, want, g.i915.drm.log);
	if (dev.host_half_writes)
		fail("wrote the host half (G-3)", ret, want, g.i915.drm.log);
	if (want < 0 && want != -ENOMEM) {
		if (!strstr(g.i915.drm.log, "error: ") ||
		    (field && !strstr(g.i915.drm.log, field)))
			fail("refusal not logged with its field (G-6)", ret, want, g.i915.drm.log);
	}
	if (want < 0 && (!drm_mm_clean(&g.ggtt.vm.mm) || g.ggtt.vm.reserved))
		fail("a refused page left GGTT reserved (G-6)", ret, want, g.i915.drm.log);
	if (want == 0) {
		if (g.num_fences != word(dev.page, OFF_FENCE_NUM))
			fail("fence count is not fence_num", ret, want, g.i915.drm.log);
		check_balloons(&g, dev.page, aperture, total);
	}
	if (!vgpu_guest_remove(&g))
		fail("teardown left drm_mm nodes (G-18)", ret, want, g.i915.drm.log);
	if (vgpu_shim_warnings || vgpu_shim_live_allocations())
		fail("kernel warning or leaked allocation", ret, want, g.i915.drm.log);
	return 0;
}

// SPDX-License-Identifier: MIT
/*
 * vgpu_balloon's subtests through the aperture: objects written and read
 * through GTT mmaps (which the host serves from BAR2 through the vGPU's
 * PTEs, tiled ones through its fences) and checked again with pread, which
 * reads the object's pages without the aperture.
 *
 * Every aperture access is trapped by the emulator (one vfio-user message
 * each under TCG), so the patterns are sparse: a few words per page, each
 * word unique per object and offset, which still catches a page mapped to
 * the wrong frame or not at all.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <i915_drm.h>

#include "vgpu_balloon.h"

#define PAGE		4096u
#define CHUNK		(1 * MiB)	/* pread granule */

/* Unique per (object, byte offset): the object in the top 16 bits. */
static uint64_t pattern(uint64_t salt, unsigned int obj, uint64_t off)
{
	return salt ^ ((uint64_t)obj << 48) ^ off;
}

/* Which words of an object a pass touches. */
struct sampling {
	unsigned int offs[4], nr;	/* byte offsets in each page */
	unsigned int step;		/* every step-th page */
	bool stagger;			/* shift offsets by 8 bytes a page */
};

static uint64_t sample_off(const struct sampling *s, uint64_t pg, unsigned int i)
{
	unsigned int off = s->offs[i];

	if (s->stagger)
		off = (off + (unsigned int)(pg % (PAGE / 8)) * 8) % PAGE;
	return pg * PAGE + off;
}

struct verify {
	const char *how;
	uint64_t words, bad;
};

static void compare(struct verify *v, unsigned int obj, uint64_t off,
		    uint64_t want, uint64_t got)
{
	v->words++;
	if (got == want || v->bad++)
		return;
	vgpu_fail("%s: object %u offset %#" PRIx64 ": expected %#" PRIx64
		   ", got %#" PRIx64, v->how, obj, off, want, got);
}

static void report(const struct verify *v)
{
	vgpu_info("%s: %" PRIu64 " words checked, %" PRIu64 " wrong", v->how,
		  v->words, v->bad);
	vgpu_check(!v->bad, "%s: %" PRIu64 " of %" PRIu64 " words wrong", v->how,
		   v->bad, v->words);
}

static void unreference(void *bo)
{
	drm_intel_bo_unreference(bo);
}

drm_intel_bo *balloon_bo(const char *name, uint64_t size)
{
	drm_intel_bo *bo = drm_intel_bo_alloc(balloon_bufmgr, name, size, PAGE);

	vgpu_assert(bo, "drm_intel_bo_alloc(%s, %#" PRIx64 " bytes) failed", name, size);
	vgpu_at_end(unreference, bo);
	return bo;
}

static volatile uint64_t *gtt_map(drm_intel_bo *bo)
{
	int ret = drm_intel_gem_bo_map_gtt(bo);

	vgpu_assert(!ret, "drm_intel_gem_bo_map_gtt(handle %d, %#lx bytes): %s",
		    bo->handle, bo->size, strerror(-ret));
	return bo->virtual;
}

static void gtt_write(drm_intel_bo *bo, unsigned int obj, uint64_t salt,
		      const struct sampling *s)
{
	volatile uint64_t *map = gtt_map(bo);

	for (uint64_t pg = 0; pg < bo->size / PAGE; pg += s->step)
		for (unsigned int i = 0; i < s->nr; i++) {
			uint64_t off = sample_off(s, pg, i);

			map[off / 8] = pattern(salt, obj, off);
		}
}

static void gtt_read(struct verify *v, drm_intel_bo *bo, unsigned int obj,
		     uint64_t salt, const struct sampling *s)
{
	volatile uint64_t *map = gtt_map(bo);

	for (uint64_t pg = 0; pg < bo->size / PAGE; pg += s->step)
		for (unsigned int i = 0; i < s->nr; i++) {
			uint64_t off = sample_off(s, pg, i);

			compare(v, obj, off, pattern(salt, obj, off), map[off / 8]);
		}
}

/* A pread buffer of CHUNK bytes, freed when the subtest ends. */
static uint64_t *chunk_buf(void)
{
	uint64_t *buf = malloc(CHUNK);

	vgpu_assert(buf, "malloc(%" PRIu64 "): %s", CHUNK, strerror(errno));
	vgpu_at_end(free, buf);
	return buf;
}

/* The same words, read from the object's pages with pread (no aperture). */
static void pread_check(struct verify *v, drm_intel_bo *bo, unsigned int obj,
			uint64_t salt, const struct sampling *s, uint64_t *buf)
{
	int ret;

	for (uint64_t base = 0; base < bo->size; base += CHUNK) {
		uint64_t len = bo->size - base < CHUNK ? bo->size - base : CHUNK;

		ret = drm_intel_bo_get_subdata(bo, base, len, buf);
		vgpu_assert(!ret, "pread(handle %d, %#" PRIx64 "+%#" PRIx64 "): %s",
			    bo->handle, base, len, strerror(-ret));
		for (uint64_t pg = base / PAGE; pg < (base + len) / PAGE; pg++) {
			if (pg % s->step)
				continue;
			for (unsigned int i = 0; i < s->nr; i++) {
				uint64_t off = sample_off(s, pg, i);

				compare(v, obj, off, pattern(salt, obj, off),
					buf[(off - base) / 8]);
			}
		}
	}
}

/*
 * @n objects of @size bytes: each written through its GTT mmap (the words
 * @w samples), then all read back through the aperture (@r), then all
 * checked with pread (@w). Objects are released when the subtest ends.
 */
static void round_trip(const char *name, unsigned int n, uint64_t size, uint64_t salt,
		       const struct sampling *w, const struct sampling *r)
{
	struct verify gtt = { .how = "read back through the aperture" };
	struct verify cpu = { .how = "read back with pread" };
	drm_intel_bo **bos = calloc(n, sizeof(*bos));
	uint64_t *buf;
	unsigned int i;

	vgpu_assert(bos, "calloc: %s", strerror(errno));
	vgpu_at_end(free, bos);
	for (i = 0; i < n; i++) {
		bos[i] = balloon_bo(name, size);
		gtt_write(bos[i], i, salt, w);
	}
	/* In creation order: the first may have been evicted meanwhile. */
	for (i = 0; i < n; i++)
		gtt_read(&gtt, bos[i], i, salt, r);
	buf = chunk_buf();
	for (i = 0; i < n; i++)
		pread_check(&cpu, bos[i], i, salt, w, buf);
	report(&gtt);
	report(&cpu);
}

/* Two words a page: the first and the last. */
static const struct sampling page_ends = { { 0, PAGE - 8 }, 2, 1, false };

void balloon_gtt_fill(drm_intel_bo *bo, unsigned int obj, uint64_t salt)
{
	gtt_write(bo, obj, salt, &page_ends);
}

void balloon_gtt_verify(drm_intel_bo *const *bos, unsigned int n, uint64_t salt,
			const char *when)
{
	char how_gtt[128], how_cpu[128];
	struct verify gtt = { .how = how_gtt }, cpu = { .how = how_cpu };
	unsigned int i;

	snprintf(how_gtt, sizeof(how_gtt), "%s, read back through the aperture", when);
	snprintf(how_cpu, sizeof(how_cpu), "%s, read back with pread", when);
	for (i = 0; i < n; i++)
		gtt_read(&gtt, bos[i], i, salt, &page_ends);
	uint64_t *buf = chunk_buf();

	for (i = 0; i < n; i++)
		pread_check(&cpu, bos[i], i, salt, &page_ends, buf);
	report(&gtt);
	report(&cpu);
}

void balloon_mmap_gtt_slice(void)
{
	const struct vgpu_expect *e = vgpu_require_slices();
	const uint64_t size = 4 * MiB;
	unsigned int n = (unsigned int)(e->apsize / size);

	vgpu_require(n, "the aperture slice (%#" PRIx64 ") is below %" PRIu64 " MiB",
		     e->apsize, size / MiB);
	vgpu_info("%u objects of %" PRIu64 " MiB: the whole aperture slice", n, size / MiB);
	round_trip("slice", n, size, 0x5a5a5a5a5a5a5a5aull, &page_ends, &page_ends);
}

void balloon_partial_view(void)
{
	const struct vgpu_expect *e = vgpu_require_slices();
	const struct sampling every = { { 0 }, 1, 1, true };
	const struct sampling some = { { 0 }, 1, 16, true };
	uint64_t size = (e->apsize + e->apsize / 2 + MiB - 1) / MiB * MiB;

	vgpu_require(size < e->aperture, "1.5 x the aperture slice (%#" PRIx64
		     ") does not fit the BAR (%#" PRIx64 ")", size, e->aperture);
	vgpu_info("one object of %#" PRIx64 " bytes: the slice is %#" PRIx64
		  ", the BAR %#" PRIx64, size, e->apsize, e->aperture);
	round_trip("partial", 1, size, 0x3c3c3c3c3c3c3c3cull, &every, &some);
}

void balloon_mappable_eviction(void)
{
	const struct vgpu_expect *e = vgpu_require_slices();
	/* Every 4th page: what is checked is the eviction, not each page. */
	const struct sampling s = { { 0 }, 1, 4, true };
	uint64_t size = e->apsize / 2 / MiB * MiB;

	vgpu_require(size, "the aperture slice (%#" PRIx64 ") is below 2 MiB", e->apsize);
	vgpu_info("4 objects of %#" PRIx64 " bytes: twice the aperture slice", size);
	round_trip("evict", 4, size, 0xa5a5a5a5a5a5a5a5ull, &s, &s);
}

void balloon_tiled_fences(void)
{
	const struct vgpu_expect *e = vgpu_require_slices();
	const struct sampling s = { { 0, 8, PAGE / 2, PAGE - 8 }, 4, 1, false };
	const uint64_t size = 1 * MiB, salt = 0xc3c3c3c3c3c3c3c3ull;
	struct verify gtt = { .how = "read back through the fenced aperture" };
	unsigned int n = (unsigned int)e->fences + 4, i;
	drm_intel_bo **bos;

	vgpu_info("%u X-tiled objects, %" PRIu64 " fences", n, e->fences);
	bos = calloc(n, sizeof(*bos));
	vgpu_assert(bos, "calloc: %s", strerror(errno));
	vgpu_at_end(free, bos);
	for (i = 0; i < n; i++) {
		uint32_t tiling = I915_TILING_X, swizzle = 0;
		int ret;

		bos[i] = balloon_bo("tiled", size);
		ret = drm_intel_bo_set_tiling(bos[i], &tiling, 4096);
		vgpu_assert(!ret && tiling == I915_TILING_X,
			    "set_tiling(X, stride 4096): %s, tiling %u",
			    strerror(-ret), tiling);
		ret = drm_intel_bo_get_tiling(bos[i], &tiling, &swizzle);
		vgpu_assert(!ret && tiling == I915_TILING_X,
			    "get_tiling: %s, tiling %u", strerror(-ret), tiling);
		if (!i)
			vgpu_info("bit-6 swizzle mode %u", swizzle);
		gtt_write(bos[i], i, salt, &s);
	}
	/* The same mappings again: each object needs a fence once more. */
	for (i = 0; i < n; i++)
		gtt_read(&gtt, bos[i], i, salt, &s);
	report(&gtt);
}

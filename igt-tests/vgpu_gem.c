// SPDX-License-Identifier: MIT
/*
 * vgpu_check's GEM checks: what the aperture and fence queries report, and
 * objects written and read back through GTT mmaps, which the host serves
 * from the aperture BAR through the vGPU's PTEs, tiled ones through fences.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vgpu_check.h"

/* ---- queries: aperture, fences ----------------------------------------- */

void t_aperture(struct res *r)
{
	struct drm_i915_gem_get_aperture ap = { 0 };
	uint64_t own = cfg.apsize + cfg.hidsize, slack = 8 * MiB;
	unsigned long long size, avail;
	int fd;

	if (!need_expect(r) || (fd = open_card(r)) < 0)
		return;
	if (xioctl(fd, DRM_IOCTL_I915_GEM_GET_APERTURE, &ap)) {
		fail(r, "DRM_IOCTL_I915_GEM_GET_APERTURE: %s", strerror(errno));
		goto out;
	}
	size = ap.aper_size;
	avail = ap.aper_available_size;
	kv(r, "aper_size=%#llx aper_available_size=%#llx", size, avail);
	if (size != cfg.ggtt)
		fail(r, "aper_size: expected %#" PRIx64 ", got %#llx", cfg.ggtt, size);
	/* All but the slices is ballooned; the driver pins a few pages. */
	if (avail > own || avail + slack < own)
		fail(r, "aper_available_size: expected %#" PRIx64 " - %#" PRIx64
		     ", got %#llx", own > slack ? own - slack : 0, own, avail);
out:
	close(fd);
}

void t_fences(struct res *r)
{
	int fd, n = -1;
	drm_i915_getparam_t gp = {
		.param = I915_PARAM_NUM_FENCES_AVAIL, .value = &n,
	};

	if (!need_expect(r) || (fd = open_card(r)) < 0)
		return;
	if (xioctl(fd, DRM_IOCTL_I915_GETPARAM, &gp)) {
		fail(r, "DRM_IOCTL_I915_GETPARAM(NUM_FENCES_AVAIL): %s",
		     strerror(errno));
	} else {
		kv(r, "fences=%d", n);
		if (n < 0 || (uint64_t)n != cfg.fences)
			fail(r, "I915_PARAM_NUM_FENCES_AVAIL: expected %" PRIu64
			     ", got %d", cfg.fences, n);
	}
	close(fd);
}

/* ---- GEM objects through GTT mmaps: mmap-gtt, tiling-fences ----------- */

struct gobj {
	uint32_t handle;
	uint64_t offset;		/* fake offset of the GTT mapping */
	volatile uint64_t *map;
};

/*
 * Each access is trapped by the emulator, so only a few words per page get
 * a pattern: the first two, one in the middle, the last.
 */
static const unsigned int pat_off[] = { 0, 8, 2048, 4088 };

/* Unique per (object, page, offset): the three fields do not overlap. */
static uint64_t pattern(uint64_t salt, unsigned int obj, unsigned int page,
			unsigned int off)
{
	return ((uint64_t)obj << 48) ^ ((uint64_t)page << 16) ^ off ^ salt;
}

struct verify {
	uint64_t words, mismatches;
	unsigned int obj, page, off;	/* of the first mismatch */
	uint64_t expected, got;
};

/* A GTT fault the driver cannot serve is a SIGBUS: make it a failure. */
static sigjmp_buf bus_jmp;
static volatile sig_atomic_t bus_armed;
static volatile unsigned int bus_page;

static void on_sigbus(int sig)
{
	if (bus_armed)
		siglongjmp(bus_jmp, 1);
	signal(sig, SIG_DFL);
	raise(sig);
}

void gem_catch_sigbus(void)
{
	struct sigaction sa = { .sa_handler = on_sigbus };

	sigaction(SIGBUS, &sa, NULL);
}

static void pattern_pages(volatile uint64_t *map, size_t size,
			  unsigned int idx, uint64_t salt, struct verify *v)
{
	for (unsigned int pg = 0; pg < size / PAGE_SZ; pg++) {
		bus_page = pg;
		for (unsigned int i = 0; i < ARRAY_SIZE(pat_off); i++) {
			volatile uint64_t *w = map + (pg * PAGE_SZ + pat_off[i]) / 8;
			uint64_t want = pattern(salt, idx, pg, pat_off[i]), got;

			if (!v) {
				*w = want;
				continue;
			}
			got = *w;
			v->words++;
			if (got != want && !v->mismatches++)
				*v = (struct verify){ v->words, 1, idx, pg,
						      pat_off[i], want, got };
		}
	}
}

/* Write (v == NULL) or check the pattern of one mapped object. */
static int access_obj(struct res *r, struct gobj *o, size_t size,
		      unsigned int idx, uint64_t salt, struct verify *v)
{
	if (sigsetjmp(bus_jmp, 1)) {
		bus_armed = 0;
		fail(r, "SIGBUS %s object %u page %u through its GTT mmap",
		     v ? "reading" : "writing", idx, bus_page);
		return -1;
	}
	bus_armed = 1;
	pattern_pages(o->map, size, idx, salt, v);
	bus_armed = 0;
	return 0;
}

static int gobj_map(struct res *r, int fd, struct gobj *o, size_t size)
{
	struct drm_i915_gem_mmap_gtt m = { .handle = o->handle };
	void *p;

	if (!o->offset) {
		if (xioctl(fd, DRM_IOCTL_I915_GEM_MMAP_GTT, &m)) {
			fail(r, "DRM_IOCTL_I915_GEM_MMAP_GTT: %s", strerror(errno));
			return -1;
		}
		o->offset = m.offset;
	}
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		 (off_t)o->offset);
	if (p == MAP_FAILED) {
		fail(r, "mmap(%s, offset %#" PRIx64 "): %s", CARD, o->offset,
		     strerror(errno));
		return -1;
	}
	o->map = p;
	return 0;
}

static int set_tiling_x(struct res *r, int fd, uint32_t handle)
{
	struct drm_i915_gem_set_tiling st = {
		.handle = handle, .tiling_mode = I915_TILING_X, .stride = 4096,
	};
	struct drm_i915_gem_get_tiling gt = { .handle = handle };
	const char *call = "SET_TILING";

	/* errno tells a failed call from a call that returned the wrong mode. */
	errno = 0;
	if (xioctl(fd, DRM_IOCTL_I915_GEM_SET_TILING, &st) ||
	    st.tiling_mode != I915_TILING_X ||
	    (call = "GET_TILING", xioctl(fd, DRM_IOCTL_I915_GEM_GET_TILING, &gt)) ||
	    gt.tiling_mode != I915_TILING_X) {
		if (errno)
			fail(r, "DRM_IOCTL_I915_GEM_%s: %s", call, strerror(errno));
		else
			fail(r, "%s: expected tiling X (%d), got %u", call,
			     I915_TILING_X, *call == 'S' ? st.tiling_mode :
			     gt.tiling_mode);
		return -1;
	}
	return 0;
}

/*
 * Create @n objects of @size, optionally X-tiled, write the sparse pattern
 * into all of them through GTT mmaps, then read it all back. With @remap
 * every mapping is dropped and made again before reading, so the reads
 * fault in through the aperture anew; without it the same mappings are
 * read, which with more tiled objects than fences makes the driver steal
 * a fence on each object again.
 */
static void gem_pattern(struct res *r, unsigned int n, size_t size,
			bool tiled, bool remap, uint64_t salt)
{
	struct verify v = { 0 };
	struct gobj *objs;
	unsigned int i;
	int fd;

	if ((fd = open_card(r)) < 0)
		return;
	objs = calloc(n, sizeof(*objs));
	if (!objs) {
		fail(r, "calloc(%u objects): %s", n, strerror(errno));
		goto out_fd;
	}
	for (i = 0; i < n; i++) {
		struct drm_i915_gem_create c = { .size = size };

		if (xioctl(fd, DRM_IOCTL_I915_GEM_CREATE, &c)) {
			fail(r, "DRM_IOCTL_I915_GEM_CREATE(object %u, %zu bytes): %s",
			     i, size, strerror(errno));
			goto out;
		}
		objs[i].handle = c.handle;
		if ((tiled && set_tiling_x(r, fd, c.handle)) ||
		    gobj_map(r, fd, &objs[i], size) ||
		    access_obj(r, &objs[i], size, i, salt, NULL))
			goto out;
	}
	for (i = 0; remap && i < n; i++) {
		munmap((void *)objs[i].map, size);
		objs[i].map = NULL;
	}
	for (i = 0; i < n; i++)
		if ((remap && gobj_map(r, fd, &objs[i], size)) ||
		    access_obj(r, &objs[i], size, i, salt, &v))
			goto out;
	kv(r, "words=%" PRIu64 " mismatches=%" PRIu64, v.words, v.mismatches);
	if (v.mismatches) {
		kv(r, "first_obj=%u first_page=%u first_off=%u first_expected=%#"
		   PRIx64 " first_got=%#" PRIx64, v.obj, v.page, v.off,
		   v.expected, v.got);
		fail(r, "%" PRIu64 " of %" PRIu64 " words differ, first: object %u"
		     " page %u offset %u expected %#" PRIx64 " got %#" PRIx64,
		     v.mismatches, v.words, v.obj, v.page, v.off, v.expected, v.got);
	}
out:
	for (i = 0; i < n; i++) {
		struct drm_gem_close c = { .handle = objs[i].handle };

		if (objs[i].map)
			munmap((void *)objs[i].map, size);
		if (c.handle && xioctl(fd, DRM_IOCTL_GEM_CLOSE, &c))
			fail(r, "DRM_IOCTL_GEM_CLOSE(%u): %s", c.handle,
			     strerror(errno));
	}
	free(objs);
out_fd:
	close(fd);
}

void t_mmap_gtt(struct res *r)
{
	const size_t size = 4 * MiB;
	unsigned int n;

	if (!need_expect(r))
		return;
	/* 3/4 of the slice: all of it mapped at once, with room to spare. */
	n = (unsigned int)(cfg.apsize * 3 / 4 / size);
	n = n ? n : 1;
	kv(r, "objects=%u bytes=%#" PRIx64, n, (uint64_t)n * size);
	gem_pattern(r, n, size, false, true, 0x5a5a5a5a5a5a5a5aull);
}

void t_tiling_fences(struct res *r)
{
	unsigned int n;

	if (!need_expect(r))
		return;
	/* More tiled objects than fences: the driver must steal fences. */
	n = (unsigned int)cfg.fences + 4;
	kv(r, "objects=%u fences=%" PRIu64, n, cfg.fences);
	gem_pattern(r, n, 1 * MiB, true, false, 0xc3c3c3c3c3c3c3c3ull);
}


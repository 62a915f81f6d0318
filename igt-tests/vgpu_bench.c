// SPDX-License-Identifier: MIT
/*
 * vgpu_bench - what the aperture and a register trap cost a GEM user on
 * the vGPU (make vm-bench; figures, not tests: nothing here fails on a
 * time, only on wrong data).
 *
 *  gtt-write   1 MiB written through a GTT mmap, once with 64-bit stores
 *              and once with memcpy(), read back with pread
 *  gtt-read    1 MiB written with pwrite, read through a GTT mmap the same
 *              two ways and compared
 *  cpu-write   the same through a write-back CPU mmap (no aperture): the
 *              ceiling the guest's RAM gives
 *  reg-read    DRM_IOCTL_I915_REG_READ of RCS's TIMESTAMP: one ioctl and
 *              one trapped register read each
 *
 * Each prints "BENCH name MB/s" or "BENCH name us/op" lines that make
 * vm-bench collects.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include <i915_drm.h>
#include <xf86drm.h>

#include "vgpu_guest.h"
#include "vgpu_igt.h"

#define SIZE		(1 * MiB)
#define REG_READS	2000
#define RCS_TIMESTAMP	0x2358

static int fd = -1;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint32_t create(void)
{
	struct drm_i915_gem_create c = { .size = SIZE };

	vgpu_assert(!drmIoctl(fd, DRM_IOCTL_I915_GEM_CREATE, &c), "GEM_CREATE: %s",
		    strerror(errno));
	return c.handle;
}

static void destroy(void *handle)
{
	struct drm_gem_close c = { .handle = (uint32_t)(uintptr_t)handle };

	drmIoctl(fd, DRM_IOCTL_GEM_CLOSE, &c);
}

static void unmap(void *p)
{
	munmap(p, SIZE);
}

/* A GTT (aperture) or write-back CPU mapping of the whole object. */
static uint64_t *map(uint32_t handle, bool gtt)
{
	struct drm_i915_gem_mmap_offset o = {
		.handle = handle, .flags = gtt ? I915_MMAP_OFFSET_GTT : I915_MMAP_OFFSET_WB,
	};
	struct drm_i915_gem_set_domain d = {
		.handle = handle,
		.read_domains = gtt ? I915_GEM_DOMAIN_GTT : I915_GEM_DOMAIN_CPU,
		.write_domain = gtt ? I915_GEM_DOMAIN_GTT : I915_GEM_DOMAIN_CPU,
	};
	void *p;

	vgpu_assert(!drmIoctl(fd, DRM_IOCTL_I915_GEM_MMAP_OFFSET, &o), "MMAP_OFFSET: %s",
		    strerror(errno));
	p = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)o.offset);
	vgpu_assert(p != MAP_FAILED, "mmap: %s", strerror(errno));
	vgpu_at_end(unmap, p);
	vgpu_assert(!drmIoctl(fd, DRM_IOCTL_I915_GEM_SET_DOMAIN, &d), "SET_DOMAIN: %s",
		    strerror(errno));
	return p;
}

static void rw(uint32_t handle, void *buf, bool write)
{
	struct drm_i915_gem_pwrite p = {
		.handle = handle, .size = SIZE, .data_ptr = (uintptr_t)buf,
	};

	vgpu_assert(!drmIoctl(fd, write ? DRM_IOCTL_I915_GEM_PWRITE : DRM_IOCTL_I915_GEM_PREAD,
			      &p), "%s: %s", write ? "PWRITE" : "PREAD", strerror(errno));
}

/* A pattern unique per word and per pass. */
static void fill(uint64_t *buf, uint64_t salt)
{
	size_t i;

	for (i = 0; i < SIZE / 8; i++)
		buf[i] = salt ^ (i * 0x9e3779b97f4a7c15ull);
}

static void report(const char *name, double secs)
{
	vgpu_info("BENCH %s %.2f MB/s (%.3f s for %" PRIu64 " KiB, %.2f us per 8 bytes)",
		  name, (double)SIZE / 1e6 / secs, secs, SIZE / KiB, secs * 1e6 / (SIZE / 8));
}

/* Write through the mapping (words or memcpy), check with pread. */
static void write_pass(const char *name, uint32_t handle, uint64_t *dst, bool words,
		       uint64_t salt)
{
	uint64_t *src = malloc(SIZE), *back = malloc(SIZE);
	volatile uint64_t *v = dst;
	double t;
	size_t i;

	vgpu_assert(src && back, "out of memory");
	fill(src, salt);
	t = now();
	if (words)
		for (i = 0; i < SIZE / 8; i++)
			v[i] = src[i];
	else
		memcpy(dst, src, SIZE);
	t = now() - t;
	rw(handle, back, false);
	vgpu_check(!memcmp(src, back, SIZE), "%s: pread differs from what was written", name);
	report(name, t);
	free(src);
	free(back);
}

/* pwrite a pattern, read it through the mapping (words or memcpy). */
static void read_pass(const char *name, uint32_t handle, const uint64_t *from, bool words,
		      uint64_t salt)
{
	uint64_t *src = malloc(SIZE), *got = malloc(SIZE);
	const volatile uint64_t *v = from;
	double t;
	size_t i;

	vgpu_assert(src && got, "out of memory");
	fill(src, salt);
	rw(handle, src, true);
	t = now();
	if (words)
		for (i = 0; i < SIZE / 8; i++)
			got[i] = v[i];
	else
		memcpy(got, from, SIZE);
	t = now() - t;
	vgpu_check(!memcmp(src, got, SIZE), "%s: the mapping differs from what pwrite wrote",
		   name);
	report(name, t);
	free(src);
	free(got);
}

static uint32_t object(void)
{
	uint32_t h = create();

	vgpu_at_end(destroy, (void *)(uintptr_t)h);
	return h;
}

static void t_gtt_write(void)
{
	uint32_t h = object();
	uint64_t *p = map(h, true);

	write_pass("gtt-write-words", h, p, true, 1);
	write_pass("gtt-write-memcpy", h, p, false, 2);
}

static void t_gtt_read(void)
{
	uint32_t h = object();
	uint64_t *p = map(h, true);

	read_pass("gtt-read-words", h, p, true, 3);
	read_pass("gtt-read-memcpy", h, p, false, 4);
}

static void t_cpu_write(void)
{
	uint32_t h = object();
	uint64_t *p = map(h, false);

	write_pass("cpu-write-memcpy", h, p, false, 5);
}

static void t_reg_read(void)
{
	/* One 64-bit read a call (no I915_REG_READ_8B_WA: that is three). */
	struct drm_i915_reg_read r = { .offset = RCS_TIMESTAMP };
	double t = now();
	int i;

	for (i = 0; i < REG_READS; i++)
		vgpu_assert(!drmIoctl(fd, DRM_IOCTL_I915_REG_READ, &r), "REG_READ: %s",
			    strerror(errno));
	t = now() - t;
	vgpu_info("BENCH reg-read %.2f us/op (%d reads in %.3f s)", t * 1e6 / REG_READS,
		  REG_READS, t);
}

static void fixture(void)
{
	fd = vgpu_open_i915();
}

static const struct vgpu_subtest tests[] = {
	{ "gtt-write", "H-15", t_gtt_write },
	{ "gtt-read", "H-15", t_gtt_read },
	{ "cpu-write", "", t_cpu_write },
	{ "reg-read", "", t_reg_read },
};

int main(int argc, char **argv)
{
	return vgpu_igt_main(argc, argv, tests, ARRAY_SIZE(tests), fixture);
}

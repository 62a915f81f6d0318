// SPDX-License-Identifier: MIT
/*
 * vgpu_aperture's probes (vgpu_aperture.h): raw GEM ioctls, so that what
 * is measured is the kernel's behaviour and not a library's caching.
 *
 * Cost model (TCG, vfio-user): every access through a GTT mmap is one
 * trapped message of 40-80 us, so objects are touched one dword a page,
 * written through the aperture and checked with pread, which reads the
 * pages without it. Faults are counted with getrusage(): a GTT fault maps
 * the whole vma it bound (vm_fault_gtt -> remap_io_mapping), so one fault
 * for an object means a whole-object binding and one a MiB means 1 MiB
 * partial views; a fault on a page that was mapped before means its vma
 * was evicted or its fence stolen. The touching loops are not
 * instrumented by ASan: its shadow pages would fault too and be counted.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <i915_drm.h>
#include <xf86drm.h>

#include "vgpu_aperture.h"

#define DWORDS_PER_PAGE	(AP_PAGE / 4)
#define WAIT_NS		(60ll * 1000 * 1000 * 1000)
#define SEARCH_STEP	(4 * MiB)	/* bisection granule of the single-object search */
#define DROP_CACHES	"/sys/kernel/debug/dri/0/i915_gem_drop_caches"
/* DROP_RETIRE | DROP_ACTIVE | DROP_FREED | DROP_IDLE (i915_debugfs.c) */
#define DROP_QUIESCE	0x5c
#define MI_BATCH_BUFFER_END	(0x0au << 23)	/* gen4+ */
#define FENCE_OBJ	(256 * KiB)		/* 64 pages, 8 tile rows of 32 KiB */
#define FENCE_STRIDE	4096u

static uint64_t minflt(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (uint64_t)ru.ru_minflt + (uint64_t)ru.ru_majflt;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void ap_quiesce(void)
{
	static bool warned;
	int fd = open(DROP_CACHES, O_WRONLY | O_CLOEXEC);
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%#x", DROP_QUIESCE);

	if (fd >= 0 && write(fd, buf, (size_t)len) == len) {
		close(fd);
		return;
	}
	if (fd >= 0)
		close(fd);
	/* Without it a freed object may still hold its GGTT range a while. */
	if (!warned)
		vgpu_info("note: %s: %s; freed objects are not flushed", DROP_CACHES,
			  strerror(errno));
	warned = true;
}

static uint32_t gem_create(uint64_t size)
{
	struct drm_i915_gem_create c = { .size = size };

	vgpu_assert(!drmIoctl(ap.fd, DRM_IOCTL_I915_GEM_CREATE, &c),
		    "GEM_CREATE(%#" PRIx64 "): %s", size, strerror(errno));
	return c.handle;
}

static void gem_close(uint32_t handle)
{
	struct drm_gem_close c = { .handle = handle };

	drmIoctl(ap.fd, DRM_IOCTL_GEM_CLOSE, &c);
}

/* A GTT mmap of the object, or NULL with *err set. */
static volatile uint32_t *gtt_mmap(uint32_t handle, uint64_t size, int *err)
{
	struct drm_i915_gem_mmap_gtt arg = { .handle = handle };
	void *p;

	if (drmIoctl(ap.fd, DRM_IOCTL_I915_GEM_MMAP_GTT, &arg)) {
		*err = errno;
		return NULL;
	}
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, ap.fd, (off_t)arg.offset);
	if (p == MAP_FAILED) {
		*err = errno;
		return NULL;
	}
	return p;
}

static uint32_t pattern(uint32_t salt, uint64_t page)
{
	return salt ^ (uint32_t)(page * 0x9e3779b1u);
}

/*
 * A SIGBUS is a GTT fault the kernel could not serve: a finding, so it is
 * caught here (vgpu_igt's own handler would fail the subtest) and the
 * loop that took it reports it.
 */
static sigjmp_buf bus_jmp;
static volatile sig_atomic_t bus_armed;

static void on_sigbus(int sig)
{
	if (bus_armed)
		siglongjmp(bus_jmp, 1);
	signal(sig, SIG_DFL);
	raise(sig);
}

__attribute__((no_sanitize("address")))
static void write_pages(volatile uint32_t *map, uint64_t first, uint64_t end,
			uint64_t step, uint32_t salt)
{
	for (uint64_t pg = first; pg < end; pg += step)
		map[pg * DWORDS_PER_PAGE] = pattern(salt, pg);
}

/* Write then read back one dword of page @pg: the number of misses. */
__attribute__((no_sanitize("address")))
static uint64_t write_read(volatile uint32_t *map, uint64_t pg, uint32_t value)
{
	map[pg * DWORDS_PER_PAGE + 1] = value;
	return map[pg * DWORDS_PER_PAGE + 1] != value;
}

/*
 * write_pages under the SIGBUS guard; *faults (if not NULL) gets the page
 * faults of the loop alone, counted inside the guard so that nothing of
 * the setup (sigaction, ASan's frames) is counted. Return: false on SIGBUS.
 */
static bool touch(volatile uint32_t *map, uint64_t first, uint64_t end,
		  uint64_t step, uint32_t salt, uint64_t *faults)
{
	struct sigaction sa = { .sa_handler = on_sigbus }, old;
	volatile bool ok = true;
	volatile uint64_t f0 = 0, f1 = 0;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, &old);
	if (!sigsetjmp(bus_jmp, 1)) {
		bus_armed = 1;
		f0 = minflt();
		write_pages(map, first, end, step, salt);
		f1 = minflt();
	} else {
		ok = false;
	}
	bus_armed = 0;
	sigaction(SIGBUS, &old, NULL);
	if (faults)
		*faults = f1 - f0;
	return ok;
}

/* The pages' dwords that pread does not find as written. */
static uint64_t pread_verify(uint32_t handle, uint64_t size, uint32_t salt)
{
	const uint64_t chunk = 1 * MiB;
	uint32_t *buf = malloc(chunk);
	uint64_t bad = 0;

	vgpu_assert(buf, "malloc: %s", strerror(errno));
	for (uint64_t base = 0; base < size; base += chunk) {
		uint64_t len = size - base < chunk ? size - base : chunk;
		struct drm_i915_gem_pread p = {
			.handle = handle, .offset = base, .size = len,
			.data_ptr = (uintptr_t)buf,
		};

		if (drmIoctl(ap.fd, DRM_IOCTL_I915_GEM_PREAD, &p)) {
			int err = errno;

			free(buf);
			vgpu_assert(0, "pread(%#" PRIx64 "+%#" PRIx64 "): %s", base, len,
				    strerror(err));
		}
		for (uint64_t off = 0; off < len; off += AP_PAGE)
			bad += buf[off / 4] != pattern(salt, (base + off) / AP_PAGE);
	}
	free(buf);
	return bad;
}

void ap_gtt_object(struct ap_gtt *res, uint64_t size, uint32_t salt)
{
	uint32_t h = gem_create(size);
	volatile uint32_t *map;
	double t0;

	memset(res, 0, sizeof(*res));
	map = gtt_mmap(h, size, &res->err);
	if (map) {
		t0 = now();
		res->sigbus = !touch(map, 0, size / AP_PAGE, 1, salt, &res->faults);
		res->secs = now() - t0;
		munmap((void *)map, size);
		if (!res->sigbus)
			res->bad = pread_verify(h, size, salt);
	}
	gem_close(h);
	ap_quiesce();
}

bool ap_gtt_whole(uint64_t size)
{
	uint32_t h = gem_create(size);
	volatile uint32_t *map;
	uint64_t first = 0, last = 0;
	bool ok = false;
	int err = 0;

	map = gtt_mmap(h, size, &err);
	vgpu_assert(map, "GTT mmap of %#" PRIx64 " bytes: %s", size, strerror(err));
	ok = touch(map, 0, 1, 1, 0x11, &first) &&
	     touch(map, size / AP_PAGE - 1, size / AP_PAGE, 1, 0x11, &last);
	munmap((void *)map, size);
	gem_close(h);
	ap_quiesce();
	/* The first page faults; the last one must already be mapped. */
	return ok && !last;
}

void ap_gtt_resident(struct ap_resident *res, uint64_t chunk, uint64_t limit)
{
	unsigned int n = (unsigned int)(limit / chunk), i, j;
	volatile uint32_t **maps = calloc(n, sizeof(*maps));
	uint32_t *h = calloc(n, sizeof(*h));
	double t0 = now();
	int err = 0;

	memset(res, 0, sizeof(*res));
	vgpu_assert(maps && h, "calloc: %s", strerror(errno));
	for (i = 0; i < n && !res->evicted && !res->sigbus; i++) {
		uint64_t faults = 0;

		h[i] = gem_create(chunk);
		maps[i] = gtt_mmap(h[i], chunk, &err);
		vgpu_assert(maps[i], "GTT mmap: %s", strerror(err));
		if (!touch(maps[i], 0, chunk / AP_PAGE, 1, i, &faults)) {
			res->sigbus = true;
			break;
		}
		if (faults > 1)
			res->partial++;
		/* Every earlier object must still be mapped: no fault. */
		for (j = 0; j < i && !res->sigbus && !res->evicted; j++) {
			res->sigbus = !touch(maps[j], 0, 1, 1, j, &faults);
			if (faults) {
				res->evicted = true;
				res->victim = j;
			}
		}
		if (!res->evicted && !res->sigbus)
			res->mapped = i + 1;
	}
	res->secs = now() - t0;
	for (j = 0; j < n && h[j]; j++) {
		munmap((void *)maps[j], chunk);
		gem_close(h[j]);
	}
	free(maps);
	free(h);
	ap_quiesce();
}

void ap_gtt_big(struct ap_big *res, uint64_t size, unsigned int residents)
{
	volatile uint32_t *maps[AP_MAX_RESIDENTS], *map;
	uint32_t h[AP_MAX_RESIDENTS], big;
	uint64_t faults;
	unsigned int i;
	double t0;

	memset(res, 0, sizeof(*res));
	vgpu_assert(residents <= AP_MAX_RESIDENTS, "%u residents", residents);
	for (i = 0; i < residents; i++) {
		h[i] = gem_create(AP_CHUNK);
		maps[i] = gtt_mmap(h[i], AP_CHUNK, &res->err);
		vgpu_assert(maps[i], "GTT mmap: %s", strerror(res->err));
		vgpu_assert(touch(maps[i], 0, AP_CHUNK / AP_PAGE, 1, i, NULL),
			    "SIGBUS on a %s object", "4 MiB");
	}
	big = gem_create(size);
	map = gtt_mmap(big, size, &res->err);
	if (map) {
		t0 = now();
		res->sigbus = !touch(map, 0, size / AP_PAGE, 1, 0xb16, &res->faults);
		res->secs = now() - t0;
		for (i = 0; i < residents && !res->sigbus; i++) {
			res->sigbus = !touch(maps[i], 0, 1, 1, i, &faults);
			res->evicted += faults != 0;
		}
		munmap((void *)map, size);
		if (!res->sigbus)
			res->bad = pread_verify(big, size, 0xb16);
	}
	gem_close(big);
	for (i = 0; i < residents; i++) {
		munmap((void *)maps[i], AP_CHUNK);
		gem_close(h[i]);
	}
	ap_quiesce();
}

static int set_tiling_x(uint32_t handle)
{
	struct drm_i915_gem_set_tiling st = {
		.handle = handle, .tiling_mode = I915_TILING_X, .stride = FENCE_STRIDE,
	};

	if (drmIoctl(ap.fd, DRM_IOCTL_I915_GEM_SET_TILING, &st))
		return errno;
	return st.tiling_mode == I915_TILING_X ? 0 : EINVAL;
}

/* Rounds of one write and read per object, under the SIGBUS guard. */
static bool fence_rounds(volatile uint32_t **maps, unsigned int n, unsigned int rounds,
			 uint64_t *bad, uint64_t *faults)
{
	struct sigaction sa = { .sa_handler = on_sigbus }, old;
	volatile bool ok = true;
	volatile uint64_t misses = 0, f0 = 0, f1 = 0;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, &old);
	if (!sigsetjmp(bus_jmp, 1)) {
		bus_armed = 1;
		f0 = minflt();
		for (unsigned int r = 0; r < rounds; r++)
			for (unsigned int i = 0; i < n; i++)
				misses += write_read(maps[i], (r * 7 + i) % (FENCE_OBJ / AP_PAGE),
						     0xfe000000u | r << 12 | i);
		f1 = minflt();
	} else {
		ok = false;
	}
	bus_armed = 0;
	sigaction(SIGBUS, &old, NULL);
	*bad = misses;
	*faults = f1 - f0;
	return ok;
}

void ap_fence_set(struct ap_fences *res, unsigned int n)
{
	volatile uint32_t **maps = calloc(n, sizeof(*maps));
	uint32_t *h = calloc(n, sizeof(*h));
	unsigned int i, made = 0;
	double t0 = now();

	memset(res, 0, sizeof(*res));
	vgpu_assert(maps && h, "calloc: %s", strerror(errno));
	for (i = 0; i < n && !res->err && !res->sigbus; i++, made++) {
		h[i] = gem_create(FENCE_OBJ);
		res->err = set_tiling_x(h[i]);
		if (!res->err && (maps[i] = gtt_mmap(h[i], FENCE_OBJ, &res->err)))
			res->sigbus = !touch(maps[i], 0, FENCE_OBJ / AP_PAGE, 1, i, NULL);
	}
	if (!res->err && !res->sigbus) {
		/* All mapped once: from here on a fault is a stolen fence. */
		res->sigbus = !fence_rounds(maps, n, 4, &res->bad, &res->refaults);
	}
	res->secs = now() - t0;
	for (i = 0; i < made; i++) {
		if (maps[i])
			munmap((void *)maps[i], FENCE_OBJ);
		gem_close(h[i]);
	}
	free(maps);
	free(h);
	ap_quiesce();
}

/* Execute MI_BATCH_BUFFER_END with objects h[0..n) bound. Return: errno. */
static int exec_objects(const uint32_t *h, unsigned int n)
{
	const uint32_t cmds[2] = { MI_BATCH_BUFFER_END, 0 };
	struct drm_i915_gem_exec_object2 *obj = calloc(n + 1, sizeof(*obj));
	uint32_t batch = gem_create(AP_PAGE);
	struct drm_i915_gem_pwrite pw = {
		.handle = batch, .size = sizeof(cmds), .data_ptr = (uintptr_t)cmds,
	};
	struct drm_i915_gem_execbuffer2 eb = {
		.buffers_ptr = (uintptr_t)obj, .buffer_count = n + 1,
		.batch_len = sizeof(cmds), .flags = I915_EXEC_RENDER,
	};
	struct drm_i915_gem_wait w = { .bo_handle = batch, .timeout_ns = WAIT_NS };
	/* Full PPGTT: let objects go above 4 GiB, as iris and anv do. */
	uint64_t flags = ap.ppgtt >= 2 ? EXEC_OBJECT_SUPPORTS_48B_ADDRESS : 0;
	int err = 0;

	vgpu_assert(obj, "calloc: %s", strerror(errno));
	vgpu_assert(!drmIoctl(ap.fd, DRM_IOCTL_I915_GEM_PWRITE, &pw), "pwrite: %s",
		    strerror(errno));
	for (unsigned int i = 0; i < n; i++)
		obj[i] = (struct drm_i915_gem_exec_object2){ .handle = h[i], .flags = flags };
	obj[n] = (struct drm_i915_gem_exec_object2){ .handle = batch, .flags = flags };
	if (drmIoctl(ap.fd, DRM_IOCTL_I915_GEM_EXECBUFFER2, &eb))
		err = errno;
	else if (drmIoctl(ap.fd, DRM_IOCTL_I915_GEM_WAIT, &w))
		err = errno;
	gem_close(batch);
	free(obj);
	return err;
}

/* Working-set objects: AP_CHUNK each, the last one the rest. */
struct set {
	uint32_t *h;
	unsigned int n, cap;
};

static void set_add(struct set *s, uint64_t size)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 64;
		s->h = realloc(s->h, s->cap * sizeof(*s->h));
		vgpu_assert(s->h, "realloc: %s", strerror(errno));
	}
	s->h[s->n++] = gem_create(size);
}

static void set_free(struct set *s)
{
	for (unsigned int i = 0; i < s->n; i++)
		gem_close(s->h[i]);
	free(s->h);
	*s = (struct set){ 0 };
	ap_quiesce();
}

void ap_exec_set(struct ap_exec *res, uint64_t total)
{
	struct set s = { 0 };
	double t0;

	for (uint64_t done = 0; done < total; done += AP_CHUNK)
		set_add(&s, total - done < AP_CHUNK ? total - done : AP_CHUNK);
	t0 = now();
	res->err = exec_objects(s.h, s.n);
	res->secs = now() - t0;
	set_free(&s);
}

void ap_exec_single(struct ap_exec *res, uint64_t size)
{
	uint32_t h = gem_create(size);
	double t0 = now();

	res->err = exec_objects(&h, 1);
	res->secs = now() - t0;
	gem_close(h);
	ap_quiesce();
}

uint64_t ap_exec_grow(uint64_t limit, int *err)
{
	static uint64_t cached_limit, cached_best;
	static int cached_err;
	struct set s = { 0 };
	uint64_t best = 0;
	int e = 0;

	/* A failure below a larger limit, or success to it, answers this one. */
	if (cached_limit && (cached_limit >= limit || cached_err)) {
		*err = cached_best >= limit ? 0 : cached_err;
		return cached_best < limit ? cached_best : limit;
	}
	while (best + AP_CHUNK <= limit) {
		set_add(&s, AP_CHUNK);
		e = exec_objects(s.h, s.n);
		if (e)
			break;
		best += AP_CHUNK;
	}
	set_free(&s);
	cached_limit = limit, cached_best = best, cached_err = e;
	*err = e;
	return best;
}

uint64_t ap_exec_single_max(uint64_t limit, int *err)
{
	static uint64_t cached_limit, cached_best;
	static int cached_err;
	uint64_t lo = 0, hi = limit / SEARCH_STEP * SEARCH_STEP;
	struct ap_exec r;
	int e = 0;

	if (cached_limit && (cached_limit >= limit || cached_err)) {
		*err = cached_best >= limit ? 0 : cached_err;
		return cached_best < limit ? cached_best : limit;
	}
	/*
	 * No object binds beyond the free space GET_APERTURE reports, so start
	 * there rather than allocate RAM for sizes that cannot work. Then lo
	 * always executed (0 trivially), hi did not: bisect between.
	 */
	if (hi > (ap.aper_avail + SEARCH_STEP - 1) / SEARCH_STEP * SEARCH_STEP)
		hi = (ap.aper_avail + SEARCH_STEP - 1) / SEARCH_STEP * SEARCH_STEP;
	ap_exec_single(&r, hi);
	if (!r.err) {
		lo = hi;
	} else {
		e = r.err;
		while (hi - lo > SEARCH_STEP) {
			uint64_t mid = (lo + hi) / 2 / SEARCH_STEP * SEARCH_STEP;

			ap_exec_single(&r, mid);
			if (r.err)
				hi = mid, e = r.err;
			else
				lo = mid;
		}
	}
	cached_limit = limit, cached_best = lo, cached_err = lo == limit ? 0 : e;
	*err = cached_err;
	return lo;
}

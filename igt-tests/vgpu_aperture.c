// SPDX-License-Identifier: MIT
/**
 * TEST: vgpu aperture
 * Category: Core
 * Mega feature: General Core features
 * Sub-category: Virtualization
 * Functionality: userspace aperture assumptions on a PVINFO vGPU
 * Feature: gtt, mappable, fences, vgpu
 * Description: The aperture-assumption validator (issue 13). Userspace
 *   sizes its use of the GPU from what the kernel reports: GET_APERTURE,
 *   the PCI BAR2, the context's GTT size, the fence count, RAM. On a vGPU
 *   those figures describe the host's GPU, not the guest's slices
 *   (notes/userspace-aperture.md). For each component's assumption this
 *   computes the figure that component computes, from what this guest
 *   reports, then does what the figure promises and records what the vGPU
 *   allowed.
 *
 * SUBTEST: assumptions
 * Description: One table row per assumption: the figure, where it comes
 *   from, what the vGPU allowed (largest that worked, or the error:
 *   ENOSPC, E2BIG, SIGBUS; faults and time), and a verdict (holds, breaks,
 *   n-a on this platform). The subtest passes when the table is made; a
 *   "breaks" verdict is a finding, not a failure. Promises that do not fit
 *   the guest's RAM are tested up to what fits, and say so.
 *
 * SUBTEST: gtt-big
 * Description: What GTT-mapping one large object costs the others: 3/4 of
 *   the aperture slice, 3/2 of it and 3/4 of the BAR, each written a dword
 *   a page through its GTT mmap, alone and beside half a slice of 4 MiB
 *   objects mapped before it: the faults and time it took (the median of
 *   three runs), and how many of those objects it evicted. Every page must
 *   read back as written.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <i915_drm.h>
#include <intel_bufmgr.h>
#include <xf86drm.h>

#include "vgpu_aperture.h"

struct ap_reported ap = { .fd = -1 };

/* What a working set may allocate: MemAvailable less this, for the rest. */
#define RAM_HEADROOM	(384 * MiB)
#define SYSFS_CARD	"/sys/class/drm/card0/device"

/* What a row measured; the rows' descriptions are the table at the end. */
struct row {
	char figure[48], allowed[200], verdict[24];
};

static void set(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap_list;

	va_start(ap_list, fmt);
	vsnprintf(buf, len, fmt, ap_list);
	va_end(ap_list);
}

#define FIGURE(r, ...)	set((r)->figure, sizeof((r)->figure), __VA_ARGS__)
#define ALLOWED(r, ...)	set((r)->allowed, sizeof((r)->allowed), __VA_ARGS__)
#define VERDICT(r, ...)	set((r)->verdict, sizeof((r)->verdict), __VA_ARGS__)

/* "448 MiB", "256 MiB + 4 KiB", "7 KiB": sizes as people read them. */
static const char *sz(uint64_t bytes)
{
	static char bufs[8][32];
	static unsigned int next;
	char *b = bufs[next++ % ARRAY_SIZE(bufs)];

	if (bytes >= MiB && bytes % MiB)
		snprintf(b, sizeof(bufs[0]), "%" PRIu64 " MiB + %" PRIu64 " KiB",
			 bytes / MiB, bytes % MiB / KiB);
	else if (bytes >= MiB)
		snprintf(b, sizeof(bufs[0]), "%" PRIu64 " MiB", bytes / MiB);
	else
		snprintf(b, sizeof(bufs[0]), "%" PRIu64 " KiB", bytes / KiB);
	return b;
}

static const char *err_name(int err)
{
	switch (err) {
	case 0: return "ok";
	case ENOSPC: return "ENOSPC";
	case E2BIG: return "E2BIG";
	case ENOMEM: return "ENOMEM";
	case EIO: return "EIO";
	case EINVAL: return "EINVAL";
	case ETIME: return "ETIME";
	case EFAULT: return "EFAULT";
	default: return strerror(err);
	}
}

/* ---- what the guest reports ---- */

static int getparam(int param, int *value)
{
	drm_i915_getparam_t gp = { .param = param, .value = value };

	return drmIoctl(ap.fd, DRM_IOCTL_I915_GETPARAM, &gp) ? errno : 0;
}

static uint64_t meminfo(const char *key)
{
	char line[256];
	unsigned long long kib = 0;
	size_t n = strlen(key);
	FILE *f = fopen("/proc/meminfo", "r");

	vgpu_assert(f, "/proc/meminfo: %s", strerror(errno));
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n) && line[n] == ':' &&
		    sscanf(line + n + 1, "%llu", &kib) == 1)
			break;
	fclose(f);
	vgpu_assert(kib, "no %s in /proc/meminfo", key);
	return kib * KiB;
}

/*
 * BAR2 as userspace reads it: line 3 of the PCI device's sysfs "resource"
 * (start end flags), which libpciaccess parses for libdrm and IGT. libdrm
 * looks at 00:02.0 whatever the card; the card's own device is read here
 * and its address printed, so a vGPU elsewhere shows.
 */
static void read_bar2(void)
{
	unsigned long long start = 0, end = 0, flags;
	char link[PATH_MAX], line[256];
	ssize_t n = readlink(SYSFS_CARD, link, sizeof(link) - 1);
	FILE *f;
	int i;

	vgpu_assert(n > 0, "readlink(%s): %s", SYSFS_CARD, strerror(errno));
	link[n] = '\0';
	snprintf(ap.pci, sizeof(ap.pci), "%.31s", strrchr(link, '/') ? strrchr(link, '/') + 1 : link);
	f = fopen(SYSFS_CARD "/resource", "r");
	vgpu_assert(f, "%s/resource: %s", SYSFS_CARD, strerror(errno));
	for (i = 0; i <= 2 && fgets(line, sizeof(line), f); i++)
		if (i == 2)
			vgpu_assert(sscanf(line, "%llx %llx %llx", &start, &end, &flags) == 3,
				    "%s/resource line 3: '%s'", SYSFS_CARD, line);
	fclose(f);
	ap.bar2 = end > start ? end - start + 1 : 0;
}

static int gen_of(uint32_t devid)
{
	switch (devid & 0xff00) {
	case 0x0400: case 0x0a00: case 0x0c00: case 0x0d00:
		return 7;	/* Haswell */
	case 0x1900:
		return 9;	/* Skylake */
	default:
		return 0;
	}
}

/* A trivial batch: execution rows are n-a when the GT cannot run one. */
static void probe_exec(void)
{
	struct ap_exec r;

	ap_exec_set(&r, AP_PAGE);
	ap.exec_ok = !r.err;
	ap.exec_err = r.err;
}

static void read_reported(void)
{
	struct drm_i915_gem_get_aperture aper = { 0 };
	struct drm_i915_gem_context_param cp = {
		.ctx_id = 0, .param = I915_CONTEXT_PARAM_GTT_SIZE,
	};
	size_t mappable = 0, total = 0;
	int devid = 0, err;

	ap.fd = vgpu_open_i915();	/* closed at the subtest's end */
	vgpu_assert(!drmIoctl(ap.fd, DRM_IOCTL_I915_GEM_GET_APERTURE, &aper),
		    "GET_APERTURE: %s", strerror(errno));
	ap.aper_size = aper.aper_size;
	ap.aper_avail = aper.aper_available_size;
	vgpu_assert(!drm_intel_get_aperture_sizes(ap.fd, &mappable, &total),
		    "drm_intel_get_aperture_sizes: %s", strerror(errno));
	ap.libdrm_mappable = mappable, ap.libdrm_total = total;
	vgpu_assert(!drmIoctl(ap.fd, DRM_IOCTL_I915_GEM_CONTEXT_GETPARAM, &cp),
		    "CONTEXT_GETPARAM(GTT_SIZE): %s", strerror(errno));
	ap.gtt_size = cp.value;
	vgpu_assert(!(err = getparam(I915_PARAM_NUM_FENCES_AVAIL, &ap.fences)),
		    "NUM_FENCES_AVAIL: %s", strerror(err));
	vgpu_assert(!(err = getparam(I915_PARAM_MMAP_GTT_VERSION, &ap.mmap_gtt_version)),
		    "MMAP_GTT_VERSION: %s", strerror(err));
	vgpu_assert(!(err = getparam(I915_PARAM_CHIPSET_ID, &devid)), "CHIPSET_ID: %s",
		    strerror(err));
	vgpu_assert(!(err = getparam(I915_PARAM_HAS_ALIASING_PPGTT, &ap.ppgtt)),
		    "HAS_ALIASING_PPGTT: %s", strerror(err));
	ap.devid = (uint32_t)devid;
	ap.gen = gen_of(ap.devid);
	read_bar2();
	ap.ram = meminfo("MemTotal");
	ap.ram_avail = meminfo("MemAvailable");
	ap.ram_cap = ap.ram_avail > RAM_HEADROOM ?
		     (ap.ram_avail - RAM_HEADROOM) / AP_CHUNK * AP_CHUNK : 0;
	probe_exec();
}

/*
 * Runtime PM revokes every GTT mmap when the device suspends, which would
 * look like evictions here: say whether the guest kernel has it.
 */
static void print_power(void)
{
	char line[64] = "";
	FILE *f = fopen(SYSFS_CARD "/power/runtime_status", "r");

	if (f && fgets(line, sizeof(line), f))
		line[strcspn(line, "\n")] = '\0';
	if (f)
		fclose(f);
	vgpu_info("runtime PM: %s", line[0] ? line : "none (no power/runtime_status)");
}

static void print_reported(void)
{
	const struct vgpu_expect *e = vgpu_expect();

	vgpu_info("device %04x (gen %d), PPGTT %s, PCI %s", ap.devid, ap.gen,
		  ap.ppgtt == 1 ? "aliasing (user objects in the GGTT)" :
		  ap.ppgtt >= 2 ? "full" : "none", ap.pci);
	vgpu_info("GET_APERTURE: aper_size %s, aper_available_size %s",
		  sz(ap.aper_size), sz(ap.aper_avail));
	vgpu_info("BAR2 (sysfs) %s; libdrm drm_intel_get_aperture_sizes: mappable %s, total %s",
		  sz(ap.bar2), sz(ap.libdrm_mappable), sz(ap.libdrm_total));
	vgpu_info("CONTEXT_PARAM_GTT_SIZE %#" PRIx64 " (%s), NUM_FENCES_AVAIL %d, "
		  "MMAP_GTT_VERSION %d", ap.gtt_size, sz(ap.gtt_size), ap.fences,
		  ap.mmap_gtt_version);
	vgpu_info("RAM: MemTotal %s, MemAvailable %s; working sets capped at %s",
		  sz(ap.ram), sz(ap.ram_avail), sz(ap.ram_cap));
	if (e->have_slices)
		vgpu_info("host published (vgpu.expect): aperture slice %s at %#" PRIx64
			  ", hidden slice %s at %#" PRIx64 ", %" PRIu64 " fences",
			  sz(e->apsize), e->apbase, sz(e->hidsize), e->hidbase, e->fences);
	vgpu_info("trivial batch: %s", ap.exec_ok ? "runs" : err_name(ap.exec_err));
	print_power();
}

/* ---- shared judgements ---- */

/*
 * The whole-object promise for an object of @fig bytes: one GTT fault
 * binds all of it. If not, the largest size that is bound whole (1 MiB
 * steps) is what the vGPU allows.
 */
static void judge_whole(struct row *r, uint64_t fig, uint32_t salt)
{
	struct ap_gtt g;
	uint64_t lo = 0, hi;

	ap_gtt_object(&g, fig, salt);
	if (g.err || g.sigbus) {
		ALLOWED(r, "GTT mmap of %s: %s", sz(fig), g.sigbus ? "SIGBUS" : err_name(g.err));
		VERDICT(r, "breaks");
		return;
	}
	if (g.faults <= 1 && !g.bad) {
		ALLOWED(r, "%s bound whole: 1 fault, %.1f s, all pages read back", sz(fig),
			g.secs);
		VERDICT(r, "holds");
		return;
	}
	/* lo was bound whole (0 trivially), hi was not. */
	hi = fig / MiB;
	while (hi - lo > 1) {
		uint64_t mid = (lo + hi) / 2;

		if (ap_gtt_whole(mid * MiB))
			lo = mid;
		else
			hi = mid;
	}
	ALLOWED(r, "partial views: %" PRIu64 " faults, %.1f s, %" PRIu64 " pages bad; "
		"largest bound whole %s", g.faults, g.secs, g.bad, sz(lo * MiB));
	VERDICT(r, "breaks");
}

/* @n X-tiled objects mapped at once must keep their fences. */
static void judge_fences(struct row *r, unsigned int n)
{
	struct ap_fences f, over;

	if (!n) {
		ALLOWED(r, "promises no fence");
		VERDICT(r, "n-a");
		return;
	}
	ap_fence_set(&f, n);
	/* One more than promised shows the probe sees a stolen fence. */
	ap_fence_set(&over, n + 1);
	if (f.err || f.sigbus) {
		ALLOWED(r, "%u X-tiled GTT maps: %s", n, f.sigbus ? "SIGBUS" : err_name(f.err));
		VERDICT(r, "breaks");
		return;
	}
	ALLOWED(r, "%u X-tiled maps at once: %" PRIu64 " refaults, %" PRIu64 " bad reads, "
		"%.1f s; %u: %" PRIu64 " refaults%s", n, f.refaults, f.bad, f.secs, n + 1,
		over.refaults, over.sigbus ? ", SIGBUS" : "");
	VERDICT(r, !f.refaults && !f.bad ? "holds" : "breaks");
}

/*
 * What an execution row starts from: @fig capped by the RAM the guest can
 * give (*capped says so), or false with the row n-a when nothing executes.
 */
static bool exec_start(struct row *r, uint64_t fig, uint64_t *size, const char **capped)
{
	*size = fig < ap.ram_cap ? fig : ap.ram_cap;
	*capped = fig > ap.ram_cap ? " (RAM cap)" : "";
	if (ap.exec_ok)
		return true;
	ALLOWED(r, "no execution: trivial batch %s", err_name(ap.exec_err));
	VERDICT(r, "n-a");
	return false;
}

/*
 * A working set of @fig bytes executes in one execbuf: AP_CHUNK objects
 * and the batch's page, which counts, as it does in every user's sum.
 */
static void judge_set(struct row *r, uint64_t fig)
{
	uint64_t size, best;
	const char *capped;
	struct ap_exec x;
	int err;

	if (!exec_start(r, fig, &size, &capped))
		return;
	size = size / AP_PAGE * AP_PAGE - AP_PAGE;
	ap_exec_set(&x, size);
	if (!x.err) {
		ALLOWED(r, "%s%s in %" PRIu64 " objects + batch: ran, %.1f s", sz(size), capped,
			(size + AP_CHUNK - 1) / AP_CHUNK, x.secs);
		VERDICT(r, fig > ap.ram_cap ? "holds to cap" : "holds");
		return;
	}
	best = ap_exec_grow(size, &err);
	ALLOWED(r, "%s%s + batch: %s; largest that ran %s (%s objects), next %s", sz(size),
		capped, err_name(x.err), sz(best), sz(AP_CHUNK), err_name(err));
	VERDICT(r, "breaks");
}

/* One object of @fig bytes executes (bound whole: one drm_mm hole). */
static void judge_single(struct row *r, uint64_t fig)
{
	uint64_t size, best;
	const char *capped;
	struct ap_exec x;
	int err;

	if (!exec_start(r, fig, &size, &capped))
		return;
	size = (size + AP_PAGE - 1) / AP_PAGE * AP_PAGE;
	ap_exec_single(&x, size);
	if (!x.err) {
		ALLOWED(r, "one %s%s object: ran, %.1f s", sz(size), capped, x.secs);
		VERDICT(r, fig > ap.ram_cap ? "holds to cap" : "holds");
		return;
	}
	best = ap_exec_single_max(size, &err);
	ALLOWED(r, "one %s%s object: %s; largest that ran %s (4 MiB steps)", sz(size),
		capped, err_name(x.err), sz(best));
	VERDICT(r, "breaks");
}

static bool platform(struct row *r, bool applies, const char *why)
{
	if (applies)
		return true;
	FIGURE(r, "-");
	ALLOWED(r, "%s", why);
	VERDICT(r, "n-a");
	return false;
}

/* ---- the rows ---- */

static void kernel_whole(struct row *r)
{
	FIGURE(r, "%s", sz(ap.bar2 / 2));
	judge_whole(r, ap.bar2 / 2, 0x1000);
}

static void kernel_partial(struct row *r)
{
	uint64_t fig = ap.bar2 + AP_PAGE;
	struct ap_gtt g;

	FIGURE(r, "%s", sz(fig));
	if (fig > ap.ram_cap) {
		ALLOWED(r, "not tried: %s does not fit the RAM cap %s", sz(fig), sz(ap.ram_cap));
		VERDICT(r, "n-a");
		return;
	}
	ap_gtt_object(&g, fig, 0x2000);
	if (g.err || g.sigbus) {
		ALLOWED(r, "%s", g.sigbus ? "SIGBUS" : err_name(g.err));
		VERDICT(r, "breaks");
		return;
	}
	ALLOWED(r, "every page written, %" PRIu64 " bad: %" PRIu64 " faults, %.1f s",
		g.bad, g.faults, g.secs);
	VERDICT(r, g.bad ? "breaks" : "holds");
}

static void libdrm_mappable(struct row *r)
{
	struct ap_resident res;

	FIGURE(r, "%s", sz(ap.libdrm_mappable));
	ap_gtt_resident(&res, AP_CHUNK, ap.libdrm_mappable);
	if (res.sigbus) {
		ALLOWED(r, "SIGBUS after %u objects", res.mapped);
		VERDICT(r, "breaks");
		return;
	}
	ALLOWED(r, "%s GTT-mapped at once (%u x %s, %u partial)%s%u, %.1f s",
		sz(res.mapped * AP_CHUNK), res.mapped, sz(AP_CHUNK), res.partial,
		res.evicted ? "; the next lost the mapping of object " : "; objects: ",
		res.evicted ? res.victim : res.mapped, res.secs);
	VERDICT(r, res.evicted ? "breaks" : "holds");
}

/*
 * libdrm's own threshold, found with its own check on one object without
 * relocations: drm_intel_bufmgr_check_aperture_space() says -ENOSPC once
 * the object exceeds it. Return: the largest size it accepts (pages).
 */
static uint64_t libdrm_threshold(drm_intel_bufmgr *mgr)
{
	uint64_t lo = 0, hi = (ap.aper_size ? ap.aper_size : 4096 * MiB) / AP_PAGE;

	while (hi - lo > 1) {
		uint64_t mid = (lo + hi) / 2;
		drm_intel_bo *bo = drm_intel_bo_alloc(mgr, "threshold", mid * AP_PAGE, AP_PAGE);

		vgpu_assert(bo, "drm_intel_bo_alloc(%s) failed", sz(mid * AP_PAGE));
		if (drm_intel_bufmgr_check_aperture_space(&bo, 1))
			hi = mid;
		else
			lo = mid;
		drm_intel_bo_unreference(bo);
	}
	return lo * AP_PAGE;
}

/* How many X-tiled objects libdrm's check admits in one batch, or -1. */
static int libdrm_fence_limit(drm_intel_bufmgr *mgr)
{
	drm_intel_bo *bos[64];
	int n, limit = -1;

	for (n = 0; n < (int)ARRAY_SIZE(bos); n++) {
		uint32_t tiling = I915_TILING_X;

		bos[n] = drm_intel_bo_alloc(mgr, "fence", 64 * KiB, AP_PAGE);
		vgpu_assert(bos[n], "drm_intel_bo_alloc failed");
		vgpu_assert(!drm_intel_bo_set_tiling(bos[n], &tiling, 4096) &&
			    tiling == I915_TILING_X, "drm_intel_bo_set_tiling(X)");
		if (drm_intel_bufmgr_check_aperture_space(bos, n + 1)) {
			limit = n;
			n++;
			break;
		}
	}
	while (n--)
		drm_intel_bo_unreference(bos[n]);
	return limit;
}

static drm_intel_bufmgr *bufmgr(void)
{
	drm_intel_bufmgr *mgr = drm_intel_bufmgr_gem_init(ap.fd, 4096);

	vgpu_assert(mgr, "drm_intel_bufmgr_gem_init failed");
	return mgr;
}

static void libdrm_batch(struct row *r)
{
	drm_intel_bufmgr *mgr = bufmgr();
	uint64_t fig = libdrm_threshold(mgr);

	drm_intel_bufmgr_destroy(mgr);
	FIGURE(r, "%s", sz(fig));
	judge_set(r, fig);
}

static void libdrm_fences(struct row *r)
{
	drm_intel_bufmgr *mgr = bufmgr();
	int limit = libdrm_fence_limit(mgr);

	drm_intel_bufmgr_destroy(mgr);
	if (limit < 0) {
		FIGURE(r, "not counted");
		ALLOWED(r, "check_aperture_space admits 64 X-tiled objects (gen >= 4)");
		VERDICT(r, "n-a");
		return;
	}
	FIGURE(r, "%d", limit);
	judge_fences(r, (unsigned int)limit);
}

static void sna_surface(struct row *r)
{
	FIGURE(r, "%s", sz(ap.bar2 / 4));
	judge_whole(r, ap.bar2 / 4, 0x3000);
}

static void sna_fences(struct row *r)
{
	int n = ap.fences > 2 ? ap.fences - 2 : 0;

	FIGURE(r, "%d", n);
	judge_fences(r, (unsigned int)n);
}

static void sna_aperture(struct row *r)
{
	struct drm_i915_gem_get_aperture aper = { 0 };

	/* Fresh, as kgem asks before it submits. */
	vgpu_assert(!drmIoctl(ap.fd, DRM_IOCTL_I915_GEM_GET_APERTURE, &aper),
		    "GET_APERTURE: %s", strerror(errno));
	FIGURE(r, "%s", sz(aper.aper_available_size));
	judge_set(r, aper.aper_available_size);
}

static void igt_fences(struct row *r)
{
	FIGURE(r, "%d", ap.fences);
	judge_fences(r, (unsigned int)ap.fences);
}

static void igt_global(struct row *r)
{
	if (!platform(r, ap.ppgtt == 1, "full PPGTT: no user batch binds in the GGTT "
		      "(6.1 refuses I915_EXEC_SECURE from gen6)"))
		return;
	FIGURE(r, "%s", sz(ap.aper_size / 4 * 3));
	judge_single(r, ap.aper_size / 4 * 3);
}

static void mesa_mmap_offset(struct row *r)
{
	const uint64_t size = 1 * MiB;
	struct drm_i915_gem_create c = { .size = size };
	struct drm_i915_gem_mmap_offset mo = { .flags = I915_MMAP_OFFSET_WB };
	struct drm_i915_gem_pread p = { .size = size };
	uint32_t *map, *buf;
	uint64_t bad = 0;

	FIGURE(r, "v%d: mmap_offset %s, partial %s", ap.mmap_gtt_version,
	       ap.mmap_gtt_version >= 4 ? "yes" : "no", ap.mmap_gtt_version >= 5 ? "yes" : "no");
	if (ap.mmap_gtt_version < 4) {
		ALLOWED(r, "Mesa falls back to the legacy mmap ioctl");
		VERDICT(r, "n-a");
		return;
	}
	vgpu_assert(!drmIoctl(ap.fd, DRM_IOCTL_I915_GEM_CREATE, &c), "GEM_CREATE: %s",
		    strerror(errno));
	mo.handle = c.handle;
	if (drmIoctl(ap.fd, DRM_IOCTL_I915_GEM_MMAP_OFFSET, &mo)) {
		ALLOWED(r, "MMAP_OFFSET(WB): %s", err_name(errno));
		VERDICT(r, "breaks");
		goto out;
	}
	map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, ap.fd, (off_t)mo.offset);
	vgpu_assert(map != MAP_FAILED, "mmap(MMAP_OFFSET WB): %s", strerror(errno));
	for (uint64_t off = 0; off < size; off += AP_PAGE)
		map[off / 4] = (uint32_t)off ^ 0x5eed;
	munmap(map, size);
	buf = malloc(size);
	vgpu_assert(buf, "malloc: %s", strerror(errno));
	p.handle = c.handle, p.data_ptr = (uintptr_t)buf;
	vgpu_assert(!drmIoctl(ap.fd, DRM_IOCTL_I915_GEM_PREAD, &p), "pread: %s",
		    strerror(errno));
	for (uint64_t off = 0; off < size; off += AP_PAGE)
		bad += buf[off / 4] != ((uint32_t)off ^ 0x5eed);
	free(buf);
	ALLOWED(r, "WB mmap_offset of %s written, %" PRIu64 " pages bad%s", sz(size), bad,
		ap.mmap_gtt_version < 5 ? "; no partial mmaps (6.1)" : "");
	VERDICT(r, bad ? "breaks" : "holds");
out:
	drmIoctl(ap.fd, DRM_IOCTL_GEM_CLOSE, &(struct drm_gem_close){ .handle = c.handle });
}

static void crocus_threshold(struct row *r)
{
	if (!platform(r, ap.gen == 7, "crocus drives gen4-7.5 only"))
		return;
	FIGURE(r, "%s", sz(ap.aper_size / 4 * 3));
	judge_set(r, ap.aper_size / 4 * 3);
}

static void crocus_staging(struct row *r)
{
	if (!platform(r, ap.gen == 7, "crocus drives gen4-7.5 only"))
		return;
	FIGURE(r, "%s", sz(ap.aper_size / 8 * 3));
	judge_single(r, ap.aper_size / 8 * 3);
}

/* Mesa's RAM share for a GPU heap: half up to 4 GiB of RAM, else 3/4. */
static uint64_t ram_share(void)
{
	return ap.ram <= 4096 * MiB ? ap.ram / 2 : ap.ram / 4 * 3;
}

static void hasvk_heap(struct row *r)
{
	uint64_t gtt = ap.gtt_size / 4 * 3, fig = ram_share() < gtt ? ram_share() : gtt;

	if (!platform(r, ap.gen == 7, "hasvk drives gen7-8 only"))
		return;
	FIGURE(r, "%s", sz(fig));
	judge_set(r, fig);
}

/* The system memory region's size (DRM_I915_QUERY_MEMORY_REGIONS), or 0. */
static uint64_t sysmem_region(void)
{
	struct drm_i915_query_item item = { .query_id = DRM_I915_QUERY_MEMORY_REGIONS };
	struct drm_i915_query q = { .num_items = 1, .items_ptr = (uintptr_t)&item };
	struct drm_i915_query_memory_regions *regions;
	uint64_t size = 0;

	if (drmIoctl(ap.fd, DRM_IOCTL_I915_QUERY, &q) || item.length <= 0)
		return 0;
	regions = calloc(1, (size_t)item.length);
	vgpu_assert(regions, "calloc: %s", strerror(errno));
	item.data_ptr = (uintptr_t)regions;
	if (!drmIoctl(ap.fd, DRM_IOCTL_I915_QUERY, &q) && item.length > 0)
		for (uint32_t i = 0; i < regions->num_regions; i++)
			if (regions->regions[i].region.memory_class == I915_MEMORY_CLASS_SYSTEM)
				size = regions->regions[i].probed_size;
	free(regions);
	return size;
}

/* iris_get_video_memory: the system region; 3/4 of aper_size only without one. */
static void iris_vram(struct row *r)
{
	uint64_t aper = ap.aper_size / 4 * 3, sram = sysmem_region();
	uint64_t fig = sram ? sram : ap.ram < aper ? ap.ram : aper;

	if (!platform(r, ap.gen >= 8, "iris drives gen8+ only"))
		return;
	FIGURE(r, "%s", sz(fig));
	judge_set(r, fig);
}

static void anv_heap(struct row *r)
{
	uint64_t gtt = ap.gtt_size / 4 * 3, fig = ram_share() < gtt ? ram_share() : gtt;

	if (!platform(r, ap.gen >= 9, "anv drives gen9+ only"))
		return;
	if (ap.gtt_size < 4096 * MiB) {
		FIGURE(r, "refused");
		ALLOWED(r, "GTT %s < 4 GiB: anv refuses the device", sz(ap.gtt_size));
		VERDICT(r, "n-a");
		return;
	}
	FIGURE(r, "%s", sz(fig));
	judge_set(r, fig);
}

static const struct {
	const char *who, *assumption, *from;
	void (*run)(struct row *r);
} rows[] = {
	{ "kernel", "GTT fault binds objects <= mappable_end/2 whole",
	  "i915_gem.c i915_gem_object_ggtt_pin_ww (PIN_NONBLOCK), i915_gem_mman.c vm_fault_gtt",
	  kernel_whole },
	{ "kernel/IGT", "GTT mmap above mappable_end works (E2BIG -> 1 MiB partial views)",
	  "i915_gem_object_ggtt_pin_ww E2BIG, vm_fault_gtt; IGT gem_mmap_gtt big-bo",
	  kernel_partial },
	{ "libdrm", "mappable = BAR2 of 00:02.0, all GTT-mappable at once",
	  "intel_bufmgr_gem.c drm_intel_get_aperture_sizes (libpciaccess)", libdrm_mappable },
	{ "libdrm", "a batch's working set up to 3/4 aper_available_size fits",
	  "drm_intel_bufmgr_gem_init, drm_intel_bufmgr_check_aperture_space", libdrm_batch },
	{ "libdrm", "fenced objects per batch", "drm_intel_bufmgr_check_aperture_space (fences)",
	  libdrm_fences },
	{ "SNA", "surfaces up to mappable/4 GTT-mapped (whole)", "kgem.c (aperture_mappable / 4)",
	  sna_surface },
	{ "SNA", "NUM_FENCES_AVAIL - 2 fences usable at once", "kgem.c kgem_init (fences)",
	  sna_fences },
	{ "SNA", "a working set up to a fresh aper_available_size fits",
	  "kgem.c (execbuf check on GET_APERTURE)", sna_aperture },
	{ "IGT", "NUM_FENCES_AVAIL fences usable at once", "IGT lib gem_available_fences()",
	  igt_fences },
	{ "IGT", "a batch of 3/4 gem_global_aperture_size binds", "lib/i915/gem_mman.c "
	  "gem_global_aperture_size (aper_size); gem_exec_big", igt_global },
	{ "Mesa", "MMAP_GTT_VERSION >= 4: mmap_offset (>= 5: partial)",
	  "src/intel/dev/i915/intel_device_info.c", mesa_mmap_offset },
	{ "crocus", "aperture_threshold = 3/4 aper_size; no flush below it",
	  "crocus screen aperture_threshold (devinfo aperture_bytes)", crocus_threshold },
	{ "crocus", "staging BOs up to threshold/2", "crocus resource/transfer staging limit",
	  crocus_staging },
	{ "hasvk", "heap = min(RAM share, 3/4 GTT_SIZE)", "src/intel/vulkan_hasvk physical-device heap size",
	  hasvk_heap },
	{ "iris", "video memory = the system memory region (else min(RAM, 3/4 aper_size))",
	  "iris_screen.c iris_get_video_memory (iris_bufmgr_sram_size)",
	  iris_vram },
	{ "anv", "heap = min(RAM share, 3/4 GTT_SIZE); GTT >= 4 GiB",
	  "src/intel/vulkan physical-device sys heap size", anv_heap },
};

static struct row results[ARRAY_SIZE(rows)];

static void print_table(void)
{
	vgpu_info("| # | component | assumption | from | figure | vGPU allowed | verdict |");
	vgpu_info("|---|---|---|---|---|---|---|");
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++)
		vgpu_info("| %zu | %s | %s | %s | %s | %s | %s |", i + 1, rows[i].who,
			  rows[i].assumption, rows[i].from, results[i].figure,
			  results[i].allowed, results[i].verdict);
}

static void assumptions(void)
{
	read_reported();
	print_reported();
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		struct row *r = &results[i];

		vgpu_info("row %zu (%s: %s) ...", i + 1, rows[i].who, rows[i].assumption);
		rows[i].run(r);
		vgpu_info("row %zu: figure %s; allowed: %s; verdict %s", i + 1, r->figure,
			  r->allowed, r->verdict);
	}
	print_table();
}

/* gtt-big's runs of each case: the time is their median, faults and evictions the range. */
#define GTT_BIG_RUNS	3

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* "N" when lo == hi, else "lo-hi". */
static const char *range(char *buf, size_t len, uint64_t lo, uint64_t hi)
{
	if (lo == hi)
		snprintf(buf, len, "%" PRIu64, lo);
	else
		snprintf(buf, len, "%" PRIu64 "-%" PRIu64, lo, hi);
	return buf;
}

static void gtt_big_case(uint64_t size, unsigned int n)
{
	uint64_t flo = UINT64_MAX, fhi = 0, elo = UINT64_MAX, ehi = 0;
	double secs[GTT_BIG_RUNS];
	char faults[48], evicted[48];
	struct ap_big b;

	for (int run = 0; run < GTT_BIG_RUNS; run++) {
		ap_gtt_big(&b, size, n);
		vgpu_assert(!b.err && !b.sigbus, "%s object: %s", sz(size),
			    b.sigbus ? "SIGBUS" : err_name(b.err));
		vgpu_assert(!b.bad, "%s object: %" PRIu64 " pages read back wrong",
			    sz(size), b.bad);
		secs[run] = b.secs;
		flo = b.faults < flo ? b.faults : flo;
		fhi = b.faults > fhi ? b.faults : fhi;
		elo = b.evicted < elo ? b.evicted : elo;
		ehi = b.evicted > ehi ? b.evicted : ehi;
	}
	qsort(secs, GTT_BIG_RUNS, sizeof(secs[0]), cmp_double);
	vgpu_info("| %s | %u x 4 MiB | %s%s | %.2f s (%.2f-%.2f) | %s of %u |", sz(size), n,
		  range(faults, sizeof(faults), flo, fhi), fhi == 1 ? " (whole)" : "",
		  secs[GTT_BIG_RUNS / 2], secs[0], secs[GTT_BIG_RUNS - 1],
		  range(evicted, sizeof(evicted), elo, ehi), n);
}

static void gtt_big(void)
{
	const struct vgpu_expect *e = vgpu_require_slices();
	unsigned int residents = (unsigned int)(e->apsize / 2 / AP_CHUNK);
	uint64_t sizes[3], last = 0;

	read_reported();
	sizes[0] = e->apsize * 3 / 4 / AP_CHUNK * AP_CHUNK;
	sizes[1] = e->apsize * 3 / 2 / AP_CHUNK * AP_CHUNK;
	sizes[2] = ap.bar2 * 3 / 4 / AP_CHUNK * AP_CHUNK;
	vgpu_info("aperture slice %s, BAR2 %s, GET_APERTURE aper_size %s; %d runs each",
		  sz(e->apsize), sz(ap.bar2), sz(ap.aper_size), GTT_BIG_RUNS);
	vgpu_info("| object | beside | faults | time: median (min-max) | evicted |");
	vgpu_info("|---|---|---|---|---|");
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		if (sizes[i] == last || sizes[i] > ap.ram_cap)
			continue;
		last = sizes[i];
		gtt_big_case(sizes[i], 0);
		if (residents)
			gtt_big_case(sizes[i], residents);
	}
}

static const struct vgpu_subtest subtests[] = {
	{ "assumptions", "G-16 G-17", assumptions },
	{ "gtt-big", "G-26", gtt_big },
};

int main(int argc, char **argv)
{
	return vgpu_igt_main(argc, argv, subtests, ARRAY_SIZE(subtests), NULL);
}

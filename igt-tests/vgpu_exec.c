// SPDX-License-Identifier: MIT
/*
 * vgpu_exec - the vGPU runs what a GEM user submits (IGT's test-binary
 * protocol, vgpu_igt.h; run by igt_runner and by vm/'s guest init).
 *
 *  store     a MI_STORE_DWORD_IMM batch on each engine writes a softpinned
 *            (PPGTT) object; the CPU reads it back.
 *  blit      XY_SRC_COPY_BLT between linear, X- and Y-tiled objects (all
 *            nine pairs), compared byte by byte with a CPU reference of the
 *            gen9 tile layouts written here.
 *  refused   a batch whose GGTT store lands outside the vGPU's slices: the
 *            host refuses it, the guest sees that context hang and reset
 *            (GET_RESET_STATS: guilty), and keeps working.
 *  spinner   a batch that jumps to itself is ended by i915's hang recovery
 *            (heartbeat, engine reset) without an oops.
 *
 * Each hang test lowers the engine's heartbeat interval through sysfs so
 * recovery takes seconds, not tens of seconds, and restores it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <i915_drm.h>
#include <xf86drm.h>

#include "vgpu_guest.h"
#include "vgpu_igt.h"

#define MI_NOOP			0u
#define MI_ARB_CHECK		(0x05u << 23)
#define MI_BATCH_BUFFER_END	(0x0au << 23)
#define MI_STORE_DWORD_IMM	((0x20u << 23) | 2)	/* gen8: 4 dwords */
#define MI_USE_GGTT		(1u << 22)
#define MI_BATCH_BUFFER_START	((0x31u << 23) | 1)	/* gen8: 3 dwords */
#define MI_BATCH_PPGTT		(1u << 8)

#define VA_BATCH		0x100000ull	/* softpin addresses */
#define VA_TARGET		0x200000ull
#define WAIT_NS			(30ull * 1000 * 1000 * 1000)

static const struct {
	const char *name, *sysfs;
	unsigned int ring;
} engines[] = {
	{ "rcs", "rcs0", I915_EXEC_RENDER },
	{ "bcs", "bcs0", I915_EXEC_BLT },
	{ "vcs", "vcs0", I915_EXEC_BSD },
	{ "vecs", "vecs0", I915_EXEC_VEBOX },
};

static int gem_create(int fd, uint64_t size, uint32_t *handle)
{
	struct drm_i915_gem_create c = { .size = size };
	int ret = drmIoctl(fd, DRM_IOCTL_I915_GEM_CREATE, &c);

	*handle = c.handle;
	return ret;
}

static void gem_close(int fd, uint32_t handle)
{
	struct drm_gem_close c = { .handle = handle };

	drmIoctl(fd, DRM_IOCTL_GEM_CLOSE, &c);
}

static int gem_write(int fd, uint32_t handle, const void *buf, uint64_t len)
{
	struct drm_i915_gem_pwrite p = {
		.handle = handle, .size = len, .data_ptr = (uintptr_t)buf,
	};

	return drmIoctl(fd, DRM_IOCTL_I915_GEM_PWRITE, &p);
}

static int gem_read(int fd, uint32_t handle, uint64_t offset, void *buf, uint64_t len)
{
	struct drm_i915_gem_pread p = {
		.handle = handle, .offset = offset, .size = len, .data_ptr = (uintptr_t)buf,
	};

	return drmIoctl(fd, DRM_IOCTL_I915_GEM_PREAD, &p);
}

/* Wait for the object's last request: 0, or -1 with errno (ETIME...). */
static int gem_wait(int fd, uint32_t handle, uint64_t ns)
{
	struct drm_i915_gem_wait w = { .bo_handle = handle, .timeout_ns = (int64_t)ns };

	return drmIoctl(fd, DRM_IOCTL_I915_GEM_WAIT, &w);
}

/* Submit batch (softpinned at VA_BATCH) with target (at VA_TARGET). */
static int submit(int fd, uint32_t ctx, unsigned int ring, uint32_t batch, uint32_t target)
{
	struct drm_i915_gem_exec_object2 obj[2] = {
		{ .handle = target, .offset = VA_TARGET,
		  .flags = EXEC_OBJECT_PINNED | EXEC_OBJECT_SUPPORTS_48B_ADDRESS |
			   EXEC_OBJECT_WRITE },
		{ .handle = batch, .offset = VA_BATCH,
		  .flags = EXEC_OBJECT_PINNED | EXEC_OBJECT_SUPPORTS_48B_ADDRESS },
	};
	struct drm_i915_gem_execbuffer2 eb = {
		.buffers_ptr = (uintptr_t)obj, .buffer_count = 2,
		.flags = ring | I915_EXEC_NO_RELOC, .rsvd1 = ctx,
	};

	return drmIoctl(fd, DRM_IOCTL_I915_GEM_EXECBUFFER2, &eb);
}

/* Batch: store value at addr (GGTT if ggtt), end. */
static int store_batch(int fd, uint32_t batch, uint64_t addr, uint32_t value, int ggtt)
{
	uint32_t bb[8] = {
		MI_STORE_DWORD_IMM | (ggtt ? MI_USE_GGTT : 0), (uint32_t)addr,
		(uint32_t)(addr >> 32), value, MI_BATCH_BUFFER_END, MI_NOOP,
	};

	return gem_write(fd, batch, bb, sizeof(bb));
}

/* Store on one engine and read back; 0, or -1 with the subtest failed. */
static int store_on(int fd, uint32_t ctx, unsigned int e, uint32_t value)
{
	uint32_t batch, target, got = 0, zero[1024] = { 0 };
	int ret = -1;

	if (gem_create(fd, 4096, &batch) || gem_create(fd, 4096, &target)) {
		vgpu_fail("GEM_CREATE: %s", strerror(errno));
		return -1;
	}
	gem_write(fd, target, zero, sizeof(zero));
	if (store_batch(fd, batch, VA_TARGET + 64, value, 0))
		vgpu_fail("%s: PWRITE of the batch: %s", engines[e].name, strerror(errno));
	else if (submit(fd, ctx, engines[e].ring, batch, target))
		vgpu_fail("%s: EXECBUFFER2: %s", engines[e].name, strerror(errno));
	else if (gem_wait(fd, target, WAIT_NS))
		vgpu_fail("%s: GEM_WAIT: %s", engines[e].name, strerror(errno));
	else if (gem_read(fd, target, 64, &got, 4))
		vgpu_fail("%s: PREAD: %s", engines[e].name, strerror(errno));
	else if (got != value)
		vgpu_fail("%s: read back %#x, the batch stored %#x", engines[e].name, got, value);
	else
		ret = 0;
	gem_close(fd, batch);
	gem_close(fd, target);
	return ret;
}

static void t_store(void)
{
	unsigned int e, ok = 0;
	int fd = vgpu_open_i915();

	for (e = 0; e < ARRAY_SIZE(engines); e++)
		ok += !store_on(fd, 0, e, 0x5eed0000 + e);
	vgpu_info("engines=%u stored=%u", (unsigned int)ARRAY_SIZE(engines), ok);
}

/* The engine's heartbeat interval in ms (sysfs), or -1. */
static long heartbeat(const char *engine, long set)
{
	char path[128], buf[32];
	long old = -1;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/sys/class/drm/card0/engine/%s/heartbeat_interval_ms",
		 engine);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	if (n > 0) {
		buf[n] = '\0';
		old = strtol(buf, NULL, 10);
	}
	if (set >= 0) {
		n = snprintf(buf, sizeof(buf), "%ld", set);
		if (pwrite(fd, buf, (size_t)n, 0) != n)
			old = -1;
	}
	close(fd);
	return old;
}

static int ctx_create(int fd, uint32_t *ctx)
{
	struct drm_i915_gem_context_create c = { 0 };
	int ret = drmIoctl(fd, DRM_IOCTL_I915_GEM_CONTEXT_CREATE, &c);

	*ctx = c.ctx_id;
	return ret;
}

static void ctx_destroy(int fd, uint32_t ctx)
{
	struct drm_i915_gem_context_destroy d = { .ctx_id = ctx };

	drmIoctl(fd, DRM_IOCTL_I915_GEM_CONTEXT_DESTROY, &d);
}

static double seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Submit batch on a fresh context of the render engine, wait for i915 to
 * recover it, and check that it was that context's hang and that the
 * device still runs work afterwards.
 */
static void hang_and_recover(int fd, uint32_t batch)
{
	struct drm_i915_reset_stats rs = { 0 };
	uint32_t ctx, target;
	long old = heartbeat("rcs0", 200);
	double t0;

	if (old < 0) {
		vgpu_fail("cannot set rcs0's heartbeat interval through sysfs");
		return;
	}
	if (ctx_create(fd, &ctx) || gem_create(fd, 4096, &target)) {
		vgpu_fail("CONTEXT_CREATE/GEM_CREATE: %s", strerror(errno));
		heartbeat("rcs0", old);
		return;
	}
	t0 = seconds();
	if (submit(fd, ctx, I915_EXEC_RENDER, batch, target))
		vgpu_fail("EXECBUFFER2: %s", strerror(errno));
	else if (gem_wait(fd, target, WAIT_NS))
		vgpu_fail("the hung batch was not recovered in 30 s: GEM_WAIT: %s", strerror(errno));
	vgpu_info("recovered_after=%.1fs", seconds() - t0);
	rs.ctx_id = ctx;
	if (drmIoctl(fd, DRM_IOCTL_I915_GET_RESET_STATS, &rs))
		vgpu_fail("GET_RESET_STATS: %s", strerror(errno));
	else if (!rs.batch_active)
		vgpu_fail("the context was not found guilty (batch_active %u, reset_count %u)",
		     rs.batch_active, rs.reset_count);
	vgpu_info("guilty=%u", rs.batch_active);
	heartbeat("rcs0", old);
	ctx_destroy(fd, ctx);
	gem_close(fd, target);
	/* The device goes on: a store on every engine from the default context. */
	if (!store_on(fd, 0, 0, 0xa11ce) && !store_on(fd, 0, 1, 0xa11cf))
		vgpu_info("after=works");
}

static void t_refused(void)
{
	uint32_t batch;
	int fd = vgpu_open_i915();

	vgpu_assert(!gem_create(fd, 4096, &batch), "GEM_CREATE: %s", strerror(errno));
	/* GGTT page 1: the host's own part of the aperture, never a vGPU's. */
	store_batch(fd, batch, 0x1000, 0xbad, 1);
	hang_and_recover(fd, batch);
	gem_close(fd, batch);
}

static void t_spinner(void)
{
	uint32_t batch, bb[8] = {
		MI_ARB_CHECK, MI_BATCH_BUFFER_START | MI_BATCH_PPGTT,
		(uint32_t)VA_BATCH, (uint32_t)(VA_BATCH >> 32), MI_BATCH_BUFFER_END,
	};
	int fd = vgpu_open_i915();

	vgpu_assert(!gem_create(fd, 4096, &batch) && !gem_write(fd, batch, bb, sizeof(bb)),
		    "GEM_CREATE/PWRITE: %s", strerror(errno));
	hang_and_recover(fd, batch);
	gem_close(fd, batch);
}

/* ---- exec-blit ----------------------------------------------------------- */

#define BLT_W		256u	/* pixels of the surfaces, 32 bpp */
#define BLT_H		64u
#define BLT_PITCH	2048u	/* bytes: a multiple of X (512) and Y (128) tiles */
#define BLT_SIZE	(BLT_PITCH * BLT_H)
#define VA_SRC		0x300000ull
#define VA_DST		0x400000ull
#define LRI_1		((0x22u << 23) | 1)
#define BCS_SWCTRL_REG	0x22200u
#define XY_SRC_COPY	(2u << 29 | 0x53u << 22 | 3u << 20 | 8)	/* 10 dwords */
#define XY_COLOR	(2u << 29 | 0x50u << 22 | 3u << 20 | 5)	/* 7 dwords */

/*
 * Byte offset of (x bytes, y rows) in a surface, gen9 layouts without
 * swizzle, written here from the tile definitions (independently of the
 * host model): X tiles 512 B x 8 rows row-major; Y tiles 128 B x 32 rows
 * made of 16-byte columns, each column 32 rows tall.
 */
static uint32_t tiled_offset(unsigned int tiling, uint32_t x, uint32_t y)
{
	if (tiling == I915_TILING_X)
		return (y / 8 * (BLT_PITCH / 512) + x / 512) * 4096 + y % 8 * 512 + x % 512;
	if (tiling == I915_TILING_Y)
		return (y / 32 * (BLT_PITCH / 128) + x / 128) * 4096 + x % 128 / 16 * 512 +
		       y % 32 * 16 + x % 16;
	return y * BLT_PITCH + x;
}

static const char *tiling_name(unsigned int t)
{
	return t == I915_TILING_X ? "X" : t == I915_TILING_Y ? "Y" : "linear";
}

static int surface(int fd, unsigned int tiling, uint32_t *handle)
{
	struct drm_i915_gem_set_tiling st = { .tiling_mode = tiling, .stride = BLT_PITCH };

	if (gem_create(fd, BLT_SIZE, handle)) {
		vgpu_fail("GEM_CREATE: %s", strerror(errno));
		return -1;
	}
	st.handle = *handle;
	if (tiling != I915_TILING_NONE &&
	    (drmIoctl(fd, DRM_IOCTL_I915_GEM_SET_TILING, &st) || st.tiling_mode != tiling)) {
		vgpu_fail("SET_TILING %s: %s", tiling_name(tiling), strerror(errno));
		return -1;
	}
	return 0;
}

/* Run a BCS batch with src and dst softpinned; 0, or -1 with the subtest failed. */
static int blit_run(int fd, uint32_t src, uint32_t dst, const uint32_t *bb,
		    unsigned int n)
{
	uint32_t batch;
	struct drm_i915_gem_exec_object2 obj[3] = {
		{ .handle = src, .offset = VA_SRC,
		  .flags = EXEC_OBJECT_PINNED | EXEC_OBJECT_SUPPORTS_48B_ADDRESS },
		{ .handle = dst, .offset = VA_DST,
		  .flags = EXEC_OBJECT_PINNED | EXEC_OBJECT_SUPPORTS_48B_ADDRESS | EXEC_OBJECT_WRITE },
		{ .offset = VA_BATCH, .flags = EXEC_OBJECT_PINNED | EXEC_OBJECT_SUPPORTS_48B_ADDRESS },
	};
	struct drm_i915_gem_execbuffer2 eb = {
		.buffers_ptr = (uintptr_t)obj, .buffer_count = 3,
		.flags = I915_EXEC_BLT | I915_EXEC_NO_RELOC, .batch_len = 4 * n,
	};
	int ret = -1;

	if (gem_create(fd, 4096, &batch)) {
		vgpu_fail("GEM_CREATE: %s", strerror(errno));
		return -1;
	}
	obj[2].handle = batch;
	if (gem_write(fd, batch, bb, 4 * n))
		vgpu_fail("PWRITE batch: %s", strerror(errno));
	else if (drmIoctl(fd, DRM_IOCTL_I915_GEM_EXECBUFFER2, &eb))
		vgpu_fail("EXECBUFFER2 on BCS: %s", strerror(errno));
	else if (gem_wait(fd, dst, WAIT_NS))
		vgpu_fail("GEM_WAIT: %s", strerror(errno));
	else
		ret = 0;
	gem_close(fd, batch);
	return ret;
}

/* LRI of BCS_SWCTRL: tiled XY_* surfaces are Y where the bit says so. */
static unsigned int emit_swctrl(uint32_t *bb, unsigned int src_t, unsigned int dst_t)
{
	bb[0] = LRI_1;
	bb[1] = BCS_SWCTRL_REG;
	bb[2] = 3u << 16 | (src_t == I915_TILING_Y ? 1 : 0) | (dst_t == I915_TILING_Y ? 2 : 0);
	return 3;
}

/* The rectangle copied and where it lands. */
#define RX 24u
#define RY 5u
#define RW 200u
#define RH 50u
#define DX 40u
#define DY 9u

static void one_copy(int fd, unsigned int st, unsigned int dt, uint8_t *src_raw,
		     uint8_t *want, uint8_t *got, unsigned int *bad_pairs)
{
	uint32_t src, dst, bb[16];
	unsigned int n, x, y, i, mismatches = 0, first = 0;
	uint32_t sp = st == I915_TILING_NONE ? BLT_PITCH : BLT_PITCH / 4;	/* tiled: dwords */
	uint32_t dp = dt == I915_TILING_NONE ? BLT_PITCH : BLT_PITCH / 4;

	if (surface(fd, st, &src) || surface(fd, dt, &dst)) {
		++*bad_pairs;
		return;
	}
	for (i = 0; i < BLT_SIZE; i++)
		want[i] = (uint8_t)(i * 7 + st * 3 + dt);
	gem_write(fd, dst, want, BLT_SIZE);
	gem_write(fd, src, src_raw, BLT_SIZE);
	/* The reference: every byte of the rectangle, through both layouts. */
	for (y = 0; y < RH; y++)
		for (x = 0; x < RW * 4; x++)
			want[tiled_offset(dt, DX * 4 + x, DY + y)] =
				src_raw[tiled_offset(st, RX * 4 + x, RY + y)];
	n = emit_swctrl(bb, st, dt);
	bb[n++] = XY_SRC_COPY | (st != I915_TILING_NONE ? 1u << 15 : 0) |
		  (dt != I915_TILING_NONE ? 1u << 11 : 0);
	bb[n++] = 3u << 24 | 0xccu << 16 | dp;
	bb[n++] = DY << 16 | DX;
	bb[n++] = (DY + RH) << 16 | (DX + RW);
	bb[n++] = (uint32_t)VA_DST;
	bb[n++] = 0;
	bb[n++] = RY << 16 | RX;
	bb[n++] = sp;
	bb[n++] = (uint32_t)VA_SRC;
	bb[n++] = 0;
	bb[n++] = MI_BATCH_BUFFER_END;
	if (n & 1)
		bb[n++] = MI_NOOP;	/* execbuf wants batch_len in qwords */
	if (blit_run(fd, src, dst, bb, n)) {
		++*bad_pairs;
	} else {
		if (gem_read(fd, dst, 0, got, BLT_SIZE))
			vgpu_fail("PREAD: %s", strerror(errno));
		for (i = 0; i < BLT_SIZE; i++)
			if (got[i] != want[i] && !mismatches++)
				first = i;
		if (mismatches) {
			vgpu_fail("%s -> %s: %u bytes differ from the CPU reference, first at %#x "
			     "(got %#x, want %#x)", tiling_name(st), tiling_name(dt), mismatches,
			     first, got[first], want[first]);
			++*bad_pairs;
		}
	}
	gem_close(fd, src);
	gem_close(fd, dst);
}

static void t_blit(void)
{
	static const unsigned int t[] = { I915_TILING_NONE, I915_TILING_X, I915_TILING_Y };
	static uint8_t src_raw[BLT_SIZE], want[BLT_SIZE], got[BLT_SIZE];
	unsigned int s, d, i, bad = 0;
	int fd = vgpu_open_i915();

	for (i = 0; i < BLT_SIZE; i++)
		src_raw[i] = (uint8_t)(i * 2654435761u >> 24);
	for (s = 0; s < 3; s++)
		for (d = 0; d < 3; d++)
			one_copy(fd, t[s], t[d], src_raw, want, got, &bad);
	vgpu_info("pairs=9 bad=%u surface=%ux%u rect=%ux%u", bad, BLT_W, BLT_H, RW, RH);
}

/* Skip (as IGT's igt_require_gem) when the GT is terminally wedged. */
static void fixture(void)
{
	int fd = vgpu_open_i915();

	vgpu_require(!drmIoctl(fd, DRM_IOCTL_I915_GEM_THROTTLE, NULL) || errno != EIO,
		     "GEM_THROTTLE: -EIO: the GT is wedged");
}

static const struct vgpu_subtest tests[] = {
	{ "store", "H-18 H-19 H-22", t_store },
	{ "blit", "H-18 H-19", t_blit },
	{ "refused", "H-14 H-18 H-20", t_refused },
	{ "spinner", "H-20", t_spinner },
};

int main(int argc, char **argv)
{
	return vgpu_igt_main(argc, argv, tests, ARRAY_SIZE(tests), fixture);
}

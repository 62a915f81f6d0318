// SPDX-License-Identifier: MIT
/*
 * vgpu_check's execution subtests: the vGPU runs what a GEM user submits.
 *
 *  exec-store     a MI_STORE_DWORD_IMM batch on each engine writes a
 *                 softpinned (PPGTT) object; the CPU reads it back.
 *  exec-blit      XY_SRC_COPY_BLT between linear, X- and Y-tiled objects
 *                 (all nine pairs), compared byte by byte with a CPU
 *                 reference of the gen9 tile layouts.
 *  exec-refused   a batch whose GGTT store lands outside the vGPU's slices:
 *                 the host refuses it, the guest sees that context hang and
 *                 reset (GET_RESET_STATS: guilty), and keeps working.
 *  exec-spinner   a batch that jumps to itself is ended by i915's hang
 *                 recovery (heartbeat, engine reset) without an oops.
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
#include <sys/ioctl.h>

#include "vgpu_check.h"

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
	int ret = xioctl(fd, DRM_IOCTL_I915_GEM_CREATE, &c);

	*handle = c.handle;
	return ret;
}

static void gem_close(int fd, uint32_t handle)
{
	struct drm_gem_close c = { .handle = handle };

	xioctl(fd, DRM_IOCTL_GEM_CLOSE, &c);
}

static int gem_write(int fd, uint32_t handle, const void *buf, uint64_t len)
{
	struct drm_i915_gem_pwrite p = {
		.handle = handle, .size = len, .data_ptr = (uintptr_t)buf,
	};

	return xioctl(fd, DRM_IOCTL_I915_GEM_PWRITE, &p);
}

static int gem_read(int fd, uint32_t handle, uint64_t offset, void *buf, uint64_t len)
{
	struct drm_i915_gem_pread p = {
		.handle = handle, .offset = offset, .size = len, .data_ptr = (uintptr_t)buf,
	};

	return xioctl(fd, DRM_IOCTL_I915_GEM_PREAD, &p);
}

/* Wait for the object's last request: 0, or -1 with errno (ETIME...). */
static int gem_wait(int fd, uint32_t handle, uint64_t ns)
{
	struct drm_i915_gem_wait w = { .bo_handle = handle, .timeout_ns = (int64_t)ns };

	return xioctl(fd, DRM_IOCTL_I915_GEM_WAIT, &w);
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

	return xioctl(fd, DRM_IOCTL_I915_GEM_EXECBUFFER2, &eb);
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

/* Store on one engine and read back; 0 or -1 with r failed. */
static int store_on(struct res *r, int fd, uint32_t ctx, unsigned int e, uint32_t value)
{
	uint32_t batch, target, got = 0, zero[1024] = { 0 };
	int ret = -1;

	if (gem_create(fd, 4096, &batch) || gem_create(fd, 4096, &target)) {
		fail(r, "GEM_CREATE: %s", strerror(errno));
		return -1;
	}
	gem_write(fd, target, zero, sizeof(zero));
	if (store_batch(fd, batch, VA_TARGET + 64, value, 0))
		fail(r, "%s: PWRITE of the batch: %s", engines[e].name, strerror(errno));
	else if (submit(fd, ctx, engines[e].ring, batch, target))
		fail(r, "%s: EXECBUFFER2: %s", engines[e].name, strerror(errno));
	else if (gem_wait(fd, target, WAIT_NS))
		fail(r, "%s: GEM_WAIT: %s", engines[e].name, strerror(errno));
	else if (gem_read(fd, target, 64, &got, 4))
		fail(r, "%s: PREAD: %s", engines[e].name, strerror(errno));
	else if (got != value)
		fail(r, "%s: read back %#x, the batch stored %#x", engines[e].name, got, value);
	else
		ret = 0;
	gem_close(fd, batch);
	gem_close(fd, target);
	return ret;
}

void t_exec_store(struct res *r)
{
	unsigned int e, ok = 0;
	int fd = open_card(r);

	if (fd < 0)
		return;
	for (e = 0; e < ARRAY_SIZE(engines); e++)
		ok += !store_on(r, fd, 0, e, 0x5eed0000 + e);
	kv(r, "engines=%u stored=%u", (unsigned int)ARRAY_SIZE(engines), ok);
	close(fd);
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
	int ret = xioctl(fd, DRM_IOCTL_I915_GEM_CONTEXT_CREATE, &c);

	*ctx = c.ctx_id;
	return ret;
}

static void ctx_destroy(int fd, uint32_t ctx)
{
	struct drm_i915_gem_context_destroy d = { .ctx_id = ctx };

	xioctl(fd, DRM_IOCTL_I915_GEM_CONTEXT_DESTROY, &d);
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
static void hang_and_recover(struct res *r, int fd, uint32_t batch)
{
	struct drm_i915_reset_stats rs = { 0 };
	uint32_t ctx, target;
	long old = heartbeat("rcs0", 200);
	double t0;

	if (old < 0) {
		fail(r, "cannot set rcs0's heartbeat interval through sysfs");
		return;
	}
	if (ctx_create(fd, &ctx) || gem_create(fd, 4096, &target)) {
		fail(r, "CONTEXT_CREATE/GEM_CREATE: %s", strerror(errno));
		heartbeat("rcs0", old);
		return;
	}
	t0 = seconds();
	if (submit(fd, ctx, I915_EXEC_RENDER, batch, target))
		fail(r, "EXECBUFFER2: %s", strerror(errno));
	else if (gem_wait(fd, target, WAIT_NS))
		fail(r, "the hung batch was not recovered in 30 s: GEM_WAIT: %s", strerror(errno));
	kv(r, "recovered_after=%.1fs", seconds() - t0);
	rs.ctx_id = ctx;
	if (xioctl(fd, DRM_IOCTL_I915_GET_RESET_STATS, &rs))
		fail(r, "GET_RESET_STATS: %s", strerror(errno));
	else if (!rs.batch_active)
		fail(r, "the context was not found guilty (batch_active %u, reset_count %u)",
		     rs.batch_active, rs.reset_count);
	kv(r, "guilty=%u", rs.batch_active);
	heartbeat("rcs0", old);
	ctx_destroy(fd, ctx);
	gem_close(fd, target);
	/* The device goes on: a store on every engine from the default context. */
	if (!store_on(r, fd, 0, 0, 0xa11ce) && !store_on(r, fd, 0, 1, 0xa11cf))
		kv(r, "after=works");
}

void t_exec_refused(struct res *r)
{
	uint32_t batch;
	int fd = open_card(r);

	if (fd < 0)
		return;
	if (!need_expect(r) || gem_create(fd, 4096, &batch)) {
		close(fd);
		return;
	}
	/* GGTT page 1: the host's own part of the aperture, never a vGPU's. */
	store_batch(fd, batch, 0x1000, 0xbad, 1);
	hang_and_recover(r, fd, batch);
	gem_close(fd, batch);
	close(fd);
}

void t_exec_spinner(struct res *r)
{
	uint32_t batch, bb[8] = {
		MI_ARB_CHECK, MI_BATCH_BUFFER_START | MI_BATCH_PPGTT,
		(uint32_t)VA_BATCH, (uint32_t)(VA_BATCH >> 32), MI_BATCH_BUFFER_END,
	};
	int fd = open_card(r);

	if (fd < 0)
		return;
	if (gem_create(fd, 4096, &batch) || gem_write(fd, batch, bb, sizeof(bb))) {
		fail(r, "GEM_CREATE/PWRITE: %s", strerror(errno));
		close(fd);
		return;
	}
	hang_and_recover(r, fd, batch);
	gem_close(fd, batch);
	close(fd);
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

static int surface(struct res *r, int fd, unsigned int tiling, uint32_t *handle)
{
	struct drm_i915_gem_set_tiling st = { .tiling_mode = tiling, .stride = BLT_PITCH };

	if (gem_create(fd, BLT_SIZE, handle)) {
		fail(r, "GEM_CREATE: %s", strerror(errno));
		return -1;
	}
	st.handle = *handle;
	if (tiling != I915_TILING_NONE &&
	    (xioctl(fd, DRM_IOCTL_I915_GEM_SET_TILING, &st) || st.tiling_mode != tiling)) {
		fail(r, "SET_TILING %s: %s", tiling_name(tiling), strerror(errno));
		return -1;
	}
	return 0;
}

/* Run a BCS batch with src and dst softpinned; 0 or -1 with r failed. */
static int blit_run(struct res *r, int fd, uint32_t src, uint32_t dst, const uint32_t *bb,
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
		fail(r, "GEM_CREATE: %s", strerror(errno));
		return -1;
	}
	obj[2].handle = batch;
	if (gem_write(fd, batch, bb, 4 * n))
		fail(r, "PWRITE batch: %s", strerror(errno));
	else if (xioctl(fd, DRM_IOCTL_I915_GEM_EXECBUFFER2, &eb))
		fail(r, "EXECBUFFER2 on BCS: %s", strerror(errno));
	else if (gem_wait(fd, dst, WAIT_NS))
		fail(r, "GEM_WAIT: %s", strerror(errno));
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

static void one_copy(struct res *r, int fd, unsigned int st, unsigned int dt, uint8_t *src_raw,
		     uint8_t *want, uint8_t *got, unsigned int *bad_pairs)
{
	uint32_t src, dst, bb[16];
	unsigned int n, x, y, i, mismatches = 0, first = 0;
	uint32_t sp = st == I915_TILING_NONE ? BLT_PITCH : BLT_PITCH / 4;	/* tiled: dwords */
	uint32_t dp = dt == I915_TILING_NONE ? BLT_PITCH : BLT_PITCH / 4;

	if (surface(r, fd, st, &src) || surface(r, fd, dt, &dst)) {
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
	if (blit_run(r, fd, src, dst, bb, n)) {
		++*bad_pairs;
	} else {
		if (gem_read(fd, dst, 0, got, BLT_SIZE))
			fail(r, "PREAD: %s", strerror(errno));
		for (i = 0; i < BLT_SIZE; i++)
			if (got[i] != want[i] && !mismatches++)
				first = i;
		if (mismatches) {
			fail(r, "%s -> %s: %u bytes differ from the CPU reference, first at %#x "
			     "(got %#x, want %#x)", tiling_name(st), tiling_name(dt), mismatches,
			     first, got[first], want[first]);
			++*bad_pairs;
		}
	}
	gem_close(fd, src);
	gem_close(fd, dst);
}

void t_exec_blit(struct res *r)
{
	static const unsigned int t[] = { I915_TILING_NONE, I915_TILING_X, I915_TILING_Y };
	uint8_t *src_raw = malloc(BLT_SIZE), *want = malloc(BLT_SIZE), *got = malloc(BLT_SIZE);
	unsigned int s, d, i, bad = 0;
	int fd = open_card(r);

	if (fd < 0 || !src_raw || !want || !got) {
		if (fd >= 0)
			fail(r, "out of memory");
		goto out;
	}
	for (i = 0; i < BLT_SIZE; i++)
		src_raw[i] = (uint8_t)(i * 2654435761u >> 24);
	for (s = 0; s < 3; s++)
		for (d = 0; d < 3; d++)
			one_copy(r, fd, t[s], t[d], src_raw, want, got, &bad);
	kv(r, "pairs=9 bad=%u surface=%ux%u rect=%ux%u", bad, BLT_W, BLT_H, RW, RH);
out:
	if (fd >= 0)
		close(fd);
	free(src_raw);
	free(want);
	free(got);
}

// SPDX-License-Identifier: MIT
/*
 * The blitter (src/blit.c) against a CPU reference that works pixel by
 * pixel on the tiling reference (vgt_tile_offset), never on blit.c's run
 * and band walks: every drawing command on linear, X- and Y-tiled
 * surfaces, 8/16/32 bpp (fast copy up to 128), odd rectangles, clipping,
 * write enables, ROPs, overlapping copies, round trips through tiled
 * surfaces, faults and refusals. Each case compares the whole memory, so
 * a stray byte outside the rectangle fails too. Commands are built as
 * IGT 2.x's lib/intel_batchbuffer.c builds them (gen8+ lengths, 48-bit
 * address pairs, tiled pitches in dwords).
 */
#include <errno.h>
#include <stdint.h>

#include "vgt_blit.h"
#include "vgt_test.h"
#include "vgt_tiling.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* --- a flat address space ------------------------------------------------ */

struct flat {
	uint8_t *mem;
	size_t size;
	uint64_t bad_lo, bad_hi;	/* accesses touching [lo, hi) fault */
	unsigned int reads, writes;	/* accessor calls */
	size_t max_write;
};

static int flat_check(struct flat *f, uint64_t addr, size_t len)
{
	if (addr > f->size || len > f->size - addr)
		return -EFAULT;
	if (addr < f->bad_hi && f->bad_lo < addr + len)
		return -EFAULT;
	return 0;
}

static int flat_read(void *as, uint64_t addr, void *buf, size_t len)
{
	struct flat *f = as;
	int ret = flat_check(f, addr, len);

	f->reads++;
	if (!ret)
		memcpy(buf, f->mem + addr, len);
	return ret;
}

static int flat_write(void *as, uint64_t addr, const void *buf, size_t len)
{
	struct flat *f = as;
	int ret = flat_check(f, addr, len);

	f->writes++;
	if (len > f->max_write)
		f->max_write = len;
	if (!ret)
		memcpy(f->mem + addr, buf, len);
	return ret;
}

static uint32_t rng;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static void flat_init(struct flat *f, size_t size)
{
	size_t i;

	memset(f, 0, sizeof(*f));
	f->size = size;
	f->mem = malloc(size);
	for (i = 0; i + 4 <= size; i += 4) {
		uint32_t v = rnd();

		memcpy(f->mem + i, &v, 4);
	}
}

/* --- the reference --------------------------------------------------------- */

struct rsurf {
	uint64_t base;
	enum vgt_tiling tiling;
	uint32_t pitch;			/* bytes */
};

static uint64_t px_addr(const struct rsurf *s, uint32_t cpp, int32_t x, int32_t y)
{
	struct vgt_tile_layout l = { s->tiling, s->pitch };

	return s->base + vgt_tile_offset(&l, (uint32_t)x * cpp, (uint32_t)y);
}

/* One bit at a time: bit (P S D) of the ROP. */
static uint8_t ref_rop(uint8_t rop, uint8_t p, uint8_t s, uint8_t d)
{
	uint8_t r = 0;
	int k;

	for (k = 0; k < 8; k++) {
		int idx = ((p >> k) & 1) << 2 | ((s >> k) & 1) << 1 | ((d >> k) & 1);

		r |= ((rop >> idx) & 1) << k;
	}
	return r;
}

struct ref_blit {
	uint32_t cpp;
	uint8_t rop;
	uint32_t color;			/* pattern (and S for a pixel blit) */
	bool has_src, src_is_color;
	uint8_t mask[16];
	struct rsurf dst, src;
	int32_t dx1, dy1, dx2, dy2, sx, sy;
	bool clip;
	int32_t cx1, cy1, cx2, cy2;
};

/* Apply to exp, reading sources from before (the memory before the blit). */
static void ref_apply(const struct ref_blit *r, const uint8_t *before, uint8_t *exp)
{
	int32_t x, y;
	uint32_t b;

	for (y = r->dy1; y < r->dy2; y++)
		for (x = r->dx1; x < r->dx2; x++) {
			uint64_t d, src = 0;

			if (r->clip && (x < r->cx1 || x >= r->cx2 || y < r->cy1 || y >= r->cy2))
				continue;
			d = px_addr(&r->dst, r->cpp, x, y);
			if (r->has_src)
				src = px_addr(&r->src, r->cpp, r->sx + x - r->dx1, r->sy + y - r->dy1);
			for (b = 0; b < r->cpp; b++) {
				uint8_t p = b < 4 ? (uint8_t)(r->color >> (8 * b)) : 0, s = p, v;

				if (r->has_src)
					s = before[src + b];
				v = ref_rop(r->rop, p, s, before[d + b]);
				if (r->mask[b])
					exp[d + b] = v;
			}
		}
}

static void full_mask(struct ref_blit *r)
{
	memset(r->mask, 1, sizeof(r->mask));
}

/* --- command builders (as IGT's) -------------------------------------------- */

static uint32_t depth_bits(uint32_t cpp)
{
	return cpp == 4 ? 3u << 24 : cpp == 2 ? 1u << 24 : 0;
}

static uint32_t pitch_field(const struct rsurf *s)
{
	return s->tiling ? s->pitch / 4 : s->pitch;
}

/* BCS_SWCTRL value for these tilings (what IGT loads by MI_LOAD_REGISTER_IMM). */
static uint32_t swctrl_for(const struct rsurf *src, const struct rsurf *dst)
{
	return (BCS_SRC_Y | BCS_DST_Y) << 16 |
	       (src && src->tiling == VGT_TILING_Y ? BCS_SRC_Y : 0) |
	       (dst->tiling == VGT_TILING_Y ? BCS_DST_Y : 0);
}

static unsigned int build_src_copy(uint32_t *b, const struct ref_blit *r, uint32_t wr)
{
	b[0] = 2u << 29 | 0x53u << 22 | wr | (r->src.tiling ? 1u << 15 : 0) |
	       (r->dst.tiling ? 1u << 11 : 0) | 8;
	b[1] = (r->clip ? 1u << 30 : 0) | depth_bits(r->cpp) | (uint32_t)r->rop << 16 |
	       pitch_field(&r->dst);
	b[2] = (uint32_t)r->dy1 << 16 | (uint16_t)r->dx1;
	b[3] = (uint32_t)r->dy2 << 16 | (uint16_t)r->dx2;
	b[4] = (uint32_t)r->dst.base;
	b[5] = (uint32_t)(r->dst.base >> 32);
	b[6] = (uint32_t)r->sy << 16 | (uint16_t)r->sx;
	b[7] = pitch_field(&r->src);
	b[8] = (uint32_t)r->src.base;
	b[9] = (uint32_t)(r->src.base >> 32);
	return 10;
}

static unsigned int build_color(uint32_t *b, const struct ref_blit *r, uint32_t wr)
{
	b[0] = 2u << 29 | 0x50u << 22 | wr | (r->dst.tiling ? 1u << 11 : 0) | 5;
	b[1] = (r->clip ? 1u << 30 : 0) | depth_bits(r->cpp) | (uint32_t)r->rop << 16 |
	       pitch_field(&r->dst);
	b[2] = (uint32_t)r->dy1 << 16 | (uint16_t)r->dx1;
	b[3] = (uint32_t)r->dy2 << 16 | (uint16_t)r->dx2;
	b[4] = (uint32_t)r->dst.base;
	b[5] = (uint32_t)(r->dst.base >> 32);
	b[6] = r->color;
	return 7;
}

static uint32_t fast_depth(uint32_t cpp)
{
	switch (cpp) {
	case 1: return 0;
	case 2: return 1u << 24;
	case 4: return 3u << 24;
	case 8: return 4u << 24;
	default: return 5u << 24;
	}
}

static unsigned int build_fast_copy(uint32_t *b, const struct ref_blit *r)
{
	b[0] = 2u << 29 | 0x42u << 22 | (r->src.tiling == VGT_TILING_Y ? 2u << 20 : 0) |
	       (r->dst.tiling == VGT_TILING_Y ? 2u << 13 : 0) | 8;
	b[1] = fast_depth(r->cpp) | pitch_field(&r->dst);
	b[2] = (uint32_t)r->dy1 << 16 | (uint16_t)r->dx1;
	b[3] = (uint32_t)r->dy2 << 16 | (uint16_t)r->dx2;
	b[4] = (uint32_t)r->dst.base;
	b[5] = (uint32_t)(r->dst.base >> 32);
	b[6] = (uint32_t)r->sy << 16 | (uint16_t)r->sx;
	b[7] = pitch_field(&r->src);
	b[8] = (uint32_t)r->src.base;
	b[9] = (uint32_t)(r->src.base >> 32);
	return 10;
}

/* Run dw on f, compare with the reference applied to a copy; 0 if equal. */
static size_t run_and_compare(struct flat *f, struct vgt_blt_state *st, const uint32_t *dw,
			      unsigned int n, const struct ref_blit *r, int *ret)
{
	struct vgt_gm_access gm = { flat_read, flat_write, f };
	uint8_t *before = malloc(f->size), *exp = malloc(f->size);
	size_t i, bad = 0, first = 0;

	memcpy(before, f->mem, f->size);
	memcpy(exp, f->mem, f->size);
	if (r)
		ref_apply(r, before, exp);
	*ret = vgt_blt_exec(&gm, st, dw, n, NULL);
	for (i = memcmp(f->mem, exp, f->size) ? 0 : f->size; i < f->size; i++)
		if (f->mem[i] != exp[i] && !bad++)
			first = i;
	if (bad)
		printf("# %zu bytes differ, first at %#zx: got %#x want %#x (was %#x)\n", bad, first,
		       f->mem[first], exp[first], before[first]);
	free(before);
	free(exp);
	return bad;
}

static const enum vgt_tiling tilings[] = { VGT_TILING_NONE, VGT_TILING_X, VGT_TILING_Y };
static const uint32_t cpps[] = { 1, 2, 4 };

/* A surface at base for w x h pixels of cpp bytes; pitch rounded to the tile. */
static struct rsurf make_surf(uint64_t base, enum vgt_tiling t, uint32_t w, uint32_t cpp,
			      uint32_t extra)
{
	uint32_t tw = t == VGT_TILING_NONE ? 4 : vgt_tile_width(t);
	struct rsurf s = { base, t, (w * cpp + extra + tw - 1) / tw * tw };

	return s;
}

TEST(color_fill_every_layout_and_depth, "")
{
	unsigned int t, c;

	rng = vgt_test_seed();
	for (t = 0; t < ARRAY_SIZE(tilings); t++)
		for (c = 0; c < ARRAY_SIZE(cpps); c++) {
			struct flat f;
			struct vgt_blt_state st;
			struct ref_blit r = { .cpp = cpps[c], .rop = 0xf0, .color = rnd() };
			uint32_t dw[16];
			unsigned int n;
			int ret;

			flat_init(&f, 1 << 20);
			vgt_blt_state_init(&st);
			r.dst = make_surf(0x1000, tilings[t], 300, r.cpp, 0);
			r.dx1 = 3 + rnd() % 50;
			r.dy1 = 1 + rnd() % 40;
			r.dx2 = r.dx1 + 1 + rnd() % 200;
			r.dy2 = r.dy1 + 1 + rnd() % 60;
			full_mask(&r);
			vgt_blt_swctrl_write(&st, swctrl_for(NULL, &r.dst));
			n = build_color(dw, &r, 3u << 20);
			CHECK(!run_and_compare(&f, &st, dw, n, &r, &ret) && ret == 0,
			      "XY_COLOR_BLT %s %u bpp (%d,%d)-(%d,%d): ret %d %s",
			      vgt_tiling_name(tilings[t]), 8 * r.cpp, r.dx1, r.dy1, r.dx2, r.dy2, ret,
			      vgt_blt_reason(&st));
			free(f.mem);
		}
}

/*
 * One copy of a random odd rectangle between surfaces of the given
 * layouts, by XY_SRC_COPY_BLT or XY_FAST_COPY_BLT, checked.
 */
static void check_random_copy(bool fast, enum vgt_tiling from, enum vgt_tiling to,
			      uint32_t cpp)
{
	struct flat f;
	struct vgt_blt_state st;
	struct ref_blit r = { .cpp = cpp, .rop = 0xcc, .has_src = true };
	uint32_t dw[16];
	unsigned int n;
	int ret;

	flat_init(&f, 2 << 20);
	vgt_blt_state_init(&st);
	r.src = make_surf(0x2000, from, 200, r.cpp, 0);
	r.dst = make_surf(0x100000, to, 190, r.cpp, 0);
	r.sx = rnd() % 10;
	r.sy = rnd() % 50;
	r.dx1 = rnd() % 10;
	r.dy1 = rnd() % 30;
	r.dx2 = r.dx1 + 1 + rnd() % 179;
	r.dy2 = r.dy1 + 1 + rnd() % 40;
	full_mask(&r);
	vgt_blt_swctrl_write(&st, swctrl_for(&r.src, &r.dst));
	n = fast ? build_fast_copy(dw, &r) : build_src_copy(dw, &r, 3u << 20);
	CHECK(!run_and_compare(&f, &st, dw, n, &r, &ret) && ret == 0,
	      "%s %s -> %s %u bpp (%d,%d)-(%d,%d) from (%d,%d): ret %d %s",
	      fast ? "XY_FAST_COPY_BLT" : "XY_SRC_COPY_BLT", vgt_tiling_name(from),
	      vgt_tiling_name(to), 8 * r.cpp, r.dx1, r.dy1, r.dx2, r.dy2, r.sx, r.sy, ret,
	      vgt_blt_reason(&st));
	free(f.mem);
}

TEST(src_copy_every_layout_pair_and_depth, "")
{
	unsigned int s, d, c;

	rng = vgt_test_seed() + 1;
	for (s = 0; s < ARRAY_SIZE(tilings); s++)
		for (d = 0; d < ARRAY_SIZE(tilings); d++)
			for (c = 0; c < ARRAY_SIZE(cpps); c++)
				check_random_copy(false, tilings[s], tilings[d], cpps[c]);
}

/* Fast copy on gen9: linear and legacy Tile-Y (IGT's gen11_cmds_info), 1 to 16 bytes a pixel. */
TEST(fast_copy_linear_and_tile_y, "")
{
	static const enum vgt_tiling fast[] = { VGT_TILING_NONE, VGT_TILING_Y };
	static const uint32_t fcpp[] = { 1, 2, 4, 8, 16 };
	unsigned int s, d, c;

	rng = vgt_test_seed() + 2;
	for (s = 0; s < ARRAY_SIZE(fast); s++)
		for (d = 0; d < ARRAY_SIZE(fast); d++)
			for (c = 0; c < ARRAY_SIZE(fcpp); c++)
				check_random_copy(true, fast[s], fast[d], fcpp[c]);
}

/*
 * linear -> X -> Y -> linear and linear -> Y -> X -> linear: every stage
 * holds the picture where the tiling reference puts it, and the last one
 * gives it back.
 */
TEST(round_trips_through_tiled, "")
{
	static const enum vgt_tiling orders[2][2] = { { VGT_TILING_X, VGT_TILING_Y },
						      { VGT_TILING_Y, VGT_TILING_X } };
	const uint32_t w = 257, h = 77;
	unsigned int o, k;

	rng = vgt_test_seed() + 3;
	for (o = 0; o < 2; o++) {
		struct flat f;
		struct vgt_blt_state st;
		struct vgt_gm_access gm = { flat_read, flat_write, &f };
		struct rsurf stage[4];
		uint32_t dw[16], x, y, bad = 0;
		int ret = 0;

		flat_init(&f, 2 << 20);
		vgt_blt_state_init(&st);
		stage[0] = make_surf(0, VGT_TILING_NONE, w, 4, 12);
		stage[1] = make_surf(0x80000, orders[o][0], w, 4, 0);
		stage[2] = make_surf(0x100000, orders[o][1], w, 4, 0);
		stage[3] = make_surf(0x180000, VGT_TILING_NONE, w, 4, 0);
		for (k = 0; k < 3; k++) {
			struct ref_blit r = { .cpp = 4, .rop = 0xcc, .has_src = true,
					      .dx2 = (int32_t)w, .dy2 = (int32_t)h };

			r.src = stage[k];
			r.dst = stage[k + 1];
			vgt_blt_swctrl_write(&st, swctrl_for(&r.src, &r.dst));
			ret |= vgt_blt_exec(&gm, &st, dw, build_src_copy(dw, &r, 3u << 20), NULL);
		}
		for (y = 0; y < h; y++)
			for (x = 0; x < w * 4; x++) {
				uint8_t orig = f.mem[stage[0].base + y * stage[0].pitch + x];

				for (k = 1; k < 4; k++)
					bad += f.mem[px_addr(&stage[k], 1, x, y)] != orig;
			}
		CHECK(!ret && !bad, "linear -> %s -> %s -> linear: ret %d, %u bytes misplaced (%s)",
		      vgt_tiling_name(orders[o][0]), vgt_tiling_name(orders[o][1]), ret, bad,
		      vgt_blt_reason(&st));
		free(f.mem);
	}
}

TEST(clipping, "")
{
	struct flat f;
	struct vgt_blt_state st;
	struct ref_blit r = { .cpp = 4, .rop = 0xf0, .color = 0x11223344, .clip = true };
	uint32_t dw[16], clip[3];
	struct vgt_gm_access gm = { flat_read, flat_write, &f };
	unsigned int n, t;
	int ret;

	rng = vgt_test_seed() + 4;
	for (t = 0; t < ARRAY_SIZE(tilings); t++) {
		flat_init(&f, 1 << 20);
		vgt_blt_state_init(&st);
		r.has_src = false;
		r.rop = 0xf0;
		r.dst = make_surf(0x10000, tilings[t], 200, 4, 0);
		full_mask(&r);
		r.dx1 = 5, r.dy1 = 2, r.dx2 = 150, r.dy2 = 60;
		r.cx1 = 20, r.cy1 = 9, r.cx2 = 101, r.cy2 = 47;
		clip[0] = 2u << 29 | 0x03u << 22 | 1;
		clip[1] = (uint32_t)r.cy1 << 16 | (uint32_t)r.cx1;
		clip[2] = (uint32_t)r.cy2 << 16 | (uint32_t)r.cx2;
		CHECK(vgt_blt_exec(&gm, &st, clip, 3, NULL) == 0, "XY_SETUP_CLIP_BLT");
		vgt_blt_swctrl_write(&st, swctrl_for(NULL, &r.dst));
		n = build_color(dw, &r, 3u << 20);
		CHECK(!run_and_compare(&f, &st, dw, n, &r, &ret) && !ret,
		      "clipped XY_COLOR_BLT on %s: %d %s", vgt_tiling_name(tilings[t]), ret,
		      vgt_blt_reason(&st));
		/* A copy whose destination starts left of and above the clip. */
		r.has_src = true;
		r.rop = 0xcc;
		r.src = make_surf(0x80000, tilings[2 - t], 200, 4, 0);
		r.sx = 7, r.sy = 3;
		vgt_blt_swctrl_write(&st, swctrl_for(&r.src, &r.dst));
		n = build_src_copy(dw, &r, 3u << 20);
		CHECK(!run_and_compare(&f, &st, dw, n, &r, &ret) && !ret,
		      "clipped XY_SRC_COPY_BLT %s -> %s: %d %s", vgt_tiling_name(tilings[2 - t]),
		      vgt_tiling_name(tilings[t]), ret, vgt_blt_reason(&st));
		/* Clipping off: the same command ignores the rectangle. */
		r.clip = false;
		n = build_src_copy(dw, &r, 3u << 20);
		CHECK(!run_and_compare(&f, &st, dw, n, &r, &ret) && !ret, "clip disabled");
		r.clip = true;
		free(f.mem);
	}
	/* A clip rectangle that excludes everything writes nothing. */
	flat_init(&f, 1 << 20);
	vgt_blt_state_init(&st);
	r.has_src = false;
	r.rop = 0xf0;
	r.dst = make_surf(0x10000, VGT_TILING_NONE, 200, 4, 0);
	r.cx1 = r.cx2 = 0;
	r.cy1 = r.cy2 = 0;
	n = build_color(dw, &r, 3u << 20);
	CHECK(!run_and_compare(&f, &st, dw, n, &r, &ret) && !ret, "empty clip: no write");
	CHECK(f.writes == 0, "empty clip: %u writes", f.writes);
	free(f.mem);
}

TEST(write_enables_and_rops, "")
{
	static const uint8_t color_rops[] = { 0x00, 0xff, 0x55, 0x5a, 0xa5, 0x0f, 0xaa, 0xfa };
	static const uint8_t copy_rops[] = { 0x00, 0x33, 0x66, 0x88, 0xee, 0x99, 0x44, 0xbb };
	static const uint32_t wr[] = { 0, 1u << 20, 1u << 21, 3u << 20 };
	unsigned int i, w, t;

	rng = vgt_test_seed() + 5;
	for (t = 0; t < ARRAY_SIZE(tilings); t++)
		for (w = 0; w < ARRAY_SIZE(wr); w++)
			for (i = 0; i < ARRAY_SIZE(color_rops); i++) {
				struct flat f;
				struct vgt_blt_state st;
				struct ref_blit r = { .cpp = 4, .color = rnd() };
				uint32_t dw[16];
				unsigned int n;
				int ret;

				flat_init(&f, 1 << 20);
				vgt_blt_state_init(&st);
				r.dst = make_surf(0x8000, tilings[t], 100, 4, 0);
				r.src = make_surf(0x40000, tilings[(t + 1) % 3], 100, 4, 0);
				r.dx1 = 1, r.dy1 = 3, r.dx2 = 37, r.dy2 = 41;
				r.sx = 2, r.sy = 5;
				memset(r.mask, 0, sizeof(r.mask));
				memset(r.mask, wr[w] & (1u << 20) ? 1 : 0, 3);
				r.mask[3] = wr[w] & (1u << 21) ? 1 : 0;
				r.rop = color_rops[i];
				vgt_blt_swctrl_write(&st, swctrl_for(&r.src, &r.dst));
				n = build_color(dw, &r, wr[w]);
				CHECK(!run_and_compare(&f, &st, dw, n, &r, &ret) && !ret,
				      "XY_COLOR_BLT %s rop %#x enables %#x: %d %s",
				      vgt_tiling_name(tilings[t]), r.rop, wr[w] >> 20, ret,
				      vgt_blt_reason(&st));
				r.rop = copy_rops[i];
				r.has_src = true;
				n = build_src_copy(dw, &r, wr[w]);
				CHECK(!run_and_compare(&f, &st, dw, n, &r, &ret) && !ret,
				      "XY_SRC_COPY_BLT %s rop %#x enables %#x: %d %s",
				      vgt_tiling_name(tilings[t]), r.rop, wr[w] >> 20, ret,
				      vgt_blt_reason(&st));
				free(f.mem);
			}
	/* 8 and 16 bpp ignore the 32 bpp enables: every byte is written. */
	for (i = 1; i <= 2; i++) {
		struct flat f;
		struct vgt_blt_state st;
		struct ref_blit r = { .cpp = i, .rop = 0xf0, .color = 0xa5a5 };
		uint32_t dw[16];
		unsigned int n;
		int ret;

		flat_init(&f, 1 << 16);
		vgt_blt_state_init(&st);
		r.dst = make_surf(0, VGT_TILING_NONE, 64, i, 0);
		r.dx2 = 17, r.dy2 = 9;
		full_mask(&r);
		n = build_color(dw, &r, 0);
		CHECK(!run_and_compare(&f, &st, dw, n, &r, &ret) && !ret,
		      "%u bpp without write enables fills", 8 * i);
		free(f.mem);
	}
}

/*
 * Copies within one surface whose rectangles overlap, in every direction,
 * large enough to need several bands (and, tiled, several 64 KiB strips
 * of a row): the result is as if the whole source were read first (the
 * reference reads 'before'). A linear XY pitch is a signed 16-bit byte
 * count, so only tiled surfaces (pitch in dwords) are wider than a strip.
 */
TEST(overlapping_copies, "")
{
	static const int shifts[][2] = { { 0, 1 }, { -3, 0 }, { 5, 7 }, { -5, 7 }, { 5, -7 },
					 { -1, -7 } };
	unsigned int t, i;

	rng = vgt_test_seed() + 6;
	for (t = 0; t < ARRAY_SIZE(tilings); t++)
		for (i = 0; i < ARRAY_SIZE(shifts); i++) {
			struct flat f;
			struct vgt_blt_state st;
			struct ref_blit r = { .cpp = 4, .rop = 0xcc, .has_src = true };
			int32_t w = tilings[t] ? 17000 : 8000, h = tilings[t] ? 40 : 70;
			uint32_t dw[16];
			unsigned int n;
			int ret;

			flat_init(&f, tilings[t] ? 5 << 20 : 3 << 20);
			vgt_blt_state_init(&st);
			r.dst = make_surf(0x1000, tilings[t], (uint32_t)w + 12, 4, 0);
			r.src = r.dst;
			r.sx = 6, r.sy = 8;
			r.dx1 = r.sx + shifts[i][0];
			r.dy1 = r.sy + shifts[i][1];
			r.dx2 = r.dx1 + w;
			r.dy2 = r.dy1 + h;
			full_mask(&r);
			vgt_blt_swctrl_write(&st, swctrl_for(&r.src, &r.dst));
			n = build_src_copy(dw, &r, 3u << 20);
			CHECK(!run_and_compare(&f, &st, dw, n, &r, &ret) && !ret,
			      "overlapping copy on %s by (%d, %d): %d %s", vgt_tiling_name(tilings[t]),
			      shifts[i][0], shifts[i][1], ret, vgt_blt_reason(&st));
			free(f.mem);
		}
}

TEST(pixel_blit_uses_setup, "")
{
	unsigned int t;

	for (t = 0; t < ARRAY_SIZE(tilings); t++) {
		struct flat f;
		struct vgt_blt_state st;
		struct vgt_gm_access gm = { flat_read, flat_write, &f };
		struct ref_blit r = { .cpp = 2, .rop = 0xf0, .color = 0xbeef, .clip = true };
		uint32_t setup[10], px[2] = { 2u << 29 | 0x24u << 22, 0 };
		int ret, x, y;

		rng = vgt_test_seed() + 7;
		flat_init(&f, 1 << 20);
		vgt_blt_state_init(&st);
		CHECK(vgt_blt_exec(&gm, &st, px, 2, NULL) == -EINVAL &&
		      strstr(vgt_blt_reason(&st), "XY_SETUP_BLT"),
		      "XY_PIXEL_BLT before any setup: %s", vgt_blt_reason(&st));
		r.dst = make_surf(0x20000, tilings[t], 150, 2, 0);
		full_mask(&r);
		r.cx1 = 10, r.cy1 = 10, r.cx2 = 20, r.cy2 = 20;
		setup[0] = 2u << 29 | 0x01u << 22 | 3u << 20 | (r.dst.tiling ? 1u << 11 : 0) | 8;
		setup[1] = 1u << 31 | 1u << 30 | 1u << 24 | 0xf0u << 16 | pitch_field(&r.dst);
		setup[2] = 10u << 16 | 10;
		setup[3] = 20u << 16 | 20;
		setup[4] = (uint32_t)r.dst.base;
		setup[5] = 0;
		setup[6] = 0x1234;	/* background */
		setup[7] = r.color;	/* foreground */
		setup[8] = setup[9] = 0;
		vgt_blt_swctrl_write(&st, swctrl_for(NULL, &r.dst));
		CHECK(vgt_blt_exec(&gm, &st, setup, 10, NULL) == 0, "XY_SETUP_BLT");
		/* A diagonal through and beyond the clip rectangle. */
		for (x = 5, y = 3; x < 30; x++, y++) {
			r.dx1 = x, r.dy1 = y, r.dx2 = x + 1, r.dy2 = y + 1;
			px[1] = (uint32_t)y << 16 | (uint32_t)x;
			CHECK(!run_and_compare(&f, &st, px, 2, &r, &ret) && !ret,
			      "XY_PIXEL_BLT (%d, %d) on %s: %d %s", x, y, vgt_tiling_name(tilings[t]),
			      ret, vgt_blt_reason(&st));
		}
		free(f.mem);
	}
}

TEST(faults_and_refusals, "")
{
	struct flat f;
	struct vgt_blt_state st, copy;
	struct vgt_gm_access gm = { flat_read, flat_write, &f };
	struct ref_blit r = { .cpp = 4, .rop = 0xcc, .has_src = true };
	struct vgt_blt_stats stats = { 0, 0 };
	uint32_t dw[16];
	unsigned int n, i;
	int ret;

	rng = vgt_test_seed() + 8;
	flat_init(&f, 1 << 20);
	vgt_blt_state_init(&st);
	r.src = make_surf(0x1000, VGT_TILING_X, 128, 4, 0);
	r.dst = make_surf(0x80000, VGT_TILING_NONE, 128, 4, 0);
	r.dx2 = 128, r.dy2 = 64;
	full_mask(&r);
	n = build_src_copy(dw, &r, 3u << 20);
	/* A source page the address space does not map. */
	f.bad_lo = 0x3000, f.bad_hi = 0x4000;
	memcpy(&copy, &st, sizeof(st));
	ret = vgt_blt_exec(&gm, &st, dw, n, &stats);
	CHECK(ret == -EFAULT && strstr(vgt_blt_reason(&st), "src read"),
	      "source fault: %d %s", ret, vgt_blt_reason(&st));
	CHECK(stats.blits == 0, "a faulted blit is not counted");
	f.bad_lo = 0x80000 + 512 * 30, f.bad_hi = f.bad_lo + 1;
	ret = vgt_blt_exec(&gm, &st, dw, n, &stats);
	CHECK(ret == -EFAULT && strstr(vgt_blt_reason(&st), "dst write"),
	      "destination fault: %d %s", ret, vgt_blt_reason(&st));
	CHECK(st.swctrl == copy.swctrl && st.setup == copy.setup && st.clip_x2 == copy.clip_x2,
	      "state unchanged by faults");
	f.bad_lo = f.bad_hi = 0;
	/* Beyond the space altogether. */
	r.dst.base = (1ull << 47) + 0x1000;
	n = build_src_copy(dw, &r, 3u << 20);
	CHECK(vgt_blt_exec(&gm, &st, dw, n, NULL) == -EFAULT, "48-bit address outside memory");

	/* Refusals, each naming what is wrong. */
	{
		static const struct { uint32_t dw0, dw1; unsigned int len; int err; const char *why; } bad[] = {
			{ 2u << 29 | 0x53u << 22 | 6, 0x03cc0000 | 512, 8, -EINVAL, "gen9 needs 10" },
			{ 2u << 29 | 0x40u << 22 | 3, 0x03f00000 | 512, 5, -EOPNOTSUPP, "pre-XY" },
			{ 2u << 29 | 0x43u << 22 | 4, 0x03cc0000 | 512, 6, -EOPNOTSUPP, "pre-XY" },
			{ 2u << 29 | 0x51u << 22 | 7, 0, 9, -EOPNOTSUPP, "opcode 0x51" },
			{ 2u << 29 | 0x50u << 22 | 5, 0x03cc0000 | 512, 7, -EOPNOTSUPP, "needs a source" },
			{ 2u << 29 | 0x53u << 22 | 8, 0x03f00000 | 512, 10, -EOPNOTSUPP, "needs a pattern" },
			{ 2u << 29 | 0x50u << 22 | 1u << 11 | 5, 0x03f00000 | 100, 7, -EOPNOTSUPP,
			  "not a multiple of the tile width" },
			{ 2u << 29 | 0x42u << 22 | 1u << 13 | 8, 3u << 24 | 128, 10, -EOPNOTSUPP, "X (not" },
			{ 2u << 29 | 0x42u << 22 | 2u << 13 | 8, 1u << 30 | 3u << 24 | 128, 10, -EOPNOTSUPP, "Yf" },
			{ 2u << 29 | 0x42u << 22 | 3u << 20 | 8, 3u << 24 | 128, 10, -EOPNOTSUPP, "Ys" },
			{ 2u << 29 | 0x42u << 22 | 8, 2u << 24 | 128, 10, -EOPNOTSUPP, "depth 2" },
			{ 0x11000000, 0, 2, -EINVAL, "not a 2D command" },
		};

		for (i = 0; i < ARRAY_SIZE(bad); i++) {
			uint32_t b[16] = { bad[i].dw0, bad[i].dw1, 0, 8u << 16 | 8, 0x1000, 0,
					   0, 512, 0x2000, 0 };

			f.writes = 0;
			ret = vgt_blt_exec(&gm, &st, b, bad[i].len, NULL);
			CHECK(ret == bad[i].err && strstr(vgt_blt_reason(&st), bad[i].why) &&
			      f.writes == 0, "case %u: %d (want %d) '%s' (want '%s'), %u writes", i,
			      ret, bad[i].err, vgt_blt_reason(&st), bad[i].why, f.writes);
		}
	}
	/* Negative destination coordinates without clipping. */
	r.dst.base = 0x80000;
	r.dx1 = -4, r.dx2 = 10, r.dy2 = 4;
	n = build_src_copy(dw, &r, 3u << 20);
	CHECK(vgt_blt_exec(&gm, &st, dw, n, NULL) == -EOPNOTSUPP &&
	      strstr(vgt_blt_reason(&st), "negative"), "negative x1: %s", vgt_blt_reason(&st));
	/* A success clears the reason. */
	r.dx1 = 0;
	n = build_src_copy(dw, &r, 3u << 20);
	CHECK(vgt_blt_exec(&gm, &st, dw, n, NULL) == 0 && !*vgt_blt_reason(&st), "reason cleared");
	CHECK(vgt_blt_exec(NULL, &st, dw, n, NULL) == -EINVAL && vgt_blt_exec(&gm, NULL, dw, n, NULL) ==
	      -EINVAL, "NULL accessor or state");
	free(f.mem);
}

TEST(swctrl_is_masked, "")
{
	struct vgt_blt_state st;

	vgt_blt_state_init(&st);
	vgt_blt_swctrl_write(&st, 3);
	CHECK(st.swctrl == 0, "no mask, no change: %#x", st.swctrl);
	vgt_blt_swctrl_write(&st, 3u << 16 | 2);
	CHECK(st.swctrl == BCS_DST_Y, "dst Y only: %#x", st.swctrl);
	vgt_blt_swctrl_write(&st, 1u << 16 | 1);
	CHECK(st.swctrl == 3, "src Y added: %#x", st.swctrl);
	vgt_blt_swctrl_write(&st, 3u << 16);
	CHECK(st.swctrl == 0, "both cleared: %#x", st.swctrl);
}

/*
 * Memory is reached in runs: a 16 MiB linear copy with contiguous rows
 * takes a handful of accesses, a Y-tiled full-width one a few per band,
 * never one per pixel; stats count the blits and the bytes written.
 */
TEST(runs_and_stats, "")
{
	static const enum vgt_tiling big[] = { VGT_TILING_NONE, VGT_TILING_X, VGT_TILING_Y };
	unsigned int t;

	for (t = 0; t < ARRAY_SIZE(big); t++) {
		struct flat f;
		struct vgt_blt_state st;
		struct vgt_gm_access gm = { flat_read, flat_write, &f };
		struct ref_blit r = { .cpp = 4, .rop = 0xcc, .has_src = true };
		struct vgt_blt_stats stats = { 0, 0 };
		uint32_t dw[16];
		unsigned int n;
		int ret;

		memset(&f, 0, sizeof(f));
		f.size = 33 << 20;
		f.mem = calloc(1, f.size);
		vgt_blt_state_init(&st);
		r.src = make_surf(0, big[t], 4096, 4, 0);
		r.dst = make_surf(16 << 20, big[t], 4096, 4, 0);
		r.dx2 = 4096, r.dy2 = 1024;
		vgt_blt_swctrl_write(&st, swctrl_for(&r.src, &r.dst));
		n = build_src_copy(dw, &r, 3u << 20);
		f.mem[12345] = 0x5a;
		ret = vgt_blt_exec(&gm, &st, dw, n, &stats);
		CHECK(!ret && stats.blits == 1 && stats.bytes == 16u << 20,
		      "%s 16 MiB copy: %d, %llu blits, %llu bytes", vgt_tiling_name(big[t]), ret,
		      (unsigned long long)stats.blits, (unsigned long long)stats.bytes);
		CHECK(f.reads + f.writes <= 2 * 1024 / 8 + 64, "%s 16 MiB copy: %u reads %u writes",
		      vgt_tiling_name(big[t]), f.reads, f.writes);
		CHECK(!memcmp(f.mem, f.mem + (16 << 20), 16 << 20), "%s copy equal",
		      vgt_tiling_name(big[t]));
		free(f.mem);
	}
}

VGT_TEST_MAIN()

// SPDX-License-Identifier: MIT
/*
 * The gen9 2D blitter (interface and scope in vgt_blit.h).
 *
 * Each drawing command becomes one job: a destination rectangle in pixels,
 * an optional source rectangle of the same size, a raster operation over
 * pattern (P), source (S) and destination (D), and a per-byte write mask.
 * The job runs in units of at most STRIP_BYTES of a row and a band of rows
 * (a multiple of the 32-row Y tile height), so buffers stay small whatever
 * the rectangle: read the unit's source, read its destination only if the
 * ROP or the write mask needs it, combine, write. Units go bottom-up when
 * the destination lies below the source and right to left when it lies to
 * the right, so an overlapping copy within one surface reads every source
 * pixel before it is overwritten.
 *
 * Surfaces are reached through the tiling reference (tiling.c): a linear
 * row is one access; a tiled band is walked in memory order, one unit
 * (X tile row, Y OWord) at a time, and adjacent units of the rectangle are
 * merged into one access, so a full-width band is a single run.
 *
 * Field layouts (gen8+, as IGT 2.x's lib/intel_batchbuffer.c and
 * lib/intel_blt.c build them and the i830-era PRM names them):
 *   BR00 header: 21 write alpha, 20 write RGB, 15 src tiled, 11 dst tiled
 *   BR13: 31 solid pattern, 30 clipping enable, 25:24 depth (8, 565, 1555,
 *         8888), 23:16 ROP, 15:0 dst pitch (signed bytes; dwords if tiled)
 *   x1/y1, x2/y2: 15:0 x, 31:16 y, signed, bottom-right exclusive
 *   fast copy: DW0 21:20 src / 14:13 dst tiling; DW1 31/30 src/dst Yf,
 *         26:24 depth (1, 2, -, 4, 8, 16 bytes), 15:0 dst pitch
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vgt_blit.h"
#include "vgt_tiling.h"

#define CLIENT_2D		2u
#define OP_XY_SETUP_BLT		0x01
#define OP_XY_SETUP_CLIP_BLT	0x03
#define OP_XY_PIXEL_BLT		0x24
#define OP_COLOR_BLT		0x40
#define OP_XY_FAST_COPY_BLT	0x42
#define OP_SRC_COPY_BLT		0x43
#define OP_XY_COLOR_BLT		0x50
#define OP_XY_SRC_COPY_BLT	0x53

#define BR00_WRITE_ALPHA	(1u << 21)
#define BR00_WRITE_RGB		(1u << 20)
#define BR00_SRC_TILED		(1u << 15)
#define BR00_DST_TILED		(1u << 11)
#define BR13_SOLID_PATTERN	(1u << 31)
#define BR13_CLIP_ENABLE	(1u << 30)

#define ROP_SRC_COPY		0xcc
#define ROP_PAT_COPY		0xf0

#define STRIP_BYTES		(64u * 1024)	/* of one row per unit */
#define BAND_BYTES		(2u * 1024 * 1024)	/* of a unit, at least 32 rows */
#define MAX_CPP			16u

struct surf {
	uint64_t base;
	int64_t pitch;			/* bytes; negative only when linear */
	enum vgt_tiling tiling;
	const char *what;		/* "dst", "src" */
};

struct job {
	const char *name;
	unsigned int cpp;
	uint8_t rop;
	bool s_is_pattern;		/* XY_PIXEL_BLT: the source is the colour */
	uint8_t pattern[MAX_CPP];	/* solid pattern pixel, little endian */
	uint8_t mask[MAX_CPP];		/* 0xff: the byte of a pixel is written */
	bool has_src;
	struct surf dst, src;
	int32_t dx, dy, sx, sy, w, h;	/* pixels */
};

struct ctx {
	const struct vgt_gm_access *gm;
	struct vgt_blt_state *st;
	const char *name;
	uint64_t written;
	uint8_t *stage;			/* one tiled band of a unit */
	size_t stage_len;
};

static int refuse(struct vgt_blt_state *st, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(st->reason, sizeof(st->reason), fmt, ap);
	va_end(ap);
	return err;
}

void vgt_blt_state_init(struct vgt_blt_state *st)
{
	memset(st, 0, sizeof(*st));
}

void vgt_blt_swctrl_write(struct vgt_blt_state *st, uint32_t val)
{
	uint32_t mask = val >> 16;

	st->swctrl = (st->swctrl & ~mask) | (val & mask & 0xffff);
}

const char *vgt_blt_reason(const struct vgt_blt_state *st)
{
	return st ? st->reason : "";
}

/* --- ROPs ------------------------------------------------------------- */

/* Ternary ROP: bit (P << 2 | S << 1 | D) of rop is the result. */
static bool rop_uses_p(uint8_t rop) { return ((rop >> 4) ^ rop) & 0x0f; }
static bool rop_uses_s(uint8_t rop) { return ((rop >> 2) ^ rop) & 0x33; }
static bool rop_uses_d(uint8_t rop) { return ((rop >> 1) ^ rop) & 0x55; }

static uint8_t rop_byte(uint8_t rop, uint8_t p, uint8_t s, uint8_t d)
{
	uint8_t r = 0;
	unsigned int i;

	for (i = 0; i < 8; i++)
		if (rop & (1u << i))
			r |= (i & 4 ? p : ~p) & (i & 2 ? s : ~s) & (i & 1 ? d : ~d);
	return r;
}

/* --- surface access ---------------------------------------------------- */

static int fault(struct ctx *c, const struct surf *s, bool write, uint64_t addr,
		 size_t len, int err)
{
	return refuse(c->st, err, "%s: %s %s of %zu bytes at %#llx failed (%d)", c->name,
		      s->what, write ? "write" : "read", len, (unsigned long long)addr, err);
}

static int mem_access(struct ctx *c, const struct surf *s, bool write, uint64_t addr,
		  uint8_t *buf, size_t len)
{
	int ret = write ? c->gm->write(c->gm->as, addr, buf, len) :
			  c->gm->read(c->gm->as, addr, buf, len);

	if (ret)
		return fault(c, s, write, addr, len, ret < 0 ? ret : -EFAULT);
	if (write)
		c->written += len;
	return 0;
}

/* Rows [y, y + rows) of bytes [bx, bx + wb) of a linear surface. */
static int linear_xfer(struct ctx *c, const struct surf *s, uint32_t bx, uint32_t y,
		       uint32_t wb, uint32_t rows, uint8_t *lin, bool write)
{
	uint32_t r, n = s->pitch == (int64_t)wb ? rows : 1;

	for (r = 0; r < rows; r += n) {
		int64_t off = (int64_t)(y + r) * s->pitch + bx;
		int ret;

		if (off < 0 && (uint64_t)-off > s->base)
			return fault(c, s, write, 0, (size_t)wb * n, -EFAULT);
		ret = mem_access(c, s, write, s->base + (uint64_t)off, lin + (size_t)r * wb,
			     (size_t)wb * n);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * One tile row's worth (a band) of a tiled transfer: tiles t0 .. t0 +
 * ntiles - 1, of which the rectangle covers bytes [bx0, bx1) of rows
 * [y0, y1). band_next walks it in memory order (tiling.c's unit walk) and
 * returns each piece the rectangle covers: its offset from the band's
 * first tile, its length and where it goes in the linear buffer.
 */
struct band {
	enum vgt_tiling tiling;
	uint32_t t0, ntiles, tile_row;
	uint64_t off;			/* of the band's first tile in the surface */
	uint32_t bx0, bx1, y0, y1;	/* the rectangle in the band: bytes, rows */
	uint32_t rect_y0;		/* first row of the whole transfer */
	uint32_t stride;		/* of the linear buffer */
};

static inline bool band_next(const struct band *b, struct vgt_tile_walk *w, uint32_t *off,
		      uint32_t *len, size_t *lin)
{
	uint32_t u, x, y, n;

	while (vgt_tile_walk_next(w, &u, &x, &y, &n)) {
		uint32_t x0 = x > b->bx0 ? x : b->bx0, x1 = x + n < b->bx1 ? x + n : b->bx1;

		if (y < b->y0 || y >= b->y1 || x0 >= x1)
			continue;
		*off = u + (x0 - x);
		*len = x1 - x0;
		*lin = (size_t)(y - b->rect_y0) * b->stride + (x0 - b->bx0);
		return true;
	}
	return false;
}

static void band_walk(const struct band *b, struct vgt_tile_walk *w)
{
	vgt_tile_walk_init(w, b->tiling, b->t0, b->ntiles, b->tile_row);
}

/* The rectangle covers the band's tiles entirely: they are one run. */
static bool band_whole(const struct band *b)
{
	uint32_t tw = vgt_tile_width(b->tiling), th = vgt_tile_height(b->tiling);

	return b->bx0 == b->t0 * tw && b->bx1 == (b->t0 + b->ntiles) * tw &&
	       b->y0 == b->tile_row * th && b->y1 == b->y0 + th;
}

/* Access the merged runs of a band between stage and memory. */
static int band_runs(struct ctx *c, const struct surf *s, const struct band *b, bool write)
{
	struct vgt_tile_walk w;
	uint32_t off, len, run = 0, end = 0;
	size_t lin;
	int ret;

	if (band_whole(b))
		return mem_access(c, s, write, s->base + b->off, c->stage,
				  (size_t)b->ntiles * VGT_TILE_BYTES);
	band_walk(b, &w);
	while (band_next(b, &w, &off, &len, &lin)) {
		if (end > run && off == end) {
			end += len;
			continue;
		}
		if (end > run) {
			ret = mem_access(c, s, write, s->base + b->off + run, c->stage + run, end - run);
			if (ret)
				return ret;
		}
		run = off;
		end = off + len;
	}
	return end > run ? mem_access(c, s, write, s->base + b->off + run, c->stage + run,
				  end - run) : 0;
}

/* A whole Y OWord is most pieces: a fixed-size copy the compiler inlines. */
static inline void piece_copy(uint8_t *to, const uint8_t *from, uint32_t len)
{
	if (len == VGT_TILE_Y_OWORD)
		memcpy(to, from, VGT_TILE_Y_OWORD);
	else
		memcpy(to, from, len);
}

static int tiled_xfer(struct ctx *c, const struct surf *s, uint32_t bx, uint32_t y,
		      uint32_t wb, uint32_t rows, uint8_t *lin, bool write)
{
	struct vgt_tile_layout l = { s->tiling, (uint32_t)s->pitch };
	uint32_t tw = vgt_tile_width(s->tiling), th = vgt_tile_height(s->tiling);
	struct band b = { .tiling = s->tiling, .t0 = bx / tw, .bx0 = bx, .bx1 = bx + wb,
			  .rect_y0 = y, .stride = wb };
	uint32_t band_y;

	b.ntiles = (bx + wb - 1) / tw - b.t0 + 1;
	for (band_y = y; band_y < y + rows; band_y = b.y1) {
		struct vgt_tile_walk w;
		uint32_t off, len;
		size_t at;
		int ret;

		b.tile_row = band_y / th;
		b.y0 = band_y;
		b.y1 = (b.tile_row + 1) * th;
		if (b.y1 > y + rows)
			b.y1 = y + rows;
		b.off = vgt_tile_offset(&l, b.t0 * tw, b.tile_row * th);
		band_walk(&b, &w);
		if (write) {
			while (band_next(&b, &w, &off, &len, &at))
				piece_copy(c->stage + off, lin + at, len);
			ret = band_runs(c, s, &b, true);
		} else {
			ret = band_runs(c, s, &b, false);
			while (!ret && band_next(&b, &w, &off, &len, &at))
				piece_copy(lin + at, c->stage + off, len);
		}
		if (ret)
			return ret;
	}
	return 0;
}

/* Pixels [px, px + w) of rows [py, py + h) to or from lin (stride w * cpp). */
static int xfer(struct ctx *c, const struct job *j, const struct surf *s, int32_t px,
		int32_t py, int32_t w, int32_t h, uint8_t *lin, bool write)
{
	uint32_t bx = (uint32_t)px * j->cpp, wb = (uint32_t)w * j->cpp;

	if (s->tiling == VGT_TILING_NONE)
		return linear_xfer(c, s, bx, (uint32_t)py, wb, (uint32_t)h, lin, write);
	return tiled_xfer(c, s, bx, (uint32_t)py, wb, (uint32_t)h, lin, write);
}

/* --- jobs ---------------------------------------------------------------- */

static bool mask_partial(const struct job *j)
{
	unsigned int i;

	for (i = 0; i < j->cpp; i++)
		if (j->mask[i] != 0xff)
			return true;
	return false;
}

static bool mask_empty(const struct job *j)
{
	unsigned int i;

	for (i = 0; i < j->cpp; i++)
		if (j->mask[i])
			return false;
	return true;
}

/* dst = ROP(P, S, D) under the write mask, n bytes of whole pixels. */
static void combine(const struct job *j, const uint8_t *src, uint8_t *dst, size_t n)
{
	size_t i;
	unsigned int b = 0;

	for (i = 0; i < n; i++) {
		uint8_t p = j->pattern[b];
		uint8_t s = src ? src[i] : p;
		uint8_t r = rop_byte(j->rop, p, s, dst[i]);

		dst[i] = (r & j->mask[b]) | (dst[i] & ~j->mask[b]);
		if (++b == j->cpp)
			b = 0;
	}
}

static void fill_pattern(const struct job *j, uint8_t *buf, size_t n)
{
	size_t i;

	for (i = 0; i < n; i += j->cpp)
		memcpy(buf + i, j->pattern, j->cpp);
}

/* The bytes a job's rectangle at (x, y) may touch, for the overlap test. */
static void extent(const struct job *j, const struct surf *s, int32_t x, int32_t y,
		   uint64_t *lo, uint64_t *hi)
{
	int64_t first, last;

	if (s->tiling == VGT_TILING_NONE) {
		int64_t top = (int64_t)y * s->pitch + (int64_t)x * j->cpp;
		int64_t bottom = top + (int64_t)(j->h - 1) * s->pitch;

		first = top < bottom ? top : bottom;
		last = (top < bottom ? bottom : top) + (int64_t)j->w * j->cpp;
	} else {
		uint32_t th = vgt_tile_height(s->tiling);

		first = (int64_t)(y / th) * th * s->pitch;
		last = (int64_t)((y + j->h - 1) / th + 1) * th * s->pitch;
	}
	*lo = s->base + (uint64_t)first;
	*hi = s->base + (uint64_t)last;
}

static int run_job(struct ctx *c, const struct job *j)
{
	bool plain_copy = j->has_src && j->rop == ROP_SRC_COPY && !mask_partial(j);
	bool plain_fill = !j->has_src && !j->s_is_pattern && j->rop == ROP_PAT_COPY &&
			  !mask_partial(j);
	bool need_d = rop_uses_d(j->rop) || mask_partial(j);
	int32_t strip = (int32_t)(STRIP_BYTES / j->cpp), band;
	int32_t cols, rows, ci, ri, nc, nr;
	bool up = false, left = false;
	uint8_t *sbuf = NULL, *dbuf = NULL;
	size_t buf_len;
	int ret = 0;

	if (mask_empty(j) || !j->w || !j->h)
		return 0;
	if (strip > j->w)
		strip = j->w;
	band = (int32_t)(BAND_BYTES / ((size_t)strip * j->cpp)) & ~31;
	if (band < 32)
		band = 32;
	if (band > j->h)
		band = j->h;
	buf_len = (size_t)strip * j->cpp * band;
	/* A band of tiles: the strip's width in tiles, one more for misalignment. */
	c->stage_len = ((size_t)strip * j->cpp / VGT_TILE_Y_WIDTH + 2) * VGT_TILE_BYTES;
	sbuf = j->has_src && !plain_fill ? malloc(buf_len) : NULL;
	dbuf = plain_copy ? NULL : malloc(buf_len);
	c->stage = malloc(c->stage_len);
	if ((j->has_src && !sbuf) || (!plain_copy && !dbuf) || !c->stage) {
		ret = refuse(c->st, -ENOMEM, "%s: no memory for %zu-byte buffers", c->name,
			     buf_len);
		goto out;
	}
	if (plain_fill)
		fill_pattern(j, dbuf, buf_len);
	if (j->has_src) {
		uint64_t slo, shi, dlo, dhi;

		extent(j, &j->src, j->sx, j->sy, &slo, &shi);
		extent(j, &j->dst, j->dx, j->dy, &dlo, &dhi);
		if (slo < dhi && dlo < shi) {
			up = j->dy > j->sy;
			left = j->dx > j->sx;
		}
	}
	nr = (j->h + band - 1) / band;
	nc = (j->w + strip - 1) / strip;
	for (ri = 0; ri < nr && !ret; ri++) {
		int32_t r0 = (up ? nr - 1 - ri : ri) * band;

		rows = j->h - r0 < band ? j->h - r0 : band;
		for (ci = 0; ci < nc && !ret; ci++) {
			int32_t c0 = (left ? nc - 1 - ci : ci) * strip;
			size_t n;

			cols = j->w - c0 < strip ? j->w - c0 : strip;
			n = (size_t)cols * j->cpp * rows;
			if (j->has_src)
				ret = xfer(c, j, &j->src, j->sx + c0, j->sy + r0, cols, rows, sbuf, false);
			if (!ret && need_d)
				ret = xfer(c, j, &j->dst, j->dx + c0, j->dy + r0, cols, rows, dbuf, false);
			if (ret)
				break;
			if (!plain_copy && !plain_fill)
				combine(j, j->has_src ? sbuf : NULL, dbuf, n);
			ret = xfer(c, j, &j->dst, j->dx + c0, j->dy + r0, cols, rows,
				   plain_copy ? sbuf : dbuf, true);
		}
	}
out:
	free(sbuf);
	free(dbuf);
	free(c->stage);
	c->stage = NULL;
	return ret;
}

/* --- decoding the commands into jobs ----------------------------------- */

static int32_t lo16(uint32_t v) { return (int16_t)(v & 0xffff); }
static int32_t hi16(uint32_t v) { return (int16_t)(v >> 16); }

static uint64_t addr48(const uint32_t *dw)
{
	return dw[0] | (uint64_t)(dw[1] & 0xffff) << 32;
}

/* BR13's colour depth (8, 565, 1555, 8888) and ROP. */
static void br13_decode(struct job *j, uint32_t br13)
{
	static const unsigned int cpp[4] = { 1, 2, 2, 4 };

	j->cpp = cpp[(br13 >> 24) & 3];
	j->rop = (br13 >> 16) & 0xff;
}

/* The write mask of a BR00 header: only 32 bpp has alpha/RGB enables. */
static void write_mask(struct job *j, uint32_t br00)
{
	memset(j->mask, 0xff, sizeof(j->mask));
	if (j->cpp == 4) {
		memset(j->mask, br00 & BR00_WRITE_RGB ? 0xff : 0, 3);
		j->mask[3] = br00 & BR00_WRITE_ALPHA ? 0xff : 0;
	}
}

static void set_pattern(struct job *j, uint32_t color)
{
	unsigned int i;

	memset(j->pattern, 0, sizeof(j->pattern));
	for (i = 0; i < j->cpp && i < 4; i++)
		j->pattern[i] = (uint8_t)(color >> (8 * i));
}

/*
 * A surface of an XY_* command: tiled means X unless BCS_SWCTRL says Y,
 * and a tiled pitch is in dwords (check_surface validates it once the
 * rectangle is known).
 */
static void xy_surface(struct surf *s, const char *what, uint64_t base,
		       uint32_t pitch_field, bool tiled, bool swctrl_y)
{
	s->what = what;
	s->base = base;
	s->tiling = !tiled ? VGT_TILING_NONE : swctrl_y ? VGT_TILING_Y : VGT_TILING_X;
	s->pitch = tiled ? (int64_t)(pitch_field & 0xffff) * 4 : lo16(pitch_field);
}

static int check_surface(struct ctx *c, const struct job *j, const struct surf *s,
			 int32_t x, int32_t y)
{
	struct vgt_tile_layout l = { s->tiling, (uint32_t)s->pitch };

	if (x < 0 || y < 0)
		return refuse(c->st, -EOPNOTSUPP, "%s: %s origin (%d, %d) is negative",
			      c->name, s->what, x, y);
	if (s->tiling == VGT_TILING_NONE)
		return 0;
	if (s->pitch <= 0 || !vgt_tile_layout_ok(&l))
		return refuse(c->st, -EOPNOTSUPP,
			      "%s: %s %s-tiled pitch %lld bytes is not a multiple of the tile width %u",
			      c->name, s->what, vgt_tiling_name(s->tiling), (long long)s->pitch,
			      vgt_tile_width(s->tiling));
	if (s->base % VGT_TILE_BYTES)
		return refuse(c->st, -EOPNOTSUPP, "%s: tiled %s base %#llx is not 4 KiB aligned",
			      c->name, s->what, (unsigned long long)s->base);
	if ((int64_t)(x + j->w) * j->cpp > s->pitch)
		return refuse(c->st, -EOPNOTSUPP,
			      "%s: %s x2 %d at %u bytes a pixel lies beyond the tiled pitch %lld",
			      c->name, s->what, x + j->w, j->cpp, (long long)s->pitch);
	return 0;
}

/*
 * The destination rectangle [x1, x2) x [y1, y2), clipped when BR13 asks;
 * moves the source origin along. Empty rectangles become w = h = 0.
 */
static void set_rect(struct ctx *c, struct job *j, uint32_t br13, int32_t x1, int32_t y1,
		     int32_t x2, int32_t y2)
{
	if (br13 & BR13_CLIP_ENABLE) {
		const struct vgt_blt_state *st = c->st;

		if (x1 < (int32_t)st->clip_x1) {
			j->sx += (int32_t)st->clip_x1 - x1;
			x1 = (int32_t)st->clip_x1;
		}
		if (y1 < (int32_t)st->clip_y1) {
			j->sy += (int32_t)st->clip_y1 - y1;
			y1 = (int32_t)st->clip_y1;
		}
		if (x2 > (int32_t)st->clip_x2)
			x2 = (int32_t)st->clip_x2;
		if (y2 > (int32_t)st->clip_y2)
			y2 = (int32_t)st->clip_y2;
	}
	j->dx = x1;
	j->dy = y1;
	j->w = x2 > x1 ? x2 - x1 : 0;
	j->h = y2 > y1 ? y2 - y1 : 0;
	if (!j->w || !j->h)
		j->w = j->h = 0;
}

static int check_job(struct ctx *c, const struct job *j)
{
	int ret;

	if (!j->w)
		return 0;
	ret = check_surface(c, j, &j->dst, j->dx, j->dy);
	if (!ret && j->has_src)
		ret = check_surface(c, j, &j->src, j->sx, j->sy);
	return ret;
}

static int need_len(struct ctx *c, unsigned int len, unsigned int want)
{
	if (len == want)
		return 0;
	return refuse(c->st, -EINVAL, "%s: %u dwords, gen9 needs %u", c->name, len, want);
}

static int xy_color_blt(struct ctx *c, const uint32_t *dw, unsigned int len, struct job *j)
{
	uint32_t br13 = dw[1];
	int ret = need_len(c, len, 7);

	if (ret)
		return ret;
	br13_decode(j, br13);
	if (rop_uses_s(j->rop))
		return refuse(c->st, -EOPNOTSUPP, "%s: ROP %#x needs a source", c->name, j->rop);
	write_mask(j, dw[0]);
	set_pattern(j, dw[6]);
	xy_surface(&j->dst, "dst", addr48(dw + 4), br13, dw[0] & BR00_DST_TILED,
		   c->st->swctrl & BCS_DST_Y);
	set_rect(c, j, br13, lo16(dw[2]), hi16(dw[2]), lo16(dw[3]), hi16(dw[3]));
	return check_job(c, j);
}

static int xy_src_copy_blt(struct ctx *c, const uint32_t *dw, unsigned int len,
			   struct job *j)
{
	uint32_t br13 = dw[1];
	int ret = need_len(c, len, 10);

	if (ret)
		return ret;
	br13_decode(j, br13);
	if (rop_uses_p(j->rop))
		return refuse(c->st, -EOPNOTSUPP, "%s: ROP %#x needs a pattern", c->name, j->rop);
	j->has_src = rop_uses_s(j->rop);
	write_mask(j, dw[0]);
	xy_surface(&j->dst, "dst", addr48(dw + 4), br13, dw[0] & BR00_DST_TILED,
		   c->st->swctrl & BCS_DST_Y);
	xy_surface(&j->src, "src", addr48(dw + 8), dw[7], dw[0] & BR00_SRC_TILED,
		   c->st->swctrl & BCS_SRC_Y);
	j->sx = lo16(dw[6]);
	j->sy = hi16(dw[6]);
	set_rect(c, j, br13, lo16(dw[2]), hi16(dw[2]), lo16(dw[3]), hi16(dw[3]));
	return check_job(c, j);
}

/* Fast copy tiling field: 0 linear, 2 legacy Tile-Y; the rest refused. */
static int fast_tiling(struct ctx *c, const char *what, unsigned int mode, bool yf,
		       enum vgt_tiling *t)
{
	if (mode == 0) {
		*t = VGT_TILING_NONE;
		return 0;
	}
	if (mode == 2 && !yf) {
		*t = VGT_TILING_Y;
		return 0;
	}
	return refuse(c->st, -EOPNOTSUPP, "%s: %s tiling %s is not implemented", c->name, what,
		      mode == 1 ? "X (not a gen9 fast copy mode)" :
		      mode == 2 ? "Yf" : "Ys");
}

static int xy_fast_copy_blt(struct ctx *c, const uint32_t *dw, unsigned int len,
			    struct job *j)
{
	static const unsigned int cpp[8] = { 1, 2, 0, 4, 8, 16, 0, 0 };
	unsigned int depth = (dw[1] >> 24) & 7;
	int ret = need_len(c, len, 10);

	if (!ret)
		ret = fast_tiling(c, "dst", (dw[0] >> 13) & 3, dw[1] & (1u << 30), &j->dst.tiling);
	if (!ret)
		ret = fast_tiling(c, "src", (dw[0] >> 20) & 3, dw[1] & (1u << 31), &j->src.tiling);
	if (ret)
		return ret;
	if (!cpp[depth])
		return refuse(c->st, -EOPNOTSUPP, "%s: colour depth %u is reserved", c->name, depth);
	j->cpp = cpp[depth];
	j->rop = ROP_SRC_COPY;
	j->has_src = true;
	memset(j->mask, 0xff, sizeof(j->mask));
	j->dst.what = "dst";
	j->dst.base = addr48(dw + 4);
	j->dst.pitch = (int64_t)(dw[1] & 0xffff) * (j->dst.tiling ? 4 : 1);
	j->src.what = "src";
	j->src.base = addr48(dw + 8);
	j->src.pitch = (int64_t)(dw[7] & 0xffff) * (j->src.tiling ? 4 : 1);
	j->sx = lo16(dw[6]);
	j->sy = hi16(dw[6]);
	set_rect(c, j, 0, lo16(dw[2]), hi16(dw[2]), lo16(dw[3]), hi16(dw[3]));
	return check_job(c, j);
}

static int xy_pixel_blt(struct ctx *c, const uint32_t *dw, unsigned int len, struct job *j)
{
	const struct vgt_blt_state *st = c->st;
	uint32_t br13 = st->setup_br13;
	int32_t x = lo16(dw[1]), y = hi16(dw[1]);
	int ret = need_len(c, len, 2);

	if (ret)
		return ret;
	if (!st->setup)
		return refuse(c->st, -EINVAL, "%s: no XY_SETUP_BLT before it", c->name);
	br13_decode(j, br13);
	if (rop_uses_p(j->rop) && !(br13 & BR13_SOLID_PATTERN))
		return refuse(c->st, -EOPNOTSUPP, "%s: ROP %#x with an 8x8 colour pattern",
			      c->name, j->rop);
	/* The pixel is the foreground colour, as source and as solid pattern. */
	j->s_is_pattern = true;
	set_pattern(j, st->setup_fg);
	write_mask(j, st->setup_br00);
	xy_surface(&j->dst, "dst", st->setup_dst, br13, st->setup_br00 & BR00_DST_TILED,
		   st->swctrl & BCS_DST_Y);
	set_rect(c, j, br13, x, y, x + 1, y + 1);
	return check_job(c, j);
}

static int xy_setup_blt(struct ctx *c, const uint32_t *dw, unsigned int len)
{
	struct vgt_blt_state *st = c->st;
	int ret = need_len(c, len, 10);

	if (ret)
		return ret;
	st->setup = true;
	st->setup_br00 = dw[0];
	st->setup_br13 = dw[1];
	st->clip_x1 = dw[2] & 0x7fff;
	st->clip_y1 = (dw[2] >> 16) & 0x7fff;
	st->clip_x2 = dw[3] & 0x7fff;
	st->clip_y2 = (dw[3] >> 16) & 0x7fff;
	st->setup_dst = addr48(dw + 4);
	st->setup_bg = dw[6];
	st->setup_fg = dw[7];
	st->setup_pattern = addr48(dw + 8);
	return 0;
}

static int xy_setup_clip_blt(struct ctx *c, const uint32_t *dw, unsigned int len)
{
	struct vgt_blt_state *st = c->st;
	int ret = need_len(c, len, 3);

	if (ret)
		return ret;
	st->clip_x1 = dw[1] & 0x7fff;
	st->clip_y1 = (dw[1] >> 16) & 0x7fff;
	st->clip_x2 = dw[2] & 0x7fff;
	st->clip_y2 = (dw[2] >> 16) & 0x7fff;
	return 0;
}

static const char *op_name(unsigned int op)
{
	switch (op) {
	case OP_XY_SETUP_BLT: return "XY_SETUP_BLT";
	case OP_XY_SETUP_CLIP_BLT: return "XY_SETUP_CLIP_BLT";
	case OP_XY_PIXEL_BLT: return "XY_PIXEL_BLT";
	case OP_COLOR_BLT: return "COLOR_BLT";
	case OP_XY_FAST_COPY_BLT: return "XY_FAST_COPY_BLT";
	case OP_SRC_COPY_BLT: return "SRC_COPY_BLT";
	case OP_XY_COLOR_BLT: return "XY_COLOR_BLT";
	case OP_XY_SRC_COPY_BLT: return "XY_SRC_COPY_BLT";
	default: return "2D command";
	}
}

int vgt_blt_exec(const struct vgt_gm_access *gm, struct vgt_blt_state *st,
		 const uint32_t *dw, unsigned int len, struct vgt_blt_stats *stats)
{
	struct vgt_blt_state saved;
	struct ctx c = { .gm = gm, .st = st };
	struct job j;
	unsigned int op;
	int ret;

	if (!st)
		return -EINVAL;
	st->reason[0] = 0;
	if (!gm || !gm->read || !gm->write || !dw || !len)
		return refuse(st, -EINVAL, "blit: no accessor or no dwords");
	op = (dw[0] >> 22) & 0x7f;
	c.name = op_name(op);
	if (dw[0] >> 29 != CLIENT_2D)
		return refuse(st, -EINVAL, "blit: header %#x is not a 2D command", dw[0]);
	memset(&j, 0, sizeof(j));
	j.name = c.name;
	saved = *st;
	switch (op) {
	case OP_XY_SETUP_BLT:
		ret = xy_setup_blt(&c, dw, len);
		break;
	case OP_XY_SETUP_CLIP_BLT:
		ret = xy_setup_clip_blt(&c, dw, len);
		break;
	case OP_XY_COLOR_BLT:
		ret = xy_color_blt(&c, dw, len, &j);
		break;
	case OP_XY_SRC_COPY_BLT:
		ret = xy_src_copy_blt(&c, dw, len, &j);
		break;
	case OP_XY_FAST_COPY_BLT:
		ret = xy_fast_copy_blt(&c, dw, len, &j);
		break;
	case OP_XY_PIXEL_BLT:
		ret = xy_pixel_blt(&c, dw, len, &j);
		break;
	case OP_COLOR_BLT:
	case OP_SRC_COPY_BLT:
		ret = refuse(st, -EOPNOTSUPP,
			     "%s: the pre-XY form is not implemented (no gen9 user in 6.1 or IGT)",
			     c.name);
		break;
	default:
		ret = refuse(st, -EOPNOTSUPP, "2D opcode %#x (header %#x) is not implemented",
			     op, dw[0]);
		break;
	}
	if (!ret && j.cpp) {
		ret = run_job(&c, &j);
		if (stats) {
			stats->blits += !ret;
			stats->bytes += c.written;
		}
	}
	if (ret) {
		char reason[sizeof(st->reason)];

		memcpy(reason, st->reason, sizeof(reason));
		*st = saved;
		memcpy(st->reason, reason, sizeof(reason));
	}
	return ret;
}

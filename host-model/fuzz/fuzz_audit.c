// SPDX-License-Identifier: MIT
/*
 * Fuzz target: the command address audit (audit.c, on cmd_decode.c).
 *
 * Input. Byte 0: engine (bits 1:0), ring or first-level batch (bit 2),
 * batch starts followed into the buffer itself, placed at the mappable
 * base as the CLI's --follow does (bit 3), a mappable slice of 256 bytes
 * instead of 64 MiB (bit 4), so batches can run past it, the batch a
 * PPGTT one (bit 5), tight depth and dword budgets (bit 6). The other bytes
 * are a program: each step a byte picks a command from the vocabulary
 * below, the next bytes its fields: addresses inside, at and across the
 * slice edges, other vGPUs', wrapping; registers the guest may and may not
 * write; lengths mostly right, sometimes not; every bit the audit looks at.
 *
 * Oracle. For every buffer the audit accepts, a separate model of the
 * hardware, written from the PRM's command formats and knowing only this
 * vocabulary, runs every path the hardware may take (a predicated batch
 * start taken and not, a conditional end ending and not, anything inside
 * an MI_SET_PREDICATE scope skipped and not), follows batches as the
 * hardware nests them, and aborts on an escape: a GGTT byte touched
 * outside both slices (stores, loads, post-syncs, semaphores, copies,
 * atomics, batch fetches, blit pixels computed with the tiling formulas),
 * an address-holding register written, a batch running off its end, a
 * nesting the hardware does not allow. Commands it does not know end its
 * walk of that path (counted; FUZZ_AUDIT_STATS=1 prints the counts).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vgt_audit.h"

#define MIB		(1ULL << 20)
#define MAP_BASE	(128 * MIB)
#define HID_BASE	(640 * MIB)
#define HID_SIZE	(384 * MIB)
#define OTHER		(200 * MIB)
#define TOP		(1ULL << 48)
#define MAX_DW		512

/* ---- the program reader ---- */

struct in {
	const uint8_t *p;
	size_t n;
};

static uint32_t u8(struct in *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

static uint32_t u16(struct in *in)
{
	return u8(in) | u8(in) << 8;
}

static uint32_t u32(struct in *in)
{
	return u16(in) | u16(in) << 16;
}

/* ---- the generator ---- */

struct gen {
	struct in in;
	uint32_t dw[MAX_DW];
	size_t n;
	uint64_t map_size;
	unsigned int engine;
};

static void put(struct gen *g, uint32_t v)
{
	if (g->n < MAX_DW)
		g->dw[g->n++] = v;
}

static void put_addr(struct gen *g, uint64_t a)
{
	put(g, (uint32_t)a);
	put(g, (uint32_t)(a >> 32));
}

static uint64_t addr(struct gen *g)
{
	uint32_t b = u8(&g->in), k = u8(&g->in);

	switch (b & 15) {
	case 1: return MAP_BASE + g->map_size - 4 * (1 + k % 16);
	case 2: return MAP_BASE + g->map_size + 4 * (k % 16);
	case 3: return MAP_BASE - 4 * (1 + k % 16);
	case 4: return HID_BASE + 4 * k;
	case 5: return HID_BASE + HID_SIZE - 4 * (1 + k % 16);
	case 6: return HID_BASE + HID_SIZE + 4 * (k % 16);
	case 7: return OTHER + 4 * k;
	case 8: return 0;
	case 9: return TOP - 4 * (1 + k % 16);
	case 10: return u32(&g->in) | (uint64_t)(k | u8(&g->in) << 8) << 32;
	case 11: return u32(&g->in) | (uint64_t)u32(&g->in) << 32;
	default: return MAP_BASE + 4 * k;	/* inside, often in the buffer */
	}
}

/* Registers a guest may, may not and might write, on this or another engine. */
static uint32_t reg(struct gen *g)
{
	static const uint32_t base[4] = { 0x2000, 0x22000, 0x12000, 0x1a000 };
	static const uint32_t rel[] = { 0x600, 0x608, 0x67c, 0x358, 0x080, 0x270, 0x28c,
					0x09c, 0x4d0, 0x038, 0x230, 0x400, 0x3bc, 0x094 };
	static const uint32_t abs[] = { 0x7014, 0xe194, 0xb118, 0x2248, 0x22200, 0x100000,
					0x2b14, 0x23b0, 0x2b00, 0x9888, 0x2300 };
	uint32_t b = u8(&g->in);

	if (b < 160)
		return base[b & 3 ? g->engine : (b >> 2) & 3] + rel[(b >> 4) % 14];
	if (b < 240)
		return abs[b % 11];
	return u32(&g->in);
}

static uint32_t len_field(struct gen *g, uint32_t right, uint32_t mask)
{
	return u8(&g->in) < 16 ? u16(&g->in) & mask : right;
}

#define MI(op)		((uint32_t)(op) << 23)
#define BLT(op)		((2u << 29) | ((uint32_t)(op) << 22))
#define GGTT_IF(g)	(u8(&(g)->in) < 200 ? 1u << 22 : 0)

static const uint32_t pitches[] = { 64, 128, 256, 512, 1024, 4096, 8192, 16384, 0x8000, 0xf000 };

static uint32_t yx(struct gen *g, bool wide)
{
	if (wide && u8(&g->in) < 24)
		return u32(&g->in);
	return (u8(&g->in) % 64) << 16 | (u8(&g->in) % 64);
}

static void blit_dst(struct gen *g, uint32_t fmt_bits)
{
	uint32_t p = u8(&g->in);

	put(g, fmt_bits | (u8(&g->in) & 3) << 24 |
	    (p < 240 ? pitches[p % 10] : u16(&g->in)));
	put(g, yx(g, true));
	put(g, yx(g, true) + ((8u << 16) | 8));
	put_addr(g, addr(g));
}

static void gen_cmd(struct gen *g)
{
	uint32_t op = u8(&g->in) % 40, f, i, k;
	uint64_t a;

	switch (op) {
	case 0:
		put(g, u8(&g->in) < 32 ? MI(0) | 1u << 22 | u8(&g->in) : 0);
		break;
	case 1:
		put(g, MI(0x05));
		break;
	case 2:		/* MI_STORE_DATA_IMM: dword or qword, core mode in bit 0 */
		f = u8(&g->in) & 1;
		put(g, MI(0x20) | GGTT_IF(g) | f << 21 | len_field(g, 2 + f, 0x3ff));
		a = addr(g) | (u8(&g->in) < 16);
		put_addr(g, a);
		put(g, 1);
		if (f)
			put(g, 2);
		break;
	case 3:		/* MI_STORE_DATA_INDEX */
		f = u8(&g->in) & 1;
		put(g, MI(0x21) | f << 21 | len_field(g, 1 + f, 0xff));
		put(g, u8(&g->in) < 200 ? 4 * u8(&g->in) : u32(&g->in));
		put(g, 1);
		if (f)
			put(g, 2);
		break;
	case 4:		/* MI_LOAD_REGISTER_IMM, 1..4 pairs */
		k = 1 + u8(&g->in) % 4;
		put(g, MI(0x22) | len_field(g, 2 * k - 1, 0xff));
		for (i = 0; i < k; i++) {
			put(g, reg(g));
			put(g, u32(&g->in));
		}
		break;
	case 5:
	case 6:		/* MI_LOAD_REGISTER_MEM, MI_STORE_REGISTER_MEM */
		put(g, MI(op == 5 ? 0x29 : 0x24) | GGTT_IF(g) | len_field(g, 2, 0xff));
		put(g, reg(g));
		put_addr(g, addr(g));
		break;
	case 7:		/* MI_LOAD_REGISTER_REG */
		put(g, MI(0x2a) | len_field(g, 1, 0xff));
		put(g, reg(g));
		put(g, reg(g));
		break;
	case 8:		/* MI_FLUSH_DW: post-sync op, index, GGTT in dw1 bit 2 */
		f = u8(&g->in);
		put(g, MI(0x26) | (f & 3) << 14 | (f & 4) << 19 | (f & 8) << 5 |
		    len_field(g, 2 + (f >> 4 & 1), 0x3f));
		a = addr(g);
		put_addr(g, (a & ~7ULL) | (f & 32 ? 0 : 4));
		put(g, 1);
		if (f >> 4 & 1)
			put(g, 2);
		break;
	case 9:		/* PIPE_CONTROL: post-sync, index, LRI, GGTT, notify */
		f = u8(&g->in);
		put(g, (3u << 29) | (3u << 27) | (2u << 24) | len_field(g, 4, 0xff));
		put(g, (f & 3) << 14 | (f & 4) << 19 | (f & 8) << 20 | (f & 16) << 20 |
		    (f & 32) << 3 | 1u << 20);
		put_addr(g, f & 8 ? reg(g) : addr(g));
		put(g, 5);
		put(g, 6);
		break;
	case 10:	/* MI_SEMAPHORE_WAIT, memory or register poll */
		f = u8(&g->in);
		put(g, MI(0x1c) | GGTT_IF(g) | (f < 24 ? 1u << 16 : 0) | 1u << 15 |
		    len_field(g, 2, 0xff));
		put(g, 1);
		put_addr(g, f < 24 ? reg(g) : addr(g));
		break;
	case 11:	/* MI_CONDITIONAL_BATCH_BUFFER_END, compare mask mode */
		put(g, MI(0x36) | GGTT_IF(g) | (u8(&g->in) & 1) << 19 | 1u << 21 |
		    len_field(g, 2, 0xff));
		put(g, 0);
		put_addr(g, addr(g));
		break;
	case 12:	/* MI_COPY_MEM_MEM: GGTT source bit 22, destination bit 21 */
		put(g, MI(0x2e) | (u8(&g->in) & 3) << 21 | len_field(g, 3, 0xff));
		put_addr(g, addr(g));
		put_addr(g, addr(g));
		break;
	case 13:	/* MI_ATOMIC: size, inline data */
		f = u8(&g->in);
		put(g, MI(0x2f) | GGTT_IF(g) | (f & 3) << 19 | (f & 4) << 16 |
		    len_field(g, f & 4 ? 9 : 1, 0xff));
		put_addr(g, addr(g));
		for (i = 0; (f & 4) && i < 8; i++)
			put(g, i);
		break;
	case 14:	/* MI_BATCH_BUFFER_START: PPGTT, second level, predicated, RS */
		f = u8(&g->in);
		put(g, MI(0x31) | (f & 1) << 8 | (f & 2) << 21 | (f & 4) << 13 |
		    (f & 0x80 ? 1u << 10 : 0) | len_field(g, 1, 0xff));
		put_addr(g, f & 8 ? addr(g) : MAP_BASE + 4 * (u8(&g->in) % 96));
		break;
	case 15:
		put(g, MI(0x0a));
		break;
	case 16:	/* MI_SET_PREDICATE */
		put(g, MI(0x01) | (u8(&g->in) < 128 ? 0 : u8(&g->in) & 15));
		break;
	case 17:	/* 3DSTATE_VS, as 3D state with an 8-bit length */
		k = u8(&g->in) % 8;
		put(g, (3u << 29) | (3u << 27) | (0x10 << 16) | len_field(g, k, 0xff));
		for (i = 0; i < k; i++)
			put(g, u32(&g->in));
		break;
	case 18:	/* media header: MEDIA_VFE_STATE on RCS, MFX on VCS, 16 vs 12 bits */
		k = u8(&g->in) % 6;
		put(g, 0x70000000 | (u8(&g->in) & 0xf) << 12 | len_field(g, k, 0xffff));
		for (i = 0; i < k; i++)
			put(g, u32(&g->in));
		break;
	case 19:	/* MFX_WAIT, sometimes with a length */
		put(g, 0x68000000 | (u8(&g->in) < 32 ? 1 : 0));
		break;
	case 20:	/* VEBOX_STATE */
		k = u8(&g->in) % 6;
		put(g, 0x74020000 | len_field(g, k, 0xfff));
		for (i = 0; i < k; i++)
			put(g, u32(&g->in));
		break;
	case 21:	/* XY_COLOR_BLT */
		put(g, BLT(0x50) | (u8(&g->in) & 1) << 11 | len_field(g, 5, 0xff));
		blit_dst(g, 0xf0 << 16);
		put(g, u32(&g->in));
		break;
	case 22:	/* XY_SRC_COPY_BLT */
	case 23:	/* XY_FAST_COPY_BLT */
		f = u8(&g->in);
		put(g, (op == 22 ? BLT(0x53) | (f & 1) << 11 | (f & 2) << 14 :
			BLT(0x42) | (f & 3) << 13 | (f >> 2 & 3) << 20) | len_field(g, 8, 0xff));
		blit_dst(g, op == 22 ? 0xcc << 16 : (f >> 4 & 7) << 24);
		put(g, yx(g, true));
		f = u8(&g->in);
		put(g, f < 240 ? pitches[f % 10] : u16(&g->in));
		put_addr(g, addr(g));
		break;
	case 24:	/* XY_SETUP_BLT: clip enable, solid pattern */
		f = u8(&g->in);
		put(g, BLT(0x01) | (f & 1) << 11 | len_field(g, 8, 0xff));
		blit_dst(g, (f & 6) << 29);
		put(g, 0);
		put(g, 0xff);
		put_addr(g, addr(g));
		break;
	case 25:	/* XY_SETUP_CLIP_BLT */
		put(g, BLT(0x03) | len_field(g, 1, 0xff));
		put(g, yx(g, true));
		put(g, yx(g, true));
		break;
	case 26:	/* XY_PIXEL_BLT */
		put(g, BLT(0x24) | len_field(g, 0, 0xff));
		put(g, yx(g, true));
		break;
	case 27:	/* XY_SCANLINES_BLT */
	case 28:	/* XY_TEXT_IMMEDIATE_BLT, one bitmap dword */
		put(g, BLT(op == 27 ? 0x25 : 0x31) | len_field(g, op == 27 ? 1 : 2, 0xff));
		put(g, yx(g, true));
		put(g, yx(g, true));
		if (op == 28)
			put(g, u32(&g->in));
		break;
	case 29:	/* COLOR_BLT */
	case 30:	/* SRC_COPY_BLT */
		put(g, BLT(op == 29 ? 0x40 : 0x43) | len_field(g, op == 29 ? 4 : 6, 0xff));
		f = u8(&g->in);
		put(g, f < 240 ? pitches[f % 10] : u16(&g->in));
		put(g, yx(g, true));
		put_addr(g, addr(g));
		if (op == 29) {
			put(g, 0);
		} else {
			f = u8(&g->in);
			put(g, f < 240 ? pitches[f % 10] : u16(&g->in));
			put_addr(g, addr(g));
		}
		break;
	case 31:
		put(g, MI(0x02));
		break;
	case 32:
		put(g, MI(0x08) | (u8(&g->in) & 1));
		break;
	case 33:
		put(g, MI(0x07));
		break;
	case 34:	/* MI_MATH */
		k = 1 + u8(&g->in) % 4;
		put(g, MI(0x1a) | len_field(g, k - 1, 0xff));
		for (i = 0; i < k; i++)
			put(g, u32(&g->in));
		break;
	case 35:
		put(g, MI(0x0c));
		break;
	default:	/* any dword */
		put(g, u32(&g->in));
		break;
	}
}

/* ---- the oracle ---- */

static struct {
	unsigned long runs, accepted, paths, unknown, budget;
} stats;

struct model {
	uint64_t map_base, map_size, hid_base, hid_size;
	unsigned int engine;
	const uint32_t *mem;	/* the buffer, at map_base, when followed */
	size_t mem_n;
	bool follow;
	bool ppgtt;		/* the submitted batch runs in the PPGTT */
	long budget;		/* commands left to run over all paths */
};

#define ESCAPE(...) do { \
	fprintf(stderr, "fuzz_audit: escape on %s: ", vgt_engine_name(m->engine)); \
	fprintf(stderr, __VA_ARGS__); \
	fprintf(stderr, "\n"); \
	abort(); \
} while (0)

static bool within(uint64_t a, uint64_t n, uint64_t base, uint64_t size)
{
	return a >= base && a - base <= size && n <= size - (a - base);
}

static void touch(const struct model *m, uint64_t a, uint64_t n, const char *what)
{
	if (n && (a >= TOP || n > TOP - a ||
		  !(within(a, n, m->map_base, m->map_size) ||
		    within(a, n, m->hid_base, m->hid_size))))
		ESCAPE("%s touches [0x%llx, +%llu)", what, (unsigned long long)a,
		       (unsigned long long)n);
}

static uint64_t gm(const uint32_t *p, uint32_t low_mask)
{
	return (p[0] & low_mask) | (uint64_t)(p[1] & 0xffff) << 32;
}

/* Registers whose value is an address or engine control (a deny-list of its own). */
static void reg_write(const struct model *m, uint32_t r)
{
	static const uint32_t base[4] = { 0x2000, 0x22000, 0x12000, 0x1a000 };
	static const struct { uint32_t lo, hi; } rel[] = {
		{ 0x030, 0x03c },	/* RING_TAIL, HEAD, START, CTL */
		{ 0x080, 0x080 },	/* RING_HWS_PGA */
		{ 0x09c, 0x09c },	/* MI_MODE */
		{ 0x140, 0x16c },	/* batch addresses */
		{ 0x230, 0x234 },	/* ELSP, status */
		{ 0x270, 0x28c },	/* PDPs */
		{ 0x29c, 0x29c },	/* RING_MODE */
		{ 0x4d0, 0x4ec },	/* FORCE_TO_NONPRIV */
	};
	unsigned int e, i;

	r &= 0x7ffffc;
	for (e = 0; e < 4; e++)
		for (i = 0; i < sizeof(rel) / sizeof(rel[0]); i++)
			if (r >= base[e] + rel[i].lo && r <= base[e] + rel[i].hi)
				ESCAPE("register 0x%x written", r);
	if ((r >= 0x100000 && r < 0x100100) || r == 0x2b14 || r == 0x23b0 || r == 0x23b4 ||
	    r == 0x2b00)
		ESCAPE("register 0x%x written (fence or OA buffer)", r);
}

/* Dwords of the command at @h, as the PRM's length fields give them; 0: not modelled. */
static unsigned int length(const struct model *m, uint32_t h)
{
	unsigned int client = h >> 29, op = h >> 23 & 0x3f, pipe = h >> 27 & 3;

	if (client == 0) {
		switch (op) {
		case 0x00: case 0x01: case 0x02: case 0x05: case 0x07: case 0x08: case 0x0a:
			return 1;
		case 0x0c:
			return m->engine == VGT_RCS ? 1 : 0;
		case 0x20: case 0x23: case 0x27:
			return (h & 0x3ff) + 2;
		case 0x26:
			return m->engine == VGT_RCS ? 0 : (h & 0x3f) + 2;
		case 0x1a: case 0x1c: case 0x21: case 0x22: case 0x24: case 0x29: case 0x2a:
		case 0x2e: case 0x2f: case 0x31: case 0x36:
			return (h & 0xff) + 2;
		}
		return 0;
	}
	if (client == 2)
		return m->engine == VGT_BCS ? (h & 0xff) + 2 : 0;
	if (client != 3)
		return 0;
	if (m->engine == VGT_RCS) {
		if (pipe == 2)	/* media: 16 bits, but GPGPU_WALKER 8 */
			return (h >> 16) == 0x7105 ? (h & 0xff) + 2 : (h & 0xffff) + 2;
		if ((h >> 16) == 0x7810 || (h >> 16) == 0x7a00)	/* 3DSTATE_VS, PIPE_CONTROL */
			return (h & 0xff) + 2;
		return 0;
	}
	if (m->engine == VGT_VCS && (h >> 16) == 0x6800)	/* MFX_WAIT */
		return h & 0x3f ? 0 : 1;
	return pipe == 2 && m->engine != VGT_BCS ? (h & 0xfff) + 2 : 0;
}

/* ---- blits: the bytes each pixel occupies, by tiling ---- */

enum tiling { LINEAR, TILE_X, TILE_Y, TILE_BOX };

struct surface {
	uint64_t base;
	int64_t pitch;		/* bytes */
	unsigned int cpp;
	enum tiling t;
	int64_t th, tw, tile;	/* TILE_BOX: tile rows, row bytes, tile bytes */
};

static int64_t fdiv(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && a < 0);
}

static int64_t fmod_(int64_t a, int64_t b)
{
	return a - fdiv(a, b) * b;
}

/* Offset of row @y's start, and of byte @bx of a row, from the surface base. */
static int64_t row_off(const struct surface *s, int64_t y)
{
	switch (s->t) {
	case TILE_X: return fdiv(y, 8) * 8 * s->pitch + fmod_(y, 8) * 512;
	case TILE_Y: return fdiv(y, 32) * 32 * s->pitch + fmod_(y, 32) * 16;
	case TILE_BOX: return fdiv(y, s->th) * s->th * s->pitch;
	default: return y * s->pitch;
	}
}

static int64_t col_off(const struct surface *s, int64_t bx, bool last)
{
	switch (s->t) {
	case TILE_X: return fdiv(bx, 512) * 4096 + fmod_(bx, 512);
	case TILE_Y: return fdiv(bx, 128) * 4096 + fmod_(bx, 128) / 16 * 512 + fmod_(bx, 16);
	case TILE_BOX: return fdiv(bx, s->tw) * s->tile + (last ? s->tile - 1 : 0);
	default: return bx;
	}
}

/* Every byte of the pixels x1 <= x < x2, y1 <= y < y2 inside a slice? */
static void rect(struct model *m, const struct surface *s, int64_t x1, int64_t y1,
		 int64_t x2, int64_t y2, const char *what)
{
	int64_t lo = INT64_MAX, hi = INT64_MIN, y, r, c1, c2;
	uint64_t base_lo = s->base;

	if (x2 <= x1 || y2 <= y1)
		return;
	m->budget -= (y2 - y1) / 64;	/* rows cost time too */
	for (y = y1; y < y2; y++) {	/* rows: not monotonic for every pitch */
		r = row_off(s, y);
		lo = r < lo ? r : lo;
		hi = r > hi ? r : hi;
	}
	c1 = col_off(s, x1 * s->cpp, false);
	c2 = col_off(s, x2 * s->cpp - 1, true);
	if (s->t != LINEAR)	/* a tiled base's low bits may be ignored */
		base_lo &= ~(uint64_t)((s->t == TILE_BOX ? s->tile : 4096) - 1);
	lo += (int64_t)base_lo + c1;
	hi += (int64_t)s->base + c2 + 1;
	if (lo < 0)
		ESCAPE("%s reaches below address 0", what);
	touch(m, (uint64_t)lo, (uint64_t)(hi - lo), what);
}

/* XY tiling comes from BCS_SWCTRL, which the guest may set: X and Y both. */
static void rect_xy(struct model *m, struct surface s, bool tiled, int64_t x1,
		    int64_t y1, int64_t x2, int64_t y2, const char *what)
{
	if (!tiled) {
		s.t = LINEAR;
		rect(m, &s, x1, y1, x2, y2, what);
		return;
	}
	s.t = TILE_X;
	rect(m, &s, x1, y1, x2, y2, what);
	s.t = TILE_Y;
	rect(m, &s, x1, y1, x2, y2, what);
}

static const unsigned int xy_cpp[4] = { 1, 2, 2, 4 };

/* The blitter's setup state, as XY_SETUP_BLT loads it. */
struct blt_state {
	bool known, clip;
	struct surface s;
	bool tiled;
	int64_t cx1, cy1, cx2, cy2;
};

static int64_t lo16(uint32_t v)
{
	return (int16_t)v;
}

static int64_t hi16(uint32_t v)
{
	return (int16_t)(v >> 16);
}

static struct surface surf(uint64_t base, int64_t pitch, unsigned int cpp)
{
	return (struct surface){ .base = base, .pitch = pitch, .cpp = cpp };
}

/* Yf (4 KiB) and Ys (64 KiB) tiles: rows per tile for 1, 2, 4, 8, 16 bytes per pixel. */
static void box(struct surface *s, unsigned int cpp, bool ys)
{
	static const int64_t yf_h[5] = { 64, 32, 32, 16, 16 }, ys_h[5] = { 256, 128, 128, 64, 64 };
	unsigned int i = cpp >= 16 ? 4 : cpp >= 8 ? 3 : cpp >= 4 ? 2 : cpp >= 2 ? 1 : 0;

	s->t = TILE_BOX;
	s->th = ys ? ys_h[i] : yf_h[i];
	s->tile = ys ? 65536 : 4096;
	s->tw = s->tile / s->th;
}

/* Fast copy's tiling modes: 0 linear, 1 X, 2 Y or Yf (both), 3 Ys. */
static void fast_rect(struct model *m, struct surface s, unsigned int mode,
		      int64_t x1, int64_t y1, int64_t x2, int64_t y2, const char *what)
{
	s.t = mode == 1 ? TILE_X : mode == 2 ? TILE_Y : LINEAR;
	if (mode == 3)
		box(&s, s.cpp, true);
	rect(m, &s, x1, y1, x2, y2, what);
	if (mode == 2) {
		box(&s, s.cpp, false);
		rect(m, &s, x1, y1, x2, y2, what);
	}
}

static void blit(struct model *m, const uint32_t *d, struct blt_state *bs)
{
	static const unsigned int fast_cpp[8] = { 1, 2, 2, 4, 8, 16, 16, 16 };
	unsigned int op = d[0] >> 22 & 0x7f, cpp, mode;
	struct surface dst, src;
	int64_t w, h, x1, y1, x2, y2;
	bool tiled;

	switch (op) {
	case 0x50: case 0x53: case 0x01:	/* XY_COLOR, XY_SRC_COPY, XY_SETUP */
		cpp = xy_cpp[d[1] >> 24 & 3];
		tiled = d[0] >> 11 & 1;
		dst = surf(gm(d + 4, ~0u), lo16(d[1]) * (tiled ? 4 : 1), cpp);
		if (op == 0x01) {
			*bs = (struct blt_state){ true, d[1] >> 30 & 1, dst, tiled, lo16(d[2]),
						  hi16(d[2]), lo16(d[3]), hi16(d[3]) };
			if (!(d[1] >> 31))
				touch(m, gm(d + 8, ~0u), 64 * cpp, "XY_SETUP_BLT pattern");
			return;
		}
		bs->known = false;
		rect_xy(m, dst, tiled, lo16(d[2]), hi16(d[2]), lo16(d[3]), hi16(d[3]), "blit dst");
		if (op == 0x50)
			return;
		w = lo16(d[3]) - lo16(d[2]);
		h = hi16(d[3]) - hi16(d[2]);
		tiled = d[0] >> 15 & 1;
		src = surf(gm(d + 8, ~0u), lo16(d[7]) * (tiled ? 4 : 1), cpp);
		rect_xy(m, src, tiled, lo16(d[6]), hi16(d[6]), lo16(d[6]) + w, hi16(d[6]) + h,
			"blit src");
		return;
	case 0x42:				/* XY_FAST_COPY: unsigned pitches */
		bs->known = false;
		cpp = fast_cpp[d[1] >> 24 & 7];
		mode = d[0] >> 13 & 3;
		fast_rect(m, surf(gm(d + 4, ~0u), (d[1] & 0xffff) * (mode ? 4 : 1), cpp), mode,
			  lo16(d[2]), hi16(d[2]), lo16(d[3]), hi16(d[3]), "fast dst");
		w = lo16(d[3]) - lo16(d[2]);
		h = hi16(d[3]) - hi16(d[2]);
		mode = d[0] >> 20 & 3;
		fast_rect(m, surf(gm(d + 8, ~0u), (d[7] & 0xffff) * (mode ? 4 : 1), cpp), mode,
			  lo16(d[6]), hi16(d[6]), lo16(d[6]) + w, hi16(d[6]) + h, "fast src");
		return;
	case 0x40: case 0x43:			/* COLOR_BLT, SRC_COPY_BLT: bytes by rows */
		bs->known = false;
		dst = surf(gm(d + 3, ~0u), lo16(d[1]), 1);
		rect(m, &dst, 0, 0, d[2] & 0xffff, d[2] >> 16, "blit dst");
		if (op == 0x43) {
			src = surf(gm(d + 6, ~0u), lo16(d[5]), 1);
			rect(m, &src, 0, 0, d[2] & 0xffff, d[2] >> 16, "blit src");
		}
		return;
	case 0x03:				/* XY_SETUP_CLIP_BLT */
		bs->cx1 = lo16(d[1]), bs->cy1 = hi16(d[1]);
		bs->cx2 = lo16(d[2]), bs->cy2 = hi16(d[2]);
		return;
	case 0x24: case 0x25: case 0x31:	/* pixel, scanlines, text: the setup surface */
		if (!bs->known)
			ESCAPE("%s drawn with blitter state nobody bounded", op == 0x24 ?
			       "XY_PIXEL_BLT" : "a setup-relative blit");
		x1 = lo16(d[1]), y1 = hi16(d[1]);
		x2 = op == 0x24 ? x1 + 1 : lo16(d[2]);
		y2 = op == 0x24 ? y1 + 1 : hi16(d[2]);
		if (bs->clip) {
			x1 = x1 > bs->cx1 ? x1 : bs->cx1;
			y1 = y1 > bs->cy1 ? y1 : bs->cy1;
			x2 = x2 < bs->cx2 ? x2 : bs->cx2;
			y2 = y2 < bs->cy2 ? y2 : bs->cy2;
		}
		rect_xy(m, bs->s, bs->tiled, x1, y1, x2, y2, "setup-relative blit");
		return;
	}
}

/* What one command touches, on a path that runs it. */
static void effects(struct model *m, const uint32_t *d, unsigned int len,
		    struct blt_state *bs)
{
	uint32_t h = d[0], op = h >> 23 & 0x3f, pc;
	unsigned int i;
	uint64_t sz;

	if (h >> 29 == 2) {
		blit(m, d, bs);
		return;
	}
	if (h >> 16 == 0x7a00) {	/* PIPE_CONTROL */
		pc = len > 1 ? d[1] : 0;
		if (len > 2 && (pc >> 23 & 1))
			reg_write(m, d[2]);
		else if (len > 3 && (pc >> 14 & 3) && !(pc >> 21 & 1) && (pc >> 24 & 1))
			touch(m, gm(d + 2, ~7u), 8, "PIPE_CONTROL post-sync");
		return;
	}
	if (h >> 29)
		return;		/* state of the engine's pipelines: no memory here */
	switch (op) {
	case 0x20:
		sz = len == 5 ? 8 : 4;
		if (h >> 22 & 1)
			touch(m, gm(d + 1, ~3u), d[1] & 1 ? 2 * sz : sz, "MI_STORE_DATA_IMM");
		break;
	case 0x22:
		for (i = 1; i + 1 < len; i += 2)
			reg_write(m, d[i]);
		break;
	case 0x24:
	case 0x29:
		if (op == 0x29)
			reg_write(m, d[1]);
		if (h >> 22 & 1)
			touch(m, gm(d + 2, ~3u), 4, "register load/store memory");
		break;
	case 0x2a:
		reg_write(m, d[2]);
		break;
	case 0x26:
		if ((h >> 14 & 3) && !(h >> 21 & 1) && (d[1] >> 2 & 1))
			touch(m, gm(d + 1, ~7u), (h >> 14 & 3) == 1 && len == 4 ? 4 : 8,
			      "MI_FLUSH_DW post-sync");
		break;
	case 0x1c:
		if (!(h >> 16 & 1) && (h >> 22 & 1))
			touch(m, gm(d + 2, ~3u), 4, "MI_SEMAPHORE_WAIT");
		break;
	case 0x36:
		if (h >> 22 & 1)
			touch(m, gm(d + 2, ~7u), h >> 19 & 1 ? 8 : 4, "conditional end");
		break;
	case 0x2e:
		if (h >> 22 & 1)
			touch(m, gm(d + 3, ~3u), 4, "MI_COPY_MEM_MEM source");
		if (h >> 21 & 1)
			touch(m, gm(d + 1, ~3u), 4, "MI_COPY_MEM_MEM destination");
		break;
	case 0x2f:
		if (h >> 22 & 1)
			touch(m, gm(d + 1, ~3u), 4ULL << (h >> 19 & 3), "MI_ATOMIC");
		break;
	}
}

/* Where the command streamer is: a buffer, its level, the frames to return to. */
struct cursor {
	const uint32_t *b;
	size_t n, pc;
	uint64_t ga;		/* GGTT address of dword 0; 0: the submitted buffer */
	int level;		/* 0 ring, 1 first-level, 2 second-level */
};

struct path {
	struct cursor cur, ret[2];
	int sp;
	bool pred;		/* inside an MI_SET_PREDICATE scope */
	struct blt_state blt;
};

static void run(struct model *m, struct path p, int forks);

/* The batch at @ga, read from the buffer when followed; NULL when not visible here. */
static bool enter(const struct model *m, struct cursor *c, uint64_t ga, int level)
{
	if (!m->follow || ga < m->map_base || (ga - m->map_base) % 4 ||
	    (ga - m->map_base) / 4 >= m->mem_n)
		return false;
	*c = (struct cursor){ m->mem + (ga - m->map_base) / 4,
			      m->mem_n - (ga - m->map_base) / 4, 0, ga, level };
	return true;
}

/* A batch ends: back to whoever started it, or the path is over. */
static bool leave(struct path *p)
{
	if (!p->sp)
		return false;
	p->cur = p->ret[--p->sp];
	return true;
}

static void run(struct model *m, struct path p, int forks)
{
	stats.paths++;
	for (;;) {
		const uint32_t *d;
		unsigned int len;
		uint32_t h;
		struct path q;

		if (--m->budget < 0) {
			stats.budget++;
			return;
		}
		if (p.cur.pc >= p.cur.n) {
			if (p.cur.level == 0)
				return;		/* the ring's contents all ran */
			ESCAPE("an accepted batch runs off its end");
		}
		d = p.cur.b + p.cur.pc;
		h = d[0];
		len = length(m, h);
		if (!len) {
			stats.unknown++;
			return;
		}
		if (len > p.cur.n - p.cur.pc)
			ESCAPE("an accepted command runs past its buffer");
		if (p.cur.ga)	/* the command streamer fetches the batch from the GGTT */
			touch(m, p.cur.ga + 4 * p.cur.pc, 4ULL * len, "batch fetch");
		p.cur.pc += len;
		/* In a predication scope the hardware may skip any command. */
		if (p.pred && forks < 24 && (h >> 23 == 0x0a || h >> 23 == 0x31 ||
					     h >> 23 == 0x36)) {
			q = p;
			run(m, q, forks + 1);
		}
		if (h >> 29 == 0 && (h >> 23 & 0x3f) == 0x01) {
			p.pred = h & 0xf;
			continue;
		}
		/* A PPGTT batch's blits are in the PPGTT: not this model's business. */
		if (!(m->ppgtt && !p.cur.ga && h >> 29 == 2))
			effects(m, d, len, &p.blt);
		else
			p.blt.known = false;
		if (h >> 29 != 0)
			continue;
		switch (h >> 23 & 0x3f) {
		case 0x0a:	/* MI_BATCH_BUFFER_END */
			if (p.cur.level && !leave(&p))
				return;
			continue;
		case 0x36:	/* conditional end: it may end the batch */
			if (p.cur.level && forks < 24) {
				q = p;
				if (leave(&q))
					run(m, q, forks + 1);
			}
			continue;
		case 0x31: {	/* MI_BATCH_BUFFER_START */
			bool second = h >> 22 & 1, ppgtt = h >> 8 & 1;
			bool pred = m->engine == VGT_RCS && (h >> 15 & 1);
			uint64_t ga = gm(d + 1, ~3u);
			struct cursor c;

			if (m->engine == VGT_RCS && (h >> 10 & 1))
				ESCAPE("a resource-streamer batch start accepted");
			if (p.cur.level == 2 || (second && p.cur.level == 0))
				ESCAPE("a batch start the hardware does not nest, accepted");
			if (pred && forks < 24) {	/* not taken: read on */
				q = p;
				run(m, q, forks + 1);
			}
			if (!ppgtt)
				touch(m, ga, 4, "batch start");
			if (ppgtt || !enter(m, &c, ga, p.cur.level == 0 ? 1 : second ? 2 : 1)) {
				/* Not visible here: it returns, or a jump ends this path. */
				if (p.cur.level == 1 && !second && !leave(&p))
					return;
				continue;
			}
			if (p.cur.level == 0 || second) {
				if (p.sp == 2)
					ESCAPE("nesting deeper than the hardware's");
				p.ret[p.sp++] = p.cur;
			}
			p.cur = c;
			continue;
		}
		}
	}
}

/* ---- the target ---- */

static const uint32_t *mem_fetch(void *priv, uint64_t a, size_t *n)
{
	const struct model *m = priv;

	if (a < m->map_base || (a - m->map_base) % 4 || (a - m->map_base) / 4 >= m->mem_n)
		return NULL;
	*n = m->mem_n - (a - m->map_base) / 4;
	return m->mem + (a - m->map_base) / 4;
}

static void print_stats(void)
{
	if (getenv("FUZZ_AUDIT_STATS"))
		fprintf(stderr, "fuzz_audit: %lu runs, %lu accepted, %lu paths, %lu ended on a "
			"command the oracle does not model, %lu out of budget\n", stats.runs,
			stats.accepted, stats.paths, stats.unknown, stats.budget);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool registered;
	struct gen g = { .in = { data, size } };
	struct vgt_audit_ctx c = { 0 };
	struct vgt_audit_result r;
	struct model m;
	uint32_t *copy;
	uint32_t mode;
	int ret;

	if (!registered) {
		registered = true;
		atexit(print_stats);
	}
	if (!size)
		return 0;
	mode = u8(&g.in);
	g.engine = mode & 3;
	g.map_size = mode & 16 ? 256 : 64 * MIB;
	while (g.in.n && g.n < MAX_DW)
		gen_cmd(&g);
	/* An exact-size heap copy: ASan sees any read past the end. */
	copy = malloc(g.n ? g.n * 4 : 1);
	if (!copy)
		abort();
	memcpy(copy, g.dw, g.n * 4);
	m = (struct model){ MAP_BASE, g.map_size, HID_BASE, HID_SIZE, g.engine, copy, g.n,
			    (mode & 8) != 0, (mode & 0x24) == 0x24, 200000 };
	c = (struct vgt_audit_ctx){
		.mappable_base = MAP_BASE, .mappable_size = g.map_size,
		.hidden_base = HID_BASE, .hidden_size = HID_SIZE,
		.buffer = mode & 4 ? VGT_AUDIT_BATCH : VGT_AUDIT_RING,
		.fetch = mode & 8 ? mem_fetch : NULL, .priv = &m, .engine = g.engine,
		.max_dwords = mode & 64 ? 256 : 1 << 16,	/* 8 Mi makes slow units */
		.max_depth = mode & 64 ? 2 : 0, .ppgtt = m.ppgtt,
	};
	stats.runs++;
	ret = vgt_audit(&c, g.n ? copy : NULL, g.n, &r);
	if (ret && (ret != -13 || r.reason <= VGT_AUDIT_OK || r.reason >= VGT_AUDIT_NR ||
		    !r.command))
		abort();	/* neither accepted nor a known refusal */
	if (!ret) {
		struct path p = { .cur = { copy, g.n, 0, 0, mode & 4 ? 1 : 0 } };

		stats.accepted++;
		run(&m, p, 0);
	}
	free(copy);
	return 0;
}

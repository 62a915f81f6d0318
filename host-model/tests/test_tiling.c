// SPDX-License-Identifier: MIT
/*
 * The tiling reference (src/tiling.c) against surfaces built byte by byte
 * the way the PRM describes them, by counting memory in order and never
 * dividing an offset: an X tile is 8 rows of 512 bytes one after the
 * other; a Y tile is 8 columns of 16-byte OWords, each column 32 rows top
 * to bottom; tiles follow each other row-major across the pitch. Every
 * pitch a gen9 fence accepts (6.1 i915_tiling_ok: X a multiple of 512, Y
 * of 128, stride / 128 at most GEN7_FENCE_MAX_PITCH_VAL = 0x800) is
 * checked on its first and its last tiles, pitches up to 4 KiB on every
 * byte of two tile rows.
 */
#include <stdint.h>

#include "vgt_test.h"
#include "vgt_tiling.h"

#define MAX_PITCH (0x800u * 128)	/* GEN7_FENCE_MAX_PITCH_VAL * 128 */
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct pos {
	uint32_t x, y;
};

/*
 * The bytes of tile (tile_row, tile_col) in memory order, as the PRM
 * describes the tile: out[i] is where memory byte tile_base + i belongs.
 */
static void build_tile(enum vgt_tiling t, uint32_t tile_row, uint32_t tile_col,
		       struct pos out[VGT_TILE_BYTES])
{
	unsigned int i = 0, r, c, col, b;

	if (t == VGT_TILING_X) {
		for (r = 0; r < 8; r++)
			for (c = 0; c < 512; c++)
				out[i++] = (struct pos){ tile_col * 512 + c, tile_row * 8 + r };
	} else {
		for (col = 0; col < 8; col++)
			for (r = 0; r < 32; r++)
				for (b = 0; b < 16; b++)
					out[i++] = (struct pos){ tile_col * 128 + col * 16 + b,
								 tile_row * 32 + r };
	}
}

/* Where memory byte i of the tile holds x, how far x runs on in memory. */
static uint32_t brute_span(const struct pos *tile, unsigned int i, unsigned int n)
{
	unsigned int j = i + 1;

	while (j < n && tile[j].y == tile[i].y && tile[j].x == tile[j - 1].x + 1)
		j++;
	return j - i;
}

/* The byte after i when every stride-th and the last are checked. */
static unsigned int next_byte(unsigned int i, unsigned int stride)
{
	if (i + stride < VGT_TILE_BYTES)
		return i + stride;
	return i == VGT_TILE_BYTES - 1 ? VGT_TILE_BYTES : VGT_TILE_BYTES - 1;
}

/*
 * Check one tile, every stride-th byte and the last (stride 1: every byte);
 * returns the number of mismatches.
 */
static unsigned int check_tile(const struct vgt_tile_layout *l, uint32_t tile_row,
			       uint32_t tile_col, unsigned int stride)
{
	static struct pos tile[VGT_TILE_BYTES];
	uint64_t base = ((uint64_t)tile_row * (l->pitch / vgt_tile_width(l->tiling)) +
			 tile_col) * VGT_TILE_BYTES;
	unsigned int i, bad = 0;

	build_tile(l->tiling, tile_row, tile_col, tile);
	for (i = 0; i < VGT_TILE_BYTES; i = next_byte(i, stride)) {
		uint32_t x = ~0u, y = ~0u;
		uint64_t off = vgt_tile_offset(l, tile[i].x, tile[i].y);

		vgt_tile_position(l, base + i, &x, &y);
		if (off != base + i || x != tile[i].x || y != tile[i].y ||
		    vgt_tile_span(l, tile[i].x) != brute_span(tile, i, VGT_TILE_BYTES)) {
			if (!bad)
				printf("# %s pitch %u tile (%u,%u) byte %u: (x %u, y %u) "
				       "offset %#llx want %#llx; position (%u, %u); span %u want %u\n",
				       vgt_tiling_name(l->tiling), l->pitch, tile_row, tile_col, i,
				       tile[i].x, tile[i].y, (unsigned long long)off,
				       (unsigned long long)(base + i), x, y,
				       vgt_tile_span(l, tile[i].x),
				       brute_span(tile, i, VGT_TILE_BYTES));
			bad++;
		}
	}
	return bad;
}

TEST(small_pitches_whole_surface, "")
{
	static const enum vgt_tiling tilings[] = { VGT_TILING_X, VGT_TILING_Y };
	unsigned int t, tr, tc;
	uint32_t pitch;

	for (t = 0; t < 2; t++) {
		uint32_t tw = vgt_tile_width(tilings[t]);

		for (pitch = tw; pitch <= 4096; pitch += tw) {
			struct vgt_tile_layout l = { tilings[t], pitch };
			unsigned int bad = 0;

			CHECK(vgt_tile_layout_ok(&l), "%s pitch %u accepted",
			      vgt_tiling_name(l.tiling), pitch);
			/* Two tile rows: every byte of every tile. */
			for (tr = 0; tr < 2; tr++)
				for (tc = 0; tc < pitch / tw; tc++)
					bad += check_tile(&l, tr, tc, 1);
			CHECK(!bad, "%s pitch %u: %u bytes misplaced", vgt_tiling_name(l.tiling),
			      pitch, bad);
		}
	}
}

TEST(every_fence_pitch_edge_tiles, "")
{
	static const enum vgt_tiling tilings[] = { VGT_TILING_X, VGT_TILING_Y };
	unsigned int t, pitches = 0;
	uint32_t pitch;

	for (t = 0; t < 2; t++) {
		uint32_t tw = vgt_tile_width(tilings[t]);

		for (pitch = tw; pitch <= MAX_PITCH; pitch += tw) {
			struct vgt_tile_layout l = { tilings[t], pitch };
			uint32_t last = pitch / tw - 1;
			unsigned int bad;

			/*
			 * First tile, last tile of the first row, last of a far
			 * row: every 61st byte (a prime, so it lands on every
			 * column of the units in turn) and the last one.
			 */
			bad = check_tile(&l, 0, 0, 61) + check_tile(&l, 0, last, 61) +
			      check_tile(&l, 1000, last, 61);
			CHECK(!bad, "%s pitch %u: %u bytes misplaced", vgt_tiling_name(l.tiling),
			      pitch, bad);
			pitches++;
		}
	}
	CHECK(pitches == 512 + 2048, "fence pitches checked: %u (512 X + 2048 Y)", pitches);
}

/*
 * The unit walk visits the tiles' bytes in memory order, each unit one row
 * of consecutive x: the same sequence as the tiles built by counting.
 */
TEST(unit_walk_in_memory_order, "")
{
	static const enum vgt_tiling tilings[] = { VGT_TILING_X, VGT_TILING_Y };
	static struct pos tile[VGT_TILE_BYTES];
	unsigned int t, k, bad = 0, units = 0;

	for (t = 0; t < 2; t++) {
		struct vgt_tile_walk w;
		uint32_t off, x, y, len, expect = 0, tile_x = 3, ntiles = 4, tile_row = 5;

		vgt_tile_walk_init(&w, tilings[t], tile_x, ntiles, tile_row);
		build_tile(tilings[t], tile_row, tile_x, tile);
		while (vgt_tile_walk_next(&w, &off, &x, &y, &len)) {
			uint32_t in = off % VGT_TILE_BYTES;

			if (in == 0 && off)
				build_tile(tilings[t], tile_row, tile_x + off / VGT_TILE_BYTES, tile);
			bad += off != expect || x != tile[in].x || y != tile[in].y ||
			       brute_span(tile, in, VGT_TILE_BYTES) < len ||
			       len != (tilings[t] == VGT_TILING_X ? 512u : 16u);
			for (k = 1; k < len; k++)
				bad += tile[in + k].x != x + k || tile[in + k].y != y;
			expect = off + len;
			units++;
		}
		bad += expect != ntiles * VGT_TILE_BYTES;
	}
	CHECK(!bad && units == 4 * 8 + 4 * 256, "%u mismatches over %u units", bad, units);
}

TEST(linear, "")
{
	static const uint32_t pitches[] = { 1, 3, 64, 4096, 4100, MAX_PITCH };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(pitches); i++) {
		struct vgt_tile_layout l = { VGT_TILING_NONE, pitches[i] };
		uint64_t mem = 0;
		uint32_t x, y, px, py, bad = 0;

		CHECK(vgt_tile_layout_ok(&l), "linear pitch %u accepted", pitches[i]);
		/* Memory counted byte by byte: row after row. */
		for (y = 0; y < 5; y++)
			for (x = 0; x < l.pitch; x++, mem++) {
				vgt_tile_position(&l, mem, &px, &py);
				bad += vgt_tile_offset(&l, x, y) != mem || px != x || py != y ||
				       vgt_tile_span(&l, x) != l.pitch - x;
			}
		CHECK(!bad, "linear pitch %u: %u bytes misplaced", l.pitch, bad);
	}
}

TEST(layout_refusals, "")
{
	static const struct { enum vgt_tiling t; uint32_t pitch; bool ok; } cases[] = {
		{ VGT_TILING_X, 0, false }, { VGT_TILING_X, 128, false },
		{ VGT_TILING_X, 256, false }, { VGT_TILING_X, 513, false },
		{ VGT_TILING_X, 1536, true }, { VGT_TILING_Y, 0, false },
		{ VGT_TILING_Y, 64, false }, { VGT_TILING_Y, 129, false },
		{ VGT_TILING_Y, 384, true }, { VGT_TILING_NONE, 0, false },
		{ VGT_TILING_NONE, 7, true }, { VGT_TILING_NR, 4096, false },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct vgt_tile_layout l = { cases[i].t, cases[i].pitch };

		CHECK(vgt_tile_layout_ok(&l) == cases[i].ok, "%s pitch %u: ok %d",
		      vgt_tiling_name(cases[i].t), cases[i].pitch, cases[i].ok);
	}
	CHECK(!vgt_tile_layout_ok(NULL), "NULL layout refused");
	CHECK(!strcmp(vgt_tiling_name(VGT_TILING_NR), "?"), "name out of range");
	CHECK(vgt_tile_width(VGT_TILING_X) == 512 && vgt_tile_height(VGT_TILING_X) == 8 &&
	      vgt_tile_width(VGT_TILING_Y) == 128 && vgt_tile_height(VGT_TILING_Y) == 32,
	      "tile geometry");
}

/*
 * The failure: gem_tiled_pread_basic reads an X-tiled object
 * through a fenced aperture and expects the byte at linear 0x200 (row 0,
 * x 512: tile (0, 0) subtile (0, 1) in IGT's words for a 1024-byte pitch)
 * to be the one the GPU stored at the start of tile 1.
 */
TEST(pread_basic_example, "")
{
	struct vgt_tile_layout x = { VGT_TILING_X, 1024 }, y = { VGT_TILING_Y, 1024 };

	CHECK(vgt_tile_offset(&x, 512, 0) == 4096, "X: (512, 0) starts the second tile: %#llx",
	      (unsigned long long)vgt_tile_offset(&x, 512, 0));
	CHECK(vgt_tile_offset(&x, 0, 1) == 512, "X: row 1 follows row 0 inside the tile");
	CHECK(vgt_tile_offset(&y, 16, 0) == 512, "Y: the second OWord column after 32 rows");
	CHECK(vgt_tile_offset(&y, 0, 1) == 16, "Y: row 1 of the first column");
	CHECK(vgt_tile_offset(&y, 0, 32) == 8 * 4096, "Y: row 32 starts the second tile row");
}

VGT_TEST_MAIN()

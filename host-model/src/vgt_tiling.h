/* SPDX-License-Identifier: MIT */
/*
 * The gen9 surface layouts (tiling.c): where byte x of row y of a surface
 * lives, for the layouts a gen9 fence and the 2D blitter use. No bit-6
 * swizzling: 6.1's detect_bit_6_swizzle() reports I915_BIT_6_SWIZZLE_NONE
 * for every GRAPHICS_VER >= 8 part.
 *
 *   linear  row y starts at y * pitch.
 *   X       4 KiB tiles of 8 rows x 512 bytes, each row of a tile 512
 *           contiguous bytes; tiles row-major across the pitch.
 *   Y       4 KiB tiles of 32 rows x 128 bytes, stored as 8 columns of
 *           16-byte OWords, each column 32 rows (512 bytes) top to bottom;
 *           tiles row-major across the pitch.
 *
 * Coordinates are in bytes (x) and rows (y); a pixel of cpp bytes at
 * column px is at x = px * cpp. Pure functions, no state, any thread.
 */
#ifndef VGT_TILING_H
#define VGT_TILING_H

#include <stdbool.h>
#include <stdint.h>

enum vgt_tiling {
	VGT_TILING_NONE,
	VGT_TILING_X,
	VGT_TILING_Y,
	VGT_TILING_NR
};

#define VGT_TILE_BYTES		4096u
#define VGT_TILE_X_WIDTH	512u	/* bytes */
#define VGT_TILE_X_HEIGHT	8u	/* rows */
#define VGT_TILE_Y_WIDTH	128u
#define VGT_TILE_Y_HEIGHT	32u
#define VGT_TILE_Y_OWORD	16u	/* bytes of one Y column in one row */

struct vgt_tile_layout {
	enum vgt_tiling tiling;
	uint32_t pitch;		/* bytes from one row to the next */
};

/* "linear", "X", "Y"; "?" out of range. */
const char *vgt_tiling_name(enum vgt_tiling t);
/* Bytes across one tile: 512 (X), 128 (Y); 1 for linear (any pitch). */
uint32_t vgt_tile_width(enum vgt_tiling t);
/* Rows of one tile: 8 (X), 32 (Y); 1 for linear. */
uint32_t vgt_tile_height(enum vgt_tiling t);

/*
 * A usable layout: a known tiling and a pitch that is non-zero and a
 * multiple of the tile width.
 */
bool vgt_tile_layout_ok(const struct vgt_tile_layout *l);

/* Byte offset of (x, y), x < pitch, from the surface base. */
uint64_t vgt_tile_offset(const struct vgt_tile_layout *l, uint32_t x, uint32_t y);

/* The inverse: (x, y) of byte offset off. */
void vgt_tile_position(const struct vgt_tile_layout *l, uint64_t off,
		       uint32_t *x, uint32_t *y);

/*
 * How many bytes from (x, y) on along the row are contiguous in memory:
 * up to the end of the X tile row (512-byte units), of the Y OWord
 * (16-byte units), or of the linear row. Units start at multiples of
 * their size in both x and offset, so the span from vgt_tile_position(off)
 * is also how many bytes from off on hold one row.
 */
uint32_t vgt_tile_span(const struct vgt_tile_layout *l, uint32_t x);

/*
 * A walk over the units of consecutive tiles of one tile row in memory
 * order (an X tile is 8 units of 512 bytes, one a row; a Y tile 8 columns
 * of 32 units of 16 bytes), without a division per unit: what walking a
 * tiled band byte range in order needs.
 */
struct vgt_tile_walk {
	uint32_t unit, rows, cols, tw;	/* unit bytes, units a column, columns a tile */
	uint32_t x0, y0;		/* of the first tile */
	uint32_t ntiles, tile, col, row;
};

/* Tiles [tile_x, tile_x + ntiles) of tile row tile_row (tiled layouts only). */
void vgt_tile_walk_init(struct vgt_tile_walk *w, enum vgt_tiling t, uint32_t tile_x,
			uint32_t ntiles, uint32_t tile_row);

/*
 * The next unit: its offset from the first tile's start, the (x, y) of its
 * first byte, its length (all its bytes are one row). False at the end.
 * Inline: it runs once per 16 bytes of a Y-tiled blit.
 */
static inline bool vgt_tile_walk_next(struct vgt_tile_walk *w, uint32_t *off, uint32_t *x,
				      uint32_t *y, uint32_t *len)
{
	if (w->tile == w->ntiles)
		return false;
	/* A column of units top to bottom, the tile's columns left to right. */
	*off = w->tile * VGT_TILE_BYTES + (w->col * w->rows + w->row) * w->unit;
	*x = w->x0 + w->tile * w->tw + w->col * w->unit;
	*y = w->y0 + w->row;
	*len = w->unit;
	if (++w->row == w->rows) {
		w->row = 0;
		if (++w->col == w->cols) {
			w->col = 0;
			w->tile++;
		}
	}
	return true;
}

#endif /* VGT_TILING_H */

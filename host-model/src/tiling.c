// SPDX-License-Identifier: MIT
/*
 * The gen9 tiling reference (layouts in vgt_tiling.h). Everything that
 * needs to know where a byte of a tiled surface lives asks here: fence
 * detiling of the aperture (fence.c) and the blitter (blit.c), so the two
 * can never disagree about a layout. The formulas follow the PRM's
 * description of the tiles; tests/test_tiling.c checks them against a
 * surface built byte by byte in the order the PRM describes.
 */
#include "vgt_tiling.h"

const char *vgt_tiling_name(enum vgt_tiling t)
{
	switch (t) {
	case VGT_TILING_NONE: return "linear";
	case VGT_TILING_X: return "X";
	case VGT_TILING_Y: return "Y";
	default: return "?";
	}
}

uint32_t vgt_tile_width(enum vgt_tiling t)
{
	return t == VGT_TILING_X ? VGT_TILE_X_WIDTH :
	       t == VGT_TILING_Y ? VGT_TILE_Y_WIDTH : 1;
}

uint32_t vgt_tile_height(enum vgt_tiling t)
{
	return t == VGT_TILING_X ? VGT_TILE_X_HEIGHT :
	       t == VGT_TILING_Y ? VGT_TILE_Y_HEIGHT : 1;
}

bool vgt_tile_layout_ok(const struct vgt_tile_layout *l)
{
	return l && (unsigned int)l->tiling < VGT_TILING_NR && l->pitch &&
	       !(l->pitch % vgt_tile_width(l->tiling));
}

/* Offset of the first byte of the tile holding (x, y). */
static uint64_t tile_base(const struct vgt_tile_layout *l, uint32_t x, uint32_t y)
{
	uint32_t tw = vgt_tile_width(l->tiling), th = vgt_tile_height(l->tiling);
	uint64_t tiles_per_row = l->pitch / tw;

	return ((uint64_t)(y / th) * tiles_per_row + x / tw) * VGT_TILE_BYTES;
}

uint64_t vgt_tile_offset(const struct vgt_tile_layout *l, uint32_t x, uint32_t y)
{
	switch (l->tiling) {
	case VGT_TILING_X:
		return tile_base(l, x, y) + (y % VGT_TILE_X_HEIGHT) * VGT_TILE_X_WIDTH +
		       x % VGT_TILE_X_WIDTH;
	case VGT_TILING_Y:
		/* Column of OWords, then the row inside the column. */
		return tile_base(l, x, y) +
		       (x % VGT_TILE_Y_WIDTH / VGT_TILE_Y_OWORD) *
		       (VGT_TILE_Y_HEIGHT * VGT_TILE_Y_OWORD) +
		       (y % VGT_TILE_Y_HEIGHT) * VGT_TILE_Y_OWORD + x % VGT_TILE_Y_OWORD;
	default:
		return (uint64_t)y * l->pitch + x;
	}
}

void vgt_tile_position(const struct vgt_tile_layout *l, uint64_t off,
		       uint32_t *x, uint32_t *y)
{
	uint32_t tw = vgt_tile_width(l->tiling), th = vgt_tile_height(l->tiling);
	uint64_t tile = off / VGT_TILE_BYTES, tiles_per_row = l->pitch / tw;
	uint32_t in = off % VGT_TILE_BYTES, tx = tile % tiles_per_row;
	uint32_t ty = tile / tiles_per_row;

	switch (l->tiling) {
	case VGT_TILING_X:
		*x = tx * tw + in % VGT_TILE_X_WIDTH;
		*y = ty * th + in / VGT_TILE_X_WIDTH;
		break;
	case VGT_TILING_Y: {
		uint32_t column = in / (VGT_TILE_Y_HEIGHT * VGT_TILE_Y_OWORD);
		uint32_t in_col = in % (VGT_TILE_Y_HEIGHT * VGT_TILE_Y_OWORD);

		*x = tx * tw + column * VGT_TILE_Y_OWORD + in_col % VGT_TILE_Y_OWORD;
		*y = ty * th + in_col / VGT_TILE_Y_OWORD;
		break;
	}
	default:
		*x = off % l->pitch;
		*y = off / l->pitch;
		break;
	}
}

uint32_t vgt_tile_span(const struct vgt_tile_layout *l, uint32_t x)
{
	switch (l->tiling) {
	case VGT_TILING_X: return VGT_TILE_X_WIDTH - x % VGT_TILE_X_WIDTH;
	case VGT_TILING_Y: return VGT_TILE_Y_OWORD - x % VGT_TILE_Y_OWORD;
	default: return l->pitch - x;
	}
}

void vgt_tile_walk_init(struct vgt_tile_walk *w, enum vgt_tiling t, uint32_t tile_x,
			uint32_t ntiles, uint32_t tile_row)
{
	w->tw = vgt_tile_width(t);
	w->unit = t == VGT_TILING_Y ? VGT_TILE_Y_OWORD : VGT_TILE_X_WIDTH;
	w->rows = vgt_tile_height(t);
	w->cols = w->tw / w->unit;
	w->x0 = tile_x * w->tw;
	w->y0 = tile_row * w->rows;
	w->ntiles = ntiles;
	w->tile = w->col = w->row = 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * The gen9 2D blitter (blit.c): the semantics of one BCS command, already
 * decoded and length-checked by the shared decoder (vgt_cmd.h). Memory is
 * reached through an accessor, so the executor passes the context's
 * address space and tests a flat array.
 *
 * Implemented (gen8+ layouts, 48-bit addresses as a low and a high dword):
 *   XY_SETUP_BLT, XY_SETUP_CLIP_BLT      state kept in struct vgt_blt_state
 *   XY_PIXEL_BLT                         one pixel from the setup state
 *   XY_COLOR_BLT                         solid fill, any ROP without source
 *   XY_SRC_COPY_BLT                      copy, any ROP without pattern
 *   XY_FAST_COPY_BLT                     copy; linear and legacy Tile-Y
 * on linear, X- and Y-tiled surfaces (XY_* commands: the tiled bit means X
 * unless BCS_SWCTRL selects Y for that surface, as on gen9), 8/16/32 bpp
 * (fast copy also 64/128), clipping, 32 bpp alpha/RGB write enables and
 * overlapping copies (as if the source were read before any write).
 * Everything else is refused with -EOPNOTSUPP and a reason naming the
 * command and the field: other 2D commands, the pre-XY COLOR_BLT and
 * SRC_COPY_BLT (no 6.1 or IGT user on gen9), fast copy X/Yf/Ys tiling,
 * 8x8 color patterns, negative coordinates, tiled pitches that are not a
 * multiple of the tile width.
 *
 * Memory is accessed in runs: a linear row (or the whole rectangle when
 * its rows are contiguous), an X tile row, a Y OWord column, merged where
 * they are adjacent in memory. Only bytes of the rectangle are read or
 * written, except that a 32 bpp blit writing only alpha or only RGB reads
 * and writes back the whole pixel.
 *
 * No global state: one struct vgt_blt_state per engine (per context), used
 * by one thread at a time.
 */
#ifndef VGT_BLIT_H
#define VGT_BLIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* How a command reaches memory. Both return 0 or a negative errno. */
struct vgt_gm_access {
	int (*read)(void *as, uint64_t addr, void *buf, size_t len);
	int (*write)(void *as, uint64_t addr, const void *buf, size_t len);
	void *as;
};

/* BCS_SWCTRL (vgt_regs.h): tiled XY_* surfaces are Y, not X. */
#include "vgt_regs.h"

/* The blitter state a command stream builds up (per engine or context). */
struct vgt_blt_state {
	/* XY_SETUP_BLT */
	bool setup;			/* one ran since vgt_blt_state_init */
	uint32_t setup_br00;		/* its header: write enables, dst tiled */
	uint32_t setup_br13;		/* ROP, depth, pitch, clip enable, solid pattern */
	uint64_t setup_dst;
	uint32_t setup_bg, setup_fg;
	uint64_t setup_pattern;
	/* BR24/BR25, from XY_SETUP_BLT or XY_SETUP_CLIP_BLT; bottom-right exclusive */
	uint32_t clip_x1, clip_y1, clip_x2, clip_y2;
	/* BCS_SWCTRL, as the stream last loaded it (masked register) */
	uint32_t swctrl;
	/* why the last refused command was refused ("" if none) */
	char reason[192];
};

struct vgt_blt_stats {
	uint64_t blits;			/* drawing commands executed */
	uint64_t bytes;			/* bytes written (passed to the accessor's write) */
};

/* Reset state: no setup, clip rectangle 0, BCS_SWCTRL 0. */
void vgt_blt_state_init(struct vgt_blt_state *st);

/* A write of val to BCS_SWCTRL: bits 15:0 under the mask in 31:16. */
void vgt_blt_swctrl_write(struct vgt_blt_state *st, uint32_t val);

/**
 * vgt_blt_exec - execute one 2D command
 * @gm: the address space its addresses are in
 * @st: the engine's blitter state
 * @dw: the command's dwords, header first
 * @len: how many (the decoded length)
 * @stats: counters to add to, or NULL
 *
 * Return: 0; -EOPNOTSUPP for a form not implemented, -EINVAL for a
 * malformed command (wrong length, not a 2D command, pixel blit without
 * setup), -ENOMEM, or the accessor's error for a fault (the bytes written
 * before the fault stay written). On failure vgt_blt_reason() says why and
 * @st is unchanged; the executor hangs the context.
 */
int vgt_blt_exec(const struct vgt_gm_access *gm, struct vgt_blt_state *st,
		 const uint32_t *dw, unsigned int len, struct vgt_blt_stats *stats);

/* Why the last command failed; "" after a success. Never NULL. */
const char *vgt_blt_reason(const struct vgt_blt_state *st);

#endif /* VGT_BLIT_H */

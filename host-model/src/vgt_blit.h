/* SPDX-License-Identifier: MIT */
/*
 * PLACEHOLDER until the blitter lands (blit.c): the interface the executor
 * calls for 2D commands on BCS.
 */
#ifndef VGT_BLIT_H
#define VGT_BLIT_H

#include <stddef.h>
#include <stdint.h>

struct vgt_gm_access {
	int (*read)(void *as, uint64_t addr, void *buf, size_t len);
	int (*write)(void *as, uint64_t addr, const void *buf, size_t len);
	void *as;
};

struct vgt_blt_state {
	uint32_t setup[8];
};

struct vgt_blt_stats {
	uint64_t blits, bytes;
};

int vgt_blt_exec(const struct vgt_gm_access *gm, struct vgt_blt_state *st,
		 const uint32_t *dw, unsigned int len, struct vgt_blt_stats *stats);

#endif /* VGT_BLIT_H */

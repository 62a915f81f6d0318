// SPDX-License-Identifier: MIT
/*
 * The legacy ring-buffer front end (gen7, Haswell), beside engine.c's
 * execlists: what Linux 6.1's intel_ring_submission.c drives.
 *
 *  - xcs_resume programs RING_START (the ring's GGTT address), RING_HEAD,
 *    RING_TAIL and then RING_CTL with the size ((pages - 1) << 12) and
 *    RING_VALID; from then on every request is a RING_TAIL write
 *    (ring_submit_request -> set_tail).
 *  - A valid ring whose tail differs from its head runs from head to tail
 *    with the same executor, audit and budgets as an execlists context
 *    (exec.c); a tail written while it runs extends the run. When the
 *    head reaches the tail the engine idles; RING_HEAD tracks it (what
 *    stop_ring and the hangcheck read).
 *  - The status page is the GGTT page the gen7 HWS_PGA register of the
 *    engine names (set_hwsp); MI_STORE_DATA_INDEX and the index forms of
 *    MI_FLUSH_DW and PIPE_CONTROL write there.
 *  - PPGTT accesses go through the aliasing PPGTT of RING_PP_DIR_BASE
 *    (gm.c), which set_pp_dir and the ring's switch_mm LRIs program.
 *  - RING_CTL written without RING_VALID stops the engine at once.
 *
 * There is no context image, CSB or context-switch interrupt: the
 * breadcrumbs the driver puts in the ring are its completion signal.
 */
#include <string.h>

#include "vgt_exec.h"
#include "vgt_regs.h"

static void ring_start(struct vgt_vgpu *v, struct vgt_engine *e)
{
	struct vgt_ctx *c = &e->ctx;
	u32 ctl = *vgt_engine_reg(v, e, RING_CTL);

	memset(c, 0, sizeof(*c));
	c->ring_start = *vgt_engine_reg(v, e, RING_START) & CTX_GTT_ADDRESS_MASK;
	c->ring_head = *vgt_engine_reg(v, e, RING_HEAD) & HEAD_ADDR;
	c->ring_tail = *vgt_engine_reg(v, e, RING_TAIL) & TAIL_ADDR;
	c->ring_ctl = ctl;
	c->ring_size = (ctl & RING_NR_PAGES) + VGT_PAGE;
	c->lrca = v->regs[vgt_hwsp_reg(v, e->id, e->base) / 4] & CTX_GTT_ADDRESS_MASK;
	c->pt.levels = 2;
	c->pt.root[0] = e->base;
	if (c->ring_head == c->ring_tail)
		return;
	v->exec->stats.submissions++;
	e->active = true;
	e->level = VGT_LVL_RING;
	e->frame[VGT_LVL_RING].n = e->frame[VGT_LVL_RING].pos = 0;
	e->ring_audited = c->ring_head;
	if (c->ring_head >= c->ring_size || c->ring_tail >= c->ring_size) {
		vgt_engine_hang(v, e, VGT_HANG_CONTEXT, "ring head or tail beyond its size");
		return;
	}
	vgt_exec_kick(v);
}

bool vgt_ring_reg(u32 reg)
{
	return reg == RING_TAIL || reg == RING_CTL;
}

int vgt_ring_write(struct vgt_vgpu *v, struct vgt_engine *e, u64 off, unsigned int size,
		   u64 val)
{
	u32 reg = (u32)(off - e->base);
	int ret;

	if (size != 4)
		return vgt_reject(v, VGT_REASON_REG_SIZE);
	ret = vgt_plain_write(v, off, size, val);
	if (ret)
		return ret;
	if (reg == RING_CTL && !(val & RING_VALID)) {
		e->active = false;
		return 0;
	}
	if (e->hung || !(*vgt_engine_reg(v, e, RING_CTL) & RING_VALID))
		return 0;	/* a hung engine takes nothing until it is reset */
	if (e->active) {
		if (reg == RING_TAIL) {
			e->ctx.ring_tail = (u32)val & TAIL_ADDR;
			if (e->ctx.ring_tail >= e->ctx.ring_size)
				vgt_engine_hang(v, e, VGT_HANG_CONTEXT, "ring tail beyond its size");
			vgt_exec_kick(v);
		}
		return 0;
	}
	ring_start(v, e);
	return 0;
}

void vgt_ring_idle(struct vgt_vgpu *v, struct vgt_engine *e)
{
	v->exec->stats.contexts++;
	e->active = false;
	*vgt_engine_reg(v, e, RING_HEAD) = e->ctx.ring_head;
}

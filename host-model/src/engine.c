// SPDX-License-Identifier: MIT
/*
 * The execlists front end of each engine, as Linux 6.1 drives it on a vGPU
 * (intel_execlists_submission.c with HWSP emulation):
 *
 *  - ELSP takes four dwords, element 1 then element 0, each high then low
 *    (write_desc); the fourth submits. An element is a context descriptor:
 *    valid bit 0, addressing mode bits 4:3, LRCA bits 31:12 (the GGTT
 *    address of the context image), the context ID in the high dword.
 *  - A submission to an idle engine reports IDLE_ACTIVE; one to a busy
 *    engine preempts it at a command boundary and reports PREEMPTED, with
 *    LITE_RESTORE when element 0 is the context already running (the
 *    engine then takes the new tail from the image and goes on). When an
 *    element's ring runs dry the context is saved (its head written back to
 *    the image) and ELEMENT_SWITCH (more to run) or COMPLETE | ACTIVE_IDLE
 *    (the last one) is reported. gen8_csb_parse promotes on IDLE_ACTIVE and
 *    PREEMPTED, and completes a port on anything else: exactly this set.
 *  - Each event is a 64-bit CSB entry (status low, context ID high) at HWSP
 *    dword 0x10 + 2i, then the write pointer at dword 0x1f and in
 *    RING_CONTEXT_STATUS_PTR, then the context-switch interrupt. The next
 *    entry follows the write pointer the guest last set (reset_csb_pointers
 *    sets 5, so the next is entry 0).
 *  - STOP_RING in RING_MI_MODE pauses the engine and MODE_IDLE then reads
 *    set; RING_RESET_CTL is ready as soon as asked; GDRST resets an engine
 *    (its bit) or all (bit 0), dropping what it ran: this is how i915
 *    recovers a hung context.
 *
 * The HWSP is the GGTT page RING_HWS_PGA names; the context image and ring
 * are in the GGTT too: all reached through the vGPU's own PTEs only.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "vgt_exec.h"
#include "vgt_regs.h"

static const struct {
	const char *name;
	u32 base, grdom;
} engine_desc[VGT_ENGINE_NR] = {
#define X(id, nm, base, grdom, bank, shift, master) [id] = { nm, base, grdom },
	VGT_FOR_EACH_ENGINE(X)
#undef X
};

u32 *vgt_engine_reg(struct vgt_vgpu *v, const struct vgt_engine *e, u32 reg)
{
	return &v->regs[(e->base + reg) / 4];
}

static struct vgt_engine *engine_of(struct vgt_vgpu *v, u64 off)
{
	unsigned int i;

	for (i = 0; i < VGT_ENGINE_NR; i++)
		if (off >= engine_desc[i].base && off - engine_desc[i].base < VGT_ENGINE_BLOCK)
			return &v->exec->eng[i];
	return NULL;
}

void vgt_engines_init(struct vgt_vgpu *v)
{
	unsigned int i;

	for (i = 0; i < VGT_ENGINE_NR; i++) {
		v->exec->eng[i].id = i;
		v->exec->eng[i].base = engine_desc[i].base;
	}
}

static void engine_reset(struct vgt_vgpu *v, struct vgt_engine *e)
{
	unsigned int i;

	for (i = 0; i < 3; i++) {
		e->frame[i].n = e->frame[i].pos = 0;
	}
	e->elsp_n = 0;
	e->nr_elem = e->cur = 0;
	e->has_deferred = false;
	e->active = e->hung = false;
	e->level = VGT_LVL_RING;
	e->ring_audited = 0;
	e->predicate = false;
	e->waiting = false;
	memset(&e->blt, 0, sizeof(e->blt));
	memset(&e->ctx, 0, sizeof(e->ctx));
	/* After a reset the engine writes CSB entry 0 first. */
	*vgt_engine_reg(v, e, RING_CONTEXT_STATUS_PTR) = 0x0707;
}

void vgt_engines_reset(struct vgt_vgpu *v, u32 mask)
{
	unsigned int i;

	for (i = 0; i < VGT_ENGINE_NR; i++)
		if (mask & (1u << i))
			engine_reset(v, &v->exec->eng[i]);
}

void vgt_engines_free(struct vgt_vgpu *v)
{
	unsigned int i, j;

	for (i = 0; i < VGT_ENGINE_NR; i++)
		for (j = 0; j < 3; j++)
			vgt_frame_free(&v->exec->eng[i].frame[j]);
}

bool vgt_engine_runnable(const struct vgt_engine *e)
{
	return e->active && !e->hung;
}

static bool stopped(struct vgt_vgpu *v, const struct vgt_engine *e)
{
	return *vgt_engine_reg(v, e, RING_MI_MODE) & STOP_RING;
}

/* A GGTT access of the engine (HWSP, context image): the vGPU's own PTEs. */
static int ggtt_rw(struct vgt_vgpu *v, u64 gm, void *buf, size_t len, bool write)
{
	struct vgt_as as = { .v = v };

	return write ? vgt_as_write(&as, gm, buf, len) : vgt_as_read(&as, gm, buf, len);
}

/* Report one context-switch event in the CSB and interrupt. */
static void csb_event(struct vgt_vgpu *v, struct vgt_engine *e, u32 status, u32 ctx_id)
{
	u32 *ptr = vgt_engine_reg(v, e, RING_CONTEXT_STATUS_PTR);
	u32 wp = *ptr & GEN8_CSB_PTR_MASK;
	u32 hwsp = *vgt_engine_reg(v, e, RING_HWS_PGA) & CTX_GTT_ADDRESS_MASK;
	u32 entry[2] = { status, ctx_id };

	wp = wp >= GEN8_CSB_ENTRIES - 1 ? 0 : wp + 1;
	*vgt_engine_reg(v, e, RING_CONTEXT_STATUS_BUF_LO(wp)) = status;
	*vgt_engine_reg(v, e, RING_CONTEXT_STATUS_BUF_HI(wp)) = ctx_id;
	*ptr = (*ptr & ~GEN8_CSB_PTR_MASK) | wp;
	/*
	 * Entry first, then the write pointer, then the interrupt: the order
	 * process_csb relies on. A HWSP outside the vGPU's memory is the
	 * guest's loss only: the registers above still tell the story.
	 */
	ggtt_rw(v, hwsp + 4 * (I915_HWS_CSB_BUF0_INDEX + 2 * wp), entry, sizeof(entry), true);
	ggtt_rw(v, hwsp + 4 * I915_HWS_CSB_WRITE_INDEX, &wp, sizeof(wp), true);
	vgt_irq_engine(v, e->id, GT_CONTEXT_SWITCH_INTERRUPT);
}

static u32 ctx_id(u64 desc)
{
	return (u32)(desc >> 32);
}

/*
 * Load the register state of element e->elem[e->cur] from its image: ring
 * registers and the PPGTT root. Return: 0, or -1 with the context hung.
 */
static int context_load(struct vgt_vgpu *v, struct vgt_engine *e, bool lite)
{
	u64 desc = e->elem[e->cur];
	struct vgt_ctx *c = &e->ctx;
	u32 regs[CTX_PDP0_LDW + 1];
	unsigned int mode = (desc >> GEN8_CTX_ADDRESSING_MODE_SHIFT) & 3;
	unsigned int i;

	c->desc = desc;
	c->lrca = desc & CTX_GTT_ADDRESS_MASK;
	if (ggtt_rw(v, c->lrca + LRC_STATE_OFFSET, regs, sizeof(regs), false)) {
		vgt_engine_hang(v, e, VGT_HANG_FAULT, "context image not readable");
		return -1;
	}
	c->ring_tail = regs[CTX_RING_TAIL] & TAIL_ADDR;
	if (lite)
		return 0;	/* same context: only the tail is new */
	c->ring_start = regs[CTX_RING_START] & CTX_GTT_ADDRESS_MASK;
	c->ring_head = regs[CTX_RING_HEAD] & HEAD_ADDR;
	c->ring_ctl = regs[CTX_RING_CTL];
	c->ring_size = (c->ring_ctl & RING_NR_PAGES) + VGT_PAGE;
	memset(&c->pt, 0, sizeof(c->pt));
	if (mode == INTEL_LEGACY_64B_CONTEXT) {
		c->pt.levels = 4;
		c->pt.root[0] = (u64)regs[CTX_PDP0_UDW] << 32 | regs[CTX_PDP0_LDW];
	} else if (mode == INTEL_LEGACY_32B_CONTEXT) {
		c->pt.levels = 3;
		for (i = 0; i < 4; i++)
			c->pt.root[3 - i] = (u64)regs[CTX_PDP3_UDW + 4 * i] << 32 |
					    regs[CTX_PDP3_LDW + 4 * i];
	}
	e->level = VGT_LVL_RING;
	e->frame[VGT_LVL_RING].n = e->frame[VGT_LVL_RING].pos = 0;
	e->ring_audited = c->ring_head;
	if (!(c->ring_ctl & RING_VALID) || c->ring_head >= c->ring_size ||
	    c->ring_tail >= c->ring_size || !c->pt.levels) {
		vgt_engine_hang(v, e, VGT_HANG_CONTEXT, !c->pt.levels ?
				"addressing mode not legacy 32/64-bit" :
				"ring not valid, or head/tail beyond its size");
		return -1;
	}
	*vgt_engine_reg(v, e, RING_START) = c->ring_start;
	*vgt_engine_reg(v, e, RING_CTL) = c->ring_ctl;
	*vgt_engine_reg(v, e, RING_HEAD) = c->ring_head;
	*vgt_engine_reg(v, e, RING_TAIL) = c->ring_tail;
	return 0;
}

/* Write the head back to the image: what the hardware saves on a switch. */
static void context_save(struct vgt_vgpu *v, struct vgt_engine *e)
{
	u32 head = e->ctx.ring_head;

	ggtt_rw(v, e->ctx.lrca + LRC_STATE_OFFSET + 4 * CTX_RING_HEAD, &head, 4, true);
	*vgt_engine_reg(v, e, RING_HEAD) = head;
}

/* Run element cur (already chosen): load it, or hang trying. */
static void element_start(struct vgt_vgpu *v, struct vgt_engine *e)
{
	e->active = true;
	e->hung = false;
	context_load(v, e, false);
	vgt_exec_kick(v);
}

/* The ring of the running element ran dry: switch to the next, or idle. */
void vgt_engine_context_done(struct vgt_vgpu *v, struct vgt_engine *e)
{
	u32 id = ctx_id(e->elem[e->cur]);

	if (!v->plat->info.execlists) {
		vgt_ring_idle(v, e);
		return;
	}
	context_save(v, e);
	v->exec->stats.contexts++;
	if (e->cur + 1 < e->nr_elem) {
		e->cur++;
		csb_event(v, e, GEN8_CTX_STATUS_ELEMENT_SWITCH, id);
		element_start(v, e);
		return;
	}
	e->active = false;
	e->nr_elem = e->cur = 0;
	csb_event(v, e, GEN8_CTX_STATUS_COMPLETE | GEN8_CTX_STATUS_ACTIVE_IDLE, id);
}

void vgt_engine_hang(struct vgt_vgpu *v, struct vgt_engine *e, enum vgt_hang_reason why,
		     const char *what)
{
	char line[sizeof(v->last_hang)];

	e->hung = true;
	v->exec->stats.hangs[why]++;
	snprintf(line, sizeof(line), "vgpu%u: %s context %#llx hung (%s): %s",
		 v->slices.id, vgt_engine_name(e->id), (unsigned long long)e->ctx.lrca,
		 vgt_hang_reason_name(why), what);
	memcpy(v->last_hang, line, sizeof(line));
	if (v->host->log)
		v->host->log(v->host->log_priv, line);
}

/* Run a submission of elements e0 (and e1 if valid) now. */
static void submit(struct vgt_vgpu *v, struct vgt_engine *e, u64 e0, u64 e1)
{
	bool busy = e->active;
	bool lite = busy &&
		    (e0 & CTX_GTT_ADDRESS_MASK) == (e->elem[e->cur] & CTX_GTT_ADDRESS_MASK);
	u32 old_id = busy ? ctx_id(e->elem[e->cur]) : 0;

	if (busy && !lite)
		context_save(v, e);	/* preempted at a command boundary */
	e->elem[0] = e0;
	e->elem[1] = e1;
	e->nr_elem = e1 & GEN8_CTX_VALID ? 2 : 1;
	e->cur = 0;
	if (lite) {
		v->exec->stats.lite_restores++;
		csb_event(v, e, GEN8_CTX_STATUS_PREEMPTED | GEN8_CTX_STATUS_LITE_RESTORE, old_id);
		context_load(v, e, true);
		vgt_exec_kick(v);
		return;
	}
	if (busy)
		v->exec->stats.preemptions++;
	csb_event(v, e, busy ? GEN8_CTX_STATUS_PREEMPTED : GEN8_CTX_STATUS_IDLE_ACTIVE,
		  busy ? old_id : ctx_id(e0));
	element_start(v, e);
}

/*
 * The fourth ELSP dword arrived: elsp[] = e1 high, e1 low, e0 high, e0 low.
 * A preemption of a context that is inside a batch waits for the engine to
 * be back at ring level: there the context can be saved as the ring head.
 */
static void elsp_submit(struct vgt_vgpu *v, struct vgt_engine *e)
{
	u64 e0 = (u64)e->elsp[2] << 32 | e->elsp[3];
	u64 e1 = (u64)e->elsp[0] << 32 | e->elsp[1];
	bool lite = e->active && (e0 & CTX_GTT_ADDRESS_MASK) ==
				 (e->elem[e->cur] & CTX_GTT_ADDRESS_MASK);

	e->elsp_n = 0;
	if (!(e0 & GEN8_CTX_VALID))
		return;		/* nothing to run: the hardware ignores it */
	v->exec->stats.submissions++;
	/* A hung engine takes nothing new until it is reset. */
	if (e->hung)
		return;
	if (e->active && !lite && e->level != VGT_LVL_RING) {
		e->deferred[0] = e0;
		e->deferred[1] = e1;
		e->has_deferred = true;
		return;
	}
	submit(v, e, e0, e1);
}

void vgt_engine_take_deferred(struct vgt_vgpu *v, struct vgt_engine *e)
{
	e->has_deferred = false;
	submit(v, e, e->deferred[0], e->deferred[1]);
}

/* Registers with semantics: only a whole-dword access carries their value. */
static bool is_special(u32 reg)
{
	return reg == RING_MI_MODE || reg == RING_RESET_CTL || reg == RING_MODE_GEN7 ||
	       reg == RING_CONTEXT_STATUS_PTR || reg == RING_INSTPM ||
	       reg == RING_CONTEXT_CONTROL || reg == RING_ELSP;
}

/* Does [at, at + size) touch a special register it does not exactly cover? */
static bool partial_special(u32 at, unsigned int size)
{
	u32 first = at & ~3u, last = (at + size - 1) & ~3u, reg;

	for (reg = first; reg <= last; reg += 4)
		if (is_special(reg) && (size != 4 || at != reg))
			return true;
	return false;
}

int vgt_engine_read(struct vgt_vgpu *v, const struct vgt_reg *r, u64 off,
		    unsigned int size, u64 *val)
{
	struct vgt_engine *e = engine_of(v, off);
	u32 reg = (u32)(off - e->base);

	(void)r;
	memcpy(val, (u8 *)v->regs + off, size);
	if (reg <= RING_MI_MODE + 1 && RING_MI_MODE + 1 < reg + size &&
	    (!e->active || e->hung || stopped(v, e)))
		*val |= (u64)(MODE_IDLE >> 8) << (8 * (RING_MI_MODE + 1 - reg));
	if (reg == RING_EXECLIST_STATUS_HI && size == 4)
		*val = e->active ? ctx_id(e->elem[e->cur]) : 0;
	return 0;
}

int vgt_engine_write(struct vgt_vgpu *v, const struct vgt_reg *r, u64 off,
		     unsigned int size, u64 val)
{
	static const struct vgt_reg masked = { .size = 4, .flags = VGT_REG_MASKED };
	struct vgt_engine *e = engine_of(v, off);
	u32 reg = (u32)(off - e->base), nv = (u32)val;
	bool was_stopped = stopped(v, e);
	int ret;

	(void)r;
	if (!v->plat->info.execlists) {
		/* ring buffers: TAIL and CTL submit; no ELSP, no CSB */
		if (partial_special(reg, size) ||
		    (size != 4 && (vgt_ring_reg(reg & ~3u) || vgt_ring_reg((reg + size - 1) & ~3u))))
			return vgt_reject(v, VGT_REASON_REG_SIZE);
		if (vgt_ring_reg(reg))
			return vgt_ring_write(v, e, off, size, val);
		if (reg == RING_ELSP || reg == RING_CONTEXT_STATUS_PTR || !is_special(reg))
			return vgt_plain_write(v, off, size, val);
	}
	if (partial_special(reg, size))
		return vgt_reject(v, VGT_REASON_REG_SIZE);
	if (!is_special(reg))
		return vgt_plain_write(v, off, size, val);
	if (reg == RING_ELSP) {
		e->elsp[e->elsp_n++] = nv;
		if (e->elsp_n == 4)
			elsp_submit(v, e);
		return 0;
	}
	ret = vgt_dword_write(v, &masked, off, size, val);
	if (ret)
		return ret;
	if (reg == RING_INSTPM) {
		/* gen7 flush_cs_tlb waits for SYNC_FLUSH to clear: done at once */
		v->regs[off / 4] &= ~INSTPM_SYNC_FLUSH;
	} else if (reg == RING_RESET_CTL) {
		u32 *ctl = &v->regs[off / 4];

		*ctl &= ~RESET_CTL_READY_TO_RESET;
		if (*ctl & RESET_CTL_REQUEST_RESET)
			*ctl |= RESET_CTL_READY_TO_RESET;
	} else if (reg == RING_MODE_GEN7 && ((nv >> 16) & nv & (GFX_PPGTT_ENABLE | GFX_RUN_LIST_ENABLE)) &&
		   !v->pv_read) {
		vgt_enter_failsafe(v, VGT_FAILSAFE_GFX_MODE);
	} else if (reg == RING_MI_MODE && was_stopped && !stopped(v, e)) {
		vgt_exec_kick(v);
	}
	return 0;
}

/* GEN6_GDRST: reset the engines named (bit 0: all), then read 0 (done). */
int vgt_gdrst_write(struct vgt_vgpu *v, const struct vgt_reg *r, u64 off,
		    unsigned int size, u64 val)
{
	u32 bits = (u32)val, mask = 0;
	unsigned int i;
	int ret = vgt_dword_write(v, r, off, size, val);

	if (ret)
		return ret;
	for (i = 0; i < VGT_ENGINE_NR; i++)
		if (bits & (GEN6_GRDOM_FULL | engine_desc[i].grdom))
			mask |= 1u << i;
	if (bits & GEN6_GRDOM_FULL)
		v->exec->stats.full_resets++;
	else
		v->exec->stats.engine_resets += __builtin_popcount(mask);
	vgt_engines_reset(v, mask);
	return 0;
}

const char *vgt_hang_reason_name(enum vgt_hang_reason r)
{
	static const char *const names[VGT_HANG_NR] = {
		"audit", "fault", "unsupported", "context",
	};

	return (unsigned int)r < VGT_HANG_NR ? names[r] : "?";
}

// SPDX-License-Identifier: MIT
/*
 * The command executor: runs an engine's context from its ring head to its
 * tail, following batch buffers, in software.
 *
 * Audit in the loop. Nothing the guest wrote runs before it was audited:
 * the ring segment [head, tail) and every batch are first copied out of
 * guest memory into a private frame, the copy is audited (audit.c, with the
 * same decoder this file executes with), and the copy is what runs, so a
 * guest rewriting its buffers after the audit changes nothing. A batch is
 * copied in a growing window until the audit finds its end. A refusal, or
 * a fault on any access (an address that does not translate through the
 * vGPU's own GGTT PTEs or the context's PPGTT into the guest's memory),
 * hangs that context only: the engine stops there until the guest resets
 * it, as the hardware's command streamer would stop on a fault.
 *
 * Semantics. MI commands behave as the gen9 command reference says (stores,
 * register loads and stores, flush and pipe-control post-sync writes,
 * semaphore waits by polling, conditional batch ends, MI_MATH on the 16
 * GPRs, atomics, predicated batch starts); 2D commands are the blitter's
 * (blit.c); 3D, media and video state and work are counted no-ops, so
 * state batches complete while no pixel is rendered.
 *
 * Budget. A slice runs at most budget commands (a blit costs one per 4 KiB
 * it writes), so a looping batch cannot hold the vGPU: the worker goes
 * round the engines, and a spinner spins until the guest ends it or resets
 * the engine.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vgt_audit.h"
#include "vgt_exec.h"
#include "vgt_regs.h"

#define BB_SECOND_LEVEL		(1u << 22)
#define BB_PREDICATE		(1u << 15)
#define FIRST_WINDOW		1024u		/* dwords copied for a batch at first */
#define MAX_WINDOW		VGT_AUDIT_DEF_DWORDS

/* The next command does not run yet (a semaphore not met): end the slice. */
#define WAIT 1

void vgt_frame_free(struct vgt_frame *f)
{
	free(f->dw);
	memset(f, 0, sizeof(*f));
}

static int frame_reserve(struct vgt_frame *f, size_t n)
{
	u32 *p;

	if (n <= f->cap)
		return 0;
	p = realloc(f->dw, n * sizeof(u32));
	if (!p)
		return -ENOMEM;
	f->dw = p;
	f->cap = n;
	return 0;
}

static void as_for(struct vgt_vgpu *v, const struct vgt_engine *e, bool ppgtt,
		   struct vgt_as *as)
{
	*as = (struct vgt_as){ .v = v, .ppgtt = ppgtt, .pt = e->ctx.pt };
}

/*
 * The audit checks against what the vGPU accepts now (slices.c): its
 * slices, or during a re-balloon their union with the new ones. The set
 * cannot change while the lock is held, so one buffer's audit sees one set
 * (H-29); what runs later is translated through the set of that moment.
 */
static void audit_ctx(struct vgt_vgpu *v, const struct vgt_engine *e,
		      enum vgt_audit_buffer kind, struct vgt_audit_ctx *c)
{
	const struct vgt_slice_ranges *s = &v->accept;
	struct vgt_audit_range *more = v->exec->audit_more;
	unsigned int k, i, n = 0;

	*c = (struct vgt_audit_ctx){ .buffer = kind, .engine = e->id, .platform = v->platform,
				     .more = more };
	for (k = 0; k < VGT_GM_NR; k++) {
		for (i = 0; i < s->nr[k]; i++) {
			const struct vgt_gm_range *r = &s->r[k][i];

			if (i == 0 && k == VGT_GM_APERTURE) {
				c->mappable_base = r->base;
				c->mappable_size = r->size;
			} else if (i == 0) {
				c->hidden_base = r->base;
				c->hidden_size = r->size;
			} else {
				more[n++] = (struct vgt_audit_range){ r->base, r->size };
			}
		}
	}
	c->nr_more = n;
}

static void refused(struct vgt_vgpu *v, struct vgt_engine *e, const struct vgt_audit_result *r,
		    const char *where)
{
	char what[160];

	if ((unsigned int)r->reason < VGT_EXEC_AUDIT_REASONS)
		v->exec->stats.audit[r->reason]++;
	snprintf(what, sizeof(what), "%s refused by the audit: %s at dword %zu: %s addr %#llx size %llu",
		 where, vgt_audit_reason_name(r->reason), r->dword, r->command,
		 (unsigned long long)r->addr, (unsigned long long)r->size);
	vgt_engine_hang(v, e, VGT_HANG_AUDIT, what);
}

/* Copy and audit the ring from the head to the tail. 0, or -1 (hung). */
static int load_ring_segment(struct vgt_vgpu *v, struct vgt_engine *e)
{
	struct vgt_ctx *c = &e->ctx;
	struct vgt_frame *f = &e->frame[VGT_LVL_RING];
	u64 head = c->ring_head, bytes = (c->ring_tail + c->ring_size - head) % c->ring_size;
	struct vgt_audit_result res;
	struct vgt_audit_ctx ac;
	struct vgt_as as;
	u64 first = bytes < c->ring_size - head ? bytes : c->ring_size - head;

	as_for(v, e, false, &as);
	if (frame_reserve(f, bytes / 4 + 1)) {
		vgt_engine_hang(v, e, VGT_HANG_CONTEXT, "out of memory for the ring copy");
		return -1;
	}
	if (vgt_as_read(&as, c->ring_start + head, f->dw, first) ||
	    vgt_as_read(&as, c->ring_start, (u8 *)f->dw + first, bytes - first)) {
		vgt_engine_hang(v, e, VGT_HANG_FAULT, "ring not readable through the GGTT");
		return -1;
	}
	f->n = bytes / 4;
	f->pos = 0;
	f->base = head;
	f->ppgtt = false;
	audit_ctx(v, e, VGT_AUDIT_RING, &ac);
	if (vgt_audit(&ac, f->dw, f->n, &res)) {
		refused(v, e, &res, "ring");
		return -1;
	}
	return 0;
}

/*
 * Copy and audit the batch at addr into the frame of level lvl, in a window
 * that grows until the audit sees the batch end (or memory stops: a batch
 * that runs off its mapping is refused as unterminated).
 */
static int load_batch(struct vgt_vgpu *v, struct vgt_engine *e, enum vgt_level lvl,
		      u64 addr, bool ppgtt)
{
	struct vgt_frame *f = &e->frame[lvl];
	struct vgt_audit_result res;
	struct vgt_audit_ctx ac;
	struct vgt_as as;
	size_t window = FIRST_WINDOW, have = 0;

	as_for(v, e, ppgtt, &as);
	audit_ctx(v, e, VGT_AUDIT_BATCH, &ac);
	ac.ppgtt = ppgtt;
	f->base = addr;
	f->ppgtt = ppgtt;
	f->pos = 0;
	for (;;) {
		bool short_read = false;

		if (frame_reserve(f, window)) {
			vgt_engine_hang(v, e, VGT_HANG_CONTEXT, "out of memory for a batch copy");
			return -1;
		}
		/* Page by page, so a batch ending before unmapped memory still loads. */
		while (have < window) {
			u64 at = addr + 4 * have;
			size_t n = (VGT_PAGE - (at & (VGT_PAGE - 1))) / 4;

			if (n > window - have)
				n = window - have;
			if (vgt_as_read(&as, at, f->dw + have, 4 * n)) {
				short_read = true;
				break;
			}
			have += n;
		}
		f->n = have;
		if (!vgt_audit(&ac, f->dw, f->n, &res))
			break;
		if ((res.reason != VGT_AUDIT_UNTERMINATED && res.reason != VGT_AUDIT_TRUNCATED) ||
		    short_read || window >= MAX_WINDOW) {
			refused(v, e, &res, "batch");
			return -1;
		}
		window *= 4;
	}
	v->exec->stats.batches++;
	return 0;
}

/* Resolve an operand's address space for the frame it is in. */
static int operand_as(struct vgt_vgpu *v, struct vgt_engine *e, const struct vgt_cmd_operand *o,
		      struct vgt_as *as, u64 *addr)
{
	const struct vgt_frame *f = &e->frame[e->level];

	*addr = o->addr;
	switch (o->as) {
	case VGT_AS_GGTT:
		as_for(v, e, false, as);
		return 0;
	case VGT_AS_PPGTT:
		as_for(v, e, true, as);
		return 0;
	case VGT_AS_HWSP:	/* the per-context status page: page 0 of the image */
		as_for(v, e, false, as);
		*addr = e->ctx.lrca + o->addr;
		return 0;
	case VGT_AS_BATCH:
		as_for(v, e, e->level != VGT_LVL_RING && f->ppgtt, as);
		return 0;
	}
	return -EINVAL;
}

static int mem_rw(struct vgt_vgpu *v, struct vgt_engine *e, const struct vgt_cmd_operand *o,
		  void *buf, size_t len, bool write)
{
	struct vgt_as as;
	u64 addr;

	if (operand_as(v, e, o, &as, &addr))
		return -EINVAL;
	return write ? vgt_as_write(&as, addr, buf, len) : vgt_as_read(&as, addr, buf, len);
}

/* The ring and GGTT batches run privileged; PPGTT batches do not. */
static bool privileged(const struct vgt_engine *e)
{
	return e->level == VGT_LVL_RING ||
	       (!e->frame[VGT_LVL_FIRST].ppgtt &&
		(e->level == VGT_LVL_FIRST || !e->frame[VGT_LVL_SECOND].ppgtt));
}

static u32 *reg(struct vgt_vgpu *v, const struct vgt_engine *e, u32 r)
{
	return vgt_engine_reg(v, e, r);
}

static u64 gpr(struct vgt_vgpu *v, const struct vgt_engine *e, unsigned int n)
{
	u32 *p = reg(v, e, GEN8_RING_CS_GPR(n));

	return (u64)p[1] << 32 | p[0];
}

static void set_gpr(struct vgt_vgpu *v, const struct vgt_engine *e, unsigned int n, u64 val)
{
	u32 *p = reg(v, e, GEN8_RING_CS_GPR(n));

	p[0] = (u32)val;
	p[1] = (u32)(val >> 32);
}

/* MI_MATH: the ALU on SRCA/SRCB/ACCU/ZF/CF and the GPRs (gen8 encodings). */
static int mi_math(struct vgt_vgpu *v, struct vgt_engine *e, const u32 *dw, unsigned int len)
{
	u64 a = 0, b = 0, acc = 0;
	bool zf = false, cf = false;
	unsigned int i;

	for (i = 1; i < len; i++) {
		unsigned int op = dw[i] >> 20, op1 = (dw[i] >> 10) & 0x3ff, op2 = dw[i] & 0x3ff;
		u64 src = 0;

		if ((op & ~0x400u) == 0x080 || (op & ~0x400u) == 0x081) {	/* LOAD* */
			if ((op & ~0x400u) == 0x080) {
				if (op2 < VGT_CS_GPRS)
					src = gpr(v, e, op2);
				else if (op2 == 0x31)
					src = acc;
				else if (op2 == 0x32)
					src = zf ? ~0ULL : 0;
				else if (op2 == 0x33)
					src = cf ? ~0ULL : 0;
				else
					return -EOPNOTSUPP;
			} else {
				src = 0;		/* LOAD0; LOAD1 is its inverse */
			}
			if (op & 0x400)
				src = ~src;
			if (op1 == 0x20)
				a = src;
			else if (op1 == 0x21)
				b = src;
			else
				return -EOPNOTSUPP;
			continue;
		}
		switch (op) {
		case 0x000:
			break;
		case 0x100:
			acc = a + b;
			cf = acc < a;
			zf = !acc;
			break;
		case 0x101:
			acc = a - b;
			cf = a < b;
			zf = !acc;
			break;
		case 0x102:
			acc = a & b;
			zf = !acc;
			break;
		case 0x103:
			acc = a | b;
			zf = !acc;
			break;
		case 0x104:
			acc = a ^ b;
			zf = !acc;
			break;
		case 0x180:
		case 0x580: {				/* STORE, STOREINV */
			u64 val;

			if (op2 == 0x31)
				val = acc;
			else if (op2 == 0x32)
				val = zf ? ~0ULL : 0;
			else if (op2 == 0x33)
				val = cf ? ~0ULL : 0;
			else if (op2 < VGT_CS_GPRS)
				val = gpr(v, e, op2);
			else
				return -EOPNOTSUPP;
			if (op == 0x580)
				val = ~val;
			if (op1 >= VGT_CS_GPRS)
				return -EOPNOTSUPP;
			set_gpr(v, e, op1, val);
			break;
		}
		default:
			return -EOPNOTSUPP;
		}
	}
	return 0;
}

/* MI_SEMAPHORE_WAIT compare: memory value against the inline data. */
static bool semaphore_met(u32 mem, u32 data, unsigned int op)
{
	switch (op) {
	case 0: return mem > data;
	case 1: return mem >= data;
	case 2: return mem < data;
	case 3: return mem <= data;
	case 4: return mem == data;
	case 5: return mem != data;
	default: return false;
	}
}

/* MI_PREDICATE: load (7:6), combine (4:3), compare (1:0) of SRC0 and SRC1. */
static void mi_predicate(struct vgt_vgpu *v, struct vgt_engine *e, u32 h)
{
	u64 s0 = (u64)*reg(v, e, MI_PREDICATE_SRC0 + 4) << 32 | *reg(v, e, MI_PREDICATE_SRC0);
	u64 s1 = (u64)*reg(v, e, MI_PREDICATE_SRC1 + 4) << 32 | *reg(v, e, MI_PREDICATE_SRC1);
	unsigned int load = (h >> 6) & 3, combine = (h >> 3) & 3, compare = h & 3;
	bool c = compare == 0 ? true : compare == 1 ? false : compare == 2 ? s0 == s1 : false;
	bool val = e->predicate;

	if (load == 2)
		val = c;
	else if (load == 3)
		val = !c;
	if (load >= 2) {
		if (combine == 1)
			val = e->predicate && val;
		else if (combine == 2)
			val = e->predicate || val;
		else if (combine == 3)
			val = e->predicate != val;
	}
	e->predicate = val;
	*reg(v, e, MI_PREDICATE_RESULT) = val;
}

static int mi_atomic(struct vgt_vgpu *v, struct vgt_engine *e, const u32 *dw,
		     const struct vgt_cmd_operand *o)
{
	unsigned int op = (dw[0] >> 8) & 0xff, size = (unsigned int)o->size;
	bool inline_data = dw[0] & (1u << 18);
	u64 old = 0, s1 = inline_data ? (dw[3] | (size == 8 ? (u64)dw[4] << 32 : 0)) : gpr(v, e, 0);
	u64 nv, mask = size == 8 ? ~0ULL : 0xffffffffULL;
	int err;

	if (size != 4 && size != 8)
		return -EOPNOTSUPP;
	err = mem_rw(v, e, o, &old, size, false);
	if (err)
		return err;
	switch (op) {
	case 0x01: nv = old & s1; break;
	case 0x02: nv = old | s1; break;
	case 0x03: nv = old ^ s1; break;
	case 0x04: nv = s1; break;
	case 0x05: nv = old + 1; break;
	case 0x06: nv = old - 1; break;
	case 0x07: nv = old + s1; break;
	case 0x08: nv = old - s1; break;
	default: return -EOPNOTSUPP;
	}
	nv &= mask;
	return mem_rw(v, e, o, &nv, size, true);
}

static u64 timestamp_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	/* gen9 command streamer timestamps count at 12 MHz */
	return (u64)ts.tv_sec * 12000000ULL + (u64)ts.tv_nsec * 12 / 1000;
}

/* Enter a batch, or leave the current one (BB_END), as the level rules say. */
static int bb_start(struct vgt_vgpu *v, struct vgt_engine *e, const u32 *dw,
		    const struct vgt_cmd_operand *o)
{
	enum vgt_level to;

	if ((dw[0] & BB_PREDICATE) && e->id == VGT_RCS && !e->predicate)
		return 0;	/* predicated off: fall through */
	if (e->level == VGT_LVL_RING)
		to = VGT_LVL_FIRST;
	else if (e->level == VGT_LVL_FIRST)
		to = dw[0] & BB_SECOND_LEVEL ? VGT_LVL_SECOND : VGT_LVL_FIRST;
	else
		return -EOPNOTSUPP;	/* the audit refuses starts from a 2nd level */
	if (load_batch(v, e, to, o->addr, o->as == VGT_AS_PPGTT))
		return -EACCES;
	e->level = to;
	return 0;
}

static void bb_end(struct vgt_engine *e)
{
	if (e->level == VGT_LVL_SECOND)
		e->level = VGT_LVL_FIRST;
	else if (e->level == VGT_LVL_FIRST)
		e->level = VGT_LVL_RING;
}

static int gm_read(void *as, uint64_t addr, void *buf, size_t len)
{
	return vgt_as_read(as, addr, buf, len);
}

static int gm_write(void *as, uint64_t addr, const void *buf, size_t len)
{
	return vgt_as_write(as, addr, buf, len);
}

/*
 * One decoded command. Return: 0 done (the frame may have changed),
 * WAIT (not yet: retry later), or a negative errno (the context hangs).
 */
static int execute(struct vgt_vgpu *v, struct vgt_engine *e, const struct vgt_cmd *c,
		   const u32 *dw, unsigned int *cost)
{
	struct vgt_cmd_operand o[VGT_CMD_MAX_OPERANDS];
	unsigned int n = vgt_cmd_operands(e->id, c, dw, o), i;
	struct vgt_exec_stats *st = &v->exec->stats;
	u32 val32;
	u64 val;
	int err = 0;

	/*
	 * A non-privileged (PPGTT) batch may not reach the GGTT or the status
	 * page: the hardware drops such a command as a privilege violation.
	 * The audit has already refused it if it pointed outside the slices;
	 * inside them it is the guest's own kernel memory, which its user
	 * batches must not touch either.
	 */
	for (i = 0; i < n && !privileged(e); i++) {
		if (o[i].as == VGT_AS_GGTT || o[i].as == VGT_AS_HWSP) {
			st->privilege_noops++;
			return 0;
		}
	}
	switch (c->op) {
	case VGT_OP_NOP:
	case VGT_OP_ARB_ON_OFF:
	case VGT_OP_SET_PREDICATE:
		return 0;
	case VGT_OP_STATE:
		st->state_noops++;
		return 0;
	case VGT_OP_USER_INTERRUPT:
		vgt_irq_engine(v, e->id, GT_RENDER_USER_INTERRUPT);
		return 0;
	case VGT_OP_BB_START:
		return n == 1 ? bb_start(v, e, dw, &o[0]) : -EINVAL;
	case VGT_OP_BB_END:
		bb_end(e);
		return 0;
	case VGT_OP_COND_BB_END:
		if (n != 1)
			return -EINVAL;
		val = 0;
		err = mem_rw(v, e, &o[0], &val, o[0].size, false);
		if (!err && (u32)val <= dw[1])
			bb_end(e);
		return err;
	case VGT_OP_STORE_IMM:
	case VGT_OP_STORE_INDEX:
	case VGT_OP_FLUSH_DW:
	case VGT_OP_PIPE_CONTROL: {
		/* Immediate data where the decoder says; else a timestamp or 0. */
		unsigned int size = c->op == VGT_OP_STORE_IMM || c->op == VGT_OP_STORE_INDEX ?
				    (c->flags & VGT_CMD_QWORD ? 8 : 4) : (unsigned int)o[0].size;
		u32 post = c->op == VGT_OP_PIPE_CONTROL ? (dw[1] >> 14) & 3 : (dw[0] >> 14) & 3;

		if (!n)
			return 0;	/* a flush without post-sync write */
		if (o[0].data)
			val = dw[o[0].data] | (size == 8 && o[0].data + 1 < c->len ?
					       (u64)dw[o[0].data + 1] << 32 : 0);
		else
			val = post == 3 ? timestamp_now() : 0;	/* depth count: nothing drawn */
		return mem_rw(v, e, &o[0], &val, size, true);
	}
	case VGT_OP_LRI:
		for (i = 1; i + 1 < c->len; i += 2) {
			if (vgt_cs_reg_write(v, dw[i] & 0x7ffffc, dw[i + 1]))
				return -EPERM;
			/* Masked; picks Y for the blitter's tiled surfaces. */
			if (e->id == VGT_BCS && (dw[i] & 0x7ffffc) == BCS_SWCTRL)
				vgt_blt_swctrl_write(&e->blt, dw[i + 1]);
		}
		return 0;
	case VGT_OP_LRR:
		if (vgt_cs_reg_read(v, dw[1] & 0x7ffffc, &val32) ||
		    vgt_cs_reg_write(v, dw[2] & 0x7ffffc, val32))
			return -EPERM;
		return 0;
	case VGT_OP_LRM:
		if (n != 1)
			return -EINVAL;
		err = mem_rw(v, e, &o[0], &val32, 4, false);
		if (!err && vgt_cs_reg_write(v, dw[1] & 0x7ffffc, val32))
			err = -EPERM;
		return err;
	case VGT_OP_SRM:
		if (n != 1 || vgt_cs_reg_read(v, dw[1] & 0x7ffffc, &val32))
			return -EPERM;
		return mem_rw(v, e, &o[0], &val32, 4, true);
	case VGT_OP_SEMAPHORE_WAIT:
		if (n != 1)
			return -EINVAL;
		err = mem_rw(v, e, &o[0], &val32, 4, false);
		if (err)
			return err;
		return semaphore_met(val32, dw[1], (dw[0] >> 12) & 7) ? 0 : WAIT;
	case VGT_OP_MATH:
		return mi_math(v, e, dw, c->len);
	case VGT_OP_COPY_MEM_MEM:
		if (n != 2)
			return -EINVAL;
		err = mem_rw(v, e, &o[0], &val32, 4, false);
		return err ? err : mem_rw(v, e, &o[1], &val32, 4, true);
	case VGT_OP_ATOMIC:
		return n == 1 ? mi_atomic(v, e, dw, &o[0]) : -EINVAL;
	case VGT_OP_REPORT_HEAD:	/* the ring head (past this command) */
		if (n != 1)
			return -EINVAL;
		val32 = e->ctx.ring_head;
		return mem_rw(v, e, &o[0], &val32, 4, true);
	case VGT_OP_PREDICATE:
		mi_predicate(v, e, dw[0]);
		return 0;
	case VGT_OP_BLT: {
		struct vgt_as as;
		struct vgt_gm_access gm = { gm_read, gm_write, &as };
		struct vgt_blt_stats bs = { 0, 0 };
		uint32_t wide[VGT_CMD_BLT_MAX_DWORDS];
		const uint32_t *bdw;
		unsigned int len;

		if (e->id != VGT_BCS)
			return -EOPNOTSUPP;
		as_for(v, e, e->level != VGT_LVL_RING && e->frame[e->level].ppgtt, &as);
		bdw = vgt_cmd_blt_gen8(c, dw, wide, &len);
		err = vgt_blt_exec(&gm, &e->blt, bdw, len, &bs);
		st->blits += bs.blits;
		st->blit_bytes += bs.bytes;
		*cost += (unsigned int)(bs.bytes >> 12);
		return err;
	}
	default:
		return -EOPNOTSUPP;
	}
}

static void hang_on(struct vgt_vgpu *v, struct vgt_engine *e, const struct vgt_cmd *c, int err)
{
	char what[160];
	const char *why = c->op == VGT_OP_BLT && err != -EFAULT && err != -ERANGE ?
			  vgt_blt_reason(&e->blt) : NULL;

	snprintf(what, sizeof(what), "%s: %s", c->name, why && *why ? why :
		 err == -EOPNOTSUPP ? "form not implemented" :
		 err == -EPERM ? "register not writable by a command" :
		 err == -EACCES ? "batch refused" : "address does not translate to guest memory");
	if (err != -EACCES)	/* load_batch already hung it */
		vgt_engine_hang(v, e, err == -EOPNOTSUPP || err == -EPERM ?
				VGT_HANG_UNSUPPORTED : VGT_HANG_FAULT, what);
}

unsigned int vgt_exec_slice(struct vgt_vgpu *v, struct vgt_engine *e, unsigned int budget)
{
	unsigned int used = 0;

	e->waiting = false;
	if (e->id >= VGT_ENGINE_NR || *vgt_engine_reg(v, e, RING_MI_MODE) & STOP_RING)
		return 0;
	while (used < budget && vgt_engine_runnable(e)) {
		struct vgt_frame *f = &e->frame[e->level];
		struct vgt_cmd c;
		unsigned int cost = 1;
		enum vgt_level was = e->level;
		size_t at;
		int ret;

		if (e->level == VGT_LVL_RING && e->has_deferred) {
			vgt_engine_take_deferred(v, e);
			continue;
		}
		if (f->pos >= f->n) {
			if (e->level != VGT_LVL_RING) {	/* audited: cannot happen */
				vgt_engine_hang(v, e, VGT_HANG_CONTEXT, "batch ran out");
				break;
			}
			if (e->ctx.ring_head == e->ctx.ring_tail) {
				vgt_engine_context_done(v, e);
				continue;
			}
			if (load_ring_segment(v, e))
				break;
			continue;
		}
		at = f->pos;
		if (vgt_cmd_decode_on(v->platform, e->id, f->dw + at, f->n - at, &c) != VGT_DECODE_OK) {
			vgt_engine_hang(v, e, VGT_HANG_AUDIT, "audited command does not decode");
			break;
		}
		f->pos += c.len;	/* a batch start returns after itself */
		if (was == VGT_LVL_RING)
			e->ctx.ring_head = (f->base + 4 * f->pos) % e->ctx.ring_size;
		ret = execute(v, e, &c, f->dw + at, &cost);
		v->exec->stats.commands++;
		used += cost;
		if (ret) {
			/* Poll again next slice, or stop here: the head names it. */
			f->pos = at;
			if (was == VGT_LVL_RING)
				e->ctx.ring_head = (f->base + 4 * at) % e->ctx.ring_size;
			e->level = was;
			if (ret == WAIT) {
				e->waiting = true;
			} else {
				hang_on(v, e, &c, ret);
			}
			break;
		}
		*vgt_engine_reg(v, e, RING_ACTHD) = (u32)(was == VGT_LVL_RING ?
			e->ctx.ring_start + (f->base + 4 * at) % e->ctx.ring_size :
			f->base + 4 * at);
	}
	*vgt_engine_reg(v, e, RING_HEAD) = e->ctx.ring_head;
	return used;
}

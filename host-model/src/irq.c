// SPDX-License-Identifier: MIT
/*
 * The gen8 GT interrupt model, as 6.1's gen8_gt_irq_handler reads it: four
 * GT banks, each with ISR, IMR, IIR and IER; an engine event (user
 * interrupt, context switch) latches its bit in the bank's IIR unless IMR
 * masks it; a bank with IIR & IER set shows in its summary bit of
 * GEN8_MASTER_IRQ; the interrupt output is asserted while the master
 * control bit is set and any summary bit is. The MSI is an edge: it is
 * sent when the output goes from deasserted to asserted, so the handler's
 * sequence (master off, ack IIR, master on) raises a new MSI exactly when
 * events arrived meanwhile.
 *
 * Bank 2 holds no engine: its low half is PM (GEN8_GT_PM_IRQ in the
 * master), its high half the GuC's (GEN8_GT_GUC_IRQ), as 6.1's handler
 * reads it. PVINFO 1.1's message interrupt is bit 31 there. It latches
 * only when the guest unmasked it in GEN8_GT_IMR(2): a 6.1 driver that
 * knows nothing of it leaves bank 2 masked (gen8_gt_irq_postinstall), so
 * it never sees the bit, never acks it and cannot storm; a hooked driver
 * acks it by writing it to IIR(2), as 6.1 acks the whole bank.
 *
 * Haswell (gen7, ilk_irq_handler): GTIMR/GTIIR/GTIER hold the user
 * interrupts of RCS (bit 0), VCS (12) and BCS (22); VECS's is bit 10 of the
 * PM bank (GEN6_PMIIR). The output is asserted while DE_MASTER_IRQ_CONTROL
 * (DEIER bit 31) is set and any bank has IIR & IER; the handler clears the
 * master bit, acks the banks and sets it again, so the same edge rule
 * gives a new MSI exactly when events arrived meanwhile. A ring engine
 * raises no context-switch interrupt.
 */
#include "vgt_exec.h"
#include "vgt_regs.h"

static const struct {
	unsigned int bank, shift;
	u32 master;
} engine_irq[VGT_ENGINE_NR] = {
#define X(id, name, base, grdom, bank, shift, master) [id] = { bank, shift, master },
	VGT_FOR_EACH_ENGINE(X)
#undef X
};

static u32 reg(struct vgt_vgpu *v, u32 off)
{
	return v->regs[off / 4];
}

/* Gen7: where each engine's user interrupt latches: bank IIR and IMR, bit. */
static const struct {
	u32 iir, imr, bit;
} gen7_engine_irq[VGT_ENGINE_NR] = {
	[VGT_RCS] = { GTIIR, GTIMR, GT_RENDER_USER_INTERRUPT },
	[VGT_BCS] = { GTIIR, GTIMR, GT_BLT_USER_INTERRUPT },
	[VGT_VCS] = { GTIIR, GTIMR, GT_BSD_USER_INTERRUPT },
	[VGT_VECS] = { GEN6_PMIIR, GEN6_PMIMR, PM_VEBOX_USER_INTERRUPT },
};

static bool gen7_line(struct vgt_vgpu *v)
{
	u32 de_ier = reg(v, DEIER);

	return (de_ier & DE_MASTER_IRQ_CONTROL) &&
	       ((reg(v, GTIIR) & reg(v, GTIER)) || (reg(v, GEN6_PMIIR) & reg(v, GEN6_PMIER)) ||
		(reg(v, DEIIR) & de_ier & ~DE_MASTER_IRQ_CONTROL));
}

static bool gen7(const struct vgt_vgpu *v)
{
	return !v->plat->info.execlists;
}

/* The summary bits GEN8_MASTER_IRQ shows: which bank halves have work. */
static u32 master_summary(struct vgt_vgpu *v)
{
	u32 sum = 0;
	unsigned int e;

	u32 bank2 = reg(v, GEN8_GT_IIR(2)) & reg(v, GEN8_GT_IER(2));

	for (e = 0; e < VGT_ENGINE_NR; e++) {
		unsigned int b = engine_irq[e].bank, sh = engine_irq[e].shift;
		u32 pending = reg(v, GEN8_GT_IIR(b)) & reg(v, GEN8_GT_IER(b));

		if ((pending >> sh) & 0xffff)
			sum |= engine_irq[e].master;
	}
	if (bank2 & 0xffff)
		sum |= GEN8_GT_PM_IRQ;
	if (bank2 >> 16)
		sum |= GEN8_GT_GUC_IRQ;
	return sum;
}

void vgt_irq_update(struct vgt_vgpu *v)
{
	bool line = gen7(v) ? gen7_line(v) :
		    (reg(v, GEN8_MASTER_IRQ) & GEN8_MASTER_IRQ_CONTROL) && master_summary(v);

	if (line && !v->exec->irq_line && v->ops.raise_irq) {
		v->exec->stats.msis++;
		v->ops.raise_irq(v->ops_priv, 0);
	}
	v->exec->irq_line = line;
}

void vgt_irq_engine(struct vgt_vgpu *v, enum vgt_engine_id e, u32 bits)
{
	unsigned int b = engine_irq[e].bank;
	u32 bit = bits << engine_irq[e].shift;

	if (bits & GT_RENDER_USER_INTERRUPT)
		v->exec->stats.user_irqs++;
	if (bits & GT_CONTEXT_SWITCH_INTERRUPT)
		v->exec->stats.ctx_switch_irqs++;
	if (gen7(v)) {
		if (bits & GT_RENDER_USER_INTERRUPT)
			v->regs[gen7_engine_irq[e].iir / 4] |= gen7_engine_irq[e].bit &
							       ~reg(v, gen7_engine_irq[e].imr);
		vgt_irq_update(v);
		return;
	}
	v->regs[GEN8_GT_IIR(b) / 4] |= bit & ~reg(v, GEN8_GT_IMR(b));
	vgt_irq_update(v);
}

void vgt_irq_pv11(struct vgt_vgpu *v)
{
	v->regs[GEN8_GT_IIR(2) / 4] |= VGT_PV11_IRQ_BIT & ~reg(v, GEN8_GT_IMR(2));
	vgt_irq_update(v);
}

/* GEN8_MASTER_IRQ reads as the control bit the guest wrote and the summary. */
int vgt_irq_master_read(struct vgt_vgpu *v, const struct vgt_reg *r, u64 off,
			unsigned int size, u64 *val)
{
	(void)r;
	if (size != 4)
		return vgt_reject(v, VGT_REASON_REG_SIZE);
	*val = (reg(v, (u32)off) & GEN8_MASTER_IRQ_CONTROL) | master_summary(v);
	return 0;
}

/* Any write that can change the output: master, IIR acks, IMR, IER. */
int vgt_irq_write(struct vgt_vgpu *v, const struct vgt_reg *r, u64 off,
		  unsigned int size, u64 val)
{
	int ret = vgt_dword_write(v, r, off, size, val);

	if (!ret)
		vgt_irq_update(v);
	return ret;
}

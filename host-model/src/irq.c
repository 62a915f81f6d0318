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

/* The summary bits GEN8_MASTER_IRQ shows: which bank halves have work. */
static u32 master_summary(struct vgt_vgpu *v)
{
	u32 sum = 0;
	unsigned int e;

	for (e = 0; e < VGT_ENGINE_NR; e++) {
		unsigned int b = engine_irq[e].bank, sh = engine_irq[e].shift;
		u32 pending = reg(v, GEN8_GT_IIR(b)) & reg(v, GEN8_GT_IER(b));

		if ((pending >> sh) & 0xffff)
			sum |= engine_irq[e].master;
	}
	return sum;
}

void vgt_irq_update(struct vgt_vgpu *v)
{
	bool line = (reg(v, GEN8_MASTER_IRQ) & GEN8_MASTER_IRQ_CONTROL) &&
		    master_summary(v);

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
	v->regs[GEN8_GT_IIR(b) / 4] |= bit & ~reg(v, GEN8_GT_IMR(b));
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

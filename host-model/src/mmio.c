// SPDX-License-Identifier: MIT
/*
 * The BAR0 dispatcher of one vGPU, driven by a declarative register table
 * (QEMU's RegisterAccessInfo style): each entry names a BAR0 range, its
 * trap class, and either handlers (PVINFO, fences, GGTT PTEs, GFX_MODE) or,
 * for a dword register, its reset value, read-only and write-1-to-clear
 * masks, masked-write flag and ack mirror. Everything not in the table is
 * plain virtual-register storage of class "other".
 *
 * Threat model: the guest is untrusted. Every access is bounds- and
 * size-checked before any handler runs; a handler refuses with a reason
 * (trap.c) and changes nothing. Every access is one trap in exactly one
 * class, the class of the table entry holding its first byte.
 *
 * Platforms: an entry may exist on some platforms only (.plats); on the
 * others its offset is plain storage. Haswell adds the gen7 interrupt
 * registers, FUSE_STRAP (display fused off) and its GSM at BAR0 + 2 MiB;
 * the gen8 GSM at 8 MiB is Skylake's only.
 *
 * Failsafe (GVT-g): a guest that programs fences or enables PPGTT or
 * execlists in GFX_MODE before it ever read PVINFO is not PV-aware; the
 * vGPU enters failsafe and the host reports it (vgt_vgpu_failsafe_cause).
 */
#include <errno.h>
#include <string.h>

#include "vgt_exec.h"
#include "vgt_regs.h"

/*
 * What a 6.1 i915 probe waits for (notes: i915-6.1-vgpu-probe.md 2.3): power
 * wells that come up when asked, fuses that describe one slice and no
 * display. Offsets and fields: vgt_regs.h.
 */


#define DWORD(nm, off, cls, ...) \
	{ .name = nm, .offset = off, .size = 4, .class = cls, __VA_ARGS__ }
#define RANGE(nm, off, sz, cls, ...) \
	{ .name = nm, .offset = off, .size = sz, .class = cls, __VA_ARGS__ }
#define ENGINE(nm, off) RANGE(nm, off, VGT_ENGINE_BLOCK, VGT_TRAP_RING, \
	.read = vgt_engine_read, .write = vgt_engine_write)
#define IIR(nm, off) DWORD(nm, off, VGT_TRAP_OTHER, .w1c_mask = ~0u)
/* GT interrupt banks: every register that can change the interrupt output. */
#define GT_BANK(n) \
	DWORD("GEN8_GT_IMR" #n, GEN8_GT_IMR(n), VGT_TRAP_OTHER, .reset = ~0u, \
	      .write = vgt_irq_write), \
	DWORD("GEN8_GT_IIR" #n, GEN8_GT_IIR(n), VGT_TRAP_OTHER, .w1c_mask = ~0u, \
	      .write = vgt_irq_write), \
	DWORD("GEN8_GT_IER" #n, GEN8_GT_IER(n), VGT_TRAP_OTHER, .write = vgt_irq_write)

#define SKL_ONLY	.plats = 1u << VGT_PLATFORM_SKL
#define HSW_ONLY	.plats = 1u << VGT_PLATFORM_HSW
#define HSW_IRQ(nm, off, ...) DWORD(nm, off, VGT_TRAP_OTHER, HSW_ONLY, \
	.write = vgt_irq_write, __VA_ARGS__)
/* A gen5-7 bank (ilk_irq_handler): IMR all masked at reset, IIR acked by 1s. */
#define HSW_BANK(nm, imr, iir, ier) \
	HSW_IRQ(nm "IMR", imr, .reset = ~0u), \
	HSW_IRQ(nm "IIR", iir, .w1c_mask = ~0u), \
	HSW_IRQ(nm "IER", ier)

/* Sorted by offset, never overlapping (checked by test_regs). */
static const struct vgt_reg vgt_regs[] = {
	DWORD("FORCEWAKE_ACK_RENDER_GEN9", FORCEWAKE_ACK_RENDER_GEN9, VGT_TRAP_PM,
	      .ro_mask = ~0u),
	DWORD("FORCEWAKE_ACK_MEDIA_GEN9", FORCEWAKE_ACK_MEDIA_GEN9, VGT_TRAP_PM,
	      .ro_mask = ~0u),
	ENGINE("RCS ring", RENDER_RING_BASE),
	/* TLB invalidations complete at once: the model caches no translation. */
	DWORD("GEN8_RTCR", GEN8_RTCR, VGT_TRAP_OTHER, .flags = VGT_REG_SELF_CLEAR),
	DWORD("GEN8_M1TCR", GEN8_M1TCR, VGT_TRAP_OTHER, .flags = VGT_REG_SELF_CLEAR),
	DWORD("GEN8_BTCR", GEN8_BTCR, VGT_TRAP_OTHER, .flags = VGT_REG_SELF_CLEAR),
	DWORD("GEN8_VTCR", GEN8_VTCR, VGT_TRAP_OTHER, .flags = VGT_REG_SELF_CLEAR),
	DWORD("GEN8_FUSE2", GEN8_FUSE2, VGT_TRAP_OTHER, .reset = GEN8_FUSE2_SKL_GT2,
	      .ro_mask = ~0u),
	DWORD("GEN9_EU_DISABLE0", GEN9_EU_DISABLE(0), VGT_TRAP_OTHER,
	      .reset = GEN9_EU_DISABLE0_SKL_GT2, .ro_mask = ~0u),
	DWORD("GEN9_EU_DISABLE1", GEN9_EU_DISABLE(1), VGT_TRAP_OTHER,
	      .reset = GEN9_EU_DISABLE_ABSENT, .ro_mask = ~0u),
	DWORD("GEN9_EU_DISABLE2", GEN9_EU_DISABLE(2), VGT_TRAP_OTHER,
	      .reset = GEN9_EU_DISABLE_ABSENT, .ro_mask = ~0u),
	DWORD("GEN6_GDRST", GEN6_GDRST, VGT_TRAP_OTHER, .flags = VGT_REG_SELF_CLEAR,
	      .write = vgt_gdrst_write),
	DWORD("GEN6_RPNSWREQ", GEN6_RPNSWREQ, VGT_TRAP_PM),
	DWORD("GEN6_RP_CONTROL", GEN6_RP_CONTROL, VGT_TRAP_PM),
	DWORD("GEN6_RC_CONTROL", GEN6_RC_CONTROL, VGT_TRAP_PM),
	DWORD("GEN6_RC_STATE", GEN6_RC_STATE, VGT_TRAP_PM),
	DWORD("GEN6_RC6_THRESHOLD", GEN6_RC6_THRESHOLD, VGT_TRAP_PM),
	DWORD("GEN6_PMINTRMSK", GEN6_PMINTRMSK, VGT_TRAP_PM, .reset = ~0u),
	DWORD("FORCEWAKE_MT", FORCEWAKE_MT, VGT_TRAP_PM,
	      .flags = VGT_REG_MASKED, .ack = FORCEWAKE_ACK_GT_GEN9),
	DWORD("FORCEWAKE_MEDIA_GEN9", FORCEWAKE_MEDIA_GEN9, VGT_TRAP_PM,
	      .flags = VGT_REG_MASKED, .ack = FORCEWAKE_ACK_MEDIA_GEN9),
	DWORD("FORCEWAKE_RENDER_GEN9", FORCEWAKE_RENDER_GEN9, VGT_TRAP_PM,
	      .flags = VGT_REG_MASKED, .ack = FORCEWAKE_ACK_RENDER_GEN9),
	DWORD("GUC_STATUS", GUC_STATUS, VGT_TRAP_OTHER, .reset = GS_MIA_IN_RESET,
	      .ro_mask = ~0u),
	ENGINE("VCS ring", GEN6_BSD_RING_BASE),
	ENGINE("VECS ring", VEBOX_RING_BASE),
	RANGE("VCS2 ring", GEN8_BSD2_RING_BASE, VGT_ENGINE_BLOCK, VGT_TRAP_RING),
	ENGINE("BCS ring", BLT_RING_BASE),
	DWORD("SKL_FUSE_STATUS", SKL_FUSE_STATUS, VGT_TRAP_PM, .reset = SKL_FUSES_DONE,
	      .ro_mask = ~0u),
	/* intel_device_info_runtime_init: "Display fused off, disabling" */
	DWORD("FUSE_STRAP", FUSE_STRAP, VGT_TRAP_OTHER, HSW_ONLY,
	      .reset = ILK_INTERNAL_DISPLAY_DISABLE, .ro_mask = ~0u),
	HSW_BANK("DE", DEIMR, DEIIR, DEIER),
	HSW_BANK("GT", GTIMR, GTIIR, GTIER),
	HSW_BANK("GEN6_PM", GEN6_PMIMR, GEN6_PMIIR, GEN6_PMIER),
	/* ilk_irq_reset clears these with all ones; postinstall asserts 0 */
	DWORD("GEN7_ERR_INT", GEN7_ERR_INT, VGT_TRAP_OTHER, HSW_ONLY, .w1c_mask = ~0u),
	DWORD("GEN8_MASTER_IRQ", GEN8_MASTER_IRQ, VGT_TRAP_OTHER,
	      .read = vgt_irq_master_read, .write = vgt_irq_write),
	GT_BANK(0), GT_BANK(1), GT_BANK(2), GT_BANK(3),
	IIR("GEN8_DE_PIPE_IIR_A", GEN8_DE_PIPE_IIR(0)),
	IIR("GEN8_DE_PIPE_IIR_B", GEN8_DE_PIPE_IIR(1)),
	IIR("GEN8_DE_PIPE_IIR_C", GEN8_DE_PIPE_IIR(2)),
	IIR("GEN8_DE_PORT_IIR", GEN8_DE_PORT_IIR),
	IIR("GEN8_DE_MISC_IIR", GEN8_DE_MISC_IIR),
	IIR("GEN8_PCU_IIR", GEN8_PCU_IIR),
	DWORD("DBUF_CTL", DBUF_CTL, VGT_TRAP_PM, .flags = VGT_REG_REQ_STATE),
	DWORD("HSW_PWR_WELL_CTL1", HSW_PWR_WELL_CTL(0), VGT_TRAP_PM, .flags = VGT_REG_REQ_STATE),
	DWORD("HSW_PWR_WELL_CTL2", HSW_PWR_WELL_CTL(1), VGT_TRAP_PM, .flags = VGT_REG_REQ_STATE),
	DWORD("HSW_PWR_WELL_CTL3", HSW_PWR_WELL_CTL(2), VGT_TRAP_PM, .flags = VGT_REG_REQ_STATE),
	DWORD("HSW_PWR_WELL_CTL4", HSW_PWR_WELL_CTL(3), VGT_TRAP_PM, .flags = VGT_REG_REQ_STATE),
	DWORD("LCPLL1_CTL", LCPLL1_CTL, VGT_TRAP_PM, .flags = VGT_REG_REQ_STATE),
	DWORD("SKL_DFSM", SKL_DFSM, VGT_TRAP_OTHER, .reset = SKL_DFSM_NO_PIPES,
	      .ro_mask = ~0u),
	DWORD("EDP_PSR_IIR", EDP_PSR_IIR, VGT_TRAP_OTHER, HSW_ONLY, .w1c_mask = ~0u),
	RANGE("PVINFO", VGT_PVINFO_PAGE, VGT_PVINFO_SIZE, VGT_TRAP_PVINFO,
	      .read = vgt_pvinfo_read, .write = vgt_pvinfo_write),
	IIR("SDEIIR", SDEIIR),
	RANGE("FENCE", VGT_FENCE_BASE, 8 * VGT_MAX_FENCES, VGT_TRAP_FENCE,
	      .read = vgt_fence_read, .write = vgt_fence_write),
	DWORD("FORCEWAKE_ACK_GT_GEN9", FORCEWAKE_ACK_GT_GEN9, VGT_TRAP_PM,
	      .ro_mask = ~0u),
	DWORD("GEN6_PCODE_MAILBOX", GEN6_PCODE_MAILBOX, VGT_TRAP_PM,
	      .flags = VGT_REG_SELF_CLEAR),
	/*
	 * detect_bit_6_swizzle: equal channels mean swizzled X/Y tiles (bit 6
	 * ^= bits 9 and 10), which the fences and the blitter here do not do.
	 * One DIMM in one channel: a Haswell that swizzles nothing.
	 */
	DWORD("MAD_DIMM_C0", MAD_DIMM_C0, VGT_TRAP_OTHER, HSW_ONLY,
	      .reset = MAD_DIMM_ONE_4G_DIMM, .ro_mask = ~0u),
	DWORD("MAD_DIMM_C1", MAD_DIMM_C1, VGT_TRAP_OTHER, HSW_ONLY, .ro_mask = ~0u),
	RANGE("HSW GGTT", HSW_GSM_OFFSET, 2 * VGT_MIB, VGT_TRAP_GGTT, HSW_ONLY,
	      .read = vgt_ggtt_read, .write = vgt_ggtt_write),
	RANGE("GGTT", VGT_GSM_OFFSET, VGT_GSM_SIZE, VGT_TRAP_GGTT, SKL_ONLY,
	      .read = vgt_ggtt_read, .write = vgt_ggtt_write),
};

const struct vgt_reg *vgt_reg_table(size_t *n)
{
	*n = VGT_ARRAY_SIZE(vgt_regs);
	return vgt_regs;
}

/* The entry holding BAR0 byte off, or NULL: plain storage. */
const struct vgt_reg *vgt_reg_find(u64 off)
{
	size_t lo = 0, hi = VGT_ARRAY_SIZE(vgt_regs);

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct vgt_reg *r = &vgt_regs[mid];

		if (off < r->offset)
			hi = mid;
		else if (off - r->offset >= r->size)
			lo = mid + 1;
		else
			return r;
	}
	return NULL;
}

const struct vgt_reg *vgt_reg_on(const struct vgt_vgpu *v, u64 off)
{
	const struct vgt_reg *r = vgt_reg_find(off);

	return r && r->plats && !(r->plats & (1u << v->platform)) ? NULL : r;
}

const char *vgt_reg_name(uint64_t off)
{
	const struct vgt_reg *r = vgt_reg_find(off);

	return r ? r->name : NULL;
}

static bool is_dword_reg(const struct vgt_reg *r)
{
	return r && r->size == 4;
}

void vgt_enter_failsafe(struct vgt_vgpu *v, enum vgt_failsafe why)
{
	if (v->failsafe == VGT_FAILSAFE_NONE)
		v->failsafe = why;
}

/* A dword register: masked bits, write-1-to-clear, read-only, ack. */
int vgt_dword_write(struct vgt_vgpu *v, const struct vgt_reg *r, u64 off,
		    unsigned int size, u64 val)
{
	u32 *reg = &v->regs[off / 4];
	u32 old = *reg, nv = (u32)val;

	if (size != 4)
		return vgt_reject(v, VGT_REASON_REG_SIZE);
	if (r->ro_mask == ~0u)
		return vgt_reject(v, VGT_REASON_REG_READ_ONLY);
	if (r->flags & VGT_REG_MASKED) {
		u32 mask = nv >> 16;

		nv = (old & ~mask) | (nv & mask & 0xffff);
	}
	nv = (nv & ~r->w1c_mask) | (old & r->w1c_mask & ~nv);
	if (r->flags & VGT_REG_SELF_CLEAR)
		nv = 0;
	if (r->flags & VGT_REG_REQ_STATE)
		nv = (nv & 0xaaaaaaaau) | (nv & 0xaaaaaaaau) >> 1;
	*reg = (old & r->ro_mask) | (nv & ~r->ro_mask);
	if (r->ack)
		v->regs[r->ack / 4] = *reg & 0xffff;
	return 0;
}

/* Plain storage; an 8-byte write may not reach into a table register. */
int vgt_plain_write(struct vgt_vgpu *v, u64 off, unsigned int size, u64 val)
{
	if (size == 8 && vgt_reg_find(off + 4) != vgt_reg_find(off))
		return vgt_reject(v, VGT_REASON_REG_SIZE);
	memcpy((u8 *)v->regs + off, &val, size);
	return 0;
}

static bool access_ok(const struct vgt_vgpu *v, u64 off, unsigned int size)
{
	const struct vgt_platform_info *p = &v->plat->info;

	/* Aligned, so off + size cannot cross the end of either window. */
	return (size == 1 || size == 2 || size == 4 || size == 8) &&
	       !(off & (size - 1)) &&
	       (off < p->mmio_size ||
		(off >= p->gsm_offset && off < p->gsm_offset + p->gsm_size));
}

int vgt_mmio_write(struct vgt_vgpu *v, uint64_t off, unsigned int size,
		   uint64_t val)
{
	const struct vgt_reg *r;
	enum vgt_trap_class c;
	int ret;

	if (!v)
		return -EINVAL;
	r = vgt_reg_on(v, off);
	c = r ? r->class : VGT_TRAP_OTHER;
	if (!vgt_vgpu_enter(v))
		return -ENODEV;
	v->reason = VGT_REASON_NONE;
	if (!access_ok(v, off, size))
		ret = vgt_reject(v, VGT_REASON_BAD_ACCESS);
	else if (r && r->write)
		ret = r->write(v, r, off, size, val);
	else if (is_dword_reg(r))
		ret = vgt_dword_write(v, r, off, size, val);
	else
		ret = vgt_plain_write(v, off, size, val);
	vgt_trap_account(v, c, true, off, size, val, ret);
	pthread_mutex_unlock(&v->lock);
	return ret;
}

int vgt_mmio_read(struct vgt_vgpu *v, uint64_t off, unsigned int size,
		  uint64_t *val)
{
	const struct vgt_reg *r;
	enum vgt_trap_class c;
	u64 tmp = 0;
	int ret = 0;

	if (!val)
		return -EINVAL;
	*val = 0;
	if (!v)
		return -EINVAL;
	r = vgt_reg_on(v, off);
	c = r ? r->class : VGT_TRAP_OTHER;
	if (!vgt_vgpu_enter(v))
		return -ENODEV;
	v->reason = VGT_REASON_NONE;
	if (!access_ok(v, off, size))
		ret = vgt_reject(v, VGT_REASON_BAD_ACCESS);
	else if (r && r->read)
		ret = r->read(v, r, off, size, &tmp);
	else
		memcpy(&tmp, (u8 *)v->regs + off, size);
	if (ret)
		tmp = 0;
	*val = tmp;
	vgt_trap_account(v, c, false, off, size, tmp, ret);
	pthread_mutex_unlock(&v->lock);
	return ret;
}

void vgt_regs_reset(struct vgt_vgpu *v)
{
	size_t i;

	memset(v->regs, 0, VGT_MMIO_SIZE);
	for (i = 0; i < VGT_ARRAY_SIZE(vgt_regs); i++)
		if (is_dword_reg(&vgt_regs[i]) && vgt_reg_on(v, vgt_regs[i].offset))
			v->regs[vgt_regs[i].offset / 4] = vgt_regs[i].reset;
}

/*
 * Device-level reset, as GVT-g's: registers to their reset values (fences
 * included, so its physical fences are cleared too), PVINFO re-populated,
 * shadow PTEs invalidated, a buffered PTE half, PPGTT roots and failsafe
 * dropped, PVINFO 1.1 ended. Trap counters are kept.
 */
void vgt_vgpu_reset(struct vgt_vgpu *v)
{
	if (!v || !vgt_vgpu_enter(v))
		return;
	vgt_pv11_end(v);	/* first: a pending re-balloon settles the slices */
	vgt_pvinfo_populate(v);
	vgt_regs_reset(v);
	vgt_ggtt_reset(v);
	vgt_fence_release(v);
	vgt_exec_reset(v);
	v->pending = false;
	v->pv_read = false;
	v->failsafe = VGT_FAILSAFE_NONE;
	v->nr_roots = 0;
	pthread_mutex_unlock(&v->lock);
}

bool vgt_vgpu_failsafe(struct vgt_vgpu *v)
{
	return vgt_vgpu_failsafe_cause(v) != VGT_FAILSAFE_NONE;
}

enum vgt_failsafe vgt_vgpu_failsafe_cause(struct vgt_vgpu *v)
{
	enum vgt_failsafe f;

	if (!v || !vgt_vgpu_enter(v))
		return VGT_FAILSAFE_NONE;
	f = v->failsafe;
	pthread_mutex_unlock(&v->lock);
	return f;
}

const char *vgt_failsafe_name(enum vgt_failsafe f)
{
	switch (f) {
	case VGT_FAILSAFE_NONE: return "none";
	case VGT_FAILSAFE_FENCE: return "fence access before PVINFO read";
	case VGT_FAILSAFE_GFX_MODE: return "PPGTT/execlists enabled before PVINFO read";
	case VGT_FAILSAFE_INSUFFICIENT_RESOURCE: return "insufficient resource";
	default: return "?";
	}
}

/*
 * Register accesses of the command streamer (MI_LOAD_REGISTER_*,
 * MI_STORE_REGISTER_MEM): they reach the register file, not the trap path.
 * Plain storage and table registers without handlers behave as for the CPU
 * (masked, read-only and write-1-to-clear bits); engine registers are plain
 * storage; anything with handlers (PVINFO, fences, GGTT PTEs, interrupts,
 * resets, submission) is not a command's to touch: the audit refuses such
 * loads, and this refuses them again.
 */
int vgt_cs_reg_write(struct vgt_vgpu *v, u32 off, u32 val)
{
	const struct vgt_reg *r = vgt_reg_on(v, off);

	if (off >= VGT_MMIO_SIZE || (off & 3))
		return -EINVAL;
	if (!r)
		return vgt_plain_write(v, off, 4, val);
	if (r->read == vgt_engine_read) {
		u32 reg = off & (VGT_ENGINE_BLOCK - 1);

		if (reg == RING_ELSP || reg == RING_MI_MODE || reg == RING_RESET_CTL ||
		    reg == RING_HWS_PGA || reg == RING_MODE_GEN7 || reg == RING_CONTEXT_STATUS_PTR)
			return -EPERM;
		return vgt_plain_write(v, off, 4, val);
	}
	if (r->size != 4 || r->read || r->write)
		return -EPERM;
	return vgt_dword_write(v, r, off, 4, val) ? -EPERM : 0;
}

int vgt_cs_reg_read(struct vgt_vgpu *v, u32 off, u32 *val)
{
	const struct vgt_reg *r = vgt_reg_on(v, off);
	u64 tmp = 0;

	if (off >= VGT_MMIO_SIZE || (off & 3))
		return -EINVAL;
	if (r && r->read && r->read != vgt_engine_read && r->read != vgt_irq_master_read)
		return -EPERM;	/* PVINFO, fences, GGTT: not through the command streamer */
	if (r && r->read)
		r->read(v, r, off, 4, &tmp);
	else
		tmp = v->regs[off / 4];
	*val = (u32)tmp;
	return 0;
}

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
 * Failsafe (GVT-g): a guest that programs fences or enables PPGTT or
 * execlists in GFX_MODE before it ever read PVINFO is not PV-aware; the
 * vGPU enters failsafe and the host reports it (vgt_vgpu_failsafe_cause).
 */
#include <errno.h>
#include <string.h>

#include "vgt_internal.h"
#include "vgt_regs.h"

/*
 * What a 6.1 i915 probe waits for (notes: i915-6.1-vgpu-probe.md 2.3): power
 * wells that come up when asked, fuses that describe one slice and no
 * display. Offsets and fields: vgt_regs.h.
 */

static int gfx_mode_write(struct vgt_vgpu *v, const struct vgt_reg *r, u64 off,
			  unsigned int size, u64 val);
static int ring_read(struct vgt_vgpu *v, const struct vgt_reg *r, u64 off,
		     unsigned int size, u64 *val);
static int ring_write(struct vgt_vgpu *v, const struct vgt_reg *r, u64 off,
		      unsigned int size, u64 val);
static int dword_write(struct vgt_vgpu *v, const struct vgt_reg *r, u64 off,
		       unsigned int size, u64 val);

#define DWORD(nm, off, cls, ...) \
	{ .name = nm, .offset = off, .size = 4, .class = cls, __VA_ARGS__ }
#define RANGE(nm, off, sz, cls, ...) \
	{ .name = nm, .offset = off, .size = sz, .class = cls, __VA_ARGS__ }
#define RING(nm, off, sz) \
	RANGE(nm, off, sz, VGT_TRAP_RING, .read = ring_read, .write = ring_write)
#define IIR(nm, off) DWORD(nm, off, VGT_TRAP_OTHER, .w1c_mask = ~0u)

/* Sorted by offset, never overlapping (checked by test_regs). */
static const struct vgt_reg vgt_regs[] = {
	DWORD("FORCEWAKE_ACK_RENDER_GEN9", FORCEWAKE_ACK_RENDER_GEN9, VGT_TRAP_PM,
	      .ro_mask = ~0u),
	DWORD("FORCEWAKE_ACK_MEDIA_GEN9", FORCEWAKE_ACK_MEDIA_GEN9, VGT_TRAP_PM,
	      .ro_mask = ~0u),
	RING("RCS ring", 0x2000, GFX_MODE_GEN8 - 0x2000),
	DWORD("GFX_MODE_GEN8", GFX_MODE_GEN8, VGT_TRAP_RING,
	      .flags = VGT_REG_MASKED, .write = gfx_mode_write),
	RING("RCS ring", GFX_MODE_GEN8 + 4, 0x2800 - GFX_MODE_GEN8 - 4),
	DWORD("GEN8_FUSE2", GEN8_FUSE2, VGT_TRAP_OTHER, .reset = GEN8_FUSE2_SLICE0,
	      .ro_mask = ~0u),
	DWORD("GEN6_GDRST", GEN6_GDRST, VGT_TRAP_OTHER, .flags = VGT_REG_SELF_CLEAR),
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
	RING("VCS ring", 0x12000, 0x800),
	RING("VECS ring", 0x1a000, 0x800),
	RING("VCS2 ring", 0x1c000, 0x800),
	RING("BCS ring", 0x22000, 0x800),
	DWORD("SKL_FUSE_STATUS", SKL_FUSE_STATUS, VGT_TRAP_PM, .reset = SKL_FUSES_DONE,
	      .ro_mask = ~0u),
	DWORD("GEN8_MASTER_IRQ", GEN8_MASTER_IRQ, VGT_TRAP_OTHER),
	IIR("GEN8_GT_IIR0", GEN8_GT_IIR(0)),
	IIR("GEN8_GT_IIR1", GEN8_GT_IIR(1)),
	IIR("GEN8_GT_IIR2", GEN8_GT_IIR(2)),
	IIR("GEN8_GT_IIR3", GEN8_GT_IIR(3)),
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
	RANGE("PVINFO", VGT_PVINFO_PAGE, VGT_PVINFO_SIZE, VGT_TRAP_PVINFO,
	      .read = vgt_pvinfo_read, .write = vgt_pvinfo_write),
	IIR("SDEIIR", SDEIIR),
	RANGE("FENCE", VGT_FENCE_BASE, 8 * VGT_MAX_FENCES, VGT_TRAP_FENCE,
	      .read = vgt_fence_read, .write = vgt_fence_write),
	DWORD("FORCEWAKE_ACK_GT_GEN9", FORCEWAKE_ACK_GT_GEN9, VGT_TRAP_PM,
	      .ro_mask = ~0u),
	DWORD("GEN6_PCODE_MAILBOX", GEN6_PCODE_MAILBOX, VGT_TRAP_PM,
	      .flags = VGT_REG_SELF_CLEAR),
	RANGE("GGTT", VGT_GSM_OFFSET, VGT_GSM_SIZE, VGT_TRAP_GGTT,
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
static int dword_write(struct vgt_vgpu *v, const struct vgt_reg *r, u64 off,
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

static int gfx_mode_write(struct vgt_vgpu *v, const struct vgt_reg *r, u64 off,
			  unsigned int size, u64 val)
{
	u32 enable = ((u32)val >> 16) & (u32)val &
		     (GFX_PPGTT_ENABLE | GFX_RUN_LIST_ENABLE);
	int ret = dword_write(v, r, off, size, val);

	if (!ret && enable && !v->pv_read)
		vgt_enter_failsafe(v, VGT_FAILSAFE_GFX_MODE);
	return ret;
}

/* Plain storage; an 8-byte write may not reach into a table register. */
static int plain_write(struct vgt_vgpu *v, u64 off, unsigned int size, u64 val)
{
	if (size == 8 && vgt_reg_find(off + 4) != vgt_reg_find(off))
		return vgt_reject(v, VGT_REASON_REG_SIZE);
	memcpy((u8 *)v->regs + off, &val, size);
	return 0;
}

/*
 * Engine registers: plain storage, except that the engines of this null GPU
 * are always idle (MI_MODE reads MODE_IDLE, so stopping a ring never waits)
 * and ready to reset as soon as that is requested.
 */
static bool overlaps(u64 off, unsigned int size, u32 reg)
{
	u32 at = off & 0x7ff;

	return at < reg + 4 && reg < at + size;
}

static int ring_read(struct vgt_vgpu *v, const struct vgt_reg *r, u64 off,
		     unsigned int size, u64 *val)
{
	u32 at = off & 0x7ff, idle_byte = RING_MI_MODE + 1;	/* bit 9 */

	(void)r;
	memcpy(val, (u8 *)v->regs + off, size);
	if (at <= idle_byte && idle_byte < at + size)
		*val |= (u64)(MODE_IDLE >> 8) << (8 * (idle_byte - at));
	return 0;
}

static int ring_write(struct vgt_vgpu *v, const struct vgt_reg *r, u64 off,
		      unsigned int size, u64 val)
{
	static const struct vgt_reg masked = { .size = 4, .flags = VGT_REG_MASKED };
	u32 reg = off & 0x7ff;
	int ret;

	(void)r;
	if (!overlaps(off, size, RING_MI_MODE) && !overlaps(off, size, RING_RESET_CTL))
		return plain_write(v, off, size, val);
	/* Masked registers: only a whole-dword write carries its mask. */
	if (size != 4)
		return vgt_reject(v, VGT_REASON_REG_SIZE);
	ret = dword_write(v, &masked, off, size, val);
	if (!ret && reg == RING_RESET_CTL) {
		u32 *ctl = &v->regs[off / 4];

		*ctl &= ~RESET_CTL_READY_TO_RESET;
		if (*ctl & RESET_CTL_REQUEST_RESET)
			*ctl |= RESET_CTL_READY_TO_RESET;
	}
	return ret;
}

static bool access_ok(u64 off, unsigned int size)
{
	/* Aligned, so off + size cannot cross the end of either window. */
	return (size == 1 || size == 2 || size == 4 || size == 8) &&
	       !(off & (size - 1)) &&
	       (off < VGT_MMIO_SIZE ||
		(off >= VGT_GSM_OFFSET && off < VGT_GSM_OFFSET + VGT_GSM_SIZE));
}

int vgt_mmio_write(struct vgt_vgpu *v, uint64_t off, unsigned int size,
		   uint64_t val)
{
	const struct vgt_reg *r;
	enum vgt_trap_class c;
	int ret;

	if (!v)
		return -EINVAL;
	r = vgt_reg_find(off);
	c = r ? r->class : VGT_TRAP_OTHER;
	pthread_mutex_lock(&v->lock);
	v->reason = VGT_REASON_NONE;
	if (!access_ok(off, size))
		ret = vgt_reject(v, VGT_REASON_BAD_ACCESS);
	else if (r && r->write)
		ret = r->write(v, r, off, size, val);
	else if (is_dword_reg(r))
		ret = dword_write(v, r, off, size, val);
	else
		ret = plain_write(v, off, size, val);
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
	r = vgt_reg_find(off);
	c = r ? r->class : VGT_TRAP_OTHER;
	pthread_mutex_lock(&v->lock);
	v->reason = VGT_REASON_NONE;
	if (!access_ok(off, size))
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
		if (is_dword_reg(&vgt_regs[i]))
			v->regs[vgt_regs[i].offset / 4] = vgt_regs[i].reset;
}

/*
 * Device-level reset, as GVT-g's: registers to their reset values (fences
 * included, so its physical fences are cleared too), PVINFO re-populated,
 * shadow PTEs invalidated, a buffered PTE half, PPGTT roots and failsafe
 * dropped. Trap counters are kept.
 */
void vgt_vgpu_reset(struct vgt_vgpu *v)
{
	if (!v)
		return;
	pthread_mutex_lock(&v->lock);
	vgt_pvinfo_populate(v);
	vgt_regs_reset(v);
	memset(v->shadow_aperture, 0,
	       v->slices.aperture_size / VGT_PAGE * sizeof(u64));
	memset(v->shadow_hidden, 0, v->slices.hidden_size / VGT_PAGE * sizeof(u64));
	vgt_fence_release(v);
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

	if (!v)
		return VGT_FAILSAFE_NONE;
	pthread_mutex_lock(&v->lock);
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

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

/* gen9 offsets, as in gt/intel_gt_regs.h and gt/intel_engine_regs.h. */
#define FORCEWAKE_ACK_RENDER_GEN9	0x0d84
#define FORCEWAKE_ACK_MEDIA_GEN9	0x0d88
#define GFX_MODE_GEN8			0x229c	/* RING_MODE_GEN7(RENDER_RING_BASE) */
#define GEN6_RPNSWREQ			0xa008
#define GEN6_RP_CONTROL			0xa024
#define GEN6_RC_CONTROL			0xa090
#define GEN6_RC_STATE			0xa094
#define GEN6_RC6_THRESHOLD		0xa0b8
#define GEN6_PMINTRMSK			0xa168
#define FORCEWAKE_MT			0xa188	/* = FORCEWAKE_GT_GEN9 (blitter) */
#define FORCEWAKE_MEDIA_GEN9		0xa270
#define FORCEWAKE_RENDER_GEN9		0xa278
#define GEN8_GT_IIR(n)			(0x44308 + 0x10 * (n))
#define FORCEWAKE_ACK_GT_GEN9		0x130044

#define GFX_PPGTT_ENABLE		(1u << 9)
#define GFX_RUN_LIST_ENABLE		(1u << 15)

static int gfx_mode_write(struct vgt_vgpu *v, const struct vgt_reg *r, u64 off,
			  unsigned int size, u64 val);

#define DWORD(nm, off, cls, ...) \
	{ .name = nm, .offset = off, .size = 4, .class = cls, __VA_ARGS__ }
#define RANGE(nm, off, sz, cls, ...) \
	{ .name = nm, .offset = off, .size = sz, .class = cls, __VA_ARGS__ }

/* Sorted by offset, never overlapping (checked by test_regs). */
static const struct vgt_reg vgt_regs[] = {
	DWORD("FORCEWAKE_ACK_RENDER_GEN9", FORCEWAKE_ACK_RENDER_GEN9, VGT_TRAP_PM,
	      .ro_mask = ~0u),
	DWORD("FORCEWAKE_ACK_MEDIA_GEN9", FORCEWAKE_ACK_MEDIA_GEN9, VGT_TRAP_PM,
	      .ro_mask = ~0u),
	RANGE("RCS ring", 0x2000, GFX_MODE_GEN8 - 0x2000, VGT_TRAP_RING),
	DWORD("GFX_MODE_GEN8", GFX_MODE_GEN8, VGT_TRAP_RING,
	      .flags = VGT_REG_MASKED, .write = gfx_mode_write),
	RANGE("RCS ring", GFX_MODE_GEN8 + 4, 0x2800 - GFX_MODE_GEN8 - 4, VGT_TRAP_RING),
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
	RANGE("VCS ring", 0x12000, 0x800, VGT_TRAP_RING),
	RANGE("VECS ring", 0x1a000, 0x800, VGT_TRAP_RING),
	RANGE("VCS2 ring", 0x1c000, 0x800, VGT_TRAP_RING),
	RANGE("BCS ring", 0x22000, 0x800, VGT_TRAP_RING),
	DWORD("GEN8_GT_IIR0", GEN8_GT_IIR(0), VGT_TRAP_OTHER, .w1c_mask = ~0u),
	DWORD("GEN8_GT_IIR1", GEN8_GT_IIR(1), VGT_TRAP_OTHER, .w1c_mask = ~0u),
	DWORD("GEN8_GT_IIR2", GEN8_GT_IIR(2), VGT_TRAP_OTHER, .w1c_mask = ~0u),
	DWORD("GEN8_GT_IIR3", GEN8_GT_IIR(3), VGT_TRAP_OTHER, .w1c_mask = ~0u),
	RANGE("PVINFO", VGT_PVINFO_PAGE, VGT_PVINFO_SIZE, VGT_TRAP_PVINFO,
	      .read = vgt_pvinfo_read, .write = vgt_pvinfo_write),
	RANGE("FENCE", VGT_FENCE_BASE, 8 * VGT_MAX_FENCES, VGT_TRAP_FENCE,
	      .read = vgt_fence_read, .write = vgt_fence_write),
	DWORD("FORCEWAKE_ACK_GT_GEN9", FORCEWAKE_ACK_GT_GEN9, VGT_TRAP_PM,
	      .ro_mask = ~0u),
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

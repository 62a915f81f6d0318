// SPDX-License-Identifier: MIT
/*
 * Trapped BAR0 accesses of one vGPU: PVINFO, fences, GGTT PTEs, registers.
 *
 * The host never trusts the guest (spec/pvinfo.md, section 9): a PTE is
 * accepted only inside the vGPU's slices and its guest memory, a fence only
 * below its quota and over its slices, PVINFO's host half is read-only.
 * Every access is one trap in exactly one class; a refused access is
 * counted as rejected, changes nothing and returns a negative errno.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "vgt_internal.h"

#define PV_GUEST_HALF 0x800u

/* gen9 registers with behaviour of their own (gt/intel_gt_regs.h). */
#define FORCEWAKE_RENDER_GEN9	0xa278
#define FORCEWAKE_MEDIA_GEN9	0xa270
#define FORCEWAKE_BLITTER_GEN9	0xa188
#define FORCEWAKE_ACK_RENDER	0x0d84
#define FORCEWAKE_ACK_MEDIA	0x0d88
#define FORCEWAKE_ACK_BLITTER	0x130044
#define GFX_MODE_GEN8_RCS	0x229c
#define GFX_PPGTT_ENABLE	(1u << 9)
#define GFX_RUN_LIST_ENABLE	(1u << 15)
#define GEN8_GT_IIR0		0x44308

struct vgt_reg;
typedef void (*vgt_reg_hook)(struct vgt_vgpu *v, const struct vgt_reg *r,
			     u32 val);

/* The declarative register table: everything else is plain storage. */
struct vgt_reg {
	u32 offset;
	enum vgt_trap_class class;
	u32 reset;
	u32 ro_mask;		/* bits the guest cannot change */
	u32 w1c_mask;		/* bits a guest 1 clears */
	bool masked;		/* upper 16 bits select which low bits change */
	u32 ack;		/* mirror the low 16 bits here after a write */
	vgt_reg_hook pre_write;
};

static void gfx_mode_pre_write(struct vgt_vgpu *v, const struct vgt_reg *r,
			       u32 val);

static const struct vgt_reg vgt_regs[] = {
	{ FORCEWAKE_RENDER_GEN9, VGT_TRAP_PM, 0, 0, 0, true, FORCEWAKE_ACK_RENDER, NULL },
	{ FORCEWAKE_MEDIA_GEN9, VGT_TRAP_PM, 0, 0, 0, true, FORCEWAKE_ACK_MEDIA, NULL },
	{ FORCEWAKE_BLITTER_GEN9, VGT_TRAP_PM, 0, 0, 0, true, FORCEWAKE_ACK_BLITTER, NULL },
	{ FORCEWAKE_ACK_RENDER, VGT_TRAP_PM, 0, ~0u, 0, false, 0, NULL },
	{ FORCEWAKE_ACK_MEDIA, VGT_TRAP_PM, 0, ~0u, 0, false, 0, NULL },
	{ FORCEWAKE_ACK_BLITTER, VGT_TRAP_PM, 0, ~0u, 0, false, 0, NULL },
	{ 0xa008 /* GEN6_RPNSWREQ */, VGT_TRAP_PM, 0, 0, 0, false, 0, NULL },
	{ 0xa024 /* GEN6_RP_CONTROL */, VGT_TRAP_PM, 0, 0, 0, false, 0, NULL },
	{ 0xa090 /* GEN6_RC_CONTROL */, VGT_TRAP_PM, 0, 0, 0, false, 0, NULL },
	{ 0xa094 /* GEN6_RC_STATE */, VGT_TRAP_PM, 0, 0, 0, false, 0, NULL },
	{ 0xa0b8 /* GEN6_RC6_THRESHOLD */, VGT_TRAP_PM, 0, 0, 0, false, 0, NULL },
	{ 0xa168 /* GEN6_PMINTRMSK */, VGT_TRAP_PM, 0xffffffff, 0, 0, false, 0, NULL },
	{ GFX_MODE_GEN8_RCS, VGT_TRAP_RING, 0, 0, 0, true, 0, gfx_mode_pre_write },
	{ GEN8_GT_IIR0, VGT_TRAP_OTHER, 0, 0, ~0u, false, 0, NULL },
};

static const struct vgt_reg *reg_lookup(u32 offset)
{
	size_t i;

	for (i = 0; i < sizeof(vgt_regs) / sizeof(vgt_regs[0]); i++)
		if (vgt_regs[i].offset == offset)
			return &vgt_regs[i];
	return NULL;
}

static void gfx_mode_pre_write(struct vgt_vgpu *v, const struct vgt_reg *r,
			       u32 val)
{
	u32 enable = (val >> 16) & val & (GFX_PPGTT_ENABLE | GFX_RUN_LIST_ENABLE);

	(void)r;
	/* An unaware guest turning on PPGTT/execlists: GVT-g's failsafe. */
	if (enable && !v->pv_read)
		v->failsafe = true;
}

const char *vgt_trap_class_name(enum vgt_trap_class c)
{
	static const char *const names[VGT_TRAP_NR] = {
		"pvinfo", "ggtt", "fence", "pm", "ring", "other",
	};

	return (unsigned int)c < VGT_TRAP_NR ? names[c] : "?";
}

static bool is_ring_offset(u32 off)
{
	static const u32 bases[] = { 0x2000, 0x12000, 0x1c000, 0x1a000, 0x22000 };
	size_t i;

	for (i = 0; i < sizeof(bases) / sizeof(bases[0]); i++)
		if (off >= bases[i] && off < bases[i] + 0x800)
			return true;
	return false;
}

static enum vgt_trap_class classify(u64 off)
{
	const struct vgt_reg *r;

	if (off >= VGT_GSM_OFFSET)
		return VGT_TRAP_GGTT;
	if (off >= VGT_PVINFO_PAGE && off < VGT_PVINFO_PAGE + VGT_PVINFO_SIZE)
		return VGT_TRAP_PVINFO;
	if (off >= VGT_FENCE_BASE && off < VGT_FENCE_BASE + 8 * VGT_MAX_FENCES)
		return VGT_TRAP_FENCE;
	r = reg_lookup(off & ~3u);
	if (r)
		return r->class;
	return is_ring_offset(off) ? VGT_TRAP_RING : VGT_TRAP_OTHER;
}

void vgt_pvinfo_populate(struct vgt_vgpu *v)
{
	const struct vgt_slices *s = &v->slices;

	memset(v->pv_bytes, 0, sizeof(v->pv_bytes));
	v->pv.magic = VGT_MAGIC;
	v->pv.version_major = VGT_VERSION_MAJOR;
	v->pv.version_minor = VGT_VERSION_MINOR;
	v->pv.vgt_id = s->id;
	v->pv.vgt_caps = VGT_CAPS_FULL_PPGTT | VGT_CAPS_HWSP_EMULATION |
			 VGT_CAPS_HUGE_GTT;
	v->pv.avail_rs.mappable_gmadr.base = (u32)s->aperture_base;
	v->pv.avail_rs.mappable_gmadr.size = (u32)s->aperture_size;
	v->pv.avail_rs.nonmappable_gmadr.base = (u32)s->hidden_base;
	v->pv.avail_rs.nonmappable_gmadr.size = (u32)s->hidden_size;
	v->pv.avail_rs.fence_num = s->fence_num;
	v->pv.display_ready = VGT_DRV_DISPLAY_NOT_READY;
	v->pv.cursor_x_hot = 0xffffffffu;
	v->pv.cursor_y_hot = 0xffffffffu;
}

void vgt_regs_reset(struct vgt_vgpu *v)
{
	size_t i;

	memset(v->regs, 0, VGT_MMIO_SIZE);
	for (i = 0; i < sizeof(vgt_regs) / sizeof(vgt_regs[0]); i++)
		v->regs[vgt_regs[i].offset / 4] = vgt_regs[i].reset;
}

void vgt_vgpu_reset(struct vgt_vgpu *v)
{
	pthread_mutex_lock(&v->lock);
	vgt_pvinfo_populate(v);
	vgt_regs_reset(v);
	v->pending = false;
	v->pv_read = false;
	v->failsafe = false;
	v->nr_roots = 0;
	pthread_mutex_unlock(&v->lock);
}

int vgt_vgpu_set_pvinfo(struct vgt_vgpu *v, const void *page)
{
	pthread_mutex_lock(&v->lock);
	memcpy(v->pv_bytes, page, VGT_PVINFO_SIZE);
	pthread_mutex_unlock(&v->lock);
	return 0;
}

void vgt_vgpu_get_pvinfo(struct vgt_vgpu *v, void *page)
{
	pthread_mutex_lock(&v->lock);
	memcpy(page, v->pv_bytes, VGT_PVINFO_SIZE);
	pthread_mutex_unlock(&v->lock);
}

void vgt_vgpu_traps(struct vgt_vgpu *v, struct vgt_traps *out, bool reset)
{
	pthread_mutex_lock(&v->lock);
	*out = v->traps;
	if (reset)
		memset(&v->traps, 0, sizeof(v->traps));
	pthread_mutex_unlock(&v->lock);
}

bool vgt_vgpu_failsafe(struct vgt_vgpu *v)
{
	bool f;

	pthread_mutex_lock(&v->lock);
	f = v->failsafe;
	pthread_mutex_unlock(&v->lock);
	return f;
}

unsigned int vgt_vgpu_ppgtt_roots(struct vgt_vgpu *v)
{
	unsigned int n;

	pthread_mutex_lock(&v->lock);
	n = v->nr_roots;
	pthread_mutex_unlock(&v->lock);
	return n;
}

static int reject(struct vgt_vgpu *v, int err, const char *why)
{
	v->why = why;
	return err;
}

/* ---- GGTT PTEs ---------------------------------------------------------- */

static u64 *shadow_slot(struct vgt_vgpu *v, u64 index)
{
	u64 addr = index * VGT_PAGE;
	const struct vgt_slices *s = &v->slices;

	if (addr >= s->aperture_base && addr - s->aperture_base < s->aperture_size)
		return &v->shadow_aperture[(addr - s->aperture_base) / VGT_PAGE];
	if (addr >= s->hidden_base && addr - s->hidden_base < s->hidden_size)
		return &v->shadow_hidden[(addr - s->hidden_base) / VGT_PAGE];
	return NULL;
}

#define PTE_PRESENT 1ULL
#define PTE_ADDR_MASK 0x0000007ffffff000ULL	/* bits 38:12 */

static int pte_commit(struct vgt_vgpu *v, u64 index, u64 pte)
{
	u64 *slot = shadow_slot(v, index);

	if (!slot)
		return reject(v, -ERANGE, "GGTT page outside the vGPU's slices");
	if ((pte & PTE_PRESENT) && (pte & PTE_ADDR_MASK) >= v->slices.guest_mem)
		return reject(v, -ERANGE, "frame outside the vGPU's guest memory");
	*slot = pte;
	return 0;
}

/*
 * 8-byte writes are whole PTEs. A 4-byte write of the low half is held
 * until the high half of the same PTE arrives; only then is the PTE
 * validated and committed, so a guest never has half a PTE live.
 */
static int ggtt_write(struct vgt_vgpu *v, u64 off, unsigned int size, u64 val)
{
	u64 index = (off - VGT_GSM_OFFSET) / 8;

	if (size == 8)
		return pte_commit(v, index, val);
	if (size != 4)
		return reject(v, -EINVAL, "PTE access must be 4 or 8 bytes");
	if (!(off & 4)) {
		if (!shadow_slot(v, index))
			return reject(v, -ERANGE, "GGTT page outside the vGPU's slices");
		v->pending = true;
		v->pending_lo_index = index;
		v->pending_lo = (u32)val;
		return 0;
	}
	if (!v->pending || v->pending_lo_index != index)
		return reject(v, -EINVAL, "high half of a PTE without its low half");
	v->pending = false;
	return pte_commit(v, index, (val << 32) | v->pending_lo);
}

static int ggtt_read(struct vgt_vgpu *v, u64 off, unsigned int size,
		     uint64_t *val)
{
	u64 *slot = shadow_slot(v, (off - VGT_GSM_OFFSET) / 8);
	u64 pte = slot ? *slot : 0;

	if (size == 8)
		*val = pte;
	else if (size == 4)
		*val = (off & 4) ? pte >> 32 : (u32)pte;
	else
		return reject(v, -EINVAL, "PTE access must be 4 or 8 bytes");
	return slot ? 0 : reject(v, -ERANGE, "GGTT page outside the vGPU's slices");
}

uint64_t vgt_vgpu_shadow_pte(struct vgt_vgpu *v, uint64_t index)
{
	u64 *slot, pte = 0;

	pthread_mutex_lock(&v->lock);
	slot = shadow_slot(v, index);
	if (slot)
		pte = *slot;
	pthread_mutex_unlock(&v->lock);
	return pte;
}

/* ---- fences ------------------------------------------------------------- */

static bool range_in_slices(const struct vgt_slices *s, u64 start, u64 end)
{
	return (start >= s->aperture_base &&
		end <= s->aperture_base + s->aperture_size) ||
	       (start >= s->hidden_base && end <= s->hidden_base + s->hidden_size);
}

static int fence_write(struct vgt_vgpu *v, u64 off, unsigned int size, u64 val)
{
	unsigned int n = (off - VGT_FENCE_BASE) / 8;
	u32 *lo = &v->regs[(VGT_FENCE_BASE + 8 * n) / 4], *hi = lo + 1;
	u64 fence;

	if (!v->pv_read)
		v->failsafe = true;	/* unaware guest programming fences */
	if (n >= v->slices.fence_num)
		return reject(v, -ERANGE, "fence index beyond fence_num");
	if (size == 8)
		fence = val;
	else if (size == 4)
		fence = (off & 4) ? (val << 32) | *lo : ((u64)*hi << 32) | (u32)val;
	else
		return reject(v, -EINVAL, "fence access must be 4 or 8 bytes");

	if (fence & 1) {
		u64 start = fence & 0xfffff000ULL;
		u64 end = ((fence >> 32) & 0xfffff000ULL) + VGT_PAGE;

		if (end <= start || !range_in_slices(&v->slices, start, end))
			return reject(v, -ERANGE, "fence range outside the vGPU's slices");
	}
	*lo = (u32)fence;
	*hi = (u32)(fence >> 32);
	pthread_mutex_lock(&v->host->lock);
	v->host->fence_regs[v->slices.fence_phys[n]] = fence;
	pthread_mutex_unlock(&v->host->lock);
	return 0;
}

/* ---- PVINFO ------------------------------------------------------------- */

static int roots_find(struct vgt_vgpu *v, u64 root)
{
	unsigned int i;

	for (i = 0; i < v->nr_roots; i++)
		if (v->roots[i] == root)
			return (int)i;
	return -1;
}

static int g2v_notify(struct vgt_vgpu *v, u32 code)
{
	u64 root = ((u64)v->pv.pdp[0].hi << 32) | v->pv.pdp[0].lo;
	int i;

	switch (code) {
	case VGT_G2V_PPGTT_L3_PAGE_TABLE_CREATE:
	case VGT_G2V_PPGTT_L4_PAGE_TABLE_CREATE:
		if (v->nr_roots == VGT_MAX_ROOTS)
			return reject(v, -ERANGE, "too many PPGTT roots");
		v->roots[v->nr_roots++] = root;
		return 0;
	case VGT_G2V_PPGTT_L3_PAGE_TABLE_DESTROY:
	case VGT_G2V_PPGTT_L4_PAGE_TABLE_DESTROY:
		i = roots_find(v, root);
		if (i < 0)
			return reject(v, -EPROTO, "destroy of a PPGTT root never created");
		v->roots[i] = v->roots[--v->nr_roots];
		return 0;
	case 1:	/* legacy no-op */
	case VGT_G2V_EXECLIST_CONTEXT_CREATE:
	case VGT_G2V_EXECLIST_CONTEXT_DESTROY:
		return 0;
	default:
		return reject(v, -EPROTO, "unknown g2v_notify code");
	}
}

static int pvinfo_write(struct vgt_vgpu *v, u32 off, unsigned int size, u64 val)
{
	if (off < PV_GUEST_HALF)
		return reject(v, -EPERM, "PVINFO host half is read-only");
	if (off == vgtif_offset(display_ready) && size == 4) {
		if (val > VGT_DRV_DISPLAY_READY)
			return reject(v, -EPROTO, "display_ready takes 0 or 1");
		v->pv.display_ready = (u32)val;
		return 0;
	}
	if (off == vgtif_offset(g2v_notify) && size == 4)
		return g2v_notify(v, (u32)val);
	if (off >= vgtif_offset(rsv5) && off < vgtif_offset(g2v_notify)) {
		v->failsafe = true;	/* guest reports insufficient resources */
		return 0;
	}
	if ((off >= vgtif_offset(cursor_x_hot) &&
	     off + size <= vgtif_offset(execlist_context_descriptor_hi) + 4) &&
	    (size == 4 || size == 8)) {
		memcpy(v->pv_bytes + off, &val, size);
		return 0;
	}
	return reject(v, -EPERM, "reserved PVINFO word");
}

/* ---- dispatch ----------------------------------------------------------- */

static int plain_write(struct vgt_vgpu *v, u32 off, unsigned int size, u64 val)
{
	const struct vgt_reg *r = size == 4 ? reg_lookup(off) : NULL;
	u32 *reg = &v->regs[off / 4];
	u32 old = *reg, nv = (u32)val;

	if (size == 8) {
		reg[0] = (u32)val;
		reg[1] = (u32)(val >> 32);
		return 0;
	}
	if (size != 4)
		return reject(v, -EINVAL, "register access must be 4 or 8 bytes");
	if (!r) {
		*reg = nv;
		return 0;
	}
	if (r->ro_mask == ~0u)
		return reject(v, -EPERM, "read-only register");
	if (r->pre_write)
		r->pre_write(v, r, nv);
	if (r->masked)
		nv = (old & ~(nv >> 16)) | (nv & (nv >> 16) & 0xffff);
	if (r->w1c_mask)
		nv = old & ~(nv & r->w1c_mask);
	*reg = (old & r->ro_mask) | (nv & ~r->ro_mask);
	if (r->ack)
		v->regs[r->ack / 4] = *reg & 0xffff;
	return 0;
}

static const char *errno_name(int err)
{
	switch (err) {
	case -EINVAL: return "-EINVAL";
	case -EPERM: return "-EPERM";
	case -ERANGE: return "-ERANGE";
	case -EPROTO: return "-EPROTO";
	default: return "?";
	}
}

/* One line per refusal: kept as the last rejection, sent to the log. */
static void report_rejection(struct vgt_vgpu *v, const char *dir,
			     enum vgt_trap_class c, u64 off, unsigned int size,
			     u64 val, int err)
{
	snprintf(v->last_rejection, sizeof(v->last_rejection),
		 "vgpu%u: refused %s of %u bytes at %#llx (%s) value %#llx: %s (%s)",
		 v->slices.id, dir, size, off, vgt_trap_class_name(c), val,
		 v->why ? v->why : vgt_strerror(err), errno_name(err));
	if (v->host->log)
		v->host->log(v->host->log_priv, v->last_rejection);
}

void vgt_host_set_log(struct vgt_host *host, vgt_log_fn fn, void *priv)
{
	host->log = fn;
	host->log_priv = priv;
}

void vgt_vgpu_last_rejection(struct vgt_vgpu *v, char *buf, size_t len)
{
	pthread_mutex_lock(&v->lock);
	snprintf(buf, len, "%s", v->last_rejection);
	pthread_mutex_unlock(&v->lock);
}

static bool access_ok(struct vgt_vgpu *v, u64 off, unsigned int size)
{
	if ((size == 1 || size == 2 || size == 4 || size == 8) &&
	    !(off & (size - 1)) && off + size <= VGT_BAR0_SIZE &&
	    (off < VGT_MMIO_SIZE || off >= VGT_GSM_OFFSET))
		return true;
	reject(v, -EINVAL, "bad size, alignment or offset");
	return false;
}

int vgt_mmio_write(struct vgt_vgpu *v, uint64_t off, unsigned int size,
		   uint64_t val)
{
	enum vgt_trap_class c = classify(off);
	int ret;

	pthread_mutex_lock(&v->lock);
	v->traps.count[c]++;
	v->why = NULL;
	if (!access_ok(v, off, size))
		ret = -EINVAL;
	else if (c == VGT_TRAP_GGTT)
		ret = ggtt_write(v, off, size, val);
	else if (c == VGT_TRAP_PVINFO)
		ret = pvinfo_write(v, off - VGT_PVINFO_PAGE, size, val);
	else if (c == VGT_TRAP_FENCE)
		ret = fence_write(v, off, size, val);
	else
		ret = plain_write(v, off, size, val);
	if (ret) {
		v->traps.rejected[c]++;
		report_rejection(v, "write", c, off, size, val, ret);
	}
	pthread_mutex_unlock(&v->lock);
	return ret;
}

int vgt_mmio_read(struct vgt_vgpu *v, uint64_t off, unsigned int size,
		  uint64_t *val)
{
	enum vgt_trap_class c = classify(off);
	int ret = 0;

	*val = 0;
	pthread_mutex_lock(&v->lock);
	v->traps.count[c]++;
	v->why = NULL;
	if (!access_ok(v, off, size)) {
		ret = -EINVAL;
	} else if (c == VGT_TRAP_GGTT) {
		ret = ggtt_read(v, off, size, val);
	} else if (c == VGT_TRAP_PVINFO) {
		v->pv_read = true;
		memcpy(val, v->pv_bytes + (off - VGT_PVINFO_PAGE), size);
	} else if (c == VGT_TRAP_FENCE &&
		   (off - VGT_FENCE_BASE) / 8 >= v->slices.fence_num) {
		ret = reject(v, -ERANGE, "fence index beyond fence_num");
	} else {
		memcpy(val, (u8 *)v->regs + off, size);
	}
	if (ret) {
		v->traps.rejected[c]++;
		report_rejection(v, "read", c, off, size, *val, ret);
	}
	pthread_mutex_unlock(&v->lock);
	return ret;
}

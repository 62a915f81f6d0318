// SPDX-License-Identifier: MIT
/*
 * GGTT PTE mediation: the GSM at BAR0 + 8 MiB holds one 64-bit PTE per
 * 4 KiB page of the GGTT. Guest and host GGTT indices are the same
 * (the guest balloons everything that is not its own), so a PTE write is
 * accepted only for an index inside the vGPU's aperture or hidden slice
 * and, when present (bit 0), only for a guest frame (bits 38:12) inside the
 * vGPU's guest memory map (memory.c). Anything else is dropped, counted and
 * reported.
 *
 * Split writes: a 4-byte write of the low half is buffered (one per vGPU,
 * like GVT-g's partial PTE) and the PTE is validated and committed only
 * when the high half of the same PTE arrives, so half a PTE is never live.
 * A high half without its low half is refused.
 *
 * Shadows: one array per slice, sized by the slice (a type "8" vGPU needs
 * 448 MiB / 4 KiB * 8 = 896 KiB), never the whole 8 MiB GSM.
 */
#include <errno.h>
#include <stdlib.h>

#include "vgt_internal.h"
#include "vgt_regs.h"


int vgt_ggtt_alloc(struct vgt_vgpu *v)
{
	v->shadow_aperture = calloc(v->slices.aperture_size / VGT_PAGE, sizeof(u64));
	v->shadow_hidden = calloc(v->slices.hidden_size / VGT_PAGE, sizeof(u64));
	return v->shadow_aperture && v->shadow_hidden ? 0 : -ENOMEM;
}

void vgt_ggtt_free(struct vgt_vgpu *v)
{
	free(v->shadow_aperture);
	free(v->shadow_hidden);
	v->shadow_aperture = v->shadow_hidden = NULL;
}

static u64 *shadow_slot(struct vgt_vgpu *v, u64 index)
{
	const struct vgt_slices *s = &v->slices;
	u64 addr;

	if (index >= VGT_GSM_SIZE / 8)
		return NULL;
	addr = index * VGT_PAGE;
	if (addr >= s->aperture_base && addr - s->aperture_base < s->aperture_size)
		return &v->shadow_aperture[(addr - s->aperture_base) / VGT_PAGE];
	if (addr >= s->hidden_base && addr - s->hidden_base < s->hidden_size)
		return &v->shadow_hidden[(addr - s->hidden_base) / VGT_PAGE];
	return NULL;
}

static int pte_commit(struct vgt_vgpu *v, u64 index, u64 pte)
{
	u64 *slot = shadow_slot(v, index);

	if (!slot)
		return vgt_reject(v, VGT_REASON_PTE_OUTSIDE);
	if ((pte & GEN8_PAGE_PRESENT) &&
	    !vgt_mem_contains(v, pte & GEN8_PTE_ADDR_MASK, VGT_PAGE))
		return vgt_reject(v, VGT_REASON_PTE_FRAME);
	*slot = pte;
	return 0;
}

int vgt_ggtt_write(struct vgt_vgpu *v, const struct vgt_reg *r, u64 off,
		   unsigned int size, u64 val)
{
	u64 index = (off - r->offset) / 8;

	if (size == 8) {
		if (v->pending && v->pending_lo_index == index)
			v->pending = false;	/* superseded by a whole PTE */
		return pte_commit(v, index, val);
	}
	if (size != 4)
		return vgt_reject(v, VGT_REASON_PTE_SIZE);
	if (!(off & 4)) {
		if (!shadow_slot(v, index))
			return vgt_reject(v, VGT_REASON_PTE_OUTSIDE);
		v->pending = true;
		v->pending_lo_index = index;
		v->pending_lo = (u32)val;
		return 0;
	}
	if (!v->pending || v->pending_lo_index != index)
		return vgt_reject(v, VGT_REASON_PTE_HALF);
	v->pending = false;
	return pte_commit(v, index, (val << 32) | v->pending_lo);
}

/*
 * What the hardware does with a GGTT address of this vGPU: its own accepted
 * PTE, never another vGPU's. -ERANGE outside the slices, -EFAULT for a page
 * without a valid PTE.
 */
int vgt_ggtt_translate(struct vgt_vgpu *v, u64 gm, u64 *gpa)
{
	u64 *slot = shadow_slot(v, gm / VGT_PAGE);

	if (!slot)
		return -ERANGE;
	if (!(*slot & GEN8_PAGE_PRESENT))
		return -EFAULT;
	*gpa = (*slot & GEN8_PTE_ADDR_MASK) | (gm & (VGT_PAGE - 1));
	return 0;
}

/* A read outside the slices reads 0 and is counted as refused. */
int vgt_ggtt_read(struct vgt_vgpu *v, const struct vgt_reg *r, u64 off,
		  unsigned int size, u64 *val)
{
	u64 *slot = shadow_slot(v, (off - r->offset) / 8);
	u64 pte = slot ? *slot : 0;

	if (size != 4 && size != 8)
		return vgt_reject(v, VGT_REASON_PTE_SIZE);
	if (!slot)
		return vgt_reject(v, VGT_REASON_PTE_OUTSIDE);
	*val = size == 8 ? pte : (off & 4) ? pte >> 32 : (u32)pte;
	return 0;
}

uint64_t vgt_vgpu_shadow_pte(struct vgt_vgpu *v, uint64_t index)
{
	u64 *slot, pte = 0;

	if (!v)
		return 0;
	pthread_mutex_lock(&v->lock);
	slot = shadow_slot(v, index);
	if (slot)
		pte = *slot;
	pthread_mutex_unlock(&v->lock);
	return pte;
}

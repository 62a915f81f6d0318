// SPDX-License-Identifier: MIT
/*
 * GGTT PTE mediation: the GSM at BAR0 + 8 MiB holds one 64-bit PTE per
 * 4 KiB page of the GGTT. Guest and host GGTT indices are the same
 * (the guest balloons everything that is not its own), so a PTE write is
 * accepted only for an index inside one of the vGPU's slices (what it
 * accepts now: slices.c) and, when present (bit 0), only for a guest frame (bits 38:12) inside the
 * vGPU's guest memory map (memory.c). Anything else is dropped, counted and
 * reported.
 *
 * Split writes: a 4-byte write of the low half is buffered (one per vGPU,
 * like GVT-g's partial PTE) and the PTE is validated and committed only
 * when the high half of the same PTE arrives, so half a PTE is never live.
 * A high half without its low half is refused. A refused write changes
 * nothing, the buffered half included: a refused high half (or a refused
 * whole PTE at the buffered index) leaves the low half waiting, so the
 * guest may still complete it.
 *
 * Shadows: the accepted PTEs in chunks of 512 (4 KiB each, 2 MiB of GGTT),
 * allocated where the vGPU's accepting set is (a type "8" vGPU needs 224
 * chunks, 896 KiB), never the whole 8 MiB GSM. The accepting set (the
 * slices, or during a re-balloon their union with the new ones) decides
 * which index has a slot; a re-balloon covers the new ranges with chunks
 * before it publishes them, and its end clears the PTEs of what was
 * removed and frees the chunks nothing accepted touches any more.
 *
 * Haswell (gen7.5): the GSM is at BAR0 + 2 MiB and holds one 32-bit PTE
 * per page (hsw_pte_encode, written with iowrite32): each 4-byte write is
 * a whole PTE, checked and committed as it arrives; the shadow keeps the
 * PTE as written and vgt_pte_frame() decodes it per platform.
 *
 * One validation path: vgt_pte_check() is what a trapped PTE write and a
 * PTE arriving through the 1.1 channel (pv11.c) both go through, with the
 * same reasons.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vgt_internal.h"
#include "vgt_regs.h"

int vgt_ggtt_alloc(struct vgt_vgpu *v)
{
	v->shadow = calloc(VGT_SHADOW_CHUNKS, sizeof(*v->shadow));
	if (!v->shadow)
		return -ENOMEM;
	return vgt_ggtt_cover(v, &v->accept);
}

void vgt_ggtt_free(struct vgt_vgpu *v)
{
	unsigned int i;

	for (i = 0; v->shadow && i < VGT_SHADOW_CHUNKS; i++)
		free(v->shadow[i]);
	free(v->shadow);
	v->shadow = NULL;
}

void vgt_ggtt_reset(struct vgt_vgpu *v)
{
	unsigned int i;

	for (i = 0; i < VGT_SHADOW_CHUNKS; i++)
		if (v->shadow[i])
			memset(v->shadow[i], 0, VGT_SHADOW_CHUNK * sizeof(u64));
}

/* Chunk index range [*first, *last] of GGTT bytes [base, base + size). */
static void chunks_of(const struct vgt_gm_range *r, u64 *first, u64 *last)
{
	*first = r->base / VGT_PAGE / VGT_SHADOW_CHUNK;
	*last = (r->base + r->size - 1) / VGT_PAGE / VGT_SHADOW_CHUNK;
}

int vgt_ggtt_cover(struct vgt_vgpu *v, const struct vgt_slice_ranges *s)
{
	unsigned int c, i;
	u64 k, first, last;

	for (c = 0; c < VGT_GM_NR; c++) {
		for (i = 0; i < s->nr[c]; i++) {
			chunks_of(&s->r[c][i], &first, &last);
			for (k = first; k <= last && k < VGT_SHADOW_CHUNKS; k++) {
				if (v->shadow[k])
					continue;
				v->shadow[k] = calloc(VGT_SHADOW_CHUNK, sizeof(u64));
				if (!v->shadow[k])
					return -ENOMEM;	/* the chunks made so far stay: harmless */
			}
		}
	}
	return 0;
}

void vgt_ggtt_drop(struct vgt_vgpu *v, const struct vgt_slice_ranges *removed)
{
	unsigned int c, i;
	u64 k, first, last, page;

	for (c = 0; c < VGT_GM_NR; c++) {
		for (i = 0; i < removed->nr[c]; i++) {
			const struct vgt_gm_range *r = &removed->r[c][i];

			for (page = r->base / VGT_PAGE; page < (r->base + r->size) / VGT_PAGE; page++)
				if (v->shadow[page / VGT_SHADOW_CHUNK])
					v->shadow[page / VGT_SHADOW_CHUNK][page % VGT_SHADOW_CHUNK] = 0;
			chunks_of(r, &first, &last);
			for (k = first; k <= last; k++) {
				u64 lo = k * VGT_SHADOW_CHUNK * VGT_PAGE;

				if (!vgt_ranges_touch(&v->accept, lo, lo + VGT_SHADOW_CHUNK * VGT_PAGE)) {
					free(v->shadow[k]);
					v->shadow[k] = NULL;
				}
			}
		}
	}
}

/* Copy the shadow PTEs of pages [first, first + n) (0 where no chunk). */
void vgt_ggtt_shadow_copy(const struct vgt_vgpu *v, u64 first, u64 n, u64 *out)
{
	u64 i;

	for (i = 0; i < n; i++) {
		u64 k = first + i;
		const u64 *chunk = k < VGT_GGTT_PAGES ? v->shadow[k / VGT_SHADOW_CHUNK] : NULL;

		out[i] = chunk ? chunk[k % VGT_SHADOW_CHUNK] : 0;
	}
}

/* The slot of GGTT page index if the vGPU accepts it now, else NULL. */
static u64 *shadow_slot(struct vgt_vgpu *v, u64 index)
{
	if (index >= VGT_GGTT_PAGES || !vgt_gm_owned(v, index * VGT_PAGE, VGT_PAGE))
		return NULL;
	return &v->shadow[index / VGT_SHADOW_CHUNK][index % VGT_SHADOW_CHUNK];
}

enum vgt_reason vgt_pte_check(struct vgt_vgpu *v, u64 index, u64 pte, u64 **slot)
{
	*slot = shadow_slot(v, index);
	if (!*slot)
		return VGT_REASON_PTE_OUTSIDE;
	if (vgt_pte_present(pte) &&
	    !vgt_mem_contains(v, vgt_pte_frame(v, pte), VGT_PAGE))
		return VGT_REASON_PTE_FRAME;
	return VGT_REASON_NONE;
}

void vgt_pte_supersede(struct vgt_vgpu *v, u64 first, u64 count)
{
	if (v->pending && v->pending_lo_index >= first && v->pending_lo_index - first < count)
		v->pending = false;
}

static int pte_commit(struct vgt_vgpu *v, u64 index, u64 pte)
{
	u64 *slot;
	enum vgt_reason why = vgt_pte_check(v, index, pte, &slot);

	if (why != VGT_REASON_NONE)
		return vgt_reject(v, why);
	*slot = pte;
	return 0;
}

int vgt_ggtt_write(struct vgt_vgpu *v, const struct vgt_reg *r, u64 off,
		   unsigned int size, u64 val)
{
	u64 index = (off - r->offset) / v->plat->info.pte_bytes;
	int ret;

	if (v->plat->info.pte_bytes == 4)	/* one whole PTE per dword */
		return size == 4 ? pte_commit(v, index, (u32)val) :
				   vgt_reject(v, VGT_REASON_PTE_SIZE);
	if (size == 8) {
		ret = pte_commit(v, index, val);
		if (!ret)
			vgt_pte_supersede(v, index, 1);	/* by a whole PTE */
		return ret;
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
	ret = pte_commit(v, index, (val << 32) | v->pending_lo);
	if (!ret)
		v->pending = false;
	return ret;
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
	if (!vgt_pte_present(*slot))
		return -EFAULT;
	*gpa = vgt_pte_frame(v, *slot) | (gm & (VGT_PAGE - 1));
	return 0;
}

int vgt_ggtt_pte(struct vgt_vgpu *v, u64 index, u64 *pte)
{
	u64 *slot = shadow_slot(v, index);

	if (!slot)
		return -ERANGE;
	*pte = *slot;
	return 0;
}

/* A read outside the slices reads 0 and is counted as refused. */
int vgt_ggtt_read(struct vgt_vgpu *v, const struct vgt_reg *r, u64 off,
		  unsigned int size, u64 *val)
{
	u64 *slot = shadow_slot(v, (off - r->offset) / v->plat->info.pte_bytes);
	u64 pte = slot ? *slot : 0;

	if (size != 4 && (size != 8 || v->plat->info.pte_bytes == 4))
		return vgt_reject(v, VGT_REASON_PTE_SIZE);
	if (v->plat->info.pte_bytes == 4) {
		if (!slot)
			return vgt_reject(v, VGT_REASON_PTE_OUTSIDE);
		*val = (u32)pte;
		return 0;
	}
	if (!slot)
		return vgt_reject(v, VGT_REASON_PTE_OUTSIDE);
	*val = size == 8 ? pte : (off & 4) ? pte >> 32 : (u32)pte;
	return 0;
}

uint64_t vgt_vgpu_shadow_pte(struct vgt_vgpu *v, uint64_t index)
{
	u64 *slot, pte = 0;

	if (!v || !vgt_vgpu_enter(v))
		return 0;
	slot = shadow_slot(v, index);
	if (slot)
		pte = *slot;
	pthread_mutex_unlock(&v->lock);
	return pte;
}

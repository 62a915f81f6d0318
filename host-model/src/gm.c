// SPDX-License-Identifier: MIT
/*
 * Graphics memory as the command streamer reaches it: the GGTT, through
 * the vGPU's own accepted PTEs only (ggtt.c), and a context's PPGTT,
 * walked in guest memory: 4 levels for a 48-bit context (PML4 in PDP0 of
 * the context image), 3 for a legacy 32-bit one (four PDPs). Leaves of
 * 4 KiB, 64 KiB (IPS set in the PDE: the first of each 16 PTEs maps 64 KiB)
 * and 2 MiB (PS set in the PDE), as 6.1 writes them when the vGPU offers
 * HUGE_GTT. Every table page and every frame must lie in the guest's
 * memory map (memory.c): a guest table can never make the device touch
 * memory that is not the guest's. A write needs the RW bit (bit 1) in every
 * entry of its walk: 6.1 maps the command parser's shadow batches read-only
 * so that a batch cannot rewrite itself after the scan. A translation
 * failure is a fault: the executor ends the context's batch and the guest
 * sees that context hang.
 */
#include <errno.h>
#include <string.h>

#include "vgt_exec.h"
#include "vgt_regs.h"

#define PPGTT_48B_LIMIT (1ULL << 48)
#define PPGTT_32B_LIMIT (1ULL << 32)

static int read_entry(struct vgt_vgpu *v, u64 table, unsigned int index, u64 *e,
		      bool write)
{
	int err = vgt_gpa_read(v, table + 8ULL * index, e, sizeof(*e));

	if (err)
		return err;
	if (!(*e & GEN8_PAGE_PRESENT) || (write && !(*e & GEN8_PAGE_RW)))
		return -EFAULT;
	return 0;
}

/* Walk a PD down to the leaf holding addr; *gpa and *span (bytes mapped on). */
static int walk_pd(struct vgt_vgpu *v, u64 pd, u64 addr, bool write, u64 *gpa, u64 *span)
{
	u64 pde, pte;
	unsigned int pti;
	int err;

	err = read_entry(v, pd & GEN8_PTE_ADDR_MASK, (addr >> 21) & 0x1ff, &pde, write);
	if (err)
		return err;
	if (pde & GEN8_PDE_PS_2M) {
		*gpa = (pde & GEN8_PTE_ADDR_MASK & ~0x1fffffULL) | (addr & 0x1fffff);
		*span = 0x200000 - (addr & 0x1fffff);
		return 0;
	}
	pti = (addr >> 12) & 0x1ff;
	if (pde & GEN8_PDE_IPS_64K) {
		err = read_entry(v, pde & GEN8_PTE_ADDR_MASK, pti & ~15u, &pte, write);
		if (err)
			return err;
		*gpa = (pte & GEN8_PTE_ADDR_MASK & ~0xffffULL) | (addr & 0xffff);
		*span = 0x10000 - (addr & 0xffff);
		return 0;
	}
	err = read_entry(v, pde & GEN8_PTE_ADDR_MASK, pti, &pte, write);
	if (err)
		return err;
	*gpa = (pte & GEN8_PTE_ADDR_MASK) | (addr & 0xfff);
	*span = 0x1000 - (addr & 0xfff);
	return 0;
}

#define GEN6_PPGTT_LIMIT (2048ULL << 20)

/* The aliasing PPGTT; pt->root[0] is the engine's MMIO base. */
static int walk_gen6(struct vgt_vgpu *v, const struct vgt_ppgtt *pt, u64 addr, u64 *gpa,
		     u64 *span)
{
	u32 dir = v->regs[(pt->root[0] + RING_PP_DIR_BASE) / 4];
	u64 slot = (u64)(dir >> 16) * 64 / 4 + (addr >> 22), pde;
	u32 pte;
	int err;

	if (addr >= GEN6_PPGTT_LIMIT)
		return -EFAULT;
	err = vgt_ggtt_pte(v, slot, &pde);
	if (err || !(pde & GEN6_PDE_VALID))
		return -EFAULT;
	err = vgt_gpa_read(v, vgt_gen6_pde_frame((u32)pde) + 4 * ((addr >> 12) & 0x3ff), &pte,
			   sizeof(pte));
	if (err)
		return err;
	if (!vgt_pte_present(pte))
		return -EFAULT;
	*gpa = vgt_pte_frame(v, pte) | (addr & 0xfff);
	*span = 0x1000 - (addr & 0xfff);
	return 0;
}

int vgt_ppgtt_translate(struct vgt_vgpu *v, const struct vgt_ppgtt *pt, u64 addr,
			bool write, u64 *gpa, u64 *span)
{
	u64 e;
	int err;

	if (pt->levels == 2)
		return walk_gen6(v, pt, addr, gpa, span);
	if (pt->levels == 4) {
		if (addr >= PPGTT_48B_LIMIT)
			return -EFAULT;
		err = read_entry(v, pt->root[0] & GEN8_PTE_ADDR_MASK, (addr >> 39) & 0x1ff, &e,
				 write);
		if (!err)
			err = read_entry(v, e & GEN8_PTE_ADDR_MASK, (addr >> 30) & 0x1ff, &e, write);
	} else if (pt->levels == 3) {
		if (addr >= PPGTT_32B_LIMIT)
			return -EFAULT;
		e = pt->root[(addr >> 30) & 3];
		err = e & GEN8_PAGE_PRESENT ? 0 : -EFAULT;
	} else {
		return -EFAULT;
	}
	if (err)
		return err;
	if (e & GEN8_PDE_PS_2M)		/* a 1 GiB page: 6.1 never writes one on gen9 */
		return -EFAULT;
	return walk_pd(v, e, addr, write, gpa, span);
}

/* One contiguous piece of an access: its guest-physical address and length. */
static int as_piece(struct vgt_as *as, u64 addr, size_t left, bool write, u64 *gpa,
		    size_t *n)
{
	u64 span;
	int err;

	if (as->ppgtt) {
		err = vgt_ppgtt_translate(as->v, &as->pt, addr, write, gpa, &span);
	} else {
		err = vgt_ggtt_translate(as->v, addr, gpa);
		span = VGT_PAGE - (addr & (VGT_PAGE - 1));
	}
	if (err)
		return err;
	*n = left < span ? left : (size_t)span;
	return 0;
}

static int as_access(struct vgt_as *as, u64 addr, u8 *buf, size_t len, bool write)
{
	while (len) {
		u64 gpa;
		size_t n;
		int err = as_piece(as, addr, len, write, &gpa, &n);

		if (!err)
			err = write ? vgt_gpa_write(as->v, gpa, buf, n) :
				      vgt_gpa_read(as->v, gpa, buf, n);
		if (err) {
			as->fault_addr = addr;
			return err;
		}
		addr += n;
		buf += n;
		len -= n;
	}
	return 0;
}

int vgt_as_read(void *as, uint64_t addr, void *buf, size_t len)
{
	return as_access(as, addr, buf, len, false);
}

int vgt_as_write(void *as, uint64_t addr, const void *buf, size_t len)
{
	return as_access(as, addr, (u8 *)buf, len, true);
}

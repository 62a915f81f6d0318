// SPDX-License-Identifier: MIT
/*
 * The PPGTT walker against page tables built here by hand, in guest RAM,
 * the way gen8_ppgtt.c writes them: 4 KiB leaves; 64 KiB leaves (IPS in
 * the PDE, the first PTE of each 16 used); 2 MiB leaves (PS in the PDE);
 * read-only leaves (no RW bit); a legacy 3-level context with four PDPs;
 * and every way a walk can fail (not present at each level, a table or a
 * frame outside the memory map, an address past the address space). The
 * expected addresses are computed from the layout, not by the walker.
 */
#include <stdio.h>

#include "exec_guest.h"
#include "vgt_exec.h"

#include "vgt_test.h"

#define P (GEN8_PAGE_PRESENT | GEN8_PAGE_RW)

static uint64_t *entry(struct exec_guest *g, uint64_t table, unsigned int i)
{
	return eg_ptr(g, table + 8ULL * i);
}

struct tables {
	uint64_t pml4, pdp, pd, pt_4k, pt_64k;
};

/*
 * va 0x40000000 + ...: PML4[0] -> PDP; PDP[1] -> PD;
 *   PD[0] -> 4K page table, PD[1] -> 64K page table (IPS), PD[2] -> 2M page.
 */
static void build(struct exec_guest *g, struct tables *t, uint64_t frames)
{
	unsigned int i;

	t->pml4 = eg_alloc(g, 1);
	t->pdp = eg_alloc(g, 1);
	t->pd = eg_alloc(g, 1);
	t->pt_4k = eg_alloc(g, 1);
	t->pt_64k = eg_alloc(g, 1);
	*entry(g, t->pml4, 0) = t->pdp | P;
	*entry(g, t->pdp, 1) = t->pd | P;
	*entry(g, t->pd, 0) = t->pt_4k | P;
	*entry(g, t->pd, 1) = t->pt_64k | P | GEN8_PDE_IPS_64K;
	*entry(g, t->pd, 2) = (frames + 0x200000) | P | GEN8_PDE_PS_2M;
	for (i = 0; i < 512; i++) {
		*entry(g, t->pt_4k, i) = (frames + (511 - i) * 4096ULL) | P;	/* reversed */
		/* 64K leaves: 6.1 writes all 512 4K entries; only each 16th counts */
		*entry(g, t->pt_64k, i) = (frames + 0x400000 + (i & ~15u) * 4096ULL +
					   (i % 16 ? 0x123000 : 0)) | P;
	}
	*entry(g, t->pt_4k, 7) &= ~GEN8_PAGE_RW;	/* a read-only page */
	*entry(g, t->pt_4k, 8) = 0;			/* not present */
}

TEST(walk_4k_64k_2m, "H-19")
{
	struct exec_guest g;
	struct tables t;
	struct vgt_ppgtt pt = { .levels = 4 };
	u64 frames, gpa, span;
	const uint64_t base = 0x40000000;

	CHECK(exec_guest_init(&g) == 0, "guest");
	frames = eg_alloc(&g, 0) + 0x200000;	/* 2 MiB aligned region for leaves */
	frames &= ~0x1fffffULL;
	g.next_gpa = frames + 0x800000;		/* leaves use [frames, +8 MiB) */
	build(&g, &t, frames);
	pt.root[0] = t.pml4;
	CHECK(vgt_ppgtt_translate(g.v, &pt, base + 3 * 4096 + 0x10, false, &gpa, &span) == 0 &&
	      gpa == frames + (511 - 3) * 4096ULL + 0x10 && span == 4096 - 0x10,
	      "4K leaf: gpa %#llx span %#llx", (unsigned long long)gpa, (unsigned long long)span);
	CHECK(vgt_ppgtt_translate(g.v, &pt, base + 0x200000 + 0x12345, false, &gpa, &span) == 0 &&
	      gpa == frames + 0x400000 + 0x12345 && span == 0x10000 - 0x2345,
	      "64K leaf via the first PTE of its 16: gpa %#llx span %#llx",
	      (unsigned long long)gpa, (unsigned long long)span);
	CHECK(vgt_ppgtt_translate(g.v, &pt, base + 0x200000 + 0x1f0000 + 8, true, &gpa, &span) == 0 &&
	      gpa == frames + 0x400000 + 0x1f0000 + 8, "last 64K leaf of the table");
	CHECK(vgt_ppgtt_translate(g.v, &pt, base + 0x400000 + 0x1abcde, true, &gpa, &span) == 0 &&
	      gpa == frames + 0x200000 + 0x1abcde && span == 0x200000 - 0x1abcde,
	      "2M leaf: gpa %#llx", (unsigned long long)gpa);
	CHECK(vgt_ppgtt_translate(g.v, &pt, base + 7 * 4096, false, &gpa, &span) == 0,
	      "read-only page reads");
	CHECK(vgt_ppgtt_translate(g.v, &pt, base + 7 * 4096, true, &gpa, &span) == -EFAULT,
	      "read-only page does not write");
	CHECK(vgt_ppgtt_translate(g.v, &pt, base + 8 * 4096, false, &gpa, &span) == -EFAULT,
	      "PTE not present");
	CHECK(vgt_ppgtt_translate(g.v, &pt, base + 0x600000, false, &gpa, &span) == -EFAULT,
	      "PDE not present");
	CHECK(vgt_ppgtt_translate(g.v, &pt, 0, false, &gpa, &span) == -EFAULT, "PDPE not present");
	CHECK(vgt_ppgtt_translate(g.v, &pt, 1ULL << 39, false, &gpa, &span) == -EFAULT,
	      "PML4E not present");
	CHECK(vgt_ppgtt_translate(g.v, &pt, 1ULL << 48, false, &gpa, &span) == -EFAULT,
	      "past 48 bits");
	/* A PDE whose table lies outside guest RAM: the walk must not read it. */
	*entry(&g, t.pd, 3) = (EG_RAM + 0x10000) | P;
	CHECK(vgt_ppgtt_translate(g.v, &pt, base + 0x600000, false, &gpa, &span) == -EFAULT &&
	      g.ram.bad == 0, "table outside the memory map: a fault, never an access");
	/* A leaf frame outside RAM translates, but no access reaches it. */
	*entry(&g, t.pt_4k, 9) = (EG_RAM + 0x20000) | P;
	{
		struct vgt_as as = { .v = g.v, .ppgtt = true, .pt = pt };
		uint32_t val;

		CHECK(vgt_as_read(&as, base + 9 * 4096, &val, 4) == -EFAULT && g.ram.bad == 0,
		      "frame outside the memory map: a fault");
		CHECK(vgt_as_read(&as, base + 6 * 4096 + 4094, &val, 4) == 0,
		      "an access across two 4K leaves (reversed frames)");
		CHECK(vgt_as_write(&as, base + 6 * 4096 + 4094, &val, 4) == -EFAULT &&
		      as.fault_addr == base + 7 * 4096, "its write faults on the read-only page at %#llx",
		      (unsigned long long)as.fault_addr);
	}
	exec_guest_fini(&g);
}

TEST(walk_legacy_32b, "H-19")
{
	struct exec_guest g;
	struct vgt_ppgtt pt = { .levels = 3 };
	u64 pd = 0, ptab, frame, gpa, span;

	CHECK(exec_guest_init(&g) == 0, "guest");
	pd = eg_alloc(&g, 1);
	ptab = eg_alloc(&g, 1);
	frame = eg_alloc(&g, 1);
	*entry(&g, pd, 5) = ptab | P;
	*entry(&g, ptab, 17) = frame | P;
	pt.root[2] = pd | P;		/* PDP2: addresses [2 GiB, 3 GiB) */
	CHECK(vgt_ppgtt_translate(&*g.v, &pt, 0x80000000ULL + 5 * 0x200000 + 17 * 4096 + 0x44,
				  false, &gpa, &span) == 0 && gpa == frame + 0x44,
	      "PDP2 -> PD[5] -> PT[17]: gpa %#llx", (unsigned long long)gpa);
	CHECK(vgt_ppgtt_translate(g.v, &pt, 0x40000000, false, &gpa, &span) == -EFAULT,
	      "PDP1 not present");
	CHECK(vgt_ppgtt_translate(g.v, &pt, 1ULL << 32, false, &gpa, &span) == -EFAULT,
	      "past 32 bits");
	exec_guest_fini(&g);
}

VGT_TEST_MAIN()

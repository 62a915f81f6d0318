/* SPDX-License-Identifier: MIT */
/*
 * A synthetic execlists guest, built the way Linux 6.1 builds one (and
 * only through the vGPU's traps and the guest's own RAM): GGTT pages bound
 * by PTE writes into the vGPU's hidden slice, a status page per engine
 * named by RING_HWS_PGA, logical ring contexts (a per-process status page,
 * then the register state with the ring registers and the PML4), rings,
 * and a 4-level PPGTT built in guest RAM. Submission writes the four ELSP
 * dwords; completion is read from the CSB entries in the status page, as
 * process_csb reads them. Used by the executor's tests and benchmarks.
 */
#ifndef EXEC_GUEST_H
#define EXEC_GUEST_H

#include <stdint.h>
#include <string.h>

#include "guest_ram.h"
#include <linux/types.h>

#include "i915_pvinfo.h"
#include "libvgt.h"
#include "vgt_audit.h"
#include "vgt_cmd.h"
#include "vgt_regs.h"

#ifndef EG_RAM
#define EG_RAM		(64 * VGT_MIB)	/* a user may ask for less */
#endif
#define EG_RING_PAGES	4

struct eg_ctx {
	uint64_t lrca;			/* GGTT address of the image */
	uint64_t ring;			/* GGTT address of the ring */
	uint32_t tail;			/* bytes written into the ring */
	uint32_t id;			/* context ID (descriptor high dword) */
};

struct exec_guest {
	struct vgt_host *host;
	struct vgt_vgpu *v;
	struct vgt_slices s;
	struct guest_ram ram;
	uint64_t next_gpa;		/* bump allocator of guest RAM */
	uint64_t next_gm;		/* bump allocator of the hidden slice */
	uint64_t hwsp[VGT_ENGINE_NR];	/* GGTT address of each status page */
	uint64_t pml4;			/* guest-physical */
	uint32_t csb_head[VGT_ENGINE_NR];
	bool own_host;
};

static inline uint32_t eg_engine_base(enum vgt_engine_id e)
{
	static const uint32_t base[] = {
#define X(id, name, b, grdom, bank, shift, master) [id] = b,
		VGT_FOR_EACH_ENGINE(X)
#undef X
	};
	return base[e];
}

static inline uint64_t eg_rd(struct exec_guest *g, uint64_t off)
{
	uint64_t val = 0;

	vgt_mmio_read(g->v, off, 4, &val);
	return val;
}

static inline int eg_wr(struct exec_guest *g, uint64_t off, uint32_t val)
{
	return vgt_mmio_write(g->v, off, 4, val);
}

/* n zeroed pages of guest RAM; returns the guest-physical address. */
static inline uint64_t eg_alloc(struct exec_guest *g, unsigned int pages)
{
	uint64_t gpa = g->next_gpa;

	g->next_gpa += pages * 4096ULL;
	memset(guest_ram_ptr(&g->ram, gpa, pages * 4096ULL), 0, pages * 4096ULL);
	return gpa;
}

static inline void *eg_ptr(struct exec_guest *g, uint64_t gpa)
{
	return guest_ram_ptr(&g->ram, gpa, 4);
}

/* Bind n fresh pages in the hidden slice (PTE traps); their GGTT address. */
static inline uint64_t eg_bind(struct exec_guest *g, unsigned int pages, uint64_t *gpa_out)
{
	uint64_t gm = g->next_gm, gpa = eg_alloc(g, pages);
	unsigned int i;

	g->next_gm += pages * 4096ULL;
	for (i = 0; i < pages; i++)
		vgt_mmio_write(g->v, VGT_GSM_OFFSET + 8 * ((gm >> 12) + i), 8,
			       (gpa + i * 4096ULL) | GEN8_PAGE_PRESENT);
	if (gpa_out)
		*gpa_out = gpa;
	return gm;
}

/* The guest-physical address behind a GGTT address the guest bound. */
static inline uint64_t eg_gm_gpa(struct exec_guest *g, uint64_t gm)
{
	uint64_t pte = vgt_vgpu_shadow_pte(g->v, gm >> 12);

	return (pte & GEN8_PTE_ADDR_MASK) | (gm & 4095);
}

static inline void *eg_gm_ptr(struct exec_guest *g, uint64_t gm)
{
	return guest_ram_ptr(&g->ram, eg_gm_gpa(g, gm), 4);
}

/* Map PPGTT address va to gpa with a 4 KiB PTE, building tables as needed. */
static inline void eg_ppgtt_map(struct exec_guest *g, uint64_t va, uint64_t gpa)
{
	uint64_t table = g->pml4;
	unsigned int level;

	for (level = 0; level < 3; level++) {
		unsigned int shift = 39 - 9 * level;
		uint64_t *e = eg_ptr(g, table + 8 * ((va >> shift) & 0x1ff));

		if (!(*e & GEN8_PAGE_PRESENT))
			*e = eg_alloc(g, 1) | GEN8_PAGE_PRESENT | 2;
		table = *e & GEN8_PTE_ADDR_MASK;
	}
	*(uint64_t *)eg_ptr(g, table + 8 * ((va >> 12) & 0x1ff)) = gpa | GEN8_PAGE_PRESENT | 2;
}

/* n fresh pages at PPGTT va; returns the guest-physical address of the first. */
static inline uint64_t eg_ppgtt_alloc(struct exec_guest *g, uint64_t va, unsigned int pages)
{
	uint64_t gpa = eg_alloc(g, pages);
	unsigned int i;

	for (i = 0; i < pages; i++)
		eg_ppgtt_map(g, va + i * 4096ULL, gpa + i * 4096ULL);
	return gpa;
}

/* A context: image (status page + state), a ring, the shared PPGTT. */
static inline void eg_ctx_init(struct exec_guest *g, struct eg_ctx *c, uint32_t id)
{
	uint32_t *regs;

	c->lrca = eg_bind(g, 2, NULL);
	c->ring = eg_bind(g, EG_RING_PAGES, NULL);
	c->tail = 0;
	c->id = id;
	regs = eg_gm_ptr(g, c->lrca + LRC_STATE_OFFSET);
	regs[CTX_RING_START] = (uint32_t)c->ring;
	regs[CTX_RING_HEAD] = 0;
	regs[CTX_RING_TAIL] = 0;
	regs[CTX_RING_CTL] = (EG_RING_PAGES - 1) * 4096 | RING_VALID;
	regs[CTX_PDP0_UDW] = (uint32_t)(g->pml4 >> 32);
	regs[CTX_PDP0_LDW] = (uint32_t)g->pml4;
}

static inline uint32_t *eg_ctx_regs(struct exec_guest *g, struct eg_ctx *c)
{
	return eg_gm_ptr(g, c->lrca + LRC_STATE_OFFSET);
}

/*
 * Append dwords to the ring (the CPU writes it through its own mapping),
 * padded with MI_NOOP to a qword: the tail register holds qwords, as
 * intel_ring_advance keeps it.
 */
static inline void eg_emit(struct exec_guest *g, struct eg_ctx *c, const uint32_t *dw,
			   unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n + (n & 1); i++) {
		guest_ram_store32(&g->ram, eg_gm_gpa(g, c->ring + c->tail), i < n ? dw[i] : 0);
		c->tail = (c->tail + 4) % (EG_RING_PAGES * 4096);
	}
	guest_ram_store32(&g->ram, eg_gm_gpa(g, c->lrca + LRC_STATE_OFFSET + 4 * CTX_RING_TAIL),
			  c->tail);
}

/* The interrupt handler's ack: every pending GT IIR bit written back. */
static inline void eg_ack_irqs(struct exec_guest *g)
{
	unsigned int b;

	for (b = 0; b < VGT_GT_IRQ_BANKS; b++) {
		uint64_t iir = 0;

		vgt_mmio_read(g->v, GEN8_GT_IIR(b), 4, &iir);
		vgt_mmio_write(g->v, GEN8_GT_IIR(b), 4, iir);
	}
}

static inline uint64_t eg_desc(const struct eg_ctx *c)
{
	return (uint64_t)c->id << 32 | c->lrca | INTEL_LEGACY_64B_CONTEXT << GEN8_CTX_ADDRESSING_MODE_SHIFT |
	       GEN8_CTX_PRIVILEGE | GEN8_CTX_VALID;
}

/* ELSP: element 1 high, element 1 low, element 0 high, element 0 low. */
static inline void eg_submit(struct exec_guest *g, enum vgt_engine_id e,
			     const struct eg_ctx *c0, const struct eg_ctx *c1)
{
	uint64_t d0 = eg_desc(c0), d1 = c1 ? eg_desc(c1) : 0;
	uint32_t elsp = eg_engine_base(e) + RING_ELSP;

	eg_wr(g, elsp, (uint32_t)(d1 >> 32));
	eg_wr(g, elsp, (uint32_t)d1);
	eg_wr(g, elsp, (uint32_t)(d0 >> 32));
	eg_wr(g, elsp, (uint32_t)d0);
}

/* The next CSB event of engine e, as process_csb reads it; 0 if none new. */
static inline uint64_t eg_csb_next(struct exec_guest *g, enum vgt_engine_id e)
{
	uint64_t hwsp = eg_gm_gpa(g, g->hwsp[e]);
	uint32_t wp = guest_ram_load32(&g->ram, hwsp + 4 * I915_HWS_CSB_WRITE_INDEX);
	uint64_t entry;

	if (wp == g->csb_head[e])
		return 0;
	g->csb_head[e] = g->csb_head[e] + 1 == GEN8_CSB_ENTRIES ? 0 : g->csb_head[e] + 1;
	entry = hwsp + 4 * (I915_HWS_CSB_BUF0_INDEX + 2 * g->csb_head[e]);
	return (uint64_t)guest_ram_load32(&g->ram, entry + 4) << 32 |
	       guest_ram_load32(&g->ram, entry);
}

/* Every engine's interrupts enabled and unmasked, as gen8_gt_irq_postinstall. */
static inline void eg_enable_irqs(struct exec_guest *g)
{
	const uint32_t bits = GT_RENDER_USER_INTERRUPT | GT_CONTEXT_SWITCH_INTERRUPT;
	unsigned int b;

	for (b = 0; b < VGT_GT_IRQ_BANKS; b++) {
		uint32_t en = b == 0 ? bits | bits << 16 : b == 2 ? 0 : bits;

		eg_wr(g, GEN8_GT_IER(b), en);
		eg_wr(g, GEN8_GT_IMR(b), ~en);
	}
	eg_wr(g, GEN8_MASTER_IRQ, GEN8_MASTER_IRQ_CONTROL);
}

/*
 * A type "8" vGPU with 64 MiB of guest RAM given through the ops, each
 * engine's status page bound and named (reset_csb_pointers: CSB write
 * pointer 5, so the next entry is 0), execlists enabled.
 */
static inline int exec_guest_init_on(struct exec_guest *g, struct vgt_host *host)
{
	struct vgt_gpu_desc d;
	struct vgt_vgpu_request req;
	unsigned int e;

	memset(g, 0, sizeof(*g));
	vgt_gpu_desc_default(&d);
	g->own_host = !host;
	g->host = host ? host : vgt_host_create(&d, NULL);
	vgt_type_parse("8", &req);
	g->v = g->host ? vgt_vgpu_create(g->host, &req, NULL, NULL, 0) : NULL;
	if (!g->v)
		return -1;
	vgt_vgpu_slices(g->v, &g->s);
	guest_ram_init(&g->ram);
	if (guest_ram_add(&g->ram, 0, EG_RAM) || guest_ram_attach(&g->ram, g->v))
		return -1;
	g->next_gpa = 4096;		/* keep page 0 unused */
	g->next_gm = g->s.hidden_base;
	g->pml4 = eg_alloc(g, 1);
	{
		uint64_t pv;

		vgt_mmio_read(g->v, VGT_PVINFO_PAGE, 8, &pv);	/* an aware guest */
	}
	for (e = 0; e < VGT_ENGINE_NR; e++) {
		uint32_t base = eg_engine_base(e);
		uint32_t *hwsp;

		g->hwsp[e] = eg_bind(g, 1, NULL);
		eg_wr(g, base + RING_HWS_PGA, (uint32_t)g->hwsp[e]);
		eg_wr(g, base + RING_MODE_GEN7, GFX_RUN_LIST_ENABLE << 16 | GFX_RUN_LIST_ENABLE);
		eg_wr(g, base + RING_CONTEXT_STATUS_PTR, 0xffffu << 16 | 5 << 8 | 5);
		hwsp = eg_gm_ptr(g, g->hwsp[e]);
		hwsp[I915_HWS_CSB_WRITE_INDEX] = 5;
		g->csb_head[e] = 5;
	}
	return 0;
}

static inline int exec_guest_init(struct exec_guest *g)
{
	return exec_guest_init_on(g, NULL);
}

/* Destroys the vGPU (and the host if the guest made it), then the RAM. */
static inline void exec_guest_fini(struct exec_guest *g)
{
	if (g->own_host)
		vgt_host_destroy(g->host);
	else
		vgt_vgpu_destroy(g->v);
	guest_ram_free(&g->ram);
}

/* Command dwords, as 6.1 and IGT emit them. */
#define EG_MI_NOOP		0u
#define EG_MI_USER_INTERRUPT	(0x02u << 23)
#define EG_MI_ARB_CHECK		(0x05u << 23)
#define EG_MI_BB_END		(0x0au << 23)
#define EG_MI_STORE_DWORD_IMM	((0x20u << 23) | 2)	/* 4 dwords */
#define EG_MI_USE_GGTT		(1u << 22)
#define EG_MI_BB_START		((0x31u << 23) | 1)	/* 3 dwords */
#define EG_MI_BB_PPGTT		(1u << 8)

#endif /* EXEC_GUEST_H */

// SPDX-License-Identifier: MIT
/*
 * A Haswell GT2 vGPU (gen7.5) beside the Skylake one: what Linux 6.1's i915
 * finds and drives on it. Every expectation below is the 6.1 source's,
 * written out here apart from the model: the PCI identity and GGC decode
 * (i915_pci.c, gen6_gmch_probe / gen6_get_total_gtt_size), the PTE and
 * PDE encodings (hsw_pte_encode, GEN6_PDE_ADDR_ENCODE), the ring registers
 * and status-page registers (xcs_resume, set_hwsp), the breadcrumbs as
 * gen7_emit_breadcrumb_rcs/xcs emit them, hsw_emit_bb_start, the aliasing
 * PPGTT's page directory in the GSM (gen6_ppgtt.c: pp_dir) and the gen7
 * interrupt handler's sequence (ilk_irq_handler).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "guest_ram.h"
#include <linux/types.h>

#include "i915_pvinfo.h"
#include "libvgt.h"
#include "vgt_audit.h"
#include "vgt_regs.h"
#include "vgt_test.h"

#define MIB (1ULL << 20)
#define RAM (64 * MIB)
#define RING_PAGES 4

/* 6.1's encodings, as the driver computes them. */
#define MI(op, len)		((uint32_t)(op) << 23 | (len))
#define MI_NOOP			0u
#define MI_USER_INTERRUPT	MI(0x02, 0)
#define MI_BATCH_BUFFER_END	MI(0x0a, 0)
#define MI_STORE_DWORD_IMM_GEN4	MI(0x20, 2)
#define MI_STORE_DWORD_INDEX	MI(0x21, 1)
#define MI_LOAD_REGISTER_IMM1	MI(0x22, 1)
#define MI_FLUSH_DW		MI(0x26, 1)
#define MI_BATCH_BUFFER_START	MI(0x31, 0)
#define MI_USE_GGTT		(1u << 22)
#define MI_BATCH_PPGTT_HSW	(1u << 8)
#define MI_BATCH_NON_SECURE_HSW	(1u << 13)
#define MI_FLUSH_DW_STORE_INDEX	(1u << 21)
#define MI_FLUSH_DW_OP_STOREDW	(1u << 14)
#define MI_FLUSH_DW_USE_GTT	(1u << 2)
#define GFX_OP_PIPE_CONTROL(n)	((3u << 29) | (3u << 27) | (2u << 24) | ((n) - 2))
#define PIPE_CONTROL_QW_WRITE	(1u << 14)
#define PIPE_CONTROL_GLOBAL_GTT_IVB (1u << 24)
#define PIPE_CONTROL_CS_STALL	(1u << 20)
#define HWS_SEQNO_ADDR		(0x40 * 4)	/* I915_GEM_HWS_SEQNO_ADDR */

static const struct {
	const char *name;
	uint32_t base, hws_pga, irq_reg, irq_bit;
} engines[4] = {
	/* enum vgt_engine_id order: RCS, BCS, VCS, VECS */
	{ "rcs", 0x02000, 0x4080, 0x44018, 1u << 0 },
	{ "bcs", 0x22000, 0x4280, 0x44018, 1u << 22 },
	{ "vcs", 0x12000, 0x4180, 0x44018, 1u << 12 },
	{ "vecs", 0x1a000, 0x4380, 0x44028, 1u << 10 },
};

struct hsw {
	struct vgt_host *host;
	struct vgt_vgpu *v;
	struct vgt_slices s;
	struct guest_ram ram;
	uint64_t next_gpa, next_gm;
	uint64_t ring[4];		/* GGTT address of each engine's ring */
	uint64_t hwsp[4];
	uint32_t tail[4];
};

static uint64_t rd(struct vgt_vgpu *v, uint64_t off)
{
	uint64_t val = 0;

	vgt_mmio_read(v, off, 4, &val);
	return val;
}

static int wr(struct vgt_vgpu *v, uint64_t off, uint32_t val)
{
	return vgt_mmio_write(v, off, 4, val);
}

/* hsw_pte_encode: bits 38:32 of the address in 10:4, the cache bits, valid. */
static uint32_t hsw_pte(uint64_t gpa)
{
	return (uint32_t)(gpa | ((gpa >> 28) & 0x7f0)) | HSW_WB_LLC_AGE3 | 1u;
}

static uint64_t alloc_pages(struct hsw *g, unsigned int n)
{
	uint64_t gpa = g->next_gpa;

	g->next_gpa += n * 4096ULL;
	return gpa;
}

/* n pages of guest RAM bound at the next GGTT pages of the hidden slice. */
static uint64_t bind(struct hsw *g, unsigned int n, uint64_t *gpa_out)
{
	uint64_t gm = g->next_gm, gpa = alloc_pages(g, n);
	unsigned int i;

	g->next_gm += n * 4096ULL;
	for (i = 0; i < n; i++)
		wr(g->v, HSW_GSM_OFFSET + 4 * ((gm >> 12) + i), hsw_pte(gpa + 4096ULL * i));
	if (gpa_out)
		*gpa_out = gpa;
	return gm;
}

static uint64_t gm_gpa(struct hsw *g, uint64_t gm)
{
	uint64_t pte = vgt_vgpu_shadow_pte(g->v, gm >> 12);

	return ((pte & 0xfffff000) | (pte & 0x7f0) << 28) | (gm & 4095);
}

static uint32_t load(struct hsw *g, uint64_t gpa)
{
	return guest_ram_load32(&g->ram, gpa);
}

/* What xcs_resume and set_hwsp program, for engine e. */
static void ring_init(struct hsw *g, unsigned int e)
{
	uint32_t b = engines[e].base;

	g->hwsp[e] = bind(g, 1, NULL);
	wr(g->v, engines[e].hws_pga, (uint32_t)g->hwsp[e]);
	g->ring[e] = bind(g, RING_PAGES, NULL);
	g->tail[e] = 0;
	wr(g->v, b + RING_CTL, 0);
	wr(g->v, b + RING_HEAD, 0);
	wr(g->v, b + RING_TAIL, 0);
	wr(g->v, b + RING_START, (uint32_t)g->ring[e]);
	wr(g->v, b + RING_CTL, (RING_PAGES - 1) << 12 | RING_VALID);
}

/* Write dwords into the ring (qword-padded, as intel_ring_advance), then TAIL. */
static void submit(struct hsw *g, unsigned int e, const uint32_t *dw, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n + (n & 1); i++) {
		guest_ram_store32(&g->ram, gm_gpa(g, g->ring[e] + g->tail[e]), i < n ? dw[i] : 0);
		g->tail[e] = (g->tail[e] + 4) % (RING_PAGES * 4096);
	}
	wr(g->v, engines[e].base + RING_TAIL, g->tail[e]);
}

static int hsw_init_on(struct hsw *g, struct vgt_host *host)
{
	struct vgt_vgpu_request req;
	char msg[200];
	int err;

	memset(g, 0, sizeof(*g));
	g->host = host;
	if (vgt_type_parse("hsw:8", &req))
		return -1;
	g->v = vgt_vgpu_create(host, &req, &err, msg, sizeof(msg));
	if (!g->v)
		return -1;
	vgt_vgpu_slices(g->v, &g->s);
	guest_ram_init(&g->ram);
	if (guest_ram_add(&g->ram, 0, RAM) || guest_ram_attach(&g->ram, g->v))
		return -1;
	g->next_gpa = 4096;
	g->next_gm = g->s.hidden_base;
	rd(g->v, VGT_PVINFO_PAGE);	/* a PV-aware guest */
	return 0;
}

static struct vgt_host *new_host(void)
{
	struct vgt_gpu_desc d;

	vgt_gpu_desc_default(&d);
	return vgt_host_create(&d, NULL);
}

static void hsw_fini(struct hsw *g)
{
	vgt_vgpu_destroy(g->v);
	guest_ram_free(&g->ram);
}

TEST(pci_identity_beside_skylake, "H-32")
{
	struct vgt_host *h = new_host();
	struct vgt_vgpu_request req;
	struct vgt_vgpu *skl;
	const struct vgt_platform_info *p;
	struct hsw g;
	uint64_t ggtt;

	CHECK(vgt_type_parse("8", &req) == 0 && req.platform == VGT_PLATFORM_SKL, "plain type");
	CHECK(vgt_type_parse("hsw:8", &req) == 0 && req.platform == VGT_PLATFORM_HSW &&
	      (req.flags & VGT_REQ_PVINFO_1_0) && req.aperture == 64 * MIB &&
	      req.hidden == 384 * MIB && req.fences == 4, "hsw:8 is type 8 on Haswell, 1.0");
	CHECK(vgt_type_parse("skl:64/128/2", &req) == 0 && req.platform == VGT_PLATFORM_SKL,
	      "skl: custom");
	CHECK(vgt_type_parse("bdw:8", &req) == -EINVAL && vgt_type_parse("hsw:", &req) == -EINVAL &&
	      vgt_type_parse(":8", &req) == -EINVAL && vgt_type_parse("hsw:9", &req) == -EINVAL,
	      "bad prefixes and types refused");
	vgt_type_parse("8", &req);
	skl = vgt_vgpu_create(h, &req, NULL, NULL, 0);
	CHECK(hsw_init_on(&g, h) == 0 && skl, "both vGPUs created on one host");
	p = vgt_vgpu_platform(g.v);
	/* i915_pciids.h INTEL_HSW_GT2_IDS has 0x0412; BAR0 = GTTMMADR 4 MiB. */
	CHECK(p->device_id == 0x0412 && p->bar0_size == 4 * MIB && p->mmio_size == 2 * MIB &&
	      p->gsm_offset == 2 * MIB && p->pte_bytes == 4 && !p->execlists,
	      "HSW: 8086:%04x, BAR0 %llu MiB, GSM at %llu MiB", p->device_id,
	      (unsigned long long)(p->bar0_size / MIB), (unsigned long long)(p->gsm_offset / MIB));
	/* gen6_get_total_gtt_size: GGMS = bits 9:8 in MiB of 4-byte PTEs. */
	ggtt = (((uint64_t)p->gmch_ctrl >> 8) & 3) * MIB / 4 * 4096;
	CHECK(ggtt == 2048 * MIB && p->ggtt_size == ggtt && p->gsm_size == ggtt / 4096 * 4,
	      "GGC %#x gives %llu MiB of GGTT", p->gmch_ctrl, (unsigned long long)(ggtt / MIB));
	CHECK(g.s.hidden_base + g.s.hidden_size <= ggtt &&
	      g.s.aperture_base + g.s.aperture_size <= 256 * MIB, "slices inside the 2 GiB");
	p = vgt_vgpu_platform(skl);
	/* bdw_get_total_gtt_size: GGMS = bits 7:6, 1 << GGMS MiB of 8-byte PTEs. */
	ggtt = (1ULL << ((p->gmch_ctrl >> 6) & 3)) * MIB / 8 * 4096;
	CHECK(p->device_id == 0x1912 && p->bar0_size == 16 * MIB && p->gsm_offset == 8 * MIB &&
	      ggtt == 4096 * MIB && p->execlists, "SKL beside it unchanged");
	/* Each vGPU's GSM is where its platform puts it, and only there. */
	CHECK(wr(g.v, VGT_GSM_OFFSET, 0) == -EINVAL &&
	      vgt_vgpu_last_reason(g.v) == VGT_REASON_BAD_ACCESS, "no 8 MiB GSM on HSW");
	CHECK(vgt_mmio_write(skl, HSW_GSM_OFFSET + 0x1000, 4, 1) == -EINVAL &&
	      vgt_vgpu_last_reason(skl) == VGT_REASON_BAD_ACCESS, "2 MiB is not in SKL's BAR0 map");
	hsw_fini(&g);
	vgt_host_destroy(h);
}

TEST(hidden_slices_stay_below_2g, "H-32 H-33")
{
	struct vgt_gpu_desc d;
	struct vgt_host *h;
	struct vgt_vgpu_request req;
	struct vgt_vgpu *v[8];
	struct vgt_slices s;
	unsigned int i, n = 0;
	char msg[200];
	int err = 0;

	vgt_gpu_desc_default(&d);
	h = vgt_host_create(&d, NULL);
	/*
	 * Skylake vGPUs leave two holes in the hidden range [640 MiB, 4 GiB):
	 * 300 MiB below 2 GiB and 260 MiB above. Best fit alone would give a
	 * 256 MiB request the upper one; a Haswell vGPU must get the lower.
	 */
	{
		static const char *const skl[] = { "8/1108/1", "8/300/1", "8/4/1", "8/260/1",
						   "8/1784/1" };

		for (i = 0; i < 5; i++) {
			CHECK(vgt_type_parse(skl[i], &req) == 0, "type %s", skl[i]);
			v[n++] = vgt_vgpu_create(h, &req, &err, msg, sizeof(msg));
			CHECK(v[i] != NULL, "SKL %s: %s", skl[i], msg);
		}
		vgt_vgpu_destroy(v[1]);
		vgt_vgpu_destroy(v[3]);
	}
	vgt_type_parse("hsw:8/256/1", &req);
	v[n] = vgt_vgpu_create(h, &req, &err, msg, sizeof(msg));
	CHECK(v[n] != NULL, "a HSW 256 MiB hidden slice fits: %s", msg);
	if (v[n]) {
		vgt_vgpu_slices(v[n], &s);
		CHECK(s.hidden_base == 1748 * MIB && s.hidden_base + s.hidden_size <= 2048 * MIB,
		      "hidden [%llu MiB, +%llu MiB) below 2 GiB", (unsigned long long)(s.hidden_base / MIB),
		      (unsigned long long)(s.hidden_size / MIB));
		n++;
	}
	/* 44 MiB are left below 2 GiB, 260 MiB above: 100 MiB fits on SKL only. */
	vgt_type_parse("hsw:8/100/1", &req);
	CHECK(!vgt_vgpu_create(h, &req, &err, msg, sizeof(msg)) && err == -ENOSPC &&
	      strstr(msg, "hidden"), "a HSW 100 MiB does not fit below 2 GiB: %s", msg);
	vgt_type_parse("8/100/1", &req);
	CHECK((v[n] = vgt_vgpu_create(h, &req, &err, msg, sizeof(msg))) != NULL,
	      "a SKL 100 MiB does: %s", msg);
	vgt_type_parse("hsw:8/100/1", &req);
	req.flags = 0;
	CHECK(!vgt_vgpu_create(h, &req, &err, msg, sizeof(msg)) && err == -EINVAL &&
	      strstr(msg, "Haswell"), "a 1.1 HSW request is refused: %s", msg);
	vgt_host_destroy(h);
}

TEST(pvinfo_on_gen7, "H-33")
{
	struct vgt_host *h = new_host();
	struct hsw g;
	uint64_t magic = 0;

	CHECK(hsw_init_on(&g, h) == 0, "created");
	vgt_mmio_read(g.v, VGT_PVINFO_PAGE, 8, &magic);
	CHECK(magic == VGT_MAGIC, "magic %#llx", (unsigned long long)magic);
	CHECK((rd(g.v, VGT_PVINFO_PAGE + 8) & 0xffff) == 1 &&
	      rd(g.v, VGT_PVINFO_PAGE + 8) >> 16 == 0, "version 1.0");
	/* i915_driver_hw_probe: a PPGTT platform needs FULL_PPGTT; no execlists. */
	CHECK(rd(g.v, VGT_PVINFO_PAGE + vgtif_offset(vgt_caps)) == VGT_CAPS_FULL_PPGTT,
	      "caps %#llx", (unsigned long long)rd(g.v, VGT_PVINFO_PAGE + vgtif_offset(vgt_caps)));
	CHECK(rd(g.v, VGT_PVINFO_PAGE + vgtif_offset(avail_rs.mappable_gmadr.base)) ==
	      g.s.aperture_base &&
	      rd(g.v, VGT_PVINFO_PAGE + vgtif_offset(avail_rs.nonmappable_gmadr.base)) ==
	      g.s.hidden_base &&
	      rd(g.v, VGT_PVINFO_PAGE + vgtif_offset(avail_rs.nonmappable_gmadr.size)) ==
	      g.s.hidden_size &&
	      rd(g.v, VGT_PVINFO_PAGE + vgtif_offset(avail_rs.fence_num)) == 4,
	      "balloon figures are the slices");
	hsw_fini(&g);
	vgt_host_destroy(h);
}

TEST(ggtt_pte_encoding, "H-34 H-12")
{
	struct vgt_host *h = new_host();
	struct hsw g;
	uint64_t idx, gpa = 0x345000;
	uint32_t word = 0x600df00d, got = 0;

	CHECK(hsw_init_on(&g, h) == 0, "created");
	idx = g.s.aperture_base >> 12;
	guest_ram_store32(&g.ram, gpa + 0x10, word);
	CHECK(wr(g.v, HSW_GSM_OFFSET + 4 * idx, hsw_pte(gpa)) == 0, "PTE accepted");
	CHECK(rd(g.v, HSW_GSM_OFFSET + 4 * idx) == hsw_pte(gpa), "reads back as written");
	CHECK(vgt_aperture_read(g.v, g.s.aperture_base + 0x10, &got, 4) == 0, "aperture read");
	CHECK(got == word, "the aperture reads the frame the PTE names: %#x", got);
	/* Bits 10:4 are address bits 38:32: this frame is 4 GiB up, not guest RAM. */
	CHECK(wr(g.v, HSW_GSM_OFFSET + 4 * (idx + 1), (uint32_t)gpa | 1u << 4 | 1u) == -ERANGE &&
	      vgt_vgpu_last_reason(g.v) == VGT_REASON_PTE_FRAME, "frame above 4 GiB refused");
	CHECK(vgt_mmio_write(g.v, HSW_GSM_OFFSET + 4 * idx, 8, hsw_pte(gpa)) == -EINVAL &&
	      vgt_vgpu_last_reason(g.v) == VGT_REASON_PTE_SIZE, "an 8-byte PTE access refused");
	CHECK(wr(g.v, HSW_GSM_OFFSET + 4 * ((g.s.hidden_base + g.s.hidden_size) >> 12),
		 hsw_pte(gpa)) == -ERANGE &&
	      vgt_vgpu_last_reason(g.v) == VGT_REASON_PTE_OUTSIDE, "outside the slices refused");
	CHECK(wr(g.v, HSW_GSM_OFFSET + 4 * (idx + 2), 0) == 0, "a clear (scratch-less) PTE");
	hsw_fini(&g);
	vgt_host_destroy(h);
}

TEST(breadcrumbs_on_four_rings, "H-35")
{
	struct vgt_host *h = new_host();
	struct vgt_exec_stats st;
	struct hsw g;
	unsigned int e;

	CHECK(hsw_init_on(&g, h) == 0, "created");
	for (e = 0; e < 4; e++) {
		uint32_t seq = 0x100 + e, rcs[] = {
			/* gen7_emit_breadcrumb_rcs */
			GFX_OP_PIPE_CONTROL(4), PIPE_CONTROL_QW_WRITE | PIPE_CONTROL_GLOBAL_GTT_IVB |
			PIPE_CONTROL_CS_STALL, (uint32_t)g.hwsp[e] + HWS_SEQNO_ADDR, seq,
			MI_USER_INTERRUPT, MI_NOOP,
		}, xcs[] = {
			/* gen7_emit_breadcrumb_xcs (one of its store-index repeats) */
			MI_FLUSH_DW | MI_FLUSH_DW_OP_STOREDW | MI_FLUSH_DW_STORE_INDEX,
			HWS_SEQNO_ADDR | MI_FLUSH_DW_USE_GTT, seq,
			MI_STORE_DWORD_INDEX, HWS_SEQNO_ADDR + 4, seq,
			MI_FLUSH_DW, 0, 0, MI_USER_INTERRUPT, MI_NOOP,
		};

		ring_init(&g, e);
		if (e == 0) {
			rcs[2] = (uint32_t)g.hwsp[e] + HWS_SEQNO_ADDR;
			submit(&g, e, rcs, 6);
		} else {
			submit(&g, e, xcs, 11);
		}
		vgt_vgpu_exec_run(g.v, 0);
		CHECK(load(&g, gm_gpa(&g, g.hwsp[e] + HWS_SEQNO_ADDR)) == seq,
		      "%s: seqno %#x in the status page", engines[e].name,
		      load(&g, gm_gpa(&g, g.hwsp[e] + HWS_SEQNO_ADDR)));
		if (e)
			CHECK(load(&g, gm_gpa(&g, g.hwsp[e] + HWS_SEQNO_ADDR + 4)) == seq,
			      "%s: store-index", engines[e].name);
		CHECK(rd(g.v, engines[e].base + RING_HEAD) == g.tail[e] &&
		      (rd(g.v, engines[e].base + RING_MI_MODE) & MODE_IDLE),
		      "%s: head %#llx reached tail %#x, idle", engines[e].name,
		      (unsigned long long)rd(g.v, engines[e].base + RING_HEAD), g.tail[e]);
	}
	vgt_vgpu_exec_stats(g.v, &st, false);
	CHECK(st.submissions == 4 && st.user_irqs == 4 && st.ctx_switch_irqs == 0,
	      "4 tail kicks, 4 user interrupts, no context-switch events");
	/* A second request on RCS continues from the head: only the new part runs. */
	{
		uint32_t more[] = { MI_STORE_DWORD_INDEX, HWS_SEQNO_ADDR, 0x777 };

		submit(&g, 0, more, 3);
		vgt_vgpu_exec_run(g.v, 0);
		CHECK(load(&g, gm_gpa(&g, g.hwsp[0] + HWS_SEQNO_ADDR)) == 0x777 &&
		      rd(g.v, engines[0].base + RING_HEAD) == g.tail[0], "the next request");
	}
	hsw_fini(&g);
	vgt_host_destroy(h);
}

/*
 * The aliasing PPGTT as gen6_ppgtt.c lays it out: the directory's 512 PDEs
 * in the GSM slots of its own 2 MiB GGTT range (64 KiB aligned), a PT page
 * of 1024 HSW PTEs in guest RAM. Returns pp_dir for RING_PP_DIR_BASE.
 */
static uint32_t ppgtt_build(struct hsw *g, uint64_t va, uint64_t data_gpa, uint64_t *pd_gm)
{
	uint64_t pt = alloc_pages(g, 1);
	uint32_t ggtt_offset;

	g->next_gm = (g->next_gm + 0xffff) & ~0xffffULL;
	*pd_gm = g->next_gm;
	g->next_gm += 512 * 4096;
	ggtt_offset = (uint32_t)(*pd_gm >> 12);
	/* gen6_write_pde: GEN6_PDE_ADDR_ENCODE(pt) | GEN6_PDE_VALID */
	wr(g->v, HSW_GSM_OFFSET + 4 * (ggtt_offset + (va >> 22)), GEN6_PDE_ENCODE(pt) | 1u);
	guest_ram_store32(&g->ram, pt + 4 * ((va >> 12) & 0x3ff), hsw_pte(data_gpa));
	return ggtt_offset * 4 << 10;	/* pp_dir */
}

TEST(store_through_aliasing_ppgtt, "H-36")
{
	struct vgt_host *h = new_host();
	struct hsw g;
	uint64_t pd, pd2, data = 0, data2 = 0, va = 0x1234000;

	CHECK(hsw_init_on(&g, h) == 0, "created");
	data = alloc_pages(&g, 1);
	data2 = alloc_pages(&g, 1);
	ring_init(&g, 0);
	{
		uint32_t dir = ppgtt_build(&g, va, data, &pd), dir2 = ppgtt_build(&g, va, data2, &pd2);
		uint32_t cmds[] = {
			MI_STORE_DWORD_IMM_GEN4, 0, (uint32_t)va + 0x40, 0xabcd0001,
			/* switch_mm's load_pd_dir: the second directory from here on */
			MI_LOAD_REGISTER_IMM1, engines[0].base + RING_PP_DIR_BASE, dir2,
			MI_STORE_DWORD_IMM_GEN4, 0, (uint32_t)va + 0x40, 0xabcd0002,
		};

		/* set_pp_dir in xcs_resume */
		wr(g.v, engines[0].base + RING_PP_DIR_DCLV, PP_DIR_DCLV_2G);
		wr(g.v, engines[0].base + RING_PP_DIR_BASE, dir);
		submit(&g, 0, cmds, 11);
		vgt_vgpu_exec_run(g.v, 0);
		CHECK(load(&g, data + 0x40) == 0xabcd0001, "first PD: %#x", load(&g, data + 0x40));
		CHECK(load(&g, data2 + 0x40) == 0xabcd0002, "second PD after the LRI: %#x",
		      load(&g, data2 + 0x40));
		{
			char why[200];

			vgt_vgpu_last_hang(g.v, why, sizeof(why));
			CHECK(rd(g.v, engines[0].base + RING_HEAD) == g.tail[0], "ran to the tail (%s)",
			      why);
		}
	}
	/* A PPGTT address with no PDE faults: that ring hangs, nothing is written. */
	{
		struct vgt_exec_stats st;
		uint32_t bad[] = { MI_STORE_DWORD_IMM_GEN4, 0, 0x40000000, 1 };

		submit(&g, 0, bad, 4);
		vgt_vgpu_exec_run(g.v, 0);
		vgt_vgpu_exec_stats(g.v, &st, false);
		CHECK(st.hangs[VGT_HANG_FAULT] == 1, "unmapped PPGTT store: a fault hang");
	}
	hsw_fini(&g);
	vgt_host_destroy(h);
}

TEST(batch_buffer_start, "H-35 H-36")
{
	struct vgt_host *h = new_host();
	struct vgt_exec_stats st;
	struct hsw g;
	uint64_t batch_gpa, target_gpa, pd, data, va = 0x800000;
	uint64_t batch, target;

	CHECK(hsw_init_on(&g, h) == 0, "created");
	ring_init(&g, 0);
	batch = bind(&g, 1, &batch_gpa);
	target = bind(&g, 1, &target_gpa);
	{
		/* a secure (GGTT) batch, as the command parser's shadow runs */
		uint32_t b[] = {
			MI_STORE_DWORD_IMM_GEN4 | MI_USE_GGTT, 0, (uint32_t)target + 8, 0x5eed,
			MI_BATCH_BUFFER_END,
		};
		uint32_t ring[] = { MI_BATCH_BUFFER_START, (uint32_t)batch };
		unsigned int i;

		for (i = 0; i < 5; i++)
			guest_ram_store32(&g.ram, batch_gpa + 4 * i, b[i]);
		submit(&g, 0, ring, 2);
		vgt_vgpu_exec_run(g.v, 0);
		CHECK(load(&g, target_gpa + 8) == 0x5eed, "GGTT batch stored %#x",
		      load(&g, target_gpa + 8));
	}
	{
		/* a user batch in the PPGTT (hsw_emit_bb_start without SECURE) */
		uint64_t bgpa = alloc_pages(&g, 1);
		uint32_t dir;
		uint32_t b[] = { MI_STORE_DWORD_IMM_GEN4, 0, (uint32_t)va + 0x804, 0xfeed,
				 MI_BATCH_BUFFER_END };
		uint32_t ring[] = {
			MI_BATCH_BUFFER_START | MI_BATCH_PPGTT_HSW | MI_BATCH_NON_SECURE_HSW,
			(uint32_t)va + 0x1000,
		};
		unsigned int i;

		data = alloc_pages(&g, 1);
		dir = ppgtt_build(&g, va, data, &pd);
		/* the batch page at va + 4 KiB, in the same PT */
		{
			uint64_t pde = vgt_vgpu_shadow_pte(g.v, (pd >> 12) + (va >> 22));
			uint64_t pt = (pde & 0xfffff000) | (pde & 0xff0) << 28;

			guest_ram_store32(&g.ram, pt + 4 * (((va + 0x1000) >> 12) & 0x3ff),
					  hsw_pte(bgpa));
		}
		for (i = 0; i < 5; i++)
			guest_ram_store32(&g.ram, bgpa + 4 * i, b[i]);
		wr(g.v, engines[0].base + RING_PP_DIR_BASE, dir);
		submit(&g, 0, ring, 2);
		vgt_vgpu_exec_run(g.v, 0);
		CHECK(load(&g, data + 0x804) == 0xfeed, "PPGTT batch stored %#x",
		      load(&g, data + 0x804));
	}
	{
		/*
		 * A command across the executor's first 1024-dword copy (6.1's
		 * gen7 clear-residuals batch is ~1 K dwords of MEDIA_OBJECTs).
		 */
		uint64_t big_gpa, big = bind(&g, 2, &big_gpa);
		uint32_t ring[] = { MI_BATCH_BUFFER_START, (uint32_t)big };
		uint32_t tail[] = { MI_STORE_DWORD_IMM_GEN4 | MI_USE_GGTT, 0, (uint32_t)target + 12,
				    0xb16, MI_BATCH_BUFFER_END };
		unsigned int i;

		for (i = 0; i < 1022; i++)
			guest_ram_store32(&g.ram, big_gpa + 4 * i, MI_NOOP);
		for (i = 0; i < 5; i++)
			guest_ram_store32(&g.ram, big_gpa + 4 * (1022 + i), tail[i]);
		submit(&g, 0, ring, 2);
		vgt_vgpu_exec_run(g.v, 0);
		CHECK(load(&g, target_gpa + 12) == 0xb16, "a store across dword 1024 ran: %#x",
		      load(&g, target_gpa + 12));
	}
	vgt_vgpu_exec_stats(g.v, &st, false);
	CHECK(st.batches == 3 && !st.hangs[VGT_HANG_AUDIT] && !st.hangs[VGT_HANG_FAULT],
	      "three batches, no hang");
	hsw_fini(&g);
	vgt_host_destroy(h);
}

TEST(audit_refuses_foreign_ggtt_store, "H-37 H-20")
{
	struct vgt_host *h = new_host();
	struct vgt_exec_stats st;
	struct hsw a, b;
	uint64_t victim_gpa, victim;

	CHECK(hsw_init_on(&a, h) == 0 && hsw_init_on(&b, h) == 0, "two HSW vGPUs");
	victim = bind(&b, 1, &victim_gpa);
	guest_ram_store32(&b.ram, victim_gpa, 0x11111111);
	ring_init(&a, 0);
	{
		uint32_t evil[] = { MI_STORE_DWORD_IMM_GEN4 | MI_USE_GGTT, 0, (uint32_t)victim,
				    0xbad };
		uint32_t good[] = { MI_STORE_DWORD_INDEX, HWS_SEQNO_ADDR, 0x600d };

		submit(&a, 0, evil, 4);
		vgt_vgpu_exec_run(a.v, 0);
		vgt_vgpu_exec_stats(a.v, &st, false);
		CHECK(st.hangs[VGT_HANG_AUDIT] == 1 && st.audit[VGT_AUDIT_OUTSIDE_SLICE] == 1,
		      "refused by the audit (outside-slice)");
		CHECK(load(&b, victim_gpa) == 0x11111111, "the other vGPU's page untouched");
		CHECK(rd(a.v, engines[0].base + RING_HEAD) == 0, "head stays at the refused command");
		/* i915's reset (GDRST render domain), a fresh ring, then work again */
		wr(a.v, GEN6_GDRST, 1u << 1);
		ring_init(&a, 0);
		submit(&a, 0, good, 3);
		vgt_vgpu_exec_run(a.v, 0);
		CHECK(load(&a, gm_gpa(&a, a.hwsp[0] + HWS_SEQNO_ADDR)) == 0x600d,
		      "after the reset the ring runs");
	}
	hsw_fini(&a);
	hsw_fini(&b);
	vgt_host_destroy(h);
}

TEST(gen7_command_forms, "H-37")
{
	static const uint32_t bbs[] = { MI_BATCH_BUFFER_START | MI_BATCH_PPGTT_HSW, 0x10000 };
	static const uint32_t sem[] = { MI(0x1c, 2), 0, 0x1000, 0 };
	static const uint32_t ctx[] = { MI(0x18, 0), 0x40000000 | 0x10d };
	static const uint32_t pc[] = { GFX_OP_PIPE_CONTROL(4),
				       PIPE_CONTROL_QW_WRITE | PIPE_CONTROL_GLOBAL_GTT_IVB,
				       0x20000, 7 };
	struct vgt_cmd_operand o[VGT_CMD_MAX_OPERANDS];
	struct vgt_audit_ctx ac = { .mappable_base = 0x100000, .mappable_size = 0x100000,
				    .platform = VGT_PLATFORM_HSW };
	struct vgt_audit_result res;
	struct vgt_cmd c;

	/* hsw_emit_bb_start: 2 dwords; gen9 wants 3 */
	CHECK(vgt_cmd_decode_on(VGT_PLATFORM_HSW, VGT_RCS, bbs, 2, &c) == VGT_DECODE_OK &&
	      c.len == 2 && vgt_cmd_operands(VGT_RCS, &c, bbs, o) == 1 &&
	      o[0].as == VGT_AS_PPGTT && o[0].addr == 0x10000, "HSW batch start");
	CHECK(vgt_cmd_decode(VGT_RCS, bbs, 2, &c) == VGT_DECODE_BAD_LENGTH, "not a gen9 one");
	/* gen7_renderstate.c's 3DSTATE_MULTISAMPLE (gen8 moved it to 0x780d) */
	{
		static const uint32_t ms[] = { 0x790d0002, 0, 0, 0 };

		CHECK(vgt_cmd_decode_on(VGT_PLATFORM_HSW, VGT_RCS, ms, 4, &c) == VGT_DECODE_OK &&
		      c.len == 4 && vgt_cmd_decode(VGT_RCS, ms, 4, &c) == VGT_DECODE_UNKNOWN,
		      "gen7 3DSTATE_MULTISAMPLE");
	}
	CHECK(vgt_cmd_decode_on(VGT_PLATFORM_HSW, VGT_RCS, sem, 4, &c) == VGT_DECODE_UNKNOWN &&
	      vgt_cmd_decode(VGT_RCS, sem, 4, &c) == VGT_DECODE_OK,
	      "MI_SEMAPHORE_WAIT is gen8+");
	CHECK(vgt_cmd_decode_on(VGT_PLATFORM_HSW, VGT_RCS, ctx, 2, &c) == VGT_DECODE_OK &&
	      vgt_cmd_operands(VGT_RCS, &c, ctx, o) == 1 && o[0].as == VGT_AS_GGTT &&
	      o[0].addr == 0x40000000 && o[0].size == 4096 &&
	      vgt_cmd_decode_on(VGT_PLATFORM_HSW, VGT_BCS, ctx, 2, &c) == VGT_DECODE_UNKNOWN,
	      "MI_SET_CONTEXT: RCS only, its image a GGTT operand");
	/* gen7_emit_breadcrumb_rcs' PIPE_CONTROL: 4 dwords, address in dw2, data dw3 */
	CHECK(vgt_cmd_decode_on(VGT_PLATFORM_HSW, VGT_RCS, pc, 4, &c) == VGT_DECODE_OK &&
	      vgt_cmd_operands(VGT_RCS, &c, pc, o) == 1 && o[0].as == VGT_AS_GGTT &&
	      o[0].addr == 0x20000 && o[0].size == 4 && o[0].data == 3 &&
	      vgt_cmd_decode(VGT_RCS, pc, 4, &c) == VGT_DECODE_BAD_LENGTH,
	      "gen7 PIPE_CONTROL post-sync");
	CHECK(vgt_audit(&ac, ctx, 2, &res) == -EACCES && res.reason == VGT_AUDIT_OUTSIDE_SLICE &&
	      res.addr == 0x40000000,
	      "an MI_SET_CONTEXT image outside the slices refused");
	ac.buffer = VGT_AUDIT_RING;
	{
		uint32_t lri[] = { MI_LOAD_REGISTER_IMM1, 0x2000 + RING_PP_DIR_BASE, 0x10000 };

		CHECK(vgt_audit(&ac, lri, 3, &res) == 0, "HSW ring loads PP_DIR_BASE");
		ac.platform = VGT_PLATFORM_SKL;
		CHECK(vgt_audit(&ac, lri, 3, &res) == -EACCES && res.reason == VGT_AUDIT_REGISTER,
		      "a gen9 stream may not");
	}
}

TEST(gen7_interrupts, "H-38")
{
	struct vgt_host *h = new_host();
	struct hsw g;
	unsigned int e;
	unsigned long msis;

	CHECK(hsw_init_on(&g, h) == 0, "created");
	CHECK(rd(g.v, GTIMR) == 0xffffffff && rd(g.v, GEN6_PMIMR) == 0xffffffff &&
	      rd(g.v, DEIMR) == 0xffffffff, "banks masked at reset");
	CHECK(rd(g.v, FUSE_STRAP) & ILK_INTERNAL_DISPLAY_DISABLE, "display fused off");
	/* ilk_irq_reset writes all ones to clear; gen3_assert_iir_is_zero follows */
	wr(g.v, EDP_PSR_IIR, ~0u);
	wr(g.v, GEN7_ERR_INT, ~0u);
	CHECK(rd(g.v, EDP_PSR_IIR) == 0 && rd(g.v, GEN7_ERR_INT) == 0, "W1C: all ones clear");
	/* gen5_gt_irq_postinstall / ilk_irq_postinstall: user interrupts, master */
	wr(g.v, GTIER, 1u << 0 | 1u << 12 | 1u << 22);
	wr(g.v, GTIMR, ~(1u << 0 | 1u << 12 | 1u << 22));
	wr(g.v, GEN6_PMIER, 1u << 10);
	wr(g.v, GEN6_PMIMR, ~(1u << 10));
	wr(g.v, DEIER, DE_MASTER_IRQ_CONTROL);
	for (e = 0; e < 4; e++) {
		uint32_t ui[] = { MI_USER_INTERRUPT, MI_NOOP };

		ring_init(&g, e);
		msis = g.ram.irqs;
		submit(&g, e, ui, 2);
		vgt_vgpu_exec_run(g.v, 0);
		CHECK(rd(g.v, engines[e].irq_reg) == engines[e].irq_bit && g.ram.irqs == msis + 1,
		      "%s: IIR %#llx, one MSI", engines[e].name,
		      (unsigned long long)rd(g.v, engines[e].irq_reg));
		/* ilk_irq_handler: master off, ack, master on: no new MSI */
		wr(g.v, DEIER, 0);
		wr(g.v, engines[e].irq_reg, engines[e].irq_bit);
		wr(g.v, DEIER, DE_MASTER_IRQ_CONTROL);
		CHECK(rd(g.v, engines[e].irq_reg) == 0 && g.ram.irqs == msis + 1,
		      "%s: acked, no second MSI", engines[e].name);
	}
	/* An event while the master is off: the re-enable is the edge. */
	{
		uint32_t ui[] = { MI_USER_INTERRUPT, MI_NOOP };

		wr(g.v, DEIER, 0);
		msis = g.ram.irqs;
		submit(&g, 0, ui, 2);
		vgt_vgpu_exec_run(g.v, 0);
		CHECK(g.ram.irqs == msis, "no MSI with the master off");
		wr(g.v, DEIER, DE_MASTER_IRQ_CONTROL);
		CHECK(g.ram.irqs == msis + 1, "the master's return raises it");
		wr(g.v, GTIIR, 1);
		/* masked in GTIMR: not latched at all */
		wr(g.v, GTIMR, ~0u);
		submit(&g, 0, ui, 2);
		vgt_vgpu_exec_run(g.v, 0);
		CHECK(rd(g.v, GTIIR) == 0 && g.ram.irqs == msis + 1, "masked: nothing");
	}
	hsw_fini(&g);
	vgt_host_destroy(h);
}

/*
 * The gen7 2D forms IGT and the 6.1 selftests emit before gen8 (IGT's
 * lib/intel_blt.c, gen < 8): XY_SRC_COPY_BLT of 8 dwords with 32-bit
 * addresses in dwords 4 and 7. Decoded, audited and executed by the gen8
 * code after vgt_cmd_blt_gen8() widens it; the result is judged against a
 * rectangle copy computed here, pixel by pixel.
 */
#define XY_SRC_COPY_GEN7	((2u << 29) | (0x53u << 22) | (3u << 20) | 6)
#define XY_FAST_COPY		((2u << 29) | (0x42u << 22) | 8)
#define BR13_8888_SRCCOPY	(3u << 24 | 0xccu << 16)

TEST(gen7_blits, "H-32 H-37")
{
	struct vgt_host *h = new_host();
	struct vgt_cmd_operand o[VGT_CMD_MAX_OPERANDS], o8[VGT_CMD_MAX_OPERANDS];
	uint32_t wide[VGT_CMD_BLT_MAX_DWORDS], fast[10] = { XY_FAST_COPY };
	const uint32_t *w;
	struct vgt_exec_stats st;
	uint64_t src_gpa, dst_gpa, src, dst;
	unsigned int len, i, bad = 0;
	struct vgt_cmd c, c8;
	struct hsw g;

	CHECK(hsw_init_on(&g, h) == 0, "created");
	/* detect_bit_6_swizzle: channels of unequal DIMMs, no swizzled tiles */
	CHECK((rd(g.v, MAD_DIMM_C0) & 0xffff) != (rd(g.v, MAD_DIMM_C1) & 0xffff),
	      "one populated channel: the guest expects unswizzled X and Y tiles");
	src = bind(&g, 1, &src_gpa);
	dst = bind(&g, 1, &dst_gpa);
	{
		/* dst (4, 2)-(20, 6) from src (8, 1): 16 x 4 pixels, pitch 256 bytes */
		uint32_t blt[] = {
			XY_SRC_COPY_GEN7, BR13_8888_SRCCOPY | 256, 2u << 16 | 4, 6u << 16 | 20,
			(uint32_t)dst, 1u << 16 | 8, 256, (uint32_t)src,
			MI_FLUSH_DW, 0, 0,
		};

		CHECK(vgt_cmd_decode_on(VGT_PLATFORM_HSW, VGT_BCS, blt, 8, &c) == VGT_DECODE_OK &&
		      c.len == 8 && vgt_cmd_decode(VGT_BCS, blt, 8, &c8) == VGT_DECODE_BAD_LENGTH,
		      "8 dwords on gen7, not on gen9");
		w = vgt_cmd_blt_gen8(&c, blt, wide, &len);
		CHECK(w == wide && len == 10 && (w[0] & 0xff) == 8 && w[4] == (uint32_t)dst &&
		      w[5] == 0 && w[6] == blt[5] && w[7] == 256 && w[8] == (uint32_t)src &&
		      w[9] == 0, "widened to the gen8 layout");
		/* The operands are those of the same blit in its gen8 form on gen9. */
		CHECK(vgt_cmd_decode(VGT_BCS, w, len, &c8) == VGT_DECODE_OK &&
		      vgt_cmd_operands(VGT_BCS, &c, blt, o) == 2 &&
		      vgt_cmd_operands(VGT_BCS, &c8, w, o8) == 2 &&
		      o[0].addr == o8[0].addr && o[0].size == o8[0].size && o[0].write &&
		      o[1].addr == o8[1].addr && o[1].size == o8[1].size && o[1].read &&
		      o[0].addr >= dst && o[0].addr + o[0].size <= dst + 4096 &&
		      o[1].addr >= src && o[1].addr + o[1].size <= src + 4096,
		      "dst and src operands inside their pages");
		CHECK(vgt_cmd_decode_on(VGT_PLATFORM_HSW, VGT_BCS, w, len, &c8) ==
		      VGT_DECODE_BAD_LENGTH, "the gen8 form is not a gen7 command");
		CHECK(vgt_cmd_decode_on(VGT_PLATFORM_HSW, VGT_BCS, fast, 10, &c8) ==
		      VGT_DECODE_UNKNOWN, "XY_FAST_COPY_BLT is gen9+");

		for (i = 0; i < 1024; i++) {
			guest_ram_store32(&g.ram, src_gpa + 4 * i, 0xa0000000u | i);
			guest_ram_store32(&g.ram, dst_gpa + 4 * i, 0x55555555u);
		}
		ring_init(&g, VGT_BCS);
		submit(&g, VGT_BCS, blt, sizeof(blt) / sizeof(blt[0]));
		vgt_vgpu_exec_run(g.v, 0);
	}
	for (i = 0; i < 1024; i++) {
		unsigned int x = i % 64, y = i / 64;
		uint32_t want = x >= 4 && x < 20 && y >= 2 && y < 6 ?
				0xa0000000u | ((y - 2 + 1) * 64 + (x - 4 + 8)) : 0x55555555u;

		bad += load(&g, dst_gpa + 4 * i) != want;
	}
	vgt_vgpu_exec_stats(g.v, &st, false);
	CHECK(bad == 0 && st.blits == 1,
	      "the rectangle copied, nothing else written: %u wrong pixels, %llu blits",
	      bad, (unsigned long long)st.blits);
	CHECK(rd(g.v, engines[VGT_BCS].base + RING_HEAD) == g.tail[VGT_BCS], "ring consumed");
	hsw_fini(&g);
	vgt_host_destroy(h);
}

VGT_TEST_MAIN()

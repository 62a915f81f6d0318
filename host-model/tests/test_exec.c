// SPDX-License-Identifier: MIT
/*
 * The executor as a 6.1 guest drives it (exec_guest.h builds contexts,
 * rings and a PPGTT in guest RAM the way intel_lrc.c and gen8_ppgtt.c do):
 * a store on every engine through the PPGTT and the GGTT, read back from
 * the guest's RAM directly; the CSB sequence process_csb expects for one
 * and two elements and for a lite restore; the head written back to the
 * image; interrupts through IIR/IMR/IER and the master control, MSI edges
 * counted at the transport; a GGTT store outside the slices refused by the
 * audit, hanging that context only; engine reset; a spinner that runs
 * until the guest ends it.
 */
#include <stdio.h>

#include "exec_guest.h"

#include "vgt_test.h"

#define VA_BATCH	0x100000ULL	/* PPGTT addresses of the test objects */
#define VA_DATA		0x200000ULL

static void store_ggtt(uint32_t *p, uint64_t gm, uint32_t val)
{
	p[0] = EG_MI_STORE_DWORD_IMM | EG_MI_USE_GGTT;
	p[1] = (uint32_t)gm;
	p[2] = (uint32_t)(gm >> 32);
	p[3] = val;
}

static void store_ppgtt(uint32_t *p, uint64_t va, uint32_t val)
{
	p[0] = EG_MI_STORE_DWORD_IMM;
	p[1] = (uint32_t)va;
	p[2] = (uint32_t)(va >> 32);
	p[3] = val;
}

static void bb_start_ppgtt(uint32_t *p, uint64_t va)
{
	p[0] = EG_MI_BB_START | EG_MI_BB_PPGTT;
	p[1] = (uint32_t)va;
	p[2] = (uint32_t)(va >> 32);
}

TEST(store_on_every_engine, "H-14 H-18 H-22")
{
	static const char *const names[] = { "rcs", "bcs", "vcs", "vecs" };
	struct exec_guest g;
	unsigned int e;

	CHECK(exec_guest_init(&g) == 0, "guest");
	eg_enable_irqs(&g);
	for (e = 0; e < VGT_ENGINE_NR; e++) {
		struct eg_ctx c;
		uint64_t target_gpa, bb_gpa, data_gpa, csb;
		uint64_t gm = eg_bind(&g, 1, &target_gpa);
		uint64_t va_bb = VA_BATCH + e * 0x10000, va_data = VA_DATA + e * 0x10000;
		uint32_t ring[12], *bb;
		unsigned long irqs = g.ram.irqs;

		eg_ctx_init(&g, &c, 0x10 + e);
		bb_gpa = eg_ppgtt_alloc(&g, va_bb, 1);
		data_gpa = eg_ppgtt_alloc(&g, va_data, 1);
		bb = eg_ptr(&g, bb_gpa);
		store_ppgtt(bb, va_data + 8, 0xc0ffee00 + e);
		bb[4] = EG_MI_BB_END;
		/* As 6.1 emits a request: init breadcrumb (GGTT), batch, fini. */
		store_ggtt(ring, gm, 0xa0 + e);
		bb_start_ppgtt(ring + 4, va_bb);
		ring[7] = EG_MI_USER_INTERRUPT;
		ring[8] = EG_MI_ARB_CHECK;
		ring[9] = EG_MI_NOOP;
		eg_emit(&g, &c, ring, 10);
		eg_submit(&g, e, &c, NULL);
		CHECK(vgt_vgpu_exec_run(g.v, 0) == 7, "%s: 7 commands ran", names[e]);
		CHECK(*(uint32_t *)eg_ptr(&g, target_gpa) == 0xa0 + e,
		      "%s: GGTT store landed in guest RAM", names[e]);
		CHECK(*(uint32_t *)eg_ptr(&g, data_gpa + 8) == 0xc0ffee00 + e,
		      "%s: PPGTT store from the batch landed: %#x", names[e],
		      *(uint32_t *)eg_ptr(&g, data_gpa + 8));
		csb = eg_csb_next(&g, e);
		CHECK((uint32_t)csb == GEN8_CTX_STATUS_IDLE_ACTIVE && csb >> 32 == c.id,
		      "%s: first event IDLE_ACTIVE: %#llx", names[e], (unsigned long long)csb);
		csb = eg_csb_next(&g, e);
		CHECK((uint32_t)csb == (GEN8_CTX_STATUS_COMPLETE | GEN8_CTX_STATUS_ACTIVE_IDLE),
		      "%s: then COMPLETE|ACTIVE_IDLE: %#llx", names[e], (unsigned long long)csb);
		CHECK(eg_csb_next(&g, e) == 0, "%s: two events in all", names[e]);
		CHECK(eg_ctx_regs(&g, &c)[CTX_RING_HEAD] == c.tail,
		      "%s: head written back to the image: %#x", names[e], eg_ctx_regs(&g, &c)[CTX_RING_HEAD]);
		CHECK(g.ram.irqs > irqs, "%s: an MSI was raised", names[e]);
		eg_ack_irqs(&g);
	}
	exec_guest_fini(&g);
}

/* GEN8_GT_IIR bits of engine e (bank, shift), as gen8_gt_irq_handler reads. */
static uint32_t iir_bits(struct exec_guest *g, enum vgt_engine_id e)
{
	static const unsigned int bank[] = { 0, 0, 1, 3 }, shift[] = { 0, 16, 0, 0 };

	return (uint32_t)(eg_rd(g, GEN8_GT_IIR(bank[e])) >> shift[e]) & 0xffff;
}

TEST(interrupts_follow_imr_ier_master, "H-22")
{
	struct exec_guest g;
	struct eg_ctx c;
	uint32_t ring[2] = { EG_MI_USER_INTERRUPT, EG_MI_NOOP };
	unsigned long irqs;

	CHECK(exec_guest_init(&g) == 0, "guest");
	eg_enable_irqs(&g);
	/* Mask the user interrupt of BCS: only the context switch latches. */
	eg_wr(&g, GEN8_GT_IMR(0), ~(uint32_t)(GT_CONTEXT_SWITCH_INTERRUPT << 16));
	eg_ctx_init(&g, &c, 1);
	eg_emit(&g, &c, ring, 2);
	irqs = g.ram.irqs;
	eg_submit(&g, VGT_BCS, &c, NULL);
	CHECK(iir_bits(&g, VGT_BCS) == GT_CONTEXT_SWITCH_INTERRUPT,
	      "ELSP at once reports the switch to active: IIR %#x", iir_bits(&g, VGT_BCS));
	CHECK(g.ram.irqs == irqs + 1, "one MSI for it");
	CHECK(eg_rd(&g, GEN8_MASTER_IRQ) == (GEN8_MASTER_IRQ_CONTROL | 1u << 1),
	      "master shows BCS: %#llx", (unsigned long long)eg_rd(&g, GEN8_MASTER_IRQ));
	/* The handler: master off, run meanwhile, ack, master on -> a new edge. */
	eg_wr(&g, GEN8_MASTER_IRQ, 0);
	vgt_vgpu_exec_run(g.v, 0);
	CHECK(g.ram.irqs == irqs + 1, "no MSI while the master is off");
	eg_wr(&g, GEN8_GT_IIR(0), GT_CONTEXT_SWITCH_INTERRUPT << 16);
	CHECK(iir_bits(&g, VGT_BCS) == 0, "acked (the completion latched into the same bit)");
	eg_wr(&g, GEN8_MASTER_IRQ, GEN8_MASTER_IRQ_CONTROL);
	CHECK(g.ram.irqs == irqs + 1, "nothing pending after the ack: no MSI");
	/* Unmask user interrupts and run again: user + switch, one edge. */
	eg_wr(&g, GEN8_GT_IMR(0), 0);
	eg_emit(&g, &c, ring, 2);
	eg_submit(&g, VGT_BCS, &c, NULL);
	vgt_vgpu_exec_run(g.v, 0);
	CHECK(iir_bits(&g, VGT_BCS) == (GT_CONTEXT_SWITCH_INTERRUPT | GT_RENDER_USER_INTERRUPT),
	      "user and switch latched: %#x", iir_bits(&g, VGT_BCS));
	CHECK(g.ram.irqs == irqs + 2, "one more MSI: %lu", g.ram.irqs - irqs);
	CHECK(iir_bits(&g, VGT_RCS) == 0, "RCS saw nothing");
	exec_guest_fini(&g);
}

TEST(two_elements_and_lite_restore, "H-22")
{
	struct exec_guest g;
	struct eg_ctx a, b;
	uint64_t gpa_a, gpa_b, gm_a = 0, gm_b = 0, csb;
	uint32_t ring[4];

	CHECK(exec_guest_init(&g) == 0, "guest");
	gm_a = eg_bind(&g, 1, &gpa_a);
	gm_b = eg_bind(&g, 1, &gpa_b);
	eg_ctx_init(&g, &a, 0xa);
	eg_ctx_init(&g, &b, 0xb);
	store_ggtt(ring, gm_a, 1);
	eg_emit(&g, &a, ring, 4);
	store_ggtt(ring, gm_b, 2);
	eg_emit(&g, &b, ring, 4);
	eg_submit(&g, VGT_RCS, &a, &b);
	/* Before it ran, 6.1 resubmits a with a new tail: a lite restore. */
	store_ggtt(ring, gm_a + 4, 3);
	eg_emit(&g, &a, ring, 4);
	eg_submit(&g, VGT_RCS, &a, &b);
	vgt_vgpu_exec_run(g.v, 0);
	CHECK(*(uint32_t *)eg_ptr(&g, gpa_a) == 1 && *(uint32_t *)eg_ptr(&g, gpa_a + 4) == 3 &&
	      *(uint32_t *)eg_ptr(&g, gpa_b) == 2, "both contexts ran, a with its new tail");
	csb = eg_csb_next(&g, VGT_RCS);
	CHECK((uint32_t)csb == GEN8_CTX_STATUS_IDLE_ACTIVE, "IDLE_ACTIVE: %#llx", (unsigned long long)csb);
	csb = eg_csb_next(&g, VGT_RCS);
	CHECK((uint32_t)csb == (GEN8_CTX_STATUS_PREEMPTED | GEN8_CTX_STATUS_LITE_RESTORE) &&
	      csb >> 32 == a.id, "PREEMPTED|LITE_RESTORE: %#llx", (unsigned long long)csb);
	csb = eg_csb_next(&g, VGT_RCS);
	CHECK((uint32_t)csb == GEN8_CTX_STATUS_ELEMENT_SWITCH && csb >> 32 == a.id,
	      "ELEMENT_SWITCH away from a: %#llx", (unsigned long long)csb);
	csb = eg_csb_next(&g, VGT_RCS);
	CHECK((uint32_t)csb == (GEN8_CTX_STATUS_COMPLETE | GEN8_CTX_STATUS_ACTIVE_IDLE) &&
	      csb >> 32 == b.id, "COMPLETE|ACTIVE_IDLE of b: %#llx", (unsigned long long)csb);
	CHECK(eg_csb_next(&g, VGT_RCS) == 0, "four events in all");
	/* The CSB wraps after six entries: entries 4, 5, then 0 again. */
	store_ggtt(ring, gm_b, 10);
	eg_emit(&g, &b, ring, 4);
	eg_submit(&g, VGT_RCS, &b, NULL);
	vgt_vgpu_exec_run(g.v, 0);
	CHECK((uint32_t)eg_csb_next(&g, VGT_RCS) == GEN8_CTX_STATUS_IDLE_ACTIVE &&
	      g.csb_head[VGT_RCS] == 4, "entry 4");
	CHECK((uint32_t)eg_csb_next(&g, VGT_RCS) ==
	      (GEN8_CTX_STATUS_COMPLETE | GEN8_CTX_STATUS_ACTIVE_IDLE) &&
	      g.csb_head[VGT_RCS] == 5, "entry 5");
	eg_submit(&g, VGT_RCS, &b, NULL);
	CHECK((uint32_t)eg_csb_next(&g, VGT_RCS) == GEN8_CTX_STATUS_IDLE_ACTIVE &&
	      g.csb_head[VGT_RCS] == 0, "wrapped to entry 0");
	CHECK((eg_rd(&g, RENDER_RING_BASE + RING_CONTEXT_STATUS_PTR) & 7) == 0,
	      "write pointer register follows: %#llx",
	      (unsigned long long)eg_rd(&g, RENDER_RING_BASE + RING_CONTEXT_STATUS_PTR));
	exec_guest_fini(&g);
}

TEST(foreign_store_hangs_that_context_only, "H-14 H-17 H-18 H-20")
{
	struct exec_guest g;
	struct eg_ctx bad, good;
	struct vgt_exec_stats st;
	uint64_t gpa_ok, gm_ok, csb;
	uint32_t ring[4];
	char line[256];
	struct vgt_slices other;
	struct vgt_vgpu_request req;
	struct vgt_vgpu *w;

	CHECK(exec_guest_init(&g) == 0, "guest");
	vgt_type_parse("8", &req);
	w = vgt_vgpu_create(g.host, &req, NULL, NULL, 0);
	vgt_vgpu_slices(w, &other);
	gm_ok = eg_bind(&g, 1, &gpa_ok);
	eg_ctx_init(&g, &bad, 1);
	eg_ctx_init(&g, &good, 2);
	/* A store into the other vGPU's hidden slice. */
	store_ggtt(ring, other.hidden_base + 0x1000, 0xbad);
	eg_emit(&g, &bad, ring, 4);
	eg_submit(&g, VGT_RCS, &bad, NULL);
	vgt_vgpu_exec_run(g.v, 0);
	vgt_vgpu_exec_stats(g.v, &st, false);
	CHECK(st.hangs[VGT_HANG_AUDIT] == 1 && st.audit[VGT_AUDIT_OUTSIDE_SLICE] == 1,
	      "refused by the audit as outside-slice: hangs %llu",
	      (unsigned long long)st.hangs[VGT_HANG_AUDIT]);
	vgt_vgpu_last_hang(g.v, line, sizeof(line));
	CHECK(strstr(line, "rcs") && strstr(line, "outside-slice"), "hang line: %s", line);
	CHECK(st.commands == 0, "nothing of it ran: %llu commands", (unsigned long long)st.commands);
	CHECK((uint32_t)eg_csb_next(&g, VGT_RCS) == GEN8_CTX_STATUS_IDLE_ACTIVE &&
	      eg_csb_next(&g, VGT_RCS) == 0, "the hung context never completes");
	/* A hung engine takes no new submission (i915 resubmits, then resets). */
	store_ggtt(ring, gm_ok + 8, 0x77);
	eg_emit(&g, &good, ring, 4);
	eg_submit(&g, VGT_RCS, &bad, &good);
	vgt_vgpu_exec_run(g.v, 0);
	CHECK(*(uint32_t *)eg_ptr(&g, gpa_ok + 8) == 0 && eg_csb_next(&g, VGT_RCS) == 0,
	      "resubmission to the hung engine: nothing ran, no event");
	CHECK(eg_rd(&g, RENDER_RING_BASE + RING_HEAD) == 0,
	      "the head names the refused command: %#llx",
	      (unsigned long long)eg_rd(&g, RENDER_RING_BASE + RING_HEAD));
	/* Another engine of the same vGPU goes on. */
	store_ggtt(ring, gm_ok, 0x600d);
	eg_emit(&g, &good, ring, 4);
	eg_submit(&g, VGT_BCS, &good, NULL);
	vgt_vgpu_exec_run(g.v, 0);
	CHECK(*(uint32_t *)eg_ptr(&g, gpa_ok) == 0x600d, "BCS still runs");
	/* i915's recovery: reset the render engine, then it runs again. */
	eg_wr(&g, GEN6_GDRST, 1u << 1);
	CHECK(eg_rd(&g, GEN6_GDRST) == 0, "GDRST self-clears");
	eg_wr(&g, RENDER_RING_BASE + RING_CONTEXT_STATUS_PTR, 0xffffu << 16 | 5 << 8 | 5);
	((uint32_t *)eg_gm_ptr(&g, g.hwsp[VGT_RCS]))[I915_HWS_CSB_WRITE_INDEX] = 5;
	g.csb_head[VGT_RCS] = 5;
	store_ggtt(ring, gm_ok + 4, 0x2);
	eg_emit(&g, &good, ring, 4);
	eg_submit(&g, VGT_RCS, &good, NULL);
	vgt_vgpu_exec_run(g.v, 0);
	CHECK(*(uint32_t *)eg_ptr(&g, gpa_ok + 4) == 0x2, "RCS runs after its reset");
	csb = eg_csb_next(&g, VGT_RCS);
	CHECK((uint32_t)csb == GEN8_CTX_STATUS_IDLE_ACTIVE, "entry 0 after reset: %#llx",
	      (unsigned long long)csb);
	vgt_vgpu_exec_stats(g.v, &st, false);
	CHECK(st.engine_resets == 1, "one engine reset counted");
	vgt_vgpu_exec_stats(w, &st, false);
	CHECK(st.commands == 0 && st.hangs[VGT_HANG_AUDIT] == 0, "the other vGPU saw nothing");
	exec_guest_fini(&g);
}

TEST(fault_on_unmapped_batch, "H-19 H-20")
{
	struct exec_guest g;
	struct eg_ctx c;
	struct vgt_exec_stats st;
	uint32_t ring[3];

	CHECK(exec_guest_init(&g) == 0, "guest");
	eg_ctx_init(&g, &c, 1);
	bb_start_ppgtt(ring, 0x7000000);	/* nothing mapped there */
	eg_emit(&g, &c, ring, 3);
	eg_submit(&g, VGT_VCS, &c, NULL);
	vgt_vgpu_exec_run(g.v, 0);
	vgt_vgpu_exec_stats(g.v, &st, false);
	CHECK(st.hangs[VGT_HANG_AUDIT] == 1 && st.audit[VGT_AUDIT_UNTERMINATED] == 1,
	      "a batch with no memory behind it is refused (unterminated): %llu",
	      (unsigned long long)st.audit[VGT_AUDIT_UNTERMINATED]);
	CHECK(g.ram.bad == 0, "libvgt never asked for memory outside the map");
	exec_guest_fini(&g);
}

/* A user (PPGTT) batch may not write the GGTT, even inside the slices. */
TEST(ggtt_store_from_user_batch_dropped, "H-21")
{
	struct exec_guest g;
	struct eg_ctx c;
	struct vgt_exec_stats st;
	uint64_t gpa, gm, bb_gpa, data_gpa;
	uint32_t ring[4], *bb;

	CHECK(exec_guest_init(&g) == 0, "guest");
	gm = eg_bind(&g, 1, &gpa);
	eg_ctx_init(&g, &c, 3);
	bb_gpa = eg_ppgtt_alloc(&g, VA_BATCH, 1);
	data_gpa = eg_ppgtt_alloc(&g, VA_DATA, 1);
	bb = eg_ptr(&g, bb_gpa);
	store_ggtt(bb, gm, 0xdead);		/* the guest kernel's memory */
	store_ppgtt(bb + 4, VA_DATA, 0xf00d);
	bb[8] = EG_MI_BB_END;
	bb_start_ppgtt(ring, VA_BATCH);
	eg_emit(&g, &c, ring, 3);
	eg_submit(&g, VGT_RCS, &c, NULL);
	vgt_vgpu_exec_run(g.v, 0);
	vgt_vgpu_exec_stats(g.v, &st, false);
	CHECK(*(uint32_t *)eg_ptr(&g, gpa) == 0 && st.privilege_noops == 1,
	      "GGTT store dropped (%llu privilege no-ops)", (unsigned long long)st.privilege_noops);
	CHECK(*(uint32_t *)eg_ptr(&g, data_gpa) == 0xf00d, "the PPGTT store after it ran");
	CHECK(st.contexts == 1 && st.hangs[VGT_HANG_AUDIT] == 0, "and the context completed");
	exec_guest_fini(&g);
}

TEST(spinner_runs_until_ended, "H-18")
{
	struct exec_guest g;
	struct eg_ctx c;
	struct vgt_exec_stats st;
	uint64_t bb_gpa, csb;
	uint32_t ring[4], *bb;

	CHECK(exec_guest_init(&g) == 0, "guest");
	eg_ctx_init(&g, &c, 7);
	bb_gpa = eg_ppgtt_alloc(&g, VA_BATCH, 1);
	bb = eg_ptr(&g, bb_gpa);
	/* IGT's spinner: arbitration point, then jump back to itself. */
	bb[0] = EG_MI_ARB_CHECK;
	bb_start_ppgtt(bb + 1, VA_BATCH);
	bb_start_ppgtt(ring, VA_BATCH);
	ring[3] = EG_MI_NOOP;
	eg_emit(&g, &c, ring, 4);
	eg_submit(&g, VGT_RCS, &c, NULL);
	CHECK(vgt_vgpu_exec_run(g.v, 50) > 1000, "it spins across slices");
	eg_csb_next(&g, VGT_RCS);
	CHECK(eg_csb_next(&g, VGT_RCS) == 0, "and does not complete");
	bb[0] = EG_MI_BB_END;	/* igt_spin_end */
	vgt_vgpu_exec_run(g.v, 0);
	csb = eg_csb_next(&g, VGT_RCS);
	CHECK((uint32_t)csb == (GEN8_CTX_STATUS_COMPLETE | GEN8_CTX_STATUS_ACTIVE_IDLE),
	      "ended by the CPU: %#llx", (unsigned long long)csb);
	vgt_vgpu_exec_stats(g.v, &st, false);
	CHECK(st.hangs[VGT_HANG_AUDIT] == 0 && st.batches > 100, "%llu batch starts, no hang",
	      (unsigned long long)st.batches);
	exec_guest_fini(&g);
}

VGT_TEST_MAIN()

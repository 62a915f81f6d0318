// SPDX-License-Identifier: MIT
/*
 * Live re-ballooning (spec/pvinfo-1.1.md section 16) on libvgt, as a host
 * and a synthetic 1.1 guest (pv11_guest.h) drive it: grow, shrink
 * (accepted and refused), move, replies that are stale, duplicate or
 * malformed, generations, every refusal of vgt_vgpu_reslice changing
 * nothing, the message interrupt through bank 2, stale fences, a pending
 * re-balloon ended by unregistration, reset or destruction, scattered
 * targets, and the accepting set used by PTEs, aperture, audit and
 * execution alike (H-29).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "exec_guest.h"
#include "pv11_guest.h"

#include "vgt_test.h"

#define MIB VGT_MIB
#define RAM (64 * MIB)
#define AREA (32 * MIB)
#define PAGES 8
#define ALL (VGT_PV11_F_GGTT_BATCH | VGT_PV11_F_RESLICE)

/* Default host: the vGPU (type 8) has aperture [128, 192) and hidden [640, 1024) MiB. */
static void env_init_flags(struct pv11_env *e, unsigned int flags, uint32_t accept)
{
	pv11_env_init(e, flags, false, RAM, AREA, PAGES, accept);
}

static void env_init(struct pv11_env *e)
{
	env_init_flags(e, 0, ALL);
}

static struct vgt_slice_ranges one_each(uint64_t ab, uint64_t as, uint64_t hb, uint64_t hs)
{
	struct vgt_slice_ranges r = { .nr = { 1, 1 } };

	r.r[VGT_GM_APERTURE][0] = (struct vgt_gm_range){ ab, as };
	r.r[VGT_GM_HIDDEN][0] = (struct vgt_gm_range){ hb, hs };
	return r;
}

static int pte_write(struct pv11_env *e, uint64_t gm, uint64_t pte)
{
	return vgt_mmio_write(e->v, VGT_GSM_OFFSET + 8 * (gm >> 12), 8, pte);
}

static uint64_t free_hidden(struct pv11_env *e)
{
	struct vgt_free f;

	vgt_host_free_space(e->h, NULL, &f, NULL);
	return f.total;
}

/* The guest's side: take the next message, check it, reply. */
static int answer(struct pv11_env *e, int32_t result, uint32_t *gen)
{
	struct vgt_pv11_msg m;

	if (!pg_next_msg(&e->g, &m) || m.op != VGT_PV11_MSG_RESLICE)
		return -ENOMSG;
	if (gen)
		*gen = (uint32_t)m.arg;
	return pg_reply(&e->g, m.seq, result);
}

static enum vgt_reslice_state state(struct pv11_env *e, uint32_t *gen)
{
	struct vgt_pv11_status st;

	vgt_vgpu_pv11_status(e->v, &st);
	if (gen)
		*gen = st.reslice_gen;
	return st.reslice;
}

TEST(grow_accepted_at_once, "H-28 H-29")
{
	struct pv11_env e;
	struct vgt_slice_ranges to;
	struct vgt_slices s;
	struct pg_table t;
	uint64_t before = 0;
	uint32_t gen = 0;
	char msg[200];

	env_init(&e);
	before = free_hidden(&e);
	to = one_each(128 * MIB, 64 * MIB, 640 * MIB, 512 * MIB);
	CHECK(vgt_vgpu_reslice(e.v, &to, msg, sizeof(msg)) == 0, "posted: %s", msg);
	CHECK(free_hidden(&e) == before - 128 * MIB, "the added range is reserved at once");
	CHECK(pte_write(&e, 1100 * MIB, 0x4000 | 1) == 0, "a PTE in the added range before the reply");
	pg_table(&e.g, &t);
	CHECK(t.gen == 1 && t.range[1].base == 640 * MIB && t.range[1].size == 512 * MIB,
	      "table: gen %u hidden %#x+%#x", t.gen, t.range[1].base, t.range[1].size);
	CHECK(answer(&e, 0, &gen) == 0 && gen == 1, "reply 0 to generation %u", gen);
	vgt_vgpu_slices(e.v, &s);
	CHECK(state(&e, NULL) == VGT_RESLICE_ACCEPTED && s.gen == 1 &&
	      s.hidden_size == 512 * MIB && s.ranges.nr[VGT_GM_HIDDEN] == 1,
	      "accepted: gen %u hidden %#llx", s.gen, (unsigned long long)s.hidden_size);
	CHECK(pg_rd32(&e.g, PG_PV(avail_rs.nonmappable_gmadr.size)) == 512 * MIB &&
	      pg_rd32(&e.g, PG_PV(pv11.slices_gen)) == 1, "avail_rs and slices_gen published");
	CHECK(vgt_vgpu_shadow_pte(e.v, (1100 * MIB) >> 12) == (0x4000 | 1), "the PTE stays");
	pv11_env_fini(&e);
}

TEST(shrink_accepted_releases_after_the_reply, "H-28 H-29 H-12")
{
	struct pv11_env e;
	struct vgt_slice_ranges to;
	struct vgt_vgpu_request req = { 64 * MIB, 192 * MIB, 1, 0, 0, VGT_PLATFORM_SKL };
	struct vgt_vgpu *w;
	struct vgt_slices ws;
	struct vgt_traps t;
	uint64_t before;

	env_init(&e);
	CHECK(pte_write(&e, 900 * MIB, 0x8000 | 1) == 0, "PTE in the part to remove");
	before = free_hidden(&e);
	to = one_each(128 * MIB, 64 * MIB, 640 * MIB, 192 * MIB);
	CHECK(vgt_vgpu_reslice(e.v, &to, NULL, 0) == 0, "shrink posted");
	CHECK(free_hidden(&e) == before && pte_write(&e, 1000 * MIB, 0x9000 | 1) == 0,
	      "until the reply the old range is the vGPU's and not free (H-28)");
	CHECK(answer(&e, 0, NULL) == 0 && state(&e, NULL) == VGT_RESLICE_ACCEPTED, "accepted");
	CHECK(free_hidden(&e) == before + 192 * MIB, "the removed 192 MiB are free now");
	CHECK(vgt_vgpu_shadow_pte(e.v, (900 * MIB) >> 12) == 0 &&
	      vgt_vgpu_shadow_pte(e.v, (1000 * MIB) >> 12) == 0, "leftover PTEs cleared");
	vgt_vgpu_traps(e.v, &t, true);
	CHECK(pte_write(&e, 900 * MIB, 0x8000 | 1) == -ERANGE &&
	      vgt_vgpu_last_reason(e.v) == VGT_REASON_PTE_OUTSIDE,
	      "a PTE there after the reply: pte-outside, as for a range never owned");
	w = vgt_vgpu_create(e.h, &req, NULL, NULL, 0);
	vgt_vgpu_slices(w, &ws);
	CHECK(w && ws.hidden_base == 832 * MIB, "a new vGPU gets the freed hole at %#llx",
	      (unsigned long long)ws.hidden_base);
	pv11_env_fini(&e);
}

TEST(shrink_refused_keeps_the_slices, "H-28 H-30")
{
	struct pv11_env e;
	struct vgt_slice_ranges to;
	struct vgt_slices s;
	struct pg_table t;
	struct vgt_pv11_status st;
	uint64_t before;

	env_init(&e);
	pte_write(&e, 900 * MIB, 0x8000 | 1);
	before = free_hidden(&e);
	to = one_each(128 * MIB, 64 * MIB, 640 * MIB, 192 * MIB);
	CHECK(vgt_vgpu_reslice(e.v, &to, NULL, 0) == 0, "posted");
	CHECK(answer(&e, -EBUSY, NULL) == 0, "the guest cannot evict: -EBUSY");
	vgt_vgpu_slices(e.v, &s);
	vgt_vgpu_pv11_status(e.v, &st);
	pg_table(&e.g, &t);
	CHECK(st.reslice == VGT_RESLICE_REFUSED && st.reslice_result == -EBUSY && s.gen == 2 &&
	      st.slices_gen == 2 && s.hidden_size == 384 * MIB && t.gen == 2 &&
	      t.range[1].size == 384 * MIB,
	      "refused: result %d gen %u table gen %u size %#x", st.reslice_result, s.gen, t.gen,
	      t.range[1].size);
	CHECK(free_hidden(&e) == before && vgt_vgpu_shadow_pte(e.v, (900 * MIB) >> 12) == (0x8000 | 1),
	      "nothing left the vGPU");
	pv11_env_fini(&e);
}

TEST(grow_refused_gives_the_added_range_back, "H-28 H-29")
{
	struct pv11_env e;
	struct vgt_slice_ranges to;
	uint64_t before;

	env_init(&e);
	before = free_hidden(&e);
	to = one_each(128 * MIB, 64 * MIB, 640 * MIB, 512 * MIB);
	vgt_vgpu_reslice(e.v, &to, NULL, 0);
	CHECK(pte_write(&e, 1100 * MIB, 0x4000 | 1) == 0, "PTE in the added part");
	CHECK(answer(&e, -ENOMEM, NULL) == 0 && state(&e, NULL) == VGT_RESLICE_REFUSED, "refused");
	CHECK(free_hidden(&e) == before && vgt_vgpu_shadow_pte(e.v, (1100 * MIB) >> 12) == 0 &&
	      pte_write(&e, 1100 * MIB, 0x4000 | 1) == -ERANGE,
	      "the added range is free again and its PTE cleared");
	pv11_env_fini(&e);
}

TEST(move_to_a_disjoint_range, "H-28 H-29")
{
	struct pv11_env e;
	struct vgt_slice_ranges to;
	struct vgt_slices s;
	uint64_t before;

	env_init(&e);
	before = free_hidden(&e);
	to = one_each(128 * MIB, 64 * MIB, 2048 * MIB, 384 * MIB);
	CHECK(vgt_vgpu_reslice(e.v, &to, NULL, 0) == 0, "move posted");
	CHECK(free_hidden(&e) == before - 384 * MIB && pte_write(&e, 700 * MIB, 0x1000 | 1) == 0 &&
	      pte_write(&e, 2100 * MIB, 0x2000 | 1) == 0, "both accepted until the reply");
	CHECK(answer(&e, 0, NULL) == 0, "accepted");
	vgt_vgpu_slices(e.v, &s);
	CHECK(s.hidden_base == 2048 * MIB && free_hidden(&e) == before &&
	      pte_write(&e, 700 * MIB, 0x1000 | 1) == -ERANGE &&
	      vgt_vgpu_shadow_pte(e.v, (2100 * MIB) >> 12) == (0x2000 | 1),
	      "moved: hidden at %#llx", (unsigned long long)s.hidden_base);
	pv11_env_fini(&e);
}

TEST(stale_duplicate_and_bad_replies, "H-28 H-26")
{
	struct pv11_env e;
	struct vgt_slice_ranges to;
	struct vgt_pv11_msg m;

	env_init(&e);
	to = one_each(128 * MIB, 64 * MIB, 640 * MIB, 192 * MIB);
	vgt_vgpu_reslice(e.v, &to, NULL, 0);
	CHECK(pg_next_msg(&e.g, &m) && m.seq == 1 && m.op == VGT_PV11_MSG_RESLICE && m.arg == 1,
	      "message seq %u op %u arg %llu", m.seq, m.op, (unsigned long long)m.arg);
	CHECK(pg_reply(&e.g, 2, 0) == -EPROTO && state(&e, NULL) == VGT_RESLICE_PENDING &&
	      vgt_vgpu_last_reason(e.v) == VGT_REASON_PV11_STALE_REPLY, "a reply to seq 2: stale");
	CHECK(pg_reply(&e.g, 1, 5) == -EPROTO && state(&e, NULL) == VGT_RESLICE_PENDING,
	      "a positive result: refused");
	CHECK(pg_reply(&e.g, 1, 0) == 0 && state(&e, NULL) == VGT_RESLICE_ACCEPTED, "the right reply");
	CHECK(pg_reply(&e.g, 1, -EBUSY) == -EPROTO && state(&e, NULL) == VGT_RESLICE_ACCEPTED,
	      "a duplicate reply changes nothing");
	pv11_env_fini(&e);
}

TEST(generations, "H-28")
{
	struct pv11_env e;
	struct vgt_slice_ranges a = one_each(128 * MIB, 64 * MIB, 640 * MIB, 192 * MIB);
	struct vgt_slice_ranges b = one_each(128 * MIB, 64 * MIB, 640 * MIB, 384 * MIB);
	uint32_t gen = 0, want[] = { 1, 3, 4 }, got[3];
	int results[] = { 0, -EBUSY, 0 };
	unsigned int i;
	struct pg_table t;

	env_init(&e);
	for (i = 0; i < 3; i++) {
		vgt_vgpu_reslice(e.v, i == 2 ? &b : &a, NULL, 0);
		answer(&e, results[i], &gen);
		state(&e, &got[i]);
	}
	pg_table(&e.g, &t);
	CHECK(got[0] == want[0] && got[1] == want[1] && got[2] == want[2] && t.gen == 4 &&
	      pg_rd32(&e.g, PG_PV(pv11.slices_gen)) == 4,
	      "generations %u %u %u (want 1 3 4), table %u", got[0], got[1], got[2], t.gen);
	pv11_env_fini(&e);
}

/* Each refusal of vgt_vgpu_reslice: its errno, a message, nothing changed. */
static void expect_no(struct pv11_env *e, const char *what, const struct vgt_slice_ranges *to,
		      int err)
{
	struct vgt_slices before, after;
	struct vgt_free fa0, fh0, fa1, fh1;
	char msg[200] = "";
	int ret;

	vgt_vgpu_slices(e->v, &before);
	vgt_host_free_space(e->h, &fa0, &fh0, NULL);
	ret = vgt_vgpu_reslice(e->v, to, msg, sizeof(msg));
	vgt_vgpu_slices(e->v, &after);
	vgt_host_free_space(e->h, &fa1, &fh1, NULL);
	CHECK(ret == err && *msg && !memcmp(&before, &after, sizeof(before)) &&
	      fa0.total == fa1.total && fh0.total == fh1.total && fh0.holes == fh1.holes,
	      "%s: returned %d (want %d): %s", what, ret, err, msg);
}

TEST(reslice_refusals_change_nothing, "H-30 H-28 H-5")
{
	struct pv11_env e, n;
	struct vgt_slice_ranges r, ok = one_each(128 * MIB, 64 * MIB, 640 * MIB, 192 * MIB);
	struct vgt_vgpu_request req = { 32 * MIB, 64 * MIB, 1, 0, 0, VGT_PLATFORM_SKL };

	env_init_flags(&n, 0, VGT_PV11_F_GGTT_BATCH);
	expect_no(&n, "RESLICE not accepted", &ok, -EOPNOTSUPP);
	pv11_env_fini(&n);
	env_init_flags(&n, VGT_REQ_PVINFO_1_0, 0);
	expect_no(&n, "1.0-only vGPU", &ok, -EOPNOTSUPP);
	pv11_env_fini(&n);

	env_init(&e);
	vgt_vgpu_create(e.h, &req, NULL, NULL, 0);	/* aperture [192, 224), hidden [1024, 1088) */
	r = ok;
	r.nr[VGT_GM_APERTURE] = 0;
	expect_no(&e, "no aperture range", &r, -EINVAL);
	r = ok;
	r.r[VGT_GM_HIDDEN][0].base += 8;
	expect_no(&e, "unaligned base", &r, -EINVAL);
	r = ok;
	r.r[VGT_GM_HIDDEN][0].size = 0;
	expect_no(&e, "empty range", &r, -EINVAL);
	r = ok;
	r.r[VGT_GM_APERTURE][0] = (struct vgt_gm_range){ 224 * MIB, 64 * MIB };
	expect_no(&e, "aperture past the aperture", &r, -EINVAL);
	r = ok;
	r.r[VGT_GM_HIDDEN][0] = (struct vgt_gm_range){ 0xfffff000ULL, 0x2000 };
	expect_no(&e, "wraps 32 bits", &r, -EINVAL);
	r = ok;
	r.nr[VGT_GM_HIDDEN] = 2;
	r.r[VGT_GM_HIDDEN][1] = (struct vgt_gm_range){ 2048 * MIB, 4 * MIB };
	expect_no(&e, "two ranges without SCATTER", &r, -EINVAL);
	r = ok;
	r.r[VGT_GM_HIDDEN][0] = (struct vgt_gm_range){ 640 * MIB, 512 * MIB };
	expect_no(&e, "overlapping the other vGPU", &r, -ENOSPC);
	r = ok;
	r.r[VGT_GM_APERTURE][0] = (struct vgt_gm_range){ 64 * MIB, 128 * MIB };
	expect_no(&e, "into the host's reserve", &r, -ENOSPC);
	e.ram.fail = true;
	expect_no(&e, "area not writable", &ok, -EFAULT);
	e.ram.fail = false;
	CHECK(vgt_vgpu_reslice(e.v, &ok, NULL, 0) == 0, "then a good one");
	expect_no(&e, "one pending", &ok, -EBUSY);
	CHECK(vgt_vgpu_reslice(NULL, &ok, NULL, 0) == -EINVAL &&
	      vgt_vgpu_reslice(e.v, NULL, NULL, 0) == -EINVAL, "NULL");
	pv11_env_fini(&e);
}

TEST(message_ring_full, "H-28")
{
	struct pv11_env e;
	struct vgt_slice_ranges a = one_each(128 * MIB, 64 * MIB, 640 * MIB, 192 * MIB);
	struct vgt_slice_ranges b = one_each(128 * MIB, 64 * MIB, 640 * MIB, 384 * MIB);
	unsigned int i;

	env_init(&e);
	/* The guest replies but never moves msg_cons: after 8, the ring is full. */
	for (i = 0; i < VGT_PV11_MSGS; i++) {
		CHECK(vgt_vgpu_reslice(e.v, i % 2 ? &b : &a, NULL, 0) == 0, "reslice %u", i);
		CHECK(pg_reply(&e.g, i + 1, 0) == 0, "reply %u", i);
	}
	expect_no(&e, "ring full", i % 2 ? &b : &a, -EBUSY);
	pv11_env_fini(&e);
}

TEST(message_interrupt_bank2_bit31, "H-22 H-28")
{
	struct pv11_env e;
	struct vgt_slice_ranges a = one_each(128 * MIB, 64 * MIB, 640 * MIB, 192 * MIB);
	uint64_t iir = 0, master = 0;

	env_init(&e);
	/* Masked (6.1's postinstall leaves bank 2 masked): nothing latches. */
	vgt_vgpu_reslice(e.v, &a, NULL, 0);
	vgt_mmio_read(e.v, GEN8_GT_IIR(2), 4, &iir);
	CHECK(iir == 0 && e.ram.irqs == 0, "masked: IIR(2) %#llx, %lu MSIs",
	      (unsigned long long)iir, (unsigned long)e.ram.irqs);
	answer(&e, 0, NULL);
	/* A hooked driver unmasks and enables bit 31. */
	vgt_mmio_write(e.v, GEN8_GT_IER(2), 4, VGT_PV11_IRQ_BIT);
	vgt_mmio_write(e.v, GEN8_GT_IMR(2), 4, ~VGT_PV11_IRQ_BIT);
	vgt_mmio_write(e.v, GEN8_MASTER_IRQ, 4, GEN8_MASTER_IRQ_CONTROL);
	a.r[VGT_GM_HIDDEN][0].size = 384 * MIB;
	vgt_vgpu_reslice(e.v, &a, NULL, 0);
	vgt_mmio_read(e.v, GEN8_GT_IIR(2), 4, &iir);
	vgt_mmio_read(e.v, GEN8_MASTER_IRQ, 4, &master);
	CHECK(iir == VGT_PV11_IRQ_BIT && (master & GEN8_GT_GUC_IRQ) && !(master & GEN8_GT_PM_IRQ) &&
	      e.ram.irqs == 1, "IIR(2) %#llx master %#llx, %lu MSIs", (unsigned long long)iir,
	      (unsigned long long)master, (unsigned long)e.ram.irqs);
	vgt_mmio_write(e.v, GEN8_GT_IIR(2), 4, iir);	/* the handler's ack */
	vgt_mmio_read(e.v, GEN8_GT_IIR(2), 4, &iir);
	vgt_mmio_read(e.v, GEN8_MASTER_IRQ, 4, &master);
	CHECK(iir == 0 && !(master & GEN8_GT_GUC_IRQ), "acked: IIR(2) %#llx", (unsigned long long)iir);
	pv11_env_fini(&e);
}

TEST(fence_outside_disabled_on_commit, "H-13 H-28")
{
	struct pv11_env e;
	struct vgt_slices s;
	struct vgt_slice_ranges to = one_each(128 * MIB, 64 * MIB, 640 * MIB, 192 * MIB);
	uint64_t fence = ((uint64_t)(904 * MIB - 4096) << 32) | (900 * MIB) | 1, pv = 0;

	env_init(&e);
	vgt_mmio_read(e.v, VGT_PVINFO_PAGE, 8, &pv);
	vgt_vgpu_slices(e.v, &s);
	CHECK(vgt_mmio_write(e.v, VGT_FENCE_BASE, 8, fence) == 0 &&
	      vgt_host_fence(e.h, s.fence_phys[0]) == fence, "fence over [900, 904) MiB");
	vgt_mmio_write(e.v, VGT_FENCE_BASE + 8, 8, ((uint64_t)(644 * MIB - 4096) << 32) | 640 * MIB | 1);
	vgt_vgpu_reslice(e.v, &to, NULL, 0);
	CHECK(vgt_host_fence(e.h, s.fence_phys[0]) == fence, "still enabled while pending");
	answer(&e, 0, NULL);
	CHECK(vgt_host_fence(e.h, s.fence_phys[0]) == (fence & ~1ULL) &&
	      (vgt_host_fence(e.h, s.fence_phys[1]) & 1), "the stale fence disabled, the other kept");
	pv11_env_fini(&e);
}

TEST(pending_ended_by_unregister_reset_destroy, "H-28 H-23")
{
	struct pv11_env e;
	struct vgt_slice_ranges to = one_each(128 * MIB, 64 * MIB, 640 * MIB, 512 * MIB);
	struct vgt_pv11_status st;
	struct vgt_free f0, f1;
	uint64_t before;

	env_init(&e);
	before = free_hidden(&e);
	vgt_vgpu_reslice(e.v, &to, NULL, 0);
	pg_unregister(&e.g);
	vgt_vgpu_pv11_status(e.v, &st);
	CHECK(st.reslice == VGT_RESLICE_CANCELLED && st.reslice_result == -ECANCELED &&
	      st.slices_gen == 2 && free_hidden(&e) == before,
	      "unregister: %s gen %u", vgt_reslice_state_name(st.reslice), st.slices_gen);
	pg_register(&e.g, &e.ram, e.v, AREA, PAGES, ALL);
	vgt_vgpu_reslice(e.v, &to, NULL, 0);
	vgt_vgpu_reset(e.v);
	CHECK(state(&e, NULL) == VGT_RESLICE_CANCELLED && free_hidden(&e) == before &&
	      pg_rd32(&e.g, PG_PV(pv11.slices_gen)) == 4 &&
	      pg_rd32(&e.g, PG_PV(avail_rs.nonmappable_gmadr.size)) == 384 * MIB,
	      "reset: cancelled, the page shows generation 4 and the old slices");
	CHECK(vgt_vgpu_reslice_wait(e.v, 0, &st) == 0 && st.reslice == VGT_RESLICE_CANCELLED,
	      "nothing to wait for");
	pv11_env_fini(&e);

	env_init(&e);
	vgt_host_free_space(e.h, &f0, NULL, NULL);
	f0.total += 64 * MIB;
	to.r[VGT_GM_APERTURE][0] = (struct vgt_gm_range){ 192 * MIB, 64 * MIB };	/* move */
	CHECK(vgt_vgpu_reslice(e.v, &to, NULL, 0) == 0 &&
	      vgt_vgpu_reslice_wait(e.v, 10, NULL) == -ETIMEDOUT, "pending, wait times out");
	vgt_vgpu_destroy(e.v);
	vgt_host_free_space(e.h, &f1, NULL, NULL);
	CHECK(f1.total == f0.total && f1.holes == 1 && free_hidden(&e) == 4096 * MIB - 640 * MIB,
	      "destroyed while pending: everything free (%llu holes)", (unsigned long long)f1.holes);
	vgt_host_destroy(e.h);
	guest_ram_free(&e.ram);
}

TEST(scattered_target, "H-31")
{
	struct pv11_env e;
	struct vgt_slice_ranges to = one_each(128 * MIB, 64 * MIB, 640 * MIB, 128 * MIB);
	struct pg_table t;
	struct vgt_slices s;

	env_init_flags(&e, VGT_REQ_SCATTER, ALL | VGT_PV11_F_SCATTER);
	to.nr[VGT_GM_HIDDEN] = 2;
	to.r[VGT_GM_HIDDEN][1] = (struct vgt_gm_range){ 2048 * MIB, 256 * MIB };
	CHECK(vgt_vgpu_reslice(e.v, &to, NULL, 0) == 0, "scattered target posted");
	pg_table(&e.g, &t);
	CHECK(t.nr_aperture == 1 && t.nr_hidden == 2 && t.range[2].base == 2048 * MIB &&
	      t.range[2].size == 256 * MIB, "table lists 1 + %u ranges", t.nr_hidden);
	answer(&e, 0, NULL);
	vgt_vgpu_slices(e.v, &s);
	CHECK(s.ranges.nr[VGT_GM_HIDDEN] == 2 && s.hidden_base == 640 * MIB &&
	      s.hidden_size == 128 * MIB && pte_write(&e, 2200 * MIB, 0x1000 | 1) == 0 &&
	      pte_write(&e, 800 * MIB, 0x1000 | 1) == -ERANGE,
	      "two hidden ranges, the first in avail_rs");
	pv11_env_fini(&e);
}

/* The aperture (BAR2) reaches the added range during a pending grow only. */
TEST(aperture_follows_the_accepting_set, "H-29 H-12")
{
	struct pv11_env e;
	struct vgt_slice_ranges to = one_each(128 * MIB, 96 * MIB, 640 * MIB, 384 * MIB);
	uint32_t val = 0x5a5a5a5a, back = 0;

	env_init(&e);
	vgt_vgpu_reslice(e.v, &to, NULL, 0);
	CHECK(pte_write(&e, 200 * MIB, (16 * MIB) | 1) == 0 &&
	      vgt_aperture_write(e.v, 200 * MIB + 16, &val, 4) == 0 &&
	      vgt_aperture_read(e.v, 200 * MIB + 16, &back, 4) == 0 && back == val &&
	      guest_ram_load32(&e.ram, 16 * MIB + 16) == val, "aperture in the added range");
	answer(&e, -EBUSY, NULL);
	CHECK(vgt_aperture_read(e.v, 200 * MIB + 16, &back, 4) == -ERANGE && back == 0 &&
	      vgt_vgpu_last_reason(e.v) == VGT_REASON_AP_OUTSIDE, "refused after the refusal");
	pv11_env_fini(&e);
}

/*
 * The audit and the executor use the accepting set too: a GGTT store into
 * the added range runs during the pending grow, and is refused by the
 * audit (the context hangs) once the guest refused the grow.
 */
TEST(execution_follows_the_accepting_set, "H-29 H-14 H-18")
{
	struct exec_guest g;
	struct pv11_guest pg;
	struct vgt_slice_ranges to;
	struct vgt_exec_stats x;
	struct vgt_pv11_msg m;
	struct eg_ctx c;
	uint64_t target = 1100 * MIB;
	uint32_t ring[8] = { EG_MI_STORE_DWORD_IMM | EG_MI_USE_GGTT, (uint32_t)target, 0, 0xfeed,
			     EG_MI_USER_INTERRUPT, EG_MI_NOOP, 0, 0 };

	CHECK(exec_guest_init(&g) == 0, "guest");
	CHECK(pg_register(&pg, &g.ram, g.v, 48 * MIB, PAGES, ALL) == 0, "1.1 registered");
	to = one_each(g.s.aperture_base, g.s.aperture_size, g.s.hidden_base, 512 * MIB);
	CHECK(vgt_vgpu_reslice(g.v, &to, NULL, 0) == 0, "grow posted");
	vgt_mmio_write(g.v, VGT_GSM_OFFSET + 8 * (target >> 12), 8, (40 * MIB) | 1);
	eg_ctx_init(&g, &c, 1);
	eg_emit(&g, &c, ring, 6);
	eg_submit(&g, VGT_RCS, &c, NULL);
	vgt_vgpu_exec_run(g.v, 0);
	CHECK(guest_ram_load32(&g.ram, 40 * MIB) == 0xfeed, "the store in the added range ran");
	CHECK(pg_next_msg(&pg, &m) && pg_reply(&pg, m.seq, -EBUSY) == 0, "grow refused");
	ring[3] = 0xbeef;
	eg_emit(&g, &c, ring, 6);
	eg_submit(&g, VGT_RCS, &c, NULL);
	vgt_vgpu_exec_run(g.v, 0);
	vgt_vgpu_exec_stats(g.v, &x, false);
	CHECK(guest_ram_load32(&g.ram, 40 * MIB) == 0xfeed && x.hangs[VGT_HANG_AUDIT] == 1 &&
	      x.audit[VGT_AUDIT_OUTSIDE_SLICE] == 1, "then refused by the audit: %llu audit hangs",
	      (unsigned long long)x.hangs[VGT_HANG_AUDIT]);
	exec_guest_fini(&g);
}

VGT_TEST_MAIN()

// SPDX-License-Identifier: MIT
/*
 * PVINFO 1.1 negotiation (spec/pvinfo-1.1.md section 13) on libvgt: what a
 * 1.1 and a 1.0-only device publish, a guest that never registers, every
 * refusal of handshake step 3 with its error (in order, changing nothing
 * else), a registration that succeeds, and how 1.1 ends (unregistration,
 * device reset). The guest is tests/pv11_guest.h over guest_ram.h.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "pv11_guest.h"
#include "vgt_regs.h"

#include "vgt_test.h"

#define MIB VGT_MIB
#define RAM (64 * MIB)
#define AREA (32 * MIB)		/* guest-physical address of the area */
#define PAGES 16

/* A default host, the vGPU under test (type 8, flags) and a neighbour. */
static void env_init(struct pv11_env *e, unsigned int flags)
{
	pv11_env_init(e, flags, true, RAM, AREA, PAGES, 0);
}

static uint64_t rd(struct vgt_vgpu *v, uint64_t off, unsigned int size)
{
	uint64_t val = 0;

	vgt_mmio_read(v, off, size, &val);
	return val;
}

static uint64_t pte_at(const struct vgt_slices *s, unsigned int i)
{
	return (s->hidden_base >> 12) + i;
}

TEST(page_differs_from_1_0_only_in_the_new_words, "H-23 H-2 H-7")
{
	struct pv11_env a, b;
	uint8_t p11[VGT_PVINFO_SIZE], p10[VGT_PVINFO_SIZE];
	const struct vgt_if *w = (const struct vgt_if *)p11;
	unsigned int off, diff = 0;

	env_init(&a, 0);
	env_init(&b, VGT_REQ_PVINFO_1_0);
	vgt_vgpu_get_pvinfo(a.v, p11);
	vgt_vgpu_get_pvinfo(b.v, p10);
	for (off = 0; off < VGT_PVINFO_SIZE; off++) {
		bool new_word = off == 0x0a || off == 0x10 || (off >= 0x60 && off < 0x74);

		if (!new_word && p11[off] != p10[off])
			diff++;
	}
	CHECK(diff == 0, "%u bytes outside the 1.1 words differ", diff);
	CHECK(w->version_minor == 1 && w->vgt_caps == (0x1c | VGT_CAPS_PV11) &&
	      w->pv11.features == (VGT_PV11_F_GGTT_BATCH | VGT_PV11_F_RESLICE) &&
	      w->pv11.enabled == 0 && w->pv11.error == 0 && w->pv11.max_pages == 64 &&
	      w->pv11.slices_gen == 0,
	      "1.1 words: minor %u caps %#x features %#x enabled %u error %u max %u gen %u",
	      w->version_minor, w->vgt_caps, w->pv11.features, w->pv11.enabled, w->pv11.error,
	      w->pv11.max_pages, w->pv11.slices_gen);
	w = (const struct vgt_if *)p10;
	CHECK(w->version_minor == 0 && w->vgt_caps == 0x1c && !w->pv11.features &&
	      !w->pv11.max_pages, "1.0-only: minor %u caps %#x features %#x max %u",
	      w->version_minor, w->vgt_caps, w->pv11.features, w->pv11.max_pages);
	pv11_env_fini(&a);
	pv11_env_fini(&b);
}

TEST(scatter_capable_offers_scatter, "H-31")
{
	struct pv11_env e;

	env_init(&e, VGT_REQ_SCATTER);
	CHECK(rd(e.v, PG_PV(pv11.features), 4) ==
	      (VGT_PV11_F_GGTT_BATCH | VGT_PV11_F_RESLICE | VGT_PV11_F_SCATTER),
	      "features %#llx", (unsigned long long)rd(e.v, PG_PV(pv11.features), 4));
	pv11_env_fini(&e);
}

/* A 1.0-only device: codes 8-10 unknown, the 1.1 guest words reserved (H-23). */
TEST(one_zero_only_device_knows_no_1_1, "H-23 H-9")
{
	struct pv11_env e;
	struct vgt_traps t;
	uint32_t code;

	env_init(&e, VGT_REQ_PVINFO_1_0);
	for (code = VGT_G2V_PV11_REGISTER; code <= VGT_G2V_PV11_UNREGISTER; code++)
		CHECK(vgt_mmio_write(e.v, PG_PV(g2v_notify), 4, code) == -EPROTO &&
		      vgt_vgpu_last_reason(e.v) == VGT_REASON_G2V_UNKNOWN,
		      "code %u: reason %s", code, vgt_reason_name(vgt_vgpu_last_reason(e.v)));
	CHECK(vgt_mmio_write(e.v, PG_PV(pv11g.accept), 4, 1) == -EPERM &&
	      vgt_vgpu_last_reason(e.v) == VGT_REASON_PV_RESERVED &&
	      rd(e.v, PG_PV(pv11g.accept), 4) == 0, "pv11g.accept is reserved");
	CHECK(vgt_mmio_write(e.v, PG_PV(pv11g.area_hi), 4, 1) == -EPERM, "area_hi is reserved");
	vgt_vgpu_traps(e.v, &t, false);
	CHECK(t.rejected[VGT_TRAP_PVINFO] == 5 && t.channel_requests == 0,
	      "rejected %llu", (unsigned long long)t.rejected[VGT_TRAP_PVINFO]);
	pv11_env_fini(&e);
}

/* An upstream 6.1 guest never registers: it sees a 1.0 device (H-23, H-30). */
TEST(guest_that_never_registers_sees_1_0, "H-23 H-30 H-6")
{
	struct pv11_env e;
	struct vgt_slices before, after;
	struct vgt_slice_ranges to;
	char msg[200];
	struct vgt_traps t;

	env_init(&e, 0);
	vgt_vgpu_slices(e.v, &before);
	CHECK(vgt_mmio_write(e.v, VGT_GSM_OFFSET + 8 * pte_at(&e.s, 0), 8, 0x5000 | 1) == 0 &&
	      vgt_vgpu_shadow_pte(e.v, pte_at(&e.s, 0)) == (0x5000 | 1), "PTE trap as in 1.0");
	CHECK(pg_doorbell(&e.g) == -EPROTO &&
	      vgt_vgpu_last_reason(e.v) == VGT_REASON_PV11_UNREGISTERED, "doorbell refused");
	CHECK(pg_unregister(&e.g) == -EPROTO, "unregister refused");
	to = before.ranges;
	to.r[VGT_GM_HIDDEN][0].size /= 2;
	CHECK(vgt_vgpu_reslice(e.v, &to, msg, sizeof(msg)) == -EOPNOTSUPP &&
	      strstr(msg, "1.0 guest"), "reslice refused: %s", msg);
	vgt_vgpu_slices(e.v, &after);
	CHECK(!memcmp(&before, &after, sizeof(before)), "slices unchanged");
	vgt_vgpu_traps(e.v, &t, false);
	CHECK(t.channel_requests == 0 && e.ram.writes == 0, "no 1.1 work: %llu requests, %lu writes",
	      (unsigned long long)t.channel_requests, (unsigned long)e.ram.writes);
	pv11_env_fini(&e);
}

/* Write the four words and code 8 with an area the caller prepared. */
static int register_raw(struct pv11_env *e, uint64_t gpa, uint32_t pages, uint32_t accept)
{
	vgt_mmio_write(e->v, PG_PV(pv11g.area_lo), 4, (uint32_t)gpa);
	vgt_mmio_write(e->v, PG_PV(pv11g.area_hi), 4, (uint32_t)(gpa >> 32));
	vgt_mmio_write(e->v, PG_PV(pv11g.area_pages), 4, pages);
	vgt_mmio_write(e->v, PG_PV(pv11g.accept), 4, accept);
	return vgt_mmio_write(e->v, PG_PV(g2v_notify), 4, VGT_G2V_PV11_REGISTER);
}

static void put_head(struct pv11_env *e, uint64_t gpa, uint32_t magic, uint32_t version)
{
	uint32_t head[2] = { magic, version };

	guest_ram_store(&e->ram, gpa, head, sizeof(head));
}

/*
 * One refusal of step 3: the trap's errno, the reason, pv11.error, nothing
 * else of the host half changed, no write to guest memory.
 */
static void expect_refused(struct pv11_env *e, const char *what, int ret, int err,
			   enum vgt_reason why)
{
	uint8_t page[VGT_PVINFO_SIZE], want[VGT_PVINFO_SIZE];
	struct vgt_if *w = (struct vgt_if *)want;

	CHECK(ret == err && vgt_vgpu_last_reason(e->v) == why &&
	      (int32_t)rd(e->v, PG_PV(pv11.error), 4) == err && rd(e->v, PG_PV(pv11.enabled), 4) == 0,
	      "%s: returned %d (want %d), reason %s (want %s), pv11.error %d", what, ret, err,
	      vgt_reason_name(vgt_vgpu_last_reason(e->v)), vgt_reason_name(why),
	      (int32_t)rd(e->v, PG_PV(pv11.error), 4));
	vgt_vgpu_get_pvinfo(e->v, page);
	memcpy(want, page, sizeof(want));
	vgt_vgpu_reset(e->v);	/* the published page, for comparison */
	vgt_vgpu_get_pvinfo(e->v, want);
	w->pv11.error = (uint32_t)err;
	CHECK(!memcmp(page, want, 0x800), "%s: host half changed beyond pv11.error", what);
	CHECK(e->ram.writes == 0, "%s: %lu writes to guest memory", what,
	      (unsigned long)e->ram.writes);
}

TEST(registration_refusals_in_order, "H-24 H-15")
{
	const uint32_t all = VGT_PV11_F_GGTT_BATCH | VGT_PV11_F_RESLICE;
	struct pv11_env e;
	struct vgt_traps t;
	int ret;

	env_init(&e, VGT_REQ_NO_GGTT_BATCH | VGT_REQ_NO_RESLICE);
	put_head(&e, AREA, VGT_PV11_MAGIC, VGT_PV11_VERSION);
	CHECK(rd(e.v, PG_PV(vgt_caps), 4) & VGT_CAPS_PV11, "still a 1.1 device");
	/* Everything else wrong too: the first check decides. */
	ret = register_raw(&e, AREA + 1, 0, 0);
	expect_refused(&e, "no feature offered", ret, -EOPNOTSUPP, VGT_REASON_PV11_NO_FEATURES);
	pv11_env_fini(&e);

	env_init(&e, 0);
	put_head(&e, AREA, VGT_PV11_MAGIC, VGT_PV11_VERSION);
	ret = register_raw(&e, AREA + 1, 0, 0);
	expect_refused(&e, "accept 0", ret, -EINVAL, VGT_REASON_PV11_ACCEPT);
	ret = register_raw(&e, AREA, PAGES, all | 1u << 7);
	expect_refused(&e, "accept with an unknown bit", ret, -EINVAL, VGT_REASON_PV11_ACCEPT);
	ret = register_raw(&e, AREA, PAGES, VGT_PV11_F_SCATTER);
	expect_refused(&e, "scatter not offered", ret, -EINVAL, VGT_REASON_PV11_ACCEPT);
	ret = register_raw(&e, AREA, 0, all);
	expect_refused(&e, "0 pages", ret, -EINVAL, VGT_REASON_PV11_AREA_SIZE);
	ret = register_raw(&e, AREA, 65, all);
	expect_refused(&e, "65 pages", ret, -EINVAL, VGT_REASON_PV11_AREA_SIZE);
	ret = register_raw(&e, AREA + 8, PAGES, all);
	expect_refused(&e, "unaligned", ret, -EINVAL, VGT_REASON_PV11_AREA_SIZE);
	ret = register_raw(&e, RAM, PAGES, all);
	expect_refused(&e, "past the RAM", ret, -ERANGE, VGT_REASON_PV11_AREA_RANGE);
	ret = register_raw(&e, RAM - 4096, 2, all);
	expect_refused(&e, "straddling its end", ret, -ERANGE, VGT_REASON_PV11_AREA_RANGE);
	ret = register_raw(&e, 1ULL << 40, PAGES, all);
	expect_refused(&e, "beyond 2^39", ret, -ERANGE, VGT_REASON_PV11_AREA_RANGE);
	put_head(&e, AREA, 0x31315651, VGT_PV11_VERSION);
	ret = register_raw(&e, AREA, PAGES, all);
	expect_refused(&e, "bad magic", ret, -EPROTO, VGT_REASON_PV11_AREA_MAGIC);
	put_head(&e, AREA, VGT_PV11_MAGIC, 2);
	ret = register_raw(&e, AREA, PAGES, all);
	expect_refused(&e, "version 2", ret, -EPROTO, VGT_REASON_PV11_AREA_MAGIC);
	put_head(&e, AREA, VGT_PV11_MAGIC, VGT_PV11_VERSION);
	e.ram.fail = true;
	ret = register_raw(&e, AREA, PAGES, all);
	e.ram.fail = false;
	expect_refused(&e, "unreadable", ret, -EPROTO, VGT_REASON_PV11_AREA_MAGIC);
	vgt_vgpu_traps(e.v, &t, false);
	CHECK(t.reason[VGT_REASON_PV11_AREA_MAGIC] == 3 && t.reason[VGT_REASON_PV11_ACCEPT] == 3 &&
	      t.reason[VGT_REASON_PV11_AREA_SIZE] == 3 && t.reason[VGT_REASON_PV11_AREA_RANGE] == 3,
	      "refusals counted by reason");
	/* After all that, a right registration works and clears the error. */
	CHECK(pg_register(&e.g, &e.ram, e.v, AREA, PAGES, all) == 0 &&
	      rd(e.v, PG_PV(pv11.error), 4) == 0, "a correct registration after refusals");
	pv11_env_fini(&e);
}

TEST(area_in_a_second_region, "H-24 H-19")
{
	struct pv11_env e;

	env_init(&e, 0);
	guest_ram_add(&e.ram, 4096 * MIB, 16 * MIB);	/* RAM above 4 GiB */
	guest_ram_attach(&e.ram, e.v);
	CHECK(pg_register(&e.g, &e.ram, e.v, 4096 * MIB + 8 * MIB, 4, VGT_PV11_F_GGTT_BATCH) == 0,
	      "an area above 4 GiB is accepted");
	pv11_env_fini(&e);
	env_init(&e, 0);
	guest_ram_add(&e.ram, RAM, 16 * MIB);		/* adjacent region: not one region */
	guest_ram_attach(&e.ram, e.v);
	put_head(&e, RAM - 4096, VGT_PV11_MAGIC, VGT_PV11_VERSION);
	e.ram.writes = 0;
	expect_refused(&e, "across two regions", register_raw(&e, RAM - 4096, 2, 1), -ERANGE,
		       VGT_REASON_PV11_AREA_RANGE);
	pv11_env_fini(&e);
}

TEST(registration_succeeds, "H-23 H-24")
{
	const uint32_t all = VGT_PV11_F_GGTT_BATCH | VGT_PV11_F_RESLICE;
	struct pv11_env e;
	struct pg_table tb;
	struct vgt_pv11_status st;
	struct vgt_traps t;

	env_init(&e, 0);
	vgt_vgpu_traps(e.v, &t, true);
	CHECK(pg_register(&e.g, &e.ram, e.v, AREA, PAGES, all) == 0 && e.g.enabled == all,
	      "enabled %#x", e.g.enabled);
	pg_table(&e.g, &tb);
	CHECK(tb.gen == 0 && tb.nr_aperture == 1 && tb.nr_hidden == 1 &&
	      tb.range[0].base == e.s.aperture_base && tb.range[0].size == e.s.aperture_size &&
	      tb.range[1].base == e.s.hidden_base && tb.range[1].size == e.s.hidden_size,
	      "slice table: gen %u %u+%u ranges", tb.gen, tb.nr_aperture, tb.nr_hidden);
	CHECK(pg_ctl32(&e.g, PG_CTL(req_cons)) == 0 && pg_ack(&e.g) == 0 &&
	      pg_ctl32(&e.g, PG_CTL(msg_prod)) == 0, "device words start at 0");
	vgt_vgpu_pv11_status(e.v, &st);
	CHECK(st.pv11 && st.enabled == all && st.area_gpa == AREA && st.area_pages == PAGES &&
	      st.registrations == 1 && st.error == 0, "status: enabled %#x area %#llx",
	      st.enabled, (unsigned long long)st.area_gpa);
	CHECK(register_raw(&e, AREA, PAGES, all) == -EBUSY &&
	      vgt_vgpu_last_reason(e.v) == VGT_REASON_PV11_REGISTERED &&
	      rd(e.v, PG_PV(pv11.enabled), 4) == all, "a second registration is refused, the first stays");
	vgt_vgpu_traps(e.v, &t, false);
	CHECK(t.count[VGT_TRAP_PVINFO] == 12 && t.rejected[VGT_TRAP_PVINFO] == 1,
	      "pvinfo traps %llu rejected %llu", (unsigned long long)t.count[VGT_TRAP_PVINFO],
	      (unsigned long long)t.rejected[VGT_TRAP_PVINFO]);
	pv11_env_fini(&e);
}

/* Step 5: unregistration and a device reset end 1.1 (H-23). */
TEST(unregister_and_reset_end_1_1, "H-23 H-3")
{
	struct pv11_env e;
	uint8_t page[VGT_PVINFO_SIZE], fresh[VGT_PVINFO_SIZE];
	unsigned long writes;

	env_init(&e, 0);
	vgt_vgpu_get_pvinfo(e.v, fresh);
	CHECK(pg_register(&e.g, &e.ram, e.v, AREA, PAGES, VGT_PV11_F_GGTT_BATCH) == 0, "registered");
	CHECK(pg_unregister(&e.g) == 0 && rd(e.v, PG_PV(pv11.enabled), 4) == 0, "unregistered");
	writes = e.ram.writes;
	pg_post(&e.g, VGT_PV11_OP_GGTT_INSERT, (uint32_t)pte_at(&e.s, 0), 1, 4096, 0);
	CHECK(pg_doorbell(&e.g) == -EPROTO && e.ram.writes == writes &&
	      vgt_vgpu_shadow_pte(e.v, pte_at(&e.s, 0)) == 0,
	      "after unregistration the area is not touched");
	CHECK(pg_register(&e.g, &e.ram, e.v, AREA, PAGES, VGT_PV11_F_GGTT_BATCH) == 0,
	      "registered again");
	vgt_vgpu_reset(e.v);
	vgt_vgpu_get_pvinfo(e.v, page);
	CHECK(!memcmp(page, fresh, sizeof(page)), "reset: the page as published");
	writes = e.ram.writes;
	CHECK(pg_doorbell(&e.g) == -EPROTO && e.ram.writes == writes, "after a reset: 1.0");
	pv11_env_fini(&e);
}

/* The 1.1 guest words are stored like the other guest words (size 4 or 8). */
TEST(guest_words_stored, "H-23")
{
	struct pv11_env e;

	env_init(&e, 0);
	CHECK(vgt_mmio_write(e.v, PG_PV(pv11g.area_lo), 8, 0x1234000ULL | 0x5ULL << 32) == 0 &&
	      rd(e.v, PG_PV(pv11g.area_lo), 4) == 0x1234000 && rd(e.v, PG_PV(pv11g.area_hi), 4) == 5,
	      "area words as one 8-byte write");
	CHECK(vgt_mmio_write(e.v, PG_PV(pv11g.accept), 2, 1) == -EINVAL &&
	      vgt_vgpu_last_reason(e.v) == VGT_REASON_PV_SIZE, "a 2-byte write is refused");
	CHECK(vgt_mmio_write(e.v, PG_PV(pv11g.area_hi) + 4, 4, 1) == -EPERM, "rsv7 stays reserved");
	pv11_env_fini(&e);
}

VGT_TEST_MAIN()

// SPDX-License-Identifier: MIT
/*
 * The PVINFO 1.1 command channel (spec/pvinfo-1.1.md sections 14, 15, 18)
 * on libvgt: batched GGTT updates end in the same shadow PTEs trapped
 * writes produce, with the same reasons (checked against the trapped path
 * as the reference, on random batches); every kind of bad input of H-26 is
 * refused with its errno and changes nothing; a doorbell is one trap; the
 * area and the memory map bound every access; slots and payloads are
 * copied before they are checked; and the figure of the issue: 64 MiB
 * bound in at most 1/100 of 1.0's 16384 PTE traps.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pv11_guest.h"
#include "vgt_regs.h"

#include "vgt_test.h"

#define MIB VGT_MIB
#define RAM (64 * MIB)
#define AREA (32 * MIB)
#define PAGES 16
#define BATCH (VGT_PV11_F_GGTT_BATCH)

/* A default host, the guest's vGPU and a neighbour; registered with accept. */
static void env_init_pages(struct pv11_env *e, unsigned int pages, uint32_t accept)
{
	pv11_env_init(e, 0, true, RAM, AREA, pages, accept);
}

static void env_init(struct pv11_env *e)
{
	env_init_pages(e, PAGES, BATCH);
}

/* GGTT page of the i-th page of the hidden slice. */
static uint32_t hid(const struct pv11_env *e, uint32_t i)
{
	return (uint32_t)(e->s.hidden_base >> 12) + i;
}

/* A hash of the shadow PTEs of [first, first + n) (FNV-1a). */
static uint64_t shadow_hash(struct vgt_vgpu *v, uint64_t first, uint64_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL, i;

	for (i = 0; i < n; i++)
		h = (h ^ vgt_vgpu_shadow_pte(v, first + i)) * 0x100000001b3ULL;
	return h;
}

/* Every shadow PTE of both slices of a vGPU. */
static uint64_t all_shadows(struct vgt_vgpu *v)
{
	struct vgt_slices s;

	vgt_vgpu_slices(v, &s);
	return shadow_hash(v, s.aperture_base >> 12, s.aperture_size >> 12) ^
	       shadow_hash(v, s.hidden_base >> 12, s.hidden_size >> 12) * 31;
}

static void put_payload(struct pv11_env *e, uint32_t data, const uint64_t *ptes, uint32_t n)
{
	guest_ram_store(&e->ram, AREA + data, ptes, n * sizeof(*ptes));
}

/* n valid PTEs: frames 1 MiB + 4 KiB * i of guest RAM, present. */
static void valid_ptes(uint64_t *p, uint32_t n, uint64_t salt)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		p[i] = (MIB + 4096ULL * ((i + salt) % 4096)) | GEN8_PAGE_PRESENT;
}

TEST(insert_applies_every_pte, "H-25 H-27")
{
	static uint64_t ptes[4096];
	struct pv11_env e;
	struct vgt_traps t;
	uint32_t i, bad = 0;

	env_init(&e);
	valid_ptes(ptes, 4096, 7);
	vgt_vgpu_traps(e.v, &t, true);
	CHECK(pg_insert(&e.g, hid(&e, 10), ptes, 4096) == 0, "inserted");
	for (i = 0; i < 4096; i++)
		bad += vgt_vgpu_shadow_pte(e.v, hid(&e, 10 + i)) != ptes[i];
	CHECK(bad == 0, "%u shadow PTEs differ", bad);
	vgt_vgpu_traps(e.v, &t, false);
	CHECK(t.count[VGT_TRAP_PVINFO] == 1 && t.count[VGT_TRAP_GGTT] == 0 &&
	      t.channel_requests == 1 && t.channel_ptes == 4096 && t.channel_refused == 0,
	      "one doorbell trap: pvinfo %llu ggtt %llu requests %llu ptes %llu",
	      (unsigned long long)t.count[VGT_TRAP_PVINFO], (unsigned long long)t.count[VGT_TRAP_GGTT],
	      (unsigned long long)t.channel_requests, (unsigned long long)t.channel_ptes);
	CHECK(pg_clear(&e.g, hid(&e, 10), 4096, 0) == 0 &&
	      shadow_hash(e.v, hid(&e, 10), 4096) == shadow_hash(e.other, 0, 4096),
	      "clear to 0 (the other vGPU's view of pages it does not own reads 0 too)");
	pv11_env_fini(&e);
}

/* 32 requests, 32 x (pages - 1) x 512 PTEs: still one trap (H-27). */
TEST(full_ring_one_doorbell, "H-27")
{
	struct pv11_env e;
	struct vgt_traps t;
	uint32_t i, max, ok = 0;

	env_init_pages(&e, 2, BATCH);
	max = pg_max_ptes(&e.g);
	vgt_vgpu_traps(e.v, &t, true);
	for (i = 0; i < VGT_PV11_REQS; i++)
		pg_post(&e.g, VGT_PV11_OP_GGTT_CLEAR, hid(&e, i * max), max, 0,
			0x2000 | GEN8_PAGE_PRESENT);
	CHECK(pg_doorbell(&e.g) == 0 && pg_ack(&e.g) == VGT_PV11_REQS, "ack %u", pg_ack(&e.g));
	for (i = 0; i < VGT_PV11_REQS; i++)
		ok += pg_status(&e.g, i) == 0;
	vgt_vgpu_traps(e.v, &t, false);
	CHECK(ok == VGT_PV11_REQS && t.count[VGT_TRAP_PVINFO] == 1 &&
	      t.channel_ptes == (uint64_t)VGT_PV11_REQS * max,
	      "%u ok, %llu traps, %llu PTEs", ok, (unsigned long long)t.count[VGT_TRAP_PVINFO],
	      (unsigned long long)t.channel_ptes);
	pv11_env_fini(&e);
}

/*
 * The reference: the same PTEs written by traps on an identical host.
 * Random batches, about one in three with an invalid PTE (outside the
 * slices, or a frame outside guest memory): a valid batch ends in the
 * trapped path's shadows; an invalid one applies nothing, and its status
 * is the errno of the trapped path's first refusal, counted under the same
 * reason.
 */
TEST(channel_equals_trapped_writes, "H-25 H-12 H-15")
{
	static uint64_t ptes[7680];
	unsigned int seed = vgt_test_seed(), round, equal = 0, refused = 0, wrong = 0;
	struct pv11_env a, b;

	env_init(&a);
	env_init(&b);
	srand(seed);
	for (round = 0; round < 200; round++) {
		uint32_t n = 1 + (uint32_t)rand() % 7680, first = hid(&b, (uint32_t)rand() % 90000), i;
		uint64_t before = shadow_hash(b.v, first, n);
		struct vgt_traps ta, tb0, tb1;
		enum vgt_reason first_why = VGT_REASON_NONE;
		int16_t status;

		valid_ptes(ptes, n, (uint64_t)rand());
		if (rand() % 3 == 0) {
			i = (uint32_t)rand() % n;
			ptes[i] = rand() % 2 ? (RAM + 4096ULL * i) | GEN8_PAGE_PRESENT : ptes[i];
			if (rand() % 2)	/* and maybe past the slice's end */
				first = hid(&b, 98304 - (uint32_t)rand() % n);
		}
		vgt_vgpu_traps(a.v, &ta, true);
		for (i = 0; i < n; i++)
			if (vgt_mmio_write(a.v, VGT_GSM_OFFSET + 8ULL * (first + i), 8, ptes[i]) &&
			    first_why == VGT_REASON_NONE)
				first_why = vgt_vgpu_last_reason(a.v);
		vgt_vgpu_traps(b.v, &tb0, false);
		put_payload(&b, 4096, ptes, n);
		pg_post(&b.g, VGT_PV11_OP_GGTT_INSERT, first, n, 4096, 0);
		pg_doorbell(&b.g);
		status = pg_status(&b.g, b.g.req_prod - 1);
		vgt_vgpu_traps(b.v, &tb1, false);
		if (first_why == VGT_REASON_NONE) {
			equal++;
			wrong += status != 0 ||
				 shadow_hash(a.v, first, n) != shadow_hash(b.v, first, n);
		} else {
			refused++;
			wrong += status != vgt_reason_errno(first_why) ||
				 shadow_hash(b.v, first, n) != before ||
				 tb1.reason[first_why] != tb0.reason[first_why] + 1 ||
				 vgt_vgpu_last_reason(b.v) != first_why;
		}
		/* Both back to a clean slate for the next batch. */
		vgt_vgpu_reset(a.v);
		vgt_vgpu_reset(b.v);
		pg_register(&b.g, &b.ram, b.v, AREA, PAGES, BATCH);
	}
	CHECK(wrong == 0 && equal > 50 && refused > 20,
	      "seed %u: %u batches differ from the trapped path (%u valid, %u refused)", seed,
	      wrong, equal, refused);
	pv11_env_fini(&a);
	pv11_env_fini(&b);
}

/* One slot as the guest posts it: nothing else in the ring. */
static int16_t one(struct pv11_env *e, struct vgt_pv11_req r)
{
	uint32_t n = e->g.req_prod;

	pg_put_req(&e->g, &r);
	pg_doorbell(&e->g);
	return pg_status(&e->g, n);
}

static struct vgt_pv11_req req(struct pv11_env *e, uint16_t op, uint32_t first, uint32_t count,
			       uint32_t data, uint64_t arg)
{
	return (struct vgt_pv11_req){ .seq = ++e->g.seq, .op = op, .first = first,
				      .count = count, .data = data, .arg = arg };
}

/* H-26: each kind of bad slot, its errno and reason, nothing changed. */
TEST(bad_slots_refused_whole, "H-26 H-25 H-15")
{
	static uint64_t ptes[7680];
	struct pv11_env e;
	uint32_t max;
	struct bad_case {
		const char *what;
		struct vgt_pv11_req r;
		int err;
		enum vgt_reason why;
	} c[24];
	unsigned int n = 0, i;
	uint64_t before, other;

	env_init(&e);
	max = pg_max_ptes(&e.g);
	valid_ptes(ptes, max, 3);
	put_payload(&e, 4096, ptes, max);
	before = all_shadows(e.v);
	other = all_shadows(e.other);
#define CASE(w, op, first, count, data, arg, e_, why_) \
	c[n++] = (struct bad_case){ w, { 0, op, 0, first, count, data, 0, arg }, e_, why_ }
	CASE("unknown op 0", 0, hid(&e, 0), 1, 4096, 0, -EINVAL, VGT_REASON_PV11_OP);
	CASE("unknown op 4", 4, hid(&e, 0), 1, 4096, 0, -EINVAL, VGT_REASON_PV11_OP);
	CASE("unknown op 0xffff", 0xffff, hid(&e, 0), 1, 4096, 0, -EINVAL, VGT_REASON_PV11_OP);
	CASE("insert with arg", 1, hid(&e, 0), 1, 4096, 1, -EINVAL, VGT_REASON_PV11_MALFORMED);
	CASE("clear with data", 2, hid(&e, 0), 1, 4096, 0, -EINVAL, VGT_REASON_PV11_MALFORMED);
	CASE("reply with a range", 3, hid(&e, 0), 1, 0, 1, -EINVAL, VGT_REASON_PV11_MALFORMED);
	CASE("count 0", 1, hid(&e, 0), 0, 4096, 0, -ERANGE, VGT_REASON_PV11_PAYLOAD);
	CASE("count past the area's bound", 1, hid(&e, 0), max + 1, 4096, 0, -ERANGE,
	     VGT_REASON_PV11_PAYLOAD);
	CASE("clear past the bound", 2, hid(&e, 0), max + 1, 0, 0, -ERANGE, VGT_REASON_PV11_PAYLOAD);
	CASE("payload in the control page", 1, hid(&e, 0), 1, 2048, 0, -ERANGE,
	     VGT_REASON_PV11_PAYLOAD);
	CASE("payload unaligned", 1, hid(&e, 0), 1, 4100, 0, -ERANGE, VGT_REASON_PV11_PAYLOAD);
	CASE("payload past the area", 1, hid(&e, 0), 2, PAGES * 4096 - 8, 0, -ERANGE,
	     VGT_REASON_PV11_PAYLOAD);
	CASE("payload offset huge", 1, hid(&e, 0), max, 0xfffffff8u, 0, -ERANGE,
	     VGT_REASON_PV11_PAYLOAD);
	CASE("range past the GGTT", 1, 0xfffffu, 2, 4096, 0, -ERANGE, VGT_REASON_PTE_OUTSIDE);
	CASE("range wrapping 32 bits", 2, 0xffffffffu, 2, 0, 0, -ERANGE, VGT_REASON_PTE_OUTSIDE);
	CASE("range past the slice's end", 1, hid(&e, 98304 - 10), 20, 4096, 0, -ERANGE,
	     VGT_REASON_PTE_OUTSIDE);
	CASE("range in the other vGPU", 2, (uint32_t)(e.s.hidden_base >> 12) + 98304, 1, 0, 0,
	     -ERANGE, VGT_REASON_PTE_OUTSIDE);
	CASE("range in the host's reserve", 2, 0, 16, 0, 0, -ERANGE, VGT_REASON_PTE_OUTSIDE);
	CASE("clear to a frame outside RAM", 2, hid(&e, 0), 8, 0, RAM | GEN8_PAGE_PRESENT, -ERANGE,
	     VGT_REASON_PTE_FRAME);
	CASE("reply to nothing", 3, 0, 0, 0, 1, -EPROTO, VGT_REASON_PV11_STALE_REPLY);
#undef CASE
	for (i = 0; i < n; i++) {
		int16_t st;

		c[i].r.seq = ++e.g.seq;
		st = one(&e, c[i].r);
		CHECK(st == c[i].err && vgt_vgpu_last_reason(e.v) == c[i].why &&
		      pg_ack(&e.g) == e.g.seq,
		      "%s: status %d (want %d), reason %s (want %s), ack %u", c[i].what, st, c[i].err,
		      vgt_reason_name(vgt_vgpu_last_reason(e.v)), vgt_reason_name(c[i].why),
		      pg_ack(&e.g));
	}
	/* A PTE outside guest memory in the middle of a payload. */
	ptes[100] = RAM | GEN8_PAGE_PRESENT;
	put_payload(&e, 4096, ptes, max);
	CHECK(one(&e, req(&e, 1, hid(&e, 0), max, 4096, 0)) == -ERANGE &&
	      vgt_vgpu_last_reason(e.v) == VGT_REASON_PTE_FRAME, "frame outside RAM in a payload");
	CHECK(all_shadows(e.v) == before && all_shadows(e.other) == other,
	      "refused requests changed shadow PTEs");
	CHECK(e.ram.bad == 0, "%lu device accesses outside the memory map", (unsigned long)e.ram.bad);
	pv11_env_fini(&e);
}

/* Sequence numbers: a gap or a repeat is -EPROTO and not acknowledged. */
TEST(bad_sequence_numbers, "H-26")
{
	static uint64_t pte[1];
	struct pv11_env e;
	struct vgt_pv11_req r;
	struct vgt_traps t;

	env_init(&e);
	valid_ptes(pte, 1, 0);
	put_payload(&e, 4096, pte, 1);
	CHECK(one(&e, req(&e, 1, hid(&e, 0), 1, 4096, 0)) == 0 && pg_ack(&e.g) == 1, "seq 1");
	r = req(&e, 1, hid(&e, 1), 1, 4096, 0);
	r.seq = 1;		/* a repeat */
	CHECK(one(&e, r) == -EPROTO && pg_ack(&e.g) == 1 &&
	      vgt_vgpu_last_reason(e.v) == VGT_REASON_PV11_SEQ &&
	      vgt_vgpu_shadow_pte(e.v, hid(&e, 1)) == 0, "repeated seq refused, not acknowledged");
	r.seq = 5;		/* a gap */
	CHECK(one(&e, r) == -EPROTO && pg_ack(&e.g) == 1, "seq gap refused");
	r.seq = 0;
	CHECK(one(&e, r) == -EPROTO, "seq 0 refused");
	r.seq = 2;		/* the one expected: the stream goes on */
	CHECK(one(&e, r) == 0 && pg_ack(&e.g) == 2 && vgt_vgpu_shadow_pte(e.v, hid(&e, 1)) == pte[0],
	      "seq 2 after the refusals");
	vgt_vgpu_traps(e.v, &t, false);
	CHECK(t.reason[VGT_REASON_PV11_SEQ] == 3 && t.channel_refused == 3 &&
	      t.channel_requests == 5, "counted: seq %llu refused %llu requests %llu",
	      (unsigned long long)t.reason[VGT_REASON_PV11_SEQ],
	      (unsigned long long)t.channel_refused, (unsigned long long)t.channel_requests);
	pv11_env_fini(&e);
}

TEST(op_not_enabled, "H-26 H-23")
{
	struct pv11_env e;

	env_init_pages(&e, PAGES, VGT_PV11_F_RESLICE);
	CHECK(e.g.enabled == VGT_PV11_F_RESLICE, "registered without the batch feature");
	CHECK(one(&e, req(&e, 2, hid(&e, 0), 1, 0, 0)) == -EINVAL &&
	      vgt_vgpu_last_reason(e.v) == VGT_REASON_PV11_OP, "clear refused: not accepted");
	pv11_env_fini(&e);
}

/* A 1-page area carries no GGTT request: (pages - 1) x 512 = 0 PTEs. */
TEST(one_page_area_carries_no_ptes, "H-26")
{
	struct pv11_env e;

	env_init_pages(&e, 1, BATCH);
	CHECK(e.g.enabled == BATCH && one(&e, req(&e, 2, hid(&e, 0), 1, 0, 0)) == -ERANGE,
	      "clear of one page refused with a 1-page area");
	pv11_env_fini(&e);
}

/* req_prod more than 32 ahead: the doorbell is refused, nothing is read. */
TEST(req_prod_too_far_ahead, "H-26")
{
	struct pv11_env e;
	unsigned long reads;
	uint32_t i;

	env_init(&e);
	for (i = 0; i < 32; i++)
		pg_post(&e.g, VGT_PV11_OP_GGTT_CLEAR, hid(&e, i), 1, 0, 0);
	guest_ram_store32(&e.ram, AREA + PG_CTL(req_prod), 33);
	reads = e.ram.reads;
	CHECK(pg_doorbell(&e.g) == -EPROTO && vgt_vgpu_last_reason(e.v) == VGT_REASON_PV11_RING &&
	      e.ram.reads == reads + 1 && pg_ctl32(&e.g, PG_CTL(req_cons)) == 0 &&
	      pg_ack(&e.g) == 0 && pg_status(&e.g, 0) == 0,
	      "refused after reading req_prod only (%lu reads)", e.ram.reads - reads);
	guest_ram_store32(&e.ram, AREA + PG_CTL(req_prod), 0xffffffffu);	/* "behind" */
	CHECK(pg_doorbell(&e.g) == -EPROTO, "req_prod behind req_cons");
	guest_ram_store32(&e.ram, AREA + PG_CTL(req_prod), 32);
	CHECK(pg_doorbell(&e.g) == 0 && pg_ack(&e.g) == 32, "32 ahead is the most");
	pv11_env_fini(&e);
}

/* The memory map shrinks under a registered area: no access outside it. */
TEST(area_leaves_the_memory_map, "H-26 H-19")
{
	struct pv11_env e;
	struct vgt_mem_region low = { 0, AREA };
	uint64_t before;

	env_init(&e);
	pg_post(&e.g, VGT_PV11_OP_GGTT_CLEAR, hid(&e, 0), 8, 0, 0x3000 | 1);
	before = all_shadows(e.v);
	vgt_vgpu_set_memory_map(e.v, &low, 1);
	CHECK(pg_doorbell(&e.g) == -EFAULT && vgt_vgpu_last_reason(e.v) == VGT_REASON_PV11_UNREADABLE &&
	      e.ram.bad == 0 && all_shadows(e.v) == before, "refused without touching the area");
	guest_ram_attach(&e.ram, e.v);
	CHECK(pg_doorbell(&e.g) == 0 && pg_status(&e.g, 0) == 0 &&
	      vgt_vgpu_shadow_pte(e.v, hid(&e, 7)) == (0x3000 | 1), "back in the map: processed");
	pv11_env_fini(&e);
}

/* The transport fails while a request is processed: it is refused whole. */
TEST(transport_fails_mid_request, "H-26 H-25")
{
	static uint64_t ptes[4096];
	struct pv11_env e;
	uint64_t before;

	env_init(&e);
	valid_ptes(ptes, 4096, 11);
	put_payload(&e, 4096, ptes, 4096);
	pg_post(&e.g, VGT_PV11_OP_GGTT_INSERT, hid(&e, 0), 4096, 4096, 0);
	before = all_shadows(e.v);
	e.ram.fail_after = 2;	/* req_prod and the slot read work, the payload read fails */
	CHECK(pg_doorbell(&e.g) == -EFAULT && all_shadows(e.v) == before,
	      "payload unreadable: nothing applied, doorbell refused (status unwritable)");
	e.ram.fail = false;
	CHECK(pg_ctl32(&e.g, PG_CTL(req_cons)) == 0, "the device could not write req_cons");
	e.ram.fail_after = 1;	/* only req_prod */
	pg_post(&e.g, VGT_PV11_OP_GGTT_INSERT, hid(&e, 0), 4096, 4096, 0);
	CHECK(pg_doorbell(&e.g) == -EFAULT && all_shadows(e.v) == before, "slot unreadable");
	e.ram.fail = false;
	/* The device consumed the first (refused) request: the second is next. */
	CHECK(pg_doorbell(&e.g) == 0 && pg_ack(&e.g) == 2 && pg_status(&e.g, 1) == 0 &&
	      vgt_vgpu_shadow_pte(e.v, hid(&e, 4095)) == ptes[4095],
	      "once the transport works: ack %u status %d", pg_ack(&e.g), pg_status(&e.g, 1));
	pv11_env_fini(&e);
}

/*
 * A hostile guest rewrites the slot and the payload right after the
 * device read them (another vCPU): the device works on its copies.
 */
struct hostile {
	struct guest_ram *ram;
	uint64_t slot, payload;
	bool armed_slot, armed_payload;
};

static int hostile_read(void *priv, uint64_t gpa, void *buf, size_t len)
{
	struct hostile *h = priv;
	int ret = guest_ram_read(h->ram, gpa, buf, len);
	uint8_t junk[64];

	memset(junk, 0xff, sizeof(junk));
	if (h->armed_slot && gpa == h->slot && len == sizeof(struct vgt_pv11_req)) {
		h->armed_slot = false;
		guest_ram_store(h->ram, gpa, junk, len);
	} else if (h->armed_payload && gpa == h->payload) {
		h->armed_payload = false;
		guest_ram_store(h->ram, gpa, junk, 64);
	}
	return ret;
}

static int hostile_write(void *priv, uint64_t gpa, const void *buf, size_t len)
{
	return guest_ram_write(((struct hostile *)priv)->ram, gpa, buf, len);
}

TEST(slot_and_payload_copied_first, "H-25 H-26")
{
	static const struct vgt_vgpu_ops ops = { .read = hostile_read, .write = hostile_write };
	static uint64_t ptes[512];
	struct pv11_env e;
	struct hostile h;
	unsigned int i, bad = 0;

	env_init(&e);
	h = (struct hostile){ &e.ram, AREA + PG_REQ(0), AREA + 4096, true, true };
	vgt_vgpu_set_ops(e.v, &ops, &h);
	valid_ptes(ptes, 512, 5);
	put_payload(&e, 4096, ptes, 512);
	pg_post(&e.g, VGT_PV11_OP_GGTT_INSERT, hid(&e, 0), 512, 4096, 0);
	CHECK(pg_doorbell(&e.g) == 0 && !h.armed_slot && !h.armed_payload, "both rewritten");
	for (i = 0; i < 512; i++)
		bad += vgt_vgpu_shadow_pte(e.v, hid(&e, i)) != ptes[i];
	CHECK(bad == 0 && pg_status(&e.g, 0) == 0 && pg_ack(&e.g) == 1,
	      "%u PTEs not those of the copy, status %d", bad, pg_status(&e.g, 0));
	pv11_env_fini(&e);
}

/* A buffered low half is superseded by a request covering its PTE. */
TEST(request_supersedes_a_buffered_half, "H-25 H-12")
{
	struct pv11_env e;

	env_init(&e);
	CHECK(vgt_mmio_write(e.v, VGT_GSM_OFFSET + 8ULL * hid(&e, 3), 4, 0x7001) == 0, "low half");
	CHECK(pg_clear(&e.g, hid(&e, 0), 8, 0x9001) == 0, "clear over it");
	CHECK(vgt_mmio_write(e.v, VGT_GSM_OFFSET + 8ULL * hid(&e, 3) + 4, 4, 0) == -EINVAL &&
	      vgt_vgpu_last_reason(e.v) == VGT_REASON_PTE_HALF &&
	      vgt_vgpu_shadow_pte(e.v, hid(&e, 3)) == 0x9001, "the high half alone is refused");
	pv11_env_fini(&e);
}

/*
 * The goal: binding 64 MiB (16384 PTEs) costs 1.0 16384 traps; a
 * 1.1 guest with a 64-page area needs at most 1/100 of that, from
 * registration on.
 */
TEST(bind_64mib_in_few_traps, "H-27")
{
	static uint64_t ptes[16384];
	struct pv11_env a, b;
	struct vgt_traps ta, tb;
	uint64_t traps10 = 0, traps11 = 0;
	unsigned int c, i, bad = 0;

	env_init_pages(&a, PAGES, 0);
	env_init_pages(&b, 64, 0);
	valid_ptes(ptes, 16384, 1);
	for (i = 0; i < 16384; i++)
		vgt_mmio_write(a.v, VGT_GSM_OFFSET + 8ULL * hid(&a, i), 8, ptes[i]);
	vgt_vgpu_traps(b.v, &tb, true);
	CHECK(pg_register(&b.g, &b.ram, b.v, AREA, 64, BATCH) == 0, "registered 64 pages");
	CHECK(pg_insert(&b.g, hid(&b, 0), ptes, 16384) == 0, "bound");
	vgt_vgpu_traps(a.v, &ta, false);
	vgt_vgpu_traps(b.v, &tb, false);
	for (c = 0; c < VGT_TRAP_NR; c++) {
		traps10 += ta.count[c];
		traps11 += tb.count[c];
	}
	for (i = 0; i < 16384; i++)
		bad += vgt_vgpu_shadow_pte(b.v, hid(&b, i)) != vgt_vgpu_shadow_pte(a.v, hid(&a, i));
	printf("# 64 MiB bound: PVINFO 1.0 %llu traps, 1.1 %llu traps (registration included), "
	       "%llu requests\n", (unsigned long long)traps10, (unsigned long long)traps11,
	       (unsigned long long)tb.channel_requests);
	CHECK(bad == 0 && traps10 == 16384 && traps11 * 100 <= traps10,
	      "%u PTEs differ; 1.0 %llu traps, 1.1 %llu", bad, (unsigned long long)traps10,
	      (unsigned long long)traps11);
	pv11_env_fini(&a);
	pv11_env_fini(&b);
}

VGT_TEST_MAIN()

// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the PVINFO 1.1 channel (spec/pvinfo-1.1.md sections
 * 13-18) of one vGPU (the attacker, a synthetic guest of tests/
 * pv11_guest.h) on a host with a second one (the victim). The input is a
 * program for the attacker's guest: registrations (good and bad areas),
 * arbitrary bytes in the area, slots (well formed or not), req_prod
 * values, doorbells, payload PTEs, trapped PTE writes, unregistration,
 * resets, memory-map changes, transport failures, and host-side
 * re-balloons the guest may answer. After every step the oracle checks:
 *
 *   - the device touched guest memory only inside the registered area
 *     (or the one being registered) and never outside the memory map;
 *   - the victim is untouched: its page, shadow PTEs, counters, RAM;
 *   - every shadow PTE of the attacker lies in what it accepts now, with
 *     its frame in the memory map it had when the PTE was accepted;
 *   - a doorbell changes exactly what the accepted requests say, in slot
 *     order (a reference model over the slots the oracle wrote itself):
 *     a refused request changes nothing, an accepted one all of its range.
 *
 * Input: byte 0: area pages (bits 0-2, 1..8) and the features accepted
 * (bits 3-5); then 12-byte records (see step()). A failed check aborts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/vgt_internal.h"
#include "../tests/pv11_guest.h"
#include "vgt_regs.h"

#define REC 12
#define MAX_OPS 48
#define RAM0 (2 * VGT_MIB)		/* regions: [0, 2) and [8, 9) MiB */
#define RAM1_BASE (8 * VGT_MIB)
#define RAM1 VGT_MIB
#define AREA_GPA (VGT_MIB)		/* the area: in region 0 */

static struct vgt_host *h;
static struct vgt_vgpu *att, *vic;
static struct guest_ram ram, vram;
static struct pv11_guest g;
static u64 win_lo, win_hi;		/* where the device may touch guest memory */
static bool in_doorbell;

static void fail(const char *what, unsigned int op)
{
	fprintf(stderr, "fuzz_pv11: op %u: %s\n", op, what);
	abort();
}

/* The attacker's transport: guest_ram, with every device access checked. */
static int watch(void *priv, uint64_t gpa, void *buf, size_t len, bool write)
{
	if (gpa < win_lo || gpa > win_hi || len > win_hi - gpa)
		fail(write ? "device wrote outside the area" : "device read outside the area", 0);
	if (in_doorbell && !vgt_mem_contains(att, gpa, len))
		fail("device access outside the memory map", 0);
	return write ? guest_ram_write(priv, gpa, buf, len) : guest_ram_read(priv, gpa, buf, len);
}

static int watch_read(void *priv, uint64_t gpa, void *buf, size_t len)
{
	return watch(priv, gpa, buf, len, false);
}

static int watch_write(void *priv, uint64_t gpa, const void *buf, size_t len)
{
	return watch(priv, gpa, (void *)buf, len, true);
}

static const struct vgt_vgpu_ops watched = { .read = watch_read, .write = watch_write };

static u64 le(const u8 *p, unsigned int n)
{
	u64 v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

static struct vgt_vgpu *mk(const char *type, unsigned int flags)
{
	struct vgt_vgpu_request req;
	struct vgt_vgpu *v;

	if (vgt_type_parse(type, &req))
		abort();
	req.guest_mem = 0;
	req.flags = flags;
	v = vgt_vgpu_create(h, &req, NULL, NULL, 0);
	if (!v)
		abort();
	return v;
}

/*
 * The oracle's model of the attacker's shadow PTEs: two windows of
 * WIN pages (32 MiB), from 8 MiB below its first aperture and hidden
 * ranges; the re-balloons the input asks for stay inside them.
 */
#define WIN (16 * VGT_SHADOW_CHUNK)
static u64 win_base[2];
static u64 att_before[2][WIN], att_model[2][WIN], att_now[2][WIN];
static u64 vic_shadow[2][2048];

static void att_shadows(u64 out[2][WIN])
{
	vgt_ggtt_shadow_copy(att, win_base[0], WIN, out[0]);
	vgt_ggtt_shadow_copy(att, win_base[1], WIN, out[1]);
}

static u64 *model_slot(u64 page)
{
	unsigned int w;

	for (w = 0; w < 2; w++)
		if (page >= win_base[w] && page - win_base[w] < WIN)
			return &att_model[w][page - win_base[w]];
	return NULL;
}

static void vic_shadows(u64 out[2][2048])
{
	vgt_ggtt_shadow_copy(vic, vic->slices.aperture_base / VGT_PAGE, 1024, out[0]);
	vgt_ggtt_shadow_copy(vic, vic->slices.hidden_base / VGT_PAGE, 2048, out[1]);
}

/* The area the device uses (the registered one), else the guest's latest. */
static void set_window(void)
{
	win_lo = att->pv11.enabled ? att->pv11.area : g.area;
	win_hi = win_lo + (att->pv11.enabled ? att->pv11.pages : g.pages) * 4096ULL;
}

/* A GGTT page near the attacker's ranges (or the victim's, or anywhere). */
static u32 near(u16 sel)
{
	const struct vgt_slice_ranges *a = &att->accept;
	unsigned int c = sel & 1, k = (sel >> 1) & 3;

	if ((sel >> 12) == 0xf)
		return (u32)(vic->slices.hidden_base / VGT_PAGE) + ((sel >> 3) & 0xff);
	if ((sel >> 12) == 0xe)
		return (u32)le((const u8 *)&sel, 2) << 8;
	if (k >= a->nr[c])
		k = 0;
	return (u32)(a->r[c][k].base / VGT_PAGE) + (((sel >> 3) & 0x1ff) - 8);
}

/* A PTE: a frame near the ends of the two regions, present or not. */
static u64 pte_of(u64 raw)
{
	static const u64 edges[4] = { 0, RAM0, RAM1_BASE, RAM1_BASE + RAM1 };
	u64 frame = edges[raw & 3] + ((raw >> 2) & 0xf) * VGT_PAGE - 8 * VGT_PAGE;

	return raw >> 63 ? raw : (frame & GEN8_PTE_ADDR_MASK) | ((raw >> 8) & 1);
}

/* Every shadow PTE the attacker has lies in what it accepts, its frame in RAM. */
static void check_attacker(unsigned int op)
{
	unsigned int k, i;

	for (k = 0; k < VGT_SHADOW_CHUNKS; k++) {
		const u64 *chunk = att->shadow[k];

		for (i = 0; chunk && i < VGT_SHADOW_CHUNK; i++) {
			u64 pte = chunk[i], f = pte & GEN8_PTE_ADDR_MASK;
			u64 page = (u64)k * VGT_SHADOW_CHUNK + i;

			if (!pte)
				continue;
			if (!vgt_gm_owned(att, page * VGT_PAGE, VGT_PAGE))
				fail("a shadow PTE outside the accepting set", op);
			if ((pte & GEN8_PAGE_PRESENT) &&
			    !(f < RAM0 || (f >= RAM1_BASE && f < RAM1_BASE + RAM1)))
				fail("a present PTE whose frame is not guest RAM", op);
		}
	}
}

/*
 * The reference: the accepted GGTT requests of the slots just processed,
 * in order, read back from the area the oracle wrote them in (the device
 * writes only their status). False when it cannot say: a re-balloon ended
 * (shadows dropped) or the transport failed (a status may be missing).
 */
static bool model_doorbell(u64 area, u32 from, u32 to)
{
	u32 n;

	memcpy(att_model, att_before, sizeof(att_model));
	for (n = from; n != to; n++) {
		struct vgt_pv11_req r;
		u32 i;

		guest_ram_load(&ram, area + PG_REQ(n), &r, sizeof(r));
		if (r.status)
			continue;
		if (r.op == VGT_PV11_OP_MSG_REPLY)
			return false;
		if (r.op != VGT_PV11_OP_GGTT_INSERT && r.op != VGT_PV11_OP_GGTT_CLEAR)
			fail("an unknown op accepted", 0);
		for (i = 0; i < r.count; i++) {
			u64 pte = r.arg, *slot = model_slot((u64)r.first + i);

			if (r.op == VGT_PV11_OP_GGTT_INSERT)
				guest_ram_load(&ram, area + r.data + 8ULL * i, &pte, 8);
			if (!slot)
				fail("an accepted request outside the modelled pages", 0);
			*slot = pte;
		}
	}
	return true;
}

static void doorbell(unsigned int op)
{
	u32 cons = att->pv11.req_cons;
	u64 area = att->pv11.area;
	bool registered = att->pv11.enabled;

	att_shadows(att_before);
	in_doorbell = true;
	pg_doorbell(&g);
	in_doorbell = false;
	att_shadows(att_now);
	if (registered && !ram.fail && model_doorbell(area, cons, att->pv11.req_cons) &&
	    memcmp(att_model, att_now, sizeof(att_now)))
		fail("shadow PTEs differ from the accepted requests", op);
	if (!registered && memcmp(att_before, att_now, sizeof(att_now)))
		fail("a doorbell without an area changed PTEs", op);
}

/* One record: kind, then 11 bytes of arguments. */
static void step(const u8 *r, unsigned int op, uint32_t accept)
{
	u16 sel = (u16)le(r + 1, 2);
	u64 raw = le(r + 3, 8);
	u32 area_bytes = g.pages * 4096;
	struct vgt_pv11_req q;

	switch (r[0] % 12) {
	case 0: {	/* register an area: the right one, or a bad one */
		static const u64 at[4] = { AREA_GPA, AREA_GPA + 8, RAM0 - 4096, RAM1_BASE };
		u64 gpa = at[sel & 3];

		if (!att->pv11.enabled) {	/* else the old area stays the device's */
			win_lo = gpa;
			win_hi = gpa + g.pages * 4096ULL;
		}
		pg_register(&g, &ram, att, gpa, g.pages, sel & 4 ? (u32)raw : accept);
		set_window();
		break;
	}
	case 1:		/* bytes anywhere in the area, the control page mostly */
		guest_ram_store(&ram, g.area + (sel % (area_bytes - 8)), &raw, r[11] & 1 ? 8 : 4);
		break;
	case 2:		/* a slot, in sequence or not */
		q = (struct vgt_pv11_req){
			.seq = r[11] & 1 ? ++g.seq : (u32)(raw >> 32), .op = 1 + (sel & 3),
			.first = near(sel), .count = (u32)(raw & 0x3ff), .data = (u32)(raw >> 10) & 0x1fff8,
			.arg = r[11] & 2 ? pte_of(raw) : 0, .rsv = r[11] & 4 ? 1 : 0,
		};
		if (q.op == VGT_PV11_OP_GGTT_CLEAR)
			q.data = 0;
		if (q.op == VGT_PV11_OP_MSG_REPLY)
			q = (struct vgt_pv11_req){ .seq = q.seq, .op = q.op,
						   .arg = (u64)(raw & 1 ? (u32)-EBUSY : 0) << 32 |
							  (u32)(raw >> 40) % 4 };
		pg_put_req(&g, &q);
		break;
	case 3:		/* req_prod: any value */
		guest_ram_store32(&ram, g.area + PG_CTL(req_prod), (u32)raw);
		break;
	case 4:
		doorbell(op);
		break;
	case 5: {	/* 8 payload PTEs */
		u64 p[8];
		unsigned int i;

		for (i = 0; i < 8; i++)
			p[i] = pte_of(raw >> i | (u64)r[11] << 56);
		if (area_bytes > 4096)
			guest_ram_store(&ram, g.area + 4096 + (sel * 64ULL) % (area_bytes - 4096 - 56),
					p, sizeof(p));
		break;
	}
	case 6:		/* a trapped PTE write */
		vgt_mmio_write(att, VGT_GSM_OFFSET + 8ULL * near(sel), 8, pte_of(raw));
		break;
	case 7:
		pg_unregister(&g);
		set_window();
		break;
	case 8:
		vgt_vgpu_reset(att);
		set_window();
		break;
	case 9: {	/* the memory map: without region 0 (the area's), or both */
		struct vgt_mem_region map[2] = { { 0, RAM0 }, { RAM1_BASE, RAM1 } };

		vgt_vgpu_set_memory_map(att, sel & 1 ? map + 1 : map, sel & 1 ? 1 : 2);
		break;
	}
	case 10:	/* the transport fails after a few accesses */
		ram.fail = false;
		ram.fail_after = sel & 1 ? 1 + (sel >> 1) % 8 : 0;
		break;
	default: {	/* a host-side re-balloon near the current ranges */
		struct vgt_slice_ranges to = att->slices.ranges;
		unsigned int c = sel & 1, i;
		bool inside = true;

		to.r[c][0].size = (to.r[c][0].size + (u64)(((s64)(raw & 0xff) - 128) * 4096)) & ~0xfffULL;
		if (sel & 2 && to.nr[c] < VGT_MAX_SLICE_RANGES / 2) {
			to.r[c][to.nr[c]] = (struct vgt_gm_range){
				to.r[c][to.nr[c] - 1].base + to.r[c][to.nr[c] - 1].size + ((raw >> 8) & 0xff) * 4096,
				((raw >> 16) & 0x3f) * 4096 };
			to.nr[c]++;
		}
		for (c = 0; c < VGT_GM_NR; c++)
			for (i = 0; i < to.nr[c]; i++)
				inside &= to.r[c][i].base / VGT_PAGE >= win_base[c] &&
					  (to.r[c][i].base + to.r[c][i].size) / VGT_PAGE <=
					  win_base[c] + WIN;
		if (inside)
			vgt_vgpu_reslice(att, &to, NULL, 0);
		break;
	}
	}
	ram.fail = false;
}

/* A host with the attacker (scatter-capable) and the victim, as at the start. */
static void build(void)
{
	struct vgt_gpu_desc d;

	vgt_host_destroy(h);
	vgt_gpu_desc_default(&d);
	h = vgt_host_create(&d, NULL);
	if (!h)
		abort();
	/* Small slices keep the oracle cheap. */
	att = mk("4/4/4", VGT_REQ_SCATTER);
	vic = mk("4/8/2", 0);
	if (guest_ram_attach(&vram, vic))
		abort();
	win_base[0] = att->slices.aperture_base / VGT_PAGE - 2048;
	win_base[1] = att->slices.hidden_base / VGT_PAGE - 2048;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static u8 vic_page[VGT_PVINFO_SIZE], now[VGT_PVINFO_SIZE];
	static u64 vic_now[2][2048];
	struct vgt_traps t, zero;
	struct vgt_mem_region map[2] = { { 0, RAM0 }, { RAM1_BASE, RAM1 } };
	unsigned int op;
	uint32_t accept;

	if (size < 1)
		return 0;
	if (!h) {
		guest_ram_init(&ram);
		guest_ram_init(&vram);
		if (guest_ram_add(&ram, 0, RAM0) || guest_ram_add(&ram, RAM1_BASE, RAM1) ||
		    guest_ram_add(&vram, 0, RAM0))
			abort();
	}
	/* The attacker's slices moved in the last input: a fresh host. */
	if (!h || att->slices.gen)
		build();
	vgt_vgpu_reset(att);
	vgt_vgpu_reset(vic);
	vgt_vgpu_traps(att, &zero, true);
	vgt_vgpu_traps(vic, &zero, true);
	vgt_vgpu_set_memory_map(att, map, 2);
	vgt_vgpu_set_ops(att, &watched, &ram);
	memset(ram.bytes[0], 0, RAM0);
	memset(ram.bytes[1], 0, RAM1);
	vram.reads = vram.writes = 0;
	ram.fail = false;
	ram.fail_after = 0;
	g = (struct pv11_guest){ .v = att, .ram = &ram, .area = AREA_GPA, .pages = 1 + (data[0] & 7) };
	win_lo = g.area;
	win_hi = g.area + g.pages * 4096ULL;
	accept = (data[0] >> 3) & 7;
	vgt_vgpu_get_pvinfo(vic, vic_page);
	vic_shadows(vic_shadow);

	for (op = 0; op < MAX_OPS && 1 + (op + 1) * REC <= size; op++) {
		step(data + 1 + op * REC, op, accept ? accept : VGT_PV11_F_GGTT_BATCH);
		check_attacker(op);
		vgt_vgpu_traps(vic, &t, false);
		if (t.count[VGT_TRAP_PVINFO] || t.channel_requests || vram.reads || vram.writes)
			fail("the victim was reached", op);
		if (ram.bad)
			fail("the device asked for memory the transport does not have", op);
	}
	/* What the victim owns is checked once: a change would stay. */
	vgt_vgpu_get_pvinfo(vic, now);
	vic_shadows(vic_now);
	if (memcmp(now, vic_page, sizeof(now)) || memcmp(vic_now, vic_shadow, sizeof(vic_now)))
		fail("the victim's page or PTEs changed", op);
	return 0;
}

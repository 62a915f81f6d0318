/* SPDX-License-Identifier: MIT */
/*
 * A synthetic PVINFO 1.1 guest (spec/pvinfo-1.1.md), driven only through
 * a vGPU's traps and the guest's own RAM (guest_ram.h), for the host
 * model's tests, benchmarks and fuzzers: it places the shared area in
 * guest RAM, registers it (handshake 13.2), posts requests in the ring,
 * rings the doorbell, reads acknowledgements and statuses, and reads and
 * answers the host's messages. Every CPU access of the area goes through
 * the RAM's bus lock (guest_ram_load/store), as the device's do, so the
 * helpers can run against other threads. The raw pieces (pg_put_req,
 * pg_doorbell) let tests post malformed slots; pg_insert/pg_clear are what
 * a conforming driver does with a GGTT range.
 */
#ifndef PV11_GUEST_H
#define PV11_GUEST_H

#include <stddef.h>
#include <stdint.h>

#include "guest_ram.h"
#include <linux/types.h>

#include "i915_pvinfo.h"
#include "libvgt.h"

#define PG_PV(field) (VGT_PVINFO_PAGE + vgtif_offset(field))
#define PG_CTL(field) ((uint64_t)offsetof(struct vgt_pv11_ctl, field))
#define PG_REQ(i) (PG_CTL(req) + ((i) % VGT_PV11_REQS) * sizeof(struct vgt_pv11_req))
#define PG_MSG(i) (PG_CTL(msg) + ((i) % VGT_PV11_MSGS) * sizeof(struct vgt_pv11_msg))

struct pv11_guest {
	struct vgt_vgpu *v;
	struct guest_ram *ram;
	uint64_t area;			/* guest-physical */
	unsigned int pages;
	uint32_t enabled;		/* pv11.enabled read back */
	uint32_t seq;			/* of the last request posted */
	uint32_t req_prod;
	uint32_t msg_cons;
};

static inline uint32_t pg_rd32(struct pv11_guest *g, uint64_t off)
{
	uint64_t val = 0;

	vgt_mmio_read(g->v, off, 4, &val);
	return (uint32_t)val;
}

static inline uint32_t pg_ctl32(struct pv11_guest *g, uint64_t off)
{
	return guest_ram_load32(g->ram, g->area + off);
}

/*
 * Steps 2 and 4 of the handshake: a zeroed area of pages pages at gpa
 * with its control page initialised, the four words, code 8, enabled read
 * back. Return: 0 (1.1 active), or the device's pv11.error (negative) and
 * g->enabled 0.
 */
static inline int pg_register(struct pv11_guest *g, struct guest_ram *ram,
			      struct vgt_vgpu *v, uint64_t gpa, unsigned int pages,
			      uint32_t accept)
{
	uint32_t head[2] = { VGT_PV11_MAGIC, VGT_PV11_VERSION };
	uint8_t zero[4096] = { 0 };
	unsigned int i;

	*g = (struct pv11_guest){ .v = v, .ram = ram, .area = gpa, .pages = pages };
	for (i = 0; i < pages && guest_ram_ptr(ram, gpa + 4096ULL * i, 4096); i++)
		guest_ram_store(ram, gpa + 4096ULL * i, zero, sizeof(zero));
	guest_ram_store(ram, gpa, head, sizeof(head));
	vgt_mmio_write(v, PG_PV(pv11g.area_lo), 4, (uint32_t)gpa);
	vgt_mmio_write(v, PG_PV(pv11g.area_hi), 4, (uint32_t)(gpa >> 32));
	vgt_mmio_write(v, PG_PV(pv11g.area_pages), 4, pages);
	vgt_mmio_write(v, PG_PV(pv11g.accept), 4, accept);
	vgt_mmio_write(v, PG_PV(g2v_notify), 4, VGT_G2V_PV11_REGISTER);
	g->enabled = pg_rd32(g, PG_PV(pv11.enabled));
	if (g->enabled != accept)
		return (int32_t)pg_rd32(g, PG_PV(pv11.error));
	return 0;
}

static inline int pg_unregister(struct pv11_guest *g)
{
	g->enabled = 0;
	return vgt_mmio_write(g->v, PG_PV(g2v_notify), 4, VGT_G2V_PV11_UNREGISTER);
}

/* Write slot req_prod as given (seq included) and publish it; no doorbell. */
static inline void pg_put_req(struct pv11_guest *g, const struct vgt_pv11_req *r)
{
	guest_ram_store(g->ram, g->area + PG_REQ(g->req_prod), r, sizeof(*r));
	g->req_prod++;
	guest_ram_store32(g->ram, g->area + PG_CTL(req_prod), g->req_prod);
}

/* The next request in sequence; returns its seq. */
static inline uint32_t pg_post(struct pv11_guest *g, uint16_t op, uint32_t first,
			       uint32_t count, uint32_t data, uint64_t arg)
{
	struct vgt_pv11_req r = {
		.seq = ++g->seq, .op = op, .first = first, .count = count, .data = data,
		.arg = arg,
	};

	pg_put_req(g, &r);
	return r.seq;
}

/* One trap: the device processes what was posted. Return: the trap's result. */
static inline int pg_doorbell(struct pv11_guest *g)
{
	return vgt_mmio_write(g->v, PG_PV(g2v_notify), 4, VGT_G2V_PV11_DOORBELL);
}

/* The status the device wrote into the slot of the n-th request posted (from 0). */
static inline int16_t pg_status(struct pv11_guest *g, uint32_t n)
{
	int16_t st;

	guest_ram_load(g->ram, g->area + PG_REQ(n) + offsetof(struct vgt_pv11_req, status),
		       &st, sizeof(st));
	return st;
}

static inline uint32_t pg_ack(struct pv11_guest *g)
{
	return pg_ctl32(g, PG_CTL(ack_seq));
}

/* PTEs per request the area carries (section 15): (pages - 1) * 512. */
static inline uint32_t pg_max_ptes(const struct pv11_guest *g)
{
	return (g->pages - 1) * 512;
}

/*
 * What the driver does to bind n PTEs at GGTT page first (G-22): one
 * request per area-full, one doorbell per ring-full. Return: the first
 * non-zero status, -ETIMEDOUT without an acknowledgement, or 0.
 */
static inline int pg_insert(struct pv11_guest *g, uint32_t first, const uint64_t *ptes,
			    uint32_t n)
{
	uint32_t max = pg_max_ptes(g), done = 0, posted = 0, base = g->req_prod, i;
	int worst = 0;

	while (done < n) {
		uint32_t k = n - done < max ? n - done : max;

		guest_ram_store(g->ram, g->area + 4096, ptes + done, k * sizeof(uint64_t));
		pg_post(g, VGT_PV11_OP_GGTT_INSERT, first + done, k, 4096, 0);
		posted++;
		/* The payload page is reused: ring before the next fill. */
		pg_doorbell(g);
		if (pg_ack(g) != g->seq)
			return -ETIMEDOUT;
		done += k;
	}
	for (i = 0; i < posted && !worst; i++)
		worst = pg_status(g, base + i);
	return worst;
}

static inline int pg_clear(struct pv11_guest *g, uint32_t first, uint32_t n, uint64_t pte)
{
	uint32_t max = pg_max_ptes(g), done = 0, base = g->req_prod, posted = 0, i;
	int worst = 0;

	while (done < n) {
		uint32_t k = n - done < max ? n - done : max;

		pg_post(g, VGT_PV11_OP_GGTT_CLEAR, first + done, k, 0, pte);
		done += k;
		/* Slots are reused only after the device consumed them (G-21). */
		if (++posted % VGT_PV11_REQS == 0 || done == n)
			pg_doorbell(g);
	}
	if (pg_ack(g) != g->seq)
		return -ETIMEDOUT;
	for (i = 0; i < posted && !worst; i++)
		worst = pg_status(g, base + i);
	return worst;
}

/* The next message the host posted, if any (then msg_cons moves on). */
static inline bool pg_next_msg(struct pv11_guest *g, struct vgt_pv11_msg *m)
{
	if (pg_ctl32(g, PG_CTL(msg_prod)) == g->msg_cons)
		return false;
	guest_ram_load(g->ram, g->area + PG_MSG(g->msg_cons), m, sizeof(*m));
	g->msg_cons++;
	guest_ram_store32(g->ram, g->area + PG_CTL(msg_cons), g->msg_cons);
	return true;
}

/* Answer message seq with result (0 or -errno). Return: the reply's status. */
static inline int pg_reply(struct pv11_guest *g, uint32_t msg_seq, int32_t result)
{
	uint32_t n = g->req_prod;

	pg_post(g, VGT_PV11_OP_MSG_REPLY, 0, 0, 0,
		(uint64_t)(uint32_t)result << 32 | msg_seq);
	pg_doorbell(g);
	return pg_ack(g) == g->seq ? pg_status(g, n) : -ETIMEDOUT;
}

/* The slice table of the control page. */
struct pg_table {
	uint32_t gen, nr_aperture, nr_hidden, rsv;
	struct vgt_pv11_range range[VGT_PV11_MAX_RANGES];
};

static inline void pg_table(struct pv11_guest *g, struct pg_table *t)
{
	guest_ram_load(g->ram, g->area + PG_CTL(slices), t, sizeof(*t));
}

/* A test's world: a default host, the guest's vGPU, maybe a neighbour. */
struct pv11_env {
	struct vgt_host *h;
	struct vgt_vgpu *v, *other;	/* other: NULL without a neighbour */
	struct guest_ram ram;
	struct pv11_guest g;
	struct vgt_slices s;
};

/*
 * A type "8" vGPU (request flags) with ram bytes of guest RAM at 0, a
 * second type "8" beside it if neighbour; registered with accept and an
 * area of pages at area (accept 0: not registered, the guest helper
 * prepared for it).
 */
static inline void pv11_env_init(struct pv11_env *e, unsigned int flags, bool neighbour,
				 uint64_t ram, uint64_t area, unsigned int pages, uint32_t accept)
{
	struct vgt_gpu_desc d;
	struct vgt_vgpu_request req;

	memset(e, 0, sizeof(*e));
	vgt_gpu_desc_default(&d);
	e->h = vgt_host_create(&d, NULL);
	vgt_type_parse("8", &req);
	req.flags = flags;
	e->v = vgt_vgpu_create(e->h, &req, NULL, NULL, 0);
	req.flags = 0;
	if (neighbour)
		e->other = vgt_vgpu_create(e->h, &req, NULL, NULL, 0);
	guest_ram_init(&e->ram);
	guest_ram_add(&e->ram, 0, ram);
	guest_ram_attach(&e->ram, e->v);
	vgt_vgpu_slices(e->v, &e->s);
	e->g = (struct pv11_guest){ .v = e->v, .ram = &e->ram, .area = area, .pages = pages };
	if (accept)
		pg_register(&e->g, &e->ram, e->v, area, pages, accept);
}

static inline void pv11_env_fini(struct pv11_env *e)
{
	vgt_host_destroy(e->h);
	guest_ram_free(&e->ram);
}

#endif /* PV11_GUEST_H */

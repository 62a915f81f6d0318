// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: sequences of trapped BAR0 accesses (registers, PVINFO,
 * fences, GGTT PTEs, and bad accesses) decoded from the input, made by one
 * vGPU (the attacker) of a host that has a second one (the victim). After
 * every access the oracle checks, from libvgt's internal state:
 *
 *   - isolation (H-17): nothing of the victim changed: registers, PVINFO
 *     page, shadow PTEs, buffered PTE half, failsafe, PPGTT roots, trap
 *     counters, engines (execlists state), memory map, its physical fences;
 *   - a refusal changes nothing (H-15): the attacker's state is what it was
 *     before the access, counters and last-refusal record aside, and a
 *     refused read returned 0;
 *   - accounting (H-15): exactly one trap, in one class, counted as
 *     rejected exactly when the call failed, with a reason.
 *
 * Input: byte 0 picks the attacker (bit 0: vGPU 1 with 64 MiB of guest
 * memory, or vGPU 2 with 4 GiB); then 12-byte records, each one access
 * (see decode()). A failed check aborts, so libFuzzer keeps the input.
 * The host lives across inputs; a device reset of both vGPUs and zeroed
 * counters start each one (a reset that forgot something shows up as a
 * victim or refusal difference).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/vgt_exec.h"	/* internals: the oracle reads the state */
#include "../src/vgt_internal.h"
#include "vgt_regs.h"

#define PV_BASE VGT_PVINFO_PAGE
#define MAX_OPS 64
#define REC 12

/* Everything a refusal must leave alone, and everything the victim owns. */
struct snap {
	u8 pv[VGT_PVINFO_SIZE];
	u32 *regs;
	u64 *sh_ap, *sh_hid;
	u64 pending_lo_index;
	u32 pending_lo;
	bool pending, pv_read;
	enum vgt_failsafe failsafe;
	struct vgt_root roots[VGT_MAX_ROOTS];
	unsigned int nr_roots;
	struct vgt_traps traps;
	u64 fences[VGT_MAX_FENCES];	/* the host's whole fence file */
	struct vgt_engine eng[VGT_ENGINE_NR];	/* execlists front ends */
	bool irq_line;
	struct vgt_mem_region mem[VGT_MAX_MEM_REGIONS];
	unsigned int nr_mem;
};

static void fail(const char *what, unsigned int op)
{
	fprintf(stderr, "fuzz_mmio: op %u: %s\n", op, what);
	abort();
}

/* Room for either vGPU: both have at most SLICE_MAX bytes per slice. */
#define SLICE_MAX (8 * VGT_MIB)

static void snap_alloc(struct snap *s)
{
	s->regs = malloc(VGT_MMIO_SIZE);
	s->sh_ap = malloc(SLICE_MAX / VGT_PAGE * 8);
	s->sh_hid = malloc(SLICE_MAX / VGT_PAGE * 8);
	if (!s->regs || !s->sh_ap || !s->sh_hid)
		abort();
}

static void snap_take(struct snap *s, const struct vgt_vgpu *v)
{
	memcpy(s->pv, v->pv_bytes, sizeof(s->pv));
	memcpy(s->regs, v->regs, VGT_MMIO_SIZE);
	vgt_ggtt_shadow_copy(v, v->slices.aperture_base / VGT_PAGE,
			     v->slices.aperture_size / VGT_PAGE, s->sh_ap);
	vgt_ggtt_shadow_copy(v, v->slices.hidden_base / VGT_PAGE,
			     v->slices.hidden_size / VGT_PAGE, s->sh_hid);
	s->pending = v->pending;
	s->pending_lo_index = v->pending ? v->pending_lo_index : 0;
	s->pending_lo = v->pending ? v->pending_lo : 0;
	s->pv_read = v->pv_read;
	s->failsafe = v->failsafe;
	memcpy(s->roots, v->roots, sizeof(s->roots));
	s->nr_roots = v->nr_roots;
	s->traps = v->traps;
	memcpy(s->fences, v->host->fence_regs, sizeof(s->fences));
	memcpy(s->eng, v->exec->eng, sizeof(s->eng));
	s->irq_line = v->exec->irq_line;
	memcpy(s->mem, v->mem, sizeof(s->mem));
	s->nr_mem = v->nr_mem;
}

/*
 * Which part differs from the live state, or NULL. skip: a vGPU whose
 * physical fences may legitimately change meanwhile (or NULL).
 */
static const char *snap_diff(const struct snap *s, const struct vgt_vgpu *v,
			     bool counters, const struct vgt_vgpu *skip)
{
	static u64 now_ap[SLICE_MAX / VGT_PAGE], now_hid[SLICE_MAX / VGT_PAGE];
	u8 pv[VGT_PVINFO_SIZE];
	unsigned int i, j;

	/* A refused 1.1 registration writes its error (pvinfo-1.1.md H-24). */
	memcpy(pv, s->pv, sizeof(pv));
	if (!counters)
		memcpy(pv + vgtif_offset(pv11.error), v->pv_bytes + vgtif_offset(pv11.error), 4);
	if (memcmp(pv, v->pv_bytes, sizeof(pv)))
		return "PVINFO page";
	if (memcmp(s->regs, v->regs, VGT_MMIO_SIZE))
		return "register file";
	vgt_ggtt_shadow_copy(v, v->slices.aperture_base / VGT_PAGE,
			     v->slices.aperture_size / VGT_PAGE, now_ap);
	vgt_ggtt_shadow_copy(v, v->slices.hidden_base / VGT_PAGE,
			     v->slices.hidden_size / VGT_PAGE, now_hid);
	if (memcmp(s->sh_ap, now_ap, v->slices.aperture_size / VGT_PAGE * 8) ||
	    memcmp(s->sh_hid, now_hid, v->slices.hidden_size / VGT_PAGE * 8))
		return "shadow PTEs";
	if (s->pending != v->pending ||
	    (v->pending && (s->pending_lo_index != v->pending_lo_index ||
			    s->pending_lo != v->pending_lo)))
		return "buffered PTE half";
	if (s->pv_read != v->pv_read)
		return "PV-aware flag";
	if (s->failsafe != v->failsafe)
		return "failsafe";
	if (s->nr_roots != v->nr_roots ||
	    memcmp(s->roots, v->roots, sizeof(s->roots[0]) * v->nr_roots))
		return "PPGTT roots";
	if (counters && memcmp(&s->traps, &v->traps, sizeof(s->traps)))
		return "trap counters";
	if (memcmp(s->eng, v->exec->eng, sizeof(s->eng)) || s->irq_line != v->exec->irq_line)
		return "engines";
	if (s->nr_mem != v->nr_mem || memcmp(s->mem, v->mem, sizeof(s->mem)))
		return "guest memory map";
	for (i = 0; i < VGT_MAX_FENCES; i++) {
		bool skipped = false;

		for (j = 0; skip && j < skip->slices.fence_num; j++)
			skipped |= skip->slices.fence_phys[j] == i;
		if (!skipped && s->fences[i] != v->host->fence_regs[i])
			return "physical fence file";
	}
	return NULL;
}

static u64 le(const u8 *p, unsigned int n)
{
	u64 v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

struct access {
	bool write, reset;
	u64 off;
	unsigned int size;
	u64 val;
};

/* A GGTT page index near the edges of one of the slices s describes. */
static u64 near_slice(const struct vgt_slices *s, u16 sel)
{
	bool hidden = sel & 1;
	u64 base = (hidden ? s->hidden_base : s->aperture_base) / VGT_PAGE;
	u64 pages = (hidden ? s->hidden_size : s->aperture_size) / VGT_PAGE;
	u64 d = (sel >> 1) % (pages + 8);

	return d < pages ? base + d : d - pages < 4 ? base - 1 - (d - pages) : base + pages + (d - pages - 4);
}

/* A fence value over [start, end) near the slices of s (or anywhere). */
static u64 fence_val(const struct vgt_slices *s, u64 raw)
{
	u64 base = raw & 1 ? s->hidden_base : s->aperture_base;
	u64 size = raw & 1 ? s->hidden_size : s->aperture_size;
	u64 start = base + (((raw >> 8) & 0xff) - 4) * VGT_PAGE;
	u64 end = start + (((raw >> 16) & 0xffff) % (size / VGT_PAGE + 4)) * VGT_PAGE;

	if (raw >> 63)
		return raw;
	return ((end - VGT_PAGE) & 0xfffff000) << 32 | (start & 0xfffff000) | ((raw >> 1) & 1);
}

static const u32 engines[4] = {
	RENDER_RING_BASE, GEN6_BSD_RING_BASE, VEBOX_RING_BASE, BLT_RING_BASE,
};
static const u32 engine_regs[] = {
	RING_ELSP, RING_ELSP, RING_ELSP, RING_ELSP, RING_EXECLIST_STATUS_LO,
	RING_EXECLIST_STATUS_HI, RING_CONTEXT_CONTROL, RING_CONTEXT_STATUS_PTR,
	RING_MI_MODE, RING_RESET_CTL, RING_MODE_GEN7, RING_INSTPM, RING_IMR,
	RING_HWS_PGA, RING_TAIL, RING_HEAD, RING_START, RING_CTL,
};

/*
 * Record: kind, size/direction, 2 bytes selector, 8 bytes value. The kind
 * chooses the BAR0 region so that most accesses land where decisions are
 * made; kind 7 is raw (any offset, any size code).
 */
static struct access decode(const u8 *r, const struct vgt_slices *self,
			    const struct vgt_slices *other)
{
	static const unsigned int sizes[8] = { 4, 8, 4, 8, 1, 2, 3, 16 };
	struct access a = { .write = r[1] & 0x80, .size = sizes[(r[1] >> 4) & 7] };
	u16 sel = (u16)le(r + 2, 2);
	u64 raw = le(r + 4, 8);
	size_t n;
	const struct vgt_reg *t = vgt_reg_table(&n);

	a.val = raw;
	switch (r[0] & 7) {
	case 0:	/* PVINFO: any word, guest half more often */
		a.off = PV_BASE + ((sel & 0x7fc) | (sel & 0x800 ? 0x800 : 0));
		if ((r[1] & 0x0f) == 0)	/* a small value: a valid code or 0/1 */
			a.val = raw & 7;
		break;
	case 1:	/* fences, the quota's edge and beyond */
		a.off = VGT_FENCE_BASE + 8 * (sel % 36) + (sel & 0x100 ? 4 : 0);
		a.val = fence_val(sel & 0x200 ? other : self, raw);
		break;
	case 2:	/* PTEs of our own slices and just outside */
	case 3:	/* PTEs of the victim's slices */
		a.off = VGT_GSM_OFFSET + 8 * near_slice((r[0] & 7) == 2 ? self : other, sel >> 1) +
			(sel & 1 ? 4 : 0);
		if (!(r[1] & 8))	/* a frame near the end of guest memory */
			a.val = ((self->guest_mem / VGT_PAGE + (raw & 0xf) - 8) << 12) |
				((raw >> 4) & 0xfff);
		break;
	case 4:	/* a register of the table, any byte of it */
		a.off = t[sel % n].offset + (raw >> 56) % t[sel % n].size;
		if (t[sel % n].size > 0x1000)
			a.off = t[sel % n].offset + 8 * ((raw >> 40) % (t[sel % n].size / 8));
		break;
	case 5:	/* an engine's own registers: submission (ELSP), modes, ring */
		a.off = engines[sel & 3] + engine_regs[(sel >> 2) % VGT_ARRAY_SIZE(engine_regs)];
		break;
	case 6:	/* plain storage, or a device reset now and then */
		a.off = (u64)sel * 4;
		a.reset = (r[1] & 0x0f) == 0x0f && (sel & 0xff) == 0;
		break;
	default:	/* anything */
		a.off = (raw >> 32) & 0xffffff;
		a.size = sizes[(r[1] >> 4) & 7];
		break;
	}
	if (a.size <= 8)
		a.off &= ~(u64)(a.size - 1);	/* mostly aligned; raw stays raw */
	if ((r[0] & 7) == 7 && (r[0] & 8))
		a.off |= 1;
	return a;
}

static struct vgt_vgpu *mk(struct vgt_host *h, const char *type, u64 guest_mem)
{
	struct vgt_vgpu_request req;
	struct vgt_vgpu *v;
	int err;

	if (vgt_type_parse(type, &req))
		abort();
	req.guest_mem = guest_mem;
	v = vgt_vgpu_create(h, &req, &err, NULL, 0);
	if (!v)
		abort();
	return v;
}

static u64 total(const uint64_t *c)
{
	u64 n = 0;
	unsigned int i;

	for (i = 0; i < VGT_TRAP_NR; i++)
		n += c[i];
	return n;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static struct vgt_host *h;
	static struct vgt_vgpu *v[2];
	static struct snap me, them;
	struct vgt_vgpu *self, *other;
	struct vgt_traps zero;
	unsigned int op, i;
	int err;

	if (size < 1)
		return 0;
	if (!h) {
		/* One host for every input, brought back by a device reset. */
		struct vgt_gpu_desc d;

		vgt_gpu_desc_default(&d);
		h = vgt_host_create(&d, &err);
		if (!h)
			abort();
		/* Small slices keep the snapshots cheap; the edges are what matter. */
		v[0] = mk(h, "4/4/4", 64 * VGT_MIB);
		v[1] = mk(h, "4/8/2", 4096 * VGT_MIB);
		snap_alloc(&me);
		snap_alloc(&them);
	}
	for (i = 0; i < 2; i++) {
		vgt_vgpu_reset(v[i]);
		vgt_vgpu_traps(v[i], &zero, true);
		v[i]->last_reason = VGT_REASON_NONE;
	}
	self = v[data[0] & 1];
	other = v[!(data[0] & 1)];
	snap_take(&them, other);

	for (op = 0; op < MAX_OPS && 1 + (op + 1) * REC <= size; op++) {
		struct access a = decode(data + 1 + op * REC, &self->slices, &other->slices);
		uint64_t before, val = 0x5a5a5a5a5a5a5a5aULL;
		const char *diff;
		int ret;

		snap_take(&me, self);
		if (a.reset) {
			vgt_vgpu_reset(self);
			if ((diff = snap_diff(&them, other, true, self)))
				fail(diff, op);
			continue;
		}
		before = total(self->traps.count);
		if (a.write)
			ret = vgt_mmio_write(self, a.off, a.size, a.val);
		else
			ret = vgt_mmio_read(self, a.off, a.size, &val);
		if ((diff = snap_diff(&them, other, true, self)))
			fail(diff, op);	/* the victim changed: isolation broken */
		if (total(self->traps.count) != before + 1)
			fail("not exactly one trap", op);
		if (total(self->traps.rejected) != total(me.traps.rejected) + (ret != 0))
			fail("rejected count disagrees with the return value", op);
		if (!ret)
			continue;
		if (!a.write && val != 0)
			fail("a refused read returned data", op);
		if (self->last_reason == VGT_REASON_NONE ||
		    self->traps.reason[self->last_reason] != me.traps.reason[self->last_reason] + 1)
			fail("a refusal without its reason", op);
		if ((diff = snap_diff(&me, self, false, NULL)))
			fail(diff, op);	/* a refusal changed state */
	}
	return 0;
}

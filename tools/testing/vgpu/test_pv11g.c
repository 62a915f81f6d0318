// SPDX-License-Identifier: MIT
/*
 * The unchanged 1.1 guest (i915_vgpu_pv.c) on libvgt: negotiation with a
 * 1.1 and a 1.0 host and its failures, GGTT binds through the channel
 * against the trapped path (the trap figures of G-22), the channel's bad
 * answers (a refused request, a stale and a missing acknowledgement), and
 * re-ballooning: shrink with data intact, shrink refused for a pinned
 * object, grow, scattered slices and a malformed slice table.
 *
 * The host side comes from host-model/tests/pv11_guest.h's fixture (a
 * default host, a type "8" vGPU with its guest RAM); the guest is the real
 * driver code through the harness's model of 6.1's probe and GGTT paths.
 */
#include "workload.h"

#include "i915_pvinfo.h"
#include "pv11_guest.h"

#define MIB VGT_MIB

#include "vgt_test.h"

#define RAM (256 * MIB)
#define DMA (192 * MIB)		/* the shim's pages (the area) come from here */
#define AP_BASE (128 * MIB)	/* the vGPU's slices on the default host */
#define AP_SIZE (64 * MIB)
#define HID_BASE (640 * MIB)
#define HID_SIZE (384 * MIB)
#define GSM_PTE(i) (VGT_GSM_OFFSET + 8 * (u64)(i))

struct pv_test {
	struct pv11_env e;
	struct vgpu_guest g;
	bool drop_doorbell;	/* the transport loses doorbells */
	unsigned int dropped;
};

static u64 t_read(void *ctx, u64 off, unsigned int size)
{
	struct pv_test *t = ctx;
	uint64_t val = 0;

	vgt_mmio_read(t->e.v, off, size, &val);
	return val;
}

static int t_write(void *ctx, u64 off, unsigned int size, u64 val)
{
	struct pv_test *t = ctx;

	if (t->drop_doorbell && off == PG_PV(g2v_notify) &&
	    val == VGT_G2V_PV11_DOORBELL) {
		t->dropped++;
		return 0;
	}
	return vgt_mmio_write(t->e.v, off, size, val);
}

static const struct vgpu_backend_ops t_ops = { t_read, t_write };

/* A default host, the vGPU (flags), the guest probed; returns probe's result. */
static int pv_open(struct pv_test *t, unsigned int flags)
{
	memset(t, 0, sizeof(*t));
	pv11_env_init(&t->e, flags, false, RAM, 0, 0, 0);
	vgpu_shim_set_dma_ram(guest_ram_ptr(&t->e.ram, DMA, RAM - DMA), DMA, RAM - DMA);
	vgpu_guest_init(&t->g, &t_ops, t, 256 * MIB, 4096 * MIB);
	return vgpu_guest_probe(&t->g);
}

static void pv_close(struct pv_test *t)
{
	CHECK(vgpu_guest_remove(&t->g), "teardown left drm_mm nodes");
	CHECK(vgpu_shim_live_dma == 0, "%ld area allocations leaked", vgpu_shim_live_dma);
	pv11_env_fini(&t->e);
}

static struct vgt_pv11_status pv_status(struct pv_test *t)
{
	struct vgt_pv11_status st;

	vgt_vgpu_pv11_status(t->e.v, &st);
	return st;
}

static bool logged(struct pv_test *t, const char *what)
{
	return strstr(t->g.i915.drm.log, what) != NULL;
}

/* One bound object: a VMA of the harness, its pages one DMA segment. */
struct obj {
	struct vgpu_shim_vma vma;
	struct scatterlist sg;
	struct sg_table st;
	struct i915_vma_resource res;
};

/* Bind size bytes at GGTT address at, backed by guest RAM from frame on. */
static int obj_bind(struct pv_test *t, struct obj *o, u64 at, u64 size, u64 frame)
{
	int err;

	memset(o, 0, sizeof(*o));
	o->vma.node.start = at;
	o->vma.node.size = size;
	o->vma.node.color = VGPU_SHIM_VMA_COLOR;
	err = drm_mm_reserve_node(&t->g.ggtt.vm.mm, &o->vma.node);
	if (err)
		return err;
	o->sg = (struct scatterlist){ frame, (unsigned int)size };
	o->st = (struct sg_table){ &o->sg, 1 };
	o->res = (struct i915_vma_resource){ at, size, { &o->st } };
	vgpu_guest_ggtt_insert_entries(&t->g, &o->res);
	return 0;
}

static void obj_unbind(struct pv_test *t, struct obj *o)
{
	(void)t;
	if (drm_mm_node_allocated(&o->vma.node))
		drm_mm_remove_node(&o->vma.node);
}

/* Every shadow PTE of [at, at + size) is frame + offset, present. */
static bool ptes_are(struct pv_test *t, u64 at, u64 size, u64 frame)
{
	u64 i;

	for (i = 0; i < size / 4096; i++)
		if (vgt_vgpu_shadow_pte(t->e.v, at / 4096 + i) != ((frame + i * 4096) | 1))
			return false;
	return true;
}

static u64 traps(struct pv_test *t, enum vgt_trap_class c)
{
	struct vgt_traps tr;

	vgt_vgpu_traps(t->e.v, &tr, false);
	return tr.count[c];
}

TEST(negotiate_1_1, "G-20 G-25")
{
	struct vgt_pv11_status st;
	struct vgt_traps tr;
	uint64_t imr = 0, ier = 0;
	struct pv_test t;

	CHECK(pv_open(&t, 0) == 0, "probe on a 1.1 host");
	st = pv_status(&t);
	CHECK(intel_vgpu_pv_enabled(&t.g.i915) == (VGT_PV11_F_GGTT_BATCH | VGT_PV11_F_RESLICE) &&
	      st.enabled == intel_vgpu_pv_enabled(&t.g.i915) && st.registrations == 1,
	      "enabled: guest %#x, host %#x, %llu registrations",
	      intel_vgpu_pv_enabled(&t.g.i915), st.enabled,
	      (unsigned long long)st.registrations);
	CHECK(st.area_gpa >= DMA && st.area_gpa < RAM && st.area_pages == 16,
	      "area at %#llx, %u pages", (unsigned long long)st.area_gpa, st.area_pages);
	vgt_vgpu_traps(t.e.v, &tr, false);
	CHECK(tr.rejected[VGT_TRAP_PVINFO] == 0, "%llu PVINFO accesses refused",
	      (unsigned long long)tr.rejected[VGT_TRAP_PVINFO]);
	/* G-25: the message bit is enabled and unmasked in bank 2, nothing else. */
	vgt_mmio_read(t.e.v, GEN8_GT_IMR(2).reg, 4, &imr);
	vgt_mmio_read(t.e.v, GEN8_GT_IER(2).reg, 4, &ier);
	CHECK(ier == VGT_PV11_IRQ_BIT && imr == (uint32_t)~VGT_PV11_IRQ_BIT,
	      "IER(2) %#llx IMR(2) %#llx", (unsigned long long)ier, (unsigned long long)imr);
	/* ... and out of the GuC's events, whose sanitize (every GT reset) would mask it. */
	CHECK(!(t.g.gt.pm_guc_events & VGT_PV11_IRQ_BIT), "pm_guc_events %#x",
	      t.g.gt.pm_guc_events);
	CHECK(logged(&t, "PVINFO 1.1 active: features 0x3, 16-page area, 2 slice ranges"),
	      "log: %s", t.g.i915.drm.log);
	/* The same layout as 1.0: all of the GGTT but the two slices. */
	CHECK(vgpu_guest_free_space(&t.g) == AP_SIZE + HID_SIZE, "free %#llx",
	      (unsigned long long)vgpu_guest_free_space(&t.g));
	CHECK(vgpu_guest_remove(&t.g), "teardown");
	st = pv_status(&t);
	CHECK(st.enabled == 0 && st.area_gpa == 0, "unbind unregisters: enabled %#x", st.enabled);
	vgt_mmio_read(t.e.v, GEN8_GT_IMR(2).reg, 4, &imr);
	CHECK(imr == 0xffffffff, "the bit masked again: IMR(2) %#llx", (unsigned long long)imr);
	CHECK(t.g.gt.pm_guc_events == 1u << 31, "the GuC's again: pm_guc_events %#x",
	      t.g.gt.pm_guc_events);
	CHECK(vgpu_shim_live_dma == 0, "area freed");
	pv11_env_fini(&t.e);
}

TEST(negotiate_1_0_host, "G-20")
{
	struct vgt_pv11_status st;
	struct vgt_traps tr;
	struct pv_test t;
	struct obj o;

	CHECK(pv_open(&t, VGT_REQ_PVINFO_1_0) == 0, "probe on a 1.0 host");
	st = pv_status(&t);
	vgt_vgpu_traps(t.e.v, &tr, true);
	CHECK(intel_vgpu_pv_enabled(&t.g.i915) == 0 && st.registrations == 0 &&
	      t.g.i915.vgpu.res.pv11_features == 0 && vgpu_shim_live_dma == 0,
	      "1.0: enabled %#x, %llu registrations", intel_vgpu_pv_enabled(&t.g.i915),
	      (unsigned long long)st.registrations);
	/* A 1.1 word written to a 1.0 device would be a refused reserved word. */
	CHECK(tr.rejected[VGT_TRAP_PVINFO] == 0 && tr.rejected[VGT_TRAP_OTHER] == 0,
	      "%llu PVINFO accesses refused", (unsigned long long)tr.rejected[VGT_TRAP_PVINFO]);
	CHECK(!logged(&t, "1.1"), "nothing of 1.1 logged: %s", t.g.i915.drm.log);
	CHECK(obj_bind(&t, &o, AP_BASE, 16 * 4096, 0) == 0, "bind");
	CHECK(traps(&t, VGT_TRAP_GGTT) == 16 && ptes_are(&t, AP_BASE, 16 * 4096, 0),
	      "16 pages: %llu ggtt traps, as 1.0", (unsigned long long)traps(&t, VGT_TRAP_GGTT));
	obj_unbind(&t, &o);
	pv_close(&t);
}

TEST(negotiate_refused_falls_back, "G-20")
{
	struct vgt_mem_region low = { 0, DMA };
	struct pv_test t;
	struct obj o;

	/* The area lies outside the memory map the host knows: -ERANGE. */
	memset(&t, 0, sizeof(t));
	pv11_env_init(&t.e, 0, false, RAM, 0, 0, 0);
	vgt_vgpu_set_memory_map(t.e.v, &low, 1);
	vgpu_shim_set_dma_ram(guest_ram_ptr(&t.e.ram, DMA, RAM - DMA), DMA, RAM - DMA);
	vgpu_guest_init(&t.g, &t_ops, &t, 256 * MIB, 4096 * MIB);
	CHECK(vgpu_guest_probe(&t.g) == 0, "probe succeeds");
	CHECK(intel_vgpu_pv_enabled(&t.g.i915) == 0 && pv_status(&t).enabled == 0 &&
	      pv_status(&t).error == -ERANGE,
	      "refused: enabled %#x, host error %d", intel_vgpu_pv_enabled(&t.g.i915),
	      pv_status(&t).error);
	CHECK(logged(&t, "vGPU: PVINFO 1.1 refused by the host: -34"), "log: %s",
	      t.g.i915.drm.log);
	CHECK(vgpu_shim_live_dma == 0 && vgpu_guest_free_space(&t.g) == AP_SIZE + HID_SIZE,
	      "area freed, 1.0 balloons");
	CHECK(obj_bind(&t, &o, AP_BASE, 8 * 4096, 0) == 0 &&
	      traps(&t, VGT_TRAP_GGTT) == 8, "binds the 1.0 way");
	obj_unbind(&t, &o);
	pv_close(&t);

	/* No memory for the area: 1.0, said so. */
	vgpu_shim_fail_dma_alloc = true;
	CHECK(pv_open(&t, 0) == 0, "probe without pages");
	vgpu_shim_fail_dma_alloc = false;
	CHECK(intel_vgpu_pv_enabled(&t.g.i915) == 0 && pv_status(&t).registrations == 0 &&
	      logged(&t, "no memory for the PVINFO 1.1 area"), "log: %s", t.g.i915.drm.log);
	pv_close(&t);

	/* A host offering only what this driver does not know: never registers. */
	memset(&t, 0, sizeof(t));
	pv11_env_init(&t.e, 0, false, RAM, 0, 0, 0);
	{
		struct vgt_if page;

		vgt_vgpu_get_pvinfo(t.e.v, &page);
		page.pv11.features = 1u << 9;
		vgt_vgpu_set_pvinfo(t.e.v, &page);
	}
	vgpu_shim_set_dma_ram(guest_ram_ptr(&t.e.ram, DMA, RAM - DMA), DMA, RAM - DMA);
	vgpu_guest_init(&t.g, &t_ops, &t, 256 * MIB, 4096 * MIB);
	CHECK(vgpu_guest_probe(&t.g) == 0 && pv_status(&t).registrations == 0 &&
	      vgpu_shim_live_dma == 0, "unknown features only: stays 1.0");
	pv_close(&t);
}

/* Bind 64 MiB of the hidden slice; return its ggtt + pvinfo traps. */
static u64 bind_64m(struct pv_test *t, u64 *ggtt, u64 *pvinfo)
{
	struct vgt_traps tr;
	struct obj o;

	vgt_vgpu_traps(t->e.v, &tr, true);
	CHECK(obj_bind(t, &o, HID_BASE, 64 * MIB, 0) == 0, "bind 64 MiB");
	vgt_vgpu_traps(t->e.v, &tr, true);
	CHECK(ptes_are(t, HID_BASE, 64 * MIB, 0), "the host's shadow holds every PTE");
	CHECK(tr.rejected[VGT_TRAP_GGTT] == 0 && tr.channel_refused == 0, "nothing refused");
	obj_unbind(t, &o);
	*ggtt = tr.count[VGT_TRAP_GGTT];
	*pvinfo = tr.count[VGT_TRAP_PVINFO];
	return *ggtt + *pvinfo;
}

TEST(batched_bind_traps, "G-22 G-21")
{
	u64 g10, p10, g11, p11, all10, all11, pages = 64 * MIB / 4096;
	struct vgt_traps tr;
	struct pv_test t;

	CHECK(pv_open(&t, VGT_REQ_PVINFO_1_0) == 0, "1.0 probe");
	all10 = bind_64m(&t, &g10, &p10);
	pv_close(&t);

	CHECK(pv_open(&t, 0) == 0, "1.1 probe");
	all11 = bind_64m(&t, &g11, &p11);
	printf("# 64 MiB bound: PVINFO 1.0 %llu traps (%llu ggtt), PVINFO 1.1 %llu traps "
	       "(%llu ggtt, %llu doorbells)\n", (unsigned long long)all10,
	       (unsigned long long)g10, (unsigned long long)all11, (unsigned long long)g11,
	       (unsigned long long)p11);
	CHECK(g10 == pages && all11 * 100 <= g10,
	      "1.1 takes %llu traps, 1.0 %llu ggtt traps: want <= 1/100",
	      (unsigned long long)all11, (unsigned long long)g10);
	/* G-22: ceil(n / (512 * (pages - 1))) + 1 */
	CHECK(all11 <= (pages + 7679) / 7680 + 1, "%llu traps over the G-22 bound",
	      (unsigned long long)all11);

	/* A clear and a single page, each one doorbell; the shadow follows. */
	vgt_vgpu_traps(t.e.v, &tr, true);
	vgpu_guest_ggtt_clear_range(&t.g, HID_BASE, 64 * MIB);
	vgpu_guest_ggtt_insert_page(&t.g, 5 * 4096, HID_BASE + 4096);
	vgt_vgpu_traps(t.e.v, &tr, true);
	CHECK(tr.count[VGT_TRAP_PVINFO] == 2 && tr.count[VGT_TRAP_GGTT] == 0 &&
	      vgt_vgpu_shadow_pte(t.e.v, HID_BASE / 4096) == t.g.scratch.encode &&
	      vgt_vgpu_shadow_pte(t.e.v, HID_BASE / 4096 + 1) == (5 * 4096 | 1) &&
	      vgt_vgpu_shadow_pte(t.e.v, HID_BASE / 4096 + pages - 1) == t.g.scratch.encode,
	      "clear + page: %llu pvinfo %llu ggtt traps",
	      (unsigned long long)tr.count[VGT_TRAP_PVINFO],
	      (unsigned long long)tr.count[VGT_TRAP_GGTT]);
	/* A node larger than its pages: the rest is scratch (gen8's fill). */
	{
		struct obj o;

		CHECK(obj_bind(&t, &o, AP_BASE, 4 * 4096, 0x40000) == 0, "bind");
		o.res.node_size = 8 * 4096;
		vgt_vgpu_traps(t.e.v, &tr, true);
		vgpu_guest_ggtt_insert_entries(&t.g, &o.res);
		vgt_vgpu_traps(t.e.v, &tr, true);
		CHECK(ptes_are(&t, AP_BASE, 4 * 4096, 0x40000) &&
		      vgt_vgpu_shadow_pte(t.e.v, AP_BASE / 4096 + 7) == t.g.scratch.encode &&
		      tr.count[VGT_TRAP_PVINFO] == 1 && tr.channel_requests == 2,
		      "pages then scratch: %llu doorbell for %llu requests",
		      (unsigned long long)tr.count[VGT_TRAP_PVINFO],
		      (unsigned long long)tr.channel_requests);
		obj_unbind(&t, &o);
	}
	pv_close(&t);
}

TEST(channel_refused_request, "G-21")
{
	struct vgt_traps tr;
	struct pv_test t;
	struct obj o;

	CHECK(pv_open(&t, 0) == 0, "probe");
	vgt_vgpu_traps(t.e.v, &tr, true);
	/* Frames at 1 GiB: outside the 256 MiB of guest RAM (pte-frame). */
	CHECK(obj_bind(&t, &o, AP_BASE, 4 * 4096, 1024 * MIB) == 0, "bind");
	vgt_vgpu_traps(t.e.v, &tr, true);
	CHECK(tr.channel_refused == 1 && logged(&t, "refused by the host (-34)"),
	      "the host refused the request (%llu): %s",
	      (unsigned long long)tr.channel_refused, t.g.i915.drm.log);
	/* The guest fell back to the trapped writes, refused the same way. */
	CHECK(tr.count[VGT_TRAP_GGTT] == 4 && tr.rejected[VGT_TRAP_GGTT] == 4,
	      "trapped fallback: %llu ggtt, %llu refused",
	      (unsigned long long)tr.count[VGT_TRAP_GGTT],
	      (unsigned long long)tr.rejected[VGT_TRAP_GGTT]);
	CHECK(intel_vgpu_pv_enabled(&t.g.i915) != 0, "a refusal does not end 1.1");
	obj_unbind(&t, &o);
	CHECK(obj_bind(&t, &o, AP_BASE, 4 * 4096, 0) == 0 && ptes_are(&t, AP_BASE, 4 * 4096, 0),
	      "the next request is accepted");
	obj_unbind(&t, &o);
	pv_close(&t);
}

TEST(channel_lost_ack, "G-21")
{
	struct vgt_traps tr;
	struct pv_test t;
	struct obj o;

	/* Stale: the doorbell never reaches the host, ack_seq stays behind. */
	CHECK(pv_open(&t, 0) == 0, "probe");
	CHECK(obj_bind(&t, &o, AP_BASE, 4096, 0) == 0, "a first request, acknowledged");
	obj_unbind(&t, &o);
	t.drop_doorbell = true;
	vgt_vgpu_traps(t.e.v, &tr, true);
	CHECK(obj_bind(&t, &o, AP_BASE, 4 * 4096, 0x10000) == 0, "bind");
	vgt_vgpu_traps(t.e.v, &tr, true);
	CHECK(t.dropped == 1 && logged(&t, "not acknowledged in 100 ms") &&
	      logged(&t, "(ack_seq 1, -110): back to 1.0"),
	      "stale ack_seq taken for a timeout: %s", t.g.i915.drm.log);
	CHECK(intel_vgpu_pv_enabled(&t.g.i915) == 0 && pv_status(&t).enabled == 0,
	      "1.1 ended: the guest unregistered");
	CHECK(tr.count[VGT_TRAP_GGTT] == 4 && ptes_are(&t, AP_BASE, 4 * 4096, 0x10000),
	      "the PTEs written the 1.0 way: %llu ggtt traps",
	      (unsigned long long)tr.count[VGT_TRAP_GGTT]);
	obj_unbind(&t, &o);
	pv_close(&t);

	/* Missing: the host cannot read the area (-EFAULT), so never acknowledges. */
	CHECK(pv_open(&t, 0) == 0, "probe");
	t.e.ram.fail = true;
	CHECK(obj_bind(&t, &o, AP_BASE, 2 * 4096, 0x20000) == 0, "bind");
	t.e.ram.fail = false;
	CHECK(logged(&t, "not acknowledged in 100 ms") && intel_vgpu_pv_enabled(&t.g.i915) == 0 &&
	      ptes_are(&t, AP_BASE, 2 * 4096, 0x20000), "timeout, 1.0 fallback: %s",
	      t.g.i915.drm.log);
	obj_unbind(&t, &o);
	pv_close(&t);
}

/* Post a re-balloon, deliver the interrupt, let the worker answer. */
static struct vgt_pv11_status reslice(struct pv_test *t, const struct vgt_slice_ranges *to)
{
	struct vgt_pv11_status st;
	uint64_t before = 0, after = 0;
	char msg[160] = "";
	unsigned long guc = t->g.guc_events;

	CHECK(vgt_vgpu_reslice(t->e.v, to, msg, sizeof(msg)) == 0, "posted: %s", msg);
	vgt_mmio_read(t->e.v, GEN8_GT_IIR(2).reg, 4, &before);
	vgpu_guest_gt_irq(&t->g);
	vgt_mmio_read(t->e.v, GEN8_GT_IIR(2).reg, 4, &after);
	CHECK(before == VGT_PV11_IRQ_BIT && after == 0 && t->g.guc_events == guc,
	      "G-25: IIR(2) %#llx acked to %#llx, %lu events given to the GuC",
	      (unsigned long long)before, (unsigned long long)after, t->g.guc_events - guc);
	CHECK(vgpu_shim_run_work() == 1, "the worker ran");
	vgt_vgpu_pv11_status(t->e.v, &st);
	return st;
}

static struct vgt_slice_ranges one_each(u64 ab, u64 as, u64 hb, u64 hs)
{
	struct vgt_slice_ranges r = { .nr = { 1, 1 } };

	r.r[VGT_GM_APERTURE][0] = (struct vgt_gm_range){ ab, as };
	r.r[VGT_GM_HIDDEN][0] = (struct vgt_gm_range){ hb, hs };
	return r;
}

/* Can the guest's allocator place a page at GGTT address at? */
static bool can_place(struct pv_test *t, u64 at)
{
	struct drm_mm_node n = { .start = at, .size = 4096 };

	if (drm_mm_reserve_node(&t->g.ggtt.vm.mm, &n))
		return false;
	drm_mm_remove_node(&n);
	return true;
}

TEST(reslice_shrink, "G-23 G-25")
{
	struct vgt_slice_ranges to = one_each(AP_BASE, AP_SIZE / 2, HID_BASE, HID_SIZE);
	u8 data[8192], back[8192];
	struct vgt_pv11_status st;
	struct vgt_traps tr;
	struct obj keep, gone;
	struct vgt_slices s;
	unsigned int i;

	struct pv_test t;

	CHECK(pv_open(&t, 0) == 0, "probe");
	CHECK(obj_bind(&t, &keep, AP_BASE, 2 * 4096, 0x100000) == 0 &&
	      obj_bind(&t, &gone, AP_BASE + AP_SIZE / 2, 4 * 4096, 0x200000) == 0, "bind two");
	for (i = 0; i < sizeof(data); i++)
		data[i] = (u8)(i * 7 + 3);
	CHECK(vgt_aperture_write(t.e.v, AP_BASE, data, sizeof(data)) == 0, "write via GTT");
	vgt_vgpu_traps(t.e.v, &tr, true);

	st = reslice(&t, &to);
	vgt_vgpu_traps(t.e.v, &tr, true);
	vgt_vgpu_slices(t.e.v, &s);
	CHECK(st.reslice == VGT_RESLICE_ACCEPTED && st.reslice_result == 0 && s.gen == 1 &&
	      s.aperture_size == AP_SIZE / 2, "shrink accepted: %s %d, gen %u, size %#llx",
	      vgt_reslice_state_name(st.reslice), st.reslice_result, s.gen,
	      (unsigned long long)s.aperture_size);
	CHECK(gone.vma.evicted == 1 && !drm_mm_node_allocated(&gone.vma.node) &&
	      keep.vma.evicted == 0 && drm_mm_node_allocated(&keep.vma.node),
	      "evicted what was in the range given up, kept the rest");
	/* The range given up was cleared through the channel before the reply. */
	CHECK(tr.channel_ptes >= AP_SIZE / 2 / 4096 && tr.count[VGT_TRAP_GGTT] == 0,
	      "%llu PTEs cleared through the channel",
	      (unsigned long long)tr.channel_ptes);
	CHECK(vgt_aperture_read(t.e.v, AP_BASE, back, sizeof(back)) == 0 &&
	      !memcmp(data, back, sizeof(data)), "data intact through the GTT");
	CHECK(!can_place(&t, AP_BASE + AP_SIZE / 2) && !can_place(&t, AP_BASE + AP_SIZE - 4096) &&
	      can_place(&t, AP_BASE + 8192) &&
	      vgpu_guest_free_space(&t.g) == AP_SIZE / 2 - 8192 + HID_SIZE,
	      "ballooned: free %#llx", (unsigned long long)vgpu_guest_free_space(&t.g));
	CHECK(t.g.i915.vgpu.res.mappable_size == AP_SIZE / 2, "1.0 view follows");
	obj_unbind(&t, &keep);
	pv_close(&t);
}

TEST(reslice_shrink_refused_pinned, "G-23")
{
	struct vgt_slice_ranges to = one_each(AP_BASE, AP_SIZE / 2, HID_BASE, HID_SIZE);
	struct vgt_pv11_status st;
	struct vgt_slices s;
	struct obj pinned;
	struct pv_test t;
	u64 free_before;

	CHECK(pv_open(&t, 0) == 0, "probe");
	CHECK(obj_bind(&t, &pinned, AP_BASE + AP_SIZE - 4096, 4096, 0x300000) == 0, "bind");
	pinned.vma.pinned = true;
	free_before = vgpu_guest_free_space(&t.g);
	st = reslice(&t, &to);
	vgt_vgpu_slices(t.e.v, &s);
	CHECK(st.reslice == VGT_RESLICE_REFUSED && st.reslice_result == -EBUSY &&
	      s.aperture_size == AP_SIZE, "refused: %s %d, size %#llx",
	      vgt_reslice_state_name(st.reslice), st.reslice_result,
	      (unsigned long long)s.aperture_size);
	CHECK(logged(&t, "cannot be evicted (-28)"), "reason logged: %s", t.g.i915.drm.log);
	CHECK(pinned.vma.evicted == 0 && drm_mm_node_allocated(&pinned.vma.node) &&
	      vgpu_guest_free_space(&t.g) == free_before && can_place(&t, AP_BASE + AP_SIZE / 2) &&
	      ptes_are(&t, AP_BASE + AP_SIZE - 4096, 4096, 0x300000),
	      "nothing changed in the guest: free %#llx, was %#llx",
	      (unsigned long long)vgpu_guest_free_space(&t.g), (unsigned long long)free_before);
	obj_unbind(&t, &pinned);
	pv_close(&t);
}

TEST(reslice_grow, "G-23")
{
	struct vgt_slice_ranges to = one_each(AP_BASE, 2 * AP_SIZE, HID_BASE, HID_SIZE + 64 * MIB);
	struct vgt_pv11_status st;
	struct pv_test t;
	struct obj o;

	CHECK(pv_open(&t, 0) == 0, "probe");
	CHECK(!can_place(&t, AP_BASE + AP_SIZE), "not ours yet");
	st = reslice(&t, &to);
	CHECK(st.reslice == VGT_RESLICE_ACCEPTED, "grow: %s %d",
	      vgt_reslice_state_name(st.reslice), st.reslice_result);
	CHECK(vgpu_guest_free_space(&t.g) == 2 * AP_SIZE + HID_SIZE + 64 * MIB &&
	      can_place(&t, AP_BASE + 2 * AP_SIZE - 4096) &&
	      can_place(&t, HID_BASE + HID_SIZE) && !can_place(&t, AP_BASE - 4096),
	      "balloons removed over what was added: free %#llx",
	      (unsigned long long)vgpu_guest_free_space(&t.g));
	CHECK(obj_bind(&t, &o, AP_BASE + AP_SIZE, 4 * 4096, 0) == 0 &&
	      ptes_are(&t, AP_BASE + AP_SIZE, 4 * 4096, 0), "the host takes PTEs there");
	obj_unbind(&t, &o);
	pv_close(&t);
}

/*
 * Every hole of the guest's drm_mm is one of the ranges (drm_mm lists
 * holes most recent first); returns how many holes and their bytes.
 */
static unsigned int holes_are(struct pv_test *t, const struct vgt_slice_ranges *r, u64 *bytes)
{
	u64 start, end;
	struct drm_mm_node *hole;
	unsigned int holes = 0;

	*bytes = 0;
	drm_mm_for_each_hole(hole, &t->g.ggtt.vm.mm, start, end) {
		bool found = false;
		unsigned int c, i;

		for (c = 0; c < VGT_GM_NR; c++)
			for (i = 0; i < r->nr[c]; i++)
				found |= start == r->r[c][i].base && end - start == r->r[c][i].size;
		CHECK(found, "hole [%#llx, %#llx) is one of the vGPU's ranges",
		      (unsigned long long)start, (unsigned long long)end);
		*bytes += end - start;
		holes++;
	}
	return holes;
}

TEST(scattered_slices, "G-24 G-26 G-27")
{
	struct vgt_slice_ranges to = { .nr = { 2, 3 } };
	struct vgt_pv11_status st;
	unsigned int holes;
	struct pv_test t;
	u64 free;

	to.r[VGT_GM_APERTURE][0] = (struct vgt_gm_range){ AP_BASE, 16 * MIB };
	/* The second aperture range is the larger: a bind's limit. */
	to.r[VGT_GM_APERTURE][1] = (struct vgt_gm_range){ AP_BASE + 32 * MIB, 24 * MIB };
	to.r[VGT_GM_HIDDEN][0] = (struct vgt_gm_range){ HID_BASE, 64 * MIB };
	to.r[VGT_GM_HIDDEN][1] = (struct vgt_gm_range){ HID_BASE + 128 * MIB, 64 * MIB };
	to.r[VGT_GM_HIDDEN][2] = (struct vgt_gm_range){ HID_BASE + 256 * MIB, 4096 };

	CHECK(pv_open(&t, VGT_REQ_SCATTER) == 0, "probe");
	CHECK(intel_vgpu_pv_enabled(&t.g.i915) & VGT_PV11_F_SCATTER, "scatter accepted");
	st = reslice(&t, &to);
	CHECK(st.reslice == VGT_RESLICE_ACCEPTED, "scattered: %s %d",
	      vgt_reslice_state_name(st.reslice), st.reslice_result);
	/* The guest's free space is exactly the five ranges: every hole ballooned. */
	holes = holes_are(&t, &to, &free);
	CHECK(holes == 5 && free == 40 * MIB + 128 * MIB + 4096,
	      "%u holes, %#llx free", holes, (unsigned long long)free);
	CHECK(intel_vgpu_mappable_limit(&t.g.ggtt) == 24 * MIB,
	      "scattered: mappable limit %#llx, want the 24 MiB range",
	      (unsigned long long)intel_vgpu_mappable_limit(&t.g.ggtt));
	CHECK(vgpu_guest_aper_size(&t.g) == free,
	      "scattered: aper_size %#llx, want the ranges' %#llx",
	      (unsigned long long)vgpu_guest_aper_size(&t.g), (unsigned long long)free);
	pv_close(&t);
}

TEST(scattered_slices_at_creation, "G-24")
{
	struct vgt_vgpu_request req;
	struct vgt_vgpu *v[8];
	unsigned int holes, i;
	struct vgt_slices s;
	struct pv_test t;
	u64 free;

	/*
	 * Fragment the aperture: 8 vGPUs of 16 MiB fill it, the 1st and 3rd
	 * go, and a 32 MiB one fits only as both holes (GVT-g issue #164).
	 */
	memset(&t, 0, sizeof(t));
	pv11_env_init(&t.e, 0, false, RAM, 0, 0, 0);
	vgt_vgpu_destroy(t.e.v);
	vgt_type_parse("16/32/1", &req);
	for (i = 0; i < 8; i++)
		v[i] = vgt_vgpu_create(t.e.h, &req, NULL, NULL, 0);
	vgt_vgpu_destroy(v[0]);
	vgt_vgpu_destroy(v[2]);
	vgt_type_parse("32/64/1", &req);
	req.flags = VGT_REQ_SCATTER;
	req.guest_mem = RAM;
	t.e.v = vgt_vgpu_create(t.e.h, &req, NULL, NULL, 0);
	CHECK(t.e.v != NULL, "scattered vGPU created");
	if (!t.e.v) {
		pv11_env_fini(&t.e);
		return;
	}
	guest_ram_attach(&t.e.ram, t.e.v);
	vgt_vgpu_slices(t.e.v, &s);
	printf("# scattered at creation: %u aperture and %u hidden ranges\n",
	       s.ranges.nr[VGT_GM_APERTURE], s.ranges.nr[VGT_GM_HIDDEN]);
	vgpu_shim_set_dma_ram(guest_ram_ptr(&t.e.ram, DMA, RAM - DMA), DMA, RAM - DMA);
	vgpu_guest_init(&t.g, &t_ops, &t, 256 * MIB, 4096 * MIB);
	CHECK(vgpu_guest_probe(&t.g) == 0 && intel_vgpu_pv_enabled(&t.g.i915), "probe");
	holes = holes_are(&t, &s.ranges, &free);
	CHECK(s.ranges.nr[VGT_GM_APERTURE] > 1 &&
	      holes == s.ranges.nr[VGT_GM_APERTURE] + s.ranges.nr[VGT_GM_HIDDEN] &&
	      free == 96 * MIB, "%u holes, %#llx free", holes, (unsigned long long)free);
	pv_close(&t);
}

TEST(slice_table_malformed, "G-24 G-23")
{
	struct vgt_slice_ranges to = { .nr = { 2, 1 } };
	struct vgt_pv11_status st;
	struct pg_table tab;
	struct pv_test t;
	char msg[160];
	u64 free_before;

	to.r[VGT_GM_APERTURE][0] = (struct vgt_gm_range){ AP_BASE, 16 * MIB };
	to.r[VGT_GM_APERTURE][1] = (struct vgt_gm_range){ AP_BASE + 32 * MIB, 16 * MIB };
	to.r[VGT_GM_HIDDEN][0] = (struct vgt_gm_range){ HID_BASE, HID_SIZE };

	CHECK(pv_open(&t, VGT_REQ_SCATTER) == 0, "probe");
	free_before = vgpu_guest_free_space(&t.g);
	CHECK(vgt_vgpu_reslice(t.e.v, &to, msg, sizeof(msg)) == 0, "posted: %s", msg);
	/* Overlapping ranges in the table the guest reads (G-24). */
	t.e.g.area = pv_status(&t).area_gpa;
	pg_table(&t.e.g, &tab);
	tab.range[1].base = AP_BASE + 8 * MIB;
	guest_ram_store(&t.e.ram, t.e.g.area + PG_CTL(slices), &tab, sizeof(tab));
	vgpu_guest_gt_irq(&t.g);
	vgpu_shim_run_work();
	st = pv_status(&t);
	CHECK(st.reslice == VGT_RESLICE_REFUSED && st.reslice_result == -EPROTO &&
	      logged(&t, "slices.range[1].base 0x8800000 rejected"),
	      "refused: %s %d: %s", vgt_reslice_state_name(st.reslice), st.reslice_result,
	      t.g.i915.drm.log);
	CHECK(vgpu_guest_free_space(&t.g) == free_before, "balloons unchanged");
	pv_close(&t);
}

VGT_TEST_MAIN()

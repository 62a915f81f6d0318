// SPDX-License-Identifier: MIT
/*
 * One guest on one libvgt vGPU, device by device: the fence quota through
 * the trap path onto the host's physical fences (harness:fences), the PM
 * decisions and their trap counts beside bare metal (harness:pm), and
 * display_ready as the host sees it (harness:display-ready).
 */
#include "workload.h"

#include "i915_pvinfo.h"

#define MIB VGT_MIB

#include "vgt_test.h"

struct dev {
	struct vgt_host *h;
	struct vgt_vgpu *v;
	struct vgt_slices s;
	struct workload w;
};

static void dev_open(struct dev *d, const char *type)
{
	struct vgt_gpu_desc desc;
	struct vgt_vgpu_request req;
	int err;

	memset(d, 0, sizeof(*d));
	vgt_gpu_desc_default(&desc);
	desc.aperture_size = 1024 * MIB;
	d->h = vgt_host_create(&desc, &err);
	vgt_type_parse(type, &req);
	d->v = vgt_vgpu_create(d->h, &req, &err, NULL, 0);
	vgt_vgpu_slices(d->v, &d->s);
	d->w = (struct workload){ .vgpu = d->v, .mode = WL_ENLIGHTENED,
				  .aperture = desc.aperture_size,
				  .ggtt_total = desc.ggtt_size };
}

static void dev_close(struct dev *d)
{
	CHECK(vgpu_guest_remove(&d->w.guest), "teardown left drm_mm nodes");
	vgt_host_destroy(d->h);
}

TEST(fences, "G-17 H-13")
{
	struct vgt_traps t;
	struct dev d;
	unsigned int n;
	u64 base;

	dev_open(&d, "16/64/7");
	CHECK(workload_probe(&d.w) == 0 && d.w.guest.num_fences == 7,
	      "harness:fences: probe, %u fences", d.w.guest.num_fences);
	base = d.s.aperture_base;
	for (n = 0; n < d.w.guest.num_fences; n++)
		vgpu_guest_fence_write(&d.w.guest, n, base + n * MIB, MIB, 512);
	vgt_vgpu_traps(d.v, &t, true);
	CHECK(t.count[VGT_TRAP_FENCE] == 5 * 7 && t.rejected[VGT_TRAP_FENCE] == 0,
	      "harness:fences: %llu fence traps (5 per fence), %llu refused",
	      (unsigned long long)t.count[VGT_TRAP_FENCE],
	      (unsigned long long)t.rejected[VGT_TRAP_FENCE]);
	for (n = 0; n < 7; n++) {
		u64 want = ((base + (n + 1) * MIB - 4096) | 3) << 32 | (base + n * MIB) | 1;

		CHECK(vgt_host_fence(d.h, d.s.fence_phys[n]) == want,
		      "harness:fences: guest fence %u -> physical %u holds %#llx, want %#llx",
		      n, d.s.fence_phys[n],
		      (unsigned long long)vgt_host_fence(d.h, d.s.fence_phys[n]),
		      (unsigned long long)want);
	}
	/* One past the quota: the host refuses and keeps every fence. */
	vgpu_guest_fence_write(&d.w.guest, 7, base, MIB, 512);
	vgt_vgpu_traps(d.v, &t, true);
	CHECK(t.rejected[VGT_TRAP_FENCE] == 5,
	      "harness:fences: fence 7 of a quota of 7: %llu accesses refused, want all 5",
	      (unsigned long long)t.rejected[VGT_TRAP_FENCE]);
	/* Cleared, a fence reads back as zero on the host. */
	vgpu_guest_fence_write(&d.w.guest, 0, 0, 0, 0);
	CHECK(vgt_host_fence(d.h, d.s.fence_phys[0]) == 0, "harness:fences: clear");
	dev_close(&d);
}

TEST(pm, "G-10 G-15")
{
	struct dev d;
	const struct vgpu_guest_pm *pm;

	dev_open(&d, "8");
	workload_run(&d.w);
	pm = &d.w.guest.pm;
	CHECK(d.w.probe_err == 0 && !pm->forcewake && !pm->rc6 && !pm->rps &&
	      !pm->fbc && !pm->stolen && pm->huge_pages,
	      "harness:pm: vGPU decisions fw %d rc6 %d rps %d fbc %d stolen %d huge %d",
	      pm->forcewake, pm->rc6, pm->rps, pm->fbc, pm->stolen, pm->huge_pages);
	CHECK(d.w.traps.count[VGT_TRAP_PM] == 0,
	      "harness:pm: %llu pm traps on a vGPU",
	      (unsigned long long)d.w.traps.count[VGT_TRAP_PM]);
	vgt_host_destroy(d.h);

	dev_open(&d, "8");
	d.w.mode = WL_BARE_METAL;
	d.w.object_size = 2 * MIB;
	workload_run(&d.w);
	CHECK(d.w.traps.count[VGT_TRAP_PM] == 4 + 5 && vgt_vgpu_failsafe(d.v),
	      "harness:pm: bare metal: %llu pm traps (want 2 forcewake handshakes + 5 "
	      "RC6/RPS writes), failsafe %d",
	      (unsigned long long)d.w.traps.count[VGT_TRAP_PM], vgt_vgpu_failsafe(d.v));
	vgt_host_destroy(d.h);

	/* Without HUGE_GTT the guest keeps to 4 KiB pages (spec G-10). */
	dev_open(&d, "8");
	{
		struct vgt_if page;

		vgt_vgpu_get_pvinfo(d.v, &page);
		page.vgt_caps &= ~VGT_CAPS_HUGE_GTT;
		vgt_vgpu_set_pvinfo(d.v, &page);
	}
	CHECK(workload_probe(&d.w) == 0 && !d.w.guest.pm.huge_pages,
	      "harness:pm: huge pages without VGT_CAPS_HUGE_GTT");
	dev_close(&d);
}

TEST(display_ready, "G-14")
{
	struct vgt_if page;
	struct vgt_traps t;
	struct dev d;

	dev_open(&d, "8");
	CHECK(workload_probe(&d.w) == 0, "probe");
	vgt_vgpu_get_pvinfo(d.v, &page);
	CHECK(page.display_ready == VGT_DRV_DISPLAY_NOT_READY, "ready before register");
	intel_vgpu_register(&d.w.guest.i915);
	vgt_vgpu_get_pvinfo(d.v, &page);
	vgt_vgpu_traps(d.v, &t, false);
	CHECK(page.display_ready == VGT_DRV_DISPLAY_READY &&
	      t.rejected[VGT_TRAP_PVINFO] == 0,
	      "harness:display-ready: host sees %u, %llu refused", page.display_ready,
	      (unsigned long long)t.rejected[VGT_TRAP_PVINFO]);
	dev_close(&d);
}

VGT_TEST_MAIN()

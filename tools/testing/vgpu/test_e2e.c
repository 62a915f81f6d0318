// SPDX-License-Identifier: MIT
/*
 * End to end: the unchanged guest code against libvgt, one thread per
 * guest, each binding objects of random sizes until its slices are full;
 * concurrent PPGTT notifications on one device; a misbehaving guest; and
 * 6.1's trusting guest beside ours on malformed pages. Built with
 * ASan/UBSan and, for the concurrency, with TSan.
 *
 * Object sizes come from the run's seed (vgt_test_seed(): VGT_SEED=N
 * replays a run); it is printed first and with every failure.
 */
#include "workload.h"

#include "i915_pvinfo.h"

#define MIB VGT_MIB

#include "vgt_test.h"

static unsigned int seed;

static void seed_up(void)
{
	seed = vgt_test_seed();
}

TEST_FIXTURE(seed_up, NULL)

static void *run_thread(void *arg)
{
	workload_run(arg);
	return NULL;
}

static bool overlap(u64 a, u64 as, u64 b, u64 bs)
{
	return a < b + bs && b < a + as;
}

static struct vgt_host *host(u64 aperture_mib)
{
	struct vgt_gpu_desc d;
	int err;

	vgt_gpu_desc_default(&d);
	d.aperture_size = aperture_mib * MIB;
	return vgt_host_create(&d, &err);
}

static void check_guest(const char *label, struct workload *w, struct vgt_vgpu *v)
{
	struct vgt_slices s;
	u64 rejected = 0;
	unsigned int c;

	vgt_vgpu_slices(v, &s);
	for (c = 0; c < VGT_TRAP_NR; c++)
		rejected += w->traps.rejected[c];
	CHECK(w->probe_err == 0 && w->clean_teardown,
	      "%s vGPU %u (seed %u): probe %d", label, s.id, seed, w->probe_err);
	CHECK(rejected == 0 && w->pte_refused == 0 && w->fence_refused == 0,
	      "%s vGPU %u (seed %u): host rejected %llu accesses of a correct guest",
	      label, s.id, seed, (unsigned long long)rejected);
	CHECK(w->pte_mismatch == 0,
	      "%s vGPU %u (seed %u): %lu PTEs differ from the host's shadow",
	      label, s.id, seed, w->pte_mismatch);
	CHECK(w->bound > 0 && w->free_after_bind == 0 &&
	      w->bound == s.aperture_size + s.hidden_size,
	      "%s vGPU %u (seed %u): bound %llu + free %llu != slices %llu", label,
	      s.id, seed, w->bound, w->free_after_bind,
	      (unsigned long long)(s.aperture_size + s.hidden_size));
	CHECK(w->fences_used == s.fence_num && w->guest.num_fences == s.fence_num,
	      "harness:fences %s vGPU %u: %u fences used, quota %u", label, s.id,
	      w->fences_used, s.fence_num);
	/* probe: 10 reads of 1.0, 2 of 1.1 (features, max_pages); 7 in the run */
	CHECK(w->traps.count[VGT_TRAP_PM] == 0 && w->traps.count[VGT_TRAP_PVINFO] == 10 + 2 + 7,
	      "harness:pm %s vGPU %u: %llu pm traps, %llu pvinfo traps", label, s.id,
	      (unsigned long long)w->traps.count[VGT_TRAP_PM],
	      (unsigned long long)w->traps.count[VGT_TRAP_PVINFO]);
	CHECK(w->ppgtt_roots == 1 && vgt_vgpu_ppgtt_roots(v) == 0,
	      "harness:ppgtt-notify %s vGPU %u: %u roots while alive", label, s.id,
	      w->ppgtt_roots);
}

static void scenario(const char *label, u64 aperture_mib, const char *const *types,
		     unsigned int n)
{
	struct vgt_vgpu *v[16];
	struct workload *w = calloc(n, sizeof(*w));
	struct vgt_host *h = host(aperture_mib);
	struct vgt_gpu_desc d;
	pthread_t t[16];
	unsigned int i, j;
	int err;

	vgt_host_desc(h, &d);
	for (i = 0; i < n; i++) {
		struct vgt_vgpu_request req;
		char msg[128] = "";

		vgt_type_parse(types[i], &req);
		v[i] = vgt_vgpu_create(h, &req, &err, msg, sizeof(msg));
		CHECK(v[i], "%s: vGPU %u (%s): %s", label, i, types[i], msg);
		if (!v[i])
			goto out;
		w[i] = (struct workload){ .vgpu = v[i], .mode = WL_ENLIGHTENED,
					  .aperture = d.aperture_size,
					  .ggtt_total = d.ggtt_size,
					  .seed = seed + i };
	}
	for (i = 0; i < n; i++)
		pthread_create(&t[i], NULL, run_thread, &w[i]);
	for (i = 0; i < n; i++)
		pthread_join(t[i], NULL);

	for (i = 0; i < n; i++) {
		struct vgt_slices s;

		check_guest(label, &w[i], v[i]);
		vgt_vgpu_slices(v[i], &s);
		for (j = 0; j < i; j++) {
			struct vgt_slices o;

			vgt_vgpu_slices(v[j], &o);
			CHECK(!overlap(s.aperture_base, s.aperture_size, o.aperture_base, o.aperture_size) &&
			      !overlap(s.hidden_base, s.hidden_size, o.hidden_base, o.hidden_size),
			      "%s: vGPUs %u and %u overlap", label, s.id, o.id);
			CHECK(s.fence_phys[0] > o.fence_phys[o.fence_num - 1] ||
			      o.fence_phys[0] > s.fence_phys[s.fence_num - 1],
			      "harness:fences %s: vGPUs %u and %u share a fence", label,
			      s.id, o.id);
		}
	}
out:
	vgt_host_destroy(h);
	free(w);
}

/*
 * gen8_ppgtt_notify_vgt() from several threads of one guest: pdp and code
 * are written under vgpu.lock, so the host sees whole messages only.
 */
struct notifier {
	struct vgpu_guest *g;
	unsigned int id;
};

static void *notify_thread(void *arg)
{
	struct notifier *n = arg;
	unsigned int i;

	for (i = 0; i < 200; i++) {
		u64 pml4 = (0x100000ULL * (n->id + 1)) + 0x1000ULL * (i % 16);

		vgpu_guest_ppgtt_notify(n->g, pml4, true);
		vgpu_guest_ppgtt_notify(n->g, pml4, false);
	}
	vgpu_guest_ppgtt_notify(n->g, 0x100000ULL * (n->id + 1), true);	/* stays */
	return NULL;
}

TEST(ppgtt_notify, "G-13")
{
	struct vgt_host *h = host(256);
	struct vgt_vgpu_request req;
	struct vgt_vgpu *v;
	struct workload w;
	struct notifier n[4];
	pthread_t t[4];
	struct vgt_traps tr;
	unsigned int i;
	int err;

	vgt_type_parse("8", &req);
	v = vgt_vgpu_create(h, &req, &err, NULL, 0);
	w = (struct workload){ .vgpu = v, .mode = WL_ENLIGHTENED,
			       .aperture = 256 * MIB, .ggtt_total = 4096 * MIB };
	CHECK(workload_probe(&w) == 0, "harness:ppgtt-notify: probe");
	for (i = 0; i < 4; i++) {
		n[i] = (struct notifier){ &w.guest, i };
		pthread_create(&t[i], NULL, notify_thread, &n[i]);
	}
	for (i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	vgt_vgpu_traps(v, &tr, false);
	CHECK(vgt_vgpu_ppgtt_roots(v) == 4 && tr.rejected[VGT_TRAP_PVINFO] == 0,
	      "harness:ppgtt-notify: host holds %u roots (want 4), %llu refused",
	      vgt_vgpu_ppgtt_roots(v), (unsigned long long)tr.rejected[VGT_TRAP_PVINFO]);
	CHECK(tr.count[VGT_TRAP_PVINFO] == 10 + 2 + 4 * (200 * 2 + 1) * 3,
	      "harness:ppgtt-notify: %llu pvinfo traps, 3 per notification",
	      (unsigned long long)tr.count[VGT_TRAP_PVINFO]);
	for (i = 0; i < 4; i++)
		vgpu_guest_ppgtt_notify(&w.guest, 0x100000ULL * (i + 1), false);
	CHECK(vgt_vgpu_ppgtt_roots(v) == 0, "harness:ppgtt-notify: roots left");
	CHECK(vgpu_guest_remove(&w.guest), "teardown");
	vgt_host_destroy(h);
}

/* A guest that writes outside its slices and uses fences beyond its quota. */
TEST(misbehaving, "H-12 H-13 H-17")
{
	struct vgt_host *h = host(256);
	struct vgt_vgpu_request req;
	struct vgt_vgpu *good, *bad;
	struct vgt_slices gs, bs;
	struct vgt_traps t;
	struct workload w;
	u64 i, pte, refused = 0;
	int err;

	vgt_type_parse("8", &req);
	good = vgt_vgpu_create(h, &req, &err, NULL, 0);
	bad = vgt_vgpu_create(h, &req, &err, NULL, 0);
	vgt_vgpu_slices(good, &gs);
	vgt_vgpu_slices(bad, &bs);

	w = (struct workload){ .vgpu = good, .mode = WL_ENLIGHTENED,
			       .aperture = 256 * MIB, .ggtt_total = 4096 * MIB };
	CHECK(workload_probe(&w) == 0, "good guest probe");
	vgt_mmio_write(good, VGT_GSM_OFFSET + 8 * (gs.aperture_base >> 12), 8, 0x5000 | 1);
	vgpu_guest_fence_write(&w.guest, 0, gs.aperture_base, MIB, 512);
	pte = vgt_vgpu_shadow_pte(good, gs.aperture_base >> 12);

	for (i = 0; i < gs.aperture_size >> 12; i++)	/* the other's slice */
		refused += vgt_mmio_write(bad, VGT_GSM_OFFSET + 8 * ((gs.aperture_base >> 12) + i),
					  8, 0x6000 | 1) != 0;
	for (i = bs.fence_num; i < VGPU_GEN9_FENCES; i++)	/* beyond its quota */
		refused += vgt_mmio_write(bad, VGT_FENCE_BASE + 8 * i, 8, 0) != 0;
	/* Its own fence over the good vGPU's slice. */
	refused += vgt_mmio_write(bad, VGT_FENCE_BASE, 8,
				  ((gs.aperture_base + MIB - 4096) << 32) | gs.aperture_base | 1) != 0;
	vgt_vgpu_traps(bad, &t, false);
	CHECK(refused == (gs.aperture_size >> 12) + VGPU_GEN9_FENCES - bs.fence_num + 1 &&
	      t.rejected[VGT_TRAP_GGTT] == gs.aperture_size >> 12 &&
	      t.rejected[VGT_TRAP_FENCE] == VGPU_GEN9_FENCES - bs.fence_num + 1,
	      "harness:misbehaving: refused %llu, ggtt rejected %llu, fence %llu",
	      (unsigned long long)refused, (unsigned long long)t.rejected[VGT_TRAP_GGTT],
	      (unsigned long long)t.rejected[VGT_TRAP_FENCE]);
	CHECK(vgt_vgpu_shadow_pte(good, gs.aperture_base >> 12) == pte &&
	      pte == (0x5000 | 1), "the good vGPU's PTE changed");
	CHECK(vgt_host_fence(h, gs.fence_phys[0]) ==
	      (((gs.aperture_base + MIB - 4096) | 3) << 32 | gs.aperture_base | 1),
	      "the good vGPU's fence changed: %#llx",
	      (unsigned long long)vgt_host_fence(h, gs.fence_phys[0]));
	vgt_vgpu_traps(good, &t, false);
	CHECK(t.rejected[VGT_TRAP_GGTT] == 0 && t.rejected[VGT_TRAP_FENCE] == 0,
	      "the good vGPU saw rejections");
	vgpu_guest_remove(&w.guest);
	vgt_host_destroy(h);
}

/* Guests in threads until their slices are full, on hosts of each shape. */
TEST(multi_vgpu_default, "G-3 G-15 G-17 H-5 H-17")
{
	static const char *const types[] = { "8", "8" };

	scenario("default host, 2 x type 8", 256, types, 2);
}

TEST(multi_vgpu_type1, "G-3 G-15 G-17 H-5 H-17")
{
	static const char *const types[] = { "1" };

	scenario("aperture 1024 MiB, type 1", 1024, types, 1);
}

TEST(multi_vgpu_mixed, "G-3 G-15 G-17 H-5 H-17")
{
	static const char *const types[] = { "2", "4", "8" };

	scenario("aperture 1024 MiB, types 2 4 8", 1024, types, 3);
}

TEST(multi_vgpu_one_eight, "G-3 G-15 G-17 H-5 H-17")
{
	static const char *const types[] = { "1", "8" };

	scenario("aperture 1024 MiB, types 1 8", 1024, types, 2);
}

TEST(multi_vgpu_custom, "G-3 G-15 G-17 H-5 H-17")
{
	static const char *const types[] = { "48/200/2", "16/64/1", "100/300/3", "8/40/1" };

	scenario("aperture 512 MiB, custom sizes", 512, types, 4);
}

TEST(multi_vgpu_sixteen, "G-3 G-15 G-17 H-5 H-17")
{
	const char *types[16];
	unsigned int i;

	for (i = 0; i < 16; i++)
		types[i] = "32/96/1";
	scenario("aperture 1024 MiB, 16 x 32/96/1", 1024, types, 16);
}

VGT_TEST_MAIN()

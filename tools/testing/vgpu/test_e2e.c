// SPDX-License-Identifier: MIT
/*
 * End to end: the unchanged guest code against libvgt, one thread per
 * guest, each binding objects until its slices are full. Built with
 * ASan/UBSan and, for the concurrency, with TSan.
 */
#include "workload.h"

#include "i915_pvinfo.h"

#define MIB VGT_MIB

#include "vgt_test.h"

static void *run_thread(void *arg)
{
	workload_run(arg);
	return NULL;
}

static bool overlap(u64 a, u64 as, u64 b, u64 bs)
{
	return a < b + bs && b < a + as;
}

/* Every slot of a vGPU's slices holds the scratch PTE its guest left. */
static unsigned long foreign_ptes(struct vgt_vgpu *v)
{
	struct vgt_slices s;
	unsigned long bad = 0;
	u64 i;

	vgt_vgpu_slices(v, &s);
	for (i = 0; i < s.aperture_size >> 12; i++)
		bad += vgt_vgpu_shadow_pte(v, (s.aperture_base >> 12) + i) != (0x1000 | 1);
	for (i = 0; i < s.hidden_size >> 12; i++)
		bad += vgt_vgpu_shadow_pte(v, (s.hidden_base >> 12) + i) != (0x1000 | 1);
	return bad;
}

static void scenario(const char *label, u64 aperture_mib, const char *const *types,
		     unsigned int n)
{
	int before = failed;
	struct vgt_gpu_desc d;
	struct vgt_vgpu *v[16];
	struct workload *w = calloc(n, sizeof(*w));
	pthread_t t[16];
	struct vgt_host *h;
	unsigned int i, j;
	int err;

	vgt_gpu_desc_default(&d);
	d.aperture_size = aperture_mib * MIB;
	h = vgt_host_create(&d, &err);
	for (i = 0; i < n; i++) {
		struct vgt_vgpu_request req;
		char msg[128] = "";

		vgt_type_parse(types[i], &req);
		v[i] = vgt_vgpu_create(h, &req, &err, msg, sizeof(msg));
		CHECK(v[i], "%s: vGPU %u (%s): %s", label, i, types[i], msg);
		if (!v[i])
			goto out;
		w[i] = (struct workload){ .vgpu = v[i], .enlightened = true,
					  .aperture = d.aperture_size,
					  .ggtt_total = d.ggtt_size,
					  .object_size = 2 * MIB };
	}
	for (i = 0; i < n; i++)
		pthread_create(&t[i], NULL, run_thread, &w[i]);
	for (i = 0; i < n; i++)
		pthread_join(t[i], NULL);

	for (i = 0; i < n; i++) {
		struct vgt_slices s;
		unsigned int c;
		u64 rejected = 0;

		vgt_vgpu_slices(v[i], &s);
		for (c = 0; c < VGT_TRAP_NR; c++)
			rejected += w[i].traps.rejected[c];
		CHECK(w[i].probe_err == 0 && w[i].clean_teardown,
		      "%s vGPU %u: probe %d", label, s.id, w[i].probe_err);
		CHECK(rejected == 0 && w[i].pte_refused == 0 && w[i].fence_refused == 0,
		      "%s vGPU %u: host rejected %llu accesses of a correct guest",
		      label, s.id, (unsigned long long)rejected);
		CHECK(w[i].bound + w[i].free_after_bind == s.aperture_size + s.hidden_size &&
		      w[i].bound > 0,
		      "%s vGPU %u: bound %llu + free %llu != slices %llu", label, s.id,
		      w[i].bound, w[i].free_after_bind,
		      (unsigned long long)(s.aperture_size + s.hidden_size));
		CHECK(w[i].mappable_objects * 2 * MIB <= s.aperture_size &&
		      w[i].fences_used == s.fence_num,
		      "%s vGPU %u: %u mappable objects, %u fences of %u", label, s.id,
		      w[i].mappable_objects, w[i].fences_used, s.fence_num);
		CHECK(w[i].traps.count[VGT_TRAP_PM] == 0 && w[i].traps.count[VGT_TRAP_PVINFO] == 11,
		      "%s vGPU %u: harness:pm: %llu pm traps, %llu pvinfo traps", label, s.id,
		      (unsigned long long)w[i].traps.count[VGT_TRAP_PM],
		      (unsigned long long)w[i].traps.count[VGT_TRAP_PVINFO]);
		CHECK(foreign_ptes(v[i]) == 0, "%s vGPU %u: PTEs not written by its guest",
		      label, s.id);
		for (j = 0; j < i; j++) {
			struct vgt_slices o;

			vgt_vgpu_slices(v[j], &o);
			CHECK(!overlap(s.aperture_base, s.aperture_size, o.aperture_base, o.aperture_size) &&
			      !overlap(s.hidden_base, s.hidden_size, o.hidden_base, o.hidden_size),
			      "%s: vGPUs %u and %u overlap", label, s.id, o.id);
		}
	}
out:
	vgt_host_destroy(h);
	free(w);
	REPORT(before, "harness:multi-vgpu %s (%u vGPUs)", label, n);
}

/* A guest that writes outside its slices and uses fences beyond its quota. */
static void test_misbehaving(void)
{
	int before = failed;
	struct vgt_gpu_desc d;
	struct vgt_vgpu_request req;
	struct vgt_vgpu *good, *bad;
	struct vgt_slices gs, bs;
	struct vgt_traps t;
	struct workload w = { 0 };
	struct host_snapshot { u64 pte; } first;
	struct vgt_host *h;
	int err;
	u64 i, refused = 0;

	vgt_gpu_desc_default(&d);
	h = vgt_host_create(&d, &err);
	vgt_type_parse("8", &req);
	good = vgt_vgpu_create(h, &req, &err, NULL, 0);
	bad = vgt_vgpu_create(h, &req, &err, NULL, 0);
	vgt_vgpu_slices(good, &gs);
	vgt_vgpu_slices(bad, &bs);

	w = (struct workload){ .vgpu = good, .enlightened = true,
			       .aperture = d.aperture_size, .ggtt_total = d.ggtt_size };
	CHECK(workload_probe(&w) == 0, "good guest probe");
	vgt_mmio_write(good, VGT_GSM_OFFSET + 8 * (gs.aperture_base >> 12), 8, 0x5000 | 1);
	first.pte = vgt_vgpu_shadow_pte(good, gs.aperture_base >> 12);

	for (i = 0; i < gs.aperture_size >> 12; i++)	/* the other's slice */
		refused += vgt_mmio_write(bad, VGT_GSM_OFFSET + 8 * ((gs.aperture_base >> 12) + i),
					  8, 0x6000 | 1) != 0;
	for (i = bs.fence_num; i < VGPU_GEN9_FENCES; i++)
		refused += vgt_mmio_write(bad, VGT_FENCE_BASE + 8 * i, 8, 0) != 0;
	vgt_vgpu_traps(bad, &t, false);
	CHECK(refused == (gs.aperture_size >> 12) + VGPU_GEN9_FENCES - bs.fence_num &&
	      t.rejected[VGT_TRAP_GGTT] == gs.aperture_size >> 12 &&
	      t.rejected[VGT_TRAP_FENCE] == VGPU_GEN9_FENCES - bs.fence_num,
	      "harness:misbehaving: refused %llu, ggtt rejected %llu",
	      (unsigned long long)refused,
	      (unsigned long long)t.rejected[VGT_TRAP_GGTT]);
	CHECK(vgt_vgpu_shadow_pte(good, gs.aperture_base >> 12) == first.pte &&
	      first.pte == (0x5000 | 1), "the good vGPU's PTE changed");
	vgt_vgpu_traps(good, &t, false);
	CHECK(t.rejected[VGT_TRAP_GGTT] == 0 && t.rejected[VGT_TRAP_FENCE] == 0,
	      "the good vGPU saw rejections");
	vgpu_guest_remove(&w.guest);
	vgt_host_destroy(h);
	REPORT(before, "harness:misbehaving (%llu refused, other vGPU untouched)",
	       (unsigned long long)refused);
}

/*
 * The same malformed pages against our guest and against a model of the
 * 6.1 guest, which trusts the fence count and only checks that the slices
 * lie in the right halves of the GGTT. The 6.1 model then programs every
 * fence it believes it has; the host's answers show what validation spares.
 */
struct upstream_case {
	const char *name;
	void (*corrupt)(struct vgt_if *p);
	int ours;
};

static void up_fences40(struct vgt_if *p) { p->avail_rs.fence_num = 40; }
static void up_fences0(struct vgt_if *p) { p->avail_rs.fence_num = 0; }
static void up_major2(struct vgt_if *p) { p->version_major = 2; }
static void up_misaligned(struct vgt_if *p) { p->avail_rs.nonmappable_gmadr.base += 0x800; }

static void test_upstream_compare(void)
{
	static const struct upstream_case cases[] = {
		{ "fence_num 40", up_fences40, -ERANGE },
		{ "fence_num 0", up_fences0, -ENODATA },
		{ "version 2.0", up_major2, -EPROTO },
		{ "hidden base +0x800", up_misaligned, -EINVAL },
	};
	int before = failed;
	struct vgt_gpu_desc d;
	struct vgt_vgpu_request req;
	struct vgt_host *h;
	struct vgt_vgpu *v;
	size_t c;
	int err;

	vgt_gpu_desc_default(&d);
	h = vgt_host_create(&d, &err);
	vgt_type_parse("8", &req);
	v = vgt_vgpu_create(h, &req, &err, NULL, 0);
	for (c = 0; c < ARRAY_SIZE(cases); c++) {
		struct workload w = { .vgpu = v, .enlightened = true,
				      .aperture = d.aperture_size,
				      .ggtt_total = d.ggtt_size };
		unsigned int n, refused = 0, stray = 0, fences;
		struct vgt_if page;
		int ret;

		vgt_vgpu_reset(v);
		vgt_vgpu_get_pvinfo(v, &page);
		cases[c].corrupt(&page);
		vgt_vgpu_set_pvinfo(v, &page);
		ret = workload_probe(&w);
		CHECK(ret == cases[c].ours && drm_mm_clean(&w.guest.ggtt.vm.mm),
		      "harness:upstream-compare %s: ours %d", cases[c].name, ret);
		vgpu_guest_remove(&w.guest);

		/* 6.1: fence count as published; one fence per object. */
		fences = page.avail_rs.fence_num;
		for (n = 0; n < fences; n++) {
			u64 off = VGT_FENCE_BASE + 8ULL * n;

			if (n >= VGPU_GEN9_FENCES)
				stray++;	/* lands on whatever follows the fence file */
			else if (vgt_mmio_write(v, off, 8, 0))
				refused++;
		}
		printf("harness:upstream-compare %-20s ours: %-8s 6.1: %u fences, %u fence "
		       "writes refused by the host, %u past the fence file\n",
		       cases[c].name, ret == -ERANGE ? "-ERANGE" : ret == -ENODATA ?
		       "-ENODATA" : ret == -EPROTO ? "-EPROTO" : ret == -EINVAL ?
		       "-EINVAL" : "?", fences, refused, stray);
	}
	vgt_host_destroy(h);
	REPORT(before, "harness:upstream-compare");
}

int main(void)
{
	static const char *const default_two[] = { "8", "8" };
	static const char *const big[] = { "1" };
	static const char *const mixed[] = { "2", "4", "8" };
	static const char *const custom[] = { "48/200/2", "16/64/1", "100/300/3", "8/40/1" };
	const char *sixteen[16];
	unsigned int i;

	for (i = 0; i < 16; i++)
		sixteen[i] = "32/96/1";
	scenario("default host, 2 x type 8", 256, default_two, 2);
	scenario("aperture 1024 MiB, type 1", 1024, big, 1);
	scenario("aperture 1024 MiB, types 2 4 8", 1024, mixed, 3);
	scenario("aperture 512 MiB, custom sizes", 512, custom, 4);
	scenario("aperture 1024 MiB, 16 x 32/96/1", 1024, sixteen, 16);
	test_misbehaving();
	test_upstream_compare();
	printf("test_e2e: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}

// SPDX-License-Identifier: MIT
/*
 * The modelled part is a Skylake GT2 (8086:1912, in 6.1's
 * INTEL_SKL_GT2_IDS), so the fuse registers must make a 6.1 guest derive
 * its topology: 1 slice, 3 subslices, 8 EUs each, 24 EUs (IGT's
 * i915_query@query-topology-known-pci-ids wants 1 slice and 3 subslices
 * for any non-Haswell GT2; Mesa's Skylake GT2 is 1x3x8).
 *
 * The derivation below is written from what 6.1's gen9_sseu_info_init()
 * (gt/intel_sseu.c) does on a non-LP gen9 part, fed with what the guest
 * reads through BAR0: slice mask from GEN8_FUSE2 bits 27:25; 3 slices of
 * at most 4 subslices of 8 EUs; subslices disabled by bits 23:20, the same
 * for every slice; for each enabled slice s, GEN9_EU_DISABLE(s) holds one
 * byte of disabled EUs per subslice; a subslice with 7 EUs is recorded in
 * subslice_7eu; eu_per_subslice is the total over the subslices rounded
 * up; slice power gating needs more than one slice, EU power gating more
 * than 2 EUs per subslice.
 */
#include <errno.h>
#include <stdint.h>

#include "libvgt.h"
#include "vgt_test.h"

#define GEN8_FUSE2		0x9120
#define GEN9_EU_DISABLE(s)	(0x9134 + 4 * (s))

struct sseu {
	unsigned int slice_mask, subslice_mask[3], eu_mask[3][4], subslice_7eu[3];
	unsigned int eu_total, subslice_total, eu_per_subslice;
	bool has_slice_pg, has_eu_pg;
};

static uint32_t rd32(struct vgt_vgpu *v, uint64_t off)
{
	uint64_t val = 0;

	CHECK(vgt_mmio_read(v, off, 4, &val) == 0, "read %#llx", (unsigned long long)off);
	return (uint32_t)val;
}

static unsigned int bits(unsigned int v)
{
	unsigned int n = 0;

	for (; v; v >>= 1)
		n += v & 1;
	return n;
}

/* gen9_sseu_info_init() on a non-LP part, from the guest's reads. */
static void derive(struct vgt_vgpu *v, struct sseu *out)
{
	const unsigned int max_slices = 3, max_subslices = 4, max_eus = 8;
	uint32_t fuse2 = rd32(v, GEN8_FUSE2);
	unsigned int s, ss, enabled_ss;

	memset(out, 0, sizeof(*out));
	out->slice_mask = (fuse2 >> 25) & 0x7;
	enabled_ss = ((1u << max_subslices) - 1) & ~((fuse2 >> 20) & 0xf);
	for (s = 0; s < max_slices; s++) {
		uint32_t eu_disable;

		if (!(out->slice_mask & (1u << s)))
			continue;
		out->subslice_mask[s] = enabled_ss;
		eu_disable = rd32(v, GEN9_EU_DISABLE(s));
		for (ss = 0; ss < max_subslices; ss++) {
			unsigned int disabled = (eu_disable >> (8 * ss)) & 0xff;

			if (!(enabled_ss & (1u << ss)))
				continue;
			out->eu_mask[s][ss] = ~disabled & 0xff;
			if (max_eus - bits(disabled) == 7)
				out->subslice_7eu[s] |= 1u << ss;
		}
	}
	for (s = 0; s < max_slices; s++) {
		out->subslice_total += bits(out->subslice_mask[s]);
		for (ss = 0; ss < max_subslices; ss++)
			out->eu_total += bits(out->eu_mask[s][ss]);
	}
	out->eu_per_subslice = out->subslice_total ?
		(out->eu_total + out->subslice_total - 1) / out->subslice_total : 0;
	out->has_slice_pg = bits(out->slice_mask) > 1;
	out->has_eu_pg = out->eu_per_subslice > 2;
}

static struct vgt_vgpu *make_vgpu(struct vgt_host **h)
{
	struct vgt_vgpu_request req;
	struct vgt_gpu_desc d;
	int err = 0;

	vgt_gpu_desc_default(&d);
	*h = vgt_host_create(&d, &err);
	CHECK(*h, "host: %d", err);
	vgt_type_parse("8", &req);
	return *h ? vgt_vgpu_create(*h, &req, &err, NULL, 0) : NULL;
}

TEST(skl_gt2_topology, "")
{
	struct vgt_host *h;
	struct vgt_vgpu *v = make_vgpu(&h);
	struct sseu t;
	unsigned int ss;

	CHECK(v, "vGPU");
	if (!v)
		return;
	derive(v, &t);
	/* I915_PARAM_SLICE_MASK, _SUBSLICE_MASK (slice 0), _SUBSLICE_TOTAL, _EU_TOTAL */
	CHECK(t.slice_mask == 0x1, "slice mask %#x, want 0x1 (one slice)", t.slice_mask);
	CHECK(t.subslice_mask[0] == 0x7, "slice 0 subslice mask %#x, want 0x7",
	      t.subslice_mask[0]);
	CHECK(t.subslice_total == 3, "subslices %u, want 3 (GT2)", t.subslice_total);
	CHECK(t.eu_total == 24, "EUs %u, want 24", t.eu_total);
	CHECK(t.eu_per_subslice == 8, "EUs per subslice %u, want 8", t.eu_per_subslice);
	for (ss = 0; ss < 3; ss++)
		CHECK(t.eu_mask[0][ss] == 0xff, "subslice %u EU mask %#x, want 0xff", ss,
		      t.eu_mask[0][ss]);
	CHECK(t.subslice_7eu[0] == 0, "no 7-EU subslice (%#x)", t.subslice_7eu[0]);
	CHECK(!t.has_slice_pg && t.has_eu_pg, "power gating: slice %d eu %d",
	      t.has_slice_pg, t.has_eu_pg);
	vgt_vgpu_destroy(v);
	vgt_host_destroy(h);
}

/* Fuses are read-only: a guest cannot change what it derives. */
TEST(fuses_read_only, "")
{
	static const uint64_t fuses[] = { GEN8_FUSE2, GEN9_EU_DISABLE(0), GEN9_EU_DISABLE(1),
					  GEN9_EU_DISABLE(2) };
	struct vgt_host *h;
	struct vgt_vgpu *v = make_vgpu(&h);
	unsigned int i;

	if (!v)
		return;
	for (i = 0; i < sizeof(fuses) / sizeof(fuses[0]); i++) {
		uint32_t before = rd32(v, fuses[i]);

		CHECK(vgt_mmio_write(v, fuses[i], 4, ~before) == -EPERM,
		      "write to fuse %#llx refused", (unsigned long long)fuses[i]);
		CHECK(rd32(v, fuses[i]) == before, "fuse %#llx unchanged",
		      (unsigned long long)fuses[i]);
		CHECK(vgt_reg_name(fuses[i]) != NULL, "fuse %#llx is modelled",
		      (unsigned long long)fuses[i]);
	}
	/* ... and a device reset brings nothing else. */
	vgt_vgpu_reset(v);
	{
		struct sseu t;

		derive(v, &t);
		CHECK(t.subslice_total == 3 && t.eu_total == 24, "after reset: %u subslices %u EUs",
		      t.subslice_total, t.eu_total);
	}
	vgt_vgpu_destroy(v);
	vgt_host_destroy(h);
}

VGT_TEST_MAIN()

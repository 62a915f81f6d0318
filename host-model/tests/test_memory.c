// SPDX-License-Identifier: MIT
/*
 * The device model's view of guest memory: the memory map (validation,
 * RAM above 4 GiB), PTE frames checked against it, and the aperture (BAR2)
 * translated through the vGPU's own PTEs into guest RAM through the
 * transport's ops, with every refusal's reason, class and errno, and no
 * change of guest memory or vGPU state on a refusal. Guest RAM is read back
 * directly from the test's buffers, not through libvgt.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "guest_ram.h"
#include "libvgt.h"
#include "vgt_regs.h"

#include "vgt_test.h"

#define MIB VGT_MIB
#define GIB (1024 * MIB)
#define PTE(index) (VGT_GSM_OFFSET + 8ULL * (index))

static struct vgt_host *mk_host(void)
{
	struct vgt_gpu_desc d;

	vgt_gpu_desc_default(&d);
	return vgt_host_create(&d, NULL);
}

static struct vgt_vgpu *mk_vgpu(struct vgt_host *h)
{
	struct vgt_vgpu_request req;

	vgt_type_parse("8", &req);
	return vgt_vgpu_create(h, &req, NULL, NULL, 0);
}

static int set_pte(struct vgt_vgpu *v, uint64_t gm, uint64_t frame)
{
	return vgt_mmio_write(v, PTE(gm / 4096), 8, frame | GEN8_PAGE_PRESENT);
}

static uint64_t traps(struct vgt_vgpu *v, int count, enum vgt_trap_class c)
{
	struct vgt_traps t;

	vgt_vgpu_traps(v, &t, false);
	return count ? t.count[c] : t.rejected[c];
}

TEST(memory_map_validation, "H-12")
{
	struct vgt_host *h = mk_host();
	struct vgt_vgpu *v = mk_vgpu(h);
	struct vgt_mem_region good[2] = { { 4 * GIB, 512 * MIB }, { 0, 512 * MIB } };
	struct vgt_mem_region out[4];
	const struct { struct vgt_mem_region r[2]; unsigned int n; const char *why; } bad[] = {
		{ { { 0x800, 4096 } }, 1, "unaligned base" },
		{ { { 0, 4095 } }, 1, "unaligned size" },
		{ { { 0, 0 } }, 1, "empty" },
		{ { { 0, 8192 }, { 4096, 4096 } }, 2, "overlap" },
		{ { { 1ULL << 39, 4096 } }, 1, "past 2^39" },
		{ { { (1ULL << 39) - 4096, 8192 } }, 1, "runs past 2^39" },
	};
	unsigned int i, n;

	/* The request's guest_mem is the first map. */
	n = vgt_vgpu_memory_map(v, out, 4);
	CHECK(n == 1 && out[0].gpa == 0 && out[0].size == VGT_DEFAULT_GUEST_MEM,
	      "initial map: %u regions [%#llx +%#llx)", n, (unsigned long long)out[0].gpa,
	      (unsigned long long)out[0].size);
	CHECK(vgt_vgpu_set_memory_map(v, good, 2) == 0, "two regions accepted");
	n = vgt_vgpu_memory_map(v, out, 4);
	CHECK(n == 2 && out[0].gpa == 0 && out[1].gpa == 4 * GIB, "sorted: %u regions, second at %#llx",
	      n, (unsigned long long)out[1].gpa);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int err = vgt_vgpu_set_memory_map(v, bad[i].r, bad[i].n);

		CHECK(err == -EINVAL, "%s: got %d", bad[i].why, err);
		n = vgt_vgpu_memory_map(v, out, 4);
		CHECK(n == 2 && out[1].gpa == 4 * GIB, "%s changed the map (%u regions)", bad[i].why, n);
	}
	CHECK(vgt_vgpu_set_memory_map(v, NULL, 1) == -EINVAL, "NULL regions with n = 1");
	CHECK(vgt_vgpu_set_memory_map(v, good, VGT_MAX_MEM_REGIONS + 1) == -EINVAL, "too many");
	CHECK(vgt_vgpu_set_memory_map(NULL, good, 1) == -EINVAL, "NULL vgpu");
	CHECK(vgt_vgpu_set_ops(v, &(struct vgt_vgpu_ops){ .read = guest_ram_read }, NULL) ==
	      -EINVAL, "ops without write");
	CHECK(vgt_vgpu_set_memory_map(v, NULL, 0) == 0 && vgt_vgpu_memory_map(v, NULL, 0) == 0,
	      "an empty map");
	vgt_host_destroy(h);
}

/* A q35 guest with more than ~2.75 GiB: RAM below 3 GiB and above 4 GiB. */
TEST(pte_frames_follow_the_map, "H-12")
{
	struct vgt_host *h = mk_host();
	struct vgt_vgpu *v = mk_vgpu(h);
	struct vgt_mem_region map[2] = { { 0, 3 * GIB }, { 4 * GIB, 2 * GIB } };
	struct vgt_slices s;
	uint64_t gm;

	vgt_vgpu_slices(v, &s);
	gm = s.aperture_base;
	CHECK(vgt_vgpu_set_memory_map(v, map, 2) == 0, "map");
	CHECK(set_pte(v, gm, 3 * GIB - 4096) == 0, "last page below the hole");
	CHECK(set_pte(v, gm + 4096, 4 * GIB) == 0, "first page above 4 GiB");
	CHECK(set_pte(v, gm + 8192, 6 * GIB - 4096) == 0, "last page of high RAM");
	CHECK(set_pte(v, gm + 12288, 3 * GIB) == -ERANGE &&
	      vgt_vgpu_last_reason(v) == VGT_REASON_PTE_FRAME, "frame in the PCI hole refused");
	CHECK(set_pte(v, gm + 12288, 6 * GIB) == -ERANGE, "frame past high RAM refused");
	CHECK(vgt_vgpu_shadow_pte(v, (gm + 12288) / 4096) == 0, "refused PTE not shadowed");
	/* A PTE that is not present needs no frame. */
	CHECK(vgt_mmio_write(v, PTE(gm / 4096 + 3), 8, 3 * GIB) == 0, "non-present PTE");
	vgt_host_destroy(h);
}

TEST(aperture_reaches_guest_ram_through_ptes, "H-12 H-15")
{
	struct vgt_host *h = mk_host();
	struct vgt_vgpu *v = mk_vgpu(h);
	struct guest_ram ram;
	struct vgt_slices s;
	uint8_t buf[6000], back[6000];
	uint64_t gm;
	unsigned int i;

	guest_ram_init(&ram);
	guest_ram_add(&ram, 0, 16 * MIB);
	guest_ram_add(&ram, 4 * GIB, 16 * MIB);
	CHECK(guest_ram_attach(&ram, v) == 0, "attach");
	vgt_vgpu_slices(v, &s);
	gm = s.aperture_base + 2 * 4096;
	/* Two consecutive GGTT pages on frames far apart, one above 4 GiB. */
	CHECK(set_pte(v, gm, 0x5000) == 0 && set_pte(v, gm + 4096, 4 * GIB + 0x3000) == 0, "PTEs");
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 7 + 1);
	CHECK(vgt_aperture_write(v, gm + 100, buf, sizeof(buf)) == 0, "write across the page");
	CHECK(!memcmp(guest_ram_ptr(&ram, 0x5000 + 100, 3996), buf, 3996),
	      "first page landed at frame 0x5000");
	CHECK(!memcmp(guest_ram_ptr(&ram, 4 * GIB + 0x3000, 2004), buf + 3996, 2004),
	      "second page landed above 4 GiB");
	memset(back, 0xee, sizeof(back));
	CHECK(vgt_aperture_read(v, gm + 100, back, sizeof(back)) == 0 &&
	      !memcmp(back, buf, sizeof(buf)), "read back");
	/* Every size the CPU may use, at every alignment of a qword. */
	for (i = 1; i <= 8; i *= 2) {
		uint64_t val = 0x1122334455667788ULL, got = 0;

		CHECK(vgt_aperture_write(v, gm + 4096 - i, &val, i) == 0, "write %u", i);
		CHECK(vgt_aperture_read(v, gm + 4096 - i, &got, i) == 0 && !memcmp(&got, &val, i),
		      "size %u reads back", i);
	}
	CHECK(traps(v, 1, VGT_TRAP_APERTURE) == 10 && traps(v, 0, VGT_TRAP_APERTURE) == 0,
	      "one aperture trap per access: %llu", (unsigned long long)traps(v, 1, VGT_TRAP_APERTURE));
	vgt_host_destroy(h);
	guest_ram_free(&ram);
}

/* Snapshot of all guest RAM, to show that a refused write wrote nothing. */
static uint64_t ram_sum(struct guest_ram *r)
{
	uint64_t sum = 0;
	unsigned int i;
	size_t j;

	for (i = 0; i < r->n; i++)
		for (j = 0; j < r->region[i].size; j += 8)
			sum = sum * 31 + *(uint64_t *)(r->bytes[i] + j);
	return sum;
}

TEST(aperture_refusals, "H-12 H-15 H-17")
{
	struct vgt_host *h = mk_host();
	struct vgt_vgpu *v = mk_vgpu(h), *w = mk_vgpu(h);
	struct guest_ram ram;
	struct vgt_slices s, t;
	uint64_t before, val, aperture;
	char line[256];
	const struct { uint64_t off; size_t len; int err; enum vgt_reason why; const char *what; } c[] = {
		{ 0, 8, -ERANGE, VGT_REASON_AP_OUTSIDE, "host's part of the aperture" },
		{ 0, 8, -ERANGE, VGT_REASON_AP_OUTSIDE, "the other vGPU's slice" },
		{ 0, 8, -EFAULT, VGT_REASON_AP_NO_PTE, "page without a PTE" },
		{ 0, 8, -EFAULT, VGT_REASON_AP_UNBACKED, "frame outside the map" },
		{ 0, 8, -EINVAL, VGT_REASON_AP_ACCESS, "past the BAR" },
		{ 0, 0, -EINVAL, VGT_REASON_AP_ACCESS, "empty" },
	};
	unsigned int i;

	guest_ram_init(&ram);
	guest_ram_add(&ram, 0, 8 * MIB);
	guest_ram_attach(&ram, v);
	vgt_vgpu_slices(v, &s);
	vgt_vgpu_slices(w, &t);
	aperture = 256 * MIB;
	set_pte(v, s.aperture_base + 4096, 0x1000);
	CHECK(vgt_mmio_write(v, PTE(s.aperture_base / 4096 + 2), 8,
			     (8 * MIB) | GEN8_PAGE_PRESENT) == -ERANGE, "frame past RAM refused at PTE time");
	/* Shrink the map under an accepted PTE: the frame is then unbacked. */
	set_pte(v, s.aperture_base + 3 * 4096, 6 * MIB);
	vgt_vgpu_set_memory_map(v, &(struct vgt_mem_region){ 0, 4 * MIB }, 1);
	{
		uint64_t off[] = { 0, t.aperture_base, s.aperture_base, s.aperture_base + 3 * 4096,
				   aperture - 4, s.aperture_base + 4096 };

		before = ram_sum(&ram);
		for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
			uint64_t n0 = traps(v, 1, VGT_TRAP_APERTURE), r0 = traps(v, 0, VGT_TRAP_APERTURE);
			int err;

			val = 0x0123456789abcdefULL;
			err = vgt_aperture_write(v, off[i], &val, c[i].len);
			CHECK(err == c[i].err && vgt_vgpu_last_reason(v) == c[i].why,
			      "%s: write gave %d (%s)", c[i].what, err,
			      vgt_reason_name(vgt_vgpu_last_reason(v)));
			val = ~0ULL;
			err = vgt_aperture_read(v, off[i], &val, c[i].len);
			CHECK(err == c[i].err && (c[i].len == 0 || val == 0),
			      "%s: read gave %d value %#llx", c[i].what, err, (unsigned long long)val);
			CHECK(traps(v, 1, VGT_TRAP_APERTURE) == n0 + 2 &&
			      traps(v, 0, VGT_TRAP_APERTURE) == r0 + 2, "%s: counted as refused", c[i].what);
		}
		CHECK(ram_sum(&ram) == before, "refused writes changed guest RAM");
	}
	vgt_vgpu_last_rejection(v, line, sizeof(line));
	CHECK(strstr(line, "(aperture)") && strstr(line, "-EINVAL"), "log line: %s", line);
	/* Half refused: the good part still works, the access reports the bad part. */
	val = 0xa5a5a5a5a5a5a5a5ULL;
	{
		uint8_t two[8192];

		memset(two, 0x5a, sizeof(two));
		CHECK(vgt_aperture_write(v, s.aperture_base + 4096, two, sizeof(two)) == -EFAULT,
		      "second page has no PTE");
		CHECK(*guest_ram_ptr(&ram, 0x1000, 1) == 0x5a && *guest_ram_ptr(&ram, 0x1fff, 1) == 0x5a,
		      "first page written");
	}
	/* Detached: nothing is reachable. */
	vgt_vgpu_set_ops(v, NULL, NULL);
	CHECK(vgt_aperture_read(v, s.aperture_base + 4096, &val, 8) == -EFAULT &&
	      vgt_vgpu_last_reason(v) == VGT_REASON_AP_UNBACKED, "no ops: unbacked");
	CHECK(traps(w, 1, VGT_TRAP_APERTURE) == 0, "the other vGPU saw no trap");
	CHECK(ram.bad == 0, "libvgt asked the transport for memory outside the map %lu times",
	      (unsigned long)ram.bad);
	vgt_host_destroy(h);
	guest_ram_free(&ram);
}

VGT_TEST_MAIN()

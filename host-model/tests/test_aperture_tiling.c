// SPDX-License-Identifier: MIT
/*
 * Fence detiling of the aperture (fence.c's vgt_fence_detile, wired into
 * aperture.c): a CPU access through BAR2 inside one of the vGPU's enabled
 * fences sees the fenced range linearly, pitch bytes a row, where memory
 * holds it X- or Y-tiled. Checked against a reference that maps every
 * byte on its own through the tiling reference (vgt_tile_offset) and the
 * test's own page table: random reads and writes of every size, crossing
 * tile rows, OWords, pages, fence boundaries and the linear gaps between
 * fences; fences reprogrammed while mapped; a fence whose pitch does not
 * suit X; a partial tile row at the end of the slice, which must never
 * reach past it. The fences are written the way 6.1's
 * i965_write_fence_reg() writes them (LO = 0, HI, LO).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "guest_ram.h"
#include "libvgt.h"
#include "vgt_regs.h"
#include "vgt_tiling.h"

#include "vgt_test.h"

#define PVINFO_MAGIC_OFFSET	0x78000	/* VGT_PVINFO_PAGE: read first, as a PV guest does */
#define NPAGES			256u	/* aperture pages mapped: 1 MiB */
#define RAM_BASE		0x100000ull
#define RAM_SIZE		(4ull << 20)

struct fence {
	uint64_t start, size;
	enum vgt_tiling tiling;
	uint32_t pitch;
	bool on;
};

struct rig {
	struct vgt_host *h;
	struct vgt_vgpu *v;
	struct guest_ram ram;
	struct vgt_slices s;
	struct fence f[4];
};

/* Seeded by each test from vgt_test_seed(): rand() is enough here. */
static uint32_t rnd(void)
{
	return (uint32_t)rand();
}

/* The frame of aperture page i: a permutation, so pages are not in order. */
static uint64_t frame_of(unsigned int i)
{
	return RAM_BASE + (uint64_t)((i * 97u) % NPAGES) * 4096;
}

/* The 64-bit value i965_write_fence_reg() writes on gen6+. */
static uint64_t fence_val(const struct fence *f)
{
	if (!f->on)
		return 0;
	return (f->start + f->size - 4096) << 32 | f->start |
	       (uint64_t)(f->pitch / 128 - 1) << 32 |
	       (f->tiling == VGT_TILING_Y ? 1u << 1 : 0) | 1;
}

static int program(struct rig *r, unsigned int n)
{
	uint64_t val = fence_val(&r->f[n]), off = VGT_FENCE_BASE + 8 * n;
	int ret = vgt_mmio_write(r->v, off, 4, 0);

	ret |= vgt_mmio_write(r->v, off + 4, 4, val >> 32);
	ret |= vgt_mmio_write(r->v, off, 4, (uint32_t)val);
	return ret;
}

/* As a PV guest: read PVINFO, then map the first NPAGES of the slice. */
static void map_pages(struct rig *r)
{
	uint64_t magic, b = r->s.aperture_base;
	unsigned int i;

	vgt_mmio_read(r->v, PVINFO_MAGIC_OFFSET, 8, &magic);
	for (i = 0; i < NPAGES; i++)
		CHECK(vgt_mmio_write(r->v, VGT_GSM_OFFSET + 8ull * (b / 4096 + i), 8,
				     frame_of(i) | GEN8_PAGE_PRESENT) == 0, "PTE %u", i);
}

static void rig_init(struct rig *r)
{
	struct vgt_gpu_desc d;
	struct vgt_vgpu_request req;
	uint64_t b;
	unsigned int i;

	memset(r, 0, sizeof(*r));
	vgt_gpu_desc_default(&d);
	r->h = vgt_host_create(&d, NULL);
	vgt_type_parse("8", &req);
	r->v = vgt_vgpu_create(r->h, &req, NULL, NULL, 0);
	vgt_vgpu_slices(r->v, &r->s);
	guest_ram_init(&r->ram);
	guest_ram_add(&r->ram, RAM_BASE, RAM_SIZE);
	CHECK(guest_ram_attach(&r->ram, r->v) == 0, "guest RAM attached");
	for (i = 0; i < RAM_SIZE; i += 4) {
		uint32_t x = rnd();

		memcpy(guest_ram_ptr(&r->ram, RAM_BASE + i, 4), &x, 4);
	}
	map_pages(r);
	b = r->s.aperture_base;
	/* Fences of both tilings, narrow and wide pitches, with linear gaps. */
	r->f[0] = (struct fence){ b + 0x10000, 0x10000, VGT_TILING_X, 1024, true };
	r->f[1] = (struct fence){ b + 0x20000, 0x8000, VGT_TILING_Y, 512, true };
	r->f[2] = (struct fence){ b + 0x40000, 0x20000, VGT_TILING_X, 8192, true };
	r->f[3] = (struct fence){ b + 0x80000, 0x9000, VGT_TILING_Y, 384, true };
	for (i = 0; i < 4; i++)
		CHECK(program(r, i) == 0, "fence %u programmed", i);
	CHECK(!vgt_vgpu_failsafe(r->v), "PV guest: no failsafe");
}

static void rig_fini(struct rig *r)
{
	vgt_vgpu_destroy(r->v);
	vgt_host_destroy(r->h);
	guest_ram_free(&r->ram);
}

/* The reference: the GGTT address the CPU's aperture byte a reaches. */
static uint64_t ref_gm(const struct rig *r, uint64_t a)
{
	unsigned int i;

	for (i = 0; i < 4; i++) {
		const struct fence *f = &r->f[i];
		struct vgt_tile_layout l = { f->tiling, f->pitch };
		uint64_t lin;

		if (!f->on || a < f->start || a >= f->start + f->size ||
		    !vgt_tile_layout_ok(&l))
			continue;
		lin = a - f->start;
		return f->start + vgt_tile_offset(&l, lin % f->pitch, lin / f->pitch);
	}
	return a;
}

/* Its byte of guest RAM, or NULL where the access is refused. */
static uint8_t *ref_byte(struct rig *r, uint64_t a)
{
	uint64_t gm = ref_gm(r, a), page;

	if (gm < r->s.aperture_base || gm >= r->s.aperture_base + r->s.aperture_size)
		return NULL;
	page = (gm - r->s.aperture_base) / 4096;
	if (page >= NPAGES)
		return NULL;
	return guest_ram_ptr(&r->ram, frame_of(page) + gm % 4096, 1);
}

/* A random access inside the mapped megabyte, sizes from 1 byte to 40 KiB. */
static void random_access(const struct rig *r, uint64_t *off, size_t *len)
{
	static const size_t sizes[] = { 1, 2, 4, 8, 16, 17, 64, 512, 513, 4096, 8191, 40000 };
	size_t n = sizes[rnd() % (sizeof(sizes) / sizeof(sizes[0]))];
	uint64_t span = (uint64_t)NPAGES * 4096 - n;

	*len = n;
	*off = r->s.aperture_base + rnd() % span;
}

struct tally {
	size_t bad;			/* bytes that differ from the reference */
	int fails;			/* accesses that returned an error */
};

/* Read [off, off + len) through the aperture and count what differs. */
static void check_read(struct rig *r, uint64_t off, size_t len, struct tally *t)
{
	uint8_t *buf = malloc(len);
	size_t i, bad = 0;

	t->fails += vgt_aperture_read(r->v, off, buf, len) != 0;
	for (i = 0; i < len; i++) {
		const uint8_t *p = ref_byte(r, off + i);

		if (buf[i] != (p ? *p : 0) && !bad++)
			printf("# read %#llx+%zu: byte %zu (CPU %#llx -> GGTT %#llx) is %#x, want %#x\n",
			       (unsigned long long)off, len, i, (unsigned long long)(off + i),
			       (unsigned long long)ref_gm(r, off + i), buf[i], p ? *p : 0);
	}
	free(buf);
	t->bad += bad;
}

TEST(reads_of_every_size, "")
{
	struct rig r;
	struct tally t = { 0, 0 };
	unsigned int i;

	srand(vgt_test_seed());
	rig_init(&r);
	for (i = 0; i < 400; i++) {
		uint64_t off;
		size_t len;

		random_access(&r, &off, &len);
		check_read(&r, off, len, &t);
	}
	/* The whole fenced megabyte in one access. */
	check_read(&r, r.s.aperture_base, NPAGES * 4096, &t);
	CHECK(!t.bad && !t.fails, "%zu bytes wrong, %d accesses failed", t.bad, t.fails);
	rig_fini(&r);
}

TEST(writes_of_every_size, "")
{
	struct rig r;
	uint8_t *shadow = malloc(RAM_SIZE), *buf = malloc(65536);
	unsigned int i;
	size_t j, bad = 0;
	int fails = 0;

	srand(vgt_test_seed() + 1);
	rig_init(&r);
	memcpy(shadow, guest_ram_ptr(&r.ram, RAM_BASE, RAM_SIZE), RAM_SIZE);
	for (i = 0; i < 400; i++) {
		uint64_t off;
		size_t len;

		random_access(&r, &off, &len);
		for (j = 0; j < len; j++)
			buf[j] = (uint8_t)rnd();
		fails += vgt_aperture_write(r.v, off, buf, len) != 0;
		for (j = 0; j < len; j++) {
			uint8_t *p = ref_byte(&r, off + j);

			if (p)
				shadow[p - guest_ram_ptr(&r.ram, RAM_BASE, 1)] = buf[j];
		}
	}
	for (j = 0; j < RAM_SIZE; j++)
		bad += shadow[j] != *guest_ram_ptr(&r.ram, RAM_BASE + j, 1);
	CHECK(!bad && !fails, "%zu bytes of guest RAM differ from the reference, %d writes failed",
	      bad, fails);
	free(shadow);
	free(buf);
	rig_fini(&r);
}

/*
 * IGT's gem_tiled_pread_basic in miniature: the GPU's tiled layout, read
 * linearly through the fence. Row 0 byte 512 of an X fence with a
 * 1024-byte pitch is the first byte of the second tile (the issue's
 * "tile (0, 0) subtile (0, 1)").
 */
TEST(pread_basic_layout, "")
{
	struct rig r;
	uint8_t got[16];
	uint64_t tile1 = 0;

	srand(vgt_test_seed() + 2);
	rig_init(&r);
	CHECK(vgt_aperture_read(r.v, r.f[0].start + 512, got, 16) == 0, "read");
	tile1 = r.f[0].start + 4096 - r.s.aperture_base;
	CHECK(!memcmp(got, guest_ram_ptr(&r.ram, frame_of(tile1 / 4096), 16), 16),
	      "CPU 0x200 of an X fence is the second tile's first bytes");
	CHECK(vgt_aperture_read(r.v, r.f[1].start + 16, got, 16) == 0 &&
	      !memcmp(got, guest_ram_ptr(&r.ram, frame_of((r.f[1].start - r.s.aperture_base) /
							  4096) + 512, 16), 16),
	      "CPU 0x10 of a Y fence is the second OWord column (+512)");
	rig_fini(&r);
}

/* Reprogramming a fence applies to the next access: nothing is cached. */
TEST(fences_changed_while_mapped, "")
{
	struct rig r;
	struct tally t = { 0, 0 };

	srand(vgt_test_seed() + 3);
	rig_init(&r);
	check_read(&r, r.f[0].start, r.f[0].size, &t);
	r.f[0].tiling = VGT_TILING_Y;		/* X -> Y, same range and pitch */
	CHECK(program(&r, 0) == 0, "fence 0 now Y");
	check_read(&r, r.f[0].start - 100, r.f[0].size + 200, &t);
	r.f[0].pitch = 2048;			/* a new pitch */
	CHECK(program(&r, 0) == 0, "fence 0 pitch 2048");
	check_read(&r, r.f[0].start, r.f[0].size, &t);
	r.f[0].on = false;			/* disabled: linear */
	CHECK(program(&r, 0) == 0, "fence 0 off");
	check_read(&r, r.f[0].start, r.f[0].size, &t);
	r.f[1].start += 0x4000;			/* moved by half its size */
	CHECK(program(&r, 1) == 0, "fence 1 moved");
	check_read(&r, r.f[1].start - 0x4000, 0x10000, &t);
	/* A reset disables every fence (and drops the PTEs: map again). */
	vgt_vgpu_reset(r.v);
	memset(r.f, 0, sizeof(r.f));
	map_pages(&r);
	check_read(&r, r.s.aperture_base, NPAGES * 4096, &t);
	CHECK(!t.bad && !t.fails, "%zu bytes wrong, %d accesses failed", t.bad, t.fails);
	rig_fini(&r);
}

/* X with a pitch that is not a multiple of 512: i915 never writes it; it detiles nothing. */
TEST(unusable_pitch_passes_linearly, "")
{
	struct rig r;
	uint8_t got[4096];
	int ret;

	srand(vgt_test_seed() + 4);
	rig_init(&r);
	r.f[0].pitch = 128;
	CHECK(program(&r, 0) == 0, "fence 0 X with a 128-byte pitch");
	ret = vgt_aperture_read(r.v, r.f[0].start, got, sizeof(got));
	CHECK(ret == 0 && !memcmp(got, guest_ram_ptr(&r.ram, frame_of((r.f[0].start -
							 r.s.aperture_base) / 4096), 4096), 4096),
	      "read linearly: %d", ret);
	rig_fini(&r);
}

/*
 * A one-page X fence at the very end of the slice with an 8 KiB tile row:
 * its second half maps into the next tile, past the slice. Those bytes are
 * refused (read 0, -ERANGE), never reach another owner's memory.
 */
TEST(partial_tile_row_stays_in_slice, "")
{
	struct rig r;
	uint64_t last = 0;
	uint8_t *buf = malloc(4096), *before = malloc(RAM_SIZE);
	size_t bad;
	int ret;

	srand(vgt_test_seed() + 5);
	rig_init(&r);
	last = r.s.aperture_base + r.s.aperture_size - 4096;
	/* Map the slice's last page onto the first page's frame, and fence it. */
	CHECK(vgt_mmio_write(r.v, VGT_GSM_OFFSET + 8 * (last / 4096), 8,
			     frame_of(0) | GEN8_PAGE_PRESENT) == 0, "last page mapped");
	r.f[3] = (struct fence){ last, 4096, VGT_TILING_X, 1024, true };
	CHECK(program(&r, 3) == 0, "fence at the end of the slice");
	ret = vgt_aperture_read(r.v, last, buf, 4096);
	bad = 0;
	for (size_t i = 0; i < 4096; i++) {
		uint64_t gm = ref_gm(&r, last + i);
		uint8_t want = gm < last + 4096 ? *guest_ram_ptr(&r.ram, frame_of(0) + gm - last, 1) : 0;

		bad += buf[i] != want;
	}
	CHECK(ret == -ERANGE && !bad, "read: %d, %zu bytes wrong", ret, bad);
	memcpy(before, guest_ram_ptr(&r.ram, RAM_BASE, RAM_SIZE), RAM_SIZE);
	memset(buf, 0xee, 4096);
	ret = vgt_aperture_write(r.v, last + 512, buf, 512);	/* row 0, second tile */
	CHECK(ret == -ERANGE && !memcmp(before, guest_ram_ptr(&r.ram, RAM_BASE, RAM_SIZE), RAM_SIZE),
	      "write past the slice dropped: %d", ret);
	free(buf);
	free(before);
	rig_fini(&r);
}

/* However many pieces an access splits into, it is one aperture trap. */
TEST(one_trap_per_access, "")
{
	struct rig r;
	struct vgt_traps t0, t1;
	uint8_t buf[8192];

	srand(vgt_test_seed() + 6);
	rig_init(&r);
	vgt_vgpu_traps(r.v, &t0, false);
	CHECK(vgt_aperture_read(r.v, r.f[1].start, buf, sizeof(buf)) == 0, "8 KiB of a Y fence");
	vgt_vgpu_traps(r.v, &t1, false);
	CHECK(t1.count[VGT_TRAP_APERTURE] == t0.count[VGT_TRAP_APERTURE] + 1 &&
	      t1.rejected[VGT_TRAP_APERTURE] == t0.rejected[VGT_TRAP_APERTURE],
	      "one trap, none refused");
	rig_fini(&r);
}

VGT_TEST_MAIN()

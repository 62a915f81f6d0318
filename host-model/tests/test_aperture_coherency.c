// SPDX-License-Identifier: MIT
/*
 * The aperture is exactly as coherent as the hardware's: what the CPU
 * writes to an object's pages is what the next aperture read returns, what
 * the aperture writes is in the pages at once, and a PTE rebound or
 * unbound takes effect on the very next access (libvgt caches no
 * translation). Interleaved the way IGT's gem_mmap_offset@basic-uaf and
 * gem_gtt_cpu_tlb interleave them, then at random against a reference
 * model of the GGTT and the RAM kept here.
 *
 * (In a VM the aperture went incoherent in the transport, not here: QEMU's
 * vfio-user client posts BAR writes, and 6.1 on gen9 has a coherent GGTT,
 * so it does not read a register after GTT writes before the CPU reads
 * the pages. The VM scripts turn posted writes off; see vm-check.)
 */
#include <stdio.h>
#include <stdlib.h>

#include "guest_ram.h"
#include "libvgt.h"
#include "vgt_regs.h"

#include "vgt_test.h"

#define PAGES		64		/* GGTT pages of the test window */
#define FRAMES		128		/* guest RAM frames they may map */

struct fixture {
	struct vgt_host *h;
	struct vgt_vgpu *v;
	struct guest_ram ram;
	struct vgt_slices s;
	uint64_t frame_of[PAGES];	/* reference: 0 = unbound, else gpa */
};

static void setup(struct fixture *f)
{
	struct vgt_gpu_desc d;
	struct vgt_vgpu_request req;

	vgt_gpu_desc_default(&d);
	f->h = vgt_host_create(&d, NULL);
	vgt_type_parse("8", &req);
	f->v = vgt_vgpu_create(f->h, &req, NULL, NULL, 0);
	vgt_vgpu_slices(f->v, &f->s);
	guest_ram_init(&f->ram);
	guest_ram_add(&f->ram, 0, (FRAMES + 1) * 4096ULL);
	guest_ram_attach(&f->ram, f->v);
	memset(f->frame_of, 0, sizeof(f->frame_of));
}

static void teardown(struct fixture *f)
{
	vgt_host_destroy(f->h);
	guest_ram_free(&f->ram);
}

static uint64_t gm_of(struct fixture *f, unsigned int page)
{
	return f->s.aperture_base + page * 4096ULL;
}

/* Bind GGTT page to frame (1..FRAMES), or unbind with frame 0. */
static void bind(struct fixture *f, unsigned int page, unsigned int frame)
{
	uint64_t pte = frame ? frame * 4096ULL | GEN8_PAGE_PRESENT : 0;

	vgt_mmio_write(f->v, VGT_GSM_OFFSET + 8 * (gm_of(f, page) >> 12), 8, pte);
	f->frame_of[page] = frame ? frame * 4096ULL : 0;
}

static uint8_t *cpu(struct fixture *f, uint64_t gpa)
{
	return guest_ram_ptr(&f->ram, gpa, 1);
}

TEST(igt_patterns, "H-12")
{
	struct fixture f;
	uint8_t buf[4096], back[4096];

	setup(&f);
	bind(&f, 0, 1);
	/* basic-uaf: the CPU writes the pages (pwrite), the GTT mmap reads them. */
	memset(cpu(&f, 4096), 0, 4096);
	memset(cpu(&f, 4096) + 1024, 0x01, 1024);
	vgt_aperture_read(f.v, gm_of(&f, 0), back, 4096);
	CHECK(!memcmp(back, cpu(&f, 4096), 4096), "aperture reads what the CPU wrote");
	/* then the GTT mmap writes, and the CPU (pread) reads the pages. */
	memset(buf, 0xff, 1024);
	vgt_aperture_write(f.v, gm_of(&f, 0) + 2048, buf, 1024);
	CHECK(cpu(&f, 4096)[2048] == 0xff && cpu(&f, 4096)[3071] == 0xff && cpu(&f, 4096)[3072] == 0,
	      "the pages hold the aperture's write at once");
	/* gem_gtt_cpu_tlb: rebind the GGTT page elsewhere, the old view must go. */
	memset(cpu(&f, 2 * 4096), 0x5a, 4096);
	bind(&f, 0, 2);
	vgt_aperture_read(f.v, gm_of(&f, 0), back, 16);
	CHECK(back[0] == 0x5a, "rebound: the next read sees the new frame (%#x)", back[0]);
	vgt_aperture_write(f.v, gm_of(&f, 0), "x", 1);
	CHECK(cpu(&f, 2 * 4096)[0] == 'x' && cpu(&f, 4096)[0] == 0,
	      "rebound: the write lands in the new frame only");
	bind(&f, 0, 0);
	memset(back, 0x77, 16);
	CHECK(vgt_aperture_read(f.v, gm_of(&f, 0), back, 16) == -EFAULT && back[0] == 0,
	      "unbound: reads 0 and is refused");
	CHECK(vgt_aperture_write(f.v, gm_of(&f, 0), "y", 1) == -EFAULT &&
	      cpu(&f, 2 * 4096)[0] == 'x', "unbound: a write reaches no frame");
	teardown(&f);
}

/* Random CPU writes, aperture reads and writes, rebinds and unbinds. */
TEST(random_interleaving, "H-12")
{
	struct fixture f;
	unsigned int seed = vgt_test_seed(), i, bad = 0, ops = 100000;

	setup(&f);
	srand(seed);
	for (i = 0; i < PAGES; i++)
		bind(&f, i, 1 + rand() % FRAMES);
	for (i = 0; i < ops; i++) {
		unsigned int page = rand() % PAGES, off = rand() % 4096, len = 1 + rand() % 64;
		uint64_t gpa = f.frame_of[page];
		uint8_t buf[64], want[64];
		int ret;

		if (off + len > 4096)
			len = 4096 - off;
		switch (rand() % 5) {
		case 0:		/* the CPU writes the frame behind the page */
			if (gpa)
				memset(cpu(&f, gpa) + off, rand(), len);
			break;
		case 1:		/* rebind */
			bind(&f, page, 1 + rand() % FRAMES);
			break;
		case 2:		/* unbind, now and then */
			if (rand() % 4 == 0)
				bind(&f, page, 0);
			break;
		case 3:		/* an aperture write */
			memset(buf, rand(), len);
			ret = vgt_aperture_write(f.v, gm_of(&f, page) + off, buf, len);
			if (gpa ? ret || memcmp(cpu(&f, gpa) + off, buf, len) : ret != -EFAULT)
				bad++;
			break;
		default:	/* an aperture read, against the reference */
			memset(want, 0, sizeof(want));
			if (gpa)
				memcpy(want, cpu(&f, gpa) + off, len);
			ret = vgt_aperture_read(f.v, gm_of(&f, page) + off, buf, len);
			if ((gpa ? ret != 0 : ret != -EFAULT) || memcmp(buf, want, len))
				bad++;
			break;
		}
	}
	CHECK(bad == 0, "seed %u: %u of %u operations disagreed with the reference", seed, bad, ops);
	teardown(&f);
}

VGT_TEST_MAIN()

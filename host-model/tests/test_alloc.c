// SPDX-License-Identifier: MIT
/*
 * The partition allocator: every GVT-g type, custom sizes, ids, no cap of
 * 7, exhaustion with the allocator's exact message for each resource,
 * best-fit placement, fragmentation figures, and 10^4 seeded random
 * create/destroy cycles with the allocator's invariants checked after each
 * step (the seed is printed on failure: rerun with VGT_SEED=n), once with
 * one range per class and once with scattered slices (PVINFO 1.1 H-31:
 * no refusal while the total free space suffices).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libvgt.h"

#include "vgt_test.h"

#define MIB VGT_MIB

static struct vgt_host *host_with(uint64_t aperture_mib)
{
	struct vgt_gpu_desc d;
	int err;

	vgt_gpu_desc_default(&d);
	d.aperture_size = aperture_mib * MIB;
	return vgt_host_create(&d, &err);
}

static struct vgt_vgpu *mk(struct vgt_host *h, const char *type, int *err,
			   char *msg, size_t len)
{
	struct vgt_vgpu_request req;

	*err = vgt_type_parse(type, &req);
	if (*err)
		return NULL;
	return vgt_vgpu_create(h, &req, err, msg, len);
}

TEST(types, "H-5")
{
	static const struct { const char *t; uint64_t ap, hid; } types[] = {
		{ "8", 64, 384 }, { "4", 128, 512 }, { "2", 256, 1024 }, { "1", 512, 2048 },
	};
	unsigned int i;

	for (i = 0; i < 4; i++) {
		/* Host aperture just big enough: 128 MiB reserve + the type. */
		struct vgt_host *h = host_with(128 + types[i].ap);
		struct vgt_vgpu *v, *w;
		struct vgt_slices s;
		char msg[128];
		int err;

		v = mk(h, types[i].t, &err, msg, sizeof(msg));
		vgt_vgpu_slices(v, &s);
		CHECK(v && s.id == 1 && s.aperture_base == 128 * MIB &&
		      s.aperture_size == types[i].ap * MIB &&
		      s.hidden_base == (128 + types[i].ap + 384) * MIB &&
		      s.hidden_size == types[i].hid * MIB && s.fence_num == 4 &&
		      s.fence_phys[0] == 4 && s.fence_phys[3] == 7 &&
		      s.guest_mem == VGT_DEFAULT_GUEST_MEM,
		      "type %s: id %u ap %#llx+%#llx hid %#llx+%#llx fences %u",
		      types[i].t, s.id, (unsigned long long)s.aperture_base,
		      (unsigned long long)s.aperture_size,
		      (unsigned long long)s.hidden_base,
		      (unsigned long long)s.hidden_size, s.fence_num);
		w = mk(h, types[i].t, &err, msg, sizeof(msg));
		CHECK(!w && err == -ENOSPC && !strncmp(msg, "aperture: requested", 19),
		      "second type %s: err %d msg %s", types[i].t, err, msg);
		vgt_host_destroy(h);
	}
}

TEST(messages, "H-5")
{
	struct vgt_host *h = host_with(1024);	/* hidden for vGPUs: 2688 MiB */
	struct vgt_vgpu_request req;
	struct vgt_vgpu *v[6];
	struct vgt_slices sb, s;
	char msg[160];
	int err;

	v[0] = mk(h, "64/1920/4", &err, msg, sizeof(msg));
	v[1] = mk(h, "64/256/4", &err, msg, sizeof(msg));
	v[2] = mk(h, "64/128/4", &err, msg, sizeof(msg));
	v[3] = mk(h, "64/384/4", &err, msg, sizeof(msg));
	CHECK(v[0] && v[1] && v[2] && v[3], "setup: %s", msg);
	vgt_vgpu_slices(v[1], &sb);
	vgt_vgpu_destroy(v[1]);
	vgt_vgpu_destroy(v[3]);
	/* Hidden holes of 256 and 384 MiB: the issue's own example. */
	v[4] = mk(h, "64/512/4", &err, msg, sizeof(msg));
	CHECK(!v[4] && err == -ENOSPC &&
	      !strcmp(msg, "hidden: requested 512 MiB, largest free 384 MiB, total free 640 MiB"),
	      "hidden message: %s", msg);
	/* Aperture holes: 64 MiB (vGPU 2's) and 704 MiB at the end. */
	vgt_type_parse("769/16/1", &req);
	CHECK(!vgt_vgpu_create(h, &req, &err, msg, sizeof(msg)) && err == -ENOSPC &&
	      !strcmp(msg, "aperture: requested 769 MiB, largest free 704 MiB, total free 768 MiB"),
	      "aperture message: %s", msg);
	/* Fences: 28 for vGPUs, two vGPUs hold 8. */
	vgt_type_parse("16/16/21", &req);
	CHECK(!vgt_vgpu_create(h, &req, &err, msg, sizeof(msg)) && err == -ENOSPC &&
	      !strcmp(msg, "fences: requested 21, free 20"), "fence message: %s", msg);
	/* Refused requests reserved nothing; best fit refills the 256 MiB hole. */
	v[5] = mk(h, "64/256/4", &err, msg, sizeof(msg));
	vgt_vgpu_slices(v[5], &s);
	CHECK(v[5] && s.id == 2 && s.hidden_base == sb.hidden_base &&
	      s.aperture_base == sb.aperture_base,
	      "refill: id %u hidden %#llx want %#llx", s.id,
	      (unsigned long long)s.hidden_base, (unsigned long long)sb.hidden_base);
	vgt_host_destroy(h);
}
TEST(ids_and_no_cap, "H-5")
{
	struct vgt_host *h = host_with(2048);
	struct vgt_vgpu *v[32] = { 0 };
	struct vgt_slices s;
	unsigned int i, n = 0;
	char msg[128];
	int err;

	for (i = 0; i < 32; i++) {
		v[i] = mk(h, "16/32/1", &err, msg, sizeof(msg));
		if (!v[i])
			break;
		n++;
	}
	/* 28 fences for vGPUs: 28 of them, far beyond GVT-g's 7. */
	CHECK(n == 28 && err == -ENOSPC && !strcmp(msg, "fences: requested 1, free 0"),
	      "%u vGPUs, then %d %s", n, err, msg);
	vgt_vgpu_slices(v[27], &s);
	CHECK(s.id == 28 && s.fence_phys[0] == 31, "last id %u fence %u", s.id, s.fence_phys[0]);
	vgt_vgpu_destroy(v[4]);
	vgt_vgpu_destroy(v[2]);
	v[2] = mk(h, "16/32/1", &err, msg, sizeof(msg));
	vgt_vgpu_slices(v[2], &s);
	CHECK(s.id == 3 && s.fence_phys[0] == 6, "smallest free id: %u fence %u", s.id,
	      s.fence_phys[0]);
	v[4] = mk(h, "16/32/1", &err, msg, sizeof(msg));
	vgt_vgpu_slices(v[4], &s);
	CHECK(s.id == 5, "next smallest free id: %u", s.id);
	vgt_host_destroy(h);
}

TEST(best_fit, "H-5")
{
	struct vgt_host *h = host_with(1024);
	struct vgt_vgpu *v[6];
	struct vgt_slices s;
	struct vgt_free fa, fh;
	unsigned int fences, i;
	char msg[128];
	int err;
	static const char *const t[6] = {
		"128/64/1", "32/64/1", "64/64/1", "32/64/1", "128/64/1", "32/64/1",
	};

	for (i = 0; i < 6; i++)
		v[i] = mk(h, t[i], &err, msg, sizeof(msg));
	/* Holes: 128 at 128 MiB, 64 at 288, 128 at 384, 480 at 544 MiB. */
	vgt_vgpu_destroy(v[0]);
	vgt_vgpu_destroy(v[2]);
	vgt_vgpu_destroy(v[4]);
	vgt_host_free_space(h, &fa, &fh, &fences);
	CHECK(fa.total == (1024 - 128 - 96) * MIB && fa.holes == 4 &&
	      fa.largest == 480 * MIB && fences == 25,
	      "free aperture %llu in %u holes, largest %llu, %u fences",
	      (unsigned long long)fa.total, fa.holes, (unsigned long long)fa.largest, fences);
	v[0] = mk(h, "64/64/1", &err, msg, sizeof(msg));
	vgt_vgpu_slices(v[0], &s);
	CHECK(s.aperture_base == 288 * MIB, "64 MiB into the 64 MiB hole: %#llx",
	      (unsigned long long)s.aperture_base);
	v[2] = mk(h, "100/64/1", &err, msg, sizeof(msg));
	vgt_vgpu_slices(v[2], &s);
	CHECK(s.aperture_base == 128 * MIB, "100 MiB: lowest of two 128 MiB holes: %#llx",
	      (unsigned long long)s.aperture_base);
	v[4] = mk(h, "300/64/1", &err, msg, sizeof(msg));
	vgt_vgpu_slices(v[4], &s);
	CHECK(s.aperture_base == 544 * MIB, "300 MiB into the tail: %#llx",
	      (unsigned long long)s.aperture_base);
	vgt_host_destroy(h);
}

TEST(bad_input, "")
{
	struct vgt_gpu_desc d;
	struct vgt_vgpu_request req;
	struct vgt_host *h;
	char msg[128];
	int err = 0;

	CHECK(!vgt_host_create(NULL, &err) && err == -EINVAL, "NULL desc");
	vgt_gpu_desc_default(&d);
	d.aperture_size = d.ggtt_size;
	CHECK(!vgt_host_create(&d, &err) && err == -EINVAL, "aperture = GGTT");
	vgt_gpu_desc_default(&d);
	d.fences = 33;
	CHECK(!vgt_host_create(&d, NULL), "33 fences, NULL err");
	vgt_gpu_desc_default(&d);
	d.host_aperture = 300 * MIB;
	CHECK(!vgt_host_create(&d, &err) && err == -EINVAL, "reserve > aperture");
	vgt_gpu_desc_default(&d);
	d.ggtt_size = 8192 * MIB;
	CHECK(!vgt_host_create(&d, &err) && err == -EINVAL, "8 GiB GGTT");
	CHECK(vgt_type_parse("3", &req) == -EINVAL && vgt_type_parse("8x", &req) == -EINVAL &&
	      vgt_type_parse("1/2/3/", &req) == -EINVAL && vgt_type_parse("0/1/1", &req) == -EINVAL &&
	      vgt_type_parse("1/1/33", &req) == -EINVAL && vgt_type_parse(NULL, &req) == -EINVAL,
	      "bad type names");
	/* Regression: sscanf took spaces and signs. */
	CHECK(vgt_type_parse(" 64/ 64/ 2", &req) == -EINVAL &&
	      vgt_type_parse("64/64/ 2", &req) == -EINVAL &&
	      vgt_type_parse("64 /64/2", &req) == -EINVAL &&
	      vgt_type_parse("+64/64/2", &req) == -EINVAL &&
	      vgt_type_parse("64/64/-1", &req) == -EINVAL &&
	      vgt_type_parse("64//2", &req) == -EINVAL &&
	      vgt_type_parse("4097/64/2", &req) == -EINVAL &&
	      vgt_type_parse("99999999999999999999/64/2", &req) == -EINVAL,
	      "custom types: decimal digits only, in range");
	CHECK(vgt_type_parse("4096/0064/32", &req) == 0 && req.aperture == 4096 * MIB &&
	      req.hidden == 64 * MIB && req.fences == 32, "largest custom type, leading zero decimal");
	vgt_gpu_desc_default(&d);
	h = vgt_host_create(&d, &err);
	req = (struct vgt_vgpu_request){ .aperture = 4096 + 1, .hidden = 4096, .fences = 1 };
	CHECK(!vgt_vgpu_create(h, &req, &err, msg, sizeof(msg)) && err == -EINVAL &&
	      strstr(msg, "invalid request"), "unaligned request: %s", msg);
	req = (struct vgt_vgpu_request){ .aperture = 4096, .hidden = 4096, .fences = 0 };
	CHECK(!vgt_vgpu_create(h, &req, &err, NULL, 0) && err == -EINVAL, "0 fences");
	CHECK(!vgt_vgpu_create(NULL, &req, &err, NULL, 0) && err == -EINVAL, "NULL host");
	CHECK(!vgt_vgpu_create(h, NULL, &err, NULL, 0) && err == -EINVAL, "NULL request");
	vgt_vgpu_destroy(NULL);
	vgt_host_destroy(NULL);
	vgt_host_destroy(h);
}

/* Does [b, b + n) overlap [c, c + m)? */
static bool overlap(const struct vgt_gm_range *x, const struct vgt_gm_range *y)
{
	return x->base < y->base + y->size && y->base < x->base + x->size;
}

/*
 * The allocator's books: every range inside its class, the ranges of each
 * vGPU adding up to what it asked for, no two ranges of any vGPUs
 * overlapping, fences unique, free + used = everything.
 */
static int check_invariants(struct vgt_host *h, struct vgt_vgpu **live,
			    const struct vgt_vgpu_request *asked, unsigned int n,
			    const struct vgt_gpu_desc *d)
{
	static struct vgt_slices s[64];
	uint64_t used[VGT_GM_NR] = { 0 }, lo[VGT_GM_NR], hi[VGT_GM_NR];
	unsigned int i, j, c, k, l, f, fences_used = 0, nf;
	bool fence_seen[VGT_MAX_FENCES] = { false };
	struct vgt_free fa, fh;

	lo[VGT_GM_APERTURE] = d->host_aperture;
	hi[VGT_GM_APERTURE] = d->aperture_size;
	lo[VGT_GM_HIDDEN] = d->aperture_size + d->host_hidden;
	hi[VGT_GM_HIDDEN] = d->ggtt_size;
	for (i = 0; i < n; i++)
		if (live[i])
			vgt_vgpu_slices(live[i], &s[i]);
	for (i = 0; i < n; i++) {
		uint64_t sum[VGT_GM_NR] = { 0 };

		if (!live[i])
			continue;
		if (s[i].ranges.nr[0] + s[i].ranges.nr[1] > VGT_MAX_SLICE_RANGES)
			return 5;
		for (c = 0; c < VGT_GM_NR; c++) {
			for (k = 0; k < s[i].ranges.nr[c]; k++) {
				const struct vgt_gm_range *r = &s[i].ranges.r[c][k];

				if (r->base < lo[c] || r->base + r->size > hi[c] || !r->size ||
				    (k && r->base < s[i].ranges.r[c][k - 1].base +
						    s[i].ranges.r[c][k - 1].size))
					return 1;
				sum[c] += r->size;
				for (j = i + 1; j < n; j++)
					for (l = 0; live[j] && l < s[j].ranges.nr[c]; l++)
						if (overlap(r, &s[j].ranges.r[c][l]))
							return 3;
			}
			used[c] += sum[c];
		}
		if (sum[VGT_GM_APERTURE] != asked[i].aperture || sum[VGT_GM_HIDDEN] != asked[i].hidden ||
		    s[i].aperture_base != s[i].ranges.r[0][0].base ||
		    s[i].hidden_size != s[i].ranges.r[1][0].size)
			return 6;
		for (f = 0; f < s[i].fence_num; f++) {
			if (s[i].fence_phys[f] < d->host_fences || fence_seen[s[i].fence_phys[f]])
				return 2;
			fence_seen[s[i].fence_phys[f]] = true;
			fences_used++;
		}
	}
	vgt_host_free_space(h, &fa, &fh, &nf);
	if (fa.total + used[0] != d->aperture_size - d->host_aperture ||
	    fh.total + used[1] != d->ggtt_size - d->aperture_size - d->host_hidden ||
	    nf + fences_used != d->fences - d->host_fences || fa.largest > fa.total)
		return 4;
	return 0;
}

#define SLOTS 48

struct cycles {
	unsigned int created, refused_enough, refused_short, max_ranges, bad;
};

/*
 * 10^4 seeded create/destroy cycles of mixed types on a 2 GiB-aperture
 * host. A refusal is right only when no single hole fits (1.0) or, for
 * scatter-capable requests, only when the total free space is short.
 */
static struct cycles random_cycles(unsigned int seed, unsigned int flags)
{
	static const char *const types[] = { "8", "4", "2", "1", "16/128/1", "32/64/2" };
	struct vgt_vgpu *live[SLOTS] = { 0 };
	struct vgt_vgpu_request asked[SLOTS];
	struct cycles r = { 0 };
	struct vgt_gpu_desc d;
	struct vgt_host *h;
	unsigned int i;

	vgt_gpu_desc_default(&d);
	d.aperture_size = 2048 * MIB;
	h = vgt_host_create(&d, NULL);
	srand(seed);
	for (i = 0; i < 10000; i++) {
		unsigned int k = (unsigned int)rand() % SLOTS, inv;

		if (live[k]) {
			vgt_vgpu_destroy(live[k]);
			live[k] = NULL;
		} else {
			struct vgt_free fa, fh;
			struct vgt_slices s;
			unsigned int fences;
			char msg[160];
			int err;

			vgt_type_parse(types[(unsigned int)rand() % 6], &asked[k]);
			asked[k].flags = flags;
			vgt_host_free_space(h, &fa, &fh, &fences);
			live[k] = vgt_vgpu_create(h, &asked[k], &err, msg, sizeof(msg));
			if (!live[k]) {
				bool enough = fa.total >= asked[k].aperture &&
					      fh.total >= asked[k].hidden && fences >= asked[k].fences;
				bool fits = fa.largest >= asked[k].aperture &&
					    fh.largest >= asked[k].hidden && fences >= asked[k].fences;

				if (err != -ENOSPC || fits || (enough && (flags & VGT_REQ_SCATTER)))
					r.bad++;
				if (enough)
					r.refused_enough++;
				else
					r.refused_short++;
				continue;
			}
			vgt_vgpu_slices(live[k], &s);
			if (s.ranges.nr[0] + s.ranges.nr[1] > r.max_ranges)
				r.max_ranges = s.ranges.nr[0] + s.ranges.nr[1];
			r.created++;
		}
		inv = check_invariants(h, live, asked, SLOTS, &d);
		if (inv) {
			r.bad++;
			printf("# seed %u: invariant %u broken at cycle %u\n", seed, inv, i);
			break;
		}
	}
	vgt_host_destroy(h);
	return r;
}

TEST(random, "H-5")
{
	unsigned int seed = vgt_test_seed();
	struct cycles r = random_cycles(seed, 0);

	printf("# random cycles, one range per class: seed %u, %u created, %u refused while "
	       "enough total space was free, %u refused short of space\n", seed, r.created,
	       r.refused_enough, r.refused_short);
	CHECK(r.bad == 0, "seed %u: %u wrong refusals or broken invariants", seed, r.bad);
}

TEST(random_cycles_scattered, "H-31 H-5")
{
	unsigned int seed = vgt_test_seed();
	struct cycles r = random_cycles(seed, VGT_REQ_SCATTER);

	printf("# random cycles, scattered slices: seed %u, %u created, %u refused while "
	       "enough total space was free, %u refused short of space, at most %u ranges\n",
	       seed, r.created, r.refused_enough, r.refused_short, r.max_ranges);
	CHECK(r.bad == 0 && r.refused_enough == 0,
	      "seed %u: %u wrong refusals or broken invariants, %u refused with enough space",
	      seed, r.bad, r.refused_enough);
}

/* A scattered vGPU: several holes, largest first, the last best fit. */
TEST(scatter_takes_several_holes, "H-31")
{
	struct vgt_host *h = host_with(1024);
	struct vgt_vgpu *v[5], *w;
	struct vgt_vgpu_request req;
	struct vgt_slices s;
	unsigned int i;
	char msg[160];
	int err;
	static const char *const t[5] = { "128/64/1", "32/64/1", "64/64/1", "32/64/1", "128/64/1" };

	for (i = 0; i < 5; i++)
		v[i] = mk(h, t[i], &err, msg, sizeof(msg));
	/* Aperture holes: 128 MiB at 128, 64 at 288, 640 at 384 (v[4]'s and the tail). */
	vgt_vgpu_destroy(v[0]);
	vgt_vgpu_destroy(v[2]);
	vgt_vgpu_destroy(v[4]);
	vgt_type_parse("700/64/1", &req);
	CHECK(!vgt_vgpu_create(h, &req, &err, msg, sizeof(msg)) && err == -ENOSPC,
	      "without scatter: %s", msg);
	req.flags = VGT_REQ_SCATTER;
	w = vgt_vgpu_create(h, &req, &err, msg, sizeof(msg));
	vgt_vgpu_slices(w, &s);
	CHECK(w && s.ranges.nr[VGT_GM_APERTURE] == 2 &&
	      s.ranges.r[0][0].base == 288 * MIB && s.ranges.r[0][0].size == 60 * MIB &&
	      s.ranges.r[0][1].base == 384 * MIB && s.ranges.r[0][1].size == 640 * MIB &&
	      s.ranges.nr[VGT_GM_HIDDEN] == 1 && s.aperture_base == 288 * MIB &&
	      s.aperture_size == 60 * MIB,
	      "700 MiB as the 640 MiB hole and the remainder 60 best fit (in the 64 MiB hole): "
	      "%u ranges, first %#llx+%#llx", s.ranges.nr[0],
	      (unsigned long long)s.ranges.r[0][0].base, (unsigned long long)s.ranges.r[0][0].size);
	vgt_vgpu_destroy(w);
	req.aperture = 897 * MIB;
	CHECK(!vgt_vgpu_create(h, &req, &err, msg, sizeof(msg)) && err == -ENOSPC &&
	      strstr(msg, "total free 832 MiB"), "more than the total: %s", msg);
	vgt_host_destroy(h);
}

VGT_TEST_MAIN()

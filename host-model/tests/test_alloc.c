// SPDX-License-Identifier: MIT
/*
 * The partition allocator: every GVT-g type, custom sizes, ids, no cap of
 * 7, exhaustion with the allocator's exact message for each resource,
 * best-fit placement, fragmentation figures, and 10^4 seeded random
 * create/destroy cycles with the allocator's invariants checked after each
 * step (the seed is printed on failure: rerun with VGT_SEED=n).
 */
#include <errno.h>
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

/* Sum of extents, overlaps, fences: the allocator's books must balance. */
static int check_invariants(struct vgt_host *h, struct vgt_vgpu **live, unsigned int n,
			    const struct vgt_gpu_desc *d)
{
	uint64_t ap_used = 0, hid_used = 0;
	unsigned int i, j, f, fences_used = 0, nf;
	bool fence_seen[VGT_MAX_FENCES] = { false };
	struct vgt_free fa, fh;

	for (i = 0; i < n; i++) {
		struct vgt_slices a, b;

		if (!live[i])
			continue;
		vgt_vgpu_slices(live[i], &a);
		ap_used += a.aperture_size;
		hid_used += a.hidden_size;
		if (a.aperture_base < d->host_aperture ||
		    a.aperture_base + a.aperture_size > d->aperture_size ||
		    a.hidden_base < d->aperture_size + d->host_hidden ||
		    a.hidden_base + a.hidden_size > d->ggtt_size)
			return 1;
		for (f = 0; f < a.fence_num; f++) {
			if (a.fence_phys[f] < d->host_fences || fence_seen[a.fence_phys[f]])
				return 2;
			fence_seen[a.fence_phys[f]] = true;
			fences_used++;
		}
		for (j = i + 1; j < n; j++) {
			if (!live[j])
				continue;
			vgt_vgpu_slices(live[j], &b);
			if ((a.aperture_base < b.aperture_base + b.aperture_size &&
			     b.aperture_base < a.aperture_base + a.aperture_size) ||
			    (a.hidden_base < b.hidden_base + b.hidden_size &&
			     b.hidden_base < a.hidden_base + a.hidden_size) || a.id == b.id)
				return 3;
		}
	}
	vgt_host_free_space(h, &fa, &fh, &nf);
	if (fa.total + ap_used != d->aperture_size - d->host_aperture ||
	    fh.total + hid_used != d->ggtt_size - d->aperture_size - d->host_hidden ||
	    nf + fences_used != d->fences - d->host_fences || fa.largest > fa.total)
		return 4;
	return 0;
}

#define SLOTS 48

TEST(random, "H-5")
{
	static const char *const types[] = { "8", "4", "2", "1", "16/128/1", "32/64/2" };
	struct vgt_gpu_desc d;
	struct vgt_vgpu *live[SLOTS] = { 0 };
	unsigned int seed = vgt_test_seed(), i, nlive = 0, created = 0, frag = 0, bad = 0;
	struct vgt_host *h;
	int err;

	vgt_gpu_desc_default(&d);
	d.aperture_size = 2048 * MIB;
	h = vgt_host_create(&d, &err);
	srand(seed);
	for (i = 0; i < 10000; i++) {
		unsigned int k = (unsigned int)rand() % SLOTS, inv;

		if (live[k]) {
			vgt_vgpu_destroy(live[k]);
			live[k] = NULL;
			nlive--;
		} else {
			struct vgt_vgpu_request req;
			struct vgt_free fa, fh;
			unsigned int fences;
			char msg[128];

			vgt_type_parse(types[(unsigned int)rand() % 6], &req);
			vgt_host_free_space(h, &fa, &fh, &fences);
			live[k] = vgt_vgpu_create(h, &req, &err, msg, sizeof(msg));
			if (!live[k]) {
				bool enough = fa.total >= req.aperture && fh.total >= req.hidden &&
					      fences >= req.fences;
				bool fits = fa.largest >= req.aperture && fh.largest >= req.hidden &&
					    fences >= req.fences;

				if (err != -ENOSPC || fits)
					bad++;	/* refused although a hole fits */
				frag += enough;
				continue;
			}
			nlive++;
			created++;
		}
		inv = check_invariants(h, live, SLOTS, &d);
		if (inv) {
			bad++;
			printf("# seed %u: invariant %u broken at cycle %u\n", seed, inv, i);
			break;
		}
	}
	CHECK(bad == 0, "seed %u: %u wrong refusals or broken invariants", seed, bad);
	printf("# random: seed %u, 10000 cycles, %u created, %u live at end, "
	       "%u failures while enough total space was free\n", seed, created, nlive, frag);
	vgt_host_destroy(h);
}

VGT_TEST_MAIN()

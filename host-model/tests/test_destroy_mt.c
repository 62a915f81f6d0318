// SPDX-License-Identifier: MIT
/*
 * Destroy under load (built with ASan+UBSan+LSan and with TSan): a vGPU is
 * destroyed while three threads drive its traps and getters and a fourth
 * drives another vGPU. The contract of libvgt.h: calls that got in before
 * the destroy finish, every later one fails without effect, nothing freed
 * is touched (ASan), nothing races (TSan), everything is freed with the
 * host (LSan); the destroyed vGPU's slices and fences go back to the host
 * clean, and the other vGPU sees nothing of it.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

#include <linux/types.h>

#include "i915_pvinfo.h"
#include "libvgt.h"

#include "vgt_test.h"

#define PV(field) (VGT_PVINFO_PAGE + vgtif_offset(field))
#define PTE(index) (VGT_GSM_OFFSET + 8ULL * (index))
#define FENCE(n) (VGT_FENCE_BASE + 8ULL * (n))
#define DRIVERS 3
#define ROUNDS 12
#define WARMUP 200	/* calls each driver makes before the destroy */
#define AFTER 50	/* calls each driver makes on the dead handle */

struct driver {
	struct vgt_vgpu *v;
	struct vgt_slices s;
	unsigned int kind;
	atomic_uint calls;
	unsigned long ok_after_enodev, wrong_errors, enodev;
};

/* One call of kind k on v; its result as a trap call would give it. */
static int one_call(struct vgt_vgpu *v, const struct vgt_slices *s, unsigned int k,
		    unsigned int i)
{
	uint64_t val;
	struct vgt_traps t;
	char line[64];
	u8 page[VGT_PVINFO_SIZE];

	switch ((k + i) % 8) {
	case 0:
		return vgt_mmio_write(v, PTE((s->aperture_base >> 12) + i % 64), 8,
				      ((u64)(i % 1000) << 12) | 1);
	case 1:
		return vgt_mmio_read(v, PV(magic), 8, &val);
	case 2:
		return vgt_mmio_write(v, FENCE(i % 4), 8,
				      ((s->aperture_base + 0xf000) << 32) | s->aperture_base | 1);
	case 3:
		vgt_mmio_write(v, PV(pdp[0]), 8, 0x1000 * (1 + i % 8));
		return vgt_mmio_write(v, PV(g2v_notify), 4, VGT_G2V_PPGTT_L4_PAGE_TABLE_CREATE);
	case 4:
		return vgt_mmio_write(v, PTE(0), 8, 1) == -ERANGE ? 0 : -ENODEV;	/* refused */
	case 5:	/* getters: a dead handle reads as zeroes (no magic) */
		vgt_vgpu_traps(v, &t, false);
		vgt_vgpu_last_rejection(v, line, sizeof(line));
		vgt_vgpu_shadow_pte(v, s->aperture_base >> 12);
		vgt_vgpu_get_pvinfo(v, page);
		return page[0] == 'v' ? 0 : -ENODEV;
	case 6:
		return vgt_mmio_write(v, 0x4000 + 4 * (i % 16), 4, i);
	default:
		vgt_vgpu_reset(v);
		vgt_vgpu_get_pvinfo(v, page);
		return vgt_vgpu_set_pvinfo(v, page);
	}
}

/* Drive the vGPU until its calls fail, then some more on the dead handle. */
static void *drive(void *arg)
{
	struct driver *d = arg;
	unsigned int i, dead_calls = 0;
	bool dead = false;

	for (i = 0; dead_calls < AFTER; i++) {
		int ret = one_call(d->v, &d->s, d->kind, i);

		atomic_fetch_add(&d->calls, 1);
		if (ret == -ENODEV) {
			d->enodev++;
			dead = true;
		} else if (ret) {
			d->wrong_errors++;
		} else if (dead) {
			d->ok_after_enodev++;	/* a dead handle must stay dead */
		}
		dead_calls += dead;
		if (i % 64 == 0)
			sched_yield();
	}
	return NULL;
}

struct other {
	struct vgt_vgpu *v;
	struct vgt_slices s;
	atomic_bool stop;
	unsigned long rounds, errors;
};

/* The other vGPU's own traffic, with values only it writes. */
static void *drive_other(void *arg)
{
	struct other *o = arg;
	unsigned long i;

	for (i = 0; !atomic_load(&o->stop); i++) {
		o->errors += vgt_mmio_write(o->v, PTE((o->s.hidden_base >> 12) + i % 32), 8,
					    ((u64)(0x700 + i % 32) << 12) | 1) != 0;
		o->errors += vgt_mmio_write(o->v, FENCE(i % 2), 8,
					    ((o->s.hidden_base + 0x1f000) << 32) | o->s.hidden_base | 1) != 0;
		o->rounds++;
	}
	return NULL;
}

static void *destroy_thread(void *v)
{
	vgt_vgpu_destroy(v);
	return NULL;
}

static struct vgt_vgpu *mk(struct vgt_host *h, const char *type)
{
	struct vgt_vgpu_request req;
	int err;

	vgt_type_parse(type, &req);
	return vgt_vgpu_create(h, &req, &err, NULL, 0);
}

TEST(destroy_while_driven, "H-15 H-17")
{
	struct vgt_gpu_desc desc;
	struct vgt_host *h;
	struct other o = { 0 };
	pthread_t ot, t[DRIVERS];
	struct driver d[DRIVERS];
	struct vgt_free before, after;
	struct vgt_traps tr;
	unsigned int round, k, f, i, fences_before, fences_after;
	int err;

	vgt_gpu_desc_default(&desc);
	h = vgt_host_create(&desc, &err);
	o.v = mk(h, "8");
	vgt_vgpu_slices(o.v, &o.s);
	vgt_mmio_read(o.v, PV(magic), 8, &(uint64_t){ 0 });
	pthread_create(&ot, NULL, drive_other, &o);
	vgt_host_free_space(h, &before, NULL, &fences_before);

	for (round = 0; round < ROUNDS; round++) {
		struct vgt_vgpu *v = mk(h, "8"), *fresh;
		struct vgt_slices s, fs;
		unsigned long wrong = 0, revived = 0, enodev = 0;

		vgt_vgpu_slices(v, &s);
		for (k = 0; k < DRIVERS; k++) {
			d[k] = (struct driver){ .v = v, .s = s, .kind = k * 3 };
			atomic_init(&d[k].calls, 0);
			pthread_create(&t[k], NULL, drive, &d[k]);
		}
		for (k = 0; k < DRIVERS; k++)
			while (atomic_load(&d[k].calls) < WARMUP)
				sched_yield();
		/* Twice at once: the second one is a no-op. */
		if (round % 2) {
			pthread_t second;

			pthread_create(&second, NULL, destroy_thread, v);
			vgt_vgpu_destroy(v);
			pthread_join(second, NULL);
		} else {
			vgt_vgpu_destroy(v);
		}
		for (k = 0; k < DRIVERS; k++) {
			pthread_join(t[k], NULL);
			wrong += d[k].wrong_errors;
			revived += d[k].ok_after_enodev;
			enodev += d[k].enodev;
		}
		CHECK(wrong == 0 && revived == 0 && enodev >= DRIVERS * AFTER,
		      "round %u: %lu wrong errors, %lu successes after -ENODEV, %lu -ENODEV",
		      round, wrong, revived, enodev);
		vgt_vgpu_traps(v, &tr, false);
		CHECK(tr.count[VGT_TRAP_GGTT] == 0 && vgt_vgpu_shadow_pte(v, s.aperture_base >> 12) == 0 &&
		      vgt_vgpu_failsafe_cause(v) == VGT_FAILSAFE_NONE && vgt_vgpu_display_ready(v) == 0,
		      "round %u: the dead handle reads empty", round);
		for (f = 0; f < s.fence_num; f++)
			CHECK(vgt_host_fence(h, s.fence_phys[f]) == 0,
			      "round %u: physical fence %u not cleared", round, s.fence_phys[f]);

		/* Its slices and fences come back clean to the next vGPU. */
		fresh = mk(h, "8");
		vgt_vgpu_slices(fresh, &fs);
		CHECK(fresh && fs.id == s.id && fs.aperture_base == s.aperture_base &&
		      fs.hidden_base == s.hidden_base && fs.fence_phys[0] == s.fence_phys[0],
		      "round %u: the next vGPU does not get the freed slices", round);
		for (i = 0; i < 64; i++)
			CHECK(vgt_vgpu_shadow_pte(fresh, (fs.aperture_base >> 12) + i) == 0,
			      "round %u: stale PTE %u in the next vGPU", round, i);
		CHECK(vgt_mmio_write(v, PTE(fs.aperture_base >> 12), 8, 0x1001) == -ENODEV &&
		      vgt_vgpu_shadow_pte(fresh, fs.aperture_base >> 12) == 0,
		      "round %u: the old handle reaches the new vGPU", round);
		vgt_vgpu_destroy(fresh);
	}

	atomic_store(&o.stop, true);
	pthread_join(ot, NULL);
	vgt_host_free_space(h, &after, NULL, &fences_after);
	CHECK(after.total == before.total && after.holes == before.holes &&
	      fences_after == fences_before, "free space %llu (%u holes) after, %llu (%u) before",
	      (unsigned long long)after.total, after.holes, (unsigned long long)before.total,
	      before.holes);
	vgt_vgpu_traps(o.v, &tr, false);
	CHECK(o.errors == 0 && o.rounds > 0 && tr.count[VGT_TRAP_GGTT] == o.rounds &&
	      tr.count[VGT_TRAP_FENCE] == o.rounds && tr.rejected[VGT_TRAP_GGTT] == 0 &&
	      tr.count[VGT_TRAP_PVINFO] == 1,
	      "the other vGPU: %lu errors, %lu rounds, ggtt %llu fence %llu", o.errors, o.rounds,
	      (unsigned long long)tr.count[VGT_TRAP_GGTT], (unsigned long long)tr.count[VGT_TRAP_FENCE]);
	for (i = 0; i < 32 && i < o.rounds; i++)
		CHECK(vgt_vgpu_shadow_pte(o.v, (o.s.hidden_base >> 12) + i) == (((u64)(0x700 + i) << 12) | 1),
		      "the other vGPU's PTE %u", i);
	CHECK(vgt_host_fence(h, o.s.fence_phys[0]) ==
	      (((o.s.hidden_base + 0x1f000) << 32) | o.s.hidden_base | 1),
	      "the other vGPU's fence");
	vgt_host_destroy(h);	/* frees the husks too: LSan checks at exit */
}

VGT_TEST_MAIN()

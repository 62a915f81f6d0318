// SPDX-License-Identifier: MIT
/*
 * Re-ballooning racing guest traffic and execution, under TSan and ASan
 * (spec/pvinfo-1.1.md H-25, H-28, H-29). One vGPU (A) runs its execution
 * worker; its guest thread writes PTEs by trap and through the channel
 * over a range X that the host keeps taking away and giving back, submits
 * stores into X and into its own memory, and answers every RESLICE
 * (accepting three in four). The host thread shrinks A out of X, tries to
 * place another vGPU in X while the shrink may still be pending, places
 * one there once it is accepted, and grows A back.
 *
 * What must hold whatever the interleaving: a channel request is applied
 * whole or not at all (its status says which, read back from the PTEs A
 * always owns); a vGPU is placed in X only after A's guest accepted the
 * shrink; the allocator's books balance at the end; TSan sees no race.
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "exec_guest.h"
#include "pv11_guest.h"

#include "vgt_test.h"

#define MIB VGT_MIB
#define X_BASE (896 * MIB)	/* the last 128 MiB of A's hidden slice */
#define X_SIZE (128 * MIB)
#define AREA (48 * MIB)
#define ROUNDS 24
#define CONTEXTS 96
#define SPAN 64			/* PTEs per channel request: 32 own, 32 in X */

struct guest {
	struct exec_guest g;
	struct pv11_guest pg;
	struct eg_ctx ctx[CONTEXTS];
	uint64_t own_gm, own_gpa, x_gpa;
	atomic_bool stop;
	unsigned int seed;
	/* results, read after the join */
	unsigned int applied, refused, torn, replies_ok, replies_busy, submitted;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* One request over [X_BASE - 32 pages, X_BASE + 32 pages): all or nothing. */
static void channel_span(struct guest *d, unsigned int salt)
{
	uint64_t ptes[SPAN], before[SPAN / 2];
	uint32_t first = (uint32_t)(X_BASE >> 12) - SPAN / 2;
	unsigned int i, have = 0;
	int st;

	for (i = 0; i < SPAN / 2; i++)
		before[i] = vgt_vgpu_shadow_pte(d->g.v, first + i);
	for (i = 0; i < SPAN; i++)
		ptes[i] = (d->own_gpa + 4096ULL * ((salt + i) % 64)) | GEN8_PAGE_PRESENT;
	st = pg_insert(&d->pg, first, ptes, SPAN);
	/* The guest thread is the only writer of the first half: it cannot change under us. */
	for (i = 0; i < SPAN / 2; i++)
		have += vgt_vgpu_shadow_pte(d->g.v, first + i) == (st ? before[i] : ptes[i]);
	if (have != SPAN / 2)
		d->torn++;
	else if (st)
		d->refused++;
	else
		d->applied++;
}

/* A fresh context storing into A's own page and into X; wait for it to end or hang. */
static void submit(struct guest *d, unsigned int n)
{
	struct eg_ctx *c = &d->ctx[n % CONTEXTS];
	uint32_t ring[10] = {
		EG_MI_STORE_DWORD_IMM | EG_MI_USE_GGTT, (uint32_t)d->own_gm, 0, n,
		EG_MI_STORE_DWORD_IMM | EG_MI_USE_GGTT, (uint32_t)X_BASE + 64, 0, n,
		EG_MI_USER_INTERRUPT, EG_MI_NOOP,
	};
	struct vgt_exec_stats x0, x;
	double t0 = now();

	vgt_vgpu_exec_stats(d->g.v, &x0, false);
	eg_emit(&d->g, c, ring, 10);
	eg_submit(&d->g, VGT_RCS, c, NULL);
	do {
		sched_yield();
		vgt_vgpu_exec_stats(d->g.v, &x, false);
	} while (x.contexts == x0.contexts && x.hangs[VGT_HANG_AUDIT] == x0.hangs[VGT_HANG_AUDIT] &&
		 x.hangs[VGT_HANG_FAULT] == x0.hangs[VGT_HANG_FAULT] && now() - t0 < 10);
	if (x.contexts == x0.contexts)	/* hung (X was not A's): reset the engine */
		eg_wr(&d->g, GEN6_GDRST, 1u << 1);	/* GRDOM_RENDER */
	d->submitted++;
}

static void *vcpu(void *arg)
{
	struct guest *d = arg;
	unsigned int n = 0;

	while (!atomic_load(&d->stop)) {
		struct vgt_pv11_msg m;

		while (pg_next_msg(&d->pg, &m)) {
			bool ok = rand_r(&d->seed) % 4 != 0;
			/* Evicting takes a while: the host sees the re-balloon pending. */
			struct timespec evict = { 0, 2000000L * (1 + rand_r(&d->seed) % 10) };

			nanosleep(&evict, NULL);
			if (pg_reply(&d->pg, m.seq, ok ? 0 : -EBUSY) == 0)
				ok ? d->replies_ok++ : d->replies_busy++;
		}
		channel_span(d, n);
		vgt_mmio_write(d->g.v, VGT_GSM_OFFSET + 8 * ((X_BASE >> 12) + n % 1024), 8,
			       d->x_gpa | GEN8_PAGE_PRESENT);
		if (n % 8 == 0 && n / 8 < CONTEXTS)
			submit(d, n / 8);
		n++;
		sched_yield();
	}
	return NULL;
}

static struct vgt_slice_ranges ranges(uint64_t ab, uint64_t as, uint64_t hb, uint64_t hs)
{
	struct vgt_slice_ranges r = { .nr = { 1, 1 } };

	r.r[VGT_GM_APERTURE][0] = (struct vgt_gm_range){ ab, as };
	r.r[VGT_GM_HIDDEN][0] = (struct vgt_gm_range){ hb, hs };
	return r;
}

static bool in_x(const struct vgt_slices *s)
{
	return s->hidden_base < X_BASE + X_SIZE && X_BASE < s->hidden_base + s->hidden_size;
}

/* Reslice and wait for the guest's answer; retry while it refuses. */
static enum vgt_reslice_state reslice(struct vgt_vgpu *v, const struct vgt_slice_ranges *to)
{
	struct vgt_pv11_status st = { 0 };

	if (vgt_vgpu_reslice(v, to, NULL, 0) || vgt_vgpu_reslice_wait(v, 10000, &st))
		return VGT_RESLICE_NONE;
	return st.reslice;
}

TEST(reslice_races_traffic_and_execution, "H-25 H-28 H-29 H-17")
{
	static struct guest d;
	struct vgt_gpu_desc desc;
	struct vgt_vgpu_request req = { 32 * MIB, X_SIZE, 1, 64 * MIB, 0, VGT_PLATFORM_SKL };
	struct vgt_slice_ranges full, shrunk;
	struct vgt_free fa, fh;
	struct vgt_slices s;
	struct vgt_host *h;
	pthread_t t;
	unsigned int i, accepted = 0, refused = 0, early_in_x = 0, while_pending = 0;
	unsigned int placed_in_x = 0, bad = 0;

	vgt_gpu_desc_default(&desc);
	h = vgt_host_create(&desc, NULL);
	CHECK(exec_guest_init_on(&d.g, h) == 0, "guest A");
	d.seed = vgt_test_seed();
	eg_enable_irqs(&d.g);
	d.own_gm = eg_bind(&d.g, 1, &d.own_gpa);
	d.x_gpa = eg_alloc(&d.g, 1);
	for (i = 0; i < CONTEXTS; i++)
		eg_ctx_init(&d.g, &d.ctx[i], 0x10 + i);
	CHECK(pg_register(&d.pg, &d.g.ram, d.g.v, AREA, 2,
			  VGT_PV11_F_GGTT_BATCH | VGT_PV11_F_RESLICE) == 0, "1.1 registered");
	CHECK(vgt_vgpu_exec_start(d.g.v) == 0, "worker");
	full = ranges(d.g.s.aperture_base, d.g.s.aperture_size, d.g.s.hidden_base,
		      d.g.s.hidden_size);
	shrunk = ranges(d.g.s.aperture_base, d.g.s.aperture_size, d.g.s.hidden_base,
			X_BASE - d.g.s.hidden_base);
	pthread_create(&t, NULL, vcpu, &d);
	for (i = 0; i < ROUNDS; i++) {
		struct vgt_pv11_status st;
		struct vgt_vgpu *b;

		if (vgt_vgpu_reslice(d.g.v, &shrunk, NULL, 0)) {
			bad++;
			break;
		}
		/* Maybe still pending: then X must not be given to anyone (H-28). */
		b = vgt_vgpu_create(h, &req, NULL, NULL, 0);
		vgt_vgpu_slices(b, &s);
		vgt_vgpu_pv11_status(d.g.v, &st);
		while_pending += st.reslice == VGT_RESLICE_PENDING;
		if (b && in_x(&s)) {
			early_in_x++;
			bad += st.reslice != VGT_RESLICE_ACCEPTED;
		}
		vgt_vgpu_destroy(b);
		vgt_vgpu_reslice_wait(d.g.v, 10000, &st);
		if (st.reslice != VGT_RESLICE_ACCEPTED) {
			refused += st.reslice == VGT_RESLICE_REFUSED;
			continue;
		}
		accepted++;
		b = vgt_vgpu_create(h, &req, NULL, NULL, 0);
		vgt_vgpu_slices(b, &s);
		placed_in_x += b && s.hidden_base == X_BASE;
		bad += !b || vgt_mmio_write(b, VGT_GSM_OFFSET + 8 * (X_BASE >> 12), 8, 0x1000 | 1) != 0;
		vgt_vgpu_destroy(b);
		while (reslice(d.g.v, &full) == VGT_RESLICE_REFUSED)
			;	/* the guest refuses one in four */
	}
	atomic_store(&d.stop, true);
	pthread_join(t, NULL);
	vgt_vgpu_slices(d.g.v, &s);
	vgt_host_free_space(h, &fa, &fh, NULL);
	printf("# %u rounds: %u shrinks accepted, %u refused; a vGPU created %u times while the "
	       "shrink was pending, %u times in X before the wait; channel %u applied, %u refused, "
	       "%u torn; %u contexts submitted; replies %u ok %u busy\n",
	       i, accepted, refused, while_pending, early_in_x, d.applied, d.refused, d.torn, d.submitted,
	       d.replies_ok, d.replies_busy);
	CHECK(bad == 0 && accepted > 0 && refused > 0 && placed_in_x == accepted,
	      "%u bad placements or calls, %u accepted, %u refused, %u of them placed in X", bad,
	      accepted, refused, placed_in_x);
	CHECK(d.torn == 0 && d.applied > 0 && d.refused > 0,
	      "channel: %u requests half applied (%u applied, %u refused)", d.torn, d.applied,
	      d.refused);
	CHECK(s.hidden_size == 384 * MIB &&
	      fh.total == desc.ggtt_size - desc.aperture_size - desc.host_hidden - 384 * MIB &&
	      fa.total == desc.aperture_size - desc.host_aperture - 64 * MIB,
	      "books: A has %#llx hidden, %#llx hidden and %#llx aperture free",
	      (unsigned long long)s.hidden_size, (unsigned long long)fh.total,
	      (unsigned long long)fa.total);
	exec_guest_fini(&d.g);
	vgt_host_destroy(h);
}

VGT_TEST_MAIN()

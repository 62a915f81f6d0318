// SPDX-License-Identifier: MIT
/*
 * The execution worker against the trap path, under TSan and ASan: two
 * vGPUs of one host, each with its worker running; per vGPU a driver
 * thread submits requests on every engine and waits for each one's CSB
 * completion and store, as process_csb would, while a traffic thread
 * drives the same vGPU's registers, PTEs and aperture. Then a vGPU is
 * destroyed while its worker runs a spinner, and the other goes on.
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <time.h>

#include "exec_guest.h"

#include "vgt_test.h"

#define REQUESTS	300
#define TIMEOUT_S	30

struct driver {
	struct exec_guest g;
	struct eg_ctx ctx[VGT_ENGINE_NR];
	uint64_t target_gm, target_gpa;
	atomic_bool stop;
	unsigned int done, bad;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Submit, then wait for COMPLETE|ACTIVE_IDLE and the store, as 6.1 does. */
static void *drive(void *arg)
{
	struct driver *d = arg;
	unsigned int i;

	for (i = 0; i < REQUESTS && !d->stop; i++) {
		enum vgt_engine_id e = i % VGT_ENGINE_NR;
		uint64_t gm = d->target_gm + 4 * e;
		uint32_t ring[6] = {
			EG_MI_STORE_DWORD_IMM | EG_MI_USE_GGTT, (uint32_t)gm, 0, i + 1,
			EG_MI_USER_INTERRUPT, EG_MI_NOOP,
		};
		double t0 = now();
		bool complete = false;

		eg_emit(&d->g, &d->ctx[e], ring, 6);
		eg_submit(&d->g, e, &d->ctx[e], NULL);
		while (!complete && now() - t0 < TIMEOUT_S) {
			uint64_t csb = eg_csb_next(&d->g, e);

			if (!csb) {
				sched_yield();
				continue;
			}
			complete = (uint32_t)csb & GEN8_CTX_STATUS_ACTIVE_IDLE;
		}
		if (!complete || guest_ram_load32(&d->g.ram, d->target_gpa + 4 * e) != i + 1)
			d->bad++;
		else
			d->done++;
	}
	return NULL;
}

/* Registers, PTE rewrites of a spare page and aperture reads, as a guest does. */
static void *traffic(void *arg)
{
	struct driver *d = arg;
	uint64_t spare_gm, spare_gpa, val;
	unsigned int n = 0;

	spare_gm = d->g.s.aperture_base + 0x10000;
	spare_gpa = eg_alloc(&d->g, 1);
	while (!d->stop) {
		vgt_mmio_write(d->g.v, VGT_GSM_OFFSET + 8 * (spare_gm >> 12), 8,
			       spare_gpa | GEN8_PAGE_PRESENT);
		vgt_aperture_read(d->g.v, spare_gm + (n % 512) * 8, &val, 8);
		vgt_mmio_read(d->g.v, GEN8_MASTER_IRQ, 4, &val);
		vgt_mmio_read(d->g.v, RENDER_RING_BASE + RING_HEAD, 4, &val);
		vgt_mmio_read(d->g.v, GEN8_GT_IIR(0), 4, &val);
		vgt_mmio_write(d->g.v, GEN8_GT_IIR(0), 4, val);
		if (++n % 64 == 0)
			sched_yield();
	}
	return NULL;
}

static int setup(struct driver *d, struct vgt_host *h)
{
	unsigned int e;

	if (exec_guest_init_on(&d->g, h))
		return -1;
	eg_enable_irqs(&d->g);
	d->target_gm = eg_bind(&d->g, 1, &d->target_gpa);
	for (e = 0; e < VGT_ENGINE_NR; e++)
		eg_ctx_init(&d->g, &d->ctx[e], 0x100 + e);
	return vgt_vgpu_exec_start(d->g.v);
}

TEST(worker_and_traps_two_vgpus, "H-17")
{
	struct vgt_gpu_desc desc;
	struct vgt_host *h;
	static struct driver d[2];
	pthread_t drv[2], trf[2];
	unsigned int i;

	vgt_gpu_desc_default(&desc);
	h = vgt_host_create(&desc, NULL);
	for (i = 0; i < 2; i++) {
		CHECK(setup(&d[i], h) == 0, "vGPU %u set up", i);
		CHECK(vgt_vgpu_exec_start(d[i].g.v) == -EBUSY, "one worker per vGPU");
	}
	for (i = 0; i < 2; i++) {
		pthread_create(&drv[i], NULL, drive, &d[i]);
		pthread_create(&trf[i], NULL, traffic, &d[i]);
	}
	for (i = 0; i < 2; i++)
		pthread_join(drv[i], NULL);
	for (i = 0; i < 2; i++) {
		d[i].stop = true;
		pthread_join(trf[i], NULL);
		CHECK(d[i].done == REQUESTS && d[i].bad == 0,
		      "vGPU %u: %u of %u requests completed with their store, %u bad", i,
		      d[i].done, REQUESTS, d[i].bad);
	}
	for (i = 0; i < 2; i++)
		exec_guest_fini(&d[i].g);
	vgt_host_destroy(h);
}

/* Destroy a vGPU whose worker is spinning; the other vGPU keeps running. */
TEST(destroy_while_spinning, "H-17 H-20")
{
	struct vgt_gpu_desc desc;
	struct vgt_host *h;
	static struct driver d[2];
	struct eg_ctx spin;
	uint64_t bb_gpa;
	pthread_t drv;
	uint32_t ring[4], bb[4] = { EG_MI_ARB_CHECK, EG_MI_BB_START | EG_MI_BB_PPGTT, 0x100000, 0 };
	unsigned int i;

	vgt_gpu_desc_default(&desc);
	h = vgt_host_create(&desc, NULL);
	for (i = 0; i < 2; i++)
		CHECK(setup(&d[i], h) == 0, "vGPU %u set up", i);
	bb_gpa = eg_ppgtt_alloc(&d[1].g, 0x100000, 1);
	for (i = 0; i < 4; i++)
		guest_ram_store32(&d[1].g.ram, bb_gpa + 4 * i, bb[i]);
	eg_ctx_init(&d[1].g, &spin, 9);
	ring[0] = EG_MI_BB_START | EG_MI_BB_PPGTT;
	ring[1] = 0x100000;
	ring[2] = 0;
	ring[3] = EG_MI_NOOP;
	eg_emit(&d[1].g, &spin, ring, 4);
	eg_submit(&d[1].g, VGT_RCS, &spin, NULL);
	pthread_create(&drv, NULL, drive, &d[0]);
	{
		struct timespec ts = { 0, 20 * 1000 * 1000 };

		nanosleep(&ts, NULL);	/* let it spin */
	}
	vgt_vgpu_destroy(d[1].g.v);
	guest_ram_free(&d[1].g.ram);
	pthread_join(drv, NULL);
	CHECK(d[0].done == REQUESTS && d[0].bad == 0, "the other vGPU completed %u of %u",
	      d[0].done, REQUESTS);
	exec_guest_fini(&d[0].g);
	vgt_host_destroy(h);
}

VGT_TEST_MAIN()

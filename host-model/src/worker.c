// SPDX-License-Identifier: MIT
/*
 * The vGPU's execution worker: off the trap path, it goes round the
 * engines and runs one slice of each that has work, with the vGPU's lock
 * held for the slice and dropped between rounds so traps (and the guest's
 * interrupt handler) get in. It sleeps on a condition variable when every
 * engine is idle, hung or stopped; an ELSP submission or a STOP_RING clear
 * wakes it. An engine polling a semaphore, or a spinner burning whole
 * slices, makes it pause briefly between rounds rather than spin a core
 * flat against the guest's own vCPU.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vgt_exec.h"
#include "vgt_regs.h"

#define SLICE_BUDGET	4096u		/* commands per engine per round */

/* One round over the engines. Return: true if an engine could go on. */
static bool run_round(struct vgt_vgpu *v, u64 *commands, bool *busy)
{
	bool more = false;
	unsigned int i;

	*busy = false;
	for (i = 0; i < VGT_ENGINE_NR; i++) {
		struct vgt_engine *e = &v->exec->eng[i];
		u64 before = v->exec->stats.commands;
		unsigned int used;

		if (!vgt_engine_runnable(e) || *vgt_engine_reg(v, e, RING_MI_MODE) & STOP_RING)
			continue;
		used = vgt_exec_slice(v, e, SLICE_BUDGET);
		v->exec->stats.slices++;
		*commands += v->exec->stats.commands - before;
		if (vgt_engine_runnable(e) && !e->waiting)
			more = true;
		if (used >= SLICE_BUDGET || e->waiting)
			*busy = true;
	}
	return more || *busy;
}

static void pause_briefly(void)
{
	struct timespec ts = { 0, 100 * 1000 };	/* 100 us */

	nanosleep(&ts, NULL);
}

static void *worker_main(void *arg)
{
	struct vgt_vgpu *v = arg;
	struct vgt_exec *x = v->exec;

	pthread_mutex_lock(&v->lock);
	while (!x->stop) {
		u64 n = 0;
		bool busy;

		if (!run_round(v, &n, &busy)) {
			pthread_cond_wait(&x->kick, &v->lock);
			continue;
		}
		pthread_mutex_unlock(&v->lock);
		if (busy)
			pause_briefly();
		pthread_mutex_lock(&v->lock);
	}
	pthread_mutex_unlock(&v->lock);
	return NULL;
}

void vgt_exec_kick(struct vgt_vgpu *v)
{
	if (v->exec->running)
		pthread_cond_signal(&v->exec->kick);
}

int vgt_vgpu_exec_start(struct vgt_vgpu *v)
{
	int ret = 0;

	if (!v)
		return -EINVAL;
	if (!vgt_vgpu_enter(v))
		return -ENODEV;
	if (v->exec->running)
		ret = -EBUSY;
	else if (pthread_create(&v->exec->thread, NULL, worker_main, v))
		ret = -EAGAIN;
	else
		v->exec->running = true;
	pthread_mutex_unlock(&v->lock);
	return ret;
}

void vgt_exec_stop(struct vgt_vgpu *v)
{
	bool running;

	pthread_mutex_lock(&v->lock);
	running = v->exec->running;
	v->exec->stop = true;
	pthread_cond_signal(&v->exec->kick);
	pthread_mutex_unlock(&v->lock);
	if (running)
		pthread_join(v->exec->thread, NULL);
	v->exec->running = false;
}

uint64_t vgt_vgpu_exec_run(struct vgt_vgpu *v, unsigned int max_slices)
{
	u64 n = 0;
	unsigned int rounds = 0;
	bool busy;

	if (!v || !vgt_vgpu_enter(v))
		return 0;
	if (!v->exec->running) {
		while (run_round(v, &n, &busy)) {
			bool waiting = true;
			unsigned int i;

			for (i = 0; i < VGT_ENGINE_NR; i++)
				if (vgt_engine_runnable(&v->exec->eng[i]) && !v->exec->eng[i].waiting)
					waiting = false;
			if (waiting || (max_slices && ++rounds >= max_slices))
				break;
		}
	}
	pthread_mutex_unlock(&v->lock);
	return n;
}

static void *stats_of(struct vgt_vgpu *v)
{
	return &v->exec->stats;
}

static void *last_hang_of(struct vgt_vgpu *v)
{
	return v->last_hang;
}

void vgt_vgpu_exec_stats(struct vgt_vgpu *v, struct vgt_exec_stats *out, bool reset)
{
	vgt_copy_locked(v, out, sizeof(*out), stats_of, reset);
}

void vgt_vgpu_last_hang(struct vgt_vgpu *v, char *buf, size_t len)
{
	if (len > sizeof(v->last_hang))
		len = sizeof(v->last_hang);
	vgt_copy_locked(v, buf, len, last_hang_of, false);
	if (buf && len)
		buf[len - 1] = '\0';
}

int vgt_exec_create(struct vgt_vgpu *v)
{
	v->exec = calloc(1, sizeof(*v->exec));
	if (!v->exec)
		return -ENOMEM;
	pthread_cond_init(&v->exec->kick, NULL);
	vgt_engines_init(v);
	return 0;
}

/* The worker is stopped first: nothing runs while the vGPU is freed. */
void vgt_exec_destroy(struct vgt_vgpu *v)
{
	if (!v->exec)
		return;
	vgt_exec_stop(v);
	vgt_engines_free(v);
	pthread_cond_destroy(&v->exec->kick);
	free(v->exec);
	v->exec = NULL;
}

/* Device reset: every engine idle, the interrupt output deasserted. */
void vgt_exec_reset(struct vgt_vgpu *v)
{
	vgt_engines_reset(v, ~0u);
	v->exec->irq_line = false;
	v->last_hang[0] = '\0';
}

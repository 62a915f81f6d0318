// SPDX-License-Identifier: MIT
/*
 * Live re-ballooning (spec/pvinfo-1.1.md section 16): grow, shrink or move
 * the GGTT ranges of a running vGPU whose guest registered with
 * VGT_PV11_F_RESLICE.
 *
 * One re-balloon at a time, a small state machine under the vGPU's lock:
 *
 *   vgt_vgpu_reslice(to)   reserve to \ accept in the allocator, give it
 *                          shadow chunks, publish the table (generation
 *                          g = gen + 1), post RESLICE(g), raise bit 31 of
 *                          GEN8_GT_IIR(2); accept = old U to
 *   MSG_REPLY(seq, 0)      commit to at generation g
 *   MSG_REPLY(seq, -err)   commit old at generation g + 1, table rewritten
 *   unregister, reset,     commit old at generation g + 1 (cancelled), the
 *   a new registration     area is not written any more
 *
 * Committing a set: accept becomes it; the PTEs of what left accept are
 * cleared and its chunks freed; a fence enabled outside is disabled; only
 * then does the removed part go back to the allocator (H-28), so nobody
 * else can be given a range before the guest let go of it. Each access
 * takes the vGPU's lock for its whole length, so it sees either the union
 * or the committed set, never a mixture (H-29).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "vgt_internal.h"

const char *vgt_reslice_state_name(enum vgt_reslice_state s)
{
	switch (s) {
	case VGT_RESLICE_NONE: return "none";
	case VGT_RESLICE_PENDING: return "pending";
	case VGT_RESLICE_ACCEPTED: return "accepted";
	case VGT_RESLICE_REFUSED: return "refused";
	case VGT_RESLICE_CANCELLED: return "cancelled";
	default: return "?";
	}
}

static void publish_avail(struct vgt_vgpu *v)
{
	const struct vgt_slices *s = &v->slices;

	v->pv.avail_rs.mappable_gmadr.base = (u32)s->aperture_base;
	v->pv.avail_rs.mappable_gmadr.size = (u32)s->aperture_size;
	v->pv.avail_rs.nonmappable_gmadr.base = (u32)s->hidden_base;
	v->pv.avail_rs.nonmappable_gmadr.size = (u32)s->hidden_size;
	v->pv.pv11.slices_gen = s->gen;
}

/* The vGPU keeps keep (at generation gen); everything else it held goes. */
static void commit(struct vgt_vgpu *v, const struct vgt_slice_ranges *keep, u32 gen,
		   enum vgt_reslice_state state, int result)
{
	struct vgt_pv11 *p = &v->pv11;
	struct vgt_slice_ranges removed;
	unsigned int fences;

	vgt_ranges_minus(&v->accept, keep, &removed);
	vgt_slices_assign(v, keep, gen);
	vgt_ggtt_drop(v, &removed);
	fences = vgt_fence_disable_outside(v);
	pthread_mutex_lock(&v->host->lock);
	vgt_host_release(v->host, &removed);
	pthread_mutex_unlock(&v->host->lock);
	publish_avail(v);
	p->pending = false;
	p->state = state;
	p->state_gen = gen;
	p->result = result;
	pthread_cond_broadcast(&p->done);
	vgt_note(v, "re-balloon %s: generation %u, %u aperture + %u hidden ranges%s",
		 vgt_reslice_state_name(state), gen, keep->nr[VGT_GM_APERTURE],
		 keep->nr[VGT_GM_HIDDEN], fences ? ", stale fences disabled" : "");
}

bool vgt_reslice_is_pending_seq(const struct vgt_vgpu *v, u32 seq)
{
	return v->pv11.pending && v->pv11.pending_seq == seq;
}

void vgt_reslice_reply(struct vgt_vgpu *v, u32 seq, int result)
{
	struct vgt_pv11 *p = &v->pv11;
	u32 gen = p->pending_gen;

	if (!vgt_reslice_is_pending_seq(v, seq))
		return;
	if (!result) {
		commit(v, &p->to, gen, VGT_RESLICE_ACCEPTED, 0);
		return;
	}
	commit(v, &p->from, gen + 1, VGT_RESLICE_REFUSED, result);
	/* The guest keeps its slices; the table says so with a new generation. */
	if (vgt_pv11_write_table(v, &p->from, gen + 1))
		vgt_note(v, "re-balloon refused: the slice table could not be rewritten");
}

void vgt_reslice_cancel(struct vgt_vgpu *v)
{
	struct vgt_pv11 *p = &v->pv11;

	if (p->pending)
		commit(v, &p->from, p->pending_gen + 1, VGT_RESLICE_CANCELLED, -ECANCELED);
}

int vgt_vgpu_reslice(struct vgt_vgpu *v, const struct vgt_slice_ranges *to, char *msg,
		     size_t msg_len)
{
	struct vgt_slice_ranges all, added;
	struct vgt_pv11 *p;
	char dummy[1];
	u32 gen, seq = 0;
	int err;

	if (!msg || !msg_len) {
		msg = dummy;
		msg_len = sizeof(dummy);
	}
	msg[0] = '\0';
	if (!v || !to) {
		snprintf(msg, msg_len, "no vGPU or no ranges");
		return -EINVAL;
	}
	p = &v->pv11;
	if (!vgt_vgpu_enter(v)) {
		snprintf(msg, msg_len, "the vGPU was destroyed");
		return -ENODEV;
	}
	if (!(p->enabled & VGT_PV11_F_RESLICE)) {
		snprintf(msg, msg_len, "vgpu%u: no registered guest accepted re-ballooning "
			 "(a 1.0 guest's slices never change)", v->slices.id);
		err = -EOPNOTSUPP;
		goto out;
	}
	if (p->pending) {
		snprintf(msg, msg_len, "vgpu%u: generation %u is pending", v->slices.id,
			 p->pending_gen);
		err = -EBUSY;
		goto out;
	}
	err = vgt_ranges_check(v->host, to, p->enabled & VGT_PV11_F_SCATTER, msg, msg_len);
	if (err)
		goto out;
	err = vgt_pv11_can_post(v);
	if (err) {
		snprintf(msg, msg_len, "vgpu%u: %s", v->slices.id, err == -EBUSY ?
			 "the guest's message ring is full" : "the area is not writable");
		goto out;
	}
	vgt_ranges_union(&v->accept, to, &all);
	vgt_ranges_minus(to, &v->accept, &added);
	err = vgt_ggtt_cover(v, &all);
	if (err)
		goto undo_chunks;
	pthread_mutex_lock(&v->host->lock);
	err = vgt_host_reserve(v->host, &v->accept, to, msg, msg_len);
	pthread_mutex_unlock(&v->host->lock);
	if (err)
		goto undo_chunks;
	gen = v->slices.gen + 1;
	err = vgt_pv11_write_table(v, to, gen);
	if (!err)
		err = vgt_pv11_post(v, VGT_PV11_MSG_RESLICE, gen, &seq);
	if (err) {
		vgt_pv11_write_table(v, &v->slices.ranges, v->slices.gen);
		snprintf(msg, msg_len, "vgpu%u: the area is not writable", v->slices.id);
		pthread_mutex_lock(&v->host->lock);
		vgt_host_release(v->host, &added);
		pthread_mutex_unlock(&v->host->lock);
		goto undo_chunks;
	}
	p->from = v->slices.ranges;
	p->to = *to;
	p->pending = true;
	p->pending_gen = gen;
	p->pending_seq = seq;
	p->state = VGT_RESLICE_PENDING;
	p->state_gen = gen;
	p->result = 0;
	v->accept = all;
	vgt_note(v, "re-balloon posted: generation %u, message %u", gen, seq);
	goto out;
undo_chunks:
	vgt_ggtt_drop(v, &added);	/* frees the chunks accept does not touch */
	if (err == -ENOMEM)
		snprintf(msg, msg_len, "out of memory");
out:
	pthread_mutex_unlock(&v->lock);
	return err;
}

int vgt_vgpu_reslice_wait(struct vgt_vgpu *v, unsigned int timeout_ms,
			  struct vgt_pv11_status *out)
{
	struct timespec until;
	int err = 0;

	if (!v)
		return -EINVAL;
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += timeout_ms / 1000;
	until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	if (!vgt_vgpu_enter(v))
		return -ENODEV;
	while (v->pv11.pending && !v->dead && !err)
		err = pthread_cond_timedwait(&v->pv11.done, &v->lock, &until);
	err = v->dead ? -ENODEV : v->pv11.pending ? -ETIMEDOUT : 0;
	pthread_mutex_unlock(&v->lock);
	vgt_vgpu_pv11_status(v, out);
	return err;
}

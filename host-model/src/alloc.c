// SPDX-License-Identifier: MIT
/*
 * The partition allocator: aperture and hidden ranges of the GGTT, fences,
 * vGPU ids. Everything here runs under host->lock.
 *
 * GVT-g inserts a vGPU's GM into any free hole of the host's drm_mm, so
 * after create/destroy cycles a large request can fail while enough space
 * is free in total. Here each range keeps its used extents sorted and a
 * request goes to the smallest hole that holds it (lowest address on a
 * tie): small vGPUs fill small holes and large holes stay whole. Fences are
 * the lowest free ones; guest fence n is the n-th of them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vgt_internal.h"

void vgt_range_init(struct vgt_range *r, u64 start, u64 end)
{
	memset(r, 0, sizeof(*r));
	r->start = start;
	r->end = end;
}

void vgt_range_fini(struct vgt_range *r)
{
	free(r->used);
	r->used = NULL;
	r->nr_used = r->cap = 0;
}

/*
 * Walk the holes of a range: the best fit for size (if any) in *start, and
 * the free-space figures in *f.
 */
bool vgt_range_best_fit(const struct vgt_range *r, u64 size, u64 *start,
			struct vgt_free *f)
{
	u64 prev = r->start, best_size = 0;
	bool found = false;
	unsigned int i;

	memset(f, 0, sizeof(*f));
	for (i = 0; i <= r->nr_used; i++) {
		u64 next = i < r->nr_used ? r->used[i].start : r->end;
		u64 hole = next - prev;

		if (hole) {
			f->total += hole;
			f->holes++;
			if (hole > f->largest)
				f->largest = hole;
			if (hole >= size && (!found || hole < best_size)) {
				found = true;
				best_size = hole;
				*start = prev;
			}
		}
		if (i < r->nr_used)
			prev = r->used[i].start + r->used[i].size;
	}
	return found;
}

int vgt_range_insert(struct vgt_range *r, u64 start, u64 size)
{
	unsigned int i;

	if (r->nr_used == r->cap) {
		unsigned int cap = r->cap ? 2 * r->cap : 8;
		struct vgt_extent *e = realloc(r->used, cap * sizeof(*e));

		if (!e)
			return -ENOMEM;
		r->used = e;
		r->cap = cap;
	}
	for (i = r->nr_used; i > 0 && r->used[i - 1].start > start; i--)
		r->used[i] = r->used[i - 1];
	r->used[i] = (struct vgt_extent){ start, size };
	r->nr_used++;
	return 0;
}

/* Removing an extent that was never inserted is a no-op. */
void vgt_range_remove(struct vgt_range *r, u64 start)
{
	unsigned int i;

	for (i = 0; i < r->nr_used; i++) {
		if (r->used[i].start == start) {
			memmove(&r->used[i], &r->used[i + 1],
				(r->nr_used - i - 1) * sizeof(r->used[0]));
			r->nr_used--;
			return;
		}
	}
}

static unsigned int fences_free(const struct vgt_host *host)
{
	unsigned int i, n = 0;

	for (i = host->desc.host_fences; i < host->desc.fences; i++)
		n += !host->fence_used[i];
	return n;
}

void vgt_host_free_space(struct vgt_host *host, struct vgt_free *aperture,
			 struct vgt_free *hidden, unsigned int *fences)
{
	struct vgt_free fa = { 0 }, fh = { 0 };
	unsigned int nf = 0;
	u64 unused;

	if (host) {
		pthread_mutex_lock(&host->lock);
		vgt_range_best_fit(&host->aperture, ~0ULL, &unused, &fa);
		vgt_range_best_fit(&host->hidden, ~0ULL, &unused, &fh);
		nf = fences_free(host);
		pthread_mutex_unlock(&host->lock);
	}
	if (aperture)
		*aperture = fa;
	if (hidden)
		*hidden = fh;
	if (fences)
		*fences = nf;
}

static void no_fit_msg(char *msg, size_t len, const char *what, u64 want,
		       const struct vgt_free *f)
{
	if (msg && len)
		snprintf(msg, len,
			 "%s: requested %llu MiB, largest free %llu MiB, total free %llu MiB",
			 what, want / VGT_MIB, f->largest / VGT_MIB,
			 f->total / VGT_MIB);
}

static int id_reserve(struct vgt_host *host, unsigned int *out)
{
	unsigned int id;

	for (id = 1; id < host->nr_ids && host->vgpus[id]; id++)
		;
	if (id >= host->nr_ids) {
		unsigned int n = host->nr_ids ? 2 * host->nr_ids : 8;
		struct vgt_vgpu **p = realloc(host->vgpus, n * sizeof(*p));

		if (!p)
			return -ENOMEM;
		memset(p + host->nr_ids, 0, (n - host->nr_ids) * sizeof(*p));
		host->vgpus = p;
		host->nr_ids = n;
	}
	*out = id;
	return 0;
}

/*
 * Reserve everything a request needs: check all of it first, then act, and
 * unwind in reverse order if an insertion runs out of memory.
 */
int vgt_host_place(struct vgt_host *host, struct vgt_vgpu *v,
		   const struct vgt_vgpu_request *req, char *msg, size_t len)
{
	struct vgt_free fa, fh;
	u64 ap_start = 0, hid_start = 0;
	unsigned int i, id, nfree;
	int err;

	if (!vgt_range_best_fit(&host->aperture, req->aperture, &ap_start, &fa)) {
		no_fit_msg(msg, len, "aperture", req->aperture, &fa);
		return -ENOSPC;
	}
	if (!vgt_range_best_fit(&host->hidden, req->hidden, &hid_start, &fh)) {
		no_fit_msg(msg, len, "hidden", req->hidden, &fh);
		return -ENOSPC;
	}
	nfree = fences_free(host);
	if (nfree < req->fences) {
		if (msg && len)
			snprintf(msg, len, "fences: requested %u, free %u",
				 req->fences, nfree);
		return -ENOSPC;
	}
	err = id_reserve(host, &id);
	if (err)
		return err;
	err = vgt_range_insert(&host->aperture, ap_start, req->aperture);
	if (err)
		return err;
	err = vgt_range_insert(&host->hidden, hid_start, req->hidden);
	if (err) {
		vgt_range_remove(&host->aperture, ap_start);
		return err;
	}
	v->slices.fence_num = 0;
	for (i = host->desc.host_fences; i < host->desc.fences &&
	     v->slices.fence_num < req->fences; i++) {
		if (host->fence_used[i])
			continue;
		host->fence_used[i] = true;
		v->slices.fence_phys[v->slices.fence_num++] = i;
	}
	v->slices.id = id;
	v->slices.aperture_base = ap_start;
	v->slices.aperture_size = req->aperture;
	v->slices.hidden_base = hid_start;
	v->slices.hidden_size = req->hidden;
	v->slices.guest_mem = req->guest_mem;
	host->vgpus[id] = v;
	return 0;
}

void vgt_host_unplace(struct vgt_host *host, struct vgt_vgpu *v)
{
	unsigned int i;

	for (i = 0; i < v->slices.fence_num; i++)
		host->fence_used[v->slices.fence_phys[i]] = false;
	vgt_range_remove(&host->hidden, v->slices.hidden_base);
	vgt_range_remove(&host->aperture, v->slices.aperture_base);
	if (v->slices.id < host->nr_ids && host->vgpus[v->slices.id] == v)
		host->vgpus[v->slices.id] = NULL;
}

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
 *
 * Scattered slices (PVINFO 1.1): a scatter-capable request that no hole
 * holds takes whole holes, largest first, and its last piece from the
 * best-fitting hole, so it fits whenever the total free space does (within
 * the ranges a vGPU may have). Each range piece of a vGPU is its own used
 * extent, never merged with a neighbour: an extent always belongs to one
 * vGPU, and releasing a vGPU's range removes whole extents. Re-ballooning
 * splits extents at the edges of what it may release before it commits
 * anything (vgt_host_reserve), so that releasing never needs memory.
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

/* Split the extent strictly containing at (if any) into two at at. */
static int range_split(struct vgt_range *r, u64 at)
{
	unsigned int i;

	for (i = 0; i < r->nr_used; i++) {
		struct vgt_extent e = r->used[i];

		if (at <= e.start || at >= e.start + e.size)
			continue;
		r->used[i].size = at - e.start;
		if (vgt_range_insert(r, at, e.start + e.size - at)) {
			r->used[i] = e;
			return -ENOMEM;
		}
		return 0;
	}
	return 0;
}

/* Is [start, start + size) inside the range and free? */
static bool range_free(const struct vgt_range *r, u64 start, u64 size)
{
	unsigned int i;

	if (start < r->start || start >= r->end || size > r->end - start)
		return false;
	for (i = 0; i < r->nr_used; i++)
		if (r->used[i].start < start + size &&
		    start < r->used[i].start + r->used[i].size)
			return false;
	return true;
}

/*
 * Give back [start, start + size): the extents inside it go. An extent
 * only partly inside is trimmed; one that would have to be split (its
 * middle given back) is split if memory allows, else kept reserved: space
 * is never handed out twice. Releasing what was never reserved is a no-op.
 */
void vgt_range_release(struct vgt_range *r, u64 start, u64 size)
{
	u64 end = start + size;
	unsigned int i = 0;

	if (range_split(r, start) || range_split(r, end))
		return;
	while (i < r->nr_used) {
		struct vgt_extent *e = &r->used[i];

		if (e->start >= start && e->start + e->size <= end) {
			memmove(e, e + 1, (r->nr_used - i - 1) * sizeof(*e));
			r->nr_used--;
			continue;
		}
		i++;
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

/* Holes of a range, largest first (ties: lowest address). */
struct hole {
	u64 start, size;
};

static int by_size_desc(const void *a, const void *b)
{
	const struct hole *x = a, *y = b;

	if (x->size != y->size)
		return x->size < y->size ? 1 : -1;
	return x->start < y->start ? -1 : x->start > y->start;
}

static int by_start(const void *a, const void *b)
{
	const struct vgt_gm_range *x = a, *y = b;

	return x->base < y->base ? -1 : x->base > y->base;
}

/*
 * Where a class of a request goes: one best-fit hole, or (scatter) whole
 * holes, largest first, and the remainder best fit. Pieces sorted by
 * base in out[0..*n). Return: 0, -ENOSPC (msg says why), -ENOMEM.
 */
static int place_class(const struct vgt_range *r, const char *what, u64 want, bool scatter,
		       unsigned int max, struct vgt_gm_range *out, unsigned int *n,
		       char *msg, size_t len)
{
	struct vgt_free f;
	struct hole *h;
	u64 start = 0, left = want;
	unsigned int i, nh = 0;

	*n = 0;
	if (vgt_range_best_fit(r, want, &start, &f)) {
		out[(*n)++] = (struct vgt_gm_range){ start, want };
		return 0;
	}
	if (!scatter || f.total < want) {
		no_fit_msg(msg, len, what, want, &f);
		return -ENOSPC;
	}
	h = malloc((r->nr_used + 1) * sizeof(*h));
	if (!h)
		return -ENOMEM;
	for (i = 0, start = r->start; i <= r->nr_used; i++) {
		u64 next = i < r->nr_used ? r->used[i].start : r->end;

		if (next > start)
			h[nh++] = (struct hole){ start, next - start };
		if (i < r->nr_used)
			start = r->used[i].start + r->used[i].size;
	}
	qsort(h, nh, sizeof(*h), by_size_desc);
	for (i = 0; left && i < nh && *n < max; i++) {
		unsigned int j, best = i;

		/* The smallest hole left that holds the remainder ends it. */
		for (j = i; j < nh && h[j].size >= left; j++)
			best = j;
		if (h[best].size >= left) {
			out[(*n)++] = (struct vgt_gm_range){ h[best].start, left };
			left = 0;
			break;
		}
		out[(*n)++] = (struct vgt_gm_range){ h[i].start, h[i].size };
		left -= h[i].size;
	}
	free(h);
	if (left) {
		if (msg && len)
			snprintf(msg, len, "%s: requested %llu MiB, total free %llu MiB in %u holes, "
				 "more than the %u ranges left for it", what, want / VGT_MIB,
				 f.total / VGT_MIB, f.holes, max);
		*n = 0;
		return -ENOSPC;
	}
	qsort(out, *n, sizeof(*out), by_start);
	return 0;
}

/* A view of r that ends at limit (extents past it are left out). */
static void clamp_range(struct vgt_range *r, u64 limit)
{
	if (r->end <= limit)
		return;
	r->end = limit > r->start ? limit : r->start;
	while (r->nr_used && r->used[r->nr_used - 1].start >= r->end)
		r->nr_used--;
	/* One reaching past the limit leaves no room after it: no hole there. */
	if (r->nr_used) {
		const struct vgt_extent *last = &r->used[r->nr_used - 1];

		if (last->start + last->size > r->end)
			r->end = last->start + last->size;
	}
}

/* Insert every piece of a set; all or nothing. */
static int insert_set(struct vgt_host *host, const struct vgt_slice_ranges *set)
{
	unsigned int c, i;
	int err;

	for (c = 0; c < VGT_GM_NR; c++) {
		for (i = 0; i < set->nr[c]; i++) {
			err = vgt_range_insert(vgt_host_class_range(host, c), set->r[c][i].base,
					       set->r[c][i].size);
			if (err) {
				struct vgt_slice_ranges done = *set;

				done.nr[c] = i;
				if (c == VGT_GM_APERTURE)
					done.nr[VGT_GM_HIDDEN] = 0;
				vgt_host_release(host, &done);
				return err;
			}
		}
	}
	return 0;
}

struct vgt_range *vgt_host_class_range(struct vgt_host *host, enum vgt_gm_class c)
{
	return c == VGT_GM_APERTURE ? &host->aperture : &host->hidden;
}

void vgt_host_release(struct vgt_host *host, const struct vgt_slice_ranges *set)
{
	unsigned int c, i;

	for (c = 0; c < VGT_GM_NR; c++)
		for (i = 0; i < set->nr[c]; i++)
			vgt_range_release(vgt_host_class_range(host, c), set->r[c][i].base,
					  set->r[c][i].size);
}

/*
 * Reserve everything a request needs: check all of it first, then act, and
 * unwind in reverse order if an insertion runs out of memory.
 */
int vgt_host_place(struct vgt_host *host, struct vgt_vgpu *v,
		   const struct vgt_vgpu_request *req, char *msg, size_t len)
{
	bool scatter = req->flags & VGT_REQ_SCATTER;
	struct vgt_slice_ranges set = { 0 };
	u64 limit = vgt_platform_info(req->platform)->ggtt_size;
	struct vgt_range aperture = host->aperture, hidden = host->hidden;
	unsigned int i, id, nfree;
	int err;

	/*
	 * A vGPU whose GGTT is smaller than the host's (Haswell: 2 GiB) gets
	 * slices below its end only: the same ranges, seen up to the limit.
	 */
	clamp_range(&aperture, limit);
	clamp_range(&hidden, limit);
	err = place_class(&aperture, "aperture", req->aperture, scatter,
			  VGT_MAX_SLICE_RANGES - 1, set.r[VGT_GM_APERTURE],
			  &set.nr[VGT_GM_APERTURE], msg, len);
	if (!err)
		err = place_class(&hidden, "hidden", req->hidden, scatter,
				  VGT_MAX_SLICE_RANGES - set.nr[VGT_GM_APERTURE],
				  set.r[VGT_GM_HIDDEN], &set.nr[VGT_GM_HIDDEN], msg, len);
	if (err)
		return err;
	nfree = fences_free(host);
	if (nfree < req->fences) {
		if (msg && len)
			snprintf(msg, len, "fences: requested %u, free %u",
				 req->fences, nfree);
		return -ENOSPC;
	}
	err = id_reserve(host, &id);
	if (!err)
		err = insert_set(host, &set);
	if (err)
		return err;
	v->slices.fence_num = 0;
	for (i = host->desc.host_fences; i < host->desc.fences &&
	     v->slices.fence_num < req->fences; i++) {
		if (host->fence_used[i])
			continue;
		host->fence_used[i] = true;
		v->slices.fence_phys[v->slices.fence_num++] = i;
	}
	v->slices.id = id;
	v->slices.guest_mem = req->guest_mem;
	vgt_slices_assign(v, &set, 0);
	host->vgpus[id] = v;
	return 0;
}

/* Everything the vGPU may use goes back: during a re-balloon, the union. */
void vgt_host_unplace(struct vgt_host *host, struct vgt_vgpu *v)
{
	unsigned int i;

	for (i = 0; i < v->slices.fence_num; i++)
		host->fence_used[v->slices.fence_phys[i]] = false;
	vgt_host_release(host, &v->accept);
	if (v->slices.id < host->nr_ids && host->vgpus[v->slices.id] == v)
		host->vgpus[v->slices.id] = NULL;
}

int vgt_host_reserve(struct vgt_host *host, const struct vgt_slice_ranges *have,
		     const struct vgt_slice_ranges *to, char *msg, size_t len)
{
	struct vgt_slice_ranges add, drop;
	unsigned int c, i;
	int err;

	vgt_ranges_minus(to, have, &add);
	for (c = 0; c < VGT_GM_NR; c++) {
		for (i = 0; i < add.nr[c]; i++) {
			if (range_free(vgt_host_class_range(host, c), add.r[c][i].base,
				       add.r[c][i].size))
				continue;
			if (msg && len)
				snprintf(msg, len, "%s [%#llx, +%#llx) is not free",
					 c == VGT_GM_APERTURE ? "aperture" : "hidden",
					 (unsigned long long)add.r[c][i].base,
					 (unsigned long long)add.r[c][i].size);
			return -ENOSPC;
		}
	}
	/* Splitting changes no ownership: nothing to undo if it fails midway. */
	vgt_ranges_minus(have, to, &drop);
	for (c = 0; c < VGT_GM_NR; c++) {
		struct vgt_range *r = vgt_host_class_range(host, c);

		for (i = 0; i < drop.nr[c]; i++) {
			err = range_split(r, drop.r[c][i].base);
			if (!err)
				err = range_split(r, drop.r[c][i].base + drop.r[c][i].size);
			if (err)
				return err;
		}
	}
	return insert_set(host, &add);
}

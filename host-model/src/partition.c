// SPDX-License-Identifier: MIT
/*
 * Partitioning one GPU among vGPUs: GGTT ranges, fences, ids.
 *
 * GVT-g takes any free hole for a new vGPU, so after create/destroy cycles
 * large requests fail although enough space is free in total. Here each
 * range keeps its used extents sorted and a request goes to the smallest
 * hole that holds it (lowest address on a tie): small vGPUs fill small
 * holes and large holes stay whole.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vgt_internal.h"

void vgt_gpu_desc_default(struct vgt_gpu_desc *desc)
{
	*desc = (struct vgt_gpu_desc){
		.ggtt_size = 4096 * VGT_MIB,
		.aperture_size = 256 * VGT_MIB,
		.fences = 32,
		.host_aperture = 128 * VGT_MIB,
		.host_hidden = 384 * VGT_MIB,
		.host_fences = 4,
	};
}

static const struct {
	const char *name;
	unsigned int aperture_mib, hidden_mib, fences;
} gvt_types[] = {
	{ "8", 64, 384, 4 },
	{ "4", 128, 512, 4 },
	{ "2", 256, 1024, 4 },
	{ "1", 512, 2048, 4 },
};

int vgt_type_parse(const char *name, struct vgt_vgpu_request *req)
{
	unsigned long long ap, hid;
	unsigned int fences;
	char tail;
	size_t i;

	for (i = 0; i < sizeof(gvt_types) / sizeof(gvt_types[0]); i++) {
		if (!strcmp(name, gvt_types[i].name)) {
			*req = (struct vgt_vgpu_request){
				.aperture = gvt_types[i].aperture_mib * VGT_MIB,
				.hidden = gvt_types[i].hidden_mib * VGT_MIB,
				.fences = gvt_types[i].fences,
				.guest_mem = 4096 * VGT_MIB,
			};
			return 0;
		}
	}
	if (sscanf(name, "%llu/%llu/%u%c", &ap, &hid, &fences, &tail) != 3 ||
	    !ap || !hid || !fences || ap > 4096 || hid > 4096)
		return -EINVAL;
	*req = (struct vgt_vgpu_request){
		.aperture = ap * VGT_MIB,
		.hidden = hid * VGT_MIB,
		.fences = fences,
		.guest_mem = 4096 * VGT_MIB,
	};
	return 0;
}

static void range_init(struct vgt_range *r, u64 start, u64 end)
{
	memset(r, 0, sizeof(*r));
	r->start = start;
	r->end = end;
}

struct vgt_host *vgt_host_create(const struct vgt_gpu_desc *desc, int *err)
{
	const struct vgt_gpu_desc *d = desc;
	struct vgt_host *host;

	if (!d->ggtt_size || d->ggtt_size > (4096 * VGT_MIB) ||
	    d->ggtt_size % VGT_PAGE || d->aperture_size % VGT_PAGE ||
	    !d->aperture_size || d->aperture_size >= d->ggtt_size ||
	    d->host_aperture > d->aperture_size || d->host_aperture % VGT_PAGE ||
	    d->host_hidden > d->ggtt_size - d->aperture_size ||
	    d->host_hidden % VGT_PAGE || !d->fences ||
	    d->fences > VGT_MAX_FENCES || d->host_fences > d->fences) {
		*err = -EINVAL;
		return NULL;
	}
	host = calloc(1, sizeof(*host));
	if (!host) {
		*err = -ENOMEM;
		return NULL;
	}
	host->desc = *d;
	pthread_mutex_init(&host->lock, NULL);
	range_init(&host->aperture, d->host_aperture, d->aperture_size);
	range_init(&host->hidden, d->aperture_size + d->host_hidden, d->ggtt_size);
	*err = 0;
	return host;
}

void vgt_host_desc(const struct vgt_host *host, struct vgt_gpu_desc *desc)
{
	*desc = host->desc;
}

/* Walk the holes of a range; return the best fit, and free-space figures. */
static bool range_best_fit(const struct vgt_range *r, u64 size, u64 *start,
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

static int range_insert(struct vgt_range *r, u64 start, u64 size)
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

static void range_remove(struct vgt_range *r, u64 start)
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

void vgt_host_free_space(struct vgt_host *host, struct vgt_free *aperture,
			 struct vgt_free *hidden, unsigned int *fences)
{
	unsigned int i, n = 0;
	u64 unused;

	pthread_mutex_lock(&host->lock);
	range_best_fit(&host->aperture, ~0ULL, &unused, aperture);
	range_best_fit(&host->hidden, ~0ULL, &unused, hidden);
	for (i = host->desc.host_fences; i < host->desc.fences; i++)
		n += !host->fence_used[i];
	*fences = n;
	pthread_mutex_unlock(&host->lock);
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

static int vgpu_alloc_shadow(struct vgt_vgpu *v)
{
	v->regs = calloc(VGT_MMIO_SIZE / 4, sizeof(u32));
	v->shadow_aperture = calloc(v->slices.aperture_size / VGT_PAGE, sizeof(u64));
	v->shadow_hidden = calloc(v->slices.hidden_size / VGT_PAGE, sizeof(u64));
	return v->regs && v->shadow_aperture && v->shadow_hidden ? 0 : -ENOMEM;
}

static void vgpu_free(struct vgt_vgpu *v)
{
	free(v->regs);
	free(v->shadow_aperture);
	free(v->shadow_hidden);
	free(v);
}

/* Reserve everything for a request under the host lock; all or nothing. */
static int host_place(struct vgt_host *host, struct vgt_vgpu *v,
		      const struct vgt_vgpu_request *req, char *msg, size_t len)
{
	struct vgt_free fa, fh;
	u64 ap_start = 0, hid_start = 0;
	unsigned int i, id, nfree = 0;
	int err;

	if (!range_best_fit(&host->aperture, req->aperture, &ap_start, &fa)) {
		no_fit_msg(msg, len, "aperture", req->aperture, &fa);
		return -ENOSPC;
	}
	if (!range_best_fit(&host->hidden, req->hidden, &hid_start, &fh)) {
		no_fit_msg(msg, len, "hidden", req->hidden, &fh);
		return -ENOSPC;
	}
	for (i = host->desc.host_fences; i < host->desc.fences; i++)
		nfree += !host->fence_used[i];
	if (nfree < req->fences) {
		if (msg && len)
			snprintf(msg, len, "fences: requested %u, free %u",
				 req->fences, nfree);
		return -ENOSPC;
	}
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
	err = range_insert(&host->aperture, ap_start, req->aperture);
	if (err)
		return err;
	err = range_insert(&host->hidden, hid_start, req->hidden);
	if (err) {
		range_remove(&host->aperture, ap_start);
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

struct vgt_vgpu *vgt_vgpu_create(struct vgt_host *host,
				 const struct vgt_vgpu_request *req, int *err,
				 char *msg, size_t msg_len)
{
	struct vgt_vgpu *v;

	if (!req->aperture || !req->hidden || !req->fences ||
	    req->aperture % VGT_PAGE || req->hidden % VGT_PAGE ||
	    req->fences > VGT_MAX_FENCES || req->guest_mem % VGT_PAGE) {
		if (msg && msg_len)
			snprintf(msg, msg_len, "invalid request: aperture %llu hidden %llu fences %u",
				 (unsigned long long)req->aperture,
				 (unsigned long long)req->hidden, req->fences);
		*err = -EINVAL;
		return NULL;
	}
	v = calloc(1, sizeof(*v));
	if (!v) {
		*err = -ENOMEM;
		return NULL;
	}
	v->host = host;
	pthread_mutex_init(&v->lock, NULL);
	pthread_mutex_lock(&host->lock);
	*err = host_place(host, v, req, msg, msg_len);
	pthread_mutex_unlock(&host->lock);
	if (*err) {
		pthread_mutex_destroy(&v->lock);
		free(v);
		return NULL;
	}
	if (vgpu_alloc_shadow(v)) {
		vgt_vgpu_destroy(v);
		*err = -ENOMEM;
		return NULL;
	}
	vgt_vgpu_reset(v);
	return v;
}

void vgt_vgpu_destroy(struct vgt_vgpu *v)
{
	struct vgt_host *host;
	unsigned int i;

	if (!v)
		return;
	host = v->host;
	pthread_mutex_lock(&host->lock);
	range_remove(&host->aperture, v->slices.aperture_base);
	range_remove(&host->hidden, v->slices.hidden_base);
	for (i = 0; i < v->slices.fence_num; i++) {
		host->fence_used[v->slices.fence_phys[i]] = false;
		host->fence_regs[v->slices.fence_phys[i]] = 0;
	}
	host->vgpus[v->slices.id] = NULL;
	pthread_mutex_unlock(&host->lock);
	pthread_mutex_destroy(&v->lock);
	vgpu_free(v);
}

void vgt_host_destroy(struct vgt_host *host)
{
	unsigned int id;

	if (!host)
		return;
	for (id = 1; id < host->nr_ids; id++)
		vgt_vgpu_destroy(host->vgpus[id]);
	free(host->vgpus);
	free(host->aperture.used);
	free(host->hidden.used);
	pthread_mutex_destroy(&host->lock);
	free(host);
}

void vgt_vgpu_slices(const struct vgt_vgpu *v, struct vgt_slices *out)
{
	*out = v->slices;	/* fixed at creation: no lock needed */
}

uint64_t vgt_host_fence(struct vgt_host *host, unsigned int i)
{
	u64 val = 0;

	pthread_mutex_lock(&host->lock);
	if (i < VGT_MAX_FENCES)
		val = host->fence_regs[i];
	pthread_mutex_unlock(&host->lock);
	return val;
}

const char *vgt_strerror(int err)
{
	switch (err) {
	case 0: return "success";
	case -EINVAL: return "invalid argument or access";
	case -ENOSPC: return "not enough free space";
	case -ENOMEM: return "out of memory";
	case -EPERM: return "read-only register or field";
	case -ERANGE: return "outside what the vGPU owns";
	case -EPROTO: return "protocol violation";
	default: return "unknown error";
	}
}

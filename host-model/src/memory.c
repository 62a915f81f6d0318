// SPDX-License-Identifier: MIT
/*
 * Guest memory as the device model sees it: the transport's ops (how to
 * read and write guest-physical memory, how to raise an interrupt) and the
 * guest's memory map (where its RAM is). PTE frames are validated against
 * the map, and every guest-memory access libvgt makes lies wholly inside
 * one region of it, so a transport never sees an address its guest does
 * not own, whatever the guest wrote.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vgt_internal.h"

int vgt_vgpu_set_ops(struct vgt_vgpu *v, const struct vgt_vgpu_ops *ops,
		     void *priv)
{
	if (!v || (ops && (!ops->read || !ops->write)))
		return -EINVAL;
	pthread_mutex_lock(&v->lock);
	if (ops)
		v->ops = *ops;
	else
		memset(&v->ops, 0, sizeof(v->ops));
	v->ops_priv = ops ? priv : NULL;
	pthread_mutex_unlock(&v->lock);
	return 0;
}

static int by_gpa(const void *a, const void *b)
{
	const struct vgt_mem_region *x = a, *y = b;

	return x->gpa < y->gpa ? -1 : x->gpa > y->gpa;
}

static bool map_valid(const struct vgt_mem_region *r, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (!r[i].size || (r[i].gpa | r[i].size) % VGT_PAGE ||
		    r[i].gpa >= VGT_GPA_LIMIT || r[i].size > VGT_GPA_LIMIT - r[i].gpa)
			return false;
		if (i && r[i - 1].gpa + r[i - 1].size > r[i].gpa)
			return false;	/* sorted: overlaps its predecessor */
	}
	return true;
}

int vgt_vgpu_set_memory_map(struct vgt_vgpu *v, const struct vgt_mem_region *regions,
			    unsigned int n)
{
	struct vgt_mem_region sorted[VGT_MAX_MEM_REGIONS];

	if (!v || n > VGT_MAX_MEM_REGIONS || (n && !regions))
		return -EINVAL;
	if (n)
		memcpy(sorted, regions, n * sizeof(*regions));
	qsort(sorted, n, sizeof(*sorted), by_gpa);
	if (!map_valid(sorted, n))
		return -EINVAL;
	pthread_mutex_lock(&v->lock);
	if (n)
		memcpy(v->mem, sorted, n * sizeof(*sorted));
	v->nr_mem = n;
	pthread_mutex_unlock(&v->lock);
	return 0;
}

unsigned int vgt_vgpu_memory_map(struct vgt_vgpu *v, struct vgt_mem_region *regions,
				 unsigned int max)
{
	unsigned int n;

	if (!v)
		return 0;
	pthread_mutex_lock(&v->lock);
	n = v->nr_mem;
	if (regions)
		memcpy(regions, v->mem, (max < n ? max : n) * sizeof(*regions));
	pthread_mutex_unlock(&v->lock);
	return n;
}

/* At creation: the request's [0, guest_mem), or an empty map. */
int vgt_mem_map_init(struct vgt_vgpu *v, u64 guest_mem)
{
	v->nr_mem = 0;
	if (!guest_mem)
		return 0;
	if (guest_mem % VGT_PAGE || guest_mem > VGT_GPA_LIMIT)
		return -EINVAL;
	v->mem[0] = (struct vgt_mem_region){ 0, guest_mem };
	v->nr_mem = 1;
	return 0;
}

bool vgt_mem_contains(const struct vgt_vgpu *v, u64 gpa, u64 len)
{
	unsigned int lo = 0, hi = v->nr_mem;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;
		const struct vgt_mem_region *r = &v->mem[mid];

		if (gpa < r->gpa)
			hi = mid;
		else if (gpa - r->gpa >= r->size)
			lo = mid + 1;
		else
			return len <= r->size - (gpa - r->gpa);
	}
	return false;
}

int vgt_gpa_read(struct vgt_vgpu *v, u64 gpa, void *buf, size_t len)
{
	if (!v->ops.read || !vgt_mem_contains(v, gpa, len))
		return -EFAULT;
	return v->ops.read(v->ops_priv, gpa, buf, len) ? -EFAULT : 0;
}

int vgt_gpa_write(struct vgt_vgpu *v, u64 gpa, const void *buf, size_t len)
{
	if (!v->ops.write || !vgt_mem_contains(v, gpa, len))
		return -EFAULT;
	return v->ops.write(v->ops_priv, gpa, buf, len) ? -EFAULT : 0;
}

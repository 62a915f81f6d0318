// SPDX-License-Identifier: MIT
/*
 * Fence registers: 64-bit fence i at BAR0 0x100000 + 8 * i (LO dword +0,
 * HI dword +4), accessed as 4 or 8 bytes. Guest fence n is the n-th
 * physical fence the host reserved for the vGPU (slices.fence_phys[n]);
 * an index >= fence_num is refused. An enabled fence (LO bit 0) covers
 * [LO & 0xfffff000, (HI & 0xfffff000) + 4 KiB) and must lie wholly inside
 * the vGPU's aperture slice or wholly inside its hidden slice. The guest's
 * view is kept in its register file; the accepted value is also written to
 * the host's physical fence file (under host->fence_lock), where tests can
 * check the mapping.
 *
 * A guest that touches a fence before it ever read PVINFO is not
 * PV-aware: when the access is accepted, the vGPU enters failsafe (as
 * GVT-g) and the access is still handled as usual. A refused access changes
 * nothing, failsafe included (spec H-15, H-16): a bare-metal driver is
 * caught at its first accepted fence access, which comes before any it
 * could have refused (i915 writes fence 0 first).
 */
#include <errno.h>

#include "vgt_internal.h"

#define FENCE_VALID 1ULL
#define FENCE_ADDR 0xfffff000ULL

static bool range_in_slices(const struct vgt_slices *s, u64 start, u64 end)
{
	return (start >= s->aperture_base &&
		end <= s->aperture_base + s->aperture_size) ||
	       (start >= s->hidden_base && end <= s->hidden_base + s->hidden_size);
}

/* An unaware guest's accepted fence access: failsafe (GVT-g). */
static void note_unaware(struct vgt_vgpu *v)
{
	if (!v->pv_read)
		vgt_enter_failsafe(v, VGT_FAILSAFE_FENCE);
}

/* Common checks; the guest fence index in *n. */
static int fence_access(struct vgt_vgpu *v, const struct vgt_reg *r, u64 off,
			unsigned int size, unsigned int *n)
{
	*n = (off - r->offset) / 8;
	if (size != 4 && size != 8)
		return vgt_reject(v, VGT_REASON_FENCE_SIZE);
	if (*n >= v->slices.fence_num)
		return vgt_reject(v, VGT_REASON_FENCE_INDEX);
	return 0;
}

int vgt_fence_read(struct vgt_vgpu *v, const struct vgt_reg *r, u64 off,
		   unsigned int size, u64 *val)
{
	unsigned int n = 0;
	int ret = fence_access(v, r, off, size, &n);
	const u32 *reg = &v->regs[off / 4];

	if (ret)
		return ret;
	note_unaware(v);
	*val = size == 8 ? ((u64)reg[1] << 32) | reg[0] : reg[0];
	return 0;
}

int vgt_fence_write(struct vgt_vgpu *v, const struct vgt_reg *r, u64 off,
		    unsigned int size, u64 val)
{
	unsigned int n = 0;
	int ret = fence_access(v, r, off, size, &n);
	u32 *lo, *hi;
	u64 fence;

	if (ret)
		return ret;
	lo = &v->regs[(r->offset + 8 * n) / 4];
	hi = lo + 1;
	if (size == 8)
		fence = val;
	else if (off & 4)
		fence = (val << 32) | *lo;
	else
		fence = ((u64)*hi << 32) | (u32)val;

	if (fence & FENCE_VALID) {
		u64 start = fence & FENCE_ADDR;
		u64 end = ((fence >> 32) & FENCE_ADDR) + VGT_PAGE;

		if (end <= start || !range_in_slices(&v->slices, start, end))
			return vgt_reject(v, VGT_REASON_FENCE_RANGE);
	}
	note_unaware(v);
	*lo = (u32)fence;
	*hi = (u32)(fence >> 32);
	pthread_mutex_lock(&v->host->fence_lock);
	v->host->fence_regs[v->slices.fence_phys[n]] = fence;
	pthread_mutex_unlock(&v->host->fence_lock);
	return 0;
}

/* The vGPU goes away: its physical fences are cleared. */
void vgt_fence_release(struct vgt_vgpu *v)
{
	unsigned int i;

	pthread_mutex_lock(&v->host->fence_lock);
	for (i = 0; i < v->slices.fence_num; i++)
		v->host->fence_regs[v->slices.fence_phys[i]] = 0;
	pthread_mutex_unlock(&v->host->fence_lock);
}

uint64_t vgt_host_fence(struct vgt_host *host, unsigned int i)
{
	u64 val = 0;

	if (!host || i >= VGT_MAX_FENCES)
		return 0;
	pthread_mutex_lock(&host->fence_lock);
	val = host->fence_regs[i];
	pthread_mutex_unlock(&host->fence_lock);
	return val;
}

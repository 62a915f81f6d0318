// SPDX-License-Identifier: MIT
/*
 * Fence registers: 64-bit fence i at BAR0 0x100000 + 8 * i (LO dword +0,
 * HI dword +4), accessed as 4 or 8 bytes. Guest fence n is the n-th
 * physical fence the host reserved for the vGPU (slices.fence_phys[n]);
 * an index >= fence_num is refused. An enabled fence (LO bit 0) covers
 * [LO & 0xfffff000, (HI & 0xfffff000) + 4 KiB) and must lie wholly inside
 * one of the vGPU's slices (what it accepts now: slices.c). The guest's
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

		if (end <= start || !vgt_gm_owned(v, start, end - start))
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

/*
 * A re-balloon ended (reslice.c): a fence still enabled over a range the
 * vGPU no longer has would detile another owner's accesses on the
 * hardware. The guest evicted what was there (6.1 revokes a fence when it
 * unbinds its object), so such a fence is stale: disable it, in the
 * guest's view and in the physical file.
 */
unsigned int vgt_fence_disable_outside(struct vgt_vgpu *v)
{
	unsigned int i, n = 0;

	for (i = 0; i < v->slices.fence_num; i++) {
		u32 *lo = &v->regs[(VGT_FENCE_BASE + 8 * i) / 4];
		u64 start = lo[0] & FENCE_ADDR, end = (lo[1] & FENCE_ADDR) + VGT_PAGE;

		if (!(lo[0] & FENCE_VALID) || (end > start && vgt_gm_owned(v, start, end - start)))
			continue;
		lo[0] &= ~(u32)FENCE_VALID;
		pthread_mutex_lock(&v->host->fence_lock);
		v->host->fence_regs[v->slices.fence_phys[i]] = ((u64)lo[1] << 32) | lo[0];
		pthread_mutex_unlock(&v->host->fence_lock);
		n++;
	}
	return n;
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

/*
 * Fence detiling of the aperture. A CPU access through the aperture that
 * falls inside an enabled fence sees the fenced range linearly, pitch
 * bytes a row, while memory holds it tiled: CPU offset lin = a - start
 * is byte x = lin % pitch of row y = lin / pitch, stored at GGTT address
 * start + tiled(x, y) (tiling.c; gen9 has no swizzle). The register, as
 * 6.1's i965_write_fence_reg() writes it on gen6+: LO = start (31:12) |
 * Y tiling (1) | valid (0); HI = last page (31:12) | pitch / 128 - 1
 * (11:0). A fence whose pitch does not suit its tiling (X needs a
 * multiple of 512 bytes; i915_tiling_ok refuses anything else) detiles
 * nothing: the access passes linearly. The GGTT address of each piece is
 * what the caller must check, as for an untiled access: a fence whose size
 * is not a whole number of tile rows may map its last partial tile row
 * past its end, as the hardware's arithmetic would.
 */
#define FENCE_TILING_Y (1ULL << 1)
#define FENCE_PITCH_MASK 0xfffULL

bool vgt_fence_decode(u64 val, struct vgt_fence_view *f)
{
	u64 hi = val >> 32;

	if (!(val & FENCE_VALID))
		return false;
	f->start = val & FENCE_ADDR;
	f->end = (hi & FENCE_ADDR) + VGT_PAGE;
	f->layout.tiling = val & FENCE_TILING_Y ? VGT_TILING_Y : VGT_TILING_X;
	f->layout.pitch = (u32)((hi & FENCE_PITCH_MASK) + 1) * 128;
	return f->end > f->start && vgt_tile_layout_ok(&f->layout);
}

/*
 * The vGPU's enabled fences as the guest programmed them (its register
 * file holds host GGTT addresses: the guest's and the host's agree), read
 * at each access, so a fence changed while mapped applies at once.
 */
static unsigned int guest_fences(const struct vgt_vgpu *v, struct vgt_fence_view *out)
{
	unsigned int i, n = 0;

	for (i = 0; i < v->slices.fence_num; i++) {
		const u32 *reg = &v->regs[(VGT_FENCE_BASE + 8 * i) / 4];

		n += vgt_fence_decode((u64)reg[1] << 32 | reg[0], &out[n]);
	}
	return n;
}

/*
 * Split the CPU view [gm, gm + len) into pieces contiguous in the GGTT, in
 * order: an X tile row (512 bytes), a Y OWord (16) inside a fence, as long
 * as possible outside one. fn's first error stops the walk and is
 * returned. Called with the vGPU's lock held.
 */
int vgt_fence_detile(struct vgt_vgpu *v, u64 gm, size_t len, vgt_fence_piece_fn fn,
		     void *priv)
{
	struct vgt_fence_view f[VGT_MAX_FENCES];
	unsigned int n = guest_fences(v, f), i;
	size_t done = 0;

	while (done < len) {
		u64 at = gm + done, to = gm + len, piece = 0;
		const struct vgt_fence_view *in = NULL;
		int ret;

		for (i = 0; i < n && !in; i++) {
			if (at >= f[i].start && at < f[i].end)
				in = &f[i];
			else if (f[i].start > at && f[i].start < to)
				to = f[i].start;	/* a linear run stops at the next fence */
		}
		if (in) {
			u64 lin = at - in->start;
			u32 x = lin % in->layout.pitch, y = lin / in->layout.pitch;

			piece = vgt_tile_span(&in->layout, x);
			if (piece > in->end - at)
				piece = in->end - at;
			if (piece > len - done)
				piece = len - done;
			ret = fn(priv, in->start + vgt_tile_offset(&in->layout, x, y), done, piece);
		} else {
			piece = to - at;
			ret = fn(priv, at, done, piece);
		}
		if (ret)
			return ret;
		done += piece;
	}
	return 0;
}

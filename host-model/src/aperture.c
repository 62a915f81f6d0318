// SPDX-License-Identifier: MIT
/*
 * BAR2, the aperture: the CPU's window onto GGTT [0, aperture size). An
 * access at aperture offset off is an access to GGTT address off, which
 * the hardware translates through the GGTT PTE of that page into memory.
 * Here the PTE is the one libvgt accepted for this vGPU (ggtt.c), never
 * another vGPU's, and the memory is the guest's own, reached through the
 * transport's ops inside the guest's memory map (memory.c).
 *
 * Inside one of the vGPU's enabled fences the CPU sees the fenced range
 * linearly while memory holds it X- or Y-tiled: fence.c's
 * vgt_fence_detile() maps each piece to its tiled GGTT address first, and
 * that address is the one translated and checked.
 *
 * Threat model: the guest chooses offset and length. Only the vGPU's own
 * aperture slices (what it accepts now: slices.c) are reachable; a page without an accepted valid PTE, or
 * whose frame the memory map does not hold, is refused. Refused parts read
 * as zero and drop writes, as an unclaimed access on the bus would; the
 * call is one trap of class "aperture" and counts at most one refusal.
 */
#include <errno.h>
#include <string.h>

#include "vgt_internal.h"

/* The reason for one page-sized piece, or NONE with *gpa set. */
static enum vgt_reason piece_gpa(struct vgt_vgpu *v, u64 gm, u64 *gpa)
{
	if (!vgt_gm_owned_in(v, VGT_GM_APERTURE, gm, 1))
		return VGT_REASON_AP_OUTSIDE;
	if (vgt_ggtt_translate(v, gm, gpa))
		return VGT_REASON_AP_NO_PTE;
	return VGT_REASON_NONE;
}

struct ap_walk {
	struct vgt_vgpu *v;
	u8 *buf;
	bool write;
	enum vgt_reason first;		/* the first refusal, NONE if none */
};

/* One piece contiguous in the GGTT (vgt_fence_detile): page by page. */
static int ap_piece(void *priv, u64 gm, size_t buf_off, size_t len)
{
	struct ap_walk *w = priv;
	size_t done = 0;

	while (done < len) {
		u64 at = gm + done, gpa = 0;
		size_t n = VGT_PAGE - (at & (VGT_PAGE - 1));
		u8 *p = w->buf + buf_off + done;
		enum vgt_reason why;

		if (n > len - done)
			n = len - done;
		why = piece_gpa(w->v, at, &gpa);
		if (why == VGT_REASON_NONE &&
		    (w->write ? vgt_gpa_write(w->v, gpa, p, n) : vgt_gpa_read(w->v, gpa, p, n)))
			why = VGT_REASON_AP_UNBACKED;
		if (why != VGT_REASON_NONE) {
			if (!w->write)
				memset(p, 0, n);
			if (w->first == VGT_REASON_NONE)
				w->first = why;
		}
		done += n;
	}
	return 0;
}

static int aperture_access(struct vgt_vgpu *v, u64 off, u8 *buf, size_t len,
			   bool write)
{
	struct ap_walk w = { v, buf, write, VGT_REASON_NONE };
	u64 aperture, val = 0;
	int ret = 0;

	if (!v)
		return -EINVAL;
	aperture = v->host->desc.aperture_size;
	if (!vgt_vgpu_enter(v)) {
		if (buf && !write)
			memset(buf, 0, len);
		return -ENODEV;
	}
	v->reason = VGT_REASON_NONE;
	if (!buf || !len || off >= aperture || len > aperture - off) {
		if (buf && !write)
			memset(buf, 0, len);
		ret = vgt_reject(v, VGT_REASON_AP_ACCESS);
		goto out;
	}
	/* Inside an enabled fence, the CPU sees the range detiled. */
	vgt_fence_detile(v, off, len, ap_piece, &w);
	if (w.first != VGT_REASON_NONE)
		ret = vgt_reject(v, w.first);
out:
	if (buf && len)
		memcpy(&val, buf, len < sizeof(val) ? len : sizeof(val));
	vgt_trap_account(v, VGT_TRAP_APERTURE, write, off,
			 len > ~0u ? ~0u : (unsigned int)len, val, ret);
	pthread_mutex_unlock(&v->lock);
	return ret;
}

int vgt_aperture_read(struct vgt_vgpu *v, uint64_t offset, void *buf, size_t len)
{
	return aperture_access(v, offset, buf, len, false);
}

int vgt_aperture_write(struct vgt_vgpu *v, uint64_t offset, const void *buf,
		       size_t len)
{
	/* Not written through: the write path only reads buf. */
	return aperture_access(v, offset, (u8 *)buf, len, true);
}

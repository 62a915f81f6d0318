// SPDX-License-Identifier: MIT
/*
 * BAR2, the aperture: the CPU's window onto GGTT [0, aperture size). An
 * access at aperture offset off is an access to GGTT address off, which
 * the hardware translates through the GGTT PTE of that page into memory.
 * Here the PTE is the one libvgt accepted for this vGPU (ggtt.c), never
 * another vGPU's, and the memory is the guest's own, reached through the
 * transport's ops inside the guest's memory map (memory.c).
 *
 * Threat model: the guest chooses offset and length. Only the vGPU's own
 * aperture slice is reachable; a page without an accepted valid PTE, or
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
	const struct vgt_slices *s = &v->slices;

	if (gm < s->aperture_base || gm - s->aperture_base >= s->aperture_size)
		return VGT_REASON_AP_OUTSIDE;
	if (vgt_ggtt_translate(v, gm, gpa))
		return VGT_REASON_AP_NO_PTE;
	return VGT_REASON_NONE;
}

static int aperture_access(struct vgt_vgpu *v, u64 off, u8 *buf, size_t len,
			   bool write)
{
	enum vgt_reason first = VGT_REASON_NONE;
	u64 aperture, val = 0;
	size_t done = 0;
	int ret = 0;

	if (!v)
		return -EINVAL;
	aperture = v->host->desc.aperture_size;
	pthread_mutex_lock(&v->lock);
	v->reason = VGT_REASON_NONE;
	if (!buf || !len || off >= aperture || len > aperture - off) {
		if (buf && !write)
			memset(buf, 0, len);
		ret = vgt_reject(v, VGT_REASON_AP_ACCESS);
		goto out;
	}
	while (done < len) {
		u64 gm = off + done, gpa = 0;
		size_t n = VGT_PAGE - (gm & (VGT_PAGE - 1));
		enum vgt_reason why;

		if (n > len - done)
			n = len - done;
		why = piece_gpa(v, gm, &gpa);
		if (why == VGT_REASON_NONE &&
		    (write ? vgt_gpa_write(v, gpa, buf + done, n) :
			     vgt_gpa_read(v, gpa, buf + done, n)))
			why = VGT_REASON_AP_UNBACKED;
		if (why != VGT_REASON_NONE) {
			if (!write)
				memset(buf + done, 0, n);
			if (first == VGT_REASON_NONE)
				first = why;
		}
		done += n;
	}
	if (first != VGT_REASON_NONE)
		ret = vgt_reject(v, first);
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

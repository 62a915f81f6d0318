// SPDX-License-Identifier: MIT
/*
 * Trap accounting: every access through the dispatcher is one trap in
 * exactly one class (DESIGN.md: pvinfo, ggtt, fence, pm, ring, other); a
 * refused one is also counted as rejected, by class and by reason, kept as
 * the vGPU's last rejection and sent to the host's log function as one
 * line. Everything here runs under the vGPU's lock.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "vgt_internal.h"

const char *vgt_trap_class_name(enum vgt_trap_class c)
{
	static const char *const names[VGT_TRAP_NR] = {
		"pvinfo", "ggtt", "fence", "pm", "ring", "other", "aperture",
	};

	return (unsigned int)c < VGT_TRAP_NR ? names[c] : "?";
}

static const struct {
	const char *name, *text;
	int err;
} reasons[VGT_REASON_NR] = {
	[VGT_REASON_NONE] = { "none", "accepted", 0 },
	[VGT_REASON_BAD_ACCESS] = { "bad-access", "bad size, alignment or offset", -EINVAL },
	[VGT_REASON_REG_SIZE] = { "reg-size", "register access must be one dword", -EINVAL },
	[VGT_REASON_REG_READ_ONLY] = { "reg-read-only", "read-only register", -EPERM },
	[VGT_REASON_PTE_SIZE] = { "pte-size", "PTE access must be 4 or 8 bytes", -EINVAL },
	[VGT_REASON_PTE_OUTSIDE] = { "pte-outside", "GGTT page outside the vGPU's slices", -ERANGE },
	[VGT_REASON_PTE_FRAME] = { "pte-frame", "frame outside the vGPU's guest memory", -ERANGE },
	[VGT_REASON_PTE_HALF] = { "pte-half", "high half of a PTE without its low half", -EINVAL },
	[VGT_REASON_FENCE_SIZE] = { "fence-size", "fence access must be 4 or 8 bytes", -EINVAL },
	[VGT_REASON_FENCE_INDEX] = { "fence-index", "fence index beyond fence_num", -ERANGE },
	[VGT_REASON_FENCE_RANGE] = { "fence-range", "fence range outside the vGPU's slices", -ERANGE },
	[VGT_REASON_PV_HOST_HALF] = { "pv-host-half", "PVINFO host half is read-only", -EPERM },
	[VGT_REASON_PV_RESERVED] = { "pv-reserved", "reserved PVINFO word", -EPERM },
	[VGT_REASON_PV_SIZE] = { "pv-size", "PVINFO field written at a bad size", -EINVAL },
	[VGT_REASON_PV_DISPLAY_READY] = { "pv-display-ready", "display_ready takes 0 or 1", -EPROTO },
	[VGT_REASON_G2V_UNKNOWN] = { "g2v-unknown", "unknown g2v_notify code", -EPROTO },
	[VGT_REASON_G2V_NO_ROOT] = { "g2v-no-root", "destroy of a PPGTT root never created", -EPROTO },
	[VGT_REASON_G2V_ROOTS_FULL] = { "g2v-roots-full", "too many PPGTT roots", -ERANGE },
	[VGT_REASON_AP_ACCESS] = { "aperture-access", "aperture access empty or past the BAR", -EINVAL },
	[VGT_REASON_AP_OUTSIDE] = { "aperture-outside", "aperture address outside the vGPU's aperture slice", -ERANGE },
	[VGT_REASON_AP_NO_PTE] = { "aperture-no-pte", "aperture page without a valid PTE", -EFAULT },
	[VGT_REASON_AP_UNBACKED] = { "aperture-unbacked", "aperture page's frame not backed by guest memory", -EFAULT },
};

const char *vgt_reason_name(enum vgt_reason r)
{
	return (unsigned int)r < VGT_REASON_NR ? reasons[r].name : "?";
}

const char *vgt_reason_text(enum vgt_reason r)
{
	return (unsigned int)r < VGT_REASON_NR ? reasons[r].text : "?";
}

/* Note why the access being handled is refused; return its errno. */
int vgt_reject(struct vgt_vgpu *v, enum vgt_reason why)
{
	v->reason = why;
	return reasons[why].err;
}

static const char *errno_name(int err)
{
	switch (err) {
	case -EINVAL: return "-EINVAL";
	case -EPERM: return "-EPERM";
	case -ERANGE: return "-ERANGE";
	case -EPROTO: return "-EPROTO";
	case -EFAULT: return "-EFAULT";
	default: return "?";
	}
}

void vgt_trap_account(struct vgt_vgpu *v, enum vgt_trap_class c, bool write,
		      u64 off, unsigned int size, u64 val, int ret)
{
	enum vgt_reason why = v->reason;

	v->traps.count[c]++;
	if (!ret)
		return;
	if (why == VGT_REASON_NONE || why >= VGT_REASON_NR)
		why = VGT_REASON_BAD_ACCESS;	/* a handler forgot to say */
	v->traps.rejected[c]++;
	v->traps.reason[why]++;
	v->last_reason = why;
	snprintf(v->last_rejection, sizeof(v->last_rejection),
		 "vgpu%u: refused %s of %u bytes at %#llx (%s) value %#llx: %s (%s)",
		 v->slices.id, write ? "write" : "read", size, off,
		 vgt_trap_class_name(c), val, reasons[why].text, errno_name(ret));
	if (v->host->log)
		v->host->log(v->host->log_priv, v->last_rejection);
}

void vgt_vgpu_traps(struct vgt_vgpu *v, struct vgt_traps *out, bool reset)
{
	if (!out)
		return;
	if (!v) {
		memset(out, 0, sizeof(*out));
		return;
	}
	pthread_mutex_lock(&v->lock);
	*out = v->traps;
	if (reset)
		memset(&v->traps, 0, sizeof(v->traps));
	pthread_mutex_unlock(&v->lock);
}

void vgt_vgpu_last_rejection(struct vgt_vgpu *v, char *buf, size_t len)
{
	if (!buf || !len)
		return;
	if (!v) {
		buf[0] = '\0';
		return;
	}
	pthread_mutex_lock(&v->lock);
	snprintf(buf, len, "%s", v->last_rejection);
	pthread_mutex_unlock(&v->lock);
}

enum vgt_reason vgt_vgpu_last_reason(struct vgt_vgpu *v)
{
	enum vgt_reason r;

	if (!v)
		return VGT_REASON_NONE;
	pthread_mutex_lock(&v->lock);
	r = v->last_reason;
	pthread_mutex_unlock(&v->lock);
	return r;
}

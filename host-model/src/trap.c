// SPDX-License-Identifier: MIT
/*
 * Trap accounting: every access through the dispatcher is one trap in
 * exactly one class (DESIGN.md: pvinfo, ggtt, fence, pm, ring, other); a
 * refused one is also counted as rejected, by class and by reason, kept as
 * the vGPU's last rejection and sent to the host's log function as one
 * line. Everything here runs under the vGPU's lock.
 */
#include <errno.h>
#include <stdarg.h>
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
	[VGT_REASON_PV11_REGISTERED] = { "pv11-registered", "PVINFO 1.1 registration while an area is registered", -EBUSY },
	[VGT_REASON_PV11_NO_FEATURES] = { "pv11-no-features", "PVINFO 1.1 registration: the device offers no feature", -EOPNOTSUPP },
	[VGT_REASON_PV11_ACCEPT] = { "pv11-accept", "PVINFO 1.1 registration: pv11.accept empty or not a subset of pv11.features", -EINVAL },
	[VGT_REASON_PV11_AREA_SIZE] = { "pv11-area-size", "PVINFO 1.1 registration: pv11.area_pages out of range or area not page aligned", -EINVAL },
	[VGT_REASON_PV11_AREA_RANGE] = { "pv11-area-range", "PVINFO 1.1 registration: area not inside one region of guest memory", -ERANGE },
	[VGT_REASON_PV11_AREA_MAGIC] = { "pv11-area-magic", "PVINFO 1.1 registration: control page magic or version wrong or unreadable", -EPROTO },
	[VGT_REASON_PV11_UNREGISTERED] = { "pv11-unregistered", "PVINFO 1.1 notification without a registered area", -EPROTO },
	[VGT_REASON_PV11_RING] = { "pv11-ring", "PVINFO 1.1 req_prod more than 32 requests ahead", -EPROTO },
	[VGT_REASON_PV11_UNREADABLE] = { "pv11-unreadable", "PVINFO 1.1 area not readable or writable through the transport", -EFAULT },
	[VGT_REASON_PV11_SEQ] = { "pv11-seq", "PVINFO 1.1 request seq not the previous one + 1", -EPROTO },
	[VGT_REASON_PV11_OP] = { "pv11-op", "PVINFO 1.1 request op unknown or not enabled", -EINVAL },
	[VGT_REASON_PV11_MALFORMED] = { "pv11-malformed", "PVINFO 1.1 request field unused by its op is not 0", -EINVAL },
	[VGT_REASON_PV11_PAYLOAD] = { "pv11-payload", "PVINFO 1.1 request count 0 or too large, or payload outside the area", -ERANGE },
	[VGT_REASON_PV11_STALE_REPLY] = { "pv11-stale-reply", "PVINFO 1.1 reply to no pending message, or a bad result", -EPROTO },
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

int vgt_reason_errno(enum vgt_reason why)
{
	return (unsigned int)why < VGT_REASON_NR ? reasons[why].err : -EINVAL;
}

static const char *errno_name(int err)
{
	switch (err) {
	case -EINVAL: return "-EINVAL";
	case -EPERM: return "-EPERM";
	case -ERANGE: return "-ERANGE";
	case -EPROTO: return "-EPROTO";
	case -EFAULT: return "-EFAULT";
	case -EOPNOTSUPP: return "-EOPNOTSUPP";
	case -EBUSY: return "-EBUSY";
	default: return "?";
	}
}

static const char *op_name(u16 op)
{
	switch (op) {
	case VGT_PV11_OP_GGTT_INSERT: return "ggtt-insert";
	case VGT_PV11_OP_GGTT_CLEAR: return "ggtt-clear";
	case VGT_PV11_OP_MSG_REPLY: return "msg-reply";
	default: return "unknown";
	}
}

static void emit(struct vgt_vgpu *v)
{
	if (v->host->log)
		v->host->log(v->host->log_priv, v->last_rejection);
}

/*
 * A channel request refused inside a doorbell trap: the same reason
 * counters as a refused trap (a PTE outside the slices counts as
 * pte-outside whichever way it came), and one line naming the request.
 */
void vgt_refuse_request(struct vgt_vgpu *v, enum vgt_reason why, const struct vgt_pv11_req *r)
{
	if (why == VGT_REASON_NONE || why >= VGT_REASON_NR)
		why = VGT_REASON_PV11_MALFORMED;
	v->traps.reason[why]++;
	v->traps.channel_refused++;
	v->last_reason = why;
	snprintf(v->last_rejection, sizeof(v->last_rejection),
		 "vgpu%u: refused channel request seq %u op %u (%s) first %#x count %u: %s (%s)",
		 v->slices.id, r->seq, r->op, op_name(r->op), r->first, r->count,
		 reasons[why].text, errno_name(reasons[why].err));
	emit(v);
}

void vgt_note(struct vgt_vgpu *v, const char *fmt, ...)
{
	char line[240];
	va_list ap;
	int n;

	if (!v->host->log)
		return;
	n = snprintf(line, sizeof(line), "vgpu%u: ", v->slices.id);
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	va_end(ap);
	v->host->log(v->host->log_priv, line);
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
	emit(v);
}

/*
 * The getters' one shape: copy a block the vGPU keeps (counters, a last
 * line) under its lock, zeroed out for a NULL or destroyed vGPU, and zero
 * the block itself afterwards if asked.
 */
void vgt_copy_locked(struct vgt_vgpu *v, void *out, size_t n,
		     void *(*block)(struct vgt_vgpu *v), bool reset)
{
	if (!out || !n)
		return;
	if (!v || !vgt_vgpu_enter(v)) {
		memset(out, 0, n);
		return;
	}
	memcpy(out, block(v), n);
	if (reset)
		memset(block(v), 0, n);
	pthread_mutex_unlock(&v->lock);
}

static void *traps_of(struct vgt_vgpu *v)
{
	return &v->traps;
}

static void *last_rejection_of(struct vgt_vgpu *v)
{
	return v->last_rejection;
}

void vgt_vgpu_traps(struct vgt_vgpu *v, struct vgt_traps *out, bool reset)
{
	vgt_copy_locked(v, out, sizeof(*out), traps_of, reset);
}

void vgt_vgpu_last_rejection(struct vgt_vgpu *v, char *buf, size_t len)
{
	if (len > sizeof(v->last_rejection))
		len = sizeof(v->last_rejection);
	vgt_copy_locked(v, buf, len, last_rejection_of, false);
	if (buf && len)
		buf[len - 1] = '\0';
}

enum vgt_reason vgt_vgpu_last_reason(struct vgt_vgpu *v)
{
	enum vgt_reason r;

	if (!v || !vgt_vgpu_enter(v))
		return VGT_REASON_NONE;
	r = v->last_reason;
	pthread_mutex_unlock(&v->lock);
	return r;
}

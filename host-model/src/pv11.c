// SPDX-License-Identifier: MIT
/*
 * PVINFO 1.1 (spec/pvinfo-1.1.md): negotiation, the shared area and its
 * command channel.
 *
 * Negotiation. A 1.1 vGPU publishes version 1.1, VGT_CAPS_PV11 and its
 * features; nothing else of 1.1 happens until the guest registers an area
 * (g2v code 8) that passes every check of section 13.2 step 3, in that
 * order, the first failure refusing the notification with its error in
 * pv11.error. A 1.0-only vGPU (VGT_REQ_PVINFO_1_0) publishes the 1.0 page
 * and treats codes 8-10 and the 1.1 guest words as 1.0 does: unknown code,
 * reserved word. Unregistration (code 10) and a device reset end 1.1.
 *
 * The channel. The area is guest memory, reached only through the
 * transport's ops (vgt_gpa_read/write) inside the memory map. On a
 * doorbell (code 9, one trap of class pvinfo) every slot from the device's
 * own req_cons to the guest's req_prod is processed in order: the slot is
 * copied first, checked, its payload copied, every PTE validated by the
 * same function a trapped PTE write goes through (ggtt.c), and only then
 * applied, all or nothing; the status goes back into the slot, then
 * req_cons and ack_seq. The device never reads its own counters back from
 * the area (the guest could rewrite them), and bounds every offset by the
 * area and every GGTT index by what the vGPU accepts now.
 *
 * Threat model: the guest controls the area's contents at any time, also
 * while a doorbell is processed. Copying before checking leaves no window;
 * a slot, payload or counter read that fails stops the request (refused
 * whole) or the doorbell (refused), never half applies anything.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vgt_internal.h"

#define CTL_OFF(f) ((u64)offsetof(struct vgt_pv11_ctl, f))
#define AREA_PTES_PER_PAGE (VGT_PAGE / sizeof(u64))
#define MAX_REQ_PTES ((VGT_PV11_MAX_PAGES - 1) * AREA_PTES_PER_PAGE)

static u32 offered(unsigned int flags)
{
	u32 f = VGT_PV11_F_GGTT_BATCH | VGT_PV11_F_RESLICE;

	if (flags & VGT_REQ_PVINFO_1_0)
		return 0;
	if (flags & VGT_REQ_NO_GGTT_BATCH)
		f &= ~VGT_PV11_F_GGTT_BATCH;
	if (flags & VGT_REQ_NO_RESLICE)
		f &= ~VGT_PV11_F_RESLICE;
	if (flags & VGT_REQ_SCATTER)
		f |= VGT_PV11_F_SCATTER;
	return f;
}

void vgt_pv11_init(struct vgt_vgpu *v)
{
	pthread_condattr_t a;

	pthread_condattr_init(&a);
	pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
	pthread_cond_init(&v->pv11.done, &a);
	pthread_condattr_destroy(&a);
	v->pv11.features = offered(v->flags);
	/* Without memory for the private copy, the batch feature is not offered. */
	if (v->pv11.features & VGT_PV11_F_GGTT_BATCH) {
		v->pv11.payload = malloc(MAX_REQ_PTES * sizeof(u64));
		if (!v->pv11.payload)
			v->pv11.features &= ~VGT_PV11_F_GGTT_BATCH;
	}
}

/* The vGPU is destroyed: its memory goes at once, the husk keeps the rest. */
void vgt_pv11_release(struct vgt_vgpu *v)
{
	free(v->pv11.payload);
	v->pv11.payload = NULL;
	v->pv11.enabled = 0;
	v->pv11.pending = false;
	pthread_cond_broadcast(&v->pv11.done);
}

void vgt_pv11_fini(struct vgt_vgpu *v)
{
	free(v->pv11.payload);
	v->pv11.payload = NULL;
	pthread_cond_destroy(&v->pv11.done);
}

static bool is_pv11(const struct vgt_vgpu *v)
{
	return !(v->flags & VGT_REQ_PVINFO_1_0);
}

/* The 1.1 words of the host half (after the 1.0 ones, in pvinfo.c). */
void vgt_pv11_populate(struct vgt_vgpu *v)
{
	if (!is_pv11(v))
		return;
	v->pv.version_minor = VGT_PV11_MINOR;
	v->pv.vgt_caps |= VGT_CAPS_PV11;
	v->pv.pv11.features = v->pv11.features;
	v->pv.pv11.max_pages = VGT_PV11_MAX_PAGES;
	v->pv.pv11.slices_gen = v->slices.gen;
}

static int area_read(struct vgt_vgpu *v, u64 off, void *buf, size_t len)
{
	if (off > v->pv11.pages * VGT_PAGE || len > v->pv11.pages * VGT_PAGE - off)
		return -EFAULT;
	return vgt_gpa_read(v, v->pv11.area + off, buf, len);
}

int vgt_area_write(struct vgt_vgpu *v, u64 off, const void *buf, size_t len)
{
	if (!v->pv11.enabled || off > v->pv11.pages * VGT_PAGE ||
	    len > v->pv11.pages * VGT_PAGE - off)
		return -EFAULT;
	return vgt_gpa_write(v, v->pv11.area + off, buf, len);
}

int vgt_pv11_write_table(struct vgt_vgpu *v, const struct vgt_slice_ranges *r, u32 gen)
{
	struct {
		u32 gen, nr_aperture, nr_hidden, rsv;
		struct vgt_pv11_range range[VGT_PV11_MAX_RANGES];
	} t = { gen, r->nr[VGT_GM_APERTURE], r->nr[VGT_GM_HIDDEN], 0, { { 0, 0 } } };
	unsigned int c, i, n = 0;

	_Static_assert(sizeof(t) == sizeof(((struct vgt_pv11_ctl *)0)->slices),
		       "slice table layout");
	for (c = 0; c < VGT_GM_NR; c++)
		for (i = 0; i < r->nr[c] && n < VGT_PV11_MAX_RANGES; i++, n++)
			t.range[n] = (struct vgt_pv11_range){ (u32)r->r[c][i].base,
							      (u32)r->r[c][i].size };
	return vgt_area_write(v, CTL_OFF(slices), &t, 16 + n * sizeof(t.range[0]));
}

/* Step 3 of the handshake, in the spec's order: the reason of the first failure. */
static enum vgt_reason registration_check(struct vgt_vgpu *v, u64 *gpa)
{
	u32 accept = v->pv.pv11g.accept, pages = v->pv.pv11g.area_pages, head[2];

	*gpa = (u64)v->pv.pv11g.area_hi << 32 | v->pv.pv11g.area_lo;
	if (v->pv11.enabled)
		return VGT_REASON_PV11_REGISTERED;
	if (!v->pv11.features)
		return VGT_REASON_PV11_NO_FEATURES;
	if (!accept || (accept & ~v->pv11.features))
		return VGT_REASON_PV11_ACCEPT;
	if (!pages || pages > VGT_PV11_MAX_PAGES || *gpa % VGT_PAGE)
		return VGT_REASON_PV11_AREA_SIZE;
	if (!vgt_mem_contains(v, *gpa, pages * VGT_PAGE))
		return VGT_REASON_PV11_AREA_RANGE;
	if (vgt_gpa_read(v, *gpa, head, sizeof(head)) || head[0] != VGT_PV11_MAGIC ||
	    head[1] != VGT_PV11_VERSION)
		return VGT_REASON_PV11_AREA_MAGIC;
	return VGT_REASON_NONE;
}

int vgt_pv11_register(struct vgt_vgpu *v)
{
	struct vgt_pv11 *p = &v->pv11;
	u32 zero[3] = { 0, 0, 0 };
	enum vgt_reason why;
	u64 gpa;

	why = registration_check(v, &gpa);
	if (why == VGT_REASON_NONE) {
		p->area = gpa;
		p->pages = v->pv.pv11g.area_pages;
		p->enabled = v->pv.pv11g.accept;
		/* The device's words start from its own state, then the table. */
		if (vgt_area_write(v, CTL_OFF(req_cons), zero, sizeof(zero)) ||
		    vgt_pv11_write_table(v, &v->slices.ranges, v->slices.gen)) {
			p->enabled = 0;
			why = VGT_REASON_PV11_UNREADABLE;
		}
	}
	if (why != VGT_REASON_NONE) {
		if (why != VGT_REASON_PV11_REGISTERED) {
			p->area = 0;
			p->pages = 0;
		}
		v->pv.pv11.error = (u32)vgt_reason_errno(why);
		return vgt_reject(v, why);
	}
	p->req_cons = p->last_seq = p->msg_prod = p->msg_seq = 0;
	p->registrations++;
	v->pv.pv11.enabled = p->enabled;
	v->pv.pv11.error = 0;
	vgt_note(v, "PVINFO 1.1 registered: area %#llx, %u pages, features %#x accepted",
		 (unsigned long long)gpa, p->pages, p->enabled);
	return 0;
}

void vgt_pv11_end(struct vgt_vgpu *v)
{
	struct vgt_pv11 *p = &v->pv11;

	if (!p->enabled)
		return;
	if (p->pending)
		vgt_reslice_cancel(v);
	p->enabled = 0;
	p->area = 0;
	p->pages = 0;
	v->pv.pv11.enabled = 0;
}

int vgt_pv11_unregister(struct vgt_vgpu *v)
{
	if (!v->pv11.enabled)
		return vgt_reject(v, VGT_REASON_PV11_UNREGISTERED);
	vgt_pv11_end(v);
	vgt_note(v, "PVINFO 1.1 unregistered: back to 1.0");
	return 0;
}

/* Fields an op does not use must be 0; the ring bound of section 18. */
static enum vgt_reason ggtt_request(struct vgt_vgpu *v, const struct vgt_pv11_req *r)
{
	struct vgt_pv11 *p = &v->pv11;
	bool insert = r->op == VGT_PV11_OP_GGTT_INSERT;
	u64 max = (u64)(p->pages - 1) * AREA_PTES_PER_PAGE, i, *slot;
	enum vgt_reason why;

	if (!(p->enabled & VGT_PV11_F_GGTT_BATCH))
		return VGT_REASON_PV11_OP;
	if (r->rsv || (insert ? r->arg != 0 : r->data != 0))
		return VGT_REASON_PV11_MALFORMED;
	if (!r->count || r->count > max)
		return VGT_REASON_PV11_PAYLOAD;
	if (insert && (r->data % sizeof(u64) || r->data < VGT_PAGE ||
		       r->data > p->pages * VGT_PAGE ||
		       (u64)r->count * sizeof(u64) > p->pages * VGT_PAGE - r->data))
		return VGT_REASON_PV11_PAYLOAD;
	if ((u64)r->first + r->count > VGT_GGTT_PAGES)
		return VGT_REASON_PTE_OUTSIDE;
	if (insert && area_read(v, r->data, p->payload, r->count * sizeof(u64)))
		return VGT_REASON_PV11_UNREADABLE;
	/* Every PTE is checked as a trapped write would be, then all applied. */
	for (i = 0; i < r->count; i++) {
		why = vgt_pte_check(v, r->first + i, insert ? p->payload[i] : r->arg, &slot);
		if (why != VGT_REASON_NONE)
			return why;
	}
	for (i = 0; i < r->count; i++) {
		vgt_pte_check(v, r->first + i, insert ? p->payload[i] : r->arg, &slot);
		*slot = insert ? p->payload[i] : r->arg;
	}
	vgt_pte_supersede(v, r->first, r->count);
	v->traps.channel_ptes += r->count;
	return VGT_REASON_NONE;
}

static enum vgt_reason reply_request(struct vgt_vgpu *v, const struct vgt_pv11_req *r)
{
	u32 seq = (u32)r->arg;
	s32 result = (s32)(u32)(r->arg >> 32);

	if (r->first || r->count || r->data || r->rsv)
		return VGT_REASON_PV11_MALFORMED;
	if (!vgt_reslice_is_pending_seq(v, seq) || result > 0)
		return VGT_REASON_PV11_STALE_REPLY;
	v->pv11.replies++;
	vgt_reslice_reply(v, seq, result);
	return VGT_REASON_NONE;
}

static enum vgt_reason request(struct vgt_vgpu *v, const struct vgt_pv11_req *r)
{
	if (r->seq != v->pv11.last_seq + 1)
		return VGT_REASON_PV11_SEQ;
	switch (r->op) {
	case VGT_PV11_OP_GGTT_INSERT:
	case VGT_PV11_OP_GGTT_CLEAR:
		return ggtt_request(v, r);
	case VGT_PV11_OP_MSG_REPLY:
		return reply_request(v, r);
	default:
		return VGT_REASON_PV11_OP;
	}
}

/*
 * One slot: copy, check, apply or refuse whole, then status, req_cons and
 * ack_seq. Return: 0, or -EFAULT when the area failed the transport (the
 * doorbell stops there).
 */
static int process_slot(struct vgt_vgpu *v)
{
	struct vgt_pv11 *p = &v->pv11;
	u64 off = CTL_OFF(req) + (p->req_cons % VGT_PV11_REQS) * sizeof(struct vgt_pv11_req);
	struct vgt_pv11_req r;
	enum vgt_reason why;
	u32 counts[2];
	s16 status;

	if (area_read(v, off, &r, sizeof(r)))
		return -EFAULT;
	v->traps.channel_requests++;
	why = request(v, &r);
	status = (s16)vgt_reason_errno(why);
	if (why != VGT_REASON_NONE)
		vgt_refuse_request(v, why, &r);
	/* A slot out of sequence is not the one the guest waits for. */
	if (why != VGT_REASON_PV11_SEQ)
		p->last_seq = r.seq;
	p->req_cons++;
	counts[0] = p->req_cons;
	counts[1] = p->last_seq;
	if (vgt_area_write(v, off + offsetof(struct vgt_pv11_req, status), &status,
			   sizeof(status)) ||
	    vgt_area_write(v, CTL_OFF(req_cons), counts, sizeof(counts)))
		return -EFAULT;
	return 0;
}

int vgt_pv11_doorbell(struct vgt_vgpu *v)
{
	struct vgt_pv11 *p = &v->pv11;
	u32 req_prod, n, i;

	if (!p->enabled)
		return vgt_reject(v, VGT_REASON_PV11_UNREGISTERED);
	if (area_read(v, CTL_OFF(req_prod), &req_prod, sizeof(req_prod)))
		return vgt_reject(v, VGT_REASON_PV11_UNREADABLE);
	n = req_prod - p->req_cons;
	if (n > VGT_PV11_REQS)
		return vgt_reject(v, VGT_REASON_PV11_RING);
	for (i = 0; i < n && p->enabled; i++)
		if (process_slot(v))
			return vgt_reject(v, VGT_REASON_PV11_UNREADABLE);
	return 0;
}

/* Room for the message? -EBUSY, -EFAULT, or 0 (checked before the table changes). */
int vgt_pv11_can_post(struct vgt_vgpu *v)
{
	u32 msg_cons;

	if (area_read(v, CTL_OFF(msg_cons), &msg_cons, sizeof(msg_cons)))
		return -EFAULT;
	return v->pv11.msg_prod - msg_cons >= VGT_PV11_MSGS ? -EBUSY : 0;
}

/*
 * Post a message to the guest: slot, then msg_prod, then the interrupt.
 * Return: 0 with *seq, -EBUSY (the guest has 8 unhandled), -EFAULT.
 */
int vgt_pv11_post(struct vgt_vgpu *v, u16 op, u64 arg, u32 *seq)
{
	struct vgt_pv11 *p = &v->pv11;
	struct vgt_pv11_msg m = { .seq = p->msg_seq + 1, .op = op, .arg = arg };
	u32 prod = p->msg_prod + 1;
	int err = vgt_pv11_can_post(v);

	if (err)
		return err;
	if (vgt_area_write(v, CTL_OFF(msg) + (p->msg_prod % VGT_PV11_MSGS) * sizeof(m), &m,
			   sizeof(m)) ||
	    vgt_area_write(v, CTL_OFF(msg_prod), &prod, sizeof(prod)))
		return -EFAULT;
	p->msg_prod = prod;
	p->msg_seq = m.seq;
	p->messages++;
	*seq = m.seq;
	vgt_irq_pv11(v);
	return 0;
}

void vgt_vgpu_pv11_status(struct vgt_vgpu *v, struct vgt_pv11_status *out)
{
	const struct vgt_pv11 *p;

	if (!out)
		return;
	memset(out, 0, sizeof(*out));
	if (!v || !vgt_vgpu_enter(v))
		return;
	p = &v->pv11;
	out->pv11 = is_pv11(v);
	out->features = p->features;
	out->enabled = p->enabled;
	out->error = (int32_t)v->pv.pv11.error;
	out->area_gpa = p->area;
	out->area_pages = p->pages;
	out->slices_gen = v->slices.gen;
	out->reslice = p->state;
	out->reslice_gen = p->state_gen;
	out->reslice_result = p->result;
	out->registrations = p->registrations;
	out->messages = p->messages;
	out->replies = p->replies;
	pthread_mutex_unlock(&v->lock);
}

// SPDX-License-Identifier: MIT
/*
 * The PVINFO page (i915_pvinfo.h, spec/pvinfo.md) of one vGPU at BAR0
 * 0x78000: filled as GVT-g's populate_pvinfo_page fills it, re-filled on
 * every device-level reset, and its trap handlers.
 *
 * Reads: any size, any word; the first read marks the guest PV-aware
 * (GVT-g's pv_notified), which keeps later fence and GFX_MODE accesses out
 * of failsafe.
 * Writes: the host half (0x000-0x7ff) is read-only. In the guest half,
 * display_ready takes 0 or 1; g2v_notify runs a notification (PPGTT root
 * bookkeeping, execlist context create/destroy and legacy code 1 as
 * no-ops); cursor hotspots, pdp[0..3] and the execlist descriptor are
 * stored; a write into rsv5 is the guest saying it has insufficient
 * resources: failsafe. Every other word is reserved and refused.
 *
 * PVINFO 1.1 (pv11.c): a 1.1 device also publishes version 1.1,
 * VGT_CAPS_PV11 and the pv11 words, stores the 1.1 guest words
 * (pv11g.accept, area_pages, area_lo, area_hi) and runs codes 8-10. A
 * 1.0-only device does none of this: to its guest it is the 1.0 page.
 */
#include <errno.h>
#include <string.h>

#include "vgt_internal.h"

#define PV_GUEST_HALF 0x800u
#define PV_OFF(f) ((u64)vgtif_offset(f))

void vgt_pvinfo_populate(struct vgt_vgpu *v)
{
	const struct vgt_slices *s = &v->slices;

	memset(v->pv_bytes, 0, sizeof(v->pv_bytes));
	v->pv.magic = VGT_MAGIC;
	v->pv.version_major = VGT_VERSION_MAJOR;
	v->pv.version_minor = VGT_VERSION_MINOR;
	v->pv.vgt_id = s->id;
	v->pv.vgt_caps = v->plat->caps;
	v->pv.avail_rs.mappable_gmadr.base = (u32)s->aperture_base;
	v->pv.avail_rs.mappable_gmadr.size = (u32)s->aperture_size;
	v->pv.avail_rs.nonmappable_gmadr.base = (u32)s->hidden_base;
	v->pv.avail_rs.nonmappable_gmadr.size = (u32)s->hidden_size;
	v->pv.avail_rs.fence_num = s->fence_num;
	v->pv.display_ready = VGT_DRV_DISPLAY_NOT_READY;
	v->pv.cursor_x_hot = 0xffffffffu;
	v->pv.cursor_y_hot = 0xffffffffu;
	vgt_pv11_populate(v);
}

int vgt_pvinfo_read(struct vgt_vgpu *v, const struct vgt_reg *r, u64 off,
		    unsigned int size, u64 *val)
{
	v->pv_read = true;
	memcpy(val, v->pv_bytes + (off - r->offset), size);
	return 0;
}

/* The root the guest names in pdp[] for a notification of this level. */
static struct vgt_root root_of(const struct vgt_vgpu *v, unsigned int level)
{
	struct vgt_root root = { .level = level };
	unsigned int i, n = level == 4 ? 1 : 4;

	for (i = 0; i < n; i++)
		root.pdp[i] = ((u64)v->pv.pdp[i].hi << 32) | v->pv.pdp[i].lo;
	return root;
}

static int root_find(const struct vgt_vgpu *v, const struct vgt_root *root)
{
	unsigned int i;

	for (i = 0; i < v->nr_roots; i++)
		if (v->roots[i].level == root->level &&
		    !memcmp(v->roots[i].pdp, root->pdp, sizeof(root->pdp)))
			return (int)i;
	return -1;
}

static int root_create(struct vgt_vgpu *v, unsigned int level)
{
	struct vgt_root root = root_of(v, level);
	int i = root_find(v, &root);

	if (i >= 0) {
		v->roots[i].refs++;
		return 0;
	}
	if (v->nr_roots == VGT_MAX_ROOTS)
		return vgt_reject(v, VGT_REASON_G2V_ROOTS_FULL);
	root.refs = 1;
	v->roots[v->nr_roots++] = root;
	return 0;
}

static int root_destroy(struct vgt_vgpu *v, unsigned int level)
{
	struct vgt_root root = root_of(v, level);
	int i = root_find(v, &root);

	if (i < 0)
		return vgt_reject(v, VGT_REASON_G2V_NO_ROOT);
	if (!--v->roots[i].refs)
		v->roots[i] = v->roots[--v->nr_roots];
	return 0;
}

static int g2v_notify(struct vgt_vgpu *v, u32 code)
{
	/* A 1.0-only device knows no 1.1 code (H-23). */
	if (!(v->flags & VGT_REQ_PVINFO_1_0)) {
		switch (code) {
		case VGT_G2V_PV11_REGISTER:
			return vgt_pv11_register(v);
		case VGT_G2V_PV11_DOORBELL:
			return vgt_pv11_doorbell(v);
		case VGT_G2V_PV11_UNREGISTER:
			return vgt_pv11_unregister(v);
		}
	}
	switch (code) {
	case VGT_G2V_PPGTT_L3_PAGE_TABLE_CREATE:
		return root_create(v, 3);
	case VGT_G2V_PPGTT_L4_PAGE_TABLE_CREATE:
		return root_create(v, 4);
	case VGT_G2V_PPGTT_L3_PAGE_TABLE_DESTROY:
		return root_destroy(v, 3);
	case VGT_G2V_PPGTT_L4_PAGE_TABLE_DESTROY:
		return root_destroy(v, 4);
	case 1:	/* legacy code, a no-op in GVT-g */
	case VGT_G2V_EXECLIST_CONTEXT_CREATE:
	case VGT_G2V_EXECLIST_CONTEXT_DESTROY:
		return 0;
	default:
		return vgt_reject(v, VGT_REASON_G2V_UNKNOWN);
	}
}

int vgt_pvinfo_write(struct vgt_vgpu *v, const struct vgt_reg *r, u64 off,
		     unsigned int size, u64 val)
{
	int ret;

	off -= r->offset;
	if (off < PV_GUEST_HALF)
		return vgt_reject(v, VGT_REASON_PV_HOST_HALF);
	if (off >= PV_OFF(rsv5) && off < PV_OFF(g2v_notify)) {
		vgt_enter_failsafe(v, VGT_FAILSAFE_INSUFFICIENT_RESOURCE);
		return 0;	/* reserved words stay zero */
	}
	if (off == PV_OFF(display_ready) || off == PV_OFF(g2v_notify)) {
		if (size != 4)
			return vgt_reject(v, VGT_REASON_PV_SIZE);
		if (off == PV_OFF(g2v_notify)) {
			ret = g2v_notify(v, (u32)val);
			if (!ret)
				v->pv.g2v_notify = (u32)val;
			return ret;
		}
		/* A dword field: the bits of val above it are not written. */
		if ((u32)val > VGT_DRV_DISPLAY_READY)
			return vgt_reject(v, VGT_REASON_PV_DISPLAY_READY);
		v->pv.display_ready = (u32)val;
		return 0;
	}
	/* The 1.1 guest words follow the execlist descriptor (1.0: reserved). */
	if (off >= PV_OFF(cursor_x_hot) &&
	    off + size <= (v->flags & VGT_REQ_PVINFO_1_0 ?
			   PV_OFF(execlist_context_descriptor_hi) + 4 :
			   PV_OFF(pv11g.area_hi) + 4)) {
		if (size != 4 && size != 8)
			return vgt_reject(v, VGT_REASON_PV_SIZE);
		memcpy(v->pv_bytes + off, &val, size);
		return 0;
	}
	return vgt_reject(v, VGT_REASON_PV_RESERVED);
}

/* The host-half words a fault injector may publish wrong. */
static const struct {
	const char *name;
	unsigned int offset, size;
} host_fields[] = {
	{ "magic", vgtif_offset(magic), 8 },
	{ "version_major", vgtif_offset(version_major), 2 },
	{ "version_minor", vgtif_offset(version_minor), 2 },
	{ "vgt_id", vgtif_offset(vgt_id), 4 },
	{ "vgt_caps", vgtif_offset(vgt_caps), 4 },
	{ "mappable_base", vgtif_offset(avail_rs.mappable_gmadr.base), 4 },
	{ "mappable_size", vgtif_offset(avail_rs.mappable_gmadr.size), 4 },
	{ "hidden_base", vgtif_offset(avail_rs.nonmappable_gmadr.base), 4 },
	{ "hidden_size", vgtif_offset(avail_rs.nonmappable_gmadr.size), 4 },
	{ "fence_num", vgtif_offset(avail_rs.fence_num), 4 },
};

int vgt_pvinfo_field(const char *name, size_t len, unsigned int *offset,
		     unsigned int *size)
{
	size_t i;

	for (i = 0; name && i < VGT_ARRAY_SIZE(host_fields); i++) {
		if (strlen(host_fields[i].name) != len ||
		    strncmp(host_fields[i].name, name, len))
			continue;
		*offset = host_fields[i].offset;
		*size = host_fields[i].size;
		return 0;
	}
	return -EINVAL;
}

int vgt_vgpu_set_pvinfo(struct vgt_vgpu *v, const void *page)
{
	if (!v || !page)
		return -EINVAL;
	if (!vgt_vgpu_enter(v))
		return -ENODEV;
	memcpy(v->pv_bytes, page, VGT_PVINFO_SIZE);
	pthread_mutex_unlock(&v->lock);
	return 0;
}

void vgt_vgpu_get_pvinfo(struct vgt_vgpu *v, void *page)
{
	if (!page)
		return;
	if (!v || !vgt_vgpu_enter(v)) {
		memset(page, 0, VGT_PVINFO_SIZE);
		return;
	}
	memcpy(page, v->pv_bytes, VGT_PVINFO_SIZE);
	pthread_mutex_unlock(&v->lock);
}

uint32_t vgt_vgpu_display_ready(struct vgt_vgpu *v)
{
	uint32_t ready;

	if (!v || !vgt_vgpu_enter(v))
		return 0;
	ready = v->pv.display_ready;
	pthread_mutex_unlock(&v->lock);
	return ready;
}

unsigned int vgt_vgpu_ppgtt_roots(struct vgt_vgpu *v)
{
	unsigned int n;

	if (!v || !vgt_vgpu_enter(v))
		return 0;
	n = v->nr_roots;
	pthread_mutex_unlock(&v->lock);
	return n;
}

unsigned int vgt_vgpu_ppgtt_root_refs(struct vgt_vgpu *v, unsigned int level,
				      const uint64_t pdp[4])
{
	struct vgt_root root = { .level = level };
	unsigned int refs = 0;
	int i;

	if (!v || !pdp || (level != 3 && level != 4))
		return 0;
	memcpy(root.pdp, pdp, (level == 4 ? 1 : 4) * sizeof(u64));
	if (!vgt_vgpu_enter(v))
		return 0;
	i = root_find(v, &root);
	if (i >= 0)
		refs = v->roots[i].refs;
	pthread_mutex_unlock(&v->lock);
	return refs;
}

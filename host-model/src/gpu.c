// SPDX-License-Identifier: MIT
/*
 * The physical GPU and the life of its vGPUs: description, GVT-g's vGPU
 * types, host and vGPU creation and destruction, error strings.
 *
 * Creation order follows GVT-g (idr id, resources, PVINFO, GTT): the
 * allocator reserves id, slices and fences all or nothing (alloc.c), then
 * the vGPU gets its register file and PTE shadows, then a device-level
 * reset fills PVINFO and the registers.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vgt_exec.h"

#define VGT_MAX_GGTT (4096 * VGT_MIB)

void vgt_gpu_desc_default(struct vgt_gpu_desc *desc)
{
	if (!desc)
		return;
	*desc = (struct vgt_gpu_desc){
		.ggtt_size = VGT_MAX_GGTT,
		.aperture_size = 256 * VGT_MIB,
		.fences = 32,
		.host_aperture = 128 * VGT_MIB,
		.host_hidden = 384 * VGT_MIB,
		.host_fences = 4,
	};
}

/* GVT-g's "V5" types (gvt/vgpu.c); weights and EDIDs are not modelled. */
static const struct {
	const char *name;
	unsigned int aperture_mib, hidden_mib, fences;
} gvt_types[] = {
	{ "8", 64, 384, 4 },
	{ "4", 128, 512, 4 },
	{ "2", 256, 1024, 4 },
	{ "1", 512, 2048, 4 },
};

const char *vgt_parse_decimal(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t n = 0;

	if (!s || *s < '0' || *s > '9')
		return NULL;
	for (; *s >= '0' && *s <= '9'; s++) {
		uint64_t d = (uint64_t)(*s - '0');

		if (d > max || n > (max - d) / 10)	/* n * 10 + d > max */
			return NULL;
		n = n * 10 + d;
	}
	*out = n;
	return s;
}

/* One field of a custom type, ending at stop; advances *p past stop. */
static bool parse_field(const char **p, char stop, uint64_t max, uint64_t *out)
{
	const char *end = vgt_parse_decimal(*p, max, out);

	if (!end || *end != stop)
		return false;
	*p = end + (stop != '\0');
	return true;
}

/* A GVT-g type or APERTURE/HIDDEN/FENCES, without a platform prefix. */
static int parse_type(const char *name, struct vgt_vgpu_request *req)
{
	uint64_t ap, hid, fences;
	const char *p = name;
	size_t i;

	for (i = 0; i < VGT_ARRAY_SIZE(gvt_types); i++) {
		if (!strcmp(name, gvt_types[i].name)) {
			*req = (struct vgt_vgpu_request){
				.aperture = gvt_types[i].aperture_mib * VGT_MIB,
				.hidden = gvt_types[i].hidden_mib * VGT_MIB,
				.fences = gvt_types[i].fences,
				.guest_mem = VGT_DEFAULT_GUEST_MEM,
			};
			return 0;
		}
	}
	if (!parse_field(&p, '/', 4096, &ap) || !parse_field(&p, '/', 4096, &hid) ||
	    !parse_field(&p, '\0', VGT_MAX_FENCES, &fences) || !ap || !hid || !fences)
		return -EINVAL;
	*req = (struct vgt_vgpu_request){
		.aperture = ap * VGT_MIB,
		.hidden = hid * VGT_MIB,
		.fences = (unsigned int)fences,
		.guest_mem = VGT_DEFAULT_GUEST_MEM,
	};
	return 0;
}

int vgt_type_parse(const char *name, struct vgt_vgpu_request *req)
{
	const char *colon;
	unsigned int p;
	int err;

	if (!name || !req)
		return -EINVAL;
	colon = strchr(name, ':');
	if (!colon)
		return parse_type(name, req);
	for (p = 0; p < VGT_PLATFORM_NR; p++) {
		const char *pn = vgt_platform_info(p)->name;

		if (strlen(pn) == (size_t)(colon - name) && !strncmp(name, pn, strlen(pn)))
			break;
	}
	if (p == VGT_PLATFORM_NR)
		return -EINVAL;
	err = parse_type(colon + 1, req);
	if (err)
		return err;
	req->platform = p;
	if (p == VGT_PLATFORM_HSW)
		req->flags |= VGT_REQ_PVINFO_1_0;	/* 1.1 is gen8+ (spec H-33) */
	return 0;
}

static bool desc_valid(const struct vgt_gpu_desc *d)
{
	return d && d->ggtt_size && d->ggtt_size <= VGT_MAX_GGTT &&
	       !(d->ggtt_size % VGT_PAGE) && d->aperture_size &&
	       !(d->aperture_size % VGT_PAGE) && d->aperture_size < d->ggtt_size &&
	       d->host_aperture <= d->aperture_size &&
	       !(d->host_aperture % VGT_PAGE) &&
	       d->host_hidden <= d->ggtt_size - d->aperture_size &&
	       !(d->host_hidden % VGT_PAGE) && d->fences &&
	       d->fences <= VGT_MAX_FENCES && d->host_fences <= d->fences;
}

struct vgt_host *vgt_host_create(const struct vgt_gpu_desc *desc, int *err)
{
	struct vgt_host *host;
	int dummy;

	if (!err)
		err = &dummy;
	if (!desc_valid(desc)) {
		*err = -EINVAL;
		return NULL;
	}
	host = calloc(1, sizeof(*host));
	if (!host) {
		*err = -ENOMEM;
		return NULL;
	}
	host->desc = *desc;
	pthread_mutex_init(&host->lock, NULL);
	pthread_mutex_init(&host->fence_lock, NULL);
	vgt_range_init(&host->aperture, desc->host_aperture, desc->aperture_size);
	vgt_range_init(&host->hidden, desc->aperture_size + desc->host_hidden,
		       desc->ggtt_size);
	*err = 0;
	return host;
}

void vgt_host_desc(const struct vgt_host *host, struct vgt_gpu_desc *desc)
{
	if (!desc)
		return;
	if (host)
		*desc = host->desc;
	else
		memset(desc, 0, sizeof(*desc));
}

void vgt_host_set_log(struct vgt_host *host, vgt_log_fn fn, void *priv)
{
	if (!host)
		return;
	host->log = fn;
	host->log_priv = priv;
}

static bool request_valid(const struct vgt_vgpu_request *req)
{
	return req && req->aperture && req->hidden && req->fences &&
	       req->aperture <= VGT_MAX_GGTT && req->hidden <= VGT_MAX_GGTT &&
	       !(req->aperture % VGT_PAGE) && !(req->hidden % VGT_PAGE) &&
	       req->fences <= VGT_MAX_FENCES && !(req->guest_mem % VGT_PAGE) &&
	       req->guest_mem <= VGT_GPA_LIMIT && !(req->flags & ~VGT_REQ_FLAGS) &&
	       (unsigned int)req->platform < VGT_PLATFORM_NR &&
	       (req->platform != VGT_PLATFORM_HSW ||
		(req->flags & (VGT_REQ_PVINFO_1_0 | VGT_REQ_SCATTER)) == VGT_REQ_PVINFO_1_0);
}

static void vgpu_free(struct vgt_vgpu *v)
{
	vgt_exec_destroy(v);
	vgt_pv11_fini(v);
	vgt_ggtt_free(v);
	free(v->regs);
	pthread_mutex_destroy(&v->lock);
	free(v);
}

struct vgt_vgpu *vgt_vgpu_create(struct vgt_host *host,
				 const struct vgt_vgpu_request *req, int *err,
				 char *msg, size_t msg_len)
{
	struct vgt_vgpu *v;
	int dummy;

	if (!err)
		err = &dummy;
	if (msg && msg_len)
		msg[0] = '\0';
	if (!host || !request_valid(req)) {
		if (msg && msg_len && req)
			snprintf(msg, msg_len,
				 "invalid request: aperture %llu hidden %llu fences %u guest_mem %llu flags %#x platform %d%s",
				 (unsigned long long)req->aperture,
				 (unsigned long long)req->hidden, req->fences,
				 (unsigned long long)req->guest_mem, req->flags, (int)req->platform,
				 req->platform == VGT_PLATFORM_HSW ?
				 " (a Haswell vGPU is PVINFO 1.0 only: flags need PVINFO_1_0, not SCATTER)" : "");
		*err = -EINVAL;
		return NULL;
	}
	v = calloc(1, sizeof(*v));
	if (!v) {
		*err = -ENOMEM;
		return NULL;
	}
	v->host = host;
	v->flags = req->flags;
	v->platform = req->platform;
	v->plat = vgt_plat(req->platform);
	pthread_mutex_init(&v->lock, NULL);
	vgt_pv11_init(v);
	pthread_mutex_lock(&host->lock);
	*err = vgt_host_place(host, v, req, msg, msg_len);
	pthread_mutex_unlock(&host->lock);
	if (*err) {
		vgt_pv11_fini(v);
		pthread_mutex_destroy(&v->lock);
		free(v);
		return NULL;
	}
	vgt_mem_map_init(v, req->guest_mem);
	v->regs = calloc(VGT_MMIO_SIZE / 4, sizeof(u32));
	if (!v->regs || vgt_ggtt_alloc(v) || vgt_exec_create(v)) {
		pthread_mutex_lock(&host->lock);
		vgt_host_unplace(host, v);
		pthread_mutex_unlock(&host->lock);
		vgpu_free(v);
		*err = -ENOMEM;
		return NULL;
	}
	vgt_vgpu_reset(v);
	return v;
}

/*
 * Under v's lock every call that got in has left; marked dead, no later one
 * gets past vgt_vgpu_enter. Then the execution worker is stopped, what the
 * vGPU holds is given back, and the struct stays (a husk) until the host
 * goes, so a racing call still finds its lock.
 */
void vgt_vgpu_destroy(struct vgt_vgpu *v)
{
	struct vgt_host *host;

	if (!v || !vgt_vgpu_enter(v))
		return;	/* NULL, or destroyed already */
	host = v->host;
	v->dead = true;
	pthread_mutex_unlock(&v->lock);
	/* Nothing may run on its behalf once it starts going away. */
	vgt_exec_destroy(v);
	pthread_mutex_lock(&v->lock);
	/* Clear its fences before another vGPU can be given them. */
	vgt_fence_release(v);
	vgt_ggtt_free(v);
	vgt_pv11_release(v);	/* wakes a vgt_vgpu_reslice_wait: it sees dead */
	free(v->regs);
	v->regs = NULL;
	pthread_mutex_unlock(&v->lock);
	pthread_mutex_lock(&host->lock);
	vgt_host_unplace(host, v);
	v->next_destroyed = host->destroyed;
	host->destroyed = v;
	pthread_mutex_unlock(&host->lock);
}

void vgt_host_destroy(struct vgt_host *host)
{
	struct vgt_vgpu *v;
	unsigned int id;

	if (!host)
		return;
	for (id = 1; id < host->nr_ids; id++)
		vgt_vgpu_destroy(host->vgpus[id]);
	while ((v = host->destroyed)) {
		host->destroyed = v->next_destroyed;
		vgpu_free(v);
	}
	free(host->vgpus);
	vgt_range_fini(&host->aperture);
	vgt_range_fini(&host->hidden);
	pthread_mutex_destroy(&host->fence_lock);
	pthread_mutex_destroy(&host->lock);
	free(host);
}

/* Re-ballooning changes the ranges under the vGPU's lock: copy under it. */
void vgt_vgpu_slices(const struct vgt_vgpu *v, struct vgt_slices *out)
{
	struct vgt_vgpu *w = (struct vgt_vgpu *)v;	/* the lock, not the slices */

	if (!out)
		return;
	if (w && vgt_vgpu_enter(w)) {
		*out = w->slices;
		pthread_mutex_unlock(&w->lock);
	} else {
		memset(out, 0, sizeof(*out));
	}
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
	case -EFAULT: return "guest memory not backed";
	case -EOPNOTSUPP: return "not supported by the vGPU or its guest";
	case -EBUSY: return "busy";
	case -ETIMEDOUT: return "timed out";
	case -ECANCELED: return "cancelled";
	case -ENODEV: return "the vGPU was destroyed";
	default: return "unknown error";
	}
}

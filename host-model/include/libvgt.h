/* SPDX-License-Identifier: MIT */
/*
 * libvgt: the host half of PVINFO 1.0 (spec/pvinfo.md) as a userspace
 * library: partition one modelled GPU among vGPUs, publish a PVINFO page per
 * vGPU, and mediate every trapped access of a vGPU's BAR0.
 *
 * Lifecycle: vgt_host_create() -> vgt_vgpu_create()... -> traffic through
 * vgt_mmio_read()/vgt_mmio_write() -> vgt_vgpu_destroy() -> vgt_host_destroy().
 *
 * Errors are negative errno values; vgt_strerror() names them. Bad input
 * never aborts and never changes state.
 *
 * Thread safety: each vGPU has its own lock, taken by every per-vGPU call,
 * so different vGPUs can be driven from different threads at once and one
 * vGPU's traffic never touches another's state. The host lock covers the
 * allocator: vgt_vgpu_create/destroy and vgt_host_free_space may run in any
 * thread. A vGPU must not be destroyed while another thread still uses it.
 */
#ifndef LIBVGT_H
#define LIBVGT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VGT_MIB (1ULL << 20)
#define VGT_MAX_FENCES 32
#define VGT_GSM_OFFSET (8ULL << 20)	/* GGTT PTEs in BAR0 (gen8+) */
#define VGT_MMIO_SIZE (2ULL << 20)
#define VGT_BAR0_SIZE (16ULL << 20)
#define VGT_FENCE_BASE 0x100000u	/* 64-bit fence i at + 8 * i */

/* The physical GPU. Every size is configurable; see vgt_gpu_desc_default. */
struct vgt_gpu_desc {
	uint64_t ggtt_size;		/* bytes of GGTT (4 GiB: 1M PTEs) */
	uint64_t aperture_size;		/* BAR2: the mappable part of the GGTT */
	unsigned int fences;		/* hardware fence registers */
	uint64_t host_aperture;		/* kept by the host, bottom of aperture */
	uint64_t host_hidden;		/* kept by the host, bottom of hidden */
	unsigned int host_fences;	/* kept by the host, lowest fences */
};

/* GVT-g's defaults: 4 GiB GGTT, 256 MiB aperture, 32 fences; 128/384/4. */
void vgt_gpu_desc_default(struct vgt_gpu_desc *desc);

/* What one vGPU asks for. */
struct vgt_vgpu_request {
	uint64_t aperture;		/* bytes, page multiple, > 0 */
	uint64_t hidden;		/* bytes, page multiple, > 0 */
	unsigned int fences;		/* >= 1 */
	uint64_t guest_mem;		/* guest RAM PTEs may point into */
};

/*
 * GVT-g's types "8", "4", "2", "1" or a custom "APERTURE_MIB/HIDDEN_MIB/FENCES".
 * Return: 0, or -EINVAL for an unknown or malformed name.
 */
int vgt_type_parse(const char *name, struct vgt_vgpu_request *req);

struct vgt_host;
struct vgt_vgpu;

/* Return: the host, or NULL with *err = -EINVAL (inconsistent desc) / -ENOMEM. */
struct vgt_host *vgt_host_create(const struct vgt_gpu_desc *desc, int *err);
/* Destroys remaining vGPUs too. */
void vgt_host_destroy(struct vgt_host *host);
void vgt_host_desc(const struct vgt_host *host, struct vgt_gpu_desc *desc);

/*
 * Create a vGPU with the smallest free id. Placement is best fit (the
 * smallest hole that holds the request, lowest address on a tie), which
 * keeps large holes whole across create/destroy cycles.
 * Return: the vGPU, or NULL with *err = -EINVAL (bad request) / -ENOSPC (does
 * not fit; msg, if not NULL, says which range and how much is free) /
 * -ENOMEM.
 */
struct vgt_vgpu *vgt_vgpu_create(struct vgt_host *host,
				 const struct vgt_vgpu_request *req, int *err,
				 char *msg, size_t msg_len);
void vgt_vgpu_destroy(struct vgt_vgpu *vgpu);

struct vgt_slices {
	unsigned int id;
	uint64_t aperture_base, aperture_size;
	uint64_t hidden_base, hidden_size;
	unsigned int fence_num;
	unsigned int fence_phys[VGT_MAX_FENCES];	/* guest n -> physical */
	uint64_t guest_mem;
};
void vgt_vgpu_slices(const struct vgt_vgpu *vgpu, struct vgt_slices *out);

/* Free space of one range: how fragmented it is. */
struct vgt_free {
	uint64_t total, largest;
	unsigned int holes;
};
void vgt_host_free_space(struct vgt_host *host, struct vgt_free *aperture,
			 struct vgt_free *hidden, unsigned int *fences);

/* Trap classes of DESIGN.md. */
enum vgt_trap_class {
	VGT_TRAP_PVINFO,
	VGT_TRAP_GGTT,
	VGT_TRAP_FENCE,
	VGT_TRAP_PM,
	VGT_TRAP_RING,
	VGT_TRAP_OTHER,
	VGT_TRAP_NR
};
const char *vgt_trap_class_name(enum vgt_trap_class c);

struct vgt_traps {
	uint64_t count[VGT_TRAP_NR];	/* every access, accepted or not */
	uint64_t rejected[VGT_TRAP_NR];	/* accesses refused */
};
/* Copy the counters, then zero them if reset. */
void vgt_vgpu_traps(struct vgt_vgpu *vgpu, struct vgt_traps *out, bool reset);

/*
 * One guest access to BAR0 (size 1, 2, 4 or 8): registers, the PVINFO page,
 * fences, GGTT PTEs. Every call is one trap. A refused write changes nothing.
 * Return: 0; -EINVAL bad size/alignment or outside BAR0; -EPERM write to a
 * read-only register or field; -ERANGE address, fence index or frame
 * outside what the vGPU owns; -EPROTO bad PVINFO value or g2v code.
 */
int vgt_mmio_read(struct vgt_vgpu *vgpu, uint64_t offset, unsigned int size,
		  uint64_t *val);
int vgt_mmio_write(struct vgt_vgpu *vgpu, uint64_t offset, unsigned int size,
		   uint64_t val);

/* Re-populate the PVINFO page and reset registers, as a device-level reset. */
void vgt_vgpu_reset(struct vgt_vgpu *vgpu);
/* Fault injection: replace the whole 4 KiB page. Return: 0. */
int vgt_vgpu_set_pvinfo(struct vgt_vgpu *vgpu, const void *page);
void vgt_vgpu_get_pvinfo(struct vgt_vgpu *vgpu, void *page);

/* The accepted PTE of GGTT page index (0 if none, or not the vGPU's). */
uint64_t vgt_vgpu_shadow_pte(struct vgt_vgpu *vgpu, uint64_t index);
/* Physical fence register i of the host (64-bit value). */
uint64_t vgt_host_fence(struct vgt_host *host, unsigned int i);
bool vgt_vgpu_failsafe(struct vgt_vgpu *vgpu);
unsigned int vgt_vgpu_ppgtt_roots(struct vgt_vgpu *vgpu);

/*
 * Every refused access is reported as one line ("vgpu2: refused write of 8
 * bytes at 0x800040 (ggtt) value 0x1001: GGTT page outside the vGPU's
 * slices (-ERANGE)") to the log function, if one is set, and kept as the
 * vGPU's last rejection. Set the log function before any vGPU traffic; it
 * may be called from any thread that drives a vGPU.
 */
typedef void (*vgt_log_fn)(void *priv, const char *line);
void vgt_host_set_log(struct vgt_host *host, vgt_log_fn fn, void *priv);
/* Copy the last refusal line of a vGPU ("" if none). */
void vgt_vgpu_last_rejection(struct vgt_vgpu *vgpu, char *buf, size_t len);

const char *vgt_strerror(int err);

#endif /* LIBVGT_H */

/* SPDX-License-Identifier: MIT */
/*
 * libvgt: the host half of PVINFO 1.0 (spec/pvinfo.md) and 1.1
 * (spec/pvinfo-1.1.md) as a userspace library: partition one modelled GPU
 * (Skylake GT2, gen9) among vGPUs, publish a PVINFO page per vGPU, mediate
 * every trapped access of a vGPU's BAR0 (registers, PVINFO, fences, GGTT
 * PTEs) and, once a 1.1 guest registered its shared area, the requests of
 * its command channel; grow, shrink or move a running vGPU's slices.
 *
 * Lifecycle (libvfio-user style, opaque contexts):
 *
 *   vgt_gpu_desc_default(&desc)      fill GVT-g's defaults, change any size
 *   vgt_host_create(&desc, &err)     one physical GPU
 *   vgt_host_set_log(host, fn, priv) optional, before any vGPU traffic
 *   vgt_type_parse("8", &req)        or fill a struct vgt_vgpu_request
 *   vgt_vgpu_create(host, &req, ...) id = smallest free id >= 1
 *   vgt_mmio_read/vgt_mmio_write     guest traffic, one trap per call
 *   vgt_vgpu_destroy(vgpu)           frees its slices, fences and id
 *   vgt_host_destroy(host)           destroys the remaining vGPUs too
 *
 * Errors are negative errno values (libfdt style); vgt_strerror() names
 * them. A refused guest access additionally has a reason code
 * (enum vgt_reason) and a log line. Bad input never aborts, never leaks
 * and never changes state; NULL handles give -EINVAL (or a zero result for
 * the getters that return no error).
 *
 * Thread safety:
 *  - Each vGPU has its own mutex, taken by every call that takes that vGPU
 *    (vgt_mmio_*, vgt_vgpu_traps, _reset, _set_pvinfo, _shadow_pte, ...), so
 *    different vGPUs may be driven from different threads at once, and a
 *    single vGPU from several threads (calls are serialised). One vGPU's
 *    traffic never reads or writes another vGPU's state.
 *  - The host mutex covers the allocator, the id table and the vGPU list:
 *    vgt_vgpu_create, vgt_vgpu_destroy and vgt_host_free_space may be
 *    called from any thread, concurrently with traffic on other vGPUs.
 *  - The host's physical fence file has a mutex of its own (taken after a
 *    vGPU mutex, never the other way round), so fence traffic does not
 *    contend with the allocator.
 *  - Lock order: vGPU mutex -> host mutex -> fence-file mutex. A re-balloon
 *    (vgt_vgpu_reslice, and the guest's reply, which arrives in a trap)
 *    takes the host mutex inside the vGPU's to reserve and release ranges;
 *    nothing takes a vGPU mutex with the host mutex held.
 *  - A vGPU's slices change only under its mutex (vgt_vgpu_reslice, the
 *    reply trap, reset), so every access checks against one assignment from
 *    start to end (spec H-29); vgt_vgpu_slices() returns the current one.
 *  - Destroying a vGPU under load is safe: vgt_vgpu_destroy may run while
 *    other threads are inside calls on that vGPU or about to make them. It
 *    takes the vGPU's mutex, so the calls already inside finish first; from
 *    then on every call on the handle fails without effect (-ENODEV from
 *    the calls that return an error, zeroed or empty results from the
 *    getters, nothing from vgt_vgpu_reset and a second vgt_vgpu_destroy).
 *    The slices, fences, id and the vGPU's memory are given back at once;
 *    the handle itself (about 20 KiB) stays valid until vgt_host_destroy, so
 *    a thread that still holds it never touches freed memory and can never
 *    reach another vGPU through it.
 *  - Caller's duties: no call on the host or any of its vGPUs may race
 *    vgt_host_destroy, and no handle of that host may be used after it;
 *    call vgt_host_set_log before traffic starts. The log callback runs
 *    with the vGPU's mutex held, in the thread that made the access: it
 *    must not call back into libvgt for that vGPU.
 */
#ifndef LIBVGT_H
#define LIBVGT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VGT_MIB (1ULL << 20)
#define VGT_MAX_FENCES 32
#define VGT_GSM_OFFSET (8ULL << 20)	/* GGTT PTEs in BAR0 (gen8+) */
#define VGT_GSM_SIZE (8ULL << 20)	/* 1M 64-bit PTEs: 4 GiB of GGTT */
#define VGT_MMIO_SIZE (2ULL << 20)
#define VGT_BAR0_SIZE (16ULL << 20)
#define VGT_FENCE_BASE 0x100000u	/* 64-bit fence i at + 8 * i */
#define VGT_DEFAULT_GUEST_MEM (4096 * VGT_MIB)

/* The physical GPU. Every size is configurable; see vgt_gpu_desc_default. */
struct vgt_gpu_desc {
	uint64_t ggtt_size;		/* bytes of GGTT, <= 4 GiB (1M PTEs) */
	uint64_t aperture_size;		/* BAR2: low GM = GGTT [0, aperture) */
	unsigned int fences;		/* hardware fence registers, <= 32 */
	uint64_t host_aperture;		/* kept by the host, bottom of aperture */
	uint64_t host_hidden;		/* kept by the host, bottom of hidden */
	unsigned int host_fences;	/* kept by the host, lowest fences */
};

/* GVT-g's defaults: 4 GiB GGTT, 256 MiB aperture, 32 fences; host 128/384/4. */
void vgt_gpu_desc_default(struct vgt_gpu_desc *desc);

/*
 * The GPU a vGPU presents (platform.c). Skylake GT2 is the default (0);
 * Haswell GT2 is the gen7.5 one: a 4 MiB BAR0 with 32-bit PTEs, a 2 GiB
 * GGTT, the legacy ring buffer on four rings, the aliasing PPGTT and the
 * gen7 interrupt registers. A host partitions one GGTT among vGPUs of
 * either kind; a Haswell vGPU's slices lie below its 2 GiB.
 */
enum vgt_platform {
	VGT_PLATFORM_SKL,
	VGT_PLATFORM_HSW,
	VGT_PLATFORM_NR
};

/* What a transport needs to present the vGPU as a PCI function. */
struct vgt_platform_info {
	const char *name;		/* "skl", "hsw": vgt_type_parse's prefix */
	uint16_t device_id;		/* 0x1912, 0x0412 */
	uint16_t gmch_ctrl;		/* config 0x50 (GGC): GGTT size, no stolen */
	uint64_t bar0_size;		/* MMIO + GSM: 16 MiB, 4 MiB */
	uint64_t mmio_size;		/* registers at BAR0 0: 2 MiB on both */
	uint64_t gsm_offset;		/* the GGTT PTEs in BAR0: 8 MiB, 2 MiB */
	uint64_t gsm_size;		/* bytes of PTEs: 8 MiB, 2 MiB */
	unsigned int pte_bytes;		/* 8 (gen8 PTE), 4 (HSW PTE) */
	uint64_t ggtt_size;		/* what the guest sees: 4 GiB, 2 GiB */
	bool execlists;			/* else the legacy ring buffer */
};
struct vgt_vgpu;
/* NULL for a platform out of range. */
const struct vgt_platform_info *vgt_platform_info(enum vgt_platform p);
/* The vGPU's (never NULL: Skylake's for a NULL or destroyed vGPU). */
const struct vgt_platform_info *vgt_vgpu_platform(struct vgt_vgpu *vgpu);

/* What one vGPU asks for. */
struct vgt_vgpu_request {
	uint64_t aperture;		/* bytes, page multiple, > 0 */
	uint64_t hidden;		/* bytes, page multiple, > 0 */
	unsigned int fences;		/* 1..32 */
	uint64_t guest_mem;		/* the vGPU's first memory map: guest RAM
					 * [0, guest_mem) (page multiple; 0: an
					 * empty map, no frame is valid) */
	unsigned int flags;		/* VGT_REQ_* */
	enum vgt_platform platform;	/* 0: Skylake; Haswell needs VGT_REQ_PVINFO_1_0 */
};

/*
 * Request flags. By default a vGPU is a PVINFO 1.1 device offering
 * VGT_PV11_F_GGTT_BATCH and VGT_PV11_F_RESLICE (i915_pvinfo.h), one range
 * per class.
 */
#define VGT_REQ_SCATTER		(1u << 0)	/* may get several ranges per class;
						 * offers VGT_PV11_F_SCATTER */
#define VGT_REQ_PVINFO_1_0	(1u << 1)	/* a 1.0-only device: the 1.0 page,
						 * no 1.1 word, bit or code */
#define VGT_REQ_NO_GGTT_BATCH	(1u << 2)	/* 1.1 without VGT_PV11_F_GGTT_BATCH */
#define VGT_REQ_NO_RESLICE	(1u << 3)	/* 1.1 without VGT_PV11_F_RESLICE */
#define VGT_REQ_FLAGS		0xfu

/*
 * GVT-g's types "8" (64/384 MiB, 4 fences), "4" (128/512), "2" (256/1024),
 * "1" (512/2048) or a custom "APERTURE_MIB/HIDDEN_MIB/FENCES": decimal
 * digits only (no sign, space or base prefix), 1..4096 MiB each, 1..32
 * fences. guest_mem is set to VGT_DEFAULT_GUEST_MEM. A platform prefix
 * "skl:" or "hsw:" picks the GPU the vGPU presents ("hsw:8": a Haswell
 * vGPU of type 8, which is a PVINFO 1.0 device: VGT_REQ_PVINFO_1_0 set).
 * Return: 0, or -EINVAL for NULL, an unknown or malformed name.
 */
int vgt_type_parse(const char *name, struct vgt_vgpu_request *req);

/*
 * The decimal number at the start of s: one or more digits (no sign, space
 * or base prefix; a leading 0 is still decimal), at most max, in *out.
 * For the command lines' sizes and counts, so that they read numbers alike.
 * Return: the first character after the digits, or NULL (no digit, or more
 * than max; *out untouched).
 */
const char *vgt_parse_decimal(const char *s, uint64_t max, uint64_t *out);

struct vgt_host;
struct vgt_vgpu;

/*
 * Return: the host, or NULL with *err (if err is not NULL) = -EINVAL (NULL
 * or inconsistent desc: sizes not page multiples, reserve larger than its
 * range, more than 32 fences...) / -ENOMEM.
 */
struct vgt_host *vgt_host_create(const struct vgt_gpu_desc *desc, int *err);
/* Destroys remaining vGPUs too. NULL is a no-op. */
void vgt_host_destroy(struct vgt_host *host);
void vgt_host_desc(const struct vgt_host *host, struct vgt_gpu_desc *desc);

/*
 * Create a vGPU with the smallest free id (1, 2, ...; no cap other than
 * resources). Placement is best fit in each range (the smallest hole that
 * holds the request, lowest address on a tie), which keeps large holes
 * whole across create/destroy cycles; fences are the lowest free ones.
 * All or nothing: on failure nothing is reserved.
 * Return: the vGPU, or NULL with *err (if not NULL) = -EINVAL (NULL host or
 * req, bad request) / -ENOSPC (does not fit; msg, if not NULL, gets e.g.
 * "hidden: requested 512 MiB, largest free 384 MiB, total free 640 MiB" or
 * "fences: requested 4, free 2") / -ENOMEM.
 */
struct vgt_vgpu *vgt_vgpu_create(struct vgt_host *host,
				 const struct vgt_vgpu_request *req, int *err,
				 char *msg, size_t msg_len);
/*
 * Give back the vGPU's slices, fences and id (its physical fences are
 * cleared on the host first) and its memory; calls racing it are safe (see
 * Thread safety), later ones fail with -ENODEV. NULL, or a vGPU destroyed
 * already, is a no-op.
 */
void vgt_vgpu_destroy(struct vgt_vgpu *vgpu);

/*
 * Guest memory and interrupts: what the transport gives a vGPU so that the
 * device model does device work itself, as a QEMU device model calls
 * pci_dma_read()/pci_dma_write() and msi_notify(). vgt-hostd implements
 * them over libvfio-user's DMA regions and IRQs, the userspace harness over
 * a malloc'd guest RAM.
 *
 * Every callback may be called from the thread that made a trap (aperture
 * accesses) or from the vGPU's execution worker, with the vGPU's mutex held:
 * it must be thread-safe and must not call back into libvgt for that vGPU.
 */
struct vgt_vgpu_ops {
	/*
	 * Copy len bytes of guest-physical memory at gpa to buf (read) or
	 * from buf (write). libvgt only asks for ranges wholly inside one
	 * region of the memory map. Return: 0, or -EFAULT when the memory is
	 * not (or no longer) backed; libvgt then refuses the access.
	 */
	int (*read)(void *priv, uint64_t gpa, void *buf, size_t len);
	int (*write)(void *priv, uint64_t gpa, const void *buf, size_t len);
	/* Signal interrupt vector (MSI message) vector; an edge. May be NULL. */
	void (*raise_irq)(void *priv, unsigned int vector);
};

/*
 * Give the vGPU its transport's ops (copied) and their private pointer;
 * NULL ops detach (guest memory then reads as unbacked). Return: 0, or
 * -EINVAL for a NULL vgpu or ops without read/write.
 */
int vgt_vgpu_set_ops(struct vgt_vgpu *vgpu, const struct vgt_vgpu_ops *ops,
		     void *priv);

/* One region of guest-physical RAM. */
struct vgt_mem_region {
	uint64_t gpa, size;
};
#define VGT_MAX_MEM_REGIONS 32

/*
 * The guest's memory map: where its RAM is (a q35 guest with more than
 * about 2.75 GiB has RAM above 4 GiB too). A PTE frame is valid only inside
 * a region, and every guest-memory access libvgt makes lies wholly inside
 * one. Replaces the map the vGPU had (at creation: [0, guest_mem) of its
 * request, if not 0); already accepted PTEs whose frame leaves the map stay
 * in the shadow but every access through them is refused.
 * Return: 0, or -EINVAL (NULL vgpu, n > VGT_MAX_MEM_REGIONS, regions NULL
 * with n > 0, a region empty, not page aligned, past 2^39 (gen8 PTE frames)
 * or overlapping another); nothing changes then.
 */
int vgt_vgpu_set_memory_map(struct vgt_vgpu *vgpu,
			    const struct vgt_mem_region *regions, unsigned int n);
/* Copy up to max regions of the map; returns how many the map holds. */
unsigned int vgt_vgpu_memory_map(struct vgt_vgpu *vgpu,
				 struct vgt_mem_region *regions, unsigned int max);

/*
 * One guest access to BAR2, the aperture: offset is the GGTT address (the
 * aperture is GGTT [0, aperture_size)), len any number of bytes (the
 * transport's whole access). Translated page by page through the PTEs
 * libvgt accepted for this vGPU into guest memory via its ops; only the
 * vGPU's aperture slice is reachable. Inside one of the vGPU's enabled
 * fences the range is seen detiled (X or Y, the fence's pitch), as the
 * hardware's fences do for the CPU. One trap of class "aperture" per
 * call. Parts that are refused read as 0 and drop writes; the call counts
 * one refusal, logs it and returns the first part's error:
 *   -EINVAL  NULL vgpu or buf, len 0, or [offset, offset + len) past BAR2;
 *   -ERANGE  outside the vGPU's aperture slice;
 *   -EFAULT  a page without a valid PTE, or a frame guest memory does not
 *            back (outside the map, or the transport's read/write failed).
 */
int vgt_aperture_read(struct vgt_vgpu *vgpu, uint64_t offset, void *buf,
		      size_t len);
int vgt_aperture_write(struct vgt_vgpu *vgpu, uint64_t offset, const void *buf,
		       size_t len);

/* The two classes of GGTT a vGPU owns ranges of. */
enum vgt_gm_class {
	VGT_GM_APERTURE,		/* [host aperture reserve, aperture size) */
	VGT_GM_HIDDEN,			/* above the aperture */
	VGT_GM_NR
};
#define VGT_MAX_SLICE_RANGES 32		/* an assignment's, both classes together
					 * (the 1.1 slice table) */
#define VGT_SLICE_SET_RANGES 64		/* room per class: the union of two */

struct vgt_gm_range {
	uint64_t base, size;		/* host GGTT addresses, bytes */
};

/*
 * A vGPU's GGTT ranges: per class, sorted by base, disjoint. An assignment
 * holds at most VGT_MAX_SLICE_RANGES in all; the arrays have room for the
 * union of two (the checks during a re-balloon).
 */
struct vgt_slice_ranges {
	unsigned int nr[VGT_GM_NR];
	struct vgt_gm_range r[VGT_GM_NR][VGT_SLICE_SET_RANGES];
};

struct vgt_slices {
	unsigned int id;
	/* the first range of each class: what PVINFO 1.0's avail_rs publishes */
	uint64_t aperture_base, aperture_size;	/* host GGTT addresses */
	uint64_t hidden_base, hidden_size;
	unsigned int fence_num;
	unsigned int fence_phys[VGT_MAX_FENCES];	/* guest n -> physical */
	uint64_t guest_mem;
	uint32_t gen;			/* generation of the assignment: 0 at
					 * creation, +1 per re-balloon result */
	struct vgt_slice_ranges ranges;	/* every range (1.1: scattered slices) */
};
/*
 * The current assignment (the one a pending re-balloon would replace);
 * zeroed for a NULL vgpu. It changes only through vgt_vgpu_reslice and
 * the guest's reply: callers ask again rather than keep a copy.
 */
void vgt_vgpu_slices(const struct vgt_vgpu *vgpu, struct vgt_slices *out);

/* Free space of one range: how fragmented it is. */
struct vgt_free {
	uint64_t total, largest;
	unsigned int holes;
};
/* Any out pointer may be NULL. */
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
	VGT_TRAP_APERTURE,		/* BAR2 accesses (vgt_aperture_*) */
	VGT_TRAP_NR
};
/* "pvinfo", "ggtt", "fence", "pm", "ring", "other", "aperture"; "?" out of range. */
const char *vgt_trap_class_name(enum vgt_trap_class c);

/* Why an access was refused; each has one errno (in parentheses). */
enum vgt_reason {
	VGT_REASON_NONE,
	VGT_REASON_BAD_ACCESS,		/* size/alignment/offset (-EINVAL) */
	VGT_REASON_REG_SIZE,		/* table register not as a dword (-EINVAL) */
	VGT_REASON_REG_READ_ONLY,	/* (-EPERM) */
	VGT_REASON_PTE_SIZE,		/* PTE access not 4 or 8 bytes (-EINVAL) */
	VGT_REASON_PTE_OUTSIDE,		/* index outside the slices (-ERANGE) */
	VGT_REASON_PTE_FRAME,		/* frame beyond guest memory (-ERANGE) */
	VGT_REASON_PTE_HALF,		/* high half, no low half (-EINVAL) */
	VGT_REASON_FENCE_SIZE,		/* fence access not 4 or 8 (-EINVAL) */
	VGT_REASON_FENCE_INDEX,		/* index >= fence_num (-ERANGE) */
	VGT_REASON_FENCE_RANGE,		/* enabled fence not in a slice (-ERANGE) */
	VGT_REASON_PV_HOST_HALF,	/* PVINFO 0x000-0x7ff write (-EPERM) */
	VGT_REASON_PV_RESERVED,		/* reserved guest-half word (-EPERM) */
	VGT_REASON_PV_SIZE,		/* guest field written at a bad size (-EINVAL) */
	VGT_REASON_PV_DISPLAY_READY,	/* value not 0/1 (-EPROTO) */
	VGT_REASON_G2V_UNKNOWN,		/* unknown g2v_notify code (-EPROTO) */
	VGT_REASON_G2V_NO_ROOT,		/* destroy of an unknown root (-EPROTO) */
	VGT_REASON_G2V_ROOTS_FULL,	/* too many PPGTT roots (-ERANGE) */
	VGT_REASON_AP_ACCESS,		/* BAR2 access past its end, or empty (-EINVAL) */
	VGT_REASON_AP_OUTSIDE,		/* outside the vGPU's aperture slice (-ERANGE) */
	VGT_REASON_AP_NO_PTE,		/* GGTT page without a valid PTE (-EFAULT) */
	VGT_REASON_AP_UNBACKED,		/* PTE frame not backed by guest memory (-EFAULT) */
	/* PVINFO 1.1: a refused registration (pv11.error gets the errno) */
	VGT_REASON_PV11_REGISTERED,	/* an area is registered already (-EBUSY) */
	VGT_REASON_PV11_NO_FEATURES,	/* the device offers no 1.1 feature (-EOPNOTSUPP) */
	VGT_REASON_PV11_ACCEPT,		/* accept empty or not a subset of features (-EINVAL) */
	VGT_REASON_PV11_AREA_SIZE,	/* area_pages out of range, address unaligned (-EINVAL) */
	VGT_REASON_PV11_AREA_RANGE,	/* area not inside one memory-map region (-ERANGE) */
	VGT_REASON_PV11_AREA_MAGIC,	/* control page magic/version wrong or unreadable (-EPROTO) */
	/* PVINFO 1.1: a refused doorbell or unregistration */
	VGT_REASON_PV11_UNREGISTERED,	/* doorbell or unregister without an area (-EPROTO) */
	VGT_REASON_PV11_RING,		/* req_prod more than 32 ahead of req_cons (-EPROTO) */
	VGT_REASON_PV11_UNREADABLE,	/* the area's memory failed the transport (-EFAULT) */
	/* PVINFO 1.1: a refused channel request (its status) */
	VGT_REASON_PV11_SEQ,		/* seq not the previous one + 1 (-EPROTO) */
	VGT_REASON_PV11_OP,		/* unknown op, or its feature not enabled (-EINVAL) */
	VGT_REASON_PV11_MALFORMED,	/* a field the op does not use is not 0 (-EINVAL) */
	VGT_REASON_PV11_PAYLOAD,	/* count 0 or too large, payload leaves the area (-ERANGE) */
	VGT_REASON_PV11_STALE_REPLY,	/* reply to no pending message, or bad result (-EPROTO) */
	VGT_REASON_NR
};
/* Short token, e.g. "pte-outside"; "?" out of range. */
const char *vgt_reason_name(enum vgt_reason r);
/* The sentence used in log lines, e.g. "fence index beyond fence_num". */
const char *vgt_reason_text(enum vgt_reason r);
/* Its errno (a refused channel request's status); -EINVAL out of range. */
int vgt_reason_errno(enum vgt_reason r);

struct vgt_traps {
	uint64_t count[VGT_TRAP_NR];	/* every access, accepted or not */
	uint64_t rejected[VGT_TRAP_NR];	/* accesses refused */
	uint64_t reason[VGT_REASON_NR];	/* refusals by reason: refused traps and
					 * refused channel requests alike (a PTE
					 * refused in a request counts where the
					 * same PTE written by a trap would) */
	/* PVINFO 1.1 channel: work done inside doorbell traps, not traps */
	uint64_t channel_requests;	/* requests processed, refused included */
	uint64_t channel_refused;	/* requests refused (status < 0) */
	uint64_t channel_ptes;		/* PTEs applied by accepted requests */
};
/* Copy the counters (zeroed for NULL), then zero them if reset. */
void vgt_vgpu_traps(struct vgt_vgpu *vgpu, struct vgt_traps *out, bool reset);

/*
 * One guest access to BAR0 (size 1, 2, 4 or 8, naturally aligned, inside
 * the 2 MiB MMIO or the GGTT PTE range at 8 MiB): registers, the PVINFO
 * page, fences, GGTT PTEs. A write stores the low size bytes of val; the
 * bits above them are ignored. Every call is one trap in exactly one class.
 * A refused access changes nothing: no register, PVINFO word, shadow PTE,
 * buffered PTE half, fence, PPGTT root or failsafe state of any vGPU
 * (reads return *val = 0 then); only the vGPU's counters, last rejection
 * and the log line record it. It returns:
 *   -EINVAL  NULL vgpu/val, bad size/alignment/offset, a dword register of
 *            the table (or an engine's special one) written other than as
 *            that one dword (an 8-byte write of plain storage reaching into
 *            one too), GEN8_MASTER_IRQ read so, a PTE/fence not accessed
 *            as 4 or 8 bytes, a PTE high half without its low half;
 *   -EPERM   write to a read-only register, the PVINFO host half or a
 *            reserved PVINFO word;
 *   -ERANGE  PTE index or frame, fence index or fence range outside what
 *            the vGPU owns (a PTE read outside the slices reads 0);
 *   -EPROTO  bad display_ready value or g2v_notify code/root;
 *   -ENODEV  the vGPU was destroyed (not a trap: nothing counted).
 * Access sizes: a read may be 1, 2, 4 or 8 bytes (as GVT-g) and returns
 * the bytes a dword read of each dword it covers would, except PTEs and
 * fences (4 or 8) and GEN8_MASTER_IRQ, whose value is computed (4). A
 * write to a table dword register or an engine's special register
 * (MI_MODE, RESET_CTL, ELSP, ...) must be that one dword; the rest of an
 * engine range and plain storage take any size; guest PVINFO fields as in
 * spec/pvinfo.md (display_ready and g2v_notify as 4 bytes).
 * GGTT PTEs: 8-byte writes are whole PTEs; a 4-byte write of the low half is
 * buffered (one per vGPU) and the PTE is validated and committed only when
 * the high half of the same PTE arrives; a refused high half leaves the low
 * half buffered.
 */
int vgt_mmio_read(struct vgt_vgpu *vgpu, uint64_t offset, unsigned int size,
		  uint64_t *val);
int vgt_mmio_write(struct vgt_vgpu *vgpu, uint64_t offset, unsigned int size,
		   uint64_t val);

/*
 * Execution. Each engine (RCS, BCS, VCS, VECS) is an execlists command
 * streamer in software, as 6.1 drives one on a vGPU with HWSP_EMULATION:
 * ELSP writes submit contexts whose LRC image, ring and PPGTT live in guest
 * memory; every ring segment and batch is copied and audited (vgt_audit.h)
 * before any of it runs, then executed from that copy; context switches
 * are reported in the CSB of the engine's status page and by interrupts
 * (GT IIR/IER/IMR, master control, the transport's raise_irq). A fault or
 * an audit refusal hangs only that context: the engine stops until the
 * guest resets it (GDRST), as i915's hang recovery does.
 *
 * Work runs off the trap path: vgt_vgpu_exec_start() starts the vGPU's
 * worker thread (transports with guests do); without a worker, nothing
 * runs until vgt_vgpu_exec_run() runs it in the caller's thread (tests).
 */
enum vgt_hang_reason {
	VGT_HANG_AUDIT,		/* the audit refused a ring segment or batch */
	VGT_HANG_FAULT,		/* an address did not translate, or not to guest RAM */
	VGT_HANG_UNSUPPORTED,	/* a command form the executor does not implement */
	VGT_HANG_CONTEXT,	/* a context image or ring that cannot be right */
	VGT_HANG_NR
};
/* "audit", "fault", "unsupported", "context"; "?" out of range. */
const char *vgt_hang_reason_name(enum vgt_hang_reason r);

#define VGT_EXEC_AUDIT_REASONS 32	/* >= VGT_AUDIT_NR (vgt_audit.h) */

struct vgt_exec_stats {
	uint64_t submissions;		/* ELSP submissions */
	uint64_t preemptions, lite_restores;
	uint64_t contexts;		/* contexts that ran to their tail */
	uint64_t batches;		/* batch buffers started */
	uint64_t commands;		/* commands executed (no-ops included) */
	uint64_t state_noops;		/* 3D/media/video commands completed as no-ops */
	uint64_t privilege_noops;	/* GGTT commands in PPGTT batches, dropped */
	uint64_t blits, blit_bytes;
	uint64_t user_irqs, ctx_switch_irqs, msis;
	uint64_t hangs[VGT_HANG_NR];	/* contexts hung, by reason */
	uint64_t audit[VGT_EXEC_AUDIT_REASONS];	/* audit refusals by vgt_audit_reason */
	uint64_t engine_resets, full_resets;
	uint64_t slices;		/* worker slices run */
};
/* Copy the counters (zeroed for NULL), then zero them if reset. */
void vgt_vgpu_exec_stats(struct vgt_vgpu *vgpu, struct vgt_exec_stats *out, bool reset);
/*
 * Start the vGPU's worker (once; it stops at vgt_vgpu_destroy).
 * Return: 0, -EINVAL (NULL), -EBUSY (already running), -EAGAIN (thread).
 */
int vgt_vgpu_exec_start(struct vgt_vgpu *vgpu);
/*
 * Without a worker: run what the engines have to do in this thread, for at
 * most max_slices slices (0: until every engine is idle, hung or waiting).
 * Return: commands executed; 0 with a worker running (it does the work).
 */
uint64_t vgt_vgpu_exec_run(struct vgt_vgpu *vgpu, unsigned int max_slices);
/* The last hang of a vGPU as one line ("" if none). */
void vgt_vgpu_last_hang(struct vgt_vgpu *vgpu, char *buf, size_t len);

/*
 * Device-level reset, as GVT-g's: re-populate the PVINFO page, reset every
 * register to its reset value, invalidate the shadow PTEs, release the
 * vGPU's physical fences, drop a buffered PTE half, the PPGTT roots and the
 * failsafe state, end PVINFO 1.1 (forget the area; a pending re-balloon is
 * cancelled: the vGPU keeps its current slices). Trap counters are kept.
 */
void vgt_vgpu_reset(struct vgt_vgpu *vgpu);
/* Fault injection: replace the whole 4 KiB page. Return: 0, -EINVAL NULL. */
int vgt_vgpu_set_pvinfo(struct vgt_vgpu *vgpu, const void *page);
/*
 * Where the host-half PVINFO field named by the first len bytes of name
 * lives ("magic", "version_major", "version_minor", "vgt_id", "vgt_caps",
 * "mappable_base", "mappable_size", "hidden_base", "hidden_size",
 * "fence_num"), for fault injection with vgt_vgpu_set_pvinfo.
 * Return: 0 with *offset and *size set, or -EINVAL for an unknown name.
 */
int vgt_pvinfo_field(const char *name, size_t len, unsigned int *offset,
		     unsigned int *size);
/* Copy the whole 4 KiB page (no trap, does not mark the guest aware). */
void vgt_vgpu_get_pvinfo(struct vgt_vgpu *vgpu, void *page);
/* What the guest last wrote to display_ready (0 after a reset or for NULL). */
uint32_t vgt_vgpu_display_ready(struct vgt_vgpu *vgpu);

/* The accepted PTE of GGTT page index (0 if none, or not the vGPU's). */
uint64_t vgt_vgpu_shadow_pte(struct vgt_vgpu *vgpu, uint64_t index);
/* Physical fence register i of the host (64-bit value; 0 out of range). */
uint64_t vgt_host_fence(struct vgt_host *host, unsigned int i);

/* GVT-g failsafe: why the vGPU entered it (the first cause sticks). */
enum vgt_failsafe {
	VGT_FAILSAFE_NONE,
	VGT_FAILSAFE_FENCE,	/* fence access accepted before a PVINFO read */
	VGT_FAILSAFE_GFX_MODE,	/* PPGTT/execlists enabled before a PVINFO read */
	VGT_FAILSAFE_INSUFFICIENT_RESOURCE,	/* guest wrote PVINFO rsv5 */
};
bool vgt_vgpu_failsafe(struct vgt_vgpu *vgpu);
enum vgt_failsafe vgt_vgpu_failsafe_cause(struct vgt_vgpu *vgpu);
const char *vgt_failsafe_name(enum vgt_failsafe f);

/*
 * PPGTT roots announced through g2v_notify (L4: pdp[0] is the PML4 root;
 * L3: pdp[0..3]). A create of a known root takes another reference; a
 * destroy drops one. vgt_vgpu_ppgtt_roots counts distinct live roots;
 * vgt_vgpu_ppgtt_root_refs gives the references of one (level 3 or 4; for
 * level 4 only pdp[0] is used), 0 if unknown.
 */
unsigned int vgt_vgpu_ppgtt_roots(struct vgt_vgpu *vgpu);
unsigned int vgt_vgpu_ppgtt_root_refs(struct vgt_vgpu *vgpu, unsigned int level,
				      const uint64_t pdp[4]);

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
/* The reason of the last refusal (VGT_REASON_NONE if none). */
enum vgt_reason vgt_vgpu_last_reason(struct vgt_vgpu *vgpu);

/*
 * The name of the modelled register or range holding BAR0 byte offset
 * ("GEN6_GDRST", "RCS ring", "PVINFO", ...), or NULL where BAR0 is plain
 * storage: a register the model knows nothing about.
 */
const char *vgt_reg_name(uint64_t offset);

/*
 * PVINFO 1.1 (spec/pvinfo-1.1.md): what the vGPU offers and what its guest
 * registered, the slice generation and the last re-balloon.
 */
enum vgt_reslice_state {
	VGT_RESLICE_NONE,		/* none asked since creation */
	VGT_RESLICE_PENDING,		/* posted, the guest has not replied */
	VGT_RESLICE_ACCEPTED,		/* the guest replied 0: new slices */
	VGT_RESLICE_REFUSED,		/* the guest replied an error: old slices */
	VGT_RESLICE_CANCELLED,		/* 1.1 ended first (unregister, reset, new
					 * registration): old slices */
};
/* "none", "pending", "accepted", "refused", "cancelled"; "?" out of range. */
const char *vgt_reslice_state_name(enum vgt_reslice_state s);

struct vgt_pv11_status {
	bool pv11;			/* a 1.1 device (not VGT_REQ_PVINFO_1_0) */
	uint32_t features;		/* offered */
	uint32_t enabled;		/* accepted by a registered guest; 0: 1.0 */
	int32_t error;			/* of the last refused registration, or 0 */
	uint64_t area_gpa;		/* the registered area (0 when none) */
	uint32_t area_pages;
	uint32_t slices_gen;		/* generation of the current assignment */
	enum vgt_reslice_state reslice;	/* the last re-balloon */
	uint32_t reslice_gen;		/* the generation it published */
	int reslice_result;		/* the guest's reply (or -ECANCELED) */
	uint64_t registrations, messages, replies;
};
/* Copy the state (zeroed for NULL). */
void vgt_vgpu_pv11_status(struct vgt_vgpu *vgpu, struct vgt_pv11_status *out);

/*
 * Re-balloon a running vGPU (spec section 16): give it the ranges of to
 * (both classes; each range S1-S5 for its class, sorted, disjoint, at
 * most VGT_MAX_SLICE_RANGES in all, one per class unless the guest
 * accepted VGT_PV11_F_SCATTER). Ranges it does not own yet must be free.
 * The call reserves them, publishes the new table with generation
 * slices_gen + 1 in the guest's area, posts a RESLICE message and raises
 * the vGPU's interrupt (GEN8_GT_IIR(2) bit 31, if unmasked). Until the
 * guest's reply the vGPU may use the union of old and new; a reply of 0
 * commits the new ranges (leftover PTEs in removed ranges are cleared,
 * fences outside are disabled, removed ranges go back to the allocator), an
 * error keeps the old ones (generation + 2). A device reset or an
 * unregistration cancels a pending one.
 * Return: 0 (posted: see vgt_vgpu_reslice_wait), -EINVAL (NULL, bad
 * ranges; msg says which), -EOPNOTSUPP (no registered guest that accepted
 * VGT_PV11_F_RESLICE: a 1.0 guest's slices never change, H-30), -EBUSY (a
 * re-balloon is pending, or the guest's message ring is full), -ENOSPC (a
 * range to add is not free; msg says which), -EFAULT (the area could not
 * be written), -ENOMEM, -ENODEV (destroyed). On error nothing changed.
 */
int vgt_vgpu_reslice(struct vgt_vgpu *vgpu, const struct vgt_slice_ranges *to,
		     char *msg, size_t msg_len);
/*
 * Wait up to timeout_ms for the pending re-balloon (if any) to end; out
 * (may be NULL) gets the state then. Return: 0 (none pending now),
 * -ETIMEDOUT (still pending), -EINVAL (NULL vgpu), -ENODEV (destroyed,
 * also while waiting).
 */
int vgt_vgpu_reslice_wait(struct vgt_vgpu *vgpu, unsigned int timeout_ms,
			  struct vgt_pv11_status *out);
/*
 * Parse a class's ranges "BASE:SIZE[,BASE:SIZE]..." (numbers as strtoull
 * base 0, e.g. 0x8000000:0x4000000) into out->r[c], out->nr[c].
 * Return: 0, or -EINVAL with msg naming the piece.
 */
int vgt_slice_ranges_parse(const char *text, enum vgt_gm_class c,
			   struct vgt_slice_ranges *out, char *msg, size_t msg_len);

/* "success", "invalid argument or access", ...; never NULL. */
const char *vgt_strerror(int err);

#endif /* LIBVGT_H */

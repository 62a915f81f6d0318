/* SPDX-License-Identifier: MIT */
/*
 * libvgt: the host half of PVINFO 1.0 (spec/pvinfo.md) as a userspace
 * library: partition one modelled GPU (Skylake GT2, gen9) among vGPUs,
 * publish a PVINFO page per vGPU, and mediate every trapped access of a
 * vGPU's BAR0 (registers, PVINFO, fences, GGTT PTEs).
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
 *  - Lock order: vGPU mutex -> fence-file mutex. The host mutex is never
 *    taken with a vGPU mutex held.
 *  - Caller's duties: do not destroy a vGPU (or the host) while another
 *    thread still uses it; call vgt_host_set_log before traffic starts.
 *    The log callback runs with the vGPU's mutex held, in the thread that
 *    made the access: it must not call back into libvgt for that vGPU.
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

/* What one vGPU asks for. */
struct vgt_vgpu_request {
	uint64_t aperture;		/* bytes, page multiple, > 0 */
	uint64_t hidden;		/* bytes, page multiple, > 0 */
	unsigned int fences;		/* 1..32 */
	uint64_t guest_mem;		/* the vGPU's first memory map: guest RAM
					 * [0, guest_mem) (page multiple; 0: an
					 * empty map, no frame is valid) */
};

/*
 * GVT-g's types "8" (64/384 MiB, 4 fences), "4" (128/512), "2" (256/1024),
 * "1" (512/2048) or a custom "APERTURE_MIB/HIDDEN_MIB/FENCES". guest_mem is
 * set to VGT_DEFAULT_GUEST_MEM.
 * Return: 0, or -EINVAL for NULL, an unknown or malformed name.
 */
int vgt_type_parse(const char *name, struct vgt_vgpu_request *req);

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
/* NULL is a no-op. Its physical fences are cleared on the host. */
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
 * vGPU's aperture slice is reachable. One trap of class "aperture" per
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

struct vgt_slices {
	unsigned int id;
	uint64_t aperture_base, aperture_size;	/* host GGTT addresses */
	uint64_t hidden_base, hidden_size;
	unsigned int fence_num;
	unsigned int fence_phys[VGT_MAX_FENCES];	/* guest n -> physical */
	uint64_t guest_mem;
};
/* Fixed at creation; zeroed for a NULL vgpu. */
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
	VGT_REASON_NR
};
/* Short token, e.g. "pte-outside"; "?" out of range. */
const char *vgt_reason_name(enum vgt_reason r);
/* The sentence used in log lines, e.g. "fence index beyond fence_num". */
const char *vgt_reason_text(enum vgt_reason r);

struct vgt_traps {
	uint64_t count[VGT_TRAP_NR];	/* every access, accepted or not */
	uint64_t rejected[VGT_TRAP_NR];	/* accesses refused */
	uint64_t reason[VGT_REASON_NR];	/* refusals by reason */
};
/* Copy the counters (zeroed for NULL), then zero them if reset. */
void vgt_vgpu_traps(struct vgt_vgpu *vgpu, struct vgt_traps *out, bool reset);

/*
 * One guest access to BAR0 (size 1, 2, 4 or 8, naturally aligned, inside
 * the 2 MiB MMIO or the GGTT PTE range at 8 MiB): registers, the PVINFO
 * page, fences, GGTT PTEs. Every call is one trap in exactly one class. A
 * refused access changes nothing (reads return *val = 0 then); it is
 * counted as rejected, logged, and returns:
 *   -EINVAL  NULL vgpu/val, bad size/alignment/offset, a table register not
 *            accessed as one dword, a PTE/fence not accessed as 4 or 8
 *            bytes, a PTE high half without its low half;
 *   -EPERM   write to a read-only register, the PVINFO host half or a
 *            reserved PVINFO word;
 *   -ERANGE  PTE index or frame, fence index or fence range outside what
 *            the vGPU owns (a PTE read outside the slices reads 0);
 *   -EPROTO  bad display_ready value or g2v_notify code/root.
 * GGTT PTEs: 8-byte writes are whole PTEs; a 4-byte write of the low half is
 * buffered (one per vGPU) and the PTE is validated and committed only when
 * the high half of the same PTE arrives.
 */
int vgt_mmio_read(struct vgt_vgpu *vgpu, uint64_t offset, unsigned int size,
		  uint64_t *val);
int vgt_mmio_write(struct vgt_vgpu *vgpu, uint64_t offset, unsigned int size,
		   uint64_t val);

/*
 * Device-level reset, as GVT-g's: re-populate the PVINFO page, reset every
 * register to its reset value, invalidate the shadow PTEs, release the
 * vGPU's physical fences, drop a buffered PTE half, the PPGTT roots and the
 * failsafe state. Trap counters are kept.
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
	VGT_FAILSAFE_FENCE,	/* fence register touched before a PVINFO read */
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

/* "success", "invalid argument or access", ...; never NULL. */
const char *vgt_strerror(int err);

#endif /* LIBVGT_H */

/* SPDX-License-Identifier: MIT */
/*
 * Userspace stand-in for i915_drv.h: only what i915_vgpu.c touches, with the
 * member names and types of Linux 6.1 (struct i915_address_space and
 * struct i915_ggtt of gt/intel_gtt.h, struct intel_uncore, the vgpu, uncore,
 * drm and __runtime members of struct drm_i915_private, to_pci_dev() as a
 * container_of() on struct pci_dev's embedded struct device). A change of
 * those types in the guest code's expectations therefore breaks this build
 * the same way it would break the kernel build.
 *
 * Every MMIO access (intel_uncore_*, and readq/readw/readl through a
 * pci_iomap_range() mapping) is routed to the device's backend, which is
 * where the host model counts it as a trap. Members that exist only for the
 * harness are marked so and never read by kernel code.
 */
#ifndef _I915_DRV_H_
#define _I915_DRV_H_

#include "vgpu_shim.h"

#include <drm/drm_mm.h>

#include "i915_vgpu.h"

/* Harness only: where an access lands, as a BAR0 offset of one device. */
struct vgpu_backend_ops {
	u64 (*read)(void *ctx, u64 bar0_offset, unsigned int size);
	/* 0 or the device's refusal; the kernel's writes cannot see it */
	int (*write)(void *ctx, u64 bar0_offset, unsigned int size, u64 val);
};

/* <linux/device.h>: the guest code only passes it to to_pci_dev(). */
struct device {
	const char *init_name;
};

/* <linux/pci.h>: 6.1 embeds the struct device; to_pci_dev() recovers it. */
struct pci_dev {
	struct device dev;
	/* harness only */
	const struct vgpu_backend_ops *ops;
	void *ctx;
	bool fail_iomap;	/* fault injection: pci_iomap_range() fails */
};
#define to_pci_dev(n) container_of(n, struct pci_dev, dev)

/* <drm/drm_device.h> */
struct drm_device {
	struct device *dev;
	/* harness only: what drm_err/drm_info printed, for tests to assert */
	char log[4096];
	size_t log_len;
	bool quiet;		/* capture without printing */
};

/* i915_reg_defs.h */
typedef struct {
	u32 reg;
} i915_reg_t;
#define _MMIO(r) ((const i915_reg_t){ .reg = (r) })

/* intel_uncore.h: the guest code reaches the device through uncore->i915. */
struct intel_uncore {
	void __iomem *regs;
	struct drm_i915_private *i915;
};

/* gt/intel_gtt.h */
#define I915_GTT_PAGE_SIZE_4K BIT_ULL(12)
#define I915_GTT_PAGE_SIZE I915_GTT_PAGE_SIZE_4K

struct i915_gem_ww_ctx;
struct intel_gt;

/* gem/i915_gem_object_types.h: a scratch page's object keeps its PTE. */
struct drm_i915_gem_object {
	u64 encode;
};

struct i915_address_space {
	struct intel_gt *gt;
	struct drm_i915_private *i915;
	struct drm_mm mm;
	u64 total;	/* size addr space maps (ex. 2GB for ggtt) */
	u64 reserved;	/* size addr space reserved */
	struct mutex mutex; /* protects vma and our lists */
	struct drm_i915_gem_object *scratch[4];
};

struct i915_ggtt {
	struct i915_address_space vm;
	resource_size_t mappable_end;	/* End offset that we can CPU map */
};
#define i915_vm_to_ggtt(vm) container_of(vm, struct i915_ggtt, vm)

/* i915_gem_gtt.h */
#define PIN_NOEVICT BIT_ULL(0)

/*
 * Harness only: what a bound VMA is to eviction. Its node has this colour;
 * i915_gem_gtt_reserve() evicts it unless pinned, as 6.1's
 * i915_gem_evict_for_node() does (-ENOSPC for a pinned one).
 */
#define VGPU_SHIM_VMA_COLOR 0x76
struct vgpu_shim_vma {
	struct drm_mm_node node;
	bool pinned;
	unsigned int evicted;	/* times it was evicted */
};

/* <linux/scatterlist.h>, i915_scatterlist.h: a DMA-mapped page list. */
struct scatterlist {
	dma_addr_t dma_address;
	unsigned int dma_length;
};
struct sg_table {
	struct scatterlist *sgl;
	unsigned int nents;
};
struct sgt_iter {
	const struct sg_table *sgt;
	unsigned int i;
	u64 off;
};
static inline bool vgpu_sgt_next(struct sgt_iter *it, dma_addr_t *dp)
{
	while (it->i < it->sgt->nents && it->off >= it->sgt->sgl[it->i].dma_length) {
		it->i++;
		it->off = 0;
	}
	if (it->i >= it->sgt->nents)
		return false;
	*dp = it->sgt->sgl[it->i].dma_address + it->off;
	it->off += I915_GTT_PAGE_SIZE;
	return true;
}
#define for_each_sgt_daddr(__dp, __iter, __sgt) \
	for ((__iter) = (struct sgt_iter){ .sgt = (__sgt) }; \
	     vgpu_sgt_next(&(__iter), &(__dp));)

/* i915_vma_resource.h */
struct i915_vma_resource {
	u64 start;
	u64 node_size;
	struct {
		struct sg_table *pages;
	} bi;
};

/* i915_reg.h */
#define GEN8_GT_IMR(which) _MMIO(0x44304 + (0x10 * (which)))
#define GEN8_GT_IIR(which) _MMIO(0x44308 + (0x10 * (which)))
#define GEN8_GT_IER(which) _MMIO(0x4430c + (0x10 * (which)))

/* intel_device_info.h */
struct ip_version {
	u8 ver;
	u8 rel;
};

struct intel_runtime_info {
	struct {
		struct ip_version ip;
	} graphics;
};

/* gt/intel_gt_types.h */
struct intel_gt {
	struct drm_i915_private *i915;
	struct intel_uncore *uncore;
	spinlock_t *irq_lock;
	u32 pm_imr;
	u32 pm_ier;
	u32 pm_guc_events;	/* bank 2's GuC bits (6.1: bit 31 before gen11) */
};

/* gt/intel_gt_pm_irq.c, the gen8 branch: IER(2), then IMR(2). */
void gen6_gt_pm_enable_irq(struct intel_gt *gt, u32 enable_mask);
void gen6_gt_pm_disable_irq(struct intel_gt *gt, u32 disable_mask);

/* i915_irq.h: no interrupt runs concurrently in the harness. */
#define intel_synchronize_irq(i915) ((void)(i915))

struct drm_i915_private {
	struct drm_device drm;
	struct intel_runtime_info __runtime;
	struct intel_uncore uncore;
	struct i915_virtual_gpu vgpu;
	/* harness only: 6.1 gets here through drm.dev */
	struct pci_dev pdev;
};

#define RUNTIME_INFO(dev_priv) (&(dev_priv)->__runtime)
#define GRAPHICS_VER(i915) (RUNTIME_INFO(i915)->graphics.ip.ver)
#define I915_COLOR_UNEVICTABLE (-1) /* a non-vma sharing the address space */

u32 intel_uncore_read(struct intel_uncore *uncore, i915_reg_t reg);
void intel_uncore_write(struct intel_uncore *uncore, i915_reg_t reg, u32 val);
/* Without forcewake or the uncore lock: the same trap here. */
#define intel_uncore_write_fw(uncore, reg, val) intel_uncore_write(uncore, reg, val)

void __iomem *pci_iomap_range(struct pci_dev *dev, int bar,
			      unsigned long offset, unsigned long maxlen);
void pci_iounmap(struct pci_dev *dev, void __iomem *addr);
u64 readq(const volatile void __iomem *addr);
u32 readl(const volatile void __iomem *addr);
u16 readw(const volatile void __iomem *addr);

int i915_gem_evict_for_node(struct i915_address_space *vm,
			    struct i915_gem_ww_ctx *ww,
			    struct drm_mm_node *target, unsigned int flags);
int i915_gem_gtt_reserve(struct i915_address_space *vm,
			 struct i915_gem_ww_ctx *ww,
			 struct drm_mm_node *node,
			 u64 size, u64 offset, unsigned long color,
			 unsigned int flags);

__printf(3, 4) void vgpu_drm_log(struct drm_device *drm, const char *level,
				 const char *fmt, ...);
#define drm_err(drm, fmt, ...) vgpu_drm_log(drm, "error", fmt, ##__VA_ARGS__)
#define drm_info(drm, fmt, ...) vgpu_drm_log(drm, "info", fmt, ##__VA_ARGS__)
#define drm_WARN_ON(drm, cond) WARN_ON(cond)

#endif /* _I915_DRV_H_ */

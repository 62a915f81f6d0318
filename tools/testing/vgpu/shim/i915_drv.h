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

struct i915_address_space {
	struct drm_mm mm;
	struct drm_i915_private *i915;
	u64 total;	/* size addr space maps (ex. 2GB for ggtt) */
	u64 reserved;	/* size addr space reserved */
};

struct i915_ggtt {
	struct i915_address_space vm;
	resource_size_t mappable_end;	/* End offset that we can CPU map */
};

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

void __iomem *pci_iomap_range(struct pci_dev *dev, int bar,
			      unsigned long offset, unsigned long maxlen);
void pci_iounmap(struct pci_dev *dev, void __iomem *addr);
u64 readq(const volatile void __iomem *addr);
u32 readl(const volatile void __iomem *addr);
u16 readw(const volatile void __iomem *addr);

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

/* SPDX-License-Identifier: MIT */
/*
 * Userspace stand-in for i915_drv.h: only what i915_vgpu.c touches, with
 * the member names and types of Linux 6.1 (struct i915_address_space,
 * struct i915_ggtt, struct drm_i915_private's vgpu and uncore).
 *
 * Every MMIO access (intel_uncore_*, and readq/readw/readl through a
 * pci_iomap_range() mapping) is routed to the device's backend, which is
 * where the host model counts it as a trap.
 */
#ifndef _I915_DRV_H_
#define _I915_DRV_H_

#include "vgpu_shim.h"

#include <drm/drm_mm.h>

#include "i915_vgpu.h"

/* Where an access lands: a BAR0 offset of one device. */
struct vgpu_backend_ops {
	u64 (*read)(void *ctx, u64 bar0_offset, unsigned int size);
	void (*write)(void *ctx, u64 bar0_offset, unsigned int size, u64 val);
};

struct pci_dev {
	const struct vgpu_backend_ops *ops;
	void *ctx;
	bool fail_iomap;	/* fault injection: pci_iomap_range fails */
};

struct drm_device {
	struct pci_dev *dev;	/* 6.1 has a struct device; one level is enough */
	char log[4096];		/* what drm_err/drm_info printed, for tests */
	size_t log_len;
	bool quiet;
};

#define to_pci_dev(d) (d)

typedef struct {
	u32 reg;
} i915_reg_t;
#define _MMIO(r) ((const i915_reg_t){ .reg = (r) })

struct intel_uncore {
	struct drm_i915_private *i915;
};

struct i915_address_space {
	struct drm_mm mm;
	struct drm_i915_private *i915;
	u64 total;
	u64 reserved;
};

struct i915_ggtt {
	struct i915_address_space vm;
	resource_size_t mappable_end;
};

struct drm_i915_private {
	struct drm_device drm;
	struct pci_dev pdev;
	unsigned int graphics_ver;
	struct intel_uncore uncore;
	struct i915_virtual_gpu vgpu;
};

#define GRAPHICS_VER(i915) ((i915)->graphics_ver)
#define I915_GTT_PAGE_SIZE 4096ULL
#define I915_COLOR_UNEVICTABLE (-1)

u32 intel_uncore_read(struct intel_uncore *uncore, i915_reg_t reg);
void intel_uncore_write(struct intel_uncore *uncore, i915_reg_t reg, u32 val);

void __iomem *pci_iomap_range(struct pci_dev *pdev, int bar,
			      unsigned long offset, unsigned long maxlen);
void pci_iounmap(struct pci_dev *pdev, void __iomem *addr);
u64 readq(const void __iomem *addr);
u32 readl(const void __iomem *addr);
u16 readw(const void __iomem *addr);

int i915_gem_gtt_reserve(struct i915_address_space *vm, void *ww,
			 struct drm_mm_node *node, u64 size, u64 offset,
			 unsigned long color, unsigned int flags);

__printf(3, 4) void vgpu_drm_log(struct drm_device *drm, const char *level,
				 const char *fmt, ...);
#define drm_err(drm, fmt, ...) vgpu_drm_log(drm, "error", fmt, ##__VA_ARGS__)
#define drm_info(drm, fmt, ...) vgpu_drm_log(drm, "info", fmt, ##__VA_ARGS__)
#define drm_WARN_ON(drm, cond) WARN_ON(cond)

#endif /* _I915_DRV_H_ */

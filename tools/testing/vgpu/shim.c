// SPDX-License-Identifier: MIT
/*
 * Runtime of the kernel stand-ins: logging, counted allocation, and the
 * routing of MMIO to a device's backend.
 *
 * pci_iomap_range() has to return a pointer the guest code can do address
 * arithmetic on (pvinfo + vgtif_offset(x)), so each mapping is a real
 * allocation of the mapped length, remembered in a small table; readq/l/w
 * find the mapping an address falls in and turn it back into a BAR0 offset.
 */
#include <stdarg.h>

#include "i915_drv.h"

_Atomic unsigned long vgpu_shim_warnings;
static _Atomic long live_allocations;

void vgpu_shim_warn(const char *file, int line, const char *cond)
{
	vgpu_shim_warnings++;
	fprintf(stderr, "WARNING: %s:%d: %s\n", file, line, cond);
}

void *vgpu_shim_kmalloc(size_t size)
{
	void *p = malloc(size);

	if (p)
		live_allocations++;
	return p;
}

void vgpu_shim_kfree(const void *p)
{
	if (p)
		live_allocations--;
	free((void *)p);
}

long vgpu_shim_live_allocations(void)
{
	return live_allocations;
}

void drm_printf(struct drm_printer *p, const char *fmt, ...)
{
	va_list ap;

	(void)p;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

void vgpu_drm_log(struct drm_device *drm, const char *level,
		  const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (!drm->quiet)
		fprintf(stderr, "[drm:%s] %s", level, line);
	n = snprintf(drm->log + drm->log_len, sizeof(drm->log) - drm->log_len,
		     "%s: %s", level, line);
	if (n > 0 && drm->log_len + (size_t)n < sizeof(drm->log))
		drm->log_len += n;
}

#define MAX_MAPPINGS 64

static struct mapping {
	char *base;
	unsigned long len;
	unsigned long bar_offset;
	struct pci_dev *pdev;
} mappings[MAX_MAPPINGS];
static pthread_mutex_t mappings_lock = PTHREAD_MUTEX_INITIALIZER;

void __iomem *pci_iomap_range(struct pci_dev *pdev, int bar,
			      unsigned long offset, unsigned long maxlen)
{
	void *base = NULL;
	int i;

	if (bar != 0 || pdev->fail_iomap || !maxlen)
		return NULL;

	pthread_mutex_lock(&mappings_lock);
	for (i = 0; i < MAX_MAPPINGS; i++) {
		if (mappings[i].base)
			continue;
		base = calloc(1, maxlen);
		if (base)
			mappings[i] = (struct mapping){ base, maxlen, offset, pdev };
		break;
	}
	pthread_mutex_unlock(&mappings_lock);
	return base;
}

void pci_iounmap(struct pci_dev *pdev, void __iomem *addr)
{
	int i;

	pthread_mutex_lock(&mappings_lock);
	for (i = 0; i < MAX_MAPPINGS; i++) {
		if (mappings[i].base == addr && mappings[i].pdev == pdev) {
			free(mappings[i].base);
			mappings[i].base = NULL;
			break;
		}
	}
	pthread_mutex_unlock(&mappings_lock);
}

static u64 iomem_read(const volatile void __iomem *addr, unsigned int size)
{
	const char *p = (const char *)addr;	/* MMIO here is plain memory */
	struct mapping m = { 0 };
	int i;

	pthread_mutex_lock(&mappings_lock);
	for (i = 0; i < MAX_MAPPINGS; i++) {
		if (mappings[i].base && p >= mappings[i].base &&
		    p + size <= mappings[i].base + mappings[i].len) {
			m = mappings[i];
			break;
		}
	}
	pthread_mutex_unlock(&mappings_lock);

	if (!m.base) {
		vgpu_shim_warn(__FILE__, __LINE__, "read outside any mapping");
		return ~0ULL;
	}
	return m.pdev->ops->read(m.pdev->ctx, m.bar_offset + (p - m.base), size);
}

u64 readq(const volatile void __iomem *addr)
{
	return iomem_read(addr, 8);
}

u32 readl(const volatile void __iomem *addr)
{
	return iomem_read(addr, 4);
}

u16 readw(const volatile void __iomem *addr)
{
	return iomem_read(addr, 2);
}

u32 intel_uncore_read(struct intel_uncore *uncore, i915_reg_t reg)
{
	struct pci_dev *pdev = &uncore->i915->pdev;

	return pdev->ops->read(pdev->ctx, reg.reg, 4);
}

void intel_uncore_write(struct intel_uncore *uncore, i915_reg_t reg, u32 val)
{
	struct pci_dev *pdev = &uncore->i915->pdev;

	pdev->ops->write(pdev->ctx, reg.reg, 4, val);
}

/* 6.1 reserves through the GGTT's drm_mm; eviction never applies here. */
int i915_gem_gtt_reserve(struct i915_address_space *vm, struct i915_gem_ww_ctx *ww,
			 struct drm_mm_node *node, u64 size, u64 offset,
			 unsigned long color, unsigned int flags)
{
	(void)ww;
	(void)flags;
	node->size = size;
	node->start = offset;
	node->color = color;
	return drm_mm_reserve_node(&vm->mm, node);
}

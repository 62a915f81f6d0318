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
#include <time.h>

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

void *vgpu_shim_kzalloc(size_t size)
{
	void *p = vgpu_shim_kmalloc(size);

	if (p)
		memset(p, 0, size);
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

/*
 * 6.1's i915_gem_evict_for_node() for the harness's VMAs: everything in
 * the range must be an unpinned VMA (else -ENOSPC, nothing evicted); each
 * is unbound (its node removed; on gen9 6.1's clear_range is a no-op).
 */
static int evict_for_node(struct i915_address_space *vm, u64 start, u64 end)
{
	struct drm_mm_node *n, *next;

	drm_mm_for_each_node_in_range(n, &vm->mm, start, end) {
		struct vgpu_shim_vma *vma = container_of(n, struct vgpu_shim_vma, node);

		if (n->color != VGPU_SHIM_VMA_COLOR || vma->pinned)
			return -ENOSPC;
	}
	for (n = __drm_mm_interval_first(&vm->mm, start, end - 1);
	     n->start < end; n = next) {
		next = list_next_entry(n, node_list);
		container_of(n, struct vgpu_shim_vma, node)->evicted++;
		drm_mm_remove_node(n);
		if (&next->node_list == &vm->mm.head_node.node_list)
			break;
	}
	return 0;
}

int i915_gem_evict_for_node(struct i915_address_space *vm, struct i915_gem_ww_ctx *ww,
			    struct drm_mm_node *target, unsigned int flags)
{
	(void)ww;
	(void)flags;
	return evict_for_node(vm, target->start, target->start + target->size);
}

/* 6.1 reserves through the GGTT's drm_mm, evicting unless PIN_NOEVICT. */
int i915_gem_gtt_reserve(struct i915_address_space *vm, struct i915_gem_ww_ctx *ww,
			 struct drm_mm_node *node, u64 size, u64 offset,
			 unsigned long color, unsigned int flags)
{
	int err;

	(void)ww;
	node->size = size;
	node->start = offset;
	node->color = color;
	err = drm_mm_reserve_node(&vm->mm, node);
	if (err != -ENOSPC || (flags & PIN_NOEVICT))
		return err;
	err = evict_for_node(vm, offset, offset + size);
	if (!err)
		err = drm_mm_reserve_node(&vm->mm, node);
	return err;
}

ktime_t ktime_get(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ktime_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void udelay(unsigned long usecs)
{
	struct timespec ts = { 0, (long)usecs * 1000 };

	nanosleep(&ts, NULL);
}

static struct {
	u8 *virt;
	u64 gpa, size, used;
} dma_ram;
bool vgpu_shim_fail_dma_alloc;
long vgpu_shim_live_dma;

void vgpu_shim_set_dma_ram(void *virt, u64 gpa, u64 size)
{
	dma_ram.virt = virt;
	dma_ram.gpa = gpa;
	dma_ram.size = size;
	dma_ram.used = 0;
}

/* A bump allocator, naturally aligned (size a power of two): no reuse. */
void *dma_alloc_coherent(struct device *dev, size_t size, dma_addr_t *dma, gfp_t gfp)
{
	u64 align = PAGE_SIZE, at;

	(void)dev;
	(void)gfp;
	while (align < size)
		align <<= 1;
	at = (dma_ram.used + align - 1) & ~(align - 1);
	if (vgpu_shim_fail_dma_alloc || !dma_ram.virt || at + size > dma_ram.size)
		return NULL;
	memset(dma_ram.virt + at, 0, size);
	dma_ram.used = at + size;
	*dma = dma_ram.gpa + at;
	vgpu_shim_live_dma++;
	return dma_ram.virt + at;
}

void dma_free_coherent(struct device *dev, size_t size, void *virt, dma_addr_t dma)
{
	(void)dev;
	(void)size;
	if (!virt)
		return;
	WARN_ON(dma != dma_ram.gpa + ((u8 *)virt - dma_ram.virt));
	vgpu_shim_live_dma--;
}

#define MAX_WORK 16
static struct work_struct *pending_work[MAX_WORK];

bool schedule_delayed_work(struct delayed_work *dwork, unsigned long delay)
{
	unsigned int i, free = MAX_WORK;

	(void)delay;
	for (i = 0; i < MAX_WORK; i++) {
		if (pending_work[i] == &dwork->work)
			return false;
		if (!pending_work[i] && free == MAX_WORK)
			free = i;
	}
	if (WARN_ON(free == MAX_WORK))
		return false;
	pending_work[free] = &dwork->work;
	return true;
}

bool cancel_delayed_work_sync(struct delayed_work *dwork)
{
	unsigned int i;

	for (i = 0; i < MAX_WORK; i++) {
		if (pending_work[i] == &dwork->work) {
			pending_work[i] = NULL;
			return true;
		}
	}
	return false;
}

unsigned int vgpu_shim_run_work(void)
{
	unsigned int i, ran = 0;

	for (i = 0; i < MAX_WORK; i++) {
		struct work_struct *w = pending_work[i];

		if (!w)
			continue;
		pending_work[i] = NULL;
		w->func(w);
		ran++;
	}
	return ran;
}

/* gt/intel_gt_pm_irq.c on gen8-10: pm_ier to IER(2), pm_imr to IMR(2). */
void gen6_gt_pm_enable_irq(struct intel_gt *gt, u32 enable_mask)
{
	gt->pm_ier |= enable_mask;
	intel_uncore_write(gt->uncore, GEN8_GT_IER(2), gt->pm_ier);
	gt->pm_imr &= ~enable_mask;
	intel_uncore_write(gt->uncore, GEN8_GT_IMR(2), gt->pm_imr);
}

void gen6_gt_pm_disable_irq(struct intel_gt *gt, u32 disable_mask)
{
	gt->pm_ier &= ~disable_mask;
	gt->pm_imr |= disable_mask;
	intel_uncore_write(gt->uncore, GEN8_GT_IMR(2), gt->pm_imr);
	intel_uncore_write(gt->uncore, GEN8_GT_IER(2), gt->pm_ier);
}

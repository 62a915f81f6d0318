/* SPDX-License-Identifier: MIT */
/*
 * The kernel facilities that the unchanged drm_mm.c, lib/rbtree.c and
 * i915_vgpu.c use, in userspace. Each <linux/...> stand-in in this
 * directory keeps the real header's include guard and includes this file,
 * so a real kernel header can never be pulled in beside it.
 */
#ifndef VGPU_SHIM_H
#define VGPU_SHIM_H

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/compiler.h>
#include <linux/container_of.h>
#include <linux/types.h>

typedef u64 phys_addr_t;	/* CONFIG_PHYS_ADDR_T_64BIT */
typedef phys_addr_t resource_size_t;
typedef uint32_t gfp_t;
typedef unsigned int depot_stack_handle_t;
#define GFP_KERNEL 0u

#define U64_MAX UINT64_MAX
#define EXPORT_SYMBOL(sym)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define BIT_ULL(n) (1ULL << (n))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)
#define SZ_1K 0x400
#define min(a, b) ((a) < (b) ? (a) : (b))
#define max(a, b) ((a) > (b) ? (a) : (b))
#define is_power_of_2(n) ((n) != 0 && (((n) & ((n) - 1)) == 0))

static inline u64 div64_u64_rem(u64 dividend, u64 divisor, u64 *remainder)
{
	*remainder = dividend % divisor;
	return dividend / divisor;
}

/* Bit operations on unsigned long arrays, as drm_mm's flags use them. */
#define BITS_PER_LONG (8 * sizeof(unsigned long))
static inline void __set_bit(unsigned int nr, unsigned long *addr)
{
	addr[nr / BITS_PER_LONG] |= 1UL << (nr % BITS_PER_LONG);
}
static inline void __clear_bit(unsigned int nr, unsigned long *addr)
{
	addr[nr / BITS_PER_LONG] &= ~(1UL << (nr % BITS_PER_LONG));
}
static inline bool test_bit(unsigned int nr, const unsigned long *addr)
{
	return addr[nr / BITS_PER_LONG] & (1UL << (nr % BITS_PER_LONG));
}
#define clear_bit_unlock(nr, addr) __clear_bit(nr, addr)

/* Failures are reported and counted, never fatal: tests assert on them. */
extern _Atomic unsigned long vgpu_shim_warnings;
void vgpu_shim_warn(const char *file, int line, const char *cond);
#define WARN(cond, ...) ({ \
	bool __c = !!(cond); \
	if (__c) vgpu_shim_warn(__FILE__, __LINE__, #cond); \
	__c; })
#define WARN_ON(cond) WARN(cond, "")
#define BUG_ON(cond) WARN_ON(cond)
#define BUILD_BUG_ON_INVALID(e) ((void)(sizeof((long)(e))))

/* Allocation: counted so tests can see a leak and can fail chosen ones. */
void *vgpu_shim_kmalloc(size_t size);
void *vgpu_shim_kzalloc(size_t size);
void vgpu_shim_kfree(const void *p);
#define kmalloc(size, gfp) vgpu_shim_kmalloc(size)
#define kzalloc(size, gfp) vgpu_shim_kzalloc(size)
#define kfree(p) vgpu_shim_kfree(p)

/* struct list_head and the helpers drm_mm.c uses. */
struct list_head {
	struct list_head *next, *prev;
};
static inline void INIT_LIST_HEAD(struct list_head *list)
{
	list->next = list;
	list->prev = list;
}
static inline void __list_add(struct list_head *new, struct list_head *prev,
			      struct list_head *next)
{
	next->prev = new;
	new->next = next;
	new->prev = prev;
	prev->next = new;
}
static inline void list_add(struct list_head *new, struct list_head *head)
{
	__list_add(new, head, head->next);
}
static inline void list_add_tail(struct list_head *new, struct list_head *head)
{
	__list_add(new, head->prev, head);
}
static inline void __list_del_entry(struct list_head *entry)
{
	entry->next->prev = entry->prev;
	entry->prev->next = entry->next;
}
static inline void list_del(struct list_head *entry)
{
	__list_del_entry(entry);
	entry->next = NULL;
	entry->prev = NULL;
}
static inline void list_replace(struct list_head *old, struct list_head *new)
{
	new->next = old->next;
	new->next->prev = new;
	new->prev = old->prev;
	new->prev->next = new;
}
static inline bool list_empty(const struct list_head *head)
{
	return head->next == head;
}
#define list_entry(ptr, type, member) container_of(ptr, type, member)
#define list_first_entry(ptr, type, member) list_entry((ptr)->next, type, member)
#define list_first_entry_or_null(ptr, type, member) \
	(list_empty(ptr) ? NULL : list_first_entry(ptr, type, member))
#define list_next_entry(pos, member) \
	list_entry((pos)->member.next, __typeof__(*(pos)), member)
#define list_prev_entry(pos, member) \
	list_entry((pos)->member.prev, __typeof__(*(pos)), member)
#define list_for_each(pos, head) \
	for (pos = (head)->next; pos != (head); pos = pos->next)
#define list_for_each_entry(pos, head, member) \
	for (pos = list_first_entry(head, __typeof__(*pos), member); \
	     &pos->member != (head); pos = list_next_entry(pos, member))

/* Locks: a real mutex, so TSan sees what the guest code serialises. */
struct mutex {
	pthread_mutex_t m;
};
#define mutex_init(l) pthread_mutex_init(&(l)->m, NULL)
#define mutex_lock(l) pthread_mutex_lock(&(l)->m)
#define mutex_unlock(l) pthread_mutex_unlock(&(l)->m)
#define mutex_destroy(l) pthread_mutex_destroy(&(l)->m)

/* Printing: drm_mm's error paths and dumps. */
struct drm_printer {
	void *arg;
};
__printf(2, 3) void drm_printf(struct drm_printer *p, const char *fmt, ...);
#define DRM_ERROR(fmt, ...) fprintf(stderr, "drm_mm: " fmt, ##__VA_ARGS__)

/* Locks: spinlocks as mutexes (the harness has no interrupts to mask). */
typedef struct {
	pthread_mutex_t m;
} spinlock_t;
#define spin_lock_init(l) pthread_mutex_init(&(l)->m, NULL)
#define spin_lock_irqsave(l, flags) ((void)(flags = 0), pthread_mutex_lock(&(l)->m))
#define spin_unlock_irqrestore(l, flags) ((void)(flags), pthread_mutex_unlock(&(l)->m))
#define spin_lock_irq(l) pthread_mutex_lock(&(l)->m)
#define spin_unlock_irq(l) pthread_mutex_unlock(&(l)->m)
#define mutex_trylock(l) (pthread_mutex_trylock(&(l)->m) == 0)
/* Held by someone: the harness cannot tell whom, but it can tell if not. */
#define lockdep_assert_held(l) \
	WARN_ON(pthread_mutex_trylock(&(l)->m) == 0 && !pthread_mutex_unlock(&(l)->m))

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define lower_32_bits(n) ((u32)((n) & 0xffffffff))
#define upper_32_bits(n) ((u32)((u64)(n) >> 32))
#define min_t(t, a, b) ((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define ilog2(n) ((n) ? 63 - __builtin_clzll(n) : -1)
/* x86, as the kernel's: stores and loads stay in order, the compiler must too. */
#define dma_wmb() __asm__ __volatile__("" : : : "memory")
#define dma_rmb() __asm__ __volatile__("" : : : "memory")

/* Time: the monotonic clock, in ns. */
typedef s64 ktime_t;
ktime_t ktime_get(void);
#define ktime_add_ms(t, ms) ((t) + (s64)(ms) * 1000000)
#define ktime_after(a, b) ((a) > (b))
void udelay(unsigned long usecs);

/*
 * DMA memory: carved out of the RAM a test hands over
 * (vgpu_shim_set_dma_ram), naturally aligned, zeroed, so the host model
 * reaches it at its guest-physical address (no IOMMU).
 */
struct device;
typedef u64 dma_addr_t;
void *dma_alloc_coherent(struct device *dev, size_t size, dma_addr_t *dma, gfp_t gfp);
void dma_free_coherent(struct device *dev, size_t size, void *virt, dma_addr_t dma);
/* Harness only: [virt, virt + size) is guest RAM at gpa; fail: next allocations fail. */
void vgpu_shim_set_dma_ram(void *virt, u64 gpa, u64 size);
extern bool vgpu_shim_fail_dma_alloc;
extern long vgpu_shim_live_dma;

/*
 * Deferred work: queued, and run when the test says the kernel's worker
 * would (vgpu_shim_run_work), in the test's thread.
 */
struct work_struct {
	void (*func)(struct work_struct *work);
};
struct delayed_work {
	struct work_struct work;
};
#define INIT_DELAYED_WORK(w, f) ((w)->work.func = (f))
#define to_delayed_work(w) container_of(w, struct delayed_work, work)
bool schedule_delayed_work(struct delayed_work *dwork, unsigned long delay);
bool cancel_delayed_work_sync(struct delayed_work *dwork);
/* Harness only: run what is queued; returns how many ran. */
unsigned int vgpu_shim_run_work(void);

#endif /* VGPU_SHIM_H */

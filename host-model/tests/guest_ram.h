/* SPDX-License-Identifier: MIT */
/*
 * A guest's RAM for tests and the harness: a few malloc'd regions at
 * guest-physical addresses, given to a vGPU as its memory map and as the
 * transport ops libvgt reads, writes and interrupts through (what
 * vgt-hostd does over vfio-user DMA regions). Counts what libvgt did, and
 * can make the next accesses fail to model memory the VMM withdrew.
 */
#ifndef GUEST_RAM_H
#define GUEST_RAM_H

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "libvgt.h"

#define GUEST_RAM_MAX 4

struct guest_ram {
	struct vgt_mem_region region[GUEST_RAM_MAX];
	uint8_t *bytes[GUEST_RAM_MAX];
	unsigned int n;
	atomic_ulong reads, writes, irqs, bad;	/* bad: asked outside the map */
	atomic_bool fail;			/* every access returns -EFAULT */
	pthread_mutex_t irq_lock;
	pthread_cond_t irq_cond;
};

/* Add [gpa, gpa + size) of zeroed RAM. Return: 0 or -ENOMEM/-EINVAL. */
static inline int guest_ram_add(struct guest_ram *r, uint64_t gpa, uint64_t size)
{
	if (r->n == GUEST_RAM_MAX)
		return -EINVAL;
	r->bytes[r->n] = calloc(1, size);
	if (!r->bytes[r->n])
		return -ENOMEM;
	r->region[r->n++] = (struct vgt_mem_region){ gpa, size };
	return 0;
}

/* The host pointer of [gpa, gpa + len), or NULL if not wholly in one region. */
static inline uint8_t *guest_ram_ptr(struct guest_ram *r, uint64_t gpa, size_t len)
{
	unsigned int i;

	for (i = 0; i < r->n; i++)
		if (gpa >= r->region[i].gpa && gpa - r->region[i].gpa < r->region[i].size &&
		    len <= r->region[i].size - (gpa - r->region[i].gpa))
			return r->bytes[i] + (gpa - r->region[i].gpa);
	return NULL;
}

static inline int guest_ram_read(void *priv, uint64_t gpa, void *buf, size_t len)
{
	struct guest_ram *r = priv;
	uint8_t *p = guest_ram_ptr(r, gpa, len);

	if (!p) {
		r->bad++;
		return -EFAULT;
	}
	if (r->fail)
		return -EFAULT;
	r->reads++;
	memcpy(buf, p, len);
	return 0;
}

static inline int guest_ram_write(void *priv, uint64_t gpa, const void *buf, size_t len)
{
	struct guest_ram *r = priv;
	uint8_t *p = guest_ram_ptr(r, gpa, len);

	if (!p) {
		r->bad++;
		return -EFAULT;
	}
	if (r->fail)
		return -EFAULT;
	r->writes++;
	memcpy(p, buf, len);
	return 0;
}

static inline void guest_ram_irq(void *priv, unsigned int vector)
{
	struct guest_ram *r = priv;

	(void)vector;
	pthread_mutex_lock(&r->irq_lock);
	r->irqs++;
	pthread_cond_broadcast(&r->irq_cond);
	pthread_mutex_unlock(&r->irq_lock);
}

static const struct vgt_vgpu_ops guest_ram_ops = {
	.read = guest_ram_read, .write = guest_ram_write, .raise_irq = guest_ram_irq,
};

static inline void guest_ram_init(struct guest_ram *r)
{
	memset(r, 0, sizeof(*r));
	pthread_mutex_init(&r->irq_lock, NULL);
	pthread_cond_init(&r->irq_cond, NULL);
}

/* Give the vGPU this RAM: its memory map and the ops. */
static inline int guest_ram_attach(struct guest_ram *r, struct vgt_vgpu *v)
{
	int err = vgt_vgpu_set_memory_map(v, r->region, r->n);

	return err ? err : vgt_vgpu_set_ops(v, &guest_ram_ops, r);
}

static inline void guest_ram_free(struct guest_ram *r)
{
	unsigned int i;

	for (i = 0; i < r->n; i++)
		free(r->bytes[i]);
	pthread_cond_destroy(&r->irq_cond);
	pthread_mutex_destroy(&r->irq_lock);
	r->n = 0;
}

#endif /* GUEST_RAM_H */

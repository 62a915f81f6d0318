// SPDX-License-Identifier: MIT
/*
 * The emulated gen9 PCI function of one vGPU, served over vfio-user with
 * libvfio-user. The device model is libvgt's: each BAR0 access the guest
 * makes is one libvgt trap (registers, PVINFO, fences, GGTT PTEs), each
 * BAR2 access one aperture trap, so the host validates and counts exactly
 * what it would on real GVT-g. This file only plumbs: it gives libvgt the
 * guest's memory (the DMA regions QEMU shares with us, as the guest's
 * memory map and as read/write ops) and its interrupt (MSI through
 * vfu_irq_trigger), as a QEMU device calls pci_dma_read and msi_notify.
 *
 * Threading: one thread serves one device (vgpu_dev_serve); libvfio-user
 * calls every callback of a context from that thread. libvgt may use the
 * memory ops from its execution worker too, so the DMA table is under a
 * rwlock (the serving thread writes it when QEMU maps or unmaps RAM), and
 * an interrupt is handed to the serving thread through an eventfd, which
 * then triggers it: libvfio-user's context is never used from two threads.
 * The counters are atomics because the main thread prints them on SIGUSR1.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <linux/pci_regs.h>
#include <vfio-user/libvfio-user.h>

#include "hostd_status.h"
#include "vgpu_dev.h"
#include "vgt_audit.h"

#define PVINFO_PAGE_BYTES	4096	/* what vgt_vgpu_get_pvinfo copies */
#define PCI_VENDOR_INTEL	0x8086
#define SKL_REVISION		0x07	/* >= 6: not a pre-production part */
#define GEN6_GMCH_CTRL		0x50	/* GGC (16 bits): the platform's GGTT size */
#define MSI_CAP_POS		0x90	/* as on a real IGD: clear of 0x50-0x5f */
#define MSI_CAP_SIZE		0x0e	/* 64-bit address, no per-vector mask */
#define APERTURE_SIZE		(256 * VGT_MIB)
#define GGTT_PAGE		4096u
#define MAX_DMA_REGIONS		VGT_MAX_MEM_REGIONS

struct dma_region {
	uint64_t iova, len;
	uint8_t *vaddr;
};

struct vgpu_dev {
	struct vgt_vgpu *vgpu;	/* its slices may change (1.1): asked, never kept */
	vfu_ctx_t *ctx;
	char name[16];
	char socket[256];
	struct vgpu_fault fault;
	pthread_rwlock_t dma_lock;		/* the table below */
	struct dma_region dma[MAX_DMA_REGIONS];
	unsigned int nr_dma;
	int irq_fd;				/* eventfd: libvgt raised the MSI */
	uint8_t classified[VGT_MMIO_SIZE / 4 / 8];	/* dwords looked up once */
	/*
	 * Written only by the serving thread, read by the main thread too:
	 * atomics for the reads, no read-modify-write needed.
	 */
	atomic_uint_fast64_t unmodelled, irqs;
	atomic_uint_fast64_t pte_lo, pte_hi;	/* GGTT pages of PTE traps */
	atomic_uint_fast64_t ap_lo, ap_hi;	/* aperture bytes accessed */
	bool client;		/* attached, not yet lost (serving thread only) */
	uint64_t spin_ns;	/* poll this long before sleeping (serving thread) */
	/* For the status record of a session (serving thread only). */
	unsigned int id, sessions;
	uint32_t reset_display_ready;	/* as the last reset found them */
	unsigned int reset_ppgtt_roots;
};

int vgpu_fault_parse(const char *spec, struct vgpu_fault *fault, char *msg,
		     size_t msg_len)
{
	const char *eq = strchr(spec, '=');
	unsigned long long value;
	char *end;

	memset(fault, 0, sizeof(*fault));
	if (!eq) {
		snprintf(msg, msg_len, "malformed PVINFO fault '%s': want FIELD=VALUE", spec);
		return -EINVAL;
	}
	/* Decimal or 0x hex; no sign, space or octal (strtoull would take them). */
	errno = 0;
	value = strtoull(eq + 1, &end,
			 eq[1] == '0' && (eq[2] == 'x' || eq[2] == 'X') ? 16 : 10);
	if (errno || eq[1] < '0' || eq[1] > '9' || *end) {
		snprintf(msg, msg_len, "PVINFO fault '%s': value '%s' is not a number",
			 spec, eq + 1);
		return -EINVAL;
	}
	if (vgt_pvinfo_field(spec, eq - spec, &fault->offset, &fault->size)) {
		snprintf(msg, msg_len, "PVINFO fault: unknown field '%.*s'",
			 (int)(eq - spec), spec);
		return -EINVAL;
	}
	if (fault->size < 8 && value >> (8 * fault->size)) {
		snprintf(msg, msg_len, "PVINFO fault: %.*s is %u bytes, %#llx does not fit",
			 (int)(eq - spec), spec, fault->size, value);
		return -EINVAL;
	}
	fault->field = spec;
	fault->value = value;
	return 0;
}

/* Publish the wrong word again: a device reset re-populates the page. */
static void apply_fault(struct vgpu_dev *d)
{
	uint8_t page[PVINFO_PAGE_BYTES];

	if (!d->fault.field)
		return;
	vgt_vgpu_get_pvinfo(d->vgpu, page);
	memcpy(page + d->fault.offset, &d->fault.value, d->fault.size);
	vgt_vgpu_set_pvinfo(d->vgpu, page);
}

/* Widen [*lo, *hi] to hold [first, last] (single writer). */
static void span_add(atomic_uint_fast64_t *lo, atomic_uint_fast64_t *hi,
		     uint64_t first, uint64_t last)
{
	if (first < atomic_load_explicit(lo, memory_order_relaxed))
		atomic_store_explicit(lo, first, memory_order_relaxed);
	if (last > atomic_load_explicit(hi, memory_order_relaxed))
		atomic_store_explicit(hi, last, memory_order_relaxed);
}

static void bump(atomic_uint_fast64_t *c)
{
	atomic_store_explicit(c, atomic_load_explicit(c, memory_order_relaxed) + 1,
			      memory_order_relaxed);
}

/*
 * Log the first access to each register the model knows nothing about.
 * Each dword is looked up in libvgt's table once; after that a trap costs
 * one bit test here.
 */
static void note_register(struct vgpu_dev *d, uint64_t off, unsigned int size,
			  bool is_write, uint64_t val)
{
	uint64_t dw = off / 4;

	const struct vgt_platform_info *p = vgt_vgpu_platform(d->vgpu);

	if (off >= p->mmio_size) {
		if (off >= p->gsm_offset)
			span_add(&d->pte_lo, &d->pte_hi, (off - p->gsm_offset) / p->pte_bytes,
				 (off - p->gsm_offset) / p->pte_bytes);
		return;
	}
	if (d->classified[dw / 8] & (1u << (dw % 8)))
		return;
	d->classified[dw / 8] |= 1u << (dw % 8);
	if (vgt_reg_name(off))
		return;
	bump(&d->unmodelled);
	hostd_log("%s: unmodelled register %#07llx: first %s of %u bytes, value %#llx",
		  d->name, (unsigned long long)off, is_write ? "write" : "read", size,
		  (unsigned long long)val);
}

/* The largest naturally aligned access of at most 8 bytes at off. */
static unsigned int piece(uint64_t off, size_t left)
{
	unsigned int sz = 8;

	while (sz > 1 && ((off & (sz - 1)) || sz > left))
		sz /= 2;
	return sz;
}

static ssize_t bar0_access(vfu_ctx_t *ctx, char *buf, size_t count,
			   loff_t offset, bool is_write)
{
	struct vgpu_dev *d = vfu_get_private(ctx);
	size_t done = 0;

	while (done < count) {
		uint64_t off = (uint64_t)offset + done, val = 0;
		unsigned int sz = piece(off, count - done);

		/*
		 * A refused access reads 0 and writes nothing, as on the bus;
		 * libvgt has counted and logged it.
		 */
		if (is_write) {
			memcpy(&val, buf + done, sz);
			vgt_mmio_write(d->vgpu, off, sz, val);
		} else {
			vgt_mmio_read(d->vgpu, off, sz, &val);
			memcpy(buf + done, &val, sz);
		}
		note_register(d, off, sz, is_write, val);
		done += sz;
	}
	return count;
}

/* Under dma_lock: the mapped bytes [gpa, gpa + len), all in one region. */
static uint8_t *guest_ram(struct vgpu_dev *d, uint64_t gpa, size_t len)
{
	unsigned int i;

	for (i = 0; i < d->nr_dma; i++) {
		const struct dma_region *r = &d->dma[i];

		if (r->vaddr && gpa >= r->iova && gpa - r->iova < r->len &&
		    len <= r->len - (gpa - r->iova))
			return r->vaddr + (gpa - r->iova);
	}
	return NULL;
}

/* libvgt's ops: guest memory is QEMU's shared RAM, the DMA regions. */
static int mem_access(void *priv, uint64_t gpa, void *buf, size_t len, bool is_write)
{
	struct vgpu_dev *d = priv;
	uint8_t *ram;

	pthread_rwlock_rdlock(&d->dma_lock);
	ram = guest_ram(d, gpa, len);
	if (ram && is_write)
		memcpy(ram, buf, len);
	else if (ram)
		memcpy(buf, ram, len);
	pthread_rwlock_unlock(&d->dma_lock);
	return ram ? 0 : -EFAULT;
}

static int mem_read(void *priv, uint64_t gpa, void *buf, size_t len)
{
	return mem_access(priv, gpa, buf, len, false);
}

static int mem_write(void *priv, uint64_t gpa, const void *buf, size_t len)
{
	return mem_access(priv, gpa, (void *)buf, len, true);
}

/* Any thread: hand the MSI to the serving thread. */
static void raise_irq(void *priv, unsigned int vector)
{
	struct vgpu_dev *d = priv;
	uint64_t one = 1;

	(void)vector;	/* one MSI vector */
	if (write(d->irq_fd, &one, sizeof(one)) != sizeof(one))
		hostd_log("%s: cannot signal the interrupt: %s", d->name, strerror(errno));
}

static const struct vgt_vgpu_ops vgpu_ops = {
	.read = mem_read, .write = mem_write, .raise_irq = raise_irq,
};

/*
 * Aperture offset = GGTT address (low GM): libvgt translates it through the
 * vGPU's accepted PTEs into guest RAM and refuses what is not the vGPU's
 * (reads 0, writes dropped, counted and logged there).
 */
static ssize_t bar2_access(vfu_ctx_t *ctx, char *buf, size_t count,
			   loff_t offset, bool is_write)
{
	struct vgpu_dev *d = vfu_get_private(ctx);

	if (count)
		span_add(&d->ap_lo, &d->ap_hi, (uint64_t)offset, (uint64_t)offset + count - 1);
	if (is_write)
		vgt_aperture_write(d->vgpu, (uint64_t)offset, buf, count);
	else
		vgt_aperture_read(d->vgpu, (uint64_t)offset, buf, count);
	return count;
}

/*
 * Config space beyond the standard header: reads come from the buffer,
 * writes are taken only inside the MSI capability (its control word's
 * enable and multiple-message-enable bits, address and data); everything
 * else there is read-only, as the GMCH control word is on real hardware.
 */
static ssize_t config_access(vfu_ctx_t *ctx, char *buf, size_t count,
			     loff_t offset, bool is_write)
{
	uint8_t *cfg = (uint8_t *)vfu_pci_get_config_space(ctx);
	size_t i;

	if (offset < 0 || (size_t)offset + count > PCI_CFG_SPACE_SIZE) {
		errno = EINVAL;
		return -1;
	}
	if (!is_write) {
		memcpy(buf, cfg + offset, count);
		return count;
	}
	for (i = 0; i < count; i++) {
		size_t at = offset + i;

		if (at == MSI_CAP_POS + PCI_MSI_FLAGS)
			cfg[at] = (cfg[at] & ~0x71) | (buf[i] & 0x71);
		else if (at >= MSI_CAP_POS + PCI_MSI_ADDRESS_LO &&
			 at < MSI_CAP_POS + MSI_CAP_SIZE)
			cfg[at] = buf[i];
	}
	return count;
}

/*
 * The guest's memory map for libvgt: the mapped DMA regions, each shrunk
 * to whole pages (a PTE frame is a page). Called by the serving thread
 * after every change of the table.
 */
static void publish_memory_map(struct vgpu_dev *d)
{
	struct vgt_mem_region map[MAX_DMA_REGIONS];
	unsigned int i, n = 0;

	pthread_rwlock_rdlock(&d->dma_lock);
	for (i = 0; i < d->nr_dma; i++) {
		uint64_t lo = (d->dma[i].iova + GGTT_PAGE - 1) & ~(uint64_t)(GGTT_PAGE - 1);
		uint64_t hi = (d->dma[i].iova + d->dma[i].len) & ~(uint64_t)(GGTT_PAGE - 1);

		if (d->dma[i].vaddr && hi > lo)
			map[n++] = (struct vgt_mem_region){ lo, hi - lo };
	}
	pthread_rwlock_unlock(&d->dma_lock);
	if (vgt_vgpu_set_memory_map(d->vgpu, map, n))
		hostd_log("%s: guest memory map of %u regions refused by libvgt", d->name, n);
}

static void dma_register(vfu_ctx_t *ctx, vfu_dma_info_t *info)
{
	struct vgpu_dev *d = vfu_get_private(ctx);
	uint64_t iova = (uint64_t)(uintptr_t)info->iova.iov_base;
	bool full;

	pthread_rwlock_wrlock(&d->dma_lock);
	full = d->nr_dma == MAX_DMA_REGIONS;
	if (!full)
		d->dma[d->nr_dma++] = (struct dma_region){
			.iova = iova, .len = info->iova.iov_len, .vaddr = info->vaddr,
		};
	pthread_rwlock_unlock(&d->dma_lock);
	if (full) {
		hostd_log("%s: DMA region [%#llx, +%#zx) ignored: table full", d->name,
			  (unsigned long long)iova, info->iova.iov_len);
		return;
	}
	publish_memory_map(d);
	hostd_log("%s: guest RAM [%#llx, %#llx) %s", d->name, (unsigned long long)iova,
		  (unsigned long long)(iova + info->iova.iov_len),
		  info->vaddr ? "mapped" : "not mappable");
}

static void dma_unregister(vfu_ctx_t *ctx, vfu_dma_info_t *info)
{
	struct vgpu_dev *d = vfu_get_private(ctx);
	uint64_t iova = (uint64_t)(uintptr_t)info->iova.iov_base;
	unsigned int i;

	pthread_rwlock_wrlock(&d->dma_lock);
	for (i = 0; i < d->nr_dma; i++) {
		if (d->dma[i].iova != iova || d->dma[i].len != info->iova.iov_len)
			continue;
		d->dma[i] = d->dma[--d->nr_dma];
		break;
	}
	pthread_rwlock_unlock(&d->dma_lock);
	/* After this returns libvfio-user unmaps the region: nobody uses it now. */
	publish_memory_map(d);
}

static void forget_dma(struct vgpu_dev *d)
{
	pthread_rwlock_wrlock(&d->dma_lock);
	d->nr_dma = 0;
	pthread_rwlock_unlock(&d->dma_lock);
	publish_memory_map(d);
}

static int device_reset(vfu_ctx_t *ctx, vfu_reset_type_t type)
{
	struct vgpu_dev *d = vfu_get_private(ctx);
	uint32_t ready = vgt_vgpu_display_ready(d->vgpu);
	unsigned int roots = vgt_vgpu_ppgtt_roots(d->vgpu);

	const char *cause = type == VFU_RESET_DEVICE ? "client request" :
			    type == VFU_RESET_LOST_CONN ? "client gone" : "function level";

	/* What the guest left behind, before the reset forgets it. */
	vgt_vgpu_reset(d->vgpu);
	apply_fault(d);
	/* libvfio-user resets on teardown too: no client, nothing to report. */
	if (type == VFU_RESET_LOST_CONN && !d->client)
		return 0;
	d->client = type != VFU_RESET_LOST_CONN;
	hostd_log("%s: device reset (%s); the guest had display_ready=%u, %u PPGTT root(s) live",
		  d->name, cause, ready, roots);
	d->reset_display_ready = ready;
	d->reset_ppgtt_roots = roots;
	hostd_status_reset(d->id, cause, ready, roots);
	return 0;
}

static void vfu_logger(vfu_ctx_t *ctx, int level, const char *msg)
{
	struct vgpu_dev *d = vfu_get_private(ctx);

	(void)level;
	hostd_log("%s: libvfio-user: %s", d->name, msg);
}

static int setup_config_space(struct vgpu_dev *d)
{
	const struct vgt_platform_info *p = vgt_vgpu_platform(d->vgpu);
	vfu_ctx_t *ctx = d->ctx;
	vfu_pci_config_space_t *cs;
	uint8_t *cfg;

	if (vfu_pci_init(ctx, VFU_PCI_TYPE_CONVENTIONAL, PCI_HEADER_TYPE_NORMAL, 0))
		return -1;
	/* 8086:1912 Skylake GT2 desktop (HD 530) or 8086:0412 Haswell GT2 (HD 4600) */
	vfu_pci_set_id(ctx, PCI_VENDOR_INTEL, p->device_id, PCI_VENDOR_INTEL, p->device_id);
	/* 0x0380 "other display": no VGA arbitration, no stolen-memory quirk. */
	vfu_pci_set_class(ctx, 0x03, 0x80, 0x00);
	cs = vfu_pci_get_config_space(ctx);
	cfg = (uint8_t *)cs;
	cs->hdr.rid = SKL_REVISION;
	cs->hdr.intr.ipin = 1;
	cs->hdr.bars[0].raw = PCI_BASE_ADDRESS_MEM_TYPE_64;
	cs->hdr.bars[2].raw = PCI_BASE_ADDRESS_MEM_TYPE_64 | PCI_BASE_ADDRESS_MEM_PREFETCH;
	/* GGC: the GGTT size (SKL 4 GiB, HSW 2 GiB), no stolen memory (GMS = 0). */
	cfg[GEN6_GMCH_CTRL] = p->gmch_ctrl & 0xff;
	cfg[GEN6_GMCH_CTRL + 1] = p->gmch_ctrl >> 8;
	cfg[PCI_STATUS] |= PCI_STATUS_CAP_LIST;
	cfg[PCI_CAPABILITY_LIST] = MSI_CAP_POS;
	cfg[MSI_CAP_POS + PCI_CAP_LIST_ID] = PCI_CAP_ID_MSI;
	cfg[MSI_CAP_POS + PCI_CAP_LIST_NEXT] = 0;
	cfg[MSI_CAP_POS + PCI_MSI_FLAGS] = PCI_MSI_FLAGS_64BIT;

	if (vfu_setup_region(ctx, VFU_PCI_DEV_CFG_REGION_IDX, PCI_CFG_SPACE_SIZE,
			     config_access, VFU_REGION_FLAG_RW, NULL, 0, -1, 0) ||
	    vfu_setup_region(ctx, VFU_PCI_DEV_BAR0_REGION_IDX, p->bar0_size,
			     bar0_access, VFU_REGION_FLAG_RW | VFU_REGION_FLAG_MEM,
			     NULL, 0, -1, 0) ||
	    vfu_setup_region(ctx, VFU_PCI_DEV_BAR2_REGION_IDX, APERTURE_SIZE,
			     bar2_access, VFU_REGION_FLAG_RW | VFU_REGION_FLAG_MEM,
			     NULL, 0, -1, 0) ||
	    vfu_setup_device_nr_irqs(ctx, VFU_DEV_INTX_IRQ, 1) ||
	    vfu_setup_device_nr_irqs(ctx, VFU_DEV_MSI_IRQ, 1) ||
	    vfu_setup_device_dma(ctx, dma_register, dma_unregister) ||
	    vfu_setup_device_reset_cb(ctx, device_reset))
		return -1;
	return vfu_realize_ctx(ctx);
}

struct vgpu_dev *vgpu_dev_create(struct vgt_vgpu *vgpu, const char *type,
				 const char *socket,
				 const struct vgpu_fault *fault)
{
	struct vgpu_dev *d = calloc(1, sizeof(*d));
	struct vgt_slices s;

	if (!d) {
		hostd_log("vgpu: out of memory");
		return NULL;
	}
	d->vgpu = vgpu;
	vgt_vgpu_slices(vgpu, &s);
	d->id = s.id;
	snprintf(d->name, sizeof(d->name), "vgpu%u", s.id);
	snprintf(d->socket, sizeof(d->socket), "%s", socket);
	atomic_init(&d->pte_lo, UINT64_MAX);
	atomic_init(&d->ap_lo, UINT64_MAX);
	pthread_rwlock_init(&d->dma_lock, NULL);
	d->irq_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (d->irq_fd < 0) {
		hostd_log("%s: eventfd: %s", d->name, strerror(errno));
		pthread_rwlock_destroy(&d->dma_lock);
		free(d);
		return NULL;
	}
	/* An empty map until QEMU shares the guest's RAM. */
	vgt_vgpu_set_memory_map(vgpu, NULL, 0);
	vgt_vgpu_set_ops(vgpu, &vgpu_ops, d);
	if (vgt_vgpu_exec_start(vgpu)) {
		hostd_log("%s: cannot start the execution worker", d->name);
		vgt_vgpu_set_ops(vgpu, NULL, NULL);
		close(d->irq_fd);
		pthread_rwlock_destroy(&d->dma_lock);
		free(d);
		return NULL;
	}
	if (fault && fault->field) {
		d->fault = *fault;
		apply_fault(d);
	}
	d->ctx = vfu_create_ctx(VFU_TRANS_SOCK, socket, LIBVFIO_USER_FLAG_ATTACH_NB,
				d, VFU_DEV_TYPE_PCI);
	if (!d->ctx) {
		hostd_log("%s: cannot listen on %s: %s", d->name, socket, strerror(errno));
		vgt_vgpu_set_ops(vgpu, NULL, NULL);
		close(d->irq_fd);
		pthread_rwlock_destroy(&d->dma_lock);
		free(d);
		return NULL;
	}
	vfu_setup_log(d->ctx, vfu_logger, LOG_ERR);
	if (setup_config_space(d)) {
		hostd_log("%s: cannot set up the PCI device: %s", d->name, strerror(errno));
		vgpu_dev_destroy(d);
		return NULL;
	}
	hostd_log("%s: type %s: aperture [%#llx, %#llx) hidden [%#llx, %#llx) fences %u%s%s%s; serving %s",
		  d->name, type, (unsigned long long)s.aperture_base,
		  (unsigned long long)(s.aperture_base + s.aperture_size),
		  (unsigned long long)s.hidden_base,
		  (unsigned long long)(s.hidden_base + s.hidden_size),
		  s.fence_num,
		  s.ranges.nr[VGT_GM_APERTURE] + s.ranges.nr[VGT_GM_HIDDEN] > 2 ?
		  " (and further ranges: scattered)" : "",
		  d->fault.field ? "; malformed PVINFO " : "",
		  d->fault.field ? d->fault.field : "", socket);
	{
		const struct vgt_platform_info *p = vgt_vgpu_platform(vgpu);

		hostd_log("%s: presents %s 8086:%04x, BAR0 %llu MiB, GGTT %llu MiB, %s", d->name,
			  p->name, p->device_id, (unsigned long long)(p->bar0_size / VGT_MIB),
			  (unsigned long long)(p->ggtt_size / VGT_MIB),
			  p->execlists ? "execlists" : "ring buffers");
	}
	hostd_status_vgpu(&s, type, socket);
	return d;
}

static uint64_t mono_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/*
 * A trapped access blocks the guest's vCPU until its reply; the next one
 * of a copy through the aperture follows within microseconds. Polling
 * without sleeping for spin_ns saves the wake-up of this thread on each.
 * True: something is ready in p.
 */
static bool spin(const struct vgpu_dev *d, struct pollfd *p)
{
	uint64_t end;

	if (!d->spin_ns)
		return false;
	end = mono_ns() + d->spin_ns;
	do {
		if (poll(p, 3, 0) > 0)
			return true;
	} while (mono_ns() < end);
	return false;
}

void vgpu_dev_set_spin(struct vgpu_dev *d, unsigned int us)
{
	d->spin_ns = (uint64_t)us * 1000;
}

/*
 * Wait until the context's socket or stop_fd is readable; 1 means stop.
 * Interrupts libvgt raised meanwhile are delivered here, in the one thread
 * that uses the libvfio-user context (before a client attached there is
 * nobody to deliver them to: they are dropped, as on a bus without a
 * driver).
 */
static int wait_ready(struct vgpu_dev *d, int stop_fd, bool attached)
{
	struct pollfd p[3] = {
		{ .fd = vfu_get_poll_fd(d->ctx), .events = POLLIN },
		{ .fd = stop_fd, .events = POLLIN },
		{ .fd = d->irq_fd, .events = POLLIN },
	};
	uint64_t n;

	for (;;) {
		if (!attached || !spin(d, p))
			while (poll(p, 3, -1) < 0)
				if (errno != EINTR)
					return -1;
		if (p[1].revents & POLLIN)
			return 1;
		if (p[2].revents & POLLIN && read(d->irq_fd, &n, sizeof(n)) == sizeof(n) &&
		    attached) {
			bump(&d->irqs);
			if (vfu_irq_trigger(d->ctx, 0) && errno != ENOENT)
				hostd_log("%s: MSI not delivered: %s", d->name, strerror(errno));
		}
		if (p[0].revents)
			return 0;
	}
}

int vgpu_dev_serve(struct vgpu_dev *d, int stop_fd)
{
	int ret;

	for (;;) {
		while (vfu_attach_ctx(d->ctx) < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK) {
				hostd_log("%s: attach failed: %s", d->name, strerror(errno));
				return -1;
			}
			ret = wait_ready(d, stop_fd, false);
			if (ret)
				return ret < 0 ? -1 : 0;
		}
		d->client = true;
		hostd_log("%s: client attached", d->name);
		for (;;) {
			ret = wait_ready(d, stop_fd, true);
			if (ret)
				return ret < 0 ? -1 : 0;
			if (vfu_run_ctx(d->ctx) >= 0 || errno == EAGAIN || errno == EINTR)
				continue;
			if (errno == ENOTCONN)
				break;
			hostd_log("%s: vfio-user: %s", d->name, strerror(errno));
			return -1;
		}
		forget_dma(d);
		hostd_log("%s: client detached", d->name);
		/* One guest's life, probe to power-off: count it on its own. */
		vgpu_dev_print_traps(d, true);
	}
}

static void range_text(char *buf, size_t len, atomic_uint_fast64_t *lo,
		       atomic_uint_fast64_t *hi, uint64_t unit)
{
	uint64_t l = atomic_load(lo), h = atomic_load(hi);

	if (l == UINT64_MAX)
		snprintf(buf, len, "none");
	else
		snprintf(buf, len, "[%#llx, %#llx]", (unsigned long long)(l * unit),
			 (unsigned long long)(h * unit + unit - 1));
}

/* The execution counters of the same span, and why contexts hung. */
static void print_exec(struct vgpu_dev *d, bool session, const struct vgt_exec_stats *xp)
{
	const struct vgt_exec_stats x = *xp;
	uint64_t hangs = 0;
	int c;

	for (c = 0; c < VGT_HANG_NR; c++)
		hangs += x.hangs[c];
	hostd_log("%s %sexec: submissions=%llu contexts=%llu batches=%llu commands=%llu state-noops=%llu blits=%llu blit-bytes=%llu user-irqs=%llu ctx-irqs=%llu msis=%llu hangs=%llu engine-resets=%llu full-resets=%llu",
		  d->name, session ? "session " : "",
		  (unsigned long long)x.submissions, (unsigned long long)x.contexts,
		  (unsigned long long)x.batches, (unsigned long long)x.commands,
		  (unsigned long long)x.state_noops, (unsigned long long)x.blits,
		  (unsigned long long)x.blit_bytes, (unsigned long long)x.user_irqs,
		  (unsigned long long)x.ctx_switch_irqs, (unsigned long long)x.msis,
		  (unsigned long long)hangs, (unsigned long long)x.engine_resets,
		  (unsigned long long)x.full_resets);
	for (c = 0; c < VGT_HANG_NR; c++)
		if (x.hangs[c])
			hostd_log("%s hangs: %s %llu", d->name, vgt_hang_reason_name(c),
				  (unsigned long long)x.hangs[c]);
	for (c = 0; c < VGT_EXEC_AUDIT_REASONS; c++)
		if (x.audit[c])
			hostd_log("%s audit refused: %s %llu", d->name,
				  vgt_audit_reason_name(c), (unsigned long long)x.audit[c]);
}

/* PVINFO 1.1: what the guest registered, the channel's work, the slices. */
static void print_pv11(struct vgpu_dev *d, const struct vgt_traps *t)
{
	struct vgt_pv11_status st;

	vgt_vgpu_pv11_status(d->vgpu, &st);
	if (!st.pv11) {
		hostd_log("%s pvinfo: 1.0", d->name);
		return;
	}
	hostd_log("%s pvinfo: 1.1 features=%#x enabled=%#x registrations=%llu "
		  "channel-requests=%llu channel-refused=%llu channel-ptes=%llu slices-gen=%u "
		  "reslice=%s messages=%llu replies=%llu",
		  d->name, st.features, st.enabled, (unsigned long long)st.registrations,
		  (unsigned long long)t->channel_requests, (unsigned long long)t->channel_refused,
		  (unsigned long long)t->channel_ptes, st.slices_gen,
		  vgt_reslice_state_name(st.reslice), (unsigned long long)st.messages,
		  (unsigned long long)st.replies);
}

/* The session's status record; the spans in bytes, inclusive. */
static void status_session(struct vgpu_dev *d, const struct vgt_traps *t,
			   const struct vgt_exec_stats *x)
{
	uint64_t pte_lo = atomic_load(&d->pte_lo), ap_lo = atomic_load(&d->ap_lo);
	struct hostd_session s = {
		.id = d->id, .n = ++d->sessions,
		.msi = atomic_load(&d->irqs),
		.unmodelled = atomic_load(&d->unmodelled),
		.pte_lo = 1, .ap_lo = 1,	/* lo > hi: none */
		.display_ready = d->reset_display_ready,
		.ppgtt_roots = d->reset_ppgtt_roots,
	};

	if (pte_lo != UINT64_MAX) {
		s.pte_lo = pte_lo * GGTT_PAGE;
		s.pte_hi = atomic_load(&d->pte_hi) * GGTT_PAGE + GGTT_PAGE - 1;
	}
	if (ap_lo != UINT64_MAX) {
		s.ap_lo = ap_lo;
		s.ap_hi = atomic_load(&d->ap_hi);
	}
	hostd_status_session(&s, t, x);
}

void vgpu_dev_print_traps(struct vgpu_dev *d, bool session)
{
	struct vgt_exec_stats x;
	struct vgt_traps t;
	char line[512], ptes[64], ap[64];
	uint64_t total = 0, refused = 0;
	int n = 0, c;

	vgt_vgpu_traps(d->vgpu, &t, session);
	for (c = 0; c < VGT_TRAP_NR; c++) {
		n += snprintf(line + n, sizeof(line) - n, "%s=%llu ",
			      vgt_trap_class_name(c), (unsigned long long)t.count[c]);
		total += t.count[c];
		refused += t.rejected[c];
	}
	range_text(ptes, sizeof(ptes), &d->pte_lo, &d->pte_hi, GGTT_PAGE);
	range_text(ap, sizeof(ap), &d->ap_lo, &d->ap_hi, 1);
	hostd_log("%s %straps: %stotal=%llu refused=%llu msi=%llu aperture-refused=%llu unmodelled=%llu pte-span=%s aperture-span=%s",
		  d->name, session ? "session " : "", line, (unsigned long long)total,
		  (unsigned long long)refused,
		  (unsigned long long)atomic_load(&d->irqs),
		  (unsigned long long)t.rejected[VGT_TRAP_APERTURE],
		  (unsigned long long)atomic_load(&d->unmodelled), ptes, ap);
	for (c = 1; c < VGT_REASON_NR; c++)
		if (t.reason[c])
			hostd_log("%s refused: %s %llu", d->name, vgt_reason_name(c),
				  (unsigned long long)t.reason[c]);
	vgt_vgpu_exec_stats(d->vgpu, &x, session);
	print_pv11(d, &t);
	print_exec(d, session, &x);
	if (!session)
		return;
	status_session(d, &t, &x);
	atomic_store(&d->irqs, 0);
	atomic_store(&d->pte_lo, UINT64_MAX);
	atomic_store(&d->pte_hi, 0);
	atomic_store(&d->ap_lo, UINT64_MAX);
	atomic_store(&d->ap_hi, 0);
}

void vgpu_dev_destroy(struct vgpu_dev *d)
{
	if (!d)
		return;
	/* libvgt must not reach memory or interrupts through us any more. */
	vgt_vgpu_set_ops(d->vgpu, NULL, NULL);
	vgt_vgpu_set_memory_map(d->vgpu, NULL, 0);
	if (d->ctx)
		vfu_destroy_ctx(d->ctx);
	close(d->irq_fd);
	pthread_rwlock_destroy(&d->dma_lock);
	hostd_log("%s: destroyed", d->name);
	free(d);
}

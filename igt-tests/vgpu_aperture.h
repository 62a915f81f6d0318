/* SPDX-License-Identifier: MIT */
/*
 * vgpu_aperture's parts: the rows and the table (vgpu_aperture.c) and the
 * probes that do what an assumption promises (vgpu_aperture_probe.c): GTT
 * mmaps touched a dword a page, X-tiled objects mapped at once, execbufs
 * of working sets. Each probe reports what happened as data (an errno, a
 * SIGBUS, a fault count), never as a subtest failure: a "breaks" verdict
 * is a finding. Only the test's own errors (an ioctl that must work)
 * fail the subtest.
 */
#ifndef VGPU_APERTURE_H
#define VGPU_APERTURE_H

#include <stdbool.h>
#include <stdint.h>

#include "vgpu_guest.h"
#include "vgpu_igt.h"

#define AP_PAGE		4096u
#define AP_CHUNK	(4 * MiB)	/* the objects a working set is made of */

/* What the guest kernel and the system report, read once by the subtest. */
struct ap_reported {
	int fd;
	uint32_t devid;
	int gen;			/* 7 (Haswell class), 9 (Skylake class), 0 */
	int ppgtt;			/* I915_PARAM_HAS_ALIASING_PPGTT: 1 aliasing, 2/3 full */
	uint64_t aper_size, aper_avail;	/* GET_APERTURE */
	uint64_t bar2;			/* the card's PCI BAR2, from sysfs */
	char pci[32];			/* the card's PCI address */
	uint64_t libdrm_mappable, libdrm_total;	/* drm_intel_get_aperture_sizes */
	uint64_t gtt_size;		/* I915_CONTEXT_PARAM_GTT_SIZE of context 0 */
	int fences;			/* I915_PARAM_NUM_FENCES_AVAIL */
	int mmap_gtt_version;		/* I915_PARAM_MMAP_GTT_VERSION */
	uint64_t ram, ram_avail;	/* MemTotal, MemAvailable */
	uint64_t ram_cap;		/* the largest working set we dare allocate */
	bool exec_ok;			/* a trivial batch ran */
	int exec_err;			/* why not (EIO: wedged) */
};

extern struct ap_reported ap;

/* Through a GTT mmap: one object written a dword a page, checked with pread. */
struct ap_gtt {
	bool sigbus;
	int err;		/* mmap setup errno */
	uint64_t faults;	/* page faults while writing */
	uint64_t bad;		/* pages whose dword pread did not find */
	double secs;
};
void ap_gtt_object(struct ap_gtt *res, uint64_t size, uint32_t salt);

/*
 * Whether the first GTT fault on a fresh object of @size bound all of it
 * (one fault serves the first and the last page) rather than a 1 MiB
 * partial view. Return: true if whole.
 */
bool ap_gtt_whole(uint64_t size);

/* Objects of @chunk GTT-mapped one after another while all stay mapped. */
struct ap_resident {
	unsigned int mapped;	/* objects mapped before the first eviction */
	unsigned int partial;	/* of which bound through partial views */
	bool evicted;		/* the next one evicted an earlier one */
	unsigned int victim;	/* which */
	bool sigbus;
	double secs;
};
void ap_gtt_resident(struct ap_resident *res, uint64_t chunk, uint64_t limit);

/*
 * The cost of GTT-mapping one large object beside others: @residents
 * objects of AP_CHUNK GTT-mapped and touched first (each binds whole),
 * then every page of one object of @size written through its GTT mmap,
 * then the residents touched again. A resident that faults again was
 * evicted to make room for the large object's bindings.
 */
struct ap_big {
	bool sigbus;
	int err;		/* mmap setup errno */
	uint64_t faults;	/* faults while writing the large object */
	double secs;		/* and the time that took */
	unsigned int evicted;	/* residents that faulted again */
	uint64_t bad;		/* pages of the large object pread did not find */
};
#define AP_MAX_RESIDENTS	64	/* half of a 512 MiB slice */
void ap_gtt_big(struct ap_big *res, uint64_t size, unsigned int residents);

/* @n X-tiled objects GTT-mapped and used in turn, each needing a fence. */
struct ap_fences {
	bool sigbus;
	int err;		/* set_tiling or mmap errno */
	uint64_t refaults;	/* faults after every object was mapped once */
	uint64_t bad;		/* reads through the fence that missed the write */
	double secs;
};
void ap_fence_set(struct ap_fences *res, unsigned int n);

/* One execbuf of a working set: an errno (0: it ran), and the time. */
struct ap_exec {
	int err;
	double secs;
};
void ap_exec_set(struct ap_exec *res, uint64_t total);
void ap_exec_single(struct ap_exec *res, uint64_t size);

/*
 * The largest working set of AP_CHUNK objects that executes, grown one
 * object at a time up to @limit, and the errno of the first that did not
 * (0 if @limit was reached); the largest single object that executes
 * (4 MiB steps, below @limit). Cached: later rows reuse the measurement.
 */
uint64_t ap_exec_grow(uint64_t limit, int *err);
uint64_t ap_exec_single_max(uint64_t limit, int *err);

/* Retire, idle and free what the last probe released (debugfs). */
void ap_quiesce(void);

#endif /* VGPU_APERTURE_H */

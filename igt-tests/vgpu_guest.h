/* SPDX-License-Identifier: MIT */
/*
 * What our guest tests share: the host's expectations from the kernel
 * command line, the kernel log, and the i915 device node.
 */
#ifndef VGPU_GUEST_H
#define VGPU_GUEST_H

#include <stdbool.h>
#include <stdint.h>

#define KiB		(UINT64_C(1) << 10)
#define MiB		(UINT64_C(1) << 20)
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define VGPU_CARD	"/dev/dri/card0"

/*
 * What the host published, written by vm/run.sh onto the guest's kernel
 * command line from vgt-hostd's status records (never from the guest's
 * own view, which is what is being checked):
 *   vgpu.expect=APBASE,APSIZE,HIDBASE,HIDSIZE,FENCES   the slices
 *   vgpu.aperture=BYTES vgpu.ggtt=BYTES   BAR2 and GGTT size (256M, 4G)
 *   vgpu.refusal=WORD   the field a refused vGPU's error names
 */
struct vgpu_expect {
	bool have_slices;
	uint64_t apbase, apsize, hidbase, hidsize, fences;
	uint64_t aperture, ggtt;
	char refusal[64];
	char host_steps[128];	/* vgpu.host_steps=A,B: what the scenario does on request */
	char error[256];	/* a malformed vgpu.* parameter, or "" */
};

/* Parsed once from /proc/cmdline. */
const struct vgpu_expect *vgpu_expect(void);

/*
 * The slices, or skip when the command line has none (a hand run without
 * them) and fail when a vgpu.* parameter is malformed.
 */
const struct vgpu_expect *vgpu_require_slices(void);

/*
 * Whether the scenario runs host step @step when the guest asks for it
 * (vgpu.host_steps= on the kernel command line, set by vm/run.sh from the
 * scenario's control directives).
 */
bool vgpu_host_offers(const char *step);

/* Inside a slice: the aperture's [apbase, +apsize) or the hidden one. */
bool vgpu_in_slices(const struct vgpu_expect *e, uint64_t addr, uint64_t len);

/*
 * A fresh copy of the whole kernel log, NUL-terminated, freed when the
 * subtest ends; fails the subtest if it cannot be read.
 */
char *vgpu_dmesg(void);

/*
 * Split off the next line of a vgpu_dmesg() copy in place. *level gets
 * the syslog level of its "<N>" prefix (-1 without one); the text returned
 * has that prefix and the "[ time] " stamp removed. NULL at the end.
 */
char *vgpu_next_line(char **pos, int *level);

/* The PCI device ID of the GPU at 00:02.0, 0 when there is none. */
unsigned long long vgpu_pci_device_id(void);

/* MemAvailable of /proc/meminfo in bytes, 0 when unknown. */
uint64_t vgpu_mem_available(void);

/* open(VGPU_CARD), skipping if there is none or it is not i915; closed at the end. */
int vgpu_open_i915(void);

#endif /* VGPU_GUEST_H */

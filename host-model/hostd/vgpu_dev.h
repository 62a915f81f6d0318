/* SPDX-License-Identifier: MIT */
/*
 * One vGPU of libvgt served as a vfio-user PCI device: the emulated
 * Skylake GT2 function a Linux 6.1 i915 binds to (config space, BAR0 with
 * the register file, PVINFO and the GGTT PTEs, BAR2 aperture).
 */
#ifndef VGPU_DEV_H
#define VGPU_DEV_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "libvgt.h"

/* A PVINFO word the host publishes wrong on purpose (fault injection). */
struct vgpu_fault {
	const char *field;	/* NULL: none */
	unsigned int offset, size;
	uint64_t value;
};

/*
 * Parse "FIELD=VALUE" (fields: magic, version_major, version_minor,
 * vgt_id, vgt_caps, mappable_base, mappable_size, hidden_base, hidden_size,
 * fence_num). Return: 0, or -EINVAL with a message in msg.
 */
int vgpu_fault_parse(const char *spec, struct vgpu_fault *fault, char *msg,
		     size_t msg_len);

struct vgpu_dev;

/* Printf-style logger shared by all vGPUs of the daemon (thread-safe). */
void hostd_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Create the vfio-user device for vgpu (owned by the caller) listening on
 * socket, a path the caller made free; fault may be NULL. Return: the
 * device, or NULL with a log line.
 */
struct vgpu_dev *vgpu_dev_create(struct vgt_vgpu *vgpu, const char *type,
				 const char *socket,
				 const struct vgpu_fault *fault);

/* Before sleeping for the next message, poll for it this long (0: never). */
void vgpu_dev_set_spin(struct vgpu_dev *dev, unsigned int us);

/*
 * Serve clients until stop_fd becomes readable: attach, run, and attach
 * again when a client goes away. Return: 0 when stopped, -1 on an error
 * (logged).
 */
int vgpu_dev_serve(struct vgpu_dev *dev, int stop_fd);

/*
 * One line of trap counts by class, aperture accesses, unmodelled registers
 * (since the daemon started) and the spans of PTE and aperture traps. A
 * session report (printed when a client detaches: one guest's life) then
 * starts the counts again; otherwise (SIGUSR1, exit) they keep running.
 */
void vgpu_dev_print_traps(struct vgpu_dev *dev, bool session);

/*
 * Close the socket and free the device (not the vGPU). The socket's file
 * stays: removing it is the caller's (vgt-hostd removes only its own, see
 * sock_own.h). NULL is a no-op.
 */
void vgpu_dev_destroy(struct vgpu_dev *dev);

#endif /* VGPU_DEV_H */

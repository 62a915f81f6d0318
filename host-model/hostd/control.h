/* SPDX-License-Identifier: MIT */
/*
 * vgt-hostd's control socket: a line protocol on a UNIX stream socket to
 * look at and re-balloon running vGPUs (spec/pvinfo-1.1.md section 16).
 * One reply line per command line; its first word says how it went:
 *
 *   status VGPU
 *     ok vgpu1 pvinfo=1.1 features=0x3 enabled=0x3 area=0x2000000 pages=16
 *        gen=0 reslice=none aperture=0x8000000:0x4000000 hidden=...
 *   reslice VGPU [aperture=BASE:SIZE[,BASE:SIZE]...] [hidden=...] [wait=MS]
 *     ok vgpu1 reslice accepted gen=1        the guest took the new slices
 *     refused vgpu1 reslice refused gen=2 result=-16   it kept its slices
 *     pending vgpu1 reslice gen=1            no answer within wait (2000 ms)
 *     error vgpu1 reslice -95: ...           libvgt refused the request
 *   help
 *
 * VGPU is the id ("1") or the name ("vgpu1"); a class left out keeps its
 * current ranges. Malformed lines get "error ..." naming the word.
 */
#ifndef HOSTD_CONTROL_H
#define HOSTD_CONTROL_H

#include <stddef.h>

#include "libvgt.h"

struct hostd_control;

/*
 * Listen on path (which must be free, as the vGPU sockets) and serve
 * clients one at a time in a thread of its own. vgpus (n of them, NULL
 * entries skipped) must outlive control_stop. Return: the control, or NULL
 * with msg saying why.
 */
struct hostd_control *control_start(const char *path, struct vgt_vgpu *const *vgpus,
				    unsigned int n, char *msg, size_t len);
/* Stop the thread, close and remove the socket. NULL is a no-op. */
void control_stop(struct hostd_control *c);

/* Run one command line; the reply (no newline) in reply. */
void control_command(struct vgt_vgpu *const *vgpus, unsigned int n, const char *line,
		     char *reply, size_t len);

#endif /* HOSTD_CONTROL_H */

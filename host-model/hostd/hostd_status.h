/* SPDX-License-Identifier: MIT */
/*
 * vgt-hostd's machine-readable status records (--status FILE): JSON Lines,
 * one object per line, each with a "record" member naming its kind. The
 * human log stays for people; scripts read these (vm/, build/vm-report).
 *
 *   {"record":"vgpu","id":1,"type":"8","aperture":[BASE,SIZE],
 *    "hidden":[BASE,SIZE],"fences":4,"socket":"..."}     one per vGPU made
 *   {"record":"ready","vgpus":N}                         serving them all
 *   {"record":"reset","id":1,"cause":"client gone","display_ready":1,
 *    "ppgtt_roots":0}                                    each device reset
 *   {"record":"session","id":1,"n":1,"traps":{CLASS:N,...},
 *    "rejected":{CLASS:N,...},"reasons":{REASON:N,...},"total":N,
 *    "refused":N,"msi":N,"unmodelled":N,"pte_span":[LO,HI]|null,
 *    "aperture_span":[LO,HI]|null,"display_ready":1,"ppgtt_roots":0,
 *    "exec":{"submissions":N,...,"hangs":{REASON:N,...},
 *            "audit":{REASON:N,...}}}
 *                                   one guest's life, probe to detach; the
 *                                   display_ready and roots as its final
 *                                   reset found them; the execution counters
 *   {"record":"exit","status":0}
 *
 * Addresses and sizes are numbers in bytes; spans are inclusive. All
 * functions are no-ops until hostd_status_open succeeded, and thread-safe.
 */
#ifndef HOSTD_STATUS_H
#define HOSTD_STATUS_H

#include <stdint.h>

#include "libvgt.h"

/* Create (truncate) FILE. Return: 0, or -errno. */
int hostd_status_open(const char *path);
void hostd_status_close(void);

void hostd_status_vgpu(const struct vgt_slices *s, const char *type,
		       const char *socket);
void hostd_status_ready(int vgpus);
void hostd_status_reset(unsigned int id, const char *cause,
			uint32_t display_ready, unsigned int ppgtt_roots);

/* What vgpu_dev counts beside libvgt's trap counters, for one session. */
struct hostd_session {
	unsigned int id, n;
	uint64_t msi, unmodelled;
	uint64_t pte_lo, pte_hi;	/* bytes; lo > hi: no PTE trap */
	uint64_t ap_lo, ap_hi;		/* likewise for aperture accesses */
	uint32_t display_ready;
	unsigned int ppgtt_roots;
};
void hostd_status_session(const struct hostd_session *s,
			  const struct vgt_traps *t, const struct vgt_exec_stats *x);
void hostd_status_exit(int status);

#endif /* HOSTD_STATUS_H */

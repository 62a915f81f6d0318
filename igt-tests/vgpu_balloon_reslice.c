// SPDX-License-Identifier: MIT
/*
 * vgpu_balloon's live re-ballooning subtests (PVINFO 1.1, section 16 of
 * spec/pvinfo-1.1.md): the host changes the slices of the running guest
 * while GEM objects are bound and GTT-mapped there, and their data must
 * come through intact.
 *
 * The guest cannot change its slices itself: it asks the scenario to. A
 * line "VGPU-HOST STEP" on stdout (the results console) makes vm/run.sh
 * run the scenario's control command for STEP against vgt-hostd's control
 * socket (vm/scenarios/reslice.scn says which slices each step gives);
 * the guest then waits for its driver's answer in the kernel log, which is
 * what it checks: "re-ballooned to generation N" when it complied, "re-balloon
 * to generation N refused" when it could not.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/klog.h>
#include <time.h>

#include "vgpu_balloon.h"

#define STEP_WAIT_S	60
#define SYSLOG_ACTION_READ_ALL	3	/* include/linux/syslog.h */
#define SLICE_OBJ	(4 * MiB)

enum outcome { NONE, ACCEPTED, REFUSED };

static const char *const outcome_name[] = { "no answer", "accepted", "refused" };

/*
 * How many re-balloons the driver logged so far, of each outcome. Polled:
 * one copy of the log for the whole subtest (vgpu_dmesg() would queue a
 * cleanup per call).
 */
static void count_reballoons(unsigned int *accepted, unsigned int *refused)
{
	static char log[1 << 20];
	int len = klogctl(SYSLOG_ACTION_READ_ALL, log, sizeof(log) - 1), level;
	char *pos = log, *line;

	vgpu_assert(len >= 0, "klogctl(SYSLOG_ACTION_READ_ALL): %s", strerror(errno));
	log[len] = '\0';

	*accepted = *refused = 0;
	while ((line = vgpu_next_line(&pos, &level))) {
		if (strstr(line, "vGPU: re-ballooned to generation "))
			(*accepted)++;
		else if (strstr(line, "vGPU: re-balloon to generation ") &&
			 strstr(line, " refused"))
			(*refused)++;
	}
}

/* Ask for STEP and wait (bounded) for the driver to log its outcome. */
static enum outcome host_step(const char *step)
{
	unsigned int acc0, ref0, acc, ref, i;
	const struct timespec tick = { 0, 500 * 1000 * 1000 };

	vgpu_require(vgpu_host_offers(step), "the host offers no '%s' step (vgpu.host_steps="
		     "'%s'): this scenario does not re-balloon", step,
		     vgpu_expect()->host_steps);
	count_reballoons(&acc0, &ref0);
	printf("VGPU-HOST %s\n", step);
	fflush(stdout);
	for (i = 0; i < STEP_WAIT_S * 2; i++) {
		nanosleep(&tick, NULL);
		count_reballoons(&acc, &ref);
		if (acc > acc0 || ref > ref0) {
			vgpu_info("host step %s: %s after %.1f s", step,
				  acc > acc0 ? "accepted" : "refused", (i + 1) / 2.0);
			return acc > acc0 ? ACCEPTED : REFUSED;
		}
	}
	return NONE;
}

static void expect_step(const char *step, enum outcome want)
{
	enum outcome got = host_step(step);

	vgpu_assert(got == want, "host step %s: the driver %s, expected %s", step,
		    outcome_name[got], outcome_name[want]);
}

/* The whole aperture slice in 4 MiB objects, written through GTT mmaps. */
static unsigned int fill_slice(drm_intel_bo **bos, unsigned int max, uint64_t salt)
{
	const struct vgpu_expect *e = vgpu_require_slices();
	unsigned int n = (unsigned int)(e->apsize / SLICE_OBJ), i;

	vgpu_require(n && n <= max, "the aperture slice (%#" PRIx64 ") is not 1..%u objects"
		     " of 4 MiB", e->apsize, max);
	for (i = 0; i < n; i++) {
		bos[i] = balloon_bo("reslice", SLICE_OBJ);
		balloon_gtt_fill(bos[i], i, salt);
	}
	return n;
}

/*
 * Shrink the aperture slice to its first half while the guest has GTT
 * mappings all over it, then give the half back: what was written must
 * read back the same through the aperture (objects evicted from the half
 * that went away are bound again in what is left) and with pread, before
 * and after the grow, and the grown slice holds a full set again.
 */
void balloon_reslice_shrink_grow(void)
{
	drm_intel_bo *bos[64], *more[64];
	unsigned int n = fill_slice(bos, 64, 0x1111111111111111ull);

	vgpu_info("%u objects of 4 MiB over the aperture slice; shrinking it to half", n);
	expect_step("shrink", ACCEPTED);
	balloon_gtt_verify(bos, n, 0x1111111111111111ull, "after the shrink");
	expect_step("grow", ACCEPTED);
	balloon_gtt_verify(bos, n, 0x1111111111111111ull, "after the grow");
	vgpu_check(fill_slice(more, 64, 0x2222222222222222ull) == n, "a second full set");
	balloon_gtt_verify(more, n, 0x2222222222222222ull, "a second set in the grown slice");
}

/*
 * Ask for a shrink of the hidden slice to its lowest 128 MiB: i915 keeps
 * its rings, contexts and status pages pinned at the top of the GGTT
 * (PIN_HIGH), so the driver cannot give that up and must refuse, keeping
 * its slices (H-28); GEM goes on using the whole aperture slice.
 */
void balloon_reslice_refused(void)
{
	drm_intel_bo *bos[64];
	unsigned int n = fill_slice(bos, 64, 0x3333333333333333ull);

	expect_step("pinned", REFUSED);
	balloon_gtt_verify(bos, n, 0x3333333333333333ull, "after the refused shrink");
}

// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the executor (spec H-18..H-22) running what a guest
 * submits. The attacker is a synthetic execlists guest of tests/
 * exec_guest.h on a host with a second, idle one (the victim). The input
 * is the commands of one submission, run either as ring contents (the
 * privileged, GGTT-addressed path the kernel's own requests take) or as a
 * user batch in the PPGTT that the ring starts; the engine comes from the
 * input too. It runs for a bounded number of slices, then the oracle
 * checks, independently of the audit and the decoder:
 *
 *   - the device never asked for guest memory outside the attacker's
 *     memory map (every PPGTT table and frame, every GGTT frame is checked
 *     before it is used, H-19);
 *   - the victim's memory was not read or written, its registers and
 *     shadow PTEs not touched (its trap and execution counters are zero);
 *   - the daemon survives: a looping or faulting submission ends in a
 *     hang of that context (H-20), never a crash, leak or overflow.
 *
 * Input: byte 0: bit 0 ring (0) or PPGTT batch (1), bits 1-2 the engine;
 * then little-endian dwords (at most 1024).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Small guest RAM: one attacker is made per input. */
#define EG_RAM (4 * 1024 * 1024)
#include "../tests/exec_guest.h"

#define MAX_DWORDS	1024
#define BATCH_VA	0x100000ull
#define SLICES		32		/* worker slices per input: bounded */

static struct vgt_host *h;
static struct exec_guest victim;

static void fail(const char *what, unsigned long long a, unsigned long long b)
{
	fprintf(stderr, "fuzz_exec: %s (%llu, %llu)\n", what, a, b);
	abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct vgt_gpu_desc d;

	(void)argc;
	(void)argv;
	vgt_gpu_desc_default(&d);
	h = vgt_host_create(&d, NULL);
	if (!h || exec_guest_init_on(&victim, h))
		fail("cannot create the host and the victim", 0, 0);
	return 0;
}

static void check_victim(void)
{
	struct vgt_exec_stats x;

	if (victim.ram.reads || victim.ram.writes || victim.ram.bad)
		fail("the victim's memory was accessed", victim.ram.reads, victim.ram.writes);
	vgt_vgpu_exec_stats(victim.v, &x, false);
	if (x.submissions || x.commands || x.batches)
		fail("the victim executed something", x.submissions, x.commands);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t dw[MAX_DWORDS + 4];
	struct exec_guest g;
	struct eg_ctx c;
	size_t n;
	enum vgt_engine_id e;

	if (size < 1)
		return 0;
	n = (size - 1) / 4;
	if (n > MAX_DWORDS)
		n = MAX_DWORDS;
	memcpy(dw, data + 1, n * 4);
	e = (enum vgt_engine_id)((data[0] >> 1 & 3) % VGT_ENGINE_NR);

	if (exec_guest_init_on(&g, h))
		fail("cannot create the attacker", 0, 0);
	/* Counting starts after the setup: what follows is the device's own. */
	victim.ram.reads = victim.ram.writes = 0;
	eg_ctx_init(&g, &c, 1);
	if (data[0] & 1) {
		uint64_t gpa = eg_ppgtt_alloc(&g, BATCH_VA, (unsigned int)(n * 4 / 4096 + 1));
		const uint32_t start[4] = { EG_MI_BB_START | EG_MI_BB_PPGTT,
					    (uint32_t)BATCH_VA, 0, EG_MI_NOOP };

		memcpy(eg_ptr(&g, gpa), dw, n * 4);
		eg_emit(&g, &c, start, 4);
	} else {
		/* The ring holds (EG_RING_PAGES * 4096 - 8) bytes of commands. */
		eg_emit(&g, &c, dw, (unsigned int)n);
	}
	g.ram.bad = 0;
	eg_submit(&g, e, &c, NULL);
	vgt_vgpu_exec_run(g.v, SLICES);
	if (g.ram.bad)
		fail("the device asked for memory outside the attacker's map", g.ram.bad, 0);
	check_victim();
	exec_guest_fini(&g);
	check_victim();
	return 0;
}

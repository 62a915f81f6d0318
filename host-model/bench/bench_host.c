// SPDX-License-Identifier: MIT
/*
 * Benchmarks (figures, not tests): GGTT PTE validation rate (whole 8-byte
 * PTEs, split 4-byte halves, refused PTEs) and the cost of one trapped MMIO
 * access through the dispatcher per kind of access, with a plain memory
 * store measured in the same run for scale. Single thread, -O2.
 */
#include <stdio.h>
#include <time.h>

#include "libvgt.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(void)
{
	const unsigned long n = 10000000;
	static volatile uint32_t sink[1024];
	struct vgt_vgpu_request req;
	struct vgt_gpu_desc d;
	struct vgt_slices s;
	struct vgt_host *h;
	struct vgt_vgpu *v;
	unsigned long i, refused = 0;
	uint64_t first, pages, val;
	double t0, pte_s, split_s, bad_s, reg_ns, fw_ns, pv_ns, fence_ns, store_ns;
	int err;

	vgt_gpu_desc_default(&d);
	h = vgt_host_create(&d, &err);
	vgt_type_parse("8", &req);
	v = vgt_vgpu_create(h, &req, &err, NULL, 0);
	vgt_vgpu_slices(v, &s);
	first = s.hidden_base >> 12;
	pages = s.hidden_size >> 12;
	vgt_mmio_read(v, 0x78000, 8, &val);	/* PV-aware guest */

	t0 = now();
	for (i = 0; i < n; i++)
		refused += vgt_mmio_write(v, VGT_GSM_OFFSET + 8 * (first + i % pages), 8,
					  ((i & 0xffff) << 12) | 1) != 0;
	pte_s = n / (now() - t0);

	t0 = now();
	for (i = 0; i < n; i++) {
		uint64_t off = VGT_GSM_OFFSET + 8 * (first + i % pages);

		refused += vgt_mmio_write(v, off, 4, ((i & 0xffff) << 12) | 1) != 0;
		refused += vgt_mmio_write(v, off + 4, 4, 0) != 0;
	}
	split_s = n / (now() - t0);

	t0 = now();
	for (i = 0; i < n; i++)	/* the host's reserve: always refused */
		vgt_mmio_write(v, VGT_GSM_OFFSET + 8 * (i & 0xffff), 8, 1);
	bad_s = n / (now() - t0);

	t0 = now();
	for (i = 0; i < n; i++)
		vgt_mmio_write(v, 0x1000 + 4 * (i & 1023), 4, i);
	reg_ns = (now() - t0) * 1e9 / n;

	t0 = now();
	for (i = 0; i < n; i++)
		vgt_mmio_write(v, 0xa278, 4, 0x00010000 | (i & 1));
	fw_ns = (now() - t0) * 1e9 / n;

	t0 = now();
	for (i = 0; i < n; i++)
		vgt_mmio_read(v, 0x78040 + 4 * (i & 3), 4, &val);
	pv_ns = (now() - t0) * 1e9 / n;

	t0 = now();
	for (i = 0; i < n; i++)
		vgt_mmio_write(v, VGT_FENCE_BASE + 8 * (i & 3), 8,
			       ((s.aperture_base + 0xf000) << 32) | s.aperture_base | (i & 1));
	fence_ns = (now() - t0) * 1e9 / n;

	t0 = now();
	for (i = 0; i < n; i++)
		sink[i & 1023] = (uint32_t)i;
	store_ns = (now() - t0) * 1e9 / n;

	printf("GGTT PTE validation: %.1f M updates/s (%lu refused)\n", pte_s / 1e6, refused);
	printf("GGTT PTE validation, split 4-byte halves: %.1f M updates/s; refused PTEs: "
	       "%.1f M/s\n", split_s / 1e6, bad_s / 1e6);
	printf("MMIO dispatch: %.1f ns per trapped register write, %.1f ns per PVINFO read "
	       "(a plain store: %.2f ns, ratio %.0fx)\n", reg_ns, pv_ns, store_ns,
	       reg_ns / store_ns);
	printf("MMIO dispatch: %.1f ns per masked forcewake write, %.1f ns per fence write\n",
	       fw_ns, fence_ns);
	(void)sink[0];
	vgt_host_destroy(h);
	return 0;
}

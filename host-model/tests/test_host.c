// SPDX-License-Identifier: MIT
/*
 * libvgt: partitioning, the PVINFO page, and every refusal path of the
 * trapped-access mediation. Labels match spec/pvinfo.md's conformance table.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/types.h>

#include "i915_pvinfo.h"
#include "libvgt.h"

#include "vgt_test.h"

#define MIB VGT_MIB
#define PV(field) (VGT_PVINFO_PAGE + vgtif_offset(field))
#define PTE(index) (VGT_GSM_OFFSET + 8ULL * (index))

static struct vgt_host *default_host(void)
{
	struct vgt_gpu_desc d;
	int err;

	vgt_gpu_desc_default(&d);
	return vgt_host_create(&d, &err);
}

static struct vgt_vgpu *make_vgpu_flags(struct vgt_host *h, const char *type,
					unsigned int flags)
{
	struct vgt_vgpu_request req;
	char msg[128];
	int err;

	if (vgt_type_parse(type, &req))
		return NULL;
	req.flags = flags;
	return vgt_vgpu_create(h, &req, &err, msg, sizeof(msg));
}

static struct vgt_vgpu *make_vgpu(struct vgt_host *h, const char *type)
{
	return make_vgpu_flags(h, type, 0);
}

static u64 rd(struct vgt_vgpu *v, u64 off, unsigned int size)
{
	uint64_t val;

	vgt_mmio_read(v, off, size, &val);
	return val;
}

TEST(alloc, "H-5")
{
	struct vgt_host *h = default_host();
	struct vgt_vgpu *a, *b, *c;
	struct vgt_vgpu_request req;
	struct vgt_slices sa, sb;
	struct vgt_free fa, fh;
	unsigned int fences;
	char msg[128] = "";
	int err;

	a = make_vgpu(h, "8");
	b = make_vgpu(h, "8");
	CHECK(a && b, "two type 8 fit a 256 MiB aperture");
	vgt_vgpu_slices(a, &sa);
	vgt_vgpu_slices(b, &sb);
	CHECK(sa.id == 1 && sb.id == 2, "ids %u %u", sa.id, sb.id);
	CHECK(sa.aperture_base == 128 * MIB && sa.aperture_size == 64 * MIB &&
	      sa.hidden_base == 640 * MIB && sa.hidden_size == 384 * MIB &&
	      sa.fence_num == 4 && sa.fence_phys[0] == 4 && sa.fence_phys[3] == 7,
	      "slices of vGPU 1: ap %#llx hid %#llx",
	      (unsigned long long)sa.aperture_base, (unsigned long long)sa.hidden_base);
	CHECK(sb.aperture_base == 192 * MIB && sb.hidden_base == 1024 * MIB &&
	      sb.fence_phys[0] == 8, "slices of vGPU 2");

	vgt_type_parse("8", &req);
	c = vgt_vgpu_create(h, &req, &err, msg, sizeof(msg));
	CHECK(!c && err == -ENOSPC &&
	      !strcmp(msg, "aperture: requested 64 MiB, largest free 0 MiB, total free 0 MiB"),
	      "third type 8: %d \"%s\"", err, msg);

	vgt_vgpu_destroy(a);
	vgt_type_parse("64/3000/4", &req);
	c = vgt_vgpu_create(h, &req, &err, msg, sizeof(msg));
	CHECK(!c && err == -ENOSPC &&
	      !strcmp(msg, "hidden: requested 3000 MiB, largest free 2688 MiB, total free 3072 MiB"),
	      "hidden too big: %d \"%s\"", err, msg);
	vgt_host_free_space(h, &fa, &fh, &fences);
	CHECK(fa.total == 64 * MIB && fh.total == 3072 * MIB && fh.holes == 2 &&
	      fences == 24, "free space after destroy");

	CHECK(vgt_type_parse("0/384/4", &req) == -EINVAL &&
	      vgt_type_parse("9", &req) == -EINVAL &&
	      vgt_type_parse("64/64/4x", &req) == -EINVAL, "bad type names");
	req = (struct vgt_vgpu_request){ 64 * MIB + 1, 64 * MIB, 1, 0, 0, VGT_PLATFORM_SKL };
	CHECK(!vgt_vgpu_create(h, &req, &err, msg, sizeof(msg)) && err == -EINVAL,
	      "unaligned request");
	vgt_host_destroy(h);
}

/* 10^4 seeded create/destroy cycles; failures despite enough free space. */
TEST(alloc_random, "H-5")
{
	static const char *const types[] = { "8", "4", "2", "1", "16/128/1" };
	struct vgt_gpu_desc d;
	struct vgt_vgpu *live[64] = { 0 };
	unsigned int seed = vgt_test_seed(), i, nlive = 0, frag_failures = 0, overlaps = 0;
	struct vgt_host *h;
	int err;

	vgt_gpu_desc_default(&d);
	d.aperture_size = 2048 * MIB;
	h = vgt_host_create(&d, &err);
	srand(seed);
	for (i = 0; i < 10000; i++) {
		unsigned int k = rand() % 64;

		if (live[k]) {
			vgt_vgpu_destroy(live[k]);
			live[k] = NULL;
			nlive--;
		} else {
			struct vgt_vgpu_request req;
			struct vgt_free fa, fh;
			unsigned int fences, j;
			char msg[128];

			vgt_type_parse(types[rand() % 5], &req);
			vgt_host_free_space(h, &fa, &fh, &fences);
			live[k] = vgt_vgpu_create(h, &req, &err, msg, sizeof(msg));
			if (!live[k]) {
				if (fa.total >= req.aperture && fh.total >= req.hidden &&
				    fences >= req.fences)
					frag_failures++;
				continue;
			}
			nlive++;
			for (j = 0; j < 64; j++) {
				struct vgt_slices a, b;

				if (j == k || !live[j])
					continue;
				vgt_vgpu_slices(live[k], &a);
				vgt_vgpu_slices(live[j], &b);
				if ((a.aperture_base < b.aperture_base + b.aperture_size &&
				     b.aperture_base < a.aperture_base + a.aperture_size) ||
				    (a.hidden_base < b.hidden_base + b.hidden_size &&
				     b.hidden_base < a.hidden_base + a.hidden_size))
					overlaps++;
			}
		}
	}
	CHECK(overlaps == 0, "seed %u: %u overlapping slices", seed, overlaps);
	printf("# alloc_random: seed %u, 10000 cycles, %u live at end, "
	       "%u failures while enough total space was free\n",
	       seed, nlive, frag_failures);
	vgt_host_destroy(h);
}

/* The 1.0 page of the spec's table, on a 1.0-only vGPU (pvinfo-1.1.md H-23). */
TEST(pvinfo, "H-1 H-2 H-3 H-4 H-7 H-11 H-23")
{
	struct vgt_host *h = default_host();
	struct vgt_vgpu *v = make_vgpu_flags(h, "8", VGT_REQ_PVINFO_1_0);
	u8 page[VGT_PVINFO_SIZE], want[VGT_PVINFO_SIZE];
	struct vgt_if *w = (struct vgt_if *)want;
	unsigned int off;
	int diff = 0;

	memset(want, 0, sizeof(want));
	w->magic = VGT_MAGIC;
	w->version_major = 1;
	w->version_minor = 0;
	w->vgt_id = 1;
	w->vgt_caps = 0x1c;
	w->avail_rs.mappable_gmadr.base = 0x08000000;
	w->avail_rs.mappable_gmadr.size = 0x04000000;
	w->avail_rs.nonmappable_gmadr.base = 0x28000000;
	w->avail_rs.nonmappable_gmadr.size = 0x18000000;
	w->avail_rs.fence_num = 4;
	w->cursor_x_hot = 0xffffffff;
	w->cursor_y_hot = 0xffffffff;
	for (off = 0; off < VGT_PVINFO_SIZE; off += 4) {
		u32 got = (u32)rd(v, VGT_PVINFO_PAGE + off, 4);

		memcpy(page + off, &got, 4);
	}
	for (off = 0; off < VGT_PVINFO_SIZE; off++)
		diff += page[off] != want[off];
	CHECK(diff == 0, "host:test_pvinfo: %d bytes differ from the spec table", diff);
	CHECK(rd(v, PV(magic), 8) == VGT_MAGIC, "64-bit magic read");

	/* Host half read-only (H-4); display_ready values (H-11); reset (H-3). */
	CHECK(vgt_mmio_write(v, PV(avail_rs.fence_num), 4, 32) == -EPERM &&
	      rd(v, PV(avail_rs.fence_num), 4) == 4, "host half is read-only");
	CHECK(vgt_mmio_write(v, PV(rsv7), 4, 1) == -EPERM, "reserved guest word");
	CHECK(vgt_mmio_write(v, PV(display_ready), 4, 2) == -EPROTO &&
	      vgt_mmio_write(v, PV(display_ready), 4, 1) == 0 &&
	      rd(v, PV(display_ready), 4) == 1, "display_ready 0/1 only");
	vgt_vgpu_reset(v);
	CHECK(rd(v, PV(display_ready), 4) == 0 && rd(v, PV(cursor_x_hot), 4) == 0xffffffff,
	      "reset re-populates");
	vgt_host_destroy(h);
}

TEST(g2v, "H-4 H-9 H-10 H-15 H-16")
{
	struct vgt_host *h = default_host();
	struct vgt_vgpu *v = make_vgpu(h, "8");
	struct vgt_traps t;

	rd(v, PV(magic), 8);
	CHECK(vgt_mmio_write(v, PV(pdp[0].lo), 4, 0x1234000) == 0 &&
	      vgt_mmio_write(v, PV(pdp[0].hi), 4, 0x1) == 0 &&
	      vgt_mmio_write(v, PV(g2v_notify), 4, VGT_G2V_PPGTT_L4_PAGE_TABLE_CREATE) == 0 &&
	      vgt_vgpu_ppgtt_roots(v) == 1, "L4 create recorded");
	CHECK(vgt_mmio_write(v, PV(pdp[0].lo), 4, 0x5678000) == 0 &&
	      vgt_mmio_write(v, PV(g2v_notify), 4, VGT_G2V_PPGTT_L4_PAGE_TABLE_DESTROY) == -EPROTO &&
	      vgt_vgpu_ppgtt_roots(v) == 1, "destroy of an unknown root refused");
	CHECK(vgt_mmio_write(v, PV(pdp[0].lo), 4, 0x1234000) == 0 &&
	      vgt_mmio_write(v, PV(g2v_notify), 4, VGT_G2V_PPGTT_L4_PAGE_TABLE_DESTROY) == 0 &&
	      vgt_vgpu_ppgtt_roots(v) == 0, "L4 destroy");
	CHECK(vgt_mmio_write(v, PV(g2v_notify), 4, 1) == 0 &&
	      vgt_mmio_write(v, PV(g2v_notify), 4, VGT_G2V_EXECLIST_CONTEXT_CREATE) == 0 &&
	      vgt_mmio_write(v, PV(g2v_notify), 4, VGT_G2V_MAX) == -EPROTO &&
	      vgt_mmio_write(v, PV(g2v_notify), 4, 0) == -EPROTO, "codes");
	CHECK(!vgt_vgpu_failsafe(v) && vgt_mmio_write(v, PV(rsv5), 4, 1) == 0 &&
	      vgt_vgpu_failsafe(v), "rsv5 write enters failsafe");
	vgt_vgpu_traps(v, &t, true);
	CHECK(t.count[VGT_TRAP_PVINFO] == 13 && t.rejected[VGT_TRAP_PVINFO] == 3,
	      "pvinfo traps %llu rejected %llu",
	      (unsigned long long)t.count[VGT_TRAP_PVINFO],
	      (unsigned long long)t.rejected[VGT_TRAP_PVINFO]);
	vgt_vgpu_traps(v, &t, false);
	CHECK(t.count[VGT_TRAP_PVINFO] == 0, "reset of counters");
	vgt_host_destroy(h);
}

TEST(ggtt, "H-12 H-15")
{
	struct vgt_host *h = default_host();
	struct vgt_vgpu *v = make_vgpu(h, "8");
	u64 mine = (128 * MIB) >> 12, other = (192 * MIB) >> 12;
	u64 hid = (640 * MIB) >> 12, pte = 0x12345000 | 1;
	struct vgt_traps t;

	CHECK(vgt_mmio_write(v, PTE(mine), 8, pte) == 0 &&
	      vgt_vgpu_shadow_pte(v, mine) == pte, "PTE in aperture slice");
	CHECK(vgt_mmio_write(v, PTE(hid + 5), 8, pte) == 0, "PTE in hidden slice");
	CHECK(vgt_mmio_write(v, PTE(other), 8, pte) == -ERANGE &&
	      vgt_mmio_write(v, PTE(mine - 1), 8, pte) == -ERANGE &&
	      vgt_mmio_write(v, PTE(hid - 1), 8, pte) == -ERANGE,
	      "PTE outside the slices refused");
	CHECK(vgt_mmio_write(v, PTE(mine + 1), 8, (5ULL << 32) | 1) == -ERANGE &&
	      vgt_vgpu_shadow_pte(v, mine + 1) == 0, "frame beyond guest memory");
	CHECK(vgt_mmio_write(v, PTE(mine + 1), 8, 5ULL << 32) == 0,
	      "a non-present PTE may hold anything");
	CHECK(vgt_mmio_write(v, PTE(mine + 2), 4, 0x777001) == 0 &&
	      vgt_vgpu_shadow_pte(v, mine + 2) == 0 &&
	      vgt_mmio_write(v, PTE(mine + 2) + 4, 4, 0) == 0 &&
	      vgt_vgpu_shadow_pte(v, mine + 2) == 0x777001, "split halves");
	CHECK(vgt_mmio_write(v, PTE(mine + 3) + 4, 4, 0) == -EINVAL,
	      "high half without its low half");
	CHECK(vgt_mmio_write(v, PTE(mine + 3), 2, 0) == -EINVAL, "2-byte PTE access");
	CHECK(rd(v, PTE(other), 8) == 0 && rd(v, PTE(mine), 8) == pte,
	      "reads outside return 0");
	vgt_vgpu_traps(v, &t, false);
	CHECK(t.count[VGT_TRAP_GGTT] == 13 && t.rejected[VGT_TRAP_GGTT] == 7,
	      "ggtt traps %llu rejected %llu",
	      (unsigned long long)t.count[VGT_TRAP_GGTT],
	      (unsigned long long)t.rejected[VGT_TRAP_GGTT]);
	vgt_host_destroy(h);
}

TEST(fence, "H-13 H-16")
{
	struct vgt_host *h = default_host();
	struct vgt_vgpu *v = make_vgpu(h, "8");
	u64 f = VGT_FENCE_BASE;
	/* [128 MiB, 132 MiB), stride 512: inside the aperture slice. */
	u64 good = ((u64)((132 * MIB - 4096) | 3) << 32) | (128 * MIB) | 1;
	u64 outside = ((u64)((200 * MIB - 4096) | 3) << 32) | (196 * MIB) | 1;

	CHECK(vgt_mmio_write(v, f + 8 * 1, 8, good) == 0 && !vgt_vgpu_failsafe(v) == false,
	      "fence before reading PVINFO: failsafe");
	vgt_vgpu_reset(v);
	rd(v, PV(magic), 8);
	CHECK(vgt_mmio_write(v, f + 8 * 1, 8, good) == 0 &&
	      vgt_host_fence(h, 5) == good && !vgt_vgpu_failsafe(v),
	      "guest fence 1 is physical fence 5");
	CHECK(vgt_mmio_write(v, f + 8 * 4, 8, good) == -ERANGE &&
	      vgt_mmio_write(v, f + 8 * 31 + 4, 4, 0) == -ERANGE &&
	      vgt_host_fence(h, 8) == 0, "index beyond fence_num");
	CHECK(vgt_mmio_write(v, f + 8 * 2, 8, outside) == -ERANGE &&
	      vgt_host_fence(h, 6) == 0, "fence over another vGPU's range");
	/* 6.1's sequence: clear LO, write HI, write LO (valid). */
	CHECK(vgt_mmio_write(v, f + 16, 4, 0) == 0 &&
	      vgt_mmio_write(v, f + 20, 4, (u32)(good >> 32)) == 0 &&
	      vgt_mmio_write(v, f + 16, 4, (u32)good) == 0 &&
	      vgt_host_fence(h, 6) == good, "32-bit fence sequence");
	vgt_host_destroy(h);
}

TEST(registers, "H-15 H-16")
{
	struct vgt_host *h = default_host();
	struct vgt_vgpu *v = make_vgpu(h, "8");
	struct vgt_traps t;

	CHECK(vgt_mmio_write(v, 0xa278, 4, 0x00010001) == 0 &&
	      rd(v, 0x0d84, 4) == 1, "forcewake ack mirrors request");
	CHECK(vgt_mmio_write(v, 0xa278, 4, 0x00020002) == 0 &&
	      rd(v, 0xa278, 4) == 3 && rd(v, 0x0d84, 4) == 3, "masked bits accumulate");
	CHECK(vgt_mmio_write(v, 0xa278, 4, 0x00010000) == 0 &&
	      rd(v, 0x0d84, 4) == 2, "masked clear");
	CHECK(vgt_mmio_write(v, 0x0d84, 4, 0) == -EPERM && rd(v, 0x0d84, 4) == 2,
	      "ack is read-only");
	CHECK(rd(v, 0xa168, 4) == 0xffffffff, "reset value");
	/* W1C: writing ones clears, never sets (plain storage would keep them). */
	CHECK(vgt_mmio_write(v, 0x44308, 4, 0xffffffff) == 0 && rd(v, 0x44308, 4) == 0,
	      "IIR is write-1-to-clear");
	CHECK(vgt_mmio_write(v, 0x1234, 4, 0xdeadbeef) == 0 &&
	      rd(v, 0x1234, 4) == 0xdeadbeef, "plain storage");
	CHECK(vgt_mmio_write(v, 0x229c, 4, 0x80008000) == 0 && vgt_vgpu_failsafe(v),
	      "execlists enabled before reading PVINFO: failsafe");
	CHECK(vgt_mmio_write(v, 0x300000, 4, 0) == -EINVAL &&
	      vgt_mmio_write(v, 0x1235, 4, 0) == -EINVAL &&
	      vgt_mmio_write(v, VGT_BAR0_SIZE, 4, 0) == -EINVAL, "bad accesses");
	vgt_vgpu_traps(v, &t, false);
	CHECK(t.count[VGT_TRAP_PM] == 10 && t.rejected[VGT_TRAP_PM] == 1 &&
	      t.count[VGT_TRAP_RING] == 1,
	      "pm traps %llu ring %llu", (unsigned long long)t.count[VGT_TRAP_PM],
	      (unsigned long long)t.count[VGT_TRAP_RING]);
	vgt_host_destroy(h);
}

struct log_capture {
	unsigned int lines;
	char last[256];
};

static void capture(void *priv, const char *line)
{
	struct log_capture *c = priv;

	c->lines++;
	snprintf(c->last, sizeof(c->last), "%s", line);
}

/* Each refusal: a reason and one log line; an accepted access: none. */
TEST(rejection_log, "H-15")
{
	struct vgt_host *h = default_host();
	struct log_capture cap = { 0 };
	struct vgt_vgpu *v;
	char last[256];

	vgt_host_set_log(h, capture, &cap);
	v = make_vgpu(h, "8");
	vgt_mmio_write(v, PTE((128 * MIB) >> 12), 8, 0x3001);
	CHECK(cap.lines == 0, "accepted PTE logged: %s", cap.last);
	vgt_mmio_write(v, PTE(0), 8, 0x3001);
	CHECK(cap.lines == 1 && !strcmp(cap.last, "vgpu1: refused write of 8 bytes at 0x800000 "
	      "(ggtt) value 0x3001: GGTT page outside the vGPU's slices (-ERANGE)"),
	      "PTE refusal line: %s", cap.last);
	vgt_mmio_write(v, VGT_FENCE_BASE + 8 * 9, 8, 0);
	CHECK(cap.lines == 2 && strstr(cap.last, "fence index beyond fence_num (-ERANGE)"),
	      "fence refusal line: %s", cap.last);
	vgt_mmio_write(v, PV(vgt_id), 4, 7);
	vgt_vgpu_last_rejection(v, last, sizeof(last));
	CHECK(cap.lines == 3 && strstr(last, "PVINFO host half is read-only (-EPERM)"),
	      "pvinfo refusal line: %s", last);
	vgt_host_destroy(h);
}

VGT_TEST_MAIN()

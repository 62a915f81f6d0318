// SPDX-License-Identifier: MIT
/*
 * Mediation of the trapped BAR0 ranges: the PVINFO page byte for byte and
 * its guest half, g2v_notify PPGTT bookkeeping, every GGTT PTE and fence
 * rejection path (with its reason, and no state change), the physical fence
 * file, and each way into GVT-g's failsafe.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/types.h>

#include "i915_pvinfo.h"
#include "libvgt.h"

#include "vgt_test.h"

#define MIB VGT_MIB
#define PV(field) (VGT_PVINFO_PAGE + vgtif_offset(field))
#define PTE(index) (VGT_GSM_OFFSET + 8ULL * (index))
#define FENCE(n) (VGT_FENCE_BASE + 8ULL * (n))

static struct vgt_host *h;

static struct vgt_vgpu *mk_flags(const char *type, uint64_t guest_mem, unsigned int flags)
{
	struct vgt_vgpu_request req;
	int err;

	vgt_type_parse(type, &req);
	if (guest_mem)
		req.guest_mem = guest_mem;
	req.flags = flags;
	return vgt_vgpu_create(h, &req, &err, NULL, 0);
}

static struct vgt_vgpu *mk(const char *type, uint64_t guest_mem)
{
	return mk_flags(type, guest_mem, 0);
}

static u64 rd(struct vgt_vgpu *v, u64 off, unsigned int size)
{
	uint64_t val;

	vgt_mmio_read(v, off, size, &val);
	return val;
}

/*
 * The spec tables, written out independently of vgt_if: 1.0, and what a
 * 1.1 device adds (pvinfo-1.1.md 13.1: minor 1, caps bit 5, the features
 * GGTT_BATCH | RESLICE and 64 pages at 0x060 and 0x06c).
 */
static void expected_page(u8 *p, const struct vgt_slices *s, bool pv11)
{
	memset(p, 0, VGT_PVINFO_SIZE);
	memcpy(p + 0x000, "vGTvGTvG", 8);
	p[0x008] = 1;			/* version 1.0 */
	p[0x00a] = pv11;		/* or 1.1 */
	p[0x00c] = (u8)s->id;
	p[0x010] = pv11 ? 0x3c : 0x1c;	/* FULL_PPGTT | HWSP_EMULATION | HUGE_GTT (| PV11) */
	p[0x060] = pv11 ? 0x3 : 0;
	p[0x06c] = pv11 ? 64 : 0;
	memcpy(p + 0x040, &(u32){ (u32)s->aperture_base }, 4);
	memcpy(p + 0x044, &(u32){ (u32)s->aperture_size }, 4);
	memcpy(p + 0x048, &(u32){ (u32)s->hidden_base }, 4);
	memcpy(p + 0x04c, &(u32){ (u32)s->hidden_size }, 4);
	memcpy(p + 0x050, &(u32){ s->fence_num }, 4);
	memset(p + 0x830, 0xff, 8);	/* cursor hotspots */
}

TEST(pvinfo_page, "H-1 H-2 H-3 H-7 H-8")
{
	struct vgt_vgpu *v[2] = { mk("8", 0), mk_flags("8", 0, VGT_REQ_PVINFO_1_0) };
	u8 want[VGT_PVINFO_SIZE], got[VGT_PVINFO_SIZE], bad[VGT_PVINFO_SIZE];
	struct vgt_slices s;
	unsigned int k, i, diff, mmio_diff;

	for (k = 0; k < 2; k++) {
		vgt_vgpu_slices(v[k], &s);
		expected_page(want, &s, k == 0);
		vgt_vgpu_get_pvinfo(v[k], got);
		for (i = diff = 0; i < VGT_PVINFO_SIZE; i++)
			diff += got[i] != want[i];
		for (i = mmio_diff = 0; i < VGT_PVINFO_SIZE; i += 4)
			mmio_diff += rd(v[k], VGT_PVINFO_PAGE + i, 4) !=
				     (u64)(want[i] | want[i + 1] << 8 | want[i + 2] << 16 |
					   (u32)want[i + 3] << 24);
		CHECK(diff == 0 && mmio_diff == 0 && s.id == k + 1,
		      "vGPU %u: %u bytes, %u dwords through MMIO differ", s.id, diff, mmio_diff);
	}
	CHECK(s.aperture_base == 192 * MIB && s.hidden_base == (256 + 384 + 384) * MIB,
	      "second vGPU's slices as host GGTT addresses");
	CHECK(rd(v[0], PV(magic), 8) == VGT_MAGIC && rd(v[0], PV(version_minor), 2) == 1 &&
	      rd(v[1], PV(version_minor), 2) == 0 &&
	      rd(v[0], PV(vgt_id) + 1, 1) == 0, "sized reads");
	/* Fault injection, then a reset re-populates. */
	memset(bad, 0xa5, sizeof(bad));
	CHECK(vgt_vgpu_set_pvinfo(v[0], bad) == 0 && rd(v[0], PV(magic), 8) == 0xa5a5a5a5a5a5a5a5ULL &&
	      rd(v[0], VGT_PVINFO_PAGE + 0xffc, 4) == 0xa5a5a5a5, "malformed page visible");
	CHECK(vgt_vgpu_set_pvinfo(v[0], NULL) == -EINVAL && vgt_vgpu_set_pvinfo(NULL, bad) == -EINVAL,
	      "set_pvinfo NULL");
	vgt_vgpu_reset(v[0]);
	vgt_vgpu_slices(v[0], &s);
	expected_page(want, &s, true);
	vgt_vgpu_get_pvinfo(v[0], got);
	CHECK(!memcmp(want, got, sizeof(got)), "reset re-populates the page");
	vgt_vgpu_destroy(v[0]);
	vgt_vgpu_destroy(v[1]);
}

TEST(pvinfo_writes, "H-4 H-9 H-10 H-11")
{
	struct vgt_vgpu *v = mk("8", 0);
	u8 page[VGT_PVINFO_SIZE], page2[VGT_PVINFO_SIZE];
	uint64_t l3[4] = { 0x1000, 0x2000, 0x3000, 0x4000 }, l4[4] = { 0xabc000 };
	struct vgt_traps t;
	unsigned int off;

	vgt_vgpu_get_pvinfo(v, page);
	for (off = 0; off < 0x800; off += 4)
		if (vgt_mmio_write(v, VGT_PVINFO_PAGE + off, 4, 0x5a) != -EPERM)
			break;
	vgt_vgpu_get_pvinfo(v, page2);
	vgt_vgpu_traps(v, &t, true);
	CHECK(off == 0x800 && !memcmp(page, page2, sizeof(page)) &&
	      t.rejected[VGT_TRAP_PVINFO] == 0x200 && t.reason[VGT_REASON_PV_HOST_HALF] == 0x200,
	      "host half: every dword refused, counted (%llu), unchanged",
	      (unsigned long long)t.rejected[VGT_TRAP_PVINFO]);
	CHECK(vgt_mmio_write(v, PV(display_ready), 4, 1) == 0 && rd(v, PV(display_ready), 4) == 1 &&
	      vgt_mmio_write(v, PV(display_ready), 4, 2) == -EPROTO &&
	      rd(v, PV(display_ready), 4) == 1 && vgt_mmio_write(v, PV(display_ready), 4, 0) == 0 &&
	      vgt_mmio_write(v, PV(display_ready), 2, 1) == -EINVAL, "display_ready 0/1 only");
	CHECK(vgt_mmio_write(v, PV(display_ready), 4, 1) == 0 && vgt_vgpu_display_ready(v) == 1 &&
	      vgt_mmio_write(v, PV(display_ready), 4, 3) == -EPROTO && vgt_vgpu_display_ready(v) == 1,
	      "vgt_vgpu_display_ready: the last accepted value");
	vgt_vgpu_reset(v);
	CHECK(vgt_vgpu_display_ready(v) == 0 && vgt_vgpu_display_ready(NULL) == 0,
	      "vgt_vgpu_display_ready: 0 after reset and for NULL");
	{
		unsigned int at = 0, sz = 0;

		CHECK(vgt_pvinfo_field("fence_num", 9, &at, &sz) == 0 &&
		      at == vgtif_offset(avail_rs.fence_num) && sz == 4 &&
		      vgt_pvinfo_field("magic=1", 5, &at, &sz) == 0 && at == 0 && sz == 8 &&
		      vgt_pvinfo_field("mappable_size", 13, &at, &sz) == 0 &&
		      at == vgtif_offset(avail_rs.mappable_gmadr.size) && sz == 4,
		      "vgt_pvinfo_field: offsets and sizes of the ABI header");
		at = sz = 7;
		CHECK(vgt_pvinfo_field("fence", 5, &at, &sz) == -EINVAL &&
		      vgt_pvinfo_field("display_ready", 13, &at, &sz) == -EINVAL &&
		      vgt_pvinfo_field(NULL, 0, &at, &sz) == -EINVAL && at == 7 && sz == 7,
		      "vgt_pvinfo_field: prefixes, guest-half and NULL refused, outputs untouched");
	}
	CHECK(vgt_mmio_write(v, PV(rsv4), 4, 1) == -EPERM && vgt_mmio_write(v, PV(rsv6), 4, 1) == -EPERM &&
	      vgt_mmio_write(v, PV(rsv7) + 0x100, 4, 1) == -EPERM &&
	      vgt_vgpu_last_reason(v) == VGT_REASON_PV_RESERVED && rd(v, PV(rsv7) + 0x100, 4) == 0,
	      "reserved guest words");
	CHECK(vgt_mmio_write(v, PV(cursor_x_hot), 4, 12) == 0 && rd(v, PV(cursor_x_hot), 4) == 12 &&
	      vgt_mmio_write(v, PV(execlist_context_descriptor_lo), 8, 0x1122334455667788ULL) == 0 &&
	      rd(v, PV(execlist_context_descriptor_hi), 4) == 0x11223344, "stored guest words");
	/* L3: all four pdps name the root; L4: pdp[0]. */
	vgt_mmio_write(v, PV(pdp[0]), 8, l3[0]);
	vgt_mmio_write(v, PV(pdp[1]), 8, l3[1]);
	vgt_mmio_write(v, PV(pdp[2].lo), 4, l3[2]);
	vgt_mmio_write(v, PV(pdp[3].lo), 4, l3[3]);
	CHECK(vgt_mmio_write(v, PV(g2v_notify), 4, VGT_G2V_PPGTT_L3_PAGE_TABLE_CREATE) == 0 &&
	      vgt_mmio_write(v, PV(g2v_notify), 4, VGT_G2V_PPGTT_L3_PAGE_TABLE_CREATE) == 0 &&
	      vgt_vgpu_ppgtt_roots(v) == 1 && vgt_vgpu_ppgtt_root_refs(v, 3, l3) == 2 &&
	      vgt_vgpu_ppgtt_root_refs(v, 4, l3) == 0, "L3 create twice: one root, two refs");
	vgt_mmio_write(v, PV(pdp[3].lo), 4, 0x9000);
	CHECK(vgt_mmio_write(v, PV(g2v_notify), 4, VGT_G2V_PPGTT_L3_PAGE_TABLE_DESTROY) == -EPROTO &&
	      vgt_vgpu_last_reason(v) == VGT_REASON_G2V_NO_ROOT && vgt_vgpu_ppgtt_roots(v) == 1,
	      "L3 destroy with a different pdp[3] refused");
	vgt_mmio_write(v, PV(pdp[0]), 8, l4[0]);
	CHECK(vgt_mmio_write(v, PV(g2v_notify), 4, VGT_G2V_PPGTT_L4_PAGE_TABLE_CREATE) == 0 &&
	      vgt_vgpu_ppgtt_root_refs(v, 4, l4) == 1 && vgt_vgpu_ppgtt_roots(v) == 2 &&
	      rd(v, PV(g2v_notify), 4) == VGT_G2V_PPGTT_L4_PAGE_TABLE_CREATE, "L4 create");
	CHECK(vgt_mmio_write(v, PV(g2v_notify), 4, VGT_G2V_PPGTT_L4_PAGE_TABLE_DESTROY) == 0 &&
	      vgt_mmio_write(v, PV(g2v_notify), 4, VGT_G2V_PPGTT_L4_PAGE_TABLE_DESTROY) == -EPROTO &&
	      vgt_vgpu_ppgtt_roots(v) == 1, "L4 destroy, then destroy of an unknown root");
	vgt_mmio_write(v, PV(pdp[0]), 8, l3[0]);
	vgt_mmio_write(v, PV(pdp[3].lo), 4, l3[3]);
	CHECK(vgt_mmio_write(v, PV(g2v_notify), 4, VGT_G2V_PPGTT_L3_PAGE_TABLE_DESTROY) == 0 &&
	      vgt_mmio_write(v, PV(g2v_notify), 4, VGT_G2V_PPGTT_L3_PAGE_TABLE_DESTROY) == 0 &&
	      vgt_vgpu_ppgtt_roots(v) == 0, "L3 destroyed twice: gone");
	CHECK(vgt_mmio_write(v, PV(g2v_notify), 4, VGT_G2V_EXECLIST_CONTEXT_CREATE) == 0 &&
	      vgt_mmio_write(v, PV(g2v_notify), 4, VGT_G2V_EXECLIST_CONTEXT_DESTROY) == 0 &&
	      vgt_mmio_write(v, PV(g2v_notify), 4, 1) == 0 &&
	      vgt_mmio_write(v, PV(g2v_notify), 4, 0) == -EPROTO &&
	      vgt_mmio_write(v, PV(g2v_notify), 4, VGT_G2V_MAX) == -EPROTO &&
	      vgt_vgpu_last_reason(v) == VGT_REASON_G2V_UNKNOWN &&
	      rd(v, PV(g2v_notify), 4) == 1, "execlist and legacy codes; unknown codes");
	vgt_vgpu_destroy(v);
}

TEST(pte, "H-12 H-15 H-17")
{
	struct vgt_vgpu *v = mk("8", 64 * MIB), *w = mk("8", 0);
	struct vgt_slices s, o;
	struct vgt_traps t;
	u64 ap, hid, last;

	vgt_vgpu_slices(v, &s);
	vgt_vgpu_slices(w, &o);
	ap = s.aperture_base >> 12;
	hid = s.hidden_base >> 12;
	last = ((s.hidden_base + s.hidden_size) >> 12) - 1;
	vgt_vgpu_traps(v, &t, true);
	CHECK(vgt_mmio_write(v, PTE(ap), 8, 0x3ff0001) == 0 && vgt_vgpu_shadow_pte(v, ap) == 0x3ff0001,
	      "last guest frame (64 MiB guest)");
	CHECK(vgt_mmio_write(v, PTE(last), 8, 0x1003) == 0 && vgt_vgpu_shadow_pte(v, last) == 0x1003,
	      "last page of the hidden slice");
	CHECK(vgt_mmio_write(v, PTE(ap), 8, 0x4000001) == -ERANGE &&
	      vgt_vgpu_last_reason(v) == VGT_REASON_PTE_FRAME &&
	      vgt_vgpu_shadow_pte(v, ap) == 0x3ff0001, "frame == guest memory: refused, unchanged");
	CHECK(vgt_mmio_write(v, PTE(ap), 8, (1ULL << 38) | 1) == -ERANGE,
	      "frame bit 38 set");
	CHECK(vgt_mmio_write(v, PTE(ap), 8, (1ULL << 39) | 0x1001) == 0,
	      "bits above 38 are not the frame");
	CHECK(vgt_mmio_write(v, PTE(ap + 1), 8, 0xfffff000) == 0 &&
	      vgt_vgpu_shadow_pte(v, ap + 1) == 0xfffff000, "non-present PTE: frame not checked");
	CHECK(vgt_mmio_write(v, PTE(o.aperture_base >> 12), 8, 1) == -ERANGE &&
	      vgt_vgpu_last_reason(v) == VGT_REASON_PTE_OUTSIDE &&
	      vgt_vgpu_shadow_pte(w, o.aperture_base >> 12) == 0, "other vGPU's aperture slice");
	CHECK(vgt_mmio_write(v, PTE(hid - 1), 8, 1) == -ERANGE &&
	      vgt_mmio_write(v, PTE(last + 1), 8, 1) == -ERANGE &&
	      vgt_mmio_write(v, PTE(ap - 1), 8, 1) == -ERANGE && vgt_mmio_write(v, PTE(0), 8, 1) == -ERANGE,
	      "just outside each slice; host's reserve");
	CHECK(vgt_mmio_write(v, PTE(ap + 2), 2, 1) == -EINVAL &&
	      vgt_vgpu_last_reason(v) == VGT_REASON_PTE_SIZE && vgt_mmio_write(v, PTE(ap + 2), 1, 1) == -EINVAL,
	      "1- and 2-byte PTE writes");
	/* Split halves: low buffered, committed with the high half. */
	CHECK(vgt_mmio_write(v, PTE(ap + 3), 4, 0x5001) == 0 && vgt_vgpu_shadow_pte(v, ap + 3) == 0 &&
	      vgt_mmio_write(v, PTE(ap + 3) + 4, 4, 0) == 0 && vgt_vgpu_shadow_pte(v, ap + 3) == 0x5001,
	      "low then high half");
	CHECK(vgt_mmio_write(v, PTE(ap + 4) + 4, 4, 0) == -EINVAL &&
	      vgt_vgpu_last_reason(v) == VGT_REASON_PTE_HALF, "high half alone");
	CHECK(vgt_mmio_write(v, PTE(ap + 4), 4, 0x6001) == 0 &&
	      vgt_mmio_write(v, PTE(ap + 5) + 4, 4, 0) == -EINVAL && vgt_vgpu_shadow_pte(v, ap + 5) == 0,
	      "high half of another PTE");
	CHECK(vgt_mmio_write(v, PTE(ap + 4) + 4, 4, 0x40) == -ERANGE &&
	      vgt_vgpu_last_reason(v) == VGT_REASON_PTE_FRAME && vgt_vgpu_shadow_pte(v, ap + 4) == 0,
	      "split PTE with a frame beyond guest memory");
	CHECK(vgt_mmio_write(v, PTE(o.hidden_base >> 12), 4, 1) == -ERANGE, "low half outside");
	CHECK(rd(v, PTE(ap + 3), 8) == 0x5001 && rd(v, PTE(ap + 3), 4) == 0x5001 &&
	      rd(v, PTE(ap) + 4, 4) == 0x80 && rd(v, PTE(o.aperture_base >> 12), 8) == 0,
	      "reads; outside the slices reads 0");
	vgt_vgpu_traps(v, &t, false);
	CHECK(t.count[VGT_TRAP_GGTT] == 24 && t.rejected[VGT_TRAP_GGTT] == 14 &&
	      t.reason[VGT_REASON_PTE_OUTSIDE] == 7 && t.reason[VGT_REASON_PTE_FRAME] == 3 &&
	      t.reason[VGT_REASON_PTE_HALF] == 2 && t.reason[VGT_REASON_PTE_SIZE] == 2,
	      "ggtt traps %llu rejected %llu", (unsigned long long)t.count[VGT_TRAP_GGTT],
	      (unsigned long long)t.rejected[VGT_TRAP_GGTT]);
	vgt_vgpu_reset(v);
	CHECK(vgt_vgpu_shadow_pte(v, ap + 3) == 0, "reset invalidates the shadow");
	vgt_vgpu_destroy(v);
	vgt_vgpu_destroy(w);
}

TEST(fence, "H-13 H-15")
{
	struct vgt_vgpu *a = mk("8", 0), *v = mk("8", 0);
	struct vgt_slices s, o;
	struct vgt_traps t;
	u64 base, good, end_fence;

	vgt_vgpu_slices(v, &s);
	vgt_vgpu_slices(a, &o);
	rd(v, PV(magic), 8);	/* aware: no failsafe here */
	base = s.hidden_base;
	good = ((base + 0x10000 - 4096) << 32) | base | 1;	/* 64 KiB */
	end_fence = ((s.aperture_base + s.aperture_size - 4096) << 32) | s.aperture_base | 1;
	vgt_vgpu_traps(v, &t, true);
	CHECK(s.fence_phys[0] == 8 && vgt_mmio_write(v, FENCE(0), 8, good) == 0 &&
	      vgt_host_fence(h, 8) == good && rd(v, FENCE(0), 8) == good && vgt_host_fence(h, 0) == 0,
	      "guest fence 0 is physical fence 8");
	CHECK(vgt_mmio_write(v, FENCE(3), 8, end_fence) == 0 && vgt_host_fence(h, 11) == end_fence,
	      "whole aperture slice on the last fence");
	CHECK(vgt_mmio_write(v, FENCE(4), 8, good) == -ERANGE &&
	      vgt_vgpu_last_reason(v) == VGT_REASON_FENCE_INDEX && vgt_host_fence(h, 12) == 0 &&
	      vgt_mmio_read(v, FENCE(4), 4, &(uint64_t){ 0 }) == -ERANGE &&
	      vgt_mmio_write(v, FENCE(31) + 4, 4, 0) == -ERANGE, "index >= fence_num");
	CHECK(vgt_mmio_write(v, FENCE(1), 8, ((o.hidden_base) << 32) | o.hidden_base | 1) == -ERANGE &&
	      vgt_vgpu_last_reason(v) == VGT_REASON_FENCE_RANGE && vgt_host_fence(h, 9) == 0,
	      "fence over another vGPU's slice");
	CHECK(vgt_mmio_write(v, FENCE(1), 8, ((s.aperture_base + s.aperture_size) << 32) |
			     s.aperture_base | 1) == -ERANGE, "one page past the slice");
	CHECK(vgt_mmio_write(v, FENCE(1), 8, ((s.hidden_base) << 32) |
			     (s.aperture_base + s.aperture_size - 4096) | 1) == -ERANGE,
	      "start in the aperture slice, end in the hidden one");
	CHECK(vgt_mmio_write(v, FENCE(1), 8, (base << 32) | (base + 0x2000) | 1) == -ERANGE,
	      "end below start");
	CHECK(vgt_mmio_write(v, FENCE(1), 8, 0xfffff000ULL << 32) == 0, "disabled fence: any range");
	/* 4-byte sequence as i915 does it: LO = 0, HI, LO | valid. */
	CHECK(vgt_mmio_write(v, FENCE(2), 4, 0) == 0 &&
	      vgt_mmio_write(v, FENCE(2) + 4, 4, (u32)(base + 0x10000 - 4096)) == 0 &&
	      vgt_mmio_write(v, FENCE(2), 4, (u32)base | 1) == 0 && vgt_host_fence(h, 10) == good,
	      "32-bit LO/HI/LO sequence");
	CHECK(vgt_mmio_write(v, FENCE(2) + 4, 4, (u32)o.hidden_base) == -ERANGE &&
	      vgt_host_fence(h, 10) == good && rd(v, FENCE(2) + 4, 4) == (u32)(base + 0x10000 - 4096),
	      "HI moving an enabled fence out: refused, unchanged");
	CHECK(vgt_mmio_write(v, FENCE(2), 2, 0) == -EINVAL &&
	      vgt_vgpu_last_reason(v) == VGT_REASON_FENCE_SIZE, "2-byte fence access");
	vgt_vgpu_traps(v, &t, false);
	CHECK(t.count[VGT_TRAP_FENCE] == 17 && t.rejected[VGT_TRAP_FENCE] == 9 &&
	      t.reason[VGT_REASON_FENCE_RANGE] == 5 && t.reason[VGT_REASON_FENCE_INDEX] == 3,
	      "fence traps %llu rejected %llu", (unsigned long long)t.count[VGT_TRAP_FENCE],
	      (unsigned long long)t.rejected[VGT_TRAP_FENCE]);
	CHECK(!vgt_vgpu_failsafe(v), "an aware guest's fences are no failsafe");
	vgt_vgpu_destroy(v);
	CHECK(vgt_host_fence(h, 8) == 0 && vgt_host_fence(h, 10) == 0, "destroy clears its fences");
	vgt_vgpu_destroy(a);
}

TEST(failsafe, "H-16")
{
	struct vgt_vgpu *v = mk("8", 0);

	CHECK(vgt_mmio_write(v, 0x229c, 4, 0x80000000) == 0 && !vgt_vgpu_failsafe(v),
	      "GFX_MODE mask bit without the value bit");
	CHECK(vgt_mmio_write(v, 0x229c, 4, 0x02000200) == 0 &&
	      vgt_vgpu_failsafe_cause(v) == VGT_FAILSAFE_GFX_MODE, "PPGTT enabled unaware");
	vgt_vgpu_reset(v);
	CHECK(!vgt_vgpu_failsafe(v), "reset leaves failsafe");
	CHECK(vgt_mmio_write(v, 0x229c, 4, 0x80008000) == 0 &&
	      vgt_vgpu_failsafe_cause(v) == VGT_FAILSAFE_GFX_MODE, "execlists enabled unaware");
	vgt_vgpu_reset(v);
	rd(v, FENCE(0), 4);
	CHECK(vgt_vgpu_failsafe_cause(v) == VGT_FAILSAFE_FENCE, "fence read unaware");
	vgt_vgpu_reset(v);
	/* A refusal changes nothing, failsafe included (spec H-15, H-16). */
	CHECK(vgt_mmio_write(v, FENCE(9), 8, 0) == -ERANGE && !vgt_vgpu_failsafe(v),
	      "fence write beyond quota unaware: refused, no failsafe");
	vgt_vgpu_reset(v);
	rd(v, PV(vgt_id), 4);
	CHECK(vgt_mmio_write(v, 0x229c, 4, 0x82008200) == 0 && vgt_mmio_write(v, FENCE(0), 8, 0) == 0 &&
	      !vgt_vgpu_failsafe(v), "aware guest: no failsafe");
	CHECK(vgt_mmio_write(v, PV(rsv5[2]), 4, 1) == 0 && rd(v, PV(rsv5[2]), 4) == 0 &&
	      vgt_vgpu_failsafe_cause(v) == VGT_FAILSAFE_INSUFFICIENT_RESOURCE &&
	      !strcmp(vgt_failsafe_name(VGT_FAILSAFE_INSUFFICIENT_RESOURCE), "insufficient resource"),
	      "rsv5 write: insufficient resource");
	vgt_vgpu_destroy(v);
}

/* Regression: a refused PTE write used to drop the buffered low half. */
TEST(refused_pte_keeps_low_half, "H-12 H-15")
{
	struct vgt_vgpu *v = mk("8", 64 * MIB);
	struct vgt_slices s;
	u64 ap;

	vgt_vgpu_slices(v, &s);
	ap = s.aperture_base >> 12;
	CHECK(vgt_mmio_write(v, PTE(ap), 4, 0x7001) == 0, "low half buffered");
	CHECK(vgt_mmio_write(v, PTE(ap), 8, 0x4000001) == -ERANGE &&
	      vgt_vgpu_last_reason(v) == VGT_REASON_PTE_FRAME && vgt_vgpu_shadow_pte(v, ap) == 0,
	      "whole PTE at the buffered index with a bad frame: refused");
	CHECK(vgt_mmio_write(v, PTE(ap) + 4, 4, 0x40) == -ERANGE &&
	      vgt_vgpu_last_reason(v) == VGT_REASON_PTE_FRAME && vgt_vgpu_shadow_pte(v, ap) == 0,
	      "high half making a bad frame: refused");
	CHECK(vgt_mmio_write(v, PTE(ap) + 4, 4, 0) == 0 && vgt_vgpu_shadow_pte(v, ap) == 0x7001,
	      "the low half survived both refusals: shadow %#llx",
	      (unsigned long long)vgt_vgpu_shadow_pte(v, ap));
	CHECK(vgt_mmio_write(v, PTE(ap) + 4, 4, 0) == -EINVAL &&
	      vgt_vgpu_last_reason(v) == VGT_REASON_PTE_HALF,
	      "a committed low half is consumed");
	vgt_vgpu_destroy(v);
}

/* Regression: refused fence accesses of an unaware guest entered failsafe. */
TEST(unaware_refusal_no_failsafe, "H-13 H-15 H-16")
{
	struct vgt_vgpu *v = mk("8", 0), *o = mk("8", 0);
	struct vgt_slices s;
	uint64_t val = 1;

	vgt_vgpu_slices(o, &s);
	CHECK(vgt_mmio_read(v, FENCE(4), 8, &val) == -ERANGE && val == 0 && !vgt_vgpu_failsafe(v),
	      "read beyond the quota: refused, no failsafe");
	CHECK(vgt_mmio_write(v, FENCE(0), 2, 0) == -EINVAL && !vgt_vgpu_failsafe(v),
	      "2-byte fence write: refused, no failsafe");
	CHECK(vgt_mmio_write(v, FENCE(0), 8, (s.aperture_base << 32) | s.aperture_base | 1) ==
	      -ERANGE && !vgt_vgpu_failsafe(v),
	      "fence over the other vGPU's slice: refused, no failsafe");
	CHECK(vgt_mmio_write(v, FENCE(0), 4, 0) == 0 &&
	      vgt_vgpu_failsafe_cause(v) == VGT_FAILSAFE_FENCE,
	      "the first accepted fence write of an unaware guest: failsafe");
	vgt_vgpu_destroy(o);
	vgt_vgpu_destroy(v);
}

/* Regression: a 4-byte display_ready write compared all 64 bits of val. */
TEST(display_ready_is_a_dword, "H-11")
{
	struct vgt_vgpu *v = mk("8", 0);

	CHECK(vgt_mmio_write(v, PV(display_ready), 4, 0xffffffff00000001ULL) == 0 &&
	      vgt_vgpu_display_ready(v) == 1, "bits above the dword are not written");
	CHECK(vgt_mmio_write(v, PV(display_ready), 4, 0x100000002ULL) == -EPROTO &&
	      vgt_vgpu_display_ready(v) == 1, "the dword itself is still checked");
	CHECK(vgt_mmio_write(v, PV(g2v_notify), 4, 0xabcd000000000001ULL) == 0 &&
	      rd(v, PV(g2v_notify), 4) == 1, "g2v_notify likewise");
	vgt_vgpu_destroy(v);
}

/* The assignment a vGPU is created with never changes while it exists. */
TEST(assignment_fixed, "H-6")
{
	struct vgt_vgpu *v = mk("8", 0), *o;
	struct vgt_slices before, after;
	u8 page[VGT_PVINFO_SIZE], now[VGT_PVINFO_SIZE];
	unsigned int off;

	vgt_vgpu_slices(v, &before);
	vgt_vgpu_get_pvinfo(v, page);
	for (off = 0; off < 0x800; off += 4)	/* every host-half word */
		vgt_mmio_write(v, VGT_PVINFO_PAGE + off, 4, 0x1000);
	vgt_mmio_write(v, PV(rsv5), 4, 1);	/* failsafe */
	o = mk("8", 0);
	vgt_vgpu_destroy(o);
	vgt_vgpu_reset(v);
	o = mk("8", 0);
	vgt_vgpu_slices(v, &after);
	vgt_vgpu_get_pvinfo(v, now);
	CHECK(!memcmp(&before, &after, sizeof(before)), "slices changed");
	CHECK(!memcmp(page, now, 0x60), "published resources changed");
	CHECK(rd(v, PV(avail_rs.fence_num), 4) == before.fence_num &&
	      rd(v, PV(avail_rs.mappable_gmadr.base), 4) == before.aperture_base &&
	      rd(v, PV(avail_rs.nonmappable_gmadr.size), 4) == before.hidden_size,
	      "what the guest reads is the creation's assignment");
	vgt_vgpu_destroy(o);
	vgt_vgpu_destroy(v);
}

/* Every test gets a fresh default host (GVT-g's defaults). */
static void host_up(void)
{
	struct vgt_gpu_desc d;
	int err;

	vgt_gpu_desc_default(&d);
	h = vgt_host_create(&d, &err);
}

static void host_down(void)
{
	vgt_host_destroy(h);
	h = NULL;
}

TEST_FIXTURE(host_up, host_down)

VGT_TEST_MAIN()

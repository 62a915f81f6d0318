/* SPDX-License-Identifier: MIT */
/*
 * PVINFO: the page a mediated Intel vGPU host publishes to its guest.
 *
 * This header is the single definition of the page layout. The guest
 * (i915_vgpu.c) and the host model (host-model/) both include it; the host
 * model does so through a small shim that supplies the kernel types.
 *
 * The normative description is spec/pvinfo.md (PVINFO 1.0) and
 * spec/pvinfo-1.1.md (1.1). Offsets are wire-compatible with GVT-g and never
 * move; extensions use reserved space and are announced by a new minor
 * version and a new capability bit.
 */
#ifndef _I915_PVINFO_H_
#define _I915_PVINFO_H_

#include <linux/build_bug.h>
#include <linux/stddef.h>
#include <linux/types.h>

/* The page sits at this offset in MMIO BAR0 and spans one 4 KiB page. */
#define VGT_PVINFO_PAGE		0x78000
#define VGT_PVINFO_SIZE		0x1000

/* "vGTvGTvG" read as a little-endian 64-bit value. */
#define VGT_MAGIC		0x4776544776544776ULL
#define VGT_VERSION_MAJOR	1
#define VGT_VERSION_MINOR	0

/* Guest-to-host notification codes written to g2v_notify. */
enum vgt_g2v_type {
	VGT_G2V_PPGTT_L3_PAGE_TABLE_CREATE = 2,
	VGT_G2V_PPGTT_L3_PAGE_TABLE_DESTROY = 3,
	VGT_G2V_PPGTT_L4_PAGE_TABLE_CREATE = 4,
	VGT_G2V_PPGTT_L4_PAGE_TABLE_DESTROY = 5,
	VGT_G2V_EXECLIST_CONTEXT_CREATE = 6,
	VGT_G2V_EXECLIST_CONTEXT_DESTROY = 7,
	VGT_G2V_PV11_REGISTER = 8,	/* 1.1: register the shared area */
	VGT_G2V_PV11_DOORBELL = 9,	/* 1.1: requests are posted */
	VGT_G2V_PV11_UNREGISTER = 10,	/* 1.1: back to 1.0 */
	VGT_G2V_MAX,
};

/* Capability bits in vgt_caps; bits 0 and 1 are reserved and must be 0. */
#define VGT_CAPS_FULL_PPGTT		BIT(2)
#define VGT_CAPS_HWSP_EMULATION		BIT(3)
#define VGT_CAPS_HUGE_GTT		BIT(4)
#define VGT_CAPS_PV11			BIT(5)	/* 1.1: shared area (pvinfo-1.1.md) */
#define VGT_CAPS_KNOWN_V1_0		(VGT_CAPS_FULL_PPGTT | \
					 VGT_CAPS_HWSP_EMULATION | \
					 VGT_CAPS_HUGE_GTT)

/* Values of display_ready. */
#define VGT_DRV_DISPLAY_NOT_READY	0
#define VGT_DRV_DISPLAY_READY		1

/* Granule of every published base and size: one GGTT page. */
#define VGT_GM_ALIGN			0x1000

/* PVINFO 1.1 features, offered in pv11.features, accepted in pv11.accept. */
#define VGT_PV11_F_GGTT_BATCH		BIT(0)
#define VGT_PV11_F_RESLICE		BIT(1)
#define VGT_PV11_F_SCATTER		BIT(2)
#define VGT_PV11_MAX_PAGES		64

/*
 * The 1.1 shared area: guest memory, page 0 the control page. The host
 * never trusts it: it copies a slot before checking it.
 */
#define VGT_PV11_MAGIC			0x31315650	/* "PV11" */
#define VGT_PV11_VERSION		1
#define VGT_PV11_REQS			32
#define VGT_PV11_MSGS			8
#define VGT_PV11_MAX_RANGES		32
#define VGT_PV11_ACK_TIMEOUT_MS		100

enum vgt_pv11_op {
	VGT_PV11_OP_GGTT_INSERT = 1,	/* count u64 PTEs at data */
	VGT_PV11_OP_GGTT_CLEAR = 2,	/* every PTE of the range = arg */
	VGT_PV11_OP_MSG_REPLY = 3,	/* arg: msg seq | (u64)(u32)result << 32 */
};

enum vgt_pv11_msg_op {
	VGT_PV11_MSG_RESLICE = 1,	/* arg: the new slice generation */
};

/* GEN8_GT_IIR(2) bit the host raises when it posts a message. */
#define VGT_PV11_IRQ_BIT		BIT(31)

struct vgt_pv11_req {
	u32 seq;			/* guest: previous seq + 1, from 1 */
	u16 op;				/* enum vgt_pv11_op */
	s16 status;			/* host: 0 or -errno */
	u32 first;			/* GGTT page index */
	u32 count;			/* pages */
	u32 data;			/* byte offset of the payload in the area */
	u32 rsv;
	u64 arg;
} __packed;

struct vgt_pv11_msg {
	u32 seq;			/* host: previous seq + 1, from 1 */
	u16 op;				/* enum vgt_pv11_msg_op */
	u16 rsv;
	u64 arg;
	u32 rsv2[4];
} __packed;

struct vgt_pv11_range {
	u32 base;
	u32 size;
} __packed;

struct vgt_pv11_ctl {
	u32 magic;			/* 0x000: guest, VGT_PV11_MAGIC */
	u32 version;			/* 0x004: guest, VGT_PV11_VERSION */
	u32 req_prod;			/* 0x008: guest */
	u32 req_cons;			/* 0x00c: host */
	u32 ack_seq;			/* 0x010: host */
	u32 msg_prod;			/* 0x014: host */
	u32 msg_cons;			/* 0x018: guest */
	u32 rsv[9];			/* 0x01c */
	struct vgt_pv11_req req[VGT_PV11_REQS];	/* 0x040 */
	struct vgt_pv11_msg msg[VGT_PV11_MSGS];	/* 0x440 */
	struct {			/* 0x540: host */
		u32 gen;
		u32 nr_aperture;
		u32 nr_hidden;
		u32 rsv;
		struct vgt_pv11_range range[VGT_PV11_MAX_RANGES];
	} slices;
} __packed;

/*
 * The first half of the page (0x000-0x7ff) is written by the host and read
 * by the guest; the second half (0x800-0xfff) is written by the guest.
 * Every reserved word reads as zero and must not be written.
 */
struct vgt_if {
	u64 magic;			/* 0x000: VGT_MAGIC */
	u16 version_major;		/* 0x008 */
	u16 version_minor;		/* 0x00a */
	u32 vgt_id;			/* 0x00c: host's id of this vGPU */
	u32 vgt_caps;			/* 0x010: VGT_CAPS_* */
	u32 rsv1[11];			/* 0x014 */

	/*
	 * 0x040: the slice of the global GTT this vGPU owns, in host GGTT
	 * addresses: one range of the CPU-visible aperture ("mappable",
	 * low GM), one range above it (high GM), and a fence quota.
	 */
	struct {
		struct {
			u32 base;
			u32 size;
		} mappable_gmadr;	/* 0x040, 0x044 */
		struct {
			u32 base;
			u32 size;
		} nonmappable_gmadr;	/* 0x048, 0x04c */
		u32 fence_num;		/* 0x050 */
		u32 rsv2[3];		/* 0x054 */
	} avail_rs;
	struct {			/* 0x060: 1.1 (pvinfo-1.1.md) */
		u32 features;		/* VGT_PV11_F_* the host offers */
		u32 enabled;		/* what it enabled for the area */
		u32 error;		/* -errno of the last refused registration */
		u32 max_pages;		/* largest area, in pages */
		u32 slices_gen;		/* slice generation (re-ballooning) */
	} pv11;
	u32 rsv3[0x1e3];		/* 0x074 */

	/* Guest half. */
	u32 rsv4;			/* 0x800 */
	u32 display_ready;		/* 0x804: VGT_DRV_DISPLAY_* */
	u32 rsv5[4];			/* 0x808 */
	u32 g2v_notify;			/* 0x818: enum vgt_g2v_type */
	u32 rsv6[5];			/* 0x81c */
	u32 cursor_x_hot;		/* 0x830 */
	u32 cursor_y_hot;		/* 0x834 */
	struct {
		u32 lo;
		u32 hi;
	} pdp[4];			/* 0x838: PPGTT root(s) */
	u32 execlist_context_descriptor_lo;	/* 0x858 */
	u32 execlist_context_descriptor_hi;	/* 0x85c */
	struct {			/* 0x860: 1.1 */
		u32 accept;		/* VGT_PV11_F_* the guest accepts */
		u32 area_pages;		/* shared area size, pages */
		u32 area_lo;		/* guest-physical address */
		u32 area_hi;
	} pv11g;
	u32 rsv7[0x1e4];		/* 0x870 */
} __packed;

#define vgtif_offset(x) (offsetof(struct vgt_if, x))

/* Register of a field, for intel_uncore_read/write (needs i915_reg_defs.h). */
#define vgtif_reg(x) _MMIO(VGT_PVINFO_PAGE + vgtif_offset(x))

#define VGT_PVINFO_CHECK(field, off) \
	static_assert(offsetof(struct vgt_if, field) == (off))

static_assert(sizeof(struct vgt_if) == VGT_PVINFO_SIZE);
VGT_PVINFO_CHECK(magic, 0x000);
VGT_PVINFO_CHECK(version_major, 0x008);
VGT_PVINFO_CHECK(version_minor, 0x00a);
VGT_PVINFO_CHECK(vgt_id, 0x00c);
VGT_PVINFO_CHECK(vgt_caps, 0x010);
VGT_PVINFO_CHECK(avail_rs.mappable_gmadr.base, 0x040);
VGT_PVINFO_CHECK(avail_rs.mappable_gmadr.size, 0x044);
VGT_PVINFO_CHECK(avail_rs.nonmappable_gmadr.base, 0x048);
VGT_PVINFO_CHECK(avail_rs.nonmappable_gmadr.size, 0x04c);
VGT_PVINFO_CHECK(avail_rs.fence_num, 0x050);
VGT_PVINFO_CHECK(pv11.features, 0x060);
VGT_PVINFO_CHECK(pv11.enabled, 0x064);
VGT_PVINFO_CHECK(pv11.error, 0x068);
VGT_PVINFO_CHECK(pv11.max_pages, 0x06c);
VGT_PVINFO_CHECK(pv11.slices_gen, 0x070);
VGT_PVINFO_CHECK(rsv3, 0x074);
VGT_PVINFO_CHECK(rsv4, 0x800);
VGT_PVINFO_CHECK(display_ready, 0x804);
VGT_PVINFO_CHECK(rsv5, 0x808);
VGT_PVINFO_CHECK(g2v_notify, 0x818);
VGT_PVINFO_CHECK(rsv6, 0x81c);
VGT_PVINFO_CHECK(cursor_x_hot, 0x830);
VGT_PVINFO_CHECK(cursor_y_hot, 0x834);
VGT_PVINFO_CHECK(pdp, 0x838);
VGT_PVINFO_CHECK(execlist_context_descriptor_lo, 0x858);
VGT_PVINFO_CHECK(execlist_context_descriptor_hi, 0x85c);
VGT_PVINFO_CHECK(pv11g.accept, 0x860);
VGT_PVINFO_CHECK(pv11g.area_pages, 0x864);
VGT_PVINFO_CHECK(pv11g.area_lo, 0x868);
VGT_PVINFO_CHECK(pv11g.area_hi, 0x86c);
VGT_PVINFO_CHECK(rsv7, 0x870);

static_assert(sizeof(struct vgt_pv11_req) == 32);
static_assert(sizeof(struct vgt_pv11_msg) == 32);
static_assert(offsetof(struct vgt_pv11_ctl, req) == 0x040);
static_assert(offsetof(struct vgt_pv11_ctl, msg) == 0x440);
static_assert(offsetof(struct vgt_pv11_ctl, slices) == 0x540);
static_assert(sizeof(struct vgt_pv11_ctl) <= 4096);

#endif /* _I915_PVINFO_H_ */

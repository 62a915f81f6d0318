/* SPDX-License-Identifier: MIT */
/*
 * Register offsets and fields of the modelled Skylake GT2 (gen9), as BAR0
 * byte offsets: the one place the library, its tests and the harness take
 * them from. Names follow Linux 6.1's i915 (gt/intel_engine_regs.h,
 * gt/intel_gt_regs.h, i915_reg.h, gt/intel_lrc_reg.h) so a reader can find
 * each one there; the values are facts of the hardware.
 */
#ifndef VGT_REGS_H
#define VGT_REGS_H

/*
 * The engines, each with the MMIO base of its register block (one VCS on
 * GT2). X(id, name, base, GDRST domain bit, GT IIR bank, shift in the bank,
 * master-IRQ bit). The table is expanded wherever a per-engine list is
 * needed (register table, executor, tests), so the engines are named once.
 */
#define VGT_FOR_EACH_ENGINE(X) \
	X(VGT_RCS, "rcs", 0x02000, 1u << 1, 0, 0, 1u << 0) \
	X(VGT_BCS, "bcs", 0x22000, 1u << 3, 0, 16, 1u << 1) \
	X(VGT_VCS, "vcs", 0x12000, 1u << 2, 1, 0, 1u << 2) \
	X(VGT_VECS, "vecs", 0x1a000, 1u << 4, 3, 0, 1u << 6)

#define RENDER_RING_BASE		0x02000
#define BLT_RING_BASE			0x22000
#define GEN6_BSD_RING_BASE		0x12000
#define VEBOX_RING_BASE			0x1a000
#define GEN8_BSD2_RING_BASE		0x1c000	/* GT3 only: plain storage here */
#define VGT_ENGINE_BLOCK		0x800	/* bytes of one engine's block */

/* Per-engine registers: offsets inside the engine's block. */
#define RING_TAIL			0x030
#define RING_PSMI_CTL			0x050
#define   TAIL_ADDR			0x001ffff8u
#define RING_HEAD			0x034
#define   HEAD_ADDR			0x001ffffcu
#define RING_START			0x038
#define RING_CTL			0x03c
#define   RING_NR_PAGES			0x001ff000u
#define   RING_VALID			0x00000001u
#define RING_ACTHD_UDW			0x05c
#define RING_IPEHR			0x068
#define RING_ACTHD			0x074
#define RING_HWS_PGA			0x080
#define RING_HWSTAM			0x098
#define RING_MI_MODE			0x09c
#define   STOP_RING			(1u << 8)
#define   MODE_IDLE			(1u << 9)
#define RING_IMR			0x0a8
#define RING_INSTPM			0x0c0
#define   INSTPM_SYNC_FLUSH		(1u << 5)
#define RING_RESET_CTL			0x0d0
#define   RESET_CTL_REQUEST_RESET	(1u << 0)
#define   RESET_CTL_READY_TO_RESET	(1u << 1)
#define RING_BBSTATE			0x110
#define RING_BBADDR			0x140
#define RING_BBADDR_UDW			0x168
#define RING_PP_DIR_DCLV		0x220	/* gen7: the aliasing PPGTT's PD */
#define   PP_DIR_DCLV_2G		0xffffffffu
#define RING_PP_DIR_BASE		0x228	/* bits 31:16: PD offset in the GSM, 64 B units */
#define RING_ELSP			0x230
#define RING_EXECLIST_STATUS_LO		0x234
#define RING_EXECLIST_STATUS_HI		0x238
#define RING_CONTEXT_CONTROL		0x244
#define GEN8_RING_PDP_UDW(n)		(0x270 + (n) * 8 + 4)
#define GEN8_RING_PDP_LDW(n)		(0x270 + (n) * 8)
#define RING_MODE_GEN7			0x29c
#define   GFX_PPGTT_ENABLE		(1u << 9)
#define   GFX_RUN_LIST_ENABLE		(1u << 15)
#define RING_TIMESTAMP			0x358
#define RING_TIMESTAMP_UDW		0x35c
#define RING_CONTEXT_STATUS_BUF_LO(i)	(0x370 + (i) * 8)
#define RING_CONTEXT_STATUS_BUF_HI(i)	(0x374 + (i) * 8)
#define RING_CONTEXT_STATUS_PTR		0x3a0
#define   GEN8_CSB_PTR_MASK		0x7u
#define RING_CTX_TIMESTAMP		0x3a8
#define MI_PREDICATE_RESULT_2		0x3bc
#define MI_PREDICATE_SRC0		0x400
#define MI_PREDICATE_SRC1		0x408
#define MI_PREDICATE_DATA		0x410
#define MI_PREDICATE_RESULT		0x418
#define MI_PREDICATE_RESULT_1		0x41c
#define GEN8_RING_CS_GPR(n)		(0x600 + (n) * 8)	/* 16 x 64 bits */
#define VGT_CS_GPRS			16

#define GFX_MODE_GEN8		(RENDER_RING_BASE + RING_MODE_GEN7)

/* Global registers. */
#define RENDER_HWS_PGA_GEN7		0x4080	/* gen7: status pages, by engine */
#define BSD_HWS_PGA_GEN7		0x4180
#define BLT_HWS_PGA_GEN7		0x4280
#define VEBOX_HWS_PGA_GEN7		0x4380
/* Gen5-7 interrupts (ilk_irq_handler): display master, GT and PM banks. */
#define DEISR				0x44000
#define DEIMR				0x44004
#define DEIIR				0x44008
#define DEIER				0x4400c
#define   DE_MASTER_IRQ_CONTROL		(1u << 31)
#define GTISR				0x44010
#define GTIMR				0x44014
#define GTIIR				0x44018
#define GTIER				0x4401c
#define   GT_BSD_USER_INTERRUPT		(1u << 12)
#define   GT_BLT_USER_INTERRUPT		(1u << 22)
#define GEN6_PMISR			0x44020
#define GEN6_PMIMR			0x44024
#define GEN6_PMIIR			0x44028
#define GEN6_PMIER			0x4402c
#define   PM_VEBOX_USER_INTERRUPT	(1u << 10)
#define GEN7_ERR_INT			0x44040	/* write-1-to-clear */
#define EDP_PSR_IIR			0x64838	/* HSW: write-1-to-clear */
#define FUSE_STRAP			0x42014	/* gen7: read when a PCH is found */
#define   ILK_INTERNAL_DISPLAY_DISABLE	(1u << 30)
/* gen6/7 DIMM population per channel (MCHBAR mirror); sizes 7:0 and 15:8 */
#define MAD_DIMM_C0			0x145004
#define MAD_DIMM_C1			0x145008
#define MAD_DIMM_ONE_4G_DIMM		0x10	/* DIMM A, 16 x 256 MiB */
#define FORCEWAKE_ACK_RENDER_GEN9	0x0d84
#define FORCEWAKE_ACK_MEDIA_GEN9	0x0d88
#define GEN8_FUSE2			0x9120
#define GEN9_EU_DISABLE(s)		(0x9134 + 4 * (s))	/* slices 0..2 */
#define GEN6_GDRST			0x941c
#define   GEN6_GRDOM_FULL		(1u << 0)
#define GEN6_RPNSWREQ			0xa008
#define GEN6_RP_CONTROL			0xa024
#define GEN6_RC_CONTROL			0xa090
#define GEN6_RC_STATE			0xa094
#define GEN6_RC6_THRESHOLD		0xa0b8
#define GEN6_PMINTRMSK			0xa168
#define FORCEWAKE_MT			0xa188	/* = FORCEWAKE_GT_GEN9 (blitter) */
#define FORCEWAKE_MEDIA_GEN9		0xa270
#define FORCEWAKE_RENDER_GEN9		0xa278
#define GUC_STATUS			0xc000
#define   GS_MIA_IN_RESET		(1u << 0)
#define SDEIIR				0xc4008
#define GEN8_RTCR			0x4260	/* TLB invalidation, per engine class */
#define GEN8_M1TCR			0x4264
#define GEN8_BTCR			0x426c
#define GEN8_VTCR			0x4270
#define SKL_FUSE_STATUS			0x42000
#define GEN8_MASTER_IRQ			0x44200
#define   GEN8_MASTER_IRQ_CONTROL	(1u << 31)
#define GEN8_GT_ISR(n)			(0x44300 + 0x10 * (n))
#define GEN8_GT_IMR(n)			(0x44304 + 0x10 * (n))
#define GEN8_GT_IIR(n)			(0x44308 + 0x10 * (n))
#define GEN8_GT_IER(n)			(0x4430c + 0x10 * (n))
#define VGT_GT_IRQ_BANKS		4
#define   GEN8_GT_PM_IRQ		(1u << 4)	/* master: bank 2, bits 15:0 */
#define   GEN8_GT_GUC_IRQ		(1u << 5)	/* master: bank 2, bits 31:16 */
#define   GT_RENDER_USER_INTERRUPT	(1u << 0)
#define   GT_CONTEXT_SWITCH_INTERRUPT	(1u << 8)
#define GEN8_DE_PIPE_IIR(p)		(0x44408 + 0x10 * (p))
#define GEN8_DE_PORT_IIR		0x44448
#define GEN8_DE_MISC_IIR		0x44468
#define GEN8_PCU_IIR			0x444e8
#define DBUF_CTL			0x45008
#define HSW_PWR_WELL_CTL(i)		(0x45400 + 4 * (i))	/* 1..4 */
#define LCPLL1_CTL			0x46010
#define SKL_DFSM			0x51000
#define BCS_SWCTRL			0x22200	/* masked: tiled XY_* surfaces are Y */
#define   BCS_SRC_Y			(1u << 0)
#define   BCS_DST_Y			(1u << 1)
#define GFX_FLSH_CNTL_GEN6		0x101008
#define FORCEWAKE_ACK_GT_GEN9		0x130044
#define GEN6_PCODE_MAILBOX		0x138124

/*
 * The logical ring context (LRC) image in guest memory: page 0 is the
 * per-process status page, the register state starts one page in; dword
 * indices of the values the executor loads and saves.
 */
#define LRC_STATE_OFFSET		4096
#define CTX_CONTEXT_CONTROL		(0x02 + 1)
#define CTX_RING_HEAD			(0x04 + 1)
#define CTX_RING_TAIL			(0x06 + 1)
#define CTX_RING_START			(0x08 + 1)
#define CTX_RING_CTL			(0x0a + 1)
#define CTX_BB_STATE			(0x10 + 1)
#define CTX_PDP3_UDW			(0x24 + 1)
#define CTX_PDP3_LDW			(0x26 + 1)
#define CTX_PDP0_UDW			(0x30 + 1)
#define CTX_PDP0_LDW			(0x32 + 1)

/* Execlist context descriptor (the 64 bits written to ELSP per element). */
#define GEN8_CTX_VALID			(1u << 0)
#define GEN8_CTX_ADDRESSING_MODE_SHIFT	3
#define   INTEL_LEGACY_32B_CONTEXT	1
#define   INTEL_LEGACY_64B_CONTEXT	3
#define GEN8_CTX_PRIVILEGE		(1u << 8)
#define CTX_GTT_ADDRESS_MASK		0xfffff000u

/* Context status buffer: 6 entries in the HWSP, status bits of each. */
#define GEN8_CSB_ENTRIES		6
#define I915_HWS_CSB_BUF0_INDEX		0x10	/* dword index in the HWSP */
#define I915_HWS_CSB_WRITE_INDEX	0x1f
#define GEN8_CTX_STATUS_IDLE_ACTIVE	(1u << 0)
#define GEN8_CTX_STATUS_PREEMPTED	(1u << 1)
#define GEN8_CTX_STATUS_ELEMENT_SWITCH	(1u << 2)
#define GEN8_CTX_STATUS_ACTIVE_IDLE	(1u << 3)
#define GEN8_CTX_STATUS_COMPLETE	(1u << 4)
#define GEN8_CTX_STATUS_LITE_RESTORE	(1u << 15)

/* Haswell: 32-bit PTEs at BAR0 + 2 MiB (hsw_pte_encode). */
#define HSW_GSM_OFFSET			0x200000u
#define HSW_PTE_VALID			(1u << 0)
#define HSW_PTE_ENCODE(addr)		((uint32_t)((addr) | (((addr) >> 28) & 0x7f0)))
#define HSW_WB_LLC_AGE3			(1u << 2)	/* cache bits 3:1, 11 */
#define GEN6_PDE_VALID			(1u << 0)
#define GEN6_PDE_ENCODE(addr)		((uint32_t)((addr) | (((addr) >> 28) & 0xff0)))

/* Gen8+ page-table entries (GGTT and PPGTT). */
#define GEN8_PAGE_PRESENT		(1ull << 0)
#define GEN8_PAGE_RW			(1ull << 1)
#define GEN8_PDE_IPS_64K		(1ull << 11)
#define GEN8_PDE_PS_2M			(1ull << 7)
#define GEN8_PTE_ADDR_MASK		0x0000007ffffff000ull	/* bits 38:12 */

/* Fuses and display: what the model reports. */
#define SKL_FUSES_DONE		(1u << 31 | 1u << 27 | 1u << 26 | 1u << 25)
#define SKL_DFSM_NO_PIPES	(1u << 30 | 1u << 28 | 1u << 21)	/* A, C, B fused off */
/*
 * Skylake GT2 (8086:1912 is in 6.1's INTEL_SKL_GT2_IDS): 1 slice of 3
 * subslices of 8 EUs, 24 EUs. gen9_sseu_info_init() takes the slices from
 * GEN8_FUSE2 bits 27:25 and disables subslices of its 4 by bits 23:20,
 * then EUs per subslice from a byte of GEN9_EU_DISABLE(slice) each. So:
 * slice 0 on, subslice 3 fused off, all EUs of the rest present; what is
 * absent reads as fused (all ones) though 6.1 never looks at it.
 */
#define GEN8_FUSE2_SKL_GT2	(1u << 25 | 1u << (20 + 3))
#define GEN9_EU_DISABLE0_SKL_GT2 (0xffu << 24)	/* subslice 3 */
#define GEN9_EU_DISABLE_ABSENT	0xffffffffu	/* slices 1, 2 */

#endif /* VGT_REGS_H */

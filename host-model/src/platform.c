// SPDX-License-Identifier: MIT
/*
 * The GPUs a vGPU can present, as data: what differs between Skylake GT2
 * (gen9, 8086:1912) and Haswell GT2 (gen7.5, 8086:0412) for the BAR0
 * layout, the GGTT and its PTE encoding, the submission model, the status
 * page registers and PVINFO's capabilities. The code that uses them
 * (mmio.c, ggtt.c, gm.c, engine.c, ring.c, irq.c, cmd_decode.c) is one for
 * both; every fact comes from Linux 6.1's i915:
 *
 *  - GGC (config 0x50): gen8+ keeps the GGTT size in bits 7:6 as a power
 *    of two in MiB of PTEs (bdw_get_total_gtt_size: 3 -> 8 MiB, 4 GiB of
 *    GGTT); gen6/7 in bits 9:8 as MiB (gen6_get_total_gtt_size: 2 ->
 *    2 MiB of 4-byte PTEs, 2 GiB). Stolen (GMS) stays 0 on both.
 *  - The GSM is the upper half of BAR0 (gen6_gttadr_offset): 8 MiB of a
 *    16 MiB BAR on gen9, 2 MiB of a 4 MiB BAR on Haswell.
 *  - PTEs: gen8 64-bit, address bits 38:12; Haswell 32-bit
 *    (hsw_pte_encode, HSW_GTT_ADDR_ENCODE): address bits 31:12 in place,
 *    38:32 in bits 10:4, cache control in 3:1 and 11; valid is bit 0 on
 *    both.
 *  - Haswell has no execlists: each ring runs from RING_START/HEAD/TAIL/CTL
 *    and its status page is named by a register outside the ring's block
 *    (set_hwsp: RENDER/BSD/BLT/VEBOX_HWS_PGA_GEN7).
 *  - i915_driver_hw_probe demands VGT_CAPS_FULL_PPGTT of any vGPU with a
 *    PPGTT (Haswell's is aliasing, still a PPGTT) and HWSP_EMULATION only
 *    with execlists; huge GTT pages are a gen8+ PPGTT matter.
 */
#include "vgt_cmd.h"
#include "vgt_internal.h"
#include "vgt_regs.h"

static const struct vgt_plat plats[VGT_PLATFORM_NR] = {
	[VGT_PLATFORM_SKL] = {
		.info = {
			.name = "skl", .device_id = 0x1912,
			.gmch_ctrl = 3 << 6,
			.bar0_size = 16 * VGT_MIB, .mmio_size = 2 * VGT_MIB,
			.gsm_offset = 8 * VGT_MIB, .gsm_size = 8 * VGT_MIB,
			.pte_bytes = 8, .ggtt_size = 4096 * VGT_MIB,
			.execlists = true,
		},
		.caps = VGT_CAPS_FULL_PPGTT | VGT_CAPS_HWSP_EMULATION | VGT_CAPS_HUGE_GTT,
	},
	[VGT_PLATFORM_HSW] = {
		.info = {
			.name = "hsw", .device_id = 0x0412,
			.gmch_ctrl = 2 << 8,
			.bar0_size = 4 * VGT_MIB, .mmio_size = 2 * VGT_MIB,
			.gsm_offset = 2 * VGT_MIB, .gsm_size = 2 * VGT_MIB,
			.pte_bytes = 4, .ggtt_size = 2048 * VGT_MIB,
			.execlists = false,
		},
		.caps = VGT_CAPS_FULL_PPGTT,
		.hwsp_reg = {
			[VGT_RCS] = RENDER_HWS_PGA_GEN7, [VGT_VCS] = BSD_HWS_PGA_GEN7,
			[VGT_BCS] = BLT_HWS_PGA_GEN7, [VGT_VECS] = VEBOX_HWS_PGA_GEN7,
		},
	},
};

const struct vgt_plat *vgt_plat(enum vgt_platform p)
{
	return (unsigned int)p < VGT_PLATFORM_NR ? &plats[p] : NULL;
}

const struct vgt_platform_info *vgt_platform_info(enum vgt_platform p)
{
	return (unsigned int)p < VGT_PLATFORM_NR ? &plats[p].info : NULL;
}

const struct vgt_platform_info *vgt_vgpu_platform(struct vgt_vgpu *v)
{
	/* fixed at creation: no lock needed, and a husk keeps its own */
	return v ? &v->plat->info : &plats[VGT_PLATFORM_SKL].info;
}

bool vgt_pte_present(u64 pte)
{
	return pte & 1;		/* GEN8_PAGE_PRESENT, GEN6_PTE_VALID */
}

u64 vgt_pte_frame(const struct vgt_vgpu *v, u64 pte)
{
	if (v->plat->info.pte_bytes == 4)
		return (pte & 0xfffff000ull) | (pte & 0x7f0ull) << 28;
	return pte & GEN8_PTE_ADDR_MASK;
}

/* A gen6/7 PDE (GEN6_PDE_ADDR_ENCODE): bits 39:32 in 11:4. */
u64 vgt_gen6_pde_frame(u32 pde)
{
	return (pde & 0xfffff000ull) | ((u64)pde & 0xff0ull) << 28;
}

u32 vgt_hwsp_reg(const struct vgt_vgpu *v, unsigned int e, u32 base)
{
	return v->plat->hwsp_reg[e] ? v->plat->hwsp_reg[e] : base + RING_HWS_PGA;
}

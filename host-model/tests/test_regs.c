// SPDX-License-Identifier: MIT
/*
 * The declarative register table and the dispatcher: table shape, reset
 * values, read-only, write-1-to-clear, masked writes with acks (forcewake),
 * declared access sizes, plain storage, bad accesses, and the trap class of
 * every kind of access.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "vgt_internal.h"

#include "vgt_test.h"

static struct vgt_host *h;

static struct vgt_vgpu *fresh(void)
{
	struct vgt_vgpu_request req;
	struct vgt_gpu_desc d;
	int err;

	if (!h) {
		vgt_gpu_desc_default(&d);
		h = vgt_host_create(&d, &err);
	}
	vgt_type_parse("8", &req);
	return vgt_vgpu_create(h, &req, &err, NULL, 0);
}

static u64 rd(struct vgt_vgpu *v, u64 off, unsigned int size)
{
	uint64_t val;

	vgt_mmio_read(v, off, size, &val);
	return val;
}

TEST(table, "")
{
	size_t n, i;
	const struct vgt_reg *t = vgt_reg_table(&n);
	struct vgt_vgpu *v = fresh();

	for (i = 0; i < n; i++) {
		CHECK(t[i].size && (i == 0 || t[i - 1].offset + t[i - 1].size <= t[i].offset),
		      "entry %zu (%s) unsorted or overlapping", i, t[i].name);
		CHECK(vgt_reg_find(t[i].offset) == &t[i] &&
		      vgt_reg_find(t[i].offset + t[i].size - 1) == &t[i],
		      "lookup of %s", t[i].name);
		/* a Skylake vGPU: entries of other platforms are plain storage (0) */
		if (t[i].size == 4)
			CHECK(rd(v, t[i].offset, 4) ==
			      (!t[i].plats || (t[i].plats & (1u << VGT_PLATFORM_SKL)) ? t[i].reset : 0),
			      "reset value of %s", t[i].name);
	}
	CHECK(vgt_reg_find(0x1234) == NULL && vgt_reg_find(0xa08c) == NULL, "plain offsets");
	CHECK(rd(v, 0xa168, 4) == 0xffffffff, "GEN6_PMINTRMSK resets to all ones");
	vgt_vgpu_destroy(v);
}

TEST(semantics, "")
{
	struct vgt_vgpu *v = fresh();
	struct vgt_traps t;
	static const struct { u32 req, ack; } fw[] = {
		{ 0xa278, 0x0d84 }, { 0xa270, 0x0d88 }, { 0xa188, 0x130044 },
	};
	unsigned int i;

	vgt_mmio_read(v, VGT_PVINFO_PAGE, 8, &(uint64_t){ 0 });	/* PV-aware */
	vgt_vgpu_traps(v, &t, true);
	for (i = 0; i < 3; i++) {
		CHECK(vgt_mmio_write(v, fw[i].req, 4, 0x00010001) == 0 &&
		      rd(v, fw[i].req, 4) == 1 && rd(v, fw[i].ack, 4) == 1, "%#x: set bit 0", fw[i].req);
		CHECK(vgt_mmio_write(v, fw[i].req, 4, 0x00040004) == 0 &&
		      rd(v, fw[i].req, 4) == 5 && rd(v, fw[i].ack, 4) == 5, "%#x: bit 2 kept bit 0",
		      fw[i].req);
		CHECK(vgt_mmio_write(v, fw[i].req, 4, 0x0000ffff) == 0 && rd(v, fw[i].req, 4) == 5,
		      "%#x: no mask bits, no change", fw[i].req);
		CHECK(vgt_mmio_write(v, fw[i].req, 4, 0x00010000) == 0 &&
		      rd(v, fw[i].req, 4) == 4 && rd(v, fw[i].ack, 4) == 4, "%#x: clear bit 0",
		      fw[i].req);
		CHECK(vgt_mmio_write(v, fw[i].ack, 4, 0) == -EPERM && rd(v, fw[i].ack, 4) == 4 &&
		      vgt_vgpu_last_reason(v) == VGT_REASON_REG_READ_ONLY, "%#x: ack read-only",
		      fw[i].ack);
		CHECK(vgt_mmio_write(v, fw[i].req, 2, 1) == -EINVAL && rd(v, fw[i].req, 4) == 4 &&
		      vgt_vgpu_last_reason(v) == VGT_REASON_REG_SIZE, "%#x: 2-byte write", fw[i].req);
	}
	vgt_vgpu_traps(v, &t, true);
	CHECK(t.count[VGT_TRAP_PM] == 3 * 15 && t.rejected[VGT_TRAP_PM] == 6 &&
	      t.reason[VGT_REASON_REG_READ_ONLY] == 3 && t.reason[VGT_REASON_REG_SIZE] == 3 &&
	      t.count[VGT_TRAP_OTHER] == 0, "pm traps %llu rejected %llu",
	      (unsigned long long)t.count[VGT_TRAP_PM], (unsigned long long)t.rejected[VGT_TRAP_PM]);

	/* RC6/RPS: plain values, class pm. */
	CHECK(vgt_mmio_write(v, 0xa090, 4, 0x88040000) == 0 && rd(v, 0xa090, 4) == 0x88040000 &&
	      vgt_mmio_write(v, 0xa008, 4, 0x12345678) == 0 && rd(v, 0xa008, 4) == 0x12345678 &&
	      vgt_mmio_write(v, 0xa024, 4, 7) == 0 && vgt_mmio_write(v, 0xa094, 4, 1) == 0,
	      "RC6/RPS registers");
	CHECK(vgt_mmio_write(v, 0xa090, 8, ~0ULL) == -EINVAL && rd(v, 0xa094, 4) == 1,
	      "8-byte write over two dword registers refused");
	CHECK(vgt_mmio_write(v, 0xa088, 8, ~0ULL) == 0 && rd(v, 0xa088, 8) == ~0ULL,
	      "8-byte plain write");
	CHECK(vgt_mmio_write(v, 0xa08c + 4 - 8, 8, 0) == 0, "8-byte plain write below it");
	vgt_vgpu_traps(v, &t, true);
	CHECK(t.count[VGT_TRAP_PM] == 8 && t.rejected[VGT_TRAP_PM] == 1 &&
	      t.count[VGT_TRAP_OTHER] == 3, "pm %llu other %llu",
	      (unsigned long long)t.count[VGT_TRAP_PM], (unsigned long long)t.count[VGT_TRAP_OTHER]);

	/* W1C: GT_IIR0. Set bits by the host's hand, clear by writing ones. */
	CHECK(vgt_mmio_write(v, 0x44308, 4, 0xffffffff) == 0 && rd(v, 0x44308, 4) == 0,
	      "W1C of zero stays zero");
	vgt_vgpu_reset(v);
	vgt_mmio_read(v, VGT_PVINFO_PAGE, 4, &(uint64_t){ 0 });
	CHECK(rd(v, 0x44308, 4) == 0 && rd(v, 0xa090, 4) == 0 && rd(v, 0xa278, 4) == 0 &&
	      rd(v, 0x0d84, 4) == 0 && rd(v, 0xa168, 4) == 0xffffffff, "reset restores");

	/* Plain storage: any size, little endian. */
	CHECK(vgt_mmio_write(v, 0x1234, 4, 0xdeadbeef) == 0 && rd(v, 0x1234, 2) == 0xbeef &&
	      rd(v, 0x1237, 1) == 0xde && vgt_mmio_write(v, 0x1236, 2, 0x1111) == 0 &&
	      rd(v, 0x1234, 4) == 0x1111beef && vgt_mmio_write(v, 0x1235, 1, 0x22) == 0 &&
	      rd(v, 0x1234, 4) == 0x111122ef, "plain storage byte lanes");
	/* Ring registers: plain storage, class ring. */
	vgt_vgpu_traps(v, &t, true);
	CHECK(vgt_mmio_write(v, 0x2030, 4, 0x1000) == 0 && rd(v, 0x2030, 4) == 0x1000 &&
	      vgt_mmio_write(v, 0x22034, 4, 5) == 0 && vgt_mmio_write(v, 0x229c, 4, 0x00080008) == 0 &&
	      rd(v, 0x229c, 4) == 8, "ring registers");
	vgt_vgpu_traps(v, &t, true);
	CHECK(t.count[VGT_TRAP_RING] == 5 && t.count[VGT_TRAP_OTHER] == 0, "ring class: %llu",
	      (unsigned long long)t.count[VGT_TRAP_RING]);
	vgt_vgpu_destroy(v);
}

TEST(bad_access, "H-15")
{
	struct vgt_vgpu *v = fresh();
	uint64_t val = 123;
	struct vgt_traps t;

	vgt_vgpu_traps(v, &t, true);
	CHECK(vgt_mmio_write(v, 0x1002, 4, 1) == -EINVAL, "misaligned dword");
	CHECK(vgt_mmio_write(v, 0x1000, 3, 1) == -EINVAL, "size 3");
	CHECK(vgt_mmio_write(v, 0x1000, 16, 1) == -EINVAL, "size 16");
	CHECK(vgt_mmio_write(v, 0x300000, 4, 1) == -EINVAL, "gap between MMIO and GSM");
	CHECK(vgt_mmio_write(v, VGT_BAR0_SIZE, 4, 1) == -EINVAL, "beyond BAR0");
	CHECK(vgt_mmio_write(v, ~0ULL - 3, 4, 1) == -EINVAL, "wrapping offset");
	CHECK(vgt_mmio_read(v, 0x300000, 4, &val) == -EINVAL && val == 0, "read of the gap");
	CHECK(vgt_mmio_read(v, 0x1000, 4, NULL) == -EINVAL, "NULL val");
	CHECK(vgt_mmio_read(NULL, 0x1000, 4, &val) == -EINVAL &&
	      vgt_mmio_write(NULL, 0x1000, 4, 1) == -EINVAL, "NULL vgpu (not a trap of any vGPU)");
	vgt_vgpu_traps(v, &t, false);
	CHECK(t.count[VGT_TRAP_OTHER] == 7 && t.rejected[VGT_TRAP_OTHER] == 7 &&
	      t.reason[VGT_REASON_BAD_ACCESS] == 7, "bad accesses: %llu/%llu",
	      (unsigned long long)t.rejected[VGT_TRAP_OTHER],
	      (unsigned long long)t.count[VGT_TRAP_OTHER]);
	CHECK(!strcmp(vgt_trap_class_name(VGT_TRAP_PM), "pm") &&
	      !strcmp(vgt_trap_class_name(VGT_TRAP_NR), "?") &&
	      !strcmp(vgt_reason_name(VGT_REASON_PTE_FRAME), "pte-frame") &&
	      !strcmp(vgt_strerror(-ERANGE), "outside what the vGPU owns"), "names");
	vgt_vgpu_destroy(v);
}

/*
 * Declared access sizes (libvgt.h): a table dword register is written only
 * as that dword, and read at any size (as GVT-g). The header used to say
 * reads of other sizes were refused; the code served them, and a 6.1 guest
 * needs them (the fuse reads of probe_regs), so the header was corrected.
 */
TEST(table_register_sizes, "H-15")
{
	struct vgt_vgpu *v = fresh();
	static const unsigned int writes[][2] = {	/* offset, size */
		{ 0xa168, 1 }, { 0xa16a, 2 }, { 0xa168, 8 }, { 0x0d84, 2 },
		{ 0x0d80, 8 },	/* plain dword, then FORCEWAKE_ACK_RENDER_GEN9 */
	};
	uint64_t val;
	struct vgt_traps t;
	unsigned int i;

	vgt_mmio_write(v, 0x0d80, 4, 0x11223344);
	vgt_vgpu_traps(v, &t, true);
	for (i = 0; i < sizeof(writes) / sizeof(writes[0]); i++)
		CHECK(vgt_mmio_write(v, writes[i][0], writes[i][1], 0x5a5a5a5a5a5a5a5aULL) == -EINVAL &&
		      vgt_vgpu_last_reason(v) == VGT_REASON_REG_SIZE &&
		      rd(v, 0xa168, 4) == 0xffffffff && rd(v, 0x0d80, 4) == 0x11223344,
		      "write of %u bytes at %#x refused, nothing changed", writes[i][1], writes[i][0]);
	CHECK(vgt_mmio_read(v, 0xa16a, 2, &val) == 0 && val == 0xffff &&
	      vgt_mmio_read(v, 0xa16b, 1, &val) == 0 && val == 0xff &&
	      vgt_mmio_read(v, 0x0d80, 8, &val) == 0 && val == 0x11223344, "reads at any size");
	vgt_vgpu_traps(v, &t, false);
	CHECK(t.reason[VGT_REASON_REG_SIZE] == 5 && t.rejected[VGT_TRAP_PM] == 4 &&
	      t.rejected[VGT_TRAP_OTHER] == 1,
	      "refusals by reason %llu, pm %llu, other %llu",
	      (unsigned long long)t.reason[VGT_REASON_REG_SIZE],
	      (unsigned long long)t.rejected[VGT_TRAP_PM],
	      (unsigned long long)t.rejected[VGT_TRAP_OTHER]);
	vgt_vgpu_destroy(v);
}

/*
 * What a 6.1 i915 probe waits on: resets and pcode requests that complete at
 * once, power wells and DBUF/LCPLL1 whose state follows the request, fuses
 * that read their reset value whatever the guest writes.
 */
static const struct { u32 off; const char *name; } req_state[] = {
	{ 0x45008, "DBUF_CTL" }, { 0x45400, "HSW_PWR_WELL_CTL1" },
	{ 0x45404, "HSW_PWR_WELL_CTL2" }, { 0x45408, "HSW_PWR_WELL_CTL3" },
	{ 0x4540c, "HSW_PWR_WELL_CTL4" }, { 0x46010, "LCPLL1_CTL" },
};
static const struct { u32 off, reset; const char *name; } fuses[] = {
	{ 0x9120, 1u << 25 | 1u << 23, "GEN8_FUSE2" },
	{ 0x42000, 1u << 31 | 1u << 27 | 1u << 26 | 1u << 25, "SKL_FUSE_STATUS" },
	{ 0x51000, 1u << 30 | 1u << 28 | 1u << 21, "SKL_DFSM" },
	{ 0xc000, 1, "GUC_STATUS" },
};

TEST(probe_regs, "")
{
	struct vgt_vgpu *v = fresh();
	unsigned int i, b;

	/* Self-clearing: the write is accepted, the register then reads 0. */
	CHECK(vgt_mmio_write(v, 0x941c, 4, 1) == 0 && rd(v, 0x941c, 4) == 0 &&
	      vgt_vgpu_last_reason(v) == VGT_REASON_NONE, "GEN6_GDRST: full reset reads back 0");
	CHECK(vgt_mmio_write(v, 0x941c, 4, 0xffffffff) == 0 && rd(v, 0x941c, 4) == 0,
	      "GEN6_GDRST: all domains read back 0");
	CHECK(vgt_mmio_write(v, 0x138124, 4, 0x80000017) == 0 && rd(v, 0x138124, 4) == 0,
	      "GEN6_PCODE_MAILBOX: READY|cmd reads back 0 (done, no error)");
	CHECK(vgt_mmio_write(v, 0x138124, 2, 0x17) == -EINVAL &&
	      vgt_vgpu_last_reason(v) == VGT_REASON_REG_SIZE && rd(v, 0x138124, 4) == 0,
	      "GEN6_PCODE_MAILBOX: 2-byte write refused");

	/* Request bit 2i+1 shows in state bit 2i; state bits written are dropped. */
	for (i = 0; i < VGT_ARRAY_SIZE(req_state); i++) {
		u32 off = req_state[i].off;
		const char *nm = req_state[i].name;

		CHECK(rd(v, off, 4) == 0, "%s resets to 0", nm);
		for (b = 0; b < 32; b += 2) {
			CHECK(vgt_mmio_write(v, off, 4, 2u << b) == 0 && rd(v, off, 4) == 3u << b,
			      "%s: request bit %u sets state bit %u (read %#llx)", nm, b + 1, b,
			      (unsigned long long)rd(v, off, 4));
			CHECK(vgt_mmio_write(v, off, 4, 1u << b) == 0 && rd(v, off, 4) == 0,
			      "%s: state bit %u alone is dropped, request cleared", nm, b);
		}
		CHECK(vgt_mmio_write(v, off, 4, 0x80000000) == 0 && rd(v, off, 4) == 0xc0000000,
		      "%s: bit 31 request shows bit 30 state", nm);
		CHECK(vgt_mmio_write(v, off, 4, 0x55555555) == 0 && rd(v, off, 4) == 0,
		      "%s: all state bits, no request: reads 0", nm);
		CHECK(vgt_mmio_write(v, off, 4, 0xaaaaaaaa) == 0 && rd(v, off, 4) == 0xffffffff,
		      "%s: all requests: all states", nm);
		CHECK(vgt_mmio_write(v, off, 4, 0x0000000a) == 0 && rd(v, off, 4) == 0xf,
		      "%s: requests replace, not accumulate", nm);
		CHECK(vgt_mmio_write(v, off, 2, 0) == -EINVAL && rd(v, off, 4) == 0xf &&
		      vgt_vgpu_last_reason(v) == VGT_REASON_REG_SIZE,
		      "%s: refused 2-byte write changes nothing", nm);
	}

	/* Read-only reset values: writes refused, value unchanged. */
	for (i = 0; i < VGT_ARRAY_SIZE(fuses); i++) {
		u32 off = fuses[i].off;
		const char *nm = fuses[i].name;

		CHECK(rd(v, off, 4) == fuses[i].reset, "%s resets to %#x, reads %#llx", nm,
		      fuses[i].reset, (unsigned long long)rd(v, off, 4));
		CHECK(vgt_mmio_write(v, off, 4, 0) == -EPERM &&
		      vgt_vgpu_last_reason(v) == VGT_REASON_REG_READ_ONLY &&
		      rd(v, off, 4) == fuses[i].reset, "%s: write of 0 refused, unchanged", nm);
		CHECK(vgt_mmio_write(v, off, 4, 0xffffffff) == -EPERM &&
		      vgt_vgpu_last_reason(v) == VGT_REASON_REG_READ_ONLY &&
		      rd(v, off, 4) == fuses[i].reset, "%s: write of ~0 refused, unchanged", nm);
		CHECK(rd(v, off, 2) == (fuses[i].reset & 0xffff) &&
		      rd(v, off + 2, 2) == fuses[i].reset >> 16, "%s: 2-byte reads", nm);
	}

	/* Reset: the host's hand corrupts them; vgt_vgpu_reset restores. */
	for (i = 0; i < VGT_ARRAY_SIZE(fuses); i++)
		v->regs[fuses[i].off / 4] = ~fuses[i].reset;
	v->regs[0x941c / 4] = 7;
	v->regs[0x138124 / 4] = 0x80000000;
	vgt_mmio_write(v, 0x44200, 4, 0x80000000);
	vgt_vgpu_reset(v);
	for (i = 0; i < VGT_ARRAY_SIZE(fuses); i++)
		CHECK(rd(v, fuses[i].off, 4) == fuses[i].reset, "%s: reset restores %#x",
		      fuses[i].name, fuses[i].reset);
	for (i = 0; i < VGT_ARRAY_SIZE(req_state); i++)
		CHECK(rd(v, req_state[i].off, 4) == 0, "%s: reset back to 0 (powered off)",
		      req_state[i].name);
	CHECK(rd(v, 0x941c, 4) == 0 && rd(v, 0x138124, 4) == 0 && rd(v, 0x44200, 4) == 0,
	      "GEN6_GDRST, GEN6_PCODE_MAILBOX, GEN8_MASTER_IRQ reset to 0");
	vgt_vgpu_destroy(v);
}

TEST(irqs, "")
{
	struct vgt_vgpu *v = fresh();
	static const struct { u32 off; const char *name; } iir[] = {
		{ 0x44308, "GEN8_GT_IIR0" }, { 0x44318, "GEN8_GT_IIR1" },
		{ 0x44328, "GEN8_GT_IIR2" }, { 0x44338, "GEN8_GT_IIR3" },
		{ 0x44408, "GEN8_DE_PIPE_IIR_A" }, { 0x44418, "GEN8_DE_PIPE_IIR_B" },
		{ 0x44428, "GEN8_DE_PIPE_IIR_C" }, { 0x44448, "GEN8_DE_PORT_IIR" },
		{ 0x44468, "GEN8_DE_MISC_IIR" }, { 0x444e8, "GEN8_PCU_IIR" },
		{ 0xc4008, "SDEIIR" },
	};
	unsigned int i;

	for (i = 0; i < VGT_ARRAY_SIZE(iir); i++) {
		u32 off = iir[i].off;
		const char *nm = iir[i].name;

		CHECK(rd(v, off, 4) == 0, "%s resets to 0", nm);
		CHECK(vgt_mmio_write(v, off, 4, 0xffffffff) == 0 && rd(v, off, 4) == 0,
		      "%s: the guest cannot set bits", nm);
		v->regs[off / 4] = 0x8000f0f0;	/* raised by the host's hand */
		CHECK(vgt_mmio_write(v, off, 4, 0) == 0 && rd(v, off, 4) == 0x8000f0f0,
		      "%s: writing 0 clears nothing", nm);
		CHECK(vgt_mmio_write(v, off, 4, 0x000000ff) == 0 && rd(v, off, 4) == 0x8000f000,
		      "%s: writing ones clears just those bits, reads %#llx", nm,
		      (unsigned long long)rd(v, off, 4));
		CHECK(vgt_mmio_write(v, off, 2, 0xffff) == -EINVAL &&
		      rd(v, off, 4) == 0x8000f000, "%s: refused 2-byte write clears nothing", nm);
		CHECK(vgt_mmio_write(v, off, 4, 0xffffffff) == 0 && rd(v, off, 4) == 0,
		      "%s: writing all ones clears all", nm);
		v->regs[off / 4] = 0x10;
	}
	vgt_vgpu_reset(v);
	for (i = 0; i < VGT_ARRAY_SIZE(iir); i++)
		CHECK(rd(v, iir[i].off, 4) == 0, "%s: reset clears pending bits", iir[i].name);

	/*
	 * GEN8_MASTER_IRQ: the control bit as written; the summary bits are
	 * the hardware's (test_exec checks them with pending interrupts).
	 */
	CHECK(vgt_mmio_write(v, 0x44200, 4, 0x80000000) == 0 && rd(v, 0x44200, 4) == 0x80000000,
	      "GEN8_MASTER_IRQ: control bit stored");
	CHECK(vgt_mmio_write(v, 0x44200, 4, 0x12345678) == 0 && rd(v, 0x44200, 4) == 0,
	      "GEN8_MASTER_IRQ: summary bits not writable");
	CHECK(vgt_mmio_write(v, 0x44200, 4, 0) == 0 && rd(v, 0x44200, 4) == 0,
	      "GEN8_MASTER_IRQ: 0 stored");
	vgt_vgpu_destroy(v);
}

static const struct { u32 base; const char *name; } engines[] = {
	{ 0x2000, "RCS ring" }, { 0x12000, "VCS ring" }, { 0x1a000, "VECS ring" },
	{ 0x22000, "BCS ring" },
};

/* One step on a masked register: a 4-byte write of val, then it reads want. */
struct step {
	u32 val, want;
	const char *what;
};

static const struct step mi_mode_steps[] = {
	{ 0x01000100, 0x300, "STOP_RING set, still idle" },
	{ 0x0000ffff, 0x300, "no mask bits, no change" },
	{ 0x00100010, 0x310, "bit 4 kept bit 8" },
	{ 0x02000000, 0x310, "clearing MODE_IDLE has no effect" },
	{ 0x01100000, 0x200, "masked clear of bits 8 and 4" },
	{ 0x00030002, 0x202, "bit 1 stored as written (no RESET_CTL logic)" },
	{ 0x00020000, 0x200, "bit 1 cleared" },
};

static const struct step reset_ctl_steps[] = {
	{ 0x00010001, 3, "REQUEST_RESET gives READY_TO_RESET" },
	{ 0x0000fffe, 3, "no mask bits, no change" },
	{ 0x00020000, 3, "READY_TO_RESET stays while requested" },
	{ 0x00010000, 0, "request dropped, READY_TO_RESET clears" },
	{ 0x00020002, 0, "READY_TO_RESET cannot be set without a request" },
	{ 0x00000001, 0, "request without mask bit ignored" },
	{ 0x00010001, 3, "requested again" },
};

static void run_steps(struct vgt_vgpu *v, u32 reg, const char *engine,
		      const char *name, const struct step *steps, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		CHECK(vgt_mmio_write(v, reg, 4, steps[i].val) == 0 &&
		      rd(v, reg, 4) == steps[i].want, "%s %s: %s, reads %#llx", engine,
		      name, steps[i].what, (unsigned long long)rd(v, reg, 4));
}

TEST(rings, "")
{
	struct vgt_vgpu *v = fresh();
	unsigned int i;

	for (i = 0; i < VGT_ARRAY_SIZE(engines); i++) {
		u32 mi = engines[i].base + 0x9c, ctl = engines[i].base + 0xd0;
		u32 plain = engines[i].base + 0x38, last = engines[i].base + 0x7fc;
		const char *nm = engines[i].name;

		/* RING_MI_MODE: masked, MODE_IDLE (bit 9) always reads set. */
		CHECK(rd(v, mi, 4) == 1u << 9, "%s MI_MODE: idle after create, reads %#llx", nm,
		      (unsigned long long)rd(v, mi, 4));
		run_steps(v, mi, nm, "MI_MODE", mi_mode_steps, VGT_ARRAY_SIZE(mi_mode_steps));
		CHECK(vgt_mmio_write(v, mi, 2, 0x100) == -EINVAL &&
		      vgt_vgpu_last_reason(v) == VGT_REASON_REG_SIZE && rd(v, mi, 4) == 0x200,
		      "%s MI_MODE: refused 2-byte write changes nothing", nm);
		CHECK(vgt_mmio_write(v, mi - 4, 8, ~0ull) == -EINVAL &&
		      vgt_mmio_write(v, mi + 2, 2, 0xffff) == -EINVAL &&
		      vgt_mmio_write(v, ctl + 2, 2, 0xffff) == -EINVAL &&
		      rd(v, mi, 4) == 0x200 && rd(v, ctl, 4) == 0,
		      "%s: 8- and 2-byte writes reaching MI_MODE/RESET_CTL refused", nm);
		CHECK(rd(v, mi - 4, 8) == 0x200ull << 32 && rd(v, mi, 2) == 0x200 &&
		      rd(v, mi + 1, 1) == 0x2,
		      "%s MI_MODE: MODE_IDLE reads set at any access size", nm);

		/* RING_RESET_CTL: masked, READY_TO_RESET exactly while REQUEST_RESET. */
		CHECK(rd(v, ctl, 4) == 0, "%s RESET_CTL resets to 0", nm);
		run_steps(v, ctl, nm, "RESET_CTL", reset_ctl_steps,
			  VGT_ARRAY_SIZE(reset_ctl_steps));
		CHECK(vgt_mmio_write(v, ctl, 8, 0x00010000) == -EINVAL && rd(v, ctl, 4) == 3,
		      "%s RESET_CTL: refused 8-byte write changes nothing", nm);

		/* The rest of the engine block: plain storage at any size. */
		CHECK(vgt_mmio_write(v, plain, 4, 0xdeadbeef) == 0 &&
		      rd(v, plain, 4) == 0xdeadbeef && rd(v, plain + 2, 2) == 0xdead &&
		      vgt_mmio_write(v, plain, 1, 0x11) == 0 && rd(v, plain, 4) == 0xdeadbe11,
		      "%s: plain storage at +0x38", nm);
		CHECK(vgt_mmio_write(v, last - 4, 8, 0x0123456789abcdefULL) == 0 &&
		      rd(v, last - 4, 8) == 0x0123456789abcdefULL && rd(v, last, 4) == 0x01234567,
		      "%s: 8-byte plain storage at the end of the block", nm);
	}
	CHECK(vgt_mmio_write(v, 0x2298, 4, 0x9) == 0 && rd(v, 0x2298, 4) == 9 &&
	      vgt_mmio_write(v, 0x22a0, 4, 0xa) == 0 && rd(v, 0x22a0, 4) == 0xa,
	      "RCS ring: plain storage either side of GFX_MODE");

	vgt_vgpu_reset(v);
	for (i = 0; i < VGT_ARRAY_SIZE(engines); i++)
		CHECK(rd(v, engines[i].base + 0x9c, 4) == 1u << 9 &&
		      rd(v, engines[i].base + 0xd0, 4) == 0 &&
		      rd(v, engines[i].base + 0x38, 4) == 0 &&
		      rd(v, engines[i].base + 0x7fc, 4) == 0,
		      "%s: reset: MI_MODE idle only, RESET_CTL and storage 0", engines[i].name);
	vgt_vgpu_destroy(v);
}

/* One read and one write of each: one trap each, in its class; its name. */
TEST(probe_traps_names, "H-15")
{
	struct vgt_vgpu *v = fresh();
	static const struct {
		u32 off;
		enum vgt_trap_class c;
		const char *name;
	} t[] = {
		{ 0x138124, VGT_TRAP_PM, "GEN6_PCODE_MAILBOX" },
		{ 0x45400, VGT_TRAP_PM, "HSW_PWR_WELL_CTL1" },
		{ 0x45404, VGT_TRAP_PM, "HSW_PWR_WELL_CTL2" },
		{ 0x45408, VGT_TRAP_PM, "HSW_PWR_WELL_CTL3" },
		{ 0x4540c, VGT_TRAP_PM, "HSW_PWR_WELL_CTL4" },
		{ 0x45008, VGT_TRAP_PM, "DBUF_CTL" },
		{ 0x46010, VGT_TRAP_PM, "LCPLL1_CTL" },
		{ 0x42000, VGT_TRAP_PM, "SKL_FUSE_STATUS" },
		{ 0x2000, VGT_TRAP_RING, "RCS ring" }, { 0x209c, VGT_TRAP_RING, "RCS ring" },
		{ 0x20d0, VGT_TRAP_RING, "RCS ring" }, { 0x2298, VGT_TRAP_RING, "RCS ring" },
		{ 0x22a0, VGT_TRAP_RING, "RCS ring" }, { 0x27fc, VGT_TRAP_RING, "RCS ring" },
		{ 0x12000, VGT_TRAP_RING, "VCS ring" }, { 0x1209c, VGT_TRAP_RING, "VCS ring" },
		{ 0x127fc, VGT_TRAP_RING, "VCS ring" }, { 0x1a0d0, VGT_TRAP_RING, "VECS ring" },
		{ 0x1a7fc, VGT_TRAP_RING, "VECS ring" }, { 0x1c000, VGT_TRAP_RING, "VCS2 ring" },
		{ 0x1c7fc, VGT_TRAP_RING, "VCS2 ring" }, { 0x220d0, VGT_TRAP_RING, "BCS ring" },
		{ 0x227fc, VGT_TRAP_RING, "BCS ring" },
		{ 0x941c, VGT_TRAP_OTHER, "GEN6_GDRST" },
		{ 0x9120, VGT_TRAP_OTHER, "GEN8_FUSE2" },
		{ 0x51000, VGT_TRAP_OTHER, "SKL_DFSM" },
		{ 0xc000, VGT_TRAP_OTHER, "GUC_STATUS" },
		{ 0x44200, VGT_TRAP_OTHER, "GEN8_MASTER_IRQ" },
		{ 0x44308, VGT_TRAP_OTHER, "GEN8_GT_IIR0" },
		{ 0x44408, VGT_TRAP_OTHER, "GEN8_DE_PIPE_IIR_A" },
		{ 0x44418, VGT_TRAP_OTHER, "GEN8_DE_PIPE_IIR_B" },
		{ 0x44428, VGT_TRAP_OTHER, "GEN8_DE_PIPE_IIR_C" },
		{ 0x44448, VGT_TRAP_OTHER, "GEN8_DE_PORT_IIR" },
		{ 0x44468, VGT_TRAP_OTHER, "GEN8_DE_MISC_IIR" },
		{ 0x444e8, VGT_TRAP_OTHER, "GEN8_PCU_IIR" },
		{ 0xc4008, VGT_TRAP_OTHER, "SDEIIR" },
		/* Plain storage: no name, class other. */
		{ 0x4094, VGT_TRAP_OTHER, NULL }, { 0x1ffc, VGT_TRAP_OTHER, NULL },
		{ 0x2800, VGT_TRAP_OTHER, NULL }, { 0x12800, VGT_TRAP_OTHER, NULL },
		{ 0x1a800, VGT_TRAP_OTHER, NULL }, { 0x1c800, VGT_TRAP_OTHER, NULL },
		{ 0x22800, VGT_TRAP_OTHER, NULL }, { 0x138128, VGT_TRAP_OTHER, NULL },
	};
	struct vgt_traps tr;
	unsigned int i, c;

	for (i = 0; i < VGT_ARRAY_SIZE(t); i++) {
		const char *nm = vgt_reg_name(t[i].off);
		const char *want = t[i].name ? t[i].name : "(null)";
		u64 total = 0;
		int ret;

		CHECK(t[i].name ? nm && !strcmp(nm, t[i].name) : nm == NULL,
		      "vgt_reg_name(%#x) is %s, want %s", t[i].off, nm ? nm : "(null)", want);
		vgt_vgpu_traps(v, &tr, true);
		rd(v, t[i].off, 4);
		vgt_vgpu_traps(v, &tr, true);
		for (c = 0; c < VGT_TRAP_NR; c++)
			total += tr.count[c];
		CHECK(tr.count[t[i].c] == 1 && total == 1 && tr.rejected[t[i].c] == 0,
		      "%s (%#x): a read is one %s trap", want, t[i].off,
		      vgt_trap_class_name(t[i].c));
		ret = vgt_mmio_write(v, t[i].off, 4, 0);
		vgt_vgpu_traps(v, &tr, true);
		for (total = 0, c = 0; c < VGT_TRAP_NR; c++)
			total += tr.count[c];
		CHECK(tr.count[t[i].c] == 1 && total == 1 &&
		      tr.rejected[t[i].c] == (ret != 0),
		      "%s (%#x): a write is one %s trap", want, t[i].off,
		      vgt_trap_class_name(t[i].c));
	}
	CHECK(!strcmp(vgt_reg_name(0x229c), "RCS ring") &&
	      !strcmp(vgt_reg_name(0x2001), "RCS ring") &&
	      !strcmp(vgt_reg_name(0x941f), "GEN6_GDRST"),
	      "vgt_reg_name of GFX_MODE (an engine register) and of bytes inside entries");
	vgt_vgpu_destroy(v);
}

/* fresh() creates the host on first use; each test ends with none. */
static void host_down(void)
{
	vgt_host_destroy(h);
	h = NULL;
}

TEST_FIXTURE(NULL, host_down)

VGT_TEST_MAIN()

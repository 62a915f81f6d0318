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

static void test_table(void)
{
	int before = failed;
	size_t n, i;
	const struct vgt_reg *t = vgt_reg_table(&n);
	struct vgt_vgpu *v = fresh();

	for (i = 0; i < n; i++) {
		CHECK(t[i].size && (i == 0 || t[i - 1].offset + t[i - 1].size <= t[i].offset),
		      "entry %zu (%s) unsorted or overlapping", i, t[i].name);
		CHECK(vgt_reg_find(t[i].offset) == &t[i] &&
		      vgt_reg_find(t[i].offset + t[i].size - 1) == &t[i],
		      "lookup of %s", t[i].name);
		if (t[i].size == 4)
			CHECK(rd(v, t[i].offset, 4) == t[i].reset, "reset value of %s", t[i].name);
	}
	CHECK(vgt_reg_find(0x1234) == NULL && vgt_reg_find(0xa08c) == NULL, "plain offsets");
	CHECK(rd(v, 0xa168, 4) == 0xffffffff, "GEN6_PMINTRMSK resets to all ones");
	vgt_vgpu_destroy(v);
	REPORT(before, "host:test_regs table shape and reset values");
}

static void test_semantics(void)
{
	int before = failed;
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
	REPORT(before, "host:test_regs read-only, W1C, masked, plain");
}

static void test_bad_access(void)
{
	int before = failed;
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
	REPORT(before, "host:test_regs bad accesses");
}

int main(void)
{
	test_table();
	test_semantics();
	test_bad_access();
	vgt_host_destroy(h);
	printf("test_regs: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}

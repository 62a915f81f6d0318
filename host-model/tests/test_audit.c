// SPDX-License-Identifier: MIT
/*
 * The command address audit: a realistic gen9 stream passes; each command
 * class is refused with its own reason when an operand leaves the slices;
 * adversarial buffers (straddling, wrapping, truncated, huge lengths,
 * unknown opcodes, privileged commands, self-chaining) are refused.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vgt_audit.h"
#include "vgt_test.h"

#define MIB (1ULL << 20)
#define MAP_BASE (128 * MIB)
#define MAP_SIZE (64 * MIB)
#define HID_BASE (640 * MIB)
#define HID_SIZE (384 * MIB)

#define MI(op, len) (((uint32_t)(op) << 23) | (len))
#define GGTT (1u << 22)
#define MI_BB_END MI(0x0a, 0)
#define PIPE_CONTROL(len) (0x7a000000u | (len))
#define LO(a) ((uint32_t)(a))
#define HI(a) ((uint32_t)((uint64_t)(a) >> 32))

static const struct vgt_audit_ctx base_ctx = {
	.mappable_base = MAP_BASE, .mappable_size = MAP_SIZE,
	.hidden_base = HID_BASE, .hidden_size = HID_SIZE,
};

static int audit(const uint32_t *dw, size_t n, struct vgt_audit_result *r)
{
	return vgt_audit(&base_ctx, dw, n, r);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void expect(const char *what, const uint32_t *dw, size_t n,
		   enum vgt_audit_reason reason, size_t dword, const char *cmd)
{
	struct vgt_audit_result r;
	int ret = audit(dw, n, &r);

	if (reason == VGT_AUDIT_OK)
		CHECK(ret == 0, "%s: refused: %s at %zu (%s)", what,
		      vgt_audit_reason_name(r.reason), r.dword, r.command);
	else
		CHECK(ret == -EACCES && r.reason == reason && r.dword == dword &&
		      (!cmd || !strcmp(cmd, r.command)),
		      "%s: got %d %s at %zu (%s), want %s at %zu", what, ret,
		      vgt_audit_reason_name(r.reason), r.dword, r.command,
		      vgt_audit_reason_name(reason), dword);
}

static void test_valid_stream(void)
{
	int before = failed;
	uint64_t seq = MAP_BASE + 0x1000, hid = HID_BASE + HID_SIZE - 8;
	const uint32_t ring[] = {
		MI(0x05, 0),					/* MI_ARB_CHECK */
		PIPE_CONTROL(4), (1u << 24) | (1u << 14), LO(seq), HI(seq), 7, 0,
		MI(0x26, 2) | (1u << 14), LO(hid) | 4, HI(hid), 9, /* MI_FLUSH_DW */
		MI(0x20, 2) | GGTT, LO(seq), HI(seq), 42,	/* MI_STORE_DATA_IMM */
		MI(0x22, 1), 0x2358, 0,				/* MI_LOAD_REGISTER_IMM */
		MI(0x24, 2) | GGTT, 0x2358, LO(seq), HI(seq),	/* MI_STORE_REGISTER_MEM */
		MI(0x20, 2), 0xdead0000, 0xbeef, 1,		/* PPGTT store: not audited */
		0x78100000u | 1, 0, 0,				/* 3DSTATE_* */
		0x7b000000u | 5, 0, 0, 0, 0, 0, 0,		/* 3DPRIMITIVE */
		0x69040000u,					/* PIPELINE_SELECT */
		0x70000000u | 7, 0, 0, 0, 0, 0, 0, 0, 0,	/* MEDIA_VFE_STATE */
		0x71050000u | 13, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* GPGPU_WALKER */
		(2u << 29) | (0x53u << 22) | 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* XY_SRC_COPY_BLT */
		MI(0x31, 1) | (1u << 8), 0x1000, 0,		/* PPGTT batch */
		MI(0x02, 0),					/* MI_USER_INTERRUPT */
		MI_BB_END,
		0xffffffff,				/* after the end: never read */
	};

	expect("realistic gen9 stream", ring, N(ring), VGT_AUDIT_OK, 0, NULL);
	REPORT(before, "host:test_audit valid stream");
}

static void test_operands(void)
{
	int before = failed;
	uint64_t edge = MAP_BASE + MAP_SIZE - 4, other = 200 * MIB;
	const uint32_t sdi_out[] = { MI(0x20, 2) | GGTT, LO(other), HI(other), 1 };
	const uint32_t sdi_qword_straddle[] = { MI(0x20, 3) | GGTT | (1u << 21),
						LO(edge), HI(edge), 1, 2 };
	const uint32_t lrm_out[] = { MI(0x29, 2) | GGTT, 0x2358, LO(other), HI(other) };
	const uint32_t srm_ok[] = { MI(0x24, 2) | GGTT, 0x2358, LO(edge), HI(edge) };
	const uint32_t flush_out[] = { MI(0x26, 2) | (1u << 14), LO(other) | 4, HI(other), 0 };
	const uint32_t flush_ppgtt[] = { MI(0x26, 2) | (1u << 14), LO(other), HI(other), 0 };
	const uint32_t flush_index[] = { MI(0x26, 2) | (1u << 14) | (1u << 21), 0x2000, 0, 0 };
	const uint32_t pc_out[] = { PIPE_CONTROL(4), (1u << 24) | (1u << 14), LO(other), HI(other), 0, 0 };
	const uint32_t pc_index[] = { PIPE_CONTROL(4), (1u << 21) | (1u << 14), 0x800, 0, 0, 0 };
	const uint32_t atomic_out[] = { MI(0x2f, 1) | GGTT | (2u << 19), LO(edge - 4), HI(edge) };
	const uint32_t atomic_ok[] = { MI(0x2f, 1) | GGTT, LO(edge), HI(edge) };
	const uint32_t bb_out[] = { MI(0x31, 1), LO(other), HI(other) };
	const uint32_t wrap[] = { MI(0x20, 3) | GGTT | (1u << 21), 0xfffffffc, 0xffff, 1, 2 };
	const uint32_t high[] = { MI(0x20, 2) | GGTT, LO(MAP_BASE), 1, 1 };

	expect("MI_STORE_DATA_IMM outside", sdi_out, N(sdi_out), VGT_AUDIT_OUTSIDE_SLICE, 0, "MI_STORE_DATA_IMM");
	expect("qword store straddling the slice end", sdi_qword_straddle, N(sdi_qword_straddle),
	       VGT_AUDIT_OUTSIDE_SLICE, 0, NULL);
	expect("MI_LOAD_REGISTER_MEM outside", lrm_out, N(lrm_out), VGT_AUDIT_OUTSIDE_SLICE, 0, NULL);
	expect("MI_STORE_REGISTER_MEM at the last dword", srm_ok, N(srm_ok), VGT_AUDIT_OK, 0, NULL);
	expect("MI_FLUSH_DW post-sync outside", flush_out, N(flush_out), VGT_AUDIT_OUTSIDE_SLICE, 0, "MI_FLUSH_DW");
	expect("MI_FLUSH_DW to PPGTT", flush_ppgtt, N(flush_ppgtt), VGT_AUDIT_OK, 0, NULL);
	expect("MI_FLUSH_DW index beyond the HWSP", flush_index, N(flush_index), VGT_AUDIT_BAD_INDEX, 0, NULL);
	expect("PIPE_CONTROL post-sync outside", pc_out, N(pc_out), VGT_AUDIT_OUTSIDE_SLICE, 0, "PIPE_CONTROL");
	expect("PIPE_CONTROL index inside the HWSP", pc_index, N(pc_index), VGT_AUDIT_OK, 0, NULL);
	expect("MI_ATOMIC octword straddling", atomic_out, N(atomic_out), VGT_AUDIT_OUTSIDE_SLICE, 0, "MI_ATOMIC");
	expect("MI_ATOMIC dword at the edge", atomic_ok, N(atomic_ok), VGT_AUDIT_OK, 0, NULL);
	expect("MI_BATCH_BUFFER_START outside", bb_out, N(bb_out), VGT_AUDIT_OUTSIDE_SLICE, 0, "MI_BATCH_BUFFER_START");
	expect("operand wrapping 2^48", wrap, N(wrap), VGT_AUDIT_WRAPS, 0, NULL);
	expect("slice address + 4 GiB", high, N(high), VGT_AUDIT_OUTSIDE_SLICE, 0, NULL);
	REPORT(before, "host:test_audit operands");
}

static void test_adversarial(void)
{
	int before = failed;
	static const uint32_t privileged[][4] = {
		{ MI(0x23, 2), 0, 0, 0 },		/* MI_UPDATE_GTT */
		{ MI(0x1c, 2) | GGTT, 0, LO(MAP_BASE), 0 },	/* MI_SEMAPHORE_WAIT GGTT */
		{ MI(0x36, 2), 0, LO(MAP_BASE), 0 },	/* MI_CONDITIONAL_BATCH_BUFFER_END */
		{ MI(0x27, 2), LO(MAP_BASE), 0, 0 },	/* MI_CLFLUSH */
		{ MI(0x28, 2), LO(MAP_BASE), 0, 0 },	/* MI_REPORT_PERF_COUNT */
		{ MI(0x21, 1), 0x40, 0, 0 },		/* MI_STORE_DATA_INDEX */
	};
	const uint32_t sem_ppgtt[] = { MI(0x1c, 2), 0, 0, 0 };
	const uint32_t truncated[] = { MI(0x05, 0), MI(0x20, 2) | GGTT, LO(MAP_BASE) };
	const uint32_t huge_len[] = { MI(0x22, 0xff), 0x2358, 0 };
	const uint32_t zero_len_pc[] = { PIPE_CONTROL(0), (1u << 24) | (1u << 14) };
	const uint32_t unknown_mi[] = { MI(0x05, 0), MI(0x3f, 0) };
	const uint32_t unknown_client[] = { 0x20000000u };
	const uint32_t unknown_render[] = { 0x7f000000u };
	const uint32_t too_large[] = { MI(0x20, 2) | GGTT, LO(MAP_BASE), 0, 1 };
	struct vgt_audit_ctx small = base_ctx;
	struct vgt_audit_result r;
	size_t i;

	for (i = 0; i < N(privileged); i++)
		expect("privileged command", privileged[i], 4, VGT_AUDIT_PRIVILEGED, 0, NULL);
	expect("MI_SEMAPHORE_WAIT on PPGTT", sem_ppgtt, N(sem_ppgtt), VGT_AUDIT_OK, 0, NULL);
	expect("truncated command", truncated, N(truncated), VGT_AUDIT_TRUNCATED, 1, "MI_STORE_DATA_IMM");
	expect("huge length", huge_len, N(huge_len), VGT_AUDIT_TRUNCATED, 0, NULL);
	expect("zero-length PIPE_CONTROL with a post-sync write", zero_len_pc, N(zero_len_pc),
	       VGT_AUDIT_TRUNCATED, 0, "PIPE_CONTROL");
	expect("unknown MI opcode", unknown_mi, N(unknown_mi), VGT_AUDIT_UNKNOWN_OPCODE, 1, NULL);
	expect("unknown client", unknown_client, 1, VGT_AUDIT_UNKNOWN_OPCODE, 0, NULL);
	expect("unknown render command", unknown_render, 1, VGT_AUDIT_UNKNOWN_OPCODE, 0, NULL);
	expect("empty buffer", NULL, 0, VGT_AUDIT_OK, 0, NULL);
	small.max_surface = 2;
	CHECK(vgt_audit(&small, too_large, N(too_large), &r) == -EACCES &&
	      r.reason == VGT_AUDIT_TOO_LARGE && r.size == 4, "max surface size");
	REPORT(before, "host:test_audit adversarial");
}

/* A batch at MAP_BASE that starts itself again. */
static uint32_t self_chain[] = { MI(0x05, 0), MI(0x31, 1), LO(MAP_BASE), HI(MAP_BASE) };

static const uint32_t *fetch(void *priv, uint64_t addr, size_t *n)
{
	(void)priv;
	if (addr != MAP_BASE)
		return NULL;
	*n = N(self_chain);
	return self_chain;
}

static void test_chaining(void)
{
	int before = failed;
	struct vgt_audit_ctx c = base_ctx;
	struct vgt_audit_result r;

	c.fetch = fetch;
	CHECK(vgt_audit(&c, self_chain, N(self_chain), &r) == -EACCES &&
	      r.reason == VGT_AUDIT_DEPTH && r.depth == 2,
	      "self-chaining batch: %s at depth %u", vgt_audit_reason_name(r.reason), r.depth);
	c.max_depth = 1000;
	c.max_dwords = 64;
	CHECK(vgt_audit(&c, self_chain, N(self_chain), &r) == -EACCES &&
	      r.reason == VGT_AUDIT_BUDGET,
	      "dword budget: %s", vgt_audit_reason_name(r.reason));
	REPORT(before, "host:test_audit chained batches");
}

static int run_cli(const char *path, const char *extra, char *out, size_t len)
{
	char *argv[8] = { "audit", "--mappable", "0x8000000:0x4000000",
			  "--hidden", "671088640:402653184", NULL, NULL, NULL };
	int argc = 5, ret, fd, saved;
	FILE *f;

	if (extra)
		argv[argc++] = (char *)extra;
	argv[argc++] = (char *)path;
	fflush(stdout);
	saved = dup(1);
	f = tmpfile();
	fd = fileno(f);
	dup2(fd, 1);
	ret = vgt_audit_main(argc, argv);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	rewind(f);
	out[fread(out, 1, len - 1, f)] = '\0';
	fclose(f);
	return ret;
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	fwrite(data, 1, len, f);
	fclose(f);
}

static void test_cli(void)
{
	int before = failed;
	const uint32_t good[] = { MI(0x20, 2) | GGTT, LO(MAP_BASE), 0, 1, MI_BB_END };
	const uint32_t bad[] = { MI(0x05, 0), MI(0x20, 2) | GGTT, LO(200 * MIB), 0, 1 };
	char dir[] = "/tmp/vgt-audit-XXXXXX", path[64], out[256];

	if (!mkdtemp(dir)) {
		CHECK(0, "mkdtemp");
		return;
	}
	snprintf(path, sizeof(path), "%s/buf", dir);
	write_file(path, good, sizeof(good));
	CHECK(run_cli(path, NULL, out, sizeof(out)) == 0 && !strcmp(out, "ok\n"), "ok: %s", out);
	write_file(path, bad, sizeof(bad));
	CHECK(run_cli(path, NULL, out, sizeof(out)) == 2 &&
	      !strcmp(out, "rejected: outside-slice at dword 1: MI_STORE_DATA_IMM addr 0xc800000 size 4\n"),
	      "rejected line: %s", out);
	write_file(path, bad, 6);
	CHECK(run_cli(path, NULL, out, sizeof(out)) == 1, "partial dword");
	CHECK(run_cli("/nonexistent/buf", NULL, out, sizeof(out)) == 1, "missing file");
	CHECK(run_cli(path, "--max-surface=x", out, sizeof(out)) == 1, "bad option");
	unlink(path);
	rmdir(dir);
	REPORT(before, "host:test_audit vgt-host audit");
}

int main(void)
{
	test_valid_stream();
	test_operands();
	test_adversarial();
	test_chaining();
	test_cli();
	printf("test_audit: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}

// SPDX-License-Identifier: MIT
/*
 * vgt-host audit --mappable BASE:SIZE --hidden BASE:SIZE [--max-surface BYTES] FILE
 *
 * Audits a file of little-endian dwords as if a vGPU owning those slices
 * submitted it. Batch targets are checked against the slices but not
 * followed: the file is the only memory the command sees.
 * Exit: 0 "ok"; 2 one "rejected: ..." line; 1 unusable input.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vgt_audit.h"

static int parse_u64(const char *opt, const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 0);
	if (errno || end == s || *end || *s == '-') {
		fprintf(stderr, "vgt-host audit: %s: \"%s\" is not a number\n", opt, s);
		return -1;
	}
	return 0;
}

static int parse_range(const char *opt, const char *s, uint64_t *base,
		       uint64_t *size)
{
	const char *colon = strchr(s, ':');
	char buf[64];

	if (!colon || (size_t)(colon - s) >= sizeof(buf)) {
		fprintf(stderr, "vgt-host audit: %s: \"%s\" is not BASE:SIZE\n", opt, s);
		return -1;
	}
	memcpy(buf, s, colon - s);
	buf[colon - s] = '\0';
	return parse_u64(opt, buf, base) || parse_u64(opt, colon + 1, size) ? -1 : 0;
}

static uint32_t *read_dwords(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	uint32_t *dw = NULL;
	long bytes;

	if (!f) {
		fprintf(stderr, "vgt-host audit: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) || (bytes = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fprintf(stderr, "vgt-host audit: %s: cannot size the file\n", path);
	} else if (bytes == 0 || bytes % 4) {
		fprintf(stderr, "vgt-host audit: %s: %ld bytes is not a whole number of dwords\n",
			path, bytes);
	} else if ((dw = malloc(bytes))) {
		unsigned char *b = (unsigned char *)dw;
		long i;

		if (fread(dw, 1, bytes, f) != (size_t)bytes) {
			fprintf(stderr, "vgt-host audit: %s: short read\n", path);
			free(dw);
			dw = NULL;
		} else {
			for (i = 0; i < bytes / 4; i++)	/* little-endian on any host */
				dw[i] = b[4 * i] | b[4 * i + 1] << 8 |
					b[4 * i + 2] << 16 | (uint32_t)b[4 * i + 3] << 24;
			*n = bytes / 4;
		}
	}
	fclose(f);
	return dw;
}

int vgt_audit_main(int argc, char **argv)
{
	struct vgt_audit_ctx ctx = { 0 };
	struct vgt_audit_result r;
	const char *file = NULL;
	bool have_map = false, have_hid = false;
	uint32_t *dw;
	size_t n = 0;
	int i, ret;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--mappable") && i + 1 < argc) {
			if (parse_range("--mappable", argv[++i], &ctx.mappable_base,
					&ctx.mappable_size))
				return 1;
			have_map = true;
		} else if (!strcmp(argv[i], "--hidden") && i + 1 < argc) {
			if (parse_range("--hidden", argv[++i], &ctx.hidden_base,
					&ctx.hidden_size))
				return 1;
			have_hid = true;
		} else if (!strcmp(argv[i], "--max-surface") && i + 1 < argc) {
			if (parse_u64("--max-surface", argv[++i], &ctx.max_surface))
				return 1;
			if (!ctx.max_surface) {
				fprintf(stderr, "vgt-host audit: --max-surface: must be > 0\n");
				return 1;
			}
		} else if (argv[i][0] != '-' && !file) {
			file = argv[i];
		} else {
			fprintf(stderr, "vgt-host audit: unexpected argument \"%s\"\n", argv[i]);
			return 1;
		}
	}
	if (!have_map || !have_hid || !file) {
		fprintf(stderr, "usage: vgt-host audit --mappable BASE:SIZE --hidden BASE:SIZE "
			"[--max-surface BYTES] FILE\n");
		return 1;
	}
	dw = read_dwords(file, &n);
	if (!dw)
		return 1;
	ret = vgt_audit(&ctx, dw, n, &r);
	free(dw);
	if (!ret) {
		printf("ok\n");
		return 0;
	}
	printf("rejected: %s at dword %zu: %s addr 0x%llx size %llu\n",
	       vgt_audit_reason_name(r.reason), r.dword, r.command,
	       (unsigned long long)r.addr, (unsigned long long)r.size);
	return 2;
}

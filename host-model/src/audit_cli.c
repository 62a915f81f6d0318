// SPDX-License-Identifier: MIT
/*
 * vgt-host audit [--ring] [--follow] [--engine rcs|bcs|vcs|vecs]
 *                --mappable BASE:SIZE --hidden BASE:SIZE [--max-surface BYTES] FILE
 *
 * Audits a file of little-endian dwords as if a vGPU owning those slices
 * submitted it. Numbers are decimal or 0x hex; an option's value may follow
 * it or be joined with '='.
 *
 * The file is a first-level batch (it must end with MI_BATCH_BUFFER_END),
 * or with --ring the contents of a ring from head to tail (every dword
 * runs), for the render engine or the one --engine names (the command set
 * differs: blits are BCS's, MFX VCS's, VEBOX VECS's). GGTT batch starts are checked against the slices but not
 * followed, unless --follow: then the file is also the memory at the
 * mappable base, batch starts into it are followed (chains, nesting,
 * loops, budgets) and one elsewhere is refused as unreadable; dword
 * offsets in the output are then counted from the start of the file.
 *
 * Exit: 0 and "ok"; 2 and one line
 *   rejected: <reason> at dword <n>: <command> addr 0x<addr> size <bytes>
 * 1 and a message on stderr naming the option or file for unusable input
 * (bad or missing option, unreadable, a directory, empty, not a whole
 * number of dwords, or more than the 32 MiB the audit would decode: the
 * file is read as a stream and no further than that).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vgt_audit.h"

#define PROG "vgt-host audit"
#define USAGE "usage: " PROG " [--ring] [--follow] [--engine rcs|bcs|vcs|vecs] " \
	"--mappable BASE:SIZE --hidden BASE:SIZE [--max-surface BYTES] FILE\n"

/* Decimal, or hex after 0x; nothing else (no sign, no space, no octal). */
static int parse_u64(const char *opt, const char *s, uint64_t *v)
{
	bool hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	const char *digits = hex ? s + 2 : s;
	char *end;

	errno = 0;
	if (!(hex ? isxdigit((unsigned char)*digits) : isdigit((unsigned char)*digits)))
		goto bad;
	*v = strtoull(digits, &end, hex ? 16 : 10);
	if (errno || *end)
		goto bad;
	return 0;
bad:
	fprintf(stderr, PROG ": %s: \"%s\" is not a number\n", opt, s);
	return -1;
}

static int parse_engine(const char *s, enum vgt_engine_id *e)
{
	unsigned int i;

	for (i = 0; i < VGT_ENGINE_NR; i++)
		if (!strcmp(s, vgt_engine_name(i))) {
			*e = i;
			return 0;
		}
	fprintf(stderr, PROG ": --engine: \"%s\" is not rcs, bcs, vcs or vecs\n", s);
	return -1;
}

static int parse_range(const char *opt, const char *s, uint64_t *base,
		       uint64_t *size)
{
	const char *colon = strchr(s, ':');
	char buf[64];

	if (!colon || (size_t)(colon - s) >= sizeof(buf)) {
		fprintf(stderr, PROG ": %s: \"%s\" is not BASE:SIZE\n", opt, s);
		return -1;
	}
	memcpy(buf, s, colon - s);
	buf[colon - s] = '\0';
	if (parse_u64(opt, buf, base) || parse_u64(opt, colon + 1, size))
		return -1;
	if (*base >= 1ULL << 48 || *size > (1ULL << 48) - *base) {
		fprintf(stderr, PROG ": %s: \"%s\" runs past the 48-bit GGTT\n", opt, s);
		return -1;
	}
	return 0;
}

/*
 * The file's dwords, little-endian whatever the host. Read as a stream, so
 * /proc files, pipes and devices work, and never more than @max_bytes: a
 * longer input is refused before it costs more memory than the audit would
 * ever decode.
 */
static uint32_t *read_dwords(const char *path, size_t max_bytes, size_t *n)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	unsigned char *b = NULL, *nb;
	size_t len = 0, cap = 0, i;
	ssize_t r;

	if (fd < 0) {
		fprintf(stderr, PROG ": %s: %s\n", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		if (len == cap) {
			/* Room for one byte past the limit, to see it is passed. */
			cap = cap ? 2 * cap : 1 << 16;
			if (cap > max_bytes + 1)
				cap = max_bytes + 1;
			nb = realloc(b, cap);
			if (!nb) {
				fprintf(stderr, PROG ": %s: out of memory for %zu bytes\n",
					path, cap);
				goto fail;
			}
			b = nb;
		}
		r = read(fd, b + len, cap - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {	/* a directory: EISDIR */
			fprintf(stderr, PROG ": %s: %s\n", path, strerror(errno));
			goto fail;
		}
		if (r == 0)
			break;
		len += (size_t)r;
		if (len > max_bytes) {
			fprintf(stderr, PROG ": %s: more than %zu bytes, the audit's dword "
				"budget: not audited\n", path, max_bytes);
			goto fail;
		}
	}
	if (len == 0) {
		fprintf(stderr, PROG ": %s: empty, nothing to audit\n", path);
		goto fail;
	}
	if (len % 4) {
		fprintf(stderr, PROG ": %s: %zu bytes is not a whole number of dwords\n",
			path, len);
		goto fail;
	}
	close(fd);
	*n = len / 4;
	for (i = 0; i < *n; i++) {
		uint32_t v = b[4 * i] | b[4 * i + 1] << 8 | b[4 * i + 2] << 16 |
			     (uint32_t)b[4 * i + 3] << 24;

		memcpy(b + 4 * i, &v, 4);
	}
	return (uint32_t *)(void *)b;
fail:
	free(b);
	close(fd);
	return NULL;
}

/* --follow: the file is the memory at the mappable base. */
struct flat_mem {
	const uint32_t *dw;
	size_t n;
	uint64_t base;
};

static const uint32_t *flat_fetch(void *priv, uint64_t addr, size_t *n_dw)
{
	const struct flat_mem *m = priv;
	uint64_t off;

	if (addr < m->base || (addr - m->base) % 4 || (addr - m->base) / 4 >= m->n)
		return NULL;
	off = (addr - m->base) / 4;
	*n_dw = m->n - off;
	return m->dw + off;
}

/* "--opt VALUE" or "--opt=VALUE": the value, or NULL when @arg is not @opt. */
static const char *opt_value(const char *opt, int argc, char **argv, int *i,
			     bool *missing)
{
	size_t len = strlen(opt);

	if (strncmp(argv[*i], opt, len))
		return NULL;
	if (argv[*i][len] == '=')
		return argv[*i] + len + 1;
	if (argv[*i][len])
		return NULL;
	if (*i + 1 >= argc) {
		*missing = true;
		return NULL;
	}
	return argv[++*i];
}

int vgt_audit_main(int argc, char **argv)
{
	struct vgt_audit_ctx ctx = { .buffer = VGT_AUDIT_BATCH };
	struct vgt_audit_result r;
	struct flat_mem mem = { 0 };
	const char *file = NULL, *v;
	bool have_map = false, have_hid = false, follow = false, missing = false;
	uint32_t *dw;
	size_t n = 0, at;
	int i, ret;

	for (i = 1; i < argc; i++) {
		if ((v = opt_value("--mappable", argc, argv, &i, &missing))) {
			if (parse_range("--mappable", v, &ctx.mappable_base, &ctx.mappable_size))
				return 1;
			have_map = true;
		} else if ((v = opt_value("--hidden", argc, argv, &i, &missing))) {
			if (parse_range("--hidden", v, &ctx.hidden_base, &ctx.hidden_size))
				return 1;
			have_hid = true;
		} else if ((v = opt_value("--engine", argc, argv, &i, &missing))) {
			if (parse_engine(v, &ctx.engine))
				return 1;
		} else if ((v = opt_value("--max-surface", argc, argv, &i, &missing))) {
			if (parse_u64("--max-surface", v, &ctx.max_surface))
				return 1;
			if (!ctx.max_surface) {
				fprintf(stderr, PROG ": --max-surface: must be above 0\n");
				return 1;
			}
		} else if (missing) {
			fprintf(stderr, PROG ": %s: needs a value\n", argv[i]);
			return 1;
		} else if (!strcmp(argv[i], "--ring")) {
			ctx.buffer = VGT_AUDIT_RING;
		} else if (!strcmp(argv[i], "--follow")) {
			follow = true;
		} else if (argv[i][0] != '-' && !file) {
			file = argv[i];
		} else {
			fprintf(stderr, PROG ": unexpected argument \"%s\"\n", argv[i]);
			return 1;
		}
	}
	if (!have_map || !have_hid || !file) {
		fprintf(stderr, PROG ": %s is required\n" USAGE,
			!have_map ? "--mappable" : !have_hid ? "--hidden" : "FILE");
		return 1;
	}
	dw = read_dwords(file, (size_t)VGT_AUDIT_DEF_DWORDS * 4, &n);
	if (!dw)
		return 1;
	if (follow) {
		mem = (struct flat_mem){ dw, n, ctx.mappable_base };
		ctx.fetch = flat_fetch;
		ctx.priv = &mem;
	}
	ret = vgt_audit(&ctx, dw, n, &r);
	free(dw);
	if (ret == -EINVAL) {
		fprintf(stderr, PROG ": the slices are not usable\n");
		return 1;
	}
	if (!ret) {
		printf("ok\n");
		return 0;
	}
	at = r.dword;
	if (follow && r.depth)	/* a followed batch lies in the file itself */
		at += (r.batch - ctx.mappable_base) / 4;
	printf("rejected: %s at dword %zu: %s addr 0x%llx size %llu\n",
	       vgt_audit_reason_name(r.reason), at, r.command,
	       (unsigned long long)r.addr, (unsigned long long)r.size);
	return 2;
}

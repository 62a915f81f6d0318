// SPDX-License-Identifier: MIT
/*
 * vgt-host: look at how libvgt carves up a GPU.
 *
 *   vgt-host map [--aperture MIB] [--vgpu TYPE]... [--json] [--svg FILE]
 *
 * TYPE is one of GVT-g's "8", "4", "2", "1" or APERTURE_MIB/HIDDEN_MIB/FENCES.
 * Without --vgpu, as many type "8" as fit are created.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libvgt.h"
#include "vgt_audit.h"

#define MIB VGT_MIB
#define MAX_VGPUS 256

static int usage(void)
{
	fprintf(stderr,
		"usage: vgt-host map [--aperture MIB] [--vgpu TYPE]... [--json] [--svg FILE]\n"
		"       vgt-host audit --mappable BASE:SIZE --hidden BASE:SIZE [--max-surface BYTES] FILE\n"
		"  TYPE: 8, 4, 2, 1 (GVT-g) or APERTURE_MIB/HIDDEN_MIB/FENCES\n");
	return 1;
}

struct map {
	struct vgt_gpu_desc desc;
	struct vgt_host *host;
	struct vgt_slices s[MAX_VGPUS];
	unsigned int n;
	struct vgt_free ap_free, hid_free;
	unsigned int fences_free;
};

static void print_table(const struct map *m)
{
	const struct vgt_gpu_desc *d = &m->desc;
	unsigned int i, f;

	printf("GGTT %llu MiB: aperture [0, %#llx) %llu MiB, hidden [%#llx, %#llx); %u fences\n",
		(unsigned long long)(d->ggtt_size / MIB), (unsigned long long)d->aperture_size,
		(unsigned long long)(d->aperture_size / MIB), (unsigned long long)d->aperture_size,
		(unsigned long long)d->ggtt_size, d->fences);
	printf("%-6s %-24s %9s %-24s %9s %s\n", "owner", "aperture", "MiB", "hidden",
	       "MiB", "fences");
	printf("%-6s [%#-10llx, %#10llx) %9llu [%#-10llx, %#10llx) %9llu 0-%u\n", "host",
	       0ULL, (unsigned long long)d->host_aperture,
	       (unsigned long long)(d->host_aperture / MIB),
	       (unsigned long long)d->aperture_size,
	       (unsigned long long)(d->aperture_size + d->host_hidden),
	       (unsigned long long)(d->host_hidden / MIB), d->host_fences - 1);
	for (i = 0; i < m->n; i++) {
		const struct vgt_slices *s = &m->s[i];
		char fences[128] = "";
		size_t len = 0;

		for (f = 0; f < s->fence_num && len < sizeof(fences) - 8; f++)
			len += snprintf(fences + len, sizeof(fences) - len, "%s%u",
					f ? "," : "", s->fence_phys[f]);
		printf("vgpu%-2u [%#-10llx, %#10llx) %9llu [%#-10llx, %#10llx) %9llu %s\n",
		       s->id, (unsigned long long)s->aperture_base,
		       (unsigned long long)(s->aperture_base + s->aperture_size),
		       (unsigned long long)(s->aperture_size / MIB),
		       (unsigned long long)s->hidden_base,
		       (unsigned long long)(s->hidden_base + s->hidden_size),
		       (unsigned long long)(s->hidden_size / MIB), fences);
	}
	printf("free: aperture %llu MiB in %u holes (largest %llu), hidden %llu MiB in %u "
	       "holes (largest %llu), %u fences\n",
	       (unsigned long long)(m->ap_free.total / MIB), m->ap_free.holes,
	       (unsigned long long)(m->ap_free.largest / MIB),
	       (unsigned long long)(m->hid_free.total / MIB), m->hid_free.holes,
	       (unsigned long long)(m->hid_free.largest / MIB), m->fences_free);
}

static void print_json(const struct map *m)
{
	const struct vgt_gpu_desc *d = &m->desc;
	unsigned int i, f;

	printf("{\"ggtt_size\": %llu, \"aperture_size\": %llu, \"fences\": %u,\n",
	       (unsigned long long)d->ggtt_size, (unsigned long long)d->aperture_size,
	       d->fences);
	printf(" \"host\": {\"aperture\": [0, %llu], \"hidden\": [%llu, %llu], \"fences\": %u},\n",
	       (unsigned long long)d->host_aperture, (unsigned long long)d->aperture_size,
	       (unsigned long long)d->host_hidden, d->host_fences);
	printf(" \"vgpus\": [");
	for (i = 0; i < m->n; i++) {
		const struct vgt_slices *s = &m->s[i];

		printf("%s\n  {\"id\": %u, \"aperture\": [%llu, %llu], \"hidden\": [%llu, %llu], "
		       "\"fences\": [", i ? "," : "", s->id,
		       (unsigned long long)s->aperture_base, (unsigned long long)s->aperture_size,
		       (unsigned long long)s->hidden_base, (unsigned long long)s->hidden_size);
		for (f = 0; f < s->fence_num; f++)
			printf("%s%u", f ? ", " : "", s->fence_phys[f]);
		printf("]}");
	}
	printf("],\n \"free\": {\"aperture\": {\"total\": %llu, \"largest\": %llu, \"holes\": %u}, "
	       "\"hidden\": {\"total\": %llu, \"largest\": %llu, \"holes\": %u}, \"fences\": %u}}\n",
	       (unsigned long long)m->ap_free.total, (unsigned long long)m->ap_free.largest,
	       m->ap_free.holes, (unsigned long long)m->hid_free.total,
	       (unsigned long long)m->hid_free.largest, m->hid_free.holes, m->fences_free);
}

/*
 * The SVG draws the aperture and the hidden range as two bars of equal
 * width, each to its own linear scale, so a 64 MiB slice of a 256 MiB
 * aperture is as visible as it is important; the scale is written on each.
 */
static const char *const palette[] = {
	"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948",
	"#b07aa1", "#ff9da7", "#9c755f", "#86bcb6",
};

static void svg_block(FILE *f, double x0, double width, uint64_t start, uint64_t size,
		      uint64_t range_start, uint64_t range_size, double y,
		      const char *fill, const char *label)
{
	double x = x0 + width * (double)(start - range_start) / (double)range_size;
	double w = width * (double)size / (double)range_size;

	if (w < 2)
		w = 2;	/* a slice is never invisible, however small */

	fprintf(f, "<rect x='%.1f' y='%.1f' width='%.1f' height='60' fill='%s' "
		"stroke='#222' stroke-width='0.5'><title>%s [%#llx, %#llx) %llu MiB</title></rect>\n",
		x, y, w, fill, label, (unsigned long long)start,
		(unsigned long long)(start + size), (unsigned long long)(size / MIB));
	if (w > 34)
		fprintf(f, "<text x='%.1f' y='%.1f' font-size='12' text-anchor='middle' "
			"fill='white'>%s</text>\n", x + w / 2, y + 35, label);
}

/* f is open for path already, so a bad path fails before any output. */
static int write_svg(const struct map *m, FILE *f, const char *path)
{
	const struct vgt_gpu_desc *d = &m->desc;
	const double x0 = 20, width = 960;
	uint64_t hid_size = d->ggtt_size - d->aperture_size;
	unsigned int i;

	fprintf(f, "<svg xmlns='http://www.w3.org/2000/svg' width='1000' height='%u' "
		"font-family='sans-serif'>\n<rect width='100%%' height='100%%' fill='white'/>\n",
		270 + 20 * m->n);
	fprintf(f, "<text x='20' y='24' font-size='16'>GGTT partition: %llu MiB, aperture "
		"%llu MiB, %u vGPUs</text>\n", (unsigned long long)(d->ggtt_size / MIB),
		(unsigned long long)(d->aperture_size / MIB), m->n);
	fprintf(f, "<text x='20' y='52' font-size='13'>aperture (CPU-visible, low GM) "
		"[0, %#llx) — scale: bar = %llu MiB</text>\n",
		(unsigned long long)d->aperture_size, (unsigned long long)(d->aperture_size / MIB));
	fprintf(f, "<rect x='20' y='60' width='960' height='60' fill='#eee' stroke='#222'/>\n");
	fprintf(f, "<text x='20' y='152' font-size='13'>hidden (high GM) [%#llx, %#llx) — "
		"scale: bar = %llu MiB</text>\n", (unsigned long long)d->aperture_size,
		(unsigned long long)d->ggtt_size, (unsigned long long)(hid_size / MIB));
	fprintf(f, "<rect x='20' y='160' width='960' height='60' fill='#eee' stroke='#222'/>\n");
	svg_block(f, x0, width, 0, d->host_aperture, 0, d->aperture_size, 60, "#555", "host");
	svg_block(f, x0, width, d->aperture_size, d->host_hidden, d->aperture_size, hid_size,
		  160, "#555", "host");
	for (i = 0; i < m->n; i++) {
		const struct vgt_slices *s = &m->s[i];
		const char *fill = palette[i % (sizeof(palette) / sizeof(palette[0]))];
		char label[32];

		snprintf(label, sizeof(label), "vGPU %u", s->id);
		svg_block(f, x0, width, s->aperture_base, s->aperture_size, 0,
			  d->aperture_size, 60, fill, label);
		svg_block(f, x0, width, s->hidden_base, s->hidden_size, d->aperture_size,
			  hid_size, 160, fill, label);
		fprintf(f, "<rect x='%u' y='%u' width='14' height='14' fill='%s'/>"
			"<text x='%u' y='%u' font-size='12'>vGPU %u: %llu + %llu MiB, %u fences</text>\n",
			20, 240 + 20 * i, fill, 40, 252 + 20 * i, s->id, (unsigned long long)(s->aperture_size / MIB),
			(unsigned long long)(s->hidden_size / MIB), s->fence_num);
	}
	fprintf(f, "<text x='20' y='%u' font-size='12' fill='#555'>grey: host reserve; light: "
		"free (%llu + %llu MiB)</text>\n</svg>\n", 258 + 20 * m->n,
		(unsigned long long)(m->ap_free.total / MIB),
		(unsigned long long)(m->hid_free.total / MIB));
	if (fclose(f)) {
		fprintf(stderr, "vgt-host: --svg %s: %s\n", path, strerror(errno));
		return 1;
	}
	return 0;
}

static int cmd_map(int argc, char **argv)
{
	const char *types[MAX_VGPUS], *svg = NULL;
	FILE *svg_file = NULL;
	unsigned int ntypes = 0, i;
	bool json = false;
	struct map *m;
	int err, ret = 0;

	m = calloc(1, sizeof(*m));
	if (!m)
		return 1;
	vgt_gpu_desc_default(&m->desc);
	for (i = 1; i < (unsigned int)argc; i++) {
		uint64_t mib;

		if (!strcmp(argv[i], "--aperture") && i + 1 < (unsigned int)argc) {
			const struct vgt_gpu_desc *d = &m->desc;
			const char *end = vgt_parse_decimal(argv[++i], UINT64_MAX, &mib);
			/* The host's reserves must fit: vgt_host_create's rules. */
			uint64_t min = d->host_aperture / MIB;
			uint64_t max = (d->ggtt_size - d->host_hidden) / MIB;

			if (max * MIB == d->ggtt_size)
				max--;
			if (!end || *end || mib < min || mib > max) {
				fprintf(stderr, "vgt-host: --aperture '%s': want a decimal number of MiB "
					"in %llu..%llu (the host keeps %llu MiB of the aperture and %llu "
					"MiB above it, of a %llu MiB GGTT)\n", argv[i],
					(unsigned long long)min, (unsigned long long)max,
					(unsigned long long)min,
					(unsigned long long)(d->host_hidden / MIB),
					(unsigned long long)(d->ggtt_size / MIB));
				free(m);
				return 1;
			}
			m->desc.aperture_size = mib * MIB;
		} else if (!strcmp(argv[i], "--vgpu") && i + 1 < (unsigned int)argc &&
			   ntypes < MAX_VGPUS) {
			types[ntypes++] = argv[++i];
		} else if (!strcmp(argv[i], "--json")) {
			json = true;
		} else if (!strcmp(argv[i], "--svg") && i + 1 < (unsigned int)argc) {
			svg = argv[++i];
		} else {
			free(m);
			return usage();
		}
	}
	m->host = vgt_host_create(&m->desc, &err);
	if (!m->host) {
		fprintf(stderr, "vgt-host: --aperture %llu MiB: %s\n",
			(unsigned long long)(m->desc.aperture_size / MIB), vgt_strerror(err));
		free(m);
		return 1;
	}
	for (i = 0; ntypes ? i < ntypes : i < MAX_VGPUS; i++) {
		struct vgt_vgpu_request req;
		struct vgt_vgpu *v;
		char msg[128];

		if (vgt_type_parse(ntypes ? types[i] : "8", &req)) {
			fprintf(stderr, "vgt-host: --vgpu %s: unknown type\n", types[i]);
			ret = 1;
			break;
		}
		v = vgt_vgpu_create(m->host, &req, &err, msg, sizeof(msg));
		if (!v) {
			if (!ntypes && err == -ENOSPC)
				break;	/* default: as many as fit */
			fprintf(stderr, "vgt-host: --vgpu %s: %s\n", types[i], msg);
			ret = 1;
			break;
		}
		vgt_vgpu_slices(v, &m->s[m->n++]);
	}
	if (!ret && svg && !(svg_file = fopen(svg, "w"))) {
		fprintf(stderr, "vgt-host: --svg %s: %s\n", svg, strerror(errno));
		ret = 1;
	}
	if (!ret) {
		vgt_host_free_space(m->host, &m->ap_free, &m->hid_free, &m->fences_free);
		if (json)
			print_json(m);
		else
			print_table(m);
		if (svg)
			ret = write_svg(m, svg_file, svg);
	}
	vgt_host_destroy(m->host);
	free(m);
	return ret;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "map"))
		return cmd_map(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "audit"))
		return vgt_audit_main(argc - 1, argv + 1);
	return usage();
}

// SPDX-License-Identifier: MIT
/*
 * Sets of GGTT ranges (struct vgt_slice_ranges): a vGPU's assignment, the
 * ranges a re-balloon asks for, and what the vGPU's checks accept.
 *
 * A set holds per class (aperture, hidden) ranges sorted by base. The
 * published ones (assignments, re-balloon targets) are disjoint and obey
 * S1-S5 of spec/pvinfo.md for their class (vgt_ranges_check). The
 * accepting set is normalised: overlapping or adjacent ranges of a class
 * are merged, so "wholly inside one range" means "wholly inside what the
 * vGPU owns in that class", during a re-balloon too (a surface may span
 * the boundary between an old range and the part a grow adds). Classes
 * are never merged with each other: an operand crossing the aperture end
 * is outside, as in 1.0.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vgt_internal.h"

static const char *const class_name[VGT_GM_NR] = { "aperture", "hidden" };

/* The class's part of the GGTT: [0, A) and [A, T). */
static void class_bounds(const struct vgt_host *h, enum vgt_gm_class c, u64 *lo, u64 *hi)
{
	*lo = c == VGT_GM_APERTURE ? 0 : h->desc.aperture_size;
	*hi = c == VGT_GM_APERTURE ? h->desc.aperture_size : h->desc.ggtt_size;
}

int vgt_ranges_check(const struct vgt_host *host, const struct vgt_slice_ranges *s,
		     bool scatter, char *msg, size_t len)
{
	unsigned int c, i;

	if (s->nr[VGT_GM_APERTURE] > VGT_MAX_SLICE_RANGES ||
	    s->nr[VGT_GM_HIDDEN] > VGT_MAX_SLICE_RANGES ||
	    s->nr[VGT_GM_APERTURE] + s->nr[VGT_GM_HIDDEN] > VGT_MAX_SLICE_RANGES) {
		snprintf(msg, len, "%u aperture + %u hidden ranges: at most %u in all",
			 s->nr[VGT_GM_APERTURE], s->nr[VGT_GM_HIDDEN], VGT_MAX_SLICE_RANGES);
		return -EINVAL;
	}
	for (c = 0; c < VGT_GM_NR; c++) {
		u64 lo, hi;

		class_bounds(host, c, &lo, &hi);
		if (!s->nr[c]) {
			snprintf(msg, len, "%s: no range (S1: empty slice)", class_name[c]);
			return -EINVAL;
		}
		if (s->nr[c] > 1 && !scatter) {
			snprintf(msg, len, "%s: %u ranges, but the vGPU is not scatter-capable "
				 "(or its guest did not accept VGT_PV11_F_SCATTER)",
				 class_name[c], s->nr[c]);
			return -EINVAL;
		}
		for (i = 0; i < s->nr[c]; i++) {
			const struct vgt_gm_range *r = &s->r[c][i];
			const char *bad = NULL;

			if (!r->size)
				bad = "S1: empty";
			else if (r->base % VGT_GM_ALIGN)
				bad = "S2: base not page aligned";
			else if (r->size % VGT_GM_ALIGN)
				bad = "S3: size not page aligned";
			else if (r->base > (1ULL << 32) || r->size > (1ULL << 32) - r->base)
				bad = "S4: wraps the 32-bit field";
			else if (r->base < lo || r->base + r->size > hi)
				bad = "S5: outside its class";
			else if (i && s->r[c][i - 1].base + s->r[c][i - 1].size > r->base)
				bad = "not sorted or overlapping the previous range";
			if (bad) {
				snprintf(msg, len, "%s range %u [%#llx, +%#llx): %s", class_name[c], i,
					 (unsigned long long)r->base, (unsigned long long)r->size, bad);
				return -EINVAL;
			}
		}
	}
	return 0;
}

/* Append [base, base + size) to a sorted class, merging with the last range. */
static void push(struct vgt_slice_ranges *out, unsigned int c, u64 base, u64 size)
{
	struct vgt_gm_range *last = out->nr[c] ? &out->r[c][out->nr[c] - 1] : NULL;

	if (!size)
		return;
	if (last && base <= last->base + last->size) {
		if (base + size > last->base + last->size)
			last->size = base + size - last->base;
		return;
	}
	/*
	 * Inputs are assignments (at most 32 ranges) and their unions: a
	 * union, or a difference of two, has at most 64 maximal ranges (each
	 * starts where a range of one of them starts or ends).
	 */
	if (out->nr[c] < VGT_SLICE_SET_RANGES)
		out->r[c][out->nr[c]++] = (struct vgt_gm_range){ base, size };
}

void vgt_ranges_union(const struct vgt_slice_ranges *a, const struct vgt_slice_ranges *b,
		      struct vgt_slice_ranges *out)
{
	struct vgt_slice_ranges u = { 0 };
	unsigned int c, i, j;

	for (c = 0; c < VGT_GM_NR; c++) {
		for (i = 0, j = 0; i < a->nr[c] || j < b->nr[c];) {
			const struct vgt_gm_range *r;

			if (j == b->nr[c] || (i < a->nr[c] && a->r[c][i].base <= b->r[c][j].base))
				r = &a->r[c][i++];
			else
				r = &b->r[c][j++];
			push(&u, c, r->base, r->size);
		}
	}
	*out = u;
}

void vgt_ranges_minus(const struct vgt_slice_ranges *a, const struct vgt_slice_ranges *b,
		      struct vgt_slice_ranges *out)
{
	struct vgt_slice_ranges d = { 0 };
	unsigned int c, i, j;

	for (c = 0; c < VGT_GM_NR; c++) {
		for (i = 0; i < a->nr[c]; i++) {
			u64 at = a->r[c][i].base, end = at + a->r[c][i].size;

			for (j = 0; j < b->nr[c] && at < end; j++) {
				u64 bs = b->r[c][j].base, be = bs + b->r[c][j].size;

				if (be <= at || bs >= end)
					continue;
				if (bs > at)
					push(&d, c, at, bs - at);
				at = be;
			}
			if (at < end)
				push(&d, c, at, end - at);
		}
	}
	*out = d;
}

/* The range of class c holding addr (binary search), or NULL. */
static const struct vgt_gm_range *holder(const struct vgt_slice_ranges *s, unsigned int c,
					 u64 addr)
{
	unsigned int lo = 0, hi = s->nr[c];

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;
		const struct vgt_gm_range *r = &s->r[c][mid];

		if (addr < r->base)
			hi = mid;
		else if (addr - r->base >= r->size)
			lo = mid + 1;
		else
			return r;
	}
	return NULL;
}

bool vgt_ranges_find(const struct vgt_slice_ranges *s, u64 addr, u64 size,
		     enum vgt_gm_class *c, struct vgt_gm_range *in)
{
	unsigned int k;

	for (k = 0; k < VGT_GM_NR; k++) {
		const struct vgt_gm_range *r = holder(s, k, addr);

		if (!r)
			continue;
		if (size > r->size - (addr - r->base))
			return false;
		if (c)
			*c = k;
		if (in)
			*in = *r;
		return true;
	}
	return false;
}

/* Does any range of s overlap [start, end)? */
bool vgt_ranges_touch(const struct vgt_slice_ranges *s, u64 start, u64 end)
{
	unsigned int c, i;

	for (c = 0; c < VGT_GM_NR; c++)
		for (i = 0; i < s->nr[c]; i++)
			if (s->r[c][i].base < end && start < s->r[c][i].base + s->r[c][i].size)
				return true;
	return false;
}

bool vgt_ranges_empty(const struct vgt_slice_ranges *s)
{
	return !s->nr[VGT_GM_APERTURE] && !s->nr[VGT_GM_HIDDEN];
}

void vgt_slices_assign(struct vgt_vgpu *v, const struct vgt_slice_ranges *r, u32 gen)
{
	struct vgt_slices *s = &v->slices;

	s->ranges = *r;
	s->gen = gen;
	s->aperture_base = r->nr[VGT_GM_APERTURE] ? r->r[VGT_GM_APERTURE][0].base : 0;
	s->aperture_size = r->nr[VGT_GM_APERTURE] ? r->r[VGT_GM_APERTURE][0].size : 0;
	s->hidden_base = r->nr[VGT_GM_HIDDEN] ? r->r[VGT_GM_HIDDEN][0].base : 0;
	s->hidden_size = r->nr[VGT_GM_HIDDEN] ? r->r[VGT_GM_HIDDEN][0].size : 0;
	vgt_ranges_union(r, r, &v->accept);
}

bool vgt_gm_owned(const struct vgt_vgpu *v, u64 addr, u64 size)
{
	return vgt_ranges_find(&v->accept, addr, size, NULL, NULL);
}

bool vgt_gm_owned_in(const struct vgt_vgpu *v, enum vgt_gm_class c, u64 addr, u64 size)
{
	enum vgt_gm_class in;

	return vgt_ranges_find(&v->accept, addr, size, &in, NULL) && in == c;
}

int vgt_slice_ranges_parse(const char *text, enum vgt_gm_class c,
			   struct vgt_slice_ranges *out, char *msg, size_t msg_len)
{
	const char *p = text;
	unsigned int n = 0;
	char dummy[1];

	if (!msg || !msg_len) {
		msg = dummy;
		msg_len = sizeof(dummy);
	}
	if (!text || !out || (unsigned int)c >= VGT_GM_NR) {
		snprintf(msg, msg_len, "no ranges given");
		return -EINVAL;
	}
	while (*p) {
		unsigned long long base, size;
		char *end;

		if (n == VGT_MAX_SLICE_RANGES) {
			snprintf(msg, msg_len, "%s: more than %u ranges", class_name[c],
				 VGT_MAX_SLICE_RANGES);
			return -EINVAL;
		}
		errno = 0;
		base = strtoull(p, &end, 0);
		if (errno || end == p || *end != ':' || *p == '-') {
			snprintf(msg, msg_len, "%s: '%s' is not BASE:SIZE", class_name[c], p);
			return -EINVAL;
		}
		p = end + 1;
		size = strtoull(p, &end, 0);
		if (errno || end == p || (*end && *end != ',') || *p == '-') {
			snprintf(msg, msg_len, "%s: size '%s' is not a number", class_name[c], p);
			return -EINVAL;
		}
		out->r[c][n++] = (struct vgt_gm_range){ base, size };
		p = *end ? end + 1 : end;
		if (*end && !*p) {
			snprintf(msg, msg_len, "%s: trailing ','", class_name[c]);
			return -EINVAL;
		}
	}
	if (!n) {
		snprintf(msg, msg_len, "%s: no range", class_name[c]);
		return -EINVAL;
	}
	out->nr[c] = n;
	return 0;
}

// SPDX-License-Identifier: MIT
/*
 * The status records of hostd_status.h, built with json-c so that every
 * line is valid JSON whatever a name holds. One lock keeps lines whole
 * when several vGPU threads end sessions at once.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>

#include <json-c/json.h>

#include "hostd_status.h"
#include "vgt_audit.h"

static pthread_mutex_t status_lock = PTHREAD_MUTEX_INITIALIZER;
static FILE *status_file;

int hostd_status_open(const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -errno;
	pthread_mutex_lock(&status_lock);
	status_file = f;
	pthread_mutex_unlock(&status_lock);
	return 0;
}

void hostd_status_close(void)
{
	pthread_mutex_lock(&status_lock);
	if (status_file)
		fclose(status_file);
	status_file = NULL;
	pthread_mutex_unlock(&status_lock);
}

static bool enabled(void)
{
	bool on;

	pthread_mutex_lock(&status_lock);
	on = status_file != NULL;
	pthread_mutex_unlock(&status_lock);
	return on;
}

/* Write one record and free it. */
static void emit(json_object *rec)
{
	pthread_mutex_lock(&status_lock);
	if (status_file) {
		fprintf(status_file, "%s\n",
			json_object_to_json_string_ext(rec, JSON_C_TO_STRING_PLAIN |
						       JSON_C_TO_STRING_NOSLASHESCAPE));
		fflush(status_file);
	}
	pthread_mutex_unlock(&status_lock);
	json_object_put(rec);
}

static json_object *record(const char *kind)
{
	json_object *rec = json_object_new_object();

	json_object_object_add(rec, "record", json_object_new_string(kind));
	return rec;
}

static void add_u64(json_object *o, const char *key, uint64_t v)
{
	/* json-c has no unsigned type; GGTT addresses stay far below 2^63. */
	json_object_object_add(o, key, json_object_new_int64((int64_t)v));
}

static json_object *pair(uint64_t a, uint64_t b)
{
	json_object *arr = json_object_new_array();

	json_object_array_add(arr, json_object_new_int64((int64_t)a));
	json_object_array_add(arr, json_object_new_int64((int64_t)b));
	return arr;
}

void hostd_status_vgpu(const struct vgt_slices *s, const char *type,
		       const char *socket)
{
	json_object *rec;

	if (!enabled())
		return;
	rec = record("vgpu");
	add_u64(rec, "id", s->id);
	json_object_object_add(rec, "type", json_object_new_string(type));
	json_object_object_add(rec, "aperture", pair(s->aperture_base, s->aperture_size));
	json_object_object_add(rec, "hidden", pair(s->hidden_base, s->hidden_size));
	add_u64(rec, "fences", s->fence_num);
	json_object_object_add(rec, "socket", json_object_new_string(socket));
	emit(rec);
}

void hostd_status_ready(int vgpus)
{
	json_object *rec;

	if (!enabled())
		return;
	rec = record("ready");
	json_object_object_add(rec, "vgpus", json_object_new_int(vgpus));
	emit(rec);
}

void hostd_status_reset(unsigned int id, const char *cause,
			uint32_t display_ready, unsigned int ppgtt_roots)
{
	json_object *rec;

	if (!enabled())
		return;
	rec = record("reset");
	add_u64(rec, "id", id);
	json_object_object_add(rec, "cause", json_object_new_string(cause));
	add_u64(rec, "display_ready", display_ready);
	add_u64(rec, "ppgtt_roots", ppgtt_roots);
	emit(rec);
}

/* Counters by trap class (or reason, names from names()), zeros kept. */
static json_object *by_name(const uint64_t *v, int first, int n,
			    const char *(*names)(int))
{
	json_object *o = json_object_new_object();

	for (int i = first; i < n; i++)
		add_u64(o, names(i), v[i]);
	return o;
}

static const char *class_name(int c)
{
	return vgt_trap_class_name((enum vgt_trap_class)c);
}

static const char *reason_name(int r)
{
	return vgt_reason_name((enum vgt_reason)r);
}

static json_object *span(uint64_t lo, uint64_t hi)
{
	return lo > hi ? NULL : pair(lo, hi);
}

static const char *hang_name(int r)
{
	return vgt_hang_reason_name(r);
}

static const char *audit_name(int r)
{
	return vgt_audit_reason_name(r);
}

/* The session's execution: counters, hangs by reason, audit refusals. */
static json_object *exec_record(const struct vgt_exec_stats *x)
{
	json_object *o = json_object_new_object();

	add_u64(o, "submissions", x->submissions);
	add_u64(o, "contexts", x->contexts);
	add_u64(o, "batches", x->batches);
	add_u64(o, "commands", x->commands);
	add_u64(o, "state_noops", x->state_noops);
	add_u64(o, "privilege_noops", x->privilege_noops);
	add_u64(o, "blits", x->blits);
	add_u64(o, "blit_bytes", x->blit_bytes);
	add_u64(o, "user_irqs", x->user_irqs);
	add_u64(o, "ctx_switch_irqs", x->ctx_switch_irqs);
	add_u64(o, "engine_resets", x->engine_resets);
	add_u64(o, "full_resets", x->full_resets);
	json_object_object_add(o, "hangs", by_name(x->hangs, 0, VGT_HANG_NR, hang_name));
	/* Reason 0 is "ok": only the refusals. */
	json_object_object_add(o, "audit", by_name(x->audit, 1, VGT_AUDIT_NR, audit_name));
	return o;
}

void hostd_status_session(const struct hostd_session *s,
			  const struct vgt_traps *t, const struct vgt_exec_stats *x)
{
	uint64_t total = 0, refused = 0;
	json_object *rec;

	if (!enabled())
		return;
	for (int c = 0; c < VGT_TRAP_NR; c++) {
		total += t->count[c];
		refused += t->rejected[c];
	}
	rec = record("session");
	add_u64(rec, "id", s->id);
	add_u64(rec, "n", s->n);
	json_object_object_add(rec, "traps", by_name(t->count, 0, VGT_TRAP_NR, class_name));
	json_object_object_add(rec, "rejected", by_name(t->rejected, 0, VGT_TRAP_NR, class_name));
	/* Reason 0 is "none": only the real ones. */
	json_object_object_add(rec, "reasons", by_name(t->reason, 1, VGT_REASON_NR, reason_name));
	add_u64(rec, "total", total);
	add_u64(rec, "refused", refused);
	add_u64(rec, "msi", s->msi);
	add_u64(rec, "unmodelled", s->unmodelled);
	json_object_object_add(rec, "pte_span", span(s->pte_lo, s->pte_hi));
	json_object_object_add(rec, "aperture_span", span(s->ap_lo, s->ap_hi));
	add_u64(rec, "display_ready", s->display_ready);
	add_u64(rec, "ppgtt_roots", s->ppgtt_roots);
	json_object_object_add(rec, "exec", exec_record(x));
	emit(rec);
}

void hostd_status_exit(int status)
{
	json_object *rec;

	if (!enabled())
		return;
	rec = record("exit");
	json_object_object_add(rec, "status", json_object_new_int(status));
	emit(rec);
}

// SPDX-License-Identifier: MIT
/*
 * vm-report (see vm_report.h): the host and guest verdicts of a vm/ run,
 * from vgt-hostd's status records and vgpu_init's serial output. The IGT
 * table is vm_report_igt.c.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "vm_report.h"

int report_bad(const char *fmt, ...)
{
	va_list ap;

	fputs("vm-report: error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return REPORT_BAD;
}

/* ---- status records ------------------------------------------------------ */

struct records {
	json_object **rec;
	size_t n;
};

static void records_free(struct records *r)
{
	for (size_t i = 0; i < r->n; i++)
		json_object_put(r->rec[i]);
	free(r->rec);
}

/* Every line of a JSON Lines file, each an object with a "record" string. */
static int records_load(const char *path, struct records *r)
{
	char *line = NULL;
	size_t cap = 0;
	unsigned int lineno = 0;
	FILE *f = fopen(path, "r");
	int ret = REPORT_OK;

	memset(r, 0, sizeof(*r));
	if (!f)
		return report_bad("%s: %s", path, strerror(errno));
	while (getline(&line, &cap, f) > 0) {
		json_object *o, **grown, *kind;

		lineno++;
		o = json_tokener_parse(line);
		if (!o || !json_object_object_get_ex(o, "record", &kind) ||
		    !json_object_is_type(kind, json_type_string)) {
			json_object_put(o);
			ret = report_bad("%s:%u: not a status record", path, lineno);
			break;
		}
		grown = realloc(r->rec, (r->n + 1) * sizeof(*grown));
		if (!grown) {
			json_object_put(o);
			ret = report_bad("out of memory");
			break;
		}
		r->rec = grown;
		r->rec[r->n++] = o;
	}
	free(line);
	fclose(f);
	if (ret)
		records_free(r);
	return ret;
}

static bool is_record(json_object *o, const char *kind, int64_t id)
{
	json_object *k, *i;

	return json_object_object_get_ex(o, "record", &k) &&
	       !strcmp(json_object_get_string(k), kind) &&
	       (id < 0 || (json_object_object_get_ex(o, "id", &i) &&
			   json_object_get_int64(i) == id));
}

/* A number member; false (and *v = 0) if missing or not an integer. */
static bool get_u64(json_object *o, const char *key, uint64_t *v)
{
	json_object *m;

	*v = 0;
	if (!json_object_object_get_ex(o, key, &m) || !json_object_is_type(m, json_type_int))
		return false;
	*v = (uint64_t)json_object_get_int64(m);
	return true;
}

/* A [a, b] member; false if missing, null or malformed. */
static bool get_pair(json_object *o, const char *key, uint64_t *a, uint64_t *b)
{
	json_object *m;

	if (!json_object_object_get_ex(o, key, &m) ||
	    !json_object_is_type(m, json_type_array) || json_object_array_length(m) != 2)
		return false;
	*a = (uint64_t)json_object_get_int64(json_object_array_get_idx(m, 0));
	*b = (uint64_t)json_object_get_int64(json_object_array_get_idx(m, 1));
	return true;
}

struct slices {
	uint64_t apbase, apsize, hidbase, hidsize, fences;
};

static int find_slices(const struct records *r, const char *path, int64_t id,
		       struct slices *s)
{
	for (size_t i = 0; i < r->n; i++) {
		if (!is_record(r->rec[i], "vgpu", id))
			continue;
		if (!get_pair(r->rec[i], "aperture", &s->apbase, &s->apsize) ||
		    !get_pair(r->rec[i], "hidden", &s->hidbase, &s->hidsize) ||
		    !get_u64(r->rec[i], "fences", &s->fences))
			return report_bad("%s: vgpu record %" PRId64 " lacks aperture, "
					  "hidden or fences", path, id);
		return REPORT_OK;
	}
	return report_bad("%s: no vgpu record with id %" PRId64, path, id);
}

static int parse_id(const char *arg, int64_t *id)
{
	char *end;

	errno = 0;
	*id = strtoll(arg, &end, 10);
	if (errno || *end || *id < 1)
		return report_bad("vGPU id '%s' is not a number >= 1", arg);
	return REPORT_OK;
}

static int cmd_slices(const char *path, const char *idarg)
{
	struct records r;
	struct slices s;
	int64_t id;
	int ret;

	if ((ret = parse_id(idarg, &id)) || (ret = records_load(path, &r)))
		return ret;
	ret = find_slices(&r, path, id, &s);
	if (!ret)
		printf("%#" PRIx64 ",%#" PRIx64 ",%#" PRIx64 ",%#" PRIx64 ",%" PRIu64 "\n",
		       s.apbase, s.apsize, s.hidbase, s.hidsize, s.fences);
	records_free(&r);
	return ret;
}

/* ---- host verdict -------------------------------------------------------- */

struct host_want {
	int64_t sessions, display_ready;	/* -1: not checked */
	bool confined;
	char allow[256];	/* ",reason,reason," refusals the scenario expects */
	/* Command-audit refusals over all sessions, exactly: "reason:N". */
	struct { char reason[32]; uint64_t n; } audit[8];
	unsigned int naudit;
};

/* "audit=REASON:N[,REASON:N]" into w->audit. */
static int parse_audit_want(const char *a, struct host_want *w)
{
	char buf[256], *save = NULL, *tok;

	snprintf(buf, sizeof(buf), "%s", a + 6);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *colon = strchr(tok, ':'), *end;

		if (!colon || colon == tok || (size_t)(colon - tok) >= sizeof(w->audit[0].reason))
			return report_bad("host verdict '%s': want audit=REASON:N[,REASON:N]", a);
		if (w->naudit == sizeof(w->audit) / sizeof(w->audit[0]))
			return report_bad("host verdict '%s': more than 8 audit reasons", a);
		errno = 0;
		w->audit[w->naudit].n = strtoull(colon + 1, &end, 10);
		if (errno || *end || end == colon + 1)
			return report_bad("host verdict '%s': '%s' is not a count", a, colon + 1);
		*colon = '\0';
		snprintf(w->audit[w->naudit].reason, sizeof(w->audit[0].reason), "%s", tok);
		w->naudit++;
	}
	return REPORT_OK;
}

static int parse_host_want(int argc, char **argv, struct host_want *w)
{
	*w = (struct host_want){ .sessions = -1, .display_ready = -1 };
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		char *end;

		if (!strcmp(a, "confined")) {
			w->confined = true;
			continue;
		}
		if (!strncmp(a, "audit=", 6)) {
			int ret = parse_audit_want(a, w);

			if (ret)
				return ret;
			continue;
		}
		if (!strncmp(a, "allow=", 6)) {
			if (strlen(a + 6) + 3 > sizeof(w->allow))
				return report_bad("host verdict '%s': too long", a);
			snprintf(w->allow, sizeof(w->allow), ",%s,", a + 6);
			continue;
		}
		int64_t *dst = !strncmp(a, "sessions=", 9) ? &w->sessions :
			       !strncmp(a, "display_ready=", 14) ? &w->display_ready : NULL;
		if (!dst)
			return report_bad("host verdict '%s': want sessions=N, "
					  "display_ready=V, allow=REASON[,REASON], audit=REASON:N[,...] "
					  "or confined", a);
		errno = 0;
		*dst = strtoll(strchr(a, '=') + 1, &end, 10);
		if (errno || *end || *dst < 0)
			return report_bad("host verdict '%s': not a number", a);
	}
	return REPORT_OK;
}

/* The members of an object of counters, "k=v k=v", into buf. */
static void counters_text(json_object *o, const char *key, char *buf, size_t size,
			  bool nonzero)
{
	json_object *m;
	size_t n = 0;

	buf[0] = '\0';
	if (!json_object_object_get_ex(o, key, &m) || !json_object_is_type(m, json_type_object))
		return;
	json_object_object_foreach(m, k, v) {
		int64_t x = json_object_get_int64(v);

		if ((nonzero && !x) || n + 1 >= size)
			continue;
		n += (size_t)snprintf(buf + n, size - n, "%s%s=%" PRId64, n ? " " : "", k, x);
	}
}

/* Refusals whose reason the scenario allows, summed. */
static uint64_t allowed(json_object *o, const char *allow)
{
	json_object *m;
	uint64_t sum = 0;

	if (!allow[0] || !json_object_object_get_ex(o, "reasons", &m) ||
	    !json_object_is_type(m, json_type_object))
		return 0;
	json_object_object_foreach(m, k, v) {
		char key[96];

		snprintf(key, sizeof(key), ",%s,", k);
		if (strstr(allow, key))
			sum += (uint64_t)json_object_get_int64(v);
	}
	return sum;
}

/* The session's execution counters, and its audit refusals added to seen. */
static void exec_counts(json_object *o, const char *name, uint64_t n,
			const struct host_want *w, uint64_t *seen, uint64_t *other)
{
	json_object *x, *a;
	char hangs[256], audit[256];
	uint64_t sub = 0, cmds = 0, blits = 0, resets = 0;

	if (!json_object_object_get_ex(o, "exec", &x) || !json_object_is_type(x, json_type_object))
		return;
	get_u64(x, "submissions", &sub);
	get_u64(x, "commands", &cmds);
	get_u64(x, "blits", &blits);
	get_u64(x, "engine_resets", &resets);
	counters_text(x, "hangs", hangs, sizeof(hangs), true);
	counters_text(x, "audit", audit, sizeof(audit), true);
	printf("  %s guest %" PRIu64 ": exec submissions=%" PRIu64 " commands=%" PRIu64
	       " blits=%" PRIu64 " engine_resets=%" PRIu64 " hangs={%s} audit={%s}\n",
	       name, n, sub, cmds, blits, resets, hangs, audit);
	if (!json_object_object_get_ex(x, "audit", &a) || !json_object_is_type(a, json_type_object))
		return;
	json_object_object_foreach(a, k, v) {
		uint64_t c = (uint64_t)json_object_get_int64(v);
		unsigned int i;

		for (i = 0; i < w->naudit && strcmp(w->audit[i].reason, k); i++)
			;
		if (i < w->naudit)
			seen[i] += c;
		else
			*other += c;
	}
}

static int check_session(json_object *o, const char *name, const struct slices *s,
			 const struct host_want *w)
{
	uint64_t n, refused, dr, lo, hi, ok;
	char traps[512], reasons[512];
	int failed = 0;

	get_u64(o, "n", &n);
	get_u64(o, "refused", &refused);
	ok = allowed(o, w->allow);
	get_u64(o, "display_ready", &dr);
	counters_text(o, "traps", traps, sizeof(traps), false);
	counters_text(o, "reasons", reasons, sizeof(reasons), true);
	printf("  %s guest %" PRIu64 ": %s refused=%" PRIu64, name, n, traps, refused);
	if (get_pair(o, "pte_span", &lo, &hi))
		printf(" pte-span=[%#" PRIx64 ", %#" PRIx64 "]", lo, hi);
	printf(" display_ready=%" PRIu64 "\n", dr);
	if (ok)
		printf("  %s guest %" PRIu64 ": %" PRIu64 " refusal(s) the scenario allows: %s\n",
		       name, n, ok, reasons);
	if (refused > ok) {
		printf("vm-report: FAIL: %s guest %" PRIu64 ": the host refused %" PRIu64
		       " access(es): %s\n", name, n, refused - ok, reasons);
		failed = 1;
	}
	if (w->display_ready >= 0 && dr != (uint64_t)w->display_ready) {
		printf("vm-report: FAIL: %s guest %" PRIu64 ": display_ready=%" PRIu64
		       " at its reset, expected %" PRId64 "\n", name, n, dr, w->display_ready);
		failed = 1;
	}
	/* Confinement: the PTEs the guest touched lie inside its slices. */
	if (w->confined && get_pair(o, "pte_span", &lo, &hi) &&
	    (lo < s->apbase || hi >= s->hidbase + s->hidsize)) {
		printf("vm-report: FAIL: %s guest %" PRIu64 ": PTE traps [%#" PRIx64 ", %#"
		       PRIx64 "] reach outside [%#" PRIx64 ", %#" PRIx64 ")\n", name, n,
		       lo, hi, s->apbase, s->hidbase + s->hidsize);
		failed = 1;
	}
	return failed;
}

static int cmd_host(const char *path, const char *idarg, int argc, char **argv)
{
	struct host_want w;
	struct records r;
	struct slices s;
	int64_t id, sessions = 0;
	uint64_t seen[8] = { 0 }, other = 0, n = 0;
	int ret, failed = 0;
	char name[32];

	if ((ret = parse_id(idarg, &id)) || (ret = parse_host_want(argc, argv, &w)) ||
	    (ret = records_load(path, &r)))
		return ret;
	if ((ret = find_slices(&r, path, id, &s))) {
		records_free(&r);
		return ret;
	}
	snprintf(name, sizeof(name), "vgpu%" PRId64, id);
	for (size_t i = 0; i < r.n; i++) {
		if (!is_record(r.rec[i], "session", id))
			continue;
		sessions++;
		failed |= check_session(r.rec[i], name, &s, &w);
		get_u64(r.rec[i], "n", &n);
		exec_counts(r.rec[i], name, n, &w, seen, &other);
	}
	/* A refused command buffer is a guest trying to leave its slices. */
	if (other) {
		printf("vm-report: FAIL: %s: the command audit refused %" PRIu64
		       " buffer(s) for reasons the scenario does not expect\n", name, other);
		failed = 1;
	}
	for (unsigned int i = 0; i < w.naudit; i++)
		if (seen[i] != w.audit[i].n) {
			printf("vm-report: FAIL: %s: the command audit refused %" PRIu64
			       " buffer(s) as %s, expected %" PRIu64 "\n", name, seen[i],
			       w.audit[i].reason, w.audit[i].n);
			failed = 1;
		}
	if (w.sessions >= 0 && sessions != w.sessions) {
		printf("vm-report: FAIL: %s: %" PRId64 " session(s) in %s, expected %" PRId64 "\n",
		       name, sessions, path, w.sessions);
		failed = 1;
	}
	records_free(&r);
	return failed ? REPORT_FAIL : REPORT_OK;
}

/* ---- guest verdict ------------------------------------------------------- */

static int cmd_guest(const char *path)
{
	unsigned int pass = 0, fail = 0, skip = 0, runs = 0, done_bad = 0;
	char *line = NULL, cmd[256] = "", *p;
	bool exited = false, message = false;
	size_t cap = 0;
	int exit_code = -1;
	FILE *f = fopen(path, "r");

	if (!f)
		return report_bad("%s: %s", path, strerror(errno));
	while (getline(&line, &cap, f) > 0) {
		char name[256], word[16];
		int status;

		line[strcspn(line, "\r\n")] = '\0';
		if (!strncmp(line, "VGPU-RUN ", 9) && (p = strchr(line, ':'))) {
			runs++;
			snprintf(cmd, sizeof(cmd), "%s", p + 2);
			/* The binary's name, for the subtest lines below it. */
			cmd[strcspn(cmd, " ")] = '\0';
			if ((p = strrchr(cmd, '/')))
				memmove(cmd, p + 1, strlen(p + 1) + 1);
		} else if (sscanf(line, "VGPU-DONE %*u: status=%d", &status) == 1) {
			if (status) {
				printf("vm-report: FAIL: %s exited with status %d\n", cmd, status);
				done_bad++;
			}
		} else if (sscanf(line, "VGPU-EXIT %d", &exit_code) == 1) {
			exited = true;
		} else if (sscanf(line, "Subtest %255[^:]: %15s", name, word) == 2) {
			const char *t = strchr(line, '(');

			printf("  %s@%s: %s %s\n", cmd, name, word, t ? t : "");
			pass += !strcmp(word, "SUCCESS");
			skip += !strcmp(word, "SKIP");
			fail += strcmp(word, "SUCCESS") && strcmp(word, "SKIP");
		} else if (!strncmp(line, "Failed assertion: ", 18) ||
			   !strncmp(line, "Test requirement: ", 18)) {
			printf("    %s\n", line);
			message = true;
			continue;
		} else if (message && strncmp(line, "Test ", 5) && strncmp(line, "VGPU-", 5) &&
			   strncmp(line, "Starting ", 9)) {
			/* IGT logs what was wrong on the line after the condition. */
			printf("      %s\n", line);
		}
		message = false;
	}
	free(line);
	fclose(f);
	printf("  %u command(s), %u subtest(s) passed, %u skipped, %u failed\n",
	       runs, pass, skip, fail);
	if (!exited)
		printf("vm-report: FAIL: no VGPU-EXIT line: the guest did not finish\n");
	else if (exit_code)
		printf("vm-report: FAIL: the guest's run ended with status %d\n", exit_code);
	if (!pass)
		printf("vm-report: FAIL: no subtest passed\n");
	if (skip)
		printf("vm-report: FAIL: a subtest the scenario runs skipped\n");
	return (!exited || exit_code || !pass || fail || skip || done_bad) ?
	       REPORT_FAIL : REPORT_OK;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: vm-report slices STATUS ID\n"
		"       vm-report host STATUS ID [sessions=N] [display_ready=V] [confined]\n"
		"                 [allow=REASON[,REASON]] [audit=REASON:N[,REASON:N]]\n"
		"       vm-report guest RESULTS.log\n"
		"       vm-report igt RESULTS.json EXPECTATIONS\n"
		"       vm-report igt-compare OURS.json UPSTREAM.json\n"
		"       vm-report igt-excludes EXPECTATIONS\n");
	return REPORT_BAD;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	if (!strcmp(cmd, "slices") && argc == 4)
		return cmd_slices(argv[2], argv[3]);
	if (!strcmp(cmd, "host") && argc >= 4)
		return cmd_host(argv[2], argv[3], argc - 4, argv + 4);
	if (!strcmp(cmd, "guest") && argc == 3)
		return cmd_guest(argv[2]);
	if (!strcmp(cmd, "igt") && argc == 4)
		return report_igt(argv[2], argv[3]);
	if (!strcmp(cmd, "igt-compare") && argc == 4)
		return report_igt_compare(argv[2], argv[3]);
	if (!strcmp(cmd, "igt-excludes") && argc == 3)
		return report_igt_excludes(argv[2]);
	return usage();
}

// SPDX-License-Identifier: MIT
/*
 * vm-report igt: igt_runner's results.json against the expectations file
 * (vm/igt/expectations), one line per entry:
 *
 *   PATTERN | RESULT | IGT SAYS | WHY
 *
 * PATTERN is a glob over IGT's names (igt@test, igt@test@subtest, ...);
 * the first line that matches a result decides. RESULT is what IGT must
 * report: pass, skip, fail, timeout, dmesg-warn, dmesg-fail, incomplete,
 * crash, abort, or "excluded" (not run at all: igt_runner gets it as a
 * --blacklist regex). IGT SAYS, if not empty, must appear in the test's
 * own output (its skip or failure message), so a skip for another reason
 * is a difference too. WHY is required for everything but pass: a skip is
 * expected only with a written reason. Any difference fails: a result
 * without an entry, a different result (an unexpected pass included), a
 * message that does not say what the entry says, an entry that matches
 * nothing (a stale one), an excluded entry that ran.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "vm_report.h"

#define DMESG_LINES	4	/* per subtest in the table; all in results.json */

static const char *const results_known[] = {
	"pass", "skip", "fail", "timeout", "dmesg-warn", "dmesg-fail",
	"incomplete", "crash", "abort", "notrun", "excluded",
};

struct expectation {
	char pattern[256], result[16], says[256], why[512];
	unsigned int line, matched;
};

struct expectations {
	struct expectation *e;
	size_t n;
};

/* Trim blanks at both ends, in place. */
static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

static bool known_result(const char *r)
{
	for (size_t i = 0; i < sizeof(results_known) / sizeof(results_known[0]); i++)
		if (!strcmp(r, results_known[i]))
			return true;
	return false;
}

static int copy_field(char *dst, size_t size, const char *src, const char *path,
		      unsigned int line, const char *field)
{
	if (strlen(src) >= size)
		return report_bad("%s:%u: %s longer than %zu characters", path, line,
				  field, size - 1);
	memcpy(dst, src, strlen(src) + 1);
	return REPORT_OK;
}

static int parse_entry(struct expectation *x, char *text, const char *path,
		       unsigned int line)
{
	char *f[4], *p = text;
	int i, ret;

	for (i = 0; i < 4; i++) {
		f[i] = p;
		p = i < 3 ? strchr(p, '|') : NULL;
		if (i < 3 && !p)
			return report_bad("%s:%u: want PATTERN | RESULT | IGT SAYS | WHY", path, line);
		if (p)
			*p++ = '\0';
		f[i] = trim(f[i]);
	}
	memset(x, 0, sizeof(*x));
	x->line = line;
	if ((ret = copy_field(x->pattern, sizeof(x->pattern), f[0], path, line, "PATTERN")) ||
	    (ret = copy_field(x->result, sizeof(x->result), f[1], path, line, "RESULT")) ||
	    (ret = copy_field(x->says, sizeof(x->says), f[2], path, line, "IGT SAYS")) ||
	    (ret = copy_field(x->why, sizeof(x->why), f[3], path, line, "WHY")))
		return ret;
	if (strncmp(x->pattern, "igt@", 4))
		return report_bad("%s:%u: PATTERN '%s' does not start with igt@", path,
				  line, x->pattern);
	if (!known_result(x->result))
		return report_bad("%s:%u: RESULT '%s' is not one of pass, skip, fail, "
				  "timeout, dmesg-warn, dmesg-fail, incomplete, crash, "
				  "abort, notrun, excluded", path, line, x->result);
	if (strcmp(x->result, "pass") && !x->why[0])
		return report_bad("%s:%u: '%s' is expected to %s without a WHY", path,
				  line, x->pattern, x->result);
	return REPORT_OK;
}

static void expectations_free(struct expectations *xs)
{
	free(xs->e);
	memset(xs, 0, sizeof(*xs));
}

static int expectations_load(const char *path, struct expectations *xs)
{
	char *line = NULL;
	size_t cap = 0;
	unsigned int lineno = 0;
	int ret = REPORT_OK;
	FILE *f = fopen(path, "r");

	memset(xs, 0, sizeof(*xs));
	if (!f)
		return report_bad("%s: %s", path, strerror(errno));
	while (!ret && getline(&line, &cap, f) > 0) {
		char *t = trim(line);
		struct expectation *grown;

		lineno++;
		if (!*t || *t == '#')
			continue;
		grown = realloc(xs->e, (xs->n + 1) * sizeof(*grown));
		if (!grown) {
			ret = report_bad("out of memory");
			break;
		}
		xs->e = grown;
		ret = parse_entry(&xs->e[xs->n], t, path, lineno);
		xs->n += !ret;
	}
	free(line);
	fclose(f);
	if (!ret && !xs->n)
		ret = report_bad("%s: no entries", path);
	if (ret)
		expectations_free(xs);
	return ret;
}

static struct expectation *match(struct expectations *xs, const char *name)
{
	for (size_t i = 0; i < xs->n; i++)
		if (!fnmatch(xs->e[i].pattern, name, 0))
			return &xs->e[i];
	return NULL;
}

int report_igt_excludes(const char *path)
{
	struct expectations xs;
	int ret = expectations_load(path, &xs);

	if (ret)
		return ret;
	for (size_t i = 0; i < xs.n; i++) {
		const char *p;

		if (strcmp(xs.e[i].result, "excluded"))
			continue;
		/* The glob as an anchored regex (GLib's syntax). */
		putchar('^');
		for (p = xs.e[i].pattern; *p; p++) {
			if (*p == '*')
				fputs(".*", stdout);
			else if (*p == '?')
				putchar('.');
			else if (strchr(".+()[]{}^$|\\", *p))
				printf("\\%c", *p);
			else
				putchar(*p);
		}
		puts("$");
	}
	expectations_free(&xs);
	return REPORT_OK;
}

/* ---- results ------------------------------------------------------------- */

struct result {
	const char *name, *result, *out, *err, *dmesg, *warnings;
	double time;
	/*
	 * For a skip IGT printed no reason for, because its fixture skipped
	 * every subtest after the first (no "Starting subtest" line): the
	 * result of the same test that has the reason. NULL otherwise.
	 */
	const struct result *fixture;
};

static const char *member_str(json_object *o, const char *key)
{
	json_object *m;

	return json_object_object_get_ex(o, key, &m) &&
	       json_object_is_type(m, json_type_string) ? json_object_get_string(m) : "";
}

static double member_time(json_object *o)
{
	json_object *t, *s, *e;

	if (!json_object_object_get_ex(o, "time", &t) ||
	    !json_object_object_get_ex(t, "start", &s) ||
	    !json_object_object_get_ex(t, "end", &e))
		return 0;
	return json_object_get_double(e) - json_object_get_double(s);
}

/* Where the message of an IGT log line starts: past "(bin:pid) LEVEL: ". */
static const char *log_text(const char *line, int len)
{
	const char *c = memmem(line, (size_t)len, "CRITICAL: ", 10);

	return c ? c + 10 : line;
}

/*
 * The line of @text holding @head, from there, with the message line after
 * it (IGT logs the condition, then what was wrong), into buf. Return:
 * false if @head is not in @text.
 */
static bool line_after(char *buf, size_t size, const char *text, const char *head)
{
	const char *p = strstr(text, head), *nl, *next, *msg;
	int len, len2;

	if (!p)
		return false;
	nl = strchr(p, '\n');
	len = nl ? (int)(nl - p) : (int)strlen(p);
	next = nl ? nl + 1 : "";
	nl = strchr(next, '\n');
	len2 = nl ? (int)(nl - next) : (int)strlen(next);
	msg = log_text(next, len2);
	len2 -= (int)(msg - next);
	if (len2 > 0 && strncmp(msg, "Subtest ", 8) && strncmp(msg, "Last errno", 10) &&
	    strncmp(msg, "Stack trace", 11) && strncmp(msg, "Test requirement", 16))
		snprintf(buf, size, "%.*s: %.*s", len, p, len2, msg);
	else
		snprintf(buf, size, "%.*s", len, p);
	return true;
}

/*
 * What IGT said about a result that is not a pass, for the NOTE column:
 * skips are on stdout in IGT (igt_skip), failures on stderr.
 */
static void igt_reason(char *buf, size_t size, const struct result *r)
{
	static const char *const fail_heads[] = {
		"Failed assertion: ", "Received signal", "Test assertion failure",
	};

	buf[0] = '\0';
	if (r->fixture)
		r = r->fixture;
	if (!strcmp(r->result, "skip")) {
		if (!line_after(buf, size, r->out, "Test requirement: "))
			line_after(buf, size, r->err, "Test requirement: ");
	} else if (!strcmp(r->result, "fail") || !strcmp(r->result, "crash") ||
		   !strcmp(r->result, "dmesg-fail")) {
		for (size_t i = 0; i < sizeof(fail_heads) / sizeof(fail_heads[0]) && !buf[0]; i++)
			if (!line_after(buf, size, r->err, fail_heads[i]))
				line_after(buf, size, r->out, fail_heads[i]);
	}
	if (!buf[0] && !strncmp(r->result, "dmesg-", 6) && r->warnings[0])
		snprintf(buf, size, "dmesg: %.*s", (int)strcspn(r->warnings, "\n"),
			 r->warnings);
}

static void print_dmesg(const char *dmesg)
{
	unsigned int shown = 0, more = 0;
	const char *p = dmesg;

	while (*p) {
		const char *nl = strchr(p, '\n');
		int len = nl ? (int)(nl - p) : (int)strlen(p);

		/* IGT's own markers are the split points, not findings. */
		if (len && !memmem(p, (size_t)len, "[IGT] ", 6)) {
			if (shown < DMESG_LINES) {
				printf("        dmesg: %.*s\n", len > 160 ? 160 : len, p);
				shown++;
			} else {
				more++;
			}
		}
		p = nl ? nl + 1 : p + len;
	}
	if (more)
		printf("        dmesg: (%u more lines in results.json)\n", more);
}

/* The test part of igt@test@subtest, into buf. */
static void test_of(char *buf, size_t size, const char *name)
{
	const char *t = name + 4, *at = strchr(t, '@');

	snprintf(buf, size, "%.*s", at ? (int)(at - t) : (int)strlen(t), t);
}

static int load_results(const char *path, json_object **root, struct result **rs,
			size_t *n)
{
	json_object *tests;
	size_t i = 0;

	*root = json_object_from_file(path);
	if (!*root)
		return report_bad("%s: not JSON (%s)", path, json_util_get_last_err());
	if (!json_object_object_get_ex(*root, "tests", &tests) ||
	    !json_object_is_type(tests, json_type_object))
		return report_bad("%s: no \"tests\" object: not igt_runner's results", path);
	*n = (size_t)json_object_object_length(tests);
	*rs = calloc(*n ? *n : 1, sizeof(**rs));
	if (!*rs)
		return report_bad("out of memory");
	json_object_object_foreach(tests, name, o) {
		(*rs)[i++] = (struct result){
			.name = name, .result = member_str(o, "result"),
			.out = member_str(o, "out"), .err = member_str(o, "err"),
			.dmesg = member_str(o, "dmesg"),
			.warnings = member_str(o, "dmesg-warnings"),
			.time = member_time(o),
		};
	}
	/* Runner order: a fixture skip names its reason in the first subtest. */
	for (i = 0; i < *n; i++) {
		struct result *r = &(*rs)[i];
		const struct result *p = i ? &(*rs)[i - 1] : NULL;
		char tr[128], tp[128];

		if (strcmp(r->result, "skip") || strstr(r->out, "Starting subtest") ||
		    strstr(r->out, "Test requirement: ") || !p)
			continue;
		test_of(tr, sizeof(tr), r->name);
		test_of(tp, sizeof(tp), p->name);
		if (!strcmp(tr, tp) && !strcmp(p->result, "skip"))
			r->fixture = p->fixture ? p->fixture : p;
	}
	return REPORT_OK;
}

static bool says(const struct result *r, const char *text)
{
	return strstr(r->err, text) || strstr(r->out, text);
}

/* Judge one result; print its row; return true if it differs. */
static bool judge(struct expectations *xs, const struct result *r, const char *test)
{
	struct expectation *x = match(xs, r->name);
	const char *sub = r->name + 4 + strlen(test);
	char reason[320], diff[800] = "";

	igt_reason(reason, sizeof(reason), r);
	if (!x) {
		snprintf(diff, sizeof(diff), "no entry in the expectations");
	} else {
		x->matched++;
		if (!strcmp(x->result, "excluded"))
			snprintf(diff, sizeof(diff), "ran, but line %u excludes it", x->line);
		else if (strcmp(x->result, r->result))
			snprintf(diff, sizeof(diff), "expected %s (line %u: %s)", x->result,
				 x->line, x->why[0] ? x->why : "should pass");
		else if (x->says[0] && !says(r, x->says) && !(r->fixture && says(r->fixture, x->says)))
			snprintf(diff, sizeof(diff), "IGT does not say '%s' (line %u)",
				 x->says, x->line);
	}
	printf("  %-44s %-10s %7.2fs %s%s\n", *sub ? sub + 1 : "(whole test)",
	       r->result, r->time, diff[0] ? "DIFFERS: " : "", diff);
	if (reason[0])
		printf("        igt: %.300s\n", reason);
	else if (!diff[0] && x && strcmp(x->result, "pass"))
		printf("        why: %.300s\n", x->why);
	print_dmesg(r->dmesg);
	return diff[0];
}

int report_igt(const char *results, const char *expectations)
{
	unsigned int differ = 0, by[5] = { 0 };
	struct expectations xs;
	struct result *rs = NULL;
	json_object *root = NULL;
	size_t n = 0, i, j;
	char test[128], next[128];
	int ret;

	if ((ret = expectations_load(expectations, &xs)))
		return ret;
	if ((ret = load_results(results, &root, &rs, &n)))
		goto out;
	printf("== IGT results (%zu) against %s\n", n, expectations);
	for (i = 0; i < n; i = j) {
		unsigned int counts[3] = { 0 };

		test_of(test, sizeof(test), rs[i].name);
		for (j = i; j < n; j++) {
			test_of(next, sizeof(next), rs[j].name);
			if (strcmp(next, test))
				break;
			counts[!strcmp(rs[j].result, "pass") ? 0 :
			       !strcmp(rs[j].result, "skip") ? 1 : 2]++;
		}
		printf("%s: %zu result(s): %u pass, %u skip, %u other\n", test, j - i,
		       counts[0], counts[1], counts[2]);
		for (size_t k = i; k < j; k++) {
			const char *r = rs[k].result;

			differ += judge(&xs, &rs[k], test);
			by[!strcmp(r, "pass") ? 0 : !strcmp(r, "skip") ? 1 :
			   !strcmp(r, "fail") ? 2 : !strcmp(r, "timeout") ? 3 : 4]++;
		}
	}
	for (i = 0; i < xs.n; i++) {
		if (xs.e[i].matched || !strcmp(xs.e[i].result, "excluded"))
			continue;
		printf("DIFFERS: %s:%u: '%s' matches no result (a test that did not run, "
		       "or a stale entry)\n", expectations, xs.e[i].line, xs.e[i].pattern);
		differ++;
	}
	printf("== %u pass, %u skip, %u fail, %u timeout, %u other; %u difference(s) "
	       "from the expectations\n", by[0], by[1], by[2], by[3], by[4], differ);
	ret = differ ? REPORT_FAIL : REPORT_OK;
out:
	free(rs);
	json_object_put(root);
	expectations_free(&xs);
	return ret;
}

static const struct result *find_result(const struct result *rs, size_t n,
					const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(rs[i].name, name))
			return &rs[i];
	return NULL;
}

static void compare_side(const char *label, const struct result *r)
{
	char reason[320];

	if (!r) {
		printf("        %s: not run\n", label);
		return;
	}
	igt_reason(reason, sizeof(reason), r);
	printf("        %s: %s%s%.300s\n", label, r->result, reason[0] ? ": " : "", reason);
}

/* Every result of a that b lacks or has otherwise. */
static unsigned int compare_all(const struct result *a, size_t na, const char *la,
				const struct result *b, size_t nb, const char *lb)
{
	unsigned int differ = 0;

	for (size_t i = 0; i < na; i++) {
		const struct result *o = find_result(b, nb, a[i].name);

		if (o && !strcmp(o->result, a[i].result))
			continue;
		differ++;
		printf("  %s: %s %s, %s %s\n", a[i].name, la, a[i].result, lb,
		       o ? o->result : "not run");
		compare_side(la, &a[i]);
		compare_side(lb, o);
	}
	return differ;
}

int report_igt_compare(const char *ours, const char *theirs)
{
	struct result *ra = NULL, *rb = NULL;
	json_object *ja = NULL, *jb = NULL;
	size_t na = 0, nb = 0;
	unsigned int differ = 0;
	int ret;

	if (!(ret = load_results(ours, &ja, &ra, &na)) &&
	    !(ret = load_results(theirs, &jb, &rb, &nb))) {
		printf("== IGT: the enlightened guest (%s) against upstream 6.1 (%s)\n",
		       ours, theirs);
		differ = compare_all(ra, na, "enlightened", rb, nb, "upstream");
		/* What only the upstream guest ran. */
		for (size_t i = 0; i < nb; i++) {
			if (find_result(ra, na, rb[i].name))
				continue;
			differ++;
			printf("  %s: enlightened not run, upstream %s\n", rb[i].name, rb[i].result);
			compare_side("upstream", &rb[i]);
		}
		printf("== %u of %zu result(s) differ\n", differ, na);
	}
	free(ra);
	free(rb);
	json_object_put(ja);
	json_object_put(jb);
	return ret;
}

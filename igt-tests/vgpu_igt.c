// SPDX-License-Identifier: MIT
/*
 * IGT's test-binary protocol (see vgpu_igt.h): option parsing, subtest
 * selection with IGT's pattern rules, the result lines igt_runner parses,
 * kernel log markers, exit codes, and the non-local exits of require and
 * assert.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <getopt.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "vgpu_igt.h"

/* IGT's exit codes (lib/igt_core.h) */
#define IGT_EXIT_SUCCESS	0
#define IGT_EXIT_SKIP		77
#define IGT_EXIT_INVALID	79
#define IGT_EXIT_FAILURE	98

#define MAX_AT_END		64

enum outcome { OUT_PASS, OUT_SKIP, OUT_FAIL };
static const char *const outcome_word[] = { "SUCCESS", "SKIP", "FAIL" };

static struct {
	const char *binary;		/* basename of argv[0] */
	const char *current;		/* subtest running, or NULL */
	bool sentinel;
	enum outcome outcome;		/* of the subtest or fixture running */
	sigjmp_buf leave;		/* where skip/assert/SIGBUS go */
	volatile sig_atomic_t armed;	/* leave is valid */
	volatile uintptr_t bus_addr;	/* SIGBUS address, for the message */
	struct { void (*fn)(void *); void *arg; } at_end[MAX_AT_END];
	int nr_at_end;
} st;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A line in the kernel log, as igt_kmsg(KMSG_INFO ...) writes it. */
static void kmsg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void kmsg(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int fd, n;

	n = snprintf(line, sizeof(line), "<6>[IGT] %s: ", st.binary);
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	va_end(ap);
	fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;		/* not in a guest (or not root): no markers */
	if (write(fd, line, strlen(line)) < 0)
		fprintf(stderr, "%s: /dev/kmsg: %s\n", st.binary, strerror(errno));
	close(fd);
}

/* A protocol line on stdout, and on stderr when the runner asks. */
static void sentinel(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void sentinel(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
	if (!st.sentinel)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

void vgpu_info(const char *fmt, ...)
{
	va_list ap;

	if (st.current)
		printf("%s: ", st.current);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

/*
 * As IGT words it: the head line, "LABEL: COND", then the message. With no
 * COND the message takes its place, so that "LABEL:" always says what.
 */
static void vreport(FILE *f, const char *head, const char *func, const char *file,
		    int line, const char *label, const char *cond,
		    const char *fmt, va_list ap)
{
	fprintf(f, "%s in function %s, file %s:%d:\n%s: ", head, func,
		file, line, label);
	if (cond)
		fprintf(f, "%s\n", cond);
	vfprintf(f, fmt, ap);
	fputc('\n', f);
	fflush(f);
}

static __attribute__((noreturn)) void leave(void)
{
	if (st.armed)
		siglongjmp(st.leave, 1);
	/* Outside a subtest or fixture: a bug in the test itself. */
	fprintf(stderr, "%s: require/assert outside a subtest\n", st.binary);
	exit(IGT_EXIT_FAILURE);
}

void vgpu_skip_at(const char *func, const char *file, int line,
		  const char *cond, const char *fmt, ...)
{
	va_list ap;

	/* On stdout, as igt_skip prints it: a skip is not an error. */
	va_start(ap, fmt);
	vreport(stdout, "Test requirement not met", func, file, line,
		"Test requirement", cond, fmt, ap);
	va_end(ap);
	if (st.outcome != OUT_FAIL)
		st.outcome = OUT_SKIP;
	leave();
}

/* A failure on stderr, as igt_assert prints it. */
static void vfailure(const char *func, const char *file, int line,
		     const char *cond, const char *fmt, va_list ap)
{
	vreport(stderr, "Test assertion failure", func, file, line,
		"Failed assertion", cond, fmt, ap);
	st.outcome = OUT_FAIL;
}

bool vgpu_fail_at(const char *func, const char *file, int line,
		  const char *cond, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfailure(func, file, line, cond, fmt, ap);
	va_end(ap);
	return false;
}

void vgpu_abort_at(const char *func, const char *file, int line,
		   const char *cond, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfailure(func, file, line, cond, fmt, ap);
	va_end(ap);
	leave();
}

void vgpu_at_end(void (*fn)(void *), void *arg)
{
	if (st.nr_at_end == MAX_AT_END) {
		/* Run it now rather than leak it; the test is wrong. */
		fprintf(stderr, "%s: more than %d cleanups pending\n",
			st.binary, MAX_AT_END);
		st.outcome = OUT_FAIL;
		fn(arg);
		return;
	}
	st.at_end[st.nr_at_end].fn = fn;
	st.at_end[st.nr_at_end++].arg = arg;
}

static void run_at_end(int down_to)
{
	while (st.nr_at_end > down_to) {
		st.nr_at_end--;
		st.at_end[st.nr_at_end].fn(st.at_end[st.nr_at_end].arg);
	}
}

static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (st.armed) {
		st.bus_addr = (uintptr_t)si->si_addr;
		siglongjmp(st.leave, 2);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

/*
 * Run fn with require/assert/SIGBUS able to leave it; what it registered
 * with vgpu_at_end is undone unless keep (the fixture's stays for the
 * subtests). Return: its outcome.
 */
static enum outcome guarded(void (*fn)(void), bool keep)
{
	int base = st.nr_at_end, how;

	st.outcome = OUT_PASS;
	how = sigsetjmp(st.leave, 1);
	if (!how) {
		st.armed = 1;
		fn();
	} else if (how == 2) {
		fprintf(stderr, "Test assertion failure: SIGBUS at %#lx (a GTT fault the "
			"kernel could not serve)\n", (unsigned long)st.bus_addr);
		st.outcome = OUT_FAIL;
	}
	st.armed = 0;
	if (!keep)
		run_at_end(base);
	return st.outcome;
}

/* IGT's uwildmat over a comma-separated list: the last match decides. */
static bool selected(const char *name, const char *patterns)
{
	char buf[1024], *tok, *save;
	bool yes = false;

	snprintf(buf, sizeof(buf), "%s", patterns);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		bool neg = *tok == '!';

		if (!fnmatch(tok + neg, name, 0))
			yes = !neg;
	}
	return yes;
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: %s [OPTIONS]\n"
		"  --list-subtests\n"
		"  --run-subtest <pattern>\n"
		"  --describe[=<pattern>]\n"
		"  --help\n", st.binary);
}

int vgpu_igt_main(int argc, char **argv, const struct vgpu_subtest *tests,
		  size_t n, void (*fixture)(void))
{
	static const struct option options[] = {
		{ "list-subtests", no_argument, NULL, 'l' },
		{ "run-subtest", required_argument, NULL, 'r' },
		{ "describe", optional_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *run = NULL, *describe = NULL;
	bool list = false, any = false, failed = false, passed = false;
	enum outcome fixture_outcome = OUT_PASS;
	struct sigaction sa = { .sa_sigaction = on_sigbus, .sa_flags = SA_SIGINFO };
	struct utsname un;
	size_t i;
	int a;

	st.binary = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	st.sentinel = getenv("IGT_SENTINEL_ON_STDERR") != NULL;
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* IGT's own option names; getopt_long prints what it rejects. */
	while ((a = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (a) {
		case 'l':
			list = true;
			break;
		case 'r':
			run = optarg;
			break;
		case 'd':
			describe = optarg ? optarg : "*";
			break;
		case 'h':
			usage(stdout);
			return IGT_EXIT_SUCCESS;
		default:
			usage(stderr);
			return IGT_EXIT_INVALID;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\n", st.binary, argv[optind]);
		usage(stderr);
		return IGT_EXIT_INVALID;
	}
	if (list || describe) {
		for (i = 0; i < n; i++) {
			if (list)
				printf("%s\n", tests[i].name);
			else if (selected(tests[i].name, describe))
				printf("SUB %s: checks %s (spec/pvinfo.md)\n",
				       tests[i].name, tests[i].spec);
		}
		return IGT_EXIT_SUCCESS;
	}
	for (i = 0; i < n && run; i++)
		any |= selected(tests[i].name, run);
	if (run && !any) {
		fprintf(stderr, "Unknown subtest: %s\n", run);
		return IGT_EXIT_INVALID;
	}

	sigaction(SIGBUS, &sa, NULL);
	printf("IGT-Version: vgpu-igt (x86_64) (Linux: %s x86_64)\n",
	       uname(&un) ? "unknown" : un.release);
	kmsg("executing\n");
	if (fixture) {
		fixture_outcome = guarded(fixture, true);
	}
	for (i = 0; i < n; i++) {
		enum outcome out = fixture_outcome;
		double t0 = now();

		if (run && !selected(tests[i].name, run))
			continue;
		if (fixture_outcome == OUT_PASS) {
			kmsg("starting subtest %s\n", tests[i].name);
			sentinel("Starting subtest: %s\n", tests[i].name);
			st.current = tests[i].name;
			out = guarded(tests[i].run, false);
			st.current = NULL;
		}
		sentinel("Subtest %s: %s (%.3fs)\n", tests[i].name,
			 outcome_word[out], fixture_outcome == OUT_PASS ? now() - t0 : 0.0);
		if (fixture_outcome == OUT_PASS)
			kmsg("finished subtest %s, %s\n", tests[i].name, outcome_word[out]);
		failed |= out == OUT_FAIL;
		passed |= out == OUT_PASS;
	}
	run_at_end(0);
	a = failed ? IGT_EXIT_FAILURE : passed ? IGT_EXIT_SUCCESS : IGT_EXIT_SKIP;
	kmsg("exiting, ret=%d\n", a);
	return a;
}

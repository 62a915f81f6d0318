/* SPDX-License-Identifier: MIT */
/*
 * The one test registry of the host model's and the harness's C tests.
 *
 *   TEST(pte_refusal, "H-3 H-5") { CHECK(x == 1, "x is %d", x); }
 *
 * registers a test named after its file and its own name
 * ("test_mediation.pte_refusal"), tagged with the spec requirement IDs it
 * checks (may be ""). VGT_TEST_MAIN() at the end of the file gives main():
 *
 *   prog            run every test, KTAP output, exit 1 if any failed
 *   prog --list     one line per test: "NAME<TAB>SPEC-IDS"
 *   prog --run NAME run that test only (repeatable)
 *
 * TEST_FIXTURE(setup, teardown) (either may be NULL) runs setup before and
 * teardown after every test of the file, so each test also runs alone.
 *
 * Every failed CHECK prints its condition, file, line and values; a test
 * fails when any of its checks failed. Anything else a test prints is a
 * KTAP diagnostic: start it with "# ". One seed for every seeded test:
 * vgt_test_seed() is VGT_SEED from the environment, else a fixed default,
 * and the KTAP header prints it so a failure can be replayed.
 *
 * Legacy form (files not yet converted): REPORT(before, ...) after CHECKs
 * prints one "ok"/"not ok" line; main() returns failed ? 1 : 0.
 */
#ifndef VGT_TEST_H
#define VGT_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int passed, failed;

#define CHECK(cond, ...) do { \
	if (cond) { \
		passed++; \
	} else { \
		failed++; \
		printf("# FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
		printf(__VA_ARGS__); \
		printf("\n"); \
	} \
} while (0)

/* One line per scenario, "ok" only when none of its checks failed. */
#define REPORT(before, ...) do { \
	printf("%s ", failed == (before) ? "ok" : "not ok"); \
	printf(__VA_ARGS__); \
	printf("\n"); \
} while (0)

#define VGT_TEST_MAX 128
#define VGT_DEFAULT_SEED 20261201u

struct vgt_test_case {
	const char *name, *spec;
	void (*fn)(void);
};

static struct vgt_test_case vgt_tests[VGT_TEST_MAX];
static unsigned int vgt_nr_tests;
static void (*vgt_test_setup)(void), (*vgt_test_teardown)(void);

static inline void vgt_test_register(const char *name, const char *spec,
				     void (*fn)(void))
{
	if (vgt_nr_tests == VGT_TEST_MAX) {
		fprintf(stderr, "vgt_test: more than %d tests in one binary\n",
			VGT_TEST_MAX);
		exit(2);
	}
	vgt_tests[vgt_nr_tests++] = (struct vgt_test_case){ name, spec, fn };
}

#define TEST(name, spec) \
	static void vgt_test_##name(void); \
	__attribute__((constructor)) static void vgt_test_reg_##name(void) \
	{ vgt_test_register(#name, spec, vgt_test_##name); } \
	static void vgt_test_##name(void)

#define TEST_FIXTURE(setup, teardown) \
	__attribute__((constructor)) static void vgt_test_fixture(void) \
	{ vgt_test_setup = (setup); vgt_test_teardown = (teardown); }

static inline unsigned int vgt_test_seed(void)
{
	const char *env = getenv("VGT_SEED");

	return env && *env ? (unsigned int)strtoul(env, NULL, 0) : VGT_DEFAULT_SEED;
}

/* "host-model/tests/test_regs.c" -> "test_regs" */
static inline void vgt_test_stem(const char *file, char *buf, size_t len)
{
	const char *base = strrchr(file, '/');
	size_t n;

	base = base ? base + 1 : file;
	n = strcspn(base, ".");
	snprintf(buf, len, "%.*s", (int)n, base);
}

static inline int vgt_test_main(const char *file, int argc, char **argv)
{
	char stem[64], full[192];
	unsigned int i, n = 0, bad = 0;
	int a, selected = 0;

	vgt_test_stem(file, stem, sizeof(stem));
	if (argc == 2 && !strcmp(argv[1], "--list")) {
		for (i = 0; i < vgt_nr_tests; i++)
			printf("%s.%s\t%s\n", stem, vgt_tests[i].name, vgt_tests[i].spec);
		return 0;
	}
	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "--run") || a + 1 == argc) {
			fprintf(stderr, "usage: %s [--list | --run NAME...]\n", argv[0]);
			return 2;
		}
		a++;
		for (i = 0; i < vgt_nr_tests; i++) {
			snprintf(full, sizeof(full), "%s.%s", stem, vgt_tests[i].name);
			if (!strcmp(argv[a], full) || !strcmp(argv[a], vgt_tests[i].name))
				break;
		}
		if (i == vgt_nr_tests) {
			fprintf(stderr, "%s: no test named '%s' (see --list)\n", argv[0], argv[a]);
			return 2;
		}
		selected = 1;
	}
	printf("KTAP version 1\n# %s: seed %u (VGT_SEED)\n", stem, vgt_test_seed());
	for (i = 0; i < vgt_nr_tests; i++) {
		int want = !selected;

		for (a = 2; selected && a < argc; a += 2) {
			snprintf(full, sizeof(full), "%s.%s", stem, vgt_tests[i].name);
			want |= !strcmp(argv[a], full) || !strcmp(argv[a], vgt_tests[i].name);
		}
		n += want;
	}
	printf("1..%u\n", n);
	for (i = 0, n = 0; i < vgt_nr_tests; i++) {
		int want = !selected, before = failed;

		for (a = 2; selected && a < argc; a += 2) {
			snprintf(full, sizeof(full), "%s.%s", stem, vgt_tests[i].name);
			want |= !strcmp(argv[a], full) || !strcmp(argv[a], vgt_tests[i].name);
		}
		if (!want)
			continue;
		fflush(stdout);
		if (vgt_test_setup)
			vgt_test_setup();
		vgt_tests[i].fn();
		if (vgt_test_teardown)
			vgt_test_teardown();
		bad += failed != before;
		printf("%s %u %s.%s%s%s\n", failed == before ? "ok" : "not ok", ++n, stem,
		       vgt_tests[i].name, *vgt_tests[i].spec ? " # spec: " : "",
		       vgt_tests[i].spec);
	}
	printf("# %s: %u tests, %u failed; %d checks passed, %d failed\n", stem, n, bad,
	       passed, failed);
	return bad ? 1 : 0;
}

#define VGT_TEST_MAIN() \
	int main(int argc, char **argv) { return vgt_test_main(__FILE__, argc, argv); }

#endif /* VGT_TEST_H */

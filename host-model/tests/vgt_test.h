/* SPDX-License-Identifier: MIT */
/*
 * Checks for the C tests of the host model and of the harness: every failed
 * check prints its condition and values and is counted; each scenario ends
 * with one "ok"/"not ok" line naming its spec label; a test binary ends with
 * "N passed, N failed".
 */
#ifndef VGT_TEST_H
#define VGT_TEST_H

#include <stdio.h>

static int passed, failed;

#define CHECK(cond, ...) do { \
	if (cond) { \
		passed++; \
	} else { \
		failed++; \
		printf("FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
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

#endif /* VGT_TEST_H */

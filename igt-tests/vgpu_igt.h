/* SPDX-License-Identifier: MIT */
/*
 * IGT's test-binary protocol for our guest tests, so that igt_runner (and
 * vm/'s guest init) can list, select and judge them like upstream tests.
 * No IGT headers ship in Debian, so this is our own implementation of what
 * the runner relies on:
 *
 *   --list-subtests            one subtest name a line, exit 0
 *   --run-subtest PATTERNS     comma-separated globs, '!' excludes (IGT's
 *                              uwildmat rules: the last matching one wins);
 *                              no match: "Unknown subtest: ...", exit 79
 *   --describe[=PATTERNS]      each subtest with the spec IDs it checks
 *   stdout "Starting subtest: NAME" / "Subtest NAME: SUCCESS|FAIL|SKIP (T s)"
 *   (on stderr too when IGT_SENTINEL_ON_STDERR is set, as igt_runner asks),
 *   "[IGT] BINARY: starting subtest NAME" in the kernel log (the runner
 *   splits dmesg on it), skip reasons as "Test requirement: ..." and
 *   failures as "Failed assertion: ..." on stderr, exit 0 (something
 *   passed, nothing failed), 77 (all skipped) or 98 (a failure).
 *
 * A subtest ends at its first vgpu_require()/vgpu_assert() that does not
 * hold (longjmp out: register what must be undone with vgpu_at_end()
 * first); vgpu_check() records a failure and carries on, so one run shows
 * every wrong value. A SIGBUS inside a subtest (a GTT fault the driver
 * could not serve) fails it instead of killing the binary.
 */
#ifndef VGPU_IGT_H
#define VGPU_IGT_H

#include <stdbool.h>
#include <stddef.h>

struct vgpu_subtest {
	const char *name;
	const char *spec;	/* spec/pvinfo.md IDs it checks: "G-16 H-5" */
	void (*run)(void);
};

/*
 * Parse IGT's options, then run @fixture (may be NULL) once and the
 * selected subtests in table order. A skip or failure in the fixture skips
 * or fails every selected subtest, as in IGT. Return: the exit code.
 */
int vgpu_igt_main(int argc, char **argv, const struct vgpu_subtest *tests,
		  size_t n, void (*fixture)(void));

/* One informational line on stdout, prefixed with the current subtest. */
void vgpu_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

void vgpu_skip_at(const char *func, const char *file, int line,
		  const char *cond, const char *fmt, ...)
	__attribute__((format(printf, 5, 6), noreturn));
/* Record a failure (cond NULL: the message is the assertion); false. */
bool vgpu_fail_at(const char *func, const char *file, int line,
		  const char *cond, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void vgpu_abort_at(const char *func, const char *file, int line,
		   const char *cond, const char *fmt, ...)
	__attribute__((format(printf, 5, 6), noreturn));

/* Skip the subtest (or, in the fixture, all of them) unless cond holds. */
#define vgpu_require(cond, ...) do { \
	if (!(cond)) \
		vgpu_skip_at(__func__, __FILE__, __LINE__, #cond, __VA_ARGS__); \
} while (0)

/* Fail and leave the subtest unless cond holds. */
#define vgpu_assert(cond, ...) do { \
	if (!(cond)) \
		vgpu_abort_at(__func__, __FILE__, __LINE__, #cond, __VA_ARGS__); \
} while (0)

/* Fail the subtest unless cond holds, and carry on. Return: cond. */
#define vgpu_check(cond, ...) ((cond) ? true : \
	vgpu_fail_at(__func__, __FILE__, __LINE__, #cond, __VA_ARGS__))

/* Fail the subtest with a message, and carry on. */
#define vgpu_fail(...) vgpu_fail_at(__func__, __FILE__, __LINE__, NULL, __VA_ARGS__)

/*
 * Undo something when the subtest (or the fixture, for what it sets up)
 * ends, however it ends; run last registered first. At most 64 pending.
 */
void vgpu_at_end(void (*fn)(void *), void *arg);

#endif /* VGPU_IGT_H */

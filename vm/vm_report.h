/* SPDX-License-Identifier: MIT */
/*
 * vm-report: what vm/run.sh asks of the results a guest run leaves, so
 * that the script never scrapes a human log:
 *
 *   vm-report slices STATUS ID
 *       the slices vgt-hostd published for vGPU ID (its status records),
 *       as the guest's vgpu.expect= wants them
 *   vm-report host STATUS ID [sessions=N] [display_ready=V] [confined]
 *                 [allow=REASON[,REASON]]
 *       the host verdict for vGPU ID: that many sessions, each left with
 *       display_ready = V, none with a refused access (but for the reasons
 *       allowed), PTE traps inside the slices (confined); one summary line
 *       per session
 *   vm-report guest RESULTS.log
 *       the guest verdict from vgpu_init's serial output: every command
 *       exited 0, every IGT subtest line says SUCCESS, at least one did
 *   vm-report igt RESULTS.json EXPECTATIONS
 *       igt_runner's results against vm/igt/expectations: a table per test
 *       and subtest with IGT's reason and the dmesg lines each produced;
 *       any difference fails (an unexpected pass included)
 *   vm-report igt-compare OURS.json UPSTREAM.json
 *       which results of the upstream 6.1 guest differ from the
 *       enlightened guest's, with what IGT said on each side
 *   vm-report igt-excludes EXPECTATIONS
 *       the regexes igt_runner's --blacklist needs for the entries the
 *       expectations file says are not run
 *
 * Exit: 0 as expected, 1 when a verdict fails, 2 for unusable input (a
 * message names the file, line and field).
 */
#ifndef VM_REPORT_H
#define VM_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#define REPORT_OK	0
#define REPORT_FAIL	1
#define REPORT_BAD	2

/* Print "vm-report: error: ..." to stderr; return REPORT_BAD. */
int report_bad(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

int report_igt(const char *results, const char *expectations);
int report_igt_excludes(const char *expectations);
int report_igt_compare(const char *ours, const char *theirs);

#endif /* VM_REPORT_H */

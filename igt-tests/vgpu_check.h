/* SPDX-License-Identifier: MIT */
/*
 * vgpu_check's parts: the runner, command line and dmesg checks
 * (vgpu_check.c) and the GEM checks (vgpu_gem.c).
 */
#ifndef VGPU_CHECK_H
#define VGPU_CHECK_H

#include <stdbool.h>
#include <stdint.h>

/*
 * The uAPI header comes straight from the 6.1 tree, not through
 * headers_install: supply the two annotations that would have rewritten
 * (an undefined __packed would even declare a variable of that name).
 */
#ifndef __user
#define __user
#endif
#ifndef __packed
#define __packed __attribute__((packed))
#endif
#include <drm/i915_drm.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define KiB		1024ull
#define MiB		(1024ull * KiB)
#define PAGE_SZ		4096u
#define CARD		"/dev/dri/card0"

/* What the host told us, from the kernel command line. */
struct check_cfg {
	bool have_expect, refuse;
	uint64_t apbase, apsize, hidbase, hidsize, fences;
	uint64_t aperture, ggtt;
	char refusal[64];
	char error[256];	/* a malformed parameter fails what needs it */
};
extern struct check_cfg cfg;

enum status { ST_PASS, ST_FAIL, ST_SKIP };

/* What one subtest measured and, if it failed, why. */
struct res {
	enum status st;
	char kv[4096];
	char why[1024];
};

/* Append one key=value pair, formatted by the caller. */
void kv(struct res *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Record a failure; several are joined with "; " into the one why. */
void fail(struct res *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Fails r unless the host gave vgpu_check.expect. */
bool need_expect(struct res *r);
/* ioctl as libdrm's drmIoctl: restart when interrupted. */
int xioctl(int fd, unsigned long req, void *arg);
/* open(CARD), failing r with the reason. */
int open_card(struct res *r);

/* vgpu_gem.c */
/* A GTT fault the driver cannot serve (SIGBUS) fails the subtest instead. */
void gem_catch_sigbus(void);
void t_aperture(struct res *r);
void t_fences(struct res *r);
void t_mmap_gtt(struct res *r);
void t_tiling_fences(struct res *r);

/* vgpu_exec.c */
void t_exec_store(struct res *r);
void t_exec_refused(struct res *r);
void t_exec_spinner(struct res *r);
void t_exec_blit(struct res *r);

#endif /* VGPU_CHECK_H */

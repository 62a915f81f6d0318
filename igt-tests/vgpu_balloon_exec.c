// SPDX-License-Identifier: MIT
/*
 * vgpu_balloon's subtests that need the GPU to execute: they skip, with
 * IGT's reason, when the guest's GT is wedged (execbuf fails with -EIO,
 * as igt_require_gem finds it).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <i915_drm.h>
#include <xf86drm.h>

#include "vgpu_balloon.h"

/* gen8+ MI commands (PRM vol 2a), opcode << 23 | length - 2 */
#define MI_NOOP			0u
#define MI_ARB_CHECK		(0x05u << 23)
#define MI_BATCH_BUFFER_END	(0x0au << 23)
#define MI_BATCH_BUFFER_START	((0x31u << 23) | (1u << 8) | 1)	/* PPGTT */

#define ENGINE_INFO	"/sys/kernel/debug/dri/0/i915_engine_info"
#define WAIT_NS		(20ll * 1000 * 1000 * 1000)

static void exec(drm_intel_bo *batch, uint64_t used, unsigned int flags)
{
	int ret = drm_intel_bo_mrb_exec(batch, (int)used, NULL, 0, 0,
					I915_EXEC_RENDER | flags);

	vgpu_require(ret != -EIO, "execbuf: -EIO: the GT is wedged (the modelled "
		     "GPU executes nothing yet)");
	vgpu_assert(!ret, "execbuf of %#" PRIx64 " bytes (flags %#x): %s", used,
		    flags, strerror(-ret));
}

static void wait_idle(drm_intel_bo *bo, const char *what)
{
	int ret = drm_intel_gem_bo_wait(bo, WAIT_NS);

	vgpu_assert(!ret, "%s did not complete in %lld s: %s", what,
		    WAIT_NS / 1000000000, strerror(-ret));
}

/*
 * Skip unless a trivial batch runs to completion. Like IGT's
 * igt_require_gem, ask GEM_THROTTLE first: -EIO is a terminally wedged GT
 * (a GT wedged at probe has no engines either, so execbuf would only say
 * -EINVAL).
 */
static void require_execution(void)
{
	const uint32_t cmds[2] = { MI_BATCH_BUFFER_END, MI_NOOP };
	int err = drmIoctl(balloon_fd, DRM_IOCTL_I915_GEM_THROTTLE, NULL) ? errno : 0;
	drm_intel_bo *bo;

	vgpu_require(err != EIO, "GEM_THROTTLE: -EIO: the GT is wedged (the modelled "
		     "GPU executes nothing yet)");
	vgpu_assert(!err, "GEM_THROTTLE: %s", strerror(err));
	bo = balloon_bo("probe", 4096);

	vgpu_assert(!drm_intel_bo_subdata(bo, 0, sizeof(cmds), cmds), "pwrite: %s",
		    strerror(errno));
	exec(bo, sizeof(cmds), 0);
	wait_idle(bo, "a trivial batch");
}

static char *read_file(const char *path)
{
	size_t len = 0, cap = 64 * KiB;
	char *buf = malloc(cap);
	ssize_t n;
	int fd;

	vgpu_assert(buf, "malloc: %s", strerror(errno));
	vgpu_at_end(free, buf);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	vgpu_assert(fd >= 0, "open(%s): %s", path, strerror(errno));
	while ((n = read(fd, buf + len, cap - len - 1)) > 0) {
		len += (size_t)n;
		if (len + 1 == cap)
			break;	/* the first 64 KiB hold every engine */
	}
	close(fd);
	vgpu_assert(n >= 0, "read(%s): %s", path, strerror(errno));
	buf[len] = '\0';
	return buf;
}

/* Every "start:" and "hwsp:" value of the engine dump: GGTT addresses. */
static unsigned int check_engine_addresses(const struct vgpu_expect *e,
					   const char *dump)
{
	static const char *const keys[] = { "start:", "hwsp:" };
	unsigned int found = 0;

	for (size_t k = 0; k < ARRAY_SIZE(keys); k++) {
		for (const char *p = dump; (p = strstr(p, keys[k])); p++) {
			char *end;
			uint64_t addr = strtoull(p + strlen(keys[k]), &end, 16);

			if (end == p + strlen(keys[k]))
				continue;
			found++;
			vgpu_info("%s%#" PRIx64, keys[k], addr);
			vgpu_check(vgpu_in_slices(e, addr, 4096),
				   "i915_engine_info: %s%#" PRIx64 " is outside the slices "
				   "[%#" PRIx64 ", +%#" PRIx64 ") and [%#" PRIx64 ", +%#" PRIx64 ")",
				   keys[k], addr, e->apbase, e->apsize, e->hidbase, e->hidsize);
		}
	}
	return found;
}

void balloon_ggtt_addresses(void)
{
	const struct vgpu_expect *e = vgpu_require_slices();
	uint32_t spin[4] = { MI_ARB_CHECK, MI_BATCH_BUFFER_START, 0, 0 };
	const uint32_t end = MI_BATCH_BUFFER_END;
	drm_intel_bo *bo;
	unsigned int found;
	char *dump;
	int ret;

	require_execution();
	/* A batch that jumps to itself until its first dword says stop. */
	bo = balloon_bo("spin", 4096);
	spin[2] = (uint32_t)bo->offset64;
	spin[3] = (uint32_t)(bo->offset64 >> 32);
	vgpu_assert(!drm_intel_bo_subdata(bo, 0, sizeof(spin), spin), "pwrite: %s",
		    strerror(errno));
	ret = drm_intel_bo_emit_reloc(bo, 8, bo, 0, I915_GEM_DOMAIN_COMMAND, 0);
	vgpu_assert(!ret, "emit_reloc: %s", strerror(-ret));
	exec(bo, sizeof(spin), 0);

	dump = read_file(ENGINE_INFO);
	found = check_engine_addresses(e, dump);

	/* Stop it without waiting for it (pwrite would): through the GTT. */
	ret = drm_intel_gem_bo_map_unsynchronized(bo);
	vgpu_assert(!ret, "map_unsynchronized: %s", strerror(-ret));
	*(volatile uint32_t *)bo->virtual = end;
	wait_idle(bo, "the spinning batch, told to stop,");
	vgpu_check(found, "no GGTT address in %s with a request in flight", ENGINE_INFO);
}

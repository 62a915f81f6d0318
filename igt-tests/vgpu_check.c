// SPDX-License-Identifier: MIT
/**
 * TEST: vgpu check
 * Category: Core
 * Mega feature: General Core features
 * Sub-category: Virtualization
 * Functionality: vGPU probe
 * Feature: vgpu
 * Description: How the guest's i915 came up on the host's vGPU, from its
 *   log and sysfs: bound with an MSI, a refused vGPU unwound cleanly, and
 *   a kernel log free of warnings and leaks. The ballooning checks a GEM
 *   user sees are vgpu_balloon's.
 *
 * SUBTEST: detect
 * Description: The driver logged the vGPU (our format names id, PVINFO
 *   version and caps; upstream's is accepted) and the function at 00:02.0
 *   is bound to i915 with an MSI interrupt: the capability the host
 *   advertises works through vfio-user (i915 would fall back to INTx
 *   silently) (G-1).
 *
 * SUBTEST: refused
 * Description: On a host publishing a malformed PVINFO page the driver
 *   refused the vGPU: an error line naming the field (vgpu.refusal= on the
 *   command line), no slice accepted, no DRM device (G-5, G-6, G-7).
 *
 * SUBTEST: dmesg-clean
 * Description: No WARN, BUG, oops, lockdep or KASAN report in the kernel
 *   log, and kmemleak finds no leak after a scan. Run it last (G-6).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/magic.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#include "vgpu_guest.h"
#include "vgpu_igt.h"

#define DEBUGFS		"/sys/kernel/debug"
#define KMEMLEAK	DEBUGFS "/kmemleak"
#define DETECT_STR	"Virtual GPU for Intel GVT-g detected"
#define VGPU_SYSFS	"/sys/bus/pci/devices/0000:00:02.0"

static void check_binding(void)
{
	char link[256];
	ssize_t n = readlink(VGPU_SYSFS "/driver", link, sizeof(link) - 1);
	const char *drv;
	struct dirent *de;
	int msi = 0;
	DIR *dir;

	vgpu_assert(n >= 0, "readlink(%s/driver): %s", VGPU_SYSFS, strerror(errno));
	link[n] = '\0';
	drv = strrchr(link, '/') ? strrchr(link, '/') + 1 : link;
	vgpu_info("00:02.0 bound to %s", drv);
	vgpu_check(!strcmp(drv, "i915"), "00:02.0 is bound to %s, not i915", drv);
	dir = opendir(VGPU_SYSFS "/msi_irqs");
	while (dir && (de = readdir(dir)))
		msi += de->d_name[0] != '.';
	if (dir)
		closedir(dir);
	vgpu_info("%d MSI interrupt(s)", msi);
	vgpu_check(msi, "00:02.0 has no MSI interrupt (%s/msi_irqs)", VGPU_SYSFS);
}

static void detect(void)
{
	char *pos = vgpu_dmesg(), *line, *p = NULL;
	unsigned int id, maj, min, caps;
	int level;

	while (!p && (line = vgpu_next_line(&pos, &level)))
		p = strstr(line, DETECT_STR);
	vgpu_check(p, "no '" DETECT_STR "' line in dmesg");
	if (p && sscanf(p, DETECT_STR ": vGPU %u, PVINFO %u.%u, caps %x",
			&id, &maj, &min, &caps) == 4)
		vgpu_info("our driver: vGPU %u, PVINFO %u.%u, caps %#x", id, maj, min, caps);
	else if (p)
		vgpu_info("upstream's detect line");
	check_binding();
}

static void refused(void)
{
	const struct vgpu_expect *e = vgpu_expect();
	char *pos = vgpu_dmesg(), *line;
	bool detected = false, accepted = false, refusal = false;
	struct stat sb;
	int level;

	vgpu_assert(!e->error[0], "%s", e->error);
	vgpu_require(e->refusal[0], "no vgpu.refusal=WORD on the kernel command line: "
		     "the host published a valid page");
	while ((line = vgpu_next_line(&pos, &level))) {
		/*
		 * Our driver logs the detect line before it validates the
		 * fence quota and the slices, so a refused vGPU may still
		 * show it: acceptance is the slice (or upstream's balloon)
		 * line, only logged once everything was validated.
		 */
		detected |= !!strstr(line, DETECT_STR);
		if (!accepted && (strstr(line, "vGPU: aperture slice [") ||
				  strstr(line, "VGT balloon successfully"))) {
			accepted = true;
			vgpu_fail("the driver accepted the vGPU: '%.200s'", line);
		}
		/* An error (level <= 3) line about the vGPU naming the word. */
		if (!refusal && level >= 0 && level <= 3 && strstr(line, "vGPU") &&
		    strstr(line, e->refusal)) {
			refusal = true;
			vgpu_info("refusal: '%.200s'", line);
		}
	}
	vgpu_info("detect line %s", detected ? "present" : "absent");
	vgpu_check(refusal, "no error line with 'vGPU' and '%s' in dmesg", e->refusal);
	if (!stat(VGPU_CARD, &sb))
		vgpu_fail("%s exists: expected the probe to fail", VGPU_CARD);
	else
		vgpu_check(errno == ENOENT, "stat(%s): %s", VGPU_CARD, strerror(errno));
}

/* A leading '^' anchors at the start of the message text. */
static const char *const bad_words[] = {
	/*
	 * WARN() and BUG reports start the line; anchored, so that notes
	 * like "Speculative Return Stack Overflow: WARNING: ..." (a CPU
	 * mitigation hint, printed on some hosts' CPUs) do not count.
	 */
	"^WARNING:", "^BUG:", "Oops", "KASAN", "kmemleak: ", "Call Trace",
	"general protection", "possible circular locking", "Kernel panic",
	"INFO: task",
};

/* kmemleak's own boot chatter is not a leak report. */
static const char *const benign[] = {
	"kmemleak: Kernel memory leak detector initialized",
	"kmemleak: Automatic memory scanning thread started",
};

static void check_kmemleak(void)
{
	char buf[4096];
	struct statfs sfs;
	ssize_t len;
	int fd;

	/* Mount debugfs only where it is not already: no stacked mounts. */
	if ((statfs(DEBUGFS, &sfs) || sfs.f_type != DEBUGFS_MAGIC) &&
	    mount("debugfs", DEBUGFS, "debugfs", 0, NULL))
		vgpu_assert(errno == EBUSY || errno == ENODEV,
			    "mount(debugfs, %s): %s", DEBUGFS, strerror(errno));
	fd = open(KMEMLEAK, O_WRONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		vgpu_info("no kmemleak in this kernel");
		return;
	}
	vgpu_assert(fd >= 0, "open(%s, O_WRONLY): %s", KMEMLEAK, strerror(errno));
	/* The scan is synchronous: the report is current once it returns. */
	len = write(fd, "scan", 4);
	close(fd);
	vgpu_assert(len == 4, "write(%s, scan): %s", KMEMLEAK,
		    len < 0 ? strerror(errno) : "short write");
	fd = open(KMEMLEAK, O_RDONLY | O_CLOEXEC);
	vgpu_assert(fd >= 0, "open(%s, O_RDONLY): %s", KMEMLEAK, strerror(errno));
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	vgpu_assert(len >= 0, "read(%s): %s", KMEMLEAK, strerror(errno));
	buf[len] = '\0';
	vgpu_info("kmemleak: %s", len ? "leaks" : "clean");
	vgpu_check(!len, "kmemleak reports leaks: '%.300s'", buf);
}

static const char *offending(const char *line)
{
	size_t i, j;

	for (j = 0; j < ARRAY_SIZE(benign); j++)
		if (strstr(line, benign[j]))
			return NULL;
	for (i = 0; i < ARRAY_SIZE(bad_words); i++) {
		const char *w = bad_words[i];

		if (*w == '^' ? !strncmp(line, w + 1, strlen(w + 1)) :
				!!strstr(line, w))
			return *w == '^' ? w + 1 : w;
	}
	return NULL;
}

static void dmesg_clean(void)
{
	unsigned int bad = 0, lines = 0;
	char *pos, *line;
	const char *w;
	int level;

	/* Scan first: a leak found now is also logged and caught below. */
	check_kmemleak();
	for (pos = vgpu_dmesg(); (line = vgpu_next_line(&pos, &level)); lines++) {
		if (!(w = offending(line)) || bad++)
			continue;
		vgpu_fail("dmesg has '%s': '%.200s'", w, line);
	}
	vgpu_info("%u lines, %u offending", lines, bad);
}

static const struct vgpu_subtest subtests[] = {
	{ "detect",		"G-1",		detect },
	{ "refused",		"G-5 G-6 G-7",	refused },
	{ "dmesg-clean",	"G-6",		dmesg_clean },
};

int main(int argc, char **argv)
{
	return vgpu_igt_main(argc, argv, subtests, ARRAY_SIZE(subtests), NULL);
}

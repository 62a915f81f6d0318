// SPDX-License-Identifier: MIT
/*
 * vgpu_check - in-guest checker of the i915 vGPU (GVT-g PV) bring-up.
 *
 * Compares what the guest driver did (dmesg, GEM uAPI) with what the host
 * published: GEM objects, GTT mmaps through the aperture BAR, tiling and
 * fences, queries, and batches the vGPU executes (vgpu_exec.c).
 *
 * It speaks IGT's test-binary protocol so igt_runner can drive it, and adds
 * one "VGPU-RESULT <name> <pass|fail|skip> key=value..." line per subtest
 * for the host, which reads the console and cannot parse free text.
 * Expectations come from the kernel command line, written by the host:
 *   vgpu_check.expect=APBASE,APSIZE,HIDBASE,HIDSIZE,FENCES
 *   vgpu_check.aperture=BYTES vgpu_check.ggtt=BYTES
 *   vgpu_check.mode=normal|refuse vgpu_check.refusal=WORD
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/magic.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#include "vgpu_check.h"

#define DEBUGFS		"/sys/kernel/debug"
#define KMEMLEAK	DEBUGFS "/kmemleak"
#define DETECT_STR	"Virtual GPU for Intel GVT-g detected"
#define MAX_RANGES	16

/* syslog(2) actions, from the kernel's include/linux/syslog.h */
#define SYSLOG_ACTION_READ_ALL		3
#define SYSLOG_ACTION_SIZE_BUFFER	10

/* IGT's exit codes */
#define IGT_EXIT_SUCCESS	0
#define IGT_EXIT_SKIP		77
#define IGT_EXIT_INVALID	79
#define IGT_EXIT_FAILURE	98

struct check_cfg cfg = {
	.aperture = 256 * MiB,
	.ggtt = 4096 * MiB,
};

struct range {
	uint64_t start, end;	/* [start, end) */
};

static void vappend(char *buf, size_t size, const char *sep,
		    const char *fmt, va_list ap)
{
	size_t len = strlen(buf);

	if (len && len + 1 < size)
		len += snprintf(buf + len, size - len, "%s", sep);
	if (len + 1 < size)
		vsnprintf(buf + len, size - len, fmt, ap);
}

void kv(struct res *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vappend(r->kv, sizeof(r->kv), " ", fmt, ap);
	va_end(ap);
}

void fail(struct res *r, const char *fmt, ...)
{
	va_list ap;

	r->st = ST_FAIL;
	va_start(ap, fmt);
	vappend(r->why, sizeof(r->why), "; ", fmt, ap);
	va_end(ap);
	va_start(ap, fmt);
	fputs("vgpu_check: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/*
 * The host splits result lines on spaces and double quotes: free text
 * (dmesg lines) loses quotes, backslashes and control characters, and is
 * cut at @max characters.
 */
static const char *sanitize(char *dst, size_t size, const char *src, size_t max)
{
	size_t i;

	for (i = 0; i + 1 < size && i < max && src[i]; i++) {
		unsigned char c = src[i];

		dst[i] = (c == '"' || c == '\\' || c < 0x20 || c == 0x7f) ?
			 '\'' : c;
	}
	dst[i] = '\0';
	return dst;
}

bool need_expect(struct res *r)
{
	if (cfg.error[0])
		fail(r, "%s", cfg.error);
	else if (!cfg.have_expect)
		fail(r, "no vgpu_check.expect on the kernel command line");
	return r->st != ST_FAIL;
}

/* strtoull with base 0 over exactly [s, end): 0x.. hex works. */
static int parse_u64(const char *s, const char *end, uint64_t *out)
{
	char *e;

	if (s == end || *s == '-')
		return -1;
	errno = 0;
	*out = strtoull(s, &e, 0);
	return (errno || e != end) ? -1 : 0;
}

static void parse_param(const char *tok)
{
	const char *val = strchr(tok, '='), *end = tok + strlen(tok), *p;
	uint64_t *v[] = { &cfg.apbase, &cfg.apsize, &cfg.hidbase,
			  &cfg.hidsize, &cfg.fences };
	size_t klen;
	int i;

	if (!val || strncmp(tok, "vgpu_check.", 11))
		return;
	klen = val++ - tok;
#define IS(key) (klen == sizeof(key) - 1 && !strncmp(tok, key, klen))
	if (IS("vgpu_check.expect")) {
		for (i = 0, p = val; i < 5; i++, p++) {
			const char *c = i < 4 ? memchr(p, ',', end - p) : end;

			if (!c || parse_u64(p, c, v[i]))
				break;
			p = c;
		}
		cfg.have_expect = i == 5;
	} else if (IS("vgpu_check.aperture")) {
		i = parse_u64(val, end, &cfg.aperture) ? 0 : 5;
	} else if (IS("vgpu_check.ggtt")) {
		i = parse_u64(val, end, &cfg.ggtt) ? 0 : 5;
	} else if (IS("vgpu_check.mode")) {
		cfg.refuse = !strcmp(val, "refuse");
		i = (cfg.refuse || !strcmp(val, "normal")) ? 5 : 0;
	} else if (IS("vgpu_check.refusal")) {
		snprintf(cfg.refusal, sizeof(cfg.refusal), "%s", val);
		i = 5;
	} else {
		i = 0;	/* a misspelt key must not pass unnoticed */
	}
#undef IS
	if (i != 5)
		snprintf(cfg.error, sizeof(cfg.error),
			 "malformed kernel parameter %.100s", tok);
}

/* A missing /proc/cmdline (odd sandbox) just means the defaults. */
static void read_cmdline(void)
{
	char buf[4096], *tok, *save;
	FILE *f = fopen("/proc/cmdline", "r");

	if (!f)
		return;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	for (tok = strtok_r(buf, " \t\n", &save); tok;
	     tok = strtok_r(NULL, " \t\n", &save))
		parse_param(tok);
}

/* The whole kernel log, NUL terminated: each subtest reads a fresh copy. */
static char *read_dmesg(struct res *r)
{
	int size = klogctl(SYSLOG_ACTION_SIZE_BUFFER, NULL, 0), len;
	char *buf;

	if (size <= 0) {
		fail(r, "klogctl(SYSLOG_ACTION_SIZE_BUFFER): %s",
		     size < 0 ? strerror(errno) : "empty log buffer");
		return NULL;
	}
	buf = malloc((size_t)size + 1);
	if (!buf) {
		fail(r, "malloc(%d): %s", size + 1, strerror(errno));
		return NULL;
	}
	len = klogctl(SYSLOG_ACTION_READ_ALL, buf, size);
	if (len < 0) {
		fail(r, "klogctl(SYSLOG_ACTION_READ_ALL): %s", strerror(errno));
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	return buf;
}

/*
 * Split off the next line in place. *level gets the syslog level of the
 * "<N>" prefix klogctl keeps (-1 without one); the text returned has that
 * prefix and the "[ time] " stamp removed.
 */
static char *next_line(char **pos, int *level)
{
	char *line = *pos, *p = line, *e;

	if (!*line)
		return NULL;
	e = strchr(line, '\n');
	*pos = e ? e + 1 : line + strlen(line);
	if (e)
		*e = '\0';
	*level = -1;
	if (*p == '<') {
		long prio = strtol(p + 1, &e, 10);

		if (*e == '>') {
			*level = (int)(prio & 7);
			p = e + 1;
		}
	}
	if (*p == '[' && (e = strchr(p, ']')))
		p = e + (e[1] == ' ' ? 2 : 1);
	return p;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int xioctl(int fd, unsigned long req, void *arg)
{
	int ret;

	do {
		ret = ioctl(fd, req, arg);
	} while (ret == -1 && (errno == EINTR || errno == EAGAIN));
	return ret;
}

int open_card(struct res *r)
{
	int fd = open(CARD, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		fail(r, "open(%s): %s", CARD, strerror(errno));
	return fd;
}

/* ---- dmesg: detect, balloon-layout ------------------------------------- */

#define VGPU_SYSFS	"/sys/bus/pci/devices/0000:00:02.0"

/*
 * The vGPU function is bound to i915 and its interrupt is an MSI: the MSI
 * capability the host advertises works through vfio-user (i915 would fall
 * back to INTx silently).
 */
static void check_binding(struct res *r)
{
	char link[256];
	ssize_t n = readlink(VGPU_SYSFS "/driver", link, sizeof(link) - 1);
	const char *drv;
	struct dirent *de;
	int msi = 0;
	DIR *dir;

	if (n < 0) {
		fail(r, "readlink(%s/driver): %s", VGPU_SYSFS, strerror(errno));
		return;
	}
	link[n] = '\0';
	drv = strrchr(link, '/') ? strrchr(link, '/') + 1 : link;
	kv(r, "driver=%s", drv);
	if (strcmp(drv, "i915"))
		fail(r, "00:02.0 is bound to %s, not i915", drv);
	dir = opendir(VGPU_SYSFS "/msi_irqs");
	while (dir && (de = readdir(dir)))
		msi += de->d_name[0] != '.';
	if (dir)
		closedir(dir);
	kv(r, "msi_irqs=%d", msi);
	if (!msi)
		fail(r, "00:02.0 has no MSI interrupt (%s/msi_irqs)", VGPU_SYSFS);
}

static void t_detect(struct res *r)
{
	char *log = read_dmesg(r), *pos = log, *line, *p = NULL;
	unsigned int id, maj, min, caps;
	int level;

	if (!log)
		return;
	while (!p && (line = next_line(&pos, &level)))
		p = strstr(line, DETECT_STR);
	if (!p)
		fail(r, "no '" DETECT_STR "' line in dmesg");
	else if (sscanf(p, DETECT_STR ": vGPU %u, PVINFO %u.%u, caps %x",
			&id, &maj, &min, &caps) == 4)
		kv(r, "format=ours vgpu=%u pvinfo=%u.%u caps=%#x",
		   id, maj, min, caps);
	else
		kv(r, "format=upstream");
	free(log);
	check_binding(r);
}

static bool has_range(const struct range *rs, int n, struct range x)
{
	for (int i = 0; i < n; i++)
		if (rs[i].start == x.start && rs[i].end == x.end)
			return true;
	return false;
}

static void check_slice(struct res *r, const char *key, const char *name,
			bool have, uint64_t base, uint64_t size,
			uint64_t ebase, uint64_t esize)
{
	if (!have) {
		fail(r, "no %s slice line in dmesg", name);
		return;
	}
	kv(r, "%sbase=%#" PRIx64 " %ssize=%#" PRIx64, key, base, key, size);
	if (base != ebase || size != esize)
		fail(r, "%s slice: expected base %#" PRIx64 " size %#" PRIx64
		     ", got base %#" PRIx64 " size %#" PRIx64,
		     name, ebase, esize, base, size);
}

static void t_balloon_layout(struct res *r)
{
	struct range want[4], got[MAX_RANGES];
	uint64_t edges[4][2] = {
		{ 0, cfg.apbase },
		{ cfg.apbase + cfg.apsize, cfg.aperture },
		{ cfg.aperture, cfg.hidbase },
		{ cfg.hidbase + cfg.hidsize, cfg.ggtt },
	};
	unsigned long long a, b, c, d, kib, ap[2] = { 0 }, hid[2] = { 0 };
	bool have_ap = false, have_hid = false, have_fences = false;
	int nwant = 0, ngot = 0, level, i;
	char *log, *pos, *line, *p;
	unsigned int fences = 0;

	if (!need_expect(r) || !(log = read_dmesg(r)))
		return;
	for (pos = log; (line = next_line(&pos, &level));) {
		/* ours: both slices as [base, end) and the fence count */
		if ((p = strstr(line, "vGPU: aperture slice [")) &&
		    sscanf(p, "vGPU: aperture slice [%llx, %llx), hidden slice [%llx, %llx), %u fences",
			   &a, &b, &c, &d, &fences) == 5) {
			ap[0] = a, ap[1] = b - a, hid[0] = c, hid[1] = d - c;
			have_ap = have_hid = have_fences = true;
		} else if ((p = strstr(line, "vGPU: ballooned GGTT [")) &&
			   sscanf(p, "vGPU: ballooned GGTT [%llx, %llx)", &a, &b) == 2) {
			if (ngot < MAX_RANGES)
				got[ngot++] = (struct range){ a, b };
		/* upstream: base, and size in KiB */
		} else if ((p = strstr(line, "Mappable graphic memory: base ")) &&
			   sscanf(p, "Mappable graphic memory: base %llx size %lluKiB",
				  &a, &kib) == 2) {
			ap[0] = a, ap[1] = kib * KiB, have_ap = true;
		} else if ((p = strstr(line, "Unmappable graphic memory: base ")) &&
			   sscanf(p, "Unmappable graphic memory: base %llx size %lluKiB",
				  &a, &kib) == 2) {
			hid[0] = a, hid[1] = kib * KiB, have_hid = true;
		} else if ((p = strstr(line, "balloon space: range [")) &&
			   (p == line || p[-1] == ' ') &&
			   sscanf(p, "balloon space: range [ %llx - %llx ]", &a, &b) == 2) {
			/*
			 * vgt_balloon_space() logs size = end - start, so its
			 * end is exclusive too. p[-1] keeps "deballoon" out.
			 */
			if (ngot < MAX_RANGES)
				got[ngot++] = (struct range){ a, b };
		}
	}
	free(log);

	check_slice(r, "ap", "aperture", have_ap, ap[0], ap[1],
		    cfg.apbase, cfg.apsize);
	check_slice(r, "hid", "hidden", have_hid, hid[0], hid[1],
		    cfg.hidbase, cfg.hidsize);
	if (have_fences) {
		kv(r, "fences=%u", fences);
		if (fences != cfg.fences)
			fail(r, "fences in dmesg: expected %" PRIu64 ", got %u",
			     cfg.fences, fences);
	}
	kv(r, "balloons=%d", ngot);
	for (i = 0; i < ngot; i++)
		kv(r, "balloon%d=%#" PRIx64 "-%#" PRIx64, i,
		   got[i].start, got[i].end);

	/* The driver must reserve exactly the complement of the slices. */
	for (i = 0; i < 4; i++)
		if (edges[i][0] < edges[i][1])
			want[nwant++] = (struct range){ edges[i][0], edges[i][1] };
	for (i = 0; i < nwant; i++)
		if (!has_range(got, ngot, want[i]))
			fail(r, "balloon [%#" PRIx64 ", %#" PRIx64 ") expected, not in dmesg",
			     want[i].start, want[i].end);
	for (i = 0; i < ngot; i++) {
		if (!has_range(want, nwant, got[i]))
			fail(r, "balloon [%#" PRIx64 ", %#" PRIx64 ") in dmesg, not expected",
			     got[i].start, got[i].end);
		else if (has_range(got, i, got[i]))
			fail(r, "balloon [%#" PRIx64 ", %#" PRIx64 ") logged twice",
			     got[i].start, got[i].end);
	}
}

/* ---- refused ------------------------------------------------------------ */

static void t_refused(struct res *r)
{
	char *log = read_dmesg(r), *pos = log, *line, buf[256];
	bool detect = false, accepted = false, refusal = false;
	struct stat sb;
	int level;

	if (!log)
		return;
	while ((line = next_line(&pos, &level))) {
		/*
		 * Our driver logs the detect line before it validates the
		 * fence quota and the slices, so a refused vGPU may still
		 * show it: acceptance is the slice (or upstream's balloon)
		 * line, only logged once everything was validated.
		 */
		detect |= !!strstr(line, DETECT_STR);
		if (!accepted && (strstr(line, "vGPU: aperture slice [") ||
				  strstr(line, "VGT balloon successfully"))) {
			accepted = true;
			fail(r, "the driver accepted the vGPU: '%s'",
			     sanitize(buf, sizeof(buf), line, 200));
		}
		/* An error (level <= 3) line about the vGPU naming the word. */
		if (!refusal && level >= 0 && level <= 3 && strstr(line, "vGPU") &&
		    (!cfg.refusal[0] || strstr(line, cfg.refusal))) {
			refusal = true;
			kv(r, "refusal=\"%s\"", sanitize(buf, sizeof(buf), line, 200));
		}
	}
	free(log);
	kv(r, "detect=%s", detect ? "present" : "absent");
	if (!refusal)
		fail(r, "no error line with 'vGPU'%s%s%s in dmesg",
		     cfg.refusal[0] ? " and '" : "", cfg.refusal,
		     cfg.refusal[0] ? "'" : "");
	if (!stat(CARD, &sb)) {
		kv(r, "card0=present");
		fail(r, "%s exists: expected the probe to fail", CARD);
	} else if (errno == ENOENT) {
		kv(r, "card0=absent");
	} else {
		fail(r, "stat(%s): %s", CARD, strerror(errno));
	}
}

/* ---- dmesg-clean -------------------------------------------------------- */

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
	/* The GPU executes: a GT declared wedged (at probe or later) fails. */
	"wedged",
};

/* kmemleak's own boot chatter is not a leak report. */
static const char *const benign[] = {
	"kmemleak: Kernel memory leak detector initialized",
	"kmemleak: Automatic memory scanning thread started",
};

static void check_kmemleak(struct res *r)
{
	char buf[4096], clean[256];
	struct statfs sfs;
	ssize_t len;
	int fd;

	/* Mount debugfs only where it is not already: no stacked mounts. */
	if ((statfs(DEBUGFS, &sfs) || sfs.f_type != DEBUGFS_MAGIC) &&
	    mount("debugfs", DEBUGFS, "debugfs", 0, NULL) &&
	    errno != EBUSY && errno != ENODEV) {
		fail(r, "mount(debugfs, %s): %s", DEBUGFS, strerror(errno));
		return;
	}
	fd = open(KMEMLEAK, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			kv(r, "kmemleak=absent");
		else
			fail(r, "open(%s, O_WRONLY): %s", KMEMLEAK, strerror(errno));
		return;
	}
	/* The scan is synchronous: the report is current once it returns. */
	len = write(fd, "scan", 4);
	if (len != 4)
		fail(r, "write(%s, scan): %s", KMEMLEAK,
		     len < 0 ? strerror(errno) : "short write");
	close(fd);
	if (len != 4)
		return;
	fd = open(KMEMLEAK, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fail(r, "open(%s, O_RDONLY): %s", KMEMLEAK, strerror(errno));
		return;
	}
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len < 0) {
		fail(r, "read(%s): %s", KMEMLEAK, strerror(errno));
	} else if (!len) {
		kv(r, "kmemleak=clean");
	} else {
		buf[len] = '\0';
		kv(r, "kmemleak=leaks");
		fail(r, "kmemleak reports leaks: '%s'",
		     sanitize(clean, sizeof(clean), buf, 200));
	}
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

static void t_dmesg_clean(struct res *r)
{
	unsigned int bad = 0, lines = 0;
	char *log, *pos, *line, buf[256];
	const char *w;
	int level;

	/* Scan first: a leak found now is also logged and caught below. */
	check_kmemleak(r);
	if (!(log = read_dmesg(r)))
		return;
	for (pos = log; (line = next_line(&pos, &level)); lines++) {
		if (!(w = offending(line)) || bad++)
			continue;
		fail(r, "dmesg has '%s': '%s'", w,
		     sanitize(buf, sizeof(buf), line, 200));
	}
	kv(r, "lines=%u offending=%u", lines, bad);
	free(log);
}

/* ---- runner ------------------------------------------------------------- */

enum mode { NORMAL, REFUSE, BOTH };

static const struct subtest {
	const char *name;
	enum mode mode;
	void (*fn)(struct res *r);
} subtests[] = {
	{ "detect",		NORMAL, t_detect },
	{ "balloon-layout",	NORMAL, t_balloon_layout },
	{ "aperture",		NORMAL, t_aperture },
	{ "fences",		NORMAL, t_fences },
	{ "mmap-gtt",		NORMAL, t_mmap_gtt },
	{ "tiling-fences",	NORMAL, t_tiling_fences },
	{ "exec-store",		NORMAL, t_exec_store },
	{ "exec-blit",		NORMAL, t_exec_blit },
	{ "exec-refused",	NORMAL, t_exec_refused },
	{ "exec-spinner",	NORMAL, t_exec_spinner },
	{ "refused",		REFUSE, t_refused },
	{ "dmesg-clean",	BOTH,	t_dmesg_clean },
};

static enum status run_one(const struct subtest *t)
{
	static const char *const word[] = { "pass", "fail", "skip" };
	static const char *const igt[] = { "SUCCESS", "FAIL", "SKIP" };
	static struct res res;
	struct res *r = &res;
	enum mode cur = cfg.refuse ? REFUSE : NORMAL;
	double t0 = now(), dt = 0;
	char why[sizeof(r->why)];

	memset(r, 0, sizeof(*r));
	printf("Starting subtest: %s\n", t->name);
	fflush(stdout);
	if (t->mode != BOTH && t->mode != cur) {
		r->st = ST_SKIP;
		kv(r, "mode=%s", cfg.refuse ? "refuse" : "normal");
	} else {
		t->fn(r);
		dt = now() - t0;
	}
	printf("VGPU-RESULT %s %s%s%s", t->name, word[r->st],
	       r->kv[0] ? " " : "", r->kv);
	if (r->st == ST_FAIL)
		printf(" why=\"%s\"", sanitize(why, sizeof(why), r->why,
					       sizeof(why)));
	printf("\n");
	fflush(stdout);
	printf("Subtest %s: %s (%.3fs)\n", t->name, igt[r->st], dt);
	fflush(stdout);
	return r->st;
}

int main(int argc, char **argv)
{
	unsigned int i, passed = 0, failed = 0;
	const char *only = NULL;

	if (argc == 2 && !strcmp(argv[1], "--list-subtests")) {
		for (i = 0; i < ARRAY_SIZE(subtests); i++)
			printf("%s\n", subtests[i].name);
		return IGT_EXIT_SUCCESS;
	}
	if (argc == 3 && !strcmp(argv[1], "--run-subtest")) {
		only = argv[2];
		for (i = 0; i < ARRAY_SIZE(subtests); i++)
			if (!strcmp(subtests[i].name, only))
				break;
		if (i == ARRAY_SIZE(subtests)) {
			fprintf(stderr, "Unknown subtest: %s\n", only);
			return IGT_EXIT_INVALID;
		}
	} else if (argc != 1) {
		fprintf(stderr, "usage: %s [--list-subtests | --run-subtest NAME]\n",
			argv[0]);
		return IGT_EXIT_INVALID;
	}

	gem_catch_sigbus();
	read_cmdline();
	if (cfg.error[0])
		fprintf(stderr, "vgpu_check: %s\n", cfg.error);

	for (i = 0; i < ARRAY_SIZE(subtests); i++) {
		enum status st;

		if (only && strcmp(subtests[i].name, only))
			continue;
		st = run_one(&subtests[i]);
		passed += st == ST_PASS;
		failed += st == ST_FAIL;
	}
	if (failed)
		return IGT_EXIT_FAILURE;
	return passed ? IGT_EXIT_SUCCESS : IGT_EXIT_SKIP;
}

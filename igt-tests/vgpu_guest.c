// SPDX-License-Identifier: MIT
/*
 * The guest tests' shared pieces (vgpu_guest.h): kernel command line
 * expectations, the kernel log through klogctl, the i915 device node.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <unistd.h>

#include <xf86drm.h>

#include "vgpu_guest.h"
#include "vgpu_igt.h"

/* syslog(2) actions, from the kernel's include/linux/syslog.h */
#define SYSLOG_ACTION_READ_ALL		3
#define SYSLOG_ACTION_SIZE_BUFFER	10

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

static void parse_param(struct vgpu_expect *x, const char *tok)
{
	const char *val = strchr(tok, '='), *end = tok + strlen(tok), *p;
	uint64_t *v[] = { &x->apbase, &x->apsize, &x->hidbase, &x->hidsize,
			  &x->fences };
	bool ok = false;
	size_t klen;
	int i;

	if (!val || strncmp(tok, "vgpu.", 5))
		return;
	klen = val++ - tok;
#define IS(key) (klen == sizeof(key) - 1 && !strncmp(tok, key, klen))
	if (IS("vgpu.expect")) {
		for (i = 0, p = val; i < 5; i++, p++) {
			const char *c = i < 4 ? memchr(p, ',', end - p) : end;

			if (!c || parse_u64(p, c, v[i]))
				break;
			p = c;
		}
		ok = x->have_slices = i == 5;
	} else if (IS("vgpu.aperture")) {
		ok = !parse_u64(val, end, &x->aperture);
	} else if (IS("vgpu.ggtt")) {
		ok = !parse_u64(val, end, &x->ggtt);
	} else if (IS("vgpu.refusal")) {
		ok = strlen(val) < sizeof(x->refusal);
		if (ok)
			memcpy(x->refusal, val, strlen(val) + 1);
	} else if (IS("vgpu.host_steps")) {
		ok = strlen(val) < sizeof(x->host_steps);
		if (ok)
			memcpy(x->host_steps, val, strlen(val) + 1);
	}
#undef IS
	/* A misspelt key must not pass unnoticed. */
	if (!ok)
		snprintf(x->error, sizeof(x->error),
			 "malformed kernel parameter '%.200s'", tok);
}

const struct vgpu_expect *vgpu_expect(void)
{
	static struct vgpu_expect x = { .aperture = 256 * MiB, .ggtt = 4096 * MiB };
	static bool done;
	char buf[4096], *tok, *save;
	FILE *f;

	if (done)
		return &x;
	done = true;
	f = fopen("/proc/cmdline", "r");
	if (!f)
		return &x;	/* an odd sandbox: the defaults, no slices */
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	for (tok = strtok_r(buf, " \t\n", &save); tok;
	     tok = strtok_r(NULL, " \t\n", &save))
		parse_param(&x, tok);
	return &x;
}

const struct vgpu_expect *vgpu_require_slices(void)
{
	const struct vgpu_expect *x = vgpu_expect();

	vgpu_assert(!x->error[0], "%s", x->error);
	vgpu_require(x->have_slices,
		     "no vgpu.expect=APBASE,APSIZE,HIDBASE,HIDSIZE,FENCES on the kernel "
		     "command line: the host's published slices are unknown");
	return x;
}

bool vgpu_host_offers(const char *step)
{
	const char *p = vgpu_expect()->host_steps;
	size_t n = strlen(step);

	for (; *p; p += strcspn(p, ","), p += *p == ',')
		if (!strncmp(p, step, n) && (p[n] == ',' || !p[n]))
			return true;
	return false;
}

bool vgpu_in_slices(const struct vgpu_expect *e, uint64_t addr, uint64_t len)
{
	uint64_t last = addr + len - 1;

	if (!len || last < addr)
		return false;
	return (addr >= e->apbase && last < e->apbase + e->apsize) ||
	       (addr >= e->hidbase && last < e->hidbase + e->hidsize);
}

char *vgpu_dmesg(void)
{
	int size = klogctl(SYSLOG_ACTION_SIZE_BUFFER, NULL, 0), len;
	char *buf;

	vgpu_assert(size > 0, "klogctl(SYSLOG_ACTION_SIZE_BUFFER): %s",
		    size < 0 ? strerror(errno) : "empty log buffer");
	buf = malloc((size_t)size + 1);
	vgpu_assert(buf, "malloc(%d): %s", size + 1, strerror(errno));
	vgpu_at_end(free, buf);
	len = klogctl(SYSLOG_ACTION_READ_ALL, buf, size);
	vgpu_assert(len >= 0, "klogctl(SYSLOG_ACTION_READ_ALL): %s", strerror(errno));
	buf[len] = '\0';
	return buf;
}

char *vgpu_next_line(char **pos, int *level)
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

static void close_fd(void *p)
{
	close((int)(intptr_t)p);
}

int vgpu_open_i915(void)
{
	int fd = open(VGPU_CARD, O_RDWR | O_CLOEXEC);
	drmVersionPtr ver;
	bool i915;

	vgpu_require(fd >= 0, "open(%s): %s", VGPU_CARD, strerror(errno));
	vgpu_at_end(close_fd, (void *)(intptr_t)fd);
	ver = drmGetVersion(fd);
	vgpu_assert(ver, "drmGetVersion(%s): %s", VGPU_CARD, strerror(errno));
	i915 = !strcmp(ver->name, "i915");
	vgpu_info("%s: driver %s %d.%d.%d", VGPU_CARD, ver->name,
		  ver->version_major, ver->version_minor, ver->version_patchlevel);
	drmFreeVersion(ver);
	vgpu_require(i915, "%s is not driven by i915", VGPU_CARD);
	return fd;
}

unsigned long long vgpu_pci_device_id(void)
{
	unsigned long long id = 0;
	FILE *f = fopen("/sys/bus/pci/devices/0000:00:02.0/device", "r");

	if (f) {
		if (fscanf(f, "%llx", &id) != 1)
			id = 0;
		fclose(f);
	}
	return id;
}

uint64_t vgpu_mem_available(void)
{
	unsigned long long kb = 0;
	char line[128];
	FILE *f = fopen("/proc/meminfo", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %llu kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb * KiB;
}

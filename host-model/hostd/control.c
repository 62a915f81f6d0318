// SPDX-License-Identifier: MIT
/*
 * vgt-hostd's control socket (control.h): parse a command line, call
 * libvgt (vgt_vgpu_pv11_status, vgt_vgpu_reslice, vgt_vgpu_reslice_wait),
 * answer one line. The serving thread handles one client at a time and
 * one line at a time; libvgt's own locking makes the calls safe beside the
 * vGPUs' serving threads. A line longer than the buffer, or a client that
 * sends nothing for CLIENT_IDLE_MS, is dropped.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "control.h"
#include "sock_own.h"
#include "vgpu_dev.h"

#define LINE_MAX_BYTES 1024
#define REPLY_BYTES 1024
#define DEFAULT_WAIT_MS 2000
#define MAX_WAIT_MS 60000
#define CLIENT_IDLE_MS 10000

struct hostd_control {
	char path[108];
	int fd, stop[2];
	struct sock_id id;
	pthread_t thread;
	struct vgt_vgpu *const *vgpus;
	unsigned int n;
};

static struct vgt_vgpu *find(struct vgt_vgpu *const *vgpus, unsigned int n, const char *name)
{
	const char *digits = strncmp(name, "vgpu", 4) ? name : name + 4;
	uint64_t id;
	const char *end = vgt_parse_decimal(digits, ~0u, &id);
	unsigned int i;

	if (!end || *end)
		return NULL;
	for (i = 0; i < n; i++) {
		struct vgt_slices s;

		if (!vgpus[i])
			continue;
		vgt_vgpu_slices(vgpus[i], &s);
		if (s.id == id)
			return vgpus[i];
	}
	return NULL;
}

/* "BASE:SIZE,..." of one class, appended to buf. */
static int ranges_text(char *buf, size_t len, const struct vgt_slice_ranges *r,
		       enum vgt_gm_class c)
{
	int n = 0;
	unsigned int i;

	for (i = 0; i < r->nr[c] && n < (int)len; i++)
		n += snprintf(buf + n, len - n, "%s%#llx:%#llx", i ? "," : "",
			      (unsigned long long)r->r[c][i].base,
			      (unsigned long long)r->r[c][i].size);
	return n;
}

static void status(struct vgt_vgpu *v, const char *name, char *reply, size_t len)
{
	struct vgt_pv11_status st;
	struct vgt_slices s;
	int n;

	vgt_vgpu_pv11_status(v, &st);
	vgt_vgpu_slices(v, &s);
	n = snprintf(reply, len, "ok %s pvinfo=%s features=%#x enabled=%#x area=%#llx pages=%u "
		     "gen=%u reslice=%s", name, st.pv11 ? "1.1" : "1.0", st.features, st.enabled,
		     (unsigned long long)st.area_gpa, st.area_pages, st.slices_gen,
		     vgt_reslice_state_name(st.reslice));
	if (st.reslice != VGT_RESLICE_NONE && n < (int)len)
		n += snprintf(reply + n, len - n, " reslice-gen=%u result=%d", st.reslice_gen,
			      st.reslice_result);
	if (n < (int)len)
		n += snprintf(reply + n, len - n, " aperture=");
	if (n < (int)len)
		n += ranges_text(reply + n, len - n, &s.ranges, VGT_GM_APERTURE);
	if (n < (int)len)
		n += snprintf(reply + n, len - n, " hidden=");
	if (n < (int)len)
		ranges_text(reply + n, len - n, &s.ranges, VGT_GM_HIDDEN);
}

static void reslice(struct vgt_vgpu *v, const char *name, char *args, char *reply, size_t len)
{
	uint64_t wait = DEFAULT_WAIT_MS;
	struct vgt_pv11_status st;
	struct vgt_slice_ranges to;
	struct vgt_slices s;
	char msg[256], *save = NULL, *w;
	int err;

	vgt_vgpu_slices(v, &s);
	to = s.ranges;
	for (w = strtok_r(args, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
		const char *end;

		if (!strncmp(w, "aperture=", 9) || !strncmp(w, "hidden=", 7)) {
			enum vgt_gm_class c = w[0] == 'a' ? VGT_GM_APERTURE : VGT_GM_HIDDEN;

			if (vgt_slice_ranges_parse(strchr(w, '=') + 1, c, &to, msg, sizeof(msg))) {
				snprintf(reply, len, "error %s reslice: %s", name, msg);
				return;
			}
		} else if (!strncmp(w, "wait=", 5)) {
			end = vgt_parse_decimal(w + 5, MAX_WAIT_MS, &wait);
			if (!end || *end) {
				snprintf(reply, len, "error %s reslice: wait '%s' is not 0..%u ms",
					 name, w + 5, MAX_WAIT_MS);
				return;
			}
		} else {
			snprintf(reply, len, "error %s reslice: unknown argument '%s'", name, w);
			return;
		}
	}
	err = vgt_vgpu_reslice(v, &to, msg, sizeof(msg));
	if (err) {
		snprintf(reply, len, "error %s reslice %d: %s", name, err, msg);
		return;
	}
	err = vgt_vgpu_reslice_wait(v, (unsigned int)wait, &st);
	if (err == -ETIMEDOUT)
		snprintf(reply, len, "pending %s reslice gen=%u", name, st.reslice_gen);
	else if (st.reslice == VGT_RESLICE_ACCEPTED)
		snprintf(reply, len, "ok %s reslice accepted gen=%u", name, st.reslice_gen);
	else
		snprintf(reply, len, "refused %s reslice %s gen=%u result=%d", name,
			 vgt_reslice_state_name(st.reslice), st.reslice_gen, st.reslice_result);
}

void control_command(struct vgt_vgpu *const *vgpus, unsigned int n, const char *line,
		     char *reply, size_t len)
{
	char buf[LINE_MAX_BYTES], vname[16], *save = NULL, *cmd, *name, *rest;
	struct vgt_vgpu *v;

	snprintf(buf, sizeof(buf), "%s", line);
	cmd = strtok_r(buf, " \t", &save);
	if (!cmd) {
		snprintf(reply, len, "error empty command (try 'help')");
		return;
	}
	if (!strcmp(cmd, "help")) {
		snprintf(reply, len, "ok commands: status VGPU | reslice VGPU [aperture=BASE:SIZE[,...]] "
			 "[hidden=BASE:SIZE[,...]] [wait=MS]");
		return;
	}
	if (strcmp(cmd, "status") && strcmp(cmd, "reslice")) {
		snprintf(reply, len, "error unknown command '%s' (try 'help')", cmd);
		return;
	}
	name = strtok_r(NULL, " \t", &save);
	if (!name) {
		snprintf(reply, len, "error %s: which vGPU?", cmd);
		return;
	}
	v = find(vgpus, n, name);
	if (!v) {
		snprintf(reply, len, "error %s: no vGPU '%s'", cmd, name);
		return;
	}
	{
		struct vgt_slices s;

		vgt_vgpu_slices(v, &s);
		snprintf(vname, sizeof(vname), "vgpu%u", s.id);
		name = vname;
	}
	rest = strtok_r(NULL, "", &save);
	if (!strcmp(cmd, "status")) {
		if (rest && strspn(rest, " \t") != strlen(rest))
			snprintf(reply, len, "error status: unexpected '%s'", rest);
		else
			status(v, name, reply, len);
		return;
	}
	reslice(v, name, rest ? rest : (char[]){ "" }, reply, len);
}

/* One client: lines in, replies out, until it closes, idles or misbehaves. */
static void serve_client(struct hostd_control *c, int fd)
{
	char line[LINE_MAX_BYTES], reply[REPLY_BYTES];
	size_t have = 0;

	for (;;) {
		struct pollfd p[2] = { { .fd = fd, .events = POLLIN },
				       { .fd = c->stop[0], .events = POLLIN } };
		char *nl;
		ssize_t got;

		if (poll(p, 2, CLIENT_IDLE_MS) <= 0 || (p[1].revents & POLLIN))
			return;
		got = read(fd, line + have, sizeof(line) - 1 - have);
		if (got <= 0)
			return;
		have += (size_t)got;
		line[have] = '\0';
		while ((nl = strchr(line, '\n'))) {
			size_t used = (size_t)(nl - line) + 1;

			*nl = '\0';
			if (nl > line && nl[-1] == '\r')
				nl[-1] = '\0';
			control_command(c->vgpus, c->n, line, reply, sizeof(reply));
			hostd_log("control: %s -> %s", line, reply);
			strcat(reply, "\n");
			if (write(fd, reply, strlen(reply)) < 0)
				return;
			memmove(line, line + used, have - used + 1);
			have -= used;
		}
		if (have == sizeof(line) - 1) {
			hostd_log("control: a line longer than %zu bytes: client dropped",
				  sizeof(line) - 1);
			return;
		}
	}
}

static void *serve(void *arg)
{
	struct hostd_control *c = arg;

	for (;;) {
		struct pollfd p[2] = { { .fd = c->fd, .events = POLLIN },
				       { .fd = c->stop[0], .events = POLLIN } };
		int fd;

		if (poll(p, 2, -1) < 0 && errno != EINTR)
			return NULL;
		if (p[1].revents & POLLIN)
			return NULL;
		if (!(p[0].revents & POLLIN))
			continue;
		fd = accept(c->fd, NULL, NULL);
		if (fd < 0)
			continue;
		serve_client(c, fd);
		close(fd);
	}
}

struct hostd_control *control_start(const char *path, struct vgt_vgpu *const *vgpus,
				    unsigned int n, char *msg, size_t len)
{
	struct hostd_control *c = calloc(1, sizeof(*c));
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	if (!c) {
		snprintf(msg, len, "control: out of memory");
		return NULL;
	}
	c->fd = c->stop[0] = c->stop[1] = -1;
	c->vgpus = vgpus;
	c->n = n;
	if (strlen(path) >= sizeof(sa.sun_path)) {
		snprintf(msg, len, "--control '%s': path too long", path);
		goto fail;
	}
	snprintf(c->path, sizeof(c->path), "%s", path);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (sock_claim(path, msg, len))
		goto fail;
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c->fd < 0 || bind(c->fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(c->fd, 4)) {
		snprintf(msg, len, "--control '%s': %s", path, strerror(errno));
		goto fail;
	}
	sock_record(path, &c->id);
	if (pipe(c->stop) || pthread_create(&c->thread, NULL, serve, c)) {
		snprintf(msg, len, "--control: cannot start its thread");
		sock_release(path, &c->id, msg, len);
		goto fail;
	}
	return c;
fail:
	if (c->fd >= 0)
		close(c->fd);
	if (c->stop[0] >= 0) {
		close(c->stop[0]);
		close(c->stop[1]);
	}
	free(c);
	return NULL;
}

void control_stop(struct hostd_control *c)
{
	char msg[256];

	if (!c)
		return;
	if (write(c->stop[1], "x", 1) != 1)
		hostd_log("control: cannot stop its thread: %s", strerror(errno));
	pthread_join(c->thread, NULL);
	close(c->fd);
	close(c->stop[0]);
	close(c->stop[1]);
	if (sock_release(c->path, &c->id, msg, sizeof(msg)))
		hostd_log("%s", msg);
	free(c);
}

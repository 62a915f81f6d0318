// SPDX-License-Identifier: MIT
/*
 * vgt-hostd: one modelled GPU (libvgt), each of its vGPUs served as a
 * vfio-user PCI device on its own UNIX socket, for QEMU's vfio-user-pci.
 *
 *   vgt-hostd --socket-dir DIR --vgpu TYPE [--vgpu TYPE]... [--guest-mem MIB]
 *             [--malformed-pvinfo FIELD=VALUE] [--pvinfo 1.0|1.1] [--scatter]
 *             [--control PATH] [--status FILE]
 *
 * TYPE may name the platform: "hsw:8" is a Haswell GT2 vGPU of type 8 beside
 * the Skylake ones (platform.c).
 *
 * --pvinfo 1.0 makes every vGPU a 1.0-only device (spec/pvinfo-1.1.md: no
 * 1.1 word, bit or code), --scatter scatter-capable; --control serves the
 * line protocol of control.h (status, re-balloon) on a UNIX socket.
 *
 * One line per lifecycle event on stdout; trap counts per vGPU and class
 * when a client detaches (that guest's session), on SIGUSR1 and at exit;
 * SIGTERM or SIGINT stops every vGPU and exits 0. --status FILE also writes
 * the same events as JSON Lines records for scripts (hostd_status.h).
 *
 * One daemon per socket directory (a lock file, sock_own.h): a second one
 * is refused with the first one's pid. A socket path holding anything but
 * a dead socket is refused, never replaced, and at exit the daemon removes
 * only the sockets it created.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "control.h"
#include "hostd_status.h"
#include "sock_own.h"
#include "vgpu_dev.h"

#define MAX_VGPUS 16

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static struct timespec t0;

void hostd_log(const char *fmt, ...)
{
	struct timespec now;
	va_list ap;

	clock_gettime(CLOCK_MONOTONIC, &now);
	pthread_mutex_lock(&log_lock);
	printf("[%8.3f] vgt-hostd: ", (double)(now.tv_sec - t0.tv_sec) +
	       (now.tv_nsec - t0.tv_nsec) / 1e9);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	pthread_mutex_unlock(&log_lock);
}

static void libvgt_log(void *priv, const char *line)
{
	(void)priv;
	hostd_log("%s", line);
}

struct worker {
	struct vgpu_dev *dev;
	pthread_t thread;
	int stop_fd;
	int ret;
	bool started;
};

static atomic_int workers_running;

static void *serve(void *arg)
{
	struct worker *w = arg;

	w->ret = vgpu_dev_serve(w->dev, w->stop_fd);
	atomic_fetch_sub(&workers_running, 1);
	return NULL;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: vgt-hostd --socket-dir DIR --vgpu TYPE [--vgpu TYPE]...\n"
		"                 [--guest-mem MIB] [--malformed-pvinfo FIELD=VALUE]\n"
		"                 [--pvinfo 1.0|1.1] [--scatter] [--control PATH]\n"
		"                 [--status FILE] [--poll-spin US]\n"
		"  TYPE: 8, 4, 2, 1 (GVT-g's types) or APERTURE_MIB/HIDDEN_MIB/FENCES,\n"
		"      optionally prefixed skl: (default, Skylake GT2 8086:1912) or hsw:\n"
		"      (Haswell GT2 8086:0412, PVINFO 1.0), e.g. --vgpu hsw:8\n"
		"  --pvinfo: the PVINFO version the vGPUs speak (default 1.1; 1.0: none\n"
		"      of 1.1's words, bits or codes)\n"
		"  --scatter: vGPUs may be given several ranges per class (1.1)\n"
		"  --control: a UNIX socket for 'status VGPU' and 'reslice VGPU ...'\n"
		"      (vgt-hostctl PATH help)\n"
		"  --guest-mem: guest RAM a PTE may point into (default 4096)\n"
		"  --malformed-pvinfo: publish FIELD as VALUE on every vGPU (fault\n"
		"      injection; fields: magic version_major version_minor vgt_id\n"
		"      vgt_caps mappable_base mappable_size hidden_base hidden_size\n"
		"      fence_num)\n"
		"  --status: also write JSON Lines status records to FILE (vGPU\n"
		"      slices, resets, per-session trap counts, exit)\n"
		"  --poll-spin: after each vfio-user message, poll for the next one\n"
		"      this many microseconds before sleeping (default 0: sleep at once)\n"
		"Signals: SIGUSR1 prints trap counts, SIGTERM/SIGINT stop.\n");
}

static void print_all(struct worker *w, int n)
{
	int i;

	for (i = 0; i < n; i++)
		vgpu_dev_print_traps(w[i].dev, false);
}

int main(int argc, char **argv)
{
	const char *dir = NULL, *status_path = NULL, *types[MAX_VGPUS];
	struct vgpu_fault fault = { 0 };
	struct worker workers[MAX_VGPUS] = { 0 };
	struct vgt_vgpu *vgpus[MAX_VGPUS] = { 0 };
	struct sock_id socks[MAX_VGPUS] = { 0 };
	char paths[MAX_VGPUS][256];
	uint64_t guest_mem = 4096, spin_us = 0;
	unsigned int req_flags = 0;
	const char *control_path = NULL;
	struct hostd_control *control = NULL;
	int ntypes = 0, n = 0, i, err, pipefd[2], status = 0, lock;
	struct vgt_gpu_desc desc;
	struct vgt_host *host;
	sigset_t sigs;
	char msg[256];

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		}
		if (!strcmp(a, "--scatter")) {
			req_flags |= VGT_REQ_SCATTER;
			continue;
		}
		if (strcmp(a, "--socket-dir") && strcmp(a, "--vgpu") && strcmp(a, "--guest-mem") &&
		    strcmp(a, "--malformed-pvinfo") && strcmp(a, "--pvinfo") &&
		    strcmp(a, "--control") && strcmp(a, "--status") && strcmp(a, "--poll-spin")) {
			fprintf(stderr, "vgt-hostd: unknown option '%s'\n", a);
			usage(stderr);
			return 2;
		}
		if (!v) {
			fprintf(stderr, "vgt-hostd: %s needs a value\n", a);
			usage(stderr);
			return 2;
		}
		i++;
		if (!strcmp(a, "--socket-dir")) {
			dir = v;
		} else if (!strcmp(a, "--vgpu")) {
			if (ntypes == MAX_VGPUS) {
				fprintf(stderr, "vgt-hostd: at most %d vGPUs\n", MAX_VGPUS);
				return 2;
			}
			types[ntypes++] = v;
		} else if (!strcmp(a, "--guest-mem")) {
			const char *end = vgt_parse_decimal(v, 1ull << 27, &guest_mem);

			if (!end || *end || !guest_mem) {
				fprintf(stderr, "vgt-hostd: --guest-mem '%s' is not a decimal size "
					"in MiB (1..%llu)\n", v, 1ull << 27);
				return 2;
			}
		} else if (!strcmp(a, "--status")) {
			status_path = v;
		} else if (!strcmp(a, "--poll-spin")) {
			const char *end = vgt_parse_decimal(v, 100000, &spin_us);

			if (!end || *end) {
				fprintf(stderr, "vgt-hostd: --poll-spin '%s' is not a decimal number "
					"of microseconds (0..100000)\n", v);
				return 2;
			}
		} else if (!strcmp(a, "--pvinfo")) {
			if (strcmp(v, "1.0") && strcmp(v, "1.1")) {
				fprintf(stderr, "vgt-hostd: --pvinfo '%s': 1.0 or 1.1\n", v);
				return 2;
			}
			req_flags = (req_flags & ~VGT_REQ_PVINFO_1_0) |
				    (!strcmp(v, "1.0") ? VGT_REQ_PVINFO_1_0 : 0);
		} else if (!strcmp(a, "--control")) {
			control_path = v;
		} else if (vgpu_fault_parse(v, &fault, msg, sizeof(msg))) {
			fprintf(stderr, "vgt-hostd: %s\n", msg);
			return 2;
		}
	}
	if (!dir || !ntypes) {
		fprintf(stderr, "vgt-hostd: --socket-dir and at least one --vgpu are required\n");
		usage(stderr);
		return 2;
	}

	/* Signals go to the main thread only: block them before any thread. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* One daemon per socket directory; held until exit. */
	lock = sockdir_lock(dir, msg, sizeof(msg));
	if (lock < 0) {
		fprintf(stderr, "vgt-hostd: %s\n", msg);
		return 1;
	}
	if (status_path && (err = hostd_status_open(status_path))) {
		fprintf(stderr, "vgt-hostd: --status '%s': %s\n", status_path, strerror(-err));
		close(lock);
		return 1;
	}

	vgt_gpu_desc_default(&desc);
	host = vgt_host_create(&desc, &err);
	if (!host) {
		fprintf(stderr, "vgt-hostd: cannot create the GPU: %s\n", vgt_strerror(err));
		hostd_status_close();
		return 1;
	}
	vgt_host_set_log(host, libvgt_log, NULL);
	if (pipe(pipefd)) {
		perror("vgt-hostd: pipe");
		vgt_host_destroy(host);
		hostd_status_close();
		return 1;
	}

	for (n = 0; n < ntypes; n++) {
		struct vgt_vgpu_request req;
		char *path = paths[n];

		if (vgt_type_parse(types[n], &req)) {
			hostd_log("unknown vGPU type '%s'", types[n]);
			status = 1;
			break;
		}
		req.guest_mem = guest_mem << 20;
		req.flags |= req_flags;	/* hsw: already PVINFO_1_0 */
		vgpus[n] = vgt_vgpu_create(host, &req, &err, msg, sizeof(msg));
		if (!vgpus[n]) {
			hostd_log("cannot create a type %s vGPU: %s%s%s", types[n],
				  vgt_strerror(err), *msg ? ": " : "", msg);
			status = 1;
			break;
		}
		{
			struct vgt_slices s;

			vgt_vgpu_slices(vgpus[n], &s);
			if (snprintf(path, sizeof(paths[n]), "%s/vgpu%u.sock", dir, s.id) >=
			    (int)sizeof(paths[n])) {
				hostd_log("socket path under '%s' too long", dir);
				status = 1;
				break;
			}
		}
		/* Never replace what is not ours (sock_own.h). */
		if (sock_claim(path, msg, sizeof(msg))) {
			hostd_log("%s", msg);
		} else {
			if (*msg)
				hostd_log("%s", msg);
			workers[n].dev = vgpu_dev_create(vgpus[n], types[n], path, &fault);
			if (workers[n].dev)
				vgpu_dev_set_spin(workers[n].dev, (unsigned int)spin_us);
		}
		if (!workers[n].dev) {
			vgt_vgpu_destroy(vgpus[n]);
			vgpus[n] = NULL;
			status = 1;
			break;
		}
		sock_record(path, &socks[n]);
		workers[n].stop_fd = pipefd[0];
	}

	for (i = 0; !status && i < n; i++) {
		atomic_fetch_add(&workers_running, 1);
		if (pthread_create(&workers[i].thread, NULL, serve, &workers[i])) {
			atomic_fetch_sub(&workers_running, 1);
			hostd_log("cannot start a thread for vGPU %d", i);
			status = 1;
			break;
		}
		workers[i].started = true;
	}
	if (!status && control_path) {
		control = control_start(control_path, vgpus, (unsigned int)n, msg, sizeof(msg));
		if (!control) {
			hostd_log("%s", msg);
			status = 1;
		}
	}
	if (!status) {
		hostd_log("ready: %d vGPU(s), PVINFO %s%s%s%s", n,
			  req_flags & VGT_REQ_PVINFO_1_0 ? "1.0" : "1.1",
			  req_flags & VGT_REQ_SCATTER ? ", scatter-capable" : "",
			  control ? ", control " : "", control ? control_path : "");
		hostd_status_ready(n);
	}

	while (!status) {
		struct timespec tick = { .tv_sec = 0, .tv_nsec = 200 * 1000 * 1000 };
		int sig = sigtimedwait(&sigs, NULL, &tick);

		if (sig == SIGUSR1) {
			print_all(workers, n);
		} else if (sig == SIGTERM || sig == SIGINT) {
			hostd_log("%s: stopping", sig == SIGTERM ? "SIGTERM" : "SIGINT");
			break;
		} else if (atomic_load(&workers_running) < n) {
			hostd_log("a vGPU stopped serving: shutting down");
			status = 1;
		}
	}

	control_stop(control);	/* it uses the vGPUs: first */
	if (write(pipefd[1], "x", 1) != 1)
		hostd_log("cannot signal the vGPU threads: %s", strerror(errno));
	for (i = 0; i < n; i++) {
		if (workers[i].started) {
			pthread_join(workers[i].thread, NULL);
			if (workers[i].ret)
				status = 1;
		}
	}
	print_all(workers, n);
	for (i = 0; i < n; i++) {
		vgpu_dev_destroy(workers[i].dev);
		if (sock_release(paths[i], &socks[i], msg, sizeof(msg)))
			hostd_log("%s", msg);
		vgt_vgpu_destroy(vgpus[i]);
	}
	vgt_host_destroy(host);
	close(pipefd[0]);
	close(pipefd[1]);
	close(lock);
	hostd_log("exit %d", status);
	hostd_status_exit(status);
	hostd_status_close();
	return status;
}

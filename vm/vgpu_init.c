// SPDX-License-Identifier: MIT
/*
 * PID 1 of the vm/ guests (init=/opt/vgpu/vgpu_init): mount what the tests
 * need, run the commands of the run list the kernel command line names
 * (vgpu_init.run=FILE, one command a line: IGT-protocol binaries, or
 * igt_runner), each with its output on the second serial port (a file on
 * the host), then power the VM off so QEMU exits.
 *
 * The guest root is read-only (virtio-9p), so everything written goes to
 * tmpfs, or to the host directory shared as vgpu_init.out=TAG (mounted
 * read-write on /mnt). The Debian root it boots has no init of its own
 * that could do this. What the host parses on the serial port:
 *
 *   VGPU-BOOT userspace=SECONDS
 *   VGPU-RUN N: COMMAND LINE          then the command's stdout and stderr
 *   VGPU-DONE N: status=CODE time=SECONDS
 *   VGPU-EXIT CODE done=SECONDS       the worst status of all; 127 when the
 *                                     list could not be read
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define BIN_DIR		"/opt/vgpu"
#define RESULTS		"/dev/ttyS1"
#define MAX_ARGS	64

static int out = STDOUT_FILENO;

static void mount_fs(const char *type, const char *src, const char *dir,
		     const char *opts)
{
	mkdir(dir, 0755);
	if (mount(src, dir, type, 0, opts) && errno != EBUSY)
		dprintf(out, "vgpu_init: mount %s on %s: %s\n", type, dir, strerror(errno));
}

static double uptime(void)
{
	double up = -1;
	FILE *f = fopen("/proc/uptime", "r");

	if (f) {
		if (fscanf(f, "%lf", &up) != 1)
			up = -1;
		fclose(f);
	}
	return up;
}

/* The value of KEY=VALUE on the kernel command line, into buf. */
static bool cmdline_value(const char *key, char *buf, size_t size)
{
	char line[4096], *tok, *save;
	size_t klen = strlen(key);
	bool found = false;
	FILE *f = fopen("/proc/cmdline", "r");

	if (!f)
		return false;
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	fclose(f);
	for (tok = strtok_r(line, " \t\n", &save); tok && !found;
	     tok = strtok_r(NULL, " \t\n", &save)) {
		if (!strncmp(tok, key, klen) && tok[klen] == '=' &&
		    strlen(tok + klen + 1) < size) {
			strcpy(buf, tok + klen + 1);
			found = true;
		}
	}
	return found;
}

/* Run one command line (split on blanks); return its exit status. */
static int run(char *cmd, unsigned int n)
{
	char *argv[MAX_ARGS + 1], *tok, *save, path[512];
	char *envp[] = { "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/tmp",
			 "LC_ALL=C", NULL };
	double t0 = uptime();
	int argc = 0, status = -1;
	pid_t pid;

	for (tok = strtok_r(cmd, " \t\n", &save); tok && argc < MAX_ARGS;
	     tok = strtok_r(NULL, " \t\n", &save))
		argv[argc++] = tok;
	argv[argc] = NULL;
	if (!argc)
		return 0;
	if (argv[0][0] == '/')
		snprintf(path, sizeof(path), "%s", argv[0]);
	else
		snprintf(path, sizeof(path), BIN_DIR "/%s", argv[0]);
	dprintf(out, "VGPU-RUN %u:", n);
	for (int i = 0; i < argc; i++)
		dprintf(out, " %s", argv[i]);
	dprintf(out, "\n");

	pid = fork();
	if (pid == 0) {
		dup2(out, STDOUT_FILENO);
		dup2(out, STDERR_FILENO);
		execve(path, argv, envp);
		dprintf(out, "vgpu_init: exec %s: %s\n", path, strerror(errno));
		_exit(127);
	}
	if (pid < 0) {
		dprintf(out, "vgpu_init: fork: %s\n", strerror(errno));
		status = 127;
	} else {
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	}
	dprintf(out, "VGPU-DONE %u: status=%d time=%.2f\n", n, status, uptime() - t0);
	return status;
}

/* Run every line of the list; return the worst status (127: no list). */
static int run_list(void)
{
	char name[256], path[512], line[1024];
	unsigned int n = 0;
	int worst = 0;
	FILE *f;

	if (!cmdline_value("vgpu_init.run", name, sizeof(name))) {
		dprintf(out, "vgpu_init: no vgpu_init.run=FILE on the kernel command line\n");
		return 127;
	}
	snprintf(path, sizeof(path), "%s%s", name[0] == '/' ? "" : BIN_DIR "/", name);
	f = fopen(path, "r");
	if (!f) {
		dprintf(out, "vgpu_init: %s: %s\n", path, strerror(errno));
		return 127;
	}
	while (fgets(line, sizeof(line), f)) {
		char *hash = strchr(line, '#');
		int st;

		if (hash)
			*hash = '\0';
		if (!line[strspn(line, " \t\n")])
			continue;
		st = run(line, ++n);
		if (st > worst)
			worst = st;
	}
	fclose(f);
	return worst;
}

int main(void)
{
	char tag[64];
	int status;

	/* The kernel mounted devtmpfs already (DEVTMPFS_MOUNT); be sure. */
	mount_fs("devtmpfs", "devtmpfs", "/dev", NULL);
	out = open(RESULTS, O_WRONLY | O_NOCTTY);
	if (out < 0) {
		fprintf(stderr, "vgpu_init: %s: %s\n", RESULTS, strerror(errno));
		out = STDOUT_FILENO;
	}
	mount_fs("proc", "proc", "/proc", NULL);
	mount_fs("sysfs", "sysfs", "/sys", NULL);
	mount_fs("tmpfs", "tmpfs", "/dev/shm", NULL);
	mount_fs("tmpfs", "tmpfs", "/tmp", NULL);
	mount_fs("tmpfs", "tmpfs", "/run", NULL);
	mount_fs("debugfs", "debugfs", "/sys/kernel/debug", NULL);
	if (cmdline_value("vgpu_init.out", tag, sizeof(tag)))
		mount_fs("9p", tag, "/mnt", "trans=virtio,version=9p2000.L,msize=262144");
	dprintf(out, "VGPU-BOOT userspace=%.2f\n", uptime());

	status = run_list();
	dprintf(out, "VGPU-EXIT %d done=%.2f\n", status, uptime());
	if (out != STDOUT_FILENO)
		close(out);
	sync();
	reboot(RB_POWER_OFF);
	/* PID 1 must not return: that would panic the kernel. */
	for (;;)
		pause();
}

// SPDX-License-Identifier: MIT
/*
 * PID 1 of the make vm-check guest (init=/opt/vgpu/vgpu_init): mount what
 * the checker needs, run /opt/vgpu/vgpu_check with its output on the second
 * serial port (a file on the host), then power the VM off so QEMU exits.
 * The guest root is read-only (virtio-9p), so nothing here writes to it;
 * the Debian root it boots has no init of its own that could do this.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHECKER "/opt/vgpu/vgpu_check"
#define RESULTS "/dev/ttyS1"

static void mount_fs(const char *type, const char *dir)
{
	mkdir(dir, 0755);
	if (mount(type, dir, type, 0, NULL) && errno != EBUSY)
		fprintf(stderr, "vgpu_init: mount %s on %s: %s\n", type, dir, strerror(errno));
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

int main(void)
{
	int out, status = -1;
	pid_t pid;

	mount_fs("proc", "/proc");
	mount_fs("sysfs", "/sys");
	mount_fs("devtmpfs", "/dev");
	mount_fs("tmpfs", "/tmp");
	mount_fs("debugfs", "/sys/kernel/debug");

	out = open(RESULTS, O_WRONLY | O_NOCTTY);
	if (out < 0) {
		fprintf(stderr, "vgpu_init: %s: %s\n", RESULTS, strerror(errno));
		out = STDOUT_FILENO;
	}
	dprintf(out, "VGPU-BOOT userspace=%.2f\n", uptime());

	pid = fork();
	if (pid == 0) {
		char *argv[] = { CHECKER, NULL };
		char *envp[] = { "PATH=/usr/sbin:/usr/bin:/sbin:/bin", NULL };

		dup2(out, STDOUT_FILENO);
		dup2(out, STDERR_FILENO);
		execve(CHECKER, argv, envp);
		dprintf(out, "vgpu_init: exec %s: %s\n", CHECKER, strerror(errno));
		_exit(127);
	}
	if (pid < 0)
		dprintf(out, "vgpu_init: fork: %s\n", strerror(errno));
	else
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	dprintf(out, "VGPU-EXIT %d done=%.2f\n",
		pid < 0 ? 127 :
		WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status),
		uptime());
	if (out != STDOUT_FILENO)
		close(out);
	sync();
	reboot(RB_POWER_OFF);
	/* PID 1 must not return: that would panic the kernel. */
	for (;;)
		pause();
}

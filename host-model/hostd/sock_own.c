// SPDX-License-Identifier: MIT
/*
 * Socket ownership for vgt-hostd (sock_own.h). The directory lock is an
 * flock, so it goes away with the process however it ends, and the lock
 * file is never removed (removing it would let two daemons each lock a
 * different file of the same name). A socket found at a path is probed
 * with a non-blocking connect: refused means nobody listens (a dead
 * daemon's leftover, safe to replace while we hold the directory).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "sock_own.h"

#define LOCK_NAME ".vgt-hostd.lock"

int sockdir_lock(const char *dir, char *msg, size_t len)
{
	char path[4096], pid[32] = "";
	ssize_t n;
	int fd;

	if (snprintf(path, sizeof(path), "%s/%s", dir, LOCK_NAME) >= (int)sizeof(path)) {
		snprintf(msg, len, "socket directory '%s': path too long", dir);
		return -1;
	}
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0) {
		snprintf(msg, len, "cannot lock socket directory '%s' (%s): %s", dir, path,
			 strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		int e = errno;

		n = pread(fd, pid, sizeof(pid) - 1, 0);
		pid[n > 0 ? n : 0] = '\0';
		pid[strcspn(pid, "\n")] = '\0';
		if (e == EWOULDBLOCK)
			snprintf(msg, len, "socket directory '%s' is in use by another vgt-hostd "
				 "(pid %s, lock %s)", dir, *pid ? pid : "?", path);
		else
			snprintf(msg, len, "cannot lock %s: %s", path, strerror(e));
		close(fd);
		return -1;
	}
	n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) || pwrite(fd, pid, (size_t)n, 0) != n) {
		snprintf(msg, len, "cannot write %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static const char *kind(mode_t m)
{
	return S_ISREG(m) ? "a regular file" : S_ISDIR(m) ? "a directory" :
	       S_ISLNK(m) ? "a symbolic link" : S_ISFIFO(m) ? "a FIFO" : "not a socket";
}

/* Does something accept connections on the socket at path? */
static bool listening(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	bool live;

	if (fd < 0 || strlen(path) >= sizeof(addr.sun_path)) {
		if (fd >= 0)
			close(fd);
		return true;	/* cannot tell: do not touch it */
	}
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", path);
	live = !connect(fd, (struct sockaddr *)&addr, sizeof(addr)) ||
	       (errno != ECONNREFUSED && errno != ENOENT);
	close(fd);
	return live;
}

int sock_claim(const char *path, char *msg, size_t len)
{
	struct stat st;

	msg[0] = '\0';
	if (lstat(path, &st)) {
		if (errno == ENOENT)
			return 0;
		snprintf(msg, len, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISSOCK(st.st_mode)) {
		snprintf(msg, len, "%s exists and is %s: refusing to replace it", path,
			 kind(st.st_mode));
		return -1;
	}
	if (listening(path)) {
		snprintf(msg, len, "%s is a live socket of another process: refusing to "
			 "replace it", path);
		return -1;
	}
	if (unlink(path) && errno != ENOENT) {
		snprintf(msg, len, "cannot remove the dead socket %s: %s", path, strerror(errno));
		return -1;
	}
	snprintf(msg, len, "removed %s: a socket nobody listened on", path);
	return 0;
}

void sock_record(const char *path, struct sock_id *id)
{
	struct stat st;

	id->valid = !lstat(path, &st) && S_ISSOCK(st.st_mode);
	id->dev = id->valid ? st.st_dev : 0;
	id->ino = id->valid ? st.st_ino : 0;
}

int sock_release(const char *path, const struct sock_id *id, char *msg, size_t len)
{
	struct stat st;

	msg[0] = '\0';
	if (!id->valid || lstat(path, &st))
		return 0;
	if (!S_ISSOCK(st.st_mode) || st.st_dev != id->dev || st.st_ino != id->ino) {
		snprintf(msg, len, "%s is no longer the socket this daemon created: left alone",
			 path);
		return -1;
	}
	if (unlink(path)) {
		snprintf(msg, len, "cannot remove %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * Who owns the vfio-user sockets of a socket directory: one vgt-hostd at a
 * time (an flock on DIR/.vgt-hostd.lock, held for the daemon's life), and
 * that daemon removes only the sockets it created itself. Nothing found at
 * a socket path is replaced, except a socket nobody listens on any more
 * (left by a daemon that died), and then with a log line.
 */
#ifndef SOCK_OWN_H
#define SOCK_OWN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/*
 * Lock dir for this process. Return: the lock's fd (keep it open), or -1
 * with msg saying why: another vgt-hostd holds it (with its pid), or the
 * directory cannot be used.
 */
int sockdir_lock(const char *dir, char *msg, size_t len);

/*
 * Make path free for a new socket, with the directory locked. Return: 0
 * (nothing there, or a dead socket removed: msg then says so; else msg is
 * ""), or -1 with msg: a live socket, or something that is not a socket.
 */
int sock_claim(const char *path, char *msg, size_t len);

/* The socket this process bound at a path, to remove only that one. */
struct sock_id {
	bool valid;
	dev_t dev;
	ino_t ino;
};

void sock_record(const char *path, struct sock_id *id);

/*
 * Remove path if it is still the socket recorded in id. Return: 0 removed
 * or nothing to do, -1 with msg if something else is there now (left).
 */
int sock_release(const char *path, const struct sock_id *id, char *msg, size_t len);

#endif /* SOCK_OWN_H */

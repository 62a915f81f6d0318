// SPDX-License-Identifier: MIT
/*
 * vgt-hostctl: send one command to vgt-hostd's control socket (control.h)
 * and print the reply, for scripts and tests.
 *
 *   vgt-hostctl SOCKET COMMAND [ARG]...
 *
 * The words are joined with spaces into one line. Exit status: 0 when the
 * reply starts with "ok", 1 for any other reply ("refused", "pending",
 * "error"), 2 for a usage error or no daemon at SOCKET.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define LINE_BYTES 1024

int main(int argc, char **argv)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char line[LINE_BYTES], reply[LINE_BYTES];
	size_t n = 0, have = 0;
	ssize_t got;
	int fd, i;

	if (argc < 3 || strlen(argv[1]) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "usage: vgt-hostctl SOCKET COMMAND [ARG]...\n");
		return 2;
	}
	for (i = 2; i < argc; i++) {
		int w = snprintf(line + n, sizeof(line) - n, "%s%s", i > 2 ? " " : "", argv[i]);

		if (w < 0 || (size_t)w >= sizeof(line) - n - 1) {
			fprintf(stderr, "vgt-hostctl: command longer than %d bytes\n", LINE_BYTES - 2);
			return 2;
		}
		n += (size_t)w;
	}
	line[n++] = '\n';
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", argv[1]);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		fprintf(stderr, "vgt-hostctl: %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	if (write(fd, line, n) != (ssize_t)n || shutdown(fd, SHUT_WR)) {
		fprintf(stderr, "vgt-hostctl: %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	while (have < sizeof(reply) - 1 &&
	       (got = read(fd, reply + have, sizeof(reply) - 1 - have)) > 0)
		have += (size_t)got;
	close(fd);
	reply[have] = '\0';
	if (!have) {
		fprintf(stderr, "vgt-hostctl: %s: no reply\n", argv[1]);
		return 2;
	}
	fputs(reply, stdout);
	return strncmp(reply, "ok", 2) ? 1 : 0;
}

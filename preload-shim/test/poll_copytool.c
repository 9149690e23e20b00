/*
 * poll_copytool: a minimal event-driven copytool for tests. It registers
 * with O_NONBLOCK, polls the descriptor of llapi_hsm_copytool_get_fd and
 * completes every item at once (begin + end, no data copied).
 *
 *   poll_copytool MNT
 *
 * Prints "first recv: <rc>" for the recv made before any poll, then one
 * "ended cookie=.. rc=.." line per item; exits 0 on -ESHUTDOWN.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>

#include <lustre/lustreapi.h>

static int complete(struct hsm_copytool_private *ct,
		    const struct hsm_action_item *hai)
{
	struct hsm_copyaction_private *hcp = NULL;
	struct hsm_extent extent = hai->hai_extent;
	int rc;

	rc = llapi_hsm_action_begin(&hcp, ct, hai, -1, 0, false);
	if (rc == 0)
		rc = llapi_hsm_action_end(&hcp, &extent, 0, 0);
	printf("ended cookie=%#" PRIx64 " rc=%d\n", (uint64_t)hai->hai_cookie,
	       rc);
	return rc;
}

int main(int argc, char **argv)
{
	struct hsm_copytool_private *ct = NULL;
	struct hsm_action_list *hal;
	int msgsize;
	int fd, rc;

	if (argc != 2) {
		fprintf(stderr, "usage: poll_copytool MNT\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	rc = llapi_hsm_copytool_register(&ct, argv[1], 0, NULL, O_NONBLOCK);
	if (rc < 0) {
		fprintf(stderr, "register: %s\n", strerror(-rc));
		return 1;
	}
	rc = llapi_hsm_copytool_recv(ct, &hal, &msgsize);
	printf("first recv: %s\n", rc == -EAGAIN ? "EAGAIN" : strerror(-rc));
	fd = llapi_hsm_copytool_get_fd(ct);
	if (fd < 0) {
		fprintf(stderr, "get_fd: %s\n", strerror(-fd));
		return 1;
	}
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		struct hsm_action_item *hai;
		__u32 i;

		if (poll(&pfd, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			perror("poll");
			return 1;
		}
		rc = llapi_hsm_copytool_recv(ct, &hal, &msgsize);
		if (rc == -EAGAIN)
			continue;
		if (rc == -ESHUTDOWN)
			break;
		if (rc < 0) {
			fprintf(stderr, "recv: %s\n", strerror(-rc));
			return 1;
		}
		hai = hai_first(hal);
		for (i = 0; i < hal->hal_count; i++, hai = hai_next(hai))
			if (complete(ct, hai) < 0)
				return 1;
	}
	rc = llapi_hsm_copytool_unregister(&ct);
	if (rc < 0) {
		fprintf(stderr, "unregister: %s\n", strerror(-rc));
		return 1;
	}
	printf("shut down\n");
	return 0;
}

/*
 * Message transport and mount lookup shared by liblustreapi, the daemon and
 * the lsim tool.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>

#include "lsim_proto.h"

int lsim_send_msg(int sock, const void *hdr, size_t hdr_len,
		  const void *payload, size_t payload_len, int fd)
{
	struct iovec iov[2] = {
		{ .iov_base = (void *)hdr, .iov_len = hdr_len },
		{ .iov_base = (void *)payload, .iov_len = payload_len },
	};
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} ctl;
	struct msghdr msg = {
		.msg_iov = iov,
		.msg_iovlen = payload_len > 0 ? 2 : 1,
	};
	ssize_t n;

	if (fd >= 0) {
		struct cmsghdr *cmsg;

		memset(&ctl, 0, sizeof(ctl));
		msg.msg_control = ctl.buf;
		msg.msg_controllen = sizeof(ctl.buf);
		cmsg = CMSG_FIRSTHDR(&msg);
		cmsg->cmsg_level = SOL_SOCKET;
		cmsg->cmsg_type = SCM_RIGHTS;
		cmsg->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
	}
	do {
		n = sendmsg(sock, &msg, MSG_NOSIGNAL);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if ((size_t)n != hdr_len + payload_len)
		return -EMSGSIZE;
	return 0;
}

ssize_t lsim_recv_msg(int sock, void *buf, size_t size, int *fd, int flags)
{
	struct iovec iov = { .iov_base = buf, .iov_len = size };
	union {
		char buf[CMSG_SPACE(sizeof(int) * 4)];
		struct cmsghdr align;
	} ctl;
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = ctl.buf,
		.msg_controllen = sizeof(ctl.buf),
	};
	struct cmsghdr *cmsg;
	ssize_t n;
	int got = -1;
	int extra = 0;

	*fd = -1;
	do {
		n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC | flags);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;

	for (cmsg = CMSG_FIRSTHDR(&msg); cmsg != NULL;
	     cmsg = CMSG_NXTHDR(&msg, cmsg)) {
		size_t nfds, i;

		if (cmsg->cmsg_level != SOL_SOCKET ||
		    cmsg->cmsg_type != SCM_RIGHTS)
			continue;
		nfds = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (i = 0; i < nfds; i++) {
			int one;

			memcpy(&one, CMSG_DATA(cmsg) + i * sizeof(int),
			       sizeof(int));
			if (got < 0) {
				got = one;
			} else {
				close(one);
				extra = 1;
			}
		}
	}
	if ((msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) || extra) {
		if (got >= 0)
			close(got);
		return -EMSGSIZE;
	}
	*fd = got;
	return n;
}

int lsim_is_root(int dirfd)
{
	return faccessat(dirfd, LSIM_MARKER, F_OK, AT_EACCESS) == 0;
}

/* Longest existing prefix of an absolute path, canonicalised. */
static char *existing_realpath(const char *abs)
{
	char *cur = strdup(abs);

	if (cur == NULL)
		return NULL;
	for (;;) {
		char *real = realpath(cur, NULL);
		char *slash;

		if (real != NULL) {
			free(cur);
			return real;
		}
		slash = strrchr(cur, '/');
		if (slash == NULL || slash == cur) {
			free(cur);
			return strdup("/");
		}
		*slash = '\0';
	}
}

int lsim_root_open_path(const char *path)
{
	char *abs = NULL;
	char *cur;
	int rc = -ENODEV;

	if (path == NULL || *path == '\0')
		return -EINVAL;
	if (path[0] == '/') {
		abs = strdup(path);
	} else {
		char cwd[PATH_MAX];

		if (getcwd(cwd, sizeof(cwd)) == NULL)
			return -errno;
		if (asprintf(&abs, "%s/%s", cwd, path) < 0)
			abs = NULL;
	}
	if (abs == NULL)
		return -ENOMEM;
	cur = existing_realpath(abs);
	free(abs);
	if (cur == NULL)
		return -ENOMEM;

	for (;;) {
		int dfd = open(cur, O_PATH | O_DIRECTORY | O_CLOEXEC);
		char *slash;

		if (dfd >= 0) {
			if (lsim_is_root(dfd)) {
				rc = dfd;
				break;
			}
			close(dfd);
		}
		if (strcmp(cur, "/") == 0)
			break;
		slash = strrchr(cur, '/');
		if (slash == cur)
			slash[1] = '\0';
		else
			*slash = '\0';
	}
	free(cur);
	return rc;
}

int lsim_root_open_fd(int fd)
{
	char link[64];
	char target[PATH_MAX + 16];
	struct stat st;
	ssize_t n;
	char *slash;
	int dfd;

	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode)) {
		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		n = readlink(link, target, sizeof(target) - 1);
		if (n < 0)
			return -errno;
		target[n] = '\0';
		if (target[0] != '/')
			return -ENODEV;
		if (n > 10 && strcmp(target + n - 10, " (deleted)") == 0)
			target[n - 10] = '\0';
		slash = strrchr(target, '/');
		if (slash == target)
			slash[1] = '\0';
		else
			*slash = '\0';
		return lsim_root_open_path(target);
	}

	dfd = openat(fd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	for (;;) {
		struct stat pst;
		int parent;

		if (lsim_is_root(dfd))
			return dfd;
		if (fstat(dfd, &st) < 0)
			break;
		parent = openat(dfd, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (parent < 0)
			break;
		if (fstat(parent, &pst) < 0 ||
		    (pst.st_dev == st.st_dev && pst.st_ino == st.st_ino)) {
			close(parent);
			break;
		}
		close(dfd);
		dfd = parent;
	}
	close(dfd);
	return -ENODEV;
}

char *lsim_root_path(int rootfd)
{
	char link[64];
	char target[PATH_MAX];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", rootfd);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return NULL;
	target[n] = '\0';
	return strdup(target);
}

int lsim_connect(int rootfd)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int sock;
	int rc;

	snprintf(addr.sun_path, sizeof(addr.sun_path), "/proc/self/fd/%d/%s",
		 rootfd, LSIM_SOCK);
	sock = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (sock < 0)
		return -errno;
	do {
		rc = connect(sock, (struct sockaddr *)&addr, sizeof(addr));
	} while (rc < 0 && errno == EINTR);
	if (rc < 0) {
		rc = errno;
		close(sock);
		if (rc == ENOENT || rc == ECONNREFUSED || rc == ENOTDIR)
			return LSIM_ENOTMOUNTED;
		return -rc;
	}
	return sock;
}

int lsim_call(int rootfd, enum lsim_op op, const void *req, size_t req_len,
	      int send_fd, void *rep, size_t rep_size, size_t *rep_len,
	      int *recv_fd)
{
	struct lsim_req_hdr hdr = {
		.magic = LSIM_REQ_MAGIC,
		.op = op,
		.len = (__u32)req_len,
	};
	struct lsim_rep_hdr *rhdr;
	char *buf;
	ssize_t n;
	int sock;
	int fd = -1;
	int rc;

	if (rep_len != NULL)
		*rep_len = 0;
	if (recv_fd != NULL)
		*recv_fd = -1;
	if (req_len + sizeof(hdr) > LSIM_MSG_MAX)
		return -E2BIG;
	sock = lsim_connect(rootfd);
	if (sock < 0)
		return sock;
	buf = malloc(LSIM_MSG_MAX);
	if (buf == NULL) {
		close(sock);
		return -ENOMEM;
	}
	rc = lsim_send_msg(sock, &hdr, sizeof(hdr), req, req_len, send_fd);
	if (rc == -EPIPE || rc == -ECONNRESET)
		rc = LSIM_ENOTMOUNTED;
	if (rc < 0)
		goto out;
	n = lsim_recv_msg(sock, buf, LSIM_MSG_MAX, &fd, 0);
	if (n == 0 || n == -ECONNRESET) {
		/* daemon went away before answering: the mount is gone */
		rc = LSIM_ENOTMOUNTED;
		goto out;
	}
	if (n < 0) {
		rc = (int)n;
		goto out;
	}
	rhdr = (struct lsim_rep_hdr *)buf;
	if ((size_t)n < sizeof(*rhdr) || rhdr->magic != LSIM_REP_MAGIC ||
	    rhdr->len != (size_t)n - sizeof(*rhdr)) {
		rc = -EPROTO;
		goto out;
	}
	rc = rhdr->rc;
	if (rep != NULL) {
		size_t len = rhdr->len < rep_size ? rhdr->len : rep_size;

		memcpy(rep, buf + sizeof(*rhdr), len);
		if (rep_len != NULL)
			*rep_len = len;
	}
	if (recv_fd != NULL) {
		*recv_fd = fd;
		fd = -1;
	}
out:
	if (fd >= 0)
		close(fd);
	free(buf);
	close(sock);
	return rc;
}

int lsim_fsname_valid(const char *name)
{
	size_t len = strlen(name);
	size_t i;

	if (len < 1 || len > LUSTRE_MAXFSNAME)
		return 0;
	for (i = 0; i < len; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_'))
			return 0;
	}
	return 1;
}

const char *lsim_registry_dir(void)
{
	const char *dir = getenv("LSIM_REGISTRY");

	return dir != NULL && *dir != '\0' ? dir : "/tmp/lsim-registry";
}

/*
 * Socket helpers. Every call retries on EINTR; writes use MSG_NOSIGNAL so a
 * vanished agent is an EPIPE error, never a SIGPIPE in the copytool.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "shim.h"

int ctsh_agent_addr_from_env(struct ctsh_agent_addr *addr)
{
	const char *path = getenv(CTSH_SOCKET_ENV);
	size_t len;

	if (path == NULL || *path == '\0')
		return -EINVAL;
	len = strlen(path);
	if (len >= sizeof(addr->sun.sun_path))
		return -ENAMETOOLONG;
	memset(addr, 0, sizeof(*addr));
	addr->sun.sun_family = AF_UNIX;
	memcpy(addr->sun.sun_path, path, len + 1);
	addr->len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len + 1);
	return 0;
}

/* Returns a connected close-on-exec socket or -errno. */
int ctsh_connect(const struct ctsh_agent_addr *addr)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int rc;

	if (fd < 0)
		return -errno;
	while (connect(fd, (const struct sockaddr *)&addr->sun,
		       addr->len) < 0) {
		if (errno == EINTR)
			continue;
		if (errno == EISCONN)	/* an interrupted attempt completed */
			break;
		rc = -errno;
		close(fd);
		return rc;
	}
	return fd;
}

pid_t ctsh_peer_pid(int fd)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
		return 0;
	return cred.pid;
}

int ctsh_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* 0, -EPIPE at end of file before len bytes, or -errno. */
int ctsh_read_all(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len > 0) {
		ssize_t n = read(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return -EPIPE;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Reads and drops len bytes. */
int ctsh_skip(int fd, size_t len)
{
	char buf[4096];

	while (len > 0) {
		size_t chunk = len < sizeof(buf) ? len : sizeof(buf);
		int rc = ctsh_read_all(fd, buf, chunk);

		if (rc < 0)
			return rc;
		len -= chunk;
	}
	return 0;
}

void ctsh_hdr_init(struct ctsh_hdr *hdr, enum ctsh_type type, uint32_t len)
{
	hdr->magic = CTSH_MAGIC;
	hdr->version = CTSH_VERSION;
	hdr->type = (uint16_t)type;
	hdr->length = len;
	hdr->reserved = 0;
}

/* Sends a message with a payload of at most 32 bytes. */
int ctsh_send(int fd, enum ctsh_type type, const void *payload, uint32_t len)
{
	struct {
		struct ctsh_hdr hdr;
		unsigned char payload[32];
	} __attribute__((packed)) msg;

	if (len > sizeof(msg.payload))
		return -EINVAL;
	ctsh_hdr_init(&msg.hdr, type, len);
	if (len > 0)
		memcpy(msg.payload, payload, len);
	return ctsh_write_all(fd, &msg, sizeof(msg.hdr) + len);
}

/* Reads a header; -EPROTO unless magic, version and length are valid. */
int ctsh_read_hdr(int fd, struct ctsh_hdr *hdr)
{
	int rc = ctsh_read_all(fd, hdr, sizeof(*hdr));

	if (rc < 0)
		return rc;
	if (hdr->magic != CTSH_MAGIC || hdr->version != CTSH_VERSION ||
	    hdr->length > CTSH_MAX_PAYLOAD)
		return -EPROTO;
	return 0;
}

int ctsh_sleep_ms(unsigned int ms)
{
	struct timespec ts = {
		.tv_sec = ms / 1000,
		.tv_nsec = (long)(ms % 1000) * 1000000L,
	};

	while (nanosleep(&ts, &ts) < 0) {
		if (errno != EINTR)
			return -errno;
	}
	return 0;
}

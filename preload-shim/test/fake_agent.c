/*
 * fake_agent: the agent side of the shim protocol, just enough to drive a
 * copytool under libcoordinatool_preload.so in tests.
 *
 *   fake_agent --socket PATH --mount MNT [--oversize] [--drop-once]
 *
 * It registers with the Lustre mount MNT as a copytool itself (real
 * liblustreapi, non-blocking), listens on PATH, and answers each RECV of the
 * shim with the next action list it received from Lustre, unchanged. Every
 * message is printed on stdout, one line each:
 *   READY | REGISTER pid=.. flags=.. archives=[..] mnt=.. fsname=..
 *   RECV size=.. | LIST bytes=.. count=.. | ITEM action=.. cookie=.. dfid=..
 *   REJECT rc=.. | UNREGISTER recv_pending=.. | EOF control | DROP control
 *   SHUTDOWN | BEGIN cookie=.. dfid=.. rc=.. | END cookie=.. dfid=.. status=..
 * --oversize answers the first RECV with a list larger than its buffer size;
 * --drop-once closes the control connection at the first RECV.
 * SIGUSR1 sends SHUTDOWN; SIGTERM/SIGINT unregister and exit 0.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <lustre/lustreapi.h>

#include "ctsh_proto.h"

struct hal_msg {
	struct hal_msg *next;
	uint32_t len;
	char data[];
};

static struct hal_msg *queue_head;
static struct hal_msg **queue_tail = &queue_head;
static int ctl_fd = -1;
static bool recv_outstanding;
static uint32_t recv_size;
static bool oversize_pending;
static bool drop_pending;
static bool shutdown_pending;

static void die(const char *what, int rc)
{
	fprintf(stderr, "fake_agent: %s: %s\n", what, strerror(rc < 0 ? -rc : rc));
	exit(1);
}

static int read_all(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len > 0) {
		ssize_t n = read(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EPIPE;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int send_msg(int fd, enum ctsh_type type, const void *payload,
		    uint32_t len)
{
	struct ctsh_hdr hdr = {
		.magic = CTSH_MAGIC, .version = CTSH_VERSION,
		.type = (uint16_t)type, .length = len,
	};
	int rc = write_all(fd, &hdr, sizeof(hdr));

	if (rc == 0 && len > 0)
		rc = write_all(fd, payload, len);
	return rc;
}

static void close_control(const char *why)
{
	printf("%s control\n", why);
	close(ctl_fd);
	ctl_fd = -1;
	recv_outstanding = false;
}

static void print_list(struct hsm_action_list *hal, uint32_t len)
{
	struct hsm_action_item *hai = hai_first(hal);
	uint32_t i;

	printf("LIST bytes=%u count=%u\n", len, hal->hal_count);
	for (i = 0; i < hal->hal_count; i++, hai = hai_next(hai))
		printf("ITEM action=%s cookie=%#" PRIx64 " dfid=" DFID "\n",
		       hsm_copytool_action2name(hai->hai_action),
		       (uint64_t)hai->hai_cookie, PFID(&hai->hai_dfid));
}

/* Answers the outstanding RECV if there is something to answer with. */
static void serve(void)
{
	int rc = 0;

	if (ctl_fd < 0)
		return;
	if (shutdown_pending) {
		shutdown_pending = false;
		recv_outstanding = false;
		printf("SHUTDOWN\n");
		rc = send_msg(ctl_fd, CTSH_SHUTDOWN, NULL, 0);
	} else if (!recv_outstanding) {
		return;
	} else if (drop_pending) {
		drop_pending = false;
		close_control("DROP");
		return;
	} else if (oversize_pending) {
		uint32_t len = recv_size + 8;
		struct hsm_action_list *hal = calloc(1, len);

		if (hal == NULL)
			die("calloc", ENOMEM);
		hal->hal_version = HAL_VERSION;
		strcpy(hal->hal_fsname, "oversize");
		oversize_pending = false;
		recv_outstanding = false;
		printf("LIST bytes=%u count=0\n", len);
		rc = send_msg(ctl_fd, CTSH_ACTION_LIST, hal, len);
		free(hal);
	} else if (queue_head != NULL && queue_head->len <= recv_size) {
		struct hal_msg *m = queue_head;

		queue_head = m->next;
		if (queue_head == NULL)
			queue_tail = &queue_head;
		recv_outstanding = false;
		print_list((struct hsm_action_list *)m->data, m->len);
		rc = send_msg(ctl_fd, CTSH_ACTION_LIST, m->data, m->len);
		free(m);
	}
	if (rc < 0)
		close_control("EOF");
}

static void read_control(void)
{
	struct ctsh_hdr hdr;
	union {
		struct ctsh_recv recv;
		struct ctsh_rc rc;
		struct ctsh_unregister unreg;
	} p;

	if (read_all(ctl_fd, &hdr, sizeof(hdr)) < 0) {
		close_control("EOF");
		return;
	}
	if (hdr.magic != CTSH_MAGIC || hdr.version != CTSH_VERSION ||
	    hdr.length != sizeof(p.recv) ||
	    read_all(ctl_fd, &p, sizeof(p.recv)) < 0) {
		close_control("EOF");
		return;
	}
	switch (hdr.type) {
	case CTSH_RECV:
		recv_outstanding = true;
		recv_size = p.recv.buffer_size;
		printf("RECV size=%u\n", recv_size);
		break;
	case CTSH_REJECT:
		printf("REJECT rc=%d\n", p.rc.rc);
		break;
	case CTSH_UNREGISTER:
		printf("UNREGISTER recv_pending=%u\n", p.unreg.recv_pending);
		close_control("EOF");
		break;
	default:
		close_control("EOF");
	}
}

static void accept_one(int listen_fd)
{
	struct ctsh_hdr hdr;
	struct ctsh_notice notice;
	char *payload = NULL;
	int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);

	if (fd < 0) {
		if (errno == EINTR || errno == ECONNABORTED)
			return;
		die("accept", errno);
	}
	/* the shim writes its first message right after connecting */
	if (read_all(fd, &hdr, sizeof(hdr)) < 0 || hdr.magic != CTSH_MAGIC ||
	    hdr.version != CTSH_VERSION || hdr.length > CTSH_MAX_PAYLOAD)
		goto out;
	if (hdr.type == CTSH_BEGIN || hdr.type == CTSH_END) {
		struct lu_fid dfid;

		if (hdr.length != sizeof(notice) ||
		    read_all(fd, &notice, sizeof(notice)) < 0)
			goto out;
		dfid.f_seq = notice.dfid.seq;
		dfid.f_oid = notice.dfid.oid;
		dfid.f_ver = notice.dfid.ver;
		printf("%s cookie=%#" PRIx64 " dfid=" DFID " %s=%d\n",
		       hdr.type == CTSH_BEGIN ? "BEGIN" : "END", notice.cookie,
		       PFID(&dfid), hdr.type == CTSH_BEGIN ? "rc" : "status",
		       notice.value);
	} else if (hdr.type == CTSH_REGISTER &&
		   hdr.length > sizeof(struct ctsh_register)) {
		struct ctsh_register reg;
		struct ctsh_rc reply = { .rc = 0 };
		const char *mnt;
		uint32_t i;

		payload = malloc(hdr.length);
		if (payload == NULL)
			die("malloc", ENOMEM);
		if (read_all(fd, payload, hdr.length) < 0)
			goto out;
		memcpy(&reg, payload, sizeof(reg));
		printf("REGISTER pid=%d flags=%#x archives=[", reg.pid,
		       reg.rfd_flags);
		for (i = 0; i < reg.archive_count; i++) {
			uint32_t id;

			memcpy(&id, payload + sizeof(reg) + 4 * i, sizeof(id));
			printf(i ? ",%u" : "%u", id);
		}
		mnt = payload + sizeof(reg) + 4 * reg.archive_count;
		printf("] mnt=%s fsname=%s\n", mnt, mnt + strlen(mnt) + 1);
		if (ctl_fd >= 0)
			close_control("REPLACED");
		if (send_msg(fd, CTSH_REGISTER_REPLY, &reply, sizeof(reply)) < 0)
			goto out;
		ctl_fd = fd;
		fd = -1;
	}
out:
	free(payload);
	if (fd >= 0)
		close(fd);
}

static void read_lustre(struct hsm_copytool_private *ct)
{
	for (;;) {
		struct hsm_action_list *hal;
		struct hal_msg *m;
		int msgsize;
		int rc = llapi_hsm_copytool_recv(ct, &hal, &msgsize);

		if (rc == -EAGAIN)
			return;
		if (rc < 0)
			die("llapi_hsm_copytool_recv", rc);
		m = malloc(sizeof(*m) + (size_t)msgsize);
		if (m == NULL)
			die("malloc", ENOMEM);
		m->next = NULL;
		m->len = (uint32_t)msgsize;
		memcpy(m->data, hal, (size_t)msgsize);
		*queue_tail = m;
		queue_tail = &m->next;
	}
}

static int listen_on(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path))
		die(path, ENAMETOOLONG);
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		die("socket", errno);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0)
		die(path, errno);
	if (listen(fd, 64) < 0)
		die("listen", errno);
	return fd;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "mount", required_argument, NULL, 'm' },
		{ "oversize", no_argument, NULL, 'o' },
		{ "drop-once", no_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	struct hsm_copytool_private *ct = NULL;
	const char *path = NULL;
	const char *mnt = NULL;
	sigset_t sigs;
	int listen_fd, sig_fd, lustre_fd;
	int c, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's': path = optarg; break;
		case 'm': mnt = optarg; break;
		case 'o': oversize_pending = true; break;
		case 'd': drop_pending = true; break;
		default: return 2;
		}
	}
	if (path == NULL || mnt == NULL) {
		fprintf(stderr, "usage: fake_agent --socket PATH --mount MNT [--oversize] [--drop-once]\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);

	sigemptyset(&sigs);
	sigaddset(&sigs, SIGUSR1);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	if (sigprocmask(SIG_BLOCK, &sigs, NULL) < 0)
		die("sigprocmask", errno);
	sig_fd = signalfd(-1, &sigs, SFD_CLOEXEC);
	if (sig_fd < 0)
		die("signalfd", errno);

	rc = llapi_hsm_copytool_register(&ct, mnt, 0, NULL, O_NONBLOCK);
	if (rc < 0)
		die("llapi_hsm_copytool_register", rc);
	lustre_fd = llapi_hsm_copytool_get_fd(ct);
	if (lustre_fd < 0)
		die("llapi_hsm_copytool_get_fd", lustre_fd);
	listen_fd = listen_on(path);
	printf("READY\n");

	for (;;) {
		struct pollfd pfd[4] = {
			{ .fd = sig_fd, .events = POLLIN },
			{ .fd = listen_fd, .events = POLLIN },
			{ .fd = lustre_fd, .events = POLLIN },
			{ .fd = ctl_fd, .events = POLLIN },
		};

		if (poll(pfd, 4, -1) < 0) {
			if (errno == EINTR)
				continue;
			die("poll", errno);
		}
		if (pfd[0].revents) {
			struct signalfd_siginfo si;

			if (read_all(sig_fd, &si, sizeof(si)) < 0)
				die("signalfd read", errno);
			if (si.ssi_signo != SIGUSR1)
				break;
			shutdown_pending = true;
		}
		if (pfd[3].revents && ctl_fd >= 0)
			read_control();
		if (pfd[1].revents)
			accept_one(listen_fd);
		if (pfd[2].revents)
			read_lustre(ct);
		serve();
	}

	rc = llapi_hsm_copytool_unregister(&ct);
	if (rc < 0)
		die("llapi_hsm_copytool_unregister", rc);
	if (unlink(path) < 0)
		die(path, errno);
	return 0;
}

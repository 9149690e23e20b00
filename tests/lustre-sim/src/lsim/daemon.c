/*
 * The simulated MDT daemon: a single-threaded epoll loop serving the
 * liblustreapi socket, draining copytool pipes, and ticking the coordinator
 * once a second.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/un.h>

#include "lsimd.h"
#include "../common/lsim_proto.h"

struct lsim_daemon D;

enum ev_kind {
	EV_LISTEN = 1,
	EV_SIGNAL,
	EV_TIMER,
	EV_CONN,
	EV_PIPE,	/* struct lsim_pipe, see cdt.c */
};

struct ev_src {
	int	kind;
	int	fd;
};

struct conn {
	int		kind;
	int		fd;
	struct lsim_cred cred;
};

static struct ev_src ev_listen = { EV_LISTEN, -1 };
static struct ev_src ev_signal = { EV_SIGNAL, -1 };
static struct ev_src ev_timer = { EV_TIMER, -1 };
static char *reply_buf;

void lsim_log(const char *fmt, ...)
{
	struct timespec ts;
	struct tm tm;
	char when[32];
	va_list ap;

	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
	fprintf(stderr, "%s.%03ld lsim[%d]: ", when, ts.tv_nsec / 1000000,
		(int)getpid());
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stderr);
}

int64_t now_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec;
}

void pipe_want_output(struct lsim_pipe *p)
{
	struct epoll_event ev = { .events = EPOLLOUT, .data.ptr = p };

	if (p->outlen > 0 && !p->polling) {
		if (epoll_ctl(D.epfd, EPOLL_CTL_ADD, p->fd, &ev) == 0)
			p->polling = 1;
	} else if (p->outlen == 0 && p->polling) {
		epoll_ctl(D.epfd, EPOLL_CTL_DEL, p->fd, NULL);
		p->polling = 0;
	}
}

/* Request handlers ------------------------------------------------------------ */

static int need_fd(int fd)
{
	return fd >= 0 ? 0 : -EBADF;
}

static int op_file_from_fd(int fd, struct lsim_file **fp)
{
	int rc = need_fd(fd);

	if (rc < 0)
		return rc;
	*fp = mdt_file_by_fd(fd, &rc);
	return *fp != NULL ? 0 : rc;
}

static int op_fid2mdtidx(const struct lu_fid *fid)
{
	__u64 seq = fid->f_seq;

	if (seq == FID_SEQ_ROOT || seq == FID_SEQ_DOT_LUSTRE ||
	    fid_seq_is_igif(seq) ||
	    (seq >= LSIM_FIRST_SEQ && seq <= D.next_fid.f_seq))
		return 0;
	return -ENOENT;
}

/* What the client does for LL_IOC_HSM_COPY_START. */
static int op_copy_start(const struct lsim_cred *cred, struct hsm_copy *copy)
{
	struct hsm_action_item *hai = &copy->hc_hai;
	struct hsm_progress_kernel pgs;
	int rc = 0;
	int rc2;

	memset(&pgs, 0, sizeof(pgs));
	pgs.hpk_fid = hai->hai_fid;
	pgs.hpk_cookie = hai->hai_cookie;
	pgs.hpk_extent.offset = hai->hai_extent.offset;
	pgs.hpk_extent.length = 0;
	if (hai->hai_action == HSMA_ARCHIVE) {
		struct lsim_file *f = mdt_lookup(&hai->hai_fid);

		if (f == NULL) {
			pgs.hpk_flags |= HP_FLAG_RETRY;
			pgs.hpk_errval = ENOENT;
			rc = -ENOENT;
		} else {
			copy->hc_data_version = f->dv;
		}
	}
	if (pgs.hpk_errval != 0)
		pgs.hpk_flags |= HP_FLAG_COMPLETED;
	rc2 = cdt_progress(cred, &pgs, -1);
	return rc != 0 ? rc : rc2;
}

/* What the client does for LL_IOC_HSM_COPY_END. */
static int op_copy_end(const struct lsim_cred *cred, struct hsm_copy *copy,
		       int volfd)
{
	struct hsm_action_item *hai = &copy->hc_hai;
	struct hsm_progress_kernel pgs;
	int rc = 0;
	int rc2;

	memset(&pgs, 0, sizeof(pgs));
	pgs.hpk_fid = hai->hai_fid;
	pgs.hpk_cookie = hai->hai_cookie;
	pgs.hpk_extent = hai->hai_extent;
	pgs.hpk_flags = copy->hc_flags | HP_FLAG_COMPLETED;
	pgs.hpk_errval = copy->hc_errval;

	if (copy->hc_errval == 0 && hai->hai_action == HSMA_ARCHIVE) {
		struct lsim_file *f = mdt_lookup(&hai->hai_fid);

		if (f == NULL) {
			pgs.hpk_flags |= HP_FLAG_RETRY;
			pgs.hpk_errval = ENOENT;
			rc = -ENOENT;
		} else {
			if (f->dv != copy->hc_data_version) {
				/* the file changed while it was copied */
				pgs.hpk_errval = EBUSY;
				rc = -EBUSY;
			}
			copy->hc_data_version = f->dv;
			pgs.hpk_data_version = f->dv;
		}
	} else if (copy->hc_errval == 0 && hai->hai_action == HSMA_RESTORE) {
		struct lsim_file *v = mdt_volatile_by_fid(&hai->hai_fid);
		uint64_t dv;

		if (v == NULL || !mdt_volatile_matches(v, volfd, &dv)) {
			/* the volatile was closed: it no longer exists */
			pgs.hpk_flags |= HP_FLAG_RETRY;
			pgs.hpk_errval = ENOENT;
			rc = -ENOENT;
			volfd = -1;
		} else {
			copy->hc_data_version = dv;
			pgs.hpk_data_version = dv;
		}
	}
	rc2 = cdt_progress(cred, &pgs, volfd);
	return rc != 0 ? rc : rc2;
}

/* A temporary file holding a listing, positioned at its start. */
static int listing_fd(enum lsim_list which)
{
	FILE *out;
	int fd;
	int fd2;

	fd = openat(D.privfd, ".", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0)
		fd = memfd_create("lsim-listing", MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	fd2 = dup(fd);
	if (fd2 < 0 || (out = fdopen(fd2, "w")) == NULL) {
		int rc = -errno;

		if (fd2 >= 0)
			close(fd2);
		close(fd);
		return rc;
	}
	setvbuf(out, NULL, _IOFBF, 1 << 20);
	switch (which) {
	case LSIM_LIST_AGENTS:
		cdt_list_agents(out);
		break;
	case LSIM_LIST_ACTIVE_REQUESTS:
		cdt_list_active(out);
		break;
	case LSIM_LIST_ACTIONS:
		cdt_list_actions(out);
		break;
	case LSIM_LIST_PARAMS:
		cdt_list_params(out);
		break;
	}
	if (fclose(out) != 0 || lseek(fd, 0, SEEK_SET) < 0) {
		int rc = -errno;

		close(fd);
		return rc;
	}
	return fd;
}

static int may_control(const struct lsim_cred *cred)
{
	return cred->uid == 0 || cred->uid == getuid();
}

/*
 * Handle one request. Returns the rc to send; *rlen / *rfd describe the
 * reply payload and descriptor.
 */
static int handle_request(const struct lsim_cred *cred, __u32 op,
			  char *req, size_t len, int fd, char *rep,
			  size_t *rlen, int *rfd)
{
	struct lsim_file *f;
	int rc;

	*rlen = 0;
	*rfd = -1;
	switch (op) {
	case LSIM_OP_FSNAME:
		*rlen = strlen(D.fsname);
		memcpy(rep, D.fsname, *rlen);
		return 0;

	case LSIM_OP_PATH2FID:
		rc = op_file_from_fd(fd, &f);
		if (rc < 0)
			return rc;
		memcpy(rep, &f->fid, sizeof(f->fid));
		*rlen = sizeof(f->fid);
		return 0;

	case LSIM_OP_FID2PATH: {
		struct lsim_fid2path_req fr;
		struct lsim_fid2path_rep hdr;
		char *path;
		size_t plen;

		if (len != sizeof(fr))
			return -EINVAL;
		if (!cred_is_admin(cred))
			return -EPERM;
		memcpy(&fr, req, sizeof(fr));
		memset(&hdr, 0, sizeof(hdr));
		rc = mdt_fid2path(&fr.fid, fr.linkno, &path, &hdr.linkno);
		if (rc < 0)
			return rc;
		plen = strlen(path);
		if (sizeof(hdr) + plen + 1 > LSIM_MSG_MAX - 64) {
			free(path);
			return -ERANGE;
		}
		memcpy(rep, &hdr, sizeof(hdr));
		memcpy(rep + sizeof(hdr), path, plen + 1);
		*rlen = sizeof(hdr) + plen + 1;
		free(path);
		return 0;
	}

	case LSIM_OP_FID2MDTIDX: {
		struct lu_fid fid;

		if (len != sizeof(fid))
			return -EINVAL;
		memcpy(&fid, req, sizeof(fid));
		return op_fid2mdtidx(&fid);
	}

	case LSIM_OP_STATE_GET: {
		struct hsm_user_state hus;

		rc = op_file_from_fd(fd, &f);
		if (rc < 0)
			return rc;
		memset(&hus, 0, sizeof(hus));
		hus.hus_states = f->hsm_flags;
		hus.hus_archive_id = f->archive_id;
		memcpy(rep, &hus, sizeof(hus));
		*rlen = sizeof(hus);
		return 0;
	}

	case LSIM_OP_STATE_SET: {
		struct hsm_state_set hss;

		if (len != sizeof(hss))
			return -EINVAL;
		memcpy(&hss, req, sizeof(hss));
		rc = op_file_from_fd(fd, &f);
		if (rc < 0)
			return rc;
		return mdt_state_set(f, &hss, cred);
	}

	case LSIM_OP_ACTION: {
		struct hsm_current_action hca;

		rc = op_file_from_fd(fd, &f);
		if (rc < 0)
			return rc;
		cdt_current_action(f, &hca);
		memcpy(rep, &hca, sizeof(hca));
		*rlen = sizeof(hca);
		return 0;
	}

	case LSIM_OP_REQUEST:
		return cdt_request(cred, (struct hsm_user_request *)req, len);

	case LSIM_OP_IMPORT: {
		struct hsm_user_import hui;

		if (len != sizeof(hui))
			return -EINVAL;
		rc = need_fd(fd);
		if (rc < 0)
			return rc;
		memcpy(&hui, req, sizeof(hui));
		return mdt_import(fd, &hui, cred);
	}

	case LSIM_OP_DATA_VERSION_SET: {
		__u64 dv;

		if (len != sizeof(dv))
			return -EINVAL;
		memcpy(&dv, req, sizeof(dv));
		if (dv == 0)
			return -EINVAL;
		rc = op_file_from_fd(fd, &f);
		if (rc < 0)
			return rc;
		if (f->special || f->is_volatile)
			return -EINVAL;
		f->archive_dv = dv;
		mdt_file_save(f);
		return 0;
	}

	case LSIM_OP_CT_START: {
		struct lustre_kernelcomm *kuc = (struct lustre_kernelcomm *)req;
		char uuid[UUID_MAX];

		if (len < sizeof(*kuc) ||
		    ((kuc->lk_flags & LK_FLG_DATANR) &&
		     len != sizeof(*kuc) +
			    (size_t)kuc->lk_data_count * sizeof(__u32)))
			return -EINVAL;
		rc = cdt_register(cred, kuc, fd, uuid);
		if (rc < 0)
			return rc;
		if (!(kuc->lk_flags & LK_FLG_STOP)) {
			*rlen = strlen(uuid);
			memcpy(rep, uuid, *rlen);
		}
		return 0;
	}

	case LSIM_OP_AGENT_UUID: {
		const char *uuid = cdt_agent_uuid(cred->pid);

		if (uuid == NULL)
			return -ENOENT;
		*rlen = strlen(uuid);
		memcpy(rep, uuid, *rlen);
		return 0;
	}

	case LSIM_OP_COPY_START:
	case LSIM_OP_COPY_END: {
		struct hsm_copy copy;

		if (len != sizeof(copy))
			return -EINVAL;
		memcpy(&copy, req, sizeof(copy));
		if (op == LSIM_OP_COPY_START)
			rc = op_copy_start(cred, &copy);
		else
			rc = op_copy_end(cred, &copy, fd);
		memcpy(rep, &copy, sizeof(copy));
		*rlen = sizeof(copy);
		return rc;
	}

	case LSIM_OP_PROGRESS: {
		struct hsm_progress hp;
		struct hsm_progress_kernel pgs;

		if (len != sizeof(hp))
			return -EINVAL;
		memcpy(&hp, req, sizeof(hp));
		memset(&pgs, 0, sizeof(pgs));
		pgs.hpk_fid = hp.hp_fid;
		pgs.hpk_cookie = hp.hp_cookie;
		pgs.hpk_extent = hp.hp_extent;
		pgs.hpk_flags = hp.hp_flags;
		pgs.hpk_errval = hp.hp_errval;
		return cdt_progress(cred, &pgs, -1);
	}

	case LSIM_OP_VOLATILE: {
		struct lsim_volatile_req vr;
		struct lu_fid fid;

		if (len != sizeof(vr))
			return -EINVAL;
		if (!cred_is_admin(cred))
			return -EPERM;
		rc = need_fd(fd);
		if (rc < 0)
			return rc;
		rc = mdt_volatile_register(fd, &fid);
		if (rc < 0)
			return rc;
		memcpy(rep, &fid, sizeof(fid));
		*rlen = sizeof(fid);
		return 0;
	}

	case LSIM_OP_GET_PARAM: {
		char name[128];

		if (len == 0 || len >= sizeof(name))
			return -EINVAL;
		memcpy(name, req, len);
		name[len] = '\0';
		rc = cdt_get_param(name, rep, 4096);
		if (rc == 0)
			*rlen = strlen(rep);
		return rc;
	}

	case LSIM_OP_SET_PARAM: {
		char *eq;

		if (!may_control(cred))
			return -EPERM;
		req[len] = '\0';
		eq = strchr(req, '=');
		if (eq == NULL)
			return -EINVAL;
		*eq = '\0';
		rc = cdt_set_param(req, eq + 1, rep, 1024);
		if (rc < 0)
			*rlen = strlen(rep);
		else
			lsim_log("set %s=%s", req, eq + 1);
		return rc;
	}

	case LSIM_OP_LIST: {
		__u32 which;

		if (len != sizeof(which))
			return -EINVAL;
		memcpy(&which, req, sizeof(which));
		if (which < LSIM_LIST_AGENTS || which > LSIM_LIST_PARAMS)
			return -EINVAL;
		rc = listing_fd(which);
		if (rc < 0)
			return rc;
		*rfd = rc;
		return 0;
	}

	case LSIM_OP_STATUS: {
		FILE *out = fmemopen(rep, 4096, "w");

		if (out == NULL)
			return -errno;
		cdt_status(out);
		fclose(out);
		*rlen = strnlen(rep, 4096);
		return 0;
	}

	case LSIM_OP_STOP: {
		__u32 pid = (__u32)getpid();

		if (!may_control(cred))
			return -EPERM;
		memcpy(rep, &pid, sizeof(pid));
		*rlen = sizeof(pid);
		D.stopping = 1;
		lsim_log("stop requested by pid %d", (int)cred->pid);
		return 0;
	}

	default:
		return -EOPNOTSUPP;
	}
}

static void conn_close(struct conn *c)
{
	close(c->fd);	/* leaves the epoll set with it */
	free(c);
}

/* Serve every complete request available on a connection. */
static void conn_ready(struct conn *c, uint32_t events)
{
	static char req[LSIM_MSG_MAX + 1];

	for (;;) {
		struct lsim_req_hdr *hdr = (struct lsim_req_hdr *)req;
		struct lsim_rep_hdr *rhdr = (struct lsim_rep_hdr *)reply_buf;
		size_t rlen = 0;
		int rfd = -1;
		int fd = -1;
		ssize_t n;
		int rc;

		n = lsim_recv_msg(c->fd, req, LSIM_MSG_MAX, &fd, MSG_DONTWAIT);
		if (n == -EAGAIN) {
			if (events & (EPOLLHUP | EPOLLERR))
				conn_close(c);
			return;
		}
		if (n <= 0) {
			conn_close(c);
			return;
		}
		if ((size_t)n < sizeof(*hdr) || hdr->magic != LSIM_REQ_MAGIC ||
		    hdr->len != (size_t)n - sizeof(*hdr)) {
			if (fd >= 0)
				close(fd);
			lsim_log("malformed request from pid %d dropped",
				 (int)c->cred.pid);
			conn_close(c);
			return;
		}
		memset(reply_buf, 0, sizeof(*rhdr));
		rc = handle_request(&c->cred, hdr->op, req + sizeof(*hdr),
				    hdr->len, fd,
				    reply_buf + sizeof(*rhdr), &rlen, &rfd);
		if (fd >= 0)
			close(fd);
		journal_flush();
		rhdr->magic = LSIM_REP_MAGIC;
		rhdr->rc = rc;
		rhdr->len = (__u32)rlen;
		rc = lsim_send_msg(c->fd, reply_buf, sizeof(*rhdr),
				   reply_buf + sizeof(*rhdr), rlen, rfd);
		if (rfd >= 0)
			close(rfd);
		if (rc < 0) {
			conn_close(c);
			return;
		}
	}
}

static void accept_ready(void)
{
	for (;;) {
		struct epoll_event ev = { .events = EPOLLIN };
		struct ucred uc;
		socklen_t ulen = sizeof(uc);
		struct conn *c;
		int fd;

		fd = accept4(ev_listen.fd, NULL, NULL,
			     SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno != EAGAIN && errno != EINTR &&
			    errno != ECONNABORTED)
				lsim_log("accept: %s", strerror(errno));
			return;
		}
		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &uc, &ulen) < 0) {
			close(fd);
			continue;
		}
		c = calloc(1, sizeof(*c));
		if (c == NULL) {
			close(fd);
			continue;
		}
		c->kind = EV_CONN;
		c->fd = fd;
		c->cred.uid = uc.uid;
		c->cred.gid = uc.gid;
		c->cred.pid = uc.pid;
		ev.data.ptr = c;
		if (epoll_ctl(D.epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
			conn_close(c);
			continue;
		}
	}
}

/* Start-up ------------------------------------------------------------------- */

static int report(int ready_fd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int report(int ready_fd, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (ready_fd >= 0) {
		dprintf(ready_fd, "ERR %s\n", msg);
		close(ready_fd);
	}
	lsim_log("%s", msg);
	return 1;
}

static int read_fsname(char *buf, size_t size)
{
	int fd = openat(D.privfd, LSIM_FSNAME_NAME, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static int write_fsname(const char *fsname)
{
	int fd = openat(D.privfd, LSIM_FSNAME_NAME ".new",
			O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	int rc = 0;

	if (fd < 0)
		return -errno;
	if (dprintf(fd, "%s\n", fsname) < 0 || fsync(fd) < 0)
		rc = -errno;
	close(fd);
	if (rc == 0 && renameat(D.privfd, LSIM_FSNAME_NAME ".new", D.privfd,
				LSIM_FSNAME_NAME) < 0)
		rc = -errno;
	return rc;
}

static int listen_socket(void)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd;

	unlinkat(D.privfd, LSIM_SOCK_NAME, 0);
	snprintf(addr.sun_path, sizeof(addr.sun_path), "/proc/self/fd/%d/%s",
		 D.privfd, LSIM_SOCK_NAME);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
	    fchmodat(D.privfd, LSIM_SOCK_NAME, 0666, 0) < 0 ||
	    listen(fd, 128) < 0) {
		int rc = -errno;

		close(fd);
		return rc;
	}
	return fd;
}

static void registry_add(void)
{
	const char *dir = lsim_registry_dir();
	char tmp[PATH_MAX];
	char link[PATH_MAX];

	if (mkdir(dir, 01777) == 0)
		chmod(dir, 01777);
	snprintf(tmp, sizeof(tmp), "%s/.%s.%d", dir, D.fsname, (int)getpid());
	snprintf(link, sizeof(link), "%s/%s", dir, D.fsname);
	unlink(tmp);
	if (symlink(D.root_path, tmp) < 0 || rename(tmp, link) < 0) {
		lsim_log("cannot register fsname in %s: %s", dir,
			 strerror(errno));
		unlink(tmp);
	}
}

static void registry_remove(void)
{
	char link[PATH_MAX];
	char target[PATH_MAX];
	ssize_t n;

	snprintf(link, sizeof(link), "%s/%s", lsim_registry_dir(), D.fsname);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return;
	target[n] = '\0';
	if (strcmp(target, D.root_path) == 0)
		unlink(link);
}

static int add_source(struct ev_src *src, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = src };

	src->fd = fd;
	return epoll_ctl(D.epfd, EPOLL_CTL_ADD, fd, &ev);
}

static int setup_events(void)
{
	struct itimerspec its = {
		.it_interval = { .tv_sec = 1 },
		.it_value = { .tv_sec = 1 },
	};
	struct sigaction ign = { .sa_handler = SIG_IGN };
	sigset_t mask;
	int fd;

	sigaction(SIGPIPE, &ign, NULL);
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0)
		return -errno;
	D.epfd = epoll_create1(EPOLL_CLOEXEC);
	if (D.epfd < 0)
		return -errno;
	fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (fd < 0 || add_source(&ev_signal, fd) < 0)
		return -errno;
	fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (fd < 0 || timerfd_settime(fd, 0, &its, NULL) < 0 ||
	    add_source(&ev_timer, fd) < 0)
		return -errno;
	return 0;
}

static void write_pidfile(void)
{
	int fd = openat(D.privfd, "pid", O_WRONLY | O_CREAT | O_TRUNC |
			O_CLOEXEC, 0644);

	if (fd < 0)
		return;
	dprintf(fd, "%d\n", (int)getpid());
	close(fd);
}

static void event_loop(void)
{
	struct epoll_event evs[64];

	while (!D.stopping) {
		int n = epoll_wait(D.epfd, evs, 64, -1);
		int i;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			lsim_log("epoll_wait: %s", strerror(errno));
			break;
		}
		for (i = 0; i < n; i++) {
			int kind = *(int *)evs[i].data.ptr;

			switch (kind) {
			case EV_LISTEN:
				accept_ready();
				break;
			case EV_CONN:
				conn_ready(evs[i].data.ptr, evs[i].events);
				break;
			case EV_PIPE: {
				struct lsim_pipe *p = evs[i].data.ptr;

				if (p->fd >= 0)
					pipe_flush(p);
				break;
			}
			case EV_TIMER: {
				uint64_t ticks;

				if (read(ev_timer.fd, &ticks, sizeof(ticks)) < 0 &&
				    errno != EAGAIN)
					lsim_log("timer: %s", strerror(errno));
				mdt_sweep(2000);
				cdt_tick();
				journal_maybe_compact();
				break;
			}
			case EV_SIGNAL: {
				struct signalfd_siginfo si;

				if (read(ev_signal.fd, &si, sizeof(si)) ==
				    sizeof(si)) {
					lsim_log("signal %u: stopping",
						 si.ssi_signo);
					D.stopping = 1;
				}
				break;
			}
			}
		}
		if (D.cdt_event)
			cdt_scan(0);
		journal_flush();
		cdt_reap_pipes();
	}
}

int daemon_main(const char *root, const char *fsname, char **settings,
		int nsettings, int ready_fd, int foreground)
{
	char stored[MTI_NAME_MAXLEN + 1] = "";
	int lockfd;
	int rc;
	int i;

	D.jfd = -1;
	D.epfd = -1;
	reply_buf = malloc(LSIM_MSG_MAX);
	if (reply_buf == NULL)
		return report(ready_fd, "out of memory");
	D.root_path = realpath(root, NULL);
	if (D.root_path == NULL)
		return report(ready_fd, "%s: %s", root, strerror(errno));
	D.rootfd = open(D.root_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (D.rootfd < 0)
		return report(ready_fd, "%s: %s", root, strerror(errno));
	D.privfd = openat(D.rootfd, LSIM_PRIV_DIR, O_RDONLY | O_DIRECTORY |
			  O_CLOEXEC);
	D.fiddirfd = openat(D.rootfd, LSIM_FID_DIR, O_RDONLY | O_DIRECTORY |
			    O_CLOEXEC);
	if (D.privfd < 0 || D.fiddirfd < 0)
		return report(ready_fd, "%s: cannot open .lustre: %s", root,
			      strerror(errno));

	if (!foreground) {
		int logfd = openat(D.privfd, "daemon.log",
				   O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
				   0644);

		if (logfd >= 0) {
			dup2(logfd, STDOUT_FILENO);
			dup2(logfd, STDERR_FILENO);
			close(logfd);
		}
	}

	lockfd = openat(D.privfd, "lock", O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (lockfd < 0)
		return report(ready_fd, "cannot create lock file: %s",
			      strerror(errno));
	if (flock(lockfd, LOCK_EX | LOCK_NB) < 0)
		return report(ready_fd, "%s: already running", D.root_path);

	if (read_fsname(stored, sizeof(stored)) == 0 && stored[0] != '\0') {
		if (fsname != NULL && strcmp(fsname, stored) != 0)
			return report(ready_fd,
				      "%s holds filesystem '%s', not '%s'",
				      D.root_path, stored, fsname);
		snprintf(D.fsname, sizeof(D.fsname), "%s", stored);
	} else {
		if (fsname == NULL)
			return report(ready_fd,
				      "%s is a new mount: --fsname is required",
				      D.root_path);
		rc = write_fsname(fsname);
		if (rc < 0)
			return report(ready_fd, "cannot record fsname: %s",
				      strerror(-rc));
		snprintf(D.fsname, sizeof(D.fsname), "%s", fsname);
	}

	cdt_init();
	rc = mdt_init();
	if (rc < 0)
		return report(ready_fd, "cannot initialise objects: %s",
			      strerror(-rc));
	rc = journal_load();
	if (rc < 0)
		return report(ready_fd, "cannot load journal: %s",
			      strerror(-rc));
	mdt_remove_orphan_links();
	cdt_after_load();

	for (i = 0; i < nsettings; i++) {
		char err[1024];
		char *eq = strchr(settings[i], '=');

		if (eq == NULL)
			return report(ready_fd, "bad setting '%s': KEY=VALUE expected",
				      settings[i]);
		*eq = '\0';
		rc = cdt_set_param(settings[i], eq + 1, err, sizeof(err));
		*eq = '=';
		if (rc < 0)
			return report(ready_fd, "%s", err);
	}

	rc = setup_events();
	if (rc < 0)
		return report(ready_fd, "cannot set up events: %s",
			      strerror(-rc));
	rc = listen_socket();
	if (rc < 0)
		return report(ready_fd, "cannot listen on %s/%s: %s",
			      D.root_path, LSIM_SOCK, strerror(-rc));
	if (add_source(&ev_listen, rc) < 0)
		return report(ready_fd, "epoll: %s", strerror(errno));
	journal_flush();
	registry_add();
	write_pidfile();
	lsim_log("started: fsname %s, root %s, %llu objects, %llu records",
		 D.fsname, D.root_path, (unsigned long long)D.nfiles,
		 (unsigned long long)D.nrecs);
	if (ready_fd >= 0) {
		dprintf(ready_fd, "OK %d\n", (int)getpid());
		close(ready_fd);
	}

	event_loop();

	close(ev_listen.fd);
	unlinkat(D.privfd, LSIM_SOCK_NAME, 0);
	cdt_shutdown_agents();
	journal_close();
	registry_remove();
	unlinkat(D.privfd, "pid", 0);
	lsim_log("stopped");
	close(lockfd);
	return 0;
}

/*
 * Copytool side of the HSM API: registration, the KUC action-list pipe, and
 * the per-action begin/progress/end calls.
 *
 * The action calls work from the handle fields alone (ct->mnt, ct->mnt_fd,
 * ct->open_by_fid_fd and the action handle), as copytool shims hand in
 * copytool handles of their own making.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "lib_internal.h"

#define KUC_FIXED_SIZE	24	/* struct lustre_kernelcomm without lk_data */

int llapi_hsm_copytool_register(struct hsm_copytool_private **priv,
				const char *mnt, int archive_count,
				int *archives, int rfd_flags)
{
	struct hsm_copytool_private *ct;
	char uuid[UUID_MAX + 1];
	size_t uuid_len = 0;
	int pipefd[2] = { -1, -1 };
	int count = archive_count > 0 ? archive_count : 0;
	int rc;
	int i;

	if (archive_count > 0 && archives == NULL) {
		llapi_err_noerrno(LLAPI_MSG_ERROR, "NULL archive numbers");
		return -EINVAL;
	}
	for (i = 0; i < count; i++) {
		if (archives[i] < 0) {
			llapi_err_noerrno(LLAPI_MSG_ERROR,
					  "%d requested when archive id [0 - %u] is supported",
					  archives[i], INT32_MAX);
			return -EINVAL;
		}
	}
	/* an id of 0 anywhere in the list means "all archives" */
	for (i = 0; i < count; i++) {
		if (archives[i] == 0) {
			count = 0;
			break;
		}
	}

	ct = calloc(1, sizeof(*ct));
	if (ct == NULL)
		return -ENOMEM;
	ct->magic = CT_PRIV_MAGIC;
	ct->mnt_fd = -1;
	ct->open_by_fid_fd = -1;

	ct->mnt = strdup(mnt);
	ct->kuch = calloc(1, HAL_MAXSIZE + sizeof(struct kuc_hdr));
	ct->kuc = calloc(1, 40 + sizeof(__u32) * (size_t)count);
	if (ct->mnt == NULL || ct->kuch == NULL || ct->kuc == NULL) {
		rc = -ENOMEM;
		goto out_err;
	}
	ct->kuc->lk_rfd = LK_NOFD;
	ct->kuc->lk_wfd = LK_NOFD;

	ct->mnt_fd = open(ct->mnt, O_RDONLY);
	if (ct->mnt_fd < 0) {
		rc = -errno;
		goto out_err;
	}
	ct->open_by_fid_fd = openat(ct->mnt_fd, dot_lustre_name "/" dot_fid_name,
				    O_RDONLY);
	if (ct->open_by_fid_fd < 0) {
		rc = -errno;
		goto out_err;
	}

	if (pipe(pipefd) < 0) {
		rc = -errno;
		goto out_err;
	}
	if (fcntl(pipefd[0], F_SETFL, rfd_flags) < 0) {
		rc = -errno;
		goto out_err;
	}
	ct->kuc->lk_rfd = (__u32)pipefd[0];
	ct->kuc->lk_wfd = (__u32)pipefd[1];
	ct->kuc->lk_uid = (__u32)getpid();
	ct->kuc->lk_group = KUC_GRP_HSM;
	ct->kuc->lk_data_count = (__u32)count;
	ct->kuc->lk_flags = LK_FLG_DATANR;
	for (i = 0; i < count; i++)
		ct->kuc->lk_data[i] = (__u32)archives[i];

	rc = lsim_fd_call(ct->mnt_fd, LSIM_OP_CT_START, ct->kuc,
			  KUC_FIXED_SIZE + sizeof(__u32) * (size_t)count,
			  pipefd[1], uuid, sizeof(uuid) - 1, &uuid_len,
			  -ENOTTY);
	if (rc < 0) {
		llapi_error(LLAPI_MSG_ERROR, rc, "cannot start copytool on '%s'",
			    mnt);
		goto out_err;
	}
	uuid[uuid_len] = '\0';
	lsim_event_ct_registration(ct, uuid, "REGISTER");

	/* only the coordinator's reference keeps the write side open */
	close(pipefd[1]);
	ct->kuc->lk_wfd = LK_NOFD;
	*priv = ct;
	return 0;

out_err:
	if (pipefd[0] >= 0)
		close(pipefd[0]);
	if (pipefd[1] >= 0)
		close(pipefd[1]);
	if (ct->mnt_fd >= 0)
		close(ct->mnt_fd);
	if (ct->open_by_fid_fd >= 0)
		close(ct->open_by_fid_fd);
	free(ct->mnt);
	free(ct->kuch);
	free(ct->kuc);
	free(ct);
	return rc;
}

int llapi_hsm_copytool_unregister(struct hsm_copytool_private **priv)
{
	struct hsm_copytool_private *ct;
	char uuid[UUID_MAX + 1] = "";
	size_t uuid_len = 0;

	if (priv == NULL || *priv == NULL)
		return -EINVAL;
	ct = *priv;
	if (ct->magic != CT_PRIV_MAGIC)
		return -EINVAL;

	if (lsim_event_fifo_active() &&
	    lsim_fd_call(ct->mnt_fd, LSIM_OP_AGENT_UUID, NULL, 0, -1, uuid,
			 sizeof(uuid) - 1, &uuid_len, -ENOTTY) >= 0)
		uuid[uuid_len] = '\0';

	/* close the read end first so that no writer blocks on a full pipe */
	if (ct->kuc->lk_rfd != LK_NOFD) {
		close((int)ct->kuc->lk_rfd);
		ct->kuc->lk_rfd = LK_NOFD;
	}
	ct->kuc->lk_flags = LK_FLG_STOP;
	lsim_fd_call(ct->mnt_fd, LSIM_OP_CT_START, ct->kuc,
		     KUC_FIXED_SIZE + sizeof(__u32) * ct->kuc->lk_data_count,
		     -1, NULL, 0, NULL, -ENOTTY);
	lsim_event_ct_registration(ct, uuid, "UNREGISTER");

	close(ct->mnt_fd);
	close(ct->open_by_fid_fd);
	free(ct->mnt);
	free(ct->kuch);
	free(ct->kuc);
	free(ct);
	*priv = NULL;
	return 0;
}

int llapi_hsm_copytool_get_fd(struct hsm_copytool_private *ct)
{
	if (ct == NULL || ct->magic != CT_PRIV_MAGIC)
		return -EINVAL;
	return (int)ct->kuc->lk_rfd;
}

/*
 * Read exactly len bytes of a KUC message. Before the first byte of a message
 * a non-blocking descriptor may report -EAGAIN; once a message has started,
 * wait for the rest of it.
 */
static int kuc_read(int fd, void *buf, size_t len, int *started)
{
	char *p = buf;

	while (len > 0) {
		ssize_t n = read(fd, p, len);

		if (n > 0) {
			p += n;
			len -= (size_t)n;
			*started = 1;
			continue;
		}
		if (n == 0)
			return -EPIPE;
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN) {
			struct pollfd pfd = { .fd = fd, .events = POLLIN };

			if (!*started)
				return -EAGAIN;
			if (poll(&pfd, 1, -1) < 0 && errno != EINTR)
				return -errno;
			continue;
		}
		return -errno;
	}
	return 0;
}

int llapi_hsm_copytool_recv(struct hsm_copytool_private *ct,
			    struct hsm_action_list **halh, int *msgsize)
{
	struct kuc_hdr *kuch;
	struct hsm_action_list *hal;
	int rfd;
	int rc;

	if (ct == NULL || ct->magic != CT_PRIV_MAGIC)
		return -EINVAL;
	if (halh == NULL || msgsize == NULL)
		return -EINVAL;

	kuch = ct->kuch;
	rfd = (int)ct->kuc->lk_rfd;
	for (;;) {
		int started = 0;
		size_t msglen;
		__u32 i;

		rc = kuc_read(rfd, kuch, sizeof(*kuch), &started);
		if (rc < 0)
			goto out_err;
		if (kuch->kuc_magic != KUC_MAGIC) {
			rc = -EPROTO;
			llapi_error(LLAPI_MSG_ERROR, rc,
				    "bad message magic %x != %x",
				    kuch->kuc_magic, KUC_MAGIC);
			goto out_err;
		}
		if (kuch->kuc_msglen < sizeof(*kuch)) {
			rc = -EPROTO;
			llapi_error(LLAPI_MSG_ERROR, rc,
				    "bad message length %u < %zu",
				    kuch->kuc_msglen, sizeof(*kuch));
			goto out_err;
		}
		msglen = kuch->kuc_msglen;
		if (msglen > HAL_MAXSIZE + sizeof(*kuch)) {
			rc = -EMSGSIZE;
			llapi_error(LLAPI_MSG_ERROR, rc,
				    "message too large: %u", kuch->kuc_msglen);
			goto out_err;
		}
		rc = kuc_read(rfd, kuch + 1, kuch->kuc_msglen - sizeof(*kuch),
			      &started);
		if (rc < 0)
			goto out_err;

		if (kuch->kuc_transport != KUC_TRANSPORT_HSM &&
		    kuch->kuc_transport != KUC_TRANSPORT_GENERIC)
			continue;
		if (kuch->kuc_transport == KUC_TRANSPORT_GENERIC &&
		    kuch->kuc_msgtype == KUC_MSG_SHUTDOWN) {
			rc = -ESHUTDOWN;
			goto out_err;
		}
		if (kuch->kuc_transport != KUC_TRANSPORT_HSM ||
		    kuch->kuc_msgtype != HMT_ACTION_LIST) {
			rc = -EPROTO;
			llapi_error(LLAPI_MSG_ERROR, rc,
				    "Unknown HSM message type %d:%d",
				    kuch->kuc_transport, kuch->kuc_msgtype);
			goto out_err;
		}
		if (kuch->kuc_msglen < sizeof(*kuch) + sizeof(*hal)) {
			rc = -EPROTO;
			llapi_error(LLAPI_MSG_ERROR, rc, "Short HSM message %d",
				    kuch->kuc_msglen);
			goto out_err;
		}

		hal = (struct hsm_action_list *)(kuch + 1);
		if (ct->kuc->lk_data_count > 0) {
			for (i = 0; i < ct->kuc->lk_data_count; i++)
				if (ct->kuc->lk_data[i] == hal->hal_archive_id)
					break;
			if (i == ct->kuc->lk_data_count)
				continue;	/* not an archive we serve */
		}
		*halh = hal;
		*msgsize = kuch->kuc_msglen - (int)sizeof(*kuch);
		return 0;
	}

out_err:
	*halh = NULL;
	*msgsize = 0;
	return rc;
}

static int open_by_fid(const struct hsm_copytool_private *ct,
		       const struct lu_fid *fid, int flags)
{
	char name[FID_NOBRACE_LEN + 1];
	int fd;

	snprintf(name, sizeof(name), DFID_NOBRACE, PFID(fid));
	fd = openat(ct->open_by_fid_fd, name, flags);
	return fd < 0 ? -errno : fd;
}

static int copy_ioctl(const struct hsm_copytool_private *ct,
		      struct hsm_copyaction_private *hcp, enum lsim_op op,
		      int send_fd)
{
	struct hsm_copy reply;
	size_t len = 0;
	int rc;

	rc = lsim_fd_call(ct->mnt_fd, op, &hcp->copy, sizeof(hcp->copy),
			  send_fd, &reply, sizeof(reply), &len, -ENOTTY);
	if (rc == -EBADF && send_fd >= 0)
		/* the descriptor was closed behind our back */
		rc = lsim_fd_call(ct->mnt_fd, op, &hcp->copy,
				  sizeof(hcp->copy), -1, &reply,
				  sizeof(reply), &len, -ENOTTY);
	if (len == sizeof(reply))
		hcp->copy = reply;
	return rc;
}

/*
 * Create the anonymous restore destination in dir. Filesystems without
 * O_TMPFILE get a named volatile that is unlinked right away.
 */
static int create_volatile(const char *dir, int mdt_index, int open_flags)
{
	int flags = open_flags & ~(O_CREAT | O_EXCL | O_TRUNC | O_DIRECTORY);
	int fd;
	int i;

	if ((flags & O_ACCMODE) == O_RDONLY)
		flags = (flags & ~O_ACCMODE) | O_RDWR;
	fd = open(dir, flags | O_TMPFILE, 0600);
	if (fd >= 0)
		return fd;
	if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
		return -errno;

	for (i = 0; i < 100; i++) {
		char path[PATH_MAX];
		int n;

		if (mdt_index < 0)
			n = snprintf(path, sizeof(path), "%s/%s::%.4X", dir,
				     LUSTRE_VOLATILE_HDR,
				     (unsigned int)random() & 0xffff);
		else
			n = snprintf(path, sizeof(path), "%s/%s:%.4X:%.4X",
				     dir, LUSTRE_VOLATILE_HDR, mdt_index,
				     (unsigned int)random() & 0xffff);
		if (n < 0 || (size_t)n >= sizeof(path))
			return -ENAMETOOLONG;
		fd = open(path, flags | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
		if (fd >= 0) {
			unlink(path);
			return fd;
		}
		if (errno != EEXIST)
			return -errno;
	}
	return -EEXIST;
}

static int restore_begin(const struct hsm_copytool_private *ct,
			 struct hsm_copyaction_private *hcp,
			 int mdt_index, int open_flags)
{
	struct hsm_action_item *hai = &hcp->copy.hc_hai;
	struct lsim_volatile_req vreq;
	char name[FID_NOBRACE_LEN + 1];
	char rel[PATH_MAX];
	char *parent = NULL;
	struct lu_fid vfid;
	long long recno = -1;
	int linkno = 0;
	size_t len;
	int rc;

	snprintf(name, sizeof(name), DFID_NOBRACE, PFID(&hai->hai_fid));
	if (statx(ct->open_by_fid_fd, name, AT_SYMLINK_NOFOLLOW,
		  STATX_BASIC_STATS | STATX_BTIME, &hcp->statx) < 0) {
		rc = -errno;
		llapi_error(LLAPI_MSG_ERROR, rc, "cannot stat " DFID,
			    PFID(&hai->hai_fid));
		return rc;
	}

	rc = open_by_fid(ct, &hai->hai_dfid,
			 O_RDONLY | O_NOATIME | O_NOFOLLOW | O_NONBLOCK);
	if (rc < 0) {
		llapi_error(LLAPI_MSG_ERROR, rc, "cannot open " DFID,
			    PFID(&hai->hai_dfid));
		return rc;
	}
	hcp->source_fd = rc;

	rc = llapi_fid2path_at(ct->mnt_fd, &hai->hai_fid, rel, sizeof(rel),
			       &recno, &linkno);
	if (rc == 0) {
		char *slash = strrchr(rel, '/');

		if (slash == NULL || strcmp(rel, "/") == 0)
			rc = asprintf(&parent, "%s", ct->mnt);
		else
			rc = asprintf(&parent, "%s/%.*s", ct->mnt,
				      (int)(slash - rel), rel);
		rc = rc < 0 ? -ENOMEM : 0;
	}
	if (rc < 0) {
		llapi_error(LLAPI_MSG_ERROR, rc,
			    "cannot get parent path to restore " DFID
			    " using '%s'", PFID(&hai->hai_fid), ct->mnt);
		free(parent);
		parent = strdup(ct->mnt);
		if (parent == NULL)
			return -ENOMEM;
	}

	rc = create_volatile(parent, mdt_index, open_flags);
	if (rc < 0) {
		llapi_error(LLAPI_MSG_ERROR, rc,
			    "cannot create volatile file in '%s'", parent);
		free(parent);
		return rc;
	}
	free(parent);
	hcp->data_fd = rc;

	if (fchown(hcp->data_fd, hcp->statx.stx_uid, hcp->statx.stx_gid) < 0) {
		rc = -errno;
		llapi_error(LLAPI_MSG_ERROR, rc,
			    "cannot chown volatile file of " DFID,
			    PFID(&hai->hai_fid));
		return rc;
	}

	memset(&vreq, 0, sizeof(vreq));
	vreq.orig_fid = hai->hai_fid;
	rc = lsim_fd_call(ct->mnt_fd, LSIM_OP_VOLATILE, &vreq, sizeof(vreq),
			  hcp->data_fd, &vfid, sizeof(vfid), &len, -ENOTTY);
	if (rc == 0 && len != sizeof(vfid))
		rc = -EPROTO;
	if (rc < 0) {
		llapi_error(LLAPI_MSG_ERROR, rc,
			    "cannot get fid of volatile file of " DFID,
			    PFID(&hai->hai_fid));
		return rc;
	}
	hai->hai_dfid = vfid;

	close(hcp->source_fd);
	hcp->source_fd = -1;
	return 0;
}

int llapi_hsm_action_begin(struct hsm_copyaction_private **phcp,
			   const struct hsm_copytool_private *ct,
			   const struct hsm_action_item *hai,
			   int restore_mdt_index, int restore_open_flags,
			   bool is_error)
{
	struct hsm_copyaction_private *hcp;
	int rc = 0;

	hcp = calloc(1, sizeof(*hcp));
	if (hcp == NULL)
		return -ENOMEM;
	hcp->source_fd = -1;
	hcp->data_fd = -1;
	hcp->ct_priv = ct;
	memcpy(&hcp->copy.hc_hai, hai, sizeof(hcp->copy.hc_hai));
	hcp->copy.hc_hai.hai_len = sizeof(hcp->copy.hc_hai);

	if (is_error)
		goto ok;

	switch (hai->hai_action) {
	case HSMA_ARCHIVE:
		rc = open_by_fid(ct, &hai->hai_dfid,
				 O_RDONLY | O_NOATIME | O_NOFOLLOW | O_NONBLOCK);
		if (rc < 0)
			goto err;
		hcp->source_fd = rc;
		break;
	case HSMA_RESTORE:
		rc = restore_begin(ct, hcp, restore_mdt_index,
				   restore_open_flags);
		if (rc < 0)
			goto err;
		break;
	case HSMA_REMOVE:
		/* the file may already be gone (remove on last unlink) */
		rc = open_by_fid(ct, &hai->hai_fid,
				 O_RDONLY | O_NOATIME | O_NOFOLLOW | O_NONBLOCK);
		if (rc < 0 && rc != -ENOENT)
			goto err;
		hcp->source_fd = rc >= 0 ? rc : -1;
		break;
	default:
		break;
	}

	if (hai->hai_action != HSMA_REMOVE) {
		rc = copy_ioctl(ct, hcp, LSIM_OP_COPY_START, -1);
		if (rc < 0)
			goto err;
	}
ok:
	hcp->magic = CP_PRIV_MAGIC;
	*phcp = hcp;
	if (!is_error)
		lsim_event_ct_progress(hcp, "START", 0, 0);
	return 0;
err:
	if (hcp->source_fd >= 0)
		close(hcp->source_fd);
	if (hcp->data_fd >= 0)
		close(hcp->data_fd);
	free(hcp);
	return rc;
}

int llapi_hsm_action_progress(struct hsm_copyaction_private *hcp,
			      const struct hsm_extent *he, __u64 total,
			      int hp_flags)
{
	struct hsm_progress hp;
	int rc;

	if (hcp == NULL || he == NULL || hcp->magic != CP_PRIV_MAGIC)
		return -EINVAL;

	memset(&hp, 0, sizeof(hp));
	hp.hp_fid = hcp->copy.hc_hai.hai_dfid;
	hp.hp_cookie = hcp->copy.hc_hai.hai_cookie;
	hp.hp_extent = *he;
	hp.hp_flags = (__u16)hp_flags;
	hp.hp_errval = 0;
	rc = lsim_fd_call(hcp->ct_priv->mnt_fd, LSIM_OP_PROGRESS, &hp,
			  sizeof(hp), -1, NULL, 0, NULL, -ENOTTY);
	lsim_event_ct_progress(hcp, "RUNNING", total, he->length);
	return rc;
}

int llapi_hsm_action_end(struct hsm_copyaction_private **phcp,
			 const struct hsm_extent *he, int hp_flags, int errval)
{
	struct hsm_copyaction_private *hcp;
	struct hsm_action_item *hai;
	int send_fd = -1;
	int rc;

	if (phcp == NULL || *phcp == NULL || he == NULL)
		return -EINVAL;
	hcp = *phcp;
	if (hcp->magic != CP_PRIV_MAGIC)
		return -EINVAL;
	hai = &hcp->copy.hc_hai;

	if (hai->hai_action == HSMA_RESTORE && errval == 0) {
		struct timespec times[2];

		times[0].tv_sec = hcp->statx.stx_atime.tv_sec;
		times[0].tv_nsec = hcp->statx.stx_atime.tv_nsec;
		times[1].tv_sec = hcp->statx.stx_mtime.tv_sec;
		times[1].tv_nsec = hcp->statx.stx_mtime.tv_nsec;
		if (fsync(hcp->data_fd) < 0)
			errval = -errno;
		else if (futimens(hcp->data_fd, times) < 0)
			errval = -errno;
	}

	if (hai->hai_action == HSMA_ARCHIVE || hai->hai_action == HSMA_RESTORE)
		hai->hai_fid = hai->hai_dfid;
	if (hai->hai_action == HSMA_RESTORE)
		send_fd = hcp->data_fd;

	hcp->copy.hc_flags = (__u16)hp_flags;
	hcp->copy.hc_errval = (__u16)abs(errval);
	hai->hai_extent = *he;

	rc = copy_ioctl(hcp->ct_priv, hcp, LSIM_OP_COPY_END, send_fd);
	lsim_event_ct_progress(hcp, "FINISH", 0, 0);

	if (hcp->source_fd >= 0)
		close(hcp->source_fd);
	if (hcp->data_fd >= 0)
		close(hcp->data_fd);
	free(hcp);
	*phcp = NULL;
	return rc;
}

int llapi_hsm_action_get_dfid(const struct hsm_copyaction_private *hcp,
			      struct lu_fid *fid)
{
	const struct hsm_action_item *hai = &hcp->copy.hc_hai;

	if (hcp->magic != CP_PRIV_MAGIC)
		return -EINVAL;
	if (hai->hai_action != HSMA_RESTORE && hai->hai_action != HSMA_ARCHIVE)
		return -EINVAL;
	*fid = hai->hai_dfid;
	return 0;
}

int llapi_hsm_action_get_fd(const struct hsm_copyaction_private *hcp)
{
	const struct hsm_action_item *hai = &hcp->copy.hc_hai;
	int fd;

	if (hcp->magic != CP_PRIV_MAGIC)
		return -EINVAL;
	if (hai->hai_action == HSMA_ARCHIVE)
		fd = dup(hcp->source_fd);
	else if (hai->hai_action == HSMA_RESTORE)
		fd = dup(hcp->data_fd);
	else
		return -EINVAL;
	return fd < 0 ? -errno : fd;
}

/*
 * lsim-copytool: one worker thread per action item (archive, restore,
 * remove, cancel, unknown).
 *
 * Every action started with llapi_hsm_action_begin() is ended with
 * llapi_hsm_action_end(); one that could not be started is ended through an
 * is_error handle so that the coordinator learns the outcome.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "copytool.h"

static bool ct_is_retryable(int err)
{
	return err == -ETIMEDOUT;
}

static int ct_begin_restore(struct hsm_copyaction_private **phcp,
			    const struct hsm_action_item *hai, int mdt_index,
			    int open_flags)
{
	char src[PATH_MAX];
	int rc;

	rc = ct_action_begin(phcp, hai, mdt_index, open_flags, false);
	if (rc < 0) {
		ct_path_lustre(src, sizeof(src), &hai->hai_fid);
		CT_ERROR(rc, "llapi_hsm_action_begin() on '%s' failed", src);
	}
	return rc;
}

static int ct_begin(struct hsm_copyaction_private **phcp,
		    const struct hsm_action_item *hai)
{
	return ct_begin_restore(phcp, hai, -1, 0);
}

/* Reports the outcome CT_RC of HAI to the coordinator. */
static int ct_fini(struct hsm_copyaction_private **phcp,
		   const struct hsm_action_item *hai, int hp_flags, int ct_rc)
{
	struct hsm_copyaction_private *hcp;
	char lstr[PATH_MAX];
	int rc;

	CT_TRACE("Action completed, notifying coordinator cookie=%#jx, FID="
		 DFID ", hp_flags=%d err=%d", (uintmax_t)hai->hai_cookie,
		 PFID(&hai->hai_fid), hp_flags, -ct_rc);

	ct_path_lustre(lstr, sizeof(lstr), &hai->hai_fid);

	if (phcp == NULL || *phcp == NULL) {
		rc = ct_action_begin(&hcp, hai, -1, 0, true);
		if (rc < 0) {
			CT_ERROR(rc, "llapi_hsm_action_begin() on '%s' failed",
				 lstr);
			return rc;
		}
		phcp = &hcp;
	}

	rc = ct_action_end(phcp, &hai->hai_extent, hp_flags, abs(ct_rc));
	if (rc == -ECANCELED)
		CT_ERROR(rc, "completed action on '%s' has been canceled: "
			 "cookie=%#jx, FID=" DFID, lstr,
			 (uintmax_t)hai->hai_cookie, PFID(&hai->hai_fid));
	else if (rc < 0)
		CT_ERROR(rc, "llapi_hsm_action_end() on '%s' failed", lstr);
	else
		CT_TRACE("llapi_hsm_action_end() on '%s' ok (rc=%d)", lstr, rc);

	return rc;
}

static int ct_archive(const struct hsm_action_item *hai)
{
	struct hsm_copyaction_private *hcp = NULL;
	char src[PATH_MAX];
	char object[PATH_MAX];
	char dst[PATH_MAX + 8] = "";
	bool whole_file = hai->hai_extent.length == LUSTRE_EOF;
	bool stripe_saved = false;
	int hp_flags = 0;
	int src_fd = -1;
	int dst_fd = -1;
	int open_flags;
	int rcf = 0;
	int rc;

	rc = ct_begin(&hcp, hai);
	if (rc < 0)
		goto fini_major;

	/* source: the data FID in Lustre; destination: the file's FID */
	ct_path_lustre(src, sizeof(src), &hai->hai_dfid);
	rc = ct_path_archive(object, sizeof(object), opt.hsm_root,
			     &hai->hai_fid);
	if (rc < 0) {
		CT_ERROR(rc, "archive path of " DFID " is too long",
			 PFID(&hai->hai_fid));
		goto fini_major;
	}
	/* A whole file goes to a temporary name first, so that a failure
	 * never damages the previous archive copy. */
	snprintf(dst, sizeof(dst), "%s%s", object, whole_file ? "_tmp" : "");

	CT_TRACE("archiving '%s' to '%s'", src, dst);

	if (opt.dry_run) {
		rc = 0;
		goto fini_major;
	}

	rc = ct_mkdir_p(dst);
	if (rc < 0) {
		CT_ERROR(rc, "mkdir_p '%s' failed", dst);
		goto fini_major;
	}

	src_fd = llapi_hsm_action_get_fd(hcp);
	if (src_fd < 0) {
		rc = src_fd;
		CT_ERROR(rc, "cannot open '%s' for read", src);
		goto fini_major;
	}

	/* A partial extent must not truncate the existing archive copy. */
	open_flags = O_WRONLY | O_NOFOLLOW | O_CREAT | (whole_file ? O_TRUNC : 0);
	dst_fd = open(dst, open_flags, FILE_PERM);
	if (dst_fd < 0) {
		rc = -errno;
		CT_ERROR(rc, "cannot open '%s' for write", dst);
		goto fini_major;
	}

	/* saving the layout is not critical */
	stripe_saved = ct_save_stripe(src_fd, src, dst) == 0;

	rc = ct_copy_data(hcp, src, dst, src_fd, dst_fd, hai);
	if (rc < 0) {
		CT_ERROR(rc, "data copy failed from '%s' to '%s'", src, dst);
		goto fini_major;
	}

	if (fsync(dst_fd) < 0) {
		rc = -errno;
		CT_ERROR(rc, "cannot flush '%s' archive file '%s'", src, dst);
		goto fini_major;
	}

	CT_TRACE("data archiving for '%s' to '%s' done", src, dst);

	if (opt.copy_attrs) {
		rc = ct_copy_attr(src, src_fd, dst_fd);
		if (rc < 0) {
			CT_ERROR(rc, "cannot copy attr of '%s' to '%s'", src, dst);
			rcf = rc;
		}
		CT_TRACE("attr file for '%s' saved to archive '%s'", src, dst);
	}

	if (opt.copy_xattrs) {
		rc = ct_copy_xattr(dst, src_fd, dst_fd);
		if (rc < 0) {
			CT_ERROR(rc, "cannot copy xattr of '%s' to '%s'", src, dst);
			if (rcf == 0)
				rcf = rc;
		}
		CT_TRACE("xattr file for '%s' saved to archive '%s'", src, dst);
	}

	if (whole_file) {
		if (rename(dst, object) < 0) {
			rc = -errno;
			CT_ERROR(rc, "cannot rename '%s' to '%s'", dst, object);
			goto fini_major;
		}
		if (stripe_saved) {
			char lov_tmp[PATH_MAX + 16];
			char lov_obj[PATH_MAX + 16];

			snprintf(lov_tmp, sizeof(lov_tmp), "%s.lov", dst);
			snprintf(lov_obj, sizeof(lov_obj), "%s.lov", object);
			if (rename(lov_tmp, lov_obj) < 0)
				CT_ERROR(-errno, "cannot rename '%s' to '%s'",
					 lov_tmp, lov_obj);
		}
	}

	if (opt.shadow_tree) {
		rc = ct_shadow_link(hai);
		if (rc < 0 && rcf == 0)
			rcf = rc;
	}

	if (rcf != 0)
		atomic_fetch_add(&err_minor, 1);
	goto out;

fini_major:
	atomic_fetch_add(&err_major, 1);
	if (dst[0] != '\0')
		unlink(dst);
	if (ct_is_retryable(rc))
		hp_flags |= HP_FLAG_RETRY;
	rcf = rc;

out:
	if (src_fd >= 0)
		close(src_fd);
	if (dst_fd >= 0)
		close(dst_fd);

	return ct_fini(&hcp, hai, hp_flags, rcf);
}

static int ct_restore(const struct hsm_action_item *hai)
{
	struct hsm_copyaction_private *hcp = NULL;
	char src[PATH_MAX];
	char dst[PATH_MAX];
	char *lov_buf = NULL;
	size_t lov_size = XATTR_BUF_SIZE;
	bool set_lovea = false;
	struct lu_fid dfid;
	int open_flags = 0;
	int mdt_index = -1;
	int hp_flags = 0;
	int src_fd = -1;
	int dst_fd = -1;
	int rc;

	/* source: the file's FID in the archive; destination: the volatile */
	rc = ct_path_archive(src, sizeof(src), opt.hsm_root, &hai->hai_fid);
	if (rc < 0) {
		CT_ERROR(rc, "archive path of " DFID " is too long",
			 PFID(&hai->hai_fid));
		goto fini;
	}

	rc = llapi_get_mdt_index_by_fid(mnt_fd, &hai->hai_fid, &mdt_index);
	if (rc < 0) {
		CT_ERROR(rc, "cannot get mdt index " DFID, PFID(&hai->hai_fid));
		goto fini;
	}

	/* The layout EA is replayed as saved, without interpreting it. */
	lov_buf = malloc(XATTR_BUF_SIZE);
	if (lov_buf == NULL) {
		rc = -ENOMEM;
		goto fini;
	}
	rc = ct_load_stripe(src, lov_buf, &lov_size);
	if (rc < 0) {
		CT_WARN("cannot get stripe rules for '%s' (%s), use default",
			src, strerror(-rc));
	} else {
		open_flags |= O_LOV_DELAY_CREATE;
		set_lovea = true;
	}

	rc = ct_begin_restore(&hcp, hai, mdt_index, open_flags);
	if (rc < 0)
		goto fini;

	rc = llapi_hsm_action_get_dfid(hcp, &dfid);
	if (rc < 0) {
		CT_ERROR(rc, "restoring " DFID
			 ", cannot get FID of created volatile file",
			 PFID(&hai->hai_fid));
		goto fini;
	}

	snprintf(dst, sizeof(dst), "{VOLATILE}=" DFID, PFID(&dfid));

	CT_TRACE("restoring data from '%s' to '%s'", src, dst);

	if (opt.dry_run) {
		rc = 0;
		goto fini;
	}

	src_fd = open(src, O_RDONLY | O_NOATIME | O_NOFOLLOW);
	if (src_fd < 0) {
		rc = -errno;
		CT_ERROR(rc, "cannot open '%s' for read", src);
		goto fini;
	}

	dst_fd = llapi_hsm_action_get_fd(hcp);
	if (dst_fd < 0) {
		rc = dst_fd;
		CT_ERROR(rc, "cannot open '%s' for write", dst);
		goto fini;
	}

	if (set_lovea) {
		rc = ct_restore_stripe(dst, dst_fd, lov_buf, lov_size);
		if (rc < 0) {
			CT_ERROR(rc, "cannot restore file striping info for '%s' from '%s'",
				 dst, src);
			atomic_fetch_add(&err_major, 1);
			goto fini;
		}
	}

	rc = ct_copy_data(hcp, src, dst, src_fd, dst_fd, hai);
	if (rc < 0) {
		CT_ERROR(rc, "cannot copy data from '%s' to '%s'", src, dst);
		atomic_fetch_add(&err_major, 1);
		if (ct_is_retryable(rc))
			hp_flags |= HP_FLAG_RETRY;
		goto fini;
	}

	CT_TRACE("data restore from '%s' to '%s' done", src, dst);

fini:
	rc = ct_fini(&hcp, hai, hp_flags, rc);

	/* The coordinator swaps layouts while handling the end: the volatile
	 * must stay open until then. */
	if (src_fd >= 0)
		close(src_fd);
	if (dst_fd >= 0)
		close(dst_fd);
	free(lov_buf);

	return rc;
}

static int ct_remove(const struct hsm_action_item *hai)
{
	struct hsm_copyaction_private *hcp = NULL;
	char dst[PATH_MAX];
	char lov[PATH_MAX + 8];
	int rc;

	rc = ct_begin(&hcp, hai);
	if (rc < 0)
		goto fini;

	rc = ct_path_archive(dst, sizeof(dst), opt.hsm_root, &hai->hai_fid);
	if (rc < 0) {
		CT_ERROR(rc, "archive path of " DFID " is too long",
			 PFID(&hai->hai_fid));
		goto fini;
	}

	CT_TRACE("removing file '%s'", dst);

	if (opt.dry_run) {
		rc = 0;
		goto fini;
	}

	if (unlink(dst) < 0) {
		rc = -errno;
		CT_ERROR(rc, "cannot unlink '%s'", dst);
		atomic_fetch_add(&err_minor, 1);
		goto fini;
	}

	/* The layout side file only exists where the source had a layout. */
	snprintf(lov, sizeof(lov), "%s.lov", dst);
	if (unlink(lov) < 0 && errno != ENOENT) {
		rc = -errno;
		CT_ERROR(rc, "cannot unlink '%s'", lov);
		atomic_fetch_add(&err_minor, 1);
	}

fini:
	return ct_fini(&hcp, hai, 0, rc);
}

static void ct_process_item(const struct hsm_action_item *hai)
{
	if (opt.verbose >= LLAPI_MSG_INFO || opt.dry_run) {
		char path[PATH_MAX];
		long long recno = -1;
		int linkno = 0;
		int rc;

		CT_TRACE(DFID " action %s reclen %d, cookie=%#jx",
			 PFID(&hai->hai_fid),
			 hsm_copytool_action2name(
				(enum hsm_copytool_action)hai->hai_action),
			 hai->hai_len, (uintmax_t)hai->hai_cookie);
		rc = llapi_fid2path_at(mnt_fd, &hai->hai_fid, path, sizeof(path),
				       &recno, &linkno);
		if (rc < 0)
			CT_ERROR(rc, "cannot get path of " DFID,
				 PFID(&hai->hai_fid));
		else
			CT_TRACE("processing file '%s'", path);
	}

	switch (hai->hai_action) {
	case HSMA_ARCHIVE:
		ct_archive(hai);
		break;
	case HSMA_RESTORE:
		ct_restore(hai);
		break;
	case HSMA_REMOVE:
		ct_remove(hai);
		break;
	case HSMA_CANCEL:
		/* A running copy learns about the cancel from its next
		 * progress report (-ECANCELED). */
		CT_TRACE("cancel not implemented for file system '%s'", opt.mnt);
		atomic_fetch_add(&err_minor, 1);
		break;
	default:
		CT_ERROR(-EINVAL, "unknown action %d, on '%s'", hai->hai_action,
			 opt.mnt);
		atomic_fetch_add(&err_minor, 1);
		ct_fini(NULL, hai, 0, -EINVAL);
		break;
	}
}

static void *ct_thread(void *data)
{
	struct hsm_action_item *hai = data;

	ct_process_item(hai);
	free(hai);
	return NULL;
}

int ct_process_item_async(const struct hsm_action_item *hai)
{
	struct hsm_action_item *copy;
	pthread_attr_t attr;
	pthread_t thread;
	int rc;

	/* The action list lives in the library's receive buffer, which the
	 * next receive overwrites. */
	copy = malloc(hai->hai_len);
	if (copy == NULL)
		return -ENOMEM;
	memcpy(copy, hai, hai->hai_len);

	rc = pthread_attr_init(&attr);
	if (rc != 0) {
		CT_ERROR(-rc, "pthread_attr_init failed for '%s' service",
			 opt.mnt);
		free(copy);
		return -rc;
	}
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);

	rc = pthread_create(&thread, &attr, ct_thread, copy);
	pthread_attr_destroy(&attr);
	if (rc != 0) {
		CT_ERROR(-rc, "cannot create thread for '%s' service", opt.mnt);
		free(copy);
		return -rc;
	}
	return 0;
}

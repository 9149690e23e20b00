/*
 * User side of the HSM API: file state, current action, requests, import.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "lib_internal.h"

/* Client-side cap on LL_IOC_HSM_REQUEST: MDS_MAXREQSIZE / 3. */
#define HSM_REQUEST_MAX_LEN	(5120 / 3)

int llapi_hsm_state_get_fd(int fd, struct hsm_user_state *hus)
{
	struct hsm_user_state rep;
	size_t len;
	int rc;

	rc = lsim_fd_call(fd, LSIM_OP_STATE_GET, NULL, 0, fd, &rep,
			  sizeof(rep), &len, -ENOTTY);
	if (rc < 0)
		return rc;
	if (hus == NULL)
		return -EFAULT;
	if (len != sizeof(rep))
		return -EPROTO;
	memcpy(hus, &rep, sizeof(rep));
	return 0;
}

int llapi_hsm_state_get(const char *path, struct hsm_user_state *hus)
{
	int fd;
	int rc;

	fd = open(path, O_RDONLY | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	rc = llapi_hsm_state_get_fd(fd, hus);
	close(fd);
	return rc;
}

int llapi_hsm_state_set_fd(int fd, __u64 setmask, __u64 clearmask,
			   __u32 archive_id)
{
	struct hsm_state_set hss;

	memset(&hss, 0, sizeof(hss));
	hss.hss_valid = HSS_SETMASK | HSS_CLEARMASK;
	hss.hss_setmask = setmask;
	hss.hss_clearmask = clearmask;
	if (archive_id > 0) {
		hss.hss_valid |= HSS_ARCHIVE_ID;
		hss.hss_archive_id = archive_id;
	}
	return lsim_fd_call(fd, LSIM_OP_STATE_SET, &hss, sizeof(hss), fd, NULL,
			    0, NULL, -ENOTTY);
}

int llapi_hsm_state_set(const char *path, __u64 setmask, __u64 clearmask,
			__u32 archive_id)
{
	int fd;
	int rc;

	fd = open(path, O_WRONLY | O_LOV_DELAY_CREATE | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	rc = llapi_hsm_state_set_fd(fd, setmask, clearmask, archive_id);
	close(fd);
	return rc;
}

int llapi_hsm_current_action(const char *path, struct hsm_current_action *hca)
{
	struct hsm_current_action rep;
	size_t len;
	int fd;
	int rc;

	fd = open(path, O_RDONLY | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	rc = lsim_fd_call(fd, LSIM_OP_ACTION, NULL, 0, fd, &rep, sizeof(rep),
			  &len, -ENOTTY);
	close(fd);
	if (rc < 0)
		return rc;
	if (hca == NULL)
		return -EFAULT;
	if (len != sizeof(rep))
		return -EPROTO;
	memcpy(hca, &rep, sizeof(rep));
	return 0;
}

struct hsm_user_request *llapi_hsm_user_request_alloc(int itemcount,
						      int data_len)
{
	if (itemcount < 0 || data_len < 0)
		return NULL;
	return calloc(1, sizeof(struct hsm_user_request) +
			 (size_t)itemcount * sizeof(struct hsm_user_item) +
			 (size_t)data_len);
}

int llapi_hsm_request(const char *path, const struct hsm_user_request *request)
{
	ssize_t len;
	int rootfd;
	int rc;

	if (path == NULL || request == NULL)
		return -EINVAL;
	rootfd = lsim_root_open_path(path);
	if (rootfd < 0)
		return rootfd;

	len = hur_len((struct hsm_user_request *)request);
	if (len < 0 || len >= HSM_REQUEST_MAX_LEN) {
		rc = -E2BIG;
		goto out;
	}
	if (request->hur_request.hr_itemcount == 0) {
		rc = 0;
		goto out;
	}
	rc = lsim_call(rootfd, LSIM_OP_REQUEST, request, (size_t)len, -1,
		       NULL, 0, NULL, NULL);
	if (rc == LSIM_ENOTMOUNTED)
		rc = -ENODEV;
out:
	close(rootfd);
	return rc;
}

int llapi_hsm_import(const char *dst, int archive, const struct stat *st,
		     unsigned long long stripe_size, int stripe_offset,
		     int stripe_count, enum lov_pattern stripe_pattern,
		     char *pool_name, struct lu_fid *newfid)
{
	struct hsm_user_import hui;
	int fd;
	int rc;

	/* layouts are not simulated: the file simply gets no data */
	(void)stripe_size;
	(void)stripe_offset;
	(void)stripe_count;
	(void)stripe_pattern;
	(void)pool_name;

	fd = open(dst, O_CREAT | O_WRONLY, st->st_mode);
	if (fd < 0) {
		rc = -errno;
		llapi_error(LLAPI_MSG_ERROR, rc, "cannot create '%s' for import",
			    dst);
		return rc;
	}

	rc = llapi_fd2fid(fd, newfid);
	if (rc < 0) {
		llapi_error(LLAPI_MSG_ERROR, rc,
			    "cannot get fid of '%s' for import", dst);
		goto out_unlink;
	}

	memset(&hui, 0, sizeof(hui));
	hui.hui_uid = st->st_uid;
	hui.hui_gid = st->st_gid;
	hui.hui_mode = st->st_mode;
	hui.hui_size = (__u64)st->st_size;
	hui.hui_archive_id = (__u32)archive;
	hui.hui_atime = (__u64)st->st_atim.tv_sec;
	hui.hui_atime_ns = (__u32)st->st_atim.tv_nsec;
	hui.hui_mtime = (__u64)st->st_mtim.tv_sec;
	hui.hui_mtime_ns = (__u32)st->st_mtim.tv_nsec;
	rc = lsim_fd_call(fd, LSIM_OP_IMPORT, &hui, sizeof(hui), fd, NULL, 0,
			  NULL, -ENOTTY);
	if (rc < 0) {
		llapi_error(LLAPI_MSG_ERROR, rc, "cannot import '%s'", dst);
		goto out_unlink;
	}
	close(fd);
	return 0;

out_unlink:
	close(fd);
	unlink(dst);
	return rc;
}

int llapi_hsm_data_version_set(int fd, __u64 data_version)
{
	if (data_version == 0)
		return -EINVAL;
	return lsim_fd_call(fd, LSIM_OP_DATA_VERSION_SET, &data_version,
			    sizeof(data_version), fd, NULL, 0, NULL, -ENOTTY);
}

/*
 * FID and path helpers: parsing, path <-> FID, fsname and MDT lookups.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "lib_internal.h"

int lsim_fd_call(int fd, enum lsim_op op, const void *req, size_t req_len,
		 int send_fd, void *rep, size_t rep_size, size_t *rep_len,
		 int not_lustre_rc)
{
	int rootfd;
	int rc;

	rootfd = lsim_root_open_fd(fd);
	if (rootfd == -ENODEV)
		return not_lustre_rc;
	if (rootfd < 0)
		return rootfd;
	rc = lsim_call(rootfd, op, req, req_len, send_fd, rep, rep_size,
		       rep_len, NULL);
	close(rootfd);
	if (rc == LSIM_ENOTMOUNTED)
		return not_lustre_rc;
	return rc;
}

int llapi_fid_parse(const char *fidstr, struct lu_fid *fid, char **endptr)
{
	unsigned long long val;
	const char *p = fidstr;
	char *end = (char *)fidstr;
	int bracket = 0;
	int rc = 0;

	if (fidstr == NULL || fid == NULL) {
		rc = -EINVAL;
		goto out;
	}
	while (isspace((unsigned char)*p))
		p++;
	while (*p == '[') {
		bracket = 1;
		p++;
	}

	errno = 0;
	val = strtoull(p, &end, 0);
	if (val == ULLONG_MAX)
		rc = -ERANGE;
	else
		fid->f_seq = val;
	if (*end != ':') {
		rc = -EINVAL;
		goto out;
	}
	p = end + 1;

	val = strtoull(p, &end, 0);
	if (val > UINT32_MAX)
		rc = -ERANGE;
	else
		fid->f_oid = (__u32)val;
	if (*end != ':') {
		rc = -EINVAL;
		goto out;
	}
	p = end + 1;

	val = strtoull(p, &end, 0);
	if (val > UINT32_MAX)
		rc = -ERANGE;
	else
		fid->f_ver = (__u32)val;
	if (bracket && *end == ']')
		end++;
out:
	if (endptr != NULL)
		*endptr = end;
	errno = -rc;
	return rc;
}

int llapi_fd2fid(int fd, struct lu_fid *fid)
{
	struct lu_fid got;
	size_t len;
	int rc;

	memset(fid, 0, sizeof(*fid));
	rc = lsim_fd_call(fd, LSIM_OP_PATH2FID, NULL, 0, fd, &got, sizeof(got),
			  &len, -EOPNOTSUPP);
	if (rc < 0)
		return rc;
	if (len != sizeof(got))
		return -EPROTO;
	*fid = got;
	return 0;
}

int llapi_path2fid(const char *path, struct lu_fid *fid)
{
	int fd;
	int rc;

	fd = open(path, O_RDONLY | O_PATH | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -errno;
	rc = llapi_fd2fid(fd, fid);
	close(fd);
	return rc;
}

int llapi_fid2path_at(int mnt_fd, const struct lu_fid *fid, char *path,
		      int pathlen, long long *recno, int *linkno)
{
	struct lsim_fid2path_req req;
	char *rep;
	struct lsim_fid2path_rep *hdr;
	size_t len;
	char *rel;
	char *src;
	char *dst;
	int rc;

	(void)recno;	/* changelog record number: echoed back unchanged */
	if (fid == NULL || path == NULL)
		return -EINVAL;
	if (pathlen < 3)
		return -EOVERFLOW;

	memset(&req, 0, sizeof(req));
	req.fid = *fid;
	req.linkno = linkno != NULL ? *linkno : 0;
	rep = malloc(LSIM_MSG_MAX);
	if (rep == NULL)
		return -ENOMEM;
	rc = lsim_fd_call(mnt_fd, LSIM_OP_FID2PATH, &req, sizeof(req), -1,
			  rep, LSIM_MSG_MAX - 1, &len, -ENOTTY);
	if (rc < 0)
		goto out;
	if (len < sizeof(*hdr)) {
		rc = -EPROTO;
		goto out;
	}
	rep[len] = '\0';
	hdr = (struct lsim_fid2path_rep *)rep;
	rel = rep + sizeof(*hdr);

	/* collapse "//" sequences */
	for (src = dst = rel; *src != '\0'; src++) {
		if (src[0] == '/' && src[1] == '/')
			continue;
		*dst++ = *src;
	}
	*dst = '\0';
	if (*rel == '\0')
		strcpy(rel, "/");
	if (strlen(rel) > (size_t)pathlen - 1) {
		rc = -ERANGE;
		goto out;
	}
	strcpy(path, rel);
	if (linkno != NULL)
		*linkno = hdr->linkno;
	rc = 0;
out:
	free(rep);
	return rc;
}

/* Root of the mount named by a path on it or by an fsname. */
static int root_open_path_or_fsname(const char *path_or_device)
{
	char link[PATH_MAX];
	char target[PATH_MAX];
	char fsname[64];
	size_t len;
	ssize_t n;
	int rootfd;
	int rc;

	if (path_or_device[0] == '/')
		return lsim_root_open_path(path_or_device);

	if (!lsim_fsname_valid(path_or_device))
		return -ENODEV;
	snprintf(link, sizeof(link), "%s/%s", lsim_registry_dir(),
		 path_or_device);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return -ENODEV;
	target[n] = '\0';
	rootfd = lsim_root_open_path(target);
	if (rootfd < 0)
		return rootfd;
	rc = lsim_call(rootfd, LSIM_OP_FSNAME, NULL, 0, -1, fsname,
		       sizeof(fsname) - 1, &len, NULL);
	if (rc < 0) {
		close(rootfd);
		return -ENODEV;
	}
	fsname[len] = '\0';
	if (strcmp(fsname, path_or_device) != 0) {
		close(rootfd);
		return -ENODEV;
	}
	return rootfd;
}

int llapi_fid2path(const char *path_or_device, const char *fidstr, char *path,
		   int pathlen, long long *recno, int *linkno)
{
	struct lu_fid fid;
	int rootfd;
	int rc;

	if (path_or_device == NULL || *path_or_device == '\0')
		return -EINVAL;
	rc = llapi_fid_parse(fidstr, &fid, NULL);
	if (rc < 0) {
		llapi_err_noerrno(LLAPI_MSG_ERROR,
				  "bad FID format '%s', should be [seq:oid:ver] (e.g. "
				  DFID ")\n", fidstr,
				  (unsigned long long)FID_SEQ_NORMAL, 1, 0);
		return rc;
	}
	rootfd = root_open_path_or_fsname(path_or_device);
	if (rootfd < 0) {
		llapi_error(LLAPI_MSG_ERROR, rootfd,
			    "cannot find mount point for '%s'",
			    path_or_device);
		return rootfd;
	}
	rc = llapi_fid2path_at(rootfd, &fid, path, pathlen, recno, linkno);
	close(rootfd);
	return rc;
}

int llapi_search_fsname(const char *pathname, char *fsname)
{
	char buf[64];
	struct stat st;
	size_t len;
	int rootfd;
	int rc;

	if (stat(pathname, &st) < 0) {
		char *copy = strdup(pathname);
		char *slash;

		if (copy == NULL)
			return -ENOMEM;
		slash = strrchr(copy, '/');
		if (slash == NULL)
			strcpy(copy, ".");
		else if (slash == copy)
			slash[1] = '\0';
		else
			*slash = '\0';
		rc = stat(copy, &st) < 0 ? -errno : 0;
		free(copy);
		if (rc < 0) {
			llapi_error(LLAPI_MSG_ERROR, rc,
				    "cannot resolve path '%s'", pathname);
			return rc;
		}
	}

	rootfd = lsim_root_open_path(pathname);
	if (rootfd < 0)
		return -ENODEV;
	rc = lsim_call(rootfd, LSIM_OP_FSNAME, NULL, 0, -1, buf,
		       sizeof(buf) - 1, &len, NULL);
	close(rootfd);
	if (rc < 0)
		return rc == LSIM_ENOTMOUNTED ? -ENODEV : rc;
	buf[len] = '\0';
	snprintf(fsname, PATH_MAX, "%s", buf);
	return 0;
}

int llapi_get_mdt_index_by_fid(int fd, const struct lu_fid *fid,
			       int *mdt_index)
{
	struct stat st;
	int rc;

	if (fid == NULL)
		return -EINVAL;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTTY;
	rc = lsim_fd_call(fd, LSIM_OP_FID2MDTIDX, fid, sizeof(*fid), -1,
			  NULL, 0, NULL, -ENOTTY);
	if (rc >= 0 && mdt_index != NULL)
		*mdt_index = rc;
	return rc;
}

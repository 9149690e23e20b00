/*
 * lsim-copytool: archive paths, data copy with progress reports and
 * throttling, attributes, extended attributes, layout side files and the
 * shadow namespace.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include "copytool.h"

/* Start of a v1/v3 user layout EA: magic, and stripe offset at byte 30. */
#define LOV_USER_MAGIC_V1	0x0BD10BD0
#define LOV_USER_MAGIC_V3	0x0BD30BD0
#define LOV_STRIPE_OFFSET_POS	30

/* Result of an snprintf of N characters into SIZE bytes. */
static int path_fits(size_t size, int n)
{
	if (n < 0 || (size_t)n >= size)
		return -ENAMETOOLONG;
	return 0;
}

int ct_path_lustre(char *buf, size_t size, const struct lu_fid *fid)
{
	return path_fits(size, snprintf(buf, size, "%s/%s/fid/" DFID_NOBRACE,
					opt.mnt, dot_lustre_name, PFID(fid)));
}

int ct_path_archive(char *buf, size_t size, const char *archive_dir,
		    const struct lu_fid *fid)
{
	int n;

	if (opt.archive_format == CT_ARCHIVE_FORMAT_V2)
		n = snprintf(buf, size, "%s/%04x/" DFID_NOBRACE, archive_dir,
			     (unsigned int)((fid->f_oid ^ fid->f_seq) & 0xFFFF),
			     PFID(fid));
	else
		n = snprintf(buf, size,
			     "%s/%04x/%04x/%04x/%04x/%04x/%04x/" DFID_NOBRACE,
			     archive_dir,
			     fid->f_oid & 0xFFFF,
			     (fid->f_oid >> 16) & 0xFFFF,
			     (unsigned int)(fid->f_seq & 0xFFFF),
			     (unsigned int)((fid->f_seq >> 16) & 0xFFFF),
			     (unsigned int)((fid->f_seq >> 32) & 0xFFFF),
			     (unsigned int)((fid->f_seq >> 48) & 0xFFFF),
			     PFID(fid));
	return path_fits(size, n);
}

/* mkdir -p of the directory holding PATH. */
int ct_mkdir_p(const char *path)
{
	char *dir;
	char *p;
	int rc = 0;

	dir = strdup(path);
	if (dir == NULL)
		return -ENOMEM;
	p = strrchr(dir, '/');
	if (p == NULL || p == dir)
		goto out;
	*p = '\0';

	for (p = dir + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		if (p[-1] != '/') {
			char c = *p;

			*p = '\0';
			if (mkdir(dir, DIR_PERM) < 0 && errno != EEXIST)
				rc = -errno;
			*p = c;
			if (rc < 0)
				break;
		}
		if (*p == '\0')
			break;
	}
out:
	free(dir);
	return rc;
}

static int write_all(int fd, const char *buf, size_t len, off_t offset)
{
	while (len > 0) {
		ssize_t n = pwrite(fd, buf, len, offset);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		buf += n;
		len -= (size_t)n;
		offset += n;
	}
	return 0;
}

/* The layout is copied verbatim, with no preferred first OST on restore. */
int ct_save_stripe(int src_fd, const char *src, const char *dst)
{
	char lov_file[PATH_MAX + 8];
	unsigned char *lov_buf;
	ssize_t xattr_size;
	__u32 magic;
	int fd;
	int rc;

	snprintf(lov_file, sizeof(lov_file), "%s.lov", dst);
	CT_TRACE("saving stripe info of '%s' in %s", src, lov_file);

	lov_buf = malloc(XATTR_BUF_SIZE);
	if (lov_buf == NULL)
		return -ENOMEM;

	xattr_size = fgetxattr(src_fd, XATTR_LUSTRE_LOV, lov_buf,
			       XATTR_BUF_SIZE);
	if (xattr_size < 0) {
		rc = -errno;
		/* a file without a layout EA simply has nothing to save */
		if (rc == -ENODATA || rc == -EOPNOTSUPP)
			CT_DEBUG("no stripe info on '%s': %s", src,
				 strerror(-rc));
		else
			CT_ERROR(rc, "cannot save file striping info of '%s' in '%s'",
				 src, dst);
		goto out;
	}

	if ((size_t)xattr_size >= sizeof(magic)) {
		memcpy(&magic, lov_buf, sizeof(magic));
		if ((magic == LOV_USER_MAGIC_V1 || magic == LOV_USER_MAGIC_V3) &&
		    xattr_size >= LOV_STRIPE_OFFSET_POS + 2)
			memset(lov_buf + LOV_STRIPE_OFFSET_POS, 0xff, 2);
	}

	fd = open(lov_file, O_TRUNC | O_CREAT | O_WRONLY, FILE_PERM);
	if (fd < 0) {
		rc = -errno;
		CT_ERROR(rc, "cannot open '%s'", lov_file);
		goto out;
	}
	rc = write_all(fd, (const char *)lov_buf, (size_t)xattr_size, 0);
	if (rc < 0)
		CT_ERROR(rc, "cannot write %zd bytes to '%s'", xattr_size,
			 lov_file);
	if (close(fd) < 0 && rc == 0) {
		rc = -errno;
		CT_ERROR(rc, "cannot close '%s'", lov_file);
	}
	if (rc < 0)
		unlink(lov_file);
out:
	free(lov_buf);
	return rc;
}

int ct_load_stripe(const char *src, void *lovea, size_t *lovea_size)
{
	char lov_file[PATH_MAX + 8];
	ssize_t n;
	int fd;

	snprintf(lov_file, sizeof(lov_file), "%s.lov", src);
	CT_TRACE("reading stripe rules from '%s' for '%s'", lov_file, src);

	fd = open(lov_file, O_RDONLY);
	if (fd < 0) {
		if (errno != ENOENT)
			CT_ERROR(-errno, "cannot open '%s'", lov_file);
		return -ENODATA;
	}
	do {
		n = read(fd, lovea, *lovea_size);
	} while (n < 0 && errno == EINTR);
	if (n < 0) {
		CT_ERROR(-errno, "cannot read %zu bytes from '%s'", *lovea_size,
			 lov_file);
		close(fd);
		return -ENODATA;
	}
	close(fd);
	*lovea_size = (size_t)n;
	return 0;
}

int ct_restore_stripe(const char *dst, int dst_fd, const void *lovea,
		      size_t lovea_size)
{
	if (fsetxattr(dst_fd, XATTR_LUSTRE_LOV, lovea, lovea_size,
		      XATTR_CREATE) < 0) {
		int rc = -errno;

		CT_ERROR(rc, "cannot set lov EA on '%s'", dst);
		return rc;
	}
	return 0;
}

static void sleep_seconds(double seconds)
{
	struct timespec delay;

	delay.tv_sec = (time_t)seconds;
	delay.tv_nsec = (long)((seconds - (double)delay.tv_sec) * 1e9);
	while (nanosleep(&delay, &delay) < 0 && errno == EINTR)
		;
}

/* Sleeps as long as WRITTEN bytes since START run ahead of the bandwidth. */
static void throttle(double start, __u64 written, double *last_print)
{
	double now = ct_monotonic();
	double allowed = (now - start) * (double)opt.bandwidth;
	double excess;

	if ((double)written <= allowed)
		return;
	excess = (double)written - allowed;
	if (now >= *last_print + opt.report_interval) {
		CT_TRACE("bandwidth control: %lluB/s excess=%.0f sleep for %.9fs",
			 opt.bandwidth, excess, excess / (double)opt.bandwidth);
		*last_print = now;
	}
	sleep_seconds(excess / (double)opt.bandwidth);
}

int ct_copy_data(struct hsm_copyaction_private *hcp, const char *src,
		 const char *dst, int src_fd, int dst_fd,
		 const struct hsm_action_item *hai)
{
	__u64 offset = hai->hai_extent.offset;
	__u64 length = hai->hai_extent.length;
	double wall_start = ct_now();
	double start = ct_monotonic();
	double last_report = start;
	double last_bw_print = start;
	struct hsm_extent he;
	struct stat src_st;
	struct stat dst_st;
	__u64 written = 0;
	char *buf = NULL;
	int rc;

	if (fstat(src_fd, &src_st) < 0) {
		rc = -errno;
		CT_ERROR(rc, "cannot stat '%s'", src);
		return rc;
	}
	if (!S_ISREG(src_st.st_mode)) {
		rc = -EINVAL;
		CT_ERROR(rc, "'%s' is not a regular file", src);
		return rc;
	}
	if (offset > (__u64)src_st.st_size) {
		rc = -EINVAL;
		CT_ERROR(rc, "Trying to start reading past end (%ju > %jd) of '%s' source file",
			 (uintmax_t)offset, (intmax_t)src_st.st_size, src);
		return rc;
	}
	if (fstat(dst_fd, &dst_st) < 0) {
		rc = -errno;
		CT_ERROR(rc, "cannot stat '%s'", dst);
		return rc;
	}
	if (!S_ISREG(dst_st.st_mode)) {
		rc = -EINVAL;
		CT_ERROR(rc, "'%s' is not a regular file", dst);
		return rc;
	}

	/* never read beyond the requested extent */
	if (length > (__u64)src_st.st_size - offset)
		length = (__u64)src_st.st_size - offset;

	he.offset = offset;
	he.length = 0;
	rc = ct_action_progress(hcp, &he, length);
	if (rc < 0) {
		/* cancelled, or the coordinator forgot the request */
		CT_ERROR(rc, "progress ioctl for copy '%s'->'%s' failed", src, dst);
		goto out;
	}

	buf = malloc(opt.chunk_size);
	if (buf == NULL) {
		rc = -ENOMEM;
		goto out;
	}

	CT_TRACE("start copy of %ju bytes from '%s' to '%s'", (uintmax_t)length,
		 src, dst);

	while (written < length) {
		size_t chunk = length - written > opt.chunk_size ?
				opt.chunk_size : (size_t)(length - written);
		ssize_t rsize;
		double now;

		rsize = pread(src_fd, buf, chunk, (off_t)offset);
		if (rsize == 0)
			break;
		if (rsize < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			CT_ERROR(rc, "cannot read from '%s'", src);
			break;
		}

		rc = write_all(dst_fd, buf, (size_t)rsize, (off_t)offset);
		if (rc < 0) {
			CT_ERROR(rc, "cannot write to '%s'", dst);
			break;
		}
		written += (__u64)rsize;
		offset += (__u64)rsize;

		if (opt.bandwidth != 0)
			throttle(start, written, &last_bw_print);

		now = ct_monotonic();
		if (now >= last_report + opt.report_interval) {
			last_report = now;
			CT_TRACE("%%%ju ", (uintmax_t)(100 * written / length));
			/* report only what was copied since the last report */
			he.length = offset - he.offset;
			rc = ct_action_progress(hcp, &he, length);
			if (rc < 0) {
				CT_ERROR(rc, "progress ioctl for copy '%s'->'%s' failed",
					 src, dst);
				goto out;
			}
			he.offset = offset;
		}
	}

out:
	/* A restore target larger than the archive copy (e.g. after a forced
	 * release) is cut down to the archived size. */
	if (hai->hai_action == HSMA_RESTORE && fstat(dst_fd, &dst_st) == 0 &&
	    dst_st.st_size > src_st.st_size &&
	    ftruncate(dst_fd, src_st.st_size) < 0) {
		int rc2 = -errno;

		CT_ERROR(rc2, "cannot truncate '%s' to size %jd", dst,
			 (intmax_t)src_st.st_size);
		atomic_fetch_add(&err_major, 1);
		if (rc == 0)
			rc = rc2;
	}

	free(buf);
	CT_TRACE("copied %ju bytes in %f seconds", (uintmax_t)length,
		 ct_now() - wall_start);
	return rc;
}

int ct_copy_attr(const char *src, int src_fd, int dst_fd)
{
	struct timespec times[2];
	struct stat st;
	int rc;

	if (fstat(src_fd, &st) < 0) {
		rc = -errno;
		CT_ERROR(rc, "cannot stat '%s'", src);
		return rc;
	}

	times[0] = st.st_atim;
	times[1] = st.st_mtim;
	if (fchmod(dst_fd, st.st_mode & 07777) < 0 ||
	    fchown(dst_fd, st.st_uid, st.st_gid) < 0 ||
	    futimens(dst_fd, times) < 0) {
		rc = -errno;
		CT_ERROR(rc, "cannot set attributes of '%s'", src);
		return rc;
	}
	return 0;
}

int ct_copy_xattr(const char *dst, int src_fd, int dst_fd)
{
	char *list = malloc(XATTR_BUF_SIZE);
	char *value = malloc(XATTR_BUF_SIZE);
	ssize_t list_len;
	char *name;
	int rc = 0;

	if (list == NULL || value == NULL) {
		rc = -ENOMEM;
		goto out;
	}

	list_len = flistxattr(src_fd, list, XATTR_BUF_SIZE);
	if (list_len < 0) {
		rc = -errno;
		goto out;
	}

	for (name = list; name < list + list_len; name += strlen(name) + 1) {
		ssize_t size = fgetxattr(src_fd, name, value, XATTR_BUF_SIZE);

		if (size < 0) {
			rc = -errno;
			goto out;
		}
		rc = fsetxattr(dst_fd, name, value, (size_t)size, 0);
		CT_TRACE("fsetxattr of '%s' on '%s' rc=%d (%s)", name, dst, rc,
			 strerror(rc < 0 ? errno : 0));
		/* e.g. lustre.* attributes do not exist on the archive side */
		if (rc < 0 && errno != EOPNOTSUPP) {
			rc = -errno;
			CT_ERROR(rc, "cannot set extended attribute '%s' of '%s'",
				 name, dst);
			goto out;
		}
		rc = 0;
	}
out:
	free(list);
	free(value);
	return rc;
}

/*
 * <hsm_root>/shadow/<path in Lustre> -> relative link to the archive object,
 * as of archive time (renames and removals are not followed).
 */
int ct_shadow_link(const struct hsm_action_item *hai)
{
	char relpath[PATH_MAX];
	char link[PATH_MAX];
	char up[PATH_MAX];
	char target[PATH_MAX];
	char current[PATH_MAX];
	long long recno = -1;
	int linkno = 0;
	size_t up_len;
	ssize_t sz;
	char *p;
	int rc;

	rc = llapi_fid2path_at(mnt_fd, &hai->hai_fid, relpath, sizeof(relpath),
			       &recno, &linkno);
	if (rc < 0) {
		CT_ERROR(rc, "cannot get FID of " DFID, PFID(&hai->hai_fid));
		return rc;
	}

	rc = path_fits(sizeof(link), snprintf(link, sizeof(link), "%s/shadow/%s",
					      opt.hsm_root, relpath));
	if (rc < 0) {
		CT_ERROR(rc, "shadow path of '%s' is too long", relpath);
		return rc;
	}

	/* one ".." for "shadow" plus one per directory level of the link */
	strcpy(up, "..");
	up_len = 2;
	for (p = relpath; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		if (up_len + 4 > sizeof(up))
			return -ENAMETOOLONG;
		strcpy(up + up_len, "/..");
		up_len += 3;
	}
	rc = ct_path_archive(target, sizeof(target), up, &hai->hai_fid);
	if (rc < 0) {
		CT_ERROR(rc, "shadow link target of '%s' is too long", link);
		return rc;
	}

	rc = ct_mkdir_p(link);
	if (rc < 0) {
		CT_ERROR(rc, "mkdir_p '%s' failed", link);
		return rc;
	}

	sz = readlink(link, current, sizeof(current));
	if (sz == (ssize_t)sizeof(current)) {
		rc = -E2BIG;
		CT_ERROR(rc, "readlink '%s' truncated", link);
		return rc;
	}
	if (sz >= 0) {
		current[sz] = '\0';
		if (strcmp(current, target) == 0) {
			CT_TRACE("symlink '%s' already pointing to '%s'", link,
				 target);
			return 0;
		}
		if (unlink(link) < 0 && errno != ENOENT) {
			rc = -errno;
			CT_ERROR(rc, "cannot unlink symlink '%s'", link);
			return rc;
		}
		CT_TRACE("remove old symlink '%s' pointing to '%s'", link,
			 current);
	}

	if (symlink(target, link) < 0) {
		rc = -errno;
		CT_ERROR(rc, "cannot symlink '%s' to '%s'", link, target);
		return rc;
	}
	CT_TRACE("symlink '%s' to '%s' done", link, target);
	return 0;
}

/*
 * Simulated MDT objects.
 *
 * Every object of the mount gets a FID the first time a client presents it.
 * Non-directories are kept alive by a hard link <root>/.lustre/fid/<FID>,
 * which both implements open-by-FID and pins the inode number, so the
 * inode -> FID table cannot be fooled by inode reuse. A link count of 1 on
 * that link means the user deleted the file: the object is then gone.
 * Directories are identified by inode number and birth time.
 *
 * Writes are detected through a data signature (size, mtime) compared on
 * every access: a change bumps the data version and marks an archived
 * file dirty, as the OST object versions would on Lustre.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "lsimd.h"
#include "../common/lsim_proto.h"

static struct list_head graveyard = { &graveyard, &graveyard };

int fid_is_sane(const struct lu_fid *fid)
{
	__u64 seq = fid->f_seq;

	return (seq >= FID_SEQ_START && fid->f_ver == 0) ||
	       fid_seq_is_igif(seq) ||
	       (seq >= FID_SEQ_IDIF && seq <= FID_SEQ_IDIF_MAX) ||
	       (seq >= 1 && seq <= 11);
}

void mdt_fid_alloc(struct lu_fid *fid)
{
	*fid = D.next_fid;
	D.next_fid.f_oid++;
	if (D.next_fid.f_oid > LSIM_SEQ_WIDTH) {
		D.next_fid.f_seq++;
		D.next_fid.f_oid = 1;
	}
}

static void link_name(const struct lsim_file *f, char *name, size_t size)
{
	snprintf(name, size, DFID_NOBRACE, PFID(&f->fid));
}

static struct lsim_file *file_new(const struct lu_fid *fid)
{
	struct lsim_file *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return NULL;
	f->fid = *fid;
	list_init(&f->sweep);
	list_init(&f->pending);
	ht_insert(&D.fid_ht, &f->fid_node, fid_hkey(fid));
	D.nfiles++;
	return f;
}

static void file_index_ino(struct lsim_file *f)
{
	ht_insert(&D.ino_ht, &f->ino_node, hash_u64(f->ino));
	f->in_ino = 1;
}

static void file_unindex_ino(struct lsim_file *f)
{
	if (f->in_ino) {
		ht_remove(&D.ino_ht, &f->ino_node);
		f->in_ino = 0;
	}
}

static void sweep_del(struct lsim_file *f)
{
	if (D.sweep_pos == &f->sweep)
		D.sweep_pos = f->sweep.next;
	list_del(&f->sweep);
}

/* Forget an object for good (only once nothing refers to it). */
static void file_free(struct lsim_file *f)
{
	file_unindex_ino(f);
	sweep_del(f);
	ht_remove(&D.fid_ht, &f->fid_node);
	D.nfiles--;
	free(f->path);
	free(f);
}

struct lsim_file *mdt_file_by_fid(const struct lu_fid *fid)
{
	uint64_t key = fid_hkey(fid);
	struct hnode *n;

	for (n = ht_first(&D.fid_ht, key); n != NULL; n = ht_next(n, key)) {
		struct lsim_file *f = container_of(n, struct lsim_file,
						   fid_node);

		if (lu_fid_eq(&f->fid, fid))
			return f;
	}
	return NULL;
}

/* An object record for a FID the MDT does not (or no longer) know. */
struct lsim_file *mdt_file_placeholder(const struct lu_fid *fid)
{
	struct lsim_file *f = mdt_file_by_fid(fid);

	if (f != NULL)
		return f;
	f = file_new(fid);
	if (f == NULL)
		return NULL;
	f->gone = 1;
	list_add_tail(&f->sweep, &graveyard);
	return f;
}

static struct lsim_file *file_by_ino(uint64_t ino)
{
	uint64_t key = hash_u64(ino);
	struct hnode *n;

	for (n = ht_first(&D.ino_ht, key); n != NULL; n = ht_next(n, key)) {
		struct lsim_file *f = container_of(n, struct lsim_file,
						   ino_node);

		if (f->ino == ino)
			return f;
	}
	return NULL;
}

void mdt_file_save(struct lsim_file *f)
{
	j_fstate(f);
}

/* Gone objects are kept while pending records refer to them. */
void mdt_file_release_memory(struct lsim_file *f)
{
	if (f->gone && list_empty(&f->pending))
		file_free(f);
}

static void file_gone(struct lsim_file *f, int unlink_link)
{
	char name[FID_NOBRACE_LEN + 1];

	if (unlink_link && f->linked) {
		link_name(f, name, sizeof(name));
		if (unlinkat(D.fiddirfd, name, 0) < 0 && errno != ENOENT)
			lsim_log("cannot remove .lustre/fid/%s: %s", name,
				 strerror(errno));
	}
	f->gone = 1;
	f->linked = 0;
	file_unindex_ino(f);
	sweep_del(f);
	list_add_tail(&f->sweep, &graveyard);
	j_fgone(f);
	cdt_file_gone(f);
}

/* Free gone objects nothing refers to any more. */
static void graveyard_collect(void)
{
	struct list_head *pos, *tmp;

	list_for_each_safe(pos, tmp, &graveyard) {
		struct lsim_file *f = list_entry(pos, struct lsim_file, sweep);

		if (list_empty(&f->pending))
			file_free(f);
	}
}

static int timespec_sig_changed(const struct lsim_file *f, const struct stat *st)
{
	return f->sig_size != (uint64_t)st->st_size ||
	       f->sig_mtime_sec != st->st_mtim.tv_sec ||
	       f->sig_mtime_nsec != (uint32_t)st->st_mtim.tv_nsec;
}

static void sig_set(struct lsim_file *f, const struct stat *st)
{
	f->sig_size = (uint64_t)st->st_size;
	f->sig_mtime_sec = st->st_mtim.tv_sec;
	f->sig_mtime_nsec = (uint32_t)st->st_mtim.tv_nsec;
}

/* A data change since the last look: new data version, maybe dirty. */
static void sig_update(struct lsim_file *f, const struct stat *st)
{
	if (!timespec_sig_changed(f, st))
		return;
	sig_set(f, st);
	f->dv++;
	if ((f->hsm_flags & HS_EXISTS) &&
	    !(f->hsm_flags & (HS_DIRTY | HS_RELEASED)))
		f->hsm_flags |= HS_DIRTY;
	j_fstate(f);
}

int mdt_file_check(struct lsim_file *f)
{
	char name[FID_NOBRACE_LEN + 1];
	struct stat st;

	if (f->gone)
		return -ENOENT;
	if (f->special || f->is_volatile || !f->linked)
		return 0;
	link_name(f, name, sizeof(name));
	if (fstatat(D.fiddirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno != ENOENT)
			return -errno;
		file_gone(f, 0);
		return -ENOENT;
	}
	if ((uint64_t)st.st_ino != f->ino) {
		file_gone(f, 0);
		return -ENOENT;
	}
	if (st.st_nlink <= 1) {
		file_gone(f, 1);
		return -ENOENT;
	}
	sig_update(f, &st);
	return 0;
}

struct lsim_file *mdt_lookup(const struct lu_fid *fid)
{
	struct lsim_file *f = mdt_file_by_fid(fid);

	if (f == NULL || mdt_file_check(f) < 0)
		return NULL;
	return f;
}

static int stx_btime_matches(const struct lsim_file *f, const struct statx *stx)
{
	if (!(stx->stx_mask & STATX_BTIME))
		return 1;
	return f->btime_sec == stx->stx_btime.tv_sec &&
	       f->btime_nsec == stx->stx_btime.tv_nsec;
}

/* Path of an open descriptor relative to the mount root, or NULL. */
static char *fd_relpath(int fd)
{
	char link[64];
	char target[PATH_MAX];
	size_t rootlen = strlen(D.root_path);
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return NULL;
	target[n] = '\0';
	if (strcmp(target, D.root_path) == 0)
		return strdup("");
	if (strncmp(target, D.root_path, rootlen) != 0 ||
	    target[rootlen] != '/')
		return NULL;
	if (n > 10 && strcmp(target + n - 10, " (deleted)") == 0)
		return NULL;
	return strdup(target + rootlen + 1);
}

static int make_link(int fd, const char *name)
{
	char proc[64];

	if (linkat(fd, "", D.fiddirfd, name, AT_EMPTY_PATH) == 0)
		return 0;
	/* AT_EMPTY_PATH needs CAP_DAC_READ_SEARCH; the proc link does not */
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	if (linkat(AT_FDCWD, proc, D.fiddirfd, name, AT_SYMLINK_FOLLOW) == 0)
		return 0;
	return -errno;
}

struct lsim_file *mdt_file_by_fd(int fd, int *rc)
{
	struct statx stx;
	struct lsim_file *f;
	struct lu_fid fid;
	char name[FID_NOBRACE_LEN + 1];
	char *rel;
	int err;

	if (statx(fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW,
		  STATX_BASIC_STATS | STATX_BTIME, &stx) < 0) {
		*rc = -errno;
		return NULL;
	}
	if (makedev(stx.stx_dev_major, stx.stx_dev_minor) != D.dev) {
		*rc = -EOPNOTSUPP;
		return NULL;
	}

	f = file_by_ino(stx.stx_ino);
	if (f != NULL) {
		if (f->special)
			return f;
		if (f->is_volatile) {
			if (stx_btime_matches(f, &stx))
				return f;
			mdt_volatile_drop(&f->fid);
		} else if (f->linked) {
			if (mdt_file_check(f) == 0)
				return f;
		} else if ((f->type == (stx.stx_mode & S_IFMT)) &&
			   stx_btime_matches(f, &stx)) {
			return f;
		} else {
			file_gone(f, 0);
		}
	}

	rel = fd_relpath(fd);
	if (rel != NULL && strncmp(rel, dot_lustre_name, 7) == 0 &&
	    (rel[7] == '/' || rel[7] == '\0')) {
		/* simulator files under .lustre are not Lustre objects */
		free(rel);
		*rc = -ENOENT;
		return NULL;
	}
	if (!S_ISDIR(stx.stx_mode) && stx.stx_nlink == 0) {
		free(rel);
		*rc = -ENOENT;
		return NULL;
	}

	mdt_fid_alloc(&fid);
	if (!S_ISDIR(stx.stx_mode)) {
		snprintf(name, sizeof(name), DFID_NOBRACE, PFID(&fid));
		err = make_link(fd, name);
		if (err == -EEXIST) {
			/* a stale link left by a crash: the FID is unused */
			unlinkat(D.fiddirfd, name, 0);
			err = make_link(fd, name);
		}
		if (err < 0) {
			lsim_log("cannot link object " DFID ": %s", PFID(&fid),
				 strerror(-err));
			free(rel);
			*rc = err;
			return NULL;
		}
	}
	f = file_new(&fid);
	if (f == NULL) {
		if (!S_ISDIR(stx.stx_mode))
			unlinkat(D.fiddirfd, name, 0);
		free(rel);
		*rc = -ENOMEM;
		return NULL;
	}
	f->ino = stx.stx_ino;
	f->type = stx.stx_mode & S_IFMT;
	if (stx.stx_mask & STATX_BTIME) {
		f->btime_sec = stx.stx_btime.tv_sec;
		f->btime_nsec = stx.stx_btime.tv_nsec;
	}
	f->linked = !S_ISDIR(stx.stx_mode);
	f->path = rel;
	f->sig_size = stx.stx_size;
	f->sig_mtime_sec = stx.stx_mtime.tv_sec;
	f->sig_mtime_nsec = stx.stx_mtime.tv_nsec;
	f->dv = 1;
	file_index_ino(f);
	if (f->linked)
		list_add_tail(&f->sweep, &D.sweep);
	j_file(f);
	return f;
}

/* Register a special object (root, .lustre, .lustre/fid). */
static int special_object(const char *rel, __u64 seq, __u32 oid)
{
	struct lu_fid fid = { .f_seq = seq, .f_oid = oid, .f_ver = 0 };
	struct stat st;
	struct lsim_file *f;

	if (fstatat(D.rootfd, *rel ? rel : ".", &st, AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	f = file_new(&fid);
	if (f == NULL)
		return -ENOMEM;
	f->special = 1;
	f->ino = st.st_ino;
	f->type = st.st_mode & S_IFMT;
	f->path = strdup(rel);
	file_index_ino(f);
	return 0;
}

int mdt_init(void)
{
	struct stat st;
	int rc;

	if (ht_init(&D.fid_ht) < 0 || ht_init(&D.ino_ht) < 0)
		return -ENOMEM;
	list_init(&D.sweep);
	list_init(&D.volatiles);
	D.sweep_pos = NULL;
	D.next_fid.f_seq = LSIM_FIRST_SEQ;
	D.next_fid.f_oid = 1;
	D.next_fid.f_ver = 0;

	if (fstat(D.rootfd, &st) < 0)
		return -errno;
	D.dev = st.st_dev;
	rc = special_object("", FID_SEQ_ROOT, FID_OID_ROOT);
	if (rc == 0)
		rc = special_object(dot_lustre_name, FID_SEQ_DOT_LUSTRE,
				    FID_OID_DOT_LUSTRE);
	if (rc == 0)
		rc = special_object(LSIM_FID_DIR, FID_SEQ_DOT_LUSTRE,
				    FID_OID_DOT_LUSTRE_OBF);
	return rc;
}

/* Paths ------------------------------------------------------------------ */

static void set_path(struct lsim_file *f, const char *rel)
{
	if (f->path != NULL && strcmp(f->path, rel) == 0)
		return;
	free(f->path);
	f->path = strdup(rel);
	j_path(f);
}

static int path_valid(const struct lsim_file *f)
{
	struct stat st;

	if (f->path == NULL)
		return 0;
	if (f->special)
		return 1;
	if (fstatat(D.rootfd, *f->path ? f->path : ".", &st,
		    AT_SYMLINK_NOFOLLOW) < 0)
		return 0;
	return (uint64_t)st.st_ino == f->ino && st.st_dev == D.dev;
}

struct scan {
	uint64_t	want_ino;
	char		**links;
	size_t		nlinks;
	size_t		cap;
};

static void scan_collect(struct scan *s, const char *rel)
{
	if (s->nlinks == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 4;
		char **l = realloc(s->links, cap * sizeof(*l));

		if (l == NULL)
			return;
		s->links = l;
		s->cap = cap;
	}
	s->links[s->nlinks] = strdup(rel);
	if (s->links[s->nlinks] != NULL)
		s->nlinks++;
}

/*
 * Walk the namespace below dirfd (relative path prefix), refreshing the path
 * of every tracked object met and collecting the names of s->want_ino.
 */
static void scan_dir(int dirfd, const char *prefix, struct scan *s)
{
	DIR *dir;
	struct dirent *de;

	dir = fdopendir(dirfd);
	if (dir == NULL) {
		close(dirfd);
		return;
	}
	while ((de = readdir(dir)) != NULL) {
		struct lsim_file *f;
		struct stat st;
		char *rel;
		int is_dir;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (*prefix == '\0' && strcmp(de->d_name, dot_lustre_name) == 0)
			continue;
		if (fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    st.st_dev != D.dev)
			continue;
		if (asprintf(&rel, "%s%s%s", prefix, *prefix ? "/" : "",
			     de->d_name) < 0)
			continue;

		f = file_by_ino(st.st_ino);
		if (f != NULL && !f->special && !f->is_volatile &&
		    !path_valid(f))
			set_path(f, rel);
		if ((uint64_t)st.st_ino == s->want_ino)
			scan_collect(s, rel);

		is_dir = S_ISDIR(st.st_mode);
		if (is_dir) {
			int sub = openat(dirfd, de->d_name,
					 O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
					 O_CLOEXEC);

			if (sub >= 0)
				scan_dir(sub, rel, s);
		}
		free(rel);
	}
	closedir(dir);
}

static void scan_namespace(struct scan *s)
{
	int fd = openat(D.rootfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0)
		scan_dir(fd, "", s);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int mdt_fid2path(const struct lu_fid *fid, int linkno, char **path,
		 int *linkno_out)
{
	struct lsim_file *f = mdt_file_by_fid(fid);
	struct scan s = { .want_ino = 0 };
	char name[FID_NOBRACE_LEN + 1];
	struct stat st;
	size_t idx;
	size_t i;
	int rc;

	*path = NULL;
	*linkno_out = linkno;
	if (f == NULL)
		return -ENOENT;
	rc = mdt_file_check(f);
	if (rc < 0)
		return rc;
	if (f->is_volatile)
		return -ENOENT;
	if (f->special) {
		*path = strdup(f->path);
		return *path != NULL ? 0 : -ENOMEM;
	}

	if (f->linked) {
		link_name(f, name, sizeof(name));
		if (fstatat(D.fiddirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			return -errno;
	} else {
		st.st_nlink = 2;	/* directories: a single name */
	}

	if (!f->linked || st.st_nlink <= 2) {
		if (!path_valid(f)) {
			s.want_ino = f->ino;
			scan_namespace(&s);
			for (i = 0; i < s.nlinks; i++)
				free(s.links[i]);
			free(s.links);
		}
		if (!path_valid(f))
			return -ENOENT;
		*path = strdup(f->path);
		return *path != NULL ? 0 : -ENOMEM;
	}

	/* several names: enumerate them in a stable (sorted) order */
	s.want_ino = f->ino;
	scan_namespace(&s);
	if (s.nlinks == 0) {
		free(s.links);
		return -ENOENT;
	}
	qsort(s.links, s.nlinks, sizeof(*s.links), cmp_str);
	idx = linkno >= 0 && (size_t)linkno < s.nlinks ? (size_t)linkno : 0;
	*path = s.links[idx];
	if (idx + 1 < s.nlinks)
		*linkno_out = (int)idx + 1;
	for (i = 0; i < s.nlinks; i++)
		if (i != idx)
			free(s.links[i]);
	free(s.links);
	return 0;
}

/* Permissions ------------------------------------------------------------ */

int mdt_in_group(const struct lsim_cred *cred, gid_t gid)
{
	char path[64];
	char line[4096];
	FILE *fp;
	int found = 0;

	if (cred->gid == gid)
		return 1;
	snprintf(path, sizeof(path), "/proc/%d/status", (int)cred->pid);
	fp = fopen(path, "re");
	if (fp == NULL)
		return 0;
	while (fgets(line, sizeof(line), fp) != NULL) {
		char *p, *end;

		if (strncmp(line, "Groups:", 7) != 0)
			continue;
		for (p = line + 7;; p = end) {
			unsigned long g = strtoul(p, &end, 10);

			if (end == p)
				break;
			if (g == gid) {
				found = 1;
				break;
			}
		}
		break;
	}
	fclose(fp);
	return found;
}

static int file_stat(const struct lsim_file *f, struct stat *st)
{
	char name[FID_NOBRACE_LEN + 1];

	if (f->linked) {
		link_name(f, name, sizeof(name));
		return fstatat(D.fiddirfd, name, st, AT_SYMLINK_NOFOLLOW) < 0 ?
			-errno : 0;
	}
	if (f->path == NULL)
		return -ENOENT;
	return fstatat(D.rootfd, *f->path ? f->path : ".", st,
		       AT_SYMLINK_NOFOLLOW) < 0 ? -errno : 0;
}

int mdt_owner(const struct lsim_file *f, uid_t *uid, gid_t *gid)
{
	struct stat st;
	int rc = file_stat(f, &st);

	if (rc < 0)
		return rc;
	*uid = st.st_uid;
	*gid = st.st_gid;
	return 0;
}

int mdt_may_write(const struct lsim_file *f, const struct lsim_cred *cred)
{
	struct stat st;

	if (cred_is_admin(cred))
		return 1;
	if (file_stat(f, &st) < 0)
		return 0;
	if (st.st_uid == cred->uid)
		return (st.st_mode & S_IWUSR) != 0;
	if (mdt_in_group(cred, st.st_gid))
		return (st.st_mode & S_IWGRP) != 0;
	return (st.st_mode & S_IWOTH) != 0;
}

/* Release and restore ----------------------------------------------------- */

static int open_object(const struct lsim_file *f, int flags)
{
	char name[FID_NOBRACE_LEN + 1];
	int fd;

	link_name(f, name, sizeof(name));
	fd = openat(D.fiddirfd, name, flags | O_NOFOLLOW | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int mdt_release(struct lsim_file *f, const struct lsim_cred *cred)
{
	struct timespec times[2];
	struct stat st;
	int fd;
	int rc = 0;

	if (f->type != S_IFREG)
		return -EINVAL;
	if (!mdt_may_write(f, cred))
		return -EACCES;
	if (f->hsm_flags & HS_RELEASED)
		return 0;
	if (!(f->hsm_flags & HS_ARCHIVED) ||
	    (f->hsm_flags & (HS_DIRTY | HS_NORELEASE | HS_LOST)))
		return -EPERM;
	if (f->dv != f->archive_dv)
		return -EPERM;

	fd = open_object(f, O_WRONLY | O_NOATIME);
	if (fd < 0)
		return fd;
	/* drop the data, keep size and times: the file becomes sparse */
	if (fstat(fd, &st) < 0 || ftruncate(fd, 0) < 0 ||
	    ftruncate(fd, st.st_size) < 0) {
		rc = -errno;
		goto out;
	}
	times[0] = st.st_atim;
	times[1] = st.st_mtim;
	if (futimens(fd, times) < 0 || fstat(fd, &st) < 0) {
		rc = -errno;
		goto out;
	}
	sig_set(f, &st);
	f->hsm_flags |= HS_RELEASED;
	j_fstate(f);
out:
	close(fd);
	return rc;
}

static int copy_data(int from, int to, uint64_t size)
{
	loff_t in = 0, out = 0;
	char *buf;

	while ((uint64_t)in < size) {
		ssize_t n = copy_file_range(from, &in, to, &out,
					    (size_t)(size - (uint64_t)in), 0);

		if (n > 0)
			continue;
		if (n == 0)
			break;
		if (errno == EINTR)
			continue;
		if (errno != EXDEV && errno != EINVAL && errno != ENOSYS &&
		    errno != EOPNOTSUPP && errno != EBADF)
			return -errno;
		break;	/* fall back to read/write for the rest */
	}
	if ((uint64_t)in >= size)
		return 0;

	buf = malloc(1 << 20);
	if (buf == NULL)
		return -ENOMEM;
	while ((uint64_t)in < size) {
		ssize_t n = pread(from, buf, 1 << 20, in);
		ssize_t done = 0;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			free(buf);
			return n < 0 ? -errno : 0;
		}
		while (done < n) {
			ssize_t w = pwrite(to, buf + done, (size_t)(n - done),
					   out + done);

			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0) {
				free(buf);
				return -errno;
			}
			done += w;
		}
		in += n;
		out += n;
	}
	free(buf);
	return 0;
}

int mdt_restore_swap(struct lsim_file *f, int volfd)
{
	struct timespec times[2];
	struct stat vst, st;
	int fd;
	int rc;

	if (fstat(volfd, &vst) < 0)
		return -errno;
	fd = open_object(f, O_WRONLY | O_NOATIME);
	if (fd < 0)
		return fd;
	if (ftruncate(fd, 0) < 0) {
		rc = -errno;
		goto out;
	}
	rc = copy_data(volfd, fd, (uint64_t)vst.st_size);
	if (rc < 0)
		goto out;
	times[0] = vst.st_atim;
	times[1] = vst.st_mtim;
	if (ftruncate(fd, vst.st_size) < 0 || futimens(fd, times) < 0 ||
	    fstat(fd, &st) < 0) {
		rc = -errno;
		goto out;
	}
	sig_set(f, &st);
	f->dv++;
	rc = 0;
out:
	close(fd);
	return rc;
}

/* Restore volatiles ------------------------------------------------------- */

int mdt_volatile_register(int fd, struct lu_fid *fid)
{
	struct statx stx;
	struct lsim_file *f;

	if (statx(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS | STATX_BTIME,
		  &stx) < 0)
		return -errno;
	if (makedev(stx.stx_dev_major, stx.stx_dev_minor) != D.dev ||
	    !S_ISREG(stx.stx_mode))
		return -EINVAL;
	f = file_by_ino(stx.stx_ino);
	if (f != NULL) {
		if (!f->is_volatile)
			return -EINVAL;
		mdt_volatile_drop(&f->fid);
	}

	mdt_fid_alloc(fid);
	j_fidhwm();
	f = file_new(fid);
	if (f == NULL)
		return -ENOMEM;
	f->is_volatile = 1;
	f->ino = stx.stx_ino;
	f->type = S_IFREG;
	if (stx.stx_mask & STATX_BTIME) {
		f->btime_sec = stx.stx_btime.tv_sec;
		f->btime_nsec = stx.stx_btime.tv_nsec;
	}
	f->created = now_sec();
	file_index_ino(f);
	list_add_tail(&f->sweep, &D.volatiles);
	return 0;
}

struct lsim_file *mdt_volatile_by_fid(const struct lu_fid *fid)
{
	struct lsim_file *f = mdt_file_by_fid(fid);

	return f != NULL && f->is_volatile ? f : NULL;
}

int mdt_volatile_matches(struct lsim_file *v, int fd, uint64_t *dv)
{
	struct statx stx;

	if (fd < 0 || statx(fd, "", AT_EMPTY_PATH,
			    STATX_BASIC_STATS | STATX_BTIME, &stx) < 0)
		return 0;
	if (makedev(stx.stx_dev_major, stx.stx_dev_minor) != D.dev ||
	    stx.stx_ino != v->ino || !stx_btime_matches(v, &stx))
		return 0;
	*dv = stx.stx_size ^ ((uint64_t)stx.stx_mtime.tv_sec << 20) ^
	      stx.stx_mtime.tv_nsec;
	if (*dv == 0)
		*dv = 1;
	return 1;
}

void mdt_volatile_drop(const struct lu_fid *fid)
{
	struct lsim_file *f = mdt_volatile_by_fid(fid);

	if (f != NULL)
		file_free(f);
}

void mdt_volatile_expire(int64_t now, int64_t max_age)
{
	struct list_head *pos, *tmp;

	list_for_each_safe(pos, tmp, &D.volatiles) {
		struct lsim_file *f = list_entry(pos, struct lsim_file, sweep);
		struct list_head *a;
		int used = 0;

		if (f->created + max_age >= now)
			continue;
		list_for_each(a, &D.active) {
			struct lsim_active *act = list_entry(a,
						struct lsim_active, list);

			if (lu_fid_eq(&act->dfid, &f->fid)) {
				used = 1;
				break;
			}
		}
		if (!used)
			file_free(f);
	}
}

/* Background detection of deleted files, a slice at a time. */
void mdt_sweep(unsigned int budget)
{
	struct list_head *pos = D.sweep_pos != NULL ? D.sweep_pos : D.sweep.next;

	while (budget-- > 0 && !list_empty(&D.sweep)) {
		struct lsim_file *f;

		if (pos == &D.sweep)
			pos = pos->next;
		f = list_entry(pos, struct lsim_file, sweep);
		pos = pos->next;
		D.sweep_pos = pos;
		mdt_file_check(f);
	}
	graveyard_collect();
}

int mdt_import(int fd, const struct hsm_user_import *hui,
	       const struct lsim_cred *cred)
{
	struct timespec times[2];
	struct lsim_file *f;
	struct stat st;
	int rc;

	f = mdt_file_by_fd(fd, &rc);
	if (f == NULL)
		return rc;
	if (f->type != S_IFREG || f->special)
		return -EINVAL;
	if (!cred_is_admin(cred))
		return -EPERM;

	f->hsm_flags = HS_ARCHIVED | HS_EXISTS | HS_RELEASED;
	f->archive_id = hui->hui_archive_id;
	if (ftruncate(fd, 0) < 0 || ftruncate(fd, (off_t)hui->hui_size) < 0 ||
	    fchmod(fd, hui->hui_mode & 0777) < 0 ||
	    fchown(fd, hui->hui_uid, hui->hui_gid) < 0)
		rc = -errno;
	else
		rc = 0;
	times[0].tv_sec = (time_t)hui->hui_atime;
	times[0].tv_nsec = hui->hui_atime_ns;
	times[1].tv_sec = (time_t)hui->hui_mtime;
	times[1].tv_nsec = hui->hui_mtime_ns;
	if (rc == 0 && (futimens(fd, times) < 0 || fstat(fd, &st) < 0))
		rc = -errno;
	if (rc == 0) {
		sig_set(f, &st);
		f->dv++;
		f->archive_dv = f->dv;
	}
	j_fstate(f);
	return rc;
}

int mdt_state_set(struct lsim_file *f, const struct hsm_state_set *hss,
		  const struct lsim_cred *cred)
{
	__u64 set = (hss->hss_valid & HSS_SETMASK) ? hss->hss_setmask : 0;
	__u64 clear = (hss->hss_valid & HSS_CLEARMASK) ? hss->hss_clearmask : 0;
	__u64 flags;
	uint32_t archive_id = f->archive_id;

	if (f->special || f->is_volatile)
		return -EINVAL;
	if ((set | clear) & ~(__u64)HSM_FLAGS_MASK)
		return -EINVAL;
	if (((set | clear) & ~(__u64)HSM_USER_MASK) && !cred_is_admin(cred))
		return -EPERM;

	flags = (f->hsm_flags | set) & ~clear;
	if (hss->hss_valid & HSS_ARCHIVE_ID) {
		/* an archive id only sticks to a file with an archive copy */
		if (!(flags & HS_EXISTS))
			return 0;
		archive_id = hss->hss_archive_id;
	}
	if (((flags & HS_DIRTY) && !(flags & HS_EXISTS)) ||
	    ((flags & HS_RELEASED) && (flags & HS_DIRTY)) ||
	    ((flags & HS_RELEASED) && !(flags & HS_ARCHIVED)) ||
	    ((flags & HS_LOST) && !(flags & HS_ARCHIVED)))
		return -EINVAL;

	f->hsm_flags = (uint32_t)flags;
	f->archive_id = archive_id;
	j_fstate(f);
	return 0;
}

/* Journal replay ------------------------------------------------------------ */

void mdt_load_gone(struct lsim_file *f)
{
	if (f->gone)
		return;
	f->gone = 1;
	f->linked = 0;
	file_unindex_ino(f);
	sweep_del(f);
	list_add_tail(&f->sweep, &graveyard);
}

struct lsim_file *mdt_load_file(const struct lu_fid *fid, uint64_t ino,
				uint32_t type, int64_t btime_sec,
				uint32_t btime_nsec, char *path)
{
	struct lsim_file *f = mdt_file_by_fid(fid);
	struct lsim_file *other = file_by_ino(ino);

	if (other != NULL && other != f)
		mdt_load_gone(other);
	if (f != NULL) {
		file_unindex_ino(f);
		sweep_del(f);
		f->gone = 0;
		free(f->path);
	} else {
		f = file_new(fid);
		if (f == NULL) {
			free(path);
			return NULL;
		}
	}
	f->ino = ino;
	f->type = type;
	f->btime_sec = btime_sec;
	f->btime_nsec = btime_nsec;
	f->path = path;
	f->linked = !S_ISDIR(type);
	file_index_ino(f);
	if (f->linked)
		list_add_tail(&f->sweep, &D.sweep);
	return f;
}

/* Drop .lustre/fid links the tables do not know (e.g. after a crash). */
void mdt_remove_orphan_links(void)
{
	int fd = openat(D.fiddirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent *de;
	DIR *dir;

	if (fd < 0)
		return;
	dir = fdopendir(fd);
	if (dir == NULL) {
		close(fd);
		return;
	}
	while ((de = readdir(dir)) != NULL) {
		struct lu_fid fid;
		struct lsim_file *f;

		if (de->d_name[0] == '.')
			continue;
		if (sscanf(de->d_name, SFID, RFID(&fid)) != 3)
			continue;
		f = mdt_file_by_fid(&fid);
		if (f == NULL || f->gone || !f->linked) {
			lsim_log("removing orphan link .lustre/fid/%s",
				 de->d_name);
			unlinkat(D.fiddirfd, de->d_name, 0);
		}
	}
	closedir(dir);
}

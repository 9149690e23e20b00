/*
 * lfs path2fid / fid2path.
 *
 * The mount point of a path is the nearest ancestor whose FID is the root
 * FID [0x200000007:0x1:0x0], which holds on every Lustre client; a
 * parent's FID and name come from resolving the file's links.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lfs.h"

static bool fid_is_root(const struct lu_fid *fid)
{
	return fid->f_seq == FID_SEQ_ROOT && fid->f_oid == FID_OID_ROOT &&
	       fid->f_ver == 0;
}

/* Finds the Lustre mount point containing PATH (which need not exist). */
static int find_mount_root(const char *path, char *mnt, size_t size)
{
	char buf[PATH_MAX];
	char cwd[PATH_MAX];
	char resolved[PATH_MAX];
	struct lu_fid fid;
	char *parent;
	int n;

	if (path[0] == '/') {
		n = snprintf(buf, sizeof(buf), "%s", path);
	} else {
		if (getcwd(cwd, sizeof(cwd)) == NULL)
			return -errno;
		n = snprintf(buf, sizeof(buf), "%s/%s", cwd, path);
	}
	if (n < 0 || (size_t)n >= sizeof(buf))
		return -ENAMETOOLONG;

	for (;;) {
		if (realpath(buf, resolved) != NULL &&
		    llapi_path2fid(resolved, &fid) == 0 && fid_is_root(&fid)) {
			n = snprintf(mnt, size, "%s", resolved);
			if (n < 0 || (size_t)n >= size)
				return -ENAMETOOLONG;
			return 0;
		}
		if (strcmp(buf, "/") == 0)
			return -ENODEV;
		/* dirname() works in place and may return a static string */
		parent = dirname(buf);
		memmove(buf, parent, strlen(parent) + 1);
	}
}

/* Where FIDs are resolved: an open mount root, or else an fsname. */
struct fid_resolver {
	int mnt_fd;
	const char *fsname;
};

/* Upper bound for the path buffer grown on -ERANGE. */
#define FID2PATH_MAX_BUF (1 << 20)

/*
 * Resolves link *linkno of FID into *path (allocated, grown on -ERANGE).
 * *linkno and *recno are updated as by llapi_fid2path_at.
 */
static int fid2path_grow(const struct fid_resolver *r, const struct lu_fid *fid,
			 char **path, long long *recno, int *linkno)
{
	long long recno_in = *recno;
	int linkno_in = *linkno;
	char fid_str[FID_LEN + 1];
	int size = PATH_MAX;
	int rc;

	snprintf(fid_str, sizeof(fid_str), DFID, PFID(fid));
	for (;;) {
		char *buf = realloc(*path, size);

		if (buf == NULL)
			return -ENOMEM;
		*path = buf;
		*recno = recno_in;
		*linkno = linkno_in;
		if (r->mnt_fd >= 0)
			rc = llapi_fid2path_at(r->mnt_fd, fid, buf, size, recno,
					       linkno);
		else
			rc = llapi_fid2path(r->fsname, fid_str, buf, size, recno,
					    linkno);
		if (rc != -ERANGE || size >= FID2PATH_MAX_BUF)
			return rc;
		size *= 2;
	}
}

static const char *last_component(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL || slash[1] == '\0')
		return path;
	return slash + 1;
}

/* FID of the directory holding link RELPATH (relative to MNT). */
static int parent_fid(const char *mnt, const char *relpath, struct lu_fid *fid)
{
	const char *slash = strrchr(relpath, '/');
	char dir[PATH_MAX];
	int n;

	if (slash == NULL)
		n = snprintf(dir, sizeof(dir), "%s", mnt);
	else
		n = snprintf(dir, sizeof(dir), "%s/%.*s", mnt,
			     (int)(slash - relpath), relpath);
	if (n < 0 || (size_t)n >= sizeof(dir))
		return -ENAMETOOLONG;
	return llapi_path2fid(dir, fid);
}

/* "[parent FID]/name" for every link of PATH, TAB separated, on one line. */
static int print_parents(const char *path, const char *sep)
{
	struct fid_resolver r = { .mnt_fd = -1 };
	char mnt[PATH_MAX];
	struct lu_fid fid;
	char *relpath = NULL;
	int linkno = 0;
	int printed = 0;
	int rc;

	rc = llapi_path2fid(path, &fid);
	if (rc < 0)
		return rc;
	/* The root has no parent link. */
	if (fid_is_root(&fid))
		return -ENODATA;
	rc = find_mount_root(path, mnt, sizeof(mnt));
	if (rc < 0)
		return rc;
	r.mnt_fd = open(mnt, O_RDONLY | O_DIRECTORY);
	if (r.mnt_fd < 0)
		return -errno;

	for (;;) {
		struct lu_fid pfid;
		long long recno = -1;
		int old = linkno;

		rc = fid2path_grow(&r, &fid, &relpath, &recno, &linkno);
		if (rc < 0)
			break;
		rc = parent_fid(mnt, relpath, &pfid);
		if (rc < 0)
			break;
		if (printed == 0 && *sep != '\0')
			printf("%s%s", path, sep);
		printf("%s" DFID "/%s", printed != 0 ? "\t" : "", PFID(&pfid),
		       last_component(relpath));
		printed++;
		if (old == linkno)
			break;
	}
	if (printed > 0)
		printf("\n");

	free(relpath);
	close(r.mnt_fd);
	return rc;
}

int lfs_path2fid(int argc, char **argv)
{
	static const struct option long_opts[] = {
		{ .name = "parents", .has_arg = no_argument, .val = 'p' },
		{ .name = NULL } };
	bool show_parents = false;
	const char *sep = "";
	int rc = 0;
	int c;
	int i;

	while ((c = getopt_long(argc, argv, "p", long_opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			show_parents = true;
			break;
		default:
			return CMD_HELP;
		}
	}

	if (optind == argc) {
		fprintf(stderr, "%s path2fid: FILE... must be specified\n",
			LFS_PROGNAME);
		return CMD_HELP;
	}
	if (argc - optind > 1)
		sep = ": ";

	for (i = optind; i < argc; i++) {
		const char *path = argv[i];
		struct lu_fid fid;
		int err;

		if (show_parents) {
			err = print_parents(path, sep);
		} else {
			err = llapi_path2fid(path, &fid);
			if (err == 0)
				printf("%s%s" DFID "\n", *sep != '\0' ? path : "",
				       sep, PFID(&fid));
		}
		if (err != 0) {
			fprintf(stderr, "%s path2fid: cannot get %sfid for '%s': %s\n",
				LFS_PROGNAME, show_parents ? "parent " : "", path,
				strerror(-err));
			lfs_keep_first_error(&rc, err);
		}
	}
	return rc;
}

struct fid2path_opts {
	bool print_fid;
	bool print_link;
	bool print_name;
	bool print0;
	int linkno;		/* -1: every link */
	long long recno;
	bool print_mnt_dir;
	const char *mnt_dir;
};

static void print_link(const struct fid2path_opts *o, const char *fid_str,
		       int linkno, const char *path)
{
	if (o->print_fid)
		printf("%s ", fid_str);
	if (o->print_link)
		printf("%d ", linkno);
	if (o->print_name) {
		printf("%s\n", last_component(path));
		return;
	}
	/* The root FID resolves to "/": lfs prints "<mnt>//" or "/". */
	printf("%s%s%s%c", o->print_mnt_dir ? o->mnt_dir : "",
	       (o->print_mnt_dir || *path == '\0') ? "/" : "", path,
	       o->print0 ? '\0' : '\n');
}

/*
 * Names only (-n without -c): every link name, or with -l N the name of link
 * N preceded by the link number returned by the library.
 */
static int print_names(const struct fid2path_opts *o,
		       const struct fid_resolver *r, const struct lu_fid *fid,
		       const char *fid_str, char **path)
{
	int linkno = o->linkno >= 0 ? o->linkno : 0;
	int rc;

	for (;;) {
		long long recno = o->recno;
		int old = linkno;

		rc = fid2path_grow(r, fid, path, &recno, &linkno);
		if (rc < 0)
			return rc;
		if (o->linkno >= 0) {
			printf("%d %s\n", linkno, last_component(*path));
			return 0;
		}
		if (o->print_fid)
			printf("%s ", fid_str);
		printf("%s\n", last_component(*path));
		if (old == linkno)
			return 0;
	}
}

static int print_paths(const struct fid2path_opts *o,
		       const struct fid_resolver *r, const struct lu_fid *fid,
		       const char *fid_str, char **path)
{
	int linkno = o->linkno >= 0 ? o->linkno : 0;
	int rc;

	for (;;) {
		long long recno = o->recno;
		int old = linkno;

		rc = fid2path_grow(r, fid, path, &recno, &linkno);
		if (rc < 0)
			return rc;
		print_link(o, fid_str, linkno, *path);
		if (o->linkno >= 0 || old == linkno)
			return 0;
	}
}

static void strip_trailing_slashes(char *dir)
{
	size_t len = strlen(dir);

	while (len > 1 && dir[len - 1] == '/')
		dir[--len] = '\0';
}

int lfs_fid2path(int argc, char **argv)
{
	static const struct option long_opts[] = {
		{ .name = "cur",        .has_arg = no_argument,       .val = 'c' },
		{ .name = "current",    .has_arg = no_argument,       .val = 'c' },
		{ .name = "print-link", .has_arg = no_argument,       .val = 'c' },
		{ .name = "print-fid",  .has_arg = no_argument,       .val = 'f' },
		{ .name = "link",       .has_arg = required_argument, .val = 'l' },
		{ .name = "name",       .has_arg = no_argument,       .val = 'n' },
		{ .name = "print0",     .has_arg = no_argument,       .val = '0' },
		{ .name = NULL } };
	struct fid2path_opts o = { .linkno = -1, .recno = -1 };
	struct fid_resolver r = { .mnt_fd = -1 };
	char mnt_dir[PATH_MAX] = "";
	const char *operand;
	char *path = NULL;
	char *end;
	int rc = 0;
	int c;
	int i;

	while ((c = getopt_long(argc, argv, "cfl:nr:0", long_opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			o.print_link = true;
			break;
		case 'f':
			o.print_fid = true;
			break;
		case 'l': {
			long v;

			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || end == optarg ||
			    v < 0 || v > INT_MAX) {
				fprintf(stderr, "%s fid2path: invalid linkno '%s'\n",
					LFS_PROGNAME, optarg);
				return CMD_HELP;
			}
			o.linkno = (int)v;
			break;
		}
		case 'n':
			o.print_name = true;
			break;
		case 'r':
			/* passed through to the MDT, which ignores it */
			errno = 0;
			o.recno = strtoll(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || end == optarg ||
			    o.recno < 0) {
				fprintf(stderr, "%s fid2path: invalid recno '%s'\n",
					LFS_PROGNAME, optarg);
				return CMD_HELP;
			}
			break;
		case '0':
			o.print0 = true;
			break;
		default:
			return CMD_HELP;
		}
	}

	if (argc - optind < 2) {
		fprintf(stderr, "Usage: %s fid2path FSNAME|ROOT FID...\n",
			LFS_PROGNAME);
		return CMD_HELP;
	}

	operand = argv[optind];
	if (*operand == '/') {
		o.print_mnt_dir = true;
		rc = find_mount_root(operand, mnt_dir, sizeof(mnt_dir));
		if (rc < 0) {
			fprintf(stderr,
				"%s fid2path: cannot resolve mount point for '%s': %s\n",
				LFS_PROGNAME, operand, strerror(-rc));
			return rc;
		}
		r.mnt_fd = open(mnt_dir, O_RDONLY | O_DIRECTORY);
		if (r.mnt_fd < 0) {
			rc = -errno;
			fprintf(stderr,
				"%s fid2path: cannot open mount point for '%s': %s\n",
				LFS_PROGNAME, operand, strerror(-rc));
			return rc;
		}
		strip_trailing_slashes(mnt_dir);
		o.mnt_dir = mnt_dir;
	} else {
		r.fsname = operand;
	}

	for (i = optind + 1; i < argc; i++) {
		const char *fid_str = argv[i];
		struct lu_fid fid;
		int rc2;

		rc2 = llapi_fid_parse(fid_str, &fid, NULL);
		if (rc2 < 0) {
			fprintf(stderr, "%s fid2path: invalid FID '%s'\n",
				LFS_PROGNAME, fid_str);
			lfs_keep_first_error(&rc, rc2);
			continue;
		}

		if (o.print_name && !o.print_link)
			rc2 = print_names(&o, &r, &fid, fid_str, &path);
		else
			rc2 = print_paths(&o, &r, &fid, fid_str, &path);
		if (rc2 < 0) {
			fprintf(stderr, "%s fid2path: cannot find %s %s: %s\n",
				LFS_PROGNAME, operand, fid_str, strerror(-rc2));
			lfs_keep_first_error(&rc, rc2);
		}
	}

	free(path);
	if (r.mnt_fd >= 0)
		close(r.mnt_fd);
	return rc;
}

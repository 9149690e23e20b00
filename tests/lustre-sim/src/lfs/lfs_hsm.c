/*
 * lfs HSM commands: requests (archive/restore/release/remove/cancel), state
 * and current-action queries, and user flag changes.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "lfs.h"

/* FIDs collected for one request, in command-line then file-list order. */
struct fid_list {
	struct lu_fid *fids;
	size_t count;
	size_t capacity;
};

static int fid_list_add(struct fid_list *list, const struct lu_fid *fid)
{
	if (list->count == list->capacity) {
		size_t capacity = list->capacity ? list->capacity * 2 : 64;
		struct lu_fid *fids;

		fids = realloc(list->fids, capacity * sizeof(*fids));
		if (fids == NULL)
			return -ENOMEM;
		list->fids = fids;
		list->capacity = capacity;
	}
	list->fids[list->count++] = *fid;
	return 0;
}

/* Parses a non-negative decimal number that fits in 32 bits. */
static int parse_u32(const char *str, __u32 *value, char **tail)
{
	unsigned long long v;
	char *end;

	if (*str == '-' || *str == '\0') {
		*tail = (char *)str;
		return -EINVAL;
	}
	errno = 0;
	v = strtoull(str, &end, 10);
	*tail = end;
	if (errno != 0 || *end != '\0' || v > UINT_MAX)
		return -EINVAL;
	*value = (__u32)v;
	return 0;
}

/*
 * Checks that FILE is a regular file on the same filesystem as the previous
 * ones and returns its FID. CMD_HELP for a non-regular file (usage printed).
 */
static int hsm_prepare_file(const char *file, struct lu_fid *fid,
			    bool *have_dev, dev_t *last_dev)
{
	struct stat st;
	int rc;

	if (lstat(file, &st) < 0) {
		rc = -errno;
		fprintf(stderr, "Cannot stat %s: %s\n", file, strerror(-rc));
		return rc;
	}
	/* The copytool only knows how to move regular file data. */
	if (!S_ISREG(st.st_mode)) {
		fprintf(stderr, "error: \"%s\" is not a regular file\n", file);
		return CMD_HELP;
	}
	if (*have_dev && *last_dev != st.st_dev) {
		fprintf(stderr, "All files should be on the same filesystem: %s\n",
			file);
		return -EINVAL;
	}
	*have_dev = true;
	*last_dev = st.st_dev;

	rc = llapi_path2fid(file, fid);
	if (rc < 0) {
		fprintf(stderr, "Cannot read FID of %s: %s\n", file,
			strerror(-rc));
		return rc;
	}
	return 0;
}

struct request_items {
	struct fid_list fids;
	const char *mntpath;	/* non-NULL: operands are FIDs */
	bool have_dev;
	dev_t last_dev;
};

static int add_request_item(struct request_items *items, const char *name)
{
	struct lu_fid fid;
	int rc;

	if (items->mntpath != NULL) {
		rc = llapi_fid_parse(name, &fid, NULL);
		if (rc < 0) {
			fprintf(stderr, "hsm: '%s' is not a valid FID\n", name);
			return rc;
		}
	} else {
		rc = hsm_prepare_file(name, &fid, &items->have_dev,
				      &items->last_dev);
		if (rc != 0)
			return rc;
	}
	return fid_list_add(&items->fids, &fid);
}

/* Adds every line of FILELIST; *first_line receives a copy of the first. */
static int add_file_list(struct request_items *items, const char *filelist,
			 char **first_line)
{
	char *line = NULL;
	size_t size = 0;
	ssize_t len;
	FILE *fp;
	int rc = 0;

	fp = fopen(filelist, "r");
	if (fp == NULL) {
		rc = -errno;
		fprintf(stderr, "Cannot read the file list %s: %s\n", filelist,
			strerror(-rc));
		return rc;
	}

	errno = 0;
	while ((len = getline(&line, &size, fp)) != -1) {
		if (len > 0 && line[len - 1] == '\n')
			line[len - 1] = '\0';

		rc = add_request_item(items, line);
		if (rc != 0)
			break;
		if (*first_line == NULL) {
			*first_line = strdup(line);
			if (*first_line == NULL) {
				rc = -ENOMEM;
				break;
			}
		}
		errno = 0;
	}
	if (rc == 0 && ferror(fp)) {
		rc = errno != 0 ? -errno : -EIO;
		fprintf(stderr, "Cannot read the file list %s: %s\n", filelist,
			strerror(-rc));
	}

	free(line);
	fclose(fp);
	return rc;
}

static int send_request(enum hsm_user_action action, __u32 archive_id,
			const struct fid_list *fids, const char *opaque,
			const char *some_file)
{
	struct hsm_user_request *hur;
	char fullpath[PATH_MAX];
	const char *request_path = fullpath;
	size_t opaque_len = opaque != NULL ? strlen(opaque) : 0;
	size_t i;
	int rc;

	if (fids->count > INT_MAX || opaque_len > INT_MAX) {
		fprintf(stderr, "Cannot create the request: %s\n",
			strerror(E2BIG));
		return -E2BIG;
	}

	hur = llapi_hsm_user_request_alloc((int)fids->count, (int)opaque_len);
	if (hur == NULL) {
		rc = errno != 0 ? -errno : -ENOMEM;
		fprintf(stderr, "Cannot create the request: %s\n",
			strerror(-rc));
		return rc;
	}

	hur->hur_request.hr_action = action;
	hur->hur_request.hr_archive_id = archive_id;
	hur->hur_request.hr_flags = 0;
	hur->hur_request.hr_itemcount = (__u32)fids->count;
	hur->hur_request.hr_data_len = (__u32)opaque_len;
	for (i = 0; i < fids->count; i++) {
		hur->hur_user_item[i].hui_fid = fids->fids[i];
		hur->hur_user_item[i].hui_extent.offset = 0;
		hur->hur_user_item[i].hui_extent.length = LUSTRE_EOF;
	}
	if (opaque_len > 0)
		memcpy(hur_data(hur), opaque, opaque_len);

	if (realpath(some_file, fullpath) == NULL) {
		fprintf(stderr, "Could not find path '%s': %s\n", some_file,
			strerror(errno));
		request_path = some_file;
	}

	rc = llapi_hsm_request(request_path, hur);
	if (rc < 0)
		fprintf(stderr, "Cannot send HSM request (use of %s): %s\n",
			some_file, strerror(-rc));

	free(hur);
	return rc;
}

static int hsm_request(int argc, char **argv, enum hsm_user_action action)
{
	static const struct option long_opts[] = {
		{ .name = "archive",  .has_arg = required_argument, .val = 'a' },
		{ .name = "data",     .has_arg = required_argument, .val = 'D' },
		{ .name = "filelist", .has_arg = required_argument, .val = 'l' },
		{ .name = "help",     .has_arg = no_argument,       .val = 'h' },
		{ .name = "mntpath",  .has_arg = required_argument, .val = 'm' },
		{ .name = NULL } };
	struct request_items items = { .mntpath = NULL };
	const char *filelist = NULL;
	const char *opaque = NULL;
	char *first_listed = NULL;
	const char *some_file;
	__u32 archive_id = 0;
	char *tail;
	int rc = 0;
	int c;
	int i;

	while ((c = getopt_long(argc, argv, "a:D:hl:m:", long_opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			if (action != HUA_ARCHIVE && action != HUA_REMOVE) {
				fprintf(stderr,
					"error: -a is supported only when archiving or removing\n");
				return CMD_HELP;
			}
			if (parse_u32(optarg, &archive_id, &tail) < 0) {
				fprintf(stderr, "error: invalid archive number '%s'\n",
					optarg);
				return CMD_HELP;
			}
			break;
		case 'D':
			opaque = optarg;
			break;
		case 'l':
			filelist = optarg;
			break;
		case 'm':
			if (items.mntpath == NULL)
				items.mntpath = optarg;
			break;
		case 'h':
		default:
			return CMD_HELP;
		}
	}

	if (optind == argc && filelist == NULL) {
		fprintf(stderr, "%s %s: no file specified\n", LFS_PROGNAME,
			argv[0]);
		return CMD_HELP;
	}

	for (i = optind; i < argc; i++) {
		rc = add_request_item(&items, argv[i]);
		if (rc != 0)
			goto out;
	}
	if (filelist != NULL) {
		rc = add_file_list(&items, filelist, &first_listed);
		if (rc != 0)
			goto out;
	}
	if (items.fids.count == 0) {
		fprintf(stderr, "%s %s: no file in file list '%s'\n",
			LFS_PROGNAME, argv[0], filelist);
		rc = -EINVAL;
		goto out;
	}

	/* The request is sent through the filesystem of the first operand. */
	if (items.mntpath != NULL)
		some_file = items.mntpath;
	else if (optind < argc)
		some_file = argv[optind];
	else
		some_file = first_listed;

	rc = send_request(action, archive_id, &items.fids, opaque, some_file);
out:
	free(first_listed);
	free(items.fids.fids);
	return rc;
}

int lfs_hsm_archive(int argc, char **argv)
{
	return hsm_request(argc, argv, HUA_ARCHIVE);
}

int lfs_hsm_restore(int argc, char **argv)
{
	return hsm_request(argc, argv, HUA_RESTORE);
}

int lfs_hsm_release(int argc, char **argv)
{
	return hsm_request(argc, argv, HUA_RELEASE);
}

int lfs_hsm_remove(int argc, char **argv)
{
	return hsm_request(argc, argv, HUA_REMOVE);
}

int lfs_hsm_cancel(int argc, char **argv)
{
	return hsm_request(argc, argv, HUA_CANCEL);
}

int lfs_hsm_state(int argc, char **argv)
{
	struct hsm_user_state hus;
	int rc = 0;
	int i;

	if (argc < 2)
		return CMD_HELP;

	for (i = 1; i < argc; i++) {
		const char *path = argv[i];
		int rc2;

		rc2 = llapi_hsm_state_get(path, &hus);
		if (rc2 < 0) {
			fprintf(stderr, "%s %s: get HSM state for '%s' failed: %s\n",
				LFS_PROGNAME, argv[0], path, strerror(-rc2));
			lfs_keep_first_error(&rc, rc2);
			continue;
		}

		printf("%s: (0x%08x)", path, hus.hus_states);
		if (hus.hus_states & HS_RELEASED)
			printf(" released");
		if (hus.hus_states & HS_EXISTS)
			printf(" exists");
		if (hus.hus_states & HS_DIRTY)
			printf(" dirty");
		if (hus.hus_states & HS_ARCHIVED)
			printf(" archived");
		if (hus.hus_states & HS_NORELEASE)
			printf(" never_release");
		if (hus.hus_states & HS_NOARCHIVE)
			printf(" never_archive");
		if (hus.hus_states & HS_LOST)
			printf(" lost_from_hsm");
		if (hus.hus_archive_id != 0)
			printf(", archive_id:%d", hus.hus_archive_id);
		printf("\n");
	}
	return rc;
}

int lfs_hsm_action(int argc, char **argv)
{
	struct hsm_current_action hca;
	int rc = 0;
	int i;

	if (argc < 2)
		return CMD_HELP;

	for (i = 1; i < argc; i++) {
		const char *path = argv[i];
		struct hsm_extent he;
		int rc2;

		rc2 = llapi_hsm_current_action(path, &hca);
		if (rc2 < 0) {
			fprintf(stderr, "%s %s: get hsm action for '%s' failed: %s\n",
				LFS_PROGNAME, argv[0], path, strerror(-rc2));
			lfs_keep_first_error(&rc, rc2);
			continue;
		}

		he = hca.hca_location;
		printf("%s: %s", path,
		       hsm_user_action2name((enum hsm_user_action)hca.hca_action));
		if (hca.hca_action == HUA_NONE) {
			printf("\n");
			continue;
		}

		printf(" %s ", hsm_progress_state2name(
				(enum hsm_progress_states)hca.hca_state));
		if (hca.hca_state == HPS_RUNNING &&
		    (hca.hca_action == HUA_ARCHIVE ||
		     hca.hca_action == HUA_RESTORE))
			printf("(%llu bytes moved)\n",
			       (unsigned long long)he.length);
		else if (he.offset + he.length == LUSTRE_EOF)
			printf("(from %llu to EOF)\n",
			       (unsigned long long)he.offset);
		else
			printf("(from %llu to %llu)\n",
			       (unsigned long long)he.offset,
			       (unsigned long long)(he.offset + he.length));
	}
	return rc;
}

static int hsm_change_flags(int argc, char **argv, bool set)
{
	static const struct option long_opts[] = {
		{ .name = "archived",   .has_arg = no_argument,       .val = 'A' },
		{ .name = "noarchive",  .has_arg = no_argument,       .val = 'a' },
		{ .name = "dirty",      .has_arg = no_argument,       .val = 'd' },
		{ .name = "exists",     .has_arg = no_argument,       .val = 'e' },
		{ .name = "help",       .has_arg = no_argument,       .val = 'h' },
		{ .name = "archive-id", .has_arg = required_argument, .val = 'i' },
		{ .name = "lost",       .has_arg = no_argument,       .val = 'l' },
		{ .name = "norelease",  .has_arg = no_argument,       .val = 'r' },
		{ .name = NULL } };
	__u32 archive_id = 0;
	__u64 mask = 0;
	char *tail;
	int rc = 0;
	int c;

	if (argc < 3)
		return CMD_HELP;

	while ((c = getopt_long(argc, argv, "aAdehi:lr", long_opts, NULL)) != -1) {
		switch (c) {
		case 'A':
			mask |= HS_ARCHIVED;
			break;
		case 'a':
			mask |= HS_NOARCHIVE;
			break;
		case 'd':
			mask |= HS_DIRTY;
			break;
		case 'e':
			mask |= HS_EXISTS;
			break;
		case 'l':
			mask |= HS_LOST;
			break;
		case 'r':
			mask |= HS_NORELEASE;
			break;
		case 'i':
			if (parse_u32(optarg, &archive_id, &tail) < 0) {
				fprintf(stderr, "%s: invalid archive_id: '%s'\n",
					LFS_PROGNAME, tail);
				return CMD_HELP;
			}
			break;
		case 'h':
		default:
			return CMD_HELP;
		}
	}

	if (mask == 0) {
		fprintf(stderr, "%s %s: no HSM flag specified\n", LFS_PROGNAME,
			argv[0]);
		return CMD_HELP;
	}
	if (optind == argc) {
		fprintf(stderr, "%s %s: no file specified\n", LFS_PROGNAME,
			argv[0]);
		return CMD_HELP;
	}

	for (; optind < argc; optind++) {
		const char *path = argv[optind];
		int rc2;

		if (set)
			rc2 = llapi_hsm_state_set(path, mask, 0, archive_id);
		else
			rc2 = llapi_hsm_state_set(path, 0, mask, 0);
		if (rc2 < 0) {
			fprintf(stderr, "%s %s: change hsm flags for '%s' failed: %s\n",
				LFS_PROGNAME, argv[0], path, strerror(-rc2));
			lfs_keep_first_error(&rc, rc2);
		}
	}
	return rc;
}

int lfs_hsm_set(int argc, char **argv)
{
	return hsm_change_flags(argc, argv, true);
}

int lfs_hsm_clear(int argc, char **argv)
{
	return hsm_change_flags(argc, argv, false);
}

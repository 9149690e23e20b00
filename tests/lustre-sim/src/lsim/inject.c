/*
 * lsim inject: creates COUNT files in a new directory of a mount and asks
 * for their archiving, in requests of BATCH items sent through
 * llapi_hsm_request() exactly as lfs hsm_archive sends them, all at once or
 * at RATE items per second. The files and requests are ordinary: the MDT
 * validates, logs and dispatches them like any user's.
 *
 * With --log FILE it writes, per file, the line "DFID SUBMITTED_NS"
 * (CLOCK_MONOTONIC nanoseconds just before its request was sent), so that a
 * benchmark can measure each request from submission to completion.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include <lustre/lustreapi.h>

#include "inject.h"
#include "../common/usage.h"

/* Items of one request: hur_len must stay below the MDT's 1706-byte cap. */
#define MAX_BATCH	52
#define MAX_SIZE	(1LL << 30)

struct inject_opts {
	const char	*root;
	const char	*dir;
	const char	*log;
	long long	count;
	long long	size;
	long long	archive_id;
	long long	batch;
	double		rate;
};

static void inject_usage(FILE *out)
{
	fprintf(out,
		"usage: lsim inject --root DIR --count N [--dir NAME] [--size BYTES]\n"
		"                   [--archive-id ID] [--batch ITEMS] [--rate ITEMS_PER_S]\n"
		"                   [--log FILE]\n"
		"Creates N files of BYTES bytes (default 0) in the new directory DIR/NAME\n"
		"(default: inject) and requests their archiving in archive ID (default 1),\n"
		"ITEMS per request (1..52, default 50), at ITEMS_PER_S (default 0: at once).\n"
		"--log FILE: one line per file, \"DFID SUBMITTED_NS\" (CLOCK_MONOTONIC).\n");
}

static int inject_usage_error(const char *fmt, const char *arg)
{
	return lsim_usage_error("lsim inject", inject_usage, fmt, arg);
}

static int parse_count(const char *arg, long long min, long long max,
		       long long *value)
{
	char *end;

	errno = 0;
	*value = strtoll(arg, &end, 10);
	return errno != 0 || end == arg || *end != '\0' || *value < min ||
	       *value > max ? -1 : 0;
}

static int parse_inject_opts(int argc, char **argv, struct inject_opts *o)
{
	static const struct option longopts[] = {
		{ "root", required_argument, NULL, 'r' },
		{ "count", required_argument, NULL, 'n' },
		{ "dir", required_argument, NULL, 'd' },
		{ "size", required_argument, NULL, 's' },
		{ "archive-id", required_argument, NULL, 'a' },
		{ "batch", required_argument, NULL, 'b' },
		{ "rate", required_argument, NULL, 'R' },
		{ "log", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int c;

	memset(o, 0, sizeof(*o));
	o->dir = "inject";
	o->archive_id = 1;
	o->batch = 50;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "r:n:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			o->root = optarg;
			break;
		case 'n':
			if (parse_count(optarg, 1, INT_MAX, &o->count) < 0)
				return inject_usage_error("--count must be in 1..2147483647, got '%s'",
							  optarg);
			break;
		case 'd':
			if (optarg[0] == '\0' || strchr(optarg, '/') != NULL ||
			    strcmp(optarg, ".") == 0 || strcmp(optarg, "..") == 0)
				return inject_usage_error("--dir must be a plain file name, got '%s'",
							  optarg);
			o->dir = optarg;
			break;
		case 's':
			if (parse_count(optarg, 0, MAX_SIZE, &o->size) < 0)
				return inject_usage_error("--size must be in 0..1073741824, got '%s'",
							  optarg);
			break;
		case 'a':
			if (parse_count(optarg, 1, INT_MAX, &o->archive_id) < 0)
				return inject_usage_error("--archive-id must be in 1..2147483647, got '%s'",
							  optarg);
			break;
		case 'b':
			if (parse_count(optarg, 1, MAX_BATCH, &o->batch) < 0)
				return inject_usage_error("--batch must be in 1..52, got '%s'",
							  optarg);
			break;
		case 'R':
			errno = 0;
			o->rate = strtod(optarg, &end);
			if (errno != 0 || end == optarg || *end != '\0' ||
			    !(o->rate >= 0 && o->rate <= 1e9))
				return inject_usage_error("--rate must be a number in 0..1e9, got '%s'",
							  optarg);
			break;
		case 'l':
			o->log = optarg;
			break;
		case 'h':
			inject_usage(stdout);
			exit(0);
		default:
			if (optopt != 0)
				return inject_usage_error("%s: bad or missing option argument",
							  argv[optind - 1]);
			return inject_usage_error("unknown option '%s'",
						  argv[optind - 1]);
		}
	}
	if (optind < argc)
		return inject_usage_error("unexpected argument '%s'", argv[optind]);
	if (o->root == NULL)
		return inject_usage_error("%s", "--root is required");
	if (o->count == 0)
		return inject_usage_error("%s", "--count is required");
	return 0;
}

static struct timespec monotonic(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts;
}

static long long ns_of(struct timespec ts)
{
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static double seconds_since(struct timespec start)
{
	return (double)(ns_of(monotonic()) - ns_of(start)) / 1e9;
}

/* Creates file I in DIRFD with SIZE bytes and learns its FID. */
static int create_file(int dirfd, long long i, long long size,
		       const char *chunk, size_t chunk_len, struct lu_fid *fid)
{
	char name[32];
	long long left = size;
	int fd, rc;

	snprintf(name, sizeof(name), "f.%lld", i);
	fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		rc = -errno;
		fprintf(stderr, "lsim inject: cannot create %s: %s\n", name,
			strerror(-rc));
		return rc;
	}
	while (left > 0) {
		size_t n = left < (long long)chunk_len ? (size_t)left : chunk_len;
		ssize_t w = write(fd, chunk, n);

		if (w < 0) {
			rc = -errno;
			fprintf(stderr, "lsim inject: cannot write %s: %s\n",
				name, strerror(-rc));
			close(fd);
			return rc;
		}
		left -= w;
	}
	rc = llapi_fd2fid(fd, fid);
	if (rc < 0)
		fprintf(stderr, "lsim inject: cannot get the FID of %s: %s\n",
			name, strerror(-rc));
	close(fd);
	return rc;
}

static int create_files(int rootfd, const struct inject_opts *o,
			struct lu_fid *fids)
{
	static char chunk[65536];
	int dirfd;
	long long i;
	int rc = 0;

	memset(chunk, 'x', sizeof(chunk));
	if (mkdirat(rootfd, o->dir, 0755) < 0) {
		fprintf(stderr, "lsim inject: cannot create %s/%s: %s\n",
			o->root, o->dir, strerror(errno));
		return -1;
	}
	dirfd = openat(rootfd, o->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0) {
		fprintf(stderr, "lsim inject: cannot open %s/%s: %s\n",
			o->root, o->dir, strerror(errno));
		return -1;
	}
	for (i = 0; i < o->count && rc == 0; i++)
		rc = create_file(dirfd, i, o->size, chunk, sizeof(chunk),
				 &fids[i]);
	close(dirfd);
	return rc;
}

/* Sleeps until START + SENT / RATE seconds. */
static void pace(struct timespec start, long long sent, double rate)
{
	long long due = ns_of(start) + (long long)((double)sent * 1e9 / rate);
	struct timespec ts = { .tv_sec = due / 1000000000LL,
			       .tv_nsec = due % 1000000000LL };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

static int submit(const char *path, const struct inject_opts *o,
		  const struct lu_fid *fids, FILE *log)
{
	struct hsm_user_request *hur;
	struct timespec start = monotonic();
	long long i, j;
	int rc = 0;

	hur = llapi_hsm_user_request_alloc((int)o->batch, 0);
	if (hur == NULL) {
		fprintf(stderr, "lsim inject: out of memory\n");
		return -ENOMEM;
	}
	for (i = 0; i < o->count && rc == 0; i += o->batch) {
		long long n = o->count - i < o->batch ? o->count - i : o->batch;
		long long submitted;

		if (o->rate > 0)
			pace(start, i, o->rate);
		hur->hur_request.hr_action = HUA_ARCHIVE;
		hur->hur_request.hr_archive_id = (__u32)o->archive_id;
		hur->hur_request.hr_flags = 0;
		hur->hur_request.hr_itemcount = (__u32)n;
		hur->hur_request.hr_data_len = 0;
		for (j = 0; j < n; j++) {
			hur->hur_user_item[j].hui_fid = fids[i + j];
			hur->hur_user_item[j].hui_extent.offset = 0;
			hur->hur_user_item[j].hui_extent.length = LUSTRE_EOF;
		}
		submitted = ns_of(monotonic());
		rc = llapi_hsm_request(path, hur);
		if (rc < 0) {
			fprintf(stderr, "lsim inject: archive request for files %lld..%lld failed: %s\n",
				i, i + n - 1, strerror(-rc));
			break;
		}
		for (j = 0; log != NULL && j < n; j++)
			fprintf(log, DFID " %lld\n", PFID(&fids[i + j]),
				submitted);
	}
	free(hur);
	return rc;
}

int cmd_inject(int argc, char **argv)
{
	struct inject_opts o;
	struct lu_fid *fids;
	struct timespec t;
	char path[PATH_MAX];
	FILE *log = NULL;
	int rootfd, rc;
	double created;

	rc = parse_inject_opts(argc, argv, &o);
	if (rc != 0)
		return rc;
	rootfd = open(o.root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0) {
		fprintf(stderr, "lsim inject: cannot open %s: %s\n", o.root,
			strerror(errno));
		return 1;
	}
	fids = calloc((size_t)o.count, sizeof(*fids));
	if (fids == NULL) {
		fprintf(stderr, "lsim inject: out of memory for %lld FIDs\n",
			o.count);
		close(rootfd);
		return 1;
	}
	if (o.log != NULL) {
		log = fopen(o.log, "w");
		if (log == NULL) {
			fprintf(stderr, "lsim inject: cannot open %s: %s\n",
				o.log, strerror(errno));
			rc = -1;
		}
	}
	t = monotonic();
	if (rc == 0)
		rc = create_files(rootfd, &o, fids);
	created = seconds_since(t);
	snprintf(path, sizeof(path), "%s/%s", o.root, o.dir);
	t = monotonic();
	if (rc == 0)
		rc = submit(path, &o, fids, log);
	if (rc == 0)
		printf("created %lld files in %.2f s; requested their archiving in %.2f s\n",
		       o.count, created, seconds_since(t));
	if (log != NULL && fclose(log) != 0 && rc == 0) {
		fprintf(stderr, "lsim inject: cannot write %s: %s\n", o.log,
			strerror(errno));
		rc = -1;
	}
	free(fids);
	close(rootfd);
	return rc == 0 ? 0 : 1;
}

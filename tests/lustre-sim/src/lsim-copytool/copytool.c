/*
 * lsim-copytool: options, registration and the action-list receive loop.
 *
 * Every item of a received action list is copied and handed to its own
 * detached thread; the main thread goes straight back to receiving.
 * SIGINT/SIGTERM are taken by a dedicated thread that unregisters the
 * copytool and exits with status 1.
 */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <fcntl.h>

#include "copytool.h"

struct ct_options opt = {
	.copy_attrs = 1,
	.copy_xattrs = 1,
	.shadow_tree = 1,
	.verbose = LLAPI_MSG_INFO,
	.archive_format = CT_ARCHIVE_FORMAT_V1,
	.report_interval = REPORT_INTERVAL_DEFAULT,
	.chunk_size = ONE_MB,
};

char cmd_name[PATH_MAX];
int mnt_fd = -1;
atomic_int err_major;
atomic_int err_minor;

static int arc_fd = -1;
static char fs_name[PATH_MAX];	/* llapi_search_fsname writes up to PATH_MAX */
static struct hsm_copytool_private *ctdata;

/*
 * Workers hold this for reading while they use the copytool handle; whoever
 * unregisters takes it for writing (writers first, so that a stream of
 * progress reports cannot delay a shutdown).
 */
static pthread_rwlock_t ct_lock;

double ct_now(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return tv.tv_sec + 0.000001 * tv.tv_usec;
}

double ct_monotonic(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

int ct_action_begin(struct hsm_copyaction_private **phcp,
		    const struct hsm_action_item *hai, int restore_mdt_index,
		    int restore_open_flags, bool is_error)
{
	int rc;

	pthread_rwlock_rdlock(&ct_lock);
	rc = llapi_hsm_action_begin(phcp, ctdata, hai, restore_mdt_index,
				    restore_open_flags, is_error);
	pthread_rwlock_unlock(&ct_lock);
	return rc;
}

int ct_action_progress(struct hsm_copyaction_private *hcp,
		       const struct hsm_extent *he, __u64 total)
{
	int rc;

	pthread_rwlock_rdlock(&ct_lock);
	rc = llapi_hsm_action_progress(hcp, he, total, 0);
	pthread_rwlock_unlock(&ct_lock);
	return rc;
}

int ct_action_end(struct hsm_copyaction_private **phcp,
		  const struct hsm_extent *he, int hp_flags, int errval)
{
	int rc;

	pthread_rwlock_rdlock(&ct_lock);
	rc = llapi_hsm_action_end(phcp, he, hp_flags, errval);
	pthread_rwlock_unlock(&ct_lock);
	return rc;
}

static void usage(int rc)
{
	fprintf(stdout,
		"Usage: %s [options]... <lustre_mount_point>\n"
		"The Lustre HSM POSIX copytool daemon: acts on action requests from\n"
		"the coordinator to copy files to and from an archive tree.\n"
		"Options:\n"
		"   -A, --archive <#>          Archive number to serve (repeatable,\n"
		"                              0 or none: every archive)\n"
		"   -p, --hsm-root <path>      Root of the archive tree (required)\n"
		"   -F, --archive-format <v>   Archive layout: v1 (default) or v2\n"
		"   -b, --bandwidth <bw>       Limit I/O bandwidth (unit can be used,\n"
		"                              default is MB)\n"
		"   -c, --chunk-size <sz>      I/O size used during data copy\n"
		"                              (unit can be used, default is MB)\n"
		"   -u, --update-interval <s>  Seconds between progress reports sent\n"
		"                              to the coordinator (default 30)\n"
		"   --dry-run                  Don't copy, just show what would be done\n"
		"   --abort-on-error           Abort operation on major error\n"
		"   --no-attr                  Don't copy file attributes\n"
		"   --no-xattr                 Don't copy file extended attributes\n"
		"   --no-shadow                Don't create shadow namespace in archive\n"
		"   -q, --quiet                Produce less verbose output\n"
		"   -v, --verbose              Produce more verbose output\n"
		"   -h, --help                 Show this help\n",
		cmd_name);
	exit(rc);
}

static int add_archive_id(const char *arg, bool *all_ids)
{
	long val;
	char *end;
	int *ids;
	int i;

	errno = 0;
	val = strtol(arg, &end, 10);
	if (errno != 0 || *end != '\0' || end == arg || val < 0 ||
	    val > INT_MAX) {
		CT_ERROR(-EINVAL, "invalid archive-id: '%s'", arg);
		return -EINVAL;
	}
	if (*all_ids)
		return 0;
	if (val == 0) {
		free(opt.archive_ids);
		opt.archive_ids = NULL;
		opt.archive_id_count = 0;
		*all_ids = true;
		CT_WARN("archive-id = 0 is found, any backend will be served\n");
		return 0;
	}
	for (i = 0; i < opt.archive_id_count; i++)
		if (opt.archive_ids[i] == val)
			return 0;

	ids = realloc(opt.archive_ids,
		      (opt.archive_id_count + 1) * sizeof(*ids));
	if (ids == NULL)
		return -ENOMEM;
	opt.archive_ids = ids;
	opt.archive_ids[opt.archive_id_count++] = (int)val;
	return 0;
}

static int parse_size_mb(int c, const char *arg, unsigned long long *value)
{
	unsigned long long unit = ONE_MB;

	if (llapi_parse_size(arg, value, &unit, 0) < 0) {
		CT_ERROR(-EINVAL, "bad value for -%c '%s'", c, arg);
		return -EINVAL;
	}
	return 0;
}

static int ct_parseopts(int argc, char *const *argv)
{
	static struct option long_opts[] = {
		{ .name = "abort-on-error", .has_arg = no_argument,
		  .flag = &opt.abort_on_error, .val = 1 },
		{ .name = "abort_on_error", .has_arg = no_argument,
		  .flag = &opt.abort_on_error, .val = 1 },
		{ .name = "archive", .has_arg = required_argument, .val = 'A' },
		{ .name = "archive-format", .has_arg = required_argument,
		  .val = 'F' },
		{ .name = "archive_format", .has_arg = required_argument,
		  .val = 'F' },
		{ .name = "bandwidth", .has_arg = required_argument, .val = 'b' },
		{ .name = "chunk-size", .has_arg = required_argument, .val = 'c' },
		{ .name = "chunk_size", .has_arg = required_argument, .val = 'c' },
		{ .name = "dry-run", .has_arg = no_argument,
		  .flag = &opt.dry_run, .val = 1 },
		{ .name = "dry_run", .has_arg = no_argument,
		  .flag = &opt.dry_run, .val = 1 },
		{ .name = "help", .has_arg = no_argument, .val = 'h' },
		{ .name = "hsm-root", .has_arg = required_argument, .val = 'p' },
		{ .name = "hsm_root", .has_arg = required_argument, .val = 'p' },
		{ .name = "no-attr", .has_arg = no_argument,
		  .flag = &opt.copy_attrs, .val = 0 },
		{ .name = "no_attr", .has_arg = no_argument,
		  .flag = &opt.copy_attrs, .val = 0 },
		{ .name = "no-shadow", .has_arg = no_argument,
		  .flag = &opt.shadow_tree, .val = 0 },
		{ .name = "no_shadow", .has_arg = no_argument,
		  .flag = &opt.shadow_tree, .val = 0 },
		{ .name = "no-xattr", .has_arg = no_argument,
		  .flag = &opt.copy_xattrs, .val = 0 },
		{ .name = "no_xattr", .has_arg = no_argument,
		  .flag = &opt.copy_xattrs, .val = 0 },
		{ .name = "quiet", .has_arg = no_argument, .val = 'q' },
		{ .name = "update-interval", .has_arg = required_argument,
		  .val = 'u' },
		{ .name = "update_interval", .has_arg = required_argument,
		  .val = 'u' },
		{ .name = "verbose", .has_arg = no_argument, .val = 'v' },
		{ .name = NULL } };
	unsigned long long value;
	bool all_ids = false;
	char *end;
	int rc;
	int c;

	while ((c = getopt_long(argc, argv, "A:b:c:F:hp:qu:v", long_opts,
				NULL)) != -1) {
		switch (c) {
		case 'A':
			rc = add_archive_id(optarg, &all_ids);
			if (rc < 0)
				return rc;
			break;
		case 'b':
			rc = parse_size_mb(c, optarg, &value);
			if (rc < 0)
				return rc;
			opt.bandwidth = value;
			break;
		case 'c':
			rc = parse_size_mb(c, optarg, &value);
			if (rc < 0)
				return rc;
			/* one chunk is one buffer and one pread/pwrite */
			if (value == 0 || value > (1ULL << 30)) {
				CT_ERROR(-EINVAL, "bad value for -%c '%s'", c,
					 optarg);
				return -EINVAL;
			}
			opt.chunk_size = value;
			break;
		case 'F':
			if (strcmp(optarg, "v1") == 0) {
				opt.archive_format = CT_ARCHIVE_FORMAT_V1;
			} else if (strcmp(optarg, "v2") == 0) {
				opt.archive_format = CT_ARCHIVE_FORMAT_V2;
			} else {
				CT_ERROR(-EINVAL, "invalid archive format '%s'",
					 optarg);
				return -EINVAL;
			}
			break;
		case 'h':
			usage(0);
			break;
		case 'p':
			opt.hsm_root = optarg;
			break;
		case 'q':
			opt.verbose--;
			break;
		case 'u':
			errno = 0;
			opt.report_interval = strtod(optarg, &end);
			if (errno != 0 || *end != '\0' || end == optarg ||
			    !isfinite(opt.report_interval) ||
			    opt.report_interval < 0) {
				CT_ERROR(-EINVAL, "bad value for -%c '%s'", c,
					 optarg);
				return -EINVAL;
			}
			break;
		case 'v':
			opt.verbose++;
			break;
		case 0:
			break;
		default:
			return -EINVAL;
		}
	}

	if (argc != optind + 1) {
		CT_ERROR(-EINVAL, "no mount point specified");
		return -EINVAL;
	}
	opt.mnt = argv[optind];
	return 0;
}

static void *signal_thread(void *arg)
{
	const sigset_t *set = arg;
	int sig;

	while (sigwait(set, &sig) != 0)
		;
	psignal(sig, "exiting");
	/* Let running llapi calls on the handle finish, then drop it for good. */
	pthread_rwlock_wrlock(&ct_lock);
	llapi_hsm_copytool_unregister(&ctdata);
	_exit(1);
}

static int start_signal_thread(sigset_t *set)
{
	pthread_attr_t attr;
	pthread_t thread;
	int rc;

	rc = pthread_attr_init(&attr);
	if (rc != 0)
		return -rc;
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	rc = pthread_create(&thread, &attr, signal_thread, set);
	pthread_attr_destroy(&attr);
	return -rc;
}

/* Validates the items of HAL against MSGSIZE and dispatches each one. */
static int ct_dispatch(struct hsm_action_list *hal, int msgsize)
{
	struct hsm_action_item *hai;
	__u32 i;
	int rc = 0;

	hai = hai_first(hal);
	for (i = 1; i <= hal->hal_count; i++) {
		size_t offset = (char *)hai - (char *)hal;

		if (offset + sizeof(*hai) > (size_t)msgsize ||
		    hai->hai_len < sizeof(*hai) ||
		    offset + hai->hai_len > (size_t)msgsize) {
			rc = -EPROTO;
			CT_ERROR(rc, "'%s' item %u past end of message!",
				 opt.mnt, i);
			atomic_fetch_add(&err_major, 1);
			return rc;
		}
		rc = ct_process_item_async(hai);
		if (rc < 0)
			CT_ERROR(rc, "'%s' item %u process", opt.mnt, i);
		if (opt.abort_on_error && atomic_load(&err_major))
			return rc;
		hai = hai_next(hai);
	}
	return rc;
}

static bool hal_fsname_matches(const struct hsm_action_list *hal, int msgsize)
{
	size_t room = (size_t)msgsize - sizeof(*hal);

	if ((size_t)msgsize <= sizeof(*hal) ||
	    memchr(hal->hal_fsname, '\0', room) == NULL)
		return false;
	return strcmp(hal->hal_fsname, fs_name) == 0;
}

static int init_ct_lock(void)
{
	pthread_rwlockattr_t attr;
	int rc;

	rc = pthread_rwlockattr_init(&attr);
	if (rc != 0)
		return -rc;
	rc = pthread_rwlockattr_setkind_np(&attr,
			PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	if (rc == 0)
		rc = pthread_rwlock_init(&ct_lock, &attr);
	pthread_rwlockattr_destroy(&attr);
	return -rc;
}

static int ct_run(void)
{
	static sigset_t stop_signals;
	int rc;

	setbuf(stdout, NULL);

	rc = init_ct_lock();
	if (rc < 0) {
		CT_ERROR(rc, "cannot initialise the copytool handle lock");
		return rc;
	}

	/* Only the signal thread may take SIGINT/SIGTERM once registered. */
	sigemptyset(&stop_signals);
	sigaddset(&stop_signals, SIGINT);
	sigaddset(&stop_signals, SIGTERM);
	rc = pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
	if (rc != 0) {
		CT_ERROR(-rc, "cannot block termination signals");
		return -rc;
	}

	rc = llapi_hsm_copytool_register(&ctdata, opt.mnt,
					 opt.archive_id_count,
					 opt.archive_ids, 0);
	if (rc < 0) {
		CT_ERROR(rc, "cannot start copytool interface");
		return rc;
	}

	rc = start_signal_thread(&stop_signals);
	if (rc < 0) {
		CT_ERROR(rc, "cannot start signal handling thread");
		llapi_hsm_copytool_unregister(&ctdata);
		return rc;
	}

	for (;;) {
		struct hsm_action_list *hal;
		int msgsize;

		CT_TRACE("waiting for message from kernel");

		rc = llapi_hsm_copytool_recv(ctdata, &hal, &msgsize);
		if (rc == -ESHUTDOWN) {
			CT_TRACE("shutting down");
			break;
		}
		if (rc < 0) {
			CT_WARN("cannot receive action list: %s", strerror(-rc));
			atomic_fetch_add(&err_major, 1);
			if (opt.abort_on_error)
				break;
			continue;
		}

		CT_TRACE("copytool fs=%s archive#=%d item_count=%d",
			 hal->hal_fsname, hal->hal_archive_id, hal->hal_count);

		if (!hal_fsname_matches(hal, msgsize)) {
			rc = -EINVAL;
			CT_ERROR(rc, "'%.*s' invalid fs name, expecting: %s",
				 MTI_NAME_MAXLEN, hal->hal_fsname, fs_name);
			atomic_fetch_add(&err_major, 1);
			if (opt.abort_on_error)
				break;
			continue;
		}

		rc = ct_dispatch(hal, msgsize);
		if (opt.abort_on_error && atomic_load(&err_major))
			break;
	}

	/* Kept locked: workers still running must not use the freed handle. */
	pthread_rwlock_wrlock(&ct_lock);
	llapi_hsm_copytool_unregister(&ctdata);
	return rc;
}

static int ct_setup(void)
{
	int rc;

	arc_fd = open(opt.hsm_root, O_RDONLY);
	if (arc_fd < 0) {
		rc = -errno;
		CT_ERROR(rc, "cannot open archive at '%s'", opt.hsm_root);
		return rc;
	}

	rc = llapi_search_fsname(opt.mnt, fs_name);
	if (rc < 0) {
		CT_ERROR(rc, "cannot find a Lustre filesystem mounted at '%s'",
			 opt.mnt);
		return rc;
	}

	mnt_fd = open(opt.mnt, O_RDONLY);
	if (mnt_fd < 0) {
		rc = -errno;
		CT_ERROR(rc, "cannot open mount point at '%s'", opt.mnt);
		return rc;
	}
	return 0;
}

static void ct_cleanup(void)
{
	if (mnt_fd >= 0 && close(mnt_fd) < 0)
		CT_ERROR(-errno, "cannot close mount point");
	if (arc_fd >= 0 && close(arc_fd) < 0)
		CT_ERROR(-errno, "cannot close archive root directory");
	free(opt.archive_ids);
}

int main(int argc, char **argv)
{
	int rc;

	snprintf(cmd_name, sizeof(cmd_name), "%s", basename(argv[0]));

	rc = ct_parseopts(argc, argv);
	if (rc < 0) {
		CT_WARN("try '%s --help' for more information", cmd_name);
		return -rc;
	}

	llapi_msg_set_level(opt.verbose);

	if (opt.hsm_root == NULL) {
		rc = -EINVAL;
		CT_ERROR(rc, "must specify a root directory for the backend");
		return -rc;
	}

	rc = ct_setup();
	if (rc == 0) {
		rc = ct_run();
		CT_TRACE("process finished, errs: %d major, %d minor, rc=%d (%s)",
			 atomic_load(&err_major), atomic_load(&err_minor), rc,
			 strerror(-rc));
	}

	ct_cleanup();
	return -rc;
}

/*
 * lsim: start, stop and inspect a simulated Lustre mount and its MDT
 * coordinator daemon.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "inject.h"
#include "lsimd.h"
#include "../common/lsim_proto.h"
#include "../common/usage.h"

#define STOP_TIMEOUT_MS	60000

static void usage(FILE *out)
{
	fprintf(out,
		"usage: lsim start --root DIR --fsname NAME [-o KEY=VALUE]... [--foreground]\n"
		"       lsim stop [--root DIR]\n"
		"       lsim status [--root DIR]\n"
		"       lsim get [--root DIR] [KEY]...\n"
		"       lsim set [--root DIR] KEY=VALUE...\n"
		"       lsim active_requests|agents|actions [--root DIR]\n"
		"       lsim inject --root DIR --count N [options] (lsim inject --help)\n"
		"Without --root, the mount containing the current directory is used.\n"
		"KEY: max_requests loop_period grace_delay active_request_timeout\n"
		"     default_archive_id remove_archive_on_last_unlink policy\n"
		"     user_request_mask group_request_mask other_request_mask\n"
		"     hsm_control (enabled|disabled|shutdown|purge);\n"
		"     read-only: archive_count restore_count remove_count\n");
}

static int usage_error(const char *fmt, const char *arg)
{
	return lsim_usage_error("lsim", usage, fmt, arg);
}

struct opts {
	const char	*root;
	const char	*fsname;
	char		**settings;
	int		nsettings;
	int		foreground;
};

static int parse_opts(int argc, char **argv, int is_start, struct opts *o,
		      int *first_arg)
{
	static const struct option longopts[] = {
		{ "root", required_argument, NULL, 'r' },
		{ "fsname", required_argument, NULL, 'f' },
		{ "set", required_argument, NULL, 'o' },
		{ "foreground", no_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->settings = calloc((size_t)argc, sizeof(char *));
	if (o->settings == NULL)
		return 1;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, is_start ? "r:f:o:Fh" : "r:h",
				longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			o->root = optarg;
			break;
		case 'f':
			o->fsname = optarg;
			break;
		case 'o':
			o->settings[o->nsettings++] = optarg;
			break;
		case 'F':
			o->foreground = 1;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			if (optopt != 0)
				return usage_error("%s: bad or missing option argument",
						   argv[optind - 1]);
			return usage_error("unknown option '%s'",
					   argv[optind - 1]);
		}
	}
	*first_arg = optind;
	return 0;
}

/* Root of the mount to act on; prints the error itself. */
static int open_root(const char *root)
{
	char cwd[PATH_MAX];
	const char *where = root;
	int fd;

	if (where == NULL) {
		if (getcwd(cwd, sizeof(cwd)) == NULL) {
			fprintf(stderr, "lsim: cannot get current directory: %s\n",
				strerror(errno));
			return -1;
		}
		where = cwd;
	}
	fd = lsim_root_open_path(where);
	if (fd < 0) {
		fprintf(stderr, "lsim: %s: not inside a simulated Lustre mount "
			"(no %s found)\n", where, LSIM_MARKER);
		return -1;
	}
	return fd;
}

static void print_not_running(int rootfd)
{
	char *path = lsim_root_path(rootfd);

	fprintf(stderr, "lsim: %s: not running\n", path ? path : "mount");
	free(path);
}

static int call_error(int rootfd, int rc, const char *what)
{
	if (rc == LSIM_ENOTMOUNTED)
		print_not_running(rootfd);
	else
		fprintf(stderr, "lsim: %s: %s\n", what, strerror(-rc));
	return 1;
}

static int mkdir_p(int dirfd, const char *name, mode_t mode)
{
	if (mkdirat(dirfd, name, mode) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

static int cmd_start(struct opts *o)
{
	char buf[1100];
	size_t got = 0;
	struct stat st;
	int ready[2];
	pid_t pid;
	int rootfd;
	int status;
	int rc;

	if (o->root == NULL)
		return usage_error("start: %s is required", "--root DIR");
	if (o->fsname != NULL && !lsim_fsname_valid(o->fsname))
		return usage_error("invalid fsname '%s': 1 to 8 characters "
				   "among A-Z a-z 0-9 _", o->fsname);
	if (stat(o->root, &st) < 0) {
		fprintf(stderr, "lsim: %s: %s\n", o->root, strerror(errno));
		return 1;
	}
	if (!S_ISDIR(st.st_mode)) {
		fprintf(stderr, "lsim: %s: not a directory\n", o->root);
		return 1;
	}
	rootfd = open(o->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0) {
		fprintf(stderr, "lsim: %s: %s\n", o->root, strerror(errno));
		return 1;
	}
	rc = mkdir_p(rootfd, dot_lustre_name, 0755);
	if (rc == 0)
		rc = mkdir_p(rootfd, LSIM_FID_DIR, 0700);
	if (rc == 0)
		rc = mkdir_p(rootfd, LSIM_PRIV_DIR, 0755);
	close(rootfd);
	if (rc < 0) {
		fprintf(stderr, "lsim: %s: cannot create %s: %s\n", o->root,
			dot_lustre_name, strerror(-rc));
		return 1;
	}

	if (o->foreground)
		return daemon_main(o->root, o->fsname, o->settings,
				   o->nsettings, -1, 1);

	if (pipe2(ready, O_CLOEXEC) < 0) {
		perror("lsim: pipe");
		return 1;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		perror("lsim: fork");
		return 1;
	}
	if (pid == 0) {
		int devnull;

		close(ready[0]);
		setsid();
		pid = fork();
		if (pid != 0)
			_exit(pid < 0 ? 1 : 0);
		/* the daemon: keep nothing of the caller but the ready pipe */
		devnull = open("/dev/null", O_RDWR);
		if (devnull >= 0) {
			dup2(devnull, STDIN_FILENO);
			dup2(devnull, STDOUT_FILENO);
			if (devnull > STDERR_FILENO)
				close(devnull);
		}
		if (dup2(ready[1], 3) < 0)
			_exit(1);
		close_range(4, ~0U, 0);
		if (chdir("/") < 0)
			_exit(1);
		umask(022);
		_exit(daemon_main(o->root, o->fsname, o->settings,
				  o->nsettings, 3, 0));
	}
	close(ready[1]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	for (;;) {
		ssize_t n = read(ready[0], buf + got, sizeof(buf) - 1 - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
		if (got == sizeof(buf) - 1)
			break;
	}
	close(ready[0]);
	buf[got] = '\0';
	if (strncmp(buf, "OK ", 3) == 0)
		return 0;
	buf[strcspn(buf, "\n")] = '\0';
	if (strncmp(buf, "ERR ", 4) == 0)
		fprintf(stderr, "lsim: %s\n", buf + 4);
	else
		fprintf(stderr, "lsim: daemon failed to start (see %s/%s/daemon.log)\n",
			o->root, LSIM_PRIV_DIR);
	return 1;
}

static int wait_exit(pid_t pid)
{
	struct pollfd pfd = { .events = POLLIN };
	int rc;

	pfd.fd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pfd.fd < 0)
		return errno == ESRCH ? 0 : -errno;
	do {
		rc = poll(&pfd, 1, STOP_TIMEOUT_MS);
	} while (rc < 0 && errno == EINTR);
	close(pfd.fd);
	if (rc == 0)
		return -ETIMEDOUT;
	return rc < 0 ? -errno : 0;
}

static int cmd_stop(struct opts *o)
{
	__u32 pid;
	size_t len;
	int rootfd = open_root(o->root);
	int rc;

	if (rootfd < 0)
		return 1;
	rc = lsim_call(rootfd, LSIM_OP_STOP, NULL, 0, -1, &pid, sizeof(pid),
		       &len, NULL);
	if (rc < 0) {
		rc = call_error(rootfd, rc, "stop");
		close(rootfd);
		return rc;
	}
	close(rootfd);
	if (len != sizeof(pid)) {
		fprintf(stderr, "lsim: stop: bad reply\n");
		return 1;
	}
	rc = wait_exit((pid_t)pid);
	if (rc < 0) {
		fprintf(stderr, "lsim: daemon %u did not exit: %s\n", pid,
			strerror(-rc));
		return 1;
	}
	return 0;
}

static int cmd_status(struct opts *o)
{
	char buf[4097];
	size_t len;
	int rootfd = open_root(o->root);
	int rc;

	if (rootfd < 0)
		return 1;
	rc = lsim_call(rootfd, LSIM_OP_STATUS, NULL, 0, -1, buf,
		       sizeof(buf) - 1, &len, NULL);
	if (rc == LSIM_ENOTMOUNTED) {
		print_not_running(rootfd);
		close(rootfd);
		return 3;
	}
	if (rc < 0) {
		rc = call_error(rootfd, rc, "status");
		close(rootfd);
		return rc;
	}
	close(rootfd);
	buf[len] = '\0';
	fputs(buf, stdout);
	return 0;
}

static int copy_to_stdout(int fd)
{
	char buf[65536];
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		if (fwrite(buf, 1, (size_t)n, stdout) != (size_t)n)
			return -EIO;
	}
	return n < 0 ? -errno : 0;
}

static int cmd_list(struct opts *o, enum lsim_list which, const char *what)
{
	__u32 w = which;
	int rootfd = open_root(o->root);
	int fd = -1;
	int rc;

	if (rootfd < 0)
		return 1;
	rc = lsim_call(rootfd, LSIM_OP_LIST, &w, sizeof(w), -1, NULL, 0, NULL,
		       &fd);
	if (rc < 0) {
		rc = call_error(rootfd, rc, what);
		close(rootfd);
		return rc;
	}
	close(rootfd);
	if (fd < 0) {
		fprintf(stderr, "lsim: %s: no listing received\n", what);
		return 1;
	}
	rc = copy_to_stdout(fd);
	close(fd);
	if (rc < 0) {
		fprintf(stderr, "lsim: %s: %s\n", what, strerror(-rc));
		return 1;
	}
	return 0;
}

static int cmd_get(struct opts *o, int argc, char **argv, int first)
{
	int rootfd;
	int status = 0;
	int i;

	if (first >= argc)
		return cmd_list(o, LSIM_LIST_PARAMS, "get");
	rootfd = open_root(o->root);
	if (rootfd < 0)
		return 1;
	for (i = first; i < argc; i++) {
		char buf[4097];
		size_t len;
		int rc;

		rc = lsim_call(rootfd, LSIM_OP_GET_PARAM, argv[i],
			       strlen(argv[i]), -1, buf, sizeof(buf) - 1, &len,
			       NULL);
		if (rc == -ENOENT) {
			fprintf(stderr, "lsim: unknown parameter '%s'\n",
				argv[i]);
			status = 1;
			continue;
		}
		if (rc < 0) {
			status = call_error(rootfd, rc, argv[i]);
			break;
		}
		buf[len] = '\0';
		printf("%s\n", buf);
	}
	close(rootfd);
	return status;
}

static int cmd_set(struct opts *o, int argc, char **argv, int first)
{
	int rootfd;
	int i;

	if (first >= argc)
		return usage_error("set: %s expected", "KEY=VALUE");
	for (i = first; i < argc; i++)
		if (strchr(argv[i], '=') == NULL || argv[i][0] == '=')
			return usage_error("set: '%s' is not KEY=VALUE",
					   argv[i]);
	rootfd = open_root(o->root);
	if (rootfd < 0)
		return 1;
	for (i = first; i < argc; i++) {
		char err[1025];
		size_t len;
		int rc;

		rc = lsim_call(rootfd, LSIM_OP_SET_PARAM, argv[i],
			       strlen(argv[i]), -1, err, sizeof(err) - 1, &len,
			       NULL);
		if (rc == LSIM_ENOTMOUNTED || (rc < 0 && len == 0)) {
			rc = call_error(rootfd, rc, argv[i]);
			close(rootfd);
			return rc;
		}
		if (rc < 0) {
			err[len] = '\0';
			fprintf(stderr, "lsim: set %s: %s\n", argv[i], err);
			close(rootfd);
			return 1;
		}
	}
	close(rootfd);
	return 0;
}

int main(int argc, char **argv)
{
	struct opts o;
	const char *cmd;
	int first = 0;
	int rc;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	cmd = argv[1];
	if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 ||
	    strcmp(cmd, "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(cmd, "inject") == 0)
		return cmd_inject(argc - 1, argv + 1);
	rc = parse_opts(argc - 1, argv + 1, strcmp(cmd, "start") == 0, &o,
			&first);
	if (rc != 0)
		return rc;
	first += 1;	/* index into argv */

	if (strcmp(cmd, "start") == 0) {
		if (first < argc)
			return usage_error("start: unexpected argument '%s'",
					   argv[first]);
		return cmd_start(&o);
	}
	if (strcmp(cmd, "get") == 0)
		return cmd_get(&o, argc, argv, first);
	if (strcmp(cmd, "set") == 0)
		return cmd_set(&o, argc, argv, first);
	if (first < argc)
		return usage_error("unexpected argument '%s'", argv[first]);
	if (strcmp(cmd, "stop") == 0)
		return cmd_stop(&o);
	if (strcmp(cmd, "status") == 0)
		return cmd_status(&o);
	if (strcmp(cmd, "agents") == 0)
		return cmd_list(&o, LSIM_LIST_AGENTS, "agents");
	if (strcmp(cmd, "active_requests") == 0)
		return cmd_list(&o, LSIM_LIST_ACTIVE_REQUESTS,
				"active_requests");
	if (strcmp(cmd, "actions") == 0)
		return cmd_list(&o, LSIM_LIST_ACTIONS, "actions");
	return usage_error("unknown command '%s'", cmd);
}

/*
 * lsim-noop-copytool: a copytool that moves no data, for benchmarks of the
 * HSM path itself. Each action it receives is begun and at once ended with
 * success through llapi_hsm_action_begin/end, the calls every copytool makes,
 * so Lustre (or the coordinator behind a preload shim) sees it complete. An
 * archive records an archive copy that does not exist, a restore leaves the
 * file empty and a remove removes nothing: never run it on data that matters.
 *
 * With --log FILE it appends, per action, the line
 *     DFID ACTION RECEIVED_NS ENDED_NS
 * (CLOCK_MONOTONIC nanoseconds: when the list holding the action was
 * received, and when its end was acknowledged), written per action list.
 *
 * It exits 0 when told to shut down (llapi_hsm_copytool_recv returns
 * -ESHUTDOWN), 1 after any error, 2 on bad usage.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lustre/lustreapi.h>

#include "../common/usage.h"

#define MAX_ARCHIVES	32

static void usage(FILE *out)
{
	fprintf(out,
		"usage: lsim-noop-copytool [-A ARCHIVE_ID]... [--log FILE] MOUNTPOINT\n"
		"Completes every HSM action at once without moving data.\n");
}

static int usage_error(const char *fmt, const char *arg)
{
	return lsim_usage_error("lsim-noop-copytool", usage, fmt, arg);
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Begins and ends one action; returns 0 or a negative errno. */
static int complete(struct hsm_copytool_private *ct,
		    const struct hsm_action_item *hai)
{
	struct hsm_copyaction_private *hcp = NULL;
	struct hsm_extent he = hai->hai_extent;
	int rc;

	rc = llapi_hsm_action_begin(&hcp, ct, hai, -1, 0, false);
	if (rc < 0)
		return rc;
	return llapi_hsm_action_end(&hcp, &he, 0, 0);
}

/* Completes every action of HAL; returns the number that failed. */
static int run_list(struct hsm_copytool_private *ct,
		    struct hsm_action_list *hal, FILE *log)
{
	struct hsm_action_item *hai = hai_first(hal);
	long long received = now_ns();
	int failures = 0;
	__u32 i;

	for (i = 0; i < hal->hal_count; i++, hai = hai_next(hai)) {
		int rc;

		if (hai->hai_action == HSMA_CANCEL)
			continue;	/* nothing runs long enough to cancel */
		rc = complete(ct, hai);
		if (rc < 0) {
			fprintf(stderr, "lsim-noop-copytool: %s " DFID
				" failed: %s\n",
				hsm_copytool_action2name(hai->hai_action),
				PFID(&hai->hai_dfid), strerror(-rc));
			failures++;
			continue;
		}
		if (log != NULL)
			fprintf(log, DFID " %s %lld %lld\n",
				PFID(&hai->hai_dfid),
				hsm_copytool_action2name(hai->hai_action),
				received, now_ns());
	}
	if (log != NULL && fflush(log) != 0) {
		fprintf(stderr, "lsim-noop-copytool: cannot write the log: %s\n",
			strerror(errno));
		failures++;
	}
	return failures;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "archive", required_argument, NULL, 'A' },
		{ "log", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct hsm_copytool_private *ct = NULL;
	int archives[MAX_ARCHIVES];
	int narchives = 0;
	const char *log_path = NULL;
	FILE *log = NULL;
	int failures = 0;
	int c, rc;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "A:h", longopts, NULL)) != -1) {
		char *end;
		long id;

		switch (c) {
		case 'A':
			errno = 0;
			id = strtol(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || end == optarg ||
			    id < 1 || id > INT_MAX)
				return usage_error("bad archive id '%s'", optarg);
			if (narchives == MAX_ARCHIVES)
				return usage_error("more than 32 archive ids at '%s'",
						   optarg);
			archives[narchives++] = (int)id;
			break;
		case 'l':
			log_path = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			if (optopt != 0)
				return usage_error("%s: bad or missing option argument",
						   argv[optind - 1]);
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		return usage_error("%s", optind < argc ? "one MOUNTPOINT expected"
						       : "MOUNTPOINT missing");
	if (log_path != NULL) {
		log = fopen(log_path, "a");
		if (log == NULL) {
			fprintf(stderr, "lsim-noop-copytool: cannot open %s: %s\n",
				log_path, strerror(errno));
			return 1;
		}
	}

	rc = llapi_hsm_copytool_register(&ct, argv[optind], narchives, archives, 0);
	if (rc < 0) {
		fprintf(stderr, "lsim-noop-copytool: cannot register with %s: %s\n",
			argv[optind], strerror(-rc));
		return 1;
	}
	for (;;) {
		struct hsm_action_list *hal;
		int msgsize;

		rc = llapi_hsm_copytool_recv(ct, &hal, &msgsize);
		if (rc == -ESHUTDOWN) {
			rc = 0;
			break;
		}
		if (rc < 0) {
			fprintf(stderr, "lsim-noop-copytool: cannot receive: %s\n",
				strerror(-rc));
			break;
		}
		failures += run_list(ct, hal, log);
	}
	llapi_hsm_copytool_unregister(&ct);
	if (log != NULL && fclose(log) != 0) {
		fprintf(stderr, "lsim-noop-copytool: cannot write the log: %s\n",
			strerror(errno));
		failures++;
	}
	return rc < 0 || failures > 0 ? 1 : 0;
}

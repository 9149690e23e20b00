/*
 * Copytool event FIFO: JSON events for registration, action progress and
 * (through llapi_hsm_log_error) log messages.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "lib_internal.h"

static int llapi_hsm_event_fd = -1;
static bool created_hsm_event_fifo;

struct json_buf {
	char	data[PIPE_BUF];
	size_t	len;
	int	items;
	int	overflow;
};

static void json_raw(struct json_buf *jb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void json_raw(struct json_buf *jb, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (jb->overflow)
		return;
	va_start(ap, fmt);
	n = vsnprintf(jb->data + jb->len, sizeof(jb->data) - jb->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(jb->data) - jb->len)
		jb->overflow = 1;
	else
		jb->len += (size_t)n;
}

static void json_key(struct json_buf *jb, const char *key)
{
	json_raw(jb, "%s\"%s\": ", jb->items++ == 0 ? "{" : ", ", key);
}

static void json_string(struct json_buf *jb, const char *key, const char *val)
{
	const unsigned char *p;

	json_key(jb, key);
	json_raw(jb, "\"");
	for (p = (const unsigned char *)val; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			json_raw(jb, "\\%c", *p);
		else if (*p < 0x20)
			json_raw(jb, "\\u%04x", *p);
		else
			json_raw(jb, "%c", *p);
	}
	json_raw(jb, "\"");
}

static void json_int(struct json_buf *jb, const char *key, long long val)
{
	json_key(jb, key);
	json_raw(jb, "%lld", val);
}

static void json_bignum(struct json_buf *jb, const char *key,
			unsigned long long val)
{
	json_key(jb, key);
	json_raw(jb, "%llu", val);
}

static void json_event_time(struct json_buf *jb)
{
	char when[40] = "";
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %T %z", &tm);
	json_string(jb, "event_time", when);
}

static int json_write(struct json_buf *jb)
{
	json_raw(jb, "}\n");
	if (jb->overflow)
		return -EOVERFLOW;
	if (write(llapi_hsm_event_fd, jb->data, jb->len) < 0 && errno != EPIPE)
		return -errno;
	return 0;
}

int lsim_event_fifo_active(void)
{
	return llapi_hsm_event_fd >= 0;
}

void lsim_event_ct_registration(const struct hsm_copytool_private *ct,
				const char *uuid, const char *type)
{
	struct json_buf jb = { .len = 0 };
	int archive = 0;
	int rc;

	if (llapi_hsm_event_fd < 0)
		return;
	if (ct->kuc->lk_data_count > 0)
		archive = (int)ct->kuc->lk_data[0];
	json_event_time(&jb);
	json_string(&jb, "event_type", type);
	json_int(&jb, "archive", archive);
	json_string(&jb, "mount_point", ct->mnt);
	json_string(&jb, "uuid", uuid);
	rc = json_write(&jb);
	if (rc < 0)
		llapi_error(LLAPI_MSG_ERROR, rc,
			    "error in llapi_hsm_log_ct_registration()");
}

void lsim_event_ct_progress(const struct hsm_copyaction_private *hcp,
			    const char *phase, __u64 total, __u64 current)
{
	const struct hsm_action_item *hai = &hcp->copy.hc_hai;
	struct json_buf jb = { .len = 0 };
	char type[32];
	char data_fid[FID_NOBRACE_LEN + 1];
	char source_fid[FID_NOBRACE_LEN + 1];
	char path[PATH_MAX];
	const char *action;
	int rc;

	if (llapi_hsm_event_fd < 0)
		return;
	switch (hai->hai_action) {
	case HSMA_ARCHIVE:
	case HSMA_RESTORE:
	case HSMA_REMOVE:
		action = hsm_copytool_action2name(hai->hai_action);
		break;
	default:
		llapi_err_noerrno(LLAPI_MSG_ERROR, "Unknown event type: %d",
				  hai->hai_action);
		return;
	}
	snprintf(data_fid, sizeof(data_fid), DFID_NOBRACE,
		 PFID(&hai->hai_dfid));
	snprintf(source_fid, sizeof(source_fid), DFID_NOBRACE,
		 PFID(&hai->hai_fid));

	if (hcp->copy.hc_errval == ECANCELED)
		phase = "CANCEL";
	else if (hcp->copy.hc_errval != 0)
		phase = "ERROR";
	snprintf(type, sizeof(type), "%s_%s", action, phase);

	json_event_time(&jb);
	json_string(&jb, "event_type", type);
	if (strcmp(phase, "ERROR") == 0) {
		json_string(&jb, "error", strerror(hcp->copy.hc_errval));
		json_int(&jb, "errno", hcp->copy.hc_errval);
	} else if (strcmp(phase, "START") == 0 ||
		   strcmp(phase, "RUNNING") == 0) {
		long long recno = -1;
		int linkno = 0;

		if (strcmp(phase, "RUNNING") == 0)
			json_bignum(&jb, "current_bytes", current);
		json_bignum(&jb, "total_bytes", total);
		rc = llapi_fid2path(hcp->ct_priv->mnt, source_fid, path,
				    sizeof(path), &recno, &linkno);
		if (rc < 0) {
			llapi_error(LLAPI_MSG_ERROR, rc,
				    "error in llapi_hsm_log_ct_progress()");
			return;
		}
		json_string(&jb, "lustre_path", path);
	}
	json_string(&jb, "source_fid", source_fid);
	json_string(&jb, "data_fid", data_fid);
	rc = json_write(&jb);
	if (rc < 0)
		llapi_error(LLAPI_MSG_ERROR, rc,
			    "error in llapi_hsm_log_ct_progress()");
}

int llapi_hsm_register_event_fifo(const char *path)
{
	struct sigaction ignore = { .sa_handler = SIG_IGN };
	struct stat st;
	int read_fd;

	/* errno is deliberately not reset: a stale EEXIST makes a new FIFO
	 * count as pre-existing, as with the reference library */
	if (mkfifo(path, 0644) < 0 && errno != EEXIST) {
		llapi_error(LLAPI_MSG_ERROR, errno, "mkfifo(%s) failed", path);
		return -errno;
	}
	if (errno == EEXIST) {
		if (stat(path, &st) < 0) {
			llapi_error(LLAPI_MSG_ERROR, errno, "mkfifo(%s) failed",
				    path);
			return -errno;
		}
		if (!S_ISFIFO(st.st_mode) || (st.st_mode & 0777) != 0644) {
			llapi_error(LLAPI_MSG_ERROR, EEXIST,
				    "%s exists but is not a pipe or has a wrong mode",
				    path);
			return -EEXIST;
		}
	} else {
		created_hsm_event_fifo = true;
	}

	read_fd = open(path, O_RDONLY | O_NONBLOCK);
	if (read_fd < 0) {
		llapi_error(LLAPI_MSG_ERROR, errno,
			    "cannot open(%s) for read", path);
		return -errno;
	}
	llapi_hsm_event_fd = open(path, O_WRONLY | O_NONBLOCK);
	if (llapi_hsm_event_fd < 0) {
		int rc = -errno;

		llapi_error(LLAPI_MSG_ERROR, rc, "cannot open(%s) for write",
			    path);
		close(read_fd);
		return rc;
	}
	close(read_fd);
	sigaction(SIGPIPE, &ignore, NULL);
	return 0;
}

int llapi_hsm_unregister_event_fifo(const char *path)
{
	if (llapi_hsm_event_fd < 0)
		return 0;
	if (close(llapi_hsm_event_fd) < 0)
		return -errno;
	if (created_hsm_event_fifo) {
		unlink(path);
		created_hsm_event_fifo = false;
	}
	llapi_hsm_event_fd = -1;
	return 0;
}

void llapi_hsm_log_error(enum llapi_message_level level, int _rc,
			 const char *fmt, va_list args)
{
	struct json_buf jb = { .len = 0 };
	char *msg = NULL;
	const char *level_name;
	int rc;

	if (llapi_hsm_event_fd < 0)
		return;

	if (vasprintf(&msg, fmt, args) < 0) {
		rc = -ENOMEM;
		goto err;
	}
	level_name = llapi_msg_level2str(level & ~LLAPI_MSG_NO_ERRNO);
	json_event_time(&jb);
	json_string(&jb, "event_type", "LOGGED_MESSAGE");
	json_string(&jb, "level", level_name != NULL ? level_name : "");
	json_string(&jb, "message", msg);
	if ((level & LLAPI_MSG_NO_ERRNO) == 0) {
		json_string(&jb, "error", strerror(abs(_rc)));
		json_int(&jb, "errno", _rc);
	}
	free(msg);
	rc = json_write(&jb);
	if (rc < 0)
		goto err;
	return;
err:
	fprintf(stderr, "\nFATAL ERROR IN llapi_hsm_log_error(): rc %d,", rc);
}

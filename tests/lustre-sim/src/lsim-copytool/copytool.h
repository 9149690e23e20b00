/*
 * lsim-copytool: POSIX copytool with the behaviour of lhsmtool_posix, written
 * only against the public liblustreapi API.
 */
#ifndef LSIM_COPYTOOL_H
#define LSIM_COPYTOOL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <lustre/lustreapi.h>

#define ONE_MB 0x100000ULL
#define REPORT_INTERVAL_DEFAULT 30.0
/* Archive directories and files are private to the copytool user. */
#define DIR_PERM 0700
#define FILE_PERM 0600
/* Bytes reserved for an extended attribute value or name list. */
#define XATTR_BUF_SIZE 65536

enum ct_archive_format {
	/* <oid&0xffff>/<oid>>16>/<seq&0xffff>/.../<seq>>48>/<FID> */
	CT_ARCHIVE_FORMAT_V1 = 1,
	/* <(oid^seq)&0xffff>/<FID> */
	CT_ARCHIVE_FORMAT_V2 = 2,
};

struct ct_options {
	int copy_attrs;
	int copy_xattrs;
	int shadow_tree;
	int dry_run;
	int abort_on_error;
	int verbose;
	enum ct_archive_format archive_format;
	int *archive_ids;
	int archive_id_count;	/* 0: every archive */
	double report_interval;	/* seconds, fractions allowed */
	unsigned long long bandwidth;	/* bytes per second, 0: unlimited */
	size_t chunk_size;
	const char *mnt;
	const char *hsm_root;
};

extern struct ct_options opt;
extern char cmd_name[];
extern int mnt_fd;
extern atomic_int err_major;
extern atomic_int err_minor;

double ct_now(void);
double ct_monotonic(void);

#define CT_LOG(_level, _rc, _format, ...)				\
	llapi_error(_level, _rc, "%f %s[%ld]: " _format, ct_now(),	\
		    cmd_name, (long)syscall(SYS_gettid), ##__VA_ARGS__)

#define CT_ERROR(_rc, _format, ...)					\
	CT_LOG(LLAPI_MSG_ERROR, _rc, _format, ##__VA_ARGS__)
#define CT_WARN(_format, ...)						\
	CT_LOG(LLAPI_MSG_WARN | LLAPI_MSG_NO_ERRNO, 0, _format, ##__VA_ARGS__)
#define CT_TRACE(_format, ...)						\
	CT_LOG(LLAPI_MSG_INFO | LLAPI_MSG_NO_ERRNO, 0, _format, ##__VA_ARGS__)
#define CT_DEBUG(_format, ...)						\
	CT_LOG(LLAPI_MSG_DEBUG | LLAPI_MSG_NO_ERRNO, 0, _format, ##__VA_ARGS__)

/* Copytool handle access, serialised against unregistration on a signal. */
int ct_action_begin(struct hsm_copyaction_private **phcp,
		    const struct hsm_action_item *hai, int restore_mdt_index,
		    int restore_open_flags, bool is_error);
int ct_action_progress(struct hsm_copyaction_private *hcp,
		       const struct hsm_extent *he, __u64 total);
int ct_action_end(struct hsm_copyaction_private **phcp,
		  const struct hsm_extent *he, int hp_flags, int errval);

/* ct_actions.c */
int ct_process_item_async(const struct hsm_action_item *hai);

/* ct_io.c */
int ct_path_lustre(char *buf, size_t size, const struct lu_fid *fid);
int ct_path_archive(char *buf, size_t size, const char *archive_dir,
		    const struct lu_fid *fid);
int ct_mkdir_p(const char *path);
int ct_save_stripe(int src_fd, const char *src, const char *dst);
int ct_load_stripe(const char *src, void *lovea, size_t *lovea_size);
int ct_restore_stripe(const char *dst, int dst_fd, const void *lovea,
		      size_t lovea_size);
int ct_copy_data(struct hsm_copyaction_private *hcp, const char *src,
		 const char *dst, int src_fd, int dst_fd,
		 const struct hsm_action_item *hai);
int ct_copy_attr(const char *src, int src_fd, int dst_fd);
int ct_copy_xattr(const char *dst, int src_fd, int dst_fd);
int ct_shadow_link(const struct hsm_action_item *hai);

#endif

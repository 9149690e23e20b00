/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * liblustreapi: the HSM, FID and messaging part of the Lustre user library.
 *
 * Functions return 0 (or a non-negative value where documented) on success
 * and a negative errno on failure.
 */
#ifndef _LUSTREAPI_H_
#define _LUSTREAPI_H_

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <linux/lustre/lustre_user.h>

#if defined(__cplusplus)
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* Messages                                                              */
/* ------------------------------------------------------------------ */

enum llapi_message_level {
	LLAPI_MSG_OFF		= 0,
	LLAPI_MSG_FATAL		= 1,
	LLAPI_MSG_ERROR		= 2,
	LLAPI_MSG_WARN		= 3,
	LLAPI_MSG_NORMAL	= 4,
	LLAPI_MSG_INFO		= 5,
	LLAPI_MSG_DEBUG		= 6,
	LLAPI_MSG_MAX
};

/* The low bits carry the level, higher bits are modifiers. */
#define LLAPI_MSG_MASK		0x00000007
#define LLAPI_MSG_NO_ERRNO	0x00000010

static inline const char *llapi_msg_level2str(enum llapi_message_level level)
{
	static const char *const names[LLAPI_MSG_MAX] = {
		"OFF", "FATAL", "ERROR", "WARNING", "NORMAL", "INFO", "DEBUG"
	};

	if ((unsigned int)level >= LLAPI_MSG_MAX)
		return NULL;
	return names[level];
}

typedef void (*llapi_log_callback_t)(enum llapi_message_level level, int err,
				     const char *fmt, va_list ap);

void llapi_msg_set_level(int level);
int llapi_msg_get_level(void);
llapi_log_callback_t llapi_error_callback_set(llapi_log_callback_t cb);
llapi_log_callback_t llapi_info_callback_set(llapi_log_callback_t cb);
void llapi_set_command_name(const char *cmd);
void llapi_clear_command_name(void);

void llapi_error(enum llapi_message_level level, int err, const char *fmt, ...)
	__attribute__((__format__(__printf__, 3, 4)));
#define llapi_err_noerrno(level, fmt, a...)				\
	llapi_error((level) | LLAPI_MSG_NO_ERRNO, 0, fmt, ## a)
void llapi_printf(enum llapi_message_level level, const char *fmt, ...)
	__attribute__((__format__(__printf__, 2, 3)));

int llapi_parse_size(const char *optarg, unsigned long long *size,
		     unsigned long long *size_units, int bytes_spec);

/* ------------------------------------------------------------------ */
/* FIDs and paths                                                        */
/* ------------------------------------------------------------------ */

int llapi_fid_parse(const char *fidstr, struct lu_fid *fid, char **endptr);
int llapi_fid2path(const char *path_or_device, const char *fidstr, char *path,
		   int pathlen, long long *recno, int *linkno);
int llapi_fid2path_at(int mnt_fd, const struct lu_fid *fid, char *path,
		      int pathlen, long long *recno, int *linkno);
int llapi_path2fid(const char *path, struct lu_fid *fid);
int llapi_fd2fid(int fd, struct lu_fid *fid);
int llapi_search_fsname(const char *pathname, char *fsname);
int llapi_get_mdt_index_by_fid(int fd, const struct lu_fid *fid,
			       int *mdt_index);

/* ------------------------------------------------------------------ */
/* HSM copytool                                                          */
/* ------------------------------------------------------------------ */

struct hsm_copytool_private;
struct hsm_copyaction_private;

int llapi_hsm_copytool_register(struct hsm_copytool_private **priv,
				const char *mnt, int archive_count,
				int *archives, int rfd_flags);
int llapi_hsm_copytool_unregister(struct hsm_copytool_private **priv);
int llapi_hsm_copytool_get_fd(struct hsm_copytool_private *ct);
int llapi_hsm_copytool_recv(struct hsm_copytool_private *ct,
			    struct hsm_action_list **hal, int *msgsize);

int llapi_hsm_action_begin(struct hsm_copyaction_private **phcp,
			   const struct hsm_copytool_private *ct,
			   const struct hsm_action_item *hai,
			   int restore_mdt_index, int restore_open_flags,
			   bool is_error);
int llapi_hsm_action_end(struct hsm_copyaction_private **phcp,
			 const struct hsm_extent *he, int hp_flags, int errval);
int llapi_hsm_action_progress(struct hsm_copyaction_private *hcp,
			      const struct hsm_extent *he, __u64 total,
			      int hp_flags);
int llapi_hsm_action_get_dfid(const struct hsm_copyaction_private *hcp,
			      struct lu_fid *fid);
int llapi_hsm_action_get_fd(const struct hsm_copyaction_private *hcp);

/* ------------------------------------------------------------------ */
/* HSM user side                                                         */
/* ------------------------------------------------------------------ */

int llapi_hsm_state_get_fd(int fd, struct hsm_user_state *hus);
int llapi_hsm_state_get(const char *path, struct hsm_user_state *hus);
int llapi_hsm_state_set_fd(int fd, __u64 setmask, __u64 clearmask,
			   __u32 archive_id);
int llapi_hsm_state_set(const char *path, __u64 setmask, __u64 clearmask,
			__u32 archive_id);
int llapi_hsm_current_action(const char *path, struct hsm_current_action *hca);
struct hsm_user_request *llapi_hsm_user_request_alloc(int itemcount,
						      int data_len);
int llapi_hsm_request(const char *path,
		      const struct hsm_user_request *request);
int llapi_hsm_import(const char *dst, int archive, const struct stat *st,
		     unsigned long long stripe_size, int stripe_offset,
		     int stripe_count, enum lov_pattern stripe_pattern,
		     char *pool_name, struct lu_fid *newfid);
int llapi_hsm_data_version_set(int fd, __u64 data_version);

/* Event FIFO (JSON events of a copytool) */
int llapi_hsm_register_event_fifo(const char *path);
int llapi_hsm_unregister_event_fifo(const char *path);
void llapi_hsm_log_error(enum llapi_message_level level, int _rc,
			 const char *fmt, va_list args);

#if defined(__cplusplus)
}
#endif

#endif /* _LUSTREAPI_H_ */
/* LSIM_HEADERS_COMPLETE */

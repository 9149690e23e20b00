/*
 * Protocol between liblustreapi (the simulated client) and the simulated
 * MDT daemon, plus the helpers both sides use to locate a simulated mount.
 *
 * Transport: one AF_UNIX SOCK_SEQPACKET connection per call, socket at
 * <root>/.lustre/lsim/sock. Every request and every reply is a single
 * datagram: a fixed header followed by an op-specific payload. A request may
 * carry one file descriptor (SCM_RIGHTS): the file the call is about, the
 * copytool pipe write end, or a restore volatile. A reply may carry one
 * descriptor (a listing file).
 */
#ifndef LSIM_PROTO_H
#define LSIM_PROTO_H

#include <stddef.h>
#include <sys/types.h>
#include <linux/types.h>
#include <linux/lustre/lustre_user.h>

#define LSIM_PRIV_DIR		".lustre/lsim"
#define LSIM_FID_DIR		".lustre/fid"
#define LSIM_SOCK_NAME		"sock"
#define LSIM_FSNAME_NAME	"fsname"
#define LSIM_MARKER		LSIM_PRIV_DIR "/" LSIM_FSNAME_NAME
#define LSIM_SOCK		LSIM_PRIV_DIR "/" LSIM_SOCK_NAME

#define LSIM_MSG_MAX		(64 * 1024)
#define LSIM_REQ_MAGIC		0x4c534d51	/* "LSMQ" */
#define LSIM_REP_MAGIC		0x4c534d52	/* "LSMR" */

/* Sequence of the first FIDs handed out; OIDs per sequence. */
#define LSIM_FIRST_SEQ		(FID_SEQ_NORMAL + 1)
#define LSIM_SEQ_WIDTH		0x20000

/* Transport result meaning "no simulated MDT answers for this mount". */
#define LSIM_ENOTMOUNTED	(-ENOTCONN)

enum lsim_op {
	LSIM_OP_FSNAME = 1,	/* -> fsname (text) */
	LSIM_OP_PATH2FID,	/* fd -> struct lu_fid */
	LSIM_OP_FID2PATH,	/* lsim_fid2path_req -> lsim_fid2path_rep + path */
	LSIM_OP_FID2MDTIDX,	/* struct lu_fid -> rc = index */
	LSIM_OP_STATE_GET,	/* fd -> struct hsm_user_state */
	LSIM_OP_STATE_SET,	/* fd + struct hsm_state_set */
	LSIM_OP_ACTION,		/* fd -> struct hsm_current_action */
	LSIM_OP_REQUEST,	/* struct hsm_user_request (+items, data) */
	LSIM_OP_IMPORT,		/* fd + struct hsm_user_import */
	LSIM_OP_DATA_VERSION_SET, /* fd + __u64 */
	LSIM_OP_CT_START,	/* struct lustre_kernelcomm + ids (+ pipe fd) -> uuid */
	LSIM_OP_AGENT_UUID,	/* -> uuid of the caller's agent */
	LSIM_OP_COPY_START,	/* struct hsm_copy -> struct hsm_copy */
	LSIM_OP_COPY_END,	/* struct hsm_copy (+ volatile fd) -> struct hsm_copy */
	LSIM_OP_PROGRESS,	/* struct hsm_progress */
	LSIM_OP_VOLATILE,	/* fd + struct lu_fid (original) -> struct lu_fid */
	LSIM_OP_GET_PARAM,	/* name -> value text */
	LSIM_OP_SET_PARAM,	/* "name=value" -> error text on failure */
	LSIM_OP_LIST,		/* __u32 enum lsim_list -> fd of listing */
	LSIM_OP_STATUS,		/* -> text */
	LSIM_OP_STOP,		/* -> __u32 pid of the daemon */
	LSIM_OP_MAX
};

enum lsim_list {
	LSIM_LIST_AGENTS = 1,
	LSIM_LIST_ACTIVE_REQUESTS,
	LSIM_LIST_ACTIONS,
	LSIM_LIST_PARAMS,
};

struct lsim_req_hdr {
	__u32 magic;
	__u32 op;
	__u32 len;	/* payload bytes after the header */
	__u32 padding;
};

struct lsim_rep_hdr {
	__u32 magic;
	__s32 rc;	/* 0 / non-negative result, or -errno */
	__u32 len;	/* payload bytes after the header */
	__u32 padding;
};

struct lsim_fid2path_req {
	struct lu_fid	fid;
	__s32		linkno;
	__u32		padding;
};

struct lsim_fid2path_rep {
	__s32		linkno;	/* updated link number */
	__u32		padding;
	/* followed by the relative path, NUL-terminated ("" = root) */
};

struct lsim_volatile_req {
	struct lu_fid	orig_fid;
};

/* Send one datagram made of hdr and payload, optionally with a descriptor. */
int lsim_send_msg(int sock, const void *hdr, size_t hdr_len,
		  const void *payload, size_t payload_len, int fd);

/*
 * Receive one datagram into buf. Returns its length, 0 on EOF, -errno on
 * error (-EMSGSIZE if truncated). *fd receives an attached descriptor or -1;
 * descriptors are always received close-on-exec and never leaked.
 */
ssize_t lsim_recv_msg(int sock, void *buf, size_t size, int *fd, int flags);

/* Is <dirfd>/.lustre/lsim/fsname present, i.e. dirfd a simulated mount root. */
int lsim_is_root(int dirfd);

/*
 * O_PATH descriptor of the root of the simulated mount containing path (which
 * need not exist), or -ENODEV when path is on no simulated mount.
 */
int lsim_root_open_path(const char *path);

/* Same for an open descriptor (file, directory, or deleted file). */
int lsim_root_open_fd(int fd);

/* Absolute path of the mount root given its descriptor (malloc'd). */
char *lsim_root_path(int rootfd);

/* Connect to the daemon of a mount. Returns a socket or LSIM_ENOTMOUNTED. */
int lsim_connect(int rootfd);

/*
 * One request/reply round trip. rep/rep_size receive the reply payload
 * (*rep_len its length); recv_fd (optional) an attached descriptor.
 * Returns the daemon's rc, or a negative transport error
 * (LSIM_ENOTMOUNTED when no daemon serves the mount).
 */
int lsim_call(int rootfd, enum lsim_op op, const void *req, size_t req_len,
	      int send_fd, void *rep, size_t rep_size, size_t *rep_len,
	      int *recv_fd);

/* fsname syntax accepted by the simulator (1..8 of [A-Za-z0-9_]). */
int lsim_fsname_valid(const char *name);

/* Directory holding the fsname -> mount root registry (symlinks). */
const char *lsim_registry_dir(void);

#endif /* LSIM_PROTO_H */

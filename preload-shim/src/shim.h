/*
 * Internal definitions of libcoordinatool_preload.so.
 */
#ifndef CTSH_SHIM_H
#define CTSH_SHIM_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <lustre/lustreapi.h>

#include "ctsh_proto.h"

/* Differs from Lustre's 0xC0BE2001 so that the real recv/get_fd refuse it. */
#define CTSH_CT_MAGIC		((int)0xC52C9B6F)
#define CTSH_CP_PRIV_MAGIC	0x19880429u
#define CTSH_KEY_MAGIC		0x3130594b48535443ull	/* "CTSHKY01" */

/* The receive buffer; its size is what every RECV offers. */
#define CTSH_BUFFER_SIZE	HAL_MAXSIZE

/* The agent's socket address, fixed at registration. */
struct ctsh_agent_addr {
	struct sockaddr_un sun;
	socklen_t len;
};

/*
 * Copytool handle. It starts with Lustre's struct hsm_copytool_private
 * (x86_64 layout), whose mnt, mnt_fd and open_by_fid_fd the real action
 * calls read.
 */
struct ctsh_copytool {
	int magic;
	char *mnt;
	void *kuch;		/* receive buffer, CTSH_BUFFER_SIZE bytes */
	int mnt_fd;
	int open_by_fid_fd;
	void *kuc;		/* always NULL: no kernel registration */

	/* Serialises register/recv/get_fd/unregister; guards the fields below. */
	pthread_mutex_t lock;
	/* Thread id holding lock, 0 when free (read without the lock). */
	atomic_int lock_owner;
	/* Set once by unregister (read without the lock). */
	atomic_bool stopping;
	/* Control socket; the descriptor number never changes (dup3). */
	int sock;
	bool connected;
	bool recv_pending;	/* a RECV was sent and not yet answered */
	bool shut_down;		/* SHUTDOWN received */
	bool nonblock;		/* rfd_flags had O_NONBLOCK */
	bool polled;		/* get_fd was called: keep a RECV armed */
	struct ctsh_agent_addr agent;
	/* The agent's process (SO_PEERCRED) and this process's parent, at registration. */
	pid_t agent_pid;
	pid_t parent_pid;
	/* The complete REGISTER message, sent again on every reconnect. */
	void *reg_msg;
	size_t reg_len;
};

_Static_assert(offsetof(struct ctsh_copytool, mnt) == 8, "ct mnt");
_Static_assert(offsetof(struct ctsh_copytool, kuch) == 16, "ct kuch");
_Static_assert(offsetof(struct ctsh_copytool, mnt_fd) == 24, "ct mnt_fd");
_Static_assert(offsetof(struct ctsh_copytool, open_by_fid_fd) == 28,
	       "ct open_by_fid_fd");
_Static_assert(offsetof(struct ctsh_copytool, kuc) == 32, "ct kuc");
_Static_assert(offsetof(struct ctsh_copytool, lock) == 40, "ct size");

/*
 * Action handle: Lustre's struct hsm_copyaction_private (368 bytes), as
 * allocated by the real begin, enlarged by the shim with the item's key.
 */
struct ctsh_copyaction {
	__u32 magic;
	__s32 source_fd;
	__s32 data_fd;
	const struct hsm_copytool_private *ct_priv;
	struct hsm_copy copy;
	struct statx statx;

	uint64_t key_magic;
	uint64_t cookie;
	struct lu_fid dfid;
};

_Static_assert(offsetof(struct ctsh_copyaction, ct_priv) == 16, "cp ct_priv");
_Static_assert(offsetof(struct ctsh_copyaction, copy) == 24, "cp copy");
_Static_assert(offsetof(struct ctsh_copyaction, statx) == 112, "cp statx");
_Static_assert(offsetof(struct ctsh_copyaction, key_magic) == 368, "cp size");

/* real.c: the real liblustreapi, found with dlsym(RTLD_NEXT) */
typedef int (*ctsh_begin_fn)(struct hsm_copyaction_private **phcp,
			     const struct hsm_copytool_private *ct,
			     const struct hsm_action_item *hai,
			     int restore_mdt_index, int restore_open_flags,
			     bool is_error);
typedef int (*ctsh_end_fn)(struct hsm_copyaction_private **phcp,
			   const struct hsm_extent *he, int hp_flags,
			   int errval);
typedef int (*ctsh_search_fsname_fn)(const char *pathname, char *fsname);
typedef int (*ctsh_ct_fn)(struct hsm_copytool_private *ct);
typedef int (*ctsh_ct_recv_fn)(struct hsm_copytool_private *ct,
			       struct hsm_action_list **hal, int *msgsize);
typedef int (*ctsh_ct_unregister_fn)(struct hsm_copytool_private **ct);

ctsh_begin_fn ctsh_real_begin(void);
ctsh_end_fn ctsh_real_end(void);
ctsh_search_fsname_fn ctsh_real_search_fsname(void);
ctsh_ct_fn ctsh_real_get_fd(void);
ctsh_ct_recv_fn ctsh_real_recv(void);
ctsh_ct_unregister_fn ctsh_real_unregister(void);

/* Logs through the real llapi_error (stderr if there is none). */
void ctsh_log(enum llapi_message_level level, int err, const char *fmt, ...)
	__attribute__((__format__(__printf__, 3, 4)));

/* io.c */
int ctsh_agent_addr_from_env(struct ctsh_agent_addr *addr);
int ctsh_connect(const struct ctsh_agent_addr *addr);
/* Pid of the process at the other end of a Unix socket, 0 if unknown. */
pid_t ctsh_peer_pid(int fd);
int ctsh_write_all(int fd, const void *buf, size_t len);
int ctsh_read_all(int fd, void *buf, size_t len);
int ctsh_skip(int fd, size_t len);
void ctsh_hdr_init(struct ctsh_hdr *hdr, enum ctsh_type type, uint32_t len);
int ctsh_send(int fd, enum ctsh_type type, const void *payload, uint32_t len);
int ctsh_read_hdr(int fd, struct ctsh_hdr *hdr);
int ctsh_sleep_ms(unsigned int ms);

/* action.c */
int ctsh_notify(const struct ctsh_agent_addr *addr, enum ctsh_type type,
		uint64_t cookie, const struct lu_fid *dfid, int32_t value);

#endif /* CTSH_SHIM_H */

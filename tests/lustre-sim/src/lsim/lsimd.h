/*
 * Simulated MDT and HSM coordinator daemon: shared state and interfaces.
 *
 * mdt.c      objects: FIDs, the .lustre/fid links, HSM attributes, data
 *            versions, release and restore data swap, fid2path
 * cdt.c      coordinator: action log, intake, dispatch, progress, timeouts,
 *            agents, tunables, listings
 * journal.c  append-only persistence of both
 * daemon.c   event loop, client connections, request decoding
 */
#ifndef LSIM_LSIMD_H
#define LSIM_LSIMD_H

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <linux/lustre/lustre_idl.h>

#include "list.h"

/* Caller identity (SO_PEERCRED). */
struct lsim_cred {
	uid_t	uid;
	gid_t	gid;
	pid_t	pid;
};

static inline int cred_is_admin(const struct lsim_cred *cred)
{
	return cred->uid == 0;
}

struct lsim_file {
	struct lu_fid	fid;
	uint64_t	ino;
	int64_t		btime_sec;
	uint32_t	btime_nsec;
	uint32_t	type;		/* S_IFMT bits */
	uint32_t	hsm_flags;	/* enum hsm_states */
	uint32_t	archive_id;
	uint64_t	dv;		/* current data version */
	uint64_t	archive_dv;	/* data version of the archive copy */
	uint64_t	sig_size;	/* data signature: size and mtime */
	int64_t		sig_mtime_sec;
	uint32_t	sig_mtime_nsec;
	unsigned int	gone:1;		/* deleted: unknown to the MDT */
	unsigned int	is_volatile:1;	/* restore destination, never linked */
	unsigned int	linked:1;	/* has its .lustre/fid hard link */
	unsigned int	special:1;	/* root, .lustre, .lustre/fid */
	unsigned int	in_ino:1;	/* present in the inode table */
	char		*path;		/* relative path, NULL when unknown */
	int64_t		created;	/* volatile registration time */
	struct hnode	fid_node;
	struct hnode	ino_node;
	struct list_head sweep;		/* linked files, or volatiles */
	struct list_head pending;	/* pending non-cancel records */
};

/* In-memory entry of a dispatched (STARTED) non-cancel request. */
struct lsim_active {
	struct lsim_rec	*rec;
	char		uuid[UUID_MAX];
	struct lu_fid	dfid;
	int64_t		last_update;
	int		canceled;
	struct list_head list;
	uint64_t	(*iv)[2];	/* merged reported ranges [start, end) */
	unsigned int	niv;
	unsigned int	cap;
};

/* One action-log record. */
struct lsim_rec {
	uint64_t	lid;		/* catalog index << 32 | record index */
	uint64_t	cookie;
	uint32_t	status;		/* enum agent_req_status */
	uint32_t	action;		/* enum hsm_copytool_action */
	uint32_t	archive_id;
	uint32_t	datalen;
	uint64_t	flags;
	struct lu_fid	fid;
	struct lu_fid	dfid;
	struct hsm_extent extent;
	uint64_t	gid;
	int64_t		create;
	int64_t		change;
	char		*data;
	struct hnode	lid_node;
	struct hnode	cookie_node;	/* non-cancel records only */
	struct list_head log;		/* every record, log order */
	struct list_head state;		/* waiting / started / final list */
	struct list_head pending;	/* file's pending list (non-cancel) */
	struct list_head cancels;	/* target: cancel records aimed at it */
	struct list_head cancel_link;	/* cancel: entry in target->cancels */
	struct lsim_rec	*target;	/* cancel: the record it cancels */
	struct lsim_active *active;
	struct lsim_file *file;
};

struct lsim_agent;

/* A copytool pipe (write end) of an agent. */
struct lsim_pipe {
	int		kind;		/* event loop tag, must be first */
	int		fd;
	struct lsim_agent *agent;
	struct lsim_pipe *next;
	char		*out;		/* bytes not yet accepted by the pipe */
	size_t		outlen;
	size_t		outcap;
	int		polling;
};

/* An HSM agent: one per registering process (its own client mount). */
struct lsim_agent {
	char		uuid[UUID_MAX];
	pid_t		pid;
	uint32_t	*archives;
	uint32_t	narchives;	/* 0 = any */
	int		current;
	int		ok;
	int		errors;
	struct lsim_pipe *pipes;
	struct list_head list;
};

enum cdt_state {
	CDT_STOPPED = 0,
	CDT_INIT,
	CDT_RUNNING,
	CDT_DISABLE,
	CDT_STOPPING,
};

#define CDT_NONBLOCKING_RESTORE	0x1
#define CDT_NORETRY_ACTION	0x2

struct lsim_daemon {
	/* mount */
	char		*root_path;
	int		rootfd;
	int		fiddirfd;
	int		privfd;
	dev_t		dev;
	char		fsname[MTI_NAME_MAXLEN + 1];
	int		has_btime;

	/* objects */
	struct lu_fid	next_fid;
	struct htable	fid_ht;
	struct htable	ino_ht;
	struct list_head sweep;
	struct list_head *sweep_pos;
	struct list_head volatiles;
	uint64_t	nfiles;

	/* action log */
	struct htable	cookie_ht;
	struct htable	lid_ht;
	struct list_head log;
	struct list_head waiting;
	struct list_head started;
	struct list_head final;
	uint64_t	nrecs;
	uint64_t	cookie;
	uint32_t	catidx;
	uint32_t	recidx;

	/* coordinator */
	struct list_head active;
	int		active_count;
	int		archive_count;
	int		restore_count;
	int		remove_count;
	struct list_head agents;
	int		cdt_state;
	int		cdt_event;
	int64_t		last_housekeeping;
	int		max_requests;
	int64_t		loop_period;
	int64_t		grace_delay;
	int64_t		active_request_timeout;
	uint32_t	default_archive_id;
	int		remove_archive_on_last_unlink;
	uint32_t	policy;
	uint32_t	user_request_mask;
	uint32_t	group_request_mask;
	uint32_t	other_request_mask;

	/* journal */
	int		jfd;
	char		*jbuf;
	size_t		jlen;
	size_t		jcap;
	uint64_t	jsize;
	uint64_t	jlive;		/* bytes a compacted journal would take */

	int		epfd;
	int		stopping;
};

extern struct lsim_daemon D;

/* daemon.c */
void lsim_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int64_t now_sec(void);
void pipe_want_output(struct lsim_pipe *p);
int daemon_main(const char *root, const char *fsname, char **settings,
		int nsettings, int ready_fd, int foreground);

/* mdt.c */
int mdt_init(void);
struct lsim_file *mdt_file_by_fid(const struct lu_fid *fid);
struct lsim_file *mdt_file_placeholder(const struct lu_fid *fid);
struct lsim_file *mdt_file_by_fd(int fd, int *rc);
int mdt_file_check(struct lsim_file *f);
struct lsim_file *mdt_lookup(const struct lu_fid *fid);
void mdt_file_save(struct lsim_file *f);
void mdt_file_release_memory(struct lsim_file *f);
int mdt_fid2path(const struct lu_fid *fid, int linkno, char **path,
		 int *linkno_out);
int mdt_may_write(const struct lsim_file *f, const struct lsim_cred *cred);
int mdt_in_group(const struct lsim_cred *cred, gid_t gid);
int mdt_owner(const struct lsim_file *f, uid_t *uid, gid_t *gid);
int mdt_release(struct lsim_file *f, const struct lsim_cred *cred);
int mdt_restore_swap(struct lsim_file *f, int volfd);
int mdt_volatile_register(int fd, struct lu_fid *fid);
struct lsim_file *mdt_volatile_by_fid(const struct lu_fid *fid);
void mdt_volatile_drop(const struct lu_fid *fid);
void mdt_volatile_expire(int64_t now, int64_t max_age);
int mdt_volatile_matches(struct lsim_file *v, int fd, uint64_t *dv);
void mdt_sweep(unsigned int budget);
struct lsim_file *mdt_load_file(const struct lu_fid *fid, uint64_t ino,
				uint32_t type, int64_t btime_sec,
				uint32_t btime_nsec, char *path);
void mdt_load_gone(struct lsim_file *f);
void mdt_remove_orphan_links(void);
int mdt_state_set(struct lsim_file *f, const struct hsm_state_set *hss,
		  const struct lsim_cred *cred);
int mdt_import(int fd, const struct hsm_user_import *hui,
	       const struct lsim_cred *cred);
void mdt_fid_alloc(struct lu_fid *fid);
int fid_is_sane(const struct lu_fid *fid);

static inline uint64_t fid_hkey(const struct lu_fid *fid)
{
	return hash_u64(fid->f_seq * 0x9e3779b97f4a7c15ULL ^
			((uint64_t)fid->f_oid << 32 | fid->f_ver));
}

static inline int lu_fid_eq(const struct lu_fid *a, const struct lu_fid *b)
{
	return a->f_seq == b->f_seq && a->f_oid == b->f_oid &&
	       a->f_ver == b->f_ver;
}

/* cdt.c */
void cdt_init(void);
int cdt_request(const struct lsim_cred *cred,
		const struct hsm_user_request *hur, size_t len);
int cdt_progress(const struct lsim_cred *cred,
		 const struct hsm_progress_kernel *pgs, int volfd);
int cdt_current_action(struct lsim_file *f, struct hsm_current_action *hca);
int cdt_register(const struct lsim_cred *cred,
		 const struct lustre_kernelcomm *kuc, int pipefd,
		 char *uuid_out);
const char *cdt_agent_uuid(pid_t pid);
void cdt_scan(int housekeeping);
void cdt_tick(void);
void cdt_file_gone(struct lsim_file *f);
void cdt_after_load(void);
void cdt_shutdown_agents(void);
int cdt_get_param(const char *name, char *buf, size_t size);
int cdt_set_param(const char *name, const char *value, char *err,
		  size_t errsize);
void cdt_list_params(FILE *out);
void cdt_list_agents(FILE *out);
void cdt_list_active(FILE *out);
void cdt_list_actions(FILE *out);
void cdt_status(FILE *out);
int cdt_coordinator_running(void);
void pipe_flush(struct lsim_pipe *p);
void cdt_reap_pipes(void);

/* record bookkeeping shared with the journal */
struct lsim_rec *rec_alloc(uint32_t datalen);
void rec_insert_loaded(struct lsim_rec *r);
void rec_set_status_loaded(struct lsim_rec *r, uint32_t status,
			   int64_t change);
void rec_delete(struct lsim_rec *r, int journal);
struct lsim_rec *rec_by_lid(uint64_t lid);

/* journal.c */
int journal_load(void);
int journal_flush(void);
void journal_maybe_compact(void);
void journal_close(void);
void j_file(const struct lsim_file *f);
void j_fstate(const struct lsim_file *f);
void j_fgone(const struct lsim_file *f);
void j_path(const struct lsim_file *f);
void j_fidhwm(void);
void j_rec(const struct lsim_rec *r);
void j_rstat(const struct lsim_rec *r);
void j_rdel(const struct lsim_rec *r);

#endif /* LSIM_LSIMD_H */

/*
 * Simulated HSM coordinator (CDT): action log, request intake, dispatch to
 * agents, progress and completion, timeouts, cancel and purge, tunables and
 * the debugfs-style listings.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/stat.h>

#include "lsimd.h"

#define HAL_SEND_MAX		LDLM_MAXREQSIZE
#define PIPE_QUEUE_MAX		(64u << 20)
#define LLOG_RECS_PER_PLAIN	65535

enum { EV_PIPE = 5 };	/* must match the event tag of daemon.c */

static size_t round8(size_t x)
{
	return (x + 7) & ~(size_t)7;
}

int cdt_coordinator_running(void)
{
	return D.cdt_state == CDT_RUNNING || D.cdt_state == CDT_DISABLE;
}

static uint32_t hsma2hua(uint32_t action)
{
	switch (action) {
	case HSMA_ARCHIVE:	return HUA_ARCHIVE;
	case HSMA_RESTORE:	return HUA_RESTORE;
	case HSMA_REMOVE:	return HUA_REMOVE;
	case HSMA_CANCEL:	return HUA_CANCEL;
	default:		return HUA_NONE;
	}
}

static int hua2hsma(uint32_t action, uint32_t *hsma)
{
	switch (action) {
	case HUA_ARCHIVE:	*hsma = HSMA_ARCHIVE; return 0;
	case HUA_RESTORE:	*hsma = HSMA_RESTORE; return 0;
	case HUA_REMOVE:	*hsma = HSMA_REMOVE; return 0;
	case HUA_CANCEL:	*hsma = HSMA_CANCEL; return 0;
	default:		return -EINVAL;
	}
}

/* Records ------------------------------------------------------------------ */

struct lsim_rec *rec_alloc(uint32_t datalen)
{
	struct lsim_rec *r = calloc(1, sizeof(*r));

	if (r == NULL)
		return NULL;
	if (datalen > 0) {
		r->data = malloc(datalen);
		if (r->data == NULL) {
			free(r);
			return NULL;
		}
	}
	r->datalen = datalen;
	list_init(&r->log);
	list_init(&r->state);
	list_init(&r->pending);
	list_init(&r->cancels);
	list_init(&r->cancel_link);
	return r;
}

struct lsim_rec *rec_by_lid(uint64_t lid)
{
	uint64_t key = hash_u64(lid);
	struct hnode *n;

	for (n = ht_first(&D.lid_ht, key); n != NULL; n = ht_next(n, key)) {
		struct lsim_rec *r = container_of(n, struct lsim_rec, lid_node);

		if (r->lid == lid)
			return r;
	}
	return NULL;
}

/* The (non-cancel) record a cookie designates. */
static struct lsim_rec *rec_by_cookie(uint64_t cookie)
{
	uint64_t key = hash_u64(cookie);
	struct hnode *n;

	for (n = ht_first(&D.cookie_ht, key); n != NULL; n = ht_next(n, key)) {
		struct lsim_rec *r = container_of(n, struct lsim_rec,
						  cookie_node);

		if (r->cookie == cookie)
			return r;
	}
	return NULL;
}

static int status_final(uint32_t status)
{
	return status == ARS_SUCCEED || status == ARS_FAILED ||
	       status == ARS_CANCELED;
}

/* Put a record on the list of its status; WAITING stays in log order. */
static void state_place(struct lsim_rec *r)
{
	struct list_head *pos;

	list_del(&r->state);
	switch (r->status) {
	case ARS_WAITING:
		if (list_empty(&D.waiting) ||
		    list_entry(D.waiting.prev, struct lsim_rec, state)->lid <
		    r->lid) {
			list_add_tail(&r->state, &D.waiting);
			break;
		}
		list_for_each(pos, &D.waiting) {
			if (list_entry(pos, struct lsim_rec, state)->lid > r->lid)
				break;
		}
		list_add_tail(&r->state, pos);
		break;
	case ARS_STARTED:
		list_add_tail(&r->state, &D.started);
		break;
	default:
		list_add_tail(&r->state, &D.final);
		break;
	}
}

static void rec_unlink_pending(struct lsim_rec *r)
{
	list_del(&r->pending);
	r->file = NULL;
}

static void rec_link_pending(struct lsim_rec *r)
{
	struct lsim_file *f;

	if (r->action == HSMA_CANCEL || status_final(r->status))
		return;
	f = mdt_file_placeholder(&r->fid);
	if (f == NULL)
		return;
	r->file = f;
	list_add_tail(&r->pending, &f->pending);
}

static void rec_link_target(struct lsim_rec *r)
{
	struct lsim_rec *t;

	if (r->action != HSMA_CANCEL)
		return;
	t = rec_by_cookie(r->cookie);
	if (t == NULL)
		return;
	r->target = t;
	list_add_tail(&r->cancel_link, &t->cancels);
}

/* Index a record read back from the journal (or just created). */
void rec_insert_loaded(struct lsim_rec *r)
{
	ht_insert(&D.lid_ht, &r->lid_node, hash_u64(r->lid));
	if (r->action != HSMA_CANCEL)
		ht_insert(&D.cookie_ht, &r->cookie_node, hash_u64(r->cookie));
	list_add_tail(&r->log, &D.log);
	D.nrecs++;
	rec_link_target(r);
	rec_link_pending(r);
	state_place(r);
	if (r->cookie > D.cookie)
		D.cookie = r->cookie;
	if ((r->lid >> 32) > D.catidx ||
	    ((r->lid >> 32) == D.catidx && (uint32_t)r->lid > D.recidx)) {
		D.catidx = (uint32_t)(r->lid >> 32);
		D.recidx = (uint32_t)r->lid;
	}
}

void rec_set_status_loaded(struct lsim_rec *r, uint32_t status, int64_t change)
{
	r->status = status;
	r->change = change;
	state_place(r);
	if (status_final(status))
		rec_unlink_pending(r);
}

static void rec_set_status(struct lsim_rec *r, uint32_t status, int64_t now)
{
	rec_set_status_loaded(r, status, now);
	j_rstat(r);
}

static void active_remove(struct lsim_active *act);

void rec_delete(struct lsim_rec *r, int journal)
{
	struct list_head *pos, *tmp;

	if (r->active != NULL)
		active_remove(r->active);
	list_for_each_safe(pos, tmp, &r->cancels) {
		struct lsim_rec *c = list_entry(pos, struct lsim_rec,
						cancel_link);

		c->target = NULL;
		list_del(&c->cancel_link);
	}
	list_del(&r->cancel_link);
	rec_unlink_pending(r);
	list_del(&r->state);
	list_del(&r->log);
	ht_remove(&D.lid_ht, &r->lid_node);
	if (r->action != HSMA_CANCEL)
		ht_remove(&D.cookie_ht, &r->cookie_node);
	D.nrecs--;
	if (journal)
		j_rdel(r);
	free(r->data);
	free(r);
}

static uint64_t next_lid(void)
{
	if (D.catidx == 0)
		D.catidx = 1;
	if (D.recidx >= LLOG_RECS_PER_PLAIN) {
		D.catidx++;
		D.recidx = 0;
	}
	D.recidx++;
	return (uint64_t)D.catidx << 32 | D.recidx;
}

/* Append a WAITING record to the action log. */
static struct lsim_rec *rec_append(uint32_t action, const struct lu_fid *fid,
				   const struct lu_fid *dfid,
				   const struct hsm_extent *extent,
				   uint32_t archive_id, uint64_t flags,
				   uint64_t cookie, const void *data,
				   uint32_t datalen)
{
	struct lsim_rec *r = rec_alloc(datalen);
	int64_t now = now_sec();

	if (r == NULL)
		return NULL;
	r->lid = next_lid();
	r->cookie = cookie;
	r->status = ARS_WAITING;
	r->action = action;
	r->archive_id = archive_id;
	r->flags = flags;
	r->fid = *fid;
	r->dfid = *dfid;
	r->extent = *extent;
	r->gid = 0;
	r->create = now;
	r->change = now;
	if (datalen > 0)
		memcpy(r->data, data, datalen);
	rec_insert_loaded(r);
	j_rec(r);
	D.cdt_event = 1;
	return r;
}

/* Agents and their pipes ---------------------------------------------------- */

static struct list_head detached = { &detached, &detached };

static struct lsim_agent *agent_by_uuid(const char *uuid)
{
	struct list_head *pos;

	list_for_each(pos, &D.agents) {
		struct lsim_agent *a = list_entry(pos, struct lsim_agent, list);

		if (strcmp(a->uuid, uuid) == 0)
			return a;
	}
	return NULL;
}

static struct lsim_agent *agent_by_pid(struct list_head *head, pid_t pid)
{
	struct list_head *pos;

	list_for_each(pos, head) {
		struct lsim_agent *a = list_entry(pos, struct lsim_agent, list);

		if (a->pid == pid)
			return a;
	}
	return NULL;
}

const char *cdt_agent_uuid(pid_t pid)
{
	struct lsim_agent *a = agent_by_pid(&D.agents, pid);

	return a != NULL ? a->uuid : NULL;
}

/*
 * Pipes closed while an event batch is processed may still be referenced by
 * later events of that batch: they are freed by cdt_reap_pipes() after it.
 */
static struct lsim_pipe *zombie_pipes;

static void pipe_close(struct lsim_pipe *p)
{
	if (p->polling)
		epoll_ctl(D.epfd, EPOLL_CTL_DEL, p->fd, NULL);
	close(p->fd);
	p->fd = -1;
	p->polling = 0;
	free(p->out);
	p->out = NULL;
	p->outlen = 0;
	p->next = zombie_pipes;
	zombie_pipes = p;
}

void cdt_reap_pipes(void)
{
	while (zombie_pipes != NULL) {
		struct lsim_pipe *p = zombie_pipes;

		zombie_pipes = p->next;
		free(p);
	}
}

static void agent_free(struct lsim_agent *a)
{
	while (a->pipes != NULL) {
		struct lsim_pipe *p = a->pipes;

		a->pipes = p->next;
		pipe_close(p);
	}
	list_del(&a->list);
	free(a->archives);
	free(a);
}

static void agent_unregister(struct lsim_agent *a, const char *why)
{
	lsim_log("agent %s (pid %d) unregistered: %s", a->uuid, (int)a->pid,
		 why);
	agent_free(a);
}

static void pipe_remove(struct lsim_pipe *p)
{
	struct lsim_pipe **pp;

	for (pp = &p->agent->pipes; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	}
	pipe_close(p);
}

static int queue_output(struct lsim_pipe *p, const char *buf, size_t len)
{
	if (p->outlen + len > PIPE_QUEUE_MAX)
		return -ENOBUFS;
	if (p->outlen + len > p->outcap) {
		size_t cap = p->outcap ? p->outcap : 65536;
		char *out;

		while (cap < p->outlen + len)
			cap *= 2;
		out = realloc(p->out, cap);
		if (out == NULL)
			return -ENOMEM;
		p->out = out;
		p->outcap = cap;
	}
	memcpy(p->out + p->outlen, buf, len);
	p->outlen += len;
	pipe_want_output(p);
	return 0;
}

/*
 * Write one message to a copytool pipe. What the pipe cannot take now is
 * queued and written when it drains; a reader that is gone gives -EPIPE.
 */
static int pipe_send(struct lsim_pipe *p, const char *buf, size_t len)
{
	ssize_t n;

	if (p->outlen > 0)
		return queue_output(p, buf, len);
	do {
		n = write(p->fd, buf, len);
	} while (n < 0 && errno == EINTR);
	if (n == (ssize_t)len)
		return 0;
	if (n >= 0)
		return queue_output(p, buf + n, len - (size_t)n);
	if (errno == EAGAIN)
		return queue_output(p, buf, len);
	return -errno;
}

void pipe_flush(struct lsim_pipe *p)
{
	struct lsim_agent *a = p->agent;
	size_t off = 0;

	while (off < p->outlen) {
		ssize_t n = write(p->fd, p->out + off, p->outlen - off);

		if (n > 0) {
			off += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		lsim_log("agent %s: copytool pipe failed: %s", a->uuid,
			 n < 0 ? strerror(errno) : "short write");
		pipe_remove(p);
		if (a->pipes == NULL)
			agent_unregister(a, "no live copytool");
		return;
	}
	memmove(p->out, p->out + off, p->outlen - off);
	p->outlen -= off;
	pipe_want_output(p);
}

/* Deliver a message to every pipe of the agent; -EPIPE if none took it. */
static int agent_send(struct lsim_agent *a, const char *buf, size_t len)
{
	struct lsim_pipe *p = a->pipes;
	int delivered = 0;

	while (p != NULL) {
		struct lsim_pipe *next = p->next;
		int rc = pipe_send(p, buf, len);

		if (rc == 0)
			delivered = 1;
		else
			pipe_remove(p);
		p = next;
	}
	return delivered ? 0 : -EPIPE;
}

static void make_uuid(char *uuid)
{
	unsigned char b[16];
	size_t got = 0;

	while (got < sizeof(b)) {
		ssize_t n = getrandom(b + got, sizeof(b) - got, 0);

		if (n < 0) {
			/* fall back to something unique enough */
			uint64_t x = hash_u64((uint64_t)getpid() << 32 ^
					      (uint64_t)now_sec() ^ got);

			memcpy(b + got, &x, sizeof(b) - got < 8 ?
			       sizeof(b) - got : 8);
			got += sizeof(b) - got < 8 ? sizeof(b) - got : 8;
			continue;
		}
		got += (size_t)n;
	}
	snprintf(uuid, UUID_MAX,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9],
		 b[10], b[11], b[12], b[13], b[14], b[15]);
}

static int agent_set_archives(struct lsim_agent *a,
			      const struct lustre_kernelcomm *kuc)
{
	uint32_t *ids = NULL;
	uint32_t n = 0;
	uint32_t i;

	if (kuc->lk_flags & LK_FLG_DATANR) {
		n = kuc->lk_data_count;
		if (n > 0) {
			ids = malloc(n * sizeof(*ids));
			if (ids == NULL)
				return -ENOMEM;
			memcpy(ids, kuc->lk_data, n * sizeof(*ids));
		}
	} else if (kuc->lk_data_count != 0) {
		/* legacy bitmap: bit i is archive i + 1 */
		ids = malloc(32 * sizeof(*ids));
		if (ids == NULL)
			return -ENOMEM;
		for (i = 0; i < 32; i++)
			if (kuc->lk_data_count & (1u << i))
				ids[n++] = i + 1;
	}
	free(a->archives);
	a->archives = ids;
	a->narchives = n;
	return 0;
}

int cdt_register(const struct lsim_cred *cred,
		 const struct lustre_kernelcomm *kuc, int pipefd,
		 char *uuid_out)
{
	struct lsim_agent *a;
	struct lsim_pipe *p;
	int rc;

	if (!cred_is_admin(cred))
		return -EPERM;
	if (kuc->lk_group != KUC_GRP_HSM)
		return -EINVAL;

	if (kuc->lk_flags & LK_FLG_STOP) {
		a = agent_by_pid(&D.agents, cred->pid);
		if (a == NULL)
			a = agent_by_pid(&detached, cred->pid);
		if (a != NULL)
			agent_unregister(a, "copytool unregistered");
		return 0;
	}
	if (!cdt_coordinator_running())
		return -ENXIO;
	if (pipefd < 0)
		return -EINVAL;

	a = agent_by_pid(&D.agents, cred->pid);
	if (a == NULL) {
		a = agent_by_pid(&detached, cred->pid);
		if (a != NULL) {
			/* the client re-registers after a coordinator restart */
			list_del(&a->list);
		} else {
			a = calloc(1, sizeof(*a));
			if (a == NULL)
				return -ENOMEM;
			a->pid = cred->pid;
			make_uuid(a->uuid);
		}
		rc = agent_set_archives(a, kuc);
		if (rc < 0) {
			agent_free(a);
			return rc;
		}
		list_add_tail(&a->list, &D.agents);
		lsim_log("agent %s (pid %d) registered", a->uuid, (int)a->pid);
		D.cdt_event = 1;
	}
	p = calloc(1, sizeof(*p));
	if (p == NULL)
		return -ENOMEM;
	p->kind = EV_PIPE;
	p->fd = fcntl(pipefd, F_DUPFD_CLOEXEC, 0);
	if (p->fd < 0 || fcntl(p->fd, F_SETFL, O_NONBLOCK) < 0) {
		rc = -errno;
		if (p->fd >= 0)
			close(p->fd);
		free(p);
		return rc;
	}
	p->agent = a;
	p->next = a->pipes;
	a->pipes = p;
	snprintf(uuid_out, UUID_MAX, "%s", a->uuid);
	return 0;
}

static int agent_serves(const struct lsim_agent *a, uint32_t archive_id)
{
	uint32_t i;

	if (a->narchives == 0)
		return 1;
	for (i = 0; i < a->narchives; i++)
		if (a->archives[i] == archive_id)
			return 1;
	return 0;
}

/* The agent serving archive_id with the fewest current requests. */
static struct lsim_agent *best_agent(uint32_t archive_id)
{
	struct lsim_agent *best = NULL;
	struct list_head *pos;

	list_for_each(pos, &D.agents) {
		struct lsim_agent *a = list_entry(pos, struct lsim_agent, list);

		if (!agent_serves(a, archive_id))
			continue;
		if (best == NULL || a->current < best->current)
			best = a;
		if (best->current == 0)
			break;
	}
	return best;
}

/* Send the KUC shutdown message to every copytool and drop all agents. */
void cdt_shutdown_agents(void)
{
	static const struct kuc_hdr shutdown_msg = {
		.kuc_magic = KUC_MAGIC,
		.kuc_transport = KUC_TRANSPORT_GENERIC,
		.kuc_flags = 0,
		.kuc_msgtype = KUC_MSG_SHUTDOWN,
		.kuc_msglen = sizeof(struct kuc_hdr),
	};
	struct list_head *heads[2] = { &D.agents, &detached };
	int i;

	for (i = 0; i < 2; i++) {
		while (!list_empty(heads[i])) {
			struct lsim_agent *a = list_entry(heads[i]->next,
						struct lsim_agent, list);
			struct lsim_pipe *p;

			for (p = a->pipes; p != NULL; p = p->next) {
				while (p->outlen > 0) {
					ssize_t n = write(p->fd, p->out,
							  p->outlen);

					if (n <= 0)
						break;
					memmove(p->out, p->out + n,
						p->outlen - (size_t)n);
					p->outlen -= (size_t)n;
				}
				if (p->outlen == 0 &&
				    write(p->fd, &shutdown_msg,
					  sizeof(shutdown_msg)) < 0 &&
				    errno != EPIPE && errno != EAGAIN)
					lsim_log("shutdown message: %s",
						 strerror(errno));
			}
			agent_free(a);
		}
	}
}

/* Active requests ----------------------------------------------------------- */

static int *action_counter(uint32_t action)
{
	switch (action) {
	case HSMA_ARCHIVE:	return &D.archive_count;
	case HSMA_RESTORE:	return &D.restore_count;
	case HSMA_REMOVE:	return &D.remove_count;
	default:		return NULL;
	}
}

static struct lsim_active *active_add(struct lsim_rec *r, struct lsim_agent *a)
{
	struct lsim_active *act = calloc(1, sizeof(*act));
	int *counter = action_counter(r->action);

	if (act == NULL)
		return NULL;
	act->rec = r;
	snprintf(act->uuid, sizeof(act->uuid), "%s", a->uuid);
	act->dfid = r->dfid;
	act->last_update = now_sec();
	list_add_tail(&act->list, &D.active);
	r->active = act;
	D.active_count++;
	if (counter != NULL)
		(*counter)++;
	a->current++;
	return act;
}

static void active_remove(struct lsim_active *act)
{
	struct lsim_agent *a = agent_by_uuid(act->uuid);
	int *counter = action_counter(act->rec->action);

	if (a != NULL && a->current > 0)
		a->current--;
	if (counter != NULL)
		(*counter)--;
	D.active_count--;
	list_del(&act->list);
	act->rec->active = NULL;
	free(act->iv);
	free(act);
}

static int cmp_iv(const void *a, const void *b)
{
	const uint64_t *x = a, *y = b;

	return x[0] < y[0] ? -1 : x[0] > y[0];
}

/* Record a reported byte range; ranges are kept merged and sorted. */
static void active_add_extent(struct lsim_active *act,
			      const struct hsm_extent *he)
{
	uint64_t start = he->offset;
	uint64_t end = he->offset + he->length;
	unsigned int i, j;

	if (he->length == 0)
		return;
	if (end < start)
		end = UINT64_MAX;
	if (act->niv == act->cap) {
		unsigned int cap = act->cap ? act->cap * 2 : 4;
		uint64_t (*iv)[2] = realloc(act->iv, cap * sizeof(*iv));

		if (iv == NULL)
			return;
		act->iv = iv;
		act->cap = cap;
	}
	act->iv[act->niv][0] = start;
	act->iv[act->niv][1] = end;
	act->niv++;
	qsort(act->iv, act->niv, sizeof(*act->iv), cmp_iv);
	for (i = 0, j = 1; j < act->niv; j++) {
		if (act->iv[j][0] <= act->iv[i][1]) {
			if (act->iv[j][1] > act->iv[i][1])
				act->iv[i][1] = act->iv[j][1];
		} else {
			i++;
			act->iv[i][0] = act->iv[j][0];
			act->iv[i][1] = act->iv[j][1];
		}
	}
	act->niv = i + 1;
}

static uint64_t active_done(const struct lsim_active *act)
{
	uint64_t done = 0;
	unsigned int i;

	for (i = 0; i < act->niv; i++)
		done += act->iv[i][1] - act->iv[i][0];
	return done;
}

/* State rules ------------------------------------------------------------- */

static int action_needed(uint32_t action, uint32_t flags)
{
	switch (action) {
	case HSMA_ARCHIVE:
		return (flags & HS_DIRTY) || !(flags & HS_ARCHIVED);
	case HSMA_RESTORE:
		return (flags & (HS_RELEASED | HS_DIRTY)) != 0;
	case HSMA_REMOVE:
		return (flags & (HS_ARCHIVED | HS_EXISTS)) != 0;
	default:
		return 1;
	}
}

static int action_compatible(uint32_t action, uint32_t archive_id,
			     const struct lsim_file *f)
{
	uint32_t flags = f->hsm_flags;

	switch (action) {
	case HSMA_ARCHIVE:
		if (flags & HS_NOARCHIVE)
			return 0;
		if (!(flags & HS_DIRTY) && (flags & HS_ARCHIVED))
			return 0;
		if ((flags & HS_EXISTS) && f->archive_id != 0 &&
		    f->archive_id != archive_id)
			return 0;
		return 1;
	case HSMA_RESTORE:
		return !(flags & (HS_DIRTY | HS_LOST)) &&
		       (flags & HS_RELEASED) && (flags & HS_ARCHIVED);
	case HSMA_REMOVE:
		return !(flags & HS_RELEASED) &&
		       (flags & (HS_ARCHIVED | HS_EXISTS)) != 0;
	case HSMA_CANCEL:
		return 1;
	default:
		return 0;
	}
}

static int restore_pending(const struct lsim_file *f)
{
	struct list_head *pos;

	list_for_each(pos, &f->pending) {
		if (list_entry(pos, struct lsim_rec, pending)->action ==
		    HSMA_RESTORE)
			return 1;
	}
	return 0;
}

/* Intake ------------------------------------------------------------------ */

static int request_permission(const struct lsim_cred *cred,
			      const struct lsim_file *f, uint32_t hsma)
{
	uint32_t mask;
	uid_t uid;
	gid_t gid;

	if (cred_is_admin(cred))
		return 0;
	if (mdt_owner(f, &uid, &gid) < 0)
		return -ENOENT;
	if (cred->uid == uid)
		mask = D.user_request_mask;
	else if (mdt_in_group(cred, gid))
		mask = D.group_request_mask;
	else
		mask = D.other_request_mask;
	return (mask & (1u << hsma)) ? 0 : -EPERM;
}

static int release_items(const struct lsim_cred *cred,
			 const struct hsm_user_request *hur)
{
	__u32 i;

	for (i = 0; i < hur->hur_request.hr_itemcount; i++) {
		const struct hsm_user_item *hui = &hur->hur_user_item[i];
		struct lsim_file *f = mdt_lookup(&hui->hui_fid);
		int rc;

		if (f == NULL)
			return -ENOENT;
		rc = mdt_release(f, cred);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int cdt_request(const struct lsim_cred *cred,
		const struct hsm_user_request *hur, size_t len)
{
	struct hsm_request hrq;
	const struct hsm_request *hr = &hrq;
	const char *data;
	int has_restore = 0;
	uint32_t hsma;
	__u32 i, j;
	int rc = 0;

	if (len < sizeof(*hur))
		return -EINVAL;
	memcpy(&hrq, &hur->hur_request, sizeof(hrq));
	if ((uint64_t)hr->hr_itemcount * sizeof(struct hsm_user_item) +
	    hr->hr_data_len + sizeof(*hur) != len)
		return -EINVAL;
	if (hr->hr_action == HUA_RELEASE)
		return release_items(cred, hur);
	if (!cdt_coordinator_running())
		return -EAGAIN;
	if (hua2hsma(hr->hr_action, &hsma) < 0)
		return -EINVAL;
	data = (const char *)&hur->hur_user_item[hr->hr_itemcount];

	for (i = 0; i < hr->hr_itemcount; i++) {
		const struct hsm_user_item *item = &hur->hur_user_item[i];
		const struct lu_fid *fid = &item->hui_fid;
		struct lsim_file *f;
		struct lsim_rec *r;
		uint32_t archive_id;
		int dup = 0;

		for (j = 0; j < i; j++)
			if (lu_fid_eq(&hur->hur_user_item[j].hui_fid, fid))
				dup = 1;
		if (dup)
			continue;
		if (!fid_is_sane(fid)) {
			rc = -EINVAL;
			break;
		}

		f = mdt_lookup(fid);
		if (f == NULL) {
			if (!(cred_is_admin(cred) &&
			      (hsma == HSMA_REMOVE || hsma == HSMA_CANCEL))) {
				rc = -ENOENT;
				break;
			}
		} else {
			rc = request_permission(cred, f, hsma);
			if (rc < 0)
				break;
		}

		if (hsma == HSMA_CANCEL) {
			struct lsim_file *pf = f != NULL ? f :
					       mdt_file_by_fid(fid);
			struct lsim_rec *t;

			if (pf == NULL || list_empty(&pf->pending))
				continue;	/* nothing to cancel */
			t = list_entry(pf->pending.next, struct lsim_rec,
				       pending);
			r = rec_append(HSMA_CANCEL, fid, fid, &item->hui_extent,
				       t->archive_id, hr->hr_flags, t->cookie,
				       data, hr->hr_data_len);
			if (r == NULL) {
				rc = -ENOMEM;
				break;
			}
			continue;
		}

		if (f != NULL) {
			if (!(hr->hr_flags & HSM_FORCE_ACTION) &&
			    !action_needed(hsma, f->hsm_flags))
				continue;
			archive_id = hr->hr_archive_id ? hr->hr_archive_id :
				     f->archive_id ? f->archive_id :
				     D.default_archive_id;
			if (!action_compatible(hsma, archive_id, f)) {
				rc = -EPERM;
				break;
			}
		} else {
			struct lsim_file *old = mdt_file_by_fid(fid);

			archive_id = hr->hr_archive_id ? hr->hr_archive_id :
				     old != NULL && old->archive_id ?
				     old->archive_id : D.default_archive_id;
		}

		if (hsma == HSMA_RESTORE) {
			if (item->hui_extent.offset != 0) {
				rc = -EPROTO;
				break;
			}
			if (restore_pending(f))
				continue;
			has_restore = 1;
		}
		r = rec_append(hsma, fid, fid, &item->hui_extent, archive_id,
			       hr->hr_flags, ++D.cookie, data,
			       hr->hr_data_len);
		if (r == NULL) {
			rc = -ENOMEM;
			break;
		}
	}

	if (rc == 0 && has_restore && (D.policy & CDT_NONBLOCKING_RESTORE))
		rc = -ENODATA;
	return rc;
}

/* A deleted file: with remove_archive_on_last_unlink, drop its archive copy. */
void cdt_file_gone(struct lsim_file *f)
{
	static const struct lu_fid zero;
	struct hsm_extent whole = { .offset = 0, .length = LUSTRE_EOF };

	if (!D.remove_archive_on_last_unlink || !(f->hsm_flags & HS_EXISTS))
		return;
	rec_append(HSMA_REMOVE, &f->fid, &zero, &whole,
		   f->archive_id ? f->archive_id : D.default_archive_id, 0,
		   ++D.cookie, NULL, 0);
}

/* Dispatch ----------------------------------------------------------------- */

struct bucket {
	struct lsim_rec	**recs;
	unsigned int	n;
	unsigned int	cap;
	size_t		used;
	uint32_t	archive_id;
};

static size_t hal_header_size(void)
{
	return sizeof(struct hsm_action_list) + round8(strlen(D.fsname) + 1);
}

static size_t hai_slot(const struct lsim_rec *r)
{
	return round8(sizeof(struct hsm_action_item) + r->datalen);
}

/* Build "kuc_hdr + hal" for the given records. */
static char *build_hal(uint32_t archive_id, struct lsim_rec **recs,
		       unsigned int n, size_t *lenp)
{
	struct kuc_hdr *kuch;
	struct hsm_action_list *hal;
	struct hsm_action_item *hai;
	size_t len = sizeof(*kuch) + hal_header_size();
	unsigned int i;
	char *buf;

	for (i = 0; i < n; i++)
		len += hai_slot(recs[i]);
	buf = calloc(1, len);
	if (buf == NULL)
		return NULL;
	kuch = (struct kuc_hdr *)buf;
	kuch->kuc_magic = KUC_MAGIC;
	kuch->kuc_transport = KUC_TRANSPORT_HSM;
	kuch->kuc_msgtype = HMT_ACTION_LIST;
	kuch->kuc_msglen = (__u16)len;
	hal = (struct hsm_action_list *)(kuch + 1);
	hal->hal_version = HAL_VERSION;
	hal->hal_count = n;
	hal->hal_compound_id = 0;
	hal->hal_flags = n > 0 ? recs[n - 1]->flags : 0;
	hal->hal_archive_id = archive_id;
	strcpy(hal->hal_fsname, D.fsname);
	hai = hai_first(hal);
	for (i = 0; i < n; i++) {
		struct lsim_rec *r = recs[i];

		hai->hai_len = (__u32)(sizeof(*hai) + r->datalen);
		hai->hai_action = r->action;
		hai->hai_fid = r->fid;
		hai->hai_dfid = r->dfid;
		hai->hai_extent = r->extent;
		hai->hai_cookie = r->cookie;
		hai->hai_gid = r->gid;
		if (r->datalen > 0)
			memcpy(hai->hai_data, r->data, r->datalen);
		hai = hai_next(hai);
	}
	*lenp = len;
	return buf;
}

static void bucket_add(struct bucket *b, struct lsim_rec *r)
{
	if (b->n == b->cap) {
		unsigned int cap = b->cap ? b->cap * 2 : 8;
		struct lsim_rec **recs = realloc(b->recs, cap * sizeof(*recs));

		if (recs == NULL)
			return;
		b->recs = recs;
		b->cap = cap;
	}
	b->recs[b->n++] = r;
	b->used += hai_slot(r);
}

static void bucket_send(struct bucket *b)
{
	struct lsim_agent *agent = NULL;
	struct lsim_rec **sent;
	unsigned int nsent = 0;
	int64_t now = now_sec();
	unsigned int i;
	size_t len;
	char *msg;
	int rc;

	/* a cancel goes to the agent running the request it cancels */
	for (i = 0; i < b->n && agent == NULL; i++) {
		struct lsim_rec *t = b->recs[i]->target;

		if (b->recs[i]->action == HSMA_CANCEL && t != NULL &&
		    t->active != NULL)
			agent = agent_by_uuid(t->active->uuid);
	}
	if (agent == NULL)
		agent = best_agent(b->archive_id);
	if (agent == NULL) {
		lsim_log("no agent available for archive %u", b->archive_id);
		return;
	}

	sent = calloc(b->n, sizeof(*sent));
	if (sent == NULL)
		return;
	/* cancels first: only requests already running get marked */
	for (i = 0; i < b->n; i++) {
		struct lsim_rec *t = b->recs[i]->target;

		if (b->recs[i]->action == HSMA_CANCEL && t != NULL &&
		    t->active != NULL) {
			t->active->canceled = 1;
			if (!status_final(t->status))
				rec_set_status(t, ARS_CANCELED, now);
		}
	}
	for (i = 0; i < b->n; i++) {
		struct lsim_rec *r = b->recs[i];
		struct lsim_file *f;

		if (r->action == HSMA_CANCEL) {
			sent[nsent++] = r;
			continue;
		}
		f = mdt_lookup(&r->fid);
		if ((f == NULL && r->action != HSMA_REMOVE) ||
		    (f != NULL && !action_compatible(r->action, r->archive_id,
						     f))) {
			lsim_log("cookie %#llx: %s of " DFID
				 " no longer possible, failed",
				 (unsigned long long)r->cookie,
				 hsm_copytool_action2name(r->action),
				 PFID(&r->fid));
			rec_set_status(r, ARS_FAILED, now);
			continue;
		}
		if (r->action == HSMA_ARCHIVE) {
			f->hsm_flags |= HS_EXISTS;
			f->archive_id = r->archive_id;
			mdt_file_save(f);
		}
		if (active_add(r, agent) == NULL)
			continue;
		sent[nsent++] = r;
	}
	if (nsent == 0) {
		free(sent);
		return;
	}

	msg = build_hal(b->archive_id, sent, nsent, &len);
	rc = msg != NULL ? agent_send(agent, msg, len) : -ENOMEM;
	free(msg);
	for (i = 0; i < nsent; i++) {
		struct lsim_rec *r = sent[i];

		if (rc == 0)
			rec_set_status(r, ARS_STARTED, now);
		else if (r->active != NULL)
			active_remove(r->active);
	}
	if (rc == -EPIPE)
		agent_unregister(agent, "no live copytool");
	free(sent);
}

static void dispatch(int housekeeping)
{
	struct bucket *buckets;
	unsigned int nb = 0;
	unsigned int maxb = (unsigned int)D.max_requests;
	int action_count = 0;
	int one_restore = 0;
	struct list_head *pos;
	size_t hdr = hal_header_size();
	unsigned int i;

	if (list_empty(&D.agents) || list_empty(&D.waiting))
		return;
	buckets = calloc(maxb, sizeof(*buckets));
	if (buckets == NULL)
		return;

	list_for_each(pos, &D.waiting) {
		struct lsim_rec *r = list_entry(pos, struct lsim_rec, state);
		struct bucket *b = NULL;
		size_t size = hai_slot(r);
		int forcing;

		if (D.active_count >= D.max_requests)
			break;
		forcing = action_count + D.active_count >= D.max_requests;
		if (forcing && (r->action != HSMA_RESTORE || one_restore)) {
			if (housekeeping)
				continue;
			break;
		}

		for (i = 0; i < nb; i++) {
			if (buckets[i].archive_id == r->archive_id &&
			    buckets[i].used + size <= HAL_SEND_MAX) {
				b = &buckets[i];
				break;
			}
		}
		if (forcing) {
			/* make room for one restore */
			if (b == NULL) {
				for (i = nb; i-- > 0;) {
					if (buckets[i].archive_id ==
					    r->archive_id) {
						b = &buckets[i];
						break;
					}
				}
			}
			if (b != NULL) {
				do {
					b->n--;
					b->used -= hai_slot(b->recs[b->n]);
					action_count--;
				} while (b->n > 0 &&
					 b->used + size > HAL_SEND_MAX);
			} else if (housekeeping && nb > 0) {
				nb--;
				action_count -= (int)buckets[nb].n;
				buckets[nb].n = 0;
				buckets[nb].used = 0;
			} else {
				break;
			}
		}
		if (b == NULL) {
			if (nb == maxb)
				break;
			b = &buckets[nb++];
			b->archive_id = r->archive_id;
			b->n = 0;
			b->used = hdr;
		}
		bucket_add(b, r);
		action_count++;
		if (r->action == HSMA_RESTORE)
			one_restore = 1;
	}

	for (i = 0; i < nb; i++) {
		if (D.active_count >= D.max_requests)
			break;
		if (buckets[i].n > 0)
			bucket_send(&buckets[i]);
	}
	for (i = 0; i < maxb; i++)
		free(buckets[i].recs);
	free(buckets);
}

/* Completion --------------------------------------------------------------- */

static void complete_cancels(struct lsim_rec *r, uint32_t status, int64_t now)
{
	struct list_head *pos, *tmp;

	list_for_each_safe(pos, tmp, &r->cancels) {
		struct lsim_rec *c = list_entry(pos, struct lsim_rec,
						cancel_link);

		if (!status_final(c->status))
			rec_set_status(c, status, now);
	}
}

static int complete(struct lsim_rec *r, struct lsim_active *act,
		    const struct hsm_progress_kernel *pgs, int volfd)
{
	struct lsim_file *f = mdt_lookup(&r->fid);
	struct lsim_agent *agent = agent_by_uuid(act->uuid);
	uint32_t errval = pgs->hpk_errval;
	int64_t now = now_sec();
	uint32_t status;
	int rc = 0;

	if (errval != 0) {
		switch (errval) {
		case ENOSYS:
			status = ARS_FAILED;
			break;
		case ECANCELED:
			status = ARS_SUCCEED;
			break;
		default:
			status = (pgs->hpk_flags & HP_FLAG_RETRY) &&
				 !(D.policy & CDT_NORETRY_ACTION) &&
				 f != NULL ? ARS_WAITING : ARS_FAILED;
			break;
		}
		if (status == ARS_FAILED && r->action == HSMA_ARCHIVE &&
		    f != NULL && errval != EALREADY &&
		    (f->hsm_flags & HS_ARCHIVED) &&
		    !(f->hsm_flags & HS_DIRTY)) {
			f->hsm_flags |= HS_DIRTY;
			mdt_file_save(f);
		}
	} else {
		status = ARS_SUCCEED;
		switch (r->action) {
		case HSMA_ARCHIVE:
			if (f != NULL) {
				f->hsm_flags |= HS_ARCHIVED;
				f->hsm_flags &= ~(HS_DIRTY | HS_LOST);
				f->archive_dv = pgs->hpk_data_version;
				mdt_file_save(f);
			}
			break;
		case HSMA_RESTORE:
			rc = f != NULL ? mdt_restore_swap(f, volfd) : -ENOENT;
			if (rc < 0) {
				lsim_log("cookie %#llx: restore of " DFID
					 " failed: %s",
					 (unsigned long long)r->cookie,
					 PFID(&r->fid), strerror(-rc));
				status = ARS_FAILED;
				break;
			}
			f->hsm_flags &= ~(HS_RELEASED | HS_DIRTY);
			f->archive_dv = f->dv;
			mdt_file_save(f);
			break;
		case HSMA_REMOVE:
			if (f != NULL) {
				f->hsm_flags &= ~(HS_ARCHIVED | HS_EXISTS |
						  HS_LOST);
				mdt_file_save(f);
			}
			break;
		default:
			break;
		}
	}

	if (act->canceled) {
		/* the request itself stays CANCELED */
		complete_cancels(r, status == ARS_SUCCEED ? ARS_SUCCEED :
				 ARS_FAILED, now);
	} else {
		rec_set_status(r, status, now);
		if (status != ARS_WAITING)
			complete_cancels(r, status, now);
	}
	if (agent != NULL) {
		if (status == ARS_SUCCEED)
			agent->ok++;
		else if (status == ARS_FAILED)
			agent->errors++;
	}
	if (r->action == HSMA_RESTORE && !lu_fid_eq(&act->dfid, &r->fid))
		mdt_volatile_drop(&act->dfid);
	active_remove(act);
	D.cdt_event = 1;
	return rc;
}

int cdt_progress(const struct lsim_cred *cred,
		 const struct hsm_progress_kernel *pgs, int volfd)
{
	struct lsim_active *act;
	struct lsim_rec *r;

	if (!cred_is_admin(cred))
		return -EPERM;
	if (!cdt_coordinator_running())
		return -EAGAIN;
	r = rec_by_cookie(pgs->hpk_cookie);
	act = r != NULL ? r->active : NULL;
	if (act == NULL)
		return -ENOENT;

	if (r->action == HSMA_ARCHIVE || r->action == HSMA_RESTORE) {
		if (r->action == HSMA_RESTORE &&
		    lu_fid_eq(&act->dfid, &r->fid) &&
		    !lu_fid_eq(&pgs->hpk_fid, &r->fid))
			act->dfid = pgs->hpk_fid;	/* the volatile */
		if (!lu_fid_eq(&pgs->hpk_fid, &r->fid) &&
		    !lu_fid_eq(&pgs->hpk_fid, &act->dfid))
			return -EINVAL;
	}
	if (pgs->hpk_errval != 0 && !(pgs->hpk_flags & HP_FLAG_COMPLETED))
		return -EINVAL;

	act->last_update = now_sec();
	if (r->action != HSMA_REMOVE)
		active_add_extent(act, &pgs->hpk_extent);
	if (pgs->hpk_flags & HP_FLAG_COMPLETED)
		return complete(r, act, pgs, volfd);
	if (act->canceled)
		return -ECANCELED;
	return 0;
}

int cdt_current_action(struct lsim_file *f, struct hsm_current_action *hca)
{
	struct lsim_rec *r;

	memset(hca, 0, sizeof(*hca));
	hca->hca_state = HPS_NONE;
	hca->hca_action = HUA_NONE;
	if (list_empty(&f->pending))
		return 0;
	r = list_entry(f->pending.next, struct lsim_rec, pending);
	hca->hca_state = r->status == ARS_WAITING ? HPS_WAITING :
			 r->status == ARS_STARTED ? HPS_RUNNING : HPS_NONE;
	hca->hca_action = hsma2hua(r->action);
	hca->hca_location = r->extent;
	if (r->status == ARS_STARTED && r->active != NULL)
		hca->hca_location.length = active_done(r->active);
	return 0;
}

/* Housekeeping --------------------------------------------------------------- */

static void expire_started(int64_t now)
{
	struct list_head *pos, *tmp;

	list_for_each_safe(pos, tmp, &D.started) {
		struct lsim_rec *r = list_entry(pos, struct lsim_rec, state);
		int64_t last = r->active != NULL ? r->active->last_update :
			       r->change;

		if (now <= last + D.active_request_timeout)
			continue;
		lsim_log("cookie %#llx: %s of " DFID " timed out, canceled",
			 (unsigned long long)r->cookie,
			 hsm_copytool_action2name(r->action), PFID(&r->fid));
		if (r->active != NULL) {
			struct lsim_agent *a = agent_by_uuid(r->active->uuid);

			if (a != NULL)
				a->errors++;
			if (r->action == HSMA_RESTORE &&
			    !lu_fid_eq(&r->active->dfid, &r->fid))
				mdt_volatile_drop(&r->active->dfid);
			active_remove(r->active);
		}
		rec_set_status(r, ARS_CANCELED, now);
		D.cdt_event = 1;
	}

	/* requests cancelled while running that the copytool never ended */
	list_for_each_safe(pos, tmp, &D.active) {
		struct lsim_active *act = list_entry(pos, struct lsim_active,
						     list);

		if (act->canceled &&
		    now > act->last_update + D.active_request_timeout) {
			struct lsim_agent *a = agent_by_uuid(act->uuid);

			if (a != NULL)
				a->errors++;
			active_remove(act);
			D.cdt_event = 1;
		}
	}
}

static void purge_final(int64_t now)
{
	while (!list_empty(&D.final)) {
		struct lsim_rec *r = list_entry(D.final.next, struct lsim_rec,
						state);

		if (r->change + D.grace_delay >= now)
			break;
		rec_delete(r, 1);
	}
}

void cdt_scan(int housekeeping)
{
	int64_t now = now_sec();

	if (D.cdt_state != CDT_RUNNING)
		return;
	if (housekeeping) {
		expire_started(now);
		purge_final(now);
		mdt_volatile_expire(now, D.active_request_timeout > 3600 ?
				    2 * D.active_request_timeout : 7200);
	}
	D.cdt_event = 0;
	dispatch(housekeeping);
}

/* Called once a second and after every batch of events. */
void cdt_tick(void)
{
	int64_t now = now_sec();

	if (D.cdt_state != CDT_RUNNING)
		return;
	if (D.last_housekeeping + D.loop_period <= now) {
		D.last_housekeeping = now;
		cdt_scan(1);
	} else {
		cdt_scan(0);
	}
}

/* Coordinator control ------------------------------------------------------- */

/* Start: restores left running by a previous incarnation are re-queued. */
static void cdt_start(void)
{
	struct list_head *pos, *tmp;
	int64_t now = now_sec();

	list_for_each_safe(pos, tmp, &D.started) {
		struct lsim_rec *r = list_entry(pos, struct lsim_rec, state);

		if (r->action == HSMA_RESTORE && r->active == NULL)
			rec_set_status(r, ARS_WAITING, now);
	}
	D.cdt_state = CDT_RUNNING;
	D.cdt_event = 1;
	D.last_housekeeping = 0;
}

static void cdt_stop(void)
{
	struct list_head *pos, *tmp;

	while (!list_empty(&D.active))
		active_remove(list_entry(D.active.next, struct lsim_active,
					 list));
	/* the MDT forgets its agents; the clients keep their pipes */
	list_for_each_safe(pos, tmp, &D.agents) {
		struct lsim_agent *a = list_entry(pos, struct lsim_agent, list);

		list_del(&a->list);
		a->current = 0;
		list_add_tail(&a->list, &detached);
	}
	D.cdt_state = CDT_STOPPED;
}

static void cdt_purge(void)
{
	int prev = D.cdt_state;
	int64_t now = now_sec();
	struct list_head *pos, *tmp;

	D.cdt_state = CDT_DISABLE;
	list_for_each_safe(pos, tmp, &D.active) {
		struct lsim_active *act = list_entry(pos, struct lsim_active,
						     list);
		struct lsim_agent *a = agent_by_uuid(act->uuid);
		struct lsim_rec cancel = *act->rec;
		struct lsim_rec *one = &cancel;
		size_t len;
		char *msg;

		act->canceled = 1;
		if (a == NULL)
			continue;
		cancel.action = HSMA_CANCEL;
		cancel.datalen = 0;
		cancel.data = NULL;
		msg = build_hal(cancel.archive_id, &one, 1, &len);
		if (msg != NULL && agent_send(a, msg, len) == -EPIPE)
			agent_unregister(a, "no live copytool");
		free(msg);
	}
	list_for_each_safe(pos, tmp, &D.waiting)
		rec_set_status(list_entry(pos, struct lsim_rec, state),
			       ARS_CANCELED, now);
	list_for_each_safe(pos, tmp, &D.started)
		rec_set_status(list_entry(pos, struct lsim_rec, state),
			       ARS_CANCELED, now);
	D.cdt_state = prev;
}

void cdt_init(void)
{
	ht_init(&D.cookie_ht);
	ht_init(&D.lid_ht);
	list_init(&D.log);
	list_init(&D.waiting);
	list_init(&D.started);
	list_init(&D.final);
	list_init(&D.active);
	list_init(&D.agents);
	D.max_requests = 3;
	D.loop_period = 10;
	D.grace_delay = 60;
	D.active_request_timeout = 3600;
	D.default_archive_id = 1;
	D.remove_archive_on_last_unlink = 0;
	D.policy = CDT_NORETRY_ACTION;
	D.user_request_mask = 1u << HSMA_RESTORE;
	D.group_request_mask = 1u << HSMA_RESTORE;
	D.other_request_mask = 1u << HSMA_RESTORE;
	D.cdt_state = CDT_STOPPED;
}

static int cmp_change(const void *a, const void *b)
{
	const struct lsim_rec *x = *(struct lsim_rec *const *)a;
	const struct lsim_rec *y = *(struct lsim_rec *const *)b;

	if (x->change != y->change)
		return x->change < y->change ? -1 : 1;
	return x->lid < y->lid ? -1 : x->lid > y->lid;
}

/* After the journal is read: order, cookie seed, then start running. */
void cdt_after_load(void)
{
	struct list_head *pos;
	struct lsim_rec **v;
	size_t n = 0, i;

	list_for_each(pos, &D.final)
		n++;
	v = n > 0 ? malloc(n * sizeof(*v)) : NULL;
	if (v != NULL) {
		i = 0;
		list_for_each(pos, &D.final)
			v[i++] = list_entry(pos, struct lsim_rec, state);
		qsort(v, n, sizeof(*v), cmp_change);
		list_init(&D.final);
		for (i = 0; i < n; i++)
			list_add_tail(&v[i]->state, &D.final);
		free(v);
	}
	if (D.nrecs == 0)
		D.cookie = (uint64_t)now_sec();
	cdt_start();
}

/* Tunables ----------------------------------------------------------------- */

static const char *const cdt_state_names[] = {
	[CDT_STOPPED] = "stopped",
	[CDT_INIT] = "init",
	[CDT_RUNNING] = "enabled",
	[CDT_DISABLE] = "disabled",
	[CDT_STOPPING] = "stopping",
};

static const char *const action_names[] = {
	[HSMA_NONE] = "NOOP",
	[HSMA_ARCHIVE] = "ARCHIVE",
	[HSMA_RESTORE] = "RESTORE",
	[HSMA_REMOVE] = "REMOVE",
	[HSMA_CANCEL] = "CANCEL",
};

static void format_mask(uint32_t mask, char *buf, size_t size)
{
	size_t len = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < sizeof(action_names) / sizeof(action_names[0]); i++) {
		if (action_names[i] == NULL || !(mask & (1u << i)))
			continue;
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
					len ? " " : "", action_names[i]);
		if (len >= size)
			break;
	}
}

static int parse_mask(const char *value, uint32_t *mask)
{
	char *copy = strdup(value);
	char *tok, *save = NULL;
	uint32_t m = 0;

	if (copy == NULL)
		return -ENOMEM;
	for (tok = strtok_r(copy, " \t\n,", &save); tok != NULL;
	     tok = strtok_r(NULL, " \t\n,", &save)) {
		unsigned int i;
		int found = 0;

		for (i = 0; i < sizeof(action_names) / sizeof(action_names[0]);
		     i++) {
			if (action_names[i] != NULL &&
			    strcasecmp(tok, action_names[i]) == 0) {
				m |= 1u << i;
				found = 1;
			}
		}
		if (!found) {
			free(copy);
			return -EINVAL;
		}
	}
	free(copy);
	*mask = m;
	return 0;
}

static void format_policy(char *buf, size_t size)
{
	snprintf(buf, size, "%s %s",
		 (D.policy & CDT_NONBLOCKING_RESTORE) ? "[NonBlockingRestore]" :
		 "NonBlockingRestore",
		 (D.policy & CDT_NORETRY_ACTION) ? "[NoRetryAction]" :
		 "NoRetryAction");
}

static int parse_policy(const char *value)
{
	char *copy = strdup(value);
	char *tok, *save = NULL;
	uint32_t set = 0, add = 0, del = 0;
	int any_set = 0;

	if (copy == NULL)
		return -ENOMEM;
	for (tok = strtok_r(copy, " \t\n", &save); tok != NULL;
	     tok = strtok_r(NULL, " \t\n", &save)) {
		char sign = 0;
		uint32_t bit;

		if (*tok == '+' || *tok == '-')
			sign = *tok++;
		if (strcasecmp(tok, "NonBlockingRestore") == 0 ||
		    strcasecmp(tok, "NBR") == 0)
			bit = CDT_NONBLOCKING_RESTORE;
		else if (strcasecmp(tok, "NoRetryAction") == 0 ||
			 strcasecmp(tok, "NRA") == 0)
			bit = CDT_NORETRY_ACTION;
		else {
			free(copy);
			return -EINVAL;
		}
		if (sign == '+')
			add |= bit;
		else if (sign == '-')
			del |= bit;
		else {
			set |= bit;
			any_set = 1;
		}
	}
	free(copy);
	if (any_set)
		D.policy = set;
	else
		D.policy = (D.policy | add) & ~del;
	return 0;
}

int cdt_get_param(const char *name, char *buf, size_t size)
{
	if (strcmp(name, "max_requests") == 0)
		snprintf(buf, size, "%d", D.max_requests);
	else if (strcmp(name, "loop_period") == 0)
		snprintf(buf, size, "%lld", (long long)D.loop_period);
	else if (strcmp(name, "grace_delay") == 0)
		snprintf(buf, size, "%lld", (long long)D.grace_delay);
	else if (strcmp(name, "active_request_timeout") == 0)
		snprintf(buf, size, "%lld",
			 (long long)D.active_request_timeout);
	else if (strcmp(name, "default_archive_id") == 0)
		snprintf(buf, size, "%u", D.default_archive_id);
	else if (strcmp(name, "remove_archive_on_last_unlink") == 0)
		snprintf(buf, size, "%d", D.remove_archive_on_last_unlink);
	else if (strcmp(name, "policy") == 0)
		format_policy(buf, size);
	else if (strcmp(name, "user_request_mask") == 0)
		format_mask(D.user_request_mask, buf, size);
	else if (strcmp(name, "group_request_mask") == 0)
		format_mask(D.group_request_mask, buf, size);
	else if (strcmp(name, "other_request_mask") == 0)
		format_mask(D.other_request_mask, buf, size);
	else if (strcmp(name, "hsm_control") == 0)
		snprintf(buf, size, "%s", cdt_state_names[D.cdt_state]);
	else if (strcmp(name, "archive_count") == 0)
		snprintf(buf, size, "%d", D.archive_count);
	else if (strcmp(name, "restore_count") == 0)
		snprintf(buf, size, "%d", D.restore_count);
	else if (strcmp(name, "remove_count") == 0)
		snprintf(buf, size, "%d", D.remove_count);
	else
		return -ENOENT;
	return 0;
}

static const char *const param_names[] = {
	"active_request_timeout", "archive_count", "default_archive_id",
	"grace_delay", "group_request_mask", "hsm_control", "loop_period",
	"max_requests", "other_request_mask", "policy",
	"remove_archive_on_last_unlink", "remove_count", "restore_count",
	"user_request_mask",
};

void cdt_list_params(FILE *out)
{
	char buf[256];
	size_t i;

	for (i = 0; i < sizeof(param_names) / sizeof(param_names[0]); i++) {
		if (cdt_get_param(param_names[i], buf, sizeof(buf)) == 0)
			fprintf(out, "%s=%s\n", param_names[i], buf);
	}
}

static int parse_positive(const char *value, long long max, long long *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(value, &end, 0);
	while (isspace((unsigned char)*end))
		end++;
	if (errno != 0 || end == value || *end != '\0' || v <= 0 || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

int cdt_set_param(const char *name, const char *value, char *err,
		  size_t errsize)
{
	long long v;
	int rc;

	err[0] = '\0';
	if (strcmp(name, "max_requests") == 0 ||
	    strcmp(name, "loop_period") == 0 ||
	    strcmp(name, "grace_delay") == 0 ||
	    strcmp(name, "active_request_timeout") == 0 ||
	    strcmp(name, "default_archive_id") == 0) {
		long long max = strcmp(name, "max_requests") == 0 ? 1000000 :
				strcmp(name, "default_archive_id") == 0 ?
				UINT32_MAX : INT32_MAX;

		if (parse_positive(value, max, &v) < 0) {
			snprintf(err, errsize,
				 "%s must be an integer in 1..%lld", name, max);
			return -EINVAL;
		}
		if (strcmp(name, "max_requests") == 0)
			D.max_requests = (int)v;
		else if (strcmp(name, "loop_period") == 0)
			D.loop_period = v;
		else if (strcmp(name, "grace_delay") == 0)
			D.grace_delay = v;
		else if (strcmp(name, "active_request_timeout") == 0)
			D.active_request_timeout = v;
		else
			D.default_archive_id = (uint32_t)v;
		D.cdt_event = 1;
		return 0;
	}
	if (strcmp(name, "remove_archive_on_last_unlink") == 0) {
		if (strcmp(value, "0") == 0 || strcasecmp(value, "n") == 0 ||
		    strcasecmp(value, "no") == 0 ||
		    strcasecmp(value, "off") == 0) {
			D.remove_archive_on_last_unlink = 0;
		} else if (strcmp(value, "1") == 0 ||
			   strcasecmp(value, "y") == 0 ||
			   strcasecmp(value, "yes") == 0 ||
			   strcasecmp(value, "on") == 0) {
			D.remove_archive_on_last_unlink = 1;
		} else {
			snprintf(err, errsize, "%s must be 0 or 1", name);
			return -EINVAL;
		}
		return 0;
	}
	if (strcmp(name, "policy") == 0) {
		rc = parse_policy(value);
		if (rc < 0)
			snprintf(err, errsize,
				 "policy: unknown name in '%s' (valid: NonBlockingRestore/NBR, NoRetryAction/NRA, optionally prefixed by + or -)",
				 value);
		return rc;
	}
	if (strcmp(name, "user_request_mask") == 0 ||
	    strcmp(name, "group_request_mask") == 0 ||
	    strcmp(name, "other_request_mask") == 0) {
		uint32_t mask;

		rc = parse_mask(value, &mask);
		if (rc < 0) {
			snprintf(err, errsize,
				 "%s: unknown action in '%s' (valid: NOOP ARCHIVE RESTORE REMOVE CANCEL)",
				 name, value);
			return rc;
		}
		if (name[0] == 'u')
			D.user_request_mask = mask;
		else if (name[0] == 'g')
			D.group_request_mask = mask;
		else
			D.other_request_mask = mask;
		return 0;
	}
	if (strcmp(name, "hsm_control") == 0) {
		if (strcmp(value, "enabled") == 0) {
			if (D.cdt_state == CDT_STOPPED)
				cdt_start();
			else
				D.cdt_state = CDT_RUNNING;
			D.cdt_event = 1;
			return 0;
		}
		if (strcmp(value, "disabled") == 0) {
			if (!cdt_coordinator_running()) {
				snprintf(err, errsize,
					 "hsm_control: coordinator is stopped");
				return -EINVAL;
			}
			D.cdt_state = CDT_DISABLE;
			return 0;
		}
		if (strcmp(value, "shutdown") == 0) {
			if (cdt_coordinator_running())
				cdt_stop();
			return 0;
		}
		if (strcmp(value, "purge") == 0) {
			if (!cdt_coordinator_running()) {
				snprintf(err, errsize,
					 "hsm_control: coordinator is stopped");
				return -EINVAL;
			}
			cdt_purge();
			return 0;
		}
		snprintf(err, errsize,
			 "hsm_control: valid commands are: enabled shutdown disabled purge");
		return -EINVAL;
	}
	if (cdt_get_param(name, err, errsize) == 0) {
		snprintf(err, errsize, "%s is read-only", name);
		return -EPERM;
	}
	snprintf(err, errsize, "unknown parameter '%s'", name);
	return -ENOENT;
}

/* Listings ------------------------------------------------------------------ */

void cdt_list_agents(FILE *out)
{
	struct list_head *pos;

	list_for_each(pos, &D.agents) {
		struct lsim_agent *a = list_entry(pos, struct lsim_agent, list);
		uint32_t i;

		fprintf(out, "uuid=%s archive_id=", a->uuid);
		if (a->narchives == 0)
			fprintf(out, "ANY");
		for (i = 0; i < a->narchives; i++)
			fprintf(out, "%s%u", i ? "," : "", a->archives[i]);
		fprintf(out, " requests=[current:%d ok:%d errors:%d]\n",
			a->current, a->ok, a->errors);
	}
}

/* hai_dump_data_field of a record (at most 5 bytes, as the MDT shows). */
static void dump_data(const struct lsim_rec *r, char *buf, size_t len)
{
	uint32_t i;
	char *p = buf;

	for (i = 0; i < r->datalen && len > 2; i++) {
		snprintf(p, 3, "%02X", (unsigned char)r->data[i]);
		p += 2;
		len -= 2;
	}
	*p = '\0';
}

void cdt_list_active(FILE *out)
{
	struct list_head *pos;

	list_for_each(pos, &D.active) {
		struct lsim_active *act = list_entry(pos, struct lsim_active,
						     list);
		const struct lsim_rec *r = act->rec;
		char data[12];

		dump_data(r, data, sizeof(data));
		fprintf(out, "fid=" DFID " dfid=" DFID
			" compound/cookie=%#llx/%#llx action=%s archive#=%d"
			" flags=%#llx extent=%#llx-%#llx gid=%#llx data=[%s]"
			" canceled=%d uuid=%s done=%llu\n",
			PFID(&r->fid), PFID(&act->dfid), 0ULL,
			(unsigned long long)r->cookie,
			hsm_copytool_action2name(r->action),
			(int)r->archive_id, (unsigned long long)r->flags,
			(unsigned long long)r->extent.offset,
			(unsigned long long)r->extent.length,
			(unsigned long long)r->gid, data, act->canceled,
			act->uuid, (unsigned long long)active_done(act));
	}
}

void cdt_list_actions(FILE *out)
{
	struct list_head *pos;

	list_for_each(pos, &D.log) {
		const struct lsim_rec *r = list_entry(pos, struct lsim_rec, log);
		char data[12];

		dump_data(r, data, sizeof(data));
		fprintf(out, "lrh=[type=%X len=%d idx=%d/%d] fid=" DFID
			" dfid=" DFID " compound/cookie=%#llx/%#llx action=%s"
			" archive#=%d flags=%#llx extent=%#llx-%#llx gid=%#llx"
			" datalen=%d status=%s data=[%s]\n",
			HSM_AGENT_REC,
			(int)round8(sizeof(struct llog_agent_req_rec) +
				    r->datalen),
			(int)(r->lid >> 32), (int)(uint32_t)r->lid,
			PFID(&r->fid), PFID(&r->dfid), 0ULL,
			(unsigned long long)r->cookie,
			hsm_copytool_action2name(r->action),
			(int)r->archive_id, (unsigned long long)r->flags,
			(unsigned long long)r->extent.offset,
			(unsigned long long)r->extent.length,
			(unsigned long long)r->gid, (int)r->datalen,
			agent_req_status2name(r->status), data);
	}
}

void cdt_status(FILE *out)
{
	struct list_head *pos;
	size_t waiting = 0, started = 0, agents = 0;

	list_for_each(pos, &D.waiting)
		waiting++;
	list_for_each(pos, &D.started)
		started++;
	list_for_each(pos, &D.agents)
		agents++;
	fprintf(out, "fsname=%s\nroot=%s\npid=%d\nhsm_control=%s\n"
		"agents=%zu\nactive_requests=%d\nwaiting=%zu\nstarted=%zu\n"
		"records=%llu\nobjects=%llu\n",
		D.fsname, D.root_path, (int)getpid(),
		cdt_state_names[D.cdt_state], agents, D.active_count, waiting,
		started, (unsigned long long)D.nrecs,
		(unsigned long long)D.nfiles);
}

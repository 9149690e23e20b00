/*
 * Persistence: an append-only journal <root>/.lustre/lsim/journal of small
 * checksummed records (object created / state changed / gone / renamed,
 * action record created / status changed / deleted). Records are buffered
 * and written before any reply leaves the daemon and at the end of every
 * event-loop iteration. On start the journal is replayed; a torn tail is
 * cut off. When it grows well past the size of the live state it is
 * rewritten as a snapshot (atomic rename).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "lsimd.h"
#include "../common/lsim_proto.h"

#define J_MAGIC		0x314a534cU	/* "LSJ1" */
#define J_NAME		"journal"
#define J_TMP_NAME	"journal.new"
#define J_FLUSH_AT	(1u << 20)
#define J_MAX_PAYLOAD	(1u << 20)

enum j_type {
	J_FILE = 1,	/* struct j_file + path */
	J_FSTATE,	/* struct j_fstate */
	J_FGONE,	/* struct lu_fid */
	J_PATH,		/* struct lu_fid + path */
	J_FIDHWM,	/* struct lu_fid: next FID to hand out */
	J_REC,		/* struct j_rec + data */
	J_RSTAT,	/* struct j_rstat */
	J_RDEL,		/* __u64 lid */
};

struct j_hdr {
	uint32_t magic;
	uint16_t type;
	uint16_t padding;
	uint32_t len;
	uint32_t csum;
} __attribute__((packed));

struct j_fstate {
	struct lu_fid	fid;
	uint32_t	hsm_flags;
	uint32_t	archive_id;
	uint64_t	dv;
	uint64_t	archive_dv;
	uint64_t	sig_size;
	int64_t		sig_mtime_sec;
	uint32_t	sig_mtime_nsec;
	uint32_t	padding;
} __attribute__((packed));

struct j_file {
	struct j_fstate	st;
	uint64_t	ino;
	int64_t		btime_sec;
	uint32_t	btime_nsec;
	uint32_t	type;
} __attribute__((packed));

struct j_rec {
	uint64_t	lid;
	uint64_t	cookie;
	uint32_t	status;
	uint32_t	action;
	uint32_t	archive_id;
	uint32_t	datalen;
	uint64_t	flags;
	struct lu_fid	fid;
	struct lu_fid	dfid;
	struct hsm_extent extent;
	uint64_t	gid;
	int64_t		create;
	int64_t		change;
} __attribute__((packed));

struct j_rstat {
	uint64_t	lid;
	uint32_t	status;
	uint32_t	padding;
	int64_t		change;
} __attribute__((packed));

static uint32_t fnv1a(uint32_t h, const void *p, size_t len)
{
	const unsigned char *c = p;

	while (len-- > 0) {
		h ^= *c++;
		h *= 16777619u;
	}
	return h;
}

static uint32_t j_csum(uint16_t type, const void *a, size_t alen,
		       const void *b, size_t blen)
{
	uint32_t h = fnv1a(2166136261u, &type, sizeof(type));

	h = fnv1a(h, a, alen);
	return blen > 0 ? fnv1a(h, b, blen) : h;
}

/* Where records go: the live journal buffer or a snapshot being written. */
static FILE *j_snapshot;

static void j_append(uint16_t type, const void *a, size_t alen,
		     const void *b, size_t blen)
{
	struct j_hdr h = {
		.magic = J_MAGIC,
		.type = type,
		.len = (uint32_t)(alen + blen),
		.csum = j_csum(type, a, alen, b, blen),
	};
	size_t need = sizeof(h) + alen + blen;

	if (j_snapshot != NULL) {
		fwrite(&h, sizeof(h), 1, j_snapshot);
		fwrite(a, alen, 1, j_snapshot);
		if (blen > 0)
			fwrite(b, blen, 1, j_snapshot);
		return;
	}
	if (D.jfd < 0)
		return;	/* replaying */
	if (D.jlen + need > D.jcap) {
		size_t cap = D.jcap ? D.jcap : 65536;
		char *buf;

		while (cap < D.jlen + need)
			cap *= 2;
		buf = realloc(D.jbuf, cap);
		if (buf == NULL) {
			lsim_log("journal: out of memory, record lost");
			return;
		}
		D.jbuf = buf;
		D.jcap = cap;
	}
	memcpy(D.jbuf + D.jlen, &h, sizeof(h));
	memcpy(D.jbuf + D.jlen + sizeof(h), a, alen);
	if (blen > 0)
		memcpy(D.jbuf + D.jlen + sizeof(h) + alen, b, blen);
	D.jlen += need;
	if (D.jlen >= J_FLUSH_AT)
		journal_flush();
}

int journal_flush(void)
{
	size_t off = 0;

	while (off < D.jlen) {
		ssize_t n = write(D.jfd, D.jbuf + off, D.jlen - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int rc = -errno;

			lsim_log("journal: write failed: %s", strerror(errno));
			memmove(D.jbuf, D.jbuf + off, D.jlen - off);
			D.jlen -= off;
			return rc;
		}
		off += (size_t)n;
		D.jsize += (uint64_t)n;
	}
	D.jlen = 0;
	return 0;
}

static void fstate_fill(struct j_fstate *s, const struct lsim_file *f)
{
	memset(s, 0, sizeof(*s));
	s->fid = f->fid;
	s->hsm_flags = f->hsm_flags;
	s->archive_id = f->archive_id;
	s->dv = f->dv;
	s->archive_dv = f->archive_dv;
	s->sig_size = f->sig_size;
	s->sig_mtime_sec = f->sig_mtime_sec;
	s->sig_mtime_nsec = f->sig_mtime_nsec;
}

void j_file(const struct lsim_file *f)
{
	struct j_file jf;
	size_t plen = f->path != NULL ? strlen(f->path) : 0;

	memset(&jf, 0, sizeof(jf));
	fstate_fill(&jf.st, f);
	jf.ino = f->ino;
	jf.btime_sec = f->btime_sec;
	jf.btime_nsec = f->btime_nsec;
	jf.type = f->type;
	j_append(J_FILE, &jf, sizeof(jf), f->path, plen);
}

void j_fstate(const struct lsim_file *f)
{
	struct j_fstate s;

	if (f->special || f->is_volatile)
		return;
	fstate_fill(&s, f);
	j_append(J_FSTATE, &s, sizeof(s), NULL, 0);
}

void j_fgone(const struct lsim_file *f)
{
	j_append(J_FGONE, &f->fid, sizeof(f->fid), NULL, 0);
}

void j_path(const struct lsim_file *f)
{
	if (f->special || f->is_volatile || f->path == NULL)
		return;
	j_append(J_PATH, &f->fid, sizeof(f->fid), f->path, strlen(f->path));
}

void j_fidhwm(void)
{
	j_append(J_FIDHWM, &D.next_fid, sizeof(D.next_fid), NULL, 0);
}

void j_rec(const struct lsim_rec *r)
{
	struct j_rec jr;

	memset(&jr, 0, sizeof(jr));
	jr.lid = r->lid;
	jr.cookie = r->cookie;
	jr.status = r->status;
	jr.action = r->action;
	jr.archive_id = r->archive_id;
	jr.datalen = r->datalen;
	jr.flags = r->flags;
	jr.fid = r->fid;
	jr.dfid = r->dfid;
	jr.extent = r->extent;
	jr.gid = r->gid;
	jr.create = r->create;
	jr.change = r->change;
	j_append(J_REC, &jr, sizeof(jr), r->data, r->datalen);
}

void j_rstat(const struct lsim_rec *r)
{
	struct j_rstat s = {
		.lid = r->lid,
		.status = r->status,
		.change = r->change,
	};

	j_append(J_RSTAT, &s, sizeof(s), NULL, 0);
}

void j_rdel(const struct lsim_rec *r)
{
	j_append(J_RDEL, &r->lid, sizeof(r->lid), NULL, 0);
}

/* Replay ------------------------------------------------------------------- */

static int fid_after(const struct lu_fid *a, const struct lu_fid *b)
{
	return a->f_seq > b->f_seq ||
	       (a->f_seq == b->f_seq && a->f_oid > b->f_oid);
}

static void bump_next_fid(const struct lu_fid *fid)
{
	if (fid->f_seq < LSIM_FIRST_SEQ || fid->f_seq >= FID_SEQ_NORMAL + (1ULL << 32))
		return;
	if (!fid_after(&D.next_fid, fid)) {
		D.next_fid = *fid;
		D.next_fid.f_oid++;
		if (D.next_fid.f_oid > LSIM_SEQ_WIDTH) {
			D.next_fid.f_seq++;
			D.next_fid.f_oid = 1;
		}
	}
}

static char *dup_path(const char *p, size_t len)
{
	char *s = malloc(len + 1);

	if (s != NULL) {
		memcpy(s, p, len);
		s[len] = '\0';
	}
	return s;
}

static int apply_fstate(struct lsim_file *f, const struct j_fstate *s)
{
	f->hsm_flags = s->hsm_flags;
	f->archive_id = s->archive_id;
	f->dv = s->dv;
	f->archive_dv = s->archive_dv;
	f->sig_size = s->sig_size;
	f->sig_mtime_sec = s->sig_mtime_sec;
	f->sig_mtime_nsec = s->sig_mtime_nsec;
	return 0;
}

static int apply(uint16_t type, const char *p, uint32_t len)
{
	struct lsim_file *f;
	struct lsim_rec *r;

	switch (type) {
	case J_FILE: {
		struct j_file jf;

		if (len < sizeof(jf))
			return -EPROTO;
		memcpy(&jf, p, sizeof(jf));
		f = mdt_load_file(&jf.st.fid, jf.ino, jf.type, jf.btime_sec,
				  jf.btime_nsec,
				  dup_path(p + sizeof(jf), len - sizeof(jf)));
		if (f == NULL)
			return -ENOMEM;
		apply_fstate(f, &jf.st);
		bump_next_fid(&jf.st.fid);
		return 0;
	}
	case J_FSTATE: {
		struct j_fstate s;

		if (len != sizeof(s))
			return -EPROTO;
		memcpy(&s, p, sizeof(s));
		f = mdt_file_by_fid(&s.fid);
		if (f != NULL)
			apply_fstate(f, &s);
		return 0;
	}
	case J_FGONE: {
		struct lu_fid fid;

		if (len != sizeof(fid))
			return -EPROTO;
		memcpy(&fid, p, sizeof(fid));
		f = mdt_file_by_fid(&fid);
		if (f != NULL)
			mdt_load_gone(f);
		return 0;
	}
	case J_PATH: {
		struct lu_fid fid;

		if (len < sizeof(fid))
			return -EPROTO;
		memcpy(&fid, p, sizeof(fid));
		f = mdt_file_by_fid(&fid);
		if (f != NULL) {
			free(f->path);
			f->path = dup_path(p + sizeof(fid), len - sizeof(fid));
		}
		return 0;
	}
	case J_FIDHWM: {
		struct lu_fid fid;

		if (len != sizeof(fid))
			return -EPROTO;
		memcpy(&fid, p, sizeof(fid));
		if (fid_after(&fid, &D.next_fid))
			D.next_fid = fid;
		return 0;
	}
	case J_REC: {
		struct j_rec jr;

		if (len < sizeof(jr))
			return -EPROTO;
		memcpy(&jr, p, sizeof(jr));
		if (jr.datalen != len - sizeof(jr) || rec_by_lid(jr.lid))
			return -EPROTO;
		r = rec_alloc(jr.datalen);
		if (r == NULL)
			return -ENOMEM;
		r->lid = jr.lid;
		r->cookie = jr.cookie;
		r->status = jr.status;
		r->action = jr.action;
		r->archive_id = jr.archive_id;
		r->flags = jr.flags;
		r->fid = jr.fid;
		r->dfid = jr.dfid;
		r->extent = jr.extent;
		r->gid = jr.gid;
		r->create = jr.create;
		r->change = jr.change;
		if (jr.datalen > 0)
			memcpy(r->data, p + sizeof(jr), jr.datalen);
		rec_insert_loaded(r);
		return 0;
	}
	case J_RSTAT: {
		struct j_rstat s;

		if (len != sizeof(s))
			return -EPROTO;
		memcpy(&s, p, sizeof(s));
		r = rec_by_lid(s.lid);
		if (r != NULL)
			rec_set_status_loaded(r, s.status, s.change);
		return 0;
	}
	case J_RDEL: {
		uint64_t lid;

		if (len != sizeof(lid))
			return -EPROTO;
		memcpy(&lid, p, sizeof(lid));
		r = rec_by_lid(lid);
		if (r != NULL)
			rec_delete(r, 0);
		return 0;
	}
	default:
		return -EPROTO;
	}
}

static int write_snapshot(void);

/* Estimate of the size of a freshly written snapshot. */
static uint64_t live_size(void)
{
	return D.nfiles * (sizeof(struct j_hdr) + sizeof(struct j_file) + 48) +
	       D.nrecs * (sizeof(struct j_hdr) + sizeof(struct j_rec) + 16);
}

int journal_load(void)
{
	size_t cap = 4u << 20;
	char *buf = malloc(cap);
	size_t have = 0, pos = 0;
	uint64_t good = 0;
	int eof = 0;
	int fd;

	D.jfd = -1;
	if (buf == NULL)
		return -ENOMEM;
	fd = openat(D.privfd, J_NAME, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		free(buf);
		return -errno;
	}

	for (;;) {
		size_t avail = have - pos;
		struct j_hdr h;
		ssize_t n;

		if (avail >= sizeof(h)) {
			memcpy(&h, buf + pos, sizeof(h));
			if (h.magic != J_MAGIC || h.len > J_MAX_PAYLOAD) {
				lsim_log("journal: bad record at offset %llu, "
					 "discarding the rest",
					 (unsigned long long)good);
				break;
			}
			if (avail >= sizeof(h) + h.len) {
				const char *p = buf + pos + sizeof(h);

				if (h.csum != j_csum(h.type, p, h.len, NULL, 0) ||
				    apply(h.type, p, h.len) < 0) {
					lsim_log("journal: bad record at offset "
						 "%llu, discarding the rest",
						 (unsigned long long)good);
					break;
				}
				pos += sizeof(h) + h.len;
				good += sizeof(h) + h.len;
				continue;
			}
		}
		if (eof) {
			if (avail > 0)
				lsim_log("journal: torn record at offset %llu "
					 "discarded", (unsigned long long)good);
			break;
		}
		memmove(buf, buf + pos, avail);
		have = avail;
		pos = 0;
		n = read(fd, buf + have, cap - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int rc = -errno;

			close(fd);
			free(buf);
			return rc;
		}
		if (n == 0)
			eof = 1;
		have += (size_t)n;
	}
	free(buf);

	if (ftruncate(fd, (off_t)good) < 0 ||
	    lseek(fd, 0, SEEK_END) < 0) {
		int rc = -errno;

		close(fd);
		return rc;
	}
	D.jfd = fd;
	D.jsize = good;
	if (D.jsize > 2 * live_size() + (1u << 20))
		write_snapshot();
	return 0;
}

/* Snapshot ------------------------------------------------------------------ */

static int write_snapshot(void)
{
	struct list_head *pos;
	FILE *out;
	size_t i;
	int fd;
	int rc = 0;

	journal_flush();
	fd = openat(D.privfd, J_TMP_NAME, O_WRONLY | O_CREAT | O_TRUNC |
		    O_CLOEXEC, 0644);
	if (fd < 0) {
		lsim_log("journal: cannot write snapshot: %s", strerror(errno));
		return -errno;
	}
	out = fdopen(fd, "w");
	if (out == NULL) {
		close(fd);
		return -ENOMEM;
	}
	setvbuf(out, NULL, _IOFBF, 1 << 20);
	j_snapshot = out;
	j_fidhwm();
	for (i = 0; i < D.fid_ht.nbuckets; i++) {
		struct hnode *n;

		for (n = D.fid_ht.buckets[i]; n != NULL; n = n->next) {
			struct lsim_file *f = container_of(n, struct lsim_file,
							   fid_node);

			if (!f->gone && !f->special && !f->is_volatile)
				j_file(f);
		}
	}
	list_for_each(pos, &D.log)
		j_rec(list_entry(pos, struct lsim_rec, log));
	j_snapshot = NULL;

	if (fflush(out) != 0 || fsync(fd) < 0)
		rc = -errno;
	if (fclose(out) != 0 && rc == 0)
		rc = -errno;
	if (rc == 0 && renameat(D.privfd, J_TMP_NAME, D.privfd, J_NAME) < 0)
		rc = -errno;
	if (rc < 0) {
		lsim_log("journal: snapshot failed: %s", strerror(-rc));
		unlinkat(D.privfd, J_TMP_NAME, 0);
		return rc;
	}
	fsync(D.privfd);

	fd = openat(D.privfd, J_NAME, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0) {
		lsim_log("journal: cannot reopen: %s", strerror(errno));
		return -errno;
	}
	close(D.jfd);
	D.jfd = fd;
	D.jsize = (uint64_t)lseek(fd, 0, SEEK_END);
	return 0;
}

void journal_maybe_compact(void)
{
	if (D.jsize > 4 * live_size() + (16u << 20))
		write_snapshot();
}

void journal_close(void)
{
	journal_flush();
	if (D.jfd >= 0) {
		fsync(D.jfd);
		close(D.jfd);
		D.jfd = -1;
	}
}

/*
 * Shim <-> mover agent protocol, version 1 (see PROTOCOL.md).
 *
 * Unix stream socket, host byte order, packed structures. Every message is a
 * struct ctsh_hdr followed by hdr.length payload bytes.
 */
#ifndef CTSH_PROTO_H
#define CTSH_PROTO_H

#include <stdint.h>

#define CTSH_MAGIC		0x48535443u	/* bytes 'C','T','S','H' (LE) */
#define CTSH_VERSION		1
#define CTSH_MAX_PAYLOAD	(16u << 20)
#define CTSH_SOCKET_ENV		"COORDINATOOL_AGENT_SOCKET"

enum ctsh_type {
	/* shim -> agent */
	CTSH_REGISTER		= 1,
	CTSH_RECV		= 2,
	CTSH_REJECT		= 3,
	CTSH_UNREGISTER		= 4,
	CTSH_BEGIN		= 5,
	CTSH_END		= 6,
	/* agent -> shim */
	CTSH_REGISTER_REPLY	= 101,
	CTSH_ACTION_LIST	= 102,
	CTSH_SHUTDOWN		= 103,
};

struct ctsh_hdr {
	uint32_t magic;
	uint16_t version;
	uint16_t type;
	uint32_t length;	/* payload bytes */
	uint32_t reserved;	/* 0 */
} __attribute__((packed));

/*
 * REGISTER: this fixed part, archive_count uint32 archive ids, then mnt and
 * fsname, each NUL-terminated.
 */
struct ctsh_register {
	int32_t pid;
	int32_t rfd_flags;
	uint32_t archive_count;
} __attribute__((packed));

/* REGISTER_REPLY and REJECT */
struct ctsh_rc {
	int32_t rc;		/* 0 or -errno */
} __attribute__((packed));

struct ctsh_recv {
	uint32_t buffer_size;	/* largest hal the shim can take */
} __attribute__((packed));

struct ctsh_unregister {
	uint32_t recv_pending;	/* 1: the last RECV was not answered */
} __attribute__((packed));

/* struct lu_fid */
struct ctsh_fid {
	uint64_t seq;
	uint32_t oid;
	uint32_t ver;
} __attribute__((packed));

/* BEGIN (value = rc of the real begin) and END (value = status for done) */
struct ctsh_notice {
	uint64_t cookie;
	struct ctsh_fid dfid;
	int32_t value;
} __attribute__((packed));

_Static_assert(sizeof(struct ctsh_hdr) == 16, "ctsh_hdr");
_Static_assert(sizeof(struct ctsh_register) == 12, "ctsh_register");
_Static_assert(sizeof(struct ctsh_rc) == 4, "ctsh_rc");
_Static_assert(sizeof(struct ctsh_recv) == 4, "ctsh_recv");
_Static_assert(sizeof(struct ctsh_unregister) == 4, "ctsh_unregister");
_Static_assert(sizeof(struct ctsh_fid) == 16, "ctsh_fid");
_Static_assert(sizeof(struct ctsh_notice) == 28, "ctsh_notice");

#endif /* CTSH_PROTO_H */

/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * Lustre wire structures relevant to HSM: the MDC->MDT progress report and
 * the MDT action-log record (what `hsm.actions` lists).
 */
#ifndef _LUSTRE_IDL_H_
#define _LUSTRE_IDL_H_

#include <linux/types.h>
#include <linux/lustre/lustre_user.h>

/* Declared but enforced nowhere. */
#define LL_HSM_MAX_ARCHIVES_PER_AGENT	1024

#define LDLM_MAXREQSIZE		(5 * 1024)
#define MDS_MAXREQSIZE		(5 * 1024)

/* Progress as sent from the client to the MDT (packed, 64 bytes). */
struct hsm_progress_kernel {
	struct lu_fid		hpk_fid;
	__u64			hpk_cookie;
	struct hsm_extent	hpk_extent;
	__u16			hpk_flags;
	__u16			hpk_errval;	/* positive errno */
	__u32			hpk_padding1;
	__u64			hpk_data_version;
	__u64			hpk_padding2;
} __attribute__((packed));

#define LLOG_OP_MAGIC	0x10600000
#define HSM_AGENT_REC	(LLOG_OP_MAGIC | 0x80000)

struct llog_rec_hdr {
	__u32	lrh_len;
	__u32	lrh_index;
	__u32	lrh_type;
	__u32	lrh_id;
} __attribute__((packed));

struct llog_rec_tail {
	__u32	lrt_len;
	__u32	lrt_index;
} __attribute__((packed));

/* One coordinator action-log record: 136 bytes + data, rounded up to 8. */
struct llog_agent_req_rec {
	struct llog_rec_hdr	arr_hdr;
	__u32			arr_status;	/* enum agent_req_status */
	__u32			arr_archive_id;
	__u64			arr_flags;
	__u64			arr_compound_id;
	__u64			arr_req_create;	/* unix seconds */
	__u64			arr_req_change;	/* unix seconds */
	struct hsm_action_item	arr_hai;
	struct llog_rec_tail	arr_tail;	/* follows the item data */
} __attribute__((packed));

#endif /* _LUSTRE_IDL_H_ */

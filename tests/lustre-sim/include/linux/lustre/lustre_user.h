/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * Lustre user ABI for HSM: FIDs, action lists, user requests, file states,
 * progress reports and the ioctl numbers of the HSM path.
 *
 * Every layout here is the x86_64 layout of the Lustre user ABI; the
 * abi-check program of this tree asserts each size and offset at build time.
 */
#ifndef _UAPI_LUSTRE_USER_H
#define _UAPI_LUSTRE_USER_H

#include <linux/types.h>
#include <linux/ioctl.h>
#include <linux/const.h>
#include <stddef.h>
#include <sys/types.h>
#include <stdio.h>
#include <string.h>
#include <fcntl.h>

#include <linux/lustre/lustre_kernelcomm.h>

#ifndef __ALIGN_KERNEL
#define __ALIGN_KERNEL(x, a) (((x) + ((__typeof__(x))(a) - 1)) & ~((__typeof__(x))(a) - 1))
#endif

/* ------------------------------------------------------------------ */
/* Limits and names                                                     */
/* ------------------------------------------------------------------ */

#define LUSTRE_EOF		0xffffffffffffffffULL
#define LUSTRE_MAXFSNAME	8
#define MTI_NAME_MAXLEN		64
#ifndef UUID_MAX
#define UUID_MAX		40
#endif

#ifndef LNET_MTU
#define LNET_MTU		(1 << 20)
#endif

#define dot_lustre_name		".lustre"
#define dot_fid_name		"fid"

/* Name prefix of a volatile file: '.', 0x0c 0x13 0x14 0x12, ":VOLATILE" */
#define LUSTRE_VOLATILE_HDR	".\x0c\x13\x14\x12:VOLATILE"
#define LUSTRE_VOLATILE_HDR_LEN	14

/* Open flag asking for delayed layout creation. */
#ifdef FASYNC
#define O_LOV_DELAY_CREATE	(O_NOCTTY | FASYNC)
#else
#define O_LOV_DELAY_CREATE	(0400 | 020000)
#endif

#define XATTR_LUSTRE_PREFIX	"lustre."
#define XATTR_LUSTRE_LOV	XATTR_LUSTRE_PREFIX "lov"

/* Archive-id limit of the legacy bitmap registration protocol. */
#define LL_HSM_ORIGIN_MAX_ARCHIVE	(sizeof(__u32) * 8)

/* ------------------------------------------------------------------ */
/* File identifiers                                                     */
/* ------------------------------------------------------------------ */

struct lu_fid {
	__u64 f_seq;	/* sequence */
	__u32 f_oid;	/* object id within the sequence */
	__u32 f_ver;	/* version, 0 for files */
} __attribute__((packed));

enum fid_seq {
	FID_SEQ_IGIF		= 12ULL,
	FID_SEQ_IGIF_MAX	= 0x0ffffffffULL,
	FID_SEQ_IDIF		= 0x100000000ULL,
	FID_SEQ_IDIF_MAX	= 0x1ffffffffULL,
	FID_SEQ_START		= 0x200000000ULL,
	FID_SEQ_LOCAL_FILE	= 0x200000001ULL,
	FID_SEQ_DOT_LUSTRE	= 0x200000002ULL,
	FID_SEQ_ROOT		= 0x200000007ULL,
	FID_SEQ_NORMAL		= 0x200000400ULL,
};

enum dot_lustre_oid {
	FID_OID_DOT_LUSTRE	= 1UL,
	FID_OID_DOT_LUSTRE_OBF	= 2UL,
	FID_OID_DOT_LUSTRE_LPF	= 3UL,
};

enum root_oid {
	FID_OID_ROOT		= 1UL,
};

/* Text forms: "[0x200000401:0x1:0x0]" and "0x200000401:0x1:0x0". */
#define DFID_NOBRACE	"%#llx:0x%x:0x%x"
#define DFID		"[" DFID_NOBRACE "]"
#define PFID(fid)	(unsigned long long)(fid)->f_seq, (fid)->f_oid, (fid)->f_ver
#define SFID		"0x%llx:0x%x:0x%x"
#define RFID(fid)	(unsigned long long *)(void *)&((fid)->f_seq), \
			(unsigned int *)(void *)&((fid)->f_oid), \
			(unsigned int *)(void *)&((fid)->f_ver)

#define FID_NOBRACE_LEN	40
#define FID_LEN		(FID_NOBRACE_LEN + 2)

static inline __u64 fid_seq(const struct lu_fid *fid)
{
	return fid->f_seq;
}

static inline __u32 fid_oid(const struct lu_fid *fid)
{
	return fid->f_oid;
}

static inline __u32 fid_ver(const struct lu_fid *fid)
{
	return fid->f_ver;
}

static inline int fid_seq_is_norm(__u64 seq)
{
	return seq >= FID_SEQ_NORMAL;
}

static inline int fid_is_norm(const struct lu_fid *fid)
{
	return fid_seq_is_norm(fid_seq(fid));
}

static inline int fid_seq_is_igif(__u64 seq)
{
	return seq >= FID_SEQ_IGIF && seq <= FID_SEQ_IGIF_MAX;
}

static inline int fid_is_igif(const struct lu_fid *fid)
{
	return fid_seq_is_igif(fid_seq(fid));
}

static inline int fid_is_zero(const struct lu_fid *fid)
{
	return fid_seq(fid) == 0 && fid_oid(fid) == 0;
}

static inline int fid_seq_is_root(__u64 seq)
{
	return seq == FID_SEQ_ROOT;
}

static inline int fid_seq_is_dot_lustre(__u64 seq)
{
	return seq == FID_SEQ_DOT_LUSTRE;
}

/* ------------------------------------------------------------------ */
/* Layout patterns (used by llapi_hsm_import)                           */
/* ------------------------------------------------------------------ */

enum lov_pattern {
	LOV_PATTERN_NONE	= 0x000,
	LOV_PATTERN_RAID0	= 0x001,
	LOV_PATTERN_RAID1	= 0x002,
	LOV_PATTERN_MDT		= 0x100,
	LOV_PATTERN_OVERSTRIPING = 0x200,
	LOV_PATTERN_F_MASK	= 0xffff0000,
	LOV_PATTERN_F_HOLE	= 0x40000000,
	LOV_PATTERN_F_RELEASED	= 0x80000000,
	LOV_PATTERN_DEFAULT	= 0xffffffff
};

/* ------------------------------------------------------------------ */
/* HSM: extents, action items and action lists                          */
/* ------------------------------------------------------------------ */

struct hsm_extent {
	__u64 offset;
	__u64 length;	/* LUSTRE_EOF = to end of file */
} __attribute__((packed));

/* Actions a copytool receives (hai_action). */
enum hsm_copytool_action {
	HSMA_NONE	= 10,
	HSMA_ARCHIVE	= 20,
	HSMA_RESTORE	= 21,
	HSMA_REMOVE	= 22,
	HSMA_CANCEL	= 23
};

static inline const char *hsm_copytool_action2name(enum hsm_copytool_action a)
{
	switch (a) {
	case HSMA_NONE:		return "NOOP";
	case HSMA_ARCHIVE:	return "ARCHIVE";
	case HSMA_RESTORE:	return "RESTORE";
	case HSMA_REMOVE:	return "REMOVE";
	case HSMA_CANCEL:	return "CANCEL";
	default:		return "UNKNOWN";
	}
}

/* One action: fixed part 72 bytes, then hai_len - 72 bytes of opaque data. */
struct hsm_action_item {
	__u32	hai_len;	/* 72 + data length, not rounded */
	__u32	hai_action;	/* enum hsm_copytool_action */
	struct lu_fid hai_fid;	/* file the action is about */
	struct lu_fid hai_dfid;	/* file used for data I/O */
	struct hsm_extent hai_extent;
	__u64	hai_cookie;	/* request identifier chosen by the coordinator */
	__u64	hai_gid;	/* group lock id */
	char	hai_data[0];	/* opaque user data */
} __attribute__((packed));

/*
 * Render hai_data as upper-case hex pairs into buffer (len bytes), stopping
 * while fewer than 3 bytes of buffer remain. Returns buffer.
 */
static inline char *hai_dump_data_field(const struct hsm_action_item *hai,
					char *buffer, size_t len)
{
	int data_len = (int)hai->hai_len - (int)sizeof(*hai);
	char *ptr = buffer;
	int i;

	for (i = 0; i < data_len && len > 2; i++) {
		snprintf(ptr, 3, "%02X", (unsigned char)hai->hai_data[i]);
		ptr += 2;
		len -= 2;
	}
	*ptr = '\0';
	return buffer;
}

#define HAL_VERSION	1
#define HAL_MAXSIZE	LNET_MTU

/* KUC message type of an action list (transport KUC_TRANSPORT_HSM). */
enum hsm_message_type {
	HMT_ACTION_LIST = 100,
};

/* Header of a list of actions for one archive: fixed part 32 bytes. */
struct hsm_action_list {
	__u32	hal_version;	/* HAL_VERSION */
	__u32	hal_count;	/* number of items */
	__u64	hal_compound_id;	/* obsolete, 0 */
	__u64	hal_flags;	/* request flags (HSM_FORCE_ACTION, ...) */
	__u32	hal_archive_id;	/* archive all items belong to */
	__u32	padding1;
	char	hal_fsname[0];	/* NUL-terminated fs name, items follow 8-aligned */
} __attribute__((packed));

/* First item: after the fsname, rounded up to 8 bytes. */
static inline struct hsm_action_item *hai_first(struct hsm_action_list *hal)
{
	size_t offset = __ALIGN_KERNEL(strlen(hal->hal_fsname) + 1, 8);

	return (struct hsm_action_item *)(hal->hal_fsname + offset);
}

/* Next item: items occupy hai_len rounded up to 8 bytes. */
static inline struct hsm_action_item *hai_next(struct hsm_action_item *hai)
{
	size_t offset = __ALIGN_KERNEL((size_t)hai->hai_len, 8);

	return (struct hsm_action_item *)((char *)hai + offset);
}

/* Total size of a hal, items included. */
static inline size_t hal_size(struct hsm_action_list *hal)
{
	struct hsm_action_item *hai;
	size_t sz;
	__u32 i;

	sz = sizeof(*hal) + __ALIGN_KERNEL(strlen(hal->hal_fsname) + 1, 8);
	hai = hai_first(hal);
	for (i = 0; i < hal->hal_count; i++, hai = hai_next(hai))
		sz += __ALIGN_KERNEL((size_t)hai->hai_len, 8);
	return sz;
}

/* ------------------------------------------------------------------ */
/* HSM: user requests                                                    */
/* ------------------------------------------------------------------ */

/* Actions a user may request (hr_action, hca_action). */
enum hsm_user_action {
	HUA_NONE	= 1,
	HUA_ARCHIVE	= 10,
	HUA_RESTORE	= 11,
	HUA_RELEASE	= 12,
	HUA_REMOVE	= 13,
	HUA_CANCEL	= 14
};

static inline const char *hsm_user_action2name(enum hsm_user_action a)
{
	switch (a) {
	case HUA_NONE:		return "NOOP";
	case HUA_ARCHIVE:	return "ARCHIVE";
	case HUA_RESTORE:	return "RESTORE";
	case HUA_RELEASE:	return "RELEASE";
	case HUA_REMOVE:	return "REMOVE";
	case HUA_CANCEL:	return "CANCEL";
	default:		return "UNKNOWN";
	}
}

/* Request flags (hr_flags, hal_flags). */
#define HSM_FORCE_ACTION	0x0001
#define HSM_GHOST_COPY		0x0002
#define HSM_REQ_BLOCKING	0x0004

struct hsm_request {
	__u32 hr_action;	/* enum hsm_user_action */
	__u32 hr_archive_id;	/* 0 = not specified */
	__u64 hr_flags;
	__u32 hr_itemcount;	/* number of hsm_user_item */
	__u32 hr_data_len;	/* length of the data blob after the items */
};

struct hsm_user_item {
	struct lu_fid		hui_fid;
	struct hsm_extent	hui_extent;
} __attribute__((packed));

/* Request header, hr_itemcount items, then hr_data_len bytes of data. */
struct hsm_user_request {
	struct hsm_request	hur_request;
	struct hsm_user_item	hur_user_item[0];
} __attribute__((packed));

/* Start of the data blob: right after the last item. */
static inline void *hur_data(struct hsm_user_request *hur)
{
	return &hur->hur_user_item[hur->hur_request.hr_itemcount];
}

/* Total length of a request. */
static inline ssize_t hur_len(struct hsm_user_request *hur)
{
	return (ssize_t)(offsetof(struct hsm_user_request, hur_user_item) +
			 (size_t)hur->hur_request.hr_itemcount *
				sizeof(hur->hur_user_item[0]) +
			 hur->hur_request.hr_data_len);
}

/* ------------------------------------------------------------------ */
/* HSM: file state                                                       */
/* ------------------------------------------------------------------ */

enum hsm_states {
	HS_NONE		= 0x00000000,
	HS_EXISTS	= 0x00000001,	/* a copy exists in an archive */
	HS_DIRTY	= 0x00000002,	/* archive copy is out of date */
	HS_RELEASED	= 0x00000004,	/* data only in the archive */
	HS_ARCHIVED	= 0x00000008,	/* archive copy is up to date */
	HS_NORELEASE	= 0x00000010,	/* never release */
	HS_NOARCHIVE	= 0x00000020,	/* never archive */
	HS_LOST		= 0x00000040,	/* archive copy lost */
	HS_PCCRW	= 0x00000080,
	HS_PCCRO	= 0x00000100,
};

#define HSM_USER_MASK	(HS_NORELEASE | HS_NOARCHIVE | HS_DIRTY)
#define HSM_STATUS_MASK	(HS_EXISTS | HS_LOST | HS_RELEASED | HS_ARCHIVED | \
			 HS_PCCRW | HS_PCCRO)
#define HSM_FLAGS_MASK	(HSM_USER_MASK | HSM_STATUS_MASK)

enum hsm_progress_states {
	HPS_NONE	= 0,
	HPS_WAITING	= 1,
	HPS_RUNNING	= 2,
	HPS_DONE	= 3,
};

static inline const char *hsm_progress_state2name(enum hsm_progress_states s)
{
	switch (s) {
	case HPS_WAITING:	return "waiting";
	case HPS_RUNNING:	return "running";
	case HPS_DONE:		return "done";
	default:		return "unknown";
	}
}

/* Argument of LL_IOC_HSM_STATE_GET. */
struct hsm_user_state {
	__u32			hus_states;	/* enum hsm_states */
	__u32			hus_archive_id;
	__u32			hus_in_progress_state;
	__u32			hus_in_progress_action;
	struct hsm_extent	hus_in_progress_location;
	char			hus_extended_info[];
};

/* Argument of LL_IOC_HSM_ACTION. */
struct hsm_current_action {
	__u32			hca_state;	/* enum hsm_progress_states */
	__u32			hca_action;	/* enum hsm_user_action */
	struct hsm_extent	hca_location;
};

/* Argument of LL_IOC_HSM_STATE_SET. */
#define HSS_SETMASK	0x01
#define HSS_CLEARMASK	0x02
#define HSS_ARCHIVE_ID	0x04

struct hsm_state_set {
	__u32	hss_valid;	/* HSS_* */
	__u32	hss_archive_id;
	__u64	hss_setmask;
	__u64	hss_clearmask;
};

struct hsm_state_set_ioc {
	struct lu_fid	hssi_fid;
	__u64		hssi_setmask;
	__u64		hssi_clearmask;
};

/* Argument of LL_IOC_HSM_IMPORT. */
struct hsm_user_import {
	__u64	hui_size;
	__u64	hui_atime;
	__u64	hui_mtime;
	__u32	hui_atime_ns;
	__u32	hui_mtime_ns;
	__u32	hui_uid;
	__u32	hui_gid;
	__u32	hui_mode;
	__u32	hui_archive_id;
};

/* ------------------------------------------------------------------ */
/* HSM: copytool progress                                                */
/* ------------------------------------------------------------------ */

#define HP_FLAG_COMPLETED	0x01
#define HP_FLAG_RETRY		0x02

/* Argument of LL_IOC_HSM_PROGRESS. */
struct hsm_progress {
	struct lu_fid		hp_fid;		/* data FID */
	__u64			hp_cookie;
	struct hsm_extent	hp_extent;	/* range copied since the last report */
	__u16			hp_flags;	/* HP_FLAG_* */
	__u16			hp_errval;	/* positive errno */
	__u32			padding;
};

/* Argument of LL_IOC_HSM_COPY_START / LL_IOC_HSM_COPY_END. */
struct hsm_copy {
	__u64			hc_data_version;
	__u16			hc_flags;
	__u16			hc_errval;	/* positive errno */
	__u32			padding;
	struct hsm_action_item	hc_hai;
};

/* ------------------------------------------------------------------ */
/* Coordinator action log record status                                  */
/* ------------------------------------------------------------------ */

enum agent_req_status {
	ARS_WAITING,
	ARS_STARTED,
	ARS_FAILED,
	ARS_CANCELED,
	ARS_SUCCEED,
};

static inline const char *agent_req_status2name(enum agent_req_status ars)
{
	switch (ars) {
	case ARS_WAITING:	return "WAITING";
	case ARS_STARTED:	return "STARTED";
	case ARS_FAILED:	return "FAILED";
	case ARS_CANCELED:	return "CANCELED";
	case ARS_SUCCEED:	return "SUCCEED";
	default:		return "UNKNOWN";
	}
}

static inline int agent_req_in_final_state(enum agent_req_status ars)
{
	return ars == ARS_SUCCEED || ars == ARS_FAILED || ars == ARS_CANCELED;
}

/* ------------------------------------------------------------------ */
/* Data version and timestamps                                           */
/* ------------------------------------------------------------------ */

#define LL_DV_RD_FLUSH	(1 << 0)
#define LL_DV_WR_FLUSH	(1 << 1)
#define LL_DV_SZ_UPDATE	(1 << 2)

struct ioc_data_version {
	__u64	idv_version;
	__u32	idv_layout_version;
	__u32	idv_flags;	/* LL_DV_* */
};

struct ll_futimes_3 {
	__u64 lfu_atime_sec;
	__u64 lfu_atime_nsec;
	__u64 lfu_mtime_sec;
	__u64 lfu_mtime_nsec;
	__u64 lfu_ctime_sec;
	__u64 lfu_ctime_nsec;
};

/* ------------------------------------------------------------------ */
/* ioctl numbers of the HSM path                                         */
/* ------------------------------------------------------------------ */

#define LL_IOC_FUTIMES_3		_IOWR('f', 176, struct ll_futimes_3)
#define LL_IOC_HSM_STATE_GET		_IOR('f', 211, struct hsm_user_state)
#define LL_IOC_HSM_STATE_SET		_IOW('f', 212, struct hsm_state_set)
#define LL_IOC_HSM_CT_START		_IOW('f', 213, struct lustre_kernelcomm)
#define LL_IOC_HSM_COPY_START		_IOW('f', 214, struct hsm_copy *)
#define LL_IOC_HSM_COPY_END		_IOW('f', 215, struct hsm_copy *)
#define LL_IOC_HSM_PROGRESS		_IOW('f', 216, struct hsm_user_request)
#define LL_IOC_HSM_REQUEST		_IOW('f', 217, struct hsm_user_request)
#define LL_IOC_DATA_VERSION		_IOR('f', 218, struct ioc_data_version)
#define LL_IOC_HSM_ACTION		_IOR('f', 220, struct hsm_current_action)
#define LL_IOC_HSM_IMPORT		_IOWR('f', 245, struct hsm_user_import)
#define LL_IOC_FID2MDTIDX		_IOWR('f', 248, struct lu_fid)
#define LL_IOC_HSM_DATA_VERSION		_IOW('f', 254, struct ioc_data_version)

#endif /* _UAPI_LUSTRE_USER_H */

/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * Kernel <-> userspace communication channel ("KUC") used to deliver HSM
 * action lists to copytools, and the copytool registration block.
 * Layouts follow the Lustre user ABI (x86_64).
 */
#ifndef _UAPI_LUSTRE_KERNELCOMM_H__
#define _UAPI_LUSTRE_KERNELCOMM_H__

#include <linux/types.h>

/* Header of every message on a copytool pipe: 8 bytes, 8-byte aligned. */
struct kuc_hdr {
	__u16 kuc_magic;
	__u8  kuc_transport;	/* KUC_TRANSPORT_* */
	__u8  kuc_flags;
	__u16 kuc_msgtype;	/* transport-specific message type */
	__u16 kuc_msglen;	/* total length, header included */
} __attribute__((aligned(sizeof(__u64))));

#define KUC_MAGIC		0x191C

enum kuc_transport_type {
	KUC_TRANSPORT_GENERIC	= 1,
	KUC_TRANSPORT_HSM	= 2,
};

enum kuc_generic_message_type {
	KUC_MSG_SHUTDOWN	= 1,
};

/* KUC broadcast groups */
#define KUC_GRP_HSM	0x02
#define KUC_GRP_MAX	KUC_GRP_HSM

enum lk_flags {
	LK_FLG_STOP	= 0x0001,
	LK_FLG_DATANR	= 0x0002,
};
#define LK_NOFD		-1U

/* Registration block passed with LL_IOC_HSM_CT_START (packed, 24 bytes + ids). */
struct lustre_kernelcomm {
	__u32 lk_wfd;
	__u32 lk_rfd;
	__u32 lk_uid;
	__u32 lk_group;
	__u32 lk_data_count;	/* number of archive ids in lk_data (0 = all) */
	__u32 lk_flags;		/* enum lk_flags */
	__u32 lk_data[0];	/* archive ids */
} __attribute__((packed));

#endif /* _UAPI_LUSTRE_KERNELCOMM_H__ */

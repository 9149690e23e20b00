/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * Private copytool and action handles. Their layout is that of Lustre's
 * liblustreapi (x86_64): copytool shims build their own copytool handle in
 * this shape and extend action handles past their end, so no field may be
 * added, moved or resized. Simulator state lives elsewhere.
 */
#ifndef LSIM_HSM_PRIVATE_H
#define LSIM_HSM_PRIVATE_H

#include <sys/stat.h>
#include <linux/stat.h>
#include <lustre/lustreapi.h>

#define CT_PRIV_MAGIC	((int)0xC0BE2001)
#define CP_PRIV_MAGIC	0x19880429

typedef struct statx lstatx_t;

struct hsm_copytool_private {
	int				magic;
	char				*mnt;
	struct kuc_hdr			*kuch;
	int				mnt_fd;
	int				open_by_fid_fd;
	struct lustre_kernelcomm	*kuc;
};

struct hsm_copyaction_private {
	__u32					magic;
	__s32					source_fd;
	__s32					data_fd;
	const struct hsm_copytool_private	*ct_priv;
	struct hsm_copy				copy;
	lstatx_t				statx;
};

#endif /* LSIM_HSM_PRIVATE_H */

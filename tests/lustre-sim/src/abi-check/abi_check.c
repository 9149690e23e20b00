/*
 * Build-time check of the Lustre user ABI as declared by this tree's headers
 * and of the private handle layouts: the build fails if any size, offset or
 * constant drifts. Running the program only prints a confirmation.
 */
#include <stdio.h>
#include <stddef.h>
#include <stdalign.h>
#include <lustre/lustreapi.h>
#include <linux/lustre/lustre_idl.h>
#include <linux/lustre/lustre_fid.h>
#include "../lib/hsm_private.h"

#define SZ(t, n)	_Static_assert(sizeof(struct t) == (n), "sizeof " #t)
#define AL(t, n)	_Static_assert(alignof(struct t) == (n), "alignof " #t)
#define OFF(t, f, n)	_Static_assert(offsetof(struct t, f) == (n), #t "." #f)
#define EQ(a, b)	_Static_assert((unsigned long long)(a) == (unsigned long long)(b), #a)

/* 1.1 lu_fid */
SZ(lu_fid, 16); AL(lu_fid, 1);
OFF(lu_fid, f_seq, 0); OFF(lu_fid, f_oid, 8); OFF(lu_fid, f_ver, 12);

/* 1.2 hsm_extent */
SZ(hsm_extent, 16); AL(hsm_extent, 1);
OFF(hsm_extent, offset, 0); OFF(hsm_extent, length, 8);

/* 1.3 hsm_action_item */
SZ(hsm_action_item, 72); AL(hsm_action_item, 1);
OFF(hsm_action_item, hai_len, 0); OFF(hsm_action_item, hai_action, 4);
OFF(hsm_action_item, hai_fid, 8); OFF(hsm_action_item, hai_dfid, 24);
OFF(hsm_action_item, hai_extent, 40); OFF(hsm_action_item, hai_cookie, 56);
OFF(hsm_action_item, hai_gid, 64); OFF(hsm_action_item, hai_data, 72);

/* 1.4 hsm_action_list */
SZ(hsm_action_list, 32); AL(hsm_action_list, 1);
OFF(hsm_action_list, hal_version, 0); OFF(hsm_action_list, hal_count, 4);
OFF(hsm_action_list, hal_compound_id, 8); OFF(hsm_action_list, hal_flags, 16);
OFF(hsm_action_list, hal_archive_id, 24); OFF(hsm_action_list, padding1, 28);
OFF(hsm_action_list, hal_fsname, 32);

/* 1.5 kuc_hdr */
SZ(kuc_hdr, 8); AL(kuc_hdr, 8);
OFF(kuc_hdr, kuc_magic, 0); OFF(kuc_hdr, kuc_transport, 2);
OFF(kuc_hdr, kuc_flags, 3); OFF(kuc_hdr, kuc_msgtype, 4);
OFF(kuc_hdr, kuc_msglen, 6);

/* 1.6 hsm_progress, hsm_copy, hsm_progress_kernel */
SZ(hsm_progress, 48); AL(hsm_progress, 8);
OFF(hsm_progress, hp_fid, 0); OFF(hsm_progress, hp_cookie, 16);
OFF(hsm_progress, hp_extent, 24); OFF(hsm_progress, hp_flags, 40);
OFF(hsm_progress, hp_errval, 42); OFF(hsm_progress, padding, 44);
SZ(hsm_copy, 88); AL(hsm_copy, 8);
OFF(hsm_copy, hc_data_version, 0); OFF(hsm_copy, hc_flags, 8);
OFF(hsm_copy, hc_errval, 10); OFF(hsm_copy, padding, 12);
OFF(hsm_copy, hc_hai, 16);
SZ(hsm_progress_kernel, 64); AL(hsm_progress_kernel, 1);
OFF(hsm_progress_kernel, hpk_fid, 0); OFF(hsm_progress_kernel, hpk_cookie, 16);
OFF(hsm_progress_kernel, hpk_extent, 24); OFF(hsm_progress_kernel, hpk_flags, 40);
OFF(hsm_progress_kernel, hpk_errval, 42);
OFF(hsm_progress_kernel, hpk_padding1, 44);
OFF(hsm_progress_kernel, hpk_data_version, 48);
OFF(hsm_progress_kernel, hpk_padding2, 56);

/* 1.7 hsm_request, hsm_user_item, hsm_user_request */
SZ(hsm_request, 24); AL(hsm_request, 8);
OFF(hsm_request, hr_action, 0); OFF(hsm_request, hr_archive_id, 4);
OFF(hsm_request, hr_flags, 8); OFF(hsm_request, hr_itemcount, 16);
OFF(hsm_request, hr_data_len, 20);
SZ(hsm_user_item, 32); AL(hsm_user_item, 1);
OFF(hsm_user_item, hui_fid, 0); OFF(hsm_user_item, hui_extent, 16);
SZ(hsm_user_request, 24); AL(hsm_user_request, 1);
OFF(hsm_user_request, hur_request, 0); OFF(hsm_user_request, hur_user_item, 24);

/* 1.8 state / action / import */
SZ(hsm_user_state, 32); AL(hsm_user_state, 4);
OFF(hsm_user_state, hus_states, 0); OFF(hsm_user_state, hus_archive_id, 4);
OFF(hsm_user_state, hus_in_progress_state, 8);
OFF(hsm_user_state, hus_in_progress_action, 12);
OFF(hsm_user_state, hus_in_progress_location, 16);
OFF(hsm_user_state, hus_extended_info, 32);
SZ(hsm_current_action, 24); AL(hsm_current_action, 4);
OFF(hsm_current_action, hca_state, 0); OFF(hsm_current_action, hca_action, 4);
OFF(hsm_current_action, hca_location, 8);
SZ(hsm_state_set, 24); AL(hsm_state_set, 8);
OFF(hsm_state_set, hss_valid, 0); OFF(hsm_state_set, hss_archive_id, 4);
OFF(hsm_state_set, hss_setmask, 8); OFF(hsm_state_set, hss_clearmask, 16);
SZ(hsm_state_set_ioc, 32);
OFF(hsm_state_set_ioc, hssi_fid, 0); OFF(hsm_state_set_ioc, hssi_setmask, 16);
OFF(hsm_state_set_ioc, hssi_clearmask, 24);
SZ(hsm_user_import, 48); AL(hsm_user_import, 8);
OFF(hsm_user_import, hui_size, 0); OFF(hsm_user_import, hui_atime, 8);
OFF(hsm_user_import, hui_mtime, 16); OFF(hsm_user_import, hui_atime_ns, 24);
OFF(hsm_user_import, hui_mtime_ns, 28); OFF(hsm_user_import, hui_uid, 32);
OFF(hsm_user_import, hui_gid, 36); OFF(hsm_user_import, hui_mode, 40);
OFF(hsm_user_import, hui_archive_id, 44);
SZ(ioc_data_version, 16); SZ(ll_futimes_3, 48);

/* 1.9 lustre_kernelcomm */
SZ(lustre_kernelcomm, 24); AL(lustre_kernelcomm, 1);
OFF(lustre_kernelcomm, lk_wfd, 0); OFF(lustre_kernelcomm, lk_rfd, 4);
OFF(lustre_kernelcomm, lk_uid, 8); OFF(lustre_kernelcomm, lk_group, 12);
OFF(lustre_kernelcomm, lk_data_count, 16); OFF(lustre_kernelcomm, lk_flags, 20);
OFF(lustre_kernelcomm, lk_data, 24);

/* 1.10 llog_agent_req_rec */
SZ(llog_agent_req_rec, 136);
OFF(llog_agent_req_rec, arr_status, 16); OFF(llog_agent_req_rec, arr_archive_id, 20);
OFF(llog_agent_req_rec, arr_flags, 24); OFF(llog_agent_req_rec, arr_compound_id, 32);
OFF(llog_agent_req_rec, arr_req_create, 40); OFF(llog_agent_req_rec, arr_req_change, 48);
OFF(llog_agent_req_rec, arr_hai, 56);
EQ(HSM_AGENT_REC, 0x10680000);

/* 1.12 ioctl numbers */
EQ(LL_IOC_HSM_STATE_GET, 0x802066d3); EQ(LL_IOC_HSM_STATE_SET, 0x401866d4);
EQ(LL_IOC_HSM_CT_START, 0x401866d5); EQ(LL_IOC_HSM_COPY_START, 0x400866d6);
EQ(LL_IOC_HSM_COPY_END, 0x400866d7); EQ(LL_IOC_HSM_PROGRESS, 0x401866d8);
EQ(LL_IOC_HSM_REQUEST, 0x401866d9); EQ(LL_IOC_DATA_VERSION, 0x801066da);
EQ(LL_IOC_HSM_ACTION, 0x801866dc); EQ(LL_IOC_HSM_IMPORT, 0xc03066f5);
EQ(LL_IOC_FID2MDTIDX, 0xc01066f8); EQ(LL_IOC_HSM_DATA_VERSION, 0x401066fe);
EQ(LL_IOC_FUTIMES_3, 0xc03066b0);

/* 2.x constants */
EQ(HSMA_NONE, 10); EQ(HSMA_ARCHIVE, 20); EQ(HSMA_RESTORE, 21);
EQ(HSMA_REMOVE, 22); EQ(HSMA_CANCEL, 23);
EQ(HUA_NONE, 1); EQ(HUA_ARCHIVE, 10); EQ(HUA_RESTORE, 11); EQ(HUA_RELEASE, 12);
EQ(HUA_REMOVE, 13); EQ(HUA_CANCEL, 14);
EQ(HPS_NONE, 0); EQ(HPS_WAITING, 1); EQ(HPS_RUNNING, 2); EQ(HPS_DONE, 3);
EQ(HS_EXISTS, 0x1); EQ(HS_DIRTY, 0x2); EQ(HS_RELEASED, 0x4); EQ(HS_ARCHIVED, 0x8);
EQ(HS_NORELEASE, 0x10); EQ(HS_NOARCHIVE, 0x20); EQ(HS_LOST, 0x40);
EQ(HS_PCCRW, 0x80); EQ(HS_PCCRO, 0x100);
EQ(HSM_USER_MASK, 0x32); EQ(HSM_STATUS_MASK, 0x1cd); EQ(HSM_FLAGS_MASK, 0x1ff);
EQ(HSM_FORCE_ACTION, 1); EQ(HSM_GHOST_COPY, 2); EQ(HSM_REQ_BLOCKING, 4);
EQ(HP_FLAG_COMPLETED, 1); EQ(HP_FLAG_RETRY, 2);
EQ(KUC_MAGIC, 0x191C); EQ(KUC_TRANSPORT_GENERIC, 1); EQ(KUC_TRANSPORT_HSM, 2);
EQ(KUC_MSG_SHUTDOWN, 1); EQ(HMT_ACTION_LIST, 100); EQ(KUC_GRP_HSM, 2); EQ(LK_FLG_STOP, 1);
EQ(LK_FLG_DATANR, 2); EQ(LK_NOFD, 0xffffffffU);
EQ(HAL_VERSION, 1); EQ(HAL_MAXSIZE, 1048576); EQ(LUSTRE_MAXFSNAME, 8);
EQ(LL_HSM_ORIGIN_MAX_ARCHIVE, 32); EQ(LL_HSM_MAX_ARCHIVES_PER_AGENT, 1024);
EQ(LUSTRE_EOF, 0xffffffffffffffffULL); EQ(LDLM_MAXREQSIZE, 5120);
EQ(ARS_WAITING, 0); EQ(ARS_STARTED, 1); EQ(ARS_FAILED, 2); EQ(ARS_CANCELED, 3);
EQ(ARS_SUCCEED, 4);
EQ(LLAPI_MSG_OFF, 0); EQ(LLAPI_MSG_FATAL, 1); EQ(LLAPI_MSG_ERROR, 2);
EQ(LLAPI_MSG_WARN, 3); EQ(LLAPI_MSG_NORMAL, 4); EQ(LLAPI_MSG_INFO, 5);
EQ(LLAPI_MSG_DEBUG, 6); EQ(LLAPI_MSG_MAX, 7); EQ(LLAPI_MSG_MASK, 7);
EQ(LLAPI_MSG_NO_ERRNO, 0x10);
EQ(FID_SEQ_NORMAL, 0x200000400ULL); EQ(FID_SEQ_ROOT, 0x200000007ULL);
EQ(FID_SEQ_DOT_LUSTRE, 0x200000002ULL);
EQ(LOV_PATTERN_RAID0, 1); EQ(LOV_PATTERN_F_RELEASED, 0x80000000U);
EQ(O_LOV_DELAY_CREATE, 020400);
_Static_assert(sizeof(LUSTRE_VOLATILE_HDR) - 1 == LUSTRE_VOLATILE_HDR_LEN,
	       "volatile header length");
_Static_assert(sizeof(enum lov_pattern) == 4, "enum lov_pattern size");
_Static_assert(sizeof(bool) == 1, "bool size");

/* 3.6 private handles */
SZ(hsm_copytool_private, 40); AL(hsm_copytool_private, 8);
OFF(hsm_copytool_private, magic, 0); OFF(hsm_copytool_private, mnt, 8);
OFF(hsm_copytool_private, kuch, 16); OFF(hsm_copytool_private, mnt_fd, 24);
OFF(hsm_copytool_private, open_by_fid_fd, 28); OFF(hsm_copytool_private, kuc, 32);
SZ(hsm_copyaction_private, 368); AL(hsm_copyaction_private, 8);
OFF(hsm_copyaction_private, magic, 0); OFF(hsm_copyaction_private, source_fd, 4);
OFF(hsm_copyaction_private, data_fd, 8); OFF(hsm_copyaction_private, ct_priv, 16);
OFF(hsm_copyaction_private, copy, 24);
OFF(hsm_copyaction_private, copy.hc_data_version, 24);
OFF(hsm_copyaction_private, copy.hc_flags, 32);
OFF(hsm_copyaction_private, copy.hc_errval, 34);
OFF(hsm_copyaction_private, copy.hc_hai, 40);
OFF(hsm_copyaction_private, copy.hc_hai.hai_fid, 48);
OFF(hsm_copyaction_private, copy.hc_hai.hai_dfid, 64);
OFF(hsm_copyaction_private, copy.hc_hai.hai_extent, 80);
OFF(hsm_copyaction_private, copy.hc_hai.hai_cookie, 96);
OFF(hsm_copyaction_private, copy.hc_hai.hai_gid, 104);
OFF(hsm_copyaction_private, statx, 112);
OFF(hsm_copyaction_private, statx.stx_uid, 132);
OFF(hsm_copyaction_private, statx.stx_gid, 136);
OFF(hsm_copyaction_private, statx.stx_atime, 176);
OFF(hsm_copyaction_private, statx.stx_btime, 192);
OFF(hsm_copyaction_private, statx.stx_ctime, 208);
OFF(hsm_copyaction_private, statx.stx_mtime, 224);
_Static_assert((unsigned int)CT_PRIV_MAGIC == 0xC0BE2001U, "CT magic"); EQ(CP_PRIV_MAGIC, 0x19880429);

/* 1.11 worked example: fsname "lustre", two items (72 and 82 bytes). */
static int check_worked_example(void)
{
	static union {
		char bytes[200];
		__u64 align;
	} buf;
	struct hsm_action_list *hal = (struct hsm_action_list *)buf.bytes;
	struct hsm_action_item *hai;

	hal->hal_version = HAL_VERSION;
	hal->hal_count = 2;
	strcpy(hal->hal_fsname, "lustre");
	hai = hai_first(hal);
	if ((char *)hai - buf.bytes != 40)
		return 1;
	hai->hai_len = 72;
	hai = hai_next(hai);
	if ((char *)hai - buf.bytes != 112)
		return 1;
	hai->hai_len = 82;
	if (hal_size(hal) != 200)
		return 1;
	return 0;
}

int main(void)
{
	if (check_worked_example()) {
		fprintf(stderr, "abi-check: HAL placement helpers are wrong\n");
		return 1;
	}
	printf("abi-check: ok\n");
	return 0;
}

/*
 * Internal helpers of liblustreapi shared by its source files.
 */
#ifndef LSIM_LIB_INTERNAL_H
#define LSIM_LIB_INTERNAL_H

#include <lustre/lustreapi.h>
#include "hsm_private.h"
#include "../common/lsim_proto.h"

/*
 * Issue a simulated ioctl: find the mount of fd, call the daemon.
 * A descriptor on no simulated mount (or an unmounted one) yields
 * not_lustre_rc, the errno an ioctl on a foreign filesystem would give.
 */
int lsim_fd_call(int fd, enum lsim_op op, const void *req, size_t req_len,
		 int send_fd, void *rep, size_t rep_size, size_t *rep_len,
		 int not_lustre_rc);

/* JSON event helpers (hsm_event.c) */
int lsim_event_fifo_active(void);
void lsim_event_ct_registration(const struct hsm_copytool_private *ct,
				const char *uuid, const char *type);
void lsim_event_ct_progress(const struct hsm_copyaction_private *hcp,
			    const char *phase, __u64 total, __u64 current);

#endif /* LSIM_LIB_INTERNAL_H */

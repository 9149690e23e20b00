/* SPDX-License-Identifier: LGPL-2.1 */
/* FID definitions and helpers live in lustre_user.h. */
#ifndef _UAPI_LUSTRE_FID_H_
#define _UAPI_LUSTRE_FID_H_

#include <linux/lustre/lustre_idl.h>

#endif /* _UAPI_LUSTRE_FID_H_ */

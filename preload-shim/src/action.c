/*
 * llapi_hsm_action_begin/end: the real functions do the work (they talk to
 * Lustre exactly as on any mover); the wrappers remember each item's key in
 * its action handle and tell the agent about begin and end.
 *
 * Nothing here takes a lock or touches shared mutable state: copytools call
 * these from worker threads and forked children. Each notice travels on a
 * connection of its own.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "shim.h"

int ctsh_notify(const struct ctsh_agent_addr *addr, enum ctsh_type type,
		uint64_t cookie, const struct lu_fid *dfid, int32_t value)
{
	struct ctsh_notice notice = {
		.cookie = cookie,
		.dfid = {
			.seq = dfid->f_seq,
			.oid = dfid->f_oid,
			.ver = dfid->f_ver,
		},
		.value = value,
	};
	int fd;
	int rc;

	fd = ctsh_connect(addr);
	if (fd < 0)
		return fd;
	rc = ctsh_send(fd, type, &notice, sizeof(notice));
	if (close(fd) < 0 && rc == 0 && errno != EINTR)
		rc = -errno;
	return rc;
}

static const struct ctsh_copytool *our_copytool(
		const struct hsm_copytool_private *priv)
{
	const struct ctsh_copytool *ct = (const struct ctsh_copytool *)priv;

	return ct != NULL && ct->magic == CTSH_CT_MAGIC ? ct : NULL;
}

static int notify_logged(const struct ctsh_agent_addr *agent,
			 enum ctsh_type type, uint64_t cookie,
			 const struct lu_fid *dfid, int32_t value)
{
	int rc = ctsh_notify(agent, type, cookie, dfid, value);

	if (rc < 0)
		ctsh_log(LLAPI_MSG_ERROR, rc,
			 "cannot report %s of cookie %#jx " DFID
			 " to the coordinatool mover agent at '%s'",
			 type == CTSH_BEGIN ? "the start" : "the end",
			 (uintmax_t)cookie, PFID(dfid), agent->sun.sun_path);
	return rc;
}

int llapi_hsm_action_begin(struct hsm_copyaction_private **phcp,
			   const struct hsm_copytool_private *priv,
			   const struct hsm_action_item *hai,
			   int restore_mdt_index, int restore_open_flags,
			   bool is_error)
{
	const struct ctsh_copytool *ct = our_copytool(priv);
	ctsh_begin_fn real_begin = ctsh_real_begin();
	struct ctsh_copyaction *action;
	struct hsm_extent extent;
	struct lu_fid dfid;
	uint64_t cookie;
	int rc;

	if (real_begin == NULL)
		return -EIO;
	if (ct == NULL || phcp == NULL || hai == NULL)
		return real_begin(phcp, priv, hai, restore_mdt_index,
				  restore_open_flags, is_error);

	/* the real begin replaces hai_dfid by the volatile's for RESTORE */
	cookie = hai->hai_cookie;
	dfid = hai->hai_dfid;
	extent = hai->hai_extent;
	rc = real_begin(phcp, priv, hai, restore_mdt_index,
			restore_open_flags, is_error);
	(void)notify_logged(&ct->agent, CTSH_BEGIN, cookie, &dfid, rc);
	if (rc != 0)
		return rc;

	action = realloc(*phcp, sizeof(*action));
	if (action == NULL) {
		ctsh_log(LLAPI_MSG_ERROR, -ENOMEM,
			 "cannot record the key of cookie %#jx " DFID,
			 (uintmax_t)cookie, PFID(&dfid));
		ctsh_real_end()(phcp, &extent, 0, ENOMEM);
		(void)notify_logged(&ct->agent, CTSH_END, cookie, &dfid,
				    ENOMEM);
		return -ENOMEM;
	}
	action->key_magic = CTSH_KEY_MAGIC;
	action->cookie = cookie;
	action->dfid = dfid;
	*phcp = (struct hsm_copyaction_private *)action;
	return 0;
}

int llapi_hsm_action_end(struct hsm_copyaction_private **phcp,
			 const struct hsm_extent *he, int hp_flags, int errval)
{
	ctsh_end_fn real_end = ctsh_real_end();
	const struct ctsh_copyaction *action;
	const struct ctsh_copytool *ct;
	struct ctsh_agent_addr agent;
	struct lu_fid dfid;
	uint64_t cookie;
	int32_t status;
	int notice_rc;
	int rc;

	if (real_end == NULL)
		return -EIO;
	if (phcp == NULL || *phcp == NULL)
		return real_end(phcp, he, hp_flags, errval);
	action = (const struct ctsh_copyaction *)*phcp;
	ct = action->magic == CTSH_CP_PRIV_MAGIC ?
		our_copytool(action->ct_priv) : NULL;
	if (ct == NULL || action->key_magic != CTSH_KEY_MAGIC)
		return real_end(phcp, he, hp_flags, errval);

	/* the real end frees the handle */
	cookie = action->cookie;
	dfid = action->dfid;
	agent = ct->agent;
	rc = real_end(phcp, he, hp_flags, errval);
	if (*phcp != NULL)
		return rc;	/* refused: the action is still running */

	status = errval != 0 ? abs(errval) : abs(rc);
	notice_rc = notify_logged(&agent, CTSH_END, cookie, &dfid, status);
	return rc != 0 ? rc : notice_rc;
}

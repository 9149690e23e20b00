/*
 * Copytool channel: llapi_hsm_copytool_{register,recv,get_fd,unregister}
 * served by the mover agent over the control connection instead of Lustre.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "shim.h"

#define RECONNECT_ATTEMPTS 5
/* Wait before each attempt after the first. */
static const unsigned int reconnect_delay_ms[RECONNECT_ATTEMPTS - 1] = {
	100, 200, 400, 800
};

/*
 * The lock and its owner change together with signals blocked, so that a
 * signal handler calling unregister knows whether it interrupted a call of
 * its own thread that holds the lock.
 */
static void ct_lock(struct ctsh_copytool *ct)
{
	sigset_t all, old;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pthread_mutex_lock(&ct->lock);
	atomic_store(&ct->lock_owner, gettid());
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

static void ct_unlock(struct ctsh_copytool *ct)
{
	sigset_t all, old;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	atomic_store(&ct->lock_owner, 0);
	pthread_mutex_unlock(&ct->lock);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

static int build_register_msg(struct ctsh_copytool *ct, int count,
			      const int *archives, int rfd_flags,
			      const char *mnt, const char *fsname)
{
	size_t mnt_len = strlen(mnt) + 1;
	size_t fsname_len = strlen(fsname) + 1;
	size_t payload = sizeof(struct ctsh_register) +
			 sizeof(uint32_t) * (size_t)count + mnt_len + fsname_len;
	struct ctsh_register reg = {
		.pid = getpid(),
		.rfd_flags = rfd_flags,
		.archive_count = (uint32_t)count,
	};
	char *p;
	int i;

	if (payload > CTSH_MAX_PAYLOAD)
		return -E2BIG;
	ct->reg_len = sizeof(struct ctsh_hdr) + payload;
	ct->reg_msg = malloc(ct->reg_len);
	if (ct->reg_msg == NULL)
		return -ENOMEM;
	ctsh_hdr_init(ct->reg_msg, CTSH_REGISTER, (uint32_t)payload);
	p = (char *)ct->reg_msg + sizeof(struct ctsh_hdr);
	memcpy(p, &reg, sizeof(reg));
	p += sizeof(reg);
	for (i = 0; i < count; i++) {
		uint32_t id = (uint32_t)archives[i];

		memcpy(p, &id, sizeof(id));
		p += sizeof(id);
	}
	memcpy(p, mnt, mnt_len);
	memcpy(p + mnt_len, fsname, fsname_len);
	return 0;
}

/*
 * Sends REGISTER on ct->sock and reads the reply. Returns 0 with the agent's
 * answer in *agent_rc, or -errno if the exchange itself failed.
 */
static int exchange_register(struct ctsh_copytool *ct, int *agent_rc)
{
	struct ctsh_hdr hdr;
	struct ctsh_rc reply;
	int rc;

	rc = ctsh_write_all(ct->sock, ct->reg_msg, ct->reg_len);
	if (rc < 0)
		return rc;
	rc = ctsh_read_hdr(ct->sock, &hdr);
	if (rc < 0)
		return rc == -EPIPE ? -ECONNRESET : rc;
	if (hdr.type != CTSH_REGISTER_REPLY || hdr.length != sizeof(reply))
		return -EPROTO;
	rc = ctsh_read_all(ct->sock, &reply, sizeof(reply));
	if (rc < 0)
		return rc == -EPIPE ? -ECONNRESET : rc;
	/* a positive answer is not an errno the copytool could use */
	*agent_rc = reply.rc > 0 ? -EPROTO : reply.rc;
	return 0;
}

/* A new control connection in place of ct->sock, registered again. */
static int reconnect_once(struct ctsh_copytool *ct)
{
	int agent_rc = 0;
	int fd;
	int rc;

	fd = ctsh_connect(&ct->agent);
	if (fd < 0)
		return fd;
	/* keep the descriptor number: copytools may be polling it */
	if (dup3(fd, ct->sock, O_CLOEXEC) < 0) {
		rc = -errno;
		close(fd);
		return rc;
	}
	close(fd);
	if (atomic_load(&ct->stopping))
		return -ESHUTDOWN;
	rc = exchange_register(ct, &agent_rc);
	if (rc < 0)
		return rc;
	return agent_rc;
}

/*
 * Whether the agent process that accepted the registration has ended. Its
 * child sees that at once (reparented as the agent exits, before it is
 * reaped); any other copytool when the agent is gone for good.
 */
static bool agent_gone(const struct ctsh_copytool *ct)
{
	if (ct->agent_pid <= 0)
		return false;
	if (ct->parent_pid == ct->agent_pid && getppid() != ct->agent_pid)
		return true;
	return kill(ct->agent_pid, 0) < 0 && errno == ESRCH;
}

/*
 * A copytool must not outlive its agent: the agent's successor gives the
 * work it held back to the coordinator at once, and another mover would run
 * it while this process still moves the same data. So the whole process
 * ends, its transfers with it, as on the crash of the mover's node.
 */
static void stop_if_agent_gone(const struct ctsh_copytool *ct)
{
	if (!agent_gone(ct))
		return;
	ctsh_log(LLAPI_MSG_ERROR | LLAPI_MSG_NO_ERRNO, 0,
		 "the coordinatool mover agent (pid %d) is gone: stopping this copytool, whose work is given to another mover",
		 (int)ct->agent_pid);
	kill(getpid(), SIGKILL);
}

static int reconnect(struct ctsh_copytool *ct)
{
	int rc = 0;
	int i;

	for (i = 0; i < RECONNECT_ATTEMPTS; i++) {
		if (i > 0) {
			rc = ctsh_sleep_ms(reconnect_delay_ms[i - 1]);
			if (rc < 0)
				return rc;
		}
		if (atomic_load(&ct->stopping))
			return -ESHUTDOWN;
		stop_if_agent_gone(ct);
		rc = reconnect_once(ct);
		if (rc == 0) {
			ct->connected = true;
			ctsh_log(LLAPI_MSG_WARN | LLAPI_MSG_NO_ERRNO, 0,
				 "reconnected to the coordinatool mover agent at '%s'",
				 ct->agent.sun.sun_path);
			return 0;
		}
		if (rc == -ESHUTDOWN)
			return rc;
	}
	ctsh_log(LLAPI_MSG_ERROR, rc,
		 "cannot reconnect to the coordinatool mover agent at '%s' after %d attempts",
		 ct->agent.sun.sun_path, RECONNECT_ATTEMPTS);
	return rc;
}

static void free_copytool(struct ctsh_copytool *ct)
{
	if (ct->sock >= 0)
		close(ct->sock);
	if (ct->open_by_fid_fd >= 0)
		close(ct->open_by_fid_fd);
	if (ct->mnt_fd >= 0)
		close(ct->mnt_fd);
	free(ct->reg_msg);
	free(ct->kuch);
	free(ct->mnt);
	free(ct);
}

/* Lustre's rules: NULL list -EINVAL, negative id -EINVAL, any 0 = all. */
static int archive_count_checked(int archive_count, const int *archives)
{
	int i;

	if (archive_count <= 0)
		return 0;
	if (archives == NULL) {
		ctsh_log(LLAPI_MSG_ERROR | LLAPI_MSG_NO_ERRNO, 0,
			 "NULL archive numbers");
		return -EINVAL;
	}
	for (i = 0; i < archive_count; i++) {
		if (archives[i] < 0) {
			ctsh_log(LLAPI_MSG_ERROR | LLAPI_MSG_NO_ERRNO, 0,
				 "%d requested when archive id [0 - %u] is supported",
				 archives[i], INT32_MAX);
			return -EINVAL;
		}
	}
	for (i = 0; i < archive_count; i++)
		if (archives[i] == 0)
			return 0;
	return archive_count;
}

static int open_mount(struct ctsh_copytool *ct, const char *mnt, char *fsname)
{
	ctsh_search_fsname_fn search_fsname = ctsh_real_search_fsname();
	int rc;

	ct->mnt_fd = open(mnt, O_RDONLY | O_CLOEXEC);
	if (ct->mnt_fd < 0) {
		rc = -errno;
		ctsh_log(LLAPI_MSG_ERROR, rc, "cannot open '%s'", mnt);
		return rc;
	}
	ct->open_by_fid_fd = openat(ct->mnt_fd, ".lustre/fid",
				    O_RDONLY | O_CLOEXEC);
	if (ct->open_by_fid_fd < 0) {
		rc = -errno;
		ctsh_log(LLAPI_MSG_ERROR, rc, "cannot open '%s/.lustre/fid'",
			 mnt);
		return rc;
	}
	rc = search_fsname(mnt, fsname);
	if (rc < 0)
		ctsh_log(LLAPI_MSG_ERROR, rc,
			 "cannot find the Lustre filesystem mounted at '%s'",
			 mnt);
	return rc;
}

static int connect_agent(struct ctsh_copytool *ct)
{
	int agent_rc = 0;
	int rc;

	ct->sock = ctsh_connect(&ct->agent);
	if (ct->sock < 0) {
		rc = ct->sock;
		ctsh_log(LLAPI_MSG_ERROR, rc,
			 "cannot connect to the coordinatool mover agent at '%s'",
			 ct->agent.sun.sun_path);
		return rc;
	}
	ct->parent_pid = getppid();
	ct->agent_pid = ctsh_peer_pid(ct->sock);
	rc = exchange_register(ct, &agent_rc);
	if (rc < 0) {
		ctsh_log(LLAPI_MSG_ERROR, rc,
			 "cannot register with the coordinatool mover agent at '%s'",
			 ct->agent.sun.sun_path);
		return rc;
	}
	if (agent_rc != 0)
		ctsh_log(LLAPI_MSG_ERROR, agent_rc,
			 "the coordinatool mover agent at '%s' refused the registration",
			 ct->agent.sun.sun_path);
	return agent_rc;
}

int llapi_hsm_copytool_register(struct hsm_copytool_private **priv,
				const char *mnt, int archive_count,
				int *archives, int rfd_flags)
{
	char fsname[PATH_MAX + 1] = "";
	struct ctsh_copytool *ct;
	int count;
	int rc;

	if (priv == NULL || mnt == NULL)
		return -EINVAL;
	count = archive_count_checked(archive_count, archives);
	if (count < 0)
		return count;
	if (ctsh_real_begin() == NULL || ctsh_real_end() == NULL ||
	    ctsh_real_search_fsname() == NULL) {
		ctsh_log(LLAPI_MSG_ERROR | LLAPI_MSG_NO_ERRNO, 0,
			 "liblustreapi is not loaded in this process");
		return -EIO;
	}

	ct = calloc(1, sizeof(*ct));
	if (ct == NULL)
		return -ENOMEM;
	ct->magic = CTSH_CT_MAGIC;
	ct->mnt_fd = -1;
	ct->open_by_fid_fd = -1;
	ct->sock = -1;
	ct->nonblock = (rfd_flags & O_NONBLOCK) != 0;

	rc = ctsh_agent_addr_from_env(&ct->agent);
	if (rc < 0) {
		ctsh_log(LLAPI_MSG_ERROR, rc,
			 "%s must name the coordinatool mover agent's socket",
			 CTSH_SOCKET_ENV);
		goto out_free;
	}
	ct->mnt = strdup(mnt);
	ct->kuch = malloc(CTSH_BUFFER_SIZE);
	if (ct->mnt == NULL || ct->kuch == NULL) {
		rc = -ENOMEM;
		goto out_free;
	}
	rc = open_mount(ct, mnt, fsname);
	if (rc < 0)
		goto out_free;
	rc = build_register_msg(ct, count, archives, rfd_flags, mnt, fsname);
	if (rc < 0)
		goto out_free;
	rc = -pthread_mutex_init(&ct->lock, NULL);
	if (rc < 0)
		goto out_free;
	rc = connect_agent(ct);
	if (rc < 0) {
		pthread_mutex_destroy(&ct->lock);
		goto out_free;
	}
	ct->connected = true;
	*priv = (struct hsm_copytool_private *)ct;
	return 0;

out_free:
	free_copytool(ct);
	return rc;
}

/* 1 if fd has something to read (or hung up), 0 if not, -errno. */
static int readable_now(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int n;

	do {
		n = poll(&pfd, 1, 0);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return n > 0;
}

static int send_recv_if_needed(struct ctsh_copytool *ct)
{
	struct ctsh_recv req = { .buffer_size = CTSH_BUFFER_SIZE };
	int rc;

	if (ct->recv_pending)
		return 0;
	rc = ctsh_send(ct->sock, CTSH_RECV, &req, sizeof(req));
	if (rc == 0)
		ct->recv_pending = true;
	return rc;
}

/*
 * Keeps a RECV outstanding for copytools that poll the descriptor, so that it
 * becomes readable when work arrives. If sending fails the socket reports
 * the hang-up, and the copytool's next recv reconnects.
 */
static void arm_recv(struct ctsh_copytool *ct)
{
	if (ct->connected && !ct->shut_down && !atomic_load(&ct->stopping) &&
	    send_recv_if_needed(ct) < 0)
		ct->connected = false;
}

/* Reads an ACTION_LIST payload of len bytes into the buffer or rejects it. */
static int take_list(struct ctsh_copytool *ct, uint32_t len,
		     struct hsm_action_list **halh, int *msgsize,
		     bool *broken)
{
	struct ctsh_rc reject;
	int rc;

	if (len > CTSH_BUFFER_SIZE || len < sizeof(struct hsm_action_list)) {
		reject.rc = len > CTSH_BUFFER_SIZE ? -EMSGSIZE : -EPROTO;
		rc = ctsh_skip(ct->sock, len);
		if (rc == 0)
			rc = ctsh_send(ct->sock, CTSH_REJECT, &reject,
				       sizeof(reject));
		if (rc < 0) {
			*broken = true;
			return rc;
		}
		ct->recv_pending = false;
		ctsh_log(LLAPI_MSG_ERROR, reject.rc,
			 "rejected an action list of %u bytes (buffer: %u bytes)",
			 len, CTSH_BUFFER_SIZE);
		return reject.rc;
	}
	rc = ctsh_read_all(ct->sock, ct->kuch, len);
	if (rc < 0) {
		*broken = true;
		return rc;
	}
	ct->recv_pending = false;
	*halh = ct->kuch;
	*msgsize = (int)len;
	return 0;
}

/*
 * One RECV round trip. A failure of the connection itself sets *broken;
 * any other result is for the copytool.
 */
static int exchange_recv(struct ctsh_copytool *ct,
			 struct hsm_action_list **halh, int *msgsize,
			 bool *broken)
{
	struct ctsh_hdr hdr;
	int rc;

	rc = send_recv_if_needed(ct);
	if (rc == 0 && ct->nonblock) {
		rc = readable_now(ct->sock);
		if (rc == 0)
			return -EAGAIN;
	}
	if (rc >= 0)
		rc = ctsh_read_hdr(ct->sock, &hdr);
	if (rc < 0) {
		*broken = true;
		return rc;
	}
	if (hdr.type == CTSH_ACTION_LIST)
		return take_list(ct, hdr.length, halh, msgsize, broken);
	if (hdr.type == CTSH_SHUTDOWN && hdr.length == 0) {
		ct->shut_down = true;
		ct->recv_pending = false;
		return -ESHUTDOWN;
	}
	*broken = true;
	return -EPROTO;
}

static int recv_locked(struct ctsh_copytool *ct,
		       struct hsm_action_list **halh, int *msgsize)
{
	for (;;) {
		bool broken = false;
		int rc;

		if (atomic_load(&ct->stopping) || ct->shut_down)
			return -ESHUTDOWN;
		if (!ct->connected) {
			rc = reconnect(ct);
			if (rc < 0)
				return rc;
			continue;
		}
		rc = exchange_recv(ct, halh, msgsize, &broken);
		if (!broken)
			return rc;
		/* unregister shut the socket down to wake us: not a failure */
		if (atomic_load(&ct->stopping))
			return -ESHUTDOWN;
		ctsh_log(LLAPI_MSG_WARN, rc,
			 "lost the connection to the coordinatool mover agent at '%s', reconnecting",
			 ct->agent.sun.sun_path);
		ct->connected = false;
		ct->recv_pending = false;
	}
}

int llapi_hsm_copytool_recv(struct hsm_copytool_private *priv,
			    struct hsm_action_list **halh, int *msgsize)
{
	struct ctsh_copytool *ct = (struct ctsh_copytool *)priv;
	int rc;

	if (ct != NULL && ct->magic != CTSH_CT_MAGIC) {
		ctsh_ct_recv_fn real = ctsh_real_recv();

		return real != NULL ? real(priv, halh, msgsize) : -EINVAL;
	}
	if (ct == NULL || halh == NULL || msgsize == NULL)
		return -EINVAL;
	ct_lock(ct);
	rc = recv_locked(ct, halh, msgsize);
	/* a polling copytool waits for readability before its next recv */
	if (ct->polled)
		arm_recv(ct);
	ct_unlock(ct);
	if (rc < 0) {
		*halh = NULL;
		*msgsize = 0;
	}
	return rc;
}

int llapi_hsm_copytool_get_fd(struct hsm_copytool_private *priv)
{
	struct ctsh_copytool *ct = (struct ctsh_copytool *)priv;

	if (ct != NULL && ct->magic != CTSH_CT_MAGIC) {
		ctsh_ct_fn real = ctsh_real_get_fd();

		return real != NULL ? real(priv) : -EINVAL;
	}
	if (ct == NULL)
		return -EINVAL;
	ct_lock(ct);
	ct->polled = true;
	arm_recv(ct);
	ct_unlock(ct);
	return ct->sock;
}

int llapi_hsm_copytool_unregister(struct hsm_copytool_private **priv)
{
	struct ctsh_copytool *ct;

	if (priv == NULL || *priv == NULL)
		return -EINVAL;
	ct = (struct ctsh_copytool *)*priv;
	if (ct->magic != CTSH_CT_MAGIC) {
		ctsh_ct_unregister_fn real = ctsh_real_unregister();

		return real != NULL ? real(priv) : -EINVAL;
	}

	atomic_store(&ct->stopping, true);
	if (atomic_load(&ct->lock_owner) == gettid()) {
		/*
		 * A signal handler interrupted this thread inside a call on
		 * the handle: that call still uses it, so only hang up.
		 */
		(void)shutdown(ct->sock, SHUT_RDWR);
		return -EBUSY;
	}
	/*
	 * Wake a recv blocked in another thread; it sees "stopping" and
	 * returns. Fails harmlessly (ENOTCONN) on a dead connection.
	 */
	(void)shutdown(ct->sock, SHUT_RD);

	ct_lock(ct);
	if (ct->connected) {
		struct ctsh_unregister msg = {
			.recv_pending = ct->recv_pending ? 1 : 0,
		};

		/* an agent that is already gone needs no goodbye */
		(void)ctsh_send(ct->sock, CTSH_UNREGISTER, &msg, sizeof(msg));
	}
	ct_unlock(ct);
	pthread_mutex_destroy(&ct->lock);
	free_copytool(ct);
	*priv = NULL;
	return 0;
}

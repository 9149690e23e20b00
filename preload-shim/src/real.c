/*
 * The real liblustreapi functions, looked up lazily with dlsym(RTLD_NEXT) so
 * that the shim follows whichever library the copytool loaded, even one it
 * loads after start-up. Lookups are idempotent, so racing threads are fine.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shim.h"

typedef void (*error_fn)(enum llapi_message_level level, int err,
			 const char *fmt, ...);

static void *lookup(_Atomic(void *) *slot, const char *name)
{
	void *fn = atomic_load_explicit(slot, memory_order_acquire);

	if (fn == NULL) {
		fn = dlsym(RTLD_NEXT, name);
		if (fn != NULL)
			atomic_store_explicit(slot, fn, memory_order_release);
	}
	return fn;
}

#define REAL(_type, _getter, _name)					\
	_type _getter(void)						\
	{								\
		static _Atomic(void *) slot;				\
		return (_type)lookup(&slot, _name);			\
	}

REAL(ctsh_begin_fn, ctsh_real_begin, "llapi_hsm_action_begin")
REAL(ctsh_end_fn, ctsh_real_end, "llapi_hsm_action_end")
REAL(ctsh_search_fsname_fn, ctsh_real_search_fsname, "llapi_search_fsname")
REAL(ctsh_ct_fn, ctsh_real_get_fd, "llapi_hsm_copytool_get_fd")
REAL(ctsh_ct_recv_fn, ctsh_real_recv, "llapi_hsm_copytool_recv")
REAL(ctsh_ct_unregister_fn, ctsh_real_unregister,
     "llapi_hsm_copytool_unregister")
static REAL(error_fn, real_error, "llapi_error")

void ctsh_log(enum llapi_message_level level, int err, const char *fmt, ...)
{
	char msg[1024];
	error_fn error = real_error();
	int saved_errno = errno;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (error != NULL)
		error(level, err, "coordinatool-preload: %s", msg);
	else if (err != 0 && !(level & LLAPI_MSG_NO_ERRNO))
		fprintf(stderr, "%s: coordinatool-preload: %s: %s (%d)\n",
			program_invocation_short_name, msg,
			strerror(abs(err)), abs(err));
	else
		fprintf(stderr, "%s: coordinatool-preload: %s\n",
			program_invocation_short_name, msg);
	errno = saved_errno;
}

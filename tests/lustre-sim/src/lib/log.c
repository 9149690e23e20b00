/*
 * Library messages (level filter, sinks, command name) and size parsing.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib_internal.h"

static int llapi_msg_level = LLAPI_MSG_MAX;
static const char *llapi_cmd_name;

static void print_prefix(FILE *out)
{
	if (llapi_cmd_name != NULL)
		fprintf(out, "%s %s: ", program_invocation_short_name,
			llapi_cmd_name);
	else
		fprintf(out, "%s: ", program_invocation_short_name);
}

static void error_callback_default(enum llapi_message_level level, int err,
				   const char *fmt, va_list ap)
{
	print_prefix(stderr);
	if (level & LLAPI_MSG_NO_ERRNO) {
		vfprintf(stderr, fmt, ap);
		if (strchr(fmt, '\n') == NULL)
			fputc('\n', stderr);
		return;
	}

	/* The errno text ends the line: drop the format's last newline
	 * and whatever follows it. */
	if (strchr(fmt, '\n') != NULL) {
		char *cut = strdup(fmt);

		if (cut != NULL) {
			*strrchr(cut, '\n') = '\0';
			vfprintf(stderr, cut, ap);
			free(cut);
		} else {
			vfprintf(stderr, fmt, ap);
		}
	} else {
		vfprintf(stderr, fmt, ap);
	}
	fprintf(stderr, ": %s (%d)\n", strerror(err), err);
}

static void info_callback_default(enum llapi_message_level level, int err,
				  const char *fmt, va_list ap)
{
	(void)level;
	if (err != 0)
		print_prefix(stdout);
	vfprintf(stdout, fmt, ap);
}

static llapi_log_callback_t llapi_error_callback = error_callback_default;
static llapi_log_callback_t llapi_info_callback = info_callback_default;

void llapi_msg_set_level(int level)
{
	if (level < LLAPI_MSG_OFF)
		level = LLAPI_MSG_OFF;
	if (level > LLAPI_MSG_MAX)
		level = LLAPI_MSG_MAX;
	llapi_msg_level = level;
}

int llapi_msg_get_level(void)
{
	return llapi_msg_level;
}

void llapi_set_command_name(const char *cmd)
{
	llapi_cmd_name = cmd;
}

void llapi_clear_command_name(void)
{
	llapi_cmd_name = NULL;
}

llapi_log_callback_t llapi_error_callback_set(llapi_log_callback_t cb)
{
	llapi_log_callback_t old = llapi_error_callback;

	llapi_error_callback = cb != NULL ? cb : error_callback_default;
	return old;
}

llapi_log_callback_t llapi_info_callback_set(llapi_log_callback_t cb)
{
	llapi_log_callback_t old = llapi_info_callback;

	llapi_info_callback = cb != NULL ? cb : info_callback_default;
	return old;
}

void llapi_error(enum llapi_message_level level, int err, const char *fmt, ...)
{
	int saved_errno = errno;
	va_list args;

	if ((int)(level & LLAPI_MSG_MASK) > llapi_msg_level)
		return;
	va_start(args, fmt);
	llapi_error_callback(level, abs(err), fmt, args);
	va_end(args);
	errno = saved_errno;
}

void llapi_printf(enum llapi_message_level level, const char *fmt, ...)
{
	int saved_errno = errno;
	va_list args;

	if ((int)(level & LLAPI_MSG_MASK) > llapi_msg_level)
		return;
	va_start(args, fmt);
	llapi_info_callback(level, 0, fmt, args);
	va_end(args);
	errno = saved_errno;
}

int llapi_parse_size(const char *optarg, unsigned long long *size,
		     unsigned long long *size_units, int bytes_spec)
{
	unsigned long long frac = 0;
	unsigned long long frac_d = 1;
	unsigned long long units;
	char *end;
	char *fstart;

	if (optarg[0] == '-')
		return -EINVAL;
	if (*size_units == 0)
		*size_units = 1;

	*size = strtoull(optarg, &end, 0);
	if (*end == '.') {
		fstart = end + 1;
		frac = strtoull(fstart, &end, 10);
		for (; fstart < end; fstart++) {
			if (frac_d > ULLONG_MAX / 10)
				return -EINVAL;
			frac_d *= 10;
		}
	}

	if (*end != '\0') {
		char next;

		switch (tolower((unsigned char)*end)) {
		case 'b':
			*size_units = bytes_spec ? 1 : 512;
			break;
		case 'c':
			*size_units = 1;
			break;
		case 'k':
			*size_units = 1ULL << 10;
			break;
		case 'm':
			*size_units = 1ULL << 20;
			break;
		case 'g':
			*size_units = 1ULL << 30;
			break;
		case 't':
			*size_units = 1ULL << 40;
			break;
		case 'p':
			*size_units = 1ULL << 50;
			break;
		case 'e':
			*size_units = 1ULL << 60;
			break;
		default:
			return -EINVAL;
		}
		next = end[1];
		if (next != '\0' && tolower((unsigned char)next) != 'i' &&
		    tolower((unsigned char)next) != 'b')
			return -EINVAL;
	}

	units = *size_units;
	if (*size > ULLONG_MAX / units)
		return -EINVAL;
	*size = *size * units +
		(unsigned long long)((unsigned __int128)frac * units / frac_d);
	return 0;
}

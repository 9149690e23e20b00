/*
 * How every simulator tool reports a command-line error.
 */
#ifndef LSIM_USAGE_H
#define LSIM_USAGE_H

#include <stdio.h>

/*
 * Prints "PROG: " and FMT (with its one %s taken from ARG) on stderr, then
 * the tool's usage; returns the exit status of a usage error, 2.
 */
int lsim_usage_error(const char *prog, void (*usage)(FILE *out),
		     const char *fmt, const char *arg);

#endif

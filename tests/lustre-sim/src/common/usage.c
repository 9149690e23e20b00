#include "usage.h"

int lsim_usage_error(const char *prog, void (*usage)(FILE *out),
		     const char *fmt, const char *arg)
{
	fprintf(stderr, "%s: ", prog);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	usage(stderr);
	return 2;
}

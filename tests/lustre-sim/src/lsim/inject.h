/*
 * lsim inject: bulk creation of files and submission of their HSM archive
 * requests, as users would through lfs, for benchmarks.
 */
#ifndef LSIM_INJECT_H
#define LSIM_INJECT_H

int cmd_inject(int argc, char **argv);

#endif

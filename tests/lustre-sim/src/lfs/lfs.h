/*
 * lfs: user-side HSM and FID commands, written only against the public
 * liblustreapi API so that it behaves exactly as it would on a real client.
 */
#ifndef LSIM_LFS_H
#define LSIM_LFS_H

#include <lustre/lustreapi.h>

/* Returned by a command to request its usage text; the exit status is then 4,
 * as with the Lustre command parser. */
#define CMD_HELP 4

#define LFS_PROGNAME "lfs"

struct lfs_command {
	const char *name;
	int (*func)(int argc, char **argv);
	const char *help;
};

int lfs_hsm_archive(int argc, char **argv);
int lfs_hsm_restore(int argc, char **argv);
int lfs_hsm_release(int argc, char **argv);
int lfs_hsm_remove(int argc, char **argv);
int lfs_hsm_cancel(int argc, char **argv);
int lfs_hsm_state(int argc, char **argv);
int lfs_hsm_action(int argc, char **argv);
int lfs_hsm_set(int argc, char **argv);
int lfs_hsm_clear(int argc, char **argv);
int lfs_path2fid(int argc, char **argv);
int lfs_fid2path(int argc, char **argv);

/* Keeps the first error of a multi-operand command. */
static inline void lfs_keep_first_error(int *rc, int err)
{
	if (*rc == 0 && err != 0)
		*rc = err;
}

#endif

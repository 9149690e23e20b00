/*
 * lfs command dispatcher: `lfs <command> ...` and `lfs hsm <x> ...`
 * (the latter is the same command as `lfs hsm_<x>`).
 *
 * Exit status follows the Lustre command parser: a negative errno from a
 * command becomes its positive value, CMD_HELP (usage printed on stdout)
 * gives 4.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "lfs.h"

static const struct lfs_command commands[] = {
	{ "hsm_archive", lfs_hsm_archive,
	  "Archive file to external storage.\n"
	  "usage: hsm_archive [--filelist FILELIST] [--data DATA] [--archive NUM] FILE" },
	{ "hsm_restore", lfs_hsm_restore,
	  "Restore file from external storage.\n"
	  "usage: hsm_restore [--filelist FILELIST] [--data DATA] FILE" },
	{ "hsm_release", lfs_hsm_release,
	  "Release files from Lustre.\n"
	  "usage: hsm_release [--filelist FILELIST] [--data DATA] FILE" },
	{ "hsm_remove", lfs_hsm_remove,
	  "Remove file copy from external storage.\n"
	  "usage: hsm_remove [--filelist FILELIST] [--data DATA] [--archive NUM] "
	  "{FILE | --mntpath MOUNTPATH FID}\n"
	  "\n"
	  "Note: To remove an archived copy of a file already deleted from a "
	  "Lustre FS, the\n"
	  "--mntpath option and a list of FIDs must be specified" },
	{ "hsm_cancel", lfs_hsm_cancel,
	  "Cancel requests related to specified files.\n"
	  "usage: hsm_cancel [--filelist FILELIST] [--data DATA] FILE" },
	{ "hsm_state", lfs_hsm_state,
	  "Display the HSM information (states, undergoing actions) for given files.\n"
	  "usage: hsm_state FILE ..." },
	{ "hsm_action", lfs_hsm_action,
	  "Display current HSM request for given files.\n"
	  "usage: hsm_action FILE ..." },
	{ "hsm_set", lfs_hsm_set,
	  "Set HSM user flag on specified files.\n"
	  "usage: hsm_set [--norelease] [--noarchive] [--dirty] [--exists] "
	  "[--archived] [--lost] [--archive-id NUM] FILE ..." },
	{ "hsm_clear", lfs_hsm_clear,
	  "Clear HSM user flag on specified files.\n"
	  "usage: hsm_clear [--norelease] [--noarchive] [--dirty] [--exists] "
	  "[--archived] [--lost] FILE ..." },
	{ "path2fid", lfs_path2fid,
	  "Display the fid(s) for a given path(s).\n"
	  "usage: path2fid [--parents] PATH ..." },
	{ "fid2path", lfs_fid2path,
	  "Resolve the full path(s) for given FID(s). For a specific hardlink "
	  "specify link number <linkno>.\n"
	  "usage: fid2path [--print-fid|-f] [--print-link|-c] [--link|-l LINKNO] "
	  "[--name|-n] [--print0|-0] FSNAME|ROOT FID ..." },
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))
#define HSM_PREFIX "hsm_"

static const struct lfs_command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < N_COMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static const struct lfs_command *find_hsm_command(const char *subname)
{
	char name[64];
	int n;

	n = snprintf(name, sizeof(name), HSM_PREFIX "%s", subname);
	if (n < 0 || (size_t)n >= sizeof(name))
		return NULL;
	return find_command(name);
}

static void list_commands(void)
{
	size_t i;

	printf("usage: %s COMMAND [OPTIONS]... [ARGS]\n", LFS_PROGNAME);
	printf("Commands (each hsm_<x> can also be spelled 'hsm <x>'):\n");
	for (i = 0; i < N_COMMANDS; i++)
		printf("  %s\n", commands[i].name);
}

static void list_hsm_commands(void)
{
	size_t i;

	printf("usage: %s hsm COMMAND [OPTIONS]... [ARGS]\n", LFS_PROGNAME);
	printf("Commands:\n");
	for (i = 0; i < N_COMMANDS; i++)
		if (strncmp(commands[i].name, HSM_PREFIX, strlen(HSM_PREFIX)) == 0)
			printf("  %s\n", commands[i].name + strlen(HSM_PREFIX));
}

static int run_command(const struct lfs_command *cmd, const char *cmd_name,
		       int argc, char **argv)
{
	int rc;

	optind = 0;
	llapi_set_command_name(cmd_name);
	rc = cmd->func(argc, argv);
	llapi_clear_command_name();
	if (rc == CMD_HELP)
		printf("%s\n", cmd->help);
	return rc;
}

int main(int argc, char **argv)
{
	const struct lfs_command *cmd;
	int rc;

	setlinebuf(stdout);

	if (argc < 2) {
		list_commands();
		return CMD_HELP;
	}

	if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "--list-commands") == 0) {
		list_commands();
		return 0;
	}

	if (strcmp(argv[1], "hsm") == 0) {
		if (argc < 3) {
			list_hsm_commands();
			return CMD_HELP;
		}
		cmd = find_hsm_command(argv[2]);
		if (cmd == NULL) {
			fprintf(stderr,
				"%s hsm: '%s' is not a valid command. See '%s hsm'.\n",
				LFS_PROGNAME, argv[2], LFS_PROGNAME);
			return 1;
		}
		rc = run_command(cmd, argv[1], argc - 2, argv + 2);
	} else {
		cmd = find_command(argv[1]);
		if (cmd == NULL) {
			fprintf(stderr,
				"%s: '%s' is not a valid command. See '%s --list-commands'.\n",
				LFS_PROGNAME, argv[1], LFS_PROGNAME);
			return 1;
		}
		rc = run_command(cmd, argv[1], argc - 1, argv + 1);
	}

	return rc < 0 ? -rc : rc;
}

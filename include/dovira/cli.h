/* cli.h: the non-interactive commands.
 *
 * Each command is a function cmd_NAME(cli, argc, argv) where argv[0] is the
 * command's name and the rest are its own arguments; it parses them with
 * getopt_long (optind reset by the dispatcher), answers --help on stdout,
 * prints errors on stderr, one line each, as "dovira NAME: message", and
 * returns the exit status: 0 ok, 1 a problem found, 2 a usage error.
 * Everything a person reads goes through gettext.
 */
#ifndef DOVIRA_CLI_H
#define DOVIRA_CLI_H

enum { CLI_OK = 0, CLI_PROBLEM = 1, CLI_USAGE = 2 };

/* What the global options decided, passed to every command. */
typedef struct dv_cli {
	const char *db_path; /* resolved database path (never NULL) */
	const char *lang;    /* "uk", "en" or NULL (from the locale) */
} dv_cli;

/* Print "dovira CMD: message\n" on stderr, message sanitised. */
void cli_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Report the option getopt_long just refused (call with opterr = 0 set
 * before parsing) as one line: "dovira CMD: unknown option ...". */
void cli_bad_option(const char *cmd, char **argv);

/* Parse the options of a command or subcommand that takes only --help
 * (argv[0] is its name; optind is left at the first operand). Returns -1
 * to go on, CLI_OK after printing help on stdout, or CLI_USAGE after a
 * one-line error for an unknown option. */
int cli_only_help(const char *cmd, int argc, char **argv, const char *help);

/* Make every line the commands print to a terminal pass the sanitiser:
 * stdout and stderr, when they are terminals, are replaced by streams
 * that sanitise what is written (newlines and tabs kept) on the way to
 * it, so a value read from the database or a file cannot send the
 * terminal an escape sequence, whichever printf prints it. Pipes and
 * files are left alone (exports and `dovira redact` stay byte-exact).
 * Called once, before a command runs; never for the screens, which own
 * the terminal. */
void cli_guard_terminal(void);

/* Print s, sanitised, in exactly w display columns (not bytes): padded
 * with spaces, or cut with "…". */
void cli_put_cell(const char *s, int w);

int cmd_init(dv_cli *cli, int argc, char **argv);
int cmd_check(dv_cli *cli, int argc, char **argv);
int cmd_staff(dv_cli *cli, int argc, char **argv);
int cmd_backup(dv_cli *cli, int argc, char **argv);
int cmd_redact(dv_cli *cli, int argc, char **argv);
int cmd_script(dv_cli *cli, int argc, char **argv);
int cmd_orgs(dv_cli *cli, int argc, char **argv);
int cmd_demo(dv_cli *cli, int argc, char **argv);
int cmd_calls(dv_cli *cli, int argc, char **argv);
int cmd_audit(dv_cli *cli, int argc, char **argv);
int cmd_report(dv_cli *cli, int argc, char **argv);
int cmd_retention(dv_cli *cli, int argc, char **argv);
int cmd_export(dv_cli *cli, int argc, char **argv);

#endif

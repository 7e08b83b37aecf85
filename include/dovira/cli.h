/* cli.h: the non-interactive commands and their one parser.
 *
 * Every command and subcommand is a row of one table (cli_commands, in
 * src/cli/commands.c): its name, the roles that may run it, its options
 * and positional arguments with the kind of value each takes, and its
 * help. cli_parse reads the command line against that table alone, so
 * --help at every level, every usage error and the role refusal are the
 * same for all commands; a command's run function gets a parsed, typed
 * result (cli_parsed) and does only its work. It prints errors on stderr,
 * one line each, as "dovira NAME: message", and returns the exit status:
 * 0 ok, 1 a problem found, 2 a usage error. Everything a person reads
 * goes through gettext.
 *
 * The command line, as getopt_long users expect: long options as
 * --name VALUE or --name=VALUE, a unique prefix of a long name accepted;
 * short options as -x VALUE or -xVALUE, flags bundled (-ab); options may
 * follow positional arguments; "--" ends the options; a lone "-" is an
 * argument; an option that does not repeat may still be given again, and
 * the last one counts (alias-friendly: dovira calls list --format csv
 * --format json is json). Options before a subcommand's name belong to the command
 * above it (dovira --db X calls list --limit 5).
 */
#ifndef DOVIRA_CLI_H
#define DOVIRA_CLI_H

#include <stdio.h>
#include <time.h>

enum { CLI_OK = 0, CLI_PROBLEM = 1, CLI_USAGE = 2 };

struct dv_session;

/* What the global options decided, passed to every command. */
typedef struct dv_cli {
	const char *db_path;   /* resolved database path (never NULL) */
	const char *lang;      /* "uk", "en" or NULL (from the locale) */
	struct dv_session *s;  /* the session, opened and its role checked
				  by the dispatcher when the command's roles
				  are not 0; else NULL */
} dv_cli;

/* ---- the table ---- */

/* What kind of value an option takes; the parser checks it. */
typedef enum cli_kind {
	CLI_FLAG,   /* no value */
	CLI_TEXT,   /* any text */
	CLI_PATH,   /* a file's path (any text; named FILE in help) */
	CLI_DATE,   /* YYYY-MM-DD, UTC midnight: cli_date */
	CLI_NUMBER, /* a whole number from min to max: cli_number */
	CLI_CHOICE  /* one of choices: cli_choice gives its index */
} cli_kind;

enum {
	CLI_REPEAT = 1 << 0,   /* may be given more than once (cli_texts) */
	CLI_REQUIRED = 1 << 1, /* must be given */
	CLI_HIDDEN = 1 << 2,   /* parsed but not offered in help */
};

typedef struct cli_opt {
	const char *name;            /* long name without "--"; NULL ends a list */
	char short_name;             /* 0: none */
	cli_kind kind;
	const char *value;           /* the value's name in help ("N"); not for
					CLI_FLAG and CLI_CHOICE */
	const char *help;            /* N_(): one line */
	const char *const *choices;  /* CLI_CHOICE: NULL-terminated */
	long min, max;               /* CLI_NUMBER: the range */
	unsigned flags;              /* CLI_REPEAT, CLI_REQUIRED */
} cli_opt;

/* How many values a positional argument takes. */
typedef enum cli_count { CLI_ONE, CLI_OPTIONAL, CLI_SOME /* 1 or more */, CLI_ANY /* 0 or more */ } cli_count;

typedef struct cli_arg {
	const char *name; /* in help and errors ("LOGIN"); NULL ends a list */
	cli_count count;  /* CLI_SOME and CLI_ANY only last */
} cli_arg;

typedef struct cli_parsed cli_parsed;

typedef struct cli_command {
	const char *name;               /* NULL ends a list of subcommands */
	unsigned roles;                 /* staff_role mask that may run it; 0:
					   no account needed (the command opens
					   what it needs itself) */
	const cli_opt *opts;            /* NULL or a list ending in {NULL} */
	const cli_arg *args;            /* NULL or a list ending in {NULL} */
	const char *summary;            /* N_(): one line, in the list above */
	const char *help;               /* N_(): what it does, or NULL */
	const struct cli_command *subs; /* its subcommands, or NULL */
	int (*run)(dv_cli *cli, const cli_parsed *p); /* NULL with subs */
} cli_command;

/* The command line's whole table: "dovira" with the global options, its
 * subcommands the commands. */
extern const cli_command cli_root;

/* ---- the parser ---- */

#define CLI_MAX_VALUES 48
#define CLI_MAX_DEPTH 4

/* One option given: every value (in order) and the last, typed. */
typedef struct cli_value {
	const cli_opt *opt;
	size_t n;           /* times given */
	const char **texts; /* n values as written (pointers into argv) */
	long number;        /* CLI_NUMBER: the last */
	time_t date;        /* CLI_DATE: the last */
	int choice;         /* CLI_CHOICE: the last's index */
} cli_value;

struct cli_parsed {
	const cli_command *cmd;               /* the deepest command named */
	const cli_command *chain[CLI_MAX_DEPTH]; /* root ... cmd */
	int depth;                            /* entries of chain */
	char path[64];                        /* "calls list" ("" for the root) */
	const char *name;                     /* "calls": what errors begin with;
					       * after a usage error the whole
					       * path, "calls list" */
	int help;                             /* --help was asked for cmd */
	int nargs;
	char **args;                          /* positionals (into argv) */
	size_t nvalues;
	cli_value values[CLI_MAX_VALUES];     /* options given, any level */
	char *error;                          /* the usage error, or NULL */
};

/* Parse argv (argv[0] the program) against root. Prints nothing: returns
 * 0 with p filled (p->help set if --help was asked, p->cmd the command
 * it was asked for), or CLI_USAGE with p->error the message, already
 * ending in "; see 'dovira PATH --help'" and p->path (and p->name)
 * naming the command.
 * The caller frees p with cli_parsed_free whatever it returns; argv must
 * outlive p. Only the first --help counts; nothing after it is read. */
int cli_parse(const cli_command *root, int argc, char **argv, cli_parsed *p);
void cli_parsed_free(cli_parsed *p);

/* Print the help of p->cmd (usage, description, options, subcommands),
 * all of it generated from the table and translated. */
void cli_help(FILE *out, const cli_parsed *p);

/* The values of option name (its long name), of the deepest command of
 * p's chain that has an option of that name. cli_given: how many times it was given. The
 * others give the last value, or dflt (NULL, 0) when it was not given. */
size_t cli_given(const cli_parsed *p, const char *name);
const char *cli_text(const cli_parsed *p, const char *name);
long cli_number(const cli_parsed *p, const char *name, long dflt);
time_t cli_date(const cli_parsed *p, const char *name);
int cli_choice(const cli_parsed *p, const char *name, int dflt);
/* The value of option name of command c (one of p's chain), or NULL if
 * it was not given: for an option whose name a deeper command reuses
 * (dovira --version, dovira calls correct --version N). */
const cli_value *cli_option(const cli_parsed *p, const cli_command *c, const char *name);
/* Every value of a CLI_REPEAT option, in order; *n their count. */
const char *const *cli_texts(const cli_parsed *p, const char *name, size_t *n);

/* Run the command p names: refuse with one line and CLI_PROBLEM before
 * any work when its roles are not the account's (opening the session
 * for it), then call its run function. */
int cli_run(dv_cli *cli, const cli_parsed *p);

/* ---- what the commands share ---- */

/* Print "dovira CMD: message\n" on stderr, message sanitised. */
void cli_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

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

/* dovira help [COMMAND...]: the help of dovira or of the command named,
 * as --help would print it. */
int cmd_help(dv_cli *cli, const cli_parsed *p);

/* The commands' work, named in the table. */
int cmd_init(dv_cli *cli, const cli_parsed *p);
int cmd_check(dv_cli *cli, const cli_parsed *p);
int cmd_backup(dv_cli *cli, const cli_parsed *p);
int cmd_staff_add(dv_cli *cli, const cli_parsed *p);
int cmd_staff_list(dv_cli *cli, const cli_parsed *p);
int cmd_staff_remove(dv_cli *cli, const cli_parsed *p);
int cmd_redact(dv_cli *cli, const cli_parsed *p);
int cmd_script_check(dv_cli *cli, const cli_parsed *p);
int cmd_script_try(dv_cli *cli, const cli_parsed *p);
int cmd_orgs_import(dv_cli *cli, const cli_parsed *p);
int cmd_orgs_export(dv_cli *cli, const cli_parsed *p);
int cmd_orgs_search(dv_cli *cli, const cli_parsed *p);
int cmd_orgs_show(dv_cli *cli, const cli_parsed *p);
int cmd_orgs_verify(dv_cli *cli, const cli_parsed *p);
int cmd_orgs_retire(dv_cli *cli, const cli_parsed *p);
int cmd_orgs_do_not_refer(dv_cli *cli, const cli_parsed *p);
int cmd_orgs_refer_again(dv_cli *cli, const cli_parsed *p);
int cmd_demo(dv_cli *cli, const cli_parsed *p);
int cmd_calls_list(dv_cli *cli, const cli_parsed *p);
int cmd_calls_show(dv_cli *cli, const cli_parsed *p);
int cmd_calls_case(dv_cli *cli, const cli_parsed *p);
int cmd_calls_link(dv_cli *cli, const cli_parsed *p);
int cmd_calls_case_set(dv_cli *cli, const cli_parsed *p);
int cmd_calls_overdue(dv_cli *cli, const cli_parsed *p);
int cmd_calls_one(dv_cli *cli, const cli_parsed *p);
int cmd_calls_correct(dv_cli *cli, const cli_parsed *p);
int cmd_calls_drafts(dv_cli *cli, const cli_parsed *p);
int cmd_calls_operators(dv_cli *cli, const cli_parsed *p);
int cmd_calls_start(dv_cli *cli, const cli_parsed *p);
int cmd_audit(dv_cli *cli, const cli_parsed *p);
int cmd_report_list(dv_cli *cli, const cli_parsed *p);
int cmd_report(dv_cli *cli, const cli_parsed *p);
int cmd_retention(dv_cli *cli, const cli_parsed *p);
int cmd_retention_hold(dv_cli *cli, const cli_parsed *p);
int cmd_retention_holds(dv_cli *cli, const cli_parsed *p);
int cmd_export_htcds(dv_cli *cli, const cli_parsed *p);

#endif

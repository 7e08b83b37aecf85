/* main.c: global options, locale, and dispatch to a command or the screens. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dovira/cli.h"
#include "dovira/db.h"
#include "dovira/i18n.h"
#include "dovira/priv.h"
#include "dovira/session.h"
#include "dovira/settings.h"
#include "dovira/staff.h"
#include "dovira/ui.h"

typedef struct command {
	const char *name;
	int (*run)(dv_cli *, int, char **);
	const char *summary; /* N_() */
} command;

static const command commands[] = {
	{"init", cmd_init, N_("create a new database; you become its administrator")},
	{"check", cmd_check, N_("verify the database and the whole audit chain")},
	{"staff", cmd_staff, N_("add, list or remove staff (administrators)")},
	{"backup", cmd_backup, N_("write a verified copy of the database")},
	{"orgs", cmd_orgs, N_("search, import and export the directory of organisations")},
	{"script", cmd_script, N_("check an intake script file")},
	{"redact", cmd_redact, N_("replace personal data in text read from stdin")},
	{"calls", cmd_calls, N_("the call log: list, show a call, cases, queue, corrections")},
	{"audit", cmd_audit, N_("the audit trail (supervisors and administrators)")},
	{"demo", cmd_demo, N_("fill an empty database with synthetic calls for training")},
	{"report", cmd_report, N_("the oblast's statistical tables (supervisors)")},
	{"retention", cmd_retention, N_("clear old notes and coarsen old times (for cron)")},
	{"export", cmd_export, N_("k-anonymous microdata for researchers (HTCDS)")},
};

static void usage(FILE *out)
{
	fprintf(out, _("Usage: dovira [--db PATH] [--lang uk|en] [COMMAND [ARGS]]\n"
		       "A helpline tool for calls about work abroad and human trafficking.\n"
		       "Without a command, dovira opens its screens.\n\n"
		       "Options:\n"
		       "  --db PATH      the database (else $DOVIRA_DB, the \"db\" line of\n"
		       "                 %s, or $XDG_DATA_HOME/dovira/dovira.db)\n"
		       "  --lang LANG    language of messages: uk or en (default: the locale)\n"
		       "  --version      the program, SQLite version and journal mode\n"
		       "  --help         this help\n\n"
		       "Commands:\n"), DV_SYSTEM_CONF);
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		fprintf(out, "  %-9s %s\n", commands[i].name, _(commands[i].summary));
	fprintf(out, _("\nOptions of the screens:\n"
		       "  --theme mono      no colours, attributes only (also when NO_COLOR is set)\n"));
#ifdef DV_DEBUG
	fprintf(out, _("  --debug-log FILE  write what the screens do to FILE (a debug build)\n"));
#endif
	fprintf(out, _("\n'dovira COMMAND --help' tells more about each command.\n"));
}

static void version(void)
{
	printf("dovira %s\n", PACKAGE_VERSION);
	printf(_("SQLite %s, journal mode: %s\n"), db_sqlite_version(), db_journal_mode());
	if (strcmp(db_journal_mode(), "wal") != 0)
		printf(_("(rollback journal: this SQLite lacks the WAL-reset fix of 3.51.3, 3.50.7 or 3.44.6)\n"));
}

/* --debug-log FILE: only a debug build (configure --enable-debug) has the
 * log; any other refuses the option rather than ignore it. */
static int debug_log(const char *path)
{
#ifdef DV_DEBUG
	if (dv_debug_open(path) == 0)
		return 0;
	cli_error("", _("cannot write the debug log %s: %s"), path, strerror(errno));
#else
	cli_error("", _("--debug-log needs a debug build (./configure --enable-debug)"));
#endif
	return -1;
}

/* Parse the options before the command; returns optind or -1 (exit 2). */
static int global_options(int argc, char **argv, const char **db, const char **lang, int *what,
			  ui_options *ui)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},
		{"lang", required_argument, NULL, 'l'},
		{"theme", required_argument, NULL, 't'},
		{"debug-log", required_argument, NULL, 'g'},
		{"version", no_argument, NULL, 'V'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+d:l:Vh", opts, NULL)) != -1) {
		switch (c) {
		case 'd': *db = optarg; break;
		case 'l': *lang = optarg; break;
		case 't':
			if (strcmp(optarg, "mono") != 0 && strcmp(optarg, "colour") != 0 && strcmp(optarg, "color") != 0) {
				cli_error("", _("unknown theme '%s'; use mono or colour"), optarg);
				return -1;
			}
			ui->mono = strcmp(optarg, "mono") == 0;
			break;
		case 'g':
			if (debug_log(optarg) != 0)
				return -1;
			break;
		case 'V': *what = 'V'; break;
		case 'h': *what = 'h'; break;
		default:
			cli_bad_option("", argv);
			return -1;
		}
	}
	return optind;
}

static int dispatch(dv_cli *cli, int argc, char **argv)
{
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
		if (strcmp(argv[0], commands[i].name) == 0) {
			optind = 0;
			return commands[i].run(cli, argc, argv);
		}
	}
	cli_error("", _("unknown command '%s'; 'dovira --help' lists the commands"), argv[0]);
	return CLI_USAGE;
}

/* No command: the screens, on a terminal only. */
static int screens(const char *db_path, const ui_options *ui)
{
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, _("dovira: say which command; 'dovira --help' lists them\n"));
		return CLI_USAGE;
	}
	dv_error e;
	dv_error_clear(&e);
	dv_session *s = session_open(db_path, 0, &e);
	if (!s) {
		cli_error("", "%s", e.msg);
		return CLI_PROBLEM;
	}
	int rc = ui_run(s, ui);
	session_close(s);
	return rc;
}

#ifdef __SANITIZE_ADDRESS__
/* LeakSanitizer cannot inspect a setgid process (it is not dumpable), and
 * its options cannot reach it either: in an --enable-asan build running
 * setgid, leave leaks unchecked instead of failing every exit. */
int __lsan_is_turned_off(void);
int __lsan_is_turned_off(void)
{
	return priv_setgid();
}
#endif

/* Installed setgid (priv.h): refuse an unsafe installation, and let only
 * root or an administrator of the installation's database name another
 * database, so that nobody reads a file of the group through dovira. */
static int setgid_rules(const dv_settings *st, dv_error *e)
{
	if (!priv_setgid())
		return DV_OK;
	if (priv_check_install(st->configured_db, e))
		return e->code;
	if (!st->db_override || strcmp(st->db_override, st->configured_db) == 0 || getuid() == 0)
		return DV_OK;
	char login[64];
	dv_error ignored;
	staff_whoami(login, sizeof login);
	dv_db *db = db_open(st->configured_db, DB_OPEN_READONLY, &ignored);
	staff_role r = db ? staff_role_of(db, login, &ignored) : ROLE_NONE;
	db_close(db);
	if (r == ROLE_ADMIN)
		return DV_OK;
	return dv_fail(e, DV_EPERM, _("only an administrator may choose another database (--db or $DOVIRA_DB); this installation's database is %s"),
		       st->configured_db);
}

int main(int argc, char **argv)
{
	priv_init();
	const char *db_opt = NULL, *lang = NULL;
	int what = 0;
	/* Nothing dovira creates (database, journal, backup) is for other users. */
	umask(007);
	i18n_init(NULL);
	ui_options ui = {0};
	int first = global_options(argc, argv, &db_opt, &lang, &what, &ui);
	if (lang && i18n_init(lang) != 0) {
		cli_error("", _("unknown language '%s'; use uk or en"), lang);
		return CLI_USAGE;
	}
	if (first < 0)
		return CLI_USAGE;
	if (what == 'h' || what == 'V') {
		what == 'h' ? usage(stdout) : version();
		return CLI_OK;
	}
	dv_settings st;
	dv_error e;
	if (settings_load(&st, db_opt, &e) != DV_OK || setgid_rules(&st, &e) != DV_OK) {
		cli_error("", "%s", e.msg);
		settings_free(&st);
		return CLI_PROBLEM;
	}
	dv_cli cli = {st.db_path, lang};
	int rc;
	if (first < argc) {
		cli_guard_terminal();
		rc = dispatch(&cli, argc - first, argv + first);
	} else {
		rc = screens(st.db_path, &ui);
	}
	settings_free(&st);
	return rc;
}

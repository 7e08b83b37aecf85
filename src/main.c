/* main.c: global options, locale, and dispatch to a command or the screens. */
#include "config.h"

#include <errno.h>
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
	(void)path;
	cli_error("", _("--debug-log needs a debug build (./configure --enable-debug)"));
#endif
	return -1;
}

/* The value of a global option (before the command), or NULL. */
static const char *global(const cli_parsed *p, const char *name)
{
	const cli_value *v = cli_option(p, &cli_root, name);
	return v ? v->texts[v->n - 1] : NULL;
}

/* Parse the whole command line against the table; the messages of a
 * usage error and of --help are in the language --lang names, so that
 * is applied first (parsing again: it prints nothing and has no effects).
 * Returns -1 to go on, else the exit status. */
static int parse(int argc, char **argv, cli_parsed *p)
{
	int rc = cli_parse(&cli_root, argc, argv, p);
	const char *lang = global(p, "lang");
	if (lang) {
		i18n_init(lang);
		cli_parsed_free(p);
		rc = cli_parse(&cli_root, argc, argv, p);
	}
	if (rc) {
		cli_error(p->name, "%s", p->error);
		return CLI_USAGE;
	}
	if (global(p, "debug-log") && debug_log(global(p, "debug-log")) != 0)
		return CLI_USAGE;
	if (p->help) {
		cli_help(stdout, p);
		return CLI_OK;
	}
	if (cli_option(p, &cli_root, "version")) {
		version();
		return CLI_OK;
	}
	return -1;
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
	if (priv_check_install(st->configured_db, st->run_dir, e))
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
	/* Nothing dovira creates (database, journal, backup) is for other users. */
	umask(007);
	i18n_init(NULL);
	cli_parsed p;
	int rc = parse(argc, argv, &p);
	if (rc >= 0) {
		cli_parsed_free(&p);
		return rc;
	}
	ui_options ui = {0};
	const cli_value *theme = cli_option(&p, &cli_root, "theme");
	ui.mono = theme && theme->choice == 0;
	dv_settings st;
	dv_error e;
	if (settings_load(&st, global(&p, "db"), &e) != DV_OK || setgid_rules(&st, &e) != DV_OK) {
		cli_error("", "%s", e.msg);
		settings_free(&st);
		cli_parsed_free(&p);
		return CLI_PROBLEM;
	}
	dv_cli cli = {st.db_path, global(&p, "lang"), NULL};
	if (p.depth > 1) {
		cli_guard_terminal();
		rc = cli_run(&cli, &p);
	} else {
		rc = screens(st.db_path, &ui);
	}
	settings_free(&st);
	cli_parsed_free(&p);
	return rc;
}

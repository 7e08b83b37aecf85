/* cmd_db.c: init, check and backup. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dovira/audit.h"
#include "dovira/cli.h"
#include "dovira/db.h"
#include "dovira/i18n.h"
#include "dovira/sanitize.h"
#include "dovira/setup.h"
#include "dovira/orgs.h"
#include "dovira/session.h"
#include "dovira/settings.h"
#include "dovira/staff.h"

/* Parse a command that takes only --help and nargs positional arguments.
 * Returns -1 when the command should print help and stop, -2 on a usage
 * error, or the index of the first positional argument. */
static int simple_options(int argc, char **argv, int nargs, const char *help)
{
	int rc = cli_only_help(argv[0], argc, argv, help);
	if (rc >= 0)
		return rc == CLI_OK ? -1 : -2;
	if (argc - optind != nargs) {
		if (nargs)
			cli_error(argv[0], ngettext("expects %d argument; see --help", "expects %d arguments; see --help", (unsigned long)nargs), nargs);
		else
			cli_error(argv[0], _("takes no arguments; see --help"));
		return -2;
	}
	return optind;
}

#define OPTIONS_OR_RETURN(i, argc, argv, n, help) \
	int i = simple_options(argc, argv, n, help); \
	if (i < 0) \
		return i == -1 ? CLI_OK : CLI_USAGE

int cmd_init(dv_cli *cli, int argc, char **argv)
{
	OPTIONS_OR_RETURN(i, argc, argv, 0, _("Usage: dovira [--db PATH] init\n"
		"Create a new dovira database at PATH. The account running the command\n"
		"becomes its first administrator.\n"));
	(void)i;
	dv_error e;
	char login[64];
	staff_whoami(login, sizeof login);
	if (settings_make_db_dir(cli->db_path, &e)) {
		cli_error("init", "%s", e.msg);
		return CLI_PROBLEM;
	}
	dv_db *db = setup_open(cli->db_path, DB_OPEN_CREATE, login, &e);
	if (!db) {
		cli_error("init", "%s", e.msg);
		return CLI_PROBLEM;
	}
	sanitize_fprintf(stdout, _("created %s (schema version %d, journal mode %s); %s is its administrator\n"),
	       cli->db_path, db_schema_version(db), db_journal_mode(), login);
	int rc = CLI_OK;
	if (orgs_seed_if_empty(db, login, orgs_default_seed_path(), &e)) {
		cli_error("init", "%s", e.msg);
		rc = CLI_PROBLEM;
	} else {
		long n = orgs_count(db, &e);
		if (n < 0) {
			cli_error("init", "%s", e.msg);
			db_close(db);
			return CLI_PROBLEM;
		}
		sanitize_fprintf(stdout, ngettext("the directory holds %ld organisation from %s\n", "the directory holds %ld organisations from %s\n",
				(unsigned long)n), n, orgs_default_seed_path());
	}
	db_close(db);
	return rc;
}

/* Integrity and the audit chain; each problem on its own line. */
static int check_db(dv_db *db, const char *path)
{
	dv_error e;
	dv_buf report = {0};
	long rows = 0;
	int problems = 0;
	int code = db_integrity(db, &report, &e);
	if (code != DV_OK && code != DV_ECORRUPT) {
		cli_error("check", "%s", e.msg);
		dv_buf_free(&report);
		return CLI_PROBLEM;
	}
	problems += code == DV_ECORRUPT;
	sanitize_fprintf(stdout, code ? _("%s: integrity: PROBLEMS\n") : _("%s: integrity: ok\n"), path);
	sanitize_fprintf(stdout, "%s", report.s ? report.s : "");
	dv_buf_free(&report);
	code = audit_verify(db, &report, &rows, &e);
	if (code != DV_OK && code != DV_ECORRUPT) {
		cli_error("check", "%s", e.msg);
		return CLI_PROBLEM;
	}
	problems += code == DV_ECORRUPT;
	if (code)
		sanitize_fprintf(stdout, ngettext("%s: audit chain: %ld row, BROKEN\n", "%s: audit chain: %ld rows, BROKEN\n", (unsigned long)rows), path, rows);
	else
		sanitize_fprintf(stdout, ngettext("%s: audit chain: %ld row, ok\n", "%s: audit chain: %ld rows, ok\n", (unsigned long)rows), path, rows);
	sanitize_fprintf(stdout, "%s", report.s ? report.s : "");
	dv_buf_free(&report);
	code = orgs_check_index(db, 0, &report, &e);
	if (code != DV_OK && code != DV_ECORRUPT) {
		cli_error("check", "%s", e.msg);
		return CLI_PROBLEM;
	}
	problems += code == DV_ECORRUPT;
	sanitize_fprintf(stdout, code ? _("%s: directory search index: PROBLEMS\n") : _("%s: directory search index: ok\n"), path);
	sanitize_fprintf(stdout, "%s", report.s ? report.s : "");
	dv_buf_free(&report);
	return problems ? CLI_PROBLEM : CLI_OK;
}

int cmd_check(dv_cli *cli, int argc, char **argv)
{
	OPTIONS_OR_RETURN(i, argc, argv, 0, _("Usage: dovira [--db PATH] check\n"
		"Check the database's integrity, verify every row of the audit chain and\n"
		"compare the directory's search index with the directory.\n"
		"Exit 0 if all is well, 1 if a problem is found (each is named).\n"));
	(void)i;
	dv_error e;
	dv_db *db = db_open(cli->db_path, DB_OPEN_READONLY, &e);
	if (!db) {
		cli_error("check", "%s", e.msg);
		return CLI_PROBLEM;
	}
	int rc = check_db(db, cli->db_path);
	db_close(db);
	return rc;
}

int cmd_backup(dv_cli *cli, int argc, char **argv)
{
	OPTIONS_OR_RETURN(i, argc, argv, 1, _("Usage: dovira [--db PATH] backup FILE\n"
		"Write a consistent copy of the database to FILE (which must not exist),\n"
		"while others may be writing, and verify the copy. Administrators only.\n"));
	const char *dest = argv[i];
	dv_error e;
	dv_session *s = session_open(cli->db_path, 0, &e);
	if (!s) {
		cli_error("backup", "%s", e.msg);
		return CLI_PROBLEM;
	}
	int rc = CLI_PROBLEM;
	if (!session_may(s, ROLE_ADMIN))
		cli_error("backup", _("only an administrator may back up the database"));
	else if (audit_log(s->db, s->login, "db.backup", NULL, dest, &e) || setup_backup(s->db, dest, &e))
		cli_error("backup", "%s", e.msg);
	else {
		sanitize_fprintf(stdout, _("wrote %s and verified it\n"), dest);
		rc = CLI_OK;
	}
	session_close(s);
	return rc;
}

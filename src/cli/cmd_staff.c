/* cmd_staff.c: dovira staff add|list|remove. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dovira/cli.h"
#include "dovira/i18n.h"
#include "dovira/sanitize.h"
#include "dovira/session.h"
#include "dovira/staff.h"

static void staff_usage(FILE *out)
{
	fputs(_("Usage: dovira [--db PATH] staff add LOGIN --role operator|supervisor|admin\n"
		"       dovira [--db PATH] staff list\n"
		"       dovira [--db PATH] staff remove LOGIN\n"
		"Manage who may use dovira. LOGIN is an account name on this server.\n"
		"Adding and removing are for administrators and are audited; a removed\n"
		"account keeps its name on the calls it took.\n"), out);
}

/* Options of a subcommand: --help and, for add, --role. Returns 1 to stop
 * with CLI_OK (help shown), -1 on a usage error, else 0. */
static int sub_options(int argc, char **argv, const char **role)
{
	static const struct option opts[] = {
		{"help", no_argument, NULL, 'h'},
		{"role", required_argument, NULL, 'r'},
		{NULL, 0, NULL, 0},
	};
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "hr:", opts, NULL)) != -1) {
		if (c == 'h') {
			staff_usage(stdout);
			return 1;
		}
		if (c != 'r' || !role) {
			cli_bad_option("staff", argv);
			return -1;
		}
		*role = optarg;
	}
	return 0;
}

/* One column of the list, then a space; by display width, since the
 * headers are translated. Logins are at most 32 columns, so nothing is cut. */
static void put_col(const char *s, int w)
{
	cli_put_cell(s, w);
	putchar(' ');
}

static int staff_list_print(dv_session *s)
{
	staff_member *m;
	dv_error e;
	long n = staff_list(s->db, s->login, &m, &e);
	if (n < 0) {
		cli_error("staff", "%s", e.msg);
		return CLI_PROBLEM;
	}
	put_col(_("LOGIN"), 32);
	put_col(_("ROLE"), 11);
	put_col(_("ACTIVE"), 8);
	put_col(_("ADDED"), 20);
	printf("%s\n", _("BY"));
	for (long i = 0; i < n; i++) {
		char *login = sanitize(m[i].login, 0), *by = sanitize(m[i].added_by, 0);
		put_col(login, 32);
		put_col(staff_role_code(m[i].role), 11);
		put_col(m[i].active ? _("yes") : _("removed"), 8);
		put_col(m[i].added_at, 20);
		printf("%s\n", by);
		free(login);
		free(by);
	}
	staff_list_free(m, n);
	return CLI_OK;
}

static int staff_change(dv_session *s, const char *sub, const char *login, const char *role)
{
	dv_error e;
	int code;
	if (strcmp(sub, "add") == 0) {
		staff_role r = staff_role_parse(role);
		if (r == ROLE_NONE) {
			cli_error("staff", _("unknown role '%s'; use operator, supervisor or admin"), role ? role : "");
			return CLI_USAGE;
		}
		code = staff_add(s->db, s->login, login, r, &e);
		if (!code)
			sanitize_fprintf(stdout, _("%s is now %s\n"), login, staff_role_label(r));
	} else {
		code = staff_remove(s->db, s->login, login, &e);
		if (!code)
			sanitize_fprintf(stdout, _("%s was removed from the staff list\n"), login);
	}
	if (code)
		cli_error("staff", "%s", e.msg);
	return code ? CLI_PROBLEM : CLI_OK;
}

int cmd_staff(dv_cli *cli, int argc, char **argv)
{
	if (argc < 2) {
		cli_error("staff", _("say add, list or remove; see --help"));
		return CLI_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		staff_usage(stdout);
		return CLI_OK;
	}
	const char *sub = argv[1], *role = NULL;
	int is_add = strcmp(sub, "add") == 0, is_list = strcmp(sub, "list") == 0;
	if (!is_add && !is_list && strcmp(sub, "remove") != 0) {
		cli_error("staff", _("unknown subcommand '%s'; use add, list or remove"), sub);
		return CLI_USAGE;
	}
	int st = sub_options(argc - 1, argv + 1, is_add ? &role : NULL);
	if (st)
		return st > 0 ? CLI_OK : CLI_USAGE;
	int nargs = argc - 1 - optind;
	if (nargs != (is_list ? 0 : 1) || (is_add && !role)) {
		cli_error("staff", is_add ? _("add needs LOGIN and --role; see --help") : is_list ? _("list takes no arguments") : _("remove needs LOGIN"));
		return CLI_USAGE;
	}
	dv_error e;
	dv_session *s = session_open(cli->db_path, 0, &e);
	if (!s) {
		cli_error("staff", "%s", e.msg);
		return CLI_PROBLEM;
	}
	int rc = is_list ? staff_list_print(s) : staff_change(s, sub, argv[1 + optind], role);
	session_close(s);
	return rc;
}

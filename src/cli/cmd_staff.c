/* cmd_staff.c: dovira staff add|list|remove: the work (the options and
 * who may run each are in the table, commands.c). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dovira/cli.h"
#include "dovira/i18n.h"
#include "dovira/sanitize.h"
#include "dovira/session.h"
#include "dovira/staff.h"

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

int cmd_staff_list(dv_cli *cli, const cli_parsed *p)
{
	(void)p;
	return staff_list_print(cli->s);
}

int cmd_staff_add(dv_cli *cli, const cli_parsed *p)
{
	dv_session *s = cli->s;
	const char *login = p->args[0];
	staff_role r = staff_role_parse(cli_text(p, "role"));
	dv_error e;
	if (staff_add(s->db, s->login, login, r, &e)) {
		cli_error("staff", "%s", e.msg);
		return CLI_PROBLEM;
	}
	sanitize_fprintf(stdout, _("%s is now %s\n"), login, staff_role_label(r));
	return CLI_OK;
}

int cmd_staff_remove(dv_cli *cli, const cli_parsed *p)
{
	dv_session *s = cli->s;
	const char *login = p->args[0];
	dv_error e;
	if (staff_remove(s->db, s->login, login, &e)) {
		cli_error("staff", "%s", e.msg);
		return CLI_PROBLEM;
	}
	sanitize_fprintf(stdout, _("%s was removed from the staff list\n"), login);
	return CLI_OK;
}

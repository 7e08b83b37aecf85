/* cmd_retention.c: `dovira retention [--dry-run]`, for cron. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dovira/cli.h"
#include "dovira/i18n.h"
#include "dovira/retention.h"
#include "dovira/sanitize.h"
#include "dovira/session.h"
#include "dovira/settings.h"

static void print_result(const retention_result *r, int dry)
{
	printf(dry ? _("would clear the notes of %ld calls started before %s\n")
		   : _("cleared the notes of %ld calls started before %s\n"), r->notes, r->notes_before);
	printf(dry ? _("would keep only the hour of the times of %ld calls started before %s\n")
		   : _("kept only the hour of the times of %ld calls started before %s\n"), r->times, r->times_before);
	printf(_("left %ld calls alone under legal hold\n"), r->held);
}

static int list_holds(dv_session *s)
{
	retention_held *h;
	dv_error e;
	long n = retention_holds(s, &h, &e);
	if (n < 0) {
		cli_error("retention", "%s", e.msg);
		return CLI_PROBLEM;
	}
	for (long i = 0; i < n; i++) {
		char *by = sanitize(h[i].by ? h[i].by : "", 0);
		/* TRANSLATORS: CASE-CODE  held by LOGIN since TIME, N calls */
		printf(_("%s  held by %s since %s, calls: %ld\n"), h[i].code, by, h[i].at, h[i].calls);
		free(by);
	}
	if (n == 0)
		printf(_("no case is under legal hold\n"));
	retention_held_free(h, n);
	return CLI_OK;
}

int cmd_retention_holds(dv_cli *cli, const cli_parsed *p)
{
	(void)p;
	return list_holds(cli->s);
}

/* hold CODE and lift CODE. */
int cmd_retention_hold(dv_cli *cli, const cli_parsed *p)
{
	int hold = strcmp(p->cmd->name, "hold") == 0;
	dv_error e;
	if (cli_given(p, "dry-run")) {
		cli_error("retention", _("--dry-run is for the run itself, not for %s"), p->cmd->name);
		return CLI_USAGE;
	}
	if (retention_hold(cli->s, p->args[0], hold, &e)) {
		cli_error("retention", "%s", e.msg);
		return e.code == DV_ENOTFOUND ? CLI_USAGE : CLI_PROBLEM;
	}
	char *code = sanitize(p->args[0], 0);
	printf(hold ? _("the case of %s is under legal hold: retention leaves its calls alone\n")
		    : _("the legal hold on the case of %s is lifted\n"), code);
	free(code);
	return CLI_OK;
}

int cmd_retention(dv_cli *cli, const cli_parsed *p)
{
	int dry = cli_given(p, "dry-run") > 0;
	dv_settings st;
	dv_error e;
	if (settings_load(&st, cli->db_path, &e)) {
		cli_error("retention", "%s", e.msg);
		return CLI_PROBLEM;
	}
	int rc = CLI_PROBLEM;
	retention_result r;
	if (retention_run(cli->s, st.notes_days, st.time_detail_days, dry, &r, &e))
		cli_error("retention", "%s", e.msg);
	else
		rc = (print_result(&r, dry), CLI_OK);
	settings_free(&st);
	return rc;
}

/* cmd_retention.c: `dovira retention [--dry-run]`, for cron. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dovira/cli.h"
#include "dovira/i18n.h"
#include "dovira/retention.h"
#include "dovira/sanitize.h"
#include "dovira/session.h"
#include "dovira/settings.h"

static const char *usage_text(void)
{
	return _("Usage: dovira retention [--dry-run]\n"
		 "       dovira retention hold|lift CASE-CODE\n"
		 "       dovira retention holds\n"
		 "Clear the notes of final calls older than notes_days (default 180) and\n"
		 "keep only the date and the hour of the times of calls older than\n"
		 "time_detail_days (default 30), both set in dovira.conf. Calls of a case\n"
		 "under legal hold are left alone; coded fields stay for the statistics.\n"
		 "--dry-run only counts. Every change is audited (retention.run).\n"
		 "hold and lift set and lift the legal hold on the case of a case code\n"
		 "(audited case.hold, case.unhold); holds lists the cases under hold.\n"
		 "For supervisors and administrators; meant to run from cron.\n");
}

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

/* hold CODE, lift CODE, holds. */
static int holds_command(dv_cli *cli, int argc, char **argv, int dry)
{
	int hold = strcmp(argv[0], "hold") == 0, lift = strcmp(argv[0], "lift") == 0;
	int list = strcmp(argv[0], "holds") == 0;
	if (!hold && !lift && !list) {
		cli_error("retention", _("unknown subcommand '%s'; use hold, lift or holds"), argv[0]);
		return CLI_USAGE;
	}
	if (dry || argc != (list ? 1 : 2)) {
		cli_error("retention", list ? _("holds takes no arguments") : _("%s needs one case code"), argv[0]);
		return CLI_USAGE;
	}
	dv_error e;
	dv_session *s = session_open(cli->db_path, 0, &e);
	if (!s) {
		cli_error("retention", "%s", e.msg);
		return CLI_PROBLEM;
	}
	int rc = CLI_OK;
	if (list)
		rc = list_holds(s);
	else if (retention_hold(s, argv[1], hold, &e)) {
		cli_error("retention", "%s", e.msg);
		rc = e.code == DV_ENOTFOUND ? CLI_USAGE : CLI_PROBLEM;
	} else {
		char *code = sanitize(argv[1], 0);
		printf(hold ? _("the case of %s is under legal hold: retention leaves its calls alone\n")
			    : _("the legal hold on the case of %s is lifted\n"), code);
		free(code);
	}
	session_close(s);
	return rc;
}

int cmd_retention(dv_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"dry-run", no_argument, NULL, 'n'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	int c, dry = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'h')
			return fputs(usage_text(), stdout), CLI_OK;
		if (c != 'n')
			return cli_bad_option("retention", argv), CLI_USAGE;
		dry = 1;
	}
	if (optind < argc)
		return holds_command(cli, argc - optind, argv + optind, dry);
	dv_settings st;
	dv_error e;
	if (settings_load(&st, cli->db_path, &e)) {
		cli_error("retention", "%s", e.msg);
		return CLI_PROBLEM;
	}
	dv_session *s = session_open(cli->db_path, 0, &e);
	int rc = CLI_PROBLEM;
	retention_result r;
	if (!s)
		cli_error("retention", "%s", e.msg);
	else if (retention_run(s, st.notes_days, st.time_detail_days, dry, &r, &e))
		cli_error("retention", "%s", e.msg);
	else
		rc = (print_result(&r, dry), CLI_OK);
	session_close(s);
	settings_free(&st);
	return rc;
}

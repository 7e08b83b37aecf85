/* cmd_retention.c: `dovira retention [--dry-run]`, for cron. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "dovira/cli.h"
#include "dovira/i18n.h"
#include "dovira/retention.h"
#include "dovira/session.h"
#include "dovira/settings.h"

static const char *usage_text(void)
{
	return _("Usage: dovira retention [--dry-run]\n"
		 "Clear the notes of final calls older than notes_days (default 180) and\n"
		 "keep only the date and the hour of the times of calls older than\n"
		 "time_detail_days (default 30), both set in dovira.conf. Calls of a case\n"
		 "under legal hold are left alone; coded fields stay for the statistics.\n"
		 "--dry-run only counts. Every change is audited (retention.run).\n"
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
	if (optind < argc) {
		cli_error("retention", _("retention takes no arguments; see --help"));
		return CLI_USAGE;
	}
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

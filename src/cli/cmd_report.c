/* cmd_report.c: `dovira report list` and `dovira report NAME`: the
 * oblast's tables on standard output, each run audited as an export. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dovira/cli.h"
#include "dovira/i18n.h"
#include "dovira/report.h"
#include "dovira/session.h"

static int period_of(const cli_parsed *o, report_period *p)
{
	dv_error e;
	int code;
	const char *period = cli_text(o, "period"), *from = cli_text(o, "from"), *to = cli_text(o, "to");
	if (period && (from || to)) {
		cli_error("report", _("give either --period or --from and --to, not both"));
		return CLI_USAGE;
	}
	if (!from != !to) {
		cli_error("report", _("--from and --to go together"));
		return CLI_USAGE;
	}
	if (period)
		code = report_period_parse(period, p, &e);
	else if (from)
		code = report_period_dates(from, to, p, &e);
	else
		return report_period_month_of(dv_now(), p), -1;
	if (code) {
		cli_error("report", "%s", e.msg);
		return CLI_USAGE;
	}
	return -1;
}

int cmd_report_list(dv_cli *cli, const cli_parsed *p)
{
	(void)cli, (void)p;
	for (size_t i = 0; i < report_count(); i++)
		printf("%-15s %s\n", report_name(i), report_describe(i));
	return CLI_OK;
}

int cmd_report(dv_cli *cli, const cli_parsed *o)
{
	report_period p;
	int rc = period_of(o, &p);
	if (rc >= 0)
		return rc;
	dv_session *s = cli->s;
	dv_error e;
	report_level level = (report_level)cli_choice(o, "level", REPORT_DEPARTMENT);
	report_format format = (report_format)cli_choice(o, "format", REPORT_TEXT);
	const char *dir = getenv("DOVIRA_DATADIR");
	script **scripts;
	size_t ns = report_scripts_load(dir && *dir ? dir : PKGDATADIR, &scripts);
	report_query q = {p, cli_text(o, "office"), level, scripts, ns};
	report_table *t;
	int code = report_run(s, o->args[0], &q, &t, &e);
	if (!code)
		code = report_audit_export(s, t, format, &e);
	if (!code) {
		dv_buf out = {0};
		report_render(t, format, &out);
		fwrite(out.s, 1, out.len, stdout);
		dv_buf_free(&out);
	} else {
		cli_error("report", "%s", e.msg);
	}
	report_table_free(t);
	report_scripts_free(scripts, ns);
	return code == DV_ENOTFOUND || code == DV_EINVAL ? CLI_USAGE : code ? CLI_PROBLEM : CLI_OK;
}

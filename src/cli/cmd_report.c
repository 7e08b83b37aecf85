/* cmd_report.c: `dovira report list` and `dovira report NAME`: the
 * oblast's tables on standard output, each run audited as an export. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dovira/cli.h"
#include "dovira/i18n.h"
#include "dovira/report.h"
#include "dovira/session.h"

static const char *usage_text(void)
{
	return _("Usage: dovira report list\n"
		 "       dovira report NAME [--period 2026-11|2026-Q4|2026] [--from DATE --to DATE]\n"
		 "                          [--office OFFICE] [--level internal|department|public]\n"
		 "                          [--format text|csv|json]\n"
		 "Print one of the oblast's tables. Every table counts contacts (calls):\n"
		 "final calls, test calls excluded, by Kyiv date. The period is a month, a\n"
		 "quarter, a year or --from/--to dates (YYYY-MM-DD, inclusive); by default\n"
		 "the current month. --level says who may read it: internal (exact counts,\n"
		 "inside the office), department (1 to 4 shown as <5; the default), public\n"
		 "(1 to 10 suppressed, whole quarters only). CSV is UTF-8 with a byte order\n"
		 "mark. For supervisors and administrators; every run is audited.\n");
}

typedef struct report_opts {
	const char *period, *from, *to, *office;
	int level, format;
} report_opts;

static int parse_opts(int argc, char **argv, report_opts *o)
{
	static const struct option opts[] = {
		{"period", required_argument, NULL, 'p'}, {"from", required_argument, NULL, 'f'},
		{"to", required_argument, NULL, 't'},     {"office", required_argument, NULL, 'o'},
		{"level", required_argument, NULL, 'l'},  {"format", required_argument, NULL, 'F'},
		{"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
	};
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'p': o->period = optarg; break;
		case 'f': o->from = optarg; break;
		case 't': o->to = optarg; break;
		case 'o': o->office = optarg; break;
		case 'l':
			if ((o->level = report_level_parse(optarg)) < 0) {
				cli_error("report", _("unknown level '%s'; use internal, department or public"), optarg);
				return CLI_USAGE;
			}
			break;
		case 'F':
			if ((o->format = report_format_parse(optarg)) < 0) {
				cli_error("report", _("unknown format '%s'; use text, csv or json"), optarg);
				return CLI_USAGE;
			}
			break;
		case 'h': fputs(usage_text(), stdout); return CLI_OK;
		default: cli_bad_option("report", argv); return CLI_USAGE;
		}
	}
	return -1;
}

static int period_of(const report_opts *o, report_period *p)
{
	dv_error e;
	int code;
	if (o->period && (o->from || o->to)) {
		cli_error("report", _("give either --period or --from and --to, not both"));
		return CLI_USAGE;
	}
	if (!o->from != !o->to) {
		cli_error("report", _("--from and --to go together"));
		return CLI_USAGE;
	}
	if (o->period)
		code = report_period_parse(o->period, p, &e);
	else if (o->from)
		code = report_period_dates(o->from, o->to, p, &e);
	else
		return report_period_month_of(dv_now(), p), -1;
	if (code) {
		cli_error("report", "%s", e.msg);
		return CLI_USAGE;
	}
	return -1;
}

static int list_tables(void)
{
	for (size_t i = 0; i < report_count(); i++)
		printf("%-15s %s\n", report_name(i), report_describe(i));
	return CLI_OK;
}

static int run_table(dv_cli *cli, const char *name, const report_opts *o, const report_period *p)
{
	dv_error e;
	dv_session *s = session_open(cli->db_path, 0, &e);
	if (!s) {
		cli_error("report", "%s", e.msg);
		return CLI_PROBLEM;
	}
	const char *dir = getenv("DOVIRA_DATADIR");
	script **scripts;
	size_t ns = report_scripts_load(dir && *dir ? dir : PKGDATADIR, &scripts);
	report_query q = {*p, o->office, (report_level)o->level, scripts, ns};
	report_table *t;
	int code = report_run(s, name, &q, &t, &e);
	if (!code)
		code = report_audit_export(s, t, (report_format)o->format, &e);
	if (!code) {
		dv_buf out = {0};
		report_render(t, (report_format)o->format, &out);
		fwrite(out.s, 1, out.len, stdout);
		dv_buf_free(&out);
	} else {
		cli_error("report", "%s", e.msg);
	}
	report_table_free(t);
	report_scripts_free(scripts, ns);
	session_close(s);
	return code == DV_ENOTFOUND || (code == DV_EINVAL) ? CLI_USAGE : code ? CLI_PROBLEM : CLI_OK;
}

int cmd_report(dv_cli *cli, int argc, char **argv)
{
	report_opts o = {NULL, NULL, NULL, NULL, REPORT_DEPARTMENT, REPORT_TEXT};
	int rc = parse_opts(argc, argv, &o);
	if (rc >= 0)
		return rc;
	if (optind >= argc) {
		cli_error("report", _("say list or the name of a table; see --help"));
		return CLI_USAGE;
	}
	if (optind + 1 < argc) {
		cli_error("report", _("one table at a time: '%s' is one too many"), argv[optind + 1]);
		return CLI_USAGE;
	}
	if (strcmp(argv[optind], "list") == 0)
		return list_tables();
	report_period p;
	if ((rc = period_of(&o, &p)) >= 0)
		return rc;
	return run_table(cli, argv[optind], &o, &p);
}

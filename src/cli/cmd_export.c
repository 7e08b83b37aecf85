/* cmd_export.c: `dovira export htcds`: microdata for researchers. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dovira/cli.h"
#include "dovira/htcds.h"
#include "dovira/i18n.h"
#include "dovira/session.h"

static const char *usage_text(void)
{
	return _("Usage: dovira export htcds [--k N] [--format csv|json]\n"
		 "Write one row per final data call at possible or likely risk, with\n"
		 "HTCDS 2.0 / CTDC column names and no free text, generalised until\n"
		 "every combination of age band, gender, country, form of exploitation,\n"
		 "means of control, recruiter relation and year occurs at least N times\n"
		 "(default 11); the remaining rows are dropped. A summary line on\n"
		 "standard error says how many rows were written and dropped and what\n"
		 "was generalised. For supervisors and administrators; audited.\n");
}

int cmd_export(dv_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"k", required_argument, NULL, 'k'}, {"format", required_argument, NULL, 'f'},
		{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	int c, k = 11, json = 0;
	char *end;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'h')
			return fputs(usage_text(), stdout), CLI_OK;
		if (c == 'k' && ((k = (int)strtol(optarg, &end, 10)), *end || !*optarg || k < 2 || k > 1000)) {
			cli_error("export", _("--k takes a whole number from 2 to 1000, not '%s'"), optarg);
			return CLI_USAGE;
		}
		if (c == 'f' && (json = strcmp(optarg, "json") == 0, !json && strcmp(optarg, "csv") != 0)) {
			cli_error("export", _("unknown format '%s'; use csv or json"), optarg);
			return CLI_USAGE;
		}
		if (c != 'k' && c != 'f')
			return cli_bad_option("export", argv), CLI_USAGE;
	}
	if (optind + 1 != argc || strcmp(argv[optind], "htcds") != 0) {
		cli_error("export", _("say what to export: htcds; see --help"));
		return CLI_USAGE;
	}
	dv_error e;
	dv_session *s = session_open(cli->db_path, 0, &e);
	if (!s) {
		cli_error("export", "%s", e.msg);
		return CLI_PROBLEM;
	}
	dv_buf out = {0};
	htcds_result r;
	int code = htcds_export(s, k, json, &out, &r, &e);
	if (code)
		cli_error("export", "%s", e.msg);
	else {
		fwrite(out.s, 1, out.len, stdout);
		fprintf(stderr, "dovira export: %s\n", r.summary);
	}
	dv_buf_free(&out);
	session_close(s);
	return code ? CLI_PROBLEM : CLI_OK;
}

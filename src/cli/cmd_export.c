/* cmd_export.c: `dovira export htcds`: microdata for researchers. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "dovira/cli.h"
#include "dovira/htcds.h"
#include "dovira/i18n.h"
#include "dovira/session.h"

int cmd_export_htcds(dv_cli *cli, const cli_parsed *p)
{
	dv_session *s = cli->s;
	dv_error e;
	int k = (int)cli_number(p, "k", 11), json = cli_choice(p, "format", 0) == 1;
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
	return code ? CLI_PROBLEM : CLI_OK;
}

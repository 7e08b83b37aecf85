/* cmd_audit.c: `dovira audit [--from] [--to] [--actor] [--action]`, the
 * audit trail for supervisors and administrators. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dovira/cli.h"
#include "dovira/desk.h"
#include "dovira/i18n.h"
#include "dovira/sanitize.h"
#include "dovira/session.h"

int cmd_audit(dv_cli *cli, const cli_parsed *p)
{
	dv_error e;
	desk_audit_row *v;
	long n = desk_audit(cli->s, cli_date(p, "from"), cli_date(p, "to"), cli_text(p, "actor"), cli_text(p, "action"), 0,
			    (size_t)cli_number(p, "limit", 100), &v, &e);
	if (n < 0) {
		cli_error("audit", "%s", e.msg);
		return CLI_PROBLEM;
	}
	for (long i = 0; i < n; i++) {
		char at[21];
		dv_utc_iso(v[i].at, at);
		char *d = v[i].detail ? sanitize(v[i].detail, 0) : xstrdup("-");
		printf("%lld %s %s %s %s %s\n", v[i].seq, at, v[i].actor, v[i].action, v[i].object ? v[i].object : "-", d);
		free(d);
	}
	desk_audit_free(v, n);
	return CLI_OK;
}

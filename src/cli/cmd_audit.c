/* cmd_audit.c: `dovira audit [--from] [--to] [--actor] [--action]`, the
 * audit trail for supervisors and administrators. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dovira/cli.h"
#include "dovira/desk.h"
#include "dovira/i18n.h"
#include "dovira/sanitize.h"
#include "dovira/session.h"

static const char *usage_text(void)
{
	return _("Usage: dovira [--db PATH] audit [--from D] [--to D] [--actor LOGIN] [--action A] [--limit N]\n"
		 "The audit trail, newest first: who did what to which record, when (UTC).\n"
		 "D is YYYY-MM-DD (--to is exclusive); an action ending in * matches a\n"
		 "prefix (call.*). At most N rows (default 100). Supervisors and administrators.\n");
}

typedef struct audit_args {
	time_t from, to;
	const char *actor, *action;
	long limit;
} audit_args;

static int parse(int argc, char **argv, audit_args *a)
{
	static const struct option opts[] = {
		{"from", 1, NULL, 'f'}, {"to", 1, NULL, 't'}, {"actor", 1, NULL, 'u'}, {"action", 1, NULL, 'a'},
		{"limit", 1, NULL, 'l'}, {"help", 0, NULL, 'h'}, {NULL, 0, NULL, 0},
	};
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		time_t *t = c == 'f' ? &a->from : &a->to;
		switch (c) {
		case 'f':
		case 't':
			if ((*t = dv_parse_utc(optarg)) <= 0) {
				cli_error("audit", _("a date is YYYY-MM-DD, not '%s'"), optarg);
				return CLI_USAGE;
			}
			break;
		case 'u': a->actor = optarg; break;
		case 'a': a->action = optarg; break;
		case 'l':
			a->limit = strtol(optarg, NULL, 10);
			if (a->limit < 1 || a->limit > 100000) {
				cli_error("audit", _("--limit needs a number from 1 to 100000"));
				return CLI_USAGE;
			}
			break;
		case 'h': fputs(usage_text(), stdout); return CLI_OK;
		default: cli_bad_option("audit", argv); return CLI_USAGE;
		}
	}
	if (optind < argc) {
		cli_error("audit", _("unexpected argument '%s'; see --help"), argv[optind]);
		return CLI_USAGE;
	}
	return -1;
}

int cmd_audit(dv_cli *cli, int argc, char **argv)
{
	audit_args a = {0, 0, NULL, NULL, 100};
	int rc = parse(argc, argv, &a);
	if (rc >= 0)
		return rc;
	dv_error e;
	dv_session *s = session_open(cli->db_path, 0, &e);
	if (!s) {
		cli_error("audit", "%s", e.msg);
		return CLI_PROBLEM;
	}
	desk_audit_row *v;
	long n = desk_audit(s, a.from, a.to, a.actor, a.action, 0, (size_t)a.limit, &v, &e);
	if (n < 0) {
		cli_error("audit", "%s", e.msg);
		session_close(s);
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
	session_close(s);
	return CLI_OK;
}

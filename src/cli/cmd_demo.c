/* cmd_demo.c: `dovira demo --calls N [--seed S]`, a training database. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dovira/cli.h"
#include "dovira/demo.h"
#include "dovira/desk.h"
#include "dovira/i18n.h"
#include "dovira/script.h"
#include "dovira/session.h"

static const char *usage_text(void)
{
	return _("Usage: dovira [--db PATH] demo --calls N [--seed S] [--years Y] [--script FILE]\n"
		 "Fill a database that holds no calls with N synthetic calls that follow\n"
		 "the intake script, spread over Y years (default 3) before now, for\n"
		 "training new operators and for benchmarks. The same seed gives the same\n"
		 "calls. The database is marked as a training database everywhere it is\n"
		 "shown. A database that holds any call is refused. Administrators only.\n");
}

static int parse_long(const char *s, long lo, long hi, long *out)
{
	char *end;
	long long v = strtoll(s, &end, 10);
	if (!*s || *end || v < lo || v > hi)
		return -1;
	*out = (long)v;
	return 0;
}

static void progress(long done, long total, void *arg)
{
	(void)arg;
	if (done % 100000 == 0 || done == total)
		fprintf(stderr, _("%ld of %ld calls written\n"), done, total);
}

typedef struct demo_args {
	long calls, years, seed;
	const char *script_path;
	int quiet;
} demo_args;

/* Parse the options; -1 to go on, else the exit status. */
static int parse(int argc, char **argv, demo_args *a)
{
	static const struct option opts[] = {
		{"calls", required_argument, NULL, 'n'}, {"seed", required_argument, NULL, 's'},
		{"years", required_argument, NULL, 'y'}, {"script", required_argument, NULL, 'f'},
		{"quiet", no_argument, NULL, 'q'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0},
	};
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+n:s:y:f:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (parse_long(optarg, 1, 100000000, &a->calls)) {
				cli_error("demo", _("--calls needs a number from 1 to 100000000, not '%s'"), optarg);
				return CLI_USAGE;
			}
			break;
		case 's':
			if (parse_long(optarg, 0, 0x7fffffffL, &a->seed)) {
				cli_error("demo", _("--seed needs a number from 0 to 2147483647, not '%s'"), optarg);
				return CLI_USAGE;
			}
			break;
		case 'y':
			if (parse_long(optarg, 1, 10, &a->years)) {
				cli_error("demo", _("--years needs a number from 1 to 10, not '%s'"), optarg);
				return CLI_USAGE;
			}
			break;
		case 'f': a->script_path = optarg; break;
		case 'q': a->quiet = 1; break;
		case 'h': fputs(usage_text(), stdout); return CLI_OK;
		default: cli_bad_option("demo", argv); return CLI_USAGE;
		}
	}
	if (!a->calls || optind < argc) {
		cli_error("demo", _("say how many calls with --calls N; see --help"));
		return CLI_USAGE;
	}
	return -1;
}

static script *load(const char *path)
{
	script *scr = NULL;
	script_diags d = {0};
	dv_error e;
	int code = script_load(path, &scr, &d, &e);
	if (code == DV_EINVAL && d.n)
		cli_error("demo", "%s:%u: %s", d.v[0].file, d.v[0].line, d.v[0].msg);
	else if (code)
		cli_error("demo", "%s", e.msg);
	script_diags_free(&d);
	return scr;
}

static void report(const demo_stats *st)
{
	printf(_("wrote %ld calls (%ld data calls, %ld drafts), %ld cases, %ld follow-up calls, %ld queued, %ld flagged\n"),
	       st->calls, st->data, st->drafts, st->cases, st->followups, st->queued, st->flagged);
	printf(_("this is now a training database\n"));
}

int cmd_demo(dv_cli *cli, int argc, char **argv)
{
	demo_args a = {0, 3, 1, NULL, 0};
	int rc = parse(argc, argv, &a);
	if (rc >= 0)
		return rc;
	const char *dir = getenv("DOVIRA_DATADIR");
	char *path = a.script_path ? xstrdup(a.script_path) : xasprintf("%s/%s", dir && *dir ? dir : PKGDATADIR, SCRIPT_DEFAULT_NAME);
	script *scr = load(path);
	if (!scr) {
		free(path);
		return CLI_PROBLEM;
	}
	dv_error e;
	dv_session *s = session_open(cli->db_path, 0, &e);
	rc = CLI_PROBLEM;
	if (!s) {
		cli_error("demo", "%s", e.msg);
	} else {
		demo_options o = {a.calls, (unsigned long long)a.seed, 0, (int)a.years, a.quiet ? NULL : progress, NULL};
		demo_stats st;
		if (desk_remember_script(s, path, &e) || demo_fill(s, scr, &o, &st, &e))
			cli_error("demo", "%s", e.msg);
		else {
			report(&st);
			rc = CLI_OK;
		}
		session_close(s);
	}
	script_free(scr);
	free(path);
	return rc;
}

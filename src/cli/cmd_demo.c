/* cmd_demo.c: `dovira demo --calls N [--seed S]`, a training database. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dovira/cli.h"
#include "dovira/demo.h"
#include "dovira/desk.h"
#include "dovira/i18n.h"
#include "dovira/script.h"
#include "dovira/session.h"
#include "dovira/priv.h"

static void progress(long done, long total, void *arg)
{
	(void)arg;
	if (done % 100000 == 0 || done == total)
		fprintf(stderr, _("%ld of %ld calls written\n"), done, total);
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

int cmd_demo(dv_cli *cli, const cli_parsed *p)
{
	const char *script_path = cli_text(p, "script");
	const char *dir = priv_getenv_dir("DOVIRA_DATADIR");
	char *path = script_path ? xstrdup(script_path) : xasprintf("%s/%s", dir && *dir ? dir : PKGDATADIR, SCRIPT_DEFAULT_NAME);
	script *scr = load(path);
	if (!scr) {
		free(path);
		return CLI_PROBLEM;
	}
	dv_error e;
	int rc = CLI_PROBLEM;
	demo_options o = {cli_number(p, "calls", 0), (unsigned long long)cli_number(p, "seed", 1), 0,
			  (int)cli_number(p, "years", 3), cli_given(p, "quiet") ? NULL : progress, NULL};
	demo_stats st;
	if (desk_remember_script(cli->s, path, &e) || demo_fill(cli->s, scr, &o, &st, &e))
		cli_error("demo", "%s", e.msg);
	else {
		report(&st);
		rc = CLI_OK;
	}
	script_free(scr);
	free(path);
	return rc;
}

/* cmd_script.c: `dovira script check FILE...`, the coordinator's check of
 * an intake script before it is installed. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dovira/cli.h"
#include "dovira/i18n.h"
#include "dovira/sanitize.h"
#include "dovira/db.h"
#include "dovira/orgs.h"
#include "dovira/script.h"

static const char *usage_text(void)
{
	return _("Usage: dovira script check FILE...\n"
		 "Check intake script files (format: dovira-script(5)). Each problem is\n"
		 "printed on standard error as FILE:LINE: message; a good file gets a\n"
		 "one-line summary on standard output.\n"
		 "Exit status: 0 all files good, 1 a problem found, 2 usage error.\n");
}

static void print_sanitised(FILE *f, const char *file, unsigned line, const char *msg)
{
	char *sf = sanitize(file, 0), *sm = sanitize(msg, 0);
	fprintf(f, "%s:%u: %s\n", sf, line, sm);
	free(sf);
	free(sm);
}

static void summary(const char *path, const script *s)
{
	size_t nsteps = script_nsteps(s), nrisk = script_nrisk_rules(s), nrefer = script_nrefer_rules(s);
	char *steps = xasprintf(ngettext("%zu step", "%zu steps", nsteps), nsteps);
	char *risk = xasprintf(ngettext("%zu risk rule", "%zu risk rules", nrisk), nrisk);
	char *refer = xasprintf(ngettext("%zu referral rule", "%zu referral rules", nrefer), nrefer);
	size_t nqueue = script_nqueue_rules(s);
	char *queue = xasprintf(ngettext("%zu queue rule", "%zu queue rules", nqueue), nqueue);
	char *file = sanitize(path, 0);
	/* TRANSLATORS: FILE: ok: script ID version VERSION, N steps, N risk rules, N referral rules, N queue rules */
	printf(_("%s: ok: script %s version %s, %s, %s, %s, %s\n"), file, script_id(s), script_version(s),
	       steps, risk, refer, queue);
	free(queue);
	free(steps);
	free(risk);
	free(refer);
	free(file);
}

static int org_known(const char *id, void *arg)
{
	dv_org o;
	if (orgs_get(arg, id, &o, NULL) != DV_OK)
		return 0;
	orgs_free(&o);
	return 1;
}

/* Check the organisations the referral rules name against the database's
 * directory, when there is a database to ask. */
static void check_orgs(const script *s, const char *db_path, script_diags *d)
{
	dv_error e;
	dv_db *db = db_open(db_path, DB_OPEN_READONLY, NULL, &e);
	if (!db) {
		printf(_("(organisations not checked: %s)\n"), e.msg);
		return;
	}
	script_check_orgs(s, org_known, db, d);
	db_close(db);
}

/* Check one file; 0 if good, 1 if not (problems printed). */
static int check_file(const char *path, const char *db_path)
{
	script *s;
	script_diags d = {0};
	dv_error e;
	int rc = script_load(path, &s, &d, &e);
	if (rc == DV_OK) {
		check_orgs(s, db_path, &d);
		if (d.n == 0)
			summary(path, s);
		script_free(s);
	}
	if (rc == DV_OK && d.n == 0)
		return 0;
	if (d.n == 0)
		cli_error("script", "%s", e.msg);
	for (size_t i = 0; i < d.n; i++)
		print_sanitised(stderr, d.v[i].file, d.v[i].line, d.v[i].msg);
	script_diags_free(&d);
	return 1;
}

int cmd_script(dv_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c, bad = 0;
	opterr = 0;
	/* "+": stop at the subcommand; its own --help is looked at below. */
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		if (c != 'h') {
			cli_bad_option("script", argv);
			return CLI_USAGE;
		}
		fputs(usage_text(), stdout);
		return CLI_OK;
	}
	if (optind >= argc) {
		cli_error("script", "%s", _("say check FILE; see --help"));
		return CLI_USAGE;
	}
	if (strcmp(argv[optind], "check") != 0) {
		cli_error("script", _("unknown subcommand '%s'; say check FILE; see --help"), argv[optind]);
		return CLI_USAGE;
	}
	/* The options of "check" itself, with argv[0] = "check". */
	argc -= optind;
	argv += optind;
	optind = 0; /* glibc: start afresh */
	int rc = cli_only_help("script", argc, argv, usage_text());
	if (rc >= 0)
		return rc;
	if (optind >= argc) {
		cli_error("script", "%s", _("check needs a FILE; see --help"));
		return CLI_USAGE;
	}
	for (int i = optind; i < argc; i++)
		bad |= check_file(argv[i], cli->db_path);
	return bad ? CLI_PROBLEM : CLI_OK;
}

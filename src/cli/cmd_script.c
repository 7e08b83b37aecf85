/* cmd_script.c: `dovira script check FILE...`, the coordinator's check of
 * an intake script before it is installed, and `dovira script try FILE
 * --answer STEP=VALUE...`, what the script does on one path of a call
 * (the steps shown, the risk and the rules behind it, the referrals
 * checked against the directory), without taking a call. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dovira/cli.h"
#include "dovira/i18n.h"
#include "dovira/sanitize.h"
#include "dovira/db.h"
#include "dovira/orgs.h"
#include "dovira/recommend.h"
#include "dovira/script.h"
#include "dovira/text.h"

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
	/* TRANSLATORS: FILE: ok: script ID version VERSION, N steps, N risk rules, N referral rules, N queue rules */
	sanitize_fprintf(stdout, _("%s: ok: script %s version %s, %s, %s, %s, %s\n"), path, script_id(s), script_version(s),
	                 steps, risk, refer, queue);
	free(queue);
	free(steps);
	free(risk);
	free(refer);
}

/* The directory being asked, and the first failure to read it. */
struct org_lookup {
	dv_db *db;
	dv_error e;
};

/* The services the entry id offers (a new string), or NULL if the
 * directory has no such id. A directory that cannot be read (a damaged
 * table) answers "*" (any service) for every id, so that no rule is
 * blamed for it; the failure is kept and reported instead. */
static char *org_services(const char *id, void *arg)
{
	struct org_lookup *l = arg;
	dv_org o;
	dv_error e;
	if (l->e.code)
		return xstrdup("*");
	int code = orgs_get(l->db, id, &o, &e);
	if (code == DV_ENOTFOUND)
		return NULL;
	if (code != DV_OK) {
		l->e = e;
		return xstrdup("*");
	}
	char *svc = xstrdup(o.services ? o.services : "");
	orgs_free(&o);
	return svc;
}

static void not_checked(const char *why)
{
	sanitize_fprintf(stdout, _("(organisations not checked: %s)\n"), why);
}

/* Check the organisations the referral rules name against the database's
 * directory, when there is a database to ask. */
static void check_orgs(const script *s, const char *db_path, script_diags *d)
{
	struct org_lookup l;
	dv_error_clear(&l.e);
	l.db = db_open(db_path, DB_OPEN_READONLY, &l.e);
	if (!l.db) {
		not_checked(l.e.msg);
		return;
	}
	script_check_orgs(s, org_services, &l, d);
	if (l.e.code)
		not_checked(l.e.msg);
	db_close(l.db);
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

/* ---- try ------------------------------------------------------------- */

/* Line n (1-based) of the file's text with its '\\' continuations
 * joined, blanks trimmed, or "". */
static char *file_line(const char *text, unsigned n)
{
	const char *p = text;
	for (unsigned i = 1; p && i < n; i++) {
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	dv_buf b = {0};
	dv_buf_add(&b, "", 0);
	for (int more = 1; p && more;) {
		while (*p == ' ' || *p == '\t')
			p++;
		size_t len = strcspn(p, "\r\n");
		while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		more = len && p[len - 1] == '\\';
		if (more)
			len--;
		while (len && p[len - 1] == ' ')
			len--;
		dv_buf_printf(&b, "%s%.*s", b.len ? " " : "", (int)len, p);
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return dv_buf_take(&b);
}

static char *read_text(const char *path)
{
	FILE *f = fopen(path, "rb");
	dv_buf b = {0};
	if (f) {
		dv_buf_read(&b, f, SCRIPT_MAX_FILE + 1);
		fclose(f);
	}
	dv_buf_add(&b, "", 0);
	return dv_buf_take(&b);
}

static const char *rec_state_code(rec_state st)
{
	static const char *const codes[] = {"ok", "no-phone", "do-not-refer", "retired", "unknown", "unchecked"};
	return (unsigned)st < sizeof codes / sizeof *codes ? codes[st] : "?";
}

typedef struct try_run {
	const script *s;
	script_answers *a;
	char *text;        /* the file, for the rules' lines */
	rec_list rec;
	char *db_note;     /* why the directory was not checked, or NULL */
} try_run;

static void try_text_steps(const try_run *t)
{
	size_t n = 0;
	printf("%s\n", _("Steps shown, in order:"));
	for (size_t i = 0; i < script_nsteps(t->s); i++) {
		if (!script_visible(t->a, i))
			continue;
		const script_step *st = script_step_at(t->s, i);
		const char *v = script_answers_get(t->a, st->id);
		printf("  %3zu  ", ++n);
		cli_put_cell(st->id, 20);
		char *clean = v ? sanitize(v, 0) : NULL;
		if (clean)
			printf("  %s\n", clean);
		else
			printf("  %s\n", st->required ? _("- (required, not answered)") : "-");
		free(clean);
	}
}

static void try_text_risk(const try_run *t)
{
	unsigned *h;
	size_t n = script_risk_why(t->a, &h);
	script_risk r = script_risk_now(t->a, NULL);
	printf(_("Risk: %s (%s)\n"), script_risk_name(r), script_risk_label(r));
	for (size_t i = 0; i < n; i++) {
		char *l = file_line(t->text, h[i]);
		sanitize_fprintf(stdout, _("  rule on line %u: %s\n"), h[i], l);
		free(l);
	}
	free(h);
	printf("%s\n", t->rec.danger ? _("Danger now: yes") : _("Danger now: no"));
	int emergency = 0;
	for (size_t i = 0; i < t->rec.n; i++)
		emergency += rec_ok(&t->rec.v[i]) && strcmp(t->rec.v[i].service, "emergency") == 0;
	if (t->rec.danger && !emergency)
		printf("  %s\n", _("no emergency number in the directory fits this place: ask for the local one"));
}

static void try_text_refs(const try_run *t)
{
	int held = 0;
	printf("%s\n", _("Recommended referrals:"));
	if (t->rec.nok == 0)
		printf("  %s\n", _("none"));
	for (size_t pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < t->rec.n; i++) {
			const rec_item *it = &t->rec.v[i];
			if (rec_ok(it) != (pass == 0))
				continue;
			if (pass == 1 && !held++)
				printf("%s\n", _("Named by the script but not recommended:"));
			printf("  ");
			cli_put_cell(it->org, 18);
			printf("  ");
			cli_put_cell(it->service, 16);
			printf("  ");
			cli_put_cell(rec_ok(it) ? it->entry.phones : rec_state_label(it->state), 30);
			char *name = sanitize(rec_name(it), 0);
			printf("  %s\n", name);
			free(name);
		}
	}
	if (t->db_note)
		printf(_("(directory not checked: %s)\n"), t->db_note);
}

static void try_json(const try_run *t)
{
	dv_buf b = {0};
	dv_buf_adds(&b, "{\"script\": ");
	dv_buf_add_json(&b, script_id(t->s));
	dv_buf_adds(&b, ", \"version\": ");
	dv_buf_add_json(&b, script_version(t->s));
	dv_buf_adds(&b, ",\n \"steps\": [");
	size_t n = 0;
	for (size_t i = 0; i < script_nsteps(t->s); i++) {
		if (!script_visible(t->a, i))
			continue;
		const script_step *st = script_step_at(t->s, i);
		const char *v = script_answers_get(t->a, st->id);
		dv_buf_adds(&b, n++ ? ",\n  {\"id\": " : "\n  {\"id\": ");
		dv_buf_add_json(&b, st->id);
		dv_buf_adds(&b, ", \"answer\": ");
		if (v)
			dv_buf_add_json(&b, v);
		else
			dv_buf_adds(&b, "null");
		dv_buf_printf(&b, ", \"required\": %s}", st->required ? "true" : "false");
	}
	unsigned *h;
	size_t nh = script_risk_why(t->a, &h);
	dv_buf_printf(&b, "],\n \"risk\": \"%s\", \"risk_rule_lines\": [", script_risk_name(script_risk_now(t->a, NULL)));
	for (size_t i = 0; i < nh; i++)
		dv_buf_printf(&b, "%s%u", i ? ", " : "", h[i]);
	free(h);
	dv_buf_printf(&b, "],\n \"danger\": %s,\n \"directory_checked\": %s,\n \"referrals\": [",
		      t->rec.danger ? "true" : "false", t->db_note ? "false" : "true");
	for (size_t i = 0; i < t->rec.n; i++) {
		const rec_item *it = &t->rec.v[i];
		dv_buf_adds(&b, i ? ",\n  {\"org\": " : "\n  {\"org\": ");
		dv_buf_add_json(&b, it->org);
		dv_buf_adds(&b, ", \"service\": ");
		dv_buf_add_json(&b, it->service);
		dv_buf_printf(&b, ", \"line\": %u, \"recommended\": %s, \"state\": \"%s\", \"phones\": ", it->line,
			      rec_ok(it) ? "true" : "false", rec_state_code(it->state));
		if (it->entry.phones)
			dv_buf_add_json(&b, it->entry.phones);
		else
			dv_buf_adds(&b, "null");
		dv_buf_adds(&b, ", \"name\": ");
		dv_buf_add_json(&b, rec_name(it));
		dv_buf_adds(&b, "}");
	}
	dv_buf_adds(&b, "]}\n");
	fputs(b.s, stdout);
	dv_buf_free(&b);
}

/* Apply one --answer STEP=VALUE; CLI_OK or a printed error's status. */
static int try_answer(try_run *t, const char *arg)
{
	const char *eq = strchr(arg, '=');
	if (!eq || eq == arg) {
		cli_error("script", _("--answer '%s': write STEP=VALUE, e.g. --answer topic=offer"), arg);
		return CLI_USAGE;
	}
	char *step = xstrndup(arg, (size_t)(eq - arg));
	dv_error e;
	dv_error_clear(&e);
	int rc = CLI_OK;
	if (script_answers_set(t->a, step, eq + 1, &e) != DV_OK) {
		cli_error("script", _("--answer %s: %s"), arg, e.msg);
		rc = CLI_PROBLEM;
	}
	free(step);
	return rc;
}

static int try_file(dv_cli *cli, const char *path, const char *const *answers, size_t nanswers, int json)
{
	try_run t = {0};
	script *s;
	script_diags d = {0};
	dv_error e;
	if (script_load(path, &s, &d, &e) != DV_OK) {
		if (d.n == 0)
			cli_error("script", "%s", e.msg);
		for (size_t i = 0; i < d.n; i++)
			print_sanitised(stderr, d.v[i].file, d.v[i].line, d.v[i].msg);
		script_diags_free(&d);
		return CLI_PROBLEM;
	}
	t.s = s;
	t.a = script_answers_new(s);
	int rc = CLI_OK;
	for (size_t i = 0; i < nanswers && rc == CLI_OK; i++)
		rc = try_answer(&t, answers[i]);
	if (rc == CLI_OK) {
		dv_db *db = db_open(cli->db_path, DB_OPEN_READONLY, &e);
		if (!db)
			t.db_note = xstrdup(e.msg);
		t.text = read_text(path);
		rec_resolve(db, t.a, &t.rec);
		if (json) {
			try_json(&t);
		} else {
			char *file = sanitize(path, 0);
			printf(_("%s: script %s version %s\n"), file, script_id(s), script_version(s));
			free(file);
			try_text_steps(&t);
			try_text_risk(&t);
			try_text_refs(&t);
		}
		rec_list_free(&t.rec);
		db_close(db);
	}
	free(t.text);
	free(t.db_note);
	script_answers_free(t.a);
	script_free(s);
	return rc;
}

int cmd_script_try(dv_cli *cli, const cli_parsed *p)
{
	size_t n;
	const char *const *answers = cli_texts(p, "answer", &n);
	return try_file(cli, p->args[0], answers, n, cli_choice(p, "format", 0) == 1);
}

int cmd_script_check(dv_cli *cli, const cli_parsed *p)
{
	int bad = 0;
	for (int i = 0; i < p->nargs; i++)
		bad |= check_file(p->args[i], cli->db_path);
	return bad ? CLI_PROBLEM : CLI_OK;
}

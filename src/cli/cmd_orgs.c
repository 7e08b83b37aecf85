/* cmd_orgs.c: `dovira orgs`: import, export, search and look after the
 * directory of organisations from the command line. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dovira/cli.h"
#include "dovira/i18n.h"
#include "dovira/orgs.h"
#include "dovira/sanitize.h"
#include "dovira/text.h"
#include "dovira/session.h"

#define CMD "orgs"

/* ---- Output by display width ----------------------------------------- */

static void put_line(const char *s)
{
	char *clean = sanitize(s, 0);
	printf("%s\n", clean);
	free(clean);
}

/* ---- Common pieces --------------------------------------------------- */

static int fail(const dv_error *e)
{
	cli_error(CMD, "%s", e->msg);
	return CLI_PROBLEM;
}

/* ---- import ---------------------------------------------------------- */

int cmd_orgs_import(dv_cli *cli, const cli_parsed *p)
{
	dv_session *s = cli->s;
	const char *path = p->args[0];
	dv_buf report = {0};
	orgs_import_stats st;
	dv_error e;
	int code = orgs_import(s->db, s->login, path, &report, &st, &e);
	for (char *line = report.s, *nl; line && *line; line = nl + 1) {
		nl = strchr(line, '\n');
		*nl = '\0';
		cli_error(CMD, "%s", line);
	}
	dv_buf_free(&report);
	if (code)
		return fail(&e);
	char *clean = sanitize(path, 0);
	printf(ngettext("%s: %ld entry: %ld added, %ld updated, %ld unchanged\n",
			"%s: %ld entries: %ld added, %ld updated, %ld unchanged\n", (unsigned long)st.rows),
	       clean, st.rows, st.added, st.updated, st.unchanged);
	free(clean);
	return CLI_OK;
}

/* ---- export ---------------------------------------------------------- */

int cmd_orgs_export(dv_cli *cli, const cli_parsed *p)
{
	dv_error e;
	orgs_format format = (orgs_format)cli_choice(p, "format", ORGS_CSV);
	if (orgs_export(cli->s->db, cli->s->login, stdout, format, &e) < 0)
		return fail(&e);
	return CLI_OK;
}

/* ---- search ---------------------------------------------------------- */

static const char *status_word(const dv_org *o, time_t now)
{
	return orgs_state_label(orgs_state_of(o, now));
}

static void print_table(const orgs_list *l)
{
	time_t now = dv_now();
	int idw = 2, stw = 0;
	for (size_t i = 0; i < l->n; i++) {
		int w = text_width(l->v[i].id);
		idw = w > idw ? w : idw;
		const char *st = status_word(&l->v[i], now);
		w = text_width(st);
		stw = w > stw ? w : stw;
	}
	const char *sth = _("STATUS");
	int hw = text_width(sth);
	stw = stw ? (hw > stw ? hw : stw) : 0;
	cli_put_cell(_("ID"), idw);
	printf("  ");
	cli_put_cell(_("NAME"), 44);
	printf("  ");
	if (stw) {
		cli_put_cell(sth, stw);
		printf("  ");
	}
	put_line(_("PHONES"));
	for (size_t i = 0; i < l->n; i++) {
		const dv_org *o = &l->v[i];
		cli_put_cell(o->id, idw);
		printf("  ");
		cli_put_cell(i18n_pick(o->name_uk, o->name_en), 44);
		printf("  ");
		if (stw) {
			cli_put_cell(status_word(o, now), stw);
			printf("  ");
		}
		put_line(o->phones ? o->phones : "-");
	}
}

int cmd_orgs_search(dv_cli *cli, const cli_parsed *p)
{
	orgs_filter f = ORGS_FILTER_INIT;
	f.area = cli_text(p, "raion");
	f.service = cli_text(p, "service");
	f.serves = cli_text(p, "serves");
	f.include_retired = cli_given(p, "all") > 0;
	if (cli_given(p, "age"))
		f.age = (int)cli_number(p, "age", 0);
	if (cli_given(p, "limit"))
		f.limit = (int)cli_number(p, "limit", 0);
	dv_buf q = {0};
	dv_buf_add(&q, "", 0);
	for (int i = 0; i < p->nargs; i++)
		dv_buf_printf(&q, "%s%s", i ? " " : "", p->args[i]);
	orgs_list l;
	dv_error e;
	long n = orgs_search(cli->s->db, q.s, &f, NULL, &l, &e);
	dv_buf_free(&q);
	if (n < 0 && e.code == DV_EINVAL) {
		cli_error(CMD, "%s", e.msg);
		return CLI_USAGE;
	}
	if (n < 0)
		return fail(&e);
	if (n == 0)
		puts(_("No organisation matches."));
	else
		print_table(&l);
	orgs_list_free(&l);
	return CLI_OK;
}

/* ---- show, verify, retire -------------------------------------------- */

static void show_field(const char *label, const char *value)
{
	if (!value || !*value)
		return;
	char *clean = sanitize(value, SANITIZE_KEEP_NEWLINE);
	cli_put_cell(label, 16); /* by display width: the labels are translated */
	putchar(' ');
	for (char *p = clean; *p; p++) {
		putchar(*p);
		if (*p == '\n')
			printf("%-16s ", "");
	}
	putchar('\n');
	free(clean);
}

/* "legal help, shelter": the labels of a list of codes. */
static char *labels(orgs_codeset set, const char *codes)
{
	dv_buf b = {0};
	dv_buf_add(&b, "", 0);
	for (const char *s = codes; s && *s;) {
		size_t n = strcspn(s, " ");
		char *code = xstrndup(s, n);
		const char *l = orgs_code_label(set, code);
		dv_buf_printf(&b, "%s%s", b.len ? ", " : "", l ? l : code);
		free(code);
		s += n + (s[n] != '\0');
	}
	return dv_buf_take(&b);
}

static void show_lists(const dv_org *o)
{
	static const struct { const char *label; orgs_codeset set; size_t off; } lists[] = {
		{N_("Kind"), ORGS_KIND, offsetof(dv_org, kind)},
		{N_("Services"), ORGS_SERVICE, offsetof(dv_org, services)},
		{N_("Serves"), ORGS_SERVES, offsetof(dv_org, serves)},
		{N_("Areas"), ORGS_AREA, offsetof(dv_org, areas)},
		{N_("Works in"), ORGS_AREA, offsetof(dv_org, operates_in)},
		{N_("Relocated from"), ORGS_AREA, offsetof(dv_org, relocated_from)}};
	for (size_t i = 0; i < sizeof lists / sizeof *lists; i++) {
		const char *codes = *(char *const *)(const void *)((const char *)o + lists[i].off);
		char *l = labels(lists[i].set, codes);
		show_field(_(lists[i].label), l);
		free(l);
	}
}

static void show_org(const dv_org *o)
{
	char ages[64] = "", verified[256]; /* room for the translations */
	show_field(_("Id"), o->id);
	show_field(_("Name"), o->name_uk);
	show_field(_("Name (English)"), o->name_en);
	show_lists(o);
	if (o->age_min >= 0 && o->age_max >= 0)
		snprintf(ages, sizeof ages, "%d-%d", o->age_min, o->age_max);
	else if (o->age_min >= 0)
		snprintf(ages, sizeof ages, _("from %d"), o->age_min);
	else if (o->age_max >= 0)
		snprintf(ages, sizeof ages, _("up to %d"), o->age_max);
	show_field(_("Ages"), ages);
	show_field(_("Phones"), o->phones);
	show_field(_("Hours"), o->hours);
	show_field(_("Address"), o->address);
	show_field(_("Languages"), o->languages);
	show_field(_("Notes"), i18n_pick(o->notes, o->notes_en));
	show_field(_("Source"), o->source);
	if (!o->verified_on)
		snprintf(verified, sizeof verified, "%s", _("never: check this entry before relying on it"));
	else
		snprintf(verified, sizeof verified, "%s%s", o->verified_on,
			 orgs_is_stale(o, dv_now()) ? _(" (over a year ago: check it)") : "");
	show_field(_("Verified"), verified);
	show_field(_("National line"), o->national ? _("yes") : NULL);
	show_field(_("Retired"), o->retired ? _("yes: kept for old referrals") : NULL);
	show_field(_("Do not refer"), o->do_not_refer ? _("yes: never give it to a caller") : NULL);
	show_field(_("Updated"), o->updated_at);
}

int cmd_orgs_show(dv_cli *cli, const cli_parsed *p)
{
	dv_org o;
	dv_error e;
	if (orgs_get(cli->s->db, p->args[0], &o, &e))
		return fail(&e);
	show_org(&o);
	orgs_free(&o);
	return CLI_OK;
}

/* verify, retire, do-not-refer, refer-again: one id, one supervisor
 * action; done says so. */
static int one_change(dv_cli *cli, const cli_parsed *p, int (*act)(dv_db *, const char *, const char *, dv_error *),
		      const char *done)
{
	const char *id = p->args[0];
	dv_error e;
	if (act(cli->s->db, cli->s->login, id, &e))
		return fail(&e);
	char *clean = sanitize(id, 0);
	printf("%s: %s\n", clean, done);
	free(clean);
	return CLI_OK;
}

int cmd_orgs_verify(dv_cli *cli, const cli_parsed *p)
{
	return one_change(cli, p, orgs_mark_verified, _("marked as verified today"));
}

int cmd_orgs_retire(dv_cli *cli, const cli_parsed *p)
{
	return one_change(cli, p, orgs_retire, _("retired"));
}

static int mark_dnr(dv_db *db, const char *actor, const char *id, dv_error *e)
{
	return orgs_set_do_not_refer(db, actor, id, 1, e);
}

static int unmark_dnr(dv_db *db, const char *actor, const char *id, dv_error *e)
{
	return orgs_set_do_not_refer(db, actor, id, 0, e);
}

int cmd_orgs_do_not_refer(dv_cli *cli, const cli_parsed *p)
{
	return one_change(cli, p, mark_dnr, _("marked do not refer"));
}

int cmd_orgs_refer_again(dv_cli *cli, const cli_parsed *p)
{
	return one_change(cli, p, unmark_dnr, _("may be referred again"));
}

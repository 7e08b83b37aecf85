/* directory.c: the directory of organisations: search as you type,
 * filters by area, service and who is served, and referrals on the call.
 *
 * It opens over the start screen, or over the call (any question, the
 * notes, the summary) without touching it: the call's clock keeps running
 * in the title bar, its notes keep being saved, and Esc puts the operator
 * back on the same question with the same text. During a call the
 * entries the script recommends for the answers so far come first,
 * marked with a star, and a referral is recorded with one key (F2); an
 * entry already referred is marked with a tick, and F3 takes a referral
 * made by mistake back.
 *
 * The list is the shared list widget; its filter is the search text and
 * the rows come from orgs_search (prefix matching in both languages, any
 * case) through the widget's reload callback.
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "directory.h"
#include "dovira/i18n.h"
#include "dovira/sanitize.h"
#include "dovira/script.h"
#include "intake.h"

#define DIR_LIST_TOP 3

/* ---- helpers the directory's files share ---- */

char *ui_dir_labels(orgs_codeset set, const char *codes, const char *sep)
{
	dv_buf b = {0};
	dv_buf_adds(&b, "");
	for (const char *s = codes ? codes : ""; *s;) {
		size_t n = strcspn(s, " ");
		if (n) {
			char *code = xstrndup(s, n);
			const char *label = orgs_code_label(set, code);
			dv_buf_printf(&b, "%s%s", b.len ? sep : "", label ? label : code);
			free(code);
		}
		s += n + (s[n] == ' ');
	}
	return dv_buf_take(&b);
}

const char *ui_dir_service_label(const char *code)
{
	const char *label = code && *code ? orgs_code_label(ORGS_SERVICE, code) : NULL;
	if (!code || !*code)
		return _("no particular service");
	return label ? label : code;
}

size_t ui_dir_referred(const ui_ctx *c, const char *org_id)
{
	size_t n = 0;
	for (size_t i = 0; c->call && i < c->call->nreferrals; i++)
		n += strcmp(c->call->referrals[i].org_id, org_id) == 0;
	return n;
}

/* The script's recommended referrals now; *out is freed by the caller. */
static size_t recommendations(const ui_ctx *c, script_referral **out)
{
	return ui_intake_recommended(c, out);
}

int ui_dir_recommended(const ui_ctx *c, const char *org_id, const char *service)
{
	script_referral *rec;
	size_t n = recommendations(c, &rec);
	int found = 0;
	for (size_t i = 0; i < n && !found; i++)
		found = strcmp(rec[i].org, org_id) == 0 && (!service || strcmp(rec[i].service, service) == 0);
	free(rec);
	return found;
}

/* ---- the rows ---- */

static void free_rows(ui_dir *d)
{
	for (size_t i = 0; i < d->n; i++)
		orgs_free(&d->rows[i].org);
	free(d->rows);
	d->rows = NULL;
	d->n = 0;
}

static int have_row(const ui_dir *d, const char *id)
{
	for (size_t i = 0; i < d->n; i++)
		if (strcmp(d->rows[i].org.id, id) == 0)
			return 1;
	return 0;
}

/* Take the entry (the row owns its strings from now on). */
static void add_row(ui_dir *d, dv_org *o, int recommended)
{
	d->rows = xrealloc(d->rows, (d->n + 1) * sizeof *d->rows);
	d->rows[d->n].org = *o;
	d->rows[d->n].recommended = recommended;
	d->n++;
	memset(o, 0, sizeof *o);
}

/* 1 if the query has something to search for. */
static int blank(const char *q)
{
	return !q || q[strspn(q, " \t")] == '\0';
}

/* The recommended entries first, in the order of the script's rules:
 * those the search text finds (all of them while nothing is typed). The
 * filters do not hide them: the script has weighed the caller's answers
 * already. Retired entries are never offered. */
static void add_recommended(ui_ctx *c, ui_dir *d, const char *query)
{
	script_referral *rec;
	size_t n = recommendations(c, &rec);
	dv_error e;
	/* Each recommended entry is asked whether the text finds it (one
	 * entry read): searching the whole directory without a limit for
	 * them took tens of milliseconds a keystroke with 10,000 entries. */
	for (size_t i = 0; i < n; i++) {
		if (have_row(d, rec[i].org))
			continue;
		dv_org o;
		if (!blank(query) && orgs_search_finds(c->s->db, query, rec[i].org, &e) != 1)
			continue;
		if (orgs_get(c->s->db, rec[i].org, &o, &e) != DV_OK)
			continue;
		if (o.retired) {
			orgs_free(&o);
			continue;
		}
		add_row(d, &o, 1);
	}
	free(rec);
}

ui_dir *ui_dir_of(const ui_ctx *c)
{
	return ui_state(c, SCR_DIRECTORY);
}

static void dir_reload_rows(void *data, const char *query)
{
	ui_dir *d = data;
	ui_ctx *c = d->c;
	dv_error e;
	free_rows(d);
	add_recommended(c, d, query);
	orgs_filter f = ORGS_FILTER_INIT;
	f.area = d->area;
	f.service = d->service;
	f.serves = d->serves;
	/* Supervisors looking after the directory see retired entries too;
	 * nobody is offered one during a call. */
	f.include_retired = !c->call && session_may(c->s, ROLES_SUPERVISION);
	f.limit = blank(query) ? 0 : DIR_MATCHES + 1;
	orgs_list res = {0};
	d->more = 0;
	if (orgs_search(c->s->db, query, &f, NULL, &res, &e) < 0) {
		ui_say(c, COLOR_ERROR, "%s", e.msg);
		return;
	}
	if (f.limit && res.n > DIR_MATCHES) { /* one more than shown: there are more */
		d->more = 1;
		orgs_free(&res.v[--res.n]);
	}
	for (size_t i = 0; i < res.n; i++)
		if (!have_row(d, res.v[i].id))
			add_row(d, &res.v[i], 0);
	orgs_list_free(&res);
}

static size_t dir_count(void *data)
{
	return ((ui_dir *)data)->n;
}

const char *ui_dir_service_short(const char *code)
{
	static const struct { const char *code, *label; } shorts[] = {
		{"status", N_("status")}, {"psychological", N_("psychol.")},
		{"legal", N_("legal")}, {"medical", N_("medical")},
		{"shelter", N_("shelter")}, {"financial", N_("financial")},
		{"employment", N_("work")}, {"information", N_("info")},
		{"emergency", N_("emergency")}, {"report", N_("crime report")},
		{"child-protection", N_("child prot.")},
	};
	for (size_t i = 0; i < sizeof shorts / sizeof *shorts; i++)
		if (strcmp(shorts[i].code, code) == 0)
			return _(shorts[i].label);
	return code;
}

static const char *kind_short(const char *code)
{
	static const struct { const char *code, *label; } shorts[] = {
		{"state", N_("state body")}, {"social", N_("social serv.")},
		{"ngo", N_("NGO")}, {"hotline", N_("hotline")},
		{"police", N_("police")}, {"legal_aid", N_("legal aid")},
		{"health", N_("health")}, {"shelter", N_("shelter")},
	};
	for (size_t i = 0; code && i < sizeof shorts / sizeof *shorts; i++)
		if (strcmp(shorts[i].code, code) == 0)
			return _(shorts[i].label);
	return code ? code : "";
}

static char *services_short(const dv_org *o)
{
	if (!o->services || !*o->services)
		return xstrdup(kind_short(o->kind));
	dv_buf b = {0};
	dv_buf_adds(&b, "");
	for (const char *s = o->services; *s;) {
		size_t n = strcspn(s, " ");
		char *code = xstrndup(s, n);
		if (n)
			dv_buf_printf(&b, "%s%s", b.len ? ", " : "", ui_dir_service_short(code));
		free(code);
		s += n + (s[n] == ' ');
	}
	return dv_buf_take(&b);
}

/* One cell: text cut to w - 1 columns, padded, and a space after it. */
static void cell(ui_row *r, ui_color color, const char *text, int w)
{
	if (w <= 0)
		return;
	char *clean = sanitize(text, 0);
	char *cut = text_cut(clean, w - 1, 1);
	char *with_gap = xasprintf("%s ", cut);
	ui_row_put(r, color, with_gap);
	free(with_gap);
	free(cut);
	free(clean);
}

static void dir_draw_row(void *data, size_t i, ui_row *r)
{
	const ui_dir *d = data;
	ui_ctx *c = d->c;
	const dir_row *row = &d->rows[i];
	const dv_org *o = &row->org;
	orgs_state st = orgs_state_of(o, dv_now());
	int referred = ui_dir_referred(c, o->id) > 0;
	int total = r->right - r->x;
	int w_state = 0, w_phone = 17, w_what = 15;
	for (int k = ORGS_STALE; k <= ORGS_RETIRED; k++)
		if (text_width(orgs_state_label((orgs_state)k)) > w_state)
			w_state = text_width(orgs_state_label((orgs_state)k));
	if (w_state > 14)
		w_state = 14;
	int w_name = total - 2 - w_state - w_phone - w_what;
	ui_row_put(r, referred ? COLOR_OK : COLOR_CHOSEN, referred ? "\u2713 " : row->recommended ? "\u2605 " : "  ");
	cell(r, COLOR_NORMAL, i18n_pick(o->name_uk, o->name_en), w_name);
	char *what = services_short(o);
	cell(r, COLOR_HINT, what, w_what);
	free(what);
	cell(r, COLOR_NORMAL, o->phones ? o->phones : "", w_phone);
	if (st != ORGS_OK)
		ui_row_put(r, st >= ORGS_DO_NOT_REFER ? COLOR_ERROR : COLOR_WARNING, orgs_state_label(st));
}

static const ui_list_ops dir_ops = {
	.count = dir_count,
	.draw_row = dir_draw_row,
	.reload = dir_reload_rows,
};

void ui_dir_reload(ui_ctx *c, const char *id)
{
	ui_dir *d = ui_dir_of(c);
	char *keep = id ? xstrdup(id) : NULL;
	d->list.sel = (size_t)-1;
	ui_list_refresh(&d->list);
	d->list.sel = 0;
	for (size_t i = 0; keep && i < d->n; i++)
		if (strcmp(d->rows[i].org.id, keep) == 0)
			ui_list_select(&d->list, i);
	free(keep);
}

const dv_org *ui_dir_target(const ui_ctx *c)
{
	const ui_dir *d = ui_dir_of(c);
	if (!d)
		return NULL;
	if (ui_top(c) == SCR_ORG || ui_top(c) == SCR_ORG_EDIT)
		return ui_org_shown(c);
	size_t i = ui_list_selected(&d->list);
	return i < d->n ? &d->rows[i].org : NULL;
}

/* ---- opening and closing ---- */

static void free_ref(ui_dir *d)
{
	for (size_t i = 0; i < d->nref_svc; i++)
		free(d->ref_svc[i]);
	free(d->ref_svc);
	free(d->ref_org);
	free(d->ref_name);
	d->ref_svc = NULL;
	d->nref_svc = 0;
	d->ref_org = d->ref_name = NULL;
}

static void dir_leave(ui_ctx *c, void *state)
{
	(void)c;
	ui_dir *d = state;
	free_rows(d);
	ui_list_free(&d->list);
	free(d->area);
	free(d->service);
	free(d->serves);
	free(d->callers_area);
	free_ref(d);
	free(d);
}

/* The caller's raion, when the call has one the directory knows. */
static char *callers_area(const ui_ctx *c)
{
	const char *v = c->call ? c->call->col[COL_RAION] : NULL;
	return v && strcmp(v, "all") != 0 && orgs_code_valid(ORGS_AREA, v) ? xstrdup(v) : NULL;
}

void ui_act_directory(ui_ctx *c)
{
	ui_dir *d = xcalloc(1, sizeof *d);
	d->c = c;
	d->callers_area = callers_area(c);
	if (d->callers_area)
		d->area = xstrdup(d->callers_area);
	ui_list_init(&d->list, &dir_ops, d, 1);
	ui_push_state(c, SCR_DIRECTORY, d);
}

int ui_dir_has_search(const ui_ctx *c)
{
	return ui_dir_of(c) && ui_dir_of(c)->list.filter.len > 0;
}

void ui_act_dir_clear(ui_ctx *c)
{
	if (!ui_dir_of(c))
		return;
	ui_edit_set(&ui_dir_of(c)->list.filter, "");
	ui_list_refresh(&ui_dir_of(c)->list);
}

int ui_dir_has_row(const ui_ctx *c)
{
	return ui_dir_target(c) != NULL;
}

void ui_act_dir_details(ui_ctx *c)
{
	const dv_org *o = ui_dir_target(c);
	if (o)
		ui_dir_show(c, o->id);
}

/* ---- referrals ---- */

int ui_dir_may_refer(const ui_ctx *c)
{
	const dv_org *o = ui_dir_target(c);
	return c->call && !c->call->final && o && !o->retired;
}

int ui_dir_may_unrefer(const ui_ctx *c)
{
	const dv_org *o = ui_dir_target(c);
	return c->call && !c->call->final && o && ui_dir_referred(c, o->id) > 0;
}

static void remember_ref(ui_dir *d, const dv_org *o)
{
	free_ref(d);
	d->ref_org = xstrdup(o->id);
	d->ref_name = xstrdup(i18n_pick(o->name_uk, o->name_en));
}

static void offer_service(ui_dir *d, const char *code)
{
	for (size_t i = 0; i < d->nref_svc; i++)
		if (strcmp(d->ref_svc[i], code) == 0)
			return;
	d->ref_svc = xrealloc(d->ref_svc, (d->nref_svc + 1) * sizeof *d->ref_svc);
	d->ref_svc[d->nref_svc++] = xstrdup(code);
}

/* The services a referral to o may be for: those the script recommends
 * it for first, then the rest of what it offers. */
static void services_for(ui_ctx *c, ui_dir *d, const dv_org *o)
{
	script_referral *rec;
	size_t n = recommendations(c, &rec);
	for (size_t i = 0; i < n; i++)
		if (strcmp(rec[i].org, o->id) == 0)
			offer_service(d, rec[i].service);
	free(rec);
	for (const char *s = o->services ? o->services : ""; *s;) {
		size_t len = strcspn(s, " ");
		char *code = xstrndup(s, len);
		if (len)
			offer_service(d, code);
		free(code);
		s += len + (s[len] == ' ');
	}
}

static void record(ui_ctx *c, const char *svc)
{
	ui_dir *d = ui_dir_of(c);
	dv_error e;
	dv_error_clear(&e);
	int rec = ui_dir_recommended(c, d->ref_org, svc);
	if (calls_add_referral(c->s, c->call, d->ref_org, svc, rec, &e) != DV_OK) {
		ui_say(c, COLOR_ERROR, "%s", e.msg);
		return;
	}
	/* TRANSLATORS: %1$s is a service, %2$s the organisation referred to. */
	ui_say(c, COLOR_OK, _("Referred for %1$s: %2$s"), ui_dir_service_label(svc), d->ref_name);
}

static void refer_picked(ui_ctx *c, size_t i)
{
	if (ui_dir_of(c) && i < ui_dir_of(c)->nref_svc)
		record(c, ui_dir_of(c)->ref_svc[i]);
}

/* The choice of service: recommended ones marked, those already referred
 * ticked; the first (recommended, else the first offered) highlighted. */
static void ask_service(ui_ctx *c, ui_dir *d)
{
	char **labels = xcalloc(d->nref_svc, sizeof *labels);
	for (size_t i = 0; i < d->nref_svc; i++) {
		const char *svc = d->ref_svc[i];
		int made = 0;
		for (size_t k = 0; k < c->call->nreferrals; k++)
			made |= strcmp(c->call->referrals[k].org_id, d->ref_org) == 0 &&
				strcmp(c->call->referrals[k].service, svc) == 0;
		labels[i] = xasprintf("%s%s%s", ui_dir_service_label(svc),
				      ui_dir_recommended(c, d->ref_org, svc) ? _("  \u2605 recommended") : "",
				      made ? _("  \u2713 referred") : "");
	}
	char *title = xasprintf(_("Refer to %s for:"), d->ref_name);
	ui_pick_open(c, title, (const char *const *)labels, d->nref_svc, 0, refer_picked);
	free(title);
	for (size_t i = 0; i < d->nref_svc; i++)
		free(labels[i]);
	free(labels);
}

void ui_act_refer(ui_ctx *c)
{
	const dv_org *o = ui_dir_target(c);
	ui_dir *d = ui_dir_of(c);
	if (!ui_dir_may_refer(c))
		return;
	remember_ref(d, o);
	services_for(c, d, o);
	if (d->nref_svc == 0)
		record(c, "");
	else if (d->nref_svc == 1)
		record(c, d->ref_svc[0]);
	else
		ask_service(c, d);
}

static void remove_one(ui_ctx *c, const char *svc)
{
	ui_dir *d = ui_dir_of(c);
	dv_error e;
	dv_error_clear(&e);
	char *keep = xstrdup(svc);
	if (calls_remove_referral(c->s, c->call, d->ref_org, keep, &e) != DV_OK)
		ui_say(c, COLOR_ERROR, "%s", e.msg);
	else
		/* TRANSLATORS: %1$s is a service, %2$s an organisation. */
		ui_say(c, COLOR_OK, _("Referral for %1$s taken back: %2$s"), ui_dir_service_label(keep), d->ref_name);
	free(keep);
}

static void unrefer_picked(ui_ctx *c, size_t i)
{
	if (ui_dir_of(c) && i < ui_dir_of(c)->nref_svc)
		remove_one(c, ui_dir_of(c)->ref_svc[i]);
}

void ui_act_unrefer(ui_ctx *c)
{
	const dv_org *o = ui_dir_target(c);
	ui_dir *d = ui_dir_of(c);
	if (!ui_dir_may_unrefer(c))
		return;
	remember_ref(d, o);
	for (size_t i = 0; i < c->call->nreferrals; i++)
		if (strcmp(c->call->referrals[i].org_id, o->id) == 0)
			offer_service(d, c->call->referrals[i].service);
	if (d->nref_svc == 1) {
		remove_one(c, d->ref_svc[0]);
		return;
	}
	char **labels = xcalloc(d->nref_svc, sizeof *labels);
	for (size_t i = 0; i < d->nref_svc; i++)
		labels[i] = xstrdup(ui_dir_service_label(d->ref_svc[i]));
	char *title = xasprintf(_("Remove the referral to %s for:"), d->ref_name);
	ui_pick_open(c, title, (const char *const *)labels, d->nref_svc, 0, unrefer_picked);
	free(title);
	for (size_t i = 0; i < d->nref_svc; i++)
		free(labels[i]);
	free(labels);
}

/* ---- filters: each key offers its values in a box ---- */

enum { FILTER_AREA, FILTER_SERVICE, FILTER_SERVES };

/* The codes a filter offers (NULL-terminated; the caller frees the array,
 * not the codes). */
static const char **filter_codes(int which, size_t *n)
{
	orgs_codeset set = which == FILTER_AREA ? ORGS_AREA : which == FILTER_SERVICE ? ORGS_SERVICE : ORGS_SERVES;
	const char **v = NULL;
	*n = 0;
	const char *code;
	for (size_t i = 0; (code = orgs_code_at(set, i)); i++) {
		if (set == ORGS_AREA && strcmp(code, "all") == 0)
			continue;
		v = xrealloc(v, (*n + 1) * sizeof *v);
		v[(*n)++] = code;
	}
	return v;
}

static char **filter_slot(ui_dir *d, int which)
{
	return which == FILTER_AREA ? &d->area : which == FILTER_SERVICE ? &d->service : &d->serves;
}

static const char *any_label(int which)
{
	return which == FILTER_AREA ? _("any area") : which == FILTER_SERVICE ? _("any service") : _("anyone");
}

static char *filter_label(const ui_dir *d, int which, const char *code)
{
	if (!code)
		return xstrdup(any_label(which));
	orgs_codeset set = which == FILTER_AREA ? ORGS_AREA : which == FILTER_SERVICE ? ORGS_SERVICE : ORGS_SERVES;
	const char *label = orgs_code_label(set, code);
	if (which == FILTER_AREA && d->callers_area && strcmp(code, d->callers_area) == 0)
		/* TRANSLATORS: an area filter that is the caller's raion. */
		return xasprintf(_("%s (the caller's)"), label ? label : code);
	return xstrdup(label ? label : code);
}

static void set_filter(ui_ctx *c, int which, size_t i)
{
	ui_dir *d = ui_dir_of(c);
	size_t n;
	const char **codes = filter_codes(which, &n);
	char **slot = filter_slot(d, which);
	free(*slot);
	*slot = i > 0 && i <= n ? xstrdup(codes[i - 1]) : NULL;
	free(codes);
	ui_dir_reload(c, NULL);
}

static void area_picked(ui_ctx *c, size_t i) { if (ui_dir_of(c)) set_filter(c, FILTER_AREA, i); }
static void service_picked(ui_ctx *c, size_t i) { if (ui_dir_of(c)) set_filter(c, FILTER_SERVICE, i); }
static void serves_picked(ui_ctx *c, size_t i) { if (ui_dir_of(c)) set_filter(c, FILTER_SERVES, i); }

static void pick_filter(ui_ctx *c, int which, const char *title, void (*done)(ui_ctx *, size_t))
{
	ui_dir *d = ui_dir_of(c);
	if (!d)
		return;
	size_t n, sel = 0;
	const char **codes = filter_codes(which, &n);
	char **labels = xcalloc(n + 1, sizeof *labels);
	labels[0] = filter_label(d, which, NULL);
	for (size_t i = 0; i < n; i++) {
		labels[i + 1] = filter_label(d, which, codes[i]);
		if (*filter_slot(d, which) && strcmp(*filter_slot(d, which), codes[i]) == 0)
			sel = i + 1;
	}
	ui_pick_open(c, title, (const char *const *)labels, n + 1, sel, done);
	for (size_t i = 0; i <= n; i++)
		free(labels[i]);
	free(labels);
	free(codes);
}

void ui_act_dir_area(ui_ctx *c)
{
	pick_filter(c, FILTER_AREA, _("Entries serving or working in:"), area_picked);
}

void ui_act_dir_service(ui_ctx *c)
{
	pick_filter(c, FILTER_SERVICE, _("Entries that offer:"), service_picked);
}

void ui_act_dir_serves(ui_ctx *c)
{
	pick_filter(c, FILTER_SERVES, _("Entries that serve:"), serves_picked);
}

/* ---- drawing ---- */

/* The first key of the named action, as the bar shows it. */
static void key_of(const char *action, char out[32])
{
	out[0] = '\0';
	for (size_t i = 0; i < ui_nactions; i++)
		if (strcmp(ui_actions[i].name, action) == 0)
			ui_key_name(ui_actions[i].keys[0], out, 32);
}

/* "F5 Melitopol raion (the caller's)": one filter, its key and value
 * ("any service" when it is off); returns the column after it. */
static int draw_filter(ui_ctx *c, int x, const char *action, int which)
{
	ui_dir *d = ui_dir_of(c);
	char key[32];
	key_of(action, key);
	const char *code = *filter_slot(d, which);
	char *value = filter_label(d, which, code);
	x += ui_put(c, 2, x, COLS - x - 1, COLOR_BAR_KEY, 0, key) + 1;
	x += ui_put(c, 2, x, COLS - x - 1, code ? COLOR_CHOSEN : COLOR_HINT, 0, value) + 3;
	free(value);
	return x;
}

static void draw_heading(ui_ctx *c)
{
	ui_dir *d = ui_dir_of(c);
	char count[64];
	if (d->more) /* the best DIR_MATCHES of more: typing more narrows */
		snprintf(count, sizeof count, _("best %zu of more"), d->list.nshown);
	else
		snprintf(count, sizeof count, ngettext("%zu entry", "%zu entries", d->list.nshown), d->list.nshown);
	int cw = text_width(count);
	const char *title = c->call ? _("Directory \u00b7 \u2605 recommended for this call, \u2713 referred")
				    : _("Directory of organisations");
	ui_put(c, 1, 2, COLS - cw - 6, COLOR_HEADING, 0, title);
	ui_put(c, 1, COLS - cw - 2, cw, COLOR_HINT, 0, count);
	int x = 2;
	x = draw_filter(c, x, "dir-area", FILTER_AREA);
	x = draw_filter(c, x, "dir-service", FILTER_SERVICE);
	draw_filter(c, x, "dir-serves", FILTER_SERVES);
}

/* The highlighted entry in full under the list: a row cuts names that
 * differ only at their end ("Crisis centre ... in Berdiansk"). */
static void draw_preview(ui_ctx *c, int y)
{
	size_t i = ui_list_selected(&ui_dir_of(c)->list);
	if (i >= ui_dir_of(c)->n) {
		ui_put(c, y, 2, COLS - 4, COLOR_HINT, 0, _("Type to search, in Ukrainian or English; Backspace to widen the search."));
		return;
	}
	const dv_org *o = &ui_dir_of(c)->rows[i].org;
	orgs_state st = orgs_state_of(o, dv_now());
	char *svc = o->services && *o->services ? ui_dir_labels(ORGS_SERVICE, o->services, ", ")
						: xstrdup(orgs_code_label(ORGS_KIND, o->kind) ? orgs_code_label(ORGS_KIND, o->kind) : "");
	char *line = xasprintf("%s%s%s%s%s", o->phones ? o->phones : "", o->phones ? " \u00b7 " : "", svc,
			       st != ORGS_OK ? " \u00b7 " : "", orgs_state_label(st));
	ui_put(c, y, 2, COLS - 4, COLOR_NORMAL, 0, i18n_pick(o->name_uk, o->name_en));
	ui_put(c, y + 1, 4, COLS - 6, st == ORGS_OK ? COLOR_HINT : COLOR_WARNING, 0, line);
	free(line);
	free(svc);
}

static void dir_draw(ui_ctx *c)
{
	ui_clear_body(c);
	if (!ui_dir_of(c))
		return;
	draw_heading(c);
	ui_list_draw(&ui_dir_of(c)->list, c, DIR_LIST_TOP, 2, LINES - 4 - DIR_LIST_TOP, COLS - 4);
	draw_preview(c, LINES - 4);
}

static int dir_key(ui_ctx *c, ui_key k)
{
	ui_dir *d = ui_dir_of(c);
	if (!d)
		return 0;
	if (k == UK_PASTE) {
		ui_edit_paste(&d->list.filter, c->paste.s, c->paste.len);
		ui_dir_reload(c, NULL);
		return 1;
	}
	return ui_list_key(&d->list, k);
}

static int dir_typing(const ui_ctx *c)
{
	return ui_dir_of(c) != NULL;
}

static int dir_cursor(const ui_ctx *c, int *y, int *x)
{
	if (!ui_dir_of(c))
		return 0;
	*y = DIR_LIST_TOP;
	*x = 2 + text_width(_("Find:")) + 1 + text_width_n(ui_dir_of(c)->list.filter.s, ui_dir_of(c)->list.filter.cur);
	return 1;
}

static const char *const dir_help[] = {
	N_("letters, digits"), N_("search: every word typed must begin a word of the entry (name, telephone, service, area), in Ukrainian or English, any case"),
	N_("Backspace, Ctrl-W"), N_("delete a letter, a word of the search"),
	N_("\u2191 \u2193 PgUp PgDn Home End"), N_("move through the entries"),
	N_("\u2605 \u2713"), N_("recommended by the script for this call; already referred on this call"),
	NULL,
};

const ui_screen ui_directory_screen = {
	.id = SCR_DIRECTORY,
	.leave = dir_leave,
	.title = N_("Directory"),
	.draw = dir_draw,
	.key = dir_key,
	.typing = dir_typing,
	.cursor = dir_cursor,
	.field_help = dir_help,
};

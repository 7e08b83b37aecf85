/* org.c: one entry of the directory in full: names in both languages,
 * what it is and does, where it serves and where it works now (and
 * whether it moved out of an occupied area), how to reach it, who it
 * serves, notes, where the facts come from and when they were last
 * verified. Wrapped to the width of the screen, scrolled with the arrows.
 *
 * During a call F2 (or Enter) refers the caller here. Supervisors and
 * administrators also edit the entry, mark it verified today and retire
 * it (the action table shows these to them only; the core checks again
 * and audits each change).
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "directory.h"
#include "dovira/i18n.h"
#include "dovira/places.h"
#include "dovira/sanitize.h"

#define LABEL_W 20

/* ---- the lines of the view: a pager, filled from the entry in memory
 * (read once, when the entry was opened) ---- */

/* A field: its label, and its value (sanitised) wrapped to the width. */
static void field(ui_pager *b, const char *label, const char *value, ui_color color)
{
	ui_pager_add_wrapped(b, label, color, 0, value, COLS - LABEL_W - 5);
}

/* The same, taking a value the caller allocated. */
static void field_own(ui_pager *b, const char *label, char *value, ui_color color)
{
	field(b, label, value, color);
	free(value);
}

static char *ages(const dv_org *o)
{
	if (o->age_min >= 0 && o->age_max >= 0)
		return xasprintf(_("%d to %d years"), o->age_min, o->age_max);
	if (o->age_min >= 0)
		return xasprintf(_("from %d years"), o->age_min);
	if (o->age_max >= 0)
		return xasprintf(_("up to %d years"), o->age_max);
	return xstrdup(_("any age"));
}

static char *who(const dv_org *o)
{
	char *groups = o->serves && *o->serves ? ui_dir_labels(ORGS_SERVES, o->serves, ", ") : xstrdup(_("everyone"));
	char *age = ages(o);
	char *s = xasprintf("%s \u00b7 %s", groups, age);
	free(groups);
	free(age);
	return s;
}

/* "Melitopol raion (occupied)": where it moved from. */
static char *relocated(const dv_org *o)
{
	char *from = ui_dir_labels(ORGS_AREA, o->relocated_from, ", ");
	int occupied = 0;
	for (const char *s = o->relocated_from; s && *s;) {
		size_t n = strcspn(s, " ");
		char *code = xstrndup(s, n);
		const place *p = places_find(PLACES_AREAS, code);
		/* "Temporarily occupied territory" says so itself. */
		occupied |= p && (p->flags & PLACE_OCCUPIED) && strcmp(code, "occupied") != 0;
		free(code);
		s += n + (s[n] == ' ');
	}
	char *out = occupied ? xasprintf(_("%s \u2014 an occupied area"), from) : xstrdup(from);
	free(from);
	return out;
}

/* Verified on, or the warning that it needs checking. */
static void verification(ui_pager *b, const dv_org *o)
{
	const char *label = _("Verified:");
	switch (orgs_state_of(o, dv_now())) {
	case ORGS_RETIRED:
		field(b, label, o->verified_on, COLOR_NORMAL);
		field(b, _("Retired:"), _("kept for earlier referrals; not offered in searches or during calls"), COLOR_ERROR);
		break;
	case ORGS_UNVERIFIED:
		field(b, label, _("never verified: confirm the contacts before you give them to a caller"), COLOR_WARNING);
		break;
	case ORGS_DO_NOT_REFER:
		field(b, label, o->verified_on ? o->verified_on : _("never verified"), COLOR_NORMAL);
		field(b, _("Do not refer:"), _("do not give this entry to a caller; it is never recommended"), COLOR_ERROR);
		break;
	case ORGS_STALE:
		field_own(b, label, xasprintf(_("%s \u2014 not verified for 12 months or more: confirm the contacts before you give them to a caller"),
					      o->verified_on), COLOR_WARNING);
		break;
	default:
		field(b, label, o->verified_on, COLOR_OK);
		break;
	}
}

/* What the call in progress has to do with the entry. */
static void on_this_call(ui_pager *b, const ui_ctx *c, const dv_org *o)
{
	if (!c->call)
		return;
	dv_buf made = {0};
	dv_buf_adds(&made, "");
	for (size_t i = 0; i < c->call->nreferrals; i++)
		if (strcmp(c->call->referrals[i].org_id, o->id) == 0)
			dv_buf_printf(&made, "%s%s", made.len ? ", " : "", ui_dir_service_label(c->call->referrals[i].service));
	if (made.len)
		field_own(b, _("This call:"), xasprintf(_("\u2713 referred for %s"), made.s), COLOR_OK);
	else if (ui_dir_recommended(c, o->id, NULL))
		field(b, _("This call:"), _("\u2605 recommended by the script for the answers so far"), COLOR_CHOSEN);
	dv_buf_free(&made);
}

static void build(const ui_ctx *c, const dv_org *o, ui_pager *b)
{
	ui_pager_clear(b);
	b->label_w = LABEL_W;
	int uk = strcmp(i18n_lang(), "uk") == 0;
	on_this_call(b, c, o);
	field(b, _("Name (Ukrainian):"), o->name_uk, COLOR_NORMAL);
	field(b, _("Name (English):"), o->name_en, COLOR_NORMAL);
	field(b, _("Kind:"), orgs_code_label(ORGS_KIND, o->kind) ? orgs_code_label(ORGS_KIND, o->kind) : o->kind, COLOR_NORMAL);
	field_own(b, _("Services:"), o->services && *o->services ? ui_dir_labels(ORGS_SERVICE, o->services, ", ")
				     : xstrdup(_("none listed")), COLOR_NORMAL);
	field_own(b, _("Areas served:"), ui_dir_labels(ORGS_AREA, o->areas, ", "), COLOR_NORMAL);
	if (o->national)
		field(b, _("National line:"), _("yes: listed for every area"), COLOR_NORMAL);
	field_own(b, _("Works now in:"), o->operates_in ? ui_dir_labels(ORGS_AREA, o->operates_in, ", ")
				 : xstrdup(_("the areas it serves")), COLOR_NORMAL);
	if (o->relocated_from)
		field_own(b, _("Relocated from:"), relocated(o), COLOR_WARNING);
	field(b, _("Address:"), o->address, COLOR_NORMAL);
	field(b, _("Telephones:"), o->phones, COLOR_NORMAL);
	field(b, _("Hours:"), o->hours, COLOR_NORMAL);
	field_own(b, _("Serves:"), who(o), COLOR_NORMAL);
	field(b, _("Languages:"), o->languages, COLOR_NORMAL);
	field(b, _("Notes:"), uk ? o->notes : o->notes_en, COLOR_NORMAL);
	field(b, uk ? _("Notes (English):") : _("Notes (Ukrainian):"), uk ? o->notes_en : o->notes, COLOR_HINT);
	field(b, _("Source:"), o->source, COLOR_NORMAL);
	verification(b, o);
	field_own(b, _("Entry:"), xasprintf(_("%s \u00b7 changed %s"), o->id, o->updated_at ? o->updated_at : "\u2014"), COLOR_HINT);
}

/* ---- the screen ---- */

static int body_rows(void)
{
	return LINES - 3 - 3;
}

/* The detail view's state: the entry as read, its lines and scroll. */
typedef struct ui_orgview {
	dv_org cur;
	ui_pager detail;
} ui_orgview;

static ui_orgview *view(const ui_ctx *c)
{
	return ui_state(c, SCR_ORG);
}

const dv_org *ui_org_shown(const ui_ctx *c)
{
	const ui_orgview *v = view(c);
	return v && v->cur.id ? &v->cur : NULL;
}

static void org_draw(ui_ctx *c)
{
	ui_clear_body(c);
	ui_orgview *d = view(c);
	if (!d || !d->cur.id)
		return;
	const dv_org *o = &d->cur;
	orgs_state st = orgs_state_of(o, dv_now());
	const char *mark = orgs_state_label(st);
	int mw = *mark ? text_width(mark) + 2 : 0;
	ui_put(c, 1, 2, COLS - 4 - mw, COLOR_HEADING, 0, i18n_pick(o->name_uk, o->name_en));
	if (*mark)
		ui_put(c, 1, COLS - mw - 1, mw, st >= ORGS_DO_NOT_REFER ? COLOR_ERROR : COLOR_WARNING, 0, mark);
	/* Built from the entry in memory at the width of the screen: no
	 * database is read while drawing. */
	build(c, o, &d->detail);
	ui_pager_draw(&d->detail, c, 3, 2, body_rows(), COLS - 3);
	char *hint = ui_hint(c, SCR_ORG, c->call
	       ? _("\u2191 \u2193 PgUp PgDn: scroll \u00b7 {org-refer}: refer the caller here \u00b7 {org-back}: back to the list")
	       : _("\u2191 \u2193 PgUp PgDn: scroll \u00b7 {org-back}: back to the list"));
	ui_put(c, LINES - 3, 2, COLS - 4, COLOR_HINT, 0, hint);
	free(hint);
}

static int org_key(ui_ctx *c, ui_key k)
{
	return view(c) && ui_pager_key(&view(c)->detail, k);
}

static const char *const org_help[] = {
	N_("\u2191 \u2193 PgUp PgDn Home End"), N_("scroll"),
	NULL,
};

static void org_leave(ui_ctx *c, void *state)
{
	(void)c;
	ui_orgview *v = state;
	orgs_free(&v->cur);
	ui_pager_free(&v->detail);
	free(v);
}

const ui_screen ui_org_screen = {
	.id = SCR_ORG,
	.title = N_("Directory entry"),
	.draw = org_draw,
	.key = org_key,
	.field_help = org_help,
	.leave = org_leave,
};

int ui_dir_show(ui_ctx *c, const char *id)
{
	dv_error e;
	dv_org o;
	char *want = xstrdup(id);
	if (orgs_get(c->s->db, want, &o, &e) != DV_OK) {
		ui_say(c, COLOR_ERROR, "%s", e.msg);
		free(want);
		return -1;
	}
	free(want);
	/* Over the details, the entry read again takes their place and
	 * keeps their scroll. */
	ui_orgview *old = ui_top(c) == SCR_ORG ? view(c) : NULL;
	ui_orgview *v = xcalloc(1, sizeof *v);
	v->cur = o;
	if (old) {
		v->detail.top = old->detail.top;
		ui_replace_state(c, SCR_ORG, v);
	} else {
		ui_push_state(c, SCR_ORG, v);
	}
	return 0;
}

int ui_org_not_retired(const ui_ctx *c)
{
	const dv_org *o = ui_dir_target(c);
	return o && !o->retired;
}

/* The name of the entry shown, for a message ("" if none). */
static const char *shown_name(const ui_ctx *c)
{
	const dv_org *o = ui_org_shown(c);
	return o ? i18n_pick(o->name_uk, o->name_en) : "";
}

/* After a change: the entry and the list afresh. */
static void reread(ui_ctx *c, const char *id)
{
	char *keep = xstrdup(id);
	ui_dir_reload(c, keep);
	ui_dir_show(c, keep);
	free(keep);
}

static void verify(ui_ctx *c)
{
	const dv_org *o = ui_dir_target(c);
	dv_error e;
	if (!o)
		return;
	char *id = xstrdup(o->id);
	if (orgs_mark_verified(c->s->db, c->s->login, id, &e) != DV_OK) {
		ui_say(c, COLOR_ERROR, "%s", e.msg);
	} else {
		reread(c, id);
		ui_say(c, COLOR_OK, _("Marked as verified today: %s."), shown_name(c));
	}
	free(id);
}

/* Verifying says someone checked the contacts: asked, not one stray key. */
void ui_act_org_verify(ui_ctx *c)
{
	const dv_org *o = ui_dir_target(c);
	if (o)
		ui_ask(c, verify, _("Mark %s as verified today? Only if you have just confirmed its contacts and services."),
		       i18n_pick(o->name_uk, o->name_en));
}

static void retire(ui_ctx *c)
{
	const dv_org *o = ui_dir_target(c);
	dv_error e;
	if (!o)
		return;
	char *id = xstrdup(o->id);
	if (orgs_retire(c->s->db, c->s->login, id, &e) != DV_OK) {
		ui_say(c, COLOR_ERROR, "%s", e.msg);
	} else {
		reread(c, id);
		ui_say(c, COLOR_OK, _("Retired: %s. It stays for earlier referrals."), shown_name(c));
	}
	free(id);
}

void ui_act_org_retire(ui_ctx *c)
{
	const dv_org *o = ui_dir_target(c);
	if (o && !o->retired)
		ui_ask(c, retire, _("Retire %s? It is no longer offered in searches or during calls; earlier referrals keep it."),
		       i18n_pick(o->name_uk, o->name_en));
}

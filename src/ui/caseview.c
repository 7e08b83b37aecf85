/* caseview.c: a case, found by the code a caller who rings back gives.
 * What a follow-up needs: the case's status, owner and agreed call-back,
 * and its calls (oldest first) with their coded summary, outcome and
 * referrals; the highlighted call's notes only when the core gives them
 * (one's own call, or a supervisor's reading). Enter opens a call in
 * full. F2 starts a new call that joins the case. Supervisors set the
 * status, the owner and the call-back due date.
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "desk.h"
#include "dovira/i18n.h"
#include "directory.h"
#include "dovira/orgs.h"
#include "intake.h"

struct ui_caseview {
	ui_ctx *c;             /* for the list's callbacks */
	desk_followup *f;
	char code[10];         /* the code it was opened with */
	ui_list list;          /* the case's calls */
};

static ui_caseview *view(const ui_ctx *c)
{
	return ui_state(c, SCR_CASE);
}

static desk_followup *shown(const ui_ctx *c)
{
	return view(c) ? view(c)->f : NULL;
}

static size_t calls_count(void *data)
{
	return ((ui_caseview *)data)->f->ncalls;
}

static void calls_row(void *data, size_t i, ui_row *r)
{
	const ui_caseview *v = data;
	ui_ctx *c = v->c;
	const desk_row *row = &v->f->calls[i].row;
	char when[20], refs[64];
	ui_desk_when(row->started_at, when);
	ui_row_put(r, COLOR_NORMAL, when);
	ui_row_put(r, COLOR_NORMAL, "  ");
	ui_row_put(r, COLOR_CHOSEN, row->case_code);
	ui_row_put(r, COLOR_NORMAL, "  ");
	char *op = text_cut(row->operator_login, 10, 1);
	ui_row_put(r, COLOR_NORMAL, op);
	free(op);
	ui_row_put(r, COLOR_NORMAL, " ");
	if (row->risk && strcmp(row->risk, "none") != 0) {
		ui_row_put(r, ui_risk_color(row->risk), ui_desk_risk_label(row->risk));
		ui_row_put(r, COLOR_NORMAL, " ");
	}
	snprintf(refs, sizeof refs, ngettext("%d referral", "%d referrals", row->nreferrals), row->nreferrals);
	char *what = ui_desk_what(c, row->kind, row->topic);
	char *line = row->final ? xasprintf("%s \u00b7 %s", what, refs) : xasprintf(_("draft: %1$s \u00b7 %2$s"), what, refs);
	ui_row_put(r, COLOR_NORMAL, line);
	free(line);
	free(what);
}

static const ui_list_ops calls_ops = {
	.count = calls_count,
	.draw_row = calls_row,
};

static void caseview_leave(ui_ctx *c, void *state)
{
	(void)c;
	ui_caseview *v = state;
	desk_followup_free(v->f);
	ui_list_free(&v->list);
	free(v);
}

int ui_caseview_open(ui_ctx *c, const char *typed)
{
	dv_error e;
	dv_error_clear(&e);
	char code[10];
	if (desk_code_normalise(typed, code) != 0 && desk_code_normalise_keys(typed, code) != 0) {
		ui_say(c, COLOR_ERROR, _("%s is not a case code: eight letters and digits, such as ABCD-EFGH"), typed);
		return -1;
	}
	/* The core reads the text as typed, both by look and by the keys of
	 * the Ukrainian layout (е for T); the code is the one it found. */
	desk_followup *f = desk_followup_get(c->s, typed, &e);
	if (!f) {
		ui_say(c, COLOR_ERROR, "%s", e.msg);
		return -1;
	}
	for (size_t i = 0; i < f->ncalls; i++)
		if (strcmp(f->calls[i].row.id, f->first_call) == 0)
			snprintf(code, sizeof code, "%s", f->calls[i].row.case_code);
	/* Over a case shown, another case (or the same one read again)
	 * takes its place; the same one keeps its row. */
	ui_caseview *old = ui_top(c) == SCR_CASE ? view(c) : NULL;
	size_t sel = old && strcmp(old->code, code) == 0 ? ui_list_selected(&old->list) : (size_t)-1;
	ui_caseview *v = xcalloc(1, sizeof *v);
	v->f = f;
	memcpy(v->code, code, sizeof code);
	v->c = c;
	ui_list_init(&v->list, &calls_ops, v, 0);
	/* The newest call is where a follow-up starts. */
	ui_list_select(&v->list, sel != (size_t)-1 ? sel : f->ncalls ? f->ncalls - 1 : 0);
	if (old)
		ui_replace_state(c, SCR_CASE, v);
	else
		ui_push_state(c, SCR_CASE, v);
	return 0;
}

static void reload(ui_ctx *c)
{
	if (!shown(c))
		return;
	char code[10];
	memcpy(code, view(c)->code, sizeof code);
	ui_caseview_open(c, code);
}

/* ---- the screen ---- */

static int info_row(ui_ctx *c, int y, const char *label, const char *value, ui_color color)
{
	ui_put(c, y, 2, 16, COLOR_HINT, 0, label);
	ui_put(c, y, 19, COLS - 21, color, 0, value);
	return y + 1;
}

static void draw_case(ui_ctx *c, const desk_case *k, int y)
{
	char when[20], due[20];
	if (!k->id[0]) {
		info_row(c, y, _("Status:"), _("a single call so far: a case is made when it is changed or a call joins it"), COLOR_HINT);
		return;
	}
	ui_desk_when(k->status_at, when);
	ui_desk_when(k->callback_due, due);
	char *st = xasprintf(_("%1$s (set by %2$s, %3$s)"), ui_desk_case_status_label(k->status), k->status_by, when);
	info_row(c, y, _("Status:"), st, COLOR_NORMAL);
	free(st);
	info_row(c, y + 1, _("Owner:"), k->owner ? k->owner : _("nobody yet"), k->owner ? COLOR_NORMAL : COLOR_HINT);
	int overdue = k->callback_due && k->callback_due < dv_now() && strcmp(k->status, "closed") != 0;
	char *cb = !k->callback_due ? xstrdup(_("none agreed")) : overdue ? xasprintf(_("%s \u2014 overdue"), due) : xstrdup(due);
	info_row(c, y + 2, _("Call back by:"), cb, overdue ? COLOR_WARNING : k->callback_due ? COLOR_NORMAL : COLOR_HINT);
	free(cb);
}

/* Referrals as "organisation (service)", names from the directory. */
static char *refs_words(ui_ctx *c, const desk_followup_call *fc)
{
	dv_buf b = {0};
	dv_buf_adds(&b, "");
	for (size_t i = 0; i < fc->nrefs; i++) {
		size_t n = strcspn(fc->refs[i], " ");
		char *id = xstrndup(fc->refs[i], n);
		const char *svc = fc->refs[i][n] ? fc->refs[i] + n + 1 : "";
		dv_org o;
		dv_error e;
		int known = orgs_get(c->s->db, id, &o, &e) == DV_OK;
		dv_buf_printf(&b, "%s%s (%s)", b.len ? "; " : "", known ? i18n_pick(o.name_uk, o.name_en) : id,
			      ui_dir_service_label(svc));
		if (known)
			orgs_free(&o);
		free(id);
	}
	return dv_buf_take(&b);
}

/* The highlighted call under the list: its outcome, referrals, notes. */
static void draw_call(ui_ctx *c, int y, int rows)
{
	size_t i = ui_list_selected(&view(c)->list);
	if (i >= shown(c)->ncalls || rows < 3)
		return;
	const desk_followup_call *fc = &shown(c)->calls[i];
	char *refs = refs_words(c, fc);
	info_row(c, y, _("Outcome:"), ui_desk_label(c, "outcome", fc->outcome), COLOR_NORMAL);
	ui_put(c, y + 1, 2, 16, COLOR_HINT, 0, _("Referrals:"));
	ui_put_wrapped(c, y + 1, 19, 1, COLS - 21, *refs ? COLOR_NORMAL : COLOR_HINT, *refs ? refs : _("none"));
	free(refs);
	ui_put(c, y + 2, 2, 16, COLOR_HINT, 0, _("Notes:"));
	ui_put_wrapped(c, y + 2, 19, rows - 2, COLS - 21, fc->notes ? COLOR_NORMAL : COLOR_HINT,
		       fc->notes ? (*fc->notes ? fc->notes : _("no notes")) : _("another operator's notes: not shown to your role"));
}

static void caseview_draw(ui_ctx *c)
{
	ui_clear_body(c);
	desk_followup *f = shown(c);
	if (!f)
		return;
	char *title = xasprintf(_("Case %s \u00b7 what a follow-up call needs"), f->kase.id[0] ? f->kase.code : view(c)->code);
	ui_put(c, 1, 2, COLS - 4, COLOR_HEADING, 0, title);
	free(title);
	draw_case(c, &f->kase, 3);
	char *head = xasprintf(ngettext("%zu call, oldest first (Enter opens one in full):",
					 "%zu calls, oldest first (Enter opens one in full):", f->ncalls), f->ncalls);
	ui_put(c, 7, 2, COLS - 4, COLOR_HEADING, 0, head);
	free(head);
	int rows = (int)f->ncalls < 6 ? (int)f->ncalls : 6;
	ui_list_draw(&view(c)->list, c, 8, 2, rows > 0 ? rows : 1, COLS - 4);
	draw_call(c, 9 + rows, LINES - 3 - (9 + rows));
}

static int caseview_key(ui_ctx *c, ui_key k)
{
	if (!shown(c))
		return 0;
	if (k == UK_ENTER || k == UK_RIGHT) {
		size_t i = ui_list_selected(&view(c)->list);
		if (i < shown(c)->ncalls) {
			char id[37];
			snprintf(id, sizeof id, "%s", shown(c)->calls[i].row.id);
			ui_callview_open(c, id);
		}
		return 1;
	}
	return ui_list_key(&view(c)->list, k);
}

static const char *const caseview_help[] = {
	N_("\u2191 \u2193, Enter"), N_("choose one of the case's calls (its outcome, referrals and notes show below) and open it in full"),
	NULL,
};

static void caseview_leave(ui_ctx *c, void *state);

const ui_screen ui_case_screen = {
	.id = SCR_CASE,
	.leave = caseview_leave,
	.title = N_("Case"),
	.draw = caseview_draw,
	.key = caseview_key,
	.field_help = caseview_help,
};

/* ---- the actions ---- */

static int code_done(ui_ctx *c, const char *text)
{
	return ui_caseview_open(c, text);
}

void ui_act_case(ui_ctx *c)
{
	ui_prompt_open(c, _("The caller's case code"),
		       _("as the caller says it, such as ABCD-EFGH: any case, with or without the dash, either keyboard layout"),
		       NULL, 12, code_done);
}

void ui_act_case_call(ui_ctx *c)
{
	if (!shown(c) || c->call)
		return;
	char code[10];
	memcpy(code, view(c)->code, sizeof code);
	/* The intake replaces the screens; the case is read again after. */
	ui_intake_begin(c, code);
}

static const char *const status_codes[] = {"open", "follow_up", "closed"};

static void status_picked(ui_ctx *c, size_t i)
{
	dv_error e;
	dv_error_clear(&e);
	if (!shown(c) || i >= 3)
		return;
	const char *code = view(c)->code;
	if (desk_case_set(c->s, code, status_codes[i], NULL, -1, &e) != DV_OK)
		ui_say(c, COLOR_ERROR, "%s", e.msg);
	else
		ui_say(c, COLOR_OK, _("The case %1$s is now: %2$s."), code, ui_desk_case_status_label(status_codes[i]));
	reload(c);
}

void ui_act_case_status(ui_ctx *c)
{
	desk_followup *f = shown(c);
	if (!f)
		return;
	const char *labels[3];
	size_t sel = 0;
	for (size_t i = 0; i < 3; i++) {
		labels[i] = ui_desk_case_status_label(status_codes[i]);
		if (f->kase.status && strcmp(f->kase.status, status_codes[i]) == 0)
			sel = i;
	}
	ui_pick_open(c, _("The case's status:"), labels, 3, sel, status_picked);
}

static int owner_done(ui_ctx *c, const char *text)
{
	dv_error e;
	dv_error_clear(&e);
	if (!shown(c))
		return 0;
	const char *code = view(c)->code;
	const char *t = text + strspn(text, " ");
	if (desk_case_set(c->s, code, NULL, t, -1, &e) != DV_OK) {
		ui_say(c, COLOR_ERROR, "%s", e.msg);
		return -1;
	}
	if (*t)
		ui_say(c, COLOR_OK, _("The case %1$s is now owned by %2$s."), code, t);
	else
		ui_say(c, COLOR_OK, _("The case %s has no owner now."), code);
	reload(c);
	return 0;
}

void ui_act_case_owner(ui_ctx *c)
{
	desk_followup *f = shown(c);
	if (f)
		ui_prompt_open(c, _("Who owns the case (a login)"), _("a member of staff's login; empty: nobody"), f->kase.owner, 32,
			       owner_done);
}

static int due_done(ui_ctx *c, const char *text)
{
	dv_error e;
	dv_error_clear(&e);
	if (!shown(c))
		return 0;
	const char *t = text + strspn(text, " ");
	time_t due = 0;
	if (*t) {
		int y, m, d, hh = 9, mm = 0;
		char end;
		int n = sscanf(t, "%4d-%2d-%2d %2d:%2d%c", &y, &m, &d, &hh, &mm, &end);
		if ((n != 3 && n != 5) || m < 1 || m > 12 || d < 1 || d > 31 || hh > 23 || mm > 59) {
			ui_say(c, COLOR_ERROR, _("%s: write the date as YYYY-MM-DD, or YYYY-MM-DD HH:MM"), t);
			return -1;
		}
		struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_hour = hh, .tm_min = mm, .tm_isdst = -1};
		due = mktime(&tm);
	}
	if (desk_case_set(c->s, view(c)->code, NULL, NULL, due, &e) != DV_OK) {
		ui_say(c, COLOR_ERROR, "%s", e.msg);
		return -1;
	}
	ui_say(c, COLOR_OK, "%s", due ? _("The call-back date is set.") : _("The call-back date is cleared."));
	reload(c);
	return 0;
}

void ui_act_case_due(ui_ctx *c)
{
	desk_followup *f = shown(c);
	if (!f)
		return;
	char now[20] = "";
	if (f->kase.callback_due) {
		struct tm tm;
		localtime_r(&f->kase.callback_due, &tm);
		strftime(now, sizeof now, "%Y-%m-%d %H:%M", &tm);
	}
	ui_prompt_open(c, _("Call back by"), _("YYYY-MM-DD or YYYY-MM-DD HH:MM (09:00 if no time); empty: none"), now, 16,
		       due_done);
}

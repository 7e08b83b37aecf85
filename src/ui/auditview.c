/* auditview.c: the audit trail on screen, for supervisors and
 * administrators: newest first, a page at a time (older pages are read as
 * the highlighted row nears the end), filtered by period, actor and action
 * (an action ending in ".*" takes every action that begins so: "call.*").
 * The highlighted row's object and detail show in full under the list.
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "desk.h"
#include "dovira/i18n.h"

#define PAGE 100
#define TOP 4

struct ui_auditview {
	ui_ctx *c;          /* for the list's callbacks: they read through the session */
	desk_audit_row *v;
	long n;
	int more;
	int appending;
	char *from, *to;    /* YYYY-MM-DD as typed, or NULL */
	char *actor, *action;
	int which;          /* the filter being typed: from, to, actor, action */
	ui_list list;
};

static ui_auditview *view(const ui_ctx *c)
{
	return ui_state(c, SCR_AUDIT);
}

static void free_rows(ui_auditview *a)
{
	desk_audit_free(a->v, a->n);
	a->v = NULL;
	a->n = 0;
	a->more = 0;
}

static time_t day(const char *s, int next)
{
	time_t t = s ? dv_parse_utc(s) : 0;
	return t > 0 ? t + (next ? 86400 : 0) : 0;
}

static void fetch(ui_ctx *c, ui_auditview *a)
{
	dv_error e;
	dv_error_clear(&e);
	desk_audit_row *page = NULL;
	long long before = a->n ? a->v[a->n - 1].seq : 0;
	long n = desk_audit(c->s, day(a->from, 0), day(a->to, 1), a->actor, a->action, before, PAGE, &page, &e);
	if (n < 0) {
		ui_say(c, COLOR_ERROR, "%s", e.msg);
		a->more = 0;
		return;
	}
	a->v = xrealloc(a->v, (size_t)(a->n + n + 1) * sizeof *a->v);
	if (n)
		memcpy(a->v + a->n, page, (size_t)n * sizeof *page);
	free(page); /* its strings moved to a->v */
	a->n += n;
	a->more = n == PAGE;
}

static void reload_rows(void *data, const char *typed)
{
	ui_auditview *a = data;
	ui_ctx *c = a->c;
	(void)typed;
	if (a->appending)
		return;
	free_rows(a);
	fetch(c, a);
}

static size_t rows_count(void *data)
{
	return (size_t)((ui_auditview *)data)->n;
}

static void rows_draw(void *data, size_t i, ui_row *r)
{
	const desk_audit_row *w = &((ui_auditview *)data)->v[i];
	char when[20];
	ui_desk_when(w->at, when);
	ui_desk_cell(r, COLOR_NORMAL, when, 18);
	ui_desk_cell(r, COLOR_NORMAL, w->actor, 13);
	ui_desk_cell(r, COLOR_NORMAL, w->action, 17);
	ui_row_put(r, COLOR_HINT, w->object ? w->object : "");
}

static const ui_list_ops rows_ops = {
	.count = rows_count,
	.draw_row = rows_draw,
	.reload = reload_rows,
};

static void audit_leave(ui_ctx *c, void *state)
{
	(void)c;
	ui_auditview *a = state;
	free_rows(a);
	ui_list_free(&a->list);
	free(a->from);
	free(a->to);
	free(a->actor);
	free(a->action);
	free(a);
}

void ui_act_audit(ui_ctx *c)
{
	ui_auditview *a = xcalloc(1, sizeof *a);
	a->c = c;
	ui_list_init(&a->list, &rows_ops, a, 0);
	ui_push_state(c, SCR_AUDIT, a);
}

/* ---- filters, each typed in a box ---- */

static char **slot_of(ui_auditview *a, int which)
{
	return which == 0 ? &a->from : which == 1 ? &a->to : which == 2 ? &a->actor : &a->action;
}


static int filter_typed(ui_ctx *c, const char *text)
{
	ui_auditview *a = view(c);
	if (!a)
		return 0;
	const char *t = text + strspn(text, " ");
	if (a->which < 2 && *t && dv_parse_utc(t) < 0) {
		ui_say(c, COLOR_ERROR, _("%s: write the date as YYYY-MM-DD, for example 2026-11-30"), t);
		return -1;
	}
	char **slot = slot_of(a, a->which);
	free(*slot);
	*slot = *t ? xstrdup(t) : NULL;
	a->list.sel = (size_t)-1;
	ui_list_refresh(&a->list);
	a->list.sel = 0;
	return 0;
}

static void ask_filter(ui_ctx *c, int which, const char *title, const char *hint)
{
	ui_auditview *a = view(c);
	if (!a)
		return;
	a->which = which;
	ui_prompt_open(c, title, hint, *slot_of(a, which), 40, filter_typed);
}

void ui_act_audit_from(ui_ctx *c)
{
	ask_filter(c, 0, _("From (date)"), _("YYYY-MM-DD (UTC); empty: no limit"));
}

void ui_act_audit_to(ui_ctx *c)
{
	ask_filter(c, 1, _("To (date, included)"), _("YYYY-MM-DD (UTC); empty: no limit"));
}

void ui_act_audit_actor(ui_ctx *c)
{
	ask_filter(c, 2, _("Who (a login)"), _("a login; empty: anyone"));
}

void ui_act_audit_action(ui_ctx *c)
{
	ask_filter(c, 3, _("Action"), _("such as call.view, or call.* for every call action; empty: any"));
}

/* ---- the screen ---- */

static void audit_draw(ui_ctx *c)
{
	ui_clear_body(c);
	ui_auditview *a = view(c);
	if (!a)
		return;
	char count[48];
	snprintf(count, sizeof count, a->more ? _("%ld+ entries") : ngettext("%ld entry", "%ld entries", a->n), a->n);
	int cw = text_width(count);
	ui_put(c, 1, 2, COLS - cw - 6, COLOR_HEADING, 0, _("Audit trail \u00b7 newest first"));
	ui_put(c, 1, COLS - cw - 2, cw, COLOR_HINT, 0, count);
	char *f = xasprintf(_("from %1$s \u00b7 to %2$s \u00b7 who %3$s \u00b7 action %4$s"), a->from ? a->from : _("any"),
			    a->to ? a->to : _("any"), a->actor ? a->actor : _("any"), a->action ? a->action : _("any"));
	ui_put(c, 2, 2, COLS - 4, a->from || a->to || a->actor || a->action ? COLOR_CHOSEN : COLOR_HINT, 0, f);
	free(f);
	ui_list_draw(&a->list, c, TOP, 2, LINES - 4 - TOP - 2, COLS - 4);
	size_t i = ui_list_selected(&a->list);
	if (i < (size_t)a->n) {
		char *full = xasprintf("%s%s%s", a->v[i].object ? a->v[i].object : "", a->v[i].detail ? " \u00b7 " : "",
				       a->v[i].detail ? a->v[i].detail : "");
		ui_put_wrapped(c, LINES - 5, 2, 2, COLS - 4, COLOR_NORMAL, full);
		free(full);
	}
}

static int audit_key(ui_ctx *c, ui_key k)
{
	ui_auditview *a = view(c);
	if (!a)
		return 0;
	int used = ui_list_key(&a->list, k);
	if (used && a->more && a->list.sel + (size_t)(a->list.height > 0 ? a->list.height : 20) >= (size_t)a->n) {
		size_t sel = a->list.sel, top = a->list.top;
		fetch(c, a);
		a->appending = 1;
		ui_list_refresh(&a->list);
		a->appending = 0;
		a->list.sel = sel;
		a->list.top = top;
	}
	return used;
}

static const char *const audit_help[] = {
	N_("\u2191 \u2193 PgUp PgDn Home End"), N_("move; older entries are read as you go, the highlighted one shows in full below"),
	NULL,
};

const ui_screen ui_audit_screen = {
	.id = SCR_AUDIT,
	.leave = audit_leave,
	.title = N_("Audit trail"),
	.draw = audit_draw,
	.key = audit_key,
	.field_help = audit_help,
};

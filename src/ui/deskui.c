/* deskui.c: what the desk's screens share (desk.h): dates,
 * labels of codes, and the start screen's panel for supervisors (high-risk
 * calls waiting, overdue call-backs, orphaned drafts), read when the start
 * screen shows and every 20 seconds while it stays, never while painting.
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "desk.h"
#include "dovira/i18n.h"
#include "intake.h"

#define PANEL_EVERY 20

struct ui_panel {
	time_t at;             /* when read; 0: read before the next drawing */
	int ok;                /* 1: the figures below were read */
	desk_start fig;
	desk_case *overdue;    /* call-backs past their due date, most overdue first */
	long noverdue;
};

static void free_overdue(ui_panel *d)
{
	desk_cases_free(d->overdue, d->noverdue);
	d->overdue = NULL;
	d->noverdue = 0;
}

ui_panel *ui_panel_new(void)
{
	return xcalloc(1, sizeof(ui_panel));
}

void ui_panel_free(ui_panel *p)
{
	free_overdue(p);
	free(p);
}

void ui_desk_when(time_t t, char out[static 20])
{
	if (!t) {
		snprintf(out, 20, "\u2014");
		return;
	}
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(out, 20, "%Y-%m-%d %H:%M", &tm);
}

void ui_desk_key_of(const char *action, char out[static 32])
{
	out[0] = '\0';
	for (size_t i = 0; i < ui_nactions; i++)
		if (strcmp(ui_actions[i].name, action) == 0)
			ui_key_name(ui_actions[i].keys[0], out, 32);
}

const char *ui_desk_risk_label(const char *code)
{
	for (int r = SCRIPT_RISK_NONE; code && r <= SCRIPT_RISK_LIKELY; r++)
		if (strcmp(script_risk_name((script_risk)r), code) == 0)
			return script_risk_label((script_risk)r);
	return code ? code : "";
}

const char *ui_desk_case_status_label(const char *code)
{
	if (!code)
		return _("no case");
	if (strcmp(code, "open") == 0)
		return _("open");
	if (strcmp(code, "follow_up") == 0)
		return _("follow-up");
	if (strcmp(code, "closed") == 0)
		return _("closed");
	return code;
}

const char *ui_desk_label(ui_ctx *c, const char *step, const char *code)
{
	if (!code)
		return "\u2014";
	const script *scr = ui_intake_script(c);
	long i = scr ? script_step_index(scr, step) : -1;
	const script_option *o = i >= 0 ? script_step_option(script_step_at(scr, (size_t)i), code) : NULL;
	return o ? script_option_label(o) : code;
}

char *ui_desk_what(ui_ctx *c, call_kind kind, const char *topic)
{
	if (kind != CALL_DATA)
		return xstrdup(calls_kind_label(kind));
	return xstrdup(ui_desk_label(c, "topic", topic));
}

char *ui_desk_flags_words(unsigned flags)
{
	dv_buf b = {0};
	dv_buf_adds(&b, "");
	for (int i = 0; i < DESK_QA_NFLAGS; i++)
		if (flags & (1u << i))
			dv_buf_printf(&b, "%s%s", b.len ? ", " : "", desk_qa_label(i));
	return dv_buf_take(&b);
}

void ui_desk_cell(ui_row *r, ui_color color, const char *text, int w)
{
	if (w <= 0)
		return;
	char *cut = text_cut(text ? text : "", w - 1, 1);
	char *with_gap = xasprintf("%s ", cut);
	ui_row_put(r, color, with_gap);
	free(with_gap);
	free(cut);
}

char *ui_desk_heads(const char *const *labels, const int *widths, size_t n)
{
	dv_buf b = {0};
	dv_buf_adds(&b, "");
	for (size_t i = 0; i < n; i++) {
		char *cut = text_cut(labels[i], widths[i] - 1, 1);
		dv_buf_printf(&b, "%s ", cut);
		free(cut);
	}
	return dv_buf_take(&b);
}

/* ---- the start screen's panel ---- */

static void panel_read(ui_ctx *c, ui_panel *d)
{
	dv_error e;
	dv_error_clear(&e);
	time_t now = dv_now();
	d->at = now;
	d->ok = desk_start_figures(c->s, now, &d->fig, &e) == DV_OK;
	free_overdue(d);
	if (d->ok && d->fig.overdue > 0) {
		long n = desk_overdue(c->s, now, 3, &d->overdue, &e);
		d->noverdue = n > 0 ? n : 0;
	}
	if (d->ok)
		c->training = d->fig.training;
}

void ui_panel_stale(ui_panel *p)
{
	p->at = 0;
}

/* Cheap when there is nothing to read. */
void ui_panel_update(ui_ctx *c, ui_panel *p)
{
	if (!p->at || dv_now() - p->at >= PANEL_EVERY)
		panel_read(c, p);
}

int ui_panel_draw(ui_ctx *c, const ui_panel *d, int y)
{
	if (!d || !d->ok)
		return y;
	char key[32], line[256];
	if (d->fig.training)
		ui_put(c, y++, 3, COLS - 6, COLOR_WARNING, 0,
		       _("A training database: its calls are synthetic, not real."));
	if (!session_may(c->s, ROLES_SUPERVISION))
		return y;
	ui_desk_key_of("queue", key);
	snprintf(line, sizeof line, ngettext("%ld high-risk call waiting for a supervisor (%s)",
					     "%ld high-risk calls waiting for a supervisor (%s)", d->fig.waiting),
		 d->fig.waiting, key);
	ui_put(c, y++, 3, COLS - 6, d->fig.waiting ? COLOR_RISK_LIKELY : COLOR_OK, 0, line);
	dv_buf b = {0};
	dv_buf_printf(&b, ngettext("%ld call-back overdue", "%ld call-backs overdue", d->fig.overdue), d->fig.overdue);
	for (long i = 0; i < d->noverdue; i++) {
		char due[20];
		ui_desk_when(d->overdue[i].callback_due, due);
		dv_buf_printf(&b, "%s %s (%s)", i ? "," : ":", d->overdue[i].code, due);
	}
	if (d->fig.overdue > d->noverdue)
		dv_buf_adds(&b, " \u2026");
	ui_put(c, y++, 3, COLS - 6, d->fig.overdue ? COLOR_WARNING : COLOR_OK, 0, b.s);
	dv_buf_free(&b);
	if (d->fig.orphans) {
		ui_desk_key_of("orphans", key);
		snprintf(line, sizeof line, ngettext("%ld draft of another operator left for more than a shift (%s)",
						     "%ld drafts of other operators left for more than a shift (%s)",
						     d->fig.orphans), d->fig.orphans, key);
		ui_put(c, y++, 3, COLS - 6, COLOR_WARNING, 0, line);
	}
	return y;
}

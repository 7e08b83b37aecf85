/* operators.c: calls per operator, inside the office: how many calls
 * (data calls of them), the median length of a final data call, how many
 * carry a QA flag (and the share), and the drafts open now, for a period
 * chosen with F5. Supervisors and administrators; the figures are exact
 * (this is not an export). Read when opened or the period changes.
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "desk.h"
#include "dovira/i18n.h"

static const char *const periods[] = {"today", "shift", "week", "month", NULL /* any time */};
#define NPERIODS (sizeof periods / sizeof *periods)

struct ui_opview {
	desk_opstat *v;
	long n;
	size_t period;
	ui_list list;
};

static ui_opview *view(const ui_ctx *c)
{
	return ui_state(c, SCR_OPERATORS);
}

static const char *period_label(size_t i)
{
	static const char *const labels[NPERIODS] = {
		N_("today"), N_("this shift (12 hours)"), N_("the last 7 days"), N_("the last 30 days"), N_("any time"),
	};
	return _(labels[i]);
}

static void read_stats(ui_ctx *c, ui_opview *o)
{
	dv_error e;
	dv_error_clear(&e);
	time_t from = 0, to = 0;
	desk_opstats_free(o->v, o->n);
	o->v = NULL;
	o->n = 0;
	if (periods[o->period] && desk_period(periods[o->period], dv_now(), &from, &to, &e) != DV_OK) {
		ui_say(c, COLOR_ERROR, "%s", e.msg);
		return;
	}
	long n = desk_operator_stats(c->s, from, to, &o->v, &e);
	if (n < 0)
		ui_say(c, COLOR_ERROR, "%s", e.msg);
	o->n = n > 0 ? n : 0;
	ui_list_refresh(&o->list);
}

static size_t ops_count(void *data)
{
	return (size_t)((ui_opview *)data)->n;
}


enum { W_LOGIN = 16, W_NUM = 9, W_MEDIAN = 10, W_FLAGGED = 14 };

static void ops_row(void *data, size_t i, ui_row *r)
{
	const desk_opstat *s = &((ui_opview *)data)->v[i];
	char calls[24], data_calls[24], median[16], flagged[48], drafts[24];
	snprintf(calls, sizeof calls, "%ld", s->calls);
	snprintf(data_calls, sizeof data_calls, "%ld", s->data_calls);
	if (s->median_s >= 0)
		ui_format_timer(s->median_s, median);
	else
		snprintf(median, sizeof median, "\u2014");
	if (s->data_calls > 0)
		snprintf(flagged, sizeof flagged, "%ld (%ld%%)", s->flagged, (s->flagged * 100 + s->data_calls / 2) / s->data_calls);
	else
		snprintf(flagged, sizeof flagged, "%ld", s->flagged);
	snprintf(drafts, sizeof drafts, "%ld", s->open_drafts);
	ui_desk_cell(r, COLOR_NORMAL, s->operator_login, W_LOGIN);
	ui_desk_cell(r, COLOR_NORMAL, calls, W_NUM);
	ui_desk_cell(r, COLOR_NORMAL, data_calls, W_NUM);
	ui_desk_cell(r, COLOR_NORMAL, median, W_MEDIAN);
	ui_desk_cell(r, s->flagged ? COLOR_WARNING : COLOR_NORMAL, flagged, W_FLAGGED);
	ui_row_put(r, s->open_drafts ? COLOR_WARNING : COLOR_NORMAL, drafts);
}

static const ui_list_ops ops_ops = {
	.count = ops_count,
	.draw_row = ops_row,
};

static void ops_leave(ui_ctx *c, void *state)
{
	(void)c;
	ui_opview *o = state;
	desk_opstats_free(o->v, o->n);
	ui_list_free(&o->list);
	free(o);
}

void ui_act_operators(ui_ctx *c)
{
	ui_opview *o = xcalloc(1, sizeof *o);
	ui_list_init(&o->list, &ops_ops, o, 0);
	read_stats(c, o);
	ui_push_state(c, SCR_OPERATORS, o);
}

static void period_picked(ui_ctx *c, size_t i)
{
	ui_opview *o = view(c);
	if (!o || i >= NPERIODS)
		return;
	o->period = i;
	read_stats(c, o);
}

void ui_act_operators_period(ui_ctx *c)
{
	ui_opview *o = view(c);
	if (!o)
		return;
	const char *labels[NPERIODS];
	for (size_t i = 0; i < NPERIODS; i++)
		labels[i] = period_label(i);
	ui_pick_open(c, _("Figures for:"), labels, NPERIODS, o->period, period_picked);
}

static void ops_draw(ui_ctx *c)
{
	ui_clear_body(c);
	ui_opview *o = view(c);
	if (!o)
		return;
	char key[32];
	ui_desk_key_of("operators-period", key);
	char *title = xasprintf(_("Calls per operator \u00b7 %s"), period_label(o->period));
	ui_put(c, 1, 2, COLS - 4, COLOR_HEADING, 0, title);
	free(title);
	int x = 2 + ui_put(c, 2, 2, COLS - 4, COLOR_BAR_KEY, 0, key) + 1;
	ui_put(c, 2, x, COLS - x - 2, COLOR_HINT, 0, _("another period \u00b7 inside the office only: exact figures"));
	const char *labels[] = {_("Operator"), _("Calls"), _("Data"), _("Median"), _("Flagged"), _("Drafts open")};
	const int widths[] = {W_LOGIN, W_NUM, W_NUM, W_MEDIAN, W_FLAGGED, 14};
	char *heads = ui_desk_heads(labels, widths, sizeof widths / sizeof *widths);
	ui_put(c, 4, 2, COLS - 4, COLOR_HINT, 1, heads);
	free(heads);
	ui_list_draw(&o->list, c, 5, 2, LINES - 4 - 5 - 2, COLS - 4);
	size_t i = ui_list_selected(&o->list);
	if (i < (size_t)o->n) {
		/* The highlighted operator's flags, one by one. */
		dv_buf f = {0};
		dv_buf_adds(&f, "");
		for (int k = 0; k < DESK_QA_NFLAGS; k++)
			if (o->v[i].flag_counts[k])
				dv_buf_printf(&f, "%s%s %ld", f.len ? " \u00b7 " : "", desk_qa_label(k), o->v[i].flag_counts[k]);
		ui_put_wrapped(c, LINES - 5, 2, 2, COLS - 4, f.len ? COLOR_NORMAL : COLOR_HINT, f.len ? f.s : _("no QA flags"));
		dv_buf_free(&f);
	}
}

static int ops_key(ui_ctx *c, ui_key k)
{
	ui_opview *o = view(c);
	return o ? ui_list_key(&o->list, k) : 0;
}

static const char *const ops_help[] = {
	N_("\u2191 \u2193 PgUp PgDn"), N_("choose an operator: their QA flags, one by one, show under the table"),
	NULL,
};

const ui_screen ui_operators_screen = {
	.id = SCR_OPERATORS,
	.leave = ops_leave,
	.title = N_("Per operator"),
	.draw = ops_draw,
	.key = ops_key,
	.field_help = ops_help,
};

/* pick.c: choose one of a few things in a box over the screen below (the
 * service a referral is for, a filter of the directory). Digits 1-9
 * choose at once; arrows, PgUp, PgDn and Enter too; Esc cancels. The rows
 * are the one list widget. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dovira/i18n.h"
#include "list.h"
#include "ui_int.h"

struct ui_pick {
	char *title;
	char **labels;
	size_t n;
	ui_list list;
	void (*done)(ui_ctx *c, size_t i);
};

static size_t pick_count(void *data)
{
	return ((ui_pick *)data)->n;
}

static void pick_row(void *data, size_t i, ui_row *r)
{
	ui_pick *p = data;
	char num[8] = "    ";
	if (i < 9)
		snprintf(num, sizeof num, " %zu  ", i + 1);
	ui_row_put(r, COLOR_BAR_KEY, num);
	ui_row_put(r, COLOR_NORMAL, p->labels[i]);
}

static const ui_list_ops pick_ops = {
	.count = pick_count,
	.draw_row = pick_row,
};

static ui_pick *pick_of(const ui_ctx *c)
{
	return ui_state(c, SCR_PICK);
}

static void pick_leave(ui_ctx *c, void *state)
{
	(void)c;
	ui_pick *p = state;
	for (size_t i = 0; i < p->n; i++)
		free(p->labels[i]);
	free(p->labels);
	free(p->title);
	ui_list_free(&p->list);
	free(p);
}

void ui_pick_open(ui_ctx *c, const char *title, const char *const *labels, size_t n, size_t sel,
		  void (*done)(ui_ctx *c, size_t i))
{
	ui_pick *p = xcalloc(1, sizeof *p);
	p->title = xstrdup(title);
	p->labels = xcalloc(n ? n : 1, sizeof *p->labels);
	for (size_t i = 0; i < n; i++)
		p->labels[i] = xstrdup(labels[i]);
	p->n = n;
	p->done = done;
	ui_list_init(&p->list, &pick_ops, p, 0);
	ui_list_select(&p->list, sel);
	ui_push_state(c, SCR_PICK, p);
}

/* Close the box, then act on the choice (which may open other screens). */
static void choose(ui_ctx *c, ui_pick *p, size_t i)
{
	void (*done)(ui_ctx *, size_t) = p->done;
	ui_pop(c);
	if (done)
		done(c, i);
}

void ui_act_pick_cancel(ui_ctx *c)
{
	ui_pop(c);
}

static int pick_key(ui_ctx *c, ui_key k)
{
	ui_pick *p = pick_of(c);
	if (!p)
		return 0;
	if (k >= '1' && k <= '9') {
		if ((size_t)(k - '1') < p->n)
			choose(c, p, (size_t)(k - '1'));
		return 1;
	}
	if (k == UK_ENTER) {
		size_t i = ui_list_selected(&p->list);
		if (i != (size_t)-1)
			choose(c, p, i);
		return 1;
	}
	return ui_list_key(&p->list, k);
}

static void pick_draw(ui_ctx *c)
{
	ui_pick *p = pick_of(c);
	/* The screen below stays in view; the box sits over it. */
	ui_draw_below(c);
	if (!p)
		return;
	int w = 0;
	for (size_t i = 0; i < p->n; i++)
		if (text_width(p->labels[i]) > w)
			w = text_width(p->labels[i]);
	if (text_width(p->title) > w)
		w = text_width(p->title);
	w += 10;
	if (w < 40)
		w = 40;
	if (w > COLS - 4)
		w = COLS - 4;
	int rows = (int)p->n < LINES - 8 ? (int)p->n : LINES - 8;
	int h = rows + 4, y = (LINES - h) / 2, x = (COLS - w) / 2;
	/* A frame in the title bar's colours (reverse in monochrome). */
	ui_put(c, y, x, w, COLOR_TITLE, 1, "");
	ui_put(c, y, x + 2, w - 4, COLOR_TITLE, 0, p->title);
	for (int i = 1; i < h - 1; i++) {
		ui_put(c, y + i, x, 1, COLOR_TITLE, 1, "");
		ui_put(c, y + i, x + 1, w - 2, COLOR_NORMAL, 1, "");
		ui_put(c, y + i, x + w - 1, 1, COLOR_TITLE, 1, "");
	}
	ui_put(c, y + h - 1, x, w, COLOR_TITLE, 1, "");
	ui_list_draw(&p->list, c, y + 2, x + 2, rows, w - 4);
}

static const char *const pick_help[] = {
	N_("1 \u2026 9"), N_("choose that row at once"),
	N_("\u2191 \u2193, Enter"), N_("move, and choose the highlighted row"),
	NULL,
};

const ui_screen ui_pick_screen = {
	.id = SCR_PICK,
	.title = N_("Choose"),
	.draw = pick_draw,
	.key = pick_key,
	.field_help = pick_help,
	.leave = pick_leave,
};

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
	return ((ui_ctx *)data)->pick->n;
}

static void pick_row(void *data, size_t i, ui_row *r)
{
	ui_ctx *c = data;
	char num[8] = "    ";
	if (i < 9)
		snprintf(num, sizeof num, " %zu  ", i + 1);
	ui_row_put(r, COLOR_BAR_KEY, num);
	ui_row_put(r, COLOR_NORMAL, c->pick->labels[i]);
}

static const ui_list_ops pick_ops = {
	.count = pick_count,
	.draw_row = pick_row,
};

void ui_pick_free(ui_ctx *c)
{
	ui_pick *p = c->pick;
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++)
		free(p->labels[i]);
	free(p->labels);
	free(p->title);
	ui_list_free(&p->list);
	free(p);
	c->pick = NULL;
}

void ui_pick_open(ui_ctx *c, const char *title, const char *const *labels, size_t n, size_t sel,
		  void (*done)(ui_ctx *c, size_t i))
{
	ui_pick_free(c);
	ui_pick *p = xcalloc(1, sizeof *p);
	p->title = xstrdup(title);
	p->labels = xcalloc(n ? n : 1, sizeof *p->labels);
	for (size_t i = 0; i < n; i++)
		p->labels[i] = xstrdup(labels[i]);
	p->n = n;
	p->done = done;
	c->pick = p;
	ui_list_init(&p->list, &pick_ops, c, 0);
	ui_list_select(&p->list, sel);
	ui_push(c, SCR_PICK);
}

/* Close the box, then act on the choice (which may open other screens). */
static void choose(ui_ctx *c, size_t i)
{
	void (*done)(ui_ctx *, size_t) = c->pick->done;
	ui_pop(c);
	ui_pick_free(c);
	if (done)
		done(c, i);
}

void ui_act_pick_cancel(ui_ctx *c)
{
	ui_pop(c);
	ui_pick_free(c);
}

static int pick_key(ui_ctx *c, ui_key k)
{
	ui_pick *p = c->pick;
	if (!p)
		return 0;
	if (k >= '1' && k <= '9') {
		if ((size_t)(k - '1') < p->n)
			choose(c, (size_t)(k - '1'));
		return 1;
	}
	if (k == UK_ENTER) {
		size_t i = ui_list_selected(&p->list);
		if (i != (size_t)-1)
			choose(c, i);
		return 1;
	}
	return ui_list_key(&p->list, k);
}

static void pick_draw(ui_ctx *c)
{
	ui_pick *p = c->pick;
	/* The screen below stays in view; the box sits over it. */
	c->depth--;
	ui_screen_get(ui_top(c))->draw(c);
	c->depth++;
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
};

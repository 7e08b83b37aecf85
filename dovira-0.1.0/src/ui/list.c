/* list.c: the one list widget, fed by callbacks (see list.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dovira/i18n.h"
#include "list.h"
#include "ui_int.h"

void ui_row_put(ui_row *r, ui_color color, const char *text)
{
	if (r->x >= r->right)
		return;
	attr_t a = ui_theme_attr(&r->c->theme, r->selected ? COLOR_SELECTED : color);
	r->x += ui_put_attr(r->c, r->y, r->x, r->right - r->x, a, 0, text);
}

void ui_list_init(ui_list *l, const ui_list_ops *ops, void *data, int filterable)
{
	memset(l, 0, sizeof *l);
	l->ops = ops;
	l->data = data;
	l->filterable = filterable;
	ui_edit_init(&l->filter, 0, 40);
	ui_list_refresh(l);
}

void ui_list_free(ui_list *l)
{
	free(l->shown);
	l->shown = NULL;
	l->nshown = 0;
	ui_edit_free(&l->filter);
}

size_t ui_list_selected(const ui_list *l)
{
	return l->sel < l->nshown ? l->shown[l->sel] : (size_t)-1;
}

void ui_list_refresh(ui_list *l)
{
	size_t keep = ui_list_selected(l);
	const char *f = l->filter.s;
	if (l->ops->reload)
		l->ops->reload(l->data, f);
	size_t n = l->ops->count(l->data);
	free(l->shown);
	l->shown = xcalloc(n ? n : 1, sizeof *l->shown);
	l->nshown = 0;
	if (l->ops->reload) {
		for (size_t i = 0; i < n; i++)
			l->shown[l->nshown++] = i;
	} else if (f[0] && l->ops->search) {
		l->nshown = l->ops->search(l->data, f, l->shown, n);
		if (l->nshown > n)
			l->nshown = n;
	} else {
		for (size_t i = 0; i < n; i++)
			if (!f[0] || !l->ops->match || l->ops->match(l->data, i, f))
				l->shown[l->nshown++] = i;
	}
	l->sel = 0;
	l->top = 0;
	if (keep != (size_t)-1)
		ui_list_select(l, keep);
}

void ui_list_select(ui_list *l, size_t i)
{
	for (size_t k = 0; k < l->nshown; k++) {
		if (l->shown[k] == i) {
			l->sel = k;
			return;
		}
	}
}

static int move_by(ui_list *l, long delta)
{
	if (l->nshown == 0)
		return 1;
	long s = (long)l->sel + delta;
	if (s < 0)
		s = 0;
	if (s >= (long)l->nshown)
		s = (long)l->nshown - 1;
	l->sel = (size_t)s;
	return 1;
}

static int filter_key(ui_list *l, ui_key k)
{
	unsigned long before = l->filter.changes;
	if (k != UK_BACKSPACE && k != UK_CTRL('w') && !UK_IS_CHAR(k))
		return 0;
	ui_edit_key(&l->filter, k, 40);
	if (l->filter.changes != before) {
		/* A new filter starts at its best match, not the old row. */
		l->sel = (size_t)-1;
		ui_list_refresh(l);
		l->sel = 0;
	}
	return 1;
}

int ui_list_key(ui_list *l, ui_key k)
{
	long page = l->height > 1 ? l->height - 1 : 1;
	switch (k) {
	case UK_UP: return move_by(l, -1);
	case UK_DOWN: return move_by(l, 1);
	case UK_PGUP: return move_by(l, -page);
	case UK_PGDN: return move_by(l, page);
	case UK_HOME: return move_by(l, -(long)l->nshown);
	case UK_END: return move_by(l, (long)l->nshown);
	default: break;
	}
	return l->filterable ? filter_key(l, k) : 0;
}

static void draw_filter(ui_list *l, ui_ctx *c, int y, int x, int cols)
{
	const char *label = _("Find:");
	int lw = ui_put(c, y, x, cols, COLOR_HINT, 0, label) + 1;
	ui_put(c, y, x + lw, cols - lw, COLOR_FIELD_ACTIVE, 1, l->filter.s);
}

void ui_list_draw(ui_list *l, ui_ctx *c, int y, int x, int rows, int cols)
{
	if (l->filterable && rows > 1) {
		draw_filter(l, c, y, x, cols);
		y++;
		rows--;
	}
	l->height = rows;
	if (l->sel < l->top)
		l->top = l->sel;
	if (rows > 0 && l->sel >= l->top + (size_t)rows)
		l->top = l->sel - (size_t)rows + 1;
	for (int i = 0; i < rows; i++) {
		size_t k = l->top + (size_t)i;
		ui_put(c, y + i, x, cols, COLOR_NORMAL, 1, "");
		if (k >= l->nshown)
			continue;
		ui_row r = {c, y + i, x, x + cols, k == l->sel};
		if (r.selected)
			ui_put(c, y + i, x, cols, COLOR_SELECTED, 1, "");
		l->ops->draw_row(l->data, l->shown[k], &r);
	}
	if (l->nshown == 0 && rows > 0)
		ui_put(c, y, x + 2, cols - 2, COLOR_HINT, 0, _("nothing matches"));
	if (l->top > 0)
		ui_put(c, y, x + cols - 1, 1, COLOR_HINT, 0, "\u2191");
	if (l->top + (size_t)rows < l->nshown)
		ui_put(c, y + rows - 1, x + cols - 1, 1, COLOR_HINT, 0, "\u2193");
}

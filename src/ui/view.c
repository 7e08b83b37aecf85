/* view.c: the scrolling view of labelled fields (see view.h). */
#include "config.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "dovira/sanitize.h"
#include "ui_int.h"
#include "view.h"

void ui_view_init(ui_view *b, int cols)
{
	memset(b, 0, sizeof *b);
	b->cols = cols > 1 ? cols : 1;
}

void ui_view_free(ui_view *b)
{
	for (size_t i = 0; i < b->n; i++)
		free(b->v[i].text);
	free(b->v);
	b->v = NULL;
	b->n = b->cap = 0;
}

static void push_line(ui_view *b, const char *label, char *text, ui_color color)
{
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 64;
		b->v = xrealloc(b->v, b->cap * sizeof *b->v);
	}
	b->v[b->n++] = (ui_vline){label, text, color};
}

void ui_view_field(ui_view *b, const char *label, const char *value, ui_color color)
{
	char *clean = sanitize(value && *value ? value : "\u2014", SANITIZE_KEEP_NEWLINE);
	text_line *l;
	size_t n = text_wrap(clean, strlen(clean), b->cols, &l);
	for (size_t i = 0; i < n; i++)
		push_line(b, i == 0 ? label : NULL, text_line_text(clean, &l[i]), color);
	free(l);
	free(clean);
}

void ui_view_field_own(ui_view *b, const char *label, char *value, ui_color color)
{
	ui_view_field(b, label, value, color);
	free(value);
}

void ui_view_heading(ui_view *b, const char *text)
{
	if (b->n)
		push_line(b, NULL, xstrdup(""), COLOR_NORMAL);
	/* A heading has no label column: it is drawn from the label's place. */
	push_line(b, "", sanitize(text, 0), COLOR_HEADING);
}

void ui_view_draw(ui_ctx *c, const ui_view *b, int y, int rows, int label_w, int *top)
{
	if (*top > (int)b->n - rows)
		*top = (int)b->n - rows > 0 ? (int)b->n - rows : 0;
	if (*top < 0)
		*top = 0;
	for (int i = 0; i < rows && (size_t)(*top + i) < b->n; i++) {
		const ui_vline *l = &b->v[*top + i];
		if (l->label && !*l->label) {
			ui_put(c, y + i, 2, COLS - 4, l->color, 0, l->text);
			continue;
		}
		if (l->label)
			ui_put(c, y + i, 2, label_w, COLOR_HINT, 0, l->label);
		ui_put(c, y + i, label_w + 3, COLS - label_w - 5, l->color, 0, l->text);
	}
	if (*top > 0)
		ui_put(c, y, COLS - 2, 1, COLOR_HINT, 0, "\u2191");
	if ((size_t)(*top + rows) < b->n)
		ui_put(c, y + rows - 1, COLS - 2, 1, COLOR_HINT, 0, "\u2193");
}

int ui_view_key(int *top, ui_key k, int rows)
{
	int page = rows > 2 ? rows - 1 : 1;
	switch (k) {
	case UK_UP: *top -= *top > 0; return 1;
	case UK_DOWN: (*top)++; return 1;
	case UK_PGUP: *top = *top > page ? *top - page : 0; return 1;
	case UK_PGDN: case ' ': *top += page; return 1;
	case UK_HOME: *top = 0; return 1;
	case UK_END: *top = 1 << 20; return 1;
	default: return 0;
	}
}

/* pager.c: the one pager widget (see pager.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dovira/sanitize.h"
#include "pager.h"
#include "ui_int.h"

void ui_pager_clear(ui_pager *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].text);
		free(p->v[i].label);
	}
	p->n = 0;
}

void ui_pager_free(ui_pager *p)
{
	ui_pager_clear(p);
	free(p->v);
	p->v = NULL;
	p->cap = 0;
	p->top = 0;
}

ui_pager_line *ui_pager_add(ui_pager *p, ui_color color, int indent, char *text)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 64;
		p->v = xrealloc(p->v, p->cap * sizeof *p->v);
	}
	ui_pager_line *l = &p->v[p->n++];
	*l = (ui_pager_line){text ? text : xstrdup(""), NULL, color, COLOR_HINT, indent, NULL, 0, 0};
	return l;
}

void ui_pager_add_wrapped(ui_pager *p, const char *label, ui_color color, int indent, const char *text, int cols)
{
	char *clean = sanitize(text && *text ? text : "\u2014", SANITIZE_KEEP_NEWLINE);
	text_line *l;
	size_t n = text_wrap(clean, strlen(clean), cols > 1 ? cols : 1, &l);
	for (size_t i = 0; i < n; i++)
		ui_pager_add(p, color, indent, text_line_text(clean, &l[i]))->label = i == 0 && label ? xstrdup(label) : NULL;
	free(l);
	free(clean);
}

/* The last scroll position: the last line on the bottom row. */
static size_t last_top(const ui_pager *p)
{
	size_t h = p->height > 0 ? (size_t)p->height : 1;
	return p->n > h ? p->n - h : 0;
}

int ui_pager_key(ui_pager *p, ui_key k)
{
	size_t page = p->height > 1 ? (size_t)p->height - 1 : 1, end = last_top(p);
	switch (k) {
	case UK_UP: p->top -= p->top > 0; break;
	case UK_DOWN: p->top += p->top < end; break;
	case UK_PGUP: p->top = p->top > page ? p->top - page : 0; break;
	case UK_PGDN: case ' ': p->top = p->top + page < end ? p->top + page : end; break;
	case UK_HOME: p->top = 0; break;
	case UK_END: p->top = end; break;
	default: return 0;
	}
	return 1;
}

void ui_pager_draw(ui_pager *p, ui_ctx *c, int y, int x, int rows, int cols)
{
	p->height = rows > 0 ? rows : 0;
	if (p->top > last_top(p))
		p->top = last_top(p);
	int tx = x + (p->label_w ? p->label_w + 1 : 0), room = cols - (tx - x) - 1; /* the last column: arrows */
	for (int i = 0; i < rows && p->top + (size_t)i < p->n; i++) {
		const ui_pager_line *l = &p->v[p->top + (size_t)i];
		if (l->label && p->label_w)
			ui_put(c, y + i, x, p->label_w, l->label_color, 0, l->label);
		if (l->draw)
			l->draw(c, l, y + i, tx + l->indent, room - l->indent);
		else
			ui_put(c, y + i, tx + l->indent, room - l->indent, l->color, 0, l->text);
	}
	if (p->top > 0)
		ui_put(c, y, x + cols - 1, 1, COLOR_HINT, 0, "\u2191");
	if (p->top + (size_t)rows < p->n)
		ui_put(c, y + rows - 1, x + cols - 1, 1, COLOR_HINT, 0, "\u2193");
}

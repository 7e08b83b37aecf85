/* pager.h: the one pager widget, beside the list widget.
 *
 * Text that is read rather than chosen from (the help, an organisation's
 * details, the summary of a call) is a pager: its owner fills it with
 * lines when what they show changes (never while drawing), and the pager
 * scrolls them with Up, Down, PgUp, PgDn (and Space), Home and End, never
 * past the last line, and marks with arrows that there is more above or
 * below. A line is text in a colour, with an optional label in a column
 * of its own, or drawn by the owner through a callback (the notes with
 * the redactor's tags highlighted).
 */
#ifndef DOVIRA_UI_PAGER_H
#define DOVIRA_UI_PAGER_H

#include <stddef.h>

#include "keys.h"
#include "theme.h"

typedef struct ui_ctx ui_ctx;
typedef struct ui_pager_line ui_pager_line;

/* Draw line l at (y, x), cols wide (for lines the owner draws itself). */
typedef void (*ui_pager_draw_fn)(ui_ctx *c, const ui_pager_line *l, int y, int x, int cols);

struct ui_pager_line {
	char *text;          /* owned by the pager; "" for a blank line */
	char *label;         /* owned: the label on the label column, or NULL */
	ui_color color, label_color;
	int indent;          /* columns before the text */
	ui_pager_draw_fn draw; /* NULL, or draws the line instead of text */
	size_t start, end;   /* for draw: the span of the owner's text */
};

typedef struct ui_pager {
	ui_pager_line *v;
	size_t n, cap;
	size_t top;      /* the first line shown */
	int height;      /* rows drawn last time, for paging and the end */
	int label_w;     /* columns of the label column (0: none) */
} ui_pager;

/* Drop every line (a new fill follows); the scroll position stays and is
 * kept within the new lines when drawn. */
void ui_pager_clear(ui_pager *p);

/* Drop the lines and the scroll position. */
void ui_pager_free(ui_pager *p);

/* Add a line of text (the pager takes text, which must be one line; NULL
 * is a blank line). Returns the line, for the owner to set more. */
ui_pager_line *ui_pager_add(ui_pager *p, ui_color color, int indent, char *text);

/* Add text wrapped at cols display columns (sanitised; newlines kept as
 * line breaks), the label on its first line; an empty text gives one line
 * with "—". */
void ui_pager_add_wrapped(ui_pager *p, const char *label, ui_color color, int indent, const char *text, int cols);

/* Scroll by a key: Up, Down, PgUp, PgDn, Space, Home, End. Returns 1 if the
 * key was one of them. The end is the last line at the bottom row of the
 * last drawing: scrolling never passes it. */
int ui_pager_key(ui_pager *p, ui_key k);

/* Draw rows rows at (y, x), cols wide, from the scroll position (first
 * brought within the lines); arrows in the last column when there is more
 * above or below. */
void ui_pager_draw(ui_pager *p, ui_ctx *c, int y, int x, int rows, int cols);

#endif

/* list.h: the one list widget, fed by callbacks.
 *
 * Options of a question, the country and raion pickers, and later the
 * directory, the call log and the staff list are all this widget: it
 * keeps the highlighted row, scrolls, filters by what is typed, and asks
 * its owner (through ui_list_ops) how many rows there are, how to draw one
 * and whether one matches the filter. The owner's data never moves into
 * the widget.
 */
#ifndef DOVIRA_UI_LIST_H
#define DOVIRA_UI_LIST_H

#include <stddef.h>

#include "edit.h"
#include "keys.h"
#include "theme.h"

typedef struct ui_ctx ui_ctx;

/* Where a row is drawn: draw_row puts its text with ui_row_put, left to
 * right; the widget pads the rest and colours a selected row. */
typedef struct ui_row {
	ui_ctx *c;
	int y, x, right;  /* the next column to draw at, and the row's end */
	int selected;     /* 1: the highlighted row (colours give way to it) */
} ui_row;

/* Put text (sanitised, cut at the row's end) in a colour. */
void ui_row_put(ui_row *r, ui_color color, const char *text);

typedef struct ui_list_ops {
	/* The number of rows of the owner's data. */
	size_t (*count)(void *data);
	/* Draw row i (an index into the owner's data). */
	void (*draw_row)(void *data, size_t i, ui_row *r);
	/* NULL, or 1 if row i matches the typed filter (never empty). */
	int (*match)(void *data, size_t i, const char *filter);
	/* NULL, or fill out[] (room for max) with the rows matching filter in
	 * the order to show them, and return how many; used instead of match
	 * when a ranked search is better (country names). */
	size_t (*search)(void *data, const char *filter, size_t *out, size_t max);
	/* NULL, or: the owner searches by itself (the directory asks the
	 * database). Called with the filter (maybe "") before the rows are
	 * counted on every refresh; the owner then holds exactly the rows to
	 * show, in order, and match and search are not used. */
	void (*reload)(void *data, const char *filter);
} ui_list_ops;

typedef struct ui_list {
	const ui_list_ops *ops;
	void *data;
	size_t *shown;     /* the rows shown, after the filter */
	size_t nshown;
	size_t sel;        /* index into shown of the highlighted row */
	size_t top;        /* index into shown of the first row drawn */
	int filterable;    /* 1: printable keys type into the filter */
	ui_edit filter;
	int height;        /* rows drawn last time, for paging */
} ui_list;

/* Set up a list over the owner's data. Free with ui_list_free. */
void ui_list_init(ui_list *l, const ui_list_ops *ops, void *data, int filterable);
void ui_list_free(ui_list *l);

/* Recompute the rows shown (after the data or the filter changed); the
 * highlighted row stays on the same data row when it is still shown. */
void ui_list_refresh(ui_list *l);

/* Highlight data row i if it is shown. */
void ui_list_select(ui_list *l, size_t i);

/* The highlighted data row, or (size_t)-1 when nothing is shown. */
size_t ui_list_selected(const ui_list *l);

/* Movement (Up, Down, PgUp, PgDn, Home, End) and, in a filterable list,
 * typing and Backspace in the filter. Returns 1 if the key was used. Enter
 * and digits are left to the owner. */
int ui_list_key(ui_list *l, ui_key k);

/* Draw rows rows at (y, x), cols wide, scrolled to keep the highlighted
 * row in view; a filterable list uses its first row for the filter. */
void ui_list_draw(ui_list *l, ui_ctx *c, int y, int x, int rows, int cols);

#endif

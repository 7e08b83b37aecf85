/* view.h: a scrolling view of labelled fields, wrapped to the screen's
 * width: one directory entry, one call in full, one case. The lines are
 * built afresh for each drawing from the owner's data (painting never reads
 * the database), then drawn from the first line scrolled to. Not a public
 * header.
 */
#ifndef DOVIRA_UI_VIEW_H
#define DOVIRA_UI_VIEW_H

#include <stddef.h>

#include "keys.h"
#include "theme.h"

typedef struct ui_ctx ui_ctx;

typedef struct ui_vline {
	const char *label;  /* shown on the first line of a field, or NULL */
	char *text;         /* one wrapped line (owned) */
	ui_color color;
} ui_vline;

typedef struct ui_view {
	ui_vline *v;
	size_t n, cap;
	int cols;           /* width of the values */
} ui_view;

/* Start building lines whose values are wrapped to cols columns. */
void ui_view_init(ui_view *b, int cols);
/* Free the lines (the view may be built again after ui_view_init). */
void ui_view_free(ui_view *b);

/* A field: its label (NULL: a continuation), and its value sanitised (line
 * breaks kept) and wrapped; an empty or NULL value shows as a dash. */
void ui_view_field(ui_view *b, const char *label, const char *value, ui_color color);
/* The same, taking a value the caller allocated (freed here). */
void ui_view_field_own(ui_view *b, const char *label, char *value, ui_color color);
/* A heading line across the whole width, after an empty line. */
void ui_view_heading(ui_view *b, const char *text);

/* Draw rows lines from *top at row y: labels in label_w columns from
 * column 2, values after them; *top is clamped so the end stays in view.
 * Arrows mark more lines above or below. */
void ui_view_draw(ui_ctx *c, const ui_view *b, int y, int rows, int label_w, int *top);

/* Scroll *top by a key (Up, Down, PgUp, PgDn, Space, Home, End) for a view
 * of rows lines. Returns 1 if the key was used. */
int ui_view_key(int *top, ui_key k, int rows);

#endif

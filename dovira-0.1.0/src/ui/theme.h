/* theme.h: semantic colours, mapped to curses attributes by a theme.
 *
 * The screens name what a thing IS (a title, the active field, a likely
 * risk), never a colour. The colour theme maps the names to colour pairs
 * on the terminal's own background; the monochrome theme maps them to
 * attributes only (bold, reverse, underline), and is chosen by
 * `--theme mono`, by NO_COLOR set to a non-empty value, or by a terminal
 * without colours. Meaning never rests on colour alone: risk and redacted
 * spans also carry words or brackets.
 */
#ifndef DOVIRA_UI_THEME_H
#define DOVIRA_UI_THEME_H

#include <curses.h>

typedef enum ui_color {
	COLOR_NORMAL,
	COLOR_TITLE,         /* the top line */
	COLOR_STATUS,        /* the status line */
	COLOR_BAR_KEY,       /* a key on the bottom bar */
	COLOR_BAR_LABEL,     /* its label */
	COLOR_HEADING,       /* a section or question heading */
	COLOR_HINT,          /* quiet help text */
	COLOR_FIELD,         /* an input field without focus */
	COLOR_FIELD_ACTIVE,  /* the field being typed in */
	COLOR_SELECTED,      /* the highlighted row of a list */
	COLOR_CHOSEN,        /* an option already picked */
	COLOR_OK,
	COLOR_WARNING,
	COLOR_ERROR,
	COLOR_RISK_NONE,
	COLOR_RISK_POSSIBLE,
	COLOR_RISK_LIKELY,
	COLOR_REDACTED,      /* a tag the redactor put in place of personal data */
	COLOR_TIMER,
	UI_NCOLORS
} ui_color;

typedef struct ui_theme {
	attr_t attr[UI_NCOLORS];
	int mono;
} ui_theme;

/* Choose and set up the theme; call after initscr(). want_mono is 1 for
 * `--theme mono`. */
void ui_theme_init(ui_theme *t, int want_mono);

/* The attributes (colour pair included) of a semantic colour. */
attr_t ui_theme_attr(const ui_theme *t, ui_color c);

/* The colour of a risk level code ("none", "possible", "likely", NULL). */
ui_color ui_risk_color(const char *risk);

#endif

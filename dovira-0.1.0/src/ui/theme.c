/* theme.c: the colour and monochrome themes (see theme.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "theme.h"

typedef struct colour_def {
	short fg, bg;  /* -1: the terminal's default */
	attr_t extra;
} colour_def;

/* The colour theme: readable on dark and light backgrounds alike, since
 * the background stays the terminal's own except where a pair sets it. */
static const colour_def colour_theme[UI_NCOLORS] = {
	[COLOR_NORMAL] = {-1, -1, A_NORMAL},
	[COLOR_TITLE] = {COLOR_WHITE, COLOR_BLUE, A_BOLD},
	[COLOR_STATUS] = {-1, -1, A_BOLD},
	[COLOR_BAR_KEY] = {COLOR_BLACK, COLOR_CYAN, A_NORMAL},
	[COLOR_BAR_LABEL] = {-1, -1, A_NORMAL},
	[COLOR_HEADING] = {COLOR_CYAN, -1, A_BOLD},
	[COLOR_HINT] = {COLOR_CYAN, -1, A_NORMAL},
	[COLOR_FIELD] = {-1, -1, A_UNDERLINE},
	[COLOR_FIELD_ACTIVE] = {COLOR_BLACK, COLOR_CYAN, A_NORMAL},
	[COLOR_SELECTED] = {COLOR_BLACK, COLOR_WHITE, A_BOLD},
	[COLOR_CHOSEN] = {COLOR_GREEN, -1, A_BOLD},
	[COLOR_OK] = {COLOR_GREEN, -1, A_BOLD},
	[COLOR_WARNING] = {COLOR_YELLOW, -1, A_BOLD},
	[COLOR_ERROR] = {COLOR_WHITE, COLOR_RED, A_BOLD},
	[COLOR_RISK_NONE] = {COLOR_GREEN, -1, A_BOLD},
	[COLOR_RISK_POSSIBLE] = {COLOR_BLACK, COLOR_YELLOW, A_BOLD},
	[COLOR_RISK_LIKELY] = {COLOR_WHITE, COLOR_RED, A_BOLD},
	[COLOR_REDACTED] = {COLOR_BLACK, COLOR_MAGENTA, A_NORMAL},
	[COLOR_TIMER] = {COLOR_YELLOW, COLOR_BLUE, A_BOLD},
};

/* The monochrome theme: attributes only. */
static const attr_t mono_theme[UI_NCOLORS] = {
	[COLOR_NORMAL] = A_NORMAL,
	[COLOR_TITLE] = A_REVERSE | A_BOLD,
	[COLOR_STATUS] = A_BOLD,
	[COLOR_BAR_KEY] = A_REVERSE,
	[COLOR_BAR_LABEL] = A_NORMAL,
	[COLOR_HEADING] = A_BOLD,
	[COLOR_HINT] = A_DIM,
	[COLOR_FIELD] = A_UNDERLINE,
	[COLOR_FIELD_ACTIVE] = A_REVERSE,
	[COLOR_SELECTED] = A_REVERSE | A_BOLD,
	[COLOR_CHOSEN] = A_BOLD,
	[COLOR_OK] = A_BOLD,
	[COLOR_WARNING] = A_BOLD,
	[COLOR_ERROR] = A_BOLD | A_REVERSE,
	[COLOR_RISK_NONE] = A_NORMAL,
	[COLOR_RISK_POSSIBLE] = A_BOLD | A_UNDERLINE,
	[COLOR_RISK_LIKELY] = A_BOLD | A_REVERSE,
	[COLOR_REDACTED] = A_UNDERLINE | A_BOLD,
	[COLOR_TIMER] = A_REVERSE | A_BOLD,
};

static int no_color_env(void)
{
	const char *v = getenv("NO_COLOR");
	return v && *v;
}

void ui_theme_init(ui_theme *t, int want_mono)
{
	t->mono = want_mono || no_color_env() || !has_colors();
	if (!t->mono && start_color() == ERR)
		t->mono = 1;
	if (t->mono) {
		memcpy(t->attr, mono_theme, sizeof t->attr);
		return;
	}
	use_default_colors();
	for (int c = 0; c < UI_NCOLORS; c++) {
		const colour_def *d = &colour_theme[c];
		if (d->fg < 0 && d->bg < 0) {
			t->attr[c] = d->extra;
			continue;
		}
		init_pair((short)(c + 1), d->fg, d->bg);
		t->attr[c] = COLOR_PAIR(c + 1) | d->extra;
	}
}

attr_t ui_theme_attr(const ui_theme *t, ui_color c)
{
	return (unsigned)c < UI_NCOLORS ? t->attr[c] : A_NORMAL;
}

ui_color ui_risk_color(const char *risk)
{
	if (risk && strcmp(risk, "likely") == 0)
		return COLOR_RISK_LIKELY;
	if (risk && strcmp(risk, "possible") == 0)
		return COLOR_RISK_POSSIBLE;
	return COLOR_RISK_NONE;
}

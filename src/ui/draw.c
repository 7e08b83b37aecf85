/* draw.c: the frame every screen shares (title bar, status line, bottom
 * bar, the too-small notice) and the helpers that put text on it. */
#include "config.h"

#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dovira/i18n.h"
#include "dovira/sanitize.h"
#include "ui_int.h"

int ui_put_attr(ui_ctx *c, int y, int x, int cols, attr_t attr, int pad, const char *text)
{
	(void)c;
	if (cols <= 0 || y < 0 || y >= LINES || x >= COLS)
		return 0;
	if (x + cols > COLS)
		cols = COLS - x;
	char *clean = sanitize(text, 0);
	char *cut = text_cut(clean, cols, pad);
	attr_t old_attr;
	short old_pair;
	attr_get(&old_attr, &old_pair, NULL);
	attrset(attr);
	mvaddstr(y, x, cut);
	attrset(old_attr);
	int w = text_width(cut);
	free(cut);
	free(clean);
	return w;
}

int ui_put(ui_ctx *c, int y, int x, int cols, ui_color color, int pad, const char *text)
{
	return ui_put_attr(c, y, x, cols, ui_theme_attr(&c->theme, color), pad, text);
}

int ui_put_wrapped(ui_ctx *c, int y, int x, int rows, int cols, ui_color color, const char *text)
{
	char *clean = sanitize(text, SANITIZE_KEEP_NEWLINE);
	text_line *l;
	size_t n = text_wrap(clean, strlen(clean), cols, &l);
	int drawn = 0;
	for (size_t i = 0; i < n && drawn < rows; i++, drawn++) {
		char *line = text_line_text(clean, &l[i]);
		ui_put(c, y + drawn, x, cols, color, 0, line);
		free(line);
	}
	free(l);
	free(clean);
	return drawn;
}

void ui_clear_body(ui_ctx *c)
{
	(void)c;
	for (int y = 1; y < LINES - 2; y++) {
		move(y, 0);
		clrtoeol();
	}
}

void ui_format_timer(long seconds, char out[static 16])
{
	if (seconds < 0)
		seconds = 0;
	int h = seconds / 3600 > 99 ? 99 : (int)(seconds / 3600);
	int m = (int)(seconds / 60 % 60), sec = (int)(seconds % 60);
	if (h)
		snprintf(out, 16, "%d:%02d:%02d", h, m, sec);
	else
		snprintf(out, 16, "%02d:%02d", m, sec);
}

void ui_say(ui_ctx *c, ui_color color, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->status, sizeof c->status, fmt, ap);
	va_end(ap);
	c->status_color = color;
	c->status_at = dv_now();
}

void ui_key_name(ui_key k, char *out, size_t size)
{
	static const struct { ui_key k; const char *name; } named[] = {
		{UK_UP, "\u2191"}, {UK_DOWN, "\u2193"}, {UK_LEFT, "\u2190"},
		{UK_RIGHT, "\u2192"}, {UK_HOME, "Home"}, {UK_END, "End"},
		{UK_PGUP, "PgUp"}, {UK_PGDN, "PgDn"}, {UK_BACKSPACE, "Backspace"},
		{UK_DELETE, "Delete"}, {UK_INSERT, "Insert"}, {UK_ENTER, "Enter"},
		{UK_TAB, "Tab"}, {UK_BTAB, "Shift-Tab"}, {UK_ESC, "Esc"},
		{UK_CLEFT, "Ctrl-\u2190"}, {UK_CRIGHT, "Ctrl-\u2192"}, {' ', "Space"},
	};
	for (size_t i = 0; i < sizeof named / sizeof *named; i++) {
		if (named[i].k == k) {
			snprintf(out, size, "%s", named[i].name);
			return;
		}
	}
	char u[5] = {0};
	if (k >= UK_F(1) && k <= UK_F(24))
		snprintf(out, size, "F%d", k - UK_F0);
	else if (k >= UK_ALT0)
		snprintf(out, size, "Alt-%c", (char)(k - UK_ALT0));
	else if (k > 0 && k < 0x20)
		snprintf(out, size, "Ctrl-%c", (char)('A' + k - 1));
	else if (k >= 0x20 && k < UK_BASE && text_utf8_put((wchar_t)k, u))
		snprintf(out, size, "%s", u);
	else
		snprintf(out, size, "?");
}

static void draw_title(ui_ctx *c)
{
	const ui_screen *scr = ui_screen_get(ui_top(c));
	char left[256], right[256] = "";
	move(0, 0);
	attrset(ui_theme_attr(&c->theme, COLOR_TITLE));
	for (int x = 0; x < COLS; x++)
		addch(' ');
	attrset(A_NORMAL);
	if (c->call) {
		char timer[16];
		ui_format_timer((long)(dv_now() - c->call->started_at), timer);
		/* TRANSLATORS: the title bar during a call: the case code. */
		snprintf(left, sizeof left, _("dovira \u00b7 call %s"), c->call->case_code);
		if (c->training)
			snprintf(left + strlen(left), sizeof left - strlen(left), "%s", _(" \u00b7 TRAINING DATABASE"));
		snprintf(right, sizeof right, " %s ", timer);
		int rw = text_width(right);
		ui_put(c, 0, COLS - rw, rw, COLOR_TIMER, 0, right);
		int lw = ui_put(c, 0, 1, COLS - rw - 2, COLOR_TITLE, 0, left);
		char danger[160];
		if (ui_intake_danger(c, danger, sizeof danger)) {
			/* Danger now on every screen of the call, with the number. */
			char *cell = xasprintf(" %s ", danger);
			int dw = text_width(cell), room = COLS - rw - lw - 3;
			ui_put(c, 0, COLS - rw - 1 - (dw < room ? dw : room), room, COLOR_RISK_LIKELY, 0, cell);
			free(cell);
		}
		return;
	}
	snprintf(left, sizeof left, "dovira \u00b7 %s%s", _(scr->title),
		 c->training ? _(" \u00b7 TRAINING DATABASE") : "");
	snprintf(right, sizeof right, "%s (%s) ", c->s->login, staff_role_label(c->s->role));
	int rw = text_width(right);
	if (rw > COLS / 2)
		rw = COLS / 2;
	ui_put(c, 0, COLS - rw, rw, COLOR_TITLE, 0, right);
	ui_put(c, 0, 1, COLS - rw - 2, COLOR_TITLE, 0, left);
}

/* While a draft save is retried: a short note at the right of the status
 * line (it fits 80 columns beside a message), gone once a save succeeds. */
static int draw_saving(ui_ctx *c)
{
	if (!c->save_pending)
		return 0;
	const char *note = c->save_pending == DV_EFULL ? _("⟳ saving again: the disk is full; tell the admin")
			 : c->save_pending == DV_EBUSY ? _("⟳ saving again: the database is busy")
			 : _("⟳ saving again: a disk error; tell the admin");
	int w = text_width(note);
	if (w > COLS - 2)
		w = COLS - 2;
	ui_put(c, LINES - 2, COLS - 1 - w, w, COLOR_WARNING, 0, note);
	return w + 1;
}

static void draw_status(ui_ctx *c)
{
	move(LINES - 2, 0);
	clrtoeol();
	int right = draw_saving(c);
	if (c->status[0] && dv_now() - c->status_at < 30 && COLS - 2 - right > 0)
		ui_put(c, LINES - 2, 1, COLS - 2 - right, c->status_color, 0, c->status);
}

/* One bar item: "F2/n Label" (full) or "F2 Label", the label cut to cap
 * columns. Returns its width, or draws nothing and returns -1 if it does
 * not fit in room. */
static int bar_item(ui_ctx *c, int x, int room, const ui_action *a, int full, int cap)
{
	char k1[32], k2[32], keys[80];
	ui_key_name(a->keys[0], k1, sizeof k1);
	k2[0] = '\0';
	if (full && a->keys[1] != UK_NONE)
		ui_key_name(a->keys[1], k2, sizeof k2);
	snprintf(keys, sizeof keys, "%s%s%s", k1, k2[0] ? "/" : "", k2);
	char *label = text_cut(_(a->label), cap, 0);
	int w = text_width(keys) + 1 + text_width(label);
	if (w > room) {
		free(label);
		return -1;
	}
	ui_put(c, LINES - 1, x, text_width(keys), COLOR_BAR_KEY, 0, keys);
	ui_put(c, LINES - 1, x + text_width(keys) + 1, room, COLOR_BAR_LABEL, 0, label);
	free(label);
	return w;
}

static int label_w(const ui_action *a, int cap)
{
	int w = text_width(_(a->label));
	return w < cap ? w : cap;
}

/* The width the bar's last item takes, with its gap, if it comes after
 * from; 0 if there is none. */
static int last_w(const ui_action **a, size_t from, size_t n, int gap, int cap)
{
	for (size_t i = n; i-- > from;) {
		if (a[i]->on_bar != UI_ON_BAR)
			continue;
		char k[32];
		ui_key_name(a[i]->keys[0], k, sizeof k);
		return text_width(k) + 1 + label_w(a[i], cap) + gap;
	}
	return 0;
}

static int draw_bar_pass(ui_ctx *c, const ui_action **a, size_t n, int full, int gap, int cap, int dry)
{
	int x = 0;
	for (size_t i = 0; i < n; i++) {
		if (a[i]->on_bar != UI_ON_BAR)
			continue;
		char k[32];
		ui_key_name(a[i]->keys[0], k, sizeof k);
		int w;
		if (dry) {
			char k2[32] = "";
			if (full && a[i]->keys[1] != UK_NONE)
				ui_key_name(a[i]->keys[1], k2, sizeof k2);
			w = text_width(k) + (k2[0] ? 1 + text_width(k2) : 0) + 1 + label_w(a[i], cap);
			if (x + w > COLS)
				return -1;
		} else {
			/* What does not fit is left to the help, but the last
			 * item (Quit) always keeps its place. */
			int room = COLS - x - (i + 1 < n ? last_w(a, i + 1, n, gap, cap) : 0);
			w = bar_item(c, x, room, a[i], full, cap);
			if (w < 0)
				continue;
		}
		x += w + gap;
	}
	return x;
}

/* Every key the screen takes is on the bar: with the letter or Ctrl
 * alternatives when they all fit, else the first keys only; then one
 * space between items instead of two; then the longest labels cut (by
 * display width) as little as lets every item fit. Only when even labels
 * of four columns do not, items are left to the help. */
static void draw_bar(ui_ctx *c)
{
	const ui_action *a[64];
	size_t n = ui_actions_now(c, a, 64);
	move(LINES - 1, 0);
	clrtoeol();
	int full = 0, gap = 2, cap = COLS;
	if (draw_bar_pass(c, a, n, 1, 2, cap, 1) >= 0)
		full = 1;
	else if (draw_bar_pass(c, a, n, 0, 2, cap, 1) < 0 && draw_bar_pass(c, a, n, 0, gap = 1, cap, 1) < 0) {
		while (cap > 4 && draw_bar_pass(c, a, n, 0, 1, cap, 1) < 0)
			cap--;
		if (draw_bar_pass(c, a, n, 0, 1, cap, 1) < 0)
			cap = COLS, gap = 2;
	}
	draw_bar_pass(c, a, n, full, gap, cap, 0);
}

static void draw_too_small(ui_ctx *c)
{
	char msg[256];
	erase();
	/* TRANSLATORS: shown when the terminal window is too small. */
	snprintf(msg, sizeof msg, _("Too small: need %dx%d, have %dx%d"),
		 UI_MIN_COLS, UI_MIN_LINES, COLS, LINES);
	int y = LINES / 2 - 1;
	ui_put_wrapped(c, y < 0 ? 0 : y, 0, LINES, COLS, COLOR_WARNING, msg);
	if (LINES > 3) {
		/* The quit action's keys work on every screen (run.c). */
		char *hint = ui_hint(c, SCR_START, _("Make the window larger; {quit} quits (a call in progress is kept)."));
		ui_put_wrapped(c, y + 2, 0, LINES - y - 2, COLS, COLOR_NORMAL, hint);
		free(hint);
	}
	curs_set(0);
}

void ui_draw_all(ui_ctx *c)
{
	c->too_small = COLS < UI_MIN_COLS || LINES < UI_MIN_LINES;
	if (c->too_small) {
		draw_too_small(c);
		refresh();
		return;
	}
	const ui_screen *scr = ui_screen_get(ui_top(c));
	draw_title(c);
	scr->draw(c);
	draw_status(c);
	draw_bar(c);
	int y, x;
	if (scr->cursor && scr->cursor(c, &y, &x)) {
		curs_set(1);
		move(y, x);
	} else {
		curs_set(0);
		move(LINES - 1, COLS - 1);
	}
	refresh();
}

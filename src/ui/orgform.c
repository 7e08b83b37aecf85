/* orgform.c: the supervisors' form over a directory entry: a new one
 * (F9 or Ctrl-N on the list) or the one shown (e on its detail view).
 *
 * One edit field per column, as the directory's CSV file writes it (codes
 * separated by spaces, telephones by ";"); the line under the form says
 * what the field takes (the codes allowed). F9 or Ctrl-S checks the entry
 * with orgs_validate and either marks every field with a problem (and
 * says what is wrong with the one in focus) or saves it through orgs_add
 * or orgs_update, which check the role again and audit the change. Esc
 * leaves, asking first if something was changed.
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "directory.h"
#include "dovira/i18n.h"

#define LABEL_W 18
#define NOTE_ROWS 3
#define FORM_TOP 3

typedef struct form_field {
	const char *col;      /* the orgs column */
	const char *label;    /* N_() */
	int codes;            /* -1, or the orgs_codeset its codes come from */
	int multiline;
	const char *hint;     /* N_(), or NULL when the codes say it all */
} form_field;

static const form_field fields[] = {
	{"id", N_("Id"), -1, 0, N_("a short name that never changes: a-z, 0-9 and '-', e.g. crisis-vasylivka")},
	{"name_uk", N_("Name, Ukrainian"), -1, 0, N_("the full name in Ukrainian")},
	{"name_en", N_("Name, English"), -1, 0, N_("the full name in English")},
	{"kind", N_("Kind"), ORGS_KIND, 0, NULL},
	{"services", N_("Services"), ORGS_SERVICE, 0, NULL},
	{"areas", N_("Areas served"), ORGS_AREA, 0, NULL},
	{"operates_in", N_("Works now in"), ORGS_AREA, 0, NULL},
	{"relocated_from", N_("Relocated from"), ORGS_AREA, 0, NULL},
	{"address", N_("Address"), -1, 0, N_("where callers go; empty if not published")},
	{"phones", N_("Telephones"), -1, 0, N_("numbers separated by ';', e.g. 527; 0 800 505 501")},
	{"hours", N_("Hours"), -1, 0, N_("free text, e.g. 24/7 or Mon-Fri 9:00-18:00")},
	{"serves", N_("Serves"), ORGS_SERVES, 0, NULL},
	{"age_min", N_("Age from"), -1, 0, N_("years, 0 to 120; empty: no lower bound")},
	{"age_max", N_("Age up to"), -1, 0, N_("years, 0 to 120; empty: no upper bound")},
	{"languages", N_("Languages"), -1, 0, N_("ISO 639 codes separated by spaces, e.g. uk en ru")},
	{"notes", N_("Notes, Ukrainian"), -1, 1, N_("in Ukrainian; Enter starts a new line")},
	{"notes_en", N_("Notes, English"), -1, 1, N_("in English; Enter starts a new line")},
	{"source", N_("Source"), -1, 0, N_("where the facts come from: addresses of pages, separated by spaces")},
	{"national", N_("National line"), -1, 0, N_("1: a national line, listed for every area; 0: not")},
	{"do_not_refer", N_("Do not refer"), -1, 0, N_("1: closed, occupied or unconfirmed: never given to callers nor recommended; 0: may be referred")},
};
#define NFIELDS (sizeof fields / sizeof *fields)

struct ui_form {
	int is_new;
	dv_org base;              /* the entry as read (a new one: empty) */
	ui_edit f[NFIELDS];
	unsigned long opened[NFIELDS]; /* each field's changes when opened */
	size_t focus;
	int top;                  /* first row of the fields shown */
	dv_buf problems;          /* "column: message" lines of the last check */
};

static void form_leave(ui_ctx *c, void *state)
{
	(void)c;
	ui_form *f = state;
	if (!f)
		return;
	for (size_t i = 0; i < NFIELDS; i++)
		ui_edit_free(&f->f[i]);
	orgs_free(&f->base);
	dv_buf_free(&f->problems);
	free(f);
}

static ui_form *form(const ui_ctx *c)
{
	return ui_state(c, SCR_ORG_EDIT);
}

/* The fields shown: the id only for a new entry (it never changes). */
static size_t first_field(const ui_form *f)
{
	return f->is_new ? 0 : 1;
}

static int field_rows(size_t i)
{
	return fields[i].multiline ? NOTE_ROWS : 1;
}

static int field_cols(void)
{
	return COLS - LABEL_W - 5;
}

static void open_form(ui_ctx *c, const dv_org *o)
{
	ui_form *f = xcalloc(1, sizeof *f);
	f->is_new = o == NULL;
	if (o) {
		orgs_copy(&f->base, o);
	} else {
		orgs_free(&f->base);
	}
	for (size_t i = 0; i < NFIELDS; i++) {
		ui_edit_init(&f->f[i], fields[i].multiline, 0);
		char *t = orgs_field_text(&f->base, fields[i].col);
		ui_edit_set(&f->f[i], t);
		free(t);
		f->opened[i] = f->f[i].changes;
	}
	f->focus = first_field(f);
	ui_push_state(c, SCR_ORG_EDIT, f);
}

void ui_act_org_new(ui_ctx *c)
{
	if (ui_dir_of(c))
		open_form(c, NULL);
}

void ui_act_org_edit(ui_ctx *c)
{
	const dv_org *o = ui_dir_target(c);
	if (o)
		open_form(c, o);
}

static int changed(const ui_form *f)
{
	for (size_t i = 0; i < NFIELDS; i++)
		if (f->f[i].changes != f->opened[i])
			return 1;
	return 0;
}

static void close_form(ui_ctx *c)
{
	if (ui_top(c) == SCR_ORG_EDIT)
		ui_pop(c);
}

void ui_act_form_cancel(ui_ctx *c)
{
	ui_form *f = form(c);
	if (!f)
		return;
	if (changed(f))
		ui_ask(c, close_form, _("Leave the form without saving? What you changed is lost."));
	else
		close_form(c);
}

/* ---- checking and saving ---- */

/* The problem of column col in the last check, or NULL (into out). */
static const char *problem_of(const ui_form *f, const char *col, char *out, size_t size)
{
	size_t n = strlen(col);
	for (const char *s = f->problems.s; s && *s;) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		if (len > n + 1 && strncmp(s, col, n) == 0 && s[n] == ':') {
			snprintf(out, size, "%.*s", (int)(len - n - 2), s + n + 2);
			return out;
		}
		s += len + (nl != NULL);
	}
	return NULL;
}

/* The fields with a problem (a field may have several), and the
 * problems about no field of the form. */
static size_t count_problems(const ui_form *f)
{
	char buf[8];
	size_t n = 0, lines = 0, matched = 0;
	for (size_t i = 0; i < f->problems.len; i++)
		lines += f->problems.s[i] == '\n';
	for (size_t i = first_field(f); i < NFIELDS; i++) {
		if (!problem_of(f, fields[i].col, buf, sizeof buf))
			continue;
		n++;
		size_t len = strlen(fields[i].col);
		for (const char *s = f->problems.s; (s = strstr(s, fields[i].col)); s += len)
			matched += (s == f->problems.s || s[-1] == '\n') && s[len] == ':';
	}
	return n + (lines - matched);
}

/* The first problem about a column the form does not show, or NULL. */
static const char *stray_problem(const ui_form *f, char *out, size_t size)
{
	for (const char *s = f->problems.s; s && *s;) {
		size_t len = strcspn(s, "\n"), col = strcspn(s, ":");
		int shown = 0;
		for (size_t i = first_field(f); i < NFIELDS && !shown; i++)
			shown = col < len && strlen(fields[i].col) == col && strncmp(s, fields[i].col, col) == 0;
		if (!shown) {
			snprintf(out, size, "%.*s", (int)len, s);
			return out;
		}
		s += len + (s[len] == '\n');
	}
	return NULL;
}

/* The entry as the form has it; parse problems are added to the list. */
static void collect(ui_form *f, dv_org *o)
{
	orgs_copy(o, &f->base);
	for (size_t i = first_field(f); i < NFIELDS; i++) {
		dv_error e;
		if (orgs_field_set(o, fields[i].col, f->f[i].s, &e) != DV_OK)
			dv_buf_printf(&f->problems, "%s\n", e.msg);
	}
}

/* Focus the first field with a problem. */
static void focus_problem(ui_form *f)
{
	char buf[8];
	for (size_t i = first_field(f); i < NFIELDS; i++) {
		if (problem_of(f, fields[i].col, buf, sizeof buf)) {
			f->focus = i;
			return;
		}
	}
}

static int store(ui_ctx *c, ui_form *f, dv_org *o)
{
	dv_error e;
	dv_error_clear(&e);
	int code = f->is_new ? orgs_add(c->s->db, c->s->login, o, &e) : orgs_update(c->s->db, c->s->login, o, &e);
	if (code != DV_OK)
		ui_say(c, COLOR_ERROR, "%s", e.msg);
	return code;
}

void ui_act_form_save(ui_ctx *c)
{
	ui_form *f = form(c);
	if (!f)
		return;
	dv_org o;
	f->problems.len = 0;
	if (f->problems.s)
		f->problems.s[0] = '\0';
	collect(f, &o);
	if (!f->problems.len)
		orgs_validate(&o, &f->problems);
	size_t n = count_problems(f);
	char stray[512];
	if (n && stray_problem(f, stray, sizeof stray)) {
		ui_say(c, COLOR_ERROR, _("Not saved: %s"), stray);
	} else if (n) {
		focus_problem(f);
		ui_say(c, COLOR_ERROR, ngettext("Not saved: %zu field needs correcting (marked with !).",
						"Not saved: %zu fields need correcting (marked with !).", n), n);
	} else if (store(c, f, &o) == DV_OK) {
		char *id = xstrdup(o.id);
		int is_new = f->is_new;
		close_form(c);
		ui_dir_reload(c, id);
		ui_dir_show(c, id);
		ui_say(c, COLOR_OK, is_new ? _("Added to the directory: %s.") : _("Saved: %s."),
		       ui_org_shown(c) ? i18n_pick(ui_org_shown(c)->name_uk, ui_org_shown(c)->name_en) : "");
		free(id);
	}
	orgs_free(&o);
}

/* ---- keys ---- */

static void move_focus(ui_form *f, long by)
{
	long i = (long)f->focus + by, lo = (long)first_field(f), hi = (long)NFIELDS - 1;
	f->focus = (size_t)(i < lo ? lo : i > hi ? hi : i);
}

static int form_key(ui_ctx *c, ui_key k)
{
	ui_form *f = form(c);
	if (!f)
		return 0;
	ui_edit *e = &f->f[f->focus];
	int multi = fields[f->focus].multiline;
	switch (k) {
	case UK_TAB: move_focus(f, 1); return 1;
	case UK_BTAB: move_focus(f, -1); return 1;
	case UK_PGDN: move_focus(f, 5); return 1;
	case UK_PGUP: move_focus(f, -5); return 1;
	case UK_DOWN: if (!multi || !ui_edit_down(e, field_cols())) move_focus(f, 1); return 1;
	case UK_UP: if (!multi || !ui_edit_up(e, field_cols())) move_focus(f, -1); return 1;
	case UK_ENTER: if (!multi) { move_focus(f, 1); return 1; } break;
	case UK_PASTE: ui_edit_paste(e, c->paste.s, c->paste.len); return 1;
	default: break;
	}
	return ui_edit_key(e, k, field_cols());
}

static int form_typing(const ui_ctx *c)
{
	return form(c) != NULL;
}

/* ---- drawing ---- */

/* The row of field i below the first field shown (its offset). */
static int field_y(const ui_form *f, size_t i)
{
	int y = 0;
	for (size_t k = first_field(f); k < i; k++)
		y += field_rows(k);
	return y;
}

static int form_rows(void)
{
	return LINES - 3 - 3 - FORM_TOP;
}

static void scroll_to_focus(ui_form *f)
{
	int y = field_y(f, f->focus), h = field_rows(f->focus), rows = form_rows();
	if (y < f->top)
		f->top = y;
	if (y + h > f->top + rows)
		f->top = y + h - rows;
}

/* The first byte of a single-line field drawn, so the cursor stays in view. */
static size_t shown_from(const ui_edit *e, int w)
{
	int cw = text_width_n(e->s, e->cur);
	size_t from = 0;
	while (from < e->cur && cw - text_width_n(e->s, from) >= w - 1) {
		wchar_t wc;
		from += text_utf8_next(e->s + from, e->len - from, &wc);
	}
	return from;
}

/* The first wrapped line of a notes field drawn. */
static int notes_first(const ui_edit *e, int focused, int *crow, int *ccol)
{
	text_line *l;
	ui_edit_layout(e, field_cols(), &l, crow, ccol);
	free(l);
	return focused && *crow >= NOTE_ROWS ? *crow - NOTE_ROWS + 1 : 0;
}

static void draw_field(ui_ctx *c, ui_form *f, size_t i, int y)
{
	char buf[512];
	int focused = i == f->focus, w = field_cols();
	const ui_edit *e = &f->f[i];
	int bad = problem_of(f, fields[i].col, buf, sizeof buf) != NULL;
	ui_put(c, y, 1, 1, COLOR_ERROR, 0, bad ? "!" : " ");
	ui_put(c, y, 2, LABEL_W, focused ? COLOR_HEADING : COLOR_HINT, 0, _(fields[i].label));
	ui_color col = focused ? COLOR_FIELD_ACTIVE : COLOR_FIELD;
	if (!fields[i].multiline) {
		ui_put(c, y, LABEL_W + 3, w, col, 1, e->s + (focused ? shown_from(e, w) : 0));
		return;
	}
	text_line *l;
	int row, ccol;
	size_t n = ui_edit_layout(e, w, &l, &row, &ccol);
	int first = notes_first(e, focused, &row, &ccol);
	for (int r = 0; r < NOTE_ROWS; r++) {
		size_t k = (size_t)(first + r);
		char *line = k < n ? text_line_text(e->s, &l[k]) : xstrdup("");
		if (y + r >= FORM_TOP && y + r < FORM_TOP + form_rows())
			ui_put(c, y + r, LABEL_W + 3, w, col, 1, line);
		free(line);
	}
	free(l);
}

/* What the focused field takes, or what is wrong with it. */
static void draw_hint(ui_ctx *c, const ui_form *f)
{
	char buf[512];
	const form_field *ff = &fields[f->focus];
	const char *problem = problem_of(f, ff->col, buf, sizeof buf);
	if (problem) {
		ui_put_wrapped(c, LINES - 5, 2, 2, COLS - 4, COLOR_ERROR, problem);
		return;
	}
	if (ff->codes < 0) {
		ui_put_wrapped(c, LINES - 5, 2, 2, COLS - 4, COLOR_HINT, _(ff->hint));
		return;
	}
	dv_buf b = {0};
	const char *code;
	int no_all = strcmp(ff->col, "operates_in") == 0 || strcmp(ff->col, "relocated_from") == 0;
	for (size_t i = 0; (code = orgs_code_at((orgs_codeset)ff->codes, i)); i++)
		if (!no_all || strcmp(code, "all") != 0)
			dv_buf_printf(&b, "%s%s", b.len ? " " : "", code);
	char *text = xasprintf(ff->codes == ORGS_KIND ? _("one code of: %s") : _("codes separated by spaces: %s"), b.s);
	ui_put_wrapped(c, LINES - 5, 2, 2, COLS - 4, COLOR_HINT, text);
	free(text);
	dv_buf_free(&b);
}

static void form_draw(ui_ctx *c)
{
	ui_form *f = form(c);
	ui_clear_body(c);
	if (!f)
		return;
	char *head = f->is_new ? xstrdup(_("New directory entry"))
			       : xasprintf(_("Edit: %s (%s)"), i18n_pick(f->base.name_uk, f->base.name_en), f->base.id);
	ui_put(c, 1, 2, COLS - 4, COLOR_HEADING, 0, head);
	free(head);
	scroll_to_focus(f);
	for (size_t i = first_field(f); i < NFIELDS; i++) {
		int y = FORM_TOP + field_y(f, i) - f->top;
		if (y >= FORM_TOP && y < FORM_TOP + form_rows())
			draw_field(c, f, i, y);
	}
	draw_hint(c, f);
	char *hint = ui_hint(c, SCR_ORG_EDIT, _("Tab, \u2191 \u2193: fields \u00b7 {form-save}: check and save \u00b7 {form-cancel}: leave"));
	ui_put(c, LINES - 3, 2, COLS - 4, COLOR_HINT, 0, hint);
	free(hint);
}

static int form_cursor(const ui_ctx *c, int *y, int *x)
{
	ui_form *f = form(c);
	if (!f)
		return 0;
	const ui_edit *e = &f->f[f->focus];
	int top = FORM_TOP + field_y(f, f->focus) - f->top;
	if (fields[f->focus].multiline) {
		int row, col;
		int first = notes_first(e, 1, &row, &col);
		*y = top + row - first;
		*x = LABEL_W + 3 + col;
	} else {
		*y = top;
		*x = LABEL_W + 3 + text_width_n(e->s, e->cur) - text_width_n(e->s, shown_from(e, field_cols()));
	}
	return *y >= FORM_TOP && *y < FORM_TOP + form_rows();
}

static const char *const form_help[] = {
	N_("Tab, Shift-Tab, \u2191 \u2193, Enter"), N_("next or previous field (in notes, \u2191 \u2193 move by line and Enter starts a new line)"),
	N_("PgUp PgDn"), N_("five fields up or down"),
	N_("\u2190 \u2192 Home End, Ctrl-W"), N_("edit the field as any other"),
	NULL,
};

const ui_screen ui_org_edit_screen = {
	.id = SCR_ORG_EDIT,
	.leave = form_leave,
	.title = N_("Directory entry"),
	.draw = form_draw,
	.key = form_key,
	.typing = form_typing,
	.cursor = form_cursor,
	.field_help = form_help,
};

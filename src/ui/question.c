/* question.c: the intake screen: where the call is in the script, the risk
 * as it changes, the question with its options or field, and the notes.
 *
 * Keys on a question (the actions add F6/Tab notes, F7/b back, F9 summary):
 *   choice:  1-9 picks and confirms one of the first nine options shown;
 *            arrows, PgUp, PgDn move; Enter confirms the highlighted one;
 *            past nine options, typing finds (a word's start, any case)
 *   yes/no:  y or т, n or н, 1 or 2
 *   multi:   1-9 or Space tick and untick; Enter confirms
 *   number, short text: type, Enter confirms (empty: skips an optional one)
 *   raion, country: type to find, arrows, Enter
 *   Left, or Backspace on an empty field: back to the previous question
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "dovira/i18n.h"
#include "dovira/places.h"
#include "intake.h"

#define QUESTION_TOP 3
#define REFER_ROW 2

/* ---- the options list ---- */

static size_t opt_count(void *data)
{
	ui_ctx *c = data;
	return c->intake->opts_step ? c->intake->opts_step->nopts : 0;
}

static int opt_chosen(const ui_intake *in, const script_option *o)
{
	return script_answers_has(in->ans, in->opts_step->id, o->code);
}

static void opt_draw(void *data, size_t i, ui_row *r)
{
	ui_ctx *c = data;
	ui_intake *in = c->intake;
	const script_step *st = in->opts_step;
	const script_option *o = &st->opts[i];
	int chosen = opt_chosen(in, o);
	char num[24] = "   "; /* a digit 1-9; room for any size_t keeps -Wformat-truncation quiet */
	size_t k = ui_intake_digit_of(in, i);
	if (k)
		snprintf(num, sizeof num, " %zu ", k);
	ui_row_put(r, COLOR_BAR_KEY, num);
	if (st->kind == SCRIPT_MULTI)
		ui_row_put(r, chosen ? COLOR_CHOSEN : COLOR_NORMAL, chosen ? " [x] " : " [ ] ");
	else
		ui_row_put(r, chosen ? COLOR_CHOSEN : COLOR_NORMAL, chosen ? " (\u2022) " : " ( ) ");
	ui_row_put(r, chosen ? COLOR_CHOSEN : COLOR_NORMAL, script_option_label(o));
}

/* The digit that picks option i (1-9: the first nine rows shown while
 * nothing is typed in the filter), or 0. */
size_t ui_intake_digit_of(const ui_intake *in, size_t i)
{
	if (in->opts.filter.len)
		return 0;
	for (size_t k = 0; k < in->opts.nshown && k < 9; k++)
		if (in->opts.shown[k] == i)
			return k + 1;
	return 0;
}

/* Ranked search of the places tables ("Кор" finds Південна Корея). */
static size_t opt_search(void *data, const char *filter, size_t *out, size_t max)
{
	ui_ctx *c = data;
	const script_step *st = c->intake->opts_step;
	places_table t = st->kind == SCRIPT_COUNTRY ? PLACES_COUNTRIES : PLACES_AREAS;
	const place **found = xcalloc(max ? max : 1, sizeof *found);
	size_t n = places_search(t, filter, found, max);
	size_t k = 0;
	for (size_t i = 0; i < n && i < max; i++)
		for (size_t j = 0; j < st->nopts; j++)
			if (strcmp(st->opts[j].code, found[i]->code) == 0) {
				out[k++] = j;
				break;
			}
	free(found);
	return k;
}

static const ui_list_ops opt_ops = {
	.count = opt_count,
	.draw_row = opt_draw,
	.search = opt_search,
};

/* Other long lists: a typed prefix of a word of the label, or the code. */
static int opt_match(void *data, size_t i, const char *filter)
{
	ui_ctx *c = data;
	const script_option *o = &c->intake->opts_step->opts[i];
	return text_word_prefix_match(script_option_label(o), filter) ||
	       text_word_prefix_match(o->code, filter);
}

static const ui_list_ops opt_ops_long = {
	.count = opt_count,
	.draw_row = opt_draw,
	.match = opt_match,
};

static const ui_list_ops opt_ops_short = {
	.count = opt_count,
	.draw_row = opt_draw,
};

void ui_intake_options_open(ui_ctx *c, const script_step *st, const char *value)
{
	ui_intake *in = c->intake;
	int places = st->kind == SCRIPT_RAION || st->kind == SCRIPT_COUNTRY;
	/* Past nine options digits cannot pick: typing finds instead. */
	int is_long = st->nopts > 9 && st->kind != SCRIPT_MULTI;
	in->opts_step = st;
	in->opts_moved = 0;
	ui_list_init(&in->opts, places ? &opt_ops : is_long ? &opt_ops_long : &opt_ops_short, c,
		     places || is_long);
	for (size_t i = 0; value && i < st->nopts; i++)
		if (script_answers_has(in->ans, st->id, st->opts[i].code)) {
			ui_list_select(&in->opts, i);
			break;
		}
}

/* ---- keys ---- */

static int is_back_key(const ui_intake *in, ui_key k, int empty)
{
	return k == UK_LEFT ? empty : k == UK_BACKSPACE && empty && in->opts.filter.len == 0;
}

static int pick(ui_ctx *c, size_t i)
{
	const script_step *st = c->intake->opts_step;
	if (i >= st->nopts)
		return 1;
	ui_intake_answer(c, st->opts[i].code);
	return 1;
}

static int yesno_key(ui_ctx *c, ui_key k)
{
	if (k == 'y' || k == 'Y' || k == 0x0442 || k == 0x0422) /* т Т */
		return ui_intake_answer(c, "yes"), 1;
	if (k == 'n' || k == 'N' || k == 0x043d || k == 0x041d) /* н Н */
		return ui_intake_answer(c, "no"), 1;
	return 0;
}

static int choice_key(ui_ctx *c, const script_step *st, ui_key k)
{
	ui_intake *in = c->intake;
	if (in->opts.filter.len == 0 && k >= '1' && k <= '9') {
		size_t d = (size_t)(k - '1');
		return d < in->opts.nshown ? pick(c, in->opts.shown[d]) : 1;
	}
	if (st->kind == SCRIPT_YESNO && yesno_key(c, k))
		return 1;
	if (k == UK_ENTER) {
		size_t i = ui_list_selected(&in->opts);
		if (i == (size_t)-1)
			ui_say(c, COLOR_WARNING, _("Nothing matches what was typed; Backspace to change it."));
		else if (!in->opts_moved && !script_answers_get(in->ans, st->id))
			/* A stray Enter on a new question must not answer it. */
			ui_say(c, COLOR_WARNING, _("Enter alone does not choose: press the option's number, or move to it first."));
		else
			pick(c, i);
		return 1;
	}
	if (is_back_key(in, k, 1))
		return ui_act_back(c), 1;
	int used = ui_list_key(&in->opts, k);
	in->opts_moved |= used;
	return used;
}

static void toggle(ui_ctx *c, const script_step *st, size_t i)
{
	dv_error e;
	dv_error_clear(&e);
	if (i < st->nopts && script_answers_toggle(c->intake->ans, st->id, st->opts[i].code, &e) != DV_OK)
		ui_say(c, COLOR_ERROR, "%s", e.msg);
	ui_intake_refresh(c);
}

static int multi_key(ui_ctx *c, const script_step *st, ui_key k)
{
	ui_intake *in = c->intake;
	if (k >= '1' && k <= '9' && (size_t)(k - '1') < in->opts.nshown)
		return toggle(c, st, in->opts.shown[k - '1']), 1;
	if (k == ' ')
		return toggle(c, st, ui_list_selected(&in->opts)), 1;
	if (k == UK_ENTER) {
		if (st->required && !script_answers_get(in->ans, st->id))
			ui_say(c, COLOR_WARNING, _("Tick at least one option (its number or Space), then Enter."));
		else
			ui_intake_confirmed(c);
		return 1;
	}
	if (is_back_key(in, k, 1))
		return ui_act_back(c), 1;
	return ui_list_key(&in->opts, k);
}

static int field_enter(ui_ctx *c, const script_step *st)
{
	ui_intake *in = c->intake;
	if (in->field.len)
		return ui_intake_answer(c, in->field.s), 1;
	if (st->required) {
		ui_say(c, COLOR_WARNING, _("This question needs an answer."));
		return 1;
	}
	script_answers_clear(in->ans, st->id);
	ui_intake_confirmed(c);
	return 1;
}

static int field_key(ui_ctx *c, const script_step *st, ui_key k)
{
	ui_intake *in = c->intake;
	if (k == UK_ENTER)
		return field_enter(c, st);
	if (is_back_key(in, k, in->field.len == 0))
		return ui_act_back(c), 1;
	if (st->kind == SCRIPT_NUMBER && UK_IS_CHAR(k) && !(k >= '0' && k <= '9') && k != '-') {
		ui_say(c, COLOR_WARNING, _("Digits only."));
		return 1;
	}
	if (k == UK_PASTE) {
		ui_edit_paste(&in->field, c->paste.s, c->paste.len);
		return 1;
	}
	return ui_edit_key(&in->field, k, COLS);
}

static int notes_cols(void)
{
	return COLS - 5;
}

static int notes_key(ui_ctx *c, ui_key k)
{
	ui_intake *in = c->intake;
	unsigned long before = in->notes.changes;
	int used;
	if (k == UK_PASTE) {
		ui_edit_paste(&in->notes, c->paste.s, c->paste.len);
		used = 1;
	} else {
		used = ui_edit_key(&in->notes, k, notes_cols());
	}
	if (in->notes.changes != before)
		in->notes_typed_at = dv_now();
	return used;
}

static int question_key(ui_ctx *c, ui_key k)
{
	ui_intake *in = c->intake;
	if (!in || !in->ans)
		return 0;
	if (in->focus == FOCUS_NOTES)
		return notes_key(c, k);
	const script_step *st = ui_intake_step(in);
	if (!st) {
		if (k == UK_ENTER)
			return ui_summary_open(c), 1;
		return 0;
	}
	switch (st->kind) {
	case SCRIPT_MULTI:
		return multi_key(c, st, k);
	case SCRIPT_NUMBER: case SCRIPT_TEXT:
		return field_key(c, st, k);
	case SCRIPT_NOTES:
		return 0;
	default:
		if (k == UK_PASTE && in->opts.filterable)
			return ui_edit_paste(&in->opts.filter, c->paste.s, c->paste.len), ui_list_refresh(&in->opts),
			       in->opts_moved = 1, 1;
		return choice_key(c, st, k);
	}
}

static int question_typing(const ui_ctx *c)
{
	const ui_intake *in = c->intake;
	if (!in || !in->ans)
		return 0;
	if (in->focus == FOCUS_NOTES)
		return 1;
	const script_step *st = ui_intake_step(in);
	return st && (st->kind == SCRIPT_NUMBER || st->kind == SCRIPT_TEXT || in->opts.filterable);
}

/* ---- drawing ---- */

int ui_draw_risk(ui_ctx *c, int y, int x, const char *risk_code)
{
	script_risk r = SCRIPT_RISK_NONE;
	for (int i = SCRIPT_RISK_NONE; i <= SCRIPT_RISK_LIKELY; i++)
		if (risk_code && strcmp(risk_code, script_risk_name((script_risk)i)) == 0)
			r = (script_risk)i;
	char label[96];
	snprintf(label, sizeof label, " %s ", script_risk_label(r));
	int w = ui_put(c, y, x, COLS - x, COLOR_NORMAL, 0, _("Risk:"));
	return w + 1 + ui_put(c, y, x + w + 1, COLS - x - w - 1, ui_risk_color(script_risk_name(r)), 0, label);
}

int ui_draw_risk_right(ui_ctx *c, int y, const char *risk_code)
{
	script_risk r = SCRIPT_RISK_NONE;
	for (int i = SCRIPT_RISK_NONE; i <= SCRIPT_RISK_LIKELY; i++)
		if (risk_code && strcmp(risk_code, script_risk_name((script_risk)i)) == 0)
			r = (script_risk)i;
	int w = text_width(_("Risk:")) + 3 + text_width(script_risk_label(r));
	return ui_draw_risk(c, y, COLS - w - 1, risk_code);
}

static void draw_position(ui_ctx *c, const ui_intake *in, const script_step *st)
{
	char pos[160];
	size_t n = 0, at = 0;
	for (size_t i = 0; i < script_nsteps(in->scr); i++) {
		if (!script_visible(in->ans, i))
			continue;
		n++;
		if ((long)i <= in->cur)
			at = n;
	}
	const char *section = st ? script_step_section(st) : NULL;
	if (st && section) {
		/* TRANSLATORS: where the call is: the script's section, then the count.
		 * (ui_put sanitises what it draws.) */
		snprintf(pos, sizeof pos, _("%1$s \u00b7 question %2$zu of %3$zu"), section, at, n);
	} else if (st) {
		snprintf(pos, sizeof pos, _("Question %1$zu of %2$zu"), at, n);
	} else
		snprintf(pos, sizeof pos, _("All %zu questions answered"), n);
	ui_put(c, 1, 2, COLS - 40, COLOR_HINT, 0, pos);
	ui_draw_risk_right(c, 1, script_risk_name(script_risk_now(in->ans, NULL)));
}

/* The referrals recommended now, each with its first telephone, on one
 * line under the risk: they follow the answers as they change, so the
 * operator can give them before the summary. What does not fit is
 * counted; the summary (F9) lists them all, and what is held back. */
static void draw_referrals(ui_ctx *c, const ui_intake *in)
{
	size_t nok = in->rec.nok, shown = 0;
	int x = 2 + ui_put(c, REFER_ROW, 2, COLS - 4, COLOR_HINT, 0, _("Refer:")) + 1;
	if (nok == 0) {
		ui_put(c, REFER_ROW, x, COLS - x - 1, COLOR_HINT, 0, _("nothing yet"));
		return;
	}
	int cell = (COLS - 1 - x) / (int)nok;
	if (cell < 24)
		cell = 24;
	for (size_t i = 0; i < in->rec.n; i++) {
		const rec_item *it = &in->rec.v[i];
		if (!rec_ok(it))
			continue;
		if (x + cell > COLS - 1 && shown + 1 < nok) {
			char more[64];
			snprintf(more, sizeof more, _("+%zu more (F9)"), nok - shown);
			ui_put(c, REFER_ROW, x, COLS - 1 - x, COLOR_HINT, 0, more);
			return;
		}
		char *txt = xasprintf("%.*s %s", (int)strcspn(it->entry.phones, ";"), it->entry.phones, rec_name(it));
		ui_put(c, REFER_ROW, x, cell - 2, COLOR_NORMAL, 0, txt);
		free(txt);
		x += cell;
		shown++;
	}
}

void ui_act_leave_notes(ui_ctx *c)
{
	ui_intake_leave_notes(c);
}

int ui_in_notes(const ui_ctx *c)
{
	return c->intake && c->intake->ans && c->intake->focus == FOCUS_NOTES;
}

/* The hint under the question: the keys of the actions from the table
 * ({name}, see ui_hint); those of the fields and lists as they take them. */
static const char *kind_hint(const ui_intake *in, const script_step *st)
{
	if (in->focus == FOCUS_NOTES)
		return st && st->kind == SCRIPT_NOTES
			? _("Notes: Enter starts a new line; {notes} when done moves on")
			: _("Notes: Enter starts a new line; {notes} or {leave-notes} goes back to the question");
	if (!st)
		return _("{summary}: summary and save \u00b7 {back}: back \u00b7 {notes}: notes");
	switch (st->kind) {
	case SCRIPT_YESNO: return _("y or \u0442: yes \u00b7 n or \u043d: no \u00b7 \u2190: back");
	case SCRIPT_MULTI: return _("1-9 or Space: tick \u00b7 Enter: done \u00b7 \u2190: back");
	case SCRIPT_NUMBER: case SCRIPT_TEXT: return _("Type, then Enter \u00b7 Backspace on an empty field: back");
	case SCRIPT_RAION: case SCRIPT_COUNTRY: return _("1-9 or type to find \u00b7 \u2191 \u2193: move \u00b7 Enter: choose \u00b7 \u2190: back");
	default:
		return in->opts.filterable
			? _("1-9 or type to find \u00b7 \u2191 \u2193: move \u00b7 Enter: choose \u00b7 \u2190: back")
			: st->nopts > 9
			? _("\u2191 \u2193 PgUp PgDn: move \u00b7 Enter: choose \u00b7 \u2190: back")
			: _("1-9: choose \u00b7 \u2191 \u2193 and Enter \u00b7 \u2190: back");
	}
}

static int field_width(const script_step *st)
{
	return COLS - 8 - (st->kind == SCRIPT_NUMBER ? 16 : 0);
}

/* The first byte of the field drawn, so the cursor stays in view. */
static size_t field_from(const ui_intake *in, int w)
{
	int cw = text_width_n(in->field.s, in->field.cur);
	size_t from = 0;
	while (from < in->field.cur && cw - text_width_n(in->field.s, from) >= w - 1) {
		wchar_t wc;
		from += text_utf8_next(in->field.s + from, in->field.len - from, &wc);
	}
	return from;
}

static void draw_field(ui_ctx *c, const ui_intake *in, const script_step *st, int y)
{
	char range[96] = "";
	if (st->kind == SCRIPT_NUMBER && (st->min || st->max))
		snprintf(range, sizeof range, "(%lld\u2013%lld)", st->min, st->max);
	int w = field_width(st);
	ui_color col = in->focus == FOCUS_QUESTION ? COLOR_FIELD_ACTIVE : COLOR_FIELD;
	ui_put(c, y, 4, w, col, 1, in->field.s + field_from(in, w));
	ui_put(c, y, 5 + w, COLS - 6 - w, COLOR_HINT, 0, range);
}

static int notes_header(const ui_ctx *c, const ui_intake *in)
{
	return in->focus == FOCUS_NOTES ? in->widget_top + 2 : LINES - 8;
}

static void draw_notes(ui_ctx *c, ui_intake *in)
{
	int top = notes_header(c, in);
	int rows = LINES - 4 - top;
	char *title = in->focus == FOCUS_NOTES ? xstrdup(_("Notes (no names, numbers or addresses)"))
		: ui_hint(c, SCR_INTAKE, _("Notes \u2014 {notes} to write"));
	ui_put(c, top, 2, COLS - 4, in->focus == FOCUS_NOTES ? COLOR_HEADING : COLOR_HINT, 1, title);
	free(title);
	text_line *l;
	int row, col;
	size_t n = ui_edit_layout(&in->notes, notes_cols(), &l, &row, &col);
	(void)col;
	int first = 0;
	if (in->focus == FOCUS_NOTES && row >= rows)
		first = row - rows + 1;
	else if (in->focus != FOCUS_NOTES && (int)n > rows)
		first = (int)n - rows;
	ui_color color = in->focus == FOCUS_NOTES ? COLOR_FIELD_ACTIVE : COLOR_NORMAL;
	for (int i = 0; i < rows; i++) {
		size_t k = (size_t)(first + i);
		char *line = k < n ? text_line_text(in->notes.s, &l[k]) : xstrdup("");
		ui_put(c, top + 1 + i, 2, COLS - 3, color, 1, line);
		free(line);
	}
	free(l);
}

/* The answer as the operator reads it: the options' labels, never their
 * codes; typed text as it is. */
static char *answer_labels(const ui_intake *in, const script_step *st)
{
	const char *v = script_answers_get(in->ans, st->id);
	if (!v || st->nopts == 0)
		return xstrdup(v ? v : "");
	dv_buf b = {0};
	dv_buf_add(&b, "", 0);
	for (size_t i = 0; i < st->nopts; i++)
		if (script_answers_has(in->ans, st->id, st->opts[i].code))
			dv_buf_printf(&b, "%s%s", b.len ? ", " : "", script_option_label(&st->opts[i]));
	return dv_buf_take(&b);
}

/* How many lines the step's help may take: at least two, more when the
 * answers below still fit above the notes. The help often ends with what
 * to tell the caller (a case code, that we never call back), so it is not
 * cut while the screen has room for it. */
static int help_rows(const ui_ctx *c, const ui_intake *in, const script_step *st, int q)
{
	/* A long list scrolls: five of its rows are enough beside the help. */
	int need = st->nopts ? (int)st->nopts + 1 : 1;
	if (need > 5)
		need = 5;
	int room = notes_header(c, in) - QUESTION_TOP - q - 1 - need;
	return room > 2 ? (room < 6 ? room : 6) : 2;
}

static void question_draw(ui_ctx *c)
{
	ui_intake *in = c->intake;
	ui_clear_body(c);
	if (!in || !in->ans)
		return;
	const script_step *st = ui_intake_step(in);
	draw_position(c, in, st);
	draw_referrals(c, in);
	int q, h = 0;
	if (st) {
		q = ui_put_wrapped(c, QUESTION_TOP, 2, 3, COLS - 4, COLOR_HEADING, script_step_text(st));
		const char *help = script_step_help(st);
		if (help && in->focus == FOCUS_QUESTION)
			h = ui_put_wrapped(c, QUESTION_TOP + q, 4, help_rows(c, in, st, q), COLS - 6,
					   COLOR_HINT, help);
	} else {
		char *done = ui_hint(c, SCR_INTAKE, _("Every question is answered. Add to the notes if needed, then {summary} for the summary."));
		q = ui_put_wrapped(c, QUESTION_TOP, 2, 3, COLS - 4, COLOR_HEADING, done);
		free(done);
	}
	in->widget_top = QUESTION_TOP + q + h + 1;
	int widget_rows = notes_header(c, in) - in->widget_top - 1;
	if (st && in->focus == FOCUS_QUESTION) {
		if (st->kind == SCRIPT_NUMBER || st->kind == SCRIPT_TEXT)
			draw_field(c, in, st, in->widget_top);
		else if (st->kind != SCRIPT_NOTES && in->opts_step == st)
			ui_list_draw(&in->opts, c, in->widget_top, 2, widget_rows, COLS - 4);
	} else if (st && st->kind != SCRIPT_NOTES) {
		char *v = answer_labels(in, st);
		ui_put(c, in->widget_top, 4, COLS - 8, COLOR_HINT, 0, v);
		free(v);
	}
	draw_notes(c, in);
	char *hint = ui_hint(c, SCR_INTAKE, kind_hint(in, st));
	ui_put(c, LINES - 3, 2, COLS - 4, COLOR_HINT, 0, hint);
	free(hint);
}

static int question_cursor(const ui_ctx *c, int *y, int *x)
{
	const ui_intake *in = c->intake;
	if (!in || !in->ans)
		return 0;
	if (in->focus == FOCUS_NOTES) {
		text_line *l;
		int row, col;
		ui_edit_layout(&in->notes, notes_cols(), &l, &row, &col);
		free(l);
		int top = notes_header(c, in), rows = LINES - 4 - top;
		*y = top + 1 + (row >= rows ? rows - 1 : row);
		*x = 2 + col;
		return 1;
	}
	const script_step *st = ui_intake_step(in);
	if (st && (st->kind == SCRIPT_NUMBER || st->kind == SCRIPT_TEXT)) {
		int w = field_width(st);
		*y = in->widget_top;
		*x = 4 + text_width_n(in->field.s, in->field.cur) - text_width_n(in->field.s, field_from(in, w));
		return 1;
	}
	if (st && in->opts.filterable) {
		*y = in->widget_top;
		*x = 2 + text_width(_("Find:")) + 1 + text_width_n(in->opts.filter.s, in->opts.filter.cur);
		return 1;
	}
	return 0;
}

static const char *const question_help[] = {
	N_("1 \u2026 9"), N_("choose that option (and go on); tick it in a multiple choice"),
	N_("\u2191 \u2193 PgUp PgDn"), N_("move through the options"),
	N_("Enter"), N_("confirm the answer and go to the next question"),
	N_("Space"), N_("tick or untick the highlighted option (multiple choice)"),
	N_("y \u0442 / n \u043d"), N_("yes / no"),
	N_("\u2190, Backspace"), N_("back to the previous question (on an empty field)"),
	N_("Ctrl-\u2190 Ctrl-\u2192, Alt-b Alt-f"), N_("notes: move by word"),
	N_("Home End, Ctrl-A Ctrl-E"), N_("notes: start or end of the line"),
	N_("Ctrl-W"), N_("notes: delete the word before the cursor"),
	NULL,
};

const ui_screen ui_intake_screen = {
	.id = SCR_INTAKE,
	.title = N_("Call"),
	.draw = question_draw,
	.key = question_key,
	.typing = question_typing,
	.cursor = question_cursor,
	.field_help = question_help,
};

/* correct.c: a supervisor's corrections to a final call, without loss.
 *
 * One row per thing that can be corrected: the notes (they pass the
 * redactor again when saved), each answer (its options from the script
 * version that took the call), each referral made (to take back) and each
 * referral the script recommended but nobody made (to add). Enter changes
 * the highlighted row; nothing is written until F9, which asks for the
 * reason. The core stores one correction row per field (old value, new
 * value, reason, who, when) and audits it.
 *
 * Two supervisors at once: the core refuses the second save when the call
 * changed since it was read (DV_ECONFLICT) and says what the other one
 * changed. The form then shows that change, reads the call afresh and
 * keeps every change and the reason typed here; F9 again saves them over
 * the other's, knowingly.
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "desk.h"
#include "directory.h"
#include "dovira/i18n.h"
#include "intake.h"

enum { ROW_ANSWER, ROW_NOTES, ROW_REF_REMOVE, ROW_REF_ADD };

typedef struct crow {
	int kind;
	char *field;     /* the field as the core names it */
	char *label;     /* the question, or what the row is */
	char *was;       /* the value now, in words */
	char *cur;       /* the value now, as stored (typed rows start from it) */
	char *value;     /* the new value (codes), when changed */
	char *value_words;
	int changed;
} crow;

struct ui_correct {
	char id[37];
	long version;       /* the call's version the values were read at */
	script *own;        /* the call's script version, if read from the database */
	const script *scr;  /* the script the options come from */
	crow *rows;
	size_t n;
	ui_list list;
	char *reason;       /* kept across a conflict */
	desk_correction *since; /* the other supervisor's changes, after a conflict */
	size_t nsince;
	size_t editing;     /* the row whose value is being chosen or typed */
};

static ui_correct *form(const ui_ctx *c)
{
	return ui_state(c, SCR_CORRECT);
}

static void free_rows(ui_correct *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->rows[i].field);
		free(f->rows[i].label);
		free(f->rows[i].was);
		free(f->rows[i].cur);
		free(f->rows[i].value);
		free(f->rows[i].value_words);
	}
	free(f->rows);
	f->rows = NULL;
	f->n = 0;
}

static void correct_leave(ui_ctx *c, void *state)
{
	(void)c;
	ui_correct *f = state;
	free_rows(f);
	ui_list_free(&f->list);
	script_free(f->own);
	free(f->reason);
	desk_corrections_free(f->since, f->nsince);
	free(f);
}

static crow *add_row(ui_correct *f, int kind, char *field, char *label, const char *was, const char *cur)
{
	f->rows = xrealloc(f->rows, (f->n + 1) * sizeof *f->rows);
	crow *r = &f->rows[f->n++];
	memset(r, 0, sizeof *r);
	r->kind = kind;
	r->field = field;
	r->label = label;
	r->was = xstrdup(was && *was ? was : "\u2014");
	r->cur = xstrdup(cur ? cur : "");
	return r;
}

/* The core's name of a step's field: its column, or "answer:STEP". */
static char *step_field(const ui_correct *f, const char *step)
{
	long i = f->scr ? script_step_index(f->scr, step) : -1;
	const script_step *st = i >= 0 ? script_step_at(f->scr, (size_t)i) : NULL;
	if (st && st->column >= 0 && st->column != COL_NOTES)
		return xstrdup(col_name((call_col)st->column));
	return xasprintf("answer:%s", step);
}

/* The rows for the call as read now. A row changed before (a conflict)
 * keeps its new value: rows are matched by field. */
static void build_rows(ui_correct *f, const desk_call *d)
{
	crow *old = f->rows;
	size_t nold = f->n;
	f->rows = NULL;
	f->n = 0;
	/* The notes first: the correction asked for most. */
	add_row(f, ROW_NOTES, xstrdup("notes"), xstrdup(_("Notes")), d->r->col[COL_NOTES], d->r->col[COL_NOTES]);
	for (size_t i = 0; i < d->nlines; i++)
		add_row(f, ROW_ANSWER, step_field(f, d->lines[i].step), xstrdup(d->lines[i].question), d->lines[i].label,
			d->lines[i].value);
	for (size_t i = 0; i < d->nrefs; i++) {
		const desk_referral *r = &d->refs[i];
		char *what = xasprintf("%s \u2014 %s", r->org_name, ui_dir_service_label(r->service));
		if (r->made)
			add_row(f, ROW_REF_REMOVE, xasprintf("referral-:%s %s", r->org_id, r->service),
				xstrdup(_("Referral made")), what, NULL);
		else
			add_row(f, ROW_REF_ADD, xasprintf("referral+:%s %s", r->org_id, r->service),
				xstrdup(_("Recommended, not made")), what, NULL);
		free(what);
	}
	for (size_t k = 0; k < nold; k++) {
		for (size_t i = 0; old[k].changed && i < f->n; i++) {
			if (strcmp(f->rows[i].field, old[k].field) != 0)
				continue;
			f->rows[i].changed = 1;
			f->rows[i].value = old[k].value;
			f->rows[i].value_words = old[k].value_words;
			old[k].value = old[k].value_words = NULL;
		}
	}
	ui_correct tmp = {.rows = old, .n = nold};
	free_rows(&tmp);
}

/* Read the call afresh: its version and values. Returns 0 or -1. */
static int read_call(ui_ctx *c, ui_correct *f)
{
	dv_error e;
	dv_error_clear(&e);
	desk_call *d = desk_call_open(c->s, f->id, &e);
	if (!d) {
		ui_say(c, COLOR_ERROR, "%s", e.msg);
		return -1;
	}
	if (!f->scr) {
		f->own = desk_script_of(c->s, d->r->script_id, d->r->script_version, &e);
		f->scr = f->own ? f->own : ui_intake_script(c);
	}
	f->version = d->r->version;
	build_rows(f, d);
	desk_call_free(d);
	ui_list_refresh(&f->list);
	return 0;
}

static size_t rows_count(void *data)
{
	return ((ui_correct *)data)->n;
}

static void rows_draw(void *data, size_t i, ui_row *r)
{
	const crow *w = &((ui_correct *)data)->rows[i];
	char *label = text_cut(w->label, 24, 1);
	ui_row_put(r, w->changed ? COLOR_CHOSEN : COLOR_HINT, label);
	free(label);
	ui_row_put(r, COLOR_NORMAL, " ");
	if (!w->changed) {
		ui_row_put(r, COLOR_NORMAL, w->was);
		return;
	}
	/* The new value first: the old one is what may be cut. */
	char *line = xasprintf(_("\u2192 %1$s  (was: %2$s)"), w->value_words ? w->value_words : "\u2014", w->was);
	ui_row_put(r, COLOR_CHOSEN, line);
	free(line);
}

static const ui_list_ops rows_ops = {
	.count = rows_count,
	.draw_row = rows_draw,
};

void ui_correct_open(ui_ctx *c)
{
	ui_correct *f = xcalloc(1, sizeof *f);
	ui_callview_id(c, f->id);
	if (!f->id[0]) {
		free(f);
		return;
	}
	ui_list_init(&f->list, &rows_ops, f, 0);
	if (read_call(c, f) != 0) {
		correct_leave(c, f);
		return;
	}
	ui_push_state(c, SCR_CORRECT, f);
}

/* ---- changing a row ---- */


static void set_value(crow *w, const char *value, const char *words)
{
	free(w->value);
	free(w->value_words);
	w->value = xstrdup(value ? value : "");
	w->value_words = xstrdup(words && *words ? words : "\u2014");
	w->changed = 1;
}

static const script_step *row_step(const ui_correct *f, const crow *w)
{
	const char *step = strncmp(w->field, "answer:", 7) == 0 ? w->field + 7 : w->field;
	long i = f->scr ? script_step_index(f->scr, step) : -1;
	if (i < 0 && f->scr) {
		/* A core column: the step that maps onto it. */
		for (size_t k = 0; k < script_nsteps(f->scr); k++) {
			const script_step *st = script_step_at(f->scr, k);
			if (st->column >= 0 && strcmp(col_name((call_col)st->column), w->field) == 0)
				return st;
		}
	}
	return i >= 0 ? script_step_at(f->scr, (size_t)i) : NULL;
}

static void option_picked(ui_ctx *c, size_t i)
{
	ui_correct *f = form(c);
	if (!f || f->editing >= f->n)
		return;
	const script_step *st = row_step(f, &f->rows[f->editing]);
	if (st && i < st->nopts)
		set_value(&f->rows[f->editing], st->opts[i].code, script_option_label(&st->opts[i]));
}

static int typed_value(ui_ctx *c, const char *text)
{
	ui_correct *f = form(c);
	if (f && f->editing < f->n)
		set_value(&f->rows[f->editing], text, text);
	return 0;
}

void ui_act_correct_edit(ui_ctx *c)
{
	ui_correct *f = form(c);
	size_t i = f ? ui_list_selected(&f->list) : (size_t)-1;
	if (!f || i >= f->n)
		return;
	crow *w = &f->rows[i];
	f->editing = i;
	if (w->kind == ROW_REF_REMOVE || w->kind == ROW_REF_ADD) {
		/* A referral: Enter turns the change on and off. */
		if (w->changed) {
			w->changed = 0;
		} else {
			set_value(w, "", w->kind == ROW_REF_ADD ? _("made") : _("taken back"));
		}
		return;
	}
	const script_step *st = w->kind == ROW_ANSWER ? row_step(f, w) : NULL;
	if (st && st->nopts && st->kind != SCRIPT_MULTI) {
		const char **labels = xcalloc(st->nopts, sizeof *labels);
		for (size_t k = 0; k < st->nopts; k++)
			labels[k] = script_option_label(&st->opts[k]);
		ui_pick_open(c, w->label, labels, st->nopts, 0, option_picked);
		free(labels);
		return;
	}
	const char *hint = w->kind == ROW_NOTES ? _("the notes as they should read; they pass the redactor again")
			   : st && st->kind == SCRIPT_MULTI ? _("the option codes, separated by spaces")
							     : _("the new answer");
	ui_prompt_open(c, w->label, hint, w->changed ? w->value : w->cur, w->kind == ROW_NOTES ? 4000 : 200, typed_value);
}

/* ---- saving ---- */

/* Saved: the core assessed the call's flags and queue again. */
static void saved(ui_ctx *c, size_t n)
{
	ui_pop(c);
	ui_callview_reload(c);
	ui_say(c, COLOR_OK, ngettext("Corrected: %zu change saved with its reason.",
				     "Corrected: %zu changes saved with their reason.", n), n);
}

static int reason_done(ui_ctx *c, const char *text)
{
	dv_error e;
	dv_error_clear(&e);
	ui_correct *f = form(c);
	if (!f)
		return 0;
	free(f->reason);
	f->reason = xstrdup(text);
	if (!text[strspn(text, " ")]) {
		ui_say(c, COLOR_ERROR, "%s", _("Every correction needs its reason."));
		return -1;
	}
	desk_change *ch = xcalloc(f->n, sizeof *ch);
	size_t n = 0;
	for (size_t i = 0; i < f->n; i++)
		if (f->rows[i].changed)
			ch[n++] = (desk_change){f->rows[i].field, f->rows[i].value};
	desk_correction *since = NULL;
	size_t nsince = 0;
	long now_version = 0;
	int rc = desk_correct(c->s, f->id, f->version, ch, n, text, &now_version, &since, &nsince, &e);
	free(ch);
	if (rc == DV_ECONFLICT) {
		desk_corrections_free(f->since, f->nsince);
		f->since = since;
		f->nsince = nsince;
		read_call(c, f);
		ui_say(c, COLOR_WARNING, "%s",
		       _("Another supervisor corrected this call meanwhile (below). Your changes are kept: F9 saves them over it."));
		return 0;
	}
	if (rc != DV_OK) {
		ui_say(c, COLOR_ERROR, "%s", e.msg);
		return 0;
	}
	saved(c, n);
	return 0;
}

void ui_act_correct_save(ui_ctx *c)
{
	ui_correct *f = form(c);
	if (!f)
		return;
	size_t n = 0;
	for (size_t i = 0; i < f->n; i++)
		n += f->rows[i].changed;
	if (!n) {
		ui_say(c, COLOR_WARNING, "%s", _("Nothing is changed yet: Enter changes the highlighted row."));
		return;
	}
	ui_prompt_open(c, _("The reason for the correction"), _("why the call is corrected; stored with each change"),
		       f->reason, 300, reason_done);
}

static void leave_yes(ui_ctx *c)
{
	ui_pop(c);
}

void ui_act_correct_leave(ui_ctx *c)
{
	ui_correct *f = form(c);
	size_t n = 0;
	for (size_t i = 0; f && i < f->n; i++)
		n += f->rows[i].changed;
	if (n)
		ui_ask(c, leave_yes, ngettext("Leave without saving %zu change?", "Leave without saving %zu changes?", n), n);
	else
		leave_yes(c);
}

/* ---- the screen ---- */

static void draw_since(ui_ctx *c, const ui_correct *f, int y)
{
	ui_put(c, y++, 2, COLS - 4, COLOR_WARNING, 0, _("Changed meanwhile by another supervisor:"));
	for (size_t i = 0; i < f->nsince && y < LINES - 3; i++) {
		const desk_correction *k = &f->since[i];
		char when[20];
		ui_desk_when(k->at, when);
		char *line = xasprintf(_("%1$s: %2$s \u2192 %3$s (%4$s, %5$s: %6$s)"), k->field,
				       k->old_value && *k->old_value ? k->old_value : "\u2014",
				       k->new_value && *k->new_value ? k->new_value : "\u2014", k->who, when, k->reason);
		ui_put(c, y++, 4, COLS - 6, COLOR_WARNING, 0, line);
		free(line);
	}
}

static void correct_draw(ui_ctx *c)
{
	ui_clear_body(c);
	ui_correct *f = form(c);
	if (!f)
		return;
	ui_put(c, 1, 2, COLS - 4, COLOR_HEADING, 0,
	       _("Correct the call: Enter changes the highlighted row; F9 saves with a reason"));
	int rows = LINES - 4 - 3;
	if (f->nsince)
		rows -= (int)(f->nsince < 4 ? f->nsince : 4) + 2;
	ui_list_draw(&f->list, c, 3, 2, rows, COLS - 4);
	if (f->nsince)
		draw_since(c, f, 3 + rows + 1);
}

static int correct_key(ui_ctx *c, ui_key k)
{
	ui_correct *f = form(c);
	if (!f)
		return 0;
	if (k == UK_ENTER || k == UK_RIGHT) {
		ui_act_correct_edit(c);
		return 1;
	}
	return ui_list_key(&f->list, k);
}

static const char *const correct_help[] = {
	N_("\u2191 \u2193, Enter"), N_("choose a row and change it (a referral: Enter again undoes it)"),
	NULL,
};

const ui_screen ui_correct_screen = {
	.leave = correct_leave,
	.id = SCR_CORRECT,
	.title = N_("Correction"),
	.draw = correct_draw,
	.key = correct_key,
	.field_help = correct_help,
};

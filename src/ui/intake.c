/* intake.c: the call: the script's questions one at a time, the notes,
 * and writing every answer at once.
 *
 * The answers live in a script_answers object (the engine decides what is
 * visible, the risk and the referrals); after every confirmed answer they
 * are copied onto the call record and saved (calls_save), so a hang-up
 * loses nothing. Notes are saved when the operator leaves them and after
 * two seconds without typing.
 *
 * Going back (Left or Backspace on a question, b, F7, Ctrl-B) shows the
 * previous visible question with its answer; every later answer is kept
 * and still counts while its question stays visible. Answers to questions
 * an earlier change hides are left out of the record and dropped for good
 * (script_prune) when the call is saved.
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "dovira/i18n.h"
#include "dovira/places.h"
#include "dovira/record.h"
#include "dovira/script.h"
#include "dovira/priv.h"
#include "dovira/spool.h"
#include "intake.h"
#include "dovira/desk.h"
#include "list.h"

/* ---- loading the script ---- */

static char *script_path(const ui_ctx *c)
{
	if (c->opt.script_path)
		return xstrdup(c->opt.script_path);
	const char *dir = priv_getenv_dir("DOVIRA_DATADIR");
	return xasprintf("%s/%s", dir && *dir ? dir : PKGDATADIR, SCRIPT_DEFAULT_NAME);
}

static int load_script(ui_ctx *c, ui_intake *in)
{
	script_diags d = {0};
	dv_error e;
	dv_error_clear(&e);
	char *path = script_path(c);
	int code = script_load(path, &in->scr, &d, &e);
	if (code == DV_EINVAL && d.n)
		ui_say(c, COLOR_ERROR, _("The intake script has problems: %s:%u: %s"), d.v[0].file, d.v[0].line, d.v[0].msg);
	else if (code != DV_OK)
		ui_say(c, COLOR_ERROR, _("The intake script cannot be read: %s"), e.msg);
	script_diags_free(&d);
	free(path);
	return code;
}

static ui_intake *intake_get(ui_ctx *c)
{
	if (!c->intake) {
		c->intake = xcalloc(1, sizeof *c->intake);
		ui_edit_init(&c->intake->notes, 1, 0);
		ui_edit_init(&c->intake->field, 0, 200);
		c->intake->cur = -1;
	}
	if (!c->intake->scr && load_script(c, c->intake) != DV_OK)
		return NULL;
	return c->intake;
}

char *ui_intake_question_of(ui_ctx *c, const char *step_id)
{
	ui_intake *in = step_id ? intake_get(c) : NULL;
	long i = in ? script_step_index(in->scr, step_id) : -1;
	return i >= 0 ? xstrdup(script_step_text(script_step_at(in->scr, (size_t)i))) : NULL;
}

/* ---- the answers and the record ---- */

const script_step *ui_intake_step(const ui_intake *in)
{
	return in->cur >= 0 ? script_step_at(in->scr, (size_t)in->cur) : NULL;
}

/* Copy the answers of the visible steps and the notes onto the record. */
static void sync_record(ui_ctx *c)
{
	const script_step *st = ui_intake_step(c->intake);
	record_from_answers(c->call, c->intake->ans, c->intake->notes.s, st ? st->id : NULL);
}

void ui_intake_refresh(ui_ctx *c)
{
	ui_intake *in = c->intake;
	if (!in)
		return;
	rec_list_free(&in->rec);
	if (in->ans)
		rec_resolve(c->s->db, in->ans, &in->rec);
}

size_t ui_intake_recommended(const ui_ctx *c, script_referral **out)
{
	const ui_intake *in = c->intake;
	size_t n = 0;
	*out = NULL;
	if (!c->call || !in || !in->ans)
		return 0;
	for (size_t i = 0; i < in->rec.n; i++) {
		const rec_item *it = &in->rec.v[i];
		if (!rec_ok(it))
			continue;
		*out = xrealloc(*out, (n + 1) * sizeof **out);
		(*out)[n++] = (script_referral){it->org, it->service, it->line};
	}
	return n;
}

int ui_intake_danger(const ui_ctx *c, char *out, size_t size)
{
	const ui_intake *in = c->intake;
	if (!c->call || !in || !in->ans || !in->rec.danger)
		return 0;
	dv_buf b = {0};
	for (size_t i = 0; i < in->rec.n; i++) {
		const rec_item *it = &in->rec.v[i];
		if (!rec_ok(it) || strcmp(it->service, "emergency") != 0)
			continue;
		size_t len = strcspn(it->entry.phones, ";");
		dv_buf_printf(&b, "%s%.*s", b.len ? " / " : "", (int)len, it->entry.phones);
	}
	if (b.len)
		/* TRANSLATORS: the title bar while someone is in danger: the emergency numbers that fit. */
		snprintf(out, size, _("DANGER NOW: %s"), b.s);
	else
		snprintf(out, size, "%s", _("DANGER NOW: local emergency number"));
	dv_buf_free(&b);
	return 1;
}

/* How long a save from the screens waits for a lock (ms): an answer, a
 * retry in the background, leaving. Past that the save is retried, so the
 * operator is never held for the 5 s the commands wait. */
enum { SAVE_WAIT_MS = 1000, RETRY_WAIT_MS = 200, DB_WAIT_MS = 5000 };

/* One live session per draft (spool.h): 1 if another session of this
 * account has taken the call over; this one then stops saving it. */
int ui_call_taken_elsewhere(ui_ctx *c)
{
	spool_lease_state st = spool_lease_check(c->spool, c->call->id, NULL);
	if (st == LEASE_FREE) {
		dv_error e;
		spool_lease_take(c->spool, c->call->id, &e);
	}
	if (st != LEASE_LIVE && st != LEASE_IDLE)
		return 0;
	c->call_lost = 1;
	c->save_pending = 0;
	return 1;
}

/* Failures that pass: the draft stays in memory and is tried again. */
static int passing(int code)
{
	return code == DV_EBUSY || code == DV_EFULL || code == DV_EIO;
}

static int save_waiting(ui_ctx *c, int busy_ms)
{
	dv_error e;
	dv_error_clear(&e);
	if (!c->call || !c->intake || !c->intake->ans || c->call->final || c->call_lost)
		return DV_OK;
	if (ui_call_taken_elsewhere(c))
		return DV_ECONFLICT;
	sync_record(c);
	db_set_busy_timeout(c->s->db, busy_ms);
	ui_intake_refresh(c);
	int code = calls_save(c->s, c->call, &e);
	db_set_busy_timeout(c->s->db, DB_WAIT_MS);
	if (code == DV_OK) {
		c->intake->notes_saved = c->intake->notes.changes;
		c->save_pending = 0;
		if (c->spooled) {
			/* The draft kept by an earlier session is in the database now. */
			spool_forget(c->spooled);
			free(c->spooled);
			c->spooled = NULL;
		}
	} else if (passing(code)) {
		dv_debug("save retried later: %s", e.msg);
		c->save_pending = code;
		c->save_retry_at = dv_now() + 1;
		code = DV_OK;
	} else {
		ui_say(c, COLOR_ERROR, "%s", e.msg);
	}
	return code;
}

int ui_intake_save(ui_ctx *c)
{
	return save_waiting(c, SAVE_WAIT_MS);
}

int ui_save_draft(ui_ctx *c, int busy_ms)
{
	return save_waiting(c, busy_ms);
}

int ui_in_call(const ui_ctx *c)
{
	return c->call != NULL;
}

/* Rebuild the answers from a saved draft. */
static void answers_from_record(ui_intake *in, const call_record *r)
{
	script_answers_free(in->ans);
	in->ans = record_answers(in->scr, r, NULL);
	ui_edit_set(&in->notes, r->col[COL_NOTES]);
	in->notes_saved = in->notes.changes;
}

/* ---- moving between questions ---- */

static int answered(const ui_intake *in, long i)
{
	const script_step *st = script_step_at(in->scr, (size_t)i);
	return st && script_answers_get(in->ans, st->id) != NULL;
}

static void open_step(ui_ctx *c, long i)
{
	ui_intake *in = c->intake;
	in->cur = i;
	ui_list_free(&in->opts);
	memset(&in->opts, 0, sizeof in->opts);
	ui_edit_set(&in->field, "");
	in->focus = FOCUS_QUESTION;
	const script_step *st = ui_intake_step(in);
	if (!st) {
		in->focus = FOCUS_NOTES;
		return;
	}
	const char *v = script_answers_get(in->ans, st->id);
	if (st->kind == SCRIPT_NOTES)
		in->focus = FOCUS_NOTES;
	else if (st->kind == SCRIPT_NUMBER || st->kind == SCRIPT_TEXT)
		ui_edit_set(&in->field, v);
	else
		ui_intake_options_open(c, st, v);
}

/* After an answer: the next visible question not yet answered, or the
 * summary when there is none. */
static void advance(ui_ctx *c)
{
	ui_intake *in = c->intake;
	long i = script_next(in->ans, in->cur);
	while (i >= 0 && answered(in, i))
		i = script_next(in->ans, i);
	if (i < 0)
		i = script_first_missing(in->ans);
	open_step(c, i);
	if (i < 0) {
		ui_intake_save(c);
		ui_summary_open(c);
	}
}

/* On a notes question, the notes are its answer. */
static void notes_answer(ui_ctx *c, const script_step *st)
{
	dv_error e;
	if (st && st->kind == SCRIPT_NOTES && script_answers_set(c->intake->ans, st->id, c->intake->notes.s, &e) != DV_OK)
		ui_say(c, COLOR_ERROR, "%s", e.msg);
}

void ui_intake_confirmed(ui_ctx *c)
{
	notes_answer(c, ui_intake_step(c->intake));
	if (ui_intake_save(c) == DV_OK) {
		c->status[0] = '\0'; /* an earlier complaint no longer applies */
		advance(c);
	}
}

int ui_intake_answer(ui_ctx *c, const char *value)
{
	dv_error e;
	dv_error_clear(&e);
	const script_step *st = ui_intake_step(c->intake);
	if (!st)
		return -1;
	if (script_answers_set(c->intake->ans, st->id, value, &e) != DV_OK) {
		ui_say(c, COLOR_ERROR, "%s", e.msg);
		return -1;
	}
	ui_intake_confirmed(c);
	return 0;
}

void ui_act_back(ui_ctx *c)
{
	ui_intake *in = c->intake;
	if (!in || !in->ans)
		return;
	ui_intake_leave_notes(c);
	long from = in->cur >= 0 ? in->cur : (long)script_nsteps(in->scr);
	long p = script_prev(in->ans, from);
	if (p < 0) {
		ui_say(c, COLOR_WARNING, _("This is the first question."));
		open_step(c, in->cur);
		return;
	}
	open_step(c, p);
	ui_intake_save(c);
}

/* ---- the notes ---- */

void ui_intake_leave_notes(ui_ctx *c)
{
	ui_intake *in = c->intake;
	if (!in || in->focus != FOCUS_NOTES)
		return;
	const script_step *st = ui_intake_step(in);
	int saved = 1;
	if (in->notes.changes != in->notes_saved) {
		notes_answer(c, st);
		saved = ui_intake_save(c) == DV_OK;
	}
	/* Show what is stored: personal data replaced by its tag, also when
	 * an autosave while typing stored the notes already. */
	const char *stored = c->call->col[COL_NOTES];
	if (saved && strcmp(stored ? stored : "", in->notes.s ? in->notes.s : "") != 0) {
		ui_edit_set(&in->notes, stored);
		in->notes_saved = in->notes.changes;
	}
	in->focus = FOCUS_QUESTION;
}

void ui_act_notes(ui_ctx *c)
{
	ui_intake *in = c->intake;
	if (!in || !in->ans)
		return;
	if (in->focus != FOCUS_NOTES) {
		in->focus = FOCUS_NOTES;
		return;
	}
	const script_step *st = ui_intake_step(in);
	ui_intake_leave_notes(c);
	/* On a question of its own, leaving the notes answers it. */
	if (st && st->kind == SCRIPT_NOTES)
		ui_intake_confirmed(c);
	else if (!st)
		in->focus = FOCUS_NOTES;
}

void ui_intake_tick(ui_ctx *c)
{
	ui_intake *in = c->intake;
	if (!c->call || !in || !in->ans)
		return;
	if (c->save_pending && dv_now() >= c->save_retry_at)
		save_waiting(c, RETRY_WAIT_MS);
	else if (in->notes.changes != in->notes_saved && dv_now() - in->notes_typed_at >= 2)
		ui_intake_save(c);
}

/* ---- starting, resuming, ending ---- */

static void begin_answers(ui_intake *in)
{
	script_answers_free(in->ans);
	in->ans = script_answers_new(in->scr);
	ui_edit_set(&in->notes, "");
	in->notes_saved = in->notes.changes;
	in->notes_typed_at = 0;
}

int ui_intake_open(ui_ctx *c)
{
	ui_intake *in = intake_get(c);
	if (!in)
		return -1;
	begin_answers(in);
	answers_from_record(in, c->call);
	ui_intake_refresh(c);
	long at = c->call->step ? script_step_index(in->scr, c->call->step) : -1;
	if (at >= 0 && script_visible(in->ans, (size_t)at)) {
		open_step(c, at);
	} else {
		in->cur = -1;
		advance(c);
	}
	/* A draft from before the script changed goes on under the new one:
	 * the operator must know that its questions may differ. */
	const char *was = c->call->script_version, *now = script_version(in->scr);
	if (was && strcmp(was, now) != 0)
		ui_say(c, COLOR_WARNING, _("This call was started under script version %s and goes on under %s: check its answers."),
		       was, now);
	return 0;
}

const script *ui_intake_script(ui_ctx *c)
{
	ui_intake *in = intake_get(c);
	return in ? in->scr : NULL;
}

/* A call of a caller ringing back joins the case of the code they gave. */
static void join_case(ui_ctx *c, const char *case_code)
{
	dv_error e;
	dv_error_clear(&e);
	if (desk_case_link(c->s, c->call->id, case_code, &e) != DV_OK)
		ui_say(c, COLOR_ERROR, "%s", e.msg);
	else
		/* TRANSLATORS: %1$s is the new call's case code, %2$s the case it joins. */
		ui_say(c, COLOR_OK, _("The call %1$s joins the case %2$s."), c->call->case_code, case_code);
}

void ui_intake_begin(ui_ctx *c, const char *case_code)
{
	dv_error e;
	dv_error_clear(&e);
	ui_intake *in = intake_get(c);
	if (!in)
		return;
	c->call = calls_begin(c->s, script_id(in->scr), script_version(in->scr), &e);
	if (!c->call) {
		ui_say(c, COLOR_ERROR, "%s", e.msg);
		return;
	}
	if (spool_lease_take(c->spool, c->call->id, &e) != DV_OK)
		dv_debug("no lease: %s", e.msg);
	begin_answers(in);
	ui_intake_refresh(c);
	ui_goto(c, SCR_INTAKE);
	in->cur = -1;
	open_step(c, script_next(in->ans, -1));
	c->status[0] = '\0';
	if (c->ndrafts)
		ui_say(c, COLOR_WARNING,
		       ngettext("%zu unfinished call waits; after this one, resume it from the start screen (r).",
			        "%zu unfinished calls wait; after this one, resume them from the start screen (r).", c->ndrafts),
		       c->ndrafts);
	if (case_code)
		join_case(c, case_code);
}

void ui_act_new_call(ui_ctx *c)
{
	ui_intake_begin(c, NULL);
}

/* The call is over (saved or discarded): back to a clean start screen. */
void ui_intake_end_call(ui_ctx *c)
{
	if (c->call && !c->call_lost)
		spool_lease_drop(c->spool, c->call->id);
	c->save_pending = 0;
	c->call_lost = 0;
	call_free(c->call);
	c->call = NULL;
	if (c->intake) {
		script_answers_free(c->intake->ans);
		c->intake->ans = NULL;
		rec_list_free(&c->intake->rec);
		ui_list_free(&c->intake->opts);
		memset(&c->intake->opts, 0, sizeof c->intake->opts);
		ui_edit_set(&c->intake->notes, "");
		ui_edit_set(&c->intake->field, "");
	}
	ui_drafts_reload(c);
	ui_goto(c, SCR_START);
}

/* The saved call's QA flags and high-risk queue rules, and the text of
 * the script that took it (so that it reads right after the script
 * changes). The call is saved whatever happens here: a failure is only
 * shown. */
static void assess(ui_ctx *c)
{
	dv_error e;
	dv_error_clear(&e);
	char *path = script_path(c);
	if (desk_remember_script(c->s, path, &e) != DV_OK ||
	    desk_assess_store(c->s, c->intake->scr, c->call, &e) != DV_OK)
		ui_say(c, COLOR_WARNING, "%s", e.msg);
	free(path);
}

int ui_intake_finish(ui_ctx *c)
{
	dv_error e;
	dv_error_clear(&e);
	ui_intake *in = c->intake;
	long m = script_first_missing(in->ans);
	if (m >= 0) {
		open_step(c, m);
		ui_goto(c, SCR_INTAKE);
		ui_say(c, COLOR_WARNING, _("Not complete yet: this question needs an answer."));
		return -1;
	}
	script_prune(in->ans);
	if (ui_call_taken_elsewhere(c))
		return -1;
	sync_record(c);
	db_set_busy_timeout(c->s->db, SAVE_WAIT_MS);
	int code = calls_finish(c->s, c->call, &e);
	db_set_busy_timeout(c->s->db, DB_WAIT_MS);
	if (code != DV_OK && passing(code)) {
		/* Kept as a draft and retried (the note on the right says why);
		 * short, so that both fit 80 columns. */
		c->save_pending = code;
		c->save_retry_at = dv_now() + 1;
		ui_say(c, COLOR_WARNING, _("Not final yet; finish again."));
		return -1;
	}
	if (code != DV_OK) {
		ui_say(c, COLOR_ERROR, "%s", e.msg);
		return -1;
	}
	c->save_pending = 0;
	assess(c);
	return 0;
}

static void discard_call(ui_ctx *c)
{
	dv_error e;
	dv_error_clear(&e);
	char code[10];
	memcpy(code, c->call->case_code, sizeof code);
	if (calls_discard(c->s, c->call, &e) != DV_OK) {
		ui_say(c, COLOR_ERROR, "%s", e.msg);
		return;
	}
	ui_intake_end_call(c);
	ui_say(c, COLOR_OK, _("The call %s was discarded."), code);
}

void ui_act_discard_call(ui_ctx *c)
{
	char keys[80];
	ui_action_keys(c, SCR_START, "non-data", keys, sizeof keys);
	if (c->call)
		ui_ask(c, discard_call, _("Discard the call %s? Its answers and notes are deleted; a call without data can be logged instead (%s)."),
		       c->call->case_code, keys);
}

void ui_intake_close(ui_ctx *c)
{
	ui_intake *in = c->intake;
	if (c->call && !c->call_lost)
		spool_lease_drop(c->spool, c->call->id);
	call_free(c->call);
	c->call = NULL;
	if (!in)
		return;
	script_answers_free(in->ans);
	rec_list_free(&in->rec);
	script_free(in->scr);
	ui_list_free(&in->opts);
	ui_edit_free(&in->notes);
	ui_edit_free(&in->field);
	free(in);
	c->intake = NULL;
}

/* intake.h: what the call's three files share: intake.c (the flow and
 * saving), question.c (the intake screen: questions, fields, notes) and
 * summary.c (the record before it is saved). Not a public header.
 */
#ifndef DOVIRA_UI_INTAKE_H
#define DOVIRA_UI_INTAKE_H

#include "dovira/recommend.h"
#include "dovira/script.h"
#include "list.h"
#include "ui_int.h"

enum { FOCUS_QUESTION, FOCUS_NOTES };

struct ui_intake {
	script *scr;            /* loaded once, kept for every call */
	script_answers *ans;    /* the call's answers; NULL between calls */
	long cur;               /* the question asked now, or -1: none left */
	int focus;              /* FOCUS_QUESTION or FOCUS_NOTES */
	ui_list opts;           /* options of a choice question */
	const script_step *opts_step; /* the step opts shows */
	int opts_moved;         /* the operator moved the highlight or typed
	                         * since the options opened: only then does
	                         * Enter take the highlighted one */
	ui_edit field;          /* a number or short text being typed */
	ui_edit notes;          /* the notes, as typed (redacted once left) */
	unsigned long notes_saved; /* notes.changes at the last save */
	time_t notes_typed_at;
	int widget_top;         /* row of the options or field, as last drawn */
	rec_list rec;           /* the referrals for the answers now, checked
	                         * against the directory (ui_intake_refresh) */
};

/* Work out the referrals and danger again after the answers changed: one
 * read of the directory per change, never one per repaint. */
void ui_intake_refresh(ui_ctx *c);

/* The referrals recommended now (in the directory, with a telephone, not
 * do-not-refer), in the script's order; *out is freed by the caller
 * (NULL when none). Outside a call: 0. */
size_t ui_intake_recommended(const ui_ctx *c, script_referral **out);

/* The step asked now, or NULL. */
const script_step *ui_intake_step(const ui_intake *in);

/* Copy the answers and notes onto the call record and save it as a draft.
 * A save the database does not take for a passing reason (locked past a
 * short wait, disk full, an I/O error) is kept in memory, shown by a quiet
 * indicator and retried every second (ui_intake_tick); it returns 0 then,
 * so the operator goes on. Returns 0 or a dv_code (the message is on the
 * status line). */
int ui_intake_save(ui_ctx *c);

/* Record value as the answer to the question asked now, save, and move on.
 * Returns 0, or -1 if the engine refused the value (message shown). */
int ui_intake_answer(ui_ctx *c, const char *value);

/* The question asked now has its answer in the answers already (a multi
 * choice ticked option by option): save and move on. */
void ui_intake_confirmed(ui_ctx *c);

/* Leave the notes field: save them if changed and show them as stored. */
void ui_intake_leave_notes(ui_ctx *c);

/* Set up the options list of a choice question, highlighting value. */
void ui_intake_options_open(ui_ctx *c, const script_step *st, const char *value);

/* Make the call final (calls_finish) after dropping the answers hidden
 * now. If a required question is unanswered, go to it instead. Returns 0,
 * or -1 with the reason on the status line. */
int ui_intake_finish(ui_ctx *c);

/* The digit that picks option i of the list shown (1-9), or 0. */
size_t ui_intake_digit_of(const ui_intake *in, size_t i);

/* The intake script (loaded on first use), or NULL with the reason on
 * the status line. */
const script *ui_intake_script(ui_ctx *c);

/* Begin a new call; with case_code (not NULL) it joins that case (a
 * caller ringing back). */
void ui_intake_begin(ui_ctx *c, const char *case_code);

/* The call was saved or discarded: free it and go back to the start. */
void ui_intake_end_call(ui_ctx *c);

/* 1 if another session of this account has taken c->call over (spool.h);
 * then c->call_lost is set and this session no longer saves the call. */
int ui_call_taken_elsewhere(ui_ctx *c);
/* Save the draft and show the summary. */
void ui_summary_open(ui_ctx *c);

/* The risk line "Risk: likely" in its colour at (y, x); returns its width. */
int ui_draw_risk(ui_ctx *c, int y, int x, const char *risk_code);
/* The same, ending at the right edge of the screen. */
int ui_draw_risk_right(ui_ctx *c, int y, const char *risk_code);

#endif

/* ui_int.h: what the screens share inside src/ui: the context handed to
 * every screen and action, the screen interface, the action table and the
 * drawing helpers. Not a public header: only src/ui includes it.
 *
 * Layout of every screen (80x24 at least):
 *   row 0            title bar: where you are, the call timer, who you are
 *   rows 1..LINES-3  the screen's body
 *   row LINES-2      status line: the last message
 *   row LINES-1      bottom bar: the actions of this screen, from the table
 */
#ifndef DOVIRA_UI_INT_H
#define DOVIRA_UI_INT_H

#include <stddef.h>
#include <time.h>

#include "dovira/calls.h"
#include "dovira/session.h"
#include "dovira/ui.h"
#include "dovira/util.h"
#include "edit.h"
#include "keys.h"
#include "pager.h"
#include "screens.h"
#include "dovira/text.h"
#include "theme.h"

#define UI_MIN_COLS 80
#define UI_MIN_LINES 24

typedef struct ui_ctx ui_ctx;

/* The screens (screens.h lists them, one line each). A screen is drawn
 * whole on every change (curses sends only the cells that differ, which
 * keeps slow SSH links fast). */
typedef enum ui_screen_id {
#define UI_SCREEN_ID(id, var) id,
	UI_SCREENS(UI_SCREEN_ID)
#undef UI_SCREEN_ID
	SCR_NSCREENS
} ui_screen_id;

#define SCR_BIT(id) (1u << (id))
enum { UI_ON_BAR = 1, UI_IN_MENU = 2 };
#define SCR_ALL ((1u << SCR_NSCREENS) - 1)

/* A screen: what the stack calls while it is on the stack. Each one lives
 * in its own file with its state; every hook but draw may be NULL. The
 * state is made by whoever opens the screen (ui_push_state) and belongs to
 * the stack from then on: leave frees it when the screen is popped, when
 * the stack is replaced (ui_goto) and when the screens end (quit or
 * hang-up). */
typedef struct ui_screen {
	ui_screen_id id;
	const char *title;                 /* N_(): shown on the title bar */
	void (*draw)(ui_ctx *c);           /* the body, rows 1..LINES-3 */
	/* Keys the actions did not take (fields, lists). Returns 1 if used. */
	int (*key)(ui_ctx *c, ui_key k);
	/* 1 while a text field has the focus: printable keys are then text,
	 * and the actions' letter keys do not apply. NULL: never. */
	int (*typing)(const ui_ctx *c);
	/* Where the terminal cursor goes (a text field), or 0 to hide it. */
	int (*cursor)(const ui_ctx *c, int *y, int *x);
	/* Help lines for the keys the screen's fields handle themselves
	 * (digits, arrows, typing): NULL-terminated pairs of N_() strings
	 * {keys, what}, listed on the help screen after the actions. */
	const char *const *field_help;
	/* The state of the screen when it is pushed without one (ui_push,
	 * ui_goto): what a screen at the bottom of the stack needs. NULL:
	 * none. */
	void *(*open)(ui_ctx *c);
	/* Before each drawing while the screen is on top: read what changed
	 * (the database is read here, never while painting). */
	void (*update)(ui_ctx *c, void *state);
	/* The screen became the top one (pushed, or the one above it was
	 * popped): read again what may have changed meanwhile. */
	void (*enter)(ui_ctx *c, void *state);
	/* The screen leaves the stack: free state (never NULL when called).
	 * Must not push or pop: the stack is being unwound. */
	void (*leave)(ui_ctx *c, void *state);
	/* The terminal changed size (every screen on the stack is told,
	 * bottom first, before the next drawing): lay out again what was laid
	 * out for the old width. */
	void (*resize)(ui_ctx *c, void *state);
} ui_screen;

/* One screen on the stack and what it owns. */
typedef struct ui_frame {
	ui_screen_id id;
	void *state;
} ui_frame;

/* One entry of the action table (actions.c), the single source of the
 * key dispatch, the help screen and the bottom bar. */
typedef struct ui_action {
	const char *name;          /* stable name, for the debug log */
	ui_key keys[6];            /* default keys, UK_NONE-terminated; the first
	                            * is the F-key shown on the bar */
	const char *label;         /* N_(): short, for the bar and the help */
	unsigned roles;            /* staff_role mask allowed to use it */
	unsigned screens;          /* SCR_BIT mask where it applies */
	int on_bar;                /* UI_ON_BAR: on the bottom bar (and a
	                            * screen's menu); UI_IN_MENU: in the
	                            * start screen's menu only, where the bar
	                            * has no room; 0: in the help only */
	void (*run)(ui_ctx *c);
	/* NULL, or 1 if the action can run now (e.g. "resume" only while a
	 * draft waits). Unavailable actions are neither shown nor run. */
	int (*available)(const ui_ctx *c);
} ui_action;

/* The whole table and its length. */
extern const ui_action ui_actions[];
extern const size_t ui_nactions;

/* The intake state (intake.c) and the question being answered: the
 * call's, not a screen's. It outlives the intake and summary screens,
 * which replace each other (ui_goto), and lives on under the directory
 * opened over them; the title bar of every screen shows its timer. */
typedef struct ui_intake ui_intake;

/* States the screens own, each defined in the screen's file. */
typedef struct ui_dir ui_dir;
typedef struct ui_pick ui_pick;
typedef struct ui_prompt ui_prompt;
/* The start screen's panel of figures (deskui.c). */
typedef struct ui_panel ui_panel;
typedef struct ui_stats ui_stats;

struct ui_ctx {
	dv_session *s;
	SCREEN *term;
	ui_options opt;
	ui_theme theme;
	ui_frame stack[8];         /* screens, the top one has the keys */
	int depth;
	int quit;                  /* 1: leave the loop (after saving) */
	int hangup;                /* 1: the terminal went away */
	int exit_code;
	char status[512];          /* the status line's message */
	ui_color status_color;
	time_t status_at;
	dv_buf paste;              /* the text of the last UK_PASTE */
	call_record *call;         /* the call being taken, or NULL */
	call_record *draft;        /* a draft found at start, offered for resume */
	char **draft_lines;        /* every waiting draft, as the start screen
	                            * lists it (ui_drafts_reload) */
	size_t ndrafts;
	ui_intake *intake;         /* the script state of the call, or NULL */
	int training;              /* 1: a training database (dovira demo filled
	                            * it), as the start screen's figures said */
	int too_small;             /* 1 while the terminal is under 80x24 */
	char exit_note[512];       /* printed on stderr after leaving curses */
	struct dv_spool *spool;    /* this session's reserved spool file, or NULL */
	char *spooled;             /* the spool file c->draft came from, or NULL */
	int save_pending;          /* dv_code of a draft save being retried, or 0 */
	time_t save_retry_at;      /* when to try it again */
	time_t lease_touched;      /* when this session last marked its call active */
	int call_lost;             /* 1: another session took the call over */
};

/* The screens, one per ui_screen_id (screens.h). */
#define UI_SCREEN_DECL(id, var) extern const ui_screen var;
UI_SCREENS(UI_SCREEN_DECL)
#undef UI_SCREEN_DECL

/* The screen table (one per ui_screen_id). */
const ui_screen *ui_screen_get(ui_screen_id id);
/* The screen that has the keys (the top of the stack). */
ui_screen_id ui_top(const ui_ctx *c);
/* Push the screen id over the current one, owning state (NULL: none);
 * the screen's enter hook runs. Returns 0, or -1 when the stack is full:
 * the state is then freed by the screen's leave hook and nothing opens. */
int ui_push_state(ui_ctx *c, ui_screen_id id, void *state);
/* ui_push_state with no state. */
void ui_push(ui_ctx *c, ui_screen_id id);
/* Pop the top screen (never the last one), freeing its state; the screen
 * below is entered again. */
void ui_pop(ui_ctx *c);
/* Replace the whole stack by the screen id (no state): every screen on
 * it leaves, top first. */
void ui_goto(ui_ctx *c, ui_screen_id id);
/* Empty the stack, top first, each screen freeing its state: when the
 * screens end, by quitting or by a hang-up. */
void ui_stack_unwind(ui_ctx *c);
/* The state of the topmost screen id on the stack (as drawn: while a
 * screen below a box is drawn, the box is not counted), or NULL if id is
 * not on it. */
void *ui_state(const ui_ctx *c, ui_screen_id id);
/* Take the top screen's state off the stack: the caller owns it from
 * now (to hand it to the screen again with ui_push_state, or free it);
 * the screen stays, with no state, until it is popped. */
void *ui_take_state(ui_ctx *c);
/* The state of the topmost screen id becomes state; the one it had
 * leaves (is freed). If id is not on the stack, state is freed. */
void ui_replace_state(ui_ctx *c, ui_screen_id id, void *state);
/* Draw the screens under the one being drawn, so that a box or a dialog
 * sits over them: the one helper every box and dialog calls first. */
void ui_draw_below(ui_ctx *c);
/* Tell every screen on the stack that the terminal changed size. */
void ui_stack_resize(ui_ctx *c);
/* Before drawing: the top screen reads what changed (its update hook). */
void ui_stack_update(ui_ctx *c);

/* Set the status line (printf-style; the text is sanitised when drawn). */
void ui_say(ui_ctx *c, ui_color color, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Ask a yes/no question; yes() runs on y (or т/Enter), n/Esc only closes. */
void ui_ask(ui_ctx *c, void (*yes)(ui_ctx *), const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Dispatch one key: the top screen's actions, its fields, then the
 * actions' letter keys (when nothing is being typed). */
void ui_dispatch(ui_ctx *c, ui_key k);

/* 1 if action a applies on screen scr now (the screen, the account's
 * role and the action's availability). */
int ui_action_applies_on(const ui_ctx *c, const ui_action *a, ui_screen_id scr);

/* The first action of the table called name, or NULL. */
const ui_action *ui_action_named(const char *name);

/* The keys of the action called name as they apply on screen scr now, for
 * a hint: its first key and one alternative ("F9 or s", "Esc"), from the
 * same table that dispatches them. "" when no such action applies there. */
void ui_action_keys(const ui_ctx *c, ui_screen_id scr, const char *name, char *out, size_t size);

/* A hint for screen scr: tmpl (already translated) with every {name}
 * replaced by ui_action_keys(name), so that no hint spells a key by hand.
 * A new string. */
char *ui_hint(const ui_ctx *c, ui_screen_id scr, const char *tmpl);

/* The actions that apply to the top screen now, in table order; returns
 * the count (at most max). */
size_t ui_actions_now(const ui_ctx *c, const ui_action **out, size_t max);

/* A key's name as the bar and help show it: "F2", "n", "Ctrl-S", "Enter".
 * Writes at most size bytes. */
void ui_key_name(ui_key k, char *out, size_t size);

/* Draw the whole screen (title, body, status, bar) or the too-small
 * notice, then place the cursor. */
void ui_draw_all(ui_ctx *c);

/* Drawing helpers: every text is sanitised, then cut to cols display
 * columns; pad 1 fills the rest with spaces in the same colour. Returns
 * the columns drawn. */
int ui_put(ui_ctx *c, int y, int x, int cols, ui_color color, int pad, const char *text);
/* The same with extra curses attributes (e.g. A_BOLD) added. */
int ui_put_attr(ui_ctx *c, int y, int x, int cols, attr_t attr, int pad, const char *text);
/* Wrap text (sanitised) into at most rows lines of cols columns at (y, x);
 * returns the lines drawn. */
int ui_put_wrapped(ui_ctx *c, int y, int x, int rows, int cols, ui_color color, const char *text);
/* Clear the body rows 1..LINES-3. */
void ui_clear_body(ui_ctx *c);

/* The call timer as "mm:ss" (or "h:mm:ss" past an hour) into out[16]. */
void ui_format_timer(long seconds, char out[static 16]);

/* Actions and screens, by file. */
/* start.c */
void ui_act_new_call(ui_ctx *c);
void ui_act_nondata(ui_ctx *c);
void ui_act_resume(ui_ctx *c);
void ui_act_discard_draft(ui_ctx *c);
void ui_act_later(ui_ctx *c);
int ui_have_draft(const ui_ctx *c);
/* Read the operator's waiting drafts again (after a call ended, a draft
 * was resumed or discarded): the start screen lists them all, and the
 * newest is offered for resume. */
void ui_drafts_reload(ui_ctx *c);
void ui_drafts_free(ui_ctx *c);
/* The question of the step with this id in the language of the screens
 * (a new string), or NULL: screens show questions, never step ids. */
char *ui_intake_question_of(ui_ctx *c, const char *step_id);
/* run.c */
void ui_act_quit(ui_ctx *c);
void ui_act_quit_now(ui_ctx *c);
void ui_act_help(ui_ctx *c);
/* Close the top screen (pop it). The action table runs an action only on
 * the screens its mask names, so one close serves every screen whose Back
 * does nothing more. */
void ui_act_close(ui_ctx *c);
void ui_act_redraw(ui_ctx *c);
void ui_act_yes(ui_ctx *c);
/* intake.c */
void ui_act_back(ui_ctx *c);
void ui_act_notes(ui_ctx *c);
/* Esc in the notes: back to the question (only while typing notes). */
void ui_act_leave_notes(ui_ctx *c);
int ui_in_notes(const ui_ctx *c);
void ui_act_to_summary(ui_ctx *c);
void ui_act_discard_call(ui_ctx *c);
void ui_act_finish(ui_ctx *c);
void ui_act_edit_again(ui_ctx *c);
void ui_act_redact_name(ui_ctx *c);
void ui_act_next_name(ui_ctx *c);
int ui_summary_has_name(const ui_ctx *c);
int ui_in_call(const ui_ctx *c);
/* Save the call in progress as a draft (notes included) before leaving,
 * waiting at most busy_ms for a lock; quietly returns if there is none.
 * Returns 0 or a dv_code; c->save_pending tells whether the draft is still
 * not in the database (then keep it in the spool). Safe on hang-up. */
int ui_save_draft(ui_ctx *c, int busy_ms);
/* Once a second: the timer, and saving notes typed since the last save
 * after a short idle. */
void ui_intake_tick(ui_ctx *c);

/* While a call says someone is in danger now (the script's danger rules):
 * the line the title bar of every screen shows, with the emergency
 * numbers that fit where the person is, in out; returns 1. Otherwise 0. */
int ui_intake_danger(const ui_ctx *c, char *out, size_t size);
/* Start or resume the intake screen for c->call. Returns 0, or -1 with
 * the reason on the status line. */
int ui_intake_open(ui_ctx *c);
void ui_intake_close(ui_ctx *c);
/* directory.c: the directory opens over the start screen or the call
 * (which goes on: its timer runs, its draft is kept) and closes back to
 * exactly where the operator was. */
void ui_act_directory(ui_ctx *c);
/* The first Esc in the directory clears what was typed in the search;
 * the next one closes it. */
void ui_act_dir_clear(ui_ctx *c);
int ui_dir_has_search(const ui_ctx *c);
void ui_act_dir_details(ui_ctx *c);
void ui_act_refer(ui_ctx *c);
void ui_act_unrefer(ui_ctx *c);
void ui_act_dir_area(ui_ctx *c);
void ui_act_dir_service(ui_ctx *c);
void ui_act_dir_serves(ui_ctx *c);
int ui_dir_may_refer(const ui_ctx *c);
int ui_dir_may_unrefer(const ui_ctx *c);
int ui_dir_has_row(const ui_ctx *c);
/* org.c */
void ui_act_org_verify(ui_ctx *c);
void ui_act_org_retire(ui_ctx *c);
int ui_org_not_retired(const ui_ctx *c);
/* orgform.c */
void ui_act_org_new(ui_ctx *c);
void ui_act_org_edit(ui_ctx *c);
void ui_act_form_save(ui_ctx *c);
void ui_act_form_cancel(ui_ctx *c);
/* pick.c: offer n choices (labels copied) in a box titled title, row sel
 * highlighted; digits 1-9 choose at once, arrows and Enter too, Esc
 * cancels. done(c, i) runs with the index chosen after the box closed. */
void ui_pick_open(ui_ctx *c, const char *title, const char *const *labels, size_t n, size_t sel,
		  void (*done)(ui_ctx *c, size_t i));
void ui_act_pick_cancel(ui_ctx *c);
/* prompt.c: a box over the screen below where one line of at most
 * max_chars characters is typed, starting with text (NULL: empty); hint is
 * shown under it. Enter calls done(c, typed) after the box closed: done
 * returns 0 to accept, or -1 (having said why, and opened nothing) to
 * reopen the box with the text as typed. Esc cancels. */
void ui_prompt_open(ui_ctx *c, const char *title, const char *hint, const char *text, size_t max_chars,
		    int (*done)(ui_ctx *c, const char *text));
void ui_act_prompt_done(ui_ctx *c);
void ui_act_prompt_cancel(ui_ctx *c);
/* The supervisor's desk (desk.h has what its files share). deskui.c:
 * the start screen's panel (high-risk calls waiting, overdue call-backs,
 * drafts left behind), the start screen's state. A new panel, not read
 * yet. */
ui_panel *ui_panel_new(void);
void ui_panel_free(ui_panel *p);
/* Read the figures again before the next drawing (the start screen shows
 * again). */
void ui_panel_stale(ui_panel *p);
/* Read the figures if they are stale or 20 seconds old; sets
 * c->training. */
void ui_panel_update(ui_ctx *c, ui_panel *p);
/* The panel from row y; returns the row after it. */
int ui_panel_draw(ui_ctx *c, const ui_panel *p, int y);
/* log.c */
void ui_act_log(ui_ctx *c);
void ui_act_queue(ui_ctx *c);
void ui_act_orphans(ui_ctx *c);
void ui_act_log_open_call(ui_ctx *c);
void ui_act_log_filter(ui_ctx *c);
void ui_act_log_clear(ui_ctx *c);
void ui_act_filter_done(ui_ctx *c);
int ui_log_has_row(const ui_ctx *c);
int ui_log_is_log(const ui_ctx *c);
/* callview.c */
void ui_act_call_back(ui_ctx *c);
void ui_act_call_review(ui_ctx *c);
void ui_act_call_ack(ui_ctx *c);
void ui_act_call_link(ui_ctx *c);
void ui_act_call_case(ui_ctx *c);
void ui_act_call_correct(ui_ctx *c);
void ui_act_call_finish(ui_ctx *c);
void ui_act_call_discard(ui_ctx *c);
int ui_call_is_final(const ui_ctx *c);
int ui_call_may_review(const ui_ctx *c);
int ui_call_waiting(const ui_ctx *c);
int ui_call_has_case(const ui_ctx *c);
int ui_call_orphan(const ui_ctx *c);
/* caseview.c */
void ui_act_case(ui_ctx *c);
void ui_act_case_call(ui_ctx *c);
void ui_act_case_status(ui_ctx *c);
void ui_act_case_owner(ui_ctx *c);
void ui_act_case_due(ui_ctx *c);
/* correct.c */
void ui_act_correct_edit(ui_ctx *c);
void ui_act_correct_save(ui_ctx *c);
void ui_act_correct_leave(ui_ctx *c);
/* operators.c */
void ui_act_operators(ui_ctx *c);
void ui_act_operators_period(ui_ctx *c);
/* auditview.c */
void ui_act_audit(ui_ctx *c);
void ui_act_audit_from(ui_ctx *c);
void ui_act_audit_to(ui_ctx *c);
void ui_act_audit_actor(ui_ctx *c);
void ui_act_audit_action(ui_ctx *c);
/* stats.c: the statistics screen (supervisors and administrators). */
void ui_act_stats(ui_ctx *c);
void ui_act_stats_table(ui_ctx *c);
void ui_act_stats_grain(ui_ctx *c);
void ui_act_stats_prev(ui_ctx *c);
void ui_act_stats_next(ui_ctx *c);
void ui_act_stats_chart(ui_ctx *c);
void ui_act_stats_level(ui_ctx *c);
void ui_act_stats_write(ui_ctx *c);

#endif

/* run.c: ui_run, the key loop, the screen stack and dispatch, and the two
 * screens every other one uses: help and the yes/no question. */
#include "config.h"

#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "dovira/i18n.h"
#include "dovira/orgs.h"
#include "dovira/spool.h"
#include "dovira/sanitize.h"
#include "input.h"
#include "intake.h"
#include "ui_int.h"

/* ---- the screen stack ---- */

_Static_assert(SCR_NSCREENS <= 32, "the action table's screen masks hold 32 screens");

const ui_screen *ui_screen_get(ui_screen_id id)
{
	static const ui_screen *const all[SCR_NSCREENS] = {
#define UI_SCREEN_ENTRY(id, var) [id] = &var,
		UI_SCREENS(UI_SCREEN_ENTRY)
#undef UI_SCREEN_ENTRY
	};
	return all[id];
}

ui_screen_id ui_top(const ui_ctx *c)
{
	return c->stack[c->depth - 1].id;
}

static void frame_leave(ui_ctx *c, ui_frame *f)
{
	const ui_screen *scr = ui_screen_get(f->id);
	void *state = f->state;
	f->state = NULL;
	if (state && scr->leave)
		scr->leave(c, state);
}

static void top_enter(ui_ctx *c)
{
	ui_frame *f = &c->stack[c->depth - 1];
	const ui_screen *scr = ui_screen_get(f->id);
	if (scr->enter)
		scr->enter(c, f->state);
}

int ui_push_state(ui_ctx *c, ui_screen_id id, void *state)
{
	ui_frame f = {id, state};
	if (c->depth >= (int)(sizeof c->stack / sizeof *c->stack)) {
		dv_debug("screen stack full: %s not opened", ui_screen_get(id)->title);
		frame_leave(c, &f);
		return -1;
	}
	c->stack[c->depth++] = f;
	top_enter(c);
	return 0;
}

void ui_push(ui_ctx *c, ui_screen_id id)
{
	const ui_screen *scr = ui_screen_get(id);
	ui_push_state(c, id, scr->open ? scr->open(c) : NULL);
}

void ui_pop(ui_ctx *c)
{
	if (c->depth <= 1)
		return;
	/* Off the stack before it leaves, so that its leave sees the stack
	 * as it will be. */
	ui_frame f = c->stack[--c->depth];
	frame_leave(c, &f);
	top_enter(c);
}

void ui_stack_unwind(ui_ctx *c)
{
	while (c->depth > 0) {
		ui_frame f = c->stack[--c->depth];
		frame_leave(c, &f);
	}
}

void ui_goto(ui_ctx *c, ui_screen_id id)
{
	ui_stack_unwind(c);
	ui_push(c, id);
}

void *ui_state(const ui_ctx *c, ui_screen_id id)
{
	for (int i = c->depth; i-- > 0;)
		if (c->stack[i].id == id)
			return c->stack[i].state;
	return NULL;
}

void *ui_take_state(ui_ctx *c)
{
	void *state = c->stack[c->depth - 1].state;
	c->stack[c->depth - 1].state = NULL;
	return state;
}

void ui_replace_state(ui_ctx *c, ui_screen_id id, void *state)
{
	ui_frame f = {id, state};
	for (int i = c->depth; i-- > 0;)
		if (c->stack[i].id == id) {
			f.state = c->stack[i].state;
			c->stack[i].state = state;
			break;
		}
	frame_leave(c, &f);
}

void ui_draw_below(ui_ctx *c)
{
	if (c->depth < 2)
		return;
	/* Hidden for the while: the screen below draws, and asks ui_top and
	 * ui_state, as if it were on top. */
	c->depth--;
	ui_screen_get(ui_top(c))->draw(c);
	c->depth++;
}

void ui_stack_update(ui_ctx *c)
{
	ui_frame *f = &c->stack[c->depth - 1];
	const ui_screen *scr = ui_screen_get(f->id);
	if (scr->update)
		scr->update(c, f->state);
}

void ui_stack_resize(ui_ctx *c)
{
	for (int i = 0; i < c->depth; i++) {
		const ui_screen *scr = ui_screen_get(c->stack[i].id);
		if (scr->resize)
			scr->resize(c, c->stack[i].state);
	}
}

/* ---- dispatch ---- */

int ui_action_applies_on(const ui_ctx *c, const ui_action *a, ui_screen_id scr)
{
	return (a->screens & SCR_BIT(scr)) && session_may(c->s, a->roles) &&
	       (!a->available || a->available(c));
}

static int action_applies(const ui_ctx *c, const ui_action *a)
{
	return ui_action_applies_on(c, a, ui_top(c));
}

size_t ui_actions_now(const ui_ctx *c, const ui_action **out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < ui_nactions && n < max; i++)
		if (action_applies(c, &ui_actions[i]))
			out[n++] = &ui_actions[i];
	return n;
}

static const ui_action *action_for(const ui_ctx *c, ui_key k)
{
	for (size_t i = 0; i < ui_nactions; i++) {
		const ui_action *a = &ui_actions[i];
		if (!action_applies(c, a))
			continue;
		for (size_t j = 0; a->keys[j] != UK_NONE; j++)
			if (a->keys[j] == k)
				return a;
	}
	return NULL;
}

static void run_action(ui_ctx *c, const ui_action *a)
{
	dv_debug("action %s", a->name);
	/* The role is read again before every action: an account removed or
	 * demoted while this session is open loses its rights now. A failed
	 * read (locked) keeps the role last read; the core checks again. */
	dv_error e;
	dv_error_clear(&e);
	db_set_busy_timeout(c->s->db, 200);
	int code = session_recheck(c->s, &e);
	db_set_busy_timeout(c->s->db, 5000);
	if (code == DV_EUNKNOWN) {
		snprintf(c->exit_note, sizeof c->exit_note, "%.*s", (int)sizeof c->exit_note - 1, e.msg);
		c->quit = 1;
		return;
	}
	if (!session_may(c->s, a->roles)) {
		ui_say(c, COLOR_ERROR, _("your role no longer allows this (%s)"), staff_role_label(c->s->role));
		return;
	}
	a->run(c);
}

void ui_dispatch(ui_ctx *c, ui_key k)
{
	if (k == UK_NONE)
		return;
	const ui_screen *scr = ui_screen_get(ui_top(c));
	const ui_action *a = action_for(c, k);
	int typing = scr->typing && scr->typing(c);
	/* F-keys, Ctrl keys and the like belong to the actions first; a
	 * printable key belongs to the field first. */
	if (a && !UK_IS_CHAR(k)) {
		run_action(c, a);
		return;
	}
	if (scr->key && scr->key(c, k))
		return;
	if (a && !typing)
		run_action(c, a);
}

/* ---- actions every screen shares ---- */

static void quit_now(ui_ctx *c)
{
	c->quit = 1;
}

/* A stray q during a call must not end the session: ask first. The call
 * is kept as a draft either way (never lost), so Ctrl-C (quit-now) still
 * leaves at once. */
void ui_act_quit(ui_ctx *c)
{
	if (c->call && !c->call->final)
		ui_ask(c, quit_now, _("Leave dovira during the call %s? It is kept as a draft and offered at the next start."),
		       c->call->case_code);
	else
		quit_now(c);
}

void ui_act_quit_now(ui_ctx *c)
{
	quit_now(c);
}

void ui_act_help(ui_ctx *c)
{
	if (ui_top(c) == SCR_HELP)
		return;
	ui_push_state(c, SCR_HELP, xcalloc(1, sizeof(ui_pager)));
}

void ui_act_close(ui_ctx *c)
{
	ui_pop(c);
}

void ui_act_redraw(ui_ctx *c)
{
	(void)c;
	clearok(curscr, TRUE);
}

/* ---- the help screen: the table, and the fields' own keys ---- */

#define HELP_KEYS_W 29

/* One entry of the help: its keys, and what it does wrapped beside them. */
static void help_line(ui_pager *p, const char *keys, const char *what)
{
	if (!*what) {
		ui_pager_add(p, COLOR_NORMAL, 0, NULL);
		return;
	}
	size_t first = p->n;
	ui_pager_add_wrapped(p, keys, COLOR_NORMAL, 0, what, COLS - HELP_KEYS_W - 5);
	if (p->n > first)
		p->v[first].label_color = COLOR_BAR_KEY;
}

static void keys_text(const ui_action *a, char *out, size_t size)
{
	out[0] = '\0';
	for (size_t j = 0; a->keys[j] != UK_NONE; j++) {
		char k[32];
		ui_key_name(a->keys[j], k, sizeof k);
		/* The Ukrainian-layout twins of letter keys are not listed. */
		if (a->keys[j] >= 0x400 && a->keys[j] < 0x500)
			continue;
		size_t len = strlen(out);
		snprintf(out + len, size - len, "%s%s", len ? ", " : "", k);
	}
}

/* The help of the screen below: the actions as its own dispatch sees
 * them, then the keys of its fields. Built from the tables (no database),
 * so it is built afresh for each drawing, at the width of the screen. */
static void help_fill(ui_ctx *c, const ui_screen *scr)
{
	ui_pager *p = ui_state(c, SCR_HELP);
	char keys[128];
	ui_pager_clear(p);
	p->label_w = HELP_KEYS_W;
	c->depth--;
	const ui_action *a[64];
	size_t n = ui_actions_now(c, a, 64);
	c->depth++;
	for (size_t i = 0; i < n; i++) {
		keys_text(a[i], keys, sizeof keys);
		help_line(p, keys, _(a[i]->label));
	}
	for (const char *const *h = scr->field_help; h && h[0]; h += 2)
		help_line(p, _(h[0]), _(h[1]));
	help_line(p, "", "");
	char *closing = ui_hint(c, SCR_HELP, _("{close-help} closes this help; \u2191 \u2193 scroll."));
	help_line(p, "", closing);
	free(closing);
}

static void help_draw(ui_ctx *c)
{
	ui_clear_body(c);
	ui_screen_id under = c->stack[c->depth > 1 ? c->depth - 2 : 0].id;
	const ui_screen *scr = ui_screen_get(under);
	ui_put(c, 1, 2, COLS - 4, COLOR_HEADING, 0, _(scr->title));
	help_fill(c, scr);
	ui_pager_draw(ui_state(c, SCR_HELP), c, 2, 2, LINES - 4, COLS - 3);
}

static int help_key(ui_ctx *c, ui_key k)
{
	return ui_pager_key(ui_state(c, SCR_HELP), k);
}

static void help_leave(ui_ctx *c, void *state)
{
	(void)c;
	ui_pager_free(state);
	free(state);
}

const ui_screen ui_help_screen = {
	.id = SCR_HELP,
	.title = N_("Help"),
	.draw = help_draw,
	.key = help_key,
	.leave = help_leave,
};

/* ---- the yes/no question ---- */

typedef struct ui_confirm {
	char question[512];
	void (*yes)(ui_ctx *c);
} ui_confirm;

void ui_ask(ui_ctx *c, void (*yes)(ui_ctx *), const char *fmt, ...)
{
	ui_confirm *q = xcalloc(1, sizeof *q);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(q->question, sizeof q->question, fmt, ap);
	va_end(ap);
	q->yes = yes;
	ui_push_state(c, SCR_CONFIRM, q);
}

static void confirm_leave(ui_ctx *c, void *state)
{
	(void)c;
	free(state);
}

void ui_act_yes(ui_ctx *c)
{
	const ui_confirm *q = ui_state(c, SCR_CONFIRM);
	void (*yes)(ui_ctx *) = q ? q->yes : NULL;
	ui_pop(c);
	if (yes)
		yes(c);
}

static void confirm_draw(ui_ctx *c)
{
	/* The screen below stays visible; the question sits in a box. */
	ui_draw_below(c);
	int w = COLS - 16, y = LINES / 2 - 3;
	for (int i = 0; i < 5; i++)
		ui_put(c, y + i, 8, w, COLOR_SELECTED, 1, "");
	const ui_confirm *q = ui_state(c, SCR_CONFIRM);
	ui_put_wrapped(c, y + 1, 10, 2, w - 4, COLOR_SELECTED, q ? q->question : "");
	char *answers = ui_hint(c, SCR_CONFIRM, _("{yes} \u2014 yes    {no} \u2014 no"));
	ui_put(c, y + 3, 10, w - 4, COLOR_SELECTED, 0, answers);
	free(answers);
}

const ui_screen ui_confirm_screen = {
	.id = SCR_CONFIRM,
	.title = N_("Are you sure?"),
	.draw = confirm_draw,
	.leave = confirm_leave,
};

/* ---- the loop ---- */

/* Milliseconds to the next whole second, so the timer ticks on time. */
static int ms_to_next_second(void)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	return 1000 - (int)(tv.tv_usec / 1000);
}

/* While the terminal is too small, only a quit key and resizing apply:
 * the operator cannot see what a key would do. */
/* Too small to draw anything: only the quit action's keys work (the
 * notice names them from the table). */
static void key_while_too_small(ui_ctx *c, ui_key k)
{
	const ui_action *quit = ui_action_named("quit");
	for (size_t i = 0; quit && quit->keys[i] != UK_NONE; i++)
		if (quit->keys[i] == k)
			c->quit = 1;
}

static void handle_key(ui_ctx *c, ui_key k)
{
	if (k == UK_RESIZE) {
		ui_stack_resize(c);
		clearok(curscr, TRUE);
		return;
	}
	if (k == UK_PASTE)
		dv_debug("paste of %zu bytes", c->paste.len);
	if (c->too_small)
		key_while_too_small(c, k);
	else
		ui_dispatch(c, k);
}

/* After each key: mark this session active on its call (the lease's time,
 * at most every 5 s), and close a call another session has taken over. */
static void note_activity(ui_ctx *c)
{
	if (c->call && c->call_lost) {
		ui_intake_end_call(c);
		ui_say(c, COLOR_ERROR, _("This call was taken over by another session of your account; it is no longer saved here."));
		return;
	}
	if (c->call && dv_now() - c->lease_touched >= 5) {
		spool_lease_touch(c->spool, c->call->id);
		c->lease_touched = dv_now();
	}
}

static void handle_signal(ui_ctx *c)
{
	ui_signal sig = ui_signal_take();
	if (sig == SIG_HANGUP_)
		c->hangup = 1;
	else if (sig == SIG_QUIT_)
		c->quit = 1;
}

/* Work for idle moments: the directory's search is made ready (the row
 * lengths, the filter columns, every first letter's matches; after
 * another session's change, the kept matches patched), one small piece a
 * call, each piece abandoned as soon as a key is waiting, so that no key
 * waits for it and the first search of a letter, or the first after a
 * change, is as fast as any. Returns 1 while there is more to do. */
static int idle_work(ui_ctx *c)
{
	dv_error e;
	dv_error_clear(&e);
	int more = orgs_search_warm(c->s->db, ui_input_waiting, NULL, &e);
	if (more < 0)
		dv_debug("warming the directory search: %s", e.msg);
	return more > 0;
}

static void loop(ui_ctx *c)
{
	time_t last_tick = 0;
	int dirty = 1, idle = 1;
	while (!c->quit && !c->hangup) {
		time_t now = dv_now();
		if (now != last_tick) {
			last_tick = now;
			ui_intake_tick(c);
			dirty = 1;
			idle = 1; /* another session may have changed the directory */
		}
		/* After every key too: the top screen reads what changed (back
		 * on the start screen, its figures) before it is drawn. */
		ui_stack_update(c);
		if (dirty)
			ui_draw_all(c);
		ui_key k;
		ui_input in;
		while ((in = ui_read_key(0, &k, &c->paste)) == IN_TIMEOUT && idle && dv_now() == last_tick)
			idle = idle_work(c);
		if (in == IN_TIMEOUT)
			in = ui_read_key(ms_to_next_second(), &k, &c->paste);
		switch (in) {
		case IN_KEY: handle_key(c, k); note_activity(c); dirty = 1; idle = 1; break;
		case IN_SIGNAL: handle_signal(c); break;
		case IN_HANGUP: c->hangup = 1; break;
		case IN_TIMEOUT: dirty = 0; break;
		}
	}
	handle_signal(c);
}

/* ---- starting and leaving ---- */

static void find_draft(ui_ctx *c)
{
	dv_error e;
	dv_error_clear(&e);
	c->draft = calls_find_draft(c->s, &e);
	if (!c->draft && e.code != DV_OK)
		ui_say(c, COLOR_ERROR, "%s", e.msg);
	/* A draft an earlier session could not write is newer than any in
	 * the database: offer it first. */
	call_record *kept = spool_find(c->s, &c->spooled);
	if (kept) {
		call_free(c->draft);
		c->draft = kept;
	}
}

static int start_curses(ui_ctx *c)
{
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, _("dovira: the screens need a terminal; run a command instead (see 'dovira --help')\n"));
		return -1;
	}
	if (ui_term_can_address() == 0) {
		fprintf(stderr, _("dovira: the terminal type '%s' cannot move the cursor, which the screens need; use a terminal such as xterm, PuTTY or Windows Terminal (TERM=xterm-256color), or run a command (see 'dovira --help')\n"),
			getenv("TERM") ? getenv("TERM") : "");
		return -1;
	}
	c->term = newterm(NULL, stdout, stdin);
	if (!c->term) {
		sanitize_fprintf(stderr, _("dovira: the terminal type '%s' is unknown; set TERM (for example TERM=xterm-256color)\n"),
			getenv("TERM") ? getenv("TERM") : "");
		return -1;
	}
	ui_theme_init(&c->theme, c->opt.mono);
	ui_input_init();
	return 0;
}

/* A draft the database still would not take goes to the spool. */
static void keep_in_spool(ui_ctx *c)
{
	dv_error e;
	dv_error_clear(&e);
	if (c->spool && spool_keep(c->spool, c->call, &e) == DV_OK)
		snprintf(c->exit_note, sizeof c->exit_note,
			 _("the call %s could not be written to the database yet; it is kept, and your next start offers it"),
			 c->call->case_code);
	else
		snprintf(c->exit_note, sizeof c->exit_note, _("the call %s could not be written to the database: %.300s"),
			 c->call->case_code, c->spool ? e.msg : _("no spool file"));
}

static void leave(ui_ctx *c)
{
	/* On a hang-up the program must be gone within a second. */
	int code = ui_save_draft(c, c->hangup ? 300 : 2000);
	if (c->call && c->call_lost)
		snprintf(c->exit_note, sizeof c->exit_note, "%s",
			 _("This call was taken over by another session of your account; it is no longer saved here."));
	else if (c->call && c->save_pending)
		keep_in_spool(c);
	else if (code != DV_OK && c->exit_note[0] == '\0')
		snprintf(c->exit_note, sizeof c->exit_note, "%s", c->status);
	ui_intake_close(c);
	/* Every screen frees what it holds, whether the operator quit or
	 * the terminal went away. */
	ui_stack_unwind(c);
	if (!c->hangup)
		ui_input_done();
	endwin();
	if (c->exit_note[0] && !c->hangup)
		sanitize_fprintf(stderr, "dovira: %s\n", c->exit_note);
}

int ui_run(dv_session *s, const ui_options *opt)
{
	ui_ctx c;
	memset(&c, 0, sizeof c);
	c.s = s;
	if (opt)
		c.opt = *opt;
	ui_signals_install();
	if (start_curses(&c) != 0)
		return UI_EXIT_FAIL;
	ui_goto(&c, SCR_START);
	dv_error e;
	dv_error_clear(&e);
	c.spool = spool_open(s, &e);
	if (!c.spool)
		dv_debug("no spool: %s", e.msg);
	find_draft(&c);
	ui_drafts_reload(&c);
	ui_stack_update(&c); /* the start screen's figures, under a draft offered */
	if (c.draft)
		ui_push(&c, SCR_RESUME);
	loop(&c);
	leave(&c);
	call_free(c.draft);
	spool_close(c.spool);
	free(c.spooled);
	ui_drafts_free(&c);
	dv_buf_free(&c.paste);
	delscreen(c.term);
	return c.hangup ? UI_EXIT_HANGUP : UI_EXIT_OK;
}

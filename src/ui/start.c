/* start.c: the start screen (who you are, your role, the database; begin a
 * call), the non-data call picker, and the offer to resume a draft. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dovira/i18n.h"
#include "dovira/spool.h"
#include "ui_int.h"

/* ---- the start screen ---- */

static int field_row(ui_ctx *c, int y, const char *label, const char *value)
{
	ui_put(c, y, 3, 16, COLOR_HINT, 0, label);
	ui_put(c, y, 20, COLS - 22, COLOR_NORMAL, 0, value);
	return y + 1;
}

/* The actions of the screen, listed as its menu (straight from the table,
 * so the menu offers nothing that does not exist); in two columns when
 * one does not fit above the hint. */
static int draw_menu(ui_ctx *c, int y)
{
	const ui_action *a[32], *shown[32];
	size_t n = ui_actions_now(c, a, 32), k = 0;
	for (size_t i = 0; i < n; i++)
		if (a[i]->on_bar)
			shown[k++] = a[i];
	int room = LINES - 6 - y, cols = (int)k > room && room > 0 ? 2 : 1;
	int per = cols == 2 ? ((int)k + 1) / 2 : (int)k, w = cols == 2 ? (COLS - 6) / 2 : COLS - 6;
	for (size_t i = 0; i < k; i++) {
		char k1[32], k2[32] = "";
		int row = y + (int)i % per, x = 3 + (int)i / per * w;
		if (row >= LINES - 3)
			continue;
		ui_key_name(shown[i]->keys[0], k1, sizeof k1);
		if (shown[i]->keys[1] != UK_NONE)
			ui_key_name(shown[i]->keys[1], k2, sizeof k2);
		ui_put(c, row, x + 2, 5, COLOR_BAR_KEY, 1, k1);
		ui_put(c, row, x + 8, 4, COLOR_BAR_KEY, 1, k2);
		ui_put(c, row, x + 13, w - 14, COLOR_NORMAL, 0, _(shown[i]->label));
	}
	return y + per;
}

static void start_draw(ui_ctx *c)
{
	char who[160];
	ui_clear_body(c);
	int y = 2;
	ui_put(c, y++, 3, COLS - 6, COLOR_HEADING, 0,
	       _("Hotline on work abroad and human trafficking"));
	/* The supervisors' panel needs the rows: the heading stands alone. */
	y += !session_may(c->s, ROLES_SUPERVISION);
	snprintf(who, sizeof who, "%s \u2014 %s", c->s->login, staff_role_label(c->s->role));
	y = field_row(c, y, _("You are:"), who);
	y = field_row(c, y, _("Office:"), c->s->office);
	char *path = text_cut_left(c->s->db_path, COLS - 22);
	y = field_row(c, y, _("Database:"), path);
	free(path);
	/* Every waiting draft, newest first (r resumes the newest). */
	for (size_t i = 0; i < c->ndrafts && i < 4; i++)
		y = field_row(c, y, i ? "" : _("Waiting:"), c->draft_lines[i]);
	if (c->ndrafts > 4) {
		char more[96];
		snprintf(more, sizeof more, _("and %zu more"), c->ndrafts - 4);
		y = field_row(c, y, "", more);
	}
	y = ui_panel_draw(c, ui_state(c, SCR_START), y);
	y += 1;
	draw_menu(c, y);
	char *hint = ui_hint(c, SCR_START, _("A call without data (silent, hung up, abusive, wrong number, test) takes two keys: {non-data}, then its number."));
	ui_put_wrapped(c, LINES - 5, 3, 2, COLS - 6, COLOR_HINT, hint);
	free(hint);
}

/* The panel is the start screen's: read when the screen shows (again),
 * and every 20 seconds while it stays. */
static void *start_open(ui_ctx *c)
{
	(void)c;
	return ui_panel_new();
}

static void start_enter(ui_ctx *c, void *state)
{
	(void)c;
	if (state)
		ui_panel_stale(state);
}

static void start_update(ui_ctx *c, void *state)
{
	if (state && !c->call)
		ui_panel_update(c, state);
}

static void start_leave(ui_ctx *c, void *state)
{
	(void)c;
	ui_panel_free(state);
}

const ui_screen ui_start_screen = {
	.id = SCR_START,
	.title = N_("Start"),
	.draw = start_draw,
	.open = start_open,
	.update = start_update,
	.enter = start_enter,
	.leave = start_leave,
};

int ui_have_draft(const ui_ctx *c)
{
	return c->draft != NULL;
}

void ui_drafts_free(ui_ctx *c)
{
	for (size_t i = 0; i < c->ndrafts; i++)
		free(c->draft_lines[i]);
	free(c->draft_lines);
	c->draft_lines = NULL;
	c->ndrafts = 0;
}

/* "XXXX-XXXX, 2026-12-02 05:40, at: Who is calling?" */
static char *draft_line(ui_ctx *c, const call_record *d)
{
	char when[64];
	struct tm tm;
	localtime_r(&d->started_at, &tm);
	strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
	char *q = ui_intake_question_of(c, d->step);
	/* TRANSLATORS: a waiting draft: its case code, when it started, the question it stopped at. */
	char *line = xasprintf(_("%s, %s, at: %s"), d->case_code, when, q ? q : "\u2014");
	free(q);
	return line;
}

void ui_drafts_reload(ui_ctx *c)
{
	dv_error e;
	call_record **v;
	ui_drafts_free(c);
	size_t n = calls_list_drafts(c->s, &v, &e);
	c->draft_lines = xcalloc(n + 1, sizeof *c->draft_lines);
	for (size_t i = 0; i < n; i++)
		if (!c->call || strcmp(v[i]->id, c->call->id) != 0)
			c->draft_lines[c->ndrafts++] = draft_line(c, v[i]);
	if (!c->draft && !c->call && n) {
		c->draft = v[0];
		v[0] = NULL;
	}
	calls_free_list(v, n);
}

/* ---- a call without data: x, then one digit ---- */

static const call_kind nondata_kinds[] = {
	CALL_SILENT, CALL_HANGUP, CALL_ABUSIVE, CALL_WRONG_NUMBER, CALL_TEST,
};
#define NNONDATA (sizeof nondata_kinds / sizeof *nondata_kinds)

void ui_act_nondata(ui_ctx *c)
{
	ui_push(c, SCR_NONDATA);
}

static void nondata_draw(ui_ctx *c)
{
	start_draw(c);
	int h = (int)NNONDATA + 4, w = 50;
	int y = (LINES - h) / 2, x = (COLS - w) / 2;
	for (int i = 0; i < h; i++)
		ui_put(c, y + i, x, w, COLOR_SELECTED, 1, "");
	ui_put(c, y + 1, x + 2, w - 4, COLOR_SELECTED, 0, _("Call without data: press its number"));
	for (size_t i = 0; i < NNONDATA; i++) {
		char line[160];
		snprintf(line, sizeof line, "%zu  %s", i + 1, calls_kind_label(nondata_kinds[i]));
		ui_put(c, y + 3 + (int)i, x + 4, w - 6, COLOR_SELECTED, 0, line);
	}
}

static void log_nondata(ui_ctx *c, call_kind kind)
{
	dv_error e;
	char code[10] = "";
	dv_error_clear(&e);
	ui_pop(c);
	if (calls_log_nondata(c->s, kind, 0, code, &e) != DV_OK) {
		ui_say(c, COLOR_ERROR, "%s", e.msg);
		return;
	}
	/* TRANSLATORS: %1$s is the kind of call ("silent call"), %2$s its case code. */
	ui_say(c, COLOR_OK, _("Logged: %1$s (%2$s)."), calls_kind_label(kind), code);
}

static int nondata_key(ui_ctx *c, ui_key k)
{
	if (k >= '1' && k < '1' + (int)NNONDATA) {
		log_nondata(c, nondata_kinds[k - '1']);
		return 1;
	}
	return 0;
}

static const char *const nondata_help[] = {
	N_("1 \u2026 5"), N_("log the call of that kind at once"),
	NULL,
};

const ui_screen ui_nondata_screen = {
	.id = SCR_NONDATA,
	.title = N_("Call without data"),
	.draw = nondata_draw,
	.key = nondata_key,
	.field_help = nondata_help,
};

/* ---- an unfinished call from before ---- */

/* 1 if another live session of this account has the draft open and was
 * active lately (spool.h); msg then says so and when it can be taken. */
static int draft_elsewhere(ui_ctx *c, char *msg, size_t size)
{
	long idle = 0;
	if (!c->draft || spool_lease_check(c->spool, c->draft->id, &idle) != LEASE_LIVE)
		return 0;
	snprintf(msg, size, _("This call is open in another session of your account (active %ld s ago). It can be taken over once that session ends or has been idle for %d minutes."),
		 idle, SPOOL_IDLE_LIMIT_S / 60);
	return 1;
}

static void resume_draw(ui_ctx *c)
{
	char when[64], line[256];
	call_record *d = c->draft;
	ui_clear_body(c);
	if (!d)
		return;
	struct tm tm;
	localtime_r(&d->started_at, &tm);
	strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
	int y = 2;
	ui_put(c, y++, 3, COLS - 6, COLOR_WARNING, 0, _("An unfinished call was kept as a draft."));
	if (c->spooled)
		ui_put(c, y++, 3, COLS - 6, COLOR_HINT, 0, _("The database could not take it when it was typed; resuming saves it."));
	char held[256];
	if (draft_elsewhere(c, held, sizeof held))
		y += ui_put_wrapped(c, y, 3, 3, COLS - 6, COLOR_ERROR, held);
	y++;
	y = field_row(c, y, _("Case code:"), d->case_code);
	y = field_row(c, y, _("Started:"), when);
	char *q = ui_intake_question_of(c, d->step);
	snprintf(line, sizeof line, "%s", q ? q : "\u2014");
	free(q);
	y = field_row(c, y, _("Stopped at:"), line);
	if (d->col[COL_NOTES] && d->col[COL_NOTES][0]) {
		ui_put(c, y++, 3, 16, COLOR_HINT, 0, _("Notes:"));
		y += ui_put_wrapped(c, y, 5, 4, COLS - 10, COLOR_NORMAL, d->col[COL_NOTES]);
	}
	y++;
	draw_menu(c, y);
}

const ui_screen ui_resume_screen = {
	.id = SCR_RESUME,
	.title = N_("Unfinished call"),
	.draw = resume_draw,
};

void ui_act_resume(ui_ctx *c)
{
	char held[256];
	if (!c->draft)
		return;
	if (draft_elsewhere(c, held, sizeof held)) {
		ui_say(c, COLOR_ERROR, "%s", held);
		return;
	}
	dv_error e;
	if (spool_lease_take(c->spool, c->draft->id, &e) != DV_OK)
		dv_debug("no lease: %s", e.msg);
	c->status[0] = '\0'; /* a refusal shown before no longer applies */
	c->call = c->draft;
	c->draft = NULL;
	if (ui_intake_open(c) != 0) {
		c->draft = c->call;
		c->call = NULL;
		ui_goto(c, SCR_START);
		return;
	}
	ui_goto(c, SCR_INTAKE);
	if (c->spooled)
		ui_save_draft(c, 1000);
}

static void discard_draft(ui_ctx *c)
{
	dv_error e;
	dv_error_clear(&e);
	if (!c->draft)
		return;
	char code[10];
	memcpy(code, c->draft->case_code, sizeof code);
	if (calls_discard(c->s, c->draft, &e) != DV_OK) {
		ui_say(c, COLOR_ERROR, "%s", e.msg);
		return;
	}
	call_free(c->draft);
	c->draft = NULL;
	spool_forget(c->spooled);
	free(c->spooled);
	c->spooled = NULL;
	ui_drafts_reload(c);
	ui_goto(c, SCR_START);
	ui_say(c, COLOR_OK, _("The unfinished call %s was discarded."), code);
}

void ui_act_discard_draft(ui_ctx *c)
{
	char held[256];
	if (c->draft && draft_elsewhere(c, held, sizeof held))
		ui_say(c, COLOR_ERROR, "%s", held);
	else if (c->draft)
		ui_ask(c, discard_draft, _("Discard the unfinished call %s? Its answers and notes are deleted."),
		       c->draft->case_code);
}

void ui_act_later(ui_ctx *c)
{
	ui_goto(c, SCR_START);
}

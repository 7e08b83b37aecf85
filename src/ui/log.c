/* log.c: the call log. Newest first, a page at a time: the core answers
 * the next page after the last row shown (keyset paging), so moving
 * through any filter stays instant on a million calls. Operators see their
 * own calls only (the core enforces it), supervisors and administrators
 * all.
 *
 * Typing goes to the case code field: once eight code characters are
 * typed (any case, with or without the dash, Latin or the Cyrillic
 * look-alikes a Ukrainian layout types, or the Latin keys pressed with
 * the Ukrainian layout on) the log shows that case's calls.
 * Every other action is an F-key or a Ctrl key, since letters are typed.
 * The filters are a form of their own (F5), one row per filter; they
 * combine, and the line under the title says which hold.
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "desk.h"
#include "dovira/i18n.h"

#define LOG_TOP 3
#define PAGE 60

/* The filters as the form holds them: an index into each filter's
 * choices (0 is "any"), and the typed values. */
enum {
	F_PERIOD, F_FROM, F_TO, F_OFFICE, F_OPERATOR, F_KIND, F_TOPIC, F_RISK, F_STATUS,
	F_CALLBACK, F_FLAG, F_REVIEWED, F_CASE_STATUS, F_QUEUE, F_NFILTERS
};

enum { P_ANY, P_TODAY, P_SHIFT, P_WEEK, P_MONTH, P_RANGE };  /* P_MONTH: 30 days */

struct ui_log {
	ui_ctx *c;             /* for the lists' callbacks: they read through the session */
	ui_list list;          /* the rows */
	ui_edit code_field;    /* the case code being typed */
	desk_row *rows;
	size_t n;
	int older, newer;      /* 1: more rows beyond the window's end, start */
	desk_cursor next;      /* the window's last row: older pages start there */
	desk_cursor first;     /* its first row: newer pages end there */
	int appending;         /* 1: reload must keep the rows (a page was added) */
	char code[10];         /* the case the log is narrowed to, or "" */
	int orphans;           /* 1: other operators' drafts left behind, not the log */
	int choice[F_NFILTERS];/* the choice of each filter (0: any) */
	char *text[F_NFILTERS];/* typed values: from, to, office, operator, topic */
	ui_list form;          /* the filter form's rows */
	int editing;           /* the filter whose value is being chosen or typed */
};

/* ---- the filter's choices ---- */

static const char *period_label(int i)
{
	static const char *const v[] = {
		N_("any time"), N_("today"), N_("this shift (12 hours)"), N_("the last 7 days"),
		N_("the last 30 days"), N_("from / to, UTC (below)"),
	};
	return i >= 0 && i < (int)(sizeof v / sizeof *v) ? _(v[i]) : "";
}

/* Yes/no filters: "any", then the two answers. */
static const char *const yesno_labels[F_NFILTERS][3] = {
	[F_STATUS] = {N_("final and drafts"), N_("final only"), N_("drafts only")},
	[F_CALLBACK] = {N_("any"), N_("call-back agreed"), N_("no call-back")},
	[F_REVIEWED] = {N_("any"), N_("reviewed"), N_("not reviewed")},
	[F_QUEUE] = {N_("any"), N_("waiting for a supervisor"), N_("acknowledged")},
};

static const char *const risk_codes[] = {NULL, "none", "possible", "likely"};
static const char *const case_status_codes[] = {NULL, "open", "follow_up", "closed", "none"};

/* A date typed as YYYY-MM-DD (UTC, as the command line takes it); -1 if
 * malformed. */
static time_t parse_day(const char *s)
{
	return s && strlen(s) == 10 ? dv_parse_utc(s) : -1;
}

/* The named periods of the core (desk_period), by choice. */
static const char *const period_names[] = {NULL, "today", "shift", "week", "month"};

/* The form's choices as the core's filter. */
static void to_filter(const ui_log *l, desk_filter *f)
{
	time_t now = dv_now();
	desk_filter_init(f);
	int p = l->choice[F_PERIOD];
	if (p > P_ANY && p < P_RANGE) {
		dv_error e;
		desk_period(period_names[p], now, &f->from, &f->to, &e);
	} else if (p == P_RANGE) {
		f->from = parse_day(l->text[F_FROM]) > 0 ? parse_day(l->text[F_FROM]) : 0;
		f->to = parse_day(l->text[F_TO]) > 0 ? parse_day(l->text[F_TO]) + 86400 : 0;
	}
	f->office = l->text[F_OFFICE];
	f->operator_login = l->text[F_OPERATOR];
	f->kind = l->choice[F_KIND] ? l->choice[F_KIND] - 1 : -1;
	f->topic = l->text[F_TOPIC];
	f->risk = risk_codes[l->choice[F_RISK]];
	f->final = l->choice[F_STATUS] == 1 ? 1 : l->choice[F_STATUS] == 2 ? 0 : -1;
	f->callback = l->choice[F_CALLBACK] == 1 ? 1 : l->choice[F_CALLBACK] == 2 ? 0 : -1;
	f->flagged = l->choice[F_FLAG] == 1 ? 1 : l->choice[F_FLAG] == 2 ? 0 : -1;
	f->flags = l->choice[F_FLAG] > 2 ? 1u << (l->choice[F_FLAG] - 3) : 0;
	f->reviewed = l->choice[F_REVIEWED] == 1 ? 1 : l->choice[F_REVIEWED] == 2 ? 0 : -1;
	f->case_status = case_status_codes[l->choice[F_CASE_STATUS]];
	f->queue = l->choice[F_QUEUE] == 1 ? 1 : l->choice[F_QUEUE] == 2 ? 2 : -1;
	f->case_code = l->code[0] ? l->code : NULL;
	f->draft_age = l->orphans ? DESK_SHIFT_SECONDS : 0;
}

/* ---- the rows: a window of the log, grown a page at a time ---- */

static void free_rows(ui_log *l)
{
	desk_rows_free(l->rows, (long)l->n);
	l->rows = NULL;
	l->n = 0;
	l->older = l->newer = 0;
	memset(&l->next, 0, sizeof l->next);
	memset(&l->first, 0, sizeof l->first);
}

static int cursor_set(const desk_cursor *k)
{
	return k->at[0] || k->seq;
}

/* Add a page of n rows at the end of the window, or at its start. */
static void take_page(ui_log *l, desk_row *page, size_t n, int at_start)
{
	if (!n) {
		free(page);
		return;
	}
	l->rows = xrealloc(l->rows, (l->n + n + 1) * sizeof *l->rows);
	if (at_start) {
		memmove(l->rows + n, l->rows, l->n * sizeof *l->rows);
		memcpy(l->rows, page, n * sizeof *page);
	} else {
		memcpy(l->rows + l->n, page, n * sizeof *page);
	}
	free(page); /* its strings moved to l->rows */
	l->n += n;
}

/* The next page: older than the window (or the newest, when empty), or
 * newer than it (newer 1), or the oldest page (newer 2: End). Returns the
 * rows added, or -1 (the reason on the status line). */
static long fetch(ui_ctx *c, ui_log *l, int newer)
{
	desk_filter f;
	dv_error e;
	dv_error_clear(&e);
	to_filter(l, &f);
	desk_row *page = NULL;
	desk_cursor k;
	memset(&k, 0, sizeof k);
	long n = newer ? desk_log_page_before(c->s, &f, newer == 1 ? &l->first : NULL, PAGE, &page, &k, &e)
		       : desk_log_page(c->s, &f, l->n ? &l->next : NULL, PAGE, &page, &k, &e);
	if (n < 0) {
		ui_say(c, COLOR_ERROR, "%s", e.msg);
		return -1;
	}
	take_page(l, page, (size_t)n, newer == 1);
	if (newer) {
		l->first = k;
		l->newer = cursor_set(&k);
		if (newer == 2) {
			l->older = 0;
			if (l->n)
				desk_cursor_at(&l->rows[l->n - 1], &l->next);
		}
	} else {
		l->next = k;
		l->older = n == PAGE;
	}
	return n;
}

static ui_log *log_of(const ui_ctx *c)
{
	return ui_state(c, SCR_LOG);
}

static void log_reload_rows(void *data, const char *typed)
{
	ui_log *l = data;
	ui_ctx *c = l->c;
	(void)typed;
	if (l->appending)
		return;
	free_rows(l);
	fetch(c, l, 0);
}

static size_t log_count(void *data)
{
	return ((ui_log *)data)->n;
}


/* The columns: time, case code, operator, office, what, risk, referrals,
 * flags; what (kind or topic) takes the width left. */
enum { W_WHEN = 12, W_CODE = 10, W_OPER = 10, W_OFFICE = 8, W_RISK = 10, W_REFS = 4, W_FLAGS = 7 };

static int what_width(int total)
{
	int w = total - W_WHEN - W_CODE - W_OPER - W_OFFICE - W_RISK - W_REFS - W_FLAGS;
	return w > 6 ? w : 6;
}

static void log_draw_row(void *data, size_t i, ui_row *r)
{
	const ui_log *l = data;
	ui_ctx *c = l->c;
	const desk_row *row = &l->rows[i];
	char when[20], refs[8], flags[16];
	struct tm tm;
	localtime_r(&row->started_at, &tm);
	strftime(when, sizeof when, "%m-%d %H:%M", &tm);
	int total = r->right - r->x;
	ui_desk_cell(r, row->final ? COLOR_NORMAL : COLOR_WARNING, when, W_WHEN);
	ui_desk_cell(r, COLOR_CHOSEN, row->case_code, W_CODE);
	ui_desk_cell(r, COLOR_NORMAL, row->operator_login, W_OPER);
	ui_desk_cell(r, COLOR_HINT, row->office, W_OFFICE);
	char *what = ui_desk_what(c, row->kind, row->topic);
	char *shown = row->final ? xstrdup(what) : xasprintf(_("draft: %s"), what);
	ui_desk_cell(r, row->final ? COLOR_NORMAL : COLOR_WARNING, shown, what_width(total));
	free(shown);
	free(what);
	/* No risk found is the usual case: left blank, so the others stand out. */
	int norisk = !row->risk || strcmp(row->risk, "none") == 0;
	ui_desk_cell(r, ui_risk_color(row->risk), norisk ? "" : ui_desk_risk_label(row->risk), W_RISK);
	snprintf(refs, sizeof refs, "%d", row->nreferrals);
	ui_desk_cell(r, COLOR_NORMAL, row->kind == CALL_DATA ? refs : "", W_REFS);
	/* Flags as a count, the queue, a correction and the review as marks;
	 * the call in full names each. */
	int nflags = 0;
	for (int b = 0; b < DESK_QA_NFLAGS; b++)
		nflags += (row->qa_flags >> b) & 1;
	int waiting = row->queue == 1;
	if (nflags)
		snprintf(flags, sizeof flags, "\u2691%d", nflags);
	else
		flags[0] = '\0';
	snprintf(flags + strlen(flags), sizeof flags - strlen(flags), "%s%s%s", waiting ? "!" : "",
		 row->corrected ? "*" : "", row->reviewed ? "\u2713" : "");
	ui_row_put(r, waiting ? COLOR_RISK_LIKELY : nflags ? COLOR_WARNING : COLOR_OK, flags);
}

static const ui_list_ops log_ops = {
	.count = log_count,
	.draw_row = log_draw_row,
	.reload = log_reload_rows,
};

/* Rows added to the window: the list shows them, the highlighted row
 * stays on the same call (shift: rows added above it). */
static void window_grew(ui_log *l, size_t shift)
{
	size_t sel = l->list.sel + shift, top = l->list.top + shift;
	l->appending = 1;
	ui_list_refresh(&l->list);
	l->appending = 0;
	l->list.sel = sel < l->n ? sel : 0;
	l->list.top = top;
}

/* Near an end of the window: the next page on that side. */
static void more_if_needed(ui_ctx *c, ui_log *l)
{
	size_t h = (size_t)(l->list.height > 0 ? l->list.height : 20);
	long n;
	if (l->older && l->list.sel + h >= l->n && fetch(c, l, 0) > 0)
		window_grew(l, 0);
	if (l->newer && l->list.sel < h && (n = fetch(c, l, 1)) > 0)
		window_grew(l, (size_t)n);
}

/* Home: the newest calls; End: the oldest, read from that end. */
static void jump(ui_ctx *c, ui_log *l, int oldest)
{
	free_rows(l);
	if (fetch(c, l, oldest ? 2 : 0) < 0)
		return;
	window_grew(l, 0);
	l->list.sel = oldest && l->n ? l->n - 1 : 0;
}

/* ---- opening, closing, actions ---- */

static void log_leave(ui_ctx *c, void *state)
{
	(void)c;
	ui_log *l = state;
	free_rows(l);
	ui_list_free(&l->list);
	ui_list_free(&l->form);
	ui_edit_free(&l->code_field);
	for (int i = 0; i < F_NFILTERS; i++)
		free(l->text[i]);
	free(l);
}

static size_t form_count(void *data);
static void form_draw_row(void *data, size_t i, ui_row *r);

static const ui_list_ops form_ops = {
	.count = form_count,
	.draw_row = form_draw_row,
};

void ui_log_open(ui_ctx *c, int preset)
{
	ui_log *l = xcalloc(1, sizeof *l);
	if (preset == LOG_QUEUE)
		l->choice[F_QUEUE] = 1;
	if (preset == LOG_FLAGGED)
		l->choice[F_FLAG] = 1;
	l->orphans = preset == LOG_ORPHANS;
	ui_edit_init(&l->code_field, 0, 12);
	l->c = c;
	ui_list_init(&l->list, &log_ops, l, 0);
	ui_list_init(&l->form, &form_ops, l, 0);
	ui_push_state(c, SCR_LOG, l);
}

void ui_log_reload(ui_ctx *c)
{
	ui_log *l = log_of(c);
	if (!l)
		return;
	char keep[37] = "";
	size_t i = ui_list_selected(&l->list);
	if (i < l->n)
		snprintf(keep, sizeof keep, "%s", l->rows[i].id);
	free_rows(l);
	l->list.sel = (size_t)-1;
	ui_list_refresh(&l->list);
	l->list.sel = 0;
	for (size_t k = 0; keep[0] && k < l->n; k++)
		if (strcmp(l->rows[k].id, keep) == 0)
			ui_list_select(&l->list, k);
}

void ui_act_log(ui_ctx *c)
{
	ui_log_open(c, LOG_ALL);
}

void ui_act_queue(ui_ctx *c)
{
	ui_log_open(c, LOG_QUEUE);
}

void ui_act_orphans(ui_ctx *c)
{
	ui_log_open(c, LOG_ORPHANS);
}

int ui_log_is_log(const ui_ctx *c)
{
	return log_of(c) && !log_of(c)->orphans;
}

int ui_log_has_row(const ui_ctx *c)
{
	const ui_log *l = log_of(c);
	return l && ui_list_selected(&l->list) < l->n;
}

void ui_act_log_open_call(ui_ctx *c)
{
	ui_log *l = log_of(c);
	size_t i = l ? ui_list_selected(&l->list) : (size_t)-1;
	if (!l || i >= l->n)
		return;
	char id[37];
	snprintf(id, sizeof id, "%s", l->rows[i].id);
	ui_callview_open(c, id);
}

void ui_act_log_clear(ui_ctx *c)
{
	ui_log *l = log_of(c);
	if (!l)
		return;
	memset(l->choice, 0, sizeof l->choice);
	for (int i = 0; i < F_NFILTERS; i++) {
		free(l->text[i]);
		l->text[i] = NULL;
	}
	ui_edit_set(&l->code_field, "");
	l->code[0] = '\0';
	ui_log_reload(c);
	ui_say(c, COLOR_OK, "%s", _("All filters cleared."));
}

/* ---- the log screen ---- */

/* What the filters hold, in words ("today · likely · flagged"). */
static char *filters_words(const ui_log *l);

static void draw_heading(ui_ctx *c, ui_log *l)
{
	char count[64], key[32];
	if (l->code[0])
		/* TRANSLATORS: %1$s is a case code, %2$zu the calls of its case shown. */
		snprintf(count, sizeof count, ngettext("case %1$s: %2$zu call", "case %1$s: %2$zu calls", l->n), l->code, l->n);
	else if (l->older || l->newer)
		snprintf(count, sizeof count, _("%zu calls read so far"), l->n);
	else
		snprintf(count, sizeof count, ngettext("%zu call", "%zu calls", l->n), l->n);
	int cw = text_width(count);
	const char *title = l->orphans ? _("Drafts of other operators left for more than a shift")
			    : session_may(c->s, ROLES_SUPERVISION) ? _("Call log \u00b7 newest first")
								   : _("Your calls \u00b7 newest first");
	ui_put(c, 1, 2, COLS - cw - 6, COLOR_HEADING, 0, title);
	ui_put(c, 1, COLS - cw - 2, cw, COLOR_HINT, 0, count);
	if (l->orphans) {
		ui_put(c, 2, 2, COLS - 4, COLOR_HINT, 0, _("Enter opens one: finish it for the operator, or discard it"));
		return;
	}
	ui_desk_key_of("log-filter", key);
	char *words = filters_words(l);
	int x = 2 + ui_put(c, 2, 2, COLS - 4, COLOR_BAR_KEY, 0, key) + 1;
	ui_put(c, 2, x, COLS - x - 2, strcmp(words, _("all calls")) ? COLOR_CHOSEN : COLOR_HINT, 0, words);
	free(words);
}

static void draw_columns(ui_ctx *c, int y)
{
	int total = COLS - 4;
	char *line = NULL;
	const char *labels[] = {_("Time"), _("Case"), _("Operator"), _("Office"), _("Kind / topic"), _("Risk"), _("Ref"), _("Flags")};
	const int widths[] = {W_WHEN, W_CODE, W_OPER, W_OFFICE, what_width(total), W_RISK, W_REFS, W_FLAGS};
	line = ui_desk_heads(labels, widths, sizeof widths / sizeof *widths);
	ui_put(c, y, 2, total, COLOR_HINT, 1, line);
	free(line);
}

static void log_draw(ui_ctx *c)
{
	ui_clear_body(c);
	ui_log *l = log_of(c);
	if (!l)
		return;
	draw_heading(c, l);
	int rows = LINES - 4 - LOG_TOP - 1;
	int lw = ui_put(c, LOG_TOP, 2, COLS - 4, COLOR_HINT, 0, _("Case code:")) + 1;
	ui_put(c, LOG_TOP, 2 + lw, 12, COLOR_FIELD_ACTIVE, 1, l->code_field.s);
	draw_columns(c, LOG_TOP + 1);
	ui_list_draw(&l->list, c, LOG_TOP + 2, 2, rows - 1, COLS - 4);
	ui_put(c, LINES - 3, 2, COLS - 4, COLOR_HINT, 0,
	       _("Type a case code to jump to its case \u00b7 \u2691 flags, ! waiting, * corrected, \u2713 reviewed"));
}

/* The case code field changed: a whole code narrows the log to its case
 * with its call highlighted; less than a whole code, the whole log. */
static void code_typed(ui_ctx *c, ui_log *l)
{
	char code[10] = "", alt[10] = "";
	if (desk_code_normalise(l->code_field.s, code) != 0)
		code[0] = '\0';
	/* Also read as typed with the Ukrainian layout on (е for T), as the
	 * start screen's case code does: used when the reading by look is no
	 * code or finds nothing. */
	if (desk_code_normalise_keys(l->code_field.s, alt) != 0 || strcmp(alt, code) == 0)
		alt[0] = '\0';
	if (!code[0] && alt[0]) {
		memcpy(code, alt, sizeof code);
		alt[0] = '\0';
	}
	if (strcmp(code, l->code) == 0 || (alt[0] && strcmp(alt, l->code) == 0))
		return;
	memcpy(l->code, code, sizeof code);
	ui_log_reload(c);
	if (code[0] && !l->n && alt[0]) {
		memcpy(l->code, alt, sizeof alt);
		ui_log_reload(c);
		if (l->n)
			memcpy(code, alt, sizeof alt);
		else
			memcpy(l->code, code, sizeof code); /* none either way: say it by look */
	}
	for (size_t i = 0; code[0] && i < l->n; i++)
		if (strcmp(l->rows[i].case_code, code) == 0)
			ui_list_select(&l->list, i);
	if (code[0] && !l->n)
		ui_say(c, COLOR_WARNING, _("No call of yours or of this log has the case code %s."), code);
}

static int log_key(ui_ctx *c, ui_key k)
{
	ui_log *l = log_of(c);
	if (!l)
		return 0;
	if (k == UK_PASTE) {
		ui_edit_paste(&l->code_field, c->paste.s, c->paste.len);
		code_typed(c, l);
		return 1;
	}
	if (UK_IS_CHAR(k) || k == UK_BACKSPACE || k == UK_CTRL('w')) {
		ui_edit_key(&l->code_field, k, 12);
		code_typed(c, l);
		return 1;
	}
	if ((k == UK_HOME && l->newer) || (k == UK_END && l->older)) {
		jump(c, l, k == UK_END);
		return 1;
	}
	int used = ui_list_key(&l->list, k);
	if (used)
		more_if_needed(c, l);
	return used;
}

static int log_typing(const ui_ctx *c)
{
	return log_of(c) != NULL;
}

static int log_cursor(const ui_ctx *c, int *y, int *x)
{
	const ui_log *l = log_of(c);
	if (!l)
		return 0;
	*y = LOG_TOP;
	*x = 2 + text_width(_("Case code:")) + 1 + text_width_n(l->code_field.s, l->code_field.cur);
	return 1;
}

static const char *const log_help[] = {
	N_("letters, digits"), N_("a case code, in either keyboard layout, with or without the dash: the log shows that case's calls"),
	N_("Backspace, Ctrl-W"), N_("delete a letter, the whole code (back to the log)"),
	N_("\u2191 \u2193 PgUp PgDn Home End"), N_("move through the calls; older ones are read as you go"),
	N_("\u2691 ! * \u2713"), N_("QA flags (how many), waiting for a supervisor, corrected, reviewed"),
	NULL,
};

const ui_screen ui_log_screen = {
	.id = SCR_LOG,
	.leave = log_leave,
	.title = N_("Call log"),
	.draw = log_draw,
	.key = log_key,
	.typing = log_typing,
	.cursor = log_cursor,
	.field_help = log_help,
};

/* ---- the filter form ---- */

static const char *filter_name(int f)
{
	static const char *const v[F_NFILTERS] = {
		[F_PERIOD] = N_("Period"), [F_FROM] = N_("From (date)"), [F_TO] = N_("To (date)"),
		[F_OFFICE] = N_("Office"), [F_OPERATOR] = N_("Operator"), [F_KIND] = N_("Kind"),
		[F_TOPIC] = N_("Topic"), [F_RISK] = N_("Risk"), [F_STATUS] = N_("Final or draft"),
		[F_CALLBACK] = N_("Call-back"), [F_FLAG] = N_("QA flags"), [F_REVIEWED] = N_("Reviewed"),
		[F_CASE_STATUS] = N_("Case status"), [F_QUEUE] = N_("High-risk queue"),
	};
	return _(v[f]);
}

static int typed_filter(int f)
{
	return f == F_FROM || f == F_TO || f == F_OFFICE || f == F_OPERATOR || f == F_TOPIC;
}

/* The labels of a chosen filter's choices (n set); NULL for typed ones. */
static const char *choice_label(int f, int i)
{
	switch (f) {
	case F_PERIOD: return period_label(i);
	case F_KIND: return i == 0 ? _("any") : calls_kind_label((call_kind)(i - 1));
	case F_RISK: return i == 0 ? _("any") : script_risk_label((script_risk)(i - 1));
	case F_FLAG: return i == 0 ? _("any") : i == 1 ? _("some flag") : i == 2 ? _("no flag") : desk_qa_label(i - 3);
	case F_CASE_STATUS: return i == 0 ? _("any") : i == 4 ? _("no case") : ui_desk_case_status_label(case_status_codes[i]);
	default: return i >= 0 && i < 3 ? _(yesno_labels[f][i]) : "";
	}
}

static size_t choice_count(int f)
{
	switch (f) {
	case F_PERIOD: return P_RANGE + 1;
	case F_KIND: return CALL_NKINDS + 1;
	case F_RISK: return 4;
	case F_FLAG: return DESK_QA_NFLAGS + 3;
	case F_CASE_STATUS: return 5;
	default: return 3;
	}
}

static char *filter_value(const ui_log *l, int f)
{
	if (typed_filter(f))
		return xstrdup(l->text[f] && *l->text[f] ? l->text[f] : _("any"));
	return xstrdup(choice_label(f, l->choice[f]));
}

static int filter_set(const ui_log *l, int f)
{
	return typed_filter(f) ? l->text[f] && *l->text[f] : l->choice[f] != 0;
}

static char *filters_words(const ui_log *l)
{
	dv_buf b = {0};
	dv_buf_adds(&b, "");
	for (int f = 0; f < F_NFILTERS; f++) {
		if (!filter_set(l, f) || ((f == F_FROM || f == F_TO) && l->choice[F_PERIOD] != P_RANGE))
			continue;
		if (f == F_PERIOD && l->choice[f] == P_RANGE)
			continue;
		char *v = filter_value(l, f);
		if (typed_filter(f))
			dv_buf_printf(&b, "%s%s %s", b.len ? " \u00b7 " : "", filter_name(f), v);
		else
			dv_buf_printf(&b, "%s%s", b.len ? " \u00b7 " : "", v);
		free(v);
	}
	if (!b.len)
		dv_buf_adds(&b, _("all calls"));
	return dv_buf_take(&b);
}

static size_t form_count(void *data)
{
	(void)data;
	return F_NFILTERS;
}

static void form_draw_row(void *data, size_t i, ui_row *r)
{
	const ui_log *l = data;
	char *name = text_cut(filter_name((int)i), 22, 1);
	ui_row_put(r, COLOR_HINT, name);
	ui_row_put(r, COLOR_NORMAL, "  ");
	char *v = filter_value(l, (int)i);
	ui_row_put(r, filter_set(l, (int)i) ? COLOR_CHOSEN : COLOR_NORMAL, v);
	free(v);
	free(name);
}

void ui_act_log_filter(ui_ctx *c)
{
	if (log_of(c))
		ui_push(c, SCR_LOG_FILTER);
}

void ui_act_filter_done(ui_ctx *c)
{
	if (ui_top(c) == SCR_LOG_FILTER)
		ui_pop(c);
	ui_log_reload(c);
}


static void choice_picked(ui_ctx *c, size_t i)
{
	ui_log *l = log_of(c);
	if (l)
		l->choice[l->editing] = (int)i;
}

static int typed_done(ui_ctx *c, const char *text)
{
	ui_log *l = log_of(c);
	if (!l)
		return 0;
	const char *t = text + strspn(text, " ");
	if ((l->editing == F_FROM || l->editing == F_TO) && *t && parse_day(t) < 0) {
		ui_say(c, COLOR_ERROR, _("%s: write the date as YYYY-MM-DD, for example 2026-11-30"), t);
		return -1;
	}
	free(l->text[l->editing]);
	l->text[l->editing] = *t ? xstrdup(t) : NULL;
	if ((l->editing == F_FROM || l->editing == F_TO) && *t)
		l->choice[F_PERIOD] = P_RANGE;
	return 0;
}

static const char *typed_hint(int f)
{
	switch (f) {
	case F_FROM: case F_TO: return _("YYYY-MM-DD (UTC); empty: no limit");
	case F_OFFICE: return _("the office's name as on the start screen; empty: any");
	case F_OPERATOR: return _("the operator's login; empty: any");
	default: return _("the topic's code as the script names it (consult, offer, ...); empty: any");
	}
}

static void form_edit(ui_ctx *c)
{
	ui_log *l = log_of(c);
	size_t f = ui_list_selected(&l->form);
	if (f >= F_NFILTERS)
		return;
	l->editing = (int)f;
	if (typed_filter((int)f)) {
		ui_prompt_open(c, filter_name((int)f), typed_hint((int)f), l->text[f], 60, typed_done);
		return;
	}
	size_t n = choice_count((int)f);
	const char **labels = xcalloc(n, sizeof *labels);
	for (size_t i = 0; i < n; i++)
		labels[i] = choice_label((int)f, (int)i);
	ui_pick_open(c, filter_name((int)f), labels, n, (size_t)l->choice[f], choice_picked);
	free(labels);
}

static void form_draw(ui_ctx *c)
{
	ui_clear_body(c);
	ui_log *l = log_of(c);
	if (!l)
		return;
	ui_put(c, 1, 2, COLS - 4, COLOR_HEADING, 0, _("Filters of the call log: they all apply together"));
	ui_list_draw(&l->form, c, 3, 2, F_NFILTERS, COLS - 4);
	char key[32];
	ui_desk_key_of("filter-done", key);
	char *hint = xasprintf(_("Enter: change the highlighted filter \u00b7 Del: set it to any \u00b7 %s: show the calls"), key);
	ui_put_wrapped(c, 4 + F_NFILTERS, 2, 2, COLS - 4, COLOR_HINT, hint);
	free(hint);
}

static int form_key(ui_ctx *c, ui_key k)
{
	ui_log *l = log_of(c);
	if (!l)
		return 0;
	if (k == UK_ENTER || k == UK_RIGHT) {
		form_edit(c);
		return 1;
	}
	if (k == UK_DELETE || k == UK_BACKSPACE) {
		size_t f = ui_list_selected(&l->form);
		if (f < F_NFILTERS) {
			l->choice[f] = 0;
			free(l->text[f]);
			l->text[f] = NULL;
		}
		return 1;
	}
	return ui_list_key(&l->form, k);
}

static const char *const form_help[] = {
	N_("\u2191 \u2193, Enter"), N_("choose a filter, and change it"),
	N_("Del, Backspace"), N_("set the highlighted filter to any"),
	NULL,
};

const ui_screen ui_log_filter_screen = {
	.id = SCR_LOG_FILTER,
	.title = N_("Filters"),
	.draw = form_draw,
	.key = form_key,
	.field_help = form_help,
};

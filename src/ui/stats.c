/* stats.c: the statistics screen, for supervisors and administrators.
 *
 * Pick one of the report tables (report.h) and a period (a month, a
 * quarter or a year, stepped back and forth); read it as a table or as a
 * bar chart of Unicode block characters (ASCII '#' in the monochrome
 * theme). The screen previews any disclosure level; a file written from
 * here defaults to the department level, is created new (never over an
 * existing file) in the home directory, and is audited as an export.
 *
 * The table is read once when the table, the period or the level
 * changes; drawing never asks the database. Its lines are the rows of the
 * one list widget, which scrolls them.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dovira/i18n.h"
#include "dovira/report.h"
#include "list.h"
#include "ui_int.h"

enum { GRAIN_MONTH, GRAIN_QUARTER, GRAIN_YEAR };
enum { LINE_TITLE, LINE_HEAD, LINE_ROW, LINE_NOTE, LINE_BLANK };
#define CELL_W 8

typedef struct stats_line {
	int kind;
	size_t block, row; /* LINE_ROW: row (nrows = the total row) */
	size_t note;
} stats_line;

struct ui_stats {
	size_t table;        /* index into the report tables */
	int grain, year, unit; /* unit: month 1..12, quarter 1..4 */
	report_level level;
	int chart;           /* 1: bar chart */
	int mono;            /* the theme is monochrome: bars without colour */
	size_t hcol;         /* first column shown (table mode) */
	report_table *t;
	char error[768];
	stats_line *lines;
	size_t nlines;
	ui_list list;
	script **scripts;
	size_t nscripts;
};

/* ---- the period ---- */

static void period_spec(const ui_stats *st, char out[16])
{
	if (st->grain == GRAIN_MONTH)
		snprintf(out, 16, "%04d-%02d", st->year, st->unit);
	else if (st->grain == GRAIN_QUARTER)
		snprintf(out, 16, "%04d-Q%d", st->year, st->unit);
	else
		snprintf(out, 16, "%04d", st->year);
}

static void step_period(ui_stats *st, int dir)
{
	int per_year = st->grain == GRAIN_MONTH ? 12 : st->grain == GRAIN_QUARTER ? 4 : 1;
	if (per_year == 1) {
		st->year += dir;
		return;
	}
	st->unit += dir;
	if (st->unit < 1)
		st->unit = per_year, st->year--;
	if (st->unit > per_year)
		st->unit = 1, st->year++;
}

/* ---- reading the table and laying out its lines ---- */

static void add_line(ui_stats *st, int kind, size_t block, size_t row)
{
	st->lines = xrealloc(st->lines, (st->nlines + 1) * sizeof *st->lines);
	st->lines[st->nlines++] = (stats_line){kind, block, row, row};
}

static void layout(ui_stats *st)
{
	st->nlines = 0;
	if (!st->t)
		return;
	for (size_t b = 0; b < st->t->nblocks; b++) {
		const report_block *bl = &st->t->blocks[b];
		add_line(st, LINE_TITLE, b, 0);
		if (!st->chart || bl->measure)
			add_line(st, LINE_HEAD, b, 0);
		for (size_t r = 0; r < bl->nrows + (size_t)bl->row_total; r++)
			add_line(st, LINE_ROW, b, r);
		add_line(st, LINE_BLANK, b, 0);
	}
	for (size_t i = 0; i < st->t->nnotes; i++)
		add_line(st, LINE_NOTE, 0, i);
}

static void reload(ui_ctx *c, ui_stats *st)
{
	report_table_free(st->t);
	st->t = NULL;
	st->error[0] = '\0';
	char spec[16];
	period_spec(st, spec);
	report_query q;
	memset(&q, 0, sizeof q);
	q.level = st->level;
	q.scripts = st->scripts;
	q.nscripts = st->nscripts;
	dv_error e;
	dv_error_clear(&e);
	if (report_period_parse(spec, &q.period, &e) || report_run(c->s, report_name(st->table), &q, &st->t, &e))
		snprintf(st->error, sizeof st->error, "%s", e.msg);
	layout(st);
	ui_list_refresh(&st->list);
	ui_list_select(&st->list, 0);
}

/* ---- drawing one line ---- */

static size_t ncells(const report_block *b)
{
	return b->ncols + (size_t)b->col_total;
}

static const char *col_head(const report_block *b, size_t c)
{
	if (c == b->ncols)
		return _("Total");
	return b->ncols == 1 && strcmp(b->col_code[0], "calls") == 0 ? _("calls") : b->col_label[c];
}

/* Right-align s in w columns, the first of them a space between cells. */
static void put_right(ui_row *r, ui_color color, const char *s, int w)
{
	char *cut = text_cut(s, w - 1, 0);
	int pad = w - text_width(cut);
	char sp[CELL_W + 1];
	memset(sp, ' ', sizeof sp - 1);
	sp[pad > 0 && pad <= CELL_W ? pad : 0] = '\0';
	ui_row_put(r, color, sp);
	ui_row_put(r, color, cut);
	free(cut);
}

static int label_width(const ui_row *r, const report_block *b)
{
	int w = r->right - r->x;
	int l = w - (int)ncells(b) * CELL_W;
	return l < 18 ? 18 : l > 40 ? 40 : l;
}

static void put_label(ui_row *r, ui_color color, const char *s, int w)
{
	char *cut = text_cut(s, w, 1);
	ui_row_put(r, color, cut);
	free(cut);
}

static void draw_table_line(ui_stats *st, const stats_line *ln, ui_row *r)
{
	const report_block *b = &st->t->blocks[ln->block];
	int lw = label_width(r, b);
	if (ln->kind == LINE_HEAD)
		put_label(r, COLOR_HINT, "", lw);
	else
		put_label(r, ln->row == b->nrows ? COLOR_HEADING : COLOR_NORMAL,
			  ln->row == b->nrows ? _("Total") : b->row_label[ln->row], lw);
	for (size_t c = st->hcol < ncells(b) ? st->hcol : 0; c < ncells(b) && r->x + CELL_W <= r->right; c++) {
		if (ln->kind == LINE_HEAD) {
			put_right(r, COLOR_HINT, col_head(b, c), CELL_W);
			continue;
		}
		char *s = report_cell_text(b, ln->row, c);
		put_right(r, report_cell_state_at(b, ln->row, c) == REPORT_SHOWN ? COLOR_NORMAL : COLOR_HINT, s, CELL_W);
		free(s);
	}
}

/* The column a chart draws: the total, or the only column. */
static size_t chart_col(const report_block *b)
{
	return b->col_total ? b->ncols : 0;
}

static long chart_max(const report_block *b)
{
	long m = 0;
	for (size_t r = 0; r < b->nrows; r++)
		if (report_cell_state_at(b, r, chart_col(b)) == REPORT_SHOWN && report_cell(b, r, chart_col(b)) > m)
			m = report_cell(b, r, chart_col(b));
	return m;
}

/* A bar of v/max of w columns: full blocks and one partial eighth, or
 * '#' when the theme has no colours (terminals without Unicode blocks). */
static char *bar(long v, long max, int w, int ascii)
{
	static const char *const eighths[] = {"", "\u258f", "\u258e", "\u258d", "\u258c", "\u258b", "\u258a", "\u2589"};
	dv_buf b = {0};
	long units = max > 0 ? (v * w * 8 + max / 2) / max : 0;
	if (v > 0 && units == 0)
		units = 1;
	for (long i = 0; i < units / 8; i++)
		dv_buf_adds(&b, ascii ? "#" : "\u2588");
	if (units % 8)
		dv_buf_adds(&b, ascii ? "#" : eighths[units % 8]);
	if (!b.s)
		dv_buf_adds(&b, "");
	return dv_buf_take(&b);
}

static void draw_chart_line(ui_stats *st, const stats_line *ln, ui_row *r)
{
	const report_block *b = &st->t->blocks[ln->block];
	if (b->measure) {
		draw_table_line(st, ln, r);
		return;
	}
	int lw = (r->right - r->x) / 2 > 34 ? 34 : (r->right - r->x) / 2;
	size_t col = chart_col(b);
	int total = ln->row == b->nrows;
	put_label(r, total ? COLOR_HEADING : COLOR_NORMAL, total ? _("Total") : b->row_label[ln->row], lw);
	char *s = report_cell_text(b, ln->row, col);
	put_right(r, COLOR_NORMAL, s, 7);
	ui_row_put(r, COLOR_NORMAL, " ");
	if (!total && report_cell_state_at(b, ln->row, col) == REPORT_SHOWN) {
		char *bs = bar(report_cell(b, ln->row, col), chart_max(b), r->right - r->x, st->mono);
		ui_row_put(r, COLOR_CHOSEN, bs);
		free(bs);
	}
	free(s);
}

static size_t stats_count(void *data)
{
	return ((ui_stats *)data)->nlines;
}

static void stats_draw_row(void *data, size_t i, ui_row *r)
{
	ui_stats *st = data;
	const stats_line *ln = &st->lines[i];
	if (ln->kind == LINE_TITLE)
		ui_row_put(r, COLOR_HEADING, st->t->blocks[ln->block].title);
	else if (ln->kind == LINE_NOTE)
		ui_row_put(r, COLOR_HINT, st->t->notes[ln->note]);
	else if (ln->kind == LINE_BLANK)
		ui_row_put(r, COLOR_NORMAL, "");
	else if (st->chart)
		draw_chart_line(st, ln, r);
	else
		draw_table_line(st, ln, r);
}

static const ui_list_ops stats_ops = {
	.count = stats_count,
	.draw_row = stats_draw_row,
};

/* ---- the screen ---- */

static ui_stats *stats_of(const ui_ctx *c)
{
	return ui_state(c, SCR_STATS);
}

/* The table's name for a person to read. The report module names its
 * tables by code (report_name: "topics", for the command line); these are
 * the titles it gives them (same messages), and a table added there
 * without one here shows its code. */
static const char *table_title(size_t i)
{
	static const char *const titles[][2] = {
		{"volume", N_("Volume")}, {"topics", N_("Topics")}, {"prevention", N_("Prevention")},
		{"identification", N_("Identification")}, {"exploitation", N_("Exploitation")},
		{"age-gender", N_("Age and gender")}, {"geography", N_("Geography")}, {"referrals", N_("Referrals")},
		{"indicators", N_("Indicators")}, {"follow-ups", N_("Follow-ups")},
	};
	const char *code = report_name(i);
	for (size_t t = 0; code && t < sizeof titles / sizeof *titles; t++)
		if (strcmp(titles[t][0], code) == 0)
			return _(titles[t][1]);
	return code ? code : "";
}

static const char *level_word(report_level l)
{
	return l == REPORT_INTERNAL ? _("internal (exact)") : l == REPORT_DEPARTMENT ? _("department (<5)") : _("public (k = 11)");
}

static void stats_draw(ui_ctx *c)
{
	ui_stats *st = stats_of(c);
	char spec[16], line[512];
	ui_clear_body(c);
	period_spec(st, spec);
	snprintf(line, sizeof line, _("Table: %s \u00b7 Period: %s \u00b7 Level: %s"), table_title(st->table), spec,
		 level_word(st->level));
	ui_put(c, 1, 2, COLS - 4, COLOR_HEADING, 0, line);
	if (st->t) {
		ui_put(c, 2, 2, COLS - 4, COLOR_NORMAL, 0, st->t->title);
		if (st->level == REPORT_INTERNAL)
			snprintf(line, sizeof line, _("Contacts: %ld \u00b7 [ ] previous or next period \u00b7 \u2190 \u2192 columns"),
				 st->t->contacts);
		else
			snprintf(line, sizeof line, "%s", _("[ ] previous or next period \u00b7 \u2190 \u2192 columns"));
		ui_put(c, 3, 2, COLS - 4, COLOR_HINT, 0, line);
		ui_list_draw(&st->list, c, 5, 2, LINES - 7, COLS - 4);
	} else {
		ui_put_wrapped(c, 3, 2, 4, COLS - 4, COLOR_ERROR, st->error);
	}
}

static int stats_key(ui_ctx *c, ui_key k)
{
	ui_stats *st = stats_of(c);
	if (k == UK_LEFT || k == UK_RIGHT) {
		if (k == UK_LEFT && st->hcol > 0)
			st->hcol--;
		else if (k == UK_RIGHT)
			st->hcol++;
		return 1;
	}
	return st->t ? ui_list_key(&st->list, k) : 0;
}

static const char *const stats_help[] = {
	N_("\u2191 \u2193 PgUp PgDn Home End"), N_("scroll the table"),
	N_("\u2190 \u2192"), N_("show the columns that do not fit"),
	NULL,
};

static void stats_leave(ui_ctx *c, void *state)
{
	(void)c;
	ui_stats *st = state;
	report_table_free(st->t);
	report_scripts_free(st->scripts, st->nscripts);
	ui_list_free(&st->list);
	free(st->lines);
	free(st);
}

const ui_screen ui_stats_screen = {
	.id = SCR_STATS,
	.title = N_("Statistics"),
	.draw = stats_draw,
	.key = stats_key,
	.field_help = stats_help,
	.leave = stats_leave,
};

void ui_act_stats(ui_ctx *c)
{
	ui_stats *st = xcalloc(1, sizeof *st);
	const char *dir = getenv("DOVIRA_DATADIR");
	st->nscripts = report_scripts_load(dir && *dir ? dir : PKGDATADIR, &st->scripts);
	report_period p;
	report_period_month_of(dv_now(), &p);
	st->year = atoi(p.from);
	st->unit = atoi(p.from + 5);
	st->table = 1; /* topics: the table most often asked for */
	st->mono = c->theme.mono;
	ui_list_init(&st->list, &stats_ops, st, 0);
	reload(c, st);
	ui_push_state(c, SCR_STATS, st);
}

static void table_picked(ui_ctx *c, size_t i)
{
	ui_stats *st = stats_of(c);
	st->table = i;
	st->hcol = 0;
	reload(c, st);
}

void ui_act_stats_table(ui_ctx *c)
{
	size_t n = report_count();
	char **labels = xcalloc(n, sizeof *labels);
	for (size_t i = 0; i < n; i++)
		labels[i] = xasprintf("%s: %s", table_title(i), report_describe(i));
	ui_pick_open(c, _("Which table?"), (const char *const *)labels, n, stats_of(c)->table, table_picked);
	for (size_t i = 0; i < n; i++)
		free(labels[i]);
	free(labels);
}

void ui_act_stats_grain(ui_ctx *c)
{
	ui_stats *st = stats_of(c);
	int month = st->grain == GRAIN_MONTH ? st->unit : st->grain == GRAIN_QUARTER ? 3 * st->unit - 2 : 1;
	st->grain = (st->grain + 1) % 3;
	st->unit = st->grain == GRAIN_MONTH ? month : (month + 2) / 3;
	reload(c, st);
}

void ui_act_stats_prev(ui_ctx *c)
{
	ui_stats *st = stats_of(c);
	step_period(st, -1);
	reload(c, st);
}

void ui_act_stats_next(ui_ctx *c)
{
	ui_stats *st = stats_of(c);
	step_period(st, 1);
	reload(c, st);
}

void ui_act_stats_chart(ui_ctx *c)
{
	ui_stats *st = stats_of(c);
	st->chart = !st->chart;
	layout(st);
	ui_list_refresh(&st->list);
}

void ui_act_stats_level(ui_ctx *c)
{
	ui_stats *st = stats_of(c);
	st->level = (report_level)((st->level + 1) % 3);
	reload(c, st);
}

/* ---- writing a file ---- */

/* A new file in the home directory (or the current one), never an
 * existing one: name-level.csv, then name-level-2.csv, ... */
static int create_new(const char *base, char **path)
{
	const char *home = getenv("HOME");
	for (int i = 1; i < 100; i++) {
		*path = i == 1 ? xasprintf("%s/%s.csv", home && *home ? home : ".", base)
			       : xasprintf("%s/%s-%d.csv", home && *home ? home : ".", base, i);
		int fd = open(*path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd >= 0 || errno != EEXIST)
			return fd;
		free(*path);
	}
	*path = NULL;
	errno = EEXIST;
	return -1;
}

static int write_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(fd, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

static void write_level(ui_ctx *c, size_t level)
{
	ui_stats *st = stats_of(c);
	char spec[16];
	period_spec(st, spec);
	report_query q;
	memset(&q, 0, sizeof q);
	q.level = (report_level)level;
	q.scripts = st->scripts;
	q.nscripts = st->nscripts;
	report_table *t = NULL;
	dv_error e;
	dv_error_clear(&e);
	if (report_period_parse(spec, &q.period, &e) || report_run(c->s, report_name(st->table), &q, &t, &e)) {
		ui_say(c, COLOR_ERROR, _("Not written: %s"), e.msg);
		return;
	}
	char *base = xasprintf("dovira-%s-%s-%s", t->name, spec, report_level_name(t->level)), *path = NULL;
	dv_buf out = {0};
	report_render(t, REPORT_CSV, &out);
	int fd = create_new(base, &path);
	if (fd < 0 || write_all(fd, out.s, out.len) != 0 || fsync(fd) != 0) {
		ui_say(c, COLOR_ERROR, _("Not written: %s: %s"), path ? path : base, strerror(errno));
		if (fd >= 0)
			unlink(path);
	} else if (report_audit_export(c->s, t, REPORT_CSV, &e) != DV_OK) {
		unlink(path);
		ui_say(c, COLOR_ERROR, _("Not written: %s"), e.msg);
	} else {
		char *slash = strrchr(path, '/');
		*slash = '\0';
		/* TRANSLATORS: Written: FILE (LEVEL) in DIRECTORY */
		ui_say(c, COLOR_OK, _("Written: %s (%s) in %s"), slash + 1, level_word(t->level), path);
	}
	if (fd >= 0)
		close(fd);
	dv_buf_free(&out);
	free(base);
	free(path);
	report_table_free(t);
}

void ui_act_stats_write(ui_ctx *c)
{
	const char *labels[3];
	for (int i = 0; i < 3; i++)
		labels[i] = level_word((report_level)i);
	/* Files leave the office: the department level unless chosen otherwise. */
	ui_pick_open(c, _("Write a CSV file for whom?"), labels, 3, REPORT_DEPARTMENT, write_level);
}

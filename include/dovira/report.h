/* report.h: the oblast's statistical tables, and how safe they are to send.
 *
 * Ten tables (volume, topics, prevention, identification, exploitation,
 * age-gender, geography, referrals, indicators, follow-ups) count contacts:
 * final calls, test calls excluded, started within a period (Kyiv dates:
 * a month, a quarter, a year, or from/to inclusive), optionally of one
 * office. A table is made of blocks; each block is a grid of counts with
 * row and column labels and, where the rows (columns) are exclusive
 * categories, a total row (column). A multiple-choice answer is counted
 * once per chosen option, so such a block has no total over its options.
 *
 * Codes are shown with the labels of the script version that recorded
 * them (the caller passes the scripts it could load; see
 * report_scripts_load); a period that spans versions says so in the
 * table's notes, with the codes one version has and the other lacks.
 *
 * Disclosure levels: internal (exact), department (cells 1..4 shown as
 * "<5"), public (cells 1..10 suppressed, occupied raions merged into one
 * row, nothing finer than a quarter). Wherever a cell is hidden, enough
 * other cells (totals included) are hidden too that no hidden value
 * follows from the published ones by the row and column sums.
 *
 * Reading: the tables read the counts per day and month that triggers
 * keep exact in the transactions that change the calls (report_days,
 * schema_reportagg.h); each block is a few short reads, so a writer
 * waits for one of them at most. Nothing is written except the audit row
 * of an export (report_audit_export). No curses here.
 */
#ifndef DOVIRA_REPORT_H
#define DOVIRA_REPORT_H

#include <stddef.h>

#include "dovira/script.h"
#include "dovira/session.h"
#include "dovira/util.h"

typedef enum report_level {
	REPORT_INTERNAL,
	REPORT_DEPARTMENT,
	REPORT_PUBLIC
} report_level;

typedef enum report_format {
	REPORT_TEXT,
	REPORT_CSV,
	REPORT_JSON
} report_format;

/* "internal", "department", "public"; NULL when out of range. */
const char *report_level_name(report_level l);
/* The level of a name, or -1. */
int report_level_parse(const char *name);
/* "text", "csv", "json" and back (-1 for an unknown name). */
const char *report_format_name(report_format f);
int report_format_parse(const char *name);

/* A period: Kyiv calendar dates, both inclusive, "YYYY-MM-DD". */
typedef struct report_period {
	char from[11];
	char to[11];
	char label[32];   /* "2026-11", "2026-Q4", "2026" or "FROM..TO" */
	int quarters;     /* 1 if it starts on a quarter's first day and ends
	                   * on a quarter's last day (public tables need it) */
} report_period;

/* Parse "2026-11" (a month), "2026-Q4" (a quarter) or "2026" (a year).
 * DV_EINVAL with a message saying the accepted forms on anything else. */
int report_period_parse(const char *spec, report_period *p, dv_error *e);
/* A period from two dates "YYYY-MM-DD" (inclusive); DV_EINVAL if either
 * is not a real date or from is after to. */
int report_period_dates(const char *from, const char *to, report_period *p, dv_error *e);
/* The period of the calendar month containing t (Kyiv time). */
void report_period_month_of(time_t t, report_period *p);

/* What to count and how much to show. scripts: the script versions whose
 * labels may be needed (any order; may be empty: codes are then shown as
 * stored). office NULL: every office. */
typedef struct report_query {
	report_period period;
	const char *office;
	report_level level;
	script *const *scripts;
	size_t nscripts;
} report_query;

/* What a cell shows. */
typedef enum report_cell_state {
	REPORT_SHOWN,      /* the value as it is */
	REPORT_LT5,        /* department: a value from 1 to 4, shown as "<5" */
	REPORT_HIDDEN      /* suppressed (or hidden to protect another cell) */
} report_cell_state;

typedef struct report_block {
	char *title;                 /* translated */
	size_t nrows, ncols;         /* data rows and columns, totals excluded */
	char **row_code, **row_label;
	char **col_code, **col_label;
	int row_total;               /* 1: row nrows is the total of the rows */
	int col_total;               /* 1: column ncols is the total of the columns */
	int measure;                 /* 1: values are not counts: column "median"
	                              * holds seconds, the others per mille;
	                              * -1 when there was nothing to measure */
	long *v;                     /* (nrows + 1) x (ncols + 1), row-major */
	unsigned char *state;        /* report_cell_state of each cell */
} report_block;

typedef struct report_table {
	const char *name;            /* "volume", ... (static) */
	char *title;                 /* translated, says that it counts contacts */
	report_level level;
	report_period period;
	char *office;                /* NULL: all offices */
	long contacts;               /* calls counted in the period */
	report_block *blocks;
	size_t nblocks;
	char **notes;                /* translated remarks: versions, what is lacking */
	size_t nnotes;
} report_table;

/* The tables, in their fixed order: the count, the i-th name and its
 * translated one-line description (NULL when i is out of range). */
size_t report_count(void);
const char *report_name(size_t i);
const char *report_describe(size_t i);

/* The value and state of cell (r, c) of b; r may be b->nrows for the total
 * row, c b->ncols for the total column (when present). */
long report_cell(const report_block *b, size_t r, size_t c);
report_cell_state report_cell_state_at(const report_block *b, size_t r, size_t c);
/* The cell as a person reads it: "12", "<5", "x" (hidden), "4:05"
 * (a median duration), "12.5%". Newly allocated. */
char *report_cell_text(const report_block *b, size_t r, size_t c);

/* Build table name for q. Supervisors and admins only (DV_EPERM
 * otherwise). DV_ENOTFOUND for an unknown name (the message lists the
 * names); DV_EINVAL for a public table over a period that is not whole
 * quarters. On success *out receives a table freed with
 * report_table_free. */
int report_run(dv_session *s, const char *name, const report_query *q, report_table **out, dv_error *e);
void report_table_free(report_table *t);

/* Apply the disclosure rules of level to a block in place (primary and
 * complementary suppression). Exposed for the tests; report_run calls it. */
void report_protect(report_block *b, report_level level);

/* Render t into out: text (aligned by display width, for a terminal),
 * CSV (UTF-8 with a byte order mark, CRLF, no cell beginning with = + - @:
 * such a cell gets a leading apostrophe) or JSON. */
void report_render(const report_table *t, report_format f, dv_buf *out);

/* Audit that t left the program ("report.export": name, level, period,
 * office and format in the detail). One short write transaction. */
int report_audit_export(dv_session *s, const report_table *t, report_format f, dv_error *e);

/* Load the scripts whose labels reports may need: datadir/intake.script
 * (the current one) and every datadir/scripts/\*.script (earlier versions,
 * kept there when the script changes). Files that do not load are
 * skipped. Stores a newly allocated array in *out (free with
 * report_scripts_free) and returns its length. */
size_t report_scripts_load(const char *datadir, script ***out);
void report_scripts_free(script **v, size_t n);

/* The tables read counts per day and month that triggers keep with every
 * change to the calls (schema_reportagg.h). Recount them from the stored
 * calls: every day with full, else the last week and 23 days spread over
 * the rest, and the months of the days checked. Each count that differs
 * is named in report (the first 20, then how many more). DV_ECORRUPT
 * if any differ; *days: the days recounted. For `dovira check`. */
int report_check_days(dv_db *db, int full, dv_buf *report, long *days, dv_error *e);

/* The same in parts that several threads share, each on its own
 * connection to the same database (a snapshot and its twin, db.h):
 * report_check_new lists the days and months to recount (never NULL; a
 * failure is kept for report_check_end); each thread calls
 * report_check_work, which recounts items until none is left; once all
 * have returned, report_check_end gives what report_check_days would
 * have, and frees the job. */
typedef struct report_check_job report_check_job;
report_check_job *report_check_new(dv_db *db, int full);
void report_check_work(report_check_job *j, dv_db *db);
int report_check_end(report_check_job *j, dv_buf *report, long *days, dv_error *e);

#endif

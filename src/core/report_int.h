/* report_int.h: the report module's private pieces, shared by report.c
 * (the machinery), report_tables.c (the ten tables) and report_out.c. */
#ifndef DOVIRA_REPORT_INT_H
#define DOVIRA_REPORT_INT_H

#include <sqlite3.h>
#include <stdarg.h>

#include "dovira/report.h"

/* A stretch of the period read from report_days (schema_reportagg.h):
 * days lo..hi ("YYYY-MM-DD", both inclusive), or, when months is set,
 * whole months lo..hi ("YYYY-MM") from the facets' monthly rows. */
typedef struct report_part_t {
	int months;
	char lo[40], hi[40];
} report_part_t;

/* What one table's builder works with. */
typedef struct report_ctx {
	dv_session *s;
	const report_query *q;
	report_part_t *parts;   /* leading days, each whole month, trailing days */
	size_t nparts;
	char **versions;       /* script versions recorded in the period, sorted */
	size_t nversions;
	script **own;          /* versions read from the database's script texts */
	size_t nown;
} report_ctx;

/* A fixed list of codes with their labels (N_()), ended by {NULL}. */
typedef struct fixed_code {
	const char *code;
	const char *label;
} fixed_code;

typedef enum dim_kind {
	DIM_ONE,     /* a single column: "calls" */
	DIM_STEP,    /* a script step's options, labelled by version */
	DIM_FIXED,   /* a fixed list (fixed_code) */
	DIM_AREA,    /* the areas of places.h, all shown */
	DIM_COUNTRY, /* countries of places.h, those met */
	DIM_SEEN     /* codes met, labelled by label_sql or as they are */
} dim_kind;

typedef struct dim {
	dim_kind kind;
	const char *sql;        /* SQL expression giving the code */
	const char *step;       /* DIM_STEP: the step id */
	int multi;              /* the code is a comma-separated list */
	const fixed_code *fixed;
	const char *label_sql;  /* rows only: SQL giving the label */
} dim;

typedef struct block_spec {
	const char *title;      /* N_() */
	dim row, col;
	const char *from;       /* joins after "FROM calls c", or NULL */
	const char *where;      /* extra condition, or NULL */
	int distinct;           /* count distinct calls (joins that repeat) */
	int row_total, col_total;
	/* Rewrite the row's code as read (a newly allocated string), or
	 * NULL: the older means of control mapped to the current codes. */
	char *(*map)(const struct report_ctx *x, const char *row);
	const char *facet;      /* the counts read: report_days.facet; row,
	                         * col, where and label read its columns as
	                         * c.a, c.b, c.c (schema_reportagg.h) */
	int negate;             /* 1: take these counts away (a part of the
	                         * block counted as the rest of another) */
} block_spec;

/* Counted (row value, column value, version) triples. */
typedef struct trip {
	char *row, *col, *ver, *label;
	long n;
} trip;

typedef struct acc {
	trip *t;
	size_t n, cap;
} acc;

typedef struct report_def {
	const char *name;
	const char *title;     /* N_() */
	const char *describe;  /* N_() */
	int (*build)(report_ctx *x, report_table *t, dv_error *e);
	const char *const *steps; /* script steps whose codes the table shows */
} report_def;

void acc_add(acc *a, const char *row, const char *col, const char *ver, const char *label, long n);
void acc_free(acc *a);

/* Prepare sql over report_days c: ?1 ?2 the part's first and last day
 * (or month), ?3 the office (bound here, NULL for all), ?4 the facet,
 * ?5 (when sql has it) the first day of the whole period (bound here). */
sqlite3_stmt *report_prepare(report_ctx *x, const char *sql, dv_error *e);
/* Reset st (ending its read transaction) and bind part p of the period
 * and facet's daily or monthly name. A builder steps st once per part
 * and sums: each part is one short read of a few thousand rows. */
void report_part(report_ctx *x, sqlite3_stmt *st, size_t p, const char *facet);
/* Whether the period has any count of facet (and where, over report_days
 * c, or NULL): 1, 0, or -1 with *e set. */
int report_any(report_ctx *x, const char *facet, const char *where, dv_error *e);
/* The step of the newest script read (files or the database's texts)
 * that has it, or NULL. */
const script_step *report_step_newest(const report_ctx *x, const char *step);
/* Count and fill one block of spec bs. */
int report_block_run(report_ctx *x, const block_spec *bs, report_block *b, dv_error *e);
/* Count n specs into one block, laid out by bs[0] (its title, rows,
 * columns and totals): each spec adds its own columns' counts. */
int report_block_run_many(report_ctx *x, const block_spec *bs, size_t n, report_block *b, dv_error *e);
/* Turn counted triples into a block. */
void block_from_acc(report_ctx *x, const block_spec *bs, const acc *a, report_block *b);
/* Allocate b's cells for its nrows and ncols (all zero, all shown). */
void report_block_alloc(report_block *b);
/* Add the data cells of b into its total row and column. */
void report_block_totals(report_block *b);
/* A new zeroed block at the end of t. */
report_block *report_add_block(report_table *t);
/* Add a translated note to t. */
void report_note(report_table *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Seconds Kyiv time is ahead of UTC at the instant utc. */
time_t report_kyiv_offset(time_t utc);

#endif

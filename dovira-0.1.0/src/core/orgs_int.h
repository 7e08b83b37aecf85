/* orgs_int.h: private to the directory module (orgs.c, orgs_search.c,
 * orgs_io.c): the column table that drives checking, storing, importing
 * and exporting an entry, and the store helpers they share. */
#ifndef DOVIRA_ORGS_INT_H
#define DOVIRA_ORGS_INT_H

#include <stddef.h>

#include "dbi.h"
#include "dovira/orgs.h"

typedef enum org_type {
	OT_ID,     /* the slug */
	OT_TEXT,   /* one line of text */
	OT_NOTE,   /* text that may hold newlines */
	OT_CODES,  /* codes of a codeset separated by spaces */
	OT_PHONES, /* numbers separated by ';' */
	OT_LANGS,  /* ISO 639 codes separated by spaces */
	OT_AGE,    /* int, -1 = none */
	OT_FLAG,   /* int 0 or 1 */
	OT_DATE,   /* YYYY-MM-DD */
	OT_STAMP   /* updated_at: set by the module, never by a file */
} org_type;

enum {
	OC_REQUIRED = 1 << 0, /* the CSV header must name it */
	OC_NONEMPTY = 1 << 1, /* the value must not be empty */
	OC_EMPTY_STR = 1 << 2,/* stored as "" (NOT NULL column) when empty */
	OC_ONE = 1 << 3,      /* exactly one code */
	OC_NO_ALL = 1 << 4    /* the area code "all" is not allowed */
};

typedef struct org_col {
	const char *name; /* column name in the table and the CSV header */
	size_t off;       /* offsetof(dv_org, the field) */
	org_type type;
	int codeset;      /* orgs_codeset for OT_CODES */
	unsigned flags;
	size_t max;       /* longest value in bytes (text types) */
} org_col;

extern const org_col orgs_cols[];
extern const size_t orgs_ncols;

/* The string field or int field of o that column c describes. */
char **org_str(dv_org *o, const org_col *c);
int *org_int(dv_org *o, const org_col *c);
const char *org_cstr(const dv_org *o, const org_col *c);
int org_cint(const dv_org *o, const org_col *c);

/* The column named name, or NULL. */
const org_col *org_col_named(const char *name);

/* Collects problems as lines "PREFIXcolumn: message\n". */
typedef struct org_probs {
	dv_buf *out;        /* may be NULL: only count */
	const char *prefix; /* "FILE:LINE: " or "" */
	long n;
} org_probs;

void org_problem(org_probs *p, const char *column, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Tidy o in place: trim, one space between codes, "; " between phones,
 * blank optional text to NULL (to "" for OC_EMPTY_STR). */
void org_normalise(dv_org *o);

/* Check the columns of a normalised o (those with present[i] set, or all
 * if present is NULL); problems go to p. */
void org_check(const dv_org *o, const unsigned char *present, org_probs *p);

/* Check one column's text as a file gives it (trimmed). For OT_AGE and
 * OT_FLAG it is parsed into the int field; other types are stored as a
 * copy. Returns 0, or -1 if the text could not be parsed (reported). */
int org_set_text(dv_org *o, const org_col *c, const char *text, org_probs *p);

/* The value of column c as text for a file: NULL for an empty optional
 * value; ints as decimal (-1 ages as NULL), flags "0"/"1". *tmp holds the
 * storage for numbers. */
const char *org_text(const dv_org *o, const org_col *c, char tmp[static 24]);

/* 1 if a and b differ in column c. */
int org_col_differs(const dv_org *a, const dv_org *b, const org_col *c);

/* "id, name_uk, ..., updated_at" with each name after prefix ("o."). */
char *org_sql_columns(const char *prefix);

/* Read the columns of org_sql_columns() starting at result column first. */
void org_from_row(sqlite3_stmt *st, int first, dv_org *o);

/* Bind every column to parameters first, first+1, ... */
void org_bind(sqlite3_stmt *st, int first, const dv_org *o);

/* Prepared statements kept across many rows (an import): zero-initialise,
 * pass to org_load and org_store, release with org_stmts_free. A NULL
 * org_stmts prepares and finalises each time. */
typedef struct org_stmts {
	sqlite3_stmt *load, *insert, *update;
} org_stmts;

void org_stmts_free(org_stmts *c);

/* Load id into *out inside the caller's transaction: DV_OK, DV_ENOTFOUND,
 * or another code with *e set. */
int org_load(dv_db *db, org_stmts *c, const char *id, dv_org *out, dv_error *e);

/* Insert o (is_new) or replace the row with o's id, with updated_at set
 * to now, inside the caller's transaction. */
int org_store(dv_db *db, org_stmts *c, dv_org *o, int is_new, dv_error *e);

/* DV_OK if actor is a supervisor or admin; DV_EPERM naming what they
 * wanted to do (translated) otherwise. */
int org_require_supervision(dv_db *db, const char *actor, const char *what, dv_error *e);


#endif

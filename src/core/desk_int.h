/* desk_int.h: what the desk's files (desk*.c) share, private to src/core. */
#ifndef DOVIRA_DESK_INT_H
#define DOVIRA_DESK_INT_H

#include "dbi.h"
#include "dovira/desk.h"

/* Run fn(s, arg, e) inside one BEGIN IMMEDIATE transaction. */
int desk_tx(dv_session *s, int (*fn)(dv_session *, void *, dv_error *), void *arg, dv_error *e);

/* Bind t as UTC ISO text, or NULL when t is 0. */
void desk_bind_time(sqlite3_stmt *st, int i, time_t t);

/* Column i as a time (0 when NULL). */
time_t desk_col_time(sqlite3_stmt *st, int i);

/* The columns desk_row_read reads, from "calls c LEFT JOIN cases k". */
#define DESK_ROW_COLUMNS \
	"c.rowid, c.id, c.case_code, c.started_at, c.duration_s, c.operator, c.office, c.kind," \
	" c.status, c.topic, c.risk, (SELECT count(*) FROM referrals f WHERE f.call_id = c.id)," \
	" c.qa_flags, c.queue_state, c.reviewed_by IS NOT NULL, c.corrected, c.callback, k.status"
#define DESK_ROW_FROM " FROM calls c LEFT JOIN cases k ON k.id = c.case_id"

/* Fill *r from a row of DESK_ROW_COLUMNS; now decides DESK_QA_OLD_DRAFT. */
void desk_row_read(sqlite3_stmt *st, time_t now, desk_row *r);
void desk_row_clear(desk_row *r);

/* 1 if the session supervises (supervisor or admin). */
int desk_supervises(const dv_session *s);

/* The one integer a query gives, with its text parameters p[0..np-1];
 * negative dv_code with *e set on failure. */
long long desk_int(dv_session *s, const char *sql, const char *const *p, int np, dv_error *e);
/* The same with the statement kept prepared (dbi_cached): sql must be a
 * string that lives as long as the session (a literal). */
long long desk_int_kept(dv_session *s, const char *sql, const char *const *p, int np, dv_error *e);

/* The corrections of a call made after version after_version, oldest
 * first (desk_call.c). */
long desk_corrections_read(dv_session *s, const char *call_id, long after_version, desk_correction **out, dv_error *e);

/* Read the case with this id into *k (desk_case_clear it). */
int desk_case_read(dv_session *s, const char *case_id, desk_case *k, dv_error *e);

/* The calls of a case, oldest first: all of them if all_operators or the
 * reader supervises, else the reader's own. */
long desk_case_calls(dv_session *s, const char *case_id, int all_operators, desk_row **out, dv_error *e);

/* The call with the case code typed (by look, then by the Ukrainian
 * layout's keys), whoever took it: its id and operator, and the code as
 * normalised. DV_EINVAL for text that is no code, DV_ENOTFOUND. */
int desk_code_call(dv_session *s, const char *typed, char id[static 37], char op[static 64], char code[static 10], dv_error *e);
extern const char DESK_SQL_CODE_CALL[]; /* its statement, kept prepared */

/* Read every row of st (a prepared and bound SELECT of DESK_ROW_COLUMNS;
 * NULL: fail with *e as set) into a new array; finalizes st. Returns the
 * count or a negative dv_code. */
long desk_rows_run(dv_session *s, sqlite3_stmt *st, time_t now, desk_row **out, dv_error *e);

/* Run one statement with text parameters p[0..np-1] (NULL binds NULL) in
 * the caller's transaction; *changes (if not NULL) gets the rows changed. */
int desk_exec(dv_session *s, const char *sql, const char *const *p, int np, int *changes, dv_error *e);
/* The same with the statement kept prepared (sql a literal, as
 * desk_int_kept): for writes that run often, so that the write lock is
 * not held while it compiles again. */
int desk_exec_kept(dv_session *s, const char *sql, const char *const *p, int np, int *changes, dv_error *e);

/* The EXPLAIN QUERY PLAN of a second log page under f, one line per
 * step, appended to *plan (tests and the bench check that every filter
 * uses an index and never sorts the whole log). */
int desk_log_plan(dv_session *s, const desk_filter *f, dv_buf *plan, dv_error *e);

#endif

/* dbi.h: the core's private view of the database handle.
 *
 * Only the store modules of src/core (db, staff, audit, calls, orgs)
 * include this header and <sqlite3.h>; the screens and the command line
 * see only the plain structs and functions of include/dovira/.
 */
#ifndef DOVIRA_DBI_H
#define DOVIRA_DBI_H

#include <sqlite3.h>

#include "dovira/db.h"

struct dv_db {
	sqlite3 *h;
	char *path;
	int readonly;
	int busy_ms;
	void *rank;     /* orgs_search's rank cache, once dv_rank is registered;
	                 * freed by SQLite with the connection */
};

/* Map the last SQLite failure on db (rc is the result code) to a dv_code
 * and a message that says what to do; what names the operation
 * (already translated), e.g. "saving the call". Returns the dv_code. */
int dbi_fail(dv_db *db, int rc, const char *what, dv_error *e);

/* BEGIN IMMEDIATE, waiting up to the busy timeout. */
int dbi_begin(dv_db *db, dv_error *e);
/* COMMIT; on failure the transaction is rolled back. */
int dbi_commit(dv_db *db, dv_error *e);
/* ROLLBACK, ignoring errors (the transaction may already be gone). */
void dbi_rollback(dv_db *db);

/* Prepare sql; on failure set *e (DV_EINTERNAL or a mapped code), NULL. */
sqlite3_stmt *dbi_prepare(dv_db *db, const char *sql, dv_error *e);

/* Execute one or more statements without results. */
int dbi_exec(dv_db *db, const char *sql, dv_error *e);

/* Bind a text or NULL (if s is NULL) to parameter i. */
void dbi_bind_text(sqlite3_stmt *st, int i, const char *s);

/* A copy of column i as text, or NULL if the column is NULL. */
char *dbi_col_dup(sqlite3_stmt *st, int i);


/* Open path and bring its schema only up to version target (tests use it
 * to make databases of earlier versions). flags and login as in db_open. */
dv_db *dbi_open_version(const char *path, int flags, const char *login, int target, dv_error *e);

/* Make login the first admin of a new database (staff.c). Called inside
 * db_open; opens its own transaction. */
int dbi_first_admin(dv_db *db, const char *login, dv_error *e);

#endif

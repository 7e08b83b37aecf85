/* session.h: one person's session on one database.
 *
 * The context handed down to the screens and commands: the database, who
 * is using it and their role, the office, the language. No globals.
 */
#ifndef DOVIRA_SESSION_H
#define DOVIRA_SESSION_H

#include "dovira/db.h"
#include "dovira/staff.h"

typedef struct dv_session {
	dv_db *db;
	char login[64];
	staff_role role;
	char office[64];
	char *db_path;
} dv_session;

/* Open the database at path for the account running the program and look
 * the account up. An unknown or removed account is refused (DV_EUNKNOWN)
 * with a message saying who can add it. flags as in db_open. The caller
 * frees the session with session_close. */
dv_session *session_open(const char *path, int flags, dv_error *e);
void session_close(dv_session *s);

/* Read the account's role again from the staff table, so that an account
 * removed or demoted while its session is open loses its rights at its next
 * action. Updates s->role. Returns DV_OK, DV_EUNKNOWN (with a message) if
 * the account is no longer on the staff list, or the failure to read.
 * Core functions that act for the session call it; screens may too. */
int session_recheck(dv_session *s, dv_error *e);

/* 1 if the session's role (as last read) is one of roles (a mask of
 * staff_role). */
int session_may(const dv_session *s, unsigned roles);

#endif

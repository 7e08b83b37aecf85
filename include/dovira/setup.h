/* setup.h: a database made ready for use, composed above db.h.
 *
 * db.c opens, migrates and copies a file and knows nothing of the rules
 * kept in it. What a new database needs (its first administrator) and
 * what makes a copy a backup (verifying it: integrity, the application id
 * and schema version, the audit chain) are composed here, over db.h,
 * staff.h and audit.h, so that the dependencies of the core point one way:
 * setup -> staff, audit -> db.
 */
#ifndef DOVIRA_SETUP_H
#define DOVIRA_SETUP_H

#include "dovira/db.h"

/* Open path as db_open does. When this call created the database (flags
 * has DB_OPEN_CREATE and the file had no schema yet), login becomes its
 * first administrator (staff_first_admin); if that fails the new file is
 * removed again. login may be NULL only without DB_OPEN_CREATE. Returns
 * the handle, or NULL with *e set. The caller closes it. */
dv_db *setup_open(const char *path, int flags, const char *login, dv_error *e);

/* Write a verified backup of db to dest: copy it (db_copy), then open the
 * copy read-only (which checks the application id and schema version)
 * and check its integrity and its audit chain. dest must not exist; a
 * copy that fails any check is removed and the failure is in *e. */
int setup_backup(dv_db *db, const char *dest, dv_error *e);

#endif

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

/* Write a verified backup of db to dest while others write: copy it as an
 * unnamed file beside dest (db_copy_unnamed: short read locks only), check
 * its integrity, schema and audit chain, and only then give it the name
 * dest, so that a backup stopped at any point or failing a check leaves
 * no file. The copy's head is recorded as the database's audit anchor.
 * dest must not exist. st (may be NULL) receives what the copy cost.
 * DV_OK, or a code with *e set. */
int setup_backup(dv_db *db, const char *dest, db_copy_stats *st, dv_error *e);

#endif

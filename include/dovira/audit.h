/* audit.h: the append-only audit trail.
 *
 * Every creation, change, view of a record's detail, export, purge and
 * staff change adds one row: who, what, which record, when (UTC), and the
 * SHA-256 of the row before it, so that a row altered or removed offline
 * breaks the chain. Triggers refuse UPDATE and DELETE on the table.
 */
#ifndef DOVIRA_AUDIT_H
#define DOVIRA_AUDIT_H

#include "dovira/db.h"

/* Append a row. Must be called inside the caller's write transaction
 * (dbi_begin), so that the audited change and its row commit together.
 * action is a short code ("call.create", "staff.add", "org.edit", ...);
 * object names the record (a UUID, a login, an org id) or is NULL; detail
 * is a short sanitised remark or NULL. */
int audit_append(dv_db *db, const char *actor, const char *action,
		 const char *object, const char *detail, dv_error *e);

/* The same as audit_append, in a transaction of its own: for events that
 * change nothing else (an export, a backup). */
int audit_log(dv_db *db, const char *actor, const char *action,
	      const char *object, const char *detail, dv_error *e);

/* Verify the whole chain. Each broken row is appended to *report as one
 * line naming its sequence number and what is wrong. Returns DV_OK if the
 * chain holds, DV_ECORRUPT if not, another code if it could not be read.
 * *rows receives the number of rows checked. */
int audit_verify(dv_db *db, dv_buf *report, long *rows, dv_error *e);

/* The SHA-256 of len bytes as 64 lower-case hex digits plus NUL. */
void audit_sha256_hex(const void *data, size_t len, char out[static 65]);

#endif

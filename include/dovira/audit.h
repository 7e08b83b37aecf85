/* audit.h: the append-only audit trail.
 *
 * Every creation, change, view of a record's detail, export, purge and
 * staff change adds one row: who, what, which record, when (UTC), the
 * digest of the record as the change left it, and a keyed hash
 * (HMAC-SHA-256 with the audit key, settings.h) over all of that and the
 * hash of the row before. Without the key nobody can write a row that
 * verifies, so a row altered, or a chain recomputed after an edit, shows.
 * Triggers refuse UPDATE and DELETE on the table; removing the last rows
 * is caught by the anchors: each check and backup records the head of the
 * chain in a file outside the database, and the next check proves the
 * chain still reaches it.
 *
 * Record digests: an action "staff.*" about a login, "call.*" or "draft.*"
 * about a call id, and any other action whose object is the id of an
 * existing call, store the SHA-256 of that record (a call with its answers
 * and referrals; "gone" once removed), computed by audit_append itself
 * inside the caller's transaction. So every path that audits a change to a call or a staff
 * row (including ones added later, such as corrections) carries it with
 * no extra work; the caller must audit after making the change.
 *
 * Databases from before the key (schema 2) keep their old rows; the
 * upgrade seals them with the first keyed row and records a baseline
 * digest of every staff row and final call (schema_audit.h).
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

/* The head of the chain: its last row. */
typedef struct audit_head {
	long long seq;  /* 0 for an empty chain */
	char hash[65];
} audit_head;

/* A head recorded outside the database. */
typedef struct audit_anchor {
	long long seq;
	char hash[65];
	char at[21];  /* when, UTC */
	char by[16];  /* "check" or "backup" */
} audit_anchor;

/* Verify the whole chain, reading it in short transactions: every row's
 * keyed hash, the links, the seal of rows from before the key; and, if
 * anchor is not NULL, that the chain still holds the anchored row
 * unchanged. Each problem is appended to *report as one line naming the
 * row and what happened (the first 20 of a kind, then a count). Returns
 * DV_OK if the chain holds, DV_ECORRUPT if not, another code if it could
 * not be read (the audit key missing, for one). *rows receives the number
 * of rows read, *head the last row. */
int audit_verify_to(dv_db *db, const audit_anchor *anchor, dv_buf *report, long *rows,
		    audit_head *head, dv_error *e);

typedef struct audit_records audit_records;

/* audit_verify_to that also hands a records job made on a snapshot
 * (audit_records_new(1)) the digests of every audited change as it reads
 * them, so that the records need not read the audit again. */
int audit_verify_into(dv_db *db, const audit_anchor *anchor, audit_records *into, dv_buf *report,
		      long *rows, audit_head *head, dv_error *e);

/* audit_verify_to without an anchor. */
int audit_verify(dv_db *db, dv_buf *report, long *rows, dv_error *e);

/* The last anchor recorded for this database (by its real path) in the
 * anchors file (settings.h). Returns 1 and fills *out if there is one, 0
 * if none; DV_ECORRUPT with a line per bad line in *report if a line of
 * the file is not signed with the audit key; another code if the file
 * cannot be read. */
int audit_anchor_find(dv_db *db, audit_anchor *out, dv_buf *report, dv_error *e);

/* Append head as this database's anchor, by "check" or "backup". */
int audit_anchor_record(dv_db *db, const audit_head *head, const char *by, dv_error *e);

/* Compare every staff row, every final call, every case and every
 * directory entry with the digest its last audited change recorded, and find records the audit names that are
 * gone, in short read transactions. One line per problem (naming the
 * record and the audit row) in *report. DV_OK, DV_ECORRUPT, or another
 * code. *calls and *staff receive how many records were read. */
int audit_check_records(dv_db *db, dv_buf *report, long *calls, long *staff, dv_error *e);

/* The same check shared among threads, each with its own connection to
 * the same database (db_snapshot_twin): make the job, let each thread
 * call audit_records_work (it returns when no part is left to take),
 * then, once all have returned, audit_records_end reports as
 * audit_check_records would (the same lines, in key order; on a snapshot
 * also answers of no call, see audit_records_proves_answers) and frees
 * the job. */
audit_records *audit_records_new(int snapshot);
/* With snapshot set, the job reads the calls in the order they are
 * stored and sorts them in memory (about 290 bytes a call), which only a
 * database that does not change between reads allows; it takes the
 * audit's digests from audit_verify_into, and its work waits until
 * audit_records_digests_end says the walk is over (if the walk did not
 * read every row, the records read the audit table themselves). Call it
 * once audit_verify_into has returned, or in its stead. */
void audit_records_digests_end(audit_records *job);
/* Whether the job reads every answer beside its call and names those of
 * no call (on a snapshot): the integrity check may then leave out the
 * foreign key of answers (db_integrity_but). */
int audit_records_proves_answers(const audit_records *job);
/* Range the calls by the digits that follow the prefix every call's id
 * shares (its hour's first digits, calls_make_id), so that the threads
 * share the calls evenly; before any thread works on the job or the chain
 * walk hands it digests. Without it they are ranged by their first two
 * digits. */
int audit_records_prefix(audit_records *job, dv_db *db, dv_error *e);
void audit_records_work(audit_records *job, dv_db *db);
int audit_records_end(audit_records *job, dv_buf *report, long *calls, long *staff, dv_error *e);
/* How many cases and directory entries the job compared with their last
 * audited change (read with the staff); before audit_records_end. */
void audit_records_others(const audit_records *job, long *cases, long *orgs);

/* The SHA-256 of len bytes as 64 lower-case hex digits plus NUL. */
void audit_sha256_hex(const void *data, size_t len, char out[static 65]);

#endif

/* bulk.h: writing many whole records in few transactions.
 *
 * The demo generator (demo.h) and any future import write complete calls
 * here instead of through calls_begin/calls_save/calls_finish, which take
 * three transactions per call. The same rules hold: notes and answers
 * pass the sanitiser and the redactor, every call is audited
 * ("call.create", detail "KIND bulk"), referrals must name directory
 * entries, the session must be an administrator. Statements are prepared
 * once per batch; nothing is visible to others before bulk_commit.
 */
#ifndef DOVIRA_BULK_H
#define DOVIRA_BULK_H

#include <time.h>

#include "dovira/calls.h"
#include "dovira/session.h"

typedef struct bulk bulk;

/* What a call carries beyond call_record: the desk's columns. */
typedef struct bulk_extra {
	const char *case_id;     /* cases.id the call belongs to, or NULL */
	unsigned qa_flags;       /* DESK_QA_* bits (desk.h) */
	const char *queue;       /* queue rule codes, space-separated, or NULL */
	const char *ack_by;      /* queued and acknowledged by (NULL: waiting) */
	const char *ack_comment; /* the acknowledgement's comment */
	time_t ack_at;
	const char *reviewed_by; /* marked reviewed by, or NULL */
	time_t reviewed_at;
	const call_referral *recs; /* what the script recommended (desk.h:
	                            * desk_assessment), stored with a final call */
	size_t nrecs;
} bulk_extra;

/* A case to create. */
typedef struct bulk_case {
	char id[37];         /* UUID */
	char code[10];       /* the case code of its first call */
	const char *status;  /* "open", "follow_up" or "closed" */
	const char *status_by;
	time_t status_at;
	time_t created_at;
	time_t callback_due; /* 0: none */
	const char *owner;   /* a staff login or NULL */
} bulk_case;

/* Open one write transaction for a batch. Administrators only
 * (DV_EPERM). Returns the batch, or NULL with *e set. */
bulk *bulk_begin(dv_session *s, dv_error *e);

/* Add a whole call. r must have an id, a case code, started_at and, when
 * final, ended_at and duration; r->operator_login must be a staff login.
 * r's notes and answers are redacted in place (as calls_save does). x may
 * be NULL. On failure the batch is rolled back and freed: the caller must
 * not use b again. */
int bulk_add_call(bulk *b, call_record *r, const bulk_extra *x, dv_error *e);

/* Create a case (audited "case.create"). Failure as bulk_add_call. */
int bulk_add_case(bulk *b, const bulk_case *c, dv_error *e);

/* Mark the database as a training database (db_marks 'training'; kept if
 * already set), audited "db.training" with detail. Failure as
 * bulk_add_call. */
int bulk_mark_training(bulk *b, const char *detail, dv_error *e);

/* 1 if the database is marked as a training database, 0 if not, or a
 * negative dv_code with *e set. */
int bulk_is_training(dv_db *db, dv_error *e);

/* How many calls a database holds (0 for an empty log), or a negative
 * dv_code with *e set. */
long bulk_count_calls(dv_db *db, dv_error *e);

/* Commit the batch and free it (also on failure, which rolls back). */
int bulk_commit(bulk *b, dv_error *e);

/* Roll back and free (NULL is fine). */
void bulk_abort(bulk *b);

#endif

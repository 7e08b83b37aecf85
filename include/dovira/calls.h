/* calls.h: the call log: drafts, saved records, non-data calls, referrals.
 *
 * A call is a draft from its first answer and is written to the database
 * after every answer (calls_save), so that nothing typed is lost. It
 * becomes final with calls_finish. Only coded fields are stored; notes
 * pass the redactor (redact.h) inside calls_save, so every face of the
 * program obeys the same rule. Each write is one short transaction.
 *
 * Records carry a version counter: calls_save fails with DV_ECONFLICT if
 * someone else saved the record since it was read.
 */
#ifndef DOVIRA_CALLS_H
#define DOVIRA_CALLS_H

#include <time.h>

#include "dovira/columns.h"
#include "dovira/redact.h"
#include "dovira/session.h"

/* Kinds of call. A data call follows the script; the others are logged in
 * one key with nothing but time, duration, operator and kind. */
typedef enum call_kind {
	CALL_DATA,
	CALL_SILENT,
	CALL_HANGUP,
	CALL_ABUSIVE,
	CALL_WRONG_NUMBER,
	CALL_TEST,
	CALL_NKINDS
} call_kind;

const char *calls_kind_code(call_kind k);  /* "data", "silent", ... */
const char *calls_kind_label(call_kind k); /* translated */

typedef struct call_answer {
	char *step;
	char *value;
} call_answer;

typedef struct call_referral {
	char *org_id;
	char *service;
	int recommended; /* 1 if the script recommended it */
} call_referral;

typedef struct call_record {
	char id[37];        /* UUID */
	char case_code[10]; /* "ABCD-EFGH", for a caller who will call back */
	time_t started_at;
	time_t ended_at;    /* 0 while a draft */
	long duration_s;
	char *operator_login;
	char *office;
	char *script_id;
	char *script_version;
	int final;          /* 0 draft, 1 final */
	long version;       /* bumped by every save */
	call_kind kind;
	char *col[COL_NCOLS]; /* core columns, NULL when unanswered */
	char *risk;         /* "none", "possible", "likely" or NULL */
	char *step;         /* the script step the operator was at (drafts) */
	call_answer *answers; /* other steps' answers */
	size_t nanswers;
	call_referral *referrals;
	size_t nreferrals;
	/* Findings of the redactor in the last saved notes (offsets into the
	 * stored, redacted notes: each spans the tag that replaced it). */
	redact_hit *notes_hits;
	size_t nnotes_hits;
	/* What the stored row holds as of version, known once the record was
	 * read or saved (calls.c's own): a save writes only the columns that
	 * differ, so that the indexes on the others are left alone. */
	char *saved_col[COL_NCOLS], *saved_risk, *saved_step;
	int saved_known;
	/* The answers as last saved or read (already redacted): a save
	 * redacts only the text typed since (calls.c's own). */
	call_answer *saved_answers;
	size_t nsaved_answers;
	/* A draft save that gave up waiting while another session had its
	 * intent in hand (a combiner stopped, not dead): its save number, 0 if
	 * none. The next save of the record learns first whether it was
	 * applied (calls.c's own). */
	long unsettled_seq;
} call_record;

/* The case code of a UUID: 8 Crockford base32 characters of its first 40
 * bits, as "XXXX-XXXX". out must hold 10 bytes. */
void calls_case_code(const unsigned char uuid[16], char out[static 10]);

/* A call's id, from 16 random bytes and the time the call began: a UUID
 * of RFC 9562's version 8 (a layout of its own) whose first 32 bits are
 * the hours since 1970 (UTC) and the rest random[4..15]. Answers are kept
 * in the order of their call's id (answers is WITHOUT ROWID, keyed by
 * call_id and step), and so are the entries of the calls' id index: with
 * random ids every draft open at once had its answers in a page of its
 * own, and a commit of 20 draft saves wrote 55 to 65 pages of the
 * database. Calls of one hour now sit together. The hour says no more
 * than the call's start time does, which retention keeps to the hour.
 * out must hold 37 bytes. */
void calls_make_id(const unsigned char random[16], time_t at, char out[static 37]);

/* Start a data call: a new draft owned by the session's operator, written
 * at once (audited "call.create"). Returns a record the caller frees with
 * call_free, or NULL with *e set. */
call_record *calls_begin(dv_session *s, const char *script_id, const char *script_version, dv_error *e);

/* Set a core column (value NULL clears it); the record keeps a copy. */
void call_set_col(call_record *r, call_col c, const char *value);
/* Set or clear (value NULL) the answer to a non-core step. */
void call_set_answer(call_record *r, const char *step, const char *value);
/* Remove every non-core answer. */
void call_clear_answers(call_record *r);
/* Set the risk level and the step the operator is at (either may be NULL). */
void call_set_progress(call_record *r, const char *risk, const char *step);

/* Write the draft: core columns (notes redacted first; r->col[COL_NOTES]
 * is replaced by the redacted text and r->notes_hits filled), answers,
 * risk and step. One transaction; bumps r->version. DV_ECONFLICT if the
 * stored version differs. The session's operator must own the draft. */
int calls_save(dv_session *s, call_record *r, dv_error *e);

/* Redact the notes and answers of r in place, as calls_save does before
 * writing (for a draft kept anywhere else: spool.h). */
void calls_redact(call_record *r);

/* Save and make the record final: sets ended_at and the duration,
 * audited "call.finish". */
int calls_finish(dv_session *s, call_record *r, dv_error *e);

/* Log a non-data call in one step: a final record with the kind,
 * started_at (when the operator picked up, or now if 0) and the duration.
 * Audited "call.create". Writes the new record's case code to case_code
 * if not NULL. */
int calls_log_nondata(dv_session *s, call_kind kind, time_t started_at, char case_code[10], dv_error *e);

/* The session operator's unfinished draft, newest first, or NULL (with
 * e->code DV_OK) if there is none. The caller frees it. */
call_record *calls_find_draft(dv_session *s, dv_error *e);

/* Every unfinished draft of the session's operator, newest first: stores
 * a new array of n records in *out (free with calls_free_list) and
 * returns n; 0 with e->code set if they cannot be read. */
size_t calls_list_drafts(dv_session *s, call_record ***out, dv_error *e);

/* Free n records of such an array and the array (NULL is fine). */
void calls_free_list(call_record **v, size_t n);

/* Discard a draft of the session's operator (audited "call.discard"). */
int calls_discard(dv_session *s, call_record *r, dv_error *e);

/* Record a referral on the call (written at once; audited
 * "call.refer"): to the directory entry org_id, for service (a service
 * code; NULL or "" when none applies, e.g. the police). Referring twice to
 * the same org and service is one referral. DV_ENOTFOUND ("the
 * organisation X is not in the directory") for an id the directory lacks;
 * DV_EINVAL for a retired entry or a final call; nothing is written then. */
int calls_add_referral(dv_session *s, call_record *r, const char *org_id, const char *service, int recommended, dv_error *e);
/* Remove a referral (audited "call.unrefer"). */
int calls_remove_referral(dv_session *s, call_record *r, const char *org_id, const char *service, dv_error *e);

/* Read one record with its answers and referrals. Viewing a final
 * record's detail is audited ("call.view") unless it is the operator's own
 * draft. Operators may read only their own calls; supervisors all. */
call_record *calls_get(dv_session *s, const char *id, dv_error *e);

void call_free(call_record *r);

/* Read one record for the core's own derived work (the desk re-assessing
 * a call after a correction): no permission check and no audit row, so
 * it must never feed what a person sees; show calls with calls_get. */
call_record *calls_read_unaudited(dv_session *s, const char *id, dv_error *e);

#endif

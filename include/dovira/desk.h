/* desk.h: the supervisor's desk: the call log, one call in full, cases,
 * the high-risk queue, QA flags, reviews, corrections, orphaned drafts,
 * per-operator figures and the audit trail.
 *
 * Every rule of who may see and do what lives here, once, for the
 * screens and the command line alike:
 * - operators see only their own calls, by every path (the log, a case
 *   code, an id, a case's other calls); supervisors and admins see all;
 * - opening a final call that is not one's own is audited "call.view";
 * - a follow-up view shows another operator's notes only to supervisors
 *   and admins;
 * - every change (case status, owner, due date, linking, acknowledging,
 *   reviewing, correcting, finishing or discarding a draft) is one short
 *   transaction with its audit row.
 *
 * Times are time_t (UTC); 0 means "none". Strings in returned structs
 * belong to the struct and are released by its free function. Functions
 * returning int give DV_OK or a negative dv_code with *e set; functions
 * returning a count give it, or a negative dv_code with *e set.
 */
#ifndef DOVIRA_DESK_H
#define DOVIRA_DESK_H

#include <stddef.h>
#include <time.h>

#include "dovira/calls.h"
#include "dovira/script.h"
#include "dovira/session.h"

/* ---- QA flags ---- */

/* Flags of a call, as bits. All but DESK_QA_OLD_DRAFT are stored with the
 * call when it is assessed (desk_assess_store); DESK_QA_OLD_DRAFT is
 * computed when read, from the clock. */
typedef enum desk_qa {
	DESK_QA_LIKELY_NO_REFERRAL = 1 << 0, /* risk likely, no referral made */
	DESK_QA_DANGER_NO_EMERGENCY = 1 << 1, /* danger now "yes", no referral to the police or an emergency number */
	DESK_QA_RECOMMENDED_NOT_MADE = 1 << 2, /* a referral the script recommended was not made */
	DESK_QA_UNVERIFIED_REFERRAL = 1 << 3, /* a referral to a directory entry nobody verified */
	DESK_QA_SHORT_CALL = 1 << 4,         /* a final data call under 60 seconds */
	DESK_QA_UNKNOWN_REQUIRED = 1 << 5,   /* a required answer left "unknown" */
	DESK_QA_OLD_DRAFT = 1 << 6,          /* a draft older than a shift */
	DESK_QA_NFLAGS = 7
} desk_qa;

/* A draft older than this is "older than the shift" and orphaned. */
#define DESK_SHIFT_SECONDS (12 * 3600)

/* The flag of bit index i (0 .. DESK_QA_NFLAGS-1): a short code for the
 * command line ("likely-no-referral") and a translated label; NULL when i
 * is out of range. */
const char *desk_qa_code(int i);
const char *desk_qa_label(int i);
/* A translated abbreviation of at most 3 columns for a log row. */
const char *desk_qa_short(int i);
/* The bit of a flag code, or 0 if unknown. */
unsigned desk_qa_parse(const char *code);

/* ---- the training mark ---- */

/* 1 if the database was filled by `dovira demo` (a training database), 0
 * if not, negative with *e set if it cannot be read. */
int desk_is_training(dv_db *db, dv_error *e);

/* ---- assessment: the queue and the flags of a call ---- */

/* What the script and the directory say about a call. */
typedef struct desk_assessment {
	script_risk risk;  /* recomputed from the answers */
	unsigned qa_flags; /* DESK_QA_* bits, never DESK_QA_OLD_DRAFT */
	char *queue;       /* codes of the queue rules that hold, space-separated; NULL if none */
	call_referral *recs; /* the referrals the script recommends that the
	                      * directory can back (recommend.h), each once;
	                      * desk_assess_store keeps them with the call */
	size_t nrecs;
} desk_assessment;

typedef struct desk_assessor desk_assessor;

/* An assessor for calls taken under scr (which must outlive it): it reads
 * the directory once (which entries are verified, which are the police
 * or an emergency number). NULL with *e set on failure. */
desk_assessor *desk_assessor_new(dv_db *db, const script *scr, dv_error *e);
void desk_assessor_free(desk_assessor *a);

/* 1 if the directory entry org may be recommended (a telephone, not
 * do-not-refer, not retired: recommend.h), else 0. */
int desk_assessor_referable(const desk_assessor *a, const char *org);

/* The answers a record holds (core columns and other answers), as script
 * answers of scr; values scr refuses are left out. Never NULL; the caller
 * frees with script_answers_free. */
script_answers *desk_answers_of(const script *scr, const call_record *r);

/* Assess r (its answers, referrals, kind, duration). Fills *out; the
 * caller releases it with desk_assessment_clear. Non-data calls get no
 * flags and no queue. */
void desk_assess(const desk_assessor *a, const call_record *r, desk_assessment *out);
void desk_assessment_clear(desk_assessment *x);

/* Assess the final call r under scr and store its flags and queue rules
 * (a call newly queued is waiting for acknowledgement; one that was
 * acknowledged stays so). Call it after calls_finish and after a
 * correction. One transaction; not audited (it derives from what is
 * stored and audited already). */
int desk_assess_store(dv_session *s, const script *scr, const call_record *r, dv_error *e);

/* Store the text of a script version (read from path) the first time a
 * call is saved under it, so that calls read with the labels they were
 * taken with. A second text for the same id and version is ignored (the
 * first one stays). */
int desk_remember_script(dv_session *s, const char *path, dv_error *e);

/* The script a call was taken under, parsed from its stored text; NULL
 * (with e->code DV_ENOTFOUND) if the database has no text for it. The
 * caller frees with script_free. */
script *desk_script_of(dv_session *s, const char *script_id, const char *version, dv_error *e);

/* ---- the call log ---- */

/* Filters; every field that is not "any" narrows the list. Initialise
 * with desk_filter_init. Strings are borrowed. */
typedef struct desk_filter {
	time_t from, to;            /* started in [from, to); 0: open */
	const char *office;         /* NULL: any */
	const char *operator_login; /* NULL: any (operators: always themselves) */
	int kind;                   /* -1: any, else a call_kind */
	const char *topic;          /* NULL: any */
	const char *risk;           /* NULL: any; "none", "possible", "likely" */
	int final;                  /* -1 any, 0 drafts, 1 final */
	int callback;               /* -1 any, 0 no, 1 call-back agreed */
	int flagged;                /* -1 any, 0 no flag, 1 some flag */
	unsigned flags;             /* 0: any; else calls with every one of these bits */
	int reviewed;               /* -1 any, 0 not reviewed, 1 reviewed */
	int queue;                  /* -1 any, 0 not queued, 1 waiting, 2 acknowledged */
	const char *case_status;    /* NULL any; "open", "follow_up", "closed", or "none" (no case) */
	const char *case_code;      /* NULL any; else the calls of the case of this code (any typed form) */
	long draft_age;             /* 0 any; else drafts of other operators started more than
	                             * this many seconds before now (the orphaned drafts) */
} desk_filter;

/* Every field "any". */
void desk_filter_init(desk_filter *f);

/* A named period for the filter: "today" (since local midnight), "shift"
 * (the last DESK_SHIFT_SECONDS), "week" (7 days), "month" (30 days), or
 * a calendar month "YYYY-MM" or day "YYYY-MM-DD" (UTC). Sets *from and
 * *to; DV_EINVAL for anything else. */
int desk_period(const char *name, time_t now, time_t *from, time_t *to, dv_error *e);

/* One line of the log. */
typedef struct desk_row {
	char id[37];
	char case_code[10];
	time_t started_at;
	long duration_s;
	char *operator_login;
	char *office;
	call_kind kind;
	int final;
	char *topic;       /* NULL if unanswered */
	char *risk;        /* NULL if unanswered */
	int nreferrals;    /* made */
	unsigned qa_flags; /* stored flags, plus DESK_QA_OLD_DRAFT when due */
	int queue;         /* 0 not queued, 1 waiting, 2 acknowledged */
	int reviewed;
	int corrected;     /* number of corrections */
	int callback;      /* 1 call-back agreed */
	char *case_status; /* NULL: no case */
	long long seq;     /* the call's position in the log (for cursors) */
} desk_row;

/* A position in the log: the next page starts after it. All zero: from
 * the newest call. */
typedef struct desk_cursor {
	char at[21];
	long long seq;
} desk_cursor;

/* A page of the log, newest first: at most limit (1..1000) rows after
 * *after (NULL: from the newest) that pass *f (NULL: no filter). Stores
 * an array in *out (free with desk_rows_free; NULL when empty) and, if
 * next is not NULL, the cursor for the next page. Returns the number of
 * rows. Operators get only their own calls whatever f says. Uses indexes
 * so that any page is quick at a million calls. */
long desk_log_page(dv_session *s, const desk_filter *f, const desk_cursor *after, size_t limit,
		   desk_row **out, desk_cursor *next, dv_error *e);

/* The page before *before (the screens' "page up"): at most limit rows
 * newer than *before, nearest to it, returned newest first like
 * desk_log_page. before NULL: the oldest page (the screens' "End").
 * *first (if not NULL) receives the cursor of the first row returned,
 * to page up again (all zero when they reach the newest). A cursor names
 * a row: desk_log_page gives the rows after (older than) it,
 * desk_log_page_before those before (newer than) it. */
long desk_log_page_before(dv_session *s, const desk_filter *f, const desk_cursor *before, size_t limit,
			  desk_row **out, desk_cursor *first, dv_error *e);

/* The cursor just before row r: a page after it starts with r. */
void desk_cursor_at(const desk_row *r, desk_cursor *c);

void desk_rows_free(desk_row *v, long n);

/* A new call for a caller who rings back: calls_begin, then
 * desk_case_link(s, new_call_id, code) links it to the case. */

/* ---- case codes ---- */

/* Normalise a typed case code to "XXXX-XXXX": blanks and dashes are
 * dropped, letters folded to upper case, Crockford's look-alikes read as
 * digits (I and L as 1, O as 0), Cyrillic letters that look like Latin
 * ones read as those (А В Е К М Н О Р С Т Х І; Ukrainian-layout typing
 * of the Latin letters is not guessed: see doc/supervisor-guide.md).
 * Returns 0, or -1 if the text is not 8 code characters. */
int desk_code_normalise(const char *typed, char out[static 10]);

/* The same text read as typed blind on the Latin keys with the Ukrainian
 * layout on (й as Q, ц as W, е as T, ...): for a code that the reading by
 * look does not find. Returns 0, or -1 if it is not 8 code characters. */
int desk_code_normalise_keys(const char *typed, char out[static 10]);

/* The id of the call with this case code (typed in any of the forms
 * above). DV_ENOTFOUND if none; an operator looking up another
 * operator's call gets DV_ENOTFOUND too (not whether it exists). */
int desk_find_code(dv_session *s, const char *typed, char id[static 37], dv_error *e);

/* ---- one call in full ---- */

typedef struct desk_line {
	char *step;     /* step id */
	char *question; /* the step's text in the current language, from the
	                 * script version that took the call; the step id if
	                 * that script is unknown */
	char *value;    /* the stored answer (codes) */
	char *label;    /* the answer in words (option labels, comma-separated) */
} desk_line;

typedef struct desk_referral {
	char *org_id;
	char *org_name;  /* in the current language; the id if not in the directory */
	char *service;
	int recommended; /* the script recommended it */
	int made;        /* it was made (0: recommended, not made) */
	int verified;    /* the directory entry is verified */
} desk_referral;

typedef struct desk_correction {
	long version;
	char *field, *old_value, *new_value, *reason, *who;
	time_t at;
} desk_correction;

typedef struct desk_case {
	char id[37];
	char code[10];
	char *status;      /* "open", "follow_up", "closed" */
	char *status_by;
	time_t status_at;
	time_t callback_due; /* 0: none */
	char *owner;       /* NULL: none */
	int legal_hold;
	long version;
} desk_case;

typedef struct desk_call {
	call_record *r;      /* the record as stored (notes redacted) */
	char *script_title;  /* NULL if the script text is unknown */
	int script_known;    /* the script version's text is in the database */
	desk_line *lines;    /* every answer, in script order */
	size_t nlines;
	char **why;          /* why the risk is what it is: rules that held and
	                      * the indicators chosen, one line each */
	size_t nwhy;
	desk_referral *refs; /* made and recommended */
	size_t nrefs;
	unsigned qa_flags;
	char *queue;         /* queue rule codes, or NULL */
	int queue_state;     /* 0, 1 waiting, 2 acknowledged */
	char *ack_by, *ack_comment;
	time_t ack_at;
	char *reviewed_by;
	time_t reviewed_at;
	char *finished_by;   /* a supervisor who finished the orphaned draft */
	desk_correction *corr;
	size_t ncorr;
	desk_case *kase;     /* NULL if the call belongs to no case */
	desk_row *case_calls; /* the case's other calls the reader may see */
	long ncase_calls;
} desk_call;

/* Open one call by id or case code (any typed form). Audited "call.view"
 * as calls_get does: always when the call is final (the reader's own
 * included) or another operator's draft. Operators may open only their
 * own calls (DV_EPERM by id; by code DV_ENOTFOUND, as desk_find_code).
 * The caller frees with desk_call_free. */
desk_call *desk_call_open(dv_session *s, const char *id_or_code, dv_error *e);
void desk_call_free(desk_call *c);

/* ---- cases ---- */

/* What a follow-up call needs about the case of a code: the case and
 * every call of it, each with its coded summary and referrals; the notes
 * of a call only when it is the reader's own or the reader supervises. */
typedef struct desk_followup_call {
	desk_row row;
	char *outcome;
	char *notes;     /* NULL unless the reader may read them */
	char **refs;     /* "org-id service" of each referral made */
	size_t nrefs;
} desk_followup_call;

typedef struct desk_followup {
	desk_case kase;  /* id[0] == 0 when the call has no case yet */
	char first_call[37];
	desk_followup_call *calls; /* oldest first */
	size_t ncalls;
} desk_followup;

/* The follow-up view of a case code. Every operator may look a code up
 * (the caller gave it to them); notes follow the rule above. Audited
 * "case.lookup". The caller frees with desk_followup_free. */
desk_followup *desk_followup_get(dv_session *s, const char *typed, dv_error *e);
void desk_followup_free(desk_followup *f);

/* Link the call call_id to the case of the code typed (creating the case
 * from the code's call if it has none). Operators may link only their
 * own calls; supervisors any. A call already in another case moves.
 * Audited "case.link" (detail: the case code). */
int desk_case_link(dv_session *s, const char *call_id, const char *typed, dv_error *e);

/* Change a case (found by any call's code). status: NULL keeps it, else
 * "open", "follow_up" or "closed"; owner: NULL keeps it, "" clears it,
 * else a staff login; due: -1 keeps it, 0 clears it. Supervisors and
 * admins, and the case's owner for status and due. Creates the case if
 * the code's call has none. Each change audited ("case.status",
 * "case.owner", "case.due"). */
int desk_case_set(dv_session *s, const char *typed, const char *status, const char *owner, time_t due, dv_error *e);

/* Cases whose call-back is due before now and not closed, most overdue
 * first, at most limit. Supervisors and admins see all; operators the
 * cases they own. */
long desk_overdue(dv_session *s, time_t now, size_t limit, desk_case **out, dv_error *e);
void desk_cases_free(desk_case *v, long n);
void desk_case_clear(desk_case *c);

/* ---- queue, reviews ---- */

/* Acknowledge a queued call with a short comment (1..200 characters).
 * Supervisors and admins. DV_EINVAL if the call is not in the queue;
 * DV_ECONFLICT if someone acknowledged it already (the message names
 * who). Audited "queue.ack". The queue itself is the log with the filter
 * queue = 1. */
int desk_queue_ack(dv_session *s, const char *call_id, const char *comment, dv_error *e);

/* Mark a final call reviewed. Supervisors and admins. Audited
 * "call.review". Reviewing twice keeps the first mark (DV_OK). */
int desk_mark_reviewed(dv_session *s, const char *call_id, dv_error *e);

/* ---- corrections ---- */

/* One change to a final call. field is a core column name ("topic",
 * "notes", ...: calls_col_name), "answer:STEP" for another answer,
 * "risk", "referral+:ORG SERVICE" to add a referral or "referral-:ORG
 * SERVICE" to remove one (value ignored for referrals). value NULL or ""
 * clears. */
typedef struct desk_change {
	const char *field;
	const char *value;
} desk_change;

/* Correct the final call call_id, which the corrector read at version
 * read_version. Supervisors and admins. Notes pass the redactor again.
 * Each changed field becomes a row of corrections (old, new, reason, who,
 * when, the new version), and "call.correct" is audited; unchanged
 * fields are skipped (DV_EINVAL if nothing changes). If the call was
 * changed since read_version, nothing is written, DV_ECONFLICT is
 * returned and *since (if not NULL) receives the corrections made since
 * (free with desk_corrections_free), so that the second writer sees the
 * other's change and keeps what they typed. The caller's changes are
 * never lost: they are only read. On success *new_version (if not NULL)
 * is the call's version now, and the call's queue rules and flags are
 * assessed again under its script version (desk_assess_store), so the
 * screens need not. */
int desk_correct(dv_session *s, const char *call_id, long read_version, const desk_change *changes, size_t n,
		 const char *reason, long *new_version, desk_correction **since, size_t *nsince, dv_error *e);
void desk_corrections_free(desk_correction *v, size_t n);

/* ---- orphaned drafts ---- */

/* Drafts of other operators started before now - older_than seconds,
 * oldest first. Supervisors and admins. */
long desk_orphans(dv_session *s, time_t now, long older_than, size_t limit, desk_row **out, dv_error *e);

/* Finish an orphaned draft as supervisor: it becomes final with
 * finished_by set; audited "draft.finish". DV_EINVAL if it is not a
 * draft (or is the supervisor's own: finish it in the screens). */
int desk_draft_finish(dv_session *s, const char *call_id, dv_error *e);

/* Discard an orphaned draft (deleted with its answers and referrals);
 * audited "draft.discard" with the case code. */
int desk_draft_discard(dv_session *s, const char *call_id, dv_error *e);

/* ---- per-operator figures (inside the office) ---- */

typedef struct desk_opstat {
	char *operator_login;
	long calls;        /* all kinds, in the period */
	long data_calls;
	long median_s;     /* median duration of final data calls; -1 if none */
	long flagged;      /* final data calls with any stored flag */
	long flag_counts[DESK_QA_NFLAGS];
	long open_drafts;  /* drafts now (whenever started) */
} desk_opstat;

/* Figures per operator for calls started in [from, to) (0: open), by
 * login. Supervisors and admins. */
long desk_operator_stats(dv_session *s, time_t from, time_t to, desk_opstat **out, dv_error *e);
void desk_opstats_free(desk_opstat *v, long n);

/* ---- the start screen ---- */

typedef struct desk_start {
	int training;      /* a training database */
	long waiting;      /* queued calls not yet acknowledged */
	long overdue;      /* call-backs due before now, case not closed */
	long orphans;      /* other operators' drafts older than a shift */
	long today;        /* calls since local midnight (the reader's own for operators) */
	long my_drafts;    /* the reader's own drafts */
} desk_start;

/* The figures of the start screen, in a few indexed queries.
 * Operators get waiting, overdue and orphans as 0. */
int desk_start_figures(dv_session *s, time_t now, desk_start *out, dv_error *e);

/* ---- the audit trail ---- */

typedef struct desk_audit_row {
	long long seq;
	time_t at;
	char *actor, *action, *object, *detail;
} desk_audit_row;

/* Audit rows with at in [from, to) (0: open), of actor and action (NULL:
 * any; action "call.*" matches a prefix), newest first, before seq
 * before_seq (0: from the newest), at most limit. Supervisors and admins
 * (DV_EPERM). */
long desk_audit(dv_session *s, time_t from, time_t to, const char *actor, const char *action,
		long long before_seq, size_t limit, desk_audit_row **out, dv_error *e);
void desk_audit_free(desk_audit_row *v, long n);

#endif

/* combine.h: draft saves done many to a commit (group commit), across
 * the processes of every session of one database (combine.c).
 *
 * With the rollback journal each commit costs four syncs, and under 32
 * writers saving back to back a save waited for the thirty commits queued
 * before it (over a second). So a draft save that finds the write lock
 * taken writes what it changes (an intent) to a file of the pending
 * directory beside the database and waits; whoever holds the lock (the
 * combiner) applies its own save and every intent it finds in one
 * transaction, each in a savepoint with the checks of a save of its own
 * (account still on the staff list, record version), records each
 * outcome in save_results (schema_savegroup.h) and commits once. A
 * waiting session stops waiting when its intent file is gone and reads
 * its outcome there. Private to src/core and its tests. */
#ifndef DOVIRA_COMBINE_H
#define DOVIRA_COMBINE_H

#include "dbi.h"
#include "dovira/calls.h"
#include "dovira/session.h"

/* What a save changes, as bits: the core columns (bit c), risk, step,
 * and the fields a call gets when it becomes final (calls.c). */
_Static_assert(COL_NCOLS + 3 <= 32, "the change mask holds every column");
#define CH_RISK (1u << COL_NCOLS)
#define CH_STEP (1u << (COL_NCOLS + 1))
#define CH_FINAL (1u << (COL_NCOLS + 2))
#define CH_DRAFT_MASK ((1u << (COL_NCOLS + 2)) - 1) /* all a draft save may change */

/* One draft save: what it writes and the version it expects. Text is
 * already redacted. */
typedef struct save_intent {
	char nonce[33];  /* the saving session's (dv_db.nonce) */
	long seq;        /* its save number */
	char login[64];  /* the account that saves */
	char id[37];     /* the call */
	char case_code[10];
	long version;    /* the stored version it was made from */
	unsigned mask;   /* columns, CH_RISK, CH_STEP */
	char *col[COL_NCOLS]; /* the masked columns' new values (NULL: cleared) */
	char *risk, *step;
	call_answer *set; /* answers new or changed */
	size_t nset;
	char **gone;      /* steps whose answer was removed */
	size_t ngone;
	/* The combiner's: the intent's file (NULL for its own save), and the
	 * outcome once applied: code (0: saved) and message. */
	char *file;
	int fd;          /* the file, open and locked (flock) while claimed */
	int left;        /* found claimed (left by a combiner that died), not pending */
	int deferred;    /* not applied: the combiner had not prepared its statement
			  * (calls.c); put back, for its own session or another */
	int done, code;
	char msg[768];
} save_intent;

void save_intent_clear(save_intent *in);

/* Tests only: 0 to accept intents whose file's owner is not the account
 * they name (tests play several accounts under one uid). */
extern int combine_check_owner;

/* Draw db->nonce, once per connection. */
void combine_nonce(dv_db *db);

/* Write the intent for others to apply, and arm the busy handler of db:
 * from now on it stops waiting once the intent is applied (or withdrawn
 * at the timeout). DV_OK, or an error (the save then goes its own way). */
int combine_post(dv_session *s, const save_intent *in, dv_error *e);
/* Disarm; 1 if the intent is neither pending nor claimed (gone: applied,
 * withdrawn or refused), else 0 (it will still be applied). known_gone:
 * the caller knows it is gone (its outcome is on the wake page, which a
 * combiner writes only once it retired the file): it is not looked for. */
int combine_unpost(dv_db *db, int known_gone);
/* The wake-up page shared by the sessions of the database (once one of
 * them posted or collected; combine.c). combine_wake bumps its word and
 * wakes the sessions in combine_sleep whose nonce bits are in done (those
 * whose saves were applied) and one more, to take the write lock;
 * combine_wake_all wakes every one. combine_sleep sleeps up to us
 * microseconds unless the word is no longer seen. The page's blocks are
 * allocated before it is mapped; on a disk too full for that, there is
 * no page, and sessions look by themselves. */
#define COMBINE_WAKE_MAP (64 << 10) /* the page's mapping, in bytes */
unsigned combine_nonce_bit(const char *nonce);
void combine_wake(dv_db *db, unsigned done);
void combine_wake_all(dv_db *db);
/* At the end of any write transaction of db (dbi_commit, dbi_rollback):
 * wake one session waiting for the lock, mapping the page first if this
 * connection has not (nothing if there is no pending directory, so no
 * session waiting in combine_sleep). */
void combine_wake_lock(dv_db *db);
unsigned combine_wake_word(dv_db *db);
void combine_sleep(dv_db *db, unsigned seen, long us);
/* The change masks of draft saves posted by any session in the last
 * day (at most COMBINE_MASKS): combine_mask_note adds one (or says it
 * again), combine_masks lists them (out holds COMBINE_MASKS). Nothing
 * without the page. */
#define COMBINE_MASKS 24
void combine_mask_note(dv_db *db, unsigned mask);
size_t combine_masks(dv_db *db, unsigned *out);
extern int combine_share_masks; /* 0: neither (tests of a combiner without them) */
/* After the commit that applied it: say in's outcome on the page, for
 * its waiting session to read without a transaction. */
void combine_publish(dv_db *db, const save_intent *in);
/* 1 if the page says this connection's last save (db->seq) was
 * applied and committed (its file may not be removed yet), else 0. */
int combine_applied(dv_db *db);
/* The outcome of a save of nonce that was handled, as
 * combine_result_get, from the page when it says saved there. */
int combine_outcome(dv_db *db, const char *nonce, long seq, int *code, char *msg, size_t msz, dv_error *e);

/* Withdraw a pending intent: 1 if withdrawn (nobody will apply it), 0 if
 * a combiner has claimed it already. */
int combine_withdraw(dv_db *db);

/* What became of this session's save seq, whose wait ended while a
 * combiner held its intent: 1 if applied (its outcome in *code), 0 if it
 * never will be (withdrawn now, refused, or left by a combiner that died
 * before its commit: then removed), DV_EBUSY if a live combiner still
 * holds it, or another error (< 0). */
int combine_settle(dv_session *s, long seq, int *code, dv_error *e);

/* Under the write lock: claim and read every intent of the pending
 * directory (at most max) other than those of own_nonce (or NULL); with
 * only_pending, those posted and not those found claimed (a second look
 * in the same transaction: those are its own, or were looked at). Intents that do not
 * parse, or that name an account other than their file's owner, are
 * refused: renamed to NAME.refused, and a line "file:line: what is wrong"
 * added to refused.log there. Returns how many (in *out, to free with
 * combine_free). */
size_t combine_collect(dv_session *s, const char *own_nonce, int only_pending, save_intent **out, size_t max);
void combine_free(save_intent *v, size_t n);
/* After the commit (committed 1): remove the applied intents' files
 * (combine_retire); after a rollback, and for those deferred: put them
 * back for the next combiner. */
void combine_release(save_intent *v, size_t n, int committed);
/* Remove the file of an intent of nonce, pending or claimed: renamed to
 * the session's spare (".NONCE.spare"), for its next post to write
 * again, or removed if it has one. 0 if the file was there, else -1. */
int combine_retire(const char *file, const char *nonce);

/* The outcome recorded for a session's save: 1 and *code (and msg) if the
 * save seq of nonce was handled, 0 if not, or an error code (< 0). */
int combine_result_get(dv_db *db, const char *nonce, long seq, int *code, char *msg, size_t msz, dv_error *e);
/* Record it, in the combiner's transaction. */
int combine_result_put(dv_db *db, const save_intent *in, dv_error *e);
/* Prepare the statements of outcomes (dbi_warm), before the lock. */
void combine_warm(dv_db *db);
/* Forget the outcomes of sessions that have not saved for a day. */
int combine_results_prune(dv_db *db, dv_error *e);

/* The intent file format, for tests: serialise and parse. parse returns
 * DV_OK or DV_EINVAL with "file:line: what is wrong" in *e. */
void combine_serialise(dv_buf *b, const save_intent *in);
int combine_parse(const char *file, char *text, size_t len, save_intent *in, dv_error *e);

#endif

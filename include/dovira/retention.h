/* retention.h: free text does not live forever.
 *
 * After notes_days a final call's notes are cleared; after
 * time_detail_days its start, end and update times keep the date and the
 * hour only (minutes and seconds become 00). Coded fields stay, so the
 * statistics are unchanged. Calls of a case under legal hold are left
 * as they are. secure_delete is on for every connection (db.c), so a
 * cleared note is overwritten in the file, not merely unlinked from it;
 * in WAL mode the log is checkpointed and truncated afterwards.
 *
 * The work is done in batches, each one short BEGIN IMMEDIATE
 * transaction that carries its own audit row ("retention.run": what was
 * cleared and the cut-off dates), so a writer never waits long and every
 * change that committed is audited with it.
 */
#ifndef DOVIRA_RETENTION_H
#define DOVIRA_RETENTION_H

#include "dovira/session.h"

/* The defaults of dovira.conf's notes_days and time_detail_days. */
#define RETENTION_NOTES_DAYS 180
#define RETENTION_TIME_DETAIL_DAYS 30

typedef struct retention_result {
	long notes;      /* calls whose notes were (or would be) cleared */
	long times;      /* calls whose times were (or would be) coarsened */
	long held;       /* calls past an age left alone for a legal hold */
	long referrals;  /* referral rows whose time was coarsened */
	long chunks;     /* write transactions committed */
	double longest_ms; /* the longest of them, BEGIN to COMMIT, ms */
	double find_ms;  /* the time spent finding the candidates, ms */
	char notes_before[21];  /* the cut-offs used, UTC ISO */
	char times_before[21];
} retention_result;

/* Apply the rule as of now (dv_now). notes_days and time_detail_days
 * must be at least 1 (DV_EINVAL otherwise). With dry_run nothing is
 * written: *r says what would change. Supervisors and administrators
 * only (DV_EPERM). On failure the batches already committed stay done
 * and audited; *r counts them. */
int retention_run(dv_session *s, long notes_days, long time_detail_days, int dry_run,
		  retention_result *r, dv_error *e);

/* Set (on 1) or lift (on 0) the legal hold on the case of a case code
 * (any call's code, typed in either keyboard layout), making the case if
 * the call has none. Supervisors and administrators only. Audited
 * "case.hold" or "case.unhold" (detail: the case code). Setting a hold
 * that is set changes nothing (DV_OK). */
int retention_hold(dv_session *s, const char *code, int on, dv_error *e);

/* One case under legal hold. */
typedef struct retention_held {
	char code[10];
	char *by;
	char at[21];
	long calls;
} retention_held;

/* The cases under legal hold, oldest hold first; the count, or a negative
 * dv_code. Free with retention_held_free. */
long retention_holds(dv_session *s, retention_held **out, dv_error *e);
void retention_held_free(retention_held *v, long n);

#endif

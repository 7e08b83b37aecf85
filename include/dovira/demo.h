/* demo.h: synthetic calls for training databases and benchmarks.
 *
 * demo_fill writes calls that follow an intake script: each data call
 * walks the script's visible steps and answers them (varied topics,
 * answers, raions, risks), takes the referrals the script recommends
 * (most of them), has notes of 200 to 800 characters (which pass the
 * redactor like any notes), and is spread over the years before now in
 * working hours. Some calls agree a call-back and open a case; some later
 * calls follow a case up; some recent calls stay drafts; a few are
 * silent, hang-ups, abusive, wrong numbers or tests. The queue, the QA
 * flags and reviews are set as the desk would (desk.h). Demo staff
 * (demo-op01.., demo-sup1..) are added. Everything goes through the core
 * (bulk.h, staff.h), audited. The same seed, count, script and end time
 * give the same calls.
 *
 * The database is marked as a training database (bulk_is_training).
 */
#ifndef DOVIRA_DEMO_H
#define DOVIRA_DEMO_H

#include <time.h>

#include "dovira/script.h"
#include "dovira/session.h"

typedef struct demo_options {
	long calls;              /* how many calls, >= 1 */
	unsigned long long seed; /* any value */
	time_t end;              /* the newest call is before this (0: dv_now()) */
	int years;               /* span of the log, 1 to 10 (0: 3) */
	/* Called after each batch, if not NULL. */
	void (*progress)(long done, long total, void *arg);
	void *arg;
} demo_options;

typedef struct demo_stats {
	long calls, data, drafts, cases, followups, queued, flagged;
} demo_stats;

/* Fill the database of s (an administrator's session) with o->calls
 * synthetic calls under scr. The log must be empty: a database that
 * holds any call, real or from an earlier demo, is refused (DV_EINVAL,
 * saying how many calls it holds), and nothing is written. Calls are
 * written in transactions of a few thousand. On failure the calls
 * written by earlier batches stay (the database is already marked as a
 * training database). Fills *st if not NULL. */
int demo_fill(dv_session *s, const script *scr, const demo_options *o, demo_stats *st, dv_error *e);

#endif

/* retention.c: clear old notes, coarsen old times, spare calls on hold. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "desk_int.h"
#include "schema_reportcase.h"
#include "dovira/audit.h"
#include "dovira/i18n.h"
#include "dovira/retention.h"
#include "dovira/staff.h"

/* A chunk of calls changed in one transaction: the first has CHUNK_FIRST
 * candidates, then as many as take about CHUNK_MS (at most CHUNK_MAX), so
 * that a writer waits for the lock well under 100 ms. */
#define CHUNK_FIRST 64
#define CHUNK_MAX 1024
#define CHUNK_MS 40
/* The pause after each chunk's commit, in ms: longer than a writer's nap
 * (db.c naps under a millisecond; SQLite's own handler up to 100 ms). */
#define CHUNK_GAP_MS 5
/* Index entries read per read transaction when looking for candidates. */
#define COLLECT_WINDOW "5000"

/* Minutes and seconds of an ISO time "YYYY-MM-DDTHH:MM:SSZ" set to 00. */
#define COARSE(col) "substr(" col ", 1, 14) || '00:00Z'"
#define FINE(col) RC_FINE(col)

/* Calls of one case within one hour keep their order: a call-back is done
 * once a later final call joined the case (report_cb_facts in
 * schema_reportagg.h, `started_at >`), and the desk lists a case's calls
 * by start. Setting both starts to HH:00:00 would tie them ("done" would
 * read "agreed", the desk's order could flip). So a call whose case has
 * another final call in its hour (SIBLING) goes to its SPOT: the hour and
 * as many seconds as the case has distinct earlier starts in that hour
 * (HH:00:00, HH:00:01, ...; ties stay ties). That keeps the order and
 * nothing of the minutes; the date and hour, all the other reports read,
 * stay. Such a start still reads as not on the hour (RC_FINE): AT_SPOT
 * tells a call already there from one with something left to do. */
#define SIBLING "(c.case_id IS NOT NULL AND EXISTS (SELECT 1 FROM calls d WHERE d.case_id = c.case_id" \
	" AND d.status = 'final' AND d.rowid <> c.rowid AND d.started_at BETWEEN " COARSE("c.started_at") \
	" AND substr(c.started_at, 1, 14) || '59:59Z'))"
#define EARLIER_IN_HOUR "count(DISTINCT d.started_at)"
#define SPOT "(SELECT substr(c.started_at, 1, 14) || substr('0' || (" EARLIER_IN_HOUR " / 60), -2) || ':'" \
	" || substr('0' || (" EARLIER_IN_HOUR " - " EARLIER_IN_HOUR " / 60 * 60), -2) || 'Z' FROM calls d" \
	" WHERE d.case_id = c.case_id AND d.status = 'final' AND d.started_at >= " COARSE("c.started_at") \
	" AND d.started_at < c.started_at)"
/* The end and last change of a call whose start goes to T: on the hour,
 * and not before the start. */
#define AFTER_SPOT(col, T) "max(" COARSE(col) ", " T ")"
#define AT_SPOT "(c.started_at = " SPOT " AND c.ended_at IS " AFTER_SPOT("c.ended_at", "c.started_at") \
	" AND c.updated_at IS " AFTER_SPOT("c.updated_at", "c.started_at") ")"

/* A call of a case under legal hold. */
#define HELD_SQL "EXISTS (SELECT 1 FROM cases k WHERE k.id = c.case_id AND k.legal_hold = 1)"

typedef struct cutoffs {
	const char *notes, *times, *held;
} cutoffs;

static sqlite3_stmt *prepare2(dv_db *db, const char *sql, const cutoffs *k, dv_error *e)
{
	sqlite3_stmt *st = dbi_prepare(db, sql, e);
	if (st) {
		dbi_bind_text(st, 1, k->notes);
		dbi_bind_text(st, 2, k->times);
	}
	return st;
}

/* ---- the candidates ---- */

/* A candidate: a call past an age that still holds something to clear. */
enum { CAND_NOTES = 1, CAND_TIMES = 2 };
typedef struct cand {
	long long rowid;
	long long at; /* its start's digits, YYYYMMDDHHMMSS: the order of the chunks */
	int what;     /* CAND_NOTES | CAND_TIMES */
} cand;

typedef struct cands {
	cand *v;
	long n, cap;
} cands;

static void cands_add(cands *c, long long rowid, long long at, int what)
{
	if (c->n == c->cap)
		c->v = xrealloc(c->v, (size_t)(c->cap = c->cap ? 2 * c->cap : 1024) * sizeof *c->v);
	c->v[c->n++] = (cand){rowid, at, what};
}

/* The digits of an ISO time, in order: "2026-10-01T03:31:37Z" 20261001033137. */
static long long time_digits(const unsigned char *t)
{
	long long v = 0;
	for (; t && *t; t++)
		if (*t >= '0' && *t <= '9')
			v = v * 10 + (*t - '0');
	return v;
}

static int cmp_cand(const void *a, const void *b)
{
	long long x = ((const cand *)a)->rowid, y = ((const cand *)b)->rowid;
	return (x > y) - (x < y);
}

/* By start, then rowid: the chunks go from the oldest calls on, so that
 * the earlier calls of a case's hour are at their SPOT before a later
 * one's is counted. */
static int cmp_cand_at(const void *a, const void *b)
{
	const cand *x = a, *y = b;
	if (x->at != y->at)
		return (x->at > y->at) - (x->at < y->at);
	return cmp_cand(a, b);
}

/* Where the candidates are found: the partial indexes of
 * schema_reportcase.h, each read in windows of COLLECT_WINDOW entries in
 * its own order (keyset: ?3 ?4 the last key read, as text; the fourth
 * column is the call's start), each window its own
 * short read transaction: with the rollback journal one read of a
 * million entries would hold every writer back. The WHERE repeats each
 * index's own; INDEXED BY makes a mismatch an error, not a full scan.
 * Held calls are found here too and left out below (a few). */
static const struct source {
	int what;
	const char *sql;
} sources[] = {
	{CAND_NOTES, "SELECT c.rowid, c.started_at, c.rowid, c.started_at FROM calls c INDEXED BY calls_ret_notes"
		     " WHERE " RC_RET_NOTES_WHERE " AND c.started_at < ?1"
		     " AND c.started_at >= ?3 AND (c.started_at > ?3 OR c.rowid > CAST(?4 AS INTEGER))"
		     " ORDER BY c.started_at, c.rowid LIMIT " COLLECT_WINDOW},
	/* (not the calls already at their SPOT, still "fine" by the index) */
	{CAND_TIMES, "SELECT c.rowid, c.started_at, c.rowid, c.started_at FROM calls c INDEXED BY calls_ret_times WHERE "
		     RC_RET_TIMES_WHERE " AND (c.case_id IS NULL OR NOT " AT_SPOT ") AND c.started_at < ?2"
		     " AND c.started_at >= ?3 AND (c.started_at > ?3 OR c.rowid > CAST(?4 AS INTEGER))"
		     " ORDER BY c.started_at, c.rowid LIMIT " COLLECT_WINDOW},
	/* a call whose only time not on the hour is a referral's: by the
	 * call's UTC date (referrals.day), up to the cut-off's */
	{CAND_TIMES, "SELECT c.rowid, r.day, r.call_id, c.started_at FROM referrals r INDEXED BY referrals_ret"
		     " JOIN calls c ON c.id = r.call_id WHERE " RC_FINE("r.made_at") " AND r.day <= substr(?2, 1, 10)"
		     " AND r.day >= ?3 AND (r.day > ?3 OR r.call_id > ?4)"
		     " AND +c.status = 'final' AND +c.started_at < ?2 ORDER BY r.day, r.call_id LIMIT " COLLECT_WINDOW},
};

/* Every candidate, sorted by start, each once with all it has to clear;
 * those of held cases are counted in r->held and left out. */
static int collect(dv_db *db, const cutoffs *k, cands *out, retention_result *r, dv_error *e)
{
	cands all = {0}, held = {0};
	int rc = SQLITE_DONE;
	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < sizeof sources / sizeof *sources && rc == SQLITE_DONE; i++) {
		sqlite3_stmt *st = prepare2(db, sources[i].sql, k, e);
		if (!st) {
			free(all.v);
			return e->code;
		}
		char key[64] = "", key2[64] = "";
		for (int more = 1; more && rc == SQLITE_DONE;) {
			sqlite3_reset(st);
			dbi_bind_text(st, 3, key);
			dbi_bind_text(st, 4, key2);
			more = 0;
			while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
				const char *k1 = (const char *)sqlite3_column_text(st, 1);
				const char *k2 = (const char *)sqlite3_column_text(st, 2);
				snprintf(key, sizeof key, "%s", k1 ? k1 : "");
				snprintf(key2, sizeof key2, "%s", k2 ? k2 : "");
				cands_add(&all, sqlite3_column_int64(st, 0), time_digits(sqlite3_column_text(st, 3)),
					  sources[i].what);
				more = 1;
			}
		}
		sqlite3_finalize(st);
	}
	if (rc == SQLITE_DONE) {
		sqlite3_stmt *st = dbi_prepare(db, "SELECT c.rowid FROM cases h CROSS JOIN calls c ON h.legal_hold = 1"
					       " AND c.case_id = h.id", e);
		if (!st) {
			free(all.v);
			return e->code;
		}
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			cands_add(&held, sqlite3_column_int64(st, 0), 0, 0);
		sqlite3_finalize(st);
	}
	if (rc != SQLITE_DONE) {
		free(all.v);
		free(held.v);
		return dbi_fail(db, rc, _("reading the calls for retention"), e);
	}
	if (all.n > 1)
		qsort(all.v, (size_t)all.n, sizeof *all.v, cmp_cand);
	if (held.n > 1)
		qsort(held.v, (size_t)held.n, sizeof *held.v, cmp_cand);
	long h = 0;
	for (long i = 0; i < all.n;) {
		cand c = all.v[i];
		while (++i < all.n && all.v[i].rowid == c.rowid)
			c.what |= all.v[i].what;
		while (h < held.n && held.v[h].rowid < c.rowid)
			h++;
		if (h < held.n && held.v[h].rowid == c.rowid)
			r->held++;
		else
			cands_add(out, c.rowid, c.at, c.what);
	}
	free(all.v);
	free(held.v);
	if (out->n > 1)
		qsort(out->v, (size_t)out->n, sizeof *out->v, cmp_cand_at);
	return DV_OK;
}

/* What a run would change, without changing it. */
static int dry_counts(dv_db *db, const cutoffs *k, retention_result *r, dv_error *e)
{
	cands c;
	if (collect(db, k, &c, r, e))
		return e->code;
	for (long i = 0; i < c.n; i++) {
		r->notes += (c.v[i].what & CAND_NOTES) != 0;
		r->times += (c.v[i].what & CAND_TIMES) != 0;
	}
	free(c.v);
	return DV_OK;
}

/* ---- the changes ---- */

/* A chunk is a list of candidates' rowids, ?3 (a JSON array): each
 * statement changes them all at once and returns the rowid and id of each
 * call it changed, for the audit. Each re-checks what the candidate has
 * to clear, and the hold. The unary + keep the planner on the rowids.
 * Times go before referrals: a call whose only fine time is a
 * referral's is still found by the times statement. The times statement
 * leaves out the calls with a SIBLING in their hour: spots lists them
 * with their SPOT, all read before any of them moves (one moved first
 * would count as an earlier start of the others), and spot moves one. */
#define CHUNK_CALLS "c.rowid IN (SELECT value FROM json_each(?3))"
typedef struct chunk_stmts {
	sqlite3_stmt *notes, *times, *refs, *spots, *spot;
} chunk_stmts;

static int prepare_chunk(dv_db *db, const cutoffs *k, chunk_stmts *b, dv_error *e)
{
	char *notes = xasprintf("UPDATE calls AS c SET notes = NULL WHERE " CHUNK_CALLS " AND +c.status = 'final'"
				" AND +c.started_at < ?1 AND c.notes IS NOT NULL AND NOT (%s) RETURNING rowid, id", k->held);
	char *times = xasprintf("UPDATE calls AS c SET started_at = " COARSE("c.started_at") ", ended_at = CASE WHEN"
				" c.ended_at IS NULL THEN NULL ELSE " COARSE("c.ended_at") " END, updated_at = "
				COARSE("c.updated_at") " WHERE " CHUNK_CALLS " AND +c.status = 'final' AND +c.started_at < ?2"
				" AND NOT (%s) AND NOT " SIBLING " AND (" FINE("c.started_at") " OR " FINE("c.ended_at") " OR "
				FINE("c.updated_at") " OR EXISTS (SELECT 1 FROM referrals r WHERE r.call_id = c.id AND "
				FINE("r.made_at") ")) RETURNING rowid, id", k->held);
	char *spots = xasprintf("SELECT c.rowid, " SPOT " FROM calls c WHERE " CHUNK_CALLS " AND +c.status = 'final'"
				" AND +c.started_at < ?2 AND NOT (%s) AND " SIBLING, k->held);
	char *refs = xasprintf("UPDATE referrals SET made_at = " COARSE("made_at") " WHERE call_id IN (SELECT c.id FROM calls c"
			       " WHERE " CHUNK_CALLS " AND +c.status = 'final' AND +c.started_at < ?2 AND NOT (%s))"
			       " AND " FINE("made_at"), k->held);
	b->notes = prepare2(db, notes, k, e);
	b->times = b->notes ? prepare2(db, times, k, e) : NULL;
	b->refs = b->times ? prepare2(db, refs, k, e) : NULL;
	b->spots = b->refs ? prepare2(db, spots, k, e) : NULL;
	/* ?4 the spot, ?5 the call's rowid; only when something moves */
	b->spot = b->spots ? dbi_prepare(db, "UPDATE calls AS c SET started_at = ?4, ended_at = "
					 AFTER_SPOT("c.ended_at", "?4") ", updated_at = " AFTER_SPOT("c.updated_at", "?4")
					 " WHERE c.rowid = ?5 AND (c.started_at IS NOT ?4 OR c.ended_at IS NOT "
					 AFTER_SPOT("c.ended_at", "?4") " OR c.updated_at IS NOT "
					 AFTER_SPOT("c.updated_at", "?4") ") RETURNING rowid, id", e) : NULL;
	free(notes);
	free(times);
	free(refs);
	free(spots);
	return b->spot ? DV_OK : e->code;
}

static void finalize_chunk(chunk_stmts *b)
{
	sqlite3_finalize(b->notes);
	sqlite3_finalize(b->times);
	sqlite3_finalize(b->refs);
	sqlite3_finalize(b->spots);
	sqlite3_finalize(b->spot);
}

/* The calls a chunk statement changed, in the order it returned them. */
typedef struct chunk_changed {
	long long *rowid;
	char (*id)[37];
	size_t n;
} chunk_changed;

static void changed_free(chunk_changed *c)
{
	free(c->rowid);
	free(c->id);
	memset(c, 0, sizeof *c);
}

static int has_rowid(const chunk_changed *c, long long rowid)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->rowid[i] == rowid)
			return 1;
	return 0;
}

static void changed_add(chunk_changed *c, long long rowid, const unsigned char *id)
{
	c->rowid = xrealloc(c->rowid, (c->n + 1) * sizeof *c->rowid);
	c->id = xrealloc(c->id, (c->n + 1) * sizeof *c->id);
	c->rowid[c->n] = rowid;
	snprintf(c->id[c->n++], 37, "%s", (const char *)id);
}

/* Run a chunk statement over the rowids of list (JSON); what it changed
 * goes to *out (NULL: a statement that returns nothing; *changes then
 * counts the rows it changed). */
static int run_chunk_stmt(dv_db *db, sqlite3_stmt *st, const char *list, chunk_changed *out, long *changes,
			  dv_error *e)
{
	dbi_bind_text(st, 3, list);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && out)
		changed_add(out, sqlite3_column_int64(st, 0), sqlite3_column_text(st, 1));
	if (changes && rc == SQLITE_DONE)
		*changes += sqlite3_changes(db->h);
	sqlite3_reset(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? DV_OK : dbi_fail(db, rc, _("clearing old notes and times"), e);
}

/* The calls of list with a SIBLING in their hour to their SPOT (see
 * chunk_stmts), those that moved added to *times. */
static int run_spots(dv_db *db, chunk_stmts *b, const char *list, chunk_changed *times, dv_error *e)
{
	struct spot {
		long long rowid;
		char at[21];
	} *v = NULL;
	size_t n = 0;
	int rc;
	dbi_bind_text(b->spots, 3, list);
	while ((rc = sqlite3_step(b->spots)) == SQLITE_ROW) {
		v = xrealloc(v, (n + 1) * sizeof *v);
		v[n].rowid = sqlite3_column_int64(b->spots, 0);
		snprintf(v[n++].at, sizeof v->at, "%s", (const char *)sqlite3_column_text(b->spots, 1));
	}
	sqlite3_reset(b->spots);
	for (size_t i = 0; i < n && rc == SQLITE_DONE; i++) {
		dbi_bind_text(b->spot, 4, v[i].at);
		sqlite3_bind_int64(b->spot, 5, v[i].rowid);
		while ((rc = sqlite3_step(b->spot)) == SQLITE_ROW)
			if (!has_rowid(times, sqlite3_column_int64(b->spot, 0)))
				changed_add(times, sqlite3_column_int64(b->spot, 0), sqlite3_column_text(b->spot, 1));
		sqlite3_reset(b->spot);
	}
	free(v);
	return rc == SQLITE_DONE ? DV_OK : dbi_fail(db, rc, _("clearing old notes and times"), e);
}

/* Audit each changed call once, after all its changes (the audit row
 * carries the call's new digest: audit.h). */
static int audit_changed(dv_session *s, const chunk_changed *notes, const chunk_changed *times, dv_error *e)
{
	for (size_t i = 0; i < notes->n; i++) {
		int t = has_rowid(times, notes->rowid[i]);
		if (audit_append(s->db, s->login, "call.retention", notes->id[i],
				 t ? "notes cleared, times to the hour" : "notes cleared", e))
			return e->code;
	}
	for (size_t i = 0; i < times->n; i++)
		if (!has_rowid(notes, times->rowid[i])
		    && audit_append(s->db, s->login, "call.retention", times->id[i], "times to the hour", e))
			return e->code;
	return DV_OK;
}

static double mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* One transaction: the m candidates at c, set-based, and the audit rows.
 * The time of the changes (BEGIN to COMMIT) goes to *work: the chunk's
 * size follows it. The commit's own time (the journal's syncs) hardly
 * depends on the size: sizing the chunks on it too made them smaller the
 * slower the disk, each paying the syncs again (22,000 transactions of
 * 15 calls for 13 months at a million calls on a busy machine). */
static int run_chunk(dv_session *s, chunk_stmts *b, const cutoffs *k, const cand *c, long m, retention_result *r,
		     double *work, dv_error *e)
{
	chunk_changed notes = {0}, times = {0};
	dv_buf list = {0};
	for (long i = 0; i < m; i++)
		dv_buf_printf(&list, "%s%lld", i ? "," : "[", c[i].rowid);
	dv_buf_printf(&list, "]");
	long refs = 0;
	double t0 = mono_ms();
	if (dbi_begin(s->db, e)) {
		dv_buf_free(&list);
		return e->code;
	}
	int code = run_chunk_stmt(s->db, b->notes, list.s, &notes, NULL, e);
	if (!code)
		code = run_chunk_stmt(s->db, b->times, list.s, &times, NULL, e);
	if (!code)
		code = run_spots(s->db, b, list.s, &times, e);
	if (!code)
		code = run_chunk_stmt(s->db, b->refs, list.s, NULL, &refs, e);
	dv_buf_free(&list);
	if (!code)
		code = audit_changed(s, &notes, &times, e);
	if (!code) {
		char *detail = xasprintf("notes cleared %zu (started before %s), times coarsened %zu (started before %s)",
					 notes.n, k->notes, times.n, k->times);
		code = audit_append(s->db, s->login, "retention.run", NULL, detail, e);
		free(detail);
	}
	*work = mono_ms() - t0;
	if (code || dbi_commit(s->db, e)) {
		dbi_rollback(s->db);
		changed_free(&notes);
		changed_free(&times);
		return e->code;
	}
	double ms = mono_ms() - t0;
	r->notes += (long)notes.n;
	r->times += (long)times.n;
	r->referrals += refs;
	r->chunks++;
	if (ms > r->longest_ms)
		r->longest_ms = ms;
	changed_free(&notes);
	changed_free(&times);
	return DV_OK;
}

static int apply(dv_session *s, const cutoffs *k, retention_result *r, dv_error *e)
{
	cands c;
	double t0 = mono_ms();
	if (collect(s->db, k, &c, r, e))
		return e->code;
	r->find_ms = mono_ms() - t0;
	chunk_stmts b;
	int code = prepare_chunk(s->db, k, &b, e);
	/* Each chunk's changes take CHUNK_MS or so (then its commit): the
	 * number of calls per chunk follows the time the last one took. */
	long size = CHUNK_FIRST;
	for (long i = 0; !code && i < c.n;) {
		long m = c.n - i < size ? c.n - i : size;
		/* calls that started in the same second go in one chunk: one
		 * at its SPOT would count as an earlier start of the other */
		while (i + m < c.n && c.v[i + m].at == c.v[i + m - 1].at)
			m++;
		double ms = 0;
		code = run_chunk(s, &b, k, c.v + i, m, r, &ms, e);
		i += m;
		/* Let a waiting writer in: back-to-back transactions would
		 * leave it no gap between one commit and the next BEGIN. */
		struct timespec gap = {0, CHUNK_GAP_MS * 1000000L};
		nanosleep(&gap, NULL);
		if (ms < CHUNK_MS / 2 && size < CHUNK_MAX)
			size *= 2;
		else if (ms > CHUNK_MS && size > 1)
			size = size * CHUNK_MS / (long)ms > 0 ? size * CHUNK_MS / (long)ms : 1;
	}
	finalize_chunk(&b);
	free(c.v);
	/* WAL: the old pages would live on in the log until a checkpoint. */
	if (!code && strcmp(db_journal_mode(), "wal") == 0)
		sqlite3_exec(s->db->h, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
	return code;
}

int retention_run(dv_session *s, long notes_days, long time_detail_days, int dry_run,
		  retention_result *r, dv_error *e)
{
	memset(r, 0, sizeof *r);
	if (!session_may(s, ROLES_SUPERVISION))
		return dv_fail(e, DV_EPERM, _("only supervisors and administrators may run retention"));
	if (notes_days < 1 || time_detail_days < 1)
		return dv_fail(e, DV_EINVAL, _("notes_days and time_detail_days must be at least 1"));
	time_t now = dv_now();
	dv_utc_iso(now - (time_t)notes_days * 86400, r->notes_before);
	dv_utc_iso(now - (time_t)time_detail_days * 86400, r->times_before);
	cutoffs k = {r->notes_before, r->times_before, HELD_SQL};
	return dry_run ? dry_counts(s->db, &k, r, e) : apply(s, &k, r, e);
}

/* ---- legal holds ---- */

struct hold_arg {
	const char *typed;
	int on;
};

static int tx_hold(dv_session *s, void *arg, dv_error *e)
{
	struct hold_arg *a = arg;
	char id[37], op[64], code[10], at[21];
	if (desk_code_call(s, a->typed, id, op, code, e))
		return e->code;
	dv_utc_iso(dv_now(), at);
	sqlite3_stmt *st = dbi_prepare(s->db, "UPDATE cases SET legal_hold = ?1, hold_by = ?2, hold_at = ?3"
				       " WHERE id = (SELECT case_id FROM calls WHERE id = ?4) AND legal_hold <> ?1", e);
	if (!st)
		return e->code;
	sqlite3_bind_int(st, 1, a->on);
	dbi_bind_text(st, 2, a->on ? s->login : NULL);
	dbi_bind_text(st, 3, a->on ? at : NULL);
	dbi_bind_text(st, 4, id);
	int rc = sqlite3_step(st), changed = sqlite3_changes(s->db->h);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return dbi_fail(s->db, rc, _("setting the legal hold"), e);
	/* Audited under the case's id, so that the row carries the digest of
	 * the case as the hold left it (audit.h), which `dovira check`
	 * compares the case with. */
	char case_id[37] = "";
	sqlite3_stmt *q = dbi_prepare(s->db, "SELECT case_id FROM calls WHERE id = ?1 AND case_id IS NOT NULL", e);
	if (!q)
		return e->code;
	dbi_bind_text(q, 1, id);
	if ((rc = sqlite3_step(q)) == SQLITE_ROW)
		snprintf(case_id, sizeof case_id, "%s", (const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return dbi_fail(s->db, rc, _("setting the legal hold"), e);
	if (!case_id[0])
		return dv_fail(e, DV_ENOTFOUND, _("the call %s belongs to no case"), code);
	return changed ? audit_append(s->db, s->login, a->on ? "case.hold" : "case.unhold", case_id, code, e) : DV_OK;
}

int retention_hold(dv_session *s, const char *code, int on, dv_error *e)
{
	if (!session_may(s, ROLES_SUPERVISION))
		return dv_fail(e, DV_EPERM, _("only supervisors and administrators may set or lift a legal hold"));
	/* Make the case if the call has none (audited case.create). */
	if (desk_case_set(s, code, NULL, NULL, -1, e))
		return e->code;
	struct hold_arg a = {code, on};
	return desk_tx(s, tx_hold, &a, e);
}

long retention_holds(dv_session *s, retention_held **out, dv_error *e)
{
	*out = NULL;
	if (!session_may(s, ROLES_SUPERVISION))
		return dv_fail(e, DV_EPERM, _("only supervisors and administrators may set or lift a legal hold"));
	sqlite3_stmt *st = dbi_prepare(s->db, "SELECT k.code, k.hold_by, k.hold_at, (SELECT count(*) FROM calls c WHERE c.case_id = k.id)"
				       " FROM cases k WHERE k.legal_hold = 1 ORDER BY k.hold_at, k.code", e);
	if (!st)
		return e->code;
	long n = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*out = xrealloc(*out, (size_t)(n + 1) * sizeof **out);
		retention_held *h = &(*out)[n++];
		snprintf(h->code, sizeof h->code, "%s", (const char *)sqlite3_column_text(st, 0));
		h->by = dbi_col_dup(st, 1);
		snprintf(h->at, sizeof h->at, "%s", sqlite3_column_text(st, 2) ? (const char *)sqlite3_column_text(st, 2) : "");
		h->calls = (long)sqlite3_column_int64(st, 3);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		retention_held_free(*out, n);
		*out = NULL;
		return dbi_fail(s->db, rc, _("reading the legal holds"), e);
	}
	return n;
}

void retention_held_free(retention_held *v, long n)
{
	for (long i = 0; i < n; i++)
		free(v[i].by);
	free(v);
}

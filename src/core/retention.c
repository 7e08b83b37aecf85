/* retention.c: clear old notes, coarsen old times, spare calls on hold. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "desk_int.h"
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
/* Rowids read per read transaction when looking for candidates. */
#define COLLECT_WINDOW 5000

/* Minutes and seconds of an ISO time "YYYY-MM-DDTHH:MM:SSZ" set to 00. */
#define COARSE(col) "substr(" col ", 1, 14) || '00:00Z'"
#define FINE(col) "(" col " IS NOT NULL AND substr(" col ", 15) <> '00:00Z')"

/* A call of a case under legal hold. */
#define HELD_SQL "EXISTS (SELECT 1 FROM cases k WHERE k.id = c.case_id AND k.legal_hold = 1)"

typedef struct cutoffs {
	const char *notes, *times, *held;
} cutoffs;

/* Rows past either age that still hold something to clear: those under
 * a legal hold (held: found from the held cases, a few) or the others. */
static char *candidates_sql(const cutoffs *k, const char *what, int held)
{
	return xasprintf("SELECT %s FROM %s WHERE +c.status = 'final' AND ("
			 "(c.started_at < ?1 AND c.notes IS NOT NULL) OR (c.started_at < ?2 AND (" FINE("c.started_at")
			 " OR " FINE("c.ended_at") " OR " FINE("c.updated_at") " OR EXISTS (SELECT 1 FROM referrals r"
			 " WHERE r.call_id = c.id AND " FINE("r.made_at") "))))"
			 " AND %s(%s)", what, held ? "cases h CROSS JOIN calls c ON h.legal_hold = 1 AND c.case_id = h.id" : "calls c",
			 held ? "" : "NOT ", k->held);
}

static sqlite3_stmt *prepare2(dv_db *db, const char *sql, const cutoffs *k, dv_error *e)
{
	sqlite3_stmt *st = dbi_prepare(db, sql, e);
	if (st) {
		dbi_bind_text(st, 1, k->notes);
		dbi_bind_text(st, 2, k->times);
	}
	return st;
}

static long count_of(dv_db *db, const char *sql, const cutoffs *k, dv_error *e)
{
	sqlite3_stmt *st = prepare2(db, sql, k, e);
	if (!st)
		return -1;
	int rc = sqlite3_step(st);
	long n = rc == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : -1;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		dbi_fail(db, rc, _("reading the calls for retention"), e);
	return n;
}

/* What a run would change, without changing it. */
static int dry_counts(dv_db *db, const cutoffs *k, retention_result *r, dv_error *e)
{
	char *held = candidates_sql(k, "count(*)", 1);
	char *notes = xasprintf("SELECT count(*) FROM calls c WHERE c.status = 'final' AND c.started_at < ?1"
				" AND c.notes IS NOT NULL AND NOT (%s)", k->held);
	char *times = xasprintf("SELECT count(*) FROM calls c WHERE c.status = 'final' AND c.started_at < ?2 AND ("
				FINE("c.started_at") " OR " FINE("c.ended_at") " OR " FINE("c.updated_at")
				" OR EXISTS (SELECT 1 FROM referrals r WHERE r.call_id = c.id AND " FINE("r.made_at") "))"
				" AND NOT (%s)", k->held);
	r->held = count_of(db, held, k, e);
	r->notes = r->held < 0 ? -1 : count_of(db, notes, k, e);
	r->times = r->notes < 0 ? -1 : count_of(db, times, k, e);
	free(held);
	free(notes);
	free(times);
	return r->times < 0 ? e->code : DV_OK;
}

/* The rowids of the calls to change (a read; the updates re-check), in
 * order. Read COLLECT_WINDOW rowids at a time, each window its own short
 * read transaction: with the rollback journal one read of a whole
 * million-call file would hold every writer back for seconds. */
static long collect(dv_db *db, const cutoffs *k, long long **ids, dv_error *e)
{
	*ids = NULL;
	sqlite3_stmt *mx = dbi_prepare(db, "SELECT coalesce(max(rowid), 0) FROM calls", e);
	if (!mx)
		return -1;
	int rc = sqlite3_step(mx);
	long long top = rc == SQLITE_ROW ? sqlite3_column_int64(mx, 0) : 0;
	sqlite3_finalize(mx);
	if (rc != SQLITE_ROW)
		return dbi_fail(db, rc, _("reading the calls for retention"), e), -1;
	char *base = candidates_sql(k, "c.rowid", 0);
	char *sql = xasprintf("%s AND c.rowid BETWEEN ?3 AND ?4", base);
	free(base);
	sqlite3_stmt *st = prepare2(db, sql, k, e);
	free(sql);
	if (!st)
		return -1;
	long n = 0, cap = 0;
	rc = SQLITE_DONE;
	for (long long lo = 1; lo <= top && rc == SQLITE_DONE; lo += COLLECT_WINDOW) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 3, lo);
		sqlite3_bind_int64(st, 4, lo + COLLECT_WINDOW - 1);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			if (n == cap)
				*ids = xrealloc(*ids, (size_t)(cap = cap ? 2 * cap : 1024) * sizeof **ids);
			(*ids)[n++] = sqlite3_column_int64(st, 0);
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(*ids);
		*ids = NULL;
		return dbi_fail(db, rc, _("reading the calls for retention"), e), -1;
	}
	return n;
}

/* A chunk is the candidates with rowids from ?3 to ?4: each statement
 * changes them all at once and returns the rowid and id of each call it
 * changed, for the audit. The unary + keep the planner on the rowid range
 * (calls_status would read every final call for each chunk). Times go before referrals: a call whose only
 * fine time is a referral's is still found by the times statement. */
typedef struct chunk_stmts {
	sqlite3_stmt *notes, *times, *refs;
} chunk_stmts;

static int prepare_chunk(dv_db *db, const cutoffs *k, chunk_stmts *b, dv_error *e)
{
	char *notes = xasprintf("UPDATE calls AS c SET notes = NULL WHERE c.rowid BETWEEN ?3 AND ?4 AND +c.status = 'final'"
				" AND +c.started_at < ?1 AND c.notes IS NOT NULL AND NOT (%s) RETURNING rowid, id", k->held);
	char *times = xasprintf("UPDATE calls AS c SET started_at = " COARSE("c.started_at") ", ended_at = CASE WHEN"
				" c.ended_at IS NULL THEN NULL ELSE " COARSE("c.ended_at") " END, updated_at = "
				COARSE("c.updated_at") " WHERE c.rowid BETWEEN ?3 AND ?4 AND +c.status = 'final' AND +c.started_at < ?2"
				" AND NOT (%s) AND (" FINE("c.started_at") " OR " FINE("c.ended_at") " OR " FINE("c.updated_at")
				" OR EXISTS (SELECT 1 FROM referrals r WHERE r.call_id = c.id AND " FINE("r.made_at") "))"
				" RETURNING rowid, id", k->held);
	char *refs = xasprintf("UPDATE referrals SET made_at = " COARSE("made_at") " WHERE call_id IN (SELECT c.id FROM calls c"
			       " WHERE c.rowid BETWEEN ?3 AND ?4 AND +c.status = 'final' AND +c.started_at < ?2 AND NOT (%s))"
			       " AND " FINE("made_at"), k->held);
	b->notes = prepare2(db, notes, k, e);
	b->times = b->notes ? prepare2(db, times, k, e) : NULL;
	b->refs = b->times ? prepare2(db, refs, k, e) : NULL;
	free(notes);
	free(times);
	free(refs);
	return b->refs ? DV_OK : e->code;
}

static void finalize_chunk(chunk_stmts *b)
{
	sqlite3_finalize(b->notes);
	sqlite3_finalize(b->times);
	sqlite3_finalize(b->refs);
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

/* Run a chunk statement over rowids lo..hi; what it changed goes to *out
 * (NULL: a statement that returns nothing). */
static int run_chunk_stmt(dv_db *db, sqlite3_stmt *st, long long lo, long long hi, chunk_changed *out, dv_error *e)
{
	sqlite3_bind_int64(st, 3, lo);
	sqlite3_bind_int64(st, 4, hi);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && out) {
		out->rowid = xrealloc(out->rowid, (out->n + 1) * sizeof *out->rowid);
		out->id = xrealloc(out->id, (out->n + 1) * sizeof *out->id);
		out->rowid[out->n] = sqlite3_column_int64(st, 0);
		snprintf(out->id[out->n++], 37, "%s", (const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? DV_OK : dbi_fail(db, rc, _("clearing old notes and times"), e);
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

/* One transaction: the candidates with rowids lo..hi, set-based, and the
 * audit rows. */
static int run_chunk(dv_session *s, chunk_stmts *b, const cutoffs *k, long long lo, long long hi,
		     retention_result *r, dv_error *e)
{
	chunk_changed notes = {0}, times = {0};
	if (dbi_begin(s->db, e))
		return e->code;
	int code = run_chunk_stmt(s->db, b->notes, lo, hi, &notes, e);
	if (!code)
		code = run_chunk_stmt(s->db, b->times, lo, hi, &times, e);
	if (!code)
		code = run_chunk_stmt(s->db, b->refs, lo, hi, NULL, e);
	if (!code)
		code = audit_changed(s, &notes, &times, e);
	if (!code) {
		char *detail = xasprintf("notes cleared %zu (started before %s), times coarsened %zu (started before %s)",
					 notes.n, k->notes, times.n, k->times);
		code = audit_append(s->db, s->login, "retention.run", NULL, detail, e);
		free(detail);
	}
	if (code || dbi_commit(s->db, e)) {
		dbi_rollback(s->db);
		changed_free(&notes);
		changed_free(&times);
		return e->code;
	}
	r->notes += (long)notes.n;
	r->times += (long)times.n;
	changed_free(&notes);
	changed_free(&times);
	return DV_OK;
}

static double mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int apply(dv_session *s, const cutoffs *k, retention_result *r, dv_error *e)
{
	long long *ids;
	char *held = candidates_sql(k, "count(*)", 1);
	r->held = count_of(s->db, held, k, e);
	free(held);
	long n = r->held < 0 ? -1 : collect(s->db, k, &ids, e);
	if (n < 0)
		return e->code;
	chunk_stmts b;
	int code = prepare_chunk(s->db, k, &b, e);
	/* Each chunk holds the write lock for CHUNK_MS or so: the number of
	 * calls per chunk follows the time the last one took. */
	long size = CHUNK_FIRST;
	for (long i = 0; !code && i < n;) {
		long m = n - i < size ? n - i : size;
		double t0 = mono_ms();
		code = run_chunk(s, &b, k, ids[i], ids[i + m - 1], r, e);
		double ms = mono_ms() - t0;
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
	free(ids);
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
	long long case_id = desk_int(s, "SELECT count(*) FROM calls WHERE id = ?1 AND case_id IS NOT NULL", (const char *[]){id}, 1, e);
	if (case_id < 0)
		return e->code;
	if (!case_id)
		return dv_fail(e, DV_ENOTFOUND, _("the call %s belongs to no case"), code);
	return changed ? audit_append(s->db, s->login, a->on ? "case.hold" : "case.unhold", id, code, e) : DV_OK;
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

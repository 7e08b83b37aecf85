/* retention.c: clear old notes, coarsen old times, spare calls on hold. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "desk_int.h"
#include "dovira/audit.h"
#include "dovira/i18n.h"
#include "dovira/retention.h"
#include "dovira/staff.h"

/* Calls changed per transaction: a batch commits in milliseconds. */
#define BATCH 500

/* Minutes and seconds of an ISO time "YYYY-MM-DDTHH:MM:SSZ" set to 00. */
#define COARSE(col) "substr(" col ", 1, 14) || '00:00Z'"
#define FINE(col) "(" col " IS NOT NULL AND substr(" col ", 15) <> '00:00Z')"

/* A call of a case under legal hold. */
#define HELD_SQL "EXISTS (SELECT 1 FROM cases k WHERE k.id = c.case_id AND k.legal_hold = 1)"

typedef struct cutoffs {
	const char *notes, *times, *held;
} cutoffs;

/* Rows past either age that still hold something to clear. */
static char *candidates_sql(const cutoffs *k, const char *what, int held)
{
	return xasprintf("SELECT %s FROM calls c WHERE c.status = 'final' AND ("
			 "(c.started_at < ?1 AND c.notes IS NOT NULL) OR (c.started_at < ?2 AND (" FINE("c.started_at")
			 " OR " FINE("c.ended_at") " OR " FINE("c.updated_at") " OR EXISTS (SELECT 1 FROM referrals r"
			 " WHERE r.call_id = c.id AND " FINE("r.made_at") "))))"
			 " AND %s(%s)", what, held ? "" : "NOT ", k->held);
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

/* The rowids of the calls to change (a read; the updates re-check). */
static long collect(dv_db *db, const cutoffs *k, long long **ids, dv_error *e)
{
	char *sql = candidates_sql(k, "c.rowid", 0);
	sqlite3_stmt *st = prepare2(db, sql, k, e);
	free(sql);
	if (!st)
		return -1;
	long n = 0, cap = 0;
	int rc;
	*ids = NULL;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap)
			*ids = xrealloc(*ids, (size_t)(cap = cap ? 2 * cap : 1024) * sizeof **ids);
		(*ids)[n++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(*ids);
		*ids = NULL;
		return dbi_fail(db, rc, _("reading the calls for retention"), e), -1;
	}
	return n;
}

typedef struct batch_stmts {
	sqlite3_stmt *notes, *times, *refs;
} batch_stmts;

static int prepare_batch(dv_db *db, const cutoffs *k, batch_stmts *b, dv_error *e)
{
	char *notes = xasprintf("UPDATE calls AS c SET notes = NULL WHERE c.rowid = ?3 AND c.status = 'final'"
				" AND c.started_at < ?1 AND c.notes IS NOT NULL AND NOT (%s)", k->held);
	char *times = xasprintf("UPDATE calls AS c SET started_at = " COARSE("c.started_at") ", ended_at = CASE WHEN"
				" c.ended_at IS NULL THEN NULL ELSE " COARSE("c.ended_at") " END, updated_at = "
				COARSE("c.updated_at") " WHERE c.rowid = ?3 AND c.status = 'final' AND c.started_at < ?2"
				" AND NOT (%s) AND (" FINE("c.started_at") " OR " FINE("c.ended_at") " OR " FINE("c.updated_at")
				" OR EXISTS (SELECT 1 FROM referrals r WHERE r.call_id = c.id AND " FINE("r.made_at") "))", k->held);
	char *refs = xasprintf("UPDATE referrals SET made_at = " COARSE("made_at") " WHERE call_id = (SELECT c.id FROM calls c"
			       " WHERE c.rowid = ?3 AND c.status = 'final' AND c.started_at < ?2 AND NOT (%s)) AND " FINE("made_at"),
			       k->held);
	b->notes = prepare2(db, notes, k, e);
	b->times = b->notes ? prepare2(db, times, k, e) : NULL;
	b->refs = b->times ? prepare2(db, refs, k, e) : NULL;
	free(notes);
	free(times);
	free(refs);
	return b->refs ? DV_OK : e->code;
}

static void finalize_batch(batch_stmts *b)
{
	sqlite3_finalize(b->notes);
	sqlite3_finalize(b->times);
	sqlite3_finalize(b->refs);
}

/* Run one statement for one rowid; its changes, or -1 with *e set. */
static long step_one(dv_db *db, sqlite3_stmt *st, long long id, dv_error *e)
{
	sqlite3_bind_int64(st, 3, id);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return dbi_fail(db, rc, _("clearing old notes and times"), e), -1;
	return sqlite3_changes(db->h);
}

/* Audit one call's change, inside the batch's transaction. */
static int audit_call(dv_session *s, long long rowid, int notes, int times, dv_error *e)
{
	sqlite3_stmt *st = dbi_prepare(s->db, "SELECT id FROM calls WHERE rowid = ?1", e);
	if (!st)
		return e->code;
	sqlite3_bind_int64(st, 1, rowid);
	int rc = sqlite3_step(st);
	char *id = rc == SQLITE_ROW ? dbi_col_dup(st, 0) : NULL;
	sqlite3_finalize(st);
	if (!id)
		return dbi_fail(s->db, rc, _("clearing old notes and times"), e);
	int code = audit_append(s->db, s->login, "call.retention", id,
				notes && times ? "notes cleared, times to the hour" : notes ? "notes cleared" : "times to the hour", e);
	free(id);
	return code;
}

/* One transaction: the calls ids[0..n), and its audit rows. */
static int run_batch(dv_session *s, batch_stmts *b, const cutoffs *k, const long long *ids, long n,
		     retention_result *r, dv_error *e)
{
	long notes = 0, times = 0;
	if (dbi_begin(s->db, e))
		return e->code;
	for (long i = 0; i < n; i++) {
		long a = step_one(s->db, b->notes, ids[i], e), t = a < 0 ? -1 : step_one(s->db, b->refs, ids[i], e);
		long c = t < 0 ? -1 : step_one(s->db, b->times, ids[i], e);
		/* Final calls are audited records: each change carries the
		 * call's new digest (audit.h), so check still vouches for it. */
		if (c < 0 || ((a || c) && audit_call(s, ids[i], a > 0, c > 0, e))) {
			dbi_rollback(s->db);
			return e->code;
		}
		notes += a;
		times += c;
	}
	char *detail = xasprintf("notes cleared %ld (started before %s), times coarsened %ld (started before %s)",
				 notes, k->notes, times, k->times);
	int code = audit_append(s->db, s->login, "retention.run", NULL, detail, e);
	free(detail);
	if (code || dbi_commit(s->db, e)) {
		dbi_rollback(s->db);
		return e->code;
	}
	r->notes += notes;
	r->times += times;
	return DV_OK;
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
	batch_stmts b;
	int code = prepare_batch(s->db, k, &b, e);
	for (long i = 0; !code && i < n; i += BATCH)
		code = run_batch(s, &b, k, ids + i, n - i < BATCH ? n - i : BATCH, r, e);
	finalize_batch(&b);
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

/* calls_bulk.c: many whole records in one transaction (bulk.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbi.h"
#include "schema_reportday.h"
#include "dovira/audit.h"
#include "dovira/bulk.h"
#include "dovira/i18n.h"
#include "dovira/redact.h"
#include "dovira/sanitize.h"

enum { ST_CALL, ST_ANSWER, ST_REFERRAL, ST_ACK, ST_CASE, ST_REC, ST_N };

static const char *const sql[ST_N] = {
	"INSERT INTO calls(id, case_code, started_at, ended_at, duration_s, operator, office,"
	" script_id, script_version, status, version, kind, topic, caller_role, gender, age_band,"
	" raion, country, language, heard_from, outcome, callback, notes, risk, step, updated_at,"
	" case_id, qa_flags, queue, queue_state, reviewed_by, reviewed_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,"
	" ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32)",
	"INSERT INTO answers(call_id, step, value, day) VALUES (?1, ?2, ?3, " REPORT_DAY_OF("?1") ")",
	"INSERT OR IGNORE INTO referrals(call_id, org_id, service, recommended, made_at, day) VALUES (?1, ?2, ?3, ?4, ?5, "
	REPORT_DAY_OF("?1") ")",
	"INSERT INTO queue_acks(call_id, who, at, comment) VALUES (?1, ?2, ?3, ?4)",
	"INSERT INTO cases(id, code, status, status_by, status_at, callback_due, owner, created_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	"INSERT OR IGNORE INTO recommendations(call_id, org_id, service, day) VALUES (?1, ?2, ?3, " REPORT_DAY_OF("?1") ")",
};

struct bulk {
	dv_session *s;
	sqlite3_stmt *st[ST_N];
};

static void bulk_free(bulk *b)
{
	for (int i = 0; i < ST_N; i++)
		sqlite3_finalize(b->st[i]);
	free(b);
}

void bulk_abort(bulk *b)
{
	if (!b)
		return;
	dbi_rollback(b->s->db);
	bulk_free(b);
}

bulk *bulk_begin(dv_session *s, dv_error *e)
{
	if (!session_may(s, ROLE_ADMIN)) {
		dv_fail(e, DV_EPERM, _("only an administrator may write calls in bulk"));
		return NULL;
	}
	/* Random keys (UUIDs, case codes) go into several indexes: with the
	 * default 2 MB page cache a million calls thrash the disk. */
	if (dbi_exec(s->db, "PRAGMA cache_size = -262144", e) || dbi_begin(s->db, e))
		return NULL;
	bulk *b = xcalloc(1, sizeof *b);
	b->s = s;
	for (int i = 0; i < ST_N; i++) {
		if (!(b->st[i] = dbi_prepare(s->db, sql[i], e))) {
			bulk_abort(b);
			return NULL;
		}
	}
	return b;
}

/* Step a bound statement and reset it; on failure roll back and free. */
static int run(bulk *b, sqlite3_stmt *st, dv_error *e)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc == SQLITE_DONE)
		return DV_OK;
	int code = dbi_fail(b->s->db, rc, _("writing the calls"), e);
	bulk_abort(b);
	return code;
}

static char *clean_text(const char *text)
{
	char *safe = sanitize(text, SANITIZE_KEEP_NEWLINE | SANITIZE_KEEP_TAB);
	char *red = redact_apply(safe, NULL, NULL);
	free(safe);
	return red;
}

static void bind_time(sqlite3_stmt *st, int i, time_t t)
{
	char at[21];
	if (t > 0) {
		dv_utc_iso(t, at);
		dbi_bind_text(st, i, at);
	}
}

static void bind_row(sqlite3_stmt *st, const call_record *r, const bulk_extra *x)
{
	const char *v[] = {r->id, r->case_code};
	for (int i = 0; i < 2; i++)
		dbi_bind_text(st, i + 1, v[i]);
	bind_time(st, 3, r->started_at);
	if (r->final) {
		bind_time(st, 4, r->ended_at);
		sqlite3_bind_int64(st, 5, r->duration_s);
	}
	dbi_bind_text(st, 6, r->operator_login);
	dbi_bind_text(st, 7, r->office);
	dbi_bind_text(st, 8, r->script_id ? r->script_id : "-");
	dbi_bind_text(st, 9, r->script_version ? r->script_version : "-");
	dbi_bind_text(st, 10, r->final ? "final" : "draft");
	sqlite3_bind_int64(st, 11, r->version > 0 ? r->version : 1);
	dbi_bind_text(st, 12, calls_kind_code(r->kind));
	for (int c = 0; c < COL_NCOLS; c++) {
		if (c == COL_CALLBACK && r->col[c])
			sqlite3_bind_int(st, 13 + c, strcmp(r->col[c], "yes") == 0);
		else if (c != COL_CALLBACK)
			dbi_bind_text(st, 13 + c, r->col[c]);
	}
	dbi_bind_text(st, 24, r->risk);
	dbi_bind_text(st, 25, r->final ? NULL : r->step);
	bind_time(st, 26, r->final ? r->ended_at : r->started_at);
	if (!x)
		return;
	dbi_bind_text(st, 27, x->case_id);
	sqlite3_bind_int64(st, 28, x->qa_flags);
	dbi_bind_text(st, 29, x->queue);
	sqlite3_bind_int(st, 30, x->queue ? (x->ack_by ? 2 : 1) : 0);
	dbi_bind_text(st, 31, x->reviewed_by);
	if (x->reviewed_by)
		bind_time(st, 32, x->reviewed_at);
}

static void redact_in_place(call_record *r)
{
	if (r->col[COL_NOTES]) {
		char *red = clean_text(r->col[COL_NOTES]);
		free(r->col[COL_NOTES]);
		r->col[COL_NOTES] = red;
	}
	for (size_t i = 0; i < r->nanswers; i++) {
		char *red = clean_text(r->answers[i].value);
		free(r->answers[i].value);
		r->answers[i].value = red;
	}
}

static int add_parts(bulk *b, const call_record *r, const bulk_extra *x, dv_error *e)
{
	for (size_t i = 0; i < r->nanswers; i++) {
		sqlite3_stmt *st = b->st[ST_ANSWER];
		dbi_bind_text(st, 1, r->id);
		dbi_bind_text(st, 2, r->answers[i].step);
		dbi_bind_text(st, 3, r->answers[i].value);
		if (run(b, st, e))
			return e->code;
	}
	for (size_t i = 0; i < r->nreferrals; i++) {
		sqlite3_stmt *st = b->st[ST_REFERRAL];
		dbi_bind_text(st, 1, r->id);
		dbi_bind_text(st, 2, r->referrals[i].org_id);
		dbi_bind_text(st, 3, r->referrals[i].service ? r->referrals[i].service : "");
		sqlite3_bind_int(st, 4, r->referrals[i].recommended != 0);
		bind_time(st, 5, r->started_at);
		if (run(b, st, e))
			return e->code;
	}
	for (size_t i = 0; x && r->final && i < x->nrecs; i++) {
		sqlite3_stmt *st = b->st[ST_REC];
		dbi_bind_text(st, 1, r->id);
		dbi_bind_text(st, 2, x->recs[i].org_id);
		dbi_bind_text(st, 3, x->recs[i].service);
		if (run(b, st, e))
			return e->code;
	}
	if (x && x->queue && x->ack_by) {
		sqlite3_stmt *st = b->st[ST_ACK];
		dbi_bind_text(st, 1, r->id);
		dbi_bind_text(st, 2, x->ack_by);
		bind_time(st, 3, x->ack_at);
		dbi_bind_text(st, 4, x->ack_comment ? x->ack_comment : "-");
		if (run(b, st, e))
			return e->code;
	}
	return DV_OK;
}

int bulk_add_call(bulk *b, call_record *r, const bulk_extra *x, dv_error *e)
{
	redact_in_place(r);
	bind_row(b->st[ST_CALL], r, x);
	if (run(b, b->st[ST_CALL], e) || add_parts(b, r, x, e))
		return e->code;
	char detail[40];
	snprintf(detail, sizeof detail, "%s bulk", calls_kind_code(r->kind));
	if (audit_append(b->s->db, b->s->login, "call.create", r->id, detail, e)) {
		bulk_abort(b);
		return e->code;
	}
	return DV_OK;
}

int bulk_add_case(bulk *b, const bulk_case *c, dv_error *e)
{
	sqlite3_stmt *st = b->st[ST_CASE];
	dbi_bind_text(st, 1, c->id);
	dbi_bind_text(st, 2, c->code);
	dbi_bind_text(st, 3, c->status);
	dbi_bind_text(st, 4, c->status_by);
	bind_time(st, 5, c->status_at);
	bind_time(st, 6, c->callback_due);
	dbi_bind_text(st, 7, c->owner);
	bind_time(st, 8, c->created_at);
	if (run(b, st, e))
		return e->code;
	if (audit_append(b->s->db, b->s->login, "case.create", c->id, c->code, e)) {
		bulk_abort(b);
		return e->code;
	}
	return DV_OK;
}

int bulk_commit(bulk *b, dv_error *e)
{
	dv_db *db = b->s->db;
	bulk_free(b);
	return dbi_commit(db, e);
}

int bulk_mark_training(bulk *b, const char *detail, dv_error *e)
{
	char at[21];
	dv_utc_iso(dv_now(), at);
	sqlite3_stmt *st = dbi_prepare(b->s->db, "INSERT OR IGNORE INTO db_marks(key, at, by, detail) VALUES ('training', ?1, ?2, ?3)", e);
	if (!st) {
		bulk_abort(b);
		return e->code;
	}
	dbi_bind_text(st, 1, at);
	dbi_bind_text(st, 2, b->s->login);
	dbi_bind_text(st, 3, detail);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		int code = dbi_fail(b->s->db, rc, _("marking the training database"), e);
		bulk_abort(b);
		return code;
	}
	if (audit_append(b->s->db, b->s->login, "db.training", NULL, detail, e)) {
		bulk_abort(b);
		return e->code;
	}
	return DV_OK;
}

/* One integer from a query without parameters, or a negative dv_code. */
static long long one_int(dv_db *db, const char *q, dv_error *e)
{
	sqlite3_stmt *st = dbi_prepare(db, q, e);
	if (!st)
		return e->code;
	int rc = sqlite3_step(st);
	long long v = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return dbi_fail(db, rc, _("reading the database"), e);
	return v;
}

int bulk_is_training(dv_db *db, dv_error *e)
{
	return (int)one_int(db, "SELECT count(*) FROM db_marks WHERE key = 'training'", e);
}

long bulk_count_calls(dv_db *db, dv_error *e)
{
	return (long)one_int(db, "SELECT count(*) FROM calls", e);
}

/* desk_fix.c: corrections of final calls, without loss (desk.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "desk_int.h"
#include "dovira/audit.h"
#include "dovira/i18n.h"
#include "dovira/redact.h"
#include "dovira/sanitize.h"

typedef struct fix {
	const char *call_id;
	long read_version;
	const desk_change *changes;
	size_t n;
	char *reason;
	long new_version;
	desk_correction *since;
	long nsince;
	dv_buf fields; /* the fields changed, for the audit row */
	int changed;
	char at[21];
} fix;

/* A correction's statements are kept prepared, and those it will run
 * are prepared before its transaction (warm_fix): a change of a call's
 * coded column fires the report triggers, whose statement takes about
 * 10 ms to compile, and every other writer would wait for it. */
static const char SQL_FIX_CHECK[] = "SELECT status, version, case_code FROM calls WHERE id = ?1";
static const char SQL_FIX_RECORD[] = "INSERT INTO corrections(call_id, version, field, old, new, reason, who, at)"
				     " VALUES (?1, CAST(?2 AS INTEGER), ?3, ?4, ?5, ?6, ?7, ?8)";
static const char SQL_FIX_BUMP[] = "UPDATE calls SET version = version + 1, corrected = corrected + CAST(?2 AS INTEGER),"
				   " updated_at = ?3 WHERE id = ?1";
static const char SQL_FIX_RISK_OF[] = "SELECT risk FROM calls WHERE id = ?1";
static const char SQL_FIX_RISK[] = "UPDATE calls SET risk = ?2 WHERE id = ?1";
static const char SQL_FIX_ANSWER_OF[] = "SELECT value FROM answers WHERE call_id = ?1 AND step = ?2";
static const char SQL_FIX_ANSWER[] = "INSERT INTO answers(call_id, step, value) VALUES (?1, ?2, ?3)"
				     " ON CONFLICT(call_id, step) DO UPDATE SET value = excluded.value";
static const char SQL_FIX_UNANSWER[] = "DELETE FROM answers WHERE call_id = ?1 AND step = ?2";
static const char SQL_FIX_HAVE_REF[] = "SELECT count(*) FROM referrals WHERE call_id = ?1 AND org_id = ?2 AND service = ?3";
static const char SQL_FIX_ORG_OK[] = "SELECT count(*) FROM orgs WHERE id = ?1 AND retired = 0";
static const char SQL_FIX_REFER[] = "INSERT INTO referrals(call_id, org_id, service, recommended, made_at) VALUES (?1, ?2, ?3, 0, ?4)";
static const char SQL_FIX_UNREFER[] = "DELETE FROM referrals WHERE call_id = ?1 AND org_id = ?2 AND service = ?3";

/* The read (write 0) or the UPDATE (write 1) of one core column, built
 * once: the statement cache keys on the string. */
static const char *col_sql(int col, int write)
{
	static char *built[COL_NCOLS][2];
	if (!built[col][write]) {
		const char *name = col_name((call_col)col);
		if (col == COL_CALLBACK)
			built[col][write] = xstrdup(write ? "UPDATE calls SET callback = CAST(?2 AS INTEGER) WHERE id = ?1"
						   : "SELECT CASE callback WHEN 1 THEN 'yes' WHEN 0 THEN 'no' END FROM calls WHERE id = ?1");
		else
			built[col][write] = write ? xasprintf("UPDATE calls SET %s = ?2 WHERE id = ?1", name)
						  : xasprintf("SELECT %s FROM calls WHERE id = ?1", name);
	}
	return built[col][write];
}

/* The text of one value (NULL if none), for old values. */
static char *text_of(dv_session *s, const char *sql, const char *const *p, int np)
{
	dv_error e;
	sqlite3_stmt *st = dbi_cached(s->db, sql, &e);
	if (!st)
		return NULL;
	for (int i = 0; i < np; i++)
		dbi_bind_text(st, i + 1, p[i]);
	char *v = sqlite3_step(st) == SQLITE_ROW ? dbi_col_dup(st, 0) : NULL;
	sqlite3_reset(st);
	return v;
}

static int record(dv_session *s, fix *f, const char *field, const char *old, const char *new_value, dv_error *e)
{
	char ver[24];
	snprintf(ver, sizeof ver, "%ld", f->read_version + 1);
	const char *p[] = {f->call_id, ver, field, old, new_value, f->reason, s->login, f->at};
	if (desk_exec_kept(s, SQL_FIX_RECORD, p, 8, NULL, e))
		return e->code;
	dv_buf_printf(&f->fields, "%s%s", f->changed++ ? " " : "", field);
	return DV_OK;
}

static int same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static int fix_column(dv_session *s, fix *f, int col, const char *value, dv_error *e)
{
	const char *name = col_name((call_col)col);
	const char *p[] = {f->call_id, NULL};
	char *old = text_of(s, col_sql(col, 0), p, 1);
	char *nv = NULL;
	if (value && col == COL_NOTES) {
		char *safe = sanitize(value, SANITIZE_KEEP_NEWLINE | SANITIZE_KEEP_TAB);
		nv = redact_apply(safe, NULL, NULL);
		free(safe);
	} else if (value) {
		nv = sanitize(value, 0);
	}
	int code = DV_OK;
	if (col == COL_CALLBACK && nv && strcmp(nv, "yes") != 0 && strcmp(nv, "no") != 0)
		code = dv_fail(e, DV_EINVAL, _("callback is yes or no, not '%s'"), nv);
	else if (!same(old, nv)) {
		p[1] = col == COL_CALLBACK ? (nv ? (strcmp(nv, "yes") == 0 ? "1" : "0") : NULL) : nv;
		code = desk_exec_kept(s, col_sql(col, 1), p, 2, NULL, e);
		if (!code)
			code = record(s, f, name, old, nv, e);
	}
	free(old);
	free(nv);
	return code;
}

static int fix_risk(dv_session *s, fix *f, const char *value, dv_error *e)
{
	if (value && strcmp(value, "none") != 0 && strcmp(value, "possible") != 0 && strcmp(value, "likely") != 0)
		return dv_fail(e, DV_EINVAL, _("the risk is none, possible or likely, not '%s'"), value);
	const char *p[] = {f->call_id, value};
	char *old = text_of(s, SQL_FIX_RISK_OF, p, 1);
	int code = DV_OK;
	if (!same(old, value) && !(code = desk_exec_kept(s, SQL_FIX_RISK, p, 2, NULL, e)))
		code = record(s, f, "risk", old, value, e);
	free(old);
	return code;
}

static int fix_answer(dv_session *s, fix *f, const char *step, const char *value, const char *field, dv_error *e)
{
	char *nv = value ? sanitize(value, SANITIZE_KEEP_NEWLINE) : NULL;
	if (nv) {
		char *red = redact_apply(nv, NULL, NULL);
		free(nv);
		nv = red;
	}
	const char *p[] = {f->call_id, step, nv};
	char *old = text_of(s, SQL_FIX_ANSWER_OF, p, 2);
	int code = DV_OK;
	if (!same(old, nv)) {
		code = nv ? desk_exec_kept(s, SQL_FIX_ANSWER, p, 3, NULL, e) : desk_exec_kept(s, SQL_FIX_UNANSWER, p, 2, NULL, e);
		if (!code)
			code = record(s, f, field, old, nv, e);
	}
	free(old);
	free(nv);
	return code;
}

/* "ORG SERVICE" of a referral field. */
static int fix_referral(dv_session *s, fix *f, const char *what, int add, const char *field, dv_error *e)
{
	char org[64], service[64];
	if (sscanf(what, "%63s %63s", org, service) != 2 && sscanf(what, "%63s", org) == 1)
		service[0] = '\0';
	const char *p[] = {f->call_id, org, service, f->at};
	const char *q[] = {org};
	long long have = desk_int_kept(s, SQL_FIX_HAVE_REF, p, 3, e);
	if (have < 0)
		return (int)have;
	if (add && !have) {
		long long ok = desk_int_kept(s, SQL_FIX_ORG_OK, q, 1, e);
		if (ok < 0)
			return (int)ok;
		if (!ok)
			return dv_fail(e, DV_ENOTFOUND, _("the organisation %s is not in the directory (or is retired)"), org);
		if (desk_exec_kept(s, SQL_FIX_REFER, p, 4, NULL, e))
			return e->code;
		return record(s, f, field, NULL, what, e);
	}
	if (!add && have) {
		if (desk_exec_kept(s, SQL_FIX_UNREFER, p, 3, NULL, e))
			return e->code;
		return record(s, f, field, what, NULL, e);
	}
	return DV_OK;
}

static int apply(dv_session *s, fix *f, const desk_change *c, dv_error *e)
{
	const char *v = c->value && *c->value ? c->value : NULL;
	int col = col_parse(c->field);
	if (col >= 0)
		return fix_column(s, f, col, v, e);
	if (strcmp(c->field, "risk") == 0)
		return fix_risk(s, f, v, e);
	if (strncmp(c->field, "answer:", 7) == 0 && c->field[7])
		return fix_answer(s, f, c->field + 7, v, c->field, e);
	if (strncmp(c->field, "referral+:", 10) == 0)
		return fix_referral(s, f, c->field + 10, 1, c->field, e);
	if (strncmp(c->field, "referral-:", 10) == 0)
		return fix_referral(s, f, c->field + 10, 0, c->field, e);
	return dv_fail(e, DV_EINVAL, _("'%s' cannot be corrected: name a core column, answer:STEP, risk, referral+:ORG SERVICE or referral-:ORG SERVICE"),
		       c->field);
}

/* Prepare what the changes will run, before the transaction. */
static void warm_fix(dv_session *s, const fix *f)
{
	dv_db *db = s->db;
	dbi_warm(db, SQL_FIX_CHECK, SQL_FIX_RECORD, SQL_FIX_BUMP, NULL);
	for (size_t i = 0; i < f->n; i++) {
		const char *field = f->changes[i].field;
		int col = col_parse(field);
		if (col >= 0)
			dbi_warm(db, col_sql(col, 0), col_sql(col, 1), NULL);
		else if (strcmp(field, "risk") == 0)
			dbi_warm(db, SQL_FIX_RISK_OF, SQL_FIX_RISK, NULL);
		else if (strncmp(field, "answer:", 7) == 0)
			dbi_warm(db, SQL_FIX_ANSWER_OF, SQL_FIX_ANSWER, SQL_FIX_UNANSWER, NULL);
		else if (strncmp(field, "referral", 8) == 0)
			dbi_warm(db, SQL_FIX_HAVE_REF, SQL_FIX_ORG_OK, SQL_FIX_REFER, SQL_FIX_UNREFER, NULL);
	}
	dbi_audit_warm(db);
}

/* The call must be final and still at the version the corrector read. */
static int check_version(dv_session *s, fix *f, dv_error *e)
{
	sqlite3_stmt *st = dbi_cached(s->db, SQL_FIX_CHECK, e);
	if (!st)
		return e->code;
	dbi_bind_text(st, 1, f->call_id);
	int rc = sqlite3_step(st), code = DV_OK;
	if (rc == SQLITE_DONE)
		code = dv_fail(e, DV_ENOTFOUND, _("no call with the id %s"), f->call_id);
	else if (rc != SQLITE_ROW)
		code = dbi_fail(s->db, rc, _("reading the call"), e);
	else if (strcmp((const char *)sqlite3_column_text(st, 0), "final") != 0)
		code = dv_fail(e, DV_EINVAL, _("only a final call is corrected; a draft is still being taken"));
	else if (sqlite3_column_int64(st, 1) != f->read_version) {
		f->new_version = sqlite3_column_int64(st, 1);
		code = dv_fail(e, DV_ECONFLICT, _("the call %s was corrected by someone else since you opened it (version %ld, now %ld);"
						 " nothing of yours was saved or lost: look at their change and correct again"),
			       (const char *)sqlite3_column_text(st, 2), f->read_version, f->new_version);
	}
	sqlite3_reset(st);
	return code;
}

static int tx_correct(dv_session *s, void *arg, dv_error *e)
{
	fix *f = arg;
	if (check_version(s, f, e))
		return e->code;
	for (size_t i = 0; i < f->n; i++)
		if (apply(s, f, &f->changes[i], e))
			return e->code;
	if (!f->changed)
		return dv_fail(e, DV_EINVAL, _("nothing to correct: every value is as stored"));
	char cnt[24];
	snprintf(cnt, sizeof cnt, "%d", f->changed);
	const char *p[] = {f->call_id, cnt, f->at};
	if (desk_exec_kept(s, SQL_FIX_BUMP, p, 3, NULL, e))
		return e->code;
	f->new_version = f->read_version + 1;
	char *detail = xasprintf("%s: %s", f->fields.s, f->reason);
	int code = audit_append(s->db, s->login, "call.correct", f->call_id, detail, e);
	free(detail);
	return code;
}

/* The queue and flags follow the corrected answers, under the script
 * version that took the call (when its text is known). The correction
 * stands whatever happens here. */
static void reassess(dv_session *s, const char *call_id)
{
	dv_error e;
	call_record *r = calls_read_unaudited(s, call_id, &e);
	script *scr = r ? desk_script_of(s, r->script_id, r->script_version, &e) : NULL;
	if (scr && desk_assess_store(s, scr, r, &e) != DV_OK)
		dv_debug("after the correction of %s: %s", call_id, e.msg);
	script_free(scr);
	call_free(r);
}

int desk_correct(dv_session *s, const char *call_id, long read_version, const desk_change *changes, size_t n,
		 const char *reason, long *new_version, desk_correction **since, size_t *nsince, dv_error *e)
{
	if (since)
		*since = NULL;
	if (nsince)
		*nsince = 0;
	if (!desk_supervises(s))
		return dv_fail(e, DV_EPERM, _("only a supervisor or an administrator may correct a call"));
	fix f = {call_id, read_version, changes, n, sanitize(reason ? reason : "", 0), 0, NULL, 0, {0}, 0, ""};
	dv_utc_iso(dv_now(), f.at);
	if (*f.reason)
		warm_fix(s, &f);
	int code = !*f.reason ? dv_fail(e, DV_EINVAL, _("say why the call is corrected (the reason is kept with the correction)"))
			      : desk_tx(s, tx_correct, &f, e);
	if (code == DV_ECONFLICT && since) {
		dv_error e2;
		long k = desk_corrections_read(s, call_id, read_version, since, &e2);
		if (nsince)
			*nsince = k > 0 ? (size_t)k : 0;
	}
	if (!code && new_version)
		*new_version = f.new_version;
	if (!code)
		reassess(s, call_id);
	free(f.reason);
	dv_buf_free(&f.fields);
	return code;
}

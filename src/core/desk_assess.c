/* desk_assess.c: the queue and the QA flags of a call, and the script
 * texts calls were taken under (desk.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "desk_int.h"
#include "schema_reportday.h"
#include "dovira/i18n.h"
#include "dovira/record.h"
#include "dovira/priv.h"

/* What the assessor knows of one directory entry. */
typedef struct org_fact {
	char *id;
	int verified;
	int emergency; /* the police, or a three-digit emergency number */
	int referable; /* a telephone, not do-not-refer, not retired: the only
	                * entries the script's referrals recommend (recommend.h) */
} org_fact;

struct desk_assessor {
	const script *scr;
	org_fact *orgs;
	size_t norgs;
};

/* A phone list that is one short emergency number ("102", "112"). */
static int emergency_number(const char *phones)
{
	if (!phones)
		return 0;
	size_t n = strspn(phones, "0123456789");
	return n == 3 && phones[n] == '\0' && phones[0] == '1';
}

desk_assessor *desk_assessor_new(dv_db *db, const script *scr, dv_error *e)
{
	sqlite3_stmt *st = dbi_prepare(db, "SELECT id, verified_on IS NOT NULL, kind, phones,"
		" coalesce(phones, '') != '' AND NOT do_not_refer AND NOT retired FROM orgs ORDER BY id", e);
	if (!st)
		return NULL;
	desk_assessor *a = xcalloc(1, sizeof *a);
	a->scr = scr;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		a->orgs = xrealloc(a->orgs, (a->norgs + 1) * sizeof *a->orgs);
		org_fact *o = &a->orgs[a->norgs++];
		o->id = dbi_col_dup(st, 0);
		o->verified = sqlite3_column_int(st, 1);
		o->emergency = strcmp((const char *)sqlite3_column_text(st, 2), "police") == 0 ||
			       emergency_number((const char *)sqlite3_column_text(st, 3));
		o->referable = sqlite3_column_int(st, 4);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		dbi_fail(db, rc, _("reading the directory"), e);
		desk_assessor_free(a);
		return NULL;
	}
	return a;
}

void desk_assessor_free(desk_assessor *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->norgs; i++)
		free(a->orgs[i].id);
	free(a->orgs);
	free(a);
}

static const org_fact *org_of(const desk_assessor *a, const char *id)
{
	size_t lo = 0, hi = a->norgs;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(a->orgs[mid].id, id);
		if (c == 0)
			return &a->orgs[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int desk_assessor_referable(const desk_assessor *a, const char *org)
{
	const org_fact *o = org_of(a, org);
	return o && o->referable;
}

script_answers *desk_answers_of(const script *scr, const call_record *r)
{
	return record_answers(scr, r, NULL);
}

static int made(const call_record *r, const char *org, const char *service)
{
	for (size_t i = 0; i < r->nreferrals; i++)
		if (strcmp(r->referrals[i].org_id, org) == 0 && strcmp(r->referrals[i].service ? r->referrals[i].service : "", service) == 0)
			return 1;
	return 0;
}

/* A visible required step answered with its "unknown" option. */
static int unknown_required(const script *scr, const script_answers *a)
{
	for (size_t i = 0; i < script_nsteps(scr); i++) {
		const script_step *st = script_step_at(scr, i);
		if (st->required && script_answers_has(a, st->id, "unknown") && script_visible(a, i))
			return 1;
	}
	return 0;
}

static void add_rec(desk_assessment *out, const char *org, const char *service)
{
	for (size_t i = 0; i < out->nrecs; i++)
		if (strcmp(out->recs[i].org_id, org) == 0 && strcmp(out->recs[i].service, service) == 0)
			return;
	out->recs = xrealloc(out->recs, (out->nrecs + 1) * sizeof *out->recs);
	out->recs[out->nrecs++] = (call_referral){xstrdup(org), xstrdup(service), 1};
}

/* The QA flags of the referrals; the recommended ones go to out. */
static unsigned referral_flags(const desk_assessor *a, const call_record *r, const script_answers *ans,
			       desk_assessment *out)
{
	unsigned f = 0;
	int emergency = 0;
	for (size_t i = 0; i < r->nreferrals; i++) {
		const org_fact *o = org_of(a, r->referrals[i].org_id);
		if (o && !o->verified)
			f |= DESK_QA_UNVERIFIED_REFERRAL;
		emergency |= o && o->emergency;
	}
	script_referral *rec;
	size_t n = script_referrals(ans, &rec);
	for (size_t i = 0; i < n; i++) {
		const org_fact *o = org_of(a, rec[i].org);
		/* What the directory cannot back was never offered as a referral. */
		if (!o || !o->referable)
			continue;
		if (!made(r, rec[i].org, rec[i].service))
			f |= DESK_QA_RECOMMENDED_NOT_MADE;
		add_rec(out, rec[i].org, rec[i].service);
	}
	free(rec);
	long danger = script_step_index(a->scr, "danger_now");
	if (danger >= 0 && script_answers_has(ans, "danger_now", "yes") && script_visible(ans, (size_t)danger) && !emergency)
		f |= DESK_QA_DANGER_NO_EMERGENCY;
	return f;
}

void desk_assess(const desk_assessor *a, const call_record *r, desk_assessment *out)
{
	memset(out, 0, sizeof *out);
	if (r->kind != CALL_DATA)
		return;
	script_answers *ans = desk_answers_of(a->scr, r);
	out->risk = script_risk_now(ans, NULL);
	if (out->risk == SCRIPT_RISK_LIKELY && r->nreferrals == 0)
		out->qa_flags |= DESK_QA_LIKELY_NO_REFERRAL;
	out->qa_flags |= referral_flags(a, r, ans, out);
	if (r->final && r->duration_s < 60)
		out->qa_flags |= DESK_QA_SHORT_CALL;
	if (unknown_required(a->scr, ans))
		out->qa_flags |= DESK_QA_UNKNOWN_REQUIRED;
	const char **q;
	size_t n = script_queue(ans, &q);
	if (n) {
		dv_buf b = {0};
		for (size_t i = 0; i < n; i++)
			dv_buf_printf(&b, "%s%s", i ? " " : "", q[i]);
		out->queue = dv_buf_take(&b);
	}
	free(q);
	script_answers_free(ans);
}

void desk_assessment_clear(desk_assessment *x)
{
	free(x->queue);
	for (size_t i = 0; i < x->nrecs; i++) {
		free(x->recs[i].org_id);
		free(x->recs[i].service);
	}
	free(x->recs);
	memset(x, 0, sizeof *x);
}

struct store_arg {
	const call_record *r;
	const desk_assessment *x;
};

/* The call's recommendations become those of x: a final call's only (a
 * draft's answers may still change). */
static const char SQL_RECS_DROP[] = "DELETE FROM recommendations WHERE call_id = ?1";
static const char SQL_RECS_ADD[] = "INSERT OR IGNORE INTO recommendations(call_id, org_id, service, day)"
				   " VALUES (?1, ?2, ?3, " REPORT_DAY_OF("?1") ")";
static const char SQL_QA[] = "UPDATE calls SET qa_flags = ?1, queue = ?2,"
			     " queue_state = CASE WHEN ?2 IS NULL THEN 0 WHEN queue_state = 2 THEN 2 ELSE 1 END"
			     " WHERE id = ?3";

static int store_recs(dv_session *s, const call_record *r, const desk_assessment *x, dv_error *e)
{
	sqlite3_stmt *del = dbi_cached(s->db, SQL_RECS_DROP, e);
	if (!del)
		return e->code;
	dbi_bind_text(del, 1, r->id);
	int rc = sqlite3_step(del);
	sqlite3_reset(del);
	if (rc != SQLITE_DONE)
		return dbi_fail(s->db, rc, _("saving the call"), e);
	if (!r->final || !x->nrecs)
		return DV_OK;
	sqlite3_stmt *st = dbi_cached(s->db, SQL_RECS_ADD, e);
	if (!st)
		return e->code;
	rc = SQLITE_DONE;
	for (size_t i = 0; i < x->nrecs && rc == SQLITE_DONE; i++) {
		sqlite3_reset(st);
		dbi_bind_text(st, 1, r->id);
		dbi_bind_text(st, 2, x->recs[i].org_id);
		dbi_bind_text(st, 3, x->recs[i].service);
		rc = sqlite3_step(st);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? DV_OK : dbi_fail(s->db, rc, _("saving the call"), e);
}

static int tx_store(dv_session *s, void *arg, dv_error *e)
{
	struct store_arg *a = arg;
	sqlite3_stmt *st = dbi_cached(s->db, SQL_QA, e);
	if (!st)
		return e->code;
	sqlite3_bind_int64(st, 1, a->x->qa_flags);
	dbi_bind_text(st, 2, a->x->queue);
	dbi_bind_text(st, 3, a->r->id);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return dbi_fail(s->db, rc, _("saving the call"), e);
	return store_recs(s, a->r, a->x, e);
}

int desk_assess_store(dv_session *s, const script *scr, const call_record *r, dv_error *e)
{
	desk_assessor *a = desk_assessor_new(s->db, scr, e);
	if (!a)
		return e->code;
	desk_assessment x;
	desk_assess(a, r, &x);
	struct store_arg arg = {r, &x};
	dbi_warm(s->db, SQL_QA, SQL_RECS_DROP, SQL_RECS_ADD, NULL);
	int code = desk_tx(s, tx_store, &arg, e);
	desk_assessment_clear(&x);
	desk_assessor_free(a);
	return code;
}

/* ---- script texts ---- */

struct text_arg {
	const char *id, *version, *text;
};

static const char SQL_TEXT_KEEP[] =
	"INSERT OR IGNORE INTO script_texts(script_id, version, text, saved_at) VALUES (?1, ?2, ?3, ?4)";

static int tx_text(dv_session *s, void *arg, dv_error *e)
{
	struct text_arg *a = arg;
	sqlite3_stmt *st = dbi_cached(s->db, SQL_TEXT_KEEP, e);
	if (!st)
		return e->code;
	dbi_bind_text(st, 1, a->id);
	dbi_bind_text(st, 2, a->version);
	dbi_bind_text(st, 3, a->text);
	desk_bind_time(st, 4, dv_now());
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? DV_OK : dbi_fail(s->db, rc, _("saving the script text"), e);
}

int desk_remember_script(dv_session *s, const char *path, dv_error *e)
{
	FILE *f = priv_user_fopen(path, "rb");
	if (!f)
		return dv_fail(e, DV_ENOTFOUND, _("cannot open %s"), path);
	dv_buf b = {0};
	int r = dv_buf_read(&b, f, SCRIPT_MAX_FILE);
	fclose(f);
	script *scr = NULL;
	int code = DV_OK;
	if (r != 0 || script_parse(path, b.s ? b.s : "", b.len, &scr, NULL) != DV_OK)
		code = dv_fail(e, DV_EINVAL, _("%s is not a script that passes the check"), path);
	else {
		struct text_arg a = {script_id(scr), script_version(scr), b.s};
		dbi_warm(s->db, SQL_TEXT_KEEP, NULL);
		code = desk_tx(s, tx_text, &a, e);
	}
	script_free(scr);
	dv_buf_free(&b);
	return code;
}

script *desk_script_of(dv_session *s, const char *id, const char *version, dv_error *e)
{
	sqlite3_stmt *st = dbi_prepare(s->db, "SELECT text FROM script_texts WHERE script_id = ?1 AND version = ?2", e);
	if (!st)
		return NULL;
	dbi_bind_text(st, 1, id);
	dbi_bind_text(st, 2, version);
	script *scr = NULL;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		char *name = xasprintf("%s %s", id, version);
		if (script_parse(name, t, (size_t)sqlite3_column_bytes(st, 0), &scr, NULL) != DV_OK)
			dv_fail(e, DV_EINVAL, _("the stored text of script %s version %s no longer passes the check"), id, version);
		free(name);
	} else if (rc == SQLITE_DONE) {
		dv_fail(e, DV_ENOTFOUND, _("the database has no text of script %s version %s"), id, version);
	} else {
		dbi_fail(s->db, rc, _("reading the script text"), e);
	}
	sqlite3_finalize(st);
	return scr;
}

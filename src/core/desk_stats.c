/* desk_stats.c: per-operator figures, the start screen's figures and
 * the audit trail (desk.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "desk_int.h"
#include "dovira/i18n.h"

/* ---- per operator ---- */

static desk_opstat *stat_of(desk_opstat **v, long *n, const char *login)
{
	for (long i = 0; i < *n; i++)
		if (strcmp((*v)[i].operator_login, login) == 0)
			return &(*v)[i];
	*v = xrealloc(*v, (size_t)(*n + 1) * sizeof **v);
	desk_opstat *o = &(*v)[(*n)++];
	memset(o, 0, sizeof *o);
	o->operator_login = xstrdup(login);
	o->median_s = -1;
	return o;
}

/* Counts per operator in one pass over the period (the time index). */
static int count_calls(dv_session *s, time_t from, time_t to, desk_opstat **v, long *n, dv_error *e)
{
	sqlite3_stmt *st = dbi_prepare(s->db,
		"SELECT operator, count(*), sum(kind = 'data'),"
		" sum(kind = 'data' AND status = 'final' AND qa_flags <> 0),"
		" sum(qa_flags & 1 <> 0), sum(qa_flags & 2 <> 0), sum(qa_flags & 4 <> 0), sum(qa_flags & 8 <> 0),"
		" sum(qa_flags & 16 <> 0), sum(qa_flags & 32 <> 0)"
		" FROM calls WHERE started_at >= ?1 AND started_at < ?2 GROUP BY operator ORDER BY operator", e);
	if (!st)
		return e->code;
	desk_bind_time(st, 1, from > 0 ? from : 1);
	desk_bind_time(st, 2, to > 0 ? to : dv_now() + 86400 * 365);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		desk_opstat *o = stat_of(v, n, (const char *)sqlite3_column_text(st, 0));
		o->calls = sqlite3_column_int64(st, 1);
		o->data_calls = sqlite3_column_int64(st, 2);
		o->flagged = sqlite3_column_int64(st, 3);
		for (int k = 0; k < 6; k++)
			o->flag_counts[k] = sqlite3_column_int64(st, 4 + k);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? DV_OK : dbi_fail(s->db, rc, _("reading the call log"), e);
}

/* The median duration of each operator's final data calls: count them,
 * then read the middle one from the operator's time index. */
static int medians(dv_session *s, time_t from, time_t to, desk_opstat *v, long n, dv_error *e)
{
	char f[21], t[21];
	dv_utc_iso(from > 0 ? from : 1, f);
	dv_utc_iso(to > 0 ? to : dv_now() + 86400 * 365, t);
	for (long i = 0; i < n; i++) {
		const char *p[] = {v[i].operator_login, f, t};
		long long m = desk_int(s, "SELECT count(*) FROM calls WHERE operator = ?1 AND started_at >= ?2"
				       " AND started_at < ?3 AND +kind = 'data' AND +status = 'final'", p, 3, e);
		if (m < 0)
			return (int)m;
		if (m == 0)
			continue;
		sqlite3_stmt *st = dbi_prepare(s->db,
			"SELECT duration_s FROM calls WHERE operator = ?1 AND started_at >= ?2 AND started_at < ?3"
			" AND +kind = 'data' AND +status = 'final' ORDER BY duration_s LIMIT 1 OFFSET ?4", e);
		if (!st)
			return e->code;
		for (int k = 0; k < 3; k++)
			dbi_bind_text(st, k + 1, p[k]);
		sqlite3_bind_int64(st, 4, (m - 1) / 2);
		if (sqlite3_step(st) == SQLITE_ROW)
			v[i].median_s = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	return DV_OK;
}

static int open_drafts(dv_session *s, desk_opstat **v, long *n, dv_error *e)
{
	sqlite3_stmt *st = dbi_prepare(s->db, "SELECT operator, count(*) FROM calls WHERE status = 'draft' GROUP BY operator", e);
	if (!st)
		return e->code;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		stat_of(v, n, (const char *)sqlite3_column_text(st, 0))->open_drafts = sqlite3_column_int64(st, 1);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? DV_OK : dbi_fail(s->db, rc, _("reading the drafts"), e);
}

long desk_operator_stats(dv_session *s, time_t from, time_t to, desk_opstat **out, dv_error *e)
{
	*out = NULL;
	long n = 0;
	dv_error_clear(e);
	if (!desk_supervises(s))
		return dv_fail(e, DV_EPERM, _("only a supervisor or an administrator may see the figures of every operator"));
	if (count_calls(s, from, to, out, &n, e) || medians(s, from, to, *out, n, e) || open_drafts(s, out, &n, e)) {
		desk_opstats_free(*out, n);
		*out = NULL;
		return e->code;
	}
	return n;
}

void desk_opstats_free(desk_opstat *v, long n)
{
	for (long i = 0; v && i < n; i++)
		free(v[i].operator_login);
	free(v);
}

/* ---- the start screen ---- */

int desk_start_figures(dv_session *s, time_t now, desk_start *out, dv_error *e)
{
	memset(out, 0, sizeof *out);
	char t_now[21], t_mid[21], t_shift[21];
	struct tm tm;
	localtime_r(&now, &tm);
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	dv_utc_iso(mktime(&tm), t_mid);
	dv_utc_iso(now, t_now);
	dv_utc_iso(now - DESK_SHIFT_SECONDS, t_shift);
	int sup = desk_supervises(s);
	int tr = desk_is_training(s->db, e);
	if (tr < 0)
		return tr;
	out->training = tr;
	const char *p_today[] = {t_mid, s->login};
	const char *p_shift[] = {t_shift, s->login};
	const char *p_now[] = {t_now};
	const char *p_me[] = {s->login};
	long long v[5] = {0};
	v[0] = sup ? desk_int(s, "SELECT count(*) FROM calls WHERE queue_state = 1", NULL, 0, e) : 0;
	if (v[0] >= 0)
		v[1] = sup ? desk_int(s, "SELECT count(*) FROM cases WHERE callback_due IS NOT NULL AND status <> 'closed' AND callback_due < ?1", p_now, 1, e) : 0;
	if (v[1] >= 0)
		v[2] = sup ? desk_int(s, "SELECT count(*) FROM calls WHERE status = 'draft' AND started_at < ?1 AND operator <> ?2", p_shift, 2, e) : 0;
	if (v[2] >= 0)
		v[3] = sup ? desk_int(s, "SELECT count(*) FROM calls WHERE started_at >= ?1", p_today, 1, e)
			   : desk_int(s, "SELECT count(*) FROM calls WHERE operator = ?2 AND started_at >= ?1", p_today, 2, e);
	if (v[3] >= 0)
		v[4] = desk_int(s, "SELECT count(*) FROM calls WHERE status = 'draft' AND operator = ?1", p_me, 1, e);
	for (int i = 0; i < 5; i++)
		if (v[i] < 0)
			return (int)v[i];
	out->waiting = v[0];
	out->overdue = v[1];
	out->orphans = v[2];
	out->today = v[3];
	out->my_drafts = v[4];
	return DV_OK;
}

/* ---- the audit trail ---- */

/* The query of desk_audit: only the conditions asked for; SQLite walks
 * the rowid down from before_seq (there is no index on at: migration 15). */
static char *audit_sql(time_t from, time_t to, const char *actor, const char *act, int prefix)
{
	dv_buf b = {0};
	dv_buf_adds(&b, "SELECT seq, at, actor, action, object, detail FROM audit WHERE seq < ?1");
	if (from > 0)
		dv_buf_adds(&b, " AND at >= ?2");
	if (to > 0)
		dv_buf_adds(&b, " AND at < ?3");
	if (actor)
		dv_buf_adds(&b, " AND actor = ?4");
	if (act)
		dv_buf_adds(&b, prefix ? " AND substr(action, 1, length(?5)) = ?5" : " AND action = ?5");
	dv_buf_adds(&b, " ORDER BY seq DESC LIMIT ?6");
	return dv_buf_take(&b);
}

long desk_audit(dv_session *s, time_t from, time_t to, const char *actor, const char *action,
		long long before_seq, size_t limit, desk_audit_row **out, dv_error *e)
{
	*out = NULL;
	if (!desk_supervises(s))
		return dv_fail(e, DV_EPERM, _("only a supervisor or an administrator may read the audit trail"));
	int prefix = action && strlen(action) > 1 && action[strlen(action) - 1] == '*';
	char *act = action ? xstrndup(action, strlen(action) - (size_t)prefix) : NULL;
	char *sql = audit_sql(from, to, actor, act, prefix);
	sqlite3_stmt *st = dbi_prepare(s->db, sql, e);
	free(sql);
	if (!st) {
		free(act);
		return e->code;
	}
	sqlite3_bind_int64(st, 1, before_seq > 0 ? before_seq : (1LL << 62));
	desk_bind_time(st, 2, from);
	desk_bind_time(st, 3, to);
	dbi_bind_text(st, 4, actor);
	dbi_bind_text(st, 5, act);
	sqlite3_bind_int64(st, 6, (long long)(limit ? limit : 1));
	long n = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*out = xrealloc(*out, (size_t)(n + 1) * sizeof **out);
		(*out)[n++] = (desk_audit_row){sqlite3_column_int64(st, 0), desk_col_time(st, 1), dbi_col_dup(st, 2),
			dbi_col_dup(st, 3), dbi_col_dup(st, 4), dbi_col_dup(st, 5)};
	}
	sqlite3_finalize(st);
	free(act);
	if (rc != SQLITE_DONE) {
		desk_audit_free(*out, n);
		*out = NULL;
		return dbi_fail(s->db, rc, _("reading the audit trail"), e);
	}
	return n;
}

void desk_audit_free(desk_audit_row *v, long n)
{
	for (long i = 0; v && i < n; i++) {
		free(v[i].actor);
		free(v[i].action);
		free(v[i].object);
		free(v[i].detail);
	}
	free(v);
}

/* desk_case.c: cases, the queue, reviews, orphaned drafts, figures and
 * the audit trail (desk.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uuid/uuid.h>

#include "desk_int.h"
#include "dovira/audit.h"
#include "dovira/i18n.h"
#include "dovira/sanitize.h"

static int need_supervisor(dv_session *s, dv_error *e)
{
	if (!desk_supervises(s))
		return dv_fail(e, DV_EPERM, _("only a supervisor or an administrator may do this"));
	return DV_OK;
}

/* ---- cases ---- */

/* The call of a typed code, the case it belongs to (case_id "" if none)
 * and its operator; inside the caller's transaction. */
static const char SQL_CASE_OF[] = "SELECT case_id FROM calls WHERE id = ?1";
static const char SQL_LINK_MINE[] = "SELECT operator = ?2 FROM calls WHERE id = ?1";
static const char SQL_LINK_EXISTS[] = "SELECT count(*) FROM calls WHERE id = ?1";

static int call_of_code(dv_session *s, const char *typed, char id[37], char case_id[37], char op[64], char code[10], dv_error *e)
{
	if (desk_code_call(s, typed, id, op, code, e))
		return e->code;
	sqlite3_stmt *st = dbi_cached(s->db, SQL_CASE_OF, e);
	if (!st)
		return e->code;
	dbi_bind_text(st, 1, id);
	case_id[0] = '\0';
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		snprintf(case_id, 37, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return DV_OK;
}

/* The link's writes, kept prepared (desk_exec_kept) and prepared before
 * its transaction: each fires the report triggers of calls, whose
 * statements take about 10 ms to compile. */
static const char SQL_CASE_NEW[] = "INSERT INTO cases(id, code, status, status_by, status_at, owner, created_at)"
				   " VALUES (?1, ?2, 'open', ?3, ?4, ?5, ?4)";
static const char SQL_CASE_FIRST[] = "UPDATE calls SET case_id = ?1 WHERE id = ?2";
static const char SQL_CASE_LINK[] = "UPDATE calls SET case_id = ?1 WHERE id = ?2 AND case_id IS NOT ?1";
/* The same for a case's status and an abandoned draft finished or
 * discarded by a supervisor. */
static const char SQL_CASE_STATUS[] = "UPDATE cases SET status = ?2, status_by = ?3, status_at = ?4, version = version + 1"
				      " WHERE id = ?1 AND status <> ?2";
static const char SQL_DRAFT_FINISH[] =
	"UPDATE calls SET status = 'final', finished_by = ?2, ended_at = coalesce(ended_at, updated_at),"
	" duration_s = max(0, CAST(strftime('%s', updated_at) AS INTEGER) - CAST(strftime('%s', started_at) AS INTEGER)),"
	" step = NULL, updated_at = ?3, version = version + 1 WHERE id = ?1";
static const char SQL_DRAFT_DISCARD[] = "DELETE FROM calls WHERE id = ?1";

/* Make a case for the call id (code is its case code), audited. */
static int create_case(dv_session *s, const char *call_id, const char *code, const char *owner, char case_id[37], dv_error *e)
{
	uuid_t u;
	char now[21];
	uuid_generate_random(u);
	uuid_unparse_lower(u, case_id);
	dv_utc_iso(dv_now(), now);
	const char *p[] = {case_id, code, s->login, now, owner};
	if (desk_exec_kept(s, SQL_CASE_NEW, p, 5, NULL, e))
		return e->code;
	const char *q[] = {case_id, call_id};
	if (desk_exec_kept(s, SQL_CASE_FIRST, q, 2, NULL, e))
		return e->code;
	return audit_append(s->db, s->login, "case.create", case_id, code, e);
}

struct link_arg {
	const char *call_id, *typed;
};

static int tx_link(dv_session *s, void *arg, dv_error *e)
{
	struct link_arg *a = arg;
	char id[37], case_id[37], op[64], code[10];
	if (call_of_code(s, a->typed, id, case_id, op, code, e))
		return e->code;
	const char *p[] = {a->call_id};
	long long mine = desk_int_kept(s, SQL_LINK_MINE, (const char *[]){a->call_id, s->login}, 2, e);
	long long exists = desk_int_kept(s, SQL_LINK_EXISTS, p, 1, e);
	if (mine < 0 || exists < 0)
		return e->code;
	if (!exists)
		return dv_fail(e, DV_ENOTFOUND, _("no call with the id %s"), a->call_id);
	if (!mine && !desk_supervises(s))
		return dv_fail(e, DV_EPERM, _("an operator may link only their own calls to a case"));
	if (!case_id[0] && create_case(s, id, code, op, case_id, e))
		return e->code;
	int changed;
	const char *q[] = {case_id, a->call_id};
	if (desk_exec_kept(s, SQL_CASE_LINK, q, 2, &changed, e))
		return e->code;
	return changed ? audit_append(s->db, s->login, "case.link", a->call_id, code, e) : DV_OK;
}

int desk_case_link(dv_session *s, const char *call_id, const char *typed, dv_error *e)
{
	struct link_arg a = {call_id, typed};
	dbi_warm(s->db, DESK_SQL_CODE_CALL, SQL_CASE_OF, SQL_LINK_MINE, SQL_LINK_EXISTS, SQL_CASE_NEW, SQL_CASE_FIRST, SQL_CASE_LINK,
		 NULL);
	return desk_tx(s, tx_link, &a, e);
}

struct set_arg {
	const char *typed, *status, *owner;
	time_t due;
};

static int set_status(dv_session *s, const char *case_id, const char *status, dv_error *e)
{
	static const char *const ok[] = {"open", "follow_up", "closed"};
	int valid = 0;
	for (int i = 0; i < 3; i++)
		valid |= strcmp(status, ok[i]) == 0;
	if (!valid)
		return dv_fail(e, DV_EINVAL, _("unknown case status '%s': use open, follow_up or closed"), status);
	char now[21];
	dv_utc_iso(dv_now(), now);
	int changed;
	const char *p[] = {case_id, status, s->login, now};
	if (desk_exec_kept(s, SQL_CASE_STATUS, p, 4, &changed, e))
		return e->code;
	return changed ? audit_append(s->db, s->login, "case.status", case_id, status, e) : DV_OK;
}

static int set_owner(dv_session *s, const char *case_id, const char *owner, dv_error *e)
{
	if (*owner) {
		long long n = desk_int(s, "SELECT count(*) FROM staff WHERE login = ?1 AND active = 1", &owner, 1, e);
		if (n < 0)
			return (int)n;
		if (!n)
			return dv_fail(e, DV_ENOTFOUND, _("%s is not on the staff"), owner);
	}
	int changed;
	const char *p[] = {case_id, *owner ? owner : NULL};
	if (desk_exec(s, "UPDATE cases SET owner = ?2, version = version + 1 WHERE id = ?1 AND owner IS NOT ?2", p, 2, &changed, e))
		return e->code;
	return changed ? audit_append(s->db, s->login, "case.owner", case_id, *owner ? owner : "-", e) : DV_OK;
}

static int set_due(dv_session *s, const char *case_id, time_t due, dv_error *e)
{
	char at[21];
	if (due > 0)
		dv_utc_iso(due, at);
	int changed;
	const char *p[] = {case_id, due > 0 ? at : NULL};
	if (desk_exec(s, "UPDATE cases SET callback_due = ?2, version = version + 1 WHERE id = ?1 AND callback_due IS NOT ?2", p, 2, &changed, e))
		return e->code;
	return changed ? audit_append(s->db, s->login, "case.due", case_id, due > 0 ? at : "-", e) : DV_OK;
}

static int tx_set(dv_session *s, void *arg, dv_error *e)
{
	struct set_arg *a = arg;
	char id[37], case_id[37], op[64], code[10];
	if (call_of_code(s, a->typed, id, case_id, op, code, e))
		return e->code;
	if (!desk_supervises(s)) {
		if (a->owner)
			return dv_fail(e, DV_EPERM, _("only a supervisor may change who owns a case"));
		const char *p[] = {case_id, s->login};
		long long own = case_id[0] ? desk_int(s, "SELECT count(*) FROM cases WHERE id = ?1 AND owner = ?2", p, 2, e)
					   : strcmp(op, s->login) == 0;
		if (own < 0)
			return (int)own;
		if (!own)
			return dv_fail(e, DV_EPERM, _("only the case's owner or a supervisor may change it"));
	}
	if (!case_id[0] && create_case(s, id, code, op, case_id, e))
		return e->code;
	if (a->status && set_status(s, case_id, a->status, e))
		return e->code;
	if (a->owner && set_owner(s, case_id, a->owner, e))
		return e->code;
	if (a->due >= 0 && set_due(s, case_id, a->due, e))
		return e->code;
	return DV_OK;
}

int desk_case_set(dv_session *s, const char *typed, const char *status, const char *owner, time_t due, dv_error *e)
{
	struct set_arg a = {typed, status, owner, due};
	if (status)
		dbi_warm(s->db, SQL_CASE_STATUS, NULL);
	return desk_tx(s, tx_set, &a, e);
}

long desk_overdue(dv_session *s, time_t now, size_t limit, desk_case **out, dv_error *e)
{
	*out = NULL;
	int mine = !desk_supervises(s);
	sqlite3_stmt *st = dbi_prepare(s->db, mine
		? "SELECT id FROM cases WHERE callback_due IS NOT NULL AND status <> 'closed' AND callback_due < ?1 AND owner = ?3"
		  " ORDER BY callback_due LIMIT ?2"
		: "SELECT id FROM cases WHERE callback_due IS NOT NULL AND status <> 'closed' AND callback_due < ?1"
		  " ORDER BY callback_due LIMIT ?2", e);
	if (!st)
		return e->code;
	desk_bind_time(st, 1, now);
	sqlite3_bind_int64(st, 2, (long long)(limit ? limit : 1));
	if (mine)
		dbi_bind_text(st, 3, s->login);
	long n = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*out = xrealloc(*out, (size_t)(n + 1) * sizeof **out);
		if (desk_case_read(s, (const char *)sqlite3_column_text(st, 0), &(*out)[n], e)) {
			sqlite3_finalize(st);
			desk_cases_free(*out, n);
			*out = NULL;
			return e->code;
		}
		n++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		desk_cases_free(*out, n);
		*out = NULL;
		return dbi_fail(s->db, rc, _("reading the cases"), e);
	}
	return n;
}

/* ---- the queue and reviews ---- */

struct ack_arg {
	const char *call_id;
	char *comment;
};

static int tx_ack(dv_session *s, void *arg, dv_error *e)
{
	struct ack_arg *a = arg;
	sqlite3_stmt *st = dbi_prepare(s->db,
		"SELECT c.queue_state, q.who, q.at FROM calls c LEFT JOIN queue_acks q ON q.call_id = c.id WHERE c.id = ?1", e);
	if (!st)
		return e->code;
	dbi_bind_text(st, 1, a->call_id);
	int rc = sqlite3_step(st), code = DV_OK;
	if (rc == SQLITE_DONE)
		code = dv_fail(e, DV_ENOTFOUND, _("no call with the id %s"), a->call_id);
	else if (rc != SQLITE_ROW)
		code = dbi_fail(s->db, rc, _("reading the call"), e);
	else if (sqlite3_column_int(st, 0) == 0)
		code = dv_fail(e, DV_EINVAL, _("this call is not in the high-risk queue"));
	else if (sqlite3_column_int(st, 0) == 2)
		code = dv_fail(e, DV_ECONFLICT, _("%s acknowledged this call already (%s)"),
			       (const char *)sqlite3_column_text(st, 1), (const char *)sqlite3_column_text(st, 2));
	sqlite3_finalize(st);
	if (code)
		return code;
	char now[21];
	dv_utc_iso(dv_now(), now);
	const char *p[] = {a->call_id, s->login, now, a->comment};
	if (desk_exec(s, "INSERT INTO queue_acks(call_id, who, at, comment) VALUES (?1, ?2, ?3, ?4)", p, 4, NULL, e) ||
	    desk_exec(s, "UPDATE calls SET queue_state = 2 WHERE id = ?1", p, 1, NULL, e))
		return e->code;
	return audit_append(s->db, s->login, "queue.ack", a->call_id, a->comment, e);
}

int desk_queue_ack(dv_session *s, const char *call_id, const char *comment, dv_error *e)
{
	if (need_supervisor(s, e))
		return e->code;
	struct ack_arg a = {call_id, sanitize(comment ? comment : "", 0)};
	size_t n = 0;
	for (const char *p = a.comment; *p; p++)
		n += ((unsigned char)*p & 0xC0) != 0x80;
	int code = n < 1 || n > 200 ? dv_fail(e, DV_EINVAL, _("say in 1 to 200 characters what was done about the call"))
				    : desk_tx(s, tx_ack, &a, e);
	free(a.comment);
	return code;
}

static int tx_review(dv_session *s, void *arg, dv_error *e)
{
	const char *id = arg;
	const char *p[] = {id, s->login, NULL};
	char now[21];
	dv_utc_iso(dv_now(), now);
	p[2] = now;
	long long st = desk_int(s, "SELECT CASE WHEN status = 'final' THEN 1 ELSE 2 END FROM calls WHERE id = ?1", p, 1, e);
	if (st < 0)
		return (int)st;
	if (st == 0)
		return dv_fail(e, DV_ENOTFOUND, _("no call with the id %s"), id);
	if (st == 2)
		return dv_fail(e, DV_EINVAL, _("a draft cannot be marked reviewed; finish it first"));
	int changed;
	if (desk_exec(s, "UPDATE calls SET reviewed_by = ?2, reviewed_at = ?3 WHERE id = ?1 AND reviewed_by IS NULL", p, 3, &changed, e))
		return e->code;
	return changed ? audit_append(s->db, s->login, "call.review", id, NULL, e) : DV_OK;
}

int desk_mark_reviewed(dv_session *s, const char *call_id, dv_error *e)
{
	if (need_supervisor(s, e))
		return e->code;
	return desk_tx(s, tx_review, (void *)call_id, e);
}

/* ---- orphaned drafts ---- */

long desk_orphans(dv_session *s, time_t now, long older_than, size_t limit, desk_row **out, dv_error *e)
{
	*out = NULL;
	if (need_supervisor(s, e))
		return e->code;
	sqlite3_stmt *st = dbi_prepare(s->db, "SELECT " DESK_ROW_COLUMNS DESK_ROW_FROM
		" WHERE c.status = 'draft' AND c.started_at < ?1 AND c.operator <> ?2 ORDER BY c.started_at, c.rowid LIMIT ?3", e);
	if (!st)
		return e->code;
	desk_bind_time(st, 1, now - older_than);
	dbi_bind_text(st, 2, s->login);
	sqlite3_bind_int64(st, 3, (long long)(limit ? limit : 1));
	return desk_rows_run(s, st, now, out, e);
}

/* The draft must exist, be a draft and not be the supervisor's own. */
static int orphan_check(dv_session *s, const char *id, dv_error *e)
{
	const char *p[] = {id, s->login};
	long long st = desk_int(s, "SELECT CASE WHEN status <> 'draft' THEN 2 WHEN operator = ?2 THEN 3 ELSE 1 END"
				   " FROM calls WHERE id = ?1", p, 2, e);
	if (st < 0)
		return (int)st;
	if (st == 0)
		return dv_fail(e, DV_ENOTFOUND, _("no call with the id %s"), id);
	if (st == 2)
		return dv_fail(e, DV_EINVAL, _("this call is not a draft"));
	if (st == 3)
		return dv_fail(e, DV_EINVAL, _("this is your own draft: resume it in the screens"));
	return DV_OK;
}

static int tx_finish(dv_session *s, void *arg, dv_error *e)
{
	const char *id = arg;
	if (orphan_check(s, id, e))
		return e->code;
	char now[21];
	dv_utc_iso(dv_now(), now);
	const char *p[] = {id, s->login, now};
	if (desk_exec_kept(s, SQL_DRAFT_FINISH, p, 3, NULL, e))
		return e->code;
	return audit_append(s->db, s->login, "draft.finish", id, NULL, e);
}

int desk_draft_finish(dv_session *s, const char *call_id, dv_error *e)
{
	if (need_supervisor(s, e))
		return e->code;
	dbi_warm(s->db, SQL_DRAFT_FINISH, NULL);
	return desk_tx(s, tx_finish, (void *)call_id, e);
}

static int tx_discard(dv_session *s, void *arg, dv_error *e)
{
	const char *id = arg;
	if (orphan_check(s, id, e))
		return e->code;
	const char *p[] = {id};
	char *code = NULL;
	sqlite3_stmt *st = dbi_prepare(s->db, "SELECT case_code FROM calls WHERE id = ?1", e);
	if (!st)
		return e->code;
	dbi_bind_text(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		code = dbi_col_dup(st, 0);
	sqlite3_finalize(st);
	int rc = desk_exec_kept(s, SQL_DRAFT_DISCARD, p, 1, NULL, e);
	if (!rc)
		rc = audit_append(s->db, s->login, "draft.discard", id, code, e);
	free(code);
	return rc;
}

int desk_draft_discard(dv_session *s, const char *call_id, dv_error *e)
{
	if (need_supervisor(s, e))
		return e->code;
	dbi_warm(s->db, SQL_DRAFT_DISCARD, NULL);
	return desk_tx(s, tx_discard, (void *)call_id, e);
}

/* desk_call.c: one call in full, and the follow-up view of a case
 * (desk.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "desk_int.h"
#include "dovira/audit.h"
#include "dovira/i18n.h"
#include "dovira/record.h"

/* The stored text of a script version, or NULL. */
static char *script_text(dv_session *s, const char *id, const char *version)
{
	dv_error e;
	sqlite3_stmt *st = dbi_prepare(s->db, "SELECT text FROM script_texts WHERE script_id = ?1 AND version = ?2", &e);
	if (!st)
		return NULL;
	dbi_bind_text(st, 1, id);
	dbi_bind_text(st, 2, version);
	char *t = sqlite3_step(st) == SQLITE_ROW ? dbi_col_dup(st, 0) : NULL;
	sqlite3_finalize(st);
	return t;
}

/* Line n (1-based) of text, without its newline; "" if there is none. */
static char *line_of(const char *text, unsigned n)
{
	const char *p = text;
	for (unsigned i = 1; p && i < n; i++) {
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	dv_buf b = {0};
	dv_buf_add(&b, "", 0);
	while (p && *p) { /* a rule continued with '\' reads as one line */
		size_t len = strcspn(p, "\n");
		int more = len > 0 && p[len - 1] == '\\';
		dv_buf_add(&b, p, more ? len - 1 : len);
		if (!more || !p[len])
			break;
		p += len + 1;
		p += strspn(p, " \t");
	}
	return dv_buf_take(&b);
}

/* ---- the answers in words ---- */

static void add_line(desk_call *c, const char *step, const char *question, const char *value, char *label)
{
	c->lines = xrealloc(c->lines, (c->nlines + 1) * sizeof *c->lines);
	c->lines[c->nlines++] = (desk_line){xstrdup(step), xstrdup(question), xstrdup(value), label};
}

static void lines_from_script(desk_call *c, const script *scr)
{
	for (size_t i = 0; i < script_nsteps(scr); i++) {
		const script_step *st = script_step_at(scr, i);
		const char *v = st->kind == SCRIPT_NOTES ? NULL : record_value(c->r, st);
		if (v)
			add_line(c, st->id, script_step_text(st), v, record_words(st, v));
	}
}

/* Without the script's text: the codes, as stored. */
static void lines_raw(desk_call *c)
{
	for (int k = 0; k < COL_NCOLS; k++)
		if (k != COL_NOTES && c->r->col[k])
			add_line(c, col_name((call_col)k), col_name((call_col)k), c->r->col[k], xstrdup(c->r->col[k]));
	for (size_t k = 0; k < c->r->nanswers; k++)
		add_line(c, c->r->answers[k].step, c->r->answers[k].step, c->r->answers[k].value, xstrdup(c->r->answers[k].value));
}

/* ---- why, and referrals ---- */

static void add_why(desk_call *c, char *line)
{
	c->why = xrealloc(c->why, (c->nwhy + 1) * sizeof *c->why);
	c->why[c->nwhy++] = line;
}

static void why_from_script(desk_call *c, const script *scr, const script_answers *a, const char *text)
{
	unsigned *lines;
	int score;
	script_risk_now(a, &score);
	size_t n = script_risk_why(a, &lines);
	for (size_t i = 0; i < n; i++) {
		char *l = line_of(text, lines[i]);
		/* TRANSLATORS: a rule of the intake script that held: "line N: the rule" */
		add_why(c, xasprintf(_("line %u: %s"), lines[i], l));
		free(l);
	}
	free(lines);
	for (size_t i = 0; i < script_nsteps(scr); i++) {
		const script_step *st = script_step_at(scr, i);
		for (size_t k = 0; k < st->nopts; k++)
			if (st->opts[k].weight > 0 && script_answers_has(a, st->id, st->opts[k].code) && script_visible(a, i))
				add_why(c, xasprintf(_("%s: %s (weight %d)"), script_step_text(st), script_option_label(&st->opts[k]), st->opts[k].weight));
	}
	add_why(c, xasprintf(_("score %d"), score));
}

static void add_ref(desk_call *c, dv_session *s, const char *org, const char *service, int recommended, int made)
{
	for (size_t i = 0; i < c->nrefs; i++) {
		desk_referral *x = &c->refs[i];
		if (strcmp(x->org_id, org) == 0 && strcmp(x->service, service) == 0) {
			x->recommended |= recommended;
			return;
		}
	}
	c->refs = xrealloc(c->refs, (c->nrefs + 1) * sizeof *c->refs);
	desk_referral *x = &c->refs[c->nrefs++];
	memset(x, 0, sizeof *x);
	x->org_id = xstrdup(org);
	x->service = xstrdup(service);
	x->recommended = recommended;
	x->made = made;
	dv_error e;
	sqlite3_stmt *st = dbi_prepare(s->db, "SELECT name_uk, name_en, verified_on IS NOT NULL FROM orgs WHERE id = ?1", &e);
	if (st) {
		dbi_bind_text(st, 1, org);
		if (sqlite3_step(st) == SQLITE_ROW) {
			x->org_name = xstrdup(i18n_pick((const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1)));
			x->verified = sqlite3_column_int(st, 2);
		}
		sqlite3_finalize(st);
	}
	if (!x->org_name)
		x->org_name = xstrdup(org);
}

static void refs_of(desk_call *c, dv_session *s, const script_answers *a)
{
	for (size_t i = 0; i < c->r->nreferrals; i++)
		add_ref(c, s, c->r->referrals[i].org_id, c->r->referrals[i].service ? c->r->referrals[i].service : "",
			c->r->referrals[i].recommended, 1);
	if (!a)
		return;
	script_referral *rec;
	size_t n = script_referrals(a, &rec);
	for (size_t i = 0; i < n; i++)
		add_ref(c, s, rec[i].org, rec[i].service, 1, 0);
	free(rec);
}

/* ---- the desk's columns, corrections, case ---- */

static int read_desk_columns(desk_call *c, dv_session *s, char case_id[37], dv_error *e)
{
	sqlite3_stmt *st = dbi_prepare(s->db,
		"SELECT c.qa_flags, c.queue, c.queue_state, c.reviewed_by, c.reviewed_at, c.finished_by,"
		" c.case_id, a.who, a.at, a.comment, c.status, c.started_at"
		" FROM calls c LEFT JOIN queue_acks a ON a.call_id = c.id WHERE c.id = ?1", e);
	if (!st)
		return e->code;
	dbi_bind_text(st, 1, c->r->id);
	int rc = sqlite3_step(st);
	case_id[0] = '\0';
	if (rc == SQLITE_ROW) {
		c->qa_flags = (unsigned)sqlite3_column_int64(st, 0);
		if (strcmp((const char *)sqlite3_column_text(st, 10), "draft") == 0 &&
		    desk_col_time(st, 11) < dv_now() - DESK_SHIFT_SECONDS)
			c->qa_flags |= DESK_QA_OLD_DRAFT;
		c->queue = dbi_col_dup(st, 1);
		c->queue_state = sqlite3_column_int(st, 2);
		c->reviewed_by = dbi_col_dup(st, 3);
		c->reviewed_at = desk_col_time(st, 4);
		c->finished_by = dbi_col_dup(st, 5);
		if (sqlite3_column_type(st, 6) != SQLITE_NULL)
			snprintf(case_id, 37, "%s", (const char *)sqlite3_column_text(st, 6));
		c->ack_by = dbi_col_dup(st, 7);
		c->ack_at = desk_col_time(st, 8);
		c->ack_comment = dbi_col_dup(st, 9);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? DV_OK : dbi_fail(s->db, rc, _("reading the call"), e);
}

long desk_corrections_read(dv_session *s, const char *call_id, long after_version, desk_correction **out, dv_error *e)
{
	*out = NULL;
	sqlite3_stmt *st = dbi_prepare(s->db,
		"SELECT version, field, old, new, reason, who, at FROM corrections"
		" WHERE call_id = ?1 AND version > ?2 ORDER BY version, field", e);
	if (!st)
		return e->code;
	dbi_bind_text(st, 1, call_id);
	sqlite3_bind_int64(st, 2, after_version);
	long n = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*out = xrealloc(*out, (size_t)(n + 1) * sizeof **out);
		(*out)[n++] = (desk_correction){sqlite3_column_int64(st, 0), dbi_col_dup(st, 1), dbi_col_dup(st, 2),
			dbi_col_dup(st, 3), dbi_col_dup(st, 4), dbi_col_dup(st, 5), desk_col_time(st, 6)};
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		desk_corrections_free(*out, (size_t)n);
		*out = NULL;
		return dbi_fail(s->db, rc, _("reading the corrections"), e);
	}
	return n;
}

void desk_corrections_free(desk_correction *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++) {
		free(v[i].field);
		free(v[i].old_value);
		free(v[i].new_value);
		free(v[i].reason);
		free(v[i].who);
	}
	free(v);
}

int desk_case_read(dv_session *s, const char *case_id, desk_case *k, dv_error *e)
{
	memset(k, 0, sizeof *k);
	sqlite3_stmt *st = dbi_prepare(s->db,
		"SELECT id, code, status, status_by, status_at, callback_due, owner, legal_hold, version FROM cases WHERE id = ?1", e);
	if (!st)
		return e->code;
	dbi_bind_text(st, 1, case_id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		snprintf(k->id, sizeof k->id, "%s", (const char *)sqlite3_column_text(st, 0));
		snprintf(k->code, sizeof k->code, "%s", (const char *)sqlite3_column_text(st, 1));
		k->status = dbi_col_dup(st, 2);
		k->status_by = dbi_col_dup(st, 3);
		k->status_at = desk_col_time(st, 4);
		k->callback_due = desk_col_time(st, 5);
		k->owner = dbi_col_dup(st, 6);
		k->legal_hold = sqlite3_column_int(st, 7);
		k->version = sqlite3_column_int64(st, 8);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return dv_fail(e, DV_ENOTFOUND, _("no case with the id %s"), case_id);
	return rc == SQLITE_ROW ? DV_OK : dbi_fail(s->db, rc, _("reading the case"), e);
}

void desk_case_clear(desk_case *c)
{
	free(c->status);
	free(c->status_by);
	free(c->owner);
	memset(c, 0, sizeof *c);
}

void desk_cases_free(desk_case *v, long n)
{
	for (long i = 0; v && i < n; i++)
		desk_case_clear(&v[i]);
	free(v);
}

long desk_case_calls(dv_session *s, const char *case_id, int all_operators, desk_row **out, dv_error *e)
{
	*out = NULL;
	int mine = !all_operators && !desk_supervises(s);
	sqlite3_stmt *st = dbi_prepare(s->db, mine
		? "SELECT " DESK_ROW_COLUMNS DESK_ROW_FROM " WHERE c.case_id = ?1 AND c.operator = ?2 ORDER BY c.started_at, c.rowid"
		: "SELECT " DESK_ROW_COLUMNS DESK_ROW_FROM " WHERE c.case_id = ?1 ORDER BY c.started_at, c.rowid", e);
	if (!st)
		return e->code;
	dbi_bind_text(st, 1, case_id);
	if (mine)
		dbi_bind_text(st, 2, s->login);
	return desk_rows_run(s, st, dv_now(), out, e);
}

/* ---- opening ---- */

static int is_uuid(const char *s)
{
	return strlen(s) == 36 && s[8] == '-' && s[13] == '-' && s[18] == '-' && s[23] == '-';
}

static int fill(desk_call *c, dv_session *s, dv_error *e)
{
	char case_id[37];
	if (read_desk_columns(c, s, case_id, e))
		return e->code;
	char *text = script_text(s, c->r->script_id, c->r->script_version);
	script *scr = NULL;
	if (text && script_parse("stored", text, strlen(text), &scr, NULL) != DV_OK)
		scr = NULL;
	script_answers *a = scr ? desk_answers_of(scr, c->r) : NULL;
	c->script_known = scr != NULL;
	if (scr) {
		const char *title = script_title(scr);
		c->script_title = title ? xstrdup(title) : NULL;
		lines_from_script(c, scr);
		if (c->r->kind == CALL_DATA)
			why_from_script(c, scr, a, text);
	} else {
		lines_raw(c);
	}
	refs_of(c, s, a);
	script_answers_free(a);
	script_free(scr);
	free(text);
	long n = desk_corrections_read(s, c->r->id, 0, &c->corr, e);
	if (n < 0)
		return (int)n;
	c->ncorr = (size_t)n;
	if (case_id[0]) {
		c->kase = xcalloc(1, sizeof *c->kase);
		if (desk_case_read(s, case_id, c->kase, e))
			return e->code;
		c->ncase_calls = desk_case_calls(s, case_id, 0, &c->case_calls, e);
		if (c->ncase_calls < 0)
			return (int)c->ncase_calls;
	}
	return DV_OK;
}

desk_call *desk_call_open(dv_session *s, const char *id_or_code, dv_error *e)
{
	char id[37];
	if (is_uuid(id_or_code))
		snprintf(id, sizeof id, "%s", id_or_code);
	else if (desk_find_code(s, id_or_code, id, e))
		return NULL;
	call_record *r = calls_get(s, id, e);
	if (!r)
		return NULL;
	desk_call *c = xcalloc(1, sizeof *c);
	c->r = r;
	if (fill(c, s, e)) {
		desk_call_free(c);
		return NULL;
	}
	return c;
}

void desk_call_free(desk_call *c)
{
	if (!c)
		return;
	call_free(c->r);
	free(c->script_title);
	for (size_t i = 0; i < c->nlines; i++) {
		free(c->lines[i].step);
		free(c->lines[i].question);
		free(c->lines[i].value);
		free(c->lines[i].label);
	}
	free(c->lines);
	for (size_t i = 0; i < c->nwhy; i++)
		free(c->why[i]);
	free(c->why);
	for (size_t i = 0; i < c->nrefs; i++) {
		free(c->refs[i].org_id);
		free(c->refs[i].org_name);
		free(c->refs[i].service);
	}
	free(c->refs);
	free(c->queue);
	free(c->ack_by);
	free(c->ack_comment);
	free(c->reviewed_by);
	free(c->finished_by);
	desk_corrections_free(c->corr, c->ncorr);
	if (c->kase)
		desk_case_clear(c->kase);
	free(c->kase);
	desk_rows_free(c->case_calls, c->ncase_calls);
	free(c);
}

/* ---- the follow-up view ---- */

static void followup_refs(dv_session *s, desk_followup_call *fc)
{
	dv_error e;
	sqlite3_stmt *st = dbi_prepare(s->db, "SELECT org_id || ' ' || service FROM referrals WHERE call_id = ?1 ORDER BY made_at, org_id", &e);
	if (!st)
		return;
	dbi_bind_text(st, 1, fc->row.id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		fc->refs = xrealloc(fc->refs, (fc->nrefs + 1) * sizeof *fc->refs);
		fc->refs[fc->nrefs++] = dbi_col_dup(st, 0);
	}
	sqlite3_finalize(st);
}

/* Outcome and notes of one call; notes only for its operator or a
 * supervisor. */
static void followup_detail(dv_session *s, desk_followup_call *fc)
{
	dv_error e;
	sqlite3_stmt *st = dbi_prepare(s->db, "SELECT outcome, notes FROM calls WHERE id = ?1", &e);
	if (!st)
		return;
	dbi_bind_text(st, 1, fc->row.id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		fc->outcome = dbi_col_dup(st, 0);
		if (desk_supervises(s) || strcmp(fc->row.operator_login, s->login) == 0)
			fc->notes = dbi_col_dup(st, 1);
	}
	sqlite3_finalize(st);
	followup_refs(s, fc);
}

static int tx_lookup(dv_session *s, void *arg, dv_error *e)
{
	return audit_append(s->db, s->login, "case.lookup", arg, NULL, e);
}

/* The rows of the follow-up: the case's calls, or the one call. */
static long followup_rows(dv_session *s, desk_followup *f, const char *id, desk_row **rows, dv_error *e)
{
	if (f->kase.id[0])
		return desk_case_calls(s, f->kase.id, 1, rows, e);
	sqlite3_stmt *st = dbi_prepare(s->db, "SELECT " DESK_ROW_COLUMNS DESK_ROW_FROM " WHERE c.id = ?1", e);
	if (!st)
		return e->code;
	dbi_bind_text(st, 1, id);
	*rows = xcalloc(1, sizeof **rows);
	long n = 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		desk_row_read(st, dv_now(), &(*rows)[n++]);
	sqlite3_finalize(st);
	return n;
}

desk_followup *desk_followup_get(dv_session *s, const char *typed, dv_error *e)
{
	char id[37], op[64], code[10];
	if (desk_code_call(s, typed, id, op, code, e))
		return NULL;
	desk_followup *f = xcalloc(1, sizeof *f);
	memcpy(f->first_call, id, sizeof id);
	char case_id[37] = "";
	const char *p[] = {id};
	sqlite3_stmt *st = dbi_prepare(s->db, "SELECT case_id FROM calls WHERE id = ?1", e);
	if (st) {
		dbi_bind_text(st, 1, p[0]);
		if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
			snprintf(case_id, sizeof case_id, "%s", (const char *)sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
	}
	desk_row *rows = NULL;
	long n = -1;
	if (st && (!case_id[0] || desk_case_read(s, case_id, &f->kase, e) == DV_OK))
		n = followup_rows(s, f, id, &rows, e);
	if (n < 0 || desk_tx(s, tx_lookup, id, e)) {
		desk_rows_free(rows, n > 0 ? n : 0);
		desk_followup_free(f);
		return NULL;
	}
	f->calls = xcalloc((size_t)n + 1, sizeof *f->calls);
	for (long i = 0; i < n; i++) {
		f->calls[i].row = rows[i];
		followup_detail(s, &f->calls[i]);
	}
	f->ncalls = (size_t)n;
	free(rows);
	return f;
}

void desk_followup_free(desk_followup *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->ncalls; i++) {
		desk_followup_call *c = &f->calls[i];
		desk_row_clear(&c->row);
		free(c->outcome);
		free(c->notes);
		for (size_t k = 0; k < c->nrefs; k++)
			free(c->refs[k]);
		free(c->refs);
	}
	free(f->calls);
	desk_case_clear(&f->kase);
	free(f);
}

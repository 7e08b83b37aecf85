/* calls.c: the call log. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uuid/uuid.h>

#include "dbi.h"
#include "dovira/audit.h"
#include "dovira/calls.h"
#include "calls_int.h"
#include "combine.h"
#include "schema_reportday.h"
#include "dovira/i18n.h"
#include "dovira/redact.h"
#include "dovira/sanitize.h"

static const char *const kind_codes[CALL_NKINDS] = {
	"data", "silent", "hangup", "abusive", "wrong_number", "test",
};

const char *calls_kind_code(call_kind k)
{
	return (unsigned)k < CALL_NKINDS ? kind_codes[k] : "data";
}

const char *calls_kind_label(call_kind k)
{
	switch (k) {
	case CALL_SILENT: return _("silent call");
	case CALL_HANGUP: return _("hung up at once");
	case CALL_ABUSIVE: return _("abusive call");
	case CALL_WRONG_NUMBER: return _("wrong number");
	case CALL_TEST: return _("test call");
	default: return _("data call");
	}
}

static call_kind kind_parse(const char *code)
{
	for (int i = 0; code && i < CALL_NKINDS; i++)
		if (strcmp(code, kind_codes[i]) == 0)
			return (call_kind)i;
	return CALL_DATA;
}

void calls_case_code(const unsigned char uuid[16], char out[static 10])
{
	static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
	unsigned long long bits = 0;
	for (int i = 0; i < 5; i++)
		bits = bits << 8 | uuid[i];
	for (int i = 0, o = 0; i < 8; i++) {
		if (i == 4)
			out[o++] = '-';
		out[o++] = alphabet[(bits >> (35 - 5 * i)) & 31];
	}
	out[9] = '\0';
}

void calls_make_id(const unsigned char random[16], time_t at, char out[static 37])
{
	unsigned char b[16];
	memcpy(b, random, sizeof b);
	unsigned long h = at > 0 ? (unsigned long)(at / 3600) & 0xffffffffUL : 0;
	b[0] = (unsigned char)(h >> 24);
	b[1] = (unsigned char)(h >> 16);
	b[2] = (unsigned char)(h >> 8);
	b[3] = (unsigned char)h;
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x80); /* version 8 */
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80); /* the RFC's variant */
	uuid_unparse_lower(b, out);
}

static void replace(char **slot, const char *value)
{
	free(*slot);
	*slot = value ? xstrdup(value) : NULL;
}

void call_set_col(call_record *r, call_col c, const char *value)
{
	if ((unsigned)c < COL_NCOLS)
		replace(&r->col[c], value);
}

void call_set_answer(call_record *r, const char *step, const char *value)
{
	for (size_t i = 0; i < r->nanswers; i++) {
		if (strcmp(r->answers[i].step, step) != 0)
			continue;
		if (value) {
			replace(&r->answers[i].value, value);
		} else {
			free(r->answers[i].step);
			free(r->answers[i].value);
			r->answers[i] = r->answers[--r->nanswers];
		}
		return;
	}
	if (!value)
		return;
	r->answers = xrealloc(r->answers, (r->nanswers + 1) * sizeof *r->answers);
	r->answers[r->nanswers].step = xstrdup(step);
	r->answers[r->nanswers].value = xstrdup(value);
	r->nanswers++;
}

static void free_answers(call_answer **v, size_t *n)
{
	for (size_t i = 0; i < *n; i++) {
		free((*v)[i].step);
		free((*v)[i].value);
	}
	free(*v);
	*v = NULL;
	*n = 0;
}

void call_clear_answers(call_record *r)
{
	free_answers(&r->answers, &r->nanswers);
}

void call_set_progress(call_record *r, const char *risk, const char *step)
{
	replace(&r->risk, risk);
	replace(&r->step, step);
}

static void free_referrals(call_record *r)
{
	for (size_t i = 0; i < r->nreferrals; i++) {
		free(r->referrals[i].org_id);
		free(r->referrals[i].service);
	}
	free(r->referrals);
	r->referrals = NULL;
	r->nreferrals = 0;
}

void call_free(call_record *r)
{
	if (!r)
		return;
	free(r->operator_login);
	free(r->office);
	free(r->script_id);
	free(r->script_version);
	for (int i = 0; i < COL_NCOLS; i++)
		free(r->col[i]);
	free(r->risk);
	free(r->step);
	call_clear_answers(r);
	free_referrals(r);
	free(r->notes_hits);
	for (int i = 0; i < COL_NCOLS; i++)
		free(r->saved_col[i]);
	free(r->saved_risk);
	free(r->saved_step);
	free_answers(&r->saved_answers, &r->nsaved_answers);
	free(r);
}

static int differs(const char *a, const char *b)
{
	return (a == NULL) != (b == NULL) || (a && strcmp(a, b) != 0);
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* The record's answers are now what the stored rows hold. */
static void remember_answers(call_record *r)
{
	free_answers(&r->saved_answers, &r->nsaved_answers);
	if (!r->nanswers)
		return;
	r->saved_answers = xcalloc(r->nanswers, sizeof *r->saved_answers);
	for (size_t i = 0; i < r->nanswers; i++)
		r->saved_answers[i] = (call_answer){xstrdup(r->answers[i].step), xstrdup(r->answers[i].value)};
	r->nsaved_answers = r->nanswers;
}

/* The record's columns and answers are now what the stored rows hold. */
static void remember_saved(call_record *r)
{
	remember_answers(r);
	for (int i = 0; i < COL_NCOLS; i++) {
		free(r->saved_col[i]);
		r->saved_col[i] = dup_or_null(r->col[i]);
	}
	free(r->saved_risk);
	free(r->saved_step);
	r->saved_risk = dup_or_null(r->risk);
	r->saved_step = dup_or_null(r->final ? NULL : r->step);
	r->saved_known = 1;
}

void (*calls_uuid_source)(unsigned char u[16]);

/* A new id (calls_make_id: the hour, then random bytes) and the case code
 * drawn from the same random bytes (their first 40 bits, of which the id
 * keeps 8). */
static void draw_id(call_record *r, time_t at)
{
	uuid_t u;
	if (calls_uuid_source)
		calls_uuid_source(u);
	else
		uuid_generate_random(u);
	calls_make_id(u, at, r->id);
	calls_case_code(u, r->case_code);
}

static call_record *record_new(dv_session *s, const char *script_id, const char *script_version)
{
	call_record *r = xcalloc(1, sizeof *r);
	r->started_at = dv_now();
	r->operator_login = xstrdup(s->login);
	r->office = xstrdup(s->office);
	r->script_id = xstrdup(script_id ? script_id : "-");
	r->script_version = xstrdup(script_version ? script_version : "-");
	r->version = 1;
	return r;
}

static const char SQL_CODE_TAKEN[] = "SELECT 1 FROM calls WHERE case_code = ?1";
static const char SQL_INSERT_CALL[] =
	"INSERT INTO calls(id, case_code, started_at, ended_at, duration_s, operator, office,"
	" script_id, script_version, status, version, kind, updated_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 1, ?11, ?12)";

/* 1 if another call already has this case code. */
static int case_code_taken(dv_session *s, const char *code)
{
	dv_error ignored;
	sqlite3_stmt *st = dbi_cached(s->db, SQL_CODE_TAKEN, &ignored);
	if (!st) /* then the insert's own failure is reported */
		return 0;
	dbi_bind_text(st, 1, code);
	int taken = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return taken;
}

/* A new UUID and the case code drawn from it. */
/* Insert the record's first row, in the caller's transaction. Returns
 * DV_ECONFLICT (without a message) if its case code is taken. */
static int insert_row(dv_session *s, call_record *r, dv_error *e)
{
	char at[21], ended[21];
	dv_utc_iso(r->started_at, at);
	dv_utc_iso(r->ended_at, ended);
	sqlite3_stmt *st = dbi_cached(s->db, SQL_INSERT_CALL, e);
	if (!st)
		return e->code;
	const char *v[] = {r->id, r->case_code, at, r->final ? ended : NULL};
	for (int i = 0; i < 4; i++)
		dbi_bind_text(st, i + 1, v[i]);
	if (r->final)
		sqlite3_bind_int64(st, 5, r->duration_s);
	dbi_bind_text(st, 6, r->operator_login);
	dbi_bind_text(st, 7, r->office);
	dbi_bind_text(st, 8, r->script_id);
	dbi_bind_text(st, 9, r->script_version);
	dbi_bind_text(st, 10, r->final ? "final" : "draft");
	dbi_bind_text(st, 11, calls_kind_code(r->kind));
	dbi_bind_text(st, 12, at);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_CONSTRAINT_UNIQUE && case_code_taken(s, r->case_code))
		return DV_ECONFLICT;
	if (rc != SQLITE_DONE)
		return dbi_fail(s->db, rc, _("saving the call"), e);
	return DV_OK;
}

/* Run fn inside one BEGIN IMMEDIATE transaction, for an account that is
 * still on the staff list at this moment (a removed account's open session
 * may do nothing more). */
static int in_tx(dv_session *s, int (*fn)(dv_session *, call_record *, void *, dv_error *),
		 call_record *r, void *arg, dv_error *e)
{
	dbi_warm(s->db, DBI_SQL_ROLE_OF, NULL);
	dbi_audit_warm(s->db);
	if (dbi_begin(s->db, e))
		return e->code;
	if (session_recheck(s, e) || fn(s, r, arg, e)) {
		dbi_rollback(s->db);
		return e->code;
	}
	int code = dbi_commit(s->db, e);
	combine_wake(s->db, 0); /* a draft waiting to be combined may take the lock */
	return code;
}

/* Case codes are 40 random bits drawn with the id: in a million calls two
 * share one about every other database. A clash draws again, so the
 * second call is saved, not refused. */
static int tx_create(dv_session *s, call_record *r, void *arg, dv_error *e)
{
	int code, tries = 0;
	while ((code = insert_row(s, r, e)) == DV_ECONFLICT && ++tries < 8)
		draw_id(r, r->started_at);
	if (code == DV_ECONFLICT)
		return dv_fail(e, DV_EINTERNAL, _("no free case code after %d draws"), tries);
	if (code)
		return e->code;
	return audit_append(s->db, s->login, "call.create", r->id, calls_kind_code(r->kind), e);
}

static void warm_saves(dv_db *db);
static void warm_masks(dv_db *db, int max);

/* Write the new call r (a draft, or a final non-data call): its id and
 * case code drawn for the hour it began, its statements prepared before
 * the lock. */
static int create_call(dv_session *s, call_record *r, dv_error *e)
{
	draw_id(r, r->started_at);
	dbi_warm(s->db, SQL_INSERT_CALL, SQL_CODE_TAKEN, NULL);
	return in_tx(s, tx_create, r, NULL, e);
}

static int may_take_calls(dv_session *s, dv_error *e)
{
	if (!session_may(s, ROLES_ALL))
		return dv_fail(e, DV_EPERM, _("the account %s may not take calls"), s->login);
	return DV_OK;
}

call_record *calls_begin(dv_session *s, const char *script_id, const char *script_version, dv_error *e)
{
	if (may_take_calls(s, e))
		return NULL;
	call_record *r = record_new(s, script_id, script_version);
	if (create_call(s, r, e)) {
		call_free(r);
		return NULL;
	}
	remember_saved(r);
	warm_saves(s->db);
	warm_masks(s->db, COMBINE_MASKS);
	return r;
}

int calls_log_nondata(dv_session *s, call_kind kind, time_t started_at, char case_code[10], dv_error *e)
{
	if (may_take_calls(s, e))
		return e->code;
	if (kind == CALL_DATA || (unsigned)kind >= CALL_NKINDS)
		return dv_fail(e, DV_EINVAL, _("not a non-data call kind"));
	call_record *r = record_new(s, NULL, NULL);
	if (started_at > 0 && started_at <= r->started_at)
		r->started_at = started_at;
	r->kind = kind;
	r->final = 1;
	r->ended_at = dv_now();
	r->duration_s = (long)(r->ended_at - r->started_at);
	int code = create_call(s, r, e);
	if (!code && case_code)
		memcpy(case_code, r->case_code, 10);
	call_free(r);
	return code;
}

unsigned long calls_redactions;

/* Clean and redact free text before it is stored. */
static char *clean_text(const char *text, int multiline)
{
	calls_redactions++;
	char *safe = sanitize(text, multiline ? SANITIZE_KEEP_NEWLINE | SANITIZE_KEEP_TAB : 0);
	char *red = redact_apply(safe, NULL, NULL);
	free(safe);
	return red;
}

/* Find every redaction tag in the stored notes, for highlighting. */
static void find_tags(call_record *r)
{
	free(r->notes_hits);
	r->notes_hits = NULL;
	r->nnotes_hits = 0;
	const char *notes = r->col[COL_NOTES];
	for (size_t i = 0; notes && notes[i]; i++) {
		if (notes[i] != '[')
			continue;
		for (int k = 0; k < REDACT_NKINDS; k++) {
			const char *tag = redact_tag((redact_kind)k);
			size_t n = strlen(tag);
			if (strncmp(notes + i, tag, n) != 0)
				continue;
			r->notes_hits = xrealloc(r->notes_hits, (r->nnotes_hits + 1) * sizeof *r->notes_hits);
			r->notes_hits[r->nnotes_hits++] = (redact_hit){(redact_kind)k, i, i + n};
			i += n - 1;
			break;
		}
	}
}

/* 1 if the answer to step is value in the stored rows as last saved or
 * read: then it was redacted when it was written. */
static int answer_saved(const call_record *r, const char *step, const char *value)
{
	for (size_t i = 0; i < r->nsaved_answers; i++)
		if (strcmp(r->saved_answers[i].step, step) == 0)
			return strcmp(r->saved_answers[i].value, value) == 0;
	return 0;
}

/* Redact what the operator typed, in place in the record: everything
 * (all), or only the text that differs from the stored row's, which was
 * redacted when it was saved. Redaction is most of a save's CPU time (a
 * dozen answers and the notes at every save, when one answer and the
 * notes changed), and on a server 32 writers share two cores. */
static void redact_record(call_record *r, int all)
{
	all |= !r->saved_known;
	if (r->col[COL_NOTES] && (all || differs(r->col[COL_NOTES], r->saved_col[COL_NOTES]))) {
		char *red = clean_text(r->col[COL_NOTES], 1);
		free(r->col[COL_NOTES]);
		r->col[COL_NOTES] = red;
	}
	for (size_t i = 0; i < r->nanswers; i++) {
		if (!all && answer_saved(r, r->answers[i].step, r->answers[i].value))
			continue;
		char *red = clean_text(r->answers[i].value, 1);
		free(r->answers[i].value);
		r->answers[i].value = red;
	}
	find_tags(r);
}

void calls_redact(call_record *r)
{
	redact_record(r, 1);
}

/* The UPDATE of a draft: the core columns as ?1..?COL_NCOLS in table
 * order (columns.h), everything else by name. A new string. */
/* Built once: the statement cache (dbi_cached) keys on the string. */
static const char *update_sql(void)
{
	static char *sql;
	if (sql)
		return sql;
	dv_buf b = {0};
	dv_buf_adds(&b, "UPDATE calls SET ");
	for (int c = 0; c < COL_NCOLS; c++)
		dv_buf_printf(&b, "%s = ?%d, ", col_name((call_col)c), c + 1);
	dv_buf_adds(&b, "risk = :risk, step = :step, status = :status, ended_at = :ended, duration_s = :duration,"
		" updated_at = :now, version = version + 1"
		" WHERE id = :id AND version = :version AND status = 'draft' AND operator = :operator");
	return sql = dv_buf_take(&b);
}

/* The change mask (CH_*) is in combine.h. */
static unsigned changes(const call_record *r)
{
	unsigned m = 0;
	for (int c = 0; c < COL_NCOLS; c++)
		if (differs(r->col[c], r->saved_col[c]))
			m |= 1u << c;
	if (differs(r->risk, r->saved_risk))
		m |= CH_RISK;
	if (differs(r->final ? NULL : r->step, r->saved_step))
		m |= CH_STEP;
	if (r->final)
		m |= CH_FINAL;
	return m;
}

/* The UPDATE of only the columns in mask (same parameters as update_sql),
 * built once per mask and kept, so that the statement cache (keyed on
 * the string) prepares it once per connection: a save usually changes the
 * notes and one answer, and then no index of the calls table is written. */
static const char *update_sql_for(unsigned mask)
{
	/* Every mask gets its own, however many there are: a combined save
	 * binds only its masked columns, so the UPDATE of every column would
	 * clear the others (and the status: the save failed). */
	static struct built { unsigned mask; char *sql; } *built;
	static int nbuilt, cap;
	for (int i = 0; i < nbuilt; i++)
		if (built[i].mask == mask)
			return built[i].sql;
	if (nbuilt == cap) {
		cap = cap ? 2 * cap : 64;
		built = xrealloc(built, (size_t)cap * sizeof *built);
	}
	dv_buf b = {0};
	dv_buf_adds(&b, "UPDATE calls SET ");
	for (int c = 0; c < COL_NCOLS; c++)
		if (mask & (1u << c))
			dv_buf_printf(&b, "%s = ?%d, ", col_name((call_col)c), c + 1);
	if (mask & CH_RISK)
		dv_buf_adds(&b, "risk = :risk, ");
	if (mask & CH_STEP)
		dv_buf_adds(&b, "step = :step, ");
	if (mask & CH_FINAL)
		dv_buf_adds(&b, "status = :status, ended_at = :ended, duration_s = :duration, ");
	dv_buf_adds(&b, "updated_at = :now, version = version + 1"
		" WHERE id = :id AND version = :version AND status = 'draft' AND operator = :operator");
	built[nbuilt].mask = mask;
	return built[nbuilt++].sql = dv_buf_take(&b);
}

static void bind_named(sqlite3_stmt *st, const char *name, const char *value)
{
	dbi_bind_text(st, sqlite3_bind_parameter_index(st, name), value);
}

/* Bind a core column: a yes/no column is stored as 1 or 0. */
static void bind_col(sqlite3_stmt *st, call_col c, const char *value)
{
	if (col_shape_of(c) == COL_SHAPE_YESNO && value)
		sqlite3_bind_int(st, (int)c + 1, strcmp(value, "yes") == 0);
	else
		dbi_bind_text(st, (int)c + 1, value);
}

/* Bind what every update of a call's row names (its id, the version it
 * must still be at, the account, the time) and run it: exactly one row
 * must change, or someone else changed or closed the call meanwhile. */
static int run_update(dv_db *db, sqlite3_stmt *st, const char *id, long version, const char *login,
		      const char *case_code, dv_error *e)
{
	char now[21];
	dv_utc_iso(dv_now(), now);
	bind_named(st, ":now", now);
	bind_named(st, ":id", id);
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":version"), version);
	bind_named(st, ":operator", login);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return dbi_fail(db, rc, _("saving the call"), e);
	if (sqlite3_changes(db->h) != 1)
		return dv_fail(e, DV_ECONFLICT, _("the call %s was changed or closed elsewhere since it was opened; reopen it"), case_code);
	return DV_OK;
}

/* The UPDATE of an intent: of its masked columns only. */
static const char *intent_sql(const save_intent *in)
{
	return update_sql_for(in->mask & CH_DRAFT_MASK);
}

static const char *row_sql(const call_record *r)
{
	return r->saved_known ? update_sql_for(changes(r)) : update_sql();
}

static int update_row(dv_session *s, call_record *r, dv_error *e)
{
	char ended[21];
	dv_utc_iso(r->ended_at, ended);
	sqlite3_stmt *st = dbi_cached(s->db, row_sql(r), e);
	if (!st)
		return e->code;
	for (int c = 0; c < COL_NCOLS; c++)
		bind_col(st, (call_col)c, r->col[c]);
	bind_named(st, ":risk", r->risk);
	bind_named(st, ":step", r->final ? NULL : r->step);
	bind_named(st, ":status", r->final ? "final" : "draft");
	bind_named(st, ":ended", r->final ? ended : NULL);
	if (r->final)
		sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":duration"), r->duration_s);
	return run_update(s->db, st, r->id, r->version, s->login, r->case_code, e);
}

static const char SQL_ANSWERS[] = "SELECT step, value FROM answers WHERE call_id = ?1";
static const char SQL_ANSWER_DEL[] = "DELETE FROM answers WHERE call_id = ?1 AND step = ?2";
static const char SQL_ANSWER_SET[] =
	"INSERT INTO answers(call_id, step, value, day) VALUES (?1, ?2, ?3, " REPORT_DAY_OF("?1") ")"
	" ON CONFLICT(call_id, step) DO UPDATE SET value = excluded.value";

static const call_answer *find_answer(const call_record *r, const char *step)
{
	for (size_t i = 0; i < r->nanswers; i++)
		if (strcmp(r->answers[i].step, step) == 0)
			return &r->answers[i];
	return NULL;
}

/* Run a cached two- or three-parameter statement on the call's answers. */
static int answer_op(dv_db *db, const char *sql, const char *id, const char *step, const char *value, dv_error *e)
{
	sqlite3_stmt *st = dbi_cached(db, sql, e);
	if (!st)
		return e->code;
	dbi_bind_text(st, 1, id);
	dbi_bind_text(st, 2, step);
	if (value)
		dbi_bind_text(st, 3, value);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? DV_OK : dbi_fail(db, rc, _("saving the answers"), e);
}

/* Write only what changed: answers the record no longer has are deleted,
 * new or changed ones written, the rest left alone (a save is usually one
 * answer more than the last). */
static int write_answers(dv_session *s, call_record *r, dv_error *e)
{
	sqlite3_stmt *st = dbi_cached(s->db, SQL_ANSWERS, e);
	if (!st)
		return e->code;
	dbi_bind_text(st, 1, r->id);
	dv_buf gone = {0};
	char *same = xcalloc(r->nanswers + 1, 1);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *step = (const char *)sqlite3_column_text(st, 0), *value = (const char *)sqlite3_column_text(st, 1);
		const call_answer *a = find_answer(r, step);
		if (!a)
			dv_buf_add(&gone, step, strlen(step) + 1);
		else if (strcmp(a->value, value) == 0)
			same[a - r->answers] = 1;
	}
	sqlite3_reset(st);
	int code = rc == SQLITE_DONE ? DV_OK : dbi_fail(s->db, rc, _("saving the answers"), e);
	for (size_t off = 0; !code && off < gone.len; off += strlen(gone.s + off) + 1)
		code = answer_op(s->db, SQL_ANSWER_DEL, r->id, gone.s + off, NULL, e);
	for (size_t i = 0; !code && i < r->nanswers; i++)
		if (!same[i])
			code = answer_op(s->db, SQL_ANSWER_SET, r->id, r->answers[i].step, r->answers[i].value, e);
	free(same);
	dv_buf_free(&gone);
	return code;
}

static int tx_save(dv_session *s, call_record *r, void *arg, dv_error *e)
{
	const char *action = arg;
	if (update_row(s, r, e) || write_answers(s, r, e))
		return e->code;
	return action ? audit_append(s->db, s->login, action, r->id, NULL, e) : DV_OK;
}

/* ---- draft saves, many to a commit (combine.h) ---- */

static const char SQL_SAVEPOINT[] = "SAVEPOINT draft_save";
static const char SQL_RELEASE[] = "RELEASE draft_save";
static const char SQL_ROLLBACK_TO[] = "ROLLBACK TO draft_save";
static const char SQL_BATCH[] = "SAVEPOINT draft_batch";
static const char SQL_BATCH_UNDO[] = "ROLLBACK TO draft_batch";

/* The statements every draft save of a call uses, prepared as the call
 * begins (the answers' upsert, which fires the report triggers, takes
 * milliseconds), not at its first save, which the operator waits for. */
static void warm_saves(dv_db *db)
{
	dbi_warm(db, SQL_ANSWERS, SQL_ANSWER_DEL, SQL_ANSWER_SET, DBI_SQL_ROLE_OF, SQL_SAVEPOINT, SQL_RELEASE, SQL_ROLLBACK_TO,
		 SQL_BATCH, SQL_BATCH_UNDO, NULL);
	combine_warm(db);
}

/* The UPDATE of the kinds of draft save the sessions make (combine.h),
 * prepared before the lock, so that as a combiner this session applies
 * theirs without preparing one under the lock (it puts back any it has
 * not). At most max not yet prepared: a save prepares one, so that 32
 * sessions meeting a new kind at once do not all compile for long
 * together; a call's beginning prepares them all. */
static void warm_masks(dv_db *db, int max)
{
	unsigned masks[COMBINE_MASKS];
	size_t n = combine_masks(db, masks);
	for (size_t i = 0; i < n && max > 0; i++) {
		const char *sql = update_sql_for(masks[i]);
		if (!dbi_is_cached(db, sql)) {
			dbi_warm(db, sql, NULL);
			max--;
		}
	}
}

static int step_cached(dv_db *db, const char *sql, dv_error *e)
{
	sqlite3_stmt *st = dbi_cached(db, sql, e);
	if (!st)
		return e->code;
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? DV_OK : dbi_fail(db, rc, _("saving the call"), e);
}

/* The account may still save: on the staff list and active (as
 * session_recheck, for the intent's login). */
static int login_may_save(dv_db *db, const char *login, dv_error *e)
{
	/* A combined transaction reads an account's role once: the last login
	 * found active in it is kept (db->role_ok) until it ends. */
	if (db->role_ok_tx == db->tx_count && strcmp(db->role_ok, login) == 0)
		return DV_OK;
	sqlite3_stmt *st = dbi_cached(db, DBI_SQL_ROLE_OF, e);
	if (!st)
		return e->code;
	dbi_bind_text(st, 1, login);
	int rc = sqlite3_step(st);
	staff_role role = rc == SQLITE_ROW ? staff_role_parse((const char *)sqlite3_column_text(st, 0)) : ROLE_NONE;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return dbi_fail(db, rc, _("reading the staff list"), e);
	if (role == ROLE_NONE)
		return dv_fail(e, DV_EUNKNOWN, _("the account '%s' was removed from the staff list; ask an administrator"), login);
	snprintf(db->role_ok, sizeof db->role_ok, "%s", login);
	db->role_ok_tx = db->tx_count;
	return DV_OK;
}

/* Write one intent, in the caller's transaction: the draft's row (only the
 * masked columns, if it is still at the intent's version, still a draft
 * and the intent's account's) and its answers. */
static int write_intent(dv_db *db, const save_intent *in, int *wrote, dv_error *e)
{
	if (login_may_save(db, in->login, e))
		return e->code;
	sqlite3_stmt *st = dbi_cached(db, intent_sql(in), e);
	if (!st)
		return e->code;
	for (int c = 0; c < COL_NCOLS; c++)
		if (in->mask & (1u << c))
			bind_col(st, (call_col)c, in->col[c]);
	bind_named(st, ":risk", in->risk);
	bind_named(st, ":step", in->step);
	int code = run_update(db, st, in->id, in->version, in->login, in->case_code, e);
	*wrote = !code; /* a statement that fails leaves nothing of it */
	for (size_t i = 0; !code && i < in->ngone; i++)
		code = answer_op(db, SQL_ANSWER_DEL, in->id, in->gone[i], NULL, e);
	for (size_t i = 0; !code && i < in->nset; i++)
		code = answer_op(db, SQL_ANSWER_SET, in->id, in->set[i].step, in->set[i].value, e);
	return code;
}

/* Failures that stop the whole combined transaction (every save in it
 * fails and is tried again): the disk or the database, not one intent. */
static int fatal(int code)
{
	return code == DV_EFULL || code == DV_EIO || code == DV_ECORRUPT || code == DV_EREADONLY || code == DV_EBUSY;
}

/* apply_intent's answer when an intent failed halfway without a
 * savepoint of its own (not a dv_code): the batch is done again, each in
 * its savepoint. */
#define APPLY_AGAIN 1000

/* Apply one intent in the combiner's transaction, its outcome in in->code
 * and in->msg (and, for another session's, in save_results). Careful: in
 * a savepoint of its own. Else without one, as nearly every intent fails,
 * if it does, at its first statement (the account or the version), which
 * leaves nothing written: a savepoint for each cost a tenth of the lock's
 * time. Returns DV_OK, APPLY_AGAIN (not careful, it failed after a write),
 * or a fatal failure in *e. */
static int apply_intent(dv_db *db, save_intent *in, int careful, dv_error *e)
{
	dv_error ie;
	dv_error_clear(&ie);
	in->done = in->code = 0;
	in->msg[0] = '\0';
	if (careful && step_cached(db, SQL_SAVEPOINT, e))
		return e->code;
	int wrote = 0;
	in->code = write_intent(db, in, &wrote, &ie);
	if (in->code) {
		/* A full disk or an I/O error: SQLite may have rolled the whole
		 * transaction back already (no savepoint is left to roll back to). */
		if (fatal(in->code) || sqlite3_get_autocommit(db->h)) {
			*e = ie;
			return ie.code ? ie.code : DV_EINTERNAL;
		}
		if (!careful && wrote)
			return APPLY_AGAIN;
		if (careful && step_cached(db, SQL_ROLLBACK_TO, e))
			return e->code;
		snprintf(in->msg, sizeof in->msg, "%s", ie.msg);
	}
	if (careful && step_cached(db, SQL_RELEASE, e))
		return e->code;
	in->done = 1;
	return in->file ? combine_result_put(db, in, e) : DV_OK;
}

/* The intent of a draft save of r: what differs from the stored row. */
static void intent_of(dv_session *s, const call_record *r, save_intent *in)
{
	memset(in, 0, sizeof *in);
	combine_nonce(s->db);
	memcpy(in->nonce, s->db->nonce, sizeof in->nonce);
	in->seq = ++s->db->seq;
	snprintf(in->login, sizeof in->login, "%s", s->login);
	memcpy(in->id, r->id, sizeof in->id);
	memcpy(in->case_code, r->case_code, sizeof in->case_code);
	in->version = r->version;
	in->mask = changes(r) & CH_DRAFT_MASK;
	for (int c = 0; c < COL_NCOLS; c++)
		if (in->mask & (1u << c))
			in->col[c] = dup_or_null(r->col[c]);
	in->risk = in->mask & CH_RISK ? dup_or_null(r->risk) : NULL;
	in->step = in->mask & CH_STEP ? dup_or_null(r->step) : NULL;
	for (size_t i = 0; i < r->nanswers; i++) {
		if (answer_saved(r, r->answers[i].step, r->answers[i].value))
			continue;
		in->set = xrealloc(in->set, (in->nset + 1) * sizeof *in->set);
		in->set[in->nset++] = (call_answer){xstrdup(r->answers[i].step), xstrdup(r->answers[i].value)};
	}
	for (size_t i = 0; i < r->nsaved_answers; i++) {
		if (find_answer(r, r->saved_answers[i].step))
			continue;
		in->gone = xrealloc(in->gone, (in->ngone + 1) * sizeof *in->gone);
		in->gone[in->ngone++] = xstrdup(r->saved_answers[i].step);
	}
}

/* The outcome of own save, said in this session's language. */
static int own_outcome(dv_session *s, const save_intent *own, dv_error *e)
{
	switch (own->code) {
	case DV_OK:
		return DV_OK;
	case DV_ECONFLICT:
		return dv_fail(e, DV_ECONFLICT, _("the call %s was changed or closed elsewhere since it was opened; reopen it"), own->case_code);
	case DV_EUNKNOWN:
		s->role = ROLE_NONE;
		return dv_fail(e, DV_EUNKNOWN, _("the account '%s' was removed from the staff list; ask an administrator"), s->login);
	default:
		return dv_fail(e, (dv_code)own->code, "%s", own->msg);
	}
}

void (*calls_combine_hook)(int stage);

/* How many intents one commit carries at most, besides the combiner's own
 * save: bounds how long it holds the lock. */
#define COMBINE_MAX 64

/* Holding the write lock: apply own (unless another combiner did: posted
 * says it was posted) and every intent waiting, commit once. Returns own's
 * outcome. */
static int lead(dv_session *s, save_intent *own, int posted, dv_error *e)
{
	dv_db *db = s->db;
	char *own_pending = NULL;
	if (posted) {
		/* Claims are made only under the lock, which is ours: if own is
		 * still pending, nobody has applied it; it is applied from memory
		 * and its file goes now. Else a combiner claimed it and either
		 * committed (its outcome is recorded) or died before: then the
		 * claimed file is left, and own is applied here. */
		char *pending = xstrdup(db->intent_pending), *claimed = xstrdup(db->intent_claimed);
		combine_unpost(db, 0);
		if (combine_retire(pending, own->nonce) != 0) {
			int found = combine_result_get(db, own->nonce, own->seq, &own->code, own->msg, sizeof own->msg, e);
			if (found < 0) {
				free(pending);
				free(claimed);
				dbi_rollback(db);
				return e->code;
			}
			own->done = found == 1;
		}
		unlink(claimed); /* only there if its claimer died */
		free(claimed);
		own_pending = pending;
	}
	db->tx_count++;
	save_intent *v = NULL;
	size_t n = combine_collect(s, own->nonce, 0, &v, COMBINE_MAX);
	if (calls_combine_hook)
		calls_combine_hook(0);
	int carried = 0, was_done = own->done, careful = 0;
	/* All of the batch in one savepoint, to undo it should an intent fail
	 * halfway (then it is done again, careful: each intent in its own). */
	int code = step_cached(db, SQL_BATCH, e);
again:
	if (!code && !was_done) {
		code = apply_intent(db, own, careful, e);
		carried += !code && !own->code;
	}
	for (size_t i = 0; !code; i++) {
		if (i == n && careful)
			break;
		if (i == n) {
			/* Those posted while these were applied go in this commit
			 * too: else they would wait for it and then for the next. */
			save_intent *more = NULL;
			size_t m = n < COMBINE_MAX ? combine_collect(s, own->nonce, 1, &more, COMBINE_MAX - n) : 0;
			if (m) {
				v = xrealloc(v, (n + m) * sizeof *v);
				memcpy(v + n, more, m * sizeof *v);
				n += m;
			}
			free(more);
			if (!m)
				break;
		}
		/* Only an intent left claimed by a combiner that died may have
		 * been applied: one still pending was never claimed before. */
		int found = v[i].left ? combine_result_get(db, v[i].nonce, v[i].seq, &v[i].code, v[i].msg, sizeof v[i].msg, e) : 0;
		if (found < 0)
			code = found;
		else if (found)
			v[i].done = 1; /* applied before its combiner removed the file */
		else if (!dbi_is_cached(db, intent_sql(&v[i])))
			v[i].deferred = 1; /* its statement would compile under the lock */
		else if (!(code = apply_intent(db, &v[i], careful, e)))
			carried += !v[i].code;
	}
	if (code == APPLY_AGAIN) {
		careful = 1;
		carried = 0;
		code = step_cached(db, SQL_BATCH_UNDO, e);
		goto again;
	}
	if (!code && n && db->seq % 256 == 1)
		code = combine_results_prune(db, e);
	db->wake_later = 1; /* combine_wake below, once the files went */
	if (!code)
		code = dbi_commit(db, e);
	else
		dbi_rollback(db);
	db->wake_later = 0;
	if (!code && calls_combine_hook)
		calls_combine_hook(1);
	/* The files go before the outcomes are published: a waiter that
	 * reads its outcome by itself (its own look at the lock, not woken)
	 * may end its session at once, and a file retired after that would
	 * be left as the spare of a session that is gone. */
	combine_release(v, n, code == DV_OK);
	unsigned done = 0;
	for (size_t i = 0; !code && i < n; i++) {
		if (!v[i].deferred)
			combine_publish(db, &v[i]);
		done |= combine_nonce_bit(v[i].nonce);
	}
	if (own_pending) /* in case a combiner that rolled back put it back meanwhile */
		unlink(own_pending);
	free(own_pending);
	/* after the files went: a waiter woken sees its own gone (or, if
	 * deferred, may take the lock and save it itself); after a rollback
	 * every one, to try again */
	combine_wake(db, code ? ~0u : done);
	/* The statements of the deferred, prepared now that the lock is
	 * free, so that this session applies such saves next time. */
	for (size_t i = 0; !code && i < n; i++)
		if (v[i].deferred)
			dbi_warm(db, intent_sql(&v[i]), NULL);
	combine_free(v, n);
	db->carried = code ? 0 : carried;
	if (code)
		return code;
	return own_outcome(s, own, e);
}

/* A draft save. If the write lock is free, this session takes it and is
 * the combiner. Else it posts its intent and waits: either the session
 * holding the lock applies it (then the outcome is read from
 * save_results), or the lock comes to this one (the combiner then), or
 * the busy timeout withdraws it (DV_EBUSY: nobody will apply it). An
 * intent that cannot be posted, or that was refused, is saved as before,
 * in a transaction of its own. */
static int save_draft(dv_session *s, call_record *r, dv_error *e)
{
	dv_db *db = s->db;
	save_intent own;
	intent_of(s, r, &own);
	db->carried = 0;
	combine_mask_note(db, own.mask);
	warm_masks(db, 1);
	int code, posted = 0;
	if (dbi_write_locked(db)) { /* no BEGIN that is sure to fail (and says why) */
		code = DV_EBUSY;
	} else {
		db->try_only = 1;
		code = dbi_begin(db, e);
		db->try_only = 0;
	}
	if (code == DV_EBUSY) {
		dv_error pe;
		if (combine_post(s, &own, &pe) != DV_OK) {
			code = in_tx(s, tx_save, r, NULL, e);
			goto done;
		}
		posted = 1;
		code = dbi_begin(db, e);
		if (code) {
			int end = db->intent_end;
			if (end != INTENT_GONE && end != INTENT_WITHDRAWN && combine_withdraw(db))
				end = INTENT_WITHDRAWN;
			int gone = combine_unpost(db, end == INTENT_GONE);
			if (!gone && end != INTENT_WITHDRAWN)
				r->unsettled_seq = own.seq; /* a combiner has it still */
			if (end == INTENT_WITHDRAWN || !gone)
				goto done; /* the wait's own failure, in *e */
			dv_error_clear(e);
			int found = combine_outcome(db, own.nonce, own.seq, &own.code, own.msg, sizeof own.msg, e);
			if (found < 0)
				code = found;
			else if (found)
				code = own_outcome(s, &own, e);
			else /* refused (refused.log says why): not applied */
				code = in_tx(s, tx_save, r, NULL, e);
			goto done;
		}
	}
	if (!code)
		code = lead(s, &own, posted, e);
done:
	save_intent_clear(&own);
	return code;
}

/* Before a save of a record whose last draft save ended unsure (its
 * intent in a stopped combiner's hands): learn what became of that one.
 * Applied, the stored row is a version on, holding that save; this save
 * then writes the record whole (its saved copy no longer says what is
 * stored). Still held: busy, tried again later, so that the two saves are
 * never both in flight. */
static int settle(dv_session *s, call_record *r, dv_error *e)
{
	if (!r->unsettled_seq)
		return DV_OK;
	int code = DV_OK;
	int got = combine_settle(s, r->unsettled_seq, &code, e);
	if (got < 0)
		return got;
	if (got == 1 && code == DV_OK) {
		r->version++;
		r->saved_known = 0;
	}
	r->unsettled_seq = 0;
	return DV_OK;
}

static int save(dv_session *s, call_record *r, const char *action, dv_error *e)
{
	if (r->final && !action)
		return dv_fail(e, DV_EINVAL, _("the call %s is already saved as final"), r->case_code);
	if (settle(s, r, e))
		return e->code;
	redact_record(r, 0);
	dbi_warm(s->db, row_sql(r), NULL);
	warm_saves(s->db);
	int code = !action && r->saved_known ? save_draft(s, r, e) : in_tx(s, tx_save, r, (void *)action, e);
	if (!code) {
		r->version++;
		remember_saved(r);
	}
	return code;
}

int calls_save(dv_session *s, call_record *r, dv_error *e)
{
	return save(s, r, NULL, e);
}

int calls_finish(dv_session *s, call_record *r, dv_error *e)
{
	if (r->final)
		return dv_fail(e, DV_EINVAL, _("the call %s is already saved as final"), r->case_code);
	r->final = 1;
	r->ended_at = dv_now();
	r->duration_s = r->ended_at > r->started_at ? (long)(r->ended_at - r->started_at) : 0;
	int code = save(s, r, "call.finish", e);
	if (code) {
		r->final = 0;
		r->ended_at = 0;
	}
	return code;
}

/* The columns a read of a record selects, by position: the fixed ones,
 * then the core columns in table order (columns.h), then risk and step. */
enum {
	R_ID, R_CASE_CODE, R_STARTED, R_ENDED, R_DURATION, R_OPERATOR, R_OFFICE, R_SCRIPT_ID,
	R_SCRIPT_VERSION, R_STATUS, R_VERSION, R_KIND, R_COL0,
	R_RISK = R_COL0 + COL_NCOLS, R_STEP
};

/* "SELECT <the columns above> FROM calls <rest>": a new string. */
static char *select_sql(const char *rest)
{
	dv_buf b = {0};
	dv_buf_adds(&b, "SELECT id, case_code, started_at, ended_at, duration_s, operator, office, script_id,"
		" script_version, status, version, kind");
	for (int c = 0; c < COL_NCOLS; c++)
		dv_buf_printf(&b, ", %s", col_name((call_col)c));
	dv_buf_printf(&b, ", risk, step FROM calls %s", rest);
	return dv_buf_take(&b);
}

static char *row_col(sqlite3_stmt *st, call_col c)
{
	int i = R_COL0 + (int)c;
	if (col_shape_of(c) != COL_SHAPE_YESNO)
		return dbi_col_dup(st, i);
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return NULL;
	return xstrdup(sqlite3_column_int(st, i) ? "yes" : "no");
}

static call_record *row_to_record(sqlite3_stmt *st)
{
	call_record *r = xcalloc(1, sizeof *r);
	snprintf(r->id, sizeof r->id, "%s", (const char *)sqlite3_column_text(st, R_ID));
	snprintf(r->case_code, sizeof r->case_code, "%s", (const char *)sqlite3_column_text(st, R_CASE_CODE));
	r->started_at = dv_parse_utc((const char *)sqlite3_column_text(st, R_STARTED));
	const char *ended = (const char *)sqlite3_column_text(st, R_ENDED);
	r->ended_at = ended ? dv_parse_utc(ended) : 0;
	r->duration_s = sqlite3_column_int64(st, R_DURATION);
	r->operator_login = dbi_col_dup(st, R_OPERATOR);
	r->office = dbi_col_dup(st, R_OFFICE);
	r->script_id = dbi_col_dup(st, R_SCRIPT_ID);
	r->script_version = dbi_col_dup(st, R_SCRIPT_VERSION);
	r->final = strcmp((const char *)sqlite3_column_text(st, R_STATUS), "final") == 0;
	r->version = sqlite3_column_int64(st, R_VERSION);
	r->kind = kind_parse((const char *)sqlite3_column_text(st, R_KIND));
	for (int c = 0; c < COL_NCOLS; c++)
		r->col[c] = row_col(st, (call_col)c);
	r->risk = dbi_col_dup(st, R_RISK);
	r->step = dbi_col_dup(st, R_STEP);
	find_tags(r);
	remember_saved(r);
	return r;
}

static int load_answers(dv_session *s, call_record *r, dv_error *e)
{
	sqlite3_stmt *st = dbi_prepare(s->db, "SELECT step, value FROM answers WHERE call_id = ?1 ORDER BY step", e);
	if (!st)
		return e->code;
	dbi_bind_text(st, 1, r->id);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		call_set_answer(r, (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1));
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return dbi_fail(s->db, rc, _("reading the call"), e);
	remember_answers(r);
	return DV_OK;
}

static int load_referrals(dv_session *s, call_record *r, dv_error *e)
{
	free_referrals(r);
	sqlite3_stmt *st = dbi_prepare(s->db, "SELECT org_id, service, recommended FROM referrals WHERE call_id = ?1 ORDER BY made_at, org_id, service", e);
	if (!st)
		return e->code;
	dbi_bind_text(st, 1, r->id);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		r->referrals = xrealloc(r->referrals, (r->nreferrals + 1) * sizeof *r->referrals);
		r->referrals[r->nreferrals++] = (call_referral){dbi_col_dup(st, 0), dbi_col_dup(st, 1), sqlite3_column_int(st, 2)};
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? DV_OK : dbi_fail(s->db, rc, _("reading the call"), e);
}

/* One record by a query with one text parameter; NULL if none. */
static call_record *load_one(dv_session *s, const char *where, const char *param, dv_error *e)
{
	dv_error_clear(e);
	char *sql = select_sql(where);
	sqlite3_stmt *st = dbi_prepare(s->db, sql, e);
	free(sql);
	if (!st)
		return NULL;
	dbi_bind_text(st, 1, param);
	call_record *r = NULL;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		r = row_to_record(st);
	else if (rc != SQLITE_DONE)
		dbi_fail(s->db, rc, _("reading the call"), e);
	sqlite3_finalize(st);
	if (r && (load_answers(s, r, e) || load_referrals(s, r, e))) {
		call_free(r);
		return NULL;
	}
	return r;
}

call_record *calls_find_draft(dv_session *s, dv_error *e)
{
	return load_one(s, "WHERE status = 'draft' AND operator = ?1 ORDER BY started_at DESC LIMIT 1", s->login, e);
}

size_t calls_list_drafts(dv_session *s, call_record ***out, dv_error *e)
{
	*out = NULL;
	dv_error_clear(e);
	sqlite3_stmt *st = dbi_prepare(s->db,
		"SELECT id FROM calls WHERE status = 'draft' AND operator = ?1 ORDER BY started_at DESC, id", e);
	if (!st)
		return 0;
	dbi_bind_text(st, 1, s->login);
	char **ids = NULL;
	size_t nids = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ids = xrealloc(ids, (nids + 1) * sizeof *ids);
		ids[nids++] = dbi_col_dup(st, 0);
	}
	if (rc != SQLITE_DONE)
		dbi_fail(s->db, rc, _("reading the call"), e);
	sqlite3_finalize(st);
	size_t n = 0;
	for (size_t i = 0; i < nids; i++) {
		call_record *r = rc == SQLITE_DONE ? load_one(s, "WHERE id = ?1", ids[i], e) : NULL;
		if (r) {
			*out = xrealloc(*out, (n + 1) * sizeof **out);
			(*out)[n++] = r;
		}
		free(ids[i]);
	}
	free(ids);
	return n;
}

void calls_free_list(call_record **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		call_free(v[i]);
	free(v);
}

static const char SQL_DISCARD[] = "DELETE FROM calls WHERE id = ?1 AND status = 'draft' AND operator = ?2";

static int tx_discard(dv_session *s, call_record *r, void *arg, dv_error *e)
{
	sqlite3_stmt *st = dbi_cached(s->db, SQL_DISCARD, e);
	if (!st)
		return e->code;
	dbi_bind_text(st, 1, r->id);
	dbi_bind_text(st, 2, s->login);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return dbi_fail(s->db, rc, _("discarding the call"), e);
	if (sqlite3_changes(s->db->h) != 1)
		return dv_fail(e, DV_ENOTFOUND, _("the draft %s is no longer there"), r->case_code);
	return audit_append(s->db, s->login, "call.discard", r->id, NULL, e);
}

int calls_discard(dv_session *s, call_record *r, dv_error *e)
{
	dbi_warm(s->db, SQL_DISCARD, NULL);
	return in_tx(s, tx_discard, r, NULL, e);
}

static const char SQL_REFER[] =
	"INSERT INTO referrals(call_id, org_id, service, recommended, made_at, day) VALUES (?1, ?2, ?3, ?4, ?5, " REPORT_DAY_OF("?1") ")"
	" ON CONFLICT DO NOTHING";
static const char SQL_UNREFER[] = "DELETE FROM referrals WHERE call_id = ?1 AND org_id = ?2 AND service = ?3";
static const char SQL_REFERABLE[] = "SELECT retired, coalesce(name_uk, id) FROM orgs WHERE id = ?1";

struct referral_arg {
	const char *org_id, *service;
	int recommended, add;
};

static int tx_referral(dv_session *s, call_record *r, void *arg, dv_error *e)
{
	struct referral_arg *a = arg;
	char at[21];
	dv_utc_iso(dv_now(), at);
	sqlite3_stmt *st = dbi_cached(s->db, a->add ? SQL_REFER : SQL_UNREFER, e);
	if (!st)
		return e->code;
	dbi_bind_text(st, 1, r->id);
	dbi_bind_text(st, 2, a->org_id);
	dbi_bind_text(st, 3, a->service);
	if (a->add) {
		sqlite3_bind_int(st, 4, a->recommended);
		dbi_bind_text(st, 5, at);
	}
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return dbi_fail(s->db, rc, _("recording the referral"), e);
	if (sqlite3_changes(s->db->h) == 0) /* already made, or already gone */
		return DV_OK;
	char *detail = xasprintf("%s %s", a->org_id, a->service);
	int code = audit_append(s->db, s->login, a->add ? "call.refer" : "call.unrefer", r->id, detail, e);
	free(detail);
	return code;
}

/* The organisation must be in the directory and not retired: said in
 * words, not as the foreign-key failure the insert would give. Called
 * inside the referral's transaction. */
static int check_referable(dv_session *s, const char *org_id, dv_error *e)
{
	sqlite3_stmt *st = dbi_cached(s->db, SQL_REFERABLE, e);
	if (!st)
		return e->code;
	dbi_bind_text(st, 1, org_id);
	int rc = sqlite3_step(st), code = DV_OK;
	if (rc == SQLITE_DONE)
		code = dv_fail(e, DV_ENOTFOUND, _("the organisation %s is not in the directory"), org_id);
	else if (rc != SQLITE_ROW)
		code = dbi_fail(s->db, rc, _("recording the referral"), e);
	else if (sqlite3_column_int(st, 0))
		code = dv_fail(e, DV_EINVAL, _("the organisation %s (%s) is retired from the directory; refer the caller to another one"),
			       org_id, (const char *)sqlite3_column_text(st, 1));
	sqlite3_reset(st);
	return code;
}

static int tx_add_referral(dv_session *s, call_record *r, void *arg, dv_error *e)
{
	struct referral_arg *a = arg;
	return check_referable(s, a->org_id, e) ? e->code : tx_referral(s, r, arg, e);
}

int calls_add_referral(dv_session *s, call_record *r, const char *org_id, const char *service, int recommended, dv_error *e)
{
	struct referral_arg a = {org_id, service ? service : "", recommended, 1};
	if (!org_id || !*org_id)
		return dv_fail(e, DV_EINVAL, _("a referral needs an organisation of the directory"));
	if (r->final)
		return dv_fail(e, DV_EINVAL, _("the call %s is already saved as final"), r->case_code);
	dbi_warm(s->db, SQL_REFERABLE, SQL_REFER, NULL);
	int code = in_tx(s, tx_add_referral, r, &a, e);
	return code ? code : load_referrals(s, r, e);
}

int calls_remove_referral(dv_session *s, call_record *r, const char *org_id, const char *service, dv_error *e)
{
	struct referral_arg a = {org_id, service ? service : "", 0, 0};
	if (r->final)
		return dv_fail(e, DV_EINVAL, _("the call %s is already saved as final"), r->case_code);
	dbi_warm(s->db, SQL_UNREFER, NULL);
	int code = in_tx(s, tx_referral, r, &a, e);
	return code ? code : load_referrals(s, r, e);
}

static int tx_view(dv_session *s, call_record *r, void *arg, dv_error *e)
{
	return audit_append(s->db, s->login, "call.view", r->id, NULL, e);
}

call_record *calls_get(dv_session *s, const char *id, dv_error *e)
{
	call_record *r = load_one(s, "WHERE id = ?1", id, e);
	if (!r) {
		if (!e->code)
			dv_fail(e, DV_ENOTFOUND, _("no call with the id %s"), id);
		return NULL;
	}
	int own = strcmp(r->operator_login, s->login) == 0;
	if (session_recheck(s, e)) {
		call_free(r);
		return NULL;
	}
	if (!own && !session_may(s, ROLES_SUPERVISION)) {
		call_free(r);
		dv_fail(e, DV_EPERM, _("an operator may open only their own calls"));
		return NULL;
	}
	if ((r->final || !own) && in_tx(s, tx_view, r, NULL, e)) {
		call_free(r);
		return NULL;
	}
	return r;
}

call_record *calls_read_unaudited(dv_session *s, const char *id, dv_error *e)
{
	call_record *r = load_one(s, "WHERE id = ?1", id, e);
	if (!r && (!e || !e->code))
		dv_fail(e, DV_ENOTFOUND, _("no call with the id %s"), id);
	return r;
}

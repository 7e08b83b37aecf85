/* desk.c: the call log, flags, case codes and the training mark (desk.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "desk_int.h"
#include "dovira/i18n.h"

/* ---- shared helpers ---- */

int desk_tx(dv_session *s, int (*fn)(dv_session *, void *, dv_error *), void *arg, dv_error *e)
{
	dbi_audit_warm(s->db);
	if (dbi_begin(s->db, e))
		return e->code;
	if (fn(s, arg, e)) {
		dbi_rollback(s->db);
		return e->code;
	}
	return dbi_commit(s->db, e);
}

void desk_bind_time(sqlite3_stmt *st, int i, time_t t)
{
	char at[21];
	if (t <= 0) {
		sqlite3_bind_null(st, i);
		return;
	}
	dv_utc_iso(t, at);
	sqlite3_bind_text(st, i, at, -1, SQLITE_TRANSIENT);
}

time_t desk_col_time(sqlite3_stmt *st, int i)
{
	const char *t = (const char *)sqlite3_column_text(st, i);
	time_t v = t ? dv_parse_utc(t) : 0;
	return v > 0 ? v : 0;
}

int desk_supervises(const dv_session *s)
{
	return session_may(s, ROLES_SUPERVISION);
}

static long long int_of(dv_session *s, const char *sql, int kept, const char *const *p, int np, dv_error *e)
{
	sqlite3_stmt *st = kept ? dbi_cached(s->db, sql, e) : dbi_prepare(s->db, sql, e);
	if (!st)
		return e->code;
	for (int i = 0; i < np; i++)
		dbi_bind_text(st, i + 1, p[i]);
	int rc = sqlite3_step(st);
	long long v = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	if (kept)
		sqlite3_reset(st);
	else
		sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return dbi_fail(s->db, rc, _("reading the call log"), e);
	return v;
}

long long desk_int(dv_session *s, const char *sql, const char *const *p, int np, dv_error *e)
{
	return int_of(s, sql, 0, p, np, e);
}

long long desk_int_kept(dv_session *s, const char *sql, const char *const *p, int np, dv_error *e)
{
	return int_of(s, sql, 1, p, np, e);
}

/* ---- flags ---- */

static const struct {
	const char *code, *label, *abbr;
} qa[DESK_QA_NFLAGS] = {
	{"likely-no-referral", N_("likely trafficking, no referral made"), N_("LNR")},
	{"danger-no-emergency", N_("danger now, no emergency referral"), N_("DNE")},
	{"recommended-not-made", N_("a recommended referral not made"), N_("RNM")},
	{"unverified-referral", N_("referred to an unverified entry"), N_("UNV")},
	{"short-call", N_("data call under 60 seconds"), N_("SHT")},
	{"unknown-required", N_("required answers left unknown"), N_("UNK")},
	{"old-draft", N_("draft older than the shift"), N_("OLD")},
};

const char *desk_qa_code(int i)
{
	return i >= 0 && i < DESK_QA_NFLAGS ? qa[i].code : NULL;
}

const char *desk_qa_label(int i)
{
	return i >= 0 && i < DESK_QA_NFLAGS ? _(qa[i].label) : NULL;
}

const char *desk_qa_short(int i)
{
	/* TRANSLATORS: the three-letter flag abbreviations of the call log */
	return i >= 0 && i < DESK_QA_NFLAGS ? _(qa[i].abbr) : NULL;
}

unsigned desk_qa_parse(const char *code)
{
	for (int i = 0; code && i < DESK_QA_NFLAGS; i++)
		if (strcmp(code, qa[i].code) == 0)
			return 1u << i;
	return 0;
}

int desk_is_training(dv_db *db, dv_error *e)
{
	sqlite3_stmt *st = dbi_prepare(db, "SELECT count(*) FROM db_marks WHERE key = 'training'", e);
	if (!st)
		return e->code;
	int rc = sqlite3_step(st);
	int v = rc == SQLITE_ROW && sqlite3_column_int(st, 0) > 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return dbi_fail(db, rc, _("reading the database"), e);
	return v;
}

/* ---- periods ---- */

void desk_filter_init(desk_filter *f)
{
	memset(f, 0, sizeof *f);
	f->kind = f->final = f->callback = f->flagged = f->reviewed = f->queue = -1;
}

static time_t local_midnight(time_t now)
{
	struct tm tm;
	localtime_r(&now, &tm);
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

/* "YYYY-MM" or "YYYY-MM-DD" as a UTC range. */
static int calendar(const char *name, time_t *from, time_t *to)
{
	int y, m, d = 0;
	char tail;
	char buf[24];
	if (sscanf(name, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3) {
		snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
		*from = dv_parse_utc(buf);
		*to = *from + 86400;
		return *from > 0 && strcmp(buf, name) == 0 ? 0 : -1;
	}
	if (sscanf(name, "%4d-%2d%c", &y, &m, &tail) != 2 || m < 1 || m > 12)
		return -1;
	snprintf(buf, sizeof buf, "%04d-%02d-01", y, m);
	*from = dv_parse_utc(buf);
	snprintf(buf, sizeof buf, "%04d-%02d-01", m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1);
	*to = dv_parse_utc(buf);
	return *from > 0 && *to > 0 && strlen(name) == 7 ? 0 : -1;
}

int desk_period(const char *name, time_t now, time_t *from, time_t *to, dv_error *e)
{
	*to = now + 1;
	if (strcmp(name, "today") == 0)
		*from = local_midnight(now);
	else if (strcmp(name, "shift") == 0)
		*from = now - DESK_SHIFT_SECONDS;
	else if (strcmp(name, "week") == 0)
		*from = now - 7 * 86400;
	else if (strcmp(name, "month") == 0)
		*from = now - 30 * 86400;
	else if (calendar(name, from, to) != 0)
		return dv_fail(e, DV_EINVAL, _("unknown period '%s': use today, shift, week, month, YYYY-MM or YYYY-MM-DD"), name);
	return DV_OK;
}

/* ---- case codes ---- */

/* A Latin letter or digit as a code character (Crockford: I and L read
 * as 1, O as 0; U is not used), or 0. */
static char crockford(unsigned long c)
{
	if (c >= 'a' && c <= 'z')
		c -= 'a' - 'A';
	if (c == 'O')
		return '0';
	if (c == 'I' || c == 'L')
		return '1';
	if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'))
		return c == 'U' ? 0 : (char)c;
	return 0;
}

/* Cyrillic capitals (U+0400..U+042F, U+0490) and what they look like. */
static const struct { unsigned long cyr; char lat; } look[] = {
	{0x410, 'A'}, {0x412, 'B'}, {0x415, 'E'}, {0x41A, 'K'}, {0x41C, 'M'}, {0x41D, 'H'},
	{0x41E, '0'}, {0x420, 'P'}, {0x421, 'C'}, {0x422, 'T'}, {0x425, 'X'}, {0x406, '1'},
	{0x417, '3'}, {0x423, 'Y'},
};

/* Ukrainian capitals and the Latin key they sit on in the Ukrainian
 * (ЙЦУКЕН) layout; letters on punctuation keys are left out. */
static const struct { unsigned long cyr; char lat; } keys[] = {
	{0x419, 'Q'}, {0x426, 'W'}, {0x423, 'E'}, {0x41A, 'R'}, {0x415, 'T'}, {0x41D, 'Y'},
	{0x413, 'U'}, {0x428, 'I'}, {0x429, 'O'}, {0x417, 'P'}, {0x424, 'A'}, {0x406, 'S'},
	{0x412, 'D'}, {0x410, 'F'}, {0x41F, 'G'}, {0x420, 'H'}, {0x41E, 'J'}, {0x41B, 'K'},
	{0x414, 'L'}, {0x42F, 'Z'}, {0x427, 'X'}, {0x421, 'C'}, {0x41C, 'V'}, {0x418, 'B'},
	{0x422, 'N'}, {0x42C, 'M'},
};

/* The code character a typed character stands for, or 0; by_key: read a
 * Cyrillic letter by its key on the Ukrainian layout, else by its look. */
static char code_char(unsigned long c, int by_key)
{
	if (c < 0x80)
		return crockford(c);
	if (c >= 0x430 && c <= 0x44F)
		c -= 0x20; /* lower to upper case */
	else if (c == 0x456)
		c = 0x406;
	if (by_key) {
		for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
			if (keys[i].cyr == c)
				return crockford((unsigned char)keys[i].lat);
		return 0;
	}
	for (size_t i = 0; i < sizeof look / sizeof *look; i++)
		if (look[i].cyr == c)
			return crockford((unsigned char)look[i].lat);
	return 0;
}

/* Decode one UTF-8 character; returns its length (1 for a bad byte). */
static size_t utf8(const unsigned char *s, unsigned long *c)
{
	if (s[0] < 0x80 || (s[0] & 0xE0) != 0xC0 || (s[1] & 0xC0) != 0x80) {
		*c = s[0] < 0x80 ? s[0] : 0xFFFD;
		return 1;
	}
	*c = (unsigned long)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
	return 2;
}

static int normalise(const char *typed, int by_key, char out[static 10])
{
	char raw[9];
	size_t n = 0;
	const unsigned char *p = (const unsigned char *)typed;
	while (*p) {
		unsigned long c;
		p += utf8(p, &c);
		if (c == ' ' || c == '-' || c == '\t' || c == 0x2010 || c == 0x2013)
			continue;
		char k = code_char(c, by_key);
		if (!k || n == 8)
			return -1;
		raw[n++] = k;
	}
	if (n != 8)
		return -1;
	memcpy(out, raw, 4);
	out[4] = '-';
	memcpy(out + 5, raw + 4, 4);
	out[9] = '\0';
	return 0;
}

int desk_code_normalise(const char *typed, char out[static 10])
{
	return normalise(typed, 0, out);
}

int desk_code_normalise_keys(const char *typed, char out[static 10])
{
	return normalise(typed, 1, out);
}

/* The id and operator of the call with exactly this code: 1 found, 0
 * not, negative on failure. */
const char DESK_SQL_CODE_CALL[] = "SELECT id, operator FROM calls WHERE case_code = ?1";

static int code_lookup(dv_session *s, const char *code, char id[static 37], char *op, size_t opsize, dv_error *e)
{
	sqlite3_stmt *st = dbi_cached(s->db, DESK_SQL_CODE_CALL, e);
	if (!st)
		return e->code;
	dbi_bind_text(st, 1, code);
	int rc = sqlite3_step(st), found = rc == SQLITE_ROW;
	if (found) {
		snprintf(id, 37, "%s", (const char *)sqlite3_column_text(st, 0));
		snprintf(op, opsize, "%s", (const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return dbi_fail(s->db, rc, _("reading the call log"), e);
	return found;
}

int desk_code_call(dv_session *s, const char *typed, char id[static 37], char op[static 64], char code[static 10], dv_error *e)
{
	char alt[10];
	int have = normalise(typed, 0, code) == 0, have_alt = normalise(typed, 1, alt) == 0;
	if (!have && !have_alt)
		return dv_fail(e, DV_EINVAL, _("'%s' is not a case code: it has 8 letters and digits, like ABCD-EF12"), typed);
	/* By look first; if that finds nothing, by the keys a Ukrainian
	 * layout puts the letters on (the code typed with the wrong layout). */
	int found = have ? code_lookup(s, code, id, op, 64, e) : 0;
	if (found == 0 && have_alt) {
		found = code_lookup(s, alt, id, op, 64, e);
		if (found > 0 || !have)
			memcpy(code, alt, 10);
	}
	if (found < 0)
		return found;
	if (!found)
		return dv_fail(e, DV_ENOTFOUND, _("no call has the case code %s"), code);
	return DV_OK;
}

int desk_find_code(dv_session *s, const char *typed, char id[static 37], dv_error *e)
{
	char op[64], code[10];
	int rc = desk_code_call(s, typed, id, op, code, e);
	if (rc == DV_OK && !desk_supervises(s) && strcmp(op, s->login) != 0) {
		id[0] = '\0';
		return dv_fail(e, DV_ENOTFOUND, _("no call of yours has the case code %s"), code);
	}
	if (rc == DV_ENOTFOUND && !desk_supervises(s))
		dv_fail(e, DV_ENOTFOUND, _("no call of yours has the case code %s"), code);
	return rc;
}

/* ---- the log ---- */

/* A query being built: its text and its parameters (text or integer). */
typedef struct query {
	dv_buf sql;
	struct { const char *t; long long i; int is_int; } p[32];
	int np;
} query;

/* Append cond with each "?#" turned into the next parameter's "?N". */
static void q_cond(query *q, const char *cond)
{
	q->np++;
	for (const char *c = cond; *c; c++) {
		if (c[0] == '?' && c[1] == '#') {
			dv_buf_printf(&q->sql, "?%d", q->np);
			c++;
		} else {
			dv_buf_addc(&q->sql, *c);
		}
	}
}

static void q_text(query *q, const char *cond, const char *v)
{
	q_cond(q, cond);
	q->p[q->np - 1].t = v;
}

static void q_int(query *q, const char *cond, long long v)
{
	q_cond(q, cond);
	q->p[q->np - 1].i = v;
	q->p[q->np - 1].is_int = 1;
}

static char *iso(time_t t, char buf[static 21])
{
	dv_utc_iso(t, buf);
	return buf;
}

/* The log's index for a page of filter f walked in time order
 * (schema_deskperf.h): one led by a filter column reads only the calls of
 * that value, so a filter matching few calls does not walk the whole log.
 * Of the filters set, the one likely to match fewest calls leads: a topic
 * (one of many; with a risk, both), an agreed call-back, the reviewed
 * calls, a risk (one of three), a kind, an office; with none of them,
 * calls_log. */
static const char *log_index(const desk_filter *f)
{
	if (f->topic && f->risk)
		return "calls_log_topic_risk";
	if (f->topic)
		return "calls_log_topic";
	if (f->callback == 1)
		return "calls_log_callback";
	if (f->reviewed == 1)
		return "calls_log_reviewed";
	if (f->risk)
		return "calls_log_risk";
	if (f->kind >= 0)
		return "calls_log_kind";
	if (f->office)
		return "calls_log_office";
	return "calls_log";
}

/* Conditions of the filter. Columns with few values (kind, topic, risk,
 * callback, reviewed) are written "+c.x" so that SQLite walks the time
 * index and stops after a page, instead of sorting every call of one
 * value; the conditions with an index of their own may use it: the
 * operator's and the waiting queue's are ordered by time too, and drafts
 * are few (the status index finds them and sorting them is cheap).
 * lead: the index chosen (log_index), whose leading column's condition is
 * written without "+" so that SQLite seeks it. */
static void where(query *q, dv_session *s, const desk_filter *f, time_t now, char tb[4][21], const char *lead)
{
	dv_buf_adds(&q->sql, " WHERE 1");
	if (!desk_supervises(s))
		q_text(q, " AND c.operator = ?#", s->login);
	else if (f->operator_login)
		q_text(q, " AND c.operator = ?#", f->operator_login);
	if (f->from > 0)
		q_text(q, " AND c.started_at >= ?#", iso(f->from, tb[0]));
	if (f->to > 0)
		q_text(q, " AND c.started_at < ?#", iso(f->to, tb[1]));
	if (f->office)
		q_text(q, strcmp(lead, "calls_log_office") == 0 ? " AND c.office = ?#" : " AND +c.office = ?#", f->office);
	if (f->kind >= 0)
		q_text(q, strcmp(lead, "calls_log_kind") == 0 ? " AND c.kind = ?#" : " AND +c.kind = ?#",
		       calls_kind_code((call_kind)f->kind));
	if (f->topic)
		q_text(q, strncmp(lead, "calls_log_topic", 15) == 0 ? " AND c.topic = ?#" : " AND +c.topic = ?#", f->topic);
	if (f->risk)
		q_text(q, strstr(lead, "risk") ? " AND c.risk = ?#" : " AND +c.risk = ?#", f->risk);
	if (f->final == 0 || f->draft_age > 0)
		dv_buf_adds(&q->sql, " AND c.status = 'draft'");
	else if (f->final == 1)
		dv_buf_adds(&q->sql, " AND +c.status = 'final'");
	if (f->draft_age > 0) {
		q_text(q, " AND c.started_at < ?#", iso(now - f->draft_age, tb[2]));
		q_text(q, " AND c.operator <> ?#", s->login);
	}
	if (f->callback == 1 && strcmp(lead, "calls_log_callback") == 0)
		dv_buf_adds(&q->sql, " AND c.callback = 1"); /* the partial index's condition, same calls */
	else if (f->callback >= 0)
		q_int(q, " AND +coalesce(c.callback, 0) = ?#", f->callback);
	if (f->flagged >= 0 || f->flags) {
		iso(now - DESK_SHIFT_SECONDS, tb[3]);
		if (f->flagged == 1)
			q_text(q, " AND (c.qa_flags <> 0 OR (c.status = 'draft' AND c.started_at < ?#))", tb[3]);
		else if (f->flagged == 0)
			q_text(q, " AND +c.qa_flags = 0 AND NOT (c.status = 'draft' AND c.started_at < ?#)", tb[3]);
		unsigned stored = f->flags & ~(unsigned)DESK_QA_OLD_DRAFT;
		if (stored)
			q_int(q, " AND (+c.qa_flags & ?#) = ?#", stored);
		if (f->flags & DESK_QA_OLD_DRAFT)
			q_text(q, " AND c.status = 'draft' AND c.started_at < ?#", tb[3]);
	}
	if (f->reviewed >= 0)
		dv_buf_adds(&q->sql, strcmp(lead, "calls_log_reviewed") == 0 ? " AND c.reviewed_by IS NOT NULL" /* the index's */
				     : f->reviewed ? " AND +c.reviewed_by IS NOT NULL" : " AND +c.reviewed_by IS NULL");
	if (f->queue == 1)
		dv_buf_adds(&q->sql, " AND c.queue_state = 1");
	else if (f->queue >= 0)
		q_int(q, " AND +c.queue_state = ?#", f->queue);
	if (f->case_status && strcmp(f->case_status, "none") == 0)
		dv_buf_adds(&q->sql, " AND +c.case_id IS NULL");
	else if (f->case_status)
		q_text(q, " AND k.status = ?#", f->case_status);
}

static sqlite3_stmt *prepare(dv_session *s, query *q, dv_error *e)
{
	sqlite3_stmt *st = dbi_prepare(s->db, q->sql.s, e);
	for (int i = 0; st && i < q->np; i++) {
		if (q->p[i].is_int)
			sqlite3_bind_int64(st, i + 1, q->p[i].i);
		else
			dbi_bind_text(st, i + 1, q->p[i].t);
	}
	return st;
}

void desk_row_read(sqlite3_stmt *st, time_t now, desk_row *r)
{
	memset(r, 0, sizeof *r);
	r->seq = sqlite3_column_int64(st, 0);
	snprintf(r->id, sizeof r->id, "%s", (const char *)sqlite3_column_text(st, 1));
	snprintf(r->case_code, sizeof r->case_code, "%s", (const char *)sqlite3_column_text(st, 2));
	r->started_at = desk_col_time(st, 3);
	r->duration_s = sqlite3_column_int64(st, 4);
	r->operator_login = dbi_col_dup(st, 5);
	r->office = dbi_col_dup(st, 6);
	const char *kind = (const char *)sqlite3_column_text(st, 7);
	for (int k = 0; k < CALL_NKINDS; k++)
		if (kind && strcmp(kind, calls_kind_code((call_kind)k)) == 0)
			r->kind = (call_kind)k;
	r->final = strcmp((const char *)sqlite3_column_text(st, 8), "final") == 0;
	r->topic = dbi_col_dup(st, 9);
	r->risk = dbi_col_dup(st, 10);
	r->nreferrals = sqlite3_column_int(st, 11);
	r->qa_flags = (unsigned)sqlite3_column_int64(st, 12);
	if (!r->final && r->started_at < now - DESK_SHIFT_SECONDS)
		r->qa_flags |= DESK_QA_OLD_DRAFT;
	r->queue = sqlite3_column_int(st, 13);
	r->reviewed = sqlite3_column_int(st, 14);
	r->corrected = sqlite3_column_int(st, 15);
	r->callback = sqlite3_column_int(st, 16);
	r->case_status = dbi_col_dup(st, 17);
}

void desk_row_clear(desk_row *r)
{
	free(r->operator_login);
	free(r->office);
	free(r->topic);
	free(r->risk);
	free(r->case_status);
	memset(r, 0, sizeof *r);
}

void desk_rows_free(desk_row *v, long n)
{
	for (long i = 0; v && i < n; i++)
		desk_row_clear(&v[i]);
	free(v);
}

void desk_cursor_at(const desk_row *r, desk_cursor *c)
{
	/* Just above r: the same time, the next position. */
	dv_utc_iso(r->started_at, c->at);
	c->seq = r->seq + 1;
}

long desk_rows_run(dv_session *s, sqlite3_stmt *st, time_t now, desk_row **out, dv_error *e)
{
	*out = NULL;
	if (!st)
		return e->code;
	long n = 0, cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap)
			*out = xrealloc(*out, (size_t)(cap = cap ? cap * 2 : 16) * sizeof **out);
		desk_row_read(st, now, &(*out)[n++]);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		desk_rows_free(*out, n);
		*out = NULL;
		return dbi_fail(s->db, rc, _("reading the call log"), e);
	}
	return n;
}

static long run_rows(dv_session *s, query *q, time_t now, desk_row **out, dv_error *e)
{
	sqlite3_stmt *st = prepare(s, q, e);
	dv_buf_free(&q->sql);
	return desk_rows_run(s, st, now, out, e);
}

static int exec_of(dv_session *s, const char *sql, int kept, const char *const *p, int np, int *changes, dv_error *e)
{
	sqlite3_stmt *st = kept ? dbi_cached(s->db, sql, e) : dbi_prepare(s->db, sql, e);
	if (!st)
		return e->code;
	for (int i = 0; i < np; i++)
		dbi_bind_text(st, i + 1, p[i]);
	int rc = sqlite3_step(st);
	if (kept)
		sqlite3_reset(st);
	else
		sqlite3_finalize(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return dbi_fail(s->db, rc, _("saving the change"), e);
	if (changes)
		*changes = sqlite3_changes(s->db->h);
	return DV_OK;
}

int desk_exec(dv_session *s, const char *sql, const char *const *p, int np, int *changes, dv_error *e)
{
	return exec_of(s, sql, 0, p, np, changes, e);
}

int desk_exec_kept(dv_session *s, const char *sql, const char *const *p, int np, int *changes, dv_error *e)
{
	return exec_of(s, sql, 1, p, np, changes, e);
}

/* The case code filter as a condition on c.case_id (or the one call of a
 * code without a case). Returns -1 (with *e) for a code nobody has. */
static int case_filter(dv_session *s, query *q, const char *typed, dv_error *e)
{
	char code[10];
	if (desk_code_normalise(typed, code) != 0)
		return dv_fail(e, DV_EINVAL, _("'%s' is not a case code: it has 8 letters and digits, like ABCD-EF12"), typed);
	q_text(q, " AND (c.case_id = (SELECT case_id FROM calls WHERE case_code = ?#) OR c.case_code = ?#)", NULL);
	q->p[q->np - 1].t = xstrdup(code);
	return DV_OK;
}

/* The query of a page; its text parameters live in tb and *code. */
static int build_page(dv_session *s, const desk_filter *f, const desk_cursor *at, int up, size_t limit, time_t now,
		      query *q, char tb[4][21], char **code, dv_error *e)
{
	static const desk_filter none = {0, 0, NULL, NULL, -1, NULL, NULL, -1, -1, -1, 0, -1, -1, NULL, NULL, 0};
	if (!f)
		f = &none;
	if (limit < 1 || limit > 1000)
		limit = limit < 1 ? 1 : 1000;
	*code = NULL;
	/* Filters with a time-ordered index of their own (the operator's, the
	 * waiting queue) or few rows (drafts, a case) let SQLite choose; any
	 * other walks one of the log's covering indexes (log_index, schema_deskperf.h). */
	int own = !desk_supervises(s) || f->operator_login || f->queue == 1 || f->final == 0 || f->draft_age > 0 || f->case_code;
	const char *lead = own ? "" : log_index(f);
	if (own)
		dv_buf_adds(&q->sql, "SELECT " DESK_ROW_COLUMNS DESK_ROW_FROM);
	else
		dv_buf_printf(&q->sql, "SELECT " DESK_ROW_COLUMNS " FROM calls c INDEXED BY %s LEFT JOIN cases k ON k.id = c.case_id",
			      lead);
	where(q, s, f, now, tb, lead);
	if (f->case_code) {
		if (case_filter(s, q, f->case_code, e)) {
			dv_buf_free(&q->sql);
			return e->code;
		}
		*code = (char *)q->p[q->np - 1].t;
	}
	if (at && at->at[0]) {
		q_text(q, up ? " AND (c.started_at, c.rowid) >= (?#" : " AND (c.started_at, c.rowid) < (?#", at->at);
		q_int(q, ", ?#)", at->seq);
	}
	q_int(q, up ? " ORDER BY c.started_at, c.rowid LIMIT ?#" : " ORDER BY c.started_at DESC, c.rowid DESC LIMIT ?#",
	      (long long)limit);
	return DV_OK;
}

static long page(dv_session *s, const desk_filter *f, const desk_cursor *at, int up, size_t limit,
		 desk_row **out, dv_error *e)
{
	query q = {0};
	char tb[4][21], *code;
	time_t now = dv_now();
	*out = NULL;
	if (build_page(s, f, at, up, limit, now, &q, tb, &code, e))
		return e->code;
	long n = run_rows(s, &q, now, out, e);
	free(code);
	return n;
}

int desk_log_plan(dv_session *s, const desk_filter *f, dv_buf *plan, dv_error *e)
{
	query q = {0};
	char tb[4][21], *code;
	desk_cursor at = {"2026-01-01T00:00:00Z", 1000};
	if (build_page(s, f, &at, 0, 50, dv_now(), &q, tb, &code, e))
		return e->code;
	dv_buf ex = {0};
	dv_buf_printf(&ex, "EXPLAIN QUERY PLAN %s", q.sql.s);
	dv_buf_free(&q.sql);
	q.sql = ex;
	sqlite3_stmt *st = prepare(s, &q, e);
	dv_buf_free(&q.sql);
	free(code);
	if (!st)
		return e->code;
	while (sqlite3_step(st) == SQLITE_ROW)
		dv_buf_printf(plan, "%s\n", (const char *)sqlite3_column_text(st, 3));
	sqlite3_finalize(st);
	return DV_OK;
}

long desk_log_page(dv_session *s, const desk_filter *f, const desk_cursor *after, size_t limit,
		   desk_row **out, desk_cursor *next, dv_error *e)
{
	long n = page(s, f, after, 0, limit, out, e);
	if (next) {
		memset(next, 0, sizeof *next);
		if (n > 0) {
			dv_utc_iso((*out)[n - 1].started_at, next->at);
			next->seq = (*out)[n - 1].seq;
		}
	}
	return n;
}

long desk_log_page_before(dv_session *s, const desk_filter *f, const desk_cursor *before, size_t limit,
			  desk_row **out, desk_cursor *first, dv_error *e)
{
	desk_cursor start = {{0}, 0};
	if (before) {
		/* rows strictly newer than before: (at, seq) >= (at, seq + 1) */
		start = *before;
		start.seq++;
	}
	long n = page(s, f, before ? &start : NULL, 1, limit, out, e);
	for (long i = 0; i < n / 2; i++) { /* oldest first -> newest first */
		desk_row t = (*out)[i];
		(*out)[i] = (*out)[n - 1 - i];
		(*out)[n - 1 - i] = t;
	}
	if (first) {
		memset(first, 0, sizeof *first);
		if (n > 0 && (size_t)n == limit) {
			dv_utc_iso((*out)[0].started_at, first->at);
			first->seq = (*out)[0].seq;
		}
	}
	return n;
}

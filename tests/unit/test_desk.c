/* Unit tests of the supervisor's desk (desk.h, demo.h, bulk.h): the log
 * and its filters against plain SQL counts, keyset paging both ways, the
 * query plans, case codes typed in either layout, who sees what, one call
 * read with its own script version, cases, the queue, flags, reviews,
 * corrections and their conflicts, orphaned drafts, figures and audit. */
#include "config.h"

#include <sqlite3.h>

#include "../../src/core/desk_int.h"
#include "dovira/bulk.h"
#include "dovira/calls.h"
#include "dovira/demo.h"
#include "dovira/desk.h"
#include "dovira/orgs.h"
#include "dovira/record.h"
#include "dovira/session.h"
#include "dovira/setup.h"
#include "dovira/staff.h"
#include "tap.h"
#include "testlib.h"

static dv_session *s;        /* the admin (the account running the tests) */
static const char *desk_db_path;
static dv_session sup, olena, petro; /* the same database as other staff */
static dv_session *demo;     /* a training database of 600 synthetic calls */
static script *scr;

static const char *srcdir(void)
{
	const char *d = getenv("SRCDIR");
	return d && *d ? d : ".";
}

static long long q_int(dv_session *x, const char *sql)
{
	sqlite3_stmt *st;
	long long v = -999;
	if (sqlite3_prepare_v2(x->db->h, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static dv_session as(const char *login, staff_role role)
{
	dv_session x = *s;
	snprintf(x.login, sizeof x.login, "%s", login);
	x.role = role;
	return x;
}

static void at(time_t t)
{
	char v[32];
	snprintf(v, sizeof v, "%lld", (long long)t);
	setenv("DOVIRA_FAKE_TIME", v, 1);
}

/* A final data call by x, answered as given ("step=value" pairs), saved
 * and assessed as the screens do. The caller frees it. */
static call_record *take_call(dv_session *x, const char *const *answers, const char *notes)
{
	dv_error e;
	call_record *r = calls_begin(x, script_id(scr), script_version(scr), &e);
	if (!r)
		return NULL;
	script_answers *a = script_answers_new(scr);
	for (size_t i = 0; answers[i]; i++) {
		char *step = xstrdup(answers[i]);
		char *eq = strchr(step, '=');
		*eq = '\0';
		if (script_answers_set(a, step, eq + 1, &e))
			printf("# %s=%s: %s\n", step, eq + 1, e.msg);
		free(step);
	}
	record_from_answers(r, a, notes, NULL);
	script_answers_free(a);
	if (calls_finish(x, r, &e) || desk_assess_store(x, scr, r, &e)) {
		printf("# %s\n", e.msg);
		call_free(r);
		return NULL;
	}
	return r;
}

/* ---- case codes ---- */

static void test_codes(void)
{
	char out[10];
	static const struct { const char *in, *want; } good[] = {
		{"abcd efgh", "ABCD-EFGH"}, {"ABCDEFGH", "ABCD-EFGH"}, {"a-b-c-d-e-f-g-h", "ABCD-EFGH"},
		{"OIL0 0000", "0110-0000"}, {"АВСЕ-КМНР", "ABCE-KMHP"}, {"авсе кмнр", "ABCE-KMHP"},
		{"ТХ12-З4О9", "TX12-3409"},
	};
	for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
		int rc = desk_code_normalise(good[i].in, out);
		ok(rc == 0 && strcmp(out, good[i].want) == 0, "'%s' reads as %s", good[i].in, good[i].want);
	}
	static const char *const bad[] = {"ABC", "ABCD-EFGU", "ABCD-EFGH1", "ABCD-ЖFGH", ""};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		ok(desk_code_normalise(bad[i], out) == -1, "'%s' is not a case code", bad[i]);
}

/* The code typed with the Ukrainian layout on: each Latin letter becomes
 * the Cyrillic letter on its key. */
static void layout_typed(const char *code, char *out, size_t size)
{
	static const char *const keys[26] = {
		"ф", "и", "с", "в", "у", "а", "п", "р", "ш", "о", "л", "д", "ь",
		"т", "щ", "з", "й", "к", "і", "е", "г", "м", "ц", "ч", "н", "я",
	};
	size_t n = 0;
	out[0] = '\0';
	for (const char *p = code; *p; p++) {
		if (*p >= 'A' && *p <= 'Z')
			n += (size_t)snprintf(out + n, size - n, "%s", keys[*p - 'A']);
		else
			n += (size_t)snprintf(out + n, size - n, "%c", *p);
	}
}

static void test_find_code(void)
{
	static const char *const ans[] = {"topic=consult", "caller_role=self", "gender=female", "age_band=30-38",
		"raion=zaporizkyi", "language=uk", "outcome=info", "callback=no", NULL};
	call_record *r = take_call(&olena, ans, "Порада щодо роботи.");
	if (!r)
		return;
	char id[37], typed[80], lower[10];
	dv_error e;
	ok(desk_find_code(&sup, r->case_code, id, &e) == DV_OK && strcmp(id, r->id) == 0, "a supervisor finds the call by its code");
	for (int i = 0; i < 10; i++)
		lower[i] = (char)(r->case_code[i] >= 'A' && r->case_code[i] <= 'Z' ? r->case_code[i] + 32 : r->case_code[i]);
	ok(desk_find_code(&sup, lower, id, &e) == DV_OK && strcmp(id, r->id) == 0, "in lower case too");
	layout_typed(r->case_code, typed, sizeof typed);
	ok(desk_find_code(&sup, typed, id, &e) == DV_OK && strcmp(id, r->id) == 0,
	   "typed with the Ukrainian layout on (%s), the code still finds the call", typed);
	ok(desk_find_code(&olena, r->case_code, id, &e) == DV_OK, "its operator finds it");
	is_int(desk_find_code(&petro, r->case_code, id, &e), DV_ENOTFOUND, "another operator does not (not even that it exists)");
	call_free(r);
}

/* ---- who sees what ---- */

static void test_roles(void)
{
	static const char *const ans[] = {"topic=other", "other_kind=displacement", "caller_role=self", "gender=male",
		"age_band=18-20", "raion=vasylivskyi", "language=uk", "outcome=info", "callback=no", NULL};
	call_record *mine = take_call(&petro, ans, NULL);
	call_record *hers = take_call(&olena, ans, NULL);
	if (!mine || !hers)
		return;
	dv_error e;
	desk_filter f;
	desk_filter_init(&f);
	f.operator_login = "olena";
	desk_row *rows;
	long n = desk_log_page(&petro, &f, NULL, 1000, &rows, NULL, &e);
	int only_own = n > 0;
	for (long i = 0; i < n; i++)
		only_own &= strcmp(rows[i].operator_login, "petro") == 0;
	ok(only_own, "an operator asking for another's calls gets only their own (%ld)", n);
	desk_rows_free(rows, n);
	desk_call *c = desk_call_open(&petro, hers->id, &e);
	ok(!c && e.code == DV_EPERM, "an operator cannot open another's call by id");
	c = desk_call_open(&petro, hers->case_code, &e);
	ok(!c && e.code == DV_ENOTFOUND, "nor by its case code");
	long long views = q_int(s, "SELECT count(*) FROM audit WHERE action = 'call.view'");
	c = desk_call_open(&sup, hers->id, &e);
	ok(c != NULL, "a supervisor opens any call");
	is_int(q_int(s, "SELECT count(*) FROM audit WHERE action = 'call.view'"), views + 1,
	       "opening another operator's final call writes call.view");
	desk_call_free(c);
	desk_start st;
	ok(desk_start_figures(&petro, dv_now(), &st, &e) == DV_OK && st.waiting == 0 && st.orphans == 0,
	   "an operator's start figures show no queue and no orphans");
	call_free(mine);
	call_free(hers);
}

/* ---- one call with its own script version ---- */

static char *write_file(const char *dir, const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *fp = fopen(path, "w");
	fputs(text, fp);
	fclose(fp);
	return path;
}

static void test_old_script(const char *dir)
{
	static const char v1[] =
		"script: zp-test\nversion: 1\n\nstep topic\n  kind: single\n  maps: topic\n"
		"  text.uk: Тема?\n  text.en: Topic?\n  option consult\n    uk: Стара порада\n    en: Old advice\n"
		"  option other\n    uk: Інше\n    en: Other\n";
	static const char v2[] =
		"script: zp-test\nversion: 2\n\nstep topic\n  kind: single\n  maps: topic\n"
		"  text.uk: Тема дзвінка?\n  text.en: Topic of the call?\n  option consult\n    uk: Нова порада\n    en: New advice\n"
		"  option other\n    uk: Інше\n    en: Other\n";
	char *p1 = write_file(dir, "v1.script", v1), *p2 = write_file(dir, "v2.script", v2);
	dv_error e;
	ok(desk_remember_script(&olena, p1, &e) == DV_OK, "version 1 of a script is remembered");
	call_record *r = calls_begin(&olena, "zp-test", "1", &e);
	call_set_col(r, COL_TOPIC, "consult");
	calls_finish(&olena, r, &e);
	ok(desk_remember_script(&olena, p2, &e) == DV_OK, "then version 2");
	desk_call *c = desk_call_open(&sup, r->id, &e);
	ok(c && c->script_known && c->nlines == 1, "the call under version 1 reads with its script");
	if (c && c->nlines) {
		is_str(c->lines[0].question, "Topic?", "the question as version 1 asked it");
		is_str(c->lines[0].label, "Old advice", "the option label as version 1 wrote it");
	}
	desk_call_free(c);
	call_free(r);
	free(p1);
	free(p2);
}

/* ---- queue and flags ---- */

static void test_queue_and_flags(void)
{
	static const char *const ans[] = {"topic=trafficking", "danger_now=yes", "caller_role=relative", "gender=female",
		"age_band=9-17", "raion=melitopolskyi", "language=uk", "country=PL", "control=documents,movement",
		"outcome=referred", "callback=no", NULL};
	dv_error e;
	call_record *r = take_call(&olena, ans, NULL);
	if (!r)
		return;
	desk_call *c = desk_call_open(&sup, r->id, &e);
	ok(c != NULL, "the queued call opens");
	if (!c)
		return;
	is_str(c->queue, "likely danger child emergency", "danger now, a child, likely risk: queued by four rules");
	is_int(c->queue_state, 1, "waiting for acknowledgement");
	ok(c->qa_flags & DESK_QA_LIKELY_NO_REFERRAL, "likely with no referral made is flagged");
	ok(c->qa_flags & DESK_QA_DANGER_NO_EMERGENCY, "danger with no emergency referral is flagged");
	ok(c->qa_flags & DESK_QA_RECOMMENDED_NOT_MADE, "recommended referrals not made are flagged");
	ok(c->qa_flags & DESK_QA_SHORT_CALL, "a call finished at once is a short call");
	ok(c->nwhy >= 2, "the risk comes with the rules that made it (%zu lines)", c->nwhy);
	int rec = 0;
	for (size_t i = 0; i < c->nrefs; i++)
		rec += c->refs[i].recommended && !c->refs[i].made;
	ok(rec >= 3, "the referrals the script recommended are listed as not made (%d)", rec);
	desk_call_free(c);
	desk_start st;
	ok(desk_start_figures(&sup, dv_now(), &st, &e) == DV_OK && st.waiting >= 1, "the supervisor's start screen counts it");
	is_int(desk_queue_ack(&olena, r->id, "seen", &e), DV_EPERM, "an operator cannot acknowledge");
	is_int(desk_queue_ack(&sup, r->id, "", &e), DV_EINVAL, "an acknowledgement needs a comment");
	is_int(desk_queue_ack(&sup, r->id, "Поліцію повідомлено.", &e), DV_OK, "the supervisor acknowledges with a comment");
	dv_session sup2 = as("sup", ROLE_SUPERVISOR);
	is_int(desk_queue_ack(&sup2, r->id, "me too", &e), DV_ECONFLICT, "a second acknowledgement says who did it first");
	desk_filter f;
	desk_filter_init(&f);
	f.queue = 1;
	desk_row *rows;
	long n = desk_log_page(&sup, &f, NULL, 1000, &rows, NULL, &e);
	int absent = 1;
	for (long i = 0; i < n; i++)
		absent &= strcmp(rows[i].id, r->id) != 0;
	ok(absent, "an acknowledged call leaves the waiting queue");
	desk_rows_free(rows, n);
	is_int(desk_mark_reviewed(&sup, r->id, &e), DV_OK, "the supervisor marks it reviewed");
	is_int(q_int(s, "SELECT count(*) FROM audit WHERE action IN ('queue.ack', 'call.review')"), 2, "both audited");
	call_free(r);
}

/* ---- cases ---- */

static void test_cases(void)
{
	static const char *const first[] = {"topic=offer", "caller_role=self", "gender=female", "age_band=21-23",
		"raion=berdianskyi", "language=uk", "country=DE", "outcome=callback", "callback=yes", NULL};
	static const char *const again[] = {"topic=offer", "caller_role=self", "gender=female", "age_band=21-23",
		"raion=berdianskyi", "language=uk", "country=DE", "outcome=info", "callback=no", NULL};
	dv_error e;
	call_record *a = take_call(&olena, first, "Оголошення в Telegram, передоплата.");
	call_record *b = take_call(&petro, again, "Передзвонила, як домовлялися.");
	if (!a || !b)
		return;
	is_int(desk_case_link(&petro, b->id, a->case_code, &e), DV_OK, "the operator links the new call to the caller's case");
	desk_followup *f = desk_followup_get(&petro, a->case_code, &e);
	ok(f && f->kase.id[0] && f->ncalls == 2, "the follow-up view holds the case and both calls");
	if (f && f->ncalls == 2) {
		ok(f->calls[0].notes == NULL, "another operator's notes are not shown to an operator");
		ok(f->calls[1].notes != NULL, "one's own notes are");
		ok(f->calls[0].nrefs == 0 && f->calls[0].outcome && strcmp(f->calls[0].outcome, "callback") == 0,
		   "the earlier call's coded summary is there");
	}
	desk_followup_free(f);
	f = desk_followup_get(&sup, a->case_code, &e);
	ok(f && f->ncalls == 2 && f->calls[0].notes, "a supervisor sees every note of the case");
	desk_followup_free(f);
	is_int(desk_case_set(&petro, a->case_code, "closed", NULL, -1, &e), DV_EPERM, "an operator who does not own the case cannot close it");
	is_int(desk_case_set(&sup, a->case_code, "follow_up", "petro", dv_now() - 3600, &e), DV_OK,
	       "a supervisor sets status, owner and a due date");
	is_int(q_int(s, "SELECT count(*) FROM audit WHERE action IN ('case.status', 'case.owner', 'case.due', 'case.link')"), 4,
	       "each change is audited");
	desk_case *v;
	long n = desk_overdue(&sup, dv_now(), 10, &v, &e);
	ok(n == 1 && strcmp(v[0].code, a->case_code) == 0, "the past due date makes it overdue");
	desk_cases_free(v, n);
	n = desk_overdue(&olena, dv_now(), 10, &v, &e);
	is_int(n, 0, "an operator sees only the overdue cases they own");
	desk_cases_free(v, n);
	desk_filter lf;
	desk_filter_init(&lf);
	lf.case_code = a->case_code;
	desk_row *rows;
	n = desk_log_page(&sup, &lf, NULL, 50, &rows, NULL, &e);
	is_int(n, 2, "the log filtered by the case code lists the case's two calls");
	desk_rows_free(rows, n);
	call_free(a);
	call_free(b);
}

/* ---- corrections ---- */

static void test_corrections(void)
{
	static const char *const ans[] = {"topic=consult", "caller_role=self", "gender=male", "age_band=24-26",
		"raion=polohivskyi", "language=uk", "outcome=info", "callback=no", NULL};
	dv_error e;
	long locked = s->db->locked_prepares;
	call_record *r = take_call(&olena, ans, "Перша нотатка.");
	if (!r)
		return;
	dv_session sup2 = as("sup", ROLE_SUPERVISOR);
	long v = q_int(s, "SELECT max(version) FROM calls WHERE notes = 'Перша нотатка.'"), now_v = 0;
	desk_change one[] = {{"topic", "offer"}, {"notes", "Номер +380 67 123 45 67, уточнено тему."}};
	is_int(desk_correct(&olena, r->id, v, one, 2, "wrong topic", NULL, NULL, NULL, &e), DV_EPERM, "an operator cannot correct");
	is_int(desk_correct(&sup, r->id, v, one, 2, "", NULL, NULL, NULL, &e), DV_EINVAL, "a correction needs a reason");
	is_int(desk_correct(&sup, r->id, v, one, 2, "тема не та", &now_v, NULL, NULL, &e), DV_OK, "a supervisor corrects two fields");
	is_int(now_v, v + 1, "the call's version moves on");
	desk_change two[] = {{"topic", "returnee"}};
	desk_correction *since;
	size_t nsince;
	is_int(desk_correct(&sup2, r->id, v, two, 1, "інша думка", NULL, &since, &nsince, &e), DV_ECONFLICT,
	       "a second supervisor correcting from the old version gets a conflict");
	ok(nsince == 2 && since && strcmp(since[1].field, "topic") == 0 && strcmp(since[1].old_value, "consult") == 0 &&
	   strcmp(since[1].new_value, "offer") == 0 && strcmp(since[1].who, "sup1") == 0,
	   "with the other's change: field, old, new and who");
	desk_corrections_free(since, nsince);
	is_int(q_int(s, "SELECT count(*) FROM corrections"), 2, "nothing of the second writer was written");
	desk_call *c = desk_call_open(&sup, r->id, &e);
	ok(c && c->ncorr == 2 && strcmp(c->r->col[COL_TOPIC], "offer") == 0, "the call shows its corrections and the new value");
	ok(c && strstr(c->r->col[COL_NOTES], "[") && !strstr(c->r->col[COL_NOTES], "123 45 67"),
	   "corrected notes pass the redactor again");
	desk_call_free(c);
	is_int(q_int(s, "SELECT count(*) FROM corrections WHERE old = 'consult' AND reason = 'тема не та'"), 1,
	       "the old value and the reason are kept");
	is_int(desk_correct(&sup2, r->id, v + 1, two, 1, "інша думка", NULL, NULL, NULL, &e), DV_OK,
	       "after reading again, the second correction goes through");
	is_int(desk_correct(&sup2, r->id, v + 2, two, 1, "ще раз", NULL, NULL, NULL, &e), DV_EINVAL, "a correction that changes nothing is refused");
	is_int(s->db->locked_prepares - locked, 0,
	       "taking the call and correcting it prepared no statement while the write lock was held%s%s",
	       s->db->locked_prepare_sql ? "; the last: " : "", s->db->locked_prepare_sql ? s->db->locked_prepare_sql : "");
	/* the same from a session that has prepared nothing yet */
	dv_session *f = session_open(desk_db_path, 0, &e);
	desk_change three[] = {{"raion", "vasylivskyi"}, {"risk", "likely"}};
	ok(f && desk_correct(f, r->id, v + 2, three, 2, "уточнено", NULL, NULL, NULL, &e) == DV_OK,
	   "a supervisor's fresh session corrects the call");
	is_int(f ? desk_case_link(f, r->id, r->case_code, &e) : -1, DV_OK, "and gives it a case");
	is_int(f ? f->db->locked_prepares : -1, 0, "preparing no statement while it held the write lock%s%s",
	       f && f->db->locked_prepare_sql ? "; the last: " : "", f && f->db->locked_prepare_sql ? f->db->locked_prepare_sql : "");
	session_close(f);
	call_free(r);
}

static void test_correction_reassesses(void)
{
	static const char *const ans[] = {"topic=dv", "danger_now=yes", "caller_role=self", "gender=female",
		"age_band=30-38", "raion=zaporizkyi", "language=uk", "dv_children=no", "outcome=info", "callback=no", NULL};
	dv_error e;
	call_record *r = take_call(&olena, ans, NULL);
	if (!r)
		return;
	char sql[160];
	snprintf(sql, sizeof sql, "SELECT qa_flags & %d FROM calls WHERE id = '%s'", DESK_QA_DANGER_NO_EMERGENCY, r->id);
	ok(q_int(s, sql) != 0, "danger now with no emergency referral is flagged");
	desk_change add[] = {{"referral+:police-102 legal", NULL}};
	is_int(desk_correct(&sup, r->id, r->version, add, 1, "поліцію викликали", NULL, NULL, NULL, &e), DV_OK,
	       "the supervisor records the police referral that was made");
	is_int(q_int(s, sql), 0, "the correction clears the flag: the call is assessed again");
	call_free(r);
}

/* ---- orphaned drafts ---- */

static void test_drafts(void)
{
	dv_error e;
	at(dv_now() - 13 * 3600);
	call_record *a = calls_begin(&petro, script_id(scr), script_version(scr), &e);
	call_record *b = calls_begin(&petro, script_id(scr), script_version(scr), &e);
	unsetenv("DOVIRA_FAKE_TIME");
	if (!a || !b)
		return;
	call_set_col(a, COL_TOPIC, "missing");
	calls_save(&petro, a, &e);
	desk_row *rows;
	long n = desk_orphans(&sup, dv_now(), DESK_SHIFT_SECONDS, 100, &rows, &e);
	is_int(n, 2, "drafts older than the shift are listed for the supervisor");
	ok(n > 0 && (rows[0].qa_flags & DESK_QA_OLD_DRAFT), "flagged as older than the shift");
	desk_rows_free(rows, n);
	is_int(desk_orphans(&petro, dv_now(), DESK_SHIFT_SECONDS, 100, &rows, &e), DV_EPERM, "not for operators");
	is_int(desk_draft_finish(&sup, a->id, &e), DV_OK, "the supervisor finishes one");
	is_int(q_int(s, "SELECT count(*) FROM calls WHERE finished_by = 'sup1' AND status = 'final' AND topic = 'missing'"), 1,
	       "it is final, marked as finished by the supervisor, its answers kept");
	is_int(desk_draft_discard(&sup, b->id, &e), DV_OK, "and discards the other");
	is_int(q_int(s, "SELECT count(*) FROM audit WHERE action IN ('draft.finish', 'draft.discard')"), 2, "both audited");
	is_int(desk_draft_discard(&sup, a->id, &e), DV_EINVAL, "a final call is not discarded as a draft");
	call_free(a);
	call_free(b);
}

/* ---- the log on the training database ---- */

static long count_where(const char *cond)
{
	char *sql = xasprintf("SELECT count(*) FROM calls c LEFT JOIN cases k ON k.id = c.case_id WHERE %s", cond);
	long n = (long)q_int(demo, sql);
	free(sql);
	return n;
}

/* Page through the whole log under f, 7 rows at a time, checking the
 * order; returns the number of rows. */
static long page_all(const desk_filter *f, int *ordered)
{
	desk_cursor cur = {{0}, 0};
	dv_error e;
	long total = 0;
	char last_at[21] = "9999";
	long long last_seq = 0;
	*ordered = 1;
	for (;;) {
		desk_row *rows;
		desk_cursor next;
		long n = desk_log_page(demo, f, total ? &cur : NULL, 7, &rows, &next, &e);
		if (n <= 0)
			break;
		for (long i = 0; i < n; i++) {
			char t[21];
			dv_utc_iso(rows[i].started_at, t);
			int c = strcmp(t, last_at);
			*ordered &= c < 0 || (c == 0 && rows[i].seq < last_seq);
			memcpy(last_at, t, sizeof t);
			last_seq = rows[i].seq;
		}
		total += n;
		desk_rows_free(rows, n);
		cur = next;
	}
	return total;
}

/* Each filter of the log with the SQL condition that must count the same. */
static const struct {
	const char *what, *sql;
} filters[] = {
	{"everything", "1"},
	{"office", "c.office = 'berdiansk-hub'"},
	{"operator", "c.operator = 'demo-op03'"},
	{"kind", "c.kind = 'silent'"},
	{"topic", "c.topic = 'trafficking'"},
	{"risk", "c.risk = 'likely'"},
	{"drafts", "c.status = 'draft'"},
	{"final", "c.status = 'final'"},
	{"call-back", "c.callback = 1"},
	{"flagged", "(c.qa_flags <> 0 OR (c.status = 'draft' AND c.started_at < strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-12 hours')))"},
	{"one flag", "c.qa_flags & 16"},
	{"reviewed", "c.reviewed_by IS NOT NULL"},
	{"not reviewed", "c.reviewed_by IS NULL"},
	{"queue waiting", "c.queue_state = 1"},
	{"queue acknowledged", "c.queue_state = 2"},
	{"case open", "k.status = 'open'"},
	{"no case", "c.case_id IS NULL"},
	{"a month", "c.started_at >= '2026-03-01' AND c.started_at < '2026-04-01'"},
	{"combined", "c.topic = 'offer' AND c.risk = 'none' AND c.reviewed_by IS NULL AND c.office = 'zaporizhzhia'"},
};

static void set_filter(size_t i, desk_filter *f)
{
	desk_filter_init(f);
	switch (i) {
	case 1: f->office = "berdiansk-hub"; break;
	case 2: f->operator_login = "demo-op03"; break;
	case 3: f->kind = CALL_SILENT; break;
	case 4: f->topic = "trafficking"; break;
	case 5: f->risk = "likely"; break;
	case 6: f->final = 0; break;
	case 7: f->final = 1; break;
	case 8: f->callback = 1; break;
	case 9: f->flagged = 1; break;
	case 10: f->flags = DESK_QA_SHORT_CALL; break;
	case 11: f->reviewed = 1; break;
	case 12: f->reviewed = 0; break;
	case 13: f->queue = 1; break;
	case 14: f->queue = 2; break;
	case 15: f->case_status = "open"; break;
	case 16: f->case_status = "none"; break;
	case 17: {
		dv_error e;
		desk_period("2026-03", 0, &f->from, &f->to, &e);
		break;
	}
	case 18: f->topic = "offer"; f->risk = "none"; f->reviewed = 0; f->office = "zaporizhzhia"; break;
	default: break;
	}
}

static void test_log_filters(void)
{
	for (size_t i = 0; i < sizeof filters / sizeof *filters; i++) {
		desk_filter f;
		set_filter(i, &f);
		int ordered;
		long n = page_all(&f, &ordered), want = count_where(filters[i].sql);
		ok(n == want && ordered, "filter %s: paging finds all %ld calls SQL counts, newest first (got %ld)", filters[i].what, want, n);
		dv_buf plan = {0};
		dv_error e;
		desk_log_plan(demo, &f, &plan, &e);
		/* Drafts are few (the calls being taken now, and the orphans): the
		 * status index finds them and sorting them costs nothing. Calls
		 * that start in the same second are put in order among
		 * themselves ("RIGHT PART OF ORDER BY"): that is no sort of the log. */
		int drafts = f.final == 0;
		int sorts = !plan.s || (!drafts && strstr(plan.s, "TEMP B-TREE FOR ORDER BY")) || strstr(plan.s, "SCAN c\n");
		ok(!sorts, "filter %s: the plan walks an index in time order, never sorts the log", filters[i].what);
		if (sorts && plan.s)
			printf("#   %s", plan.s);
		/* A topic, risk, kind, office, agreed call-back or reviewed mark
		 * may match few calls: their page reads only those calls' index
		 * entries (schema_deskperf.h), not the whole log. */
		int led = f.topic || f.risk || f.kind >= 0 || f.office || f.callback == 1 || f.reviewed == 1;
		if (led)
			ok(plan.s && strstr(plan.s, "INDEX calls_log_"), "filter %s: the page reads an index led by the filter",
			   filters[i].what);
		dv_buf_free(&plan);
	}
}

static void test_paging_back(void)
{
	dv_error e;
	desk_row *first, *back;
	desk_cursor next, up;
	long n1 = desk_log_page(demo, NULL, NULL, 10, &first, &next, &e);
	desk_row *second;
	long n2 = desk_log_page(demo, NULL, &next, 10, &second, NULL, &e);
	desk_cursor top;
	desk_cursor_at(&second[0], &top);
	(void)top;
	dv_utc_iso(second[0].started_at, up.at);
	up.seq = second[0].seq;
	long nb = desk_log_page_before(demo, NULL, &up, 10, &back, NULL, &e);
	int same = nb == n1;
	for (long i = 0; same && i < nb; i++)
		same = strcmp(back[i].id, first[i].id) == 0;
	ok(n1 == 10 && n2 == 10 && same, "paging up from the second page gives the first page again");
	desk_rows_free(back, nb);
	long no = desk_log_page_before(demo, NULL, NULL, 5, &back, NULL, &e);
	long long oldest = q_int(demo, "SELECT rowid FROM calls ORDER BY started_at, rowid LIMIT 1");
	ok(no == 5 && back[4].seq == oldest, "the oldest page ends with the oldest call");
	desk_rows_free(back, no);
	desk_rows_free(first, n1);
	desk_rows_free(second, n2);
}

static void test_demo_and_figures(void)
{
	dv_error e;
	is_int(desk_is_training(demo->db, &e), 1, "the demo database is marked as training");
	is_int(desk_is_training(s->db, &e), 0, "a database of real calls is not");
	demo_options o = {10, 1, 0, 3, NULL, NULL};
	is_int(demo_fill(s, scr, &o, NULL, &e), DV_EINVAL, "demo refuses a database that holds calls");
	is_int(q_int(demo, "SELECT count(*) FROM calls"), 600, "the demo wrote every call asked for");
	ok(q_int(demo, "SELECT count(DISTINCT topic) FROM calls") >= 8 && q_int(demo, "SELECT count(DISTINCT raion) FROM calls") >= 5,
	   "with varied topics and raions");
	ok(q_int(demo, "SELECT min(length(notes)) FROM calls WHERE notes IS NOT NULL") >= 200, "notes of 200 characters or more");
	ok(q_int(demo, "SELECT julianday(max(started_at)) - julianday(min(started_at)) FROM calls") > 3 * 365 - 20,
	   "spread over three years");
	ok(q_int(demo, "SELECT count(*) FROM calls WHERE queue IS NOT NULL") > 0 && q_int(demo, "SELECT count(*) FROM cases") > 0,
	   "with queued calls and cases");
	desk_opstat *v;
	long n = desk_operator_stats(demo, 0, 0, &v, &e), sum = 0;
	for (long i = 0; i < n; i++)
		sum += v[i].calls;
	is_int(sum, 600, "the figures per operator add up to the log");
	ok(n > 0 && v[0].median_s > 0, "with a median duration");
	desk_opstats_free(v, n);
	desk_audit_row *rows;
	n = desk_audit(demo, 0, 0, NULL, "case.*", 0, 20, &rows, &e);
	int prefix = n > 0;
	for (long i = 0; i < n; i++)
		prefix &= strncmp(rows[i].action, "case.", 5) == 0;
	ok(prefix, "the audit trail filtered by an action prefix (%ld rows)", n);
	desk_audit_free(rows, n);
	dv_session op = *demo;
	snprintf(op.login, sizeof op.login, "demo-op01");
	op.role = ROLE_OPERATOR;
	is_int(desk_audit(&op, 0, 0, NULL, NULL, 0, 20, &rows, &e), DV_EPERM, "operators cannot read the audit trail");
}

static dv_session *open_db(const char *path)
{
	char me[64];
	dv_error e;
	staff_whoami(me, sizeof me);
	dv_db *db = setup_open(path, DB_OPEN_CREATE, me, &e);
	if (db)
		orgs_seed_if_empty(db, me, orgs_default_seed_path(), &e);
	db_close(db);
	dv_session *x = session_open(path, 0, &e);
	if (!x)
		printf("Bail out! %s\n", e.msg);
	return x;
}

int main(void)
{
	char *dir = test_tmpdir();
	char *path = xasprintf("%s/desk.db", dir), *dpath = xasprintf("%s/demo.db", dir);
	desk_db_path = path;
	char *spath = xasprintf("%s/data/intake.script", srcdir());
	char *datadir = xasprintf("%s/data", srcdir());
	setenv("DOVIRA_DATADIR", datadir, 1);
	free(datadir);
	dv_error e;
	if (script_load(spath, &scr, NULL, &e) != DV_OK || !(s = open_db(path)) || !(demo = open_db(dpath))) {
		printf("Bail out! cannot set up: %s\n", e.msg);
		return 1;
	}
	staff_add(s->db, s->login, "olena", ROLE_OPERATOR, &e);
	staff_add(s->db, s->login, "petro", ROLE_OPERATOR, &e);
	staff_add(s->db, s->login, "sup1", ROLE_SUPERVISOR, &e);
	staff_add(s->db, s->login, "sup", ROLE_SUPERVISOR, &e);
	sup = as("sup1", ROLE_SUPERVISOR);
	olena = as("olena", ROLE_OPERATOR);
	petro = as("petro", ROLE_OPERATOR);
	desk_remember_script(s, spath, &e);
	demo_options o = {600, 42, 0, 3, NULL, NULL};
	if (desk_remember_script(demo, spath, &e) || demo_fill(demo, scr, &o, NULL, &e)) {
		printf("Bail out! demo: %s\n", e.msg);
		return 1;
	}
	test_codes();
	test_find_code();
	test_roles();
	test_old_script(dir);
	test_queue_and_flags();
	test_cases();
	test_corrections();
	test_correction_reassesses();
	test_drafts();
	test_log_filters();
	test_paging_back();
	test_demo_and_figures();
	session_close(s);
	session_close(demo);
	script_free(scr);
	free(path);
	free(dpath);
	free(spath);
	return tap_done();
}

/* Unit tests of the call log: drafts, saves with redaction, the version
 * counter, finishing, non-data calls, referrals, views and the audit. */
#include "config.h"

#include <sqlite3.h>

#include "../../src/core/calls_int.h"
#include "../../src/core/dbi.h"
#include "dovira/calls.h"
#include "dovira/setup.h"
#include "dovira/session.h"
#include "tap.h"
#include "testlib.h"

static dv_session *s;

static long long q_int(const char *sql)
{
	sqlite3_stmt *st;
	long long v = -999;
	if (sqlite3_prepare_v2(s->db->h, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static char *q_text(const char *sql, const char *param)
{
	static char out[2048];
	sqlite3_stmt *st;
	out[0] = '\0';
	if (sqlite3_prepare_v2(s->db->h, sql, -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, param, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
			snprintf(out, sizeof out, "%s", (const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	return out;
}

static void test_case_code(void)
{
	unsigned char u[16] = {0};
	char code[10];
	calls_case_code(u, code);
	is_str(code, "0000-0000", "the case code of a zero UUID");
	memset(u, 0xff, sizeof u);
	calls_case_code(u, code);
	is_str(code, "ZZZZ-ZZZZ", "the case code uses Crockford base32 (Z is 31)");
	unsigned char v[16] = {0x08, 0x42, 0x10, 0x84, 0x21};
	calls_case_code(v, code);
	is_str(code, "1111-1111", "each group of 5 bits becomes one character");
}

static void test_draft_and_finish(void)
{
	dv_error e;
	setenv("DOVIRA_FAKE_TIME", "1795905556", 1);
	call_record *r = calls_begin(s, "zp-hotline", "2026.11", &e);
	unsetenv("DOVIRA_FAKE_TIME");
	ok(r != NULL, "a call begins as a draft written at once");
	if (!r)
		return;
	ok(strlen(r->id) == 36 && r->case_code[4] == '-', "it has a UUID and a case code");
	/* 1795905556 s is 498862 hours (0x79cae) since 1970 */
	ok(strncmp(r->id, "00079cae-", 9) == 0 && r->id[14] == '8',
	   "its id begins with the hour the call began, in a UUID of version 8 (%s)", r->id);
	call_record *r2 = calls_begin(s, "zp-hotline", "2026.11", &e);
	char hour[9];
	snprintf(hour, sizeof hour, "%08lx", (unsigned long)(time(NULL) / 3600));
	ok(r2 && strncmp(r2->id, hour, 8) == 0 && strcmp(r2->id + 9, r->id + 9) != 0 && strcmp(r2->case_code, r->case_code) != 0,
	   "another call begun now begins with this hour, its other digits and its case code drawn anew (%s)", r2 ? r2->id : e.msg);
	if (r2)
		calls_discard(s, r2, &e);
	call_free(r2);
	is_str(q_text("SELECT status FROM calls WHERE id=?1", r->id), "draft", "the draft is in the database before any answer");
	call_set_col(r, COL_TOPIC, "offer");
	call_set_col(r, COL_RAION, "zaporizkyi");
	call_set_col(r, COL_CALLBACK, "yes");
	call_set_col(r, COL_NOTES, "Роботодавець дав номер +38 (067) 123-45-67 і пошту boss@agency.pl.\x1b]0;x\x07");
	call_set_answer(r, "red_flags", "fee tourist_visa");
	call_set_answer(r, "agency_name", "агенція, тел. 0501234567");
	call_set_progress(r, "possible", "red_flags");
	is_int(calls_save(s, r, &e), DV_OK, "the draft is saved after an answer");
	const char *notes = q_text("SELECT notes FROM calls WHERE id=?1", r->id);
	ok(!strstr(notes, "123-45-67") && strstr(notes, "[PHONE]") && strstr(notes, "[EMAIL]"),
	   "stored notes are redacted: %s", notes);
	ok(!strstr(notes, "\x1b"), "escape sequences never reach the database");
	is_int(r->nnotes_hits, 2, "the operator is told what was replaced (2 findings)");
	ok(r->nnotes_hits == 2 && strncmp(r->col[COL_NOTES] + r->notes_hits[0].start, "[PHONE]", 7) == 0,
	   "finding offsets point at the tags in the stored notes");
	ok(!strstr(q_text("SELECT value FROM answers WHERE call_id=?1 AND step='agency_name'", r->id), "0501234567"),
	   "short-text answers are redacted too");
	is_int(q_int("SELECT callback FROM calls"), 1, "yes/no columns are stored as 1/0");
	is_int(r->version, 2, "each save bumps the version");

	/* Another session saved the same record meanwhile. */
	dbi_exec(s->db, "UPDATE calls SET version = version + 1", &e);
	is_int(calls_save(s, r, &e), DV_ECONFLICT, "a save over someone else's change is refused, not lost silently");
	r->version++;
	call_set_answer(r, "red_flags", NULL);
	is_int(calls_save(s, r, &e), DV_OK, "the save goes through with the current version");
	is_int(q_int("SELECT count(*) FROM answers WHERE step='red_flags'"), 0, "a cleared answer is removed from the database");

	call_record *d = calls_find_draft(s, &e);
	ok(d && strcmp(d->id, r->id) == 0 && d->col[COL_TOPIC] && strcmp(d->col[COL_TOPIC], "offer") == 0,
	   "the unfinished call is found again with its answers (resume)");
	ok(d && d->step && strcmp(d->step, "red_flags") == 0, "the draft remembers the step the operator was at");
	call_free(d);

	setenv("DOVIRA_FAKE_TIME", "1795905676", 1);
	is_int(calls_finish(s, r, &e), DV_OK, "the call is saved as final");
	unsetenv("DOVIRA_FAKE_TIME");
	is_int(q_int("SELECT duration_s FROM calls"), 120, "the duration is measured from the start");
	is_str(q_text("SELECT status FROM calls WHERE id=?1", r->id), "final", "the record is final");
	ok(q_text("SELECT step FROM calls WHERE id=?1", r->id)[0] == '\0', "a final record keeps no draft position");
	is_int(calls_save(s, r, &e), DV_EINVAL, "a final record is not saved as a draft again");
	d = calls_find_draft(s, &e);
	ok(!d && e.code == DV_OK, "after finishing there is no draft to resume");
	call_free(d);
	d = calls_get(s, r->id, &e);
	ok(d != NULL, "the saved record can be read back");
	is_int(q_int("SELECT count(*) FROM audit WHERE action='call.view'"), 1, "viewing a final record's detail is audited");
	call_free(d);
	call_free(r);
}

static void test_nondata_and_discard(void)
{
	dv_error e;
	char code[10];
	setenv("DOVIRA_FAKE_TIME", "1795905600", 1);
	is_int(calls_log_nondata(s, CALL_SILENT, 1795905590, code, &e), DV_OK, "a silent call is logged in one step");
	unsetenv("DOVIRA_FAKE_TIME");
	is_str(q_text("SELECT kind || ' ' || status || ' ' || duration_s FROM calls WHERE case_code=?1", code), "silent final 10",
	       "it is final, with its kind and duration");
	setenv("DOVIRA_FAKE_TIME", "1795907000", 1); /* the next hour */
	is_int(calls_log_nondata(s, CALL_HANGUP, 1795905590, code, &e), DV_OK, "a call logged after the hour it began");
	unsetenv("DOVIRA_FAKE_TIME");
	ok(strncmp(q_text("SELECT id FROM calls WHERE case_code=?1", code), "00079cae-", 9) == 0,
	   "has an id that begins with the hour it began, not the hour it was logged");
	is_int(calls_log_nondata(s, CALL_DATA, 0, NULL, &e), DV_EINVAL, "a data call cannot be logged as non-data");
	call_record *r = calls_begin(s, "zp-hotline", "2026.11", &e);
	char id[37];
	snprintf(id, sizeof id, "%s", r->id);
	is_int(calls_discard(s, r, &e), DV_OK, "a draft can be discarded");
	is_int(q_int("SELECT count(*) FROM calls WHERE status='draft'"), 0, "the discarded draft is gone");
	is_str(q_text("SELECT action FROM audit WHERE object=?1 ORDER BY seq DESC LIMIT 1", id), "call.discard", "discarding is audited");
	call_free(r);
}

static void test_referrals(void)
{
	dv_error e;
	dbi_exec(s->db, "INSERT INTO orgs(id,name_uk,name_en,kind,services,areas,source,updated_at,national)"
		 " VALUES('line-527','Лінія 527','Line 527','hotline','information','all','FACTS','2026-11-01',1)", &e);
	call_record *r = calls_begin(s, "zp-hotline", "2026.11", &e);
	is_int(calls_add_referral(s, r, "line-527", "information", 1, &e), DV_OK, "a referral is recorded on the call");
	is_int(calls_add_referral(s, r, "line-527", "information", 1, &e), DV_OK, "referring twice is harmless");
	is_int(r->nreferrals, 1, "and counts once");
	is_int(q_int("SELECT count(*) FROM audit WHERE action='call.refer'"), 1, "and is audited once");
	long long refers = q_int("SELECT count(*) FROM audit WHERE action='call.refer'");
	is_int(calls_add_referral(s, r, "no-such-org", "legal", 0, &e), DV_ENOTFOUND, "a referral to an unknown organisation is refused");
	ok(strstr(e.msg, "no-such-org") && strstr(e.msg, "is not in the directory") && !strstr(e.msg, "FOREIGN KEY"),
	   "it says the organisation is not in the directory, not a foreign-key error: %s", e.msg);
	dbi_exec(s->db, "INSERT INTO orgs(id,name_uk,name_en,kind,services,areas,source,updated_at,national,retired)"
		 " VALUES('old-centre','Старий центр','Old centre','social','legal','all','FACTS','2026-11-01',0,1)", &e);
	is_int(calls_add_referral(s, r, "old-centre", "legal", 0, &e), DV_EINVAL, "a referral to a retired entry is refused");
	ok(strstr(e.msg, "old-centre") && strstr(e.msg, "retired"), "and the message says it is retired: %s", e.msg);
	is_int(r->nreferrals, 1, "refused referrals leave the call's referrals as they were");
	ok(q_int("SELECT count(*) FROM audit WHERE action='call.refer'") == refers, "and are not audited as made");
	is_int(calls_add_referral(s, r, "line-527", NULL, 0, &e), DV_OK, "a referral without a service (NULL) is recorded");
	is_int(calls_remove_referral(s, r, "line-527", NULL, &e), DV_OK, "and removed again");
	is_int(r->nreferrals, 1, "leaving the first referral");
	is_int(calls_finish(s, r, &e), DV_OK, "the call with its referral is saved");
	is_int(calls_remove_referral(s, r, "line-527", "information", &e), DV_EINVAL, "a referral cannot be taken back from a final record");
	call_record *d = calls_get(s, r->id, &e);
	ok(d && d->nreferrals == 1 && strcmp(d->referrals[0].org_id, "line-527") == 0 && d->referrals[0].recommended,
	   "the referral is in the saved record");
	call_free(d);
	call_free(r);
}

/* An operator's whole call, from a session just opened: no statement is
 * prepared while the session holds the write lock (every other writer
 * waits that long: a statement that fires the report triggers of calls
 * takes 8 to 15 ms to compile). Each is prepared before the lock is
 * taken, and kept. */
static void test_nothing_compiled_under_lock(const char *path)
{
	dv_error e;
	dv_session *f = session_open(path, 0, &e);
	call_record *r = f ? calls_begin(f, "zp-hotline", "2026.11", &e) : NULL;
	ok(r != NULL, "a fresh session begins a call");
	if (!r)
		return;
	static const struct { call_col col; const char *value, *step; } steps[] = {
		{COL_TOPIC, "offer", "topic"}, {COL_CALLER_ROLE, "self", "role"}, {COL_COUNTRY, "PL", "country"},
		{COL_RAION, "zaporizkyi", "raion"}, {COL_NOTES, "a warehouse, no contract", "notes"}, {COL_CALLBACK, "yes", "callback"},
	};
	int saved = 0;
	for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
		call_set_col(r, steps[i].col, steps[i].value);
		call_set_answer(r, steps[i].step, steps[i].value);
		if (i == 3)
			call_set_answer(r, "topic", NULL);
		saved += calls_save(f, r, &e) == DV_OK;
	}
	is_int(saved, 6, "six draft saves, each of other columns and answers");
	is_int(calls_add_referral(f, r, "line-527", "information", 1, &e), DV_OK, "a referral");
	is_int(calls_remove_referral(f, r, "line-527", "information", &e), DV_OK, "taken back");
	is_int(calls_add_referral(f, r, "line-527", "information", 1, &e), DV_OK, "and made again");
	is_int(calls_finish(f, r, &e), DV_OK, "the call is saved as final");
	call_record *d = calls_begin(f, "zp-hotline", "2026.11", &e);
	is_int(d ? calls_discard(f, d, &e) : -1, DV_OK, "another call is begun and discarded");
	is_int(calls_log_nondata(f, CALL_SILENT, 0, NULL, &e), DV_OK, "a silent call is logged");
	is_int(f->db->locked_prepares, 0, "no statement was prepared while the lock was held%s%s",
	       f->db->locked_prepare_sql ? "; the last: " : "", f->db->locked_prepare_sql ? f->db->locked_prepare_sql : "");
	call_free(d);
	call_free(r);
	session_close(f);
}

/* A session saves draft after draft, each changing another set of
 * columns: every set has an UPDATE of its own (only those columns), past
 * any count of them. (With more than 48 sets, the 49th was written with
 * the UPDATE of every column, bound only for its own: the save failed.) */
static void test_many_kinds_of_save(void)
{
	dv_error e;
	static const call_col cols[] = {COL_TOPIC, COL_CALLER_ROLE, COL_GENDER, COL_AGE_BAND, COL_RAION,
					COL_COUNTRY, COL_LANGUAGE, COL_HEARD_FROM, COL_OUTCOME};
	enum { NC = sizeof cols / sizeof *cols, NSAVES = 70 };
	call_record *r = calls_begin(s, "zp-hotline", "2026.11", &e);
	if (!r)
		return;
	char last[NC][16] = {{0}};
	int saved = 0;
	for (int k = 1; k <= NSAVES; k++) {
		char v[16];
		snprintf(v, sizeof v, "v%d", k);
		for (int c = 0; c < NC; c++)
			if (k & (1 << c)) {
				call_set_col(r, cols[c], v);
				snprintf(last[c], sizeof last[c], "%s", v);
			}
		int code = calls_save(s, r, &e);
		saved += code == DV_OK;
		if (code)
			printf("# save %d: %s\n", k, e.msg);
	}
	is_int(saved, NSAVES, "%d saves of %d different sets of columns are all saved", NSAVES, NSAVES);
	int right = 0;
	for (int c = 0; c < NC; c++) {
		char sql[96];
		snprintf(sql, sizeof sql, "SELECT %s FROM calls WHERE id = ?1", col_name(cols[c]));
		right += strcmp(q_text(sql, r->id), last[c]) == 0;
	}
	is_int(right, NC, "and each column holds the last value given to it");
	is_str(q_text("SELECT status FROM calls WHERE id = ?1", r->id), "draft", "the call is still a draft");
	calls_discard(s, r, &e);
	call_free(r);
}

/* An account removed or demoted while its session is open loses its rights
 * at its next action, checked in the core (not only by the screens). */
static void test_removed_in_open_session(void)
{
	dv_error e;
	char me[64];
	staff_whoami(me, sizeof me);
	dv_session other = *s;
	snprintf(other.login, sizeof other.login, "late-sup");
	other.role = ROLE_SUPERVISOR;
	is_int(staff_add(s->db, me, "late-sup", ROLE_SUPERVISOR, &e), DV_OK, "a supervisor is added");
	call_record *mine = calls_begin(s, "zp-hotline", "2026.11", &e);
	call_record *r = calls_begin(&other, "zp-hotline", "2026.11", &e);
	ok(r != NULL && mine != NULL, "both sessions start a call");
	call_record *seen = calls_get(&other, mine->id, &e);
	ok(seen != NULL, "a supervisor opens another's call");
	call_free(seen);
	is_int(staff_add(s->db, me, "late-sup", ROLE_OPERATOR, &e), DV_OK, "the supervisor is demoted to operator");
	seen = calls_get(&other, mine->id, &e);
	ok(seen == NULL && e.code == DV_EPERM, "the open session may no longer open another's call");
	call_free(seen);
	is_int(staff_remove(s->db, me, "late-sup", &e), DV_OK, "the account is removed");
	is_int(calls_save(&other, r, &e), DV_EUNKNOWN, "its open session can no longer save");
	call_record *late = calls_begin(&other, "zp-hotline", "2026.11", &e);
	ok(late == NULL && e.code != DV_OK, "nor start a call");
	call_free(late);
	calls_discard(s, mine, &e);
	call_free(mine);
	call_free(r);
}

static int fixed_draws;
/* The first two draws share their first 40 bits (one case code). */
static void clashing_uuid(unsigned char u[16])
{
	memset(u, 0x5a, 16);
	u[15] = (unsigned char)fixed_draws;
	if (fixed_draws++ >= 2)
		u[0] = (unsigned char)fixed_draws;
}

static void test_case_code_clash(void)
{
	dv_error e;
	calls_uuid_source = clashing_uuid;
	call_record *a = calls_begin(s, "zp", "1", &e);
	call_record *b = calls_begin(s, "zp", "1", &e);
	calls_uuid_source = NULL;
	ok(a && b, "a second call whose first draw clashes with another's case code is still saved: %s", b ? "" : e.msg);
	ok(a && b && strcmp(a->case_code, b->case_code) != 0, "it got a case code of its own (%s, %s)",
	   a ? a->case_code : "-", b ? b->case_code : "-");
	is_int(fixed_draws, 3, "by drawing again");
	if (a)
		calls_discard(s, a, &e);
	if (b)
		calls_discard(s, b, &e);
	call_free(a);
	call_free(b);
}

static void test_answers_diffed(void)
{
	dv_error e;
	call_record *r = calls_begin(s, "zp", "1", &e);
	const char *steps[] = {"a1", "a2", "a3", "a4", "a5"};
	for (int i = 0; i < 5; i++)
		call_set_answer(r, steps[i], "first");
	calls_save(s, r, &e);
	int before = sqlite3_total_changes(s->db->h);
	call_set_answer(r, "a3", "second");
	is_int(calls_save(s, r, &e), DV_OK, "a save with one answer changed succeeds");
	is_int(sqlite3_total_changes(s->db->h) - before, 2, "it writes the call row and that one answer, not every answer again");
	call_set_answer(r, "a1", NULL);
	call_set_answer(r, "a6", "new");
	calls_save(s, r, &e);
	is_str(q_text("SELECT group_concat(step || '=' || value, ' ') FROM (SELECT * FROM answers WHERE call_id = ?1 ORDER BY step)", r->id),
	       "a2=first a3=second a4=first a5=first a6=new", "a removed answer is deleted and a new one added");
	calls_discard(s, r, &e);
	call_free(r);
}

/* Redaction is most of a save's CPU: a save redacts the text typed since
 * the last one, not every answer again, and still redacts all of that. */
static void test_redacts_what_changed(void)
{
	dv_error e;
	call_record *r = calls_begin(s, "zp", "1", &e);
	const char *steps[] = {"b1", "b2", "b3", "b4", "b5"};
	for (int i = 0; i < 5; i++)
		call_set_answer(r, steps[i], "тел. 0501234567");
	call_set_col(r, COL_NOTES, "пошта boss@agency.pl");
	unsigned long before = calls_redactions;
	is_int(calls_save(s, r, &e), DV_OK, "a draft with five answers and notes is saved");
	is_int((int)(calls_redactions - before), 6, "its first save redacts the notes and all five answers");
	call_set_answer(r, "b3", "інший номер 0671112233");
	call_set_col(r, COL_NOTES, "пошта boss@agency.pl, потім ще раз boss2@agency.pl");
	before = calls_redactions;
	is_int(calls_save(s, r, &e), DV_OK, "a save with the notes and one answer changed succeeds");
	is_int((int)(calls_redactions - before), 2, "it redacts only the notes and that answer");
	ok(!strstr(q_text("SELECT value FROM answers WHERE call_id=?1 AND step='b3'", r->id), "0671112233"),
	   "the changed answer is redacted in the database");
	const char *notes = q_text("SELECT notes FROM calls WHERE id=?1", r->id);
	ok(!strstr(notes, "boss2@") && !strstr(notes, "boss@"), "so are the changed notes: %s", notes);
	ok(!strstr(r->answers[2].value, "0671112233") && !strstr(r->answers[0].value, "0501234567"),
	   "and the record holds the redacted text");
	before = calls_redactions;
	is_int(calls_save(s, r, &e), DV_OK, "a save with nothing typed succeeds");
	is_int((int)(calls_redactions - before), 0, "and redacts nothing");

	/* The draft resumed in another session: what it read was redacted. */
	call_record *d = calls_find_draft(s, &e);
	ok(d && strcmp(d->id, r->id) == 0, "the draft is read back");
	if (d) {
		call_set_answer(d, "b1", "нове: 0939998877");
		before = calls_redactions;
		is_int(calls_save(s, d, &e), DV_OK, "the resumed draft is saved with one answer changed");
		is_int((int)(calls_redactions - before), 1, "only that answer is redacted");
		ok(!strstr(q_text("SELECT value FROM answers WHERE call_id=?1 AND step='b1'", d->id), "0939998877"),
		   "and it is redacted in the database");
		calls_discard(s, d, &e);
	}
	call_free(d);
	call_free(r);
}

int main(void)
{
	char *dir = test_tmpdir();
	char path[256];
	snprintf(path, sizeof path, "%s/calls.db", dir);
	char me[64];
	staff_whoami(me, sizeof me);
	dv_error e;
	dv_db *db = setup_open(path, DB_OPEN_CREATE, me, &e);
	db_close(db);
	s = session_open(path, 0, &e);
	if (!s) {
		printf("Bail out! %s\n", e.msg);
		return 1;
	}
	test_case_code();
	test_draft_and_finish();
	test_nondata_and_discard();
	test_referrals();
	test_nothing_compiled_under_lock(path);
	test_many_kinds_of_save();
	test_removed_in_open_session();
	test_case_code_clash();
	test_answers_diffed();
	test_redacts_what_changed();
	session_close(s);
	return tap_done();
}

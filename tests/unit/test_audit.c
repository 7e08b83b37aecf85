/* Unit tests of the keyed audit: every kind of offline tampering with the
 * database (or the files beside it) is found by what `dovira check` runs,
 * with a message naming it; an untouched database passes; a database from
 * before the key is sealed by the upgrade and then checks clean. */
#include "config.h"

#include <pthread.h>
#include <sqlite3.h>

#include "../../src/core/audit_int.h"
#include "../../src/core/dbi.h"
#include "../../src/core/schema.h"
#include "dovira/audit.h"
#include "dovira/orgs.h"
#include "dovira/retention.h"
#include "dovira/desk.h"
#include "dovira/calls.h"
#include "dovira/session.h"
#include "dovira/settings.h"
#include "dovira/setup.h"
#include "tap.h"
#include "testlib.h"

static char *dir;
static char me[64];

static char *path_in(const char *name)
{
	static char p[8][256];
	static int k;
	k = (k + 1) % 8;
	snprintf(p[k], sizeof p[k], "%s/%s", dir, name);
	return p[k];
}

static void copy_file(const char *from, const char *to)
{
	FILE *a = fopen(from, "rb"), *b = fopen(to, "wb");
	char buf[65536];
	size_t n;
	while (a && b && (n = fread(buf, 1, sizeof buf, a)) > 0)
		fwrite(buf, 1, n, b);
	if (a)
		fclose(a);
	if (b)
		fclose(b);
}

/* What an intruder with the sqlite3 shell does: raw SQL, no dovira. */
static void raw(const char *path, const char *sql)
{
	sqlite3 *h;
	sqlite3_open(path, &h);
	char *err = NULL;
	if (sqlite3_exec(h, sql, NULL, NULL, &err) != SQLITE_OK)
		printf("# raw SQL failed: %s\n", err ? err : "?");
	sqlite3_free(err);
	sqlite3_close(h);
}

/* Everything check runs about the audit; the report of all parts in *rep.
 * Returns DV_OK only if every part passed. */
/* The records as `dovira check` reads them on a snapshot: the calls in
 * rowid order and the audit's digests from the chain walk, in one thread;
 * walk 0 leaves the job to read the audit table. The report into *rep. */
static int records_on_snapshot(dv_db *db, int walk, dv_buf *rep, long *calls)
{
	dv_error e;
	db_copy_stats st;
	dv_db *snap = db_snapshot(db, &st, &e);
	if (!snap) {
		dv_buf_printf(rep, "snapshot: %s\n", e.msg);
		return e.code;
	}
	audit_records *job = audit_records_new(1);
	dv_buf ignored = {0};
	long rows, staff;
	audit_head h;
	if (walk) /* ranged after the ids' common prefix, as check does; else by their first digits */
		audit_records_prefix(job, snap, &e);
	if (walk)
		audit_verify_into(snap, NULL, job, &ignored, &rows, &h, &e);
	audit_records_digests_end(job);
	audit_records_work(job, snap);
	int code = audit_records_end(job, rep, calls, &staff, &e);
	dv_buf_free(&ignored);
	db_close(snap);
	return code;
}

static const char *S(const dv_buf *b)
{
	return b->s ? b->s : "";
}

/* Cases where the snapshot's way of checking the records reported other
 * than the chunked way on the file, of those compared. */
static int snapshot_differs, snapshot_compared;

static int audit_all(const char *path, dv_buf *rep)
{
	dv_error e;
	dv_db *db = db_open(path, DB_OPEN_READONLY, &e);
	if (!db) {
		dv_buf_printf(rep, "open: %s\n", e.msg);
		return e.code;
	}
	audit_anchor a;
	audit_head h;
	long rows, calls, staff;
	int bad = 0;
	int found = audit_anchor_find(db, &a, rep, &e);
	bad |= found < 0;
	bad |= db_check_schema(db, rep, &e) != DV_OK;
	bad |= audit_verify_to(db, found == 1 ? &a : NULL, rep, &rows, &h, &e) != DV_OK;
	dv_buf recs = {0}, snap = {0}, snap_sql = {0};
	int code = audit_check_records(db, &recs, &calls, &staff, &e);
	bad |= code != DV_OK;
	long calls2 = -1, calls3 = -1;
	int code2 = records_on_snapshot(db, 1, &snap, &calls2), code3 = records_on_snapshot(db, 0, &snap_sql, &calls3);
	snapshot_compared++;
	/* On a snapshot the records name the answers of no call, which the
	 * chunked check leaves to the integrity check's foreign keys: the
	 * same calls, the rest of the report the same. */
	dv_buf orphans = {0};
	sqlite3 *raw_h;
	sqlite3_open_v2(path, &raw_h, SQLITE_OPEN_READONLY, NULL);
	sqlite3_stmt *q;
	sqlite3_prepare_v2(raw_h, "SELECT DISTINCT call_id FROM answers WHERE call_id NOT IN (SELECT id FROM calls) ORDER BY call_id", -1, &q, NULL);
	while (sqlite3_step(q) == SQLITE_ROW)
		dv_buf_printf(&orphans, "%s\n", (const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	sqlite3_close(raw_h);
	int orphans_named = 1;
	dv_buf *sn[2] = {&snap, &snap_sql};
	for (int k = 0; k < 2; k++) {
		dv_buf rest = {0}, named = {0};
		for (const char *p = sn[k]->s; p && *p;) {
			const char *nl = strchr(p, '\n');
			size_t len = nl ? (size_t)(nl - p + 1) : strlen(p);
			if (strncmp(p, "answers to call ", 16) == 0)
				dv_buf_printf(&named, "%.36s\n", p + 16);
			else
				dv_buf_add(&rest, p, len);
			p += len;
		}
		orphans_named &= strcmp(named.s ? named.s : "", orphans.s ? orphans.s : "") == 0;
		dv_buf_free(sn[k]);
		*sn[k] = rest;
		dv_buf_free(&named);
	}
	if (orphans.s && code == DV_OK)
		code = DV_ECORRUPT; /* as the integrity check's foreign keys do on the file */
	dv_buf_free(&orphans);
	if (!orphans_named || code2 != code || code3 != code || calls2 != calls || calls3 != calls || strcmp(S(&snap), S(&recs)) != 0
	    || strcmp(S(&snap_sql), S(&recs)) != 0) {
		snapshot_differs++;
		printf("# %s: chunked (%d, %ld calls):\n%s# on a snapshot (%d, %ld calls, answers of no call named: %d):\n%s# on a snapshot, reading the audit (%d, %ld calls):\n%s",
		       path, code, calls, S(&recs), code2, calls2, orphans_named, S(&snap), code3, calls3, S(&snap_sql));
	}
	dv_buf_adds(rep, recs.s ? recs.s : "");
	dv_buf_free(&recs);
	dv_buf_free(&snap);
	dv_buf_free(&snap_sql);
	db_close(db);
	return bad ? DV_ECORRUPT : DV_OK;
}

static void anchor_now(const char *path)
{
	dv_error e;
	dv_buf rep = {0};
	dv_db *db = db_open(path, DB_OPEN_READONLY, &e);
	audit_head h;
	long rows;
	if (db && audit_verify_to(db, NULL, &rep, &rows, &h, &e) == DV_OK)
		audit_anchor_record(db, &h, "check", &e);
	db_close(db);
	dv_buf_free(&rep);
}

static char base_call[37];

/* The database every case starts from: an admin, an operator, a final
 * data call with notes, an answer and a referral, a non-data call. */
static void make_base(void)
{
	dv_error e;
	dv_db *db = setup_open(path_in("base.db"), DB_OPEN_CREATE, me, &e);
	dv_org line = {.id = "line-527", .name_uk = "Лінія", .name_en = "Line", .kind = "hotline", .services = "information",
		       .areas = "all", .source = "t", .age_min = -1, .age_max = -1};
	orgs_add(db, me, &line, &e);
	staff_add(db, me, "op1", ROLE_OPERATOR, &e);
	db_close(db);
	dv_session *s = session_open(path_in("base.db"), 0, &e);
	call_record *r = calls_begin(s, "zp", "1", &e);
	call_set_col(r, COL_TOPIC, "labour");
	call_set_col(r, COL_NOTES, "passport kept by the employer");
	call_set_answer(r, "debt", "yes");
	call_set_progress(r, "likely", NULL);
	calls_save(s, r, &e);
	calls_add_referral(s, r, "line-527", "information", 1, &e);
	calls_finish(s, r, &e);
	snprintf(base_call, sizeof base_call, "%s", r->id);
	/* its case, under legal hold, followed up by op1 (each change
	 * audited with the case's digest: test_untouched finds no false
	 * alarm) */
	ok(retention_hold(s, r->case_code, 1, &e) == DV_OK && desk_case_set(s, r->case_code, "follow_up", "op1", dv_now() + 3600, &e) == DV_OK,
	   "the base call's case is held and followed up by op1");
	call_free(r);
	calls_log_nondata(s, CALL_SILENT, 0, NULL, &e);
	r = calls_begin(s, "zp", "1", &e); /* a draft left open */
	call_free(r);
	session_close(s);
}

/* Copy the base, tamper with it, and expect the check to name it. */
static void tamper(const char *name, const char *sql, const char *expect, const char *what)
{
	copy_file(path_in("base.db"), path_in(name));
	anchor_now(path_in(name));
	if (sql)
		raw(path_in(name), sql);
	dv_buf rep = {0};
	int code = audit_all(path_in(name), &rep);
	ok(code == DV_ECORRUPT && rep.s && strstr(rep.s, expect), "%s is found: %s", what, rep.s ? rep.s : "(nothing reported)");
	dv_buf_free(&rep);
}

/* Rewrite every row's hash as fn computes it (the intruder recomputing the
 * chain after an edit). */
static void recompute(const char *path, int keyed_with_guess)
{
	sqlite3 *h;
	sqlite3_open(path, &h);
	sqlite3_exec(h, "DROP TRIGGER audit_no_update; DROP TRIGGER audit_chain;"
		     " UPDATE audit SET detail = 'nothing to see' WHERE action = 'call.finish'", NULL, NULL, NULL);
	sqlite3_stmt *st;
	sqlite3_prepare_v2(h, "SELECT seq, at, actor, action, object, detail, digest FROM audit ORDER BY seq", -1, &st, NULL);
	hmac_key guess;
	hmac_init(&guess, (const unsigned char *)"guess", 5);
	char prev[65];
	memcpy(prev, audit_genesis, 65);
	dv_buf upd = {0};
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *f[6];
		for (int i = 0; i < 6; i++)
			f[i] = (const char *)sqlite3_column_text(st, i + 1);
		audit_row r = {sqlite3_column_int64(st, 0), f[0], f[1], f[2], f[3], f[4], keyed_with_guess ? f[5] : NULL, prev, NULL};
		char hash[65];
		if (keyed_with_guess)
			audit_row_mac(&guess, &r, hash);
		else
			audit_row_v1(&r, hash);
		dv_buf_printf(&upd, "UPDATE audit SET prev_hash='%s', hash='%s'%s WHERE seq=%lld;", prev, hash,
			      keyed_with_guess ? "" : ", digest=NULL", r.seq);
		memcpy(prev, hash, 65);
	}
	sqlite3_finalize(st);
	sqlite3_exec(h, upd.s, NULL, NULL, NULL);
	sqlite3_close(h);
	dv_buf_free(&upd);
}

static void test_hmac(void)
{
	hmac_key k;
	unsigned char d[32];
	char hex[65];
	const char *msg = "what do ya want for nothing?";
	hmac_init(&k, (const unsigned char *)"Jefe", 4);
	hmac_sha256(&k, msg, strlen(msg), d);
	sha256_hex(d, hex);
	is_str(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", "HMAC-SHA-256 of RFC 4231 test case 2");
	unsigned char key[131];
	memset(key, 0xaa, sizeof key);
	msg = "Test Using Larger Than Block-Size Key - Hash Key First";
	hmac_init(&k, key, sizeof key);
	hmac_sha256(&k, msg, strlen(msg), d);
	sha256_hex(d, hex);
	is_str(hex, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54", "HMAC-SHA-256 with a key longer than a block (RFC 4231 case 6)");
}

/* The digest of n bytes of a fixed pseudo-random sequence. */
static void digest_of(size_t n, char hex[65])
{
	unsigned char buf[1100], d[32];
	unsigned x = 12345;
	for (size_t i = 0; i < n; i++)
		x = x * 1103515245u + 12345u, buf[i] = (unsigned char)(x >> 16);
	sha256_ctx c;
	sha256_init(&c);
	sha256_update(&c, buf, n / 3);
	sha256_update(&c, buf + n / 3, n - n / 3);
	sha256_final(&c, d);
	sha256_hex(d, hex);
}

static void test_sha256_cpu(void)
{
	char hex[65];
	sha256_use_cpu(0);
	audit_sha256_hex("abc", 3, hex);
	is_str(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "SHA-256 of 'abc' (FIPS 180-4), portable code");
	int cpu = sha256_use_cpu(1);
	audit_sha256_hex("abc", 3, hex);
	is_str(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "SHA-256 of 'abc' with the processor's SHA instructions (used: %d)", cpu);
	int same = 1;
	for (size_t n = 0; n <= 1100; n += (n < 200 ? 1 : 37)) {
		char a[65], b[65];
		sha256_use_cpu(0);
		digest_of(n, a);
		sha256_use_cpu(1);
		digest_of(n, b);
		if (strcmp(a, b) != 0) {
			printf("# SHA-256 of %zu bytes: portable %s, processor %s\n", n, a, b);
			same = 0;
		}
	}
	ok(same, "SHA-256 with the processor's instructions equals the portable code for 0 to 1100 bytes");
}

typedef struct share { audit_records *job; dv_db *db; } share;

static void *share_run(void *arg)
{
	share *sh = arg;
	audit_records_work(sh->job, sh->db);
	return NULL;
}

/* 34 final calls (the base's 2 and 32 more) changed outside the program, their ids spread over the
 * key ranges: checked by two threads on a snapshot (as `dovira check`
 * does) the report is the same as one thread's on the file, the first 20
 * in id order, then how many more. */
static void test_records_shared(void)
{
	dv_error e;
	copy_file(path_in("base.db"), path_in("shared.db"));
	dv_session *s = session_open(path_in("shared.db"), 0, &e);
	for (int i = 0; i < 32; i++)
		calls_log_nondata(s, CALL_SILENT, 0, NULL, &e);
	session_close(s);
	raw(path_in("shared.db"), "UPDATE calls SET duration_s = duration_s + 1 WHERE status = 'final'");
	dv_db *db = db_open(path_in("shared.db"), DB_OPEN_READONLY, &e);
	dv_buf one = {0}, two = {0};
	long calls1, staff1, calls2 = 0, staff2 = 0;
	int code1 = audit_check_records(db, &one, &calls1, &staff1, &e);
	db_copy_stats st;
	dv_db *snap = db_snapshot(db, &st, &e), *twin = snap ? db_snapshot_twin(snap, &e) : NULL;
	int code2 = -1;
	if (twin) {
		share sh = {audit_records_new(1), twin};
		audit_records_prefix(sh.job, snap, &e);
		pthread_t th;
		int threaded = pthread_create(&th, NULL, share_run, &sh) == 0;
		dv_buf ignored = {0};
		long rows;
		audit_head h;
		audit_verify_into(snap, NULL, sh.job, &ignored, &rows, &h, &e);
		dv_buf_free(&ignored);
		audit_records_digests_end(sh.job);
		audit_records_work(sh.job, snap);
		if (threaded)
			pthread_join(th, NULL);
		code2 = audit_records_end(sh.job, &two, &calls2, &staff2, &e);
	}
	is_int(code1, DV_ECORRUPT, "one thread: the changed calls are found");
	is_int(code2, DV_ECORRUPT, "two threads on a snapshot: the changed calls are found");
	is_int(calls2, calls1, "two threads read as many calls as one (%ld)", calls1);
	is_str(two.s ? two.s : "", one.s ? one.s : "", "two threads report exactly what one does");
	int lines = 0, ordered = 1;
	char prev[64] = "";
	for (const char *p = one.s; p && *p; p = strchr(p, '\n') + 1, lines++) {
		if (strncmp(p, "call ", 5) == 0) {
			if (strncmp(p + 5, prev, 36) <= 0)
				ordered = 0;
			memcpy(prev, p + 5, 36);
		}
		if (!strchr(p, '\n'))
			break;
	}
	is_int(lines, 21, "20 problems named, then one line for the rest");
	ok(ordered, "the calls are named in id order");
	ok(one.s && strstr(one.s, "... and 14 more like them"), "the other 14 are counted: %s", one.s ? one.s : "");
	db_close(twin);
	db_close(snap);
	db_close(db);
	dv_buf_free(&one);
	dv_buf_free(&two);
}

static void test_untouched(void)
{
	dv_buf rep = {0};
	copy_file(path_in("base.db"), path_in("clean.db"));
	anchor_now(path_in("clean.db"));
	is_int(audit_all(path_in("clean.db"), &rep), DV_OK, "an untouched database passes every audit check: %s", rep.s ? rep.s : "");
	dv_buf_free(&rep);
}

static void test_tampering(void)
{
	char sql[512];
	tamper("delete-last.db", "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq >= (SELECT max(seq) - 1 FROM audit);"
	       " CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;",
	       "were removed", "deleting the last audit rows (triggers put back)");
	tamper("drop-trigger.db", "DROP TRIGGER audit_no_update;", "trigger audit_no_update is missing", "a dropped trigger");
	tamper("drop-index.db", "DROP INDEX audit_object;", "index audit_object is missing", "a dropped index");
	tamper("new-trigger.db", "CREATE TRIGGER t_spy AFTER INSERT ON calls BEGIN SELECT 1; END;",
	       "trigger t_spy is not one the program created", "an added trigger");
	tamper("alter-table.db", "ALTER TABLE calls ADD COLUMN caller_name TEXT;", "table calls differs", "an altered table");
	snprintf(sql, sizeof sql, "UPDATE calls SET risk = 'none' WHERE id = '%s';", base_call);
	tamper("edit-call.db", sql, "differs from its last audited state", "an edited final call");
	snprintf(sql, sizeof sql, "UPDATE answers SET value = 'no' WHERE call_id = '%s';", base_call);
	tamper("edit-answer.db", sql, "differs from its last audited state", "an edited answer of a final call");
	snprintf(sql, sizeof sql, "DELETE FROM referrals WHERE call_id = '%s';", base_call);
	tamper("drop-referral.db", sql, "differs from its last audited state", "a referral removed from a final call");
	snprintf(sql, sizeof sql, "DELETE FROM calls WHERE id = '%s';", base_call);
	tamper("delete-call.db", sql, "no longer in the database", "a deleted final call");
	tamper("delete-draft.db", "DELETE FROM calls WHERE status = 'draft';", "no longer in the database", "a deleted draft");
	tamper("insert-call.db", "INSERT INTO calls(id, case_code, started_at, operator, office, script_id, script_version, status, updated_at)"
	       " VALUES ('00000000-0000-4000-8000-000000000000', 'AAAA-AAAA', '2026-01-01T00:00:00Z', 'op1', 'main', 'zp', '1', 'final', 'x');",
	       "final, but no audited change made it", "a final call added with SQL");
	tamper("edit-staff.db", "UPDATE staff SET role = 'admin' WHERE login = 'op1';", "staff member op1", "an operator made admin with SQL");
	tamper("insert-staff.db", "INSERT INTO staff VALUES ('mallory', 'admin', 1, '2026-01-01T00:00:00Z', 'x');",
	       "staff member mallory (admin): no audited change", "an admin added with SQL");
	tamper("delete-staff.db", "DELETE FROM staff WHERE login = 'op1';", "no longer in the staff table", "a deleted staff row");
	tamper("edit-org.db", "UPDATE orgs SET phones = '067 000 00 00' WHERE id = 'line-527';",
	       "directory entry line-527 (Лінія): differs from its last audited state", "a directory entry's telephone changed with SQL");
	tamper("insert-org.db", "INSERT INTO orgs(id,name_uk,name_en,kind,services,areas,phones,source,updated_at)"
	       " VALUES('safe-jobs','Безпечна робота','Safe jobs','ngo','information','all','067 111 11 11','t','2026-01-01');",
	       "directory entry safe-jobs (Безпечна робота): no audited change made it", "a directory entry added with SQL");
	tamper("delete-org.db", "PRAGMA foreign_keys = OFF; DELETE FROM orgs WHERE id = 'line-527';",
	       "directory entry line-527: audit row", "a directory entry deleted with SQL");
	tamper("unhold-case.db", "UPDATE cases SET legal_hold = 0, hold_by = NULL, hold_at = NULL;",
	       "differs from its last audited state", "a legal hold lifted with SQL");
	tamper("insert-case.db", "INSERT INTO cases(id, code, status, status_by, status_at, created_at)"
	       " VALUES ('00000000-0000-4000-8000-000000000001', 'ZZZZ-ZZZZ', 'open', 'op1', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');",
	       "case 00000000-0000-4000-8000-000000000001 (ZZZZ-ZZZZ): no audited change made it", "a case added with SQL");
	tamper("delete-case.db", "PRAGMA foreign_keys = OFF; UPDATE calls SET case_id = NULL; DELETE FROM cases;",
	       "no longer in the database", "a case deleted with SQL");
	tamper("edit-row.db", "DROP TRIGGER audit_no_update; UPDATE audit SET actor = 'someone' WHERE seq = 3;"
	       " CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;",
	       "audit row 3 (", "an edited audit row");

	copy_file(path_in("base.db"), path_in("recompute.db"));
	anchor_now(path_in("recompute.db"));
	recompute(path_in("recompute.db"), 1);
	dv_buf rep = {0};
	audit_all(path_in("recompute.db"), &rep);
	ok(rep.s && strstr(rep.s, "its keyed hash does not match") && strstr(rep.s, "differs from the head anchored"),
	   "a chain recomputed after an edit without the key is found: %s", rep.s ? rep.s : "");
	dv_buf_free(&rep);
	copy_file(path_in("base.db"), path_in("unkeyed.db"));
	recompute(path_in("unkeyed.db"), 0);
	audit_all(path_in("unkeyed.db"), &rep);
	ok(rep.s && strstr(rep.s, "are not keyed"), "a chain recomputed as if written before the key is found: %s", rep.s ? rep.s : "");
	dv_buf_free(&rep);
}

static void test_anchor_file(void)
{
	copy_file(path_in("base.db"), path_in("anchored.db"));
	anchor_now(path_in("anchored.db"));
	/* Forge: the intruder edits the anchored row number down. */
	char *anchors = path_in(SETTINGS_ANCHORS), buf[65536];
	FILE *f = fopen(anchors, "r");
	size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
	if (f)
		fclose(f);
	buf[n] = '\0';
	char *line = strstr(buf, "anchored.db");
	while (line && line > buf && line[-1] != '\n')
		line--;
	if (line)
		line[0] = line[0] == '1' ? '2' : '1';
	f = fopen(anchors, "w");
	fputs(buf, f);
	fclose(f);
	dv_buf rep = {0};
	int code = audit_all(path_in("anchored.db"), &rep);
	ok(code == DV_ECORRUPT && rep.s && strstr(rep.s, "not signed with the audit key"),
	   "an edited anchor line is found: %s", rep.s ? rep.s : "");
	dv_buf_free(&rep);
	/* Repair the file for the cases after this one. */
	line[0] = line[0] == '1' ? '2' : '1';
	f = fopen(anchors, "w");
	fputs(buf, f);
	fclose(f);
}

static void test_other_key(void)
{
	mkdir(path_in("k2"), 0700);
	copy_file(path_in("base.db"), path_in("k2/copy.db"));
	FILE *f = fopen(path_in("k2/" SETTINGS_DEV_KEY), "w");
	fputs("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n", f);
	fclose(f);
	chmod(path_in("k2/" SETTINGS_DEV_KEY), 0600);
	dv_buf rep = {0};
	int code = audit_all(path_in("k2/copy.db"), &rep);
	ok(code == DV_ECORRUPT && rep.s && strstr(rep.s, "keyed hash does not match"),
	   "the audit key replaced by another is found");
	dv_buf_free(&rep);
	chmod(path_in("k2/" SETTINGS_DEV_KEY), 0644);
	dv_error e;
	dv_db *db = db_open(path_in("k2/copy.db"), 0, &e);
	ok(db && staff_add(db, me, "op9", ROLE_OPERATOR, &e) == DV_EINVAL && strstr(e.msg, "readable by every account"),
	   "a key readable by every account is refused: %s", e.msg);
	db_close(db);
	unlink(path_in("k2/" SETTINGS_DEV_KEY));
	db = db_open(path_in("k2/copy.db"), 0, &e);
	ok(db && staff_add(db, me, "op9", ROLE_OPERATOR, &e) == DV_ENOTFOUND && strstr(e.msg, "audit key"),
	   "with the key missing no change is written, and the message names the key: %s", e.msg);
	db_close(db);
}

static long long q_count(dv_db *db, const char *sql)
{
	sqlite3_stmt *st;
	long long v = -1;
	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void test_upgrade(void)
{
	dv_error e;
	/* The last version before the keyed chain, wherever its migration
	 * lands in the array, with rows of the old kind. */
	int before = 0;
	while (before < schema_nmigrations && schema_migrations[before] != schema_audit_keyed)
		before++;
	dv_db *db = dbi_open_version(path_in("old.db"), DB_OPEN_CREATE, before, &e);
	is_int(q_count(db, "SELECT count(*) FROM pragma_table_info('audit') WHERE name = 'digest'"), 0,
	       "the old database (schema %d) has no digest column", before);
	staff_first_admin(db, me, &e);
	staff_add(db, me, "op1", ROLE_OPERATOR, &e);
	db_close(db);
	dv_buf rep = {0};
	db = db_open(path_in("old.db"), 0, &e);
	ok(db && db_schema_version(db) == DB_SCHEMA_VERSION, "a database from before the key is upgraded");
	db_close(db);
	is_int(audit_all(path_in("old.db"), &rep), DV_OK, "the upgraded database checks clean: %s", rep.s ? rep.s : "");
	dv_buf_free(&rep);
	raw(path_in("old.db"), "DROP TRIGGER audit_no_update; UPDATE audit SET actor = 'x' WHERE seq = 1;"
	    " CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;");
	audit_all(path_in("old.db"), &rep);
	ok(rep.s && strstr(rep.s, "audit row 1 ("), "an edit of a row from before the key is still found (the seal holds it): %s", rep.s ? rep.s : "");
	dv_buf_free(&rep);
	db = db_open(path_in("old.db"), DB_OPEN_READONLY, &e);
	is_int(db ? q_count(db, "SELECT count(*) FROM audit WHERE action IN ('audit.seal', 'staff.baseline')") : -1, 3,
	       "the upgrade sealed the old rows and recorded a baseline of both staff rows");
	db_close(db);
	dv_buf_free(&rep);
}

/* A database from before the directory and the cases were checked
 * against the audit (migration 18), with an entry and a case: the upgrade
 * records their baseline, and a change after it is found. */
static void test_upgrade_records(void)
{
	dv_error e;
	int before = 0;
	while (before < schema_nmigrations && schema_migrations[before] != schema_audit_records)
		before++;
	dv_db *db = dbi_open_version(path_in("old17.db"), DB_OPEN_CREATE, before, &e);
	staff_first_admin(db, me, &e);
	dbi_exec(db, "INSERT INTO orgs(id,name_uk,name_en,kind,services,areas,phones,source,updated_at)"
		 " VALUES('old-line','Стара лінія','Old line','hotline','information','all','0800 000 000','t','2026-01-01');"
		 "INSERT INTO cases(id, code, status, status_by, status_at, legal_hold, created_at)"
		 " VALUES ('00000000-0000-4000-8000-000000000002', 'HOLD-HOLD', 'open', 'x', '2026-01-01T00:00:00Z', 1, '2026-01-01T00:00:00Z');",
		 &e);
	db_close(db);
	db = db_open(path_in("old17.db"), 0, &e);
	ok(db && db_schema_version(db) == DB_SCHEMA_VERSION, "a database of schema %d is upgraded", before);
	is_int(db ? q_count(db, "SELECT count(*) FROM audit WHERE action IN ('org.baseline', 'case.baseline') AND digest IS NOT NULL") : -1, 2,
	       "the upgrade recorded a baseline of the entry and the case");
	db_close(db);
	dv_buf rep = {0};
	is_int(audit_all(path_in("old17.db"), &rep), DV_OK, "the upgraded database checks clean: %s", rep.s ? rep.s : "");
	dv_buf_free(&rep);
	raw(path_in("old17.db"), "UPDATE orgs SET phones = '067 000 00 00'; UPDATE cases SET legal_hold = 0;");
	audit_all(path_in("old17.db"), &rep);
	ok(rep.s && strstr(rep.s, "directory entry old-line (Стара лінія): differs") && strstr(rep.s, "(HOLD-HOLD): differs"),
	   "an entry and a case changed with SQL after the upgrade are found: %s", rep.s ? rep.s : "");
	dv_buf_free(&rep);
}

int main(void)
{
	dir = test_tmpdir();
	setenv("DOVIRA_CONF", "/nonexistent", 1);
	staff_whoami(me, sizeof me);
	test_hmac();
	test_sha256_cpu();
	make_base();
	test_untouched();
	test_records_shared();
	test_tampering();
	test_anchor_file();
	test_other_key();
	test_upgrade();
	test_upgrade_records();
	ok(snapshot_compared > 10 && snapshot_differs == 0,
	   "on a snapshot (calls in rowid order, digests from the chain walk or from the audit table) the records report exactly what the chunked check does: %d of %d cases differ",
	   snapshot_differs, snapshot_compared);
	return tap_done();
}

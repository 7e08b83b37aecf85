/* Unit tests of the database core: creation, migrations, mapped failures,
 * staff and identity, the audit chain. */
#include "config.h"

#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <time.h>
#include <unistd.h>

#include "../../src/core/dbi.h"
#include "dovira/audit.h"
#include "dovira/session.h"
#include "dovira/setup.h"
#include "dovira/staff.h"
#include "tap.h"
#include "testlib.h"

static char *dir;

static char *path_in(const char *name)
{
	static char p[8][256];
	static int i;
	i = (i + 1) % 8;
	snprintf(p[i], sizeof p[i], "%s/%s", dir, name);
	return p[i];
}

static long long q_int(dv_db *db, const char *sql)
{
	sqlite3_stmt *st;
	long long v = -999;
	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void write_file(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");
	fwrite(data, 1, n, f);
	fclose(f);
}

static void test_versions(void)
{
	is_str(db_journal_mode_for(3040001), "delete", "SQLite 3.40.1 (Debian 12) uses the rollback journal");
	is_str(db_journal_mode_for(3051002), "delete", "3.51.2 still has the WAL-reset bug");
	is_str(db_journal_mode_for(3051003), "wal", "3.51.3 has the fix: WAL");
	is_str(db_journal_mode_for(3044006), "wal", "the 3.44.6 backport: WAL");
	is_str(db_journal_mode_for(3044005), "delete", "3.44.5 lacks the backport");
	is_str(db_journal_mode_for(3050007), "wal", "the 3.50.7 backport: WAL");
	is_str(db_journal_mode_for(3050006), "delete", "3.50.6 lacks the backport");
	is_str(db_journal_mode_for(3045000), "delete", "3.45.0 lacks the fix");
	ok(db_fs_type_is_network(0x6969), "NFS is a network filesystem");
	ok(db_fs_type_is_network((long)0xFF534D42), "CIFS is a network filesystem");
	ok(db_fs_type_is_network(0x65735546), "FUSE (sshfs) is treated as remote");
	ok(!db_fs_type_is_network(0xEF53), "ext4 is local");
	ok(!db_fs_type_is_network(0x01021994), "tmpfs is local");
}

static void test_sha256(void)
{
	char h[65];
	audit_sha256_hex("", 0, h);
	is_str(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "SHA-256 of the empty string");
	audit_sha256_hex("abc", 3, h);
	is_str(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "SHA-256 of \"abc\"");
	const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	audit_sha256_hex(m, strlen(m), h);
	is_str(h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1", "SHA-256 of the 448-bit FIPS vector (two blocks of padding)");
	char *a = malloc(1000000);
	memset(a, 'a', 1000000);
	audit_sha256_hex(a, 1000000, h);
	is_str(h, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", "SHA-256 of a million 'a'");
	free(a);
}

static const char *const forbidden[] = {
	"name", "phone", "tel", "address", "birth", "dob", "passport", "document", "email", "surname", "iban", "card", "taxid",
};

static void test_create(void)
{
	dv_error e;
	dv_db *db = setup_open(path_in("new.db"), DB_OPEN_CREATE, "olena", &e);
	ok(db != NULL, "init creates a database in an empty directory");
	if (!db)
		return;
	is_int(q_int(db, "PRAGMA application_id"), DB_APPLICATION_ID, "application_id marks the file as dovira's");
	is_int(q_int(db, "PRAGMA user_version"), DB_SCHEMA_VERSION, "user_version is the current schema");
	is_int(q_int(db, "PRAGMA foreign_keys"), 1, "foreign keys are enforced");
	is_int(q_int(db, "PRAGMA synchronous"), 2, "synchronous is FULL");
	is_int(q_int(db, "SELECT count(*) FROM pragma_table_list WHERE schema='main' AND type='table' AND name NOT LIKE 'sqlite%' AND name NOT LIKE 'orgs_fts%' AND strict=0"), 0,
	       "every ordinary table is STRICT");
	long long bad = 0;
	for (size_t i = 0; i < sizeof forbidden / sizeof *forbidden; i++) {
		char sql[256];
		snprintf(sql, sizeof sql, "SELECT count(*) FROM pragma_table_list t, pragma_table_info(t.name) c"
			 " WHERE t.name IN ('calls','answers','referrals','staff','audit') AND c.name LIKE '%%%s%%'", forbidden[i]);
		bad += q_int(db, sql);
	}
	is_int(bad, 0, "no column of the call tables could hold a caller's name, number, address, birth date or document");
	is_int(staff_role_of(db, "olena", &e), ROLE_ADMIN, "the account that creates the database is its first admin");
	is_int(q_int(db, "SELECT count(*) FROM audit WHERE action='db.create' AND actor='olena'"), 1, "the creation is audited");
	db_close(db);
	db = setup_open(path_in("new.db"), DB_OPEN_CREATE, "olena", &e);
	ok(!db && e.code == DV_EINVAL && strstr(e.msg, "already exists"), "init refuses to overwrite an existing database");
	db_close(db);
}

static void test_migrations(void)
{
	dv_error e;
	write_file(path_in("empty.db"), "", 0);
	dv_db *db = setup_open(path_in("empty.db"), 0, "olena", &e);
	ok(!db && e.code == DV_ENOTDB && strstr(e.msg, "init"), "an empty file is refused with a hint to run init");
	db = setup_open(path_in("empty.db"), DB_OPEN_CREATE, "olena", &e);
	ok(db && db_schema_version(db) == DB_SCHEMA_VERSION, "init turns an empty file into a current database");
	db_close(db);
	for (int v = 1; v < DB_SCHEMA_VERSION; v++) {
		char name[32];
		snprintf(name, sizeof name, "v%d.db", v);
		db = dbi_open_version(path_in(name), DB_OPEN_CREATE, v, &e);
		ok(db && db_schema_version(db) == v, "a database can be made at version %d", v);
		dbi_exec(db, "INSERT INTO orgs(id,name_uk,name_en,kind,services,areas,source,updated_at)"
			 " VALUES('x1','Тест','Test','ngo','legal','all','t','2026-01-01')", &e);
		db_close(db);
		db = setup_open(path_in(name), 0, "olena", &e);
		ok(db && db_schema_version(db) == DB_SCHEMA_VERSION, "opening a version %d database migrates it to %d", v, DB_SCHEMA_VERSION);
		is_int(db ? q_int(db, "SELECT count(*) FROM orgs WHERE id='x1'") : -1, 1, "data of version %d survives the migration", v);
		dv_buf rep = {0};
		is_int(db ? db_integrity(db, &rep, &e) : -1, DV_OK, "the migrated database passes the integrity check");
		dv_buf_free(&rep);
		db_close(db);
	}
	db = setup_open(path_in("new.db"), 0, "olena", &e);
	dbi_exec(db, "PRAGMA user_version=99", &e);
	db_close(db);
	db = setup_open(path_in("new.db"), 0, "olena", &e);
	ok(!db && e.code == DV_ETOONEW && strstr(e.msg, "newer"), "a schema newer than the program is refused: %s", e.msg);
	db_close(db);
}

static void test_not_ours(void)
{
	dv_error e;
	write_file(path_in("text.db"), "Це не база даних, а лист.\n", 40);
	dv_db *db = setup_open(path_in("text.db"), 0, "olena", &e);
	ok(!db && e.code == DV_ENOTDB, "a text file is refused as not a database: %s", e.msg);
	sqlite3 *h;
	sqlite3_open(path_in("other.db"), &h);
	sqlite3_exec(h, "CREATE TABLE t(x); PRAGMA application_id=1234;", NULL, NULL, NULL);
	sqlite3_close(h);
	db = setup_open(path_in("other.db"), 0, "olena", &e);
	ok(!db && e.code == DV_ENOTDB && strstr(e.msg, "another program"), "another program's SQLite file is refused: %s", e.msg);
	db = setup_open(path_in("missing.db"), 0, "olena", &e);
	ok(!db && e.code == DV_ENOTFOUND && strstr(e.msg, "init"), "a missing database is named with the init command to create it");
	db = setup_open(dir, 0, "olena", &e);
	ok(!db && e.code == DV_EINVAL, "a directory is refused as a database");
}

static void test_corrupt(void)
{
	dv_error e;
	dv_db *db = setup_open(path_in("corrupt.db"), DB_OPEN_CREATE, "olena", &e);
	for (int i = 0; i < 300; i++) {
		char login[32];
		snprintf(login, sizeof login, "op%03d", i);
		staff_add(db, "olena", login, ROLE_OPERATOR, &e);
	}
	db_close(db);
	int fd = open(path_in("corrupt.db"), O_WRONLY);
	char junk[4096];
	memset(junk, 0x5A, sizeof junk);
	for (int page = 2; page < 12; page++)
		if (pwrite(fd, junk, sizeof junk, (off_t)page * 4096) < 0)
			break;
	close(fd);
	db = db_open(path_in("corrupt.db"), DB_OPEN_READONLY, &e);
	int code = e.code;
	if (db) {
		dv_buf rep = {0};
		code = db_integrity(db, &rep, &e);
		dv_buf_free(&rep);
	}
	ok(code == DV_ECORRUPT, "a database with damaged pages is reported as damaged");
	db_close(db);
	db = setup_open(path_in("corrupt.db"), 0, "olena", &e);
	code = db ? staff_add(db, "olena", "zz", ROLE_OPERATOR, &e) : e.code;
	ok(code == DV_ECORRUPT || code == DV_ENOTDB, "writing to a damaged database fails with a clear message, no crash: %s", e.msg);
	db_close(db);
}

static int open_rw(void *arg)
{
	dv_error e;
	dv_db *db = setup_open(arg, 0, "nobody", &e);
	int code = db ? 0 : e.code;
	if (!db)
		printf("#   %s\n", e.msg);
	db_close(db);
	return code;
}

static void test_permissions(void)
{
	dv_error e;
	dv_db *db = setup_open(path_in("ro.db"), DB_OPEN_CREATE, "olena", &e);
	db_close(db);
	chmod(path_in("ro.db"), 0444);
	is_int(test_as_user(open_rw, path_in("ro.db")), DV_EREADONLY & 0xff, "a read-only database file is refused with a clear message");
	mkdir(path_in("rodir"), 0777);
	db = setup_open(path_in("rodir/x.db"), DB_OPEN_CREATE, "olena", &e);
	db_close(db);
	chmod(path_in("rodir/x.db"), 0666);
	chmod(path_in("rodir"), 0555);
	is_int(test_as_user(open_rw, path_in("rodir/x.db")), DV_EREADONLY & 0xff, "a directory without write permission is refused (no room for the journal)");
	db = db_open(path_in("ro.db"), DB_OPEN_READONLY, &e);
	ok(db != NULL, "a read-only file can still be opened for checking");
	db_close(db);
}

static void test_full(void)
{
	dv_error e;
	dv_db *db = setup_open(path_in("full.db"), DB_OPEN_CREATE, "olena", &e);
	long long pages = q_int(db, "PRAGMA page_count");
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA max_page_count=%lld", pages + 2);
	q_int(db, sql);
	int code = DV_OK, i;
	for (i = 0; i < 5000 && code == DV_OK; i++) {
		char login[32];
		snprintf(login, sizeof login, "operator-with-a-long-name-%04d", i);
		code = staff_add(db, "olena", login, ROLE_OPERATOR, &e);
	}
	ok(code == DV_EFULL && strstr(e.msg, "full"), "a full database is reported as full: %s", e.msg);
	long long staff = q_int(db, "SELECT count(*) FROM staff");
	long long audit = q_int(db, "SELECT count(*) FROM audit WHERE action='staff.add'");
	is_int(staff, audit, "the failed write left neither a staff row without its audit row nor the reverse");
	is_int(staff, i, "every write before the full one is kept (%d rows)", i);
	dv_buf rep = {0};
	long rows;
	is_int(db_integrity(db, &rep, &e), DV_OK, "the database is consistent after the disk-full failure");
	is_int(audit_verify(db, &rep, &rows, &e), DV_OK, "the audit chain holds after the disk-full failure");
	dv_buf_free(&rep);
	db_close(db);
}

static void test_locked(void)
{
	dv_error e;
	dv_db *db = setup_open(path_in("lock.db"), DB_OPEN_CREATE, "olena", &e);
	sqlite3 *other;
	sqlite3_open(path_in("lock.db"), &other);
	sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	db_set_busy_timeout(db, 200);
	int code = staff_add(db, "olena", "taras", ROLE_OPERATOR, &e);
	ok(code == DV_EBUSY && strstr(e.msg, "locked"), "a write blocked past the busy timeout says the database is locked: %s", e.msg);
	sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(other);
	is_int(staff_add(db, "olena", "taras", ROLE_OPERATOR, &e), DV_OK, "the same write succeeds once the lock is gone");
	db_close(db);
}

static double mono_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static void *commit_later(void *arg)
{
	usleep(300 * 1000);
	sqlite3_exec(arg, "COMMIT", NULL, NULL, NULL);
	return NULL;
}

/* A writer waiting for another's write lock does not try BEGIN again and
 * again while it is held: each try takes a shared lock in a dozen system
 * calls, and 32 writers trying every few tens of microseconds kept two
 * cores busy and held up the commit of the writer that had the lock. */
static void test_waiting_writer(void)
{
	dv_error e;
	dv_db *db = setup_open(path_in("wait.db"), DB_OPEN_CREATE, "olena", &e);
	sqlite3 *other;
	sqlite3_open(path_in("wait.db"), &other);
	sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	pthread_t th;
	int started = pthread_create(&th, NULL, commit_later, other) == 0;
	long tries = db->busy_tries;
	double t0 = mono_ms();
	int code = dbi_begin(db, &e);
	double waited = mono_ms() - t0;
	if (started)
		pthread_join(th, NULL);
	is_int(code, DV_OK, "a writer waiting for another's write lock gets it once it is let go");
	ok(waited > 250 && waited < 1500, "when it is let go, after 300 ms (%.0f ms)", waited);
	ok(db->busy_tries - tries <= 3, "having tried BEGIN %ld times meanwhile, not every few microseconds", db->busy_tries - tries);
	dbi_rollback(db);
	sqlite3_close(other);
	db_close(db);
}

static void test_staff(void)
{
	dv_error e;
	dv_db *db = setup_open(path_in("staff.db"), DB_OPEN_CREATE, "olena", &e);
	is_int(staff_add(db, "olena", "taras", ROLE_OPERATOR, &e), DV_OK, "an admin adds an operator");
	is_int(staff_add(db, "taras", "ivan", ROLE_ADMIN, &e), DV_EPERM, "an operator may not add staff");
	is_int(staff_add(db, "olena", "Bad Name", ROLE_OPERATOR, &e), DV_EINVAL, "a login with spaces and capitals is refused");
	is_int(staff_remove(db, "olena", "olena", &e), DV_EINVAL, "the last admin cannot be removed");
	is_int(staff_add(db, "olena", "olena", ROLE_OPERATOR, &e), DV_EINVAL, "the last admin cannot step down");
	is_int(staff_remove(db, "olena", "taras", &e), DV_OK, "an admin removes an operator");
	is_int(staff_role_of(db, "taras", &e), ROLE_NONE, "a removed account has no role");
	is_int(staff_remove(db, "olena", "nobody-here", &e), DV_ENOTFOUND, "removing an unknown login says so");
	staff_member *m;
	long n = staff_list(db, "olena", &m, &e);
	is_int(n, 2, "the list keeps removed members, marked inactive");
	ok(n == 2 && strcmp(m[0].login, "olena") == 0 && m[1].active == 0, "active members come first");
	staff_list_free(m, n);
	is_int(q_int(db, "SELECT count(*) FROM audit WHERE action IN ('staff.add','staff.remove')"), 3, "every staff change is audited");
	db_close(db);
	char me[64];
	staff_whoami(me, sizeof me);
	db = setup_open(path_in("other-admin.db"), DB_OPEN_CREATE, "someone-else", &e);
	db_close(db);
	dv_session *s = session_open(path_in("other-admin.db"), 0, &e);
	ok(!s && e.code == DV_EUNKNOWN && strstr(e.msg, "staff add") && strstr(e.msg, me),
	   "an unknown account is refused with a message naming who can add it: %s", e.msg);
	session_close(s);
	s = session_open(path_in("staff.db"), 0, &e);
	ok(!s || strcmp(me, "olena") != 0, "the identity comes from the password database, not $USER");
	session_close(s);
}

static void test_audit(void)
{
	dv_error e;
	dv_db *db = setup_open(path_in("audit.db"), DB_OPEN_CREATE, "olena", &e);
	for (int i = 0; i < 5; i++) {
		char login[16];
		snprintf(login, sizeof login, "op%d", i);
		staff_add(db, "olena", login, ROLE_OPERATOR, &e);
	}
	dv_buf rep = {0};
	long rows = 0;
	is_int(audit_verify(db, &rep, &rows, &e), DV_OK, "an untouched chain verifies");
	is_int(rows, 7, "every row is checked");
	ok(dbi_exec(db, "UPDATE audit SET actor='mallory' WHERE seq=3", &e) != DV_OK, "UPDATE on the audit table is refused");
	ok(dbi_exec(db, "DELETE FROM audit WHERE seq=3", &e) != DV_OK, "DELETE on the audit table is refused");
	ok(dbi_exec(db, "INSERT INTO audit VALUES(8,'2026-01-01T00:00:00Z','m','x',NULL,NULL,"
		    "'0000000000000000000000000000000000000000000000000000000000000000',"
		    "'1111111111111111111111111111111111111111111111111111111111111111')", &e) != DV_OK,
	   "an INSERT that does not continue the chain is refused");
	/* Offline tampering: someone with the sqlite3 shell drops the trigger. */
	dbi_exec(db, "DROP TRIGGER audit_no_update; UPDATE audit SET detail='admin' WHERE seq=4;", &e);
	dv_buf_free(&rep);
	is_int(audit_verify(db, &rep, &rows, &e), DV_ECORRUPT, "a row altered offline breaks the chain");
	ok(rep.s && strstr(rep.s, "audit row 4 (") && !strstr(rep.s, "audit row 3 ("), "the report names the altered row and no other: %s", rep.s ? rep.s : "");
	dv_buf_free(&rep);
	dbi_exec(db, "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq=6;", &e);
	audit_verify(db, &rep, &rows, &e);
	ok(rep.s && strstr(rep.s, "audit row 7:"), "a deleted row is found at the row after it");
	dv_buf_free(&rep);
	db_close(db);
}

/* The plan of sql as one string, each step's detail on its own line. */
static char *plan_of(dv_db *db, const char *sql)
{
	dv_buf b = {0};
	char *q = xasprintf("EXPLAIN QUERY PLAN %s", sql);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db->h, q, -1, &st, NULL) == SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW)
			dv_buf_printf(&b, "%s\n", sqlite3_column_text(st, 3));
		sqlite3_finalize(st);
	} else {
		dv_buf_printf(&b, "ERROR %s\n", sqlite3_errmsg(db->h));
	}
	free(q);
	return b.s ? dv_buf_take(&b) : xstrdup("");
}

/* The indexes migration 15 dropped stay dropped, and the queries that
 * lost one keep a plan as good (schema_indexaudit.h). */
static void test_index_plans(void)
{
	dv_error e;
	dv_db *db = setup_open(path_in("plans.db"), DB_OPEN_CREATE, "olena", &e);
	ok(db != NULL, "a new database to plan queries on");
	if (!db)
		return;
	is_int(q_int(db, "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name IN"
			 " ('calls_case', 'referrals_day', 'recommendations_day', 'answers_day', 'audit_at')"), 0,
	       "the indexes no query used are not in a new database");
	char *p = plan_of(db, "SELECT c.rowid FROM cases h CROSS JOIN calls c ON h.legal_hold = 1 AND c.case_id = h.id");
	if (!ok(strstr(p, "USING COVERING INDEX calls_case_time (case_id=?)") != NULL,
		"retention's calls under legal hold are found through calls_case_time, reading no call"))
		printf("# %s", p);
	free(p);
	/* The report counts' recount (report_check.c) names a day's calls by
	 * a list of ids: pushed into every part of the view, it reads no table
	 * whole. */
	p = plan_of(db, "SELECT facet, count(*) FROM report_facts WHERE id IN (?1, ?2, ?3) AND day = ?4 GROUP BY facet");
	int whole = 0;
	for (const char *l = p; *l; l = strchr(l, '\n') + 1)
		if (strncmp(l, "SCAN ", 5) == 0 && strncmp(l, "SCAN f\n", 7) != 0 && strncmp(l, "SCAN 12 CONSTANT ROWS", 21) != 0 &&
		    strncmp(l, "SCAN report_facts", 17) != 0 && strncmp(l, "SCAN (subquery", 14) != 0)
			whole++;
	if (!ok(whole == 0 && !strstr(p, "ERROR"), "the report counts' recount of a day's calls reads no table whole"))
		printf("# %s", p);
	free(p);
	/* The span of the calls the recount samples from: two seeks. */
	p = plan_of(db, "SELECT (SELECT min(started_at) FROM calls), (SELECT max(started_at) FROM calls)");
	if (!ok(!strstr(p, "SCAN calls") && strstr(p, "SEARCH calls"), "the first and last call are sought, not scanned for"))
		printf("# %s", p);
	free(p);
	db_close(db);
}

/* A database made at version v, with 40 calls (every fourth a draft if
 * drafts, else all final), and a copy of it opened once, so migrated to
 * the program's version: old and fresh, both in the test directory. */
static int old_and_migrated(int v, const char *old, const char *fresh, int drafts)
{
	dv_error e;
	dv_db *db = dbi_open_version(path_in(old), DB_OPEN_CREATE, v, &e);
	ok(db != NULL, "a version %d database", v);
	if (!db)
		return 0;
	char sql[600];
	int rc = sqlite3_exec(db->h, "INSERT INTO staff(login, role, added_at, added_by) VALUES ('op', 'operator', '2026-01-01T00:00:00Z', 'op')",
			      NULL, NULL, NULL);
	for (int i = 0; rc == SQLITE_OK && i < 40; i++) {
		snprintf(sql, sizeof sql,
			 "INSERT INTO calls(id, case_code, started_at, operator, office, script_id, script_version, status, updated_at, risk, topic)"
			 " VALUES ('00000000-0000-0000-0000-%012d', 'AAAA-%04d', '2026-0%d-1%dT10:00:00Z', 'op', 'main', 'zp', '2026.11',"
			 " '%s', '2026-06-01T00:00:00Z', '%s', 'work_abroad')", i, i, 1 + i % 9, i % 10, drafts && i % 4 == 0 ? "draft" : "final",
			 i % 3 ? "likely" : "none");
		rc = sqlite3_exec(db->h, sql, NULL, NULL, NULL);
	}
	db_close(db);
	ok(rc == SQLITE_OK, "with 40 calls (%s)", drafts ? "10 of them drafts" : "all final");
	char cmd[700];
	snprintf(cmd, sizeof cmd, "cp %s %s", path_in(old), path_in(fresh));
	ok(system(cmd) == 0, "and a copy of it");
	db = db_open(path_in(fresh), 0, &e);
	int migrated = db && db_schema_version(db) == DB_SCHEMA_VERSION;
	ok(migrated, "the copy migrated from %d to %d", v, DB_SCHEMA_VERSION);
	db_close(db);
	return migrated;
}

/* Run the same n random writes (op writes the k-th into sql) on both;
 * then report_days must be the same in both, row for row. */
static dv_db *same_writes(const char *old, const char *fresh, int n, void (*op)(unsigned seed, char *sql, size_t size), const char *what)
{
	sqlite3 *a = NULL, *b = NULL;
	sqlite3_open(path_in(old), &a);
	sqlite3_open(path_in(fresh), &b);
	char sql[700];
	unsigned seed = 5;
	int same = 1;
	for (int k = 0; k < n && same; k++) {
		seed = seed * 1103515245u + 12345u;
		op(seed, sql, sizeof sql);
		same = sqlite3_exec(a, sql, NULL, NULL, NULL) == SQLITE_OK && sqlite3_exec(b, sql, NULL, NULL, NULL) == SQLITE_OK;
	}
	ok(same, "%d %s in both", n, what);
	sqlite3_close(a);
	sqlite3_close(b);
	dv_error e;
	dv_db *db = db_open(path_in(fresh), 0, &e);
	snprintf(sql, sizeof sql, "ATTACH '%s' AS old", path_in(old));
	ok(db && sqlite3_exec(db->h, sql, NULL, NULL, NULL) == SQLITE_OK, "the two side by side");
	if (!db)
		return NULL;
	is_int((int)q_int(db, "SELECT count(*) FROM (SELECT * FROM main.report_days EXCEPT SELECT * FROM old.report_days)"), 0,
	       "no count of the migrated database differs from the old triggers'");
	is_int((int)q_int(db, "SELECT count(*) FROM (SELECT * FROM old.report_days EXCEPT SELECT * FROM main.report_days)"), 0,
	       "nor the other way round");
	return db;
}

/* An answer written, changed, moved to another call or step, or removed:
 * steps of counted answers (RA_STEPS, the moc's) and another. */
static void answer_op(unsigned seed, const char *const *steps, int nsteps, char *sql, size_t size)
{
	const char *vals[] = {"documents", "movement,violence", "olx", "no-contract,fee"};
	int id = (int)((seed >> 8) % 40), other = (int)((seed >> 16) % 40), op = (int)((seed >> 24) % 6);
	const char *st = steps[(seed >> 4) % (unsigned)nsteps], *v = vals[(seed >> 12) % 4], *st2 = steps[(seed >> 20) % (unsigned)nsteps];
	if (op < 2)
		snprintf(sql, size, "INSERT INTO answers(call_id, step, value) VALUES ('00000000-0000-0000-0000-%012d', '%s', '%s')"
			 " ON CONFLICT(call_id, step) DO UPDATE SET value = excluded.value", id, st, v);
	else if (op == 2)
		snprintf(sql, size, "UPDATE answers SET value = '%s' WHERE call_id = '00000000-0000-0000-0000-%012d' AND step = '%s'", v, id, st);
	else if (op == 3)
		snprintf(sql, size, "UPDATE OR IGNORE answers SET call_id = '00000000-0000-0000-0000-%012d'"
			 " WHERE call_id = '00000000-0000-0000-0000-%012d' AND step = '%s'", other, id, st);
	else if (op == 4)
		snprintf(sql, size, "UPDATE OR IGNORE answers SET step = '%s' WHERE call_id = '00000000-0000-0000-0000-%012d' AND step = '%s'",
			 st2, id, st);
	else
		snprintf(sql, size, "DELETE FROM answers WHERE call_id = '00000000-0000-0000-0000-%012d' AND step = '%s'", id, st);
}

static void moc_op(unsigned seed, char *sql, size_t size)
{
	static const char *const steps[] = {"ua_signs", "ilo", "debt"};
	answer_op(seed, steps, 3, sql, size);
}

/* Migration 16 puts the answers' moc triggers behind light ones: the same
 * writes leave the same counts as in a version 15 database. */
static void test_moc_triggers(void)
{
	if (!old_and_migrated(15, "moc15.db", "moc16.db", 0))
		return;
	dv_db *db = same_writes("moc15.db", "moc16.db", 600, moc_op, "answers written, changed, moved and removed");
	if (!db)
		return;
	long long moc = q_int(db, "SELECT count(*) FROM report_days WHERE facet = 'moc'");
	ok(moc > 5, "the moc counts hold %lld rows", moc);
	is_int((int)q_int(db, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'answers'"
			      " AND name IN ('report_moc_ai', 'report_moc_bu', 'report_moc_au') AND sql LIKE '%report_days%'"), 0,
	       "and the answers' own moc triggers no longer hold the report work");
	db_close(db);
}

/* A counted answer's write (as moc_op, on counted steps and another), or
 * a change to a call's counted column: drafts made final and back, test
 * calls, topic, risk, raion and office changed. */
static void redo_op(unsigned seed, char *sql, size_t size)
{
	static const char *const steps[] = {"consult_purpose", "red_flags", "channel", "exploitation", "control", "recruiter", "debt"};
	static const char *const cols[] = {"topic", "risk", "raion", "status", "kind", "office"};
	static const char *const cvals[][3] = {{"work_abroad", "trafficking", "other"}, {"none", "possible", "likely"}, {"zap", "mel", NULL},
					       {"final", "draft", "final"}, {"data", "test", "data"}, {"main", "north", "main"}};
	if ((seed >> 24) % 8 < 6) {
		answer_op(seed, steps, 7, sql, size);
		return;
	}
	int id = (int)((seed >> 8) % 40), col = (int)((seed >> 6) % 6);
	const char *cv = cvals[col][(seed >> 14) % 3];
	if (cv)
		snprintf(sql, size, "UPDATE calls SET %s = '%s' WHERE id = '00000000-0000-0000-0000-%012d'", cols[col], cv, id);
	else
		snprintf(sql, size, "UPDATE calls SET %s = NULL WHERE id = '00000000-0000-0000-0000-%012d'", cols[col], id);
}

/* Migration 17 puts the answers' and calls' report triggers behind light
 * ones: the same writes leave the same counts as in a version 16
 * database. */
static void test_redo_triggers(void)
{
	if (!old_and_migrated(16, "redo16.db", "redo17.db", 1))
		return;
	dv_db *db = same_writes("redo16.db", "redo17.db", 900, redo_op, "answers and calls written, changed, moved and removed");
	if (!db)
		return;
	long long facets = q_int(db, "SELECT count(DISTINCT facet) FROM report_days"), rows = q_int(db, "SELECT count(*) FROM report_days");
	ok(facets >= 8 && rows > 100, "the counts hold %lld rows of %lld facets", rows, facets);
	is_int((int)q_int(db, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name IN"
			      " ('report_answers_ai', 'report_answers_bu', 'report_answers_au', 'report_calls_bu', 'report_calls_au')"
			      " AND sql NOT LIKE '%report_days%'"), 5,
	       "and the five triggers on answers and calls no longer hold the report work");
	db_close(db);
}

int main(void)
{
	dir = test_tmpdir();
	test_versions();
	test_sha256();
	test_create();
	test_index_plans();
	test_migrations();
	test_moc_triggers();
	test_redo_triggers();
	test_not_ours();
	test_corrupt();
	test_permissions();
	test_full();
	test_locked();
	test_waiting_writer();
	test_staff();
	test_audit();
	return tap_done();
}

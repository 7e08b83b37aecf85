/* db.c: open, create, migrate, check and back up the database. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <stdint.h>
#include <unistd.h>

#include "combine.h"
#include "dbi.h"
#include "schema.h"
#include "dovira/i18n.h"
#include "dovira/priv.h"
#include "dovira/settings.h"

#define DEFAULT_BUSY_MS 5000

const char *db_sqlite_version(void)
{
	return sqlite3_libversion();
}

const char *db_journal_mode_for(int v)
{
	/* The WAL-reset bug (3.7.0 to 3.51.2) is fixed in 3.51.3 and in the
	 * backports 3.44.6 and 3.50.7. */
	if (v >= 3051003 || (v >= 3050007 && v < 3051000) || (v >= 3044006 && v < 3045000))
		return "wal";
	return "delete";
}

const char *db_journal_mode(void)
{
	return db_journal_mode_for(sqlite3_libversion_number());
}

int db_fs_type_is_network(long t)
{
	static const unsigned long net[] = {
		0x6969,     /* NFS */
		0x517B,     /* SMB */
		0xFF534D42, /* CIFS */
		0xFE534D42, /* SMB2 */
		0x65735546, /* FUSE (sshfs, ...) */
		0x5346414F, /* AFS */
		0x6B414653, /* kAFS */
		0x00C36400, /* Ceph */
		0x01021997, /* 9p */
		0x73757245, /* Coda */
		0x564C,     /* NCP */
		0x7461636F, /* OCFS2 */
		0x01161970, /* GFS2 */
		0x0BD00BD0, /* Lustre */
	};
	for (size_t i = 0; i < sizeof net / sizeof *net; i++)
		if ((unsigned long)(unsigned int)t == net[i])
			return 1;
	return 0;
}

/* The directory part of path, as a new string. */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

int dbi_fail(dv_db *db, int rc, const char *what, dv_error *e)
{
	const char *path = db ? db->path : "?";
	const char *detail = db && db->h ? sqlite3_errmsg(db->h) : sqlite3_errstr(rc);
	int sys = db && db->h ? sqlite3_system_errno(db->h) : 0;
	switch (rc & 0xFF) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return dv_fail(e, DV_EBUSY, _("%s: %s: the database is locked by another session for more than %.1f s; try again in a moment"),
			       path, what, (db ? db->busy_ms : DEFAULT_BUSY_MS) / 1000.0);
	case SQLITE_READONLY:
		return dv_fail(e, DV_EREADONLY, _("%s: %s: the database or its directory is read-only; ask the administrator to restore write permission"),
			       path, what);
	case SQLITE_NOTADB:
		return dv_fail(e, DV_ENOTDB, _("%s: not a dovira database (the file is not an SQLite database)"), path);
	case SQLITE_CORRUPT:
		return dv_fail(e, DV_ECORRUPT, _("%s: the database is damaged (%s); stop using it, run 'dovira check' and restore the latest backup"),
			       path, detail);
	case SQLITE_FULL:
		return dv_fail(e, DV_EFULL, _("%s: %s: the disk or database is full; nothing of this step was saved; free some space and try again"),
			       path, what);
	case SQLITE_IOERR:
		if (sys == ENOSPC || sys == EDQUOT)
			return dv_fail(e, DV_EFULL, _("%s: %s: the disk is full; nothing of this step was saved; free some space and try again"),
				       path, what);
		return dv_fail(e, DV_EIO, _("%s: %s: input/output error (%s); check the disk"), path, what,
			       sys ? strerror(sys) : detail);
	case SQLITE_CANTOPEN:
		return dv_fail(e, DV_EREADONLY, _("%s: cannot open the database (%s); check that the file and its directory exist and are writable"),
			       path, sys ? strerror(sys) : detail);
	case SQLITE_CONSTRAINT:
		return dv_fail(e, DV_EINVAL, _("%s: %s: refused: %s"), path, what, detail);
	default:
		return dv_fail(e, DV_EINTERNAL, _("%s: %s: %s"), path, what, detail);
	}
}

const char DBI_SQL_ROLE_OF[] = "SELECT role FROM staff WHERE login = ?1 AND active = 1";

/* Count a prepare made while this connection holds the write lock. */
static void note_prepare(dv_db *db, const char *sql)
{
	if (sqlite3_txn_state(db->h, "main") == SQLITE_TXN_WRITE) {
		db->locked_prepares++;
		db->locked_prepare_sql = sql;
	}
}

sqlite3_stmt *dbi_prepare(dv_db *db, const char *sql, dv_error *e)
{
	sqlite3_stmt *st = NULL;
	note_prepare(db, sql);
	int rc = sqlite3_prepare_v2(db->h, sql, -1, &st, NULL);
	if (rc != SQLITE_OK) {
		dbi_fail(db, rc, _("reading the database"), e);
		sqlite3_finalize(st);
		return NULL;
	}
	return st;
}

static int cache_find(dv_db *db, const char *sql)
{
	for (int i = 0; i < db->ncache; i++)
		if (db->cache[i].sql == sql)
			return i;
	return -1;
}

int dbi_is_cached(dv_db *db, const char *sql)
{
	return cache_find(db, sql) >= 0;
}

/* Prepare sql into the cache (not there yet); the least recently used
 * goes if it is full. */
static sqlite3_stmt *cache_add(dv_db *db, const char *sql, dv_error *e)
{
	sqlite3_stmt *st = NULL;
	note_prepare(db, sql);
	int rc = sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
	if (rc != SQLITE_OK) {
		dbi_fail(db, rc, _("reading the database"), e);
		sqlite3_finalize(st);
		return NULL;
	}
	if (db->ncache == DBI_CACHE_MAX) {
		int old = 0;
		for (int k = 1; k < db->ncache; k++)
			if (db->cache[k].used < db->cache[old].used)
				old = k;
		sqlite3_finalize(db->cache[old].st);
		db->cache[old] = db->cache[--db->ncache];
	}
	db->cache[db->ncache].sql = sql;
	db->cache[db->ncache].used = ++db->cache_tick;
	db->cache[db->ncache++].st = st;
	return st;
}

sqlite3_stmt *dbi_cached(dv_db *db, const char *sql, dv_error *e)
{
	int i = cache_find(db, sql);
	if (i < 0)
		return cache_add(db, sql, e);
	db->cache[i].used = ++db->cache_tick;
	sqlite3_reset(db->cache[i].st);
	sqlite3_clear_bindings(db->cache[i].st);
	return db->cache[i].st;
}

void dbi_warm(dv_db *db, ...)
{
	va_list ap;
	va_start(ap, db);
	for (const char *sql; (sql = va_arg(ap, const char *)) != NULL;) {
		dv_error ignored;
		dv_error_clear(&ignored);
		if (cache_find(db, sql) < 0)
			cache_add(db, sql, &ignored);
	}
	va_end(ap);
}

int dbi_exec(dv_db *db, const char *sql, dv_error *e)
{
	int rc = sqlite3_exec(db->h, sql, NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return dbi_fail(db, rc, _("writing the database"), e);
	return DV_OK;
}

static double mono_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static void drop_kept(dv_db *db)
{
	sqlite3_finalize(db->st_begin);
	sqlite3_finalize(db->st_commit);
	sqlite3_finalize(db->st_rollback);
	db->st_begin = db->st_commit = db->st_rollback = NULL;
}

/* Run one of the kept transaction statements, or sql where it is not
 * kept yet (a transaction begun otherwise than by dbi_begin); an SQLite
 * code. Kept: sqlite3_exec compiled BEGIN and COMMIT at every save, a
 * fiftieth of the CPU time under 32 writers. */
static int run_kept(dv_db *db, sqlite3_stmt *st, const char *sql)
{
	if (!st)
		return sqlite3_exec(db->h, sql, NULL, NULL, NULL);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int dbi_begin(dv_db *db, dv_error *e)
{
	if (db->readonly)
		return dv_fail(e, DV_EREADONLY, _("%s: opened read-only"), db->path);
	/* A session that wrote a moment ago (an import, a burst of saves)
	 * lets those already waiting go first: otherwise it takes the lock
	 * again the instant it frees it, and others wait seconds behind it
	 * (busy_wait). A quarter of a millisecond, and only then. */
	if (db->last_commit > 0 && mono_ms() - db->last_commit < 2) {
		struct timespec nap = {0, 250000};
		nanosleep(&nap, NULL);
	}
	/* Prepared here, before the lock, all three. */
	if (!db->st_begin) {
		int rc = sqlite3_prepare_v2(db->h, "BEGIN IMMEDIATE", -1, &db->st_begin, NULL);
		if (rc == SQLITE_OK)
			rc = sqlite3_prepare_v2(db->h, "COMMIT", -1, &db->st_commit, NULL);
		if (rc == SQLITE_OK)
			rc = sqlite3_prepare_v2(db->h, "ROLLBACK", -1, &db->st_rollback, NULL);
		if (rc != SQLITE_OK) {
			int code = dbi_fail(db, rc, _("starting to write"), e);
			drop_kept(db);
			return code;
		}
	}
	db->beginning = 1;
	int rc = run_kept(db, db->st_begin, "BEGIN IMMEDIATE");
	db->beginning = 0;
	if (rc != SQLITE_OK)
		return dbi_fail(db, rc, _("starting to write"), e);
	return DV_OK;
}

/* The write lock is free: one session asleep in intent_wait takes it
 * (they sleep until woken, and only look by themselves now and then). */
static void lock_freed(dv_db *db)
{
	if (!db->wake_later)
		combine_wake_lock(db);
}

int dbi_commit(dv_db *db, dv_error *e)
{
	int rc = run_kept(db, db->st_commit, "COMMIT");
	if (rc != SQLITE_OK) {
		int code = dbi_fail(db, rc, _("saving"), e);
		dbi_rollback(db);
		return code;
	}
	db->last_commit = mono_ms();
	lock_freed(db);
	return DV_OK;
}

void dbi_rollback(dv_db *db)
{
	if (!sqlite3_get_autocommit(db->h)) {
		run_kept(db, db->st_rollback, "ROLLBACK");
		lock_freed(db);
	}
}

void dbi_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

char *dbi_col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? xstrdup((const char *)t) : NULL;
}

/* One integer from a pragma or query; -1 and *e set on failure. */
static long long query_int(dv_db *db, const char *sql, dv_error *e)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db->h, sql, -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	long long v = -1;
	if (rc == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	else
		dbi_fail(db, rc, _("reading the database"), e);
	sqlite3_finalize(st);
	return v;
}

int db_schema_version(dv_db *db)
{
	return (int)query_int(db, "PRAGMA user_version", NULL);
}

/* SQLite's own busy handler sleeps longer and longer (up to 100 ms a
 * try), so under 32 writers a few of them keep losing the lock to those
 * that happen to retry at the right moment, and wait seconds. Here every
 * waiter retries after short, jittered sleeps, and the longer it has
 * waited the shorter its sleeps (from about a millisecond down to a
 * quarter of one after 100 ms): when the lock comes free it mostly goes
 * to whoever has waited longest, close to a queue, so no one waits for
 * long behind a stream of newcomers.
 *
 * Sleeps no shorter than that, and while another connection holds the
 * write lock a waiter only looks at it (one fcntl) instead of trying
 * BEGIN again: each try takes and drops a shared lock in a dozen system
 * calls, and took 40 us of CPU; with 32 writers on two cores retrying
 * every 50 us, the waiters' tries alone kept both cores busy, and a
 * shared lock held by a waiter that lost its core holds up the commit of
 * the writer that has the lock. */
static int exists_path(const char *path)
{
	struct stat sb;
	return lstat(path, &sb) == 0;
}

static void nap(dv_db *db, double waited)
{
	long us = waited < 20 ? 1000 : waited < 100 ? 500 : 250;
	db->jitter = db->jitter * 1103515245u + 12345u;
	struct timespec t = {0, (us / 2 + (long)((db->jitter >> 16) % (unsigned)(us / 2 + 1))) * 1000};
	nanosleep(&t, NULL);
}

/* 1 if another connection holds the write lock (RESERVED) of the main
 * database: the VFS's own check, which takes no lock. */
int dbi_write_locked(dv_db *db)
{
	sqlite3_file *f = NULL;
	int res = 0;
	if (sqlite3_file_control(db->h, "main", SQLITE_FCNTL_FILE_POINTER, &f) != SQLITE_OK || !f || !f->pMethods)
		return 0;
	return f->pMethods->xCheckReservedLock(f, &res) == SQLITE_OK && res;
}

/* How long past the busy timeout a save whose intent another session
 * has claimed (combine.h) waits for that session's commit: the claim is
 * made under the write lock, so the commit comes within the lock's own
 * time; only a combiner that hangs without dying takes this long. */
#define INTENT_GRACE_MS 30000

/* How long a waiting draft save sleeps before it looks at the lock by
 * itself, if nobody woke it. Every dovira transaction's end wakes one
 * waiter, so this is for a writer that is not dovira, or one that died.
 * It was 2 ms: under 32 writers saving back to back those looks (two
 * lstats, an fcntl, a futex and a switch of process each) were nine in
 * ten of the waiters' wake-ups, and a fifth of all the CPU per save,
 * taken from the session holding the lock. */
#define WAIT_LOOK_US 20000

/* A BEGIN of a draft save that posted its intent (combine.c) waits while
 * the intent is pending or claimed: it stops as soon as neither file is
 * there (applied by the session that held the lock) and at the timeout
 * withdraws the intent, unless it was claimed: then it waits for the
 * claimer's commit. Pending is looked at before claimed, the order a
 * claim renames them in, so an intent moving between them is never
 * missed. */
static int intent_wait(dv_db *db, double waited)
{
	for (int slept = 0;; slept = 1) {
		unsigned seen = combine_wake_word(db);
		if (combine_applied(db) || (!exists_path(db->intent_pending) && !exists_path(db->intent_claimed))) {
			db->intent_end = INTENT_GONE;
			return 0;
		}
		if (waited >= db->busy_ms && combine_withdraw(db)) {
			db->intent_end = INTENT_WITHDRAWN;
			return 0;
		}
		if (waited >= db->busy_ms + (db->intent_grace_ms ? db->intent_grace_ms : INTENT_GRACE_MS))
			return 0;
		/* The lock free: try it, unless woken (the intent may be
		 * applied: looked at again first, not a BEGIN that finds the
		 * save done and commits nothing). */
		if (!dbi_write_locked(db)) {
			if (!slept) /* busy for another reason (a journal being
				     * recovered): no spinning on BEGIN */
				nap(db, 100);
			break;
		}
		/* Asleep until a commit wakes this waiter: a combiner's that
		 * applied its save, or any transaction's end that hands the
		 * lock on to it (dbi_commit). Only a writer that is not
		 * dovira, or one that died, wakes nobody: then it looks by
		 * itself after WAIT_LOOK_US. */
		combine_sleep(db, seen, db->wait_look_us ? db->wait_look_us : WAIT_LOOK_US);
		waited = mono_ms() - db->busy_since;
	}
	db->busy_tries++;
	return 1;
}

static int busy_wait(void *arg, int count)
{
	dv_db *db = arg;
	double ms = mono_ms();
	if (count == 0)
		db->busy_since = ms;
	double waited = ms - db->busy_since;
	if (db->try_only)
		return 0;
	if (db->beginning && db->intent_pending)
		return intent_wait(db, waited);
	if (waited >= db->busy_ms)
		return 0;
	nap(db, waited);
	/* Only a BEGIN waits for another's write lock; a commit waiting for
	 * readers to finish holds that lock itself. */
	while (db->beginning && dbi_write_locked(db) && (waited = mono_ms() - db->busy_since) < db->busy_ms)
		nap(db, waited);
	db->busy_tries++;
	return 1;
}

void db_set_busy_timeout(dv_db *db, int ms)
{
	db->busy_ms = ms;
	db->jitter = (unsigned)getpid() ^ (unsigned)(uintptr_t)db;
	sqlite3_busy_handler(db->h, busy_wait, db);
}

/* Refuse a database on a network filesystem: locking there is unreliable
 * and SQLite can be corrupted. */
static int check_local(const char *path, dv_error *e)
{
	char *dir = dir_of(path);
	struct statfs sf;
	int code = DV_OK;
	if (statfs(dir, &sf) == 0 && db_fs_type_is_network((long)sf.f_type))
		code = dv_fail(e, DV_ENETFS, _("%s: the database is on a network filesystem; SQLite cannot lock it safely there; keep it on a local disk of the server"),
			       path);
	free(dir);
	return code;
}

/* A symbolic link as the database path: SQLite keeps its journal beside
 * the name it is given, so a crash recovered through another name would
 * miss it; and a link is how one file is passed off as another. */
static int refuse_link(const char *path, dv_error *e)
{
	char *real = realpath(path, NULL);
	int code = dv_fail(e, DV_EINVAL, _("%s: is a symbolic link (to %s); dovira opens a database only by its real path, so that its journal is always found beside it; use --db %s"),
			   path, real ? real : _("a missing file"), real ? real : path);
	free(real);
	return code;
}

int db_hot_journal(const char *path)
{
	char *j = xasprintf("%s-journal", path);
	struct stat sb;
	int hot = stat(j, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0;
	free(j);
	return hot;
}

/* Refuse early, with a clear message, what SQLite would only report as a
 * vague failure later: a missing, read-only or unwritable location.
 * eaccess, not access: installed setgid, the effective group opens the
 * file (priv.h). */
static int check_access(const char *path, int flags, int *exists, dv_error *e)
{
	struct stat sb;
	*exists = 0;
	if (lstat(path, &sb) == 0 && S_ISLNK(sb.st_mode))
		return refuse_link(path, e);
	*exists = stat(path, &sb) == 0;
	if (!*exists && errno == EACCES)
		return dv_fail(e, DV_EREADONLY, _("%s: your account may not reach the database (%s); on a server it belongs to the program's group and only the installed dovira opens it; run that, or ask the administrator to add your account to the staff"),
			       path, strerror(errno));
	if (!*exists && errno != ENOENT)
		return dv_fail(e, DV_EIO, _("%s: cannot look at the database: %s"), path, strerror(errno));
	if (!*exists && !(flags & DB_OPEN_CREATE))
		return dv_fail(e, DV_ENOTFOUND, _("%s: no database here; create one with 'dovira --db %s init'"), path, path);
	if (*exists && S_ISDIR(sb.st_mode))
		return dv_fail(e, DV_EINVAL, _("%s: is a directory, not a database file"), path);
	if (*exists && !S_ISREG(sb.st_mode))
		return dv_fail(e, DV_EINVAL, _("%s: is not a regular file (a FIFO, a device or a socket); a database is a regular file"), path);
	if (*exists && eaccess(path, R_OK) != 0 && errno == EACCES)
		return dv_fail(e, DV_EREADONLY, _("%s: your account may not read the database; on a server it belongs to the program's group and only the installed dovira opens it; run that, or ask the administrator"),
			       path);
	if (flags & DB_OPEN_READONLY)
		return *exists && eaccess(path, R_OK) != 0
			? dv_fail(e, DV_EREADONLY, _("%s: cannot read the database: %s"), path, strerror(errno)) : DV_OK;
	if (*exists && eaccess(path, W_OK) != 0)
		return dv_fail(e, DV_EREADONLY, _("%s: the database file is read-only (%s); ask the administrator to give your account write permission"),
			       path, strerror(errno));
	char *dir = dir_of(path);
	int code = DV_OK;
	if (eaccess(dir, W_OK | X_OK) != 0)
		code = dv_fail(e, DV_EREADONLY, _("%s: the directory %s is not writable (%s); SQLite keeps its journal beside the database, so the directory must be writable"),
			       path, dir, strerror(errno));
	free(dir);
	return code;
}

static int set_pragmas(dv_db *db, dv_error *e)
{
	char sql[128];
	db_set_busy_timeout(db, db->busy_ms);
	/* A page cache of 16 MiB (the default is 2 MiB) holds the directory's
	 * search index for 10,000 entries, so a keystroke reads no page from
	 * the file twice (tests/bench/bench_orgs.c). secure_delete: text that
	 * is cleared or rewritten (retention, a note edited in a draft) is
	 * overwritten in the file, not just unlinked. */
	if (dbi_exec(db, "PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL; PRAGMA cache_size=-16384;"
		      " PRAGMA secure_delete=ON;", e))
		return e ? e->code : DV_EINTERNAL;
	if (db->readonly)
		return DV_OK;
	snprintf(sql, sizeof sql, "PRAGMA journal_mode=%s", db_journal_mode());
	return query_int(db, sql, e) == -1 && e && e->code ? e->code : DV_OK;
}

/* The position of the keyed-audit migration in the array: a database of
 * user_version v has it if v > this. */
static int audit_index(void)
{
	for (int i = 0; i < schema_nmigrations; i++)
		if (schema_migrations[i] == schema_audit_keyed)
			return i;
	return schema_nmigrations;
}

/* Take the database from its version to target, one transaction a step. */
static int migrate(dv_db *db, int from, int target, dv_error *e)
{
	for (int v = from; v < target; v++) {
		char sql[96];
		if (dbi_begin(db, e))
			return e->code;
		snprintf(sql, sizeof sql, "PRAGMA application_id=%d; PRAGMA user_version=%d;", DB_APPLICATION_ID, v + 1);
		int rc = sqlite3_exec(db->h, schema_migrations[v], NULL, NULL, NULL);
		if (rc == SQLITE_OK)
			rc = sqlite3_exec(db->h, sql, NULL, NULL, NULL);
		if (rc != SQLITE_OK) {
			dbi_fail(db, rc, _("upgrading the database"), e);
			dbi_rollback(db);
			return e->code;
		}
		db->audit_legacy = v < audit_index();
		if (schema_migrations[v] == schema_audit_keyed && dbi_audit_upgrade(db, e)) {
			dbi_rollback(db);
			return e->code;
		}
		if (schema_migrations[v] == schema_audit_records && dbi_audit_records_baseline(db, e)) {
			dbi_rollback(db);
			return e->code;
		}
		if (dbi_commit(db, e))
			return e->code;
	}
	return DV_OK;
}

/* Read application_id and user_version and decide what to do. */
static int identify(dv_db *db, int flags, int target, int *version, dv_error *e)
{
	long long app = query_int(db, "PRAGMA application_id", e);
	if (app == -1)
		return e->code;
	*version = (int)query_int(db, "PRAGMA user_version", e);
	long long tables = query_int(db, "SELECT count(*) FROM sqlite_schema", e);
	if (tables == -1)
		return e->code;
	if (app == 0 && *version == 0 && tables == 0) {
		if (flags & DB_OPEN_CREATE)
			return DV_OK;
		return dv_fail(e, DV_ENOTDB, _("%s: the database is empty; create it with 'dovira --db %s init'"), db->path, db->path);
	}
	if (app != DB_APPLICATION_ID)
		return dv_fail(e, DV_ENOTDB, _("%s: not a dovira database (an SQLite file of another program)"), db->path);
	if (*version > schema_nmigrations)
		return dv_fail(e, DV_ETOONEW, _("%s: the database has schema version %d, newer than this program understands (%d); install the newer dovira"),
			       db->path, *version, schema_nmigrations);
	if ((flags & DB_OPEN_CREATE) && *version > 0)
		return dv_fail(e, DV_EINVAL, _("%s: a dovira database already exists here"), db->path);
	(void)target;
	return DV_OK;
}

/* Where the audit key and the anchors are for this database (settings.h). */
static int locate_key(dv_db *db, dv_error *e)
{
	dv_settings st;
	if (settings_load(&st, db->path, e))
		return e->code;
	db->key_path = st.audit_key;
	db->anchors_path = st.audit_anchors;
	db->key_own = st.audit_key_own;
	db->run_dir = st.run_dir;
	st.audit_key = st.audit_anchors = st.run_dir = NULL;
	settings_free(&st);
	return DV_OK;
}

/* Open, identify, create or migrate up to target. */
dv_db *dbi_open_version(const char *path, int flags, int target, dv_error *e)
{
	int exists, version = 0;
	if (check_local(path, e) || check_access(path, flags, &exists, e))
		return NULL;
	dv_db *db = xcalloc(1, sizeof *db);
	db->path = xstrdup(path);
	db->readonly = !!(flags & DB_OPEN_READONLY);
	db->busy_ms = DEFAULT_BUSY_MS;
	if (locate_key(db, e))
		goto fail;
	int oflags = db->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | (flags & DB_OPEN_CREATE ? SQLITE_OPEN_CREATE : 0);
	int rc = sqlite3_open_v2(path, &db->h, oflags | SQLITE_OPEN_NOFOLLOW, db_pages_vfs());
	if (rc != SQLITE_OK) {
		dbi_fail(db, rc, _("opening"), e);
		goto fail;
	}
	sqlite3_extended_result_codes(db->h, 1);
	/* Installed setgid, every session writes through the program's group:
	 * a new database is 0660 (SQLite gives its journal the same mode); so
	 * is one made in a directory shared by a group (priv_dir_shared). */
	gid_t shared_gid;
	if (!exists && (priv_setgid() || priv_dir_shared(path, &shared_gid)) && chmod(path, 0660) != 0) {
		dv_fail(e, DV_EIO, _("%s: cannot let the program's group write the new database: %s"), path, strerror(errno));
		goto fail;
	}
	if (set_pragmas(db, e) || identify(db, flags, target, &version, e))
		goto fail;
	db->audit_legacy = version <= audit_index();
	if (version < target && !(flags & DB_OPEN_NO_MIGRATE)) {
		if (db->readonly) {
			dv_fail(e, DV_EREADONLY, _("%s: the database needs an upgrade to version %d; open it once with write access"), path, target);
			goto fail;
		}
		if (migrate(db, version, target, e))
			goto fail;
	}
	db->created = version == 0 && (flags & DB_OPEN_CREATE) && !db->readonly;
	return db;
fail:
	db_close(db);
	if (!exists && (flags & DB_OPEN_CREATE))
		unlink(path);
	return NULL;
}

dv_db *db_open(const char *path, int flags, dv_error *e)
{
	return dbi_open_version(path, flags, schema_nmigrations, e);
}

int db_created(const dv_db *db)
{
	return db->created;
}

void db_close(dv_db *db)
{
	if (!db)
		return;
	for (int i = 0; i < db->ncache; i++)
		sqlite3_finalize(db->cache[i].st);
	drop_kept(db);
	sqlite3_close_v2(db->h);
	if (db->map)
		munmap(db->map, db->map_len);
	if (db->has_copy_fd)
		db_copy_drop(db->copy_fd);
	free(db->path);
	free(db->key_path);
	free(db->anchors_path);
	free(db->run_dir);
	free(db->pending_dir);
	free(db->intent_pending);
	free(db->intent_claimed);
	if (db->spare)
		unlink(db->spare);
	free(db->spare);
	if (db->wake)
		munmap(db->wake, COMBINE_WAKE_MAP);
	free(db);
}

const char *db_path(const dv_db *db)
{
	return db->path;
}

static int integrity(dv_db *db, const char *pragma, const char *fk_skip, dv_buf *report, dv_error *e);

/* Append every row of a one-column check query to report. */
static int collect(dv_db *db, const char *sql, const char *ok_row, dv_buf *report, dv_error *e)
{
	sqlite3_stmt *st = dbi_prepare(db, sql, e);
	if (!st)
		return e->code;
	int rc, bad = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		if (ok_row && t && strcmp(t, ok_row) == 0)
			continue;
		dv_buf_printf(report, "%s\n", t ? t : "?");
		bad++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return dbi_fail(db, rc, _("checking the database"), e);
	return bad ? DV_ECORRUPT : DV_OK;
}

int db_integrity(dv_db *db, dv_buf *report, dv_error *e)
{
	return integrity(db, "PRAGMA integrity_check", NULL, report, e);
}

int db_integrity_quick(dv_db *db, dv_buf *report, dv_error *e)
{
	return integrity(db, "PRAGMA quick_check", NULL, report, e);
}

int db_integrity_but(dv_db *db, int full, const char *fk_skip, dv_buf *report, dv_error *e)
{
	return integrity(db, full ? "PRAGMA integrity_check" : "PRAGMA quick_check", fk_skip, report, e);
}

static int integrity(dv_db *db, const char *pragma, const char *fk_skip, dv_buf *report, dv_error *e)
{
	int a = collect(db, pragma, "ok", report, e);
	if (a != DV_OK && a != DV_ECORRUPT)
		return a;
	/* Table by table, so that one may be left out; a table WITHOUT ROWID
	 * has no row number to name. */
	char *fk = sqlite3_mprintf("SELECT 'foreign key: ' || f.\"table\" || coalesce(' row ' || f.rowid, '') || ' refers to a missing ' || f.parent"
				   " FROM sqlite_schema s, pragma_foreign_key_check(s.name) f WHERE s.type = 'table' AND s.name IS NOT %Q",
				   fk_skip);
	int b = fk ? collect(db, fk, NULL, report, e) : dv_fail(e, DV_EINTERNAL, "%s", strerror(ENOMEM));
	sqlite3_free(fk);
	if (b != DV_OK && b != DV_ECORRUPT)
		return b;
	return a || b ? DV_ECORRUPT : DV_OK;
}

/* The schema objects of h as "type name\tsql" lines, sorted. SQLite's own
 * statistics tables are left out: ANALYZE may make them at any time. */
static int schema_lines(sqlite3 *h, dv_buf *out)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(h, "SELECT type, name, coalesce(replace(sql, char(10), ' '), '') FROM sqlite_schema"
		" WHERE name NOT LIKE 'sqlite_stat%' ORDER BY type, name", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		dv_buf_printf(out, "%s %s\t%s\n", sqlite3_column_text(st, 0), sqlite3_column_text(st, 1), sqlite3_column_text(st, 2));
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* The line of want (a schema_lines buffer) for "type name", or NULL. */
static const char *find_line(const char *lines, const char *key, size_t klen)
{
	for (const char *p = lines; p && *p; p = strchr(p, '\n') + 1)
		if (strncmp(p, key, klen) == 0 && p[klen] == '\t')
			return p;
	return NULL;
}

/* Report each object of one list that the other lacks or has differently. */
static int schema_diff(const char *have, const char *want, dv_buf *report)
{
	int bad = 0;
	for (const char *p = want; *p; p = strchr(p, '\n') + 1) {
		size_t klen = strcspn(p, "\t"), llen = strcspn(p, "\n");
		const char *h = find_line(have, p, klen);
		if (!h)
			dv_buf_printf(report, _("schema: %.*s is missing: it was dropped outside the program\n"), (int)klen, p), bad++;
		else if (strncmp(h, p, llen) != 0 || h[llen] != '\n')
			dv_buf_printf(report, _("schema: %.*s differs from the one the program created: it was altered outside the program\n"), (int)klen, p), bad++;
	}
	for (const char *p = have; *p; p = strchr(p, '\n') + 1) {
		size_t klen = strcspn(p, "\t");
		if (!find_line(want, p, klen))
			dv_buf_printf(report, _("schema: %.*s is not one the program created: it was added outside the program\n"), (int)klen, p), bad++;
	}
	return bad;
}

int db_check_schema(dv_db *db, dv_buf *report, dv_error *e)
{
	int version = db_schema_version(db);
	if (version < 1 || version > schema_nmigrations)
		return dv_fail(e, DV_ENOTDB, _("%s: unknown schema version %d"), db->path, version);
	sqlite3 *mem = NULL;
	dv_buf want = {0}, have = {0};
	int rc = sqlite3_open(":memory:", &mem);
	for (int v = 0; rc == SQLITE_OK && v < version; v++)
		rc = sqlite3_exec(mem, schema_migrations[v], NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = schema_lines(mem, &want);
	sqlite3_close(mem);
	if (rc != SQLITE_OK) {
		dv_buf_free(&want);
		return dv_fail(e, DV_EINTERNAL, _("building the reference schema: %s"), sqlite3_errstr(rc));
	}
	rc = schema_lines(db->h, &have);
	int code = rc == SQLITE_OK ? DV_OK : dbi_fail(db, rc, _("reading the schema"), e);
	if (!code && schema_diff(have.s ? have.s : "", want.s ? want.s : "", report))
		code = DV_ECORRUPT;
	dv_buf_free(&want);
	dv_buf_free(&have);
	return code;
}

/* db.h: the dovira database: open, create, migrate, check, copy.
 *
 * One SQLite file holds the calls, the directory, the staff and the audit
 * trail. Opening sets synchronous=FULL, foreign_keys=ON and a busy timeout;
 * the journal mode comes from the linked SQLite (see db_journal_mode()).
 * Every write elsewhere in the core is one short BEGIN IMMEDIATE
 * transaction; none is ever held open while the program waits for a key.
 *
 * Failures are mapped to messages a person can act on (dv_code in util.h):
 * locked past the timeout, read-only file or directory, not a dovira
 * database, corrupt, disk full, a schema newer than this program, a
 * network filesystem.
 */
#ifndef DOVIRA_DB_H
#define DOVIRA_DB_H

#include "dovira/util.h"

/* The schema version this program writes (PRAGMA user_version). */
#define DB_SCHEMA_VERSION 18
/* PRAGMA application_id of a dovira database: "DVRA" in ASCII. */
#define DB_APPLICATION_ID 0x44565241

typedef struct dv_db dv_db;

enum {
	DB_OPEN_CREATE = 1 << 0,   /* create the file if missing (init) */
	DB_OPEN_READONLY = 1 << 1, /* open without writing (check, --version) */
	DB_OPEN_NO_MIGRATE = 1 << 2 /* tests: leave an old schema as it is */
};

/* Open the database at path. With DB_OPEN_CREATE a missing file is created
 * and given the current schema (and nothing else: its first administrator
 * and seed data are setup.h's work). Without it, a missing file is
 * DV_ENOTFOUND. An existing older schema is migrated, each version step in
 * one transaction. Returns the handle, or NULL with *e set (a file this
 * call created is removed again). The caller closes it. */
dv_db *db_open(const char *path, int flags, dv_error *e);

/* 1 if the db_open that returned db gave the file its schema (a new
 * database), else 0. */
int db_created(const dv_db *db);

/* 1 if a rollback journal with content lies beside the database: a write
 * was under way, or a crash left it ("hot"). The next connection allowed
 * to write rolls a hot journal back; a read-only one cannot. */
int db_hot_journal(const char *path);

/* Close the handle (NULL is fine). */
void db_close(dv_db *db);

/* The path the handle was opened with. */
const char *db_path(const dv_db *db);

/* The SQLite library version in use, e.g. "3.40.1". */
const char *db_sqlite_version(void);

/* The journal mode dovira uses with the linked SQLite: "wal" if the library
 * has the WAL-reset fix (3.51.3 and later; backports 3.44.6+ in 3.44.x,
 * 3.50.7+ in 3.50.x), else "delete" (the rollback journal). */
const char *db_journal_mode(void);

/* The same decision for a given sqlite3_libversion_number(), for tests. */
const char *db_journal_mode_for(int libversion_number);

/* 1 if a statfs f_type names a network or remote filesystem (NFS, SMB/CIFS,
 * FUSE such as sshfs, AFS, Ceph, 9p, ...), else 0. */
int db_fs_type_is_network(long f_type);

/* Schema version of the open file. */
int db_schema_version(dv_db *db);

/* Run PRAGMA integrity_check and foreign_key_check. Each problem is
 * appended to *report as one line. Returns DV_OK if none, DV_ECORRUPT if
 * any, or another code if the check could not run. */
int db_integrity(dv_db *db, dv_buf *report, dv_error *e);

/* The same with PRAGMA quick_check: every page, record and constraint, but
 * not whether each index holds exactly the entries of its table, which
 * takes several times as long on a large file (a million calls: about
 * 2 s against 12). */
int db_integrity_quick(dv_db *db, dv_buf *report, dv_error *e);

/* Either of them (full: db_integrity), leaving out the foreign keys of
 * table fk_skip, for a caller that proves them itself: `dovira check` on
 * a snapshot reads every answer beside its call anyway (the records
 * against the audit), which costs nothing there and a second at a
 * million calls here. */
int db_integrity_but(dv_db *db, int full, const char *fk_skip, dv_buf *report, dv_error *e);

/* Compare the schema (tables, indexes, triggers, views) with the one a
 * fresh database of the same version gets from the same migrations. Each
 * object missing, altered or added is appended to *report as one line.
 * DV_OK, DV_ECORRUPT, or another code if it could not be read. */
int db_check_schema(dv_db *db, dv_buf *report, dv_error *e);

/* What a copy cost: the longest time it held writers back (a read lock),
 * the whole time, its passes over the file and the bytes written; the
 * read locks it took, the longest it waited for one (behind writers),
 * the last lock, which makes the copy whole: how long it was held and how
 * many bytes it read; and the rounds that copied only the blocks the log
 * of changes named (db_pages.c), not comparing the whole file. */
typedef struct db_copy_stats {
	double lock_ms_max;
	double total_ms;
	int passes;
	long long bytes;
	int locks;
	double lock_wait_ms_max;
	double last_lock_ms;
	long long last_bytes;
	int log_rounds;
} db_copy_stats;

/* Copy the database while others write, into a new unnamed file
 * (O_TMPFILE) in dir: one pass of small pieces under short read locks,
 * catch-up passes, and under a steady load one last pass under a single
 * read lock that only compares and fixes up (db_copy.c). Returns the
 * file's descriptor (the caller closes it with db_copy_drop; the file
 * vanishes unless it was linked), or -1 with *e set. st receives the
 * costs. The file is made with the rights of the person running dovira,
 * never its setgid group (priv.h), as db_link_copy names it: dir is
 * their choice. */
int db_copy_unnamed(dv_db *db, const char *dir, db_copy_stats *st, dv_error *e);

/* Open such a copy read-only (the file itself through /proc/self/fd, or
 * else its pages mapped in memory; nothing is copied again), with the
 * audit key and anchors of like; name is what messages call it. */
dv_db *db_open_copy(dv_db *like, int fd, const char *name, dv_error *e);

/* Give the unnamed copy behind fd the name dest (which must not exist). */
int db_link_copy(int fd, const char *dest, dv_error *e);

/* Close a copy's descriptor. A copy on disk that closing frees (unnamed,
 * never linked) is cut a slice at a time first, with pauses, so that
 * freeing its blocks does not hold up the writers' commits. */
void db_copy_drop(int fd);

/* Bytes of memory the system can give without swapping (MemAvailable),
 * or 0 if unknown. */
long long db_mem_available(void);

/* A consistent private copy of the database, made the same way, opened
 * read-only: long reads (check) run on it without holding writers back.
 * It is held in memory when a quarter of the memory available holds it,
 * else it needs as much free space beside the database as the database
 * takes; it is gone when closed (db_close). NULL with *e set on failure. */
dv_db *db_snapshot(dv_db *db, db_copy_stats *st, dv_error *e);

/* A second read-only connection to the same snapshot (nothing is copied),
 * so that two parts of a check can read it at once, each in its own
 * thread. Close it (db_close) before the snapshot. NULL with *e set if
 * snap is not a snapshot. */
dv_db *db_snapshot_twin(dv_db *snap, dv_error *e);

/* Change the busy timeout in milliseconds (default 5000). */
void db_set_busy_timeout(dv_db *db, int ms);

#endif

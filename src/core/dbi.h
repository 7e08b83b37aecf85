/* dbi.h: the core's private view of the database handle.
 *
 * Only the store modules of src/core (db, staff, audit, calls, orgs)
 * include this header and <sqlite3.h>; the screens and the command line
 * see only the plain structs and functions of include/dovira/.
 */
#ifndef DOVIRA_DBI_H
#define DOVIRA_DBI_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "dovira/db.h"
#include "sha256.h"

#define DBI_CACHE_MAX 48

struct dv_db {
	sqlite3 *h;
	char *path;
	int readonly;
	int busy_ms;
	double busy_since; /* when the current wait for a lock began (ms) */
	unsigned jitter;   /* spreads the retries of waiting writers */
	double last_commit; /* when this connection last committed (ms, dbi_begin) */
	int beginning;      /* inside dbi_begin's BEGIN IMMEDIATE (busy_wait) */
	long busy_tries;    /* lock attempts SQLite retried after busy_wait (tests) */
	/* Draft saves done many to a commit (combine.h): this connection's
	 * nonce and save number; while a save waits as an intent, its file's
	 * names pending and claimed (busy_wait stops waiting once neither is
	 * there) and why the wait ended (intent_end); try_only: busy_wait
	 * gives up at once; carried: the saves the last combined commit of
	 * this connection carried (0 if another applied its save). */
	char nonce[33];
	long seq;
	char *intent_pending, *intent_claimed;
	char *spare;       /* this connection's spare intent file (combine.c), removed at close */
	time_t swept;      /* when its combiner last removed stale files there */
	int intent_end;
	int try_only;
	int intent_grace_ms; /* past the busy timeout, the wait for a claimed
			      * intent's commit (0: INTENT_GRACE_MS, db.c) */
	long wait_look_us;   /* a waiting save's look by itself (0: WAIT_LOOK_US, db.c) */
	int carried;
	long tx_count;  /* combined transactions led, from 1 */
	long role_ok_tx; /* the one in which role_ok was found active (calls.c) */
	char role_ok[64];
	unsigned *wake; /* the wake-up word (combine.h), mapped; NULL until then */
	int wake_later; /* the commit's end wakes no waiter: its combiner does,
			 * once the files of the saves it carried are gone */
	/* The audit key (settings.h): where it is, whether the program may
	 * create it, and once read, the HMAC state made from it. */
	char *key_path, *anchors_path;
	/* The sessions' shared files (settings.h run_dir, or NULL), and the
	 * directory of pending saves, fixed at its first use (priv_pending_dir). */
	char *run_dir, *pending_dir;
	/* BEGIN IMMEDIATE, COMMIT and ROLLBACK, prepared at the first BEGIN
	 * and kept (db.c step_kept). */
	sqlite3_stmt *st_begin, *st_commit, *st_rollback;
	int key_own, key_loaded;
	int audit_legacy; /* 1 while the schema predates the keyed chain */
	hmac_key key;
	/* Statements prepared once and kept (dbi_cached), with when each was
	 * last asked for (the least recently used goes when it is full). */
	struct { const char *sql; sqlite3_stmt *st; unsigned long used; } cache[DBI_CACHE_MAX];
	int ncache;
	unsigned long cache_tick;
	/* Statements prepared while this connection held the write lock, and
	 * the last of them: all the others wait for such a prepare (one that
	 * fires the report triggers takes 8 to 15 ms). Tests read them. */
	long locked_prepares;
	const char *locked_prepare_sql;
	/* A copy opened from memory (db_copy.c): unmapped on close; and the
	 * unnamed file behind a snapshot, so that a twin may open it as a
	 * file (has_copy_fd: copy_fd is open, closed on close). */
	void *map;
	size_t map_len;
	int copy_fd, has_copy_fd;
	int created; /* this open gave the file its schema (db_created) */
	void *rank;     /* orgs_search's rank cache, once dv_rank is registered;
	                 * freed by SQLite with the connection */
};

/* The log of the blocks each commit changed (db_pages.c), in blocks of
 * DB_PAGES_BLOCK bytes. db_pages_vfs: the name of the VFS that keeps it,
 * for sqlite3_open_v2 (NULL: SQLite's default, nothing logged).
 * db_pages_open: the log of the database at db_path (open at db_fd),
 * created if need be; -1 if it cannot be. With a read lock held,
 * db_pages_start starts it afresh if it is about another file, and
 * db_pages_since returns 1 and the blocks below nblocks that commits
 * after since changed (in *blocks, xrealloc'd; *n of them) when the log
 * holds every commit from since up to now (the file's change counter),
 * else 0. */
#define DB_PAGES_BLOCK 4096
/* Tests only: called between the pieces (of PIECE bytes, 4 MiB) of a
 * copy's pass, with no lock held, so that a test can commit there. */
extern void (*db_copy_piece_hook)(int piece);
const char *db_pages_vfs(void);
int db_pages_open(const char *db_path, int db_fd);
int db_pages_start(int log_fd, int db_fd);
int db_pages_since(int log_fd, int db_fd, uint32_t since, uint32_t now, size_t nblocks, size_t **blocks, size_t *n);

/* A statement prepared once per handle and kept until db_close: sql must
 * be a string that lives as long (a literal); the statement comes back
 * reset with its bindings cleared. The caller must not finalize it, and
 * should reset it when done so that it holds no read lock. NULL with *e
 * set if it does not prepare. */
sqlite3_stmt *dbi_cached(dv_db *db, const char *sql, dv_error *e);
/* 1 if sql is in db's statement cache (prepared, nothing run). */
int dbi_is_cached(dv_db *db, const char *sql);
/* Prepare each statement a write will need into the cache before the
 * write lock is taken (a NULL ends the list), so that the lock is not
 * held while they compile. Failures are left to the write, which says
 * them. */
void dbi_warm(dv_db *db, ...);

/* Read the audit key (creating it first if it is the default one beside
 * the database, may_create is set and it is missing). Returns DV_OK once
 * db->key is usable. audit.c. */
int dbi_audit_key(dv_db *db, int may_create, dv_error *e);

/* Prepare the statements audit_append uses (dbi_warm). audit.c. */
void dbi_audit_warm(dv_db *db);

/* The account's role if it is active: session_recheck and the combiner
 * read it inside write transactions. */
extern const char DBI_SQL_ROLE_OF[];

/* Called inside the migration that introduces the keyed chain: seal the
 * rows written before it (if any) and record a baseline digest of every
 * staff row and final call. audit.c. */
int dbi_audit_upgrade(dv_db *db, dv_error *e);
/* Called inside the migration after which the directory and the cases
 * are checked against the audit: a baseline digest of every entry and
 * case. audit.c. */
int dbi_audit_records_baseline(dv_db *db, dv_error *e);

/* Map the last SQLite failure on db (rc is the result code) to a dv_code
 * and a message that says what to do; what names the operation
 * (already translated), e.g. "saving the call". Returns the dv_code. */
int dbi_fail(dv_db *db, int rc, const char *what, dv_error *e);

/* Why a BEGIN waiting for a posted intent stopped (dv_db.intent_end). */
enum { INTENT_WAITING, INTENT_GONE, INTENT_WITHDRAWN };

/* 1 if another connection holds the write lock of the database (a
 * look that takes no lock), else 0. */
int dbi_write_locked(dv_db *db);
/* BEGIN IMMEDIATE, waiting up to the busy timeout. */
int dbi_begin(dv_db *db, dv_error *e);
/* COMMIT; on failure the transaction is rolled back. */
int dbi_commit(dv_db *db, dv_error *e);
/* ROLLBACK, ignoring errors (the transaction may already be gone). */
void dbi_rollback(dv_db *db);

/* Prepare sql; on failure set *e (DV_EINTERNAL or a mapped code), NULL. */
sqlite3_stmt *dbi_prepare(dv_db *db, const char *sql, dv_error *e);

/* Execute one or more statements without results. */
int dbi_exec(dv_db *db, const char *sql, dv_error *e);

/* Bind a text or NULL (if s is NULL) to parameter i. */
void dbi_bind_text(sqlite3_stmt *st, int i, const char *s);

/* A copy of column i as text, or NULL if the column is NULL. */
char *dbi_col_dup(sqlite3_stmt *st, int i);


/* Open path and bring its schema only up to version target (tests use it
 * to make databases of earlier versions). flags as in db_open. */
dv_db *dbi_open_version(const char *path, int flags, int target, dv_error *e);

#endif

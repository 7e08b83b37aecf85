/* Unit tests of copies made while others write (db_copy.c, db_pages.c):
 * commits land between the pieces of the copy's first pass; the copy must
 * come out byte for byte the database as it is once they are done, and
 * its last read lock must read only what changed when every commit was
 * dovira's (the log of changed blocks), the whole file when one was not. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <time.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <linux/magic.h>
#include <sys/wait.h>

#include "../../src/core/dbi.h"
#include "tap.h"
#include "testlib.h"

#define ROWS 24000 /* of about 1 KiB: a file of some 30 MB, several pieces */

static char *dir;
static char path[256];
static sqlite3 *writer; /* the connection the hook commits on */
/* What the hook does after each piece of a pass: 0 nothing, else that
 * many transfers (MANY: rewrite half the rows); each happens once. */
#define MANY 1000
static int at_piece[16];
static sqlite3 *by[16]; /* on this connection instead of writer's */
static unsigned seed = 7;

/* A transfer between two rows far apart (two blocks change in one
 * commit: a copy that takes one without the other is torn), and now
 * and then a new row at the end of the file. */
static void transfer(void)
{
	seed = seed * 1103515245u + 12345u;
	/* a in the first piece (copied before any hook runs), b in the middle */
	int a = 1 + (int)((seed >> 8) % (ROWS / 8)), b = a + ROWS / 2, amount = 1 + (int)((seed >> 20) % 100);
	char sql[300];
	snprintf(sql, sizeof sql, "BEGIN IMMEDIATE; UPDATE t SET v = v - %d WHERE id = %d; UPDATE t SET v = v + %d WHERE id = %d;"
		 "%s COMMIT;", amount, a, amount, b, seed % 3 ? "" : " INSERT INTO t(v, pad) VALUES (0, randomblob(3000));");
	if (sqlite3_exec(writer, sql, NULL, NULL, NULL) != SQLITE_OK)
		printf("# transfer: %s\n", sqlite3_errmsg(writer));
}

static void hook(int piece)
{
	if (piece >= 16 || !at_piece[piece])
		return;
	int n = at_piece[piece];
	sqlite3 *w = writer;
	at_piece[piece] = 0;
	if (by[piece])
		writer = by[piece];
	if (n == MANY) {
		if (sqlite3_exec(writer, "UPDATE t SET pad = randomblob(1000) WHERE id % 2 = 0", NULL, NULL, NULL) != SQLITE_OK)
			printf("# rewrite: %s\n", sqlite3_errmsg(writer));
		n = 0;
	}
	while (n--)
		transfer();
	writer = w;
}

static long long file_size(const char *p)
{
	struct stat sb;
	return stat(p, &sb) == 0 ? (long long)sb.st_size : -1;
}

/* 1 if the file behind fd holds exactly what the file at p does. */
static int same_bytes(int fd, const char *p)
{
	int src = open(p, O_RDONLY);
	static char a[1 << 16], b[1 << 16];
	off_t off = 0;
	int same = src >= 0 && lseek(fd, 0, SEEK_END) == lseek(src, 0, SEEK_END);
	while (same) {
		ssize_t x = pread(fd, a, sizeof a, off), y = pread(src, b, sizeof b, off);
		if (x != y || x < 0 || memcmp(a, b, (size_t)x) != 0)
			same = 0;
		if (x <= 0)
			break;
		off += x;
	}
	if (src >= 0)
		close(src);
	return same;
}

/* Copy the database while the hook commits on w; the copy's stats. */
static int copy_now(sqlite3 *w, db_copy_stats *st, const char *what)
{
	dv_error e;
	writer = w;
	dv_db *db = db_open(path, 0, &e);
	int fd = db ? db_copy_unnamed(db, dir, st, &e) : -1;
	if (fd < 0)
		printf("# %s: %s\n", what, e.msg);
	db_close(db);
	ok(fd >= 0 && same_bytes(fd, path), "%s: the copy is the database as it now is, byte for byte", what);
	if (fd >= 0)
		close(fd);
	return fd >= 0;
}

static sqlite3 *dovira_conn(void)
{
	dv_error e;
	dv_db *db = db_open(path, 0, &e);
	if (!db) {
		printf("# %s\n", e.msg);
		exit(1);
	}
	/* The handle outlives the dv_db shell: only SQLite's half is used. */
	sqlite3 *h = db->h;
	db->h = NULL;
	db_close(db);
	return h;
}

static void make_db(void)
{
	dv_error e;
	snprintf(path, sizeof path, "%s/d.db", dir);
	dv_db *db = db_open(path, DB_OPEN_CREATE, &e);
	if (!db) {
		printf("# %s\n", e.msg);
		exit(1);
	}
	char sql[400];
	snprintf(sql, sizeof sql, "CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER NOT NULL, pad BLOB);"
		 " WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)"
		 " INSERT INTO t(v, pad) SELECT 0, randomblob(1000) FROM n;", ROWS);
	sqlite3_stmt *st = NULL;
	ok(dbi_exec(db, sql, &e) == DV_OK && sqlite3_prepare_v2(db->h, "SELECT count(*) FROM t", -1, &st, NULL) == SQLITE_OK
	   && sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == ROWS, "a database of %d rows of 1 KiB", ROWS);
	sqlite3_finalize(st);
	db_close(db);
}

/* Writers in processes of their own, transferring between random rows
 * back to back until killed: raw ones through SQLite's own VFS (not
 * logged), the others through dovira's. */
static void busy_writer(int id, int raw)
{
	sqlite3 *h = NULL;
	if (raw)
		sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE, NULL);
	else
		h = dovira_conn();
	sqlite3_busy_timeout(h, 20000);
	seed = (unsigned)id * 7919u;
	writer = h;
	for (;;) {
		seed = seed * 1103515245u + 12345u;
		int a = 1 + (int)((seed >> 8) % ROWS), b = 1 + (int)((seed >> 3) % ROWS), amount = 1 + (int)(seed % 50);
		char sql[300];
		snprintf(sql, sizeof sql, "BEGIN IMMEDIATE; UPDATE t SET v = v - %d WHERE id = %d; UPDATE t SET v = v + %d WHERE id = %d; COMMIT;",
			 amount, a, amount, b);
		if (sqlite3_exec(h, sql, NULL, NULL, NULL) != SQLITE_OK)
			sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
	}
}

/* Copies taken while three processes write (raw of them not through
 * dovira): each must be whole (integrity) and of one moment (the
 * transfers sum to zero). The number of copies the log served. */
static int copies_under_load(int raw, int copies, const char *what)
{
	pid_t kid[3];
	fflush(stdout);
	for (int i = 0; i < 3; i++)
		if ((kid[i] = fork()) == 0)
			busy_writer(i + 1, i < raw);
	int torn = 0, by_log = 0;
	for (int k = 0; k < copies; k++) {
		db_copy_stats st;
		dv_error e;
		dv_db *db = db_open(path, 0, &e);
		int fd = db ? db_copy_unnamed(db, dir, &st, &e) : -1;
		dv_db *copy = fd >= 0 ? db_open_copy(db, fd, "copy", &e) : NULL;
		db_close(db);
		sqlite3_stmt *s = NULL;
		long long sum = -1;
		if (copy && sqlite3_prepare_v2(copy->h, "SELECT sum(v) FROM t", -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
			sum = sqlite3_column_int64(s, 0);
		sqlite3_finalize(s);
		dv_buf r = {0};
		int whole = copy && db_integrity(copy, &r, &e) == DV_OK;
		if (sum != 0 || !whole)
			printf("# %s: copy %d: sum %lld, integrity %s\n", what, k, sum, r.s ? r.s : whole ? "ok" : e.msg);
		dv_buf_free(&r);
		db_close(copy);
		if (fd >= 0)
			close(fd);
		torn += sum != 0 || !whole;
		by_log += st.log_rounds > 0;
	}
	for (int i = 0; i < 3; i++)
		kill(kid[i], SIGKILL);
	for (int i = 0; i < 3; i++)
		waitpid(kid[i], NULL, 0);
	is_int(torn, 0, "%s: %d copies, each whole and of one moment", what, copies);
	return by_log;
}

/* Write the change counter (header bytes 24-27, big-endian, and its copy
 * at 92-95 that vouches for the header's page count), nobody connected. */
static int set_counter(uint32_t v)
{
	unsigned char b[4] = {v >> 24, v >> 16, v >> 8, v};
	int fd = open(path, O_RDWR);
	int done = fd >= 0 && pwrite(fd, b, 4, 24) == 4 && pwrite(fd, b, 4, 92) == 4;
	if (fd >= 0)
		close(fd);
	return done;
}

/* db_copy_drop: an unnamed copy on disk is cut a slice at a time before
 * it is freed; a named one (a backup, once linked) is never touched. */
static void test_drop(void)
{
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	ok(fd >= 0 && ftruncate(fd, 200LL << 20) == 0, "an unnamed file of 200 MB");
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	db_copy_drop(fd);
	clock_gettime(CLOCK_MONOTONIC, &b);
	double ms = (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6;
	ok(fcntl(fd, F_GETFD) == -1 && errno == EBADF, "dropped: its descriptor is closed");
	struct statfs fs;
	if (statfs(dir, &fs) == 0 && fs.f_type == TMPFS_MAGIC)
		ok(ms < 25, "in memory (tmpfs): freed at once (%.0f ms)", ms);
	else
		ok(ms >= 25, "on disk: freed in three slices of 64 MB with a pause after each (%.0f ms)", ms);

	char named[300];
	snprintf(named, sizeof named, "%s/kept.db", dir);
	fd = open(named, O_CREAT | O_RDWR | O_CLOEXEC, 0600);
	ok(fd >= 0 && ftruncate(fd, 200LL << 20) == 0, "a named file of 200 MB");
	db_copy_drop(fd);
	is_int((int)(file_size(named) >> 20), 200, "dropping its descriptor leaves it whole");
	fd = open(named, O_RDWR | O_CLOEXEC);
	unlink(named);
	ok(fd >= 0, "open, then its name removed");
	db_copy_drop(fd);
	ok(fcntl(fd, F_GETFD) == -1, "an unlinked file is dropped too");
}

int main(void)
{
	setenv("DOVIRA_CONF", "/nonexistent", 1);
	dir = test_tmpdir();
	make_db();
	test_drop();
	db_copy_piece_hook = hook;
	sqlite3 *ours = dovira_conn(), *shell = NULL;
	sqlite3_open_v2(path, &shell, SQLITE_OPEN_READWRITE, NULL); /* SQLite's own VFS: nothing logged */
	sqlite3_busy_timeout(shell, 5000);
	sqlite3_busy_timeout(ours, 5000);
	long long size = file_size(path);
	db_copy_stats st;

	copy_now(ours, &st, "nobody writes");
	is_int(st.passes, 1, "nobody writes: one pass");

	at_piece[0] = 3, at_piece[2] = 5, at_piece[4] = 2;
	copy_now(ours, &st, "dovira commits between pieces");
	ok(st.passes == 2 && st.log_rounds == 1, "dovira commits: one pass, then one that reads what the log says changed (%d, %d)",
	   st.passes, st.log_rounds);
	ok(st.last_bytes > 0 && st.last_bytes < size / 50,
	   "dovira commits: the last lock read %lld bytes of %lld (only the blocks changed)", st.last_bytes, size);
	struct stat db_sb, log_sb;
	char log[300];
	snprintf(log, sizeof log, "%s-pages", path);
	ok(stat(path, &db_sb) == 0 && stat(log, &log_sb) == 0 && (db_sb.st_mode & 0777) == (log_sb.st_mode & 0777)
	   && db_sb.st_gid == log_sb.st_gid, "the log beside the database has its mode and group");

	at_piece[1] = 1;
	size = file_size(path);
	copy_now(shell, &st, "the sqlite3 shell commits between pieces");
	ok(st.log_rounds == 0 && st.passes >= 2, "the shell's commit is not in the log: the copy compares the whole file again (%d passes)", st.passes);

	/* The shell's commit, then dovira's: the log's chain starts anew at
	 * dovira's, and cannot vouch for the shell's. */
	at_piece[0] = 1, by[0] = shell;
	at_piece[1] = 1, by[1] = ours;
	size = file_size(path);
	copy_now(ours, &st, "the shell commits, then dovira");
	ok(st.log_rounds == 0 && st.passes >= 2, "the shell's commit before dovira's: the whole file is compared again (%d passes)", st.passes);
	by[0] = by[1] = NULL;

	at_piece[0] = MANY, at_piece[3] = 2;
	size = file_size(path);
	copy_now(ours, &st, "a commit rewrites half the file between pieces");
	ok(st.log_rounds >= 2, "half the file changed: it is caught up under short locks before the last one (%d rounds by the log)", st.log_rounds);
	ok(st.last_bytes < size / 10, "and the last lock still reads only what changed meanwhile (%lld of %lld)", st.last_bytes, size);

	/* Another database put in its place: the log about the old file is
	 * started afresh, and serves the new one. */
	char other[300];
	snprintf(other, sizeof other, "%s/e.db", dir);
	sqlite3_close(ours);
	sqlite3_close(shell);
	char cmd[700];
	snprintf(cmd, sizeof cmd, "cp %s %s && mv %s %s", path, other, other, path);
	ok(system(cmd) == 0, "a copy of the database moved over it (a new file, the old log beside it)");
	ours = dovira_conn();
	sqlite3_busy_timeout(ours, 5000);
	at_piece[0] = 2, at_piece[2] = 2;
	size = file_size(path);
	copy_now(ours, &st, "the file replaced");
	ok(st.log_rounds == 1 && st.last_bytes < size / 50, "the file replaced: the log serves the new file (%lld of %lld)", st.last_bytes, size);
	sqlite3_close(ours);

	/* The change counter is 32 bits: after 2^32 commits it wraps to 0.
	 * A chain of logged commits across the wrap still serves a copy, and
	 * a copy during which the counter wraps is still exact. */
	ok(set_counter(0xfffffff0u), "the change counter set 16 commits short of 2^32");
	ours = dovira_conn();
	sqlite3_busy_timeout(ours, 5000);
	writer = ours;
	for (int i = 0; i < 24; i++)
		transfer(); /* the counter wraps: the log's chain runs from 0xfffffff0 to 8 */
	at_piece[0] = 2, at_piece[2] = 2;
	size = file_size(path);
	copy_now(ours, &st, "the counter wrapped before the copy");
	ok(st.log_rounds == 1 && st.last_bytes < size / 50, "a chain across the wrap: the log serves the copy (%d rounds, %lld of %lld)",
	   st.log_rounds, st.last_bytes, size);
	sqlite3_close(ours);
	ok(set_counter(0xfffffffau), "the change counter set 6 commits short of 2^32");
	ours = dovira_conn();
	sqlite3_busy_timeout(ours, 5000);
	writer = ours;
	transfer(); /* starts the log's chain */
	at_piece[0] = 8, at_piece[2] = 3;
	copy_now(ours, &st, "the counter wraps during the copy");
	ok(st.log_rounds >= 1, "the counter wraps during the copy: the log still serves it (%d rounds)", st.log_rounds);
	sqlite3_close(ours);

	db_copy_piece_hook = NULL;
	int n = copies_under_load(0, 8, "three dovira writers");
	ok(n >= 6, "three dovira writers: the log served %d of 8 copies", n);
	copies_under_load(1, 8, "two dovira writers and one through SQLite alone");
	copies_under_load(3, 4, "three writers through SQLite alone");

	/* Made by root (a check from cron), the log is the database owner's,
	 * as SQLite does with its journal, so that the sessions can write it. */
	if (geteuid() == 0) {
		unlink(log);
		ok(chown(path, 65534, 65534) == 0, "the database given to another account");
		copy_now(NULL, &st, "a copy by root");
		ok(stat(log, &log_sb) == 0 && log_sb.st_uid == 65534 && log_sb.st_gid == 65534,
		   "a log made by root belongs to the database's owner and group");
	}
	return tap_done();
}

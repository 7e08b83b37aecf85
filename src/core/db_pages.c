/* db_pages.c: which blocks of the database each commit changed, so that
 * a copy (db_copy.c) can finish under a read lock that lasts as long as
 * copying what changed, whatever the size of the file.
 *
 * Every connection db_open makes goes through a thin VFS over SQLite's
 * own. While it holds a write transaction on the main database file it
 * notes, for each 4 KiB block it writes, the number the commit will give
 * the file's change counter (header bytes 24-27, bumped by every commit
 * in rollback-journal mode), in a log beside the database ("<db>-pages":
 * a header and one 32-bit number per block, the counter of the last
 * commit that wrote that block). Once the commit is final (the journal is
 * gone; the VFS is releasing the exclusive lock) it records the log's
 * head, the counter of the last commit logged.
 *
 * The log is a hint that proves itself: it says "complete" for the
 * commits in (chain_start, head] only if each of them was logged in turn
 * (a commit whose counter before was the head extends the chain; any
 * other starts a new one at its own). A commit made by anything else
 * (the sqlite3 shell, an older dovira, a process killed between its
 * commit and its log entry) breaks the chain, and a copy then falls back
 * to comparing the whole file. A block is never marked with a number
 * lower than that of the last commit that wrote it (a rolled-back
 * attempt marks with a number not yet used, which can only make a block
 * look changed when it was not); so "changed after since" is exactly
 * "mark > since" while the chain covers since.
 *
 * Writers never create the log: the first copy does, with the database's
 * mode and group. Nothing in it needs to survive a reboot; the marks a
 * copy uses are all made while it runs.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dbi.h"

#define MAGIC "DVPAGES1"
#define HDR 64 /* the header's size; the marks follow */

typedef struct log_hdr {
	char magic[8];
	uint64_t dev, ino; /* the database file the log is about */
	uint32_t head;        /* counter after the last commit logged */
	uint32_t chain_start; /* every commit after this, up to head, is logged */
	uint32_t valid;       /* 0: head and chain_start mean nothing */
	uint32_t pad;
} log_hdr;

#define OFF_HEAD 24
#define OFF_VALID 32

typedef struct pfile {
	sqlite3_file base;
	sqlite3_file *real;
	char *log_path; /* NULL: not a main database file */
	int log_fd;     /* -1: not open (yet) */
	uint64_t dev, ino;
	mode_t mode; /* the database's, for a log this connection creates */
	uid_t uid;
	gid_t gid;
	int tracking;    /* in a write transaction whose blocks are logged */
	uint32_t before; /* the change counter when it began */
} pfile;

static sqlite3_vfs *real_vfs;
static sqlite3_vfs pages_vfs;
static sqlite3_io_methods pages_methods;

#define R(f) (((pfile *)(f))->real)

static uint32_t be32(const unsigned char *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* The database's change counter as the file holds it now (0 for a file
 * too short to have one). */
static uint32_t counter_of(pfile *p)
{
	unsigned char b[4] = {0};
	int rc = p->real->pMethods->xRead(p->real, b, 4, 24);
	return rc == SQLITE_OK ? be32(b) : 0;
}

static int read_hdr(int fd, log_hdr *h)
{
	return pread(fd, h, sizeof *h, 0) == (ssize_t)sizeof *h && memcmp(h->magic, MAGIC, 8) == 0;
}

/* A new log at path for the file (dev, ino), with its mode and group;
 * -1 if it exists already or cannot be made. */
static int create_log(const char *path, uint64_t dev, uint64_t ino, mode_t mode, uid_t uid, gid_t gid)
{
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode & 0666);
	if (fd < 0)
		return -1;
	/* Like SQLite's journal: the database's mode whatever the umask, its
	 * group if this process may give it, and made by root (a check from
	 * cron), its owner too, so that the sessions can write it. */
	struct stat lb;
	if (fstat(fd, &lb) == 0 && (lb.st_gid != gid || (geteuid() == 0 && lb.st_uid != uid))
	    && fchown(fd, geteuid() == 0 ? uid : (uid_t)-1, gid) != 0)
		errno = 0; /* then the directory's group, as for the journal */
	(void)fchmod(fd, mode & 0666);
	log_hdr h = {{0}, dev, ino, 0, 0, 0, 0};
	memcpy(h.magic, MAGIC, 8);
	if (pwrite(fd, &h, sizeof h, 0) != (ssize_t)sizeof h) {
		close(fd);
		unlink(path);
		return -1;
	}
	return fd;
}

/* A write transaction begins (RESERVED, so no other writer is in one):
 * log its blocks if the log is this file's, making it if there is none. */
static void track_begin(pfile *p)
{
	if (p->log_fd < 0)
		p->log_fd = open(p->log_path, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
	if (p->log_fd < 0 && errno == ENOENT)
		p->log_fd = create_log(p->log_path, p->dev, p->ino, p->mode, p->uid, p->gid);
	log_hdr h;
	if (p->log_fd < 0 || !read_hdr(p->log_fd, &h) || h.dev != p->dev || h.ino != p->ino)
		return;
	p->before = counter_of(p);
	p->tracking = 1;
}

static void mark(pfile *p, sqlite3_int64 off, int amt)
{
	uint32_t v = p->before + 1, buf[64];
	sqlite3_int64 first = off / DB_PAGES_BLOCK, last = (off + amt - 1) / DB_PAGES_BLOCK;
	for (sqlite3_int64 b = first; b <= last;) {
		int n = 0;
		for (; n < 64 && b + n <= last; n++)
			buf[n] = v;
		if (pwrite(p->log_fd, buf, (size_t)n * 4, HDR + b * 4) != (ssize_t)n * 4) {
			/* A mark lost: the log can no longer say what changed. */
			uint32_t zero = 0;
			if (pwrite(p->log_fd, &zero, 4, OFF_VALID) != 4) {
				close(p->log_fd); /* and writes nothing more to it */
				p->log_fd = -1;
			}
			p->tracking = 0;
			return;
		}
		b += n;
	}
}

/* The transaction ends, the exclusive lock still held: if it committed
 * (the counter moved on by one), record the log's new head. */
static void track_end(pfile *p)
{
	p->tracking = 0;
	uint32_t now = counter_of(p);
	if (now == p->before)
		return; /* rolled back, or wrote nothing */
	log_hdr h;
	if (!read_hdr(p->log_fd, &h) || h.dev != p->dev || h.ino != p->ino)
		return;
	if (now != p->before + 1) {
		uint32_t zero = 0;
		if (pwrite(p->log_fd, &zero, 4, OFF_VALID) != 4)
			return;
		return;
	}
	if (h.valid && h.head == p->before) {
		if (pwrite(p->log_fd, &now, 4, OFF_HEAD) != 4)
			return;
		return;
	}
	uint32_t fresh[3] = {now, p->before, 1}; /* head, chain_start, valid */
	if (pwrite(p->log_fd, fresh, sizeof fresh, OFF_HEAD) != (ssize_t)sizeof fresh)
		return;
}

static int p_close(sqlite3_file *f)
{
	pfile *p = (pfile *)f;
	if (p->log_fd >= 0)
		close(p->log_fd);
	sqlite3_free(p->log_path);
	return p->real->pMethods->xClose(p->real);
}

static int p_read(sqlite3_file *f, void *b, int n, sqlite3_int64 off) { return R(f)->pMethods->xRead(R(f), b, n, off); }

static int p_write(sqlite3_file *f, const void *b, int n, sqlite3_int64 off)
{
	pfile *p = (pfile *)f;
	int rc = p->real->pMethods->xWrite(p->real, b, n, off);
	if (p->tracking && n > 0)
		mark(p, off, n); /* even if the write failed: it may have written part */
	return rc;
}

static int p_truncate(sqlite3_file *f, sqlite3_int64 size) { return R(f)->pMethods->xTruncate(R(f), size); }
static int p_sync(sqlite3_file *f, int flags) { return R(f)->pMethods->xSync(R(f), flags); }
static int p_size(sqlite3_file *f, sqlite3_int64 *size) { return R(f)->pMethods->xFileSize(R(f), size); }

static int p_lock(sqlite3_file *f, int level)
{
	pfile *p = (pfile *)f;
	int rc = p->real->pMethods->xLock(p->real, level);
	if (rc == SQLITE_OK && level == SQLITE_LOCK_RESERVED && p->log_path && !p->tracking)
		track_begin(p);
	return rc;
}

static int p_unlock(sqlite3_file *f, int level)
{
	pfile *p = (pfile *)f;
	if (p->tracking && level <= SQLITE_LOCK_SHARED)
		track_end(p);
	return p->real->pMethods->xUnlock(p->real, level);
}

static int p_reserved(sqlite3_file *f, int *out) { return R(f)->pMethods->xCheckReservedLock(R(f), out); }
static int p_fcntl(sqlite3_file *f, int op, void *arg) { return R(f)->pMethods->xFileControl(R(f), op, arg); }
static int p_sector(sqlite3_file *f) { return R(f)->pMethods->xSectorSize(R(f)); }
static int p_devchar(sqlite3_file *f) { return R(f)->pMethods->xDeviceCharacteristics(R(f)); }
static int p_shmmap(sqlite3_file *f, int pg, int sz, int ext, void volatile **pp) { return R(f)->pMethods->xShmMap(R(f), pg, sz, ext, pp); }
static int p_shmlock(sqlite3_file *f, int off, int n, int flags) { return R(f)->pMethods->xShmLock(R(f), off, n, flags); }
static void p_shmbarrier(sqlite3_file *f) { R(f)->pMethods->xShmBarrier(R(f)); }
static int p_shmunmap(sqlite3_file *f, int del) { return R(f)->pMethods->xShmUnmap(R(f), del); }
static int p_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **pp) { return R(f)->pMethods->xFetch(R(f), off, n, pp); }
static int p_unfetch(sqlite3_file *f, sqlite3_int64 off, void *pp) { return R(f)->pMethods->xUnfetch(R(f), off, pp); }

static int p_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out)
{
	(void)vfs;
	pfile *p = (pfile *)f;
	memset(p, 0, sizeof *p);
	p->real = (sqlite3_file *)(p + 1);
	p->log_fd = -1;
	int rc = real_vfs->xOpen(real_vfs, name, p->real, flags, out);
	if (rc != SQLITE_OK || !p->real->pMethods) {
		p->base.pMethods = NULL;
		return rc;
	}
	struct stat sb;
	if ((flags & SQLITE_OPEN_MAIN_DB) && name && stat(name, &sb) == 0) {
		p->log_path = sqlite3_mprintf("%s-pages", name);
		p->dev = (uint64_t)sb.st_dev;
		p->ino = (uint64_t)sb.st_ino;
		p->mode = sb.st_mode;
		p->uid = sb.st_uid;
		p->gid = sb.st_gid;
	}
	pages_methods.iVersion = p->real->pMethods->iVersion < 3 ? p->real->pMethods->iVersion : 3;
	p->base.pMethods = &pages_methods;
	return SQLITE_OK;
}

static int v_delete(sqlite3_vfs *v, const char *n, int sync) { (void)v; return real_vfs->xDelete(real_vfs, n, sync); }
static int v_access(sqlite3_vfs *v, const char *n, int flags, int *out) { (void)v; return real_vfs->xAccess(real_vfs, n, flags, out); }
static int v_full(sqlite3_vfs *v, const char *n, int len, char *out) { (void)v; return real_vfs->xFullPathname(real_vfs, n, len, out); }
static void *v_dlopen(sqlite3_vfs *v, const char *n) { (void)v; return real_vfs->xDlOpen(real_vfs, n); }
static void v_dlerror(sqlite3_vfs *v, int len, char *out) { (void)v; real_vfs->xDlError(real_vfs, len, out); }
static void (*v_dlsym(sqlite3_vfs *v, void *h, const char *s))(void) { (void)v; return real_vfs->xDlSym(real_vfs, h, s); }
static void v_dlclose(sqlite3_vfs *v, void *h) { (void)v; real_vfs->xDlClose(real_vfs, h); }
static int v_random(sqlite3_vfs *v, int n, char *out) { (void)v; return real_vfs->xRandomness(real_vfs, n, out); }
static int v_sleep(sqlite3_vfs *v, int us) { (void)v; return real_vfs->xSleep(real_vfs, us); }
static int v_time(sqlite3_vfs *v, double *t) { (void)v; return real_vfs->xCurrentTime(real_vfs, t); }
static int v_lasterr(sqlite3_vfs *v, int n, char *out) { (void)v; return real_vfs->xGetLastError ? real_vfs->xGetLastError(real_vfs, n, out) : 0; }
static int v_time64(sqlite3_vfs *v, sqlite3_int64 *t) { (void)v; return real_vfs->xCurrentTimeInt64(real_vfs, t); }

static const char *registered;

static void do_register(void)
{
	real_vfs = sqlite3_vfs_find(NULL);
	if (!real_vfs || real_vfs->iVersion < 2)
		return;
	pages_methods = (sqlite3_io_methods){3, p_close, p_read, p_write, p_truncate, p_sync, p_size, p_lock, p_unlock, p_reserved,
		p_fcntl, p_sector, p_devchar, p_shmmap, p_shmlock, p_shmbarrier, p_shmunmap, p_fetch, p_unfetch};
	pages_vfs = (sqlite3_vfs){2, (int)sizeof(pfile) + real_vfs->szOsFile, real_vfs->mxPathname, NULL, "dovira-pages", NULL,
		p_open, v_delete, v_access, v_full, v_dlopen, v_dlerror, v_dlsym, v_dlclose, v_random, v_sleep, v_time, v_lasterr, v_time64, NULL, NULL, NULL};
	if (sqlite3_vfs_register(&pages_vfs, 0) == SQLITE_OK)
		registered = "dovira-pages";
}

const char *db_pages_vfs(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, do_register);
	return registered;
}

int db_pages_open(const char *db_path, int db_fd)
{
	struct stat sb;
	if (fstat(db_fd, &sb) != 0)
		return -1;
	char *path = xasprintf("%s-pages", db_path);
	int fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 && errno == ENOENT)
		fd = create_log(path, (uint64_t)sb.st_dev, (uint64_t)sb.st_ino, sb.st_mode, sb.st_uid, sb.st_gid);
	free(path);
	struct stat lb;
	if (fd >= 0 && (fstat(fd, &lb) != 0 || !S_ISREG(lb.st_mode))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Start the log afresh for the file at db_fd if it is about another file
 * (or new). Call with the read lock held: no writer is in a commit. */
static int fresh_if_stale(int log_fd, const struct stat *sb, log_hdr *h)
{
	if (read_hdr(log_fd, h) && h->dev == (uint64_t)sb->st_dev && h->ino == (uint64_t)sb->st_ino)
		return 0;
	log_hdr n = {{0}, (uint64_t)sb->st_dev, (uint64_t)sb->st_ino, 0, 0, 0, 0};
	memcpy(n.magic, MAGIC, 8);
	if (ftruncate(log_fd, 0) != 0 || pwrite(log_fd, &n, sizeof n, 0) != (ssize_t)sizeof n)
		return -1;
	*h = n;
	return 0;
}

/* The change counter is 32 bits and wraps to 0 after 2^32 commits (as
 * SQLite adds one to it): counters are compared by their distance
 * forward, modulo 2^32, never by their size. */

/* a <= b <= c going forward from a. */
static int in_order(uint32_t a, uint32_t b, uint32_t c)
{
	return (uint32_t)(b - a) <= (uint32_t)(c - a);
}

/* A block's mark m says it changed after since: m lies in (since, now + 1]
 * (now + 1: an attempt that rolled back, which may look changed). A block
 * never written while logged (mark 0) is in it only when the counter
 * wrapped to 0 after since: it is then copied again, which is only slower. */
static int after(uint32_t m, uint32_t since, uint32_t now)
{
	return (uint32_t)(m - since - 1) < (uint32_t)(now - since + 1);
}

int db_pages_since(int log_fd, int db_fd, uint32_t since, uint32_t now, size_t nblocks, size_t **blocks, size_t *n)
{
	struct stat sb;
	log_hdr h;
	*n = 0;
	if (log_fd < 0 || fstat(db_fd, &sb) != 0 || fresh_if_stale(log_fd, &sb, &h))
		return 0;
	if (!h.valid || h.head != now || !in_order(h.chain_start, since, now))
		return 0;
	/* In WAL mode commits go to the -wal file and the counter need not
	 * move: the log says nothing then. */
	unsigned char ver[2];
	if (pread(db_fd, ver, 2, 18) != 2 || ver[0] != 1 || ver[1] != 1)
		return 0;
	size_t cap = 0;
	uint32_t buf[16384];
	for (size_t b = 0; b < nblocks;) {
		size_t want = nblocks - b < 16384 ? nblocks - b : 16384;
		ssize_t got = pread(log_fd, buf, want * 4, HDR + (off_t)b * 4);
		if (got < 0)
			return 0;
		size_t k = (size_t)got / 4;
		for (size_t i = 0; i < k; i++)
			if (after(buf[i], since, now)) {
				if (*n == cap)
					*blocks = xrealloc(*blocks, (cap = cap ? 2 * cap : 256) * sizeof **blocks);
				(*blocks)[(*n)++] = b + i;
			}
		if (k < want)
			break; /* past the log's end: never written while logged */
		b += k;
	}
	return 1;
}

int db_pages_start(int log_fd, int db_fd)
{
	struct stat sb;
	log_hdr h;
	return log_fd < 0 || fstat(db_fd, &sb) != 0 ? -1 : fresh_if_stale(log_fd, &sb, &h);
}

/* db_copy.c: consistent copies of a live database (backup, and the
 * snapshot that check reads) without holding writers up.
 *
 * SQLite's online backup restarts whenever another connection writes, so
 * under a steady trickle of saves it never finishes; and one long read
 * transaction holds every writer back for as long as it lasts (rollback
 * journal). Instead the file is copied in one pass of small pieces, each
 * under its own short read lock; then pieces are compared and fixed up in
 * further passes until one pass sees no commit (the file change counter
 * did not move), or, under a steady load, in one last pass under a single
 * read lock that only reads the database (it is in the page cache by
 * then), compares each block's fingerprint with the one last written, and
 * rewrites what changed. The copy is an unnamed file
 * (O_TMPFILE) until its caller has verified it and links it (setup.c), so
 * a backup stopped at any point leaves nothing behind.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <linux/magic.h>
#include <time.h>
#include <unistd.h>

#include "dbi.h"
#include "dovira/i18n.h"
#include "dovira/priv.h"

#define PIECE (4 << 20)
#define CATCH_UP_PASSES 2
#define LOG_ROUNDS 8

void (*db_copy_piece_hook)(int piece);

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

typedef struct copier {
	dv_db *db;
	int src, dst;
	unsigned char *a;
	db_copy_stats *st;
	double locked_at;
	/* A fingerprint of each block as last written to the copy (0: none),
	 * so that a pass reads only the database, never the copy. */
	uint64_t *fp;
	size_t nfp;
	/* The whole file mapped during a pass under one lock, so that it is
	 * read in place, without copying it first. */
	const unsigned char *map;
	/* The log of the blocks each commit changed (db_pages.c; -1: none),
	 * the change counter from which the copy is known to be current
	 * except for the blocks the log names, and room for their numbers. */
	int log;
	uint32_t since;
	size_t *chg;
	/* A copy bound for the disk (a backup): written out as it goes. */
	int write_behind;
} copier;

#define BLOCK 4096

/* A 64-bit fingerprint of one block: four independent multiply-xor lanes,
 * fast enough that a pass costs little more than reading the file. Never
 * 0 (that means "not written"). */
static uint64_t fingerprint(const unsigned char *p, size_t n)
{
	uint64_t h[4] = {0x9E3779B97F4A7C15u, 0xC2B2AE3D27D4EB4Fu, 0x165667B19E3779F9u, 0x27D4EB2F165667C5u};
	size_t i = 0;
	for (; i + 32 <= n; i += 32)
		for (int k = 0; k < 4; k++) {
			uint64_t w;
			memcpy(&w, p + i + 8 * k, 8);
			h[k] = (h[k] ^ w) * 0x9E3779B97F4A7C15u;
			h[k] ^= h[k] >> 31;
		}
	uint64_t r = (uint64_t)n;
	for (; i < n; i++)
		r = (r ^ p[i]) * 0x100000001B3u;
	for (int k = 0; k < 4; k++)
		r = (r ^ h[k]) * 0xC2B2AE3D27D4EB4Fu, r ^= r >> 29;
	return r | 1;
}

/* Hold a read (SHARED) lock: no writer can change the file meanwhile. */
static int lock(copier *c, dv_error *e)
{
	double w0 = now_ms();
	int rc = sqlite3_exec(c->db->h, "BEGIN; SELECT count(*) FROM sqlite_schema;", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		dbi_rollback(c->db);
		return dbi_fail(c->db, rc, _("copying the database"), e);
	}
	c->locked_at = now_ms();
	c->st->locks++;
	if (c->locked_at - w0 > c->st->lock_wait_ms_max)
		c->st->lock_wait_ms_max = c->locked_at - w0;
	return DV_OK;
}

static double unlock(copier *c)
{
	double held = now_ms() - c->locked_at;
	if (held > c->st->lock_ms_max)
		c->st->lock_ms_max = held;
	sqlite3_exec(c->db->h, "COMMIT", NULL, NULL, NULL);
	return held;
}

static int io_fail(copier *c, const char *what, dv_error *e)
{
	return dv_fail(e, errno == ENOSPC || errno == EDQUOT ? DV_EFULL : DV_EIO, _("%s: %s: %s"), c->db->path, what, strerror(errno));
}

/* Write blocks [from, to) of the piece at a (which starts at block
 * first) to the copy. */
static int write_run(copier *c, const unsigned char *a, size_t first, size_t from, size_t to, size_t len, dv_error *e)
{
	size_t beg = (from - first) * BLOCK, end = (to - first) * BLOCK < len ? (to - first) * BLOCK : len;
	if (pwrite(c->dst, a + beg, end - beg, (off_t)(from * BLOCK)) != (ssize_t)(end - beg))
		return io_fail(c, _("writing the copy"), e);
	__atomic_fetch_add(&c->st->bytes, (long long)(end - beg), __ATOMIC_RELAXED); /* two threads: pieces_from */
	return DV_OK;
}

/* Send the piece just written at off to the disk, and wait for the one
 * WRITE_BEHIND bytes before it. A backup's gigabytes would otherwise sit
 * in memory until its fsync, and then every writer's commit (its own
 * fsync, with ext4's journal in ordered mode) waits behind them: here
 * the disk takes them a few megabytes at a time, between commits. */
#define WRITE_BEHIND (16 << 20)
static void write_behind(copier *c, off_t off, size_t len)
{
	if (!c->write_behind)
		return;
	sync_file_range(c->dst, off, (off_t)len, SYNC_FILE_RANGE_WRITE);
	if (off >= WRITE_BEHIND)
		sync_file_range(c->dst, off - WRITE_BEHIND, (off_t)len,
				SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER);
}

/* Bring the piece at off (a multiple of BLOCK) up to date: each block
 * whose fingerprint differs from the one last written is written again,
 * in runs. *changed is set if any was. Call with the lock held; with
 * unlock_read, it is released once the piece is read. */
static int sync_piece(copier *c, off_t off, size_t len, int *changed, int unlock_read, dv_error *e)
{
	const unsigned char *a = c->map ? c->map + off : c->a;
	ssize_t got = c->map ? (ssize_t)len : pread(c->src, c->a, len, off);
	/* The piece is in memory: writing it (the disk may be slow) needs no lock. */
	if (unlock_read)
		unlock(c);
	if (got != (ssize_t)len)
		return io_fail(c, _("reading the database"), e);
	size_t first = (size_t)(off / BLOCK), nblocks = (len + BLOCK - 1) / BLOCK, run = SIZE_MAX;
	int code = DV_OK;
	for (size_t i = first; !code && i <= first + nblocks; i++) {
		int differs = 0;
		if (i < first + nblocks) {
			size_t at = (i - first) * BLOCK;
			uint64_t f = fingerprint(a + at, len - at < BLOCK ? len - at : BLOCK);
			differs = c->fp[i] != f;
			c->fp[i] = f;
		}
		if (differs && run == SIZE_MAX)
			run = i;
		if (!differs && run != SIZE_MAX) {
			code = write_run(c, a, first, run, i, len, e);
			run = SIZE_MAX;
			*changed = 1;
		}
	}
	if (!code && !c->map)
		write_behind(c, off, len);
	return code;
}

/* Room for the fingerprints of a file of size bytes; blocks past the end
 * of the file forget theirs (it may grow back with other content). */
static void fit_fp(copier *c, off_t size)
{
	size_t n = (size_t)((size + BLOCK - 1) / BLOCK);
	if (n > c->nfp) {
		c->fp = xrealloc(c->fp, n * sizeof *c->fp);
		memset(c->fp + c->nfp, 0, (n - c->nfp) * sizeof *c->fp);
	} else {
		memset(c->fp + n, 0, (c->nfp - n) * sizeof *c->fp);
		n = c->nfp;
	}
	c->nfp = n;
}

/* The file's size and its change counter (header bytes 24-27, bumped by
 * every commit); the lock must be held. */
static int state(copier *c, off_t *size, unsigned *counter, dv_error *e)
{
	struct stat sb;
	unsigned char h[4] = {0};
	if (fstat(c->src, &sb) != 0 || pread(c->src, h, 4, 24) != 4)
		return io_fail(c, _("reading the database"), e);
	*size = sb.st_size;
	*counter = (unsigned)h[0] << 24 | (unsigned)h[1] << 16 | (unsigned)h[2] << 8 | h[3];
	return DV_OK;
}

/* Every other piece of the mapped file from piece first on, for a pass
 * under one lock that two threads share (the other core fingerprints
 * half the file, so writers wait half as long). */
typedef struct pieces {
	copier *c;
	off_t first, size;
	int changed, code;
	dv_error e;
} pieces;

static void *pieces_from(void *arg)
{
	pieces *p = arg;
	for (off_t off = p->first; !p->code && off < p->size; off += 2 * PIECE)
		p->code = sync_piece(p->c, off, (size_t)(p->size - off < PIECE ? p->size - off : PIECE), &p->changed, 0, &p->e);
	return NULL;
}

/* One pass over the file. With whole set, under one lock; otherwise a
 * lock per piece. *stable is set if no commit happened during the pass. */
static int pass(copier *c, int whole, int *stable, dv_error *e)
{
	off_t size, size2;
	unsigned c0, c1;
	/* For a pass under one lock, map the file and fault its pages in
	 * before taking the lock (the mapping shows the page cache, so it
	 * stays current while others write): the lock then lasts only as long
	 * as fingerprinting the file. */
	struct stat sb;
	void *map = MAP_FAILED;
	size_t mapped = 0;
	if (whole && fstat(c->src, &sb) == 0 && sb.st_size > 0) {
		mapped = (size_t)sb.st_size;
		map = mmap(NULL, mapped, PROT_READ, MAP_SHARED | MAP_POPULATE, c->src, 0);
	}
	int changed = 0, code = lock(c, e);
	if (code) {
		if (map != MAP_FAILED)
			munmap(map, mapped);
		return code;
	}
	if ((code = state(c, &size, &c0, e)) || ftruncate(c->dst, size) != 0) {
		if (!code)
			code = io_fail(c, _("writing the copy"), e);
		unlock(c);
		if (map != MAP_FAILED)
			munmap(map, mapped);
		return code;
	}
	fit_fp(c, size);
	/* A pass of pieces leaves the copy current as of c0 but for the
	 * blocks that commits after c0 changed; the log names those. */
	if (!whole) {
		if (c->log >= 0 && !c->st->passes && db_pages_start(c->log, c->src) != 0) {
			close(c->log);
			c->log = -1;
		}
		c->since = c0;
	}
	/* Under one lock the file cannot change size: read it in place. */
	if (map != MAP_FAILED && mapped != (size_t)size) {
		munmap(map, mapped);
		map = MAP_FAILED;
	}
	if (whole && map == MAP_FAILED && size > 0)
		map = mmap(NULL, mapped = (size_t)size, PROT_READ, MAP_SHARED, c->src, 0);
	c->map = map == MAP_FAILED ? NULL : map;
	if (c->map) {
		pieces odd = {c, PIECE, size, 0, DV_OK, {0}}, even = {c, 0, size, 0, DV_OK, {0}};
		pthread_t th;
		int threaded = pthread_create(&th, NULL, pieces_from, &odd) == 0;
		pieces_from(&even);
		if (threaded)
			pthread_join(th, NULL);
		else
			pieces_from(&odd);
		changed = odd.changed || even.changed;
		if ((code = even.code ? even.code : odd.code))
			*e = even.code ? even.e : odd.e;
	}
	for (off_t off = 0; !c->map && !code && off < size; off += PIECE) {
		if (!whole && off && (code = lock(c, e)))
			return code;
		size_t len = (size_t)(size - off < PIECE ? size - off : PIECE);
		code = sync_piece(c, off, len, &changed, !whole, e);
		if (!code && !whole && db_copy_piece_hook)
			db_copy_piece_hook((int)(off / PIECE));
	}
	if (c->map) {
		munmap(map, mapped);
		c->map = NULL;
	}
	if (code || (!whole && (code = lock(c, e))))
		return code;
	code = state(c, &size2, &c1, e);
	double held = unlock(c);
	if (whole)
		c->st->last_lock_ms = held, c->st->last_bytes = (long long)size;
	c->st->passes++;
	*stable = whole || (c0 == c1 && size == size2);
	return code;
}

/* The run of neighbouring blocks that starts at list[i] (ascending, below
 * the end of a file of size bytes): sets *off and *len, the bytes it
 * covers, and returns the index just past it. */
static size_t block_run(const size_t *list, size_t n, size_t i, off_t size, off_t *off, size_t *len)
{
	size_t j;
	for (j = i + 1; j < n && list[j] == list[j - 1] + 1; j++)
		;
	*off = (off_t)list[i] * BLOCK;
	*len = (j - i) * BLOCK;
	if (*off + (off_t)*len > size)
		*len = (size_t)(size - *off);
	return j;
}

/* Read the listed blocks (ascending, below the end of a file of size
 * bytes) into buf, the k-th at k * BLOCK; runs of neighbours at once. */
static int read_blocks(copier *c, const size_t *list, size_t n, off_t size, unsigned char *buf, dv_error *e)
{
	off_t off;
	size_t len;
	for (size_t i = 0, j; i < n; i = j) {
		j = block_run(list, n, i, size, &off, &len);
		if (pread(c->src, buf + i * BLOCK, len, off) != (ssize_t)len)
			return io_fail(c, _("reading the database"), e);
	}
	return DV_OK;
}

/* Write what read_blocks read to the copy, noting each block's
 * fingerprint (a later pass that compares must know it was written). */
static int write_blocks(copier *c, const size_t *list, size_t n, off_t size, const unsigned char *buf, dv_error *e)
{
	off_t off;
	size_t len;
	for (size_t i = 0, j; i < n; i = j) {
		j = block_run(list, n, i, size, &off, &len);
		if (pwrite(c->dst, buf + i * BLOCK, len, off) != (ssize_t)len)
			return io_fail(c, _("writing the copy"), e);
		c->st->bytes += (long long)len;
		for (size_t k = i; k < j; k++) {
			size_t at = (k - i) * BLOCK;
			c->fp[list[k]] = fingerprint(buf + i * BLOCK + at, len - at < BLOCK ? len - at : BLOCK);
		}
	}
	return DV_OK;
}

/* Bring the copy up to date with the blocks the log says commits changed
 * since c->since, round after round: when few enough changed, the last
 * round reads them under one lock, and the copy is whole as of that
 * moment (*done set). Otherwise they are copied under short locks and
 * the next round looks at what changed meanwhile. If the log cannot say
 * (a commit it missed), returns with *done clear: a pass compares the
 * whole file instead. */
static int by_log(copier *c, int *done, dv_error *e)
{
	*done = 0;
	for (int round = 0; round < LOG_ROUNDS; round++) {
		off_t size;
		unsigned now;
		size_t n = 0;
		int code = lock(c, e);
		if (code)
			return code;
		if ((code = state(c, &size, &now, e))) {
			unlock(c);
			return code;
		}
		size_t nblocks = (size_t)((size + BLOCK - 1) / BLOCK);
		if (!db_pages_since(c->log, c->src, c->since, now, nblocks, &c->chg, &n)) {
			unlock(c);
			return DV_OK;
		}
		fit_fp(c, size);
		if (n <= PIECE / BLOCK) {
			/* The last lock: as long as reading what changed. */
			code = read_blocks(c, c->chg, n, size, c->a, e);
			c->st->last_lock_ms = unlock(c);
			c->st->last_bytes = (long long)n * BLOCK;
			c->st->passes++;
			c->st->log_rounds++;
			if (!code && ftruncate(c->dst, size) != 0)
				code = io_fail(c, _("writing the copy"), e);
			if (!code)
				code = write_blocks(c, c->chg, n, size, c->a, e);
			*done = !code;
			return code;
		}
		unlock(c);
		/* Too many for one short lock: a lock per piece's worth; what
		 * changes meanwhile is the next round's. */
		for (size_t i = 0; i < n; i += PIECE / BLOCK) {
			size_t k = n - i < PIECE / BLOCK ? n - i : PIECE / BLOCK;
			off_t now_size;
			unsigned ignored;
			if ((code = lock(c, e)))
				return code;
			if (!(code = state(c, &now_size, &ignored, e))) {
				/* Blocks past a file that shrank meanwhile: the next
				 * round's truncation takes care of them. */
				while (k && (off_t)c->chg[i + k - 1] * BLOCK >= now_size)
					k--;
				code = read_blocks(c, c->chg + i, k, now_size, c->a, e);
			}
			unlock(c);
			if (!code)
				code = write_blocks(c, c->chg + i, k, now_size, c->a, e);
			if (code)
				return code;
		}
		c->since = now;
		c->st->passes++;
		c->st->log_rounds++;
	}
	return DV_OK;
}

static int copy_file(copier *c, dv_error *e)
{
	int stable = 0, done = 0;
	for (int i = 0; i <= CATCH_UP_PASSES && !stable; i++) {
		if (pass(c, 0, &stable, e))
			return e->code;
		int code = !stable && c->log >= 0 ? by_log(c, &done, e) : DV_OK;
		if (code || done)
			return code;
	}
	return stable ? DV_OK : pass(c, 1, &stable, e);
}

/* An unnamed file in dir for the copy. */
static int tmpfile_in(const char *dir, dv_error *e)
{
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0)
		dv_fail(e, errno == ENOSPC ? DV_EFULL : DV_EIO, _("%s: cannot make a file for the copy here: %s"), dir, strerror(errno));
	return fd;
}

static char *dir_part(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? (slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path))) : xstrdup(".");
}

long long db_mem_available(void)
{
	FILE *f = fopen("/proc/meminfo", "re");
	char line[128];
	long long kb = 0;
	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "MemAvailable: %lld kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb * 1024;
}

/* Freeing a copy on disk a slice at a time, with a pause between: on a
 * filesystem mounted with online discard, freeing 1.6 GB written to disk
 * (a million calls) at once held 32 writers' saves up to 300-480 ms;
 * in these slices up to 60-90 ms, over 0.8 s instead of 0.5 s. */
#define DROP_SLICE (64LL << 20)
#define DROP_PAUSE_NS (10 * 1000000L)

void db_copy_drop(int fd)
{
	struct stat sb;
	struct statfs fs;
	if (fd >= 0 && fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_nlink == 0 &&
	    fstatfs(fd, &fs) == 0 && fs.f_type != TMPFS_MAGIC) {
		for (off_t size = sb.st_size; size > DROP_SLICE;) {
			size -= DROP_SLICE;
			if (ftruncate(fd, size) != 0)
				break;
			struct timespec pause = {0, DROP_PAUSE_NS};
			nanosleep(&pause, NULL);
		}
	}
	if (fd >= 0)
		close(fd);
}

/* A file in memory for a snapshot, if the database fits in a quarter of
 * the memory available with room to spare: writing it costs no disk
 * and no journal, and nothing of it ever reaches the disk. -1 if not. */
static int memfile_for(dv_db *db)
{
	struct stat sb;
	if (stat(db->path, &sb) != 0 || sb.st_size * 4 + (256LL << 20) > db_mem_available())
		return -1;
	return memfd_create("dovira-snapshot", MFD_CLOEXEC);
}

/* Copy db into a new unnamed file in dir (a snapshot: in memory if it
 * fits); its descriptor, or -1. A file for a person (a backup target) is
 * made with their own rights, never the program's group (priv.h), and
 * made durable; the copy is written through its descriptor. */
static int copy_to_tmp(dv_db *db, const char *dir, int for_person, db_copy_stats *st, dv_error *e)
{
	double t0 = now_ms();
	if (for_person)
		priv_drop();
	int dst = for_person ? -1 : memfile_for(db);
	if (dst < 0)
		dst = tmpfile_in(dir, e);
	if (for_person)
		priv_restore();
	if (dst < 0)
		return -1;
	copier c = {db, open(db->path, O_RDONLY | O_CLOEXEC), dst, xmalloc(PIECE), st, 0, NULL, 0, NULL, -1, 0, NULL, 0};
	if (c.src >= 0)
		c.log = db_pages_open(db->path, c.src);
	c.write_behind = for_person;
	int code = c.src < 0 ? io_fail(&c, _("reading the database"), e) : copy_file(&c, e);
	/* Closing a descriptor drops the process's POSIX locks on the file,
	 * SQLite's too: only now, with no transaction open. */
	if (c.src >= 0)
		close(c.src);
	if (c.log >= 0)
		close(c.log);
	free(c.a);
	free(c.fp);
	free(c.chg);
	if (!code && for_person && fsync(dst) != 0)
		code = io_fail(&c, _("writing the copy"), e);
	st->total_ms = now_ms() - t0;
	if (code) {
		close(dst);
		return -1;
	}
	return dst;
}

/* A read-only connection to the database image at data (len bytes),
 * sharing src's audit key and anchors; SQLite's deserialize, so the pages
 * stay where they are and nothing is copied, and no path is needed for a
 * file that has none. */
static dv_db *open_image(dv_db *src, void *data, size_t len, const char *name, dv_error *e)
{
	dv_db *db = xcalloc(1, sizeof *db);
	db->path = xstrdup(name);
	db->readonly = 1;
	db->busy_ms = src->busy_ms;
	db->key_path = xstrdup(src->key_path);
	db->anchors_path = xstrdup(src->anchors_path);
	db->key = src->key;
	db->key_loaded = src->key_loaded;
	/* Each connection is used by one thread only (db_snapshot_twin):
	 * no mutex around every call, which cost a twentieth of check. */
	int rc = sqlite3_open_v2(":memory:", &db->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_deserialize(db->h, "main", data, (sqlite3_int64)len, (sqlite3_int64)len, SQLITE_DESERIALIZE_READONLY);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db->h, "PRAGMA foreign_keys=ON", NULL, NULL, NULL);
	/* Pages are read in place from the image instead of being copied
	 * into SQLite's page cache one by one. */
	if (rc == SQLITE_OK) {
		char *mm = xasprintf("PRAGMA mmap_size=%zu", len);
		rc = sqlite3_exec(db->h, mm, NULL, NULL, NULL);
		free(mm);
	}
	if (rc != SQLITE_OK) {
		dbi_fail(db, rc, _("opening the copy"), e);
		db_close(db);
		return NULL;
	}
	sqlite3_extended_result_codes(db->h, 1);
	return db;
}

/* Open the copy behind fd read-only, mapped into memory (the pages stay
 * in the page cache), sharing the source's audit key and anchors. */
static dv_db *open_copy(dv_db *src, int fd, const char *name, dv_error *e)
{
	struct stat sb;
	void *map;
	if (fstat(fd, &sb) != 0 || sb.st_size <= 0
	    || (map = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_SHARED, fd, 0)) == MAP_FAILED) {
		dv_fail(e, DV_EIO, _("%s: cannot read the copy: %s"), name, strerror(errno));
		return NULL;
	}
	dv_db *db = open_image(src, map, (size_t)sb.st_size, name, e);
	if (!db) {
		munmap(map, (size_t)sb.st_size);
		return NULL;
	}
	db->map = map; /* unmapped by db_close */
	db->map_len = (size_t)sb.st_size;
	return db;
}

dv_db *db_snapshot(dv_db *db, db_copy_stats *st, dv_error *e)
{
	memset(st, 0, sizeof *st);
	char *dir = dir_part(db->path);
	int fd = copy_to_tmp(db, dir, 0, st, e);
	free(dir);
	if (fd < 0)
		return NULL;
	dv_db *snap = open_copy(db, fd, db->path, e);
	/* The unnamed file vanishes once the mapping and fd are gone; fd is
	 * kept for a twin (db_snapshot_twin). */
	if (snap) {
		snap->copy_fd = fd;
		snap->has_copy_fd = 1;
	} else {
		close(fd);
	}
	return snap;
}

int db_copy_unnamed(dv_db *db, const char *dir, db_copy_stats *st, dv_error *e)
{
	memset(st, 0, sizeof *st);
	return copy_to_tmp(db, dir, 1, st, e);
}

static dv_db *open_fd_file(dv_db *src, int fd, size_t len, const char *name);

dv_db *db_open_copy(dv_db *like, int fd, const char *name, dv_error *e)
{
	/* A backup's verification is a full integrity check: on the file. */
	struct stat sb;
	dv_db *db = fstat(fd, &sb) == 0 && sb.st_size > 0 ? open_fd_file(like, fd, (size_t)sb.st_size, name) : NULL;
	return db ? db : open_copy(like, fd, name, e);
}

/* SQLite's unix VFS under another name, which takes a path as given:
 * its own follows the link /proc/self/fd/N to the name of the unnamed
 * file ("/memfd:... (deleted)"), which cannot be opened. And SQLite
 * opens every file with O_NOFOLLOW, which refuses that link: its "open"
 * (xSetSystemCall, shared by the unix VFSes) is given one that drops
 * O_NOFOLLOW for names under /proc/self/fd/ alone, which only this file
 * makes (a process's own open files: no link anybody else can plant). */
static sqlite3_vfs fd_vfs;
static pthread_once_t fd_vfs_once = PTHREAD_ONCE_INIT;
static int fd_vfs_ok;
static int (*sys_open)(const char *, int, mode_t);
#define FD_PREFIX "/proc/self/fd/"

static int fd_full(sqlite3_vfs *v, const char *name, int len, char *out)
{
	(void)v;
	if ((int)strlen(name) >= len)
		return SQLITE_CANTOPEN;
	memcpy(out, name, strlen(name) + 1);
	return SQLITE_OK;
}

static int fd_open(const char *path, int flags, mode_t mode)
{
	if (strncmp(path, FD_PREFIX, strlen(FD_PREFIX)) == 0)
		flags &= ~O_NOFOLLOW;
	return sys_open(path, flags, mode);
}

static void fd_vfs_init(void)
{
	sqlite3_vfs *unix_vfs = sqlite3_vfs_find("unix");
	if (!unix_vfs || unix_vfs->iVersion < 3 || !unix_vfs->xGetSystemCall)
		return;
	sys_open = (int (*)(const char *, int, mode_t))unix_vfs->xGetSystemCall(unix_vfs, "open");
	if (!sys_open || unix_vfs->xSetSystemCall(unix_vfs, "open", (sqlite3_syscall_ptr)fd_open) != SQLITE_OK)
		return;
	fd_vfs = *unix_vfs;
	fd_vfs.pNext = NULL;
	fd_vfs.zName = "dovira-fd";
	fd_vfs.xFullPathname = fd_full;
	fd_vfs_ok = sqlite3_vfs_register(&fd_vfs, 0) == SQLITE_OK;
}

/* A read-only connection to the copy behind fd itself (through
 * /proc/self/fd: it has no name), mapped, sharing src's audit key and
 * anchors; or NULL. SQLite's integrity check reads a file about two and
 * a half times as fast as the same pages deserialized (at a million
 * calls, 3.0 s against 8.0 s for PRAGMA quick_check); other reads run as
 * fast either way. */
static dv_db *open_fd_file(dv_db *src, int fd, size_t len, const char *name)
{
	pthread_once(&fd_vfs_once, fd_vfs_init);
	if (fd < 0 || !fd_vfs_ok)
		return NULL;
	dv_db *db = xcalloc(1, sizeof *db);
	db->path = xstrdup(name);
	db->readonly = 1;
	db->busy_ms = src->busy_ms;
	db->key_path = xstrdup(src->key_path);
	db->anchors_path = xstrdup(src->anchors_path);
	db->key = src->key;
	db->key_loaded = src->key_loaded;
	/* immutable: no locks and no journal looked for; nothing changes it. */
	char *uri = xasprintf("file:" FD_PREFIX "%d?immutable=1", fd);
	int rc = sqlite3_open_v2(uri, &db->h, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, "dovira-fd");
	free(uri);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db->h, "PRAGMA foreign_keys=ON", NULL, NULL, NULL);
	if (rc == SQLITE_OK) {
		char *mm = xasprintf("PRAGMA mmap_size=%zu", len);
		rc = sqlite3_exec(db->h, mm, NULL, NULL, NULL);
		free(mm);
	}
	if (rc == SQLITE_OK) /* it is a database SQLite can read */
		rc = sqlite3_exec(db->h, "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		db_close(db);
		return NULL;
	}
	sqlite3_extended_result_codes(db->h, 1);
	return db;
}

dv_db *db_snapshot_twin(dv_db *snap, dv_error *e)
{
	if (!snap->map) {
		dv_fail(e, DV_EINVAL, _("%s: cannot read the copy: %s"), snap->path, strerror(EINVAL));
		return NULL;
	}
	dv_db *twin = snap->has_copy_fd ? open_fd_file(snap, snap->copy_fd, snap->map_len, snap->path) : NULL;
	return twin ? twin : open_image(snap, snap->map, snap->map_len, snap->path, e);
}

int db_link_copy(int fd, const char *dest, dv_error *e)
{
	char *proc = xasprintf("/proc/self/fd/%d", fd);
	priv_drop();
	int rc = linkat(AT_FDCWD, proc, AT_FDCWD, dest, AT_SYMLINK_FOLLOW);
	priv_restore();
	free(proc);
	if (rc != 0)
		return dv_fail(e, errno == EEXIST ? DV_EINVAL : DV_EIO, _("%s: cannot write the backup: %s"), dest, strerror(errno));
	return DV_OK;
}

/* combine.c: intents of draft saves, and their outcomes (combine.h).
 *
 * The pending directory (priv_pending_dir: in the run directory, a tmpfs
 * on a server, else "<database>-pending" beside the database) is
 * made like the spool directory (spool.c): mode 0770 under the program's
 * umask (007), with the group dovira runs as (installed setgid: the
 * program's group, which no person is in; else the directory's, or the
 * account's). An intent's life there:
 *   .NONCE.SEQ.tmp          being written (never read; removed by a
 *                           combiner once 10 minutes old: left by a crash)
 *   NONCE.SEQ.intent        posted: any combiner may claim it
 *   NONCE.SEQ.intent.claimed  claimed (renamed) by the combiner that holds
 *                           the write lock; removed after its commit, put
 *                           back as .intent if that transaction fails
 *   NONCE.SEQ.intent.withdrawn  its session stopped waiting (timeout)
 *   NONCE.SEQ.intent.refused    not a valid intent; why is in refused.log
 *   .NONCE.spare            an applied intent's file, kept for the
 *                           session's next post (combine_retire); removed
 *                           when the session closes, or by a combiner
 *                           once 10 minutes old
 * Claims are made only under the write lock, and a rename succeeds once,
 * so an intent is either withdrawn or claimed, never both. Files are not
 * synced: an intent is durable only through the commit that applies it.
 *
 * A session's next post writes its spare again instead of making a
 * file: under 32 writers, making and removing a file for every save took
 * a fifth of the processes' time, most of it in the filesystem's search
 * for a free inode, beside the combiner that held the lock.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <linux/futex.h>
#include <stdint.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <uuid/uuid.h>

#include "combine.h"
#include "dovira/i18n.h"
#include "dovira/priv.h"
#include "dovira/utf8.h"

#define INTENT_MAGIC "dovira-intent 1\n"
#define INTENT_MAX_BYTES (4 << 20)
#define INTENT_MAX_ANSWERS 4096
#define RESULT_KEEP_S (24 * 3600)
#define TMP_STALE_S (10 * 60)
#define SWEEP_EVERY_S 60
#define SPARE_FRESH_S (TMP_STALE_S / 2)
#define LOOK_UNWOKEN_US 2000 /* combine_sleep's longest, without the page */

int combine_check_owner = 1;

void save_intent_clear(save_intent *in)
{
	for (int c = 0; c < COL_NCOLS; c++)
		free(in->col[c]);
	free(in->risk);
	free(in->step);
	for (size_t i = 0; i < in->nset; i++) {
		free(in->set[i].step);
		free(in->set[i].value);
	}
	free(in->set);
	for (size_t i = 0; i < in->ngone; i++)
		free(in->gone[i]);
	free(in->gone);
	if (in->file && in->fd > 0)
		close(in->fd);
	free(in->file);
	memset(in, 0, sizeof *in);
}

/* ---- the file format ---- */

static void put_escaped(dv_buf *b, const char *v)
{
	for (; *v; v++) {
		switch (*v) {
		case '\\': dv_buf_adds(b, "\\\\"); break;
		case '\n': dv_buf_adds(b, "\\n"); break;
		case '\t': dv_buf_adds(b, "\\t"); break;
		case '\r': dv_buf_adds(b, "\\r"); break;
		default: dv_buf_addc(b, *v);
		}
	}
}

static void put_line(dv_buf *b, const char *key, const char *v)
{
	dv_buf_adds(b, key);
	dv_buf_addc(b, ' ');
	put_escaped(b, v);
	dv_buf_addc(b, '\n');
}

void combine_serialise(dv_buf *b, const save_intent *in)
{
	dv_buf_adds(b, INTENT_MAGIC);
	dv_buf_printf(b, "nonce %s\nseq %ld\n", in->nonce, in->seq);
	put_line(b, "login", in->login);
	dv_buf_printf(b, "id %s\ncase %s\nversion %ld\nmask %x\n", in->id, in->case_code, in->version, in->mask);
	for (int c = 0; c < COL_NCOLS; c++) {
		if (!(in->mask & (1u << c)))
			continue;
		if (in->col[c]) {
			dv_buf_printf(b, "col %s ", col_name((call_col)c));
			put_escaped(b, in->col[c]);
			dv_buf_addc(b, '\n');
		} else {
			dv_buf_printf(b, "nocol %s\n", col_name((call_col)c));
		}
	}
	if (in->mask & CH_RISK)
		in->risk ? put_line(b, "risk", in->risk) : dv_buf_adds(b, "norisk\n");
	if (in->mask & CH_STEP)
		in->step ? put_line(b, "step", in->step) : dv_buf_adds(b, "nostep\n");
	for (size_t i = 0; i < in->nset; i++) {
		dv_buf_adds(b, "answer ");
		put_escaped(b, in->set[i].step);
		dv_buf_addc(b, '\t');
		put_escaped(b, in->set[i].value);
		dv_buf_addc(b, '\n');
	}
	for (size_t i = 0; i < in->ngone; i++)
		put_line(b, "gone", in->gone[i]);
	dv_buf_adds(b, "end\n");
}

/* Undo put_escaped in place; 0 if s holds a bad escape. */
static int unescape(char *s)
{
	char *o = s;
	for (; *s; s++) {
		if (*s != '\\') {
			*o++ = *s;
			continue;
		}
		switch (*++s) {
		case '\\': *o++ = '\\'; break;
		case 'n': *o++ = '\n'; break;
		case 't': *o++ = '\t'; break;
		case 'r': *o++ = '\r'; break;
		default: return 0;
		}
	}
	*o = '\0';
	return 1;
}

static int parse_long(const char *s, long min, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min)
		return 0;
	*out = v;
	return 1;
}

static int all_of(const char *s, size_t len, const char *chars)
{
	return strlen(s) == len && strspn(s, chars) == len;
}

int combine_parse(const char *file, char *text, size_t len, save_intent *in, dv_error *e)
{
	memset(in, 0, sizeof *in);
	if (len < strlen(INTENT_MAGIC) || strncmp(text, INTENT_MAGIC, strlen(INTENT_MAGIC)) != 0)
		return dv_fail(e, DV_EINVAL, _("%s:%d: not an intent of a save (its first line is not \"%.*s\")"), file, 1,
			       (int)strlen(INTENT_MAGIC) - 1, INTENT_MAGIC);
	if (memchr(text, '\0', len))
		return dv_fail(e, DV_EINVAL, _("%s:%d: the file holds a NUL byte"), file, 1);
	for (size_t i = 0; i < len;) {
		unsigned cp;
		int n = utf8_decode(text + i, len - i, &cp);
		if (n < 0) {
			int line = 1;
			for (size_t k = 0; k < i; k++)
				line += text[k] == '\n';
			return dv_fail(e, DV_EINVAL, _("%s:%d: invalid UTF-8"), file, line);
		}
		i += (size_t)n;
	}
	unsigned seen = 0; /* the masked fields given a value */
	int have = 0, line = 1, ended = 0;
	enum { H_NONCE = 1, H_SEQ = 2, H_LOGIN = 4, H_ID = 8, H_CASE = 16, H_VERSION = 32, H_MASK = 64, H_ALL = 127 };
	char *p = text + strlen(INTENT_MAGIC);
	const char *bad = NULL;
	while (!bad && !ended) {
		line++;
		char *nl = strchr(p, '\n');
		if (!nl) {
			bad = *p ? _("the last line is cut short (the file is truncated)") : _("the file ends before its \"end\" line (it is truncated)");
			break;
		}
		*nl = '\0';
		for (char *q = p; *q; q++)
			if ((unsigned char)*q < 0x20 && *q != '\t')
				bad = _("a control character");
		char *sp = strchr(p, ' ');
		char *v = sp ? sp + 1 : NULL;
		if (sp)
			*sp = '\0';
		const char *key = p;
		p = nl + 1;
		if (bad)
			break;
		if (strcmp(key, "end") == 0 && !v) {
			ended = 1;
		} else if (!v && strcmp(key, "norisk") && strcmp(key, "nostep")) {
			bad = _("a line without a value");
		} else if (strcmp(key, "nonce") == 0) {
			if (!all_of(v, 32, "0123456789abcdef"))
				bad = _("the nonce is not 32 hexadecimal digits");
			else
				memcpy(in->nonce, v, 33), have |= H_NONCE;
		} else if (strcmp(key, "seq") == 0) {
			if (!parse_long(v, 1, &in->seq))
				bad = _("the save number is not a positive number");
			have |= H_SEQ;
		} else if (strcmp(key, "login") == 0) {
			if (!unescape(v) || !*v || strlen(v) >= sizeof in->login || strpbrk(v, "/\n\t\r"))
				bad = _("the login is empty, too long or not a login");
			else
				snprintf(in->login, sizeof in->login, "%s", v), have |= H_LOGIN;
		} else if (strcmp(key, "id") == 0) {
			if (!all_of(v, 36, "0123456789abcdef-"))
				bad = _("the call id is not a UUID");
			else
				memcpy(in->id, v, 37), have |= H_ID;
		} else if (strcmp(key, "case") == 0) {
			if (!all_of(v, 9, "0123456789ABCDEFGHJKMNPQRSTVWXYZ-"))
				bad = _("the case code is not one");
			else
				memcpy(in->case_code, v, 10), have |= H_CASE;
		} else if (strcmp(key, "version") == 0) {
			if (!parse_long(v, 1, &in->version))
				bad = _("the version is not a positive number");
			have |= H_VERSION;
		} else if (strcmp(key, "mask") == 0) {
			char *end;
			unsigned long m = strtoul(v, &end, 16);
			if (end == v || *end || m & ~(unsigned long)CH_DRAFT_MASK)
				bad = _("the mask of changed fields is not one a draft save makes");
			in->mask = (unsigned)m, have |= H_MASK;
		} else if (strcmp(key, "col") == 0 || strcmp(key, "nocol") == 0) {
			char *val = strcmp(key, "col") == 0 ? strchr(v, ' ') : NULL;
			if (val)
				*val++ = '\0';
			int c = col_parse(v);
			if (!(have & H_MASK) || c < 0 || !(in->mask & (1u << c)) || (seen & (1u << c)))
				bad = _("a column that is not one, not in the mask, or given twice");
			else if ((strcmp(key, "col") == 0 && !val) || (val && !unescape(val)))
				bad = _("a bad value");
			else
				in->col[c] = val ? xstrdup(val) : NULL, seen |= 1u << c;
		} else if (strcmp(key, "risk") == 0 || strcmp(key, "norisk") == 0 || strcmp(key, "step") == 0 ||
			   strcmp(key, "nostep") == 0) {
			int risk = key[0] == 'r' || key[2] == 'r';
			unsigned bit = risk ? CH_RISK : CH_STEP;
			char **slot = risk ? &in->risk : &in->step;
			if (!(have & H_MASK) || !(in->mask & bit) || (seen & bit))
				bad = _("the risk or step is not in the mask, or given twice");
			else if (v && !unescape(v))
				bad = _("a bad value");
			else
				*slot = v && key[0] != 'n' ? xstrdup(v) : NULL, seen |= bit;
		} else if (strcmp(key, "answer") == 0) {
			char *tab = strchr(v, '\t');
			if (tab)
				*tab++ = '\0';
			if (!tab || !unescape(v) || !unescape(tab) || !*v || in->nset >= INTENT_MAX_ANSWERS)
				bad = _("an answer is not \"step<TAB>value\"");
			else {
				in->set = xrealloc(in->set, (in->nset + 1) * sizeof *in->set);
				in->set[in->nset++] = (call_answer){xstrdup(v), xstrdup(tab)};
			}
		} else if (strcmp(key, "gone") == 0) {
			if (!unescape(v) || !*v || in->ngone >= INTENT_MAX_ANSWERS)
				bad = _("a removed answer without its step");
			else {
				in->gone = xrealloc(in->gone, (in->ngone + 1) * sizeof *in->gone);
				in->gone[in->ngone++] = xstrdup(v);
			}
		} else {
			bad = _("an unknown line");
		}
	}
	if (!bad && ended && *p) {
		line++;
		bad = _("text after the \"end\" line");
	}
	if (!bad && (have & H_ALL) != H_ALL)
		bad = _("a field is missing (nonce, seq, login, id, case, version and mask are all needed)");
	if (!bad && (seen & in->mask) != in->mask)
		bad = _("a field in the mask is given no value");
	if (bad) {
		save_intent_clear(in);
		return dv_fail(e, DV_EINVAL, "%s:%d: %s", file, line, bad);
	}
	return DV_OK;
}

/* ---- posting and waiting ---- */

/* The wake-up page: the file "wake" of the pending directory, mapped
 * shared by every session that saves. Its first word is a counter a
 * combiner bumps after each commit; waiting sessions sleep on it (futex)
 * instead of polling their intent's file: 31 of them polling every
 * quarter millisecond took a third of two cores from the combiner they
 * were waiting for. Each waiter sleeps with the bit of its nonce and the
 * lock's bit (a futex bitset), so a combiner wakes just the sessions whose
 * saves it applied, and one more to take the lock it frees, not all 31 of
 * them at every commit.
 *
 * After the word, slots (by a hash of the nonce) say the outcome of the
 * last save applied of a nonce of that hash, once committed: a waiter woken reads
 * its own there instead of a read transaction of save_results (whose
 * shared lock, held by 31 waiters in turn, held up the next commit). A
 * slot is written under a sequence number (odd while written, seqlock):
 * a reader that finds it changing, or another nonce's, reads the table.
 *
 * After the slots, the change masks of the draft saves sessions have
 * posted (combine_mask_note), each with the minute it was last posted: a
 * session prepares the UPDATE of every one before it takes the lock, so
 * that as a combiner it has the statement of others' saves ready. One not
 * posted for a day is no longer listed, and its entry may be taken. */
#define WAKE_LOCK_BIT (1u << 31)
#define WAKE_BITS 31
#define WAKE_SLOTS 1024 /* 20 saves of a commit seldom share one */
#define WAKE_MAP COMBINE_WAKE_MAP
typedef struct wake_slot {
	unsigned long ver; /* even when whole */
	char nonce[32];
	long seq;
	int code, pad;
} wake_slot;
#define WAKE_MASK_USED (1u << 31)
#define WAKE_MASK_DAY 1440 /* minutes */
typedef struct wake_page {
	unsigned word, pad;
	wake_slot slot[WAKE_SLOTS];
	uint64_t mask[COMBINE_MASKS]; /* minute << 32 | WAKE_MASK_USED | mask; 0: free */
} wake_page;
_Static_assert(sizeof(wake_page) <= WAKE_MAP, "the wake-up page fits its mapping");

/* The directory of pending saves: fixed at the session's first look, so
 * that one made in the run directory meanwhile does not split its
 * intents between two directories. */
static const char *pending_dir(dv_db *db)
{
	if (!db->pending_dir)
		db->pending_dir = priv_pending_dir(db->path, db->run_dir);
	return db->pending_dir;
}

static unsigned nonce_hash(const char *nonce)
{
	unsigned h = 2166136261u; /* FNV-1a */
	for (int i = 0; i < 32 && nonce[i]; i++)
		h = (h ^ (unsigned char)nonce[i]) * 16777619u;
	return h;
}

unsigned combine_nonce_bit(const char *nonce)
{
	return 1u << (nonce_hash(nonce) % WAKE_BITS);
}

static wake_slot *slot_of(dv_db *db, const char *nonce)
{
	return &((wake_page *)(void *)db->wake)->slot[(nonce_hash(nonce) >> 5) % WAKE_SLOTS];
}

static void map_wake(dv_db *db, const char *dir)
{
	if (db->wake)
		return;
	char *path = xasprintf("%s/wake", dir);
	int fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0660);
	free(path);
	struct stat sb;
	if (fd < 0)
		return;
	/* Its blocks allocated before it is mapped: a page of a file with a
	 * hole behind it, written on a full disk, kills the program
	 * (SIGBUS). Without them the sessions do without the page: they
	 * look at the lock by themselves, and read outcomes from the
	 * database. */
	if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && (sb.st_size >= WAKE_MAP || ftruncate(fd, WAKE_MAP) == 0) &&
	    posix_fallocate(fd, 0, WAKE_MAP) == 0) {
		void *m = mmap(NULL, WAKE_MAP, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (m != MAP_FAILED)
			db->wake = m;
	}
	close(fd);
}

/* The page, mapped if it can be (the pending directory there). */
static wake_page *page_of(dv_db *db)
{
	if (!db->wake)
		map_wake(db, pending_dir(db));
	return db->wake ? (wake_page *)(void *)db->wake : NULL;
}

int combine_share_masks = 1;

static uint64_t mask_entry(unsigned mask, uint64_t minute)
{
	return minute << 32 | WAKE_MASK_USED | mask;
}

void combine_mask_note(dv_db *db, unsigned mask)
{
	wake_page *pg = combine_share_masks ? page_of(db) : NULL;
	if (!pg)
		return;
	uint64_t now = (uint64_t)time(NULL) / 60, want = WAKE_MASK_USED | mask;
	int free_at = -1, oldest = -1;
	uint64_t oldest_min = now;
	for (int i = 0; i < COMBINE_MASKS; i++) {
		uint64_t v = __atomic_load_n(&pg->mask[i], __ATOMIC_ACQUIRE);
		if ((v & 0xffffffffu) == want) {
			if ((v >> 32) + 1 < now) /* said again at most once a minute */
				__atomic_compare_exchange_n(&pg->mask[i], &v, mask_entry(mask, now), 0, __ATOMIC_ACQ_REL,
							    __ATOMIC_RELAXED);
			return;
		}
		if (!v && free_at < 0)
			free_at = i;
		else if (v && (v >> 32) < oldest_min)
			oldest = i, oldest_min = v >> 32;
	}
	/* a free entry, else one not posted for a day */
	int at = free_at >= 0 ? free_at : oldest_min + WAKE_MASK_DAY < now ? oldest : -1;
	if (at >= 0) {
		uint64_t v = __atomic_load_n(&pg->mask[at], __ATOMIC_ACQUIRE);
		if (at == free_at ? !v : (v >> 32) == oldest_min)
			__atomic_compare_exchange_n(&pg->mask[at], &v, mask_entry(mask, now), 0, __ATOMIC_ACQ_REL,
						    __ATOMIC_RELAXED);
	}
}

size_t combine_masks(dv_db *db, unsigned *out)
{
	wake_page *pg = combine_share_masks ? page_of(db) : NULL;
	uint64_t now = (uint64_t)time(NULL) / 60;
	size_t n = 0;
	for (int i = 0; pg && i < COMBINE_MASKS; i++) {
		uint64_t v = __atomic_load_n(&pg->mask[i], __ATOMIC_ACQUIRE);
		if ((v & WAKE_MASK_USED) && (v >> 32) + WAKE_MASK_DAY >= now)
			out[n++] = (unsigned)(v & 0xffffffffu) & ~WAKE_MASK_USED;
	}
	return n;
}

void combine_wake(dv_db *db, unsigned done)
{
	if (!db->wake)
		return;
	__atomic_add_fetch(db->wake, 1, __ATOMIC_SEQ_CST);
	done &= ~WAKE_LOCK_BIT;
	if (done)
		syscall(SYS_futex, db->wake, FUTEX_WAKE_BITSET, INT_MAX, NULL, NULL, done);
	syscall(SYS_futex, db->wake, FUTEX_WAKE_BITSET, 1, NULL, NULL, WAKE_LOCK_BIT);
}

void combine_wake_lock(dv_db *db)
{
	page_of(db);
	combine_wake(db, 0);
}

void combine_wake_all(dv_db *db)
{
	combine_wake(db, ~0u);
}

unsigned combine_wake_word(dv_db *db)
{
	return db->wake ? __atomic_load_n(db->wake, __ATOMIC_SEQ_CST) : 0;
}

void combine_sleep(dv_db *db, unsigned seen, long us)
{
	struct timespec t;
	if (!db->wake) {
		/* nobody can wake a session without the page: it looks often */
		if (us > LOOK_UNWOKEN_US)
			us = LOOK_UNWOKEN_US;
		t = (struct timespec){us / 1000000, (us % 1000000) * 1000};
		nanosleep(&t, NULL);
		return;
	}
	/* FUTEX_WAIT_BITSET's timeout is a time of CLOCK_MONOTONIC */
	clock_gettime(CLOCK_MONOTONIC, &t);
	t.tv_sec += us / 1000000;
	t.tv_nsec += (us % 1000000) * 1000;
	if (t.tv_nsec >= 1000000000)
		t.tv_sec++, t.tv_nsec -= 1000000000;
	unsigned bits = WAKE_LOCK_BIT | (db->nonce[0] ? combine_nonce_bit(db->nonce) : 0);
	syscall(SYS_futex, db->wake, FUTEX_WAIT_BITSET, seen, &t, NULL, bits);
}

void combine_publish(dv_db *db, const save_intent *in)
{
	if (!db->wake)
		return;
	wake_slot *sl = slot_of(db, in->nonce);
	unsigned long v = __atomic_load_n(&sl->ver, __ATOMIC_ACQUIRE);
	if ((v & 1) || !__atomic_compare_exchange_n(&sl->ver, &v, v + 1, 0, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
		return; /* another combiner writes it: its waiter reads the table */
	memcpy(sl->nonce, in->nonce, sizeof sl->nonce);
	sl->seq = in->seq;
	sl->code = in->code;
	__atomic_store_n(&sl->ver, v + 2, __ATOMIC_RELEASE);
}

/* The outcome of nonce's save seq from its slot: 1 and *code if found
 * whole there, else 0. */
static int slot_get(dv_db *db, const char *nonce, long seq, int *code)
{
	if (!db->wake)
		return 0;
	wake_slot *sl = slot_of(db, nonce);
	unsigned long v = __atomic_load_n(&sl->ver, __ATOMIC_ACQUIRE);
	if (v & 1)
		return 0;
	int same = memcmp(sl->nonce, nonce, sizeof sl->nonce) == 0 && sl->seq == seq;
	int c = sl->code;
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	if (!same || __atomic_load_n(&sl->ver, __ATOMIC_RELAXED) != v)
		return 0;
	*code = c;
	return 1;
}

int combine_applied(dv_db *db)
{
	int code;
	return db->nonce[0] && slot_get(db, db->nonce, db->seq, &code);
}

int combine_outcome(dv_db *db, const char *nonce, long seq, int *code, char *msg, size_t msz, dv_error *e)
{
	if (slot_get(db, nonce, seq, code) && *code == DV_OK) {
		if (msg && msz)
			msg[0] = '\0';
		return 1;
	}
	return combine_result_get(db, nonce, seq, code, msg, msz, e);
}

static char *spare_path(const char *dir, const char *nonce)
{
	return xasprintf("%s/.%s.spare", dir, nonce);
}

int combine_retire(const char *file, const char *nonce)
{
	const char *slash = strrchr(file, '/');
	char *dir = slash ? xstrndup(file, (size_t)(slash - file)) : NULL;
	char *spare = dir ? spare_path(dir, nonce) : NULL;
	free(dir);
	int rc = spare ? renameat2(AT_FDCWD, file, AT_FDCWD, spare, RENAME_NOREPLACE) : -1;
	if (rc != 0 && (!spare || errno != ENOENT))
		rc = unlink(file); /* the session has a spare already */
	free(spare);
	return rc;
}

/* The directory, made if missing; NULL with *e set if it is not one. */
static const char *ready_dir(dv_db *db, dv_error *e)
{
	const char *dir = pending_dir(db);
	struct stat sb;
	if (lstat(dir, &sb) != 0 && errno == ENOENT && mkdir(dir, 0770) != 0 && errno != EEXIST) {
		dv_fail(e, DV_EIO, _("%s: cannot create the directory of pending saves: %s"), dir, strerror(errno));
		return NULL;
	}
	if (lstat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		dv_fail(e, DV_EIO, _("%s: the directory of pending saves is not a directory"), dir);
		return NULL;
	}
	return dir;
}

int combine_post(dv_session *s, const save_intent *in, dv_error *e)
{
	dv_db *db = s->db;
	const char *dir = ready_dir(db, e);
	if (!dir)
		return e->code;
	char *tmp = xasprintf("%s/.%s.%ld.tmp", dir, in->nonce, in->seq);
	char *final = xasprintf("%s/%s.%ld.intent", dir, in->nonce, in->seq);
	if (!db->spare)
		db->spare = spare_path(dir, in->nonce);
	dv_buf b = {0};
	combine_serialise(&b, in);
	int ok = 0, err = 0;
	/* The spare is written in place and renamed to the intent's name:
	 * no file is made, and no other name is taken on the way (a claimed
	 * file is retired to the spare's name only when there is none). One
	 * a sweep might remove now (5 of its 10 minutes old) goes, and a new
	 * file is written; so is one if the spare was written in vain. */
	for (int fresh = 0; !ok && fresh < 2; fresh++) {
		const char *path = tmp;
		int fd = fresh ? -1 : open(db->spare, O_WRONLY | O_NOFOLLOW | O_CLOEXEC), reuse = 0;
		struct stat sb;
		if (fd >= 0 && fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_nlink == 1 &&
		    sb.st_mtime >= time(NULL) - SPARE_FRESH_S) {
			reuse = 1;
			path = db->spare;
		} else if (fd >= 0) {
			close(fd);
			unlink(db->spare);
		}
		if (!reuse)
			fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0660);
		ok = fd >= 0 && write(fd, b.s, b.len) == (ssize_t)b.len && (!reuse || ftruncate(fd, (off_t)b.len) == 0);
		err = errno;
		if (fd >= 0 && close(fd) != 0 && ok)
			ok = 0, err = errno;
		if (ok && rename(path, final) != 0)
			ok = 0, err = errno;
		if (!reuse)
			break;
	}
	dv_buf_free(&b);
	if (!ok) {
		unlink(tmp);
		dv_fail(e, DV_EIO, _("%s: cannot write the pending save: %s"), final, strerror(err));
		free(tmp);
		free(final);
		return e->code;
	}
	free(tmp);
	map_wake(db, dir);
	free(db->intent_pending);
	free(db->intent_claimed);
	db->intent_pending = final;
	db->intent_claimed = xasprintf("%s.claimed", final);
	db->intent_end = 0;
	return DV_OK;
}

static int exists(const char *path)
{
	struct stat sb;
	return lstat(path, &sb) == 0;
}

int combine_unpost(dv_db *db, int known_gone)
{
	int gone = known_gone || !db->intent_pending || (!exists(db->intent_pending) && !exists(db->intent_claimed));
	free(db->intent_pending);
	free(db->intent_claimed);
	db->intent_pending = db->intent_claimed = NULL;
	return gone;
}

int combine_withdraw(dv_db *db)
{
	if (!db->intent_pending)
		return 0;
	char *w = xasprintf("%s.withdrawn", db->intent_pending);
	int done = rename(db->intent_pending, w) == 0;
	if (done)
		unlink(w);
	free(w);
	return done;
}

int combine_settle(dv_session *s, long seq, int *code, dv_error *e)
{
	dv_db *db = s->db;
	char msg[768];
	const char *dir = pending_dir(db);
	char *pend = xasprintf("%s/%s.%ld.intent", dir, db->nonce, seq);
	char *claimed = xasprintf("%s.claimed", pend), *w = xasprintf("%s.withdrawn", pend);
	int ret = 0;
	/* Twice: a file that moves between the looks (put back after a
	 * rollback, or removed after the commit that recorded its outcome) is
	 * found where it went on the second. */
	for (int pass = 0; pass < 2; pass++) {
		ret = combine_result_get(db, db->nonce, seq, code, msg, sizeof msg, e);
		if (ret)
			break;
		if (rename(pend, w) == 0) { /* still pending: nobody will apply it now */
			unlink(w);
			break;
		}
		int fd = open(claimed, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
		if (fd < 0)
			continue;
		if (flock(fd, LOCK_EX | LOCK_NB) != 0) { /* its combiner lives: wait for its commit */
			close(fd);
			ret = dv_fail(e, DV_EBUSY, _("the save is still being written by another session; it is tried again"));
			break;
		}
		/* Its combiner died. If it committed first, the outcome is
		 * recorded; else its transaction was rolled back and the file
		 * (still this one: a combiner renames or removes it only under
		 * the flock held now) goes, unapplied. */
		ret = combine_result_get(db, db->nonce, seq, code, msg, sizeof msg, e);
		struct stat a, b;
		if (!ret && fstat(fd, &a) == 0 && lstat(claimed, &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev)
			unlink(claimed);
		close(fd);
		break;
	}
	free(pend);
	free(claimed);
	free(w);
	return ret;
}

/* ---- the combiner ---- */

/* The login of a uid, as staff_whoami names the account running. */
static const char *login_of(uid_t uid)
{
	static uid_t last = (uid_t)-1;
	static char name[64];
	if (uid != last) {
		struct passwd *pw = getpwuid(uid);
		if (pw && pw->pw_name)
			snprintf(name, sizeof name, "%s", pw->pw_name);
		else
			snprintf(name, sizeof name, "uid-%lu", (unsigned long)uid);
		last = uid;
	}
	return name;
}

/* Set the file aside as refused and say why in refused.log. */
static void refuse(const char *dir, const char *name, const char *claimed, const char *why)
{
	size_t n = strlen(name);
	if (n > 8 && strcmp(name + n - 8, ".claimed") == 0)
		n -= 8;
	char *aside = xasprintf("%s/%.*s.refused", dir, (int)n, name);
	rename(claimed, aside);
	free(aside);
	char *log = xasprintf("%s/refused.log", dir);
	int fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0660);
	if (fd >= 0) {
		char at[21];
		dv_utc_iso(dv_now(), at);
		char *line = xasprintf("%s %s\n", at, why);
		if (write(fd, line, strlen(line)) < 0) {
			/* nothing more to do: the file is set aside all the same */
		}
		free(line);
		close(fd);
	}
	free(log);
}

/* Read and check one claimed intent; DV_OK or a refusal in *e. */
static int read_intent(int fd, const char *path, const char *name, save_intent *in, dv_error *e)
{
	struct stat sb;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size > INTENT_MAX_BYTES)
		return dv_fail(e, DV_EINVAL, _("%s:%d: not a regular file of at most %d bytes"), path, 0, INTENT_MAX_BYTES);
	char *text = xmalloc((size_t)sb.st_size + 1);
	ssize_t got = pread(fd, text, (size_t)sb.st_size, 0);
	if (got != (ssize_t)sb.st_size) {
		free(text);
		return dv_fail(e, DV_EIO, _("%s:%d: cannot read it"), path, 0);
	}
	text[got] = '\0';
	int code = combine_parse(path, text, (size_t)got, in, e);
	free(text);
	if (code)
		return code;
	char *want = xasprintf("%s.%ld.intent", in->nonce, in->seq);
	int named = strncmp(name, want, strlen(want)) == 0 &&
		    (name[strlen(want)] == '\0' || strcmp(name + strlen(want), ".claimed") == 0);
	free(want);
	if (!named)
		code = dv_fail(e, DV_EINVAL, _("%s:%d: the file's name does not match the nonce and save number it holds"), path, 3);
	else if (combine_check_owner && strcmp(login_of(sb.st_uid), in->login) != 0)
		code = dv_fail(e, DV_EINVAL, _("%s:%d: names the account %s, but the file belongs to %s"), path, 4, in->login,
			       login_of(sb.st_uid));
	if (code)
		save_intent_clear(in);
	return code;
}

static int ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);
	return n >= t && strcmp(s + n - t, tail) == 0;
}

/* A ".NONCE.SEQ.tmp" file is an intent being written; its writer renames
 * it within a moment. One older than TMP_STALE_S was left by a session
 * that died while writing it: nobody will ever post it, so it goes. */
static void drop_stale(const char *dir, const char *name, time_t now)
{
	char *p = xasprintf("%s/%s", dir, name);
	struct stat sb;
	if (lstat(p, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_mtime < now - TMP_STALE_S)
		unlink(p);
	free(p);
}

size_t combine_collect(dv_session *s, const char *own_nonce, int only_pending, save_intent **out, size_t max)
{
	*out = NULL;
	const char *dir = pending_dir(s->db);
	DIR *d = opendir(dir);
	if (d)
		map_wake(s->db, dir);
	size_t n = 0, nonce_len = own_nonce ? strlen(own_nonce) : 0;
	/* Stale files are looked for once a minute: every session's spare
	 * is there, and a look is an lstat. */
	time_t now = time(NULL);
	int sweep = now - s->db->swept >= SWEEP_EVERY_S;
	if (sweep)
		s->db->swept = now;
	for (struct dirent *de; d && n < max && (de = readdir(d)) != NULL;) {
		const char *name = de->d_name;
		if (name[0] == '.' && (ends_with(name, ".tmp") || ends_with(name, ".spare")) && strlen(name) > 6) {
			if (sweep)
				drop_stale(dir, name, now);
			continue;
		}
		int pending = ends_with(name, ".intent"), left = !only_pending && ends_with(name, ".intent.claimed");
		if ((!pending && !left) || name[0] == '.' ||
		    (nonce_len && strncmp(name, own_nonce, nonce_len) == 0 && name[nonce_len] == '.'))
			continue;
		char *path = xasprintf("%s/%s", dir, name);
		char *claimed = pending ? xasprintf("%s.claimed", path) : xstrdup(path);
		if (pending && rename(path, claimed) != 0) { /* withdrawn meanwhile */
			free(path);
			free(claimed);
			continue;
		}
		free(path);
		/* A claim is held by its combiner (flock on the file) until the
		 * file is removed or put back: one found claimed and not held is
		 * left by a combiner that died. One just removed or put back by
		 * a live combiner is passed over. */
		int fd = open(claimed, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
		struct stat a, b;
		dv_error e;
		if (fd < 0 && errno == ENOENT) {
			free(claimed);
			continue;
		}
		if (fd >= 0 && (flock(fd, LOCK_EX | LOCK_NB) != 0 ||
				(left && (fstat(fd, &a) != 0 || lstat(claimed, &b) != 0 || a.st_ino != b.st_ino || a.st_dev != b.st_dev)))) {
			close(fd);
			free(claimed);
			continue;
		}
		save_intent in;
		if (fd < 0)
			dv_fail(&e, DV_EIO, _("%s:%d: cannot read it: %s"), claimed, 0, strerror(errno));
		if (fd < 0 || read_intent(fd, claimed, name, &in, &e) != DV_OK) {
			refuse(dir, name, claimed, e.msg);
			if (fd >= 0)
				close(fd);
			free(claimed);
			continue;
		}
		in.file = claimed;
		in.fd = fd;
		in.left = left;
		*out = xrealloc(*out, (n + 1) * sizeof **out);
		(*out)[n++] = in;
	}
	if (d)
		closedir(d);
	return n;
}

void combine_free(save_intent *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		save_intent_clear(&v[i]);
	free(v);
}

void combine_release(save_intent *v, size_t n, int committed)
{
	for (size_t i = 0; i < n; i++) {
		if (!v[i].file)
			continue;
		if (committed && !v[i].deferred) {
			combine_retire(v[i].file, v[i].nonce);
		} else {
			char *back = xstrndup(v[i].file, strlen(v[i].file) - strlen(".claimed"));
			rename(v[i].file, back);
			free(back);
		}
		close(v[i].fd); /* the claim ends only now (flock) */
		v[i].fd = -1;
	}
}

/* ---- outcomes ---- */

static const char SQL_RESULT_GET[] = "SELECT seq, code, msg FROM save_results WHERE nonce = ?1";
static const char SQL_RESULT_PUT[] =
	"INSERT INTO save_results(nonce, seq, code, msg, at) VALUES (?1, ?2, ?3, ?4, ?5)"
	" ON CONFLICT(nonce) DO UPDATE SET seq = excluded.seq, code = excluded.code, msg = excluded.msg, at = excluded.at";
static const char SQL_RESULT_PRUNE[] = "DELETE FROM save_results WHERE at < ?1";

int combine_result_get(dv_db *db, const char *nonce, long seq, int *code, char *msg, size_t msz, dv_error *e)
{
	sqlite3_stmt *st = dbi_cached(db, SQL_RESULT_GET, e);
	if (!st)
		return e->code;
	dbi_bind_text(st, 1, nonce);
	int rc = sqlite3_step(st), found = 0;
	if (rc == SQLITE_ROW && sqlite3_column_int64(st, 0) == seq) {
		found = 1;
		*code = sqlite3_column_int(st, 1);
		const char *m = (const char *)sqlite3_column_text(st, 2);
		if (msg && msz)
			snprintf(msg, msz, "%s", m ? m : "");
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return dbi_fail(db, rc, _("reading the outcome of a save"), e);
	return found;
}

int combine_result_put(dv_db *db, const save_intent *in, dv_error *e)
{
	sqlite3_stmt *st = dbi_cached(db, SQL_RESULT_PUT, e);
	if (!st)
		return e->code;
	char at[21];
	dv_utc_iso(dv_now(), at);
	dbi_bind_text(st, 1, in->nonce);
	sqlite3_bind_int64(st, 2, in->seq);
	sqlite3_bind_int(st, 3, in->code);
	dbi_bind_text(st, 4, in->code ? in->msg : NULL);
	dbi_bind_text(st, 5, at);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? DV_OK : dbi_fail(db, rc, _("saving the call"), e);
}

void combine_warm(dv_db *db)
{
	dbi_warm(db, SQL_RESULT_GET, SQL_RESULT_PUT, SQL_RESULT_PRUNE, NULL);
}

int combine_results_prune(dv_db *db, dv_error *e)
{
	sqlite3_stmt *st = dbi_cached(db, SQL_RESULT_PRUNE, e);
	if (!st)
		return e->code;
	char at[21];
	dv_utc_iso(dv_now() - RESULT_KEEP_S, at);
	dbi_bind_text(st, 1, at);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? DV_OK : dbi_fail(db, rc, _("saving the call"), e);
}

void combine_nonce(dv_db *db)
{
	if (db->nonce[0])
		return;
	uuid_t u;
	uuid_generate_random(u);
	for (int i = 0; i < 16; i++)
		snprintf(db->nonce + 2 * i, 3, "%02x", u[i]);
}

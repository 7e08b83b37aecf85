/* orgs_search.c: search-as-you-type over the directory (FTS5, bm25), and
 * the Ukrainian alphabetical order used to break ties.
 *
 * Speed (issue 9, item 15): a first letter or a telephone prefix ("0",
 * "08", "0800") matches nearly every entry, and the search used to spend
 * its time ranking them all with FTS5's bm25(), which looks up each row's
 * length with a statement of its own, and sorting every entry whole.
 * Now the screen's fifty are chosen so:
 *  - each match is scored from the index alone: dv_rank() (or, for a
 *    query of one word, dv_freq() and one pass) computes bm25's score with
 *    bm25's own arithmetic, taking the row lengths from a cache read once
 *    per change of the index (rank_cache);
 *  - a bounded heap keeps the best fifty; an entry is read (name, id,
 *    filters) only when its score could put it among them, and read whole
 *    only when it is one of them;
 *  - "0800" is served by a prefix index of four characters (migration in
 *    schema_redact_search.h);
 *  - the matches are offered best score first, and the offering stops as
 *    soon as no later one can get in; a filter's passing entries are known
 *    from a bitmap (passing()), so a filtered-out match is never read;
 *  - a broad query's scored matches and each filter's bitmap are kept
 *    in the rank_cache; when the directory changes (here or in another
 *    session), only the entries that changed are read again: the log of
 *    changes (schema_searchlog.h) names them, the lengths are patched at
 *    once, and a kept list or bitmap is patched when it is next used
 *    (the first letter after a change re-scores a few rows, instead of
 *    scanning the index for ten thousand).
 *  - a changed entry's hits are counted from its words, cut by the index's
 *    own tokenizer, once for every kept list (asking FTS5 walked the
 *    prefix's whole list per entry and per list);
 *  - a fresh broad scan is taken best first from a heap, not sorted whole;
 *  - while the screens wait for a key, orgs_search_warm readies all this
 *    (the lengths, the filter columns, every first letter's and telephone
 *    prefix's matches; after another session's change, the patches), one
 *    piece a call, giving way at once to a waiting key.
 * The order is exactly the old ORDER BY bm25, name, id: the unit tests
 * compare the two on a directory built for ties, and `make bench` times
 * both side by side. */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dovira/sanitize.h"
#include "dovira/utf8.h"
#include "orgs_int.h"
#include "schema_v2.h"
#include "dovira/i18n.h"

/* bm25 weights of the orgs_fts columns (schema_v2.h): names first. */
#define WEIGHTS "10.0, 10.0, 5.0, 5.0, 2.0, 1.0, 1.0"
#define RANK "dv_rank(orgs_fts, " WEIGHTS ")"

#define MAX_QUERY 256  /* bytes of the query looked at */
#define MAX_TOKENS 12  /* words of the query used */

/* 1 if cp never belongs to a word: ASCII other than letters and digits,
 * apostrophes of every kind, quotes, dashes, spaces and symbols. A word
 * break the index does not make is harmless (the two halves are both
 * required); the index breaking where we do not is handled by quoting. */
static int is_separator(unsigned cp)
{
	if (cp < 0x80)
		return !((cp >= '0' && cp <= '9') || ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z'));
	return cp <= 0xBF || cp == 0xD7 || cp == 0xF7 || cp == 0x02BB || cp == 0x02BC ||
	       (cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x3000 && cp <= 0x303F) ||
	       (cp >= 0xFE10 && cp <= 0xFE6F) || (cp >= 0xFF00 && cp <= 0xFF0F) || cp == 0xFEFF;
}

/* The FTS5 MATCH expression for what the user typed: each word quoted
 * (so nothing in it is syntax) and marked as a prefix: "гарм"* "зап"*.
 * NULL if the query has no word. */
static char *match_expr(const char *query)
{
	dv_buf b = {0};
	const unsigned char *s = (const unsigned char *)query;
	size_t n = strnlen(query, MAX_QUERY), i = 0;
	int tokens = 0, in_word = 0;
	while (i < n && tokens < MAX_TOKENS) {
		unsigned cp;
		int len = utf8_decode(s + i, n - i, &cp);
		int sep = len < 0 || is_separator(cp);
		if (!sep && !in_word)
			dv_buf_printf(&b, "%s\"", b.len ? " " : "");
		if (sep && in_word) {
			dv_buf_adds(&b, "\"*");
			tokens++;
		}
		if (!sep)
			dv_buf_add(&b, query + i, (size_t)len);
		in_word = !sep;
		i += (size_t)(len < 0 ? -len : len);
	}
	if (in_word)
		dv_buf_adds(&b, "\"*");
	return b.len ? dv_buf_take(&b) : (dv_buf_free(&b), NULL);
}

/* ---- Ukrainian order ------------------------------------------------- */

/* The place in the Ukrainian alphabet (а = 1 ... я = 33) of each lower-case
 * letter U+0430..U+045F; 0 for letters that are not Ukrainian. Ґ (U+0491,
 * place 5) lies outside the range. */
static const unsigned char uk_place[0x30] = {
	1, 2, 3, 4, 6, 7, 9, 10, 11, 14, 15, 16, 17, 18, 19, 20,    /* а..п */
	21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 0, 0, 31, 0, 32, 33, /* р..я */
	0, 0, 0, 0, 8, 0, 12, 13, 0, 0, 0, 0, 0, 0, 0, 0,          /* ѐ..џ: є і ї */
};

/* Primary weight: digits, then Latin, then Cyrillic in Ukrainian order,
 * then anything else by code point; 0 for what is skipped (spaces,
 * punctuation, quotes such as the « of «Гармонія»). Case is ignored. */
static unsigned weight(unsigned cp)
{
	if (is_separator(cp))
		return 0;
	if (cp >= '0' && cp <= '9')
		return 100 + cp - '0';
	if (cp < 0x80)
		return 200 + ((cp | 0x20) - 'a');
	unsigned lo = utf8_fold(cp);
	if (lo >= 0x430 && lo <= 0x45F && uk_place[lo - 0x430])
		return 300 + uk_place[lo - 0x430];
	if (lo == 0x491)
		return 300 + 5;
	return lo >= 0x400 && lo <= 0x4FF ? 400 + lo : 0x1000 + cp;
}

/* The next non-zero weight of s from *i on, or 0 at the end. */
static unsigned next_weight(const unsigned char *s, int n, int *i)
{
	while (*i < n) {
		if (s[*i] < 0x80 && weight(s[*i])) /* ASCII letters and digits */
			return weight(s[(*i)++]);
		unsigned cp;
		int len = utf8_decode(s + *i, (size_t)(n - *i), &cp);
		*i += len < 0 ? -len : len;
		unsigned w = len < 0 ? 0xFFFFFF : weight(cp);
		if (w)
			return w;
	}
	return 0;
}

static int uk_collate(void *unused, int n1, const void *a, int n2, const void *b)
{
	if (n1 == n2 && memcmp(a, b, (size_t)n1) == 0)
		return 0; /* the same name, as ties on the score often are */
	int i = 0, j = 0;
	for (;;) {
		unsigned x = next_weight(a, n1, &i), y = next_weight(b, n2, &j);
		if (x != y)
			return x < y ? -1 : 1;
		if (!x)
			break;
	}
	int c = memcmp(a, b, (size_t)(n1 < n2 ? n1 : n2));
	return c ? c : n1 - n2;
}

/* SQLite asks for a collation it does not know: supply dv_uk. Setting
 * this callback is cheap and, unlike registering the collation itself,
 * does not expire the connection's prepared statements. */
static void collation_needed(void *unused, sqlite3 *h, int enc, const char *name)
{
	if (strcmp(name, "dv_uk") == 0)
		sqlite3_create_collation_v2(h, "dv_uk", SQLITE_UTF8, NULL, uk_collate, NULL);
}

static int ensure_collation(dv_db *db, dv_error *e)
{
	int rc = sqlite3_collation_needed(db->h, NULL, collation_needed);
	if (rc != SQLITE_OK)
		return dbi_fail(db, rc, _("searching the directory"), e);
	return DV_OK;
}

/* ---- The rank ---------------------------------------------------------- */

/* What bm25 computes once per query: the IDF of each phrase and the mean
 * length of a row, as FTS5's fts5Bm25GetData does. */
typedef struct rank_data {
	int nphrase;
	double avgdl;
	double *idf;
	double *freq;
} rank_data;

static int count_hit(const Fts5ExtensionApi *api, Fts5Context *fts, void *arg)
{
	(void)api, (void)fts;
	(*(sqlite3_int64 *)arg)++;
	return SQLITE_OK;
}

static int rank_data_get(const Fts5ExtensionApi *api, Fts5Context *fts, rank_data **out)
{
	rank_data *p = api->xGetAuxdata(fts, 0);
	if (p) {
		*out = p;
		return SQLITE_OK;
	}
	int n = api->xPhraseCount(fts);
	sqlite3_int64 rows = 0, tokens = 0;
	p = sqlite3_malloc64(sizeof *p + (size_t)n * 2 * sizeof(double));
	if (!p)
		return SQLITE_NOMEM;
	p->nphrase = n;
	p->idf = (double *)(p + 1);
	p->freq = p->idf + n;
	int rc = api->xRowCount(fts, &rows);
	if (rc == SQLITE_OK)
		rc = api->xColumnTotalSize(fts, -1, &tokens);
	if (rc == SQLITE_OK)
		p->avgdl = (double)tokens / (double)rows;
	for (int i = 0; rc == SQLITE_OK && i < n; i++) {
		sqlite3_int64 hits = 0;
		rc = api->xQueryPhrase(fts, i, &hits, count_hit);
		double idf = log((rows - hits + 0.5) / (hits + 0.5));
		p->idf[i] = idf <= 0.0 ? 1e-6 : idf;
	}
	if (rc == SQLITE_OK)
		rc = api->xSetAuxdata(fts, p, sqlite3_free);
	else
		sqlite3_free(p);
	*out = rc == SQLITE_OK ? p : NULL;
	return rc;
}

/* The row's length in tokens from its docsize blob (one varint a column),
 * or -1 if the blob is missing or malformed. */
static int docsize_total(const unsigned char *s, int n)
{
	int total = 0;
	if (!s)
		return -1;
	for (int i = 0; i < n;) {
		unsigned x = 0;
		int k = 0;
		do {
			if (i >= n || ++k > 5)
				return -1;
			x = (x << 7) | (s[i] & 0x7F);
		} while (s[i++] & 0x80);
		total += (int)x;
	}
	return total;
}

typedef struct scored {
	sqlite3_int64 rowid;
	double score;
	double f;       /* the weighted hits of a one-phrase query; NAN: several */
} scored;

/* The length of every row of the index, by rowid, read in one pass and
 * kept while the index does not change (its structure and averages
 * records, which FTS5 rewrites on every change, are the same bytes). One
 * per connection, freed with it. */
typedef struct rank_cache {
	int *len;               /* len[rowid]: tokens in the row, -1: none */
	sqlite3_int64 nlen;
	unsigned char *stamp;   /* the structure and averages records */
	int nstamp;
	sqlite3_int64 rows, tokens; /* of the table (averages record) */
	sqlite3_int64 seq;      /* the log's last change len reflects; -1: no log */
	struct kept *kept;      /* the scored matches of recent broad queries */
	int nkept;
	struct passing *pass;   /* the entries each recent filter lets through */
	int npass;
	struct frow *fr;        /* fr[rowid]: the columns the filters read */
	sqlite3_int64 nfr;
	sqlite3_int64 frseq;    /* the log's last change fr reflects */
	const char *codes[3][64]; /* the area, service and serves codes: bit i is codes[set][i] */
	size_t codelen[3][64];
	size_t warm_next;       /* the next of warm_prefixes to score while idle */
	int fr_broken;          /* the filter columns could not be read: not warmed */
	const int *stopped;     /* while warming up: set when a key interrupts */
	sqlite3_int64 lencap;   /* the capacity of len[] while dv_lens fills it */
	fts5_api *api;
	Fts5Tokenizer *tok;     /* the index's tokenizer (made when first needed) */
	fts5_tokenizer tokx;
	int tok_state;          /* 0: not tried, 1: agrees with FTS5, -1: not used */
	struct rowtok *rt;      /* changed rows' words, read at change rtseq */
	size_t nrt;
	sqlite3_int64 rtseq;
	int ncodes[3];          /* -1: a set of more than 64 (no bitmasks then) */
} rank_cache;

/* What the filters of a search read of one entry, kept so that a filter
 * never seen before is worked out without reading the directory again
 * (a full read is 3 ms or more with 10,000 entries). Each list of codes
 * is a bitmask of the known codes it names (FILTERS asks only for known
 * codes: check_filter), so that reading every entry allocates nothing. */
struct frow {
	uint64_t areas, operates, services, serves;
	int age_min, age_max;   /* -1: none */
	unsigned char national, retired, present;
	unsigned char areas_all;  /* areas is exactly "all" */
	unsigned char serves_any; /* serves is NULL: everyone */
};

/* Which entries a filter lets through, by rowid (1: it does), kept while
 * the index does not change (every change of orgs rewrites its row of the
 * index, so the index's stamp covers the entries too). With a filter of a
 * raion, most matches of a first letter fail it, and reading each to see
 * so was most of such a keystroke's time. */
struct passing {
	char *key;              /* the filter, as filter_key() writes it */
	unsigned char *ok;
	sqlite3_int64 n;
	sqlite3_int64 seq;      /* the log's last change it reflects */
};

#define PASS_MAX 16     /* filters kept */

/* A broad query's matches with their scores, best first, kept while the
 * index does not change: a first letter or a "0" is typed at the start
 * of nearly every search, and scanning the index for its thousands of
 * matches is most of such a keystroke's time. */
struct kept {
	char *match;
	struct scored *v;
	size_t n;
	sqlite3_int64 seq;      /* the log's last change it reflects */
	int sorted;             /* 0: in no order yet (sorted when idle: orgs_search_warm) */
};

#define KEEP_MAX 128    /* queries kept (at most 128 x 24 bytes a match) */
#define PATCH_MAX 256   /* changed entries patched in; more: read all again */
#define KEEP_MIN 1000   /* matches a query needs to be worth keeping */

static void frows_clear(rank_cache *c)
{
	free(c->fr);
	c->fr = NULL;
	c->nfr = 0;
}

static void kept_clear(rank_cache *c)
{
	frows_clear(c);
	c->warm_next = 0; /* score the broad queries again when idle */
	c->fr_broken = 0;
	for (int i = 0; i < c->nkept; i++) {
		free(c->kept[i].match);
		free(c->kept[i].v);
	}
	free(c->kept);
	c->kept = NULL;
	c->nkept = 0;
	for (int i = 0; i < c->npass; i++) {
		free(c->pass[i].key);
		free(c->pass[i].ok);
	}
	free(c->pass);
	c->pass = NULL;
	c->npass = 0;
}

static void rowtok_clear(rank_cache *c);

static void rank_cache_free(void *p)
{
	rank_cache *c = p;
	kept_clear(c);
	rowtok_clear(c);
	if (c->tok)
		c->tokx.xDelete(c->tok);
	free(c->len);
	free(c->stamp);
	free(c);
}

/* The index's records that change whenever it does, into *out (malloc'd):
 * the averages record (its first *navg bytes), then the structure. */
static int index_stamp(dv_db *db, unsigned char **out, int *n, int *navg)
{
	static const char sql[] = "SELECT id, block FROM orgs_fts_data WHERE id IN (1, 10) ORDER BY id";
	dv_error e;
	sqlite3_stmt *st = dbi_cached(db, sql, &e);
	dv_buf b = {0};
	if (!st)
		return SQLITE_ERROR;
	int rc;
	*navg = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		dv_buf_add(&b, sqlite3_column_blob(st, 1), (size_t)sqlite3_column_bytes(st, 1));
		if (sqlite3_column_int64(st, 0) == 1)
			*navg = (int)b.len;
	}
	sqlite3_reset(st);
	*out = (unsigned char *)b.s;
	*n = (int)b.len;
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* One varint of SQLite's format (as FTS5 writes its records) at s[*i],
 * below n; -1 if it runs past the end. */
static sqlite3_int64 get_varint(const unsigned char *s, int n, int *i)
{
	sqlite3_uint64 x = 0;
	for (int k = 0; k < 9; k++) {
		if (*i >= n)
			return -1;
		unsigned char b = s[(*i)++];
		if (k == 8)
			return (sqlite3_int64)((x << 8) | b);
		x = (x << 7) | (b & 0x7F);
		if (!(b & 0x80))
			return (sqlite3_int64)x;
	}
	return -1;
}

/* The table's count of rows and of tokens, from the averages record (the
 * same numbers as FTS5's xRowCount and xColumnTotalSize(-1)). */
static void read_averages(rank_cache *c, const unsigned char *s, int n)
{
	int i = 0;
	sqlite3_int64 rows = get_varint(s, n, &i), tokens = 0;
	while (rows >= 0 && i < n) {
		sqlite3_int64 x = get_varint(s, n, &i);
		if (x < 0)
			break;
		tokens += x;
	}
	c->rows = rows > 0 ? rows : 0;
	c->tokens = tokens;
}

/* The last change in the log of changes, or -1 if there is none to read
 * (a database from before it: every change then reads all again). */
static sqlite3_int64 log_head(dv_db *db)
{
	static const char sql[] = "SELECT coalesce(max(seq), 0) FROM orgs_changes";
	dv_error e;
	sqlite3_stmt *st = dbi_cached(db, sql, &e);
	if (!st)
		return -1;
	sqlite3_int64 seq = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_reset(st);
	return seq;
}

static int row_cmp(const void *pa, const void *pb);

/* The rowids of the entries changed after change since, in order, into
 * *rows (malloc'd; *n of them). -1 if they cannot be read or there are
 * more than PATCH_MAX (then the caller reads everything again). Read
 * through the index of seq, newest last, and sorted here: ORDER BY row
 * made SQLite walk the whole log in row order (10,000 rows after an
 * import) to find the few changes, several times a keystroke. */
static int changed_rows(dv_db *db, sqlite3_int64 since, sqlite3_int64 **rows, size_t *n)
{
	static const char sql[] = "SELECT row FROM orgs_changes WHERE seq > ?1 ORDER BY seq LIMIT ?2";
	dv_error e;
	sqlite3_stmt *st = since < 0 ? NULL : dbi_cached(db, sql, &e);
	*rows = NULL;
	*n = 0;
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, since);
	sqlite3_bind_int(st, 2, PATCH_MAX + 1);
	int rc;
	*rows = xcalloc(PATCH_MAX + 1, sizeof **rows);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		(*rows)[(*n)++] = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE || *n > PATCH_MAX) {
		free(*rows), *rows = NULL, *n = 0;
		return -1;
	}
	if (*n > 1) /* qsort takes no NULL array, even empty */
		qsort(*rows, *n, sizeof **rows, row_cmp);
	return 0;
}

/* Make len[] hold slot id (new slots: -1). */
static void len_reserve(rank_cache *c, sqlite3_int64 id, sqlite3_int64 *cap)
{
	if (id < *cap)
		return;
	sqlite3_int64 ncap = *cap ? *cap : 1024;
	while (ncap <= id)
		ncap *= 2;
	c->len = xrealloc(c->len, (size_t)ncap * sizeof *c->len);
	for (sqlite3_int64 k = *cap; k < ncap; k++)
		c->len[k] = -1;
	*cap = ncap;
}

/* The capacity of len[]: nlen rounded up as len_reserve grows it. */
static sqlite3_int64 len_cap(const rank_cache *c)
{
	sqlite3_int64 cap = 1024;
	while (cap < c->nlen)
		cap *= 2;
	return cap;
}

/* Read again the lengths of the entries changed since c->seq only.
 * Returns 0, or -1 if that cannot be done (the caller reads all). */
static int patch_lengths(dv_db *db, rank_cache *c, sqlite3_int64 head)
{
	static const char sql[] = "SELECT sz FROM orgs_fts_docsize WHERE id = ?1";
	sqlite3_int64 *rows, cap = len_cap(c);
	size_t n;
	dv_error e;
	sqlite3_stmt *st = dbi_cached(db, sql, &e);
	if (!st || head < c->seq || changed_rows(db, c->seq, &rows, &n))
		return -1;
	int rc = SQLITE_OK;
	for (size_t i = 0; i < n && rc == SQLITE_OK; i++) {
		if (rows[i] < 0 || rows[i] > 10000000) {
			rc = SQLITE_ERROR;
			break;
		}
		len_reserve(c, rows[i], &cap);
		sqlite3_bind_int64(st, 1, rows[i]);
		rc = sqlite3_step(st);
		c->len[rows[i]] = rc == SQLITE_ROW ? docsize_total(sqlite3_column_blob(st, 0), sqlite3_column_bytes(st, 0)) : -1;
		c->nlen = rows[i] + 1 > c->nlen ? rows[i] + 1 : c->nlen;
		rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
		sqlite3_reset(st);
	}
	free(rows);
	if (rc != SQLITE_OK)
		return -1;
	c->seq = head;
	return 0;
}

/* dv_lens(id, sz), an aggregate over orgs_fts_docsize: each row's length
 * into the connection's rank_cache. */
static void dv_lens_step(sqlite3_context *ctx, int n, sqlite3_value **v)
{
	rank_cache *c = sqlite3_user_data(ctx);
	(void)n;
	sqlite3_int64 id = sqlite3_value_int64(v[0]);
	if (id < 0 || id > 10000000 || !c->len)
		return; /* not a directory's rowid: left to xColumnSize */
	len_reserve(c, id, &c->lencap);
	c->len[id] = docsize_total(sqlite3_value_blob(v[1]), sqlite3_value_bytes(v[1]));
	c->nlen = id + 1 > c->nlen ? id + 1 : c->nlen;
}

static void dv_lens_final(sqlite3_context *ctx)
{
	sqlite3_result_int(ctx, 0);
}

/* Bring the lengths up to date with the index: the changed entries only
 * when the log names them, else every row. On failure the cache is
 * emptied and dv_rank asks FTS5 for each length instead (slower, same
 * result). */
static void rank_cache_refresh(dv_db *db, rank_cache *c)
{
	unsigned char *stamp = NULL;
	int n, navg, rc = index_stamp(db, &stamp, &n, &navg);
	if (rc == SQLITE_INTERRUPT || (c->stopped && *c->stopped)) {
		free(stamp); /* a key while warming up: nothing learnt, nothing lost */
		return;
	}
	if (rc != SQLITE_OK) {
		free(stamp);
		kept_clear(c);
		free(c->len), c->len = NULL, c->nlen = 0;
		return;
	}
	if (c->len && n == c->nstamp && memcmp(stamp, c->stamp, (size_t)n) == 0) {
		free(stamp);
		return;
	}
	read_averages(c, stamp, navg);
	free(c->stamp), c->stamp = stamp, c->nstamp = n;
	sqlite3_int64 head = log_head(db);
	if (c->len && head >= 0 && c->seq >= 0 && patch_lengths(db, c, head) == 0)
		return;
	if (c->stopped && *c->stopped) {
		/* Interrupted by a key while warming up: keep what is kept, and
		 * forget the stamp so that the next search patches again (the
		 * lengths' change, c->seq, has not moved). */
		free(c->stamp), c->stamp = NULL, c->nstamp = 0;
		return;
	}
	kept_clear(c);
	c->seq = head;
	free(c->len), c->len = NULL, c->nlen = 0;
	/* One step of an aggregate (dv_lens) that files every row's length:
	 * a row handed back to C for each of 10,000 entries cost twice as
	 * much (each column read takes the connection's mutex). */
	dv_error e;
	sqlite3_stmt *st = dbi_cached(db, "SELECT dv_lens(id, sz) FROM orgs_fts_docsize", &e);
	if (!st)
		return;
	c->lencap = 0;
	len_reserve(c, 0, &c->lencap);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) { /* interrupted (a key while warming) or failed: read again next time */
		free(c->len), c->len = NULL, c->nlen = 0;
		free(c->stamp), c->stamp = NULL, c->nstamp = 0;
	}
}

/* One phrase's part of bm25 for a row: its IDF, its weighted count of
 * hits f, the row's length D and the mean length, with FTS5's constants
 * and its order of operations (so the double is the same to the bit). */
static double bm25_term(double idf, double f, double D, double avgdl)
{
	const double k1 = 1.2, b = 0.75;
	return idf * ((f * (k1 + 1.0)) / (f + k1 * (1 - b + b * D / avgdl)));
}

/* dv_rank(orgs_fts, weight...): bm25(orgs_fts, weight...), the same
 * arithmetic, with the row's length from the connection's rank_cache
 * (FTS5's xColumnSize when the cache does not have it). */
static void dv_rank(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
		    int nval, sqlite3_value **val)
{
	const rank_cache *c = api->xUserData(fts);
	rank_data *p = NULL;
	int rc = rank_data_get(api, fts, &p), ninst = 0, size = -1;
	if (rc == SQLITE_OK) {
		memset(p->freq, 0, sizeof(double) * (size_t)p->nphrase);
		rc = api->xInstCount(fts, &ninst);
	}
	for (int i = 0; rc == SQLITE_OK && i < ninst; i++) {
		int ip, ic, io;
		rc = api->xInst(fts, i, &ip, &ic, &io);
		if (rc == SQLITE_OK)
			p->freq[ip] += nval > ic ? sqlite3_value_double(val[ic]) : 1.0;
	}
	sqlite3_int64 id = api->xRowid(fts);
	if (c && c->len && id >= 0 && id < c->nlen)
		size = c->len[id];
	if (rc == SQLITE_OK && size < 0)
		rc = api->xColumnSize(fts, -1, &size);
	double score = 0.0, D = (double)size;
	for (int i = 0; rc == SQLITE_OK && i < p->nphrase; i++)
		score += bm25_term(p->idf[i], p->freq[i], D, p->avgdl);
	if (rc == SQLITE_OK)
		sqlite3_result_double(ctx, -1.0 * score);
	else
		sqlite3_result_error_code(ctx, rc);
}

/* dv_freq(orgs_fts, weight...): the weighted count of the hits of the
 * query's only phrase in the row, and on the first row the table's count
 * of rows and of tokens into the rank_cache: all that bm25 needs but the
 * phrase's IDF, which the number of matches gives once the scan is done
 * (FTS5's bm25 counts them first, in a second pass over the index). */
static void dv_freq(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
		    int nval, sqlite3_value **val)
{
	rank_cache *c = api->xUserData(fts);
	int ninst = 0, rc = SQLITE_OK;
	double f = 0.0;
	if (!api->xGetAuxdata(fts, 0)) {
		rc = api->xRowCount(fts, &c->rows);
		if (rc == SQLITE_OK)
			rc = api->xColumnTotalSize(fts, -1, &c->tokens);
		if (rc == SQLITE_OK)
			rc = api->xSetAuxdata(fts, c, NULL);
	}
	if (rc == SQLITE_OK)
		rc = api->xInstCount(fts, &ninst);
	for (int i = 0; rc == SQLITE_OK && i < ninst; i++) {
		int ip, ic, io;
		rc = api->xInst(fts, i, &ip, &ic, &io);
		if (rc == SQLITE_OK && ip == 0)
			f += nval > ic ? sqlite3_value_double(val[ic]) : 1.0;
	}
	if (rc == SQLITE_OK)
		sqlite3_result_double(ctx, f);
	else
		sqlite3_result_error_code(ctx, rc);
}

/* Register dv_rank and dv_freq on the connection, once. */
static int ensure_rank(dv_db *db, dv_error *e)
{
	fts5_api *api = NULL;
	if (db->rank) {
		rank_cache_refresh(db, db->rank);
		return DV_OK;
	}
	sqlite3_stmt *st = dbi_prepare(db, "SELECT fts5(?1)", e);
	if (!st)
		return e->code;
	sqlite3_bind_pointer(st, 1, &api, "fts5_api_ptr", NULL);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW || !api)
		return dbi_fail(db, rc == SQLITE_ROW ? SQLITE_ERROR : rc, _("searching the directory"), e);
	rank_cache *c = xcalloc(1, sizeof *c);
	c->api = api;
	rc = api->xCreateFunction(api, "dv_rank", c, dv_rank, rank_cache_free);
	if (rc != SQLITE_OK) {
		rank_cache_free(c);
		return dbi_fail(db, rc, _("searching the directory"), e);
	}
	rc = api->xCreateFunction(api, "dv_freq", c, dv_freq, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_create_function_v2(db->h, "dv_lens", 2, SQLITE_UTF8 | SQLITE_DIRECTONLY, c, NULL, dv_lens_step,
						dv_lens_final, NULL);

	if (rc != SQLITE_OK)
		return dbi_fail(db, rc, _("searching the directory"), e);
	db->rank = c;
	rank_cache_refresh(db, c);
	return DV_OK;
}

/* ---- The search ------------------------------------------------------ */

#define FILTERS \
	" (?2 IS NULL OR o.national = 1 OR o.areas = 'all'" \
	"  OR instr(' ' || o.areas || ' ', ' ' || ?2 || ' ')" \
	"  OR instr(' ' || coalesce(o.operates_in, '') || ' ', ' ' || ?2 || ' '))" \
	" AND (?3 IS NULL OR instr(' ' || o.services || ' ', ' ' || ?3 || ' '))" \
	" AND (?4 IS NULL OR o.serves IS NULL OR instr(' ' || o.serves || ' ', ' ' || ?4 || ' '))" \
	" AND (?5 < 0 OR ((o.age_min IS NULL OR o.age_min <= ?5) AND (o.age_max IS NULL OR o.age_max >= ?5)))" \
	" AND (?6 OR o.retired = 0)"

#define NAME_KEY "CASE WHEN ?7 = 'uk' THEN o.name_uk ELSE o.name_en END"
#define NAME_ORDER NAME_KEY " COLLATE dv_uk"

/* Entries marked do-not-refer last, and before them those without any
 * telephone (issue 9, items 11 and 12): an operator on a call reaches
 * first for what can be given to a caller. */
#define REFERABLE_FIRST "o.do_not_refer, (coalesce(o.phones, '') = '')"

/* The same order as one integer for the heap (0 first): what a search
 * sorts by before the score. */
#define SEARCH_GROUP "(o.do_not_refer * 2 + (coalesce(o.phones, '') = ''))"

/* Every match with its score only: the index alone, no entry read. */
#define CANDIDATES_SQL "SELECT rowid, " RANK " FROM orgs_fts WHERE orgs_fts MATCH ?1"

/* The same for a query of one phrase: the weighted count of hits only. */
#define FREQ_SQL "SELECT rowid, dv_freq(orgs_fts, " WEIGHTS ") FROM orgs_fts WHERE orgs_fts MATCH ?1"

/* One match's entry, if it passes the filters: its sort key. */
#define LOOKUP_SQL "SELECT " NAME_KEY ", o.id, " SEARCH_GROUP " FROM orgs o WHERE o.rowid = ?9 AND" FILTERS

static char *search_sql(int with_match)
{
	char *cols = org_sql_columns("o.");
	char *sql;
	if (with_match)
		sql = xasprintf("SELECT %s FROM orgs_fts JOIN orgs o ON o.rowid = orgs_fts.rowid"
				" WHERE orgs_fts MATCH ?1 AND" FILTERS
				" ORDER BY " REFERABLE_FIRST ", " RANK ", " NAME_ORDER ", o.id LIMIT ?8", cols);
	else
		sql = xasprintf("SELECT %s FROM orgs o WHERE" FILTERS
				" ORDER BY " REFERABLE_FIRST ", (o.verified_on IS NULL), o.national, " NAME_ORDER ", o.id LIMIT ?8", cols);
	free(cols);
	return sql;
}

/* ---- The best rows of a search: a bounded heap ------------------------ */

typedef struct cand {
	sqlite3_int64 rowid;
	int group;
	double score;
	unsigned char *key; /* the name's collation key (collation_key) */
	size_t klen;
	char *id;
} cand;

/* The name's key for dv_uk, so that the heap compares names with memcmp
 * (thousands of entries tie on the score, and comparing their names by
 * the collation was half a keystroke's time): the name's weights, three
 * bytes each, big-endian, then a zero weight, then the name's bytes.
 * memcmp of two keys, then the shorter first, orders as uk_collate does:
 * the weights first (a name whose weights end first is first, as
 * next_weight's 0 is below every weight), then memcmp of the bytes, then
 * the shorter. */
static void collation_key(const char *name, dv_buf *out)
{
	const unsigned char *s = (const unsigned char *)name;
	int n = (int)strlen(name), i = 0;
	out->len = 0;
	for (unsigned w; (w = next_weight(s, n, &i));) {
		unsigned char b[3] = {(unsigned char)(w >> 16), (unsigned char)(w >> 8), (unsigned char)w};
		dv_buf_add(out, (const char *)b, 3);
	}
	dv_buf_add(out, "\0\0\0", 3);
	dv_buf_add(out, name, (size_t)n);
}

/* The order of the results: group, score, then the name in Ukrainian
 * order, then the id (byte order), as search_sql()'s ORDER BY. */
static int cand_cmp(const void *pa, const void *pb)
{
	const cand *a = pa, *b = pb;
	if (a->group != b->group)
		return a->group < b->group ? -1 : 1;
	if (a->score != b->score)
		return a->score < b->score ? -1 : 1;
	int c = memcmp(a->key, b->key, a->klen < b->klen ? a->klen : b->klen);
	if (!c && a->klen != b->klen)
		c = a->klen < b->klen ? -1 : 1;
	return c ? c : strcmp(a->id, b->id);
}

/* Restore the max-heap (worst result on top) below slot i. */
static void sift_down(cand *h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < n && cand_cmp(&h[l], &h[m]) > 0)
			m = l;
		if (r < n && cand_cmp(&h[r], &h[m]) > 0)
			m = r;
		if (m == i)
			return;
		cand t = h[i];
		h[i] = h[m], h[m] = t;
		i = m;
	}
}

static void sift_up(cand *h, size_t i)
{
	while (i > 0 && cand_cmp(&h[i], &h[(i - 1) / 2]) > 0) {
		cand t = h[i];
		h[i] = h[(i - 1) / 2], h[(i - 1) / 2] = t;
		i = (i - 1) / 2;
	}
}

static const char *col_text(sqlite3_stmt *st, int i)
{
	const char *s = (const char *)sqlite3_column_text(st, i);
	return s ? s : "";
}

/* Offer the match (rowid, score) to the heap of at most k best. Its entry
 * is read (lookup: bound LOOKUP_SQL) only if it could get in: a full heap
 * whose worst is of the first group already beats every worse score. */
static int offer(cand *h, size_t *n, size_t k, sqlite3_int64 rowid, double score, sqlite3_stmt *lookup, dv_buf *key)
{
	if (*n == k && h[0].group == 0 && score > h[0].score)
		return SQLITE_OK;
	sqlite3_bind_int64(lookup, 9, rowid);
	int rc = sqlite3_step(lookup);
	if (rc != SQLITE_ROW) { /* filtered out, or an error */
		sqlite3_reset(lookup);
		return rc == SQLITE_DONE ? SQLITE_OK : rc;
	}
	collation_key(col_text(lookup, 0), key);
	cand c = {rowid, sqlite3_column_int(lookup, 2), score, (unsigned char *)key->s, key->len,
		  (char *)col_text(lookup, 1)};
	if (*n < k || cand_cmp(&c, &h[0]) < 0) {
		c.key = xmalloc(c.klen), c.id = xstrdup(c.id);
		memcpy(c.key, key->s, c.klen);
		if (*n < k) {
			h[(*n)++] = c;
			sift_up(h, *n - 1);
		} else {
			free(h[0].key), free(h[0].id);
			h[0] = c;
			sift_down(h, *n, 0);
		}
	}
	sqlite3_reset(lookup);
	return SQLITE_OK;
}

/* Read the whole entries of the chosen rows, in order, into out. */
static int fetch_rows(dv_db *db, const cand *h, size_t n, orgs_list *out, dv_error *e)
{
	static char *sql; /* the same for the whole run: kept, so that dbi_cached knows it */
	if (!sql) {
		char *cols = org_sql_columns("");
		sql = xasprintf("SELECT %s FROM orgs WHERE rowid = ?1", cols);
		free(cols);
	}
	sqlite3_stmt *st = dbi_cached(db, sql, e);
	if (!st)
		return e->code;
	out->v = xcalloc(n + 1, sizeof *out->v);
	int rc = SQLITE_ROW;
	for (size_t i = 0; i < n && rc == SQLITE_ROW; i++) {
		sqlite3_bind_int64(st, 1, h[i].rowid);
		if ((rc = sqlite3_step(st)) == SQLITE_ROW)
			org_from_row(st, 0, &out->v[out->n++]);
		sqlite3_reset(st);
	}
	return rc == SQLITE_ROW ? DV_OK : dbi_fail(db, rc == SQLITE_DONE ? SQLITE_CORRUPT : rc,
						    _("searching the directory"), e);
}

static void bind_filter(sqlite3_stmt *st, const char *match, const orgs_filter *f, const char *lang);


static int scored_cmp(const void *pa, const void *pb);

/* Best score (the most negative) first; rowid for a stable order. */
static int scored_cmp(const void *pa, const void *pb)
{
	const scored *a = pa, *b = pb;
	if (a->score != b->score)
		return a->score < b->score ? -1 : 1;
	return (a->rowid > b->rowid) - (a->rowid < b->rowid);
}

/* The statements of a search, prepared once per connection (dbi_cached
 * knows them by these addresses). */
static const char candidates_sql[] = CANDIDATES_SQL;
static const char freq_sql[] = FREQ_SQL;
static const char lookup_sql[] = LOOKUP_SQL;

/* Every row of st: its rowid and the number beside it. *rc: how the
 * stepping ended. st is reset. */
static scored *collect_scores(sqlite3_stmt *st, size_t *n, int *rc)
{
	scored *v = NULL;
	size_t cap = 0;
	*n = 0;
	while ((*rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap)
			v = xrealloc(v, (cap = cap ? cap * 2 : 256) * sizeof *v);
		v[(*n)++] = (scored){sqlite3_column_int64(st, 0), sqlite3_column_double(st, 1), NAN};
	}
	sqlite3_reset(st);
	return v;
}

/* bm25 of every match of a one-phrase query from its weighted hits (f),
 * the number of matches, the row lengths of the cache and the table's
 * mean length. -1 if a row's length is unknown. */
static int rescore(const rank_cache *c, scored *v, size_t n)
{
	if (!c->len || c->rows <= 0)
		return -1;
	sqlite3_int64 hits = (sqlite3_int64)n, rows = c->rows;
	double idf = log((rows - hits + 0.5) / (hits + 0.5)), avgdl = (double)c->tokens / (double)rows;
	idf = idf <= 0.0 ? 1e-6 : idf;
	for (size_t i = 0; i < n; i++) {
		sqlite3_int64 id = v[i].rowid;
		if (id < 0 || id >= c->nlen || c->len[id] < 0)
			return -1;
		double score = 0.0;
		score += bm25_term(idf, v[i].f, (double)c->len[id], avgdl);
		v[i].score = -1.0 * score;
	}
	return 0;
}

/* A query of one phrase, in one pass over the index: the weighted hits of
 * every match (st: FREQ_SQL, bound), then bm25 for each (rescore).
 * Returns the matches with their scores (*n of them), or NULL if a row's
 * length is unknown (the caller then scores with dv_rank). */
static scored *score_one_phrase(dv_db *db, sqlite3_stmt *st, size_t *n, int *rc)
{
	scored *v = collect_scores(st, n, rc);
	if (*rc != SQLITE_DONE || *n == 0)
		return v;
	for (size_t i = 0; i < *n; i++)
		v[i].f = v[i].score;
	if (rescore(db->rank, v, *n)) {
		free(v);
		return NULL;
	}
	return v;
}

/* The number of phrases of a MATCH expression made by match_expr(). */
static int phrases(const char *match)
{
	int n = 0;
	for (const char *p = strstr(match, "\"*"); p; p = strstr(p + 2, "\"*"))
		n++;
	return n;
}

/* Every match of match with its score: in one pass for one phrase,
 * with dv_rank otherwise. Returns them (*n) or NULL with *rc set. */
static scored *score_matches(dv_db *db, const char *match, size_t *n, int *rc, dv_error *e)
{
	scored *v = NULL;
	sqlite3_stmt *st;
	*n = 0;
	*rc = SQLITE_ERROR;
	if (phrases(match) == 1 && ((rank_cache *)db->rank)->len && (st = dbi_cached(db, freq_sql, e))) {
		dbi_bind_text(st, 1, match);
		v = score_one_phrase(db, st, n, rc);
		if (v || *rc != SQLITE_DONE || *n == 0)
			return v;
	}
	if (!(st = dbi_cached(db, candidates_sql, e)))
		return NULL;
	dbi_bind_text(st, 1, match);
	return collect_scores(st, n, rc);
}

static int row_cmp(const void *pa, const void *pb)
{
	sqlite3_int64 a = *(const sqlite3_int64 *)pa, b = *(const sqlite3_int64 *)pb;
	return (a > b) - (a < b);
}

/* ---- The weighted hits of changed entries, from their words ----------
 *
 * Asking FTS5 for one entry's hits of a prefix ("г"* AND rowid = ?) walks
 * the prefix's whole list: 300,000 instructions, and a change made in
 * another session had that asked for every kept list (60 of them once
 * warmed up). Instead each changed entry's indexed text is read once and
 * cut into words by the index's own tokenizer (the arguments of the
 * orgs_fts table, schema_redact_search.h), and each kept list counts the
 * words its prefix begins. The first count of a connection is checked
 * against FTS5's own; if they ever differ, FTS5 is asked as before. */

#define FTS_COLUMNS "name_uk, name_en, ident, phones, tags, address, notes"
static const double col_weight[7] = {10.0, 10.0, 5.0, 5.0, 2.0, 1.0, 1.0}; /* WEIGHTS */

struct rowtok {
	sqlite3_int64 row;
	dv_buf words;   /* each word: column (1 byte), length (2 bytes), bytes */
};

static void rowtok_clear(rank_cache *c)
{
	for (size_t i = 0; i < c->nrt; i++)
		dv_buf_free(&c->rt[i].words);
	free(c->rt);
	c->rt = NULL;
	c->nrt = 0;
}

typedef struct tok_sink {
	dv_buf *b;
	int col;
	int n;
} tok_sink;

static int tok_word(void *p, int flags, const char *t, int n, int start, int end)
{
	tok_sink *k = p;
	(void)flags, (void)start, (void)end;
	if (n > 0xFFFF)
		n = 0xFFFF;
	unsigned char head[3] = {(unsigned char)k->col, (unsigned char)(n >> 8), (unsigned char)n};
	dv_buf_add(k->b, (const char *)head, 3);
	dv_buf_add(k->b, t, (size_t)n);
	k->n++;
	return SQLITE_OK;
}

/* The index's tokenizer, made once; NULL if it cannot be. */
static Fts5Tokenizer *tokenizer(rank_cache *c)
{
	static const char *const args[] = {"remove_diacritics", "2", "separators", "\xca\xbc\xca\xbb"};
	if (c->tok || c->tok_state < 0 || !c->api)
		return c->tok;
	void *ud;
	if (c->api->xFindTokenizer(c->api, "unicode61", &ud, &c->tokx) != SQLITE_OK ||
	    c->tokx.xCreate(ud, (const char **)args, 4, &c->tok) != SQLITE_OK) {
		c->tok = NULL;
		c->tok_state = -1;
	}
	return c->tok;
}

/* The words of entry row as the index holds them (the cache of the
 * change c->seq), or NULL if they cannot be read; an entry deleted has
 * none. */
static const dv_buf *row_words(dv_db *db, rank_cache *c, sqlite3_int64 row)
{
	static const char sql[] = "SELECT " FTS_COLUMNS " FROM orgs_fts WHERE rowid = ?1";
	if (c->rtseq != c->seq) {
		rowtok_clear(c);
		c->rtseq = c->seq;
	}
	for (size_t i = 0; i < c->nrt; i++)
		if (c->rt[i].row == row)
			return &c->rt[i].words;
	dv_error e;
	sqlite3_stmt *st = dbi_cached(db, sql, &e);
	if (!st || !tokenizer(c))
		return NULL;
	struct rowtok r = {row, {0}};
	dv_buf_adds(&r.words, "");
	sqlite3_bind_int64(st, 1, row);
	int rc = sqlite3_step(st);
	for (int col = 0; rc == SQLITE_ROW && col < 7; col++) {
		const char *text = (const char *)sqlite3_column_text(st, col);
		tok_sink k = {&r.words, col, 0};
		if (text && c->tokx.xTokenize(c->tok, &k, FTS5_TOKENIZE_DOCUMENT, text, sqlite3_column_bytes(st, col),
					       tok_word) != SQLITE_OK)
			rc = SQLITE_ERROR;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		dv_buf_free(&r.words);
		return NULL;
	}
	c->rt = xrealloc(c->rt, (c->nrt + 1) * sizeof *c->rt);
	c->rt[c->nrt] = r;
	return &c->rt[c->nrt++].words;
}

/* The one word of a one-phrase match ("гарм"*) as the tokenizer makes
 * it, into out (size n); its length, or -1 if it is not one word. */
static int match_word(rank_cache *c, const char *match, char *out, int n)
{
	size_t len = strlen(match);
	if (len < 4 || match[0] != '"' || strcmp(match + len - 2, "\"*") != 0 || !tokenizer(c))
		return -1;
	dv_buf b = {0};
	tok_sink k = {&b, 0, 0};
	int rc = c->tokx.xTokenize(c->tok, &k, FTS5_TOKENIZE_QUERY | FTS5_TOKENIZE_PREFIX, match + 1, (int)len - 3,
				   tok_word);
	int wl = k.n == 1 && rc == SQLITE_OK ? ((unsigned char)b.s[1] << 8 | (unsigned char)b.s[2]) : -1;
	if (wl >= 0 && wl < n)
		memcpy(out, b.s + 3, (size_t)wl);
	else
		wl = -1;
	dv_buf_free(&b);
	return wl;
}

/* The weighted count of the words of the row that begin with word. */
static double words_freq(const dv_buf *w, const char *word, int wl)
{
	double f = 0.0;
	for (size_t i = 0; i + 3 <= w->len;) {
		const unsigned char *h = (const unsigned char *)w->s + i;
		int col = h[0], n = h[1] << 8 | h[2];
		if (n >= wl && memcmp(h + 3, word, (size_t)wl) == 0)
			f += col_weight[col];
		i += 3 + (size_t)n;
	}
	return f;
}

/* The weighted hits of a one-phrase match in one entry (0: no match), or
 * -1 on error. */
static double row_freq(dv_db *db, const char *match, sqlite3_int64 row)
{
	static const char sql[] = "SELECT dv_freq(orgs_fts, " WEIGHTS ") FROM orgs_fts WHERE orgs_fts MATCH ?1 AND rowid = ?2";
	dv_error e;
	sqlite3_stmt *st = dbi_cached(db, sql, &e);
	if (!st)
		return -1;
	dbi_bind_text(st, 1, match);
	sqlite3_bind_int64(st, 2, row);
	int rc = sqlite3_step(st);
	double f = rc == SQLITE_ROW ? sqlite3_column_double(st, 0) : rc == SQLITE_DONE ? 0.0 : -1;
	sqlite3_reset(st);
	return f;
}

/* Sort v (best first) when it is nearly in order already, as after a
 * re-score: insertion, unless it finds many entries out of place. */
static void resort(scored *v, size_t n)
{
	size_t moves = 0;
	for (size_t i = 1; i < n; i++) {
		scored x = v[i];
		size_t j = i;
		while (j > 0 && scored_cmp(&v[j - 1], &x) > 0) {
			v[j] = v[j - 1];
			j--;
			if (++moves > 4 * n) {
				v[j] = x;
				qsort(v, n, sizeof *v, scored_cmp);
				return;
			}
		}
		v[j] = x;
	}
}

/* Merge the sorted v[base..n) into the sorted v[0..base), in place from
 * the end (the tail is short: the entries a change touched). */
static void merge_tail(scored *v, size_t base, size_t n)
{
	size_t nt = n - base;
	if (nt == 0)
		return;
	scored *t = xmalloc(nt * sizeof *t);
	memcpy(t, v + base, nt * sizeof *t);
	size_t i = base, j = nt, o = n;
	while (j > 0) {
		if (i > 0 && scored_cmp(&v[i - 1], &t[j - 1]) > 0)
			v[--o] = v[--i];
		else
			v[--o] = t[--j];
	}
	free(t);
}

/* Bring a kept list up to the cache's change: the changed entries out,
 * those of them that match back in with their hits, every score again
 * (the number of matches and the mean length may have moved). -1 if it
 * cannot be patched (the caller scans again). */
static int patch_kept(dv_db *db, rank_cache *c, struct kept *k)
{
	sqlite3_int64 *rows;
	size_t nrows, n = 0;
	if (k->n == 0 || isnan(k->v[0].f) || changed_rows(db, k->seq, &rows, &nrows))
		return -1;
	for (size_t i = 0; i < k->n; i++)
		if (!bsearch(&k->v[i].rowid, rows, nrows, sizeof *rows, row_cmp))
			k->v[n++] = k->v[i];
	size_t base = n; /* the entries that did not change */
	k->v = xrealloc(k->v, (n + nrows) * sizeof *k->v);
	int ok = 1;
	char word[256];
	int wl = c->tok_state >= 0 ? match_word(c, k->match, word, sizeof word) : -1;
	for (size_t i = 0; i < nrows && ok; i++) {
		const dv_buf *w = wl >= 0 ? row_words(db, c, rows[i]) : NULL;
		double f = w ? words_freq(w, word, wl) : row_freq(db, k->match, rows[i]);
		if (w && c->tok_state == 0) { /* the connection's first: checked against FTS5 */
			double g = row_freq(db, k->match, rows[i]);
			c->tok_state = g != f ? -1 : g > 0 ? 1 : 0; /* agreed on a hit: trusted */
			f = g;
			if (c->tok_state < 0)
				wl = -1;
		}
		ok = f >= 0;
		if (f > 0)
			k->v[n++] = (scored){rows[i], 0, f};
	}
	free(rows);
	if (!ok || rescore(c, k->v, n))
		return -1;
	if (k->sorted) {
		/* The entries kept are nearly in order still (the mean length
		 * moved a little); the few changed ones are sorted apart and
		 * merged in, rather than walked up from the end one by one. */
		resort(k->v, base);
		qsort(k->v + base, n - base, sizeof *k->v, scored_cmp);
		merge_tail(k->v, base, n);
	}
	k->n = n;
	k->seq = c->seq;
	return 0;
}

static void kept_drop(rank_cache *c, int i)
{
	free(c->kept[i].match);
	free(c->kept[i].v);
	memmove(c->kept + i, c->kept + i + 1, (size_t)(c->nkept - i - 1) * sizeof *c->kept);
	c->nkept--;
}

/* Every match of match with its score; *sorted: 1 if they are best
 * first, 0 if in no order (the caller then takes them best first from a
 * heap: ordering ten thousand matches whole, for the hundred or so the
 * screen takes, was a third of a first search's time). Once the heap is
 * full and its worst is of the first group, no later match can get in,
 * and the thousands of matches of a first letter are never read. A broad
 * query's list is kept in the connection's rank_cache until the index
 * changes (sorted when the screen is idle); *owned: 1 if the caller frees
 * it. */
static scored *ranked_matches(dv_db *db, const char *match, size_t k, size_t *n, int *sorted, int *rc, int *owned,
			      dv_error *e)
{
	rank_cache *c = db->rank;
	*owned = 1;
	*sorted = 1;
	for (int i = 0; c->len && i < c->nkept; i++)
		if (strcmp(c->kept[i].match, match) == 0) {
			if (c->kept[i].seq != c->seq && patch_kept(db, c, &c->kept[i])) {
				kept_drop(c, i);
				break;
			}
			struct kept hit = c->kept[i]; /* the last used goes last */
			memmove(c->kept + i, c->kept + i + 1, (size_t)(c->nkept - i - 1) * sizeof *c->kept);
			c->kept[c->nkept - 1] = hit;
			*n = hit.n;
			*sorted = hit.sorted;
			*rc = SQLITE_DONE;
			*owned = 0;
			return hit.v;
		}
	scored *v = score_matches(db, match, n, rc, e);
	if (*rc != SQLITE_DONE || *n <= k) {
		if (*rc == SQLITE_DONE && *n > 1) /* no match: v is NULL */
			qsort(v, *n, sizeof *v, scored_cmp);
		return v;
	}
	*sorted = 0;
	if (*n < KEEP_MIN || !c->len)
		return v;
	if (c->nkept == KEEP_MAX) /* the least recently used goes */
		kept_drop(c, 0);
	if (!c->kept)
		c->kept = xcalloc(KEEP_MAX, sizeof *c->kept);
	c->kept[c->nkept++] = (struct kept){xstrdup(match), v, *n, c->seq, 0};
	*owned = 0;
	return v;
}

/* The matches best first: from a sorted list in order, else from a
 * min-heap built over a copy (O(n), then O(log n) a match taken). */
typedef struct best_first {
	const scored *v;
	scored *h;      /* the heap, or NULL */
	size_t n, i;
} best_first;

static void heap_down(scored *h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < n && scored_cmp(&h[l], &h[m]) < 0)
			m = l;
		if (r < n && scored_cmp(&h[r], &h[m]) < 0)
			m = r;
		if (m == i)
			return;
		scored t = h[i];
		h[i] = h[m], h[m] = t;
		i = m;
	}
}

static void best_first_init(best_first *it, const scored *v, size_t n, int sorted)
{
	it->v = v, it->n = n, it->i = 0, it->h = NULL;
	if (sorted || n < 2)
		return;
	it->h = xmalloc(n * sizeof *it->h);
	memcpy(it->h, v, n * sizeof *v);
	for (size_t i = n / 2; i-- > 0;)
		heap_down(it->h, n, i);
}

/* The next best match, or NULL after the last. */
static const scored *best_first_next(best_first *it)
{
	if (!it->h)
		return it->i < it->n ? &it->v[it->i++] : NULL;
	if (it->n == 0)
		return NULL;
	scored t = it->h[0]; /* the best goes to the end, out of the heap */
	it->h[0] = it->h[--it->n];
	it->h[it->n] = t;
	heap_down(it->h, it->n, 0);
	return &it->h[it->n];
}

/* Every entry that passes the filters (?2 to ?6 of FILTERS). */
static const char passing_sql[] = "SELECT o.rowid FROM orgs o WHERE" FILTERS;
/* Whether entry ?1 passes them. */
static const char passes_sql[] = "SELECT 1 FROM orgs o WHERE o.rowid = ?1 AND" FILTERS;

static void bind_filters(sqlite3_stmt *st, const orgs_filter *f)
{
	dbi_bind_text(st, 2, f->area);
	dbi_bind_text(st, 3, f->service);
	dbi_bind_text(st, 4, f->serves);
	sqlite3_bind_int(st, 5, f->age < 0 ? -1 : f->age);
	sqlite3_bind_int(st, 6, f->include_retired ? 1 : 0);
}

/* Bring a kept filter's bitmap up to the cache's change: each changed
 * entry asked again. -1 if it cannot be done (the caller reads all). */
static int patch_passing(dv_db *db, const rank_cache *c, struct passing *p, const orgs_filter *f)
{
	sqlite3_int64 *rows;
	size_t nrows;
	dv_error e;
	sqlite3_stmt *st = dbi_cached(db, passes_sql, &e);
	if (!st || changed_rows(db, p->seq, &rows, &nrows))
		return -1;
	bind_filters(st, f);
	int rc = SQLITE_OK;
	for (size_t i = 0; i < nrows && rc == SQLITE_OK; i++) {
		sqlite3_int64 id = rows[i];
		if (id < 0 || id > 10000000) {
			rc = SQLITE_ERROR;
			break;
		}
		if (id >= p->n) {
			sqlite3_int64 ncap = p->n * 2 > id ? p->n * 2 : id + 1;
			p->ok = xrealloc(p->ok, (size_t)ncap);
			memset(p->ok + p->n, 0, (size_t)(ncap - p->n));
			p->n = ncap;
		}
		sqlite3_bind_int64(st, 1, id);
		rc = sqlite3_step(st);
		p->ok[id] = rc == SQLITE_ROW;
		rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
		sqlite3_reset(st);
	}
	free(rows);
	if (rc != SQLITE_OK)
		return -1;
	p->seq = c->seq;
	return 0;
}

static void passing_drop(rank_cache *c, int i)
{
	free(c->pass[i].key);
	free(c->pass[i].ok);
	memmove(c->pass + i, c->pass + i + 1, (size_t)(c->npass - i - 1) * sizeof *c->pass);
	c->npass--;
}

/* The columns the filters read, as FILTERS reads them. */
#define FROW_SQL "SELECT rowid, areas, operates_in, services, serves, age_min, age_max, national, retired FROM orgs"

enum { SET_AREA, SET_SERVICE, SET_SERVES };

/* Fill the cache's tables of codes (once). */
static void codes_ready(rank_cache *c)
{
	static const orgs_codeset sets[3] = {ORGS_AREA, ORGS_SERVICE, ORGS_SERVES};
	if (c->ncodes[0] || c->ncodes[1] || c->ncodes[2])
		return;
	for (int k = 0; k < 3; k++) {
		const char *code;
		int n = 0;
		while ((code = orgs_code_at(sets[k], (size_t)n)) && n < 64)
			c->codelen[k][n] = strlen(code), c->codes[k][n++] = code;
		c->ncodes[k] = code ? -1 : n;
	}
}

/* The bit of code (len bytes) in set, or 0 if it is not a known code. */
static uint64_t code_bit(const rank_cache *c, int set, const char *code, size_t len)
{
	for (int i = 0; i < c->ncodes[set]; i++)
		if (c->codelen[set][i] == len && memcmp(c->codes[set][i], code, len) == 0)
			return (uint64_t)1 << i;
	return 0;
}

/* The known codes of the list in column i, as a bitmask: the words
 * between single spaces, as FILTERS' instr(' ' || list || ' ', ' ' ||
 * code || ' ') finds them. */
static uint64_t code_mask(const rank_cache *c, int set, sqlite3_stmt *st, int i)
{
	const char *v = (const char *)sqlite3_column_text(st, i);
	uint64_t m = 0;
	while (v && *v) {
		size_t len = strcspn(v, " ");
		m |= code_bit(c, set, v, len);
		v += len + (v[len] == ' ');
	}
	return m;
}

static void frow_set(const rank_cache *c, struct frow *r, sqlite3_stmt *st)
{
	const char *areas = (const char *)sqlite3_column_text(st, 1);
	r->areas_all = areas && strcmp(areas, "all") == 0;
	r->areas = code_mask(c, SET_AREA, st, 1), r->operates = code_mask(c, SET_AREA, st, 2);
	r->services = code_mask(c, SET_SERVICE, st, 3), r->serves = code_mask(c, SET_SERVES, st, 4);
	r->serves_any = sqlite3_column_type(st, 4) == SQLITE_NULL;
	r->age_min = sqlite3_column_type(st, 5) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 5);
	r->age_max = sqlite3_column_type(st, 6) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 6);
	r->national = (unsigned char)sqlite3_column_int(st, 7);
	r->retired = (unsigned char)sqlite3_column_int(st, 8);
	r->present = 1;
}

static void frows_reserve(rank_cache *c, sqlite3_int64 id)
{
	if (id < c->nfr)
		return;
	sqlite3_int64 n = c->nfr ? c->nfr : 1024;
	while (n <= id)
		n *= 2;
	c->fr = xrealloc(c->fr, (size_t)n * sizeof *c->fr);
	memset(c->fr + c->nfr, 0, (size_t)(n - c->nfr) * sizeof *c->fr);
	c->nfr = n;
}

/* Bring the kept columns up to the cache's change: the changed entries
 * when the log names them, else every entry. -1 if they cannot be had. */
static int frows_ready(dv_db *db, rank_cache *c)
{
	sqlite3_int64 *rows = NULL;
	size_t nrows = 0;
	if (c->fr && c->frseq == c->seq)
		return 0;
	codes_ready(c);
	if (c->ncodes[SET_AREA] < 0 || c->ncodes[SET_SERVICE] < 0 || c->ncodes[SET_SERVES] < 0)
		return -1;
	int full = !c->fr || changed_rows(db, c->frseq, &rows, &nrows);
	dv_error e;
	sqlite3_stmt *st = dbi_cached(db, full ? FROW_SQL : FROW_SQL " WHERE rowid = ?1", &e);
	if (!st) {
		free(rows);
		return -1;
	}
	if (full)
		frows_clear(c);
	int rc = SQLITE_DONE;
	for (size_t i = 0; i < (full ? 1 : nrows) && rc == SQLITE_DONE; i++) {
		if (!full) {
			sqlite3_bind_int64(st, 1, rows[i]);
			if (rows[i] >= 0 && rows[i] < c->nfr)
				c->fr[rows[i]].present = 0; /* deleted unless read below */
		}
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			sqlite3_int64 id = sqlite3_column_int64(st, 0);
			if (id < 0 || id > 10000000) {
				rc = SQLITE_ERROR;
				break;
			}
			frows_reserve(c, id);
			frow_set(c, &c->fr[id], st);
		}
		sqlite3_reset(st);
	}
	free(rows);
	if (rc != SQLITE_DONE) {
		frows_clear(c);
		return -1;
	}
	c->frseq = c->seq;
	return 0;
}

/* The bits of f's codes (a known code each: check_filter). */
typedef struct filter_bits {
	uint64_t area, service, serves;
} filter_bits;

static filter_bits bits_of(const rank_cache *c, const orgs_filter *f)
{
	filter_bits b = {0, 0, 0};
	if (f->area)
		b.area = code_bit(c, SET_AREA, f->area, strlen(f->area));
	if (f->service)
		b.service = code_bit(c, SET_SERVICE, f->service, strlen(f->service));
	if (f->serves)
		b.serves = code_bit(c, SET_SERVES, f->serves, strlen(f->serves));
	return b;
}

/* Does the entry pass f? The same test as FILTERS. */
static int frow_passes(const struct frow *r, const orgs_filter *f, filter_bits b)
{
	if (!r->present)
		return 0;
	if (f->area && !(r->national == 1 || r->areas_all || (r->areas & b.area) || (r->operates & b.area)))
		return 0;
	if (f->service && !(r->services & b.service))
		return 0;
	if (f->serves && !r->serves_any && !(r->serves & b.serves))
		return 0;
	if (f->age >= 0 && ((r->age_min >= 0 && r->age_min > f->age) || (r->age_max >= 0 && r->age_max < f->age)))
		return 0;
	return f->include_retired || r->retired == 0;
}

static char *filter_key(const orgs_filter *f)
{
	return xasprintf("%s\x1f%s\x1f%s\x1f%d\x1f%d", f->area ? f->area : "\x1e", f->service ? f->service : "\x1e",
			 f->serves ? f->serves : "\x1e", f->age < 0 ? -1 : f->age, f->include_retired ? 1 : 0);
}

/* The entries that f lets through, by rowid, from the connection's
 * rank_cache or read now in one pass; NULL if they cannot be had (every
 * match is then looked up, as before). *n: the size of the array. */
static const unsigned char *passing(dv_db *db, const orgs_filter *f, sqlite3_int64 *n)
{
	rank_cache *c = db->rank;
	if (!c->len)
		return NULL;
	char *key = filter_key(f);
	for (int i = 0; i < c->npass; i++)
		if (strcmp(c->pass[i].key, key) == 0) {
			if (c->pass[i].seq != c->seq && patch_passing(db, c, &c->pass[i], f)) {
				passing_drop(c, i);
				break;
			}
			free(key);
			*n = c->pass[i].n;
			return c->pass[i].ok;
		}
	unsigned char *ok;
	sqlite3_int64 cap;
	if (!c->fr) {
		/* Not warmed up yet: each match is read as the heap asks for it,
		 * rather than every entry first, which would make a session's
		 * first search the slowest (the idle warm-up reads them; see
		 * orgs_search_warm). */
		free(key);
		return NULL;
	}
	if (c->fr && frows_ready(db, c) == 0) {
		cap = c->nfr;
		ok = xcalloc((size_t)cap, 1);
		filter_bits b = bits_of(c, f);
		for (sqlite3_int64 id = 0; id < cap; id++)
			ok[id] = (unsigned char)frow_passes(&c->fr[id], f, b);
		goto keep;
	}
	dv_error e;
	sqlite3_stmt *st = dbi_cached(db, passing_sql, &e);
	if (!st) {
		free(key);
		return NULL;
	}
	bind_filters(st, f);
	cap = c->nlen > 0 ? c->nlen : 1024;
	ok = xcalloc((size_t)cap, 1);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		sqlite3_int64 id = sqlite3_column_int64(st, 0);
		if (id < 0 || id > 10000000) {
			rc = SQLITE_ERROR; /* not a directory's rowid: no shortcut */
			break;
		}
		if (id >= cap) {
			sqlite3_int64 ncap = cap * 2 > id ? cap * 2 : id + 1;
			ok = xrealloc(ok, (size_t)ncap);
			memset(ok + cap, 0, (size_t)(ncap - cap));
			cap = ncap;
		}
		ok[id] = 1;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		free(key);
		free(ok);
		return NULL;
	}
keep:
	if (c->npass == PASS_MAX) /* the oldest goes */
		passing_drop(c, 0);
	if (!c->pass)
		c->pass = xcalloc(PASS_MAX, sizeof *c->pass);
	c->pass[c->npass++] = (struct passing){key, ok, cap, c->seq};
	*n = cap;
	return ok;
}

/* The k best matches of match for filter f: every match is scored from
 * the index alone and offered to a heap of k, so an entry is read only
 * when it could be among the k, and whole only when it is. */
static int best_rows(dv_db *db, const char *match, const orgs_filter *f, const char *lang, size_t k,
		     orgs_list *out, dv_error *e)
{
	sqlite3_stmt *lookup = dbi_cached(db, lookup_sql, e);
	if (!lookup)
		return e->code;
	bind_filter(lookup, NULL, f, lang);
	size_t nm, n = 0;
	int rc, owned, sorted;
	scored *m = ranked_matches(db, match, k, &nm, &sorted, &rc, &owned, e);
	sqlite3_int64 npass = 0;
	const unsigned char *pass = rc == SQLITE_DONE ? passing(db, f, &npass) : NULL;
	cand *h = xcalloc(k, sizeof *h);
	dv_buf key = {0};
	best_first it;
	best_first_init(&it, m, rc == SQLITE_DONE ? nm : 0, sorted);
	for (const scored *x; rc == SQLITE_DONE && (x = best_first_next(&it));) {
		if (n == k && h[0].group == 0 && x->score > h[0].score)
			break;
		if (pass && (x->rowid < 0 || x->rowid >= npass || !pass[x->rowid]))
			continue; /* filtered out: not read */
		if ((rc = offer(h, &n, k, x->rowid, x->score, lookup, &key)) == SQLITE_OK)
			rc = SQLITE_DONE;
	}
	free(it.h);
	dv_buf_free(&key);
	if (owned)
		free(m);
	int code = rc == SQLITE_DONE ? DV_OK : dbi_fail(db, rc, _("searching the directory"), e);
	sqlite3_reset(lookup);
	if (n > 1)
		qsort(h, n, sizeof *h, cand_cmp);
	if (!code)
		code = fetch_rows(db, h, n, out, e);
	for (size_t i = 0; i < n; i++) {
		free(h[i].key);
		free(h[i].id);
	}
	free(h);
	return code;
}

static void unknown_code(orgs_codeset set, const char *v, const char *known, dv_error *e)
{
	if (set == ORGS_AREA)
		dv_fail(e, DV_EINVAL, _("unknown area '%s'; use one of: %s"), v, known);
	else if (set == ORGS_SERVICE)
		dv_fail(e, DV_EINVAL, _("unknown service '%s'; use one of: %s"), v, known);
	else
		dv_fail(e, DV_EINVAL, _("unknown group served '%s'; use one of: %s"), v, known);
}

static int check_filter(const orgs_filter *f, dv_error *e)
{
	static const orgs_codeset sets[] = {ORGS_AREA, ORGS_SERVICE, ORGS_SERVES};
	const char *v[] = {f->area, f->service, f->serves};
	for (size_t i = 0; i < 3; i++) {
		if (!v[i] || orgs_code_valid(sets[i], v[i]))
			continue;
		dv_buf known = {0};
		for (size_t k = 0; orgs_code_at(sets[i], k); k++)
			dv_buf_printf(&known, "%s%s", k ? ", " : "", orgs_code_at(sets[i], k));
		unknown_code(sets[i], v[i], known.s, e);
		dv_buf_free(&known);
		return DV_EINVAL;
	}
	return DV_OK;
}

static void bind_filter(sqlite3_stmt *st, const char *match, const orgs_filter *f, const char *lang)
{
	dbi_bind_text(st, 1, match);
	dbi_bind_text(st, 2, f->area);
	dbi_bind_text(st, 3, f->service);
	dbi_bind_text(st, 4, f->serves);
	sqlite3_bind_int(st, 5, f->age < 0 ? -1 : f->age);
	sqlite3_bind_int(st, 6, f->include_retired ? 1 : 0);
	dbi_bind_text(st, 7, lang);
	sqlite3_bind_int(st, 8, f->limit > 0 ? f->limit : -1);
}

static int collect(dv_db *db, sqlite3_stmt *st, orgs_list *out, dv_error *e)
{
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (out->n == cap) {
			cap = cap ? cap * 2 : 16;
			out->v = xrealloc(out->v, cap * sizeof *out->v);
		}
		org_from_row(st, 0, &out->v[out->n++]);
	}
	if (rc != SQLITE_DONE)
		return dbi_fail(db, rc, _("searching the directory"), e);
	return DV_OK;
}

long orgs_search(dv_db *db, const char *query, const orgs_filter *f, const char *lang,
		 orgs_list *out, dv_error *e)
{
	static const orgs_filter none = ORGS_FILTER_INIT;
	out->v = NULL;
	out->n = 0;
	f = f ? f : &none;
	if (check_filter(f, e) || ensure_collation(db, e))
		return e->code;
	char *match = match_expr(query ? query : "");
	lang = lang ? lang : i18n_lang();
	int code = DV_OK;
	if (match && f->limit > 0) {
		/* One read transaction: the cache is brought up to the same
		 * state of the directory the search reads, and the few hundred
		 * lookups share one lock of the file instead of taking and
		 * dropping it each. */
		int own = sqlite3_get_autocommit(db->h) && sqlite3_exec(db->h, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
		code = ensure_rank(db, e) ? e->code : best_rows(db, match, f, lang, (size_t)f->limit, out, e);
		if (own)
			sqlite3_exec(db->h, "COMMIT", NULL, NULL, NULL);
	} else if (ensure_rank(db, e)) {
		code = e->code;
	} else {
		char *sql = search_sql(match != NULL);
		sqlite3_stmt *st = dbi_prepare(db, sql, e);
		free(sql);
		code = st ? DV_OK : e->code;
		if (st) {
			bind_filter(st, match, f, lang);
			code = collect(db, st, out, e);
			sqlite3_finalize(st);
		}
	}
	free(match);
	if (code) {
		orgs_list_free(out);
		return code;
	}
	return (long)out->n;
}

int orgs_search_finds(dv_db *db, const char *query, const char *id, dv_error *e)
{
	/* The entry by its id, then its own row of the index (a seek, not a
	 * scan): what orgs_search with no filter would say of this one. */
	static const char with_match[] = "SELECT 1 FROM orgs o JOIN orgs_fts ON orgs_fts.rowid = o.rowid"
					 " WHERE o.id = ?2 AND o.retired = 0 AND orgs_fts MATCH ?1";
	static const char blank[] = "SELECT 1 FROM orgs o WHERE o.id = ?2 AND o.retired = 0";
	char *match = match_expr(query ? query : "");
	sqlite3_stmt *st = dbi_cached(db, match ? with_match : blank, e);
	if (!st) {
		free(match);
		return e->code;
	}
	dbi_bind_text(st, 1, match);
	dbi_bind_text(st, 2, id);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	free(match);
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return rc == SQLITE_ROW;
	return dbi_fail(db, rc, _("searching the directory"), e);
}

void orgs_list_free(orgs_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		orgs_free(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* ---- The index ------------------------------------------------------- */

/* Entries without their own index row, and index rows without an entry. */
#define INDEX_MISMATCHES \
	"SELECT (SELECT count(*) FROM orgs o LEFT JOIN orgs_fts f ON f.rowid = o.rowid WHERE f.ident IS NOT o.id)" \
	" + (SELECT count(*) FROM orgs_fts f LEFT JOIN orgs o ON o.rowid = f.rowid WHERE o.rowid IS NULL)"

#define INDEX_REBUILD \
	"DELETE FROM orgs_fts;" \
	"INSERT INTO orgs_fts(" ORGS_FTS_COLUMNS ") SELECT " ORGS_FTS_VALUES("o") " FROM orgs o;"

static long index_mismatches(dv_db *db, dv_error *e)
{
	sqlite3_stmt *st = dbi_prepare(db, INDEX_MISMATCHES, e);
	if (!st)
		return e->code;
	int rc = sqlite3_step(st);
	long n = rc == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? n : dbi_fail(db, rc, _("checking the search index"), e);
}

static int rebuild_index(dv_db *db, dv_error *e)
{
	if (dbi_begin(db, e))
		return e->code;
	if (dbi_exec(db, INDEX_REBUILD, e)) {
		dbi_rollback(db);
		return e->code;
	}
	return dbi_commit(db, e);
}

int orgs_check_index(dv_db *db, int repair, dv_buf *report, dv_error *e)
{
	long bad = index_mismatches(db, e);
	if (bad < 0)
		return (int)bad;
	/* FTS5's own check is an INSERT, which a read-only handle (dovira
	 * check) may not run; the row-by-row comparison above still does. */
	int fts_ok = db->readonly ||
		sqlite3_exec(db->h, "INSERT INTO orgs_fts(orgs_fts) VALUES('integrity-check')", NULL, NULL, NULL) == SQLITE_OK;
	if (!bad && fts_ok)
		return DV_OK;
	if (bad)
		dv_buf_printf(report, ngettext("search index: %ld directory entry is missing from it or misplaced\n",
					       "search index: %ld directory entries are missing from it or misplaced\n", bad), bad);
	if (!fts_ok)
		dv_buf_printf(report, _("search index: FTS5 integrity check failed\n"));
	if (!repair)
		return DV_ECORRUPT;
	if (rebuild_index(db, e))
		return e->code;
	dv_buf_printf(report, _("search index: rebuilt from the directory\n"));
	return DV_OK;
}

/* ---- Warming up while the screens wait ----------------------------- */

/* What an operator starts a search with: every first letter, digit and
 * the telephone prefixes. Their matches are scored and kept before anyone
 * types (those with KEEP_MIN matches or more; the others are cheap). */
static const char *const warm_prefixes[] = {
	"0", "08", "080", "0800", "06", "1", "2", "3", "4", "5", "6", "7", "8", "9",
	"а", "б", "в", "г", "ґ", "д", "е", "є", "ж", "з", "и", "і", "ї", "й", "к", "л", "м",
	"н", "о", "п", "р", "с", "т", "у", "ф", "х", "ц", "ч", "ш", "щ", "ь", "ю", "я",
	"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q",
	"r", "s", "t", "u", "v", "w", "x", "y", "z",
};

typedef struct warm_ctx {
	int (*stop)(void *);
	void *arg;
	int stopped;
} warm_ctx;

/* SQLite's progress handler while warming: a waiting key interrupts. */
static int warm_progress(void *p)
{
	warm_ctx *w = p;
	if (!w->stopped && w->stop(w->arg))
		w->stopped = 1;
	return w->stopped;
}

static int kept_index(const rank_cache *c, const char *match)
{
	for (int i = 0; i < c->nkept; i++)
		if (strcmp(c->kept[i].match, match) == 0)
			return i;
	return -1;
}

/* One piece of warming: 1 if it did something (there may be more), 0 if
 * everything is ready. */
static int warm_one(dv_db *db, rank_cache *c, const warm_ctx *w, dv_error *e)
{
	if (!c->len)
		return 0; /* the lengths cannot be read: searches ask FTS5 */
	/* Kept lists behind another session's change: patched now, so that
	 * the first keystroke after it finds them ready. */
	for (int i = 0; i < c->nkept; i++) {
		struct kept *k = &c->kept[i];
		if (k->seq != c->seq) {
			if (patch_kept(db, c, k)) { /* too many changes, or a key came */
				kept_drop(c, i);
				c->warm_next = 0;
			}
			return 1;
		}
		if (!k->sorted) {
			qsort(k->v, k->n, sizeof *k->v, scored_cmp);
			k->sorted = 1;
			return 1;
		}
	}
	codes_ready(c);
	int codes_ok = c->ncodes[SET_AREA] >= 0 && c->ncodes[SET_SERVICE] >= 0 && c->ncodes[SET_SERVES] >= 0;
	if (codes_ok && !c->fr_broken && (!c->fr || c->frseq != c->seq)) {
		if (frows_ready(db, c) && !w->stopped)
			c->fr_broken = 1; /* filters are then read from the directory */
		return 1;
	}
	while (c->warm_next < sizeof warm_prefixes / sizeof *warm_prefixes) {
		char *match = match_expr(warm_prefixes[c->warm_next]);
		if (!match || kept_index(c, match) >= 0) {
			free(match);
			c->warm_next++;
			continue;
		}
		size_t n;
		int rc;
		scored *v = score_matches(db, match, &n, &rc, e);
		if (rc == SQLITE_DONE && n >= KEEP_MIN) {
			qsort(v, n, sizeof *v, scored_cmp);
			if (c->nkept == KEEP_MAX)
				kept_drop(c, 0);
			if (!c->kept)
				c->kept = xcalloc(KEEP_MAX, sizeof *c->kept);
			c->kept[c->nkept++] = (struct kept){match, v, n, c->seq, 1};
			match = NULL, v = NULL;
		}
		free(match);
		free(v);
		if (!w->stopped)
			c->warm_next++;
		return 1;
	}
	return 0;
}

int orgs_search_warm(dv_db *db, int (*stop)(void *), void *arg, dv_error *e)
{
	if (!sqlite3_get_autocommit(db->h))
		return 0; /* in the middle of a transaction: not now */
	if (ensure_collation(db, e))
		return e->code;
	warm_ctx w = {stop, arg, 0};
	/* Never wait for another session's write (the screens would freeze
	 * for the busy timeout): if the file is locked, try again later. The
	 * read below takes the shared lock for the whole piece. */
	int busy_ms = db->busy_ms;
	db_set_busy_timeout(db, 0);
	int own = sqlite3_exec(db->h, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
	int more = 1, code = DV_OK;
	if (sqlite3_exec(db->h, "SELECT 1 FROM orgs_fts_data WHERE id = 1", NULL, NULL, NULL) != SQLITE_OK) {
		more = 0; /* locked (or no index): not now; the screens ask again in a second */
	} else {
		/* A waiting key interrupts the statement running (every 1000
		 * steps of SQLite's machine: a few dozen microseconds); what it
		 * was making is dropped and made again later. */
		if (stop)
			sqlite3_progress_handler(db->h, 1000, warm_progress, &w);
		int first = !db->rank; /* the first piece: the rank and the row lengths */
		if (db->rank)
			((rank_cache *)db->rank)->stopped = &w.stopped;
		code = ensure_rank(db, e);
		if (db->rank)
			((rank_cache *)db->rank)->stopped = NULL;
		if (!code && !first && !w.stopped)
			more = warm_one(db, db->rank, &w, e);
		if (stop)
			sqlite3_progress_handler(db->h, 0, NULL, NULL);
	}
	if (own)
		sqlite3_exec(db->h, "COMMIT", NULL, NULL, NULL);
	db_set_busy_timeout(db, busy_ms);
	if (w.stopped) {
		dv_error_clear(e);
		return 1; /* a key came: handled first, the rest later */
	}
	return code ? code : more;
}

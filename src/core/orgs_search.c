/* orgs_search.c: search-as-you-type over the directory (FTS5, bm25), and
 * the Ukrainian alphabetical order used to break ties. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dovira/sanitize.h"
#include "dovira/utf8.h"
#include "orgs_int.h"
#include "schema_v2.h"
#include "dovira/i18n.h"

/* bm25 weights of the orgs_fts columns (schema_v2.h): names first. */
#define BM25 "bm25(orgs_fts, 10.0, 10.0, 5.0, 5.0, 2.0, 1.0, 1.0)"

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

/* ---- The search ------------------------------------------------------ */

#define FILTERS \
	" (?2 IS NULL OR o.national = 1 OR o.areas = 'all'" \
	"  OR instr(' ' || o.areas || ' ', ' ' || ?2 || ' ')" \
	"  OR instr(' ' || coalesce(o.operates_in, '') || ' ', ' ' || ?2 || ' '))" \
	" AND (?3 IS NULL OR instr(' ' || o.services || ' ', ' ' || ?3 || ' '))" \
	" AND (?4 IS NULL OR o.serves IS NULL OR instr(' ' || o.serves || ' ', ' ' || ?4 || ' '))" \
	" AND (?5 < 0 OR ((o.age_min IS NULL OR o.age_min <= ?5) AND (o.age_max IS NULL OR o.age_max >= ?5)))" \
	" AND (?6 OR o.retired = 0)"

/* Entries marked do-not-refer last, and before them those without any
 * telephone (issue 9, items 11 and 12): an operator on a call reaches
 * first for what can be given to a caller. */
#define REFERABLE_FIRST "o.do_not_refer, (coalesce(o.phones, '') = '')"

#define NAME_ORDER "CASE WHEN ?7 = 'uk' THEN o.name_uk ELSE o.name_en END COLLATE dv_uk"

static char *search_sql(int with_match)
{
	char *cols = org_sql_columns("o.");
	char *sql;
	if (with_match)
		sql = xasprintf("SELECT %s FROM orgs_fts JOIN orgs o ON o.rowid = orgs_fts.rowid"
				" WHERE orgs_fts MATCH ?1 AND" FILTERS
				" ORDER BY " REFERABLE_FIRST ", " BM25 ", " NAME_ORDER ", o.id LIMIT ?8", cols);
	else
		sql = xasprintf("SELECT %s FROM orgs o WHERE" FILTERS
				" ORDER BY " REFERABLE_FIRST ", (o.verified_on IS NULL), o.national, " NAME_ORDER ", o.id LIMIT ?8", cols);
	free(cols);
	return sql;
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
	char *sql = search_sql(match != NULL);
	sqlite3_stmt *st = dbi_prepare(db, sql, e);
	free(sql);
	int code = st ? DV_OK : e->code;
	if (st) {
		bind_filter(st, match, f, lang ? lang : i18n_lang());
		code = collect(db, st, out, e);
		sqlite3_finalize(st);
	}
	free(match);
	if (code) {
		orgs_list_free(out);
		return code;
	}
	return (long)out->n;
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

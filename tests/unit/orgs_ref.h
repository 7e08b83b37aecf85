/* orgs_ref.h: what the directory tests (test_orgs, test_orgs_warm) compare
 * the search with, and bench_orgs times as raw SQLite: the search as it was before any of its shortcuts, FTS5's
 * own bm25 and SQLite's sort over every match, with every filter the
 * search takes; and both sides as one string of ids, in order. */
#ifndef DOVIRA_ORGS_REF_H
#define DOVIRA_ORGS_REF_H

#include <sqlite3.h>

#include "../../src/core/dbi.h"

#include "dovira/orgs.h"
#include "dovira/util.h"

/* The matches of ?1 with the filters ?2 area, ?3 service, ?4 serves, ?5 age
 * (-1 any), ?6 retired too; each entry's columns COLS, ordered with the
 * names compared by COLLATE (" COLLATE dv_uk", or "" on a connection
 * without dovira's collation: bench_orgs times raw SQLite with it), at
 * most ?7 (-1 all). */
#define ORGS_REFERENCE_QUERY(COLS, COLLATE) \
	"SELECT " COLS " FROM orgs_fts JOIN orgs o ON o.rowid = orgs_fts.rowid" \
	" WHERE orgs_fts MATCH ?1" \
	" AND (?2 IS NULL OR o.national = 1 OR o.areas = 'all'" \
	"  OR instr(' ' || o.areas || ' ', ' ' || ?2 || ' ')" \
	"  OR instr(' ' || coalesce(o.operates_in, '') || ' ', ' ' || ?2 || ' '))" \
	" AND (?3 IS NULL OR instr(' ' || o.services || ' ', ' ' || ?3 || ' '))" \
	" AND (?4 IS NULL OR o.serves IS NULL OR instr(' ' || o.serves || ' ', ' ' || ?4 || ' '))" \
	" AND (?5 < 0 OR ((o.age_min IS NULL OR o.age_min <= ?5) AND (o.age_max IS NULL OR o.age_max >= ?5)))" \
	" AND (?6 OR o.retired = 0)" \
	" ORDER BY o.do_not_refer, (coalesce(o.phones, '') = ''), bm25(orgs_fts, 10.0, 10.0, 5.0, 5.0, 2.0, 1.0, 1.0)," \
	" o.name_uk" COLLATE ", o.id LIMIT ?7"
#define ORGS_REFERENCE_SQL ORGS_REFERENCE_QUERY("o.id", " COLLATE dv_uk")

/* Bind the filter f to a statement of ORGS_REFERENCE_QUERY (?2 to ?7). */
static __attribute__((unused)) void reference_bind(sqlite3_stmt *st, const orgs_filter *f)
{
	sqlite3_bind_text(st, 2, f->area, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, f->service, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, f->serves, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 5, f->age);
	sqlite3_bind_int(st, 6, f->include_retired);
	sqlite3_bind_int(st, 7, f->limit ? f->limit : -1);
}

/* The ids the reference gives for the FTS5 expression match with the
 * filter f ("id id "), or what went wrong in parentheses. */
static __attribute__((unused)) char *reference_ids(dv_db *db, const char *match, const orgs_filter *f)
{
	sqlite3_stmt *st;
	dv_buf b = {0};
	if (sqlite3_prepare_v2(db->h, ORGS_REFERENCE_SQL, -1, &st, NULL) != SQLITE_OK)
		return xasprintf("(reference: %s)", sqlite3_errmsg(db->h));
	sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
	reference_bind(st, f);
	while (sqlite3_step(st) == SQLITE_ROW)
		dv_buf_printf(&b, "%s ", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return b.s ? dv_buf_take(&b) : xstrdup("");
}

/* The ids the search gives for q, as typed, with the filter f. */
static __attribute__((unused)) char *search_ids(dv_db *db, const char *q, const orgs_filter *f)
{
	orgs_list l;
	dv_error e;
	dv_buf b = {0};
	if (orgs_search(db, q, f, "uk", &l, &e) < 0)
		return xasprintf("(search: %s)", e.msg);
	for (size_t i = 0; i < l.n; i++)
		dv_buf_printf(&b, "%s ", l.v[i].id);
	orgs_list_free(&l);
	return b.s ? dv_buf_take(&b) : xstrdup("");
}

#endif

/* report_check.c: the report counts (report_days) recounted from the
 * stored calls, for `dovira check` (schema_reportagg.h).
 *
 * For each day checked, every count of the day is compared with the
 * calls, answers and referrals of that Kyiv date counted afresh through
 * report_facts (the view the triggers add and take away with), and each
 * month of a day checked with the sum of its days. A difference is
 * named: the day or month, the count, its codes, stored and counted.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dbi.h"
#include "report_int.h"
#include "dovira/i18n.h"

/* Every facet with daily rows, and those with monthly rows too. */
#define DAILY "('vol','dur','tc','tk','tr','rga','hf','geo','fu','cb','cs','csall','idg','made','rec','both'," \
	"'a.consult_purpose','a.red_flags','a.channel','a.exploitation','a.control','a.recruiter','moc')"
#define MONTHLY "('vol:m','dur:m','tc:m','tk:m','tr:m','rga:m','hf:m','geo:m','fu:m','cb:m','cs:m','csall:m','idg:m'," \
	"'made:m','rec:m','both:m','a.consult_purpose:m','a.red_flags:m','a.channel:m','a.exploitation:m','a.control:m'," \
	"'a.recruiter:m','moc:m')"

/* ?1 the day; then the ids of the calls in a UTC window that holds all
 * its calls, as a list of parameters (?2, ?3, ...): SQLite pushes "id IN
 * (list)" down into each part of the report_facts view, which then finds
 * the day's calls by their primary key; it pushes no condition with a
 * subquery, so "id IN (SELECT ...)" made every part of the view read
 * every call, answer and referral, for each day recounted (a minute for
 * a month's sample at twenty thousand calls). */
#define DAY_HEAD \
	"SELECT facet, office, ver, a, b, c, sum(st), sum(ct) FROM (" \
	" SELECT facet, office, ver, a, b, c, n AS st, 0 AS ct FROM report_days WHERE facet IN " DAILY " AND day = ?1" \
	" UNION ALL SELECT facet, office, ver, a, b, c, 0, count(*) FROM report_facts WHERE id IN ("
#define DAY_TAIL \
	") AND day = ?1 GROUP BY facet, office, ver, a, b, c)" \
	" GROUP BY facet, office, ver, a, b, c HAVING sum(st) <> sum(ct)"
/* The same with the window's calls as a subquery (?2 ?3 the window), for
 * a window with more calls than a statement takes parameters. */
static const char DAY_SQL[] = DAY_HEAD "SELECT id FROM calls WHERE started_at >= ?2 AND started_at < ?3" DAY_TAIL;

/* ?1 the month "YYYY-MM". */
static const char MONTH_SQL[] =
	"SELECT facet, office, ver, a, b, c, sum(st), sum(ct) FROM ("
	" SELECT facet, office, ver, a, b, c, n AS st, 0 AS ct FROM report_days WHERE facet IN " MONTHLY " AND day = ?1"
	" UNION ALL SELECT facet || ':m', office, ver, a, b, c, 0, n FROM report_days"
	"  WHERE facet IN " DAILY " AND day >= ?1 || '-01' AND day <= ?1 || '-31')"
	" GROUP BY facet, office, ver, a, b, c HAVING sum(st) <> sum(ct)";

#define MAX_NAMED 20

/* Name each row of st (bound, ready to step) in report as a difference
 * of key; count them in *bad. Finalizes st. */
static int report_rows(dv_db *db, sqlite3_stmt *st, const char *key, dv_buf *report, long *bad, dv_error *e)
{
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (++*bad > MAX_NAMED)
			continue;
		const char *c[6];
		for (int i = 0; i < 6; i++)
			c[i] = sqlite3_column_text(st, i) ? (const char *)sqlite3_column_text(st, i) : "";
		dv_buf_printf(report, _("report counts of %s differ from the calls: %s (office %s, version %s, codes '%s' '%s' '%s'): stored %lld, counted %lld\n"),
			      key, c[0], c[1], c[2], c[3], c[4], c[5], (long long)sqlite3_column_int64(st, 6),
			      (long long)sqlite3_column_int64(st, 7));
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? DV_OK : dbi_fail(db, rc, _("recounting the report counts"), e);
}

static int compare(dv_db *db, const char *sql, const char *key, const char *lo, const char *hi, dv_buf *report,
		   long *bad, dv_error *e)
{
	sqlite3_stmt *st = dbi_prepare(db, sql, e);
	if (!st)
		return e->code;
	dbi_bind_text(st, 1, key);
	if (lo) {
		dbi_bind_text(st, 2, lo);
		dbi_bind_text(st, 3, hi);
	}
	return report_rows(db, st, key, report, bad, e);
}

/* The ids of the calls started in [lo, hi), as bound text values of a
 * statement kept in *ids (reset here); their number, or -1 with *e. */
static long window_ids(dv_db *db, sqlite3_stmt **ids, const char *lo, const char *hi, dv_buf *list, dv_error *e)
{
	if (!*ids && !(*ids = dbi_prepare(db, "SELECT id FROM calls WHERE started_at >= ?1 AND started_at < ?2", e)))
		return -1;
	sqlite3_reset(*ids);
	dbi_bind_text(*ids, 1, lo);
	dbi_bind_text(*ids, 2, hi);
	list->len = 0;
	long n = 0;
	int rc;
	while ((rc = sqlite3_step(*ids)) == SQLITE_ROW) {
		const unsigned char *id = sqlite3_column_text(*ids, 0);
		dv_buf_add(list, (const char *)id, (size_t)sqlite3_column_bytes(*ids, 0) + 1); /* with its NUL */
		n++;
	}
	if (rc != SQLITE_DONE) {
		dbi_fail(db, rc, _("recounting the report counts"), e);
		return -1;
	}
	return n;
}

/* One day's counts against its calls, those of [lo, hi) named by id. */
static int compare_day(dv_db *db, sqlite3_stmt **ids, const char *day, const char *lo, const char *hi, dv_buf *report,
		       long *bad, dv_error *e)
{
	dv_buf list = {0};
	long n = window_ids(db, ids, lo, hi, &list, e);
	int code;
	if (n < 0)
		code = e->code;
	else if (n + 1 > sqlite3_limit(db->h, SQLITE_LIMIT_VARIABLE_NUMBER, -1))
		code = compare(db, DAY_SQL, day, lo, hi, report, bad, e);
	else {
		dv_buf sql = {0};
		dv_buf_adds(&sql, DAY_HEAD);
		for (long i = 0; i < n; i++)
			dv_buf_printf(&sql, i ? ",?%ld" : "?%ld", i + 2);
		dv_buf_adds(&sql, DAY_TAIL);
		sqlite3_stmt *st = dbi_prepare(db, sql.s, e);
		dv_buf_free(&sql);
		if (!st)
			code = e->code;
		else {
			dbi_bind_text(st, 1, day);
			const char *id = list.s;
			for (long i = 0; i < n; id += strlen(id) + 1, i++)
				sqlite3_bind_text(st, (int)i + 2, id, -1, SQLITE_STATIC);
			code = report_rows(db, st, day, report, bad, e);
		}
	}
	dv_buf_free(&list);
	return code;
}

/* The UTC dates of the first and last call, or 0 for none. */
static int call_span(dv_db *db, time_t *first, time_t *last, dv_error *e)
{
	/* Each on its own: SQLite seeks min() or max() alone in an index led
	 * by started_at, but for both at once it read a whole index. */
	sqlite3_stmt *st = dbi_prepare(db, "SELECT (SELECT min(started_at) FROM calls), (SELECT max(started_at) FROM calls)", e);
	if (!st)
		return e->code;
	int rc = sqlite3_step(st);
	*first = *last = 0;
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
		char d[21];
		snprintf(d, sizeof d, "%.10sT00:00:00Z", (const char *)sqlite3_column_text(st, 0));
		*first = dv_parse_utc(d);
		snprintf(d, sizeof d, "%.10sT00:00:00Z", (const char *)sqlite3_column_text(st, 1));
		*last = dv_parse_utc(d) + 86400; /* the Kyiv date may be the next */
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? DV_OK : dbi_fail(db, rc, _("recounting the report counts"), e);
}

/* Without --full, a sample of days: about SAMPLE_CALLS calls' worth, at
 * least SAMPLE_MIN_DAYS and at most SAMPLE_MAX_DAYS days. The newest
 * SAMPLE_NEWEST days are always in it (drift from a recent change shows
 * there first); the others are drawn at random at each check, so that
 * no day is left out of every check, and successive checks cover the
 * whole span. A day is recounted from its calls (about 0.35 ms of CPU a
 * call at a million calls), so a sample by days alone would cost a busy
 * line (1,440 calls a day) fifty times what it costs a quiet one. */
#define SAMPLE_CALLS 10000
#define SAMPLE_MIN_DAYS 7
#define SAMPLE_MAX_DAYS 30
#define SAMPLE_NEWEST 2

static int sample_size(dv_db *db, long days, long *want, dv_error *e)
{
	sqlite3_stmt *st = dbi_prepare(db, "SELECT count(*) FROM calls", e);
	if (!st)
		return e->code;
	int rc = sqlite3_step(st);
	long long calls = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return dbi_fail(db, rc, _("recounting the report counts"), e);
	double per_day = (double)calls / (double)days;
	long w = per_day > 0 ? (long)(SAMPLE_CALLS / per_day) : SAMPLE_MAX_DAYS;
	w = w < SAMPLE_MIN_DAYS ? SAMPLE_MIN_DAYS : w > SAMPLE_MAX_DAYS ? SAMPLE_MAX_DAYS : w;
	*want = w < days ? w : days;
	return DV_OK;
}

/* Which of n days to recount: want of them, the newest SAMPLE_NEWEST
 * and the rest at random (a partial Fisher-Yates shuffle of the older
 * days, with SQLite's randomness). */
static char *pick_days(long n, long want)
{
	char *pick = xcalloc((size_t)n + 1, 1);
	if (want >= n) {
		memset(pick, 1, (size_t)n);
		return pick;
	}
	long newest = want < SAMPLE_NEWEST ? want : SAMPLE_NEWEST;
	for (long i = n - newest; i < n; i++)
		pick[i] = 1;
	long older = n - newest, draw = want - newest;
	long *idx = xcalloc((size_t)older + 1, sizeof *idx);
	for (long i = 0; i < older; i++)
		idx[i] = i;
	for (long i = 0; i < draw; i++) {
		unsigned long long r;
		sqlite3_randomness(sizeof r, &r);
		long k = i + (long)(r % (unsigned long long)(older - i));
		long t = idx[i];
		idx[i] = idx[k];
		idx[k] = t;
		pick[idx[i]] = 1;
	}
	free(idx);
	return pick;
}

/* The recount as a list of items (a day, or a month after the first of
 * its days checked), in the order they are named; threads take them in
 * turn (report_check_work), each item's findings kept apart until
 * report_check_end merges them in that order. */
typedef struct check_item {
	char key[11];   /* the day "YYYY-MM-DD" or the month "YYYY-MM" */
	char lo[21], hi[21]; /* a day's UTC window */
	int month;
	int code;
	long bad;
	dv_buf report;
	dv_error e;
} check_item;

struct report_check_job {
	int next; /* the next item to take (atomically) */
	int n;
	long days;
	int code; /* of building the list */
	dv_error e;
	check_item *item;
};

static void add_item(report_check_job *j, int *cap, const char *key, int month)
{
	if (j->n == *cap)
		j->item = xrealloc(j->item, (size_t)(*cap = *cap ? *cap * 2 : 64) * sizeof *j->item);
	check_item *it = &j->item[j->n++];
	memset(it, 0, sizeof *it);
	snprintf(it->key, sizeof it->key, "%s", key);
	it->month = month;
}

report_check_job *report_check_new(dv_db *db, int full)
{
	report_check_job *j = xcalloc(1, sizeof *j);
	time_t first, last;
	if (call_span(db, &first, &last, &j->e)) {
		j->code = j->e.code;
		return j;
	}
	long n = first ? (long)((last - first) / 86400) + 1 : 0;
	long want = n;
	if (!full && n > SAMPLE_MIN_DAYS && sample_size(db, n, &want, &j->e)) {
		j->code = j->e.code;
		return j;
	}
	char *pick = pick_days(n, want);
	char month[8] = "";
	int cap = 0;
	for (long i = 0; i < n; i++) {
		if (!pick[i])
			continue;
		time_t d = first + (time_t)i * 86400;
		char day[21];
		dv_utc_iso(d, day);
		day[10] = '\0';
		add_item(j, &cap, day, 0);
		/* The Kyiv date is the UTC one plus 2 or 3 hours: its calls
		 * started from 21:00 or 22:00 UTC the day before; its UTC date
		 * whole (a start the view could not shift keeps its own date). */
		dv_utc_iso(d - 4 * 3600, j->item[j->n - 1].lo);
		dv_utc_iso(d + 86400, j->item[j->n - 1].hi);
		j->days++;
		if (strncmp(month, day, 7) != 0) {
			snprintf(month, sizeof month, "%.7s", day);
			add_item(j, &cap, month, 1);
		}
	}
	free(pick);
	return j;
}

void report_check_work(report_check_job *j, dv_db *db)
{
	sqlite3_stmt *ids = NULL;
	int i;
	while ((i = __atomic_fetch_add(&j->next, 1, __ATOMIC_RELAXED)) < j->n) {
		check_item *it = &j->item[i];
		it->code = it->month ? compare(db, MONTH_SQL, it->key, NULL, NULL, &it->report, &it->bad, &it->e)
				     : compare_day(db, &ids, it->key, it->lo, it->hi, &it->report, &it->bad, &it->e);
	}
	sqlite3_finalize(ids);
}

int report_check_end(report_check_job *j, dv_buf *report, long *days, dv_error *e)
{
	int code = j->code;
	long bad = 0, named = 0;
	if (code)
		*e = j->e;
	for (int i = 0; i < j->n; i++) {
		check_item *it = &j->item[i];
		if (!code && it->code) {
			code = it->code;
			*e = it->e;
		}
		/* Each item named its first MAX_NAMED: the first of them all. */
		for (const char *p = it->report.s; p && *p && named < MAX_NAMED; named++) {
			const char *nl = strchr(p, '\n');
			size_t len = nl ? (size_t)(nl - p + 1) : strlen(p);
			dv_buf_add(report, p, len);
			p += len;
		}
		bad += it->bad;
		dv_buf_free(&it->report);
	}
	*days = code ? 0 : j->days;
	free(j->item);
	free(j);
	if (code)
		return code;
	if (bad > MAX_NAMED)
		dv_buf_printf(report, ngettext("and %ld more report count differs\n", "and %ld more report counts differ\n",
					       (unsigned long)(bad - MAX_NAMED)), bad - MAX_NAMED);
	return bad ? DV_ECORRUPT : DV_OK;
}

int report_check_days(dv_db *db, int full, dv_buf *report, long *days, dv_error *e)
{
	report_check_job *j = report_check_new(db, full);
	report_check_work(j, db);
	return report_check_end(j, report, days, e);
}

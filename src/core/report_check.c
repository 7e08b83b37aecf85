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

/* ?1 the day; ?2 ?3 a UTC window that holds all its calls. */
static const char DAY_SQL[] =
	"SELECT facet, office, ver, a, b, c, sum(st), sum(ct) FROM ("
	" SELECT facet, office, ver, a, b, c, n AS st, 0 AS ct FROM report_days WHERE facet IN " DAILY " AND day = ?1"
	" UNION ALL SELECT facet, office, ver, a, b, c, 0, count(*) FROM report_facts"
	"  WHERE id IN (SELECT id FROM calls WHERE started_at >= ?2 AND started_at < ?3) AND day = ?1"
	"  GROUP BY facet, office, ver, a, b, c)"
	" GROUP BY facet, office, ver, a, b, c HAVING sum(st) <> sum(ct)";

/* ?1 the month "YYYY-MM". */
static const char MONTH_SQL[] =
	"SELECT facet, office, ver, a, b, c, sum(st), sum(ct) FROM ("
	" SELECT facet, office, ver, a, b, c, n AS st, 0 AS ct FROM report_days WHERE facet IN " MONTHLY " AND day = ?1"
	" UNION ALL SELECT facet || ':m', office, ver, a, b, c, 0, n FROM report_days"
	"  WHERE facet IN " DAILY " AND day >= ?1 || '-01' AND day <= ?1 || '-31')"
	" GROUP BY facet, office, ver, a, b, c HAVING sum(st) <> sum(ct)";

#define MAX_NAMED 20

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

/* The UTC dates of the first and last call, or 0 for none. */
static int call_span(dv_db *db, time_t *first, time_t *last, dv_error *e)
{
	sqlite3_stmt *st = dbi_prepare(db, "SELECT min(started_at), max(started_at) FROM calls", e);
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

int report_check_days(dv_db *db, int full, dv_buf *report, long *days, dv_error *e)
{
	time_t first, last;
	long bad = 0;
	*days = 0;
	if (call_span(db, &first, &last, e))
		return e->code;
	long n = first ? (long)((last - first) / 86400) + 1 : 0;
	/* A sample: the last week, and days spread evenly over the rest. */
	long step = full || n <= 30 ? 1 : (n - 7) / 23 + 1;
	char month[8] = "";
	for (long i = 0; i < n; i++) {
		if (step > 1 && i < n - 7 && i % step)
			continue;
		time_t d = first + (time_t)i * 86400;
		char day[21], lo[21], hi[21];
		dv_utc_iso(d, day);
		day[10] = '\0';
		dv_utc_iso(d - 86400, lo);
		dv_utc_iso(d + 86400, hi);
		if (compare(db, DAY_SQL, day, lo, hi, report, &bad, e))
			return e->code;
		(*days)++;
		if (strncmp(month, day, 7) != 0) {
			snprintf(month, sizeof month, "%.7s", day);
			if (compare(db, MONTH_SQL, month, NULL, NULL, report, &bad, e))
				return e->code;
		}
	}
	if (bad > MAX_NAMED)
		dv_buf_printf(report, ngettext("and %ld more report count differs\n", "and %ld more report counts differ\n",
					       (unsigned long)(bad - MAX_NAMED)), bad - MAX_NAMED);
	return bad ? DV_ECORRUPT : DV_OK;
}

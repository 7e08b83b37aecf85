/* bench_desk: how fast the supervisor's desk answers on a large log.
 *
 * Builds (or reuses) a training database of N synthetic calls (default
 * 1,000,000) with `dovira demo`'s generator, then times, many runs each:
 * the start screen's data (its figures and the first log page), the first
 * log page, a page deep in the log, filtered pages, a case-code lookup and
 * opening a call in full (which writes its call.view audit row). Beside
 * each, raw SQLite doing the same reads in the same run, on its own
 * connection. Prints p50 and p99 in milliseconds against the aims of
 * issue 7 (first screen 20 ms, any page 10 ms, a filtered page 50 ms).
 * Run with `make bench`; not a test.
 * Usage: bench_desk [CALLS [RUNS]]; DOVIRA_BENCH_DB=PATH keeps and reuses
 * the database (built once; a database with another count is refused,
 * unless CALLS is "any": then whatever the kept database holds).
 */
#include "config.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dovira/demo.h"
#include "dovira/desk.h"
#include "dovira/orgs.h"
#include "dovira/session.h"
#include "dovira/setup.h"

static dv_session *s;
static sqlite3 *raw;
static int runs = 200;
static char codes[1000][10], ids[1000][37], cursors[1000][21];
static long long seqs[1000];

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

typedef void (*fn)(int i);

/* p50 and p99 of runs calls of f, in ms. */
static void measure(fn f, double *p50, double *p99)
{
	double *t = malloc((size_t)runs * sizeof *t);
	f(0); /* warm the cache once, as a screen in use would be */
	for (int i = 0; i < runs; i++) {
		double t0 = now_ms();
		f(i);
		t[i] = now_ms() - t0;
	}
	qsort(t, (size_t)runs, sizeof *t, cmp);
	*p50 = t[runs / 2];
	*p99 = t[(runs * 99) / 100 < runs ? (runs * 99) / 100 : runs - 1];
	free(t);
}

static void report(const char *what, fn desk, fn sql, double aim)
{
	double d50, d99, r50, r99;
	measure(desk, &d50, &d99);
	measure(sql, &r50, &r99);
	printf("%-34s desk p50 %7.2f p99 %7.2f | raw SQLite p50 %7.2f p99 %7.2f | aim %3.0f ms %s\n", what, d50, d99, r50,
	       r99, aim, d99 <= aim ? "met" : "MISSED");
}

/* ---- raw SQLite: the same reads, written by hand ---- */

static long raw_rows(const char *sql, const char *const *p, int np)
{
	sqlite3_stmt *st;
	long n = 0;
	if (sqlite3_prepare_v2(raw, sql, -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "bench_desk: %s\n", sqlite3_errmsg(raw));
		exit(1);
	}
	for (int i = 0; i < np; i++)
		sqlite3_bind_text(st, i + 1, p[i], -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW)
		for (int c = 0; c < sqlite3_column_count(st); c++)
			n += sqlite3_column_bytes(st, c) > 0;
	sqlite3_finalize(st);
	return n;
}

/* The SQL the desk runs (desk.c), written out: the log's index where the
 * desk names it, so the two columns differ by the desk's own work. */
#define RAW_COLS "SELECT c.rowid, c.id, c.case_code, c.started_at, c.duration_s, c.operator, c.office, c.kind," \
	" c.status, c.topic, c.risk, (SELECT count(*) FROM referrals f WHERE f.call_id = c.id), c.qa_flags," \
	" c.queue_state, c.reviewed_by IS NOT NULL, c.corrected, c.callback, k.status"
#define RAW_ROW RAW_COLS " FROM calls c INDEXED BY calls_log LEFT JOIN cases k ON k.id = c.case_id "
/* the index desk.c picks for a topic and a risk (schema_deskperf.h) */
#define RAW_TR RAW_COLS " FROM calls c INDEXED BY calls_log_topic_risk LEFT JOIN cases k ON k.id = c.case_id "
#define RAW_ROW_OWN RAW_COLS " FROM calls c LEFT JOIN cases k ON k.id = c.case_id "

static void sql_first_page(int i)
{
	(void)i;
	raw_rows(RAW_ROW "WHERE 1 ORDER BY c.started_at DESC, c.rowid DESC LIMIT 40", NULL, 0);
}

static void sql_start(int i)
{
	(void)i;
	raw_rows("SELECT count(*) FROM calls WHERE queue_state = 1", NULL, 0);
	raw_rows("SELECT count(*) FROM cases WHERE callback_due IS NOT NULL AND status <> 'closed'"
		 " AND callback_due < strftime('%Y-%m-%dT%H:%M:%SZ', 'now')", NULL, 0);
	raw_rows("SELECT count(*) FROM calls WHERE status = 'draft'"
		 " AND started_at < strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-12 hours')", NULL, 0);
	raw_rows("SELECT count(*) FROM calls WHERE started_at >= strftime('%Y-%m-%dT00:00:00Z', 'now')", NULL, 0);
	sql_first_page(i);
}

static void sql_deep_page(int i)
{
	char seq[24];
	snprintf(seq, sizeof seq, "%lld", seqs[i % 1000]);
	const char *p[] = {cursors[i % 1000], seq};
	raw_rows(RAW_ROW "WHERE 1 AND (c.started_at, c.rowid) < (?1, CAST(?2 AS INTEGER)) ORDER BY c.started_at DESC, c.rowid DESC LIMIT 40", p, 2);
}

static void sql_filtered(int i)
{
	(void)i;
	raw_rows(RAW_TR "WHERE +c.office = 'zaporizhzhia' AND c.topic = 'trafficking' AND c.risk = 'likely'"
		 " AND +c.reviewed_by IS NULL ORDER BY c.started_at DESC, c.rowid DESC LIMIT 40", NULL, 0);
}

static void sql_operator_month(int i)
{
	(void)i;
	raw_rows(RAW_ROW_OWN "WHERE c.operator = 'demo-op07' AND c.started_at >= '2025-06-01' AND c.started_at < '2025-07-01'"
		 " ORDER BY c.started_at DESC, c.rowid DESC LIMIT 40", NULL, 0);
}

static void sql_rare(int i)
{
	(void)i;
	raw_rows(RAW_TR "WHERE c.topic = 'missing' AND c.risk = 'likely' AND +c.kind = 'data'"
		 " AND +coalesce(c.callback, 0) = 1 ORDER BY c.started_at DESC, c.rowid DESC LIMIT 40", NULL, 0);
}

static void sql_callback(int i)
{
	(void)i;
	raw_rows(RAW_COLS " FROM calls c INDEXED BY calls_log_callback LEFT JOIN cases k ON k.id = c.case_id"
		 " WHERE c.callback = 1 ORDER BY c.started_at DESC, c.rowid DESC LIMIT 40", NULL, 0);
}

static void sql_risk(int i)
{
	(void)i;
	raw_rows(RAW_COLS " FROM calls c INDEXED BY calls_log_risk LEFT JOIN cases k ON k.id = c.case_id"
		 " WHERE c.risk = 'likely' AND +c.office = 'kyiv' ORDER BY c.started_at DESC, c.rowid DESC LIMIT 40", NULL, 0);
}

static void sql_reviewed(int i)
{
	(void)i;
	raw_rows(RAW_COLS " FROM calls c INDEXED BY calls_log_reviewed LEFT JOIN cases k ON k.id = c.case_id"
		 " WHERE c.reviewed_by IS NOT NULL ORDER BY c.started_at DESC, c.rowid DESC LIMIT 40", NULL, 0);
}

static void sql_kind_office(int i)
{
	(void)i;
	raw_rows(RAW_COLS " FROM calls c INDEXED BY calls_log_kind LEFT JOIN cases k ON k.id = c.case_id"
		 " WHERE c.kind = 'silent' AND +c.office = 'kyiv' ORDER BY c.started_at DESC, c.rowid DESC LIMIT 40", NULL, 0);
}

static void sql_waiting(int i)
{
	(void)i;
	raw_rows(RAW_ROW_OWN "WHERE c.queue_state = 1 ORDER BY c.started_at DESC, c.rowid DESC LIMIT 40", NULL, 0);
}

static void sql_lookup(int i)
{
	const char *p[] = {codes[i % 1000]};
	raw_rows("SELECT id, operator FROM calls WHERE case_code = ?1", p, 1);
}

static void sql_open(int i)
{
	const char *p[] = {ids[i % 1000]};
	raw_rows("SELECT * FROM calls WHERE id = ?1", p, 1);
	raw_rows("SELECT step, value FROM answers WHERE call_id = ?1", p, 1);
	raw_rows("SELECT r.*, o.name_uk, o.verified_on FROM referrals r JOIN orgs o ON o.id = r.org_id WHERE call_id = ?1", p, 1);
	raw_rows("SELECT * FROM corrections WHERE call_id = ?1", p, 1);
	raw_rows("SELECT * FROM queue_acks WHERE call_id = ?1", p, 1);
}

/* ---- the desk ---- */

static void page(const desk_filter *f, const desk_cursor *after)
{
	dv_error e;
	desk_row *rows;
	long n = desk_log_page(s, f, after, 40, &rows, NULL, &e);
	if (n < 0) {
		fprintf(stderr, "bench_desk: %s\n", e.msg);
		exit(1);
	}
	desk_rows_free(rows, n);
}

static void desk_first_page(int i)
{
	(void)i;
	page(NULL, NULL);
}

static void desk_start_screen(int i)
{
	dv_error e;
	desk_start st;
	(void)i;
	desk_start_figures(s, dv_now(), &st, &e);
	page(NULL, NULL);
}

static void desk_deep_page(int i)
{
	desk_cursor c;
	snprintf(c.at, sizeof c.at, "%s", cursors[i % 1000]);
	c.seq = seqs[i % 1000];
	page(NULL, &c);
}

static void desk_filtered(int i)
{
	desk_filter f;
	(void)i;
	desk_filter_init(&f);
	f.office = "zaporizhzhia";
	f.topic = "trafficking";
	f.risk = "likely";
	f.reviewed = 0;
	page(&f, NULL);
}

static void desk_operator_month(int i)
{
	desk_filter f;
	(void)i;
	dv_error e;
	desk_filter_init(&f);
	f.operator_login = "demo-op07";
	desk_period("2025-06", 0, &f.from, &f.to, &e);
	page(&f, NULL);
}

static void desk_rare(int i)
{
	(void)i;
	desk_filter f;
	desk_filter_init(&f);
	f.topic = "missing";
	f.risk = "likely";
	f.kind = CALL_DATA;
	f.callback = 1;
	page(&f, NULL);
}

static void desk_callback(int i)
{
	(void)i;
	desk_filter f;
	desk_filter_init(&f);
	f.callback = 1;
	page(&f, NULL);
}

static void desk_risk(int i)
{
	(void)i;
	desk_filter f;
	desk_filter_init(&f);
	f.risk = "likely";
	f.office = "kyiv";
	page(&f, NULL);
}

static void desk_reviewed(int i)
{
	(void)i;
	desk_filter f;
	desk_filter_init(&f);
	f.reviewed = 1;
	page(&f, NULL);
}

static void desk_kind_office(int i)
{
	(void)i;
	desk_filter f;
	desk_filter_init(&f);
	f.kind = CALL_SILENT;
	f.office = "kyiv";
	page(&f, NULL);
}

static void desk_waiting(int i)
{
	desk_filter f;
	(void)i;
	desk_filter_init(&f);
	f.queue = 1;
	page(&f, NULL);
}

static void desk_lookup(int i)
{
	char id[37];
	dv_error e;
	if (desk_find_code(s, codes[i % 1000], id, &e)) {
		fprintf(stderr, "bench_desk: %s\n", e.msg);
		exit(1);
	}
}

static void desk_open(int i)
{
	dv_error e;
	desk_call *c = desk_call_open(s, ids[i % 1000], &e);
	if (!c) {
		fprintf(stderr, "bench_desk: %s\n", e.msg);
		exit(1);
	}
	desk_call_free(c);
}

/* ---- setup ---- */

static void sample(void)
{
	sqlite3_stmt *st;
	sqlite3_prepare_v2(raw, "SELECT case_code, id, started_at, rowid FROM calls ORDER BY random() LIMIT 1000", -1, &st, NULL);
	for (int i = 0; i < 1000 && sqlite3_step(st) == SQLITE_ROW; i++) {
		snprintf(codes[i], sizeof codes[i], "%s", (const char *)sqlite3_column_text(st, 0));
		snprintf(ids[i], sizeof ids[i], "%s", (const char *)sqlite3_column_text(st, 1));
		snprintf(cursors[i], sizeof cursors[i], "%s", (const char *)sqlite3_column_text(st, 2));
		seqs[i] = sqlite3_column_int64(st, 3);
	}
	sqlite3_finalize(st);
}

static void progress(long done, long total, void *arg)
{
	(void)arg;
	if (done % 100000 == 0 || done == total)
		fprintf(stderr, "bench_desk: %ld of %ld calls written\n", done, total);
}

/* Open or build the database of n calls. */
static int setup(const char *path, long *np)
{
	long n = *np;
	dv_error e;
	char me[64];
	staff_whoami(me, sizeof me);
	int fresh = access(path, F_OK) != 0;
	if (fresh) {
		dv_db *db = setup_open(path, DB_OPEN_CREATE, me, &e);
		if (!db || orgs_seed_if_empty(db, me, orgs_default_seed_path(), &e)) {
			fprintf(stderr, "bench_desk: %s\n", e.msg);
			return -1;
		}
		db_close(db);
	}
	if (!(s = session_open(path, 0, &e))) {
		fprintf(stderr, "bench_desk: %s\n", e.msg);
		return -1;
	}
	if (fresh) {
		const char *dir = getenv("DOVIRA_DATADIR");
		char *spath = xasprintf("%s/intake.script", dir && *dir ? dir : "data");
		script *scr;
		demo_options o = {n, 1, 0, 3, progress, NULL};
		double t0 = now_ms();
		if (script_load(spath, &scr, NULL, &e) || desk_remember_script(s, spath, &e) || demo_fill(s, scr, &o, NULL, &e)) {
			fprintf(stderr, "bench_desk: %s\n", e.msg);
			return -1;
		}
		printf("built %ld calls through the core in %.1f s (one transaction per 5,000 calls)\n", n, (now_ms() - t0) / 1e3);
		script_free(scr);
		free(spath);
	}
	if (sqlite3_open_v2(path, &raw, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return -1;
	sqlite3_stmt *st;
	sqlite3_prepare_v2(raw, "SELECT count(*) FROM calls", -1, &st, NULL);
	long have = sqlite3_step(st) == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : -1;
	sqlite3_finalize(st);
	if (n == 0 && have >= 1000)
		n = have; /* "any" */
	if (have != n) {
		fprintf(stderr, "bench_desk: %s holds %ld calls, not %ld\n", path, have, n);
		return -1;
	}
	*np = n;
	return 0;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1000000;
	int any = argc > 1 && strcmp(argv[1], "any") == 0;
	if (argc > 2)
		runs = atoi(argv[2]);
	const char *keep = getenv("DOVIRA_BENCH_DB");
	char tmp[] = "/tmp/dovira-bench-XXXXXX";
	char *path = keep && *keep ? xstrdup(keep) : NULL;
	if (!path) {
		if (!mkdtemp(tmp))
			return 1;
		path = xasprintf("%s/desk.db", tmp);
	}
	if ((!any && n < 1000) || (any && !keep) || runs < 10 || setup(path, &n))
		return 1;
	sample();
	printf("%ld calls, %d runs each, times in ms; the machine is shared with other work, so p99 shows its noise\n", n, runs);
	report("start screen (figures + first page)", desk_start_screen, sql_start, 20);
	report("first log page", desk_first_page, sql_first_page, 10);
	report("a page deep in the log", desk_deep_page, sql_deep_page, 10);
	report("queue: waiting calls", desk_waiting, sql_waiting, 10);
	report("filtered: office+topic+risk+review", desk_filtered, sql_filtered, 50);
	report("filtered: operator + a month", desk_operator_month, sql_operator_month, 50);
	report("filtered: rare (4 filters, few or none)", desk_rare, sql_rare, 50);
	report("filtered: call-back agreed", desk_callback, sql_callback, 50);
	report("filtered: risk likely + office", desk_risk, sql_risk, 50);
	report("filtered: reviewed", desk_reviewed, sql_reviewed, 50);
	report("filtered: silent calls + office", desk_kind_office, sql_kind_office, 50);
	report("case code lookup", desk_lookup, sql_lookup, 10);
	report("open a call (audited view)", desk_open, sql_open, 20);
	session_close(s);
	sqlite3_close(raw);
	if (!keep || !*keep) {
		unlink(path);
		rmdir(tmp);
	}
	free(path);
	return 0;
}

/* bench_report.c: the report tables and retention on a big database.
 *
 *   bench_report DB YEAR [RUNS [tables]]
 *
 * DB is a database filled by `dovira demo` (make bench makes one of a
 * million calls once and keeps it). For each table over YEAR it prints
 * p50/p99/max of RUNS runs of report_run at the internal level, beside
 * raw SQLite in the same process and the same run: the same counts made
 * directly from the calls, answers and referrals (what a table cost
 * before report_days), and the same counts summed from report_days by
 * hand (no labels, no suppression). Then a writer process commits a small
 * row every 20 ms while the tables run: its longest wait for a commit,
 * beside the same writer alone. Last, the retention run over that year's
 * calls on a copy of the file, beside raw SQLite updates doing the same
 * clearing on another copy.
 *
 * Not a test: timings depend on the machine (shared: say so beside the
 * figures). The aim: each table for a year within 300 ms, and no writer
 * waiting a second while retention runs (the exit status is 1 when
 * either is missed).
 */
#include "config.h"

#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dovira/report.h"
#include "dovira/retention.h"
#include "dovira/session.h"

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double pct(double *v, int n, double p)
{
	qsort(v, (size_t)n, sizeof *v, cmp_d);
	int i = (int)(p * (n - 1) + 0.5);
	return v[i < n ? i : n - 1];
}

#define W " c.status = 'final' AND c.kind <> 'test' AND c.started_at >= ?1 AND c.started_at < ?2"
#define D W " AND c.kind = 'data'"
#define R D " AND c.risk IN ('possible','likely')"
/* Answers and referrals of each call (by their primary keys since the
 * day indexes went, migration 15: the tables read report_days). */
#define ON_DAY(t) " " t ".day = substr(c.started_at, 1, 10) AND " t ".call_id = c.id"
#define A(step) " CROSS JOIN answers a ON a.step = '" step "' AND" ON_DAY("a")
#define REFS " CROSS JOIN referrals r ON" ON_DAY("r") " JOIN orgs o ON o.id = r.org_id"
#define RECS " CROSS JOIN recommendations r ON" ON_DAY("r") " JOIN orgs o ON o.id = r.org_id"

/* The same aggregates as each table, written by hand. */
static const char *const raw[][8] = {
	{"volume", "SELECT c.started_at, c.kind, c.duration_s FROM calls c WHERE" W, NULL},
	{"topics", "SELECT c.topic, c.caller_role, count(*) FROM calls c WHERE" D " GROUP BY 1, 2", NULL},
	{"prevention", "SELECT c.topic, count(*) FROM calls c WHERE" D " AND c.topic IN ('consult','offer') GROUP BY 1",
	 "SELECT a.value, count(*) FROM calls c LEFT JOIN answers a ON a.step = 'consult_purpose' AND" ON_DAY("a") " WHERE" D " AND c.topic = 'consult' GROUP BY 1",
	 "SELECT a.value, count(*) FROM calls c" A("red_flags") " WHERE" D " GROUP BY 1",
	 "SELECT c.country, count(*) FROM calls c WHERE" D " AND c.topic IN ('consult','offer') GROUP BY 1",
	 "SELECT a.value, count(*) FROM calls c" A("channel") " WHERE" D " GROUP BY 1",
	 "SELECT c.heard_from, count(*) FROM calls c WHERE" D " GROUP BY 1"},
	{"identification", "SELECT c.topic, c.risk, count(*) FROM calls c WHERE" D " GROUP BY 1, 2",
	 "SELECT c.gender, c.age_band, count(*) FROM calls c WHERE" R " GROUP BY 1, 2",
	 "SELECT r.service, o.kind, c.risk, count(DISTINCT c.id) FROM calls c" REFS " WHERE" R " GROUP BY 1, 2, 3", NULL},
	{"exploitation", "SELECT a.value, c.country, c.raion, count(*) FROM calls c" A("exploitation") " WHERE" D " GROUP BY 1, 2, 3", NULL},
	{"age-gender", "SELECT c.age_band, c.gender, count(*) FROM calls c WHERE" D " GROUP BY 1, 2",
	 "SELECT c.age_band, c.gender, count(*) FROM calls c WHERE" R " GROUP BY 1, 2", NULL},
	{"geography", "SELECT c.raion, count(*) FROM calls c WHERE" D " GROUP BY 1", NULL},
	{"referrals", "SELECT r.org_id, r.service, count(*) FROM calls c" RECS " WHERE" D " GROUP BY 1, 2",
	 "SELECT r.org_id, r.service, count(*) FROM calls c" REFS " WHERE" D " GROUP BY 1, 2",
	 "SELECT r.org_id, r.service, count(*) FROM calls c" RECS " WHERE" D " AND NOT EXISTS (SELECT 1 FROM referrals f"
	 " WHERE f.day = r.day AND f.call_id = r.call_id AND f.org_id = r.org_id AND f.service = r.service)"
	 " GROUP BY 1, 2", NULL},
	{"indicators", "SELECT a.value, c.risk, count(*) FROM calls c" A("control") " WHERE" R " GROUP BY 1, 2",
	 "SELECT a.value, c.risk, count(*) FROM calls c" A("recruiter") " WHERE" R " GROUP BY 1, 2",
	 "SELECT a.value, c.risk, count(*) FROM calls c" A("ua_signs") " WHERE" R " GROUP BY 1, 2",
	 "SELECT a.value, c.risk, count(*) FROM calls c" A("ilo") " WHERE" R " GROUP BY 1, 2", NULL},
	{"follow-ups", "SELECT c.case_id IS NOT NULL, c.heard_from = 'repeat', count(*) FROM calls c WHERE" D " GROUP BY 1, 2",
	 "SELECT c.callback, count(*) FROM calls c WHERE" D " GROUP BY 1",
	 "SELECT k.status, count(DISTINCT k.id) FROM calls c JOIN cases k ON k.id = c.case_id WHERE" D " GROUP BY 1", NULL},
};

/* The same counts summed from report_days (schema_reportagg.h): the
 * year's monthly rows of each facet a table reads (?3 ?4 the first and
 * last month), and its cases, each counted on its first day in the year
 * (?5 the year's first day: schema_reportcase.h). */
#define M(f) "SELECT ver, a, b, c, sum(n) FROM report_days WHERE facet = '" f ":m' AND day >= ?3 AND day <= ?4 GROUP BY 1, 2, 3, 4"
static const char *const agg[][8] = {
	{"volume", M("vol"), M("dur"), NULL},
	{"topics", M("tc"), NULL},
	{"prevention", M("tk"), M("a.consult_purpose"), M("tc"), M("a.red_flags"), M("a.channel"), M("hf"), NULL},
	{"identification", M("tr"), M("rga"), M("idg"), NULL},
	{"exploitation", M("a.exploitation"), NULL},
	{"age-gender", M("rga"), NULL},
	{"geography", M("geo"), NULL},
	{"referrals", M("rec"), M("made"), M("both"), NULL},
	{"indicators", M("a.control"), M("a.recruiter"), M("moc"), NULL},
	{"follow-ups", M("fu"), M("cb"), "SELECT a, sum(n) FROM report_days WHERE facet = 'csall:m' AND day >= ?3"
	 " AND day <= ?4 AND b < ?5 GROUP BY a", NULL},
};

/* The bounds every raw statement may name: ?1 ?2 UTC instants, ?3 ?4
 * months, ?5 ?6 days (a statement binds those it has). */
static const char *bound[6];

static double run_raw(sqlite3 *h, const char *const *sql)
{
	double t0 = now_ms();
	sqlite3_exec(h, "BEGIN", NULL, NULL, NULL);
	for (int i = 1; i < 8 && sql[i]; i++) {
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(h, sql[i], -1, &st, NULL) != SQLITE_OK) {
			fprintf(stderr, "bench: %s: %s\n", sql[0], sqlite3_errmsg(h));
			exit(1);
		}
		for (int b = 1; b <= sqlite3_bind_parameter_count(st); b++)
			sqlite3_bind_text(st, b, bound[b - 1], -1, SQLITE_STATIC);
		while (sqlite3_step(st) == SQLITE_ROW)
			;
		sqlite3_finalize(st);
	}
	sqlite3_exec(h, "COMMIT", NULL, NULL, NULL);
	return now_ms() - t0;
}

static double run_ours(dv_session *s, const char *name, const report_query *q)
{
	report_table *t;
	dv_error e;
	double t0 = now_ms();
	if (report_run(s, name, q, &t, &e)) {
		fprintf(stderr, "bench: %s: %s\n", name, e.msg);
		exit(1);
	}
	double ms = now_ms() - t0;
	report_table_free(t);
	return ms;
}

/* The writer: a commit every 20 ms until killed; on SIGTERM it writes its
 * longest and its 99th-percentile wait (ms) to fd. */
static volatile sig_atomic_t stop;
static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

/* Naps of 0.2 to 1 ms while the lock is taken, as dovira's own writers
 * wait (db.c), up to 30 s. */
static int nap(void *arg, int count)
{
	(void)arg;
	if (count > 60000)
		return 0;
	struct timespec ts = {0, (200 + rand() % 800) * 1000L};
	nanosleep(&ts, NULL);
	return 1;
}

static void writer(const char *path, int fd)
{
	sqlite3 *h;
	signal(SIGTERM, on_term);
	sqlite3_open(path, &h);
	sqlite3_busy_handler(h, nap, NULL);
	sqlite3_exec(h, "PRAGMA synchronous=FULL", NULL, NULL, NULL);
	static double w[100000];
	int n = 0;
	while (!stop && n < 100000) {
		double t0 = now_ms();
		int rc = sqlite3_exec(h, "BEGIN IMMEDIATE; INSERT INTO bench_writes(at) VALUES (julianday('now')); COMMIT;",
				      NULL, NULL, NULL);
		if (rc != SQLITE_OK)
			sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
		w[n++] = now_ms() - t0;
		usleep(20000);
	}
	double r[3] = {n ? pct(w, n, 1.0) : 0, n ? pct(w, n, 0.99) : 0, (double)n};
	if (write(fd, r, sizeof r) != sizeof r)
		_exit(1);
	sqlite3_close(h);
	_exit(0);
}

static pid_t start_writer(const char *path, int *rfd)
{
	int p[2];
	if (pipe(p) != 0)
		exit(1);
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		writer(path, p[1]);
	}
	close(p[1]);
	*rfd = p[0];
	return pid;
}

static void stop_writer(pid_t pid, int fd, double r[3])
{
	kill(pid, SIGTERM);
	if (read(fd, r, 3 * sizeof *r) != 3 * (ssize_t)sizeof *r)
		memset(r, 0, 3 * sizeof *r);
	close(fd);
	waitpid(pid, NULL, 0);
}

static void copy_file(const char *from, const char *to)
{
	sqlite3 *src, *dst;
	sqlite3_open(from, &src);
	remove(to);
	sqlite3_open(to, &dst);
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
	sqlite3_backup_step(b, -1);
	sqlite3_backup_finish(b);
	sqlite3_close(src);
	sqlite3_close(dst);
}

/* Raw SQLite: the retention UPDATEs for the calls started before cut,
 * in one transaction, no audit; the time taken. */
static double raw_retention(sqlite3 *h, const char *cut)
{
	char *sql = xasprintf("BEGIN IMMEDIATE;"
			      " UPDATE calls SET notes = NULL WHERE status = 'final' AND started_at < '%s' AND notes IS NOT NULL;"
			      " UPDATE calls SET started_at = substr(started_at, 1, 14) || '00:00Z',"
			      "  ended_at = substr(ended_at, 1, 14) || '00:00Z', updated_at = substr(updated_at, 1, 14) || '00:00Z'"
			      "  WHERE status = 'final' AND started_at < '%s' AND substr(started_at, 15) <> '00:00Z';"
			      " UPDATE referrals SET made_at = substr(made_at, 1, 14) || '00:00Z' WHERE call_id IN"
			      "  (SELECT id FROM calls WHERE status = 'final' AND started_at < '%s');"
			      " COMMIT;", cut, cut, cut);
	double t0 = now_ms();
	sqlite3_exec(h, sql, NULL, NULL, NULL);
	free(sql);
	return now_ms() - t0;
}

/* Whole days from the instant iso to now. */
static long days_since(const char *iso)
{
	return (long)((dv_now() - dv_parse_utc(iso)) / 86400);
}

/* Retention over one year: on two copies of the file, everything before
 * the year is cleared first (not timed); then dovira retention clears the
 * year's calls while a writer commits, and raw SQLite does the same
 * UPDATEs on the other copy. */
static int bench_retention(const char *path, const char *year)
{
	char start[32], end[32];
	snprintf(start, sizeof start, "%s-01-01T00:00:00Z", year);
	snprintf(end, sizeof end, "%04d-01-01T00:00:00Z", atoi(year) + 1);
	long days0 = days_since(start), days = days_since(end);
	if (days < 1) {
		printf("\nretention: %s is not over yet; give a year that is\n", year);
		return 0;
	}
	char *a = xasprintf("%s.ret-a", path), *b = xasprintf("%s.ret-b", path);
	double t0 = now_ms();
	copy_file(path, a);
	copy_file(path, b);
	printf("\nretention over %s: two copies of the file made in %.0f s; the calls before %s cleared on both (not timed)\n",
	       year, (now_ms() - t0) / 1e3, start);
	dv_error e;
	dv_session *s = session_open(a, 0, &e);
	if (!s) {
		fprintf(stderr, "bench: %s\n", e.msg);
		exit(1);
	}
	retention_result r;
	t0 = now_ms();
	if (retention_run(s, days0, days0, 0, &r, &e)) {
		fprintf(stderr, "bench: retention: %s\n", e.msg);
		exit(1);
	}
	printf("  first, everything before %s (no writer): %.0f ms, %ld notes, %ld calls' times, %ld referral rows,"
	       " %ld write transactions, the longest %.0f ms\n", start, now_ms() - t0, r.notes, r.times, r.referrals,
	       r.chunks, r.longest_ms);
	sqlite3 *h;
	sqlite3_open(b, &h);
	sqlite3_exec(h, "PRAGMA synchronous=FULL; PRAGMA secure_delete=ON; PRAGMA foreign_keys=ON", NULL, NULL, NULL);
	/* the cut-off retention_run used: now less whole days */
	char cut0[21], cut1[21];
	dv_utc_iso(dv_now() - (time_t)days0 * 86400, cut0);
	raw_retention(h, cut0);
	sqlite3 *wh;
	sqlite3_open(a, &wh);
	sqlite3_exec(wh, "CREATE TABLE IF NOT EXISTS bench_writes(at REAL)", NULL, NULL, NULL);
	sqlite3_close(wh);
	int fd;
	double busy[3];
	pid_t w = start_writer(a, &fd);
	t0 = now_ms();
	if (retention_run(s, days, days, 0, &r, &e)) {
		fprintf(stderr, "bench: retention: %s\n", e.msg);
		exit(1);
	}
	double ours = now_ms() - t0;
	stop_writer(w, fd, busy);
	session_close(s);
	dv_utc_iso(dv_now() - (time_t)days * 86400, cut1);
	double rawms = raw_retention(h, cut1);
	long raw_calls = -1;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(h, "SELECT changes()", -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		raw_calls = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	double load[3] = {-1, -1, -1};
	if (getloadavg(load, 3) < 0)
		load[0] = load[1] = load[2] = -1;
	printf("retention of the calls started from %s to %s (load average %.2f %.2f %.2f at the end):\n", cut0, cut1,
	       load[0], load[1], load[2]);
	printf("  dovira retention (chunks of about 40 ms, audited): %8.0f ms in all, %.0f ms of it finding the candidates\n",
	       ours, r.find_ms);
	printf("    changed: notes of %ld calls, times of %ld calls, %ld referral rows; %ld left alone under legal hold\n",
	       r.notes, r.times, r.referrals, r.held);
	printf("    %ld write transactions, the longest %.0f ms (BEGIN to COMMIT)\n", r.chunks, r.longest_ms);
	printf("  raw SQLite, the same UPDATEs in one transaction, no audit:  %8.0f ms (last UPDATE changed %ld referral rows)\n",
	       rawms, raw_calls);
	printf("  a writer committing every 20 ms during dovira retention: longest wait %.0f ms, p99 %.0f ms over %.0f commits%s\n",
	       busy[0], busy[1], busy[2], busy[0] >= 1000 ? "  (a second or more)" : "");
	remove(a);
	remove(b);
	free(a);
	free(b);
	return busy[0] >= 1000;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: bench_report DB YEAR [RUNS [tables]]\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0); /* a long run shows its lines as they come */
	const char *path = argv[1], *year = argv[2];
	int runs = argc > 3 ? atoi(argv[3]) : 20;
	dv_error e;
	dv_session *s = session_open(path, 0, &e);
	if (!s) {
		fprintf(stderr, "bench: %s\n", e.msg);
		return 1;
	}
	sqlite3 *h;
	sqlite3_open(path, &h);
	sqlite3_exec(h, "CREATE TABLE IF NOT EXISTS bench_writes(at REAL)", NULL, NULL, NULL);
	report_query q;
	memset(&q, 0, sizeof q);
	q.level = REPORT_INTERNAL;
	report_period_parse(year, &q.period, &e);
	char lo[32], hi[32];
	snprintf(lo, sizeof lo, "%s-01-01T00:00:00Z", year);
	snprintf(hi, sizeof hi, "%04d-01-01T00:00:00Z", atoi(year) + 1);
	long n = 0;
	sqlite3_stmt *st;
	sqlite3_prepare_v2(h, "SELECT count(*) FROM calls WHERE started_at >= ?1 AND started_at < ?2", -1, &st, NULL);
	sqlite3_bind_text(st, 1, lo, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, hi, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	printf("report tables for %s (%ld calls that year), %d runs each; SQLite %s, journal %s\n", year, n, runs,
	       sqlite3_libversion(), db_journal_mode());
	double load[3] = {0, 0, 0};
	if (getloadavg(load, 3) < 0)
		load[0] = load[1] = load[2] = -1;
	printf("the machine is shared with other jobs (load average %.2f %.2f %.2f): figures are indicative\n"
	       "a table reads the counts report_days keeps: the whole months of its period, then its odd days\n\n",
	       load[0], load[1], load[2]);
	char m0[16], m1[16], d0[16], d1[16];
	snprintf(m0, sizeof m0, "%s-01", year);
	snprintf(m1, sizeof m1, "%s-12", year);
	snprintf(d0, sizeof d0, "%s-01-01", year);
	snprintf(d1, sizeof d1, "%s-12-31", year);
	bound[0] = lo, bound[1] = hi, bound[2] = m0, bound[3] = m1, bound[4] = d0, bound[5] = d1;
	printf("%-15s %26s   %26s   %26s\n", "", "dovira report_run (ms)", "raw SQLite, base tables", "raw SQLite, report_days");
	printf("%-15s %8s %8s %8s   %8s %8s %8s   %8s %8s %8s\n", "table", "p50", "p99", "max", "p50", "p99", "max",
	       "p50", "p99", "max");
	double *a = calloc((size_t)runs, sizeof *a), *b = calloc((size_t)runs, sizeof *b), *c = calloc((size_t)runs, sizeof *c);
	int over = 0;
	for (size_t t = 0; t < sizeof raw / sizeof *raw; t++) {
		for (int i = 0; i < runs; i++) {
			a[i] = run_ours(s, raw[t][0], &q);
			b[i] = run_raw(h, raw[t]);
			c[i] = run_raw(h, agg[t]);
		}
		double p50 = pct(a, runs, 0.5), p99 = pct(a, runs, 0.99), mx = pct(a, runs, 1.0);
		over |= mx > 300;
		printf("%-15s %8.1f %8.1f %8.1f   %8.1f %8.1f %8.1f   %8.1f %8.1f %8.1f%s\n", raw[t][0], p50, p99, mx,
		       pct(b, runs, 0.5), pct(b, runs, 0.99), pct(b, runs, 1.0), pct(c, runs, 0.5), pct(c, runs, 0.99),
		       pct(c, runs, 1.0), mx > 300 ? "  over 300 ms" : "");
	}
	int fd;
	double alone[3], busy[3];
	pid_t w = start_writer(path, &fd);
	usleep(2000000);
	stop_writer(w, fd, alone);
	w = start_writer(path, &fd);
	for (int i = 0; i < 3; i++)
		for (size_t t = 0; t < sizeof raw / sizeof *raw; t++)
			run_ours(s, raw[t][0], &q);
	stop_writer(w, fd, busy);
	printf("\na writer committing every 20 ms: longest wait %.0f ms, p99 %.0f ms over %.0f commits alone;\n"
	       "  while all ten tables ran 3 times: longest wait %.0f ms, p99 %.0f ms over %.0f commits\n",
	       alone[0], alone[1], alone[2], busy[0], busy[1], busy[2]);
	sqlite3_exec(h, "DROP TABLE bench_writes", NULL, NULL, NULL);
	sqlite3_close(h);
	session_close(s);
	if (argc < 5 || strcmp(argv[4], "tables") != 0) /* "tables": the tables only */
		over |= bench_retention(path, year);
	free(a);
	free(b);
	free(c);
	return over;
}

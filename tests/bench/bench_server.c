/* bench_server: saves under contention, and check and backup under load.
 *
 * Builds (once; kept in $DOVIRA_BENCH_DIR, default /var/tmp/dovira-bench)
 * a database of N final calls (default 1,000,000), each with two answers
 * and its audited creation, the audit keyed as in production. Then, in the
 * same harness and on the same file:
 *   - saves: 1 and 32 writer processes, each saving its own draft back to
 *     back (calls_save: redaction, the version check, the answers diff),
 *     and 32 that each save every 1 to 2 s (operators typing),
 *     p50/p99/p99.9/max and refused, the wait for the lock, how long it
 *     was held, the syncs per save and how many saves each commit carried
 *     (draft saves are combined, src/core/combine.c); beside them the raw anchor, a bare
 *     BEGIN IMMEDIATE; UPDATE calls SET notes ...; COMMIT per save, in the
 *     same run. DOVIRA_BENCH_JOURNAL=delete,truncate compares journal
 *     modes; DOVIRA_BENCH_ROUNDS=n repeats it all, raw first every other
 *     round, and adds the rounds' totals;
 *   - check (snapshot, then the integrity check in one thread while schema,
 *     chain, records run in another, as `dovira check` does) and backup alone,
 *     then while 8 writers save, with the longest wait of any writer and
 *     the longest read lock the copy held.
 * DOVIRA_BENCH_STEPS=1 makes each dovira save change, besides the notes,
 * one of six coded columns in turn, as the questions of an intake do
 * (six UPDATE statements, each of which can fire the report triggers of
 * calls and takes 8 to 15 ms to compile); the raw anchor is unchanged.
 * The pending saves are in a run directory on a tmpfs, as on a server
 * (settings.h run_dir): DOVIRA_BENCH_RUN_DIR names it (default
 * /dev/shm/dovira-bench); "none" keeps them beside the database.
 * Beside each crowd a probe times a bare 4 KiB fdatasync of a file of
 * its own every 20 ms, and /proc/stat the CPU time stolen by the
 * hypervisor: a slow run says whether the disk or the CPU was slow.
 * DOVIRA_BENCH_SLOW=ms prints every save slower than ms with when it began,
 * and when the backup and the copy ran, to find what held a writer up.
 * Run with `make bench`; not a test.
 * Usage: bench_server [CALLS [SECONDS [all|saves|reads|check|backup]]]
 * (reads: check and backup; backup: backup alone and with writers).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <uuid/uuid.h>

#include "../../src/core/dbi.h"
#include "dovira/audit.h"
#include "dovira/calls.h"
#include "dovira/db.h"
#include "dovira/orgs.h"
#include "dovira/priv.h"
#include "dovira/report.h"
#include "dovira/session.h"
#include "dovira/setup.h"

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* ---- the database ---- */

static const char *const topics[] = {"labour", "trafficking", "consult", "migration", "other"};
static const char *const raions[] = {"zaporizkyi", "berdianskyi", "melitopolskyi", "polohivskyi", "vasylivskyi"};

static int build(const char *path, long n)
{
	dv_error e;
	char me[64];
	staff_whoami(me, sizeof me);
	dv_db *db = setup_open(path, DB_OPEN_CREATE, me, &e);
	if (!db) {
		fprintf(stderr, "bench: %s\n", e.msg);
		return 1;
	}
	fprintf(stderr, "bench: building %ld calls in %s (once) ...\n", n, path);
	double t0 = now_ms();
	sqlite3_stmt *call, *ans;
	sqlite3_prepare_v2(db->h, "INSERT INTO calls(id, case_code, started_at, ended_at, duration_s, operator, office,"
		" script_id, script_version, status, kind, topic, gender, age_band, raion, country, risk, outcome, notes, updated_at)"
		" VALUES (?1, ?2, ?3, ?3, 300, ?4, 'main', 'zp', '1', 'final', 'data', ?5, 'f', '18-29', ?6, 'PL', 'possible',"
		" 'referred', 'worked without a contract; documents kept by the employer', ?3)", -1, &call, NULL);
	sqlite3_prepare_v2(db->h, "INSERT INTO answers(call_id, step, value) VALUES (?1, ?2, ?3)", -1, &ans, NULL);
	for (long i = 0; i < n; i++) {
		if (i % 20000 == 0)
			dbi_begin(db, &e);
		uuid_t u;
		char id[37], code[10], at[21];
		uuid_generate_random(u);
		calls_make_id(u, 1700000000 + i * 60, id); /* as calls_begin makes one */
		calls_case_code(u, code);
		dv_utc_iso(1700000000 + i * 60, at);
		sqlite3_bind_text(call, 1, id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(call, 2, code, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(call, 3, at, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(call, 4, me, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(call, 5, topics[i % 5], -1, SQLITE_STATIC);
		sqlite3_bind_text(call, 6, raions[i % 5], -1, SQLITE_STATIC);
		if (sqlite3_step(call) != SQLITE_DONE) /* a case code clash: skip */
			sqlite3_reset(call), i--;
		sqlite3_reset(call);
		for (int k = 0; k < 2; k++) {
			sqlite3_bind_text(ans, 1, id, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(ans, 2, k ? "debt" : "employer_country", -1, SQLITE_STATIC);
			sqlite3_bind_text(ans, 3, k ? "yes" : "PL", -1, SQLITE_STATIC);
			sqlite3_step(ans);
			sqlite3_reset(ans);
		}
		audit_append(db, me, "call.create", id, "data bench", &e);
		if (i % 20000 == 19999 || i == n - 1)
			dbi_commit(db, &e);
	}
	sqlite3_finalize(call);
	sqlite3_finalize(ans);
	db_close(db);
	fprintf(stderr, "bench: built in %.0f s\n", (now_ms() - t0) / 1000);
	return 0;
}

/* ---- writers ---- */

/* Every fsync and fdatasync of this program, SQLite's among them, goes
 * through these two: a definition in the program comes before the C
 * library's for the calls of the libraries it loads. Each writer counts
 * the syncs of its own saves. */
static long nsyncs;
int fdatasync(int fd) { nsyncs++; return (int)syscall(SYS_fdatasync, fd); }
int fsync(int fd) { nsyncs++; return (int)syscall(SYS_fsync, fd); }

enum mode { SAVE, RAW };
/* Writers that pause 1 to 2 s (at random) between saves, as 32 operators
 * typing do, instead of saving back to back; each waits a random 0 to 2 s
 * before its first, as operators do not all press save at one instant. */
static int paced;
/* DOVIRA_BENCH_SLOW=ms: each save slower than that is printed with when
 * it began (CLOCK_MONOTONIC, ms), beside when the backup or copy ran. */
static double slow_ms;
/* The journal mode of the writers' connections: NULL for the program's
 * own (db_journal_mode), or one to compare (DOVIRA_BENCH_JOURNAL). */
static const char *journal;
/* DOVIRA_BENCH_STEPS: the column each save changes besides the notes. */
static int steps;
static const struct {
	call_col col;
	const char *value[2];
} step_cols[6] = {
	{COL_TOPIC, {"offer", "consult"}},      {COL_CALLER_ROLE, {"self", "relative"}}, {COL_COUNTRY, {"PL", "DE"}},
	{COL_RAION, {"zaporizkyi", "polohivskyi"}}, {COL_HEARD_FROM, {"internet", "friends"}}, {COL_CALLBACK, {"yes", "no"}},
};
static volatile sig_atomic_t stop;
static void on_term(int sig) { (void)sig; stop = 1; }

/* When the connection's last BEGIN started and got the lock, and when its
 * last COMMIT ended, from SQLite's trace (dbi_begin and dbi_commit run
 * them as statements): the lock is held from the second to the third. */
typedef struct txclock { double begin_start, begin_end, commit_end; } txclock;

static int on_trace(unsigned type, void *ctx, void *p, void *x)
{
	(void)x;
	txclock *t = ctx;
	const char *sql = sqlite3_sql(p);
	if (!sql)
		return 0;
	if (strncmp(sql, "BEGIN", 5) == 0)
		*(type == SQLITE_TRACE_STMT ? &t->begin_start : &t->begin_end) = now_ms();
	else if (type == SQLITE_TRACE_PROFILE && strncmp(sql, "COMMIT", 6) == 0)
		t->commit_end = now_ms();
	return 0;
}

/* One writer: saves until the deadline (or SIGTERM with deadline 0), one
 * line a save to out: the latency in ms (negative if refused), the wait
 * for the lock, how long the lock was held, and the syncs it made. */
static void writer(const char *path, enum mode m, double deadline, FILE *out, int ready_fd, int go_fd, int done_fd)
{
	dv_error e;
	signal(SIGTERM, on_term);
	srand((unsigned)getpid());
	dv_session *s = session_open(path, 0, &e);
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA journal_mode=%s", journal ? journal : "");
	if (s && journal && sqlite3_exec(s->db->h, sql, NULL, NULL, NULL) != SQLITE_OK)
		fprintf(stderr, "bench: journal mode %s: %s\n", journal, sqlite3_errmsg(s->db->h));
	/* DOVIRA_BENCH_PRAGMA: SQL run on each writer's connection (dovira's
	 * and raw), to try a setting, e.g. "PRAGMA mmap_size=2000000000" */
	const char *pragma = getenv("DOVIRA_BENCH_PRAGMA");
	if (s && pragma && *pragma && sqlite3_exec(s->db->h, pragma, NULL, NULL, NULL) != SQLITE_OK)
		fprintf(stderr, "bench: %s: %s\n", pragma, sqlite3_errmsg(s->db->h));
	call_record *r = NULL;
	for (int tries = 0; s && !r && tries < 5; tries++) /* 32 begin at once: not measured */
		r = calls_begin(s, "zp", "1", &e);
	if (!r)
		fprintf(stderr, "bench: writer %d did not start: %s\n", (int)getpid(), e.msg);
	char c = 0;
	if (write(ready_fd, "r", 1) != 1 || read(go_fd, &c, 1) != 1 || !r)
		_exit(r ? 2 : 3);
	txclock tc = {0};
	sqlite3_trace_v2(s->db->h, SQLITE_TRACE_STMT | SQLITE_TRACE_PROFILE, on_trace, &tc);
	sqlite3_stmt *up = NULL;
	if (m == RAW)
		sqlite3_prepare_v2(s->db->h, "UPDATE calls SET notes = ?1, updated_at = ?2 WHERE id = ?3", -1, &up, NULL);
	if (paced) {
		struct timespec nap = {rand() % 2, (long)(rand() % 1000) * 1000000L};
		nanosleep(&nap, NULL);
	}
	double end = deadline > 0 ? now_ms() + deadline : 0;
	int refused = 0;
	for (long i = 0; !stop && (end == 0 || now_ms() < end); i++) {
		char note[96], step[16];
		snprintf(note, sizeof note, "save %ld: the caller worked in a warehouse without a contract", i);
		snprintf(step, sizeof step, "s%ld", i % 12);
		long syncs = nsyncs;
		tc = (txclock){0};
		double t0 = now_ms();
		int code;
		if (m == SAVE) {
			call_set_col(r, COL_NOTES, note);
			call_set_answer(r, step, note);
			if (steps)
				call_set_col(r, step_cols[i % 6].col, step_cols[i % 6].value[(i / 6) % 2]);
			code = calls_save(s, r, &e);
		} else {
			code = dbi_begin(s->db, &e);
			if (!code) {
				sqlite3_bind_text(up, 1, note, -1, SQLITE_TRANSIENT);
				sqlite3_bind_text(up, 2, "2026-01-01T00:00:00Z", -1, SQLITE_STATIC);
				sqlite3_bind_text(up, 3, r->id, -1, SQLITE_STATIC);
				int rc = sqlite3_step(up);
				sqlite3_reset(up);
				code = rc == SQLITE_DONE ? dbi_commit(s->db, &e) : (dbi_rollback(s->db), DV_EBUSY);
			}
		}
		double t = now_ms() - t0;
		double held = tc.commit_end > tc.begin_end && tc.begin_end > 0 ? tc.commit_end - tc.begin_end : -1;
		double wait = tc.begin_end > tc.begin_start && tc.begin_start > 0 ? tc.begin_end - tc.begin_start : 0;
		/* the saves the commit of this save carried, if this writer made it */
		int carried = code ? 0 : m == RAW ? 1 : s->db->carried;
		fprintf(out, "%.3f %.3f %.3f %ld %d %.1f\n", code ? -t : t, wait, code ? -1 : held, nsyncs - syncs, carried, t0);
		if (paced) {
			struct timespec nap = {1, (long)(rand() % 1000) * 1000000L};
			nanosleep(&nap, NULL);
		}
		if (code && !refused++) /* say why, once per writer */
			fprintf(stderr, "bench: writer %d: a save refused after %.0f ms: %s\n", (int)getpid(), t, e.msg);
	}
	sqlite3_trace_v2(s->db->h, 0, NULL, NULL);
	sqlite3_finalize(up);
	/* Its draft is discarded only once every writer has stopped: a
	 * discard is a write too, and the last saves of the others would
	 * wait for it. */
	char c2;
	if (write(done_fd, "d", 1) != 1 || close(done_fd) != 0 || read(go_fd, &c2, 1) != 1)
		_exit(4);
	calls_discard(s, r, &e);
	call_free(r);
	session_close(s);
	fclose(out);
	_exit(0);
}

typedef struct crowd {
	int n;
	pid_t pid[64];
	char file[64][96];
	int go_fd;   /* "g" starts the writers; once all stopped, "c" lets them clean up */
	int done_fd; /* each writer's "d" as it stops saving */
} crowd;

static void crowd_start(crowd *c, const char *dir, const char *path, int n, enum mode m, double ms)
{
	int ready[2], go[2], done[2];
	if (pipe(ready) != 0 || pipe(go) != 0 || pipe(done) != 0)
		exit(1);
	c->n = n;
	for (int i = 0; i < n; i++) {
		snprintf(c->file[i], sizeof c->file[i], "%s/lat.%d", dir, i);
		fflush(NULL);
		if ((c->pid[i] = fork()) == 0) {
			FILE *out = fopen(c->file[i], "w");
			close(ready[0]);
			close(go[1]);
			close(done[0]);
			writer(path, m, ms, out, ready[1], go[0], done[1]);
		}
	}
	close(ready[1]);
	close(go[0]);
	close(done[1]);
	c->done_fd = done[0];
	char b;
	for (int i = 0; i < n; i++)
		if (read(ready[0], &b, 1) != 1)
			break;
	close(ready[0]);
	c->go_fd = go[1];
	for (int i = 0; i < n; i++)
		if (write(go[1], "g", 1) != 1)
			break;
}

/* The saves of a crowd, sorted: latencies (v), waits for the lock and
 * times it was held (of the saves that went through); refused saves,
 * their syncs, and writers that did not start. */
typedef struct lat { double *v; long n, refused; double max; double *wait, *held; long nheld, syncs; int failed; double cpu;
	long commits, carried, carried_max; double held_sum; } lat;

static lat crowd_wait(crowd *c, int terminate)
{
	lat l = {0};
	for (int i = 0; terminate && i < c->n; i++)
		kill(c->pid[i], SIGTERM);
	/* every writer stopped (said so, or exited): then they clean up */
	char b[64];
	while (read(c->done_fd, b, sizeof b) > 0)
		;
	close(c->done_fd);
	signal(SIGPIPE, SIG_IGN);
	for (int i = 0; i < c->n; i++)
		if (write(c->go_fd, "c", 1) != 1)
			break;
	for (int i = 0; i < c->n; i++) {
		int st = 0;
		waitpid(c->pid[i], &st, 0);
		l.failed += !WIFEXITED(st) || WEXITSTATUS(st) != 0;
	}
	close(c->go_fd);
	for (int i = 0; i < c->n; i++) {
		FILE *f = fopen(c->file[i], "r");
		char line[128];
		while (f && fgets(line, sizeof line, f)) {
			double x, w = 0, h = -1;
			long k = 0, g = 0;
			double ts = 0;
			if (sscanf(line, "%lf %lf %lf %ld %ld %lf", &x, &w, &h, &k, &g, &ts) < 1)
				continue;
			if (slow_ms > 0 && fabs(x) > slow_ms)
				fprintf(stderr, "bench: slow save: %.1f ms from %.1f (waited %.1f for the lock)\n", fabs(x), ts, w);
			if (g > 0 && h >= 0)
				l.held_sum += h;
			if (g > 0)
				l.commits++, l.carried += g, l.carried_max = g > l.carried_max ? g : l.carried_max;
			if (x < 0)
				l.refused++, x = -x;
			l.v = realloc(l.v, (size_t)(l.n + 1) * sizeof *l.v);
			l.wait = realloc(l.wait, (size_t)(l.n + 1) * sizeof *l.wait);
			l.wait[l.n] = w;
			l.v[l.n++] = x;
			if (x > l.max)
				l.max = x;
			if (h >= 0) {
				l.held = realloc(l.held, (size_t)(l.nheld + 1) * sizeof *l.held);
				l.held[l.nheld++] = h;
			}
			l.syncs += k;
		}
		if (f)
			fclose(f);
		unlink(c->file[i]);
	}
	qsort(l.v, (size_t)l.n, sizeof *l.v, cmp_double);
	if (l.wait)
		qsort(l.wait, (size_t)l.n, sizeof *l.wait, cmp_double);
	if (l.held)
		qsort(l.held, (size_t)l.nheld, sizeof *l.held, cmp_double);
	return l;
}

static double pct_of(const double *v, long n, double p)
{
	if (!n)
		return 0;
	long i = (long)(p / 100 * (double)(n - 1) + 0.5);
	return v[i];
}

static double pct(const lat *l, double p)
{
	return pct_of(l->v, l->n, p);
}

static void lat_free(lat *l)
{
	free(l->v);
	free(l->wait);
	free(l->held);
}

/* Add b's saves to a (both sorted), for the rounds' totals. */
static void lat_add(lat *a, const lat *b)
{
	double **av[] = {&a->v, &a->wait, &a->held}, *bv[] = {b->v, b->wait, b->held};
	long an[] = {a->n, a->n, a->nheld}, bn[] = {b->n, b->n, b->nheld};
	for (int k = 0; k < 3; k++) {
		*av[k] = realloc(*av[k], (size_t)(an[k] + bn[k] + 1) * sizeof **av[k]);
		if (bn[k])
			memcpy(*av[k] + an[k], bv[k], (size_t)bn[k] * sizeof *bv[k]);
		qsort(*av[k], (size_t)(an[k] + bn[k]), sizeof **av[k], cmp_double);
	}
	a->n += b->n, a->nheld += b->nheld, a->refused += b->refused, a->syncs += b->syncs, a->failed += b->failed, a->cpu += b->cpu;
	a->commits += b->commits, a->carried += b->carried, a->held_sum += b->held_sum;
	if (b->carried_max > a->carried_max)
		a->carried_max = b->carried_max;
	if (b->max > a->max)
		a->max = b->max;
}

static void lat_print(const char *who, const char *jm, enum mode m, const lat *l)
{
	printf("  %-9s %-8s %-7s %7ld %7.2f %7.2f %7.1f %7.1f %5ld %6.2f %7.2f %6.2f %6.2f %6.2f %5.1f %4ld %6.3f%s\n", who, jm,
	       m == SAVE ? "dovira" : "raw", l->n, pct(l, 50), pct(l, 99), pct(l, 99.9), l->max, l->refused,
	       l->n ? (double)l->syncs / (double)l->n : 0, pct_of(l->wait, l->n, 99),
	       pct_of(l->held, l->nheld, 50), pct_of(l->held, l->nheld, 99), l->n ? l->cpu / (double)l->n : 0,
	       l->commits ? (double)l->carried / (double)l->commits : 0, l->carried_max,
	       l->carried ? l->held_sum / (double)l->carried : 0, l->failed ? "  WRITERS DID NOT START" : "");
}

/* CPU time (user and system, ms) of the writers that have ended. */
static double children_cpu(void)
{
	struct rusage u;
	getrusage(RUSAGE_CHILDREN, &u);
	return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e3 + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e3;
}

static double loadavg(void)
{
	double a = -1;
	FILE *f = fopen("/proc/loadavg", "r");
	if (f && fscanf(f, "%lf", &a) != 1)
		a = -1;
	if (f)
		fclose(f);
	return a;
}

/* DOVIRA_BENCH_CROWDS: which crowds to run, a comma list of 1, 32,
 * paced (all by default), and DOVIRA_BENCH_RAW=0 leaves out the raw
 * anchor: to profile one of them alone. */
static int crowd_wanted(int k, enum mode m)
{
	static const char *const names[] = {"1", "32", "paced"};
	const char *c = getenv("DOVIRA_BENCH_CROWDS"), *raw = getenv("DOVIRA_BENCH_RAW");
	if (m == RAW && raw && strcmp(raw, "0") == 0)
		return 0;
	if (!c || !*c)
		return 1;
	char buf[64];
	snprintf(buf, sizeof buf, ",%s,", c);
	char want[16];
	snprintf(want, sizeof want, ",%s,", names[k]);
	return strstr(buf, want) != NULL;
}

/* The disk's own sync, beside each crowd: every 20 ms a bare 4 KiB
 * pwrite and fdatasync of a file of its own in the database's directory,
 * and the CPU time the hypervisor stole (and spent waiting for I/O) over
 * the crowd, from /proc/stat: to tell a slow run's cause, the disk or the
 * CPU, from dovira's. */
typedef struct probe {
	pthread_t t;
	int fd, started;
	char file[256];
	volatile int stop;
	double *v;
	long n;
	unsigned long long cpu0[8];
} probe;

static void cpu_stat(unsigned long long *f)
{
	memset(f, 0, 8 * sizeof *f);
	FILE *in = fopen("/proc/stat", "r");
	if (in && fscanf(in, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6],
			 &f[7]) != 8)
		memset(f, 0, 8 * sizeof *f);
	if (in)
		fclose(in);
}

static void *probe_run(void *arg)
{
	probe *p = arg;
	char page[4096];
	memset(page, 'p', sizeof page);
	while (!p->stop) {
		double t0 = now_ms();
		if (pwrite(p->fd, page, sizeof page, 0) != (ssize_t)sizeof page || syscall(SYS_fdatasync, p->fd) != 0)
			break;
		double t = now_ms() - t0;
		p->v = realloc(p->v, (size_t)(p->n + 1) * sizeof *p->v);
		p->v[p->n++] = t;
		struct timespec nap = {0, 20 * 1000000L};
		nanosleep(&nap, NULL);
	}
	return NULL;
}

static void probe_start(probe *p, const char *dir)
{
	memset(p, 0, sizeof *p);
	snprintf(p->file, sizeof p->file, "%s/disk-probe", dir);
	p->fd = open(p->file, O_RDWR | O_CREAT, 0600);
	cpu_stat(p->cpu0);
	p->started = p->fd >= 0 && pthread_create(&p->t, NULL, probe_run, p) == 0;
}

static void probe_print(probe *p)
{
	unsigned long long c1[8], d[8], total = 0;
	cpu_stat(c1);
	if (p->started) {
		p->stop = 1;
		pthread_join(p->t, NULL);
	}
	for (int i = 0; i < 8; i++)
		total += d[i] = c1[i] - p->cpu0[i];
	qsort(p->v, (size_t)p->n, sizeof *p->v, cmp_double);
	printf("  %-9s disk: a bare fdatasync %5ld times, p50 %.2f p99 %.2f max %.1f ms; CPU stolen %.1f%%, waiting for I/O %.1f%%\n",
	       "", p->n, pct_of(p->v, p->n, 50), pct_of(p->v, p->n, 99), p->n ? p->v[p->n - 1] : 0,
	       total ? 100.0 * (double)d[7] / (double)total : 0, total ? 100.0 * (double)d[4] / (double)total : 0);
	free(p->v);
	if (p->fd >= 0)
		close(p->fd);
	unlink(p->file);
}

/* 1 writer and 32 back to back for ms each, and 32 paced (at least 20 s),
 * dovira's save beside the raw anchor in the same run, in each journal
 * mode of DOVIRA_BENCH_JOURNAL (a comma list; the program's own by
 * default), DOVIRA_BENCH_ROUNDS times (raw first in every other round),
 * then the rounds' totals. */
static void saves(const char *dir, const char *path, double ms)
{
	const char *jenv = getenv("DOVIRA_BENCH_JOURNAL"), *renv = getenv("DOVIRA_BENCH_ROUNDS");
	char jbuf[128], *jm[4];
	int nj = 0, rounds = renv && atoi(renv) > 0 ? atoi(renv) : 1;
	snprintf(jbuf, sizeof jbuf, "%s", jenv && *jenv ? jenv : db_journal_mode());
	for (char *t = strtok(jbuf, ","); t && nj < 4; t = strtok(NULL, ","))
		jm[nj++] = t;
	double pms = ms * 4 > 20000 ? ms * 4 : 20000;
	static const char *const who[] = {"1", "32", "32 paced"};
	int nwriters[] = {1, 32, 32};
	lat total[3][4][2];
	memset(total, 0, sizeof total);
	printf("\nsaves: 1 writer and 32 back to back for %.0f s, 32 paced for %.0f s; %d round(s); load average %.2f\n",
	       ms / 1000, pms / 1000, rounds, loadavg());
	if (steps)
		printf("  each dovira save changes one of six coded columns besides the notes (DOVIRA_BENCH_STEPS)\n");
	printf("  times in ms: the save (p50 / p99 / p99.9 / max), the writer's wait for the lock (p99),\n"
	       "  the lock held from BEGIN to the end of COMMIT (p50 / p99), the writers' CPU time per save (start and end included);\n"
	       "  refused after the %.0f s busy timeout; syncs = fsync+fdatasync per save;\n"
	       "  per commit: the saves one commit carried (mean / max): a save waiting while another session holds\n"
	       "  the lock is applied in that session's commit (group commit, src/core/combine.c); raw: always 1;\n"
	       "  held/s: the lock held per save, all commits' time over the saves they carried (1 / held/s bounds saves a second)\n",
	       5.0);
	printf("  %-9s %-8s %-7s %7s %7s %7s %7s %7s %5s %6s %7s %6s %6s %6s %5s %4s %6s\n", "writers", "journal", "what", "saves", "p50", "p99",
	       "p99.9", "max", "refsd", "syncs", "wait99", "held50", "held99", "cpu", "per c", "max", "held/s");
	for (int round = 0; round < rounds; round++) {
		if (rounds > 1)
			printf("  round %d (load average %.2f)\n", round + 1, loadavg());
		for (int k = 0; k < 3; k++)
			for (int j = 0; j < nj; j++)
				for (int mm = 0; mm < 2; mm++) {
					enum mode m = (enum mode)(mm ^ (round & 1));
					if (!crowd_wanted(k, m))
						continue;
					crowd c;
					paced = k == 2;
					journal = jenv && *jenv ? jm[j] : NULL;
					double cpu = children_cpu();
					crowd_start(&c, dir, path, nwriters[k], m, k == 2 ? pms : ms);
					probe pr;
					probe_start(&pr, dir);
					lat l = crowd_wait(&c, 0);
					l.cpu = children_cpu() - cpu;
					lat_print(who[k], jm[j], m, &l);
					probe_print(&pr);
					lat_add(&total[k][j][m], &l);
					lat_free(&l);
				}
	}
	paced = 0;
	journal = NULL;
	if (rounds > 1) {
		printf("  all %d rounds (load average %.2f)\n", rounds, loadavg());
		for (int k = 0; k < 3; k++)
			for (int j = 0; j < nj; j++)
				for (int m = 0; m < 2; m++)
					if (crowd_wanted(k, (enum mode)m))
						lat_print(who[k], jm[j], (enum mode)m, &total[k][j][m]);
	}
	for (int k = 0; k < 3; k++)
		for (int j = 0; j < nj; j++)
			for (int m = 0; m < 2; m++)
				lat_free(&total[k][j][m]);
	printf("  (32 paced: each writer pauses 1 to 2 s between saves, as operators typing do; load average now %.2f)\n", loadavg());
}

/* ---- check and backup ---- */

/* Time of each part of the last check, in s, and the CPU time of each
 * (its thread's); and the CPU time the whole check used. */
static double part[7], part_cpu[7], cpu_s;

static double thread_cpu(void)
{
	struct timespec t;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static double cpu_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* The parts of the last check, wall (CPU) in s. */
static void print_parts(const char *indent)
{
	static const char *const names[] = {"snapshot", "then at once: integrity (quick)", "| schema", "audit chain", "records (then the rest of both)", "directory index", "report counts (this thread's share)"};
	printf("%scheck parts, s wall (CPU):", indent);
	for (int i = 0; i < 7; i++)
		printf("%s %s %.2f (%.2f)", i > 1 ? "," : i ? ";" : "", names[i], part[i], part_cpu[i]);
	printf("; CPU time in all %.2f s\n", cpu_s);
}

typedef struct quick_job { dv_db *db; int bad; double s, cpu; audit_records *records; report_check_job *counts; } quick_job;

static void *quick_run(void *arg)
{
	quick_job *j = arg;
	setpriority(PRIO_PROCESS, 0, 10); /* as cmd_db.c's give_way */
	dv_buf r = {0};
	dv_error e;
	double t = now_ms(), c = thread_cpu();
	j->bad = db_integrity_but(j->db, 0, j->records && audit_records_proves_answers(j->records) ? "answers" : NULL, &r, &e) != DV_OK;
	j->s = (now_ms() - t) / 1000;
	j->cpu = thread_cpu() - c;
	if (j->records) { /* then helps with the records and the report counts */
		audit_records_work(j->records, j->db);
		report_check_work(j->counts, j->db);
	}
	if (j->bad)
		fprintf(stderr, "bench: check: integrity: %s %s\n", e.msg, r.s ? r.s : "");
	dv_buf_free(&r);
	return NULL;
}

/* What `dovira check` runs (cmd_db.c): on a snapshot, the integrity check
 * in a thread of its own on a twin connection while the other parts run
 * (the records last, shared by both threads), both at a lower priority
 * (in threads that end with the check). */
static int run_check_in(const char *path, db_copy_stats *st, double *ms)
{
	dv_error e;
	double t0 = now_ms(), t, c0 = cpu_now(), c;
	dv_db *db = db_open(path, DB_OPEN_READONLY, &e);
	dv_db *snap = db ? db_snapshot(db, st, &e) : NULL;
	dv_db *twin = snap ? db_snapshot_twin(snap, &e) : NULL;
	int bad = !twin;
	part[0] = (now_ms() - t0) / 1000;
	part_cpu[0] = cpu_now() - c0;
	if (twin) {
		dv_buf r = {0};
		audit_head h;
		long rows, calls, staff;
		audit_records *job = audit_records_new(1);
		audit_records_prefix(job, snap, &e);
		report_check_job *counts = report_check_new(snap, 0);
		quick_job q = {twin, 0, 0, 0, job, counts};
		pthread_t th;
		if (pthread_create(&th, NULL, quick_run, &q) != 0)
			q.records = NULL, quick_run(&q), th = 0;
		setpriority(PRIO_PROCESS, 0, 10);
		t = now_ms(), c = thread_cpu(), bad |= db_check_schema(snap, &r, &e) != DV_OK, part[2] = (now_ms() - t) / 1000, part_cpu[2] = thread_cpu() - c;
		t = now_ms(), c = thread_cpu(), bad |= audit_verify_into(snap, NULL, job, &r, &rows, &h, &e) != DV_OK, audit_records_digests_end(job), part[3] = (now_ms() - t) / 1000, part_cpu[3] = thread_cpu() - c;
		t = now_ms(), c = thread_cpu(), bad |= orgs_check_index(snap, 0, &r, &e) != DV_OK, part[5] = (now_ms() - t) / 1000, part_cpu[5] = thread_cpu() - c;
		long days;
		/* the report counts and the records, this thread's share of each
		 * and its wait for the other thread (as cmd_db.c) */
		t = now_ms(), c = thread_cpu(), report_check_work(counts, snap), part[6] = (now_ms() - t) / 1000, part_cpu[6] = thread_cpu() - c;
		t = now_ms(), c = thread_cpu(), audit_records_work(job, snap);
		if (th)
			pthread_join(th, NULL);
		bad |= report_check_end(counts, &r, &days, &e) != DV_OK;
		bad |= audit_records_end(job, &r, &calls, &staff, &e) != DV_OK, part[4] = (now_ms() - t) / 1000, part_cpu[4] = thread_cpu() - c;
		bad |= q.bad;
		part[1] = q.s, part_cpu[1] = q.cpu;
		if (bad)
			fprintf(stderr, "bench: check: %s %s\n", e.msg, r.s ? r.s : "");
		dv_buf_free(&r);
	} else {
		fprintf(stderr, "bench: check: %s\n", e.msg);
	}
	db_close(twin);
	db_close(snap);
	db_close(db);
	*ms = now_ms() - t0;
	cpu_s = cpu_now() - c0;
	return bad;
}

typedef struct check_job { const char *path; db_copy_stats *st; double *ms; int bad; } check_job;

static void *check_thread(void *arg)
{
	check_job *j = arg;
	j->bad = run_check_in(j->path, j->st, j->ms);
	return NULL;
}

static int run_check(const char *path, db_copy_stats *st, double *ms)
{
	check_job j = {path, st, ms, 1};
	pthread_t th;
	if (pthread_create(&th, NULL, check_thread, &j) != 0)
		return run_check_in(path, st, ms);
	pthread_join(th, NULL);
	return j.bad;
}

static int run_backup(const char *path, const char *dest, db_copy_stats *st, double *ms)
{
	dv_error e;
	double t0 = now_ms();
	unlink(dest);
	dv_db *db = db_open(path, 0, &e);
	int bad = !db || setup_backup(db, dest, st, &e) != DV_OK;
	if (bad)
		fprintf(stderr, "bench: backup: %s\n", e.msg);
	db_close(db);
	*ms = now_ms() - t0;
	if (slow_ms > 0)
		fprintf(stderr, "bench: backup from %.1f, copied by %.1f, verified by %.1f\n", t0, t0 + st->total_ms, t0 + *ms);
	return bad; /* dest is removed once the writers stopped (drop_file) */
}

/* The raw anchor: SQLite's online backup in one step, which holds one
 * read lock for the whole copy (in steps, it restarts on every write). */
static int run_raw_backup(const char *path, const char *dest, db_copy_stats *st, double *ms)
{
	double t0 = now_ms();
	sqlite3 *src = NULL, *dst = NULL;
	unlink(dest);
	int rc = sqlite3_open_v2(path, &src, SQLITE_OPEN_READONLY, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_open(dest, &dst);
	sqlite3_busy_timeout(src, 5000);
	sqlite3_backup *b = rc == SQLITE_OK ? sqlite3_backup_init(dst, "main", src, "main") : NULL;
	if (b) {
		rc = sqlite3_backup_step(b, -1);
		rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
		sqlite3_backup_finish(b);
	} else
		rc = SQLITE_ERROR;
	sqlite3_close(dst);
	sqlite3_close(src);
	*ms = now_ms() - t0;
	memset(st, 0, sizeof *st);
	st->passes = st->locks = 1;
	st->total_ms = st->lock_ms_max = st->last_lock_ms = *ms;
	return rc != SQLITE_OK;
}

/* The backup's copy without its verification (db_copy_unnamed): the
 * writers' waits while only the copy runs. The copy's descriptor in *fd,
 * closed once the writers stopped (drop_file). */
static int run_copy(const char *path, const char *dir, db_copy_stats *st, double *ms, int *fd)
{
	dv_error e;
	double t0 = now_ms();
	dv_db *db = db_open(path, 0, &e);
	*fd = db ? db_copy_unnamed(db, dir, st, &e) : -1;
	if (*fd < 0)
		fprintf(stderr, "bench: copy: %s\n", e.msg);
	db_close(db);
	*ms = now_ms() - t0;
	if (slow_ms > 0)
		fprintf(stderr, "bench: copy from %.1f to %.1f\n", t0, t0 + *ms);
	return *fd < 0;
}

/* Remove a copy (by name, or close the last descriptor of an unnamed
 * one) once no writer is measured, and let the disk settle: freeing the
 * 1.6 GB of a million calls (with online discard, as on this server)
 * stalled every writer's commit 0.3 to 3 s, which the rows would have
 * put down to the backup. */
static void drop_file(const char *dest, int fd, const char *dir)
{
	if (dest)
		unlink(dest);
	if (fd >= 0)
		close(fd);
	int d = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (d >= 0) {
		syncfs(d);
		close(d);
	}
	struct timespec settle = {2, 0};
	nanosleep(&settle, NULL);
}

/* One row of the check and backup table: the copy's costs, then the
 * writers' waits (none: nobody wrote). */
static void long_row(const char *label, double ms, int bad, const db_copy_stats *st, const lat *l)
{
	printf("  %-17s %7.2f %5.2f %3s %3d (%d) %6d %8.1f %8.1f %7.1f %8.1f", label, ms / 1000, st ? st->total_ms / 1000 : 0,
	       bad ? "NO" : "yes", st ? st->passes : 0, st ? st->log_rounds : 0, st ? st->locks : 0, st ? st->lock_ms_max : 0,
	       st ? st->last_lock_ms : 0, st ? st->last_bytes / 1e6 : 0, st ? st->lock_wait_ms_max : 0);
	if (l && l->n)
		printf(" %7ld %7.1f %7.1f %8.1f %5ld\n", l->n, pct(l, 50), pct(l, 99), l->max, l->refused);
	else
		printf(" %7s %7s %7s %8s %5s\n", "-", "-", "-", "-", "-");
}

static void long_reads(const char *dir, const char *path, int nwriters, int only_backup)
{
	char dest[256];
	snprintf(dest, sizeof dest, "%s/backup.db", dir);
	printf("\ncheck and backup; times in s, locks and waits in ms\n");
	printf("  %-17s %7s %5s %3s %7s %6s %8s %8s %7s %8s %7s %7s %7s %8s %5s\n", "what", "time", "copy", "ok", "passes", "locks",
	       "longest", "last", "last MB", "copy", "writer", "p50", "p99", "longest", "saves");
	printf("  %-17s %7s %5s %3s %7s %6s %8s %8s %7s %8s %7s %7s %7s %8s %5s\n", "", "", "", "", "(log)", "", "lock", "lock", "read",
	       "waited", "saves", "wait", "wait", "wait", "refused");
	double with_ms = 0;
	for (int with = 0; with < 2; with++)
		for (int what = only_backup; what < 2; what++) {
			crowd c;
			if (with)
				crowd_start(&c, dir, path, nwriters, SAVE, 0);
			db_copy_stats st;
			double ms;
			int bad = what ? run_backup(path, dest, &st, &ms) : run_check(path, &st, &ms);
			lat l = {0};
			if (with)
				l = crowd_wait(&c, 1), with_ms = ms;
			if (what)
				drop_file(dest, -1, dir);
			char label[64];
			snprintf(label, sizeof label, "%s%s", what ? "backup" : "check", with ? " + writers" : " alone");
			long_row(label, ms, bad, &st, with ? &l : NULL);
			free(l.v);
			if (!what)
				print_parts("    ");
		}
	crowd c;
	{
		db_copy_stats st;
		double ms;
		crowd_start(&c, dir, path, nwriters, SAVE, 0);
		int fd;
		int bad = run_copy(path, dir, &st, &ms, &fd);
		lat l = crowd_wait(&c, 1);
		drop_file(NULL, fd, dir);
		long_row("copy + writers", ms, bad, &st, &l);
		free(l.v);
	}
	if (only_backup) {
		db_copy_stats st;
		double ms;
		crowd_start(&c, dir, path, nwriters, SAVE, 0);
		int bad = run_raw_backup(path, dest, &st, &ms);
		lat l = crowd_wait(&c, 1);
		drop_file(dest, -1, dir);
		st.last_bytes = 0;
		long_row("raw sqlite3_backup", ms, bad, &st, &l);
		free(l.v);
	}
	/* The same writers with nothing else of ours running, as long as the
	 * last run: what the machine gives them anyway. */
	crowd_start(&c, dir, path, nwriters, SAVE, with_ms > 10000 ? with_ms : 10000);
	lat l = crowd_wait(&c, 0);
	long_row("writers alone", with_ms > 10000 ? with_ms : 10000, 0, NULL, &l);
	free(l.v);
	printf("  (time: all of it, with the backup's verification; copy: the copy alone; passes (log): passes over the\n"
	       "   file, of them rounds that copied only the blocks the log of changes named; longest lock: the longest read\n"
	       "   lock held; last lock: the one that made the copy whole, and the MB it read; copy waited: the longest\n"
	       "   the copy waited for a lock; writers: %d processes saving back to back while check or backup runs;\n"
	       "   copy: the backup's copy without its verification;\n"
	       "   raw sqlite3_backup: SQLite's online backup in one step (one read lock throughout), with the writers)\n", nwriters);
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1000000;
	double secs = argc > 2 ? atof(argv[2]) : 5;
	const char *base = getenv("DOVIRA_BENCH_DIR");
	if (getenv("DOVIRA_BENCH_SLOW"))
		slow_ms = atof(getenv("DOVIRA_BENCH_SLOW"));
	steps = getenv("DOVIRA_BENCH_STEPS") && atoi(getenv("DOVIRA_BENCH_STEPS")) > 0;
	char dir[200], path[256];
	snprintf(dir, sizeof dir, "%s", base && *base ? base : "/var/tmp/dovira-bench");
	mkdir(dir, 0700);
	snprintf(path, sizeof path, "%s/calls-%ld.db", dir, n);
	/* The pending saves in a run directory (DOVIRA_BENCH_RUN_DIR, above). */
	const char *run = getenv("DOVIRA_BENCH_RUN_DIR");
	run = run && *run ? run : "/dev/shm/dovira-bench";
	char conf[300];
	snprintf(conf, sizeof conf, "%s/bench.conf", dir);
	if (strcmp(run, "none") != 0 && mkdir(run, 0700) != 0 && errno != EEXIST) {
		fprintf(stderr, "bench: cannot make %s: %s\n", run, strerror(errno));
		return 1;
	}
	FILE *cf = fopen(conf, "w");
	if (!cf) {
		fprintf(stderr, "bench: cannot write %s: %s\n", conf, strerror(errno));
		return 1;
	}
	if (strcmp(run, "none") != 0)
		fprintf(cf, "run_dir = %s\n", run);
	fclose(cf);
	setenv("DOVIRA_CONF", conf, 1);
	struct stat sb;
	if (stat(path, &sb) != 0 && build(path, n))
		return 1;
	dv_error e;
	dv_db *up = db_open(path, 0, &e); /* bring an older schema up to date */
	if (!up)
		fprintf(stderr, "bench: %s\n", e.msg);
	db_close(up);
	stat(path, &sb);
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	printf("bench_server: %ld calls, %.0f MB, SQLite %s, journal mode %s, %ld cores\n", n, sb.st_size / 1e6,
	       db_sqlite_version(), db_journal_mode(), cores);
	char *pend = priv_pending_dir(path, strcmp(run, "none") != 0 ? run : NULL);
	printf("pending saves in %s (DOVIRA_BENCH_RUN_DIR)\n", pend);
	free(pend);
	printf("NOTE: the machine may be shared with other work while this runs; figures are of this run only.\n");
	const char *what = argc > 3 ? argv[3] : "all";
	if (strcmp(what, "check") == 0) { /* one check alone, to see its parts */
		db_copy_stats st;
		double ms;
		int bad = run_check(path, &st, &ms);
		printf("check alone %.2f s%s\n", ms / 1000, bad ? " FAILED" : "");
		print_parts("  ");
		/* The raw anchor: SQLite's PRAGMA quick_check on the file, alone,
		 * in one thread, at the usual priority. */
		sqlite3 *raw = NULL;
		double t = now_ms();
		int rc = sqlite3_open_v2(path, &raw, SQLITE_OPEN_READONLY, NULL);
		if (rc == SQLITE_OK)
			rc = sqlite3_exec(raw, "PRAGMA quick_check", NULL, NULL, NULL);
		sqlite3_close(raw);
		printf("raw PRAGMA quick_check %.2f s%s\n", (now_ms() - t) / 1000, rc == SQLITE_OK ? "" : " FAILED");
		return bad;
	}
	if (strcmp(what, "reads") != 0 && strcmp(what, "backup") != 0)
		saves(dir, path, secs * 1000);
	if (strcmp(what, "saves") != 0)
		long_reads(dir, path, 8, strcmp(what, "backup") == 0);
	return 0;
}

/* bench_recommend: what one answer costs the screens now that the
 * referrals are checked against the directory after every change.
 *
 * Loads the shipped script and directory, draws random calls (a fixed
 * seed), and times for each: the engine alone (script_referrals), the
 * whole check (rec_resolve: the engine, then one directory read per
 * referral), and raw SQLite reading the same entries by id with one
 * prepared statement, side by side in the same run. Prints p50 and p99
 * in microseconds. Run with `make bench`; not a test.
 * Usage: bench_recommend [CALLS] (default 5000).
 */
#include "config.h"

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dovira/db.h"
#include "dovira/i18n.h"
#include "dovira/orgs.h"
#include "dovira/recommend.h"
#include "dovira/script.h"
#include "dovira/setup.h"

static uint64_t rng = 0x9E3779B97F4A7C15u;

static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* A random answer to most steps (a refused one, e.g. an exclusive
 * option with others, is left out). */
static void random_call(script_answers *a, const script *s)
{
	dv_error e;
	for (size_t i = 0; i < script_nsteps(s); i++) {
		const script_step *st = script_step_at(s, i);
		if (st->nopts == 0 || rnd(8) == 0)
			continue;
		if (st->kind != SCRIPT_MULTI)
			script_answers_set(a, st->id, st->opts[rnd((unsigned)st->nopts)].code, &e);
		else
			for (size_t k = 0; k < st->nopts; k++)
				if (!st->opts[k].exclusive && rnd(5) == 0)
					script_answers_toggle(a, st->id, st->opts[k].code, &e);
	}
}

static void report(const char *what, double *t, size_t n)
{
	qsort(t, n, sizeof *t, cmp_double);
	printf("  %-44s p50 %7.1f us   p99 %7.1f us   max %7.1f us\n", what, t[n / 2], t[n * 99 / 100], t[n - 1]);
}

/* Raw SQLite: each referral's entry read by id, every column. */
static double raw_reads(sqlite3_stmt *st, const script_referral *r, size_t n)
{
	double t0 = now_us();
	for (size_t i = 0; i < n; i++) {
		sqlite3_bind_text(st, 1, r[i].org, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			for (int c = 0; c < sqlite3_column_count(st); c++)
				(void)sqlite3_column_text(st, c);
		sqlite3_reset(st);
	}
	return now_us() - t0;
}

int main(int argc, char **argv)
{
	int calls = argc > 1 ? atoi(argv[1]) : 5000;
	char dir[] = "/tmp/dovira-bench-XXXXXX";
	const char *src = getenv("SRCDIR") ? getenv("SRCDIR") : ".";
	if (calls <= 0 || !mkdtemp(dir))
		return 2;
	i18n_init("en");
	char *dbp = xasprintf("%s/bench.db", dir), *csv = xasprintf("%s/data/orgs.csv", src);
	char *path = xasprintf("%s/data/intake.script", src);
	dv_error e;
	dv_db *db = setup_open(dbp, DB_OPEN_CREATE, "bench", &e);
	script *s = NULL;
	sqlite3 *raw = NULL;
	sqlite3_stmt *st = NULL;
	if (!db || orgs_seed_if_empty(db, "bench", csv, &e) != DV_OK || script_load(path, &s, NULL, &e) != DV_OK ||
	    sqlite3_open_v2(dbp, &raw, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(raw, "SELECT * FROM orgs WHERE id = ?1", -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "bench_recommend: %s\n", e.msg);
		return 1;
	}
	double *eng = xcalloc((size_t)calls, sizeof *eng), *rec = xcalloc((size_t)calls, sizeof *rec);
	double *sql = xcalloc((size_t)calls, sizeof *sql);
	long refs = 0;
	for (int k = 0; k < calls; k++) {
		script_answers *a = script_answers_new(s);
		random_call(a, s);
		script_referral *r;
		double t0 = now_us();
		size_t n = script_referrals(a, &r);
		eng[k] = now_us() - t0;
		rec_list l;
		t0 = now_us();
		rec_resolve(db, a, &l);
		rec[k] = now_us() - t0;
		sql[k] = raw_reads(st, r, n);
		refs += (long)n;
		rec_list_free(&l);
		free(r);
		script_answers_free(a);
	}
	printf("dovira referrals benchmark: %d random calls of the default script, %.1f referrals each on average,\n"
	       "%ld directory entries, SQLite %s (one process; the machine may be shared: see the spread)\n",
	       calls, (double)refs / calls, orgs_count(db, &e), sqlite3_libversion());
	report("engine only (script_referrals):", eng, (size_t)calls);
	report("checked against the directory (rec_resolve):", rec, (size_t)calls);
	report("raw SQLite, the same entries by id:", sql, (size_t)calls);
	sqlite3_finalize(st);
	sqlite3_close(raw);
	script_free(s);
	db_close(db);
	unlink(dbp);
	rmdir(dir);
	free(eng);
	free(rec);
	free(sql);
	free(dbp);
	free(csv);
	free(path);
	return 0;
}

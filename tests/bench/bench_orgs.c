/* bench_orgs: how fast the directory answers as the operator types.
 *
 * Builds a directory of N synthetic entries (default 10,000) with
 * Ukrainian and English names like the real ones, imports it, then runs
 * search-as-you-type: every prefix of several words ("г", "га", "гар",
 * ...), without and with filters, at most 50 results (a screen) and
 * every result. Prints the number of queries and the median and worst
 * time of one query in microseconds. Run with `make bench`; not a test.
 * Usage: bench_orgs [ENTRIES]; DOVIRA_BENCH_KEEP=1 keeps the database.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dovira/csv.h"
#include "dovira/db.h"
#include "dovira/orgs.h"
#include "dovira/setup.h"

static uint64_t rng = 0x9E3779B97F4A7C15u;

static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

#define PICK(a) (a)[rnd(sizeof(a) / sizeof *(a))]

static const struct { const char *uk, *en, *kind, *services; } kinds[] = {
	{"Центр соціальних служб (%s)", "Centre of Social Services (%s)", "social", "psychological information"},
	{"Кризовий центр «%s»", "Crisis centre «%s»", "shelter", "shelter psychological"},
	{"Громадська організація «%s»", "NGO «%s»", "ngo", "information"},
	{"Благодійний фонд «%s»", "Charity Foundation «%s»", "ngo", "financial"},
	{"Служба у справах дітей (%s)", "Children's Service (%s)", "state", "information"},
	{"Управління соціального захисту населення (%s)", "Social Protection Office (%s)", "state", "status financial"},
	{"Бюро правничої допомоги (%s)", "Legal Aid Bureau (%s)", "legal_aid", "legal"},
	{"Притулок для жінок «%s»", "Women's shelter «%s»", "shelter", "shelter"},
	{"Центр психологічної допомоги «%s»", "Psychological Help Centre «%s»", "social", "psychological"},
	{"Лікарня (%s)", "Hospital (%s)", "health", "medical"},
	{"Гаряча лінія «%s»", "Helpline «%s»", "hotline", "information psychological"},
	{"Відділ поліції (%s)", "Police department (%s)", "police", ""},
	{"Центр зайнятості (%s)", "Employment Centre (%s)", "state", "employment information"},
};

static const struct { const char *uk, *en; } names[] = {
	{"Гармонія", "Harmoniia"}, {"Надія", "Nadiia"}, {"Віра", "Vira"}, {"Довіра", "Doviria"},
	{"Берегиня", "Berehynia"}, {"Злагода", "Zlahoda"}, {"Світанок", "Svitanok"}, {"Джерело", "Dzherelo"},
	{"Опора", "Opora"}, {"Крила", "Kryla"}, {"Відродження", "Vidrodzhennia"}, {"Перспектива", "Perspektyva"},
	{"Солідарність", "Solidarnist"}, {"Турбота", "Turbota"}, {"Родина", "Rodyna"}, {"Сім'я", "Simia"},
	{"Майбутнє", "Maibutnie"}, {"Мрія", "Mriia"}, {"Промінь", "Promin"}, {"Єднання", "Yednannia"},
};

static const struct { const char *uk, *en, *area; } towns[] = {
	{"Запоріжжя", "Zaporizhzhia", "zaporizhzhia-city"}, {"Бердянськ", "Berdiansk", "berdianskyi"},
	{"Мелітополь", "Melitopol", "melitopolskyi"}, {"Пологи", "Polohy", "polohivskyi"},
	{"Василівка", "Vasylivka", "vasylivskyi"}, {"Енергодар", "Enerhodar", "vasylivskyi"},
	{"Токмак", "Tokmak", "polohivskyi"}, {"Оріхів", "Orikhiv", "polohivskyi"},
	{"Гуляйполе", "Huliaipole", "polohivskyi"}, {"Вільнянськ", "Vilniansk", "zaporizkyi"},
	{"Кам'янка-Дніпровська", "Kamianka-Dniprovska", "vasylivskyi"}, {"Приморськ", "Prymorsk", "berdianskyi"},
	{"Якимівка", "Yakymivka", "melitopolskyi"}, {"Молочанськ", "Molochansk", "polohivskyi"},
	{"Дніпрорудне", "Dniprorudne", "vasylivskyi"}, {"Степногірськ", "Stepnohirsk", "vasylivskyi"},
};

static const char *const notes[] = {
	"Консультації для постраждалих від торгівлі людьми та їхніх родин.",
	"Працює за попереднім записом; прийом у будні.",
	"Допомагає внутрішньо переміщеним особам з окупованих територій.",
	"Мобільна група виїжджає до громад району.",
	"Контакти потребують перевірки.",
};

static const char *const serves[] = {"", "", "", "women", "children", "families", "women children"};

/* tmpl with its "%s" replaced by arg. */
static char *fill(const char *tmpl, const char *arg)
{
	const char *at = strstr(tmpl, "%s");
	return xasprintf("%.*s%s%s", (int)(at - tmpl), tmpl, arg, at + 2);
}

/* One synthetic entry as a CSV record. */
static void entry(dv_buf *b, int i)
{
	char id[32], phone[40], verified[16] = "", *uk, *en;
	int k = (int)rnd(sizeof kinds / sizeof *kinds), t = (int)rnd(sizeof towns / sizeof *towns);
	const char *arg_uk = towns[t].uk, *arg_en = towns[t].en;
	if (strstr(kinds[k].uk, "«")) {
		int n = (int)rnd(sizeof names / sizeof *names);
		arg_uk = names[n].uk;
		arg_en = names[n].en;
	}
	uk = fill(kinds[k].uk, arg_uk);
	en = fill(kinds[k].en, arg_en);
	snprintf(id, sizeof id, "bench-%05d", i);
	snprintf(phone, sizeof phone, "0%02u %03u %02u %02u; 0 800 %03u %03u", 50 + rnd(49), rnd(1000), rnd(100), rnd(100),
		 rnd(1000), rnd(1000));
	if (rnd(4))
		snprintf(verified, sizeof verified, "202%u-%02u-%02u", 4 + rnd(3), 1 + rnd(10), 1 + rnd(28));
	const char *f[] = {id, uk, en, kinds[k].kind, kinds[k].services, rnd(100) ? towns[t].area : "all",
			   phone, PICK(serves), PICK(notes), "https://example.org/bench", verified, rnd(100) ? "0" : "1"};
	csv_add_record(b, f, sizeof f / sizeof *f);
	free(uk);
	free(en);
}

static char *make_csv(const char *dir, int n)
{
	char *path = xasprintf("%s/bench.csv", dir);
	FILE *fp = fopen(path, "w");
	dv_buf b = {0};
	dv_buf_adds(&b, "id,name_uk,name_en,kind,services,areas,phones,serves,notes,source,verified_on,national\r\n");
	for (int i = 0; i < n; i++)
		entry(&b, i);
	fwrite(b.s, 1, b.len, fp);
	fclose(fp);
	dv_buf_free(&b);
	return path;
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

static const char *const words[] = {
	"гармонія", "запорізький", "кризовий", "соціальних", "притулок", "мелітополь",
	"юридична", "social", "centre", "harmoniia", "0800", "061",
};

/* Every prefix of every word, as typed, with filter f; times in t[]. */
static size_t type_words(dv_db *db, const orgs_filter *f, double *t, long *results)
{
	size_t n = 0;
	for (size_t w = 0; w < sizeof words / sizeof *words; w++) {
		const char *s = words[w];
		for (size_t len = 1; len <= strlen(s); len++) {
			if ((s[len] & 0xC0) == 0x80)
				continue; /* inside a UTF-8 character */
			char q[64];
			snprintf(q, sizeof q, "%.*s", (int)len, s);
			orgs_list l;
			dv_error e;
			double t0 = now_us();
			long r = orgs_search(db, q, f, "uk", &l, &e);
			t[n++] = now_us() - t0;
			if (getenv("DOVIRA_BENCH_VERBOSE"))
				fprintf(stderr, "%8.0f us %6ld  %s%s\n", t[n - 1], r, q, f && f->area ? " +filter" : "");
			if (r < 0)
				fprintf(stderr, "search '%s': %s\n", q, e.msg);
			*results += r > 0 ? r : 0;
			orgs_list_free(&l);
		}
	}
	return n;
}

static void run(dv_db *db, const char *what, int limit)
{
	static double t[4096];
	orgs_filter none = ORGS_FILTER_INIT, area = ORGS_FILTER_INIT, more = ORGS_FILTER_INIT;
	none.limit = area.limit = more.limit = limit;
	area.area = "melitopolskyi";
	more.area = "zaporizhzhia-city";
	more.service = "psychological";
	more.serves = "women";
	long results = 0;
	size_t n = type_words(db, &none, t, &results);
	n += type_words(db, &area, t + n, &results);
	n += type_words(db, &more, t + n, &results);
	qsort(t, n, sizeof *t, cmp_double);
	printf("%-34s %4zu queries  median %7.0f us  worst %7.0f us  (%.0f results a query)\n",
	       what, n, t[n / 2], t[n - 1], (double)results / (double)n);
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 10000;
	char dir[] = "/tmp/dovira-bench-XXXXXX";
	if (n <= 0 || !mkdtemp(dir))
		return 2;
	char *dbp = xasprintf("%s/bench.db", dir);
	dv_error e;
	dv_db *db = setup_open(dbp, DB_OPEN_CREATE, "bench", &e);
	if (!db) {
		fprintf(stderr, "%s\n", e.msg);
		return 1;
	}
	char *csv = make_csv(dir, n);
	orgs_import_stats st;
	dv_buf report = {0};
	double t0 = now_us();
	if (orgs_import(db, "bench", csv, &report, &st, &e)) {
		fprintf(stderr, "%s\n%s", e.msg, report.s ? report.s : "");
		return 1;
	}
	printf("dovira orgs benchmark: %d entries, SQLite %s, journal %s\n", n, db_sqlite_version(), db_journal_mode());
	printf("import (one transaction):          %ld rows in %.0f ms\n", st.rows, (now_us() - t0) / 1000);
	type_words(db, NULL, (double[4096]){0}, &(long){0}); /* warm the cache */
	run(db, "as you type, 50 results (screen):", 50);
	run(db, "as you type, every result:", 0);
	db_close(db);
	if (getenv("DOVIRA_BENCH_KEEP")) {
		printf("kept %s and %s\n", csv, dbp);
	} else {
		unlink(csv);
		unlink(dbp);
		rmdir(dir);
	}
	free(csv);
	free(dbp);
	dv_buf_free(&report);
	return 0;
}

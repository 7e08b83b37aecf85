/* Unit tests of the directory: csv.c, orgs.c, orgs_search.c, orgs_io.c. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The private store header, only to read the audit trail back. */
#include "../../src/core/dbi.h"
#include "dovira/audit.h"
#include "dovira/csv.h"
#include "dovira/db.h"
#include "dovira/setup.h"
#include "dovira/orgs.h"
#include "dovira/staff.h"
#include "orgs_ref.h"
#include "tap.h"

#define NOW "1795867200" /* 2026-11-28T12:00:00Z */

static char tmpdir[64];
static const char *srcdir;

static char *path_in(const char *dir, const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

static char *fixture(const char *name)
{
	return xasprintf("%s/tests/data/orgs/%s", srcdir, name);
}

static dv_db *new_db(const char *name)
{
	char *p = path_in(tmpdir, name);
	dv_error e;
	dv_db *db = setup_open(p, DB_OPEN_CREATE, "tester", &e);
	if (!db)
		printf("# db_open: %s\n", e.msg);
	free(p);
	return db;
}

/* The whole directory as CSV, as a string. */
static char *export_str(dv_db *db, orgs_format fmt)
{
	char *s = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&s, &n);
	dv_error e;
	if (orgs_export(db, "tester", f, fmt, &e) < 0)
		printf("# export: %s\n", e.msg);
	fclose(f);
	return s;
}

/* The last audit row as "action object detail". */
static char *last_audit(dv_db *db)
{
	dv_error e;
	sqlite3_stmt *st = dbi_prepare(db, "SELECT action || ' ' || coalesce(object, '-') || ' ' || coalesce(detail, '-')"
				       " FROM audit ORDER BY seq DESC LIMIT 1", &e);
	char *s = st && sqlite3_step(st) == SQLITE_ROW ? dbi_col_dup(st, 0) : xstrdup("");
	sqlite3_finalize(st);
	return s;
}

static long audit_rows(dv_db *db)
{
	long rows = -1;
	dv_buf r = {0};
	dv_error e;
	if (audit_verify(db, &r, &rows, &e))
		printf("# audit chain broken: %s\n", r.s ? r.s : e.msg);
	dv_buf_free(&r);
	return rows;
}

/* ---- CSV ------------------------------------------------------------- */

static void count_problem(void *ctx, long line, const char *msg)
{
	dv_buf_printf(ctx, "%ld: %s\n", line, msg);
}

static void test_csv_read(void)
{
	static const char in[] = "\xEF\xBB\xBF" "a,\"b,1\",\"say \"\"hi\"\"\"\r\n"
				 "\"multi\r\nline\",,x\r\n\r\n"
				 "last,\"\",\n";
	dv_buf probs = {0};
	csv_reader *r = csv_reader_new(in, sizeof in - 1, count_problem, &probs);
	csv_record rec;
	ok(csv_next(r, &rec) && rec.n == 3 && rec.line == 1, "csv: the first record has three fields, on line 1");
	is_str(rec.field[0], "a", "csv: the byte order mark is skipped");
	is_str(rec.field[1], "b,1", "csv: a comma inside quotes belongs to the field");
	is_str(rec.field[2], "say \"hi\"", "csv: a doubled quote is one quote");
	ok(csv_next(r, &rec) && rec.n == 3 && rec.line == 2 && rec.last == 3, "csv: a record with a line break in a field spans lines 2-3");
	is_str(rec.field[0], "multi\nline", "csv: CRLF inside quotes is read as LF");
	is_str(rec.field[1], "", "csv: an empty field between commas");
	ok(csv_next(r, &rec) && rec.line == 5 && rec.n == 3, "csv: an empty line is skipped and counted");
	ok(rec.field[1][0] == '\0' && rec.field[2][0] == '\0', "csv: \"\" and a trailing comma give empty fields");
	ok(!csv_next(r, &rec), "csv: end of input");
	is_int(csv_problems(r), 0, "csv: well-formed input has no problems");
	csv_reader_free(r);
	dv_buf_free(&probs);
}

static void test_csv_problems(void)
{
	static const char in[] = "a,b\"c\n\"d\"e,f\nok,ok\n\"open,\nmore";
	dv_buf probs = {0};
	csv_reader *r = csv_reader_new(in, sizeof in - 1, count_problem, &probs);
	csv_record rec;
	int n = 0;
	while (csv_next(r, &rec))
		n++;
	is_int(csv_problems(r), 3, "csv: three problems found in one pass");
	ok(probs.s && strstr(probs.s, "1: a quote inside a field") != NULL, "csv: a stray quote is reported on its line");
	ok(probs.s && strstr(probs.s, "2: text after the closing quote") != NULL, "csv: text after a closing quote is reported on its line");
	ok(probs.s && strstr(probs.s, "4: a quoted field starts on this line and is never closed") != NULL,
	   "csv: an unclosed quote is reported where it opens");
	is_int(n, 4, "csv: reading goes on after a problem");
	csv_reader_free(r);
	dv_buf_free(&probs);
}

static void test_csv_write(void)
{
	dv_buf b = {0};
	const char *f[] = {"plain", "a,b", "say \"x\"", "two\nlines", NULL, " pad"};
	csv_add_record(&b, f, 6);
	is_str(b.s, "plain,\"a,b\",\"say \"\"x\"\"\",\"two\nlines\",,\" pad\"\r\n",
	       "csv: fields are quoted only when needed, records end with CRLF");
	csv_reader *r = csv_reader_new(b.s, b.len, NULL, NULL);
	csv_record rec;
	int same = csv_next(r, &rec) && rec.n == 6;
	for (size_t i = 0; same && i < 6; i++)
		same = strcmp(rec.field[i], f[i] ? f[i] : "") == 0;
	ok(same, "csv: what the writer writes, the reader reads back");
	csv_reader_free(r);
	dv_buf_free(&b);
}

/* ---- Import ---------------------------------------------------------- */

static void test_seed(dv_db *db)
{
	setenv("DOVIRA_DATADIR", "/some/where", 1);
	is_str(orgs_default_seed_path(), "/some/where/orgs.csv", "the seed path follows $DOVIRA_DATADIR");
	unsetenv("DOVIRA_DATADIR");
	ok(strstr(orgs_default_seed_path(), "/orgs.csv") != NULL, "without it the seed is PKGDATADIR/orgs.csv");
	char *seed = xasprintf("%s/data/orgs.csv", srcdir);
	dv_error e;
	long before = audit_rows(db);
	is_int(orgs_seed_if_empty(db, "tester", seed, &e), DV_OK, "the seed imports into an empty directory");
	is_int(orgs_count(db, &e), 42, "the seed has 42 entries");
	is_int(audit_rows(db), before + 43, "the import wrote one audit row for each entry it added, and one for the file");
	char *a = last_audit(db);
	is_str(a, "org.import orgs.csv 42 rows: 42 added, 0 updated, 0 unchanged", "the audit row says org.import with the counts");
	free(a);
	is_int(orgs_seed_if_empty(db, "tester", seed, &e), DV_OK, "seeding again is a no-op");
	is_int(audit_rows(db), before + 43, "a no-op seed writes no audit row");
	dv_org o;
	ok(orgs_get(db, "harmoniia", &o, &e) == DV_OK && o.verified_on == NULL && orgs_is_stale(&o, dv_now()),
	   "an uncertain [U] entry is imported as unverified and flagged");
	orgs_free(&o);
	ok(orgs_get(db, "dszn-zoda", &o, &e) == DV_OK && !o.verified_on && orgs_is_stale(&o, dv_now()) &&
	   strcmp(o.phones, "0800 503 508") == 0, "the Department comes with its hotline, unverified until someone calls");
	orgs_free(&o);
	ok(orgs_get(db, "crisis-melitopol", &o, &e) == DV_OK && o.do_not_refer &&
	   orgs_state_of(&o, dv_now()) == ORGS_DO_NOT_REFER, "a crisis centre in occupied Melitopol is marked do-not-refer");
	orgs_free(&o);
	ok(orgs_get(db, "melitopol-hub", &o, &e) == DV_OK && o.relocated_from && strcmp(o.operates_in, "zaporizhzhia-city") == 0,
	   "a relocated entry keeps both where it came from and where it works");
	orgs_free(&o);
	free(seed);
}

static void test_good_import(dv_db *db)
{
	char *p = fixture("good.csv");
	dv_buf report = {0};
	orgs_import_stats st;
	dv_error e;
	is_int(orgs_import(db, "tester", p, &report, &st, &e), DV_OK, "a good file with BOM, CRLF and quoted fields imports");
	ok(st.rows == 2 && st.added == 2 && st.updated == 0, "two entries added");
	dv_org o;
	orgs_get(db, "test-line", &o, &e);
	is_str(o.notes, "Рядок 1\nрядок 2, з комою і \"лапками\"", "a quoted field keeps its line break, comma and quotes");
	is_str(o.phones, "100 200; 0 800 000 000", "phones are kept separated by '; '");
	ok(o.national == 1 && o.age_min == -1 && o.serves == NULL, "flags and empty optional fields are read");
	orgs_free(&o);
	orgs_get(db, "test-centre", &o, &e);
	is_str(o.services, "psychological legal", "a list is normalised to single spaces");
	ok(o.verified_on == NULL && o.phones == NULL, "empty fields are NULL");
	orgs_free(&o);
	free(p);
	dv_buf_free(&report);
}

static void test_partial_update(dv_db *db)
{
	char *p = fixture("update.csv");
	dv_buf report = {0};
	orgs_import_stats st;
	dv_error e;
	is_int(orgs_import(db, "tester", p, &report, &st, &e), DV_OK, "a file with fewer columns imports");
	ok(st.added == 1 && st.updated == 1 && st.unchanged == 0, "one entry added, one updated");
	dv_org o;
	orgs_get(db, "test-centre", &o, &e);
	is_str(o.phones, "061 000 00 00", "the column in the file is updated");
	orgs_free(&o);
	orgs_get(db, "test-line", &o, &e);
	ok(o.notes && o.national == 1, "an entry absent from the file is kept as it was");
	orgs_free(&o);
	is_int(orgs_count(db, &e), 45, "nothing was retired or removed");
	free(p);
	dv_buf_free(&report);
}

/* Import a broken fixture: refused, every expected "file:line: message"
 * reported, and the directory exactly as before. */
static void bad_import(dv_db *db, const char *name, const char *const *want, size_t nwant)
{
	char *p = fixture(name);
	char *before = export_str(db, ORGS_CSV);
	long arows = audit_rows(db);
	dv_buf report = {0};
	dv_error e;
	int code = orgs_import(db, "tester", p, &report, NULL, &e);
	is_int(code, DV_EINVAL, "%s: refused", name);
	for (size_t i = 0; i < nwant; i++) {
		char *line = xasprintf("%s:%s", p, want[i]);
		ok(report.s && strstr(report.s, line), "%s: reports %s", name, want[i]);
		if (!report.s || !strstr(report.s, line))
			printf("# report:\n%s", report.s ? report.s : "(none)\n");
		free(line);
	}
	char *after = export_str(db, ORGS_CSV);
	ok(before && after && strcmp(before, after) == 0 && audit_rows(db) == arows + 1,
	   "%s: the directory is exactly as before, no audit row but the export's", name);
	free(before);
	free(after);
	free(p);
	dv_buf_free(&report);
}

#define BAD(name, ...) do { static const char *const w_[] = {__VA_ARGS__}; \
	bad_import(db, name, w_, sizeof w_ / sizeof *w_); } while (0)

static void test_bad_imports(dv_db *db)
{
	BAD("bad-quote.csv", "3: a quote inside a field that does not start with a quote",
	    "4: text after the closing quote");
	BAD("unclosed.csv", "3: a quoted field starts on this line and is never closed");
	BAD("missing-column.csv", "1: missing column 'name_en'");
	BAD("unknown-column.csv", "1: unknown column 'nmae_en'", "1: missing column 'name_en'");
	BAD("unknown-raion.csv", "3: areas: unknown code 'melitopol'");
	BAD("unknown-service.csv", "2: services: unknown code 'legl'");
	BAD("empty-name.csv", "2: name_uk: empty");
	BAD("dup-id.csv", "4: id: 'same' is already used on line 2");
	BAD("bad-date.csv", "2: verified_on: '2026-02-30' is not a date");
	BAD("bad-age.csv", "2: age_min: 18 is above age_max 14", "3: age_min: 'abc' is not an age");
	BAD("bad-utf8.csv", "2: name_uk: invalid UTF-8");
	BAD("control.csv", "2: name_en: a control character (U+001B)");
	BAD("field-count.csv", "3: 6 fields, but the header has 7");
	BAD("many.csv", "4: kind: unknown code 'charity'", "5: a quote inside a field", "6: id: 'BadId' is not a valid id",
	    "6: source: empty");
	dv_buf report = {0};
	dv_error e;
	char *p = fixture("many.csv");
	orgs_import(db, "tester", p, &report, NULL, &e);
	const char *l4 = strstr(report.s, ":4:"), *l5 = strstr(report.s, ":5:"), *l6 = strstr(report.s, ":6:");
	ok(l4 && l5 && l6 && l4 < l5 && l5 < l6, "problems are reported in line order");
	free(p);
	dv_buf_free(&report);
	char *missing = path_in(tmpdir, "no-such.csv");
	is_int(orgs_import(db, "tester", missing, NULL, NULL, &e), DV_ENOTFOUND, "a missing file is DV_ENOTFOUND");
	free(missing);
}

/* ---- Round trip ------------------------------------------------------ */

static void test_round_trip(dv_db *db)
{
	dv_error e;
	orgs_retire(db, "tester", "test-new", &e);
	char *a = export_str(db, ORGS_CSV);
	char *p = path_in(tmpdir, "export.csv");
	FILE *f = fopen(p, "w");
	fputs(a, f);
	fclose(f);
	orgs_import_stats st;
	is_int(orgs_import(db, "tester", p, NULL, &st, &e), DV_OK, "the export imports back");
	ok(st.unchanged == st.rows && st.added == 0 && st.updated == 0, "re-importing the export changes nothing");
	char *b = export_str(db, ORGS_CSV);
	ok(strcmp(a, b) == 0, "export -> import -> export is identical");
	dv_db *fresh = new_db("fresh.db");
	is_int(orgs_import(fresh, "tester", p, NULL, &st, &e), DV_OK, "the export imports into a new database");
	char *c = export_str(fresh, ORGS_CSV);
	ok(strcmp(a, c) == 0, "the new database exports byte for byte the same directory (retired entry included)");
	char *j = export_str(fresh, ORGS_JSON);
	ok(j && j[0] == '[' && strstr(j, "\"phones\": [\"527\", \"0 800 505 501\"]") &&
	   strstr(j, "\"retired\": true") && strstr(j, "\"kind\": \"hotline\"") && strstr(j, "\"age_min\": null") && strstr(j, "\\\"лапками\\\""),
	   "the JSON export has lists as arrays, booleans, nulls and escaped quotes");
	db_close(fresh);
	free(a);
	free(b);
	free(c);
	free(j);
	free(p);
}

/* ---- Search ---------------------------------------------------------- */

static long search(dv_db *db, const char *q, const orgs_filter *f, orgs_list *l)
{
	dv_error e;
	long n = orgs_search(db, q, f, "uk", l, &e);
	if (n < 0)
		printf("# search '%s': %s\n", q ? q : "(null)", e.msg);
	return n;
}

static int has(const orgs_list *l, const char *id)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].id, id) == 0)
			return 1;
	return 0;
}

static void first_is(dv_db *db, const char *q, const char *id)
{
	orgs_list l;
	long n = search(db, q, NULL, &l);
	ok(n > 0 && strcmp(l.v[0].id, id) == 0, "search '%s' ranks %s first", q, id);
	if (n > 0 && strcmp(l.v[0].id, id) != 0)
		printf("# first: %s\n", l.v[0].id);
	orgs_list_free(&l);
}

static void finds(dv_db *db, const char *q, const orgs_filter *f, const char *id, int want, const char *what)
{
	orgs_list l;
	search(db, q, f, &l);
	ok(has(&l, id) == want, "search '%s' %s %s (%s)", q, want ? "finds" : "does not list", id, what);
	orgs_list_free(&l);
}

static void test_search_text(dv_db *db)
{
	first_is(db, "ДЕПАРТ", "dszn-zoda");
	first_is(db, "департамент", "dszn-zoda");
	first_is(db, "Department", "dszn-zoda");
	first_is(db, "гарм", "harmoniia");
	first_is(db, "ГАРМОНІЯ", "harmoniia");
	first_is(db, "527", "line-527");
	first_is(db, "0800505", "line-527");
	first_is(db, "116 123", "line-116123");
	finds(db, "соц", NULL, "zp-city-css", 1, "Cyrillic prefix");
	finds(db, "соц", NULL, "ocsssdm", 1, "Cyrillic prefix");
	finds(db, "Social", NULL, "zp-city-css", 1, "Latin word");
	finds(db, "soc", NULL, "ocsssdm", 1, "Latin prefix");
	finds(db, "soc", NULL, "line-527", 0, "no false match");
	finds(db, "сім'ї", NULL, "ocsssdm", 1, "ASCII apostrophe");
	finds(db, "сімʼї", NULL, "ocsssdm", 1, "modifier-letter apostrophe");
	finds(db, "сім’ї", NULL, "ocsssdm", 1, "typographic apostrophe");
	finds(db, "сімʼї", NULL, "test-centre", 1, "stored with U+02BC, typed with U+02BC");
	finds(db, "Об'єднання", NULL, "vzaiemodiia", 1, "apostrophe in a name");
	finds(db, "юрид", NULL, "legal-aid", 1, "a service by its Ukrainian word");
	finds(db, "притул", NULL, "child-smile", 1, "shelter by its Ukrainian word");
	finds(db, "мелітоп", NULL, "crisis-melitopol", 1, "an area by its name");
	finds(db, "ла страда 116", NULL, "line-116111", 1, "several words, all required");
	finds(db, "ла страда поліція", NULL, "line-116111", 0, "several words, all required");
	static const char *const nasty[] = {"\"гарм", "гарм\"", "a AND", "NOT", "NEAR(", "*", "-соц", "(", "col:x",
					     "^", "«Гармонія»", "\xff\xfe", "'", "\"\"", "    "};
	int fine = 1;
	for (size_t i = 0; i < sizeof nasty / sizeof *nasty; i++) {
		orgs_list l;
		fine &= search(db, nasty[i], NULL, &l) >= 0;
		orgs_list_free(&l);
	}
	ok(fine, "quotes, operators, brackets and bad bytes in the query never break the search");
	finds(db, "«Гармонія»", NULL, "harmoniia", 1, "guillemets are word breaks");
}

static void test_search_filters(dv_db *db)
{
	orgs_filter f = ORGS_FILTER_INIT;
	f.area = "melitopolskyi";
	finds(db, "", &f, "crisis-melitopol", 1, "the area's own entry");
	finds(db, "", &f, "line-527", 1, "national lines match every area");
	finds(db, "", &f, "police-102", 1, "national lines match every area");
	finds(db, "", &f, "zp-city-css", 0, "a city service is not listed for Melitopol");
	finds(db, "", &f, "crisis-berdiansk", 0, "another raion's entry is not listed");
	finds(db, "гаряча", &f, "line-116123", 1, "with a query and an area, national lines still match");
	f.area = "zaporizhzhia-city";
	finds(db, "", &f, "melitopol-hub", 1, "a relocated entry is listed where it works now");
	f.area = NULL;
	f.service = "legal";
	finds(db, "", &f, "legal-aid", 1, "service filter keeps free legal aid");
	finds(db, "", &f, "police-102", 0, "service filter drops the police");
	f.service = NULL;
	f.serves = "children";
	finds(db, "", &f, "line-116111", 1, "serves filter keeps the children's line");
	finds(db, "", &f, "dszn-zoda", 1, "entries serving everyone match any group");
	finds(db, "", &f, "union-women-zp", 0, "an entry serving women only is dropped");
	f.serves = NULL;
	orgs_list l;
	dv_error e;
	long all = search(db, NULL, NULL, &l);
	ok(all == 44 && !has(&l, "test-new"), "an empty query lists every entry but the retired one");
	/* The order: referable with a telephone, then without one, then
	 * do-not-refer; within each, verified (local, then national) first. */
	long out_of_order = 0, verified = 0;
	int prev = -1;
	for (long i = 0; i < all; i++) {
		const dv_org *o = &l.v[i];
		int key = o->do_not_refer * 8 + !(o->phones && *o->phones) * 4 + !o->verified_on * 2 +
			  (o->verified_on ? o->national : 0);
		out_of_order += key < prev;
		prev = key;
		verified += o->verified_on != NULL;
	}
	ok(all > 0 && verified > 0, "some entries were verified by the tests above (%ld)", verified);
	is_int(out_of_order, 0, "telephones first, do-not-refer last; verified (local, then national) first within each");
	orgs_list_free(&l);
	f.include_retired = 1;
	finds(db, "", &f, "test-new", 1, "retired entries on request");
	f.include_retired = 0;
	finds(db, "новий", NULL, "test-new", 0, "a retired entry is not found by text");
	f.limit = 3;
	is_int(search(db, "", &f, &l), 3, "limit caps the results");
	orgs_list_free(&l);
	f.limit = 0;
	f.area = "atlantis";
	is_int(orgs_search(db, "", &f, "uk", &l, &e), DV_EINVAL, "an unknown area code is refused");
	ok(strstr(e.msg, "zaporizkyi") != NULL, "the refusal lists the known codes");
}

static void test_order(dv_db *db)
{
	static const char *const names[] = {"Дім", "Йод", "Ґудзик", "Їжак", "Гора", "інший"};
	static const char *const want = "Гора Ґудзик Дім інший Їжак Йод ";
	dv_error e;
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		char id[16];
		snprintf(id, sizeof id, "order-%zu", i);
		dv_org o = {.id = id, .name_uk = (char *)names[i], .name_en = "Order", .kind = "ngo", .services = "",
			    .areas = "other-oblast", .source = "test", .age_min = -1, .age_max = -1};
		orgs_add(db, "tester", &o, &e);
	}
	orgs_filter f = ORGS_FILTER_INIT;
	f.area = "other-oblast";
	orgs_list l;
	search(db, NULL, &f, &l);
	dv_buf got = {0};
	for (size_t i = 0; i < l.n; i++)
		if (strncmp(l.v[i].id, "order-", 6) == 0)
			dv_buf_printf(&got, "%s ", l.v[i].name_uk);
	is_str(got.s, want, "names sort in Ukrainian alphabetical order, ignoring case (Г Ґ Д І Ї Й)");
	dv_buf_free(&got);
	orgs_list_free(&l);
}

/* ---- The order of the screen's fifty --------------------------------- */

static unsigned rank_rng = 12345;

static unsigned rank_rnd(unsigned n)
{
	rank_rng = rank_rng * 1103515245u + 12345u;
	return (rank_rng >> 16) % n;
}

/* A directory of n entries built for ties: few distinct names, telephones
 * of the same shapes, so that many rows share a score and the order of
 * names and ids decides. */
static char *rank_csv(int n)
{
	static const char *const kinds[] = {"Центр соціальних служб", "Кризовий центр", "Притулок", "Гаряча лінія", "Social centre"};
	static const char *const towns[] = {"Запоріжжя", "Пологи", "Мелітополь", "Оріхів", "Приморськ"};
	static const char *const areas[] = {"zaporizhzhia-city", "polohivskyi", "melitopolskyi", "all"};
	static const char *const services[] = {"psychological", "shelter legal", "information", "legal"};
	static const char *const serves[] = {"", "women", "children", "women children"};
	char *path = path_in(tmpdir, "rank.csv");
	dv_buf b = {0};
	dv_buf_adds(&b, "id,name_uk,name_en,kind,services,areas,phones,serves,notes,source,verified_on,national,"
		       "do_not_refer\r\n");
	for (int i = 0; i < n; i++) {
		char id[16], name[160], phone[64];
		snprintf(id, sizeof id, "rank-%04d", (i * 7919) % n);
		snprintf(name, sizeof name, "%s %s", kinds[rank_rnd(5)], towns[rank_rnd(5)]);
		if (rank_rnd(10) == 0)
			phone[0] = '\0'; /* no telephone: sorts after those with one */
		else if (rank_rnd(3) == 0)
			snprintf(phone, sizeof phone, "0%02u %03u %02u %02u", 50 + rank_rnd(49), rank_rnd(1000), rank_rnd(100), rank_rnd(100));
		else
			snprintf(phone, sizeof phone, "0 800 %03u %03u; 06%u %03u", rank_rnd(1000), rank_rnd(1000), rank_rnd(10), rank_rnd(1000));
		const char *f[] = {id, name, "Entry", "ngo", services[rank_rnd(4)], areas[rank_rnd(4)], phone,
				   serves[rank_rnd(4)], rank_rnd(2) ? "Консультації для постраждалих." : "", "test", "", "0",
				   rank_rnd(12) ? "0" : "1"};
		csv_add_record(&b, f, sizeof f / sizeof *f);
	}
	FILE *fp = fopen(path, "w");
	if (fp) {
		fwrite(b.s, 1, b.len, fp);
		fclose(fp);
	}
	dv_buf_free(&b);
	return path;
}

/* Another session (a supervisor at another terminal) changes entries
 * between keystrokes: the kept lists and bitmaps are patched from the
 * log of changes, and every query with every filter must still give
 * exactly the reference's fifty; then a bulk change (more than can be
 * patched) makes the search read everything again, with the same check. */
static void test_other_session(dv_db *db, const char *const (*queries)[2], size_t nq, const orgs_filter *const *filters)
{
	char *path = path_in(tmpdir, "rank.db");
	dv_error e;
	dv_db *other = setup_open(path, 0, "tester", &e);
	free(path);
	if (!other) {
		ok(0, "a second session opens the directory: %s", e.msg);
		return;
	}
	int same = 0, total = 0;
	for (int round = 0; round < 40; round++) {
		char id[16];
		snprintf(id, sizeof id, "rank-%04u", rank_rnd(1200));
		dv_org u;
		memset(&u, 0, sizeof u);
		if (round % 4 == 3) {
			orgs_set_do_not_refer(other, "tester", id, (int)rank_rnd(2), &e);
		} else if (round % 8 == 5) {
			dv_org o = {.name_uk = "Пункт 0800", .name_en = "Point", .kind = "ngo", .services = "legal",
				    .areas = "polohivskyi", .phones = "0 800 000 000", .source = "test", .age_min = -1, .age_max = -1};
			char nid[16];
			snprintf(nid, sizeof nid, "rank-add%02d", round);
			o.id = nid;
			orgs_add(other, "tester", &o, &e);
		} else if (round % 8 == 1) {
			orgs_retire(other, "tester", id, &e);
		} else if (orgs_get(other, id, &u, &e) == DV_OK) {
			free(u.notes), free(u.areas), free(u.operates_in);
			u.notes = xstrdup(round % 2 ? "" : "Соціальний центр приймає 0800 дзвінки з Пологів і Запоріжжя щодня");
			u.areas = xstrdup(round % 3 ? "polohivskyi" : "zaporizhzhia-city"), u.operates_in = NULL;
			u.age_min = round % 3 ? 14 : 18, u.age_max = round % 3 ? 17 : -1; /* for the age filter below */
			orgs_update(other, "tester", &u, &e);
			orgs_free(&u);
		}
		size_t q = rank_rnd((unsigned)nq), k = rank_rnd(3);
		orgs_filter f = *filters[k];
		f.limit = 50;
		char *got = search_ids(db, queries[q][0], &f), *want = reference_ids(db, queries[q][1], &f);
		total++;
		if (strcmp(got, want) == 0 && *want)
			same++;
		else
			printf("# round %d '%s' (filter %zu):\n#  got  %s\n#  want %s\n", round, queries[q][0], k, got, want);
		free(got), free(want);
	}
	is_int(same, total, "after each change made in another session, the fifty are still bm25's (patched, not rescanned)");
	/* More changes than are patched: everything is read again. */
	sqlite3_exec(other->h, "UPDATE orgs SET notes = coalesce(notes, '') || ' 0800' WHERE rowid % 3 = 0", NULL, NULL, NULL);
	same = total = 0;
	for (size_t q = 0; q < nq; q++) {
		orgs_filter f = *filters[q % 3];
		f.limit = 50;
		char *got = search_ids(db, queries[q][0], &f), *want = reference_ids(db, queries[q][1], &f);
		total++;
		same += strcmp(got, want) == 0 && *want;
		free(got), free(want);
	}
	is_int(same, total, "after a bulk change in another session, every query still gives bm25's fifty");
	/* Filters worked out in memory agree with the database's own: the
	 * fifty are the first fifty of the unbounded search (SQL filters). */
	static const int ages[] = {-1, 10, 17, 20, -1, 15};
	static const char *const services[] = {NULL, NULL, "legal", NULL, "shelter", "psychological"};
	static const char *const serves[] = {"children", NULL, NULL, "women", NULL, "women"};
	int nonempty = 0;
	same = total = 0;
	for (size_t k = 0; k < sizeof ages / sizeof *ages; k++)
		for (size_t q = 0; q < 3; q++) {
			static const char *const words[] = {"приймає", "0", "дзвінки"};
			orgs_filter f = ORGS_FILTER_INIT;
			f.age = ages[k], f.service = services[k], f.serves = serves[k], f.include_retired = k == 4;
			f.limit = 50;
			char *got = search_ids(db, words[q], &f);
			f.limit = 0;
			char *all = search_ids(db, words[q], &f);
			char *end = all;
			for (int w = 0; w < 50 && end && *end; w++)
				end = strchr(end, ' ') ? strchr(end, ' ') + 1 : NULL;
			if (end)
				*end = '\0';
			total++;
			nonempty += *all != '\0';
			if (strcmp(got, all) == 0)
				same++;
			else
				printf("# '%s' filter %zu:\n#  got  %s\n#  want %s\n", words[q], k, got, all);
			free(got), free(all);
		}
	ok(same == total && nonempty > total / 2, "age, service, group and retired filters pass the same entries as the "
	   "database's own (%d of %d, %d with results)", same, total, nonempty);
	db_close(other);
}

static void test_rank_order(void)
{
	static const char *const queries[][2] = {
		{"0", "\"0\"*"}, {"08", "\"08\"*"}, {"080", "\"080\"*"}, {"0800", "\"0800\"*"}, {"06", "\"06\"*"},
		{"п", "\"п\"*"}, {"ц", "\"ц\"*"}, {"с", "\"с\"*"}, {"за", "\"за\"*"}, {"соц", "\"соц\"*"},
		{"центр зап", "\"центр\"* \"зап\"*"}, {"s", "\"s\"*"}, {"0800 5", "\"0800\"* \"5\"*"},
		{"конс", "\"конс\"*"}, {"кризовий", "\"кризовий\"*"},
	};
	dv_db *db = new_db("rank.db");
	if (!db)
		return;
	char *csv = rank_csv(1200);
	orgs_import_stats stats;
	dv_buf report = {0};
	dv_error e;
	if (orgs_import(db, "tester", csv, &report, &stats, &e) != DV_OK)
		printf("# import: %s\n%s", e.msg, report.s ? report.s : "");
	orgs_filter none = ORGS_FILTER_INIT, area = ORGS_FILTER_INIT, more = ORGS_FILTER_INIT;
	area.area = "polohivskyi";
	more.area = "zaporizhzhia-city", more.service = "legal", more.serves = "women";
	const orgs_filter *filters[] = {&none, &area, &more};
	int same = 0, total = 0;
	for (size_t q = 0; q < sizeof queries / sizeof *queries; q++)
		for (size_t k = 0; k < 3; k++) {
			orgs_filter f = *filters[k];
			f.limit = 50;
			char *got = search_ids(db, queries[q][0], &f);
			char *want = reference_ids(db, queries[q][1], &f);
			total++;
			if (strcmp(got, want) == 0 && *want)
				same++;
			else
				printf("# '%s' (filter %zu):\n#  got  %s\n#  want %s\n", queries[q][0], k, got, want);
			free(got);
			free(want);
		}
	is_int(same, total, "the screen's fifty come in bm25's order (then name, then id) for every query class");

	/* The row lengths are cached: a change to the directory must show. */
	none.limit = 50;
	dv_org o = {.id = "rank-new", .name_uk = "П", .name_en = "0", .kind = "ngo", .services = "",
		    .areas = "all", .phones = "0 0 0 0 0", .source = "test", .age_min = -1, .age_max = -1};
	if (orgs_add(db, "tester", &o, &e) != DV_OK)
		printf("# orgs_add: %s\n", e.msg);
	char *got = search_ids(db, "0", &none), *want = reference_ids(db, "\"0\"*", &none);
	ok(strcmp(got, want) == 0 && strncmp(got, "rank-new ", 9) == 0,
	   "an entry added after a search is ranked at once (first for '0')");
	/* An entry the cache knows gets much longer: it must drop. */
	char second[16] = "";
	sscanf(got, "%*s %15s", second);
	free(got), free(want);
	dv_org u;
	memset(&u, 0, sizeof u);
	if (orgs_get(db, second, &u, &e) == DV_OK) {
		free(u.notes);
		u.notes = xstrdup("Дуже довгий опис установи, що займає багато слів і робить запис довшим за всі інші "
				  "записи довідника, тому його оцінка для нуля має впасти нижче за сусідів у списку");
		if (orgs_update(db, "tester", &u, &e) != DV_OK)
			printf("# orgs_update: %s\n", e.msg);
	}
	got = search_ids(db, "0", &none), want = reference_ids(db, "\"0\"*", &none);
	char *at = strstr(got, second);
	ok(strcmp(got, want) == 0 && (!at || at - got > 20),
	   "an entry changed after a search is ranked by its new length at once (%s drops)", second);
	orgs_free(&u);
	free(got), free(want);

	/* A filter's passing entries are kept too: an entry moved out of the
	 * raion after a filtered search must leave its results at once. */
	orgs_filter in_area = area;
	in_area.limit = 50;
	got = search_ids(db, "0", &in_area);
	char first[32] = "";
	sscanf(got, "%31s", first);
	free(got);
	memset(&u, 0, sizeof u);
	if (orgs_get(db, first, &u, &e) == DV_OK) {
		free(u.areas), free(u.operates_in);
		u.areas = xstrdup("zaporizhzhia-city"), u.operates_in = NULL, u.national = 0;
		if (orgs_update(db, "tester", &u, &e) != DV_OK)
			printf("# orgs_update: %s\n", e.msg);
	}
	got = search_ids(db, "0", &in_area), want = reference_ids(db, "\"0\"*", &in_area);
	char *word = xasprintf("%s ", first);
	ok(*first && strcmp(got, want) == 0 && strncmp(got, word, strlen(word)) != 0 && !strstr(got, word),
	   "an entry moved out of the raion after a filtered search leaves its results at once (%s)", first);
	free(word);
	orgs_free(&u);
	free(got), free(want);
	test_other_session(db, queries, sizeof queries / sizeof *queries, filters);
	db_close(db);
	dv_buf_free(&report);
	unlink(csv);
	free(csv);
}

/* ---- Changes and permissions ---------------------------------------- */

static void test_permissions(dv_db *db)
{
	dv_error e;
	staff_add(db, "tester", "op", ROLE_OPERATOR, &e);
	staff_add(db, "tester", "sup", ROLE_SUPERVISOR, &e);
	char *before = export_str(db, ORGS_CSV);
	long rows = audit_rows(db);
	char *p = fixture("good.csv");
	dv_org o;
	orgs_get(db, "dszn-zoda", &o, &e);
	is_int(orgs_import(db, "op", p, NULL, NULL, &e), DV_EPERM, "an operator may not import");
	is_int(orgs_add(db, "op", &o, &e), DV_EPERM, "an operator may not add");
	is_int(orgs_update(db, "op", &o, &e), DV_EPERM, "an operator may not edit");
	is_int(orgs_mark_verified(db, "op", "dszn-zoda", &e), DV_EPERM, "an operator may not verify");
	is_int(orgs_retire(db, "op", "dszn-zoda", &e), DV_EPERM, "an operator may not retire");
	ok(strstr(e.msg, "supervisor") != NULL, "the refusal says who may");
	is_int(orgs_import(db, "stranger", p, NULL, NULL, &e), DV_EPERM, "an unknown account may not import");
	char *after = export_str(db, ORGS_CSV);
	ok(strcmp(before, after) == 0 && audit_rows(db) == rows + 1, "refusals change nothing and audit nothing");
	orgs_list l;
	ok(orgs_search(db, "гарм", NULL, "uk", &l, &e) == 1, "an operator may search");
	orgs_list_free(&l);
	orgs_free(&o);
	free(p);
	free(before);
	free(after);
}

static void test_changes(dv_db *db)
{
	dv_error e;
	dv_org o = {0};
	o.id = "test-youth";
	o.name_uk = "Молодіжний центр";
	o.name_en = "Youth centre";
	o.kind = "ngo";
	o.services = "psychological";
	o.areas = "  vasylivskyi ";
	o.source = "https://example.org/y";
	o.age_min = 14;
	o.age_max = 35;
	is_int(orgs_add(db, "sup", &o, &e), DV_OK, "a supervisor adds an entry");
	char *a = last_audit(db);
	is_str(a, "org.add test-youth -", "org.add is audited");
	free(a);
	is_int(orgs_add(db, "sup", &o, &e), DV_ECONFLICT, "adding the same id twice is a conflict");
	o.id = "Bad Id";
	o.name_en = "";
	is_int(orgs_add(db, "sup", &o, &e), DV_EINVAL, "an invalid entry is refused");
	ok(strstr(e.msg, "id:") && strstr(e.msg, "name_en: empty"), "every problem is named: %s", e.msg);
	dv_buf rep = {0};
	is_int(orgs_validate(&o, &rep), 2, "orgs_validate counts the problems");
	dv_buf_free(&rep);

	orgs_filter f = ORGS_FILTER_INIT;
	f.age = 10;
	finds(db, "молод", &f, "test-youth", 0, "a 10-year-old is below the age range");
	f.age = 20;
	finds(db, "молод", &f, "test-youth", 1, "a 20-year-old is inside it");

	dv_org cur, other;
	orgs_get(db, "test-youth", &cur, &e);
	orgs_get(db, "test-youth", &other, &e);
	free(cur.phones);
	cur.phones = xstrdup("099 111 22 33");
	setenv("DOVIRA_FAKE_TIME", "1795867260", 1);
	is_int(orgs_update(db, "sup", &cur, &e), DV_OK, "a supervisor edits an entry");
	a = last_audit(db);
	is_str(a, "org.edit test-youth phones", "org.edit is audited with the changed column");
	free(a);
	finds(db, "0991112233", NULL, "test-youth", 1, "the search index follows the edit");
	free(other.hours);
	other.hours = xstrdup("24/7");
	is_int(orgs_update(db, "sup", &other, &e), DV_ECONFLICT, "an edit of an entry changed since it was read is refused");
	long rows = audit_rows(db);
	orgs_free(&cur);
	orgs_get(db, "test-youth", &cur, &e);
	is_int(orgs_update(db, "sup", &cur, &e), DV_OK, "saving an unchanged entry is fine");
	is_int(audit_rows(db), rows, "and writes no audit row");

	is_int(orgs_mark_verified(db, "sup", "test-youth", &e), DV_OK, "a supervisor verifies an entry");
	orgs_free(&cur);
	orgs_get(db, "test-youth", &cur, &e);
	is_str(cur.verified_on, "2026-11-28", "verified_on is today");
	a = last_audit(db);
	is_str(a, "org.verify test-youth 2026-11-28", "org.verify is audited");
	free(a);
	is_int(orgs_retire(db, "sup", "test-youth", &e), DV_OK, "a supervisor retires an entry");
	a = last_audit(db);
	is_str(a, "org.retire test-youth -", "org.retire is audited");
	free(a);
	rows = audit_rows(db);
	is_int(orgs_retire(db, "sup", "test-youth", &e), DV_OK, "retiring twice is harmless");
	is_int(audit_rows(db), rows, "and not audited again");
	is_int(orgs_retire(db, "sup", "nobody", &e), DV_ENOTFOUND, "retiring an unknown id is DV_ENOTFOUND");
	orgs_free(&cur);
	is_int(orgs_get(db, "nobody", &cur, &e), DV_ENOTFOUND, "getting an unknown id is DV_ENOTFOUND");
	orgs_free(&cur);
	orgs_free(&other);
	setenv("DOVIRA_FAKE_TIME", NOW, 1);
}

/* A problem found only when a row meets the directory (an age_min above
 * the age_max the file does not carry), after an earlier row was written:
 * the whole import is rolled back. */
static void test_late_conflict(dv_db *db)
{
	BAD("late-conflict.csv", "3: age_min: 40 is above age_max 35");
	dv_org o;
	dv_error e;
	orgs_get(db, "test-line", &o, &e);
	is_str(o.name_en, "Test hotline", "the row before the conflict was rolled back");
	orgs_free(&o);
}

static void test_index(dv_db *db)
{
	dv_buf r = {0};
	dv_error e;
	is_int(orgs_check_index(db, 0, &r, &e), DV_OK, "the search index matches the directory");
	dbi_exec(db, "UPDATE orgs_fts SET ident = 'someone-else' WHERE rowid = (SELECT rowid FROM orgs WHERE id = 'dszn-zoda')", &e);
	is_int(orgs_check_index(db, 0, &r, &e), DV_ECORRUPT, "an index row carrying another id is found");
	ok(r.s && strstr(r.s, "1 directory entry"), "and reported: %s", r.s ? r.s : "");
	is_int(orgs_check_index(db, 1, &r, &e), DV_OK, "repair rebuilds the index");
	is_int(orgs_check_index(db, 0, &r, &e), DV_OK, "after which it matches");
	first_is(db, "департ", "dszn-zoda");
	dv_buf_free(&r);
}

static void test_stale(void)
{
	dv_org o = {0};
	ok(orgs_is_stale(&o, dv_now()), "never verified is stale");
	o.verified_on = "2025-11-29";
	ok(!orgs_is_stale(&o, dv_now()), "verified 364 days ago is not stale");
	o.verified_on = "2025-11-28";
	ok(orgs_is_stale(&o, dv_now()), "verified 12 months ago is stale");
	o.verified_on = "2024-02-29";
	ok(!orgs_is_stale(&o, dv_parse_utc("2025-02-28")) && orgs_is_stale(&o, dv_parse_utc("2025-03-01")),
	   "29 February runs on to 1 March");
}

static void test_codes(void)
{
	ok(orgs_code_valid(ORGS_AREA, "zaporizhzhia-city") && !orgs_code_valid(ORGS_AREA, "zaporizhzhia"),
	   "area codes are checked against the table");
	is_str(orgs_code_at(ORGS_SERVES, 3), "families", "codes are listed in order");
	ok(orgs_code_at(ORGS_SERVES, 4) == NULL, "past the end is NULL");
	ok(orgs_code_label(ORGS_SERVICE, "legal") != NULL && orgs_code_label(ORGS_SERVICE, "x") == NULL,
	   "labels exist for known codes only");
	dv_org o = {0};
	o.verified_on = "2026-11-01";
	ok(orgs_state_of(&o, dv_now()) == ORGS_OK && *orgs_state_label(ORGS_OK) == '\0', "a fresh entry has no mark");
	o.verified_on = NULL;
	ok(orgs_state_of(&o, dv_now()) == ORGS_UNVERIFIED, "an entry never verified is marked unverified");
	o.retired = 1;
	ok(orgs_state_of(&o, dv_now()) == ORGS_RETIRED, "retired comes before unverified");
}

static void test_fields(void)
{
	dv_org o;
	dv_error e;
	memset(&o, 0, sizeof o);
	o.age_min = o.age_max = -1;
	is_int(orgs_field_set(&o, "phones", "  527;0 800 505 501 ", &e), DV_OK, "a form sets a column from its text");
	char *t = orgs_field_text(&o, "phones");
	is_str(t, "527;0 800 505 501", "and reads it back trimmed (normalised only when stored)");
	free(t);
	is_int(orgs_field_set(&o, "age_max", "17", &e), DV_OK, "an age is parsed");
	ok(o.age_max == 17, "into the int field");
	t = orgs_field_text(&o, "age_min");
	is_str(t, "", "an age without a bound reads as empty");
	free(t);
	is_int(orgs_field_set(&o, "age_min", "ten", &e), DV_EINVAL, "an age that is not a number is refused");
	ok(strncmp(e.msg, "age_min: ", 9) == 0 && o.age_min == -1, "naming the column, the field left empty: %s", e.msg);
	is_int(orgs_field_set(&o, "national", "1", &e), DV_OK, "a flag is parsed");
	t = orgs_field_text(&o, "national");
	is_str(t, "1", "and reads back as 0 or 1");
	free(t);
	is_int(orgs_field_set(&o, "national", "yes", &e), DV_EINVAL, "a flag other than 0 or 1 is refused");
	is_int(orgs_field_set(&o, "updated_at", "2026-01-01", &e), DV_EINVAL, "updated_at is not set through a form");
	is_int(orgs_field_set(&o, "no_such", "x", &e), DV_EINVAL, "nor an unknown column");
	ok(orgs_field_text(&o, "no_such") == NULL && orgs_field_text(&o, "updated_at") == NULL, "which has no text either");
	is_int(orgs_field_set(&o, "notes", "рядок\nдругий", &e), DV_OK, "notes keep their line breaks");
	t = orgs_field_text(&o, "notes");
	is_str(t, "рядок\nдругий", "as typed");
	free(t);
	orgs_free(&o);
}

int main(void)
{
	srcdir = getenv("SRCDIR") ? getenv("SRCDIR") : ".";
	setenv("DOVIRA_FAKE_TIME", NOW, 1);
	snprintf(tmpdir, sizeof tmpdir, "/tmp/dovira-orgs-XXXXXX");
	if (!mkdtemp(tmpdir))
		return 99;
	test_csv_read();
	test_csv_problems();
	test_csv_write();
	test_stale();
	test_codes();
	test_fields();
	dv_db *db = new_db("t.db");
	if (!db)
		return 99;
	test_seed(db);
	test_good_import(db);
	test_partial_update(db);
	test_bad_imports(db);
	test_round_trip(db);
	test_search_text(db);
	test_search_filters(db);
	test_order(db);
	test_rank_order();
	test_permissions(db);
	test_changes(db);
	test_late_conflict(db);
	test_index(db);
	db_close(db);
	char *rm[] = {"t.db", "fresh.db", "export.csv", "rank.db", NULL};
	for (char **r = rm; *r; r++) {
		char *p = path_in(tmpdir, *r);
		unlink(p);
		free(p);
	}
	rmdir(tmpdir);
	return tap_done();
}

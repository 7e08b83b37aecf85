/* Unit tests of the directory search's fast paths against the slow exact
 * one (issue 9, item 15), over a generated directory of 10,000 entries:
 * random queries and filters, in a fresh session (nothing kept), while
 * the idle warm-up runs and is interrupted, once it is done, and after
 * changes made in another session. The reference is FTS5's own bm25 with
 * SQLite's sort (the search as it was before any of the shortcuts). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../src/core/dbi.h"
#include "dovira/db.h"
#include "dovira/orgs.h"
#include "dovira/setup.h"
#include "orgs_ref.h"
#include "tap.h"

#define NOW "1795867200" /* 2026-11-28T12:00:00Z */
#define ENTRIES 10000

static char tmpdir[64];
static unsigned rng = 20261202;

static unsigned rnd(unsigned n)
{
	rng = rng * 1103515245u + 12345u;
	return (rng >> 8) % n;
}

#define PICK(a) (a)[rnd(sizeof(a) / sizeof *(a))]

static const char *const kinds[] = {"Центр соціальних служб", "Кризовий центр", "Притулок", "Гаряча лінія",
				    "Служба у справах дітей", "Social centre", "Бюро правничої допомоги"};
static const char *const names[] = {"Гармонія", "Надія", "Віра", "Довіра", "Берегиня", "Злагода", "Світанок",
				    "Джерело", "Опора", "Крила", "Єднання", "Ґрунт", "Їжак", "Йосип", "Харків"};
static const char *const towns[] = {"Запоріжжя", "Пологи", "Мелітополь", "Оріхів", "Приморськ", "Бердянськ",
				    "Василівка", "Енергодар", "Токмак", "Якимівка"};
static const char *const areas[] = {"zaporizhzhia-city", "polohivskyi", "melitopolskyi", "berdianskyi",
				    "vasylivskyi", "zaporizkyi", "all", "polohivskyi melitopolskyi"};
static const char *const services[] = {"psychological", "shelter legal", "information", "legal", "",
				       "status financial", "medical information"};
static const char *const notes[] = {"Консультації для постраждалих.", "", "Працює за попереднім записом.",
				    "Мобільна група виїжджає до громад району 0800.", "Contacts need checking."};

/* A directory of ENTRIES entries with many ties (few distinct names,
 * telephones of the same shapes), some retired, some do-not-refer, some
 * without a telephone, some with ages or groups served. Written straight
 * into the table in one transaction (the triggers keep the index and the
 * log of changes), which is much faster than an import of 10,000 rows. */
static int fill(dv_db *db)
{
	static const char sql[] =
		"INSERT INTO orgs(id, name_uk, name_en, kind, services, areas, operates_in, phones, serves, age_min,"
		" age_max, notes, source, national, retired, do_not_refer, updated_at)"
		" VALUES (?1, ?2, ?3, 'ngo', ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'test', ?12, ?13, ?14, '2026-11-01T00:00:00Z')";
	sqlite3_stmt *st;
	if (sqlite3_exec(db->h, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	int rc = SQLITE_DONE;
	for (int i = 0; i < ENTRIES && rc == SQLITE_DONE; i++) {
		char id[16], uk[200], phone[64];
		snprintf(id, sizeof id, "w-%05d", (i * 7919) % ENTRIES);
		if (rnd(2))
			snprintf(uk, sizeof uk, "%s «%s»", PICK(kinds), PICK(names));
		else
			snprintf(uk, sizeof uk, "%s %s", PICK(kinds), PICK(towns));
		unsigned p = rnd(10);
		if (p == 0)
			phone[0] = '\0';
		else if (p < 4)
			snprintf(phone, sizeof phone, "0%02u %03u %02u %02u", 50 + rnd(49), rnd(1000), rnd(100), rnd(100));
		else
			snprintf(phone, sizeof phone, "0 800 %03u %03u; 06%u %03u", rnd(1000), rnd(1000), rnd(10), rnd(1000));
		sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, uk, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 3, rnd(3) ? "Entry" : "Centre", -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, PICK(services), -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, PICK(areas), -1, SQLITE_STATIC);
		if (rnd(8) == 0)
			sqlite3_bind_text(st, 6, "zaporizhzhia-city", -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(st, 6);
		if (*phone)
			sqlite3_bind_text(st, 7, phone, -1, SQLITE_TRANSIENT);
		else
			sqlite3_bind_null(st, 7);
		unsigned s = rnd(6);
		if (s < 3)
			sqlite3_bind_null(st, 8);
		else
			sqlite3_bind_text(st, 8, s == 3 ? "women" : s == 4 ? "children" : "women children", -1, SQLITE_STATIC);
		unsigned a = rnd(8);
		if (a == 0)
			sqlite3_bind_int(st, 9, 14), sqlite3_bind_int(st, 10, 17);
		else if (a == 1)
			sqlite3_bind_int(st, 9, 18), sqlite3_bind_null(st, 10);
		else
			sqlite3_bind_null(st, 9), sqlite3_bind_null(st, 10);
		sqlite3_bind_text(st, 11, PICK(notes), -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 12, rnd(100) == 0);
		sqlite3_bind_int(st, 13, rnd(30) == 0);
		sqlite3_bind_int(st, 14, rnd(15) == 0);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		printf("# fill: %s\n", sqlite3_errmsg(db->h));
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return sqlite3_exec(db->h, "COMMIT", NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

/* A random query as typed, and its FTS5 expression: one or two words,
 * each a prefix of a word of the directory (often one letter or a
 * telephone prefix: the broad ones). */
static void random_query(char *q, size_t qn, char *match, size_t mn)
{
	static const char *const words[] = {
		"гармонія", "центр", "кризовий", "соціальних", "притулок", "мелітополь", "запоріжжя", "служба",
		"дітей", "бюро", "правничої", "надія", "віра", "єднання", "ґрунт", "їжак", "йосип", "харків",
		"social", "centre", "entry", "contacts", "0800", "0800", "061", "067", "050", "0", "08", "консультації",
	};
	int nw = rnd(4) == 0 ? 2 : 1;
	size_t ql = 0, ml = 0;
	q[0] = match[0] = '\0';
	for (int w = 0; w < nw; w++) {
		const char *word = PICK(words);
		/* A prefix of 1 to all characters (whole UTF-8 characters). */
		size_t chars = 0, len = strlen(word), want;
		for (size_t i = 0; i < len; i++)
			chars += (word[i] & 0xC0) != 0x80;
		want = rnd(4) == 0 ? 1 + rnd((unsigned)chars) : 1 + rnd(chars < 3 ? (unsigned)chars : 3);
		size_t end = 0, seen = 0;
		while (end < len && seen < want) {
			end++;
			while (end < len && (word[end] & 0xC0) == 0x80)
				end++;
			seen++;
		}
		ql += (size_t)snprintf(q + ql, qn - ql, "%s%.*s", w ? " " : "", (int)end, word);
		ml += (size_t)snprintf(match + ml, mn - ml, "%s\"%.*s\"*", w ? " " : "", (int)end, word);
	}
}

static orgs_filter random_filter(void)
{
	static const char *const fareas[] = {NULL, NULL, NULL, "melitopolskyi", "zaporizhzhia-city", "polohivskyi"};
	static const char *const fservices[] = {NULL, NULL, NULL, "legal", "information", "shelter"};
	static const char *const fserves[] = {NULL, NULL, NULL, "women", "children"};
	orgs_filter f = ORGS_FILTER_INIT;
	f.area = PICK(fareas);
	f.service = PICK(fservices);
	f.serves = PICK(fserves);
	f.age = rnd(5) == 0 ? (int)(10 + rnd(15)) : -1;
	f.include_retired = rnd(6) == 0;
	f.limit = rnd(3) ? 101 : 50;
	return f;
}

/* n random searches on db, each compared with the reference; the
 * mismatches are printed. Returns the number that agree. */
static int compare_random(dv_db *db, int n, const char *what)
{
	int same = 0;
	for (int i = 0; i < n; i++) {
		char q[128], match[160];
		random_query(q, sizeof q, match, sizeof match);
		orgs_filter f = random_filter();
		char *got = search_ids(db, q, &f), *want = reference_ids(db, match, &f);
		if (strcmp(got, want) == 0)
			same++;
		else
			printf("# %s: '%s' (area %s, service %s, serves %s, age %d, retired %d, limit %d)\n#  got  %.300s\n#  want %.300s\n",
			       what, q, f.area ? f.area : "-", f.service ? f.service : "-", f.serves ? f.serves : "-", f.age,
			       f.include_retired, f.limit, got, want);
		free(got), free(want);
	}
	return same;
}

/* Statements run on a connection that scan the index (a MATCH not bound
 * to one row), counted through SQLite's trace. */
static int scans;

static int count_scans(unsigned type, void *ctx, void *p, void *x)
{
	(void)ctx, (void)p;
	const char *sql = x;
	if (type == SQLITE_TRACE_STMT && sql && strstr(sql, "MATCH") && !strstr(sql, "rowid = ?2"))
		scans++;
	return 0;
}

/* Warm db up to the end; the number of pieces, or -1 if it never ends. */
static int warm_all(dv_db *db)
{
	dv_error e;
	for (int pieces = 1; pieces < 1000; pieces++) {
		int more = orgs_search_warm(db, NULL, NULL, &e);
		if (more < 0) {
			printf("# warm: %s\n", e.msg);
			return -1;
		}
		if (more == 0)
			return pieces;
	}
	return -1;
}

/* The stop of orgs_search_warm: a key arrives after *left more asks. */
static int key_after(void *p)
{
	int *left = p;
	return (*left)-- <= 0;
}

static dv_db *open_db(const char *path, int flags)
{
	dv_error e;
	dv_db *db = setup_open(path, flags, "tester", &e);
	if (!db)
		printf("# open: %s\n", e.msg);
	return db;
}

static const char *const broad[] = {"0", "08", "0800", "г", "ц", "с", "п", "к", "з", "м", "s", "c", "e", "0 8"};

int main(void)
{
	setenv("DOVIRA_FAKE_TIME", NOW, 1);
	snprintf(tmpdir, sizeof tmpdir, "/tmp/dovira-orgsw-XXXXXX");
	if (!mkdtemp(tmpdir))
		return 99;
	char *path = xasprintf("%s/w.db", tmpdir);
	dv_db *db = open_db(path, DB_OPEN_CREATE);
	if (!db || fill(db))
		return 99;
	ok(orgs_count(db, &(dv_error){0}) == ENTRIES, "a directory of %d entries is generated", ENTRIES);
	db_close(db);

	/* A fresh session: nothing kept, every search takes the cold path. */
	db = open_db(path, 0);
	if (!db)
		return 99;
	is_int(compare_random(db, 150, "cold"), 150, "a fresh session: 150 random searches give the reference's results");

	/* orgs_search_finds, asked of one entry, says what the whole search
	 * says of it (the directory screen asks it of recommended entries). */
	int agree = 0, asked = 0, found = 0;
	for (int i = 0; i < 12; i++) {
		char q[128], match[160];
		random_query(q, sizeof q, match, sizeof match);
		orgs_filter all = ORGS_FILTER_INIT;
		char *ids = search_ids(db, q, &all);
		for (int k = 0; k < 40; k++) {
			char id[16], word[20];
			snprintf(id, sizeof id, "w-%05u", rnd(ENTRIES));
			snprintf(word, sizeof word, "%s ", id);
			int want = strstr(ids, word) != NULL;
			dv_error fe;
			int got = orgs_search_finds(db, q, id, &fe);
			asked++, found += want;
			if (got == want)
				agree++;
			else
				printf("# finds '%s' %s: got %d, want %d\n", q, id, got, want);
		}
		free(ids);
	}
	ok(agree == asked && found > 0, "orgs_search_finds agrees with the whole search on %d entries (%d found)", asked,
	   found);

	/* A key waiting when a piece of the warm-up starts: the piece (the
	 * filter columns of every entry, after the first piece's lengths)
	 * gives way at its first ask. */
	dv_db *w = open_db(path, 0);
	dv_error e;
	int left = 0, more = orgs_search_warm(w, NULL, NULL, &e);
	ok(more == 1, "the warm-up's first piece (the rank's row lengths) leaves more to do");
	more = orgs_search_warm(w, key_after, &left, &e);
	ok(more == 1 && left < 0, "a key waiting makes the next piece give way (asked: %s, more: %d)", left < 0 ? "yes" : "no",
	   more);

	/* Interrupted warm-up: a key arrives after a few asks each time; the
	 * searches between pieces still give the reference's results. */
	int same = 0, total = 0, gave_way = 0;
	for (int round = 0; round < 40; round++) {
		left = (int)rnd(40);
		more = orgs_search_warm(w, key_after, &left, &e);
		gave_way += more == 1 && left < 0;
		same += compare_random(w, 3, "interrupted warm-up");
		total += 3;
	}
	is_int(same, total, "searches between interrupted pieces of the warm-up give the reference's results "
	       "(%d pieces of 40 gave way)", gave_way);

	/* Warmed up: the first search of each broad query scans nothing. */
	int pieces = warm_all(w);
	ok(pieces > 0, "the warm-up ends (%d pieces)", pieces);
	sqlite3_trace_v2(w->h, SQLITE_TRACE_STMT, count_scans, NULL);
	scans = 0;
	orgs_filter area = ORGS_FILTER_INIT;
	area.area = "melitopolskyi", area.limit = 101;
	for (size_t i = 0; i < sizeof broad / sizeof *broad - 1; i++) {
		char *got = search_ids(w, broad[i], &area);
		free(got);
	}
	is_int(scans, 0, "after the warm-up, a first letter or telephone prefix with a raion filter scans no index");
	scans = 0;
	sqlite3_trace_v2(db->h, SQLITE_TRACE_STMT, count_scans, NULL);
	free(search_ids(db, "ю", &area));
	ok(scans > 0, "(a letter never searched in a session not warmed up does scan: %d)", scans);
	sqlite3_trace_v2(db->h, 0, NULL, NULL);
	is_int(compare_random(w, 150, "warm"), 150, "warmed up: 150 random searches give the reference's results");

	/* Another session changes the directory: with and without the
	 * warm-up between, the results follow at once. */
	same = total = 0;
	int scans_after_warm = 0;
	for (int round = 0; round < 30; round++) {
		char id[16];
		snprintf(id, sizeof id, "w-%05u", rnd(ENTRIES));
		char *sql;
		switch (round % 4) {
		case 0: sql = xasprintf("UPDATE orgs SET do_not_refer = 1 - do_not_refer WHERE id = '%s'", id); break;
		case 1: sql = xasprintf("UPDATE orgs SET notes = 'Приймає дзвінки 0800 з громад; центр кризовий' WHERE id = '%s'", id); break;
		case 2: sql = xasprintf("UPDATE orgs SET retired = 1 - retired, areas = 'melitopolskyi' WHERE id = '%s'", id); break;
		default:
			sql = xasprintf("INSERT INTO orgs(id, name_uk, name_en, kind, services, areas, phones, source, updated_at)"
					" VALUES ('w-new%02d', 'Центр 0800', 'Centre', 'ngo', 'legal', 'melitopolskyi', '0 800 000 %03d',"
					" 'test', '2026-11-01T00:00:00Z')", round, round);
		}
		if (sqlite3_exec(db->h, sql, NULL, NULL, NULL) != SQLITE_OK)
			printf("# change: %s\n", sqlite3_errmsg(db->h));
		free(sql);
		if (round % 2) {
			warm_all(w);
			scans = 0;
			sqlite3_trace_v2(w->h, SQLITE_TRACE_STMT, count_scans, NULL);
			free(search_ids(w, broad[rnd(sizeof broad / sizeof *broad - 1)], &area));
			sqlite3_trace_v2(w->h, 0, NULL, NULL);
			scans_after_warm += scans;
		}
		same += compare_random(w, 4, round % 2 ? "after a change, warmed" : "after a change");
		total += 4;
	}
	is_int(same, total, "after changes in another session, with or without the warm-up between, every search gives "
	       "the reference's results");
	is_int(scans_after_warm, 0, "a warm-up after another session's change leaves the first keystroke nothing to scan");
	/* Another session holds the file: the warm-up neither waits for the
	 * lock (the screens would freeze) nor spins on it. */
	db_set_busy_timeout(w, 3000);
	if (sqlite3_exec(db->h, "BEGIN EXCLUSIVE", NULL, NULL, NULL) == SQLITE_OK) {
		sqlite3_exec(db->h, "UPDATE orgs SET notes = 'Заблоковано' WHERE id = 'w-00001'", NULL, NULL, NULL);
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		int r = orgs_search_warm(w, NULL, NULL, &e);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
		ok(r == 0 && ms < 1000, "with the file locked by another session the warm-up returns at once with nothing "
		   "to do for now (%d, %.0f ms; the busy timeout is 3000 ms)", r, ms);
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
	} else {
		ok(0, "another session locks the file: %s", sqlite3_errmsg(db->h));
	}
	db_close(w);
	db_close(db);
	unlink(path);
	char *key = xasprintf("%s/dovira-audit.key", tmpdir);
	unlink(key);
	free(key);
	free(path);
	rmdir(tmpdir);
	return tap_done();
}

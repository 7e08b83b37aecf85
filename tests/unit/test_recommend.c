/* Unit tests of recommend.c and of the default script's referrals over
 * the shipped directory: thousands of random calls (a fixed seed), each
 * checked against what a counter-trafficking specialist checks (issue 9,
 * "how it will be checked"). */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dovira/db.h"
#include "dovira/desk.h"
#include "dovira/record.h"
#include "dovira/i18n.h"
#include "dovira/orgs.h"
#include "dovira/recommend.h"
#include "dovira/script.h"
#include "dovira/setup.h"
#include "tap.h"

static char tmpdir[64];

static const char *srcdir(void)
{
	const char *d = getenv("SRCDIR");
	return d && *d ? d : ".";
}

static dv_db *seeded_db(void)
{
	dv_error e;
	char *p = xasprintf("%s/t.db", tmpdir);
	dv_db *db = setup_open(p, DB_OPEN_CREATE, "tester", &e);
	free(p);
	if (!db) {
		printf("# db_open: %s\n", e.msg);
		return NULL;
	}
	char *csv = xasprintf("%s/data/orgs.csv", srcdir());
	if (orgs_seed_if_empty(db, "tester", csv, &e) != DV_OK)
		printf("# seed: %s\n", e.msg);
	free(csv);
	return db;
}

/* A random answer to every step (the engine keeps what is hidden). */
static void random_call(script_answers *a, const script *s)
{
	dv_error e; /* a refused value (an exclusive option) is simply left out */
	for (size_t i = 0; i < script_nsteps(s); i++) {
		const script_step *st = script_step_at(s, i);
		if (st->nopts == 0 || rand() % 8 == 0)
			continue;
		if (st->kind != SCRIPT_MULTI) {
			script_answers_set(a, st->id, st->opts[(size_t)rand() % st->nopts].code, &e);
			continue;
		}
		for (size_t k = 0; k < st->nopts; k++)
			if (!st->opts[k].exclusive && rand() % 5 == 0)
				script_answers_toggle(a, st->id, st->opts[k].code, &e);
		if (!script_answers_get(a, st->id) && rand() % 2)
			for (size_t k = 0; k < st->nopts; k++)
				if (st->opts[k].exclusive) {
					script_answers_set(a, st->id, st->opts[k].code, &e);
					break;
				}
	}
}

/* The visible answer of a step, or NULL. */
static const char *shown(const script_answers *a, const char *id)
{
	long i = script_step_index(script_answers_script(a), id);
	return i >= 0 && script_visible(a, (size_t)i) ? script_answers_get(a, id) : NULL;
}

static int is(const char *v, const char *want)
{
	return v && strcmp(v, want) == 0;
}

static int has_ok(const rec_list *l, const char *org)
{
	for (size_t i = 0; i < l->n; i++)
		if (rec_ok(&l->v[i]) && strcmp(l->v[i].org, org) == 0)
			return 1;
	return 0;
}

static int names(const rec_list *l, const char *org)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].org, org) == 0)
			return 1;
	return 0;
}

static int child(const char *age)
{
	return is(age, "0-8") || is(age, "9-17");
}

static void test_random_calls(dv_db *db, const script *s)
{
	int bad_rec = 0, bad_abroad = 0, bad_national = 0, bad_child = 0, bad_offer = 0, bad_danger = 0;
	int n_abroad = 0, n_national = 0, n_child = 0, n_offer = 0, n_danger = 0;
	srand(9);
	for (int k = 0; k < 4000; k++) {
		script_answers *a = script_answers_new(s);
		random_call(a, s);
		rec_list l;
		rec_resolve(db, a, &l);
		for (size_t i = 0; i < l.n; i++) {
			const dv_org *o = &l.v[i].entry;
			int usable = o->id && o->phones && *o->phones && !o->do_not_refer && !o->retired;
			bad_rec += rec_ok(&l.v[i]) != usable;
		}
		const char *topic = shown(a, "topic");
		if (is(shown(a, "danger_now"), "yes")) {
			n_danger++;
			bad_danger += !l.danger;
			if (is(shown(a, "where_now"), "abroad")) {
				n_abroad++;
				bad_abroad += names(&l, "police-102") || !has_ok(&l, "line-1547");
			}
		}
		if (topic && (is(topic, "trafficking") || is(topic, "abroad-now") || is(topic, "missing") ||
			      is(topic, "returnee"))) {
			n_national++;
			bad_national += !has_ok(&l, "line-527");
		}
		const char *ex = shown(a, "exploitation");
		if (child(shown(a, "age_band")) && ex && !is(ex, "unknown") && !is(ex, "none")) {
			n_child++;
			bad_child += script_risk_now(a, NULL) != SCRIPT_RISK_LIKELY || !has_ok(&l, "police-0800") ||
				     !names(&l, "children-service") || !names(&l, "police-juvenile");
		}
		if (topic && (is(topic, "offer") || is(topic, "consult"))) {
			n_offer++;
			bad_offer += script_risk_now(a, NULL) == SCRIPT_RISK_LIKELY || names(&l, "dszn-zoda") ||
				     (names(&l, "police-0800") && !is(shown(a, "money_paid"), "yes"));
		}
		rec_list_free(&l);
		script_answers_free(a);
	}
	printf("# calls: %d in danger, %d abroad in danger, %d needing a national line, %d children exploited, %d job offers\n",
	       n_danger, n_abroad, n_national, n_child, n_offer);
	ok(n_abroad > 50 && n_national > 500 && n_child > 20 && n_offer > 500, "the random calls cover every path below");
	is_int(bad_rec, 0, "no entry without a telephone, marked do-not-refer, retired or unknown is recommended");
	is_int(bad_danger, 0, "danger now: yes is a danger on every call");
	is_int(bad_abroad, 0, "an emergency abroad never gets 102, and always 1547 with its number from abroad");
	is_int(bad_national, 0, "no trafficking, abroad, missing or returnee call ends without the 527 line");
	is_int(bad_child, 0, "a child in exploitation is likely, with the police and the children's service");
	is_int(bad_offer, 0, "a job offer never reaches likely, the status procedure, or the police without money paid");
}

static void test_states(dv_db *db, const script *s)
{
	dv_error e;
	script_answers *a = script_answers_new(s);
	script_answers_set(a, "topic", "trafficking", &e);
	script_answers_set(a, "age_band", "9-17", &e);
	script_answers_set(a, "exploitation", "labour", &e);
	rec_list l;
	rec_resolve(db, a, &l);
	int seen = 0;
	for (size_t i = 0; i < l.n; i++)
		if (strcmp(l.v[i].org, "children-service") == 0) {
			seen = 1;
			is_int(l.v[i].state, REC_NO_PHONE, "the children's service is named, held back: no telephone yet");
			is_str(rec_state_label(l.v[i].state), "no telephone in the directory", "and the reason says so");
		}
	ok(seen, "the children's service is among the referrals of a child in exploitation");
	ok(l.nok >= 3, "the referrals with telephones are recommended (%zu)", l.nok);
	rec_list_free(&l);
	is_int(orgs_set_do_not_refer(db, "tester", "line-527", 1, &e), DV_OK, "a supervisor marks the 527 line do-not-refer");
	rec_resolve(db, a, &l);
	for (size_t i = 0; i < l.n; i++)
		if (strcmp(l.v[i].org, "line-527") == 0)
			is_int(l.v[i].state, REC_DO_NOT_REFER, "a do-not-refer entry is no longer recommended");
	rec_list_free(&l);
	orgs_set_do_not_refer(db, "tester", "line-527", 0, &e);
	rec_resolve(NULL, a, &l);
	ok(l.n > 0 && l.nok == 0 && l.v[0].state == REC_UNCHECKED, "without a directory nothing counts as recommended");
	rec_list_free(&l);
	script_answers_free(a);
}

/* The supervisors' check "a recommended referral was not made" counts
 * only what could be offered: an entry without a telephone was never a
 * referral the operator could make. */
static void test_desk_flag(dv_db *db, const script *s)
{
	dv_error e;
	script_answers *a = script_answers_new(s);
	script_answers_set(a, "topic", "trafficking", &e);
	script_answers_set(a, "age_band", "9-17", &e);
	script_answers_set(a, "exploitation", "labour", &e);
	call_record *r = xcalloc(1, sizeof *r);
	r->kind = CALL_DATA;
	record_from_answers(r, a, "", NULL);
	desk_assessor *da = desk_assessor_new(db, s, &e);
	desk_assessment out;
	desk_assess(da, r, &out);
	ok(out.qa_flags & DESK_QA_RECOMMENDED_NOT_MADE, "no referral made: the check flags it");
	desk_assessment_clear(&out);
	rec_list l;
	rec_resolve(db, a, &l);
	r->referrals = xcalloc(l.n + 1, sizeof *r->referrals);
	for (size_t i = 0; i < l.n; i++)
		if (rec_ok(&l.v[i]))
			r->referrals[r->nreferrals++] = (call_referral){xstrdup(l.v[i].org), xstrdup(l.v[i].service), 1};
	desk_assess(da, r, &out);
	ok(!(out.qa_flags & DESK_QA_RECOMMENDED_NOT_MADE),
	   "every referral with a telephone made: not flagged for the children's service, which has none");
	desk_assessment_clear(&out);
	rec_list_free(&l);
	desk_assessor_free(da);
	call_free(r);
	script_answers_free(a);
}

static void test_order(dv_db *db)
{
	orgs_list l = {0};
	dv_error e;
	orgs_search(db, NULL, NULL, "en", &l, &e);
	size_t i = 0;
	while (i < l.n && !l.v[i].do_not_refer && l.v[i].phones)
		i++;
	while (i < l.n && !l.v[i].do_not_refer && !l.v[i].phones)
		i++;
	while (i < l.n && l.v[i].do_not_refer)
		i++;
	ok(l.n > 30 && i == l.n, "the directory lists entries with a telephone first, then without, do-not-refer last");
	orgs_list_free(&l);
	orgs_search(db, "кризов", NULL, "uk", &l, &e);
	ok(l.n >= 2 && l.v[l.n - 1].do_not_refer, "a search finds a do-not-refer entry, and sorts it last");
	orgs_list_free(&l);
	long n = 0;
	orgs_search(db, NULL, NULL, "en", &l, &e);
	for (size_t k = 0; k < l.n; k++)
		n += l.v[k].verified_on != NULL;
	is_int(n, 0, "the shipped directory claims no entry verified: nobody has called them yet");
	orgs_list_free(&l);
}

int main(void)
{
	setlocale(LC_ALL, "");
	i18n_init("en");
	snprintf(tmpdir, sizeof tmpdir, "/tmp/dovira-rec-XXXXXX");
	if (!mkdtemp(tmpdir))
		return 99;
	setenv("DOVIRA_FAKE_TIME", "1795867200", 1);
	dv_db *db = seeded_db();
	char *path = xasprintf("%s/data/intake.script", srcdir());
	script *s = NULL;
	dv_error e;
	script_load(path, &s, NULL, &e);
	free(path);
	ok(db && s, "the shipped directory and script load");
	if (db && s) {
		test_random_calls(db, s);
		test_states(db, s);
		test_desk_flag(db, s);
		test_order(db);
	}
	script_free(s);
	db_close(db);
	char *f = xasprintf("%s/t.db", tmpdir);
	unlink(f);
	free(f);
	rmdir(tmpdir);
	return tap_done();
}

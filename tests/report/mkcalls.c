/* mkcalls.c: fill a database with synthetic calls through the core API,
 * for the report and retention tests.
 *
 *   mkcalls DB SCRIPT N SEED START SPAN_DAYS
 *
 * DB must exist (dovira init). Each call is taken as an operator would:
 * the script's visible steps answered at random (multiple choice too),
 * the risk and columns from the engine, some recommended referrals made
 * and one made without a recommendation now and then, a note with a
 * marker word, then saved as final. One call in eight is a non-data call
 * (one in forty a test call, which the reports must leave out); one in
 * five belongs to the office "north"; one data call in five joins the
 * case of an earlier call (a caller ringing back with a case code). Start times are spread over
 * SPAN_DAYS days from START (seconds since the epoch, UTC), by setting
 * DOVIRA_FAKE_TIME, the program's clock. The same seed gives the same
 * calls.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/dbi.h"
#include "dovira/calls.h"
#include "dovira/desk.h"
#include "dovira/record.h"
#include "dovira/script.h"
#include "dovira/session.h"

static unsigned long long rng;

static unsigned rnd(unsigned n)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)((rng >> 33) % n);
}

static void set_clock(time_t t)
{
	char v[32];
	snprintf(v, sizeof v, "%lld", (long long)t);
	setenv("DOVIRA_FAKE_TIME", v, 1);
}

/* Answer one visible step at random. */
static void answer_step(script_answers *a, const script_step *st)
{
	dv_error e; /* a toggle the script refuses is simply not made */
	if (st->nopts == 0 || st->kind == SCRIPT_NOTES || st->kind == SCRIPT_TEXT)
		return;
	if (st->kind != SCRIPT_MULTI) {
		/* countries: mostly the usual destinations at the top */
		size_t n = st->kind == SCRIPT_COUNTRY && st->nopts > 12 ? 12 : st->nopts;
		script_answers_toggle(a, st->id, st->opts[rnd((unsigned)n)].code, &e);
		return;
	}
	unsigned k = 1 + rnd(3);
	for (unsigned i = 0; i < k; i++)
		script_answers_toggle(a, st->id, st->opts[rnd((unsigned)st->nopts)].code, &e);
}

/* The answers onto the record as the intake screen puts them, with a
 * marker word at the start of a long note: without secure_delete the
 * start of a shortened row's old bytes would stay in its page. */
static void fill_record(call_record *r, script_answers *a, unsigned long n)
{
	dv_buf note = {0};
	dv_buf_printf(&note, "секретслово%lu пояснення", n);
	for (int i = 0; i < 12; i++)
		dv_buf_adds(&note, " довгий опис розмови");
	record_from_answers(r, a, note.s, NULL);
	dv_buf_free(&note);
}

/* Case codes of the data calls so far, for callers who ring back. */
static char (*codes)[10];
static size_t ncodes;

static void ring_back(dv_session *ss, const call_record *r)
{
	dv_error e;
	if (ncodes && rnd(5) == 0 && desk_case_link(ss, r->id, codes[rnd((unsigned)ncodes)], &e))
		fprintf(stderr, "mkcalls: %s\n", e.msg);
	codes = xrealloc(codes, (ncodes + 1) * sizeof *codes);
	memcpy(codes[ncodes++], r->case_code, 10);
}

static int data_call(dv_session *ss, const script *s, unsigned long n, time_t at)
{
	dv_error e;
	set_clock(at);
	call_record *r = calls_begin(ss, script_id(s), script_version(s), &e);
	if (!r)
		return fprintf(stderr, "mkcalls: %s\n", e.msg), 1;
	script_answers *a = script_answers_new(s);
	for (long i = script_next(a, -1); i >= 0; i = script_next(a, i))
		answer_step(a, script_step_at(s, (size_t)i));
	script_prune(a);
	fill_record(r, a, n);
	script_referral *refs;
	size_t nrefs = script_referrals(a, &refs);
	int code = calls_save(ss, r, &e);
	for (size_t i = 0; !code && i < nrefs; i++)
		if (rnd(4) != 0 && calls_add_referral(ss, r, refs[i].org, refs[i].service, 1, &e) == DV_ENOTFOUND)
			code = 0;
	if (!code && rnd(6) == 0)
		calls_add_referral(ss, r, "legal-aid", "legal", 0, &e);
	free(refs);
	set_clock(at + 60 + rnd(1500));
	if (!code)
		code = calls_finish(ss, r, &e);
	/* As the intake does after finishing: the QA flags and the
	 * recommendations the referrals table counts. */
	if (!code)
		code = desk_assess_store(ss, s, r, &e);
	if (code)
		fprintf(stderr, "mkcalls: %s\n", e.msg);
	else
		ring_back(ss, r);
	script_answers_free(a);
	call_free(r);
	return code ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc != 7) {
		fprintf(stderr, "usage: mkcalls DB SCRIPT N SEED START SPAN_DAYS\n");
		return 2;
	}
	dv_error e;
	script *s;
	if (script_load(argv[2], &s, NULL, &e) != DV_OK)
		return fprintf(stderr, "mkcalls: %s does not load\n", argv[2]), 1;
	dv_session *ss = session_open(argv[1], 0, &e);
	if (!ss)
		return fprintf(stderr, "mkcalls: %s\n", e.msg), 1;
	/* The script's text, so that its labels outlive the file. */
	if (desk_remember_script(ss, argv[2], &e))
		fprintf(stderr, "mkcalls: %s\n", e.msg);
	/* A fixture, not a record anyone keeps: no fsync per call. */
	sqlite3_exec(ss->db->h, "PRAGMA synchronous=OFF", NULL, NULL, NULL);
	unsigned long n = strtoul(argv[3], NULL, 10);
	rng = strtoull(argv[4], NULL, 10) * 2654435761ULL + 1;
	time_t start = (time_t)strtoll(argv[5], NULL, 10);
	long span = strtol(argv[6], NULL, 10) * 86400L;
	int bad = 0;
	for (unsigned long i = 0; i < n && !bad; i++) {
		time_t at = start + (time_t)((unsigned long long)rnd(1u << 30) * (unsigned long long)span >> 30);
		snprintf(ss->office, sizeof ss->office, "%s", rnd(5) == 0 ? "north" : "main");
		unsigned k = rnd(40);
		if (k < 5) {
			set_clock(at + 30 + rnd(100));
			bad = calls_log_nondata(ss, (call_kind)(CALL_SILENT + rnd(4)), at, NULL, &e) != DV_OK;
		} else if (k == 5) {
			set_clock(at + 30);
			bad = calls_log_nondata(ss, CALL_TEST, at, NULL, &e) != DV_OK;
		} else {
			bad = data_call(ss, s, i, at);
		}
	}
	session_close(ss);
	script_free(s);
	free(codes);
	return bad;
}

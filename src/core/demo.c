/* demo.c: synthetic calls that follow the intake script (demo.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dovira/bulk.h"
#include "dovira/calls.h"
#include "dovira/demo.h"
#include "dovira/desk.h"
#include "dovira/i18n.h"
#include "dovira/record.h"
#include "dovira/staff.h"

enum { BATCH = 5000, NOPS = 16, NSUPS = 4, RING = 512 };

static const char *const offices[] = {"zaporizhzhia", "berdiansk-hub", "melitopol-hub", "polohy-hub"};

/* splitmix64: small, fast, and the same everywhere. */
typedef struct rng {
	unsigned long long s;
} rng;

static unsigned long long next(rng *g)
{
	unsigned long long z = (g->s += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static long below(rng *g, long n)
{
	return n > 0 ? (long)(next(g) % (unsigned long long)n) : 0;
}

static int chance(rng *g, int percent)
{
	return below(g, 1000) < percent * 10;
}

/* A random version-4 UUID from the generator, so a seed repeats. */
static void make_uuid(rng *g, unsigned char u[16], char out[37])
{
	unsigned long long a = next(g), b = next(g);
	memcpy(u, &a, 8);
	memcpy(u + 8, &b, 8);
	u[6] = (unsigned char)((u[6] & 0x0f) | 0x40);
	u[8] = (unsigned char)((u[8] & 0x3f) | 0x80);
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
}

/* The case codes used so far (40 bits each), so that no two calls share
 * one: at a million calls a collision of random codes is likely. */
typedef struct codeset {
	unsigned long long *v;
	size_t cap;
} codeset;

static int code_add(codeset *cs, const unsigned char u[16])
{
	unsigned long long k = 1;
	for (int i = 0; i < 5; i++)
		k = k << 8 | u[i];
	size_t i = (size_t)(k * 0x9E3779B97F4A7C15ULL) & (cs->cap - 1);
	for (; cs->v[i]; i = (i + 1) & (cs->cap - 1))
		if (cs->v[i] == k)
			return 0;
	cs->v[i] = k;
	return 1;
}

/* ---- notes ---- */

static const char *const phrases[] = {
	"Абонентка телефонує щодо пропозиції роботи на складі в Польщі.",
	"Роботодавець обіцяв житло й харчування, договору не показали.",
	"Пояснили, як перевірити агенцію в Переліку Мінекономіки.",
	"Син не виходить на зв'язок понад два тижні, останнє повідомлення з Чехії.",
	"Документи забрав бригадир «на оформлення» і не повертає.",
	"Порадили не віддавати оригінали паспорта нікому.",
	"Абонент повернувся з-за кордону, потребує правової допомоги.",
	"Розповіли про процедуру встановлення статусу постраждалої особи.",
	"Зарплату не виплачують третій місяць, погрожують депортацією.",
	"Оголошення знайшли в Telegram-каналі, просять передоплату за візу.",
	"Абонентка схвильована, домовилися про повторний дзвінок.",
	"Надали номер безоплатної правничої допомоги.",
	"Живуть у вагончику по вісім осіб, виходити ввечері заборонено.",
	"Телефонує мати неповнолітньої, дочка поїхала «на навчання».",
	"Абонент вагається, чи звертатися до поліції; пояснили права.",
	"Рекомендовали зберегти листування з вербувальником.",
	"Говорили російською, абонент з окупованої території.",
	"Дзвінок перервався, абонентка передзвонила за хвилину.",
	"Пропонують роботу доглядальницею в Італії без контракту.",
	"Порадили звернутися до консульства й на лінію 527.",
	"Друг потрапив у борг перед посередником, його не відпускають.",
	"Йдеться про роботу на будівництві в Німеччині за туристичною візою.",
	"Обговорили план безпеки на випадок повторного контакту з вербувальником.",
	"Абонент просить поради щодо навчання за кордоном.",
};

static char *make_notes(rng *g)
{
	dv_buf b = {0};
	/* Characters, not bytes: phrases are added until the notes reach
	 * 200 to 700 characters; no phrase is longer than 100, so they end
	 * between 200 and 800. */
	size_t want = 200 + (size_t)below(g, 501), n = sizeof phrases / sizeof *phrases, have = 0;
	while (have < want) {
		const char *p = phrases[below(g, (long)n)];
		if (b.len) {
			dv_buf_addc(&b, ' ');
			have++;
		}
		dv_buf_adds(&b, p);
		for (const char *q = p; *q; q++)
			have += ((unsigned char)*q & 0xC0) != 0x80;
	}
	if (chance(g, 3)) /* an operator slip the redactor must catch */
		dv_buf_printf(&b, " Номер абонента +380 67 %03ld %02ld %02ld.", 100 + below(g, 900), below(g, 100), below(g, 100));
	return dv_buf_take(&b);
}

/* ---- answers ---- */

/* Topics in the shares a hotline hears them (per thousand): mostly
 * consultations and job offers; trafficking itself is rare. */
static const struct { const char *code; int per_mille; } topic_shares[] = {
	{"consult", 300}, {"offer", 220}, {"abroad-now", 90}, {"missing", 60}, {"trafficking", 40},
	{"returnee", 50}, {"dv", 80}, {"other", 160},
};

static const script_option *pick_topic(rng *g, const script_step *st)
{
	long k = below(g, 1000);
	for (size_t i = 0; i < sizeof topic_shares / sizeof *topic_shares; i++) {
		if (k < topic_shares[i].per_mille)
			return script_step_option(st, topic_shares[i].code);
		k -= topic_shares[i].per_mille;
	}
	return NULL;
}

static const script_option *pick_option(rng *g, const script_step *st)
{
	if (!st->nopts)
		return NULL;
	if (strcmp(st->id, "topic") == 0) {
		const script_option *o = pick_topic(g, st);
		if (o)
			return o;
	}
	/* Operators find out most answers: "unknown" is a few percent. */
	const script_option *unknown = script_step_option(st, "unknown");
	if (unknown && st->nopts > 1 && !chance(g, 4)) {
		const script_option *o;
		do
			o = &st->opts[below(g, (long)st->nopts)];
		while (o == unknown);
		if (st->kind != SCRIPT_COUNTRY || !chance(g, 85))
			return o;
	}
	if (st->kind == SCRIPT_COUNTRY && chance(g, 85)) {
		static const char *const common[] = {"PL", "DE", "CZ", "IT", "UA", "LT", "IL", "TR", "AE", "GB"};
		const script_option *o = script_step_option(st, common[below(g, 10)]);
		if (o)
			return o;
	}
	return &st->opts[below(g, (long)st->nopts)];
}

/* The generator picks only codes the step offers, so a refusal cannot
 * happen; the error is kept local all the same (util.h's rule). */
static void answer_multi(rng *g, script_answers *a, const script_step *st)
{
	dv_error e = {0};
	long k = chance(g, 35) ? 0 : 1 + below(g, 3);
	for (long i = 0; i < k; i++) {
		const script_option *o = &st->opts[below(g, (long)st->nopts)];
		if (!o->exclusive && !script_answers_has(a, st->id, o->code))
			script_answers_toggle(a, st->id, o->code, &e);
	}
	if (!k) {
		for (size_t i = 0; i < st->nopts; i++)
			if (st->opts[i].exclusive)
				script_answers_set(a, st->id, st->opts[i].code, &e);
	}
}

static void answer_step(rng *g, script_answers *a, const script_step *st)
{
	char num[32];
	dv_error e = {0};
	switch (st->kind) {
	case SCRIPT_MULTI:
		answer_multi(g, a, st);
		return;
	case SCRIPT_YESNO: {
		int yes = strcmp(st->id, "danger_now") == 0 ? 10 : strcmp(st->id, "callback") == 0 ? 15 : 50;
		script_answers_set(a, st->id, chance(g, yes) ? "yes" : "no", &e);
		return;
	}
	case SCRIPT_NUMBER:
		snprintf(num, sizeof num, "%lld", st->min + below(g, (long)(st->max - st->min < 100 ? st->max - st->min + 1 : 100)));
		script_answers_set(a, st->id, num, &e);
		return;
	case SCRIPT_TEXT:
		script_answers_set(a, st->id, "див. нотатки", &e);
		return;
	case SCRIPT_NOTES:
		return; /* the notes column is filled apart */
	default: {
		const script_option *o = pick_option(g, st);
		if (o)
			script_answers_set(a, st->id, o->code, &e);
	}
	}
}

/* Walk the visible steps from the first, answering each; a few optional
 * ones are skipped. */
static void answer_all(rng *g, script_answers *a, const script *scr)
{
	for (long i = script_next(a, -1); i >= 0; i = script_next(a, i)) {
		const script_step *st = script_step_at(scr, (size_t)i);
		if (!st->required && chance(g, 10))
			continue;
		answer_step(g, a, st);
	}
	script_prune(a);
}

static void add_referral(call_record *r, const char *org, const char *service, int recommended)
{
	for (size_t i = 0; i < r->nreferrals; i++)
		if (strcmp(r->referrals[i].org_id, org) == 0 && strcmp(r->referrals[i].service, service) == 0)
			return;
	r->referrals = xrealloc(r->referrals, (r->nreferrals + 1) * sizeof *r->referrals);
	r->referrals[r->nreferrals++] = (call_referral){xstrdup(org), xstrdup(service), recommended};
}

/* Copy the answers onto the record (record.h) and take the referrals:
 * most of those the script recommends and the directory can back (only
 * those are offered: recommend.h), and now and then free legal aid that
 * nothing recommended. */
static void fill_record(rng *g, const desk_assessor *as, call_record *r, script_answers *a)
{
	record_from_answers(r, a, NULL, NULL);
	script_referral *rec;
	size_t n = script_referrals(a, &rec);
	for (size_t i = 0; i < n; i++)
		if (desk_assessor_referable(as, rec[i].org) && chance(g, 85))
			add_referral(r, rec[i].org, rec[i].service, 1);
	free(rec);
	if (chance(g, 4) && desk_assessor_referable(as, "legal-aid"))
		add_referral(r, "legal-aid", "legal", 0);
}

/* ---- the generator ---- */

typedef struct gen {
	dv_session *s;
	const script *scr;
	const demo_options *o;
	demo_stats *st;
	rng g;
	codeset codes;
	time_t start, end;
	char ops[NOPS][16], sups[NSUPS][16];
	struct ring_case { char id[37]; time_t at; } ring[RING];
	long nring;
	desk_assessor *assessor;
} gen;

static int add_staff(gen *G, dv_error *e)
{
	for (int i = 0; i < NOPS; i++) {
		snprintf(G->ops[i], sizeof G->ops[i], "demo-op%02d", i + 1);
		if (staff_add(G->s->db, G->s->login, G->ops[i], ROLE_OPERATOR, e))
			return e->code;
	}
	for (int i = 0; i < NSUPS; i++) {
		snprintf(G->sups[i], sizeof G->sups[i], "demo-sup%d", i + 1);
		if (staff_add(G->s->db, G->s->login, G->sups[i], ROLE_SUPERVISOR, e))
			return e->code;
	}
	return DV_OK;
}

/* The start of call i of n: evenly through the span, in working hours
 * (07:00 to 22:00 UTC), so the log is in time order. */
static time_t when(gen *G, long i, long n)
{
	double span = (double)(G->end - G->start);
	double t = (double)G->start + span * ((double)i + (double)below(&G->g, 1000) / 1000.0) / (double)n;
	time_t day = (time_t)t / 86400 * 86400;
	double frac = (t - (double)day) / 86400.0;
	time_t at = day + 7 * 3600 + (time_t)(frac * 15 * 3600);
	return at < G->end - 3600 ? at : G->end - 3600 - (n - i);
}

static call_record *new_record(gen *G, time_t at)
{
	call_record *r = xcalloc(1, sizeof *r);
	unsigned char u[16];
	do
		make_uuid(&G->g, u, r->id);
	while (!code_add(&G->codes, u));
	calls_make_id(u, at, r->id); /* the hour of its start, as calls_begin's */
	calls_case_code(u, r->case_code);
	long op = below(&G->g, NOPS);
	r->operator_login = xstrdup(G->ops[op]);
	r->office = xstrdup(offices[op % 4]);
	r->script_id = xstrdup(script_id(G->scr));
	r->script_version = xstrdup(script_version(G->scr));
	r->started_at = at;
	r->version = 1;
	return r;
}

static void finish_times(gen *G, call_record *r, int data)
{
	r->final = 1;
	r->duration_s = data ? (chance(&G->g, 5) ? 20 + below(&G->g, 40) : 60 + below(&G->g, 1500)) : 3 + below(&G->g, 60);
	r->ended_at = r->started_at + r->duration_s;
}

/* A case for a call that agreed a call-back; or an earlier case this call
 * follows up. Writes the case id to case_id (empty: none). */
static int case_of(gen *G, bulk *b, call_record *r, char case_id[37], dv_error *e)
{
	case_id[0] = '\0';
	time_t now = G->end;
	if (G->nring && chance(&G->g, 4)) {
		struct ring_case *c = &G->ring[below(&G->g, G->nring < RING ? G->nring : RING)];
		if (r->started_at - c->at < 14 * 86400 && r->started_at > c->at) {
			memcpy(case_id, c->id, 37);
			G->st->followups++;
			return DV_OK;
		}
	}
	if (!r->col[COL_CALLBACK] || strcmp(r->col[COL_CALLBACK], "yes") != 0)
		return DV_OK;
	bulk_case c = {0};
	unsigned char u[16];
	make_uuid(&G->g, u, c.id);
	memcpy(c.code, r->case_code, 10);
	int old = now - r->started_at > 30 * 86400;
	c.status = old ? (chance(&G->g, 70) ? "closed" : "follow_up") : "open";
	c.status_by = r->operator_login;
	c.created_at = c.status_at = r->started_at;
	/* A call-back is due within a week; once the case moved on, none is. */
	c.callback_due = old ? 0 : r->started_at + (1 + below(&G->g, 7)) * 86400;
	c.owner = r->operator_login;
	if (bulk_add_case(b, &c, e))
		return e->code;
	memcpy(case_id, c.id, 37);
	struct ring_case *slot = &G->ring[G->nring++ % RING];
	memcpy(slot->id, c.id, 37);
	slot->at = r->started_at;
	G->st->cases++;
	return DV_OK;
}

static call_record *make_call(gen *G, long i)
{
	time_t at = when(G, i, G->o->calls);
	call_record *r = new_record(G, at);
	if (chance(&G->g, 12)) {
		r->kind = (call_kind)(1 + below(&G->g, CALL_NKINDS - 1));
		finish_times(G, r, 0);
		return r;
	}
	script_answers *a = script_answers_new(G->scr);
	answer_all(&G->g, a, G->scr);
	fill_record(&G->g, G->assessor, r, a);
	script_answers_free(a);
	char *notes = make_notes(&G->g);
	call_set_col(r, COL_NOTES, notes);
	free(notes);
	/* Recent calls are sometimes still drafts; a few old ones were left. */
	int recent = G->end - at < 3 * 86400;
	if ((recent && chance(&G->g, 2)) || below(&G->g, 20000) == 0)
		r->step = xstrdup("notes");
	else
		finish_times(G, r, 1);
	return r;
}

static int write_call(gen *G, bulk *b, long i, dv_error *e)
{
	call_record *r = make_call(G, i);
	char case_id[37];
	bulk_extra x = {0};
	if (r->kind == CALL_DATA && case_of(G, b, r, case_id, e)) {
		call_free(r);
		return e->code;
	}
	if (r->kind == CALL_DATA && case_id[0])
		x.case_id = case_id;
	if (r->final && G->end - r->started_at > 7 * 86400 && chance(&G->g, 20)) {
		x.reviewed_by = G->sups[below(&G->g, NSUPS)];
		x.reviewed_at = r->ended_at + 86400;
	}
	desk_assessment as;
	desk_assess(G->assessor, r, &as);
	x.qa_flags = r->final ? as.qa_flags : 0;
	x.queue = r->final ? as.queue : NULL;
	x.recs = as.recs;
	x.nrecs = as.nrecs;
	/* Supervisors acknowledge the queue within a day or two. */
	if (x.queue && G->end - r->started_at > 2 * 86400 && chance(&G->g, 97)) {
		static const char *const comments[] = {
			"Перевірено, переадресацію зроблено.", "Обговорено з оператором.",
			"Передано до поліції.", "Повторний дзвінок заплановано.", "Усе гаразд.",
		};
		x.ack_by = G->sups[below(&G->g, NSUPS)];
		x.ack_at = r->ended_at + 3600 * (1 + below(&G->g, 30));
		x.ack_comment = comments[below(&G->g, 5)];
	}
	G->st->queued += x.queue != NULL;
	G->st->flagged += x.qa_flags != 0;
	G->st->calls++;
	G->st->data += r->kind == CALL_DATA;
	G->st->drafts += !r->final;
	int code = bulk_add_call(b, r, &x, e);
	desk_assessment_clear(&as);
	call_free(r);
	return code;
}

static int check_empty(dv_session *s, dv_error *e)
{
	long n = bulk_count_calls(s->db, e);
	if (n < 0)
		return (int)n;
	if (n > 0)
		return dv_fail(e, DV_EINVAL,
			       ngettext("the database already holds %ld call; demo fills only a database without calls (make a new one with init)",
					"the database already holds %ld calls; demo fills only a database without calls (make a new one with init)",
					(unsigned long)n), n);
	return DV_OK;
}

static int fill(gen *G, dv_error *e)
{
	char detail[80];
	snprintf(detail, sizeof detail, "demo --calls %ld --seed %llu", G->o->calls, G->o->seed);
	bulk *b = bulk_begin(G->s, e);
	if (!b || bulk_mark_training(b, detail, e) || bulk_commit(b, e))
		return e->code;
	for (long i = 0; i < G->o->calls;) {
		if (!(b = bulk_begin(G->s, e)))
			return e->code;
		long stop = i + BATCH < G->o->calls ? i + BATCH : G->o->calls;
		for (; i < stop; i++)
			if (write_call(G, b, i, e))
				return e->code;
		if (bulk_commit(b, e))
			return e->code;
		if (G->o->progress)
			G->o->progress(i, G->o->calls, G->o->arg);
	}
	return DV_OK;
}

int demo_fill(dv_session *s, const script *scr, const demo_options *o, demo_stats *st, dv_error *e)
{
	demo_stats local = {0};
	if (o->calls < 1 || o->years < 0 || o->years > 10)
		return dv_fail(e, DV_EINVAL, _("demo needs at least one call and a span of 1 to 10 years"));
	if (!session_may(s, ROLE_ADMIN))
		return dv_fail(e, DV_EPERM, _("only an administrator may fill a training database"));
	if (check_empty(s, e))
		return e->code;
	gen *G = xcalloc(1, sizeof *G);
	G->s = s;
	G->scr = scr;
	G->o = o;
	G->st = st ? st : &local;
	memset(G->st, 0, sizeof *G->st);
	G->g.s = o->seed;
	G->end = o->end ? o->end : dv_now();
	G->start = G->end - (time_t)(o->years ? o->years : 3) * 365 * 86400;
	for (G->codes.cap = 1024; G->codes.cap < (size_t)o->calls * 2; G->codes.cap *= 2)
		;
	G->codes.v = xcalloc(G->codes.cap, sizeof *G->codes.v);
	int code = add_staff(G, e);
	if (!code && !(G->assessor = desk_assessor_new(s->db, scr, e)))
		code = e->code;
	if (!code)
		code = fill(G, e);
	desk_assessor_free(G->assessor);
	free(G->codes.v);
	free(G);
	return code;
}

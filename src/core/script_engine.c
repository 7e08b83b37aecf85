/* script_engine.c: the answers to a script, and what follows from them.
 *
 * Every question the screens ask (visible? next? risk?) is answered from
 * scratch by one pass over the steps in order: a step's visibility depends
 * only on the steps before it (the checks made sure of that), so the pass
 * decides each step's visibility before any later step looks at it. Scripts
 * are a few dozen steps; recomputing is cheaper than keeping caches right.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dovira/i18n.h"
#include "script_int.h"

typedef struct answer {
	int set;
	char *str;             /* the string form, as script_answers_get gives it */
	long long num;         /* number */
	unsigned char *chosen; /* multi: one flag per option */
} answer;

struct script_answers {
	const script *s;
	answer *v;
};

script_answers *script_answers_new(const script *s)
{
	script_answers *a = xcalloc(1, sizeof *a);
	a->s = s;
	a->v = xcalloc(s->nsteps + 1, sizeof *a->v);
	return a;
}

static void answer_clear(answer *x)
{
	free(x->str);
	free(x->chosen);
	memset(x, 0, sizeof *x);
}

void script_answers_free(script_answers *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->s->nsteps; i++)
		answer_clear(&a->v[i]);
	free(a->v);
	free(a);
}

const script *script_answers_script(const script_answers *a)
{
	return a->s;
}

/* ---- setting answers ---- */

static long find_step(const script_answers *a, const char *id, dv_error *e)
{
	long i = script_step_index(a->s, id);
	if (i < 0)
		dv_fail(e, DV_ENOTFOUND, _("the script has no step '%.40s'"), id ? id : "");
	return i;
}

/* Store a multi answer from its flags (all clear: unanswered). */
static void set_chosen(const script_step *st, answer *x, unsigned char *chosen)
{
	dv_buf b = {0};
	answer_clear(x);
	for (size_t o = 0; o < st->nopts; o++) {
		if (!chosen[o])
			continue;
		if (b.len)
			dv_buf_addc(&b, ',');
		dv_buf_adds(&b, st->opts[o].code);
	}
	if (!b.len) {
		free(chosen);
		return;
	}
	x->set = 1;
	x->chosen = chosen;
	x->str = dv_buf_take(&b);
}

static int parse_multi(const script_step *st, answer *x, const char *value, dv_error *e)
{
	unsigned char *chosen = xcalloc(st->nopts + 1, 1);
	const char *p = value;
	int excl = 0, count = 0;
	while (*p) {
		size_t n = strcspn(p, ",");
		char *code = xstrndup(p, n);
		char *c = code + strspn(code, " \t");
		c[strcspn(c, " \t")] = '\0';
		const script_option *o = script_step_option(st, c);
		if (!o && *c) {
			dv_fail(e, DV_EINVAL, _("'%.40s' is not an option of step '%s'"), c, st->id);
			free(code);
			free(chosen);
			return DV_EINVAL;
		}
		if (o && !chosen[o - st->opts]) {
			chosen[o - st->opts] = 1;
			count++;
			excl |= o->exclusive;
		}
		free(code);
		p += n + (p[n] == ',');
	}
	if (excl && count > 1) {
		free(chosen);
		return dv_fail(e, DV_EINVAL, _("step '%s': an exclusive option cannot be chosen with others"), st->id);
	}
	set_chosen(st, x, chosen);
	return DV_OK;
}

static int parse_number(const script_step *st, answer *x, const char *value, dv_error *e)
{
	long long v;
	if (sc_parse_int(value, &v) < 0)
		return dv_fail(e, DV_EINVAL, _("'%.40s' is not a whole number"), value);
	if (v < st->min || v > st->max)
		return dv_fail(e, DV_EINVAL, _("%lld is not between %lld and %lld"), v, st->min, st->max);
	answer_clear(x);
	x->set = 1;
	x->num = v;
	x->str = xasprintf("%lld", v);
	return DV_OK;
}

int script_answers_set(script_answers *a, const char *step_id, const char *value, dv_error *e)
{
	long i = find_step(a, step_id, e);
	if (i < 0)
		return DV_ENOTFOUND;
	const script_step *st = &a->s->steps[i];
	answer *x = &a->v[i];
	if (!value || !*value) {
		answer_clear(x);
		return DV_OK;
	}
	switch (st->kind) {
	case SCRIPT_MULTI:
		return parse_multi(st, x, value, e);
	case SCRIPT_NUMBER:
		return parse_number(st, x, value, e);
	case SCRIPT_TEXT:
		if (strchr(value, '\n'))
			return dv_fail(e, DV_EINVAL, _("step '%s' takes one line of text"), st->id);
		/* fall through */
	case SCRIPT_NOTES:
		answer_clear(x);
		break;
	default:
		if (!script_step_option(st, value))
			return dv_fail(e, DV_EINVAL, _("'%.40s' is not an option of step '%s'"), value, st->id);
		answer_clear(x);
		break;
	}
	x->set = 1;
	x->str = xstrdup(value);
	return DV_OK;
}

int script_answers_toggle(script_answers *a, const char *step_id, const char *code, dv_error *e)
{
	long i = find_step(a, step_id, e);
	if (i < 0)
		return DV_ENOTFOUND;
	const script_step *st = &a->s->steps[i];
	answer *x = &a->v[i];
	const script_option *o = script_step_option(st, code);
	if (!o || st->kind == SCRIPT_NUMBER || st->kind == SCRIPT_TEXT || st->kind == SCRIPT_NOTES)
		return dv_fail(e, DV_EINVAL, _("'%.40s' is not an option of step '%s'"), code ? code : "", st->id);
	if (st->kind != SCRIPT_MULTI) {
		if (x->set && strcmp(x->str, code) == 0) {
			answer_clear(x);
			return DV_OK;
		}
		return script_answers_set(a, step_id, code, e);
	}
	size_t k = (size_t)(o - st->opts);
	unsigned char *chosen = xcalloc(st->nopts + 1, 1);
	if (x->set)
		memcpy(chosen, x->chosen, st->nopts);
	chosen[k] = !chosen[k];
	for (size_t j = 0; chosen[k] && j < st->nopts; j++)
		if (j != k && (o->exclusive || st->opts[j].exclusive))
			chosen[j] = 0;
	set_chosen(st, x, chosen);
	return DV_OK;
}

void script_answers_clear(script_answers *a, const char *step_id)
{
	long i = script_step_index(a->s, step_id);
	if (i >= 0)
		answer_clear(&a->v[i]);
}

const char *script_answers_get(const script_answers *a, const char *step_id)
{
	long i = script_step_index(a->s, step_id);
	return i >= 0 && a->v[i].set ? a->v[i].str : NULL;
}

int script_answers_has(const script_answers *a, const char *step_id, const char *code)
{
	long i = script_step_index(a->s, step_id);
	if (i < 0 || !a->v[i].set || !code)
		return 0;
	const script_step *st = &a->s->steps[i];
	if (st->kind == SCRIPT_MULTI) {
		const script_option *o = script_step_option(st, code);
		return o && a->v[i].chosen[o - st->opts];
	}
	return strcmp(a->v[i].str, code) == 0;
}

/* ---- evaluation ---- */

/* The score and the risk level are computed once per pass: a step whose
 * condition uses them comes after every step they depend on (checked when
 * the script loaded), so their first value is already their final one. */
typedef struct evalctx {
	const script_answers *a;
	unsigned char *vis; /* per step; 0 for those not decided yet */
	int have_score, have_risk;
	int score;
	script_risk risk;
} evalctx;

static script_risk risk_of(evalctx *c, int *score);

static int score_of(evalctx *c)
{
	const script *s = c->a->s;
	long long sum = 0;
	if (c->have_score)
		return c->score;
	for (size_t i = 0; i < s->nsteps; i++) {
		const script_step *st = &s->steps[i];
		const answer *x = &c->a->v[i];
		if (!c->vis[i] || !x->set)
			continue;
		for (size_t o = 0; o < st->nopts; o++) {
			if (st->kind == SCRIPT_MULTI && x->chosen[o])
				sum += st->opts[o].weight;
			else if (st->kind == SCRIPT_SINGLE && strcmp(x->str, st->opts[o].code) == 0)
				sum += st->opts[o].weight;
		}
	}
	c->have_score = 1;
	c->score = (int)sum;
	return c->score;
}

static sc_val lookup(void *ctx, const sc_atom *at)
{
	evalctx *c = ctx;
	sc_val v = {0, NULL, 0, NULL};
	if (at->opd == OPD_SCORE) {
		v.set = 1;
		v.num = score_of(c);
	} else if (at->opd == OPD_RISK) {
		v.set = 1;
		v.num = risk_of(c, NULL);
	} else if (c->vis[at->step] && c->a->v[at->step].set) {
		const answer *x = &c->a->v[at->step];
		v = (sc_val){1, x->str, x->num, x->chosen};
	}
	return v;
}

static int holds(evalctx *c, const sc_cond *cond)
{
	return !cond || !cond->root || sc_eval(c->a->s, cond->root, lookup, c);
}

static script_risk risk_of(evalctx *c, int *score)
{
	const script *s = c->a->s;
	if (!c->have_risk) {
		c->risk = SCRIPT_RISK_NONE;
		for (size_t i = 0; i < s->nrisk; i++)
			if (s->risk[i].level > c->risk && holds(c, s->risk[i].cond))
				c->risk = s->risk[i].level;
		c->have_risk = 1;
	}
	if (score)
		*score = score_of(c);
	return c->risk;
}

/* Decide the visibility of every step; the caller frees c->vis. */
static void compute(evalctx *c, const script_answers *a)
{
	const script *s = a->s;
	memset(c, 0, sizeof *c);
	c->a = a;
	c->vis = xcalloc(s->nsteps + 1, 1);
	for (size_t i = 0; i < s->nsteps; i++)
		c->vis[i] = (unsigned char)holds(c, s->x[i].cond);
}

int script_visible(const script_answers *a, size_t i)
{
	evalctx c;
	if (i >= a->s->nsteps)
		return 0;
	compute(&c, a);
	int v = c.vis[i];
	free(c.vis);
	return v;
}

long script_next(const script_answers *a, long from)
{
	evalctx c;
	long n = (long)a->s->nsteps, found = -1;
	if (from < -1)
		from = -1;
	compute(&c, a);
	for (long i = from + 1; i < n && found < 0; i++)
		if (c.vis[i])
			found = i;
	free(c.vis);
	return found;
}

long script_prev(const script_answers *a, long from)
{
	evalctx c;
	long n = (long)a->s->nsteps, found = -1;
	if (from > n)
		from = n;
	compute(&c, a);
	for (long i = from - 1; i >= 0 && found < 0; i--)
		if (c.vis[i])
			found = i;
	free(c.vis);
	return found;
}

long script_first_missing(const script_answers *a)
{
	evalctx c;
	long found = -1;
	compute(&c, a);
	for (size_t i = 0; i < a->s->nsteps && found < 0; i++)
		if (c.vis[i] && a->s->steps[i].required && !a->v[i].set)
			found = (long)i;
	free(c.vis);
	return found;
}

script_risk script_risk_now(const script_answers *a, int *score)
{
	evalctx c;
	compute(&c, a);
	script_risk r = risk_of(&c, score);
	free(c.vis);
	return r;
}

size_t script_referrals(const script_answers *a, script_referral **out)
{
	const script *s = a->s;
	evalctx c;
	size_t n = 0;
	*out = NULL;
	compute(&c, a);
	for (size_t i = 0; i < s->nrefer; i++) {
		const sc_rule *r = &s->refer[i];
		size_t k = 0;
		if (!holds(&c, r->cond))
			continue;
		while (k < n && !(strcmp((*out)[k].org, r->org) == 0 && strcmp((*out)[k].service, r->service) == 0))
			k++;
		if (k < n)
			continue;
		*out = xrealloc(*out, (n + 1) * sizeof **out);
		(*out)[n++] = (script_referral){r->org, r->service, r->line};
	}
	free(c.vis);
	return n;
}

size_t script_queue(const script_answers *a, const char ***out)
{
	const script *s = a->s;
	evalctx c;
	size_t n = 0;
	*out = NULL;
	compute(&c, a);
	for (size_t i = 0; i < s->nqueue; i++) {
		size_t k = 0;
		if (!holds(&c, s->queue[i].cond))
			continue;
		while (k < n && strcmp((*out)[k], s->queue[i].org) != 0)
			k++;
		if (k < n)
			continue;
		*out = xrealloc(*out, (n + 1) * sizeof **out);
		(*out)[n++] = s->queue[i].org;
	}
	free(c.vis);
	return n;
}

size_t script_risk_why(const script_answers *a, unsigned **lines)
{
	const script *s = a->s;
	evalctx c;
	size_t n = 0;
	*lines = NULL;
	compute(&c, a);
	for (size_t i = 0; i < s->nrisk; i++) {
		if (!holds(&c, s->risk[i].cond))
			continue;
		*lines = xrealloc(*lines, (n + 1) * sizeof **lines);
		(*lines)[n++] = s->risk[i].line;
	}
	free(c.vis);
	return n;
}

int script_danger(const script_answers *a)
{
	const script *s = a->s;
	evalctx c;
	int d = 0;
	compute(&c, a);
	for (size_t i = 0; i < s->ndanger && !d; i++)
		d = holds(&c, s->danger[i].cond);
	free(c.vis);
	return d;
}

void script_columns(const script_answers *a, const char *values[COL_NCOLS])
{
	evalctx c;
	for (int k = 0; k < COL_NCOLS; k++)
		values[k] = NULL;
	compute(&c, a);
	for (size_t i = 0; i < a->s->nsteps; i++) {
		int col = a->s->steps[i].column;
		if (col >= 0 && c.vis[i] && a->v[i].set)
			values[col] = a->v[i].str;
	}
	free(c.vis);
}

size_t script_prune(script_answers *a)
{
	evalctx c;
	size_t dropped = 0;
	compute(&c, a);
	for (size_t i = 0; i < a->s->nsteps; i++) {
		if (!c.vis[i] && a->v[i].set) {
			answer_clear(&a->v[i]);
			dropped++;
		}
	}
	free(c.vis);
	return dropped;
}

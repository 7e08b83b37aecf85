/* script_check.c: the checks that look at the whole script at once.
 *
 * Cycles. A "show if" may only use earlier steps; that much is checked as
 * names are resolved. The score and the risk level, though, depend on
 * many steps: a step whose condition uses them must come after every step
 * they depend on, or its visibility would depend on itself.
 *
 * Steps and rules that can never apply. Each condition is brought to
 * disjunctive normal form (an "or" of "and"s of atoms, each perhaps
 * negated). A conjunction holds for some answers unless, for one of the
 * things it looks at (a step's answer, the score, the risk level), no
 * value satisfies all its atoms together. The values tried are all the
 * values that matter: every option of a choice step, every subset of the
 * options of a multi step (up to 12 options), the boundaries of number
 * comparisons, "unanswered". A step that can never be shown counts as
 * unanswered in the conditions after it. The analysis errs on one side
 * only: what it calls impossible is impossible; a step that cannot be
 * shown for reasons across several steps may go unreported. Forms too
 * large to expand are taken as satisfiable.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dovira/i18n.h"
#include "script_int.h"

#define MAX_TERMS 256
#define MAX_LITS 64
#define MAX_SUBSET_OPTS 12
/* Values tried across the whole script before the rest is taken as
 * satisfiable: a bound on the time a hostile file can cost. */
#define BUDGET 2000000L
#define KEY_SCORE (-1)
#define KEY_RISK (-2)

/* ---- cycles through the score and the risk level ---- */

typedef struct deps {
	const script *s;
	unsigned char *on; /* one flag per step */
	int score;
} deps;

static void mark_dep(const sc_atom *at, void *arg)
{
	deps *d = arg;
	if (at->opd == OPD_SCORE)
		d->score = 1;
	else if (at->step >= 0)
		d->on[at->step] = 1;
}

static int has_weights(const script_step *st)
{
	if (st->kind != SCRIPT_SINGLE && st->kind != SCRIPT_MULTI)
		return 0;
	for (size_t o = 0; o < st->nopts; o++)
		if (st->opts[o].weight)
			return 1;
	return 0;
}

/* The steps the risk level depends on. */
static unsigned char *risk_deps(const script *s)
{
	deps d = {s, xcalloc(s->nsteps + 1, 1), 0};
	for (size_t i = 0; i < s->nrisk; i++)
		if (s->risk[i].cond && s->risk[i].cond->root)
			sc_atoms(s->risk[i].cond->root, mark_dep, &d);
	for (size_t i = 0; d.score && i < s->nsteps; i++)
		if (has_weights(&s->steps[i]))
			d.on[i] = 1;
	return d.on;
}

/* The first step at or after i that on marks, or -1. */
static long first_from(const script *s, const unsigned char *on, size_t i)
{
	for (size_t k = i; k < s->nsteps; k++)
		if (on[k])
			return (long)k;
	return -1;
}

static void check_cycles(script *s)
{
	unsigned char *rdeps = risk_deps(s);
	unsigned char *weighted = xcalloc(s->nsteps + 1, 1);
	for (size_t i = 0; i < s->nsteps; i++)
		weighted[i] = (unsigned char)has_weights(&s->steps[i]);
	for (size_t i = 0; i < s->nsteps; i++) {
		sc_cond *c = s->x[i].cond;
		long k;
		if (!c || !c->ok)
			continue;
		if (c->uses_score && (k = first_from(s, weighted, i)) >= 0) {
			sc_diag(s, c->line, _("cycle: the condition of step '%s' uses the score, which counts step '%s' (line %u), asked at or after it"),
			        s->steps[i].id, s->steps[k].id, s->steps[k].line);
			c->ok = 0;
		} else if (c->uses_risk && (k = first_from(s, rdeps, i)) >= 0) {
			sc_diag(s, c->line, _("cycle: the condition of step '%s' uses the risk level, which depends on step '%s' (line %u), asked at or after it"),
			        s->steps[i].id, s->steps[k].id, s->steps[k].line);
			c->ok = 0;
		}
	}
	free(rdeps);
	free(weighted);
}

/* ---- disjunctive normal form ---- */

typedef struct lit {
	const sc_atom *at;
	int neg;
} lit;

typedef struct term {
	lit *v;
	size_t n;
} term;

typedef struct dnf {
	term *t;
	size_t n;
	int overflow; /* too large: taken as satisfiable */
} dnf;

static void dnf_free(dnf *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->t[i].v);
	free(d->t);
	d->t = NULL;
	d->n = 0;
}

static void dnf_add(dnf *d, lit *v, size_t n)
{
	d->t = xrealloc(d->t, (d->n + 1) * sizeof *d->t);
	d->t[d->n].v = v;
	d->t[d->n].n = n;
	d->n++;
}

/* Every term of a joined with every term of b. */
static dnf dnf_and(dnf *a, dnf *b)
{
	dnf r = {NULL, 0, a->overflow || b->overflow};
	if (!r.overflow && a->n * b->n > MAX_TERMS)
		r.overflow = 1;
	for (size_t i = 0; !r.overflow && i < a->n; i++) {
		for (size_t j = 0; !r.overflow && j < b->n; j++) {
			size_t n = a->t[i].n + b->t[j].n;
			if (n > MAX_LITS) {
				r.overflow = 1;
				break;
			}
			lit *v = xmalloc(n * sizeof *v);
			memcpy(v, a->t[i].v, a->t[i].n * sizeof *v);
			memcpy(v + a->t[i].n, b->t[j].v, b->t[j].n * sizeof *v);
			dnf_add(&r, v, n);
		}
	}
	dnf_free(a);
	dnf_free(b);
	if (r.overflow)
		dnf_free(&r);
	return r;
}

static dnf dnf_or(dnf *a, dnf *b)
{
	dnf r = {NULL, 0, a->overflow || b->overflow};
	if (!r.overflow && a->n + b->n > MAX_TERMS)
		r.overflow = 1;
	if (!r.overflow) {
		r.t = xmalloc((a->n + b->n) * sizeof *r.t + 1);
		memcpy(r.t, a->t, a->n * sizeof *r.t);
		memcpy(r.t + a->n, b->t, b->n * sizeof *r.t);
		r.n = a->n + b->n;
		free(a->t);
		free(b->t);
		a->t = b->t = NULL;
		a->n = b->n = 0;
	}
	dnf_free(a);
	dnf_free(b);
	return r;
}

/* The DNF of n, negated if neg (negations pushed down to the atoms). */
static dnf dnf_of(const sc_node *n, int neg)
{
	dnf a, b;
	if (n->type == N_ATOM) {
		dnf r = {NULL, 0, 0};
		lit *v = xmalloc(sizeof *v);
		v->at = &n->atom;
		v->neg = neg;
		dnf_add(&r, v, 1);
		return r;
	}
	if (n->type == N_NOT)
		return dnf_of(n->a, !neg);
	a = dnf_of(n->a, neg);
	b = dnf_of(n->b, neg);
	if ((n->type == N_AND) != (neg != 0))
		return dnf_and(&a, &b);
	return dnf_or(&a, &b);
}

/* ---- satisfiability of one conjunction ---- */

typedef struct sat_ctx {
	const script *s;
	const unsigned char *pv; /* possibly visible, per step */
	long long score_lo, score_hi;
	long *budget;            /* values left to try */
} sat_ctx;

static long key_of(const sc_atom *at)
{
	if (at->opd == OPD_SCORE)
		return KEY_SCORE;
	if (at->opd == OPD_RISK)
		return KEY_RISK;
	return at->step;
}

static int lits_hold(const sat_ctx *c, const lit *const *g, size_t n, const sc_val *v)
{
	if (--*c->budget < 0)
		return 1; /* out of time: satisfiable, as far as we know */
	for (size_t i = 0; i < n; i++)
		if (sc_atom_holds(c->s, g[i]->at, v) == g[i]->neg)
			return 0;
	return 1;
}

/* Numbers worth trying: the bounds, and each constant compared with and
 * its neighbours, within [lo, hi]. */
static int numbers_sat(const sat_ctx *c, const lit *const *g, size_t n, long long lo, long long hi, sc_val v)
{
	long long cand[2] = {lo, hi};
	for (int i = 0; i < 2; i++) {
		v.num = cand[i];
		if (lits_hold(c, g, n, &v))
			return 1;
	}
	for (size_t i = 0; i < n; i++) {
		const sc_atom *at = g[i]->at;
		if (at->op == OP_ANSWERED || at->opd == OPD_COUNT || at->opd == OPD_SCORE_STEP)
			continue;
		for (size_t k = 0; k < at->nvals; k++) {
			for (long long d = -1; d <= 1; d++) {
				v.num = at->nums[k] + d;
				if (v.num >= lo && v.num <= hi && lits_hold(c, g, n, &v))
					return 1;
			}
		}
	}
	return 0;
}

/* Every subset of the options of a multi step (not mixing an exclusive
 * option with another); the empty set is "unanswered". */
static int subsets_sat(const sat_ctx *c, const script_step *st, const lit *const *g, size_t n, int visible)
{
	unsigned char chosen[MAX_SUBSET_OPTS];
	size_t nopts = st->nopts;
	if (visible && nopts > MAX_SUBSET_OPTS)
		return 1;
	unsigned long limit = visible ? 1ul << nopts : 1;
	for (unsigned long m = 0; m < limit; m++) {
		int excl = 0, count = 0;
		for (size_t o = 0; o < nopts && o < MAX_SUBSET_OPTS; o++) {
			chosen[o] = (unsigned char)((m >> o) & 1);
			count += chosen[o];
			excl |= chosen[o] && st->opts[o].exclusive;
		}
		if (excl && count > 1)
			continue;
		sc_val v = {m != 0, NULL, 0, chosen};
		if (lits_hold(c, g, n, &v))
			return 1;
	}
	return 0;
}

static int step_sat(const sat_ctx *c, long key, const lit *const *g, size_t n)
{
	const script_step *st = &c->s->steps[key];
	int visible = c->pv[key];
	sc_val unset = {0, NULL, 0, NULL};
	switch (st->kind) {
	case SCRIPT_MULTI:
		return subsets_sat(c, st, g, n, visible);
	case SCRIPT_NUMBER:
		if (lits_hold(c, g, n, &unset))
			return 1;
		return visible && numbers_sat(c, g, n, st->min, st->max, (sc_val){1, NULL, 0, NULL});
	case SCRIPT_TEXT:
	case SCRIPT_NOTES:
		return lits_hold(c, g, n, &unset) || (visible && lits_hold(c, g, n, &(sc_val){1, "", 0, NULL}));
	default:
		if (lits_hold(c, g, n, &unset))
			return 1;
		for (size_t o = 0; visible && o < st->nopts; o++)
			if (lits_hold(c, g, n, &(sc_val){1, st->opts[o].code, 0, NULL}))
				return 1;
		return 0;
	}
}

static int group_sat(const sat_ctx *c, long key, const lit *const *g, size_t n)
{
	if (key == KEY_RISK) {
		for (int r = SCRIPT_RISK_NONE; r <= SCRIPT_RISK_LIKELY; r++)
			if (lits_hold(c, g, n, &(sc_val){1, NULL, r, NULL}))
				return 1;
		return 0;
	}
	if (key == KEY_SCORE)
		return numbers_sat(c, g, n, c->score_lo, c->score_hi, (sc_val){1, NULL, 0, NULL});
	return step_sat(c, key, g, n);
}

static int term_sat(const sat_ctx *c, const term *t)
{
	const lit **g = xmalloc(t->n * sizeof *g);
	unsigned char *done = xcalloc(t->n, 1);
	int sat = 1;
	for (size_t i = 0; sat && i < t->n; i++) {
		if (done[i])
			continue;
		long key = key_of(t->v[i].at);
		size_t n = 0;
		for (size_t j = i; j < t->n; j++) {
			if (!done[j] && key_of(t->v[j].at) == key) {
				g[n++] = &t->v[j];
				done[j] = 1;
			}
		}
		sat = group_sat(c, key, g, n);
	}
	free(g);
	free(done);
	return sat;
}

static int cond_sat(const sat_ctx *c, const sc_cond *cond)
{
	dnf d = dnf_of(cond->root, 0);
	int sat = d.overflow;
	for (size_t i = 0; !sat && i < d.n; i++)
		sat = term_sat(c, &d.t[i]);
	dnf_free(&d);
	return sat;
}

/* The range the score can take over the possibly visible steps. */
static void score_range(sat_ctx *c)
{
	c->score_lo = c->score_hi = 0;
	for (size_t i = 0; i < c->s->nsteps; i++) {
		const script_step *st = &c->s->steps[i];
		long long lo = 0, hi = 0;
		if (!c->pv[i] || !has_weights(st))
			continue;
		for (size_t o = 0; o < st->nopts; o++) {
			int w = st->opts[o].weight;
			if (st->kind == SCRIPT_MULTI) {
				if (w < 0)
					lo += w;
				else
					hi += w;
			} else {
				lo = w < lo ? w : lo;
				hi = w > hi ? w : hi;
			}
		}
		c->score_lo += lo;
		c->score_hi += hi;
	}
}

/* ---- reporting ---- */

typedef struct hidden_dep {
	const unsigned char *pv;
	long step;
} hidden_dep;

static void find_hidden(const sc_atom *at, void *arg)
{
	hidden_dep *h = arg;
	if (h->step < 0 && at->step >= 0 && !h->pv[at->step])
		h->step = at->step;
}

static void report_hidden_step(script *s, size_t i, const unsigned char *pv, const unsigned char *all, long *budget)
{
	const script_step *st = &s->steps[i];
	const sc_cond *c = s->x[i].cond;
	sat_ctx open = {s, all, 0, 0, budget};
	score_range(&open);
	hidden_dep h = {pv, -1};
	sc_atoms(c->root, find_hidden, &h);
	if (h.step >= 0 && cond_sat(&open, c))
		sc_diag(s, c->line, _("step '%s' can never be shown: it depends on step '%s', which can never be shown"),
		        st->id, s->steps[h.step].id);
	else
		sc_diag(s, c->line, _("step '%s' can never be shown: its condition can never hold"), st->id);
}

static void check_reachable(script *s)
{
	unsigned char *pv = xcalloc(s->nsteps + 1, 1);
	unsigned char *all = xcalloc(s->nsteps + 1, 1);
	long budget = BUDGET;
	memset(all, 1, s->nsteps);
	sat_ctx c = {s, pv, 0, 0, &budget};
	for (size_t i = 0; i < s->nsteps; i++) {
		const sc_cond *cond = s->x[i].cond;
		score_range(&c);
		pv[i] = 1;
		if (cond && cond->ok && !cond_sat(&c, cond)) {
			pv[i] = 0;
			report_hidden_step(s, i, pv, all, &budget);
		}
	}
	score_range(&c);
	for (size_t i = 0; i < s->nrisk; i++)
		if (s->risk[i].cond && s->risk[i].cond->ok && !cond_sat(&c, s->risk[i].cond))
			sc_diag(s, s->risk[i].line, _("this risk rule can never hold"));
	for (size_t i = 0; i < s->nrefer; i++)
		if (s->refer[i].cond && s->refer[i].cond->ok && !cond_sat(&c, s->refer[i].cond))
			sc_diag(s, s->refer[i].line, _("this referral rule can never hold"));
	for (size_t i = 0; i < s->ndanger; i++)
		if (s->danger[i].cond && s->danger[i].cond->ok && !cond_sat(&c, s->danger[i].cond))
			sc_diag(s, s->danger[i].line, _("this danger rule can never hold"));
	for (size_t i = 0; i < s->nqueue; i++)
		if (s->queue[i].cond && s->queue[i].cond->ok && !cond_sat(&c, s->queue[i].cond))
			sc_diag(s, s->queue[i].line, _("this queue rule can never hold"));
	dv_debug("script %s: %ld of %ld values tried in the reachability checks", s->name, BUDGET - budget, BUDGET);
	free(pv);
	free(all);
}

void sc_check(script *s)
{
	check_cycles(s);
	check_reachable(s);
}

/* script_cond.c: the "show if" and rule conditions of an intake script.
 *
 *   cond    := and ("or" and)*
 *   and     := unary ("and" unary)*
 *   unary   := "not" unary | "(" cond ")" | atom
 *   atom    := operand ("=" | "!=" | "<" | "<=" | ">" | ">=") value
 *            | operand ["not"] "in" "(" value ("," value)* ")"
 *            | step "has" value
 *            | "answered" "(" step ")"
 *   operand := step | "count" "(" step ")" | "score" ["(" step ")"] | "risk"
 *
 * A comparison with a step that is unanswered (or hidden) is false, "!="
 * and "not in" included; "not (...)" of it is true. count() and score are
 * numbers that are 0 when nothing is chosen.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dovira/i18n.h"
#include "dovira/places.h"
#include "script_int.h"

#define MAX_DEPTH 32

/* ---- tokens ---- */

typedef enum tok_type { T_END, T_WORD, T_OP, T_LP, T_RP, T_COMMA, T_BAD } tok_type;

typedef struct tok {
	tok_type type;
	const char *p; /* start in the text */
	size_t n;      /* bytes */
	unsigned col;  /* column in the file's line */
} tok;

typedef struct parser {
	script *s;
	const char *text;
	size_t pos;
	unsigned col0;
	unsigned line;
	tok cur;
	int failed;
	int depth;
} parser;

static int is_word_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-' || c == '+' || c == '.';
}

/* Column (1-based, in characters) of byte offset off of the text. */
static unsigned col_at(const parser *p, size_t off)
{
	unsigned col = p->col0;
	for (size_t i = 0; i < off; i++)
		if (((unsigned char)p->text[i] & 0xC0) != 0x80)
			col++;
	return col;
}

static void next_tok(parser *p)
{
	const char *t = p->text;
	while (t[p->pos] == ' ' || t[p->pos] == '\t')
		p->pos++;
	tok k = {T_END, t + p->pos, 0, col_at(p, p->pos)};
	unsigned char c = (unsigned char)t[p->pos];
	if (c == '\0') {
		p->cur = k;
		return;
	}
	if (is_word_char(c)) {
		k.type = T_WORD;
		while (is_word_char((unsigned char)t[p->pos + k.n]))
			k.n++;
	} else if (c == '(' || c == ')' || c == ',') {
		k.type = c == '(' ? T_LP : c == ')' ? T_RP : T_COMMA;
		k.n = 1;
	} else if (c == '=' || ((c == '!' || c == '<' || c == '>') && t[p->pos + 1] == '=')) {
		k.type = T_OP;
		k.n = c == '=' ? 1 : 2;
	} else if (c == '<' || c == '>') {
		k.type = T_OP;
		k.n = 1;
	} else {
		k.type = T_BAD;
		k.n = 1;
		while ((((unsigned char)t[p->pos + k.n]) & 0xC0) == 0x80)
			k.n++;
	}
	p->pos += k.n;
	p->cur = k;
}

static int is_word(const tok *k, const char *w)
{
	return k->type == T_WORD && k->n == strlen(w) && memcmp(k->p, w, k->n) == 0;
}

static int is_reserved(const tok *k)
{
	static const char *const words[] = {"and", "or", "not", "in", "has", "count", "score", "risk", "answered"};
	for (size_t i = 0; i < sizeof words / sizeof *words; i++)
		if (is_word(k, words[i]))
			return 1;
	return 0;
}

/* Report "expected WHAT" at the current token, once per condition. */
static void expected(parser *p, const char *what)
{
	if (p->failed)
		return;
	p->failed = 1;
	if (p->cur.type == T_END) {
		sc_diag(p->s, p->line, _("bad condition at column %u: expected %s, found the end of the condition"),
		        p->cur.col, what);
	} else {
		char *found = xstrndup(p->cur.p, p->cur.n);
		sc_diag(p->s, p->line, _("bad condition at column %u: expected %s, found '%s'"),
		        p->cur.col, what, sc_quote(p->s, found));
		free(found);
	}
}

/* ---- the tree ---- */

static sc_node *new_node(sc_node_type type)
{
	sc_node *n = xcalloc(1, sizeof *n);
	n->type = type;
	n->atom.step = -1;
	return n;
}

static void free_node(sc_node *n)
{
	if (!n)
		return;
	free_node(n->a);
	free_node(n->b);
	free(n->atom.name);
	for (size_t i = 0; i < n->atom.nvals; i++)
		free(n->atom.vals[i]);
	free(n->atom.vals);
	free(n->atom.vcols);
	free(n->atom.nums);
	free(n);
}

void sc_cond_free(sc_cond *c)
{
	if (c) {
		free_node(c->root);
		free(c);
	}
}

static void add_value(sc_atom *at, const tok *k)
{
	at->vals = xrealloc(at->vals, (at->nvals + 1) * sizeof *at->vals);
	at->vcols = xrealloc(at->vcols, (at->nvals + 1) * sizeof *at->vcols);
	at->vals[at->nvals] = xstrndup(k->p, k->n);
	at->vcols[at->nvals] = k->col;
	at->nvals++;
}

/* ---- the parser ---- */

static sc_node *parse_or(parser *p);

/* step id in "count(", "score(", "answered(" or as an operand. */
static int take_step_name(parser *p, sc_atom *at)
{
	if (p->cur.type != T_WORD || is_reserved(&p->cur)) {
		expected(p, _("a step id"));
		return -1;
	}
	at->name = xstrndup(p->cur.p, p->cur.n);
	at->col = p->cur.col;
	next_tok(p);
	return 0;
}

static int take_paren_step(parser *p, sc_atom *at)
{
	if (p->cur.type != T_LP) {
		expected(p, "'('");
		return -1;
	}
	next_tok(p);
	if (take_step_name(p, at) < 0)
		return -1;
	if (p->cur.type != T_RP) {
		expected(p, "')'");
		return -1;
	}
	next_tok(p);
	return 0;
}

static int parse_operand(parser *p, sc_atom *at)
{
	at->col = p->cur.col;
	if (is_word(&p->cur, "count")) {
		at->opd = OPD_COUNT;
		next_tok(p);
		return take_paren_step(p, at);
	}
	if (is_word(&p->cur, "score")) {
		next_tok(p);
		if (p->cur.type != T_LP) {
			at->opd = OPD_SCORE;
			return 0;
		}
		at->opd = OPD_SCORE_STEP;
		return take_paren_step(p, at);
	}
	if (is_word(&p->cur, "risk")) {
		at->opd = OPD_RISK;
		next_tok(p);
		return 0;
	}
	at->opd = OPD_STEP;
	return take_step_name(p, at);
}

static int parse_value(parser *p, sc_atom *at)
{
	if (p->cur.type != T_WORD) {
		expected(p, _("a value"));
		return -1;
	}
	add_value(at, &p->cur);
	next_tok(p);
	return 0;
}

static int parse_list(parser *p, sc_atom *at)
{
	if (p->cur.type != T_LP) {
		expected(p, _("'(' after 'in'"));
		return -1;
	}
	do {
		next_tok(p);
		if (parse_value(p, at) < 0)
			return -1;
	} while (p->cur.type == T_COMMA);
	if (p->cur.type != T_RP) {
		expected(p, _("',' or ')'"));
		return -1;
	}
	next_tok(p);
	return 0;
}

static int parse_op(parser *p, sc_atom *at)
{
	static const char *const ops[] = {"=", "!=", "<", "<=", ">", ">="};
	for (int i = 0; i < 6; i++) {
		if (p->cur.type == T_OP && p->cur.n == strlen(ops[i]) && memcmp(p->cur.p, ops[i], p->cur.n) == 0) {
			at->op = (sc_op)i;
			next_tok(p);
			return parse_value(p, at);
		}
	}
	if (is_word(&p->cur, "not")) {
		next_tok(p);
		if (!is_word(&p->cur, "in")) {
			expected(p, _("'in' after 'not'"));
			return -1;
		}
		at->op = OP_NOTIN;
		next_tok(p);
		return parse_list(p, at);
	}
	if (is_word(&p->cur, "in")) {
		at->op = OP_IN;
		next_tok(p);
		return parse_list(p, at);
	}
	if (is_word(&p->cur, "has") && at->opd == OPD_STEP) {
		at->op = OP_HAS;
		next_tok(p);
		return parse_value(p, at);
	}
	expected(p, _("=, !=, <, <=, >, >=, in, not in or has"));
	return -1;
}

static sc_node *parse_atom(parser *p)
{
	sc_node *n = new_node(N_ATOM);
	sc_atom *at = &n->atom;
	if (is_word(&p->cur, "answered")) {
		at->opd = OPD_STEP;
		at->op = OP_ANSWERED;
		next_tok(p);
		if (take_paren_step(p, at) < 0)
			goto fail;
		return n;
	}
	if (p->cur.type != T_WORD || (is_reserved(&p->cur) && !is_word(&p->cur, "count") &&
	                              !is_word(&p->cur, "score") && !is_word(&p->cur, "risk"))) {
		expected(p, _("a step id, 'not' or '('"));
		goto fail;
	}
	if (parse_operand(p, at) < 0 || parse_op(p, at) < 0)
		goto fail;
	return n;
fail:
	free_node(n);
	return NULL;
}

static sc_node *parse_unary(parser *p)
{
	if (++p->depth > MAX_DEPTH) {
		if (!p->failed)
			sc_diag(p->s, p->line, _("bad condition at column %u: nested too deeply"), p->cur.col);
		p->failed = 1;
		return NULL;
	}
	sc_node *n = NULL;
	if (is_word(&p->cur, "not")) {
		next_tok(p);
		sc_node *a = parse_unary(p);
		if (a) {
			n = new_node(N_NOT);
			n->a = a;
		}
	} else if (p->cur.type == T_LP) {
		next_tok(p);
		n = parse_or(p);
		if (n && p->cur.type != T_RP) {
			expected(p, _("')'"));
			free_node(n);
			n = NULL;
		} else if (n) {
			next_tok(p);
		}
	} else {
		n = parse_atom(p);
	}
	p->depth--;
	return n;
}

static sc_node *parse_binary(parser *p, sc_node_type type)
{
	const char *word = type == N_OR ? "or" : "and";
	sc_node *left = type == N_OR ? parse_binary(p, N_AND) : parse_unary(p);
	while (left && is_word(&p->cur, word)) {
		next_tok(p);
		sc_node *right = type == N_OR ? parse_binary(p, N_AND) : parse_unary(p);
		if (!right) {
			free_node(left);
			return NULL;
		}
		sc_node *n = new_node(type);
		n->a = left;
		n->b = right;
		left = n;
	}
	return left;
}

static sc_node *parse_or(parser *p)
{
	return parse_binary(p, N_OR);
}

sc_cond *sc_cond_parse(script *s, const char *text, unsigned line, unsigned col0)
{
	sc_cond *c = xcalloc(1, sizeof *c);
	parser p = {.s = s, .text = text, .col0 = col0, .line = line};
	c->line = line;
	next_tok(&p);
	if (p.cur.type == T_END) {
		sc_diag(s, line, _("empty condition"));
		return c;
	}
	c->root = parse_or(&p);
	if (c->root && p.cur.type != T_END) {
		expected(&p, _("'and', 'or' or the end of the condition"));
		free_node(c->root);
		c->root = NULL;
	}
	c->ok = c->root != NULL;
	return c;
}

/* ---- resolving names ---- */

typedef struct resolver {
	script *s;
	sc_cond *c;
	sc_context ctx;
	long self;
} resolver;

static void bad(resolver *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void bad(resolver *r, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	sc_diag(r->s, r->c->line, "%s", msg);
	r->c->ok = 0;
}

int sc_parse_int(const char *s, long long *out)
{
	const char *p = s;
	long long v = 0;
	int neg = 0;
	if (*p == '-' || *p == '+')
		neg = *p++ == '-';
	if (!*p || strlen(p) > 15)
		return -1;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (*p - '0');
	}
	*out = neg ? -v : v;
	return 0;
}

static int risk_level(const char *w)
{
	for (int i = 0; i <= SCRIPT_RISK_LIKELY; i++)
		if (strcmp(w, script_risk_name((script_risk)i)) == 0)
			return i;
	return -1;
}

static int is_numeric_op(sc_op op)
{
	return op <= OP_GE || op == OP_IN || op == OP_NOTIN;
}

/* Resolve the values of a numeric operand (numbers, or risk levels). */
static void resolve_numbers(resolver *r, sc_atom *at)
{
	for (size_t i = 0; i < at->nvals; i++) {
		long long v;
		if (at->opd == OPD_RISK) {
			int lvl = risk_level(at->vals[i]);
			if (lvl < 0)
				bad(r, _("'%s' is not a risk level (none, possible, likely)"), sc_quote(r->s, at->vals[i]));
			at->nums[i] = lvl;
		} else if (sc_parse_int(at->vals[i], &v) < 0) {
			bad(r, _("'%s' is not a whole number"), sc_quote(r->s, at->vals[i]));
		} else {
			at->nums[i] = v;
		}
	}
}

/* Check one value of a choice step (single, yesno, raion, country). */
static void resolve_choice(resolver *r, const script_step *st, const char *v)
{
	switch (st->kind) {
	case SCRIPT_SINGLE:
		if (!script_step_option(st, v))
			bad(r, _("step '%s' has no option '%s'"), st->id, sc_quote(r->s, v));
		break;
	case SCRIPT_YESNO:
		if (strcmp(v, "yes") != 0 && strcmp(v, "no") != 0)
			bad(r, _("'%s' is not yes or no (step '%s')"), sc_quote(r->s, v), st->id);
		break;
	case SCRIPT_RAION:
		if (!places_find(PLACES_AREAS, v))
			bad(r, _("'%s' is not an area code (step '%s')"), sc_quote(r->s, v), st->id);
		break;
	case SCRIPT_COUNTRY:
		if (!places_find(PLACES_COUNTRIES, v))
			bad(r, _("'%s' is not a country code (step '%s')"), sc_quote(r->s, v), st->id);
		break;
	default:
		break;
	}
}

static void resolve_multi(resolver *r, const script_step *st, sc_atom *at)
{
	for (size_t i = 0; i < at->nvals; i++) {
		const script_option *o = script_step_option(st, at->vals[i]);
		if (!o)
			bad(r, _("step '%s' has no option '%s'"), st->id, sc_quote(r->s, at->vals[i]));
		else
			at->nums[i] = o - st->opts;
	}
}

/* The answer of a step compared directly: which operators fit its kind. */
static void resolve_step_value(resolver *r, const script_step *st, sc_atom *at)
{
	const char *kind = script_kind_name(st->kind);
	switch (st->kind) {
	case SCRIPT_SINGLE:
	case SCRIPT_YESNO:
	case SCRIPT_RAION:
	case SCRIPT_COUNTRY:
		if (at->op != OP_EQ && at->op != OP_NE && at->op != OP_IN && at->op != OP_NOTIN) {
			bad(r, _("step '%s' is a %s step: compare it with =, !=, in or not in"), st->id, kind);
			return;
		}
		for (size_t i = 0; i < at->nvals; i++)
			resolve_choice(r, st, at->vals[i]);
		return;
	case SCRIPT_MULTI:
		if (at->op != OP_HAS && at->op != OP_IN && at->op != OP_NOTIN) {
			bad(r, _("step '%s' is a multi step: use has, in, not in or count(%s)"), st->id, st->id);
			return;
		}
		resolve_multi(r, st, at);
		return;
	case SCRIPT_NUMBER:
		if (at->op == OP_HAS) {
			bad(r, _("step '%s' is a number step: 'has' needs a multi step"), st->id);
			return;
		}
		resolve_numbers(r, at);
		return;
	default:
		bad(r, _("a condition cannot look at the text of step '%s'; use answered(%s)"), st->id, st->id);
		return;
	}
}

/* Find the step an atom names and check it may be used here. */
static const script_step *resolve_step(resolver *r, sc_atom *at)
{
	long i = script_step_index(r->s, at->name);
	if (i < 0) {
		bad(r, _("unknown step '%s' in condition (column %u)"), sc_quote(r->s, at->name), at->col);
		return NULL;
	}
	at->step = i;
	if (!r->s->x[i].kind_ok) {
		r->c->ok = 0; /* its kind was reported; say no more */
		return NULL;
	}
	if (r->ctx == CTX_SHOW && i == r->self) {
		bad(r, _("step '%s' cannot depend on its own answer"), at->name);
		return NULL;
	}
	if (r->ctx == CTX_SHOW && i > r->self) {
		bad(r, _("step '%s' is asked later (line %u): a condition may only use earlier steps"),
		    at->name, r->s->steps[i].line);
		return NULL;
	}
	return &r->s->steps[i];
}

static void resolve_atom(resolver *r, sc_atom *at)
{
	at->nums = xcalloc(at->nvals ? at->nvals : 1, sizeof *at->nums);
	if (at->opd == OPD_SCORE)
		r->c->uses_score = 1;
	if (at->opd == OPD_RISK) {
		r->c->uses_risk = 1;
		if (r->ctx == CTX_RISK) {
			bad(r, _("a risk rule cannot use the risk level (a cycle)"));
			return;
		}
	}
	if (at->opd == OPD_SCORE || at->opd == OPD_RISK) {
		if (at->op == OP_HAS)
			bad(r, _("'has' needs a multi step"));
		else
			resolve_numbers(r, at);
		return;
	}
	const script_step *st = resolve_step(r, at);
	if (!st || at->op == OP_ANSWERED)
		return;
	if (at->opd == OPD_STEP) {
		resolve_step_value(r, st, at);
		return;
	}
	if (at->opd == OPD_COUNT && st->kind != SCRIPT_MULTI)
		bad(r, _("count() needs a multi step; step '%s' is %s"), st->id, script_kind_name(st->kind));
	else if (at->opd == OPD_SCORE_STEP && st->kind != SCRIPT_MULTI && st->kind != SCRIPT_SINGLE)
		bad(r, _("score() needs a single or multi step; step '%s' is %s"), st->id, script_kind_name(st->kind));
	else if (!is_numeric_op(at->op))
		bad(r, _("'has' needs a multi step"));
	else
		resolve_numbers(r, at);
}

static void resolve_node(resolver *r, sc_node *n)
{
	if (!n)
		return;
	if (n->type == N_ATOM) {
		resolve_atom(r, &n->atom);
		return;
	}
	resolve_node(r, n->a);
	resolve_node(r, n->b);
}

void sc_cond_resolve(script *s, sc_cond *c, sc_context ctx, long self)
{
	resolver r = {s, c, ctx, self};
	if (!c || !c->root)
		return;
	resolve_node(&r, c->root);
}

/* ---- evaluating ---- */

static int cmp_num(long long x, const sc_atom *at)
{
	switch (at->op) {
	case OP_EQ: return x == at->nums[0];
	case OP_NE: return x != at->nums[0];
	case OP_LT: return x < at->nums[0];
	case OP_LE: return x <= at->nums[0];
	case OP_GT: return x > at->nums[0];
	case OP_GE: return x >= at->nums[0];
	case OP_IN:
	case OP_NOTIN:
		for (size_t i = 0; i < at->nvals; i++)
			if (x == at->nums[i])
				return at->op == OP_IN;
		return at->op == OP_NOTIN;
	default:
		return 0;
	}
}

static int cmp_code(const char *code, const sc_atom *at)
{
	int any = 0;
	for (size_t i = 0; i < at->nvals; i++)
		any |= strcmp(code, at->vals[i]) == 0;
	switch (at->op) {
	case OP_EQ:
	case OP_IN: return any;
	case OP_NE:
	case OP_NOTIN: return !any;
	default: return 0;
	}
}

static int cmp_chosen(const unsigned char *chosen, const sc_atom *at)
{
	int any = 0;
	for (size_t i = 0; i < at->nvals; i++)
		any |= chosen[at->nums[i]] != 0;
	return at->op == OP_NOTIN ? !any : any;
}

/* score(step) or count(step) of a value. */
static long long step_sum(const script_step *st, const sc_val *v, int count)
{
	long long sum = 0;
	if (!v->set)
		return 0;
	if (st->kind == SCRIPT_SINGLE) {
		const script_option *o = script_step_option(st, v->code);
		return o ? (count ? 1 : o->weight) : 0;
	}
	for (size_t i = 0; i < st->nopts; i++)
		if (v->chosen[i])
			sum += count ? 1 : st->opts[i].weight;
	return sum;
}

int sc_atom_holds(const script *s, const sc_atom *at, const sc_val *v)
{
	if (at->opd == OPD_SCORE || at->opd == OPD_RISK)
		return cmp_num(v->num, at);
	const script_step *st = &s->steps[at->step];
	if (at->opd == OPD_COUNT || at->opd == OPD_SCORE_STEP)
		return cmp_num(step_sum(st, v, at->opd == OPD_COUNT), at);
	if (at->op == OP_ANSWERED || !v->set)
		return v->set;
	switch (st->kind) {
	case SCRIPT_MULTI: return cmp_chosen(v->chosen, at);
	case SCRIPT_NUMBER: return cmp_num(v->num, at);
	default: return cmp_code(v->code, at);
	}
}

int sc_eval(const script *s, const sc_node *n, sc_lookup lookup, void *ctx)
{
	switch (n->type) {
	case N_AND: return sc_eval(s, n->a, lookup, ctx) && sc_eval(s, n->b, lookup, ctx);
	case N_OR: return sc_eval(s, n->a, lookup, ctx) || sc_eval(s, n->b, lookup, ctx);
	case N_NOT: return !sc_eval(s, n->a, lookup, ctx);
	case N_ATOM: {
		sc_val v = lookup(ctx, &n->atom);
		return sc_atom_holds(s, &n->atom, &v);
	}
	}
	return 0;
}

void sc_atoms(const sc_node *n, void (*fn)(const sc_atom *at, void *arg), void *arg)
{
	if (!n)
		return;
	if (n->type == N_ATOM)
		fn(&n->atom, arg);
	sc_atoms(n->a, fn, arg);
	sc_atoms(n->b, fn, arg);
}

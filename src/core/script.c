/* script.c: reading an intake script file, the checks of each step, and
 * the accessors of a loaded script. The format is in dovira-script(5).
 *
 * Reading never stops at the first problem: a bad line is reported and
 * skipped, a bad value is reported and left unset, and the checks that
 * follow take care not to report the consequences of a problem already
 * reported. Every problem is "FILE:LINE: message".
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dovira/i18n.h"
#include "dovira/orgs.h"
#include "dovira/places.h"
#include "dovira/utf8.h"
#include "script_int.h"

#define MAX_JOINED 8192
#define NELEM(a) (sizeof(a) / sizeof *(a))

static const char *const kind_names[SCRIPT_NKINDS] = {
	"single", "multi", "yesno", "number", "text", "notes", "raion", "country",
};

#define KIND(k) (1u << (k))

/* The steps that may map onto a column of each shape (columns.h), and
 * how the message about a wrong one says so. */
static const struct shape_rule {
	unsigned kinds;
	const char *needs;
} shape_rules[] = {
	[COL_SHAPE_CODE] = {KIND(SCRIPT_SINGLE), N_("a single step")},
	[COL_SHAPE_AREA] = {KIND(SCRIPT_RAION) | KIND(SCRIPT_SINGLE), N_("a raion or single step")},
	[COL_SHAPE_COUNTRY] = {KIND(SCRIPT_COUNTRY) | KIND(SCRIPT_SINGLE), N_("a country or single step")},
	[COL_SHAPE_YESNO] = {KIND(SCRIPT_YESNO), N_("a yesno step")},
	[COL_SHAPE_NOTES] = {KIND(SCRIPT_NOTES), N_("a notes step")},
};

/* Keys of the header, of a step and of an option. */
enum { H_SCRIPT, H_VERSION, H_TITLE_UK, H_TITLE_EN, NHEADKEYS };
static const char *const head_keys[NHEADKEYS] = {"script", "version", "title.uk", "title.en"};

enum { K_KIND, K_TEXT_UK, K_TEXT_EN, K_HELP_UK, K_HELP_EN, K_REQUIRED, K_MIN, K_MAX, K_MAPS, K_SHOW_IF,
       K_SECTION_UK, K_SECTION_EN, NSTEPKEYS };
static const char *const step_keys[NSTEPKEYS] = {
	"kind", "text.uk", "text.en", "help.uk", "help.en", "required", "min", "max", "maps", "show if",
	"section.uk", "section.en",
};

enum { O_UK, O_EN, O_WEIGHT, O_EXCLUSIVE, NOPTKEYS };
static const char *const opt_keys[NOPTKEYS] = {"uk", "en", "weight", "exclusive"};

static int find_word(const char *const *list, size_t n, const char *w)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i], w) == 0)
			return (int)i;
	return -1;
}

/* ---- problems ---- */

void sc_diag(script *s, unsigned line, const char *fmt, ...)
{
	script_diags *d = s->diags;
	if (d->n >= SCRIPT_MAX_DIAGS) {
		if (!s->toomany_diags) {
			s->toomany_diags = 1;
			d->v = xrealloc(d->v, (d->n + 1) * sizeof *d->v);
			d->v[d->n++] = (script_diag){xstrdup(s->name), line,
				xasprintf(_("more than %d problems; the rest are not shown"), SCRIPT_MAX_DIAGS)};
		}
		return;
	}
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	d->v = xrealloc(d->v, (d->n + 1) * sizeof *d->v);
	d->v[d->n++] = (script_diag){xstrdup(s->name), line ? line : 1, xstrdup(msg)};
}

const char *sc_quote(script *s, const char *str)
{
	char *out = s->quotebuf[s->quotei++ % 4];
	size_t i = 0, chars = 0;
	while (str[i] && chars < 40) {
		size_t len = 1;
		while ((((unsigned char)str[i + len]) & 0xC0) == 0x80 && len < 4)
			len++;
		memcpy(out + i, str + i, len);
		i += len;
		chars++;
	}
	if (str[i])
		memcpy(out + i, "\xE2\x80\xA6", 3), i += 3;
	out[i] = '\0';
	return out;
}

/* Sort the problems from first onwards by line, keeping the order found
 * within a line (insertion sort: there are at most a few hundred). */
static void sort_diags(script_diags *d, size_t first)
{
	for (size_t i = first + 1; i < d->n; i++) {
		script_diag t = d->v[i];
		size_t j = i;
		while (j > first && d->v[j - 1].line > t.line) {
			d->v[j] = d->v[j - 1];
			j--;
		}
		d->v[j] = t;
	}
}

void script_diags_free(script_diags *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++) {
		free(d->v[i].file);
		free(d->v[i].msg);
	}
	free(d->v);
	d->v = NULL;
	d->n = 0;
}

/* ---- characters ---- */

/* Report the first invalid or control character of a line; 0 if clean. */
static int check_chars(script *s, const char *p, size_t n, unsigned line)
{
	unsigned col = 1, cp;
	for (size_t i = 0; i < n; col++) {
		int len = utf8_decode((const unsigned char *)p + i, n - i, &cp);
		if (len < 0) {
			sc_diag(s, line, _("invalid UTF-8 at column %u"), col);
			return -1;
		}
		if (cp != '\t' && (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F))) {
			sc_diag(s, line, _("control character U+%04X at column %u"), cp, col);
			return -1;
		}
		if (utf8_is_bidi_control(cp)) {
			sc_diag(s, line, _("bidirectional control character U+%04X at column %u"), cp, col);
			return -1;
		}
		i += (size_t)len;
	}
	return 0;
}

/* Characters (code points) in a valid UTF-8 string. */
static size_t nchars(const char *str)
{
	size_t n = 0;
	for (; *str; str++)
		n += (((unsigned char)*str) & 0xC0) != 0x80;
	return n;
}

static size_t col_of(const char *line, const char *at)
{
	size_t col = 1;
	for (const char *q = line; q < at; q++)
		col += (((unsigned char)*q) & 0xC0) != 0x80;
	return col;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* ---- ids and values ---- */

static int is_step_id(const char *id)
{
	size_t n = strlen(id);
	if (n == 0 || n > SCRIPT_MAX_ID || id[0] < 'a' || id[0] > 'z')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((id[i] >= 'a' && id[i] <= 'z') || (id[i] >= '0' && id[i] <= '9') || id[i] == '-' || id[i] == '_'))
			return 0;
	return 1;
}

static int is_option_code(const char *c)
{
	size_t n = strlen(c);
	if (n == 0 || n > SCRIPT_MAX_ID)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char ch = c[i];
		int alnum = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
		if (!alnum && (i == 0 || (ch != '-' && ch != '_' && ch != '+')))
			return 0;
	}
	return 1;
}

static int is_version(const char *v)
{
	size_t n = strlen(v);
	if (n == 0 || n > SCRIPT_MAX_ID)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((v[i] >= 'a' && v[i] <= 'z') || (v[i] >= 'A' && v[i] <= 'Z') ||
		      (v[i] >= '0' && v[i] <= '9') || v[i] == '.' || v[i] == '-' || v[i] == '_'))
			return 0;
	return 1;
}

static int is_reserved(const char *w)
{
	static const char *const words[] = {"and", "or", "not", "in", "has", "count", "score", "risk", "answered", "if"};
	return find_word(words, NELEM(words), w) >= 0;
}

/* yes/no: 1, 0, or -1 (and a problem reported). */
static int yes_no(script *s, unsigned line, const char *key, const char *v)
{
	if (strcmp(v, "yes") == 0)
		return 1;
	if (strcmp(v, "no") == 0)
		return 0;
	sc_diag(s, line, _("'%s' must be yes or no, not '%s'"), key, sc_quote(s, v));
	return -1;
}

/* ---- the reader's state ---- */

typedef struct reader {
	script *s;
	long step;   /* current step; -1 none; -2 one past the limit (ignored) */
	long opt;    /* current option; -1 none; -2 past the limit */
	int seen_block;
} reader;

/* Split off the next word of *p (space-separated); NULL at the end. The
 * word is NUL-terminated in place. */
static char *next_word(char **p)
{
	char *q = *p;
	while (is_space(*q))
		q++;
	if (!*q) {
		*p = q;
		return NULL;
	}
	char *w = q;
	while (*q && !is_space(*q))
		q++;
	if (*q)
		*q++ = '\0';
	*p = q;
	return w;
}

static char *skip_space(char *p)
{
	while (is_space(*p))
		p++;
	return p;
}

/* ---- steps and options ---- */

static void new_step(reader *r, const char *id, unsigned line, int bad)
{
	script *s = r->s;
	if (s->nsteps == s->capsteps) {
		s->capsteps = s->capsteps ? 2 * s->capsteps : 16;
		s->steps = xrealloc(s->steps, s->capsteps * sizeof *s->steps);
		s->x = xrealloc(s->x, s->capsteps * sizeof *s->x);
	}
	script_step *st = &s->steps[s->nsteps];
	sc_stepx *x = &s->x[s->nsteps];
	memset(st, 0, sizeof *st);
	memset(x, 0, sizeof *x);
	st->id = xstrdup(id);
	st->kind = SCRIPT_TEXT;
	st->column = -1;
	st->line = line;
	x->bad = bad;
	x->owns_opts = 1;
	r->step = (long)s->nsteps++;
	r->opt = -1;
}

static void step_line(reader *r, char *rest, unsigned line)
{
	script *s = r->s;
	char *id = next_word(&rest);
	r->seen_block = 1;
	if (s->nsteps >= SCRIPT_MAX_STEPS) {
		if (!s->toomany_steps)
			sc_diag(s, line, _("more than %d steps"), SCRIPT_MAX_STEPS);
		s->toomany_steps = 1;
		r->step = r->opt = -2;
		return;
	}
	if (!id) {
		sc_diag(s, line, _("'step' needs an id"));
		new_step(r, "", line, 1);
		return;
	}
	if (*skip_space(rest))
		sc_diag(s, line, _("unexpected text after the step id '%s'"), sc_quote(s, id));
	if (!is_step_id(id)) {
		sc_diag(s, line, _("bad step id '%s': use a lower-case letter, then letters, digits, '-' or '_' (at most %d)"),
		        sc_quote(s, id), SCRIPT_MAX_ID);
		new_step(r, "", line, 1);
		return;
	}
	if (is_reserved(id)) {
		sc_diag(s, line, _("step id '%s' is a reserved word"), id);
		new_step(r, "", line, 1);
		return;
	}
	long prev = script_step_index(s, id);
	if (prev >= 0)
		sc_diag(s, line, _("duplicate step id '%s' (first on line %u)"), id, s->steps[prev].line);
	new_step(r, id, line, 0);
}

static void option_line(reader *r, char *rest, unsigned line)
{
	script *s = r->s;
	if (r->step == -2)
		return;
	if (r->step < 0) {
		sc_diag(s, line, _("'option' outside a step: start the step with 'step ID'"));
		return;
	}
	script_step *st = &s->steps[r->step];
	sc_stepx *x = &s->x[r->step];
	char *code = next_word(&rest);
	r->opt = -2;
	if (!code) {
		sc_diag(s, line, _("'option' needs a code"));
		x->lost_option = 1;
		return;
	}
	if (*skip_space(rest))
		sc_diag(s, line, _("unexpected text after the option code '%s'"), sc_quote(s, code));
	if (!is_option_code(code)) {
		sc_diag(s, line, _("bad option code '%s': use letters, digits, '-', '_' or '+', starting with a letter or digit (at most %d)"),
		        sc_quote(s, code), SCRIPT_MAX_ID);
		x->lost_option = 1;
		return;
	}
	const script_option *dup = script_step_option(st, code);
	if (dup) {
		sc_diag(s, line, _("duplicate option '%s' in step '%s' (first on line %u)"), code, st->id,
		        x->optline[dup - st->opts]);
		return;
	}
	if (st->nopts >= SCRIPT_MAX_OPTIONS) {
		if (!x->toomany_opts)
			sc_diag(s, line, _("step '%s' has more than %d options"), st->id, SCRIPT_MAX_OPTIONS);
		x->toomany_opts = 1;
		return;
	}
	script_option *opts = xrealloc((void *)st->opts, (st->nopts + 1) * sizeof *opts);
	opts[st->nopts] = (script_option){xstrdup(code), NULL, NULL, 0, 0};
	st->opts = opts;
	x->optline = xrealloc(x->optline, (st->nopts + 1) * sizeof *x->optline);
	x->optkey = xrealloc(x->optkey, (st->nopts + 1) * sizeof *x->optkey);
	x->optline[st->nopts] = line;
	memset(x->optkey[st->nopts], 0, sizeof x->optkey[st->nopts]);
	r->opt = (long)st->nopts++;
}

/* ---- rules ---- */

static sc_rule *new_rule(script *s, sc_rule **v, size_t *n, unsigned line)
{
	if (*n >= SCRIPT_MAX_RULES) {
		if (!s->toomany_rules)
			sc_diag(s, line, _("more than %d rules of one kind"), SCRIPT_MAX_RULES);
		s->toomany_rules = 1;
		return NULL;
	}
	*v = xrealloc(*v, (*n + 1) * sizeof **v);
	sc_rule *rule = &(*v)[(*n)++];
	memset(rule, 0, sizeof *rule);
	rule->line = line;
	return rule;
}

/* Read "if CONDITION" at rest into *c (NULL when rest is empty).
 * Returns 0, or -1 if something else stands there (reported). */
static int rule_cond(script *s, char *line_start, char *rest, unsigned line, int is_risk, sc_cond **c)
{
	char *w = next_word(&rest);
	*c = NULL;
	if (!w)
		return 0;
	if (strcmp(w, "if") != 0) {
		if (is_risk == 2)
			sc_diag(s, line, _("expected 'if' after the queue rule's name, found '%s'"), sc_quote(s, w));
		else if (is_risk)
			sc_diag(s, line, _("expected 'if' after the risk level, found '%s'"), sc_quote(s, w));
		else
			sc_diag(s, line, _("expected 'if' after the service, found '%s'"), sc_quote(s, w));
		return -1;
	}
	rest = skip_space(rest);
	*c = sc_cond_parse(s, rest, line, (unsigned)col_of(line_start, rest));
	return 0;
}

static void risk_line(reader *r, char *line_start, char *rest, unsigned line)
{
	script *s = r->s;
	char *level = next_word(&rest);
	int lvl = -1;
	sc_cond *c;
	if (!level)
		sc_diag(s, line, _("'risk' needs a level and a condition: risk likely if CONDITION"));
	else if (strcmp(level, "possible") == 0)
		lvl = SCRIPT_RISK_POSSIBLE;
	else if (strcmp(level, "likely") == 0)
		lvl = SCRIPT_RISK_LIKELY;
	else
		sc_diag(s, line, _("the risk level of a rule must be possible or likely, not '%s'"), sc_quote(s, level));
	if (lvl < 0 || rule_cond(s, line_start, rest, line, 1, &c) < 0)
		return;
	if (!c) {
		sc_diag(s, line, _("a risk rule needs a condition: risk %s if CONDITION"), level);
		return;
	}
	sc_rule *rule = new_rule(s, &s->risk, &s->nrisk, line);
	if (!rule) {
		sc_cond_free(c);
		return;
	}
	rule->level = (script_risk)lvl;
	rule->cond = c;
}

/* "danger if CONDITION": when it holds, the screens show "danger now" on
 * every screen of the call, with the emergency referrals. */
static void danger_line(reader *r, char *line_start, char *rest, unsigned line)
{
	script *s = r->s;
	char *w = next_word(&rest);
	if (!w || strcmp(w, "if") != 0) {
		sc_diag(s, line, _("'danger' needs a condition: danger if CONDITION"));
		return;
	}
	rest = skip_space(rest);
	sc_cond *c = sc_cond_parse(s, rest, line, (unsigned)col_of(line_start, rest));
	sc_rule *rule = new_rule(s, &s->danger, &s->ndanger, line);
	if (!rule) {
		sc_cond_free(c);
		return;
	}
	rule->cond = c;
}

/* The shape of a directory id; whether the directory has it is checked
 * against a database by script_check_orgs. */
static int org_id_ok(const char *id)
{
	size_t n = strlen(id);
	return n >= 1 && n <= 40 && strchr("abcdefghijklmnopqrstuvwxyz0123456789", id[0]) &&
	       strspn(id, "abcdefghijklmnopqrstuvwxyz0123456789-") == n;
}

static void refer_line(reader *r, char *line_start, char *rest, unsigned line)
{
	script *s = r->s;
	char *org = next_word(&rest);
	char *service = org ? next_word(&rest) : NULL;
	sc_cond *c;
	int bad = 0;
	if (!service || strcmp(service, "if") == 0) {
		sc_diag(s, line, _("'refer' needs an organisation and a service: refer ORG SERVICE [if CONDITION]"));
		return;
	}
	if (!org_id_ok(org)) {
		sc_diag(s, line, _("'%s' is not an organisation id: use the directory's id, lower-case Latin letters, digits and '-'"),
		        sc_quote(s, org));
		bad = 1;
	}
	if (!orgs_code_valid(ORGS_SERVICE, service)) {
		sc_diag(s, line, _("unknown service '%s': use status, psychological, legal, medical, shelter, financial, employment, information, emergency, report or child-protection"),
		        sc_quote(s, service));
		bad = 1;
	}
	if (rule_cond(s, line_start, rest, line, 0, &c) < 0)
		return;
	sc_rule *rule = bad ? NULL : new_rule(s, &s->refer, &s->nrefer, line);
	if (!rule) {
		sc_cond_free(c);
		return;
	}
	rule->org = xstrdup(org);
	rule->service = xstrdup(service);
	rule->cond = c;
}

/* "queue CODE if CONDITION": the call enters the supervisors' high-risk
 * queue when the condition holds; CODE names the rule on the desk. */
static void queue_line(reader *r, char *line_start, char *rest, unsigned line)
{
	script *s = r->s;
	char *code = next_word(&rest);
	sc_cond *c;
	if (!code || strcmp(code, "if") == 0) {
		sc_diag(s, line, _("'queue' needs a name and a condition: queue NAME if CONDITION"));
		return;
	}
	if (!org_id_ok(code)) {
		sc_diag(s, line, _("'%s' is not a queue rule name: use lower-case Latin letters, digits and '-'"), sc_quote(s, code));
		return;
	}
	if (rule_cond(s, line_start, rest, line, 2, &c) < 0)
		return;
	if (!c) {
		sc_diag(s, line, _("a queue rule needs a condition: queue %s if CONDITION"), code);
		return;
	}
	sc_rule *rule = new_rule(s, &s->queue, &s->nqueue, line);
	if (!rule) {
		sc_cond_free(c);
		return;
	}
	rule->org = xstrdup(code);
	rule->cond = c;
}

/* ---- keys ---- */

static int dup_key(script *s, unsigned *seen, const char *key, unsigned line)
{
	if (*seen) {
		sc_diag(s, line, _("duplicate key '%s' (first on line %u)"), key, *seen);
		return 1;
	}
	*seen = line;
	return 0;
}

static void header_key(reader *r, int k, const char *key, const char *v, unsigned line)
{
	script *s = r->s;
	if (r->seen_block) {
		sc_diag(s, line, _("'%s' belongs in the header, before the first step"), key);
		return;
	}
	if (dup_key(s, &s->headline[k], key, line))
		return;
	if (k == H_SCRIPT && !is_step_id(v))
		sc_diag(s, line, _("bad script id '%s': use a lower-case letter, then letters, digits, '-' or '_' (at most %d)"),
		        sc_quote(s, v), SCRIPT_MAX_ID);
	else if (k == H_VERSION && !is_version(v))
		sc_diag(s, line, _("bad version '%s': use letters, digits, '.', '-' or '_' (at most %d)"),
		        sc_quote(s, v), SCRIPT_MAX_ID);
	char **field[NHEADKEYS] = {&s->id, &s->version, &s->title_uk, &s->title_en};
	*field[k] = xstrdup(v);
}

static void number_key(script *s, long long *out, const char *key, const char *v, unsigned line)
{
	if (sc_parse_int(v, out) < 0)
		sc_diag(s, line, _("'%s' must be a whole number, not '%s'"), key, sc_quote(s, v));
}

static void step_key(reader *r, int k, const char *v, unsigned line, unsigned vcol)
{
	script *s = r->s;
	script_step *st = &s->steps[r->step];
	sc_stepx *x = &s->x[r->step];
	int kind, col;
	if (dup_key(s, &x->keyline[k], step_keys[k], line))
		return;
	switch (k) {
	case K_KIND:
		kind = find_word(kind_names, SCRIPT_NKINDS, v);
		if (kind < 0)
			sc_diag(s, line, _("unknown kind '%s': use single, multi, yesno, number, text, notes, raion or country"),
			        sc_quote(s, v));
		else
			st->kind = (script_kind)kind, x->kind_ok = 1;
		break;
	case K_TEXT_UK: st->text_uk = xstrdup(v); break;
	case K_TEXT_EN: st->text_en = xstrdup(v); break;
	case K_HELP_UK: st->help_uk = xstrdup(v); break;
	case K_HELP_EN: st->help_en = xstrdup(v); break;
	case K_SECTION_UK: st->section_uk = xstrdup(v); break;
	case K_SECTION_EN: st->section_en = xstrdup(v); break;
	case K_REQUIRED: st->required = yes_no(s, line, "required", v) == 1; break;
	case K_MIN: number_key(s, &st->min, "min", v, line); break;
	case K_MAX: number_key(s, &st->max, "max", v, line); break;
	case K_MAPS:
		col = col_parse(v);
		if (col < 0)
			sc_diag(s, line, _("unknown column '%s': use topic, caller_role, gender, age_band, raion, country, language, heard_from, outcome, callback or notes"),
			        sc_quote(s, v));
		st->column = col;
		break;
	case K_SHOW_IF:
		x->cond = sc_cond_parse(s, v, line, vcol);
		st->has_condition = 1;
		break;
	}
}

static void option_key(reader *r, int k, const char *v, unsigned line)
{
	script *s = r->s;
	script_step *st = &s->steps[r->step];
	sc_stepx *x = &s->x[r->step];
	script_option *o = (script_option *)&st->opts[r->opt];
	long long w;
	if (dup_key(s, &x->optkey[r->opt][k], opt_keys[k], line))
		return;
	switch (k) {
	case O_UK: o->uk = xstrdup(v); break;
	case O_EN: o->en = xstrdup(v); break;
	case O_WEIGHT:
		if (sc_parse_int(v, &w) < 0 || w < -100 || w > 100)
			sc_diag(s, line, _("'weight' must be a whole number from -100 to 100, not '%s'"), sc_quote(s, v));
		else
			o->weight = (int)w;
		break;
	case O_EXCLUSIVE: o->exclusive = yes_no(s, line, "exclusive", v) == 1; break;
	}
}

static void key_line(reader *r, const char *key, const char *v, unsigned line, unsigned vcol)
{
	script *s = r->s;
	int h = find_word(head_keys, NHEADKEYS, key);
	int k = find_word(step_keys, NSTEPKEYS, key);
	int o = find_word(opt_keys, NOPTKEYS, key);
	if (r->step == -2)
		return;
	if (h < 0 && k < 0 && o < 0) {
		sc_diag(s, line, _("unknown key '%s'"), sc_quote(s, key));
		return;
	}
	if (!*v) {
		sc_diag(s, line, _("key '%s' has no value"), key);
		return;
	}
	if (h >= 0) {
		header_key(r, h, key, v, line);
	} else if (r->step < 0) {
		sc_diag(s, line, _("'%s' outside a step: start the step with 'step ID'"), key);
	} else if (k >= 0) {
		step_key(r, k, v, line, vcol);
	} else if (r->opt == -1) {
		sc_diag(s, line, _("'%s' belongs to an option: put it after an 'option CODE' line"), key);
	} else if (r->opt >= 0) {
		option_key(r, o, v, line);
	}
}

/* Collapse the runs of blanks of a key ("show   if") into one space. */
static void collapse_blanks(char *key)
{
	char *w = key;
	for (char *q = key; *q; q++) {
		if (is_space(*q) && (w == key || w[-1] == ' '))
			continue;
		*w++ = is_space(*q) ? ' ' : *q;
	}
	while (w > key && w[-1] == ' ')
		w--;
	*w = '\0';
}

/* A line starting with a keyword (word is its first word, rest what
 * follows); 0 if word is no keyword. */
static int keyword_line(reader *r, char *l, const char *word, char *rest, unsigned line)
{
	if (strcmp(word, "step") == 0) {
		step_line(r, rest, line);
	} else if (strcmp(word, "option") == 0) {
		option_line(r, rest, line);
	} else if (strcmp(word, "risk") == 0 || strcmp(word, "refer") == 0 || strcmp(word, "queue") == 0 ||
	           strcmp(word, "danger") == 0) {
		r->step = r->opt = -1;
		r->seen_block = 1;
		if (strcmp(word, "risk") == 0)
			risk_line(r, l, rest, line);
		else if (strcmp(word, "danger") == 0)
			danger_line(r, l, rest, line);
		else if (strcmp(word, "queue") == 0)
			queue_line(r, l, rest, line);
		else
			refer_line(r, l, rest, line);
	} else {
		return 0;
	}
	return 1;
}

/* One logical line (continuations joined), NUL-terminated and writable. */
static void process_line(reader *r, char *l, unsigned line)
{
	script *s = r->s;
	char *p = skip_space(l);
	char *end = p + strlen(p);
	while (end > p && is_space(end[-1]))
		*--end = '\0';
	if (!*p || *p == '#')
		return;
	s->content_lines++;
	size_t wl = strcspn(p, " \t:");
	if (p[wl] != ':') {
		char saved = p[wl];
		p[wl] = '\0';
		if (keyword_line(r, l, p, saved ? p + wl + 1 : p + wl, line))
			return;
		p[wl] = saved;
	}
	char *colon = strchr(p, ':');
	if (!colon) {
		sc_diag(s, line, _("expected 'key: value', or a line starting with step, option, risk, refer or queue"));
		return;
	}
	*colon = '\0';
	char *v = skip_space(colon + 1);
	collapse_blanks(p);
	key_line(r, p, v, line, (unsigned)col_of(l, v));
}

/* ---- lines ---- */

static int blank_or_comment(const char *p, size_t n)
{
	size_t i = 0;
	while (i < n && is_space(p[i]))
		i++;
	return i == n || p[i] == '#';
}

typedef struct joiner {
	dv_buf buf;
	unsigned line; /* first line of the logical line; 0: none pending */
	int skip;      /* dropping the rest of a refused continued line */
} joiner;

static void flush(reader *r, joiner *j)
{
	if (j->line) {
		dv_buf_add(&j->buf, "", 0);
		process_line(r, j->buf.s, j->line);
	}
	j->line = 0;
	j->buf.len = 0;
}

/* 1 if the n bytes at p end with a backslash (before trailing blanks). */
static int continues(const char *p, size_t n)
{
	while (n && is_space(p[n - 1]))
		n--;
	return n && p[n - 1] == '\\';
}

/* Drop the logical line being read; if this physical line continues, drop
 * the lines that continue it too. */
static void refuse(reader *r, joiner *j, const char *p, size_t n)
{
	j->line = 0;
	j->buf.len = 0;
	j->skip = continues(p, n);
	if (r->step >= 0)
		r->s->x[r->step].lost_line = 1;
}

/* One physical line: check it, then join or process it. */
static void physical_line(reader *r, joiner *j, const char *p, size_t n, unsigned line)
{
	script *s = r->s;
	if (n && p[n - 1] == '\r')
		n--;
	if (j->skip) {
		j->skip = continues(p, n);
		return;
	}
	if (n > SCRIPT_MAX_LINE)
		sc_diag(s, line, _("line is longer than %d bytes"), SCRIPT_MAX_LINE);
	if (n > SCRIPT_MAX_LINE || check_chars(s, p, n, line) < 0) {
		refuse(r, j, p, n);
		return;
	}
	if (!j->line && blank_or_comment(p, n))
		return;
	int more = continues(p, n);
	if (more) {
		/* the backslash and the blanks around it become one space */
		while (is_space(p[n - 1]))
			n--;
		n--;
		while (n && is_space(p[n - 1]))
			n--;
	}
	if (j->line) {
		while (n && is_space(*p))
			p++, n--;
		dv_buf_addc(&j->buf, ' ');
	} else {
		j->line = line;
		j->buf.len = 0;
	}
	dv_buf_add(&j->buf, p, n);
	if (j->buf.len > MAX_JOINED) {
		sc_diag(s, j->line, _("continued line is longer than %d bytes"), MAX_JOINED);
		refuse(r, j, "", 0);
		j->skip = more;
		return;
	}
	if (!more)
		flush(r, j);
}

static void read_text(reader *r, const char *text, size_t len)
{
	joiner j = {{0}, 0, 0};
	size_t pos = 0;
	unsigned line = 0;
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		pos = 3;
	while (pos < len) {
		const char *p = text + pos;
		const char *nl = memchr(p, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - p) : len - pos;
		pos += n + (nl != NULL);
		physical_line(r, &j, p, n, ++line);
	}
	flush(r, &j);
	dv_buf_free(&j.buf);
}

/* ---- the checks of each step ---- */

static unsigned key_or_step_line(const script *s, size_t i, int k)
{
	return s->x[i].keyline[k] ? s->x[i].keyline[k] : s->steps[i].line;
}

/* A step without a section belongs to the section of the step before it. */
static void inherit_sections(script *s)
{
	for (size_t i = 1; i < s->nsteps; i++) {
		script_step *st = &s->steps[i], *prev = &s->steps[i - 1];
		if (st->section_uk || st->section_en || !prev->section_uk || !prev->section_en)
			continue;
		st->section_uk = xstrdup(prev->section_uk);
		st->section_en = xstrdup(prev->section_en);
	}
}

static void check_texts(script *s, size_t i)
{
	script_step *st = &s->steps[i];
	if (s->x[i].lost_line)
		return;
	if (!st->text_uk)
		sc_diag(s, st->line, _("step '%s' has no Ukrainian text (text.uk)"), st->id);
	if (!st->text_en)
		sc_diag(s, st->line, _("step '%s' has no English text (text.en)"), st->id);
	if (st->help_uk && !st->help_en)
		sc_diag(s, st->line, _("step '%s' has help in Ukrainian only: add help.en"), st->id);
	if (st->help_en && !st->help_uk)
		sc_diag(s, st->line, _("step '%s' has help in English only: add help.uk"), st->id);
	if (!st->section_uk != !st->section_en)
		sc_diag(s, st->line, _("step '%s' names its section in one language only: give section.uk and section.en"), st->id);
	for (int k = K_SECTION_UK; k <= K_SECTION_EN; k++) {
		const char *sec = k == K_SECTION_UK ? st->section_uk : st->section_en;
		if (sec && nchars(sec) > SCRIPT_MAX_SECTION)
			sc_diag(s, key_or_step_line(s, i, k), _("'%s' of step '%s' is longer than %d characters"),
			        step_keys[k], st->id, SCRIPT_MAX_SECTION);
	}
	const char *texts[] = {st->text_uk, st->text_en, st->help_uk, st->help_en};
	for (int t = 0; t < 4; t++) {
		size_t max = t < 2 ? SCRIPT_MAX_TEXT : SCRIPT_MAX_HELP;
		if (texts[t] && nchars(texts[t]) > max)
			sc_diag(s, key_or_step_line(s, i, K_TEXT_UK + t), _("'%s' of step '%s' is longer than %zu characters"),
			        step_keys[K_TEXT_UK + t], st->id, max);
	}
}

static void check_options(script *s, size_t i)
{
	script_step *st = &s->steps[i];
	sc_stepx *x = &s->x[i];
	for (size_t o = 0; o < st->nopts && !x->lost_line; o++) {
		const script_option *op = &st->opts[o];
		if (!op->uk)
			sc_diag(s, x->optline[o], _("option '%s' of step '%s' has no Ukrainian label (uk)"), op->code, st->id);
		if (!op->en)
			sc_diag(s, x->optline[o], _("option '%s' of step '%s' has no English label (en)"), op->code, st->id);
		if ((op->uk && nchars(op->uk) > SCRIPT_MAX_LABEL) || (op->en && nchars(op->en) > SCRIPT_MAX_LABEL))
			sc_diag(s, x->optline[o], _("a label of option '%s' of step '%s' is longer than %d characters"),
			        op->code, st->id, SCRIPT_MAX_LABEL);
		if (op->exclusive && st->kind != SCRIPT_MULTI)
			sc_diag(s, x->optkey[o][O_EXCLUSIVE], _("'exclusive' is only for options of multi steps"));
	}
}

static void check_kind(script *s, size_t i)
{
	script_step *st = &s->steps[i];
	sc_stepx *x = &s->x[i];
	const char *kind = kind_names[st->kind];
	if (st->kind == SCRIPT_SINGLE && st->nopts < 2 && !x->lost_option)
		sc_diag(s, st->line, _("step '%s' is a single step and needs at least two options"), st->id);
	if (st->kind == SCRIPT_MULTI && st->nopts < 1 && !x->lost_option)
		sc_diag(s, st->line, _("step '%s' is a multi step and needs at least one option"), st->id);
	if (st->kind != SCRIPT_SINGLE && st->kind != SCRIPT_MULTI && st->nopts)
		sc_diag(s, x->optline[0], _("step '%s' is a %s step and cannot have options"), st->id, kind);
	for (int k = K_MIN; k <= K_MAX; k++)
		if (x->keyline[k] && st->kind != SCRIPT_NUMBER)
			sc_diag(s, x->keyline[k], _("'%s' is only for number steps"), step_keys[k]);
	if (st->kind == SCRIPT_NUMBER) {
		if (!x->keyline[K_MIN])
			st->min = 0;
		if (!x->keyline[K_MAX])
			st->max = 1000000000;
		if (st->min > st->max)
			sc_diag(s, x->keyline[K_MAX] ? x->keyline[K_MAX] : x->keyline[K_MIN],
			        _("step '%s': min is greater than max"), st->id);
	} else {
		st->min = st->max = 0;
	}
}

static void check_column(script *s, size_t i, long mapped_by[COL_NCOLS])
{
	script_step *st = &s->steps[i];
	sc_stepx *x = &s->x[i];
	unsigned line = x->keyline[K_MAPS];
	if (st->column < 0)
		return;
	const char *name = col_name((call_col)st->column);
	col_shape shape = col_shape_of((call_col)st->column);
	const struct shape_rule *rule = &shape_rules[shape];
	if (mapped_by[st->column] >= 0) {
		const script_step *first = &s->steps[mapped_by[st->column]];
		sc_diag(s, line, _("column '%s' is already mapped by step '%s' (line %u)"), name, first->id, first->line);
		return;
	}
	mapped_by[st->column] = (long)i;
	if (!(rule->kinds & KIND(st->kind))) {
		sc_diag(s, line, _("step '%s' is a %s step and cannot map onto column '%s', which needs %s"),
		        st->id, kind_names[st->kind], name, _(rule->needs));
		return;
	}
	places_table t = shape == COL_SHAPE_AREA ? PLACES_AREAS : PLACES_COUNTRIES;
	if (st->kind != SCRIPT_SINGLE || (shape != COL_SHAPE_AREA && shape != COL_SHAPE_COUNTRY))
		return;
	for (size_t o = 0; o < st->nopts; o++)
		if (!places_find(t, st->opts[o].code))
			sc_diag(s, x->optline[o], t == PLACES_AREAS
			        ? _("option '%s' is not an area code, as column 'raion' needs")
			        : _("option '%s' is not a country code, as column 'country' needs"), st->opts[o].code);
}

/* yesno, raion and country steps get their options from tables. */
static void table_options(script *s, size_t i)
{
	script_step *st = &s->steps[i];
	const script_option *opts = NULL;
	size_t n = 0;
	if (st->kind == SCRIPT_YESNO)
		opts = s->yesno, n = 2;
	else if (st->kind == SCRIPT_RAION)
		opts = s->areas, n = s->nareas;
	else if (st->kind == SCRIPT_COUNTRY)
		opts = s->countries, n = s->ncountries;
	else
		return;
	if (st->nopts)
		return; /* reported by check_kind; keep them to free */
	st->opts = opts;
	st->nopts = n;
	s->x[i].owns_opts = 0;
}

static script_option *options_of_places(places_table t, size_t *n)
{
	*n = places_count(t);
	script_option *v = xcalloc(*n, sizeof *v);
	for (size_t i = 0; i < *n; i++) {
		const place *p = places_at(t, i);
		v[i] = (script_option){p->code, p->uk, p->en, 0, 0};
	}
	return v;
}

static void check_header(script *s)
{
	if (!s->headline[H_SCRIPT])
		sc_diag(s, 1, _("missing header 'script: ID' (the script's id)"));
	if (!s->headline[H_VERSION])
		sc_diag(s, 1, _("missing header 'version: VERSION'"));
	if (s->title_uk && !s->title_en)
		sc_diag(s, s->headline[H_TITLE_UK], _("the title is in Ukrainian only: add title.en"));
	if (s->title_en && !s->title_uk)
		sc_diag(s, s->headline[H_TITLE_EN], _("the title is in English only: add title.uk"));
	if (s->nsteps == 0)
		sc_diag(s, 1, _("the script has no steps"));
}

static void check_all(script *s)
{
	long mapped_by[COL_NCOLS];
	for (int c = 0; c < COL_NCOLS; c++)
		mapped_by[c] = -1;
	check_header(s);
	for (size_t i = 0; i < s->nsteps; i++) {
		if (s->x[i].bad)
			continue;
		if (!s->x[i].keyline[K_KIND])
			sc_diag(s, s->steps[i].line, _("step '%s' has no kind"), s->steps[i].id);
		check_texts(s, i);
		if (!s->x[i].kind_ok)
			continue;
		check_options(s, i);
		check_kind(s, i);
		check_column(s, i, mapped_by);
	}
	inherit_sections(s);
	for (size_t i = 0; i < s->nsteps; i++)
		table_options(s, i);
	for (size_t i = 0; i < s->nsteps; i++)
		sc_cond_resolve(s, s->x[i].cond, CTX_SHOW, (long)i);
	for (size_t i = 0; i < s->nrisk; i++)
		sc_cond_resolve(s, s->risk[i].cond, CTX_RISK, -1);
	for (size_t i = 0; i < s->nrefer; i++)
		sc_cond_resolve(s, s->refer[i].cond, CTX_REFER, -1);
	for (size_t i = 0; i < s->ndanger; i++)
		sc_cond_resolve(s, s->danger[i].cond, CTX_REFER, -1);
	for (size_t i = 0; i < s->nqueue; i++)
		sc_cond_resolve(s, s->queue[i].cond, CTX_REFER, -1);
	sc_check(s);
}

/* ---- loading ---- */

static script *script_new(const char *name)
{
	script *s = xcalloc(1, sizeof *s);
	s->name = xstrdup(name ? name : "-");
	s->yesno[0] = (script_option){"yes", "Так", "Yes", 0, 0};
	s->yesno[1] = (script_option){"no", "Ні", "No", 0, 0};
	s->areas = options_of_places(PLACES_AREAS, &s->nareas);
	s->countries = options_of_places(PLACES_COUNTRIES, &s->ncountries);
	return s;
}

int script_parse(const char *name, const char *text, size_t len, script **out, script_diags *diags)
{
	script_diags local = {0};
	script_diags *d = diags ? diags : &local;
	size_t first = d->n;
	script *s = script_new(name);
	reader r = {s, -1, -1, 0};
	s->diags = d;
	if (len > SCRIPT_MAX_FILE)
		sc_diag(s, 1, _("the file is larger than %d bytes"), SCRIPT_MAX_FILE);
	else
		read_text(&r, text ? text : "", text ? len : 0);
	if (len <= SCRIPT_MAX_FILE && s->content_lines == 0 && d->n == first)
		sc_diag(s, 1, _("the file is empty"));
	else if (len <= SCRIPT_MAX_FILE && s->content_lines)
		check_all(s);
	sort_diags(d, first);
	s->diags = NULL;
	int failed = d->n > first;
	script_diags_free(&local);
	if (failed) {
		script_free(s);
		*out = NULL;
		return DV_EINVAL;
	}
	*out = s;
	return DV_OK;
}

int script_load(const char *path, script **out, script_diags *diags, dv_error *e)
{
	*out = NULL;
	FILE *f = fopen(path, "rb");
	if (!f) {
		int err = errno;
		return dv_fail(e, err == ENOENT ? DV_ENOTFOUND : DV_EIO, _("cannot open %s: %s"), path, strerror(err));
	}
	dv_buf b = {0};
	/* Past the limit the parser reports the size as a problem of the file. */
	int err = dv_buf_read(&b, f, SCRIPT_MAX_FILE) < 0 ? errno : 0;
	fclose(f);
	if (err) {
		dv_buf_free(&b);
		return dv_fail(e, DV_EIO, _("cannot read %s: %s"), path, strerror(err));
	}
	int rc = script_parse(path, b.s, b.len, out, diags);
	dv_buf_free(&b);
	return rc;
}

static void free_opts(script_step *st, sc_stepx *x)
{
	if (!x->owns_opts)
		return;
	for (size_t o = 0; o < st->nopts; o++) {
		free((char *)st->opts[o].code);
		free((char *)st->opts[o].uk);
		free((char *)st->opts[o].en);
	}
	free((void *)st->opts);
}

static void free_step(script_step *st, sc_stepx *x)
{
	free((char *)st->id);
	free((char *)st->text_uk);
	free((char *)st->text_en);
	free((char *)st->help_uk);
	free((char *)st->help_en);
	free((char *)st->section_uk);
	free((char *)st->section_en);
	free_opts(st, x);
	free(x->optline);
	free(x->optkey);
	sc_cond_free(x->cond);
}

static void free_rules(sc_rule *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].org);
		free(v[i].service);
		sc_cond_free(v[i].cond);
	}
	free(v);
}

void script_free(script *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nsteps; i++)
		free_step(&s->steps[i], &s->x[i]);
	free(s->steps);
	free(s->x);
	free_rules(s->risk, s->nrisk);
	free_rules(s->refer, s->nrefer);
	free_rules(s->danger, s->ndanger);
	free_rules(s->queue, s->nqueue);
	free(s->areas);
	free(s->countries);
	free(s->name);
	free(s->id);
	free(s->version);
	free(s->title_uk);
	free(s->title_en);
	free(s);
}

/* ---- accessors ---- */

const char *script_id(const script *s)
{
	return s->id;
}

const char *script_version(const script *s)
{
	return s->version;
}

const char *script_title(const script *s)
{
	return s->title_uk || s->title_en ? i18n_pick(s->title_uk, s->title_en) : NULL;
}

size_t script_nsteps(const script *s)
{
	return s->nsteps;
}

size_t script_nrisk_rules(const script *s)
{
	return s->nrisk;
}

size_t script_nqueue_rules(const script *s)
{
	return s->nqueue;
}

size_t script_nrefer_rules(const script *s)
{
	return s->nrefer;
}

size_t script_ndanger_rules(const script *s)
{
	return s->ndanger;
}

const script_step *script_step_at(const script *s, size_t i)
{
	return i < s->nsteps ? &s->steps[i] : NULL;
}

long script_step_index(const script *s, const char *id)
{
	if (!id || !*id)
		return -1;
	for (size_t i = 0; i < s->nsteps; i++)
		if (strcmp(s->steps[i].id, id) == 0)
			return (long)i;
	return -1;
}

const script_option *script_step_option(const script_step *st, const char *code)
{
	if (!code)
		return NULL;
	for (size_t i = 0; i < st->nopts; i++)
		if (strcmp(st->opts[i].code, code) == 0)
			return &st->opts[i];
	return NULL;
}

const char *script_step_text(const script_step *st)
{
	return i18n_pick(st->text_uk, st->text_en);
}

const char *script_step_section(const script_step *st)
{
	return st->section_uk && st->section_en ? i18n_pick(st->section_uk, st->section_en) : NULL;
}

const char *script_step_help(const script_step *st)
{
	return st->help_uk || st->help_en ? i18n_pick(st->help_uk, st->help_en) : NULL;
}

const char *script_option_label(const script_option *o)
{
	return i18n_pick(o->uk, o->en);
}

const char *script_kind_name(script_kind k)
{
	return (unsigned)k < SCRIPT_NKINDS ? kind_names[k] : NULL;
}

const char *script_risk_name(script_risk r)
{
	static const char *const names[] = {"none", "possible", "likely"};
	return (unsigned)r <= SCRIPT_RISK_LIKELY ? names[r] : NULL;
}

const char *script_risk_label(script_risk r)
{
	static const char *const labels[] = {N_("no signs noted"), N_("possible trafficking"),
		N_("likely trafficking")};
	return (unsigned)r <= SCRIPT_RISK_LIKELY ? _(labels[r]) : NULL;
}

/* 1 if the space-separated list has the word w. */
static int list_has(const char *list, const char *w)
{
	size_t n = strlen(w);
	for (const char *p = list; p && *p;) {
		p += strspn(p, " ");
		size_t k = strcspn(p, " ");
		if (k == n && strncmp(p, w, n) == 0)
			return 1;
		p += k;
	}
	return 0;
}

static void add_diag(script_diags *d, const script *s, unsigned line, char *msg)
{
	d->v = xrealloc(d->v, (d->n + 1) * sizeof *d->v);
	d->v[d->n++] = (script_diag){xstrdup(s->name), line, msg};
}

int script_check_orgs(const script *s, char *(*services_of)(const char *id, void *arg), void *arg,
		      script_diags *diags)
{
	int bad = 0;
	for (size_t i = 0; i < s->nrefer; i++) {
		const sc_rule *r = &s->refer[i];
		char *svc = services_of(r->org, arg);
		if (svc && strcmp(svc, "*") == 0) {
			free(svc);
			continue;
		}
		if (!svc) {
			bad++;
			add_diag(diags, s, r->line,
				 xasprintf(_("unknown organisation '%s': the directory has no entry with this id"), r->org));
		} else if (!list_has(svc, r->service)) {
			bad++;
			add_diag(diags, s, r->line,
				 xasprintf(_("organisation '%s' does not offer the service '%s' in the directory (it offers: %s)"),
					   r->org, r->service, *svc ? svc : _("none listed")));
		}
		free(svc);
	}
	return bad;
}

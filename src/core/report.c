/* report.c: the ten tables of the oblast's statistics.
 *
 * Each table is a list of blocks; each block is described by a spec (what
 * its rows and columns are, which counts it reads) and filled from the
 * counts per day and per month that triggers keep in report_days
 * (schema_reportagg.h): a period reads its whole months from the monthly
 * rows and its odd days at either end from the daily ones, each part in
 * its own short read. Multiple-choice answers are counted as stored
 * (comma-separated codes); they are split here and counted once per
 * option. Codes take the labels of the script version that recorded
 * them. A call finished while a table is read may be counted by one
 * block and not yet by another.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbi.h"
#include "report_int.h"
#include "dovira/desk.h"
#include "dovira/i18n.h"
#include "dovira/places.h"
#include "dovira/staff.h"

/* ---- levels, formats ---- */

static const char *const level_names[] = {"internal", "department", "public"};
static const char *const format_names[] = {"text", "csv", "json"};

const char *report_level_name(report_level l)
{
	return (unsigned)l < 3 ? level_names[l] : NULL;
}

int report_level_parse(const char *name)
{
	for (int i = 0; name && i < 3; i++)
		if (strcmp(name, level_names[i]) == 0)
			return i;
	return -1;
}

const char *report_format_name(report_format f)
{
	return (unsigned)f < 3 ? format_names[f] : NULL;
}

int report_format_parse(const char *name)
{
	for (int i = 0; name && i < 3; i++)
		if (strcmp(name, format_names[i]) == 0)
			return i;
	return -1;
}

/* ---- accumulating counts ---- */

void acc_add(acc *a, const char *row, const char *col, const char *ver, const char *label, long n)
{
	if (a->n == a->cap) {
		a->cap = a->cap ? 2 * a->cap : 64;
		a->t = xrealloc(a->t, a->cap * sizeof *a->t);
	}
	a->t[a->n++] = (trip){xstrdup(row ? row : ""), xstrdup(col ? col : ""), xstrdup(ver ? ver : ""),
			      label ? xstrdup(label) : NULL, n};
}

void acc_free(acc *a)
{
	for (size_t i = 0; i < a->n; i++) {
		free(a->t[i].row);
		free(a->t[i].col);
		free(a->t[i].ver);
		free(a->t[i].label);
	}
	free(a->t);
	memset(a, 0, sizeof *a);
}

/* ---- labels by script version ---- */

/* The loaded script of this version, or NULL. */
static const script *script_of(const report_ctx *x, const char *ver)
{
	for (size_t i = 0; ver && i < x->q->nscripts; i++)
		if (strcmp(script_version(x->q->scripts[i]), ver) == 0)
			return x->q->scripts[i];
	for (size_t i = 0; ver && i < x->nown; i++)
		if (strcmp(script_version(x->own[i]), ver) == 0)
			return x->own[i];
	return NULL;
}

/* The newest loaded script among the versions recorded in the period, or
 * the newest loaded one. */
static const script *newest_script(const report_ctx *x)
{
	const script *best = NULL;
	for (size_t i = 0; i < x->nversions; i++) {
		const script *s = script_of(x, x->versions[i]);
		if (s && (!best || strcmp(script_version(s), script_version(best)) > 0))
			best = s;
	}
	for (size_t i = 0; !best && i < x->q->nscripts; i++)
		if (!best || strcmp(script_version(x->q->scripts[i]), script_version(best)) > 0)
			best = x->q->scripts[i];
	return best;
}

static const script_option *option_in(const script *s, const char *step, const char *code)
{
	long i = s ? script_step_index(s, step) : -1;
	return i >= 0 ? script_step_option(script_step_at(s, (size_t)i), code) : NULL;
}

const script_step *report_step_newest(const report_ctx *x, const char *step)
{
	const script *best = NULL;
	for (int pass = 0; pass < 2; pass++) {
		size_t n = pass ? x->nown : x->q->nscripts;
		for (size_t i = 0; i < n; i++) {
			const script *s = pass ? x->own[i] : x->q->scripts[i];
			if (script_step_index(s, step) >= 0 && (!best || strcmp(script_version(s), script_version(best)) > 0))
				best = s;
		}
	}
	return best ? script_step_at(best, (size_t)script_step_index(best, step)) : NULL;
}

/* The label of an option of an older step ("step:code", rows of codes
 * that did not map to the current ones), from any script that has it. */
static const char *old_option_label(const report_ctx *x, const char *ver, const char *stepcode)
{
	const char *colon = strchr(stepcode, ':');
	if (!colon || colon - stepcode >= 64)
		return NULL;
	char step[64];
	snprintf(step, sizeof step, "%.*s", (int)(colon - stepcode), stepcode);
	const script_option *o = option_in(script_of(x, ver), step, colon + 1);
	for (size_t i = 0; !o && i < x->q->nscripts; i++)
		o = option_in(x->q->scripts[i], step, colon + 1);
	for (size_t i = 0; !o && i < x->nown; i++)
		o = option_in(x->own[i], step, colon + 1);
	return o ? script_option_label(o) : NULL;
}

/* ---- dimensions: where a block's row and column codes come from ---- */

static const char *fixed_label(const dim *d, const char *code)
{
	for (const fixed_code *f = d->fixed; f && f->code; f++)
		if (strcmp(f->code, code) == 0)
			return _(f->label);
	return NULL;
}

/* The label of code on dimension d, recorded under version ver. */
static char *label_of(const report_ctx *x, const dim *d, const char *code, const char *ver, const char *sql_label)
{
	if (!*code)
		return xstrdup(_("not answered"));
	if (sql_label) {
		/* "name_uk \x1f name_en \x1f detail" from the directory */
		const char *a = strchr(sql_label, 0x1f), *b = a ? strchr(a + 1, 0x1f) : NULL;
		if (!b)
			return xstrdup(sql_label);
		char *uk = xstrndup(sql_label, (size_t)(a - sql_label)), *en = xstrndup(a + 1, (size_t)(b - a - 1));
		char *r = xasprintf("%s: %s", i18n_pick(uk, en), b + 1);
		free(uk);
		free(en);
		return r;
	}
	if (strcmp(code, "UA-occupied") == 0)
		return xstrdup(_("Ukraine: occupied territory"));
	const char *l = NULL;
	if (d->kind == DIM_STEP) {
		const script_option *o = option_in(script_of(x, ver), d->step, code);
		if (!o)
			o = option_in(newest_script(x), d->step, code);
		l = o ? script_option_label(o) : NULL;
		if (!l && (l = old_option_label(x, ver, code)) != NULL)
			return xasprintf("%s (%s)", l, code);
	} else if (d->kind == DIM_FIXED) {
		l = fixed_label(d, code);
	} else if (d->kind == DIM_AREA || d->kind == DIM_COUNTRY) {
		const place *p = places_find(d->kind == DIM_AREA ? PLACES_AREAS : PLACES_COUNTRIES, code);
		l = p ? place_name(p) : NULL;
	}
	return xstrdup(l ? l : code);
}

typedef struct keys {
	char **code, **label;
	char **ver; /* the newest version that recorded the code, for its label */
	size_t n;
} keys;

static long keys_find(const keys *k, const char *code)
{
	for (size_t i = 0; i < k->n; i++)
		if (strcmp(k->code[i], code) == 0)
			return (long)i;
	return -1;
}

static void keys_add(keys *k, const char *code, const char *ver)
{
	long i = keys_find(k, code);
	if (i >= 0) {
		if (ver && (!k->ver[i] || strcmp(ver, k->ver[i]) > 0))
			k->ver[i] = (free(k->ver[i]), xstrdup(ver));
		return;
	}
	k->code = xrealloc(k->code, (k->n + 1) * sizeof *k->code);
	k->label = xrealloc(k->label, (k->n + 1) * sizeof *k->label);
	k->ver = xrealloc(k->ver, (k->n + 1) * sizeof *k->ver);
	k->code[k->n] = xstrdup(code);
	k->label[k->n] = NULL;
	k->ver[k->n++] = ver && *ver ? xstrdup(ver) : NULL;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The codes every row of d shows, even when nothing was counted. */
static void keys_seed(const report_ctx *x, const dim *d, keys *k)
{
	if (d->kind == DIM_ONE) {
		keys_add(k, "calls", NULL);
	} else if (d->kind == DIM_FIXED) {
		for (const fixed_code *f = d->fixed; f->code; f++)
			keys_add(k, f->code, NULL);
	} else if (d->kind == DIM_STEP) {
		const script *s = newest_script(x);
		long i = s ? script_step_index(s, d->step) : -1;
		const script_step *st = i >= 0 ? script_step_at(s, (size_t)i) : NULL;
		for (size_t j = 0; st && j < st->nopts; j++)
			keys_add(k, st->opts[j].code, script_version(s));
	} else if (d->kind == DIM_AREA) {
		for (size_t j = 0; j < places_count(PLACES_AREAS); j++)
			keys_add(k, places_at(PLACES_AREAS, j)->code, NULL);
	}
}

/* Codes of a value: itself, or each comma-separated option of a multi. */
static size_t split_codes(const dim *d, const char *v, char ***out)
{
	size_t n = 0;
	char **r = NULL;
	if (!d->multi || !*v) {
		r = xmalloc(sizeof *r);
		r[n++] = xstrdup(v);
	} else {
		const char *p = v;
		while (*p) {
			const char *c = strchr(p, ',');
			size_t len = c ? (size_t)(c - p) : strlen(p);
			while (len && p[0] == ' ')
				p++, len--;
			while (len && p[len - 1] == ' ')
				len--;
			r = xrealloc(r, (n + 1) * sizeof *r);
			r[n++] = xstrndup(p, len);
			p = c ? c + 1 : p + strlen(p);
		}
	}
	*out = r;
	return n;
}

static void free_codes(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Countries and codes met only in the data are ordered by code after
 * the seeded ones; "not answered" goes last. */
static void keys_finish(const report_ctx *x, const dim *d, keys *k, size_t seeded)
{
	if (k->n > seeded) /* qsort takes no NULL array, even empty */
		qsort(k->code + seeded, k->n - seeded, sizeof *k->code, cmp_str);
	/* keep ver aligned: recompute it for the sorted part below */
	for (size_t i = seeded; i < k->n; i++) {
		free(k->ver[i]);
		k->ver[i] = NULL;
	}
	long blank = keys_find(k, "");
	if (blank >= 0 && (size_t)blank != k->n - 1) {
		char *c = k->code[blank];
		memmove(k->code + blank, k->code + blank + 1, (k->n - (size_t)blank - 1) * sizeof *k->code);
		k->code[k->n - 1] = c;
	}
	(void)x;
	(void)d;
}

/* ---- filling a block ---- */

void report_block_alloc(report_block *b)
{
	size_t n = (b->nrows + 1) * (b->ncols + 1);
	b->v = xcalloc(n, sizeof *b->v);
	b->state = xcalloc(n, 1);
}

void report_block_totals(report_block *b)
{
	size_t w = b->ncols + 1;
	for (size_t r = 0; r < b->nrows; r++)
		for (size_t c = 0; c < b->ncols; c++) {
			long v = b->v[r * w + c];
			b->v[r * w + b->ncols] += v;
			b->v[b->nrows * w + c] += v;
			b->v[b->nrows * w + b->ncols] += v;
		}
}

static void label_keys(const report_ctx *x, const dim *d, keys *k, const acc *a, int is_row)
{
	for (size_t i = 0; i < k->n; i++) {
		const char *ver = k->ver[i], *sql_label = NULL;
		for (size_t t = 0; t < a->n; t++) {
			const trip *tr = &a->t[t];
			const char *code = is_row ? tr->row : tr->col;
			if (d->multi ? strstr(code, k->code[i]) == NULL : strcmp(code, k->code[i]) != 0)
				continue;
			if (is_row && tr->label)
				sql_label = tr->label;
			if (*tr->ver && (!ver || strcmp(tr->ver, ver) > 0))
				ver = tr->ver;
		}
		k->label[i] = label_of(x, d, k->code[i], ver, sql_label);
	}
}

/* Turn the counted triples into a block of spec bs. */
void block_from_acc(report_ctx *x, const block_spec *bs, const acc *a, report_block *b)
{
	keys rk = {0}, ck = {0};
	keys_seed(x, &bs->row, &rk);
	size_t rseed = rk.n;
	keys_seed(x, &bs->col, &ck);
	size_t cseed = ck.n;
	for (size_t t = 0; t < a->n; t++) {
		char **codes;
		size_t n = split_codes(&bs->row, a->t[t].row, &codes);
		for (size_t i = 0; i < n; i++)
			if (bs->row.kind != DIM_FIXED || keys_find(&rk, codes[i]) >= 0)
				keys_add(&rk, codes[i], NULL);
		free_codes(codes, n);
		if (bs->col.kind != DIM_ONE && (bs->col.kind != DIM_FIXED || keys_find(&ck, a->t[t].col) >= 0))
			keys_add(&ck, a->t[t].col, NULL);
	}
	keys_finish(x, &bs->row, &rk, rseed);
	keys_finish(x, &bs->col, &ck, cseed);
	label_keys(x, &bs->row, &rk, a, 1);
	label_keys(x, &bs->col, &ck, a, 0);
	memset(b, 0, sizeof *b);
	b->title = xstrdup(_(bs->title));
	b->nrows = rk.n;
	b->ncols = ck.n;
	b->row_total = bs->row_total;
	b->col_total = bs->col_total;
	report_block_alloc(b);
	size_t w = b->ncols + 1;
	for (size_t t = 0; t < a->n; t++) {
		char **codes;
		size_t n = split_codes(&bs->row, a->t[t].row, &codes);
		long c = bs->col.kind == DIM_ONE ? 0 : keys_find(&ck, a->t[t].col);
		for (size_t i = 0; i < n && c >= 0; i++) {
			long r = keys_find(&rk, codes[i]);
			if (r >= 0)
				b->v[(size_t)r * w + (size_t)c] += a->t[t].n;
		}
		free_codes(codes, n);
	}
	report_block_totals(b);
	b->row_code = rk.code;
	b->row_label = rk.label;
	b->col_code = ck.code;
	b->col_label = ck.label;
	for (size_t i = 0; i < rk.n; i++)
		free(rk.ver[i]);
	for (size_t i = 0; i < ck.n; i++)
		free(ck.ver[i]);
	free(rk.ver);
	free(ck.ver);
}

/* Bind the office (NULL for all) as ?3; report_part binds the rest. */
sqlite3_stmt *report_prepare(report_ctx *x, const char *sql, dv_error *e)
{
	sqlite3_stmt *st = dbi_prepare(x->s->db, sql, e);
	if (st)
		dbi_bind_text(st, 3, x->q->office);
	if (st && sqlite3_bind_parameter_count(st) >= 5)
		dbi_bind_text(st, 5, x->q->period.from);
	return st;
}

void report_part(report_ctx *x, sqlite3_stmt *st, size_t p, const char *facet)
{
	const report_part_t *pt = &x->parts[p];
	char name[64];
	sqlite3_reset(st);
	snprintf(name, sizeof name, "%s%s", facet, pt->months ? ":m" : "");
	dbi_bind_text(st, 1, pt->lo);
	dbi_bind_text(st, 2, pt->hi);
	dbi_bind_text(st, 4, name);
}

static int days_in(int y, int m);

static void add_part(report_ctx *x, int months, int y0, int m0, int d0, int y1, int m1, int d1)
{
	x->parts = xrealloc(x->parts, (x->nparts + 1) * sizeof *x->parts);
	report_part_t *pt = &x->parts[x->nparts++];
	pt->months = months;
	if (months) {
		snprintf(pt->lo, sizeof pt->lo, "%04d-%02d", y0, m0);
		snprintf(pt->hi, sizeof pt->hi, "%04d-%02d", y1, m1);
	} else {
		snprintf(pt->lo, sizeof pt->lo, "%04d-%02d-%02d", y0, m0, d0);
		snprintf(pt->hi, sizeof pt->hi, "%04d-%02d-%02d", y1, m1, d1);
	}
}

/* Cut the period (Kyiv dates) into the days before its first whole
 * month, each whole month, and the days after the last: each part is
 * one short read (a writer waits for one part at most). */
static void cut_parts(report_ctx *x)
{
	const char *f = x->q->period.from, *t = x->q->period.to;
	int y0 = atoi(f), m0 = atoi(f + 5), d0 = atoi(f + 8), y1 = atoi(t), m1 = atoi(t + 5), d1 = atoi(t + 8);
	long first = y0 * 12L + (m0 - 1) + (d0 != 1), last = y1 * 12L + (m1 - 1) - (d1 != days_in(y1, m1));
	x->nparts = 0;
	if (first > last) {
		add_part(x, 0, y0, m0, d0, y1, m1, d1);
		return;
	}
	if (d0 != 1)
		add_part(x, 0, y0, m0, d0, y0, m0, days_in(y0, m0));
	for (long m = first; m <= last; m++)
		add_part(x, 1, (int)(m / 12), (int)(m % 12) + 1, 1, (int)(m / 12), (int)(m % 12) + 1, 1);
	if (d1 != days_in(y1, m1))
		add_part(x, 0, y1, m1, 1, y1, m1, d1);
}

static const char *col_text(sqlite3_stmt *st, int i)
{
	const char *s = (const char *)sqlite3_column_text(st, i);
	return s ? s : "";
}

/* Counts by (row, column, version), gathered in C: SQLite's GROUP BY
 * sorts every row of the period (a microsecond a call at a year of a
 * million calls), where a hash of the few distinct keys costs a tenth. */
typedef struct tally_slot {
	char *key; /* "row \x1f col \x1f version" */
	size_t rlen, clen;
	char *label;
	long n;
} tally_slot;

typedef struct tally {
	tally_slot *v;
	size_t n, cap; /* cap: a power of two */
} tally;

static unsigned long tally_hash(const char *s, size_t len)
{
	unsigned long h = 1469598103934665603UL;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211UL;
	return h;
}

static tally_slot *tally_find(tally *t, const char *key, size_t len)
{
	if (2 * (t->n + 1) > t->cap) {
		tally old = *t;
		t->cap = t->cap ? 2 * t->cap : 256;
		t->v = xcalloc(t->cap, sizeof *t->v);
		t->n = 0;
		for (size_t i = 0; i < old.cap; i++)
			if (old.v[i].key) {
				tally_slot *s = tally_find(t, old.v[i].key, strlen(old.v[i].key));
				*s = old.v[i];
				t->n++;
			}
		free(old.v);
	}
	size_t i = tally_hash(key, len) & (t->cap - 1);
	while (t->v[i].key && (strncmp(t->v[i].key, key, len) != 0 || t->v[i].key[len]))
		i = (i + 1) & (t->cap - 1);
	return &t->v[i];
}

/* Count one row of (row, col, ver) n times. */
static void tally_add(tally *t, const char *row, const char *col, const char *ver, const char *label, long n)
{
	char buf[512];
	size_t rl = strlen(row), cl = strlen(col), vl = strlen(ver), len = rl + cl + vl + 2;
	char *k = len < sizeof buf ? buf : xmalloc(len + 1);
	memcpy(k, row, rl);
	k[rl] = 0x1f;
	memcpy(k + rl + 1, col, cl);
	k[rl + 1 + cl] = 0x1f;
	memcpy(k + rl + cl + 2, ver, vl + 1);
	tally_slot *s = tally_find(t, k, len);
	if (!s->key) {
		s->key = xstrdup(k);
		s->rlen = rl;
		s->clen = cl;
		s->label = label ? xstrdup(label) : NULL;
		t->n++;
	}
	s->n += n;
	if (k != buf)
		free(k);
}

/* Move the tallies into *a as triples. */
static void tally_drain(tally *t, acc *a)
{
	for (size_t i = 0; i < t->cap; i++) {
		tally_slot *s = &t->v[i];
		if (!s->key)
			continue;
		s->key[s->rlen] = s->key[s->rlen + 1 + s->clen] = '\0';
		if (s->n != 0)
			acc_add(a, s->key, s->key + s->rlen + 1, s->key + s->rlen + s->clen + 2, s->label, s->n);
		free(s->key);
		free(s->label);
	}
	free(t->v);
	memset(t, 0, sizeof *t);
}

/* Count the rows of spec bs's facet into *t, one query per part of the
 * period, tallied in C (row codes rewritten by bs->map first). The specs
 * of a block share t; sums of 0 (a part counted as the rest of another)
 * are left out when it is drained. */
static int count_block(report_ctx *x, const block_spec *bs, tally *t, dv_error *e)
{
	char *sql = xasprintf("SELECT %s, %s, c.ver, %s, %s FROM report_days c%s WHERE c.facet = ?4 AND c.day >= ?1"
			      " AND c.day <= ?2 AND (?3 IS NULL OR c.office = ?3)%s%s",
			      bs->row.sql, bs->col.sql ? bs->col.sql : "''", bs->negate ? "-c.n" : "c.n",
			      bs->row.label_sql ? bs->row.label_sql : "NULL",
			      bs->from ? bs->from : "", bs->where ? " AND " : "", bs->where ? bs->where : "");
	sqlite3_stmt *st = report_prepare(x, sql, e);
	free(sql);
	if (!st)
		return e->code;
	int rc = SQLITE_DONE;
	for (size_t p = 0; p < x->nparts && rc == SQLITE_DONE; p++) {
		report_part(x, st, p, bs->facet);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			const char *label = sqlite3_column_type(st, 4) == SQLITE_NULL ? NULL : col_text(st, 4);
			char *row = bs->map ? bs->map(x, col_text(st, 0)) : NULL;
			tally_add(t, row ? row : col_text(st, 0), col_text(st, 1), col_text(st, 2), label,
				  sqlite3_column_int64(st, 3));
			free(row);
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? DV_OK : dbi_fail(x->s->db, rc, _("reading the counts for the report"), e);
}

int report_any(report_ctx *x, const char *facet, const char *where, dv_error *e)
{
	char *sql = xasprintf("SELECT 1 FROM report_days c WHERE c.facet = ?4 AND c.day >= ?1 AND c.day <= ?2"
			      " AND (?3 IS NULL OR c.office = ?3) AND %s LIMIT 1", where ? where : "1");
	sqlite3_stmt *st = report_prepare(x, sql, e);
	free(sql);
	if (!st)
		return -1;
	int rc = SQLITE_DONE;
	for (size_t p = 0; p < x->nparts && rc == SQLITE_DONE; p++) {
		report_part(x, st, p, facet);
		rc = sqlite3_step(st);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : (dbi_fail(x->s->db, rc, _("reading the counts for the report"), e), -1);
}

int report_block_run(report_ctx *x, const block_spec *bs, report_block *b, dv_error *e)
{
	return report_block_run_many(x, bs, 1, b, e);
}

int report_block_run_many(report_ctx *x, const block_spec *bs, size_t n, report_block *b, dv_error *e)
{
	acc a = {0};
	tally t = {0};
	int code = DV_OK;
	for (size_t i = 0; i < n && !code; i++)
		code = count_block(x, &bs[i], &t, e);
	tally_drain(&t, &a);
	if (!code)
		block_from_acc(x, bs, &a, b);
	acc_free(&a);
	return code;
}

/* ---- the script versions of the period ---- */

/* A version no file holds may be in the database's script texts. */
static void own_script(report_ctx *x, const char *id, const char *ver)
{
	if (script_of(x, ver))
		return;
	dv_error e;
	script *s = desk_script_of(x->s, id, ver, &e);
	if (!s)
		return;
	x->own = xrealloc(x->own, (x->nown + 1) * sizeof *x->own);
	x->own[x->nown++] = s;
}

static int has_version(const report_ctx *x, const char *ver)
{
	for (size_t i = 0; i < x->nversions; i++)
		if (strcmp(x->versions[i], ver) == 0)
			return 1;
	return 0;
}

/* The contacts, and the script versions (with their labels) that
 * recorded the period's data calls, from the counts by kind. */
static int read_versions(report_ctx *x, long *contacts, dv_error *e)
{
	sqlite3_stmt *st = report_prepare(x, "SELECT c.ver, c.c, c.a = 'data', c.n FROM report_days c"
					  " WHERE c.facet = ?4 AND c.day >= ?1 AND c.day <= ?2 AND (?3 IS NULL OR c.office = ?3)", e);
	if (!st)
		return e->code;
	int rc = SQLITE_DONE;
	*contacts = 0;
	char last[64] = "";
	for (size_t p = 0; p < x->nparts && rc == SQLITE_DONE; p++) {
		report_part(x, st, p, "vol");
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			*contacts += (long)sqlite3_column_int64(st, 3);
			if (sqlite3_column_int(st, 2) == 0 || strcmp(last, col_text(st, 0)) == 0)
				continue;
			snprintf(last, sizeof last, "%s", col_text(st, 0));
			if (has_version(x, col_text(st, 0)))
				continue;
			x->versions = xrealloc(x->versions, (x->nversions + 1) * sizeof *x->versions);
			x->versions[x->nversions++] = xstrdup(col_text(st, 0));
			own_script(x, col_text(st, 1), col_text(st, 0));
		}
	}
	sqlite3_finalize(st);
	if (x->nversions > 1) /* qsort takes no NULL array, even empty */
		qsort(x->versions, x->nversions, sizeof *x->versions, cmp_str);
	return rc == SQLITE_DONE ? DV_OK : dbi_fail(x->s->db, rc, _("reading the counts for the report"), e);
}

void report_note(report_table *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	t->notes = xrealloc(t->notes, (t->nnotes + 1) * sizeof *t->notes);
	t->notes[t->nnotes++] = xvasprintf(fmt, ap);
	va_end(ap);
}

/* The codes of step in one script and not in the other, as "a, b". */
static char *codes_missing(const script *from, const script *in, const char *step)
{
	dv_buf b = {0};
	long i = script_step_index(from, step);
	const script_step *st = i >= 0 ? script_step_at(from, (size_t)i) : NULL;
	for (size_t j = 0; st && j < st->nopts; j++)
		if (!option_in(in, step, st->opts[j].code))
			dv_buf_printf(&b, "%s%s", b.len ? ", " : "", st->opts[j].code);
	return dv_buf_take(&b);
}

/* Say which script versions the period spans and, for each step the
 * table uses, which codes one version has that the other lacks. */
static void note_versions(report_ctx *x, report_table *t, const char *const *steps)
{
	for (size_t i = 0; i < x->nversions; i++)
		if (!script_of(x, x->versions[i]))
			report_note(t, _("The labels of script version %s were not found; its codes are shown as stored."),
				    x->versions[i]);
	if (x->nversions < 2)
		return;
	dv_buf v = {0};
	for (size_t i = 0; i < x->nversions; i++)
		dv_buf_printf(&v, "%s%s", i ? ", " : "", x->versions[i]);
	report_note(t, _("The period spans script versions %s; each code is shown with the label of the version that recorded it."), v.s);
	dv_buf_free(&v);
	const script *old = script_of(x, x->versions[0]), *new = script_of(x, x->versions[x->nversions - 1]);
	for (size_t i = 0; old && new && steps && steps[i]; i++) {
		char *gone = codes_missing(old, new, steps[i]), *added = codes_missing(new, old, steps[i]);
		if (*gone || *added)
			report_note(t, _("%s: codes only in version %s: %s; codes only in version %s: %s."), steps[i],
				    script_version(old), *gone ? gone : "-", script_version(new), *added ? added : "-");
		free(gone);
		free(added);
	}
}

/* ---- periods in Kyiv time ---- */

time_t report_kyiv_offset(time_t utc)
{
	/* EU rule: UTC+3 from 01:00 UTC on the last Sunday of March to 01:00
	 * UTC on the last Sunday of October, else UTC+2. */
	struct tm tm;
	gmtime_r(&utc, &tm);
	int y = tm.tm_year + 1900;
	time_t start = 0, end = 0;
	for (int m = 2; m <= 9; m += 7) {
		struct tm l = {.tm_year = y - 1900, .tm_mon = m, .tm_mday = 31, .tm_hour = 1};
		time_t t = timegm(&l);
		struct tm w;
		gmtime_r(&t, &w);
		t -= (time_t)w.tm_wday * 86400;
		if (m == 2)
			start = t;
		else
			end = t;
	}
	return utc >= start && utc < end ? 3 * 3600 : 2 * 3600;
}

/* ---- the tables ---- */

extern const report_def report_defs[];
extern const size_t report_ndefs;

size_t report_count(void)
{
	return report_ndefs;
}

const char *report_name(size_t i)
{
	return i < report_ndefs ? report_defs[i].name : NULL;
}

const char *report_describe(size_t i)
{
	return i < report_ndefs ? _(report_defs[i].describe) : NULL;
}

static const report_def *find_def(const char *name)
{
	for (size_t i = 0; i < report_ndefs; i++)
		if (strcmp(report_defs[i].name, name) == 0)
			return &report_defs[i];
	return NULL;
}

static int check_query(dv_session *s, const char *name, const report_query *q, const report_def **d, dv_error *e)
{
	if (!session_may(s, ROLES_SUPERVISION))
		return dv_fail(e, DV_EPERM, _("only supervisors and administrators may read the statistics"));
	*d = find_def(name);
	if (!*d) {
		dv_buf b = {0};
		for (size_t i = 0; i < report_ndefs; i++)
			dv_buf_printf(&b, "%s%s", i ? ", " : "", report_defs[i].name);
		dv_fail(e, DV_ENOTFOUND, _("no table named '%s'; the tables are: %s"), name, b.s);
		dv_buf_free(&b);
		return e->code;
	}
	if (q->level == REPORT_PUBLIC && !q->period.quarters)
		return dv_fail(e, DV_EINVAL, _("a public table covers whole quarters: use a quarter (2026-Q4), a year, or dates from a quarter's first day to a quarter's last day"));
	return DV_OK;
}

static void table_head(report_table *t, const report_def *d, const report_query *q)
{
	t->name = d->name;
	t->level = q->level;
	t->period = q->period;
	t->office = q->office ? xstrdup(q->office) : NULL;
	t->title = xasprintf(_("%s: contacts (calls), %s"), _(d->title), q->period.label);
}

/* A measure (a median, a share) of a row whose count is hidden would
 * give the count away (two thirds of a hidden count of 5 to 8 is 6):
 * hide it with the count of the block before it. */
static void hide_measures(report_table *t)
{
	for (size_t i = 1; i < t->nblocks; i++) {
		report_block *m = &t->blocks[i], *b = &t->blocks[i - 1];
		if (!m->measure || b->nrows != m->nrows || !b->col_total)
			continue;
		for (size_t r = 0; r < m->nrows; r++)
			if (b->state[r * (b->ncols + 1) + b->ncols] != REPORT_SHOWN)
				memset(m->state + r * (m->ncols + 1), REPORT_HIDDEN, m->ncols);
	}
}

int report_run(dv_session *s, const char *name, const report_query *q, report_table **out, dv_error *e)
{
	const report_def *d = NULL;
	*out = NULL;
	if (check_query(s, name, q, &d, e))
		return e->code;
	report_ctx x = {.s = s, .q = q};
	cut_parts(&x);
	report_table *t = xcalloc(1, sizeof *t);
	table_head(t, d, q);
	int code = read_versions(&x, &t->contacts, e);
	if (!code)
		code = d->build(&x, t, e);
	dv_error te;
	if (!code && desk_is_training(s->db, &te) == 1)
		report_note(t, _("This is a training database: its calls are synthetic."));
	if (!code) {
		note_versions(&x, t, d->steps);
		for (size_t i = 0; i < t->nblocks; i++)
			report_protect(&t->blocks[i], q->level);
		hide_measures(t);
	}
	for (size_t i = 0; i < x.nversions; i++)
		free(x.versions[i]);
	free(x.versions);
	free(x.parts);
	report_scripts_free(x.own, x.nown);
	if (code) {
		report_table_free(t);
		return code;
	}
	*out = t;
	return DV_OK;
}

report_block *report_add_block(report_table *t)
{
	t->blocks = xrealloc(t->blocks, (t->nblocks + 1) * sizeof *t->blocks);
	memset(&t->blocks[t->nblocks], 0, sizeof *t->blocks);
	return &t->blocks[t->nblocks++];
}

static void block_free(report_block *b)
{
	for (size_t i = 0; i < b->nrows; i++) {
		free(b->row_code[i]);
		free(b->row_label[i]);
	}
	for (size_t i = 0; i < b->ncols; i++) {
		free(b->col_code[i]);
		free(b->col_label[i]);
	}
	free(b->row_code);
	free(b->row_label);
	free(b->col_code);
	free(b->col_label);
	free(b->v);
	free(b->state);
	free(b->title);
}

void report_table_free(report_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nblocks; i++)
		block_free(&t->blocks[i]);
	for (size_t i = 0; i < t->nnotes; i++)
		free(t->notes[i]);
	free(t->blocks);
	free(t->notes);
	free(t->title);
	free(t->office);
	free(t);
}

/* ---- cells ---- */

long report_cell(const report_block *b, size_t r, size_t c)
{
	return b->v[r * (b->ncols + 1) + c];
}

report_cell_state report_cell_state_at(const report_block *b, size_t r, size_t c)
{
	return (report_cell_state)b->state[r * (b->ncols + 1) + c];
}

char *report_cell_text(const report_block *b, size_t r, size_t c)
{
	report_cell_state st = report_cell_state_at(b, r, c);
	long v = report_cell(b, r, c);
	if (st == REPORT_LT5)
		return xstrdup("<5");
	if (st == REPORT_HIDDEN)
		return xstrdup("x");
	if (!b->measure)
		return xasprintf("%ld", v);
	if (v < 0)
		return xstrdup("-");
	if (c < b->ncols && strcmp(b->col_code[c], "median") == 0)
		return xasprintf("%ld:%02ld", v / 60, v % 60);
	return xasprintf("%ld.%ld%%", v / 10, v % 10);
}

/* ---- the period ---- */

static int days_in(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) ? 29 : d[m - 1];
}

static void set_months(report_period *p, int y, int m1, int m2)
{
	snprintf(p->from, sizeof p->from, "%04d-%02d-01", y, m1);
	snprintf(p->to, sizeof p->to, "%04d-%02d-%02d", y, m2, days_in(y, m2));
	p->quarters = (m1 - 1) % 3 == 0 && m2 % 3 == 0;
}

int report_period_parse(const char *spec, report_period *p, dv_error *e)
{
	int y, m, n = 0;
	char q;
	memset(p, 0, sizeof *p);
	if (spec && sscanf(spec, "%4d-%c%d%n", &y, &q, &m, &n) == 3 && (q == 'Q' || q == 'q') && !spec[n]
	    && y >= 2000 && y <= 2999 && m >= 1 && m <= 4 && strlen(spec) == 7) {
		set_months(p, y, 3 * m - 2, 3 * m);
		snprintf(p->label, sizeof p->label, "%04d-Q%d", y, m);
	} else if (spec && strlen(spec) == 7 && sscanf(spec, "%4d-%2d%n", &y, &m, &n) == 2 && !spec[n]
		   && y >= 2000 && y <= 2999 && m >= 1 && m <= 12) {
		set_months(p, y, m, m);
		snprintf(p->label, sizeof p->label, "%04d-%02d", y, m);
	} else if (spec && strlen(spec) == 4 && sscanf(spec, "%4d%n", &y, &n) == 1 && !spec[n] && y >= 2000 && y <= 2999) {
		set_months(p, y, 1, 12);
		snprintf(p->label, sizeof p->label, "%04d", y);
	} else {
		return dv_fail(e, DV_EINVAL, _("'%s' is not a period: write a month (2026-11), a quarter (2026-Q4) or a year (2026)"),
			       spec ? spec : "");
	}
	return DV_OK;
}

static int real_date(const char *s)
{
	int y, m, d, n = 0;
	return s && strlen(s) == 10 && sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) == 3 && n == 10 && s[4] == '-'
	       && s[7] == '-' && y >= 2000 && y <= 2999 && m >= 1 && m <= 12 && d >= 1 && d <= days_in(y, m);
}

int report_period_dates(const char *from, const char *to, report_period *p, dv_error *e)
{
	memset(p, 0, sizeof *p);
	if (!real_date(from) || !real_date(to))
		return dv_fail(e, DV_EINVAL, _("'%s' is not a date: write it as YYYY-MM-DD"), real_date(from) ? to : from);
	if (strcmp(from, to) > 0)
		return dv_fail(e, DV_EINVAL, _("the period starts (%s) after it ends (%s)"), from, to);
	snprintf(p->from, sizeof p->from, "%s", from);
	snprintf(p->to, sizeof p->to, "%s", to);
	snprintf(p->label, sizeof p->label, "%s..%s", from, to);
	int fm = atoi(from + 5), tm = atoi(to + 5), ty = atoi(to);
	p->quarters = from[8] == '0' && from[9] == '1' && (fm - 1) % 3 == 0 && tm % 3 == 0
		      && atoi(to + 8) == days_in(ty, tm);
	return DV_OK;
}

void report_period_month_of(time_t t, report_period *p)
{
	struct tm tm;
	time_t local = t + report_kyiv_offset(t);
	gmtime_r(&local, &tm);
	memset(p, 0, sizeof *p);
	set_months(p, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mon + 1);
	snprintf(p->label, sizeof p->label, "%04d-%02d", tm.tm_year + 1900, tm.tm_mon + 1);
}

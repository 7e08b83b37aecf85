/* orgs.c: the directory: checking an entry, storing it, and the
 * supervisors' changes. The code tables are in orgs_codes.c, searching in
 * orgs_search.c, files in orgs_io.c. */
#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dovira/places.h"
#include "dovira/sanitize.h"
#include "orgs_codes.h"
#include "dovira/utf8.h"
#include "orgs_int.h"
#include "dovira/audit.h"
#include "dovira/i18n.h"
#include "dovira/staff.h"

/* ---- The entry and its columns --------------------------------------- */

#define S(f) offsetof(dv_org, f)
const org_col orgs_cols[] = {
	{"id", S(id), OT_ID, 0, OC_REQUIRED | OC_NONEMPTY, 40},
	{"name_uk", S(name_uk), OT_TEXT, 0, OC_REQUIRED | OC_NONEMPTY, 300},
	{"name_en", S(name_en), OT_TEXT, 0, OC_REQUIRED | OC_NONEMPTY, 300},
	{"kind", S(kind), OT_CODES, ORGS_KIND, OC_REQUIRED | OC_NONEMPTY | OC_ONE, 40},
	{"services", S(services), OT_CODES, ORGS_SERVICE, OC_REQUIRED | OC_EMPTY_STR, 300},
	{"areas", S(areas), OT_CODES, ORGS_AREA, OC_REQUIRED | OC_NONEMPTY, 300},
	{"operates_in", S(operates_in), OT_CODES, ORGS_AREA, OC_NO_ALL, 300},
	{"relocated_from", S(relocated_from), OT_CODES, ORGS_AREA, OC_NO_ALL, 300},
	{"address", S(address), OT_TEXT, 0, 0, 500},
	{"phones", S(phones), OT_PHONES, 0, 0, 500},
	{"hours", S(hours), OT_TEXT, 0, 0, 200},
	{"serves", S(serves), OT_CODES, ORGS_SERVES, 0, 100},
	{"age_min", S(age_min), OT_AGE, 0, 0, 0},
	{"age_max", S(age_max), OT_AGE, 0, 0, 0},
	{"languages", S(languages), OT_LANGS, 0, 0, 100},
	{"notes", S(notes), OT_NOTE, 0, 0, 4000},
	{"notes_en", S(notes_en), OT_NOTE, 0, 0, 4000},
	{"source", S(source), OT_TEXT, 0, OC_REQUIRED | OC_NONEMPTY, 2000},
	{"verified_on", S(verified_on), OT_DATE, 0, 0, 10},
	{"national", S(national), OT_FLAG, 0, 0, 0},
	{"retired", S(retired), OT_FLAG, 0, 0, 0},
	{"do_not_refer", S(do_not_refer), OT_FLAG, 0, 0, 0},
	{"updated_at", S(updated_at), OT_STAMP, 0, 0, 0},
};
#undef S
const size_t orgs_ncols = sizeof orgs_cols / sizeof *orgs_cols;

static int is_int_type(org_type t)
{
	return t == OT_AGE || t == OT_FLAG;
}

char **org_str(dv_org *o, const org_col *c)
{
	return (char **)(void *)((char *)o + c->off);
}

int *org_int(dv_org *o, const org_col *c)
{
	return (int *)(void *)((char *)o + c->off);
}

const char *org_cstr(const dv_org *o, const org_col *c)
{
	return *(char *const *)(const void *)((const char *)o + c->off);
}

int org_cint(const dv_org *o, const org_col *c)
{
	return *(const int *)(const void *)((const char *)o + c->off);
}

const org_col *org_col_named(const char *name)
{
	for (size_t i = 0; i < orgs_ncols; i++)
		if (strcmp(orgs_cols[i].name, name) == 0)
			return &orgs_cols[i];
	return NULL;
}

void orgs_free(dv_org *o)
{
	if (!o)
		return;
	for (size_t i = 0; i < orgs_ncols; i++)
		if (!is_int_type(orgs_cols[i].type))
			free(*org_str(o, &orgs_cols[i]));
	memset(o, 0, sizeof *o);
	o->age_min = o->age_max = -1;
}

void orgs_copy(dv_org *dst, const dv_org *src)
{
	*dst = *src;
	for (size_t i = 0; i < orgs_ncols; i++) {
		const org_col *c = &orgs_cols[i];
		if (!is_int_type(c->type) && org_cstr(src, c))
			*org_str(dst, c) = xstrdup(org_cstr(src, c));
	}
}

/* ---- Normalising ----------------------------------------------------- */

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* A copy of the n bytes at s without leading and trailing white space. */
static char *trimmed(const char *s, size_t n)
{
	while (n && is_space(*s))
		s++, n--;
	while (n && is_space(s[n - 1]))
		n--;
	return xstrndup(s, n);
}

/* Words of s separated by white space, joined by sep. */
static char *join_words(const char *s, const char *sep)
{
	dv_buf b = {0};
	dv_buf_add(&b, "", 0);
	while (*s) {
		while (*s && is_space(*s))
			s++;
		size_t n = 0;
		while (s[n] && !is_space(s[n]))
			n++;
		if (n) {
			if (b.len)
				dv_buf_adds(&b, sep);
			dv_buf_add(&b, s, n);
		}
		s += n;
	}
	return dv_buf_take(&b);
}

/* "527 ;0 800  505 501" -> "527; 0 800 505 501". An empty item is kept
 * (as an empty string between separators) so that the check sees it. */
static char *join_phones(const char *s)
{
	dv_buf b = {0};
	dv_buf_add(&b, "", 0);
	for (int first = 1;; first = 0) {
		const char *semi = strchr(s, ';');
		size_t n = semi ? (size_t)(semi - s) : strlen(s);
		char *item = trimmed(s, n);
		char *one = join_words(item, " ");
		dv_buf_printf(&b, "%s%s", first ? "" : "; ", one);
		free(one);
		free(item);
		if (!semi)
			break;
		s = semi + 1;
	}
	return dv_buf_take(&b);
}

static char *normal_value(const org_col *c, const char *v)
{
	switch (c->type) {
	case OT_CODES:
	case OT_LANGS:
		return join_words(v, " ");
	case OT_PHONES:
		return join_phones(v);
	default:
		return trimmed(v, strlen(v));
	}
}

void org_normalise(dv_org *o)
{
	for (size_t i = 0; i < orgs_ncols; i++) {
		const org_col *c = &orgs_cols[i];
		if (is_int_type(c->type) || c->type == OT_STAMP)
			continue;
		char **f = org_str(o, c);
		char *v = *f ? normal_value(c, *f) : xstrdup("");
		free(*f);
		*f = v;
		if (!*v && !(c->flags & OC_EMPTY_STR)) {
			free(v);
			*f = NULL;
		}
	}
}

/* ---- Checking -------------------------------------------------------- */

void org_problem(org_probs *p, const char *column, const char *fmt, ...)
{
	p->n++;
	if (!p->out)
		return;
	va_list ap;
	va_start(ap, fmt);
	char msg[1024];
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	dv_buf_printf(p->out, "%s%s: %s\n", p->prefix ? p->prefix : "", column, msg);
}

/* Invalid UTF-8, control and bidi characters (newline allowed in notes). */
static void check_chars(const char *s, const org_col *c, org_probs *p)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		unsigned cp;
		int len = utf8_decode(u + i, n - i, &cp);
		if (len < 0) {
			org_problem(p, c->name, _("invalid UTF-8 at byte %zu; save the file as UTF-8"), i + 1);
			return;
		}
		if ((cp < 0x20 && !(cp == '\n' && c->type == OT_NOTE)) || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) {
			org_problem(p, c->name, _("a control character (U+%04X) at byte %zu"), cp, i + 1);
			return;
		}
		if (utf8_is_bidi_control(cp)) {
			org_problem(p, c->name, _("a bidirectional control character (U+%04X) at byte %zu"), cp, i + 1);
			return;
		}
		i += (size_t)len;
	}
}

static void check_id(const char *v, const org_col *c, org_probs *p)
{
	size_t n = strlen(v);
	if (n > 40 || !strchr("abcdefghijklmnopqrstuvwxyz0123456789", v[0]) ||
	    strspn(v, "abcdefghijklmnopqrstuvwxyz0123456789-") != n)
		org_problem(p, c->name, _("'%s' is not a valid id: use 1 to 40 lower-case Latin letters, digits and '-', starting with a letter or digit"), v);
}

/* 1 if the n-byte word at w occurs in the space-separated list before w. */
static int seen_before(const char *list, const char *w, size_t n)
{
	for (const char *s = list; s < w;) {
		size_t k = strcspn(s, " ");
		if (k == n && memcmp(s, w, n) == 0)
			return 1;
		s += k + 1;
	}
	return 0;
}

static void check_codes(const char *v, const org_col *c, org_probs *p)
{
	size_t count = 0;
	int all = 0;
	for (const char *s = v; *s;) {
		size_t n = strcspn(s, " ");
		orgs_codeset set = (orgs_codeset)c->codeset;
		if (!orgs_code_known(set, s, n)) {
			char *known = orgs_codes_list(set);
			org_problem(p, c->name, _("unknown code '%.*s'; known codes: %s"), (int)n, s, known);
			free(known);
		} else if (seen_before(v, s, n)) {
			org_problem(p, c->name, _("'%.*s' is listed twice"), (int)n, s);
		}
		all |= n == 3 && memcmp(s, "all", 3) == 0;
		count++;
		s += n;
		s += *s == ' ';
	}
	if ((c->flags & OC_ONE) && count > 1)
		org_problem(p, c->name, _("give exactly one code"));
	if (all && (c->flags & OC_NO_ALL))
		org_problem(p, c->name, _("'all' is not a place; list the areas"));
	else if (all && count > 1)
		org_problem(p, c->name, _("'all' already covers every area; give it alone"));
}

static void check_phones(const char *v, const org_col *c, org_probs *p)
{
	for (const char *s = v;;) {
		size_t n = strcspn(s, ";");
		size_t digits = 0, bad = 0;
		for (size_t i = 0; i < n; i++) {
			if (isdigit((unsigned char)s[i]))
				digits++;
			else if (!strchr(" +-()", s[i]) || (s[i] == '+' && i != 0))
				bad++;
		}
		if (n == 0)
			org_problem(p, c->name, _("an empty number between ';'"));
		else if (bad || digits < 2 || digits > 15)
			org_problem(p, c->name, _("'%.*s' is not a telephone number: use digits, spaces, '-', '(', ')' and a leading '+'; put remarks in the notes"),
				    (int)n, s);
		if (!s[n])
			break;
		s += n + 1;
		s += *s == ' ';
	}
}

static void check_langs(const char *v, const org_col *c, org_probs *p)
{
	for (const char *s = v; *s;) {
		size_t n = strcspn(s, " ");
		if (n < 2 || n > 3 || strspn(s, "abcdefghijklmnopqrstuvwxyz") < n)
			org_problem(p, c->name, _("'%.*s' is not a language code: use ISO 639 codes such as uk, en, ru"), (int)n, s);
		s += n;
		s += *s == ' ';
	}
}

static void check_date(const char *v, const org_col *c, org_probs *p)
{
	time_t t = strlen(v) == 10 ? dv_parse_utc(v) : (time_t)-1;
	char back[21] = "";
	if (t != (time_t)-1)
		dv_utc_iso(t, back);
	if (t == (time_t)-1 || strncmp(back, v, 10) != 0)
		org_problem(p, c->name, _("'%s' is not a date: write YYYY-MM-DD, e.g. 2026-11-01"), v);
	else if (t > dv_now() + 86400)
		org_problem(p, c->name, _("%s is in the future"), v);
}

static void check_string(const dv_org *o, const org_col *c, org_probs *p)
{
	const char *v = org_cstr(o, c);
	if (!v || !*v) {
		if (c->flags & OC_NONEMPTY)
			org_problem(p, c->name, _("empty; every entry needs one"));
		return;
	}
	if (c->max && strlen(v) > c->max)
		org_problem(p, c->name, _("too long (%zu bytes; at most %zu)"), strlen(v), c->max);
	check_chars(v, c, p);
	switch (c->type) {
	case OT_ID: check_id(v, c, p); break;
	case OT_CODES: check_codes(v, c, p); break;
	case OT_PHONES: check_phones(v, c, p); break;
	case OT_LANGS: check_langs(v, c, p); break;
	case OT_DATE: check_date(v, c, p); break;
	default: break;
	}
}

static void check_int(const dv_org *o, const org_col *c, org_probs *p)
{
	int v = org_cint(o, c);
	if (c->type == OT_FLAG && v != 0 && v != 1)
		org_problem(p, c->name, _("write 0 or 1"));
	if (c->type == OT_AGE && (v < -1 || v > 120))
		org_problem(p, c->name, _("%d is not an age: use 0 to 120 years, or leave it empty"), v);
}

void org_check(const dv_org *o, const unsigned char *present, org_probs *p)
{
	for (size_t i = 0; i < orgs_ncols; i++) {
		const org_col *c = &orgs_cols[i];
		if (c->type == OT_STAMP || (present && !present[i]))
			continue;
		if (is_int_type(c->type))
			check_int(o, c, p);
		else
			check_string(o, c, p);
	}
	if (o->age_min >= 0 && o->age_max >= 0 && o->age_min > o->age_max)
		org_problem(p, "age_min", _("%d is above age_max %d"), o->age_min, o->age_max);
}

int orgs_validate(const dv_org *o, dv_buf *report)
{
	dv_org tidy;
	orgs_copy(&tidy, o);
	org_normalise(&tidy);
	org_probs p = {report, "", 0};
	org_check(&tidy, NULL, &p);
	orgs_free(&tidy);
	return (int)p.n;
}

/* ---- Text of a column ------------------------------------------------ */

char *orgs_field_text(const dv_org *o, const char *column)
{
	const org_col *c = column ? org_col_named(column) : NULL;
	if (!c || c->type == OT_STAMP)
		return NULL;
	char tmp[24];
	const char *v = org_text(o, c, tmp);
	return xstrdup(v ? v : "");
}

int orgs_field_set(dv_org *o, const char *column, const char *text, dv_error *e)
{
	const org_col *c = column ? org_col_named(column) : NULL;
	if (!c || c->type == OT_STAMP)
		return dv_fail(e, DV_EINVAL, _("'%s' is not a column of the directory"), column ? column : "");
	dv_buf report = {0};
	org_probs p = {&report, "", 0};
	int rc = org_set_text(o, c, text ? text : "", &p);
	if (rc != 0) {
		while (report.len && report.s[report.len - 1] == '\n')
			report.s[--report.len] = '\0';
		dv_fail(e, DV_EINVAL, "%s", report.s);
	}
	dv_buf_free(&report);
	return rc != 0 ? DV_EINVAL : DV_OK;
}

static int parse_int(const char *s, int lo, int hi, int *out)
{
	char *end;
	if (!*s || !strchr("0123456789", *s))
		return -1;
	long v = strtol(s, &end, 10);
	if (*end || v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

int org_set_text(dv_org *o, const org_col *c, const char *text, org_probs *p)
{
	char *t = trimmed(text, strlen(text));
	int rc = 0;
	if (c->type == OT_AGE) {
		*org_int(o, c) = -1;
		if (*t && parse_int(t, 0, 120, org_int(o, c))) {
			org_problem(p, c->name, _("'%s' is not an age: use a whole number of years, 0 to 120, or leave it empty"), t);
			rc = -1;
		}
	} else if (c->type == OT_FLAG) {
		*org_int(o, c) = 0;
		if (*t && (parse_int(t, 0, 1, org_int(o, c)) || strlen(t) != 1)) {
			org_problem(p, c->name, _("'%s': write 0 or 1"), t);
			rc = -1;
		}
	} else {
		char **f = org_str(o, c);
		free(*f);
		*f = t;
		return 0;
	}
	free(t);
	return rc;
}

const char *org_text(const dv_org *o, const org_col *c, char tmp[static 24])
{
	if (!is_int_type(c->type))
		return org_cstr(o, c);
	int v = org_cint(o, c);
	if (c->type == OT_AGE && v < 0)
		return NULL;
	snprintf(tmp, 24, "%d", v);
	return tmp;
}

int org_col_differs(const dv_org *a, const dv_org *b, const org_col *c)
{
	if (is_int_type(c->type))
		return org_cint(a, c) != org_cint(b, c);
	const char *x = org_cstr(a, c), *y = org_cstr(b, c);
	if (!x || !y)
		return x != y;
	return strcmp(x, y) != 0;
}

/* ---- Store ----------------------------------------------------------- */

char *org_sql_columns(const char *prefix)
{
	dv_buf b = {0};
	for (size_t i = 0; i < orgs_ncols; i++)
		dv_buf_printf(&b, "%s%s%s", i ? ", " : "", prefix, orgs_cols[i].name);
	return dv_buf_take(&b);
}

void org_from_row(sqlite3_stmt *st, int first, dv_org *o)
{
	memset(o, 0, sizeof *o);
	for (size_t i = 0; i < orgs_ncols; i++) {
		const org_col *c = &orgs_cols[i];
		int col = first + (int)i;
		if (!is_int_type(c->type))
			*org_str(o, c) = dbi_col_dup(st, col);
		else if (sqlite3_column_type(st, col) == SQLITE_NULL)
			*org_int(o, c) = c->type == OT_AGE ? -1 : 0;
		else
			*org_int(o, c) = sqlite3_column_int(st, col);
	}
}

void org_bind(sqlite3_stmt *st, int first, const dv_org *o)
{
	for (size_t i = 0; i < orgs_ncols; i++) {
		const org_col *c = &orgs_cols[i];
		int par = first + (int)i;
		if (!is_int_type(c->type))
			dbi_bind_text(st, par, org_cstr(o, c));
		else if (c->type == OT_AGE && org_cint(o, c) < 0)
			sqlite3_bind_null(st, par);
		else
			sqlite3_bind_int(st, par, org_cint(o, c));
	}
}

static char *load_sql(void)
{
	char *cols = org_sql_columns("");
	char *sql = xasprintf("SELECT %s FROM orgs WHERE id = ?1", cols);
	free(cols);
	return sql;
}

static char *store_sql(int is_new)
{
	dv_buf b = {0};
	if (is_new) {
		char *cols = org_sql_columns("");
		dv_buf_printf(&b, "INSERT INTO orgs(%s) VALUES (", cols);
		free(cols);
		for (size_t i = 0; i < orgs_ncols; i++)
			dv_buf_printf(&b, "%s?%zu", i ? ", " : "", i + 1);
		dv_buf_adds(&b, ")");
		return dv_buf_take(&b);
	}
	dv_buf_adds(&b, "UPDATE orgs SET ");
	for (size_t i = 1; i < orgs_ncols; i++)
		dv_buf_printf(&b, "%s%s = ?%zu", i > 1 ? ", " : "", orgs_cols[i].name, i + 1);
	dv_buf_adds(&b, " WHERE id = ?1");
	return dv_buf_take(&b);
}

/* Prepare sql (which is freed) and keep it in *slot if there is one.
 * NULL with *e set on failure. */
static sqlite3_stmt *get_stmt(dv_db *db, sqlite3_stmt **slot, char *sql, dv_error *e)
{
	sqlite3_stmt *st = dbi_prepare(db, sql, e);
	free(sql);
	if (slot)
		*slot = st;
	return st;
}

/* Done with st: reset it for the next row if cached, else finalise. */
static void put_stmt(sqlite3_stmt *st, const org_stmts *c)
{
	if (c) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
	} else {
		sqlite3_finalize(st);
	}
}

void org_stmts_free(org_stmts *c)
{
	sqlite3_finalize(c->load);
	sqlite3_finalize(c->insert);
	sqlite3_finalize(c->update);
	memset(c, 0, sizeof *c);
}

int org_load(dv_db *db, org_stmts *c, const char *id, dv_org *out, dv_error *e)
{
	sqlite3_stmt *st = c && c->load ? c->load : get_stmt(db, c ? &c->load : NULL, load_sql(), e);
	if (!st)
		return e->code;
	dbi_bind_text(st, 1, id);
	int rc = sqlite3_step(st), code = DV_OK;
	if (rc == SQLITE_ROW)
		org_from_row(st, 0, out);
	else if (rc == SQLITE_DONE)
		code = DV_ENOTFOUND;
	else
		code = dbi_fail(db, rc, _("reading the directory"), e);
	put_stmt(st, c);
	return code;
}

int org_store(dv_db *db, org_stmts *c, dv_org *o, int is_new, dv_error *e)
{
	char at[21];
	dv_utc_iso(dv_now(), at);
	free(o->updated_at);
	o->updated_at = xstrdup(at);
	sqlite3_stmt **slot = c ? (is_new ? &c->insert : &c->update) : NULL;
	sqlite3_stmt *st = slot && *slot ? *slot : get_stmt(db, slot, store_sql(is_new), e);
	if (!st)
		return e->code;
	org_bind(st, 1, o);
	int rc = sqlite3_step(st);
	put_stmt(st, c);
	if (rc != SQLITE_DONE)
		return dbi_fail(db, rc, _("saving the directory"), e);
	return DV_OK;
}

int org_require_supervision(dv_db *db, const char *actor, const char *what, dv_error *e)
{
	dv_error_clear(e);
	staff_role r = staff_role_of(db, actor, e);
	if (e && e->code)
		return e->code;
	if (!(r & ROLES_SUPERVISION))
		return dv_fail(e, DV_EPERM, _("only a supervisor or an administrator may %s; %s is %s"),
			       what, actor, staff_role_label(r));
	return DV_OK;
}

/* ---- Reading --------------------------------------------------------- */

int orgs_get(dv_db *db, const char *id, dv_org *out, dv_error *e)
{
	memset(out, 0, sizeof *out);
	out->age_min = out->age_max = -1;
	int code = org_load(db, NULL, id, out, e);
	if (code == DV_ENOTFOUND)
		return dv_fail(e, DV_ENOTFOUND, _("no organisation with the id '%s' in the directory"), id);
	return code;
}

long orgs_count(dv_db *db, dv_error *e)
{
	sqlite3_stmt *st = dbi_prepare(db, "SELECT count(*) FROM orgs", e);
	if (!st)
		return e->code;
	int rc = sqlite3_step(st);
	long n = rc == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return dbi_fail(db, rc, _("reading the directory"), e);
	return n;
}

int orgs_is_stale(const dv_org *o, time_t now)
{
	int y, m, d;
	if (!o->verified_on || sscanf(o->verified_on, "%4d-%2d-%2d", &y, &m, &d) != 3)
		return 1;
	struct tm due = {0};
	due.tm_year = y + 1 - 1900; /* a year later; 29 Feb runs on to 1 Mar */
	due.tm_mon = m - 1;
	due.tm_mday = d;
	return now >= timegm(&due);
}

orgs_state orgs_state_of(const dv_org *o, time_t now)
{
	if (o->retired)
		return ORGS_RETIRED;
	if (o->do_not_refer)
		return ORGS_DO_NOT_REFER;
	if (!o->verified_on)
		return ORGS_UNVERIFIED;
	return orgs_is_stale(o, now) ? ORGS_STALE : ORGS_OK;
}

const char *orgs_state_label(orgs_state s)
{
	switch (s) {
	case ORGS_STALE: return _("stale");
	case ORGS_UNVERIFIED: return _("unverified");
	case ORGS_DO_NOT_REFER: return _("do not refer");
	case ORGS_RETIRED: return _("retired");
	default: return "";
	}
}

/* ---- Changing -------------------------------------------------------- */

/* A normalised copy of o, checked; DV_EINVAL with every problem in e. */
static int prepare_entry(const dv_org *o, dv_org *tidy, dv_error *e)
{
	orgs_copy(tidy, o);
	org_normalise(tidy);
	dv_buf report = {0};
	org_probs p = {&report, "", 0};
	org_check(tidy, NULL, &p);
	if (p.n) {
		for (size_t i = report.len; i > 0 && report.s[i - 1] == '\n'; i--)
			report.s[--report.len] = '\0';
		for (char *nl = strchr(report.s, '\n'); nl; nl = strchr(nl, '\n'))
			*nl = ';';
		dv_fail(e, DV_EINVAL, _("the entry was not saved: %s"), report.s);
		dv_buf_free(&report);
		orgs_free(tidy);
		return DV_EINVAL;
	}
	return DV_OK;
}

int orgs_add(dv_db *db, const char *actor, const dv_org *o, dv_error *e)
{
	dv_org tidy, old;
	if (org_require_supervision(db, actor, _("add to the directory"), e) || prepare_entry(o, &tidy, e))
		return e->code;
	int code = dbi_begin(db, e);
	if (code == DV_OK) {
		code = org_load(db, NULL, tidy.id, &old, e);
		if (code == DV_OK) {
			orgs_free(&old);
			code = dv_fail(e, DV_ECONFLICT, _("the directory already has an entry with the id '%s'"), tidy.id);
		} else if (code == DV_ENOTFOUND) {
			code = org_store(db, NULL, &tidy, 1, e);
			if (code == DV_OK)
				code = audit_append(db, actor, "org.add", tidy.id, NULL, e);
		}
		code = code == DV_OK ? dbi_commit(db, e) : (dbi_rollback(db), code);
	}
	orgs_free(&tidy);
	return code;
}

/* "phones, hours": the columns that differ, for the audit trail. */
static char *changed_columns(const dv_org *a, const dv_org *b)
{
	dv_buf out = {0};
	dv_buf_add(&out, "", 0);
	for (size_t i = 0; i < orgs_ncols; i++)
		if (orgs_cols[i].type != OT_STAMP && org_col_differs(a, b, &orgs_cols[i]))
			dv_buf_printf(&out, "%s%s", out.len ? ", " : "", orgs_cols[i].name);
	return dv_buf_take(&out);
}

/* The body of orgs_update, inside the transaction. */
static int update_in_tx(dv_db *db, const char *actor, dv_org *tidy, const char *seen, dv_error *e)
{
	dv_org old;
	int code = org_load(db, NULL, tidy->id, &old, e);
	if (code == DV_ENOTFOUND)
		return dv_fail(e, DV_ENOTFOUND, _("no organisation with the id '%s' in the directory"), tidy->id);
	if (code)
		return code;
	char *what = changed_columns(&old, tidy);
	if (seen && (!old.updated_at || strcmp(seen, old.updated_at) != 0))
		code = dv_fail(e, DV_ECONFLICT, _("someone else changed the entry '%s' after you opened it; open it again and redo your change"), tidy->id);
	else if (*what && (code = org_store(db, NULL, tidy, 0, e)) == DV_OK)
		code = audit_append(db, actor, "org.edit", tidy->id, what, e);
	free(what);
	orgs_free(&old);
	return code;
}

int orgs_update(dv_db *db, const char *actor, const dv_org *o, dv_error *e)
{
	dv_org tidy;
	if (org_require_supervision(db, actor, _("change the directory"), e) || prepare_entry(o, &tidy, e))
		return e->code;
	int code = dbi_begin(db, e);
	if (code == DV_OK) {
		code = update_in_tx(db, actor, &tidy, o->updated_at, e);
		code = code == DV_OK ? dbi_commit(db, e) : (dbi_rollback(db), code);
	}
	orgs_free(&tidy);
	return code;
}

/* Run sql (?1 = id, ?2 = value, ?3 = now); *changed = rows changed. */
static int run_update(dv_db *db, const char *sql, const char *id, const char *value, int *changed, dv_error *e)
{
	char at[21];
	dv_utc_iso(dv_now(), at);
	sqlite3_stmt *st = dbi_prepare(db, sql, e);
	if (!st)
		return e->code;
	dbi_bind_text(st, 1, id);
	if (sqlite3_bind_parameter_count(st) >= 2)
		dbi_bind_text(st, 2, value);
	dbi_bind_text(st, 3, at);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return dbi_fail(db, rc, _("saving the directory"), e);
	*changed = sqlite3_changes(db->h);
	return DV_OK;
}

/* One UPDATE of the entry id and, if it changed anything, its audit row,
 * in one transaction. */
static int set_and_audit(dv_db *db, const char *actor, const char *id, const char *sql,
			 const char *value, const char *action, dv_error *e)
{
	if (dbi_begin(db, e))
		return e->code;
	dv_org old;
	int changed = 0, code = org_load(db, NULL, id, &old, e);
	if (code == DV_OK)
		orgs_free(&old);
	else if (code == DV_ENOTFOUND)
		code = dv_fail(e, DV_ENOTFOUND, _("no organisation with the id '%s' in the directory"), id);
	if (code == DV_OK)
		code = run_update(db, sql, id, value, &changed, e);
	if (code == DV_OK && changed)
		code = audit_append(db, actor, action, id, value, e);
	return code == DV_OK ? dbi_commit(db, e) : (dbi_rollback(db), code);
}

int orgs_mark_verified(dv_db *db, const char *actor, const char *id, dv_error *e)
{
	if (org_require_supervision(db, actor, _("verify directory entries"), e))
		return e->code;
	char today[21];
	dv_utc_iso(dv_now(), today);
	today[10] = '\0';
	return set_and_audit(db, actor, id,
		"UPDATE orgs SET verified_on = ?2, updated_at = ?3 WHERE id = ?1", today, "org.verify", e);
}

int orgs_set_do_not_refer(dv_db *db, const char *actor, const char *id, int on, dv_error *e)
{
	if (org_require_supervision(db, actor, _("mark directory entries not to be referred"), e))
		return e->code;
	return set_and_audit(db, actor, id,
		on ? "UPDATE orgs SET do_not_refer = 1, updated_at = ?3 WHERE id = ?1 AND do_not_refer = 0"
		   : "UPDATE orgs SET do_not_refer = 0, updated_at = ?3 WHERE id = ?1 AND do_not_refer = 1",
		NULL, on ? "org.do-not-refer" : "org.refer-again", e);
}

int orgs_retire(dv_db *db, const char *actor, const char *id, dv_error *e)
{
	if (org_require_supervision(db, actor, _("retire directory entries"), e))
		return e->code;
	return set_and_audit(db, actor, id,
		"UPDATE orgs SET retired = 1, updated_at = ?3 WHERE id = ?1 AND retired = 0",
		NULL, "org.retire", e);
}

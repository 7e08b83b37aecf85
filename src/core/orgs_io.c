/* orgs_io.c: the directory as a file: import (checked whole, then all or
 * nothing), export (CSV that imports back to the same directory, or JSON),
 * and the seed shipped in data/orgs.csv. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "orgs_int.h"
#include "dovira/audit.h"
#include "dovira/csv.h"
#include "dovira/i18n.h"
#include "dovira/sanitize.h"
#include "dovira/priv.h"

#define MAX_FILE ((size_t)64 << 20)

/* ---- Problems, kept in line order ------------------------------------ */

typedef struct problem {
	long line, seq;
	char *msg;
} problem;

typedef struct problems {
	problem *v;
	size_t n, cap;
} problems;

static void add_problem(problems *ps, long line, const char *msg)
{
	if (ps->n == ps->cap) {
		ps->cap = ps->cap ? ps->cap * 2 : 16;
		ps->v = xrealloc(ps->v, ps->cap * sizeof *ps->v);
	}
	ps->v[ps->n] = (problem){line, (long)ps->n, xstrdup(msg)};
	ps->n++;
}

/* Each line of text (as written by org_probs) becomes a problem at line. */
static void add_problem_lines(problems *ps, long line, const char *text)
{
	while (text && *text) {
		const char *nl = strchr(text, '\n');
		size_t n = nl ? (size_t)(nl - text) : strlen(text);
		char *one = xstrndup(text, n);
		add_problem(ps, line, one);
		free(one);
		text += n + (nl != NULL);
	}
}

static void csv_problem(void *ctx, long line, const char *msg)
{
	add_problem(ctx, line, msg);
}

static int by_line(const void *a, const void *b)
{
	const problem *x = a, *y = b;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Write the problems to report as "FILE:LINE: message" and free them. */
static void flush_problems(problems *ps, const char *name, dv_buf *report)
{
	if (ps->n)
		qsort(ps->v, ps->n, sizeof *ps->v, by_line);
	for (size_t i = 0; i < ps->n; i++) {
		if (report)
			dv_buf_printf(report, "%s:%ld: %s\n", name, ps->v[i].line, ps->v[i].msg);
		free(ps->v[i].msg);
	}
	free(ps->v);
	memset(ps, 0, sizeof *ps);
}

/* ---- Ids seen in the file (open addressing) -------------------------- */

typedef struct id_set {
	const char **id;
	long *line;
	size_t cap, n;
} id_set;

static size_t id_hash(const char *s)
{
	size_t h = 5381;
	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

static void id_set_grow(id_set *set);

/* The line where id was seen first, or 0 after recording it at line. */
static long id_seen(id_set *set, const char *id, long line)
{
	if (2 * (set->n + 1) > set->cap)
		id_set_grow(set);
	size_t i = id_hash(id) & (set->cap - 1);
	while (set->id[i]) {
		if (strcmp(set->id[i], id) == 0)
			return set->line[i];
		i = (i + 1) & (set->cap - 1);
	}
	set->id[i] = id;
	set->line[i] = line;
	set->n++;
	return 0;
}

static void id_set_grow(id_set *set)
{
	id_set bigger = {0};
	bigger.cap = set->cap ? set->cap * 2 : 64;
	bigger.id = xcalloc(bigger.cap, sizeof *bigger.id);
	bigger.line = xcalloc(bigger.cap, sizeof *bigger.line);
	for (size_t i = 0; i < set->cap; i++)
		if (set->id[i])
			id_seen(&bigger, set->id[i], set->line[i]);
	free(set->id);
	free(set->line);
	*set = bigger;
}

/* ---- Reading the file ------------------------------------------------ */

typedef struct import_file {
	const char *name;
	problems probs;
	const org_col **field_col; /* column of each field of the header */
	size_t nfields;
	unsigned char *present;    /* per orgs_cols entry: named by the header */
	dv_org *rows;
	long *lines;
	size_t n, cap;
	org_stmts stmts;           /* reused for every row */
} import_file;

static void header_field(import_file *f, long line, size_t i, const char *text)
{
	size_t skip = strspn(text, " \t"), n = strlen(text + skip);
	while (n && (text[skip + n - 1] == ' ' || text[skip + n - 1] == '\t'))
		n--;
	char *name = xstrndup(text + skip, n);
	const org_col *c = org_col_named(name);
	char *msg = NULL;
	if (!c) {
		char *known = org_sql_columns("");
		msg = xasprintf(_("unknown column '%s'; the columns are: %s"), name, known);
		free(known);
	} else if (f->present[c - orgs_cols]) {
		msg = xasprintf(_("the column '%s' is named twice"), name);
		c = NULL;
	}
	if (msg)
		add_problem(&f->probs, line, msg);
	else
		f->present[c - orgs_cols] = 1;
	f->field_col[i] = c;
	free(msg);
	free(name);
}

static void read_header(import_file *f, const csv_record *rec)
{
	f->nfields = rec->n;
	f->field_col = xcalloc(rec->n, sizeof *f->field_col);
	for (size_t i = 0; i < rec->n; i++)
		header_field(f, rec->line, i, rec->field[i]);
	for (size_t i = 0; i < orgs_ncols; i++) {
		if ((orgs_cols[i].flags & OC_REQUIRED) && !f->present[i]) {
			char *msg = xasprintf(_("missing column '%s'"), orgs_cols[i].name);
			add_problem(&f->probs, rec->line, msg);
			free(msg);
		}
	}
}

static void keep_row(import_file *f, dv_org *o, long line)
{
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 64;
		f->rows = xrealloc(f->rows, f->cap * sizeof *f->rows);
		f->lines = xrealloc(f->lines, f->cap * sizeof *f->lines);
	}
	f->rows[f->n] = *o;
	f->lines[f->n++] = line;
}

/* A field a spreadsheet would run as a formula is refused, in every column;
 * the apostrophe that the export puts before such a field (csv.h) is taken
 * off. Telephone numbers may start with '+': their own check lets through
 * nothing but digits, spaces, '-', '(' and ')'. */
static const char *formula_free(import_file *f, long line, const org_col *c, const char *v)
{
	if (v[0] == '\'' && csv_is_formula(v + 1))
		return v + 1;
	if (!csv_is_formula(v) || (c && c->type == OT_PHONES))
		return v;
	char *msg = xasprintf(_("%s: starts with '%c', so a spreadsheet would run it as a formula; refused (to keep it as text, put an apostrophe before it)"),
			      c ? c->name : "?", v[0]);
	add_problem(&f->probs, line, msg);
	free(msg);
	return v;
}

static void read_row(import_file *f, const csv_record *rec, id_set *ids)
{
	if (rec->n != f->nfields) {
		char *msg = xasprintf(ngettext("%zu field, but the header has %zu (a missing comma, or a comma in a field without quotes?)",
					       "%zu fields, but the header has %zu (a missing comma, or a comma in a field without quotes?)", rec->n),
				      rec->n, f->nfields);
		add_problem(&f->probs, rec->line, msg);
		free(msg);
		return;
	}
	dv_org o = {0};
	o.age_min = o.age_max = -1;
	dv_buf text = {0};
	org_probs p = {&text, "", 0};
	for (size_t i = 0; i < rec->n; i++) {
		const char *v = formula_free(f, rec->line, f->field_col[i], rec->field[i]);
		if (f->field_col[i] && f->field_col[i]->type != OT_STAMP)
			org_set_text(&o, f->field_col[i], v, &p);
	}
	org_normalise(&o);
	org_check(&o, f->present, &p);
	add_problem_lines(&f->probs, rec->line, text.s);
	dv_buf_free(&text);
	long first = o.id ? id_seen(ids, o.id, rec->line) : 0;
	if (first) {
		char *msg = xasprintf(_("id: '%s' is already used on line %ld"), o.id, first);
		add_problem(&f->probs, rec->line, msg);
		free(msg);
	}
	keep_row(f, &o, rec->line);
}

static void free_import(import_file *f)
{
	for (size_t i = 0; i < f->n; i++)
		orgs_free(&f->rows[i]);
	free(f->rows);
	free(f->lines);
	free(f->field_col);
	free(f->present);
	for (size_t i = 0; i < f->probs.n; i++)
		free(f->probs.v[i].msg);
	free(f->probs.v);
}

/* Parse and check the whole file into *f; returns the problem count. */
static size_t parse_file(import_file *f, const char *data, size_t len)
{
	csv_reader *r = csv_reader_new(data, len, csv_problem, &f->probs);
	csv_record rec;
	id_set ids = {0};
	f->present = xcalloc(orgs_ncols, 1);
	if (!csv_next(r, &rec)) {
		if (!f->probs.n)
			add_problem(&f->probs, 1, _("the file is empty; it needs a header line naming the columns"));
	} else {
		read_header(f, &rec);
		while (csv_next(r, &rec))
			read_row(f, &rec, &ids);
	}
	csv_reader_free(r);
	free(ids.id);
	free(ids.line);
	return f->probs.n;
}

/* ---- Writing it ------------------------------------------------------ */

/* cur with the columns the file has taken from row. */
static void overlay(dv_org *cur, const dv_org *row, const unsigned char *present)
{
	for (size_t i = 0; i < orgs_ncols; i++) {
		const org_col *c = &orgs_cols[i];
		if (!present[i] || c->type == OT_STAMP)
			continue;
		if (c->type == OT_AGE || c->type == OT_FLAG) {
			*org_int(cur, c) = org_cint(row, c);
		} else {
			free(*org_str(cur, c));
			*org_str(cur, c) = org_cstr(row, c) ? xstrdup(org_cstr(row, c)) : NULL;
		}
	}
}

static int differs(const dv_org *a, const dv_org *b)
{
	for (size_t i = 0; i < orgs_ncols; i++)
		if (orgs_cols[i].type != OT_STAMP && org_col_differs(a, b, &orgs_cols[i]))
			return 1;
	return 0;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* Add or update one row. A row merged with the columns the file lacks is
 * checked again (an age_min above the age_max kept from the directory).
 * Each entry added or changed has its own audit row, with the entry's
 * digest, so that `dovira check` can tell an entry changed by the program
 * from one changed with SQL. */
static int write_row(dv_db *db, const char *actor, import_file *f, size_t i, orgs_import_stats *st, dv_error *e)
{
	dv_org cur;
	int code = org_load(db, &f->stmts, f->rows[i].id, &cur, e);
	if (code == DV_ENOTFOUND) {
		st->added++;
		code = org_store(db, &f->stmts, &f->rows[i], 1, e);
		return code ? code : audit_append(db, actor, "org.add", f->rows[i].id, base_name(f->name), e);
	}
	if (code)
		return code;
	dv_org merged;
	orgs_copy(&merged, &cur);
	overlay(&merged, &f->rows[i], f->present);
	dv_buf text = {0};
	org_probs p = {&text, "", 0};
	org_check(&merged, NULL, &p);
	if (p.n) {
		add_problem_lines(&f->probs, f->lines[i], text.s);
		code = DV_EINVAL;
	} else if (differs(&merged, &cur)) {
		st->updated++;
		code = org_store(db, &f->stmts, &merged, 0, e);
		if (!code)
			code = audit_append(db, actor, "org.edit", merged.id, base_name(f->name), e);
	} else {
		st->unchanged++;
	}
	dv_buf_free(&text);
	orgs_free(&merged);
	orgs_free(&cur);
	return code;
}

static int write_all(dv_db *db, const char *actor, import_file *f, orgs_import_stats *st, dv_error *e)
{
	if (dbi_begin(db, e))
		return e->code;
	int code = DV_OK;
	for (size_t i = 0; i < f->n && code == DV_OK; i++)
		code = write_row(db, actor, f, i, st, e);
	org_stmts_free(&f->stmts);
	if (code == DV_OK) {
		char *detail = xasprintf("%ld rows: %ld added, %ld updated, %ld unchanged",
					 st->rows, st->added, st->updated, st->unchanged);
		code = audit_append(db, actor, "org.import", base_name(f->name), detail, e);
		free(detail);
	}
	return code == DV_OK ? dbi_commit(db, e) : (dbi_rollback(db), code);
}

static int refuse(dv_error *e, const char *name, size_t n)
{
	return dv_fail(e, DV_EINVAL, ngettext("%s: %zu problem; nothing was imported",
					      "%s: %zu problems; nothing was imported", n), name, n);
}

int orgs_import(dv_db *db, const char *actor, const char *path, dv_buf *report,
		orgs_import_stats *stats, dv_error *e)
{
	orgs_import_stats st = {0};
	if (stats)
		*stats = st;
	char *data;
	size_t len;
	if (org_require_supervision(db, actor, _("import the directory"), e) ||
	    csv_read_file(path, MAX_FILE, &data, &len, e))
		return e->code;
	import_file f = {0};
	f.name = path;
	size_t n = parse_file(&f, data, len);
	int code = DV_OK;
	if (n) {
		code = refuse(e, path, n);
	} else {
		st.rows = (long)f.n;
		code = write_all(db, actor, &f, &st, e);
		if (code == DV_EINVAL && f.probs.n)
			refuse(e, path, f.probs.n);
	}
	flush_problems(&f.probs, path, report);
	free_import(&f);
	free(data);
	if (stats && code == DV_OK)
		*stats = st;
	return code;
}

/* ---- Export ---------------------------------------------------------- */

static void json_string(dv_buf *b, const char *s)
{
	dv_buf_add_json(b, s);
}

/* A list column as a JSON array, split at sep. */
static void json_list(dv_buf *b, const char *s, char sep)
{
	dv_buf_addc(b, '[');
	for (int first = 1; s && *s; first = 0) {
		size_t n = strcspn(s, (char[]){sep, '\0'});
		char *one = xstrndup(s, n);
		char *t = one + strspn(one, " ");
		if (!first)
			dv_buf_adds(b, ", ");
		json_string(b, t);
		free(one);
		s += n + (s[n] != '\0');
	}
	dv_buf_addc(b, ']');
}

static void json_value(dv_buf *b, const dv_org *o, const org_col *c)
{
	if (c->type == OT_FLAG) {
		dv_buf_adds(b, org_cint(o, c) ? "true" : "false");
		return;
	}
	if (c->type == OT_AGE) {
		if (org_cint(o, c) < 0)
			dv_buf_adds(b, "null");
		else
			dv_buf_printf(b, "%d", org_cint(o, c));
		return;
	}
	const char *s = org_cstr(o, c);
	if (!s)
		dv_buf_adds(b, "null");
	else if ((c->type == OT_CODES && !(c->flags & OC_ONE)) || c->type == OT_LANGS)
		json_list(b, s, ' ');
	else if (c->type == OT_PHONES)
		json_list(b, s, ';');
	else
		json_string(b, s);
}

static void json_entry(dv_buf *b, const dv_org *o, int first)
{
	dv_buf_adds(b, first ? "  {" : ",\n  {");
	for (size_t i = 0; i < orgs_ncols; i++) {
		dv_buf_printf(b, "%s\n    \"%s\": ", i ? "," : "", orgs_cols[i].name);
		json_value(b, o, &orgs_cols[i]);
	}
	dv_buf_adds(b, "\n  }");
}

static void csv_entry(dv_buf *b, const dv_org *o)
{
	const char **field = xcalloc(orgs_ncols, sizeof *field);
	char tmp[24];
	for (size_t i = 0; i < orgs_ncols; i++) {
		const char *v = org_text(o, &orgs_cols[i], tmp);
		field[i] = v ? sanitize(v, SANITIZE_KEEP_NEWLINE) : NULL;
	}
	csv_add_record(b, field, orgs_ncols);
	for (size_t i = 0; i < orgs_ncols; i++)
		free((char *)field[i]);
	free(field);
}

static void csv_header(dv_buf *b)
{
	const char **field = xcalloc(orgs_ncols, sizeof *field);
	for (size_t i = 0; i < orgs_ncols; i++)
		field[i] = orgs_cols[i].name;
	csv_add_record(b, field, orgs_ncols);
	free(field);
}

/* Write every entry to out; the count, or a negative code. */
static long write_entries(dv_db *db, FILE *out, orgs_format format, dv_error *e)
{
	char *cols = org_sql_columns("");
	char *sql = xasprintf("SELECT %s FROM orgs ORDER BY id", cols);
	sqlite3_stmt *st = dbi_prepare(db, sql, e);
	free(sql);
	free(cols);
	if (!st)
		return e->code;
	dv_buf b = {0};
	if (format == ORGS_CSV)
		csv_header(&b);
	else
		dv_buf_adds(&b, "[\n");
	long n = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		dv_org o;
		org_from_row(st, 0, &o);
		if (format == ORGS_CSV)
			csv_entry(&b, &o);
		else
			json_entry(&b, &o, n == 0);
		orgs_free(&o);
		n++;
		fwrite(b.s, 1, b.len, out);
		b.len = 0;
	}
	sqlite3_finalize(st);
	if (format == ORGS_JSON)
		dv_buf_adds(&b, n ? "\n]\n" : "]\n");
	if (b.len)
		fwrite(b.s, 1, b.len, out);
	dv_buf_free(&b);
	if (rc != SQLITE_DONE)
		return dbi_fail(db, rc, _("reading the directory"), e);
	if (fflush(out) != 0 || ferror(out))
		return dv_fail(e, DV_EIO, _("the export could not be written in full (disk full, or the reader went away?)"));
	return n;
}

long orgs_export(dv_db *db, const char *actor, FILE *out, orgs_format format, dv_error *e)
{
	long n = write_entries(db, out, format, e);
	if (n < 0)
		return n;
	char *detail = xasprintf("%s, %ld entries", format == ORGS_CSV ? "csv" : "json", n);
	int code = dbi_begin(db, e);
	if (code == DV_OK) {
		code = audit_append(db, actor, "org.export", NULL, detail, e);
		code = code == DV_OK ? dbi_commit(db, e) : (dbi_rollback(db), code);
	}
	free(detail);
	return code == DV_OK ? n : code;
}

int orgs_format_parse(const char *s)
{
	if (s && strcmp(s, "csv") == 0)
		return ORGS_CSV;
	if (s && strcmp(s, "json") == 0)
		return ORGS_JSON;
	return -1;
}

/* ---- The seed -------------------------------------------------------- */

const char *orgs_default_seed_path(void)
{
	static char path[4096];
	const char *dir = priv_getenv_dir("DOVIRA_DATADIR");
	snprintf(path, sizeof path, "%s/orgs.csv", dir && *dir ? dir : PKGDATADIR);
	return path;
}

int orgs_seed_if_empty(dv_db *db, const char *actor, const char *csv_path, dv_error *e)
{
	long n = orgs_count(db, e);
	if (n != 0)
		return n < 0 ? (int)n : DV_OK;
	dv_buf report = {0};
	int code = orgs_import(db, actor, csv_path, &report, NULL, e);
	if (code == DV_EINVAL && report.len) {
		char first[512];
		snprintf(first, sizeof first, "%.*s", (int)strcspn(report.s, "\n"), report.s);
		char *all = xstrdup(e->msg);
		dv_fail(e, DV_EINVAL, _("%s (first: %s)"), all, first);
		free(all);
	}
	dv_buf_free(&report);
	return code;
}

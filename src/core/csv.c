/* csv.c: an RFC 4180 reader that reports every syntax problem, and a writer. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dovira/csv.h"
#include "dovira/i18n.h"
#include "dovira/priv.h"
#include "dovira/utf8.h"

struct csv_reader {
	const char *p, *end;
	long line;
	long problems;
	long nul_line;    /* the last line a NUL byte was reported on */
	int utf16;
	int utf8_checked;
	csv_problem_fn *problem;
	void *ctx;
	dv_buf text;      /* the fields of the current record, NUL after each */
	size_t *start;    /* offset of each field in text */
	char **field;
	size_t n, cap;
};

csv_reader *csv_reader_new(const char *data, size_t len, csv_problem_fn *problem, void *ctx)
{
	csv_reader *r = xcalloc(1, sizeof *r);
	r->p = data;
	r->end = data + len;
	r->line = 1;
	r->problem = problem;
	r->ctx = ctx;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		r->p += 3;
	else if (len >= 2 && (memcmp(data, "\xFF\xFE", 2) == 0 || memcmp(data, "\xFE\xFF", 2) == 0))
		r->utf16 = 1;
	return r;
}

void csv_reader_free(csv_reader *r)
{
	if (!r)
		return;
	dv_buf_free(&r->text);
	free(r->start);
	free(r->field);
	free(r);
}

long csv_problems(const csv_reader *r)
{
	return r->problems;
}

static void problem(csv_reader *r, long line, const char *msg)
{
	r->problems++;
	if (r->problem)
		r->problem(r->ctx, line, msg);
}

/* At a line ending (LF or CRLF)? Returns its length, else 0. */
static int eol(const csv_reader *r, const char *p)
{
	if (p < r->end && *p == '\n')
		return 1;
	if (p + 1 < r->end && p[0] == '\r' && p[1] == '\n')
		return 2;
	return 0;
}

static void add_byte(csv_reader *r, char c)
{
	if (c == '\0') {
		if (r->nul_line != r->line)
			problem(r, r->line, _("a NUL byte: this is not a text file"));
		r->nul_line = r->line;
		return;
	}
	dv_buf_addc(&r->text, c);
}

/* The rest of an unquoted field, up to a comma or line end. Text after a
 * closing quote is read the same way, with its own complaint. */
static void read_bare(csv_reader *r, int after_quote)
{
	int complained = 0;
	if (after_quote && r->p < r->end && *r->p != ',' && !eol(r, r->p)) {
		problem(r, r->line, _("text after the closing quote of a field; a quote inside a quoted field must be doubled (\"\")"));
		complained = 1;
	}
	while (r->p < r->end && *r->p != ',' && !eol(r, r->p)) {
		if (*r->p == '"' && !complained) {
			problem(r, r->line, _("a quote inside a field that does not start with a quote; enclose the field in quotes and double the quote (\"\")"));
			complained = 1;
		}
		add_byte(r, *r->p++);
	}
}

/* A quoted field; r->p is just past the opening quote. Returns 0 if the
 * input ended inside it. */
static int read_quoted(csv_reader *r)
{
	long open = r->line;
	while (r->p < r->end) {
		int n = eol(r, r->p);
		if (n) {
			dv_buf_addc(&r->text, '\n');
			r->p += n;
			r->line++;
		} else if (*r->p == '"' && r->p + 1 < r->end && r->p[1] == '"') {
			dv_buf_addc(&r->text, '"');
			r->p += 2;
		} else if (*r->p == '"') {
			r->p++;
			read_bare(r, 1);
			return 1;
		} else {
			add_byte(r, *r->p++);
		}
	}
	problem(r, open, _("a quoted field starts on this line and is never closed (the file ends inside it)"));
	return 0;
}

static void end_field(csv_reader *r)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 32;
		r->start = xrealloc(r->start, r->cap * sizeof *r->start);
		r->field = xrealloc(r->field, r->cap * sizeof *r->field);
	}
	dv_buf_addc(&r->text, '\0');
	r->start[r->n++] = r->text.len;
}

/* Report each line that holds a byte sequence which is not UTF-8, in any
 * column, even one the caller ignores: a file saved in another encoding
 * is refused whole rather than read in part. */
static void check_utf8(csv_reader *r)
{
	const unsigned char *p = (const unsigned char *)r->p, *end = (const unsigned char *)r->end;
	const unsigned char *line_start = p;
	long line = 1, reported = 0;
	while (p < end) {
		unsigned cp;
		int k = *p < 0x80 ? 1 : utf8_decode(p, (size_t)(end - p), &cp);
		if (k < 0 && reported != line) {
			char *msg = xasprintf(_("invalid UTF-8 at byte %ld of the line; save the file as \"CSV UTF-8\""),
					      (long)(p - line_start) + 1);
			problem(r, line, msg);
			free(msg);
			reported = line;
		}
		if (*p == '\n') {
			line++;
			line_start = p + 1;
		}
		p += k < 0 ? -k : k;
	}
}

int csv_next(csv_reader *r, csv_record *rec)
{
	int n;
	if (!r->utf8_checked && !r->utf16) {
		r->utf8_checked = 1;
		check_utf8(r);
	}
	if (r->utf16) {
		r->utf16 = 0;
		r->p = r->end;
		problem(r, 1, _("the file is in UTF-16; save it as \"CSV UTF-8\""));
		return 0;
	}
	while ((n = eol(r, r->p)) != 0) {
		r->p += n;
		r->line++;
	}
	if (r->p >= r->end)
		return 0;
	dv_buf_free(&r->text);
	dv_buf_add(&r->text, "", 0);
	r->n = 0;
	rec->line = r->line;
	for (;;) {
		int closed = 1;
		if (r->p < r->end && *r->p == '"') {
			r->p++;
			closed = read_quoted(r);
		} else {
			read_bare(r, 0);
		}
		end_field(r);
		if (closed && r->p < r->end && *r->p == ',') {
			r->p++;
			continue;
		}
		rec->last = r->line;
		if ((n = eol(r, r->p)) != 0) {
			r->p += n;
			r->line++;
		}
		break;
	}
	/* Field i runs from the end of field i-1 (its NUL) to the next NUL. */
	for (size_t i = 0; i < r->n; i++)
		r->field[i] = r->text.s + (i ? r->start[i - 1] : 0);
	rec->field = r->field;
	rec->n = r->n;
	return 1;
}

int csv_is_formula(const char *s)
{
	return s && *s && strchr("=+-@", *s) != NULL;
}

static int needs_quotes(const char *s)
{
	size_t n = strlen(s);
	if (n && (s[0] == ' ' || s[n - 1] == ' '))
		return 1;
	return strpbrk(s, ",\"\r\n") != NULL;
}

void csv_add_field(dv_buf *b, const char *s)
{
	if (!s)
		return;
	if (csv_is_formula(s)) {
		/* A spreadsheet shows a cell that starts with an apostrophe as
		 * text; the import takes the apostrophe off again. */
		char *t = xasprintf("'%s", s);
		csv_add_field(b, t);
		free(t);
		return;
	}
	if (!needs_quotes(s)) {
		dv_buf_adds(b, s);
		return;
	}
	dv_buf_addc(b, '"');
	for (; *s; s++) {
		if (*s == '"')
			dv_buf_addc(b, '"');
		dv_buf_addc(b, *s);
	}
	dv_buf_addc(b, '"');
}

void csv_add_record(dv_buf *b, const char *const *field, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			dv_buf_addc(b, ',');
		csv_add_field(b, field[i]);
	}
	dv_buf_adds(b, "\r\n");
}

int csv_read_file(const char *path, size_t max, char **data, size_t *len, dv_error *e)
{
	*data = NULL;
	*len = 0;
	FILE *f = priv_user_fopen(path, "rb");
	if (!f)
		return dv_fail(e, errno == ENOENT ? DV_ENOTFOUND : DV_EIO, _("%s: cannot open: %s"), path, strerror(errno));
	struct stat sb;
	if (fstat(fileno(f), &sb) == 0 && !S_ISREG(sb.st_mode)) {
		fclose(f);
		return dv_fail(e, DV_EINVAL, _("%s: not a regular file"), path);
	}
	dv_buf b = {0};
	int rc = dv_buf_read(&b, f, max);
	fclose(f);
	if (rc != 0) {
		dv_buf_free(&b);
		if (rc > 0)
			return dv_fail(e, DV_EINVAL, _("%s: the file is larger than %zu bytes; is it the right file?"), path, max);
		return dv_fail(e, DV_EIO, _("%s: read error"), path);
	}
	*len = b.len;
	*data = dv_buf_take(&b);
	return DV_OK;
}

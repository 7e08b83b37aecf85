/* csv.h: reading and writing RFC 4180 CSV.
 *
 * Fields are separated by commas and records by CRLF (LF alone is
 * accepted on reading). A field that holds a comma, a quote or a line
 * break is enclosed in double quotes, and a quote inside it is doubled.
 * The reader knows nothing about what the fields mean: the caller checks
 * their content (see orgs.h for the directory).
 *
 * Formulas: the guides tell supervisors to edit exports in a spreadsheet,
 * which runs a cell starting with = + - or @ as a formula (and a formula
 * can fetch URLs or run commands). The writer puts an apostrophe before
 * such a field, so the spreadsheet shows it as text; importers refuse such
 * a field and take off the apostrophe that the writer added (orgs.h).
 */
#ifndef DOVIRA_CSV_H
#define DOVIRA_CSV_H

#include <stddef.h>

#include "dovira/util.h"

/* Called once per syntax problem: line is the 1-based line of the input
 * where it was found, msg a translated one-line message. */
typedef void csv_problem_fn(void *ctx, long line, const char *msg);

typedef struct csv_reader csv_reader;

/* One record. The strings belong to the reader and stay valid until the
 * next csv_next or csv_reader_free. */
typedef struct csv_record {
	char **field; /* n NUL-terminated fields */
	size_t n;
	long line;    /* the line on which the record starts */
	long last;    /* the line on which it ends (later if a field spans lines) */
} csv_record;

/* A reader over the len bytes at data, which must outlive the reader (it
 * is not copied). A UTF-8 byte order mark at the start is skipped.
 * problem (may be NULL) receives every syntax problem. Never NULL. */
csv_reader *csv_reader_new(const char *data, size_t len, csv_problem_fn *problem, void *ctx);
void csv_reader_free(csv_reader *r);

/* Read the next record into *rec: 1 if one was read, 0 at the end.
 * Lines that are entirely empty between records are skipped. Inside a
 * quoted field CRLF is read as LF, so that a field means the same
 * whichever line ending the file was saved with.
 * Syntax problems are reported through the problem callback and reading
 * goes on with a best guess, so that one pass finds every problem:
 * a quote inside a field that does not start with one (kept as text),
 * text after a closing quote (kept), a NUL byte (dropped), and a quoted
 * field that is never closed (reported on the line where it opens; the
 * rest of the input becomes that field and the reader ends). Before the
 * first record, every line holding invalid UTF-8 is reported, whichever
 * field it is in. */
int csv_next(csv_reader *r, csv_record *rec);

/* 1 if a spreadsheet would run the field s as a formula: it starts with
 * '=', '+', '-' or '@'. */
int csv_is_formula(const char *s);

/* The number of syntax problems reported so far. */
long csv_problems(const csv_reader *r);

/* Append s (NULL is an empty field) to b as one field, quoted when it
 * holds a comma, a quote, CR, LF, or leading or trailing spaces, and with
 * an apostrophe in front when csv_is_formula(s). */
void csv_add_field(dv_buf *b, const char *s);

/* Append n fields as one record ended by CRLF. */
void csv_add_record(dv_buf *b, const char *const *field, size_t n);

/* Read the whole file at path into *data (NUL-terminated, caller frees)
 * and its length into *len. A file larger than max bytes is refused with
 * DV_EINVAL; a missing file is DV_ENOTFOUND, another failure DV_EIO. */
int csv_read_file(const char *path, size_t max, char **data, size_t *len, dv_error *e);

#endif

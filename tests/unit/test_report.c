/* test_report.c: the report module's pure parts: periods, Kyiv time,
 * suppression on hand-made blocks, and the CSV's guard against formulas. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "../../src/core/report_int.h"
#include "dovira/csv.h"
#include "tap.h"

static report_block *grid(size_t nr, size_t nc, const long *v, int rt, int ct)
{
	report_block *b = calloc(1, sizeof *b);
	b->nrows = nr;
	b->ncols = nc;
	b->row_total = rt;
	b->col_total = ct;
	b->v = calloc((nr + 1) * (nc + 1), sizeof *b->v);
	b->state = calloc((nr + 1) * (nc + 1), 1);
	b->row_code = calloc(nr, sizeof (char *));
	b->row_label = calloc(nr, sizeof (char *));
	b->col_code = calloc(nc, sizeof (char *));
	b->col_label = calloc(nc, sizeof (char *));
	for (size_t r = 0; r < nr; r++) {
		b->row_code[r] = xasprintf("r%zu", r);
		b->row_label[r] = xasprintf(r == 0 ? "=HYPERLINK(\"x\")" : r == 1 ? "-1+2" : r == 2 ? "@SUM" : "+Київ %zu", r);
	}
	for (size_t c = 0; c < nc; c++) {
		b->col_code[c] = xasprintf("c%zu", c);
		b->col_label[c] = xasprintf("Стовпець %zu", c);
	}
	size_t w = nc + 1;
	for (size_t r = 0; r < nr; r++)
		for (size_t c = 0; c < nc; c++) {
			long x = v[r * nc + c];
			b->v[r * w + c] = x;
			b->v[r * w + nc] += x;
			b->v[nr * w + c] += x;
			b->v[nr * w + nc] += x;
		}
	return b;
}

static void drop(report_block *b)
{
	report_table *t = xcalloc(1, sizeof *t);
	t->blocks = b;
	t->nblocks = 1;
	report_table_free(t);
}

static int hidden(const report_block *b, size_t r, size_t c)
{
	return report_cell_state_at(b, r, c) != REPORT_SHOWN;
}

/* Each line (a row or a column with its total) holds 0 or at least 2 hidden cells. */
static int lines_safe(const report_block *b)
{
	for (size_t r = 0; r <= b->nrows; r++) {
		int n = 0;
		for (size_t c = 0; c <= b->ncols; c++)
			n += hidden(b, r, c);
		if (n == 1)
			return 0;
	}
	for (size_t c = 0; c <= b->ncols; c++) {
		int n = 0;
		for (size_t r = 0; r <= b->nrows; r++)
			n += hidden(b, r, c);
		if (n == 1)
			return 0;
	}
	return 1;
}

int main(void)
{
	report_period p;
	dv_error e;
	ok(report_period_parse("2026-Q4", &p, &e) == DV_OK && strcmp(p.from, "2026-10-01") == 0 && strcmp(p.to, "2026-12-31") == 0
	   && p.quarters, "2026-Q4 is 1 October to 31 December, whole quarters");
	ok(report_period_parse("2028-02", &p, &e) == DV_OK && strcmp(p.to, "2028-02-29") == 0 && !p.quarters,
	   "a leap February ends on the 29th and is not a whole quarter");
	ok(report_period_parse("2026", &p, &e) == DV_OK && p.quarters && strcmp(p.to, "2026-12-31") == 0, "a year is whole quarters");
	ok(report_period_parse("2026-Q5", &p, &e) == DV_EINVAL && report_period_parse("26-11", &p, &e) == DV_EINVAL
	   && report_period_parse("2026-1", &p, &e) == DV_EINVAL, "Q5, a two-digit year and a one-digit month are refused");
	ok(report_period_dates("2026-04-01", "2026-09-30", &p, &e) == DV_OK && p.quarters, "April to September is whole quarters");
	ok(report_period_dates("2026-04-02", "2026-09-30", &p, &e) == DV_OK && !p.quarters, "from the 2nd of April is not");
	ok(report_period_dates("2026-02-30", "2026-03-01", &p, &e) == DV_EINVAL, "30 February is not a date");
	/* 29 Mar 2026 01:00 UTC and 25 Oct 2026 01:00 UTC are the changes. */
	ok(report_kyiv_offset(1774745999) == 7200 && report_kyiv_offset(1774746000) == 10800, "summer time starts at 01:00 UTC on 29 March 2026");
	ok(report_kyiv_offset(1792890000 - 1) == 10800 && report_kyiv_offset(1792890000) == 7200, "and ends at 01:00 UTC on 25 October 2026");

	long v1[] = {3, 20, 30, 15, 25, 40};
	report_block *b = grid(2, 3, v1, 1, 1);
	report_protect(b, REPORT_DEPARTMENT);
	ok(report_cell_state_at(b, 0, 0) == REPORT_LT5 && lines_safe(b), "department: 3 shows as <5 and a partner hides in its row and column");
	ok(report_cell_state_at(b, 1, 2) == REPORT_SHOWN, "a cell far from it stays shown");

	/* Two 2x2 blocks of small cells joined by one row: the linear adversary
	 * would solve the bridge if only the lines were counted. */
	drop(b);
	long v2[] = {2, 3, 50, 50, 0,
		     3, 2, 50, 50, 0,
		     60, 60, 3, 2, 90,
		     60, 60, 2, 3, 90};
	b = grid(4, 5, v2, 1, 1);
	report_protect(b, REPORT_PUBLIC);
	int shown_small = 0;
	for (size_t r = 0; r <= 4; r++)
		for (size_t c = 0; c <= 5; c++)
			shown_small |= !hidden(b, r, c) && report_cell(b, r, c) >= 1 && report_cell(b, r, c) <= 10;
	ok(!shown_small && lines_safe(b), "public: no cell 1..10 shown and no line with a lone hidden cell");

	drop(b);
	long v3[] = {1, 0, 0};
	b = grid(3, 1, v3, 1, 0);
	report_protect(b, REPORT_PUBLIC);
	ok(hidden(b, 0, 0) && (hidden(b, 1, 0) || hidden(b, 2, 0) || hidden(b, 3, 0)), "a lone 1 in a column hides a partner, a zero or the total");

	drop(b);
	report_table t = {0};
	t.name = "test";
	t.title = "Тест";
	t.blocks = grid(4, 2, (long[]){20, 30, 40, 50, 60, 70, 80, 90}, 1, 1);
	t.nblocks = 1;
	report_period_parse("2026-Q4", &t.period, &e);
	dv_buf out = {0};
	report_render(&t, REPORT_CSV, &out);
	ok(out.len > 3 && memcmp(out.s, "\xef\xbb\xbf", 3) == 0, "the CSV begins with the UTF-8 byte order mark");
	csv_reader *rd = csv_reader_new(out.s, out.len, NULL, NULL);
	csv_record rec;
	int formula = 0, cyr = 0;
	while (csv_next(rd, &rec))
		for (size_t i = 0; i < rec.n; i++) {
			formula |= strchr("=+-@", rec.field[i][0]) && rec.field[i][0];
			cyr |= strstr(rec.field[i], "Київ") != NULL;
		}
	csv_reader_free(rd);
	ok(!formula, "no CSV cell begins with = + - @ even when a label does");
	ok(cyr, "the Cyrillic labels are in the CSV intact");
	dv_buf_free(&out);
	report_table *heap = xcalloc(1, sizeof *heap);
	*heap = t;
	heap->title = xstrdup(t.title);
	report_table_free(heap);
	return tap_done();
}

/* report_protect.c: primary and complementary suppression of a block.
 *
 * A block with a total row and/or column is a small system of equations:
 * each line (a column with its total, a row with its total) says that the
 * data cells add up to the total cell. Primary cells (1..4 for the
 * department, 1..10 for the public) are hidden; then, until no hidden cell
 * can be worked out, more cells are hidden. "Worked out" is what an
 * adversary with the published cells can do:
 *   - exact linear algebra over the line equations (a hidden cell whose
 *     unit vector lies in the row space of the equations is determined);
 *   - interval reasoning: each hidden cell is at least 0 (at least 1 and
 *     at most 4 when shown as "<5"), and each line bounds its hidden
 *     cells by the others' bounds; a cell whose bounds meet is known.
 * Each round hides the smallest positive visible data cell of a line
 * through a known cell (a zero cell, then a total, only if there is none),
 * so the loop ends: at worst every cell of the block is hidden.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dovira/report.h"

typedef struct line {
	size_t *cell;   /* indexes into the (nrows+1) x (ncols+1) grid */
	int *coef;      /* +1 for data cells, -1 for the total */
	size_t n;
} line;

typedef struct grid {
	report_block *b;
	size_t w;       /* ncols + 1 */
	line *lines;
	size_t nlines;
} grid;

static int present(const report_block *b, size_t r, size_t c)
{
	if (r > b->nrows || c > b->ncols)
		return 0;
	if (r == b->nrows && !b->row_total)
		return 0;
	if (c == b->ncols && !b->col_total)
		return 0;
	return 1;
}

static void add_line(grid *g, int by_row, size_t k)
{
	report_block *b = g->b;
	line l = {0};
	size_t n = by_row ? b->ncols : b->nrows;
	l.cell = calloc(n + 1, sizeof *l.cell);
	l.coef = calloc(n + 1, sizeof *l.coef);
	for (size_t i = 0; i <= n; i++) {
		size_t r = by_row ? k : i, c = by_row ? i : k;
		l.cell[l.n] = r * g->w + c;
		l.coef[l.n++] = i == n ? -1 : 1;
	}
	g->lines = realloc(g->lines, (g->nlines + 1) * sizeof *g->lines);
	g->lines[g->nlines++] = l;
}

static void make_lines(grid *g)
{
	report_block *b = g->b;
	if (b->row_total)
		for (size_t c = 0; c <= b->ncols; c++)
			if (present(b, b->nrows, c))
				add_line(g, 0, c);
	if (b->col_total)
		for (size_t r = 0; r <= b->nrows; r++)
			if (present(b, r, b->ncols))
				add_line(g, 1, r);
}

static void free_lines(grid *g)
{
	for (size_t i = 0; i < g->nlines; i++) {
		free(g->lines[i].cell);
		free(g->lines[i].coef);
	}
	free(g->lines);
}

/* The hidden cell known by interval reasoning, or (size_t)-1. */
static size_t interval_attack(const grid *g)
{
	const report_block *b = g->b;
	size_t ncell = (b->nrows + 1) * g->w;
	double *lo = malloc(ncell * sizeof *lo), *hi = malloc(ncell * sizeof *hi);
	for (size_t i = 0; i < ncell; i++) {
		int hidden = b->state[i] != REPORT_SHOWN;
		lo[i] = hidden ? (b->state[i] == REPORT_LT5 ? 1 : 0) : (double)b->v[i];
		hi[i] = hidden ? (b->state[i] == REPORT_LT5 ? 4 : INFINITY) : (double)b->v[i];
	}
	for (int round = 0, changed = 1; changed && round < 100; round++) {
		changed = 0;
		for (size_t li = 0; li < g->nlines; li++) {
			const line *l = &g->lines[li];
			/* sum coef*x = 0: each x_i is bounded by the others. */
			for (size_t i = 0; i < l->n; i++) {
				size_t ci = l->cell[i];
				if (b->state[ci] == REPORT_SHOWN)
					continue;
				double rlo = 0, rhi = 0; /* bounds of -sum_{j!=i} coef_j x_j */
				for (size_t j = 0; j < l->n; j++) {
					if (j == i)
						continue;
					size_t cj = l->cell[j];
					if (l->coef[j] > 0) {
						rlo -= hi[cj];
						rhi -= lo[cj];
					} else {
						rlo += lo[cj];
						rhi += hi[cj];
					}
				}
				/* coef_i x_i = r, so x_i = r / coef_i */
				double nlo = l->coef[i] > 0 ? rlo : -rhi, nhi = l->coef[i] > 0 ? rhi : -rlo;
				if (nlo > lo[ci] + 1e-9) {
					lo[ci] = nlo;
					changed = 1;
				}
				if (nhi < hi[ci] - 1e-9) {
					hi[ci] = nhi;
					changed = 1;
				}
			}
		}
	}
	size_t known = (size_t)-1;
	for (size_t i = 0; i < ncell && known == (size_t)-1; i++)
		if (b->state[i] != REPORT_SHOWN && present(b, i / g->w, i % g->w) && hi[i] - lo[i] < 0.5)
			known = i;
	free(lo);
	free(hi);
	return known;
}

/* The hidden cell determined by the line equations, or (size_t)-1:
 * Gaussian elimination on the hidden unknowns. */
static size_t linear_attack(const grid *g)
{
	const report_block *b = g->b;
	size_t ncell = (b->nrows + 1) * g->w, nh = 0;
	size_t *col = malloc(ncell * sizeof *col), *var = malloc(ncell * sizeof *var);
	for (size_t i = 0; i < ncell; i++) {
		col[i] = (size_t)-1;
		if (b->state[i] != REPORT_SHOWN && present(b, i / g->w, i % g->w)) {
			col[i] = nh;
			var[nh++] = i;
		}
	}
	size_t m = g->nlines, known = (size_t)-1;
	double *a = calloc(m * (nh ? nh : 1), sizeof *a);
	for (size_t li = 0; li < m; li++)
		for (size_t j = 0; j < g->lines[li].n; j++) {
			size_t c = g->lines[li].cell[j];
			if (col[c] != (size_t)-1)
				a[li * nh + col[c]] = g->lines[li].coef[j];
		}
	size_t rank = 0;
	for (size_t c = 0; c < nh && rank < m; c++) {
		size_t p = rank;
		while (p < m && fabs(a[p * nh + c]) < 1e-9)
			p++;
		if (p == m)
			continue;
		for (size_t k = 0; k < nh; k++) {
			double t = a[p * nh + k];
			a[p * nh + k] = a[rank * nh + k];
			a[rank * nh + k] = t;
		}
		double piv = a[rank * nh + c];
		for (size_t k = 0; k < nh; k++)
			a[rank * nh + k] /= piv;
		for (size_t r = 0; r < m; r++) {
			double f = a[r * nh + c];
			if (r == rank || fabs(f) < 1e-12)
				continue;
			for (size_t k = 0; k < nh; k++)
				a[r * nh + k] -= f * a[rank * nh + k];
		}
		rank++;
	}
	/* A row of the reduced form with a single non-zero names a known cell. */
	for (size_t r = 0; r < rank && known == (size_t)-1; r++) {
		size_t nz = 0, at = 0;
		for (size_t k = 0; k < nh; k++)
			if (fabs(a[r * nh + k]) > 1e-9) {
				nz++;
				at = k;
			}
		if (nz == 1)
			known = var[at];
	}
	free(a);
	free(col);
	free(var);
	return known;
}

/* Hide one more visible cell on a line through cell: the smallest positive
 * data cell, else a zero data cell, else the total. 0 if none is left. */
static int hide_beside(grid *g, size_t cell)
{
	report_block *b = g->b;
	size_t best = (size_t)-1;
	int best_rank = 4;
	long best_v = 0;
	for (size_t li = 0; li < g->nlines; li++) {
		const line *l = &g->lines[li];
		int through = 0;
		for (size_t j = 0; j < l->n; j++)
			through |= l->cell[j] == cell;
		if (!through)
			continue;
		for (size_t j = 0; j < l->n; j++) {
			size_t c = l->cell[j];
			if (b->state[c] != REPORT_SHOWN)
				continue;
			int rank = l->coef[j] < 0 ? 3 : b->v[c] > 0 ? 1 : 2;
			if (rank < best_rank || (rank == best_rank && b->v[c] < best_v)) {
				best = c;
				best_rank = rank;
				best_v = b->v[c];
			}
		}
	}
	if (best == (size_t)-1)
		return 0;
	b->state[best] = REPORT_HIDDEN;
	return 1;
}

/* A line with exactly one hidden cell gives it away: the cell, or -1. */
static size_t lone_hidden(const grid *g)
{
	for (size_t li = 0; li < g->nlines; li++) {
		const line *l = &g->lines[li];
		size_t nh = 0, at = 0;
		for (size_t j = 0; j < l->n; j++)
			if (g->b->state[l->cell[j]] != REPORT_SHOWN) {
				nh++;
				at = l->cell[j];
			}
		if (nh == 1)
			return at;
	}
	return (size_t)-1;
}

void report_protect(report_block *b, report_level level)
{
	size_t w = b->ncols + 1, ncell = (b->nrows + 1) * w;
	if (level == REPORT_INTERNAL || b->measure)
		return;
	long k = level == REPORT_PUBLIC ? 10 : 4;
	for (size_t i = 0; i < ncell; i++)
		if (present(b, i / w, i % w) && b->v[i] >= 1 && b->v[i] <= k)
			b->state[i] = level == REPORT_DEPARTMENT ? REPORT_LT5 : REPORT_HIDDEN;
	grid g = {b, w, NULL, 0};
	make_lines(&g);
	for (;;) {
		size_t known = lone_hidden(&g);
		if (known == (size_t)-1)
			known = linear_attack(&g);
		if (known == (size_t)-1)
			known = interval_attack(&g);
		if (known == (size_t)-1 || !hide_beside(&g, known))
			break;
	}
	free_lines(&g);
}

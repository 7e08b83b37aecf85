/* test_corpus.c: the redactor measured on a labelled corpus of notes.
 *
 * The corpus (tests/data/redact-corpus.tsv, or the file named as the first
 * argument) has one note a line: the input text, a TAB, the expected
 * redacted text. A first line "input<TAB>expected" and lines starting with
 * '#' are skipped; "\n", "\t" and "\\" in a field stand for a newline, a
 * tab and a backslash.
 *
 * The expected findings are recovered by aligning the expected text with
 * the input (where that is ambiguous, the redactor's own finding is
 * preferred). A finding counts as recalled only with the same kind and
 * the same bytes. A finding where none is expected is a false hit, sorted
 * by what it hit (a date, a time, an amount, a service number, a case
 * code, other).
 *
 * It fails when the recall of RNOKPP, IBAN or card is below 100%, of
 * telephones below 99%, of names and addresses below 90%, of the other
 * kinds below 95%, or on any false hit
 * on a date, time, amount, service number or case code. Every line that
 * comes out different is shown as a TAP comment.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dovira/redact.h"
#include "dovira/util.h"
#include "../unit/tap.h"

#define MAXTAGS 32

/* A parsed expected text: literals around tags. */
typedef struct expect {
	int ntags;
	redact_kind kind[MAXTAGS];
	const char *lit[MAXTAGS + 1]; /* pointers into a private copy */
	size_t litlen[MAXTAGS + 1];
} expect;

typedef struct span {
	redact_kind kind;
	size_t start, end;
} span;

enum { FH_DATE, FH_TIME, FH_AMOUNT, FH_SERVICE, FH_CASECODE, FH_OTHER, FH_N };
static const char *const FH_NAME[FH_N] = {
	"date", "time", "amount", "service number", "case code", "other",
};

typedef struct stats {
	long expected[REDACT_NKINDS], recalled[REDACT_NKINDS], false_hits[REDACT_NKINDS];
	long fh[FH_N];
	long notes, exact, missed_any_kind;
} stats;

/* ---- reading ------------------------------------------------------- */

/* Undo the escapes \n \t \\ in place. */
static void unescape(char *s)
{
	char *w = s;
	for (char *r = s; *r; r++) {
		if (r[0] == '\\' && (r[1] == 'n' || r[1] == 't' || r[1] == '\\')) {
			r++;
			*w++ = *r == 'n' ? '\n' : *r == 't' ? '\t' : '\\';
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
}

/* The kind whose tag starts at s, or -1. */
static int tag_at(const char *s, size_t *len)
{
	for (int k = 0; k < REDACT_NKINDS; k++) {
		const char *tag = redact_tag((redact_kind)k);
		*len = strlen(tag);
		if (strncmp(s, tag, *len) == 0)
			return k;
	}
	return -1;
}

static int parse_expect(const char *s, expect *e)
{
	size_t len;
	e->ntags = 0;
	e->lit[0] = s;
	for (const char *p = s; *p; p++) {
		int k = tag_at(p, &len);
		if (k < 0)
			continue;
		if (e->ntags == MAXTAGS)
			return -1;
		e->litlen[e->ntags] = (size_t)(p - e->lit[e->ntags]);
		e->kind[e->ntags++] = (redact_kind)k;
		e->lit[e->ntags] = p + len;
		p += len - 1;
	}
	e->litlen[e->ntags] = strlen(e->lit[e->ntags]);
	return 0;
}

/* ---- aligning the expected text with the input --------------------- */

typedef struct aligner {
	const char *in;
	size_t n;
	const expect *e;
	signed char *memo; /* (ntags + 1) x (n + 1): -1 unknown, 0 no, 1 yes */
	const redact_hit *hits;
	size_t nhits;
} aligner;

static int can(aligner *a, int j, size_t pos);

/* May tag j cover in[pos, end) with the rest matching after it? */
static int can_end(aligner *a, int j, size_t pos, size_t end)
{
	size_t l = a->e->litlen[j + 1];
	(void)pos;
	return end + l <= a->n && memcmp(a->in + end, a->e->lit[j + 1], l) == 0 &&
	       can(a, j + 1, end + l);
}

/* Can tags j.. (each over a non-empty span) and their literals match
 * in[pos..]? Tag ntags means: nothing left but the end of the input. */
static int can(aligner *a, int j, size_t pos)
{
	signed char *m = &a->memo[(size_t)j * (a->n + 1) + pos];
	if (*m >= 0)
		return *m;
	*m = 0;
	if (j == a->e->ntags) {
		*m = pos == a->n;
		return *m;
	}
	for (size_t end = pos + 1; end <= a->n && !*m; end++)
		*m = (signed char)can_end(a, j, pos, end);
	return *m;
}

/* The end of tag j at pos: the redactor's finding if it fits, else the
 * shortest span that lets the rest match. */
static size_t choose_end(aligner *a, int j, size_t pos)
{
	for (size_t h = 0; h < a->nhits; h++)
		if (a->hits[h].start == pos && can_end(a, j, pos, a->hits[h].end))
			return a->hits[h].end;
	for (size_t end = pos + 1; end <= a->n; end++)
		if (can_end(a, j, pos, end))
			return end;
	return 0;
}

/* Recover the expected spans. Returns their number, or -1 when the
 * expected text does not fit the input. */
static int align(const char *in, const expect *e, const redact_hit *hits, size_t nhits, span *out)
{
	aligner a = { in, strlen(in), e, NULL, hits, nhits };
	a.memo = xmalloc(((size_t)e->ntags + 1) * (a.n + 1));
	memset(a.memo, -1, ((size_t)e->ntags + 1) * (a.n + 1));
	int ok_ = strncmp(in, e->lit[0], e->litlen[0]) == 0 && can(&a, 0, e->litlen[0]);
	size_t pos = e->litlen[0];
	for (int j = 0; ok_ && j < e->ntags; j++) {
		size_t end = choose_end(&a, j, pos);
		out[j] = (span){ e->kind[j], pos, end };
		pos = end + e->litlen[j + 1];
	}
	free(a.memo);
	return ok_ ? e->ntags : -1;
}

/* ---- what a false hit hit ------------------------------------------ */

static int only(const char *s, size_t n, const char *set)
{
	for (size_t i = 0; i < n; i++)
		if (!strchr(set, s[i]) || s[i] == '\0')
			return 0;
	return 1;
}

/* The digits of s[0, n) in out (at most cap - 1 of them). */
static size_t digits_of(const char *s, size_t n, char *out, size_t cap)
{
	size_t k = 0;
	for (size_t i = 0; i < n && k + 1 < cap; i++)
		if (s[i] >= '0' && s[i] <= '9')
			out[k++] = s[i];
	out[k] = '\0';
	return k;
}

static int is_service(const char *s, size_t n)
{
	static const char *const svc[] = { "102", "103", "112", "1545", "1547", "1584",
					   "116123", "116111", "527", "386", "772", NULL };
	char d[64];
	size_t k = digits_of(s, n, d, sizeof d);
	for (int i = 0; svc[i]; i++)
		if (strcmp(d, svc[i]) == 0)
			return 1;
	return (k == 10 && strncmp(d, "0800", 4) == 0) || (k == 12 && strncmp(d, "380800", 6) == 0);
}

static int near_money(const char *in, size_t start, size_t end)
{
	static const char *const money[] = { "грн", "UAH", "uah", "євро", "EUR", "eur", "USD",
					     "дол", "$", "€", "zł", "PLN", "тис", "злот", NULL };
	const char *after = in + end;
	while (*after == ' ')
		after++;
	for (int i = 0; money[i]; i++)
		if (strncmp(after, money[i], strlen(money[i])) == 0 ||
		    (start >= strlen(money[i]) &&
		     strncmp(in + start - strlen(money[i]), money[i], strlen(money[i])) == 0))
			return 1;
	return 0;
}

static int false_hit_class(const char *in, size_t start, size_t end)
{
	const char *s = in + start;
	size_t n = end - start;
	if (is_service(s, n))
		return FH_SERVICE;
	if (near_money(in, start, end))
		return FH_AMOUNT;
	if (n == 9 && s[4] == '-')
		return FH_CASECODE;
	if (only(s, n, "0123456789:") && strchr(s, ':') && n <= 8)
		return FH_TIME;
	if (only(s, n, "0123456789./-") && n >= 6 && n <= 10)
		return FH_DATE;
	return FH_OTHER;
}

/* ---- scoring one note ---------------------------------------------- */

static int same_span(const redact_hit *h, const span *s)
{
	return h->kind == s->kind && h->start == s->start && h->end == s->end;
}

static int overlaps(size_t a0, size_t a1, size_t b0, size_t b1)
{
	return a0 < b1 && b0 < a1;
}

static void score_expected(const char *in, const span *sp, int nsp, const redact_hit *h, size_t nh,
			   stats *st, int *bad)
{
	for (int j = 0; j < nsp; j++) {
		int found = 0, covered = 0;
		for (size_t k = 0; k < nh; k++) {
			found |= same_span(&h[k], &sp[j]);
			covered |= overlaps(h[k].start, h[k].end, sp[j].start, sp[j].end);
		}
		st->expected[sp[j].kind]++;
		st->recalled[sp[j].kind] += found;
		st->missed_any_kind += !covered;
		if (!found) {
			printf("#   missed %s: \"%.*s\"\n", redact_kind_name(sp[j].kind),
			       (int)(sp[j].end - sp[j].start), in + sp[j].start);
			*bad = 1;
		}
	}
}

static void score_found(const char *in, const span *sp, int nsp, const redact_hit *h, size_t nh,
			stats *st, int *bad)
{
	for (size_t k = 0; k < nh; k++) {
		int good = 0, overlap = 0;
		for (int j = 0; j < nsp; j++) {
			good |= same_span(&h[k], &sp[j]);
			overlap |= overlaps(h[k].start, h[k].end, sp[j].start, sp[j].end);
		}
		if (good)
			continue;
		st->false_hits[h[k].kind]++;
		if (!overlap)
			st->fh[false_hit_class(in, h[k].start, h[k].end)]++;
		printf("#   false %s: \"%.*s\"%s\n", redact_kind_name(h[k].kind),
		       (int)(h[k].end - h[k].start), in + h[k].start,
		       overlap ? " (overlaps an expected finding)" : "");
		*bad = 1;
	}
}

static void score_note(long lineno, char *in, char *want, stats *st)
{
	expect e;
	span sp[MAXTAGS];
	redact_hit *h = NULL;
	size_t nh = 0;
	unescape(in);
	unescape(want);
	char *got = redact_apply(in, &h, &nh);
	int nsp = parse_expect(want, &e) == 0 ? align(in, &e, h, nh, sp) : -1;
	int bad = strcmp(got, want) != 0;
	st->notes++;
	if (nsp < 0) {
		printf("# line %ld: the expected text does not fit the input\n", lineno);
		st->fh[FH_OTHER]++;
	} else {
		if (bad)
			printf("# line %ld:\n#   got  %s\n#   want %s\n", lineno, got, want);
		score_expected(in, sp, nsp, h, nh, st, &bad);
		score_found(in, sp, nsp, h, nh, st, &bad);
	}
	st->exact += !bad;
	free(got);
	free(h);
}

/* ---- the corpus ---------------------------------------------------- */

static int read_corpus(const char *path, stats *st)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	long lineno = 0;
	if (!f)
		return -1;
	while (getline(&line, &cap, f) > 0) {
		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		char *tab = strchr(line, '\t');
		if (line[0] == '#' || line[0] == '\0' || (lineno == 1 && strncmp(line, "input\t", 6) == 0))
			continue;
		if (!tab) {
			printf("# line %ld: no TAB between input and expected\n", lineno);
			st->fh[FH_OTHER]++;
			continue;
		}
		*tab = '\0';
		score_note(lineno, line, tab + 1, st);
	}
	free(line);
	fclose(f);
	return 0;
}

/* require: the kind must occur in the corpus (ours must cover them all;
 * another corpus given on the command line need not). */
static void check_recall(const stats *st, redact_kind k, double floor, int require)
{
	long e = st->expected[k], r = st->recalled[k];
	double pct = e ? 100.0 * (double)r / (double)e : 100.0;
	ok((e > 0 || !require) && pct >= floor, "%s recall %.1f%% (%ld of %ld) is at least %.0f%%",
	   redact_kind_name(k), pct, r, e, floor);
}

static void report(const stats *st)
{
	printf("# %-9s %9s %9s %8s %11s\n", "kind", "expected", "recalled", "recall", "false hits");
	for (int k = 0; k < REDACT_NKINDS; k++)
		printf("# %-9s %9ld %9ld %7.1f%% %11ld\n", redact_kind_name((redact_kind)k), st->expected[k],
		       st->recalled[k], st->expected[k] ? 100.0 * (double)st->recalled[k] / (double)st->expected[k] : 100.0,
		       st->false_hits[k]);
	printf("# notes %ld, exactly right %ld; expected findings left wholly unredacted: %ld\n",
	       st->notes, st->exact, st->missed_any_kind);
	for (int c = 0; c < FH_N; c++)
		printf("# false hits on clean text, %s: %ld\n", FH_NAME[c], st->fh[c]);
}

int main(int argc, char **argv)
{
	static stats st;
	const char *srcdir = getenv("SRCDIR");
	char *path = argc > 1 ? xstrdup(argv[1])
			      : xasprintf("%s/tests/data/redact-corpus.tsv", srcdir ? srcdir : ".");
	if (read_corpus(path, &st) < 0) {
		printf("Bail out! cannot read %s\n", path);
		free(path);
		return 1;
	}
	free(path);
	report(&st);
	ok(argc > 1 || st.notes >= 150, "the corpus holds at least 150 notes (%ld)", st.notes);
	check_recall(&st, REDACT_TAXID, 100.0, argc == 1);
	check_recall(&st, REDACT_IBAN, 100.0, argc == 1);
	check_recall(&st, REDACT_CARD, 100.0, argc == 1);
	check_recall(&st, REDACT_PHONE, 99.0, argc == 1);
	check_recall(&st, REDACT_EMAIL, 95.0, argc == 1);
	check_recall(&st, REDACT_HANDLE, 95.0, argc == 1);
	check_recall(&st, REDACT_URL, 95.0, argc == 1);
	check_recall(&st, REDACT_DOB, 95.0, argc == 1);
	check_recall(&st, REDACT_ADDRESS, 90.0, argc == 1);
	check_recall(&st, REDACT_PLATE, 95.0, argc == 1);
	check_recall(&st, REDACT_NAME, 90.0, argc == 1);
	check_recall(&st, REDACT_PASSPORT, 95.0, argc == 1);
	check_recall(&st, REDACT_ID, 95.0, argc == 1);
	for (int c = FH_DATE; c <= FH_CASECODE; c++)
		is_int(st.fh[c], 0, "no false hit on: %s", FH_NAME[c]);
	is_int(st.fh[FH_OTHER], 0, "no other false hit on clean text, no malformed line");
	return tap_done();
}

/* test_names.c: the redactor's names measured on a held-out labelled set.
 *
 * The set (tests/data/redact-names-heldout.tsv, or the file named as the
 * first argument; written by tools/gen-heldout-names.py before the names
 * were tuned, and never tuned on) has one note a line: [[...]] marks a
 * person's name, {{...}} a word that is not one (a city, village,
 * country, organisation, month, weekday, brand, or a capitalised word at
 * the start of a sentence). Lines starting with '#' are skipped.
 *
 * A name counts as caught when one [NAME] finding covers it whole, and as
 * marked when the summary's "might be a name" marks (on the redacted
 * text) cover it instead. A distractor counts as a false hit when any
 * [NAME] finding touches it. It prints the figures and fails below the
 * floors a user would care about: NAME_FLOOR of the names become [NAME],
 * at most DISTRACTOR_CEILING of the distractors do; and every name is
 * either caught or marked for the operator (MARKED_FLOOR).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dovira/redact.h"
#include "dovira/util.h"
#include "../unit/tap.h"

#define NAME_FLOOR 0.95         /* of the names, found as [NAME] */
#define MARKED_FLOOR 0.98       /* of the names, found or marked */
#define DISTRACTOR_CEILING 0.02 /* of the distractors, taken for a name */

typedef struct span {
	size_t start, end;
	int name;
} span;

typedef struct counts {
	long names, caught, marked, distractors, false_hits, other_hits, notes;
} counts;

/* The note without its markup into out, its labelled spans into v. */
static size_t parse(const char *line, char *out, span *v, size_t max)
{
	size_t o = 0, n = 0;
	for (const char *p = line; *p;) {
		int name = strncmp(p, "[[", 2) == 0, dis = strncmp(p, "{{", 2) == 0;
		const char *close = name ? strstr(p + 2, "]]") : dis ? strstr(p + 2, "}}") : NULL;
		if (!close || n == max) {
			out[o++] = *p++;
			continue;
		}
		size_t len = (size_t)(close - p - 2);
		v[n++] = (span){o, o + len, name};
		memcpy(out + o, p + 2, len);
		o += len;
		p = close + 2;
	}
	out[o] = '\0';
	return n;
}

static int covers(const redact_hit *h, size_t nh, size_t start, size_t end)
{
	for (size_t i = 0; i < nh; i++)
		if (h[i].kind == REDACT_NAME && h[i].start <= start && h[i].end >= end)
			return 1;
	return 0;
}

static int touches(const redact_hit *h, size_t nh, size_t start, size_t end)
{
	for (size_t i = 0; i < nh; i++)
		if (h[i].kind == REDACT_NAME && h[i].start < end && h[i].end > start)
			return 1;
	return 0;
}

/* Where the text at [start, end) of the original is in the redacted text
 * (the findings before it replaced by their tags); (size_t)-1 if inside
 * a finding. */
static size_t shifted(const redact_hit *h, size_t nh, size_t pos)
{
	long d = 0;
	for (size_t i = 0; i < nh; i++) {
		if (h[i].start <= pos && pos < h[i].end)
			return (size_t)-1;
		if (h[i].end <= pos)
			d += (long)strlen(redact_tag(h[i].kind)) - (long)(h[i].end - h[i].start);
	}
	return (size_t)((long)pos + d);
}

static void measure(const char *text, const span *v, size_t n, counts *c, int verbose)
{
	redact_hit *h = NULL, *m = NULL;
	size_t nh = redact_find(text, &h);
	char *red = redact_apply(text, NULL, NULL);
	size_t nm = redact_name_candidates(red, &m);
	for (size_t i = 0; i < n; i++) {
		if (!v[i].name) {
			c->distractors++;
			if (touches(h, nh, v[i].start, v[i].end)) {
				c->false_hits++;
				if (verbose)
					printf("# false hit: %.*s  in: %s\n", (int)(v[i].end - v[i].start), text + v[i].start, text);
			}
			continue;
		}
		c->names++;
		if (covers(h, nh, v[i].start, v[i].end)) {
			c->caught++;
			continue;
		}
		size_t s = shifted(h, nh, v[i].start);
		if (s != (size_t)-1 && covers(m, nm, s, s + (v[i].end - v[i].start))) {
			c->marked++;
			if (verbose)
				printf("# marked only: %.*s  in: %s\n", (int)(v[i].end - v[i].start), text + v[i].start, text);
		} else if (verbose)
			printf("# missed: %.*s  in: %s\n", (int)(v[i].end - v[i].start), text + v[i].start, text);
	}
	for (size_t i = 0; i < nh; i++) {
		int labelled = 0;
		for (size_t k = 0; k < n; k++)
			labelled |= h[i].start < v[k].end && h[i].end > v[k].start;
		c->other_hits += h[i].kind == REDACT_NAME && !labelled;
	}
	free(h);
	free(m);
	free(red);
}

int main(int argc, char **argv)
{
	const char *srcdir = getenv("SRCDIR");
	char *def = xasprintf("%s/tests/data/redact-names-heldout.tsv", srcdir ? srcdir : ".");
	const char *path = argc > 1 ? argv[1] : def;
	FILE *fp = fopen(path, "r");
	if (!fp) {
		printf("Bail out! cannot read %s\n", path);
		return 1;
	}
	counts c = {0};
	char line[4096], text[4096];
	span v[64];
	int verbose = getenv("VERBOSE") != NULL;
	while (fgets(line, sizeof line, fp)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '#' || !line[0])
			continue;
		size_t n = parse(line, text, v, sizeof v / sizeof *v);
		c.notes++;
		measure(text, v, n, &c, verbose);
	}
	fclose(fp);
	double caught = c.names ? (double)c.caught / (double)c.names : 0;
	double seen = c.names ? (double)(c.caught + c.marked) / (double)c.names : 0;
	double fh = c.distractors ? (double)c.false_hits / (double)c.distractors : 1;
	printf("# %s: %ld notes, %ld names, %ld distractors\n", path, c.notes, c.names, c.distractors);
	printf("# names as [NAME]: %ld (%.1f%%); only marked \"might be a name\": %ld; caught or marked: %.1f%%\n",
	       c.caught, 100 * caught, c.marked, 100 * seen);
	printf("# distractors taken for a name: %ld (%.1f%%); [NAME] on unlabelled words: %ld\n", c.false_hits,
	       100 * fh, c.other_hits);
	ok(c.notes >= 400 && c.names >= 400, "the held-out set has at least 400 notes and 400 names (%ld, %ld)", c.notes,
	   c.names);
	ok(caught >= NAME_FLOOR, "at least %.0f%% of the names in held-out notes become [NAME] (%.1f%%)", 100 * NAME_FLOOR,
	   100 * caught);
	ok(seen >= MARKED_FLOOR, "at least %.0f%% of the names are redacted or marked for the operator (%.1f%%)",
	   100 * MARKED_FLOOR, 100 * seen);
	ok(fh <= DISTRACTOR_CEILING, "at most %.0f%% of cities, countries, organisations, months, brands and sentence starts "
	   "are taken for names (%.1f%%)", 100 * DISTRACTOR_CEILING, 100 * fh);
	free(def);
	return tap_done();
}

/* A mutation fuzzer of the script reader and engine: random mutations of
 * the default script (bytes flipped, inserted and deleted, lines repeated,
 * swapped and cut, tokens of the format spliced in) must never crash, hang
 * or touch memory out of bounds; run it under --enable-asan. When a
 * mutation still loads, the engine is driven with random answers.
 *
 * Deterministic: the seed is fixed, or FUZZ_SEED; FUZZ_ITER sets the
 * number of mutations (default 1500, enough for `make check`); FUZZ_FILE
 * names another script to start from. */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dovira/i18n.h"
#include "dovira/script.h"
#include "dovira/util.h"
#include "tap.h"

static unsigned long long rng_state;

static unsigned rnd(unsigned n)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return n ? (unsigned)((rng_state >> 33) % n) : 0;
}

static const char *const tokens[] = {
	"(", ")", "((((", "))", ",", " not ", " and ", " or ", " in ", " has ", "=", "!=", ">=", "<",
	"score", "count(", "score(", "risk", "answered(", " if ", "\\\n", "\\", "\n", "\r\n", "\t",
	"show if: ", "option x\n", "step s\n", "step topic\n", "risk likely if ", "refer line-527 information if ",
	"kind: multi\n", "kind: number\n", "min: -5\n", "max: 3\n", "weight: 100\n", "exclusive: yes\n",
	"maps: raion\n", "maps: topic\n", "uk: ", "en: ", "text.uk: ", "text.en: ", "#", ":", "::",
	"\xff", "\xd0", "\xe2\x80\xae", "\x1b", "\x00", "\xc0\xaf", "\xf4\x90\x80\x80", "\xef\xbb\xbf",
	"ua_signs", "topic", "trafficking", "documents", "9-17", "UA", "zaporizhzhia-city", "-999999999999999",
	"9999999999999999999", "yes", "no", "likely", "possible", "none",
};

static void splice(dv_buf *b, size_t at, size_t del, const char *ins, size_t n)
{
	dv_buf out = {0};
	if (at > b->len)
		at = b->len;
	if (del > b->len - at)
		del = b->len - at;
	dv_buf_add(&out, b->s, at);
	dv_buf_add(&out, ins, n);
	dv_buf_add(&out, b->s + at, b->len - at - del);
	dv_buf_free(b);
	*b = out;
}

/* A copy of n bytes that may hold NULs (xstrndup would stop at one). */
static char *copy_of(const char *p, size_t n)
{
	char *c = xmalloc(n + 1);
	memcpy(c, p, n);
	return c;
}

/* Start of the line holding byte i, and its end (past the newline). */
static void line_at(const dv_buf *b, size_t i, size_t *start, size_t *end)
{
	*start = i;
	while (*start > 0 && b->s[*start - 1] != '\n')
		(*start)--;
	*end = i;
	while (*end < b->len && b->s[*end] != '\n')
		(*end)++;
	if (*end < b->len)
		(*end)++;
}

static void mutate(dv_buf *b)
{
	size_t at = b->len ? rnd((unsigned)b->len) : 0, s, e;
	char c;
	const char *t;
	switch (rnd(8)) {
	case 0: /* flip a byte */
		if (b->len)
			b->s[at] = (char)(b->s[at] ^ (1 << rnd(8)));
		break;
	case 1: /* insert a random byte */
		c = (char)rnd(256);
		splice(b, at, 0, &c, 1);
		break;
	case 2: /* delete a span */
		splice(b, at, rnd(40), "", 0);
		break;
	case 3: /* repeat a line */
		line_at(b, at, &s, &e);
		{
			char *copy = copy_of(b->s + s, e - s);
			splice(b, e, 0, copy, e - s);
			free(copy);
		}
		break;
	case 4: /* delete a line */
		line_at(b, at, &s, &e);
		splice(b, s, e - s, "", 0);
		break;
	case 5: /* move a line elsewhere */
		line_at(b, at, &s, &e);
		{
			char *copy = copy_of(b->s + s, e - s);
			size_t n = e - s;
			splice(b, s, n, "", 0);
			splice(b, b->len ? rnd((unsigned)b->len) : 0, 0, copy, n);
			free(copy);
		}
		break;
	case 6: /* splice in a token of the format */
		t = tokens[rnd(sizeof tokens / sizeof *tokens)];
		splice(b, at, rnd(3) == 0 ? rnd(8) : 0, t, t[0] ? strlen(t) : 1);
		break;
	default: /* cut the file short */
		if (rnd(4) == 0)
			b->len = at;
		break;
	}
}

/* Drive the engine of a script that loaded with random answers. */
static void drive(const script *s)
{
	script_answers *a = script_answers_new(s);
	size_t n = script_nsteps(s);
	dv_error e;
	for (int round = 0; round < 40 && n; round++) {
		const script_step *st = script_step_at(s, rnd((unsigned)n));
		char num[32];
		if (st->nopts && rnd(2))
			script_answers_toggle(a, st->id, st->opts[rnd((unsigned)st->nopts)].code, &e);
		else if (st->kind == SCRIPT_NUMBER) {
			snprintf(num, sizeof num, "%lld", st->min + (long long)rnd(20));
			script_answers_set(a, st->id, num, &e);
		} else
			script_answers_set(a, st->id, rnd(3) ? "x" : "", &e);
		script_referral *r;
		const char *cols[COL_NCOLS];
		int score;
		script_referrals(a, &r);
		free(r);
		script_columns(a, cols);
		script_risk_now(a, &score);
		script_next(a, (long)rnd((unsigned)n + 2) - 1);
		script_prev(a, (long)rnd((unsigned)n + 2));
		script_first_missing(a);
		if (rnd(8) == 0)
			script_prune(a);
	}
	script_answers_free(a);
}

static char *read_file(const char *path, size_t *len)
{
	dv_buf b = {0};
	FILE *f = fopen(path, "rb");
	dv_buf_add(&b, "", 0);
	if (f) {
		dv_buf_read(&b, f, SIZE_MAX);
		fclose(f);
	}
	*len = b.len;
	return dv_buf_take(&b);
}

int main(void)
{
	const char *dir = getenv("SRCDIR");
	const char *iter_env = getenv("FUZZ_ITER"), *seed_env = getenv("FUZZ_SEED");
	long iters = iter_env ? atol(iter_env) : 1500;
	rng_state = seed_env ? strtoull(seed_env, NULL, 10) : 20261128;
	setlocale(LC_ALL, "");
	i18n_init("en");
	const char *file = getenv("FUZZ_FILE");
	char *path = file ? xstrdup(file) : xasprintf("%s/data/intake.script", dir && *dir ? dir : ".");
	size_t len;
	char *orig = read_file(path, &len);
	ok(len > 500, "the script to mutate is there");
	long loaded = 0, refused = 0;
	for (long i = 0; i < iters; i++) {
		dv_buf b = {0};
		dv_buf_add(&b, orig, len);
		for (unsigned m = 1 + rnd(6); m > 0; m--)
			mutate(&b);
		script *s;
		script_diags d = {0};
		if (script_parse("fuzz", b.s, b.len, &s, &d) == DV_OK) {
			loaded++;
			drive(s);
			script_free(s);
		} else {
			refused++;
			for (size_t k = 0; k < d.n; k++)
				if (!d.v[k].msg[0] || d.v[k].line == 0)
					printf("# an empty message or line 0 at mutation %ld\n", i);
		}
		script_diags_free(&d);
		dv_buf_free(&b);
	}
	ok(loaded + refused == iters, "%ld mutations read without a crash (%ld loaded, %ld refused)", iters, loaded, refused);
	ok(refused > 0 && loaded > 0, "mutations both load and are refused");
	free(orig);
	free(path);
	return tap_done();
}

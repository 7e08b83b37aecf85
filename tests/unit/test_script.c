/* Unit tests of the intake script: the checks (one broken script per class
 * of problem, under tests/data/scripts/, each listing the problems it must
 * produce as "# expect: LINE: message" comments), the engine, and the
 * default script data/intake.script. */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dovira/i18n.h"
#include "dovira/script.h"
#include "dovira/util.h"
#include "tap.h"

static const char *srcdir(void)
{
	const char *d = getenv("SRCDIR");
	return d && *d ? d : ".";
}

static char *data_path(const char *name)
{
	return xasprintf("%s/tests/data/scripts/%s", srcdir(), name);
}

/* The file's bytes (NUL-terminated; *len counts them, NULs inside too). */
static char *read_all(const char *path, size_t *len)
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

/* ---- the checks ---- */

static void expect_file(const char *name)
{
	char *path = data_path(name);
	size_t len, i = 0;
	char *text = read_all(path, &len);
	script *s = (script *)1;
	script_diags d = {0};
	dv_error e;
	int rc = script_load(path, &s, &d, &e);
	ok(rc == DV_EINVAL && s == NULL, "%s is refused", name);
	for (char *line = text, *end; line < text + len; line = end + 1) {
		end = memchr(line, '\n', (size_t)(text + len - line));
		if (!end)
			end = text + len;
		*end = '\0';
		if (strncmp(line, "# expect: ", 10) != 0)
			continue;
		char *got = i < d.n ? xasprintf("%u: %s", d.v[i].line, d.v[i].msg) : NULL;
		is_str(got, line + 10, "%s reports %s", name, line + 10);
		if (i < d.n && strcmp(d.v[i].file, path) != 0)
			ok(0, "%s: the problem names the file", name);
		free(got);
		i++;
	}
	is_int(d.n, i, "%s reports exactly the problems it lists", name);
	script_diags_free(&d);
	free(text);
	free(path);
}

static void test_broken_files(void)
{
	static const char *const files[] = {
		"empty.script", "no-header.script", "unknown-key.script", "duplicate.script",
		"unknown-ref.script", "unreachable.script", "cycle.script", "missing-translation.script",
		"later-step.script", "bad-kind.script", "bad-value.script", "bad-mapping.script",
		"bad-condition.script", "bad-bytes.script", "long-line.script", "too-many-options.script",
		"bad-ids.script", "bad-rules.script", "bad-queue.script",
	};
	for (size_t i = 0; i < sizeof files / sizeof *files; i++)
		expect_file(files[i]);
}

/* The last problem of parsing text, or "" if it parsed. */
static char *last_problem(const char *text, size_t len, size_t *n)
{
	script *s;
	script_diags d = {0};
	script_parse("mem", text, len, &s, &d);
	script_free(s);
	char *last = d.n ? xasprintf("%u: %s", d.v[d.n - 1].line, d.v[d.n - 1].msg) : xstrdup("");
	*n = d.n;
	script_diags_free(&d);
	return last;
}

static const char header[] = "script: t\nversion: 1\n";

static void test_limits(void)
{
	dv_buf b = {0};
	size_t n;
	dv_buf_adds(&b, header);
	for (int i = 0; i <= SCRIPT_MAX_STEPS; i++)
		dv_buf_printf(&b, "step s%d\n kind: yesno\n text.uk: Так?\n text.en: Yes?\n", i);
	char *last = last_problem(b.s, b.len, &n);
	is_str(last, "2003: more than 500 steps", "step 501 is refused, once");
	free(last);

	b.len = 0;
	dv_buf_adds(&b, header);
	for (int i = 0; i < 300; i++)
		dv_buf_printf(&b, "bogus%d: x\n", i);
	last = last_problem(b.s, b.len, &n);
	is_int(n, SCRIPT_MAX_DIAGS + 1, "problems stop at the limit, plus one line saying so");
	ok(strstr(last, "more than 200 problems"), "the last line says the rest are not shown");
	free(last);

	b.len = 0;
	dv_buf_adds(&b, header);
	dv_buf_adds(&b, "step a\n kind: yesno\n text.uk: Так?\n text.en: ");
	for (int i = 0; i < 5000; i++)
		dv_buf_adds(&b, "x \\\n");
	dv_buf_adds(&b, "end\n");
	last = last_problem(b.s, b.len, &n);
	is_str(last, "6: continued line is longer than 8192 bytes", "a line continued past 8192 bytes is refused");
	free(last);

	char *big = xcalloc(SCRIPT_MAX_FILE + 2, 1);
	memset(big, '#', SCRIPT_MAX_FILE + 1);
	last = last_problem(big, SCRIPT_MAX_FILE + 1, &n);
	is_str(last, "1: the file is larger than 1048576 bytes", "a file over 1 MiB is refused unread");
	free(last);
	free(big);

	/* A hostile file: 300 steps whose conditions expand to 256 cases over
	 * 4096 choices each. The reachability check must give up in time. */
	b.len = 0;
	dv_buf_adds(&b, header);
	dv_buf_adds(&b, "step m\n kind: multi\n text.uk: М\n text.en: M\n");
	for (int i = 0; i < 12; i++)
		dv_buf_printf(&b, " option o%d\n  uk: О\n  en: O\n", i);
	for (int k = 0; k < 300; k++) {
		dv_buf_printf(&b, "step s%d\n kind: text\n text.uk: Т\n text.en: T\n show if: ", k);
		for (int i = 0; i < 8; i++)
			dv_buf_printf(&b, "(m has o%d or m has o%d) and ", 2 * i % 12, (2 * i + 1) % 12);
		dv_buf_adds(&b, "count(m) > 12\n");
	}
	script *hostile;
	script_diags d = {0};
	script_parse("mem", b.s, b.len, &hostile, &d);
	ok(d.n >= 1 && strstr(d.v[0].msg, "'s0' can never be shown"), "a hostile condition set is checked within a bounded effort");
	script_diags_free(&d);

	last = last_problem(NULL, 0, &n);
	is_str(last, "1: the file is empty", "no text at all is an empty file");
	free(last);
	dv_buf_free(&b);
}

static void test_sections(void)
{
	static const char text[] =
		"script: t\nversion: 1\n"
		"step a\n section.uk: Про абонента\n section.en: About the caller\n kind: yesno\n text.uk: А?\n text.en: A?\n"
		"step b\n kind: yesno\n text.uk: Б?\n text.en: B?\n"
		"step c\n section.uk: Завершення\n section.en: Closing\n kind: yesno\n text.uk: В?\n text.en: C?\n";
	script *s = NULL;
	script_diags d = {0};
	ok(script_parse("mem", text, strlen(text), &s, &d) == DV_OK, "a script with sections parses");
	if (s) {
		is_str(script_step_at(s, 0)->section_en, "About the caller", "a step names its section");
		is_str(script_step_at(s, 1)->section_uk, "Про абонента", "the next step without one inherits it");
		is_str(script_step_at(s, 2)->section_en, "Closing", "a new section starts where it is named");
	}
	script_free(s);
	script_diags_free(&d);
	static const char half[] = "script: t\nversion: 1\nstep a\n section.uk: Тема\n kind: yesno\n text.uk: А?\n text.en: A?\n";
	size_t n;
	char *last = last_problem(half, strlen(half), &n);
	is_str(last, "3: step 'a' names its section in one language only: give section.uk and section.en",
	       "a section in one language only is a problem, named at the step's line");
	free(last);
}

static void test_load_errors(void)
{
	script *s = (script *)1;
	dv_error e;
	int rc = script_load("/nonexistent/intake.script", &s, NULL, &e);
	is_int(rc, DV_ENOTFOUND, "a missing file is DV_ENOTFOUND");
	ok(s == NULL, "a missing file gives no script");
	ok(strncmp(e.msg, "cannot open /nonexistent/intake.script: ", 40) == 0, "the message names the file and the reason");
	rc = script_load("/", &s, NULL, &e);
	ok(rc != DV_OK && s == NULL, "a directory is not a script");
}

/* ---- good files and accessors ---- */

static script *load_ok(const char *name)
{
	char *path = data_path(name);
	script *s = NULL;
	script_diags d = {0};
	dv_error e;
	int rc = script_load(path, &s, &d, &e);
	ok(rc == DV_OK && s && d.n == 0, "%s loads without problems", name);
	for (size_t i = 0; i < d.n; i++)
		printf("#   %s:%u: %s\n", d.v[i].file, d.v[i].line, d.v[i].msg);
	script_diags_free(&d);
	free(path);
	return s;
}

static void test_format(void)
{
	script *s = load_ok("format.script");
	if (!s)
		return;
	is_str(script_version(s), "2026.11-rc_1", "the version keeps dots, dashes and underscores");
	const script_step *a = script_step_at(s, 0);
	is_str(a->text_uk, "Дуже довге питання?", "a continued line joins with one space");
	is_str(a->text_en, "A very long question?", "continuations drop the next line's indentation");
	ok(script_step_at(s, 1)->has_condition, "'show   if' with a run of blanks is the show-if key");
	is_int(script_nrefer_rules(s), 1, "a rule continued after a comment ending in a backslash is read");
	script_free(s);
}

static void test_accessors(void)
{
	script *s = load_ok("good.script");
	if (!s)
		return;
	is_str(script_id(s), "example", "script_id");
	is_str(script_version(s), "1.0", "script_version");
	is_int(script_nsteps(s), 9, "script_nsteps counts every step");
	is_int(script_nrisk_rules(s), 2, "script_nrisk_rules");
	is_int(script_nrefer_rules(s), 7, "script_nrefer_rules");
	is_int(script_step_index(s, "signs"), 3, "script_step_index finds a step");
	is_int(script_step_index(s, "nope"), -1, "script_step_index gives -1 for an unknown id");
	ok(script_step_at(s, 9) == NULL, "script_step_at past the end gives NULL");
	const script_step *st = script_step_at(s, 3);
	is_int(st->kind, SCRIPT_MULTI, "the kind is read");
	ok(st->required && st->has_condition, "required and show if are read");
	is_int(st->nopts, 5, "options are read in order");
	is_int(script_step_option(st, "documents")->weight, 2, "weights are read");
	ok(script_step_option(st, "none")->exclusive, "exclusive is read");
	is_int(script_step_at(s, 0)->column, COL_TOPIC, "maps is read");
	is_int(script_step_at(s, 4)->min, 1, "min is read");
	is_int(script_step_at(s, 4)->max, 50, "max is read");
	const script_step *cb = script_step_at(s, 7);
	ok(cb->nopts == 2 && strcmp(cb->opts[0].code, "yes") == 0 && strcmp(cb->opts[1].code, "no") == 0,
	   "a yesno step offers yes and no");
	const script_step *r = script_step_at(s, 2);
	ok(r->nopts == 10 && script_step_option(r, "melitopolskyi"), "a raion step offers the areas");
	ok(script_step_option(script_step_at(s, 5), "PL") != NULL, "a country step offers the countries");
	i18n_init("uk");
	is_str(script_step_text(st), "Ознаки (позначте всі)", "script_step_text in Ukrainian");
	is_str(script_option_label(&st->opts[0]), "Забрали документи", "script_option_label in Ukrainian");
	is_str(script_title(s), "Приклад", "script_title in Ukrainian");
	i18n_init("en");
	is_str(script_step_help(st), "Two or more signs: a likely victim.", "script_step_help in English");
	ok(script_step_help(script_step_at(s, 0)) == NULL, "a step without help gives NULL");
	is_str(script_kind_name(SCRIPT_COUNTRY), "country", "script_kind_name");
	ok(script_kind_name(SCRIPT_NKINDS) == NULL, "script_kind_name out of range gives NULL");
	is_str(col_name(COL_HEARD_FROM), "heard_from", "col_name: the column table spells names as scripts do");
	is_str(script_risk_name(SCRIPT_RISK_POSSIBLE), "possible", "script_risk_name");
	ok(script_risk_label(SCRIPT_RISK_LIKELY) != NULL, "script_risk_label gives a label");
	script_free(s);
}

/* ---- conditions ---- */

static int vis(const script_answers *a, const char *id)
{
	return script_visible(a, (size_t)script_step_index(script_answers_script(a), id));
}

static void set(script_answers *a, const char *id, const char *value)
{
	dv_error e;
	if (script_answers_set(a, id, value, &e) != DV_OK)
		printf("# set %s=%s failed: %s\n", id, value ? value : "(null)", e.msg);
}

static void test_conditions(void)
{
	script *s = load_ok("conds.script");
	if (!s)
		return;
	script_answers *a = script_answers_new(s);
	ok(!vis(a, "c_eq") && !vis(a, "c_ne"), "= and != are both false while the step is unanswered");
	ok(vis(a, "c_not_eq"), "not (a = x) holds while a is unanswered");
	ok(!vis(a, "c_in") && !vis(a, "c_notin"), "in and not in are both false while unanswered");
	set(a, "a", "x");
	ok(vis(a, "c_eq") && !vis(a, "c_ne") && !vis(a, "c_not_eq"), "a = x: = holds, != and not = do not");
	ok(vis(a, "c_in") && !vis(a, "c_notin"), "a = x: in (x, y) holds, not in (x, y) does not");
	set(a, "a", "z");
	ok(!vis(a, "c_eq") && vis(a, "c_ne") && vis(a, "c_notin"), "a = z: != and not in hold");
	ok(!vis(a, "c_precedence"), "and binds tighter than or: a = z fails both sides");
	set(a, "a", "y");
	ok(!vis(a, "c_precedence"), "a = y and y unanswered: the and-side fails");
	set(a, "y", "yes");
	ok(vis(a, "c_precedence"), "a = y and y = yes: the and-side holds");
	set(a, "a", "x");
	set(a, "y", "no");
	ok(vis(a, "c_precedence"), "a = x holds the or on its own");

	set(a, "b", "p");
	ok(!vis(a, "c_has_and") && vis(a, "c_or"), "b = {p}: has p and has q fails, has p or n > 5 holds");
	ok(!vis(a, "c_has_in") && !vis(a, "c_count"), "b = {p}: in (q, r) and count >= 2 fail");
	set(a, "b", "q,p");
	ok(vis(a, "c_has_and") && vis(a, "c_has_in") && vis(a, "c_count"), "b = {p, q}: has and has, in, count >= 2 hold");
	ok(vis(a, "c_score_b") && vis(a, "c_score"), "b = {p, q}: score(b) = 3 and score > 1");
	set(a, "b", "p,q,r");
	ok(!vis(a, "c_score_b") && vis(a, "c_score"), "b = {p, q, r}: a negative weight lowers score(b) to 2, still > 1");
	set(a, "b", NULL);
	ok(!vis(a, "c_or") && !vis(a, "c_count"), "cleared b: has fails, count is 0");

	set(a, "n", "6");
	ok(vis(a, "c_or") && vis(a, "c_range"), "n = 6: n > 5 holds, and so does 3 <= n <= 7");
	set(a, "n", "7");
	ok(vis(a, "c_range"), "n = 7 is inside 3..7");
	set(a, "n", "8");
	ok(!vis(a, "c_range"), "n = 8 is outside 3..7");
	set(a, "n", "-3");
	ok(vis(a, "c_neg") && !vis(a, "c_or"), "negative numbers compare");

	set(a, "a", "z");
	set(a, "y", "no");
	ok(!vis(a, "c_nested"), "not (...) and answered(t): t unanswered");
	set(a, "t", "some text");
	ok(vis(a, "c_nested"), "not (a = x or y = yes) and answered(t) holds");
	set(a, "y", "yes");
	ok(!vis(a, "c_nested"), "y = yes makes the not (...) fail");
	script_answers_free(a);
	script_free(s);
}

/* ---- the engine ---- */

static void test_answers(void)
{
	script *s = load_ok("good.script");
	dv_error e;
	if (!s)
		return;
	script_answers *a = script_answers_new(s);
	is_int(script_answers_set(a, "nope", "x", &e), DV_ENOTFOUND, "setting an unknown step is DV_ENOTFOUND");
	is_int(script_answers_set(a, "topic", "travel", &e), DV_EINVAL, "an unknown option is DV_EINVAL");
	ok(strstr(e.msg, "travel") != NULL, "the message names the bad value");
	ok(script_answers_get(a, "topic") == NULL, "a refused value leaves the answer unset");
	is_int(script_answers_set(a, "people", "abc", &e), DV_EINVAL, "a number step refuses words");
	is_int(script_answers_set(a, "people", "51", &e), DV_EINVAL, "a number step refuses 51 above max 50");
	is_int(script_answers_set(a, "people", "0", &e), DV_EINVAL, "a number step refuses 0 below min 1");
	is_int(script_answers_set(a, "people", "+7", &e), DV_OK, "a number step takes +7");
	is_str(script_answers_get(a, "people"), "7", "numbers are kept in canonical form");
	is_int(script_answers_set(a, "signs", "documents,none", &e), DV_EINVAL, "an exclusive option does not mix");
	is_int(script_answers_set(a, "signs", " threats , documents ", &e), DV_OK, "multi codes may have blanks around commas");
	is_str(script_answers_get(a, "signs"), "documents,threats", "multi answers come back in option order");
	ok(script_answers_has(a, "signs", "threats") && !script_answers_has(a, "signs", "unpaid"),
	   "script_answers_has looks at each chosen option");
	script_answers_toggle(a, "signs", "none", &e);
	is_str(script_answers_get(a, "signs"), "none", "toggling the exclusive option clears the others");
	script_answers_toggle(a, "signs", "unpaid", &e);
	is_str(script_answers_get(a, "signs"), "unpaid", "toggling another option clears the exclusive one");
	script_answers_toggle(a, "signs", "unpaid", &e);
	ok(script_answers_get(a, "signs") == NULL, "un-choosing the last option leaves the step unanswered");
	script_answers_toggle(a, "topic", "dv", &e);
	is_str(script_answers_get(a, "topic"), "dv", "toggling a single step chooses the option");
	script_answers_toggle(a, "topic", "dv", &e);
	ok(script_answers_get(a, "topic") == NULL, "toggling the chosen option clears it");
	is_int(script_answers_toggle(a, "notes", "x", &e), DV_EINVAL, "a notes step has nothing to toggle");
	is_int(script_answers_set(a, "detail", "two\nlines", &e), DV_EINVAL, "a text step takes one line");
	is_int(script_answers_set(a, "notes", "two\nlines", &e), DV_OK, "a notes step takes several lines");
	is_int(script_answers_set(a, "raion", "atlantis", &e), DV_EINVAL, "a raion step refuses an unknown area");
	is_int(script_answers_set(a, "country", "pl", &e), DV_EINVAL, "country codes are upper-case");
	is_int(script_answers_set(a, "callback", "maybe", &e), DV_EINVAL, "a yesno step takes only yes or no");
	set(a, "callback", "yes");
	set(a, "callback", "");
	ok(script_answers_get(a, "callback") == NULL, "an empty value clears the answer");
	script_answers_clear(a, "notes");
	ok(script_answers_get(a, "notes") == NULL, "script_answers_clear clears");
	script_answers_free(a);
	script_free(s);
}

static void test_navigation(void)
{
	script *s = load_ok("good.script");
	if (!s)
		return;
	script_answers *a = script_answers_new(s);
	is_int(script_next(a, -1), 0, "the first visible step is the first step");
	is_int(script_next(a, 2), 7, "next skips the hidden steps (raion -> callback)");
	is_int(script_prev(a, 7), 2, "prev skips them backwards (callback -> raion)");
	is_int(script_next(a, 7), -1, "notes stays hidden until callback is answered");
	is_int(script_prev(a, 0), -1, "nothing before the first step");
	is_int(script_prev(a, 9), 7, "prev from the end gives the last visible step");
	is_int(script_first_missing(a), 0, "the first missing required step is topic");
	set(a, "topic", "trafficking");
	set(a, "age_band", "18+");
	is_int(script_first_missing(a), 3, "signs becomes required once visible");
	is_int(script_next(a, 2), 3, "next goes to signs once visible");
	set(a, "signs", "none");
	is_int(script_first_missing(a), 7, "then callback is missing");
	set(a, "callback", "no");
	is_int(script_first_missing(a), -1, "every visible required step answered");
	is_int(script_next(a, 7), 8, "notes shows once callback is answered");
	ok(!script_visible(a, 99), "script_visible out of range is 0");
	script_answers_free(a);
	script_free(s);
}

static void expect_referrals(const script_answers *a, const char *want, const char *what)
{
	script_referral *r;
	size_t n = script_referrals(a, &r);
	dv_buf b = {0};
	dv_buf_add(&b, "", 0);
	for (size_t i = 0; i < n; i++)
		dv_buf_printf(&b, "%s%s %s", i ? ", " : "", r[i].org, r[i].service);
	is_str(b.s, want, "%s", what);
	dv_buf_free(&b);
	free(r);
}

static void test_risk_and_referrals(void)
{
	script *s = load_ok("good.script");
	int score;
	if (!s)
		return;
	script_answers *a = script_answers_new(s);
	is_int(script_risk_now(a, &score), SCRIPT_RISK_NONE, "no answers: risk none");
	is_int(score, 0, "no answers: score 0");
	expect_referrals(a, "line-1547 information", "a rule without a condition always applies");
	set(a, "topic", "trafficking");
	set(a, "signs", "none");
	is_int(script_risk_now(a, NULL), SCRIPT_RISK_NONE, "the exclusive 'none' keeps the risk at none");
	set(a, "signs", "unpaid");
	is_int(script_risk_now(a, &score), SCRIPT_RISK_POSSIBLE, "one sign: possible");
	is_int(score, 1, "one sign of weight 1: score 1");
	expect_referrals(a, "line-527 information, line-1547 information", "possible: risk >= possible applies");
	set(a, "signs", "unpaid,threats");
	is_int(script_risk_now(a, &score), SCRIPT_RISK_POSSIBLE, "score 2 is still possible");
	set(a, "signs", "documents,movement");
	is_int(script_risk_now(a, &score), SCRIPT_RISK_LIKELY, "documents and movement: likely");
	is_int(score, 4, "documents and movement weigh 4");
	set(a, "age_band", "9-17");
	expect_referrals(a, "dszn-zoda status, line-527 information, police-0800 report, line-116111 psychological, line-1547 information",
	                 "likely, a child: referrals in rule order");
	set(a, "topic", "work");
	is_int(script_risk_now(a, &score), SCRIPT_RISK_NONE, "signs hidden by the topic count for nothing");
	is_int(score, 0, "hidden weights are not scored");
	expect_referrals(a, "line-116111 psychological, line-527 information, line-1547 information",
	                 "line-527 information from the topic rule, once");
	set(a, "topic", "trafficking");
	set(a, "signs", "unpaid");
	expect_referrals(a, "line-527 information, line-116111 psychological, line-1547 information",
	                 "possible risk and a second rule for line-527: listed once, at its first rule");
	set(a, "topic", "work");
	expect_referrals(a, "line-116111 psychological, line-527 information, line-1547 information",
	                 "changing the topic moves line-527 to its topic rule");
	script_answers_free(a);
	script_free(s);
}

static void test_columns_and_prune(void)
{
	script *s = load_ok("good.script");
	const char *col[COL_NCOLS];
	if (!s)
		return;
	script_answers *a = script_answers_new(s);
	set(a, "topic", "trafficking");
	set(a, "age_band", "18+");
	set(a, "raion", "melitopolskyi");
	set(a, "signs", "unpaid");
	set(a, "people", "12");
	set(a, "country", "PL");
	set(a, "detail", "farm");
	set(a, "notes", "called from a farm");
	script_columns(a, col);
	is_str(col[COL_TOPIC], "trafficking", "column topic");
	is_str(col[COL_AGE_BAND], "18+", "column age_band");
	is_str(col[COL_RAION], "melitopolskyi", "column raion");
	is_str(col[COL_COUNTRY], "PL", "column country");
	ok(col[COL_GENDER] == NULL && col[COL_OUTCOME] == NULL, "unmapped columns are NULL");
	ok(col[COL_NOTES] == NULL, "notes hidden (callback unanswered): its column is NULL");
	set(a, "callback", "no");
	script_columns(a, col);
	is_str(col[COL_CALLBACK], "no", "column callback is yes or no");
	is_str(col[COL_NOTES], "called from a farm", "column notes once visible");
	ok(vis(a, "detail"), "detail shows: 12 people, not in Ukraine");

	set(a, "topic", "dv");
	ok(!vis(a, "signs") && !vis(a, "people") && !vis(a, "country") && !vis(a, "detail"),
	   "topic dv hides signs, and through them people and detail, and country");
	is_str(script_answers_get(a, "people"), "12", "answers to hidden steps are kept until pruned");
	script_columns(a, col);
	ok(col[COL_COUNTRY] == NULL, "a hidden step's column is NULL");
	set(a, "topic", "trafficking");
	ok(vis(a, "people") && vis(a, "detail"), "going back to trafficking shows the kept answers again");

	set(a, "topic", "work");
	ok(!vis(a, "people") && vis(a, "country"), "topic work keeps country, hides people");
	is_int(script_prune(a), 3, "prune drops signs, people and detail");
	ok(script_answers_get(a, "signs") == NULL && script_answers_get(a, "detail") == NULL, "pruned answers are gone");
	is_str(script_answers_get(a, "country"), "PL", "the answer that still applies is kept");
	is_str(script_answers_get(a, "notes"), "called from a farm", "later answers that still apply are kept");
	is_int(script_prune(a), 0, "a second prune drops nothing");
	script_answers_free(a);
	script_free(s);
}

/* ---- the example of the manual ---- */

/* The text between .EX and .EE after .SH EXAMPLE, roff escapes undone. */
static char *man_example(const char *man)
{
	const char *p = strstr(man, ".SH EXAMPLE\n");
	p = p ? strstr(p, ".EX\n") : NULL;
	const char *end = p ? strstr(p, ".EE\n") : NULL;
	dv_buf b = {0};
	dv_buf_add(&b, "", 0);
	if (!end)
		return dv_buf_take(&b);
	for (p += 4; p < end; p++) {
		if (strncmp(p, "\\-", 2) == 0)
			dv_buf_addc(&b, '-'), p++;
		else if (strncmp(p, "\\(en", 4) == 0)
			dv_buf_adds(&b, "\xe2\x80\x93"), p += 3;
		else if (strncmp(p, "\\e", 2) == 0)
			dv_buf_addc(&b, '\\'), p++;
		else
			dv_buf_addc(&b, *p);
	}
	return dv_buf_take(&b);
}

/* The lines of text that are not comments, joined. */
static char *without_comments(const char *text)
{
	dv_buf b = {0};
	dv_buf_add(&b, "", 0);
	for (const char *p = text; *p;) {
		size_t n = strcspn(p, "\n");
		if (*p != '#')
			dv_buf_add(&b, p, n), dv_buf_addc(&b, '\n');
		p += n + (p[n] == '\n');
	}
	return dv_buf_take(&b);
}

static void test_man_example(void)
{
	char *path = xasprintf("%s/doc/dovira-script.5", srcdir());
	size_t len;
	char *man = read_all(path, &len);
	char *ex = man_example(man);
	script *s;
	script_diags d = {0};
	ok(script_parse("example", ex, strlen(ex), &s, &d) == DV_OK, "the example of dovira-script(5) passes the check");
	if (s)
		ok(script_nsteps(s) == 9 && script_nrisk_rules(s) == 2 && script_nrefer_rules(s) == 7 && script_nqueue_rules(s) == 1,
		   "the example has the 9 steps, 2 risk rules, 7 referral rules and 1 queue rule its summary says");
	char *good_path = data_path("good.script");
	char *good = read_all(good_path, &len);
	char *a = without_comments(ex), *b = without_comments(good);
	is_str(a, b, "the example of the manual is tests/data/scripts/good.script, the engine tests' script");
	script_free(s);
	script_diags_free(&d);
	free(a);
	free(b);
	free(good);
	free(good_path);
	free(ex);
	free(man);
	free(path);
}

/* ---- the default script ---- */

static void test_default_script(void)
{
	char *path = xasprintf("%s/data/intake.script", srcdir());
	script *s = NULL;
	script_diags d = {0};
	dv_error e;
	int rc = script_load(path, &s, &d, &e);
	ok(rc == DV_OK && d.n == 0, "data/intake.script passes the check");
	for (size_t i = 0; i < d.n; i++)
		printf("#   %s:%u: %s\n", d.v[i].file, d.v[i].line, d.v[i].msg);
	script_diags_free(&d);
	free(path);
	if (!s)
		return;
	int mapped = 0;
	for (size_t i = 0; i < script_nsteps(s); i++)
		mapped += script_step_at(s, i)->column >= 0;
	is_int(mapped, COL_NCOLS, "the default script maps every core column");

	script_answers *a = script_answers_new(s);
	/* Danger now: where the person is decides the emergency number. */
	set(a, "topic", "trafficking");
	ok(!vis(a, "where_now"), "where the person is waits for the danger question");
	set(a, "danger_now", "yes");
	ok(vis(a, "where_now") && script_step_at(s, (size_t)script_step_index(s, "where_now"))->required,
	   "danger answered: where the person is now is asked, and required");
	ok(script_step_index(s, "where_now") == script_step_index(s, "danger_now") + 1,
	   "where the person is comes right after danger now");
	is_int(script_danger(a), 1, "danger now: yes is a danger at once");
	expect_referrals(a, "police-102 emergency, line-527 information, line-1547 information, line-116123 information",
	                 "danger before the place is known: 102 and the national lines");
	set(a, "where_now", "abroad");
	set(a, "country", "PL");
	expect_referrals(a, "emergency-112 emergency, consulates information, line-1547 information, "
	                 "line-527 information, line-116123 information",
	                 "danger in Poland: 112, the consulate, 1547's number from abroad; never 102");
	set(a, "country", "AE");
	expect_referrals(a, "consulates information, line-1547 information, line-527 information, line-116123 information",
	                 "danger in the Emirates: no 112 claimed, the consulate and 1547; never 102");
	set(a, "where_now", "occupied");
	ok(vis(a, "occupied_police"), "danger in occupied territory: the note on the occupation's police is asked");
	expect_referrals(a, "line-1547 information, line-527 information, line-116123 information",
	                 "danger in occupied territory: no 102 (the occupation's police), 1547");
	set(a, "where_now", "ukraine");
	set(a, "danger_now", "no");
	is_int(script_danger(a), 0, "danger now: no is no danger");

	/* No trafficking, abroad, missing or returnee call without a national line. */
	const char *topics[] = {"abroad-now", "trafficking", "missing", "returnee"};
	for (size_t i = 0; i < 4; i++) {
		set(a, "topic", topics[i]);
		ok(script_answers_has(a, "topic", topics[i]) && script_risk_now(a, NULL) == SCRIPT_RISK_NONE,
		   "%s with nothing ticked: no risk", topics[i]);
		script_referral *r;
		size_t n = script_referrals(a, &r), k = 0;
		while (k < n && strcmp(r[k].org, "line-527") != 0)
			k++;
		ok(k < n, "%s with nothing ticked still recommends the 527 line", topics[i]);
		free(r);
	}

	/* One list of means of control. */
	set(a, "topic", "abroad-now");
	ok(vis(a, "control") && vis(a, "exploitation"), "the abroad-now path asks the means of control and exploitation");
	ok(script_step_index(s, "ua_signs") < 0 && script_step_index(s, "ilo") < 0,
	   "the national checklist and the ILO list are merged into one");
	set(a, "topic", "trafficking");
	set(a, "age_band", "30-38");
	set(a, "control", "documents");
	is_int(script_risk_now(a, NULL), SCRIPT_RISK_POSSIBLE, "one means of control: possible");
	set(a, "control", "documents,movement");
	is_int(script_risk_now(a, NULL), SCRIPT_RISK_LIKELY, "two means of control: likely");
	ok(vis(a, "status_explained"), "a likely risk shows the status step");
	expect_referrals(a, "dszn-zoda status, police-0800 report, line-527 information, line-1547 information, line-116123 information",
	                 "likely trafficking: status, the police, the national lines");
	set(a, "control", "none");
	set(a, "exploitation", "other-begging");
	is_int(script_risk_now(a, NULL), SCRIPT_RISK_POSSIBLE, "a named form of exploitation alone: at least possible");
	set(a, "exploitation", "unknown");
	is_int(script_risk_now(a, NULL), SCRIPT_RISK_NONE, "exploitation unknown: no risk from it");
	set(a, "topic", "returnee");
	set(a, "exploitation", "labour");
	is_int(script_risk_now(a, NULL), SCRIPT_RISK_POSSIBLE, "a returnee who describes exploitation: possible");

	/* Children. */
	set(a, "topic", "trafficking");
	set(a, "age_band", "9-17");
	set(a, "exploitation", "other-criminal");
	is_int(script_risk_now(a, NULL), SCRIPT_RISK_LIKELY, "a child in any form of exploitation: likely, no means of control needed");
	expect_referrals(a, "dszn-zoda status, police-0800 report, police-102 report, police-juvenile report, "
	                 "children-service child-protection, line-116111 psychological, ocsssdm psychological, "
	                 "line-527 information, line-1547 information, line-116123 information",
	                 "a child in exploitation: the police (102, as its units have no telephone), the children's service and 116 111 too");
	set(a, "raion", "zaporizhzhia-city");
	expect_referrals(a, "dszn-zoda status, police-0800 report, police-102 report, police-juvenile report, "
	                 "children-service-zp child-protection, children-service child-protection, line-116111 psychological, "
	                 "ocsssdm psychological, line-527 information, line-1547 information, line-116123 information",
	                 "a child in exploitation in Zaporizhzhia: the city's children's service, which has a telephone, as well");
	set(a, "where_now", "abroad");
	expect_referrals(a, "dszn-zoda status, police-0800 report, police-juvenile report, "
	                 "children-service-zp child-protection, children-service child-protection, line-116111 psychological, "
	                 "ocsssdm psychological, line-527 information, line-1547 information, line-116123 information",
	                 "a child in exploitation abroad: never 102");
	set(a, "exploitation", "none");
	set(a, "control", "hours");
	is_int(script_risk_now(a, NULL), SCRIPT_RISK_LIKELY, "a child with one means of control: likely");
	set(a, "control", "none");
	set(a, "topic", "consult");
	set(a, "consult_purpose", "study");
	set(a, "country", "DE");
	is_int(script_risk_now(a, NULL), SCRIPT_RISK_NONE, "a 17-year-old asking about study abroad: no risk");
	expect_referrals(a, "line-527 information", "a 17-year-old asking about study: the 527 line only, no child rule");

	/* A job offer is not a victim. */
	set(a, "topic", "offer");
	set(a, "age_band", "21-23");
	set(a, "red_flags", "fee,tourist-visa,unlisted,originals,no-contract,too-good,pay-tricks,social-only");
	is_int(script_risk_now(a, NULL), SCRIPT_RISK_POSSIBLE, "every red flag of a job offer: still only possible");
	expect_referrals(a, "line-527 information, agencies-list information, labour-service information",
	                 "red flags alone: no status procedure, no police");
	set(a, "money_paid", "yes");
	expect_referrals(a, "line-527 information, cyber-police report, police-0800 report, legal-aid legal, "
	                 "agencies-list information, labour-service information",
	                 "money paid to a fake agency: the cyber police, the police and free legal aid");
	is_int(script_risk_now(a, NULL), SCRIPT_RISK_POSSIBLE, "money paid does not make a job offer likely");

	/* Codes and order. */
	long hf = script_step_index(s, "heard_from");
	ok(hf >= 0 && !script_step_option(script_step_at(s, (size_t)hf), "repeat") && script_step_index(s, "called_before") > hf,
	   "how the caller heard of the line and calling before are two questions");
	long ok_ = script_step_index(s, "other_kind");
	ok(!script_step_option(script_step_at(s, (size_t)ok_), "study") &&
	   !script_step_option(script_step_at(s, (size_t)ok_), "documents") &&
	   !script_step_option(script_step_at(s, (size_t)ok_), "marriage"),
	   "study, documents and marriage mean one thing each (the consult topic's)");
	ok(script_step_index(s, "outcome") > script_step_index(s, "callback") &&
	   script_step_index(s, "outcome") == (long)script_nsteps(s) - 2,
	   "the outcome is asked last before the notes, after the referrals were given");
	set(a, "raion", "melitopolskyi");
	ok(vis(a, "occupied"), "occupation is asked beside the raion (occupied Melitopol is both)");
	set(a, "occupied", "yes");
	const char *cols[COL_NCOLS];
	script_columns(a, cols);
	is_str(cols[COL_RAION], "melitopolskyi", "the raion column keeps the raion of an occupied place");
	ok(!script_step_option(script_step_at(s, (size_t)script_step_index(s, "raion")), "occupied"),
	   "occupied is no longer an alternative to the raion");
	ok(vis(a, "consent") && vis(a, "safe_to_talk"), "every data call reads the notice and asks whether it is safe to talk");
	set(a, "topic", "missing");
	set(a, "caller_role", "relative");
	ok(vis(a, "relatives_advice"), "a relative of a missing person gets the relatives' advice");
	set(a, "caller_role", "self");
	ok(!vis(a, "relatives_advice"), "the person themself does not");
	is_str(script_version(s), "2026.12.1", "the script's version changed with its rules");
	script_answers_free(a);
	script_free(s);
}

/* The queue rules that hold, as "a, b". */
static void expect_queue(const script_answers *a, const char *want, const char *what)
{
	const char **q;
	size_t n = script_queue(a, &q);
	dv_buf b = {0};
	dv_buf_add(&b, "", 0);
	for (size_t i = 0; i < n; i++)
		dv_buf_printf(&b, "%s%s", i ? ", " : "", q[i]);
	is_str(b.s, want, what);
	dv_buf_free(&b);
	free(q);
}

static void test_queue_rules(void)
{
	char *path = xasprintf("%s/data/intake.script", srcdir());
	script *s = NULL;
	dv_error e = {0};
	script_load(path, &s, NULL, &e);
	free(path);
	if (!ok(s != NULL, "the default script loads for the queue rules (%s)", e.msg))
		return;
	ok(script_nqueue_rules(s) == 6, "the default script has the six queue rules of issue 7");
	script_answers *a = script_answers_new(s);
	set(a, "topic", "consult");
	set(a, "age_band", "30-38");
	expect_queue(a, "", "advice before going abroad: not queued");
	set(a, "callback", "yes");
	expect_queue(a, "callback", "a call-back agreed: queued as callback");
	set(a, "callback", "no");
	set(a, "topic", "trafficking");
	set(a, "danger_now", "yes");
	expect_queue(a, "danger, emergency", "danger now: queued as danger and emergency, in rule order");
	set(a, "danger_now", "no");
	set(a, "control", "documents,movement");
	expect_queue(a, "likely", "two means of control: likely, queued");
	set(a, "control", "none");
	set(a, "topic", "offer");
	set(a, "age_band", "9-17");
	set(a, "red_flags", "fee,originals");
	expect_queue(a, "child", "a child at possible risk (a job offer's warning signs): queued as child");
	set(a, "red_flags", "none");
	expect_queue(a, "", "a child with no signs: not queued");
	set(a, "topic", "missing");
	expect_queue(a, "missing", "a missing person: queued");
	unsigned *lines;
	set(a, "topic", "trafficking");
	set(a, "age_band", "30-38");
	set(a, "control", "documents,movement");
	set(a, "exploitation", "labour");
	size_t n = script_risk_why(a, &lines);
	ok(n >= 2, "means of control and a form of exploitation: at least two risk rules hold and are named");
	free(lines);
	script_answers_free(a);
	script_free(s);
}

int main(void)
{
	setlocale(LC_ALL, "");
	i18n_init("en");
	test_broken_files();
	test_limits();
	test_sections();
	test_load_errors();
	test_format();
	test_accessors();
	test_conditions();
	test_answers();
	test_navigation();
	test_risk_and_referrals();
	test_columns_and_prune();
	test_man_example();
	test_default_script();
	test_queue_rules();
	return tap_done();
}

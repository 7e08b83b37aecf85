/* Unit tests of the record mapping (record.h): script answers onto a call
 * record's core columns and other answers, and back, on
 * tests/data/scripts/good.script. No database is involved. */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dovira/i18n.h"
#include "dovira/record.h"
#include "dovira/util.h"
#include "tap.h"

static script *load_good(void)
{
	const char *d = getenv("SRCDIR");
	char *path = xasprintf("%s/tests/data/scripts/good.script", d && *d ? d : ".");
	script *s = NULL;
	script_diags diags = {0};
	dv_error e;
	script_load(path, &s, &diags, &e);
	script_diags_free(&diags);
	free(path);
	return s;
}

static void set(script_answers *a, const char *step, const char *v)
{
	dv_error e;
	if (script_answers_set(a, step, v, &e) != DV_OK)
		printf("# cannot set %s to %s: %s\n", step, v, e.msg);
}

static const char *answer_of(const call_record *r, const char *step)
{
	for (size_t i = 0; i < r->nanswers; i++)
		if (strcmp(r->answers[i].step, step) == 0)
			return r->answers[i].value;
	return NULL;
}

static void test_column_table(void)
{
	is_str(col_name(COL_AGE_BAND), "age_band", "the table spells age_band as the database does");
	is_int(col_parse("callback"), COL_CALLBACK, "a name parses to its column");
	is_int(col_parse("name"), -1, "a name not in the table is refused (no column for a caller's name)");
	ok(col_name(COL_NCOLS) == NULL && col_parse(NULL) == -1, "out of range: NULL and -1");
	is_int(col_shape_of(COL_CALLBACK), COL_SHAPE_YESNO, "callback is the yes/no column");
}

static void test_to_record(const script *s)
{
	script_answers *a = script_answers_new(s);
	call_record *r = xcalloc(1, sizeof *r);
	set(a, "topic", "trafficking");
	set(a, "age_band", "18+");
	set(a, "signs", "documents,movement,unpaid");
	set(a, "people", "12");
	set(a, "country", "PL");
	set(a, "detail", "farm work");
	set(a, "callback", "yes");
	record_from_answers(r, a, "called from a farm", "callback");
	is_str(r->col[COL_TOPIC], "trafficking", "a mapped step goes to its column");
	is_str(r->col[COL_CALLBACK], "yes", "a yesno step goes to its column as yes");
	is_str(r->col[COL_NOTES], "called from a farm", "the notes go to the notes column");
	ok(r->col[COL_RAION] == NULL && r->col[COL_GENDER] == NULL, "unanswered and unmapped columns are NULL");
	is_str(answer_of(r, "signs"), "documents,movement,unpaid", "an unmapped step is kept beside the record");
	is_str(answer_of(r, "detail"), "farm work", "free text of an unmapped step is kept beside it");
	ok(answer_of(r, "topic") == NULL, "a mapped step is not repeated beside the record");
	is_str(r->risk, "likely", "the risk level is recorded");
	is_str(r->step, "callback", "the step the operator is at is recorded");

	set(a, "topic", "dv");
	record_from_answers(r, a, "", NULL);
	ok(r->col[COL_COUNTRY] == NULL && answer_of(r, "signs") == NULL && answer_of(r, "detail") == NULL,
	   "answers hidden by a changed topic are left out of the record");
	ok(r->col[COL_NOTES] == NULL && r->step == NULL, "empty notes and no step clear both");
	is_str(r->risk, "none", "the risk follows the visible answers");
	call_set_answer(r, "ua_signs", "documents"); /* a draft of an older script version */
	record_from_answers(r, a, "", NULL);
	is_str(answer_of(r, "ua_signs"), "documents",
	       "an answer to a step this script does not have (an older version's) is kept, not lost");
	call_free(r);
	script_answers_free(a);
}

static void test_from_record(const script *s)
{
	script_answers *a = script_answers_new(s);
	call_record *r = xcalloc(1, sizeof *r);
	set(a, "topic", "trafficking");
	set(a, "age_band", "9-17");
	set(a, "raion", "melitopolskyi");
	set(a, "signs", "unpaid");
	set(a, "people", "3");
	set(a, "callback", "no");
	record_from_answers(r, a, "notes here", NULL);
	size_t dropped = 99;
	script_answers *b = record_answers(s, r, &dropped);
	const char *steps[] = {"topic", "age_band", "raion", "signs", "people", "callback"};
	int same = 1;
	for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
		const char *x = script_answers_get(a, steps[i]), *y = script_answers_get(b, steps[i]);
		same &= x && y && strcmp(x, y) == 0;
	}
	ok(same, "a record turns back into the answers it was made from");
	is_str(script_answers_get(b, "notes"), "notes here", "the notes step gets the record's notes");
	is_int((long)dropped, 0, "nothing dropped when the script accepts every value");
	const script_step *st = script_step_at(s, (size_t)script_step_index(s, "people"));
	is_str(record_value(r, st), "3", "record_value finds an answer kept beside the record");
	script_answers_free(b);

	call_set_col(r, COL_AGE_BAND, "65+");
	call_set_answer(r, "people", "500");
	b = record_answers(s, r, &dropped);
	is_int((long)dropped, 2, "values the script no longer accepts are dropped and counted");
	ok(script_answers_get(b, "age_band") == NULL, "a dropped value leaves its step unanswered");
	script_answers_free(b);
	call_free(r);
	script_answers_free(a);
}

static void test_words(const script *s)
{
	const script_step *signs = script_step_at(s, (size_t)script_step_index(s, "signs"));
	const script_step *detail = script_step_at(s, (size_t)script_step_index(s, "detail"));
	char *w = record_words(signs, "documents, threats");
	is_str(w, "Documents taken; Threats", "a multi answer in words: labels joined by '; '");
	free(w);
	w = record_words(signs, "documents,gone");
	is_str(w, "documents,gone", "a code the step does not know: the value as stored");
	free(w);
	w = record_words(detail, "farm");
	is_str(w, "farm", "a text step: the value itself");
	free(w);
	w = record_words(detail, NULL);
	is_str(w, "", "no value: empty");
	free(w);
}

int main(void)
{
	setlocale(LC_ALL, "");
	i18n_init("en");
	test_column_table();
	script *s = load_good();
	ok(s != NULL, "good.script loads");
	if (s) {
		test_to_record(s);
		test_from_record(s);
		test_words(s);
	}
	script_free(s);
	return tap_done();
}

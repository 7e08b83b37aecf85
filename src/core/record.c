/* record.c: script answers to a call record and back (record.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dovira/record.h"

void record_from_answers(call_record *r, const script_answers *a, const char *notes, const char *at_step)
{
	const script *s = script_answers_script(a);
	const char *vals[COL_NCOLS];
	script_columns(a, vals);
	for (int c = 0; c < COL_NCOLS; c++)
		if (c != COL_NOTES)
			call_set_col(r, (call_col)c, vals[c]);
	call_set_col(r, COL_NOTES, notes && *notes ? notes : NULL);
	/* Replace the answers to this script's steps; keep those to steps it
	 * does not have (a draft started under an older version of the
	 * script): they were typed, and are not lost by resuming. */
	for (size_t i = r->nanswers; i-- > 0;)
		if (script_step_index(s, r->answers[i].step) >= 0)
			call_set_answer(r, r->answers[i].step, NULL);
	for (size_t i = 0; i < script_nsteps(s); i++) {
		const script_step *st = script_step_at(s, i);
		const char *v = script_answers_get(a, st->id);
		if (v && st->column < 0 && st->kind != SCRIPT_NOTES && script_visible(a, i))
			call_set_answer(r, st->id, v);
	}
	call_set_progress(r, script_risk_name(script_risk_now(a, NULL)), at_step);
}

const char *record_value(const call_record *r, const script_step *st)
{
	if (st->kind == SCRIPT_NOTES)
		return r->col[COL_NOTES];
	if (st->column >= 0 && st->column < COL_NCOLS)
		return r->col[st->column];
	for (size_t i = 0; i < r->nanswers; i++)
		if (strcmp(r->answers[i].step, st->id) == 0)
			return r->answers[i].value;
	return NULL;
}

script_answers *record_answers(const script *s, const call_record *r, size_t *dropped)
{
	script_answers *a = script_answers_new(s);
	size_t bad = 0;
	dv_error e;
	for (size_t i = 0; i < script_nsteps(s); i++) {
		const script_step *st = script_step_at(s, i);
		const char *v = record_value(r, st);
		if (v && *v && script_answers_set(a, st->id, v, &e) != DV_OK)
			bad++;
	}
	if (dropped)
		*dropped = bad;
	return a;
}

/* The label of the option whose code is value[0, len), or NULL. */
static const char *label_of(const script_step *st, const char *code, size_t len)
{
	for (size_t i = 0; i < st->nopts; i++)
		if (strlen(st->opts[i].code) == len && memcmp(st->opts[i].code, code, len) == 0)
			return script_option_label(&st->opts[i]);
	return NULL;
}

char *record_words(const script_step *st, const char *value)
{
	if (!value)
		return xstrdup("");
	if (!st->nopts)
		return xstrdup(value);
	dv_buf b = {0};
	for (const char *p = value; *p;) {
		p += strspn(p, " ,");
		size_t n = strcspn(p, ",");
		while (n && p[n - 1] == ' ')
			n--;
		if (!n)
			break;
		const char *label = label_of(st, p, n);
		if (!label) {
			dv_buf_free(&b);
			return xstrdup(value);
		}
		dv_buf_printf(&b, "%s%s", b.len ? "; " : "", label);
		p += strcspn(p, ",");
	}
	return b.len ? dv_buf_take(&b) : xstrdup(value);
}

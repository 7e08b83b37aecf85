/* callview.c: one call in full, in a scrolling view: every answer with
 * its question and option labels as the script version that took the
 * call wrote them, the risk and why, the referrals (recommended and made),
 * the redacted notes, the timings, the QA flags, the high-risk queue, the
 * case and its other calls, and every correction made to it (field, old
 * value, new value, reason, who, when).
 *
 * The core audits opening a final call that is not one's own
 * ("call.view") and refuses an operator another's call. Supervisors mark
 * the call reviewed, acknowledge it in the high-risk queue with a short
 * comment, link it to a case, correct it (correct.c), and finish or
 * discard another operator's draft left behind.
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "desk.h"
#include "dovira/i18n.h"
#include "dovira/sanitize.h"
#include "directory.h"
#include "pager.h"

#define LABEL_W 20

struct ui_callview {
	desk_call *call;
	ui_pager pager;     /* filled from the call in memory at each drawing */
};

/* ---- the lines ---- */

/* A field: its label, and its value (sanitised) wrapped to the width. */
/* The default script's queue rule names (data/intake.script) in words; a
 * name another script gives is shown as it is written there. */
static char *queue_words(const char *names)
{
	static const struct { const char *name, *label; } words[] = {
		{"likely", N_("likely trafficking")}, {"danger", N_("danger now")},
		{"child", N_("a child at risk")}, {"missing", N_("a missing person")},
		{"emergency", N_("emergency services needed")},
		{"callback", N_("call-back agreed")},
	};
	dv_buf b = {0};
	dv_buf_add(&b, "", 0);
	for (const char *p = names ? names : ""; *p;) {
		size_t n = strcspn(p, " ");
		const char *w = NULL;
		for (size_t i = 0; n && i < sizeof words / sizeof *words; i++)
			if (strlen(words[i].name) == n && strncmp(words[i].name, p, n) == 0)
				w = _(words[i].label);
		if (n)
			dv_buf_printf(&b, "%s%.*s", b.len ? ", " : "", (int)(w ? strlen(w) : n), w ? w : p);
		p += n + (p[n] == ' ');
	}
	return dv_buf_take(&b);
}

static void field(ui_pager *b, const char *label, const char *value, ui_color color)
{
	ui_pager_add_wrapped(b, label, color, 0, value, COLS - LABEL_W - 5);
}

/* The same, taking a value the caller allocated. */
static void field_own(ui_pager *b, const char *label, char *value, ui_color color)
{
	field(b, label, value, color);
	free(value);
}

/* A heading across the label column too, after a blank line. */
static void heading(ui_pager *b, const char *text)
{
	if (b->n)
		ui_pager_add(b, COLOR_NORMAL, 0, NULL);
	ui_pager_add(b, COLOR_HEADING, -(LABEL_W + 1), sanitize(text, 0));
}

static ui_callview *view(const ui_ctx *c)
{
	return ui_state(c, SCR_CALL);
}

static desk_call *shown(const ui_ctx *c)
{
	return view(c) ? view(c)->call : NULL;
}

static int body_rows(void)
{
	return LINES - 3 - 3;
}

static void timings(ui_pager *b, const desk_call *d)
{
	const call_record *r = d->r;
	char start[20], end[20];
	ui_desk_when(r->started_at, start);
	ui_desk_when(r->ended_at, end);
	field(b, _("Started:"), start, COLOR_NORMAL);
	if (r->final) {
		char dur[16];
		ui_format_timer(r->duration_s, dur);
		field_own(b, _("Ended:"), xasprintf(_("%s \u00b7 %s long"), end, dur), COLOR_NORMAL);
	} else {
		field_own(b, _("Status:"), xasprintf(_("a draft, stopped at %s"), r->step ? r->step : "\u2014"),
				  COLOR_WARNING);
	}
	if (d->finished_by)
		field_own(b, _("Finished by:"), xasprintf(_("%s (a supervisor, for the operator)"), d->finished_by),
				  COLOR_WARNING);
	field_own(b, _("Operator:"), xasprintf("%s \u00b7 %s", r->operator_login, r->office), COLOR_NORMAL);
	field_own(b, _("Script:"), xasprintf("%s %s", r->script_id ? r->script_id : "",
						   r->script_version ? r->script_version : ""), COLOR_HINT);
}

static void answers(ui_pager *b, const desk_call *d)
{
	if (d->r->kind != CALL_DATA) {
		field(b, _("Kind:"), calls_kind_label(d->r->kind), COLOR_NORMAL);
		return;
	}
	heading(b, d->script_known ? _("Answers, as the script of the call asked them")
					    : _("Answers (the text of the call's script version is not in the database)"));
	for (size_t i = 0; i < d->nlines; i++)
		field_own(b, NULL, xasprintf("%s \u2014 %s", d->lines[i].question, d->lines[i].label),
				  COLOR_NORMAL);
	if (!d->nlines)
		field(b, NULL, _("no answers yet"), COLOR_HINT);
}

static void risk(ui_pager *b, const desk_call *d)
{
	if (d->r->kind != CALL_DATA)
		return;
	heading(b, _("Risk"));
	field(b, _("Risk:"), d->r->risk ? ui_desk_risk_label(d->r->risk) : _("not assessed"),
		      ui_risk_color(d->r->risk));
	for (size_t i = 0; i < d->nwhy; i++)
		field(b, i == 0 ? _("Why:") : NULL, d->why[i], COLOR_NORMAL);
}

static void referrals(ui_pager *b, const desk_call *d)
{
	if (d->r->kind != CALL_DATA)
		return;
	heading(b, _("Referrals"));
	for (size_t i = 0; i < d->nrefs; i++) {
		const desk_referral *r = &d->refs[i];
		const char *state = r->made && r->recommended ? _("recommended, made")
				    : r->made ? _("made") : _("recommended, not made");
		field_own(b, NULL, xasprintf("%s \u2014 %s (%s%s)", r->org_name, ui_dir_service_label(r->service), state,
						     r->verified ? "" : _(", an unverified entry")),
				  r->made && r->verified ? COLOR_NORMAL : COLOR_WARNING);
	}
	if (!d->nrefs)
		field(b, NULL, _("none"), COLOR_HINT);
}

static void notes(ui_pager *b, const desk_call *d)
{
	if (d->r->kind != CALL_DATA)
		return;
	heading(b, _("Notes (as stored, redacted)"));
	field(b, NULL, d->r->col[COL_NOTES] && *d->r->col[COL_NOTES] ? d->r->col[COL_NOTES] : _("no notes"),
		      COLOR_NORMAL);
}

static void review(ui_pager *b, const desk_call *d)
{
	heading(b, _("Review"));
	unsigned n = 0;
	for (int bit = 0; bit < DESK_QA_NFLAGS; bit++) {
		if (!(d->qa_flags & (1u << bit)))
			continue;
		field(b, n++ == 0 ? _("QA flags:") : NULL, desk_qa_label(bit), COLOR_WARNING);
	}
	if (!n)
		field(b, _("QA flags:"), _("none"), COLOR_OK);
	if (d->queue_state == 1) {
		char *why = queue_words(d->queue);
		field_own(b, _("High-risk queue:"), xasprintf(_("waiting for a supervisor (%s)"), why),
				  COLOR_RISK_LIKELY);
		free(why);
	} else if (d->queue_state == 2) {
		char when[20];
		ui_desk_when(d->ack_at, when);
		field_own(b, _("High-risk queue:"), xasprintf(_("acknowledged by %s, %s: %s"), d->ack_by, when,
								     d->ack_comment), COLOR_OK);
	}
	if (d->reviewed_by) {
		char when[20];
		ui_desk_when(d->reviewed_at, when);
		field_own(b, _("Reviewed:"), xasprintf(_("by %s, %s"), d->reviewed_by, when), COLOR_OK);
	} else {
		field(b, _("Reviewed:"), _("not yet"), COLOR_HINT);
	}
}

static void the_case(ui_ctx *c, ui_pager *b, const desk_call *d)
{
	heading(b, _("Case"));
	const desk_case *k = d->kase;
	if (!k) {
		field(b, _("Case:"), _("not linked to a case"), COLOR_HINT);
		return;
	}
	char due[20];
	ui_desk_when(k->callback_due, due);
	field_own(b, _("Case:"), xasprintf(_("%1$s \u00b7 %2$s \u00b7 owner %3$s"), k->code,
						   ui_desk_case_status_label(k->status), k->owner ? k->owner : "\u2014"),
			  COLOR_NORMAL);
	if (k->callback_due)
		field(b, _("Call back by:"), due, k->callback_due < dv_now() ? COLOR_WARNING : COLOR_NORMAL);
	for (long i = 0, n = 0; i < d->ncase_calls; i++) {
		char when[20];
		const desk_row *o = &d->case_calls[i];
		if (strcmp(o->id, d->r->id) == 0)
			continue;
		ui_desk_when(o->started_at, when);
		char *what = ui_desk_what(c, o->kind, o->topic);
		field_own(b, n++ == 0 ? _("Other calls:") : NULL, xasprintf("%s \u00b7 %s \u00b7 %s \u00b7 %s", when,
				  o->case_code, o->operator_login, what), COLOR_NORMAL);
		free(what);
	}
}

/* A correction's field in words: the question of an answer, a referral
 * added or removed, or the field's name. */
static char *field_words(const desk_call *d, const char *field)
{
	const char *step = strncmp(field, "answer:", 7) == 0 ? field + 7 : field;
	for (size_t i = 0; i < d->nlines; i++)
		if (strcmp(d->lines[i].step, step) == 0)
			return xstrdup(d->lines[i].question);
	if (strncmp(field, "referral+:", 10) == 0)
		return xasprintf(_("referral added: %s"), field + 10);
	if (strncmp(field, "referral-:", 10) == 0)
		return xasprintf(_("referral removed: %s"), field + 10);
	if (strcmp(field, "notes") == 0)
		return xstrdup(_("notes"));
	return xstrdup(field);
}

static void corrections(ui_pager *b, const desk_call *d)
{
	if (!d->ncorr)
		return;
	char *head = xasprintf(ngettext("Corrections: %zu change", "Corrections: %zu changes", d->ncorr), d->ncorr);
	heading(b, head);
	free(head);
	for (size_t i = 0; i < d->ncorr; i++) {
		const desk_correction *k = &d->corr[i];
		char when[20];
		ui_desk_when(k->at, when);
		field_own(b, NULL, field_words(d, k->field), COLOR_HEADING);
		field_own(b, NULL, xasprintf(_("was: %s"), k->old_value && *k->old_value ? k->old_value : "\u2014"), COLOR_NORMAL);
		field_own(b, NULL, xasprintf(_("now: %s"), k->new_value && *k->new_value ? k->new_value : "\u2014"), COLOR_NORMAL);
		field_own(b, NULL, xasprintf(_("by %1$s, %2$s, because: %3$s"), k->who, when, k->reason), COLOR_HINT);
	}
}

static void build(ui_ctx *c, const desk_call *d, ui_pager *b)
{
	timings(b, d);
	the_case(c, b, d);
	review(b, d);
	answers(b, d);
	risk(b, d);
	referrals(b, d);
	notes(b, d);
	corrections(b, d);
}

/* ---- the screen ---- */

static void callview_draw(ui_ctx *c)
{
	ui_clear_body(c);
	desk_call *d = shown(c);
	if (!d)
		return;
	char *title = xasprintf(_("Call %s"), d->r->case_code);
	ui_put(c, 1, 2, COLS - 24, COLOR_HEADING, 0, title);
	free(title);
	if (d->ncorr)
		ui_put(c, 1, COLS - 20, 18, COLOR_WARNING, 0, _("corrected"));
	else if (!d->r->final)
		ui_put(c, 1, COLS - 20, 18, COLOR_WARNING, 0, _("draft"));
	ui_pager *p = &view(c)->pager;
	ui_pager_clear(p);
	p->label_w = LABEL_W;
	build(c, d, p);
	ui_pager_draw(p, c, 3, 2, body_rows(), COLS - 3);
}

static int callview_key(ui_ctx *c, ui_key k)
{
	if (!shown(c))
		return 0;
	return ui_pager_key(&view(c)->pager, k);
}

static const char *const callview_help[] = {
	N_("\u2191 \u2193 PgUp PgDn Home End"), N_("scroll"),
	NULL,
};

static void callview_leave(ui_ctx *c, void *state);

const ui_screen ui_call_screen = {
	.id = SCR_CALL,
	.leave = callview_leave,
	.title = N_("Call"),
	.draw = callview_draw,
	.key = callview_key,
	.field_help = callview_help,
};

static void callview_leave(ui_ctx *c, void *state)
{
	(void)c;
	ui_callview *v = state;
	desk_call_free(v->call);
	ui_pager_free(&v->pager);
	free(v);
}

int ui_callview_open(ui_ctx *c, const char *id)
{
	dv_error e;
	dv_error_clear(&e);
	char *want = xstrdup(id);
	desk_call *d = desk_call_open(c->s, want, &e);
	free(want);
	if (!d) {
		ui_say(c, COLOR_ERROR, "%s", e.msg);
		return -1;
	}
	/* Over a call shown, another call (or the same one read again)
	 * takes its place; the same one keeps its scroll. */
	const ui_callview *old = ui_top(c) == SCR_CALL ? view(c) : NULL;
	ui_callview *v = xcalloc(1, sizeof *v);
	v->call = d;
	if (old && strcmp(old->call->r->id, d->r->id) == 0)
		v->pager.top = old->pager.top;
	if (old)
		ui_replace_state(c, SCR_CALL, v);
	else
		ui_push_state(c, SCR_CALL, v);
	return 0;
}

void ui_callview_reload(ui_ctx *c)
{
	desk_call *d = shown(c);
	if (!d)
		return;
	char id[37];
	snprintf(id, sizeof id, "%s", d->r->id);
	ui_callview_open(c, id);
	ui_log_reload(c);
}

void ui_callview_id(const ui_ctx *c, char out[static 37])
{
	snprintf(out, 37, "%s", shown(c) ? shown(c)->r->id : "");
}

void ui_act_call_back(ui_ctx *c)
{
	if (ui_top(c) == SCR_CALL)
		ui_pop(c);
}

/* ---- the supervisors' actions ---- */

int ui_call_is_final(const ui_ctx *c)
{
	return shown(c) && shown(c)->r->final;
}

int ui_call_may_review(const ui_ctx *c)
{
	return ui_call_is_final(c) && !shown(c)->reviewed_by;
}

int ui_call_waiting(const ui_ctx *c)
{
	return shown(c) && shown(c)->queue_state == 1;
}

int ui_call_has_case(const ui_ctx *c)
{
	return shown(c) && shown(c)->kase;
}

/* A draft of another operator: a supervisor may finish or discard it. */
int ui_call_orphan(const ui_ctx *c)
{
	const desk_call *d = shown(c);
	return d && !d->r->final && strcmp(d->r->operator_login, c->s->login) != 0;
}

static void review_yes(ui_ctx *c)
{
	dv_error e;
	dv_error_clear(&e);
	if (!shown(c))
		return;
	if (desk_mark_reviewed(c->s, shown(c)->r->id, &e) != DV_OK) {
		ui_say(c, COLOR_ERROR, "%s", e.msg);
		return;
	}
	ui_say(c, COLOR_OK, _("Marked reviewed: %s."), shown(c)->r->case_code);
	ui_callview_reload(c);
}

void ui_act_call_review(ui_ctx *c)
{
	if (ui_call_may_review(c))
		ui_ask(c, review_yes, _("Mark the call %s as reviewed by you?"), shown(c)->r->case_code);
}

static int ack_done(ui_ctx *c, const char *text)
{
	dv_error e;
	dv_error_clear(&e);
	if (!shown(c))
		return 0;
	if (!text[strspn(text, " ")]) {
		ui_say(c, COLOR_ERROR, "%s", _("Write a short comment: what was done or decided."));
		return -1;
	}
	if (desk_queue_ack(c->s, shown(c)->r->id, text, &e) != DV_OK) {
		ui_say(c, COLOR_ERROR, "%s", e.msg);
		/* Acknowledged by someone else meanwhile: the message names
		 * who, and the call shows their comment. */
		if (e.code == DV_ECONFLICT || e.code == DV_EINVAL)
			ui_callview_reload(c);
		return e.code == DV_ECONFLICT || e.code == DV_EINVAL ? 0 : -1;
	}
	ui_say(c, COLOR_OK, _("Acknowledged: %s."), shown(c)->r->case_code);
	ui_callview_reload(c);
	return 0;
}

void ui_act_call_ack(ui_ctx *c)
{
	if (ui_call_waiting(c))
		ui_prompt_open(c, _("Acknowledge the high-risk call: your comment"),
			       _("what was done or decided, in a few words (no names or numbers)"), NULL, 200, ack_done);
}

static int link_done(ui_ctx *c, const char *text)
{
	dv_error e;
	dv_error_clear(&e);
	char code[10];
	if (!shown(c))
		return 0;
	if (desk_code_normalise(text, code) != 0) {
		ui_say(c, COLOR_ERROR, _("%s is not a case code: eight letters and digits, such as ABCD-EFGH"), text);
		return -1;
	}
	if (desk_case_link(c->s, shown(c)->r->id, code, &e) != DV_OK) {
		ui_say(c, COLOR_ERROR, "%s", e.msg);
		return -1;
	}
	ui_say(c, COLOR_OK, _("The call %1$s is now part of the case %2$s."), shown(c)->r->case_code, code);
	ui_callview_reload(c);
	return 0;
}

void ui_act_call_link(ui_ctx *c)
{
	if (shown(c))
		ui_prompt_open(c, _("Link this call to the case with the code"),
			       _("the case code the caller gave, such as ABCD-EFGH (either keyboard layout)"), NULL, 12, link_done);
}

void ui_act_call_case(ui_ctx *c)
{
	if (ui_call_has_case(c)) {
		char code[10];
		snprintf(code, sizeof code, "%s", shown(c)->kase->code);
		ui_caseview_open(c, code);
	}
}

void ui_act_call_correct(ui_ctx *c)
{
	if (ui_call_is_final(c))
		ui_correct_open(c);
}

static void finish_yes(ui_ctx *c)
{
	dv_error e;
	dv_error_clear(&e);
	if (!shown(c))
		return;
	if (desk_draft_finish(c->s, shown(c)->r->id, &e) != DV_OK) {
		ui_say(c, COLOR_ERROR, "%s", e.msg);
		return;
	}
	ui_say(c, COLOR_OK, _("The draft %s is saved as final, marked as finished by you."), shown(c)->r->case_code);
	ui_callview_reload(c);
}

void ui_act_call_finish(ui_ctx *c)
{
	if (ui_call_orphan(c))
		ui_ask(c, finish_yes, _("Save %1$s's draft %2$s as a final call, finished by you?"),
		       shown(c)->r->operator_login, shown(c)->r->case_code);
}

static void discard_yes(ui_ctx *c)
{
	dv_error e;
	dv_error_clear(&e);
	if (!shown(c))
		return;
	char code[10];
	snprintf(code, sizeof code, "%s", shown(c)->r->case_code);
	if (desk_draft_discard(c->s, shown(c)->r->id, &e) != DV_OK) {
		ui_say(c, COLOR_ERROR, "%s", e.msg);
		return;
	}
	ui_act_call_back(c);
	ui_log_reload(c);
	ui_say(c, COLOR_OK, _("The draft %s was discarded."), code);
}

void ui_act_call_discard(ui_ctx *c)
{
	if (ui_call_orphan(c))
		ui_ask(c, discard_yes, _("Discard %1$s's draft %2$s? Its answers and notes are deleted."),
		       shown(c)->r->operator_login, shown(c)->r->case_code);
}

/* summary.c: the record before it is saved: the coded answers with their
 * labels, the risk, the referrals the script recommends (a digit marks one
 * as made), and the notes as stored, with every tag the redactor put in
 * place of personal data highlighted and counted, and the capitalised
 * words that might still be names marked: one key (the action table's
 * "redact-name") replaces the marked one by [NAME], another moves the mark.
 * One key saves.
 *
 * The lines are a pager filled from memory for each drawing: the answers,
 * the record and the names of the organisations, which are read from the
 * database only when they change (ui_summary_reload), never while
 * drawing, so a locked database cannot freeze the screen mid-call. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dovira/i18n.h"
#include "directory.h"
#include "dovira/orgs.h"
#include "dovira/record.h"
#include "intake.h"

#define LIST_TOP 3

/* ---- the lines of the summary, built from memory for each drawing ---- */

typedef ui_pager sbuild;

static void add(sbuild *b, ui_color color, int indent, char *text)
{
	ui_pager_add(b, color, indent, text);
}

/* The answer to st in words: option labels, or the value as stored
 * (free text after the redactor). */
static char *answer_words(const ui_ctx *c, const script_step *st, const char *v)
{
	const char *stored = st->nopts ? NULL : record_value(c->call, st);
	return record_words(st, stored ? stored : v);
}

static void add_answers(const ui_ctx *c, sbuild *b)
{
	const ui_intake *in = c->intake;
	add(b, COLOR_NORMAL, 0, xstrdup(""));
	add(b, COLOR_HEADING, 0, xstrdup(_("Answers")));
	for (size_t i = 0; i < script_nsteps(in->scr); i++) {
		const script_step *st = script_step_at(in->scr, i);
		const char *v = script_answers_get(in->ans, st->id);
		if (!v || st->kind == SCRIPT_NOTES || !script_visible(in->ans, i))
			continue;
		char *q = text_cut(script_step_text(st), 36, 1);
		char *a = answer_words(c, st, v);
		add(b, COLOR_NORMAL, 2, xasprintf("%s  %s", q, a));
		free(q);
		free(a);
	}
	long m = script_first_missing(in->ans);
	if (m >= 0) {
		char keys[80];
		ui_action_keys(c, SCR_SUMMARY, "edit", keys, sizeof keys);
		add(b, COLOR_WARNING, 2, xasprintf(_("Not answered yet: %s (%s goes back to the call)"),
						  script_step_text(script_step_at(in->scr, (size_t)m)), keys));
	}
}

static int referral_made(const call_record *r, const char *org, const char *service)
{
	for (size_t i = 0; i < r->nreferrals; i++)
		if (strcmp(r->referrals[i].org_id, org) == 0 &&
		    strcmp(r->referrals[i].service, service ? service : "") == 0)
			return 1;
	return 0;
}

/* ---- the model: the organisations' names, read on change ---- */

/* The organisation as the operator needs it on the phone: its telephones
 * and its name in the language of the screens; the id if the directory
 * does not have it or cannot be read now. */
static char *read_label(const ui_ctx *c, const char *id)
{
	dv_org o;
	dv_error e;
	memset(&o, 0, sizeof o);
	if (orgs_get(c->s->db, id, &o, &e) != DV_OK)
		return xstrdup(id);
	/* The telephones first: long names are cut at the edge. */
	char *label = o.phones && *o.phones
		? xasprintf("%s \u00b7 %s", o.phones, i18n_pick(o.name_uk, o.name_en))
		: xstrdup(i18n_pick(o.name_uk, o.name_en));
	orgs_free(&o);
	return label;
}

/* The summary screen's state: its lines, and what it read to show them. */
typedef struct ui_summary {
	ui_pager pager;         /* the summary's lines and scroll */
	/* What the summary shows from the database (the names and telephones
	 * of the organisations it lists), read when it changes, never while
	 * drawing. */
	char **org_ids, **org_labels;
	size_t norgs;
	int orgs_stale;         /* an organisation is shown that was not read */
	size_t name_at;         /* which possible name the summary marks */
	redact_hit *names;      /* the possible names of the notes, as drawn */
	size_t nnames;
} ui_summary;

static ui_summary *sum_of(const ui_ctx *c)
{
	return ui_state(c, SCR_SUMMARY);
}

static void sum_clear(ui_summary *in)
{
	for (size_t i = 0; i < in->norgs; i++) {
		free(in->org_ids[i]);
		free(in->org_labels[i]);
	}
	free(in->org_ids);
	free(in->org_labels);
	in->org_ids = in->org_labels = NULL;
	in->norgs = 0;
	in->orgs_stale = 0;
	free(in->names);
	in->names = NULL;
	in->nnames = 0;
	ui_pager_free(&in->pager);
}

static void remember(ui_ctx *c, ui_summary *in, const char *id)
{
	for (size_t i = 0; i < in->norgs; i++)
		if (strcmp(in->org_ids[i], id) == 0)
			return;
	in->org_ids = xrealloc(in->org_ids, (in->norgs + 1) * sizeof *in->org_ids);
	in->org_labels = xrealloc(in->org_labels, (in->norgs + 1) * sizeof *in->org_labels);
	in->org_ids[in->norgs] = xstrdup(id);
	in->org_labels[in->norgs++] = read_label(c, id);
}

/* Read the organisations' names again (on opening, after a referral
 * changed, when one the summary had not read came into view). Never
 * called while drawing. */
static void sum_reload(ui_ctx *c, ui_summary *in)
{
	if (!in || !c->intake || !c->intake->ans || !c->call)
		return;
	size_t top = in->pager.top, name_at = in->name_at;
	sum_clear(in);
	in->pager.top = top;
	in->name_at = name_at;
	script_referral *rec;
	size_t n = script_referrals(c->intake->ans, &rec);
	for (size_t i = 0; i < n; i++)
		remember(c, in, rec[i].org);
	for (size_t i = 0; i < c->call->nreferrals; i++)
		remember(c, in, c->call->referrals[i].org_id);
	free(rec);
}

/* The label read at the last change; the id itself (and a reload at the
 * next tick, outside drawing) for one that was not read yet. */
static const char *org_label(const ui_ctx *c, const char *id)
{
	ui_summary *in = sum_of(c);
	if (!in)
		return id;
	for (size_t i = 0; i < in->norgs; i++)
		if (strcmp(in->org_ids[i], id) == 0)
			return in->org_labels[i];
	in->orgs_stale = 1;
	return id;
}

/* 1 if referral r of the call is one of the n recommendations in rec. */
static int among(const call_referral *r, const script_referral *rec, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(rec[i].org, r->org_id) == 0 && strcmp(rec[i].service, r->service) == 0)
			return 1;
	return 0;
}

/* The referrals made that the script does not recommend now (chosen in
 * the directory, or recommended before an answer changed), in the order
 * made; their indexes into the record's referrals go to out[]. */
static size_t other_referrals(const call_record *r, const script_referral *rec, size_t nrec, size_t *out)
{
	size_t n = 0;
	for (size_t i = 0; i < r->nreferrals; i++)
		if (!among(&r->referrals[i], rec, nrec))
			out[n++] = i;
	return n;
}

/* "1 [x] 102 · Police — legal": the name is cut so that the service it
 * is for stays in view. */
static char *referral_line(const ui_ctx *c, size_t num, int made, const char *org_id, const char *svc)
{
	char digit[8] = " ";
	if (num < 9)
		snprintf(digit, sizeof digit, "%zu", num + 1);
	const char *org = org_label(c, org_id);
	char *tail = svc && *svc ? xasprintf(" \u2014 %s", ui_dir_service_short(svc)) : xstrdup("");
	char *head = xasprintf("%s %s ", digit, made ? "[x]" : "[ ]");
	int room = COLS - 6 - text_width(head) - text_width(tail);
	char *cut = text_cut(org, room, 0);
	char *line = xasprintf("%s%s%s", head, cut, tail);
	free(cut);
	free(head);
	free(tail);
	return line;
}

/* What the script names but the directory cannot back: the operator sees
 * what is missing (the children's service with no telephone yet) and
 * why, never a contact nobody can use. */
static void add_held_back(const ui_ctx *c, sbuild *b)
{
	const rec_list *l = &c->intake->rec;
	int head = 0;
	for (size_t i = 0; i < l->n; i++) {
		const rec_item *it = &l->v[i];
		if (rec_ok(it))
			continue;
		if (!head++)
			add(b, COLOR_HEADING, 0, xstrdup(_("Also needed, but not recommended (the directory cannot back it)")));
		char *tail = xasprintf(" — %s: %s", ui_dir_service_short(it->service), rec_state_label(it->state));
		char *cut = text_cut(rec_name(it), COLS - 8 - text_width(tail), 0);
		add(b, COLOR_WARNING, 4, xasprintf("%s%s", cut, tail));
		free(cut);
		free(tail);
	}
}

static void add_referrals(const ui_ctx *c, sbuild *b)
{
	script_referral *rec;
	size_t n = ui_intake_recommended(c, &rec);
	add(b, COLOR_NORMAL, 0, xstrdup(""));
	add(b, COLOR_HEADING, 0, xstrdup(_("Recommended referrals (a digit marks one as made)")));
	if (n == 0)
		add(b, COLOR_HINT, 2, xstrdup(_("none for these answers")));
	for (size_t i = 0; i < n; i++) {
		int made = referral_made(c->call, rec[i].org, rec[i].service);
		add(b, made ? COLOR_CHOSEN : COLOR_NORMAL, 2, referral_line(c, i, made, rec[i].org, rec[i].service));
	}
	size_t *other = xcalloc(c->call->nreferrals + 1, sizeof *other);
	size_t k = other_referrals(c->call, rec, n, other);
	if (k)
		add(b, COLOR_HEADING, 0, xstrdup(_("Other referrals made (a digit takes one back)")));
	for (size_t i = 0; i < k; i++) {
		const call_referral *r = &c->call->referrals[other[i]];
		add(b, COLOR_CHOSEN, 2, referral_line(c, n + i, 1, r->org_id, r->service));
	}
	free(other);
	free(rec);
	add_held_back(c, b);
}

/* The colour of the notes at pos, and where it stops (*next, at most
 * what it was): a tag of the redactor, a possible name (the one the keys
 * act on brighter), or plain text. */
static ui_color mark_at(const ui_ctx *c, size_t pos, size_t *next)
{
	const ui_summary *in = sum_of(c);
	for (int set = 0; set < 2 && (set == 0 || in); set++) {
		const redact_hit *v = set ? in->names : c->call->notes_hits;
		size_t n = set ? in->nnames : c->call->nnotes_hits;
		for (size_t h = 0; h < n; h++) {
			if (v[h].start <= pos && pos < v[h].end) {
				*next = v[h].end < *next ? v[h].end : *next;
				if (!set)
					return COLOR_REDACTED;
				return h == in->name_at % n ? COLOR_SELECTED : COLOR_WARNING;
			}
			if (v[h].start > pos && v[h].start < *next)
				*next = v[h].start;
		}
	}
	return COLOR_NORMAL;
}

/* One wrapped line of the notes, tags and possible names highlighted. */
static void draw_notes_line(ui_ctx *c, const ui_pager_line *s, int y, int x, int cols)
{
	const call_record *r = c->call;
	const char *notes = r->col[COL_NOTES];
	size_t pos = s->start;
	int right = x + cols;
	while (pos < s->end && x < right) {
		size_t next = s->end;
		ui_color color = mark_at(c, pos, &next);
		char *seg = xstrndup(notes + pos, next - pos);
		x += ui_put(c, y, x, right - x, color, 0, seg);
		free(seg);
		pos = next;
	}
}

/* The first key of the action called name, as the bar writes it. */
static void action_key(const char *name, char *out, size_t size)
{
	snprintf(out, size, "?");
	for (size_t i = 0; i < ui_nactions; i++)
		if (strcmp(ui_actions[i].name, name) == 0) {
			ui_key_name(ui_actions[i].keys[0], out, size);
			return;
		}
}

/* The line that says what the marks on the notes are and which keys act
 * on them. */
static void add_names_hint(sbuild *b, size_t n)
{
	char redact[32], next[32];
	action_key("redact-name", redact, sizeof redact);
	action_key("next-name", next, sizeof next);
	add(b, COLOR_WARNING, 2,
	    xasprintf(ngettext("%zu possible name marked: %s replaces it by [NAME], %s marks the next",
			       "%zu possible names marked: %s replaces one by [NAME], %s marks the next", n),
		      n, redact, next));
}

/* The capitalised words of the notes that may still be names, kept in
 * the intake for drawing and for the keys. */
static void find_names(const ui_ctx *c, ui_summary *in)
{
	free(in->names);
	in->names = NULL;
	in->nnames = 0;
	if (c->call->col[COL_NOTES])
		in->nnames = redact_name_candidates(c->call->col[COL_NOTES], &in->names);
}

static void add_notes(const ui_ctx *c, sbuild *b)
{
	const char *notes = c->call->col[COL_NOTES];
	add(b, COLOR_HEADING, 0, xstrdup(_("Notes, as they will be stored")));
	ui_summary *sm = sum_of(c);
	if (sm)
		find_names(c, sm);
	if (!notes || !*notes) {
		add(b, COLOR_HINT, 2, xstrdup(_("no notes")));
		return;
	}
	if (sm && sm->nnames)
		add_names_hint(b, sm->nnames);
	text_line *l;
	size_t n = text_wrap(notes, strlen(notes), COLS - 6, &l);
	for (size_t i = 0; i < n; i++) {
		ui_pager_line *pl = ui_pager_add(b, COLOR_NORMAL, 2, NULL);
		pl->draw = draw_notes_line;
		pl->start = l[i].start;
		size_t end = l[i].end;
		while (end > l[i].start && notes[end - 1] == ' ')
			end--;
		pl->end = end;
	}
	free(l);
}

/* Notes first (what the redactor did is checked while the caller is
 * still there), then the referrals to offer, then the coded answers. */
static void build(const ui_ctx *c, sbuild *b)
{
	ui_pager_clear(b);
	add_notes(c, b);
	add_referrals(c, b);
	add_answers(c, b);
}

/* ---- drawing ---- */

/* "1 phone number", "2 cards": n findings of kind k, or NULL. */
static char *count_of(redact_kind k, unsigned long n)
{
	switch (k) {
	case REDACT_PHONE: return xasprintf(ngettext("%lu phone number", "%lu phone numbers", n), n);
	case REDACT_EMAIL: return xasprintf(ngettext("%lu e-mail address", "%lu e-mail addresses", n), n);
	case REDACT_PASSPORT: return xasprintf(ngettext("%lu passport number", "%lu passport numbers", n), n);
	case REDACT_ID: return xasprintf(ngettext("%lu ID card number", "%lu ID card numbers", n), n);
	case REDACT_TAXID: return xasprintf(ngettext("%lu tax number", "%lu tax numbers", n), n);
	case REDACT_IBAN: return xasprintf(ngettext("%lu IBAN", "%lu IBANs", n), n);
	case REDACT_CARD: return xasprintf(ngettext("%lu card", "%lu cards", n), n);
	case REDACT_HANDLE: return xasprintf(ngettext("%lu messenger handle or profile", "%lu messenger handles or profiles", n), n);
	case REDACT_URL: return xasprintf(ngettext("%lu web address", "%lu web addresses", n), n);
	case REDACT_DOB: return xasprintf(ngettext("%lu date of birth", "%lu dates of birth", n), n);
	case REDACT_ADDRESS: return xasprintf(ngettext("%lu address", "%lu addresses", n), n);
	case REDACT_PLATE: return xasprintf(ngettext("%lu car plate", "%lu car plates", n), n);
	case REDACT_NAME: return xasprintf(ngettext("%lu name", "%lu names", n), n);
	default: return NULL;
	}
}

/* "3 items were replaced: 2 phone numbers, 1 card". */
static char *redaction_note(const call_record *r)
{
	unsigned long per[REDACT_NKINDS] = {0};
	for (size_t i = 0; i < r->nnotes_hits; i++)
		if ((unsigned)r->notes_hits[i].kind < REDACT_NKINDS)
			per[r->notes_hits[i].kind]++;
	dv_buf b = {0};
	for (int k = 0; k < REDACT_NKINDS; k++) {
		char *what = per[k] ? count_of((redact_kind)k, per[k]) : NULL;
		if (!what)
			continue;
		dv_buf_printf(&b, "%s%s", b.len ? ", " : "", what);
		free(what);
	}
	unsigned long total = r->nnotes_hits;
	char *list = dv_buf_take(&b);
	char *msg = xasprintf(ngettext("%lu item was replaced: %s", "%lu items were replaced: %s", total), total, list);
	free(list);
	return msg;
}

static void draw_header(ui_ctx *c)
{
	char line[160], timer[16];
	ui_format_timer((long)(dv_now() - c->call->started_at), timer);
	snprintf(line, sizeof line, _("Case code %s \u00b7 %s"), c->call->case_code, timer);
	ui_put(c, 1, 2, COLS - 40, COLOR_HEADING, 0, line);
	ui_draw_risk_right(c, 1, script_risk_name(script_risk_now(c->intake->ans, NULL)));
}

static void summary_draw(ui_ctx *c)
{
	ui_clear_body(c);
	ui_summary *sm = sum_of(c);
	if (!c->call || !c->intake || !c->intake->ans || !sm)
		return;
	draw_header(c);
	build(c, &sm->pager);
	int rows = LINES - 4 - LIST_TOP - (c->call->nnotes_hits ? 1 : 0);
	ui_pager_draw(&sm->pager, c, LIST_TOP, 2, rows, COLS - 3);
	if (c->call->nnotes_hits) {
		char *note = redaction_note(c->call);
		ui_put(c, LINES - 4, 2, COLS - 4, COLOR_REDACTED, 0, note);
		free(note);
	}
	char *hint = ui_hint(c, SCR_SUMMARY, _("{save}: save \u00b7 1-9: referral made \u00b7 {edit}: back to the call \u00b7 \u2191 \u2193: scroll"));
	ui_put(c, LINES - 3, 2, COLS - 4, COLOR_HINT, 0, hint);
	free(hint);
}

/* ---- keys ---- */

/* Digit i: a recommended referral made or taken back; past them, one of
 * the other referrals taken back (made by mistake in the directory). */
static void toggle_referral(ui_ctx *c, size_t i)
{
	dv_error e;
	dv_error_clear(&e);
	script_referral *rec;
	size_t n = ui_intake_recommended(c, &rec);
	size_t *other = xcalloc(c->call->nreferrals + 1, sizeof *other);
	size_t k = other_referrals(c->call, rec, n, other);
	int code = DV_OK;
	if (i < n) {
		code = referral_made(c->call, rec[i].org, rec[i].service)
			? calls_remove_referral(c->s, c->call, rec[i].org, rec[i].service, &e)
			: calls_add_referral(c->s, c->call, rec[i].org, rec[i].service, 1, &e);
	} else if (i - n < k) {
		const call_referral *r = &c->call->referrals[other[i - n]];
		char *org = xstrdup(r->org_id), *svc = xstrdup(r->service);
		code = calls_remove_referral(c->s, c->call, org, svc, &e);
		free(org);
		free(svc);
	}
	if (code != DV_OK)
		ui_say(c, COLOR_ERROR, "%s", e.msg);
	free(other);
	free(rec);
	sum_reload(c, sum_of(c));
}

static int summary_key(ui_ctx *c, ui_key k)
{
	ui_summary *sm = sum_of(c);
	if (!c->intake || !c->intake->ans || !sm)
		return 0;
	if (k >= '1' && k <= '9') {
		toggle_referral(c, (size_t)(k - '1'));
		return 1;
	}
	return ui_pager_key(&sm->pager, k);
}

static const char *const summary_help[] = {
	N_("1 \u2026 9"), N_("mark the recommended referral with that number as made, or not"),
	N_("marked words"), N_("capitalised words that may be names; the brighter one is replaced by [NAME] with its key"),
	N_("\u2191 \u2193 PgUp PgDn Home End"), N_("scroll"),
	NULL,
};

/* The summary replaces the call's screens (ui_goto), so it makes its
 * state when it opens; the names it shows are read at once, and again
 * before a drawing that found one not read (a referral made in the
 * directory over it). */
static void *summary_open(ui_ctx *c)
{
	(void)c;
	return xcalloc(1, sizeof(ui_summary));
}

static void summary_enter(ui_ctx *c, void *state)
{
	sum_reload(c, state);
}

static void summary_update(ui_ctx *c, void *state)
{
	ui_summary *sm = state;
	if (sm && sm->orgs_stale)
		sum_reload(c, sm);
}

static void summary_leave(ui_ctx *c, void *state)
{
	(void)c;
	sum_clear(state);
	free(state);
}

const ui_screen ui_summary_screen = {
	.id = SCR_SUMMARY,
	.title = N_("Summary"),
	.draw = summary_draw,
	.key = summary_key,
	.field_help = summary_help,
	.open = summary_open,
	.update = summary_update,
	.enter = summary_enter,
	.leave = summary_leave,
};

void ui_summary_open(ui_ctx *c)
{
	ui_intake_leave_notes(c);
	ui_intake_save(c);
	ui_goto(c, SCR_SUMMARY);
}

void ui_act_to_summary(ui_ctx *c)
{
	if (c->call && c->intake && c->intake->ans)
		ui_summary_open(c);
}

/* The possible names in the call's notes now (0 without a call). */
static size_t possible_names(const ui_ctx *c, redact_hit **h)
{
	*h = NULL;
	if (!c->call || !c->intake || !c->call->col[COL_NOTES])
		return 0;
	return redact_name_candidates(c->call->col[COL_NOTES], h);
}

int ui_summary_has_name(const ui_ctx *c)
{
	redact_hit *h;
	size_t n = possible_names(c, &h);
	free(h);
	return n > 0;
}

void ui_act_redact_name(ui_ctx *c)
{
	redact_hit *h;
	size_t n = possible_names(c, &h);
	if (n == 0)
		return;
	ui_summary *sm = sum_of(c);
	size_t k = sm ? sm->name_at % n : 0;
	char *red = redact_replace(c->call->col[COL_NOTES], h[k].start, h[k].end, REDACT_NAME);
	free(h);
	ui_edit_set(&c->intake->notes, red);
	call_set_col(c->call, COL_NOTES, red);
	free(red);
	if (ui_intake_save(c) == 0)
		ui_say(c, COLOR_OK, "%s", _("Replaced by [NAME] and saved."));
}

void ui_act_next_name(ui_ctx *c)
{
	redact_hit *h;
	size_t n = possible_names(c, &h);
	free(h);
	ui_summary *sm = sum_of(c);
	if (n && sm)
		sm->name_at = (sm->name_at % n + 1) % n;
}

void ui_act_edit_again(ui_ctx *c)
{
	ui_goto(c, SCR_INTAKE);
	if (c->intake && c->intake->cur < 0)
		c->intake->focus = FOCUS_NOTES;
}

void ui_act_finish(ui_ctx *c)
{
	char code[10], timer[16];
	if (!c->call)
		return;
	memcpy(code, c->call->case_code, sizeof code);
	if (ui_intake_finish(c) != 0)
		return;
	ui_format_timer((long)(c->call->duration_s), timer);
	ui_intake_end_call(c);
	ui_say(c, COLOR_OK, _("Saved: %s (%s). A caller who calls back needs to say only this code."),
	       code, timer);
}

/* actions.c: the one action table. It drives the key dispatch (run.c),
 * the help screen and the bottom bar, so the three never drift apart.
 *
 * Every F-key has a letter or Ctrl alternative, since some SSH clients
 * send F-keys differently (PuTTY's default F1-F4 are also understood, see
 * input.c). Letter keys apply only when no text field has the focus; the
 * Ukrainian-layout twin of each letter (the key in the same place) is
 * accepted too, so an operator who typed Cyrillic notes need not switch
 * layout to act. Ctrl alternatives work everywhere, in fields too.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "dovira/i18n.h"
#include "ui_int.h"

#define END UK_NONE
#define CALL_SCREENS (SCR_BIT(SCR_INTAKE) | SCR_BIT(SCR_SUMMARY))

const ui_action ui_actions[] = {
	/* Everywhere. */
	{"help", {UK_F(1), '?', UK_CTRL('g'), END}, N_("Help"), ROLES_ALL,
	 SCR_ALL & ~SCR_BIT(SCR_HELP) & ~SCR_BIT(SCR_CONFIRM), 1, ui_act_help, NULL},
	{"close-help", {UK_F(1), UK_ESC, UK_ENTER, END}, N_("Back"), ROLES_ALL,
	 SCR_BIT(SCR_HELP), 1, ui_act_close, NULL},

	/* The start screen. */
	{"new-call", {UK_F(2), 'n', 0x0442 /* т */, END}, N_("New call"), ROLES_ALL,
	 SCR_BIT(SCR_START), 1, ui_act_new_call, NULL},
	{"non-data", {UK_F(3), 'x', 0x0447 /* ч */, END}, N_("Call without data"), ROLES_ALL,
	 SCR_BIT(SCR_START), 1, ui_act_nondata, NULL},
	{"directory", {UK_F(4), 'd', 0x0432 /* в */, UK_CTRL('o'), UK_CTRL('f'), END}, N_("Directory"), ROLES_ALL,
	 SCR_BIT(SCR_START), 1, ui_act_directory, NULL},
	{"resume", {UK_F(5), 'r', 0x043a /* к */, END}, N_("Resume the call"), ROLES_ALL,
	 SCR_BIT(SCR_START) | SCR_BIT(SCR_RESUME), 1, ui_act_resume, ui_have_draft},
	{"resume-enter", {UK_ENTER, END}, N_("Resume the call"), ROLES_ALL,
	 SCR_BIT(SCR_RESUME), 0, ui_act_resume, ui_have_draft},
	{"discard-draft", {UK_F(8), 'd', 0x0432 /* в */, END}, N_("Discard it"), ROLES_ALL,
	 SCR_BIT(SCR_RESUME), 1, ui_act_discard_draft, ui_have_draft},
	{"later", {UK_ESC, END}, N_("Later"), ROLES_ALL,
	 SCR_BIT(SCR_RESUME), 1, ui_act_later, NULL},
	{"cancel", {UK_ESC, END}, N_("Cancel"), ROLES_ALL,
	 SCR_BIT(SCR_NONDATA), 1, ui_act_close, NULL},
	/* The desk, from the start screen: a caller's case code, the log (an
	 * operator's own calls), and for supervisors the high-risk queue, the
	 * drafts left behind, the figures per operator and the audit trail.
	 * Listed in the start screen's menu; the bar keeps Quit in 80 columns. */
	{"case", {UK_F(6), 'c', 0x0441 /* с */, END}, N_("Case code"), ROLES_ALL,
	 SCR_BIT(SCR_START), UI_IN_MENU, ui_act_case, NULL},
	{"log", {UK_F(7), 'l', 0x0434 /* д */, END}, N_("Call log"), ROLES_ALL,
	 SCR_BIT(SCR_START), UI_IN_MENU, ui_act_log, NULL},
	{"queue", {UK_F(8), 'h', 0x0440 /* р */, END}, N_("High-risk queue"), ROLES_SUPERVISION,
	 SCR_BIT(SCR_START), UI_IN_MENU, ui_act_queue, NULL},
	{"orphans", {UK_F(9), 'o', 0x0449 /* щ */, END}, N_("Drafts left behind"), ROLES_SUPERVISION,
	 SCR_BIT(SCR_START), UI_IN_MENU, ui_act_orphans, NULL},
	{"operators", {'p', 0x0437 /* з */, END}, N_("Per operator"), ROLES_SUPERVISION,
	 SCR_BIT(SCR_START), UI_IN_MENU, ui_act_operators, NULL},
	{"audit", {'a', 0x0444 /* ф */, END}, N_("Audit trail"), ROLES_SUPERVISION,
	 SCR_BIT(SCR_START), UI_IN_MENU, ui_act_audit, NULL},
	{"statistics", {'s', 0x0456 /* і */, END}, N_("Statistics"), ROLES_SUPERVISION,
	 SCR_BIT(SCR_START), UI_IN_MENU, ui_act_stats, NULL},
	/* A call. */
	{"notes", {UK_F(6), UK_TAB, UK_CTRL('n'), END}, N_("Notes"), ROLES_ALL,
	 SCR_BIT(SCR_INTAKE), 1, ui_act_notes, NULL},
	{"leave-notes", {UK_ESC, END}, N_("Back to the question"), ROLES_ALL,
	 SCR_BIT(SCR_INTAKE), 0, ui_act_leave_notes, ui_in_notes},
	{"back", {UK_F(7), UK_CTRL('b'), 'b', 0x0438 /* и */, END}, N_("Back"), ROLES_ALL,
	 SCR_BIT(SCR_INTAKE), 1, ui_act_back, NULL},
	{"summary", {UK_F(9), UK_CTRL('s'), END}, N_("Summary"), ROLES_ALL,
	 SCR_BIT(SCR_INTAKE), 1, ui_act_to_summary, NULL},
	{"save", {UK_F(9), UK_CTRL('s'), 's', 0x0456 /* і */, END}, N_("Save the call"), ROLES_ALL,
	 SCR_BIT(SCR_SUMMARY), 1, ui_act_finish, NULL},
	{"edit", {UK_F(7), UK_ESC, UK_CTRL('b'), 'b', 0x0438 /* и */, END}, N_("Back to the call"), ROLES_ALL,
	 SCR_BIT(SCR_SUMMARY), 1, ui_act_edit_again, NULL},
	/* Words of the notes that may be names: one key each. */
	{"redact-name", {'n', 0x0442 /* т */, UK_CTRL('n'), END}, N_("Redact name"), ROLES_ALL,
	 SCR_BIT(SCR_SUMMARY), 1, ui_act_redact_name, ui_summary_has_name},
	{"next-name", {UK_TAB, 'm', 0x044c /* ь */, END}, N_("Next name"), ROLES_ALL,
	 SCR_BIT(SCR_SUMMARY), 0, ui_act_next_name, ui_summary_has_name},
	/* The call goes on while the directory is open over it. Ctrl keys
	 * only: a letter would be typed into the notes or an answer. */
	{"call-directory", {UK_F(4), UK_CTRL('o'), UK_CTRL('f'), END}, N_("Directory"), ROLES_ALL,
	 CALL_SCREENS, 1, ui_act_directory, NULL},
	{"discard-call", {UK_F(8), UK_CTRL('d'), END}, N_("Discard"), ROLES_ALL,
	 CALL_SCREENS, 0 /* in help; the bar keeps Quit in 80 columns */, ui_act_discard_call, NULL},

	/* The directory: its list has a search field, so F-keys and Ctrl
	 * keys only; an entry's detail view takes letters too. */
	{"dir-details", {UK_ENTER, UK_RIGHT, END}, N_("Details"), ROLES_ALL,
	 SCR_BIT(SCR_DIRECTORY), 0, ui_act_dir_details, ui_dir_has_row},
	{"refer", {UK_F(2), UK_CTRL('r'), END}, N_("Refer"), ROLES_ALL,
	 SCR_BIT(SCR_DIRECTORY), 1, ui_act_refer, ui_dir_may_refer},
	{"org-refer", {UK_F(2), UK_CTRL('r'), 'r', 0x043a /* к */, END}, N_("Refer"), ROLES_ALL,
	 SCR_BIT(SCR_ORG), 1, ui_act_refer, ui_dir_may_refer},
	{"unrefer", {UK_F(3), UK_CTRL('u'), END}, N_("Undo referral"), ROLES_ALL,
	 SCR_BIT(SCR_DIRECTORY), 1, ui_act_unrefer, ui_dir_may_unrefer},
	{"org-unrefer", {UK_F(3), UK_CTRL('u'), 'u', 0x0433 /* г */, END}, N_("Undo referral"), ROLES_ALL,
	 SCR_BIT(SCR_ORG), 1, ui_act_unrefer, ui_dir_may_unrefer},
	{"dir-clear", {UK_ESC, END}, N_("Clear the search"), ROLES_ALL,
	 SCR_BIT(SCR_DIRECTORY), 0, ui_act_dir_clear, ui_dir_has_search},
	{"dir-close", {UK_ESC, UK_F(4), UK_CTRL('o'), UK_CTRL('f'), END}, N_("Back"), ROLES_ALL,
	 SCR_BIT(SCR_DIRECTORY), 1, ui_act_close, NULL},
	{"org-back", {UK_ESC, UK_LEFT, UK_BACKSPACE, 'b', 0x0438 /* и */, END}, N_("Back"), ROLES_ALL,
	 SCR_BIT(SCR_ORG), 1, ui_act_close, NULL},
	{"dir-area", {UK_F(5), UK_CTRL('t'), END}, N_("Area"), ROLES_ALL,
	 SCR_BIT(SCR_DIRECTORY), 1, ui_act_dir_area, NULL},
	{"dir-service", {UK_F(6), UK_CTRL('p'), END}, N_("Service"), ROLES_ALL,
	 SCR_BIT(SCR_DIRECTORY), 1, ui_act_dir_service, NULL},
	{"dir-serves", {UK_F(7), UK_CTRL('k'), END}, N_("For whom"), ROLES_ALL,
	 SCR_BIT(SCR_DIRECTORY), 1, ui_act_dir_serves, NULL},
	{"org-new", {UK_F(9), UK_CTRL('n'), UK_INSERT, END}, N_("New"), ROLES_SUPERVISION,
	 SCR_BIT(SCR_DIRECTORY), 1, ui_act_org_new, NULL},
	{"org-edit", {UK_F(5), 'e', 0x0443 /* у */, UK_CTRL('e'), END}, N_("Edit"), ROLES_SUPERVISION,
	 SCR_BIT(SCR_ORG), 1, ui_act_org_edit, NULL},
	{"org-verify", {UK_F(6), 'v', 0x043c /* м */, END}, N_("Mark verified"), ROLES_SUPERVISION,
	 SCR_BIT(SCR_ORG), 1, ui_act_org_verify, NULL},
	{"org-retire", {UK_F(8), UK_CTRL('d'), END}, N_("Retire"), ROLES_SUPERVISION,
	 SCR_BIT(SCR_ORG), 1, ui_act_org_retire, ui_org_not_retired},
	{"form-save", {UK_F(9), UK_CTRL('s'), END}, N_("Save"), ROLES_SUPERVISION,
	 SCR_BIT(SCR_ORG_EDIT), 1, ui_act_form_save, NULL},
	{"form-cancel", {UK_ESC, END}, N_("Leave"), ROLES_SUPERVISION,
	 SCR_BIT(SCR_ORG_EDIT), 1, ui_act_form_cancel, NULL},
	{"prompt-done", {UK_ENTER, UK_F(9), UK_CTRL('s'), END}, N_("Done"), ROLES_ALL,
	 SCR_BIT(SCR_PROMPT), 1, ui_act_prompt_done, NULL},
	{"prompt-cancel", {UK_ESC, END}, N_("Cancel"), ROLES_ALL,
	 SCR_BIT(SCR_PROMPT), 1, ui_act_prompt_cancel, NULL},
	/* The statistics: letters work, nothing is typed on this screen. */
	{"stats-table", {UK_F(2), 't', 0x0435 /* е */, END}, N_("Table"), ROLES_SUPERVISION,
	 SCR_BIT(SCR_STATS), 1, ui_act_stats_table, NULL},
	{"stats-grain", {UK_F(3), 'p', 0x0437 /* з */, END}, N_("Period"), ROLES_SUPERVISION,
	 SCR_BIT(SCR_STATS), 1, ui_act_stats_grain, NULL},
	{"stats-prev", {'[', 0x0445 /* х */, ',', END}, N_("Previous period"), ROLES_SUPERVISION,
	 SCR_BIT(SCR_STATS), 0, ui_act_stats_prev, NULL},
	{"stats-next", {']', 0x0457 /* ї */, '.', END}, N_("Next period"), ROLES_SUPERVISION,
	 SCR_BIT(SCR_STATS), 0, ui_act_stats_next, NULL},
	{"stats-chart", {UK_F(5), 'g', 0x043f /* п */, END}, N_("Chart"), ROLES_SUPERVISION,
	 SCR_BIT(SCR_STATS), 1, ui_act_stats_chart, NULL},
	{"stats-level", {UK_F(6), 'l', 0x0434 /* д */, END}, N_("Level"), ROLES_SUPERVISION,
	 SCR_BIT(SCR_STATS), 1, ui_act_stats_level, NULL},
	{"stats-write", {UK_F(9), 'w', 0x0446 /* ц */, UK_CTRL('s'), END}, N_("Write CSV"), ROLES_SUPERVISION,
	 SCR_BIT(SCR_STATS), 1, ui_act_stats_write, NULL},
	{"stats-close", {UK_ESC, END}, N_("Back"), ROLES_SUPERVISION,
	 SCR_BIT(SCR_STATS), 1, ui_act_close, NULL},
	{"pick-cancel", {UK_ESC, END}, N_("Cancel"), ROLES_ALL,
	 SCR_BIT(SCR_PICK), 1, ui_act_pick_cancel, NULL},

	/* The call log: letters and digits type a case code, so F-keys and
	 * Ctrl keys only. */
	{"log-open", {UK_ENTER, UK_RIGHT, END}, N_("Open"), ROLES_ALL,
	 SCR_BIT(SCR_LOG), 1, ui_act_log_open_call, ui_log_has_row},
	{"log-filter", {UK_F(5), UK_CTRL('t'), END}, N_("Filters"), ROLES_ALL,
	 SCR_BIT(SCR_LOG), 1, ui_act_log_filter, ui_log_is_log},
	{"log-clear", {UK_F(6), UK_CTRL('u'), END}, N_("All calls"), ROLES_ALL,
	 SCR_BIT(SCR_LOG), 1, ui_act_log_clear, ui_log_is_log},
	{"log-close", {UK_ESC, UK_F(7), END}, N_("Back"), ROLES_ALL,
	 SCR_BIT(SCR_LOG), 1, ui_act_close, NULL},
	{"filter-done", {UK_F(9), UK_ESC, UK_CTRL('s'), END}, N_("Show the calls"), ROLES_ALL,
	 SCR_BIT(SCR_LOG_FILTER), 1, ui_act_filter_done, NULL},

	/* One call in full. The bar has no room for all: Back first. */
	{"call-back", {UK_ESC, UK_LEFT, 'b', 0x0438 /* и */, END}, N_("Back"), ROLES_ALL,
	 SCR_BIT(SCR_CALL), 1, ui_act_call_back, NULL},
	{"call-case", {UK_F(4), 'c', 0x0441 /* с */, END}, N_("Its case"), ROLES_ALL,
	 SCR_BIT(SCR_CALL), 1, ui_act_call_case, ui_call_has_case},
	{"call-correct", {UK_F(5), 'e', 0x0443 /* у */, END}, N_("Correct"), ROLES_SUPERVISION,
	 SCR_BIT(SCR_CALL), 1, ui_act_call_correct, ui_call_is_final},
	{"call-review", {UK_F(6), 'v', 0x043c /* м */, END}, N_("Reviewed"), ROLES_SUPERVISION,
	 SCR_BIT(SCR_CALL), 1, ui_act_call_review, ui_call_may_review},
	{"call-ack", {UK_F(7), 'a', 0x0444 /* ф */, END}, N_("Acknowledge"), ROLES_SUPERVISION,
	 SCR_BIT(SCR_CALL), 1, ui_act_call_ack, ui_call_waiting},
	{"call-link", {UK_F(3), 'k', 0x043b /* л */, END}, N_("Link to a case"), ROLES_SUPERVISION,
	 SCR_BIT(SCR_CALL), 0 /* in help: rarely needed */, ui_act_call_link, NULL},
	{"draft-finish", {UK_F(9), UK_CTRL('s'), END}, N_("Finish the draft"), ROLES_SUPERVISION,
	 SCR_BIT(SCR_CALL), 1, ui_act_call_finish, ui_call_orphan},
	{"draft-discard", {UK_F(8), UK_CTRL('d'), END}, N_("Discard the draft"), ROLES_SUPERVISION,
	 SCR_BIT(SCR_CALL), 1, ui_act_call_discard, ui_call_orphan},

	/* A case (a caller ringing back). */
	{"case-back", {UK_ESC, UK_LEFT, 'b', 0x0438 /* и */, END}, N_("Back"), ROLES_ALL,
	 SCR_BIT(SCR_CASE), 1, ui_act_close, NULL},
	{"case-call", {UK_F(2), 'n', 0x0442 /* т */, END}, N_("New call in this case"), ROLES_ALL,
	 SCR_BIT(SCR_CASE), 1, ui_act_case_call, NULL},
	{"case-status", {UK_F(5), 's', 0x0456 /* і */, END}, N_("Status"), ROLES_SUPERVISION,
	 SCR_BIT(SCR_CASE), 1, ui_act_case_status, NULL},
	{"case-owner", {UK_F(6), 'o', 0x0449 /* щ */, END}, N_("Owner"), ROLES_SUPERVISION,
	 SCR_BIT(SCR_CASE), 1, ui_act_case_owner, NULL},
	{"case-due", {UK_F(7), 'd', 0x0432 /* в */, END}, N_("Call back by"), ROLES_SUPERVISION,
	 SCR_BIT(SCR_CASE), 1, ui_act_case_due, NULL},

	/* The corrections form: its fields are typed into, so F-keys and Ctrl. */
	{"correct-save", {UK_F(9), UK_CTRL('s'), END}, N_("Save with a reason"), ROLES_SUPERVISION,
	 SCR_BIT(SCR_CORRECT), 1, ui_act_correct_save, NULL},
	{"correct-leave", {UK_ESC, END}, N_("Leave"), ROLES_SUPERVISION,
	 SCR_BIT(SCR_CORRECT), 1, ui_act_correct_leave, NULL},

	/* Per operator; the audit trail. */
	{"operators-period", {UK_F(5), 'p', 0x0437 /* з */, UK_CTRL('t'), END}, N_("Period"), ROLES_SUPERVISION,
	 SCR_BIT(SCR_OPERATORS), 1, ui_act_operators_period, NULL},
	{"operators-close", {UK_ESC, UK_LEFT, 'b', 0x0438 /* и */, END}, N_("Back"), ROLES_SUPERVISION,
	 SCR_BIT(SCR_OPERATORS), 1, ui_act_close, NULL},
	{"audit-from", {UK_F(5), 'f', 0x0430 /* а */, END}, N_("From"), ROLES_SUPERVISION,
	 SCR_BIT(SCR_AUDIT), 1, ui_act_audit_from, NULL},
	{"audit-to", {UK_F(6), 't', 0x0435 /* е */, END}, N_("To"), ROLES_SUPERVISION,
	 SCR_BIT(SCR_AUDIT), 1, ui_act_audit_to, NULL},
	{"audit-actor", {UK_F(7), 'w', 0x0446 /* ц */, END}, N_("Who"), ROLES_SUPERVISION,
	 SCR_BIT(SCR_AUDIT), 1, ui_act_audit_actor, NULL},
	{"audit-action", {UK_F(8), 'a', 0x0444 /* ф */, END}, N_("Action"), ROLES_SUPERVISION,
	 SCR_BIT(SCR_AUDIT), 1, ui_act_audit_action, NULL},
	{"audit-close", {UK_ESC, UK_LEFT, 'b', 0x0438 /* и */, END}, N_("Back"), ROLES_SUPERVISION,
	 SCR_BIT(SCR_AUDIT), 1, ui_act_close, NULL},

	/* A yes/no question. Every one asks before deleting something, so yes
	 * takes only keys that mean yes on either keyboard layout: y, or F8 and
	 * Ctrl-D again (the keys that asked). Not т: it sits where n does, so
	 * an operator still on the Ukrainian layout who presses n for "no"
	 * would type т and delete the call. т does nothing here. */
	{"yes", {'y', 'Y', UK_F(8), UK_CTRL('d'), END}, N_("Yes"), ROLES_ALL,
	 SCR_BIT(SCR_CONFIRM), 1, ui_act_yes, NULL},
	{"no", {'n', 'N', 0x043d /* н */, UK_ESC, END}, N_("No"), ROLES_ALL,
	 SCR_BIT(SCR_CONFIRM), 1, ui_act_close, NULL},

	/* Everywhere, last on the bar. */
	{"redraw", {UK_CTRL('l'), END}, N_("Redraw the screen"), ROLES_ALL,
	 SCR_ALL, 0, ui_act_redraw, NULL},
	{"quit", {UK_F(10), 'q', 0x0439 /* й */, UK_CTRL('x'), END},
	 N_("Quit"), ROLES_ALL, SCR_ALL & ~SCR_BIT(SCR_CONFIRM), 1, ui_act_quit, NULL},
	/* Ctrl-C leaves at once, even during a call (kept as a draft). */
	{"quit-now", {UK_CTRL('c'), END}, N_("Quit at once (a call is kept as a draft)"), ROLES_ALL,
	 SCR_ALL, 0, ui_act_quit_now, NULL},
};

const size_t ui_nactions = sizeof ui_actions / sizeof *ui_actions;

const ui_action *ui_action_named(const char *name)
{
	for (size_t i = 0; i < ui_nactions; i++)
		if (strcmp(ui_actions[i].name, name) == 0)
			return &ui_actions[i];
	return NULL;
}

/* How good a second key is for a hint: a letter, then Esc, Tab and the
 * like, then Ctrl keys; never a capital or Cyrillic twin of a letter. */
static int alt_rank(ui_key k)
{
	if (k >= 'a' && k <= 'z')
		return 3;
	if ((k >= 'A' && k <= 'Z') || (k >= 0x400 && k < 0x500))
		return 0;
	if (k > 0 && k < 0x20 && k != UK_TAB && k != UK_ESC && k != UK_ENTER)
		return 1;
	return 2;
}

void ui_action_keys(const ui_ctx *c, ui_screen_id scr, const char *name, char *out, size_t size)
{
	out[0] = '\0';
	for (size_t i = 0; i < ui_nactions; i++) {
		const ui_action *a = &ui_actions[i];
		if (strcmp(a->name, name) != 0 || !ui_action_applies_on(c, a, scr))
			continue;
		char first[32], second[32];
		ui_key_name(a->keys[0], first, sizeof first);
		ui_key alt = UK_NONE;
		for (size_t j = 1; a->keys[j] != UK_NONE; j++)
			if (alt_rank(a->keys[j]) > (alt == UK_NONE ? 0 : alt_rank(alt)))
				alt = a->keys[j];
		if (alt == UK_NONE) {
			snprintf(out, size, "%s", first);
		} else {
			ui_key_name(alt, second, sizeof second);
			/* TRANSLATORS: two keys that do the same: "F9 or s" */
			snprintf(out, size, _("%s or %s"), first, second);
		}
		return;
	}
}

char *ui_hint(const ui_ctx *c, ui_screen_id scr, const char *tmpl)
{
	dv_buf b = {0};
	dv_buf_adds(&b, "");
	for (const char *p = tmpl; *p;) {
		const char *close = *p == '{' ? strchr(p, '}') : NULL;
		if (!close) {
			dv_buf_addc(&b, *p++);
			continue;
		}
		char name[40], keys[80];
		snprintf(name, sizeof name, "%.*s", (int)(close - p - 1), p + 1);
		ui_action_keys(c, scr, name, keys, sizeof keys);
		dv_buf_adds(&b, keys);
		p = close + 1;
	}
	return dv_buf_take(&b);
}

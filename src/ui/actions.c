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
	{"discard-draft", {UK_F(8), 'd', 0x0432 /* в */, END}, N_("Discard it"), ROLES_ALL,
	 SCR_BIT(SCR_RESUME), 1, ui_act_discard_draft, ui_have_draft},
	{"later", {UK_ESC, END}, N_("Later"), ROLES_ALL,
	 SCR_BIT(SCR_RESUME), 1, ui_act_later, NULL},
	{"cancel", {UK_ESC, END}, N_("Cancel"), ROLES_ALL,
	 SCR_BIT(SCR_NONDATA), 1, ui_act_close, NULL},

	{"statistics", {UK_F(6), 's', 0x0456 /* і */, END}, N_("Statistics"), ROLES_SUPERVISION,
	 SCR_BIT(SCR_START), 2 /* the menu: the bar keeps Quit */, ui_act_stats, NULL},
	/* A call. */
	{"notes", {UK_F(6), UK_TAB, UK_CTRL('n'), END}, N_("Notes"), ROLES_ALL,
	 SCR_BIT(SCR_INTAKE), 1, ui_act_notes, NULL},
	{"back", {UK_F(7), UK_CTRL('b'), 'b', 0x0438 /* и */, END}, N_("Back"), ROLES_ALL,
	 SCR_BIT(SCR_INTAKE), 1, ui_act_back, NULL},
	{"summary", {UK_F(9), UK_CTRL('s'), END}, N_("Summary"), ROLES_ALL,
	 SCR_BIT(SCR_INTAKE), 1, ui_act_to_summary, NULL},
	{"save", {UK_F(9), UK_CTRL('s'), 's', 0x0456 /* і */, END}, N_("Save the call"), ROLES_ALL,
	 SCR_BIT(SCR_SUMMARY), 1, ui_act_finish, NULL},
	{"edit", {UK_F(7), UK_ESC, UK_CTRL('b'), 'b', 0x0438 /* и */, END}, N_("Back to the call"), ROLES_ALL,
	 SCR_BIT(SCR_SUMMARY), 1, ui_act_edit_again, NULL},
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
	 SCR_BIT(SCR_DIRECTORY), 1, ui_act_dir_close, NULL},
	{"org-back", {UK_ESC, UK_LEFT, UK_BACKSPACE, 'b', 0x0438 /* и */, END}, N_("Back"), ROLES_ALL,
	 SCR_BIT(SCR_ORG), 1, ui_act_org_back, NULL},
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
	/* The statistics: letters work, nothing is typed on this screen. */
	{"stats-table", {UK_F(2), 't', 0x0435 /* е */, END}, N_("Table"), ROLES_SUPERVISION,
	 SCR_BIT(SCR_STATS), 1, ui_act_stats_table, NULL},
	{"stats-grain", {UK_F(3), 'p', 0x0437 /* з */, END}, N_("Month/quarter/year"), ROLES_SUPERVISION,
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
	 SCR_BIT(SCR_STATS), 1, ui_act_stats_close, NULL},
	{"pick-cancel", {UK_ESC, END}, N_("Cancel"), ROLES_ALL,
	 SCR_BIT(SCR_PICK), 1, ui_act_pick_cancel, NULL},

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

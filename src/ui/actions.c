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
	/* The directory screen goes here (F4, 'd') once it exists. */
	{"resume", {UK_F(5), 'r', 0x043a /* к */, END}, N_("Resume the call"), ROLES_ALL,
	 SCR_BIT(SCR_START) | SCR_BIT(SCR_RESUME), 1, ui_act_resume, ui_have_draft},
	{"discard-draft", {UK_F(8), 'd', 0x0432 /* в */, END}, N_("Discard it"), ROLES_ALL,
	 SCR_BIT(SCR_RESUME), 1, ui_act_discard_draft, ui_have_draft},
	{"later", {UK_ESC, END}, N_("Later"), ROLES_ALL,
	 SCR_BIT(SCR_RESUME), 1, ui_act_later, NULL},
	{"cancel", {UK_ESC, END}, N_("Cancel"), ROLES_ALL,
	 SCR_BIT(SCR_NONDATA), 1, ui_act_close, NULL},

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
	{"discard-call", {UK_F(8), UK_CTRL('d'), END}, N_("Discard"), ROLES_ALL,
	 CALL_SCREENS, 1, ui_act_discard_call, NULL},

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
	{"quit", {UK_F(10), 'q', 0x0439 /* й */, UK_CTRL('x'), UK_CTRL('c'), END},
	 N_("Quit"), ROLES_ALL, SCR_ALL & ~SCR_BIT(SCR_CONFIRM), 1, ui_act_quit, NULL},
};

const size_t ui_nactions = sizeof ui_actions / sizeof *ui_actions;

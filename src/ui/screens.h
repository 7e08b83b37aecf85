/* screens.h: the one list of the screens. Adding a screen is a file that
 * defines its `const ui_screen` (draw, keys, enter/leave, resize, state)
 * and one line here; its actions go in the action table (actions.c).
 * The list makes the screen ids (SCR_...), the declarations of the
 * screens and the table the stack looks them up in (run.c).
 *
 * Not a public header: ui_int.h includes it.
 */
#ifndef DOVIRA_UI_SCREENS_H
#define DOVIRA_UI_SCREENS_H

/* X(id, the ui_screen variable): one line per screen, in no special order
 * (the ids are bits of the action table's screen masks: 32 at most). */
#define UI_SCREENS(X) \
	X(SCR_START, ui_start_screen)          /* who you are, the database, begin a call */ \
	X(SCR_NONDATA, ui_nondata_screen)      /* pick the kind of a non-data call (one digit) */ \
	X(SCR_RESUME, ui_resume_screen)        /* an unfinished call from before: resume or discard */ \
	X(SCR_CONFIRM, ui_confirm_screen)      /* a yes/no question over the screen below */ \
	X(SCR_INTAKE, ui_intake_screen)        /* the call: script questions and notes */ \
	X(SCR_SUMMARY, ui_summary_screen)      /* the record before it is saved */ \
	X(SCR_HELP, ui_help_screen)            /* the keys of the screen below */ \
	X(SCR_DIRECTORY, ui_directory_screen)  /* the organisations: search, filters, refer */ \
	X(SCR_ORG, ui_org_screen)              /* one organisation, every field */ \
	X(SCR_ORG_EDIT, ui_org_edit_screen)    /* a supervisor's form over an entry */ \
	X(SCR_PICK, ui_pick_screen)            /* choose one of a few things, in a box */ \
	X(SCR_PROMPT, ui_prompt_screen)        /* type one short line, in a box */ \
	X(SCR_LOG, ui_log_screen)              /* the call log (or the drafts left behind) */ \
	X(SCR_LOG_FILTER, ui_log_filter_screen) /* the log's filters, one per row */ \
	X(SCR_CALL, ui_call_screen)            /* one call in full */ \
	X(SCR_CASE, ui_case_screen)            /* a case: its calls, status, owner, call-back */ \
	X(SCR_CORRECT, ui_correct_screen)      /* a supervisor's corrections to a final call */ \
	X(SCR_OPERATORS, ui_operators_screen)  /* calls and QA flags per operator */ \
	X(SCR_AUDIT, ui_audit_screen)          /* the audit trail */ \
	X(SCR_STATS, ui_stats_screen)          /* the statistics: a table or a chart */

#endif

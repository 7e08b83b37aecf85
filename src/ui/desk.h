/* desk.h: what the supervisor's desk's files share: log.c (the call log,
 * its filters, the case code typed to jump), callview.c (one call in full:
 * review, acknowledge, link), caseview.c (a case: its calls, status,
 * owner, call-back), correct.c (corrections with a reason), and the
 * start screen's panel of waiting high-risk calls and overdue call-backs.
 * Not a public header. The screens ask the core (desk.h of the core) and
 * hold what it answered; painting never reads the database.
 */
#ifndef DOVIRA_UI_DESK_H
#define DOVIRA_UI_DESK_H

#include <time.h>

#include "dovira/desk.h"
#include "list.h"
#include "ui_int.h"

typedef struct ui_log ui_log;
typedef struct ui_callview ui_callview;
typedef struct ui_caseview ui_caseview;
typedef struct ui_correct ui_correct;
typedef struct ui_opview ui_opview;
typedef struct ui_auditview ui_auditview;

/* "2026-12-01 14:05" in local time into out[20]; "—" for 0. */
void ui_desk_when(time_t t, char out[static 20]);

/* The first key of the named action as the bar shows it ("F5"). */
void ui_desk_key_of(const char *action, char out[static 32]);

/* The label of a risk code ("likely"), of a case status code ("open"),
 * of a call's kind or topic (the topic's label from the intake script,
 * else its code), and the QA flags as words joined by ", ". */
const char *ui_desk_risk_label(const char *code);
const char *ui_desk_case_status_label(const char *code);
char *ui_desk_what(ui_ctx *c, call_kind kind, const char *topic);
/* The label of an option code of a step of the intake script, the code
 * itself if the script has none, a dash for NULL. */
const char *ui_desk_label(ui_ctx *c, const char *step, const char *code);
char *ui_desk_flags_words(unsigned flags);

/* A cell of a table row: text (NULL: empty) cut to w - 1 columns,
 * padded, and a space after it. */
void ui_desk_cell(ui_row *r, ui_color color, const char *text, int w);
/* The column heads of such a table, cut and padded the same way; the
 * caller frees the line. */
char *ui_desk_heads(const char *const *labels, const int *widths, size_t n);

/* Open the call id in full over the current screen (call.view is
 * audited by the core for a final call not one's own). Returns 0, or -1
 * with the reason on the status line (an operator opening another's call
 * is refused by the core). */
int ui_callview_open(ui_ctx *c, const char *id);
/* The id of the call shown ("" if none). */
void ui_callview_id(const ui_ctx *c, char out[static 37]);
/* Read the call shown again (after a change). */
void ui_callview_reload(ui_ctx *c);

/* Open the follow-up view of the case of this code (as typed: any case,
 * dash or not, either keyboard layout) over the current screen. Returns
 * 0, or -1 with the reason on the status line. */
int ui_caseview_open(ui_ctx *c, const char *code);

/* Open the log over the current screen with a preset filter, or none. */
enum { LOG_ALL, LOG_QUEUE, LOG_ORPHANS, LOG_FLAGGED };
void ui_log_open(ui_ctx *c, int preset);
/* Load the log again (after a change to a call), keeping its filters. */
void ui_log_reload(ui_ctx *c);

/* Open the corrections form over the call shown. */
void ui_correct_open(ui_ctx *c);

#endif

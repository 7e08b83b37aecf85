/* directory.h: what the directory's files share: directory.c (the list:
 * search, filters, referrals), org.c (one entry in full, the supervisors'
 * verify and retire) and orgform.c (the supervisors' form). Not a public
 * header.
 */
#ifndef DOVIRA_UI_DIRECTORY_H
#define DOVIRA_UI_DIRECTORY_H

#include "dovira/orgs.h"
#include "list.h"
#include "ui_int.h"

/* One row of the list: an entry, and whether the call's script
 * recommends it (listed first, marked). */
typedef struct dir_row {
	dv_org org;
	int recommended;
} dir_row;

typedef struct ui_form ui_form;

struct ui_dir {
	ui_ctx *c;             /* for the list's callbacks: they read through the session */
	ui_list list;          /* the rows; its filter is the search text */
	dir_row *rows;
	size_t n;
	char *area;            /* filters: a code, or NULL for any */
	char *service;
	char *serves;
	char *callers_area;    /* the caller's raion as an area code, or NULL */
	char *ref_org;         /* a referral being made or removed: the entry, */
	char *ref_name;        /* its name as shown, */
	char **ref_svc;        /* and the services offered for it */
	size_t nref_svc;
	int more;              /* 1: the search found more than DIR_MATCHES */
};

/* The best matches a typed search lists (issue 9, item 15): the search
 * ranks only these, so a first letter costs what a third does; typing
 * more narrows. An empty search lists the whole directory. */
#define DIR_MATCHES 100

/* The directory's state while it is open (the directory screen owns
 * it; an entry's details and the supervisors' form sit over it), or
 * NULL. */
ui_dir *ui_dir_of(const ui_ctx *c);

/* The entry the actions of the top screen apply to: the detail view's
 * entry, or the highlighted row of the list; NULL if none. */
const dv_org *ui_dir_target(const ui_ctx *c);

/* The entry the detail view (SCR_ORG, which owns it) shows, or NULL when
 * it is not open. */
const dv_org *ui_org_shown(const ui_ctx *c);

/* Search again (after a change to the directory), keeping the entry id
 * highlighted if it is still listed (id may be NULL). */
void ui_dir_reload(ui_ctx *c, const char *id);

/* Load the entry id afresh into the detail view and show it (SCR_ORG is
 * pushed unless it is on top already). Returns 0, or -1 with the reason
 * on the status line. */
int ui_dir_show(ui_ctx *c, const char *id);

/* The labels of a list of codes ("status information"), joined by sep;
 * an unknown code stands as itself. The caller frees the result. */
char *ui_dir_labels(orgs_codeset set, const char *codes, const char *sep);

/* The label of a service code, for referrals ("" is "no particular
 * service"). */
const char *ui_dir_service_label(const char *code);

/* A short name of a service code, for a row ("psychol."); an unknown
 * code stands as itself. */
const char *ui_dir_service_short(const char *code);

/* How many referrals the call in progress made to org_id (0 outside a
 * call). */
size_t ui_dir_referred(const ui_ctx *c, const char *org_id);

/* 1 if the call's script recommends org_id for service (service NULL:
 * for any service). */
int ui_dir_recommended(const ui_ctx *c, const char *org_id, const char *service);

/* The form's state (orgform.c); NULL is fine. */

#endif

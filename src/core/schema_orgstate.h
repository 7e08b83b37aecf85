/* schema_orgstate.h: the directory's do-not-refer state (issue 9, item 12).
 * Owned by the directory module (orgs.c).
 *
 * - orgs.do_not_refer: 1 for an entry that must not be given to a caller
 *   (closed, in occupied territory, unconfirmed), while it stays in the
 *   directory for the record: it is shown as such, sorts last, and the
 *   script never recommends it. Not the same as retired (hidden from
 *   searches, kept for old referrals): a do-not-refer entry is still
 *   found, so that an operator who looks it up learns not to use it.
 *   ALTER TABLE keeps STRICT and the search index untouched (the index
 *   does not carry this column).
 */
#ifndef DOVIRA_SCHEMA_ORGSTATE_H
#define DOVIRA_SCHEMA_ORGSTATE_H

#define SCHEMA_ORGSTATE \
	"ALTER TABLE orgs ADD COLUMN do_not_refer INTEGER NOT NULL DEFAULT 0" \
	" CHECK (do_not_refer IN (0, 1));"

#endif

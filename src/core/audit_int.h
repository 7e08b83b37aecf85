/* audit_int.h: private to src/core: what audit.c and audit_check.c share:
 * the row hashes and the encoding of a record's digest. */
#ifndef DOVIRA_AUDIT_INT_H
#define DOVIRA_AUDIT_INT_H

#include <sqlite3.h>

#include "sha256.h"

/* The columns a record's digest covers, in this order. A call's digest
 * covers what was taken and corrected (not the draft's step, the save
 * counter or the desk's workflow marks), then its answers, then its
 * referrals. */
#define AUDIT_CALL_COLUMNS \
	"id, case_code, started_at, ended_at, duration_s, operator, office, script_id," \
	" script_version, status, kind, topic, caller_role, gender, age_band, raion, country," \
	" language, heard_from, outcome, callback, notes, risk"
#define AUDIT_ANSWER_COLUMNS "step, value"
#define AUDIT_REFERRAL_COLUMNS "org_id, service, recommended, made_at"
#define AUDIT_STAFF_COLUMNS "login, role, active, added_at, added_by"
/* A directory entry's digest covers every column; a case's every column
 * but its version counter (migration 18). */
#define AUDIT_ORG_COLUMNS \
	"id, name_uk, name_en, kind, services, areas, operates_in, relocated_from, address, phones, hours," \
	" serves, age_min, age_max, languages, notes, source, verified_on, national, retired, updated_at," \
	" notes_en, do_not_refer"
#define AUDIT_CASE_COLUMNS \
	"id, code, status, status_by, status_at, callback_due, owner, legal_hold, hold_by, hold_at, created_at"
/* The actions about a case (by its id) that change it; case.link names
 * the call it links, whose digest it records. As SQL, for the queries
 * that must name them the way the partial index audit_case does. */
#define AUDIT_CASE_ACTIONS_SQL \
	"('case.create', 'case.status', 'case.owner', 'case.due', 'case.hold', 'case.unhold', 'case.baseline')"
/* Whether an action's digest is of a directory entry or a case: those
 * are checked apart from the calls (audit_check.c). */
int audit_action_is_org(const char *action);
int audit_action_is_case(const char *action);

/* The digest of a record that an audited change removed. */
#define AUDIT_GONE "gone"
/* The first keyed row of a database upgraded from an unkeyed chain. */
#define AUDIT_SEAL "audit.seal"

extern const char audit_genesis[65];

typedef struct audit_row {
	long long seq;
	const char *at, *actor, *action, *object, *detail, *digest, *prev, *hash;
} audit_row;

void audit_row_v1(const audit_row *r, char out[static 65]);
void audit_row_mac(const hmac_key *key, const audit_row *r, char out[static 65]);

/* Open (creating with O_EXCL when excl, else appending) one of the audit's
 * own files (the key, the anchors) with the mode that lets exactly the
 * accounts that may write the database use it: installed setgid, the
 * program's group; a database shared through a group without setgid (a
 * group-writable file, as before the setgid install), that group, read-only
 * for the key; else the owner alone. Returns the descriptor or -1 with
 * errno set. */
struct dv_db;
int audit_open_private(const struct dv_db *db, const char *path, int excl, int key);

/* Feed columns from .. from+n-1 of the current row into a digest. */
void audit_feed_row(sha256_ctx *c, sqlite3_stmt *st, int from, int n);

#endif

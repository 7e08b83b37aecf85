/* schema_audit.h: the keyed audit chain (issue 10, item 2). Owned by
 * audit.c.
 *
 * - audit.digest: the SHA-256 of the record an audited change left behind
 *   (a staff row, or a call with its answers and referrals), computed in
 *   the same transaction by audit_append; "gone" when the change removed
 *   the record; NULL for events about no such record. `dovira check`
 *   compares every staff row and final call with its last digest.
 * - The desk's index audit_object (on object; seq is the rowid) gives check
 *   each record's audited changes in order in one range scan.
 * - Rows are keyed from this version on (HMAC-SHA-256 with the audit key,
 *   settings.h); rows written before it stay as they were (plain SHA-256)
 *   and are sealed by the first keyed row, "audit.seal", which the
 *   upgrade appends together with a baseline digest of every staff row and
 *   final call ("staff.baseline", "call.baseline"): what the database held
 *   when it was upgraded is taken as true.
 * - The single-column indexes of calls that no query uses are dropped: the
 *   log, the desk and the reports select by time (calls_started), by
 *   status and operator (calls_status), by id, case code or case; they
 *   group by raion, topic and the rest, which an index on each does not
 *   serve, while every save had to keep seven of them up to date and every
 *   integrity check to verify them.
 */
#ifndef DOVIRA_SCHEMA_AUDIT_H
#define DOVIRA_SCHEMA_AUDIT_H

#define SCHEMA_AUDIT \
	"ALTER TABLE audit ADD COLUMN digest TEXT;" \
	"DROP INDEX calls_raion; DROP INDEX calls_topic; DROP INDEX calls_gender; DROP INDEX calls_age;" \
	"DROP INDEX calls_country; DROP INDEX calls_risk; DROP INDEX calls_outcome;"

#endif

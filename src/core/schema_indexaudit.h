/* schema_indexaudit.h: indexes no query uses (issue 10, item 9;
 * migration 15).
 *
 * Every statement the program prepared during `make check` was planned
 * (EXPLAIN QUERY PLAN), and the plans checked again on the million-call
 * bench database; the triggers' statements and the foreign keys' lookups
 * (which no plan of a statement shows) were read from the schema. An
 * index no plan chose still costs every save its pages (dirtied,
 * journalled, synced) and every `dovira check` its reading. Gone:
 *
 * - calls_case (case_id) WHERE case_id IS NOT NULL: calls_case_time
 *   (case_id, started_at, status) has the same condition and leads with
 *   the same column, so every query that sought a case's calls in
 *   calls_case (retention's legal hold, the list of held cases) seeks
 *   them in calls_case_time, covered as before.
 * - referrals_day (day, call_id, org_id, service, recommended) and
 *   recommendations_day (day, call_id, org_id, service): made so that a
 *   report read a day's referrals as one range (migration 11); since the
 *   reports read report_days (migration 12) no query reads referrals or
 *   recommendations by day. Retention's referrals by day have their own
 *   index (referrals_ret); the day columns stay (it names them).
 * - answers_day (step, day, call_id, value): the same, for the answers
 *   (the size of the answers table itself: 36,600 pages of 439,186 at a
 *   million calls). The one plan that chose it was the report counts'
 *   recount in `dovira check` while it named a day's calls by a subquery
 *   (it read every answer to a step, for each day); the recount names
 *   them by a list of ids now (report_check.c), which reaches the answers
 *   by the primary key (call_id, step), with or without this index.
 * - audit_at (at): kept by migration 10 for the audit trail filtered by
 *   a period (desk_audit); but that query asks for the rows before a seq,
 *   newest first, a page at a time, and SQLite walks the rowid down for
 *   it with or without the index (EXPLAIN QUERY PLAN, with a period's
 *   start, end or both): every audit row (several per save) paid for it.
 *
 * Every other index was chosen by some plan, or is named in INDEXED BY
 * (the log's calls_log*, retention's *_ret*). referrals_org and
 * recommendations_org only by foreign keys and views: inserting an
 * organisation looks for its children, the report counts' recount reads
 * recommendations through them, and the group triggers of
 * schema_reportagg.h and schema_reportcase.h read an organisation's
 * referrals.
 */
#ifndef DOVIRA_SCHEMA_INDEXAUDIT_H
#define DOVIRA_SCHEMA_INDEXAUDIT_H
#define SCHEMA_INDEXAUDIT \
	"DROP INDEX calls_case;" \
	"DROP INDEX referrals_day;" \
	"DROP INDEX recommendations_day;" \
	"DROP INDEX answers_day;" \
	"DROP INDEX audit_at;"
#endif

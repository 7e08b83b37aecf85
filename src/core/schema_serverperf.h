/* schema_serverperf.h: indexes no query needs (issue 10, item 9; migration 10).
 *
 * Every statement the program runs (traced through `make check`) was
 * planned (EXPLAIN QUERY PLAN) on the million-call bench database. Each
 * index of the calls table was the choice of some desk, report or check
 * query, except that calls_started (started_at) is the leading column of
 * calls_log and calls_report: without it the same queries walk the same
 * range of one of those (or count rows in the case-code index), so it
 * only cost every new call an entry and the file its pages. Kept though
 * no traced plan chose them: audit_at (the audit trail filtered by a
 * period, desk_audit) and referrals_org (the foreign key from referrals
 * to orgs: without it, removing an organisation reads every referral). */
#ifndef DOVIRA_SCHEMA_SERVERPERF_H
#define DOVIRA_SCHEMA_SERVERPERF_H

#define SCHEMA_SERVERPERF \
	"DROP INDEX IF EXISTS calls_started;"

#endif

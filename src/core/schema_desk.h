/* schema_desk.h: the supervisor's desk (issue 7): cases, corrections,
 * the high-risk queue, QA flags, reviews, the script texts calls were
 * taken under, and the training mark. Owned by desk.c, calls_bulk.c and
 * demo.c.
 *
 * - db_marks: facts about the database itself. 'training' is set by
 *   `dovira demo` on a database it filled with synthetic calls.
 * - script_texts: the text of each script version a call was saved
 *   under (first text wins for an id and version), so that an old call
 *   reads with the labels it was taken with.
 * - cases: a caller who rings back. code is the case code of the case's
 *   first call; every call of the case has case_id set. legal_hold and
 *   hold_by/hold_at are set and lifted by the reports module (retention).
 * - calls.qa_flags: the stored QA flags (DESK_QA_* in desk.h);
 *   calls.queue: the codes of the script's queue rules that held
 *   (space-separated) or NULL; queue_state 0 not queued, 1 waiting,
 *   2 acknowledged; reviewed_by/at: marked reviewed; corrected: how many
 *   corrections; finished_by: a supervisor who finished an orphaned draft.
 * - corrections: append-only (a trigger refuses UPDATE); one row per
 *   field changed, version is the call's version the correction made.
 * - queue_acks: who acknowledged a queued call, when, with what comment.
 * - Indexes: each serves a query of desk.c (its EXPLAIN QUERY PLAN is
 *   checked in tests/unit/test_desk.c).
 */
#ifndef DOVIRA_SCHEMA_DESK_H
#define DOVIRA_SCHEMA_DESK_H

/* The log's index: in time order, with every column a filter without an
 * index of its own tests, so that paging through a filter reads the
 * index alone until a row passes (about four times faster than the table
 * at a million calls). desk.c names it in INDEXED BY. */
#define DESK_LOG_INDEX \
	"CREATE INDEX calls_log ON calls(started_at, kind, topic, risk, office, status, callback, qa_flags," \
	" queue_state, reviewed_by, case_id);"

#define SCHEMA_DESK \
	"CREATE TABLE db_marks(" \
	" key TEXT PRIMARY KEY CHECK (key IN ('training'))," \
	" at TEXT NOT NULL," \
	" by TEXT NOT NULL," \
	" detail TEXT" \
	") STRICT, WITHOUT ROWID;" \
	"CREATE TABLE script_texts(" \
	" script_id TEXT NOT NULL," \
	" version TEXT NOT NULL," \
	" text TEXT NOT NULL," \
	" saved_at TEXT NOT NULL," \
	" PRIMARY KEY (script_id, version)" \
	") STRICT, WITHOUT ROWID;" \
	"CREATE TABLE cases(" \
	" id TEXT PRIMARY KEY CHECK (length(id) = 36)," \
	" code TEXT NOT NULL UNIQUE," \
	" status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','follow_up','closed'))," \
	" status_by TEXT NOT NULL," \
	" status_at TEXT NOT NULL," \
	" callback_due TEXT," \
	" owner TEXT REFERENCES staff(login)," \
	" legal_hold INTEGER NOT NULL DEFAULT 0 CHECK (legal_hold IN (0,1))," \
	" hold_by TEXT," \
	" hold_at TEXT," \
	" created_at TEXT NOT NULL," \
	" version INTEGER NOT NULL DEFAULT 1" \
	") STRICT;" \
	"CREATE INDEX cases_due ON cases(callback_due) WHERE callback_due IS NOT NULL AND status <> 'closed';" \
	"ALTER TABLE calls ADD COLUMN case_id TEXT REFERENCES cases(id);" \
	"ALTER TABLE calls ADD COLUMN qa_flags INTEGER NOT NULL DEFAULT 0;" \
	"ALTER TABLE calls ADD COLUMN queue TEXT;" \
	"ALTER TABLE calls ADD COLUMN queue_state INTEGER NOT NULL DEFAULT 0 CHECK (queue_state IN (0,1,2));" \
	"ALTER TABLE calls ADD COLUMN reviewed_by TEXT;" \
	"ALTER TABLE calls ADD COLUMN reviewed_at TEXT;" \
	"ALTER TABLE calls ADD COLUMN corrected INTEGER NOT NULL DEFAULT 0;" \
	"ALTER TABLE calls ADD COLUMN finished_by TEXT;" \
	"CREATE INDEX calls_case ON calls(case_id) WHERE case_id IS NOT NULL;" \
	"CREATE INDEX calls_operator_started ON calls(operator, started_at);" \
	"CREATE INDEX calls_waiting ON calls(started_at) WHERE queue_state = 1;" \
	DESK_LOG_INDEX \
	"CREATE TABLE corrections(" \
	" call_id TEXT NOT NULL REFERENCES calls(id) ON DELETE CASCADE," \
	" version INTEGER NOT NULL," \
	" field TEXT NOT NULL," \
	" old TEXT," \
	" new TEXT," \
	" reason TEXT NOT NULL CHECK (length(reason) > 0)," \
	" who TEXT NOT NULL," \
	" at TEXT NOT NULL," \
	" PRIMARY KEY (call_id, version, field)" \
	") STRICT, WITHOUT ROWID;" \
	"CREATE TRIGGER corrections_no_update BEFORE UPDATE ON corrections" \
	" BEGIN SELECT RAISE(ABORT, 'corrections are append-only'); END;" \
	"CREATE TABLE queue_acks(" \
	" call_id TEXT PRIMARY KEY REFERENCES calls(id) ON DELETE CASCADE," \
	" who TEXT NOT NULL," \
	" at TEXT NOT NULL," \
	" comment TEXT NOT NULL CHECK (length(comment) > 0)" \
	") STRICT, WITHOUT ROWID;" \
	"CREATE INDEX audit_at ON audit(at);" \
	"CREATE INDEX audit_object ON audit(object) WHERE object IS NOT NULL;"

#endif

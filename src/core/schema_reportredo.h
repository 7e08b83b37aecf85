/* schema_reportredo.h: the report triggers that fire on nearly every
 * draft save, behind light ones (issue 10, item 9; migration 17), as
 * schema_reportmoc.h did for the older means of control. Owned by the
 * report module.
 *
 * SQLite tests a trigger's WHEN inside the trigger's program, once it
 * has made the frame for its whole body (the registers and cursors of
 * the report views). So report_answers_ai, _bu and _au paid for it on
 * every answer written, though only the answers to six steps (RA_STEPS)
 * are counted; and report_calls_bu and _au on every change of a draft's
 * topic, risk, raion or other counted column, though only final calls
 * are counted. On the million-call bench database: an answer's upsert
 * 23-24 us, of which 10 were those frames; a draft's change of topic
 * 67-92 us, of which 37-49 were.
 *
 * Now those five only insert a row into a view (the sign of the change
 * and the row's keys), whose INSTEAD OF INSERT triggers hold the bodies,
 * unchanged, so they run only when their WHEN holds; nothing is stored.
 * report_answers_bd stays as it was: an answer is seldom deleted.
 *
 * Their WHEN names the six steps one by one (RR_STEP_IS), not as
 * "step IN (...)": SQLite makes an IN list of more than two values into
 * an index of its own, and a trigger's program makes it again each time
 * it runs (a b-tree opened, begun and filled for every answer written:
 * in a slow phase of the bench machine an upsert took 37-49 us before
 * this migration, 29-40 with IN lists here, 22-28 with these). */
#ifndef DOVIRA_SCHEMA_REPORTREDO_H
#define DOVIRA_SCHEMA_REPORTREDO_H

#include "schema_reportcase.h"

/* T.step is one of RA_STEPS. */
#define RR_STEP_IS(T) \
	"(" T ".step = 'consult_purpose' OR " T ".step = 'red_flags' OR " T ".step = 'channel' OR " \
	T ".step = 'exploitation' OR " T ".step = 'control' OR " T ".step = 'recruiter')"
#define RR_ANSWER(N, T) " INSERT INTO report_answers_redo(n, call_id, step) VALUES (" N ", " T ".call_id, " T ".step); END;"
#define RR_CALL(N, T) " INSERT INTO report_calls_redo(n, id) VALUES (" N ", " T ".id); END;"

#define SCHEMA_REPORTREDO \
	"DROP TRIGGER report_answers_ai;" \
	"DROP TRIGGER report_answers_bu;" \
	"DROP TRIGGER report_answers_au;" \
	"DROP TRIGGER report_calls_bu;" \
	"DROP TRIGGER report_calls_au;" \
	"CREATE VIEW report_answers_redo(n, call_id, step) AS SELECT NULL, NULL, NULL WHERE 0;" \
	"CREATE TRIGGER report_answers_redo_add INSTEAD OF INSERT ON report_answers_redo WHEN NEW.n = 1 BEGIN" \
	RA_APPLY_FROM("report_answer_facts", "", "id = NEW.call_id AND k = NEW.step") " END;" \
	"CREATE TRIGGER report_answers_redo_sub INSTEAD OF INSERT ON report_answers_redo WHEN NEW.n = -1 BEGIN" \
	RA_APPLY_FROM("report_answer_facts", "-", "id = NEW.call_id AND k = NEW.step") " END;" \
	"CREATE TRIGGER report_answers_ai AFTER INSERT ON answers WHEN " RR_STEP_IS("NEW") " BEGIN" \
	RR_ANSWER("1", "NEW") \
	"CREATE TRIGGER report_answers_bu BEFORE UPDATE OF call_id, step, value ON answers" \
	" WHEN " RR_STEP_IS("OLD") RA_ANSWER_CHANGED " BEGIN" \
	RR_ANSWER("-1", "OLD") \
	"CREATE TRIGGER report_answers_au AFTER UPDATE OF call_id, step, value ON answers" \
	" WHEN " RR_STEP_IS("NEW") RA_ANSWER_CHANGED " BEGIN" \
	RR_ANSWER("1", "NEW") \
	"CREATE VIEW report_calls_redo(n, id) AS SELECT NULL, NULL WHERE 0;" \
	"CREATE TRIGGER report_calls_redo_add INSTEAD OF INSERT ON report_calls_redo WHEN NEW.n = 1 BEGIN" \
	RA_APPLY("", "id = NEW.id") " END;" \
	"CREATE TRIGGER report_calls_redo_sub INSTEAD OF INSERT ON report_calls_redo WHEN NEW.n = -1 BEGIN" \
	RA_APPLY("-", "id = NEW.id") " END;" \
	"CREATE TRIGGER report_calls_bu BEFORE UPDATE OF " RA_CALL_COLS " ON calls WHEN " RA_COUNTED("OLD") \
	" AND " RC_CALL_CHANGED " BEGIN" RR_CALL("-1", "OLD") \
	"CREATE TRIGGER report_calls_au AFTER UPDATE OF " RA_CALL_COLS " ON calls WHEN " RA_COUNTED("NEW") \
	" AND " RC_CALL_CHANGED " BEGIN" RR_CALL("1", "NEW")

#endif

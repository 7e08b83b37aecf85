/* schema_reportmoc.h: the answers' triggers of the older means of
 * control behind light ones (issue 10, item 9; migration 16). Owned by
 * the report module, as schema_reportcase.h, on which it builds.
 *
 * The moc counts change only with the answers to ua_signs and ilo, yet
 * report_moc_ai, _bu and _au ran for every answer written: SQLite tests a
 * trigger's WHEN inside the trigger's program, once it has made the frame
 * for all of its body (the registers and cursors of the report views). On
 * the million-call bench database that cost about 25 us of each answer's
 * upsert of 55 (a draft save writes one or two answers, in the lock
 * holder's transaction). Now those three triggers only insert a row into
 * the view report_moc_redo; its INSTEAD OF INSERT triggers hold the
 * bodies, unchanged, so they run only for those two steps, and nothing is
 * stored. */
#ifndef DOVIRA_SCHEMA_REPORTMOC_H
#define DOVIRA_SCHEMA_REPORTMOC_H

#include "schema_reportcase.h"

#define RM_REDO(KIND, ID, OTHER, STEP) \
	" INSERT INTO report_moc_redo(kind, call_id, other, step) VALUES ('" KIND "', " ID ", " OTHER ", " STEP "); END;"

#define SCHEMA_REPORTMOC \
	"DROP TRIGGER report_moc_ai;" \
	"DROP TRIGGER report_moc_bu;" \
	"DROP TRIGGER report_moc_au;" \
	"CREATE VIEW report_moc_redo(kind, call_id, other, step) AS SELECT NULL, NULL, NULL, NULL WHERE 0;" \
	"CREATE TRIGGER report_moc_redo_ai INSTEAD OF INSERT ON report_moc_redo WHEN NEW.kind = 'ai' BEGIN" \
	RA_ADD("-1", RC_MOC_WITHOUT("NEW")) RC_MOC("", "id = NEW.call_id") " END;" \
	"CREATE TRIGGER report_moc_redo_bu INSTEAD OF INSERT ON report_moc_redo WHEN NEW.kind = 'bu' BEGIN" \
	RC_MOC("-", "id IN (NEW.call_id, NEW.other)") " END;" \
	"CREATE TRIGGER report_moc_redo_au INSTEAD OF INSERT ON report_moc_redo WHEN NEW.kind = 'au' BEGIN" \
	RC_MOC("", "id IN (NEW.call_id, NEW.other)") " END;" \
	"CREATE TRIGGER report_moc_ai AFTER INSERT ON answers WHEN NEW.step IN " RC_OLD_STEPS " BEGIN" \
	RM_REDO("ai", "NEW.call_id", "NULL", "NEW.step") \
	"CREATE TRIGGER report_moc_bu BEFORE UPDATE OF call_id, step, value ON answers" RC_MOC_UPDATE_WHEN " BEGIN" \
	RM_REDO("bu", "OLD.call_id", "NEW.call_id", "NULL") \
	"CREATE TRIGGER report_moc_au AFTER UPDATE OF call_id, step, value ON answers" RC_MOC_UPDATE_WHEN " BEGIN" \
	RM_REDO("au", "OLD.call_id", "NEW.call_id", "NULL")

#endif

/* schema_reports.h: an index for the report tables (issue 8). Owned by
 * the report module (report*.c).
 *
 * - calls_report: every column the tables group or filter by, in one
 *   index led by started_at, so that a year's tables read the index and
 *   not the rows (a row carries its notes: ten times the bytes). The
 *   queries steer the planner to it with unary + on the other columns
 *   (no ANALYZE is run, and an equality index such as calls_status would
 *   otherwise win and read every row of every year).
 */
#ifndef DOVIRA_SCHEMA_REPORTS_H
#define DOVIRA_SCHEMA_REPORTS_H

#define SCHEMA_REPORTS \
	"CREATE INDEX calls_report ON calls(started_at, status, kind, office, script_version, topic," \
	" caller_role, gender, age_band, raion, country, heard_from, risk, callback, case_id, case_code," \
	" duration_s, id);"

#endif

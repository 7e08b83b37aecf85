/* schema_deskperf.h: the call log's filter indexes (issue 7, items 1
 * and 11). Owned by desk.c, which picks one of them in INDEXED BY from
 * the filters set (desk.c: log_index).
 *
 * calls_log walks every call newest first until a page passes; a filter
 * that matches few calls walked the whole log (200 ms at a million).
 * These indexes are led by a filter column, then time, then the same
 * columns as calls_log, so that a page of a topic, a topic and risk, the
 * agreed call-backs, the reviewed calls, a risk, a kind or an office reads only those calls' entries, in time order, and never
 * the table. calls_log is made here too if missing: databases migrated
 * by an early build of the desk migration have no calls_log. */
#ifndef DOVIRA_SCHEMA_DESKPERF_H
#define DOVIRA_SCHEMA_DESKPERF_H

#define SCHEMA_DESKPERF \
	"CREATE INDEX IF NOT EXISTS calls_log ON calls(started_at, kind, topic, risk, office, status, callback," \
	" qa_flags, queue_state, reviewed_by, case_id);" \
	"CREATE INDEX calls_log_topic ON calls(topic, started_at, kind, risk, office, status, callback, qa_flags," \
	" queue_state, reviewed_by, case_id);" \
	"CREATE INDEX calls_log_topic_risk ON calls(topic, risk, started_at, kind, office, status, callback, qa_flags," \
	" queue_state, reviewed_by, case_id);" \
	"CREATE INDEX calls_log_risk ON calls(risk, started_at, kind, topic, office, status, callback, qa_flags," \
	" queue_state, reviewed_by, case_id);" \
	"CREATE INDEX calls_log_callback ON calls(started_at, kind, topic, risk, office, status, qa_flags," \
	" queue_state, reviewed_by, case_id) WHERE callback = 1;" \
	"CREATE INDEX calls_log_reviewed ON calls(started_at, kind, topic, risk, office, status, callback, qa_flags," \
	" queue_state, case_id) WHERE reviewed_by IS NOT NULL;" \
	"CREATE INDEX calls_log_kind ON calls(kind, started_at, topic, risk, office, status, callback, qa_flags," \
	" queue_state, reviewed_by, case_id);" \
	"CREATE INDEX calls_log_office ON calls(office, started_at, kind, topic, risk, status, callback, qa_flags," \
	" queue_state, reviewed_by, case_id);"

#endif

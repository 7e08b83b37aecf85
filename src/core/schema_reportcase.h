/* schema_reportcase.h: the follow-ups table's cases counted from a few
 * rows per month, the older means-of-control steps counted, and
 * retention's candidates found by index (issue 8). Owned by the report
 * module (report*.c, retention.c). Builds on schema_reportagg.h.
 *
 * Cases (facets cs and csall, replacing 'case'). The follow-ups table
 * counts each case that has a counted data call in the period once, by
 * the case's status now. 'case' kept a row per case and day: a year read
 * every one of them (a quarter of a second at a million calls) to count
 * each case once. Now, for each case, take the distinct Kyiv days of its
 * counted data calls, in order: the case has a call in the period
 * [lo, hi] if and only if exactly one of its days d lies in [lo, hi] with
 * the case's previous day before lo (or no previous day). So each day of
 * a case contributes one row: a the case's status, b its previous day
 * ('' for its first). A period sums the rows of its days (its whole
 * months from the monthly rows, as every facet) whose b is before the
 * period's first day: a few rows a month, each case counted once.
 * - cs: the days of a case's calls in one office (the table for one
 *   office); csall: in any office, office ''.
 * - Each day's row is carried by the first call of the case that day
 *   (the least id), so that `dovira check` recounts a day from that day's
 *   calls like any facet.
 * - A call joining, leaving or changing within a case changes the rows of
 *   the case's other calls (the previous day of the next day, the call
 *   that carries a day): triggers on calls take the other calls' rows
 *   away before and add them after (the call's own rows go with the rest
 *   of its facets, report_calls_bu/au), as report_case_* do for the
 *   call-backs. A case's status moves all its rows.
 *
 * Older means of control (facet moc). Script versions before 2026.12.1
 * asked the means of control at two steps, ua_signs (the National Social
 * Service checklist) and ilo (the ILO indicators), that 2026.12.1 merged
 * into control. moc holds, per call that answered either, a the ua_signs
 * answer, b the risk, c the ilo answer (each '' when not answered): the
 * indicators table maps the codes to the current ones (report_tables.c)
 * and counts a code once per call even when both steps gave it.
 * Triggers on answers of those two steps recount the call's row; an
 * insert is counted AFTER INSERT only (see schema_reportagg.h), taking
 * away the row the call had without the new answer.
 *
 * Retention's minutes (report_calls_bu/au remade). Retention sets the
 * minutes and seconds of old calls to 00; in a case that fired the whole
 * recount of the call's facets, since a later call of the case tells a
 * call-back done. Only the call-back facet reads the minutes: a change
 * of the minutes alone now recounts that facet of the call (and, as
 * before, of the other calls of its case), not all of them.
 *
 * Retention's candidates (calls_ret_notes, calls_ret_times,
 * referrals_ret). Retention looked for calls with notes or minutes left
 * by reading every call (104 s for a month at a million calls). Three
 * partial indexes hold only the rows that still have something to clear:
 * final calls with notes, final calls with a time not on the hour, and
 * referrals made at a time not on the hour; ordered by the call's start
 * (the referral by its call's date), a run reads the candidates older than
 * its cut-off and nothing else. Once a
 * call is cleared it leaves them. The WHERE of a query must repeat an
 * index's WHERE word for word for SQLite to use it (retention.c names
 * them with INDEXED BY, so a mismatch fails to prepare instead of reading
 * the whole table).
 */
#ifndef DOVIRA_SCHEMA_REPORTCASE_H
#define DOVIRA_SCHEMA_REPORTCASE_H

#include "schema_reportagg.h"

/* A time "YYYY-MM-DDTHH:MM:SSZ" not on the hour (retention.c uses the
 * same words). */
#define RC_FINE(col) "(" col " IS NOT NULL AND substr(" col ", 15) <> '00:00Z')"
#define RC_RET_NOTES_WHERE "status = 'final' AND notes IS NOT NULL"
#define RC_RET_TIMES_WHERE "status = 'final' AND (" RC_FINE("started_at") " OR " RC_FINE("ended_at") \
	" OR " RC_FINE("updated_at") ")"
#define RC_RET_REFS_WHERE RC_FINE("made_at")

/* The counted data calls of the case of report_calls C (by id: the view
 * hides case_id from the planner), in the same office when OFFICE. */
#define RC_CASE_DAYS(C, OFFICE) " FROM report_calls d WHERE d.id IN (SELECT x.id FROM calls x WHERE x.case_id = " C \
	".case_id) AND d.kind = 'data'" OFFICE
#define RC_CS(FACET, OFFICE_COL, OFFICE) \
	" SELECT c.id, '" FACET "', c.day, " OFFICE_COL ", '', coalesce(" RA_CASE_STATUS("c") ", '')," \
	" coalesce((SELECT max(d.day)" RC_CASE_DAYS("c", OFFICE) " AND d.day < c.day), ''), '', NULL" \
	" FROM report_calls c WHERE c.kind = 'data' AND c.case_id IS NOT NULL" \
	" AND NOT EXISTS (SELECT 1" RC_CASE_DAYS("c", OFFICE) " AND d.day = c.day AND d.id < c.id)"
#define RC_ANSWER(STEP) "coalesce((SELECT v.value FROM answers v WHERE v.call_id = c.id AND v.step = '" STEP "'), '')"
#define RC_OLD_STEPS "('ua_signs','ilo')"

/* Two views, not one of two parts: SQLite takes a condition "id IN
 * (SELECT ...)" into a simple view's query and uses the index, but not
 * into the parts of a compound one (it then reads every call). */
#define SCHEMA_REPORTCASE_VIEWS \
	"CREATE VIEW report_cs_facts(" RA_COLS ") AS" RC_CS("cs", "c.office", " AND d.office = c.office") ";" \
	"CREATE VIEW report_csall_facts(" RA_COLS ") AS" RC_CS("csall", "''", "") ";" \
	"CREATE VIEW report_idg_facts(" RA_COLS ") AS" \
	" SELECT c.id, 'idg', c.day, c.office, c.ver, c.risk, g.column1, '', NULL FROM report_calls c," \
	" (VALUES ('status'), ('police'), ('national-line')) g" \
	" WHERE c.kind = 'data' AND c.risk IN ('possible','likely') AND " RA_HAS_GROUP("c.id", "g.column1", "") ";" \
	"CREATE VIEW report_moc_facts(" RA_COLS ") AS" \
	" SELECT id, 'moc', day, office, ver, a, b, c, 'moc' FROM (SELECT c.id, c.day, c.office, c.ver," \
	" " RC_ANSWER("ua_signs") " AS a, coalesce(c.risk, '') AS b, " RC_ANSWER("ilo") " AS c" \
	" FROM report_calls c WHERE c.kind = 'data') WHERE a <> '' OR c <> '';" \
	"CREATE VIEW report_facts(" RA_COLS ") AS" \
	" SELECT c.id, f.column1, c.day, c.office, c.ver," \
	" CASE f.column1 WHEN 'vol' THEN c.kind WHEN 'dur' THEN CAST(coalesce(c.duration_s, 0) AS TEXT)" \
	"  WHEN 'tk' THEN c.topic WHEN 'rga' THEN coalesce(c.risk, '') WHEN 'hf' THEN coalesce(c.heard_from, '')" \
	"  WHEN 'geo' THEN coalesce(c.raion, '') WHEN 'idg' THEN c.risk" \
	"  WHEN 'fu' THEN " RA_FU("c") \
	"  ELSE coalesce(c.topic, '') END," \
	" CASE f.column1 WHEN 'vol' THEN c.outside WHEN 'tc' THEN coalesce(c.caller_role, '') WHEN 'tk' THEN coalesce(c.country, '')" \
	"  WHEN 'tr' THEN coalesce(c.risk, '') WHEN 'rga' THEN coalesce(c.gender, '') WHEN 'idg' THEN f.column2" \
	"  ELSE '' END," \
	" CASE f.column1 WHEN 'vol' THEN c.script_id WHEN 'rga' THEN coalesce(c.age_band, '') ELSE '' END, NULL" \
	" FROM report_calls c, (VALUES ('vol', ''), ('dur', ''), ('tc', ''), ('tk', ''), ('tr', ''), ('rga', ''), ('hf', '')," \
	"  ('geo', ''), ('fu', ''), ('idg', 'status'), ('idg', 'police'), ('idg', 'national-line')) f" \
	" WHERE (f.column1 IN ('vol', 'dur') OR c.kind = 'data')" \
	" AND (f.column1 <> 'tk' OR c.topic IN ('consult','offer'))" \
	" AND (f.column1 <> 'idg' OR (c.risk IN ('possible','likely') AND " RA_HAS_GROUP("c.id", "f.column2", "") "))" \
	" UNION ALL SELECT * FROM report_cb_facts UNION ALL SELECT * FROM report_answer_facts UNION ALL" \
	" SELECT c.id, 'made', c.day, c.office, c.ver, r.org_id, r.service, '', " RA_REF_KEY("r") \
	" FROM report_calls c JOIN referrals r ON r.call_id = c.id WHERE c.kind = 'data' UNION ALL" \
	" SELECT * FROM report_rec_facts UNION ALL SELECT * FROM report_cs_facts UNION ALL SELECT * FROM report_csall_facts" \
	" UNION ALL SELECT * FROM report_moc_facts;"

/* The case rows (both facets) of the calls WHERE selects. */
#define RC_CS_APPLY(SIGN, WHERE) RA_APPLY_FROM("report_cs_facts", SIGN, WHERE) RA_APPLY_FROM("report_csall_facts", SIGN, WHERE)
/* The case rows of the calls of the cases CASES other than SELF. */
#define RC_CASE_OTHERS(SIGN, CASES, SELF) RC_CS_APPLY(SIGN, "id IN (SELECT x.id FROM calls x" \
	" WHERE x.case_id IN " CASES " AND x.id IS NOT " SELF ")")
/* What a call's case rows read: whether it counts, its office, its case,
 * its Kyiv day (the UTC date and hour). */
#define RC_CS_CHANGED "(OLD.case_id IS NOT NULL OR NEW.case_id IS NOT NULL) AND (" RA_CHANGED("status") \
	" OR " RA_CHANGED("kind") " OR " RA_CHANGED("office") " OR " RA_CHANGED("case_id") " OR " RA_CHANGED("id") \
	" OR substr(OLD.started_at, 1, 13) IS NOT substr(NEW.started_at, 1, 13))"
/* RA_CALL_CHANGED less the minutes of a call of a case. */
#define RC_CALL_CHANGED \
	"(" RA_CHANGED("status") " OR " RA_CHANGED("kind") " OR " RA_CHANGED("office") " OR " RA_CHANGED("script_version") \
	" OR " RA_CHANGED("script_id") " OR " RA_CHANGED("topic") " OR " RA_CHANGED("caller_role") " OR " RA_CHANGED("gender") \
	" OR " RA_CHANGED("age_band") " OR " RA_CHANGED("raion") " OR " RA_CHANGED("country") " OR " RA_CHANGED("heard_from") \
	" OR " RA_CHANGED("risk") " OR " RA_CHANGED("callback") " OR " RA_CHANGED("case_id") " OR " RA_CHANGED("case_code") \
	" OR " RA_CHANGED("duration_s") " OR " RA_CHANGED("id") \
	" OR substr(OLD.started_at, 1, 13) IS NOT substr(NEW.started_at, 1, 13))"
#define RC_MINUTES_ONLY "OLD.case_id IS NOT NULL AND " RA_CHANGED("started_at") " AND NOT " RC_CALL_CHANGED
/* The moc row of call ID with the answer to step T (NEW or OLD) left
 * out: what the call had before an insert. */
#define RC_MOC_WITHOUT(T) \
	"SELECT 'moc' AS facet, day, office, ver, a, b, c FROM (SELECT c.day, c.office, c.ver," \
	" CASE WHEN " T ".step = 'ua_signs' THEN '' ELSE " RC_ANSWER("ua_signs") " END AS a, coalesce(c.risk, '') AS b," \
	" CASE WHEN " T ".step = 'ilo' THEN '' ELSE " RC_ANSWER("ilo") " END AS c" \
	" FROM report_calls c WHERE c.id = " T ".call_id AND c.kind = 'data') WHERE a <> '' OR c <> ''"
#define RC_MOC(SIGN, WHERE) RA_APPLY_FROM("report_moc_facts", SIGN, WHERE)
/* When an update of an answer changes a moc row (report_moc_bu, _au). */
#define RC_MOC_UPDATE_WHEN \
	" WHEN (OLD.step IN " RC_OLD_STEPS " OR NEW.step IN " RC_OLD_STEPS ") AND (" RA_CHANGED("call_id") " OR " \
	RA_CHANGED("step") " OR " RA_CHANGED("value") ")"
/* The fu rows and case rows of the calls of case T (OLD or NEW). */
#define RC_CASE_CALLS(SIGN, T) RA_ADD(SIGN "1", \
	"SELECT 'fu' AS facet, c.day, c.office, c.ver, " RA_FU("c") " AS a, '' AS b, '' AS c FROM report_calls c" \
	" WHERE c.id IN (SELECT x.id FROM calls x WHERE x.case_id = " T ".id) AND c.kind = 'data'") \
	RC_CS_APPLY(SIGN, "id IN (SELECT x.id FROM calls x WHERE x.case_id = " T ".id)")

#define SCHEMA_REPORTCASE_TRIGGERS \
	"CREATE TRIGGER report_calls_bu BEFORE UPDATE OF " RA_CALL_COLS " ON calls WHEN " RA_COUNTED("OLD") \
	" AND " RC_CALL_CHANGED " BEGIN" RA_APPLY("-", "id = OLD.id") " END;" \
	"CREATE TRIGGER report_calls_au AFTER UPDATE OF " RA_CALL_COLS " ON calls WHEN " RA_COUNTED("NEW") \
	" AND " RC_CALL_CHANGED " BEGIN" RA_APPLY("", "id = NEW.id") " END;" \
	"CREATE TRIGGER report_minutes_bu BEFORE UPDATE OF started_at ON calls WHEN " RA_COUNTED("OLD") \
	" AND " RC_MINUTES_ONLY " BEGIN" RA_APPLY_FROM("report_cb_facts", "-", "id = OLD.id") " END;" \
	"CREATE TRIGGER report_minutes_au AFTER UPDATE OF started_at ON calls WHEN " RA_COUNTED("NEW") \
	" AND " RC_MINUTES_ONLY " BEGIN" RA_APPLY_FROM("report_cb_facts", "", "id = NEW.id") " END;" \
	"CREATE TRIGGER report_cs_bi BEFORE INSERT ON calls WHEN NEW.case_id IS NOT NULL BEGIN" \
	RC_CASE_OTHERS("-", "(NEW.case_id)", "NEW.id") " END;" \
	"CREATE TRIGGER report_cs_ai AFTER INSERT ON calls WHEN NEW.case_id IS NOT NULL BEGIN" \
	RC_CASE_OTHERS("", "(NEW.case_id)", "NEW.id") " END;" \
	"CREATE TRIGGER report_cs_bd BEFORE DELETE ON calls WHEN OLD.case_id IS NOT NULL BEGIN" \
	RC_CASE_OTHERS("-", "(OLD.case_id)", "OLD.id") " END;" \
	"CREATE TRIGGER report_cs_ad AFTER DELETE ON calls WHEN OLD.case_id IS NOT NULL BEGIN" \
	RC_CASE_OTHERS("", "(OLD.case_id)", "OLD.id") " END;" \
	"CREATE TRIGGER report_cs_bu BEFORE UPDATE OF status, kind, office, case_id, started_at, id ON calls WHEN " \
	RC_CS_CHANGED " BEGIN" RC_CASE_OTHERS("-", "(OLD.case_id, NEW.case_id)", "OLD.id") " END;" \
	"CREATE TRIGGER report_cs_au AFTER UPDATE OF status, kind, office, case_id, started_at, id ON calls WHEN " \
	RC_CS_CHANGED " BEGIN" RC_CASE_OTHERS("", "(OLD.case_id, NEW.case_id)", "NEW.id") " END;" \
	"CREATE TRIGGER report_cases_bu BEFORE UPDATE OF id, code, status ON cases" \
	" WHEN " RA_CHANGED("id") " OR " RA_CHANGED("code") " OR " RA_CHANGED("status") " BEGIN" \
	RC_CASE_CALLS("-", "OLD") " END;" \
	"CREATE TRIGGER report_cases_au AFTER UPDATE OF id, code, status ON cases" \
	" WHEN " RA_CHANGED("id") " OR " RA_CHANGED("code") " OR " RA_CHANGED("status") " BEGIN" \
	RC_CASE_CALLS("", "NEW") " END;" \
	"CREATE TRIGGER report_orgs_bu BEFORE UPDATE OF id, kind, national ON orgs" \
	" WHEN " RA_CHANGED("id") " OR " RA_CHANGED("kind") " OR " RA_CHANGED("national") " BEGIN" \
	RA_APPLY_FROM("report_idg_facts", "-", "id IN (SELECT r.call_id FROM referrals r WHERE r.org_id = OLD.id)") " END;" \
	"CREATE TRIGGER report_orgs_au AFTER UPDATE OF id, kind, national ON orgs" \
	" WHEN " RA_CHANGED("id") " OR " RA_CHANGED("kind") " OR " RA_CHANGED("national") " BEGIN" \
	RA_APPLY_FROM("report_idg_facts", "", "id IN (SELECT r.call_id FROM referrals r WHERE r.org_id = NEW.id)") " END;" \
	"CREATE TRIGGER report_moc_ai AFTER INSERT ON answers WHEN NEW.step IN " RC_OLD_STEPS " BEGIN" \
	RA_ADD("-1", RC_MOC_WITHOUT("NEW")) RC_MOC("", "id = NEW.call_id") " END;" \
	"CREATE TRIGGER report_moc_bd BEFORE DELETE ON answers WHEN OLD.step IN " RC_OLD_STEPS " BEGIN" \
	RC_MOC("-", "id = OLD.call_id") " END;" \
	"CREATE TRIGGER report_moc_ad AFTER DELETE ON answers WHEN OLD.step IN " RC_OLD_STEPS " BEGIN" \
	RC_MOC("", "id = OLD.call_id") " END;" \
	"CREATE TRIGGER report_moc_bu BEFORE UPDATE OF call_id, step, value ON answers" RC_MOC_UPDATE_WHEN " BEGIN" \
	RC_MOC("-", "id IN (OLD.call_id, NEW.call_id)") " END;" \
	"CREATE TRIGGER report_moc_au AFTER UPDATE OF call_id, step, value ON answers" RC_MOC_UPDATE_WHEN " BEGIN" \
	RC_MOC("", "id IN (OLD.call_id, NEW.call_id)") " END;"

/* The migration: the old case counts and the triggers that kept them go;
 * the new views; the case rows and the older means of control of every
 * stored call counted by day and then by month; the triggers; the
 * retention indexes. */
#define SCHEMA_REPORTCASE \
	"DROP TRIGGER report_calls_bu;" \
	"DROP TRIGGER report_calls_au;" \
	"DROP TRIGGER report_cases_bu;" \
	"DROP TRIGGER report_cases_au;" \
	"DROP TRIGGER report_orgs_bu;" \
	"DROP TRIGGER report_orgs_au;" \
	"DROP VIEW report_facts;" \
	"DELETE FROM report_days WHERE facet = 'case';" \
	SCHEMA_REPORTCASE_VIEWS \
	"CREATE TEMP TABLE report_new AS SELECT facet, day, office, ver, a, b, c FROM report_cs_facts" \
	" WHERE id IN (SELECT x.id FROM calls x WHERE x.case_id IS NOT NULL) UNION ALL" \
	" SELECT facet, day, office, ver, a, b, c FROM report_csall_facts" \
	" WHERE id IN (SELECT x.id FROM calls x WHERE x.case_id IS NOT NULL) UNION ALL" \
	" SELECT facet, day, office, ver, a, b, c FROM report_moc_facts" \
	" WHERE id IN (SELECT v.call_id FROM answers v WHERE v.step IN " RC_OLD_STEPS ");" \
	"INSERT INTO report_days(facet, day, office, ver, a, b, c, n)" \
	" SELECT facet, day, office, ver, a, b, c, count(*) FROM temp.report_new GROUP BY facet, day, office, ver, a, b, c;" \
	"INSERT INTO report_days(facet, day, office, ver, a, b, c, n)" \
	" SELECT facet || ':m', substr(day, 1, 7), office, ver, a, b, c, count(*) FROM temp.report_new" \
	" GROUP BY facet, substr(day, 1, 7), office, ver, a, b, c;" \
	"DROP TABLE temp.report_new;" \
	SCHEMA_REPORTCASE_TRIGGERS \
	"CREATE INDEX calls_ret_notes ON calls(started_at) WHERE " RC_RET_NOTES_WHERE ";" \
	"CREATE INDEX calls_ret_times ON calls(started_at) WHERE " RC_RET_TIMES_WHERE ";" \
	"CREATE INDEX referrals_ret ON referrals(day, call_id) WHERE " RC_RET_REFS_WHERE ";"

#endif

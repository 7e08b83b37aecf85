/* schema_reportagg.h: the report tables' counts per day, kept exact by
 * triggers (issue 8, item 7). Owned by the report module (report*.c).
 *
 * A year's table counted every call of the year (a third of a million
 * entries of calls_report at a million calls, once per block): seconds.
 * report_days holds, for each Kyiv date, office and script version, how
 * many calls have each combination of the few codes one block needs (a
 * "facet"); a year's block reads a few thousand of these rows.
 *
 * - report_calls: the calls the tables count (final, not test calls; the
 *   unary + keep the planner off the indexes on status, kind, topic...:
 *   a trigger's "id IN (the calls of a case)" would otherwise read every
 *   final call; only id is looked up),
 *   with their Kyiv date (day) and whether they started outside working
 *   hours (Mon-Fri 09:00-18:00 Kyiv; the EU rule for summer time, as
 *   report_kyiv_offset in report.c). Both follow from the UTC date and
 *   hour alone: retention's coarsening to the hour changes neither.
 * - report_facts: each call's contribution to each facet, one row per
 *   contribution (see report_tables.c for which table reads which):
 *     vol   a kind, b outside ('1'/'0'), c script id   (all kinds)
 *     dur   a duration in seconds                     (all kinds)
 *     tc    a topic, b caller role                     (data calls)
 *     tk    a topic, b country      (data calls on consult or offer)
 *     tr    a topic, b risk                            (data calls)
 *     rga   a risk, b gender, c age band               (data calls)
 *     hf    a heard from;  geo  a raion                (data calls)
 *     fu    a 'repeat' or 'first' (a later call of a case, or a caller
 *           who said so)                               (data calls)
 *     cb    a callback '1'/'0'/'', b the call's id when a call-back was
 *           agreed in a case (whether it was done is read from the
 *           case's later calls when the table is made)  (data calls)
 *     case  a the case id                              (data calls)
 *     a.<step>  a the answer as stored (a multiple choice's codes as
 *           one value; the report splits it), b the call's topic, risk,
 *           or country ('UA-occupied' for Ukraine and an occupied raion),
 *           as that step's table needs
 *     made, rec, both  a org, b service: referrals made, recommended,
 *           and recommended and made             (data calls)
 *     idr   a risk, b the call's id, c org \x1f service: referrals of
 *           possible and likely calls (the identification table counts
 *           each call once per group, the group from the directory as
 *           it is now)
 *   k is the key a trigger selects a call's rows by (answer step, or
 *   org \x1f service).
 * - Triggers add a call's contribution after a change and take it away
 *   before one, in the same transaction as the change: calls (insert,
 *   delete, and updates of the columns the facets read: the UTC date and
 *   hour of started_at, not its minutes), answers of the six steps,
 *   referrals, recommendations, a case's code or status, and an
 *   organisation's kind. AFTER INSERT only, never BEFORE INSERT: an
 *   INSERT .. ON CONFLICT fires BEFORE INSERT and then an UPDATE or
 *   nothing at all. The one exception: the call-backs of the other calls
 *   of a case a new call joins (cb: done once a later call is final) are
 *   taken away BEFORE INSERT on calls, which are only ever inserted with
 *   a plain INSERT (calls.c, calls_bulk.c); keep it so.
 *   Changing an organisation's kind or national flag recounts every call
 *   (it reads them all: rare, and done outside working hours).
 *   Answers must not be written with INSERT OR REPLACE: the row it
 *   replaces is deleted without a trigger (recursive_triggers is off);
 *   use ON CONFLICT DO UPDATE (desk_fix.c does).
 *   A row whose count falls to 0 is deleted.
 * - The migration counts every stored call (23 minutes on a busy shared
 *   two-core machine at a million calls, 3 of them CPU; 5% more file:
 *   doc/deployment.md). `dovira check` recounts
 *   a sample of days (all with --full) and names any that differ
 *   (report_check_days).
 */
#ifndef DOVIRA_SCHEMA_REPORTAGG_H
#define DOVIRA_SCHEMA_REPORTAGG_H

/* Summer time (UTC+3) from 01:00 UTC on the last Sunday of March to
 * 01:00 UTC on the last Sunday of October. */
#define RA_KYIV_SHIFT(S) \
	"CASE WHEN " S " >= date(substr(" S ", 1, 4) || '-03-25', 'weekday 0') || 'T01:00:00Z'" \
	" AND " S " < date(substr(" S ", 1, 4) || '-10-25', 'weekday 0') || 'T01:00:00Z'" \
	" THEN '+3 hours' ELSE '+2 hours' END"

/* The areas flagged PLACE_OCCUPIED in places.c. */
#define RA_OCCUPIED "('berdianskyi','melitopolskyi','polohivskyi','vasylivskyi','occupied')"
#define RA_STEPS "('consult_purpose','red_flags','channel','exploitation','control','recruiter')"
#define RA_REF_KEY(T) T ".org_id || char(31) || " T ".service"
#define RA_AT_RISK " AND kind = 'data' AND risk IN ('possible','likely')"

/* The identification table's group of a referral R to organisation O:
 * the status procedure, the police, a national line, or none. */
#define RA_GROUP(R, O) "CASE WHEN " R ".service = 'status' THEN 'status' WHEN " O ".kind = 'police' THEN 'police'" \
	" WHEN " O ".kind = 'hotline' AND " O ".national = 1 THEN 'national-line' END"
#define RA_HAS_GROUP(ID, G, EXCEPT) "EXISTS (SELECT 1 FROM referrals r JOIN orgs o ON o.id = r.org_id" \
	" WHERE r.call_id = " ID " AND " RA_GROUP("r", "o") " = " G EXCEPT ")"

/* A repeat contact (a later call of a case, or a caller who said so),
 * and the status of the call's case, of report_calls C. */
#define RA_FU(C) "CASE WHEN " C ".case_id IS NOT NULL AND " C ".case_code <> (SELECT k.code FROM cases k" \
	" WHERE k.id = " C ".case_id) THEN 'repeat' WHEN " C ".heard_from = 'repeat' THEN 'repeat' ELSE 'first' END"
#define RA_CASE_STATUS(C) "(SELECT k.status FROM cases k WHERE k.id = " C ".case_id)"

/* What a call contributes, and to which counts. */
#define RA_COLS "id, facet, day, office, ver, a, b, c, k"
#define RA_CALL(F, A, B, C, WHERE) \
	" SELECT id, '" F "', day, office, ver, " A ", " B ", " C ", NULL FROM report_calls" WHERE
#define RA_DATA " WHERE kind = 'data'"

#define SCHEMA_REPORTAGG_VIEWS \
	"CREATE VIEW report_calls AS SELECT id, +office AS office, +script_version AS ver, +script_id AS script_id," \
	" +kind AS kind, +topic AS topic, +caller_role AS caller_role, +gender AS gender, +age_band AS age_band," \
	" +raion AS raion, +country AS country, +heard_from AS heard_from, +risk AS risk, +callback AS callback," \
	" +case_id AS case_id, +case_code AS case_code, +duration_s AS duration_s, +started_at AS started_at," \
	" coalesce(substr(lt, 1, 10), substr(started_at, 1, 10)) AS day," \
	" CASE WHEN strftime('%w', lt) IN ('0','6') OR substr(lt, 12, 2) < '09' OR substr(lt, 12, 2) >= '18'" \
	" THEN '1' ELSE '0' END AS outside" \
	" FROM (SELECT *, datetime(started_at, " RA_KYIV_SHIFT("started_at") ") AS lt FROM calls" \
	" WHERE +status = 'final' AND +kind <> 'test');" \
	"CREATE VIEW report_cb_facts(" RA_COLS ") AS" \
	RA_CALL("cb", "CASE WHEN callback = 1 AND case_id IS NOT NULL AND EXISTS (SELECT 1 FROM calls d" \
		" WHERE d.case_id = report_calls.case_id AND d.started_at > report_calls.started_at AND d.status = 'final')" \
		" THEN 'done' WHEN callback = 1 THEN 'agreed' WHEN callback = 0 THEN 'not-agreed' ELSE '' END", \
		"''", "''", RA_DATA) ";" \
	"CREATE VIEW report_answer_facts(" RA_COLS ") AS" \
	" SELECT c.id, 'a.' || a.step, c.day, c.office, c.ver, a.value," \
	" CASE a.step WHEN 'consult_purpose' THEN coalesce(c.topic, '') WHEN 'exploitation' THEN" \
	"  CASE WHEN c.country = 'UA' AND c.raion IN " RA_OCCUPIED " THEN 'UA-occupied' ELSE coalesce(c.country, '') END" \
	"  WHEN 'control' THEN coalesce(c.risk, '') WHEN 'recruiter' THEN coalesce(c.risk, '') ELSE '' END, '', a.step" \
	" FROM report_calls c JOIN answers a ON a.call_id = c.id AND a.step IN " RA_STEPS " WHERE c.kind = 'data';" \
	"CREATE VIEW report_ref_facts(" RA_COLS ") AS" \
	" SELECT c.id, 'made', c.day, c.office, c.ver, r.org_id, r.service, '', " RA_REF_KEY("r") \
	" FROM report_calls c JOIN referrals r ON r.call_id = c.id WHERE c.kind = 'data' UNION ALL" \
	" SELECT c.id, 'both', c.day, c.office, c.ver, r.org_id, r.service, '', " RA_REF_KEY("r") \
	" FROM report_calls c JOIN referrals r ON r.call_id = c.id JOIN recommendations m ON m.call_id = r.call_id" \
	" AND m.org_id = r.org_id AND m.service = r.service WHERE c.kind = 'data';" \
	"CREATE VIEW report_rec_facts(" RA_COLS ") AS" \
	" SELECT c.id, 'rec', c.day, c.office, c.ver, m.org_id, m.service, '', " RA_REF_KEY("m") \
	" FROM report_calls c JOIN recommendations m ON m.call_id = c.id WHERE c.kind = 'data' UNION ALL" \
	" SELECT c.id, 'both', c.day, c.office, c.ver, m.org_id, m.service, '', " RA_REF_KEY("m") \
	" FROM report_calls c JOIN recommendations m ON m.call_id = c.id JOIN referrals r ON r.call_id = m.call_id" \
	" AND r.org_id = m.org_id AND r.service = m.service WHERE c.kind = 'data';" \
	"CREATE VIEW report_facts(" RA_COLS ") AS" \
	" SELECT c.id, f.column1, c.day, c.office, c.ver," \
	" CASE f.column1 WHEN 'vol' THEN c.kind WHEN 'dur' THEN CAST(coalesce(c.duration_s, 0) AS TEXT)" \
	"  WHEN 'tk' THEN c.topic WHEN 'rga' THEN coalesce(c.risk, '') WHEN 'hf' THEN coalesce(c.heard_from, '')" \
	"  WHEN 'geo' THEN coalesce(c.raion, '') WHEN 'case' THEN c.case_id WHEN 'idg' THEN c.risk" \
	"  WHEN 'fu' THEN " RA_FU("c") \
	"  ELSE coalesce(c.topic, '') END," \
	" CASE f.column1 WHEN 'vol' THEN c.outside WHEN 'tc' THEN coalesce(c.caller_role, '') WHEN 'tk' THEN coalesce(c.country, '')" \
	"  WHEN 'tr' THEN coalesce(c.risk, '') WHEN 'rga' THEN coalesce(c.gender, '') WHEN 'idg' THEN f.column2" \
	"  WHEN 'case' THEN " RA_CASE_STATUS("c") " ELSE '' END," \
	" CASE f.column1 WHEN 'vol' THEN c.script_id WHEN 'rga' THEN coalesce(c.age_band, '') ELSE '' END, NULL" \
	" FROM report_calls c, (VALUES ('vol', ''), ('dur', ''), ('tc', ''), ('tk', ''), ('tr', ''), ('rga', ''), ('hf', '')," \
	"  ('geo', ''), ('fu', ''), ('case', ''), ('idg', 'status'), ('idg', 'police'), ('idg', 'national-line')) f" \
	" WHERE (f.column1 IN ('vol', 'dur') OR c.kind = 'data')" \
	" AND (f.column1 <> 'tk' OR c.topic IN ('consult','offer'))" \
	" AND (f.column1 <> 'case' OR c.case_id IS NOT NULL)" \
	" AND (f.column1 <> 'idg' OR (c.risk IN ('possible','likely') AND " RA_HAS_GROUP("c.id", "f.column2", "") "))" \
	" UNION ALL SELECT * FROM report_cb_facts UNION ALL SELECT * FROM report_answer_facts UNION ALL" \
	" SELECT c.id, 'made', c.day, c.office, c.ver, r.org_id, r.service, '', " RA_REF_KEY("r") \
	" FROM report_calls c JOIN referrals r ON r.call_id = c.id WHERE c.kind = 'data' UNION ALL" \
	" SELECT * FROM report_rec_facts;"

/* Add N for each row of SRC (facet, day, office, ver, a, b, c) to its
 * day's count and to its month's (facet 'F:m', day 'YYYY-MM'; not for
 * the cases, which a period counts once however many days they span). */
#define RA_ADD(N, SRC) \
	" INSERT INTO report_days(facet, day, office, ver, a, b, c, n)" \
	" SELECT CASE WHEN m.m THEN s.facet || ':m' ELSE s.facet END, CASE WHEN m.m THEN substr(s.day, 1, 7) ELSE s.day END," \
	" s.office, s.ver, s.a, s.b, s.c, sum(" N ") FROM (" SRC ") s, (SELECT 0 AS m UNION ALL SELECT 1) m" \
	" WHERE NOT (m.m AND s.facet = 'case') GROUP BY 1, 2, 3, 4, 5, 6, 7 ON CONFLICT DO UPDATE SET n = n + excluded.n;"
/* Add (SIGN "") or take away (SIGN "-") the contributions of VIEW that
 * WHERE selects. */
#define RA_APPLY_FROM(VIEW, SIGN, WHERE) \
	RA_ADD(SIGN "1", "SELECT facet, day, office, ver, a, b, c FROM " VIEW " WHERE " WHERE)
#define RA_APPLY(SIGN, WHERE) RA_APPLY_FROM("report_facts", SIGN, WHERE)
/* The identification groups of call ID: the group of the referral T
 * (NEW or OLD) counts when no other referral of the call is in it. */
#define RA_IDG_DELTA(SIGN, T) RA_ADD(SIGN "1", "SELECT 'idg' AS facet, day, office, ver, risk AS a, g AS b, '' AS c" \
	" FROM report_calls, (SELECT " RA_GROUP(T, "o") " AS g FROM orgs o WHERE o.id = " T ".org_id)" \
	" WHERE id = " T ".call_id" RA_AT_RISK " AND g IS NOT NULL AND NOT " \
	RA_HAS_GROUP(T ".call_id", "g", " AND NOT (r.org_id = " T ".org_id AND r.service = " T ".service)"))
/* The call-backs of the other calls of a case (ID) besides call SELF:
 * one is done once a later call of its case is final. */
#define RA_CASE_CB(SIGN, CASES, SELF) RA_APPLY_FROM("report_cb_facts", SIGN, "id IN (SELECT x.id FROM calls x" \
	" WHERE x.case_id IN " CASES " AND x.id IS NOT " SELF ")")

/* The repeat contacts and cases of the calls of case T (OLD or NEW):
 * straight from report_calls by id (through report_facts an IN list of
 * ids would read every call). */
#define RA_CASE_CALLS(SIGN, T) RA_ADD(SIGN "1", \
	"SELECT 'fu' AS facet, c.day, c.office, c.ver, " RA_FU("c") " AS a, '' AS b, '' AS c FROM report_calls c" \
	" WHERE c.id IN (SELECT x.id FROM calls x WHERE x.case_id = " T ".id) AND c.kind = 'data' UNION ALL" \
	" SELECT 'case', c.day, c.office, c.ver, c.case_id, " RA_CASE_STATUS("c") ", '' FROM report_calls c" \
	" WHERE c.id IN (SELECT x.id FROM calls x WHERE x.case_id = " T ".id) AND c.kind = 'data'")

/* The columns of calls the facets read, and whether an update changed
 * what they read. */
#define RA_CALL_COLS "status, kind, office, script_version, script_id, topic, caller_role, gender, age_band," \
	" raion, country, heard_from, risk, callback, case_id, case_code, duration_s, started_at, id"
#define RA_CHANGED(X) "OLD." X " IS NOT NEW." X
/* An update of an answer that changes what it counts for (migrations 12
 * and 17). */
#define RA_ANSWER_CHANGED " AND (" RA_CHANGED("call_id") " OR " RA_CHANGED("step") " OR " RA_CHANGED("value") ")"
#define RA_CALL_CHANGED \
	"(" RA_CHANGED("status") " OR " RA_CHANGED("kind") " OR " RA_CHANGED("office") " OR " RA_CHANGED("script_version") \
	" OR " RA_CHANGED("script_id") " OR " RA_CHANGED("topic") " OR " RA_CHANGED("caller_role") " OR " RA_CHANGED("gender") \
	" OR " RA_CHANGED("age_band") " OR " RA_CHANGED("raion") " OR " RA_CHANGED("country") " OR " RA_CHANGED("heard_from") \
	" OR " RA_CHANGED("risk") " OR " RA_CHANGED("callback") " OR " RA_CHANGED("case_id") " OR " RA_CHANGED("case_code") \
	" OR " RA_CHANGED("duration_s") " OR " RA_CHANGED("id") \
	" OR substr(OLD.started_at, 1, 13) IS NOT substr(NEW.started_at, 1, 13)" \
	" OR (OLD.case_id IS NOT NULL AND " RA_CHANGED("started_at") "))"
#define RA_CASE_CHANGED "(OLD.case_id IS NOT NULL OR NEW.case_id IS NOT NULL) AND (" RA_CHANGED("status") \
	" OR " RA_CHANGED("case_id") " OR " RA_CHANGED("started_at") " OR " RA_CHANGED("id") ")"
#define RA_COUNTED(R) R ".status = 'final' AND " R ".kind <> 'test'"

#define SCHEMA_REPORTAGG_TRIGGERS \
	"CREATE TRIGGER report_days_zero AFTER UPDATE OF n ON report_days WHEN NEW.n = 0 BEGIN" \
	" DELETE FROM report_days WHERE facet = NEW.facet AND day = NEW.day AND office = NEW.office" \
	" AND ver = NEW.ver AND a = NEW.a AND b = NEW.b AND c = NEW.c; END;" \
	"CREATE TRIGGER report_calls_ai AFTER INSERT ON calls WHEN " RA_COUNTED("NEW") " BEGIN" \
	RA_APPLY("", "id = NEW.id") " END;" \
	"CREATE TRIGGER report_calls_bd BEFORE DELETE ON calls WHEN " RA_COUNTED("OLD") " BEGIN" \
	RA_APPLY("-", "id = OLD.id") " END;" \
	"CREATE TRIGGER report_calls_bu BEFORE UPDATE OF " RA_CALL_COLS " ON calls WHEN " RA_COUNTED("OLD") \
	" AND " RA_CALL_CHANGED " BEGIN" RA_APPLY("-", "id = OLD.id") " END;" \
	"CREATE TRIGGER report_calls_au AFTER UPDATE OF " RA_CALL_COLS " ON calls WHEN " RA_COUNTED("NEW") \
	" AND " RA_CALL_CHANGED " BEGIN" RA_APPLY("", "id = NEW.id") " END;" \
	"CREATE TRIGGER report_case_bi BEFORE INSERT ON calls WHEN NEW.case_id IS NOT NULL BEGIN" \
	RA_CASE_CB("-", "(NEW.case_id)", "NEW.id") " END;" \
	"CREATE TRIGGER report_case_ai AFTER INSERT ON calls WHEN NEW.case_id IS NOT NULL BEGIN" \
	RA_CASE_CB("", "(NEW.case_id)", "NEW.id") " END;" \
	"CREATE TRIGGER report_case_bd BEFORE DELETE ON calls WHEN OLD.case_id IS NOT NULL BEGIN" \
	RA_CASE_CB("-", "(OLD.case_id)", "OLD.id") " END;" \
	"CREATE TRIGGER report_case_ad AFTER DELETE ON calls WHEN OLD.case_id IS NOT NULL BEGIN" \
	RA_CASE_CB("", "(OLD.case_id)", "OLD.id") " END;" \
	"CREATE TRIGGER report_case_bu BEFORE UPDATE OF status, case_id, started_at, id ON calls WHEN " RA_CASE_CHANGED " BEGIN" \
	RA_CASE_CB("-", "(OLD.case_id, NEW.case_id)", "OLD.id") " END;" \
	"CREATE TRIGGER report_case_au AFTER UPDATE OF status, case_id, started_at, id ON calls WHEN " RA_CASE_CHANGED " BEGIN" \
	RA_CASE_CB("", "(OLD.case_id, NEW.case_id)", "NEW.id") " END;" \
	"CREATE TRIGGER report_answers_ai AFTER INSERT ON answers WHEN NEW.step IN " RA_STEPS " BEGIN" \
	RA_APPLY_FROM("report_answer_facts", "", "id = NEW.call_id AND k = NEW.step") " END;" \
	"CREATE TRIGGER report_answers_bd BEFORE DELETE ON answers WHEN OLD.step IN " RA_STEPS " BEGIN" \
	RA_APPLY_FROM("report_answer_facts", "-", "id = OLD.call_id AND k = OLD.step") " END;" \
	"CREATE TRIGGER report_answers_bu BEFORE UPDATE OF call_id, step, value ON answers" \
	" WHEN OLD.step IN " RA_STEPS RA_ANSWER_CHANGED " BEGIN" \
	RA_APPLY_FROM("report_answer_facts", "-", "id = OLD.call_id AND k = OLD.step") " END;" \
	"CREATE TRIGGER report_answers_au AFTER UPDATE OF call_id, step, value ON answers" \
	" WHEN NEW.step IN " RA_STEPS RA_ANSWER_CHANGED " BEGIN" \
	RA_APPLY_FROM("report_answer_facts", "", "id = NEW.call_id AND k = NEW.step") " END;" \
	"CREATE TRIGGER report_referrals_ai AFTER INSERT ON referrals BEGIN" \
	RA_APPLY_FROM("report_ref_facts", "", "id = NEW.call_id AND k = " RA_REF_KEY("NEW")) \
	RA_IDG_DELTA("", "NEW") " END;" \
	"CREATE TRIGGER report_referrals_bd BEFORE DELETE ON referrals BEGIN" \
	RA_APPLY_FROM("report_ref_facts", "-", "id = OLD.call_id AND k = " RA_REF_KEY("OLD")) \
	RA_IDG_DELTA("-", "OLD") " END;" \
	"CREATE TRIGGER report_referrals_bu BEFORE UPDATE OF call_id, org_id, service ON referrals BEGIN" \
	RA_APPLY_FROM("report_ref_facts", "-", "id = OLD.call_id AND k = " RA_REF_KEY("OLD")) \
	RA_IDG_DELTA("-", "OLD") " END;" \
	"CREATE TRIGGER report_referrals_au AFTER UPDATE OF call_id, org_id, service ON referrals BEGIN" \
	RA_APPLY_FROM("report_ref_facts", "", "id = NEW.call_id AND k = " RA_REF_KEY("NEW")) \
	RA_IDG_DELTA("", "NEW") " END;" \
	"CREATE TRIGGER report_recs_ai AFTER INSERT ON recommendations BEGIN" \
	RA_APPLY_FROM("report_rec_facts", "", "id = NEW.call_id AND k = " RA_REF_KEY("NEW")) " END;" \
	"CREATE TRIGGER report_recs_bd BEFORE DELETE ON recommendations BEGIN" \
	RA_APPLY_FROM("report_rec_facts", "-", "id = OLD.call_id AND k = " RA_REF_KEY("OLD")) " END;" \
	"CREATE TRIGGER report_recs_bu BEFORE UPDATE OF call_id, org_id, service ON recommendations BEGIN" \
	RA_APPLY_FROM("report_rec_facts", "-", "id = OLD.call_id AND k = " RA_REF_KEY("OLD")) " END;" \
	"CREATE TRIGGER report_recs_au AFTER UPDATE OF call_id, org_id, service ON recommendations BEGIN" \
	RA_APPLY_FROM("report_rec_facts", "", "id = NEW.call_id AND k = " RA_REF_KEY("NEW")) " END;" \
	"CREATE TRIGGER report_cases_bu BEFORE UPDATE OF id, code, status ON cases" \
	" WHEN " RA_CHANGED("id") " OR " RA_CHANGED("code") " OR " RA_CHANGED("status") " BEGIN" \
	RA_CASE_CALLS("-", "OLD") " END;" \
	"CREATE TRIGGER report_cases_au AFTER UPDATE OF id, code, status ON cases" \
	" WHEN " RA_CHANGED("id") " OR " RA_CHANGED("code") " OR " RA_CHANGED("status") " BEGIN" \
	RA_CASE_CALLS("", "NEW") " END;" \
	"CREATE TRIGGER report_orgs_bu BEFORE UPDATE OF id, kind, national ON orgs" \
	" WHEN " RA_CHANGED("id") " OR " RA_CHANGED("kind") " OR " RA_CHANGED("national") " BEGIN" \
	RA_APPLY("-", "facet = 'idg' AND id IN (SELECT r.call_id FROM referrals r WHERE r.org_id = OLD.id)") " END;" \
	"CREATE TRIGGER report_orgs_au AFTER UPDATE OF id, kind, national ON orgs" \
	" WHEN " RA_CHANGED("id") " OR " RA_CHANGED("kind") " OR " RA_CHANGED("national") " BEGIN" \
	RA_APPLY("", "facet = 'idg' AND id IN (SELECT r.call_id FROM referrals r WHERE r.org_id = NEW.id)") " END;"

/* The migration: the table, the views, every stored call counted by day
 * and then by month, the triggers. */
#define SCHEMA_REPORTAGG \
	"CREATE TABLE report_days(" \
	" facet TEXT NOT NULL, day TEXT NOT NULL, office TEXT NOT NULL, ver TEXT NOT NULL," \
	" a TEXT NOT NULL, b TEXT NOT NULL, c TEXT NOT NULL, n INTEGER NOT NULL," \
	" PRIMARY KEY (facet, day, office, ver, a, b, c)" \
	") STRICT, WITHOUT ROWID;" \
	SCHEMA_REPORTAGG_VIEWS \
	"INSERT INTO report_days(facet, day, office, ver, a, b, c, n)" \
	" SELECT facet, day, office, ver, a, b, c, count(*) FROM report_facts GROUP BY facet, day, office, ver, a, b, c;" \
	"INSERT INTO report_days(facet, day, office, ver, a, b, c, n)" \
	" SELECT facet || ':m', substr(day, 1, 7), office, ver, a, b, c, sum(n) FROM report_days WHERE facet <> 'case'" \
	" GROUP BY facet, substr(day, 1, 7), office, ver, a, b, c;" \
	SCHEMA_REPORTAGG_TRIGGERS

#endif

/* schema_reportday.h: answers and referrals carry their call's day, so
 * that a report reads a day's answers to one step as one range of an
 * index (issue 8, item 1). Owned by the report module (report*.c).
 *
 * A year's table joined each call of the period to its answer by the
 * primary key (call_id, step): call ids are random UUIDs, so each call
 * was a seek to a random page of the whole table (seconds at a million
 * calls). answers_day and referrals_day are led by the day (the UTC date
 * of the call's started_at, "YYYY-MM-DD"), then the call: the report
 * reads a day of calls at a time, and all that day's answers to a step
 * sit on a few neighbouring pages.
 *
 * - day is set by the writers (calls.c, calls_bulk.c) in the INSERT
 *   itself; the triggers fill it for any other insert (desk corrections)
 *   and follow a call whose date changes. Retention's coarsening to the
 *   hour never changes the date, so it never fires them.
 * - The migration fills day for existing rows in the primary key's order
 *   (the calls lookups then walk the id index in order too).
 * - recommendations: the referrals the script recommended for a final
 *   call (those the directory could back: recommend.h), as the desk's
 *   assessment found them when the call was finished or last corrected
 *   (desk_assess_store; demo through bulk.h), so that the referrals table
 *   counts recommended, made, and recommended but not made. Calls
 *   finished before this migration have none stored.
 * - calls_case_time: the follow-ups table asks, for each call of a case,
 *   whether a later final call joined the case; calls_case found the
 *   case's calls but fetched each row (notes and all) for its time.
 */
#ifndef DOVIRA_SCHEMA_REPORTDAY_H
#define DOVIRA_SCHEMA_REPORTDAY_H

/* The day of the call whose id is the SQL expression ID. */
#define REPORT_DAY_OF(ID) "(SELECT substr(started_at, 1, 10) FROM calls WHERE id = " ID ")"

#define SCHEMA_REPORTDAY \
	"ALTER TABLE answers ADD COLUMN day TEXT;" \
	"ALTER TABLE referrals ADD COLUMN day TEXT;" \
	"CREATE TABLE recommendations(" \
	" call_id TEXT NOT NULL REFERENCES calls(id) ON DELETE CASCADE," \
	" org_id TEXT NOT NULL REFERENCES orgs(id)," \
	" service TEXT NOT NULL," \
	" day TEXT," \
	" PRIMARY KEY (call_id, org_id, service)" \
	") STRICT, WITHOUT ROWID;" \
	"CREATE INDEX recommendations_day ON recommendations(day, call_id, org_id, service);" \
	"CREATE INDEX recommendations_org ON recommendations(org_id);" \
	"CREATE INDEX calls_case_time ON calls(case_id, started_at, status) WHERE case_id IS NOT NULL;" \
	"UPDATE answers SET day = " REPORT_DAY_OF("answers.call_id") ";" \
	"UPDATE referrals SET day = " REPORT_DAY_OF("referrals.call_id") ";" \
	"CREATE INDEX answers_day ON answers(step, day, call_id, value);" \
	"CREATE INDEX referrals_day ON referrals(day, call_id, org_id, service, recommended);" \
	"CREATE TRIGGER answers_day_ai AFTER INSERT ON answers WHEN NEW.day IS NULL BEGIN" \
	" UPDATE answers SET day = " REPORT_DAY_OF("NEW.call_id") " WHERE call_id = NEW.call_id AND step = NEW.step; END;" \
	"CREATE TRIGGER referrals_day_ai AFTER INSERT ON referrals WHEN NEW.day IS NULL BEGIN" \
	" UPDATE referrals SET day = " REPORT_DAY_OF("NEW.call_id") \
	" WHERE call_id = NEW.call_id AND org_id = NEW.org_id AND service = NEW.service; END;" \
	"CREATE TRIGGER recommendations_day_ai AFTER INSERT ON recommendations WHEN NEW.day IS NULL BEGIN" \
	" UPDATE recommendations SET day = " REPORT_DAY_OF("NEW.call_id") \
	" WHERE call_id = NEW.call_id AND org_id = NEW.org_id AND service = NEW.service; END;" \
	"CREATE TRIGGER calls_day_au AFTER UPDATE OF started_at ON calls" \
	" WHEN substr(NEW.started_at, 1, 10) IS NOT substr(OLD.started_at, 1, 10) BEGIN" \
	" UPDATE answers SET day = substr(NEW.started_at, 1, 10) WHERE call_id = NEW.id;" \
	" UPDATE referrals SET day = substr(NEW.started_at, 1, 10) WHERE call_id = NEW.id;" \
	" UPDATE recommendations SET day = substr(NEW.started_at, 1, 10) WHERE call_id = NEW.id; END;"

#endif

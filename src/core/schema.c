/* schema.c: the database schema, one migration per version.
 *
 * migration[i] takes a database from user_version i to i+1; db.c runs each
 * in its own transaction. Never edit a migration that has shipped: add the
 * next one. Tables are STRICT; the schema has no column for a caller's
 * name, telephone number, address, date of birth or document number (see
 * DESIGN.md, "Records are anonymous by construction").
 */
#include "config.h"

#include "schema.h"
#include "schema_audit.h"
#include "schema_orgstate.h"
#include "schema_reports.h"
#include "schema_reportday.h"
#include "schema_reportagg.h"
#include "schema_reportcase.h"
#include "schema_desk.h"
#include "schema_redact_search.h"
#include "schema_deskperf.h"
#include "schema_searchlog.h"
#include "schema_serverperf.h"
#include "schema_savegroup.h"
#include "schema_indexaudit.h"
#include "schema_reportredo.h"
#include "schema_reportmoc.h"
#include "schema_auditrecords.h"

static const char v1[] =
	"CREATE TABLE staff("
	" login TEXT PRIMARY KEY,"
	" role TEXT NOT NULL CHECK (role IN ('operator','supervisor','admin')),"
	" active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0,1)),"
	" added_at TEXT NOT NULL,"
	" added_by TEXT NOT NULL"
	") STRICT;"

	/* The directory of support organisations. Area and service lists are
	 * space-separated codes; verified_on NULL means unverified. */
	"CREATE TABLE orgs("
	" id TEXT PRIMARY KEY CHECK (id GLOB '[a-z0-9]*' AND length(id) <= 40),"
	" name_uk TEXT NOT NULL CHECK (length(name_uk) > 0),"
	" name_en TEXT NOT NULL CHECK (length(name_en) > 0),"
	" kind TEXT NOT NULL CHECK (kind IN ('state','social','ngo','hotline','police','legal_aid','health','shelter')),"
	" services TEXT NOT NULL,"
	" areas TEXT NOT NULL,"
	" operates_in TEXT,"
	" relocated_from TEXT,"
	" address TEXT,"
	" phones TEXT,"
	" hours TEXT,"
	" serves TEXT,"
	" age_min INTEGER,"
	" age_max INTEGER,"
	" languages TEXT,"
	" notes TEXT,"
	" source TEXT NOT NULL,"
	" verified_on TEXT,"
	" national INTEGER NOT NULL DEFAULT 0 CHECK (national IN (0,1)),"
	" retired INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0,1)),"
	" updated_at TEXT NOT NULL"
	") STRICT;"

	/* One call. Coded fields only; notes are stored after redaction. */
	"CREATE TABLE calls("
	" id TEXT PRIMARY KEY CHECK (length(id) = 36),"
	" case_code TEXT NOT NULL UNIQUE,"
	" started_at TEXT NOT NULL,"
	" ended_at TEXT,"
	" duration_s INTEGER CHECK (duration_s >= 0),"
	" operator TEXT NOT NULL REFERENCES staff(login),"
	" office TEXT NOT NULL,"
	" script_id TEXT NOT NULL,"
	" script_version TEXT NOT NULL,"
	" status TEXT NOT NULL CHECK (status IN ('draft','final')),"
	" version INTEGER NOT NULL DEFAULT 1,"
	" kind TEXT NOT NULL DEFAULT 'data' CHECK (kind IN ('data','silent','hangup','abusive','wrong_number','test')),"
	" topic TEXT,"
	" caller_role TEXT,"
	" gender TEXT,"
	" age_band TEXT,"
	" raion TEXT,"
	" country TEXT,"
	" language TEXT,"
	" heard_from TEXT,"
	" risk TEXT CHECK (risk IN ('none','possible','likely')),"
	" outcome TEXT,"
	" callback INTEGER CHECK (callback IN (0,1)),"
	" notes TEXT,"
	" step TEXT,"
	" updated_at TEXT NOT NULL"
	") STRICT;"
	"CREATE INDEX calls_started ON calls(started_at);"
	"CREATE INDEX calls_status ON calls(status, operator);"
	"CREATE INDEX calls_raion ON calls(raion);"
	"CREATE INDEX calls_topic ON calls(topic);"
	"CREATE INDEX calls_gender ON calls(gender);"
	"CREATE INDEX calls_age ON calls(age_band);"
	"CREATE INDEX calls_country ON calls(country);"
	"CREATE INDEX calls_risk ON calls(risk);"
	"CREATE INDEX calls_outcome ON calls(outcome);"

	/* Answers to script steps that are not core columns. */
	"CREATE TABLE answers("
	" call_id TEXT NOT NULL REFERENCES calls(id) ON DELETE CASCADE,"
	" step TEXT NOT NULL,"
	" value TEXT NOT NULL,"
	" PRIMARY KEY (call_id, step)"
	") STRICT, WITHOUT ROWID;"

	"CREATE TABLE referrals("
	" call_id TEXT NOT NULL REFERENCES calls(id) ON DELETE CASCADE,"
	" org_id TEXT NOT NULL REFERENCES orgs(id),"
	" service TEXT NOT NULL,"
	" recommended INTEGER NOT NULL DEFAULT 0 CHECK (recommended IN (0,1)),"
	" made_at TEXT NOT NULL,"
	" PRIMARY KEY (call_id, org_id, service)"
	") STRICT, WITHOUT ROWID;"
	"CREATE INDEX referrals_org ON referrals(org_id);"

	/* Append-only: each row carries the hash of the row before it. */
	"CREATE TABLE audit("
	" seq INTEGER PRIMARY KEY,"
	" at TEXT NOT NULL,"
	" actor TEXT NOT NULL,"
	" action TEXT NOT NULL,"
	" object TEXT,"
	" detail TEXT,"
	" prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),"
	" hash TEXT NOT NULL CHECK (length(hash) = 64)"
	") STRICT;"
	"CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
	" BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;"
	"CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
	" BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;"
	"CREATE TRIGGER audit_chain BEFORE INSERT ON audit"
	" WHEN NEW.prev_hash IS NOT coalesce((SELECT hash FROM audit ORDER BY seq DESC LIMIT 1),"
	"  '0000000000000000000000000000000000000000000000000000000000000000')"
	"  OR NEW.seq IS NOT coalesce((SELECT max(seq) FROM audit), 0) + 1"
	" BEGIN SELECT RAISE(ABORT, 'audit row does not continue the chain'); END;";

const char schema_audit_keyed[] = SCHEMA_AUDIT;
const char schema_audit_records[] = SCHEMA_AUDITRECORDS;

const char *const schema_migrations[] = {
	v1,
	SCHEMA_V2,
	SCHEMA_DESK,
	schema_audit_keyed,
	SCHEMA_ORGSTATE,
	SCHEMA_SEARCH_PREFIX4,
	SCHEMA_REPORTS,
	SCHEMA_DESKPERF,
	SCHEMA_SEARCHLOG,
	SCHEMA_SERVERPERF,
	SCHEMA_REPORTDAY,
	SCHEMA_REPORTAGG,
	SCHEMA_SAVEGROUP,
	SCHEMA_REPORTCASE,
	SCHEMA_INDEXAUDIT,
	SCHEMA_REPORTMOC,
	SCHEMA_REPORTREDO,
	schema_audit_records,
};

const int schema_nmigrations = sizeof schema_migrations / sizeof *schema_migrations;

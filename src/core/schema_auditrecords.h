/* schema_auditrecords.h: the directory and the cases checked against
 * the audit (issue 10, item 2; migration 18).
 *
 * Until now `dovira check` compared only the staff table and the final
 * calls with the digests their audited changes recorded: a directory
 * entry's telephone number, or a case's legal hold, changed with SQL
 * passed it. Now every audited change of a directory entry (added,
 * edited, verified, retired, marked not to refer, and each entry an
 * import adds or changes) and of a case (made, its status, owner,
 * call-back, legal hold) records the digest of the row as it left it
 * (audit.c), and the check compares every entry and every case with it
 * (audit_check.c). The check reads those audit rows through these two
 * partial indexes: through audit_object it would read the rows of every
 * call whose id lies between two cases' ids. They hold only the rows
 * with such a digest, a few per entry and case.
 *
 * The upgrade (dbi_audit_records_baseline) records a baseline digest of
 * every entry and case the database holds: what the check compares with
 * until the program next changes them.
 */
#ifndef DOVIRA_SCHEMA_AUDITRECORDS_H
#define DOVIRA_SCHEMA_AUDITRECORDS_H
#define SCHEMA_AUDITRECORDS \
	"CREATE INDEX audit_org ON audit(object, seq) WHERE digest IS NOT NULL AND action GLOB 'org.*';" \
	"CREATE INDEX audit_case ON audit(object, seq) WHERE digest IS NOT NULL AND action IN" \
	" ('case.create', 'case.status', 'case.owner', 'case.due', 'case.hold', 'case.unhold', 'case.baseline');"
#endif

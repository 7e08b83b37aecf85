/* schema.h: private to src/core: the migrations that db.c applies. */
#ifndef DOVIRA_SCHEMA_H
#define DOVIRA_SCHEMA_H

#include "schema_v2.h"

/* schema_migrations[i] takes user_version i to i+1. */
extern const char *const schema_migrations[];
extern const int schema_nmigrations;

/* The migration that makes the audit chain keyed and gives audit rows a
 * record digest (schema_audit.h); db.c runs the audit's upgrade step in
 * the same transaction after it, wherever it sits in the array. */
extern const char schema_audit_keyed[];
/* The migration after which the directory's entries and the cases are
 * checked against the audit (schema_auditrecords.h); db.c records their
 * baseline in the same transaction. */
extern const char schema_audit_records[];

#endif

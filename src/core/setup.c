/* setup.c: a new database's first administrator, and verified backups
 * (setup.h), over db.c, staff.c and audit.c. */
#include "config.h"

#include <stdlib.h>
#include <unistd.h>

#include "dovira/audit.h"
#include "dovira/i18n.h"
#include "dovira/setup.h"
#include "dovira/staff.h"

dv_db *setup_open(const char *path, int flags, const char *login, dv_error *e)
{
	dv_db *db = db_open(path, flags, e);
	if (!db || !db_created(db))
		return db;
	if (!login)
		dv_fail(e, DV_EINTERNAL, _("%s: a new database needs its first administrator"), path);
	if (!login || staff_first_admin(db, login, e)) {
		db_close(db);
		unlink(path);
		return NULL;
	}
	return db;
}

/* Open the finished copy and check that it is whole. */
static int verify_copy(const char *dest, dv_error *e)
{
	dv_db *copy = db_open(dest, DB_OPEN_READONLY, e);
	if (!copy)
		return e->code;
	dv_buf report = {0};
	long rows = 0;
	int code = db_integrity(copy, &report, e);
	if (code == DV_OK)
		code = audit_verify(copy, &report, &rows, e);
	if (code == DV_ECORRUPT)
		dv_fail(e, DV_ECORRUPT, _("%s: the copy failed verification: %s"), dest, report.s ? report.s : "");
	dv_buf_free(&report);
	db_close(copy);
	return code;
}

int setup_backup(dv_db *db, const char *dest, dv_error *e)
{
	if (db_copy(db, dest, e))
		return e->code;
	int code = verify_copy(dest, e);
	if (code)
		unlink(dest);
	return code;
}

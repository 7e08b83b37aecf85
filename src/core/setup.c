/* setup.c: a new database's first administrator, and verified backups
 * (setup.h), over db.c, staff.c and audit.c. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dovira/audit.h"
#include "dovira/i18n.h"
#include "dovira/priv.h"
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

/* The copy is whole: integrity, application id and schema, the audit
 * chain; head receives its last row. */
static int verify_copy(dv_db *copy, const char *dest, audit_head *head, dv_error *e)
{
	dv_buf report = {0};
	long rows = 0;
	int code = db_integrity(copy, &report, e);
	if (code == DV_OK)
		code = db_check_schema(copy, &report, e);
	if (code == DV_OK)
		code = audit_verify_to(copy, NULL, &report, &rows, head, e);
	if (code == DV_ECORRUPT)
		dv_fail(e, DV_ECORRUPT, _("%s: the copy failed verification: %s"), dest, report.s ? report.s : "");
	dv_buf_free(&report);
	return code;
}

/* Verification reads the whole copy on a core for seconds: in a thread
 * of its own at a lower priority (Linux: per thread), so that a writer
 * holding the write lock keeps its core and no writer waits behind it. */
typedef struct verify_job {
	dv_db *copy;
	const char *dest;
	audit_head head;
	dv_error e;
	int code;
} verify_job;

static void *verify_run(void *arg)
{
	verify_job *j = arg;
	if (setpriority(PRIO_PROCESS, 0, 10) != 0)
		errno = 0; /* then at the usual priority */
	j->code = verify_copy(j->copy, j->dest, &j->head, &j->e);
	return NULL;
}

static int verify_aside(dv_db *copy, const char *dest, audit_head *head, dv_error *e)
{
	verify_job j = {copy, dest, {0}, {0}, DV_OK};
	pthread_t th;
	if (pthread_create(&th, NULL, verify_run, &j) != 0)
		return verify_copy(copy, dest, head, e);
	pthread_join(th, NULL);
	*head = j.head;
	if (j.code)
		*e = j.e;
	return j.code;
}

/* Copied as an unnamed file beside dest (db_copy_unnamed), verified, and
 * only then given its name: a backup stopped at any point leaves no file.
 * The copy's head becomes the database's audit anchor. */
int setup_backup(dv_db *db, const char *dest, db_copy_stats *st, dv_error *e)
{
	struct stat sb;
	db_copy_stats local;
	if (!st)
		st = &local;
	priv_drop(); /* the target is the person's: looked at with their rights */
	int exists = lstat(dest, &sb) == 0;
	priv_restore();
	if (exists)
		return dv_fail(e, DV_EINVAL, _("%s: already exists; choose a new file name"), dest);
	const char *slash = strrchr(dest, '/');
	char *dir = slash ? (slash == dest ? xstrdup("/") : xstrndup(dest, (size_t)(slash - dest))) : xstrdup(".");
	int fd = db_copy_unnamed(db, dir, st, e);
	free(dir);
	if (fd < 0)
		return e->code;
	audit_head head;
	dv_db *copy = db_open_copy(db, fd, dest, e);
	int code = copy ? verify_aside(copy, dest, &head, e) : e->code;
	db_close(copy);
	if (!code)
		code = db_link_copy(fd, dest, e);
	db_copy_drop(fd); /* frees the copy unless it was linked */
	return code ? code : audit_anchor_record(db, &head, "backup", e);
}

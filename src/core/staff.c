/* staff.c: identity from the operating system, roles from the staff table. */
#include "config.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dbi.h"
#include "dovira/audit.h"
#include "dovira/i18n.h"
#include "dovira/staff.h"

int staff_whoami(char *out, size_t size)
{
	struct passwd *pw = getpwuid(getuid());
	if (!pw || !pw->pw_name) {
		snprintf(out, size, "uid-%lu", (unsigned long)getuid());
		return -1;
	}
	snprintf(out, size, "%s", pw->pw_name);
	return 0;
}

const char *staff_role_code(staff_role r)
{
	switch (r) {
	case ROLE_OPERATOR: return "operator";
	case ROLE_SUPERVISOR: return "supervisor";
	case ROLE_ADMIN: return "admin";
	default: return "none";
	}
}

const char *staff_role_label(staff_role r)
{
	switch (r) {
	case ROLE_OPERATOR: return _("operator");
	case ROLE_SUPERVISOR: return _("supervisor");
	case ROLE_ADMIN: return _("administrator");
	default: return _("no role");
	}
}

staff_role staff_role_parse(const char *code)
{
	static const staff_role all[] = {ROLE_OPERATOR, ROLE_SUPERVISOR, ROLE_ADMIN};
	for (size_t i = 0; code && i < sizeof all / sizeof *all; i++)
		if (strcmp(code, staff_role_code(all[i])) == 0)
			return all[i];
	return ROLE_NONE;
}

staff_role staff_role_of(dv_db *db, const char *login, dv_error *e)
{
	sqlite3_stmt *st = dbi_prepare(db, "SELECT role FROM staff WHERE login = ?1 AND active = 1", e);
	if (!st)
		return ROLE_NONE;
	dbi_bind_text(st, 1, login);
	staff_role r = ROLE_NONE;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		r = staff_role_parse((const char *)sqlite3_column_text(st, 0));
	else if (rc != SQLITE_DONE)
		dbi_fail(db, rc, _("reading the staff list"), e);
	sqlite3_finalize(st);
	return r;
}

static int login_ok(const char *login)
{
	size_t n = strlen(login);
	if (n < 1 || n > 32 || !strchr("abcdefghijklmnopqrstuvwxyz0123456789", login[0]))
		return 0;
	return strspn(login, "abcdefghijklmnopqrstuvwxyz0123456789._-") == n;
}

static int require_admin(dv_db *db, const char *actor, dv_error *e)
{
	dv_error_clear(e);
	staff_role r = staff_role_of(db, actor, e);
	if (e->code)
		return e->code;
	if (r != ROLE_ADMIN)
		return dv_fail(e, DV_EPERM, _("only an administrator may change the staff list; %s is %s"),
			       actor, staff_role_label(r));
	return DV_OK;
}

/* Insert or update one member, in the caller's transaction. */
static int upsert(dv_db *db, const char *actor, const char *login, staff_role role, dv_error *e)
{
	char at[21];
	dv_utc_iso(dv_now(), at);
	sqlite3_stmt *st = dbi_prepare(db,
		"INSERT INTO staff(login, role, active, added_at, added_by) VALUES (?1, ?2, 1, ?3, ?4)"
		" ON CONFLICT(login) DO UPDATE SET role = excluded.role, active = 1", e);
	if (!st)
		return e->code;
	dbi_bind_text(st, 1, login);
	dbi_bind_text(st, 2, staff_role_code(role));
	dbi_bind_text(st, 3, at);
	dbi_bind_text(st, 4, actor);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return dbi_fail(db, rc, _("saving the staff list"), e);
	return audit_append(db, actor, "staff.add", login, staff_role_code(role), e);
}

int staff_first_admin(dv_db *db, const char *login, dv_error *e)
{
	if (dbi_begin(db, e))
		return e->code;
	if (audit_append(db, login, "db.create", NULL, NULL, e) || upsert(db, login, login, ROLE_ADMIN, e)) {
		dbi_rollback(db);
		return e->code;
	}
	return dbi_commit(db, e);
}

/* The number of active administrators into *n; called inside the
 * transaction of the change it guards, so that two administrators removing
 * each other at once cannot leave none. */
static int count_admins(dv_db *db, long *n, dv_error *e)
{
	*n = 0;
	sqlite3_stmt *st = dbi_prepare(db, "SELECT count(*) FROM staff WHERE role = 'admin' AND active = 1", e);
	if (!st)
		return e->code;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? DV_OK : dbi_fail(db, rc, _("reading the staff list"), e);
}

/* 1 if login may not stop being an administrator (the last one), with the
 * message in *e (removed: by staff remove, else by stepping down); also 1
 * (with *e) if the count cannot be read. */
static int last_admin(dv_db *db, const char *login, int removed, dv_error *e)
{
	long admins;
	if (count_admins(db, &admins, e))
		return 1;
	if (admins > 1)
		return 0;
	if (removed)
		dv_fail(e, DV_EINVAL, _("%s is the last administrator and cannot be removed; add another administrator first"), login);
	else
		dv_fail(e, DV_EINVAL, _("%s is the last administrator and cannot step down; add another administrator first"), login);
	return 1;
}

int staff_add(dv_db *db, const char *actor, const char *login, staff_role role, dv_error *e)
{
	if (!login_ok(login))
		return dv_fail(e, DV_EINVAL, _("'%s' is not a valid login: use 1 to 32 lower-case letters, digits, '.', '_' or '-'"), login);
	if (role == ROLE_NONE)
		return dv_fail(e, DV_EINVAL, _("unknown role; use operator, supervisor or admin"));
	if (require_admin(db, actor, e) || dbi_begin(db, e))
		return e->code;
	if (strcmp(actor, login) == 0 && role != ROLE_ADMIN &&
	    last_admin(db, login, 0, e)) {
		dbi_rollback(db);
		return e->code;
	}
	if (upsert(db, actor, login, role, e)) {
		dbi_rollback(db);
		return e->code;
	}
	return dbi_commit(db, e);
}

/* The checks and the change of staff_remove, in its transaction: who the
 * member is and how many administrators remain are read under the same
 * lock as the write. */
static int remove_member(dv_db *db, const char *actor, const char *login, dv_error *e)
{
	staff_role r = staff_role_of(db, login, e);
	if (e->code)
		return e->code;
	if (r == ROLE_NONE)
		return dv_fail(e, DV_ENOTFOUND, _("%s is not on the staff list"), login);
	if (r == ROLE_ADMIN &&
	    last_admin(db, login, 1, e))
		return e->code;
	sqlite3_stmt *st = dbi_prepare(db, "UPDATE staff SET active = 0 WHERE login = ?1", e);
	if (!st)
		return e->code;
	dbi_bind_text(st, 1, login);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return dbi_fail(db, rc, _("saving the staff list"), e);
	return audit_append(db, actor, "staff.remove", login, NULL, e);
}

int staff_remove(dv_db *db, const char *actor, const char *login, dv_error *e)
{
	if (require_admin(db, actor, e) || dbi_begin(db, e))
		return e->code;
	if (remove_member(db, actor, login, e)) {
		dbi_rollback(db);
		return e->code;
	}
	return dbi_commit(db, e);
}

long staff_list(dv_db *db, const char *actor, staff_member **out, dv_error *e)
{
	*out = NULL;
	dv_error_clear(e);
	staff_role r = staff_role_of(db, actor, e);
	if (e->code)
		return e->code;
	if (!(r & ROLES_SUPERVISION))
		return dv_fail(e, DV_EPERM, _("only a supervisor or an administrator may see the staff list"));
	sqlite3_stmt *st = dbi_prepare(db,
		"SELECT login, role, active, added_at, added_by FROM staff ORDER BY active DESC, login", e);
	if (!st)
		return e->code;
	long n = 0, cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			*out = xrealloc(*out, (size_t)cap * sizeof **out);
		}
		staff_member *m = &(*out)[n++];
		m->login = dbi_col_dup(st, 0);
		m->role = staff_role_parse((const char *)sqlite3_column_text(st, 1));
		m->active = sqlite3_column_int(st, 2);
		m->added_at = dbi_col_dup(st, 3);
		m->added_by = dbi_col_dup(st, 4);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		staff_list_free(*out, n);
		*out = NULL;
		return dbi_fail(db, rc, _("reading the staff list"), e);
	}
	return n;
}

void staff_list_free(staff_member *list, long n)
{
	for (long i = 0; i < n; i++) {
		free(list[i].login);
		free(list[i].added_at);
		free(list[i].added_by);
	}
	free(list);
}

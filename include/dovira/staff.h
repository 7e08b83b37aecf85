/* staff.h: who is using dovira and what their role allows.
 *
 * Identity comes from the operating system: the account that runs the
 * program (getpwuid(getuid()), never $USER), looked up in the staff table.
 * The account that creates a database is its first admin.
 */
#ifndef DOVIRA_STAFF_H
#define DOVIRA_STAFF_H

#include "dovira/db.h"

typedef enum staff_role {
	ROLE_NONE = 0,
	ROLE_OPERATOR = 1 << 0,
	ROLE_SUPERVISOR = 1 << 1,
	ROLE_ADMIN = 1 << 2
} staff_role;

#define ROLES_ALL (ROLE_OPERATOR | ROLE_SUPERVISOR | ROLE_ADMIN)
#define ROLES_SUPERVISION (ROLE_SUPERVISOR | ROLE_ADMIN)

/* The login name of the account running the program, from the password
 * database. Writes at most size bytes to out; returns 0, or -1 if the uid
 * has no entry (then out holds "uid-N"). */
int staff_whoami(char *out, size_t size);

/* "operator", "supervisor", "admin" (untranslated codes, as stored). */
const char *staff_role_code(staff_role r);
/* The translated name of a role, for screens. */
const char *staff_role_label(staff_role r);
/* Parse a role code; ROLE_NONE if unknown. */
staff_role staff_role_parse(const char *code);

/* The active role of login, or ROLE_NONE if absent or removed. */
staff_role staff_role_of(dv_db *db, const char *login, dv_error *e);

/* Make login the first administrator of a database just created (audited
 * "db.create" and "staff.add", in one transaction of its own). For
 * setup_open (setup.h); nothing else needs it. */
int staff_first_admin(dv_db *db, const char *login, dv_error *e);

/* Add login with role, or change the role of an existing member (a removed
 * member comes back). actor must be an admin. Audited. A login must be
 * 1-32 characters of [a-z0-9._-] starting with a letter or digit. */
int staff_add(dv_db *db, const char *actor, const char *login, staff_role role, dv_error *e);

/* Remove login (kept in the table as inactive, so records that name it
 * stay readable). actor must be an admin; the last active admin cannot be
 * removed. Audited. */
int staff_remove(dv_db *db, const char *actor, const char *login, dv_error *e);

typedef struct staff_member {
	char *login;
	staff_role role;
	int active;
	char *added_at; /* UTC ISO 8601 */
	char *added_by;
} staff_member;

/* All members, active first then by login; *out is an array the caller
 * frees with staff_list_free. Returns the count or a negative dv_code.
 * actor must be a supervisor or admin. */
long staff_list(dv_db *db, const char *actor, staff_member **out, dv_error *e);
void staff_list_free(staff_member *list, long n);

#endif

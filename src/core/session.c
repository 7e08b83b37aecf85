/* session.c: open the database for the account running the program. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbi.h"
#include "dovira/i18n.h"
#include "dovira/session.h"
#include "dovira/setup.h"
#include "dovira/settings.h"

dv_session *session_open(const char *path, int flags, dv_error *e)
{
	dv_session *s = xcalloc(1, sizeof *s);
	staff_whoami(s->login, sizeof s->login);
	s->db = setup_open(path, flags, s->login, e);
	if (!s->db)
		goto fail;
	dv_error_clear(e);
	s->role = staff_role_of(s->db, s->login, e);
	if (e->code)
		goto fail;
	if (s->role == ROLE_NONE) {
		dv_fail(e, DV_EUNKNOWN, _("the account '%s' is not on the staff list of %s; an administrator can add it with 'dovira staff add %s --role operator'"),
			s->login, path, s->login);
		goto fail;
	}
	s->db_path = xstrdup(path);
	dv_settings st;
	dv_error ignored; /* without a readable configuration the office is "main" */
	if (settings_load(&st, path, &ignored) == DV_OK)
		snprintf(s->office, sizeof s->office, "%s", st.office);
	else
		snprintf(s->office, sizeof s->office, "main");
	settings_free(&st);
	return s;
fail:
	session_close(s);
	return NULL;
}

void session_close(dv_session *s)
{
	if (!s)
		return;
	db_close(s->db);
	free(s->db_path);
	free(s);
}

/* The account's role now (staff_role_of), from a statement kept prepared:
 * every save reads it inside its write transaction, where a statement
 * prepared afresh (parsed, planned) would hold the other writers back. */
static staff_role role_now(dv_session *s, dv_error *e)
{
	sqlite3_stmt *st = dbi_cached(s->db, DBI_SQL_ROLE_OF, e);
	if (!st)
		return ROLE_NONE;
	dbi_bind_text(st, 1, s->login);
	staff_role r = ROLE_NONE;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		r = staff_role_parse((const char *)sqlite3_column_text(st, 0));
	else if (rc != SQLITE_DONE)
		dbi_fail(s->db, rc, _("reading the staff list"), e);
	sqlite3_reset(st);
	return r;
}

int session_recheck(dv_session *s, dv_error *e)
{
	dv_error local;
	dv_error_clear(&local);
	staff_role r = role_now(s, &local);
	if (local.code) {
		if (e)
			*e = local;
		return local.code;
	}
	s->role = r;
	if (r == ROLE_NONE)
		return dv_fail(e, DV_EUNKNOWN, _("the account '%s' was removed from the staff list; ask an administrator"), s->login);
	return DV_OK;
}

int session_may(const dv_session *s, unsigned roles)
{
	return (s->role & roles) != 0;
}

/* settings.c: the database path and the office name. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dovira/i18n.h"
#include "dovira/priv.h"
#include "dovira/retention.h"
#include "dovira/settings.h"

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	char *end = s + strlen(s);
	while (end > s && strchr(" \t\r\n", end[-1]))
		*--end = '\0';
	return s;
}

/* A number of days: a whole number from 1 to 36500. */
static int read_days(long *out, const char *val, const char *path, int n, const char *key, dv_error *e)
{
	char *end;
	long v = strtol(val, &end, 10);
	if (end == val || *end || v < 1 || v > 36500)
		return dv_fail(e, DV_EINVAL, _("%s:%d: %s must be a number of days from 1 to 36500, not '%s'"), path, n, key, val);
	*out = v;
	return DV_OK;
}

/* A path-valued key must be absolute: the program may run from any
 * directory. */
static int set_path(char **slot, const char *val, const char *path, int n, dv_error *e)
{
	if (*val != '/')
		return dv_fail(e, DV_EINVAL, _("%s:%d: '%s' is not an absolute path"), path, n, val);
	free(*slot);
	*slot = xstrdup(val);
	return DV_OK;
}

/* Read "key = value" lines; unknown keys are errors, so typos show. */
static int read_conf(dv_settings *s, const char *path, dv_error *e)
{
	FILE *f = priv_user_fopen(path, "r");
	if (!f)
		return errno == ENOENT ? DV_OK : dv_fail(e, DV_EIO, _("%s: cannot read: %s"), path, strerror(errno));
	s->conf_path = xstrdup(path);
	char line[1024];
	int n = 0, code = DV_OK;
	while (!code && fgets(line, sizeof line, f)) {
		n++;
		char *l = trim(line), *eq = strchr(l, '=');
		if (*l == '#' || *l == '\0')
			continue;
		if (!eq) {
			code = dv_fail(e, DV_EINVAL, _("%s:%d: expected 'key = value'"), path, n);
			break;
		}
		*eq = '\0';
		char *key = trim(l), *val = trim(eq + 1);
		if (strcmp(key, "db") == 0 && !s->configured_db)
			s->configured_db = xstrdup(val);
		else if (strcmp(key, "office") == 0)
			s->office = (free(s->office), xstrdup(val));
		else if (strcmp(key, "audit_key") == 0 || strcmp(key, "audit_anchors") == 0)
			code = set_path(strcmp(key, "audit_key") == 0 ? &s->audit_key : &s->audit_anchors, val, path, n, e);
		else if (strcmp(key, "run_dir") == 0)
			code = set_path(&s->run_dir, val, path, n, e);
		else if (strcmp(key, "notes_days") == 0 || strcmp(key, "time_detail_days") == 0)
			code = read_days(key[0] == 'n' ? &s->notes_days : &s->time_detail_days, val, path, n, key, e);
		else if (strcmp(key, "db") != 0)
			code = dv_fail(e, DV_EINVAL, _("%s:%d: unknown key '%s' (known: db, office, audit_key, audit_anchors, notes_days, time_detail_days, run_dir)"), path, n, key);
	}
	fclose(f);
	return code;
}

int settings_load(dv_settings *s, const char *db_opt, dv_error *e)
{
	memset(s, 0, sizeof *s);
	s->notes_days = RETENTION_NOTES_DAYS;
	s->time_detail_days = RETENTION_TIME_DETAIL_DAYS;
	const char *env = getenv("DOVIRA_DB");
	if (db_opt && *db_opt)
		s->db_override = xstrdup(db_opt);
	else if (env && *env)
		s->db_override = xstrdup(env);
	const char *conf = getenv("DOVIRA_CONF");
	conf = conf && *conf ? conf : DV_SYSTEM_CONF;
	int code = priv_check_conf(conf, e);
	if (code || (code = read_conf(s, conf, e)) != DV_OK)
		return code;
	if (!s->configured_db && priv_setgid()) {
		/* Installed setgid: the database is the installation's, never
		 * one under the home directory the person controls. */
		s->configured_db = xstrdup(DV_SYSTEM_DB);
	} else if (!s->configured_db) {
		const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
		if (xdg && *xdg == '/')
			s->configured_db = xasprintf("%s/dovira/dovira.db", xdg);
		else
			s->configured_db = xasprintf("%s/.local/share/dovira/dovira.db", home && *home ? home : ".");
	}
	s->db_path = xstrdup(s->db_override ? s->db_override : s->configured_db);
	if (!s->office)
		s->office = xstrdup("main");
	if (!s->run_dir && priv_setgid())
		s->run_dir = xstrdup(DV_SYSTEM_RUN_DIR);
	s->audit_key_own = !s->audit_key;
	if (!s->audit_key)
		s->audit_key = settings_beside(s->db_path, SETTINGS_DEV_KEY);
	if (!s->audit_anchors)
		s->audit_anchors = settings_beside(s->audit_key, SETTINGS_ANCHORS);
	return DV_OK;
}

void settings_free(dv_settings *s)
{
	free(s->db_path);
	free(s->office);
	free(s->conf_path);
	free(s->db_override);
	free(s->configured_db);
	free(s->audit_key);
	free(s->audit_anchors);
	free(s->run_dir);
	memset(s, 0, sizeof *s);
}

int settings_make_db_dir(const char *path, dv_error *e)
{
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	int code = DV_OK;
	if (slash && slash != dir) {
		*slash = '\0';
		for (char *p = dir + 1; *p && !code; p++) {
			if (*p != '/')
				continue;
			*p = '\0';
			if (mkdir(dir, 0700) != 0 && errno != EEXIST)
				code = dv_fail(e, DV_EIO, _("%s: cannot create the directory: %s"), dir, strerror(errno));
			*p = '/';
		}
		if (!code && mkdir(dir, 0700) != 0 && errno != EEXIST)
			code = dv_fail(e, DV_EIO, _("%s: cannot create the directory: %s"), dir, strerror(errno));
	}
	free(dir);
	return code;
}

char *settings_beside(const char *path, const char *name)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return xstrdup(name);
	return xasprintf("%.*s/%s", (int)(slash - path), path, name);
}

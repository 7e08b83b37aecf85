/* settings.h: where the database is and which office this is.
 *
 * The database path is chosen in this order: --db, then $DOVIRA_DB, then
 * the "db" line of the system configuration file (/etc/dovira/dovira.conf
 * unless configured otherwise; $DOVIRA_CONF overrides it for tests), then
 * $XDG_DATA_HOME/dovira/dovira.db ($HOME/.local/share when unset).
 * The configuration file holds "key = value" lines and # comments; keys:
 * db, office, notes_days, time_detail_days (retention.h).
 */
#ifndef DOVIRA_SETTINGS_H
#define DOVIRA_SETTINGS_H

#include "dovira/util.h"

typedef struct dv_settings {
	char *db_path;  /* resolved database path */
	char *office;   /* this office's name (default "main") */
	char *conf_path;/* the configuration file read, or NULL */
	long notes_days;       /* retention: clear notes after this many days (180) */
	long time_detail_days; /* retention: start times to the hour after this (30) */
} dv_settings;

/* Resolve the settings. db_opt is the --db value or NULL. A malformed
 * configuration file is an error naming file:line. The caller frees with
 * settings_free. */
int settings_load(dv_settings *s, const char *db_opt, dv_error *e);
void settings_free(dv_settings *s);

/* Create the directory that will hold path (and its parents) with mode
 * 0700 when it is under the user's data directory. */
int settings_make_db_dir(const char *path, dv_error *e);

#endif

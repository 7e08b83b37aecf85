/* settings.h: where the database is and which office this is.
 *
 * The database path is chosen in this order: --db, then $DOVIRA_DB, then
 * the "db" line of the system configuration file (/etc/dovira/dovira.conf
 * unless configured otherwise; $DOVIRA_CONF overrides it for tests), then
 * $XDG_DATA_HOME/dovira/dovira.db ($HOME/.local/share when unset), or,
 * when dovira runs setgid (priv.h), the installation's database
 * (configure --with-db, default /var/lib/dovira/dovira.db). While setgid a
 * configuration file is read only if root owns it and nobody else may
 * write it, and only with the person's own rights.
 * The configuration file holds "key = value" lines and # comments; keys:
 * db, office, audit_key, audit_anchors, notes_days, time_detail_days
 * (retention.h), run_dir.
 *
 * run_dir is a directory on a tmpfs (/run/dovira on a server: made at
 * boot by the tmpfiles.d entry make install puts in place) where the
 * sessions keep the files they share while they run: the pending saves
 * of combine.c, which are never synced and live for milliseconds. When it
 * names no directory (or is not set, and dovira is not setgid) they stay
 * beside the database (priv_pending_dir). Running setgid without a
 * run_dir line, it is the installation's (configure --with-run-dir,
 * default /run/dovira).
 *
 * The audit key (the secret of the keyed audit chain, audit.h) is the file
 * named by audit_key. An installed server names it there
 * (audit_key = /etc/dovira/audit.key, mode 0640, owner root, group dovira:
 * readable by the setgid program only, never by a person's account); the
 * program never creates that file, and refuses to write if it is missing
 * or readable by others. Without an audit_key line (a developer's build,
 * the test suite, ./quickstart.sh) the key is "dovira-audit.key" beside
 * the database, created with mode 0600 when a database is created or
 * upgraded there. The anchors of the chain's head (audit_anchors) default
 * to "dovira-audit.anchors" beside the key.
 */
#ifndef DOVIRA_SETTINGS_H
#define DOVIRA_SETTINGS_H

#include "dovira/util.h"

typedef struct dv_settings {
	char *db_path;  /* resolved database path */
	char *db_override;  /* --db or $DOVIRA_DB, or NULL */
	char *configured_db;/* the path without those overrides */
	char *office;   /* this office's name (default "main") */
	char *conf_path;/* the configuration file read, or NULL */
	char *audit_key;     /* the audit key file (never NULL after load) */
	char *audit_anchors; /* the file of recorded chain heads */
	int audit_key_own;   /* 1: the default key beside the database, which
			      * the program may create (0600) */
	long notes_days;       /* retention: clear notes after this many days (180) */
	long time_detail_days; /* retention: start times to the hour after this (30) */
	char *run_dir;         /* the sessions' shared files, or NULL: beside the database */
} dv_settings;

#define SETTINGS_DEV_KEY "dovira-audit.key"
#define SETTINGS_ANCHORS "dovira-audit.anchors"

/* Resolve the settings. db_opt is the --db value or NULL. A malformed
 * configuration file is an error naming file:line. The caller frees with
 * settings_free. */
int settings_load(dv_settings *s, const char *db_opt, dv_error *e);
void settings_free(dv_settings *s);

/* Create the directory that will hold path (and its parents) with mode
 * 0700 when it is under the user's data directory. */
int settings_make_db_dir(const char *path, dv_error *e);

/* A new string naming name in the directory of path ("name" alone if
 * path has no directory part). */
char *settings_beside(const char *path, const char *name);

#endif

/* priv.h: running setgid to the program's own group.
 *
 * Installed the way crontab and locate are, dovira is setgid to a group
 * that no person belongs to (configure --with-group, default "dovira"); the
 * database, its directory and the audit key belong to that group, so an
 * account can reach them only through dovira and its roles.
 *
 * Decisions:
 * - SQLite creates and removes its rollback journal beside the database on
 *   every write, so the group is held while the database is in use and
 *   dropped (setegid to the real group) around every other file dovira
 *   opens on a person's behalf: imports, scripts, backup targets, the
 *   configuration file named by $DOVIRA_CONF, the debug log. dovira runs
 *   no other program, so holding the group between those opens gives
 *   nothing away; a setgid process cannot be traced or dumped.
 * - Not setgid (run from the build tree, installed without the group, the
 *   test suite): every function here is a no-op and dovira works as the
 *   account that runs it.
 */
#ifndef DOVIRA_PRIV_H
#define DOVIRA_PRIV_H

#include <stdio.h>

#include <sys/types.h>

#include "dovira/util.h"

/* Note the real and effective groups. Call first in main, before anything
 * reads the environment. Returns 1 when running setgid, else 0. */
int priv_init(void);

/* 1 when running setgid to a group other than the account's own. */
int priv_setgid(void);

/* 1 when not running setgid and the directory holding path is set up to be
 * shared by a group without it (group-writable, set-group-ID, not writable
 * by others: `chmod 2770`, the arrangement of a shared database before the
 * setgid install); its group is then written to *gid. Files dovira makes
 * there for every account (the database, the audit key and anchors) are
 * made for that group. */
int priv_dir_shared(const char *path, gid_t *gid);

/* The name of the group dovira runs setgid to ("?" if it has no entry),
 * or NULL when not setgid. Static storage. */
const char *priv_group(void);

/* Refuse to run setgid when anything would let a person around it. Checks:
 * the group is not root's, nobody is a member of it (listed in the group
 * file or with it as primary group); the database's directory is owned
 * by root, belongs to the group and is writable by nobody else; each
 * directory above it is owned by root and not writable by others (unless
 * sticky); the database file, if present, is a regular file of the group
 * that others cannot read; the run directory (settings.h run_dir), if
 * present, is a directory (not a link) owned by root, of the group, that
 * others cannot enter; the directory of pending saves
 * (priv_pending_dir), if present, is a directory (not a link) of the
 * group that others cannot enter, and so is the spool
 * (priv_spool_dir), if present. Returns DV_OK or DV_EPERM with a message that
 * names the problem and the command that fixes it. No-op when not
 * setgid. */
int priv_check_install(const char *db_path, const char *run_dir, dv_error *e);

/* The spool directory beside the database at db_path (a new string), where
 * spool.c keeps drafts the database would not take; priv_check_install
 * checks it as it checks the database. */
char *priv_spool_dir(const char *db_path);

/* The directory of pending saves of the database at db_path (a new
 * string), where combine.c posts draft saves that wait for the lock;
 * priv_check_install checks it too. In run_dir (settings.h), if that is
 * a directory and the database exists: "RUN_DIR/BASE.DEV.INODE-pending",
 * BASE the database's file name and DEV (hexadecimal) and INODE its
 * file's, so that every path to one database names one directory and two
 * databases never share one. Else beside the database,
 * "<database>-pending". */
char *priv_pending_dir(const char *db_path, const char *run_dir);

/* Check that a configuration file may be trusted while setgid: owned by
 * root and writable by nobody else. DV_OK when not setgid or when the
 * file does not exist (nothing is read then). */
int priv_check_conf(const char *path, dv_error *e);

/* Drop the group (effective group = the account's own) and take it back.
 * Calls nest: only the outermost pair changes anything. */
void priv_drop(void);
void priv_restore(void);

/* fopen(path, mode) with the account's own rights, never the group's:
 * for every file a person names (imports, scripts, logs). errno as set
 * by fopen. */
FILE *priv_user_fopen(const char *path, const char *mode);

/* getenv(name), except that while setgid it returns NULL: for the
 * variables that change what dovira records (DOVIRA_FAKE_TIME). */
const char *priv_getenv(const char *name);

/* getenv(name) for a variable naming a directory of dovira's data
 * (DOVIRA_DATADIR, DOVIRA_LOCALEDIR). While setgid it is taken only if
 * that directory is owned by root and writable by nobody else (so only an
 * administrator can have put it there), else NULL. */
const char *priv_getenv_dir(const char *name);

#endif

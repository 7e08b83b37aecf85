/* spool.h: where a draft goes when the database will not take it.
 *
 * A save that fails (the database locked past the timeout, the disk full)
 * is retried while the operator goes on; if the session must end first,
 * the draft (already redacted) is written to a private spool file beside
 * the database, and the next start of that account offers it.
 *
 * Decisions:
 * - The spool is the directory "spool" next to the database. Installed
 *   setgid (priv.h) it belongs to the program's group inside the
 *   database's directory, so only dovira can read it; run as a plain
 *   program it is the account's own (mode 0770 under umask 007).
 * - Each session reserves its file when it starts (64 KiB allocated on
 *   disk), so that a draft can still be kept when the disk fills up
 *   later. The file is named LOGIN.PID.draft; an empty reservation left
 *   by a killed session is removed once its process is gone.
 * - The file is text: a first line "dovira-spool 1", then "key value"
 *   lines with \\, \n and \t escaped. Only what a draft save writes is
 *   kept (columns, answers, risk, step) with the record's id and version,
 *   so resuming it is an ordinary save, refused on a version conflict.
 */
#ifndef DOVIRA_SPOOL_H
#define DOVIRA_SPOOL_H

#include "dovira/calls.h"
#include "dovira/session.h"

typedef struct dv_spool dv_spool;

/* Reserve this session's spool file. NULL with *e set if the directory
 * cannot be made or the file cannot be reserved (the session goes on
 * without one). Free with spool_close. */
dv_spool *spool_open(const dv_session *s, dv_error *e);

/* Write r (redacted first, in place, as calls_save would) into the
 * reserved file and flush it to disk; after this spool_close keeps the
 * file. DV_OK or DV_EIO with a message. */
int spool_keep(dv_spool *sp, call_record *r, dv_error *e);

/* Close the reservation: the file is removed unless spool_keep wrote it. */
void spool_close(dv_spool *sp);

/* The newest draft kept in the spool for the session's account, or NULL.
 * *path receives the file's path (the caller frees it) so that the file
 * can be forgotten once the draft is in the database. Unreadable or
 * damaged files are skipped (and left for the administrator). */
call_record *spool_find(const dv_session *s, char **path);

/* Remove a spool file returned by spool_find. */
void spool_forget(const char *path);

#endif

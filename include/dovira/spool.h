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

/* One live session per draft (a reconnect while the old session lingers
 * must not take the draft as if it were abandoned). A session holds a
 * lock on its reserved spool file for as long as it runs; the lease of a
 * draft is the file CALL-ID.lease in the spool naming the holder's
 * reservation, and its modification time is the holder's last activity.
 * A session whose process is gone holds nothing (the kernel drops the
 * lock), so a crash or kill never leaves a draft locked. */
typedef enum spool_lease_state {
	LEASE_FREE,    /* nobody holds it, or the holder is gone */
	LEASE_MINE,    /* this session holds it */
	LEASE_LIVE,    /* another live session holds it and was active lately */
	LEASE_IDLE     /* another live session holds it but has been idle past
			  SPOOL_IDLE_LIMIT_S: it may be taken over */
} spool_lease_state;

#define SPOOL_IDLE_LIMIT_S (10 * 60)

/* Who holds the draft call_id; *idle_s (if not NULL) receives the
 * seconds since the holder's last activity. With sp NULL (no spool), every
 * draft is LEASE_FREE. */
spool_lease_state spool_lease_check(const dv_spool *sp, const char *call_id, long *idle_s);

/* Take (or take over) the lease of call_id for this session. DV_OK, or
 * DV_EIO with a message. The caller has checked it is not LEASE_LIVE. */
int spool_lease_take(dv_spool *sp, const char *call_id, dv_error *e);

/* Mark this session active on call_id (the lease's time), if it holds it. */
void spool_lease_touch(const dv_spool *sp, const char *call_id);

/* Give the lease back (the call is finished, discarded or left). */
void spool_lease_drop(const dv_spool *sp, const char *call_id);

#endif

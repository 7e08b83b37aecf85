/* schema_savegroup.h: the outcome of each session's last combined save
 * (issue 10, item 9; combine.c).
 *
 * A draft save is written as an intent file and applied by whichever
 * session holds the write lock, many in one commit. The session that
 * wrote the intent learns what became of it from this table, written in
 * the same transaction as the save itself: so the outcome is exactly as
 * durable as the save, and an intent found again after a crash (between
 * the commit and the removal of its file) is seen to be applied already
 * and is not applied twice. One row per session (nonce: random, drawn
 * when the session opens the database); seq: its last save handled; code:
 * 0 saved, else the dv_code it failed with (msg: the message, for codes
 * whose message the session cannot rebuild itself). Rows of sessions gone
 * for a day are removed by the combiners. */
#ifndef DOVIRA_SCHEMA_SAVEGROUP_H
#define DOVIRA_SCHEMA_SAVEGROUP_H

#define SCHEMA_SAVEGROUP \
	"CREATE TABLE save_results(" \
	" nonce TEXT PRIMARY KEY CHECK (length(nonce) = 32)," \
	" seq INTEGER NOT NULL," \
	" code INTEGER NOT NULL," \
	" msg TEXT," \
	" at TEXT NOT NULL" \
	") STRICT, WITHOUT ROWID;"

#endif

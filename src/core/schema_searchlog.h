/* schema_searchlog.h: which directory entries changed, and in what order
 * (issue 9, item 15). Owned by the directory module (orgs_search.c).
 *
 * The search keeps, per connection, the scored matches of broad queries
 * (a first letter, "0", "08") and each filter's passing entries, and
 * used to throw them all away when anyone changed the directory: the
 * next keystroke then scanned the whole index again (10 to 20 ms with
 * 10,000 entries). With this log a connection asks only which entries
 * changed since it last looked and re-scores those, whoever changed them
 * (another operator's session included).
 *
 * - orgs_changes: one row per orgs rowid that was ever inserted, updated
 *   or deleted, with the sequence number of its last change. At most one
 *   row per entry, so it never grows past the directory. Holds rowids
 *   only: nothing about a caller.
 */
#ifndef DOVIRA_SCHEMA_SEARCHLOG_H
#define DOVIRA_SCHEMA_SEARCHLOG_H

#define ORGS_CHANGE_LOG(ROW) \
	" INSERT OR REPLACE INTO orgs_changes(row, seq) VALUES (" ROW "," \
	"  coalesce((SELECT max(seq) FROM orgs_changes), 0) + 1);"

#define SCHEMA_SEARCHLOG \
	"CREATE TABLE orgs_changes(" \
	" row INTEGER PRIMARY KEY," \
	" seq INTEGER NOT NULL" \
	") STRICT;" \
	"CREATE INDEX orgs_changes_seq ON orgs_changes(seq);" \
	"CREATE TRIGGER orgs_changes_ai AFTER INSERT ON orgs BEGIN" ORGS_CHANGE_LOG("NEW.rowid") " END;" \
	"CREATE TRIGGER orgs_changes_au AFTER UPDATE ON orgs BEGIN" ORGS_CHANGE_LOG("OLD.rowid") \
	ORGS_CHANGE_LOG("NEW.rowid") " END;" \
	"CREATE TRIGGER orgs_changes_ad AFTER DELETE ON orgs BEGIN" ORGS_CHANGE_LOG("OLD.rowid") " END;"

#endif

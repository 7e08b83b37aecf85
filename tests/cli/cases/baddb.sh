# bad databases are refused with a clear message and exit 1, never a crash
printf 'not a database at all\n' > text.db
dovira --db text.db check; echo "exit $?"
dovira --db missing.db check; echo "exit $?"
dovira --db . check; echo "exit $?"
sqlite3 other.db "CREATE TABLE t(x)"
dovira --db other.db staff list; echo "exit $?"
dovira --db d.db init >/dev/null
sqlite3 d.db "PRAGMA user_version=99"
dovira --db d.db staff list; echo "exit $?"
dovira --db d2.db init >/dev/null
head -c 8192 d2.db > trunc.db
dovira --db trunc.db check; echo "exit $?"
# a damaged directory table: script check says the organisations were not checked (it crashed, exit 139)
dovira --db d3.db init >/dev/null
sqlite3 d3.db "PRAGMA foreign_keys=OFF; DROP TABLE orgs"
dovira --db d3.db script check "$SRCDIR/data/intake.script"; echo "exit $?"

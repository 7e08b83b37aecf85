# backup writes a verified copy, refuses to overwrite, and the copy checks clean
dovira --db d.db init >/dev/null
dovira --db d.db staff add olena --role operator >/dev/null
dovira --db d.db backup copy.db; echo "exit $?"
dovira --db d.db backup copy.db; echo "exit $?"
dovira --db copy.db check; echo "exit $?"
sqlite3 copy.db "SELECT action, detail FROM audit ORDER BY seq DESC LIMIT 1"

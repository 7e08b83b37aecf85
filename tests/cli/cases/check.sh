# check (quick and --full) passes on a good database and names the audit row altered offline
dovira --db d.db init >/dev/null
dovira --db d.db staff add olena --role operator >/dev/null
dovira --db d.db check; echo "exit $?"
dovira --db d.db check --full; echo "exit $?"
sqlite3 d.db "UPDATE audit SET actor='x' WHERE seq=2" 2>&1; echo "sqlite3 exit $?"
sqlite3 d.db "DROP TRIGGER audit_no_update; UPDATE audit SET detail='admin' WHERE seq=3"
dovira --db d.db check; echo "exit $?"

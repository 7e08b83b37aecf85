# check (quick and --full) passes on a good database and names the audit row altered offline
dovira --db d.db init >/dev/null
dovira --db d.db staff add olena --role operator >/dev/null
dovira --db d.db check; echo "exit $?"
dovira --db d.db check --full; echo "exit $?"
sqlite3 d.db "UPDATE audit SET actor='x' WHERE seq=2" 2>&1; echo "sqlite3 exit $?"
sqlite3 d.db "DROP TRIGGER audit_no_update; UPDATE audit SET detail='admin' WHERE seq=3"
dovira --db d.db check; echo "exit $?"
# answers whose call is gone or never was: named by the records part (the integrity part leaves that foreign key to it on a snapshot)
dovira --db o.db init >/dev/null
dovira --db o.db demo --calls 30 --seed 3 --quiet >/dev/null
dovira --db o.db check >/dev/null; echo "exit $?"
sqlite3 o.db "INSERT INTO answers(call_id, step, value) VALUES ('00000000-0000-4000-8000-00000000beef', 'topic', 'x')"
victim=$(sqlite3 o.db "SELECT call_id FROM answers WHERE call_id IN (SELECT id FROM calls WHERE status = 'final') ORDER BY call_id LIMIT 1")
sqlite3 o.db "DELETE FROM calls WHERE id = '$victim'"
dovira --db o.db check >out 2>&1; echo "exit $?"
sed "s/$victim/VICTIM/" out

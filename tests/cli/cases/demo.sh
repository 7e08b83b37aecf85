# demo fills an empty database deterministically, marks it as training, and refuses a database that holds calls
dovira --db d.db init >/dev/null
dovira --db d.db demo; echo "exit $?"
dovira --db d.db demo --calls 0; echo "exit $?"
dovira --db d.db demo --calls 300 --seed 5 --quiet; echo "exit $?"
dovira --db d.db demo --calls 5; echo "exit $?"
dovira --db d.db check; echo "exit $?"
dovira --db d.db staff list | grep -c demo-

# staff add, list and remove; the last admin stays; an unknown account is refused
dovira --db d.db init >/dev/null
dovira --db d.db staff add olena --role operator; echo "exit $?"
dovira --db d.db staff add petro --role supervisor; echo "exit $?"
dovira --db d.db staff add petro --role boss; echo "exit $?"
dovira --db d.db staff remove olena; echo "exit $?"
dovira --db d.db staff remove "$(id -un)"; echo "exit $?"
dovira --db d.db staff remove ghost; echo "exit $?"
dovira --db d.db staff list | tr -s " "; echo "exit $?"
dovira --db d.db check; echo "exit $?"

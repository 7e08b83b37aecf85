# script check passes the default script, names each problem of a broken one as FILE:LINE, and checks referrals against the directory
dovira script check "$SRCDIR/data/intake.script"; echo "exit $?"
dovira --db d.db init >/dev/null
dovira --db d.db script check "$SRCDIR/data/intake.script"; echo "exit $?"
sed 's/^refer legal-aid /refer legal-aid-gone /' "$SRCDIR/data/intake.script" > gone.script
dovira --db d.db script check gone.script; echo "exit $?"
dovira script check "$SRCDIR/tests/data/scripts/duplicate.script"; echo "exit $?"
dovira script check nowhere.script; echo "exit $?"
dovira script; echo "exit $?"
sed 's/^refer police-102 emergency /refer police-102 shelter /' "$SRCDIR/data/intake.script" > wrongsvc.script
dovira --db d.db script check wrongsvc.script; echo "exit $?"

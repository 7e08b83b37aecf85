#!/bin/sh
# Fault test: every change the desk makes to a final call (a correction, a
# review, a case link) leaves check clean, while the same change made with
# sqlite3 is named, with the call, by the next check.
set -u
: "${DOVIRA:?}"
export DOVIRA_DATADIR="$SRCDIR/data" DOVIRA_CONF=/nonexistent DOVIRA_FAKE_TIME=1795905556
tmp=$(mktemp -d /tmp/dovira-fault-XXXXXX)
cd "$tmp" || exit 99
n=0
fail=0
t() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi; }
"$DOVIRA" --db d.db init >/dev/null
"$DOVIRA" --db d.db demo --calls 60 >/dev/null 2>&1
code=$(sqlite3 d.db "SELECT case_code FROM calls WHERE status = 'final' AND kind = 'data' ORDER BY started_at LIMIT 1")
other=$(sqlite3 d.db "SELECT case_code FROM calls WHERE status = 'final' AND kind = 'data' ORDER BY started_at DESC LIMIT 1")
version=$(sqlite3 d.db "SELECT version FROM calls WHERE case_code = '$code'")
"$DOVIRA" --db d.db calls correct --version "$version" --reason "misheard" "$code" risk=likely >/dev/null
t $? "a correction is made"
"$DOVIRA" --db d.db calls review "$code" >/dev/null
"$DOVIRA" --db d.db calls link "$code" "$other" >/dev/null
"$DOVIRA" --db d.db check >out 2>&1
rc=$?
t "$rc" "check passes after a correction, a review and a case link (exit $rc)"
grep -q "records match the audit: ok" out
t $? "the records are found to match the audit"
sqlite3 d.db "UPDATE calls SET risk = 'none' WHERE case_code = '$code'"
"$DOVIRA" --db d.db check >out 2>&1
rc=$?
t "$([ $rc = 1 ] && grep -q "($code): differs from its last audited state" out; echo $?)" \
	"the same field changed with sqlite3 is named with the call's code (exit $rc)"
echo "1..$n"
rm -rf "$tmp"
exit $fail

#!/bin/sh
# Fault test: a backup taken while another process keeps writing is
# consistent and verified, and the writer loses nothing.
set -u
: "${DOVIRA:?}"
export DOVIRA_DATADIR="$SRCDIR/data" DOVIRA_CONF=/nonexistent
tmp=$(mktemp -d /tmp/dovira-fault-XXXXXX)
cd "$tmp" || exit 99
n=0
t() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi; }
fail=0
"$DOVIRA" --db d.db init >/dev/null
# The writer: 150 staff changes, each one short transaction.
(
	i=0
	while [ $i -lt 150 ]; do
		"$DOVIRA" --db d.db staff add "op$i" --role operator >/dev/null 2>>writer.err || echo "op$i" >>writer.failed
		i=$((i + 1))
	done
) &
writer=$!
sleep 0.2
rc=0
for k in 1 2 3; do
	"$DOVIRA" --db d.db backup "copy$k.db" >/dev/null 2>>backup.err || rc=1
	sleep 0.1
done
wait $writer
t $rc "three backups taken while another process writes all succeed and verify"
rc=0
for k in 1 2 3; do "$DOVIRA" --db "copy$k.db" check >/dev/null || rc=1; done
t $rc "every copy passes dovira check (integrity and the whole audit chain)"
t "$([ ! -s writer.failed ]; echo $?)" "no write of the other process failed because of the backups"
count=$(sqlite3 d.db "SELECT count(*) FROM staff WHERE login LIKE 'op%'")
t "$([ "$count" = 150 ]; echo $?)" "all 150 writes are in the database ($count)"
"$DOVIRA" --db d.db check >/dev/null
t $? "the live database still checks clean"
echo "1..$n"
rm -rf "$tmp"
exit $fail

#!/bin/sh
# Fault test: after a crash leaves a hot journal, 'dovira check' rolls it
# back and says so (as root too); an account that cannot write is told
# what to do; a FIFO or a device is refused at once; a symbolic link is
# explained; an account that cannot reach the database is told so, not to
# run init; and the audit rows removed with sqlite3 after a check are
# named by the next check.
set -u
: "${DOVIRA:?}"
export DOVIRA_DATADIR="$SRCDIR/data" DOVIRA_CONF=/nonexistent
tmp=$(mktemp -d /tmp/dovira-fault-XXXXXX)
chmod 755 "$tmp"
cd "$tmp" || exit 99
n=0
fail=0
t() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi; }
has() { grep -q -- "$1" "$2"; echo $?; }
lacks() { if grep -q -- "$1" "$2"; then echo 1; else echo 0; fi; }
# A writer killed in the middle of a transaction big enough to spill pages.
crash() {
	/usr/bin/python3 - "$1" <<'PY'
import os, sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute('PRAGMA cache_size=2')
c.execute('BEGIN IMMEDIATE')
for i in range(3000):
    c.execute("INSERT INTO orgs_fts(rowid, name_uk) VALUES (?, 'x')", (100000 + i,))
os._exit(0)
PY
}
"$DOVIRA" --db d.db init >/dev/null
crash d.db
t "$([ -s d.db-journal ]; echo $?)" "the simulated crash leaves a hot journal"
"$DOVIRA" --db d.db check >out 2>&1
rc=$?
t "$rc" "check after the crash passes (exit $rc)"
t "$(has 'rolled back' out)" "check says that it rolled back the unfinished write"
t "$([ ! -s d.db-journal ]; echo $?)" "the journal is gone"

if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
	crash d.db
	chmod 644 d.db
	nobody "$DOVIRA" --db "$tmp/d.db" check >out 2>&1
	t "$(has 'unfinished write' out)" "an account that may not write is told a crash must be rolled back first, not 'read-only'"
	mkdir -m 750 private
	cp d.db private/
	nobody "$DOVIRA" --db "$tmp/private/d.db" check >out 2>&1
	t "$(has 'may not reach the database' out)" "an account outside the group is told so"
	t "$(lacks 'init' out)" "and is not told to create a database with init"
else
	echo "ok $((n + 1)) # SKIP not root (setpriv needed to act as another account)"
	echo "ok $((n + 2)) # SKIP not root"
	echo "ok $((n + 3)) # SKIP not root"
	n=$((n + 3))
fi
mkfifo pipe.db
timeout 5 "$DOVIRA" --db pipe.db check >out 2>&1
rc=$?
t "$([ $rc = 1 ]; echo $?)" "check on a FIFO exits at once (exit $rc, 124 would be a hang)"
t "$(has 'not a regular file' out)" "and says it is not a regular file"
timeout 5 "$DOVIRA" --db /dev/zero check >out 2>&1
t "$(has 'not a regular file' out)" "a device is refused the same way"
ln -s d.db link.db
"$DOVIRA" --db link.db check >out 2>&1
t "$(has 'symbolic link' out)" "a symbolic link is explained, naming the real path"
t "$(lacks 'No such file' out)" "not 'No such file or directory'"

# A backup killed at any moment leaves nothing, or a whole verified copy.
"$DOVIRA" --db big.db init >/dev/null
sqlite3 big.db "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000)
 INSERT INTO staff SELECT 'bulk' || i, 'operator', 1, '2026-01-01T00:00:00Z', 'x' FROM n;"
mkdir backups
bad=0
for d in 0.02 0.05 0.1 0.15 0.2 0.3 0.5; do
	timeout -s KILL "$d" "$DOVIRA" --db big.db backup "backups/b-$d.db" >/dev/null 2>&1
	if [ -e "backups/b-$d.db" ]; then
		sqlite3 "backups/b-$d.db" "PRAGMA integrity_check" | grep -qx ok || bad=1
	fi
done
t "$([ $bad = 0 ] && [ "$(ls backups | grep -vc '^b-[0-9.]*\.db$')" = 0 ]; echo $?)" \
	"a backup killed at 7 moments leaves no partial file ($(ls backups | wc -l) whole copies)"

"$DOVIRA" --db d.db check >/dev/null
sqlite3 d.db "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit);
 CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;"
"$DOVIRA" --db d.db check >out 2>&1
rc=$?
t "$([ $rc = 1 ] && grep -q 'were removed' out; echo $?)" "audit rows removed after a check are named by the next one (exit $rc)"
echo "1..$n"
rm -rf "$tmp"
exit $fail

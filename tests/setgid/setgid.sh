#!/bin/sh
# Installed setgid to a group nobody belongs to, dovira keeps roles outside
# the program: an operator account cannot open the database with sqlite3,
# cannot point dovira at another file, and gets nothing of the group's files
# through imports, logs or configuration; an unsafe installation is refused.
# Runs as root (it creates throwaway accounts and a group, and removes them).
set -u
: "${DOVIRA:?}" "${SRCDIR:?}"
n=0 fail=0
t() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi; }
if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP needs root to create accounts and a group (CI runs the suite as root)"
	exit 0
fi
for tool in useradd userdel groupadd groupdel gpasswd runuser sqlite3; do
	command -v $tool >/dev/null || { echo "1..0 # SKIP $tool is not installed"; exit 0; }
done
g=dvg$$ op=dvop$$ ad=dvad$$
T=$(mktemp -d /tmp/dovira-setgid-XXXXXX)
cleanup() {
	userdel "$op" 2>/dev/null; userdel "$ad" 2>/dev/null; groupdel "$g" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' HUP INT PIPE TERM
groupadd "$g" && useradd -M -N -g users "$op" && useradd -M -N -g users "$ad" || {
	echo "1..0 # SKIP cannot create throwaway accounts (useradd failed)"; exit 0; }
chmod 755 "$T"
mkdir "$T/etc" "$T/data" "$T/home"
chmod 755 "$T/etc"; chmod 1777 "$T/home"
install -o root -g "$g" -m 2755 "$DOVIRA" "$T/dovira"
chown "root:$g" "$T/data"; chmod 2770 "$T/data"
db="$T/data/dovira.db"
# The run directory (a tmpfs on a server) does not exist yet: the pending
# saves are beside the database until it does.
rd="$T/run"
printf 'db = %s\nrun_dir = %s\n' "$db" "$rd" >"$T/etc/dovira.conf"; chmod 644 "$T/etc/dovira.conf"
# LeakSanitizer cannot run in a setgid process (an --enable-asan build).
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
as() { u=$1; shift; runuser -u "$u" -- env -i HOME="$T/home" LC_ALL=C.UTF-8 DOVIRA_CONF="$T/etc/dovira.conf" ASAN_OPTIONS="$ASAN_OPTIONS" "$@"; }
as "$op" "$T/dovira" init >"$T/out" 2>&1
t "$([ $? != 0 ] && [ ! -e "$db" ] && grep -q "only root" "$T/out"; echo $?)" \
	"before the database exists, an operator cannot create it and become its administrator"
# The administrator (root) creates the database with the installed dovira,
# from data that root owns (as make install puts it).
cp -r "$SRCDIR/data" "$T/share"; chmod -R go-w "$T/share"
DOVIRA_DATADIR="$T/share" DOVIRA_CONF="$T/etc/dovira.conf" "$T/dovira" init >"$T/out" 2>&1
t $? "root creates the database through the setgid dovira ($(head -c 300 "$T/out" | tr "\n" " "))"
key=$(ls "$T"/data/*.key 2>/dev/null | head -1)
t "$([ "$(stat -c %a:%G "$db")" = "660:$g" ] && [ "$(stat -c %a:%U:%G "$key")" = "640:root:$g" ]; echo $?)" \
	"the database is 660 and the audit key 640 root, both of the group ($(stat -c %a:%U:%G "$db" "$key" | tr '\n' ' '))"
DOVIRA_CONF=/nonexistent "$DOVIRA" --db "$db" staff add "$op" --role operator >/dev/null
DOVIRA_CONF=/nonexistent "$DOVIRA" --db "$db" staff add "$ad" --role admin >/dev/null
printf 'name,TOPSECRET-LINE\n' >"$T/data/secret.csv"; chown "root:$g" "$T/data/secret.csv"; chmod 640 "$T/data/secret.csv"
cp "$db" "$T/data/other.db"; chown "root:$g" "$T/data/other.db"; chmod 660 "$T/data/other.db"

as "$op" "$T/dovira" orgs search legal >"$T/out" 2>&1
t $? "an operator uses the installed setgid dovira on the database ($(head -c 200 "$T/out" | tr "\n" " "))"
as "$op" sqlite3 "$db" "SELECT count(*) FROM staff" >"$T/out" 2>&1
t "$([ $? != 0 ] && ! grep -q '^[0-9]' "$T/out"; echo $?)" "the operator cannot open the database with sqlite3"
as "$op" cat "$db" >/dev/null 2>&1
t "$([ $? != 0 ]; echo $?)" "the operator cannot read the database file at all"
as "$op" "$T/dovira" --db "$T/data/other.db" orgs search legal >"$T/out" 2>&1
t "$([ $? != 0 ] && grep -q 'only an administrator' "$T/out"; echo $?)" "--db naming another file of the group is refused for an operator"
as "$op" env DOVIRA_DB="$T/data/other.db" "$T/dovira" orgs search legal >"$T/out" 2>&1
t "$([ $? != 0 ] && grep -q 'only an administrator' "$T/out"; echo $?)" "\$DOVIRA_DB naming another file is refused for an operator"
as "$ad" "$T/dovira" orgs import "$T/data/secret.csv" >"$T/out" 2>&1
t "$([ $? != 0 ] && grep -q "Permission denied" "$T/out" && ! grep -q TOPSECRET "$T/out"; echo $?)" "an administrator's import of a file only the group may read fails on permission and shows none of it"
as "$op" env DOVIRA_CONF="$T/data/secret.csv" "$T/dovira" orgs search legal >"$T/out" 2>&1
t "$([ $? != 0 ] && ! grep -q TOPSECRET "$T/out"; echo $?)" "a configuration file only the group may read is not read through dovira"
as "$op" "$T/dovira" --debug-log "$T/data/planted.log" orgs search legal >/dev/null 2>&1
t "$([ ! -e "$T/data/planted.log" ]; echo $?)" "the debug log cannot be created in the group's directory"
as "$ad" "$T/dovira" --db "$T/data/other.db" orgs search legal >"$T/out" 2>&1
t $? "an administrator may choose another database"
as "$op" cat "$key" >/dev/null 2>&1
t "$([ $? != 0 ]; echo $?)" "the operator cannot read the audit key"
as "$ad" "$T/dovira" backup "$T/home/copy.db" >"$T/out" 2>&1
t "$([ $? = 0 ] && [ "$(stat -c %U:%G "$T/home/copy.db")" = "$ad:users" ]; echo $?)" \
	"an administrator's backup is written with their own rights, not the group's ($(stat -c %U:%G "$T/home/copy.db" 2>&1) $(head -c 200 "$T/out" | tr "\n" " "))"
as "$ad" "$T/dovira" backup "$T/data/planted.db" >"$T/out" 2>&1
t "$([ $? != 0 ] && [ ! -e "$T/data/planted.db" ]; echo $?)" "nor can a backup be written into the group's directory"

DOVIRA_CONF=/nonexistent "$DOVIRA" --db "$db" staff remove "$op" >/dev/null
as "$op" "$T/dovira" orgs search legal >"$T/out" 2>&1
t "$([ $? != 0 ] && grep -q 'not on the staff list' "$T/out"; echo $?)" "a removed operator is refused"

gpasswd -a "$op" "$g" >/dev/null 2>&1
as "$ad" "$T/dovira" orgs search legal >"$T/out" 2>&1
t "$([ $? != 0 ] && grep -q "$op is a member of the group" "$T/out"; echo $?)" "setgid is refused while the group has a member, naming it"
gpasswd -d "$op" "$g" >/dev/null 2>&1
chmod o+w "$T/data"
as "$ad" "$T/dovira" orgs search legal >"$T/out" 2>&1
t "$([ $? != 0 ] && grep -q "writable by nobody else" "$T/out"; echo $?)" "setgid is refused while the database directory is writable by others"
chmod o-w "$T/data"; chmod o+r "$db"
as "$ad" "$T/dovira" orgs search legal >"$T/out" 2>&1
t "$([ $? != 0 ] && grep -q "others cannot read" "$T/out"; echo $?)" "setgid is refused while others may read the database"
chmod o-r "$db"; chmod 666 "$T/etc/dovira.conf"
as "$ad" "$T/dovira" orgs search legal >"$T/out" 2>&1
t "$([ $? != 0 ] && grep -q "configuration file" "$T/out"; echo $?)" "setgid is refused while the configuration file is writable by others"
chmod 644 "$T/etc/dovira.conf"
# The directory of pending saves holds drafts before they are saved: the
# group's, a real directory, closed to others, like the spool.
pend="$db-pending"
mkdir "$pend"; chown "root:$g" "$pend"; chmod 2777 "$pend"
as "$ad" "$T/dovira" orgs search legal >"$T/out" 2>&1
t "$([ $? != 0 ] && grep -q "pending saves" "$T/out"; echo $?)" "setgid is refused while others may enter the directory of pending saves"
chmod 2770 "$pend"; chgrp users "$pend"
as "$ad" "$T/dovira" orgs search legal >"$T/out" 2>&1
t "$([ $? != 0 ] && grep -q "pending saves" "$T/out"; echo $?)" "setgid is refused while the directory of pending saves is not the group's"
rmdir "$pend"; mkdir "$T/home/elsewhere"; ln -s "$T/home/elsewhere" "$pend"
as "$ad" "$T/dovira" orgs search legal >"$T/out" 2>&1
t "$([ $? != 0 ] && grep -q "pending saves" "$T/out"; echo $?)" "setgid is refused while the directory of pending saves is a link"
rm "$pend"; mkdir "$pend"; chown "root:$g" "$pend"; chmod 2770 "$pend"
# So does the spool, where drafts the database would not take wait.
sp="$(dirname "$db")/spool"
[ -d "$sp" ] || mkdir "$sp"
chown "root:$g" "$sp"; chmod 2777 "$sp"
as "$ad" "$T/dovira" orgs search legal >"$T/out" 2>&1
t "$([ $? != 0 ] && grep -q "spool directory" "$T/out"; echo $?)" "setgid is refused while others may enter the spool directory"
chmod 2770 "$sp"; chgrp users "$sp"
as "$ad" "$T/dovira" orgs search legal >"$T/out" 2>&1
t "$([ $? != 0 ] && grep -q "spool directory" "$T/out"; echo $?)" "setgid is refused while the spool directory is not the group's"
chown "root:$g" "$sp"; chmod 2770 "$sp"
as "$ad" "$T/dovira" orgs search legal >/dev/null 2>&1
t $? "with everything safe again it runs"
# The run directory, where the pending saves go once it exists (on a
# tmpfs: they are never synced), is root's and the group's, closed to others.
mkdir "$rd"; chown "root:$g" "$rd"; chmod 2777 "$rd"
as "$ad" "$T/dovira" orgs search legal >"$T/out" 2>&1
t "$([ $? != 0 ] && grep -q "run directory" "$T/out"; echo $?)" "setgid is refused while others may enter the run directory"
chmod 2770 "$rd"; chown "$op" "$rd"
as "$ad" "$T/dovira" orgs search legal >"$T/out" 2>&1
t "$([ $? != 0 ] && grep -q "run directory" "$T/out"; echo $?)" "setgid is refused while the run directory is not root's"
rmdir "$rd"; ln -s "$T/home/elsewhere" "$rd"
as "$ad" "$T/dovira" orgs search legal >"$T/out" 2>&1
t "$([ $? != 0 ] && grep -q "run directory" "$T/out"; echo $?)" "setgid is refused while the run directory is a link"
rm "$rd"; mkdir "$rd"; chown "root:$g" "$rd"; chmod 2770 "$rd"
rpend="$rd/$(basename "$db").$(stat -c %D "$db").$(stat -c %i "$db")-pending"
mkdir "$rpend"; chown "root:$g" "$rpend"; chmod 2777 "$rpend"
as "$ad" "$T/dovira" orgs search legal >"$T/out" 2>&1
t "$([ $? != 0 ] && grep -q "pending saves $rpend" "$T/out"; echo $?)" "the database's pending directory in the run directory is checked as beside it"
chmod 2770 "$rpend"
as "$ad" "$T/dovira" orgs search legal >/dev/null 2>&1
t $? "with the run directory safe it runs"

# Without the setgid install, a database in a directory shared by a group
# (chmod 2770, as offices ran it before) still serves every account of that
# group: the audit key and anchors are made for the group, not for root alone.
mkdir "$T/shared"; chown "root:$g" "$T/shared"; chmod 2770 "$T/shared"
sdb="$T/shared/dovira.db"
DOVIRA_CONF=/nonexistent DOVIRA_DATADIR="$SRCDIR/data" "$DOVIRA" --db "$sdb" init >/dev/null 2>&1
DOVIRA_CONF=/nonexistent "$DOVIRA" --db "$sdb" staff add "$op" --role operator >/dev/null 2>&1
gpasswd -a "$op" "$g" >/dev/null 2>&1
skey=$(ls "$T"/shared/*.key 2>/dev/null | head -1)
t "$([ "$(stat -c %a:%G "$sdb")" = "660:$g" ] && [ "$(stat -c %a:%G "$skey")" = "640:$g" ]; echo $?)" \
	"in a group's shared directory the database is 660 and the key 640, of the group ($(stat -c %a:%G "$sdb" "$skey" | tr '\n' ' '))"
install -m 755 "$DOVIRA" "$T/dovira-plain" # the build tree may be private to root
runuser -u "$op" -- env -i HOME="$T/home" LC_ALL=C.UTF-8 DOVIRA_CONF=/nonexistent ASAN_OPTIONS="$ASAN_OPTIONS" \
	"$T/dovira-plain" --db "$sdb" check >"$T/out" 2>&1
t $? "another account of that group checks the chain with the key and records an anchor ($(tail -c 200 "$T/out" | tr "\n" " "))"
gpasswd -d "$op" "$g" >/dev/null 2>&1
echo "1..$n"
exit $fail

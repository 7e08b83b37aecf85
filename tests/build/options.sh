#!/bin/sh
# The configure options do what README says, checked on the build at hand:
# --enable-debug compiles without optimisation and gives --debug-log (a
# release build refuses the option), and --with-conf=FILE is the file the
# program reads. `make check` covers a release build with the default file;
# `make distcheck` configures with both options (AM_DISTCHECK_CONFIGURE_FLAGS).
set -u
: "${DOVIRA:?}" "${BUILDDIR:?}"
n=0
failed=0
ok() {  # ok STATUS DESCRIPTION
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi
}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dovira-build-XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM
export DOVIRA_LOCALEDIR="$BUILDDIR/po/locale"
unset DOVIRA_CONF DOVIRA_DB

cflags=$(sed -n 's/^CFLAGS = //p' "$BUILDDIR/Makefile")
dvflags=$(sed -n 's/^DV_CFLAGS = //p' "$BUILDDIR/Makefile")
echo "# CFLAGS = $cflags"
case " $dvflags " in
*" -O"*) st=1 ;;
*) st=0 ;;
esac
ok $st "the project's own flags (DV_CFLAGS) set no optimisation level: the user's CFLAGS decide"

if grep -q '^#define DV_DEBUG 1' "$BUILDDIR/config.h"; then
	last=$(printf '%s\n' $cflags | grep '^-O' | tail -n 1)
	[ "$last" = -O0 ]
	ok $? "a debug build compiles with -O0 last (CFLAGS: $cflags)"
	"$DOVIRA" --lang en --debug-log "$tmp/debug.log" --help >"$tmp/out" 2>&1
	[ $? = 0 ] && [ -f "$tmp/debug.log" ] && grep -q -- '--debug-log FILE' "$tmp/out"
	ok $? "a debug build takes --debug-log, opens the file and lists the option in --help"
	"$DOVIRA" --lang en --debug-log "$tmp/no/such/dir/log" --help >"$tmp/out" 2>&1
	[ $? = 2 ] && grep -q "cannot write the debug log $tmp/no/such/dir/log" "$tmp/out"
	ok $? "a debug log that cannot be written is an error, not silence"
else
	"$DOVIRA" --lang en --debug-log "$tmp/debug.log" --help >"$tmp/out" 2>&1
	[ $? = 2 ] && [ ! -e "$tmp/debug.log" ] &&
		grep -q -- '--debug-log needs a debug build' "$tmp/out"
	ok $? "a release build refuses --debug-log with a clear error and writes no file"
	"$DOVIRA" --lang en --help >"$tmp/out" 2>&1
	! grep -q -- '--debug-log' "$tmp/out"
	ok $? "a release build's --help does not offer --debug-log"
fi

conf=$(sed -n 's/^#define DV_SYSTEM_CONF "\(.*\)"$/\1/p' "$BUILDDIR/config.h")
"$DOVIRA" --lang en --help >"$tmp/out" 2>&1
grep -q -- "$conf" "$tmp/out"
ok $? "--help names the configuration file chosen at configure time ($conf)"
dir=$(dirname "$conf")
made=
# Write the file only where distcheck put it (beside its build tree), never
# in a system directory, even when the tests run as root.
top=$(cd "$BUILDDIR/../.." && pwd)
case $conf in
"$top"/*) mine=yes ;;
*) mine=no ;;
esac
if [ "$mine" = yes ] && [ ! -e "$conf" ] && { [ -d "$dir" ] || { mkdir -p "$dir" 2>/dev/null && made=yes; }; } && [ -w "$dir" ]; then
	printf 'bogus = 1\n' >"$conf"
	"$DOVIRA" --lang en check >"$tmp/out" 2>&1
	st=$?
	rm -f "$conf"
	[ -n "$made" ] && rmdir "$dir" 2>/dev/null
	[ $st = 1 ] && grep -q "$conf:1: unknown key 'bogus'" "$tmp/out"
	ok $? "the program reads that file: its bad line is reported as $conf:1"
else
	n=$((n + 1))
	echo "ok $n # SKIP $conf is not a test file of make distcheck: not written"
fi
echo "1..$n"
[ "$failed" = 0 ]

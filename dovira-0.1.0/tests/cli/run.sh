#!/bin/sh
# Golden-output tests of the command line. Each tests/cli/cases/NAME.sh is
# run in a fresh directory with a fixed clock; its standard output, standard
# error and exit statuses, with the login replaced by LOGIN and the
# temporary directory by TMP, must equal tests/cli/golden/NAME.out.
# Its first line, a comment, says what it checks.
# Run with UPDATE_GOLDEN=1 to rewrite the golden files after a deliberate change.
set -u
: "${DOVIRA:?}" "${SRCDIR:?}"
n=0
failed=0
login=$(id -un)
for case in "$SRCDIR"/tests/cli/cases/*.sh; do
	name=$(basename "$case" .sh)
	what=$(sed -n '1s/^# *//p' "$case")
	n=$((n + 1))
	tmp=$(mktemp -d /tmp/dovira-cli-XXXXXX)
	out="$tmp/.actual"
	(
		cd "$tmp" || exit 99
		export DOVIRA_FAKE_TIME=1795905556 DOVIRA_DATADIR="$SRCDIR/data" DOVIRA_CONF=/nonexistent
		export DOVIRA_LOCALEDIR="${BUILDDIR:-.}/po/locale" HOME="$tmp" SRCDIR
		unset DOVIRA_DB XDG_DATA_HOME
		dovira() { "$DOVIRA" "$@"; }
		. "$case"
	) >"$out" 2>&1
	sed -i -e "s|$tmp|TMP|g" -e "s|$SRCDIR|SRCDIR|g" -e "s/\\b$login\\b/LOGIN/g" "$out"
	golden="$SRCDIR/tests/cli/golden/$name.out"
	if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
		cp "$out" "$golden"
	fi
	if diff -u "$golden" "$out" >"$tmp/.diff" 2>&1; then
		echo "ok $n - $name: $what"
	else
		echo "not ok $n - $name: $what"
		sed 's/^/#   /' "$tmp/.diff"
		failed=$((failed + 1))
	fi
	rm -rf "$tmp"
done
echo "1..$n"
[ "$failed" = 0 ]

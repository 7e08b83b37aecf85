#!/bin/sh
# Tests of `dovira redact` as a filter: byte-exact output, --json, usage
# errors. The command is part of the program: if it breaks (or the
# dispatcher loses it), every check here fails; nothing is skipped.
set -u
: "${DOVIRA:?}"
tmp=$(mktemp -d /tmp/dovira-redact-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
n=0
failed=0
check() { # check DESCRIPTION COMMAND...: ok when the command succeeds
	what=$1
	shift
	n=$((n + 1))
	if "$@"; then
		echo "ok $n - $what"
	else
		echo "not ok $n - $what"
		failed=$((failed + 1))
	fi
}
same() { cmp -s "$1" "$2"; }

"$DOVIRA" redact --help >"$tmp/out" 2>&1
check "the command exists: 'dovira redact --help' exits 0" test "$?" = 0

printf 'Тел. +38 (067) 123-45-67, ivan@ex.com; 1547; 28.11.2026\n' >"$tmp/in"
printf 'Тел. [PHONE], [EMAIL]; 1547; 28.11.2026\n' >"$tmp/want"
"$DOVIRA" redact <"$tmp/in" >"$tmp/out"
check "a note comes out redacted, the rest byte for byte" same "$tmp/out" "$tmp/want"

printf 'a\0b \377 0671234567\r\n\tz' >"$tmp/in"
printf 'a\0b \377 [PHONE]\r\n\tz' >"$tmp/want"
"$DOVIRA" redact <"$tmp/in" >"$tmp/out"
check "NUL, invalid UTF-8, CR and tab pass through untouched" same "$tmp/out" "$tmp/want"

printf 'no newline at the end' >"$tmp/in"
"$DOVIRA" redact <"$tmp/in" >"$tmp/out"
check "no newline is added" same "$tmp/out" "$tmp/in"

printf 'Тел 0671234567 і ivan@ex.com' >"$tmp/in"
printf '[{"kind":"phone","start":7,"end":17},{"kind":"email","start":21,"end":32}]\n' >"$tmp/want"
"$DOVIRA" redact --json <"$tmp/in" >"$tmp/out"
check "--json writes the findings with byte offsets on one line" same "$tmp/out" "$tmp/want"

printf '[]\n' >"$tmp/want"
"$DOVIRA" redact --json </dev/null >"$tmp/out"
check "--json of empty input is an empty array" same "$tmp/out" "$tmp/want"

"$DOVIRA" redact </dev/null >"$tmp/out"
check "empty input gives empty output" test ! -s "$tmp/out"

i=0
: >"$tmp/in"
while [ $i -lt 2000 ]; do
	printf 'Дзвінок о 14:30, радили 116 123 і 0 800 500 335, 11 000 грн за 3 місяці; 7K3M-9Q2P.\n' >>"$tmp/in"
	i=$((i + 1))
done
"$DOVIRA" redact <"$tmp/in" >"$tmp/out"
check "a long input without personal data is unchanged" same "$tmp/out" "$tmp/in"

"$DOVIRA" redact --bogus >"$tmp/out" 2>"$tmp/err"
rc=$?
check "an unknown option exits 2" test "$rc" = 2
check "an unknown option is one line on stderr" test "$(wc -l <"$tmp/err")" = 1
"$DOVIRA" redact extra </dev/null >/dev/null 2>&1
check "an argument exits 2" test "$?" = 2
"$DOVIRA" redact --help >"$tmp/out" 2>&1
check "--help exits 0 and shows the usage" grep -q 'dovira redact' "$tmp/out"

echo "1..$n"
[ "$failed" = 0 ]

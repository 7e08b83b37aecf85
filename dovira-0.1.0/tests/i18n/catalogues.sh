#!/bin/sh
# The translations are complete and stay so: the template is built afresh
# from po/POTFILES.in with the options of po/Makevars, every message of it
# has a translation that is not fuzzy in po/uk.po and po/en.po, msgfmt -c
# accepts both, and every source file that marks strings is in POTFILES.in.
set -u
: "${SRCDIR:?}"
po="$SRCDIR/po"
n=0
failed=0

ok() {  # ok STATUS DESCRIPTION [DIAGNOSTIC-FILE]
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		[ -n "${3:-}" ] && [ -s "$3" ] && sed 's/^/#   /' "$3"
		failed=$((failed + 1))
	fi
}

for tool in xgettext msgfmt msgcmp; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "1..0 # SKIP $tool (GNU gettext tools) is not installed"
		exit 0
	fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/dovira-i18n-XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM

# The files POTFILES.in names (comments and blank lines left out).
sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' "$po/POTFILES.in" | sort -u >"$tmp/listed"

# 1. Every C source that marks strings for translation is listed, and
# every listed file exists.
(
	cd "$SRCDIR" || exit 99
	find src -name '*.c' | sort |
		while read -r f; do
			if grep -Eq '(^|[^A-Za-z0-9_])(_|N_|ngettext)\(' "$f"; then
				echo "$f"
			fi
		done
) >"$tmp/marking"
: >"$tmp/diag"
comm -23 "$tmp/marking" "$tmp/listed" | sed 's/$/ uses _() but is not in po\/POTFILES.in/' >>"$tmp/diag"
while read -r f; do
	[ -f "$SRCDIR/$f" ] || echo "$f is in po/POTFILES.in but does not exist" >>"$tmp/diag"
done <"$tmp/listed"
[ -s "$tmp/diag" ]
ok $((! $?)) "po/POTFILES.in lists every source file that marks strings ($(wc -l <"$tmp/marking") files)" "$tmp/diag"

# 2. The template, as 'make -C po update-po' would build it.
opts=$(sed -n 's/^XGETTEXT_OPTIONS[[:space:]]*=[[:space:]]*//p' "$po/Makevars")
# shellcheck disable=SC2086 # the options are words, as make passes them
xgettext --default-domain=dovira --directory="$SRCDIR" --add-comments=TRANSLATORS: \
	--files-from="$tmp/listed" $opts --output="$tmp/dovira.pot" >"$tmp/diag" 2>&1
st=$?
if [ "$st" = 0 ] && [ ! -s "$tmp/dovira.pot" ]; then
	echo "xgettext found no messages" >"$tmp/diag"
	st=1
fi
msgids=$(grep -c '^msgid ' "$tmp/dovira.pot" 2>/dev/null)
ok "$st" "xgettext builds the template from the sources (${msgids:-0} entries with the header)" "$tmp/diag"

# 3-8. Each catalogue: msgfmt -c passes; every message of the template is
# translated and not fuzzy; no entry is fuzzy and no plural form is empty.
for lang in uk en; do
	file="$po/$lang.po"
	msgfmt -c -o /dev/null "$file" >"$tmp/diag" 2>&1
	ok $? "po/$lang.po passes msgfmt -c (headers, plural forms, format strings)" "$tmp/diag"

	if [ -s "$tmp/dovira.pot" ]; then
		msgcmp "$file" "$tmp/dovira.pot" >"$tmp/out" 2>&1
		st=$?
		grep -v 'warning: this message is not used' "$tmp/out" |
			while IFS= read -r line; do
				echo "$line"
				# A missing message is named by its line in the temporary
				# template: show the message itself.
				case $line in
				*"dovira.pot:"*": this message is used but not defined"*)
					at=${line#*dovira.pot:}
					awk -v l="${at%%:*}" '/^$/ { if (NR > l) exit; b = ""; next }
						{ b = b "    " $0 "\n" } END { printf "%s", b }' "$tmp/dovira.pot"
					;;
				esac
			done >"$tmp/diag"
	else
		echo "no template to compare with" >"$tmp/diag"
		st=1
	fi
	ok "$st" "po/$lang.po translates every message of the template, none fuzzy" "$tmp/diag"

	awk -v f="po/$lang.po" '
		/^#,.*fuzzy/ { print f ":" NR ": a fuzzy entry" }
		empty && !/^"/ { print f ":" empty ": an empty translation" }
		{ empty = 0 }
		/^msgstr(\[[0-9]+\])? ""$/ { empty = NR }
		END { if (empty) print f ":" empty ": an empty translation" }
	' "$file" >"$tmp/diag"
	[ -s "$tmp/diag" ]
	ok $((! $?)) "po/$lang.po has no fuzzy entry and no empty plural form" "$tmp/diag"
done

echo "1..$n"
[ "$failed" = 0 ]

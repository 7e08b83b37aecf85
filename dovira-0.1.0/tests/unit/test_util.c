/* Unit tests of util.c and sanitize.c. */
#include "config.h"

#include <stdlib.h>

#include "dovira/sanitize.h"
#include "dovira/util.h"
#include "tap.h"

static void test_buf(void)
{
	dv_buf b = {0};
	for (int i = 0; i < 1000; i++)
		dv_buf_printf(&b, "%d,", i % 10);
	is_int(b.len, 2000, "dv_buf grows past its first capacity and counts every byte");
	char *s = dv_buf_take(&b);
	ok(s[1999] == ',' && s[2000] == '\0', "dv_buf_take returns a NUL-terminated string");
	ok(b.s == NULL && b.len == 0, "dv_buf_take leaves the buffer empty");
	free(s);
	FILE *f = tmpfile();
	for (int i = 0; i < 100000; i++)
		fputc('a' + i % 26, f);
	rewind(f);
	dv_buf r = {0};
	is_int(dv_buf_read(&r, f, 200000), 0, "dv_buf_read reads a whole file under its limit");
	ok(r.len == 100000 && r.s[99999] == 'a' + 99999 % 26 && r.s[100000] == '\0', "every byte arrives, NUL-terminated");
	dv_buf_free(&r);
	rewind(f);
	is_int(dv_buf_read(&r, f, 1000), 1, "dv_buf_read says when a file is larger than its limit");
	dv_buf_free(&r);
	fclose(f);
}

static void test_time(void)
{
	char iso[21];
	dv_utc_iso(0, iso);
	is_str(iso, "1970-01-01T00:00:00Z", "dv_utc_iso formats the epoch in UTC");
	is_int(dv_parse_utc("2026-11-28T22:39:16Z"), 1795905556LL, "dv_parse_utc reads a full UTC timestamp");
	is_int(dv_parse_utc("2026-11-28"), 1795824000LL, "dv_parse_utc reads a bare date as midnight UTC");
	is_int(dv_parse_utc("2026-13-01"), -1, "dv_parse_utc refuses month 13");
	is_int(dv_parse_utc("2026-11-28junk"), -1, "dv_parse_utc refuses trailing junk");
	setenv("DOVIRA_FAKE_TIME", "1700000000", 1);
	is_int(dv_now(), 1700000000LL, "DOVIRA_FAKE_TIME fixes the clock");
	unsetenv("DOVIRA_FAKE_TIME");
}

static void sanitize_case(const char *in, int flags, const char *want, const char *what)
{
	char *got = sanitize(in, flags);
	is_str(got, want, "sanitize: %s", what);
	free(got);
}

#define R "\xEF\xBF\xBD"

static void test_sanitize(void)
{
	sanitize_case("Привіт, world", 0, "Привіт, world", "Cyrillic and Latin pass untouched");
	sanitize_case("a\x1b]0;pwned\x07z", 0, "a" R "]0;pwned" R "z", "ESC and BEL of a title escape are replaced");
	sanitize_case("a\x1b[2Jb", 0, "a" R "[2Jb", "a CSI clear-screen loses its ESC");
	sanitize_case("x\xc2\x9b" "31m", 0, "x" R "31m", "the C1 CSI (U+009B) is replaced");
	sanitize_case("del\x7f", 0, "del" R, "DEL is replaced");
	sanitize_case("a\xe2\x80\xae" "b", 0, "a" R "b", "RIGHT-TO-LEFT OVERRIDE is replaced");
	sanitize_case("\xe2\x81\xa6x\xe2\x81\xa9", 0, R "x" R, "bidi isolates are replaced");
	sanitize_case("\xd8\x9c", 0, R, "ARABIC LETTER MARK is replaced");
	sanitize_case("a\xffz", 0, "a" R "z", "a stray 0xFF byte becomes one U+FFFD");
	sanitize_case("a\xe2\x82z", 0, "a" R "z", "a truncated 3-byte sequence becomes one U+FFFD");
	sanitize_case("\xc0\xaf", 0, R R, "an overlong slash is two bad bytes");
	sanitize_case("\xed\xa0\x80", 0, R R R, "a UTF-16 surrogate is refused");
	sanitize_case("\xf4\x90\x80\x80", 0, R R R R, "code points above U+10FFFF are refused");
	sanitize_case("ok\xf0\x9f\x98\x80", 0, "ok\xf0\x9f\x98\x80", "an emoji survives");
	sanitize_case("a\nb\tc", 0, "a" R "b" R "c", "newline and tab are replaced by default");
	sanitize_case("a\nb\tc", SANITIZE_KEEP_NEWLINE | SANITIZE_KEEP_TAB, "a\nb\tc", "newline and tab survive when asked");
	sanitize_case("\xe2\x82", 0, R, "a sequence cut off by the end of the text is one U+FFFD");
	ok(sanitize_is_clean("чисто", 0), "sanitize_is_clean accepts clean text");
	ok(!sanitize_is_clean("\x1b[0m", 0), "sanitize_is_clean flags an escape");
}

int main(void)
{
	test_buf();
	test_time();
	test_sanitize();
	return tap_done();
}

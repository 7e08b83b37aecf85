/* Unit tests of the one Unicode toolkit (utf8.h): decoding with the
 * sanitiser's rules, case folding the same in every locale, the bidi
 * controls; and that the sanitiser and the text helpers agree with it. */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "dovira/sanitize.h"
#include "dovira/text.h"
#include "dovira/utf8.h"
#include "tap.h"

static int dec(const char *s, size_t n, unsigned *cp)
{
	return utf8_decode(s, n, cp);
}

static void test_decode(void)
{
	unsigned cp = 0;
	is_int(dec("A", 1, &cp), 1, "ASCII is one byte");
	is_int(dec("\xD0\x87", 2, &cp), 2, "Ї is two bytes");
	is_int(cp, 0x407, "and decodes to U+0407");
	is_int(dec("\xE2\x82\xB4", 3, &cp), 3, "₴ is three bytes");
	is_int(cp, 0x20B4, "and decodes to U+20B4");
	is_int(dec("\xF0\x9F\x87\xBA", 4, &cp), 4, "a regional indicator is four bytes");
	is_int(dec("\xC0\x80", 2, &cp), -1, "an overlong NUL is one bad byte");
	is_int(dec("\xE0\x80\x80", 3, &cp), -1, "an overlong three-byte form is bad at its first byte");
	is_int(dec("\xED\xA0\x80", 3, &cp), -1, "a surrogate is bad");
	is_int(dec("\xF4\x90\x80\x80", 4, &cp), -1, "past U+10FFFF is bad");
	is_int(dec("\xE2\x82", 2, &cp), -2, "a cut-off sequence is one bad sequence of the bytes read");
	is_int(dec("\xE2\x82" "A", 3, &cp), -2, "a sequence broken by ASCII ends before it");
	is_int(dec("\x80", 1, &cp), -1, "a stray continuation byte is bad");
	is_int(dec("\xFF", 1, &cp), -1, "0xFF is bad");
	size_t n = utf8_next("\xE2\x82", 2, &cp);
	ok(n == 2 && cp == 0xFFFD, "utf8_next gives U+FFFD and skips the bad sequence");
	is_int((long)utf8_next("", 0, &cp), 0, "utf8_next at the end advances 0");
}

static void test_fold(void)
{
	static const unsigned pairs[][2] = {
		{'A', 'a'}, {'Z', 'z'}, {0x407, 0x457}, {0x490, 0x491}, {0x404, 0x454}, {0x406, 0x456},
		{0x401, 0x451}, {0x410, 0x430}, {0x42F, 0x44F}, {0xC9, 0xE9}, {0x15A, 0x15B}, {0x141, 0x142},
		{0x178, 0xFF}, {0x4E8, 0x4E9},
	};
	int good = 1;
	for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++)
		good &= utf8_fold(pairs[i][0]) == pairs[i][1] && utf8_fold(pairs[i][1]) == pairs[i][1];
	ok(good, "capitals fold to small letters (Latin, Ukrainian Ї Ґ Є І, Polish Ś Ł), small letters stay");
	ok(utf8_fold('5') == '5' && utf8_fold(0xD7) == 0xD7 && utf8_fold(0xDF) == 0xDF && utf8_fold(0x2019) == 0x2019,
	   "digits, ×, ß and punctuation are not letters to fold");
	setlocale(LC_ALL, "C");
	ok(utf8_fold(0x407) == 0x457 && utf8_fold(0x490) == 0x491, "folding does not depend on the locale (C)");
	setlocale(LC_ALL, "C.UTF-8");
	ok(text_word_prefix_match("Запорізька ОДА", "ода") && text_word_prefix_match("ЇЖАК", "їж"),
	   "the text helpers ignore case through the same fold");
}

static void test_bidi(void)
{
	static const unsigned bidi[] = {0x061C, 0x200E, 0x200F, 0x202A, 0x202E, 0x2066, 0x2069};
	int all = 1;
	for (size_t i = 0; i < sizeof bidi / sizeof *bidi; i++)
		all &= utf8_is_bidi_control(bidi[i]);
	ok(all, "the bidi controls are known");
	ok(!utf8_is_bidi_control(0x200D) && !utf8_is_bidi_control(0x2065) && !utf8_is_bidi_control('A'),
	   "joiners, unassigned neighbours and letters are not");
}

/* The sanitiser and the text helpers count bad input as the decoder does. */
static void test_agree(void)
{
	static const char bad[] = "a\xE2\x82" "b\xC0\x80" "c\xED\xA0\x80" "d";
	char *s = sanitize(bad, 0);
	size_t fffd = 0, steps = 0;
	for (const char *p = s; (p = strstr(p, "\xEF\xBF\xBD")); p += 3)
		fffd++;
	unsigned cp;
	for (size_t i = 0, n = strlen(bad); i < n; i += utf8_next(bad + i, n - i, &cp))
		steps += cp == 0xFFFD;
	ok(fffd == 6 && steps == fffd, "the sanitiser puts one U+FFFD for each bad sequence the decoder finds (%zu, %zu)", fffd, steps);
	free(s);
	wchar_t wc;
	ok(text_utf8_next("\xE2\x82" "b", 3, &wc) == 2 && wc == 0xFFFD, "the text helpers skip a bad sequence as the decoder does");
	is_int((long)text_utf8_prev("x\xE2\x82", 3), 1, "and step back over it the same way");
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	test_decode();
	test_fold();
	test_bidi();
	test_agree();
	return tap_done();
}

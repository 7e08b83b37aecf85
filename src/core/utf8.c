/* utf8.c: decoding, case folding and bidi controls (utf8.h). */
#include "config.h"

#include "dovira/utf8.h"

int utf8_decode(const void *p, size_t n, unsigned *cp)
{
	const unsigned char *s = p;
	unsigned c = s[0], lo = 0x80, hi = 0xBF;
	int len;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2, c &= 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3, c &= 0x0F;
		lo = c == 0 ? 0xA0 : 0x80;   /* E0: no overlong forms */
		hi = c == 0xD ? 0x9F : 0xBF; /* ED: no surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4, c &= 0x07;
		lo = c == 0 ? 0x90 : 0x80;   /* F0: no overlong forms */
		hi = c == 4 ? 0x8F : 0xBF;   /* F4: nothing past U+10FFFF */
	} else {
		return -1;
	}
	for (int i = 1; i < len; i++) {
		if ((size_t)i >= n || s[i] < lo || s[i] > hi)
			return -i;
		c = (c << 6) | (s[i] & 0x3F);
		lo = 0x80, hi = 0xBF;
	}
	*cp = c;
	return len;
}

size_t utf8_next(const void *s, size_t n, unsigned *cp)
{
	if (n == 0)
		return 0;
	int len = utf8_decode(s, n, cp);
	if (len > 0)
		return (size_t)len;
	*cp = 0xFFFD;
	return (size_t)-len;
}

/* Capitals whose small letter is the next code point: pairs starting at an
 * even (or, for the ranges marked odd, odd) code point. */
static int paired_capital(unsigned cp)
{
	static const struct { unsigned lo, hi, odd; } pairs[] = {
		{0x100, 0x137, 0}, {0x139, 0x148, 1}, {0x14A, 0x177, 0}, {0x179, 0x17E, 1},
		{0x460, 0x481, 0}, {0x48A, 0x4BF, 0}, {0x4C1, 0x4CE, 1}, {0x4D0, 0x52F, 0},
	};
	for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++)
		if (cp >= pairs[i].lo && cp <= pairs[i].hi)
			return (cp & 1) == pairs[i].odd;
	return 0;
}

unsigned utf8_fold(unsigned cp)
{
	if (cp < 0x80)
		return cp >= 'A' && cp <= 'Z' ? cp + 0x20 : cp;
	if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
		return cp + 0x20;
	if (cp >= 0x410 && cp <= 0x42F)
		return cp + 0x20;
	if (cp >= 0x400 && cp <= 0x40F)
		return cp + 0x50;
	if (cp == 0x178)
		return 0xFF;
	if (cp == 0x4C0)
		return 0x4CF;
	return paired_capital(cp) ? cp + 1 : cp;
}

int utf8_is_bidi_control(unsigned cp)
{
	return cp == 0x061C || cp == 0x200E || cp == 0x200F ||
	       (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

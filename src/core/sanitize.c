/* sanitize.c: replace what a terminal would interpret with U+FFFD.
 *
 * The decoder follows the Unicode "maximal subpart" practice: a sequence
 * that starts well but breaks off counts as one bad sequence; overlong
 * forms, surrogates and code points above U+10FFFF are bad.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dovira/sanitize.h"
#include "dovira/util.h"

static const char REPLACEMENT[] = "\xEF\xBF\xBD";

/* Decode one UTF-8 sequence at s (n bytes left). On success store the code
 * point in *cp and return its length; on failure return -(bytes to skip). */
int sanitize_utf8_decode(const unsigned char *s, size_t n, unsigned *cp)
{
	unsigned c = s[0];
	int len;
	unsigned lo = 0x80, hi = 0xBF;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
		c &= 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		if (c == 0xE0)
			lo = 0xA0;
		if (c == 0xED)
			hi = 0x9F;
		c &= 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		if (c == 0xF0)
			lo = 0x90;
		if (c == 0xF4)
			hi = 0x8F;
		c &= 0x07;
	} else {
		return -1;
	}
	for (int i = 1; i < len; i++) {
		if ((size_t)i >= n || s[i] < lo || s[i] > hi)
			return -i;
		c = (c << 6) | (s[i] & 0x3F);
		lo = 0x80;
		hi = 0xBF;
	}
	*cp = c;
	return len;
}

static int is_unsafe(unsigned cp, int flags)
{
	if (cp == '\n')
		return !(flags & SANITIZE_KEEP_NEWLINE);
	if (cp == '\t')
		return !(flags & SANITIZE_KEEP_TAB);
	if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F))
		return 1;
	return sanitize_is_bidi_control(cp);
}

int sanitize_is_bidi_control(unsigned cp)
{
	return cp == 0x061C || cp == 0x200E || cp == 0x200F ||
	       (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

char *sanitize_mem(const char *s, size_t n, int flags)
{
	dv_buf b = {0};
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	dv_buf_add(&b, "", 0);
	while (i < n) {
		unsigned cp;
		int len = sanitize_utf8_decode(p + i, n - i, &cp);
		if (len < 0) {
			dv_buf_add(&b, REPLACEMENT, 3);
			i += (size_t)-len;
		} else if (is_unsafe(cp, flags)) {
			dv_buf_add(&b, REPLACEMENT, 3);
			i += (size_t)len;
		} else {
			dv_buf_add(&b, s + i, (size_t)len);
			i += (size_t)len;
		}
	}
	return dv_buf_take(&b);
}

char *sanitize(const char *s, int flags)
{
	if (!s)
		return xstrdup("");
	return sanitize_mem(s, strlen(s), flags);
}

int sanitize_is_clean(const char *s, int flags)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0;
	while (i < n) {
		unsigned cp;
		int len = sanitize_utf8_decode(p + i, n - i, &cp);
		if (len < 0 || is_unsafe(cp, flags))
			return 0;
		i += (size_t)len;
	}
	return 1;
}

void sanitize_json(dv_buf *b, const char *s)
{
	char *clean = sanitize(s ? s : "", SANITIZE_KEEP_NEWLINE);
	dv_buf_addc(b, '"');
	for (const char *p = clean; *p; p++) {
		if (*p == '"' || *p == '\\')
			dv_buf_printf(b, "\\%c", *p);
		else if (*p == '\n')
			dv_buf_adds(b, "\\n");
		else
			dv_buf_addc(b, *p);
	}
	dv_buf_addc(b, '"');
	free(clean);
}

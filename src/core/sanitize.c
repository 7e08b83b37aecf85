/* sanitize.c: replace what a terminal would interpret with U+FFFD.
 *
 * The decoder follows the Unicode "maximal subpart" practice: a sequence
 * that starts well but breaks off counts as one bad sequence; overlong
 * forms, surrogates and code points above U+10FFFF are bad.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dovira/sanitize.h"
#include "dovira/utf8.h"
#include "dovira/util.h"

static const char REPLACEMENT[] = "\xEF\xBF\xBD";

static int is_unsafe(unsigned cp, int flags)
{
	if (cp == '\n')
		return !(flags & SANITIZE_KEEP_NEWLINE);
	if (cp == '\t')
		return !(flags & SANITIZE_KEEP_TAB);
	if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F))
		return 1;
	return utf8_is_bidi_control(cp);
}


char *sanitize_mem(const char *s, size_t n, int flags)
{
	dv_buf b = {0};
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	dv_buf_add(&b, "", 0);
	while (i < n) {
		unsigned cp;
		int len = utf8_decode(p + i, n - i, &cp);
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
		int len = utf8_decode(p + i, n - i, &cp);
		if (len < 0 || is_unsafe(cp, flags))
			return 0;
		i += (size_t)len;
	}
	return 1;
}

int sanitize_fprintf(FILE *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *text = xvasprintf(fmt, ap);
	va_end(ap);
	char *clean = sanitize(text, SANITIZE_KEEP_NEWLINE | SANITIZE_KEEP_TAB);
	int rc = fputs(clean, f);
	free(clean);
	free(text);
	return rc;
}

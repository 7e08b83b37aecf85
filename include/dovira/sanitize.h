/* sanitize.h: make untrusted text safe to draw, export and log.
 *
 * Replaces C0 controls (except, on request, newline and tab), DEL, C1
 * controls (U+0080..U+009F), bidi controls (U+061C, U+200E, U+200F,
 * U+202A..U+202E, U+2066..U+2069) and every invalid UTF-8 sequence with
 * U+FFFD, one per bad sequence (as the Unicode "maximal subpart" practice
 * counts them). The result is valid UTF-8 with nothing a terminal would
 * interpret.
 */
#ifndef DOVIRA_SANITIZE_H
#define DOVIRA_SANITIZE_H

#include "dovira/util.h"

#include <stddef.h>

enum {
	SANITIZE_KEEP_NEWLINE = 1 << 0, /* keep '\n' (multi-line notes) */
	SANITIZE_KEEP_TAB = 1 << 1      /* keep '\t' (else it becomes U+FFFD) */
};

/* Return a newly allocated sanitised copy of the n bytes at s. */
char *sanitize_mem(const char *s, size_t n, int flags);

/* The same for a NUL-terminated string. NULL gives an empty string. */
char *sanitize(const char *s, int flags);

/* 1 if s (NUL-terminated) needs no change under flags, else 0. */
int sanitize_is_clean(const char *s, int flags);

/* Decode one UTF-8 sequence at s (n > 0 bytes left) as the sanitiser does:
 * store the code point in *cp and return its length, or return -k for an
 * invalid sequence whose first k bytes are to be skipped (one U+FFFD). */
int sanitize_utf8_decode(const unsigned char *s, size_t n, unsigned *cp);

/* 1 for the bidi controls the sanitiser replaces, else 0. */
int sanitize_is_bidi_control(unsigned cp);

/* Append s to b as a JSON string: sanitised first (newlines kept, as
 * \n), quotes and backslashes escaped, in double quotes. NULL is "". */
void sanitize_json(dv_buf *b, const char *s);

#endif

/* sanitize.h: make untrusted text safe to draw, export and log.
 *
 * Replaces C0 controls (except, on request, newline and tab), DEL, C1
 * controls (U+0080..U+009F), bidi controls (U+061C, U+200E, U+200F,
 * U+202A..U+202E, U+2066..U+2069) and every invalid UTF-8 sequence with
 * U+FFFD, one per bad sequence (as the Unicode "maximal subpart" practice
 * counts them). The result is valid UTF-8 with nothing a terminal would
 * interpret. The decoding and the bidi controls are utf8.h's, the same
 * for every module.
 */
#ifndef DOVIRA_SANITIZE_H
#define DOVIRA_SANITIZE_H

#include "dovira/util.h"

#include <stddef.h>
#include <stdio.h>

enum {
	SANITIZE_KEEP_NEWLINE = 1 << 0, /* keep '\n' (multi-line notes) */
	SANITIZE_KEEP_TAB = 1 << 1      /* keep '\t' (else it becomes U+FFFD) */
};

/* Return a newly allocated sanitised copy of the n bytes at s. */
char *sanitize_mem(const char *s, size_t n, int flags);

/* The same for a NUL-terminated string. NULL gives an empty string. */
char *sanitize(const char *s, int flags);

/* Format as printf does and write the result to f sanitised, newlines
 * and tabs kept: the one way a line that quotes a path, a login, TERM or a
 * message read from a file reaches a terminal. Returns what fputs returns. */
int sanitize_fprintf(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* 1 if s (NUL-terminated) needs no change under flags, else 0. */
int sanitize_is_clean(const char *s, int flags);

#endif

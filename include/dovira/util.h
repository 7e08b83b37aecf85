/* util.h: allocation that never fails, growable strings, errors, time.
 *
 * Every module of dovira reports failure the same way: a function returns
 * a negative dv_code and fills a dv_error whose message says, in the
 * reader's language, what happened and what to do about it.
 */
#ifndef DOVIRA_UTIL_H
#define DOVIRA_UTIL_H

#include <stddef.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

/* Result codes. DV_OK is zero; failures are negative. */
typedef enum dv_code {
	DV_OK = 0,
	DV_EINVAL = -1,     /* bad input from the user or a file */
	DV_EIO = -2,        /* an operating-system call failed */
	DV_EBUSY = -3,      /* the database stayed locked past the busy timeout */
	DV_EREADONLY = -4,  /* file or directory not writable */
	DV_ENOTDB = -5,     /* not a dovira database */
	DV_ECORRUPT = -6,   /* database damaged */
	DV_EFULL = -7,      /* disk or database full */
	DV_ETOONEW = -8,    /* schema newer than this program */
	DV_ENETFS = -9,     /* database on a network filesystem */
	DV_EPERM = -10,     /* the account's role does not allow this */
	DV_ENOTFOUND = -11, /* no such record, login or file */
	DV_ECONFLICT = -12, /* someone else changed the record first */
	DV_EUNKNOWN = -13,  /* the account is not in the staff table */
	DV_EINTERNAL = -14  /* a bug: an SQL statement failed to prepare, etc. */
} dv_code;

/* A failure: its code and a one-line message (already translated).
 *
 * The rule, for every function of dovira that takes a dv_error *: the
 * pointer is never NULL. A caller that does not want the message passes a
 * local dv_error all the same, so that no function needs to check and none
 * can crash on a NULL it did not expect (tests/lint/errors.py finds a call
 * that passes NULL). On failure the function returns the code and fills
 * *e; on success it leaves *e as it was unless its contract says it
 * clears it. The message is untrusted text (it may quote a file name or a
 * value read from a file): pass it through the sanitiser before it
 * reaches a terminal (cli_error does). */
typedef struct dv_error {
	dv_code code;
	char msg[768];
} dv_error;

/* Set *e to code and the formatted message; returns code so that callers
 * can write `return dv_fail(e, DV_EINVAL, ...)`. */
int dv_fail(dv_error *e, dv_code code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Clear an error to DV_OK and an empty message. */
void dv_error_clear(dv_error *e);

/* Allocation wrappers: they never return NULL; on exhaustion they print
 * a message to stderr and exit(70). */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* A growable, always NUL-terminated byte string. Zero-initialise
 * (`dv_buf b = {0};`) before use; release with dv_buf_free. */
typedef struct dv_buf {
	char *s;
	size_t len;
	size_t cap;
} dv_buf;

void dv_buf_add(dv_buf *b, const char *s, size_t n);
void dv_buf_adds(dv_buf *b, const char *s);
void dv_buf_addc(dv_buf *b, char c);
void dv_buf_printf(dv_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append all that is left of f to b, stopping once b holds more than max
 * bytes. Returns 0 at the end of f, 1 if f holds more than max bytes
 * (b then holds a little more than max), or -1 on a read error (errno
 * set). The one way dovira reads a whole file or stream. */
int dv_buf_read(dv_buf *b, FILE *f, size_t max);

/* Hand the string to the caller (who frees it) and reset b. Never NULL. */
char *dv_buf_take(dv_buf *b);
void dv_buf_free(dv_buf *b);

/* The current time. Tests fix it with the environment variable
 * DOVIRA_FAKE_TIME (seconds since the epoch, UTC), so golden output
 * does not depend on the clock. */
time_t dv_now(void);

/* Format t as UTC "YYYY-MM-DDTHH:MM:SSZ" into out (at least 21 bytes). */
void dv_utc_iso(time_t t, char out[static 21]);

/* Parse "YYYY-MM-DDTHH:MM:SSZ" or "YYYY-MM-DD" (as UTC); -1 if malformed. */
time_t dv_parse_utc(const char *s);

/* Debug log, written only when dv_debug_open() was called (--debug-log,
 * in a build configured with --enable-debug). Text is passed through the
 * sanitiser before it is written. dv_debug_open appends to path; it
 * returns 0, or -1 with errno set when the file cannot be opened (then no
 * log is written). */
int dv_debug_open(const char *path);
void dv_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Append s (NULL: null) to b as a JSON string, sanitised first (control
 * characters and invalid UTF-8 replaced; newlines kept as \n). */
void dv_buf_add_json(dv_buf *b, const char *s);

#endif

/* util.c: allocation, growable strings, errors, time, debug log. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dovira/util.h"
#include "dovira/sanitize.h"

int dv_fail(dv_error *e, dv_code code, const char *fmt, ...)
{
	if (e) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(e->msg, sizeof e->msg, fmt, ap);
		va_end(ap);
		e->code = code;
	}
	return code;
}

void dv_error_clear(dv_error *e)
{
	if (e) {
		e->code = DV_OK;
		e->msg[0] = '\0';
	}
}

static void oom(void)
{
	fputs("dovira: out of memory\n", stderr);
	exit(70);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		oom();
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *d = xmalloc(len + 1);
	memcpy(d, s, len);
	d[len] = '\0';
	return d;
}

char *xvasprintf(const char *fmt, va_list ap)
{
	va_list copy;
	va_copy(copy, ap);
	int n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0)
		oom();
	char *s = xmalloc((size_t)n + 1);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

static void buf_reserve(dv_buf *b, size_t extra)
{
	if (b->len + extra + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->len + extra + 1)
		cap *= 2;
	b->s = xrealloc(b->s, cap);
	b->cap = cap;
}

void dv_buf_add(dv_buf *b, const char *s, size_t n)
{
	buf_reserve(b, n);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void dv_buf_adds(dv_buf *b, const char *s)
{
	dv_buf_add(b, s, strlen(s));
}

void dv_buf_addc(dv_buf *b, char c)
{
	dv_buf_add(b, &c, 1);
}

void dv_buf_printf(dv_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	buf_reserve(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

int dv_buf_read(dv_buf *b, FILE *f, size_t max)
{
	char chunk[65536];
	size_t n;
	dv_buf_add(b, "", 0);
	errno = 0;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		dv_buf_add(b, chunk, n);
		if (b->len > max)
			return 1;
	}
	if (ferror(f)) {
		if (!errno)
			errno = EIO;
		return -1;
	}
	return 0;
}

char *dv_buf_take(dv_buf *b)
{
	char *s = b->s ? b->s : xstrdup("");
	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

void dv_buf_free(dv_buf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

time_t dv_now(void)
{
	const char *fake = getenv("DOVIRA_FAKE_TIME");
	if (fake && *fake) {
		char *end;
		errno = 0;
		long long v = strtoll(fake, &end, 10);
		if (!errno && *end == '\0' && v >= 0)
			return (time_t)v;
	}
	return time(NULL);
}

void dv_utc_iso(time_t t, char out[static 21])
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

time_t dv_parse_utc(const char *s)
{
	struct tm tm = {0};
	int y, mo, d, h = 0, mi = 0, se = 0, n = 0;
	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &y, &mo, &d, &h, &mi, &se, &n) == 6 && s[n] == '\0')
		;
	else if (n = 0, sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) == 3 && s[n] == '\0')
		h = mi = se = 0;
	else
		return (time_t)-1;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
		return (time_t)-1;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	return timegm(&tm);
}

static FILE *debug_fp;

int dv_debug_open(const char *path)
{
	if (debug_fp)
		fclose(debug_fp);
	debug_fp = fopen(path, "a");
	return debug_fp ? 0 : -1;
}

void dv_debug(const char *fmt, ...)
{
	if (!debug_fp)
		return;
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	char *clean = sanitize(msg, 0);
	char ts[21];
	dv_utc_iso(dv_now(), ts);
	fprintf(debug_fp, "%s %s\n", ts, clean);
	fflush(debug_fp);
	free(clean);
	free(msg);
}

void dv_buf_add_json(dv_buf *b, const char *s)
{
	if (!s) {
		dv_buf_adds(b, "null");
		return;
	}
	char *clean = sanitize(s, SANITIZE_KEEP_NEWLINE);
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
